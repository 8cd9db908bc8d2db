"""Aspirations through the pages and the API (issue 12): the public form with its robot checks,
the tracking page, the officers' queue and steps, the API's shapes, and a walk of every public
place to prove the submitter's name and contact appear nowhere but to the KIM's officers."""
import io
import re

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from hub.extensions import db
from hub.models import Aspiration, AspirationCategory, AspirationOffice, Upload
from tests.factories import csrf_token, login, make_kim, make_user

NAME, CONTACT = "Yusuf Bagindo", "0812-7777-3131"
FORM = {"name": NAME, "contact": CONTACT, "nagari": "Jorong Koto Tuo", "category": "infrastruktur",
        "title": "Jembatan gantung rusak", "text": "Papan jembatan lapuk."}


@pytest.fixture
def kim(app):
    make_kim(app, "talago", name="KIM Talago")
    make_user(app, "rina@example.id", name="Rina", kim="talago", role="pengurus")
    make_user(app, "dedi@example.id", name="Dedi", kim="talago")
    make_user(app, "koor@example.id", coordinator="kabupaten")
    with app.app_context():
        db.session.merge(AspirationCategory(code="infrastruktur", label="Infrastruktur", active=True))
        db.session.add(AspirationOffice(name="Dinas PUPR", kind="dinas"))
        db.session.commit()


def photo():
    out = io.BytesIO()
    Image.new("RGB", (800, 600), "green").save(out, "JPEG")
    out.seek(0)
    return FileStorage(out, "jembatan.jpg")


def send_form(client, fields, files=None):
    page = client.get("/kim/talago/aspirasi").get_data(as_text=True)
    started = re.search(r'name="started" type="hidden" value="([^"]+)"', page).group(1)
    data = dict(fields, csrf_token=csrf_token(client, "/kim/talago/aspirasi"), started=started)
    if files:
        data.update(files)
    return client.post("/kim/talago/aspirasi", data=data, content_type="multipart/form-data")


def test_a_citizen_submits_and_follows_it_and_officers_handle_it(app, kim):
    citizen = app.test_client()
    too_fast = send_form(citizen, FORM)  # sent back at once: a robot's speed
    assert too_fast.status_code == 422 and 'value="Jembatan gantung rusak"' in too_fast.get_data(as_text=True)
    robot = send_form(citizen, dict(FORM, website="http://spam.example"))
    assert robot.status_code == 422
    app.config["HUB_ASPIRATION_MIN_SECONDS"] = 0
    assert send_form(citizen, dict(FORM, website="x")).status_code == 422  # the honeypot, however slow
    missing = send_form(citizen, dict(FORM, title=""))
    assert missing.status_code == 422 and "Papan jembatan lapuk.</textarea>" in missing.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Aspiration)) == 0
    done = send_form(citizen, FORM, {"photo": photo()})
    assert done.status_code == 302
    code = done.headers["Location"].rsplit("/", 1)[1]
    page = citizen.get(done.headers["Location"]).get_data(as_text=True)
    assert code in page and "Diajukan" in page and NAME not in page and "7777" not in page
    with app.app_context():
        row = db.session.scalar(db.select(Aspiration))
        assert row.contact == "081277773131" and row.code == code
        assert db.session.scalar(db.select(Upload.aspiration_id)) == row.id  # the photo, EXIF-free
        aspiration_id, office_id = row.id, db.session.scalar(db.select(AspirationOffice.id))
    officer = app.test_client()
    login(officer, "rina@example.id")
    queue = officer.get("/kim/talago/aspirasi/masuk").get_data(as_text=True)
    assert "Jembatan gantung rusak" in queue
    detail_url = f"/kim/talago/aspirasi/{aspiration_id}"
    detail = officer.get(detail_url).get_data(as_text=True)
    assert NAME in detail and "081277773131" in detail
    token = csrf_token(officer, detail_url)
    refused = officer.post(detail_url, data={"csrf_token": token, "status": "forwarded", "forward_to": "0"})
    assert refused.status_code == 409  # not verified yet: the allowed steps are named
    assert officer.post(detail_url, data={"csrf_token": token, "status": "verified", "note": "Dicek ke lokasi",
                                          "forward_to": "0"}).status_code == 302
    nowhere = officer.post(detail_url, data={"csrf_token": token, "status": "forwarded", "forward_to": "0",
                                             "note": "Ke dinas"})
    assert nowhere.status_code == 422 and "Ke dinas</textarea>" in nowhere.get_data(as_text=True)
    assert officer.post(detail_url, data={"csrf_token": token, "status": "forwarded",
                                          "forward_to": str(office_id)}).status_code == 302
    assert officer.post(detail_url, data={"csrf_token": token, "status": "answered", "forward_to": "0",
                                          "answer": "Perbaikan dijadwalkan Januari."}).status_code == 302
    tracking = citizen.get(f"/aspirasi/{code.lower()}").get_data(as_text=True)
    assert "Perbaikan dijadwalkan Januari." in tracking and "Dicek ke lokasi" in tracking
    assert "Rina" not in tracking  # who handled it is the KIM's business
    assert citizen.get("/aspirasi?kode=" + code).headers["Location"].endswith(f"/aspirasi/{code}")


