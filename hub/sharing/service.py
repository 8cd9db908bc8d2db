"""Sharing between KIMs: every share is an exchange with a status and a place in a chain.

sent -> seen -> passed_on | declined (a pass-on or a decline may also come straight from sent).
Only members of the receiving KIM change an exchange's status; only members of a KIM share for it.
"""
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, union
from sqlalchemy.orm import defer, joinedload

from ..accounts.access import can_act_for, is_admin
from ..aspirasi import notifications
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..events import record_event
from ..extensions import db, get_or_refuse
from ..models import Exchange, FlagWarning, Item, ItemFlag, Kim, Subscription, named, utcnow

MAX_NOTE = 2000
ALLOWED = {"sent": {"seen", "passed_on", "declined"}, "seen": {"passed_on", "declined"},
           "passed_on": set(), "declined": set()}


def reached_by(kim_ids, item) -> bool:
    """One of these KIMs has the item: it is their post, they follow its source, or it was
    shared with them."""
    if not kim_ids:
        return False
    if item.kim_id in kim_ids:
        return True
    if item.source_id is not None and db.session.scalar(
            select(Subscription.id).where(Subscription.kim_id.in_(kim_ids),
                                          Subscription.source_id == item.source_id).limit(1)) is not None:
        return True
    return db.session.scalar(select(Exchange.id).where(Exchange.item_id == item.id,
                                                       Exchange.to_kim_id.in_(kim_ids)).limit(1)) is not None


def kims_reached(kim_ids, item) -> set:
    """Which of these KIMs have the item (reached_by for each), in one statement."""
    found = {item.kim_id} & set(kim_ids)
    if not kim_ids:
        return found
    shared = select(Exchange.to_kim_id).where(Exchange.item_id == item.id, Exchange.to_kim_id.in_(kim_ids))
    if item.source_id is not None:
        shared = union(shared, select(Subscription.kim_id).where(Subscription.kim_id.in_(kim_ids),
                                                                 Subscription.source_id == item.source_id))
    return found | set(db.session.scalars(shared))


def can_reach(kim, item) -> bool:
    """The KIM has this item."""
    return reached_by([kim.id], item)


def require_reach(kim, item):
    """Refuse, as if it did not exist, an item the KIM does not have."""
    if not can_reach(kim, item):
        raise NotFound(_l("No such item."))


def acting_for(user, kim):
    """Refuse unless the user belongs to the KIM (or runs the hub)."""
    if not can_act_for(user, kim):
        raise Forbidden(_l("You can only act for a KIM you belong to."))


def recipients(to, from_kim):
    """KIMs named by `to`: a list of slugs, {"kecamatan": name}, or "network"."""
    stmt = select(Kim).where(Kim.active.is_(True), Kim.id != from_kim.id)
    if to == "network":
        pass
    elif isinstance(to, dict) and isinstance(to.get("kecamatan"), str):
        stmt = stmt.where(func.lower(Kim.kecamatan) == to["kecamatan"].strip().lower())
    elif isinstance(to, (list, tuple)) and to and all(isinstance(s, str) for s in to):
        stmt = stmt.where(Kim.slug.in_(to))
        found = db.session.scalars(stmt.order_by(Kim.name)).all()
        missing = set(to) - {k.slug for k in found} - {from_kim.slug}
        if missing:
            raise Invalid(_l("Unknown KIM: %(slugs)s.", slugs=", ".join(sorted(missing))), field="to")
        if not found:  # only its own KIM was chosen
            raise Invalid(_l("Choose the KIMs to share with."), field="to")
        return found
    else:
        raise Invalid(_l("Choose the KIMs to share with."), field="to")
    found = db.session.scalars(stmt.order_by(Kim.name)).all()
    if not found:
        raise Invalid(_l("No other KIM is there to share with."), field="to")
    return found


@dataclass
class ShareResult:
    exchanges: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # KIMs that already had the item


def _note(note):
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(_l("The note is too long (at most %(n)d characters).", n=MAX_NOTE), field="note")
    return note


def standing_flag(item):
    """The first flag standing on the item (raised on it or carried from the same story), or None."""
    return db.session.scalar(select(ItemFlag).where(ItemFlag.item_id == item.id, ItemFlag.withdrawn_at.is_(None))
                             .order_by(ItemFlag.created_at, ItemFlag.id).limit(1))


def _warning_flag(item, as_warning):
    """A flagged item travels only as a warning, carrying its flag; an unflagged one only as news."""
    mark = standing_flag(item)
    if mark is not None and not as_warning:
        raise Conflict(_l("%(kim)s flagged this item as hoaks or misleading: it is not shared or passed on as "
                          "information. Send it as a warning instead.", kim=mark.kim.name), field="as_warning")
    if mark is None and as_warning:
        raise Invalid(_l("Only a flagged item is sent as a warning."), field="as_warning")
    return mark


