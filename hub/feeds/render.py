"""Atom 1.0, RSS 2.0 and JSON Feed 1.1 from plain feed data. No database, no Flask."""
import html
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml", "json": "application/feed+json"}


@dataclass
class FeedEntry:
    id: str
    url: str
    title: str
    content_html: str
    summary: str
    published: datetime
    updated: datetime
    author: str
    categories: list = field(default_factory=list)


@dataclass
class Feed:
    id: str
    title: str
    subtitle: str
    home_url: str
    self_url: str  # this format's address (rel=self)
    alternates: dict  # format -> address of the same feed in that format
    updated: datetime | None
    entries: list
    language: str = "id"
    generator: str = "Jejaring KIM"


def _utc(value):
    return (value or datetime(1970, 1, 1)).replace(tzinfo=timezone.utc)


def _rfc3339(value):
    return _utc(value).isoformat().replace("+00:00", "Z")


def _sub(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def atom(feed: Feed) -> bytes:
    root = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    root.set("{http://www.w3.org/XML/1998/namespace}lang", feed.language)
    a = lambda parent, tag, text=None, **attrs: _sub(parent, f"{{{ATOM}}}{tag}", text, **attrs)  # noqa: E731
    a(root, "id", feed.id)
    a(root, "title", feed.title)
    if feed.subtitle:
        a(root, "subtitle", feed.subtitle)
    a(root, "updated", _rfc3339(feed.updated))
    a(root, "link", rel="self", type=TYPES["atom"], href=feed.self_url)
    a(root, "link", rel="alternate", type="text/html", href=feed.home_url)
    a(root, "generator", feed.generator)
    for e in feed.entries:
        entry = a(root, "entry")
        a(entry, "id", e.id)
        a(entry, "title", e.title)
        a(entry, "link", rel="alternate", type="text/html", href=e.url)
        a(entry, "published", _rfc3339(e.published))
        a(entry, "updated", _rfc3339(e.updated))
        a(a(entry, "author"), "name", e.author)
        for term in e.categories:
            a(entry, "category", term=term)
        if e.summary:
            a(entry, "summary", e.summary)
        if e.content_html:
            a(entry, "content", e.content_html, type="html")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def rss(feed: Feed) -> bytes:
    root = etree.Element("rss", version="2.0", nsmap={"atom": ATOM, "content": CONTENT, "dc": DC})
    channel = _sub(root, "channel")
    _sub(channel, "title", feed.title)
    _sub(channel, "link", feed.home_url)
    _sub(channel, "description", feed.subtitle or feed.title)
    _sub(channel, "language", feed.language)
    _sub(channel, f"{{{ATOM}}}link", rel="self", type=TYPES["rss"], href=feed.self_url)
    _sub(channel, "generator", feed.generator)
    if feed.updated:
        _sub(channel, "lastBuildDate", format_datetime(_utc(feed.updated), usegmt=True))
    for e in feed.entries:
        item = _sub(channel, "item")
        _sub(item, "title", e.title)
        _sub(item, "link", e.url)
        _sub(item, "guid", e.id, isPermaLink="false")
        _sub(item, "pubDate", format_datetime(_utc(e.published), usegmt=True))
        _sub(item, "author" if "@" in e.author else f"{{{DC}}}creator", e.author)
        for term in e.categories:
            _sub(item, "category", term)
        # RSS readers take description as HTML: the plain summary goes in as escaped text
        _sub(item, "description", html.escape(e.summary or e.title, quote=False))
        if e.content_html:
            _sub(item, f"{{{CONTENT}}}encoded", e.content_html)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def json_feed(feed: Feed) -> bytes:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": feed.self_url,
        "description": feed.subtitle,
        "language": feed.language,
        "items": [{
            "id": e.id,
            "url": e.url,
            "title": e.title,
            **({"content_html": e.content_html} if e.content_html else {"content_text": e.summary or e.title}),
            "summary": e.summary,
            "date_published": _rfc3339(e.published),
            "date_modified": _rfc3339(e.updated),
            "authors": [{"name": e.author}],
            "tags": e.categories,
        } for e in feed.entries],
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


RENDERERS = {"atom": atom, "rss": rss, "json": json_feed}
