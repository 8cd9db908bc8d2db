"""Shares, inbox, status changes and the tree over the API."""
from hub.extensions import db
from hub.models import Item
from tests.factories import PASSWORD, make_kim, make_user


def bearer(client, email):
    token = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_share_inbox_status_and_tree(app, world, client):
    make_kim(app, "taram", kecamatan="Harau")
    make_user(app, "tari@example.id", kim="taram")
    dedi, fitri, tari = (bearer(client, e) for e in ("dedi@example.id", "fitri@example.id", "tari@example.id"))
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Harga gambir naik"))
    created = client.post(f"/api/v1/items/{item_id}/shares", headers=dedi,
                          json={"from_kim": "talago", "to": ["sarilamak"], "note": "Harga naik"})
    assert created.status_code == 201
    [ex] = created.get_json()["exchanges"]
    assert (ex["from_kim"], ex["to_kim"], ex["status"], ex["note"]) == ("talago", "sarilamak", "sent", "Harga naik")
    duplicate = client.post(f"/api/v1/items/{item_id}/shares", headers=dedi, json={"from_kim": "talago",
                                                                                   "to": ["sarilamak"]})
    assert duplicate.status_code == 409 and "Sudah dibagikan" in duplicate.get_json()["error"]
    # only the recipient changes the status
    assert client.patch(f"/api/v1/exchanges/{ex['id']}", headers=dedi, json={"status": "seen"}).status_code == 403
    seen = client.patch(f"/api/v1/exchanges/{ex['id']}", headers=fitri, json={"status": "seen"}).get_json()
    assert seen["status"] == "seen" and seen["seen_at"]
    assert client.patch(f"/api/v1/exchanges/{ex['id']}", headers=fitri, json={"status": "seen"}).status_code == 422
    inbox = client.get("/api/v1/kims/sarilamak/inbox?status=seen", headers=fitri).get_json()
    assert [e["id"] for e in inbox["exchanges"]] == [ex["id"]] and inbox["exchanges"][0]["title"] == "Harga gambir naik"
    assert client.get("/api/v1/kims/sarilamak/inbox", headers=dedi).status_code == 403
    passed = client.patch(f"/api/v1/exchanges/{ex['id']}", headers=fitri,
                          json={"status": "passed_on", "to": {"kecamatan": "Harau"}, "note": "Teruskan"})
    assert passed.get_json()["status"] == "passed_on"
    tree = client.get(f"/api/v1/items/{item_id}/exchanges", headers=tari).get_json()["tree"]
    assert tree[0]["to_kim"] == "sarilamak" and tree[0]["children"][0]["to_kim"] == "taram"
    assert tree[0]["children"][0]["note"] == "Teruskan"
    child = tree[0]["children"][0]["id"]
    declined = client.patch(f"/api/v1/exchanges/{child}", headers=tari, json={"status": "declined",
                                                                              "note": "Sudah ada"})
    assert declined.get_json()["decline_reason"] == "Sudah ada"
    bad = client.post(f"/api/v1/items/{item_id}/shares", headers=dedi, json={"from_kim": "talago", "to": 5})
    assert bad.status_code == 422
