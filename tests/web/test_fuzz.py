"""A property-based fuzzer over every route of the web and the API (issue 10: no 500 for any
input). Hypothesis draws a route of the app's own URL map, hostile values for its path
arguments, query strings with the parameter names the hub reads (and others), form fields with a
valid CSRF token, and JSON bodies of every shape, for an anonymous visitor, a member, an officer,
a coordinator and an admin of the monitoring history. Every answer must be below 500.
Derandomized: the same examples every run."""
import json
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter, IntegerConverter

from tests.factories import csrf_token, login
from tests.monitoring.history import history  # noqa: F401  (fixture)

HOSTILE = ["", " ", "0", "-1", "1", "2", "3", "2147483648", "99999999999999999999999", "1e309", "NaN", "-0",
           "9999-12-31", "0001-01-01", "2026-02-30", "2026-13", "0-0", "null", "true", "[]", "{}", "%", "%00",
           "\x00", "a" * 3000, "'\"<script>alert(1)</script>", "../../etc/passwd", "😀", "١٢٣", "talago",
           "kim-a", "a", "guguak", "Guguak", "network", "name", "seen_median_hours", "desc", "asc", "this_month",
           "last_month", "range", "hoaks", "whatsapp", "pertanian", "pemerintah", "en", "id", "sent", "declined",
           "passed_on", "read", "star", "http://127.0.0.1:9/feed", "javascript:alert(1)", "//evil.example/"]
PARAMS = ["page", "cursor", "q", "since", "until", "from", "to", "period", "kecamatan", "sort", "dir", "month",
          "item", "source", "kim", "status", "unread", "starred", "shared", "bidang", "kind", "limit", "next",
          "lang", "other", "keep", "note", "url", "title", "body", "reason", "channel", "audience", "email",
          "password", "name", "role", "days", "quiet_days", "retention_days", "to_kim", "held_on", "participants",
          "links", "expires_in_days", "x"]
ROLES = ["anonymous", "a1@example.id", "a2@example.id", "kab@example.id", "admin@example.id"]

text = st.sampled_from(HOSTILE) | st.text(max_size=40)
ints = st.sampled_from(["0", "1", "2", "3", "5", "2147483647", "2147483648", "99999999999999999999"])
json_values = st.recursive(st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
                           | st.floats(allow_nan=False) | text,
                           lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.sampled_from(PARAMS), inner, max_size=4), max_leaves=12)


def routes(app):
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.rule in ("/logout",):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            out.append((method, rule))
    return sorted(out, key=lambda r: (r[1].rule, r[0]))


def fill(rule, draw):
    """The rule's path with drawn values for its arguments (through the rule's own converters)."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = int(draw(ints))
        elif isinstance(converter, AnyConverter):
            values[name] = draw(st.sampled_from(sorted(converter.items)))
        else:
            values[name] = draw(text) or "a"
    return rule.build(values, append_unknown=False)[1]


@pytest.mark.parametrize("who", ROLES)
def test_no_input_answers_500(app, history, who):  # noqa: F811
    client = app.test_client()
    if who != "anonymous":
        assert login(client, who).status_code == 302
    token = None
    if who != "anonymous":
        made = client.post("/api/v1/tokens", json={"email": who, "password": "rahasia-123"})
        token = made.get_json()["token"]
    table = routes(app)
    csrf = csrf_token(client)
    failures = []

    @settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(st.data())
    def fuzz(data):
        method, rule = data.draw(st.sampled_from(table))
        path = fill(rule, data.draw)
        query = data.draw(st.dictionaries(st.sampled_from(PARAMS), text, max_size=4))
        url = path + ("?" + urlencode(query) if query else "")
        headers = {"Authorization": f"Bearer {token}"} if token and rule.rule.startswith("/api/") else {}
        if method == "GET":
            response = client.get(url, headers=headers)
        elif rule.rule.startswith("/api/"):
            body = data.draw(json_values)
            response = client.open(url, method=method, headers=headers, data=json.dumps(body),
                                   content_type="application/json")
        else:
            form = data.draw(st.dictionaries(st.sampled_from(PARAMS), text, max_size=6))
            form["csrf_token"] = csrf
            response = client.open(url, method=method, data=form)
        if response.status_code >= 500:
            failures.append(f"{method} {url} -> {response.status_code}")
        assert response.status_code < 500, f"{method} {url} -> {response.status_code}"
    fuzz()
    assert not failures


def test_bodies_nested_too_deeply_are_refused_not_500(app, history):  # noqa: F811
    client = app.test_client()
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/tokens", data=deep, content_type="application/json")
    assert response.status_code == 400 and response.is_json


def test_a_feed_nested_too_deeply_is_a_broken_feed(app):
    from hub.aggregation.parse import BrokenFeed, parse
    body = (b'{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": '
            + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with pytest.raises(BrokenFeed):
        parse(body, "https://kim.example.id/feed.json", "application/feed+json")


def test_what_the_fuzzer_found(app, history):  # noqa: F811
    """Each gave a 500: an id beyond the integer keys in a path, a NUL character anywhere."""
    client = app.test_client()
    assert client.get("/api/v1/items/99999999999999999999").status_code == 404
    login(client, "a1@example.id")
    assert client.get("/item/2147483648").status_code == 404
    refused = client.get("/api/v1/kims/%00")
    assert refused.status_code == 400 and "NUL" in refused.get_json()["error"]
    assert client.get("/linimasa?q=%00").status_code == 400
    assert client.post("/api/v1/tokens", json={"email": "a\x00@x.id", "password": "x"}).status_code == 400
