"""A KIM's sources: subscribe (with discovery and a preview), rename, change bidang,
unsubscribe, OPML import and export. Officers of the KIM and admins only."""
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..accounts.access import current_actor, kim_manager_required
from ..aggregation import service
from ..aggregation.discover import DiscoveryError, discover
from ..errors import DomainError
from ..extensions import db
from ..vocabulary import BIDANG, KIND_LABELS
from .forms import OpmlImportForm, PostForm, SourceForm, SubscriptionForm
from .util import form_status, page_number, refused

bp = Blueprint("sources", __name__)


@bp.route("/kim/<slug>/sources")
@kim_manager_required
def index(kim):
    pagination = db.paginate(service.subscriptions_query(kim), page=page_number(),
                             per_page=current_app.config["HUB_PAGE_SIZE"], error_out=False)
    forms = {s.id: SubscriptionForm(formdata=None, obj=s, prefix=f"s{s.id}") for s in pagination.items}
    return render_template("sources/index.html", kim=kim, pagination=pagination, forms=forms,
                           bidang=BIDANG, kinds=KIND_LABELS, post_form=PostForm())


@bp.route("/kim/<slug>/sources/new", methods=["GET", "POST"])
@kim_manager_required
def add(kim):
    form = SourceForm()
    candidates = None
    if form.validate_on_submit():
        chosen = request.form.get("feed", "").strip()
        try:
            if chosen:  # step 2: the officer picked one of the feeds shown
                subscription = service.subscribe(kim, chosen, bidang=form.bidang.data, kind=form.kind.data,
                                                 title=form.title.data or "", actor=current_actor())
                db.session.commit()
                flash(_("%(kim)s now follows %(name)s. Its items arrive with the next refresh.",
                        kim=kim.name, name=service.display_name(subscription)), "success")
                return redirect(url_for("sources.index", slug=kim.slug))
            url = service.normalize_url(form.url.data)  # step 1: find the feed and show it
            candidates = discover(url, allow_private=current_app.config["HUB_ALLOW_PRIVATE_FEEDS"])
            # what the preview found fills the next step: the feed's own name, a kind from its address
            form.title.data = form.title.data or candidates[0].title[:500]
            form.kind.data = service.guess_kind(candidates[0].url, candidates[0].title)
        except DiscoveryError as exc:
            form.url.errors = [str(exc)]
        except DomainError as exc:
            refused(exc, form)
    return render_template("sources/new.html", kim=kim, form=form, candidates=candidates), form_status(form)


def _subscription_or_404(kim, subscription_id):
    return service.get_subscription(kim, subscription_id)


@bp.route("/kim/<slug>/sources/<int:subscription_id>", methods=["POST"])
@kim_manager_required
def edit(kim, subscription_id):
    subscription = _subscription_or_404(kim, subscription_id)
    form = SubscriptionForm(prefix=f"s{subscription.id}")
    if form.validate_on_submit():
        service.update_subscription(subscription, title=form.title.data or "", bidang=form.bidang.data,
                                    actor=current_actor())
        db.session.commit()
        flash(_("The subscription was saved."), "success")
    else:
        flash(_("Choose a bidang from the list."), "error")
    return redirect(url_for("sources.index", slug=kim.slug))


@bp.route("/kim/<slug>/sources/<int:subscription_id>/delete", methods=["POST"])
@kim_manager_required
def delete(kim, subscription_id):
    subscription = _subscription_or_404(kim, subscription_id)
    name = service.display_name(subscription)
    service.unsubscribe(subscription, actor=current_actor())
    db.session.commit()
    flash(_("%(kim)s no longer follows %(name)s. Items already received are kept.", kim=kim.name, name=name),
          "success")
    return redirect(url_for("sources.index", slug=kim.slug))


@bp.route("/kim/<slug>/sources/import", methods=["GET", "POST"])
@kim_manager_required
def import_opml(kim):
    """Upload -> preview (nothing saved; the file travels back in a hidden field) -> confirm -> report."""
    form = OpmlImportForm()
    report, opml_text, confirmed = None, "", False
    if request.method == "POST":
        confirming = bool(request.form.get("opml_text"))
        if confirming:
            form.file.validators = []  # the file came with the preview
        if form.validate_on_submit():
            data = request.form["opml_text"].encode("utf-8") if confirming else form.file.data.read()
            try:
                report = service.import_opml(kim, data, default_bidang=form.bidang.data, kind=form.kind.data,
                                             actor=current_actor(), dry_run=not confirming)
            except DomainError as exc:
                refused(exc, form)
            else:
                if confirming:
                    db.session.commit()
                    confirmed = True
                else:
                    opml_text = data.decode("utf-8", "replace")
    status = form_status(form)
    return render_template("sources/import.html", kim=kim, form=form, report=report, confirmed=confirmed,
                           opml_text=opml_text, bidang=BIDANG), status


@bp.route("/kim/<slug>/sources.opml")
@kim_manager_required
def export_opml(kim):
    return Response(service.export_kim_opml(kim), mimetype="text/x-opml",
                    headers={"Content-Disposition": f'attachment; filename="{kim.slug}-langganan.opml"'})
