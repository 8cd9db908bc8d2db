"""The daily rollup of the event log (table kim_day): per KIM and local day, the events of each
ADINDA activity and the first reads of items.

It is kept in the same transaction as each event (bump(), called by record_event), so it holds
exactly what the raw log holds; rebuild() recomputes it from the log in one statement (after a
bulk load, or when HUB_TIMEZONE changes). raw_counts() computes the same numbers from the log
itself, for the test that holds the two together and for `flask monitor check`.
"""
from collections import defaultdict
from datetime import date

from sqlalchemy import Date, case, cast, delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..extensions import db
from ..models import ADINDA, Event, KimDay
from .period import local_day, utc_offset_minutes

COLUMNS = ADINDA + ("reads",)


def _insert():
    return pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert


def bump(kim_id, occurred_at, activity, verb, tz_name):
    """Count one event of a KIM in its day's row (the caller's transaction)."""
    if kim_id is None or activity is None:
        return
    values = {activity: 1}
    if verb == "item.read":
        values["reads"] = 1
    stmt = _insert()(KimDay).values(kim_id=kim_id, day=local_day(occurred_at, tz_name), **values)
    table = KimDay.__table__
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=["kim_id", "day"], set_={name: table.c[name] + 1 for name in values}))


def local_day_sql(column, tz_name):
    """The local calendar day of a UTC timestamp column, in SQL (Indonesia keeps no daylight
    saving, so one offset holds all year)."""
    minutes = utc_offset_minutes(tz_name)
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column + literal_column(f"interval '{minutes} minutes'"), Date)
    return func.date(column, f"{minutes:+d} minutes")


def rebuild(tz_name):
    """Recompute the whole rollup from the log (the caller commits). Returns the rows written."""
    db.session.execute(delete(KimDay))
    day = local_day_sql(Event.occurred_at, tz_name).label("day")
    sums = [func.sum(case((Event.activity == a, 1), else_=0)).label(a) for a in ADINDA]
    reads = func.sum(case((Event.verb == "item.read", 1), else_=0)).label("reads")
    source = (select(Event.kim_id, day, *sums, reads)
              .where(Event.kim_id.is_not(None), Event.activity.is_not(None)).group_by(Event.kim_id, day))
    db.session.execute(KimDay.__table__.insert().from_select(["kim_id", "day", *ADINDA, "reads"], source))
    return db.session.scalar(select(func.count()).select_from(KimDay))


def counts(kim_ids, start: date, end: date):
    """{kim_id: {activity: n, ..., "reads": n}} summed over the local days start..end."""
    stmt = (select(KimDay.kim_id, *[func.sum(getattr(KimDay, c)) for c in COLUMNS])
            .where(KimDay.day >= start, KimDay.day <= end).group_by(KimDay.kim_id))
    if kim_ids is not None:
        stmt = stmt.where(KimDay.kim_id.in_(kim_ids))
    return {row[0]: dict(zip(COLUMNS, (int(v or 0) for v in row[1:]))) for row in db.session.execute(stmt)}


def daily(kim_ids, start: date):
    """[(day, {activity: n})] from start on, for these KIMs (None: all), summed over KIMs."""
    stmt = (select(KimDay.day, *[func.sum(getattr(KimDay, a)) for a in ADINDA])
            .where(KimDay.day >= start).group_by(KimDay.day))
    if kim_ids is not None:
        stmt = stmt.where(KimDay.kim_id.in_(kim_ids))
    out = []
    for row in db.session.execute(stmt):
        day = row[0] if isinstance(row[0], date) else date.fromisoformat(row[0])
        out.append((day, dict(zip(ADINDA, (int(v or 0) for v in row[1:])))))
    return out


def raw_counts(kim_ids, period):
    """What counts() gives, computed from the raw log: the check on the rollup."""
    out = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    where = [Event.occurred_at >= period.utc_start, Event.occurred_at < period.utc_end, Event.kim_id.is_not(None),
             Event.activity.is_not(None)]
    if kim_ids is not None:
        where.append(Event.kim_id.in_(kim_ids))
    for kim_id, activity, n in db.session.execute(select(Event.kim_id, Event.activity, func.count()).where(*where)
                                                  .group_by(Event.kim_id, Event.activity)):
        out[kim_id][activity] = n
    for kim_id, n in db.session.execute(select(Event.kim_id, func.count()).where(*where, Event.verb == "item.read")
                                        .group_by(Event.kim_id)):
        out[kim_id]["reads"] = n
    return dict(out)



