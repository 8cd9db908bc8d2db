"""Diskusi (issue 12): who may comment and hide, replies one level deep, mentions, the
network-wide thread, and the page and API around them."""
import pytest

from hub.aspirasi import discussion
from hub.errors import Conflict, Forbidden, NotFound
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Event, Item
from hub.sharing import service as sharing
from tests.factories import csrf_token, login, make_kim, make_user
from tests.sharing.test_exchanges import item, user


@pytest.fixture
def shared(app, world):
    """Talago holds "Harga gambir naik" (it follows the source) and shared it with Sarilamak;
    Taram does not hold it."""
    make_kim(app, "taram", kecamatan="Harau")
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "tari@example.id", kim="taram")
    with app.app_context():
        gambir = item("Harga gambir naik")
        sharing.share(gambir, get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id"))
        db.session.commit()
        return gambir.id


def test_who_comments_replies_and_mentions(app, shared):
    with app.app_context():
        gambir, talago, sarilamak = db.session.get(Item, shared), get_kim("talago"), get_kim("sarilamak")
        first, mentions = discussion.add_comment(gambir, talago, actor=user("dedi@example.id"),
                                                 body="Sudah dicek ke pasar? @sarilamak @talago @tidak-ada")
        assert [k.slug for k in mentions] == ["sarilamak"]  # itself and unknown names left out
        reply, _m = discussion.add_comment(gambir, sarilamak, actor=user("fitri@example.id"), body="Sudah.",
                                           parent=first)
        deeper, _m = discussion.add_comment(gambir, talago, actor=user("dedi@example.id"), body="Terima kasih.",
                                            parent=reply)
        assert reply.parent_id == first.id and deeper.parent_id == first.id  # one level deep
        with pytest.raises(NotFound):  # Taram does not hold the item
            discussion.add_comment(gambir, get_kim("taram"), actor=user("tari@example.id"), body="Boleh ikut?")
        with pytest.raises(Forbidden):  # nobody writes for a KIM they are not in
            discussion.add_comment(gambir, talago, actor=user("fitri@example.id"), body="Atas nama Talago")
        db.session.commit()
        assert [(c.body, [r.body for r in replies]) for c, replies in discussion.thread(gambir)] == [
            ("Sudah dicek ke pasar? @sarilamak @talago @tidak-ada", ["Sudah.", "Terima kasih."])]
        assert db.session.scalar(db.select(db.func.count()).select_from(Event).where(
            Event.verb == "comment.created", Event.activity == "diskusi")) == 3


def test_officers_hide_with_a_reason(app, shared):
    with app.app_context():
        gambir = db.session.get(Item, shared)
        row, _m = discussion.add_comment(gambir, get_kim("talago"), actor=user("dedi@example.id"), body="Kata kasar")
        with pytest.raises(Forbidden):  # a member, and another KIM's member
            discussion.hide(row, actor=user("dedi@example.id"), reason="x")
        with pytest.raises(Forbidden):
            discussion.hide(row, actor=user("fitri@example.id"), reason="x")
        discussion.hide(row, actor=user("rina@example.id"), reason="Bahasa tidak pantas")
        with pytest.raises(Conflict):
            discussion.hide(row, actor=user("rina@example.id"), reason="lagi")
        db.session.commit()
        comment_id = row.id
    # the other KIM that holds the item reads the thread: the hidden comment without its words
    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    page = fitri.get(f"/item/{shared}?keep=unread").get_data(as_text=True)
    assert f'id="komentar-{comment_id}"' in page and "Bahasa tidak pantas" in page
    token = fitri.post("/api/v1/tokens", json={"email": "fitri@example.id", "password": "rahasia-123"}).get_json()
    shown = fitri.get(f"/api/v1/items/{shared}/comments",
                      headers={"Authorization": f"Bearer {token['token']}"}).get_json()["comments"][0]
    assert shown["hidden"] is True and shown["body"] is None and shown["hidden_reason"] == "Bahasa tidak pantas"


def test_the_page_and_the_api(app, shared):
    dedi = app.test_client()
    login(dedi, "dedi@example.id")
    url = f"/item/{shared}?keep=unread"
    token = csrf_token(dedi, url)
    empty = dedi.post(f"/item/{shared}/komentar", data={"csrf_token": token, "kim": "talago", "body": "  "})
    assert empty.status_code == 422 and "Tulis sesuatu dahulu." in empty.get_data(as_text=True)
    long = "Panjang " * 300
    too_long = dedi.post(f"/item/{shared}/komentar", data={"csrf_token": token, "kim": "talago", "body": long})
    assert too_long.status_code == 422 and long.strip() in too_long.get_data(as_text=True)  # kept
    done = dedi.post(f"/item/{shared}/komentar", data={"csrf_token": token, "kim": "talago",
                                                       "body": "Harga di pasar Sarilamak turun @sarilamak"})
    assert done.status_code == 302 and "#komentar-" in done.headers["Location"]
    assert "Harga di pasar Sarilamak turun" in dedi.get(url).get_data(as_text=True)
    api = app.test_client()
    key = api.post("/api/v1/tokens", json={"email": "fitri@example.id", "password": "rahasia-123"}).get_json()["token"]
    auth = {"Authorization": f"Bearer {key}"}
    first = api.get(f"/api/v1/items/{shared}/comments", headers=auth).get_json()["comments"][0]
    answer = api.post(f"/api/v1/items/{shared}/comments", headers=auth,
                      json={"kim": "sarilamak", "body": "Benar, @talago", "parent_id": first["id"]})
    assert answer.status_code == 201 and answer.get_json()["mentioned"] == ["talago"]
    assert answer.get_json()["parent_id"] == first["id"]
    assert api.post(f"/api/v1/items/{shared}/comments", headers=auth,
                    json={"kim": "talago", "body": "x"}).status_code == 403
    assert api.post(f"/api/v1/items/{shared}/comments", headers=auth, json={"kim": "sarilamak"}).status_code == 422
