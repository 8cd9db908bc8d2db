"""Aspirations: a citizen submits one to a KIM (no account needed); the KIM's officers verify,
forward, answer and close it, each step with its time, who and a note; the citizen follows it by
its tracking code on a page with nothing personal on it.

Abuse controls here are the ones that need the database: per-address and per-contact limits,
sized so that a whole village behind one mobile address still gets through (PER_IP_HOUR). The
form adds a honeypot field and a minimum fill time.
"""
import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..accounts.access import can_manage_kim
from ..errors import Conflict, Forbidden, Invalid, NotFound, Throttled
from ..events import record_event
from ..extensions import db, get_or_refuse
from ..models import Aspiration, AspirationCategory, AspirationOffice, AspirationStep, Holiday, Upload, utcnow
from ..monitoring.period import local_day
from ..posts.images import store_image
from . import notifications
from .lifecycle import check_step
from .workdays import due_dates

LIMITS = {"name": 120, "contact": 200, "nagari": 120, "title": 200, "text": 5000, "note": 2000, "answer": 5000}
PER_IP_HOUR = 30  # a village sharing one mobile address can still send 20 in an hour
PER_CONTACT_HOUR = 5
PER_CONTACT_DAY = 15
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone
OPEN = ("submitted", "verified", "postponed")  # waiting to be forwarded
_PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _keyed(value: str) -> str:
    """A keyed hash (the hub's secret key): counts per contact or address, unreadable from a dump."""
    if not value:
        return ""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def normalize_contact(contact: str) -> str:
    """A phone number as digits (0812... and +62812... the same), an e-mail in lower case; '' if
    none. Anything else is refused."""
    contact = (contact or "").strip()
    if not contact:
        return ""
    if _EMAIL.match(contact):
        return contact.lower()
    if _PHONE.match(contact):
        digits = re.sub(r"\D", "", contact)
        return "0" + digits[2:] if digits.startswith("62") else digits
    raise Invalid(_l("Give a phone number or an e-mail address, or leave it empty."), field="contact")


def _text(values, field, required=False):
    value = (values.get(field) or "").strip()
    if required and not value:
        raise Invalid(_l("This field is required."), field=field)
    if len(value) > LIMITS[field]:
        raise Invalid(_l("At most %(n)d characters.", n=LIMITS[field]), field=field)
    return value


# the list a hub starts with (migration 0012 writes the same); the admin keeps it from then on
DEFAULT_CATEGORIES = [("infrastruktur", "Infrastruktur (jalan, jembatan, irigasi)"),
                      ("pertanian", "Pertanian dan peternakan"), ("kesehatan", "Kesehatan"),
                      ("pendidikan", "Pendidikan"), ("ekonomi", "Ekonomi dan usaha"),
                      ("keamanan", "Keamanan dan ketertiban"), ("sosial", "Sosial dan bantuan"), ("lainnya", "Lainnya")]


def ensure_categories():
    """Give a hub with no categories at all the starting list."""
    if db.session.scalar(select(func.count()).select_from(AspirationCategory)) == 0:
        db.session.add_all(AspirationCategory(code=code, label=label, active=True)
                           for code, label in DEFAULT_CATEGORIES)
        db.session.flush()


def holidays():
    return frozenset(db.session.scalars(select(Holiday.day)))


def categories(active_only=True):
    stmt = select(AspirationCategory).order_by(AspirationCategory.label)
    if active_only:
        stmt = stmt.where(AspirationCategory.active.is_(True))
    return db.session.scalars(stmt).all()


def offices():
    return db.session.scalars(select(AspirationOffice).where(AspirationOffice.active.is_(True))
                              .order_by(AspirationOffice.kind, AspirationOffice.name)).all()


def _limit(column, key, count, window, now):
    if not key:
        return
    since = now - window
    times = db.session.scalars(select(Aspiration.submitted_at).where(column == key, Aspiration.submitted_at >= since)
                               .order_by(Aspiration.submitted_at).limit(count)).all()
    if len(times) >= count:
        wait = max(1, int((times[0] + window - now).total_seconds()))
        raise Throttled(_l("Too many aspirations from here in a short time. Please try again later."), wait)


