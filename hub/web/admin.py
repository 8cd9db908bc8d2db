"""Hub administration: KIMs, users, memberships, coordinator roles. Admins only."""
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from .. import settings
from ..accounts import service as accounts
from ..accounts.access import admin_required, current_actor
from ..aggregation import service as aggregation
from ..aspirasi import service as aspirasi
from ..errors import DomainError, NotFound
from ..extensions import db, get_or_refuse
from ..kims import service as kims
from ..models import AspirationCategory, AspirationOffice, Holiday
from ..monitoring.period import local_today
from ..text import row_id
from ..timefmt import parse_day
from ..vocabulary import KIND_LABELS
from .forms import (
    AspirationCategoryForm,
    AspirationOfficeForm,
    CoordinatorForm,
    HolidayForm,
    KimAdminForm,
    MembershipForm,
    PostForm,
    SettingsForm,
    UserForm,
)
from .util import form_status, page_number, refused

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def guard():
    """Every admin page requires an admin; checked before any view runs."""


def _paginate(stmt):
    return db.paginate(stmt, page=page_number(), per_page=current_app.config["HUB_PAGE_SIZE"],
                       error_out=False)


def _kim_or_404(kim_id):
    return kims.get_kim_by_id(kim_id)


def _user_or_404(user_id):
    return accounts.get_user(user_id)


@bp.route("/")
def index():
    counts = {"kims": kims.active_count(), "users": accounts.active_user_count()}
    return render_template("admin/index.html", counts=counts)


# --- KIMs --------------------------------------------------------------------------------

@bp.route("/kims")
def kim_list():
    q = request.args.get("q", "").strip()[:100]
    pagination = _paginate(kims.directory_query(q=q or None, include_inactive=True))
    return render_template("admin/kims.html", pagination=pagination, q=q, form=PostForm())


def _kim_values(form):
    return {f: getattr(form, f).data for f in
            ("name", "nagari", "kecamatan", "kabupaten", "description", "contact", "website", "feed_url")}


@bp.route("/kims/new", methods=["GET", "POST"])
def kim_new():
    form = KimAdminForm()
    if request.method == "GET":
        form.kabupaten.data = current_app.config["HUB_KABUPATEN"]
    if form.validate_on_submit():
        try:
            kim = kims.create_kim(slug=form.slug.data, actor=current_actor(), **_kim_values(form))
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            flash(_("KIM %(name)s was created.", name=kim.name), "success")
            return redirect(url_for("admin.kim_edit", kim_id=kim.id))
    return render_template("admin/kim_form.html", form=form, kim=None), form_status(form)


@bp.route("/kims/<int:kim_id>", methods=["GET", "POST"])
def kim_edit(kim_id):
    kim = _kim_or_404(kim_id)
    form = KimAdminForm(obj=kim)
    if form.validate_on_submit():
        try:
            kims.update_kim(kim, actor=current_actor(), slug=form.slug.data, **_kim_values(form))
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            flash(_("The KIM was saved."), "success")
            return redirect(url_for("admin.kim_edit", kim_id=kim.id))
    members = _paginate(kims.members_query(kim))
    return render_template("admin/kim_form.html", form=form, kim=kim, members=members,
                           post_form=PostForm()), form_status(form)


@bp.route("/kims/<int:kim_id>/active", methods=["POST"])
def kim_active(kim_id):
    kim = _kim_or_404(kim_id)
    active = request.form.get("active") == "1"
    kims.set_kim_active(kim, active, actor=current_actor())
    db.session.commit()
    flash(_("KIM %(name)s was reactivated.", name=kim.name) if active
          else _("KIM %(name)s was deactivated.", name=kim.name), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url)
                    else url_for("admin.kim_list"))


# --- users -------------------------------------------------------------------------------

@bp.route("/users")
def user_list():
    q = request.args.get("q", "").strip()[:100]
    return render_template("admin/users.html", pagination=_paginate(accounts.users_query(q)), q=q)


