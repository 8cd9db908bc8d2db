"""The login throttle: per account and address, atomic, a progressive delay rather than a lockout.

Every try claims a slot before the password is looked at: one UPDATE that succeeds only if the
count it read is still the count in the row and no delay is running (compare-and-set). Parallel
tries thus take turns, and no burst gets more password checks than the rule allows. The first
HUB_LOGIN_FREE_TRIES wrong passwords cost nothing; then each one makes the next try wait twice as
long (1 s, 2 s, 4 s, ... up to HUB_LOGIN_MAX_DELAY_SECONDS). A right password clears the count;
an hour without tries forgets it.

Keyed by (email, address): someone guessing from elsewhere never slows the owner down, and one
person's typos never the village behind the same address. Guessing many accounts from one
address is held back by the per-address rate limit on the login form (hub.web.limits).
"""
import math
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import Throttled
from ..extensions import db
from ..models import LoginThrottle, utcnow

FORGET_AFTER = timedelta(hours=1)
CLAIM_TRIES = 10  # a try that keeps losing the race is told to wait a second


def delay_after(failures: int) -> int:
    """Seconds before the next try once `failures` wrong passwords are counted."""
    cfg = current_app.config
    free = cfg["HUB_LOGIN_FREE_TRIES"]
    if failures < free:
        return 0
    return min(cfg["HUB_LOGIN_FIRST_DELAY_SECONDS"] * 2 ** (failures - free), cfg["HUB_LOGIN_MAX_DELAY_SECONDS"])


def _wait(seconds: int):
    seconds = max(1, seconds)
    return Throttled(_l("Too many failed login attempts. Try again in %(s)d seconds.", s=seconds),
                     retry_after=seconds)


def claim(email: str, ip: str) -> int:
    """Count this try (as a failure until the password proves right); returns the row's id, or
    raises Throttled. Commits: the count must hold whatever the request does next."""
    table = LoginThrottle.__table__
    for _ in range(CLAIM_TRIES):
        now = utcnow()
        row = db.session.execute(select(LoginThrottle.id, LoginThrottle.failures, LoginThrottle.last_try_at,
                                        LoginThrottle.next_try_at)
                                 .where(LoginThrottle.email == email, LoginThrottle.ip == ip)).first()
        if row is None:
            try:
                db.session.execute(insert(table).values(email=email, ip=ip, failures=0, last_try_at=now))
                db.session.commit()
            except IntegrityError:  # a parallel try made it first
                db.session.rollback()
            continue
        if row.next_try_at is not None and row.next_try_at > now:
            db.session.rollback()
            raise _wait(math.ceil((row.next_try_at - now).total_seconds()))
        counted = 0 if now - row.last_try_at > FORGET_AFTER else row.failures
        delay = delay_after(counted + 1)
        won = db.session.execute(
            update(table).where(table.c.id == row.id, table.c.failures == row.failures,
                                or_(table.c.next_try_at.is_(None), table.c.next_try_at <= now))
            .values(failures=counted + 1, last_try_at=now,
                    next_try_at=now + timedelta(seconds=delay) if delay else None)).rowcount == 1
        db.session.commit()
        if won:
            return row.id
    raise _wait(1)


def succeeded(claim_id: int):
    """The password was right: forget the count (the caller commits)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.id == claim_id))


def forget_old():
    """Drop counts nobody has touched for a day (the table stays small)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.last_try_at < utcnow() - timedelta(days=1)))
