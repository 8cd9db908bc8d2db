"""Bagikan (share), Kotak Masuk (inbox), exchanges and how an item travelled."""
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from ..accounts.access import (
    current_actor,
    kim_member_required,
    login_required,
    may_see_exchange,
    receives,
)
from ..errors import DomainError
from ..extensions import db
from ..kims.service import directory
from ..sharing import review, service
from ..timefmt import day_start, parse_day
from ..vocabulary import STATUS_LABELS, STATUSES
from .forms import DeclineForm, ShareForm, TargetForm
from .reading import submit_item_form
from .util import KimPicker, page_number, refused

bp = Blueprint("sharing", __name__)



def exchange_filters(args):
    """Filters of the inbox and the sent list from the query string; the period is in local days."""
    tz_name = current_app.config["HUB_TIMEZONE"]

    def day(name, shift=0):
        value = parse_day(args.get(name))
        return None if value is None else day_start(value + timedelta(days=shift), tz_name)
    status = args.get("status")
    return service.ExchangeFilters(status=status if status in STATUSES else None,
                                   other=(args.get("kim") or "").strip()[:64] or None,
                                   kecamatan=(args.get("kecamatan") or "").strip()[:120] or None,
                                   since=day("since"), until=day("until", 1))


def share_context(own, flags):
    """What the share form needs: `own`, the user's KIMs that have the item; every other active
    KIM by kecamatan; and, of the item's `flags` (review.flags_of), the standing one that makes
    it go out as a warning."""
    kims = directory()
    share_to = KimPicker(kims, frozenset(k.id for k in own) if len(own) == 1 else frozenset())
    return {"share_from": own, "share_to": share_to, "all_kecamatan": kims.names,
            "warning_flag": next((f for f in flags if f.withdrawn_at is None), None)}


@bp.route("/item/<int:item_id>/share", methods=["POST"])
@login_required
def share(item_id):
    def action(user, item, from_kim, form):
        result = service.share(item, from_kim, form.to(), actor=user, note=form.note.data,
                               as_warning=bool(form.as_warning.data))
        names = ", ".join(e.to_kim.name for e in result.exchanges)
        flash(_("Warning sent to %(kims)s.", kims=names) if form.as_warning.data
              else _("Shared with %(kims)s.", kims=names), "success")
        if result.skipped:
            flash(_("Skipped, they already had it: %(kims)s.", kims=", ".join(k.name for k in result.skipped)),
                  "info")
        return "#riwayat"
    return submit_item_form(item_id, ShareForm, "share_form", action, kim_field="from_kim", aliases=TARGET_FIELDS)


TARGET_FIELDS = {"to": "kims", "note": "note", "as_warning": "as_warning"}


def _exchange_list(kim, direction, template, **extra):
    filters = exchange_filters(request.args)
    pagination = db.paginate(service.exchanges(kim, direction, filters), page=page_number(),
                             per_page=current_app.config["HUB_PAGE_SIZE"], error_out=False)
    kims = directory()
    flagged = review.flag_marks([ex.item_id for ex in pagination.items])
    return render_template(template, kim=kim, pagination=pagination, filters=filters, labels=STATUS_LABELS,
                           flagged=flagged,
                           direction=direction, kims=kims, all_kecamatan=kims.names,
                           args={k: v for k, v in request.args.items() if k != "page" and v}, **extra)


@bp.route("/kim/<slug>/inbox")
@kim_member_required
def inbox(kim):
    warnings = db.session.scalars(review.warnings(kim).limit(20)).all()
    unseen_warnings = {w.id for w in warnings if w.seen_at is None}
    user = current_actor()
    # a member of several KIMs moves between their inboxes, each with what waits there
    other_inboxes = [(m.kim, service.unseen_count([m.kim_id]) + review.unseen_warnings([m.kim_id]))
                     for m in user.active_memberships if m.kim_id != kim.id]
    response = _exchange_list(kim, "received", "sharing/inbox.html", warnings=warnings,
                              unseen_warnings=unseen_warnings, other_inboxes=other_inboxes)
    if unseen_warnings:  # shown once as new, then seen
        review.mark_warnings_seen(kim, actor=current_actor())
        db.session.commit()
    return response


@bp.route("/kim/<slug>/terkirim")
@kim_member_required
def sent(kim):
    return _exchange_list(kim, "sent", "sharing/inbox.html", warnings=[], unseen_warnings=set(), other_inboxes=[])


def _exchange_for(user, exchange_id):
    exchange = service.get_exchange(exchange_id)
    if not may_see_exchange(user, exchange):
        abort(404)
    return exchange


@bp.route("/exchange/<int:exchange_id>")
@login_required
def exchange(exchange_id):
    user = current_actor()
    ex = _exchange_for(user, exchange_id)
    if receives(user, ex) and ex.status == "sent":
        service.mark_seen(ex, user)  # opening it marks it seen
        db.session.commit()
    return exchange_page(user, ex)


def exchange_page(user, ex, status=200, pass_on_form=None, decline_form=None):
    """A received exchange; a refused pass-on or decline comes back here with what was typed."""
    kims = directory()
    return render_template("sharing/exchange.html", ex=ex, labels=STATUS_LABELS,
                           flags=review.active_flags([ex.item_id]).get(ex.item_id, []),
                           can_act=receives(user, ex) and ex.status in ("sent", "seen"),
                           kims=KimPicker(kims, frozenset([ex.to_kim_id])), all_kecamatan=kims.names,
                           pass_on_form=pass_on_form or TargetForm(formdata=None),
                           decline_form=decline_form or DeclineForm(formdata=None)), status


@bp.route("/exchange/<int:exchange_id>/<any('pass-on', decline):action>", methods=["POST"])
@login_required
def act(exchange_id, action):
    user = current_actor()
    ex = _exchange_for(user, exchange_id)
    form = DeclineForm() if action == "decline" else TargetForm()
    status = 422
    if form.validate():
        try:
            if action == "decline":
                service.decline(ex, form.reason.data, actor=user)
                message = _("Declined.")
            else:
                result = service.pass_on(ex, form.to(), actor=user, note=form.note.data,
                                         as_warning=bool(form.as_warning.data))
                message = _("Passed on to %(kims)s.", kims=", ".join(e.to_kim.name for e in result.exchanges))
        except DomainError as exc:
            status = refused(exc, form, TARGET_FIELDS)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("sharing.inbox", slug=ex.to_kim.slug))
    return exchange_page(user, ex, status, **{"decline_form" if action == "decline" else "pass_on_form": form})
