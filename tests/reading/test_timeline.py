"""The timeline: order, keyset pages, filters, search, read state, bookmarks, privacy."""
import re
from datetime import date

import pytest

from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, ReadState, User
from hub.reading import timeline as service
from tests.factories import login, post
from tests.reading_world import add_items


def titles(app, user_email="dedi@example.id", kim="talago", **filters):
    cursor = filters.pop("cursor", None)
    limit = filters.pop("limit", 50)
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == user_email))
        page = service.timeline(get_kim(kim), user, service.Filters(**filters), cursor=cursor, limit=limit)
        return [e.item.title for e in page.entries], page.next_cursor


def test_newest_first_and_only_the_kims_sources(app, world):
    assert titles(app)[0] == ["Pupuk bersubsidi", "Tenun Kubang", "Harga gambir naik", "Festival Lembah Harau",
                              "Jadwal tanam padi"]
    assert titles(app, "fitri@example.id", "sarilamak")[0] == ["Waspada longsor"]


def test_keyset_pages_skip_and_repeat_nothing_while_items_arrive(app, world):
    first, cursor = titles(app, limit=2)
    assert first == ["Pupuk bersubsidi", "Tenun Kubang"] and cursor
    # new items arrive between pages, newer and older than the page boundary
    add_items(app, world["tani"], [("Baru sekali", "x", 100), ("Baru tapi lama", "x", 12)])
    seen = list(first)
    while cursor:
        page, cursor = titles(app, limit=2, cursor=cursor)
        seen += page
    # the newer arrival waits for the next first page; the older one takes its place in order
    assert seen == ["Pupuk bersubsidi", "Tenun Kubang", "Harga gambir naik", "Festival Lembah Harau",
                    "Baru tapi lama", "Jadwal tanam padi"]
    assert titles(app, limit=1)[0] == ["Baru sekali"]


def test_items_with_the_same_time_are_paged_by_id(app, world):
    add_items(app, world["kabar"], [(f"Serentak {n}", "x", 500) for n in range(5)])
    seen, cursor = [], None
    while True:
        page, cursor = titles(app, limit=2, cursor=cursor)
        seen += page
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 10


@pytest.mark.parametrize("filters,expected", [
    ({"bidang": "pertanian"}, ["Pupuk bersubsidi", "Harga gambir naik", "Jadwal tanam padi"]),
    ({"kind": "media"}, ["Tenun Kubang", "Festival Lembah Harau"]),
    ({"since": date(2026, 11, 20), "until": date(2026, 11, 20)}, None),
    ({"since": date(2026, 11, 21)}, []),
    ({"kind": "media", "bidang": "pertanian"}, []),
])
def test_filters(app, world, filters, expected):
    got = titles(app, **filters)[0]
    assert got == (expected if expected is not None else titles(app)[0])


def test_source_filter_and_another_kims_source_shows_nothing(app, world):
    assert titles(app, source_id=world["kabar"])[0] == ["Tenun Kubang", "Festival Lembah Harau"]
    assert titles(app, source_id=world["bpbd"])[0] == []


def test_unread_and_starred_filters_combine(app, world):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
        by_title = {i.title: i for i in db.session.scalars(db.select(Item))}
        service.set_read(user, by_title["Pupuk bersubsidi"])
        service.set_starred(user, by_title["Pupuk bersubsidi"])
        service.set_starred(user, by_title["Tenun Kubang"])
        db.session.commit()
    assert "Pupuk bersubsidi" not in titles(app, unread=True)[0]
    assert titles(app, starred=True)[0] == ["Pupuk bersubsidi", "Tenun Kubang"]
    assert titles(app, starred=True, unread=True)[0] == ["Tenun Kubang"]
    assert titles(app, starred=True, unread=True, kind="pemerintah")[0] == []


def test_search_ranks_title_hits_first_and_highlights(app, world):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
        page = service.timeline(get_kim("talago"), user, service.Filters(q="PADI"))
    got = [e.item.title for e in page.entries]
    assert got == ["Jadwal tanam padi", "Tenun Kubang"]  # title match ranks above a body match
    assert str(page.entries[0].title_html) == "Jadwal tanam <mark>padi</mark>"
    assert "<mark>padi</mark>" in str(page.entries[1].snippet_html)
    assert titles(app, q="tenun perajin")[0] == ["Tenun Kubang"]  # every word must match
    assert titles(app, q="longsor")[0] == []  # another KIM's source
    assert titles(app, q="gambir", bidang="pertanian")[0] == ["Harga gambir naik"]
    assert titles(app, q="<script>")[0] == []


def test_search_index_follows_updates(app, world):
    add_items(app, world["tani"], [("Jadwal tanam padi", "Kelompok tani kini menanam jagung", 10)])  # changed
    with app.app_context():
        item = db.session.scalar(db.select(Item).where(Item.title == "Jadwal tanam padi"))
        from hub.aggregation.store import store_items
        store_items(db.session, world["tani"], [{
            "guid": item.guid, "guid_hash": item.guid_hash, "url": item.url, "title": "Jadwal tanam jagung",
            "summary": "", "content": "<p>jagung</p>", "text": "Kelompok tani kini menanam jagung", "author": "",
            "enclosures": [], "published_at": item.published_at, "content_hash": "changed"}], item.fetched_at)
        db.session.commit()
    assert titles(app, q="jagung")[0] == ["Jadwal tanam jagung"]
    assert "Jadwal tanam jagung" not in titles(app, q="serentak")[0]


