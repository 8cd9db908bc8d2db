"""Home page, language switch, health check."""
from functools import lru_cache
from types import SimpleNamespace

from flask import (
    Blueprint,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import bindparam, select, text

from ..accounts.access import coordinated_kecamatan, current_actor, is_coordinator
from ..aspirasi.notifications import unread_query
from ..extensions import db
from ..kims.service import kecamatan_names
from ..sharing.review import unseen_warnings_query
from ..sharing.service import unseen_query
from .auth import safe_next
from .forms import LanguageForm

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    user = current_actor()
    if user is None:
        return render_template("main/landing.html", kecamatan=kecamatan_names())
    scope = coordinated_kecamatan(user)
    return render_template("main/home.html", memberships=user.active_memberships,
                           coordinator=is_coordinator(user), scope=scope)


@bp.route("/lang", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in current_app.config["HUB_LANGUAGES"]:
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data) or url_for("main.home"))


@bp.route("/hemat-data", methods=["POST"])
def data_saver():
    """'Hemat data': hide images (and load none from other sites) on a slow or costly connection."""
    if LanguageForm().validate_on_submit():
        session["data_saver"] = request.form.get("on") == "1"
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


@bp.route("/healthz")
def healthz():
    db.session.execute(text("SELECT 1"))
    return jsonify(status="ok")


def kim_looked_at(actor):
    """The KIM a member is looking at: the one the page is about (its address, or ?kim=) when
    they belong to it, else the one they looked at last, else their first. None outside KIMs."""
    kims = {m.kim.slug: m.kim for m in actor.active_memberships}
    if not kims:
        return None
    slug = (request.view_args or {}).get("slug") or request.args.get("kim")
    if slug in kims:
        if session.get("kim") != slug:
            session["kim"] = slug
        return kims[slug]
    return kims.get(session.get("kim")) or next(iter(kims.values()))


@lru_cache(maxsize=2)
def _counts_statement(with_inbox):
    """The bell's count and (with_inbox) the inbox's, in one statement built once; the person and
    the KIM are required parameters."""
    user = SimpleNamespace(id=bindparam("user_id", required=True))
    counts = [unread_query(user)]
    if with_inbox:
        kim_ids = bindparam("kim_ids", expanding=True, required=True)
        counts += [unseen_query(kim_ids), unseen_warnings_query(kim_ids)]
    return select(*[c.scalar_subquery() for c in counts])


@bp.app_context_processor
def navigation_context():
    actor = current_actor()
    unseen, looked_at, bell = 0, None, 0
    if actor is not None and request.endpoint != "static":
        looked_at = kim_looked_at(actor)
        # the bell's count and (the Inbox link leads to this KIM's inbox) the inbox's, in one
        # round trip: every page shows them
        values = {"user_id": actor.id}
        if looked_at is not None:
            values["kim_ids"] = [looked_at.id]
        bell, *inbox = db.session.execute(_counts_statement("kim_ids" in values), values).one()
        unseen = sum(inbox)
    # where the footer's language and data-saver forms lead back to (a string: a form object
    # built for every page was 2% of a timeline)
    return {"back_here": request.full_path.rstrip("?"),
            "actor": actor, "monitors": actor is not None and is_coordinator(actor),
            "data_saver": bool(session.get("data_saver")), "inbox_unseen": unseen, "kim_looked_at": looked_at,
            "bell": bell}
