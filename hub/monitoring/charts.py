"""Charts drawn on the server as inline SVG: no script, no external request, readable at 360 px
(they scale to the width) and in print. Every chart has a table behind it on the page."""
import math
from collections import defaultdict

from markupsafe import Markup, escape

from .labels import ADINDA_COLOURS


def _svg(width, height, body, label):
    return Markup(f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}" '
                  f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">{body}</svg>')


def inline_bar(value, maximum, colour="#0b6e4f", width=48):
    """A small bar beside a number in a table cell."""
    filled = 0 if not maximum else round(width * value / maximum, 1)
    return Markup(f'<svg class="bar" width="{width}" height="8" viewBox="0 0 {width} 8" aria-hidden="true">'
                  f'<rect width="{width}" height="8" fill="#e6ece9"/>'
                  f'<rect width="{filled}" height="8" fill="{colour}"/></svg>')


def _nice_max(value):
    """The top of a scale with four even steps (4, 8, 10, 20, 40, 80, 100, ...) at or above value."""
    magnitude = 1
    while True:
        for step in (1, 2, 2.5, 5):
            if 4 * step * magnitude >= value:
                return int(4 * step * magnitude)
        magnitude *= 10


def _scale(peak, left, top, plot_h, grid_right):
    """Four even steps up to peak: grid lines and their numbers (the parts a chart starts with)."""
    parts = []
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{grid_right}" y2="{y:.1f}" stroke="#d9e0dc"/>'
                     f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#5b6660">'
                     f'{peak * i / 4:g}</text>')
    return parts


def lines(labels, series, *, title, names, colours=ADINDA_COLOURS, width=720, height=260):
    """A line chart: labels along the bottom (a few shown), one line per series, a legend."""
    left, right, top, bottom = 40, 10, 10, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max([max(v) if v else 0 for v in series.values()] + [1]))
    n = max(len(labels), 2)
    parts = _scale(peak, left, top, plot_h, width - right)
    step = max(1, len(labels) // 6)
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1:
            x = left + plot_w * i / (n - 1)
            parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="11" text-anchor="middle" '
                         f'fill="#5b6660">{escape(label)}</text>')
    for key, values in series.items():
        points = " ".join(f"{left + plot_w * i / (n - 1):.1f},{top + plot_h - plot_h * v / peak:.1f}"
                          for i, v in enumerate(values))
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colours.get(key, "#333")}" '
                     f'stroke-width="2" stroke-linejoin="round"/>')
    x = left
    for key in series:  # legend, two rows if needed
        name = str(names.get(key, key))
        if x + 16 + 7 * len(name) > width:
            x = left
            top += 18
        y = height - 30 + (top - 10)
        parts.append(f'<rect x="{x}" y="{y - 9}" width="12" height="12" fill="{colours.get(key, "#333")}"/>'
                     f'<text x="{x + 16}" y="{y + 2}" font-size="12" fill="#1d2320">{escape(name)}</text>')
        x += 16 + 7 * len(name) + 14
    return _svg(width, height + (top - 10), "".join(parts), title)


def bars(labels, values, *, title, colour="#0b6e4f", width=720, height=220):
    """A bar chart of one series."""
    left, right, top, bottom = 40, 10, 10, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max(values + [1]))
    n = max(len(values), 1)
    gap = plot_w / n
    parts = _scale(peak, left, top, plot_h, width - right)
    step = max(1, n // 8)
    for i, (label, value) in enumerate(zip(labels, values)):
        h = plot_h * value / peak
        x = left + gap * i + gap * 0.15
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{gap * 0.7:.1f}" height="{h:.1f}" '
                     f'fill="{colour}"><title>{escape(label)}: {value}</title></rect>')
        if i % step == 0:
            parts.append(f'<text x="{x + gap * 0.35:.1f}" y="{top + plot_h + 16}" font-size="11" '
                         f'text-anchor="middle" fill="#5b6660">{escape(label)}</text>')
    return _svg(width, height, "".join(parts), title)


PALETTE = ("#0b6e4f", "#2563eb", "#d97706", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#b91c1c", "#57534e")


def network(kims, activity, edge_list, *, title, limit=60, size=640, font=11, label_chars=20):
    """A node-link picture: KIMs on a circle grouped by kecamatan (one colour each), a node's
    area by its activity, an edge's width by the shares between the two KIMs. A phone gets a
    smaller picture (fewer KIMs, larger letters): see compact()."""
    volume = defaultdict(int)
    for a, b, n in edge_list:
        volume[a] += n
        volume[b] += n
    ranked = sorted(kims, key=lambda k: (-(activity.get(k.id, 0) + volume.get(k.id, 0)), k.name))[:limit]
    shown = sorted(ranked, key=lambda k: (k.kecamatan, k.name))
    if not shown:
        return _svg(size, 60, f'<text x="10" y="30" font-size="14" fill="#5b6660">{escape(title)}</text>', title)
    kecamatan = sorted({k.kecamatan for k in shown})
    colour = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(kecamatan)}
    margin = round(label_chars * 0.62 * font) + 16  # room for the names beside the circle
    width = size + 2 * margin
    cx, cy = width / 2, size / 2
    radius = size / 2 - 40
    pos = {}
    count = len(shown) + len(kecamatan)  # a gap between kecamatan groups
    slot = 0
    previous = None
    for kim in shown:
        if previous is not None and kim.kecamatan != previous:
            slot += 1
        angle = 2 * math.pi * slot / count - math.pi / 2
        pos[kim.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle)
        previous = kim.kecamatan
        slot += 1
    peak_edge = max([n for a, b, n in edge_list if a in pos and b in pos] + [1])
    peak_act = max([activity.get(k.id, 0) for k in shown] + [1])
    parts = []
    for a, b, n in sorted(edge_list, key=lambda e: e[2]):
        if a in pos and b in pos:
            (x1, y1, _), (x2, y2, _) = pos[a], pos[b]
            parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#2563eb" '
                         f'stroke-opacity="0.45" stroke-width="{0.8 + 5 * n / peak_edge:.1f}">'
                         f'<title>{n}</title></line>')
    for kim in shown:
        x, y, angle = pos[kim.id]
        r = 4 + 12 * math.sqrt(activity.get(kim.id, 0) / peak_act)
        lx, ly = x + (r + 4) * math.cos(angle), y + (r + 4) * math.sin(angle)
        anchor = "start" if math.cos(angle) >= 0 else "end"
        label = kim.name if len(kim.name) <= label_chars else kim.name[:label_chars - 1] + "…"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour[kim.kecamatan]}">'
                     f'<title>{escape(kim.name)} ({escape(kim.kecamatan)}): {activity.get(kim.id, 0)}</title></circle>'
                     f'<text x="{lx:.1f}" y="{ly + 4:.1f}" font-size="{font}" text-anchor="{anchor}" '
                     f'fill="#1d2320">{escape(label)}</text>')
    legend_y = size + 8
    line = font + 7
    for i, name in enumerate(kecamatan):
        y = legend_y + line * i
        parts.append(f'<rect x="10" y="{y}" width="{font}" height="{font}" fill="{colour[name]}"/>'
                     f'<text x="{font + 16}" y="{y + font - 1}" font-size="{font + 1}" fill="#1d2320">'
                     f'{escape(name)}</text>')
    return _svg(width, size + 16 + line * len(kecamatan), "".join(parts), title)


def pair(wide, narrow):
    """A chart for wide screens and one drawn for a phone; CSS shows one of them."""
    return Markup(f'<div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>')