def _send(item, targets, already, *, actor, note, refusal, from_kim=None, office=None, parent=None,
          warning_flag=None):
    """One exchange per target whose id is not in `already`; those are skipped, and when every
    target is, the send is refused with `refusal` (a message taking the KIMs' names). The sender
    is a KIM or a coordinator's office; flag warnings follow the item to its new holders."""
    result = ShareResult()
    for kim in targets:
        if kim.id in already:
            result.skipped.append(kim)
            continue
        exchange = Exchange(item=item, from_kim=from_kim, from_office=office, to_kim=kim, by_user_id=actor.id,
                            note=note, parent=parent, status="sent", sent_at=utcnow(), warning_flag=warning_flag)
        db.session.add(exchange)
        result.exchanges.append(exchange)
    if not result.exchanges:
        raise Conflict(refusal(", ".join(k.name for k in result.skipped)), field="to")
    db.session.flush()
    _warn_of_flags(item, [e.to_kim_id for e in result.exchanges])
    for exchange in result.exchanges:
        # the receiving KIM's people are told
        notifications.notify(notifications.members_of([exchange.to_kim_id]), "exchange", f"exchange:{exchange.id}",
                             kim_id=exchange.to_kim_id, link=f"/exchange/{exchange.id}", skip={actor.id},
                             data={"title": item.title, "from": exchange.sender_name,
                                   "as_warning": warning_flag is not None})
        data = {"item_id": item.id, "to_kim_id": exchange.to_kim_id}
        if warning_flag is not None:
            data["warning_flag_id"] = warning_flag.id
        data.update({"office": office} if office else {"parent_id": exchange.parent_id})
        record_event("exchange.sent", actor=actor, kim=from_kim, obj=exchange, data=data)
    return result


def share(item, from_kim, to, *, actor, note="", parent=None, as_warning=False):
    """Share an item from a KIM to others; one exchange per recipient. A KIM that already
    received the item is skipped; if every recipient had it, the share is refused.

    One chain, whichever way a KIM sends on what it received (the item page, the inbox, the
    API): the new exchanges hang under the exchange it came by, and that exchange becomes
    passed_on (once; a received item shared again later hangs there too).

    A hoaks stops travelling: while a flag stands on the item it goes out only `as_warning`
    (the exchanges carry the flag, the recipients see a warning, not news)."""
    acting_for(actor, from_kim)
    require_reach(from_kim, item)
    if parent is None:
        came_by = db.session.scalar(select(Exchange).where(Exchange.item_id == item.id,
                                                           Exchange.to_kim_id == from_kim.id))
        if came_by is not None and came_by.status in ("sent", "seen"):
            return pass_on(came_by, to, actor=actor, note=note, as_warning=as_warning)
        parent = came_by
    warning_flag = _warning_flag(item, as_warning)
    note = _note(note)
    targets = recipients(to, from_kim)
    had = set(db.session.scalars(select(Exchange.to_kim_id).where(
        Exchange.item_id == item.id, Exchange.to_kim_id.in_([k.id for k in targets]))))
    return _send(item, targets, had, actor=actor, note=note, from_kim=from_kim, parent=parent,
                 warning_flag=warning_flag,
                 refusal=lambda names: _l("Already shared: %(kims)s received this item before.", kims=names))


def send_from_office(item, kims, *, actor, office, note=""):
    """A coordinator's office sends an item to KIMs it never reached (from the reach view): one
    exchange per KIM with no sending KIM, `office` naming the sender. KIMs that already have it
    (its author, followers of its source, recipients) are skipped; if all had it, the send is
    refused. A flagged item goes as a warning. The caller checks the coordinator's scope."""
    note = _note(note)
    if not kims:
        raise Invalid(_l("Choose the KIMs to send it to."), field="to")
    holders = {kim.id for kim in kims if can_reach(kim, item)}
    # a flagged item goes from the office as a warning: the KIMs learn not to spread it
    return _send(item, kims, holders, actor=actor, note=note, office=office, warning_flag=standing_flag(item),
                 refusal=lambda names: _l("Nothing sent: %(kims)s already have this item.", kims=names))


def add_warnings(flag_id, flagging_kim_id, kim_ids):
    """Put a flag's warning in the inbox of each of these KIMs but the one that flagged."""
    warned = sorted(set(kim_ids) - {flagging_kim_id})
    now = utcnow()
    for kim_id in warned:
        db.session.add(FlagWarning(flag_id=flag_id, kim_id=kim_id, created_at=now))
    notify_of_flag(flag_id, warned)  # and their people are told
    return warned


