"""Report: a dataset folder → one self-contained ``report.html`` beside its CSV files.

``build_report(dataset_dir)`` reads articles.csv, measures.csv, programs.csv,
comparison.csv and errors.csv (nothing else: every figure on the page is a count or a sum of
their rows; ``panel.csv`` only gets a link when it is there) and writes a single HTML file
that works offline, from a file:// URL, with no server: styles, the filter script and the
charts are all inlined.

Charting choice: hand-made inline SVG (``report/charts.py``). The report needs a heatmap and
a few horizontal bar charts; as SVG they take ~30 KB together for the samples, are drawn
without JavaScript (so they also print and survive strict viewers), and add no dependency.
plotly would inline ~3.5 MB of plotly.js, pyecharts ~1 MB of ECharts, altair three
Vega bundles (~800 KB) — all for the same bars, and all rendering on a canvas or via a
script that must run first. Chinese labels are SVG text styled with the page's font list
("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif).

The markup is Jinja2 templates with autoescaping (``report/data/report.html``, its pieces in
``macros.html``, the charts in ``heatmap.svg`` and ``bars.svg``; see
``report/templates.py``): this module computes what they show, and no text is escaped by
hand. The page is streamed (``Template.generate``), a region at a time, never whole in
memory. Links to sources point at ``texts/<doc_id>.txt`` relative to where the report is
written, and at the article's URL when it was a crawled page.
"""

from __future__ import annotations

import csv
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from markupsafe import Markup

from orgwork.pipeline.dataset import write_atomic
from orgwork.pipeline.outdir import dataset_folder, dataset_name
from orgwork.report.aggregate import (
    NO_REGION,
    UNDATED,
    Region,
    RegionData,
    ReportData,
    load_report_data,
    region_key,
)
from orgwork.report.charts import (
    PALETTE,
    Heatmap,
    HeatRow,
    Series,
    bar_chart_svg,
    fmt_number,
    heatmap_layout,
    shade,
)
from orgwork.report.templates import asset, environment

# Practice categories in the order of the README's taxonomy, with short Chinese labels.
CATEGORIES = {
    "training": "培训", "secondment": "挂职选派", "rotation": "轮岗交流",
    "recruitment": "招录引才", "mentoring": "导师帮带", "frontline": "一线锻炼",
    "reserve_pool": "后备干部", "evaluation": "考核研判", "promotion": "提拔任用",
    "incentives": "激励表彰", "talent": "人才工作", "party_building": "基层党建",
    "other": "其他", "": "未分类",
}  # fmt: skip
KINDS = {"headcount": "人数", "percentage": "比例", "count": "数量", "duration": "时长"}
QUALIFIERS = {
    "exact": "", "more_than": "多于 ", "at_least": "至少 ", "less_than": "不足 ",
    "at_most": "至多 ", "approx": "约 ",
}  # fmt: skip
MODALITIES = {"reported": "已报告", "planned": "计划"}
MAX_BARS = 40  # regions per bar chart
PANEL = "panel.csv"  # the region × year × category panel, linked when the dataset has it
NAV = (
    ("overview", "概览"), ("coverage", "地区 × 年份"), ("heatmap", "地区 × 类别"),
    ("charts", "地区比较"), ("regions", "各地区"), ("measures", "全部数据"), ("errors", "失败"),
)  # fmt: skip


def category_order(codes: set[str]) -> list[str]:
    known = [c for c in CATEGORIES if c in codes]
    return known + sorted(codes - set(CATEGORIES))


def cat_label(code: str) -> str:
    return CATEGORIES.get(code, code)


def kind_label(code: str) -> str:
    return KINDS.get(code, code)


def modality_label(code: str) -> str:
    return MODALITIES.get(code, code)


@dataclass
class RegionView:
    """What a region's heading line says beyond its counts."""

    where: str  # province · prefecture · level · adcode
    scale: str  # reported and planned 人 / 人次
    in_table: str  # the link text to its rows in the table; "" when the sample has none


@dataclass
class CoverageRow:
    key: str
    anchor: str
    label: str
    province: str
    cells: list[tuple[int, str, str]]  # per year: (reports, fill, ink)
    total: int


@dataclass
class Coverage:
    years: list[str]  # ascending, UNDATED ("") last
    rows: Iterator[CoverageRow]
    panel: str  # link to panel.csv, "" when the dataset has none
    reposts: bool  # articles.csv says which articles are reposts (duplicate_of)


