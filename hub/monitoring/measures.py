"""The measures of each KIM for a period, grouped by KIM: the additive ones from the rollups
(hub.monitoring.rollup, equal to the raw rows), active members from the per-person rollups,
median waits, last activity and offline activities from their own rows.

Definitions (all counted by when the thing happened, inside the period's UTC bounds):
- members_active: members of the KIM with any event logged for the KIM;
- posts: posts published; reads: distinct (person, item) pairs read, for the KIM;
- shares_sent / shares_received: exchanges from / to the KIM (one per recipient; a pass-on is
  a share sent by the passing KIM); passed_on / declined: exchanges to the KIM passed on /
  declined in the period; pass_on_rate = passed_on / shares_received;
- seen_median_hours: over the exchanges to the KIM seen in the period, the median of
  seen - sent;
- checks, flags, disseminations (total and per channel) made by the KIM;
- adinda: events per ADINDA activity, plus the KIM's recorded offline activities by the day
  they were held, under the activity the officer tagged them with (implementasi by default;
  implementasi counts only these);
- last_activity_at: the KIM's latest event with an ADINDA activity before the period ends;
  quiet: none in the `quiet_days` before min(now, end of period).
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median

from flask import current_app
from sqlalchemy import and_, case, func, or_, select

from ..aspirasi.service import counts as aspiration_counts
from ..extensions import db
from ..models import Activity, Event, Exchange, Kim, Membership, Source, Subscription, User, utcnow
from ..vocabulary import ADINDA, CHANNELS
from . import parallel, rollup
from .period import Period, local_day, weeks_back
from .rows import plain_rows


@dataclass
class KimRow:
    kim: object
    members_active: int = 0
    posts: int = 0
    reads: int = 0
    shares_sent: int = 0
    shares_received: int = 0
    passed_on: int = 0
    declined: int = 0
    seen_median_hours: float | None = None
    checks: int = 0
    flags: int = 0
    disseminations: dict = field(default_factory=dict)
    audience: int = 0
    adinda: dict = field(default_factory=dict)
    activities: int = 0
    last_activity_at: object = None
    quiet: bool = False
    # submitted in the period: how many, handled in time, late (hub.aspirasi.service.counts)
    aspirations: dict = field(default_factory=lambda: {"received": 0, "in_time": 0, "late": 0})

    @property
    def pass_on_rate(self):
        return round(self.passed_on / self.shares_received, 4) if self.shares_received else None

    def as_json(self):
        """The API's shape (and the CSV's columns)."""
        return {"slug": self.kim.slug, "name": self.kim.name, "kecamatan": self.kim.kecamatan,
                "members_active": self.members_active, "posts": self.posts, "reads": self.reads,
                "shares_sent": self.shares_sent, "shares_received": self.shares_received,
                "passed_on": self.passed_on, "declined": self.declined, "pass_on_rate": self.pass_on_rate,
                "seen_median_hours": self.seen_median_hours, "checks": self.checks, "flags": self.flags,
                "disseminations": dict(self.disseminations), "audience": self.audience,
                "adinda": dict(self.adinda), "activities": self.activities,
                "last_activity_at": self.last_activity_at.isoformat() if self.last_activity_at else None,
                "quiet": self.quiet, "aspirations": dict(self.aspirations)}


def _in(column, period):
    return and_(column >= period.utc_start, column < period.utc_end)


def _restrict(stmt, column, kim_ids):
    """Limit to the scope's KIMs (a whole-hub scope needs no list: rows are filtered after)."""
    return stmt.where(column.in_(kim_ids)) if kim_ids is not None else stmt


def _grouped(stmt):
    return {kim_id: n for kim_id, n in db.session.execute(stmt) if kim_id is not None}


def kim_table(kims, period, *, quiet_days=14, whole=False, now=None, light=False):
    """One KimRow per KIM (in the given order) for the period. light: without the median
    waits, which no total needs (the previous period of the headline figures) or which are
    read apart (put_medians)."""
    rows = {k.id: KimRow(kim=k, disseminations={"total": 0, **{c: 0 for c in CHANNELS}},
                         adinda={a: 0 for a in ADINDA}) for k in kims}
    ids = None if whole else list(rows)
    s = db.session

    def put(name, values):
        for kim_id, n in values.items():
            if kim_id in rows:
                setattr(rows[kim_id], name, n)

    # every additive measure from the daily rollup (periods are whole local days, so the
    # rollup's days add up to exactly the period); offline activities from their records below
    for kim_id, values in rollup.counts(ids, period.start, period.end).items():
        if kim_id not in rows:
            continue
        row = rows[kim_id]
        for name in ("reads", "posts", "shares_sent", "shares_received", "passed_on", "declined", "checks", "flags",
                     "audience"):
            setattr(row, name, values[name])
        for activity in ADINDA:
            if activity != "implementasi":
                row.adinda[activity] = values[activity]
        for channel in CHANNELS:
            row.disseminations[channel] = values[f"dis_{channel}"]
        row.disseminations["total"] = sum(values[f"dis_{c}"] for c in CHANNELS)
    put("members_active", members_active(ids, period))
    if not light:
        put("seen_median_hours", seen_medians(ids, period))
    # offline activities count by the day held, under the ADINDA activity the officer chose
    for kim_id, tag, n in s.execute(_restrict(select(Activity.kim_id, Activity.adinda, func.count()).where(
            Activity.held_on >= period.start, Activity.held_on <= period.end), Activity.kim_id, ids)
            .group_by(Activity.kim_id, Activity.adinda)):
        if kim_id in rows:
            rows[kim_id].adinda[tag] += n
            rows[kim_id].activities += n
    last = last_activity(ids, period.utc_end)
    reference = min(now or utcnow(), period.utc_end)
    tz_name = current_app.config["HUB_TIMEZONE"]
    put("aspirations", aspiration_counts(ids, period.utc_start, period.utc_end, local_day(reference, tz_name),
                                         tz_name))
    for kim_id, row in rows.items():
        row.last_activity_at = last.get(kim_id)
        row.quiet = row.last_activity_at is None or row.last_activity_at < reference - timedelta(days=quiet_days)
    return [rows[k.id] for k in kims]


