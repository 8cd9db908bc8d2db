"""Logged-in browsers, kept on the server.

Flask's session cookie is signed, not stored: without a record on the server, a cookie copied
before logging out would still work. Each login starts a LoginSession with a random key; the
key travels in the Flask-Login id ("<user id>:<auth stamp>:<key>", in the session and the
remember-me cookie) and only its SHA-256 is stored. Logging out, a password change and
deactivation end the rows, and an ended row refuses its cookie.
"""
import secrets
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from sqlalchemy import bindparam, select, update

from ..extensions import db
from ..models import LoginSession, User, utcnow, with_roles
from ..text import secret_hash

SEEN_EVERY = timedelta(minutes=5)  # last_seen_at is written at most this often


def start(user, *, ip="", user_agent="") -> str:
    """A new session for the user (its key is set on the user, for User.get_id); the caller
    commits, then calls Flask-Login's login_user."""
    key = secrets.token_urlsafe(24)
    db.session.add(LoginSession(user=user, key_hash=secret_hash(key), ip=(ip or "")[:64],
                                user_agent=(user_agent or "")[:200]))
    user.login_key = key
    return key


def load(login_id_value: str):
    """The user behind a login id, if its session is still open (else None)."""
    user_id, stamp, key = (login_id_value.split(":", 2) + ["", ""])[:3]
    if not user_id.isdigit() or not key or len(key) > 64:
        return None
    found = db.session.execute(_lookup(), {"key_hash": secret_hash(key)}).unique().first()
    now = utcnow()
    row, user = found if found is not None else (None, None)
    if row is None or row.ended_at is not None or row.user_id != int(user_id) or now - row.last_seen_at > idle():
        return None
    if not user.active or user.auth_stamp != stamp:
        return None
    if now - row.last_seen_at > SEEN_EVERY:
        row.last_seen_at = now
        db.session.commit()
    user.login_key = key
    user.login_session_id = row.id
    return user


@lru_cache(maxsize=1)
def _lookup():
    """The session, its user and the user's roles in one round trip (every page asks); built
    once, the key's hash a required parameter."""
    return (select(LoginSession, User).join(User, User.id == LoginSession.user_id)
            .where(LoginSession.key_hash == bindparam("key_hash", required=True)).options(*with_roles()))


def end(user) -> None:
    """End the session this request runs in (logging out)."""
    session_id = getattr(user, "login_session_id", None)
    if session_id is not None:
        end_one(user, session_id)


def end_all(user, *, keep=None) -> int:
    """End every open session of the user (but `keep`, a session id); returns how many."""
    stmt = update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
    if keep is not None:
        stmt = stmt.where(LoginSession.id != keep)
    return db.session.execute(stmt.values(ended_at=utcnow())).rowcount


def idle():
    """A session unused this long is over (as long as a remember-me cookie lives)."""
    return timedelta(seconds=current_app.config["REMEMBER_COOKIE_DURATION"])


def open_sessions(user):
    """The user's sessions still open, most recently used first (those idle too long are over)."""
    return db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id,
                                                         LoginSession.ended_at.is_(None),
                                                         LoginSession.last_seen_at > utcnow() - idle())
                              .order_by(LoginSession.last_seen_at.desc())).all()


def end_one(user, session_id: int) -> bool:
    """End one of the user's own sessions (from the account page); False if not theirs/open."""
    return db.session.execute(update(LoginSession).where(LoginSession.id == session_id,
                                                         LoginSession.user_id == user.id,
                                                         LoginSession.ended_at.is_(None))
                              .values(ended_at=utcnow())).rowcount == 1
