"""Users, memberships, coordinator roles, API tokens and the login throttle."""
import secrets
from datetime import timedelta
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, or_, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import Conflict, Invalid, NotFound, Unauthenticated
from ..events import record_event
from ..extensions import db, get_or_refuse
from ..models import ApiToken, CoordinatorRole, Membership, User, utcnow, with_roles
from ..models.account import new_auth_stamp
from ..text import normalize_email, secret_hash
from ..vocabulary import ROLES
from . import passwords, sessions, throttle

TOKEN_PREFIX = "kim_"
# A dummy hash so that an unknown email costs as much time as a wrong password.
_DUMMY_HASH = None


def hash_password(password: str) -> str:
    """Hash with werkzeug's scrypt (a memory-hard KDF) and a random salt."""
    return generate_password_hash(password, method=current_app.config["HUB_PASSWORD_METHOD"])


def check_email(email: str) -> str:
    """Normalize an email address or raise Invalid."""
    email = normalize_email(email)
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise Invalid(_l("That is not a valid email address."), field="email") from None


def check_password_rules(password: str, field="password", *, email=None):
    passwords.check(password, field, email=email)


def _check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid(_l("A name is required."), field="name")
    if len(name) > 120:
        raise Invalid(_l("The name is too long (at most 120 characters)."), field="name")
    return name


def get_user(user_id: int) -> User:
    return get_or_refuse(User, user_id, _l("No such user."))


def find_user_by_email(email: str):
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(email, name, password, *, is_admin=False, actor=None) -> User:
    """Create an account; the caller commits."""
    email = check_email(email)
    name = _check_name(name)
    check_password_rules(password, email=email)
    if find_user_by_email(email) is not None:
        raise Conflict(_l("An account with this email already exists."), field="email")
    user = User(email=email, name=name, password_hash=hash_password(password), is_admin=is_admin)
    db.session.add(user)
    record_event("user.created", actor=actor, obj=user)
    return user


def update_user(user, *, email, name, is_admin, actor) -> User:
    """Change a user's profile and admin flag (by an admin)."""
    email = check_email(email)
    name = _check_name(name)
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise Conflict(_l("An account with this email already exists."), field="email")
    if actor is not None and actor.id == user.id and user.is_admin and not is_admin:
        raise Invalid(_l("You cannot remove your own admin role."), field="is_admin")
    user.email, user.name, user.is_admin = email, name, is_admin
    record_event("user.updated", actor=actor, obj=user)
    return user


def set_user_active(user, active: bool, *, actor) -> User:
    """Deactivate (ends all sessions) or reactivate an account. Nothing is deleted."""
    if actor is not None and actor.id == user.id and not active:
        raise Invalid(_l("You cannot deactivate your own account."))
    if user.active != active:
        user.active = active
        if not active:
            user.auth_stamp = new_auth_stamp()
            sessions.end_all(user)
        record_event("user.reactivated" if active else "user.deactivated", actor=actor, obj=user)
    return user


def set_password(user, password, *, actor, field="password") -> User:
    """Set a new password. Every API token is revoked and every session ends, but the one the
    person changing their own password works in (the caller logs it in again, with the new
    auth stamp)."""
    check_password_rules(password, field, email=user.email)
    user.password_hash = hash_password(password)
    user.auth_stamp = new_auth_stamp()
    keep = getattr(user, "login_session_id", None) if actor is not None and actor.id == user.id else None
    ended = sessions.end_all(user, keep=keep)
    revoked = revoke_all_tokens(user)
    record_event("user.password_changed", actor=actor, obj=user, data={"sessions_ended": ended,
                                                                       "tokens_revoked": revoked})
    return user


def change_password(user, current, new) -> User:
    """A user changes their own password, proving the current one."""
    if not check_password_hash(user.password_hash, current or ""):
        raise Invalid(_l("The current password is wrong."), field="current")
    return set_password(user, new, actor=user, field="new")


# --- login and its throttle -------------------------------------------------------------

def authenticate(email, password, ip) -> User:
    """Return the user for these credentials, or raise Unauthenticated / Throttled.

    The try is counted before the password is looked at (hub.accounts.throttle): wrong
    passwords for one account from one address bring a growing delay, never a lockout.
    """
    email = normalize_email(email)
    ip = (ip or "unknown")[:64]
    claim = throttle.claim(email, ip)
    user = find_user_by_email(email)
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password or "")
    if not ok or user is None:
        throttle.forget_old()
        db.session.commit()
        raise Unauthenticated(_l("Wrong email or password."))
    throttle.succeeded(claim)
    if not user.active:
        db.session.commit()
        raise Unauthenticated(_l("This account has been deactivated. Contact the hub administrator."))
    user.last_login_at = utcnow()
    record_event("user.login", actor=user, obj=user)
    return user


