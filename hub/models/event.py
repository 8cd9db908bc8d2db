"""The append-only activity log. Rows are written only through hub.events.record_event."""
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import ADINDA, one_of
from .types import UTCDateTime, utcnow


class Event(db.Model):
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kim_id: Mapped[int | None] = mapped_column(ForeignKey("kim.id"))
    verb: Mapped[str] = mapped_column(String(64), nullable=False)
    object_type: Mapped[str | None] = mapped_column(String(32))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # NULL for administration of the hub itself, which is no KIM activity
    activity: Mapped[str | None] = mapped_column(String(16))
    data = mapped_column(JSON, nullable=False, default=dict)

    actor = relationship("User")
    kim = relationship("Kim")

    __table_args__ = (
        # the six ADINDA activities a KIM is judged by (DESIGN.md §3)
        CheckConstraint("activity IS NULL OR " + one_of("activity", ADINDA), name="activity"),
        Index("ix_event_kim_id_occurred_at", "kim_id", "occurred_at"),
        Index("ix_event_activity_occurred_at", "activity", "occurred_at"),
        Index("ix_event_occurred_at", "occurred_at"),
        # "did this member do anything for this KIM in the period": one index seek per member
        Index("ix_event_kim_id_actor_id_occurred_at", "kim_id", "actor_id", "occurred_at"),
    )


class KimDay(db.Model):
    """Daily rollup for the coordinators' dashboard: per KIM and local day (the hub's time
    zone), the events of each ADINDA activity, first reads, posts, shares sent and received,
    passed on, declined, checks, flags, disseminations per channel and the people reached. Kept
    in the same transaction as every event (hub.monitoring.rollup), so it always equals the raw
    rows; `flask monitor rebuild` recomputes it (after a bulk load or a change of HUB_TIMEZONE)."""
    __tablename__ = "kim_day"

    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), primary_key=True)
    day = mapped_column(Date, primary_key=True)

    # the days at either end of a period, for every KIM at once (PostgreSQL read the whole
    # table without it; the whole hub's trend reads hub_day, not this)
    __table_args__ = (Index("ix_kim_day_day", "day"),)


class KimMonth(db.Model):
    """The same counters per KIM and local month (`month` is its first day): a year's period
    reads twelve rows per KIM here and only its partial months from kim_day."""
    __tablename__ = "kim_month"

    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), primary_key=True)
    month = mapped_column(Date, primary_key=True)


class HubDay(db.Model):
    """The ADINDA counts of the whole hub per local day (the sum of kim_day over KIMs): the
    kabupaten's year-long trend reads 365 rows."""
    __tablename__ = "hub_day"

    day = mapped_column(Date, primary_key=True)


for _name in ADINDA:
    setattr(HubDay, _name, mapped_column(_name, Integer, nullable=False, default=0, server_default="0"))

class MemberDay(db.Model):
    """Who did anything for a KIM on a local day (one row per KIM, person and day); with
    member_month, a period's active members are counted without reading the log."""
    __tablename__ = "member_day"

    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    day = mapped_column(Date, primary_key=True)


class MemberMonth(db.Model):
    """Who did anything for a KIM in a local month (`month` is its first day)."""
    __tablename__ = "member_month"

    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    month = mapped_column(Date, primary_key=True)


# one counter column per rollup measure (names as in hub.monitoring.rollup.COLUMNS)
ROLLUP_COLUMNS = ADINDA + ("reads", "posts", "shares_sent", "shares_received", "passed_on", "declined", "checks",
                           "flags", "dis_whatsapp", "dis_papan", "dis_pertemuan", "dis_radio", "dis_website",
                           "dis_lainnya", "audience")
for _model in (KimDay, KimMonth):
    for _name in ROLLUP_COLUMNS:
        setattr(_model, _name, mapped_column(_name, Integer, nullable=False, default=0, server_default="0"))
