"""Phones first (issue 11): every page of every role at 360 px, with no horizontal overflow (the
page itself never scrolls sideways; a wide table scrolls inside its own box). A screenshot of
each page is kept in test-artifacts/360/."""
import pytest

from hub.extensions import db
from hub.models import Exchange, Item, Kim, Post, User
from tests.factories import make_user
from tests.sharing.test_hoaks_travel import flagged  # noqa: F401 (a fixture)

from .test_sharing import log_in

pytestmark = pytest.mark.browser

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Dinas Komunikasi dan Informatika Kabupaten
Lima Puluh Kota — Berita Resmi Pemerintah Daerah</title><link>https://kominfo.example.id/</link>
<item><title>Sosialisasi</title><link>https://kominfo.example.id/1</link><guid>1</guid></item></channel></rss>"""

PAGES = {
    "dedi@example.id": ["/", "/linimasa", "/item/{item}", "/kim/", "/kim/talago", "/kecamatan/guguak",
                        "/kim/talago/inbox", "/kim/talago/terkirim", "/kim/talago/berita", "/kim/talago/berita/tulis",
                        "/berita/{post}", "/kim/talago/ringkasan-wa", "/kim/talago/kegiatan", "/exchange/{exchange}",
                        "/account/", "/account/password", "/account/tokens", "/account/sessions", "/notifikasi"],
    "rina@example.id": ["/kim/talago/aspirasi/masuk", "/kim/talago/aspirasi/{aspiration}", "/aspirasi/{tracking}",
                        "/kim/talago/aspirasi", "/item/{item}", "/kim/talago/edit", "/kim/talago/sources",
                        "/kim/talago/sources/new", "/kim/talago/sources/import", "/berita/{post}/ubah", "/account/"],
    "koor@example.id": ["/", "/pantau", "/pantau/kim/talago", "/pantau/jejaring", "/pantau/jangkauan?item={item}",
                        "/pantau/laporan", "/item/{item}", "/account/", "/account/tokens"],
    "admin@example.id": ["/admin/", "/admin/aspirasi", "/admin/users", "/admin/users/new", "/admin/users/{user}",
                         "/admin/kims", "/admin/kims/new", "/admin/kims/{kim}", "/admin/sources", "/admin/settings",
                         "/account/", "/account/sessions"],
}

# what sticks out to the right of the screen, outside a box that scrolls on its own
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && !el.closest('.scroll')) {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.split(' ').join('.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls + ' ' + Math.round(box.right));
    }
  }
  return out.slice(0, 5);
}"""


def test_every_page_of_every_role_fits_360_px(app, flagged, live_server, browser, artifacts, httpserver):  # noqa: F811
    make_user(app, "koor@example.id", name="Koordinator Kabupaten Lima Puluh Kota", coordinator="kabupaten")
    make_user(app, "admin@example.id", name="Admin", admin=True)
    httpserver.expect_request("/rss").respond_with_data(FEED, content_type="application/rss+xml")
    with app.app_context():
        from hub.posts.service import create_post
        rina = db.session.scalar(db.select(User).where(User.email == "rina@example.id"))
        talago = db.session.scalar(db.select(Kim).where(Kim.slug == "talago"))
        post = create_post(talago, actor=rina, title="Gotong royong membersihkan saluran irigasi Nagari Talago",
                           body="Hari **Minggu** pukul 08.00 WIB. " * 20, publish=True, base_url="http://localhost/")
        db.session.commit()
        from hub.aspirasi import service as aspirasi
        from hub.models import AspirationCategory
        for code, label in aspirasi.DEFAULT_CATEGORIES:  # long names, as a hub has them
            db.session.merge(AspirationCategory(code=code, label=label, active=True))
        wish = aspirasi.submit(talago, {"title": "Jembatan gantung Jorong Koto rusak parah sejak banjir bulan lalu",
                                        "text": "Papan lapuk. " * 40, "category": "infrastruktur",
                                        "nagari": "Jorong Koto Tuo", "contact": "081234567890"})
        db.session.commit()
        ids = {"item": flagged["item_id"], "exchange": flagged["exchange_id"], "post": post.id, "kim": talago.id,
               "user": rina.id, "aspiration": wish.id, "tracking": wish.code}
        assert db.session.get(Item, ids["item"]) and db.session.get(Exchange, ids["exchange"])
        assert db.session.get(Post, ids["post"])
    (artifacts / "360").mkdir(exist_ok=True)
    errors, overflowing = [], {}
    for email, paths in PAGES.items():
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, live_server, email)
        for template in paths:
            path = template.format(**ids)
            response = page.goto(live_server + path)
            assert response.status == 200, (email, path, response.status)
            found = page.evaluate(OVERFLOW)
            if found:
                overflowing[f"{email} {path}"] = found
            name = email.split("@")[0] + path.replace("/", "_").replace("?", "_") + ".png"
            page.screenshot(path=str(artifacts / "360" / name), full_page=True)
        if email == "rina@example.id":  # a new source, after its preview found the feed
            page.goto(live_server + "/kim/talago/sources/new")
            page.locator("input[name=url]").fill(httpserver.url_for("/rss"))
            page.locator("form.form button[type=submit]").first.click()
            page.wait_for_load_state()
            found = page.evaluate(OVERFLOW)
            if found:
                overflowing[f"{email} sources/new preview"] = found
            page.screenshot(path=str(artifacts / "360" / "rina_sources_new_preview.png"), full_page=True)
        context.close()
    assert not overflowing, f"pages wider than 360 px: {overflowing}"
    assert errors == []


def test_a_photo_is_served_at_a_phones_size(app, live_server, browser, artifacts):
    """A 2400 px photo is stored at 1600; a 360 px phone gets its 480 px WebP (not the 1600 px
    JPEG), a wide screen a larger one."""
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    from tests.factories import make_kim
    from tests.posts.test_posts import client_for, kim, multipart, png_bytes  # noqa: F401 (kim: a fixture)
    make_kim(app, "talago", name="KIM Talago")
    make_user(app, "pengurus@example.id", kim="talago", role="pengurus")
    officer = client_for(app, "pengurus@example.id")
    photo = io.BytesIO(png_bytes(size=(2400, 1200), fmt="JPEG", quality=90))
    response = multipart(officer, "/kim/talago/berita/tulis", {
        "title": "Panen raya", "body": "Foto panen.", "bidang": "pertanian", "action": "publish",
        "images": [FileStorage(photo, "panen.jpg")]})
    assert response.status_code == 302
    with app.app_context():
        post_id = db.session.scalar(db.select(Post.id))
    chosen = {}
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(f"{live_server}/berita/{post_id}")
        image = page.locator("article figure img").first
        image.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        chosen[width] = image.evaluate("img => img.currentSrc")
        page.screenshot(path=str(artifacts / f"post-photo-{width}.png"))
        context.close()
    assert chosen[360].endswith("-w480.webp"), chosen
    assert chosen[1280].endswith(".webp") and "-w480" not in chosen[1280], chosen
    served = app.test_client().get("/" + chosen[360].split("/", 3)[3])
    with Image.open(io.BytesIO(served.data)) as small:
        assert small.size == (480, 240) and small.format == "WEBP"
