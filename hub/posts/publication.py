"""What a KIM, a kecamatan or the network publishes: its posts and the items it disseminated,
newest first by when they entered the publication. Flagged items are held back while a flag
stands (a hub does not spread what its KIMs judged hoaks)."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, union_all

from ..extensions import db
from ..models import Dissemination, Item, ItemFlag, Kim, Post, Source

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


def entries(kim_ids=None, limit=FEED_SIZE, *, versions=False):
    """Newest published entries of these KIMs (None: every active KIM). Both parts walk an index
    newest first and stop early, so a feed costs the same however much a hub has published.

    versions=True: only [(item id, at, item updated_at)] of the same entries, in the same order,
    without loading an item: what a feed's validators are made of."""
    if versions:
        posts = select(Item.id, Post.published_at, Item.updated_at)
        spread = select(Item.id, Dissemination.created_at, Item.updated_at)
    else:
        posts = select(Item, Kim, Post.published_at, Post.bidang)
        spread = select(Item, Kim, Dissemination.created_at, func.coalesce(Source.title, ""))
    posts = (posts.select_from(Post).join(Item, Item.id == Post.item_id).join(Kim, Kim.id == Post.kim_id)
             .where(Post.status == "published", Kim.active.is_(True), _not_flagged()))
    # an item disseminated again comes back to the top: readers of the feed hear of it again
    spread = (spread.select_from(Dissemination).join(Item, Item.id == Dissemination.item_id)
              .join(Kim, Kim.id == Dissemination.kim_id).where(Kim.active.is_(True), _not_flagged()))
    if not versions:
        spread = spread.outerjoin(Source, Source.id == Item.source_id)
    # the newest rows are picked by id first, from the (kim_id,) published_at / created_at indexes
    # alone; joined to a KIM first, the planner would sort every row the hub ever published
    newest_posts = select(Post.id).where(Post.status == "published")
    newest_spread = select(Dissemination.id)
    if kim_ids is not None:
        newest_posts = newest_posts.where(Post.kim_id.in_(kim_ids))
        newest_spread = newest_spread.where(Dissemination.kim_id.in_(kim_ids))
    # each part picks its newest ids in a subquery of its own (planned alone, by its index), and
    # both parts travel in one statement: a feed's validators cost one round trip
    posts = posts.where(Post.id.in_(newest_posts.order_by(Post.published_at.desc()).limit(limit * 2)))
    spread = spread.where(Dissemination.id.in_(newest_spread.order_by(Dissemination.created_at.desc())
                                               .limit(limit * 3)))
    if versions:
        rows = [tuple(row) for row in db.session.execute(union_all(posts, spread))]
        rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
        return _latest_each(rows, lambda row: row[0])[:limit]
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


def last_modified(versions):
    """When the publication last changed: the newest entry or the newest edit of one (from
    entries(versions=True))."""
    times = [max(at, updated) for _id, at, updated in versions]
    return max(times) if times else None
