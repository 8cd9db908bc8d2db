"""Notifikasi: the bell's page. Opening one marks it read and leads to where it points."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from ..accounts.access import current_actor, login_required
from ..aspirasi import notifications as service
from ..extensions import db, get_or_refuse
from ..models import Notification
from ..text import row_id
from .forms import PostForm
from .util import page_number

bp = Blueprint("notifications", __name__)


@bp.route("/notifikasi")
@login_required
def index():
    user = current_actor()
    pagination = db.paginate(service.of_user(user), page=page_number(), per_page=current_app.config["HUB_PAGE_SIZE"],
                             error_out=False)
    return render_template("notifications/index.html", pagination=pagination, read_form=PostForm())


@bp.route("/notifikasi/<int:notification_id>")
@login_required
def open_one(notification_id):
    user = current_actor()
    row = get_or_refuse(Notification, notification_id, "")
    if row.user_id != user.id:
        abort(404)
    service.mark_read(user, [row.id])
    db.session.commit()
    return redirect(row.link if row.link.startswith("/") and not row.link.startswith("//") else url_for("main.home"))


@bp.route("/notifikasi/baca", methods=["POST"])
@login_required
def read_all():
    user = current_actor()
    if PostForm().validate_on_submit():
        chosen = row_id(request.form.get("id", ""))
        service.mark_read(user, [chosen] if chosen is not None else None)
        db.session.commit()
    return redirect(url_for("notifications.index"))


def render_digest(person, rows, base_url):
    """(subject, text) of a person's e-mail digest, in the hub's language."""
    from flask_babel import ngettext
    # rendered straight from the environment: the worker has no request (nor its context processors)
    text = current_app.jinja_env.get_template("notifications/digest.txt").render(
        person=person, rows=rows, base_url=base_url, config=current_app.config)
    subject = ngettext("%(num)d new on %(hub)s", "%(num)d new on %(hub)s", len(rows),
                       hub=current_app.config["HUB_NAME"])
    return subject, text


def email_digests():
    """Send the digests when HUB_SMTP_URL is set; returns how many e-mails went (0 without it)."""
    config = current_app.config
    if not config.get("HUB_SMTP_URL"):
        return 0
    base_url = config.get("HUB_BASE_URL") or config.get("HUB_DEMO_BASE_URL") or "http://localhost/"
    return service.send_digests(config["HUB_SMTP_URL"], config["HUB_MAIL_FROM"], base_url, render_digest)
