"""The fetch -> parse -> clean -> store path over real HTTP on loopback."""
import gzip
import time
from datetime import datetime, timedelta, timezone

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from hub.aggregation.fetch import Fetcher
from hub.extensions import db
from hub.models import Item, Source
from tests.aggregation.feeds import numbered, rss
from tests.aggregation.helpers import items, refresh, source, subscribe
from tests.factories import make_kim


@pytest.fixture
def kim(app):
    return make_kim(app)


def test_new_items_are_stored_clean(app, httpserver, kim):
    feed = rss([{"title": "Panen &amp;lt;b&amp;gt;raya&amp;lt;/b&amp;gt;", "link": "/panen", "guid": "p1",
                 "date": "Senin, 12 Mei 2014 13:21 WIB",
                 "description": '<p onclick="x()">Panen <a href="/detail">raya</a><script>alert(1)</script>'
                                '<img src="foto.jpg"><a href="javascript:alert(1)">x</a></p>',
                 "enclosures": [("/audio.mp3", "audio/mpeg", "1234")]}])
    httpserver.expect_request("/feed.xml").respond_with_data(feed, content_type="application/rss+xml")
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed.xml"))
    summary = refresh(app)
    assert (summary.fetched, summary.new_items, summary.errors) == (1, 1, 0)
    [item] = items(app, source_id)
    base = httpserver.url_for("/")
    assert item.title == "Panen <b>raya</b>"  # text, with the markup shown as text, never as HTML
    assert item.url == base + "panen"
    assert item.published_at == datetime(2014, 5, 12, 6, 21, tzinfo=timezone.utc)
    assert "<script" not in item.content and "onclick" not in item.content and "javascript:" not in item.content
    assert f'href="{base}detail"' in item.content and f'src="{base}foto.jpg"' in item.content
    assert item.summary == "Panen rayax"
    assert item.enclosures == [{"url": base + "audio.mp3", "type": "audio/mpeg", "length": 1234}]
    health = source(app, source_id)
    assert health.title == "Dinas Kominfo Lima Puluh Kota" and health.last_status == 200
    assert health.error_count == 0 and health.last_success_at is not None


def test_conditional_get_gives_304_and_no_new_rows(app, httpserver, kim):
    body = rss(numbered(3))

    def handler(request):
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(body, headers={"ETag": '"v1"', "Last-Modified": "Wed, 01 Jan 2025 00:00:00 GMT"},
                        content_type="application/rss+xml")

    httpserver.expect_request("/feed").respond_with_handler(handler)
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    assert refresh(app).new_items == 3
    second = refresh(app)
    assert (second.not_modified, second.new_items, second.fetched) == (1, 0, 0)
    requests_seen = [r for r, _ in httpserver.log]
    assert requests_seen[-1].headers["If-None-Match"] == '"v1"'
    assert requests_seen[-1].headers["If-Modified-Since"] == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert "JejaringKIM" in requests_seen[-1].headers["User-Agent"]
    assert len(items(app, source_id)) == 3
    assert source(app, source_id).last_status == 304


def test_a_changed_entry_updates_in_place(app, httpserver, kim):
    versions = [rss(numbered(2)), rss([dict(numbered(1)[0], title="Berita 0 (diperbarui)")] + numbered(1, start=1))]
    httpserver.expect_ordered_request("/feed").respond_with_data(versions[0])
    httpserver.expect_ordered_request("/feed").respond_with_data(versions[1])
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    refresh(app)
    before = {i.guid: (i.id, i.content_hash) for i in items(app, source_id)}
    summary = refresh(app)
    assert (summary.new_items, summary.updated_items) == (0, 1)
    after = {i.guid: i for i in items(app, source_id)}
    assert set(after) == {"berita-0", "berita-1"}
    assert after["berita-0"].id == before["berita-0"][0] and after["berita-0"].title == "Berita 0 (diperbarui)"
    assert after["berita-1"].content_hash == before["berita-1"][1]


def test_a_guid_reused_for_every_entry_does_not_collapse(app, httpserver, kim):
    entries = [dict(e, guid="https://kominfo.example.id/") for e in numbered(4)]
    httpserver.expect_request("/feed").respond_with_data(rss(entries))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    refresh(app)
    refresh(app)  # and a second fetch does not duplicate them
    stored = items(app, source_id)
    assert sorted(i.title for i in stored) == ["Berita 0", "Berita 1", "Berita 2", "Berita 3"]


