"""Which KIMs a coordinator oversees: the whole kabupaten (kabupaten coordinators and admins)
or the kecamatan they coordinate."""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..accounts.access import coordinated_kecamatan, is_coordinator
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..models import Kim
from ..sharing.service import reached_by


@dataclass(frozen=True)
class Scope:
    kecamatan: frozenset | None  # None: the whole kabupaten

    @property
    def whole(self) -> bool:
        return self.kecamatan is None

    def covers(self, kim) -> bool:
        return self.kecamatan is None or kim.kecamatan in self.kecamatan

    def label(self, kabupaten):
        if self.kecamatan is None:
            return str(_l("Kabupaten %(k)s", k=kabupaten))
        return str(_l("Kecamatan %(k)s", k=", ".join(sorted(self.kecamatan))))


def _canonical_kecamatan(name):
    """The kecamatan as the KIMs spell it (the argument may differ in case or be a slug)."""
    from ..text import slugify
    wanted = (name or "").strip()
    for known in db.session.scalars(select(Kim.kecamatan).distinct()):
        if known.lower() == wanted.lower() or slugify(known) == wanted.lower():
            return known
    return None


def scope_for(user, kecamatan=None) -> Scope:
    """The user's scope, narrowed to one kecamatan when asked. Members and officers, and a
    kecamatan coordinator asking for another kecamatan, are refused (403)."""
    if user is None or not is_coordinator(user):
        raise Forbidden(_l("Only coordinators see the monitoring pages."))
    own = coordinated_kecamatan(user)
    if not kecamatan:
        return Scope(None if own is None else frozenset(own))
    name = _canonical_kecamatan(kecamatan)
    if own is not None and (name or kecamatan) not in own:
        raise Forbidden(_l("You do not coordinate Kecamatan %(k)s.", k=kecamatan))
    if name is None:
        raise NotFound(_l("No such kecamatan."))
    return Scope(frozenset([name]))


def _active_in(scope, *columns):
    """A select of these columns over the scope's active KIMs."""
    stmt = select(*columns).where(Kim.active.is_(True))
    if scope.kecamatan is not None:
        stmt = stmt.where(Kim.kecamatan.in_(sorted(scope.kecamatan)))
    return stmt


def kims_in(scope):
    """The active KIMs of the scope, by kecamatan and name."""
    return db.session.scalars(_active_in(scope, Kim).order_by(Kim.kecamatan, Kim.name)).all()


def kecamatan_of(scope):
    if scope.kecamatan is not None:
        return sorted(scope.kecamatan)
    return list(db.session.scalars(_active_in(scope, Kim.kecamatan).distinct().order_by(Kim.kecamatan)))


def monitors_item(user, item) -> bool:
    """A coordinator reads (read-only) every item held by a KIM of their scope."""
    if user is None or not is_coordinator(user):
        return False
    own = coordinated_kecamatan(user)
    scope = Scope(None if own is None else frozenset(own))
    return reached_by(list(db.session.scalars(_active_in(scope, Kim.id))), item)
