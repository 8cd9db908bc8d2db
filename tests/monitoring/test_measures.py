"""Every measure of the dashboard for a known history, exactly, in the service, the API, the
CSV, the XLSX and the printed report; the period's edges are WIB days."""
import csv
import io
import re

from openpyxl import load_workbook

from hub.extensions import db
from hub.kims.service import get_kim
from hub.monitoring import measures
from hub.monitoring.period import Period
from hub.monitoring.report import kim_columns
from tests.factories import login

from .history import EDGES, EXPECTED, MONTH, history  # noqa: F401  (fixture)

NOVEMBER = Period(__import__("datetime").date(2026, 11, 1), __import__("datetime").date(2026, 11, 30),
                  "Asia/Jakarta")


def token(client, email):
    return {"Authorization": "Bearer " + client.post("/api/v1/tokens", json={
        "email": email, "password": "rahasia-123"}).get_json()["token"]}


def check(row, expected, where):
    for key, want in expected.items():
        got = row[key]
        if key == "disseminations":
            assert got == want, f"{where}: {key}"
        elif isinstance(want, dict):
            assert {k: got[k] for k in want} == want, f"{where}: {key}"
        else:
            assert got == want, f"{where}: {key} is {got!r}, want {want!r}"


def test_every_measure_of_the_month_in_the_service(app, history):
    with app.app_context():
        kims = [get_kim(s) for s in "abcde"]
        rows = measures.kim_table(kims, NOVEMBER, quiet_days=14)
        for row in rows:
            check(row.as_json(), EXPECTED[row.kim.slug], f"service, KIM {row.kim.slug}")
        totals = measures.totals(rows)
        assert totals["shares_sent"] == 4 and totals["passed_on"] == 1 and totals["kims_active"] == 3
        assert totals["quiet"] == 3 and totals["activities"] == 1


def test_the_api_carries_the_same_numbers(app, history):
    client = app.test_client()
    body = client.get("/api/v1/monitor/kims", query_string=MONTH, headers=token(client, "kab@example.id")).get_json()
    assert body["from"] == "2026-11-01" and body["to"] == "2026-11-30"
    by_slug = {k["slug"]: k for k in body["kims"]}
    assert sorted(by_slug) == list("abcde")
    for slug, expected in EXPECTED.items():
        check(by_slug[slug], expected, f"API, KIM {slug}")
        assert by_slug[slug]["kecamatan"] and by_slug[slug]["name"] == f"KIM {slug.upper()}"
    edges = client.get("/api/v1/monitor/exchanges", query_string=MONTH,
                       headers=token(client, "kab@example.id")).get_json()["edges"]
    assert sorted(edges, key=lambda e: (e["from"], e["to"])) == EDGES


def test_csv_xlsx_and_report_page_carry_the_api_numbers(app, history):
    client = app.test_client()
    api = {k["slug"]: k for k in client.get("/api/v1/monitor/kims", query_string=MONTH,
                                            headers=token(client, "kab@example.id")).get_json()["kims"]}
    login(client, "kab@example.id")
    keys = [key for key, _label in kim_columns()]

    def from_api(slug, key):
        value = api[slug]
        for part in key.split("."):
            value = value[part]
        return value

    response = client.get("/pantau/laporan.csv", query_string=MONTH)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(table) == 6
    for line in table[1:]:
        slug = line[0]
        for key, cell in zip(keys, line):
            want = from_api(slug, key)
            want = "" if want is None else "1" if want is True else "0" if want is False else str(want)
            assert cell == want, f"CSV {slug} {key}"

    response = client.get("/pantau/laporan.xlsx", query_string=MONTH)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6
    for line in rows[1:]:
        for key, cell in zip(keys, line):
            assert cell == from_api(line[0], key), f"XLSX {line[0]} {key}"

    page = client.get("/pantau/laporan", query_string={"month": "2026-11"}).get_data(as_text=True)
    for slug in "abcde":
        row = re.search(r'<tr data-kim="%s">(.*?)</tr>' % slug, page, re.S).group(1)
        cells = dict(re.findall(r'data-measure="([\w-]+)">([^<]*)<', row))
        for key in ("members_active", "posts", "reads", "shares_sent", "shares_received", "passed_on", "checks",
                    "flags"):
            assert cells[key] == str(api[slug][key]), f"page {slug} {key}"
        assert cells["disseminations"] == str(api[slug]["disseminations"]["total"])
        for activity, n in api[slug]["adinda"].items():
            assert cells[f"adinda-{activity}"] == str(n), f"page {slug} {activity}"


