"""Subscriptions and source health over the API."""
from flask import current_app, jsonify, request

from ..accounts.access import (
    can_act_for,
    current_actor,
    kim_manager_required,
    login_required,
    may_see_kim,
)
from ..aggregation import service
from ..aggregation.discover import DiscoveryError, discover
from ..extensions import db
from ..kims.service import get_kim
from . import bp, iso, json_body, json_error


def source_json(source):
    return {
        "id": source.id, "url": source.url, "title": source.title, "site_url": source.site_url,
        "kind": source.kind,
        "health": {
            "last_status": source.last_status, "error_count": source.error_count, "last_error": source.last_error,
            "last_error_code": source.last_error_code,
            "last_checked_at": iso(source.last_checked_at), "last_success_at": iso(source.last_success_at),
            "next_check_at": iso(source.next_check_at),
            "stopped": source.stopped_at is not None,
        },
    }


def subscription_json(subscription):
    return {"id": subscription.id, "kim": subscription.kim.slug, "title": service.display_name(subscription),
            "bidang": subscription.bidang, "created_at": subscription.created_at.isoformat(),
            "source": source_json(subscription.source)}


@bp.route("/kims/<slug>/subscriptions")
@login_required
def list_subscriptions(slug):
    kim = get_kim(slug)
    user = current_actor()
    if not may_see_kim(user, kim):
        return json_error(404)
    if not can_act_for(user, kim):
        return json_error(403)
    return jsonify(subscriptions=[subscription_json(s) for s in service.kim_subscriptions(kim)])


@bp.route("/kims/<slug>/subscriptions", methods=["POST"])
@kim_manager_required
def create_subscription(kim):
    data, error = json_body()
    if error:
        return error
    url, bidang = data.get("url"), data.get("bidang", "umum")
    if not isinstance(url, str) or not isinstance(bidang, str):
        return json_error(400, 'Send {"url": ..., "bidang": ...}.')
    try:
        url = service.normalize_url(url)
        service.check_bidang(bidang)
        candidates = discover(url, allow_private=current_app.config["HUB_ALLOW_PRIVATE_FEEDS"])
        subscription = service.subscribe(kim, candidates[0].url, bidang=bidang, kind=data.get("kind") or "lainnya",
                                         title=str(data.get("title") or ""), actor=current_actor())
        if not subscription.source.title:
            subscription.source.title = candidates[0].title[:500]
    except DiscoveryError as exc:
        return json_error(422, str(exc))
    db.session.commit()
    body = subscription_json(subscription)
    if len(candidates) > 1:
        body["other_feeds"] = [c.url for c in candidates[1:]]
    return jsonify(body), 201


@bp.route("/kims/<slug>/subscriptions/<int:subscription_id>", methods=["DELETE"])
@kim_manager_required
def delete_subscription(kim, subscription_id):
    subscription = service.get_subscription(kim, subscription_id)
    service.unsubscribe(subscription, actor=current_actor())
    db.session.commit()
    return "", 204


@bp.route("/kims/<slug>/subscriptions/opml", methods=["POST"])
@kim_manager_required
def import_subscriptions(kim):
    data = request.get_data(cache=False)
    report = service.import_opml(kim, data, default_bidang=request.args.get("bidang", "umum"),
                                 kind=request.args.get("kind", "lainnya"), actor=current_actor())
    db.session.commit()
    counts = {status: sum(1 for line in report if line.status == status) for status in ("added", "skipped", "failed")}
    return jsonify(report=[line.__dict__ for line in report], **counts), 200


@bp.route("/sources/<int:source_id>")
@login_required
def get_source(source_id):
    source = service.visible_source(current_actor(), source_id)
    if source is None:
        return json_error(404)
    return jsonify(source_json(source))
