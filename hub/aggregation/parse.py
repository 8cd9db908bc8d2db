"""Feed bytes -> plain entries. No database, no Flask.

Well-formed RSS 2.0/0.9x, RSS 1.0 (RDF) and Atom 1.0 take a fast lxml path; JSON Feed has its own
reader; anything else (ill-formed XML, odd encodings, Atom 0.3, ...) goes to feedparser, which is
slower but forgiving. tests/aggregation/test_corpus.py holds both paths to the corpus oracle.
"""
import gzip
import json
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timezone
from html import escape

from lxml import etree

from .clean import absolute_url
from .dates import parse_date

MAX_DECOMPRESSED = 10 * 1024 * 1024

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rss1": "http://purl.org/rss/1.0/",
    "rss09": "http://my.netscape.com/rdf/simple/0.9/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
ATOM = "{%s}" % NS["atom"]
_XML_PARSER_ARGS = dict(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True,
                        huge_tree=False, strip_cdata=True)


class NotAFeed(Exception):
    """The document is no feed (an HTML page, OPML, an empty body, some other XML)."""

    def __init__(self, what):
        super().__init__(what)
        self.what = what  # 'empty' | 'html' | 'opml' | 'other'


class BrokenFeed(Exception):
    """It is a feed, but too damaged to read any entry from."""


@dataclass
class Entry:
    guid: str = ""
    link: str = ""
    title: str = ""  # may hold HTML markup; cleaning turns it into text
    content: str = ""  # HTML
    summary: str = ""  # HTML
    author: str = ""
    published_raw: str = ""
    updated_raw: str = ""
    published: datetime | None = None
    enclosures: list = field(default_factory=list)
    base: str = ""  # the URL relative links in this entry resolve against


@dataclass
class ParsedFeed:
    kind: str
    parser: str  # 'fast' | 'json' | 'feedparser'
    title: str = ""
    site_url: str = ""
    ttl_minutes: int | None = None
    entries: list = field(default_factory=list)


def _sniff(body):
    """Strip a BOM and leading space, undo a stray gzip layer; classify obvious non-feeds."""
    if body[:2] == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=__import__("io").BytesIO(body)) as fh:
                body = fh.read(MAX_DECOMPRESSED + 1)[:MAX_DECOMPRESSED]
        except OSError:
            raise NotAFeed("other") from None
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        raise NotAFeed("empty")
    html = head.startswith((b"<!doctype html", b"<html"))
    if html or (b"<html" in head and b"<rss" not in head and b"<feed" not in head):
        raise NotAFeed("html")
    if b"<opml" in head:
        raise NotAFeed("opml")
    return body, head


def parse(body: bytes, url: str = "", content_type: str = "") -> ParsedFeed:
    """Read a feed. Raises NotAFeed or BrokenFeed."""
    if not body or not body.strip():
        raise NotAFeed("empty")
    body, head = _sniff(body)
    if head[:1] in (b"{", b"["):
        return parse_json_feed(body, url)
    try:
        root = etree.fromstring(body, etree.XMLParser(**_XML_PARSER_ARGS), base_url=url or None)
    except (etree.XMLSyntaxError, ValueError):
        return parse_with_feedparser(body, url, content_type)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == "rss":
        return _rss2(root, url)
    if tag == "{%s}RDF" % NS["rdf"]:
        return _rdf(root, url)
    if tag == ATOM + "feed":
        return _atom(root, url)
    return parse_with_feedparser(body, url, content_type)


# --- fast path ---------------------------------------------------------------------------

def _text(el):
    return (el.text or "").strip() if el is not None else ""


def _inner_xml(el):
    """The markup inside an element (for Atom xhtml content), without namespace noise."""
    parts = [escape(el.text or "")]
    for child in el:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).replace(' xmlns="http://www.w3.org/1999/xhtml"', "").replace("html:", "")


def _date(raw):
    return parse_date(raw) if raw else None


