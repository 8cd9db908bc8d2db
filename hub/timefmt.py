"""Times are stored in UTC and shown in the hub's zone (WIB by default), in Indonesian format."""
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

# Indonesia's three zones have well-known abbreviations that CLDR does not give.
ABBREVIATIONS = {
    "Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT",
}
PATTERNS = {"id": "d MMMM y, HH.mm", "en": "d MMMM y, HH:mm"}
DATE_PATTERNS = {"id": "d MMMM y", "en": "d MMMM y"}


def zone_label(tz_name: str, local: datetime) -> str:
    return ABBREVIATIONS.get(tz_name) or local.strftime("%Z")


def format_local(value: datetime, tz_name: str, locale: str = "id", date_only=False) -> str:
    """'27 November 2026, 16.05 WIB' for a UTC datetime."""
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(tz_name))
    lang = locale if locale in PATTERNS else "id"
    if date_only:
        return format_datetime(local, DATE_PATTERNS[lang], locale=lang)
    text = format_datetime(local, PATTERNS[lang], locale=lang)
    return f"{text} {zone_label(tz_name, local)}"