def test_the_api_shapes_and_refusals(app, kim):
    client = app.test_client()
    created = client.post("/api/v1/kims/talago/aspirations", json=FORM)
    assert created.status_code == 201 and set(created.get_json()) == {"code", "status"}
    code = created.get_json()["code"]
    bad = client.post("/api/v1/kims/talago/aspirations", json=dict(FORM, category="cuaca"))
    assert bad.status_code == 422 and set(bad.get_json()) == {"error"}
    tracked = client.get(f"/api/v1/aspirations/{code}").get_json()
    assert set(tracked) == {"code", "status", "category", "title", "history", "answer", "late"}
    assert tracked["history"][0]["status"] == "submitted" and set(tracked["history"][0]) == {"status", "at", "note"}
    assert client.get("/api/v1/aspirations/TIDAKADA00").status_code == 404
    token = client.post("/api/v1/tokens", json={"email": "rina@example.id", "password": "rahasia-123"}).get_json()
    auth = {"Authorization": f"Bearer {token['token']}"}
    listed = client.get("/api/v1/kims/talago/aspirations?status=submitted", headers=auth).get_json()
    assert listed["total"] == 1 and listed["aspirations"][0]["contact"] == "081277773131"
    aspiration_id = listed["aspirations"][0]["id"]
    url = f"/api/v1/kims/talago/aspirations/{aspiration_id}"
    refused = client.patch(url, headers=auth, json={"status": "answered", "answer": "x"})
    assert refused.status_code == 409 and refused.get_json()["allowed"] == ["verified", "postponed", "not_ours",
                                                                             "archived"]
    assert client.patch(url, headers=auth, json={"status": "verified", "note": "ok"}).get_json()["status"] == "verified"
    member = client.post("/api/v1/tokens", json={"email": "dedi@example.id", "password": "rahasia-123"}).get_json()
    assert client.get(url, headers={"Authorization": f"Bearer {member['token']}"}).status_code == 403


def test_a_flood_from_one_address_is_told_when_to_come_back(app, kim):
    from hub.aspirasi.service import PER_IP_HOUR
    client = app.test_client()
    for n in range(PER_IP_HOUR):
        assert client.post("/api/v1/kims/talago/aspirations", json=dict(FORM, contact="")).status_code == 201, n
    limited = client.post("/api/v1/kims/talago/aspirations", json=dict(FORM, contact=""))
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0 and "error" in limited.get_json()


def test_name_and_contact_appear_nowhere_but_to_the_kims_officers(app, kim):
    client = app.test_client()
    code = client.post("/api/v1/kims/talago/aspirations", json=FORM).get_json()["code"]
    with app.app_context():
        aspiration_id = db.session.scalar(db.select(Aspiration.id))
    public = ["/", "/kim/", "/kim/talago", "/kecamatan/guguak", "/kim/talago/aspirasi", f"/aspirasi/{code}",
              "/kim/talago/feed.atom", "/kim/talago/feed.rss", "/kim/talago/feed.json", "/feed.atom",
              f"/api/v1/aspirations/{code}", "/api/v1/kims/talago", "/api/v1/kims"]
    people = {None: public,
              "dedi@example.id": public + ["/linimasa", "/kim/talago/inbox", "/kim/talago/berita"],
              "koor@example.id": public + ["/pantau", "/pantau/kim/talago", "/pantau/laporan",
                                           "/pantau/laporan.csv", "/pantau/jejaring"]}
    for email, paths in people.items():
        browser = app.test_client()
        if email:
            login(browser, email)
        for path in paths:
            response = browser.get(path)
            assert response.status_code in (200, 302), (email, path, response.status_code)
            body = response.get_data(as_text=True)
            for private in (NAME, "7777", "3131", "Koto Tuo"):
                assert private not in body, (email, path, private)
        # the officers' pages are closed to them
        assert browser.get(f"/kim/talago/aspirasi/{aspiration_id}").status_code in (302, 403)


