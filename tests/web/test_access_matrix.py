"""Every route x every role gets the right answer: the page, a redirect to log in, or 403."""
import pytest

from hub.extensions import db
from hub.models import CoordinatorRole, Membership, Notification, User
from tests.factories import csrf_token, login, make_kim, make_user

ROLES = ["anonymous", "anggota", "pengurus_other", "pengurus", "koordinator", "admin"]
LOGIN = "login"  # 302 to the login page
OK, REDIRECT, FORBIDDEN = 200, 302, 403


def everyone(code):
    return {role: code for role in ROLES}


def members_only(code):
    return dict(everyone(code), anonymous=LOGIN)


def admin_only(code):
    return dict(everyone(FORBIDDEN), anonymous=LOGIN, admin=code)


def kim_managers(code):
    return dict(everyone(FORBIDDEN), anonymous=LOGIN, pengurus=code, admin=code)


def monitors(code):
    """Coordinators (the matrix's one coordinates Guguak, where the KIM is) and admins."""
    return dict(everyone(FORBIDDEN), anonymous=LOGIN, koordinator=code, admin=code)


def kim_members(code):
    return dict(everyone(FORBIDDEN), anonymous=LOGIN, anggota=code, pengurus=code, admin=code)


# (method, path template, expected by role). {kim}, {other}, {kim_id}, {user_id}, {membership_id},
# {role_id} and {token_id} are filled from the fixture data.
MATRIX = [
    ("GET", "/", everyone(OK)),
    ("GET", "/healthz", everyone(OK)),
    ("GET", "/kim/", everyone(OK)),
    ("GET", "/kim/{kim}", everyone(OK)),
    ("GET", "/kecamatan/guguak", everyone(OK)),
    ("GET", "/login", everyone(OK)),
    ("POST", "/login", everyone(400)),  # an empty form is answered with the form and its errors
    ("POST", "/logout", members_only(REDIRECT)),
    ("POST", "/lang", everyone(REDIRECT)),
    ("POST", "/hemat-data", everyone(REDIRECT)),
    ("GET", "/kim/{kim}/edit", kim_managers(OK)),
    ("POST", "/kim/{kim}/edit", kim_managers(REDIRECT)),
    ("GET", "/account/", members_only(OK)),
    ("GET", "/account/password", members_only(OK)),
    ("POST", "/account/password", members_only(422)),  # empty form: errors shown
    ("GET", "/account/tokens", members_only(OK)),
    ("POST", "/account/tokens", members_only(OK)),
    ("POST", "/account/tokens/{token_id}/revoke", dict(members_only(404), admin=REDIRECT)),
    ("GET", "/account/sessions", members_only(OK)),
    # another person's session is not found; the admin ends their own other session
    ("POST", "/account/sessions/{session_id}/end", dict(members_only(404), admin=REDIRECT)),
    ("GET", "/linimasa", members_only(OK)),
    ("POST", "/linimasa/mark-all-read", dict(members_only(REDIRECT), pengurus_other=FORBIDDEN, koordinator=FORBIDDEN)),
    # the item was shared with the other KIM, so its officer reads it too; the coordinator of its
    # kecamatan reads it, read-only (saving it for oneself is still allowed)
    ("GET", "/item/{item_id}", members_only(OK)),
    ("POST", "/item/{item_id}/{action}", members_only(REDIRECT)),
    ("POST", "/item/{item_id}/share", dict(members_only(REDIRECT), pengurus_other=FORBIDDEN, koordinator=FORBIDDEN)),
    # the discussion: a member of a KIM that holds the item writes for it; its officers hide
    ("POST", "/item/{item_id}/komentar", dict(members_only(REDIRECT), pengurus_other=FORBIDDEN, koordinator=FORBIDDEN)),
    ("POST", "/komentar/{comment_id}/sembunyikan", kim_managers(REDIRECT)),
    ("GET", "/kim/{kim}/inbox", dict(everyone(FORBIDDEN), anonymous=LOGIN, anggota=OK, pengurus=OK, admin=OK)),
    # aspirations: the form and the tracking page are public (a form sent back at once is refused:
    # a robot's speed); the queue and the steps are the KIM's officers'
    ("GET", "/admin/aspirasi", admin_only(OK)),
    ("POST", "/admin/aspirasi/{awhat}", admin_only(REDIRECT)),
    ("POST", "/admin/aspirasi/{atoggle}/{key}/active", admin_only(REDIRECT)),
    ("POST", "/admin/aspirasi/holiday/{day}/delete", admin_only(REDIRECT)),
    ("GET", "/notifikasi", members_only(OK)),
    ("GET", "/notifikasi/{notification_id}", dict(everyone(404), anonymous=LOGIN, pengurus=REDIRECT)),
    ("POST", "/notifikasi/baca", members_only(REDIRECT)),
    ("GET", "/kim/{kim}/aspirasi", everyone(OK)),
    ("POST", "/kim/{kim}/aspirasi", everyone(422)),
    ("GET", "/aspirasi", everyone(OK)),
    ("GET", "/aspirasi/{tracking}", everyone(OK)),
    ("GET", "/kim/{kim}/aspirasi/masuk", kim_managers(OK)),
    ("GET", "/kim/{kim}/aspirasi/{aspiration_id}", kim_managers(OK)),
    ("POST", "/kim/{kim}/aspirasi/{aspiration_id}", kim_managers(REDIRECT)),
    ("POST", "/kim/{kim}/aspirasi/{aspiration_id}/bagikan", kim_managers(REDIRECT)),
    ("GET", "/exchange/{exchange_id}", members_only(OK)),
    ("POST", "/exchange/{exchange_id}/{ex_action}", dict(everyone(FORBIDDEN), anonymous=LOGIN, pengurus_other=REDIRECT,
                                                         admin=REDIRECT)),
    ("GET", "/kim/{kim}/terkirim", kim_members(OK)),
    ("GET", "/kim/{kim}/ringkasan-wa", kim_members(OK)),
    ("GET", "/kim/{kim}/berita", everyone(OK)),
    ("GET", "/kim/{kim}/berita/tulis", kim_members(OK)),  # the KIM lets every member write
    ("POST", "/kim/{kim}/berita/tulis", kim_members(REDIRECT)),
    ("GET", "/berita/{post_id}", everyone(OK)),
    ("GET", "/berita/{post_id}/ubah", kim_managers(OK)),  # written by the officer: members may not edit it
    ("POST", "/berita/{post_id}/ubah", kim_managers(REDIRECT)),
    ("POST", "/berita/{post_id}/terbitkan", kim_members(REDIRECT)),
    ("GET", "/uploads/{name}", everyone(OK)),
    ("GET", "/s/{code}", everyone(REDIRECT)),
    ("GET", "/feed.{fmt}", everyone(OK)),
    ("GET", "/kim/{kim}/feed.{fmt}", everyone(OK)),
    ("GET", "/kecamatan/guguak/feed.{fmt}", everyone(OK)),
    # officers check and flag; the other KIM's officer reads the item but cannot act for this KIM
    ("POST", "/item/{item_id}/check", kim_managers(REDIRECT)),
    # a member's attempt before any check is refused: the page again, with the message (409);
    # the officers checked it just above, so theirs is recorded
    ("POST", "/item/{item_id}/disseminate", dict(kim_members(409), pengurus=REDIRECT, admin=REDIRECT)),
    ("POST", "/item/{item_id}/flag", kim_managers(REDIRECT)),
    ("POST", "/flag/{flag_id}/withdraw", kim_managers(REDIRECT)),
    ("GET", "/kim/{kim}/sources", kim_managers(OK)),
    ("GET", "/kim/{kim}/sources/new", kim_managers(OK)),
    ("POST", "/kim/{kim}/sources/new", kim_managers(422)),  # the address answers nothing: a clear error
    ("POST", "/kim/{kim}/sources/{subscription_id}", kim_managers(REDIRECT)),
    ("GET", "/kim/{kim}/sources/import", kim_managers(OK)),
    ("POST", "/kim/{kim}/sources/import", kim_managers(422)),  # no file
    ("GET", "/kim/{kim}/sources.opml", kim_managers(OK)),
    ("POST", "/kim/{kim}/sources/{subscription_id}/delete", kim_managers(REDIRECT)),
    ("GET", "/pantau", monitors(OK)),
    ("GET", "/pantau/", members_only(REDIRECT)),
    ("GET", "/pantau/jejaring", monitors(OK)),
    ("GET", "/pantau/kim/{kim}", dict(monitors(OK), pengurus=OK)),  # and the KIM's own officers
    ("GET", "/pantau/jangkauan", monitors(OK)),
    # the KIM in reach already has the item: refused with a message (a redirect back)
    ("POST", "/pantau/jangkauan/kirim", monitors(REDIRECT)),
    ("GET", "/pantau/laporan", monitors(OK)),
    ("GET", "/pantau/laporan.{rfmt}", monitors(OK)),
    ("GET", "/kim/{kim}/kegiatan", dict(kim_members(OK), koordinator=OK)),
    ("POST", "/kim/{kim}/kegiatan", kim_managers(REDIRECT)),
    ("POST", "/kegiatan/{activity_id}/hapus", kim_managers(REDIRECT)),
    ("GET", "/admin/settings", admin_only(OK)),
    ("POST", "/admin/settings", admin_only(REDIRECT)),
    ("GET", "/admin/sources", admin_only(OK)),
    ("POST", "/admin/sources/{source_id}/retry", admin_only(REDIRECT)),
    ("GET", "/admin/", admin_only(OK)),
    ("GET", "/admin/kims", admin_only(OK)),
    ("GET", "/admin/kims/new", admin_only(OK)),
    ("POST", "/admin/kims/new", admin_only(422)),
    ("GET", "/admin/kims/{kim_id}", admin_only(OK)),
    ("POST", "/admin/kims/{kim_id}", admin_only(REDIRECT)),
    ("POST", "/admin/kims/{kim_id}/active", admin_only(REDIRECT)),
    ("GET", "/admin/users", admin_only(OK)),
    ("GET", "/admin/users/new", admin_only(OK)),
    ("POST", "/admin/users/new", admin_only(422)),
    ("GET", "/admin/users/{user_id}", admin_only(OK)),
    ("POST", "/admin/users/{user_id}", admin_only(REDIRECT)),
    ("POST", "/admin/users/{user_id}/active", admin_only(REDIRECT)),
    ("POST", "/admin/users/{user_id}/memberships", admin_only(REDIRECT)),
    ("POST", "/admin/memberships/{membership_id}/active", admin_only(REDIRECT)),
    ("POST", "/admin/users/{user_id}/coordinator", admin_only(REDIRECT)),
    ("POST", "/admin/coordinators/{role_id}/revoke", admin_only(REDIRECT)),
]

