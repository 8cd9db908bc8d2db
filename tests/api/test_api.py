"""API v1: tokens, bearer authentication, JSON errors, the KIM list."""
from hub.extensions import db
from hub.models import ApiToken
from tests.factories import PASSWORD, login, make_kim, make_user, post


def test_token_for_good_credentials(app, client):
    make_user(app, "rina@example.id")
    response = client.post("/api/v1/tokens", json={"email": "rina@example.id", "password": PASSWORD})
    assert response.status_code == 201
    token = response.get_json()["token"]
    assert token.startswith("kim_") and len(token) > 40
    with app.app_context():
        stored = db.session.scalar(db.select(ApiToken))
        assert stored.token_hash != token and token not in stored.token_hash  # only a hash is kept
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["email"] == "rina@example.id"


def test_bad_credentials_get_401_json(app, client):
    make_user(app, "rina@example.id")
    for body in ({"email": "rina@example.id", "password": "salah"}, {"email": "siapa@example.id",
                                                                     "password": PASSWORD}):
        response = client.post("/api/v1/tokens", json=body)
        assert response.status_code == 401
        assert response.is_json and response.get_json()["error"]


def test_malformed_requests_get_400_json(app, client):
    for kwargs in ({"data": "bukan json", "content_type": "text/plain"}, {"json": ["a"]}, {"json": {"email": 1}}):
        response = client.post("/api/v1/tokens", **kwargs)
        assert response.status_code == 400 and response.get_json()["error"]


def test_every_api_error_is_json(app, client):
    cases = [
        (client.get("/api/v1/me"), 401),
        (client.get("/api/v1/me", headers={"Authorization": "Bearer kim_palsu"}), 401),
        (client.get("/api/v1/me", headers={"Authorization": "Basic eDp5"}), 401),
        (client.get("/api/v1/tidak-ada"), 404),
        (client.get("/api/v1/kims/tidak-ada"), 404),
        (client.delete("/api/v1/kims"), 405),
        (client.get("/api/v1/kims?page=x"), 400),
    ]
    for response, status in cases:
        assert response.status_code == status
        assert response.is_json and isinstance(response.get_json()["error"], str) and response.get_json()["error"]
    assert cases[0][0].headers["WWW-Authenticate"].startswith("Bearer")


def test_api_error_language_follows_accept_language(app, client):
    english = client.get("/api/v1/tidak-ada", headers={"Accept-Language": "en"}).get_json()["error"]
    indonesian = client.get("/api/v1/tidak-ada").get_json()["error"]
    assert english == "Not found." and indonesian == "Tidak ditemukan."


def test_api_ignores_the_session_cookie(app):
    """A logged-in browser does not authenticate API calls (so the API needs no CSRF token)."""
    make_user(app, "rina@example.id")
    browser = app.test_client()
    login(browser, "rina@example.id")
    assert browser.get("/api/v1/me").status_code == 401


def test_revoked_token_stops_working(app):
    make_user(app, "rina@example.id")
    browser = app.test_client()
    login(browser, "rina@example.id")
    created = post(browser, "/account/tokens", {"name": "Skrip laporan"})
    html = created.get_data(as_text=True)
    token = html.split('id="new-token">')[1].split("<")[0]
    headers = {"Authorization": f"Bearer {token}"}
    assert browser.get("/api/v1/me", headers=headers).status_code == 200
    listing = browser.get("/account/tokens").get_data(as_text=True)
    assert "Skrip laporan" in listing and token[:12] in listing and token not in listing  # shown once
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    assert post(browser, f"/account/tokens/{token_id}/revoke").status_code == 302
    assert browser.get("/api/v1/me", headers=headers).status_code == 401
    assert "Dicabut" in browser.get("/account/tokens").get_data(as_text=True)


def test_user_cannot_revoke_another_users_token(app):
    make_user(app, "rina@example.id")
    make_user(app, "dedi@example.id")
    token = app.test_client().post("/api/v1/tokens", json={"email": "rina@example.id",
                                                           "password": PASSWORD}).get_json()["token"]
    with app.app_context():
        token_id = db.session.scalar(db.select(ApiToken.id))
    dedi = app.test_client()
    login(dedi, "dedi@example.id")
    assert post(dedi, f"/account/tokens/{token_id}/revoke").status_code == 404
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_deactivated_users_token_is_refused(app):
    user = make_user(app, "rina@example.id")
    token = app.test_client().post("/api/v1/tokens", json={"email": "rina@example.id",
                                                           "password": PASSWORD}).get_json()["token"]
    with app.app_context():
        from hub.models import User
        db.session.get(User, user.id).active = False
        db.session.commit()
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_list_kims(app, client):
    make_kim(app, "tujuah-koto-talago", name="KIM Tujuah Koto", nagari="Tujuah Koto Talago", kecamatan="Guguak")
    make_kim(app, "sarilamak", name="KIM Sarilamak", nagari="Sarilamak", kecamatan="Harau")
    body = client.get("/api/v1/kims").get_json()
    assert body["total"] == 2
    first = body["kims"][0]
    assert {k: first[k] for k in ("slug", "name", "nagari", "kecamatan", "kabupaten")} == {
        "slug": "tujuah-koto-talago", "name": "KIM Tujuah Koto", "nagari": "Tujuah Koto Talago",
        "kecamatan": "Guguak", "kabupaten": "Lima Puluh Kota"}
    assert first["url"].endswith("/kim/tujuah-koto-talago")
    harau = client.get("/api/v1/kims?kecamatan=harau").get_json()
    assert [k["slug"] for k in harau["kims"]] == ["sarilamak"]
    one = client.get("/api/v1/kims/sarilamak").get_json()
    assert one["nagari"] == "Sarilamak"


def test_list_kims_is_paginated(app, client):
    for n in range(5):
        make_kim(app, f"kim-{n}")
    page = client.get("/api/v1/kims?per_page=2").get_json()
    assert len(page["kims"]) == 2 and page["total"] == 5 and "page=2" in page["next"]
    last = client.get("/api/v1/kims?per_page=2&page=3").get_json()
    assert len(last["kims"]) == 1 and "next" not in last
