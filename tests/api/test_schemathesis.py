"""Schemathesis against the API's own OpenAPI description (issue 10): every operation, cases
generated from the schema (valid and invalid), as an admin with a token, over the monitoring
history. No answer may be a server error; every error answer must be JSON {"error": ...}."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from tests.monitoring.history import history  # noqa: F401  (fixture)


def test_api_never_answers_a_server_error(app, history):  # noqa: F811
    """Each operation gets its own derandomized Hypothesis run over the cases schemathesis draws
    from the description (schemathesis' pytest plugin does not load under pytest 9, so its
    strategies are driven here)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    token = app.test_client().post("/api/v1/tokens", json={"email": "admin@example.id", "password": "rahasia-123"})
    headers = {"Authorization": "Bearer " + token.get_json()["token"]}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 26
    failures = []
    for operation in operations:
        @settings(max_examples=20, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call_and_validate(headers=headers, checks=[not_a_server_error])
            if response.status_code >= 400 and response.status_code != 405:
                assert "error" in response.json(), (case.method, case.formatted_path, response.status_code)
        try:
            run()
        except Exception as exc:  # noqa: BLE001 - gather every operation's failure, then report
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:600])
    assert not failures, "\n\n".join(failures)


def test_the_description_covers_every_api_route(app):
    described = app.test_client().get("/api/v1/openapi.json").get_json()
    operations = {(method.upper(), path) for path, item in described["paths"].items() for method in item}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1/"):
            assert any(path.count("/") == rule.rule[len("/api/v1"):].count("/") for _m, path in operations)
    assert ("POST", "/tokens") in operations and ("GET", "/monitor/reach") in operations
    assert len(operations) >= 26