# Form bodies that make the POSTs above succeed when the role is allowed.
BODIES = {
    "/kim/{kim}/edit": {"name": "KIM Tujuah Koto", "description": "Diubah"},
    "/admin/kims/{kim_id}": {"slug": "tujuah-koto-talago", "name": "KIM Tujuah Koto", "nagari": "Tujuah Koto Talago",
                             "kecamatan": "Guguak", "kabupaten": "Lima Puluh Kota"},
    "/admin/kims/{kim_id}/active": {"active": "1"},
    "/admin/users/{user_id}": {"email": "target@example.id", "name": "Target"},
    "/admin/users/{user_id}/active": {"active": "1"},
    "/admin/users/{user_id}/memberships": {"m-kim": "{kim_id}", "m-role": "anggota"},
    "/admin/memberships/{membership_id}/active": {"active": "1"},
    "/admin/users/{user_id}/coordinator": {"c-kecamatan": "Guguak"},
    "/lang": {"lang": "en"},
    "/pantau/jangkauan/kirim": {"item": "{item_id}", "to": "{kim}"},
    "/kim/{kim}/kegiatan": {"held_on": "2026-11-20", "kind": "pleno", "adinda": "implementasi", "title": "Pleno"},
    "/admin/settings": {"quiet_days": "21", "retention_days": "365"},
    "/linimasa/mark-all-read": {"kim": "{kim}", "upto": "{upto}"},
    "/item/{item_id}/share": {"from_kim": "{kim}", "target": "network", "note": "Penting"},
    "/admin/aspirasi/{awhat}": {"c-code": "lingkungan", "c-label": "Lingkungan"},
    "/admin/aspirasi/{atoggle}/{key}/active": {"active": "0"},
    "/item/{item_id}/komentar": {"kim": "{kim}", "body": "Setuju, perlu diteruskan"},
    "/komentar/{comment_id}/sembunyikan": {"reason": "Tidak pantas"},
    "/kim/{kim}/aspirasi": {"title": "Jalan rusak", "text": "Berlubang", "category": "infrastruktur"},
    "/kim/{kim}/aspirasi/{aspiration_id}": {"status": "verified", "note": "Dicek"},
    "/exchange/{exchange_id}/{ex_action}": {"reason": "Sudah kami terima dari sumber lain"},
    "/kim/{kim}/berita/tulis": {"title": "Gotong royong", "body": "Hari **Minggu**.", "bidang": "umum",
                                "action": "publish"},
    "/berita/{post_id}/ubah": {"title": "Gotong royong (diubah)", "body": "Hari Sabtu.", "bidang": "umum"},
    "/item/{item_id}/check": {"kim": "{kim}", "note": "Dicek ke Dinas Pertanian"},
    "/item/{item_id}/disseminate": {"kim": "{kim}", "channel": "whatsapp", "audience": "40"},
    "/item/{item_id}/flag": {"kim": "{kim}", "kind": "misleading", "reason": "Angka salah"},
    "/kim/{kim}/sources/new": {"url": "http://127.0.0.1:9/feed", "bidang": "umum", "kind": "pemerintah"},
    "/kim/{kim}/sources/{subscription_id}": {"s{subscription_id}-title": "Dinas",
                                             "s{subscription_id}-bidang": "pertanian"},
}


