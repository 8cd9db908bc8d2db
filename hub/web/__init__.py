"""The web face: blueprints, error pages, security headers."""
from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..errors import DomainError
from ..extensions import db

# Pages load nothing from elsewhere and run no inline script.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")
# An item's own content may show the publisher's images and play its attachments.
CSP_ITEM = CSP.replace("img-src 'self' data:", "img-src 'self' data: https: http:") + "; media-src https: http:"


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def register(app):
    from .. import feeds
    from . import (
        account,
        activities,
        admin,
        aspirasi,
        auth,
        discussion,
        kims,
        main,
        monitor,
        notifications,
        posts,
        reading,
        review,
        sharing,
        sources,
    )
    for module in (main, auth, reading, sharing, review, posts, kims, sources, account, admin, feeds, monitor,
                   activities, aspirasi, discussion, notifications):
        app.register_blueprint(module.bp)
    if app.config["HUB_DEMO_FEEDS"]:
        from .. import demo_feeds
        app.register_blueprint(demo_feeds.bp)
    from ..text import slugify
    from .util import kim_checkboxes, kim_options, page_url, static_digests
    app.add_template_global(page_url)
    app.add_template_global(kim_checkboxes)
    app.add_template_global(kim_options)
    digests = static_digests(app.static_folder)

    def asset(filename):
        """A static file's URL with its content hash: cached for a year, refreshed when it changes."""
        return url_for("static", filename=filename, v=digests.get(filename))
    app.add_template_global(asset)
    app.add_template_filter(slugify, "slug")

    from markupsafe import Markup

    from ..posts.service import render_body

    @app.template_filter("markdown")
    def markdown(body):
        """A draft's Markdown as safe HTML (a published post shows its stored item content)."""
        return Markup(render_body(body, request.url_root))

    @app.before_request
    def refuse_nul():
        """A NUL character has no place in an address, a query or a form, and PostgreSQL refuses
        it in any text: the request is refused whole, with a clear 400, before anything runs."""
        values = [request.path, *request.args.keys(), *request.args.values()]
        if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
                "application/x-www-form-urlencoded", "multipart/form-data"):
            values += [*request.form.keys(), *request.form.values()]
        if any("\x00" in value for value in values):
            abort(400, _("The request contains a NUL character."))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        # a message of our own given to abort() is shown; Werkzeug's English defaults are not
        own = exc.description if exc.description != type(exc).description and exc.code != 429 else None
        if is_api_request():
            from ..api import json_error
            return json_error(exc.code, own)
        if exc.code == 401:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if isinstance(exc, CSRFError):
            return render_template("errors/error.html", code=400,
                                   message=_("The form had expired or was sent from elsewhere. "
                                             "Go back, reload the page and try again.")), 400
        if exc.code == 429:
            return render_template("errors/error.html", code=429, message=_(
                "Too many requests in a short time. Wait a minute, then try again.")), 429
        if exc.code == 413:
            return render_template("errors/error.html", code=413, message=_(
                "What was sent is larger than %(mb)d MB. Go back and choose fewer or smaller files.",
                mb=app.config["MAX_CONTENT_LENGTH"] // 1048576)), 413
        return render_template("errors/error.html", code=exc.code, message=own), exc.code

    @app.errorhandler(DomainError)
    def refusal(exc):
        """A service's refusal that no view turned into a message on its form (a thing that is
        not there, a forbidden act): the error page with the refusal's status and message. The
        API's own handler (hub.api) answers JSON; forms use hub.web.util.refused."""
        db.session.rollback()
        if is_api_request():
            from ..api import domain_error
            return domain_error(exc)
        return render_template("errors/error.html", code=exc.status, message=str(exc.message)), exc.status

    @app.errorhandler(Exception)
    def unexpected(exc):
        db.session.rollback()
        app.logger.exception("unhandled error")
        if is_api_request():
            from ..api import json_error
            return json_error(500)
        return render_template("errors/error.html", code=500), 500

    @app.after_request
    def buffer_static(response):
        """Read small static files into memory so Flask-Compress can compress them (it would
        otherwise wrap the open file in a generator and never close it)."""
        buffered = request.endpoint in ("static", "posts.upload")
        if buffered and response.direct_passthrough and response.status_code == 200:
            data = b"".join(response.response)
            response.close()
            response.direct_passthrough = False
            response.set_data(data)
        return response

    @app.after_request
    def security_headers(response):
        headers = response.headers
        if request.endpoint == "static" and request.args.get("v"):
            headers["Cache-Control"] = "public, max-age=31536000, immutable"
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store" if request.cookies or is_api_request() else "no-cache")
        return response
