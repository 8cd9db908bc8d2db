"""The timeline and items over the API."""
from flask import jsonify, request

from ..accounts.access import current_actor, login_required
from ..extensions import db
from ..kims.service import get_kim
from ..reading import timeline as service
from . import bp, json_error


def item_json(item, *, read, starred, source_title=None, bidang=None, full=False, entry=None):
    body = {
        "id": item.id, "title": item.title, "url": item.url, "summary": item.summary, "author": item.author,
        "published_at": item.published_at.isoformat(), "source_id": item.source_id,
        "source": source_title if source_title is not None else (item.source.title if item.source else None),
        "bidang": bidang, "read": read, "starred": starred,
    }
    if entry is not None and entry.title_html is not None:
        body["title_html"], body["snippet_html"] = str(entry.title_html), str(entry.snippet_html)
    if full:
        body.update(content=item.content, enclosures=item.enclosures)
    return body


@bp.route("/timeline")
@login_required
def timeline():
    user = current_actor()
    try:
        if request.args.get("kim"):
            kim = get_kim(request.args["kim"])
        else:
            kims = service.readable_kims(user)
            if not kims:
                return json_error(404, "You belong to no KIM.")
            kim = kims[0]
        limit = int(request.args.get("limit", service.PAGE))
        page = service.timeline(kim, user, service.filters_from(request.args),
                                cursor=request.args.get("cursor") or None,
                                limit=limit, marks=False)  # the answer carries no marks
    except ValueError:
        return json_error(400, "limit must be a number.")
    return jsonify(kim=kim.slug, next_cursor=page.next_cursor, items=[
        item_json(e.item, read=e.read, starred=e.starred, source_title=e.source_title, bidang=e.bidang, entry=e)
        for e in page.entries])


def _item(item_id):
    return service.readable_item(current_actor(), item_id)


@bp.route("/items/<int:item_id>")
@login_required
def get_item(item_id):
    item = _item(item_id)
    read, starred = service.state_of(current_actor(), item)
    return jsonify(item_json(item, read=read, starred=starred, full=True))


@bp.route("/items/<int:item_id>/<any(read, star):what>", methods=["PUT", "DELETE"])
@login_required
def set_state(item_id, what):
    item = _item(item_id)
    on = request.method == "PUT"
    if what == "read":
        service.set_read(current_actor(), item, on)
    else:
        service.set_starred(current_actor(), item, on)
    db.session.commit()
    return "", 204
