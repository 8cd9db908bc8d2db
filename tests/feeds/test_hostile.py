"""Outgoing feeds carry no active HTML: hostile post titles and bodies, item summaries and an
entity-encoded source title are escaped in every text field and sanitized in every HTML field
of Atom, RSS and JSON Feed (parsed field by field, as a reader would)."""
import json

import lxml.html
from lxml import etree

from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, Source
from hub.posts import service as posts
from hub.sharing import review
from tests.factories import make_user
from tests.sharing.test_exchanges import user

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def active_markup(fragment):
    """What in an HTML fragment would run in a reader that puts it into innerHTML."""
    if not fragment or not fragment.strip():
        return []
    found = []
    for el in lxml.html.fragment_fromstring(fragment, create_parent="div").iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag in ("script", "iframe", "object", "embed", "style"):
            found.append(el.tag)
        for name, value in el.attrib.items():
            if name.lower().startswith("on") or value.strip().lower().startswith(("javascript:", "data:text")):
                found.append(f"{el.tag}@{name}")
    return found


def test_no_field_of_any_feed_carries_active_markup(app, world):
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    with app.app_context():
        talago, rina = get_kim("talago"), user("rina@example.id")
        posts.create_post(talago, actor=rina, title="Rapat " + HOSTILE, publish=True, base_url="http://localhost/",
                          body=HOSTILE + '\n\n[klik](javascript:alert(3)) <a href="javascript:alert(4)">x</a>')
        gambir = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        gambir.summary = "Ringkasan " + HOSTILE
        # an entity-encoded title in the source's feed arrives as markup in the title
        db.session.get(Source, gambir.source_id).title = '<img src=x onerror="alert(5)">Dinas'
        review.record_check(gambir, talago, actor=rina, note="Cek")
        review.disseminate(gambir, talago, actor=rina, channel="papan", audience=10)
        db.session.commit()
    client = app.test_client()

    atom = etree.fromstring(client.get("/kim/talago/feed.atom").data)
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for text_field in (f"{ATOM}title", f"{ATOM}summary"):
            el = entry.find(text_field)
            if el is not None:
                assert el.get("type") in (None, "text")  # read as text, whatever it holds
        content = entry.find(f"{ATOM}content")
        assert content.get("type") == "html" and active_markup(content.text) == [], content.text

    rss = etree.fromstring(client.get("/kim/talago/feed.rss").data)
    items = rss.findall("channel/item")
    assert len(items) == 2
    for item in items:
        for html_field in ("description", CONTENT):  # RSS readers render these as HTML
            el = item.find(html_field)
            if el is not None:
                assert active_markup(el.text) == [], (html_field, el.text)
    # the hostile summary is still there, as text
    assert any("onerror" in lxml.html.fragment_fromstring(i.find("description").text, create_parent="div")
               .text_content() for i in items)

    doc = json.loads(client.get("/kim/talago/feed.json").data)
    assert len(doc["items"]) == 2
    for item in doc["items"]:
        assert active_markup(item.get("content_html")) == [], item.get("content_html")
        assert "content_html" in item or "content_text" in item
    # the source's title shows as text inside the disseminated item's HTML
    gambir_html = next(i["content_html"] for i in doc["items"] if "gambir" in i["title"])
    assert "&lt;img" in gambir_html and "onerror" not in active_markup(gambir_html)
