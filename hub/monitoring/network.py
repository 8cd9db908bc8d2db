"""Who shares with whom, the most travelled items and how far flagged items got."""
from collections import defaultdict
from dataclasses import dataclass
from operator import itemgetter

from sqlalchemy import func, literal_column, or_, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Dissemination, Exchange, Item, ItemFlag, Kim
from ..sharing.service import LIST_LOADS
from .rows import grouped_in_index_order, plain_rows


def _touching(scope_ids):
    """Exchanges with either end in the scope (None: every exchange)."""
    if scope_ids is None:
        return True
    return or_(Exchange.from_kim_id.in_(scope_ids), Exchange.to_kim_id.in_(scope_ids))


def _pairs(scope_ids, period, among=None):
    stmt = (select(Exchange.from_kim_id, Exchange.to_kim_id, func.count().label("n"))
            .where(Exchange.sent_at >= period.utc_start, Exchange.sent_at < period.utc_end,
                   Exchange.from_kim_id.is_not(None), _touching(scope_ids))
            .group_by(Exchange.from_kim_id, Exchange.to_kim_id))
    if among is not None:
        stmt = stmt.where(Exchange.from_kim_id.in_(among), Exchange.to_kim_id.in_(among))
    return stmt


def edges(scope_ids, period, among=None):
    """[(from_kim_id, to_kim_id, count)]: one per ordered pair with shares or pass-ons sent in the
    period, touching the scope (and between the KIMs `among`, when given); exchanges from a
    coordinator's office have no sending KIM and are left out. Largest first."""
    # counted in the order of the pair index (no hashing of a year's exchanges), then ordered by
    # count: the sort is stable, so equal counts stay in pair order
    with grouped_in_index_order():
        pairs = plain_rows(_pairs(scope_ids, period, among).order_by(Exchange.from_kim_id, Exchange.to_kim_id))
    pairs.sort(key=itemgetter(2), reverse=True)
    return pairs


def busiest(rows, limit):
    """Ids of the busiest KIMs of a KIM table: shares sent and received, then other activity."""
    ranked = sorted(rows, key=lambda r: (-(r.shares_sent + r.shares_received), -sum(r.adinda.values()), r.kim.id))
    return [r.kim.id for r in ranked[:limit]]


def kims_by_id(ids):
    if not ids:
        return {}
    return {k.id: k for k in db.session.scalars(select(Kim).where(Kim.id.in_(list(ids))))}


def kims_of(kims, edge_list):
    """{id: KIM} of these KIMs and of the KIMs outside them that the edges lead to or from."""
    known = {k.id: k for k in kims}
    ends = set(map(itemgetter(0), edge_list)) | set(map(itemgetter(1), edge_list))
    return known | kims_by_id(ends - set(known))


@dataclass
class Matrix:
    kims: list  # the KIMs on both axes, busiest first
    cells: dict  # (from_id, to_id) -> count
    row_totals: dict
    col_totals: dict
    hidden: int  # KIMs left off the axes


def matrix(edge_list, limit=25):
    """A KIM x KIM matrix of the busiest KIMs (by shares sent plus received)."""
    volume = defaultdict(int)
    for a, b, n in edge_list:
        volume[a] += n
        volume[b] += n
    busiest = sorted(volume, key=lambda k: (-volume[k], k))
    shown = busiest[:limit]
    kims = kims_by_id(shown)
    cells = {(a, b): n for a, b, n in edge_list if a in kims and b in kims}
    rows, cols = defaultdict(int), defaultdict(int)
    for (a, b), n in cells.items():
        rows[a] += n
        cols[b] += n
    return Matrix([kims[k] for k in shown], cells, dict(rows), dict(cols), max(0, len(busiest) - len(shown)))


@dataclass
class Travel:
    item: Item
    shares: int  # exchanges sent in the period
    kims_received: int  # KIMs that got it by share, up to the end of the period
    kims_disseminated: int
    people: int  # audience estimates of its disseminations
    flagged: bool = False


LONG_PERIOD_DAYS = 90


