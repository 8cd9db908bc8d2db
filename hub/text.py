"""Small text helpers with no Flask or database dependency."""
import re
import unicodedata

_NON_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(value: str) -> str:
    """'Tujuah Koto Talago' -> 'tujuah-koto-talago'."""
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return _NON_SLUG.sub("-", ascii_value.lower()).strip("-")


def normalize_email(value: str) -> str:
    return (value or "").strip().lower()
