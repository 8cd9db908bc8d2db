"""Implementasi: officers record offline activities (with photos and related items); they count
on the dashboard by the day held. Admins set how many quiet days make a KIM quiet."""
import io
from datetime import date

from PIL import Image

from hub.extensions import db
from hub.models import Activity, Upload
from tests.factories import login, make_kim, make_user, post

from .history import MONTH, history  # noqa: F401  (fixture)
from .test_measures import token


def photo():
    data = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(data, "JPEG")
    data.seek(0)
    return (data, "kegiatan.jpg")


def test_an_officer_records_an_activity_with_a_photo_and_an_item(app, history):
    client = app.test_client()
    login(client, "a1@example.id")
    response = post(client, "/kim/a/kegiatan", {
        "held_on": "2026-11-20", "kind": "pleno", "adinda": "implementasi", "title": "Diskusi pupuk",
        "participants": "25", "resource_person": "Penyuluh BPP", "notes": "Dibahas harga pupuk",
        "items": str(history.p1), "photos": photo()}, content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(db.select(Activity).where(Activity.title == "Diskusi pupuk"))
        assert row.held_on == date(2026, 11, 20) and row.participants == 25
        assert [i.id for i in row.items] == [history.p1]
        assert db.session.scalar(db.select(Upload.activity_id).where(Upload.activity_id == row.id)) == row.id
    page = client.get("/kim/a/kegiatan").get_data(as_text=True)
    assert "Diskusi pupuk" in page and "Penyuluh BPP" in page and "/uploads/" in page
    kab = app.test_client()
    rows = kab.get("/api/v1/monitor/kims", query_string=MONTH, headers=token(kab, "kab@example.id")).get_json()
    assert {k["slug"]: k for k in rows["kims"]}["a"]["adinda"]["implementasi"] == 1


def test_a_refused_activity_keeps_what_was_typed(app, history):
    client = app.test_client()
    login(client, "a1@example.id")
    response = post(client, "/kim/a/kegiatan", {"held_on": "2099-01-01", "kind": "pleno", "adinda": "implementasi",
                                                "title": "Rencana", "notes": "Catatan panjang yang tidak hilang"})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Catatan panjang yang tidak hilang" in page and 'value="Rencana"' in page
    response = post(client, "/kim/a/kegiatan", {"held_on": "2026-11-20", "kind": "pleno", "adinda": "implementasi",
                                                "title": "Dengan butir", "items": "999999"})
    assert response.status_code == 422 and "999999" in response.get_data(as_text=True)
    for number in ("99999999999999", "-3"):  # no row can have it: a clear message, not a 500
        response = post(client, "/kim/a/kegiatan", {"held_on": "2026-11-20", "kind": "pleno", "adinda": "implementasi",
                                                    "title": "Dengan butir", "items": number})
        assert response.status_code == 422 and number in response.get_data(as_text=True)
    response = post(client, "/kim/a/kegiatan", {"held_on": "2026-11-20", "kind": "pleno", "adinda": "implementasi",
                                                "title": "Foto rusak",
                                                "photos": (io.BytesIO(b"not an image"), "x.jpg")},
                    content_type="multipart/form-data")
    assert response.status_code == 422 and 'value="Foto rusak"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Activity).where(Activity.kim_id == 1)) == 0


def test_only_officers_record_and_remove(app, history):
    member = app.test_client()
    login(member, "a2@example.id")
    assert member.get("/kim/a/kegiatan").status_code == 200  # members read the list
    assert post(member, "/kim/a/kegiatan", {"held_on": "2026-11-20", "kind": "pleno", "adinda": "implementasi",
                                            "title": "X"}).status_code == 403
    other = app.test_client()
    login(other, "b1@example.id")
    assert other.get("/kim/a/kegiatan").status_code == 403
    with app.app_context():
        activity_id = db.session.scalar(db.select(Activity.id).order_by(Activity.id))  # E's, held in October
    assert post(other, f"/kegiatan/{activity_id}/hapus").status_code == 403
    owner = app.test_client()
    login(owner, "e1@example.id")
    assert post(owner, f"/kegiatan/{activity_id}/hapus").status_code == 302
    with app.app_context():
        assert db.session.get(Activity, activity_id) is None


def test_admin_sets_the_quiet_days(app, history):
    client = app.test_client()
    headers = token(client, "kab@example.id")
    quiet = {k["slug"]: k["quiet"] for k in client.get("/api/v1/monitor/kims", query_string=MONTH,
                                                       headers=headers).get_json()["kims"]}
    assert quiet["b"] is True  # nothing in the last 15.6 days of November
    admin = app.test_client()
    login(admin, "admin@example.id")
    assert post(admin, "/admin/settings", {"quiet_days": "0"}).status_code == 422
    assert post(admin, "/admin/settings", {"quiet_days": "30", "retention_days": "365"}).status_code == 302
    body = client.get("/api/v1/monitor/kims", query_string=MONTH, headers=headers).get_json()
    assert body["quiet_days"] == 30
    assert {k["slug"]: k["quiet"] for k in body["kims"]}["b"] is False
    coordinator = app.test_client()
    login(coordinator, "kab@example.id")
    assert coordinator.get("/admin/settings").status_code == 403


def test_a_second_kecamatan_member_of_no_kim(app):
    """A KIM with no activity at all is quiet with no last activity."""
    make_kim(app, "sepi", kecamatan="Guguak")
    make_user(app, "kab@example.id", coordinator="kabupaten")
    client = app.test_client()
    body = client.get("/api/v1/monitor/kims", headers=token(client, "kab@example.id")).get_json()
    assert body["kims"][0]["quiet"] is True and body["kims"][0]["last_activity_at"] is None


def test_an_activity_counts_under_the_adinda_activity_it_was_tagged_with(app, history):
    """A meeting that passed information on is Diseminasi: it counts there, not as Implementasi."""
    client = app.test_client()
    headers = token(client, "kab@example.id")

    def adinda():
        rows = client.get("/api/v1/monitor/kims", query_string=MONTH, headers=headers).get_json()["kims"]
        row = {k["slug"]: k for k in rows}["a"]
        return row["adinda"], row["activities"]
    before, count = adinda()
    officer = app.test_client()
    login(officer, "a1@example.id")
    assert post(officer, "/kim/a/kegiatan", {"held_on": "2026-11-20", "kind": "sosialisasi", "adinda": "diseminasi",
                                             "title": "Sosialisasi jadwal posyandu"}).status_code == 302
    after, count_after = adinda()
    assert after["diseminasi"] == before["diseminasi"] + 1 and after["implementasi"] == before["implementasi"]
    assert count_after == count + 1
    with app.app_context():
        from hub.monitoring import measures
        mondays, series = measures.weekly(None, date(2026, 11, 22), "Asia/Jakarta", weeks=2)
        assert series["diseminasi"][-1] >= 1 and series["implementasi"] == [0, 0]
