"""A person logs in through a real browser, sees their KIM, and logs out."""
import pytest

from tests.factories import PASSWORD, make_kim, make_user

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [360, 1280])
def test_login_in_chromium(app, live_server, browser, artifacts, width):
    make_kim(app, "tujuah-koto-talago", name="KIM Tujuah Koto", nagari="Tujuah Koto Talago")
    make_user(app, "rina@example.id", name="Rina Marlina", kim="tujuah-koto-talago", role="pengurus")
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # the failed login answers 400 on purpose; any other console error is a fault
    page.on("console", lambda msg: errors.append(msg.text)
            if msg.type == "error" and "status of 400" not in msg.text else None)
    external = []
    page.on("request", lambda req: external.append(req.url) if not req.url.startswith(live_server) else None)

    page.goto(live_server + "/")
    page.get_by_role("link", name="Masuk").first.click()
    page.get_by_label("Email").fill("rina@example.id")
    page.get_by_label("Kata sandi").fill("salah-sekali")
    page.get_by_role("button", name="Masuk").click()
    assert page.get_by_role("alert").first.inner_text() == "Email atau kata sandi salah."
    assert page.get_by_label("Email").input_value() == "rina@example.id"  # kept

    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(live_server + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Halo, Rina Marlina"
    assert page.get_by_text("KIM Tujuah Koto").is_visible()
    # nothing overflows the narrow screen
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts / f"home-{width}.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("button", name="Keluar").click()
    assert page.get_by_text("Anda telah keluar.").is_visible()
    assert errors == [] and external == []
    context.close()
