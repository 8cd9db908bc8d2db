"""A KIM (Kelompok Informasi Masyarakat): one community information group, usually per nagari."""
from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..text import slugify
from .types import UTCDateTime, utcnow

# who may write posts: every member publishes | members write drafts, officers publish | officers only


class Kim(db.Model):
    __tablename__ = "kim"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    nagari: Mapped[str] = mapped_column(String(120), nullable=False)
    kecamatan: Mapped[str] = mapped_column(String(120), nullable=False)
    kabupaten: Mapped[str] = mapped_column(String(120), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    contact: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    website: Mapped[str] = mapped_column(String(512), nullable=False, default="")
    # The KIM's own external feed (its blog or nagari site), if it has one.
    feed_url: Mapped[str] = mapped_column(String(2048), nullable=False, default="")
    post_policy: Mapped[str] = mapped_column(String(16), nullable=False, default="anggota", server_default="anggota")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    # What the KIM publishes (its feeds) changed: counted up, and when, by hub.posts.publication
    # on every post, dissemination, flag or edit that reaches them. A follower's conditional GET
    # is answered from these two alone.
    feed_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    feed_changed_at = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_kim_kabupaten_kecamatan_name", "kabupaten", "kecamatan", "name"),)

    @property
    def kecamatan_slug(self) -> str:
        return slugify(self.kecamatan)

    def __repr__(self):
        return f"<Kim {self.slug}>"
