"""Logging in and out, remember me, password changes, the login throttle."""
from datetime import timedelta

from hub.extensions import db
from hub.models import Event, LoginFailure, User
from tests.factories import PASSWORD, csrf_token, login, make_kim, make_user, post


def test_login_logout(app, client):
    user = make_user(app, "rina@example.id", name="Rina")
    response = login(client, "RINA@example.id ")  # case and spaces do not matter
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Halo, Rina" in page
    with app.app_context():
        assert db.session.get(User, user.id).last_login_at is not None
        assert db.session.scalar(db.select(Event.verb).where(Event.actor_id == user.id)) == "user.login"
    assert post(client, "/logout").status_code == 302
    assert client.get("/account/").status_code == 302


def test_wrong_password_keeps_email_and_says_why(app, client):
    make_user(app, "rina@example.id")
    response = login(client, "rina@example.id", "salah-sekali")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Email atau kata sandi salah." in html
    assert 'value="rina@example.id"' in html  # the input is not lost
    assert "salah-sekali" not in html  # the password is not echoed back
    assert client.get("/account/").status_code == 302


def test_login_redirects_only_to_local_next(app, client):
    make_user(app, "rina@example.id")
    token = csrf_token(client, "/login")
    for target, expected in [("/account/", "/account/"), ("https://evil.example/", "/"),
                             ("//evil.example/x", "/")]:
        response = client.post("/login", data={"csrf_token": token, "email": "rina@example.id",
                                               "password": PASSWORD, "next": target})
        assert response.status_code == 302
        assert response.headers["Location"] == expected
        client.post("/logout", data={"csrf_token": csrf_token(client)})
        token = csrf_token(client, "/login")


def test_remember_me_survives_a_new_browser_session(app):
    make_user(app, "rina@example.id")
    first = app.test_client()
    login(first, "rina@example.id", remember=True)
    remember = first.get_cookie("remember_token")
    assert remember is not None
    second = app.test_client()  # a new browser session: no session cookie, only remember_token
    second.set_cookie("remember_token", remember.value)
    assert second.get("/account/").status_code == 200
    # without remember me there is no such cookie
    third = app.test_client()
    login(third, "rina@example.id")
    assert third.get_cookie("remember_token") is None


def test_password_change_ends_other_sessions(app):
    make_user(app, "rina@example.id")
    phone, laptop = app.test_client(), app.test_client()
    login(phone, "rina@example.id", remember=True)
    login(laptop, "rina@example.id")
    remember = phone.get_cookie("remember_token").value

    response = post(laptop, "/account/password", {"current": PASSWORD, "new": "kata-sandi-baru", "confirm": "kata-sandi-baru"})
    assert response.status_code == 302
    assert laptop.get("/account/").status_code == 200  # this session continues
    assert phone.get("/account/").status_code == 302  # the other one is logged out
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember)
    assert fresh.get("/account/").status_code == 302  # and its remember-me cookie is dead
    assert login(app.test_client(), "rina@example.id", "kata-sandi-baru").status_code == 302
    assert login(app.test_client(), "rina@example.id", PASSWORD).status_code == 400


def test_password_change_validates(app, client):
    make_user(app, "rina@example.id")
    login(client, "rina@example.id")
    wrong = post(client, "/account/password", {"current": "bukan", "new": "kata-sandi-baru", "confirm": "kata-sandi-baru"})
    assert wrong.status_code == 400 and "Kata sandi sekarang salah." in wrong.get_data(as_text=True)
    short = post(client, "/account/password", {"current": PASSWORD, "new": "pendek", "confirm": "pendek"})
    assert short.status_code == 400 and "Antara 8 dan 200 karakter." in short.get_data(as_text=True)
    differ = post(client, "/account/password", {"current": PASSWORD, "new": "kata-sandi-baru", "confirm": "kata-sandi-lain"})
    assert differ.status_code == 400 and "Kedua kata sandi berbeda." in differ.get_data(as_text=True)
    assert login(app.test_client(), "rina@example.id").status_code == 302  # unchanged


def test_passwords_are_hashed_with_a_kdf(app):
    make_user(app, "rina@example.id")
    with app.app_context():
        stored = db.session.scalar(db.select(User.password_hash))
    assert stored.startswith("scrypt:") and PASSWORD not in stored


def test_ten_wrong_passwords_block_the_account_and_the_ip(app):
    make_user(app, "rina@example.id")
    make_user(app, "dedi@example.id")
    client = app.test_client()
    for _ in range(10):
        assert login(client, "rina@example.id", "salah", ip="10.0.0.5").status_code == 400
    # even the right password is refused now, with a clear message
    blocked = login(client, "rina@example.id", ip="10.0.0.5")
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in blocked.get_data(as_text=True)
    # the account is blocked from another IP too
    assert login(app.test_client(), "rina@example.id", ip="10.0.0.9").status_code == 429
    # and the IP is blocked for another account
    assert login(app.test_client(), "dedi@example.id", ip="10.0.0.5").status_code == 429
    # another account from another IP is not affected
    assert login(app.test_client(), "dedi@example.id", ip="10.0.0.9").status_code == 302
    # the API token endpoint shares the same limit
    api = app.test_client().post("/api/v1/tokens", json={"email": "rina@example.id", "password": PASSWORD})
    assert api.status_code == 429 and "error" in api.get_json() and int(api.headers["Retry-After"]) > 0

    # once the minute has passed, the right password works again
    with app.app_context():
        for failure in db.session.scalars(db.select(LoginFailure)):
            failure.at -= timedelta(seconds=61)
        db.session.commit()
    assert login(app.test_client(), "rina@example.id", ip="10.0.0.5").status_code == 302


def test_nine_wrong_passwords_do_not_block(app):
    make_user(app, "rina@example.id")
    client = app.test_client()
    for _ in range(9):
        login(client, "rina@example.id", "salah")
    assert login(client, "rina@example.id").status_code == 302


def test_deactivated_account_cannot_log_in_and_is_logged_out(app):
    make_kim(app)
    user = make_user(app, "rina@example.id")
    make_user(app, "admin@example.id", admin=True)
    member, admin = app.test_client(), app.test_client()
    login(member, "rina@example.id")
    login(admin, "admin@example.id")
    assert post(admin, f"/admin/users/{user.id}/active", {"active": "0"}).status_code == 302
    assert member.get("/account/").status_code == 302
    response = login(app.test_client(), "rina@example.id")
    assert response.status_code == 400
    assert "Akun ini sudah dinonaktifkan" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id) is not None  # kept, not deleted
