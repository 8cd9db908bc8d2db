"""An exchange: one KIM passes an item to another; a pass-on is a child exchange.

A coordinator's office (a kecamatan's or the kabupaten's) may also send an item to KIMs it never
reached: such an exchange has no from_kim, and from_office names the office.
"""
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import STATUSES, one_of
from .types import UTCDateTime, utcnow


class Exchange(db.Model):
    __tablename__ = "exchange"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), nullable=False)
    from_kim_id: Mapped[int | None] = mapped_column(ForeignKey("kim.id"))
    from_office: Mapped[str | None] = mapped_column(String(160))  # 'Kecamatan Guguak', 'Kabupaten ...'
    to_kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("exchange.id"), index=True)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="sent")
    sent_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    seen_at = mapped_column(UTCDateTime)
    seen_seconds: Mapped[int | None] = mapped_column(Integer)  # seen_at - sent_at, kept for medians
    passed_on_at = mapped_column(UTCDateTime)
    declined_at = mapped_column(UTCDateTime)
    decline_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")
    acted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # sent as a warning, not as news: the flag it warns of (a flagged item travels only so)
    warning_flag_id: Mapped[int | None] = mapped_column(ForeignKey("item_flag.id"))

    item = relationship("Item")
    from_kim = relationship("Kim", foreign_keys=[from_kim_id])
    to_kim = relationship("Kim", foreign_keys=[to_kim_id])
    by_user = relationship("User", foreign_keys=[by_user_id])
    acted_by = relationship("User", foreign_keys=[acted_by_id])
    parent = relationship("Exchange", remote_side=[id])
    warning_flag = relationship("ItemFlag")

    __table_args__ = (
        # a KIM receives an item once, whoever sends it
        UniqueConstraint("item_id", "to_kim_id"),
        CheckConstraint(one_of("status", STATUSES), name="status"),
        CheckConstraint("from_kim_id <> to_kim_id", name="not_to_self"),
        CheckConstraint("from_kim_id IS NOT NULL OR from_office IS NOT NULL", name="sender"),
        Index("ix_exchange_to_kim_id_sent_at", "to_kim_id", "sent_at"),
        # a KIM's sent list; with to_kim_id, also who shares with whom in a period, from the index
        Index("ix_exchange_from_kim_id_sent_at", "from_kim_id", "sent_at", "to_kim_id"),
        # the most shared items of a period, and exchanges touching a kecamatan, from the index alone
        Index("ix_exchange_sent_at_pair", "sent_at", "from_kim_id", "to_kim_id", "item_id"),
        Index("ix_exchange_seen_at_to_kim_id", "seen_at", "to_kim_id", "seen_seconds"),
        # over a long period the planner reads these in order and counts without hashing (about
        # half the time at a year of a kabupaten): shares per pair of KIMs, shares per item (and
        # an item's tree), and the waits of each KIM (for its median, with no sort spilling to disk)
        Index("ix_exchange_pair_sent_at", "from_kim_id", "to_kim_id", "sent_at"),
        Index("ix_exchange_item_id_sent_at", "item_id", "sent_at"),
        Index("ix_exchange_to_kim_id_seen_at", "to_kim_id", "seen_at", "seen_seconds"),
    )

    @property
    def as_warning(self) -> bool:
        return self.warning_flag_id is not None

    @property
    def sender_name(self) -> str:
        """Who sent it: the KIM's name, or the coordinator's office."""
        return self.from_kim.name if self.from_kim is not None else (self.from_office or "")