def test_dashboard_page_shows_quiet_kims_failing_sources_and_the_flow(app, history):
    client = app.test_client()
    login(client, "kab@example.id")
    page = client.get("/pantau", query_string=MONTH).get_data(as_text=True)
    quiet = page.split('class="plain quiet-list"')[1].split("</ul>")[0]
    assert "KIM B" in quiet and "KIM D" in quiet and "KIM E" in quiet and "KIM A" not in quiet
    assert "Rusak" in page and "Waktu habis: server sumber tidak menjawab" in page  # C's only source fails
    # the most travelled item, flagged at the end of the month: 4 shares before, none after
    assert "P1" in page.split('id="h-flow"')[1]
    flagged = page.split("Items flagged")[1] if "Items flagged" in page else page.split("ditandai")[-1]
    assert "4 / 0" in flagged


def test_a_week_and_the_previous_period(app, history):
    with app.app_context():
        from datetime import date
        week = Period(date(2026, 11, 1), date(2026, 11, 1), "Asia/Jakarta")  # the month's first WIB day
        rows = {r.kim.slug: r for r in measures.kim_table([get_kim(s) for s in "abcd"], week)}
        assert rows["a"].posts == 1 and rows["a"].shares_sent == 2 and rows["b"].passed_on == 1
        before = week.previous()
        assert (before.start, before.end) == (date(2026, 10, 31), date(2026, 10, 31))
        rows = {r.kim.slug: r for r in measures.kim_table([get_kim(s) for s in "abcd"], before)}
        assert rows["a"].posts == 1  # P0, 23.30 WIB on 31 October
        assert rows["b"].adinda["implementasi"] == 1  # the kerja bakti held on 31 October


def test_weekly_trend_counts_equal_the_raw_log(app, history):
    """The weekly series add up to the events of the weeks they cover."""
    with app.app_context():
        from datetime import date

        from sqlalchemy import func, select

        from hub.models import Activity, Event
        from hub.monitoring.period import day_start
        mondays, series = measures.weekly(None, date(2026, 12, 2), "Asia/Jakarta", weeks=10)
        start = day_start(mondays[0], "Asia/Jakarta")
        raw = dict(db.session.execute(select(Event.activity, func.count()).where(
            Event.occurred_at >= start, Event.activity.is_not(None), Event.activity != "implementasi",
            Event.kim_id.is_not(None)).group_by(Event.activity)).all())
        for activity in ("akses", "diskusi", "networking", "diseminasi"):
            assert sum(series[activity]) == raw.get(activity, 0), activity
        held = db.session.scalar(select(func.count()).select_from(Activity).where(Activity.held_on >= mondays[0]))
        assert sum(series["implementasi"]) == held == 3


def test_most_travelled_over_a_long_period_counts_as_the_raw_rows(app, history):  # noqa: F811
    """A period of a quarter or more counts shares in item order (a different plan on SQLite);
    the list is the one the raw exchanges give."""
    from collections import Counter
    from datetime import date

    from hub.models import Exchange
    from hub.monitoring import network
    year = Period(date(2026, 1, 1), date(2026, 12, 31), "Asia/Jakarta")
    with app.app_context():
        sent = db.session.execute(db.select(Exchange.item_id, Exchange.sent_at)).all()
        counts = Counter(i for i, at in sent if year.utc_start <= at < year.utc_end)
        want = sorted(counts.items(), key=lambda p: (-p[1], p[0]))[:10]
        got = [(t.item.id, t.shares) for t in network.travelled(None, year)]
        assert got == want and got
