"""Reach of an announcement: of an item and of a source over a period; sending it on from the
coordinator's office to the KIMs it never reached."""
from datetime import datetime, timezone

from hub.aggregation import service as aggregation
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Event, Exchange, clock_at
from hub.reading.timeline import set_read
from hub.sharing import review
from hub.sharing import service as sharing
from tests.factories import login, make_kim, make_user, post
from tests.reading_world import add_items

from .history import MID, MONTH, history, user  # noqa: F401  (fixture)
from .test_measures import token


def by_slug(rows):
    return {r["slug"]: r for r in rows}


def test_reach_of_an_item(app, history):
    client = app.test_client()
    body = client.get("/api/v1/monitor/reach", query_string={"item": history.p1},
                      headers=token(client, "kab@example.id")).get_json()
    rows = by_slug(body["kims"])
    assert rows["a"]["holds"] and rows["a"]["how"] == "author" and rows["a"]["seen"]
    assert rows["a"]["disseminated_at"] == MID.isoformat()
    assert rows["b"]["holds"] and rows["b"]["how"] == "received" and rows["b"]["seen"]
    assert rows["b"]["disseminated_at"] is None
    assert rows["c"]["holds"] and rows["c"]["seen"]  # opened, then declined
    assert rows["d"]["holds"] and not rows["d"]["seen"]  # passed on to it, never opened
    assert not rows["e"]["holds"] and not rows["e"]["seen"] and rows["e"]["disseminated_at"] is None
    # a kecamatan coordinator sees the KIMs of their kecamatan only
    rows = by_slug(client.get("/api/v1/monitor/reach", query_string={"item": history.p1},
                              headers=token(client, "har@example.id")).get_json()["kims"])
    assert sorted(rows) == ["c", "d"]


def test_send_on_from_the_office_to_kims_never_reached(app, history):
    make_kim(app, "f", name="KIM F", kecamatan="Luak")
    client = app.test_client()
    login(client, "kab@example.id")
    page = client.get("/pantau/jangkauan", query_string={"item": history.p1}).get_data(as_text=True)
    never = page.split("send-on")[1]
    assert 'value="e"' in never and 'value="f"' in never and 'value="a"' not in never
    response = post(client, "/pantau/jangkauan/kirim", {"item": history.p1, "to": ["e", "f"],
                                                        "note": "Mohon diteruskan"})
    assert response.status_code == 302
    with app.app_context():
        sent = db.session.scalars(db.select(Exchange).where(Exchange.item_id == history.p1,
                                                            Exchange.from_kim_id.is_(None))).all()
        assert sorted(e.to_kim.slug for e in sent) == ["e", "f"]
        assert all(e.from_office and "Lima Puluh Kota" in e.from_office and e.note == "Mohon diteruskan"
                   for e in sent)
        # the office's sends count for no KIM's own activity, but as received by the KIM
        assert db.session.scalar(db.select(Event.kim_id).where(Event.verb == "exchange.sent",
                                                               Event.object_id == sent[0].id)) is None
        # it is flagged: the new holders are warned too
        from hub.models import FlagWarning
        warned = set(db.session.scalars(db.select(FlagWarning.kim_id)))
        assert {get_kim("e").id, get_kim("f").id} <= warned
    # E's officer sees it in the inbox, from the office, and can pass it on
    e1 = app.test_client()
    login(e1, "e1@example.id")
    inbox = e1.get("/kim/e/inbox").get_data(as_text=True)
    assert "Koordinator" in inbox or "Coordinator" in inbox
    api = e1.get("/api/v1/kims/e/inbox", headers=token(e1, "e1@example.id")).get_json()["exchanges"][0]
    assert api["from_kim"] is None and api["from_office"]
    response = e1.patch(f"/api/v1/exchanges/{api['id']}", headers=token(e1, "e1@example.id"),
                        json={"status": "passed_on", "to": ["d"]})
    assert response.status_code == 409  # D has it already
    # sending again skips, and a KIM outside the scope is refused
    again = post(client, "/pantau/jangkauan/kirim", {"item": history.p1, "to": ["e"]}, follow_redirects=True)
    assert again.status_code == 200
    guguak = app.test_client()
    login(guguak, "gug@example.id")
    assert post(guguak, "/pantau/jangkauan/kirim", {"item": history.p1, "to": ["f"]}).status_code == 403
    member = app.test_client()
    login(member, "a1@example.id")
    assert post(member, "/pantau/jangkauan/kirim", {"item": history.p1, "to": ["f"]}).status_code == 403


def test_reach_of_a_source_over_a_period(app):
    """Diskominfo publishes three items in November and one in October; X follows it, Y got one
    of its items by share and disseminated it, Z never got any."""
    for slug in ("x", "y", "z"):
        make_kim(app, slug, name=f"KIM {slug.upper()}", kecamatan="Guguak")
        make_user(app, f"{slug}@example.id", kim=slug, role="pengurus")
    make_user(app, "kab@example.id", coordinator="kabupaten")
    with app.app_context():
        source_id = aggregation.subscribe(get_kim("x"), "https://diskominfo.example.id/rss", kind="pemerintah",
                                          title="Diskominfo").source_id
        db.session.commit()
    # T0 is 20 Nov 2026 12:00 UTC; -30 days lies in October
    add_items(app, source_id, [("Satu", "a", 0), ("Dua", "b", 60), ("Tiga", "c", 120), ("Lama", "d", -30 * 24 * 60)])
    with app.app_context():
        from hub.models import Item
        one = db.session.scalar(db.select(Item).where(Item.title == "Satu"))
        with clock_at(datetime(2026, 11, 21, tzinfo=timezone.utc)):
            sharing.share(one, get_kim("x"), ["y"], actor=user("x@example.id"))
            set_read(user("x@example.id"), one)
            review.record_check(one, get_kim("y"), actor=user("y@example.id"), note="Sesuai")
        with clock_at(datetime(2026, 11, 22, tzinfo=timezone.utc)):
            review.disseminate(one, get_kim("y"), actor=user("y@example.id"), channel="radio", audience=500)
        db.session.commit()
    client = app.test_client()
    body = client.get("/api/v1/monitor/reach", query_string=dict(MONTH, source=source_id),
                      headers=token(client, "kab@example.id")).get_json()
    assert body["items"] == 3
    rows = by_slug(body["kims"])
    assert rows["x"]["holds"] and rows["x"]["how"] == "subscribed" and rows["x"]["items_held"] == 3
    assert rows["x"]["seen"] and rows["x"]["items_seen"] == 1 and rows["x"]["disseminated_at"] is None
    assert rows["y"]["holds"] and rows["y"]["how"] == "received" and rows["y"]["items_held"] == 1
    assert rows["y"]["disseminated_at"] == "2026-11-22T00:00:00+00:00" and rows["y"]["audience"] == 500
    assert not rows["z"]["holds"] and rows["z"]["items_held"] == 0
    login(client, "kab@example.id")
    page = client.get("/pantau/jangkauan", query_string=dict(MONTH, source=source_id, period="range"))
    assert page.status_code == 200 and "KIM Z" in page.get_data(as_text=True).split("send-on")[0]