def travelled(scope_ids, period, limit=10):
    """The items most shared in the period (touching the scope), with their reach."""
    # counted in item order (PostgreSQL then reads the item index instead of hashing). SQLite
    # prefers the range of send times and sorts; for the whole hub over a long period (a quarter or
    # more) the unary plus, a no-op on the value, keeps it off that index, so it reads the item
    # index in order (half the time at a year; a kecamatan is better served by its KIMs' indexes)
    sent = Exchange.sent_at
    if (scope_ids is None and (period.end - period.start).days >= LONG_PERIOD_DAYS
            and db.session.get_bind().dialect.name == "sqlite"):
        sent = literal_column("+exchange.sent_at", type_=Exchange.sent_at.type)
    shares = (select(Exchange.item_id, func.count().label("n"))
              .where(sent >= period.utc_start, sent < period.utc_end, _touching(scope_ids))
              .group_by(Exchange.item_id).order_by(Exchange.item_id).subquery())
    top = db.session.execute(select(shares.c.item_id, shares.c.n)
                             .order_by(shares.c.n.desc(), shares.c.item_id).limit(limit)).all()
    if not top:
        return []
    ids = [i for i, _n in top]
    items = {i.id: i for i in db.session.scalars(select(Item).where(Item.id.in_(ids)))}
    received = dict(db.session.execute(
        select(Exchange.item_id, func.count(func.distinct(Exchange.to_kim_id)))
        .where(Exchange.item_id.in_(ids), Exchange.sent_at < period.utc_end).group_by(Exchange.item_id)).all())
    spread = {i: (k, p) for i, k, p in db.session.execute(
        select(Dissemination.item_id, func.count(func.distinct(Dissemination.kim_id)),
               func.coalesce(func.sum(Dissemination.audience), 0))
        .where(Dissemination.item_id.in_(ids), Dissemination.created_at < period.utc_end)
        .group_by(Dissemination.item_id))}
    flagged = set(db.session.scalars(select(ItemFlag.item_id).where(ItemFlag.item_id.in_(ids),
                                                                    ItemFlag.withdrawn_at.is_(None))))
    return [Travel(items[i], n, received.get(i, 0), spread.get(i, (0, 0))[0], int(spread.get(i, (0, 0))[1]),
                   i in flagged) for i, n in top]


@dataclass
class FlagFlow:
    flag: ItemFlag
    shares_before: int
    shares_after: int
    disseminations_before: int
    disseminations_after: int
    kims_before: int  # KIMs that had received it by share when it was flagged
    kims_after: int  # KIMs it reached by share after the flag


def flagged(scope_ids, period, limit=50):
    """Flags raised in the period on items that touched the scope, with how far the item got
    before and after the flag."""
    stmt = (select(ItemFlag).where(ItemFlag.created_at >= period.utc_start, ItemFlag.created_at < period.utc_end)
            .options(selectinload(ItemFlag.item), selectinload(ItemFlag.kim))
            .order_by(ItemFlag.created_at.desc()).limit(limit))
    flags = db.session.scalars(stmt).all()
    item_ids = sorted({f.item_id for f in flags})
    exchanges, spread = defaultdict(list), defaultdict(list)
    if item_ids:  # two queries for every flag of the page
        for item_id, a, b, at in db.session.execute(select(Exchange.item_id, Exchange.from_kim_id, Exchange.to_kim_id,
                                                           Exchange.sent_at).where(Exchange.item_id.in_(item_ids))):
            exchanges[item_id].append((a, b, at))
        for item_id, kim_id, at in db.session.execute(select(Dissemination.item_id, Dissemination.kim_id,
                                                             Dissemination.created_at)
                                                      .where(Dissemination.item_id.in_(item_ids))):
            spread[item_id].append((kim_id, at))
    out = []
    for mark in flags:
        ex, dis = exchanges[mark.item_id], spread[mark.item_id]
        kims = {mark.kim_id} | {a for a, _b, _t in ex if a} | {b for _a, b, _t in ex} | {k for k, _t in dis}
        if mark.item.kim_id:
            kims.add(mark.item.kim_id)
        if scope_ids is not None and not kims & set(scope_ids):
            continue
        before = [e for e in ex if e[2] < mark.created_at]
        after = [e for e in ex if e[2] >= mark.created_at]
        out.append(FlagFlow(mark, len(before), len(after), sum(1 for d in dis if d[1] < mark.created_at),
                            sum(1 for d in dis if d[1] >= mark.created_at), len({e[1] for e in before}),
                            len({e[1] for e in after})))
    return out


def exchanges_of(kim, period, direction):
    """A KIM's exchanges sent or received in the period, newest first (a statement)."""
    own = Exchange.to_kim_id if direction == "in" else Exchange.from_kim_id
    return (select(Exchange).options(*LIST_LOADS).where(own == kim.id, Exchange.sent_at >= period.utc_start,
                                   Exchange.sent_at < period.utc_end)
            .order_by(Exchange.sent_at.desc(), Exchange.id.desc()))


def disseminations_of(kim, period):
    """A KIM's disseminations in the period, newest first (a statement)."""
    return (select(Dissemination).options(selectinload(Dissemination.item), selectinload(Dissemination.user))
            .where(Dissemination.kim_id == kim.id, Dissemination.created_at >= period.utc_start,
                   Dissemination.created_at < period.utc_end)
            .order_by(Dissemination.created_at.desc()))
