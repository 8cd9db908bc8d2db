"""Indonesian words the benchmarks build their feeds and items from."""
WORDS = ("nagari petani padi jagung gambir sapi pasar jalan irigasi posyandu puskesmas vaksin sekolah "
         "beasiswa wali musyawarah gotong royong banjir longsor bantuan bibit pupuk harga cabai bawang "
         "pelatihan kelompok informasi masyarakat kecamatan kabupaten dinas kominfo pariwisata lembah "
         "harau air terjun rendang randang tenun kubang festival budaya surau masjid zakat koperasi").split()