def members_active(kim_ids, period):
    """{kim_id: members of the KIM with any event for it in the period}, from the rollup of who
    was active on which day and month (periods are whole local days). kim_ids None: all."""
    if kim_ids is not None and not kim_ids:
        return {}
    acted = rollup.was_active(Membership.kim_id, Membership.user_id, period.start, period.end)
    return _grouped(_restrict(select(Membership.kim_id, func.count()).where(acted), Membership.kim_id, kim_ids)
                    .group_by(Membership.kim_id))


def members_active_raw(kim_ids, period):
    """The same from the log itself: for each membership, one index seek ("anything between
    these two instants?"). The check on the rollup."""
    if not kim_ids:
        return {}
    # a scalar subquery with LIMIT 1 (not EXISTS, which PostgreSQL turns into a scan of the
    # period's whole log) keeps it to one index seek per member on both databases
    acted = (select(Event.id).where(Event.kim_id == Membership.kim_id, Event.actor_id == Membership.user_id,
                                    _in(Event.occurred_at, period)).limit(1).scalar_subquery().is_not(None))
    return _grouped(select(Membership.kim_id, func.count()).where(Membership.kim_id.in_(kim_ids), acted)
                    .group_by(Membership.kim_id))


def rollup_differences(period):
    """([ids of KIMs whose rolled-up numbers differ from the raw rows], KIMs with any) for the
    period: every rollup counter and the active members (`flask monitor check`)."""
    kept = {k: v for k, v in rollup.counts(None, period.start, period.end).items() if any(v.values())}
    raw = rollup.raw_counts(None, period)
    kim_ids = list(db.session.scalars(select(Kim.id)))
    for kim_id, n in members_active(kim_ids, period).items():
        kept.setdefault(kim_id, {})["members_active"] = n
    for kim_id, n in members_active_raw(kim_ids, period).items():
        raw.setdefault(kim_id, {})["members_active"] = n
    return sorted(k for k in set(kept) | set(raw) if kept.get(k) != raw.get(k)), len(raw)


def full_table(kims, period, *, quiet_days=14, whole=False, now=None):
    """kim_table with its median waits computed beside it, on another connection."""
    ids = None if whole else [k.id for k in kims]
    found, rows = parallel.run({"medians": lambda: seen_medians(ids, period)},
                               lambda: kim_table(kims, period, quiet_days=quiet_days, whole=whole, now=now,
                                                 light=True))
    put_medians(rows, found["medians"])
    return rows


def put_medians(rows, medians):
    """Set each row's median wait from {kim_id: hours} (None where it has none)."""
    for row in rows:
        row.seen_median_hours = medians.get(row.kim.id)


def fill_medians(rows, period):
    """Set the median waits of these rows only (one page of the KIM table)."""
    put_medians(rows, seen_medians([r.kim.id for r in rows], period) if rows else {})


def seen_medians(kim_ids, period):
    """{kim_id: median hours from sent to seen} over the exchanges to the KIM seen in the
    period, from the seconds each waited (kept on the exchange when it is seen): PostgreSQL
    takes the median itself; SQLite hands over the integers, read from an index."""
    where = [_in(Exchange.seen_at, period), Exchange.seen_seconds.is_not(None)]
    if kim_ids is not None:
        where.append(Exchange.to_kim_id.in_(kim_ids))
    if db.session.get_bind().dialect.name == "postgresql":
        stmt = (select(Exchange.to_kim_id, func.percentile_cont(0.5).within_group(Exchange.seen_seconds))
                .where(*where).group_by(Exchange.to_kim_id))
        return {kim_id: round(float(value) / 3600, 2) for kim_id, value in db.session.execute(stmt)}
    waits = defaultdict(list)
    for kim_id, seconds in plain_rows(select(Exchange.to_kim_id, Exchange.seen_seconds).where(*where)):
        waits[kim_id].append(seconds)
    return {kim_id: round(median(values) / 3600, 2) for kim_id, values in waits.items()}


