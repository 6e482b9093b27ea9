"""Report: a dataset folder → one self-contained ``report.html`` beside its CSV files.

``build_report(dataset_dir)`` reads articles.csv, measures.csv, programs.csv,
comparison.csv and errors.csv (nothing else: every figure on the page is a count or a sum of
their rows) and writes a single HTML file that works offline, from a file:// URL, with no
server: styles, the filter script and the charts are all inlined.

Charting choice: hand-made inline SVG (``pipeline/report_charts.py``). The report needs a
heatmap and a few horizontal bar charts; as SVG they take ~30 KB together for the samples, are drawn
without JavaScript (so they also print and survive strict viewers), and add no dependency.
plotly would inline ~3.5 MB of plotly.js, pyecharts ~1 MB of ECharts, altair three
Vega bundles (~800 KB) — all for the same bars, and all rendering on a canvas or via a
script that must run first. Chinese labels are SVG text styled with the page's font list
("Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif).

The page layout is ``pipeline/data/report.html`` (a ``string.Template``) with
``report.css`` and ``report.js`` beside it; sections are built here and every piece of text
from the dataset goes through ``html.escape``. Links to sources point at
``texts/<doc_id>.txt`` relative to where the report is written, and at the article's URL
when it was a crawled page.
"""

from __future__ import annotations

import csv
import html
import os
from collections import Counter
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from string import Template
from urllib.parse import quote

from orgwork.pipeline.dataset import write_atomic
from orgwork.pipeline.outdir import dataset_folder, dataset_name
from orgwork.report.aggregate import (
    NO_REGION,
    Listing,
    Region,
    RegionData,
    ReportData,
    load_report_data,
    region_key,
)
from orgwork.report.charts import (
    PALETTE,
    HeatRow,
    Series,
    bar_chart_svg,
    fmt_number,
    heatmap_svg_parts,
)

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


def category_order(codes: set[str]) -> list[str]:
    known = [c for c in CATEGORIES if c in codes]
    return known + sorted(codes - set(CATEGORIES))


def cat_label(code: str) -> str:
    return CATEGORIES.get(code, code)


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def td(content: str, cls: str = "") -> str:
    """A table cell around already escaped HTML."""
    return f'<td class="{cls}">{content}</td>' if cls else f"<td>{content}</td>"


