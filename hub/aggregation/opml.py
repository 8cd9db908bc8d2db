"""OPML in (a list of feeds to subscribe to) and out (what a KIM follows). No database, no Flask."""
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime

from lxml import etree

MAX_OUTLINES = 2000


class OpmlError(Exception):
    """Why a file is no OPML to import: `code` is "empty", "malformed" (broken XML, with the
    parser's `line`) or "not_opml" (well-formed XML of another kind)."""

    def __init__(self, code, line=None):
        super().__init__(code)
        self.code = code
        self.line = line


@dataclass
class Outline:
    title: str
    xml_url: str
    html_url: str
    category: str  # the enclosing outline's title, or the category attribute


def parse_opml(data: bytes):
    """Every outline with an xmlUrl, with the category it was filed under. Raises OpmlError."""
    if not data or not data.strip():
        raise OpmlError("empty")
    # Real exports carry small faults (an unescaped "&" in a title) that the lenient parser
    # mends; a file cut off before its end, or one the parser cannot mend into an OPML document,
    # is said to be broken rather than half imported.
    options = dict(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, etree.XMLParser(**options))
    except etree.XMLSyntaxError as exc:
        if not data.rstrip().lower().endswith(b"</opml>"):
            raise OpmlError("malformed", line=exc.lineno) from None
        root = etree.fromstring(data, etree.XMLParser(recover=True, **options))
        if root is None or root.tag != "opml":
            raise OpmlError("malformed", line=exc.lineno) from None
    if root.tag != "opml":
        raise OpmlError("not_opml")
    body = root.find("body")
    outlines = []

    def walk(element, category):
        for outline in element.findall("outline"):
            url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
            title = (outline.get("title") or outline.get("text") or "").strip()
            if url:
                cat = (outline.get("category") or "").strip().split(",")[0].strip("/ ") or category
                outlines.append(Outline(title=title, xml_url=url, html_url=(outline.get("htmlUrl") or "").strip(),
                                        category=cat))
                if len(outlines) >= MAX_OUTLINES:
                    return
            else:
                walk(outline, title or category)

    walk(body if body is not None else root, "")
    return outlines


def export_opml(title, entries):
    """entries: (title, xml_url, html_url, category) tuples -> OPML 2.0 bytes, grouped by category."""
    opml = etree.Element("opml", version="2.0")
    head = etree.SubElement(opml, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(datetime.now(timezone.utc))
    body = etree.SubElement(opml, "body")
    groups = {}
    for name, xml_url, html_url, category in entries:
        group = groups.get(category)
        if group is None:
            group = groups[category] = etree.SubElement(body, "outline", text=category, title=category)
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": xml_url}
        if html_url:
            attrs["htmlUrl"] = html_url
        etree.SubElement(group, "outline", **attrs)
    return etree.tostring(opml, xml_declaration=True, encoding="UTF-8", pretty_print=True)
