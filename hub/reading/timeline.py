"""A KIM's timeline for one member: keyset pages, filters, search, read state and bookmarks."""
from collections import namedtuple
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, bindparam, func, literal, literal_column, select, true, tuple_, union_all
from sqlalchemy.orm import defer

from ..accounts.access import can_act_for, is_admin
from ..errors import BadRequest, Forbidden, NotFound
from ..events import record_event
from ..extensions import db, ids_in, upsert_insert
from ..models import Exchange, Item, ItemFlag, Kim, Post, ReadState, Source, Subscription, utcnow
from ..models.types import UTCDateTime
from ..monitoring.scope import monitors_item
from ..sharing.review import first_flags, standing_marks
from ..sharing.service import reached_by
from ..timefmt import parse_day
from ..vocabulary import BIDANG, KIND_LABELS
from . import search

PAGE = 50
MAX_PAGE = 200
MAX_SEARCH_OFFSET = 1000


@dataclass
class Filters:
    source_id: int | None = None
    bidang: str | None = None
    kind: str | None = None
    unread: bool = False
    starred: bool = False
    shared: bool = False  # only items other KIMs shared with this one
    since: date | None = None
    until: date | None = None
    q: str = ""

    def active(self):
        return any([self.source_id, self.bidang, self.kind, self.unread, self.starred, self.shared, self.since,
                    self.until, self.q])


def _date_arg(args, name):
    return parse_day(args.get(name))


def filters_from(args):
    """Filters from query-string or form arguments; anything unknown is ignored, not an error."""
    source = args.get("source") or ""
    return Filters(
        source_id=int(source) if source.isdigit() else None,
        bidang=args.get("bidang") if args.get("bidang") in BIDANG else None,
        kind=args.get("kind") if args.get("kind") in KIND_LABELS else None,
        unread=args.get("unread") == "1", starred=args.get("starred") == "1", shared=args.get("shared") == "1",
        since=_date_arg(args, "since"), until=_date_arg(args, "until"), q=(args.get("q") or "").strip()[:200])


@dataclass
class Entry:
    item: Item
    source_title: str
    source_kind: str
    bidang: str
    read: bool
    starred: bool
    title_html: object = None  # highlighted title (search)
    snippet_html: object = None  # highlighted excerpt (search)
    shared: object = None  # SharedMark: how another KIM shared it with this one (the latest share)
    flag: object = None  # review.FlagMark: the first flag standing on it


@dataclass
class Page:
    entries: list = field(default_factory=list)
    next_cursor: str | None = None
    newest: str | None = None  # cursor of the newest entry shown, for "mark all as read"


_Key = namedtuple("_Key", "id published_at")  # what a cursor is made of


def encode_cursor(item):
    return f"{int(item.published_at.timestamp() * 1_000_000)}.{item.id}"


def decode_cursor(cursor):
    """'<microseconds>.<id>' -> (datetime, id); 'o<offset>' for search pages. Raises Invalid."""
    try:
        if cursor.startswith("o"):
            return int(cursor[1:])
        micros, item_id = cursor.split(".", 1)
        return (datetime.fromtimestamp(int(micros) / 1_000_000, timezone.utc), int(item_id))
    except (ValueError, OverflowError, OSError):
        raise BadRequest(_l("The page marker is not valid."), field="cursor") from None


def readable_kims(user):
    """The KIMs whose timeline this user may read: their own (admins: every active KIM)."""
    if is_admin(user):
        return db.session.scalars(select(Kim).where(Kim.active.is_(True)).order_by(Kim.name)).all()
    return [m.kim for m in user.active_memberships]


def check_reader(user, kim):
    if kim is None or not kim.active:
        raise NotFound(_l("No such KIM."))
    if not can_act_for(user, kim):
        raise Forbidden(_l("Only members of this KIM read its timeline."))


# What a part of the timeline selects first: the whole item, or (to pick a page before loading
# anything) only its id and date
WHOLE, KEYS = (Item,), (Item.id, Item.published_at)


def _base(kim, user, head=WHOLE):
    name = func.coalesce(func.nullif(Subscription.title, ""), Source.title, Source.url)
    return (select(*head, Subscription.bidang, name,
                   Source.kind, ReadState.read_at, ReadState.starred_at)
            .join(Subscription, and_(Subscription.source_id == Item.source_id, Subscription.kim_id == kim.id))
            .join(Source, Source.id == Item.source_id)
            .outerjoin(ReadState, and_(ReadState.item_id == Item.id, ReadState.user_id == user.id)))


