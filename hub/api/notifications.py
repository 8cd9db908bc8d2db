"""The person's notifications over the API, and marking them read."""
from flask import current_app, jsonify, request

from ..accounts.access import current_actor, login_required
from ..aspirasi import notifications as service
from ..extensions import db
from . import bp, iso, json_body, json_error


def notification_json(row):
    return {"id": row.id, "kind": row.kind, "kim": row.kim.slug if row.kim else None, "link": row.link,
            "data": row.data, "created_at": iso(row.created_at), "read": row.read_at is not None}


@bp.route("/notifications")
@login_required
def list_notifications():
    user = current_actor()
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        return json_error(400)
    pagination = db.paginate(service.of_user(user), page=page, per_page=current_app.config["HUB_PAGE_SIZE"],
                             error_out=False)
    return jsonify(notifications=[notification_json(n) for n in pagination.items], unread=service.unread_count(user),
                   total=pagination.total, page=page)


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read_notifications():
    """`{"ids": [...]}` marks those read; `{}` marks all."""
    data, error = json_body()
    if error:
        return error
    ids = data.get("ids")
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, int) for i in ids)):
        return json_error(422, "ids is a list of numbers.")
    marked = service.mark_read(current_actor(), ids)
    db.session.commit()
    return jsonify(marked=marked, unread=service.unread_count(current_actor()))
