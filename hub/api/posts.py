"""Posts, checks, flags and disseminations over the API."""
from flask import jsonify
from flask_babel import lazy_gettext as _l

from ..accounts.access import current_actor, kim_member_required, login_required
from ..errors import Invalid
from ..extensions import db
from ..kims.service import get_kim
from ..models import Kim
from ..posts import service as posts
from ..reading import timeline as reading
from ..sharing import review
from ..urls import public_base_url
from . import bp, iso, json_body


def post_json(post):
    return {"id": post.id, "kim": post.kim.slug, "title": post.title, "body": post.body, "bidang": post.bidang,
            "status": post.status, "item_id": post.item_id, "url": post.item.url if post.item else None,
            "guid": post.item.guid if post.item else None, "created_at": iso(post.created_at),
            "published_at": iso(post.published_at)}


def _str(data, name):
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_l("'%(name)s' must be a string.", name=name), field=name)
    return value


@bp.route("/kims/<slug>/posts", methods=["POST"])
@kim_member_required
def create_post(kim):
    """{"title", "body" (Markdown), "bidang", "status": "draft" | "published"} -> 201 the post."""
    data, error = json_body()
    if error:
        return error
    status = data.get("status", "published")
    if status not in ("draft", "published"):
        raise Invalid(_l("'status' is 'draft' or 'published'."), field="status")
    post = posts.create_post(kim, actor=current_actor(), title=_str(data, "title"), body=_str(data, "body"),
                             bidang=data.get("bidang") or "umum", publish=status == "published",
                             base_url=public_base_url())
    db.session.commit()
    return jsonify(post_json(post)), 201


def _item_kim(item_id, data):
    user = current_actor()
    item = reading.readable_item(user, item_id)
    return user, item, get_kim(str(data.get("kim") or ""))


@bp.route("/items/<int:item_id>/checks", methods=["POST"])
@login_required
def create_check(item_id):
    """{"kim", "note", "links": [url, ...]} -> 201 the check."""
    data, error = json_body()
    if error:
        return error
    user, item, kim = _item_kim(item_id, data)
    links = data.get("links") or []
    if not isinstance(links, list):
        raise Invalid(_l("'links' is a list of addresses."), field="links")
    check = review.record_check(item, kim, actor=user, note=_str(data, "note"), links=links)
    db.session.commit()
    return jsonify(id=check.id, item_id=item.id, kim=kim.slug, note=check.note, links=check.links,
                   created_at=iso(check.created_at)), 201


@bp.route("/items/<int:item_id>/flags", methods=["POST"])
@login_required
def create_flag(item_id):
    """{"kim", "kind": "hoaks" | "misleading", "reason"} -> 201 the flag and the KIMs warned."""
    data, error = json_body()
    if error:
        return error
    user, item, kim = _item_kim(item_id, data)
    mark, warned = review.flag(item, kim, actor=user, kind=data.get("kind"), reason=_str(data, "reason"))
    slugs = sorted(db.session.scalars(db.select(Kim.slug).where(Kim.id.in_(warned)))) if warned else []
    db.session.commit()
    return jsonify(id=mark.id, item_id=item.id, kim=kim.slug, kind=mark.kind, reason=mark.reason,
                   created_at=iso(mark.created_at), warned=slugs), 201


@bp.route("/items/<int:item_id>/disseminations", methods=["POST"])
@login_required
def create_dissemination(item_id):
    """{"kim", "channel", "audience", "note"} -> 201 the dissemination."""
    data, error = json_body()
    if error:
        return error
    user, item, kim = _item_kim(item_id, data)
    row = review.disseminate(item, kim, actor=user, channel=data.get("channel"), audience=data.get("audience", 0),
                             note=_str(data, "note"))
    db.session.commit()
    return jsonify(id=row.id, item_id=item.id, kim=kim.slug, channel=row.channel, audience=row.audience,
                   created_at=iso(row.created_at)), 201
