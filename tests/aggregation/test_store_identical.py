"""The refresh's speed work must not change what is stored. The benchmark's feeds (bench/refresh.py:
RSS, Atom and RDF, unsafe HTML in some entries) are refreshed cold, then again after some gained an
entry, and the whole store is compared, by bench/refresh.py's digest of every item's columns:
- with one parser process (threads) and with two (spawned processes): the same store;
- against the store the hub built before the speed work (issue #13), on the same feeds. BEFORE was
  printed by this very test run at commit a556b65 (the code before that work), with the digest
  function copied in; a change that alters what is stored fails here and must say why."""
import sys

import pytest

from hub import ROOT
from hub.extensions import db
from tests.aggregation.helpers import refresh, subscribe
from tests.factories import make_kim

sys.path.insert(0, str(ROOT / "bench"))
try:
    from refresh import make_feed, store_digest
finally:
    sys.path.remove(str(ROOT / "bench"))

from datetime import datetime, timezone  # noqa: E402

BASE = datetime(2026, 10, 1, 12, 0, tzinfo=timezone.utc)  # every entry in the past
FEEDS, ITEMS, CHANGED = 30, 20, 6
BEFORE = "606 items, sha256 ebe726443c1300c0"


def build(app, httpserver, processes, inline_backlog=None):
    for n in range(FEEDS):
        httpserver.expect_request(f"/feed{n}.xml").respond_with_data(make_feed(n, ITEMS, BASE),
                                                                     content_type="application/xml")
    make_kim(app)
    for n in range(FEEDS):
        subscribe(app, "tujuah-koto-talago", httpserver.url_for(f"/feed{n}.xml"))
    first = refresh(app, processes=processes, inline_backlog=inline_backlog)
    httpserver.clear()
    for n in range(FEEDS):  # the first CHANGED feeds gain a newer entry; the others answer the same
        body = make_feed(n, ITEMS + 1, BASE, start=-1) if n < CHANGED else make_feed(n, ITEMS, BASE)
        httpserver.expect_request(f"/feed{n}.xml").respond_with_data(body, content_type="application/xml")
    second = refresh(app, processes=processes, inline_backlog=inline_backlog)
    assert (first.new_items, first.errors, second.new_items, second.errors) == (FEEDS * ITEMS, 0, CHANGED, 0)
    with app.app_context():
        return store_digest(db.session)


@pytest.mark.parametrize("processes, inline_backlog", [(1, None), (2, -1), (2, 0), (2, None)])
def test_the_store_is_what_it_was_before_the_speed_work(app, httpserver, processes, inline_backlog):
    """One parse thread; every body to the parser processes; the thread until the processes are
    up (started at the first body waiting); the worker's default."""
    assert build(app, httpserver, processes, inline_backlog) == BEFORE