def _rss2(root, url):
    channel = root.find("channel")
    if channel is None:
        return parse_with_feedparser(etree.tostring(root), url, "")
    ttl = _text(channel.find("ttl"))
    feed = ParsedFeed(kind="rss2", parser="fast", title=_text(channel.find("title")),
                      site_url=absolute_url(_text(channel.find("link")), channel.base or url),
                      ttl_minutes=int(ttl) if ttl.isdigit() else None)
    items = channel.findall("item") or root.findall("item")
    for item in items:
        base = item.base or url
        guid_el = item.find("guid")
        guid = _text(guid_el)
        link = _text(item.find("link"))
        if not link:
            alt = item.find(ATOM + "link")
            if alt is not None:
                link = alt.get("href", "")
        if not link and guid and guid_el.get("isPermaLink", "true").lower() != "false" and guid.startswith(("http://", "https://")):
            link = guid
        published_raw = _text(item.find("pubDate")) or _text(item.find("{%s}date" % NS["dc"]))
        entry = Entry(
            guid=guid, link=absolute_url(link, base), title=_text(item.find("title")),
            content=_text(item.find("{%s}encoded" % NS["content"])),
            summary=_text(item.find("description")),
            author=_text(item.find("{%s}creator" % NS["dc"])) or _text(item.find("author")),
            published_raw=published_raw, published=_date(published_raw), base=base,
        )
        for enclosure in item.findall("enclosure"):
            _add_enclosure(entry, enclosure.get("url"), enclosure.get("type"), enclosure.get("length"), base)
        feed.entries.append(entry)
    return feed


def _rdf(root, url):
    rss1 = root.find("{%s}channel" % NS["rss1"]) is not None or root.find("{%s}item" % NS["rss1"]) is not None
    ns = NS["rss1"] if rss1 else NS["rss09"]
    q = "{%s}" % ns
    channel = root.find(q + "channel")
    feed = ParsedFeed(kind="rss1", parser="fast", title=_text(channel.find(q + "title")) if channel is not None else "",
                      site_url=absolute_url(_text(channel.find(q + "link")), url) if channel is not None else "")
    for item in root.findall(q + "item"):
        base = item.base or url
        published_raw = _text(item.find("{%s}date" % NS["dc"]))
        link = _text(item.find(q + "link"))
        feed.entries.append(Entry(
            guid=item.get("{%s}about" % NS["rdf"], "") or link, link=absolute_url(link, base),
            title=_text(item.find(q + "title")),
            content=_text(item.find("{%s}encoded" % NS["content"])),
            summary=_text(item.find(q + "description")),
            author=_text(item.find("{%s}creator" % NS["dc"])),
            published_raw=published_raw, published=_date(published_raw), base=base,
        ))
    return feed


def _atom_text(el, as_html):
    """An Atom text construct as HTML (as_html) or as it is written (for titles)."""
    if el is None:
        return ""
    kind = el.get("type", "text")
    if kind == "xhtml":
        div = el.find("{%s}div" % NS["xhtml"])
        return _inner_xml(div if div is not None else el).strip()
    text = (el.text or "").strip() if len(el) == 0 else "".join(el.itertext()).strip()
    if kind in ("html", "text/html"):
        return text
    return escape(text) if as_html else text


def _atom_link(el, base):
    fallback = ""
    for link in el.findall(ATOM + "link"):
        rel = link.get("rel", "alternate")
        href = link.get("href", "")
        if rel == "alternate" and link.get("type", "text/html") in ("text/html", "application/xhtml+xml"):
            return absolute_url(href, link.base or base)
        if rel == "alternate" and not fallback:
            fallback = absolute_url(href, link.base or base)
    return fallback


def _atom(root, url):
    feed = ParsedFeed(kind="atom", parser="fast", title=_atom_text(root.find(ATOM + "title"), False),
                      site_url=_atom_link(root, root.base or url))
    for item in root.findall(ATOM + "entry"):
        base = item.base or url
        published_raw = _text(item.find(ATOM + "published"))
        updated_raw = _text(item.find(ATOM + "updated"))
        content_el = item.find(ATOM + "content")
        author = item.find(ATOM + "author")
        title_el = item.find(ATOM + "title")
        entry = Entry(
            guid=_text(item.find(ATOM + "id")), link=_atom_link(item, base),
            title=_atom_text(title_el, False),
            content=_atom_text(content_el, True) if content_el is not None and not content_el.get("src") else "",
            summary=_atom_text(item.find(ATOM + "summary"), True),
            author=_text(author.find(ATOM + "name")) if author is not None else "",
            published_raw=published_raw or updated_raw, updated_raw=updated_raw,
            published=_date(published_raw) or _date(updated_raw),
            base=(content_el.base if content_el is not None else None) or base,
        )
        if not entry.link and entry.guid.startswith(("http://", "https://")):
            entry.link = entry.guid  # as feedparser does: a URL id is the entry's address
        for link in item.findall(ATOM + "link"):
            if link.get("rel") == "enclosure":
                _add_enclosure(entry, link.get("href"), link.get("type"), link.get("length"), link.base or base)
        feed.entries.append(entry)
    return feed


def _add_enclosure(entry, href, mime, length, base):
    href = absolute_url(href or "", base)
    if not href:
        return
    try:
        size = int(length) if length not in (None, "") else None
    except ValueError:
        size = None
    entry.enclosures.append({"url": href, "type": (mime or "")[:100], "length": size})