def test_the_admin_keeps_the_lists(app, kim):
    make_user(app, "admin@example.id", admin=True)
    admin = app.test_client()
    login(admin, "admin@example.id")
    token = csrf_token(admin, "/admin/aspirasi")
    assert admin.post("/admin/aspirasi/category", data={"csrf_token": token, "c-code": "air-bersih",
                                                        "c-label": "Air bersih"}).status_code == 302
    again = admin.post("/admin/aspirasi/category", data={"csrf_token": token, "c-code": "air-bersih", "c-label": "X"})
    assert again.status_code == 409 and "Kategori ini sudah ada." in again.get_data(as_text=True)
    bad = admin.post("/admin/aspirasi/category", data={"csrf_token": token, "c-code": "Air Bersih!", "c-label": "X"})
    assert bad.status_code == 422 and 'value="Air Bersih!"' in bad.get_data(as_text=True)
    assert admin.post("/admin/aspirasi/office", data={"csrf_token": token, "o-name": "Wali Nagari Talago",
                                                      "o-kind": "nagari"}).status_code == 302
    assert admin.post("/admin/aspirasi/holiday", data={"csrf_token": token, "h-day": "2026-12-24",
                                                       "h-name": "Cuti bersama"}).status_code == 302
    page = admin.get("/admin/aspirasi").get_data(as_text=True)
    assert "Air bersih" in page and "Wali Nagari Talago" in page and "Cuti bersama" in page
    # a hidden category is no longer offered to citizens
    assert "Air bersih" in app.test_client().get("/kim/talago/aspirasi").get_data(as_text=True)
    assert admin.post("/admin/aspirasi/category/air-bersih/active", data={"csrf_token": token, "active": "0"}
                      ).status_code == 302
    assert "Air bersih" not in app.test_client().get("/kim/talago/aspirasi").get_data(as_text=True)
    # the holiday moves the deadlines of what is submitted before it
    from datetime import date, datetime, timezone

    from hub.aspirasi import service
    from hub.kims.service import get_kim
    with app.app_context():
        row = service.submit(get_kim("talago"), FORM, now=datetime(2026, 12, 22, 2, tzinfo=timezone.utc))
        assert row.forward_due == date(2026, 12, 28)  # 23, (24 cuti bersama), 25, (26, 27 weekend), 28
    assert admin.post("/admin/aspirasi/holiday/2026-12-24/delete", data={"csrf_token": token}).status_code == 302
    assert admin.post("/admin/aspirasi/holiday/bukan-tanggal/delete", data={"csrf_token": token}).status_code == 404


def test_coordinators_see_counts_on_the_dashboard_report_and_api(app, kim):
    client = app.test_client()
    assert client.post("/api/v1/kims/talago/aspirations", json=FORM).status_code == 201
    token = client.post("/api/v1/tokens", json={"email": "koor@example.id", "password": "rahasia-123"}).get_json()
    auth = {"Authorization": f"Bearer {token['token']}"}
    rows = client.get("/api/v1/monitor/kims?period=month", headers=auth).get_json()["kims"]
    assert [r["aspirations"] for r in rows if r["slug"] == "talago"] == [{"received": 1, "in_time": 0, "late": 0}]
    koor = app.test_client()
    login(koor, "koor@example.id")
    board = koor.get("/pantau?period=month").get_data(as_text=True)
    assert "Aspirasi masuk" in board
    report = koor.get("/pantau/laporan").get_data(as_text=True)  # last month: none yet
    csv = koor.get("/pantau/laporan.csv?period=month").get_data(as_text=True)
    assert "Aspirasi masuk" in csv.splitlines()[0] and NAME not in csv and NAME not in report


def test_an_aspiration_travels_to_other_kims_without_name_or_contact(app, kim):
    make_kim(app, "sarilamak", kecamatan="Harau")
    make_user(app, "fitri@example.id", kim="sarilamak")
    client = app.test_client()
    code = client.post("/api/v1/kims/talago/aspirations", json=FORM).get_json()["code"]
    with app.app_context():
        aspiration_id = db.session.scalar(db.select(Aspiration.id))
    officer = app.test_client()
    login(officer, "rina@example.id")
    detail = f"/kim/talago/aspirasi/{aspiration_id}"
    shared = officer.post(f"{detail}/bagikan", data={"csrf_token": csrf_token(officer, detail)})
    assert shared.status_code == 302 and shared.headers["Location"].endswith("#bagikan")
    item_id = int(shared.headers["Location"].split("/item/")[1].split("?")[0])
    again = officer.post(f"{detail}/bagikan", data={"csrf_token": csrf_token(officer, detail)})
    assert again.headers["Location"] == shared.headers["Location"]  # made once
    page = officer.get(f"/item/{item_id}?keep=unread")
    token = csrf_token(officer, f"/item/{item_id}?keep=unread")
    sent = officer.post(f"/item/{item_id}/share", data={"csrf_token": token, "from_kim": "talago", "target": "kims",
                                                        "kims": "sarilamak", "note": "Menyangkut dua nagari"})
    assert sent.status_code == 302
    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    for path in ("/kim/sarilamak/inbox", f"/item/{item_id}", "/linimasa", f"/aspirasi/{code}"):
        body = fitri.get(path).get_data(as_text=True)
        assert NAME not in body and "7777" not in body, path
    assert "Jembatan gantung rusak" in fitri.get("/kim/sarilamak/inbox").get_data(as_text=True)
    assert "Jorong Koto Tuo" in page.get_data(as_text=True)  # the nagari travels; the person does not
