"""CSRF on every form, security headers, light pages with no external requests."""
import gzip
import re

import pytest

from hub.extensions import db
from hub.models import Kim
from tests.factories import PASSWORD, login, make_kim, make_user


def test_csrf_is_enforced_on_forms(app):
    make_kim(app)
    make_user(app, "admin@example.id", admin=True)
    client = app.test_client()
    # login without a token is refused
    response = client.post("/login", data={"email": "admin@example.id", "password": PASSWORD})
    assert response.status_code == 400 and "kedaluwarsa" in response.get_data(as_text=True)
    assert client.get("/account/").status_code == 302
    login(client, "admin@example.id")
    form = {"slug": "baru", "name": "KIM Baru", "nagari": "Baru", "kecamatan": "Guguak", "kabupaten": "Lima Puluh Kota"}
    assert client.post("/admin/kims/new", data=form).status_code == 400
    assert client.post("/admin/kims/new", data=dict(form, csrf_token="palsu")).status_code == 400
    assert client.post("/logout").status_code == 400
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Kim)) == 1
    assert client.get("/account/").status_code == 200  # still logged in


def test_every_rendered_form_carries_a_csrf_token(app):
    make_kim(app)
    user = make_user(app, "admin@example.id", admin=True, kim="tujuah-koto-talago", role="pengurus")
    client = app.test_client()
    login(client, "admin@example.id")
    with app.app_context():
        kim_id = db.session.scalar(db.select(Kim.id))
    pages = ["/", "/login", "/account/password", "/account/tokens", "/kim/tujuah-koto-talago/edit",
             "/admin/kims", "/admin/kims/new", f"/admin/kims/{kim_id}", "/admin/users/new", f"/admin/users/{user.id}"]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        for form in re.findall(r"<form[^>]*>.*?</form>", html, flags=re.S):
            if 'method="post"' in form:
                assert 'name="csrf_token"' in form, f"{page}: a form without CSRF token"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_session_cookie_is_httponly(app):
    make_user(app, "rina@example.id")
    client = app.test_client()
    response = login(client, "rina@example.id", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    assert all("HttpOnly" in c for c in cookies if c.startswith(("session=", "remember_token=")))
    assert all("SameSite=Lax" in c for c in cookies if c.startswith("session="))


def test_no_inline_scripts_or_styles(app):
    make_kim(app)
    make_user(app, "admin@example.id", admin=True)
    client = app.test_client()
    login(client, "admin@example.id")
    for page in ["/", "/kim/", "/kim/tujuah-koto-talago", "/admin/kims", "/account/tokens"]:
        html = client.get(page).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), page
        assert " style=" not in html and "<style" not in html, page
        assert not re.search(r"\son[a-z]+=", html), page


@pytest.mark.parametrize("path", ["/", "/kim/", "/kim/tujuah-koto-talago", "/login"])
def test_pages_are_light_and_load_nothing_from_elsewhere(app, path):
    for n in range(12):
        make_kim(app, "tujuah-koto-talago" if n == 0 else f"kim-{n}", kecamatan=["Guguak", "Harau", "Luak"][n % 3])
    client = app.test_client()
    html = client.get(path).get_data()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', html)
    total = len(gzip.compress(html))
    for asset in assets:
        with client.get(asset.decode()) as response:
            assert response.status_code == 200
            total += len(gzip.compress(response.get_data()))
    assert total < 60 * 1024, f"{path}: {total} bytes compressed"
    # nothing is loaded from another host (links to other sites are fine, loads are not)
    loads = re.findall(rb'<(?:script|img|link|iframe|audio|video|source)\b[^>]*(?:src|href)="([^"]+)"', html)
    assert loads and all(url.startswith(b"/") and not url.startswith(b"//") for url in loads), loads