class Page:
    """What the templates show for one report; ``text_href`` maps a doc_id to its text."""

    def __init__(self, data: ReportData, dataset_dir: Path, out: Path):
        self.d = data
        self.dir = dataset_dir
        self.regions = data.regions
        self.by_key = {r.key: r for r in self.regions}
        self.rel = Path(os.path.relpath(dataset_dir, out.parent)).as_posix()
        self._texts: dict[str, str | None] = {}
        # How many of each region's measures the (possibly sampled) table holds.
        self.in_table = Counter(region_key(m) for m in data.table.rows)
        self.categories = category_order(
            {c for rd in data.by_region.values() for c in rd.comparison}
        )

    # --- small pieces -------------------------------------------------------------------

    def region_data(self, key: str) -> RegionData:
        return self.d.by_region.get(key) or RegionData()

    def href(self, path: str) -> str:
        """A path inside the dataset folder as a link relative to the report."""
        return quote(path if self.rel == "." else f"{self.rel}/{path}", safe="/.-_~")

    def text_href(self, doc_id: str) -> str:
        return self.href(self.d.docs.get(doc_id, {}).get("text_path") or f"texts/{doc_id}.txt")

    def source(self, row: dict[str, str]) -> tuple[str, str]:
        """(URL, path): a crawled page's URL (http/https only, else ""), and the file's path."""
        article = self.d.docs.get(row["doc_id"], row)
        url = article.get("url", "")
        path = article.get("source", row.get("source", ""))
        return (url if url.startswith(("http://", "https://")) else "", path)

    def full_text(self, doc_id: str) -> str | None:
        if doc_id not in self._texts:
            if len(self._texts) > 64:  # rows come grouped by article: a few texts suffice
                self._texts.clear()
            path = self.dir / "texts" / f"{doc_id}.txt"
            self._texts[doc_id] = path.read_text(encoding="utf-8") if path.is_file() else None
        return self._texts[doc_id]

    def sentence(self, row: dict[str, str]) -> tuple[str, str, str]:
        """The row's sentence split around its surface text (before, text, after), located
        through the offsets; (sentence, "", "") when it cannot be placed."""
        sent, text = row["sentence"], row["text"]
        at = -1
        # A surface text found once in its sentence can only be that occurrence; the stored
        # text is read (a file per article) only to tell repeated ones apart.
        unique = bool(text) and sent.count(text) == 1
        full = None if unique else self.full_text(row["doc_id"])
        if full is not None and row["start"].isdigit() and row["end"].isdigit():
            start, end = int(row["start"]), int(row["end"])
            # The occurrence of the sentence that covers [start, end) in the stored text.
            hit = full.rfind(sent, max(0, end - len(sent)), start + len(sent))
            if hit != -1 and sent[start - hit : end - hit] == text:
                at = start - hit
        if at == -1 and text and sent.count(text) == 1:
            at = sent.index(text)
        if at == -1 or not text:
            return sent, "", ""
        return sent[:at], text, sent[at + len(text) :]

    def value(self, m: dict[str, str]) -> str:
        span = m["value"] + (f"–{m['value_max']}" if m["value_max"] else "")
        return f"{QUALIFIERS.get(m['qualifier'], m['qualifier'] + ' ')}{span} {m['unit']}"

    @staticmethod
    def article_meta(a: dict[str, str]) -> str:
        return " · ".join(x for x in (a["publish_date"], a["outlet"]) if x)

    # --- sections -----------------------------------------------------------------------

    def cards(self) -> list[tuple[object, str, str]]:
        """The overview's cards: (number, label, note)."""
        d, n_errors = self.d, self.d.errors.total
        named = [r for r in self.regions if r.key]
        provinces = {r.province for r in named if r.province}
        span = f"{d.first_date} – {d.last_date}" if d.n_dated else "—"
        return [
            (d.n_files, "文件 documents", f"{n_errors} 个失败 failed"),
            (d.n_articles, "文章 articles", f"{d.n_relevant} 篇相关 relevant"),
            (len(named), "地区 regions", f"{len(provinces)} 个省份 provinces"),
            (
                d.n_measures,
                "数据 measures",
                f"{d.modality['reported']} 已报告 reported · {d.modality['planned']} 计划 planned",
            ),
            (d.n_programs, "项目 programmes", f"{d.n_distinct_programs} 个不同名称"),
            (n_errors, "失败 failures", "errors.csv"),
            (span, "报道时间 report dates", f"{d.n_dated} / {d.n_articles} 篇有日期 dated"),
        ]

    def coverage(self) -> Coverage:
        """Relevant articles per region and publish year, undated ones in a column of their
        own; shaded by the count, the regions in the heatmap's order."""
        by_region = self.d.coverage
        years = sorted(self.d.years - {UNDATED})
        if by_region:
            years.append(UNDATED)
        peak = max([n for counts in by_region.values() for n in counts.values()] + [1])

        def rows() -> Iterator[CoverageRow]:
            for r in self.regions:
                counts = by_region.get(r.key, Counter())
                cells = []
                for year in years:
                    n = counts[year]
                    fill, ink = shade(n / peak) if n else ("", "")
                    cells.append((n, fill, ink))
                total = sum(counts.values())
                yield CoverageRow(r.key, r.anchor, r.label, r.province, cells, total)

        panel = self.href(PANEL) if (self.dir / PANEL).is_file() else ""
        return Coverage(years if by_region else [], rows(), panel, self.d.has_reposts)

    def heatmap(self) -> Heatmap:
        # Keyed by anchor: the comparison key of articles naming no place is "".
        cells = {
            (r.anchor, category): (int(v[0]), int(v[1]))  # n_programs, n_measures
            for r in self.regions
            for category, v in self.region_data(r.key).comparison.items()
        }
        rows: list[HeatRow] = []
        province = None
        for r in self.regions:
            group = r.province if r.key else NO_REGION
            if group != province:
                province = group
                rows.append(HeatRow(group or "（省份未知）"))
            rows.append(HeatRow(r.label if r.key else "无地区的文章", r.anchor, "#" + r.anchor))
        columns = [(c, cat_label(c)) for c in self.categories]
        return heatmap_layout(rows, columns, cells, "地区 × 实践类别")

    def column(self, key: str, column: str, category: str | None = None) -> float:
        """Sum of a comparison.csv column over a region's cells (of one category if given)."""
        return self.region_data(key).total(column, category)

    def by_category(self, column: str) -> list[Series]:
        """One series per category with a non-zero ``column`` somewhere, in taxonomy order."""
        series = []
        for i, cat in enumerate(self.categories):
            values = [self.column(r.key, column, cat) for r in self.regions]
            if any(values):
                series.append(Series(cat_label(cat), values, PALETTE[i % len(PALETTE)]))
        return series

    def charts(self) -> list[Markup]:
        labels = [r.label for r in self.regions]
        keys = [r.key for r in self.regions]

        def series(name: str, column: str, color: str, category: str | None = None) -> Series:
            return Series(name, [self.column(k, column, category) for k in keys], color)

        training = [
            series("人 headcount", "headcount_reported", PALETTE[0], "training"),
            series("人次 person-times", "person_times_reported", PALETTE[1], "training"),
        ]
        modality = [
            series("已报告 reported", "n_reported", "#27ae60"),
            series("计划 planned", "n_planned", "#e67e22"),
        ]
        headcount, programs = self.by_category("headcount_reported"), self.by_category("n_programs")
        return [
            self.figure(
                "培训规模 Training scale",
                "已报告的培训人数与人次（comparison.csv 中 category = training 的 "
                "headcount_reported、person_times_reported）",
                labels,
                training,
                "grouped",
            ),
            self.figure(
                "已报告人数（按类别）Reported headcount by practice",
                "headcount_reported 之和，单位：人",
                labels,
                headcount,
                "stacked",
                " 人",
            ),
            self.figure(
                "已报告与计划 Reported vs planned figures",
                "各地区数据条数中已报告与计划的占比（n_reported、n_planned），条上为条数",
                labels,
                modality,
                "share",
            ),
            self.figure(
                "项目（按类别）Programmes by practice",
                "n_programs：各类别中不同项目名称的数目",
                labels,
                programs,
                "stacked",
            ),
        ]

    @staticmethod
    def figure(
        title: str, note: str, labels: list[str], series: list[Series], mode: str, unit: str = ""
    ) -> Markup:
        """A captioned bar chart; beyond ``MAX_BARS`` regions only the largest are drawn."""
        macros = environment().get_template("macros.html").module
        if not series:
            return macros.figure(title, note, None)
        totals = [sum(s.values[i] for s in series) for i in range(len(labels))]
        keep = list(range(len(labels)))
        if len(labels) > MAX_BARS:
            # A chart of hundreds of bands is unreadable: the largest, still in province order.
            keep = sorted(sorted(keep, key=lambda i: -totals[i])[:MAX_BARS])
            note += f"；仅显示总数最大的 {MAX_BARS} 个地区（共 {len(labels)} 个）"
        svg = bar_chart_svg(
            [labels[i] for i in keep],
            [Series(s.name, [s.values[i] for i in keep], s.color) for s in series],
            title,
            mode,
            unit,
        )
        return macros.figure(title, note, svg)

    def regions_capped(self) -> bool:
        return any(
            rd.articles.capped or rd.programs.capped or rd.figures.capped
            for rd in self.d.by_region.values()
        )

    def region_views(self) -> Iterator[tuple[Region, RegionData, RegionView]]:
        """The regions' sections, a region at a time."""
        for r in self.regions:
            rd = self.region_data(r.key)
            where = " · ".join(
                x for x in (r.province, r.prefecture, r.admin_level, r.adcode) if x and x != r.name
            )
            scale = []
            for col, unit, mod in (
                ("headcount_reported", "人", "已报告"),
                ("person_times_reported", "人次", "已报告"),
                ("headcount_planned", "人", "计划"),
                ("person_times_planned", "人次", "计划"),
            ):
                if total := rd.total(col):
                    scale.append(f"{mod} {fmt_number(total)} {unit}")
            if not self.d.table.capped:
                in_table = f"在数据表中查看全部 {rd.n_measures} 条"
            elif self.in_table[r.key]:
                in_table = f"在数据表中查看其中 {self.in_table[r.key]} 条（表为抽样）"
            else:  # a link to none of its rows would show an empty table
                in_table = ""
            yield r, rd, RegionView(where, "，".join(scale), in_table)

    def filters(self) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """The table's filters: (name, label, [(value, option text)])."""
        values = self.d.measure_values
        return [
            ("region", "地区 region",
             [(r.key, r.label) for r in self.regions if r.key in values["region"]]),
            ("kind", "种类 kind", [(k, f"{kind_label(k)} {k}") for k in sorted(values["kind"])]),
            ("category", "类别 category",
             [(c, f"{cat_label(c)} {c}") for c in category_order(values["category"])]),
            ("modality", "性质 modality",
             [(k, f"{modality_label(k)} {k}") for k in sorted(values["modality"])]),
        ]  # fmt: skip

    def table_rows(self) -> Iterator[tuple[dict[str, str], str, str]]:
        """The table's measures with their region's key and label."""
        for m in self.d.table.rows:
            key = region_key(m)
            region = self.by_key.get(key)
            yield m, key, region.label if region else m["region"] or NO_REGION


