"""The offline demo network: Kabupaten Lima Puluh Kota, West Sumatra.

KIM names follow real nagari; the people are invented. Every demo account shares one password,
printed by `make run`.
"""
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import func, select

from .accounts import service as accounts
from .extensions import db
from .kims import service as kims
from .models import Kim, User, clock_at, utcnow

PASSWORD = "demo-kim-2026"
DOMAIN = "demo.jejaringkim.id"

# (slug, name, nagari, kecamatan, description)
KIMS = [
    ("tujuah-koto-talago", "KIM Tujuah Koto", "Tujuah Koto Talago", "Guguak",
     "Kelompok Informasi Masyarakat Nagari Tujuah Koto Talago: akses, diskusi dan diseminasi "
     "informasi pertanian, kesehatan dan pemerintahan nagari."),
    ("guguak-viii-koto", "KIM Guguak Saiyo", "Guguak VIII Koto", "Guguak",
     "KIM Nagari Guguak VIII Koto."),
    ("kubang", "KIM Kubang Bangkit", "Kubang", "Guguak", "KIM Nagari Kubang, sentra tenun."),
    ("sungai-talang", "KIM Sungai Talang", "Sungai Talang", "Guguak", "KIM Nagari Sungai Talang."),
    ("simpang-sugiran", "KIM Simpang Sugiran", "Simpang Sugiran", "Guguak", "KIM Nagari Simpang Sugiran."),
    ("sarilamak", "KIM Sarilamak", "Sarilamak", "Harau", "KIM Nagari Sarilamak, ibu kota kabupaten."),
    ("tarantang", "KIM Tarantang", "Tarantang", "Harau", "KIM Nagari Tarantang, Lembah Harau."),
    ("taram", "KIM Taram", "Taram", "Harau", "KIM Nagari Taram."),
    ("lubuak-batingkok", "KIM Lubuak Batingkok", "Lubuak Batingkok", "Harau", "KIM Nagari Lubuak Batingkok."),
    ("mungo", "KIM Mungo", "Mungo", "Luak", "KIM Nagari Mungo, sentra peternakan sapi."),
    ("andaleh", "KIM Andaleh", "Andaleh", "Luak", "KIM Nagari Andaleh."),
    ("sungai-kamuyang", "KIM Sungai Kamuyang", "Sungai Kamuyang", "Luak", "KIM Nagari Sungai Kamuyang."),
]

# (email local part, name, roles) where roles are ("kim", slug, role) | ("coord", kecamatan|None) | ("admin",)
PEOPLE = [
    ("admin", "Admin Hub", [("admin",)]),
    ("koordinator.kabupaten", "Yusrizal Dt. Bagindo", [("coord", None)]),
    ("koordinator.guguak", "Nofriadi", [("coord", "Guguak")]),
    ("pengurus.talago", "Rina Marlina", [("kim", "tujuah-koto-talago", "pengurus")]),
    ("anggota.talago", "Dedi Saputra", [("kim", "tujuah-koto-talago", "anggota"), ("kim", "kubang", "anggota")]),
    ("pengurus.sarilamak", "Fitri Handayani", [("kim", "sarilamak", "pengurus")]),
    ("anggota.sarilamak", "Ahmad Fauzi", [("kim", "sarilamak", "anggota")]),
    ("pengurus.kubang", "Yuliani", [("kim", "kubang", "pengurus")]),
    ("pengurus.mungo", "Hendra Gunawan", [("kim", "mungo", "pengurus")]),
    ("anggota.mungo", "Sri Wahyuni", [("kim", "mungo", "anggota")]),
]


def email(local):
    return f"{local}@{DOMAIN}"


def hub_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Kim)) and \
        not db.session.scalar(select(func.count()).select_from(User))


def demo_loaded() -> bool:
    return db.session.scalar(select(User.id).where(User.email == email("admin"))) is not None


