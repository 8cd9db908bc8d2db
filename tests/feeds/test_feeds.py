"""Public feeds: Atom, RSS and JSON Feed of a KIM, a kecamatan and the network, valid for
feedparser and the hub's own parser, with rel=self, ids, dates, and 304 on conditional GETs."""
import json
import shutil
from datetime import timedelta

import feedparser
import pytest
import requests

from hub import create_app
from hub.aggregation import discover as discovery
from hub.aggregation.parse import parse
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, User, utcnow
from hub.posts import service as posts
from hub.reading import timeline
from hub.sharing import review
from tests.aggregation.helpers import refresh, subscribe
from tests.conftest import TEST_CONFIG, _upgrade, serve
from tests.factories import make_kim, make_user, selects_during
from tests.sharing.test_exchanges import user

BASE = "http://localhost/"


@pytest.fixture
def published(app, world):
    """Talago (Guguak) publishes a post and disseminates a checked item; Sarilamak (Harau)
    publishes a post; a third post of Talago is flagged as hoaks; a draft stays out."""
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "sari@example.id", kim="sarilamak", role="pengurus")
    with app.app_context():
        talago, sarilamak = get_kim("talago"), get_kim("sarilamak")
        rina, sari = user("rina@example.id"), user("sari@example.id")
        first = posts.create_post(talago, actor=rina, title="Gotong royong Minggu", body="Di **Jorong Koto**.",
                                  bidang="umum", publish=True, base_url=BASE)
        first.published_at = first.item.published_at = utcnow() - timedelta(hours=3)
        posts.create_post(talago, actor=rina, title="Draf rahasia", body="Belum", base_url=BASE)
        gambir = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        review.record_check(gambir, talago, actor=rina, note="Cek ke pasar")
        review.disseminate(gambir, talago, actor=rina, channel="papan", audience=40)
        wrong = posts.create_post(talago, actor=rina, title="Kabar bohong", body="x", publish=True, base_url=BASE)
        review.flag(wrong.item, talago, actor=rina, kind="hoaks", reason="Salah")
        posts.create_post(sarilamak, actor=sari, title="Posyandu Selasa", body="Balita ditimbang.",
                          bidang="kesehatan", publish=True, base_url=BASE)
        db.session.commit()
        return {"post": first.id, "guid": first.item.guid, "published": first.published_at}


@pytest.mark.parametrize("fmt,mimetype", [("atom", "application/atom+xml"), ("rss", "application/rss+xml")])
def test_kim_feed_parses_with_ids_dates_and_self(app, published, fmt, mimetype):
    client = app.test_client()
    response = client.get(f"/kim/talago/feed.{fmt}")
    assert response.status_code == 200 and response.mimetype == mimetype
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert [e.title for e in feed.entries] == ["Harga gambir naik", "Gotong royong Minggu"]  # newest first
    post = feed.entries[1]
    assert post.id == published["guid"] and post.link == f"http://localhost/berita/{published['post']}"
    assert "<strong>Jorong Koto</strong>" in (post.content[0].value if "content" in post else post.summary)
    want = published["published"].replace(microsecond=0)
    assert (post.published_parsed[:6] == want.timetuple()[:6])
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [f"http://localhost/kim/talago/feed.{fmt}"]
    assert "Draf rahasia" not in response.get_data(as_text=True)
    assert "Kabar bohong" not in response.get_data(as_text=True)  # flagged: held back


def test_json_feed(app, published):
    response = app.test_client().get("/kim/sarilamak/feed.json")
    assert response.mimetype == "application/feed+json"
    doc = json.loads(response.data)
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == "http://localhost/kim/sarilamak/feed.json"
    assert [i["title"] for i in doc["items"]] == ["Posyandu Selasa"]
    assert doc["items"][0]["tags"] == ["Kesehatan"] and doc["items"][0]["id"].startswith("tag:localhost,")
    parsed = parse(response.data, "http://localhost/kim/sarilamak/feed.json", response.content_type)
    assert [e.title for e in parsed.entries] == ["Posyandu Selasa"]  # the hub reads its own feeds too


def test_kecamatan_and_network_feeds(app, published):
    client = app.test_client()
    guguak = feedparser.parse(client.get("/kecamatan/guguak/feed.atom").data)
    assert {e.title for e in guguak.entries} == {"Harga gambir naik", "Gotong royong Minggu"}
    network = feedparser.parse(client.get("/feed.rss").data)
    assert {e.title for e in network.entries} == {"Harga gambir naik", "Gotong royong Minggu", "Posyandu Selasa"}
    assert client.get("/kecamatan/tidak-ada/feed.atom").status_code == 404
    assert client.get("/kim/tidak-ada/feed.atom").status_code == 404


