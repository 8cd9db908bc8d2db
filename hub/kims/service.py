"""KIMs: create, edit, (de)activate, list for the directory."""
import weakref
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..errors import Conflict, Invalid, NotFound
from ..events import record_event
from ..extensions import db, get_or_refuse
from ..models import Kim, Membership, User
from ..text import SLUG_RE, slugify

# field -> (max length, required)
FIELDS = {
    "name": (120, True),
    "nagari": (120, True),
    "kecamatan": (120, True),
    "kabupaten": (120, True),
    "description": (5000, False),
    "contact": (255, False),
    "website": (512, False),
    "feed_url": (2048, False),
}
LABELS = {
    "name": _l("Name"), "nagari": _l("Nagari"), "kecamatan": _l("Kecamatan"),
    "kabupaten": _l("Kabupaten"), "description": _l("Description"), "contact": _l("Contact"),
    "website": _l("Website"), "feed_url": _l("Own feed"),
}


def _clean(values: dict) -> dict:
    out = {}
    for field, (limit, required) in FIELDS.items():
        if field not in values:
            continue
        value = (values[field] or "").strip()
        if required and not value:
            raise Invalid(_l("%(field)s is required.", field=LABELS[field]), field=field)
        if len(value) > limit:
            raise Invalid(_l("%(field)s is too long (at most %(n)d characters).",
                             field=LABELS[field], n=limit), field=field)
        if field in ("website", "feed_url") and value and not value.lower().startswith(("http://", "https://")):
            raise Invalid(_l("%(field)s must be an address starting with http:// or https://.",
                             field=LABELS[field]), field=field)
        out[field] = value
    return out


def check_slug(slug: str) -> str:
    slug = (slug or "").strip().lower()
    if not slug or len(slug) > 64 or not SLUG_RE.match(slug):
        raise Invalid(_l("The slug may hold only lowercase letters, digits and single hyphens "
                         "(at most 64), e.g. tujuah-koto-talago."), field="slug")
    return slug


def get_kim(slug: str) -> Kim:
    kim = db.session.scalar(select(Kim).where(Kim.slug == slug))
    if kim is None:
        raise NotFound(_l("No such KIM."))
    return kim


def create_kim(*, slug, actor=None, **values) -> Kim:
    """Create a KIM; the caller commits."""
    slug = check_slug(slug)
    values = _clean(values)
    for required in ("name", "nagari", "kecamatan", "kabupaten"):
        if required not in values:
            raise Invalid(_l("%(field)s is required.", field=LABELS[required]), field=required)
    if db.session.scalar(select(Kim.id).where(Kim.slug == slug)) is not None:
        raise Conflict(_l("A KIM with this slug already exists."), field="slug")
    kim = Kim(slug=slug, **values)
    db.session.add(kim)
    record_event("kim.created", actor=actor, kim=kim, obj=kim)
    return kim


def update_kim(kim: Kim, *, actor, slug=None, **values) -> Kim:
    """Change a KIM's profile. Only admins pass `slug` (it is part of public URLs)."""
    if slug is not None and slug != kim.slug:
        slug = check_slug(slug)
        if db.session.scalar(select(Kim.id).where(Kim.slug == slug)) is not None:
            raise Conflict(_l("A KIM with this slug already exists."), field="slug")
        kim.slug = slug
    changed = {}
    for field, value in _clean(values).items():
        if getattr(kim, field) != value:
            changed[field] = value
            setattr(kim, field, value)
    record_event("kim.updated", actor=actor, kim=kim, obj=kim, data={"fields": sorted(changed)})
    return kim


def set_kim_active(kim: Kim, active: bool, *, actor) -> Kim:
    """Deactivate a KIM (hidden from the directory, its data kept) or bring it back."""
    if kim.active != active:
        kim.active = active
        record_event("kim.reactivated" if active else "kim.deactivated", actor=actor, kim=kim, obj=kim)
    return kim


