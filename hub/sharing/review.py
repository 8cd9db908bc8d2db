"""Check before spreading: checks (dicek), hoaks / misleading flags and the warnings they send,
and disseminations (diseminasi) to a KIM's community.

The seed's rule: information is passed to the community only after it was processed and judged
right for it. So a KIM disseminates an item only after one of its officers checked it (its own
posts excepted), and never while an active flag stands on it.
"""
from datetime import timedelta
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, union, update
from sqlalchemy.orm import joinedload, selectinload

from ..accounts.access import can_manage_kim
from ..errors import Conflict, Forbidden, Invalid
from ..events import record_event
from ..extensions import db, get_or_refuse, ids_in
from ..models import (
    Dissemination,
    Exchange,
    FlagWarning,
    Item,
    ItemCheck,
    ItemFlag,
    Kim,
    Post,
    Subscription,
    named,
    utcnow,
)
from ..posts import publication
from ..vocabulary import CHANNELS, FLAG_KINDS
from .service import MAX_NOTE, acting_for, add_warnings, notify_of_flag, require_reach

MAX_LINKS = 5
MAX_AUDIENCE = 10_000_000


def _officer_for(user, kim):
    if not can_manage_kim(user, kim):
        raise Forbidden(_l("Only the KIM's officers may do this."))


def _text(value, field, *, required_message=None):
    value = (value or "").strip()
    if required_message and not value:
        raise Invalid(required_message, field=field)
    if len(value) > MAX_NOTE:
        raise Invalid(_l("The text is too long (at most %(n)d characters).", n=MAX_NOTE), field=field)
    return value


def _links(links):
    if isinstance(links, str):
        links = links.split()
    out = []
    for link in links or []:
        link = (link or "").strip() if isinstance(link, str) else ""
        if not link:
            continue
        parts = urlsplit(link)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or len(link) > 2048:
            raise Invalid(_l("'%(link)s' is not a web address (https://...).", link=link[:80]), field="links")
        out.append(link)
    if len(out) > MAX_LINKS:
        raise Invalid(_l("At most %(n)d reference links.", n=MAX_LINKS), field="links")
    return out


# --- checks ---------------------------------------------------------------------------------

def record_check(item, kim, *, actor, note="", links=()):
    """An officer records that the KIM checked the item (dicek), with a note and references."""
    _officer_for(actor, kim)
    require_reach(kim, item)
    note = _text(note, "note", required_message=_l("Say what was checked and how."))
    check = ItemCheck(item_id=item.id, kim_id=kim.id, user_id=actor.id, note=note, links=_links(links),
                      created_at=utcnow())
    db.session.add(check)
    record_event("item.checked", actor=actor, kim=kim, obj=check, data={"item_id": item.id})
    return check


def checks_of(item):
    return db.session.scalars(select(ItemCheck).options(joinedload(ItemCheck.kim), named(ItemCheck.user))
                              .where(ItemCheck.item_id == item.id).order_by(ItemCheck.created_at, ItemCheck.id)).all()


def is_checked(kim, item) -> bool:
    return db.session.scalar(select(ItemCheck.id).where(ItemCheck.item_id == item.id,
                                                        ItemCheck.kim_id == kim.id).limit(1)) is not None


# --- flags and warnings ---------------------------------------------------------------------

def kims_on(item):
    """Ids of every KIM the item passed through: senders, receivers, disseminators, its author."""
    ids = set(db.session.scalars(union(
        select(Exchange.from_kim_id).where(Exchange.item_id == item.id),
        select(Exchange.to_kim_id).where(Exchange.item_id == item.id),
        select(Dissemination.kim_id).where(Dissemination.item_id == item.id))))
    if item.kim_id is not None:
        ids.add(item.kim_id)
    return ids


