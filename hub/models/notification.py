"""A notification in the hub for one person: something in the network needs them. `key` names
the happening (e.g. 'exchange:17'), unique per person, so a notification is created once
whatever the retries."""
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Notification(db.Model):
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    key: Mapped[str] = mapped_column(String(120), nullable=False)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    kim_id: Mapped[int | None] = mapped_column(ForeignKey("kim.id"))  # the KIM it is about
    link: Mapped[str] = mapped_column(String(300), nullable=False, default="")  # where it leads, a path
    data = mapped_column(JSON, nullable=False, default=dict)  # what the sentence needs: titles, names
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    read_at = mapped_column(UTCDateTime)
    emailed_at = mapped_column(UTCDateTime)  # went out in an e-mail digest (when HUB_SMTP_URL is set)

    kim = relationship("Kim")

    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        Index("ix_notification_user_id_read_at_created_at", "user_id", "read_at", "created_at"),
    )
