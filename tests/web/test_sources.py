"""Officers manage their KIM's sources: discovery with a preview, edit, unsubscribe, OPML."""
import pytest

from hub.aggregation.opml import parse_opml
from hub.extensions import db
from hub.models import Event, Source, Subscription
from tests.aggregation.feeds import numbered, rss
from tests.aggregation.helpers import refresh
from tests.conftest import CORPUS
from tests.factories import login, make_kim, make_user, post

PAGE = """<!doctype html><html><head><title>Nagari</title>
<link rel="alternate" type="application/rss+xml" title="Berita" href="/berita.xml">
<link rel="alternate" type="application/atom+xml" title="Pengumuman" href="{atom}">
</head><body>Halo</body></html>"""
ATOM = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Pengumuman Nagari</title>
<id>tag:x,2026:1</id><updated>2026-11-01T00:00:00Z</updated>
<entry><title>Rapat nagari</title><id>tag:x,2026:e1</id><updated>2026-11-01T00:00:00Z</updated>
<link href="https://nagari.example.id/rapat"/></entry></feed>"""


@pytest.fixture
def officer(app):
    make_kim(app)
    make_user(app, "rina@example.id", kim="tujuah-koto-talago", role="pengurus")
    client = app.test_client()
    login(client, "rina@example.id")
    return client


def subscriptions(app):
    with app.app_context():
        return [(s.source.url, s.bidang, s.title, s.source.kind) for s in db.session.scalars(db.select(Subscription))]


def test_a_feed_url_is_previewed_then_saved(app, officer, httpserver):
    httpserver.expect_request("/feed.xml").respond_with_data(rss(numbered(7), title="Dinas Pertanian"))
    url = httpserver.url_for("/feed.xml")
    form = {"url": url, "bidang": "pertanian", "kind": "pemerintah"}
    preview = post(officer, "/kim/tujuah-koto-talago/sources/new", form)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Dinas Pertanian" in html and "Berita 0" in html and "Berita 4" in html and "Berita 5" not in html
    assert "7 butir" in html
    assert subscriptions(app) == []  # nothing saved by the preview
    saved = post(officer, "/kim/tujuah-koto-talago/sources/new", dict(form, feed=url, title=""))
    assert saved.status_code == 302
    assert subscriptions(app) == [(url, "pertanian", "", "pemerintah")]
    with app.app_context():
        assert db.session.scalar(db.select(Event.activity).where(Event.verb == "subscription.created")) == "akses"
    again = post(officer, "/kim/tujuah-koto-talago/sources/new", dict(form, feed=url))
    assert "KIM ini sudah mengikuti umpan itu." in again.get_data(as_text=True)
    listing = officer.get("/kim/tujuah-koto-talago/sources").get_data(as_text=True)
    assert url in listing and "Menunggu pengambilan pertama" in listing
    refresh(app)
    listing = officer.get("/kim/tujuah-koto-talago/sources").get_data(as_text=True)
    assert "Dinas Pertanian" in listing and "terakhir diambil" in listing


def test_a_page_with_several_feeds_lets_the_officer_pick(app, officer, httpserver):
    atom_url = httpserver.url_for("/pengumuman.atom")
    httpserver.expect_request("/").respond_with_data(PAGE.format(atom=atom_url), content_type="text/html")
    httpserver.expect_request("/berita.xml").respond_with_data(rss(numbered(2), title="Berita Nagari"))
    httpserver.expect_request("/pengumuman.atom").respond_with_data(ATOM)
    preview = post(officer, "/kim/tujuah-koto-talago/sources/new", {"url": httpserver.url_for("/"), "bidang": "umum",
                                                                     "kind": "kim"})
    html = preview.get_data(as_text=True)
    assert "Ditemukan 2 umpan" in html and "Berita Nagari" in html and "Pengumuman Nagari" in html
    assert "Rapat nagari" in html
    post(officer, "/kim/tujuah-koto-talago/sources/new", {"url": httpserver.url_for("/"), "bidang": "umum",
                                                          "kind": "kim", "feed": atom_url})
    assert subscriptions(app) == [(atom_url, "umum", "", "kim")]


def test_common_feed_paths_are_tried(app, officer, httpserver):
    httpserver.expect_request("/").respond_with_data("<html><body>Blog nagari</body></html>", content_type="text/html")
    httpserver.expect_request("/feeds/posts/default").respond_with_data(ATOM)
    preview = post(officer, "/kim/tujuah-koto-talago/sources/new", {"url": httpserver.url_for("/"), "bidang": "umum",
                                                                     "kind": "kim"})
    assert "Pengumuman Nagari" in preview.get_data(as_text=True)


@pytest.mark.parametrize("body,content_type,message", [
    ("<html><body>Tidak ada umpan</body></html>", "text/html", "tidak ada umpan yang ditautkan"),
    ("", "application/xml", "bukan umpan"),
])
def test_a_page_without_feed_gets_a_clear_message(app, officer, httpserver, body, content_type, message):
    httpserver.expect_request("/").respond_with_data(body, content_type=content_type)
    response = post(officer, "/kim/tujuah-koto-talago/sources/new", {"url": httpserver.url_for("/"), "bidang": "umum",
                                                                      "kind": "media"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert httpserver.url_for("/") in html  # the address typed is kept
    assert subscriptions(app) == []


def test_bad_addresses_are_refused(app, officer):
    for url in ("ftp://example.com/feed", "http://", "javascript:alert(1)"):
        response = post(officer, "/kim/tujuah-koto-talago/sources/new", {"url": url, "bidang": "umum", "kind": "media"})
        assert response.status_code == 422
        assert "http:// atau https://" in response.get_data(as_text=True)


def test_rename_change_bidang_and_unsubscribe(app, officer, httpserver):
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(2)))
    url = httpserver.url_for("/feed")
    post(officer, "/kim/tujuah-koto-talago/sources/new", {"url": url, "bidang": "umum", "kind": "media", "feed": url})
    refresh(app)
    with app.app_context():
        sub_id = db.session.scalar(db.select(Subscription.id))
    post(officer, f"/kim/tujuah-koto-talago/sources/{sub_id}", {f"s{sub_id}-title": "Kominfo Sumbar",
                                                                f"s{sub_id}-bidang": "pemerintahan"})
    assert subscriptions(app) == [(url, "pemerintahan", "Kominfo Sumbar", "media")]
    bad = post(officer, f"/kim/tujuah-koto-talago/sources/{sub_id}", {f"s{sub_id}-title": "x",
                                                                      f"s{sub_id}-bidang": "ngawur"},
               follow_redirects=True)
    assert "Pilih bidang dari daftar." in bad.get_data(as_text=True)
    post(officer, f"/kim/tujuah-koto-talago/sources/{sub_id}/delete")
    assert subscriptions(app) == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Source)) == 1  # the source stays
        from hub.models import Item
        assert db.session.scalar(db.select(db.func.count()).select_from(Item)) == 2  # and its items


def test_officer_cannot_touch_another_kims_subscription(app, officer):
    make_kim(app, "sarilamak", kecamatan="Harau")
    with app.app_context():
        from hub.aggregation import service
        from hub.kims.service import get_kim
        other = service.subscribe(get_kim("sarilamak"), "https://kominfo.example.id/feed")
        db.session.commit()
        other_id = other.id
    assert post(officer, f"/kim/tujuah-koto-talago/sources/{other_id}/delete").status_code == 404
    assert post(officer, f"/kim/sarilamak/sources/{other_id}/delete").status_code == 403
    assert len(subscriptions(app)) == 1


def test_opml_import_preview_confirm_and_report(app, officer):
    data = (CORPUS / "opml/plenary-Indonesia-with_category.opml").read_bytes()
    with app.app_context():  # one of them is already followed
        from hub.aggregation import service
        from hub.kims.service import get_kim
        service.subscribe(get_kim("tujuah-koto-talago"), "https://www.tribunnews.com/rss")
        db.session.commit()
    preview = officer.post("/kim/tujuah-koto-talago/sources/import", data={
        "csrf_token": _token(officer), "bidang": "umum", "kind": "media",
        "file": (__import__("io").BytesIO(data), "langganan.opml")}, content_type="multipart/form-data")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Republika Online RSS Feed" in html and "Akan ditambahkan" in html and "Sudah diikuti." in html
    assert len(subscriptions(app)) == 1  # nothing saved yet
    opml_text = html.split('<textarea name="opml_text" hidden>')[1].split("</textarea>")[0]
    import html as html_lib
    done = post(officer, "/kim/tujuah-koto-talago/sources/import", {"bidang": "umum", "kind": "media",
                                                                    "opml_text": html_lib.unescape(opml_text)})
    text = done.get_data(as_text=True)
    assert "3 ditambahkan, 1 dilewati, 0 gagal" in text
    assert len(subscriptions(app)) == 4


def test_opml_import_refuses_non_opml(app, officer):
    response = officer.post("/kim/tujuah-koto-talago/sources/import", data={
        "csrf_token": _token(officer), "bidang": "umum", "kind": "media",
        "file": (__import__("io").BytesIO(b"<html>bukan</html>"), "x.opml")}, content_type="multipart/form-data")
    assert response.status_code == 422 and "Ini bukan berkas OPML." in response.get_data(as_text=True)


def test_opml_import_says_a_broken_file_is_broken_and_imports_nothing(app, officer):
    cut = (b'<?xml version="1.0"?>\n<opml version="2.0"><body>\n<outline text="Dinas" xmlUrl="https://a.example.id/rss"/>'
           b'\n<outline text="Kabar" xmlUrl="https://b.exa')
    response = officer.post("/kim/tujuah-koto-talago/sources/import", data={
        "csrf_token": _token(officer), "bidang": "umum", "kind": "media",
        "file": (__import__("io").BytesIO(cut), "x.opml")}, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Berkas OPML rusak" in html and "baris 4" in html
    assert subscriptions(app) == []


def test_opml_export_round_trips(app, officer):
    with app.app_context():
        from hub.aggregation import service
        from hub.kims.service import get_kim
        kim = get_kim("tujuah-koto-talago")
        service.subscribe(kim, "https://kominfo.example.id/feed", bidang="pemerintahan", title="Kominfo")
        service.subscribe(kim, "https://tani.example.id/rss", bidang="pertanian")
        db.session.commit()
    response = officer.get("/kim/tujuah-koto-talago/sources.opml")
    assert response.mimetype == "text/x-opml"
    outlines = parse_opml(response.data)
    assert {(o.xml_url, o.category) for o in outlines} == {("https://kominfo.example.id/feed", "pemerintahan"),
                                                          ("https://tani.example.id/rss", "pertanian")}
    assert "Kominfo" in {o.title for o in outlines}


def test_admin_sees_sources_with_errors_and_retries(app, httpserver):
    make_kim(app)
    make_user(app, "admin@example.id", admin=True)
    httpserver.expect_request("/rusak").respond_with_data("no", status=500)
    httpserver.expect_request("/baik").respond_with_data(rss(numbered(1)))
    with app.app_context():
        from hub.aggregation import service
        from hub.kims.service import get_kim
        kim = get_kim("tujuah-koto-talago")
        service.subscribe(kim, httpserver.url_for("/rusak"))
        service.subscribe(kim, httpserver.url_for("/baik"))
        db.session.commit()
    refresh(app)
    admin = app.test_client()
    login(admin, "admin@example.id")
    html = admin.get("/admin/sources").get_data(as_text=True)
    assert "/rusak" in html and "/baik" not in html and "galat HTTP 500" in html
    with app.app_context():
        broken = db.session.scalar(db.select(Source).where(Source.url.like("%rusak")))
        broken_id, due = broken.id, broken.next_check_at
    post(admin, f"/admin/sources/{broken_id}/retry")
    with app.app_context():
        assert db.session.get(Source, broken_id).next_check_at < due
    assert refresh(app, due_only=True).sources == 1


def _token(client):
    from tests.factories import csrf_token
    return csrf_token(client)


def test_the_preview_fills_the_feeds_title_and_a_kind_guessed_from_it(app, officer, httpserver):
    httpserver.expect_request("/rss").respond_with_data(rss(numbered(2), title="Harian Singgalang Berita"))
    url = httpserver.url_for("/rss")
    preview = post(officer, "/kim/tujuah-koto-talago/sources/new", {"url": url, "bidang": "umum"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert 'name="title" type="text" value="Harian Singgalang Berita"' in html
    assert '<option selected value="media">' in html
    saved = post(officer, "/kim/tujuah-koto-talago/sources/new", {"url": url, "bidang": "umum", "kind": "media",
                                                                  "title": "Harian Singgalang Berita", "feed": url})
    assert saved.status_code == 302
    assert subscriptions(app) == [(url, "umum", "Harian Singgalang Berita", "media")]


@pytest.mark.parametrize("url, title, kind", [
    ("https://dinaspertanian.limapuluhkotakab.go.id/feed", "Berita", "pemerintah"),
    ("https://example.id/rss", "Dinas Kominfo Sumbar", "pemerintah"),
    ("https://kimtalago.example.id/feed", "KIM Tujuah Koto Talago", "kim"),
    ("https://padek.example.id/feed", "Padang Ekspres — Berita Sumbar", "media"),
    ("https://blog.example.id/feed", "Catatan Uda", "lainnya"),
])
def test_a_new_sources_kind_is_guessed_from_its_address_and_title(app, url, title, kind):
    from hub.aggregation.service import guess_kind
    with app.app_context():
        assert guess_kind(url, title) == kind