def flag(item, kim, *, actor, kind, reason):
    """An officer flags the item as hoaks or misleading; every other KIM it passed through gets
    a warning in its inbox. One standing flag per KIM and item."""
    _officer_for(actor, kim)
    require_reach(kim, item)
    if kind not in FLAG_KINDS:
        raise Invalid(_l("Choose hoaks or misleading."), field="kind")
    reason = _text(reason, "reason", required_message=_l("Say why the item is wrong."))
    if db.session.scalar(select(ItemFlag.id).where(ItemFlag.item_id == item.id, ItemFlag.kim_id == kim.id,
                                                   ItemFlag.withdrawn_at.is_(None))) is not None:
        raise Conflict(_l("Your KIM has already flagged this item."), field="kind")
    now = utcnow()
    mark = ItemFlag(item_id=item.id, kim_id=kim.id, user_id=actor.id, kind=kind, reason=reason, created_at=now)
    db.session.add(mark)
    db.session.flush()
    warned = add_warnings(mark.id, kim.id, kims_on(item))
    if item.source_id is not None:  # KIMs that hold it by following its source are told too
        followers = set(db.session.scalars(select(Subscription.kim_id).where(Subscription.source_id == item.source_id)))
        notify_of_flag(mark.id, sorted(followers - set(warned) - {kim.id}))
    copies = _carry(mark, same_story(item))
    for copy in copies:
        warned = sorted(set(warned) | set(add_warnings(copy.id, kim.id, kims_on(copy.item))))
    record_event("item.flagged", actor=actor, kim=kim, obj=mark,
                 data={"item_id": item.id, "kind": kind, "warned_kim_ids": warned,
                       "same_story_item_ids": [c.item_id for c in copies]})
    return mark, warned


# --- the same story -------------------------------------------------------------------------
# A flag follows the story, not one row: the same link, or the same title from the same source,
# reaching the hub again (another feed carrying it, a feed that changed its ids) carries the
# flag. Stories are looked for among items published within STORY_WINDOW of the flagged one
# (an index range, not a scan of every item the hub holds).

STORY_WINDOW = timedelta(days=30)


def title_key(title) -> str:
    return " ".join((title or "").lower().split())


def same_story(item):
    """Other items of the same story as this fetched item (the same link, or the same title
    from the same source) published within STORY_WINDOW of it."""
    if item.source_id is None and not item.url:
        return []
    key = title_key(item.title)
    near = and_(Item.id != item.id, Item.published_at >= item.published_at - STORY_WINDOW,
                Item.published_at <= item.published_at + STORY_WINDOW)
    alike = []
    if item.url:
        alike.append(Item.url == item.url)
    if item.source_id is not None and key:
        alike.append(and_(Item.source_id == item.source_id, func.lower(Item.title) == (item.title or "").lower()))
    if not alike:
        return []
    found = db.session.scalars(select(Item).where(near, or_(*alike))).all()
    return [i for i in found if (item.url and i.url == item.url) or title_key(i.title) == key]


def _copy(mark, item_id):
    """The flag as carried onto another item of its story."""
    return ItemFlag(item_id=item_id, kim_id=mark.kim_id, user_id=mark.user_id, kind=mark.kind, reason=mark.reason,
                    created_at=mark.created_at, origin_id=mark.id)


def _carry(mark, items):
    """Copies of a flag on other items of its story (skipping those the KIM already flagged)."""
    if not items:
        return []
    had = set(db.session.scalars(select(ItemFlag.item_id).where(
        ItemFlag.item_id.in_([i.id for i in items]), ItemFlag.kim_id == mark.kim_id, ItemFlag.withdrawn_at.is_(None))))
    copies = [_copy(mark, i.id) for i in items if i.id not in had]
    db.session.add_all(copies)
    db.session.flush()
    return copies


def standing_flags(session):
    """The standing (first-hand) flags indexed by their item's link and by (source, title key):
    what carry_flags matches new items against. The worker reads it once per batch of sources."""
    by_url, by_title = {}, {}
    for mark, url, title, flagged_source in session.execute(
            select(ItemFlag, Item.url, Item.title, Item.source_id).join(Item, Item.id == ItemFlag.item_id)
            .where(ItemFlag.withdrawn_at.is_(None), ItemFlag.origin_id.is_(None))):
        if url:
            by_url.setdefault(url, []).append(mark)
        if flagged_source is not None and title_key(title):
            by_title.setdefault((flagged_source, title_key(title)), []).append(mark)
    return by_url, by_title


