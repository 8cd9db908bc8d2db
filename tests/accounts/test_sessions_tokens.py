"""Sessions kept on the server (logout refuses a replayed cookie), API tokens that expire, can be
listed and revoked, and a password change that revokes every token and every other session."""
from datetime import timedelta

from hub.accounts import service
from hub.extensions import db
from hub.models import ApiToken, LoginSession, utcnow
from tests.factories import PASSWORD, login, make_user, post, selects_during


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def new_token(client, email="rina@example.id", **extra):
    response = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_logout_refuses_the_replayed_session_cookie(app):
    make_user(app, "rina@example.id")
    browser = app.test_client()
    login(browser, "rina@example.id")
    copied = browser.get_cookie("session").value  # what an onlooker copied before the logout
    assert post(browser, "/logout").status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/account/").status_code == 302  # to the login page
    with app.app_context():
        assert db.session.scalar(db.select(LoginSession.ended_at)) is not None


def test_logout_refuses_the_replayed_remember_cookie(app):
    make_user(app, "rina@example.id")
    browser = app.test_client()
    login(browser, "rina@example.id", remember=True)
    remember = browser.get_cookie("remember_token").value
    still = app.test_client()
    still.set_cookie("remember_token", remember)
    assert still.get("/account/").status_code == 200  # before the logout it works
    post(browser, "/logout")
    replay = app.test_client()
    replay.set_cookie("remember_token", remember)
    assert replay.get("/account/").status_code == 302


def test_devices_page_lists_and_ends_another_session(app):
    make_user(app, "rina@example.id")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "rina@example.id")
    login(laptop, "rina@example.id")
    page = laptop.get("/account/sessions", headers={"User-Agent": "Laptop"}).get_data(as_text=True)
    assert page.count('action="/account/sessions/') == 2 and "(perangkat ini)" in page
    with app.app_context():
        ids = db.session.scalars(db.select(LoginSession.id).order_by(LoginSession.id)).all()
    assert post(laptop, f"/account/sessions/{ids[0]}/end").status_code == 302  # the phone's
    assert phone.get("/account/").status_code == 302
    assert laptop.get("/account/").status_code == 200
    other = make_user(app, "dedi@example.id")
    intruder = app.test_client()
    login(intruder, other.email)
    assert post(intruder, f"/account/sessions/{ids[1]}/end").status_code == 404  # not theirs
    assert laptop.get("/account/").status_code == 200


def test_token_expiry_default_chosen_and_enforced(app):
    make_user(app, "rina@example.id")
    client = app.test_client()
    made = new_token(client)
    from datetime import datetime
    expires = datetime.fromisoformat(made["expires_at"])
    assert timedelta(days=89, hours=23) < expires - utcnow() <= timedelta(days=90)
    short = new_token(client, expires_in_days=7)
    assert datetime.fromisoformat(short["expires_at"]) - utcnow() <= timedelta(days=7)
    for bad in (0, 366, "30", 2.5, True):
        response = client.post("/api/v1/tokens", json={"email": "rina@example.id", "password": PASSWORD,
                                                       "expires_in_days": bad})
        assert response.status_code == 422, bad
    assert client.get("/api/v1/me", headers=bearer(short["token"])).status_code == 200
    with app.app_context():
        row = db.session.get(ApiToken, short["id"])
        row.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(short["token"]))
    assert response.status_code == 401 and "kedaluwarsa" in response.get_json()["error"]
    assert client.get("/api/v1/me", headers=bearer(made["token"])).status_code == 200


def test_list_and_revoke_tokens_through_the_api(app):
    make_user(app, "rina@example.id")
    make_user(app, "dedi@example.id")
    client = app.test_client()
    first, second = new_token(client), new_token(client, name="Laporan")
    dedis = new_token(client, "dedi@example.id")
    listed = client.get("/api/v1/tokens", headers=bearer(second["token"])).get_json()["tokens"]
    assert [t["id"] for t in listed] == [second["id"], first["id"]]  # own only, newest first
    assert [t["current"] for t in listed] == [True, False]
    assert listed[0]["name"] == "Laporan" and listed[0]["prefix"] == second["token"][:12]
    assert all(second["token"] not in str(t) and first["token"] not in str(t) for t in listed)
    assert {"created_at", "expires_at", "last_used_at", "revoked_at"} <= set(listed[0])
    # another person's token: not found, and it keeps working
    assert client.delete(f"/api/v1/tokens/{dedis['id']}", headers=bearer(first["token"])).status_code == 404
    assert client.get("/api/v1/me", headers=bearer(dedis["token"])).status_code == 200
    assert client.delete(f"/api/v1/tokens/{first['id']}", headers=bearer(second["token"])).status_code == 204
    assert client.get("/api/v1/me", headers=bearer(first["token"])).status_code == 401
    listed = client.get("/api/v1/tokens", headers=bearer(second["token"])).get_json()["tokens"]
    assert listed[1]["revoked_at"] is not None
    # a token may revoke itself
    assert client.delete(f"/api/v1/tokens/{second['id']}", headers=bearer(second["token"])).status_code == 204
    assert client.get("/api/v1/tokens", headers=bearer(second["token"])).status_code == 401


