"""Logging in and out, remember me, password changes, the login throttle."""

from hub.extensions import db
from hub.models import Event, User
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

    response = post(laptop, "/account/password", {"current": PASSWORD, "new": "kata-sandi-baru",
                                                  "confirm": "kata-sandi-baru"})
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
    wrong = post(client, "/account/password", {"current": "bukan", "new": "kata-sandi-baru",
                                               "confirm": "kata-sandi-baru"})
    assert wrong.status_code == 422 and "Kata sandi sekarang salah." in wrong.get_data(as_text=True)
    short = post(client, "/account/password", {"current": PASSWORD, "new": "pendek", "confirm": "pendek"})
    assert short.status_code == 422 and "Antara 10 dan 200 karakter." in short.get_data(as_text=True)
    common = post(client, "/account/password", {"current": PASSWORD, "new": "Qwertyuiop", "confirm": "Qwertyuiop"})
    assert common.status_code == 422 and "paling umum" in common.get_data(as_text=True)
    spaces = post(client, "/account/password", {"current": PASSWORD, "new": " " * 10, "confirm": " " * 10})
    assert spaces.status_code == 422 and "wajib diisi" in spaces.get_data(as_text=True)  # blank to the form
    own = post(client, "/account/password", {"current": PASSWORD, "new": "rina@example.id",
                                             "confirm": "rina@example.id"})
    assert own.status_code == 422 and "alamat email Anda" in own.get_data(as_text=True)
    differ = post(client, "/account/password", {"current": PASSWORD, "new": "kata-sandi-baru",
                                                "confirm": "kata-sandi-lain"})
    assert differ.status_code == 422 and "Kedua kata sandi berbeda." in differ.get_data(as_text=True)
    assert login(app.test_client(), "rina@example.id").status_code == 302  # unchanged


def test_passwords_are_hashed_with_a_kdf(app):
    make_user(app, "rina@example.id")
    with app.app_context():
        stored = db.session.scalar(db.select(User.password_hash))
    assert stored.startswith("scrypt:") and PASSWORD not in stored


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