def load() -> dict:
    """Create the demo KIMs and people in one transaction: set up three months ago, with a
    history of posts, shares, reads, checks, disseminations and activities since, so that the
    coordinators' dashboard has weeks to show (and the KIMs without members stand out as quiet)."""
    started = utcnow() - timedelta(days=HISTORY_DAYS)
    with clock_at(started):
        by_slug = _create(current_app.config["HUB_KABUPATEN"])
    write_demo_history(by_slug, started)
    with clock_at(utcnow() - timedelta(hours=6)):
        write_demo_posts(by_slug)
    write_demo_aspirations(by_slug)
    db.session.commit()
    return {"kims": len(KIMS), "kecamatan": len({k[3] for k in KIMS}), "users": len(PEOPLE)}


def _create(kabupaten):
    by_slug = {}
    for number, (slug, name, nagari, kecamatan, description) in enumerate(KIMS, start=1):
        by_slug[slug] = kims.create_kim(
            slug=slug, name=name, nagari=nagari, kecamatan=kecamatan, kabupaten=kabupaten,
            description=description, contact=f"0752-71{number:04d}")
    for local, name, roles in PEOPLE:
        is_admin = ("admin",) in roles
        user = accounts.create_user(email(local), name, PASSWORD, is_admin=is_admin)
        for role in roles:
            if role[0] == "kim":
                accounts.set_membership(user, by_slug[role[1]], role[2], actor=None)
            elif role[0] == "coord":
                accounts.grant_coordinator(user, kabupaten=kabupaten, kecamatan=role[1], actor=None)
    subscribe_demo_feeds(by_slug)
    db.session.flush()
    return by_slug


HISTORY_DAYS = 90
# (KIM, title, Markdown, bidang) of the posts of the demo's past weeks
HISTORY_POSTS = [
    ("tujuah-koto-talago", "Jadwal tanam padi serentak", "Kelompok tani sepakat tanam serentak awal bulan depan.",
     "pertanian"),
    ("sarilamak", "Vaksinasi ternak gratis", "Dinas Peternakan membuka vaksinasi sapi di kantor nagari.",
     "pertanian"),
    ("kubang", "Pameran tenun Kubang", "Perajin tenun memamerkan songket di balai nagari, Sabtu ini.", "ekonomi"),
    ("mungo", "Harga sapi di pasar ternak", "Harga sapi naik menjelang Idul Adha; peternak diminta mencatat.",
     "ekonomi"),
    ("tujuah-koto-talago", "Pendaftaran beasiswa nagari", "Pendaftaran dibuka sampai akhir bulan di kantor wali "
     "nagari.", "pendidikan"),
    ("sarilamak", "Waspada demam berdarah", "Puskesmas mengimbau 3M plus: menguras, menutup, mendaur ulang.",
     "kesehatan"),
    ("kubang", "Jalan usaha tani diperbaiki", "Jalan usaha tani Jorong Kubang Gadang diperbaiki pekan depan.",
     "pemerintahan"),
    ("mungo", "Pelatihan inseminasi buatan", "Pelatihan IB untuk peternak muda, pendaftaran di KIM.", "pertanian"),
    ("tujuah-koto-talago", "Musyawarah rencana pembangunan nagari", "Musrenbang nagari dijadwalkan Kamis; "
     "usulan jorong dikumpulkan lewat KIM.", "pemerintahan"),
    ("sarilamak", "Posyandu lansia", "Posyandu lansia buka di kantor jorong tiap Rabu pertama.", "kesehatan"),
]
OFFICERS = {"tujuah-koto-talago": "pengurus.talago", "sarilamak": "pengurus.sarilamak", "kubang": "pengurus.kubang",
            "mungo": "pengurus.mungo"}
MEMBERS = {"tujuah-koto-talago": "anggota.talago", "sarilamak": "anggota.sarilamak", "mungo": "anggota.mungo",
           "kubang": "anggota.talago"}
