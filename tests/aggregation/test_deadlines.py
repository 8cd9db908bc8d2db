"""Fetch deadlines, stops and leases, against a loopback server that trickles one byte at a time
(in the headers, or in the body), and a PostgreSQL connection killed in the middle of a pass."""
import threading
import time

import pytest
from werkzeug import Response

from hub.aggregation import schedule
from hub.aggregation.fetch import Fetcher
from hub.aggregation.worker import Refresher
from hub.extensions import db
from hub.models import Source
from tests.aggregation.feeds import numbered, rss
from tests.aggregation.helpers import LoopbackServer, items, refresh, source, subscribe
from tests.factories import make_kim


class Trickler(LoopbackServer):
    """/headers sends a status line, then a header one byte every 0.1 s, never ending it; /body
    sends whole headers and then the body one byte every 0.1 s."""

    def _serve(self, conn):
        try:
            request = conn.recv(4096).decode("latin-1")
            if " /headers" in request:
                conn.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                while not self.stopped.is_set():
                    conn.sendall(b"a")
                    time.sleep(0.1)
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n")
                while not self.stopped.is_set():
                    conn.sendall(b"<")
                    time.sleep(0.1)
        except OSError:
            pass  # the hub hung up: that is the point
        finally:
            conn.close()


@pytest.fixture
def trickler():
    server = Trickler()
    yield server
    server.close()


@pytest.mark.parametrize("path", ["/headers", "/body"])
def test_a_trickling_server_is_cut_off_at_the_deadline(trickler, path):
    fetcher = Fetcher(allow_private=True, deadline=1.5)
    started = time.monotonic()
    result = fetcher.fetch(trickler.url(path))
    took = time.monotonic() - started
    assert result.error == "timeout" and result.body is None
    assert 1.4 < took < 3.5, took  # per-read timeouts (20 s) never fire on such a server


def test_a_slow_source_does_not_hold_up_the_pass(app, httpserver, trickler):
    make_kim(app)
    app.config["HUB_FETCH_TIMEOUT"] = 2
    httpserver.expect_request("/good").respond_with_data(rss(numbered(3)), content_type="application/rss+xml")
    good = [subscribe(app, "tujuah-koto-talago", httpserver.url_for("/good") + f"?n={n}") for n in range(3)]
    slow = [subscribe(app, "tujuah-koto-talago", trickler.url(p)) for p in ("/headers", "/body")]
    started = time.monotonic()
    summary = refresh(app)
    assert time.monotonic() - started < 8
    assert summary.new_items == 9 and summary.errors == 2
    assert all(len(items(app, s)) == 3 for s in good)
    for source_id in slow:
        row = source(app, source_id)
        assert row.last_error_code == "timeout" and row.error_count == 1 and row.lease_until is None


def test_a_stop_cuts_a_trickling_fetch_and_releases_it_unblamed(app, trickler):
    make_kim(app)
    app.config["HUB_FETCH_TIMEOUT"] = 120  # the deadline is far away: only the stop can end it
    source_id = subscribe(app, "tujuah-koto-talago", trickler.url("/headers"))
    outcome = {}

    def run():
        with app.app_context():
            refresher = Refresher(app, processes=1)
            outcome["refresher"] = refresher
            try:
                outcome["summary"] = refresher.run_once(due_only=False)
            finally:
                refresher.close()
                db.session.remove()
    thread = threading.Thread(target=run)
    thread.start()
    wait_until(lambda: trickler.connections > 0)
    asked = time.monotonic()
    outcome["refresher"].stop()  # what SIGTERM does
    thread.join(timeout=15)
    assert not thread.is_alive()
    assert time.monotonic() - asked < 6  # the grace of 3 s, then the fetch is cut
    row = source(app, source_id)
    assert row.lease_until is None  # released
    assert row.error_count == 0 and row.last_error_code is None  # the hub stopped: not the source's fault


def wait_until(condition, seconds=10):
    ends = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < ends, "never happened"
        time.sleep(0.05)


