"""Periods of local days (the hub's time zone), both ends inclusive, and their UTC bounds."""
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from flask_babel import lazy_gettext as _l

from ..errors import Invalid
from ..timefmt import day_start, zone

MAX_DAYS = 2 * 366


def local_today(tz_name, now=None):
    from ..models import utcnow
    return (now or utcnow()).astimezone(zone(tz_name)).date()


def local_day(instant: datetime, tz_name) -> date:
    return instant.astimezone(zone(tz_name)).date()


def utc_offset_minutes(tz_name) -> int:
    """The zone's offset now. Indonesia's zones keep no daylight saving, so one offset serves
    for grouping a year of events by local day in SQL."""
    offset = datetime.now(timezone.utc).astimezone(zone(tz_name)).utcoffset()
    return int(offset.total_seconds() // 60)


@dataclass(frozen=True)
class Period:
    start: date  # first local day
    end: date  # last local day (inclusive)
    tz: str
    preset: str = "range"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def utc_start(self) -> datetime:
        return day_start(self.start, self.tz)

    @property
    def utc_end(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return day_start(self.end + timedelta(days=1), self.tz)

    def previous(self) -> "Period":
        """The period of the same length just before this one."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.tz)


def month_of(day: date, tz_name) -> Period:
    first = day.replace(day=1)
    nxt = (first + timedelta(days=32)).replace(day=1)
    return Period(first, nxt - timedelta(days=1), tz_name, "month")


def parse_month(value, tz_name) -> Period:
    """'YYYY-MM' -> that month. Raises Invalid."""
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        raise Invalid(_l("Give the month as YYYY-MM."), field="month") from None
    if not 2000 <= year <= 2100:
        raise Invalid(_l("Give the month as YYYY-MM."), field="month")
    return month_of(first, tz_name)


def _parse_day(value, field):
    try:
        day = date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise Invalid(_l("'%(value)s' is not a date (YYYY-MM-DD).", value=str(value)[:20]), field=field) from None
    if not 2000 <= day.year <= 2100:
        raise Invalid(_l("'%(value)s' is not a date (YYYY-MM-DD).", value=str(value)[:20]), field=field)
    return day


def parse_period(args, tz_name, today=None) -> Period:
    """A period from request arguments: `period` = week | month | last_month, or `from` and `to`
    (YYYY-MM-DD, both inclusive). Default: this month. Raises Invalid on bad input."""
    today = today or local_today(tz_name)
    start, end = args.get("from") or "", args.get("to") or ""
    preset = args.get("period") or ("range" if (start or end) else "month")
    if preset in ("week", "month", "last_month") and (start or end):
        chosen = parse_period({"period": preset}, tz_name, today)
        if (start, end) != (chosen.start.isoformat(), chosen.end.isoformat()):
            preset = "range"  # the form's days were changed: they win over the preset shown beside them
    if preset == "week":
        monday = today - timedelta(days=today.weekday())
        return Period(monday, monday + timedelta(days=6), tz_name, "week")
    if preset == "month":
        period = month_of(today, tz_name)
        return period
    if preset == "last_month":
        return Period(month_of(today.replace(day=1) - timedelta(days=1), tz_name).start,
                      today.replace(day=1) - timedelta(days=1), tz_name, "last_month")
    if preset != "range":
        raise Invalid(_l("Unknown period."), field="period")
    if not start or not end:
        raise Invalid(_l("Give both ends of the period (from and to)."), field="from" if not start else "to")
    first, last = _parse_day(start, "from"), _parse_day(end, "to")
    if last < first:
        raise Invalid(_l("The period ends before it begins."), field="to")
    if (last - first).days + 1 > MAX_DAYS:
        raise Invalid(_l("A period is at most %(n)d days.", n=MAX_DAYS), field="to")
    return Period(first, last, tz_name, "range")


def weeks_back(today: date, count: int):
    """The Mondays of the last `count` weeks, oldest first (the current week last)."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=i) for i in range(count - 1, -1, -1)]
