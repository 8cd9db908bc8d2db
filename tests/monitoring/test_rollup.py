"""The daily rollup equals the raw log, for any period, kept up as events happen and rebuilt
from scratch alike."""
from datetime import date

from hub.extensions import db
from hub.models import KimDay
from hub.monitoring import rollup
from hub.monitoring.period import Period

from .history import history  # noqa: F401  (fixture)

PERIODS = [(date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 31), date(2026, 10, 31)),
           (date(2026, 11, 30), date(2026, 12, 1)), (date(2026, 1, 1), date(2026, 12, 31)),
           (date(2026, 11, 1), date(2026, 11, 1)), (date(2026, 11, 15), date(2026, 11, 15))]


def table():
    return sorted((r.kim_id, r.day, *(getattr(r, c) for c in rollup.COLUMNS))
                  for r in db.session.scalars(db.select(KimDay)))


def test_rollup_counts_equal_the_raw_log(app, history):
    with app.app_context():
        for start, end in PERIODS:
            period = Period(start, end, "Asia/Jakarta")
            kept = {k: v for k, v in rollup.counts(None, start, end).items() if any(v.values())}
            assert kept == rollup.raw_counts(None, period), (start, end)
        assert table(), "the history left no rollup rows"


def test_rebuilding_gives_the_rollup_kept_along_the_way(app, history):
    with app.app_context():
        kept = table()
        written = rollup.rebuild("Asia/Jakarta")
        db.session.commit()
        assert written == len(kept) and table() == kept


def test_the_cli_rebuilds_and_checks(app, history):
    runner = app.test_cli_runner()
    with app.app_context():
        db.session.execute(db.delete(KimDay))
        db.session.commit()
    result = runner.invoke(args=["monitor", "check", "--from", "2026-11-01", "--to", "2026-11-30"])
    assert result.exit_code == 1 and "differ" in result.output
    result = runner.invoke(args=["monitor", "rebuild"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["monitor", "check", "--from", "2026-11-01", "--to", "2026-11-30"])
    assert result.exit_code == 0 and "equal" in result.output
