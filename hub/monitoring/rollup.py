"""The daily rollup (table kim_day): per KIM and local day (the hub's time zone), every additive
measure of the dashboard: the events of each ADINDA activity, first reads, posts published,
shares sent and received, passed on, declined, checks, flags, disseminations per channel and
the people they reached.

It is kept in the same transaction as each event (bump(), called by record_event: every row the
measures count is written with its event), so it holds exactly what the raw rows hold. rebuild()
recomputes it from the raw rows in one statement (after a bulk load, or when HUB_TIMEZONE
changes); raw_counts() computes a period's numbers from the raw rows, for the test that holds
the two together and for `flask monitor check`.
"""
from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import Date, and_, case, cast, delete, func, literal, literal_column, or_, select, union_all

from ..extensions import db, upsert_insert
from ..models import (
    Dissemination,
    Event,
    Exchange,
    HubDay,
    ItemCheck,
    ItemFlag,
    KimDay,
    KimMonth,
    MemberDay,
    MemberMonth,
    Post,
)
from ..vocabulary import ADINDA, CHANNELS
from .period import local_day, utc_offset_minutes
from .rows import plain_rows

CHANNEL_COLUMNS = tuple(f"dis_{c}" for c in CHANNELS)
COLUMNS = ADINDA + ("reads", "posts", "shares_sent", "shares_received", "passed_on", "declined", "checks", "flags") \
    + CHANNEL_COLUMNS + ("audience",)
# verb -> the counter it adds one to, for the KIM the event is logged for
VERB_COUNTERS = {"item.read": "reads", "post.published": "posts", "exchange.sent": "shares_sent",
                 "exchange.passed_on": "passed_on", "exchange.declined": "declined", "item.checked": "checks",
                 "item.flagged": "flags"}


def _add(kim_id, day, values):
    for model, key, value in ((KimDay, "day", day), (KimMonth, "month", day.replace(day=1))):
        stmt = upsert_insert()(model).values(kim_id=kim_id, **{key: value}, **values)
        table = model.__table__
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=["kim_id", key], set_={name: table.c[name] + n for name, n in values.items()}))


def bump(event, tz_name):
    """Count one event (and the row it was logged with) in its day's rollup rows."""
    data = event.data or {}
    day = local_day(event.occurred_at, tz_name)
    if event.kim_id is not None and event.actor_id is not None:  # who was active, whatever they did
        for model, key, value in ((MemberDay, "day", day), (MemberMonth, "month", day.replace(day=1))):
            stmt = upsert_insert()(model).values(kim_id=event.kim_id, user_id=event.actor_id, **{key: value})
            db.session.execute(stmt.on_conflict_do_nothing())
    if event.kim_id is not None and event.activity is not None:
        stmt = upsert_insert()(HubDay).values(day=day, **{event.activity: 1})
        db.session.execute(stmt.on_conflict_do_update(
            index_elements=["day"], set_={event.activity: HubDay.__table__.c[event.activity] + 1}))
        values = {event.activity: 1}
        counter = VERB_COUNTERS.get(event.verb)
        if counter:
            values[counter] = 1
        if event.verb == "item.disseminated" and data.get("channel") in CHANNELS:
            values[f"dis_{data['channel']}"] = 1
            values["audience"] = int(data.get("audience") or 0)
        _add(event.kim_id, day, values)
    if event.verb == "exchange.sent" and data.get("to_kim_id"):
        _add(data["to_kim_id"], day, {"shares_received": 1})


def local_day_sql(column, tz_name):
    """The local calendar day of a UTC timestamp column, in SQL (Indonesia keeps no daylight
    saving, so one offset holds all year)."""
    minutes = utc_offset_minutes(tz_name)
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(column + literal_column(f"interval '{minutes} minutes'"), Date)
    return func.date(column, f"{minutes:+d} minutes")