ACTIVITIES = [("pleno", "Diskusi pleno bersama penyuluh pertanian", "Penyuluh BPP Guguak"),
              ("kerja_bakti", "Kerja bakti membersihkan bandar", ""),
              ("pelatihan", "Pelatihan menulis berita nagari", "Diskominfo Lima Puluh Kota"),
              ("kunjungan_usaha", "Kunjungan ke usaha tenun", "")]


def write_demo_history(by_slug, started):
    """Weeks of work by the KIMs that have people: posts shared along chains, read, passed on or
    declined, checked and disseminated, offline activities, and one hoaks flag."""
    import random

    from .kims.activities import record_activity
    from .posts import service as posts
    from .reading.timeline import set_read
    from .sharing import review
    from .sharing import service as sharing
    rng = random.Random(2026)
    base = current_app.config["HUB_DEMO_BASE_URL"]
    people = {local: db.session.scalar(select(User).where(User.email == email(local))) for local, _n, _r in PEOPLE}
    active = list(OFFICERS)
    tz = current_app.config["HUB_TIMEZONE"]
    from .monitoring.period import local_day
    for number, (slug, title, body, bidang) in enumerate(HISTORY_POSTS):
        at = started + timedelta(days=7 + number * 8, hours=rng.randint(1, 10))
        with clock_at(at):
            post = posts.create_post(by_slug[slug], actor=people[OFFICERS[slug]], title=title, body=body,
                                     bidang=bidang, publish=True, base_url=base)
            db.session.flush()
            others = [k for k in active if k != slug]
            to = rng.sample(others, 2) + rng.sample([k for k in by_slug if k not in active], 1)
            sent = sharing.share(post.item, by_slug[slug], to, actor=people[OFFICERS[slug]],
                                 note="Untuk diketahui warga").exchanges
            holders = {slug, *to}
        with clock_at(at + timedelta(hours=2)):
            review.disseminate(post.item, by_slug[slug], actor=people[MEMBERS[slug]], channel=rng.choice(
                ["whatsapp", "papan", "pertemuan"]), audience=rng.randint(30, 250))
        for exchange in sent:
            receiver = exchange.to_kim.slug
            if receiver not in active:
                continue
            with clock_at(at + timedelta(hours=rng.randint(3, 40))):
                sharing.mark_seen(exchange, people[OFFICERS[receiver]])
                set_read(people[MEMBERS[receiver]], post.item)
            with clock_at(at + timedelta(hours=rng.randint(41, 60))):
                if number % 4 == 3:
                    sharing.decline(exchange, "Sudah diumumkan di nagari kami", actor=people[OFFICERS[receiver]])
                    continue
                review.record_check(post.item, by_slug[receiver], actor=people[OFFICERS[receiver]],
                                    note="Dicek ke sumbernya")
                target = rng.choice([k for k in by_slug if k not in holders])
                holders.add(target)
                sharing.pass_on(exchange, [target], actor=people[OFFICERS[receiver]], note="Diteruskan")
                review.disseminate(post.item, by_slug[receiver], actor=people[OFFICERS[receiver]],
                                   channel="whatsapp", audience=rng.randint(20, 120))
        if number == 5:
            with clock_at(at + timedelta(days=3)):
                review.flag(post.item, by_slug["mungo"], actor=people["pengurus.mungo"], kind="misleading",
                            reason="Tanggal kegiatan keliru; sudah dikonfirmasi ke puskesmas")
    for number, slug in enumerate(active * 3):
        kind, title, person = ACTIVITIES[number % len(ACTIVITIES)]
        at = started + timedelta(days=10 + number * 6)
        with clock_at(at + timedelta(days=1)):
            record_activity(by_slug[slug], actor=people[OFFICERS[slug]], held_on=local_day(at, tz), kind=kind,
                            title=title, participants=rng.randint(8, 40), resource_person=person,
                            notes="Dicatat oleh pengurus.", upload_dir=None)
    db.session.flush()


