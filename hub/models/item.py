"""One entry: fetched from a source, or written in the hub by a KIM (a post)."""
from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UTCDateTime, utcnow


class Item(db.Model):
    __tablename__ = "item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    kim_id: Mapped[int | None] = mapped_column(ForeignKey("kim.id"))  # author KIM of a post
    guid: Mapped[str] = mapped_column(String(2048), nullable=False)
    # sha256 of the de-duplication key (guid, else link, else title+date): short and indexable
    guid_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    url: Mapped[str] = mapped_column(String(2048), nullable=False, default="")
    title: Mapped[str] = mapped_column(String(1000), nullable=False, default="")
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")  # plain text
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")  # sanitized HTML
    # plain text of the content, for full-text search (FTS5 on SQLite, tsvector on PostgreSQL)
    text: Mapped[str] = mapped_column(Text, nullable=False, default="", server_default="")
    author: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    published_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    fetched_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    # the entry as the feed gave it (before cleaning): an entry that comes back the same is not
    # cleaned again (None: stored before 0015, or not from a feed)
    raw_hash: Mapped[str | None] = mapped_column(String(64))
    enclosures = mapped_column(JSON, nullable=False, default=list)  # [{url, type, length}]

    source = relationship("Source")
    kim = relationship("Kim")

    __table_args__ = (
        UniqueConstraint("source_id", "guid_hash"),
        CheckConstraint("source_id IS NOT NULL OR kim_id IS NOT NULL", name="origin"),
        Index("ix_item_published_at_id", "published_at", "id"),
        Index("ix_item_source_id_published_at_id", "source_id", "published_at", "id"),
        Index("ix_item_kim_id_published_at_id", "kim_id", "published_at", "id"),  # a KIM's posts, newest first
    )
