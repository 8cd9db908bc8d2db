"""Create test data through the real services, each call in its own app context."""
import re
from types import SimpleNamespace

from hub.accounts import service as accounts
from hub.extensions import db
from hub.kims import service as kims

PASSWORD = "rahasia-123"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_kim(app, slug="tujuah-koto-talago", name=None, nagari=None, kecamatan="Guguak", **extra):
    with app.app_context():
        kim = kims.create_kim(slug=slug, name=name or f"KIM {slug}", nagari=nagari or slug.title(),
                              kecamatan=kecamatan, kabupaten=app.config["HUB_KABUPATEN"], **extra)
        db.session.commit()
        return SimpleNamespace(id=kim.id, slug=kim.slug, name=kim.name, kecamatan=kim.kecamatan)


def make_user(app, email, *, name=None, password=PASSWORD, kim=None, role="anggota", admin=False,
              coordinator=None):
    """coordinator: a kecamatan name, or 'kabupaten'."""
    with app.app_context():
        user = accounts.create_user(email, name or email.split("@")[0], password, is_admin=admin)
        if kim is not None:
            accounts.set_membership(user, kims.get_kim(kim), role, actor=None)
        if coordinator:
            accounts.grant_coordinator(user, kabupaten=app.config["HUB_KABUPATEN"],
                                       kecamatan=None if coordinator == "kabupaten" else coordinator,
                                       actor=None)
        db.session.commit()
        return SimpleNamespace(id=user.id, email=user.email, password=password)


def csrf_token(client, path="/"):
    """A valid CSRF token for this client's session, read from a rendered page."""
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no csrf_token on {path}"
    return match.group(1)


def login(client, email, password=PASSWORD, remember=False, ip="127.0.0.1"):
    token = csrf_token(client, "/login")
    data = {"csrf_token": token, "email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": ip})


def selects_during(app, request, every=False):
    """(what `request()` returned, the SELECT statements it ran, whitespace squeezed; with
    every=True, every statement it ran)."""
    from sqlalchemy import event
    with app.app_context():
        engine = db.engine
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if every or statement.lstrip().upper().startswith("SELECT"):
            seen.append(" ".join(statement.split()))
    event.listen(engine, "before_cursor_execute", record)
    try:
        return request(), seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def post(client, path, data=None, **kwargs):
    """POST a form with a valid CSRF token."""
    return client.post(path, data=dict(data or {}, csrf_token=csrf_token(client)), **kwargs)
