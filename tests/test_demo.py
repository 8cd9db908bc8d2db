"""The demo network works offline: its sources are feeds the hub serves itself."""
from hub import create_app
from hub.extensions import db
from hub.models import Exchange, Item, Post, Source, Subscription
from tests.aggregation.helpers import refresh
from tests.conftest import TEST_CONFIG, serve


def test_demo_sources_fill_by_themselves(app, tmp_path):
    demo_app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                               HUB_DEMO_FEEDS=True), instance_path=tmp_path / "demo")
    url, stop = serve(demo_app)
    try:
        demo_app.config["HUB_DEMO_BASE_URL"] = url + "/"
        assert demo_app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
        summary = refresh(demo_app)
        assert summary.errors == 0 and summary.sources >= 5 and summary.new_items >= 50
        with demo_app.app_context():
            sources = db.session.scalars(db.select(Source)).all()
            assert all(s.url.startswith(url + "/demo/feeds/") and s.last_status == 200 for s in sources)
            assert {s.kind for s in sources} >= {"pemerintah", "media", "kim"}
            subscribed_kims = db.session.scalar(db.select(db.func.count(db.distinct(Subscription.kim_id))))
            assert subscribed_kims == 12
            assert db.session.scalar(db.select(db.func.count()).select_from(Item)
                                     .where(Item.source_id.is_not(None))) == summary.new_items  # besides its posts
        # a second pass: the feeds answer 304 (nothing new within the hour)
        second = refresh(demo_app)  # within the hour nothing is new (one feed may just have ticked over)
        assert second.not_modified >= summary.sources - 1 and second.errors == 0
        # an entry page exists for every demo link
        with demo_app.app_context():
            link = db.session.scalar(db.select(Item.url).limit(1))
        assert demo_app.test_client().get(link.replace(url, "")).status_code == 200
        # after a change of port, `flask demo --if-empty` moves the sources along
        demo_app.config["HUB_DEMO_BASE_URL"] = "http://127.0.0.1:5999/"
        assert demo_app.test_cli_runner().invoke(args=["demo", "--if-empty"]).exit_code == 0
        with demo_app.app_context():
            sources = db.session.scalars(db.select(Source))
            assert all(s.url.startswith("http://127.0.0.1:5999/demo/feeds/") for s in sources)
    finally:
        stop()
        with demo_app.app_context():
            db.engine.dispose()


def test_demo_has_posts_shared_checked_and_published(app, tmp_path):
    demo_app = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                               HUB_DEMO_FEEDS=True), instance_path=tmp_path / "demo")
    assert demo_app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    with demo_app.app_context():
        from hub.demo import HISTORY_POSTS, POSTS
        assert db.session.scalar(db.select(db.func.count()).select_from(Post).where(Post.status == "published")) \
            == len(POSTS) + len(HISTORY_POSTS)
        chain = db.session.scalars(db.select(Exchange).where(Exchange.parent_id.is_not(None))).all()
        assert ("sarilamak", "mungo") in [(e.from_kim.slug, e.to_kim.slug) for e in chain]
        # three months of history: the coordinators' dashboard has weeks to show and quiet KIMs
        from datetime import date

        from hub.models import Activity, Kim
        from hub.monitoring import measures
        from hub.monitoring.period import Period
        mondays, series = measures.weekly(None, date.today(), "Asia/Jakarta", weeks=14)
        assert sum(1 for i in range(len(mondays)) if series["networking"][i]) >= 8
        assert db.session.scalar(db.select(db.func.count()).select_from(Activity)) == 12
        today = date.today()
        rows = measures.kim_table(db.session.scalars(db.select(Kim)).all(), Period(today, today, "Asia/Jakarta"))
        assert {r.kim.slug for r in rows if r.quiet} >= {"andaleh", "taram", "tarantang"}
    client = demo_app.test_client()
    feed = client.get("/kim/tujuah-koto-talago/feed.atom").get_data(as_text=True)
    assert "Gotong royong membersihkan bandar irigasi" in feed
    assert "Posyandu balita bulan ini" in client.get("/kecamatan/harau/feed.rss").get_data(as_text=True)
    with demo_app.app_context():
        db.engine.dispose()  # the demo app's own pool: no connection left for the next test to find
