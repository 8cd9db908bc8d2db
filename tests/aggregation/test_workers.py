"""Several workers on PostgreSQL never fetch the same source at once."""
import threading
from collections import Counter

import pytest
from werkzeug import Response

from hub.aggregation.worker import Refresher
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item
from tests.aggregation.feeds import numbered, rss
from tests.factories import make_kim


def test_two_workers_fetch_200_sources_exactly_once(app, httpserver):
    if app.config["BACKEND"] != "postgresql":
        pytest.skip("row claims with SKIP LOCKED are a PostgreSQL matter; SQLite runs one worker")
    make_kim(app)
    body = rss(numbered(3))
    httpserver.expect_request("/f", query_string=None).respond_with_handler(
        lambda request: Response(body, content_type="application/rss+xml"))
    from hub.aggregation import service
    with app.app_context():
        kim = get_kim("tujuah-koto-talago")
        for n in range(200):
            service.subscribe(kim, httpserver.url_for("/f") + f"?n={n}")
        db.session.commit()

    summaries = []

    def work():
        with app.app_context():
            refresher = Refresher(app, threads=8, processes=1)
            try:
                total = 0
                while True:  # small batches so that the two really interleave
                    summary = refresher.run_once(limit=10)
                    if summary.sources == 0:
                        break
                    total += summary.sources
                summaries.append(total)
            finally:
                refresher.close()
                db.session.remove()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    counts = Counter(request.query_string.decode() for request, _ in httpserver.log)
    assert len(counts) == 200 and set(counts.values()) == {1}
    assert sum(summaries) == 200 and all(s > 0 for s in summaries)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Item)) == 600