# kecamatan -> demo feeds its KIMs follow (besides those every KIM follows)
FEEDS_BY_KECAMATAN = {"Guguak": ["pertanian"], "Harau": ["bpbd", "kesehatan"], "Luak": ["pertanian", "kesehatan"]}
FEEDS_FOR_ALL = ["diskominfo", "kabar-luak"]
EXTRA_FEEDS = {"tujuah-koto-talago": ["kim-tujuah-koto", "kesehatan", "bpbd"], "sarilamak": ["kim-tujuah-koto"]}


# (KIM, author, title, Markdown, bidang)
POSTS = [
    ("tujuah-koto-talago", "pengurus.talago", "Gotong royong membersihkan bandar irigasi",
     "Wali Nagari mengajak warga **Jorong Koto** bergotong royong membersihkan bandar irigasi, "
     "Minggu pukul 07.30 WIB.\n\n- Bawa cangkul dan parang\n- Kumpul di surau\n\n"
     "Informasi: kantor wali nagari.", "pertanian"),
    ("sarilamak", "pengurus.sarilamak", "Posyandu balita bulan ini",
     "Posyandu Melati buka **Selasa** pukul 09.00 WIB di kantor jorong. Balita ditimbang dan "
     "mendapat vitamin A.", "kesehatan"),
    ("mungo", "pengurus.mungo", "Pelatihan pembuatan pupuk kompos",
     "Kelompok tani Nagari Mungo mengadakan pelatihan kompos dari limbah kandang, Kamis pagi.", "pertanian"),
]


def write_demo_posts(by_slug):
    """A few posts, checked, disseminated and shared along a chain, so every page has something."""
    from .posts import service as posts
    from .sharing import review
    from .sharing import service as sharing
    base = current_app.config["HUB_DEMO_BASE_URL"]
    people = {local: db.session.scalar(select(User).where(User.email == email(local))) for local, _n, _r in PEOPLE}
    written = []
    for slug, author, title, body, bidang in POSTS:
        written.append(posts.create_post(by_slug[slug], actor=people[author], title=title, body=body, bidang=bidang,
                                         publish=True, base_url=base))
    irigasi, posyandu = written[0], written[1]
    review.record_check(irigasi.item, by_slug["tujuah-koto-talago"], actor=people["pengurus.talago"],
                        note="Dikonfirmasi langsung dengan Wali Nagari.")
    review.disseminate(irigasi.item, by_slug["tujuah-koto-talago"], actor=people["anggota.talago"],
                       channel="whatsapp", audience=120, note="Grup WhatsApp Jorong Koto")
    first = sharing.share(irigasi.item, by_slug["tujuah-koto-talago"], ["sarilamak", "kubang"],
                          actor=people["pengurus.talago"], note="Contoh gotong royong untuk nagari lain").exchanges
    sharing.pass_on(next(e for e in first if e.to_kim.slug == "sarilamak"), ["mungo"],
                    actor=people["pengurus.sarilamak"], note="Bisa ditiru di Mungo")
    sharing.share(posyandu.item, by_slug["sarilamak"], {"kecamatan": "Harau"}, actor=people["pengurus.sarilamak"],
                  note="Jadwal posyandu se-Harau")


# the fixed-date national holidays (the moving ones the admin adds each year)
DEMO_HOLIDAYS = [((1, 1), "Tahun Baru Masehi"), ((5, 1), "Hari Buruh Internasional"), ((6, 1), "Hari Lahir Pancasila"),
                 ((8, 17), "Hari Kemerdekaan RI"), ((12, 25), "Hari Raya Natal")]
DEMO_OFFICES = [("Dinas Pekerjaan Umum dan Penataan Ruang", "dinas"), ("Dinas Pertanian", "dinas"),
                ("Dinas Kesehatan", "dinas"), ("Wali Nagari Tujuah Koto Talago", "nagari")]