def _shared(kim, user, filters, head=WHOLE):
    """Items other KIMs shared with this one, in the same row shape as _base(); driven from the
    KIM's exchanges (few) rather than from the hub's items (many)."""
    stmt = (select(*head, literal(""), func.coalesce(Source.title, Source.url, ""), func.coalesce(Source.kind, "kim"),
                   ReadState.read_at, ReadState.starred_at)
            .select_from(Exchange).join(Item, Item.id == Exchange.item_id)
            .outerjoin(Source, Source.id == Item.source_id)
            .outerjoin(ReadState, and_(ReadState.item_id == Item.id, ReadState.user_id == user.id))
            .where(Exchange.to_kim_id == kim.id))
    return _filtered(stmt, filters)


def _posts(kim, user, filters, head=WHOLE):
    """The KIM's own posts (items of the KIM with no source, written by #5), newest first by the
    (kim_id, published_at, id) index."""
    stmt = (select(*head, func.coalesce(Post.bidang, ""), Kim.name, literal("kim"), ReadState.read_at,
                   ReadState.starred_at)
            .join(Kim, Kim.id == Item.kim_id)
            .outerjoin(Post, Post.item_id == Item.id)
            .outerjoin(ReadState, and_(ReadState.item_id == Item.id, ReadState.user_id == user.id))
            # "no source" written so that no index matches it: PostgreSQL otherwise walked the
            # (source_id, published_at) index through every post of every KIM (20 ms at 10,000
            # posts) instead of this KIM's (kim_id, published_at, id) index
            .where(Item.kim_id == kim.id, func.coalesce(Item.source_id, 0) == 0))
    return _filtered(stmt, Filters(**{**filters.__dict__, "kind": None}))


def _extras(kim, user, filters, head=WHOLE):
    """The parts beside the subscriptions: shared items, and (unless filtered away) own posts."""
    parts = [_shared(kim, user, filters, head)]
    if not filters.shared and not filters.source_id and filters.kind in (None, "kim"):
        parts.append(_posts(kim, user, filters, head))
    return parts


def _day_start(day):
    return datetime.combine(day, time.min, timezone.utc)


# A page's statement is built once per shape (see _page_statement) with this in place of every
# value: each becomes a named parameter the statement cannot run without.
SLOT = object()
_Ref = namedtuple("_Ref", "id")  # a KIM or a user, as far as a statement needs it
_SLOT_KIM, _SLOT_USER = _Ref(bindparam("kim_id", required=True)), _Ref(bindparam("user_id", required=True))


def _param(name, value, type_=None):
    """The value as the named parameter `name`; a required one without a value for SLOT."""
    if value is SLOT:
        return bindparam(name, type_=type_, required=True)
    return bindparam(name, value, type_=type_)


def _since(day):
    return _day_start(day)


def _until(day):
    return _day_start(day) + timedelta(days=1)


def _filter_values(f: Filters):
    """The values of _filtered()'s parameters for these filters."""
    values = {"f_source": f.source_id, "f_bidang": f.bidang, "f_kind": f.kind,
              "since": f.since and _since(f.since), "until": f.until and _until(f.until)}
    return {k: v for k, v in values.items() if v}


def _filtered(stmt, f: Filters):
    day = UTCDateTime()
    if f.source_id:
        stmt = stmt.where(Item.source_id == _param("f_source", f.source_id))
    if f.bidang:
        stmt = stmt.where(Subscription.bidang == _param("f_bidang", f.bidang))
    if f.kind:
        stmt = stmt.where(Source.kind == _param("f_kind", f.kind))
    if f.unread:
        stmt = stmt.where(ReadState.read_at.is_(None))
    if f.starred:
        stmt = stmt.where(ReadState.starred_at.is_not(None))
    if f.since:
        stmt = stmt.where(Item.published_at >= _param("since", f.since if f.since is SLOT else _since(f.since), day))
    if f.until:
        stmt = stmt.where(Item.published_at < _param("until", f.until if f.until is SLOT else _until(f.until), day))
    return stmt


def _before(stmt, cursor):
    published, item_id = cursor
    return stmt.where(tuple_(Item.published_at, Item.id) <
                      tuple_(_param("c_published", published, UTCDateTime()), _param("c_id", item_id)))