def test_entries_without_guid_dedupe_by_link_then_title_and_date(app, httpserver, kim):
    entries = [{"title": "Tanpa guid", "link": "https://kominfo.example.id/a"},
               {"title": "Tanpa guid dan link", "date": "Selasa, 13 Mei 2014 08:00 WIB"}]
    httpserver.expect_request("/feed").respond_with_data(rss(entries))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    refresh(app)
    refresh(app)
    assert sorted(i.title for i in items(app, source_id)) == ["Tanpa guid", "Tanpa guid dan link"]


def test_dates_missing_and_in_the_future(app, httpserver, kim):
    future = datetime.now(timezone.utc) + timedelta(days=30)
    entries = [{"title": "Tanpa tanggal", "guid": "a"}, {"title": "Dari masa depan", "guid": "b", "date": future},
               {"title": "Agustus", "guid": "c", "date": "Kamis, 14 Agt 2025 09:30 WITA"}]
    httpserver.expect_request("/feed").respond_with_data(rss(entries))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    before = datetime.now(timezone.utc)
    refresh(app)
    stored = {i.guid: i for i in items(app, source_id)}
    after = datetime.now(timezone.utc)
    assert before - timedelta(seconds=1) <= stored["a"].published_at <= after  # first seen
    assert stored["b"].published_at <= after  # clamped to the fetch time
    assert stored["c"].published_at == datetime(2025, 8, 14, 1, 30, tzinfo=timezone.utc)
    first_seen = stored["a"].published_at
    refresh(app)
    assert {i.guid: i for i in items(app, source_id)}["a"].published_at == first_seen  # kept


def test_gzip_responses(app, httpserver, kim):
    body = gzip.compress(rss(numbered(5)))
    httpserver.expect_request("/feed").respond_with_data(body, headers={"Content-Encoding": "gzip"},
                                                         content_type="application/rss+xml")
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    assert refresh(app).new_items == 5
    assert len(items(app, source_id)) == 5


def test_a_bad_fetch_never_loses_items(app, httpserver, kim):
    httpserver.expect_ordered_request("/feed").respond_with_data(rss(numbered(3)))
    httpserver.expect_ordered_request("/feed").respond_with_data(b"<html><body>Maintenance</body></html>")
    httpserver.expect_ordered_request("/feed").respond_with_data(b"<rss version=\"2.0\"><channel><title>rus")
    httpserver.expect_ordered_request("/feed").respond_with_data(b"oops", status=500)
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    refresh(app)
    for expected_errors in (1, 2, 3):
        refresh(app)
        health = source(app, source_id)
        assert health.error_count == expected_errors
        assert len(items(app, source_id)) == 3
    assert (health.last_error_code, health.last_error_detail, health.last_status) == ("http", "500", 500)


def test_errors_back_off_exponentially(app, httpserver, kim):
    httpserver.expect_request("/feed").respond_with_data("no", status=500)
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    waits = []
    for _ in range(4):
        refresh(app)
        health = source(app, source_id)
        waits.append(round((health.next_check_at - health.last_checked_at).total_seconds() / 60))
    assert waits == [30, 60, 120, 240]


def test_410_gone_stops_the_source(app, httpserver, kim):
    httpserver.expect_request("/feed").respond_with_data("gone", status=410)
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    refresh(app)
    health = source(app, source_id)
    assert health.stopped_at is not None and health.last_error_code == "gone"
    assert refresh(app).sources == 0  # never claimed again
    assert len(httpserver.log) == 1


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_is_honoured(app, httpserver, kim, status):
    httpserver.expect_request("/feed").respond_with_data("busy", status=status, headers={"Retry-After": "7200"})
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    refresh(app)
    health = source(app, source_id)
    wait = (health.next_check_at - health.last_checked_at).total_seconds()
    assert 7200 <= wait <= 7201 and health.last_status == status
    assert refresh(app, due_only=True).sources == 0


