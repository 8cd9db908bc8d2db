"""Admin pages: KIMs, users, memberships, coordinator roles; nothing is hard-deleted."""
import pytest

from hub.extensions import db
from hub.models import CoordinatorRole, Event, Kim, Membership, User
from tests.factories import login, make_kim, make_user, post

KIM_FORM = {"slug": "sarilamak", "name": "KIM Sarilamak", "nagari": "Sarilamak", "kecamatan": "Harau",
            "kabupaten": "Lima Puluh Kota", "description": "Ibu kota kabupaten", "contact": "0752-1",
            "website": "https://sarilamak.example.id", "feed_url": ""}


@pytest.fixture
def admin(app):
    make_user(app, "admin@example.id", admin=True)
    client = app.test_client()
    login(client, "admin@example.id")
    return client


def test_create_kim(app, admin):
    response = post(admin, "/admin/kims/new", KIM_FORM)
    assert response.status_code == 302
    with app.app_context():
        kim = db.session.scalar(db.select(Kim).where(Kim.slug == "sarilamak"))
        assert (kim.name, kim.nagari, kim.kecamatan, kim.website) == (
            "KIM Sarilamak", "Sarilamak", "Harau", "https://sarilamak.example.id")
        assert db.session.scalar(db.select(Event.verb).where(Event.kim_id == kim.id)) == "kim.created"
    assert "KIM Sarilamak" in admin.get("/kim/sarilamak").get_data(as_text=True)


@pytest.mark.parametrize("field,value,message", [
    ("slug", "Bukan Slug!", "Hanya huruf kecil, angka dan tanda hubung tunggal."),
    ("name", "", "Isian ini wajib diisi."),
    ("website", "javascript:alert(1)", "Tulis alamat lengkap"),
    ("nagari", "x" * 121, "Field cannot be longer than 120 characters."),
])
def test_create_kim_rejects_bad_input_and_keeps_the_rest(app, admin, field, value, message):
    form = dict(KIM_FORM, **{field: value})
    response = post(admin, "/admin/kims/new", form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Perbaiki isian yang ditandai." in html
    assert message in html or message.replace("Field cannot", "Field tidak") in html or "120" in html
    assert 'value="Lima Puluh Kota"' in html and "Ibu kota kabupaten" in html  # input kept
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Kim)) == 0


def test_duplicate_slug_is_refused(app, admin):
    make_kim(app, "sarilamak", kecamatan="Harau")
    response = post(admin, "/admin/kims/new", KIM_FORM)
    assert response.status_code == 409  # a conflict, as the API answers it
    assert "Sudah ada KIM dengan slug ini." in response.get_data(as_text=True)


def test_deactivate_kim_hides_it_but_keeps_it(app, admin):
    kim = make_kim(app, "sarilamak", kecamatan="Harau")
    member = make_user(app, "anggota@example.id", kim="sarilamak")
    assert post(admin, f"/admin/kims/{kim.id}/active", {"active": "0"}).status_code == 302
    public = app.test_client()
    assert public.get("/kim/sarilamak").status_code == 404
    assert "KIM sarilamak" not in public.get("/kim/").get_data(as_text=True)
    assert all(k["slug"] != "sarilamak" for k in public.get("/api/v1/kims").get_json()["kims"])
    assert admin.get("/kim/sarilamak").status_code == 200  # admins still see it
    with app.app_context():
        assert db.session.get(Kim, kim.id).active is False
        assert db.session.scalar(db.select(Membership).where(Membership.user_id == member.id)) is not None
    assert post(admin, f"/admin/kims/{kim.id}/active", {"active": "1"}).status_code == 302
    assert public.get("/kim/sarilamak").status_code == 200


def test_admin_can_change_slug(app, admin):
    kim = make_kim(app, "sarilamak", kecamatan="Harau")
    response = post(admin, f"/admin/kims/{kim.id}", dict(KIM_FORM, slug="nagari-sarilamak"))
    assert response.status_code == 302
    assert admin.get("/kim/nagari-sarilamak").status_code == 200
    assert admin.get("/kim/sarilamak").status_code == 404