def _newest_per_source(kim, user, filters, position, count):
    """PostgreSQL: the subscriptions' part of a page, in _base()'s row shape (id, date, bidang,
    source name, kind, read, starred): the newest `count` items of the KIM's (filtered) sources,
    taking at most `count` from each source's (source_id, published_at, id) index through a
    LATERAL join, so a page costs the same whatever the size of the hub or the KIM's history.
    The labels come with the sources and the items are never joined again: matched back to the
    item table by id, PostgreSQL hashed the ids against every item of the KIM's sources."""
    name = func.coalesce(func.nullif(Subscription.title, ""), Source.title, Source.url)
    sources = (select(Subscription.source_id, Subscription.bidang, name.label("name"), Source.kind)
               .join(Source, Source.id == Subscription.source_id)
               .where(Subscription.kim_id == kim.id))
    if filters.source_id:
        sources = sources.where(Subscription.source_id == _param("f_source", filters.source_id))
    if filters.bidang:
        sources = sources.where(Subscription.bidang == _param("f_bidang", filters.bidang))
    if filters.kind:
        sources = sources.where(Source.kind == _param("f_kind", filters.kind))
    sources = sources.subquery("kim_sources")
    newest = select(Item.id, Item.published_at).where(Item.source_id == sources.c.source_id)
    if filters.unread or filters.starred:
        newest = newest.outerjoin(ReadState, and_(ReadState.item_id == Item.id, ReadState.user_id == user.id))
    newest = _filtered(newest, Filters(unread=filters.unread, starred=filters.starred, since=filters.since,
                                       until=filters.until))
    if isinstance(position, tuple):
        newest = _before(newest, position)
    newest = newest.order_by(Item.published_at.desc(), Item.id.desc()).limit(count).lateral("newest")
    return (select(newest.c.id, newest.c.published_at, sources.c.bidang, sources.c.name, sources.c.kind,
                   ReadState.read_at, ReadState.starred_at)
            .select_from(sources).join(newest, true())
            .outerjoin(ReadState, and_(ReadState.item_id == newest.c.id, ReadState.user_id == user.id))
            .order_by(newest.c.published_at.desc(), newest.c.id.desc()).limit(count))


def _shape(f: Filters):
    """What decides a page statement's form: which filters are set (their values are parameters),
    and the kind, which decides whether the KIM's posts are a part."""
    shape = replace(f, source_id=f.source_id and SLOT, bidang=f.bidang and SLOT, since=f.since and SLOT,
                    until=f.until and SLOT, q="")
    return tuple(getattr(shape, name) for name in Filters.__dataclass_fields__)  # hashable: a cache key


@lru_cache(maxsize=256)
def _page_statement(dialect, count, after_cursor, shape):
    """A page's statement (ids, dates and labels of each part's newest `count`, in one round trip),
    built once per form and reused: building it took longer than running it. Every value (the
    KIM, the reader, the filters' values, the cursor) is a required parameter, so a statement
    built for one reader can only ever run with another's values given."""
    kim, user = _SLOT_KIM, _SLOT_USER
    position = (SLOT, SLOT) if after_cursor else None
    shape = Filters(*shape)
    filters = replace(shape, kind=shape.kind and SLOT)
    parts = [] if shape.shared else [_subscribed(kim, user, filters, position, count, dialect)]
    if not shape.bidang:  # shared items and posts have no bidang of this KIM's
        extras = _extras(kim, user, replace(filters, kind=shape.kind), KEYS)
        parts += [_newest_first(_before(part, position) if position else part, count) for part in extras]
    # each part's newest `count` in a subquery of its own (planned alone, by its indexes)
    chosen = [select(*part.subquery(f"part{n}").c) for n, part in enumerate(parts)]
    return union_all(*chosen) if len(chosen) > 1 else chosen[0]


@lru_cache(maxsize=2)
def _items_statement(dialect):
    """The chosen items of a page, by id (built once per dialect; the ids a required parameter)."""
    return select(Item).where(ids_in(Item.id, "item_ids", dialect)).options(*_LIST_COLUMNS, defer(Item.text))


def _newest_first(stmt, count):
    return stmt.order_by(Item.published_at.desc(), Item.id.desc()).limit(count)


def _subscribed(kim, user, filters, position, count, dialect):
    """The subscriptions' part of a page (ids, dates and labels), newest first."""
    if dialect == "postgresql":
        return _newest_per_source(kim, user, filters, position, count)
    stmt = _filtered(_base(kim, user, KEYS), filters)
    return _newest_first(_before(stmt, position) if isinstance(position, tuple) else stmt, count)


