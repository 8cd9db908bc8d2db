"""The append-only activity log. Rows are written only through hub.events.record_event."""
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow

# The six ADINDA activities a KIM is judged by (DESIGN.md §3).
ADINDA = ("akses", "diskusi", "implementasi", "networking", "diseminasi", "aspirasi")


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
        CheckConstraint(
            "activity IS NULL OR activity IN ('akses', 'diskusi', 'implementasi', "
            "'networking', 'diseminasi', 'aspirasi')", name="activity"),
        Index("ix_event_kim_id_occurred_at", "kim_id", "occurred_at"),
        Index("ix_event_activity_occurred_at", "activity", "occurred_at"),
        Index("ix_event_occurred_at", "occurred_at"),
        # the dashboard sums the log by time, KIM and activity without reading table rows
        Index("ix_event_occurred_at_kim_id_activity", "occurred_at", "kim_id", "activity", "actor_id"),
    )
