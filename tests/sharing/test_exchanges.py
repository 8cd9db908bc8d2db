"""Sharing between KIMs: exchanges, their statuses, pass-on chains, the inbox, the timeline mark."""
import pytest

from hub.errors import Conflict, Forbidden, Invalid
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Event, Exchange, Item, User
from hub.sharing import service
from tests.factories import login, make_kim, make_user, post


def user(email):
    return db.session.scalar(db.select(User).where(User.email == email))


def item(title):
    return db.session.scalar(db.select(Item).where(Item.title == title))


@pytest.fixture
def network(app, world):
    """Talago and Sarilamak from the reading world, plus Taram (Harau) and Mungo (Luak)."""
    make_kim(app, "taram", kecamatan="Harau")
    make_kim(app, "mungo", kecamatan="Luak")
    make_user(app, "tari@example.id", kim="taram")
    make_user(app, "hendra@example.id", kim="mungo")
    return world


def test_share_to_kims_and_duplicates_are_refused(app, network):
    with app.app_context():
        result = service.share(item("Harga gambir naik"), get_kim("talago"), ["sarilamak", "taram"],
                               actor=user("dedi@example.id"), note="Untuk petani gambir")
        db.session.commit()
        assert sorted(e.to_kim.slug for e in result.exchanges) == ["sarilamak", "taram"]
        assert all(e.status == "sent" and e.sent_at and e.note == "Untuk petani gambir" for e in result.exchanges)
        assert db.session.scalar(db.select(Event.activity).where(Event.verb == "exchange.sent")) == "networking"
        with pytest.raises(Conflict):
            service.share(item("Harga gambir naik"), get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id"))
        db.session.rollback()
        # a broadcast skips those who already have it
        again = service.share(item("Harga gambir naik"), get_kim("talago"), "network", actor=user("dedi@example.id"))
        assert [e.to_kim.slug for e in again.exchanges] == ["mungo"]
        assert sorted(k.slug for k in again.skipped) == ["sarilamak", "taram"]


def test_broadcast_to_a_kecamatan_makes_one_exchange_per_kim(app, network):
    with app.app_context():
        result = service.share(item("Tenun Kubang"), get_kim("talago"), {"kecamatan": "harau"},
                               actor=user("dedi@example.id"))
        assert sorted(e.to_kim.slug for e in result.exchanges) == ["sarilamak", "taram"]


def test_a_kim_cannot_act_for_another(app, network):
    with app.app_context():
        with pytest.raises(Forbidden):  # Fitri is not in Talago
            service.share(item("Tenun Kubang"), get_kim("talago"), ["taram"], actor=user("fitri@example.id"))
        with pytest.raises(Invalid):
            service.share(item("Tenun Kubang"), get_kim("talago"), ["tidak-ada"], actor=user("dedi@example.id"))
        with pytest.raises(Invalid):  # not to itself
            service.share(item("Tenun Kubang"), get_kim("talago"), ["talago"], actor=user("dedi@example.id"))


def test_status_transitions(app, network):
    with app.app_context():
        ex = service.share(item("Pupuk bersubsidi"), get_kim("talago"), ["sarilamak"],
                           actor=user("dedi@example.id")).exchanges[0]
        db.session.commit()
        with pytest.raises(Forbidden):  # only the receiving KIM changes the status
            service.mark_seen(ex, user("dedi@example.id"))
        service.mark_seen(ex, user("fitri@example.id"))
        assert ex.status == "seen" and ex.seen_at is not None
        with pytest.raises(Invalid):
            service.decline(ex, "", actor=user("fitri@example.id"))  # a reason is needed
        service.decline(ex, "Tidak relevan untuk nagari kami", actor=user("fitri@example.id"))
        assert ex.status == "declined" and ex.declined_at >= ex.seen_at
        for status in ("seen", "passed_on", "declined"):
            with pytest.raises(Invalid):
                service.set_status(ex, status, actor=user("fitri@example.id"), note="x", to=["taram"])


def test_pass_on_chain_and_tree(app, network):
    with app.app_context():
        first = service.share(item("Jadwal tanam padi"), get_kim("talago"), ["sarilamak"],
                              actor=user("dedi@example.id"), note="A ke B").exchanges[0]
        second = service.pass_on(first, ["taram"], actor=user("fitri@example.id"), note="B ke C").exchanges[0]
        third = service.pass_on(second, ["mungo"], actor=user("tari@example.id"), note="C ke D").exchanges[0]
        db.session.commit()
        assert first.status == "passed_on" and first.passed_on_at and first.seen_at
        assert (third.parent_id, second.parent_id) == (second.id, first.id)
        [root] = service.tree(item("Jadwal tanam padi"))
        path, node = [], root
        while node:
            path.append((node["exchange"].from_kim.slug, node["exchange"].to_kim.slug, node["exchange"].note))
            node = node["children"][0] if node["children"] else None
        assert path == [("talago", "sarilamak", "A ke B"), ("sarilamak", "taram", "B ke C"), ("taram", "mungo",
                                                                                              "C ke D")]
        # a receiver can pass on only what it received, and not back to someone who has it
        with pytest.raises(Conflict):
            service.pass_on(third, ["sarilamak"], actor=user("hendra@example.id"))


def test_shared_items_reach_the_timeline_with_a_mark(app, network):
    with app.app_context():
        service.share(item("Harga gambir naik"), get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id"),
                      note="Cek harga di pasar kita")
        db.session.commit()
    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    html = fitri.get("/linimasa").get_data(as_text=True)
    assert "Harga gambir naik" in html and "Waspada longsor" in html
    assert "Dibagikan oleh" in html and "KIM talago" in html and "Cek harga di pasar kita" in html
    only = fitri.get("/linimasa?shared=1").get_data(as_text=True)
    assert "Harga gambir naik" in only and "Waspada longsor" not in only
    with app.app_context():
        gambir_id = item("Harga gambir naik").id
    assert fitri.get(f"/item/{gambir_id}").status_code == 200  # readable now


def test_share_pass_on_through_the_pages(app, network):
    dedi = app.test_client()
    login(dedi, "dedi@example.id")
    with app.app_context():
        gambir_id = item("Harga gambir naik").id
    page = dedi.get(f"/item/{gambir_id}").get_data(as_text=True)
    assert 'id="bagikan"' in page
    response = post(dedi, f"/item/{gambir_id}/share", {"from_kim": "talago", "target": "kims", "kims": "sarilamak",
                                                        "note": "Penting"})
    assert response.status_code == 302
    again = post(dedi, f"/item/{gambir_id}/share", {"from_kim": "talago", "target": "kims", "kims": "sarilamak",
                                                     "note": "Catatan saya"}, follow_redirects=True)
    text = again.get_data(as_text=True)
    assert "Sudah dibagikan" in text and "Catatan saya" in text  # refused, the note is kept

    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    assert '<span class="count">1</span>' in fitri.get("/").get_data(as_text=True)  # unseen in the navigation
    inbox = fitri.get("/kim/sarilamak/inbox").get_data(as_text=True)
    assert "Harga gambir naik" in inbox and "Terkirim" in inbox
    with app.app_context():
        ex_id = db.session.scalar(db.select(Exchange.id))
    assert "Dibaca" in fitri.get(f"/exchange/{ex_id}").get_data(as_text=True)
    passed = post(fitri, f"/exchange/{ex_id}/pass-on", {"target": "kecamatan", "kecamatan": "Harau",
                                                        "note": "Ke Taram"})
    assert passed.status_code == 302
    history = dedi.get(f"/item/{gambir_id}").get_data(as_text=True)
    first, then = "KIM talago</strong> → <strong>KIM sarilamak", "KIM sarilamak</strong> → <strong>KIM taram"
    assert history.index(first) < history.index(then)
    assert "Ke Taram" in history and "Diteruskan" in history