# a list shows titles and summaries: the article's HTML (up to 200 KB each) is not loaded; the
# plain text only when searching (for the snippet)
_LIST_COLUMNS = (defer(Item.content), defer(Item.enclosures))


def _search(kim, user, filters, subscribed, words, offset, limit):
    """Best matches first among the subscriptions' items, the items shared with the KIM and its
    own posts: each part is searched inside its own origins, then the parts are merged by rank."""
    dialect = db.session.get_bind().dialect.name
    parts = [] if filters.shared else [(subscribed, search.tokens(_source_ids(kim, filters)))]
    if not filters.bidang:
        shared, *posts = _extras(kim, user, filters)
        origins = db.session.execute(select(Item.source_id, Item.kim_id).distinct()
                                     .join(Exchange, Exchange.item_id == Item.id)
                                     .where(Exchange.to_kim_id == kim.id)).all()
        if origins:  # nothing shared with the KIM: no search of that part
            parts.append((shared, search.tokens([s for s, _k in origins], [k for s, k in origins if s is None])))
        if db.session.scalar(select(Item.id).where(Item.kim_id == kim.id, Item.source_id.is_(None)).limit(1)):
            parts += [(part, search.tokens(kim_ids=[kim.id])) for part in posts]
    rows, seen = [], set()
    for stmt, origin_tokens in parts:
        stmt, rank = search.apply(stmt, dialect, words, origin_tokens)
        rows += db.session.execute(stmt.add_columns(rank).order_by(rank, Item.published_at.desc(), Item.id.desc())
                                   .options(*_LIST_COLUMNS).limit(offset + limit + 1)).all()
    rows.sort(key=lambda row: (row[-1], -row[0].published_at.timestamp(), -row[0].id))
    rows = [row[:-1] for row in rows if not (row[0].id in seen or seen.add(row[0].id))]
    return rows[offset:offset + limit + 1]


def _source_ids(kim, filters):
    """The KIM's subscribed sources (or the one filtered on), for narrowing a search."""
    if filters.source_id:
        return [filters.source_id]
    return db.session.scalars(select(Subscription.source_id).where(Subscription.kim_id == kim.id)).all()


class SharedMark(NamedTuple):
    """What a timeline entry says of the exchange that brought it: 'Shared by <sender>: <note>'."""
    sender_name: str
    note: str


def _marks(kim, entries, dialect):
    """Each entry's marks in one round trip: how another KIM shared it with this one (the latest
    share) and the first flag standing on it (review.FlagMark)."""
    if not entries:
        return
    shared, flags = {}, []
    for mark, item_id, who, text, at, row_id in db.session.execute(
            _marks_statement(dialect), {"kim_id": kim.id, "item_ids": [e.item.id for e in entries]}):
        if mark == "f":
            flags.append((item_id, who, text, at, row_id))
        elif item_id not in shared or row_id > shared[item_id][0]:  # the latest share
            shared[item_id] = (row_id, SharedMark(who or "", text or ""))
    flagged = first_flags(flags)
    for entry in entries:
        entry.shared = shared[entry.item.id][1] if entry.item.id in shared else None
        entry.flag = flagged.get(entry.item.id)


@lru_cache(maxsize=2)
def _marks_statement(dialect):
    """Built once per dialect: the page's shares to the KIM ('s': item id, sender, note, time,
    id) and its standing flags ('f': review.standing_marks), in one statement."""
    shared = (select(literal_column("'s'"), Exchange.item_id, func.coalesce(Kim.name, Exchange.from_office),
                     Exchange.note, Exchange.sent_at, Exchange.id)
              .outerjoin(Kim, Kim.id == Exchange.from_kim_id)
              .where(Exchange.to_kim_id == bindparam("kim_id", required=True),
                     ids_in(Exchange.item_id, "item_ids", dialect)))
    return union_all(shared, standing_marks(ids_in(ItemFlag.item_id, "item_ids", dialect), literal_column("'f'")))


