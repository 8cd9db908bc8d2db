"""The JSON API v1: bearer-token authentication, JSON errors, one module per area."""
from flask import Blueprint, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..accounts import service as accounts
from ..errors import DomainError, Throttled
from ..extensions import csrf, db

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MESSAGES = {
    400: _l("The request is not valid."),
    401: _l("Authentication required: send 'Authorization: Bearer <token>'."),
    403: _l("You are not allowed to do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    409: _l("Conflict."),
    413: _l("The request body is too large."),
    415: _l("Send JSON (Content-Type: application/json)."),
    422: _l("The request could not be processed."),
    429: _l("Too many requests."),
    500: _l("Internal error. The problem has been logged."),
}


def iso(value):
    """A time in an API answer: ISO 8601 with its offset, or null."""
    return value.isoformat() if value else None


def json_error(status, message=None, headers=None, **extra):
    """Every API error: JSON {"error": message} with its status (and `extra` fields beside it)."""
    response = jsonify(error=str(message or MESSAGES.get(status) or _("Error.")), **extra)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@bp.errorhandler(DomainError)
def domain_error(exc):
    """Every service refusal in the API, in one place: JSON {"error": message} with the status
    of its kind (hub.errors), Retry-After when throttled. Whatever the service had begun in the
    session is rolled back."""
    db.session.rollback()
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Throttled) else None
    return json_error(exc.status, exc.message, headers, **exc.extra)


@bp.before_request
def authenticate():
    """Only a bearer token authenticates the API; the session cookie is ignored, so the API
    needs no CSRF token."""
    g.api_request = True
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, token = header.partition(" ")
        row = accounts.token_in_use(token.strip()) if scheme.lower() == "bearer" else None
        if row is None:
            return json_error(401, _("The token is invalid, expired or revoked."))
        g.api_user, g.api_token = row.user, row


def json_body():
    """The request's JSON object, or a 4xx error response to return."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: not a body the API takes
        data = None
    if not isinstance(data, dict):
        return None, json_error(400, _("Send a JSON object (Content-Type: application/json)."))
    if _holds_nul(data):
        return None, json_error(400, _("The request contains a NUL character."))
    return data, None


def _holds_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def register(app):
    from . import (  # noqa: F401  (routes attach to bp)
        aspirations,
        discussion,
        kims,
        monitor,
        notifications,
        openapi,
        posts,
        reading,
        sharing,
        subscriptions,
        tokens,
    )
    csrf.exempt(bp)
    app.register_blueprint(bp)
