"""Public KIM directory and profiles; officers edit their own KIM's profile."""
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
    current_actor,
    kim_manager_required,
    may_see_kim,
)
from ..errors import DomainError
from ..extensions import db
from ..kims import service
from ..posts.service import set_policy
from ..text import slugify
from .forms import KimProfileForm
from .util import form_status, page_number, refused

bp = Blueprint("kims", __name__)


@bp.route("/kim/")
def directory():
    q = request.args.get("q", "").strip()[:100]
    kecamatan = request.args.get("kecamatan", "").strip()[:120]
    pagination = db.paginate(service.directory_query(kecamatan_slug=kecamatan or None, q=q or None),
                             page=page_number(), per_page=current_app.config["HUB_PAGE_SIZE"],
                             error_out=False)
    return render_template("kims/directory.html", pagination=pagination, q=q,
                           kecamatan=kecamatan, all_kecamatan=service.kecamatan_names(),
                           slugify=slugify)


@bp.route("/kecamatan/<kecamatan_slug>")
def kecamatan(kecamatan_slug):
    names = [name for name in service.kecamatan_names() if slugify(name) == kecamatan_slug]
    if not names:
        abort(404)
    pagination = db.paginate(service.directory_query(kecamatan_slug=kecamatan_slug),
                             page=page_number(), per_page=current_app.config["HUB_PAGE_SIZE"],
                             error_out=False)
    return render_template("kims/kecamatan.html", name=names[0], pagination=pagination,
                           kecamatan_slug=kecamatan_slug)


@bp.route("/kim/<slug>")
def profile(slug):
    kim = service.get_kim(slug)
    user = current_actor()
    if not may_see_kim(user, kim):
        abort(404)
    officers = service.officers_of(kim)
    return render_template("kims/profile.html", kim=kim, officers=officers,
                           can_manage=can_manage_kim(user, kim))


@bp.route("/kim/<slug>/edit", methods=["GET", "POST"])
@kim_manager_required
def edit(kim):
    form = KimProfileForm(obj=kim)
    if form.validate_on_submit():
        try:
            service.update_kim(kim, actor=current_actor(), name=form.name.data,
                               description=form.description.data, contact=form.contact.data,
                               website=form.website.data, feed_url=form.feed_url.data)
            if form.post_policy.data != kim.post_policy:
                set_policy(kim, form.post_policy.data, actor=current_actor())
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            flash(_("The KIM profile was saved."), "success")
            return redirect(url_for("kims.profile", slug=kim.slug))
    status = form_status(form)
    return render_template("kims/edit.html", kim=kim, form=form), status
