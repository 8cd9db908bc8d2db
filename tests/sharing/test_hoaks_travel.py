"""A hoaks stops travelling (issue 11): a flagged item is not shared or passed on as information,
only as a warning that carries the flag; the tree marks it; the same story arriving again
carries the flag; a withdrawn flag lifts all of it."""
from datetime import timedelta

import pytest

from hub.aggregation.clean import digest
from hub.aggregation.store import store_items
from hub.errors import Conflict, Invalid
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Exchange, FlagWarning, Item, ItemFlag
from hub.sharing import review, service
from tests.factories import login, make_kim, make_user, post
from tests.reading_world import T0
from tests.sharing.test_exchanges import item, user


@pytest.fixture
def flagged(app, world):
    """Talago shared "Harga gambir naik" with Sarilamak; Talago's officer Rina then flagged it."""
    make_kim(app, "taram", kecamatan="Harau")
    make_kim(app, "mungo", kecamatan="Luak")
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    make_user(app, "tari@example.id", kim="taram")
    with app.app_context():
        gambir = item("Harga gambir naik")
        first = service.share(gambir, get_kim("talago"), ["sarilamak"], actor=user("dedi@example.id")).exchanges[0]
        mark, _warned = review.flag(gambir, get_kim("talago"), actor=user("rina@example.id"), kind="hoaks",
                                    reason="Harga sebenarnya turun")
        db.session.commit()
        return {"item_id": gambir.id, "exchange_id": first.id, "flag_id": mark.id}


def test_a_flagged_item_travels_only_as_a_warning(app, flagged):
    with app.app_context():
        gambir, talago, dedi = item("Harga gambir naik"), get_kim("talago"), user("dedi@example.id")
        with pytest.raises(Conflict) as refused:
            service.share(gambir, talago, ["taram"], actor=dedi)
        assert refused.value.field == "as_warning"
        db.session.rollback()
        # the recipient cannot pass it on as news either, by either path
        first = db.session.get(Exchange, flagged["exchange_id"])
        with pytest.raises(Conflict):
            service.pass_on(first, ["mungo"], actor=user("fitri@example.id"))
        db.session.rollback()
        with pytest.raises(Conflict):
            service.share(gambir, get_kim("sarilamak"), ["mungo"], actor=user("fitri@example.id"))
        db.session.rollback()
        # as a warning it goes, carrying the flag, and warns the new holder
        sent = service.share(gambir, talago, ["taram"], actor=dedi, as_warning=True).exchanges[0]
        passed = service.pass_on(db.session.get(Exchange, flagged["exchange_id"]), ["mungo"],
                                 actor=user("fitri@example.id"), as_warning=True).exchanges[0]
        db.session.commit()
        assert sent.warning_flag_id == passed.warning_flag_id == flagged["flag_id"]
        assert passed.parent_id == flagged["exchange_id"]
        warned = set(db.session.scalars(db.select(FlagWarning.kim_id).where(FlagWarning.flag_id == flagged["flag_id"])))
        assert {get_kim("taram").id, get_kim("mungo").id, get_kim("sarilamak").id} <= warned
        # an item nobody flagged is not sent "as a warning"
        with pytest.raises(Invalid):
            service.share(item("Tenun Kubang"), talago, ["taram"], actor=dedi, as_warning=True)


def test_the_tree_marks_flagged_nodes_and_where_the_flag_was_raised(app, flagged):
    with app.app_context():
        gambir = item("Harga gambir naik")
        service.pass_on(db.session.get(Exchange, flagged["exchange_id"]), ["mungo"], actor=user("fitri@example.id"),
                        as_warning=True)
        db.session.commit()
        roots = service.tree(gambir)
        assert len(roots) == 1 and roots[0]["flagged"] and roots[0]["children"][0]["flagged"]
        # raised by Talago, the first sender: marked on the branch it starts, not on Mungo's node
        assert [f.kim.slug for f in roots[0]["raised"]] == ["talago"]
        assert roots[0]["children"][0]["raised"] == []
    fitri = app.test_client()
    login(fitri, "fitri@example.id")
    page = fitri.get(f"/item/{flagged['item_id']}?keep=unread").get_data(as_text=True)
    assert page.count('<li class="flagged">') == 2
    assert "KIM talago menandainya di sini sebagai Hoaks" in page
    assert "dikirim sebagai peringatan" in page  # the pass-on went as a warning
    # withdrawn: nothing marked any more, and it may travel as news again
    rina = app.test_client()
    login(rina, "rina@example.id")
    assert post(rina, f"/flag/{flagged['flag_id']}/withdraw").status_code == 302
    page = fitri.get(f"/item/{flagged['item_id']}?keep=unread").get_data(as_text=True)
    assert 'class="flagged"' not in page and "menandainya di sini" not in page
    with app.app_context():
        assert service.share(item("Harga gambir naik"), get_kim("talago"), ["taram"],
                             actor=user("dedi@example.id")).exchanges[0].warning_flag_id is None


