"""Aspirations in the service (issue 12): submitting, the limits, the lifecycle with its people
and notes, the deadlines, and a tracking view with nothing personal in it."""
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from hub.aspirasi import service
from hub.errors import Conflict, Forbidden, Invalid, NotFound, Throttled
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import AspirationCategory, AspirationOffice, Event, Holiday, User
from tests.factories import make_kim, make_user

# Wednesday 23 December 2026, 09:00 WIB; 24 and 25 December are holidays
MONDAY_NOON = datetime(2026, 12, 23, 2, 0, tzinfo=timezone.utc)
FORM = {"name": "Yusuf", "contact": "+62 812-3456-7890", "nagari": "Jorong Koto Tuo", "category": "infrastruktur",
        "title": "Jembatan gantung rusak", "text": "Papan jembatan ke sawah lapuk, anak sekolah lewat setiap hari."}


@pytest.fixture
def kim(app):
    make_kim(app, "talago")
    make_kim(app, "taram", kecamatan="Harau")
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "dedi@example.id", kim="talago")
    make_user(app, "tari@example.id", kim="taram", role="pengurus")
    with app.app_context():
        db.session.add_all([Holiday(day=date(2026, 12, 24), name="Cuti bersama Natal"),
                            Holiday(day=date(2026, 12, 25), name="Natal"),
                            AspirationOffice(name="Dinas PUPR", kind="dinas")])
        # the migration's list; a test database is emptied between tests
        db.session.merge(AspirationCategory(code="infrastruktur", label="Infrastruktur", active=True))
        db.session.commit()


