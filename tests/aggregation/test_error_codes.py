"""A source's error is stored as a code and shown in the reader's language (issue 10: the English
interface showed the Indonesian sentence stored at the time)."""
from hub.extensions import db
from hub.models import Source
from tests.aggregation.helpers import refresh, subscribe
from tests.factories import login, make_kim, make_user, post


def test_the_error_is_stored_as_a_code_and_shown_in_each_language(app, httpserver):
    make_kim(app)
    make_user(app, "rina@example.id", kim="tujuah-koto-talago", role="pengurus")
    httpserver.expect_request("/feed").respond_with_data("no", status=500)
    source_id = subscribe(app, "tujuah-koto-talago", httpserver.url_for("/feed"))
    refresh(app)
    with app.app_context():
        row = db.session.get(Source, source_id)
        assert (row.last_error_code, row.last_error_detail) == ("http", "500")
    client = app.test_client()
    login(client, "rina@example.id")
    page = client.get("/kim/tujuah-koto-talago/sources").get_data(as_text=True)
    assert "Server sumber menjawab dengan galat HTTP 500." in page
    post(client, "/lang", {"lang": "en"})
    page = client.get("/kim/tujuah-koto-talago/sources").get_data(as_text=True)
    assert "The source&#39;s server answered with HTTP error 500." in page and "galat" not in page
    token = client.post("/api/v1/tokens", json={"email": "rina@example.id", "password": "rahasia-123"}).get_json()
    health = client.get(f"/api/v1/sources/{source_id}", headers={"Authorization": f"Bearer {token['token']}",
                                                                  "Accept-Language": "en"}).get_json()["health"]
    assert health["last_error_code"] == "http"
    assert health["last_error"] == "The source's server answered with HTTP error 500."