def tmp_upload(app):
    """A stored upload, as a post's image would be."""
    import io

    from PIL import Image

    from hub.posts.images import store_image
    data = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(data, "PNG")
    data.seek(0)
    from pathlib import Path
    return store_image(data, Path(app.instance_path) / "uploads").name


@pytest.fixture
def world(app):
    kim = make_kim(app, "tujuah-koto-talago", kecamatan="Guguak")
    make_kim(app, "sarilamak", kecamatan="Harau")
    make_kim(app, "koto-tuo", kecamatan="Harau")  # one the item has not reached, to share it with
    users = {
        "anggota": make_user(app, "anggota@example.id", kim="tujuah-koto-talago", role="anggota"),
        "pengurus_other": make_user(app, "pengurus.b@example.id", kim="sarilamak", role="pengurus"),
        "pengurus": make_user(app, "pengurus.a@example.id", kim="tujuah-koto-talago", role="pengurus"),
        "koordinator": make_user(app, "koordinator@example.id", coordinator="Guguak"),
        "admin": make_user(app, "admin@example.id", admin=True),
    }
    target = make_user(app, "target@example.id", kim="tujuah-koto-talago", coordinator="Harau")
    with app.app_context():
        from hub.aggregation import service as aggregation
        from hub.kims.service import get_kim
        subscription = aggregation.subscribe(get_kim("tujuah-koto-talago"), "http://127.0.0.1:9/feed")
        db.session.commit()
        from hub.aggregation.clean import digest
        from hub.aggregation.store import store_items
        from hub.models import Item, utcnow
        store_items(db.session, subscription.source_id, [{
            "guid": "g", "guid_hash": digest("g"), "url": "https://example.id/g", "title": "Berita", "summary": "",
            "content": "", "text": "", "author": "", "enclosures": [], "published_at": None, "content_hash": "h"}],
            utcnow())
        db.session.commit()
        item = db.session.scalar(db.select(Item))
        from hub.reading.timeline import encode_cursor
        from hub.sharing import service as sharing
        exchange = sharing.share(item, get_kim("tujuah-koto-talago"), ["sarilamak"],
                                 actor=db.session.get(User, users["pengurus"].id)).exchanges[0]
        db.session.commit()
        from hub.posts import service as posts
        from hub.sharing import review
        officer = db.session.get(User, users["pengurus"].id)
        post = posts.create_post(get_kim("tujuah-koto-talago"), actor=officer, title="Rapat nagari", body="Jam 8.",
                                 publish=True, base_url="http://localhost/")
        db.session.flush()
        mark, _warned = review.flag(post.item, get_kim("tujuah-koto-talago"), actor=officer, kind="hoaks",
                                    reason="Salah tanggal")
        notice = posts.create_post(get_kim("tujuah-koto-talago"), actor=officer, title="Jadwal posyandu",
                                   body="Selasa.", publish=True, base_url="http://localhost/")
        db.session.commit()
        from hub.sharing import shortlinks
        short_code = shortlinks.code_for(notice.item)  # a KIM's published post gets a short link
        upload = tmp_upload(app)
        from datetime import date

        from hub.kims.activities import record_activity
        activity = record_activity(get_kim("tujuah-koto-talago"), actor=officer, held_on=date(2026, 11, 1),
                                   kind="pelatihan", title="Pelatihan", today=date(2026, 11, 2))
        db.session.commit()
        from hub.accounts import service
        admin = db.session.get(User, users["admin"].id)
        _row, _token = service.create_token(admin, "matrix")
        from hub.accounts import sessions
        sessions.start(admin, ip="127.0.0.1", user_agent="another browser")
        db.session.commit()
        from hub.models import LoginSession
        session_id = db.session.scalar(db.select(LoginSession.id).where(LoginSession.user_id == admin.id))
        from hub.aspirasi import discussion
        comment, _mentions = discussion.add_comment(db.session.get(Item, item.id), get_kim("tujuah-koto-talago"),
                                                    actor=db.session.get(User, users["anggota"].id),
                                                    body="Perlu dicek dulu")
        from hub.aspirasi import service as aspirasi
        from hub.models import AspirationCategory
        db.session.merge(AspirationCategory(code="infrastruktur", label="Infrastruktur", active=True))
        from datetime import date as _date

        from hub.models import Holiday
        db.session.add(Holiday(day=_date(2026, 12, 25), name="Natal"))
        aspiration = aspirasi.submit(get_kim(kim.slug), {"title": "Jembatan", "text": "Rusak",
                                                         "category": "infrastruktur", "contact": "081234567890"},
                                     ip="10.0.0.1")
        db.session.commit()
        ids = {
            "kim": kim.slug, "kim_id": kim.id, "user_id": target.id, "token_id": _row.id, "session_id": session_id,
            "subscription_id": subscription.id, "source_id": subscription.source_id,
            "item_id": item.id, "action": "star", "what": "star", "upto": encode_cursor(item),
            "exchange_id": exchange.id, "ex_action": "decline",
            "post_id": post.id, "flag_id": mark.id, "name": upload, "code": short_code,
            "fmt": "atom", "rfmt": "csv", "activity_id": activity.id,
            "membership_id": db.session.scalar(db.select(Membership.id).where(Membership.user_id == target.id)),
            "role_id": db.session.scalar(db.select(CoordinatorRole.id).where(CoordinatorRole.user_id == target.id)),
            "aspiration_id": aspiration.id, "tracking": aspiration.code, "comment_id": comment.id,
            "notification_id": db.session.scalar(db.select(Notification.id).where(
                Notification.user_id == users["pengurus"].id, Notification.kind == "aspiration")),
            "awhat": "category", "atoggle": "category", "key": "infrastruktur", "day": "2026-12-25",
        }
    return users, ids


