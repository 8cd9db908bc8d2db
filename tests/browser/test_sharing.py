"""KIM A shares an item with KIM B; B sees it in its inbox and passes it on to C with a note;
the item's history shows A -> B -> C. Screenshots of the inbox and the history."""
import pytest

from hub.extensions import db
from hub.models import Item
from tests.factories import PASSWORD, make_kim, make_user

pytestmark = pytest.mark.browser


def log_in(page, base, email):
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Masuk").click()


def test_share_and_pass_on_in_chromium(app, world, live_server, browser, artifacts):
    make_kim(app, "taram", name="KIM Taram", kecamatan="Harau")
    make_user(app, "tari@example.id", kim="taram")
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Harga gambir naik"))
    errors = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    log_in(page, live_server, "dedi@example.id")  # KIM A (talago)
    page.goto(f"{live_server}/item/{item_id}")
    page.locator("input[name=kims][value=sarilamak]").check()
    page.get_by_label("Catatan").fill("Harga gambir naik, kabarkan ke petani")
    with page.expect_navigation():
        page.get_by_role("button", name="Bagikan").click()
    assert "Dibagikan ke KIM sarilamak." in page.locator(".flash").first.inner_text()
    context.clear_cookies()

    log_in(page, live_server, "fitri@example.id")  # KIM B (sarilamak)
    with page.expect_navigation():  # count on the inbox, not on the page the click leaves
        page.get_by_role("navigation", name="Utama").get_by_role("link", name="Kotak Masuk").click()
    assert page.locator("li.entry.unread").count() == 1
    page.screenshot(path=str(artifacts / "inbox-1280.png"))
    with page.expect_navigation():
        page.get_by_role("link", name="Harga gambir naik").click()
    page.locator("input[name=kims][value=taram]").check()
    page.get_by_label("Catatan").fill("Untuk Taram juga")
    with page.expect_navigation():
        page.get_by_role("button", name="Teruskan").click()
    assert "Diteruskan ke KIM Taram." in page.locator(".flash").first.inner_text()

    page.goto(f"{live_server}/item/{item_id}#riwayat")
    history = page.locator("#riwayat").inner_text()
    assert history.index("KIM talago → KIM sarilamak") < history.index("KIM sarilamak → KIM Taram")
    assert "Untuk Taram juga" in history and "Diteruskan" in history
    page.locator("#riwayat").screenshot(path=str(artifacts / "history-1280.png"))
    assert errors == []
    context.close()
