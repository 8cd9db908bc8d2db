"""Notifications in the hub: a new exchange in a KIM's inbox, a hoaks warning on an item it
holds, a new aspiration, an aspiration turning late, a mention of the KIM, a reply. Each is
created once per person and happening (its key), whatever the retries: the insert ignores a key
the person has already."""
from sqlalchemy import func, select, update

from ..extensions import db, upsert_insert
from ..models import Aspiration, Membership, Notification, User, utcnow


def members_of(kim_ids, officers_only=False):
    """Ids of the active users with an active membership of these KIMs."""
    if not kim_ids:
        return []
    stmt = (select(Membership.user_id).join(User, User.id == Membership.user_id)
            .where(Membership.kim_id.in_(list(kim_ids)), Membership.active.is_(True), User.active.is_(True)))
    if officers_only:
        stmt = stmt.where(Membership.role == "pengurus")
    return sorted(set(db.session.scalars(stmt)))


def notify(user_ids, kind, key, *, kim_id=None, link="", data=None, skip=()):
    """One notification per person (those in `skip` left out, e.g. whoever caused it)."""
    rows = [{"user_id": uid, "key": key[:120], "kind": kind, "kim_id": kim_id, "link": link[:300], "data": data or {},
             "created_at": utcnow()} for uid in sorted(set(user_ids) - set(skip))]
    if rows:
        insert = upsert_insert()
        db.session.execute(insert(Notification).on_conflict_do_nothing(index_elements=["user_id", "key"]), rows)
    return len(rows)


def unread_query(user):
    """The count of the person's unread notifications (a statement)."""
    return select(func.count()).select_from(Notification).where(Notification.user_id == user.id,
                                                                Notification.read_at.is_(None))


def unread_count(user) -> int:
    return db.session.scalar(unread_query(user))


def of_user(user):
    """The person's notifications, unread first, newest first (a statement, for pagination)."""
    return (select(Notification).where(Notification.user_id == user.id)
            .order_by(Notification.read_at.is_not(None), Notification.created_at.desc(), Notification.id.desc()))


def mark_read(user, ids=None):
    """Mark the person's notifications read (these ids, or all); returns how many."""
    stmt = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    return db.session.execute(stmt.values(read_at=utcnow()).execution_options(synchronize_session=False)).rowcount


def remind_late(today):
    """Tell the officers of each KIM about its aspirations that turned late (once each, by the
    key): run by the worker with the retention pass, and by `flask aspirations remind`."""
    from .service import OPEN, late_condition  # the service notifies through this module
    late = db.session.scalars(select(Aspiration).where(late_condition(today))).all()
    made = 0
    for row in late:
        stage = "forward" if row.status in OPEN else "answer"
        made += notify(members_of([row.kim_id], officers_only=True), "aspiration_late",
                       f"aspiration_late:{row.id}:{stage}", kim_id=row.kim_id,
                       link=f"/kim/{row.kim.slug}/aspirasi/{row.id}", data={"title": row.title})
    return made


# --- e-mail digests ---------------------------------------------------------------------------

def _smtp(url):
    """An SMTP connection from HUB_SMTP_URL: smtp://[user:password@]host[:port][?starttls=1] or
    smtps://... (TLS from the start)."""
    import smtplib
    from urllib.parse import parse_qs, unquote, urlsplit
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ValueError("HUB_SMTP_URL must be smtp://host[:port] or smtps://host[:port]")
    if parts.scheme == "smtps":
        conn = smtplib.SMTP_SSL(parts.hostname, parts.port or 465, timeout=30)
    else:
        conn = smtplib.SMTP(parts.hostname, parts.port or 25, timeout=30)
        if parse_qs(parts.query).get("starttls") == ["1"]:
            conn.starttls()
    if parts.username:
        conn.login(unquote(parts.username), unquote(parts.password or ""))
    return conn


def send_digests(smtp_url, sender, base_url, render, now=None):
    """One e-mail per person with unread notifications not yet e-mailed, listing them (`render`
    turns a person's notifications into (subject, text)); they are marked e-mailed, so a digest
    never repeats. Returns how many e-mails went."""
    from email.message import EmailMessage
    now = now or utcnow()
    pending = db.session.scalars(select(Notification).where(Notification.read_at.is_(None),
                                                            Notification.emailed_at.is_(None))
                                 .order_by(Notification.user_id, Notification.created_at)).all()
    by_user = {}
    for row in pending:
        by_user.setdefault(row.user_id, []).append(row)
    if not by_user:
        return 0
    sent = 0
    with _smtp(smtp_url) as conn:
        for user_id, rows in by_user.items():
            person = db.session.get(User, user_id)
            if person is None or not person.active:
                continue
            subject, text = render(person, rows, base_url)
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = sender, person.email, subject
            message.set_content(text)
            conn.send_message(message)
            for row in rows:
                row.emailed_at = now
            db.session.commit()  # each person's digest marked as soon as it went
            sent += 1
    return sent