def test_timeout(app, httpserver, kim):
    app.config["HUB_FETCH_TIMEOUT"] = 0.5

    def slow(request):
        time.sleep(1.5)
        return Response(rss(numbered(1)))

    httpserver.expect_request("/feed").respond_with_handler(slow)
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    summary = refresh(app)
    assert summary.errors == 1
    assert source(app, source_id).last_error_code == "timeout"


def test_oversized_bodies_are_refused(app, httpserver):
    big = b"<rss>" + b"x" * (64 * 1024) + b"</rss>"
    httpserver.expect_request("/big").respond_with_data(big)
    result = Fetcher(allow_private=True, max_bytes=32 * 1024).fetch(httpserver.url_for("/big"))
    assert result.error == "too_large" and result.body is None

    def chunked(request):  # no Content-Length: the cap applies while reading
        return Response((b"x" * 8192 for _ in range(10)), direct_passthrough=True)
    httpserver.expect_request("/stream").respond_with_handler(chunked)
    result = Fetcher(allow_private=True, max_bytes=32 * 1024).fetch(httpserver.url_for("/stream"))
    assert result.error == "too_large"


def test_permanent_redirect_updates_the_url_after_holding_twice(app, httpserver, kim):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data(rss(numbered(2)))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/old"))
    refresh(app)
    health = source(app, source_id)
    assert health.url.endswith("/old") and health.redirect_count == 1 and len(items(app, source_id)) == 2
    refresh(app)
    assert source(app, source_id).url == httpserver.url_for("/new")
    refresh(app)
    assert [r.path for r, _ in httpserver.log][-1] == "/new"


def test_temporary_redirect_keeps_the_url(app, httpserver, kim):
    httpserver.expect_request("/old").respond_with_data("", status=302, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data(rss(numbered(1)))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/old"))
    refresh(app)
    refresh(app)
    health = source(app, source_id)
    assert health.url.endswith("/old") and health.redirect_count == 0


def test_private_addresses_are_refused_when_the_flag_is_off(app, httpserver, kim):
    app.config["HUB_ALLOW_PRIVATE_FEEDS"] = False
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(1)))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    refresh(app)
    assert source(app, source_id).last_error_code == "private_address"
    assert httpserver.log == []  # not even a connection was made
    assert Fetcher().fetch("http://localhost:9/").error == "private_address"
    assert Fetcher().fetch("http://[::1]:9/").error == "private_address"
    assert Fetcher().fetch("http://169.254.169.254/latest/meta-data/").error == "private_address"
    assert Fetcher().fetch("http://10.0.0.1/").error == "private_address"


def test_a_redirect_to_loopback_is_refused_on_every_hop():
    """The first server counts as public for this test (127.0.0.2); it redirects to 127.0.0.1."""
    target = HTTPServer(host="127.0.0.1", port=0)
    first = HTTPServer(host="127.0.0.2", port=0)
    target.start()
    first.start()
    try:
        target.expect_request("/secret").respond_with_data("rahasia")
        first.expect_request("/feed").respond_with_data(
            "", status=302, headers={"Location": f"http://127.0.0.1:{target.port}/secret"})
        fetcher = Fetcher(address_allowed=lambda ip: ip == "127.0.0.2")
        result = fetcher.fetch(f"http://127.0.0.2:{first.port}/feed")
        assert result.error == "private_address"
        assert len(first.log) == 1 and target.log == []
    finally:
        first.clear()
        target.clear()
        first.stop()
        target.stop()


def test_non_http_urls_are_refused():
    for url in ("file:///etc/passwd", "ftp://example.com/feed", "gopher://x/"):
        assert Fetcher(allow_private=True).fetch(url).error == "bad_url"


def test_schedule_adapts_to_publishing_and_respects_ttl(app, httpserver, kim):
    now = datetime.now(timezone.utc)
    hourly = [dict(e, date=now - timedelta(hours=i)) for i, e in enumerate(numbered(6))]
    httpserver.expect_request("/hourly").respond_with_data(rss(hourly))
    daily = [dict(e, date=now - timedelta(days=3 * i)) for i, e in enumerate(numbered(6))]
    httpserver.expect_request("/rare").respond_with_data(rss(daily))
    httpserver.expect_request("/ttl").respond_with_data(rss(hourly, ttl=180))
    ids = [subscribe(app, kim.slug, httpserver.url_for(p)) for p in ("/hourly", "/rare", "/ttl")]
    refresh(app)
    intervals = [source(app, i).interval_seconds for i in ids]
    assert intervals == [3600, 24 * 3600, 3 * 3600]


