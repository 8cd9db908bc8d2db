"""Shares, the inbox, exchange status and the exchange tree over the API."""
from flask import current_app, jsonify, request

from ..accounts.access import current_actor, kim_member_required, login_required
from ..extensions import db
from ..kims.service import get_kim
from ..reading import timeline as reading
from ..sharing import service
from ..vocabulary import STATUSES
from . import bp, iso, json_body, json_error


def exchange_json(ex):
    return {"id": ex.id, "item_id": ex.item_id, "from_kim": ex.from_kim.slug if ex.from_kim else None,
            "from_office": ex.from_office,
            "to_kim": ex.to_kim.slug,
            "by": ex.by_user.name if ex.by_user else None, "note": ex.note, "status": ex.status,
            "parent_id": ex.parent_id, "sent_at": iso(ex.sent_at), "seen_at": iso(ex.seen_at),
            "passed_on_at": iso(ex.passed_on_at), "declined_at": iso(ex.declined_at),
            "decline_reason": ex.decline_reason or None,
            # sent as a warning of a hoaks / misleading flag, not as news
            "as_warning": ex.as_warning, "warning_flag_id": ex.warning_flag_id}


@bp.route("/items/<int:item_id>/shares", methods=["POST"])
@login_required
def create_share(item_id):
    data, error = json_body()
    if error:
        return error
    user = current_actor()
    item = reading.readable_item(user, item_id)
    from_kim = get_kim(str(data.get("from_kim") or ""))
    result = service.share(item, from_kim, data.get("to"), actor=user, note=str(data.get("note") or ""),
                           as_warning=data.get("as_warning") is True)
    db.session.commit()
    return jsonify(exchanges=[exchange_json(e) for e in result.exchanges],
                   skipped=[k.slug for k in result.skipped]), 201


@bp.route("/kims/<slug>/inbox")
@kim_member_required
def inbox(kim):
    status = request.args.get("status")
    if status and status not in STATUSES:
        return json_error(400, "status must be one of: " + ", ".join(STATUSES))
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        return json_error(400)
    pagination = db.paginate(service.inbox(kim, status), page=page, per_page=current_app.config["HUB_PAGE_SIZE"],
                             error_out=False)
    return jsonify(exchanges=[dict(exchange_json(e), title=e.item.title) for e in pagination.items],
                   total=pagination.total, page=page)


@bp.route("/exchanges/<int:exchange_id>", methods=["PATCH"])
@login_required
def update_exchange(exchange_id):
    data, error = json_body()
    if error:
        return error
    exchange = service.get_exchange(exchange_id)
    service.set_status(exchange, str(data.get("status") or ""), actor=current_actor(),
                       note=str(data.get("note") or ""), to=data.get("to"),
                       as_warning=data.get("as_warning") is True)
    db.session.commit()
    return jsonify(exchange_json(exchange))


@bp.route("/items/<int:item_id>/exchanges")
@login_required
def item_exchanges(item_id):
    item = reading.readable_item(current_actor(), item_id)

    def node(n):
        shown = exchange_json(n["exchange"])
        if not n["note_visible"]:  # the path for everyone, the words for the KIMs on that branch
            shown.update(note="", decline_reason=None)
        return dict(shown, note_visible=n["note_visible"], flagged=n["flagged"],
                    flag_raised_by=[f.kim.slug for f in n["raised"]], children=[node(c) for c in n["children"]])
    return jsonify(item_id=item.id, tree=[node(n) for n in service.tree_for(current_actor(), item)])