def timeline(kim, user, filters: Filters, *, cursor=None, limit=PAGE, marks=True) -> Page:
    """One page of the KIM's timeline as this user sees it, newest first (or best match first
    when searching); with `marks`, each entry says how another KIM shared it with this one and
    the flag standing on it."""
    check_reader(user, kim)
    dialect = db.session.get_bind().dialect.name
    limit = max(1, min(limit, MAX_PAGE))
    words = search.terms(filters.q)
    position = decode_cursor(cursor) if cursor else None
    if words:
        stmt = _filtered(_base(kim, user), filters)
        offset = position if isinstance(position, int) else 0
        offset = max(0, min(offset, MAX_SEARCH_OFFSET))
        rows = _search(kim, user, filters, stmt, words, offset, limit)
        more = len(rows) > limit and offset + limit < MAX_SEARCH_OFFSET
        next_cursor = f"o{offset + limit}" if more else None
    else:
        # each part gives ids, dates and labels only; the page's items are loaded once chosen
        # (three parts of limit + 1 rows made 153 items to build, and 103 to throw away)
        values = dict(_filter_values(filters), kim_id=kim.id, user_id=user.id)
        if isinstance(position, tuple):
            values.update(c_published=position[0], c_id=position[1])
        statement = _page_statement(dialect, limit + 1, isinstance(position, tuple), _shape(filters))
        rows = db.session.execute(statement, values).all()
        seen = set()
        rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
        rows = [row for row in rows if not (row[0] in seen or seen.add(row[0]))][:limit + 1]
        more = len(rows) > limit
        next_cursor = encode_cursor(_Key(*rows[limit - 1][:2])) if more else None
        items = {item.id: item for item in db.session.scalars(_items_statement(dialect),
                                                              {"item_ids": [row[0] for row in rows[:limit]]})}
        rows = [(items[row[0]], *row[2:]) for row in rows[:limit] if row[0] in items]  # unless deleted since
    rows = rows[:limit]
    page = Page(next_cursor=next_cursor)
    for item, bidang, source_title, kind, read_at, starred_at in rows:
        entry = Entry(item=item, source_title=source_title, source_kind=kind, bidang=bidang,
                      read=read_at is not None, starred=starred_at is not None)
        if words:
            entry.title_html = search.highlight(item.title, words)
            entry.snippet_html = search.snippet(item.text or item.summary, words)
        page.entries.append(entry)
    if marks:
        _marks(kim, page.entries, dialect)
    if page.entries and not words:
        page.newest = encode_cursor(max(page.entries, key=lambda e: (e.item.published_at, e.item.id)).item)
    return page


def sidebar(kim, user):
    """[(source_id, name, bidang, unread items)] of the KIM's subscriptions.

    Unread = the source's items - those this user read: two counts that each walk an index
    (the items of the KIM's sources; the user's read states), where counting the items without
    a read state probed the read states once per item."""
    check_reader(user, kim)
    return db.session.execute(_sidebar_statement(), {"kim_id": kim.id, "user_id": user.id}).all()


@lru_cache(maxsize=1)
def _sidebar_statement():
    """Built once, its KIM and reader required parameters (see _page_statement)."""
    kim_id, user_id = _SLOT_KIM.id, _SLOT_USER.id
    subscribed = and_(Subscription.source_id == Item.source_id, Subscription.kim_id == kim_id)
    totals = (select(Item.source_id, func.count().label("n")).join(Subscription, subscribed)
              .group_by(Item.source_id).subquery("totals"))
    read = (select(Item.source_id, func.count().label("n")).select_from(ReadState)
            .join(Item, Item.id == ReadState.item_id).join(Subscription, subscribed)
            .where(ReadState.user_id == user_id, ReadState.read_at.is_not(None))
            .group_by(Item.source_id).subquery("read"))
    name = func.coalesce(func.nullif(Subscription.title, ""), Source.title, Source.url)
    return (select(Source.id, name, Subscription.bidang, func.coalesce(totals.c.n, 0) - func.coalesce(read.c.n, 0))
            .join(Subscription, Subscription.source_id == Source.id).where(Subscription.kim_id == kim_id)
            .outerjoin(totals, totals.c.source_id == Source.id).outerjoin(read, read.c.source_id == Source.id)
            .order_by(func.lower(name)))


# --- items, read state, bookmarks ------------------------------------------------------------

def readable_item(user, item_id):
    """The item if one of the user's KIMs has it (admins: any item). Raises."""
    item = db.session.get(Item, item_id)
    if item is None:
        raise NotFound(_l("No such item."))
    if is_admin(user):
        return item
    if reached_by([m.kim_id for m in user.active_memberships], item):
        return item
    if monitors_item(user, item):
        return item
    raise NotFound(_l("No such item."))  # not 403: do not confirm what other KIMs read


def read_state(user, item):
    """The user's ReadState of the item, or None."""
    return db.session.get(ReadState, (user.id, item.id))


