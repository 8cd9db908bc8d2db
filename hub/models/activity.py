"""What a KIM did offline (Implementasi): a pleno with a nara sumber, a training, kerja bakti,
a visit to a business. Officers record them; they count on the coordinators' dashboard."""
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..vocabulary import ADINDA, one_of
from .types import UTCDateTime, utcnow

activity_item = Table(
    "activity_item", db.metadata,
    Column("activity_id", ForeignKey("activity.id", ondelete="CASCADE"), primary_key=True),
    Column("item_id", ForeignKey("item.id"), primary_key=True),
)


class Activity(db.Model):
    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    held_on = mapped_column(Date, nullable=False)  # the local day it took place
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    adinda: Mapped[str] = mapped_column(String(16), nullable=False, default="implementasi")
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    participants: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    resource_person: Mapped[str] = mapped_column(String(200), nullable=False, default="")  # nara sumber
    notes: Mapped[str] = mapped_column(Text, nullable=False, default="")
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    kim = relationship("Kim")
    user = relationship("User")
    items = relationship("Item", secondary=activity_item, order_by="Item.id")
    photos = relationship("Upload", order_by="Upload.id", primaryjoin="Activity.id == Upload.activity_id",
                          foreign_keys="Upload.activity_id", viewonly=True)

    __table_args__ = (
        CheckConstraint(one_of("adinda", ADINDA), name="adinda"),
        CheckConstraint("participants >= 0", name="participants"),
        Index("ix_activity_kim_id_held_on", "kim_id", "held_on"),
    )


class Setting(db.Model):
    """A hub-wide setting an admin changes in the browser (e.g. days without activity before a
    KIM counts as quiet)."""
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
