"""Column types shared by the models, and the hub's clock."""
import contextvars
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy.types import DateTime, TypeDecorator

# The clock can be set for a stretch of code (the demo builds weeks of history, tests build a
# history either side of a period's edges); everything that stamps a time asks utcnow().
_now = contextvars.ContextVar("hub_now", default=None)


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC (or the time set by clock_at)."""
    return _now.get() or datetime.now(timezone.utc)


@contextmanager
def clock_at(when: datetime):
    """Run a block as if it were `when` (aware). Only this thread and context see it."""
    if when.tzinfo is None:
        raise ValueError("clock_at needs an aware datetime")
    token = _now.set(when.astimezone(timezone.utc))
    try:
        yield when
    finally:
        _now.reset(token)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: SQLite keeps no zone, so both backends agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store times as aware UTC")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)
