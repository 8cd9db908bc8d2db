"""API tokens: trade an email and password for a bearer token (POST /api/v1/tokens), list
one's own (GET) and revoke one (DELETE /api/v1/tokens/<id>)."""
from flask import g, jsonify, request
from flask_babel import gettext as _

from ..accounts import service as accounts
from ..accounts.access import current_actor, login_required
from ..extensions import db
from . import bp, iso, json_body, json_error


@bp.route("/tokens", methods=["POST"])
def create_token():
    data, error = json_body()
    if error:
        return error
    email, password = data.get("email"), data.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        return json_error(400, _("Send a JSON object with \"email\" and \"password\"."))
    days = accounts.token_days(data.get("expires_in_days"))
    user = accounts.authenticate(email, password, request.remote_addr)  # 401 or 429 (with Retry-After)
    row, token = accounts.create_token(user, str(data.get("name") or "API"), days)
    db.session.commit()
    return jsonify(token=token, id=row.id, name=row.name, prefix=row.prefix, created_at=iso(row.created_at),
                   expires_at=iso(row.expires_at)), 201


@bp.route("/tokens")
@login_required
def list_tokens():
    """The caller's own tokens, newest first (never the token text, only its first characters)."""
    current = g.get("api_token")
    return jsonify(tokens=[token_json(t, current) for t in accounts.user_tokens(current_actor())])


def token_json(row, current=None):
    """A token as the API shows it: never its text, only its first characters."""
    return {"id": row.id, "name": row.name, "prefix": row.prefix, "created_at": iso(row.created_at),
            "expires_at": iso(row.expires_at), "last_used_at": iso(row.last_used_at),
            "revoked_at": iso(row.revoked_at), "current": current is not None and row.id == current.id}


@bp.route("/tokens/<int:token_id>", methods=["DELETE"])
@login_required
def delete_token(token_id):
    """Revoke one of the caller's tokens (the one in use too); another person's is 404."""
    accounts.revoke_token(current_actor(), token_id)
    db.session.commit()
    return "", 204


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