def _arrive(app, source_id, guid, url, title):
    with app.app_context():
        store_items(db.session, source_id, [{
            "guid": guid, "guid_hash": digest(guid), "url": url, "title": title, "summary": "", "content": "",
            "text": "", "author": "", "enclosures": [], "published_at": T0 + timedelta(days=2),
            "content_hash": digest(guid)}], T0 + timedelta(days=2))
        db.session.commit()
        return db.session.scalar(db.select(Item.id).where(Item.guid_hash == digest(guid)))


def test_the_same_story_arriving_again_carries_the_flag_and_withdrawal_lifts_it(app, flagged, world):
    with app.app_context():
        gambir = item("Harga gambir naik")
        url, source_id = gambir.url, gambir.source_id
    # the same link from another feed, and the same title (spaced and cased differently) from the
    # same source under a new id: both flagged; a different story is not
    by_link = _arrive(app, world["kabar"], "kabar-copy", url, "Gambir: harga naik lagi")
    by_title = _arrive(app, source_id, "tani-new-id", "https://example.id/other", "harga  Gambir naik")
    other = _arrive(app, source_id, "tani-other", "https://example.id/x", "Harga gambir turun")
    with app.app_context():
        carried = {f.item_id: f for f in db.session.scalars(db.select(ItemFlag).where(ItemFlag.origin_id.isnot(None)))}
        assert set(carried) == {by_link, by_title}
        assert all(f.origin_id == flagged["flag_id"] and f.kind == "hoaks" and f.kim.slug == "talago"
                   for f in carried.values())
        assert other not in carried
        copy_id = carried[by_title].id
        # and it travels only as a warning too
        with pytest.raises(Conflict):
            service.share(db.session.get(Item, by_link), get_kim("talago"), ["taram"], actor=user("dedi@example.id"))
        db.session.rollback()
    dedi = app.test_client()
    login(dedi, "dedi@example.id")
    assert "Peringatan: ditandai sebagai Hoaks oleh KIM talago." in dedi.get(
        f"/item/{by_link}?keep=unread").get_data(as_text=True)
    # withdrawing a copy withdraws the flag of the whole story
    rina = app.test_client()
    login(rina, "rina@example.id")
    assert post(rina, f"/flag/{copy_id}/withdraw").status_code == 302
    with app.app_context():
        assert review.active_flags([flagged["item_id"], by_link, by_title]) == {}


def test_flagging_carries_to_the_same_story_already_held(app, world):
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    with app.app_context():
        gambir = item("Harga gambir naik")
        url = gambir.url
    twin = _arrive(app, world["kabar"], "kabar-twin", url, "Gambir naik")
    with app.app_context():
        review.flag(item("Harga gambir naik"), get_kim("talago"), actor=user("rina@example.id"), kind="misleading",
                    reason="Judul keliru")
        db.session.commit()
        assert list(review.active_flags([twin])) == [twin]


def test_the_api_shares_a_flagged_item_only_as_a_warning(app, flagged):
    client = app.test_client()
    token = client.post("/api/v1/tokens", json={"email": "dedi@example.id", "password": "rahasia-123"}).get_json()
    headers = {"Authorization": f"Bearer {token['token']}"}
    url = f"/api/v1/items/{flagged['item_id']}/shares"
    refused = client.post(url, headers=headers, json={"from_kim": "talago", "to": ["taram"]})
    assert refused.status_code == 409 and "peringatan" in refused.get_json()["error"]
    sent = client.post(url, headers=headers, json={"from_kim": "talago", "to": ["taram"], "as_warning": True})
    assert sent.status_code == 201
    shown = sent.get_json()["exchanges"][0]
    assert shown["as_warning"] is True and shown["warning_flag_id"] == flagged["flag_id"]
    tree = client.get(f"/api/v1/items/{flagged['item_id']}/exchanges", headers=headers).get_json()["tree"]
    assert all(node["flagged"] for node in tree)
    assert [node["flag_raised_by"] for node in tree] == [["talago"], ["talago"]]
