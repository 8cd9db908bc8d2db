"""Every corpus file, served over real HTTP, ends as its manifest expects."""
import json
from urllib.parse import urlsplit

import pytest

from hub.aggregation.clean import plain_text
from hub.aggregation.parse import BrokenFeed, NotAFeed, parse, parse_with_feedparser
from tests.aggregation.helpers import items, refresh, source, subscribe
from tests.conftest import CORPUS
from tests.factories import make_kim

MANIFEST = json.loads((CORPUS / "manifest.json").read_text())["files"]


def norm(text):
    return plain_text(text or "")


@pytest.mark.parametrize("entry", MANIFEST, ids=[f["path"] for f in MANIFEST])
def test_corpus_file_over_http(app, httpserver, entry):
    body = (CORPUS / entry["path"]).read_bytes()
    httpserver.expect_request("/feed").respond_with_data(body, content_type="application/octet-stream")
    make_kim(app)
    source_id = subscribe(app, "tujuah-koto-talago", httpserver.url_for("/feed"))
    summary = refresh(app)
    assert summary.sources == 1
    stored = items(app, source_id)
    health = source(app, source_id)
    oracle = entry["oracle"]
    expected = entry["expected"]
    if expected == "optional":
        # either a feed or a clear refusal
        assert (health.error_count == 0 and stored) or health.last_error_code in ("not_a_feed", "broken_feed")
        return
    if expected == "not-a-feed":
        assert stored == [] and health.last_error_code == "not_a_feed" and health.error_count == 1
        return
    if expected == "broken-feed":
        assert stored == [] and health.last_error_code == "broken_feed"
        return
    assert health.error_count == 0, health.last_error_code
    assert len(stored) == oracle["entries"]
    # the first entries, as the oracle lists them (stored titles are plain text)
    for item, want in zip(stored, oracle["first_entries"]):
        if norm(want["title"]):
            assert item.title == norm(want["title"])
        if want.get("link"):
            assert urlsplit(item.url).path == urlsplit(want["link"]).path
        if want.get("published_parsed") and entry["path"] != "feeds/feedjira/InvalidDateFormat.xml":
            assert item.published_at.strftime("%Y-%m-%dT%H:%M:%SZ") == want["published_parsed"]


FAST = [f for f in MANIFEST if f["expected"] == "feed"]


@pytest.mark.parametrize("entry", FAST, ids=[f["path"] for f in FAST])
def test_fast_path_agrees_with_feedparser(entry):
    """Where the fast lxml path reads a feed, it reads what feedparser reads."""
    body = (CORPUS / entry["path"]).read_bytes()
    ours = parse(body, "http://example.com/feed")
    theirs = parse_with_feedparser(body, "http://example.com/feed")
    assert len(ours.entries) == len(theirs.entries)
    for a, b in zip(ours.entries, theirs.entries):
        assert norm(a.title) == norm(b.title)
        assert urlsplit(a.link).path == urlsplit(b.link).path
        assert a.guid == b.guid or not b.guid
        if a.published and b.published:
            assert a.published == b.published
        assert len(a.enclosures) == len(b.enclosures)


def test_non_feeds_are_refused_by_the_parser():
    for name in ("feeds/node-feedparser/notafeed.html", "opml/plenary-Indonesia-with_category.opml",
                 "feeds/feed-rs/xml_sample_1.xml"):
        with pytest.raises(NotAFeed):
            parse((CORPUS / name).read_bytes(), "http://example.com/")
    with pytest.raises(NotAFeed):
        parse(b"   ", "http://example.com/")
    with pytest.raises(BrokenFeed):
        parse((CORPUS / "feeds/feed-rs/rss_2.0_invalid_1.xml").read_bytes(), "http://example.com/")
