"""The coordinators' side in Chromium at 1280 and 360 px: the dashboard (sorting, quiet KIMs,
charts), a KIM's drill-down, the exchange network, the reach view with sending on, and the
monthly report printed to PDF (looked at as images). Screenshots in test-artifacts/."""
import re
import shutil
import subprocess

import pytest

from tests.monitoring.history import history  # noqa: F401  (fixture)

from .test_sharing import log_in

pytestmark = pytest.mark.browser
MONTH = "from=2026-11-01&to=2026-11-30"


def no_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_dashboard_drill_down_network_and_reach(app, history, live_server, browser, artifacts):
    errors = []
    for width in (1280, 360):
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        log_in(page, live_server, "kab@example.id")
        nav = page.get_by_role("navigation", name="Utama")
        assert nav.get_by_role("link", name="Dasbor").count() == 1
        assert nav.get_by_role("link", name="Linimasa").count() == 0  # a coordinator in no KIM

        page.goto(f"{live_server}/pantau?{MONTH}")
        # the trend and the network picture, each drawn for the screen's width
        assert page.locator("svg.chart:visible").count() == 2
        quiet = page.locator(".quiet-list").inner_text()
        assert "KIM B" in quiet and "KIM D" in quiet and "KIM E" in quiet and "KIM A" not in quiet
        assert no_overflow(page), f"the dashboard overflows at {width} px"
        page.screenshot(path=str(artifacts / f"pantau-{width}.png"), full_page=True)
        # sort by shares sent, most first: A (2) heads the table
        with page.expect_navigation():
            page.locator("#kim-table thead").get_by_role("link", name="Berbagi dikirim").click()
        assert page.locator("#kim-table tbody tr").first.locator("th").inner_text().startswith("KIM A")

        with page.expect_navigation():
            page.locator("#kim-table tbody tr").first.locator("th a").click()
        assert page.locator("h1").inner_text().startswith("KIM A")
        assert page.locator('[data-measure="shares_sent"]').inner_text() == "2"
        assert no_overflow(page), f"the drill-down overflows at {width} px"
        page.screenshot(path=str(artifacts / f"pantau-kim-{width}.png"), full_page=True)

        page.goto(f"{live_server}/pantau/jejaring?{MONTH}")
        assert page.locator("svg.chart:visible circle").count() >= 4
        assert page.locator("#edges tbody tr").count() == 4
        assert no_overflow(page), f"the network page overflows at {width} px"
        page.screenshot(path=str(artifacts / f"pantau-jejaring-{width}.png"), full_page=True)

        page.goto(f"{live_server}/pantau/laporan?month=2026-11")
        assert no_overflow(page), f"the report overflows at {width} px"

        page.goto(f"{live_server}/pantau/jangkauan?item={history.p1}")
        # A, B, C and D hold it; E too once it was sent there (at 1280 px, first)
        assert page.locator("#reach-table tbody tr").count() == (4 if width == 1280 else 5)
        assert no_overflow(page), f"the reach view overflows at {width} px"
        page.screenshot(path=str(artifacts / f"pantau-jangkauan-{width}.png"), full_page=True)
        if width == 1280:
            page.get_by_label("Catatan (opsional)").fill("Mohon disampaikan")
            with page.expect_navigation():
                page.get_by_role("button", name="Kirim").click()
            assert "Terkirim ke KIM E." in page.locator(".flash").first.inner_text()
            assert page.locator("#reach-table tbody tr").count() == 5
        context.close()
    assert errors == []


def test_the_monthly_report_prints_on_a4(app, history, live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "kab@example.id")
    page.goto(f"{live_server}/pantau/laporan?month=2026-11")
    assert page.locator("h1").inner_text().startswith("Laporan bulanan KIM")
    page.emulate_media(media="print")
    assert page.locator(".top").is_hidden() and page.locator(".no-print").is_hidden()
    pdf = artifacts / "laporan-2026-11.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    context.close()
    data = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    assert pages >= 6, pages  # the summary, then a page for each of the five KIMs
    if shutil.which("pdftoppm"):  # look at it: the first pages as images
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf),
                        str(artifacts / "laporan-2026-11")], check=True)
        assert list(artifacts.glob("laporan-2026-11-*.png"))
