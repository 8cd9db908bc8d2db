"""Posts (Berita): drafts stay private, publishing makes an item everywhere, Markdown is
sanitized, uploads are checked by content and size, the KIM's post policy holds."""
import io
from pathlib import Path

import lxml.html
import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from hub.errors import Forbidden, Invalid
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Event, Item, Post, Upload
from hub.posts import service
from hub.reading import timeline
from tests.factories import csrf_token, login, make_kim, make_user
from tests.sharing.test_exchanges import user

BASE = "https://kim.example.id/"


@pytest.fixture
def kim(app):
    make_kim(app, "talago", name="KIM Talago")
    make_kim(app, "sarilamak", kecamatan="Harau")
    make_user(app, "pengurus@example.id", kim="talago", role="pengurus")
    make_user(app, "anggota@example.id", kim="talago", role="anggota")
    make_user(app, "luar@example.id", kim="sarilamak", role="pengurus")
    return "talago"


def png_bytes(size=(40, 30), mode="RGB", fmt="PNG", **save):
    out = io.BytesIO()
    Image.new(mode, size, "green").save(out, fmt, **save)
    return out.getvalue()


def multipart(client, path, fields):
    """POST a multipart form built in memory (the test client would spool a large one to a
    temporary file it never closes)."""
    fields = dict(fields, csrf_token=csrf_token(client))
    boundary, body = encode_multipart(MultiDict([(k, v) for k, values in fields.items()
                                                 for v in (values if isinstance(values, list) else [values])]))
    return client.post(path, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def client_for(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def test_draft_is_private_and_publishing_makes_an_item(app, kim):
    with app.app_context():
        draft = service.create_post(get_kim("talago"), actor=user("anggota@example.id"), title="Gotong royong",
                                    body="Hari *Minggu* di **Jorong Koto**.", bidang="umum", base_url=BASE)
        db.session.commit()
        post_id = draft.id
        assert draft.status == "draft" and draft.item is None
        assert db.session.scalar(db.select(db.func.count()).select_from(Item)) == 0
    anonymous = app.test_client()
    assert anonymous.get(f"/berita/{post_id}").status_code == 404
    outsider = client_for(app, "luar@example.id")
    assert outsider.get(f"/berita/{post_id}").status_code == 404
    member = client_for(app, "anggota@example.id")
    page = member.get(f"/berita/{post_id}").get_data(as_text=True)
    assert "Gotong royong" in page and "<em>Minggu</em>" in page and "Draf" in page
    response = member.post(f"/berita/{post_id}/terbitkan", data={"csrf_token": csrf_token(member)})
    assert response.status_code == 302
    with app.app_context():
        post = db.session.get(Post, post_id)
        item = post.item
        assert post.status == "published" and post.published_at is not None
        assert item.kim_id == get_kim("talago").id and item.source_id is None
        assert item.guid.startswith("tag:localhost,") and item.guid.endswith(f":berita/{post_id}")
        assert item.url == f"http://localhost/berita/{post_id}"
        assert "<strong>Jorong Koto</strong>" in item.content and item.text.startswith("Hari Minggu")
        assert db.session.scalar(db.select(Event.activity).where(Event.verb == "post.published")) == "diseminasi"
        # it is in the KIM's timeline and found by search
        reader = user("anggota@example.id")
        entries = timeline.timeline(get_kim("talago"), reader, timeline.Filters()).entries
        assert [e.item.id for e in entries] == [item.id]
        found = timeline.timeline(get_kim("talago"), reader, timeline.Filters(q="jorong")).entries
        assert [e.item.id for e in found] == [item.id]
    assert "Gotong royong" in anonymous.get(f"/berita/{post_id}").get_data(as_text=True)


def test_editing_a_published_post_updates_its_item_and_search(app, kim):
    with app.app_context():
        post = service.create_post(get_kim("talago"), actor=user("pengurus@example.id"), title="Rapat",
                                   body="Rapat di kantor wali nagari.", publish=True, base_url=BASE)
        db.session.commit()
        guid, post_id = post.item.guid, post.id
    officer = client_for(app, "pengurus@example.id")
    response = officer.post(f"/berita/{post_id}/ubah", data={
        "csrf_token": csrf_token(officer), "title": "Rapat diundur", "body": "Rapat pindah ke surau.",
        "bidang": "umum"})
    assert response.status_code == 302
    with app.app_context():
        item = db.session.get(Post, post_id).item
        assert (item.title, item.guid) == ("Rapat diundur", guid)  # same id for feed readers
        reader = user("pengurus@example.id")
        assert [e.item.title for e in timeline.timeline(get_kim("talago"), reader,
                                                        timeline.Filters(q="surau")).entries] == ["Rapat diundur"]
        assert timeline.timeline(get_kim("talago"), reader, timeline.Filters(q="kantor")).entries == []


def test_markdown_is_sanitized(app, kim):
    with app.app_context():
        post = service.create_post(
            get_kim("talago"), actor=user("pengurus@example.id"), title="Uji",
            body='<script>alert(1)</script>\n\n[klik](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n'
                 '[Dinas](https://dinas.example.id)', publish=True, base_url=BASE)
        db.session.commit()
        content = post.item.content
        tree = lxml.html.fragment_fromstring(content, create_parent="div")
        assert tree.xpath("//script") == [] and tree.xpath("//img") == [] and tree.xpath("//@onerror") == []
        assert [a.get("href") for a in tree.xpath("//a")] == ["https://dinas.example.id"]
        assert "<script>alert(1)</script>" in tree.text_content()  # shown as the text that was typed
        assert '<a href="https://dinas.example.id" rel="noopener noreferrer nofollow ugc">Dinas</a>' in content


def test_post_policy(app, kim):
    with app.app_context():
        talago = get_kim("talago")
        member, officer = user("anggota@example.id"), user("pengurus@example.id")
        with pytest.raises(Forbidden):
            service.set_policy(talago, "draft", actor=member)
        service.set_policy(talago, "draft", actor=officer)
        db.session.commit()
        with pytest.raises(Forbidden):
            service.create_post(talago, actor=member, title="Langsung", publish=True, base_url=BASE)
        draft = service.create_post(talago, actor=member, title="Usulan", base_url=BASE)
        with pytest.raises(Forbidden):
            service.publish_post(draft, actor=member, base_url=BASE)
        service.publish_post(draft, actor=officer, base_url=BASE)
        assert draft.status == "published"
        assert not service.can_edit(member, draft)  # published: now the officers' to change
        service.set_policy(talago, "pengurus", actor=officer)
        with pytest.raises(Forbidden):
            service.create_post(talago, actor=member, title="Lagi", base_url=BASE)
        with pytest.raises(Forbidden):
            service.create_post(talago, actor=user("luar@example.id"), title="Dari luar", base_url=BASE)
        db.session.commit()
    member_client = client_for(app, "anggota@example.id")
    assert member_client.get("/kim/talago/berita/tulis").status_code == 403
    # the officer sets it from the KIM's edit page
    officer_client = client_for(app, "pengurus@example.id")
    response = officer_client.post("/kim/talago/edit", data={"csrf_token": csrf_token(officer_client),
                                                             "name": "KIM Talago", "post_policy": "anggota"})
    assert response.status_code == 302
    assert member_client.get("/kim/talago/berita/tulis").status_code == 200


def test_form_with_images(app, kim):
    member = client_for(app, "anggota@example.id")
    photo = io.BytesIO()
    Image.new("RGB", (3200, 1600), "blue").save(photo, "JPEG", exif=_gps_exif())
    response = multipart(member, "/kim/talago/berita/tulis", {
        "title": "Panen raya", "body": "Foto panen.", "bidang": "pertanian", "action": "publish",
        "images": [FileStorage(io.BytesIO(photo.getvalue()), "panen.jpg"),
                   FileStorage(io.BytesIO(png_bytes(mode="RGBA")), "logo.png")]})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        post = db.session.scalar(db.select(Post))
        big, logo = post.images
        assert (big.width, big.height, big.content_type) == (1600, 800, "image/jpeg")
        assert logo.content_type == "image/png"  # transparency kept
        stored = Path(app.instance_path) / "uploads" / big.name
        with Image.open(stored) as image:
            assert image.size == (1600, 800) and not image.getexif()  # no GPS position left in the file
        medium = big.name.replace(".jpg", "-w960.jpg")
        assert f'/uploads/{medium}" alt="" width="960" height="480"' in post.item.content  # a reader's column
        post_id = post.id
    served = app.test_client().get(f"/uploads/{big.name}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg" and served.data == stored.read_bytes()
    assert "max-age=31536000" in served.headers["Cache-Control"]
    # the sizes a phone needs, in WebP beside the JPEG, made when first asked for
    for name, size, mimetype in [(big.name.replace(".jpg", "-w480.webp"), (480, 240), "image/webp"),
                                 (big.name.replace(".jpg", "-w480.jpg"), (480, 240), "image/jpeg"),
                                 (medium, (960, 480), "image/jpeg"),
                                 (big.name.replace(".jpg", ".webp"), (1600, 800), "image/webp"),
                                 (logo.name.replace(".png", "-w480.webp"), None, "image/webp")]:
        response = app.test_client().get(f"/uploads/{name}")
        assert response.status_code == 200 and response.mimetype == mimetype, name
        if size:
            with Image.open(io.BytesIO(response.data)) as image:
                assert image.size == size
    assert len(app.test_client().get(f"/uploads/{big.name.replace('.jpg', '-w480.webp')}").data) < stored.stat().st_size
    for wrong in ("../x.jpg", big.name.replace(".jpg", "-w500.jpg"), big.name.replace(".jpg", ".png"),
                  "tidakada123.webp"):
        assert app.test_client().get(f"/uploads/{wrong}").status_code == 404, wrong
    page = app.test_client().get(f"/berita/{post_id}").get_data(as_text=True)
    assert f'{big.name.replace(".jpg", "-w480.webp")} 480w' in page and 'type="image/webp"' in page


def _gps_exif():
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (0.0, 40.0, 12.0)}  # GPSInfo: latitude
    exif[0x010F] = "PhoneMaker"
    return exif


@pytest.mark.parametrize("name,data,message", [
    ("foto.jpg", b"#!/bin/sh\necho bukan gambar\n", "bukan gambar yang dapat dibaca"),
    ("dok.png", b"%PDF-1.4\n" + b"0" * 100, "bukan gambar yang dapat dibaca"),
    ("ikon.bmp", None, "Hanya gambar JPEG, PNG, WebP atau GIF"),
    ("besar.jpg", b"\xff\xd8\xff" + b"0" * (8 * 1024 * 1024 + 10), "lebih besar dari 8 MB"),
])
def test_uploads_refuse_non_images_and_oversized_files(app, kim, name, data, message):
    if data is None:
        data = png_bytes(fmt="BMP")
    member = client_for(app, "anggota@example.id")
    response = multipart(member, "/kim/talago/berita/tulis", {
        "title": "Judul yang diketik", "body": "Isi yang diketik panjang.", "bidang": "umum", "action": "publish",
        "images": [FileStorage(io.BytesIO(data), name)]})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert 'value="Judul yang diketik"' in page and "Isi yang diketik panjang." in page  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 0
        assert db.session.scalar(db.select(db.func.count()).select_from(Upload)) == 0
    assert list((Path(app.instance_path) / "uploads").glob("*")) == []


def test_decompression_bomb_is_refused_before_decoding(app, kim, tmp_path):
    from hub.posts.images import store_image
    bomb = png_bytes(size=(8000, 6000), mode="1")  # 48 million pixels in a few KB
    assert len(bomb) < 100_000
    with pytest.raises(Invalid, match="too many pixels"):
        store_image(io.BytesIO(bomb), tmp_path)


def test_form_errors_and_lists(app, kim):
    member = client_for(app, "anggota@example.id")
    response = member.post("/kim/talago/berita/tulis", data={"csrf_token": csrf_token(member), "title": "  ",
                                                            "body": "Tanpa judul", "bidang": "umum"})
    assert response.status_code == 422 and "Tanpa judul" in response.get_data(as_text=True)
    response = member.post("/kim/talago/berita/tulis", data={"csrf_token": csrf_token(member), "title": "Draf saya",
                                                            "body": "", "bidang": "umum", "action": "draft"})
    assert response.status_code == 302
    assert "Draf saya" in member.get("/kim/talago/berita").get_data(as_text=True)
    assert "Draf saya" not in app.test_client().get("/kim/talago/berita").get_data(as_text=True)  # public list


def test_a_flagged_post_shows_the_warning_on_its_public_page(app, kim):
    from hub.sharing import review
    with app.app_context():
        post = service.create_post(get_kim("talago"), actor=user("pengurus@example.id"), title="Bantuan tunai",
                                   body="Daftar lewat tautan ini.", publish=True, base_url=BASE)
        db.session.flush()
        review.flag(post.item, get_kim("talago"), actor=user("pengurus@example.id"), kind="hoaks",
                    reason="Tautan penipuan")
        db.session.commit()
        post_id = post.id
    page = app.test_client().get(f"/berita/{post_id}").get_data(as_text=True)
    assert 'class="flag-warning"' in page and "Tautan penipuan" in page


def test_a_request_over_the_size_cap_gets_a_clear_page(app, kim):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    member = client_for(app, "anggota@example.id")
    response = multipart(member, "/kim/talago/berita/tulis", {
        "title": "Besar", "images": [FileStorage(io.BytesIO(b"\xff\xd8" + b"0" * 2 * 1024 * 1024), "besar.jpg")]})
    assert response.status_code == 413
    assert "lebih besar dari 1 MB" in response.get_data(as_text=True)
    page = member.get("/kim/talago/berita/tulis").get_data(as_text=True)
    assert 'data-max-bytes="1048576"' in page  # the browser checks before sending


def test_an_image_over_its_cap_comes_back_to_the_form_with_the_rest(app, kim):
    member = client_for(app, "anggota@example.id")
    response = multipart(member, "/kim/talago/berita/tulis", {
        "title": "Kerja bakti", "body": "Hari Minggu di surau.", "bidang": "umum", "action": "publish",
        "images": [FileStorage(io.BytesIO(b"\xff\xd8" + b"0" * 9 * 1024 * 1024), "besar.jpg")]})
    html = response.get_data(as_text=True)
    assert response.status_code == 422  # the form again, not the 413 page
    assert "8 MB" in html and 'value="Kerja bakti"' in html and "Hari Minggu di surau.</textarea>" in html


def test_an_over_long_body_is_refused_in_the_readers_language_and_kept(app, kim):
    """WTForms' own messages came out in English; now they are the hub's, in its language, and
    the text typed comes back with them (issue 11)."""
    member = client_for(app, "anggota@example.id")
    body = "Panen raya di Jorong Koto. " * 2000  # 54,000 characters, over the 50,000 allowed
    response = multipart(member, "/kim/talago/berita/tulis", {"title": "Panen", "body": body, "bidang": "pertanian",
                                                              "action": "publish"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Isian ini paling panjang 50000 karakter." in html and "Field cannot be longer" not in html
    assert html.count("Panen raya di Jorong Koto.") >= 2000  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Post)) == 0
    from tests.factories import post
    post(member, "/lang", {"lang": "en"})
    response = multipart(member, "/kim/talago/berita/tulis", {"title": "Panen", "body": body, "bidang": "pertanian",
                                                              "action": "publish"})
    assert "Field cannot be longer than 50000 characters." in response.get_data(as_text=True)