def person(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def test_a_submission_gets_a_code_its_deadlines_and_a_first_step(app, kim):
    with app.app_context():
        row = service.submit(get_kim("talago"), FORM, ip="10.1.2.3", now=MONDAY_NOON)
        db.session.commit()
        assert len(row.code) == 10 and set(row.code) <= set(service.CODE_ALPHABET)
        assert row.contact == "081234567890" and row.contact_hash and row.ip_hash not in ("", "10.1.2.3")
        assert (row.forward_due, row.answer_due) == (date(2026, 12, 30), date(2027, 1, 6))
        assert [s.status for s in row.steps] == ["submitted"]
        assert db.session.scalar(db.select(Event.activity).where(Event.verb == "aspiration.submitted")) == "aspirasi"


@pytest.mark.parametrize("field, value", [("title", ""), ("text", "  "), ("category", "cuaca"),
                                          ("contact", "rumah pak wali"), ("title", "x" * 201)])
def test_bad_input_is_refused_by_field(app, kim, field, value):
    with app.app_context(), pytest.raises(Invalid) as refused:
        service.submit(get_kim("talago"), dict(FORM, **{field: value}), now=MONDAY_NOON)
    assert refused.value.field == field


def test_an_inactive_kim_takes_none(app, kim):
    with app.app_context():
        get_kim("taram").active = False
        with pytest.raises(NotFound):
            service.submit(get_kim("taram"), FORM, now=MONDAY_NOON)


def test_a_village_behind_one_address_gets_through_and_a_flood_does_not(app, kim):
    with app.app_context():
        talago = get_kim("talago")
        for n in range(20):  # twenty neighbours, one mobile address, within an hour
            service.submit(talago, dict(FORM, contact=f"08120000{n:04d}"), ip="10.9.9.9",
                           now=MONDAY_NOON + timedelta(minutes=n))
        db.session.commit()
        for n in range(20, service.PER_IP_HOUR):
            service.submit(talago, dict(FORM, contact=""), ip="10.9.9.9", now=MONDAY_NOON + timedelta(minutes=30))
        with pytest.raises(Throttled) as flood:
            service.submit(talago, dict(FORM, contact=""), ip="10.9.9.9", now=MONDAY_NOON + timedelta(minutes=31))
        assert 0 < flood.value.retry_after <= 3600
        # an hour after the first, the address may send again
        service.submit(talago, dict(FORM, contact=""), ip="10.9.9.9", now=MONDAY_NOON + timedelta(minutes=61))
        # one contact, from anywhere: a few an hour
        for n in range(service.PER_CONTACT_HOUR):
            service.submit(talago, FORM, ip=f"10.0.0.{n}", now=MONDAY_NOON + timedelta(hours=3, minutes=n))
        with pytest.raises(Throttled):
            service.submit(talago, dict(FORM, contact="0812 3456 7890"), ip="10.0.0.99",
                           now=MONDAY_NOON + timedelta(hours=3, minutes=10))


def test_the_lifecycle_with_its_people_notes_and_answer(app, kim):
    with app.app_context():
        talago = get_kim("talago")
        row = service.submit(talago, FORM, ip="10.1.2.3", now=MONDAY_NOON)
        rina, dedi, tari = person("rina@example.id"), person("dedi@example.id"), person("tari@example.id")
        office = db.session.scalar(db.select(AspirationOffice.id))
        for outsider in (dedi, tari):  # a member, another KIM's officer
            with pytest.raises(Forbidden):
                service.take_step(row, "verified", actor=outsider)
        with pytest.raises(Conflict):
            service.take_step(row, "answered", actor=rina, answer="x")
        service.take_step(row, "verified", actor=rina, note="Dicek ke lokasi", now=MONDAY_NOON + timedelta(hours=5))
        with pytest.raises(Invalid) as nowhere:
            service.take_step(row, "forwarded", actor=rina, forward_to=None)
        assert nowhere.value.field == "forward_to"
        monday = datetime(2026, 12, 28, 3, tzinfo=timezone.utc)
        service.take_step(row, "forwarded", actor=rina, forward_to=office, now=monday)
        assert row.answer_due == date(2027, 1, 4)  # 5 working days from then (1 January is not a holiday here)
        with pytest.raises(Invalid):
            service.take_step(row, "answered", actor=rina, answer="  ")
        service.take_step(row, "answered", actor=rina, answer="Perbaikan dijadwalkan Januari.", note="Dari Dinas PUPR")
        service.take_step(row, "closed", actor=rina)
        db.session.commit()
        assert [(s.status, s.by_user.name if s.by_user else None) for s in row.steps] == [
            ("submitted", None), ("verified", "rina"), ("forwarded", "rina"), ("answered", "rina"), ("closed", "rina")]
        assert row.forwarded_to.name == "Dinas PUPR" and row.closed_at is not None


def test_the_tracking_view_tells_nothing_personal_and_marks_lateness(app, kim):
    with app.app_context():
        row = service.submit(get_kim("talago"), FORM, ip="10.1.2.3", now=MONDAY_NOON)
        service.take_step(row, "verified", actor=person("rina@example.id"), note="Sudah dicek")
        db.session.commit()
        shown = service.public_view(row.code.lower(), today=date(2026, 12, 30))
        assert shown["status"] == "verified" and not shown["late"]
        assert [h["status"] for h in shown["history"]] == ["submitted", "verified"]
        text = json.dumps(shown, default=str)
        for private in ("Yusuf", "3456", "Koto Tuo", "rina", "10.1.2.3"):
            assert private not in text, private
        assert service.public_view(row.code, today=date(2026, 12, 31))["late"]  # not forwarded by the 30th
        with pytest.raises(NotFound):
            service.public_view("TIDAKADA00", today=date(2026, 12, 31))


def test_the_queue_puts_late_ones_first(app, kim):
    with app.app_context():
        talago = get_kim("talago")
        old = service.submit(talago, dict(FORM, title="Lama"), now=MONDAY_NOON - timedelta(days=20))
        new = service.submit(talago, dict(FORM, title="Baru", contact=""), now=MONDAY_NOON)
        done = service.submit(talago, dict(FORM, title="Selesai", contact=""), now=MONDAY_NOON - timedelta(days=30))
        service.take_step(done, "archived", actor=person("rina@example.id"))
        db.session.flush()
        today = date(2026, 12, 28)
        assert [a.title for a in db.session.scalars(service.queue(talago, today=today))] == ["Lama", "Selesai", "Baru"]
        assert [a.title for a in db.session.scalars(service.queue(talago, late_only=True, today=today))] == ["Lama"]
        assert [a.title for a in db.session.scalars(service.queue(talago, status="submitted"))] == ["Lama", "Baru"]
        assert new.status == "submitted" and old.status == "submitted"


def test_the_coordinators_counts(app, kim):
    """Received, handled in time and late per KIM, as the dashboard, report and API carry them."""
    from hub.aspirasi.service import by_category, counts
    with app.app_context():
        talago, rina = get_kim("talago"), person("rina@example.id")
        office = db.session.scalar(db.select(AspirationOffice.id))
        in_time = service.submit(talago, FORM, now=MONDAY_NOON)  # forward by 30 December
        service.take_step(in_time, "verified", actor=rina, now=MONDAY_NOON + timedelta(days=1))
        service.take_step(in_time, "forwarded", actor=rina, forward_to=office, now=MONDAY_NOON + timedelta(days=5))
        late = service.submit(talago, dict(FORM, contact=""), now=MONDAY_NOON)
        service.take_step(late, "verified", actor=rina, now=MONDAY_NOON + timedelta(days=1))
        service.take_step(late, "forwarded", actor=rina, forward_to=office, now=MONDAY_NOON + timedelta(days=9))
        waiting = service.submit(talago, dict(FORM, contact="", category="infrastruktur"), now=MONDAY_NOON)
        db.session.flush()
        start, end = MONDAY_NOON - timedelta(days=1), MONDAY_NOON + timedelta(days=1)
        got = counts(None, start, end, date(2026, 12, 29), "Asia/Jakarta")
        assert got == {talago.id: {"received": 3, "in_time": 1, "late": 1}}  # the waiting one is not late yet
        got = counts([talago.id], start, end, date(2026, 12, 31), "Asia/Jakarta")
        assert got[talago.id] == {"received": 3, "in_time": 1, "late": 2}  # now it is
        assert counts([get_kim("taram").id], start, end, date(2026, 12, 31), "Asia/Jakarta") == {}
        assert by_category(None, start, end) == [("Infrastruktur", 3)]
        assert waiting.status == "submitted"
