"""Short links: random codes, only for items a KIM stands behind, dead while a hoaks flag stands."""
import re
from urllib.parse import urlsplit

from hub.extensions import db
from hub.models import Item, ShortLink
from hub.sharing import review, shortlinks
from tests.factories import login, make_kim, make_user


def fetched_item(app, title, kim="talago"):
    """An item of a source the KIM follows."""
    from hub.aggregation import service
    from hub.aggregation.clean import digest
    from hub.aggregation.store import store_items
    from hub.kims.service import get_kim
    from hub.models import Source, utcnow
    with app.app_context():
        source = db.session.scalar(db.select(Source))
        if source is None:
            source = service.subscribe(get_kim(kim), "https://dinas.example.id/rss").source
            db.session.flush()
        store_items(db.session, source.id, [{
            "guid": title, "guid_hash": digest(title), "url": f"https://dinas.example.id/{len(title)}",
            "title": title, "summary": "", "content": "", "text": "", "author": "", "enclosures": [],
            "published_at": None, "content_hash": digest(title)}], utcnow())
        db.session.commit()
        return db.session.scalar(db.select(Item.id).where(Item.title == title))


def test_codes_are_random_and_only_for_items_a_kim_stands_behind(app):
    kim = make_kim(app, "talago")
    officer = make_user(app, "rina@example.id", kim="talago", role="pengurus")
    plain, checked = fetched_item(app, "Jadwal vaksin"), fetched_item(app, "Harga pupuk turun")
    with app.app_context():
        from hub.kims.service import get_kim
        from hub.models import User
        assert shortlinks.code_for(db.session.get(Item, plain)) is None  # nobody vouched for it
        review.record_check(db.session.get(Item, checked), get_kim(kim.slug), actor=db.session.get(User, officer.id),
                            note="Sesuai surat dinas")
        db.session.commit()
        code = shortlinks.code_for(db.session.get(Item, checked))
        assert re.fullmatch(r"[A-Za-z0-9]{8}", code)
        assert shortlinks.code_for(db.session.get(Item, checked)) == code  # stable
        assert db.session.scalar(db.select(db.func.count()).select_from(ShortLink)) == 1
    client = app.test_client()
    assert client.get(f"/s/{code}").headers["Location"] == "https://dinas.example.id/17"
    # counting codes lead nowhere any more, nor do guesses or junk
    for guess in ("1", "2", str(checked), format(checked, "x"), "zzzzzzzz", "a" * 40):
        assert client.get(f"/s/{guess}").status_code == 404, guess
    assert client.get("/s/%00").status_code == 400  # a NUL is refused before anything runs


def test_a_flag_stops_the_link_and_the_page_says_why(app):
    kim = make_kim(app, "talago")
    officer = make_user(app, "rina@example.id", kim="talago", role="pengurus")
    item_id = fetched_item(app, "Bantuan tunai lewat tautan")
    with app.app_context():
        from hub.kims.service import get_kim
        from hub.models import User
        actor, talago = db.session.get(User, officer.id), get_kim(kim.slug)
        item = db.session.get(Item, item_id)
        review.record_check(item, talago, actor=actor, note="Dicek")
        db.session.commit()
        code = shortlinks.code_for(item)
        review.flag(item, talago, actor=actor, kind="hoaks", reason="Penipuan")
        db.session.commit()
    response = app.test_client().get(f"/s/{code}")
    assert response.status_code == 410 and "Location" not in response.headers
    assert "sebagai hoaks" in response.get_data(as_text=True)


def test_the_item_page_whatsapp_link_uses_the_original_for_an_unvouched_item(app):
    make_kim(app, "talago")
    member = make_user(app, "dedi@example.id", kim="talago")
    item_id = fetched_item(app, "Festival Lembah Harau")
    client = app.test_client()
    login(client, member.email)
    page = client.get(f"/item/{item_id}").get_data(as_text=True)
    link = re.search(r'href="(https://wa\.me/\?text=[^"]+)"', page).group(1)
    from html import unescape
    from urllib.parse import parse_qs
    text = parse_qs(urlsplit(unescape(link)).query)["text"][0]
    assert "https://dinas.example.id/21" in text and "/s/" not in text
