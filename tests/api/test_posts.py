"""Posts, checks, flags and disseminations over the API."""
from hub.extensions import db
from hub.models import Event, FlagWarning, Item, Post
from tests.api.test_sharing import bearer
from tests.factories import make_user


def test_post_check_disseminate_and_flag(app, world, client):
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "sari@example.id", kim="sarilamak", role="pengurus")
    dedi, rina, sari = (bearer(client, e) for e in ("dedi@example.id", "rina@example.id", "sari@example.id"))

    bad = client.post("/api/v1/kims/talago/posts", headers=dedi, json={"title": "", "body": "x"})
    assert bad.status_code == 422 and bad.get_json()["error"] == "Beri judul pada berita."
    assert client.post("/api/v1/kims/talago/posts", headers=dedi,
                       json={"title": "Judul", "status": "arsip"}).status_code == 422
    assert client.post("/api/v1/kims/talago/posts", headers=dedi, json={"title": 5}).status_code == 422
    assert client.post("/api/v1/kims/talago/posts", headers=sari, json={"title": "Bukan KIM saya"}).status_code == 403
    draft = client.post("/api/v1/kims/talago/posts", headers=dedi,
                        json={"title": "Usulan jadwal", "body": "Masih draf", "status": "draft"}).get_json()
    assert draft["status"] == "draft" and draft["item_id"] is None and draft["url"] is None
    created = client.post("/api/v1/kims/talago/posts", headers=dedi, json={
        "title": "Jadwal posyandu", "body": "Selasa **pagi**.", "bidang": "kesehatan"})
    assert created.status_code == 201
    news = created.get_json()
    assert news["status"] == "published" and news["guid"].startswith("tag:localhost,")
    assert news["url"] == f"http://localhost/berita/{news['id']}"

    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Harga gambir naik"))
    # members disseminate only after an officer's check
    early = client.post(f"/api/v1/items/{item_id}/disseminations", headers=dedi,
                        json={"kim": "talago", "channel": "whatsapp", "audience": 60})
    assert early.status_code == 409
    assert client.post(f"/api/v1/items/{item_id}/checks", headers=dedi,
                       json={"kim": "talago", "note": "Cek"}).status_code == 403
    assert client.post(f"/api/v1/items/{item_id}/checks", headers=rina,
                       json={"kim": "talago", "note": "Cek", "links": "https://a.example.id"}).status_code == 422
    check = client.post(f"/api/v1/items/{item_id}/checks", headers=rina,
                        json={"kim": "talago", "note": "Sama dengan papan harga pasar",
                              "links": ["https://pasar.example.id"]})
    assert check.status_code == 201 and check.get_json()["links"] == ["https://pasar.example.id"]
    spread = client.post(f"/api/v1/items/{item_id}/disseminations", headers=dedi,
                         json={"kim": "talago", "channel": "whatsapp", "audience": 60, "note": "Grup tani"})
    assert spread.status_code == 201 and spread.get_json()["audience"] == 60
    assert client.post(f"/api/v1/items/{item_id}/disseminations", headers=dedi,
                       json={"kim": "talago", "channel": "whatsapp", "audience": -1}).status_code == 422

    # Sarilamak receives it and flags it: Talago (which disseminated it) is warned
    client.post(f"/api/v1/items/{item_id}/shares", headers=dedi, json={"from_kim": "talago", "to": ["sarilamak"]})
    assert client.post(f"/api/v1/items/{item_id}/flags", headers=sari,
                       json={"kim": "sarilamak", "kind": "palsu", "reason": "x"}).status_code == 422
    flagged = client.post(f"/api/v1/items/{item_id}/flags", headers=sari,
                          json={"kim": "sarilamak", "kind": "misleading", "reason": "Harga sudah turun"})
    assert flagged.status_code == 201 and flagged.get_json()["warned"] == ["talago"]
    again = client.post(f"/api/v1/items/{item_id}/flags", headers=sari,
                        json={"kim": "sarilamak", "kind": "hoaks", "reason": "lagi"})
    assert again.status_code == 409
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(FlagWarning)) == 1
        assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 2
        verbs = set(db.session.scalars(db.select(Event.verb)))
        assert {"post.created", "post.published", "item.checked", "item.disseminated", "item.flagged"} <= verbs
