"""A hoaks stops travelling, in Chromium: a flagged item cannot be shared as news but goes out as
a warning, and the tree marks it; refused check, flag and pass-on forms keep what was typed."""
import pytest

from hub.extensions import db
from hub.models import Exchange
from tests.browser.test_sharing import log_in
from tests.sharing.test_hoaks_travel import flagged  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser


def test_a_flagged_item_goes_out_only_as_a_warning(app, flagged, live_server, browser, artifacts):  # noqa: F811
    errors = []
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, "dedi@example.id")  # Talago, whose officer flagged it
    page.goto(f"{live_server}/item/{flagged['item_id']}?keep=unread")
    share = page.locator("#bagikan")
    assert share.get_by_role("heading").inner_text() == "Kirim sebagai peringatan"
    assert "tidak dibagikan atau diteruskan sebagai informasi" in share.inner_text()
    assert share.get_by_role("button", name="Bagikan").count() == 0  # no way to send it as news
    # the filter box narrows the KIMs; the KIM shared from is not offered
    assert share.locator("input[name=kims][value=talago]").count() == 0
    share.get_by_placeholder("Cari KIM atau kecamatan").fill("taram")
    assert share.locator("label.check:visible", has_text="KIM mungo").count() == 0
    share.get_by_label("KIM taram").check()
    share.get_by_label("Catatan").fill("Jangan disebarkan, harga sebenarnya turun")
    page.screenshot(path=str(artifacts / "share-as-warning-360.png"), full_page=True)
    with page.expect_navigation():
        share.get_by_role("button", name="Kirim sebagai peringatan").click()
    assert "Peringatan dikirim ke KIM taram." in page.locator(".flash").first.inner_text()
    tree = page.locator("#riwayat")
    assert tree.locator("li.flagged").count() == 2
    assert "KIM talago menandainya di sini sebagai Hoaks" in tree.inner_text()
    assert "dikirim sebagai peringatan" in tree.inner_text()
    tree.screenshot(path=str(artifacts / "tree-flagged-360.png"))
    context.clear_cookies()

    # Sarilamak received it before the flag: passing it on is a warning too; a refused pass-on
    # keeps the note typed
    log_in(page, live_server, "fitri@example.id")
    page.goto(f"{live_server}/exchange/{flagged['exchange_id']}")
    assert page.get_by_role("heading", name="Teruskan peringatan").count() == 1
    page.get_by_label("Catatan").fill("Kabarkan ke Mungo bahwa ini hoaks")
    page.get_by_role("button", name="Kirim sebagai peringatan").click()  # no KIM chosen
    page.wait_for_selector("#pass-kims-err")
    assert page.get_by_label("Catatan").input_value() == "Kabarkan ke Mungo bahwa ini hoaks"
    page.get_by_label("KIM mungo").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Kirim sebagai peringatan").click()
    assert "Diteruskan ke KIM mungo." in page.locator(".flash").first.inner_text()
    with app.app_context():
        passed = db.session.scalar(db.select(Exchange).where(Exchange.parent_id == flagged["exchange_id"]))
        assert passed.warning_flag_id == flagged["flag_id"]
    context.clear_cookies()

    # Talago's officer: a check with a bad link and a second flag are refused, the words kept
    log_in(page, live_server, "rina@example.id")
    page.goto(f"{live_server}/item/{flagged['item_id']}?keep=unread")
    assert page.locator("details:has(#check-note)").get_attribute("open") is not None  # no check yet: open
    page.locator("#check-note").fill("Ditelepon ke Dinas Pertanian")
    page.locator("#check-links").fill("bukan-alamat")
    page.get_by_role("button", name="Catat pemeriksaan").click()
    page.wait_for_selector("#check-links-err")
    assert page.locator("#check-note").input_value() == "Ditelepon ke Dinas Pertanian"
    assert page.locator("#check-links").input_value() == "bukan-alamat"
    page.locator("summary", has_text="Tandai sebagai hoaks").click()
    page.locator("#flag-reason").fill("Alasan yang panjang dan diketik dengan susah payah")
    page.locator("#flag-kind").select_option("misleading")
    page.get_by_role("button", name="Tandai", exact=True).click()
    page.wait_for_selector(".flash-error, #flag-kind-err")
    assert page.locator("#flag-reason").input_value() == "Alasan yang panjang dan diketik dengan susah payah"
    assert page.locator("#flag-kind").input_value() == "misleading"
    page.screenshot(path=str(artifacts / "flag-refused-360.png"), full_page=True)
    assert errors == []
    context.close()
