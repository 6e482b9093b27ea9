"""Inline SVG charts for the report: a heatmap and horizontal bar charts.

Hand-written SVG rather than a charting library: the charts are a handful of rectangles and
labels, so the markup is small (tens of KB), needs no JavaScript to draw, prints, and adds no
dependency (an inlined plotly.js alone is ~3.5 MB). Text is drawn by the browser with the
page's CJK font list, so Chinese labels render wherever one of those fonts is installed.
Every string that reaches the markup goes through ``html.escape``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

# Category colours (Tableau 10 and four darker ones): neighbours stay distinguishable.
PALETTE = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#2f4b7c", "#d45087", "#665191", "#8cd17d",
]  # fmt: skip
FONT = 13  # px, label size in every chart


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def text_width(text: str, size: float = FONT) -> float:
    """Approximate rendered width: CJK glyphs are one em wide, Latin ones about 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def fmt_number(value: float) -> str:
    """1800.0 → "1,800"; 33.33 → "33.33" (the CSV's own digits, grouped)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass
class HeatRow:
    """One heatmap row: a region (``key`` set) or a province header (``key`` empty)."""

    label: str
    key: str = ""
    href: str = ""


def heatmap_svg(
    rows: list[HeatRow],
    columns: list[tuple[str, str]],
    cells: dict[tuple[str, str], tuple[int, int]],
    title: str,
) -> str:
    """Region × category grid; a cell shows ``programmes · measures``, shaded by their sum.

    ``columns`` are (category code, label); ``cells`` maps (row key, code) to
    (n_programs, n_measures).
    """
    return "".join(heatmap_svg_parts(rows, columns, cells, title))


def heatmap_svg_parts(
    rows: list[HeatRow],
    columns: list[tuple[str, str]],
    cells: dict[tuple[str, str], tuple[int, int]],
    title: str,
) -> Iterator[str]:
    """``heatmap_svg`` a row at a time: with thousands of regions the grid is megabytes."""
    cell_w, cell_h, head_h = 78, 30, 46
    label_w = max([text_width(r.label) for r in rows] + [60]) + 24
    width = label_w + cell_w * len(columns) + 8
    height = head_h + cell_h * len(rows) + 4
    peak = max([p + m for p, m in cells.values()] + [1])
    out = [
        f'<svg class="chart heatmap" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" height="{height}">',
        f"<title>{esc(title)}</title>",
    ]
    for j, (code, label) in enumerate(columns):
        x = label_w + j * cell_w + cell_w / 2
        out.append(
            f'<text x="{x:.1f}" y="18" text-anchor="middle" class="col">{esc(label)}</text>'
            f'<text x="{x:.1f}" y="36" text-anchor="middle" class="sub">{esc(code or "—")}</text>'
        )
    for i, row in enumerate(rows):
        yield "".join(out)
        out = []
        y = head_h + i * cell_h
        if not row.key:  # province header spanning the row
            out.append(
                f'<rect x="0" y="{y}" width="{width:.0f}" height="{cell_h}" class="group"/>'
                f'<text x="6" y="{y + 20}" class="group-label">{esc(row.label)}</text>'
            )
            continue
        label = f'<text x="18" y="{y + 20}" class="row">{esc(row.label)}</text>'
        out.append(f'<a href="{esc(row.href)}">{label}</a>' if row.href else label)
        for j, (code, label) in enumerate(columns):
            x = label_w + j * cell_w
            n_prog, n_meas = cells.get((row.key, code), (0, 0))
            total = n_prog + n_meas
            tip = f"{row.label} · {label}: {n_prog} programmes, {n_meas} measures"
            if total == 0:
                out.append(
                    f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                    f'class="empty"><title>{esc(tip)}</title></rect>'
                )
                continue
            share = total / peak
            # Light blue to dark blue; white digits once the cell is dark enough.
            fill = _mix("#e8f0fa", "#1f4e8c", 0.15 + 0.85 * share)
            ink = "#fff" if share > 0.45 else "#17202a"
            out.append(
                f'<g class="cell" data-region="{esc(row.key)}" data-category="{esc(code)}">'
                f"<title>{esc(tip)}</title>"
                f'<rect x="{x + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'rx="3" fill="{fill}"/>'
                f'<text x="{x + cell_w / 2:.1f}" y="{y + 20}" text-anchor="middle" '
                f'fill="{ink}">{n_prog} · {n_meas}</text></g>'
            )
    out.append("</svg>")
    yield "".join(out)


@dataclass
class Series:
    name: str
    values: list[float]
    color: str


def bar_chart_svg(
    labels: list[str],
    series: list[Series],
    title: str,
    mode: str = "grouped",
    unit: str = "",
) -> str:
    """Horizontal bars, one band per label.

    ``mode``: ``grouped`` (one bar per series), ``stacked`` (series end to end) or ``share``
    (stacked and scaled to 100 % of the band's total; the counts are printed on the bars).
    """
    if mode not in ("grouped", "stacked", "share"):
        raise ValueError(f"unknown bar chart mode {mode!r}")
    bar_h = 16
    band_h = (bar_h * len(series) if mode == "grouped" else bar_h) + 14
    label_w = max([text_width(lb) for lb in labels] + [40]) + 12
    plot_w = 520
    legend_h = 24 * (1 + _legend_rows(series, label_w + plot_w + 90))
    width = label_w + plot_w + 90
    height = legend_h + band_h * len(labels) + 6
    totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
    if mode == "grouped":
        peak = max([v for s in series for v in s.values] + [0])
    else:
        peak = max([*totals, 0])
    scale = plot_w / peak if peak and mode != "share" else 0.0
    out = [
        f'<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" height="{height}">',
        f"<title>{esc(title)}</title>",
        _legend(series, width),
    ]
    for i, label in enumerate(labels):
        y0 = legend_h + i * band_h
        out.append(
            f'<text x="{label_w - 8:.1f}" y="{y0 + band_h / 2 + 4:.1f}" text-anchor="end" '
            f'class="row">{esc(label)}</text>'
        )
        x = label_w
        for k, s in enumerate(series):
            value = s.values[i]
            if mode == "share":
                w = plot_w * value / totals[i] if totals[i] else 0.0
            else:
                w = value * scale
            y = y0 + 7 + (k * bar_h if mode == "grouped" else 0)
            text = f"{fmt_number(value)}{unit}"
            tip = f"{label} · {s.name}: {text}"
            if w > 0:
                out.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                    f'fill="{s.color}"><title>{esc(tip)}</title></rect>'
                )
            if mode == "grouped":
                # The value right of its bar; "—" for no figure (once for an empty band).
                shown = text if value else ("" if k and not totals[i] else "—")
                out.append(
                    f'<text x="{x + w + 4:.1f}" y="{y + 11}" class="val">{esc(shown)}</text>'
                )
            elif w >= text_width(text, 11) + 6:
                out.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 11}" text-anchor="middle" '
                    f'class="val in">{esc(text)}</text>'
                )
            if mode != "grouped":
                x += w
        if mode == "stacked":
            out.append(
                f'<text x="{x + 4:.1f}" y="{y0 + 18}" class="val">'
                f"{esc(fmt_number(totals[i]) + unit if totals[i] else '—')}</text>"
            )
        elif mode == "share" and not totals[i]:
            out.append(f'<text x="{x + 4:.1f}" y="{y0 + 18}" class="val">—</text>')
    out.append("</svg>")
    return "".join(out)


def _legend_rows(series: list[Series], width: float) -> int:
    rows, x = 0, 0.0
    for s in series:
        w = text_width(s.name) + 30
        if x + w > width and x:
            rows, x = rows + 1, 0.0
        x += w
    return rows


def _legend(series: list[Series], width: float) -> str:
    parts, x, y = [], 4.0, 4
    for s in series:
        w = text_width(s.name) + 30
        if x + w > width and x > 4:
            x, y = 4.0, y + 24
        parts.append(
            f'<rect x="{x:.1f}" y="{y + 3}" width="14" height="14" fill="{s.color}"/>'
            f'<text x="{x + 19:.1f}" y="{y + 15}" class="legend">{esc(s.name)}</text>'
        )
        x += w
    return '<g class="legend">' + "".join(parts) + "</g>"


def _mix(a: str, b: str, t: float) -> str:
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))
