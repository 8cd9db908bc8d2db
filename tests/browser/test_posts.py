"""An officer writes a post with a photo in Chromium, publishes it, checks an item, then makes
the WhatsApp summary and copies it; another KIM's officer flags the item and the first KIM sees
the warning. Screenshots at phone width."""

import pytest
from PIL import Image

from hub.extensions import db
from hub.models import Item
from tests.browser.test_sharing import log_in
from tests.factories import make_user

pytestmark = pytest.mark.browser


def test_write_check_summarize_and_flag_in_chromium(app, world, live_server, browser, artifacts, tmp_path):
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Harga gambir naik"))
    photo = tmp_path / "panen.jpg"
    Image.new("RGB", (2400, 1800), "orange").save(photo, "JPEG")
    errors = []
    context = browser.new_context(viewport={"width": 360, "height": 780})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, "rina@example.id")

    page.goto(f"{live_server}/kim/talago/berita/tulis")
    page.get_by_label("Judul").fill("Panen raya padi")
    page.get_by_label("Isi").fill("Panen dimulai **Senin** di Jorong Koto.\n\n- Bawa sabit")
    page.get_by_label("Bidang").select_option("pertanian")
    page.locator("input[type=file]").set_input_files(str(photo))
    with page.expect_navigation():
        page.get_by_role("button", name="Terbitkan").click()
    assert "Berita diterbitkan." in page.locator(".flash").first.inner_text()
    image = page.locator("article img").first
    image.scroll_into_view_if_needed()
    # the photo may still be on its way when the page's load event has fired
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    # stored at 1600 px wide, served to this 360 px screen at its 480 px size
    assert image.evaluate("img => img.currentSrc").endswith("-w480.webp")
    assert page.locator("article strong", has_text="Senin").count() == 1
    page.screenshot(path=str(artifacts / "post-360.png"), full_page=True)

    page.goto(f"{live_server}/item/{item_id}")
    # open: no check yet
    page.get_by_label("Apa yang diperiksa, dan dengan siapa").fill("Cocok dengan papan harga pasar")
    with page.expect_navigation():
        page.get_by_role("button", name="Catat pemeriksaan").click()
    assert "Pemeriksaan dicatat" in page.locator(".flash").first.inner_text()

    page.goto(f"{live_server}/kim/talago/ringkasan-wa")
    page.get_by_label("Panen raya padi").check()
    page.get_by_label("Harga gambir naik").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Buat ringkasan").click()
    message = page.locator("#wa-text").input_value()
    assert "*Panen raya padi*" in message and "*Harga gambir naik*" in message
    page.get_by_role("button", name="Salin").click()
    assert page.get_by_role("button", name="Tersalin").count() == 1
    assert page.evaluate("navigator.clipboard.readText()") == message
    page.screenshot(path=str(artifacts / "whatsapp-360.png"), full_page=True)

    # Sarilamak received the item and flags it; Talago's officer sees the warning
    with app.app_context():
        from hub.kims.service import get_kim
        from hub.models import User
        from hub.sharing import service
        service.share(db.session.get(Item, item_id), get_kim("talago"), ["sarilamak"],
                      actor=db.session.scalar(db.select(User).where(User.email == "rina@example.id")))
        db.session.commit()
    make_user(app, "sari@example.id", kim="sarilamak", role="pengurus")
    other = browser.new_context(viewport={"width": 360, "height": 780}).new_page()
    log_in(other, live_server, "sari@example.id")
    other.goto(f"{live_server}/item/{item_id}")
    other.get_by_text("Tandai sebagai hoaks atau menyesatkan").click()
    other.get_by_label("Alasan").fill("Harga di pasar justru turun")
    with other.expect_navigation():
        other.get_by_role("button", name="Tandai", exact=True).click()
    assert "1 KIM lain diperingatkan" in other.locator(".flash").first.inner_text()
    page.goto(f"{live_server}/kim/talago/inbox")
    assert "Harga di pasar justru turun" in page.locator(".warnings").inner_text()
    page.goto(f"{live_server}/item/{item_id}")
    assert "Peringatan: ditandai sebagai Hoaks" in page.locator(".flag-warning").first.inner_text()
    page.screenshot(path=str(artifacts / "flagged-item-360.png"), full_page=True)
    assert errors == []
