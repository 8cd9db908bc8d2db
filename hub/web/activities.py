"""Kegiatan (Implementasi): the KIM's offline activities. Officers record them; members,
coordinators of the KIM's scope and admins read the list."""
from pathlib import Path

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
    can_manage_kim,
    coordinates_kim,
    current_actor,
    is_member,
    login_required,
)
from ..errors import DomainError
from ..extensions import db
from ..kims import activities as service
from ..kims.service import get_kim
from ..monitoring.period import local_today
from ..vocabulary import ACTIVITY_KIND_LABELS, ADINDA_LABELS
from .forms import ActivityForm
from .util import form_status, page_number, refused

bp = Blueprint("activities", __name__)


def _kim(slug, user):
    kim = get_kim(slug)
    if not (is_member(user, kim) or coordinates_kim(user, kim)):
        abort(403)
    return kim


def _render(kim, form, user, status=200):
    pagination = db.paginate(service.activities_of(kim), page=page_number(),
                             per_page=current_app.config["HUB_PAGE_SIZE"], error_out=False)
    return render_template("kims/activities.html", kim=kim, form=form, pagination=pagination,
                           can_record=can_manage_kim(user, kim), kind_labels=ACTIVITY_KIND_LABELS,
                           adinda_labels=ADINDA_LABELS), status


@bp.route("/kim/<slug>/kegiatan", methods=["GET", "POST"])
@login_required
def index(slug):
    user = current_actor()
    kim = _kim(slug, user)
    form = ActivityForm()
    if request.method == "GET":
        form.held_on.data = local_today(current_app.config["HUB_TIMEZONE"])
        return _render(kim, form, user)
    if not can_manage_kim(user, kim):
        abort(403)
    if form.validate_on_submit():
        photos = [f for f in request.files.getlist("photos") if f and f.filename]
        try:
            row = service.record_activity(
                kim, actor=user, held_on=form.held_on.data, kind=form.kind.data, adinda=form.adinda.data,
                title=form.title.data, participants=form.participants.data or 0,
                resource_person=form.resource_person.data, notes=form.notes.data,
                item_ids=(form.items.data or "").replace(",", " ").split(), photos=photos,
                upload_dir=Path(current_app.instance_path) / "uploads")
        except DomainError as exc:
            refused(exc, form)  # everything typed comes back with the message
        else:
            db.session.commit()
            flash(_("The activity “%(title)s” was recorded.", title=row.title), "success")
            return redirect(url_for("activities.index", slug=kim.slug))
    return _render(kim, form, user, form_status(form))


@bp.route("/kegiatan/<int:activity_id>/hapus", methods=["POST"])
@login_required
def delete(activity_id):
    user = current_actor()
    row = service.get_activity(activity_id)  # a refusal is the error page with its status
    slug = row.kim.slug
    service.delete_activity(row, actor=user)
    db.session.commit()
    flash(_("The activity was removed."), "success")
    return redirect(url_for("activities.index", slug=slug))
