"""Public directory and profiles; officers edit their own KIM only."""
from hub.extensions import db
from hub.models import Kim
from tests.factories import login, make_kim, make_user, post


def test_directory_groups_by_kecamatan_and_filters(app, client):
    make_kim(app, "tujuah-koto-talago", name="KIM Tujuah Koto", nagari="Tujuah Koto Talago", kecamatan="Guguak")
    make_kim(app, "sarilamak", name="KIM Sarilamak", nagari="Sarilamak", kecamatan="Harau")
    html = client.get("/kim/").get_data(as_text=True)
    order = ["Kecamatan Guguak", "KIM Tujuah Koto", "Kecamatan Harau", "KIM Sarilamak"]
    assert [html.index(text) for text in order] == sorted(html.index(text) for text in order)
    only_harau = client.get("/kim/?kecamatan=harau").get_data(as_text=True)
    assert "KIM Sarilamak" in only_harau and "KIM Tujuah Koto" not in only_harau
    search = client.get("/kim/?q=talago").get_data(as_text=True)
    assert "KIM Tujuah Koto" in search and "KIM Sarilamak" not in search
    kecamatan = client.get("/kecamatan/guguak").get_data(as_text=True)
    assert "KIM Tujuah Koto" in kecamatan and "KIM Sarilamak" not in kecamatan
    assert client.get("/kecamatan/tidak-ada").status_code == 404


def test_profile_shows_the_kim(app, client):
    make_kim(app, "tujuah-koto-talago", name="KIM Tujuah Koto", nagari="Tujuah Koto Talago",
             description="Akses informasi\nDiskusi", contact="0752-7", website="https://7koto.example.id")
    make_user(app, "rina@example.id", name="Rina Marlina", kim="tujuah-koto-talago", role="pengurus")
    html = client.get("/kim/tujuah-koto-talago").get_data(as_text=True)
    for text in ("KIM Tujuah Koto", "Tujuah Koto Talago", "Guguak", "Lima Puluh Kota", "0752-7",
                 "https://7koto.example.id", "Rina Marlina", "<p>Akses informasi</p>"):
        assert text in html
    assert client.get("/kim/tidak-ada").status_code == 404


def test_profile_escapes_html(app, client):
    make_kim(app, "x", name="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    html = client.get("/kim/x").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_officer_edits_own_kim_only(app):
    make_kim(app, "tujuah-koto-talago", kecamatan="Guguak")
    make_kim(app, "sarilamak", kecamatan="Harau")
    make_user(app, "rina@example.id", kim="tujuah-koto-talago", role="pengurus")
    client = app.test_client()
    login(client, "rina@example.id")
    ok = post(client, "/kim/tujuah-koto-talago/edit", {"name": "KIM Tujuah Koto Baru", "description": "Baru",
                                                       "contact": "", "website": "", "feed_url": ""})
    assert ok.status_code == 302
    # fields officers may not touch are ignored even if posted
    post(client, "/kim/tujuah-koto-talago/edit", {"name": "KIM Tujuah Koto Baru", "kecamatan": "Harau", "slug": "x"})
    with app.app_context():
        kim = db.session.scalar(db.select(Kim).where(Kim.slug == "tujuah-koto-talago"))
        assert (kim.name, kim.description, kim.kecamatan) == ("KIM Tujuah Koto Baru", "Baru", "Guguak")
    denied = post(client, "/kim/sarilamak/edit", {"name": "Diambil alih"})
    assert denied.status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(Kim.name).where(Kim.slug == "sarilamak")) == "KIM sarilamak"


def test_officer_edit_validates(app):
    make_kim(app, "tujuah-koto-talago")
    make_user(app, "rina@example.id", kim="tujuah-koto-talago", role="pengurus")
    client = app.test_client()
    login(client, "rina@example.id")
    response = post(client, "/kim/tujuah-koto-talago/edit", {"name": "", "description": "Tetap di sini",
                                                             "website": "bukan alamat"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Isian ini wajib diisi." in html and "Tulis alamat lengkap" in html
    assert "Tetap di sini" in html


def test_member_is_not_officer(app):
    make_kim(app, "tujuah-koto-talago")
    make_user(app, "dedi@example.id", kim="tujuah-koto-talago", role="anggota")
    client = app.test_client()
    login(client, "dedi@example.id")
    assert client.get("/kim/tujuah-koto-talago/edit").status_code == 403
    assert "Ubah profil" not in client.get("/kim/tujuah-koto-talago").get_data(as_text=True)


def test_home_lists_my_kims(app):
    make_kim(app, "tujuah-koto-talago", name="KIM Tujuah Koto")
    make_kim(app, "kubang", name="KIM Kubang")
    make_user(app, "dedi@example.id", kim="tujuah-koto-talago")
    with app.app_context():
        from hub.accounts import service
        from hub.models import User
        user = db.session.scalar(db.select(User))
        service.set_membership(user, db.session.scalar(db.select(Kim).where(Kim.slug == "kubang")), "pengurus",
                               actor=None)
        db.session.commit()
    client = app.test_client()
    login(client, "dedi@example.id")
    html = client.get("/").get_data(as_text=True)
    assert "KIM Tujuah Koto" in html and "KIM Kubang" in html and "Pengurus" in html
