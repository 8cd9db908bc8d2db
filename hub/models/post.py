"""A KIM's own post (Berita) and the images uploaded for it.

A post is written as Markdown and kept here while it is a draft; publishing it creates (and
later updates) the Item that timelines, sharing and feeds see, so a draft never leaks anywhere.
"""
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import POST_STATUSES, one_of
from .types import UTCDateTime, utcnow


class Post(db.Model):
    __tablename__ = "post"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), unique=True)  # once published
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")  # Markdown, as written
    bidang: Mapped[str] = mapped_column(String(32), nullable=False, default="umum")
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    published_at = mapped_column(UTCDateTime)

    kim = relationship("Kim")
    author = relationship("User")
    item = relationship("Item")
    images = relationship("Upload", back_populates="post", order_by="Upload.id")

    __table_args__ = (
        CheckConstraint(one_of("status", POST_STATUSES), name="status"),
        Index("ix_post_kim_id_status_updated_at", "kim_id", "status", "updated_at"),
        # feeds: newest published posts of a KIM, or of the whole hub
        Index("ix_post_kim_id_published_at", "kim_id", "published_at"),
        Index("ix_post_published_at", "published_at"),
    )


class Upload(db.Model):
    """An image checked, re-encoded and resized on upload, stored under instance/uploads."""
    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    aspiration_id: Mapped[int | None] = mapped_column(ForeignKey("aspiration.id"), index=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False, unique=True)  # random; the file's path
    content_type: Mapped[str] = mapped_column(String(40), nullable=False)
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    alt: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    post = relationship("Post", back_populates="images")
