"""Subscriptions and source health over the API."""
import pytest

from hub.extensions import db
from hub.models import Subscription
from tests.aggregation.feeds import numbered, rss
from tests.aggregation.helpers import refresh
from tests.conftest import CORPUS
from tests.factories import PASSWORD, make_kim, make_user


@pytest.fixture
def auth(app):
    make_kim(app)
    make_user(app, "rina@example.id", kim="tujuah-koto-talago", role="pengurus")
    token = app.test_client().post("/api/v1/tokens", json={"email": "rina@example.id",
                                                           "password": PASSWORD}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def test_subscribe_list_health_and_delete(app, client, auth, httpserver):
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(3), title="Dinas Kesehatan"))
    response = client.post("/api/v1/kims/tujuah-koto-talago/subscriptions", headers=auth,
                           json={"url": httpserver.url_for("/feed"), "bidang": "kesehatan", "kind": "pemerintah"})
    assert response.status_code == 201
    body = response.get_json()
    assert body["bidang"] == "kesehatan" and body["kim"] == "tujuah-koto-talago"
    assert body["source"]["url"] == httpserver.url_for("/feed") and body["source"]["title"] == "Dinas Kesehatan"
    assert body["source"]["kind"] == "pemerintah"
    duplicate = client.post("/api/v1/kims/tujuah-koto-talago/subscriptions", headers=auth,
                            json={"url": httpserver.url_for("/feed"), "bidang": "kesehatan"})
    assert duplicate.status_code == 409 and duplicate.get_json()["error"] == "KIM ini sudah mengikuti umpan itu."
    refresh(app)
    listing = client.get("/api/v1/kims/tujuah-koto-talago/subscriptions", headers=auth).get_json()["subscriptions"]
    assert len(listing) == 1 and listing[0]["source"]["health"]["last_status"] == 200
    health = client.get(f"/api/v1/sources/{body['source']['id']}", headers=auth).get_json()
    assert health["health"]["error_count"] == 0 and health["health"]["last_success_at"]
    assert client.delete(f"/api/v1/kims/tujuah-koto-talago/subscriptions/{body['id']}", headers=auth).status_code == 204
    assert client.get("/api/v1/kims/tujuah-koto-talago/subscriptions", headers=auth).get_json()["subscriptions"] == []
    assert client.delete(f"/api/v1/kims/tujuah-koto-talago/subscriptions/{body['id']}", headers=auth).status_code == 404


def test_a_page_without_a_feed_is_422(app, client, auth, httpserver):
    httpserver.expect_request("/").respond_with_data("<html><body>Halaman biasa</body></html>",
                                                     content_type="text/html")
    response = client.post("/api/v1/kims/tujuah-koto-talago/subscriptions", headers=auth,
                           json={"url": httpserver.url_for("/"), "bidang": "umum"})
    assert response.status_code == 422 and "umpan" in response.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Subscription)) == 0


def test_a_page_with_a_feed_link_subscribes_to_the_feed(app, client, auth, httpserver):
    link = f'<link rel="alternate" type="application/rss+xml" href="{httpserver.url_for("/rss")}">'
    page = f"<html><head>{link}</head></html>"
    httpserver.expect_request("/").respond_with_data(page, content_type="text/html")
    httpserver.expect_request("/rss").respond_with_data(rss(numbered(1)))
    response = client.post("/api/v1/kims/tujuah-koto-talago/subscriptions", headers=auth,
                           json={"url": httpserver.url_for("/"), "bidang": "umum"})
    assert response.status_code == 201 and response.get_json()["source"]["url"] == httpserver.url_for("/rss")


@pytest.mark.parametrize("body,status", [({"url": "ftp://x/feed"}, 422), ({"url": "https://x.id/f",
                                                                           "bidang": "ngawur"}, 422),
                                         ({"bidang": "umum"}, 400), ({"url": 5}, 400)])
def test_bad_subscription_requests(app, client, auth, body, status):
    response = client.post("/api/v1/kims/tujuah-koto-talago/subscriptions", headers=auth, json=body)
    assert response.status_code == status and response.get_json()["error"]


def test_opml_import_over_the_api(app, client, auth):
    data = (CORPUS / "opml/plenary-Programming-without_category.opml").read_bytes()
    response = client.post("/api/v1/kims/tujuah-koto-talago/subscriptions/opml?bidang=teknologi", headers=auth,
                           data=data, content_type="text/x-opml")
    body = response.get_json()
    assert response.status_code == 200
    assert body["added"] == len(body["report"]) - body["skipped"] - body["failed"] and body["added"] >= 30
    assert all(line["bidang"] == "teknologi" for line in body["report"])
    again = client.post("/api/v1/kims/tujuah-koto-talago/subscriptions/opml", headers=auth, data=data).get_json()
    assert again["added"] == 0 and again["skipped"] == body["added"]
    bad = client.post("/api/v1/kims/tujuah-koto-talago/subscriptions/opml", headers=auth, data=b"<html/>")
    assert bad.status_code == 422 and bad.get_json()["error"] == "Ini bukan berkas OPML."