def render_parts(dataset_dir: str | Path, out_path: str | Path) -> Iterator[str]:
    """The report's HTML for ``dataset_dir`` as if written to ``out_path``, in pieces: the
    template streamed, so the page is never whole in memory."""
    folder = Path(dataset_dir)
    # A cell may be long (a page's title, a sentence): the report reads every table the
    # dataset wrote, whatever the csv module's default limit (128 KiB) says.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    page = Page(load_report_data(folder), folder.resolve(), Path(out_path).resolve())
    template = environment().get_template("report.html")
    stream = template.stream(
        page=page,
        heatmap=page.heatmap(),
        title="干部工作报道数据报告 · orgwork report",
        lede=(
            f"数据集 {dataset_name(folder)}：所有数字均由同一文件夹中的 CSV 表计算。"
            "Every figure is computed from the CSV files in this folder."
        ),
        nav=NAV,
        footer=(
            "由 orgwork 生成。人数之和把不同报道、不同对象的数字相加"
            "（同一文章中重复的同一数字只计一次），表示报道中的活动规模，不是不重复的人数。"
            "Sums add figures of different reports and subjects: read them as the scale of "
            "reported activity, not as counts of distinct people."
        ),
        css=asset("report.css"),
        js=asset("report.js"),
        cat_label=cat_label,
        kind_label=kind_label,
        modality_label=modality_label,
    )
    # Jinja yields a piece per tag and value: joined into pieces of a few KB for the writes.
    stream.enable_buffering(size=256)
    yield from stream


def render(dataset_dir: str | Path, out_path: str | Path) -> str:
    """The report's HTML for the dataset in ``dataset_dir`` as if written to ``out_path``."""
    return "".join(render_parts(dataset_dir, out_path))


def build_report(dataset_dir: str | Path, out_path: str | Path | None = None) -> Path:
    """Write ``report.html`` (or ``out_path``) for the dataset folder; returns its path.
    For an output folder of `orgwork run`, the report goes into its current run's folder,
    beside the tables it is built from (``<out>/report.html`` links there)."""
    if out_path is None:
        dataset_dir = dataset_folder(dataset_dir)
    out = Path(out_path) if out_path is not None else Path(dataset_dir) / "report.html"
    if out.is_dir():
        out = out / "report.html"
    write_atomic(out, render_parts(dataset_dir, out))
    return out