# (KIM, days ago, category, title, text, steps the officers took)
DEMO_ASPIRATIONS = [
    ("tujuah-koto-talago", 12, "infrastruktur", "Jembatan gantung Jorong Koto rusak",
     "Papan jembatan gantung ke sawah sudah lapuk; anak sekolah melintas setiap pagi.",
     [("verified", "Dicek ke lokasi bersama wali jorong."), ("forwarded", "Diteruskan ke Dinas PUPR.")]),
    ("tujuah-koto-talago", 9, "pertanian", "Pupuk bersubsidi terlambat datang",
     "Kelompok tani belum menerima pupuk bersubsidi untuk musim tanam ini.", []),
    ("sarilamak", 3, "kesehatan", "Jadwal posyandu lansia",
     "Mohon posyandu lansia juga dibuka pada hari Sabtu.", [("verified", "")]),
]


def write_demo_aspirations(by_slug):
    """The admin's lists, and a few aspirations from the community: one forwarded, one waiting
    long past its deadline (late), one verified."""
    from .aspirasi import service as aspirasi
    from .models import AspirationOffice, Holiday
    year = utcnow().year
    for (month, day), name in DEMO_HOLIDAYS:
        for y in (year, year + 1):
            db.session.add(Holiday(day=date(y, month, day), name=name))
    for name, kind in DEMO_OFFICES:
        db.session.add(AspirationOffice(name=name, kind=kind))
    db.session.flush()
    office = db.session.scalar(select(AspirationOffice.id).order_by(AspirationOffice.id))
    aspirasi.ensure_categories()
    people = {slug: db.session.scalar(select(User).where(User.email == email(local)))
              for slug, local in OFFICERS.items()}
    for slug, days_ago, category, title, text, steps in DEMO_ASPIRATIONS:
        at = utcnow() - timedelta(days=days_ago)
        row = aspirasi.submit(by_slug[slug], {"name": "Warga " + by_slug[slug].nagari, "contact": "081200000000",
                                              "nagari": by_slug[slug].nagari, "category": category, "title": title,
                                              "text": text}, now=at)
        for n, (status, note) in enumerate(steps, start=1):
            aspirasi.take_step(row, status, actor=people[slug], note=note, forward_to=office,
                               now=at + timedelta(days=n))


def demo_feed_url(name):
    return f"{current_app.config['HUB_DEMO_BASE_URL']}demo/feeds/{name}.xml"


def subscribe_demo_feeds(by_slug):
    """Every demo KIM follows a few of the hub's own demo feeds (reachable with no internet)."""
    from .aggregation import service as aggregation
    from .demo_feeds import FEEDS, SUBSCRIPTIONS
    for slug, kim in by_slug.items():
        names = FEEDS_FOR_ALL + FEEDS_BY_KECAMATAN.get(kim.kecamatan, []) + EXTRA_FEEDS.get(slug, [])
        for name in dict.fromkeys(names):
            title, kind, _every, _stories = FEEDS[name]
            aggregation.subscribe(kim, demo_feed_url(name), bidang=SUBSCRIPTIONS[name], kind=kind, title=title)


def repoint_demo_feeds():
    """After a change of port, move the demo's sources to where the hub now serves its feeds."""
    from .models import Source
    moved = 0
    for source in db.session.scalars(select(Source).where(Source.url.like("%/demo/feeds/%.xml"))):
        name = source.url.rsplit("/", 1)[1][:-4]
        url = demo_feed_url(name)
        if source.url != url and db.session.scalar(select(Source.id).where(Source.url == url)) is None:
            source.url, source.error_count, source.next_check_at = url, 0, source.created_at
            moved += 1
    db.session.commit()
    return moved


def describe(roles) -> str:
    parts = []
    for role in roles:
        if role[0] == "admin":
            parts.append("admin")
        elif role[0] == "coord":
            parts.append(f"koordinator {'kabupaten' if role[1] is None else 'kecamatan ' + role[1]}")
        else:
            parts.append(f"{role[2]} {role[1]}")
    return ", ".join(parts)


def print_logins(echo):
    echo(f"Demo logins (password for all: {PASSWORD}):")
    for local, _name, roles in PEOPLE:
        echo(f"  {email(local):45} {describe(roles)}")