def set_read(user, item, read=True, state=False):
    """Mark one item read or unread for this user (the caller commits). Returns whether anything
    changed: an item already so (opened again, say) costs no write. `state`: read_state(), if
    the caller has it (the session keeps no row that is not there, nor one nobody holds)."""
    now = utcnow()
    if state is False:
        state = read_state(user, item)
    if (state is not None and state.read_at is not None) == read:
        return False
    first = read and (state is None or (state.read_at is None and state.first_read_at is None))
    values = {"read_at": now if read else None}
    if first:
        values["first_read_at"] = now
    stmt = upsert_insert()(ReadState).values(user_id=user.id, item_id=item.id, **values)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["user_id", "item_id"], set_=values))
    if first:  # Akses: counted once per person and item, ever (unread and read again is no new read)
        record_event("item.read", actor=user, kim=reading_kim(user, item), obj=item)
    return True


def reading_kim(user, item):
    """The KIM a read counts for: the first of the reader's KIMs that has the item (None for a
    reader outside every KIM that has it, such as a coordinator or an admin)."""
    for m in user.active_memberships:
        if reached_by([m.kim_id], item):
            return m.kim
    return None


def set_starred(user, item, starred=True):
    """Bookmark (Disimpan) or un-bookmark an item (the caller commits)."""
    now = utcnow()
    stmt = upsert_insert()(ReadState).values(user_id=user.id, item_id=item.id, starred_at=now if starred else None)
    db.session.execute(stmt.on_conflict_do_update(index_elements=["user_id", "item_id"],
                                                  set_={"starred_at": now if starred else None}))


def state_of(user, item, state=False):
    """(read, starred) of the item for this user; `state` as for set_read."""
    if state is False:
        state = read_state(user, item)
    return (state is not None and state.read_at is not None, state is not None and state.starred_at is not None)


def mark_all_read(kim, user, filters: Filters, upto):
    """Mark read every item of this (filtered) view up to the newest one shown, so that what
    arrived meanwhile stays unread. Returns how many items changed."""
    check_reader(user, kim)
    position = decode_cursor(upto)
    if not isinstance(position, tuple):
        raise BadRequest(_l("The page marker is not valid."), field="upto")
    now = utcnow()
    ids = select(Item.id).select_from(Item).join(
        Subscription, and_(Subscription.source_id == Item.source_id, Subscription.kim_id == kim.id)).join(
        Source, Source.id == Item.source_id).outerjoin(
        ReadState, and_(ReadState.item_id == Item.id, ReadState.user_id == user.id))
    ids = _filtered(ids, Filters(**{**filters.__dict__, "unread": True}))
    published, item_id = position
    ids = ids.where(tuple_(Item.published_at, Item.id) <=
                    tuple_(bindparam("u_published", published, type_=UTCDateTime()), bindparam("u_id", item_id)))
    words = search.terms(filters.q)
    if words:
        ids, _rank = search.apply(ids, db.session.get_bind().dialect.name, words,
                                  search.tokens(_source_ids(kim, filters)))
    chosen = [] if filters.shared else db.session.scalars(ids).all()
    if not words and not filters.bidang:  # and what other KIMs shared with it, and its own posts
        for part in _extras(kim, user, Filters(**{**filters.__dict__, "unread": True})):
            part = part.with_only_columns(Item.id, maintain_column_froms=True).where(
                tuple_(Item.published_at, Item.id) <= tuple_(bindparam("s_published", published, type_=UTCDateTime()),
                                                             bindparam("s_id", item_id)))
            chosen += db.session.scalars(part).all()
        chosen = list(dict.fromkeys(chosen))
    if not chosen:
        return 0
    insert = upsert_insert()
    for start in range(0, len(chosen), 500):
        rows = [{"user_id": user.id, "item_id": i, "read_at": now} for i in chosen[start:start + 500]]
        stmt = insert(ReadState).values(rows)
        db.session.execute(stmt.on_conflict_do_update(index_elements=["user_id", "item_id"],
                                                      set_={"read_at": stmt.excluded.read_at}))
    return len(chosen)


def source_recent(item, limit=5):
    """Other recent items of the same source."""
    if item.source_id is None:
        return []
    return db.session.scalars(select(Item).where(Item.source_id == item.source_id, Item.id != item.id)
                              .order_by(Item.published_at.desc(), Item.id.desc()).limit(limit)).all()
