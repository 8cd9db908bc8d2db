"""Reach of an announcement: which KIMs of the scope hold an item (or a source's items over a
period), which have seen it, which disseminated it and when, which it never reached."""
from dataclasses import dataclass

from sqlalchemy import func, select, union

from ..extensions import db
from ..models import Dissemination, Exchange, Item, Membership, ReadState, Source, Subscription


@dataclass
class KimReach:
    kim: object
    holds: bool = False
    how: str = ""  # author | subscribed | received | ""
    received_at: object = None
    seen: bool = False
    disseminated_at: object = None  # the first dissemination (an item) / the latest (a source)
    items_held: int = 0
    items_seen: int = 0
    items_disseminated: int = 0
    audience: int = 0

    def as_json(self):
        def when(v):
            return v.isoformat() if v else None
        return {"slug": self.kim.slug, "name": self.kim.name, "kecamatan": self.kim.kecamatan, "holds": self.holds,
                "how": self.how or None, "received_at": when(self.received_at), "seen": self.seen,
                "disseminated_at": when(self.disseminated_at), "items_held": self.items_held,
                "items_seen": self.items_seen, "items_disseminated": self.items_disseminated,
                "audience": self.audience}


def of_item(item, kims):
    """How far one item reached among these KIMs: who holds it (wrote it, follows its source,
    received it), who has seen it (a member read it, or opened the exchange), who disseminated
    it first and when, to how many people."""
    rows = {k.id: KimReach(kim=k) for k in kims}
    if not rows:
        return []
    kim_ids = list(rows)
    if item.source_id is not None:
        for kim_id in db.session.scalars(select(Subscription.kim_id).where(
                Subscription.source_id == item.source_id, Subscription.kim_id.in_(kim_ids))):
            rows[kim_id].how = "subscribed"
    if item.kim_id in rows:
        rows[item.kim_id].how = "author"
    seen = set(db.session.scalars(
        select(Membership.kim_id).distinct().join(ReadState, ReadState.user_id == Membership.user_id)
        .where(Membership.kim_id.in_(kim_ids), Membership.active.is_(True), ReadState.item_id == item.id,
               ReadState.read_at.is_not(None))))
    for kim_id, sent_at, seen_at in db.session.execute(
            select(Exchange.to_kim_id, Exchange.sent_at, Exchange.seen_at)
            .where(Exchange.item_id == item.id, Exchange.to_kim_id.in_(kim_ids))):
        rows[kim_id].how = rows[kim_id].how or "received"
        rows[kim_id].received_at = sent_at  # a KIM receives an item once
        if seen_at is not None:
            seen.add(kim_id)
    for kim_id, first, people in db.session.execute(
            select(Dissemination.kim_id, func.min(Dissemination.created_at), func.sum(Dissemination.audience))
            .where(Dissemination.item_id == item.id, Dissemination.kim_id.in_(kim_ids))
            .group_by(Dissemination.kim_id)):
        rows[kim_id].disseminated_at, rows[kim_id].audience, rows[kim_id].items_disseminated = first, int(people), 1
    for kim_id, row in rows.items():
        row.holds = bool(row.how)
        row.items_held = int(row.holds)
        row.seen = kim_id in seen
        row.items_seen = int(row.seen)
    return list(rows.values())


def of_source(source, kims, period, whole=False):
    """How far the items a source published in the period reached among these KIMs, counted in
    SQL per KIM (a source such as Diskominfo publishes thousands a year); returns (rows, number
    of items). A KIM that follows the source holds every one of them. whole: the KIMs are all
    the hub's, so no list of them goes into the queries (rows of others are dropped after)."""
    in_period = (select(Item.id).where(Item.source_id == source.id, Item.published_at >= period.utc_start,
                                       Item.published_at < period.utc_end))
    total = db.session.scalar(select(func.count()).select_from(in_period.subquery()))
    rows = {k.id: KimReach(kim=k) for k in kims}
    if not rows:
        return [], total

    def mine(column):
        return column.is_not(None) if whole else column.in_(list(rows))
    for kim_id in db.session.scalars(select(Subscription.kim_id).where(Subscription.source_id == source.id,
                                                                       mine(Subscription.kim_id))):
        if kim_id not in rows:
            continue
        rows[kim_id].how, rows[kim_id].holds, rows[kim_id].items_held = "subscribed", True, total
    for kim_id, n, first in db.session.execute(
            select(Exchange.to_kim_id, func.count(func.distinct(Exchange.item_id)), func.min(Exchange.sent_at))
            .where(Exchange.item_id.in_(in_period), mine(Exchange.to_kim_id)).group_by(Exchange.to_kim_id)):
        if kim_id not in rows:
            continue
        row = rows[kim_id]
        row.received_at = first
        if row.how != "subscribed":
            row.how, row.holds, row.items_held = "received", True, n
    seen_pairs = union(
        select(Membership.kim_id.label("kim_id"), ReadState.item_id.label("item_id"))
        .join(ReadState, ReadState.user_id == Membership.user_id)
        .where(mine(Membership.kim_id), Membership.active.is_(True), ReadState.read_at.is_not(None),
               ReadState.item_id.in_(in_period)),
        select(Exchange.to_kim_id, Exchange.item_id)
        .where(mine(Exchange.to_kim_id), Exchange.seen_at.is_not(None), Exchange.item_id.in_(in_period)),
    ).subquery()
    for kim_id, n in db.session.execute(select(seen_pairs.c.kim_id, func.count()).group_by(seen_pairs.c.kim_id)):
        if kim_id not in rows:
            continue
        rows[kim_id].items_seen, rows[kim_id].seen = n, n > 0
    for kim_id, n, last, people in db.session.execute(
            select(Dissemination.kim_id, func.count(func.distinct(Dissemination.item_id)),
                   func.max(Dissemination.created_at), func.coalesce(func.sum(Dissemination.audience), 0))
            .where(Dissemination.item_id.in_(in_period), mine(Dissemination.kim_id))
            .group_by(Dissemination.kim_id)):
        if kim_id not in rows:
            continue
        row = rows[kim_id]
        row.items_disseminated, row.disseminated_at, row.audience = n, last, int(people)
    return [rows[k.id] for k in kims], total


def followed_sources(kims):
    """[(id, title, url)] of the sources these KIMs follow, government offices first."""
    if not kims:
        return []
    return db.session.execute(
        select(Source.id, Source.title, Source.url)
        .where(Source.id.in_(select(Subscription.source_id).where(Subscription.kim_id.in_([k.id for k in kims]))))
        .order_by(Source.kind != "pemerintah", Source.title)).all()