def test_unsubscribed_sources_are_not_fetched(app, httpserver, kim):
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(1)))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    with app.app_context():
        from hub.aggregation import service
        from hub.models import Subscription
        service.unsubscribe(db.session.scalar(db.select(Subscription)))
        db.session.commit()
    assert refresh(app).sources == 0
    assert source(app, source_id) is not None  # the source row stays


def test_one_source_fetched_once_for_many_kims(app, httpserver):
    for slug in ("a", "b", "c"):
        make_kim(app, slug)
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(2)))
    ids = {subscribe(app, slug, httpserver.url_for("/feed")) for slug in ("a", "b", "c")}
    assert len(ids) == 1
    refresh(app)
    assert len(httpserver.log) == 1


def test_process_pool_parses_too(app, httpserver, kim):
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(4)))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    assert refresh(app, processes=2, inline_backlog=-1).new_items == 4
    assert len(items(app, source_id)) == 4


def test_parser_processes_start_only_when_bodies_wait(app, httpserver, kim, monkeypatch):
    """A few changed feeds are parsed by this process's parse thread (no processes to spawn);
    once more bodies wait for it than the refresher's inline backlog, the processes start and
    take the bodies from then on."""
    from hub.aggregation import worker
    for n in range(12):
        httpserver.expect_request(f"/f{n}").respond_with_data(rss(numbered(3, start=n * 10)),
                                                             content_type="application/rss+xml")
        subscribe(app, kim.slug, httpserver.url_for(f"/f{n}"))
    where = []
    submit = worker._Counted.submit

    def counted_submit(self, fn, *args):
        where.append("thread")

        def slow(*args):  # slow enough for bodies to pile up behind the thread
            time.sleep(0.2)
            return fn(*args)
        return submit(self, slow, *args)
    monkeypatch.setattr(worker._Counted, "submit", counted_submit)
    # enough patience: none waits long enough -> all in the thread, no pool
    with app.app_context():
        refresher = worker.Refresher(app, processes=2, inline_backlog=100)
        try:
            assert refresher.run_once(due_only=False).new_items == 36
            assert refresher.pool is None and where == ["thread"] * 12
        finally:
            refresher.close()
            db.session.remove()
    with app.app_context():  # the items again, to be parsed again: delete them
        db.session.execute(db.delete(Item))
        db.session.execute(db.update(Source).values(etag=None, last_modified=None))
        db.session.commit()
    where.clear()
    httpserver.clear()
    # one fetch at a time (threads=1); the first six answer at once and pile up behind the slow
    # thread, which starts the processes; the others answer only once the processes are up
    served, holder = [0], {}

    def answer(request):
        served[0] += 1
        if served[0] > 6:
            assert holder["refresher"]._pool_ready.wait(60), "the parser processes never came up"
        number = int(request.path.rsplit("f", 1)[1])
        return Response(rss(numbered(3, start=number * 10)), content_type="application/rss+xml")
    for n in range(12):
        httpserver.expect_request(f"/f{n}").respond_with_handler(answer)
    with app.app_context():
        refresher = holder["refresher"] = worker.Refresher(app, threads=1, processes=2, inline_backlog=2)
        try:
            assert refresher.run_once(due_only=False).new_items == 36
            assert refresher.pool is not None and 3 <= len(where) <= 6, where  # the rest went to the pool
        finally:
            refresher.close()
            db.session.remove()


def test_claims_are_released_when_stopping(app, httpserver, kim):
    from hub.aggregation import schedule
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(1)))
    source_id = subscribe(app, kim.slug, httpserver.url_for("/feed"))
    with app.app_context():
        claimed = schedule.claim(db.session, due_only=False)
        assert [c[0] for c in claimed] == [source_id]
        assert schedule.claim(db.session, due_only=False) == []  # leased
        schedule.release(db.session, [source_id])
        assert [c[0] for c in schedule.claim(db.session, due_only=False)] == [source_id]
