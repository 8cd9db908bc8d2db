"""Aspirasi at 360 px in Chromium (issue 12): a citizen sends an aspiration with a photo, an
officer verifies, forwards and answers it, the citizen's tracking page shows the answer.
Screenshots in test-artifacts/."""
import pytest
from PIL import Image

from hub.extensions import db
from hub.models import AspirationCategory, AspirationOffice
from tests.factories import make_kim, make_user

from .test_phone_width import OVERFLOW
from .test_sharing import log_in

pytestmark = pytest.mark.browser


def test_a_citizens_aspiration_from_the_form_to_the_answer(app, live_server, browser, artifacts, tmp_path):
    make_kim(app, "talago", name="KIM Talago")
    make_user(app, "rina@example.id", name="Rina", kim="talago", role="pengurus")
    with app.app_context():
        db.session.merge(AspirationCategory(code="infrastruktur", label="Infrastruktur", active=True))
        db.session.add(AspirationOffice(name="Dinas PUPR", kind="dinas"))
        db.session.commit()
    app.config["HUB_ASPIRATION_MIN_SECONDS"] = 1
    picture = tmp_path / "jembatan.jpg"
    Image.new("RGB", (1200, 900), "brown").save(picture, "JPEG")
    errors = []
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{live_server}/kim/talago")
    with page.expect_navigation():
        page.get_by_role("link", name="Sampaikan aspirasi").click()
    page.get_by_label("Pokok aspirasi").fill("Jembatan gantung rusak")
    page.get_by_label("Aspirasi Anda").fill("Papan jembatan ke sawah lapuk, anak sekolah lewat setiap hari.")
    page.get_by_label("Kategori").select_option("infrastruktur")
    page.get_by_label("Nagari / jorong").fill("Jorong Koto Tuo")
    page.locator("input[name=photo]").set_input_files(str(picture))
    page.get_by_label("Nama Anda (opsional)").fill("Yusuf")
    page.get_by_label("Telepon atau email").fill("0812 7777 3131")
    assert page.evaluate(OVERFLOW) == []
    page.screenshot(path=str(artifacts / "aspirasi-form-360.png"), full_page=True)
    page.wait_for_timeout(1100)  # a person takes a moment
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim aspirasi").click()
    flash = page.locator(".flash").first.inner_text()
    code = page.url.rsplit("/", 1)[1]
    assert code in flash and "Diajukan" in page.locator("main").inner_text()
    page.screenshot(path=str(artifacts / "aspirasi-tracking-360.png"), full_page=True)

    officer = browser.new_context(viewport={"width": 360, "height": 800})
    desk = officer.new_page()
    desk.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(desk, live_server, "rina@example.id")
    desk.goto(f"{live_server}/kim/talago/aspirasi/masuk")
    with desk.expect_navigation():
        desk.get_by_role("link", name="Jembatan gantung rusak").click()
    assert "0812" in desk.locator("main").inner_text() and desk.locator("main figure img").count() == 1
    for status, extra in [("verified", {}), ("forwarded", {"forward_to": "Dinas PUPR"}),
                          ("answered", {"answer": "Perbaikan dijadwalkan pekan depan oleh Dinas PUPR."})]:
        desk.get_by_label("Langkah berikutnya").select_option(status)
        if "forward_to" in extra:
            desk.get_by_label("Teruskan ke").select_option(label=extra["forward_to"])
        if "answer" in extra:
            desk.get_by_label("Tanggapan (tampil").fill(extra["answer"])
        with desk.expect_navigation():
            desk.get_by_role("button", name="Simpan").click()
        assert "Tersimpan" in desk.locator(".flash").first.inner_text()
    assert desk.evaluate(OVERFLOW) == []
    desk.screenshot(path=str(artifacts / "aspirasi-officer-360.png"), full_page=True)

    page.reload()
    text = page.locator("main").inner_text()
    assert "Perbaikan dijadwalkan pekan depan" in text and "Ditanggapi" in text
    assert "Yusuf" not in text and "7777" not in text and "Rina" not in text
    page.screenshot(path=str(artifacts / "aspirasi-answered-360.png"), full_page=True)
    assert errors == []
    context.close()
    officer.close()
