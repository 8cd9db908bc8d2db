"""Diskusi: the members of every KIM that holds an item (it follows the source, received it, or
wrote it) discuss it together; replies go one level deep; a mention of a KIM (@slug) is kept
so the KIM can be told; the KIM's officers (and hub admins) hide a comment with a reason, which
stays in the record."""
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.access import can_manage_kim
from ..errors import Conflict, Forbidden, Invalid
from ..events import record_event
from ..extensions import db, get_or_refuse
from ..models import Comment, Kim, named, utcnow
from ..sharing.service import acting_for, require_reach
from . import notifications

MAX_BODY = 2000
_MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9-]{0,63})")


def mentioned_kims(body):
    """Active KIMs named as @slug in a comment."""
    slugs = set(_MENTION.findall(body or ""))
    if not slugs:
        return []
    return db.session.scalars(select(Kim).where(Kim.slug.in_(slugs), Kim.active.is_(True)).order_by(Kim.name)).all()


def add_comment(item, kim, *, actor, body, parent=None):
    """A member writes, as a member of a KIM that holds the item, a comment or a reply to one."""
    acting_for(actor, kim)
    require_reach(kim, item)
    body = (body or "").strip()
    if not body:
        raise Invalid(_l("Write something first."), field="body")
    if len(body) > MAX_BODY:
        raise Invalid(_l("The text is too long (at most %(n)d characters).", n=MAX_BODY), field="body")
    if parent is not None:
        if parent.item_id != item.id:
            raise Invalid(_l("That comment is about another item."), field="parent")
        if parent.parent_id is not None:
            parent = parent.parent  # replies stay one level deep: a reply to a reply joins its thread
    row = Comment(item_id=item.id, kim_id=kim.id, user_id=actor.id, parent=parent, body=body, created_at=utcnow())
    db.session.add(row)
    mentions = [k for k in mentioned_kims(body) if k.id != kim.id]
    record_event("comment.created", actor=actor, kim=kim, obj=row,
                 data={"item_id": item.id, "parent_id": parent.id if parent else None,
                       "mentions": [k.id for k in mentions]})
    link = f"/item/{item.id}?keep=unread#komentar-{row.id}"
    for mentioned in mentions:  # the people of a KIM named with @slug are told
        notifications.notify(notifications.members_of([mentioned.id]), "mention", f"mention:{row.id}:{mentioned.id}",
                             kim_id=mentioned.id, link=link, skip={actor.id},
                             data={"title": item.title, "by": actor.name, "kim": kim.name})
    if parent is not None and parent.user_id is not None:  # and whoever started the thread
        notifications.notify([parent.user_id], "reply", f"reply:{row.id}", kim_id=parent.kim_id, link=link,
                             skip={actor.id}, data={"title": item.title, "by": actor.name})
    return row, mentions


def get_comment(comment_id):
    return get_or_refuse(Comment, comment_id, _l("No such comment."))


def hide(comment, *, actor, reason):
    """The commenting KIM's officers or a hub admin hide a comment, saying why."""
    if not can_manage_kim(actor, comment.kim):
        raise Forbidden(_l("Only the officers of the KIM it was written for may hide it."))
    if comment.hidden_at is not None:
        raise Conflict(_l("This comment is hidden already."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_l("Say why it is hidden."), field="reason")
    comment.hidden_at, comment.hidden_by_id, comment.hidden_reason = utcnow(), actor.id, reason[:MAX_BODY]
    record_event("comment.hidden", actor=actor, kim=comment.kim, obj=comment, data={"item_id": comment.item_id})
    return comment


def thread(item):
    """[(comment, [replies])] of the item, oldest first; hidden ones included (shown as hidden)."""
    rows = db.session.scalars(select(Comment).options(selectinload(Comment.kim), named(Comment.user))
                              .where(Comment.item_id == item.id).order_by(Comment.created_at, Comment.id)).all()
    replies = {}
    for row in rows:
        if row.parent_id is not None:
            replies.setdefault(row.parent_id, []).append(row)
    return [(row, replies.get(row.id, [])) for row in rows if row.parent_id is None]
