"""Diskusi over the API: an item's comments, and a new one (or a reply)."""
from flask import jsonify, request

from ..accounts.access import current_actor, login_required
from ..aspirasi import discussion
from ..extensions import db
from ..kims.service import get_kim
from ..reading import timeline as reading
from . import bp, iso, json_body, json_error


def comment_json(row):
    hidden = row.hidden_at is not None
    return {"id": row.id, "item_id": row.item_id, "kim": row.kim.slug, "by": row.user.name if row.user else None,
            "parent_id": row.parent_id, "body": None if hidden else row.body, "created_at": iso(row.created_at),
            "hidden": hidden, "hidden_reason": row.hidden_reason or None}


@bp.route("/items/<int:item_id>/comments", methods=["GET", "POST"])
@login_required
def item_comments(item_id):
    user = current_actor()
    item = reading.readable_item(user, item_id)
    if request.method == "POST":
        data, error = json_body()
        if error:
            return error
        parent_id = data.get("parent_id")
        if parent_id is not None and not isinstance(parent_id, int):
            return json_error(422, "parent_id is a number.")
        parent = discussion.get_comment(parent_id) if parent_id is not None else None
        row, mentions = discussion.add_comment(item, get_kim(str(data.get("kim") or "")), actor=user,
                                               body=str(data.get("body") or ""), parent=parent)
        db.session.commit()
        return jsonify(dict(comment_json(row), mentioned=[k.slug for k in mentions])), 201
    return jsonify(item_id=item.id, comments=[dict(comment_json(c), replies=[comment_json(r) for r in replies])
                                              for c, replies in discussion.thread(item)])