def test_a_pass_that_fails_releases_its_leases_unblamed(app, httpserver):
    """The database connection of the pass is killed while it fetches (PostgreSQL: the backend is
    terminated). The pass fails; its sources are released at once on a new connection, and no
    error is counted against them."""
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("terminating a backend is a PostgreSQL matter")
    make_kim(app)
    from sqlalchemy import create_engine, text
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    killer = create_engine(url, isolation_level="AUTOCOMMIT")

    def kill_then_answer(request):
        with killer.connect() as conn:  # every other connection to this database, the pass's included
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        return Response(rss(numbered(2)), content_type="application/rss+xml")
    httpserver.expect_request("/feed").respond_with_handler(kill_then_answer)
    ids = [subscribe(app, "tujuah-koto-talago", httpserver.url_for("/feed") + f"?n={n}") for n in range(4)]
    with app.app_context():
        refresher = Refresher(app, threads=1, processes=1)
        try:
            with pytest.raises(Exception):
                refresher.run_once(due_only=False)
        finally:
            refresher.close()
            db.session.remove()
    killer.dispose()
    with app.app_context():
        rows = db.session.scalars(db.select(Source).where(Source.id.in_(ids))).all()
        assert all(r.lease_until is None for r in rows), "leases left behind"
        assert all(r.error_count == 0 for r in rows), "the hub's failure was counted against a source"
        db.session.remove()
        db.engine.dispose()


def test_leases_are_short_and_renewed_while_a_pass_runs(app, httpserver):
    """A worker killed outright strands its sources for one short lease; a living pass keeps
    renewing it."""
    make_kim(app)
    httpserver.expect_request("/feed").respond_with_data(rss(numbered(1)))
    source_id = subscribe(app, "tujuah-koto-talago", httpserver.url_for("/feed"))
    from datetime import timedelta

    from hub.models import utcnow
    with app.app_context():
        before = utcnow()
        schedule.claim(db.session, due_only=False)
        leased = db.session.get(Source, source_id).lease_until
        assert timedelta(minutes=1) < leased - before <= timedelta(minutes=2, seconds=1)
        # nobody renews it (the worker was killed): after the lease anyone may claim it
        later = before + timedelta(minutes=2, seconds=1)
        assert [c[0] for c in schedule.claim(db.session, due_only=False, now=later)] == [source_id]
        schedule.renew(db.session, {source_id}, now=later + timedelta(minutes=1))
        assert schedule.claim(db.session, due_only=False, now=later + timedelta(minutes=2)) == []
        db.session.remove()


def test_a_killed_worker_strands_its_sources_for_one_short_lease(app, trickler):
    """`flask worker` SIGKILLed in the middle of a fetch: its claim stays, but only for the
    lease (two minutes), after which another worker takes the source."""
    import os
    import signal
    import subprocess
    import sys
    from datetime import timedelta
    from pathlib import Path

    from hub.models import utcnow
    make_kim(app)
    source_id = subscribe(app, "tujuah-koto-talago", trickler.url("/body"))
    env = dict(os.environ, FLASK_APP="wsgi", HUB_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               HUB_SECRET_KEY="test", HUB_ALLOW_PRIVATE_FEEDS="1", HUB_FETCH_TIMEOUT="120")
    root = Path(__file__).resolve().parents[2]
    worker = subprocess.Popen([sys.executable, "-m", "flask", "worker", "--processes", "1"], cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: trickler.connections > 0, seconds=30)  # mid-fetch, its lease taken
        killed_at = utcnow()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    row = source(app, source_id)
    assert row.lease_until is not None and row.lease_until - killed_at <= timedelta(minutes=2, seconds=5)
    with app.app_context():
        assert schedule.claim(db.session, due_only=False) == []  # still leased: nobody fetches it twice
        later = row.lease_until + timedelta(seconds=1)
        assert [c[0] for c in schedule.claim(db.session, due_only=False, now=later)] == [source_id]
        db.session.remove()
