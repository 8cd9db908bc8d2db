"""A known history around November 2026 (WIB), built through the services with the clock set,
with actions just inside and just outside both edges of the month."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest

from hub.aggregation import service as aggregation
from hub.extensions import db
from hub.kims.activities import record_activity
from hub.kims.service import get_kim
from hub.models import Post, User, clock_at
from hub.posts import service as posts
from hub.reading.timeline import set_read
from hub.sharing import review
from hub.sharing import service as sharing
from tests.factories import make_kim, make_user

UTC = timezone.utc
# November 2026 in WIB (UTC+7) is [31 Oct 17:00 UTC, 30 Nov 17:00 UTC)
BEFORE = datetime(2026, 10, 31, 16, 30, tzinfo=UTC)  # 31 Oct 23.30 WIB: outside
START = datetime(2026, 10, 31, 17, 30, tzinfo=UTC)  # 1 Nov 00.30 WIB: inside
MID = datetime(2026, 11, 15, 3, 0, tzinfo=UTC)
END_IN = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # 30 Nov 23.30 WIB: inside
AFTER = datetime(2026, 11, 30, 17, 30, tzinfo=UTC)  # 1 Dec 00.30 WIB: outside
MONTH = {"from": "2026-11-01", "to": "2026-11-30"}


def user(email):
    return db.session.scalar(db.select(User).where(User.email == email))


@dataclass
class History:
    p1: int
    p0: int


@pytest.fixture
def history(app):
    """KIMs A and B (Guguak), C and D (Harau), E (Luak). People: a1 (officer) and a2 (member) of
    A, b1 officer of B, c1 officer of C, e1 officer of E; coordinators of the kabupaten, of
    Guguak and of Harau; an admin."""
    for slug, kecamatan in (("a", "Guguak"), ("b", "Guguak"), ("c", "Harau"), ("d", "Harau"), ("e", "Luak")):
        make_kim(app, slug, name=f"KIM {slug.upper()}", kecamatan=kecamatan)
    make_user(app, "a1@example.id", kim="a", role="pengurus")
    make_user(app, "a2@example.id", kim="a")
    make_user(app, "b1@example.id", kim="b", role="pengurus")
    make_user(app, "c1@example.id", kim="c", role="pengurus")
    make_user(app, "e1@example.id", kim="e", role="pengurus")
    make_user(app, "kab@example.id", coordinator="kabupaten")
    make_user(app, "gug@example.id", coordinator="Guguak")
    make_user(app, "har@example.id", coordinator="Harau")
    make_user(app, "admin@example.id", admin=True)
    with app.app_context():
        A, B, C, E = (get_kim(s) for s in "abce")
        a1, a2, b1, c1, e1 = (user(f"{n}@example.id") for n in ("a1", "a2", "b1", "c1", "e1"))
        with clock_at(datetime(2026, 10, 11, 2, 0, tzinfo=UTC)):
            # E's only activity, long before the month
            record_activity(E, actor=e1, held_on=date(2026, 10, 10), kind="pelatihan", title="Pelatihan lama",
                            today=date(2026, 10, 11))
            # C follows a feed that never worked; A one that works
            bad = aggregation.subscribe(C, "https://rusak.example.id/rss", title="Rusak").source
            bad.error_count, bad.last_error_code = 5, "timeout"
            good = aggregation.subscribe(A, "https://baik.example.id/rss", title="Baik").source
            good.last_success_at = MID
        with clock_at(BEFORE):
            p0 = posts.create_post(A, actor=a1, title="P0", body="Sebelum", publish=True, base_url="http://h/")
        with clock_at(START):
            p1 = posts.create_post(A, actor=a1, title="P1", body="Awal bulan", publish=True, base_url="http://h/")
        db.session.flush()
        item = p1.item
        with clock_at(START + timedelta(hours=1)):
            to_b, to_c = sorted(sharing.share(item, A, ["b", "c"], actor=a1, note="Penting").exchanges,
                                key=lambda e: e.to_kim.slug)
        with clock_at(START + timedelta(hours=3)):
            sharing.mark_seen(to_b, b1)  # 2 hours after it was sent
        with clock_at(START + timedelta(hours=5)):
            sharing.pass_on(to_b, ["d"], actor=b1, note="Untuk D")
        with clock_at(MID):
            sharing.mark_seen(to_c, c1)  # 344.5 hours after it was sent
            sharing.decline(to_c, "Sudah ada", actor=c1)
            set_read(b1, item)
            set_read(a2, item)
            set_read(a2, item, False)
            set_read(a2, item, True)  # read again: still one (person, item) pair, one event
            review.record_check(item, A, actor=a1, note="Dicek")
            review.disseminate(item, A, actor=a2, channel="whatsapp", audience=100)
            record_activity(B, actor=b1, held_on=date(2026, 11, 30), kind="pleno", title="Pleno", participants=20,
                            today=date(2026, 11, 30))
            record_activity(B, actor=b1, held_on=date(2026, 10, 31), kind="kerja_bakti", title="Kerja bakti",
                            today=date(2026, 11, 30))
        with clock_at(MID + timedelta(hours=1)):
            sharing.share(item, C, {"kecamatan": "Guguak"}, actor=c1)  # B had it: only A gets one
        with clock_at(END_IN):
            review.flag(item, C, actor=c1, kind="hoaks", reason="Palsu")
            set_read(a2, db.session.get(Post, p0.id).item)
        with clock_at(AFTER):
            review.disseminate(db.session.get(Post, p0.id).item, A, actor=a2, channel="papan", audience=50)
            sharing.share(db.session.get(Post, p0.id).item, A, ["c"], actor=a1)
        db.session.commit()
        return History(p1=item.id, p0=db.session.get(Post, p0.id).item_id)


# What November 2026 must show, per KIM (measures the API names)
EXPECTED = {
    "a": {"members_active": 2, "posts": 1, "reads": 2, "shares_sent": 2, "shares_received": 1, "passed_on": 0,
          "declined": 0, "pass_on_rate": 0.0, "seen_median_hours": None, "checks": 1, "flags": 0,
          "disseminations": {"total": 1, "whatsapp": 1, "papan": 0, "pertemuan": 0, "radio": 0, "website": 0,
                             "lainnya": 0},
          "adinda": {"akses": 2, "diskusi": 1, "implementasi": 0, "networking": 2, "diseminasi": 3, "aspirasi": 0},
          "last_activity_at": "2026-11-30T16:30:00+00:00", "quiet": False},
    "b": {"members_active": 1, "posts": 0, "reads": 1, "shares_sent": 1, "shares_received": 1, "passed_on": 1,
          "declined": 0, "pass_on_rate": 1.0, "seen_median_hours": 2.0, "checks": 0, "flags": 0,
          "adinda": {"akses": 1, "diskusi": 0, "implementasi": 1, "networking": 3, "diseminasi": 0, "aspirasi": 0},
          "quiet": True},  # busy early in the month, then nothing for the last 15 days
    "c": {"members_active": 1, "posts": 0, "reads": 0, "shares_sent": 1, "shares_received": 1, "passed_on": 0,
          "declined": 1, "pass_on_rate": 0.0, "seen_median_hours": 344.5, "checks": 0, "flags": 1,
          "adinda": {"akses": 0, "diskusi": 1, "implementasi": 0, "networking": 3, "diseminasi": 0, "aspirasi": 0},
          "quiet": False},
    "d": {"members_active": 0, "posts": 0, "reads": 0, "shares_sent": 0, "shares_received": 1, "passed_on": 0,
          "declined": 0, "pass_on_rate": 0.0, "seen_median_hours": None, "checks": 0, "flags": 0,
          "adinda": {"akses": 0, "diskusi": 0, "implementasi": 0, "networking": 0, "diseminasi": 0, "aspirasi": 0},
          "last_activity_at": None, "quiet": True},
    "e": {"members_active": 0, "posts": 0, "reads": 0, "shares_sent": 0, "shares_received": 0, "passed_on": 0,
          "declined": 0, "pass_on_rate": None, "seen_median_hours": None, "checks": 0, "flags": 0,
          "adinda": {"akses": 0, "diskusi": 0, "implementasi": 0, "networking": 0, "diseminasi": 0, "aspirasi": 0},
          "last_activity_at": "2026-10-11T02:00:00+00:00", "quiet": True},
}
EDGES = [{"from": "a", "to": "b", "count": 1}, {"from": "a", "to": "c", "count": 1},
         {"from": "b", "to": "d", "count": 1}, {"from": "c", "to": "a", "count": 1}]
