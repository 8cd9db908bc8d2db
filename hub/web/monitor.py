"""Pantau: the coordinators' dashboard, a KIM's drill-down, the exchange network, the reach of
an announcement and the monthly report (page, CSV, XLSX). Coordinators and admins only; a
kecamatan coordinator sees their kecamatan. Thin: every number comes from hub.monitoring."""
from dataclasses import dataclass
from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from .. import settings
from ..accounts.access import coordinates_kim, current_actor, is_officer, login_required
from ..aggregation.service import kim_subscriptions
from ..aspirasi import service as aspirasi
from ..errors import DomainError
from ..extensions import db, get_by_row_id
from ..kims.activities import activities_by_kim, activities_of
from ..kims.service import get_kim
from ..models import Item, Source
from ..monitoring import charts, measures, network, report
from ..monitoring import dashboard as boards
from ..monitoring import reach as reaching
from ..monitoring.labels import ADINDA_COLOURS, MEASURE_LABELS, PRESET_LABELS
from ..monitoring.period import local_today, month_of, parse_month, parse_period
from ..monitoring.scope import kecamatan_of, kims_in, monitors_item, scope_for
from ..sharing.service import send_from_office
from ..transactions import custom_plans
from ..vocabulary import (
    ACTIVITY_KIND_LABELS,
    ADINDA,
    ADINDA_LABELS,
    CHANNEL_LABELS,
    CHANNELS,
    FLAG_LABELS,
    STATUS_LABELS,
)
from .util import page_number

bp = Blueprint("monitor", __name__, url_prefix="/pantau")
# a coordinator's period may be a day or a year: plans for the values at hand
bp.before_request(custom_plans)
PER_PAGE = 50


def _tz():
    return current_app.config["HUB_TIMEZONE"]


def _scope(user):
    try:
        return scope_for(user, request.args.get("kecamatan") or None)
    except DomainError as exc:
        abort(exc.status)


def _period(args=None):
    """The period asked for; a bad one is reported and this month shown instead."""
    try:
        return parse_period(args or request.args, _tz())
    except DomainError as exc:
        flash(str(exc.message), "error")
        return parse_period({}, _tz())


def _common(user, scope, period):
    return {"scope": scope, "period": period, "presets": PRESET_LABELS, "labels": MEASURE_LABELS,
            "adinda_labels": ADINDA_LABELS, "adinda_colours": ADINDA_COLOURS, "adinda": ADINDA,
            "channels": CHANNELS, "channel_labels": CHANNEL_LABELS, "all_kecamatan": kecamatan_of(scope_for(user)),
            "kecamatan_arg": request.args.get("kecamatan", ""), "scope_label": scope.label(
                current_app.config["HUB_KABUPATEN"])}


def _trend(mondays, series, title):
    labels = [f"{m.day}/{m.month}" for m in mondays]
    return charts.pair(charts.lines(labels, series, title=title, names=ADINDA_LABELS),
                       charts.lines(labels, series, title=title, names=ADINDA_LABELS, width=400, height=240))


