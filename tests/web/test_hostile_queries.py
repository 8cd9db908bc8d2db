"""No 500 for any query string: days at the edges of the calendar, ids no row can have, huge
page numbers, odd sort keys, on the timeline, the inbox and sent list and the monitoring pages
and API (each found giving a 500 before, issue 10)."""
import pytest

from tests.factories import login
from tests.monitoring.history import history  # noqa: F401  (fixture)
from tests.monitoring.test_measures import token

MEMBER_PATHS = [
    "/linimasa?until=9999-12-31", "/linimasa?since=0001-01-01&until=9999-12-31", "/linimasa?since=2026-02-30",
    "/kim/a/inbox?until=9999-12-31", "/kim/a/inbox?since=0001-01-01", "/kim/a/terkirim?until=9999-12-31",
    "/kim/a/inbox?page=99999999999999999999", "/kim/?page=99999999999999999999", "/kim/a/kegiatan?page=-5",
    "/linimasa?cursor=99999999999999999999999.1", "/linimasa?cursor=-1.-1",
]
COORDINATOR_PATHS = [
    "/pantau?from=0001-01-01&to=0001-12-31", "/pantau?from=9999-12-01&to=9999-12-31", "/pantau?page=99999999999999",
    "/pantau?sort=__class__&dir=x", "/pantau/laporan?month=9999-12", "/pantau/laporan?month=0-0",
    "/pantau/laporan.csv?month=2026-13", "/pantau/laporan.xlsx?month=9999-12",
    "/pantau/jangkauan?item=99999999999999999999", "/pantau/jangkauan?source=99999999999999999999",
    "/pantau/jangkauan?item=2147483648", "/pantau/kim/a?from=2026-02-30&to=2026-03-01",
    "/pantau/jejaring?page=99999999999999999999",
]
API_PATHS = [
    "/api/v1/monitor/reach?item=99999999999999999999999", "/api/v1/monitor/reach?source=2147483648",
    "/api/v1/monitor/kims?from=9999-12-31&to=9999-12-31", "/api/v1/monitor/exchanges?from=x&to=y",
]


@pytest.mark.parametrize("email,paths", [("a1@example.id", MEMBER_PATHS + COORDINATOR_PATHS),
                                         ("kab@example.id", COORDINATOR_PATHS)])
def test_no_page_answers_500(app, history, email, paths):
    client = app.test_client()
    login(client, email)
    codes = {path: client.get(path).status_code for path in paths}
    assert {path: code for path, code in codes.items() if code >= 500} == {}


def test_no_api_answer_is_500(app, history):
    client = app.test_client()
    headers = token(client, "kab@example.id")
    for path in API_PATHS:
        response = client.get(path, headers=headers)
        assert response.status_code in (404, 422), (path, response.status_code)
        assert response.get_json()["error"]
