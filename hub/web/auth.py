"""Log in and out."""
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user

from ..accounts import service, sessions
from ..accounts.access import current_actor, login_required
from ..errors import DomainError, Throttled
from ..extensions import db
from .forms import LoginForm, PostForm

bp = Blueprint("auth", __name__)


def init_login(app, login_manager):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")

    @login_manager.user_loader
    def load_user(login_id):
        # the id names a session kept on the server (ended by logging out) and carries the
        # auth stamp (a changed password ends older sessions)
        return sessions.load(login_id)


def safe_next(target):
    """Only same-site paths, never another host (no open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        try:
            user = service.authenticate(form.email.data, form.password.data, request.remote_addr)
        except Throttled as exc:
            flash(str(exc.message), "error")
            status = 429
        except DomainError as exc:
            flash(str(exc.message), "error")
            status = 400  # like any form that did not validate (401 would need WWW-Authenticate)
        else:
            sessions.start(user, ip=request.remote_addr, user_agent=request.user_agent.string)
            db.session.commit()
            lang = session.get("lang")
            session.clear()  # a fresh session on login (no fixation)
            if lang:
                session["lang"] = lang
            login_user(user, remember=form.remember.data)
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(form.next.data) or url_for("main.home"))
    elif request.method == "POST":
        status = 400
    form.password.data = ""
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    form = PostForm()
    if form.validate_on_submit():
        sessions.end(current_actor())  # the cookie, even copied, opens nothing any more
        db.session.commit()
        logout_user()
        lang = session.get("lang")
        session.clear()
        if lang:
            session["lang"] = lang
        flash(_("You have logged out."), "success")
    return redirect(url_for("main.home"))