def submit(kim, values, *, ip="", now=None, photo=None, upload_dir=None):
    """A citizen's aspiration to an active KIM (`values`: name, contact, nagari, category, title,
    text; `photo`: an uploaded image stream, stored through the image pipeline without its EXIF).
    Returns the new aspiration; its `code` is the tracking code."""
    if not kim.active:
        raise NotFound(_l("No such KIM."))
    now = now or utcnow()
    title, text = _text(values, "title", required=True), _text(values, "text", required=True)
    name, nagari = _text(values, "name"), _text(values, "nagari")
    contact = normalize_contact(_text(values, "contact"))
    category = (values.get("category") or "").strip()
    if db.session.scalar(select(AspirationCategory.code).where(AspirationCategory.code == category,
                                                               AspirationCategory.active.is_(True))) is None:
        raise Invalid(_l("Choose a category from the list."), field="category")
    ip_hash, contact_hash = _keyed(ip), _keyed(contact)
    _limit(Aspiration.ip_hash, ip_hash, PER_IP_HOUR, timedelta(hours=1), now)
    _limit(Aspiration.contact_hash, contact_hash, PER_CONTACT_HOUR, timedelta(hours=1), now)
    _limit(Aspiration.contact_hash, contact_hash, PER_CONTACT_DAY, timedelta(days=1), now)
    forward_due, answer_due = due_dates(local_day(now, current_app.config["HUB_TIMEZONE"]), holidays=holidays())
    image = None
    if photo is not None:
        try:
            image = store_image(photo, upload_dir)
        except Invalid as exc:
            raise Invalid(exc.message, field="photo") from None
    row = Aspiration(code="".join(secrets.choice(CODE_ALPHABET) for _ in range(10)), kim_id=kim.id, name=name,
                     contact=contact, contact_hash=contact_hash, ip_hash=ip_hash, nagari=nagari, category=category,
                     title=title, text=text, status="submitted", submitted_at=now, forward_due=forward_due,
                     answer_due=answer_due, updated_at=now)
    db.session.add(row)
    db.session.flush()
    db.session.add(AspirationStep(aspiration_id=row.id, status="submitted", at=now))
    if image is not None:
        db.session.add(Upload(kim_id=kim.id, aspiration_id=row.id, name=image.name, content_type=image.content_type,
                              width=image.width, height=image.height, size=image.size, alt=title[:300]))
    record_event("aspiration.submitted", kim=kim, obj=row, data={"category": category})
    notifications.notify(notifications.members_of([kim.id], officers_only=True), "aspiration",
                         f"aspiration:{row.id}", kim_id=kim.id, link=f"/kim/{kim.slug}/aspirasi/{row.id}",
                         data={"title": title})
    return row


def get_for_officer(kim, aspiration_id, user):
    """An aspiration of this KIM, for its officers (others: 403; another KIM's: 404)."""
    if not can_manage_kim(user, kim):
        raise Forbidden(_l("Only the KIM's officers handle its aspirations."))
    row = get_or_refuse(Aspiration, aspiration_id, _l("No such aspiration."))
    if row.kim_id != kim.id:
        raise NotFound(_l("No such aspiration."))
    return row


def take_step(row, status, *, actor, note="", forward_to=None, answer="", now=None):
    """An officer moves the aspiration on: verified, postponed, not_ours, archived, forwarded (to an
    office of the list), answered (with the answer) or closed. A step the lifecycle does not allow
    is a Conflict naming the allowed ones."""
    if not can_manage_kim(actor, row.kim):
        raise Forbidden(_l("Only the KIM's officers handle its aspirations."))
    check_step(row.status, status)
    now = now or utcnow()
    note = _text({"note": note}, "note")
    if status == "forwarded":
        office = db.session.get(AspirationOffice, forward_to) if isinstance(forward_to, int) else None
        if office is None or not office.active:
            raise Invalid(_l("Choose where it goes."), field="forward_to")
        row.forwarded_to_id, row.forwarded_at = office.id, now
        tz_name = current_app.config["HUB_TIMEZONE"]
        row.answer_due = due_dates(local_day(row.submitted_at, tz_name), local_day(now, tz_name), holidays())[1]
    elif status == "answered":
        row.answer = _text({"answer": answer}, "answer", required=True)
        row.answered_at = now
    elif status == "closed":
        row.closed_at = now
    row.status, row.updated_at = status, now
    db.session.add(AspirationStep(aspiration_id=row.id, status=status, at=now, by_user_id=actor.id, note=note))
    record_event("aspiration.stepped", actor=actor, kim=row.kim, obj=row, data={"status": status})
    return row