def test_conditional_get_answers_304_until_something_changes(app, published):
    client = app.test_client()
    first = client.get("/kim/talago/feed.atom")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert client.get("/kim/talago/feed.atom", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/kim/talago/feed.atom", headers={"If-Modified-Since": modified}).status_code == 304
    with app.app_context():
        posts.create_post(get_kim("talago"), actor=user("rina@example.id"), title="Berita baru", publish=True,
                          base_url=BASE)
        db.session.commit()
    again = client.get("/kim/talago/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag and b"Berita baru" in again.data


def test_pages_link_their_feeds(app, published, live_server):
    page = app.test_client().get("/kim/talago").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in page and "/kim/talago/feed.atom" in page
    # the hub's own discovery, over HTTP, finds the feeds from the KIM's page
    found = discovery.discover(f"{live_server}/kim/talago", allow_private=True)
    assert f"{live_server}/kim/talago/feed.atom" in [c.url for c in found]
    kecamatan = app.test_client().get("/kecamatan/guguak").get_data(as_text=True)
    assert "/kecamatan/guguak/feed.atom" in kecamatan


def test_two_hubs_a_kim_follows_a_kim_of_another_hub(app, world, tmp_path):
    """Hub 2 (its own SQLite database, served on loopback) has KIM Batu Balang; KIM Talago on
    hub 1 subscribes to its feed; a post on hub 2 reaches hub 1's timeline after a fetch."""
    instance = tmp_path / "hub2"
    instance.mkdir()
    _upgrade(f"sqlite:///{instance / 'hub2.db'}", instance)
    hub2 = create_app(dict(TEST_CONFIG, SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance / 'hub2.db'}"),
                      instance_path=instance)
    make_kim(hub2, "batu-balang", kecamatan="Harau")
    make_user(hub2, "wali@example.id", kim="batu-balang", role="pengurus")
    url, stop = serve(hub2)
    try:
        feed_url = f"{url}/kim/batu-balang/feed.atom"
        source_id = subscribe(app, "talago", feed_url, kind="kim")
        assert refresh(app, source_ids=[source_id]).errors == 0  # only this source: the others are not on loopback
        with hub2.app_context():  # a post on hub 2, through its API
            token = hub2.test_client().post("/api/v1/tokens", json={"email": "wali@example.id",
                                                                     "password": "rahasia-123"}).get_json()["token"]
        created = requests.post(f"{url}/api/v1/kims/batu-balang/posts", timeout=10,
                                headers={"Authorization": f"Bearer {token}"},
                                json={"title": "Panen jeruk Batu Balang", "body": "Harga jeruk **stabil**.",
                                      "bidang": "pertanian"})
        assert created.status_code == 201, created.text
        summary = refresh(app, source_ids=[source_id])
        assert summary.new_items == 1
        with app.app_context():
            reader = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
            entries = timeline.timeline(get_kim("talago"), reader, timeline.Filters(source_id=source_id)).entries
            assert [e.item.title for e in entries] == ["Panen jeruk Batu Balang"]
            arrived = entries[0].item
            assert arrived.guid == created.json()["guid"] and arrived.url == created.json()["url"]
            assert "<strong>stabil</strong>" in arrived.content
        # the next fetch is a conditional GET answered 304: nothing new, nothing duplicated
        again = refresh(app, source_ids=[source_id])
        assert (again.not_modified, again.new_items) == (1, 0)
    finally:
        stop()
        with hub2.app_context():
            db.engine.dispose()
        shutil.rmtree(instance, ignore_errors=True)


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
def test_a_304_costs_one_statement_and_sees_a_new_dissemination(app, published, encoding):
    """The KIM with its publication version, in one statement; a new dissemination changes the
    ETag (tests/feeds/test_feed_versions.py holds every other change). The tag a compressed
    answer carried ('<etag>:gzip') is answered the same way, whether the follower asks for
    compression again or not."""
    client = app.test_client()
    first = client.get("/kim/talago/feed.atom", headers={"Accept-Encoding": encoding})
    etag = first.headers["ETag"]
    assert first.headers.get("Content-Encoding", "") == encoding
    assert etag.endswith(f':{encoding}"') if encoding else ":" not in etag
    for again_with in {"", encoding}:
        answer, seen = selects_during(app, lambda: client.get("/kim/talago/feed.atom", headers={
            "If-None-Match": etag, "Accept-Encoding": again_with}))
        assert answer.status_code == 304 and answer.headers["ETag"] == etag
        assert len(seen) == 1, seen  # no entry read, nothing rendered
    with app.app_context():
        item = db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))
        other = db.session.scalar(db.select(Item).where(Item.title != "Harga gambir naik", Item.source_id.isnot(None)))
        review.record_check(other, get_kim("talago"), actor=user("rina@example.id"), note="Cek")
        review.disseminate(other, get_kim("talago"), actor=user("rina@example.id"), channel="papan", audience=5)
        db.session.commit()
        assert item.id != other.id
    again = client.get("/kim/talago/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 200 and again.headers["ETag"] != etag
    assert client.get("/kim/talago/feed.atom", headers={"If-None-Match": again.headers["ETag"]}).status_code == 304
