"""Diskusi and the bell at 360 px in Chromium (issue 12): a member comments on an item, another
KIM's member replies, the first member's bell shows it and leads to the reply."""
import pytest

from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, User
from hub.sharing import service as sharing

from .test_phone_width import OVERFLOW
from .test_sharing import log_in

pytestmark = pytest.mark.browser


def test_a_comment_a_reply_and_the_bell(app, world, live_server, browser, artifacts):
    with app.app_context():
        gambir = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        dedi = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
        sharing.share(gambir, get_kim("talago"), ["sarilamak"], actor=dedi)  # Sarilamak holds it too
        db.session.commit()
        item_id = gambir.id
    errors = []
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server, "dedi@example.id")
    page.goto(f"{live_server}/item/{item_id}?keep=unread#diskusi")
    talk = page.locator("#diskusi")
    talk.locator("#c-body-").fill("Harga di pasar kita berapa? @sarilamak")
    with page.expect_navigation():
        talk.get_by_role("button", name="Kirim komentar").click()
    assert "Komentar terkirim." in page.locator(".flash").first.inner_text()
    context.clear_cookies()

    log_in(page, live_server, "fitri@example.id")  # Sarilamak, named in the comment (and sent the item)
    assert page.get_by_role("link", name="Notifikasi (2)").count() == 1
    with page.expect_navigation():
        page.get_by_role("link", name="Notifikasi (2)").click()
    with page.expect_navigation():
        page.get_by_role("link", name="dedi (KIM talago) menyebut KIM Anda dalam diskusi: Harga gambir naik").click()
    comment = page.locator("#diskusi article.comment").first
    comment.locator("summary", has_text="Balas").click()
    comment.get_by_label("Balas").fill("Di Sarilamak Rp 45.000 per kg.")
    with page.expect_navigation():
        comment.get_by_role("button", name="Kirim balasan").click()
    context.clear_cookies()

    log_in(page, live_server, "dedi@example.id")
    bell = page.get_by_role("link", name="Notifikasi (1)")
    assert bell.count() == 1
    page.screenshot(path=str(artifacts / "bell-360.png"))
    with page.expect_navigation():
        bell.click()
    page.screenshot(path=str(artifacts / "notifications-360.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="fitri membalas komentar Anda pada: Harga gambir naik").click()
    replies = page.locator("#diskusi .replies").inner_text()
    assert "Di Sarilamak Rp 45.000 per kg." in replies and "KIM sarilamak" in replies
    assert page.evaluate(OVERFLOW) == []
    page.locator("#diskusi").screenshot(path=str(artifacts / "discussion-360.png"))
    assert errors == []
    context.close()