def test_mark_all_read_spares_newer_items(app, world, dedi):
    html = dedi.get("/linimasa?kim=talago").get_data(as_text=True)
    upto = re.search(r'name="upto" value="([^"]+)"', html).group(1)
    add_items(app, world["kabar"], [("Datang belakangan", "x", 999)])  # arrives while reading
    response = post(dedi, "/linimasa/mark-all-read", {"kim": "talago", "upto": upto})
    assert response.status_code == 302
    assert titles(app, unread=True)[0] == ["Datang belakangan"]


def test_mark_all_read_respects_the_filter(app, world, dedi):
    html = dedi.get("/linimasa?kim=talago&kind=media").get_data(as_text=True)
    upto = re.search(r'name="upto" value="([^"]+)"', html).group(1)
    post(dedi, "/linimasa/mark-all-read", {"kim": "talago", "upto": upto, "kind": "media"})
    assert titles(app, unread=True)[0] == ["Pupuk bersubsidi", "Harga gambir naik", "Jadwal tanam padi"]


def test_opening_an_item_marks_it_read_and_bookmarks(app, world, dedi):
    with app.app_context():
        item_id = db.session.scalar(db.select(Item.id).where(Item.title == "Tenun Kubang"))
    page = dedi.get(f"/item/{item_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Tenun Kubang" in html and "https://example.id/" in html
    assert "Festival Lembah Harau" in html  # more from this source
    assert "Tenun Kubang" not in titles(app, unread=True)[0]
    post(dedi, f"/item/{item_id}/star")
    assert titles(app, starred=True)[0] == ["Tenun Kubang"]
    post(dedi, f"/item/{item_id}/unread")
    assert "Tenun Kubang" in titles(app, unread=True)[0]
    post(dedi, f"/item/{item_id}/unstar")
    assert titles(app, starred=True)[0] == []


def test_a_member_never_sees_another_kims_items_or_views(app, world, dedi):
    with app.app_context():
        longsor = db.session.scalar(db.select(Item.id).where(Item.title == "Waspada longsor"))
    assert dedi.get(f"/item/{longsor}").status_code == 404
    assert post(dedi, f"/item/{longsor}/star").status_code == 404
    assert dedi.get("/linimasa?kim=sarilamak").status_code == 403
    # Fitri's read state is hers alone
    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    fitri.get(f"/item/{longsor}")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ReadState)) == 1


def test_timeline_page_shows_filters_sidebar_and_load_more(app, world, dedi):
    add_items(app, world["kabar"], [(f"Berita {n}", "x", 1000 + n) for n in range(60)])
    html = dedi.get("/linimasa?kim=talago").get_data(as_text=True)
    assert len(re.findall(r'<li class="entry[" ]', html)) == 50
    assert "Berita 59" in html and "Berita 10" in html and "Berita 9<" not in html
    more = re.search(r'rel="next" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    rest = dedi.get(more).get_data(as_text=True)
    assert "Berita 9<" in rest and "Jadwal tanam padi" in rest and "Berita 59" not in rest
    assert "Kabar Luak" in html and ">62<" in html  # unread count in the sidebar
    bad = dedi.get("/linimasa?kim=talago&cursor=bukan")
    assert bad.status_code == 400


def test_items_fetched_by_the_worker_are_searchable(app, world, httpserver):
    from tests.aggregation.feeds import rss
    from tests.aggregation.helpers import refresh, subscribe
    httpserver.expect_request("/feed").respond_with_data(rss([
        {"title": "Vaksinasi ternak", "guid": "v1", "description": "<p>Sapi di Mungo divaksin</p>"}]))
    subscribe(app, "talago", httpserver.url_for("/feed"))
    refresh(app)
    assert titles(app, q="divaksin")[0] == ["Vaksinasi ternak"]
    assert titles(app, q="vaksinasi")[0] == ["Vaksinasi ternak"]


def test_the_kims_own_posts_are_in_its_timeline(app, world):
    from datetime import timedelta

    from hub.models import Item
    from tests.reading_world import T0
    with app.app_context():  # a post as #5 will write it: an item of the KIM, with no source
        db.session.add(Item(kim_id=get_kim("talago").id, guid="tag:hub,2026:post/1", guid_hash="p1",
                            title="Rapat pengurus KIM", published_at=T0 + timedelta(minutes=27)))
        db.session.commit()
    assert titles(app)[0][:3] == ["Pupuk bersubsidi", "Rapat pengurus KIM", "Tenun Kubang"]
    assert titles(app, kind="kim")[0] == ["Rapat pengurus KIM"]
    assert "Rapat pengurus KIM" not in titles(app, kind="media")[0]
    assert "Rapat pengurus KIM" not in titles(app, "fitri@example.id", "sarilamak")[0]


def test_mark_all_read_covers_shared_items_and_posts(app, world, dedi):
    from datetime import timedelta

    from hub.models import Item
    from hub.sharing import service as sharing
    from tests.reading_world import T0
    with app.app_context():
        db.session.add(Item(kim_id=get_kim("talago").id, guid="tag:post", guid_hash="p2", title="Pos KIM",
                            published_at=T0 + timedelta(minutes=3)))
        fitri = db.session.scalar(db.select(User).where(User.email == "fitri@example.id"))
        longsor = db.session.scalar(db.select(Item).where(Item.title == "Waspada longsor"))
        sharing.share(longsor, get_kim("sarilamak"), ["talago"], actor=fitri)
        db.session.commit()
    html = dedi.get("/linimasa?kim=talago").get_data(as_text=True)
    assert "Pos KIM" in html and "Waspada longsor" in html
    upto = re.search(r'name="upto" value="([^"]+)"', html).group(1)
    post(dedi, "/linimasa/mark-all-read", {"kim": "talago", "upto": upto})
    assert titles(app, unread=True)[0] == []
