"""A person's own account: profile, password, API tokens, logged-in devices."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user

from ..accounts import service, sessions
from ..accounts.access import current_actor, login_required
from ..errors import DomainError
from ..extensions import db
from ..models import utcnow
from .forms import PasswordForm, PostForm, TokenForm
from .util import form_status, refused

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/")
@login_required
def profile():
    user = current_actor()
    return render_template("account/profile.html", user=user)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    user = current_actor()
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.change_password(user, form.current.data, form.new.data)
        except DomainError as exc:
            refused(exc, form)
        else:
            db.session.commit()
            login_user(user)  # the session id changed with the auth stamp; keep this one
            flash(_("Your password was changed. Other devices have been logged out."), "success")
            return redirect(url_for("account.profile"))
    status = form_status(form)
    return render_template("account/password.html", form=form), status


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    user = current_actor()
    form = TokenForm()
    new_token = new_row = None
    if request.method == "GET":
        form.days.data = current_app.config["HUB_TOKEN_DAYS"]
    if form.validate_on_submit():
        new_row, new_token = service.create_token(user, form.name.data, form.days.data)
        db.session.commit()
        form = TokenForm(formdata=None)
    return render_template("account/tokens.html", form=form, tokens=service.user_tokens(user),
                           new_token=new_token, new_row=new_row if new_token else None, now=utcnow(),
                           revoke_form=PostForm()), form_status(form)


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id):
    if PostForm().validate_on_submit():
        service.revoke_token(current_actor(), token_id)
        db.session.commit()
        flash(_("The token was revoked."), "success")
    return redirect(url_for("account.tokens"))


@bp.route("/sessions")
@login_required
def sessions_list():
    user = current_actor()
    return render_template("account/sessions.html", sessions=sessions.open_sessions(user),
                           current=getattr(user, "login_session_id", None))


@bp.route("/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    """Log out one of one's own browsers (a lost phone); ending this one logs out here too."""
    user = current_actor()
    if PostForm().validate_on_submit():
        if not sessions.end_one(user, session_id):
            abort(404)
        db.session.commit()
        flash(_("That device has been logged out."), "success")
    return redirect(url_for("account.sessions_list"))
