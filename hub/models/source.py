"""Feeds the hub fetches (one row per URL, however many KIMs follow it) and who follows them."""
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import SOURCE_KINDS, one_of
from .types import UTCDateTime, utcnow

DEFAULT_INTERVAL = 30 * 60


class Source(db.Model):
    __tablename__ = "source"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    site_url: Mapped[str] = mapped_column(String(2048), nullable=False, default="")
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="lainnya")
    # HTTP validators for conditional GET
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    # schedule
    interval_seconds: Mapped[int] = mapped_column(Integer, nullable=False, default=DEFAULT_INTERVAL)
    next_check_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    lease_until = mapped_column(UTCDateTime)
    # a permanent redirect is followed for good only after it has held twice
    redirect_url: Mapped[str | None] = mapped_column(String(2048))
    redirect_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # health
    last_checked_at = mapped_column(UTCDateTime)
    last_success_at = mapped_column(UTCDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    error_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # what went wrong last: a code of hub.aggregation.errors and its detail (an HTTP status),
    # turned into a sentence in the reader's language when shown (last_error)
    last_error_code: Mapped[str | None] = mapped_column(String(32))
    last_error_detail: Mapped[str | None] = mapped_column(String(300))
    stopped_at = mapped_column(UTCDateTime)  # 410 Gone, or stopped by an admin
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    subscriptions = relationship("Subscription", back_populates="source")

    @property
    def last_error(self):
        """The last error as a sentence in the current language (None when the last try worked)."""
        from ..aggregation.errors import describe
        return describe(self.last_error_code, self.last_error_detail)

    __table_args__ = (
        CheckConstraint(one_of("kind", SOURCE_KINDS), name="kind"),
        Index("ix_source_next_check_at", "next_check_at"),
    )


class Subscription(db.Model):
    """A KIM follows a source under a bidang (topic)."""

    __tablename__ = "subscription"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), nullable=False, index=True)
    bidang: Mapped[str] = mapped_column(String(64), nullable=False, default="umum")
    title: Mapped[str] = mapped_column(String(500), nullable=False, default="")  # KIM's own name for it
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    kim = relationship("Kim")
    source = relationship("Source", back_populates="subscriptions")

    __table_args__ = (UniqueConstraint("kim_id", "source_id"),)