@bp.route("/users/new", methods=["GET", "POST"])
def user_new():
    form = UserForm()
    form.password.flags.required = True
    if form.validate_on_submit():
        if not form.password.data:
            form.password.errors = [_("This field is required.")]
        else:
            try:
                user = accounts.create_user(form.email.data, form.name.data, form.password.data,
                                            is_admin=form.is_admin.data, actor=current_actor())
            except DomainError as exc:
                refused(exc, form)
            else:
                db.session.commit()
                flash(_("The account for %(name)s was created.", name=user.name), "success")
                return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=None), form_status(form)


def _membership_form(user, formdata=None):
    form = MembershipForm(formdata=formdata, prefix="m", meta={"csrf": False})  # CSRFProtect checks the post
    form.kim.choices = [SelectChoice(k.id, f"{k.name} ({k.kecamatan})") for k in kims.active_kims()]
    return form


def _coordinator_form(formdata=None):
    form = CoordinatorForm(formdata=formdata, prefix="c", meta={"csrf": False})
    kabupaten = current_app.config["HUB_KABUPATEN"]
    form.kecamatan.choices = [SelectChoice("", _l("The whole kabupaten (%(k)s)", k=kabupaten))] + [
        SelectChoice(name, _l("Kecamatan %(k)s", k=name)) for name in kims.kecamatan_names()]
    return form


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id):
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    if form.validate_on_submit():
        try:
            accounts.update_user(user, email=form.email.data, name=form.name.data,
                                 is_admin=form.is_admin.data, actor=current_actor())
            if form.password.data:
                accounts.set_password(user, form.password.data, actor=current_actor())
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            flash(_("The account was saved."), "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    return render_template("admin/user_form.html", form=form, user=user,
                           membership_form=_membership_form(user), coordinator_form=_coordinator_form(),
                           post_form=PostForm()), form_status(form)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_active(user_id):
    user = _user_or_404(user_id)
    try:
        accounts.set_user_active(user, request.form.get("active") == "1", actor=current_actor())
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        db.session.commit()
        flash(_("The account was saved."), "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/users/<int:user_id>/memberships", methods=["POST"])
def membership_add(user_id):
    user = _user_or_404(user_id)
    form = _membership_form(user, formdata=request.form)
    if form.validate():
        kim = _kim_or_404(form.kim.data)
        accounts.set_membership(user, kim, form.role.data, actor=current_actor())
        db.session.commit()
        flash(_("%(name)s is now in KIM %(kim)s.", name=user.name, kim=kim.name), "success")
    else:
        flash(_("Choose a KIM and a role."), "error")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/memberships/<int:membership_id>/active", methods=["POST"])
def membership_active(membership_id):
    membership = accounts.get_membership(membership_id)
    accounts.set_membership(membership.user, membership.kim, membership.role, actor=current_actor(),
                            active=request.form.get("active") == "1")
    db.session.commit()
    flash(_("The membership was saved."), "success")
    return redirect(url_for("admin.user_edit", user_id=membership.user_id))


@bp.route("/users/<int:user_id>/coordinator", methods=["POST"])
def coordinator_add(user_id):
    user = _user_or_404(user_id)
    form = _coordinator_form(formdata=request.form)
    if form.validate():
        accounts.grant_coordinator(user, kabupaten=current_app.config["HUB_KABUPATEN"],
                                   kecamatan=form.kecamatan.data or None, actor=current_actor())
        db.session.commit()
        flash(_("The coordinator role was granted."), "success")
    else:
        flash(_("Choose a kecamatan or the whole kabupaten."), "error")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.route("/coordinators/<int:role_id>/revoke", methods=["POST"])
def coordinator_revoke(role_id):
    role = accounts.get_coordinator_role(role_id)
    accounts.revoke_coordinator(role, actor=current_actor())
    db.session.commit()
    flash(_("The coordinator role was revoked."), "success")
    return redirect(url_for("admin.user_edit", user_id=role.user_id))


