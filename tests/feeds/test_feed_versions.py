"""A feed's validators come from its KIMs' publication versions (hub.posts.publication): every
change that reaches a feed must change its ETag and its Last-Modified, or followers would keep an
old copy for good; changes elsewhere leave it as it was."""
from datetime import timedelta
from email.utils import parsedate_to_datetime

import feedparser
import pytest

from hub.extensions import db
from hub.kims.service import get_kim, set_kim_active, update_kim
from hub.models import Item, ItemFlag, Post
from hub.posts import service as posts
from hub.reading.timeline import set_read
from hub.sharing import review
from tests.reading_world import add_items
from tests.sharing.test_exchanges import user

from .test_feeds import BASE, published  # noqa: F401  (fixture)

FEEDS = ("/kim/talago/feed.atom", "/kecamatan/guguak/feed.json", "/feed.rss")


def validators(client):
    """{feed: (ETag, Last-Modified)}, each feed's 200 checked against its own 304 first."""
    out = {}
    for path in FEEDS:
        answer = client.get(path)
        assert answer.status_code == 200
        etag, modified = answer.headers["ETag"], answer.headers["Last-Modified"]
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
        out[path] = (etag, modified)
    return out


def titles(client, path="/kim/talago/feed.atom"):
    return {e.title for e in feedparser.parse(client.get(path).data).entries}


def changed_feeds(client, before):
    """The feeds whose copy held by a follower (its ETag) is no longer current."""
    return {path for path, (etag, _modified) in before.items()
            if client.get(path, headers={"If-None-Match": etag}).status_code != 304}


def gambir(app):
    return db.session.scalar(db.select(Item).where(Item.title == "Harga gambir naik"))


def rina():
    return user("rina@example.id")


def test_a_post_published_or_edited_changes_its_kims_feeds(app, published):
    client = app.test_client()
    before = validators(client)
    with app.app_context():
        posts.create_post(get_kim("talago"), actor=rina(), title="Draf kedua", body="Belum", base_url=BASE)
        db.session.commit()
    assert changed_feeds(client, before) == set()  # a draft is in no feed
    before = validators(client)
    with app.app_context():
        post = db.session.get(Post, published["post"])
        posts.update_post(post, actor=rina(), title="Gotong royong Sabtu", body=post.body, bidang=post.bidang,
                          base_url=BASE)
        db.session.commit()
    assert changed_feeds(client, before) == set(FEEDS)
    assert "Gotong royong Sabtu" in titles(client)
    # Last-Modified is when the version last changed (HTTP dates count whole seconds)
    after = validators(client)
    assert parsedate_to_datetime(after[FEEDS[0]][1]) >= parsedate_to_datetime(before[FEEDS[0]][1])


def test_a_flag_raised_and_withdrawn_changes_every_feed_holding_the_item(app, published):
    client = app.test_client()
    before = validators(client)
    with app.app_context():
        mark, _warned = review.flag(gambir(app), get_kim("talago"), actor=rina(), kind="hoaks", reason="Harga lama")
        db.session.commit()
        mark_id = mark.id
    assert changed_feeds(client, before) == set(FEEDS)
    assert "Harga gambir naik" not in titles(client)
    before = validators(client)
    with app.app_context():
        review.withdraw_flag(db.session.get(ItemFlag, mark_id), actor=rina())
        db.session.commit()
    assert changed_feeds(client, before) == set(FEEDS)
    assert "Harga gambir naik" in titles(client)


def test_an_item_edited_at_its_source_changes_the_feeds_that_disseminated_it(app, published, world):
    """The worker's store updates items in bulk (no flush): it counts the versions up itself."""
    client = app.test_client()
    before = validators(client)
    with app.app_context():
        item = gambir(app)
        fetched = item.fetched_at + timedelta(hours=1)
    # the same entry (same guid) with another text, as a refresh stores it
    add_items(app, world["tani"], [("Harga gambir naik", "Harga gambir naik lagi di pasar Payakumbuh", 20)],
              fetched_at=fetched)
    with app.app_context():
        assert gambir(app).text == "Harga gambir naik lagi di pasar Payakumbuh"
    assert changed_feeds(client, before) == set(FEEDS)
    before = validators(client)
    # an item nobody disseminated changes no feed
    add_items(app, world["tani"], [("Pupuk bersubsidi", "Kartu tani baru", 30)], fetched_at=fetched)
    assert changed_feeds(client, before) == set()


def test_a_kim_edited_or_deactivated_changes_the_feeds_it_is_in(app, published):
    client = app.test_client()
    admin = None
    before = validators(client)
    with app.app_context():
        update_kim(get_kim("sarilamak"), actor=admin, name="KIM Sarilamak Baru")
        db.session.commit()
    # Sarilamak (Harau) is in the network's feed only
    assert changed_feeds(client, before) == {"/feed.rss"}
    before = validators(client)
    with app.app_context():
        update_kim(get_kim("talago"), actor=admin, description="Kabar dari Talago")
        db.session.commit()
    assert changed_feeds(client, before) == set(FEEDS)
    before = validators(client)
    with app.app_context():
        set_kim_active(get_kim("sarilamak"), False, actor=admin)
        db.session.commit()
    assert changed_feeds(client, before) == {"/feed.rss"}
    assert "Posyandu Selasa" not in titles(client, "/feed.rss")


def test_what_reaches_no_feed_leaves_every_etag_as_it_was(app, published):
    """Reading, a check (not a dissemination), a change of a KIM's contact: no follower refetches."""
    client = app.test_client()
    before = validators(client)
    with app.app_context():
        item = db.session.scalar(db.select(Item).where(Item.title == "Jadwal tanam padi"))
        set_read(rina(), item, True)
        review.record_check(item, get_kim("talago"), actor=rina(), note="Sudah dicek")
        update_kim(get_kim("talago"), actor=None, contact="0812 0000 0000")
        db.session.commit()
    assert changed_feeds(client, before) == set()


@pytest.mark.parametrize("path", FEEDS)
def test_the_version_is_read_fresh_where_the_session_holds_the_kim(app, published, path):
    """A request that shares its session with code that loaded the KIM before a change (a test, a
    command) still sees the new version: the view reads it as columns, not from the identity map."""
    client = app.test_client()
    etag = client.get(path).headers["ETag"]
    with app.app_context():
        get_kim("talago").feed_version  # noqa: B018  (loaded into this session)
        item = db.session.scalar(db.select(Item).where(Item.title == "Jadwal tanam padi"))
        review.record_check(item, get_kim("talago"), actor=rina(), note="Cek")
        review.disseminate(item, get_kim("talago"), actor=rina(), channel="papan", audience=3)
        db.session.commit()
        assert client.get(path, headers={"If-None-Match": etag}).status_code == 200
