"""A member reads the timeline in Chromium: opens, filters, searches, pages and saves, with the
keyboard too; screenshots at 360 px and 1280 px."""
import re

import pytest

from tests.factories import PASSWORD
from tests.reading_world import add_items

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_reading_in_chromium(app, world, live_server, browser, artifacts, width):
    add_items(app, world["kabar"], [(f"Kabar nagari {n}", f"Cerita ke-{n} dari lembah", 100 + n) for n in range(55)])
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("dedi@example.id")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    with page.expect_navigation():  # count the timeline's entries, not the page the click leaves
        page.get_by_role("link", name="Linimasa").first.click()
    entries = page.locator("li.entry")
    assert entries.count() == 50
    assert entries.first.locator(".entry-title").inner_text() == "Kabar nagari 54"
    page.screenshot(path=str(artifacts / f"timeline-{width}.png"))

    # load more, without JavaScript's help
    with page.expect_navigation():
        page.get_by_role("link", name="Muat lebih banyak").click()
    assert "Jadwal tanam padi" in page.locator("ol.entries").inner_text()
    page.go_back()

    # keyboard: j selects the first entry, s saves it, then the saved view shows it
    page.keyboard.press("j")
    assert "current" in entries.first.get_attribute("class")
    with page.expect_navigation():
        page.keyboard.press("s")
    page.goto(live_server + "/linimasa?starred=1")
    assert page.locator("li.entry").count() == 1
    assert page.locator("li.entry .entry-title").inner_text() == "Kabar nagari 54"

    # filter by bidang through the form
    page.goto(live_server + "/linimasa")
    page.get_by_text("Saringan").click()
    page.get_by_label("Bidang").select_option("pertanian")
    with page.expect_navigation():
        page.get_by_role("button", name="Tampilkan").click()
    assert re.search(r"bidang=pertanian", page.url)
    assert [t.strip() for t in page.locator(".entry-title").all_inner_texts()] == [
        "Pupuk bersubsidi", "Harga gambir naik", "Jadwal tanam padi"]

    # search with '/', highlighted
    page.goto(live_server + "/linimasa")
    page.keyboard.press("/")
    page.keyboard.type("gambir")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator(".entry-title mark").first.inner_text().lower() == "gambir"
    page.screenshot(path=str(artifacts / f"search-{width}.png"))

    # open an item: it is marked read
    with page.expect_navigation():
        page.locator(".entry-title a").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Harga gambir naik"
    page.screenshot(path=str(artifacts / f"item-{width}.png"), full_page=True)
    page.goto(live_server + "/linimasa?unread=1&q=gambir")
    assert page.locator("li.entry").count() == 0

    # the help overlay
    page.keyboard.press("?")
    assert page.get_by_role("dialog").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert errors == []
    context.close()
