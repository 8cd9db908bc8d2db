"""Check before spreading: checks, hoaks flags, disseminations, the WhatsApp summary, short links."""
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
from flask_babel import get_locale
from flask_babel import gettext as _

from ..accounts.access import (
    can_manage_kim,
    current_actor,
    is_admin,
    is_coordinator,
    is_officer,
    kim_member_required,
    login_required,
)
from ..errors import DomainError
from ..extensions import db
from ..models import utcnow
from ..posts.service import post_of_item
from ..sharing import review, shortlinks, whatsapp
from ..timefmt import format_local
from ..urls import public_base_url
from .forms import CheckForm, DisseminationForm, FlagForm
from .reading import submit_item_form
from .util import refused

bp = Blueprint("review", __name__)


@bp.route("/item/<int:item_id>/check", methods=["POST"])
@login_required
def check(item_id):
    def action(user, item, kim, form):
        review.record_check(item, kim, actor=user, note=form.note.data, links=form.links.data)
        flash(_("Check recorded for %(kim)s.", kim=kim.name), "success")
        return "#periksa"
    return submit_item_form(item_id, CheckForm, "check_form", action)


@bp.route("/item/<int:item_id>/flag", methods=["POST"])
@login_required
def flag(item_id):
    def action(user, item, kim, form):
        _mark, warned = review.flag(item, kim, actor=user, kind=form.kind.data, reason=form.reason.data)
        flash(_("Flag recorded; %(n)d other KIMs were warned.", n=len(warned)), "success")
        return "#periksa"
    return submit_item_form(item_id, FlagForm, "flag_form", action)


@bp.route("/flag/<int:flag_id>/withdraw", methods=["POST"])
@login_required
def withdraw(flag_id):
    user = current_actor()
    mark = review.get_flag(flag_id)
    if not can_manage_kim(user, mark.kim):
        abort(403)
    try:
        review.withdraw_flag(mark, actor=user)
    except DomainError as exc:
        refused(exc)
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("Flag withdrawn."), "success")
    return redirect(url_for("reading.item", item_id=mark.item_id, keep="unread") + "#periksa")


@bp.route("/item/<int:item_id>/disseminate", methods=["POST"])
@login_required
def disseminate(item_id):
    def action(user, item, kim, form):
        review.disseminate(item, kim, actor=user, channel=form.channel.data, audience=form.audience.data or 0,
                           note=form.note.data)
        flash(_("Dissemination recorded for %(kim)s.", kim=kim.name), "success")
        return "#diseminasi"
    return submit_item_form(item_id, DisseminationForm, "dissemination_form", action)


def short_url(item) -> str:
    """The address to put in a message: a short link for an item a KIM stands behind, else the
    item's own address (a post's public page, or the original)."""
    code = shortlinks.code_for(item)
    if code is not None:
        return f"{public_base_url().rstrip('/')}/s/{code}"
    post = post_of_item(item)
    if post is not None:
        return url_for("posts.show", post_id=post.id, _external=True)
    return item.url


@bp.route("/s/<code>")
def short(code):
    """Short links for WhatsApp: a post's public page, or the original of a fetched item. While a
    hoaks flag stands, the link leads nowhere and says why."""
    item = shortlinks.item_for(code)
    if item is None:
        abort(404)
    if review.active_flags([item.id]):
        return render_template("errors/error.html", code=410, message=_(
            "A KIM has flagged this information as a hoax or misleading, so this link no longer leads "
            "to it. Please do not pass it on.")), 410
    post = post_of_item(item)
    if post is not None:
        return redirect(url_for("posts.show", post_id=post.id), 302)
    if not item.url.startswith(("http://", "https://")):
        abort(404)
    return redirect(item.url, 302)


WA_WINDOW = timedelta(days=30)
WA_MAX = 15


@bp.route("/kim/<slug>/ringkasan-wa")
@kim_member_required
def whatsapp_summary(kim):
    candidates = review.ready_for_community(kim, since=utcnow() - WA_WINDOW)
    chosen_ids = [int(v) for v in request.args.getlist("item") if v.isdigit()][:WA_MAX]
    by_id = {i.id: i for i in candidates}
    chosen = [by_id[i] for i in chosen_ids if i in by_id]
    message = ""
    if chosen:
        today = format_local(utcnow(), current_app.config["HUB_TIMEZONE"], str(get_locale()), True)
        heading = _("Info from %(kim)s, %(date)s", kim=kim.name, date=today)
        message = whatsapp.summary(heading, [(i.title, i.summary, short_url(i)) for i in chosen])
    elif request.args.getlist("item"):
        flash(_("Choose items from the list."), "error")
    elif request.args.get("make"):  # the button pressed with nothing ticked
        flash(_("Tick at least one item for the summary."), "error")
    return render_template("sharing/whatsapp.html", kim=kim, candidates=candidates, chosen={i.id for i in chosen},
                           message=message, wa_link=whatsapp.share_link(message) if message else "", limit=WA_MAX)


def whatsapp_link(item) -> str:
    """The item page's 'share on WhatsApp' link: title and short link."""
    return whatsapp.share_link(f"*{item.title}*\n{short_url(item)}")


def review_context(user, item, kims, flags):
    """What the item page shows and offers about checks, flags and disseminations: `kims`, the
    user's KIMs that have the item; `flags`, its flags (review.flags_of)."""
    officer_kims = [k for k in kims if is_officer(user, k)] or ([] if not is_admin(user) else kims)
    checked = {k.id for k in kims if review.is_checked(k, item)}
    monitoring = not kims and is_coordinator(user)
    return {
        "checks": review.checks_of(item),
        "flags": flags,
        "standing_flags": [f for f in flags if f.withdrawn_at is None],
        # a coordinator (in no KIM that has it) sees every KIM's disseminations, read-only
        "disseminations": review.disseminations_of(item, None if monitoring else [k.id for k in kims]),
        "monitoring": monitoring,
        "member_kims": kims,
        "officer_kims": officer_kims,
        "checked_kims": checked,
        # KIMs that may disseminate it: checked by them, or their own post
        "ready_kims": [k for k in kims if k.id in checked or k.id == item.kim_id],
        "whatsapp_link": whatsapp_link(item),
    }
