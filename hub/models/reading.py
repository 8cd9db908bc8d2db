"""What each person has read and bookmarked."""
from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime


class ReadState(db.Model):
    """One row per (user, item) that was opened or bookmarked; no row means unread."""

    __tablename__ = "read_state"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), primary_key=True)
    read_at = mapped_column(UTCDateTime)
    # the first time the person opened it: a read counts for the dashboard once, ever
    first_read_at = mapped_column(UTCDateTime)
    starred_at = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_read_state_user_id_starred_at", "user_id", "starred_at"),
        Index("ix_read_state_item_id", "item_id"),
    )