def last_activity(kim_ids, before):
    """{kim_id: time of its latest ADINDA event before `before`}: one index seek per KIM
    (kim_ids None: every KIM)."""
    if kim_ids is not None and not kim_ids:
        return {}
    latest = (select(Event.occurred_at).where(Event.kim_id == Kim.id, Event.occurred_at < before,
                                              Event.activity.is_not(None))
              .order_by(Event.occurred_at.desc()).limit(1).correlate(Kim).scalar_subquery())
    stmt = _restrict(select(Kim.id, latest), Kim.id, kim_ids)
    return {kim_id: at for kim_id, at in db.session.execute(stmt) if at is not None}


TOTALS = ("kims_active", "members_active", "posts", "reads", "shares_sent", "passed_on", "declined", "checks",
          "flags", "disseminations", "audience", "activities", "quiet", "aspirations_received", "aspirations_late")


def totals(rows):
    """Headline figures over the KIM rows."""
    out = {name: sum(getattr(r, name) for r in rows) for name in
           ("members_active", "posts", "reads", "shares_sent", "passed_on", "declined", "checks", "flags", "audience",
            "activities")}
    out["kims_active"] = sum(1 for r in rows if any(r.adinda.values()))
    out["disseminations"] = sum(r.disseminations["total"] for r in rows)
    out["quiet"] = sum(1 for r in rows if r.quiet)
    out["adinda"] = {a: sum(r.adinda[a] for r in rows) for a in ADINDA}
    for part in ("received", "in_time", "late"):
        out[f"aspirations_{part}"] = sum(r.aspirations[part] for r in rows)
    return out


def headline(rows, before):
    """[(name, value, change against the previous period)] for the headline figures; `before`:
    the previous period's totals()."""
    now = totals(rows)
    return [(name, now[name], now[name] - before[name]) for name in TOTALS], now, before


def failing_sources(kims, period):
    """{kim_id: [source, ...]} for KIMs all of whose sources failed through the period: each one
    is stopped, or has errors now and no success since the period began. The KIMs are found in
    SQL; only their sources are loaded."""
    if not kims:
        return {}
    failing = or_(Source.stopped_at.is_not(None),
                  and_(Source.error_count > 0,
                       or_(Source.last_success_at.is_(None), Source.last_success_at < period.utc_start)))
    ids = [k.id for k in kims]
    found = db.session.scalars(
        select(Subscription.kim_id).join(Source, Source.id == Subscription.source_id)
        .where(Subscription.kim_id.in_(ids)).group_by(Subscription.kim_id)
        .having(func.sum(case((failing, 1), else_=0)) == func.count())).all()
    out = defaultdict(list)
    if found:
        for kim_id, source in db.session.execute(
                select(Subscription.kim_id, Source).join(Source, Source.id == Subscription.source_id)
                .where(Subscription.kim_id.in_(found)).order_by(Source.title)):
            out[kim_id].append(source)
    return dict(out)


def weekly(kim_ids, today, tz_name, weeks=52):
    """Weekly counts per ADINDA activity over the last `weeks` weeks (Monday to Sunday, local),
    for these KIMs (None: the whole hub): ([monday, ...], {activity: [n per week]})."""
    mondays = weeks_back(today, weeks)
    index = {m: i for i, m in enumerate(mondays)}
    series = {a: [0] * len(mondays) for a in ADINDA}

    def add(day_value, activity, n):
        monday = day_value - timedelta(days=day_value.weekday())
        if monday in index:
            series[activity][index[monday]] += n
    for day_value, values in rollup.daily(kim_ids, mondays[0]):
        for activity in ADINDA:
            if activity != "implementasi":
                add(day_value, activity, values[activity])
    acts = (select(Activity.held_on, Activity.adinda, func.count()).where(Activity.held_on >= mondays[0])
            .group_by(Activity.held_on, Activity.adinda))
    if kim_ids is not None:
        acts = acts.where(Activity.kim_id.in_(kim_ids))
    for held_on, tag, n in db.session.execute(acts):
        add(held_on, tag, n)
    return mondays, series


def member_activity(kim, period):
    """[(user, events in the period, last event)] for the KIM's members, busiest first."""
    counts = {uid: (n, last) for uid, n, last in db.session.execute(
        select(Event.actor_id, func.count(), func.max(Event.occurred_at))
        .where(Event.kim_id == kim.id, _in(Event.occurred_at, period)).group_by(Event.actor_id))}
    members = db.session.execute(select(User, Membership.role).join(Membership, Membership.user_id == User.id)
                                 .where(Membership.kim_id == kim.id, Membership.active.is_(True))).all()
    out = [(user, role, *counts.get(user.id, (0, None))) for user, role in members]
    return sorted(out, key=lambda r: (-r[2], r[0].name))


def kim_weeks(kim, period, today=None):
    """The KIM's measures week by week over the period (weeks clipped to the period, and to
    today: the weeks still to come are left out)."""
    out = []
    last = min(period.end, today) if today else period.end
    monday = period.start - timedelta(days=period.start.weekday())
    while monday <= last:
        week = Period(max(monday, period.start), min(monday + timedelta(days=6), last), period.tz)
        out.append((week, kim_table([kim], week)[0]))
        monday += timedelta(days=7)
    return out


