"""Monitoring over the API: the KIM table, the exchange edges and the reach of an item or a
source, for coordinators and admins (a kecamatan coordinator: their kecamatan only)."""
import json
from functools import wraps

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from .. import settings
from ..accounts.access import current_actor, login_required
from ..extensions import get_by_row_id
from ..models import Item, Source
from ..monitoring import measures, network, reach
from ..monitoring.period import parse_period
from ..monitoring.scope import kims_in, monitors_item, scope_for
from ..transactions import custom_plans
from . import bp, json_error


def scoped(view):
    """A monitoring answer: the view gets (scope, kims, period) from ?kecamatan=&from=&to= (or
    &period=); a refused scope is 403, a bad period 422."""
    @wraps(view)
    def wrapper():
        custom_plans()  # a period of a day or of a year: plans for the values at hand
        scope = scope_for(current_actor(), request.args.get("kecamatan") or None)
        period = parse_period(request.args, current_app.config["HUB_TIMEZONE"])
        return view(scope, kims_in(scope), period)
    return login_required(wrapper)


@bp.route("/monitor/kims")
@scoped
def monitor_kims(scope, kims, period):
    rows = measures.full_table(kims, period, quiet_days=settings.get("quiet_days"), whole=scope.whole)
    return jsonify({"from": period.start.isoformat(), "to": period.end.isoformat(),
                    "kecamatan": None if scope.whole else sorted(scope.kecamatan),
                    "quiet_days": settings.get("quiet_days"),
                    "kims": [r.as_json() for r in rows]})


@bp.route("/monitor/exchanges")
@scoped
def monitor_exchanges(scope, kims, period):
    edges = network.edges(None if scope.whole else [k.id for k in kims], period)
    slug = {kim_id: kim.slug for kim_id, kim in network.kims_of(kims, edges).items()}
    # a year of a kabupaten is some 10^5 edges: compact JSON, no key sorting
    body = json.dumps({"from": period.start.isoformat(), "to": period.end.isoformat(),
                       "edges": [{"from": slug[a], "to": slug[b], "count": n} for a, b, n in edges]},
                      separators=(",", ":"), ensure_ascii=False)
    return current_app.response_class(body, mimetype="application/json")


@bp.route("/monitor/reach")
@scoped
def monitor_reach(scope, kims, period):
    item_arg, source_arg = request.args.get("item", ""), request.args.get("source", "")
    if item_arg:
        item = get_by_row_id(Item, item_arg)
        if item is None or not monitors_item(current_actor(), item):
            return json_error(404)
        rows = reach.of_item(item, kims)
        return jsonify({"item": item.id, "kims": [r.as_json() for r in rows]})
    if source_arg:
        source = get_by_row_id(Source, source_arg)
        if source is None:
            return json_error(404)
        rows, count = reach.of_source(source, kims, period, whole=scope.whole)
        return jsonify({"source": source.id, "from": period.start.isoformat(), "to": period.end.isoformat(),
                        "items": count, "kims": [r.as_json() for r in rows]})
    return json_error(422, _("Give ?item=<id>, or ?source=<id> with &from= and &to=."))