@dataclass
class ListPage:
    """One page of a list computed in Python, with what the pager macro (macros/forms.html)
    reads of Flask-SQLAlchemy's Pagination."""
    page: int
    pages: int

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def _page_of(items):
    """(ListPage, the page's slice of items) for a list shown PER_PAGE at a time."""
    pages = max(1, -(-len(items) // PER_PAGE))
    page = min(page_number(), pages)
    return ListPage(page, pages), items[(page - 1) * PER_PAGE:page * PER_PAGE]


def _picture(kims, activity, edges, limit):
    title = _("Shares between KIMs in the period")
    return charts.pair(charts.network(kims, activity, edges, title=title, limit=limit),
                       charts.network(kims, activity, edges, title=title, limit=min(limit, 24), size=300, font=15,
                                      label_chars=12))


@bp.route("/")
@login_required
def dashboard_page():
    return redirect(url_for("monitor.dashboard", **request.args))


@bp.route("")
@login_required
def dashboard():
    user = current_actor()
    scope = _scope(user)
    period = _period()
    quiet_days = settings.get("quiet_days")
    sort = request.args.get("sort", "name")
    # the page shows 50 rows: their median waits are all it needs, unless it is sorted by them
    by_median = sort == "seen_median_hours"
    board = boards.build(scope, period, quiet_days=quiet_days, today=local_today(_tz()), all_medians=by_median)
    descending = request.args.get("dir", "asc" if sort in ("name", "kecamatan") else "desc") == "desc"
    rows, sort = boards.sort_rows(board.rows, sort, descending)
    paging, shown = _page_of(rows)
    if not by_median:
        measures.fill_medians(shown, period)
    peaks = {a: max([r.adinda[a] for r in board.rows] + [0]) for a in ADINDA}
    mondays, series = board.trend
    trend_svg = _trend(mondays, series, _("Weekly ADINDA activity over the last 12 months"))
    activity = {r.kim.id: sum(r.adinda.values()) for r in board.rows}
    known = network.kims_of(board.kims, board.edges)
    picture = _picture(list(known.values()), activity, board.edges, 60)
    return render_template("monitor/dashboard.html", board=board, rows=shown, sort=sort, descending=descending,
                           paging=paging, peaks=peaks, trend_svg=trend_svg, mondays=mondays, series=series,
                           matrix=network.matrix(board.edges, limit=15), picture=picture, known=known,
                           inline_bar=charts.inline_bar, flag_labels=FLAG_LABELS, quiet_days=quiet_days,
                           **_common(user, scope, period))


@bp.route("/jejaring")
@login_required
def network_page():
    user = current_actor()
    scope = _scope(user)
    period = _period()
    kims = kims_in(scope)
    ids = boards.scope_ids(scope, kims)
    rows = measures.kim_table(kims, period, whole=scope.whole, light=True)
    among = network.busiest(rows, 80) if scope.whole else None
    every = network.edges(ids, period)
    picture_edges = every if among is None else network.edges(ids, period, among)
    paging, shown = _page_of(every)
    known = network.kims_of(kims, shown + picture_edges)
    activity = {r.kim.id: sum(r.adinda.values()) for r in rows}
    return render_template("monitor/network.html", edges=shown, edge_count=len(every), paging=paging, known=known,
                           matrix=network.matrix(picture_edges, limit=30),
                           picture=_picture(list(known.values()), activity, picture_edges, 80),
                           **_common(user, scope, period))


def _kim_or_404(slug):
    return get_kim(slug)


def _may_drill(user, kim):
    """Coordinators of the KIM's scope, admins, and the KIM's own officers."""
    return coordinates_kim(user, kim) or is_officer(user, kim)


@bp.route("/kim/<slug>")
@login_required
def kim_page(slug):
    user = current_actor()
    kim = _kim_or_404(slug)
    if not _may_drill(user, kim):
        abort(403)
    period = _period()
    row = measures.kim_table([kim], period, quiet_days=settings.get("quiet_days"))[0]
    weeks = measures.kim_weeks(kim, period, local_today(_tz()))
    mondays, series = measures.weekly([kim.id], local_today(_tz()), _tz())
    trend_svg = _trend(mondays, series, _("Weekly ADINDA activity of %(kim)s", kim=kim.name))
    sources = sorted(kim_subscriptions(kim), key=lambda sub: -sub.source.error_count)  # failing ones first
    failing = measures.failing_sources([kim], period).get(kim.id)
    received = db.session.scalars(network.exchanges_of(kim, period, "in").limit(30)).all()
    sent = db.session.scalars(network.exchanges_of(kim, period, "out").limit(30)).all()
    spread = db.session.scalars(network.disseminations_of(kim, period).limit(30)).all()
    activities = db.session.scalars(activities_of(kim, period.start, period.end).limit(30)).all()
    return render_template("monitor/kim.html", kim=kim, row=row, weeks=weeks, trend_svg=trend_svg, mondays=mondays,
                           series=series, members=measures.member_activity(kim, period), sources=sources,
                           failing=failing, received=received, sent=sent, spread=spread, activities=activities,
                           status_labels=STATUS_LABELS, kind_labels=ACTIVITY_KIND_LABELS,
                           may_monitor=coordinates_kim(user, kim), scope=None, period=period, presets=PRESET_LABELS,
                           labels=MEASURE_LABELS, adinda_labels=ADINDA_LABELS, adinda=ADINDA, channels=CHANNELS,
                           channel_labels=CHANNEL_LABELS, kecamatan_arg="", all_kecamatan=[])


def _office(user, scope):
    kabupaten = current_app.config["HUB_KABUPATEN"]
    if scope.whole:
        return _("Coordinator of Kabupaten %(k)s", k=kabupaten)
    return _("Coordinator of Kecamatan %(k)s", k=", ".join(sorted(scope.kecamatan)))


@bp.route("/jangkauan")
@login_required
def reach():
    user = current_actor()
    scope = _scope(user)
    kims = kims_in(scope)
    item = source = None
    rows, item_total = [], 0
    period = _period()
    item_arg, source_arg = request.args.get("item", "").strip(), request.args.get("source", "").strip()
    if item_arg:
        item = get_by_row_id(Item, item_arg)
        if item is None or not monitors_item(user, item):
            flash(_("No item numbered %(n)s is held by a KIM you coordinate.", n=item_arg[:20]), "error")
            item = None
        else:
            rows = reaching.of_item(item, kims)
    elif source_arg:
        source = get_by_row_id(Source, source_arg)
        if source is None:
            flash(_("No such source."), "error")
        else:
            rows, item_total = reaching.of_source(source, kims, period, whole=scope.whole)
    sources = reaching.followed_sources(kims)
    return render_template("monitor/reach.html", item=item, source=source, rows=rows, item_total=item_total,
                           sources=sources, reached=[r for r in rows if r.holds],
                           never=[r for r in rows if not r.holds], office=_office(user, scope),
                           **_common(user, scope, period))


@bp.route("/jangkauan/kirim", methods=["POST"])
@login_required
def send_on():
    user = current_actor()
    scope = _scope(user)
    item_arg = request.form.get("item", "")
    item = get_by_row_id(Item, item_arg)
    if item is None or not monitors_item(user, item):
        abort(404)
    slugs = request.form.getlist("to")
    targets = [k for k in kims_in(scope) if k.slug in slugs]
    if len(targets) != len(set(slugs)):
        abort(403)  # a KIM outside the scope, or no such KIM
    try:
        result = send_from_office(item, targets, actor=user, office=_office(user, scope),
                                  note=request.form.get("note", ""))
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return redirect(url_for("monitor.reach", item=item.id, kecamatan=request.args.get("kecamatan") or None))
    db.session.commit()
    flash(_("Sent to %(kims)s.", kims=", ".join(e.to_kim.name for e in result.exchanges)), "success")
    return redirect(url_for("monitor.reach", item=item.id, kecamatan=request.args.get("kecamatan") or None))


def _report_period():
    if request.args.get("month"):
        try:
            return parse_month(request.args["month"], _tz()), None
        except DomainError as exc:
            return None, exc
    if request.args.get("from") or request.args.get("to") or request.args.get("period"):
        try:
            return parse_period(request.args, _tz()), None
        except DomainError as exc:
            return None, exc
    today = local_today(_tz())  # the last complete month
    return month_of(today.replace(day=1) - timedelta(days=1), _tz()), None


def _report_scope(user):
    """The report covers one KIM (?kim=), one kecamatan (?kecamatan=) or the user's scope."""
    scope = _scope(user)
    slug = request.args.get("kim")
    if slug:
        kim = _kim_or_404(slug)
        if not coordinates_kim(user, kim):
            abort(403)
        return scope, [kim]
    return scope, kims_in(scope)


def _report_data(user):
    scope, kims = _report_scope(user)  # who asks comes first: a member gets 403 whatever the month
    period, error = _report_period()
    if error is not None:
        return None, error
    rows = measures.full_table(kims, period, quiet_days=settings.get("quiet_days"),
                               whole=scope.whole and not request.args.get("kim"))
    return (scope, kims, period, rows), None


def _by_kecamatan(rows):
    groups = {}
    for row in rows:
        groups.setdefault(row.kim.kecamatan, []).append(row)
    return [(name, measures.totals(group)) for name, group in sorted(groups.items())]


@bp.route("/laporan")
@login_required
def report_page():
    user = current_actor()
    data, error = _report_data(user)
    if error is not None:
        flash(str(error.message), "error")
        return redirect(url_for("monitor.report_page"))
    scope, kims, period, rows = data
    by_kecamatan = _by_kecamatan(rows)
    totals = measures.totals(rows)
    # a section per KIM, with its activities, up to 100 KIMs (a kabupaten's report beyond that
    # keeps to its tables)
    activities = activities_by_kim([k.id for k in kims], period.start, period.end) if len(kims) <= 100 else {}
    adinda_svg = charts.bars([str(ADINDA_LABELS[a]) for a in ADINDA], [totals["adinda"][a] for a in ADINDA],
                             title=_("ADINDA activities in the period"))
    aspiration_categories = aspirasi.by_category(None if scope.whole and not request.args.get("kim")
                                                 else [k.id for k in kims], period.utc_start, period.utc_end)
    return render_template("monitor/report.html", rows=rows, by_kecamatan=by_kecamatan, totals=totals,
                           aspiration_categories=aspiration_categories,
                           adinda_svg=adinda_svg, activities=activities, kind_labels=ACTIVITY_KIND_LABELS,
                           one_kim=kims[0] if request.args.get("kim") else None,
                           month=request.args.get("month") or period.start.strftime("%Y-%m"),
                           export_args={k: v for k, v in request.args.items() if v},
                           **_common(user, scope, period))


@bp.route("/laporan.<any(csv, xlsx):fmt>")
@login_required
def report_export(fmt):
    user = current_actor()
    data, error = _report_data(user)
    if error is not None:
        abort(400)
    scope, kims, period, rows = data
    header_keys, table = report.kim_table_rows(rows)
    header = [label for _key, label in header_keys]
    name = f"laporan-kim-{period.start.isoformat()}-{period.end.isoformat()}"
    if fmt == "csv":
        return Response(report.to_csv(header, table), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    kec_header = ["Kecamatan"] + [str(MEASURE_LABELS[k]) for k in measures.TOTALS]
    kec_rows = [[kec] + [t[k] for k in measures.TOTALS] for kec, t in _by_kecamatan(rows)]
    edges = network.edges(None if scope.whole else [k.id for k in kims], period)
    known = network.kims_of(kims, edges)
    edge_rows = [[known[a].slug, known[b].slug, n] for a, b, n in edges]
    categories = aspirasi.by_category([k.id for k in kims], period.utc_start, period.utc_end)
    body = report.to_xlsx([(_("KIMs"), header, table), (_("Kecamatan"), kec_header, kec_rows),
                           (_("Aspirations"), [_("Category"), str(MEASURE_LABELS["aspirations_received"])],
                            [list(c) for c in categories]),
                           (_("Exchanges"), ["from", "to", "count"], edge_rows)])
    return Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})