def test_password_change_revokes_every_token(app):
    make_user(app, "rina@example.id")
    client = app.test_client()
    made = new_token(client)
    browser = app.test_client()
    login(browser, "rina@example.id")
    response = post(browser, "/account/password", {"current": PASSWORD, "new": "kata-sandi-baru-9",
                                                    "confirm": "kata-sandi-baru-9"})
    assert response.status_code == 302
    assert client.get("/api/v1/me", headers=bearer(made["token"])).status_code == 401
    assert browser.get("/account/").status_code == 200
    page = browser.get("/account/tokens").get_data(as_text=True)
    assert "Dicabut" in page


def test_admin_password_reset_ends_every_session_of_that_person(app):
    user = make_user(app, "rina@example.id")
    phone = app.test_client()
    login(phone, "rina@example.id")
    with app.app_context():
        from hub.models import User
        person = db.session.get(User, user.id)
        service.set_password(person, "diatur-admin-2026", actor=None)
        db.session.commit()
        assert db.session.scalar(db.select(db.func.count()).select_from(LoginSession)
                                 .where(LoginSession.ended_at.is_(None))) == 0
    assert phone.get("/account/").status_code == 302


def test_token_page_offers_a_lifetime_and_shows_expiry(app):
    make_user(app, "rina@example.id")
    browser = app.test_client()
    login(browser, "rina@example.id")
    page = post(browser, "/account/tokens", {"name": "Skrip", "days": "30"}).get_data(as_text=True)
    assert "Berlaku sampai" in page
    with app.app_context():
        row = db.session.scalar(db.select(ApiToken))
        assert timedelta(days=29, hours=23) < row.expires_at - row.created_at <= timedelta(days=30)
    response = post(browser, "/account/tokens", {"name": "Skrip", "days": "9999"})
    assert response.status_code == 422


def test_secure_cookies_and_hsts_when_served_over_https(app, tmp_path):
    make_user(app, "rina@example.id")
    from hub import create_app
    from tests.conftest import TEST_CONFIG
    secure = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                             SESSION_COOKIE_SECURE=True), instance_path=tmp_path / "secure")
    browser = secure.test_client()
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers  # plain HTTP: none
    response = browser.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    login_page = browser.get("/login", base_url="https://localhost").get_data(as_text=True)
    import re
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    response = browser.post("/login", base_url="https://localhost",
                            data={"csrf_token": token, "email": "rina@example.id", "password": PASSWORD,
                                  "remember": "y"},
                            headers={"Referer": "https://localhost/login"})  # Flask-WTF's HTTPS check
    assert response.status_code == 302
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "Secure" in remember[0]
    assert any(c.startswith("session=") and "Secure" in c for c in cookies)
    with secure.app_context():
        db.engine.dispose()  # this second app's connections close with the test


def test_a_session_idle_longer_than_a_remember_cookie_is_over(app):
    make_user(app, "rina@example.id")
    browser = app.test_client()
    login(browser, "rina@example.id", remember=True)
    assert browser.get("/account/").status_code == 200
    with app.app_context():
        row = db.session.scalar(db.select(LoginSession))
        row.last_seen_at = utcnow() - timedelta(days=31)
        db.session.commit()
    assert browser.get("/account/").status_code == 302  # even with its remember-me cookie


def _two_kims_two_offices(app):
    from tests.factories import make_kim
    make_kim(app, "talago")
    make_kim(app, "koto-baru")
    make_user(app, "rina@example.id", kim="talago", role="pengurus", coordinator="Kecamatan Satu")
    with app.app_context():
        from hub.kims.service import get_kim
        from hub.models import User
        rina = db.session.scalar(db.select(User).where(User.email == "rina@example.id"))
        service.set_membership(rina, get_kim("koto-baru"), "anggota", actor=None)
        service.grant_coordinator(rina, kabupaten=app.config["HUB_KABUPATEN"], kecamatan="Kecamatan Dua", actor=None)
        db.session.commit()


def test_a_logged_in_request_loads_session_user_and_roles_in_one_statement(app):
    """Every page asks who is behind the cookie: the session, the user, their memberships (with
    the KIMs) and their coordinator roles come back in one round trip, and all of them come."""
    _two_kims_two_offices(app)
    browser = app.test_client()
    login(browser, "rina@example.id")
    browser.get("/account/")  # the login's own writes are behind us
    response, selects = selects_during(app, lambda: browser.get("/account/"))
    assert response.status_code == 200
    lookups = [s for s in selects if "FROM login_session" in s]
    assert len(lookups) == 1, lookups
    assert not [s for s in selects if s.startswith(("SELECT membership.", "SELECT coordinator_role."))], selects
    me = browser.get("/kim/koto-baru/inbox")  # the second membership counts: its inbox opens
    assert me.status_code == 200


def test_an_api_token_loads_its_user_and_roles_in_one_statement(app):
    _two_kims_two_offices(app)
    client = app.test_client()
    token = new_token(client)["token"]
    client.get("/api/v1/me", headers=bearer(token))  # last_used_at written: not counted
    response, selects = selects_during(app, lambda: client.get("/api/v1/me", headers=bearer(token)))
    assert response.status_code == 200
    assert len([s for s in selects if "FROM api_token" in s]) == 1, selects
    assert not [s for s in selects if s.startswith(("SELECT membership.", "SELECT coordinator_role.",
                                                    "SELECT user_account."))], selects
    me = response.get_json()
    assert sorted(m["kim"] for m in me["memberships"]) == ["koto-baru", "talago"]
    assert sorted(c["kecamatan"] for c in me["coordinator"]) == ["Kecamatan Dua", "Kecamatan Satu"]
