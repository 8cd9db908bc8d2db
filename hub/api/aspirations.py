"""Aspirations over the API: the public submission and tracking, the officers' queue and steps.
Contact details appear only in the officers' answers."""
from flask import current_app, jsonify, request

from ..accounts.access import current_actor, kim_manager_required
from ..aspirasi import service
from ..extensions import db
from ..kims.service import get_kim
from ..monitoring.period import local_today
from ..vocabulary import ASPIRATION_STATUSES
from . import bp, iso, json_body, json_error

FIELDS = ("name", "contact", "nagari", "category", "title", "text")


def _today():
    return local_today(current_app.config["HUB_TIMEZONE"])


def officer_json(row, today):
    """Everything about an aspiration, for the KIM's officers (contact included)."""
    return {"id": row.id, "code": row.code, "status": row.status, "category": row.category, "title": row.title,
            "text": row.text, "nagari": row.nagari, "name": row.name, "contact": row.contact,
            "submitted_at": iso(row.submitted_at), "forward_due": row.forward_due.isoformat(),
            "answer_due": row.answer_due.isoformat(),
            "forwarded_to": row.forwarded_to.name if row.forwarded_to else None,
            "answer": row.answer or None, "late": service.is_late(row, today),
            "history": [{"status": s.status, "at": iso(s.at), "note": s.note,
                         "by": s.by_user.name if s.by_user else None} for s in row.steps]}


@bp.route("/kims/<slug>/aspirations", methods=["POST"])
def submit_aspiration(slug):
    """Public: no token needed; limited per address and per contact (429 with Retry-After)."""
    data, error = json_body()
    if error:
        return error
    if any(not isinstance(data.get(f, ""), str) for f in FIELDS):
        return json_error(422, "Every field is text.")
    row = service.submit(get_kim(slug), {f: data.get(f, "") for f in FIELDS}, ip=request.remote_addr or "")
    db.session.commit()
    return jsonify(code=row.code, status=row.status), 201


@bp.route("/aspirations/<tracking>")
def track_aspiration(tracking):
    """Public: the tracking view, nothing personal in it."""
    view = service.public_view(tracking, _today())
    return jsonify(code=view["code"], status=view["status"], category=view["category"], title=view["title"],
                   history=[{"status": h["status"], "at": iso(h["at"]), "note": h["note"]} for h in view["history"]],
                   answer=view["answer"], late=view["late"])


@bp.route("/kims/<slug>/aspirations")
@kim_manager_required
def list_aspirations(kim):
    status = request.args.get("status") or None
    if status and status not in ASPIRATION_STATUSES:
        return json_error(400, "status must be one of: " + ", ".join(ASPIRATION_STATUSES))
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        return json_error(400)
    today = _today()
    stmt = service.queue(kim, status=status, late_only=request.args.get("late") in ("1", "true"), today=today)
    pagination = db.paginate(stmt, page=page, per_page=current_app.config["HUB_PAGE_SIZE"], error_out=False)
    return jsonify(aspirations=[officer_json(a, today) for a in pagination.items], total=pagination.total, page=page)


@bp.route("/kims/<slug>/aspirations/<int:aspiration_id>", methods=["GET", "PATCH"])
@kim_manager_required
def officer_aspiration(kim, aspiration_id):
    user = current_actor()
    row = service.get_for_officer(kim, aspiration_id, user)
    if request.method == "PATCH":
        data, error = json_body()
        if error:
            return error
        forward_to = data.get("forward_to")
        service.take_step(row, str(data.get("status") or ""), actor=user, note=str(data.get("note") or ""),
                          forward_to=forward_to if isinstance(forward_to, int) else None,
                          answer=str(data.get("answer") or ""))
        db.session.commit()
    return jsonify(officer_json(row, _today()))
