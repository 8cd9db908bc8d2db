"""Implementasi: what a KIM did offline (a pleno with a nara sumber, a training, kerja bakti, a
visit to a business), recorded by its officers with the day, kind, ADINDA activity,
participants, notes, related items and photos. The dashboard counts them by the day held."""
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.access import can_manage_kim
from ..errors import Forbidden, Invalid
from ..events import record_event
from ..extensions import db, get_or_refuse
from ..models import Activity, Item, Upload, utcnow
from ..monitoring.period import local_today
from ..posts.images import store_image
from ..sharing.service import can_reach
from ..text import row_id
from ..vocabulary import ACTIVITY_KINDS, ADINDA

MAX_PHOTOS = 6
MAX_ITEMS = 10
MAX_PARTICIPANTS = 100_000
LIMITS = {"title": 300, "resource_person": 200, "notes": 5000}


def _officer(user, kim):
    if not can_manage_kim(user, kim):
        raise Forbidden(_l("Only the KIM's officers record its activities."))


def _day(value, today):
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid(_l("Give the day as YYYY-MM-DD."), field="held_on") from None
    if not isinstance(value, date):
        raise Invalid(_l("Give the day the activity was held."), field="held_on")
    if value > today:
        raise Invalid(_l("The day lies in the future; record an activity once it was held."), field="held_on")
    if value.year < 2000:
        raise Invalid(_l("Give the day as YYYY-MM-DD."), field="held_on")
    return value


def _items(kim, item_ids):
    ids = []
    for raw in item_ids or []:
        number = row_id(str(raw))  # a number no row can have would make PostgreSQL refuse the query
        if number is None:
            raise Invalid(_l("'%(v)s' is not an item number.", v=str(raw)[:20]), field="items")
        ids.append(number)
    ids = sorted(set(ids))
    if len(ids) > MAX_ITEMS:
        raise Invalid(_l("At most %(n)d related items.", n=MAX_ITEMS), field="items")
    items = db.session.scalars(select(Item).where(Item.id.in_(ids))).all() if ids else []
    missing = set(ids) - {i.id for i in items}
    for item in items:
        if not can_reach(kim, item):
            missing.add(item.id)
    if missing:
        raise Invalid(_l("Your KIM has no item numbered %(ids)s.", ids=", ".join(map(str, sorted(missing)))),
                      field="items")
    return items


def record_activity(kim, *, actor, held_on, kind, adinda="implementasi", title, participants=0,
                    resource_person="", notes="", item_ids=(), photos=(), upload_dir: Path | None = None,
                    today=None):
    """An officer records an offline activity of the KIM (the caller commits). All or nothing:
    a refused photo keeps nothing."""
    _officer(actor, kim)
    today = today or local_today(current_app.config["HUB_TIMEZONE"])
    held_on = _day(held_on, today)
    if kind not in ACTIVITY_KINDS:
        raise Invalid(_l("Choose the kind of activity."), field="kind")
    if adinda not in ADINDA:
        raise Invalid(_l("Choose the ADINDA activity."), field="adinda")
    values = {"title": (title or "").strip(), "resource_person": (resource_person or "").strip(),
              "notes": (notes or "").strip()}
    if not values["title"]:
        raise Invalid(_l("Say what the activity was."), field="title")
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise Invalid(_l("The text is too long (at most %(n)d characters).", n=limit), field=name)
    try:
        participants = int(participants or 0)
    except (TypeError, ValueError):
        raise Invalid(_l("The participants are a number of people."), field="participants") from None
    if not 0 <= participants <= MAX_PARTICIPANTS:
        raise Invalid(_l("The participants are a number of people."), field="participants")
    items = _items(kim, item_ids)
    photos = [p for p in photos or [] if p is not None]
    if len(photos) > MAX_PHOTOS:
        raise Invalid(_l("At most %(n)d photos.", n=MAX_PHOTOS), field="photos")
    stored = []
    try:
        for stream in photos:
            stored.append(store_image(stream, upload_dir))
    except Invalid as exc:
        for image in stored:
            (upload_dir / image.name).unlink(missing_ok=True)
        raise Invalid(exc.message, field="photos") from None
    row = Activity(kim_id=kim.id, user_id=actor.id, held_on=held_on, kind=kind, adinda=adinda,
                   participants=participants, created_at=utcnow(), items=items, **values)
    db.session.add(row)
    db.session.flush()
    for image in stored:
        db.session.add(Upload(kim_id=kim.id, user_id=actor.id, activity_id=row.id, name=image.name,
                              content_type=image.content_type, width=image.width, height=image.height,
                              size=image.size, alt=values["title"][:300]))
    record_event("activity.recorded", actor=actor, kim=kim, obj=row,
                 data={"kind": kind, "adinda": adinda, "held_on": held_on.isoformat()})
    return row


def get_activity(activity_id):
    return get_or_refuse(Activity, activity_id, _l("No such activity."))


def delete_activity(row, *, actor):
    """An officer removes an activity recorded by mistake (its photos stay stored)."""
    _officer(actor, row.kim)
    record_event("activity.deleted", actor=actor, kim=row.kim, obj=row, data={"title": row.title})
    for upload in db.session.scalars(select(Upload).where(Upload.activity_id == row.id)):
        upload.activity_id = None
    db.session.delete(row)


def activities_of(kim, start=None, end=None):
    """The KIM's activities, latest first (a statement, for pagination); days inclusive."""
    stmt = select(Activity).where(Activity.kim_id == kim.id)
    if start is not None:
        stmt = stmt.where(Activity.held_on >= start)
    if end is not None:
        stmt = stmt.where(Activity.held_on <= end)
    return stmt.order_by(Activity.held_on.desc(), Activity.id.desc())


def activities_by_kim(kim_ids, start, end):
    """{kim_id: [activity, ...]} held start..end (inclusive), latest first, in one query."""
    out = {kim_id: [] for kim_id in kim_ids}
    if kim_ids:
        for row in db.session.scalars(select(Activity).where(Activity.kim_id.in_(kim_ids), Activity.held_on >= start,
                                                             Activity.held_on <= end)
                                      .order_by(Activity.held_on.desc(), Activity.id.desc())):
            out[row.kim_id].append(row)
    return out
