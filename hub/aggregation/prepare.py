"""Parsed feed -> rows ready to store: cleaned, keyed for de-duplication, dated. No DB, no Flask.

This is the CPU-heavy half of a refresh (parse + sanitize); worker processes run it.
"""
import ctypes
import os
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from .clean import clean_text, digest, html_text, plain_text, sanitize, summarize
from .parse import BrokenFeed, NotAFeed, parse

PR_SET_PDEATHSIG = 1  # prctl(2)
MAX_ITEMS = 1000  # a feed that lists more keeps only its first 1000 per fetch
# An entry's HTML: at most RAW_CONTENT characters are sanitized, and the clean HTML kept is cut to
# MAX_CONTENT characters (re-sanitized, so every tag is closed). A news article is some 5 to 50 KB;
# a feed that inlines whole books or base64 images does not fill the database.
RAW_CONTENT = 1_000_000
MAX_CONTENT = 200_000
MIN_INTERVAL = 15 * 60
MAX_INTERVAL = 24 * 60 * 60


@dataclass
class PreparedFeed:
    title: str
    site_url: str
    kind: str
    parser: str
    items: list = field(default_factory=list)  # dicts with Item column values
    publish_gap: int | None = None  # typical seconds between entries, for the schedule
    ttl_seconds: int | None = None


def _dedupe_keys(entries):
    """guid, else link, else title+date. A guid that the feed reuses for different entries
    (some feeds give every entry the same one) is not trusted."""
    guid_counts = Counter(e.guid for e in entries if e.guid)
    keys = []
    for entry in entries:
        if entry.guid and guid_counts[entry.guid] == 1:
            keys.append("guid:" + entry.guid)
        elif entry.link and not (entry.guid and guid_counts[entry.guid] > 1 and
                                 Counter(x.link for x in entries if x.guid == entry.guid)[entry.link] > 1):
            keys.append("link:" + entry.link)
        else:
            keys.append("hash:" + digest(entry.title, entry.published_raw, entry.link, entry.summary[:200]))
    return keys


def raw_hash(entry, url):
    """What an entry's cleaned form is made from (its feed's address too: links are made
    absolute against it): equal hashes, equal items."""
    return digest(entry.guid, entry.link, entry.title, entry.summary[:RAW_CONTENT], entry.content[:RAW_CONTENT],
                  entry.author, entry.base or url, str(entry.published), repr(entry.enclosures[:20]))


def prepare(body: bytes, url: str, content_type: str, fetched_at, known=None) -> PreparedFeed:
    """Parse and clean one fetched feed. Raises parse.NotAFeed / parse.BrokenFeed.

    known: {guid_hash: raw_hash} of the source's stored items; an entry found there unchanged is
    left out before it is cleaned (nothing of it would change), so a feed that gained one entry
    costs one entry's cleaning."""
    known = known or {}
    feed = parse(body, url, content_type)
    entries = feed.entries[:MAX_ITEMS]
    prepared = PreparedFeed(title=plain_text(feed.title)[:500], site_url=feed.site_url[:2048],
                            kind=feed.kind, parser=feed.parser,
                            ttl_seconds=feed.ttl_minutes * 60 if feed.ttl_minutes else None)
    seen, dates = set(), []
    for entry, key in zip(entries, _dedupe_keys(entries)):
        guid_hash = digest(key)
        if guid_hash in seen:
            continue  # the same entry listed twice in one document
        seen.add(guid_hash)
        published = entry.published
        if published is not None and published > fetched_at:
            published = fetched_at  # dates in the future are clamped to the fetch time
        if published is not None:
            dates.append(published)
        entry_hash = raw_hash(entry, url)
        if known.get(guid_hash) == entry_hash:
            continue  # stored as it is
        base = entry.base or url
        raw = entry.content or entry.summary
        clean = sanitize(raw[:RAW_CONTENT], base)
        content = _capped(clean, base)
        summary_html = entry.summary[:RAW_CONTENT] if entry.content else ""
        if entry.summary and entry.content:
            text = plain_text(entry.summary)
        elif len(raw) <= RAW_CONTENT and content is clean:
            text = clean_text(clean)  # the one fragment, cleaned once
        else:
            text = plain_text(raw)
        title = plain_text(entry.title)[:1000] or summarize(text, 80) or entry.link[:200]
        content_html = content if content else _capped(sanitize(summary_html, base), base)
        item = {
            "guid": (entry.guid or key)[:2048],
            "guid_hash": guid_hash,
            "url": entry.link[:2048],
            "title": title,
            "summary": summarize(text),
            "content": content_html,
            "text": html_text(content_html)[:10000] or text,
            "author": plain_text(entry.author)[:255],
            "published_at": published,  # None: the store uses the time it was first seen
            "enclosures": entry.enclosures[:20],
            "raw_hash": entry_hash,
        }
        item["content_hash"] = digest(item["title"], item["url"], item["content"], item["summary"],
                                      item["author"], str(item["enclosures"]))
        prepared.items.append(item)
    prepared.publish_gap = _publish_gap(dates)  # of every entry, the skipped ones too
    return prepared


def _capped(html, base_url):
    """Clean HTML cut to MAX_CONTENT characters, its open tags closed again by the sanitizer."""
    if len(html) <= MAX_CONTENT:
        return html
    return sanitize(html[:MAX_CONTENT], base_url)[:MAX_CONTENT + 1000]


def _publish_gap(dates):
    """Median gap between the newest ten entries, in seconds (None if unknown)."""
    dates = sorted(dates, reverse=True)[:10]
    if len(dates) < 2:
        return None
    gaps = sorted((a - b) / timedelta(seconds=1) for a, b in zip(dates, dates[1:]))
    return int(gaps[len(gaps) // 2])


def prepare_job(body, url, content_type, fetched_at, known=None):
    """prepare() for a worker process: the result, or a short error code instead of raising."""
    try:
        return "ok", prepare(body, url, content_type, fetched_at, known)
    except NotAFeed:
        return "not_a_feed", None
    except BrokenFeed:
        return "broken", None


def warm_up():
    """Nothing: submitted once per process to start a pool before its first feed."""
    return True


def child_init(parent_pid=None):
    """In each parser process: die with the worker that spawned it, even if the worker is killed
    outright (Linux delivers SIGKILL to the child when its parent dies). A worker that died
    while this process was still starting is noticed here too."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if parent_pid is not None and os.getppid() != parent_pid:
        os._exit(0)  # orphaned before the line above took effect
    # a stopping worker's SIGINT/SIGTERM is for the worker; the parent ends the children
    signal.signal(signal.SIGINT, signal.SIG_IGN)
