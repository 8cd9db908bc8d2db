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


def row_id(value):
    """A query-string id as an int, or None when it is no number a database row can have (a
    longer one would make the database refuse the query: a 500 rather than a 404)."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 10 or int(value) > 2_147_483_647:
        return None
    return int(value)
