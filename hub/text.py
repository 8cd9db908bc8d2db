"""Small text helpers with no Flask or database dependency."""
import hashlib
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


MAX_ROW_ID = 2**31 - 1  # the tables' integer keys (the <int:...> route converter holds to it too)


def row_id(value):
    """A query-string id as an int, or None when it is no number a database row can have (a
    longer one would make the database refuse the query: a 500 rather than a 404)."""
    value = (value or "").strip()
    if not value.isdigit() or len(value) > 10 or int(value) > MAX_ROW_ID:
        return None
    return int(value)


def secret_hash(secret: str) -> str:
    """SHA-256 (hex) of a secret the hub keeps only the hash of: API tokens, session keys."""
    return hashlib.sha256(secret.encode()).hexdigest()
