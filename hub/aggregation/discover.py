"""Find the feed behind an address: the address itself, <link rel="alternate"> on an HTML page,
or the usual paths (/feed, /feeds/posts/default, /rss, ...). No database, no Flask.

This is the one fetch that happens inside a web request (the person is waiting to see a
preview), so all its fetches together have 10 seconds of wall clock, and a few tries.
"""
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from .errors import describe
from .fetch import Fetcher
from .parse import BrokenFeed, NotAFeed
from .prepare import prepare

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json",
              "application/rdf+xml", "application/xml", "text/xml")
COMMON_PATHS = ("/feed", "/feeds/posts/default", "/rss", "/rss.xml", "/atom.xml", "/feed.xml", "/index.xml",
                "/feed/")
MAX_CANDIDATES = 8
PREVIEW_ITEMS = 5
BUDGET_SECONDS = 10.0  # every fetch of one discovery together


class DiscoveryError(Exception):
    """No feed could be found; the message is a sentence in the asker's language."""


@dataclass
class Candidate:
    url: str
    title: str
    kind: str
    items: list = field(default_factory=list)  # [(title, published datetime, url)]
    item_count: int = 0


def _candidate(url, result):
    feed = prepare(result.body, result.final_url or url, result.content_type, datetime.now(timezone.utc))
    items = sorted(feed.items, key=lambda i: i["published_at"] or datetime.min.replace(tzinfo=timezone.utc),
                   reverse=True)
    return Candidate(url=result.final_url or url, title=feed.title or urlsplit(url).hostname or url,
                     kind=feed.kind, item_count=len(feed.items),
                     items=[(i["title"], i["published_at"], i["url"]) for i in items[:PREVIEW_ITEMS]])


def _links_in_page(body, base):
    try:
        document = lxml.html.document_fromstring(body[:2 * 1024 * 1024])
    except (etree.ParserError, ValueError):
        return []
    found = []
    for link in document.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES and link.get("href"):
            found.append(urljoin(base, link.get("href").strip()))
    return found


def discover(url, *, allow_private=False, fetcher=None, budget=BUDGET_SECONDS):
    """Candidate feeds for an address, each with its title and latest items. Raises DiscoveryError.

    Someone waits in the browser: every fetch together gets `budget` seconds of wall clock."""
    fetcher = fetcher or Fetcher(allow_private=allow_private, timeout=(4, 8), max_bytes=5 * 1024 * 1024)
    ends = time.monotonic() + budget

    def left():
        return ends - time.monotonic()
    result = fetcher.fetch(url, deadline=left())
    if result.error:
        raise DiscoveryError(describe(result.error, result.detail))
    try:
        return [_candidate(url, result)]
    except BrokenFeed:
        raise DiscoveryError(describe("broken_here")) from None
    except NotAFeed as exc:
        if exc.what != "html":
            raise DiscoveryError(describe("not_a_feed_page")) from None
    page = result.final_url or url
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page))
    tries = _links_in_page(result.body, page) + [origin + path for path in COMMON_PATHS]
    candidates, seen = [], set()
    for candidate_url in tries:
        if candidate_url in seen or len(seen) >= MAX_CANDIDATES + 4:
            continue
        seen.add(candidate_url)
        if left() < 0.5:
            break  # out of time: what was found so far is the answer
        found = fetcher.fetch(candidate_url, deadline=left())
        if found.error:
            continue
        try:
            candidate = _candidate(candidate_url, found)
        except (NotAFeed, BrokenFeed):
            continue
        if all(c.url != candidate.url for c in candidates):
            candidates.append(candidate)
        if len(candidates) >= MAX_CANDIDATES:
            break
    if not candidates:
        raise DiscoveryError(describe("no_feed_linked"))
    return candidates
