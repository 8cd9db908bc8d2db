"""Feed dates, including Indonesian ones ('Senin, 12 Mei 2014 13:21 WIB', 'Agt'/'Ags' for August).

No database, no Flask: parse_date(text) -> aware UTC datetime or None.
"""
import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

MONTHS = {
    # Indonesian (full and the abbreviations seen in the wild) and English
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "peb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "agst": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
_WEEKDAY = re.compile(r"^[a-z']{3,9}\.?,?\s+(?=\d)")
_AM_PM = re.compile(r"\d\s*[ap]\.?m\b", re.IGNORECASE)
ZONES = {"wib": 7, "wita": 8, "wit": 9, "utc": 0, "gmt": 0, "ut": 0, "z": 0,
         "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6, "pst": -8, "pdt": -7}

# '12 Mei 2014 13:21 WIB', '12-Mei-2014 13.21', '12 Agt 2014, 13:21:05 +0700'
_DAY_MONTH_YEAR = re.compile(
    r"^(?P<day>\d{1,2})[\s\-/.]+(?P<month>[a-z']+)\.?[\s\-/.,]+(?P<year>\d{4})"
    r"(?:[\s,T]+(?:pukul\s+|jam\s+)?(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap])\.?m\.?)?)?"
    r"\s*(?P<zone>[a-z]+|[+-]\d{2}:?\d{2})?\s*$")


def _zone_offset(zone):
    if not zone:
        return None
    zone = zone.lower()
    if zone in ZONES:
        return timedelta(hours=ZONES[zone])
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", zone)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        return sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
    return None


def _indonesian(text):
    # drop a leading weekday, whole or abbreviated ('Senin, ', 'Sel, ', 'Jum'at ')
    lowered = _WEEKDAY.sub("", text.strip().lower())
    match = _DAY_MONTH_YEAR.match(lowered)
    if not match or match.group("month") not in MONTHS:
        return None
    hour = int(match.group("h") or 0)
    if match.group("ampm"):
        if hour > 12:
            return None
        hour = hour % 12 + (12 if match.group("ampm") == "p" else 0)
    try:
        local = datetime(int(match.group("year")), MONTHS[match.group("month")], int(match.group("day")),
                         hour, int(match.group("m") or 0), int(match.group("s") or 0))
    except ValueError:
        return None
    zone = match.group("zone")
    offset = _zone_offset(zone)
    if zone and offset is None:
        return None
    # no zone given: an Indonesian date written without one is meant in WIB
    return local.replace(tzinfo=timezone(offset if offset is not None else timedelta(hours=7)))


def parse_date(text):
    """An aware UTC datetime for a feed date string, or None when it cannot be understood."""
    if not text or not isinstance(text, str):
        return None
    text = text.strip()
    if len(text) > 100:
        return None
    value = None
    if not _AM_PM.search(text):  # the email parser reads '4:00 PM' as 04:00
        try:
            value = parsedate_to_datetime(text)  # RFC 822, the RSS format
        except (TypeError, ValueError, IndexError):
            value = None
    if value is None:
        value = _indonesian(text)
    if value is None:
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))  # RFC 3339, the Atom format
        except ValueError:
            value = None
    if value is None:
        import feedparser.datetimes  # only for dates none of the above reads
        parsed = feedparser.datetimes._parse_date(text)  # the many odd formats feedparser knows
        if parsed is None:
            return None
        value = datetime(*parsed[:6], tzinfo=timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        return value.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None
