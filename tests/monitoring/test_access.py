"""Who sees the monitoring side: coordinators of the scope and admins; members and officers
never (403); a kecamatan coordinator never another kecamatan; coordinators read items read-only."""
import pytest

from hub.extensions import db
from hub.models import Exchange
from tests.factories import login, post

from .history import MONTH, history  # noqa: F401  (fixture)
from .test_measures import token

EVERY_API = ["/api/v1/monitor/kims", "/api/v1/monitor/exchanges"]


@pytest.mark.parametrize("email", ["a1@example.id", "a2@example.id", "b1@example.id"])
def test_members_and_officers_see_none_of_it(app, history, email):
    client = app.test_client()
    for path in EVERY_API + [f"/api/v1/monitor/reach?item={history.p1}"]:
        assert client.get(path, headers=token(client, email)).status_code == 403, path
    login(client, email)
    for path in ["/pantau", "/pantau/jejaring", "/pantau/jangkauan", "/pantau/laporan", "/pantau/laporan.csv",
                 "/pantau/laporan.xlsx", "/pantau/kim/c"]:
        assert client.get(path).status_code == 403, path
    nav = client.get("/").get_data(as_text=True).split("</nav>")[0]
    assert 'href="/pantau"' not in nav


def test_anonymous_is_asked_to_log_in(app, history):
    client = app.test_client()
    assert client.get("/api/v1/monitor/kims").status_code == 401
    response = client.get("/pantau")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_kecamatan_coordinator_sees_their_kecamatan_only(app, history):
    client = app.test_client()
    headers = token(client, "gug@example.id")
    body = client.get("/api/v1/monitor/kims", query_string=MONTH, headers=headers).get_json()
    assert [k["slug"] for k in body["kims"]] == ["a", "b"]
    assert client.get("/api/v1/monitor/kims", query_string=dict(MONTH, kecamatan="Harau"),
                      headers=headers).status_code == 403
    assert client.get("/api/v1/monitor/kims", query_string=dict(MONTH, kecamatan="guguak"),
                      headers=headers).status_code == 200
    # exchanges that touch Guguak, including those with Harau
    edges = client.get("/api/v1/monitor/exchanges", query_string=MONTH, headers=headers).get_json()["edges"]
    assert sorted((e["from"], e["to"]) for e in edges) == [("a", "b"), ("a", "c"), ("b", "d"), ("c", "a")]
    harau = token(client, "har@example.id")
    edges = client.get("/api/v1/monitor/exchanges", query_string=MONTH, headers=harau).get_json()["edges"]
    assert sorted((e["from"], e["to"]) for e in edges) == [("a", "c"), ("b", "d"), ("c", "a")]
    login(client, "gug@example.id")
    assert client.get("/pantau", query_string={"kecamatan": "Harau"}).status_code == 403
    assert client.get("/pantau/kim/c").status_code == 403
    assert client.get("/pantau/kim/a").status_code == 200
    assert client.get("/pantau/laporan", query_string={"kim": "c"}).status_code == 403
    assert client.get("/pantau/laporan.csv", query_string={"kecamatan": "Harau"}).status_code == 403
    page = client.get("/pantau", query_string=MONTH).get_data(as_text=True)
    assert "KIM A" in page and "KIM B" in page and ">KIM C<" not in page.split('id="kim-table"')[1].split("</table>")[0]


@pytest.mark.parametrize("email", ["kab@example.id", "admin@example.id"])
def test_kabupaten_coordinators_and_admins_see_everything(app, history, email):
    client = app.test_client()
    body = client.get("/api/v1/monitor/kims", query_string=MONTH, headers=token(client, email)).get_json()
    assert [k["slug"] for k in body["kims"]] == list("abcde")
    login(client, email)
    for path in ["/pantau", "/pantau/jejaring", "/pantau/jangkauan", "/pantau/laporan", "/pantau/kim/e"]:
        assert client.get(path).status_code == 200, path


def test_the_kims_own_officers_see_its_drill_down_with_names(app, history):
    client = app.test_client()
    login(client, "a1@example.id")
    page = client.get("/pantau/kim/a", query_string=MONTH).get_data(as_text=True)
    assert "a2" in page  # member names, for its own officers
    assert client.get("/pantau/kim/b").status_code == 403
    member = app.test_client()
    login(member, "a2@example.id")
    assert member.get("/pantau/kim/a").status_code == 403


