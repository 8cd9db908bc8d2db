"""Feeds for the offline demo, served by the hub itself under /demo/feeds/<name>.xml.

Each feed publishes a new entry every `every` hours, cycling through its stories, so the demo
network keeps receiving news while `make run` is up, without any internet connection.
"""
import hashlib
import time
from datetime import datetime, timezone
from email.utils import format_datetime
from html import escape

from flask import Blueprint, Response, abort, render_template, request

# name -> (title, kind, every hours, [(title, html body)])
FEEDS = {
    "diskominfo": ("Diskominfo Kabupaten Lima Puluh Kota", "pemerintah", 3, [
        ("Bupati buka Musrenbang Kecamatan Guguak", "<p>Musyawarah perencanaan pembangunan tingkat kecamatan dibuka di aula kantor camat. Usulan nagari diprioritaskan untuk jalan usaha tani dan irigasi.</p>"),
        ("Pelatihan jurnalistik warga untuk pengurus KIM", "<p>Dinas Komunikasi dan Informatika mengundang dua pengurus dari setiap KIM mengikuti pelatihan menulis berita dan memotret dengan ponsel.</p>"),
        ("Jadwal pelayanan adminduk keliling bulan ini", "<p>Perekaman KTP-el dan pencetakan KIA dilayani di kantor wali nagari sesuai jadwal. Bawa kartu keluarga asli.</p>"),
        ("Sosialisasi keterbukaan informasi publik", "<p>PPID kabupaten menjelaskan cara warga meminta informasi publik dan jangka waktu jawabannya.</p>"),
        ("Lomba KIM tingkat kabupaten dibuka", "<p>KIM dapat mendaftar hingga akhir bulan. Penilaian meliputi kegiatan akses, diskusi, diseminasi dan aspirasi.</p>"),
        ("Waspada berita bohong soal bantuan sosial", "<p>Beredar pesan berantai tentang pendaftaran bantuan melalui tautan tidak resmi. Pendaftaran hanya melalui kantor wali nagari.</p>"),
    ]),
    "pertanian": ("Dinas Pertanian Lima Puluh Kota", "pemerintah", 6, [
        ("Jadwal tanam serentak padi musim ini", "<p>Kelompok tani diminta menyemai benih pada pekan kedua agar tanam serentak dan mengurangi serangan hama.</p>"),
        ("Harga gambir naik di pasar Sarilamak", "<p>Harga gambir kering di tingkat petani naik dibanding pekan lalu. Petani diimbau menjaga mutu pengeringan.</p>"),
        ("Pupuk bersubsidi: cara menebus dengan kartu tani", "<p>Penebusan pupuk bersubsidi kini memakai kartu tani di kios resmi. Periksa kuota melalui penyuluh.</p>"),
        ("Serangan wereng: langkah pengendalian", "<p>Penyuluh menganjurkan pengamatan rutin dan penggunaan musuh alami sebelum memakai pestisida.</p>"),
        ("Bantuan bibit jeruk untuk kelompok tani", "<p>Kelompok tani yang terdaftar dapat mengajukan bantuan bibit jeruk melalui penyuluh pertanian lapangan.</p>"),
    ]),
    "kesehatan": ("Dinas Kesehatan Lima Puluh Kota", "pemerintah", 8, [
        ("Jadwal posyandu balita dan lansia", "<p>Posyandu buka setiap awal bulan di setiap jorong. Bawa buku KIA untuk pencatatan tumbuh kembang anak.</p>"),
        ("Imunisasi campak-rubela di sekolah", "<p>Petugas puskesmas melayani imunisasi di sekolah dasar. Orang tua diminta mengisi formulir persetujuan.</p>"),
        ("Cegah demam berdarah dengan 3M Plus", "<p>Menguras, menutup dan mendaur ulang wadah air, ditambah memakai kelambu dan lotion anti nyamuk.</p>"),
        ("Cek kesehatan gratis di puskesmas", "<p>Warga dapat memeriksa tekanan darah, gula darah dan kolesterol tanpa biaya pada hari kerja.</p>"),
    ]),
    "bpbd": ("BPBD Lima Puluh Kota", "pemerintah", 12, [
        ("Waspada longsor di jalur Kelok Sembilan", "<p>Hujan deras berpotensi memicu longsor. Pengendara diminta berhati-hati dan mengikuti arahan petugas.</p>"),
        ("Simulasi evakuasi banjir di Kecamatan Harau", "<p>Relawan dan warga berlatih jalur evakuasi dan titik kumpul di setiap jorong.</p>"),
        ("Nomor darurat bencana yang perlu dicatat", "<p>Simpan nomor pusat pengendalian operasi BPBD dan kontak relawan nagari di ponsel Anda.</p>"),
    ]),
    "kabar-luak": ("Kabar Luak Limopuluah", "media", 4, [
        ("Festival Lembah Harau ramai dikunjungi", "<p>Pertunjukan randai, pacu jawi mini dan kuliner rendang menarik ribuan pengunjung.</p>"),
        ("Tenun Kubang tembus pasar luar provinsi", "<p>Perajin tenun di Kubang menerima pesanan dari Jakarta dan Pekanbaru berkat penjualan daring.</p>"),
        ("Jalan nagari diperbaiki lewat gotong royong", "<p>Warga bersama pemerintah nagari memperbaiki jalan usaha tani sepanjang dua kilometer.</p>"),
        ("Pasar ternak Palangki kembali buka", "<p>Harga sapi relatif stabil. Pembeli diminta memeriksa surat keterangan kesehatan hewan.</p>"),
        ("Anak nagari juara lomba pidato adat", "<p>Pelajar dari Tujuah Koto Talago meraih juara pertama pidato pasambahan tingkat provinsi.</p>"),
    ]),
    "kim-tujuah-koto": ("Blog KIM Tujuah Koto", "kim", 5, [
        ("Diskusi KIM: memanfaatkan lahan tidur", "<p>Pengurus KIM Tujuah Koto mengajak pemuda membahas pemanfaatan lahan tidur untuk hortikultura.</p>"),
        ("Papan informasi nagari diperbarui", "<p>KIM menempelkan jadwal posyandu, harga komoditas dan pengumuman wali nagari di papan informasi.</p>"),
        ("Website nagari aktif kembali", "<p>Bekerja sama dengan pemerintah nagari, KIM mengaktifkan kembali situs nagari sebagai sumber informasi warga.</p>"),
    ]),
}

