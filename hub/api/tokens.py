"""POST /api/v1/tokens: trade an email and password for a bearer token."""
from flask import jsonify, request
from flask_babel import gettext as _

from ..accounts import service as accounts
from ..accounts.access import current_actor, login_required
from ..errors import DomainError, Throttled
from ..extensions import db
from . import bp, json_body, json_error


@bp.route("/tokens", methods=["POST"])
def create_token():
    data, error = json_body()
    if error:
        return error
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        return json_error(400, _("Send a JSON object with \"email\" and \"password\"."))
    try:
        user = accounts.authenticate(email, password, request.remote_addr)
    except Throttled as exc:
        return json_error(429, exc.message, headers={"Retry-After": str(exc.retry_after)})
    except DomainError as exc:
        return json_error(401, exc.message)
    row, token = accounts.create_token(user, str(data.get("name") or "API"))
    db.session.commit()
    return jsonify(token=token, id=row.id, name=row.name), 201


@bp.route("/me")
@login_required
def me():
    user = current_actor()
    return jsonify(
        id=user.id, email=user.email, name=user.name, is_admin=user.is_admin,
        memberships=[{"kim": m.kim.slug, "role": m.role} for m in user.active_memberships],
        coordinator=[{"kabupaten": c.kabupaten, "kecamatan": c.kecamatan}
                     for c in user.active_coordinator_roles],
    )
