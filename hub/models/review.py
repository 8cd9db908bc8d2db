"""What KIMs record about an item before and after spreading it: checks (dicek), hoaks /
misleading flags with the warnings they send, and disseminations to the community."""
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import CHANNELS, FLAG_KINDS, one_of
from .types import UTCDateTime, utcnow


class ItemCheck(db.Model):
    """An officer of a KIM checked the item (dicek) and judged it fit for the community."""
    __tablename__ = "item_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), nullable=False)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    links = mapped_column(JSON, nullable=False, default=list)  # reference URLs
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    kim = relationship("Kim")
    user = relationship("User")

    __table_args__ = (Index("ix_item_check_item_id_kim_id", "item_id", "kim_id"),)


class ItemFlag(db.Model):
    """An officer flagged the item as hoaks or misleading; withdrawn flags are kept.

    The same story reaching the hub again (the same link, or the same title from the same
    source) carries the flag: a copy on the other item, `origin_id` naming the flag it was
    copied from. Withdrawing the flag withdraws its copies."""
    __tablename__ = "item_flag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), nullable=False, index=True)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    withdrawn_at = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("item_flag.id"), index=True)

    item = relationship("Item")
    kim = relationship("Kim")
    user = relationship("User", foreign_keys=[user_id])
    origin = relationship("ItemFlag", remote_side=[id])

    __table_args__ = (CheckConstraint(one_of("kind", FLAG_KINDS), name="kind"),)


class FlagWarning(db.Model):
    """A flag's warning in the inbox of one KIM that received, sent or disseminated the item."""
    __tablename__ = "flag_warning"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flag_id: Mapped[int] = mapped_column(ForeignKey("item_flag.id"), nullable=False)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    seen_at = mapped_column(UTCDateTime)

    flag = relationship("ItemFlag")
    kim = relationship("Kim")

    __table_args__ = (
        UniqueConstraint("flag_id", "kim_id"),
        Index("ix_flag_warning_kim_id_created_at", "kim_id", "created_at"),
    )


class Dissemination(db.Model):
    """A KIM passed the item on to its community, through one channel."""
    __tablename__ = "dissemination"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), nullable=False, index=True)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    channel: Mapped[str] = mapped_column(String(16), nullable=False)
    audience: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # people reached, an estimate
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    item = relationship("Item")
    kim = relationship("Kim")
    user = relationship("User")

    __table_args__ = (
        CheckConstraint(one_of("channel", CHANNELS), name="channel"),
        CheckConstraint("audience >= 0", name="audience"),
        Index("ix_dissemination_kim_id_created_at", "kim_id", "created_at"),
        Index("ix_dissemination_created_at", "created_at"),  # the network's feed
    )


class ShortLink(db.Model):
    """A short address (/s/<code>) for an item a KIM sends to its community: a random code
    (nobody can count through them), made only for items a KIM has checked, disseminated or
    published (hub.sharing.shortlinks)."""
    __tablename__ = "short_link"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), nullable=False, unique=True)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    item = relationship("Item")