def test_coordinators_read_items_of_their_scope_read_only(app, history):
    client = app.test_client()
    login(client, "gug@example.id")
    page = client.get(f"/item/{history.p1}").get_data(as_text=True)
    assert "P1" in page
    assert 'action="/item/%d/share"' % history.p1 not in page
    assert 'action="/item/%d/check"' % history.p1 not in page
    assert 'action="/item/%d/flag"' % history.p1 not in page
    assert "Palsu" in page  # the flag, with its reason
    assert client.post(f"/item/{history.p1}/check", data={}).status_code in (400, 403, 404)
    with app.app_context():
        exchange_id = db.session.scalar(db.select(Exchange.id).where(Exchange.item_id == history.p1)
                                        .order_by(Exchange.id))
    assert client.get(f"/exchange/{exchange_id}").status_code == 200
    response = post(client, f"/exchange/{exchange_id}/decline", {"reason": "x"})
    assert response.status_code in (403, 404)
    # E (Luak) never held P1: the Luak coordinator cannot read it
    other = app.test_client()
    from tests.factories import make_user
    make_user(app, "luak@example.id", coordinator="Luak")
    login(other, "luak@example.id")
    assert other.get(f"/item/{history.p1}").status_code == 404
    assert other.get(f"/api/v1/monitor/reach?item={history.p1}",
                     headers=token(other, "luak@example.id")).status_code == 404


def test_bad_periods_get_a_clear_answer(app, history):
    client = app.test_client()
    headers = token(client, "kab@example.id")
    for args in ({"from": "2026-11-31", "to": "2026-12-01"}, {"from": "2026-12-01", "to": "2026-11-01"},
                 {"from": "2026-11-01"}, {"period": "decade"}, {"from": "2020-01-01", "to": "2026-01-01"}):
        response = client.get("/api/v1/monitor/kims", query_string=args, headers=headers)
        assert response.status_code == 422 and response.get_json()["error"], args
    login(client, "kab@example.id")
    response = client.get("/pantau", query_string={"from": "kemarin", "to": "2026-11-30"})
    assert response.status_code == 200 and "kemarin" in response.get_data(as_text=True)


def test_period_presets_and_changed_days():
    from datetime import date

    from hub.monitoring.period import parse_period
    today = date(2026, 12, 2)  # a Wednesday
    week = parse_period({"period": "week"}, "Asia/Jakarta", today)
    assert (week.start, week.end) == (date(2026, 11, 30), date(2026, 12, 6))
    last = parse_period({"period": "last_month"}, "Asia/Jakarta", today)
    assert (last.start, last.end, last.days) == (date(2026, 11, 1), date(2026, 11, 30), 30)
    assert (last.previous().start, last.previous().end) == (date(2026, 10, 2), date(2026, 10, 31))
    # the form sends the preset beside its days; days changed by hand win
    same = parse_period({"period": "last_month", "from": "2026-11-01", "to": "2026-11-30"}, "Asia/Jakarta", today)
    assert same.preset == "last_month"
    changed = parse_period({"period": "last_month", "from": "2026-11-10", "to": "2026-11-30"}, "Asia/Jakarta", today)
    assert (changed.preset, changed.start) == ("range", date(2026, 11, 10))
    assert parse_period({}, "Asia/Jakarta", today).start == date(2026, 12, 1)


def test_the_kim_table_pages_by_fifty(app):
    from tests.factories import make_kim, make_user
    for n in range(53):
        make_kim(app, f"kim-{n:02d}", name=f"KIM {n:02d}", kecamatan="Guguak")
    make_user(app, "kab@example.id", coordinator="kabupaten")
    client = app.test_client()
    login(client, "kab@example.id")
    first = client.get("/pantau").get_data(as_text=True)
    table = first.split('id="kim-table"')[1].split("</table>")[0]
    assert table.count('<tr class="is-quiet">') == 50 and "KIM 49" in table and "KIM 50" not in table
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/pantau?page=2").get_data(as_text=True)
    table = second.split('id="kim-table"')[1].split("</table>")[0]
    assert table.count('<tr class="is-quiet">') == 3 and "KIM 52" in table
    assert 'rel="prev"' in second and 'rel="next"' not in second
