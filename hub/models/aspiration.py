"""Aspirasi: what the community asks of its KIM, and where it went (DESIGN.md §3).

The submitter's name and contact are private to the KIM's officers: no feed, export, API answer
or page for anyone else shows them. `contact_hash` and `ip_hash` (keyed hashes) let the hub
count submissions per contact and per address without reading them back.
"""
from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import ASPIRATION_STATUSES, one_of
from .types import UTCDateTime, utcnow


class AspirationCategory(db.Model):
    """The admin-kept list of categories (infrastruktur, pertanian, ...)."""
    __tablename__ = "aspiration_category"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class AspirationOffice(db.Model):
    """Where aspirations are forwarded: a Dinas/SKPD or a nagari (kept by the admin)."""
    __tablename__ = "aspiration_office"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, default="dinas")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (CheckConstraint(one_of("kind", ("dinas", "nagari")), name="kind"),)


class Holiday(db.Model):
    """A national holiday or cuti bersama: not a working day for the deadlines."""
    __tablename__ = "holiday"

    day = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")


class Aspiration(db.Model):
    __tablename__ = "aspiration"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), nullable=False, unique=True)  # random: the tracking code
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    # private to the KIM's officers
    name: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    contact: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    contact_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    ip_hash: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    # what may be shown (status page, other KIMs it is shared with, coordinators' counts)
    nagari: Mapped[str] = mapped_column(String(120), nullable=False, default="")  # nagari / jorong
    category: Mapped[str] = mapped_column(ForeignKey("aspiration_category.code"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="submitted")
    submitted_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    forward_due = mapped_column(Date, nullable=False)  # the local day it must be forwarded by
    answer_due = mapped_column(Date, nullable=False)  # the local day it must be answered by
    forwarded_at = mapped_column(UTCDateTime)
    forwarded_to_id: Mapped[int | None] = mapped_column(ForeignKey("aspiration_office.id"))
    answer: Mapped[str] = mapped_column(Text, nullable=False, default="")
    answered_at = mapped_column(UTCDateTime)
    closed_at = mapped_column(UTCDateTime)
    updated_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    # shared with other KIMs as an item (nothing personal in it), which travels like any other
    item_id: Mapped[int | None] = mapped_column(ForeignKey("item.id"), unique=True)

    kim = relationship("Kim")
    forwarded_to = relationship("AspirationOffice")
    item = relationship("Item")
    steps = relationship("AspirationStep", back_populates="aspiration", order_by="AspirationStep.id")
    photos = relationship("Upload", order_by="Upload.id")

    __table_args__ = (
        CheckConstraint(one_of("status", ASPIRATION_STATUSES), name="status"),
        Index("ix_aspiration_kim_id_status_submitted_at", "kim_id", "status", "submitted_at"),
        Index("ix_aspiration_submitted_at", "submitted_at"),
        Index("ix_aspiration_ip_hash_submitted_at", "ip_hash", "submitted_at"),
        Index("ix_aspiration_contact_hash_submitted_at", "contact_hash", "submitted_at"),
    )


class AspirationStep(db.Model):
    """One step of an aspiration's lifecycle: when, who, the status it reached, a note."""
    __tablename__ = "aspiration_step"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aspiration_id: Mapped[int] = mapped_column(ForeignKey("aspiration.id"), nullable=False, index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    aspiration = relationship("Aspiration", back_populates="steps")
    by_user = relationship("User")

    __table_args__ = (CheckConstraint(one_of("status", ASPIRATION_STATUSES), name="status"),)
