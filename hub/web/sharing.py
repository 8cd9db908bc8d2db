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
    is_member,
    kim_member_required,
    login_required,
    may_see_exchange,
)
from ..errors import DomainError
from ..extensions import db
from ..kims.service import get_kim, kecamatan_names
from ..models import STATUSES, Kim
from ..reading import timeline as reading
from ..sharing import review, service
from ..sharing.labels import STATUS_LABELS
from ..timefmt import day_start, parse_day
from .util import page_number

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


def _target_from(form):
    """The recipients chosen in a share or pass-on form."""
    kind = form.get("target")
    if kind == "network":
        return "network"
    if kind == "kecamatan":
        return {"kecamatan": form.get("kecamatan", "")}
    return form.getlist("kims")


def share_context(user, item):
    """What the share form needs: the user's KIMs that have the item, every other active KIM."""
    own = [m.kim for m in user.active_memberships if service.can_reach(m.kim, item)]
    others = db.session.scalars(db.select(Kim).where(Kim.active.is_(True)).order_by(Kim.kecamatan, Kim.name)).all()
    return {"share_from": own, "share_to": others, "all_kecamatan": list(kecamatan_names())}


@bp.route("/item/<int:item_id>/share", methods=["POST"])
@login_required
def share(item_id):
    user = current_actor()
    try:
        item = reading.readable_item(user, item_id)
        from_kim = get_kim(request.form.get("from_kim", ""))
        result = service.share(item, from_kim, _target_from(request.form), actor=user, note=request.form.get("note", ""))
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            abort(exc.status)
        flash(str(exc.message), "error")  # the note typed comes back with the form
        return redirect(url_for("reading.item", item_id=item_id, keep="unread", note=request.form.get("note", "")[:2000])
                        + "#bagikan")
    db.session.commit()
    names = ", ".join(e.to_kim.name for e in result.exchanges)
    flash(_("Shared with %(kims)s.", kims=names), "success")
    if result.skipped:
        flash(_("Skipped, they already had it: %(kims)s.", kims=", ".join(k.name for k in result.skipped)), "info")
    return redirect(url_for("reading.item", item_id=item_id, keep="unread") + "#riwayat")


def _exchange_list(kim, direction, template, **extra):
    filters = exchange_filters(request.args)
    pagination = db.paginate(service.exchanges(kim, direction, filters), page=page_number(),
                             per_page=current_app.config["HUB_PAGE_SIZE"], error_out=False)
    others = db.session.scalars(db.select(Kim).where(Kim.id != kim.id).order_by(Kim.name)).all()
    flagged = review.active_flags([ex.item_id for ex in pagination.items])
    return render_template(template, kim=kim, pagination=pagination, filters=filters, labels=STATUS_LABELS,
                           flagged=flagged,
                           direction=direction, others=others, all_kecamatan=list(kecamatan_names()),
                           args={k: v for k, v in request.args.items() if k != "page" and v}, **extra)


@bp.route("/kim/<slug>/inbox")
@kim_member_required
def inbox(kim):
    warnings = db.session.scalars(review.warnings(kim).limit(20)).all()
    unseen_warnings = {w.id for w in warnings if w.seen_at is None}
    response = _exchange_list(kim, "received", "sharing/inbox.html", warnings=warnings,
                              unseen_warnings=unseen_warnings)
    if unseen_warnings:  # shown once as new, then seen
        review.mark_warnings_seen(kim, actor=current_actor())
        db.session.commit()
    return response


@bp.route("/kim/<slug>/terkirim")
@kim_member_required
def sent(kim):
    return _exchange_list(kim, "sent", "sharing/inbox.html", warnings=[], unseen_warnings=set())


def _exchange_for(user, exchange_id):
    try:
        exchange = service.get_exchange(exchange_id)
    except DomainError:
        abort(404)
    if not may_see_exchange(user, exchange):
        abort(404)
    return exchange


@bp.route("/exchange/<int:exchange_id>")
@login_required
def exchange(exchange_id):
    user = current_actor()
    ex = _exchange_for(user, exchange_id)
    if is_member(user, ex.to_kim) and ex.status == "sent":
        service.mark_seen(ex, user)  # opening it marks it seen
        db.session.commit()
    return render_template("sharing/exchange.html", ex=ex, labels=STATUS_LABELS,
                           flags=review.active_flags([ex.item_id]).get(ex.item_id, []),
                           can_act=is_member(user, ex.to_kim) and ex.status in ("sent", "seen"),
                           kims=db.session.scalars(db.select(Kim).where(Kim.active.is_(True)).order_by(Kim.name)).all(),
                           all_kecamatan=list(kecamatan_names()))


@bp.route("/exchange/<int:exchange_id>/<any('pass-on', decline):action>", methods=["POST"])
@login_required
def act(exchange_id, action):
    user = current_actor()
    ex = _exchange_for(user, exchange_id)
    try:
        if action == "decline":
            service.decline(ex, request.form.get("reason", ""), actor=user)
            message = _("Declined.")
        else:
            result = service.pass_on(ex, _target_from(request.form), actor=user, note=request.form.get("note", ""))
            message = _("Passed on to %(kims)s.", kims=", ".join(e.to_kim.name for e in result.exchanges))
    except DomainError as exc:
        db.session.rollback()
        if exc.status == 403:
            abort(403)
        flash(str(exc.message), "error")
        return redirect(url_for("sharing.exchange", exchange_id=ex.id))
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("sharing.inbox", slug=ex.to_kim.slug))