def directory_query(kecamatan_slug=None, q=None, include_inactive=False):
    """KIMs ordered by kecamatan then name, optionally narrowed to one kecamatan or a search."""
    stmt = select(Kim).order_by(Kim.kecamatan, Kim.name)
    if not include_inactive:
        stmt = stmt.where(Kim.active.is_(True))
    if q:
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(func.lower(Kim.name).like(like) | func.lower(Kim.nagari).like(like)
                          | func.lower(Kim.slug).like(like))
    if kecamatan_slug:
        names = [k for k in kecamatan_names() if slugify(k) == kecamatan_slug]
        stmt = stmt.where(Kim.kecamatan.in_(names))
    return stmt


def kecamatan_names():
    """Kecamatan of active KIMs, with their KIM counts, ordered by name."""
    return dict(db.session.execute(
        select(Kim.kecamatan, func.count()).where(Kim.active.is_(True))
        .group_by(Kim.kecamatan).order_by(Kim.kecamatan)).all())


class Directory(NamedTuple):
    """The network's KIMs as the pages list them, as of `version` (what the KIM table held),
    each a row (id, slug, name, kecamatan, active): `groups` [(kecamatan, [row, ...])] of the
    active ones, in name order, and their kecamatan `names` (whom a share goes to); `by_name`,
    every KIM, by name (the other side of an exchange, to filter by); and `built`: what the
    pages made of it (their HTML), kept as long as it holds."""
    version: str
    groups: list
    names: list
    by_name: list
    built: dict


# the directory last read through each engine (a process serves one database; tests, many)
_directories = weakref.WeakKeyDictionary()
_DIRECTORY_SQL = "SELECT id, slug, name, kecamatan, active FROM kim ORDER BY kecamatan, name, id"
# what the directory holds, as one value: every KIM's columns as JSON (exact: a name cannot pass
# for two fields), by id; on PostgreSQL its md5, so that 32 characters cross the wire
_VERSION_SQL = {
    "postgresql": "SELECT md5(json_agg(json_build_array(id, slug, name, kecamatan, active) ORDER BY id)::text)"
                  " FROM kim",
    "sqlite": "SELECT json_group_array(json_array(id, slug, name, kecamatan, active))"
              " FROM (SELECT * FROM kim ORDER BY id)",
}


def directory() -> Directory:
    """Every KIM, as of now: what the KIM table holds is checked at every call in one statement
    that answers one value, and the rows are read (as plain values, no objects) and grouped again
    only when it differs from what was read last; while it is the same, the same Directory is
    returned, with what was built from it (a share form's 500 checkboxes were a fifth of an item
    page). Nothing in it belongs to a person: the directory is public."""
    connection = db.session.connection()
    version = connection.exec_driver_sql(_VERSION_SQL[connection.dialect.name]).scalar()
    engine = db.session.get_bind()
    known = _directories.get(engine)
    if known is not None and known.version == version:
        return known
    rows = connection.exec_driver_sql(_DIRECTORY_SQL).all()
    groups = {}
    for row in rows:
        if row.active:
            groups.setdefault(row.kecamatan, []).append(row)
    by_name = sorted(rows, key=lambda row: (row.name.casefold(), row.name, row.id))
    known = Directory(version, list(groups.items()), list(groups), by_name, {})
    _directories[engine] = known
    return known


def get_kim_by_id(kim_id: int) -> Kim:
    return get_or_refuse(Kim, kim_id, _l("No such KIM."))


def officers_of(kim):
    """The KIM's active officers (pengurus)."""
    return db.session.scalars(select(Membership).where(Membership.kim_id == kim.id, Membership.active.is_(True),
                                                       Membership.role == "pengurus")).all()


def members_query(kim):
    """Everyone who is or was a member of the KIM, active first (a statement, for pagination)."""
    return (select(Membership).join(User).where(Membership.kim_id == kim.id)
            .order_by(Membership.active.desc(), User.name))


def active_kims():
    """Active KIMs by name (to choose among)."""
    return db.session.scalars(select(Kim).where(Kim.active.is_(True)).order_by(Kim.name)).all()


def active_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Kim).where(Kim.active.is_(True)))