def test_matrix_covers_every_route(app):
    """A route added without a row here fails this test."""
    covered = set()
    for method, template, _expected in MATRIX:
        covered.add((method, template))
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule.startswith("/api/"):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", "{%s}" % name.replace("token_id", "token_id"))
            path = path.replace(f"<{name}>", "{%s}" % name)
        path = path.replace("{slug}", "{kim}").replace("{kecamatan_slug}", "guguak")
        path = path.replace("<any(read, unread, star, unstar):action>", "{action}")
        path = path.replace("<any('pass-on', decline):action>", "{ex_action}")
        path = path.replace("<any(category, office, holiday):what>", "{awhat}")
        path = path.replace("<any(category, office):what>", "{atoggle}")
        path = path.replace("<any(atom, rss, json):fmt>", "{fmt}").replace("<any(csv, xlsx):fmt>", "{rfmt}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, path) not in covered:
                missing.append((method, path))
    assert not missing, f"routes missing from the access matrix: {missing}"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_role(app, world, role):
    users, ids = world
    failures = []
    for method, template, expected in MATRIX:
        client = app.test_client()
        if role != "anonymous":
            assert login(client, users[role].email).status_code == 302
        path = template.format(**ids)
        if method == "GET":
            response = client.get(path)
        else:
            body = {k.format(**ids): v.format(**ids) for k, v in BODIES.get(template, {}).items()}
            body["csrf_token"] = csrf_token(client)
            response = client.post(path, data=body)
        want = expected[role]
        if want == LOGIN:
            ok = response.status_code == 302 and "/login" in response.headers["Location"]
        else:
            ok = response.status_code == want
            if want == REDIRECT:
                ok = ok and "/login" not in response.headers["Location"]
        if not ok:
            failures.append(f"{method} {path}: got {response.status_code} "
                            f"{response.headers.get('Location', '')}, want {want}")
    assert not failures, "\n".join(failures)


def api_members(code):
    return dict(everyone(FORBIDDEN), anonymous=401, anggota=code, pengurus=code, admin=code)


def api_managers(code):
    return dict(everyone(FORBIDDEN), anonymous=401, pengurus=code, admin=code)


API_MATRIX = [
    ("GET", "/api/v1/kims", everyone(OK)),
    ("GET", "/api/v1/kims/{kim}", everyone(OK)),
    ("POST", "/api/v1/kims/{kim}/aspirations", everyone(201)),
    ("GET", "/api/v1/items/{item_id}/comments", dict(everyone(OK), anonymous=401)),
    ("GET", "/api/v1/notifications", dict(everyone(OK), anonymous=401)),
    ("POST", "/api/v1/notifications/read", dict(everyone(OK), anonymous=401)),
    ("POST", "/api/v1/items/{item_id}/comments", dict(everyone(201), anonymous=401, pengurus_other=403,
                                                      koordinator=403)),
    ("GET", "/api/v1/aspirations/{tracking}", everyone(OK)),
    ("GET", "/api/v1/kims/{kim}/aspirations", api_managers(OK)),
    ("GET", "/api/v1/kims/{kim}/aspirations/{aspiration_id}", api_managers(OK)),
    ("PATCH", "/api/v1/kims/{kim}/aspirations/{aspiration_id}", api_managers(OK)),
    ("GET", "/api/v1/me", dict(everyone(OK), anonymous=401)),
    ("GET", "/api/v1/openapi.json", everyone(OK)),  # the API's description is public
    ("POST", "/api/v1/tokens", everyone(201)),
    ("GET", "/api/v1/tokens", dict(everyone(OK), anonymous=401)),
    ("GET", "/api/v1/kims/{kim}/subscriptions", api_members(OK)),
    ("POST", "/api/v1/kims/{kim}/subscriptions", api_managers(422)),  # nothing answers at that address
    ("POST", "/api/v1/kims/{kim}/subscriptions/opml", api_managers(422)),  # empty body
    # a source is seen by the KIMs that follow it, coordinators and admins (the other KIM's officer: 404)
    ("GET", "/api/v1/sources/{source_id}", dict(everyone(OK), anonymous=401, pengurus_other=404)),
    ("GET", "/api/v1/timeline", dict(everyone(OK), anonymous=401, koordinator=404)),  # koordinator: no KIM
    ("GET", "/api/v1/items/{item_id}", dict(everyone(OK), anonymous=401)),  # koordinator: of its kecamatan
    ("PUT", "/api/v1/items/{item_id}/{what}", dict(everyone(204), anonymous=401)),
    ("DELETE", "/api/v1/items/{item_id}/{what}", dict(everyone(204), anonymous=401)),
    ("GET", "/api/v1/items/{item_id}/exchanges", dict(everyone(OK), anonymous=401)),
    ("GET", "/api/v1/kims/{kim}/inbox", dict(everyone(FORBIDDEN), anonymous=401, anggota=OK, pengurus=OK, admin=OK)),
    ("PATCH", "/api/v1/exchanges/{exchange_id}", dict(everyone(FORBIDDEN), anonymous=401, pengurus_other=OK, admin=OK)),
    ("POST", "/api/v1/items/{item_id}/shares", dict(everyone(201), anonymous=401, pengurus_other=403, koordinator=403)),
    ("POST", "/api/v1/kims/{kim}/posts", api_members(201)),
    ("POST", "/api/v1/items/{item_id}/checks", api_managers(201)),
    # members may record a dissemination, but not before an officer's check
    ("POST", "/api/v1/items/{item_id}/disseminations", dict(api_members(201), anggota=409)),
    ("POST", "/api/v1/items/{item_id}/flags", api_managers(201)),
    ("GET", "/api/v1/monitor/kims", dict(everyone(FORBIDDEN), anonymous=401, koordinator=OK, admin=OK)),
    ("GET", "/api/v1/monitor/exchanges", dict(everyone(FORBIDDEN), anonymous=401, koordinator=OK, admin=OK)),
    ("GET", "/api/v1/monitor/reach", dict(everyone(FORBIDDEN), anonymous=401, koordinator=422, admin=422)),  # no ?item=
    # another person's token is not found; the admin revokes their own other token
    ("DELETE", "/api/v1/tokens/{token_id}", dict(everyone(404), anonymous=401, admin=204)),
    ("DELETE", "/api/v1/kims/{kim}/subscriptions/{subscription_id}", api_managers(204)),  # last: others need it
]
API_BODIES = {"/api/v1/kims/{kim}/subscriptions": {"url": "http://127.0.0.1:9/feed2", "bidang": "umum"},
              "/api/v1/kims/{kim}/aspirations": {"title": "Jalan rusak", "text": "Berlubang",
                                                 "category": "infrastruktur"},
              "/api/v1/kims/{kim}/aspirations/{aspiration_id}": {"status": "verified"},
              "/api/v1/items/{item_id}/comments": {"kim": "tujuah-koto-talago", "body": "Setuju"},
              "/api/v1/notifications/read": {},
              "/api/v1/exchanges/{exchange_id}": {"status": "declined", "note": "Sudah ada"},
              "/api/v1/items/{item_id}/shares": {"from_kim": "tujuah-koto-talago", "to": "network"},
              "/api/v1/kims/{kim}/posts": {"title": "Jadwal posyandu", "body": "Selasa pagi.", "bidang": "kesehatan"},
              "/api/v1/items/{item_id}/checks": {"kim": "tujuah-koto-talago", "note": "Cocok dengan surat dinas",
                                                 "links": ["https://example.id/surat"]},
              "/api/v1/items/{item_id}/disseminations": {"kim": "tujuah-koto-talago", "channel": "papan",
                                                         "audience": 120},
              "/api/v1/items/{item_id}/flags": {"kim": "tujuah-koto-talago", "kind": "hoaks", "reason": "Palsu"}}


def test_api_matrix_covers_every_api_route(app):
    covered = {(method, template) for method, template, _ in API_MATRIX}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule.replace("<slug>", "{kim}").replace("<int:source_id>", "{source_id}") \
                .replace("<int:subscription_id>", "{subscription_id}").replace("<int:item_id>", "{item_id}") \
                .replace("<any(read, star):what>", "{what}").replace("<int:exchange_id>", "{exchange_id}") \
                .replace("<int:token_id>", "{token_id}").replace("<tracking>", "{tracking}") \
                .replace("<int:aspiration_id>", "{aspiration_id}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                assert (method, path) in covered, f"API route missing from the matrix: {method} {path}"


@pytest.mark.parametrize("role", ROLES)
def test_every_api_route_for_role(app, world, role):
    users, ids = world
    client = app.test_client()
    headers = {}
    if role != "anonymous":
        token = client.post("/api/v1/tokens", json={"email": users[role].email,
                                                    "password": "rahasia-123"}).get_json()["token"]
        headers["Authorization"] = f"Bearer {token}"
    for method, template, expected in API_MATRIX:
        path = template.format(**ids)
        if (method, template) == ("POST", "/api/v1/tokens"):  # it takes credentials, not a token
            user = users.get(role) or users["anggota"]
            response = client.post(path, json={"email": user.email, "password": "rahasia-123"})
        elif template in API_BODIES:
            response = client.open(path, method=method, headers=headers, json=API_BODIES[template])
        else:
            response = client.open(path, method=method, headers=headers)
        assert response.status_code == expected[role], f"{method} {path} as {role}: {response.status_code}"
        assert response.is_json or response.status_code == 204
