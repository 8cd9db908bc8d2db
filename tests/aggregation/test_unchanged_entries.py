"""Entries a feed gives again unchanged are not cleaned again: the refresh knows each stored
item's raw hash, and the parser leaves out what it finds there, before cleaning. What is stored
stays what it was (tests/aggregation/test_store_identical.py compares the whole store)."""
from datetime import datetime, timezone

from hub.aggregation.prepare import prepare
from hub.extensions import db
from hub.models import Item
from tests.aggregation.feeds import numbered, rss
from tests.aggregation.helpers import items, refresh, subscribe
from tests.factories import make_kim

NOW = datetime(2026, 12, 1, tzinfo=timezone.utc)


def test_the_parser_leaves_out_what_is_stored_unchanged():
    body = rss(numbered(5))
    first = prepare(body, "https://kominfo.example.id/feed", "", NOW)
    known = {item["guid_hash"]: item["raw_hash"] for item in first.items}
    assert len(first.items) == 5 and all(len(h) == 64 for h in known.values())
    assert prepare(body, "https://kominfo.example.id/feed", "", NOW, known).items == []
    changed = numbered(5)
    changed[2]["description"] = "<p>Isi berita 2, diperbaiki</p>"
    again = prepare(rss(changed), "https://kominfo.example.id/feed", "", NOW, known)
    assert [item["guid"] for item in again.items] == ["berita-2"]
    assert again.publish_gap == first.publish_gap  # the schedule still sees every entry
    # the feed's own address counts: relative links would be made absolute against another one
    elsewhere = prepare(body, "https://mirror.example.id/feed", "", NOW, known)
    assert len(elsewhere.items) == 5


def test_a_feed_answered_in_full_again_costs_nothing_and_changes_nothing(app, httpserver):
    make_kim(app)
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(4)), content_type="application/rss+xml")
    source_id = subscribe(app, "tujuah-koto-talago", httpserver.url_for("/feed"))
    assert refresh(app).new_items == 4
    before = [(i.id, i.content, i.content_hash, i.raw_hash, i.updated_at) for i in items(app, source_id)]
    assert all(row[3] for row in before)
    summary = refresh(app)  # the same body again (this server knows no conditional GET)
    assert (summary.fetched, summary.new_items, summary.updated_items) == (1, 0, 0)
    assert [(i.id, i.content, i.content_hash, i.raw_hash, i.updated_at) for i in items(app, source_id)] == before
    changed = numbered(4)
    changed[1]["title"] = "Berita 1 (ralat)"
    httpserver.clear()
    httpserver.expect_request("/feed").respond_with_data(rss(changed), content_type="application/rss+xml")
    summary = refresh(app)
    assert (summary.new_items, summary.updated_items) == (0, 1)
    assert [i.title for i in items(app, source_id)][1] == "Berita 1 (ralat)"


def test_items_stored_before_the_raw_hash_get_it_without_changing(app, httpserver):
    make_kim(app)
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(3)), content_type="application/rss+xml")
    source_id = subscribe(app, "tujuah-koto-talago", httpserver.url_for("/feed"))
    refresh(app)
    with app.app_context():  # as a hub upgraded from before migration 0015 has them
        db.session.execute(db.update(Item).where(Item.source_id == source_id).values(raw_hash=None))
        db.session.commit()
    before = [(i.id, i.content_hash, i.updated_at) for i in items(app, source_id)]
    summary = refresh(app)
    assert (summary.new_items, summary.updated_items) == (0, 0)
    after = items(app, source_id)
    assert [(i.id, i.content_hash, i.updated_at) for i in after] == before and all(i.raw_hash for i in after)
