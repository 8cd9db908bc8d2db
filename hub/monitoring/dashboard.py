"""Everything the coordinators' dashboard shows for a scope and a period, in one call."""
from dataclasses import dataclass, field

from . import measures, network, parallel
from .scope import kims_in


@dataclass
class Dashboard:
    scope: object
    period: object
    kims: list
    rows: list
    headline: list  # [(name, value, change)]
    totals: dict
    previous_totals: dict
    quiet: list  # KimRows of quiet KIMs, longest quiet first
    failing: dict  # kim_id -> [sources]
    edges: list = field(default_factory=list)
    travelled: list = field(default_factory=list)
    flagged: list = field(default_factory=list)
    trend: tuple = ((), {})


PICTURE_KIMS = 60


def scope_ids(scope, kims):
    return None if scope.whole else [k.id for k in kims]


def build(scope, period, *, quiet_days, today, now=None, trends=True, flows=True, all_medians=True):
    """all_medians=False leaves the median waits out (None): a page showing 50 rows fills in
    its own with measures.fill_medians, a tenth of a year's waits to read."""
    kims = kims_in(scope)
    ids = scope_ids(scope, kims)
    # the heavy reads go on other connections (plain numbers back), while this one builds the
    # KIM table, whose rows hold this session's KIMs, and the lists of items
    background = {"previous": lambda: measures.totals(measures.kim_table(
                      kims, period.previous(), quiet_days=quiet_days, whole=scope.whole, now=now, light=True))}
    if trends:
        background["trend"] = lambda: measures.weekly(ids, today, period.tz)
    if all_medians:
        background["medians"] = lambda: measures.seen_medians(ids, period)

    def here():
        rows = measures.kim_table(kims, period, quiet_days=quiet_days, whole=scope.whole, now=now, light=True)
        found = {"failing": measures.failing_sources(kims, period)}
        if flows:
            found["travelled"] = network.travelled(ids, period)
            found["flagged"] = network.flagged(ids, period)
        return rows, found
    done, (rows, found) = parallel.run(background, here)
    if all_medians:
        measures.put_medians(rows, done["medians"])
    headline, now_totals, before_totals = measures.headline(rows, done["previous"])
    quiet = sorted((r for r in rows if r.quiet),
                   key=lambda r: (r.last_activity_at is not None, r.last_activity_at or 0, r.kim.name))
    board = Dashboard(scope, period, kims, rows, headline, now_totals, before_totals, quiet, found["failing"])
    if flows:
        # a whole kabupaten draws its busiest KIMs; a kecamatan every exchange touching it
        among = network.busiest(rows, PICTURE_KIMS) if scope.whole else None
        board.edges = network.edges(ids, period, among)
        board.travelled = found["travelled"]
        board.flagged = found["flagged"]
    if trends:
        board.trend = done["trend"]
    return board


SORT_KEYS = ("name", "kecamatan", "members_active", "posts", "reads", "shares_sent", "shares_received", "passed_on",
             "declined", "pass_on_rate", "seen_median_hours", "checks", "flags", "disseminations", "audience",
             "akses", "diskusi", "implementasi", "networking", "diseminasi", "aspirasi", "aspirations",
             "last_activity_at")


def sort_rows(rows, key, descending):
    """Sort the KIM table by a column; empty values (no median, no rate, never active) last."""
    if key not in SORT_KEYS:
        key = "name"

    def value(row):
        if key in ("name", "kecamatan"):
            return getattr(row.kim, key).lower()
        if key == "disseminations":
            return row.disseminations["total"]
        if key == "aspirations":
            return row.aspirations["received"]
        if key in row.adinda:
            return row.adinda[key]
        return getattr(row, key)
    present = [r for r in rows if value(r) is not None]
    empty = [r for r in rows if value(r) is None]
    present.sort(key=lambda r: (value(r), r.kim.name.lower()), reverse=descending)
    return present + sorted(empty, key=lambda r: r.kim.name.lower()), key
