"""Reach of an announcement: which KIMs of the scope hold an item (or a source's items over a
period), which have seen it, which disseminated it and when, which it never reached."""
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select

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


MAX_SOURCE_ITEMS = 500


def of_source(source, kims, period):
    """How far a source's items published in the period reached among these KIMs (the newest
    MAX_SOURCE_ITEMS of them); returns (rows, number of items)."""
    items = db.session.scalars(select(Item).where(Item.source_id == source.id, Item.published_at >= period.utc_start,
                                                  Item.published_at < period.utc_end)
                               .order_by(Item.published_at.desc()).limit(MAX_SOURCE_ITEMS)).all()
    subscribed = set(db.session.scalars(select(Subscription.kim_id).where(
        Subscription.source_id == source.id, Subscription.kim_id.in_([k.id for k in kims])))) if kims else set()
    rows = _collect(kims, items, subscribed)
    return rows, len(items)


def item_count(source, period):
    return db.session.scalar(select(func.count()).select_from(Item).where(
        Item.source_id == source.id, Item.published_at >= period.utc_start, Item.published_at < period.utc_end))
