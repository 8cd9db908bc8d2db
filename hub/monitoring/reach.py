"""Reach of an announcement: which KIMs of the scope hold an item (or a source's items over a
period), which have seen it, which disseminated it and when, which it never reached."""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select, union

from ..extensions import db
from ..models import Dissemination, Exchange, Item, Membership, ReadState, Subscription


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


def _members_seen(kim_ids, item_ids):
    """{(kim_id, item_id)} where a member of the KIM has read the item."""
    if not kim_ids or not item_ids:
        return set()
    return set(db.session.execute(
        select(Membership.kim_id, ReadState.item_id).distinct()
        .join(ReadState, ReadState.user_id == Membership.user_id)
        .where(Membership.kim_id.in_(kim_ids), Membership.active.is_(True), ReadState.item_id.in_(item_ids),
               ReadState.read_at.is_not(None))).all())


def _collect(kims, items, subscribed_ids):
    """KimReach per KIM for a set of items (ids of items whose source these KIMs follow given)."""
    kim_ids = [k.id for k in kims]
    item_ids = [i.id for i in items]
    rows = {k.id: KimReach(kim=k) for k in kims}
    held = defaultdict(set)
    for kim_id in subscribed_ids:
        for item in items:
            if item.source_id is not None:
                held[kim_id].add(item.id)
        rows[kim_id].how = "subscribed"
    for item in items:
        if item.kim_id in rows:
            held[item.kim_id].add(item.id)
            rows[item.kim_id].how = "author"
    received = db.session.execute(select(Exchange.to_kim_id, Exchange.item_id, Exchange.sent_at, Exchange.seen_at)
                                  .where(Exchange.item_id.in_(item_ids), Exchange.to_kim_id.in_(kim_ids))).all() \
        if item_ids and kim_ids else []
    seen = _members_seen(kim_ids, item_ids)
    for kim_id, item_id, sent_at, seen_at in received:
        row = rows[kim_id]
        held[kim_id].add(item_id)
        row.how = row.how or "received"
        row.received_at = min(row.received_at, sent_at) if row.received_at else sent_at
        if seen_at is not None:
            seen.add((kim_id, item_id))
    dis = db.session.execute(select(Dissemination.kim_id, Dissemination.item_id, Dissemination.created_at,
                                    Dissemination.audience)
                             .where(Dissemination.item_id.in_(item_ids), Dissemination.kim_id.in_(kim_ids))
                             .order_by(Dissemination.created_at)).all() if item_ids and kim_ids else []
    spread = defaultdict(set)
    for kim_id, item_id, at, audience in dis:
        row = rows[kim_id]
        spread[kim_id].add(item_id)
        row.audience += audience
        if row.disseminated_at is None or len(items) > 1:
            row.disseminated_at = at  # an item: the first; a source's items: the latest
    for kim_id, row in rows.items():
        row.items_held = len(held[kim_id])
        row.holds = bool(held[kim_id]) or row.how == "subscribed"
        row.items_seen = sum(1 for (k, _i) in seen if k == kim_id)
        row.seen = row.items_seen > 0
        row.items_disseminated = len(spread[kim_id])
    return list(rows.values())


def of_item(item, kims):
    """How far one item reached among these KIMs."""
    subscribed = set()
    if item.source_id is not None and kims:
        subscribed = set(db.session.scalars(select(Subscription.kim_id).where(
            Subscription.source_id == item.source_id, Subscription.kim_id.in_([k.id for k in kims]))))
    return _collect(kims, [item], subscribed)


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


def item_count(source, period):
    return db.session.scalar(select(func.count()).select_from(Item).where(
        Item.source_id == source.id, Item.published_at >= period.utc_start, Item.published_at < period.utc_end))
