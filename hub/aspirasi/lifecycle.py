"""Which step an aspiration may take next. Diajukan (submitted) -> Diverifikasi (verified; or
Ditunda postponed / Bukan wewenang not_ours / Diarsipkan archived) -> Diteruskan (forwarded) ->
Ditanggapi (answered) -> Selesai (closed). No database, no Flask."""
from flask_babel import lazy_gettext as _l

from ..errors import Conflict, Invalid
from ..vocabulary import ASPIRATION_STATUSES

NEXT = {
    "submitted": ("verified", "postponed", "not_ours", "archived"),
    "postponed": ("verified", "not_ours", "archived"),  # taken up again, or set aside for good
    "verified": ("forwarded", "archived"),
    "forwarded": ("answered",),
    "answered": ("closed",),
    "not_ours": ("closed",),  # the submitter was told where to go instead
    "archived": (),
    "closed": (),
}


def check_step(old: str, new: str):
    """Refuse a step the lifecycle does not allow, naming the ones it does (a Conflict, 409)."""
    if new not in ASPIRATION_STATUSES:
        raise Invalid(_l("Unknown status."), field="status")
    if new not in NEXT[old]:
        allowed = ", ".join(NEXT[old]) or "-"
        raise Conflict(_l("An aspiration that is '%(old)s' cannot become '%(new)s' (allowed: %(allowed)s).",
                          old=old, new=new, allowed=allowed), field="status", allowed=list(NEXT[old]))
