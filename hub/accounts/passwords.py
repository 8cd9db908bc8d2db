"""Password rules: long enough, not only spaces, not a common password, not the email."""
from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

from ..errors import Invalid

MIN_PASSWORD = 10
MAX_PASSWORD = 200
COMMON = Path(__file__).with_name("common-passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset:
    """The shipped list (lower-cased; only those of MIN_PASSWORD characters or more matter)."""
    lines = COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def check(password: str, field="password", *, email=None):
    """Raise Invalid (for `field`) if the password breaks a rule."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        raise Invalid(_l("The password must be at least %(n)d characters.", n=MIN_PASSWORD), field=field)
    if len(password) > MAX_PASSWORD:
        raise Invalid(_l("The password is too long."), field=field)
    if not password.strip():
        raise Invalid(_l("The password cannot be only spaces."), field=field)
    folded = password.strip().lower()
    if folded in common_passwords():
        raise Invalid(_l("This password is on the list of the most common passwords, which are guessed first. "
                         "Choose another."), field=field)
    if email and folded in {email.lower(), email.lower().split("@")[0]}:
        raise Invalid(_l("The password cannot be your email address."), field=field)
