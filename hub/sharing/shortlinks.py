"""Short links for messages to the community (/s/<code>).

A code is random (eight characters of a 62-letter alphabet: nobody can count through the items
or bounce through the hub to any feed's links) and is made only for an item a KIM stands behind:
its own published post, or an item some KIM checked or disseminated. An item flagged as hoaks
keeps its code, but the link stops leading anywhere while the flag stands.
"""
import secrets
import string

from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import Dissemination, ItemCheck, Post, ShortLink

ALPHABET = string.ascii_letters + string.digits
LENGTH = 8


def vouched(item) -> bool:
    """A KIM stands behind the item: its published post, or checked or disseminated by a KIM."""
    return bool(db.session.scalar(select(or_(
        exists().where(Post.item_id == item.id, Post.status == "published"),
        exists().where(ItemCheck.item_id == item.id),
        exists().where(Dissemination.item_id == item.id)))))


def code_for(item):
    """The item's short code, made on first use; None if no KIM stands behind the item."""
    found = db.session.scalar(select(ShortLink.code).where(ShortLink.item_id == item.id))
    if found is not None or not vouched(item):
        return found
    for _ in range(5):
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        try:
            with db.session.begin_nested():
                db.session.add(ShortLink(code=code, item_id=item.id))
            db.session.commit()
            return code
        except IntegrityError:  # the item got its code in a parallel request, or the code was taken
            found = db.session.scalar(select(ShortLink.code).where(ShortLink.item_id == item.id))
            if found is not None:
                return found
    raise RuntimeError("no free short code")


def item_for(code):
    """The item behind a code, or None (unknown codes, and malformed ones, alike)."""
    if not code or len(code) > 16 or any(c not in ALPHABET for c in code):
        return None
    link = db.session.get(ShortLink, code)
    return link.item if link is not None else None
