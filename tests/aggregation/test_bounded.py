"""A pass holds at most `threads + 8 per parser process` fetched bodies at once; the fetch thread
takes no claim beyond that. More feeds than that must still all be stored, with one parser (a thread of
its own) as with several processes, and the number held must stay within the bound."""
import threading

import pytest

from hub.aggregation import worker
from hub.aggregation.fetch import LATER, Fetcher
from hub.aggregation.worker import Refresher
from hub.extensions import db
from tests.aggregation.feeds import numbered, rss
from tests.aggregation.helpers import subscribe
from tests.factories import make_kim

FEEDS = 30


@pytest.mark.parametrize("processes", [1, 2])
def test_more_feeds_than_slots_are_all_stored(app, httpserver, processes, monkeypatch):
    make_kim(app)
    for n in range(FEEDS):
        httpserver.expect_request(f"/f{n}").respond_with_data(rss(numbered(3, start=n * 10)),
                                                             content_type="application/rss+xml")
        subscribe(app, "tujuah-koto-talago", httpserver.url_for(f"/f{n}"))
    held, most = [0], [0]
    lock = threading.Lock()
    fetch_many = Fetcher.fetch_many

    def counting_fetch_many(self, next_request, deliver, **options):  # the real fetches, counted from
        def counted(wait):  # each claim's taking until its outcome is recorded
            request = next_request(wait)
            if request is not None and request is not LATER:
                with lock:
                    held[0] += 1
                    most[0] = max(most[0], held[0])
            return request
        return fetch_many(self, counted, deliver, **options)
    record = Refresher._record

    def counting_record(self, *args, **kwargs):
        try:
            return record(self, *args, **kwargs)
        finally:
            with lock:
                held[0] -= 1
    monkeypatch.setattr(Fetcher, "fetch_many", counting_fetch_many)
    monkeypatch.setattr(Refresher, "_record", counting_record)
    outcome = {}

    def run():
        with app.app_context():
            refresher = Refresher(app, threads=2, processes=processes)
            try:
                outcome["summary"] = refresher.run_once(due_only=False)
            finally:
                refresher.close()
                db.session.remove()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the pass never finished"
    assert outcome["summary"].new_items == FEEDS * 3
    assert most[0] <= 2 + worker.BODIES_PER_PROCESS * processes


def test_fetches_are_handed_out_as_slots_free_not_queued_all_at_once(app, httpserver, monkeypatch):
    """A queued fetch costs 2 KB: with every claim queued up front, 10,000 feeds cost 20 MB."""
    make_kim(app)
    for n in range(FEEDS):
        httpserver.expect_request(f"/g{n}").respond_with_data(rss(numbered(2, start=n * 10)),
                                                             content_type="application/rss+xml")
        subscribe(app, "tujuah-koto-talago", httpserver.url_for(f"/g{n}"))
    outstanding, most, lock = [0], [0], threading.Lock()

    class CountingExecutor(worker.ThreadPoolExecutor):  # the real pool, its queue counted
        def submit(self, fn, *args, **kwargs):
            with lock:
                outstanding[0] += 1
                most[0] = max(most[0], outstanding[0])
            future = super().submit(fn, *args, **kwargs)

            def done(_):
                with lock:
                    outstanding[0] -= 1
            future.add_done_callback(done)
            return future
    monkeypatch.setattr(worker, "ThreadPoolExecutor", CountingExecutor)
    with app.app_context():
        refresher = Refresher(app, threads=2, processes=1)
        try:
            summary = refresher.run_once(due_only=False)
        finally:
            refresher.close()
            db.session.remove()
    assert summary.new_items == FEEDS * 2
    # the parse thread's tasks (the fetches are no tasks: one thread drives them): never more than the slots
    assert most[0] <= 2 + worker.BODIES_PER_PROCESS + 1
