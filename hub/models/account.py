"""People and their roles: users, KIM memberships, coordinator roles, API tokens, login failures."""
import secrets

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, joinedload, lazyload, mapped_column, relationship

from ..extensions import db
from ..vocabulary import ROLES, one_of
from .types import UTCDateTime, utcnow


def new_auth_stamp() -> str:
    return secrets.token_hex(8)


class User(db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    # Changes whenever the password changes or the account is deactivated, which ends every
    # session and remember-me cookie issued before (it is part of the Flask-Login id).
    auth_stamp: Mapped[str] = mapped_column(String(32), nullable=False, default=new_auth_stamp)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_login_at = mapped_column(UTCDateTime)

    memberships = relationship("Membership", back_populates="user", lazy="selectin",
                               order_by="Membership.id")
    coordinator_roles = relationship("CoordinatorRole", back_populates="user", lazy="selectin",
                                     order_by="CoordinatorRole.id")

    # Flask-Login protocol
    @property
    def is_authenticated(self):
        return True

    @property
    def is_active(self):
        return self.active

    @property
    def is_anonymous(self):
        return False

    def get_id(self):
        # "<id>:<auth stamp>:<key of the server-side session>" (hub.accounts.sessions)
        return f"{self.id}:{self.auth_stamp}:{getattr(self, 'login_key', '')}"

    @property
    def active_memberships(self):
        return [m for m in self.memberships if m.active and m.kim.active]

    @property
    def active_coordinator_roles(self):
        return [c for c in self.coordinator_roles if c.active]

    def __repr__(self):
        return f"<User {self.email}>"


def with_roles(path=None):
    """Loader options that bring a user's memberships (with their KIMs) and coordinator roles in
    the statement that loads the user, for the lookups every request makes (a login session, an
    API token): one round trip instead of three. `path`: the relationship that leads to the user
    (ApiToken.user); None when the statement selects User itself."""
    if path is None:
        return (joinedload(User.memberships), joinedload(User.coordinator_roles))
    to_user = joinedload(path)
    return (to_user.joinedload(User.memberships), to_user.joinedload(User.coordinator_roles))


def named(path):
    """Loader option for people a page only names (who checked, shared, commented): joined to the
    statement that loads what they did, without the memberships and roles that loading a User
    brings (two more statements each time; they load on access, should anything ask)."""
    return joinedload(path).options(lazyload(User.memberships), lazyload(User.coordinator_roles))


class Membership(db.Model):
    """A person belongs to a KIM as anggota (member) or pengurus (officer)."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False)
    kim_id: Mapped[int] = mapped_column(ForeignKey("kim.id"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(16), nullable=False, default="anggota")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    user = relationship("User", back_populates="memberships")
    kim = relationship("Kim", lazy="joined")

    __table_args__ = (
        UniqueConstraint("user_id", "kim_id"),
        CheckConstraint(one_of("role", ROLES), name="role"),
    )


class CoordinatorRole(db.Model):
    """Coordinator of one kecamatan, or of the whole kabupaten when kecamatan is NULL."""

    __tablename__ = "coordinator_role"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False, index=True)
    kabupaten: Mapped[str] = mapped_column(String(120), nullable=False)
    kecamatan: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    user = relationship("User", back_populates="coordinator_roles")


class ApiToken(db.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False, index=True)
    name: Mapped[str] = mapped_column(String(80), nullable=False, default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    prefix: Mapped[str] = mapped_column(String(12), nullable=False)
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = mapped_column(UTCDateTime, nullable=False)
    last_used_at = mapped_column(UTCDateTime)
    revoked_at = mapped_column(UTCDateTime)

    user = relationship("User")

    def usable(self, now) -> bool:
        return self.revoked_at is None and self.expires_at > now


class LoginSession(db.Model):
    """One logged-in browser. The session and remember-me cookies carry a random key whose
    SHA-256 is kept here; logging out ends the row, so a copied or replayed cookie is refused."""

    __tablename__ = "login_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), nullable=False, index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    ip: Mapped[str] = mapped_column(String(64), nullable=False, default="")
    user_agent: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    created_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    last_seen_at = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    ended_at = mapped_column(UTCDateTime)

    user = relationship("User")


class LoginThrottle(db.Model):
    """Failed logins of one account from one address, counted atomically (hub.accounts.throttle).

    Kept in the database rather than process memory so that every gunicorn worker and every web
    node sees the same count. Keyed by account *and* address: wrong passwords typed elsewhere
    never slow down the account's owner, nor one person's mistakes the rest of the village
    behind the same address.
    """

    __tablename__ = "login_throttle"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(255), nullable=False)
    ip: Mapped[str] = mapped_column(String(64), nullable=False)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_try_at = mapped_column(UTCDateTime, nullable=False, default=utcnow, index=True)
    next_try_at = mapped_column(UTCDateTime)  # no try before this (the progressive delay)

    __table_args__ = (UniqueConstraint("email", "ip"),)