class Page:
    """Builds the sections of one report; ``texts_href`` maps a doc_id to its text file."""

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

    def cap_note(self, listing: Listing, table: str, how: str = "", how_en: str = "") -> str:
        """Says that a listing shows part of its rows and where all of them are; "" if all.

        Without ``how`` the note is one short line: a region's lists say how they were chosen
        once, above the regions, as thousands of regions may each carry three notes.
        """
        if not listing.capped:
            return ""
        shown, total = len(listing.rows), listing.total
        link = f'<a href="{esc(self.href(table))}">{esc(table)}</a>'
        if not how:
            return (
                f'<p class="muted cap-note">仅显示 {shown:,} / {total:,} 条，全部见 {link} · '
                f"showing {shown:,} of {total:,}</p>"
            )
        return (
            f'<p class="muted cap-note">仅显示 {shown:,} / {total:,} 条（{esc(how)}），'
            f"全部见报告旁的 {link}。Showing {shown:,} of {total:,} ({esc(how_en)}); "
            f"the full table is {link} next to this report.</p>"
        )

    def text_link(self, doc_id: str, start: str = "", end: str = "") -> str:
        where = f"，字符 {start}–{end}" if start else ""
        return f'<a href="{esc(self.text_href(doc_id))}" title="{esc(doc_id + where)}">原文</a>'

    def source(self, row: dict[str, str]) -> str:
        """A crawled page's URL as a link (http/https only), a file's path as code."""
        article = self.d.docs.get(row["doc_id"], row)
        url = article.get("url", "")
        if url.startswith(("http://", "https://")):
            return f'<a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>'
        return f"<code>{esc(article.get('source', row.get('source', '')))}</code>"

    def full_text(self, doc_id: str) -> str | None:
        if doc_id not in self._texts:
            if len(self._texts) > 64:  # rows come grouped by article: a few texts suffice
                self._texts.clear()
            path = self.dir / "texts" / f"{doc_id}.txt"
            self._texts[doc_id] = path.read_text(encoding="utf-8") if path.is_file() else None
        return self._texts[doc_id]

    def sentence(self, row: dict[str, str]) -> str:
        """The row's sentence with its surface text marked, located through the offsets."""
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
            return esc(sent)
        return esc(sent[:at]) + "<mark>" + esc(text) + "</mark>" + esc(sent[at + len(text) :])

    def value(self, m: dict[str, str]) -> str:
        span = m["value"] + (f"–{m['value_max']}" if m["value_max"] else "")
        return f"{QUALIFIERS.get(m['qualifier'], m['qualifier'] + ' ')}{span} {m['unit']}"

    def measure_cells(self, m: dict[str, str]) -> str:
        """Value, subject, period, modality, category, programme, sentence, link."""
        return (
            td(esc(self.value(m)), "num")
            + td(esc(m["subject"]), "wrap")
            + td(esc(m["period"]), "wrap")
            + td(self.modality(m["modality"]))
            + td(esc(cat_label(m["category"])))
            + td(esc(m["program"]), "wrap")
            + td(self.sentence(m), "sent")
            + td(self.text_link(m["doc_id"], m["start"], m["end"]))
        )

    @staticmethod
    def modality(code: str) -> str:
        return f'<span class="badge {esc(code)}">{esc(MODALITIES.get(code, code))}</span>'

    # --- sections -----------------------------------------------------------------------

    def overview(self) -> str:
        d, n_errors = self.d, self.d.errors.total
        named = [r for r in self.regions if r.key]
        provinces = {r.province for r in named if r.province}
        span = f"{d.first_date} – {d.last_date}" if d.n_dated else "—"
        cards = [
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
        body = "".join(
            f'<div class="card"><div class="n">{esc(n)}</div><div class="l">{esc(label)}</div>'
            f'<div class="l">{esc(note)}</div></div>'
            for n, label, note in cards
        )
        return (
            f'<section id="overview"><h2>概览 Overview</h2><div class="cards">{body}</div>'
            "</section>"
        )

    def heatmap(self) -> Iterator[str]:
        cats = self.categories
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
        yield (
            '<section id="heatmap"><h2>地区 × 实践类别 Region × practice</h2>'
            '<p class="muted">每格：项目数 · 数据条数（programmes · measures, comparison.csv 的 '
            "n_programs 与 n_measures）；颜色越深，两者之和越大。点击地区名跳到该地区。</p>"
            '<div class="scroll">'
        )
        columns = [(c, cat_label(c)) for c in cats]
        yield from heatmap_svg_parts(rows, columns, cells, "地区 × 实践类别")
        yield "</div></section>"

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

    def charts(self) -> str:
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
        figs = [
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
        return (
            '<section id="charts"><h2>地区比较 Regions compared</h2>'
            f'<div class="charts">{"".join(figs)}</div></section>'
        )

    @staticmethod
    def figure(
        title: str, note: str, labels: list[str], series: list[Series], mode: str, unit: str = ""
    ) -> str:
        """A captioned bar chart; beyond ``MAX_BARS`` regions only the largest are drawn."""
        if not series:
            return f"<figure><figcaption>{esc(title)}</figcaption><p>—</p></figure>"
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
        return (
            f'<figure><figcaption>{esc(title)} <span class="muted">{esc(note)}</span>'
            f'</figcaption><div class="scroll">{svg}</div></figure>'
        )

    def region_sections(self) -> Iterator[str]:
        """The regions' section, a region at a time."""
        yield '<section id="regions"><h2>各地区 Regions</h2>'
        if any(
            rd.articles.capped or rd.programs.capped or rd.figures.capped
            for rd in self.d.by_region.values()
        ):
            n = self.d.region_cap
            links = "、".join(
                f'<a href="{esc(self.href(t))}">{t}</a>'
                for t in ("articles.csv", "programs.csv", "measures.csv")
            )
            yield (
                '<p class="muted cap-note">为使报告保持小巧，每个地区的文章、项目和关键数字'
                f"各最多列出 {n:,} 条（按文件顺序的前几条）；各地区的计数与规模仍按全部数据计算，"
                f"完整数据见报告旁的 {links}。To keep the page small, each region lists at "
                f"most {n:,} articles, programmes and key figures (the first in file order); "
                f"the counts and sums cover every row, and the full tables are {links} next "
                "to this report.</p>"
            )
        for r in self.regions:
            yield self.region(r, self.region_data(r.key))
        yield "</section>"

    def region(self, r: Region, rd: RegionData) -> str:
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
            total = rd.total(col)
            if total:
                scale.append(f"{mod} {fmt_number(total)} {unit}")
        in_table = (
            f"在数据表中查看其中 {self.in_table[r.key]} 条（表为抽样）"
            if self.d.table.capped
            else f"在数据表中查看全部 {rd.n_measures} 条"
        )
        out = [
            f'<div class="region" id="{esc(r.anchor)}">'
            f"<h3>{esc(r.label)} <small>{esc(where)}</small></h3>"
            f"<p>{rd.articles.total} 篇文章 · {rd.programs.total} 个项目 · {rd.n_measures} 条数据"
            f"（{rd.n_reported} 已报告，{rd.n_planned} 计划）"
            + (f" · 规模：{esc('，'.join(scale))}" if scale else "")
            + (
                f' · <a href="#measures" data-show-region="{esc(r.key)}">{in_table}</a></p>'
                if not self.d.table.capped or self.in_table[r.key]
                # A link to none of its rows would show an empty table.
                else " · 数据表为抽样，其中没有此地区的数据（全部数据见 measures.csv）</p>"
            ),
            '<h4>文章 Articles</h4><ul class="articles">',
        ]
        for a in rd.articles.rows:
            meta = " · ".join(x for x in (a["publish_date"], a["outlet"]) if x)
            out.append(
                f"<li>{esc(a['title'])} <span class='muted'>{esc(meta)}</span> "
                f"{self.text_link(a['doc_id'])} · {self.source(a)}</li>"
            )
        out.append("</ul>")
        out.append(self.cap_note(rd.articles, "articles.csv"))
        if rd.programs.rows:
            out.append(
                "<h4>项目 Programmes</h4><table><thead><tr><th>名称</th><th>全称</th><th>类型</th>"
                "<th>类别</th><th>次数</th><th>句子</th><th>来源</th></tr></thead><tbody>"
            )
            for p in rd.programs.rows:
                out.append(
                    "<tr>"
                    + td(esc(p["name"]), "wrap")
                    + td(esc(p["full_name"]), "wrap")
                    + td(esc(p["type"] or "—"))
                    + td(esc(cat_label(p["category"])))
                    + td(esc(p["mentions"]), "num")
                    + td(self.sentence(p), "sent")
                    + td(self.text_link(p["doc_id"], p["start"], p["end"]))
                    + "</tr>"
                )
            out.append("</tbody></table>")
            out.append(self.cap_note(rd.programs, "programs.csv"))
        if rd.figures.rows:
            out.append(
                "<h4>关键数字 Key figures（人数、人次、比例）</h4><table><thead><tr><th>数值</th>"
                "<th>对象</th><th>时段</th><th>性质</th><th>类别</th><th>项目</th><th>句子</th>"
                "<th>来源</th></tr></thead><tbody>"
            )
            for m in rd.figures.rows:
                out.append(f'<tr class="{esc(m["modality"])}">{self.measure_cells(m)}</tr>')
            out.append("</tbody></table>")
            out.append(self.cap_note(rd.figures, "measures.csv"))
        out.append("</div>")
        return "".join(out)

    def measures_table(self) -> str:
        values, table = self.d.measure_values, self.d.table
        options = {
            "region": [(r.key, r.label) for r in self.regions if r.key in values["region"]],
            "kind": [(k, f"{KINDS.get(k, k)} {k}") for k in sorted(values["kind"])],
            "category": [(c, f"{cat_label(c)} {c}") for c in category_order(values["category"])],
            "modality": [(k, f"{MODALITIES.get(k, k)} {k}") for k in sorted(values["modality"])],
        }  # fmt: skip
        names = {"region": "地区 region", "kind": "种类 kind", "category": "类别 category",
                 "modality": "性质 modality"}  # fmt: skip
        filters = "".join(
            f'<label>{esc(names[f])}<select id="filter-{f}" data-filter="{f}">'
            '<option value="*">全部 all</option>'
            + "".join(f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in opts)
            + "</select></label>"
            for f, opts in options.items()
        )
        rows = []
        for m in table.rows:
            region = self.by_key.get(region_key(m))
            rows.append(
                f'<tr class="{esc(m["modality"])}" data-region="{esc(region_key(m))}" '
                f'data-kind="{esc(m["kind"])}" data-category="{esc(m["category"])}" '
                f'data-modality="{esc(m["modality"])}">'
                + td(esc(region.label if region else m["region"] or NO_REGION))
                + td(esc(KINDS.get(m["kind"], m["kind"])))
                + self.measure_cells(m)
                + "</tr>"
            )
        shown = len(table.rows)
        note = self.cap_note(
            table, "measures.csv", "按 measure_id 哈希的固定抽样，按文件顺序排列",
            "a fixed sample by a hash of measure_id, in file order",
        )  # fmt: skip
        return (
            f'<section id="measures"><h2>全部数据 All measures</h2>{note}'
            f'<div class="filters">{filters}<label>文字 text<input id="filter-text" '
            'type="search" placeholder="句子、对象、项目…"></label>'
            '<button type="button" id="filter-reset">重置 reset</button>'
            f'<span class="muted">显示 <b id="filter-count">{shown}</b> / {shown} 条</span>'
            '</div><div class="scroll"><table id="measures-table"><thead><tr><th>地区</th>'
            "<th>种类</th><th>数值</th><th>对象</th><th>时段</th><th>性质</th><th>类别</th>"
            f"<th>项目</th><th>句子</th><th>来源</th></tr></thead><tbody>{''.join(rows)}"
            "</tbody></table></div></section>"
        )

    def errors(self) -> str:
        errs = self.d.errors
        if not errs.total:
            return (
                '<section id="errors"><h2>失败 Failures</h2><p>没有失败的文件 '
                "(errors.csv is empty).</p></section>"
            )
        rows = "".join(
            f"<tr><td><code>{esc(e['source'])}</code></td><td>{esc(e['stage'])}</td>"
            f"<td>{esc(e['error'])}</td></tr>"
            for e in errs.rows
        )
        return (
            f'<section id="errors"><h2>失败 Failures（{errs.total}）</h2>'
            + self.cap_note(errs, "errors.csv", "按文件顺序的前几条", "the first in file order")
            + "<table><thead><tr>"
            "<th>文件 source</th><th>阶段 stage</th><th>原因 error</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>"
        )


def render_parts(dataset_dir: str | Path, out_path: str | Path) -> Iterator[str]:
    """The report's HTML for ``dataset_dir`` as if written to ``out_path``, in pieces: a
    region's section at a time, so the page is never whole in memory."""
    folder = Path(dataset_dir)
    # A cell may be long (a page's title, a sentence): the report reads every table the
    # dataset wrote, whatever the csv module's default limit (128 KiB) says.
    csv.field_size_limit(max(csv.field_size_limit(), 1 << 30))
    page = Page(load_report_data(folder), folder.resolve(), Path(out_path).resolve())
    data = resources.files("orgwork.report") / "data"
    template = Template((data / "report.html").read_text(encoding="utf-8"))
    nav = "".join(
        f'<a href="#{a}">{esc(label)}</a>'
        for a, label in (
            ("overview", "概览"), ("heatmap", "地区 × 类别"), ("charts", "地区比较"),
            ("regions", "各地区"), ("measures", "全部数据"), ("errors", "失败"),
        )
    )  # fmt: skip
    marker = "\x00body\x00"  # the template's ${body}, filled piece by piece
    head, tail = template.substitute(
        title=esc("干部工作报道数据报告 · orgwork report"),
        lede=esc(
            f"数据集 {dataset_name(folder)}：所有数字均由同一文件夹中的 CSV 表计算。"
            "Every figure is computed from the CSV files in this folder."
        ),
        nav=nav,
        body=marker,
        footer=esc(
            "由 orgwork 生成。人数之和把不同报道、不同对象的数字相加"
            "（同一文章中重复的同一数字只计一次），表示报道中的活动规模，不是不重复的人数。"
            "Sums add figures of different reports and subjects: read them as the scale of "
            "reported activity, not as counts of distinct people."
        ),
        css=(data / "report.css").read_text(encoding="utf-8"),
        js=(data / "report.js").read_text(encoding="utf-8"),
    ).split(marker)
    yield head
    yield page.overview()
    yield from page.heatmap()
    yield page.charts()
    yield from page.region_sections()
    yield page.measures_table()
    yield page.errors()
    yield tail


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