def late_condition(today):
    """is_late in SQL: waiting past its forwarding day, or forwarded and unanswered past its answer day."""
    return ((Aspiration.status.in_(OPEN) & (Aspiration.forward_due < today))
            | ((Aspiration.status == "forwarded") & (Aspiration.answer_due < today)))


def is_late(row, today) -> bool:
    """Not forwarded by its forwarding day, or not answered by its answer day (local days)."""
    if row.status in OPEN:
        return today > row.forward_due
    if row.status == "forwarded":
        return today > row.answer_due
    return False


def public_view(code, today):
    """What the tracking page and the public API show: nothing personal (no name, contact,
    nagari or address; the officers' names neither)."""
    row = db.session.scalar(select(Aspiration).where(Aspiration.code == (code or "").strip().upper()))
    if row is None:
        raise NotFound(_l("No aspiration has this code."))
    label = db.session.scalar(select(AspirationCategory.label).where(AspirationCategory.code == row.category))
    return {"code": row.code, "status": row.status, "category": row.category, "category_label": label,
            "kim": row.kim.name, "title": row.title, "submitted_at": row.submitted_at,
            "history": [{"status": s.status, "at": s.at, "note": s.note} for s in row.steps],
            "answer": row.answer or None, "late": is_late(row, today)}


def queue(kim, status=None, category=None, nagari=None, late_only=False, today=None):
    """The KIM's aspirations for its officers, late ones first, then oldest (a statement)."""
    stmt = select(Aspiration).where(Aspiration.kim_id == kim.id)
    if status:
        stmt = stmt.where(Aspiration.status == status)
    if category:
        stmt = stmt.where(Aspiration.category == category)
    if nagari:
        stmt = stmt.where(func.lower(Aspiration.nagari).like(f"%{nagari.strip().lower()}%"))
    if today is not None:
        late = late_condition(today)
        if late_only:
            stmt = stmt.where(late)
        stmt = stmt.order_by(late.desc())
    return stmt.order_by(Aspiration.submitted_at, Aspiration.id)


# --- the admin's lists ------------------------------------------------------------------------

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def add_category(code, label, *, actor):
    code, label = (code or "").strip().lower(), (label or "").strip()
    if not _CODE.match(code):
        raise Invalid(_l("Only lowercase letters, digits and single hyphens."), field="code")
    if not label or len(label) > 120:
        raise Invalid(_l("Give a name of at most %(n)d characters.", n=120), field="label")
    if db.session.get(AspirationCategory, code) is not None:
        raise Conflict(_l("This category exists already."), field="code")
    row = AspirationCategory(code=code, label=label, active=True)
    db.session.add(row)
    record_event("setting.changed", actor=actor, data={"aspiration_category": code})
    return row


def add_office(name, kind, *, actor):
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise Invalid(_l("Give a name of at most %(n)d characters.", n=200), field="name")
    if kind not in ("dinas", "nagari"):
        raise Invalid(_l("Choose a Dinas or a nagari."), field="kind")
    if db.session.scalar(select(AspirationOffice.id).where(func.lower(AspirationOffice.name) == name.lower())):
        raise Conflict(_l("This office is on the list already."), field="name")
    row = AspirationOffice(name=name, kind=kind, active=True)
    db.session.add(row)
    record_event("setting.changed", actor=actor, data={"aspiration_office": name})
    return row


def add_holiday(day, name, *, actor):
    if day is None:
        raise Invalid(_l("Give the day as YYYY-MM-DD."), field="day")
    if db.session.get(Holiday, day) is not None:
        raise Conflict(_l("This day is on the list already."), field="day")
    row = Holiday(day=day, name=(name or "").strip()[:200])
    db.session.add(row)
    record_event("setting.changed", actor=actor, data={"holiday": day.isoformat()})
    return row