def carry_flags(session, source_id, rows, standing=None):
    """Items just stored for a source (dicts with guid_hash, url, title) that are a flagged story
    arriving again get a copy of each standing flag. One query when nothing is flagged, none
    when the caller passes standing_flags() read for the batch."""
    if not rows:
        return 0
    by_url, by_title = standing if standing is not None else standing_flags(session)
    if not by_url and not by_title:
        return 0
    matches = {}
    for row in rows:
        marks = by_url.get(row.get("url") or "", []) + by_title.get((source_id, title_key(row.get("title"))), [])
        if marks:
            matches[row["guid_hash"]] = {m.id: m for m in marks}.values()
    if not matches:
        return 0
    carried = 0
    for item_id, guid_hash in session.execute(select(Item.id, Item.guid_hash).where(
            Item.source_id == source_id, Item.guid_hash.in_(list(matches)))):
        for mark in matches[guid_hash]:
            session.add(_copy(mark, item_id))
            carried += 1
    session.flush()
    return carried


def get_flag(flag_id):
    return get_or_refuse(ItemFlag, flag_id, _l("No such flag."))


def withdraw_flag(mark, *, actor):
    """The flagging KIM's officers withdraw a flag raised by mistake; it stays in the record.
    Withdrawing lifts it from the whole story: the flag and every copy carried from it (a copy
    withdrawn withdraws its origin too)."""
    _officer_for(actor, mark.kim)
    if mark.withdrawn_at is not None:
        raise Conflict(_l("This flag was already withdrawn."))
    origin = mark.origin or mark
    now = utcnow()
    story = and_(or_(ItemFlag.id == origin.id, ItemFlag.origin_id == origin.id), ItemFlag.withdrawn_at.is_(None))
    # the feeds that held these items back publish them again (a bulk UPDATE: no flush sees it)
    publication.changed(db.session, item_ids=db.session.scalars(select(ItemFlag.item_id).where(story)).all())
    db.session.execute(update(ItemFlag).where(story).values(withdrawn_at=now, withdrawn_by_id=actor.id)
                       .execution_options(synchronize_session="fetch"))
    record_event("item.flag_withdrawn", actor=actor, kim=mark.kim, obj=origin, data={"item_id": origin.item_id})
    return mark


def active_flags(item_ids):
    """{item_id: [flag, ...]} of standing flags, for one page of items in one query."""
    if not item_ids:
        return {}
    out = {}
    for mark in db.session.scalars(select(ItemFlag).options(selectinload(ItemFlag.kim))
                                   .where(ItemFlag.item_id.in_(list(item_ids)),
                                                          ItemFlag.withdrawn_at.is_(None))
                                   .order_by(ItemFlag.created_at)):
        out.setdefault(mark.item_id, []).append(mark)
    return out


class FlagMark(NamedTuple):
    """What a list says of the first flag standing on an item: '<reason> (<KIM>)'."""
    reason: str
    kim_name: str


def standing_marks(among, *head):
    """A select of (*head, item id, flagging KIM's name, reason, time raised, id) of the flags
    standing on the items `among` says (a condition on ItemFlag.item_id: extensions.ids_in);
    first_flags() makes them marks."""
    return (select(*head, ItemFlag.item_id, Kim.name, ItemFlag.reason, ItemFlag.created_at, ItemFlag.id)
            .join(Kim, Kim.id == ItemFlag.kim_id)
            .where(among, ItemFlag.withdrawn_at.is_(None)))


def first_flags(rows):
    """{item id: FlagMark} of the first flag raised on each item, from standing_marks() rows."""
    first = {}
    for item_id, kim_name, reason, at, flag_id in rows:
        if item_id not in first or (at, flag_id) < first[item_id][0]:
            first[item_id] = ((at, flag_id), FlagMark(reason, kim_name))
    return {item_id: mark for item_id, (_order, mark) in first.items()}


def flag_marks(item_ids):
    """{item id: FlagMark} of a list's items that a flag stands on, in one statement built once,
    as plain values (no flag or KIM objects to build for a page)."""
    if not item_ids:
        return {}
    return first_flags(db.session.execute(_flag_marks_statement(db.session.get_bind().dialect.name),
                                          {"item_ids": list(item_ids)}))


