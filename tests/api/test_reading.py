"""Timeline, items, read state and bookmarks over the API."""
from hub.extensions import db
from hub.models import Item
from tests.factories import PASSWORD


def bearer(client, email):
    token = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_timeline_pages_filters_and_search(app, world, client):
    auth = bearer(client, "dedi@example.id")
    first = client.get("/api/v1/timeline?limit=2", headers=auth).get_json()
    assert first["kim"] == "talago" and [i["title"] for i in first["items"]] == ["Pupuk bersubsidi", "Tenun Kubang"]
    assert first["items"][0]["source"] == "Dinas Pertanian" and first["items"][0]["bidang"] == "pertanian"
    rest = client.get(f"/api/v1/timeline?limit=10&cursor={first['next_cursor']}", headers=auth).get_json()
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    media = client.get("/api/v1/timeline?kim=talago&kind=media", headers=auth).get_json()["items"]
    assert [i["title"] for i in media] == ["Tenun Kubang", "Festival Lembah Harau"]
    found = client.get("/api/v1/timeline?q=gambir", headers=auth).get_json()["items"]
    assert [i["title"] for i in found] == ["Harga gambir naik"] and "<mark>gambir</mark>" in found[0]["title_html"]
    assert client.get("/api/v1/timeline?cursor=rusak", headers=auth).status_code == 400
    assert client.get("/api/v1/timeline?kim=sarilamak", headers=auth).status_code == 403
    assert client.get("/api/v1/timeline?kim=tidak-ada", headers=auth).status_code == 404
    assert client.get("/api/v1/timeline").status_code == 401


def test_read_and_star(app, world, client):
    auth = bearer(client, "dedi@example.id")
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Tenun Kubang"))
        other = db.session.scalar(db.select(Item.id).where(Item.title == "Waspada longsor"))
    body = client.get(f"/api/v1/items/{item_id}", headers=auth).get_json()
    assert body["content"] == "<p>Perajin TENUN menerima pesanan padi motif</p>" and body["read"] is False
    assert client.put(f"/api/v1/items/{item_id}/read", headers=auth).status_code == 204
    assert client.put(f"/api/v1/items/{item_id}/star", headers=auth).status_code == 204
    body = client.get(f"/api/v1/items/{item_id}", headers=auth).get_json()
    assert body["read"] and body["starred"]
    starred = client.get("/api/v1/timeline?starred=1", headers=auth).get_json()["items"]
    assert [i["id"] for i in starred] == [item_id]
    unread = client.get("/api/v1/timeline?unread=1", headers=auth).get_json()["items"]
    assert item_id not in [i["id"] for i in unread]
    assert client.delete(f"/api/v1/items/{item_id}/read", headers=auth).status_code == 204
    assert client.delete(f"/api/v1/items/{item_id}/star", headers=auth).status_code == 204
    body = client.get(f"/api/v1/items/{item_id}", headers=auth).get_json()
    assert not body["read"] and not body["starred"]
    # another KIM's item is simply not there
    assert client.get(f"/api/v1/items/{other}", headers=auth).status_code == 404
    assert client.put(f"/api/v1/items/{other}/star", headers=auth).status_code == 404