def _sources():
    """(kim column, time column, condition, {rollup column: value expression}) of every raw
    table the rollup sums: what the incremental bump() counts, as it is in the tables."""
    one = literal(1)
    return [
        (Event.kim_id, Event.occurred_at, and_(Event.kim_id.is_not(None), Event.activity.is_not(None)),
         {**{a: case((Event.activity == a, 1), else_=0) for a in ADINDA},
          "reads": case((Event.verb == "item.read", 1), else_=0)}),
        (Post.kim_id, Post.published_at, and_(Post.status == "published", Post.published_at.is_not(None)),
         {"posts": one}),
        (Exchange.from_kim_id, Exchange.sent_at, Exchange.from_kim_id.is_not(None), {"shares_sent": one}),
        (Exchange.to_kim_id, Exchange.sent_at, None, {"shares_received": one}),
        (Exchange.to_kim_id, Exchange.passed_on_at, Exchange.passed_on_at.is_not(None), {"passed_on": one}),
        (Exchange.to_kim_id, Exchange.declined_at, Exchange.declined_at.is_not(None), {"declined": one}),
        (ItemCheck.kim_id, ItemCheck.created_at, None, {"checks": one}),
        (ItemFlag.kim_id, ItemFlag.created_at, None, {"flags": one}),
        (Dissemination.kim_id, Dissemination.created_at, None,
         {**{f"dis_{c}": case((Dissemination.channel == c, 1), else_=0) for c in CHANNELS},
          "audience": Dissemination.audience}),
    ]


def rebuild(tz_name):
    """Recompute the whole rollup from the raw rows (the caller commits); returns the rows."""
    db.session.execute(delete(KimDay))
    parts = []
    for kim, at, condition, values in _sources():
        columns = [kim.label("kim_id"), local_day_sql(at, tz_name).label("day")]
        columns += [(values[c] if c in values else literal(0)).label(c) for c in COLUMNS]
        stmt = select(*columns)
        if condition is not None:
            stmt = stmt.where(condition)
        parts.append(stmt)
    rows = union_all(*parts).subquery()
    source = (select(rows.c.kim_id, rows.c.day, *[func.sum(rows.c[c]) for c in COLUMNS])
              .group_by(rows.c.kim_id, rows.c.day))
    db.session.execute(KimDay.__table__.insert().from_select(["kim_id", "day", *COLUMNS], source))
    db.session.execute(delete(KimMonth))
    if db.session.get_bind().dialect.name == "postgresql":
        month = cast(func.date_trunc("month", KimDay.day), Date)
    else:
        month = func.date(KimDay.day, "start of month")
    db.session.execute(KimMonth.__table__.insert().from_select(
        ["kim_id", "month", *COLUMNS], select(KimDay.kim_id, month, *[func.sum(getattr(KimDay, c)) for c in COLUMNS])
        .group_by(KimDay.kim_id, month)))
    db.session.execute(delete(MemberDay))
    db.session.execute(delete(MemberMonth))
    day = local_day_sql(Event.occurred_at, tz_name)
    db.session.execute(MemberDay.__table__.insert().from_select(
        ["kim_id", "user_id", "day"], select(Event.kim_id, Event.actor_id, day).distinct()
        .where(Event.kim_id.is_not(None), Event.actor_id.is_not(None))))
    if db.session.get_bind().dialect.name == "postgresql":
        member_month = cast(func.date_trunc("month", MemberDay.day), Date)
    else:
        member_month = func.date(MemberDay.day, "start of month")
    db.session.execute(MemberMonth.__table__.insert().from_select(
        ["kim_id", "user_id", "month"], select(MemberDay.kim_id, MemberDay.user_id, member_month).distinct()))
    db.session.execute(delete(HubDay))
    db.session.execute(HubDay.__table__.insert().from_select(
        ["day", *ADINDA], select(KimDay.day, *[func.sum(getattr(KimDay, a)) for a in ADINDA]).group_by(KimDay.day)))
    return db.session.scalar(select(func.count()).select_from(KimDay))