# --- sources -------------------------------------------------------------------------------

@bp.route("/sources")
def source_list():
    """Sources with problems (or all of them), with their health and number of subscribers."""
    show_all = request.args.get("all") == "1"
    pagination = _paginate(aggregation.all_sources_query() if show_all else aggregation.sources_with_errors())
    counts = aggregation.subscriber_counts(pagination.items)
    return render_template("admin/sources.html", pagination=pagination, counts=counts, show_all=show_all,
                           kinds=KIND_LABELS)


@bp.route("/sources/<int:source_id>/retry", methods=["POST"])
def source_retry(source_id):
    source = aggregation.get_source(source_id)
    aggregation.retry_now(source)
    db.session.commit()
    flash(_("The source will be fetched on the next refresh."), "success")
    return redirect(url_for("admin.source_list", **request.args))


@bp.route("/settings", methods=["GET", "POST"])
def settings_page():
    form = SettingsForm()
    if request.method == "GET":
        for key in settings.SETTINGS:
            getattr(form, key).data = settings.get(key)
    elif form.validate_on_submit():
        try:
            for key in settings.SETTINGS:
                settings.put(key, getattr(form, key).data, actor=current_actor())
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            flash(_("The settings were saved."), "success")
            return redirect(url_for("admin.settings_page"))
    return render_template("admin/settings.html", form=form), form_status(form)


# --- aspirations: categories, offices, holidays ---------------------------------------------

def _aspiration_page(status=200, **given):
    forms = {"category_form": given.get("category_form") or AspirationCategoryForm(formdata=None, prefix="c"),
             "office_form": given.get("office_form") or AspirationOfficeForm(formdata=None, prefix="o"),
             "holiday_form": given.get("holiday_form") or HolidayForm(formdata=None, prefix="h")}
    today = local_today(current_app.config["HUB_TIMEZONE"])
    return render_template("admin/aspirasi.html", categories=aspirasi.categories(active_only=False),
                           offices=aspirasi.all_offices(),
                           holidays=aspirasi.all_holidays(today.replace(month=1, day=1)), **forms), status


@bp.route("/aspirasi")
def aspiration_lists():
    return _aspiration_page()


@bp.route("/aspirasi/<any(category, office, holiday):what>", methods=["POST"])
def aspiration_add(what):
    form = {"category": lambda: AspirationCategoryForm(prefix="c"), "office": lambda: AspirationOfficeForm(prefix="o"),
            "holiday": lambda: HolidayForm(prefix="h")}[what]()
    if form.validate_on_submit():
        try:
            if what == "category":
                aspirasi.add_category(form.code.data, form.label.data, actor=current_actor())
            elif what == "office":
                aspirasi.add_office(form.name.data, form.kind.data, actor=current_actor())
            else:
                aspirasi.add_holiday(form.day.data, form.name.data, actor=current_actor())
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            flash(_("Added."), "success")
            return redirect(url_for("admin.aspiration_lists"))
    return _aspiration_page(form_status(form), **{f"{what}_form": form})


@bp.route("/aspirasi/<any(category, office):what>/<key>/active", methods=["POST"])
def aspiration_toggle(what, key):
    model = AspirationCategory if what == "category" else AspirationOffice
    row = get_or_refuse(model, key if what == "category" else row_id(key), _("Not found."))
    if PostForm().validate_on_submit():
        row.active = request.form.get("active") == "1"
        db.session.commit()
    return redirect(url_for("admin.aspiration_lists"))


@bp.route("/aspirasi/holiday/<day>/delete", methods=["POST"])
def holiday_delete(day):
    day = parse_day(day)
    if day is None:
        raise NotFound(_("Not found."))
    row = get_or_refuse(Holiday, day, _("Not found."))
    if PostForm().validate_on_submit():
        db.session.delete(row)
        db.session.commit()
    return redirect(url_for("admin.aspiration_lists"))
