"""GET /api/v1/openapi.json: an OpenAPI 3.0 description of the API, for the programs built
against it (and the schemathesis run in the tests). The paths come from the app's own URL map,
so a route cannot be left out; what each takes is written here."""
from flask import current_app, jsonify
from werkzeug.routing import AnyConverter, IntegerConverter

from ..text import MAX_ROW_ID
from . import bp

STR = {"type": "string"}
INT = {"type": "integer"}
ID = {"type": "integer", "minimum": 0, "maximum": MAX_ROW_ID}
DATE = {"type": "string", "format": "date"}
ERROR = {"type": "object", "properties": {"error": STR}, "required": ["error"]}


def _q(name, schema=STR, description=""):
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PERIOD = [_q("from", DATE, "first local day"), _q("to", DATE, "last local day"), _q("kecamatan"),
          _q("period", {"type": "string", "enum": ["week", "month", "last_month", "range"]})]
QUERY = {
    "/kims": [_q("q"), _q("kecamatan"), _q("page", INT), _q("per_page", INT)],
    "/timeline": [_q("kim"), _q("limit", INT), _q("cursor"), _q("q"), _q("source", INT), _q("bidang"), _q("kind"),
                  _q("unread", {"type": "string", "enum": ["1"]}), _q("starred", {"type": "string", "enum": ["1"]}),
                  _q("since", DATE), _q("until", DATE)],
    "/kims/{slug}/inbox": [_q("status"), _q("page", INT)],
    "/kims/{slug}/subscriptions/opml": [_q("bidang"), _q("kind")],
    "/kims/{slug}/aspirations": [_q("status"), _q("late", {"type": "string", "enum": ["1", "true"]}), _q("page", INT)],
    "/monitor/kims": PERIOD,
    "/monitor/exchanges": PERIOD,
    "/monitor/reach": PERIOD + [_q("item", ID), _q("source", ID)],
}


def _body(properties, required=()):
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": properties, "required": list(required)}}}}


BODY = {
    ("POST", "/tokens"): _body({"email": STR, "password": STR, "name": STR,
                                "expires_in_days": {"type": "integer", "minimum": 1, "maximum": 365}},
                               ["email", "password"]),
    ("POST", "/kims/{slug}/posts"): _body({"title": STR, "body": STR, "bidang": STR,
                                           "status": {"type": "string", "enum": ["draft", "published"]}},
                                          ["title", "body"]),
    ("POST", "/items/{item_id}/checks"): _body({"kim": STR, "note": STR, "links": {"type": "array", "items": STR}},
                                               ["kim", "note"]),
    ("POST", "/items/{item_id}/flags"): _body({"kim": STR, "kind": {"type": "string", "enum": ["hoaks", "misleading"]},
                                               "reason": STR}, ["kim", "kind", "reason"]),
    ("POST", "/items/{item_id}/disseminations"): _body({"kim": STR, "channel": STR, "audience": INT, "note": STR},
                                                       ["kim", "channel"]),
    ("POST", "/items/{item_id}/shares"): _body({"from_kim": STR, "to": {}, "note": STR,
                                                "as_warning": {"type": "boolean"}},
                                                ["from_kim", "to"]),
    ("PATCH", "/exchanges/{exchange_id}"): _body({"status": {"type": "string", "enum": ["seen", "passed_on",
                                                                                       "declined"]},
                                                  "note": STR, "to": {}, "as_warning": {"type": "boolean"}},
                                                 ["status"]),
    ("POST", "/kims/{slug}/subscriptions"): _body({"url": STR, "bidang": STR, "kind": STR, "title": STR}, ["url"]),
    ("POST", "/kims/{slug}/aspirations"): _body({"name": STR, "contact": STR, "nagari": STR, "category": STR,
                                                 "title": STR, "text": STR}, ["category", "title", "text"]),
    ("PATCH", "/kims/{slug}/aspirations/{aspiration_id}"): _body({"status": STR, "note": STR, "forward_to": INT,
                                                                  "answer": STR}, ["status"]),
    ("POST", "/notifications/read"): _body({"ids": {"type": "array", "items": ID}}),
    ("POST", "/items/{item_id}/comments"): _body({"kim": STR, "body": STR, "parent_id": ID}, ["kim", "body"]),
    ("POST", "/kims/{slug}/subscriptions/opml"): {"required": True, "content": {
        "text/x-opml": {"schema": STR}, "application/xml": {"schema": STR}}},
}
PUBLIC = {("GET", "/kims"), ("GET", "/kims/{slug}"), ("POST", "/tokens"), ("GET", "/openapi.json"),
          ("POST", "/kims/{slug}/aspirations"), ("GET", "/aspirations/{tracking}")}


def _path(rule):
    """'/api/v1/items/<int:item_id>' -> ('/items/{item_id}', [path parameters])."""
    path, params = rule.rule[len("/api/v1"):], []
    for name, converter in rule._converters.items():
        schema = ID if isinstance(converter, IntegerConverter) else (
            {"type": "string", "enum": sorted(converter.items)} if isinstance(converter, AnyConverter) else STR)
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    for part in path.split("/"):
        if part.startswith("<"):
            name = part[1:-1].split(":")[-1]
            path = path.replace(part, "{" + name + "}")
    return path, params


def describe(app):
    paths = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path, params = _path(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = {
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "parameters": params + QUERY.get(path, []),
                "responses": {
                    "200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "201": {"description": "Created", "content": {"application/json": {
                        "schema": {"type": "object"}}}},
                    "204": {"description": "Done"},
                    "default": {"description": "An error", "content": {"application/json": {"schema": ERROR}}},
                },
            }
            if (method, path) in BODY:
                operation["requestBody"] = BODY[(method, path)]
            if (method, path) not in PUBLIC:
                operation["security"] = [{"bearer": []}]
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": f"{app.config['HUB_NAME']} API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": dict(sorted(paths.items())),
    }


@bp.route("/openapi.json")
def openapi():
    return jsonify(describe(current_app))