# --- JSON Feed ---------------------------------------------------------------------------

def parse_json_feed(body, url):
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"), strict=False)
    except ValueError:
        raise NotAFeed("other") from None
    except RecursionError:  # nested deeper than any feed: a trap, not a feed
        raise BrokenFeed("nested too deeply") from None
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        raise NotAFeed("other")
    items = data.get("items")
    if not isinstance(items, list):
        raise BrokenFeed("JSON Feed without items")
    feed = ParsedFeed(kind="json", parser="json", title=str(data.get("title") or ""),
                      site_url=absolute_url(str(data.get("home_page_url") or ""), url))
    for item in items:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        published_raw = str(item.get("date_published") or item.get("date_modified") or "")
        link = str(item.get("url") or item.get("external_url") or "")
        html_content = item.get("content_html")
        entry = Entry(
            guid=str(item.get("id") or ""), link=absolute_url(link, url), title=str(item.get("title") or ""),
            content=str(html_content) if html_content else escape(str(item.get("content_text") or "")),
            summary=escape(str(item.get("summary") or "")),
            author=", ".join(str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name")),
            published_raw=published_raw, published=_date(published_raw), base=url,
        )
        for attachment in item.get("attachments") or []:
            if isinstance(attachment, dict):
                _add_enclosure(entry, str(attachment.get("url") or ""), attachment.get("mime_type"),
                               attachment.get("size_in_bytes"), url)
        feed.entries.append(entry)
    return feed


# --- feedparser fallback -----------------------------------------------------------------

def parse_with_feedparser(body, url, content_type=""):
    with warnings.catch_warnings():
        # feedparser warns about its own published/updated aliasing on every access
        warnings.simplefilter("ignore", DeprecationWarning)
        return _feedparser(body, url, content_type)


def _feedparser(body, url, content_type):
    import feedparser  # most feeds never need it: the main process and parsers start without it

    headers = {"content-location": url} if url else {}
    if content_type:
        headers["content-type"] = content_type
    result = feedparser.parse(body, response_headers=headers, sanitize_html=False, resolve_relative_uris=False)
    version = result.get("version") or ""
    if not version:
        if result.get("bozo") and _looks_like_feed(body):
            raise BrokenFeed(str(result.get("bozo_exception") or "unreadable feed"))
        raise NotAFeed("other")
    if not result.entries and ((result.get("bozo") and _truncated(body)) or _has_entries(body)):
        # entries are written in it, or it stops mid-way, yet nothing could be read
        raise BrokenFeed(str(result.get("bozo_exception") or "unreadable feed"))
    meta = result.feed
    ttl = str(meta.get("ttl") or "")
    feed = ParsedFeed(kind=version, parser="feedparser", title=meta.get("title", ""),
                      site_url=absolute_url(meta.get("link", ""), url),
                      ttl_minutes=int(ttl) if ttl.isdigit() else None)
    for item in result.entries:
        contents = item.get("content") or []
        content = contents[0] if contents else {}
        summary = item.get("summary_detail") or {}
        base = content.get("base") or summary.get("base") or (item.get("title_detail") or {}).get("base") or url
        published_raw = item.get("published") or item.get("updated") or ""
        published = _date(published_raw)
        if published is None:
            parsed = item.get("published_parsed") or item.get("updated_parsed")
            if parsed:
                published = datetime(*parsed[:6], tzinfo=timezone.utc)
        content_value = content.get("value", "")
        summary_value = item.get("summary", "")
        if content.get("type") == "text/plain":
            content_value = escape(content_value)
        if summary.get("type") == "text/plain":
            summary_value = escape(summary_value)
        entry = Entry(
            guid=item.get("id", "") or "", link=absolute_url(item.get("link", ""), base),
            title=item.get("title", "") or "", content=content_value,
            summary=summary_value if summary_value != content.get("value") else "",
            author=item.get("author", "") or "", published_raw=published_raw,
            updated_raw=item.get("updated", "") or "", published=published, base=base,
        )
        for enclosure in item.get("enclosures") or []:
            _add_enclosure(entry, enclosure.get("href"), enclosure.get("type"), enclosure.get("length"), base)
        feed.entries.append(entry)
    return feed


def _looks_like_feed(body):
    head = body[:4096].lower()
    return any(marker in head for marker in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel"))


def _has_entries(body):
    return b"<item" in body or b"<entry" in body


def _truncated(body):
    tail = body.rstrip()[-64:].lower()
    return not (tail.endswith(b"</rss>") or tail.endswith(b"</feed>") or tail.endswith(b"</rdf:rdf>"))