# which demo feeds each demo KIM follows, with a bidang
SUBSCRIPTIONS = {
    "diskominfo": "pemerintahan", "pertanian": "pertanian", "kesehatan": "kesehatan", "bpbd": "bencana",
    "kabar-luak": "umum", "kim-tujuah-koto": "umum",
}

bp = Blueprint("demo_feeds", __name__)


def entries(name, now=None, count=12):
    """The newest `count` entries of a demo feed at time `now`: (guid, title, html, published)."""
    title, _kind, every, stories = FEEDS[name]
    now = now or time.time()
    slot = int(now // (every * 3600))
    out = []
    for n in range(count):
        s = slot - n
        story_title, body = stories[s % len(stories)]
        published = datetime.fromtimestamp(s * every * 3600, timezone.utc)
        out.append((f"demo:{name}:{s}", story_title, body, published))
    return out


def rss(name, base_url):
    title, _kind, _every, _stories = FEEDS[name]
    items = "".join(
        f"<item><title>{escape(t)}</title><link>{base_url}demo/berita/{escape(guid.split(':', 1)[1])}</link>"
        f'<guid isPermaLink="false">{guid}</guid><pubDate>{format_datetime(published)}</pubDate>'
        f"<description>{escape(body)}</description></item>"
        for guid, t, body, published in entries(name))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
            f"<link>{base_url}</link><description>Umpan contoh Jejaring KIM</description>{items}</channel></rss>")


@bp.route("/demo/berita/<name>:<int:slot>")
def story(name, slot):
    """The page a demo entry links to."""
    if name not in FEEDS:
        abort(404)
    title, _kind, every, stories = FEEDS[name]
    story_title, body = stories[slot % len(stories)]
    published = datetime.fromtimestamp(slot * every * 3600, timezone.utc)
    return render_template("demo/story.html", source=title, title=story_title, body=body, published=published)


@bp.route("/demo/feeds/<name>.xml")
def feed(name):
    if name not in FEEDS:
        abort(404)
    body = rss(name, request.host_url)
    response = Response(body, mimetype="application/rss+xml")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    return response.make_conditional(request)
