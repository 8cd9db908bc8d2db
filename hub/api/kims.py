"""GET /api/v1/kims: the public directory as JSON."""
from flask import abort, jsonify, request, url_for

from ..extensions import db
from ..kims import service
from . import bp


def kim_json(kim):
    return {
        "slug": kim.slug, "name": kim.name, "nagari": kim.nagari, "kecamatan": kim.kecamatan,
        "kabupaten": kim.kabupaten, "description": kim.description, "contact": kim.contact,
        "website": kim.website, "url": url_for("kims.profile", slug=kim.slug, _external=True),
    }


@bp.route("/kims")
def list_kims():
    try:
        page = max(1, int(request.args.get("page", 1)))
        per_page = min(max(1, int(request.args.get("per_page", 100))), 500)
    except ValueError:
        abort(400)
    stmt = service.directory_query(kecamatan_slug=request.args.get("kecamatan") or None,
                                   q=request.args.get("q") or None)
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    body = {"kims": [kim_json(k) for k in pagination.items], "total": pagination.total,
            "page": page}
    if pagination.has_next:
        body["next"] = url_for("api.list_kims", page=page + 1, per_page=per_page, _external=True)
    return jsonify(body)


@bp.route("/kims/<slug>")
def get_kim(slug):
    kim = db.session.scalar(db.select(service.Kim).where(service.Kim.slug == slug,
                                                          service.Kim.active.is_(True)))
    if kim is None:
        abort(404)
    return jsonify(kim_json(kim))
