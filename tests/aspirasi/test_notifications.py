"""Notifications (issue 12): who is told of what, once per happening whatever the retries, and
the bell, its page and the API."""
from datetime import date, datetime, timezone

from hub.aspirasi import discussion, notifications
from hub.aspirasi import service as aspirasi
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import AspirationCategory, Notification
from hub.sharing import review
from hub.sharing import service as sharing
from tests.factories import csrf_token, login, make_kim, make_user
from tests.sharing.test_exchanges import item, user


def told(email, kind=None):
    stmt = db.select(Notification).where(Notification.user_id == user(email).id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return db.session.scalars(stmt.order_by(Notification.id)).all()


def test_who_is_told_of_what_once(app, world):
    make_kim(app, "taram", kecamatan="Harau")
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "sari@example.id", kim="sarilamak", role="pengurus")
    make_user(app, "tari@example.id", kim="taram")
    with app.app_context():
        gambir, talago, sarilamak = item("Harga gambir naik"), get_kim("talago"), get_kim("sarilamak")
        exchange = sharing.share(gambir, talago, ["sarilamak"], actor=user("dedi@example.id")).exchanges[0]
        db.session.commit()
        assert [n.link for n in told("fitri@example.id", "exchange")] == [f"/exchange/{exchange.id}"]
        assert len(told("sari@example.id", "exchange")) == 1 and told("dedi@example.id") == []  # not the sharer
        # created once, whatever the retries
        again = notifications.notify(notifications.members_of([sarilamak.id]), "exchange", f"exchange:{exchange.id}",
                                     link="/elsewhere")
        db.session.commit()
        assert again == 2 and len(told("fitri@example.id", "exchange")) == 1
        assert told("fitri@example.id", "exchange")[0].link == f"/exchange/{exchange.id}"
        # a hoaks flag tells every KIM it passed through, not the flagging one
        review.flag(gambir, talago, actor=user("rina@example.id"), kind="hoaks", reason="Harga turun")
        db.session.commit()
        assert len(told("fitri@example.id", "warning")) == 1 and told("dedi@example.id", "warning") == []
        # a KIM that holds it by following its source is told as well (not only those it passed through)
        tarantang = make_kim(app, "tarantang", kecamatan="Harau")
        make_user(app, "tono@example.id", kim="tarantang")
        from hub.aggregation import service as aggregation
        aggregation.subscribe(get_kim("tarantang"), gambir.source.url)
        review.flag(gambir, get_kim("sarilamak"), actor=user("sari@example.id"), kind="misleading", reason="Judul")
        db.session.commit()
        assert len(told("tono@example.id", "warning")) == 1 and tarantang
        # a mention tells the KIM named; a reply tells whoever started the thread
        first, _m = discussion.add_comment(gambir, sarilamak, actor=user("fitri@example.id"), body="Benar, @talago?")
        discussion.add_comment(gambir, talago, actor=user("dedi@example.id"), body="Ya.", parent=first)
        db.session.commit()
        assert len(told("dedi@example.id", "mention")) == 1 and len(told("rina@example.id", "mention")) == 1
        assert len(told("fitri@example.id", "reply")) == 1 and told("dedi@example.id", "reply") == []
        assert told("tari@example.id") == []  # Taram was in none of it


def test_officers_hear_of_aspirations_and_of_lateness_once(app, world):
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    with app.app_context():
        db.session.merge(AspirationCategory(code="infrastruktur", label="Infrastruktur", active=True))
        row = aspirasi.submit(get_kim("talago"), {"title": "Jembatan rusak", "text": "Lapuk",
                                                  "category": "infrastruktur"},
                              now=datetime(2026, 12, 1, 2, tzinfo=timezone.utc))  # forward by 4 December
        db.session.commit()
        assert len(told("rina@example.id", "aspiration")) == 1 and told("dedi@example.id") == []  # officers only
        assert notifications.remind_late(date(2026, 12, 4)) == 0  # not late yet
        notifications.remind_late(date(2026, 12, 7))
        notifications.remind_late(date(2026, 12, 8))  # run again: nothing new
        db.session.commit()
        assert len(told("rina@example.id", "aspiration_late")) == 1
        assert row.status == "submitted"


def test_the_bell_its_page_and_the_api(app, world):
    with app.app_context():
        sharing.share(item("Waspada longsor"), get_kim("sarilamak"), ["talago"], actor=user("fitri@example.id"))
        db.session.commit()
        note_id = told("dedi@example.id")[0].id
    dedi = app.test_client()
    login(dedi, "dedi@example.id")
    home = dedi.get("/linimasa").get_data(as_text=True)
    assert 'aria-label="Notifikasi (1)"' in home
    page = dedi.get("/notifikasi").get_data(as_text=True)
    assert "KIM sarilamak membagikan: Waspada longsor" in page
    opened = dedi.get(f"/notifikasi/{note_id}")
    assert opened.status_code == 302 and opened.headers["Location"].startswith("/exchange/")
    assert 'aria-label="Notifikasi"' in dedi.get("/linimasa").get_data(as_text=True)  # read: no count
    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    assert fitri.get(f"/notifikasi/{note_id}").status_code == 404  # another person's
    token = dedi.post("/api/v1/tokens", json={"email": "dedi@example.id", "password": "rahasia-123"}).get_json()
    auth = {"Authorization": f"Bearer {token['token']}"}
    listed = dedi.get("/api/v1/notifications", headers=auth).get_json()
    assert listed["unread"] == 0 and listed["notifications"][0]["kind"] == "exchange"
    with app.app_context():
        db.session.execute(db.update(Notification).values(read_at=None))
        db.session.commit()
    assert dedi.post("/api/v1/notifications/read", headers=auth, json={"ids": [note_id]}).get_json() == {
        "marked": 1, "unread": 0}
    assert dedi.post("/api/v1/notifications/read", headers=auth, json={"ids": "semua"}).status_code == 422
    token_page = csrf_token(dedi, "/notifikasi")
    assert dedi.post("/notifikasi/baca", data={"csrf_token": token_page}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                                 .where(Notification.read_at.is_(None))) == 0
