"""Retention: old items of sources no KIM follows any more are deleted.

An item is kept whatever its age while any KIM follows its source, and whenever anything of the
network's record points at it: an exchange, a check, a flag, a dissemination, a post, a
comment, a bookmark, an implementasi record or a short link. The rest, older than the admin's setting
(`retention_days`, by when the hub first saw it; 0 keeps everything), goes in batches, with the
plain read marks that point at it.
"""
from datetime import timedelta

from sqlalchemy import and_, delete, exists, select

from ..extensions import db
from ..models import (
    Comment,
    Dissemination,
    Exchange,
    Item,
    ItemCheck,
    ItemFlag,
    Post,
    ReadState,
    ShortLink,
    Subscription,
    activity_item,
    utcnow,
)


def prunable(cutoff):
    """A condition on Item: old, of a source nobody follows, and part of no record."""
    referenced = [exists().where(model.item_id == Item.id)
                  for model in (Exchange, ItemCheck, ItemFlag, Dissemination, Post, ShortLink, Comment)]
    referenced.append(exists().where(activity_item.c.item_id == Item.id))
    referenced.append(exists().where(ReadState.item_id == Item.id, ReadState.starred_at.is_not(None)))
    return and_(Item.source_id.is_not(None), Item.fetched_at < cutoff,
                ~exists().where(Subscription.source_id == Item.source_id), *[~r for r in referenced])


def prune(days, *, now=None, batch=500, progress=None) -> int:
    """Delete what retention allows (committing each batch); returns how many items went."""
    if not days:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=days)
    gone = 0
    while True:
        ids = db.session.scalars(select(Item.id).where(prunable(cutoff)).order_by(Item.id).limit(batch)).all()
        if not ids:
            return gone
        db.session.execute(delete(ReadState).where(ReadState.item_id.in_(ids)))
        db.session.execute(delete(Item).where(Item.id.in_(ids)))
        db.session.commit()
        gone += len(ids)
        if progress:
            progress(gone)
