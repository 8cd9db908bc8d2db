"""What a KIM, a kecamatan or the network publishes: its posts and the items it disseminated,
newest first by when they entered the publication. Flagged items are held back while a flag
stands (a hub does not spread what its KIMs judged hoaks).

Each KIM keeps a publication version (Kim.feed_version, Kim.feed_changed_at), counted up in the
transaction of every change that reaches its feeds, so a follower's conditional GET is answered
from the KIM's row alone, before any entry is read:
- ORM writes are seen at each flush (`_note_flush`): a post, a dissemination or a flag added or
  changed, an item edited (a post's), a KIM's own record edited (deactivated, renamed, moved);
- the two bulk statements that bypass the ORM call `changed()` themselves: the worker's update of
  items edited at their source, and the withdrawal of a flag with its copies.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event, func, inspect, select, union, update
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import Dissemination, Item, ItemFlag, Kim, Post, Source
from ..models.types import utcnow

FEED_SIZE = 50


@dataclass
class Entry:
    item: Item
    kim: Kim  # the publishing KIM
    at: datetime  # published (post) or first disseminated
    bidang: str
    source_title: str  # '' for a post
    is_post: bool


def _not_flagged():
    return ~select(ItemFlag.id).where(ItemFlag.item_id == Item.id, ItemFlag.withdrawn_at.is_(None)).exists()


def entries(kim_ids=None, limit=FEED_SIZE):
    """Newest published entries of these KIMs (None: every active KIM). Both parts walk an index
    newest first and stop early, so a feed costs the same however much a hub has published."""
    posts = select(Item, Kim, Post.published_at, Post.bidang)
    spread = select(Item, Kim, Dissemination.created_at, func.coalesce(Source.title, ""))
    posts = (posts.select_from(Post).join(Item, Item.id == Post.item_id).join(Kim, Kim.id == Post.kim_id)
             .where(Post.status == "published", Kim.active.is_(True), _not_flagged()))
    # an item disseminated again comes back to the top: readers of the feed hear of it again
    spread = (spread.select_from(Dissemination).join(Item, Item.id == Dissemination.item_id)
              .join(Kim, Kim.id == Dissemination.kim_id).where(Kim.active.is_(True), _not_flagged())
              .outerjoin(Source, Source.id == Item.source_id))
    # the newest rows are picked by id first, from the (kim_id,) published_at / created_at indexes
    # alone; joined to a KIM first, the planner would sort every row the hub ever published
    newest_posts = select(Post.id).where(Post.status == "published")
    newest_spread = select(Dissemination.id)
    if kim_ids is not None:
        newest_posts = newest_posts.where(Post.kim_id.in_(kim_ids))
        newest_spread = newest_spread.where(Dissemination.kim_id.in_(kim_ids))
    # each part picks its newest ids in a subquery of its own (planned alone, by its index)
    posts = posts.where(Post.id.in_(newest_posts.order_by(Post.published_at.desc()).limit(limit * 2)))
    spread = spread.where(Dissemination.id.in_(newest_spread.order_by(Dissemination.created_at.desc())
                                               .limit(limit * 3)))
    rows = [Entry(item, kim, at, bidang, "", True) for item, kim, at, bidang in db.session.execute(posts)]
    rows += [Entry(item, kim, at, "", title, False) for item, kim, at, title in db.session.execute(spread)]
    rows.sort(key=lambda e: (e.at, e.item.id), reverse=True)
    return _latest_each(rows, lambda e: e.item.id)[:limit]


def _latest_each(rows, key):
    """An item disseminated several times appears once, at its latest (rows are newest first)."""
    seen, out = set(), []
    for row in rows:
        if key(row) not in seen:
            seen.add(key(row))
            out.append(row)
    return out


def version(kim_ids=None):
    """(how many KIMs, the sum of their versions, when the last of them changed) of these active
    KIMs (None: every one): what a kecamatan's or the network's feed validators are made of. A
    KIM deactivated, moved or added changes the count or its own version."""
    query = select(func.count(Kim.id), func.coalesce(func.sum(Kim.feed_version), 0),
                   func.max(Kim.feed_changed_at)).where(Kim.active.is_(True))
    if kim_ids is not None:
        query = query.where(Kim.id.in_(kim_ids))
    count, total, changed_at = db.session.execute(query).one()
    return count, total, changed_at


def changed(session, *, kim_ids=(), item_ids=()):
    """Count up the publication version of these KIMs and of every KIM that posted or
    disseminated one of these items; in the caller's transaction."""
    targets = []
    if kim_ids:
        targets.append(select(Kim.id).where(Kim.id.in_(sorted(set(kim_ids)))))
    if item_ids:
        items = sorted(set(item_ids))
        targets += [select(Post.kim_id).where(Post.item_id.in_(items)),
                    select(Dissemination.kim_id).where(Dissemination.item_id.in_(items))]
    if not targets:
        return
    ids = targets[0] if len(targets) == 1 else union(*targets)
    # Core statements on the session's connection (they run inside a flush too)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        # the rows locked in one order, so that two writers counting up the same KIMs (two
        # workers' batches, a flag's) wait for each other instead of deadlocking
        ids = connection.execute(select(Kim.id).where(Kim.id.in_(ids)).order_by(Kim.id).with_for_update()).scalars()
        ids = list(ids)
        if not ids:
            return
    # the KIM's updated_at, its record's last edit, is left as it is
    connection.execute(update(Kim.__table__).where(Kim.id.in_(ids)).values(
        feed_version=Kim.feed_version + 1, feed_changed_at=utcnow(), updated_at=Kim.updated_at))


# what of a KIM's own record its feeds show, or decides whether and where they are published
KIM_FIELDS = ("name", "description", "slug", "kecamatan", "kabupaten", "active")


@event.listens_for(Session, "after_flush")
def _note_flush(session, _context):
    kim_ids, item_ids = set(), set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Dissemination) or isinstance(obj, Post) and _post_in_feeds(obj):
            kim_ids.add(obj.kim_id)
        elif isinstance(obj, ItemFlag):
            item_ids.add(obj.item_id)
        elif isinstance(obj, Item):
            if obj.id is not None and session.is_modified(obj, include_collections=False):
                item_ids.add(obj.id)
        elif isinstance(obj, Kim):
            if obj in session.new or _kim_fields_changed(obj):
                kim_ids.add(obj.id)
    kim_ids.discard(None)
    item_ids.discard(None)
    if kim_ids or item_ids:
        changed(session, kim_ids=kim_ids, item_ids=item_ids)


def _post_in_feeds(post):
    """Published, or published until this flush (a draft is in no feed)."""
    return post.status == "published" or inspect(post).attrs.status.history.deleted == ["published"]


def _kim_fields_changed(kim):
    state = inspect(kim)
    return any(state.attrs[name].history.has_changes() for name in KIM_FIELDS)
