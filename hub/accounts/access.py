"""Who may do what: the one place where access rules live.

Checks (`is_member`, `can_manage_kim`, ...) are plain functions of a user and an object, used by
services, views and the API alike. Decorators wrap views: a missing login raises 401 (the web
turns it into a redirect to the login page, the API into JSON), a missing right raises 403.
"""
from functools import wraps

from flask import g
from flask_login import current_user
from sqlalchemy import select
from werkzeug.exceptions import Forbidden, NotFound, Unauthorized

from ..extensions import db
from ..models import Kim


def current_actor():
    """The user behind this request: the API token's user, or the logged-in session user."""
    user = g.get("api_user")
    if user is not None:
        return user
    if g.get("api_request"):
        return None  # the API never falls back to the session cookie
    # the real object, not the proxy: it may be stored (login_user) or compared
    return current_user._get_current_object() if current_user.is_authenticated else None


# --- checks ------------------------------------------------------------------------------

def membership_of(user, kim):
    """The user's active membership of an active KIM (a deactivated KIM has no one acting for it)."""
    if user is None or not user.active or kim is None or not kim.active:
        return None
    for m in user.memberships:
        if m.kim_id == kim.id and m.active:
            return m
    return None


def is_member(user, kim) -> bool:
    """Any active membership (anggota or pengurus) of this KIM."""
    return membership_of(user, kim) is not None


def is_officer(user, kim) -> bool:
    m = membership_of(user, kim)
    return m is not None and m.role == "pengurus"


def is_admin(user) -> bool:
    return bool(user is not None and user.active and user.is_admin)


def can_manage_kim(user, kim) -> bool:
    """Act as the KIM's officers do (its profile, sources, checks, flags, publishing): its
    officers and hub admins."""
    return is_admin(user) or is_officer(user, kim)


def can_act_for(user, kim) -> bool:
    """Act as any member of the KIM does (read its timeline and inbox, share, disseminate): its
    members and hub admins."""
    return is_admin(user) or is_member(user, kim)


def may_see_kim(user, kim) -> bool:
    """A deactivated KIM is seen only by hub admins; an active one by everyone."""
    return kim.active or is_admin(user)


def coordinated_kecamatan(user):
    """None when the user oversees the whole hub (kabupaten coordinator or admin), else the set
    of kecamatan names they coordinate (empty: no coordinator role)."""
    if is_admin(user):
        return None
    if user is None or not user.active:
        return set()
    scope = set()
    for role in user.active_coordinator_roles:
        if role.kecamatan is None:
            return None
        scope.add(role.kecamatan)
    return scope


def is_coordinator(user) -> bool:
    scope = coordinated_kecamatan(user)
    return scope is None or bool(scope)


def coordinates_kim(user, kim) -> bool:
    """The user oversees this KIM: admin, kabupaten coordinator, or coordinator of its kecamatan."""
    if kim is None:
        return False
    scope = coordinated_kecamatan(user)
    return scope is None or kim.kecamatan in scope


def receives(user, exchange) -> bool:
    """The user is a member of the KIM that received the exchange: opening it marks it seen, and
    they pass it on or decline it."""
    return is_member(user, exchange.to_kim)


def may_see_exchange(user, exchange) -> bool:
    """Either end's members, admins, and coordinators overseeing either end (read-only)."""
    ends = [k for k in (exchange.to_kim, exchange.from_kim) if k is not None]
    return is_admin(user) or any(is_member(user, k) or coordinates_kim(user, k) for k in ends)


# --- decorators --------------------------------------------------------------------------

def _require_actor():
    user = current_actor()
    if user is None or not user.active:
        raise Unauthorized()
    return user


def login_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        _require_actor()
        return view(*args, **kwargs)
    return wrapper


def admin_required(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not is_admin(_require_actor()):
            raise Forbidden()
        return view(*args, **kwargs)
    return wrapper


def kim_access(check):
    """Load the KIM named by the `slug` view argument into `kim`, then require check(user, kim).

    An inactive KIM is only visible to admins.
    """
    def decorator(view):
        @wraps(view)
        def wrapper(*args, slug, **kwargs):
            user = _require_actor()
            # a KIM of the user's came with their login; any other is looked up
            kim = next((m.kim for m in user.active_memberships if m.kim.slug == slug), None) \
                or db.session.scalar(select(Kim).where(Kim.slug == slug))
            if kim is None or not may_see_kim(user, kim):
                raise NotFound()
            if not check(user, kim):
                raise Forbidden()
            return view(*args, kim=kim, **kwargs)
        return wrapper
    return decorator


kim_manager_required = kim_access(can_manage_kim)
kim_member_required = kim_access(can_act_for)
