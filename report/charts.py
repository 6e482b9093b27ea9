"""Inline SVG charts for the report: a heatmap and horizontal bar charts.

Hand-made SVG rather than a charting library: the charts are a handful of rectangles and
labels, so the markup is small (tens of KB), needs no JavaScript to draw, prints, and adds no
dependency (an inlined plotly.js alone is ~3.5 MB). Text is drawn by the browser with the
page's CJK font list, so Chinese labels render wherever one of those fonts is installed.

This module does the layout only (positions, sizes, colours, tooltips); the markup is the
Jinja2 templates ``data/heatmap.svg`` and ``data/bars.svg``, autoescaped like the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

from orgwork.report.templates import environment, fmt_number

# Category colours (Tableau 10 and four darker ones): neighbours stay distinguishable.
PALETTE = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
    "#ff9da7", "#9c755f", "#bab0ac", "#2f4b7c", "#d45087", "#665191", "#8cd17d",
]  # fmt: skip
FONT = 13  # px, label size in every chart
LIGHT, DARK = "#e8f0fa", "#1f4e8c"  # the shading of heatmap cells


def text_width(text: str, size: float = FONT) -> float:
    """Approximate rendered width: CJK glyphs are one em wide, Latin ones about 0.6 em."""
    return sum(size if ord(ch) > 0x2E7F else size * 0.6 for ch in text)


def shade(share: float) -> tuple[str, str]:
    """(fill, ink) of a cell whose value is ``share`` of the largest: light blue to dark
    blue, white digits once the cell is dark enough."""
    return _mix(LIGHT, DARK, 0.15 + 0.85 * share), "#fff" if share > 0.45 else "#17202a"


# --- heatmap --------------------------------------------------------------------------------


@dataclass
class HeatRow:
    """One heatmap row: a region (``key`` set) or a province header (``key`` empty)."""

    label: str
    key: str = ""
    href: str = ""


@dataclass
class HeatCell:
    x: float
    code: str
    n_programs: int
    n_measures: int
    tip: str
    fill: str = ""  # "" for an empty cell
    ink: str = ""


@dataclass
class HeatLine:
    """A row as drawn: its top ``y`` and, for a region, its cells."""

    row: HeatRow
    y: int
    cells: list[HeatCell] = field(default_factory=list)


@dataclass
class Heatmap:
    title: str
    width: float
    height: int
    columns: list[tuple[float, str, str]]  # (centre x, code, label)
    lines: Iterator[HeatLine]  # made as the template draws them (data/heatmap.svg)
    cell_w: int = 78
    cell_h: int = 30


def heatmap_layout(
    rows: list[HeatRow],
    columns: list[tuple[str, str]],
    cells: dict[tuple[str, str], tuple[int, int]],
    title: str,
) -> Heatmap:
    """Region × category grid; a cell shows ``programmes · measures``, shaded by their sum.

    ``columns`` are (category code, label); ``cells`` maps (row key, code) to
    (n_programs, n_measures). The lines are a generator: with thousands of regions the grid
    is megabytes, drawn a row at a time.
    """
    cell_w, cell_h, head_h = 78, 30, 46
    label_w = max([text_width(r.label) for r in rows] + [60]) + 24
    width = label_w + cell_w * len(columns) + 8
    height = head_h + cell_h * len(rows) + 4
    peak = max([p + m for p, m in cells.values()] + [1])

    def lines() -> Iterator[HeatLine]:
        for i, row in enumerate(rows):
            line = HeatLine(row, head_h + i * cell_h)
            if row.key:
                for j, (code, label) in enumerate(columns):
                    n_prog, n_meas = cells.get((row.key, code), (0, 0))
                    tip = f"{row.label} · {label}: {n_prog} programmes, {n_meas} measures"
                    cell = HeatCell(label_w + j * cell_w, code, n_prog, n_meas, tip)
                    if n_prog + n_meas:
                        cell.fill, cell.ink = shade((n_prog + n_meas) / peak)
                    line.cells.append(cell)
            yield line

    centres = [
        (label_w + (j + 0.5) * cell_w, code, label) for j, (code, label) in enumerate(columns)
    ]
    return Heatmap(title, width, height, centres, lines(), cell_w, cell_h)


# --- bar charts -----------------------------------------------------------------------------


@dataclass
class Series:
    name: str
    values: list[float]
    color: str


@dataclass
class Bar:
    x: float
    y: int
    w: float
    color: str
    tip: str
    kind: str = "bar"


@dataclass
class BarText:
    x: float
    y: int
    text: str
    kind: str = "text"  # "inside": centred on its bar, in white


@dataclass
class Band:
    label: str
    label_x: float
    label_y: float
    marks: list[Bar | BarText] = field(default_factory=list)  # in drawing order


@dataclass
class LegendItem:
    x: float
    y: int
    name: str
    color: str


@dataclass
class BarChart:
    title: str
    width: float
    height: int
    bar_h: int
    legend: list[LegendItem]
    bands: list[Band]


def bar_chart_layout(
    labels: list[str],
    series: list[Series],
    title: str,
    mode: str = "grouped",
    unit: str = "",
) -> BarChart:
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
    bands = []
    for i, label in enumerate(labels):
        y0 = legend_h + i * band_h
        band = Band(label, label_w - 8, y0 + band_h / 2 + 4)
        x = label_w
        for k, s in enumerate(series):
            value = s.values[i]
            if mode == "share":
                w = plot_w * value / totals[i] if totals[i] else 0.0
            else:
                w = value * scale
            y = y0 + 7 + (k * bar_h if mode == "grouped" else 0)
            text = f"{fmt_number(value)}{unit}"
            if w > 0:
                band.marks.append(Bar(x, y, w, s.color, f"{label} · {s.name}: {text}"))
            if mode == "grouped":
                # The value right of its bar; "—" for no figure (once for an empty band).
                shown = text if value else ("" if k and not totals[i] else "—")
                band.marks.append(BarText(x + w + 4, y + 11, shown))
            elif w >= text_width(text, 11) + 6:
                band.marks.append(BarText(x + w / 2, y + 11, text, "inside"))
            if mode != "grouped":
                x += w
        if mode == "stacked":
            total = fmt_number(totals[i]) + unit if totals[i] else "—"
            band.marks.append(BarText(x + 4, y0 + 18, total))
        elif mode == "share" and not totals[i]:
            band.marks.append(BarText(x + 4, y0 + 18, "—"))
        bands.append(band)
    return BarChart(title, width, height, bar_h, _legend(series, width), bands)


def bar_chart_svg(
    labels: list[str],
    series: list[Series],
    title: str,
    mode: str = "grouped",
    unit: str = "",
) -> Markup:
    """``bar_chart_layout`` drawn by the ``bars.svg`` template."""
    chart = bar_chart_layout(labels, series, title, mode, unit)
    # The template's own output, every value in it escaped: markup to place as it is.
    return Markup(environment().get_template("bars.svg").render(chart=chart))


def _legend_rows(series: list[Series], width: float) -> int:
    rows, x = 0, 0.0
    for s in series:
        w = text_width(s.name) + 30
        if x + w > width and x:
            rows, x = rows + 1, 0.0
        x += w
    return rows


def _legend(series: list[Series], width: float) -> list[LegendItem]:
    items, x, y = [], 4.0, 4
    for s in series:
        w = text_width(s.name) + 30
        if x + w > width and x > 4:
            x, y = 4.0, y + 24
        items.append(LegendItem(x, y, s.name, s.color))
        x += w
    return items


def _mix(a: str, b: str, t: float) -> str:
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb, strict=True))
