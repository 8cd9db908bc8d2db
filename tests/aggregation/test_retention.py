"""Retention: old items of sources no KIM follows are deleted, never one that any record of the
network points at (issue 10: item content had no cap and nothing was ever let go)."""
from datetime import timedelta

from hub.aggregation import service as aggregation
from hub.aggregation.retention import prune
from hub.extensions import db
from hub.kims.service import get_kim
from hub.models import Item, ReadState, Subscription, User, utcnow
from hub.reading import timeline
from hub.sharing import review
from hub.sharing import service as sharing
from tests.factories import make_user
from tests.reading_world import add_items


def ids_by_title(titles):
    return {t: db.session.scalar(db.select(Item.id).where(Item.title == t)) for t in titles}


def test_old_items_of_unfollowed_sources_go_unless_a_record_keeps_them(app, world):
    make_user(app, "rina@example.id", kim="talago", role="pengurus")
    old = utcnow() - timedelta(days=400)
    add_items(app, world["kabar"], [("Lama biasa", "x", 1), ("Lama dibaca", "x", 2), ("Lama dibagikan", "x", 3),
                                    ("Lama disimpan", "x", 4), ("Lama dicek", "x", 5)], fetched_at=old)
    add_items(app, world["kabar"], [("Baru", "x", 6)], fetched_at=utcnow() - timedelta(days=10))
    add_items(app, world["tani"], [("Lama diikuti", "x", 7)], fetched_at=old)
    with app.app_context():
        talago = get_kim("talago")
        dedi = db.session.scalar(db.select(User).where(User.email == "dedi@example.id"))
        rina = db.session.scalar(db.select(User).where(User.email == "rina@example.id"))
        items = {t: db.session.get(Item, i) for t, i in ids_by_title(
            ["Lama biasa", "Lama dibaca", "Lama dibagikan", "Lama disimpan", "Lama dicek", "Baru",
             "Lama diikuti"]).items()}
        timeline.set_read(dedi, items["Lama dibaca"])
        timeline.set_starred(dedi, items["Lama disimpan"])
        sharing.share(items["Lama dibagikan"], talago, ["sarilamak"], actor=dedi)
        review.record_check(items["Lama dicek"], talago, actor=rina, note="Sesuai")
        db.session.commit()
        # Talago stops following Kabar Luak (it still follows Dinas Pertanian)
        aggregation.unsubscribe(db.session.scalar(db.select(Subscription).where(
            Subscription.kim_id == talago.id, Subscription.source_id == world["kabar"])), actor=dedi)
        db.session.commit()
        assert prune(0) == 0  # 0: keep for ever
        assert prune(365) == 2
        left = set(db.session.scalars(db.select(Item.title)))
        assert {"Lama biasa", "Lama dibaca"}.isdisjoint(left)
        assert {"Lama dibagikan", "Lama disimpan", "Lama dicek", "Baru", "Lama diikuti"} <= left
        assert db.session.scalar(db.select(db.func.count()).select_from(ReadState)
                                 .where(ReadState.starred_at.is_(None))) == 0  # the read mark went with it
        assert prune(365) == 0  # nothing more


def test_the_retention_setting_and_the_command(app, world):
    make_user(app, "admin@example.id", admin=True)
    add_items(app, world["bpbd"], [("Banjir lama", "x", 1)], fetched_at=utcnow() - timedelta(days=40))
    with app.app_context():
        sarilamak = get_kim("sarilamak")
        aggregation.unsubscribe(db.session.scalar(db.select(Subscription).where(
            Subscription.kim_id == sarilamak.id)))
        db.session.commit()
    from tests.factories import login, post
    admin = app.test_client()
    login(admin, "admin@example.id")
    assert post(admin, "/admin/settings", {"quiet_days": "14", "retention_days": "-1"}).status_code == 422
    assert post(admin, "/admin/settings", {"quiet_days": "14", "retention_days": "30"}).status_code == 302
    result = app.test_cli_runner().invoke(args=["items", "prune"])
    assert result.exit_code == 0 and "items older than 30 days" in result.output, result.output
    with app.app_context():
        assert db.session.scalar(db.select(Item.id).where(Item.title == "Banjir lama")) is None