def notify_of_flag(flag_id, kim_ids):
    """Tell the people of these KIMs that an item they hold was flagged (once per KIM and flag)."""
    if not kim_ids:
        return
    mark = db.session.get(ItemFlag, flag_id)
    for kim_id in kim_ids:
        notifications.notify(notifications.members_of([kim_id]), "warning", f"warning:{flag_id}:{kim_id}",
                             kim_id=kim_id, link=f"/item/{mark.item_id}?keep=unread",
                             data={"title": mark.item.title, "by": mark.kim.name, "kind": mark.kind})


def _warn_of_flags(item, kim_ids):
    """A flagged item shared onwards warns its new holders too."""
    for flag_id, flagging_kim in db.session.execute(select(ItemFlag.id, ItemFlag.kim_id).where(
            ItemFlag.item_id == item.id, ItemFlag.withdrawn_at.is_(None))):
        add_warnings(flag_id, flagging_kim, kim_ids)


def get_exchange(exchange_id):
    return get_or_refuse(Exchange, exchange_id, _l("No such exchange."))


def _move(exchange, status, actor):
    acting_for(actor, exchange.to_kim)  # only the receiving KIM changes the status
    if status not in ALLOWED[exchange.status]:
        raise Invalid(_l("An exchange that is '%(old)s' cannot become '%(new)s'.", old=exchange.status, new=status),
                      field="status")
    now = utcnow()
    exchange.status = status
    exchange.acted_by_id = actor.id
    setattr(exchange, {"seen": "seen_at", "passed_on": "passed_on_at", "declined": "declined_at"}[status], now)
    if status != "seen" and exchange.seen_at is None:
        exchange.seen_at = now  # acting on it means it was seen
    if exchange.seen_seconds is None:  # how long it waited unseen, for the coordinators' medians
        exchange.seen_seconds = round((exchange.seen_at - exchange.sent_at).total_seconds())


def mark_seen(exchange, actor):
    """Opening a received exchange marks it seen (dibaca), once."""
    if exchange.status == "sent":
        _move(exchange, "seen", actor)
        record_event("exchange.seen", actor=actor, kim=exchange.to_kim, obj=exchange)
    else:
        acting_for(actor, exchange.to_kim)
    return exchange


def pass_on(exchange, to, *, actor, note="", as_warning=False):
    """The receiving KIM passes the item on to other KIMs: child exchanges of this one (a
    flagged item only as a warning)."""
    _move(exchange, "passed_on", actor)
    result = share(exchange.item, exchange.to_kim, to, actor=actor, note=note, parent=exchange,
                   as_warning=as_warning)
    record_event("exchange.passed_on", actor=actor, kim=exchange.to_kim, obj=exchange,
                 data={"children": [e.id for e in result.exchanges]})
    return result


def decline(exchange, reason, *, actor):
    """The receiving KIM declines (ditolak) with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Say why the item is declined."), field="reason")
    _move(exchange, "declined", actor)
    exchange.decline_reason = reason[:MAX_NOTE]
    record_event("exchange.declined", actor=actor, kim=exchange.to_kim, obj=exchange)
    return exchange


def set_status(exchange, status, *, actor, note="", to=None, as_warning=False):
    """One entry point for the API's PATCH."""
    if status == "seen":
        _move(exchange, "seen", actor)  # strict here: a repeated or late 'seen' is an error
        record_event("exchange.seen", actor=actor, kim=exchange.to_kim, obj=exchange)
        return exchange
    if status == "declined":
        return decline(exchange, note, actor=actor)
    if status == "passed_on":
        return pass_on(exchange, to, actor=actor, note=note, as_warning=as_warning)
    raise Invalid(_l("Unknown status."), field="status")


# every one a many-to-one: joined into the list's own query (one round trip, not six); a list
# shows titles and summaries, not the article
LIST_LOADS = (joinedload(Exchange.item).options(defer(Item.content), defer(Item.text)),
              joinedload(Exchange.from_kim), joinedload(Exchange.to_kim), named(Exchange.by_user),
              joinedload(Exchange.warning_flag))


@dataclass
class ExchangeFilters:
    status: str | None = None
    other: str | None = None  # slug of the KIM on the other side
    kecamatan: str | None = None  # of the KIM on the other side
    since: object = None  # datetime (UTC), inclusive
    until: object = None  # datetime (UTC), exclusive


