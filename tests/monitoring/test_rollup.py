"""The daily rollup equals the raw log, for any period, kept up as events happen and rebuilt
from scratch alike."""
from datetime import date

from hub.extensions import db
from hub.models import HubDay, KimDay, KimMonth, MemberDay, MemberMonth
from hub.monitoring import measures, rollup
from hub.monitoring.period import Period

from .history import history  # noqa: F401  (fixture)

PERIODS = [(date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 31), date(2026, 10, 31)),
           (date(2026, 10, 2), date(2026, 12, 1)), (date(2026, 10, 1), date(2026, 11, 30)),
           (date(2026, 11, 30), date(2026, 12, 1)), (date(2026, 1, 1), date(2026, 12, 31)),
           (date(2026, 11, 1), date(2026, 11, 1)), (date(2026, 11, 15), date(2026, 11, 15))]


def table(model=KimDay):
    if model is HubDay:
        return sorted((r.day, *(getattr(r, a) for a in rollup.ADINDA)) for r in db.session.scalars(db.select(HubDay)))
    key = "day" if model is KimDay else "month"
    return sorted((r.kim_id, getattr(r, key), *(getattr(r, c) for c in rollup.COLUMNS))
                  for r in db.session.scalars(db.select(model)))


def test_rollup_counts_equal_the_raw_log(app, history):
    with app.app_context():
        for start, end in PERIODS:
            period = Period(start, end, "Asia/Jakarta")
            kept = {k: v for k, v in rollup.counts(None, start, end).items() if any(v.values())}
            assert kept, (start, end) if start.month == 11 else None
            ids = list(range(1, 6))
            assert measures.members_active(ids, period) == measures.members_active_raw(ids, period), (start, end)
            assert kept == rollup.raw_counts(None, period), (start, end)
        assert table(), "the history left no rollup rows"


def test_the_median_is_the_middle_value(app, history):
    """An even count takes the mean of the two middle waits, an odd one the middle wait."""
    from datetime import timedelta

    from hub.kims.service import get_kim
    from hub.models import Item, clock_at
    from hub.monitoring.measures import seen_medians
    from hub.sharing import service as sharing

    from .history import MID, user
    with app.app_context():
        p0 = db.session.scalar(db.select(Item).where(Item.title == "P0"))
        p1 = db.session.scalar(db.select(Item).where(Item.title == "P1"))
        with clock_at(MID):
            to_b = sharing.share(p0, get_kim("a"), ["b"], actor=user("a1@example.id")).exchanges[0]
            # P1 is flagged in the history: it travels as a warning
            to_e = sharing.share(p1, get_kim("b"), ["e"], actor=user("b1@example.id"), as_warning=True).exchanges[0]
        with clock_at(MID + timedelta(hours=1)):
            sharing.mark_seen(to_b, user("b1@example.id"))  # B: waits of 2 h (in the history) and 1 h
        with clock_at(MID + timedelta(hours=3)):
            sharing.mark_seen(to_e, user("e1@example.id"))  # E: one wait of 3 h
        db.session.flush()
        medians = seen_medians(None, Period(date(2026, 11, 1), date(2026, 11, 30), "Asia/Jakarta"))
        assert medians[get_kim("b").id] == 1.5
        assert medians[get_kim("e").id] == 3.0
        assert medians[get_kim("c").id] == 344.5
        assert get_kim("d").id not in medians  # received, never opened
        db.session.rollback()


def test_rebuilding_gives_the_rollup_kept_along_the_way(app, history):
    with app.app_context():
        people = [sorted(map(tuple, db.session.execute(db.select(m.__table__)).all())) for m in (MemberDay,
                                                                                                 MemberMonth)]
        assert people[0] and people[1]
        kept, kept_months, kept_hub = table(), table(KimMonth), table(HubDay)
        assert len(kept_months) < len(kept) and kept_hub
        written = rollup.rebuild("Asia/Jakarta")
        db.session.commit()
        assert written == len(kept) and table() == kept and table(KimMonth) == kept_months
        assert table(HubDay) == kept_hub
        assert [sorted(map(tuple, db.session.execute(db.select(m.__table__)).all())) for m in (MemberDay,
                                                                                               MemberMonth)] \
            == people


def test_the_cli_rebuilds_and_checks(app, history):
    runner = app.test_cli_runner()
    with app.app_context():
        db.session.execute(db.delete(KimDay))
        db.session.execute(db.delete(KimMonth))
        db.session.commit()
    result = runner.invoke(args=["monitor", "check", "--from", "2026-11-01", "--to", "2026-11-30"])
    assert result.exit_code == 1 and "differ" in result.output
    result = runner.invoke(args=["monitor", "rebuild"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["monitor", "check", "--from", "2026-11-01", "--to", "2026-11-30"])
    assert result.exit_code == 0 and "equal" in result.output
