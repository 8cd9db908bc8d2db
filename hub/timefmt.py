"""Times are stored in UTC and shown in the hub's zone (WIB by default), in Indonesian format.

Formatting is done by hand (not by Babel per call): a timeline shows fifty dates per page.
"""
from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

# Indonesia's three zones have well-known abbreviations that CLDR does not give.
ABBREVIATIONS = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT",
}
MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
TIME_SEPARATOR = {"id": ".", "en": ":"}


@lru_cache(maxsize=16)
def zone(tz_name):
    return ZoneInfo(tz_name)


def day_start(day: date, tz_name) -> datetime:
    """The UTC instant a local day begins."""
    return datetime.combine(day, time(), tzinfo=zone(tz_name)).astimezone(timezone.utc)


def zone_label(tz_name: str, local: datetime) -> str:
    return ABBREVIATIONS.get(tz_name) or local.strftime("%Z")


def format_day(day, locale: str = "id") -> str:
    """'27 November 2026' for a calendar day (a date, or a datetime already in local time)."""
    return f"{day.day} {MONTHS.get(locale, MONTHS['id'])[day.month - 1]} {day.year}"


def format_local(value: datetime, tz_name: str, locale: str = "id", date_only=False) -> str:
    """'27 November 2026, 16.05 WIB' for a UTC datetime."""
    if value is None:
        return ""
    local = value.astimezone(zone(tz_name))
    lang = locale if locale in MONTHS else "id"
    day = format_day(local, lang)
    if date_only:
        return day
    sep = TIME_SEPARATOR[lang]
    return f"{day}, {local.hour:02d}{sep}{local.minute:02d} {zone_label(tz_name, local)}"


# Days a filter may name: beyond them a day is no day (9999-12-31 + 1 overflowed into a 500).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def parse_day(value):
    """A 'YYYY-MM-DD' day between 1900 and 2100, else None."""
    try:
        day = date.fromisoformat((value or "").strip())
    except (ValueError, TypeError):
        return None
    return day if EARLIEST_DAY <= day <= LATEST_DAY else None