def all_offices():
    return db.session.scalars(select(AspirationOffice).order_by(AspirationOffice.kind, AspirationOffice.name)).all()


def all_holidays(since):
    return db.session.scalars(select(Holiday).where(Holiday.day >= since).order_by(Holiday.day)).all()


# --- for the coordinators ---------------------------------------------------------------------

def counts(kim_ids, utc_start, utc_end, today, tz_name):
    """{kim_id: {"received", "in_time", "late"}} of the aspirations submitted in [utc_start,
    utc_end): late when forwarded or answered after its day, or still waiting past it `today`;
    in time when handled (forwarded, answered, closed, or set aside) without being late.
    kim_ids None: every KIM. Counts only: nothing personal leaves here."""
    stmt = select(Aspiration.kim_id, Aspiration.status, Aspiration.forward_due, Aspiration.answer_due,
                  Aspiration.forwarded_at, Aspiration.answered_at).where(Aspiration.submitted_at >= utc_start,
                                                                         Aspiration.submitted_at < utc_end)
    if kim_ids is not None:
        stmt = stmt.where(Aspiration.kim_id.in_(list(kim_ids)))
    out = {}
    for kim_id, status, forward_due, answer_due, forwarded_at, answered_at in db.session.execute(stmt):
        late = was_late(status, forward_due, answer_due, local_day(forwarded_at, tz_name) if forwarded_at else None,
                        local_day(answered_at, tz_name) if answered_at else None, today)
        row = out.setdefault(kim_id, {"received": 0, "in_time": 0, "late": 0})
        row["received"] += 1
        if late:
            row["late"] += 1
        elif status not in OPEN:
            row["in_time"] += 1
    return out


def was_late(status, forward_due, answer_due, forwarded_day, answered_day, today) -> bool:
    """Forwarded after its day, answered after its day, or still waiting past one of them."""
    if forwarded_day is None:  # never forwarded: late while it waits past its forwarding day
        return status in OPEN and today > forward_due
    if forwarded_day > forward_due:
        return True
    if answered_day is not None:
        return answered_day > answer_due
    return status == "forwarded" and today > answer_due


def by_category(kim_ids, utc_start, utc_end):
    """[(category label, received)] of the aspirations submitted in [utc_start, utc_end), most
    first (the monthly report)."""
    stmt = (select(AspirationCategory.label, func.count())
            .join(Aspiration, Aspiration.category == AspirationCategory.code)
            .where(Aspiration.submitted_at >= utc_start, Aspiration.submitted_at < utc_end)
            .group_by(AspirationCategory.label).order_by(func.count().desc(), AspirationCategory.label))
    if kim_ids is not None:
        stmt = stmt.where(Aspiration.kim_id.in_(list(kim_ids)))
    return db.session.execute(stmt).all()


def as_item(row, *, actor, base_url):
    """The aspiration as an item the KIM can share with other KIMs (when it concerns several
    nagari): its subject, text, category and nagari, never the name or contact. Made once; the
    item travels, and is traced, like any other."""
    if not can_manage_kim(actor, row.kim):
        raise Forbidden(_l("Only the KIM's officers handle its aspirations."))
    if row.item is not None:
        return row.item
    import html

    from ..aggregation.clean import digest, html_text, summarize
    from ..models import Item
    from ..reading.search import index_pending
    label = db.session.scalar(select(AspirationCategory.label).where(AspirationCategory.code == row.category))
    about = f"{label or row.category}" + (f" · {row.nagari}" if row.nagari else "")
    content = f"<p><em>{html.escape(about)}</em></p>" + "".join(
        f"<p>{html.escape(para)}</p>" for para in row.text.split("\n") if para.strip())
    guid = f"aspirasi:{row.code}"
    item = Item(kim_id=row.kim_id, source_id=None, guid=guid, guid_hash=digest(guid),
                url=f"{base_url.rstrip('/')}/aspirasi/{row.code}", title=row.title, content=content,
                text=html_text(content), summary=summarize(html_text(content)), published_at=row.submitted_at,
                fetched_at=utcnow(), updated_at=utcnow())
    db.session.add(item)
    db.session.flush()
    row.item_id = item.id
    index_pending(db.session)
    return item