def test_create_user_and_give_roles(app, admin):
    kim = make_kim(app, "sarilamak", kecamatan="Harau")
    response = post(admin, "/admin/users/new", {"email": "Fitri@Example.id", "name": "Fitri",
                                                "password": "kata-sandi-1"})
    assert response.status_code == 302
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == "fitri@example.id"))
    assert post(admin, f"/admin/users/{user_id}/memberships", {"m-kim": str(kim.id),
                                                               "m-role": "pengurus"}).status_code == 302
    assert post(admin, f"/admin/users/{user_id}/coordinator", {"c-kecamatan": "Harau"}).status_code == 302
    with app.app_context():
        user = db.session.get(User, user_id)
        assert [(m.kim.slug, m.role) for m in user.active_memberships] == [("sarilamak", "pengurus")]
        assert [(c.kabupaten, c.kecamatan) for c in user.active_coordinator_roles] == [("Lima Puluh Kota", "Harau")]
    # the new officer can edit her KIM
    fitri = app.test_client()
    assert login(fitri, "fitri@example.id", "kata-sandi-1").status_code == 302
    assert fitri.get("/kim/sarilamak/edit").status_code == 200


def test_create_user_validates(app, admin):
    make_user(app, "ada@example.id")
    cases = [
        ({"email": "bukan-email", "name": "X", "password": "kata-sandi-1"}, "Alamat email tidak valid."),
        ({"email": "ada@example.id", "name": "X", "password": "kata-sandi-1"}, "Sudah ada akun dengan email ini."),
        ({"email": "baru@example.id", "name": "X", "password": ""}, "Isian ini wajib diisi."),
        ({"email": "baru@example.id", "name": "X", "password": "pendek"}, "Antara 10 dan 200 karakter."),
        ({"email": "baru@example.id", "name": "X", "password": "1234567890"}, "daftar kata sandi yang paling umum"),
        ({"email": "baru@example.id", "name": "X", "password": " " * 12}, "tidak boleh hanya spasi"),
    ]
    for form, message in cases:
        response = post(admin, "/admin/users/new", form)
        # a taken address is a conflict, as the API answers it; the rest invalid input
        assert response.status_code == (409 if form["email"] == "ada@example.id" else 422), form
        assert message in response.get_data(as_text=True), message
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 2


def test_membership_end_and_restore(app, admin):
    make_kim(app, "sarilamak", kecamatan="Harau")
    user = make_user(app, "fitri@example.id", kim="sarilamak", role="pengurus")
    with app.app_context():
        membership_id = db.session.scalar(db.select(Membership.id).where(Membership.user_id == user.id))
    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    assert fitri.get("/kim/sarilamak/edit").status_code == 200
    post(admin, f"/admin/memberships/{membership_id}/active", {"active": "0"})
    assert fitri.get("/kim/sarilamak/edit").status_code == 403
    post(admin, f"/admin/memberships/{membership_id}/active", {"active": "1"})
    assert fitri.get("/kim/sarilamak/edit").status_code == 200


def test_coordinator_revoke(app, admin):
    user = make_user(app, "koor@example.id", coordinator="Guguak")
    with app.app_context():
        role_id = db.session.scalar(db.select(CoordinatorRole.id).where(CoordinatorRole.user_id == user.id))
    post(admin, f"/admin/coordinators/{role_id}/revoke")
    with app.app_context():
        assert db.session.get(User, user.id).active_coordinator_roles == []
        assert db.session.get(CoordinatorRole, role_id) is not None


def test_admin_cannot_lock_themselves_out(app, admin):
    with app.app_context():
        me = db.session.scalar(db.select(User).where(User.email == "admin@example.id"))
        my_id = me.id
    response = post(admin, f"/admin/users/{my_id}/active", {"active": "0"}, follow_redirects=True)
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.get_data(as_text=True)
    response = post(admin, f"/admin/users/{my_id}", {"email": "admin@example.id", "name": "Admin"})
    assert response.status_code == 422
    with app.app_context():
        me = db.session.get(User, my_id)
        assert me.active and me.is_admin


def test_lists_are_paginated(app, admin):
    app.config["HUB_PAGE_SIZE"] = 3
    for n in range(7):
        make_kim(app, f"kim-{n}", name=f"KIM {n}", kecamatan="Guguak")
    first = admin.get("/admin/kims").get_data(as_text=True)
    assert "Halaman 1 dari 3" in first and "KIM 0" in first and "KIM 3" not in first
    third = admin.get("/admin/kims?page=3").get_data(as_text=True)
    assert "KIM 6" in third and "KIM 0" not in third
    directory = app.test_client().get("/kim/?page=2").get_data(as_text=True)
    assert "KIM 3" in directory and "KIM 0" not in directory