# --- memberships and coordinator roles ---------------------------------------------------

def set_membership(user, kim, role, *, actor, active=True) -> Membership:
    """Add a user to a KIM with a role, or change/reactivate/deactivate that membership."""
    if role not in ROLES:
        raise Invalid(_l("Unknown role."), field="role")
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id, Membership.kim_id == kim.id))
    if membership is None:
        membership = Membership(user=user, kim=kim, role=role, active=active)
        db.session.add(membership)
        record_event("membership.created", actor=actor, kim=kim, obj=membership,
                     data={"user_id": user.id, "role": role})
    else:
        membership.role, membership.active = role, active
        record_event("membership.updated", actor=actor, kim=kim, obj=membership,
                     data={"user_id": user.id, "role": role, "active": active})
    return membership


def grant_coordinator(user, *, kabupaten, kecamatan=None, actor) -> CoordinatorRole:
    """Make a user coordinator of a kecamatan, or of the kabupaten when kecamatan is None."""
    kabupaten = (kabupaten or "").strip()
    kecamatan = (kecamatan or "").strip() or None
    if not kabupaten:
        raise Invalid(_l("A kabupaten is required."), field="kabupaten")
    for role in user.coordinator_roles:
        if role.kabupaten == kabupaten and role.kecamatan == kecamatan:
            role.active = True
            break
    else:
        role = CoordinatorRole(user=user, kabupaten=kabupaten, kecamatan=kecamatan)
        db.session.add(role)
    record_event("coordinator.granted", actor=actor, obj=role,
                 data={"user_id": user.id, "kabupaten": kabupaten, "kecamatan": kecamatan})
    return role


def revoke_coordinator(role: CoordinatorRole, *, actor):
    role.active = False
    record_event("coordinator.revoked", actor=actor, obj=role, data={"user_id": role.user_id})


# --- API tokens --------------------------------------------------------------------------

MAX_TOKEN_DAYS = 365


def token_days(value=None) -> int:
    """Days a new token lives: `value` (1..365) or the hub's default (HUB_TOKEN_DAYS, 90)."""
    if value is None or value == "":
        return current_app.config["HUB_TOKEN_DAYS"]
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TOKEN_DAYS:
        raise Invalid(_l("A token lives from 1 to %(n)d days.", n=MAX_TOKEN_DAYS), field="expires_in_days")
    return value


def create_token(user, name="", days=None) -> tuple[ApiToken, str]:
    """Issue a bearer token that expires after `days` (default HUB_TOKEN_DAYS); returns the row
    and the token text (shown once, never stored)."""
    name = (name or "").strip()[:80]
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(user=user, name=name, token_hash=secret_hash(token), prefix=token[:12], created_at=now,
                   expires_at=now + timedelta(days=token_days(days)))
    db.session.add(row)
    record_event("token.created", actor=user, obj=row)
    return row, token


def user_tokens(user):
    return db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())).all()


def revoke_token(user, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; another user's token is simply not found."""
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_l("No such token."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record_event("token.revoked", actor=user, obj=row)
    return row


def revoke_all_tokens(user) -> int:
    """Revoke every usable token of the user (a password change); returns how many."""
    now = utcnow()
    return db.session.execute(ApiToken.__table__.update().where(
        ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now)
        .values(revoked_at=now)).rowcount


def token_in_use(token: str):
    """The unrevoked, unexpired token row for this text, its user active; else None."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    row = db.session.scalars(_token_lookup(), {"token_hash": secret_hash(token)}).unique().first()
    now = utcnow()
    if row is None or not row.usable(now) or not row.user.active:
        return None
    # one write a minute at most, not one per request
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
        db.session.commit()
    return row


@lru_cache(maxsize=1)
def _token_lookup():
    """The token with its user and the user's roles (every API call asks); built once, the
    token's hash a required parameter."""
    return (select(ApiToken).where(ApiToken.token_hash == bindparam("token_hash", required=True))
            .options(*with_roles(ApiToken.user)))


def users_query(q=""):
    """Every account, active first, by name; `q` narrows by name or email (a statement, for pagination)."""
    stmt = select(User).order_by(User.active.desc(), User.name)
    if q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    return stmt


def active_user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.active.is_(True)))


def get_membership(membership_id: int) -> Membership:
    return get_or_refuse(Membership, membership_id, _l("No such membership."))


def get_coordinator_role(role_id: int) -> CoordinatorRole:
    return get_or_refuse(CoordinatorRole, role_id, _l("No such coordinator role."))
