"""record_event(): the one sink for the activity log.

Every verb is registered here with its ADINDA activity, so the tag is decided in one place and
an unknown verb is a programming error, not a silent row.
"""
from flask import current_app

from .extensions import db
from .models import Event, utcnow
from .monitoring.rollup import bump

# verb -> ADINDA activity (None: administration of the hub, not a KIM activity)
VERBS = {
    "user.login": None,
    "user.password_changed": None,
    "user.created": None,
    "user.updated": None,
    "user.deactivated": None,
    "user.reactivated": None,
    "token.created": None,
    "token.revoked": None,
    "membership.created": None,
    "membership.updated": None,
    "coordinator.granted": None,
    "coordinator.revoked": None,
    "kim.created": None,
    "kim.updated": None,
    "kim.deactivated": None,
    "kim.reactivated": None,
    "subscription.created": "akses",
    "subscription.deleted": "akses",
    "item.read": "akses",
    "exchange.sent": "networking",
    "exchange.seen": "networking",
    "exchange.passed_on": "networking",
    "exchange.declined": "networking",
    "post.created": "diseminasi",
    "post.updated": "diseminasi",
    "post.published": "diseminasi",
    "post.policy_changed": None,
    "item.checked": "diskusi",  # processing information before it goes out: the KIM discusses it
    "item.flagged": "diskusi",
    "item.flag_withdrawn": "diskusi",
    "item.disseminated": "diseminasi",
    "activity.recorded": "implementasi",  # the dashboard counts the records by the day they were held
    "activity.updated": None,
    "activity.deleted": None,
    "setting.changed": None,
    "comment.created": "diskusi",
    "comment.hidden": None,
    "aspiration.submitted": "aspirasi",
    "aspiration.stepped": "aspirasi",
}


def record_event(verb, *, actor=None, kim=None, obj=None, data=None):
    """Add one event to the current transaction (the caller commits)."""
    if verb not in VERBS:
        raise ValueError(f"unregistered event verb: {verb}")
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()  # the event points at the object's id
    event = Event(
        verb=verb,
        occurred_at=utcnow(),
        activity=VERBS[verb],
        actor_id=getattr(actor, "id", None),
        kim_id=getattr(kim, "id", None),
        object_type=obj.__tablename__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        data=data or {},
    )
    db.session.add(event)
    bump(event, current_app.config["HUB_TIMEZONE"])  # the dashboard's daily rollup, in this transaction
    return event