def exchanges(kim, direction="received", filters=None):
    """Exchanges the KIM received (its inbox) or sent, newest first, filtered by status, the KIM
    on the other side, its kecamatan and a period (a statement, for pagination)."""
    f = filters or ExchangeFilters()
    own, other = ((Exchange.to_kim_id, Exchange.from_kim_id) if direction == "received"
                  else (Exchange.from_kim_id, Exchange.to_kim_id))
    # what a list shows of each exchange, loaded with the page (a statement each, not one per row)
    stmt = select(Exchange).options(*LIST_LOADS).where(own == kim.id)
    if f.status:
        stmt = stmt.where(Exchange.status == f.status)
    if f.other or f.kecamatan:
        stmt = stmt.join(Kim, Kim.id == other)
        if f.other:
            stmt = stmt.where(Kim.slug == f.other)
        if f.kecamatan:
            stmt = stmt.where(func.lower(Kim.kecamatan) == f.kecamatan.strip().lower())
    if f.since is not None:
        stmt = stmt.where(Exchange.sent_at >= f.since)
    if f.until is not None:
        stmt = stmt.where(Exchange.sent_at < f.until)
    return stmt.order_by(Exchange.sent_at.desc(), Exchange.id.desc())


def inbox(kim, status=None):
    """Exchanges received by the KIM, newest first (a statement, for pagination)."""
    return exchanges(kim, "received", ExchangeFilters(status=status))


def unseen_query(kim_ids):
    """The count of exchanges sent to these KIMs and not opened yet (a statement)."""
    return select(func.count()).select_from(Exchange).where(Exchange.to_kim_id.in_(kim_ids),
                                                            Exchange.status == "sent")


def unseen_count(kim_ids):
    return db.session.scalar(unseen_query(kim_ids)) if kim_ids else 0


def tree(item, viewer_kim_ids=None, standing=None):
    """How the item travelled: [{exchange, children: [...], note_visible, flagged, raised}] from
    each first share. `flagged`: the node holds the item while a flag stands on it; `raised`: the
    standing flags raised there (by the receiving KIM, or by the sender of a first share).

    The path is shown to everyone who may see the item; a note and a decline reason only to the
    KIMs on that branch (`viewer_kim_ids`: the viewer's KIMs; None: everything, for coordinators
    and admins). A branch is the path from the first share down through the exchange and on
    through everything passed on from it: A's note to B is seen by A, B and those B passed it to,
    not by C, whom A sent it to separately."""
    exchanges = db.session.scalars(select(Exchange).options(joinedload(Exchange.from_kim),
                                                            joinedload(Exchange.to_kim), named(Exchange.by_user))
                                   .where(Exchange.item_id == item.id).order_by(Exchange.sent_at, Exchange.id)).all()
    if standing is None:  # the flags standing on the item, unless the caller read them
        standing = db.session.scalars(select(ItemFlag).where(ItemFlag.item_id == item.id,
                                                             ItemFlag.withdrawn_at.is_(None))).all()
    raised = {}  # KIM id -> the flags it raised on this item, standing
    for mark in standing:
        raised.setdefault(mark.kim_id, []).append(mark)
    nodes = {e.id: {"exchange": e, "children": [], "note_visible": viewer_kim_ids is None,
                    # every KIM on the tree holds the item: while a flag stands, each holds a flagged item
                    "flagged": bool(standing),
                    # where a flag was raised: by the receiving KIM, or by the first sender of a branch
                    "raised": raised.get(e.to_kim_id, []) + (raised.get(e.from_kim_id, []) if e.parent_id is None
                                                               and e.from_kim_id is not None else [])}
             for e in exchanges}
    roots = []
    for e in exchanges:
        (nodes[e.parent_id]["children"] if e.parent_id in nodes else roots).append(nodes[e.id])
    if viewer_kim_ids is not None:
        viewers = set(viewer_kim_ids)

        def ends(e):
            return {k for k in (e.from_kim_id, e.to_kim_id) if k is not None}

        def walk(node, above):
            """Marks the subtree; returns the KIMs in it. `above`: KIMs on the path down to it."""
            here = above | ends(node["exchange"])
            below = set()
            for child in node["children"]:
                below |= walk(child, here)
            node["note_visible"] = bool(viewers & (here | below))
            return ends(node["exchange"]) | below
        for root in roots:
            walk(root, set())
    return roots


def kims_in(roots):
    """Ids of every KIM on a tree (senders and receivers)."""
    out = set()
    for node in roots:
        out |= {node["exchange"].from_kim_id, node["exchange"].to_kim_id} | kims_in(node["children"])
    out.discard(None)
    return out


def tree_for(user, item, standing=None):
    """The item's tree as this person may see it: every note for admins and the coordinators
    overseeing it, else the notes of the branches their KIMs are on. `standing`: the item's
    standing flags, when the caller has read them."""
    from ..monitoring.scope import monitors_item
    if is_admin(user) or monitors_item(user, item):
        return tree(item, standing=standing)
    return tree(item, [m.kim_id for m in user.active_memberships], standing=standing)