def _spans(start: date, end: date):
    """Split start..end into whole months and the days at either end: ([first days of whole
    months], [(first, last) day ranges])."""
    months, days = [], []
    cursor = start
    while cursor <= end:
        month_end = (cursor.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        if cursor.day == 1 and month_end <= end:
            months.append(cursor)
        else:
            days.append((cursor, min(month_end, end)))
        cursor = month_end + timedelta(days=1)
    return months, days


def counts(kim_ids, start: date, end: date):
    """{kim_id: {column: n}} summed over the local days start..end (inclusive): whole months
    from kim_month, the days at either end from kim_day, added up by the database in one
    statement (the rows come back as plain integers)."""
    months, days = _spans(start, end)
    parts = []
    if months:
        parts.append(select(KimMonth.kim_id.label("kim_id"), *[getattr(KimMonth, c).label(c) for c in COLUMNS])
                     .where(KimMonth.month >= months[0], KimMonth.month <= months[-1])
                     .where(KimMonth.kim_id.in_(kim_ids) if kim_ids is not None else True))
    for first, last in days:
        parts.append(select(KimDay.kim_id.label("kim_id"), *[getattr(KimDay, c).label(c) for c in COLUMNS])
                     .where(KimDay.day >= first, KimDay.day <= last)
                     .where(KimDay.kim_id.in_(kim_ids) if kim_ids is not None else True))
    if not parts:
        return {}
    both = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()
    stmt = select(both.c.kim_id, *[func.sum(both.c[c]) for c in COLUMNS]).group_by(both.c.kim_id)
    return {row[0]: dict(zip(COLUMNS, (int(v or 0) for v in row[1:]))) for row in plain_rows(stmt)}


def was_active(kim_id, user_id, start: date, end: date):
    """A condition on (kim_id, user_id) columns: the person did anything for the KIM in the
    local days start..end. Whole months are looked up in member_month, the days at either end
    in member_day; each part is a scalar subquery with LIMIT 1, so both databases answer it
    with one primary-key seek per person rather than by reading the period's rows."""
    months, days = _spans(start, end)
    parts = []
    if months:
        parts.append(select(MemberMonth.month).where(MemberMonth.kim_id == kim_id, MemberMonth.user_id == user_id,
                                                     MemberMonth.month >= months[0],
                                                     MemberMonth.month <= months[-1]))
    for first, last in days:
        parts.append(select(MemberDay.day).where(MemberDay.kim_id == kim_id, MemberDay.user_id == user_id,
                                                 MemberDay.day >= first, MemberDay.day <= last))
    return or_(*[p.limit(1).scalar_subquery().is_not(None) for p in parts])


def daily(kim_ids, start: date):
    """[(day, {activity: n})] from start on, for these KIMs (None: the whole hub, from hub_day),
    summed over the KIMs."""
    model = HubDay if kim_ids is None else KimDay
    stmt = select(model.day, *[func.sum(getattr(model, a)) for a in ADINDA]).where(model.day >= start)
    stmt = stmt.group_by(model.day) if kim_ids is None else stmt.where(KimDay.kim_id.in_(kim_ids)).group_by(KimDay.day)
    out = []
    for row in db.session.execute(stmt):
        day = row[0] if isinstance(row[0], date) else date.fromisoformat(row[0])
        out.append((day, dict(zip(ADINDA, (int(v or 0) for v in row[1:])))))
    return out


def raw_counts(kim_ids, period):
    """What counts() gives for a period, computed from the raw rows: the check on the rollup.
    KIMs with nothing are left out."""
    out = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    for kim, at, condition, values in _sources():
        stmt = select(kim, *[func.sum(v) for v in values.values()]).where(at >= period.utc_start,
                                                                           at < period.utc_end)
        if condition is not None:
            stmt = stmt.where(condition)
        if kim_ids is not None:
            stmt = stmt.where(kim.in_(kim_ids))
        for row in db.session.execute(stmt.group_by(kim)):
            if row[0] is None:
                continue
            for name, value in zip(values, row[1:]):
                out[row[0]][name] += int(value or 0)
    return {k: v for k, v in out.items() if any(v.values())}