@lru_cache(maxsize=2)
def _flag_marks_statement(dialect):
    return standing_marks(ids_in(ItemFlag.item_id, "item_ids", dialect))


def flags_of(item):
    return db.session.scalars(select(ItemFlag).options(joinedload(ItemFlag.kim)).where(ItemFlag.item_id == item.id)
                              .order_by(ItemFlag.created_at, ItemFlag.id)).all()


def warnings(kim):
    """Flag warnings in the KIM's inbox, newest first (a statement, for pagination)."""
    return (select(FlagWarning).where(FlagWarning.kim_id == kim.id)
            .order_by(FlagWarning.created_at.desc(), FlagWarning.id.desc()))


def unseen_warnings_query(kim_ids):
    """The count of flag warnings to these KIMs not seen yet (a statement)."""
    return select(func.count()).select_from(FlagWarning).where(FlagWarning.kim_id.in_(kim_ids),
                                                               FlagWarning.seen_at.is_(None))


def unseen_warnings(kim_ids):
    return db.session.scalar(unseen_warnings_query(kim_ids)) if kim_ids else 0


def mark_warnings_seen(kim, *, actor):
    """Opening the inbox shows the warnings; they count as seen from then on."""
    acting_for(actor, kim)
    rows = db.session.scalars(select(FlagWarning).where(FlagWarning.kim_id == kim.id,
                                                        FlagWarning.seen_at.is_(None))).all()
    for row in rows:
        row.seen_at = utcnow()
    return len(rows)


# --- dissemination --------------------------------------------------------------------------

def disseminate(item, kim, *, actor, channel, audience=0, note=""):
    """A member records that the KIM passed the item on to its community through a channel.
    Refused before an officer's check (own posts excepted) and while a flag stands."""
    acting_for(actor, kim)
    require_reach(kim, item)
    if channel not in CHANNELS:
        raise Invalid(_l("Choose a channel."), field="channel")
    try:
        audience = int(audience or 0)
    except (TypeError, ValueError):
        raise Invalid(_l("The audience is a number of people."), field="audience") from None
    if not 0 <= audience <= MAX_AUDIENCE:
        raise Invalid(_l("The audience is a number of people."), field="audience")
    note = _text(note, "note")
    if active_flags([item.id]):
        raise Conflict(_l("This item is flagged as hoaks or misleading; it cannot be disseminated."))
    if item.kim_id != kim.id and not is_checked(kim, item):
        raise Conflict(_l("An officer must check this item before it is disseminated."), field="channel")
    row = Dissemination(item_id=item.id, kim_id=kim.id, user_id=actor.id, channel=channel, audience=audience,
                        note=note, created_at=utcnow())
    db.session.add(row)
    record_event("item.disseminated", actor=actor, kim=kim, obj=row,
                 data={"item_id": item.id, "channel": channel, "audience": audience})
    return row


def disseminations_of(item, kim_ids=None):
    stmt = (select(Dissemination).options(joinedload(Dissemination.kim), named(Dissemination.user))
            .where(Dissemination.item_id == item.id))
    if kim_ids is not None:
        stmt = stmt.where(Dissemination.kim_id.in_(list(kim_ids)))
    return db.session.scalars(stmt.order_by(Dissemination.created_at, Dissemination.id)).all()


def ready_for_community(kim, since, limit=100):
    """Items the KIM may send to its community (the WhatsApp summary), newest first: checked by
    it, its published posts, or disseminated by it since `since`; flagged ones left out."""
    ids = union(select(ItemCheck.item_id).where(ItemCheck.kim_id == kim.id, ItemCheck.created_at >= since),
                select(Post.item_id).where(Post.kim_id == kim.id, Post.status == "published",
                                           Post.published_at >= since),
                select(Dissemination.item_id).where(Dissemination.kim_id == kim.id,
                                                    Dissemination.created_at >= since)).subquery()
    items = db.session.scalars(select(Item).where(Item.id.in_(select(ids.c[0])))
                               .order_by(Item.published_at.desc(), Item.id.desc()).limit(limit)).all()
    flagged = active_flags([i.id for i in items])
    return [i for i in items if i.id not in flagged]

