"""Aspirasi: the public form on a KIM's page, the tracking page, and the officers' queue."""
from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from itsdangerous import BadSignature, TimestampSigner

from ..accounts.access import current_actor, kim_manager_required
from ..aspirasi import service
from ..aspirasi.lifecycle import NEXT
from ..errors import DomainError
from ..extensions import db
from ..kims.service import get_kim
from ..monitoring.period import local_today
from ..urls import public_base_url
from ..vocabulary import ASPIRATION_STATUS_LABELS, ASPIRATION_STATUSES
from .forms import AspirationForm, AspirationStepForm, PostForm
from .posts import upload_dir
from .util import form_status, page_number, refused

bp = Blueprint("aspirasi", __name__)


def _signer():
    return TimestampSigner(current_app.config["SECRET_KEY"], salt="aspiration-form")


def form_started() -> str:
    """When the form was shown, signed: a form sent back faster than a person types is a robot's."""
    return _signer().sign(b"shown").decode()


def _seconds_since(started):
    try:
        _value, shown = _signer().unsign(started or "", return_timestamp=True)
    except BadSignature:
        return None
    return (datetime.now(timezone.utc) - shown).total_seconds()


def _category_labels():
    return {c.code: c.label for c in service.categories(active_only=False)}


def _today():
    return local_today(current_app.config["HUB_TIMEZONE"])


@bp.route("/kim/<slug>/aspirasi", methods=["GET", "POST"])
def submit(slug):
    kim = get_kim(slug)
    if not kim.active:
        abort(404)
    form = AspirationForm()
    form.category.choices = [(c.code, c.label) for c in service.categories()]
    status = None
    if form.validate_on_submit():
        age = _seconds_since(form.started.data)
        if form.website.data:  # the honeypot: no person sees this field
            status = 422
            form.form_errors.append(_("Your aspiration could not be taken. Please try again."))
        elif age is None or age < current_app.config["HUB_ASPIRATION_MIN_SECONDS"]:
            status = 422
            form.form_errors.append(_("Please read your aspiration once more, then send it again."))
        else:
            photo = request.files.get("photo")
            try:
                values = {name: getattr(form, name).data or ""
                          for name in ("name", "contact", "nagari", "category", "title", "text")}
                row = service.submit(kim, values, ip=request.remote_addr or "",
                                     photo=photo if photo and photo.filename else None, upload_dir=upload_dir())
            except DomainError as exc:
                status = refused(exc, form)
            else:
                db.session.commit()
                flash(_("Thank you. Your tracking code is %(code)s: keep it to follow your aspiration.",
                        code=row.code), "success")
                return redirect(url_for("aspirasi.track", tracking=row.code))
    form.started.data = form_started()  # a fresh start time with every showing of the form
    return render_template("aspirasi/new.html", kim=kim, form=form), status or form_status(form)


@bp.route("/aspirasi")
def lookup():
    code = (request.args.get("kode") or "").strip()
    if code:
        return redirect(url_for("aspirasi.track", tracking=code.upper()))
    return render_template("aspirasi/lookup.html")


@bp.route("/aspirasi/<tracking>")
def track(tracking):
    view = service.public_view(tracking, _today())
    return render_template("aspirasi/track.html", a=view, labels=ASPIRATION_STATUS_LABELS)


@bp.route("/kim/<slug>/aspirasi/masuk")
@kim_manager_required
def queue(kim):
    args = request.args
    status = args.get("status") if args.get("status") in ASPIRATION_STATUSES else None
    today = _today()
    stmt = service.queue(kim, status=status, category=args.get("category") or None,
                         nagari=(args.get("nagari") or "").strip()[:120] or None, late_only=args.get("late") == "1",
                         today=today)
    pagination = db.paginate(stmt, page=page_number(), per_page=current_app.config["HUB_PAGE_SIZE"], error_out=False)
    categories = service.categories(active_only=False)
    return render_template("aspirasi/queue.html", kim=kim, pagination=pagination, today=today,
                           is_late=service.is_late, labels=ASPIRATION_STATUS_LABELS, categories=categories,
                           category_labels={c.code: c.label for c in categories},
                           args={k: v for k, v in args.items() if k != "page" and v})


@bp.route("/kim/<slug>/aspirasi/<int:aspiration_id>/bagikan", methods=["POST"])
@kim_manager_required
def share(kim, aspiration_id):
    """Share with other KIMs: the aspiration becomes an item (nothing personal in it) and the
    item page's share form takes over."""
    user = current_actor()
    row = service.get_for_officer(kim, aspiration_id, user)
    if not PostForm().validate_on_submit():
        abort(400)
    item = service.as_item(row, actor=user, base_url=public_base_url())
    db.session.commit()
    return redirect(url_for("reading.item", item_id=item.id, keep="unread") + "#bagikan")


@bp.route("/kim/<slug>/aspirasi/<int:aspiration_id>", methods=["GET", "POST"])
@kim_manager_required
def detail(kim, aspiration_id):
    user = current_actor()
    row = service.get_for_officer(kim, aspiration_id, user)
    form = AspirationStepForm()
    form.status.choices = [(s, ASPIRATION_STATUS_LABELS[s]) for s in NEXT[row.status]]
    form.forward_to.choices = [(0, "—")] + [(o.id, o.name) for o in service.offices()]
    if form.validate_on_submit():
        try:
            service.take_step(row, form.status.data or "", actor=user, note=form.note.data or "",
                              forward_to=form.forward_to.data or None, answer=form.answer.data or "")
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            flash(_("Saved: %(status)s.", status=ASPIRATION_STATUS_LABELS[row.status]), "success")
            return redirect(url_for("aspirasi.detail", slug=kim.slug, aspiration_id=row.id))
    return render_template("aspirasi/detail.html", kim=kim, a=row, form=form, labels=ASPIRATION_STATUS_LABELS,
                           category_labels=_category_labels(),
                           late=service.is_late(row, _today())), form_status(form)
