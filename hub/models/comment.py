"""Diskusi: members of the KIMs that hold an item discuss it (DESIGN.md §3: Comment). One level
of replies; an officer hides a comment with a reason, kept for the record."""
from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Comment(db.Model):
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), nullable=False)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)  # written as a member of this KIM
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), index=True)  # a reply (one level)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    hidden_at = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    hidden_reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

    kim = relationship("Kim")
    user = relationship("User", foreign_keys=[user_id])
    hidden_by = relationship("User", foreign_keys=[hidden_by_id])
    parent = relationship("Comment", remote_side=[id])

    __table_args__ = (Index("ix_comment_item_id_created_at", "item_id", "created_at"),)
