"""Linimasa (the timeline), the item page, read state and bookmarks."""
from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from ..accounts.access import current_actor, login_required
from ..aspirasi import discussion
from ..errors import DomainError, NotFound
from ..extensions import db
from ..kims.service import get_kim
from ..reading import timeline as service
from ..sharing import review
from ..sharing.service import kims_in, kims_reached, tree_for
from ..vocabulary import BIDANG, CHANNEL_LABELS, FLAG_LABELS, KIND_LABELS, STATUS_LABELS
from . import CSP_ITEM
from .auth import safe_next
from .forms import CheckForm, CommentForm, DisseminationForm, FlagForm, ShareForm
from .i18n import labels
from .main import kim_looked_at
from .util import refused

bp = Blueprint("reading", __name__)


def _current_kim(user):
    kims = service.readable_kims(user)
    slug = request.args.get("kim")
    if not slug:  # the KIM the member looked at last
        looked_at = kim_looked_at(user)
        return (looked_at if looked_at in kims else (kims[0] if kims else None)), kims
    if slug:
        try:
            # the member's own KIMs came with their login; another is looked up (and refused)
            kim = next((k for k in kims if k.slug == slug), None) or get_kim(slug)
            service.check_reader(user, kim)
        except DomainError as exc:
            abort(404 if isinstance(exc, NotFound) else 403)
        return kim, kims
    return (kims[0] if kims else None), kims


@bp.route("/linimasa")
@login_required
def timeline():
    user = current_actor()
    kim, kims = _current_kim(user)
    if kim is None:
        return render_template("reading/no_kim.html")
    filters = service.filters_from(request.args)
    try:
        page = service.timeline(kim, user, filters, cursor=request.args.get("cursor") or None)
    except DomainError:
        abort(400)
    sources = service.sidebar(kim, user)
    # labels translated once here, not once per entry
    return render_template("reading/timeline.html", kim=kim, kims=kims, page=page, filters=filters,
                           sources=sources, unread_total=sum(row[3] for row in sources),
                           bidang=labels(BIDANG), kinds=labels(KIND_LABELS),
                           args={k: v for k, v in request.args.items() if k != "cursor" and v})


@bp.route("/linimasa/mark-all-read", methods=["POST"])
@login_required
def mark_all_read():
    user = current_actor()
    try:
        kim = get_kim(request.form.get("kim", ""))
        count = service.mark_all_read(kim, user, service.filters_from(request.form), request.form.get("upto", ""))
    except DomainError as exc:
        abort(exc.status)
    db.session.commit()
    flash(_("%(n)d items marked as read.", n=count), "success")
    return redirect(safe_next(request.form.get("next")) or url_for("reading.timeline", kim=kim.slug))


@bp.route("/item/<int:item_id>")
@login_required
def item(item_id):
    user = current_actor()
    entry = service.readable_item(user, item_id)
    state = service.read_state(user, entry)
    # opening an item marks it read (one already read is opened without a write)
    if request.args.get("keep") != "unread" and service.set_read(user, entry, True, state=state):
        db.session.commit()
        state = False  # unknown since the write: read again below
    return item_page(user, entry, state=state)


def item_page(user, entry, status=200, state=False, **given):
    """The item page. A refused form comes back through here with what was typed and the
    errors (`given`: share_form, check_form, flag_form, dissemination_form, comment_form), with
    `status`. `state`: the user's read state of the item (service.read_state), if known."""
    from .review import review_context  # those modules' forms come back through here: imported late
    from .sharing import share_context
    read, starred = service.state_of(user, entry, state)
    # the user's KIMs that have the item, and its flags: read once for the share form, the
    # review and the tree
    reached = kims_reached([m.kim_id for m in user.active_memberships], entry)
    own = [m.kim for m in user.active_memberships if m.kim_id in reached]
    flags = review.flags_of(entry)
    context = dict(share_context(own, flags), **review_context(user, entry, own, flags),
                   thread=discussion.thread(entry))
    forms = item_forms(context, given)
    tree = tree_for(user, entry, standing=context["standing_flags"])
    response = make_response(render_template("reading/item.html", item=entry, read=read, starred=starred,
                                             others=service.source_recent(entry),
                                             tree=tree, tree_kims=kims_in(tree), labels=STATUS_LABELS,
                                             channels=CHANNEL_LABELS, flag_labels=FLAG_LABELS,
                                             **context, **forms), status)
    if not session.get("data_saver"):  # with data saver on, nothing is loaded from elsewhere
        response.headers["Content-Security-Policy"] = CSP_ITEM
    return response


def submit_item_form(item_id, form_class, form_name, action, kim_field="kim", aliases=None):
    """A form of the item page (share, check, flag, disseminate, comment): `action(user, item,
    kim, form)` does it and returns where on the page to go back to (it may flash more); refused
    by the form or the service, the page again with what was typed and the error beside its
    field, with the refusal's status."""
    user = current_actor()
    item = service.readable_item(user, item_id)
    form = form_class()
    kim = get_kim(getattr(form, kim_field).data or "")
    status = 422
    if form.validate():
        try:
            anchor = action(user, item, kim, form)
        except DomainError as exc:
            status = refused(exc, form, aliases)
        else:
            db.session.commit()
            return redirect(url_for("reading.item", item_id=item.id, keep="unread") + anchor)
    return item_page(user, item, status, **{form_name: form})


def item_forms(context, given):
    """The item page's forms, their KIM choices from what the user may do; bound ones as given.
    A form the page does not show (no KIM of the user may do it) is not built: None."""
    def form(name, cls, kims):
        if not kims and name not in given:
            return None
        bound = given.get(name) or cls(formdata=None)
        bound.kim.choices = [(k.slug, k.name) for k in kims]
        return bound
    share_form = given.get("share_form") or (ShareForm(formdata=None) if context["share_from"] else None)
    if share_form is not None:
        share_form.from_kim.choices = [(k.slug, k.name) for k in context["share_from"]]
    return {"share_form": share_form, "comment_form": form("comment_form", CommentForm, context["member_kims"]),
            "check_form": form("check_form", CheckForm, context["officer_kims"]),
            "flag_form": form("flag_form", FlagForm, context["officer_kims"]),
            "dissemination_form": form("dissemination_form", DisseminationForm, context["ready_kims"])}


@bp.route("/item/<int:item_id>/<any(read, unread, star, unstar):action>", methods=["POST"])
@login_required
def item_action(item_id, action):
    user = current_actor()
    entry = service.readable_item(user, item_id)
    if action in ("read", "unread"):
        service.set_read(user, entry, action == "read")
    else:
        service.set_starred(user, entry, action == "star")
    db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("reading.item", item_id=entry.id, keep="unread"))
