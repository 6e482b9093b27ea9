"""The HTML report: unit tests on a small hand-written dataset, and a real-browser test.

The browser test drives Debian's chromium (``/usr/bin/chromium``) through playwright's Python
package on the report of the five samples; CI installs chromium and the Noto CJK fonts with
``.ci/browser-deps.sh``. It saves a screenshot to the test's tmp folder and, when
``ORGWORK_SCREENSHOTS`` names a folder, there too.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from orgwork.pipeline.dataset import (
    ARTICLE_COLUMNS,
    COMPARISON_COLUMNS,
    ERROR_COLUMNS,
    MEASURE_COLUMNS,
    PROGRAM_COLUMNS,
)
from orgwork.report import aggregate as report_data
from orgwork.report.aggregate import digest, iter_rows, load_report_data
from orgwork.report.charts import Series, bar_chart_svg, fmt_number, text_width
from orgwork.report.render import build_report, render
from tests.conftest import SAMPLES

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

# --- a small dataset written by hand ----------------------------------------------------

TEXTS = {
    "aaaa000000000001": "晋江举办培训班\n今年以来，晋江举办“强素质”专题培训21期，轮训干部800多人次。"
    "选派11名干部挂职，其中11名为年轻干部。\n",
    "bbbb000000000002": "嘉兴市选派干部 <script>alert(1)</script> & 挂职\n嘉兴市选派203名干部到基层挂职。\n",
    "cccc000000000003": "蓬江区招才引智\n蓬江区计划每年引进博士50名。\n",
    "dddd000000000004": "讲话\n确保每年选派30名干部跟班学习。\n",
}
REGIONS = {
    "aaaa000000000001": ("晋江市", "福建省", "泉州市", "晋江市", "county", "350582"),
    "bbbb000000000002": ("嘉兴市", "浙江省", "嘉兴市", "", "prefecture", "330400"),
    "cccc000000000003": ("蓬江区", "广东省", "江门市", "蓬江区", "county", "440703"),
    "dddd000000000004": ("", "", "", "", "", ""),
}
TITLES = {
    "aaaa000000000001": "晋江举办培训班",
    "bbbb000000000002": "嘉兴市选派干部 <script>alert(1)</script> & 挂职",
    "cccc000000000003": "蓬江区招才引智",
    "dddd000000000004": "讲话",
}
URLS = {"cccc000000000003": "https://example.org/news/1.html?a=1&b=2"}


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in columns} for row in rows)


def _span(doc_id: str, text: str, nth: int = 0) -> dict[str, str]:
    """text, start, end and sentence of the ``nth`` occurrence of ``text`` in the document."""
    full = TEXTS[doc_id]
    start = -1
    for _ in range(nth + 1):
        start = full.index(text, start + 1)
    sent_start = full.rfind("\n", 0, start) + 1
    sentence = full[sent_start : full.index("\n", start)]
    return {"text": text, "start": str(start), "end": str(start + len(text)), "sentence": sentence}


def _measure(doc_id: str, text: str, nth: int = 0, **fields: str) -> dict[str, str]:
    region, *_, adcode = REGIONS[doc_id]
    source = URLS.get(doc_id, f"reports/{doc_id}.txt")
    row = {"doc_id": doc_id, "measure_id": f"m{doc_id[:4]}{text}{nth}", "region": region}
    return row | {"adcode": adcode, "source": source} | _span(doc_id, text, nth) | fields


def write_small_dataset(folder: Path) -> Path:
    (folder / "texts").mkdir(parents=True)
    articles = []
    for doc_id, text in TEXTS.items():
        (folder / "texts" / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        region, province, prefecture, county, level, adcode = REGIONS[doc_id]
        url = URLS.get(doc_id, "")
        articles.append(
            {
                "doc_id": doc_id, "source": url or f"reports/{doc_id}.txt", "url": url,
                "part": "1", "title": TITLES[doc_id], "region": region, "province": province,
                "prefecture": prefecture, "county": county, "admin_level": level,
                "adcode": adcode, "relevant": "true",
                "publish_date": {"aaaa000000000001": "2023-05-02"}.get(doc_id, "2024-11-30"),
                "text_path": f"texts/{doc_id}.txt",
            }
        )  # fmt: skip
    articles.append(
        articles[0] | {"doc_id": "aaaa000000000001-2", "part": "2", "title": "遗失声明"}
        | {"relevant": "false", "region": "", "adcode": "", "province": "", "publish_date": ""}
    )  # fmt: skip
    (folder / "texts" / "aaaa000000000001-2.txt").write_text("遗失声明\n", encoding="utf-8")
    a, b, c, d = TEXTS
    measures = [
        _measure(a, "21期", kind="count", value="21", unit="期", qualifier="exact",
                 modality="reported", category="training", program="强素质"),
        _measure(a, "800多人次", kind="headcount", value="800", unit="人次",
                 qualifier="more_than", modality="reported", category="training",
                 program="强素质", subject="干部"),
        _measure(a, "11名", 0, kind="headcount", value="11", unit="人", qualifier="exact",
                 modality="reported", category="secondment", subject="干部"),
        _measure(a, "11名", 1, kind="headcount", value="11", unit="人", qualifier="exact",
                 modality="reported", category="secondment", subject="年轻干部"),
        _measure(b, "203名", kind="headcount", value="203", unit="人", qualifier="exact",
                 modality="reported", category="secondment", subject="干部"),
        _measure(c, "50名", kind="headcount", value="50", unit="人", qualifier="exact",
                 modality="planned", category="recruitment", subject="博士"),
        _measure(d, "30名", kind="headcount", value="30", unit="人", qualifier="exact",
                 modality="planned", category="secondment", subject="干部"),
    ]  # fmt: skip
    programs = [
        {"doc_id": a, "program_id": "p1", "region": "晋江市", "adcode": "350582",
         "name": "强素质", "full_name": "强素质专题培训", "type": "专题培训",
         "category": "training", "mentions": "1", "source": f"reports/{a}.txt"}
        | _span(a, "“强素质”专题培训"),
    ]  # fmt: skip
    comparison = [
        {"region": "晋江市", "province": "福建省", "prefecture": "泉州市", "admin_level": "county",
         "adcode": "350582", "category": "secondment", "n_articles": "1", "n_programs": "0",
         "n_measures": "2", "n_reported": "2", "n_planned": "0", "headcount_reported": "11"},
        {"region": "晋江市", "province": "福建省", "prefecture": "泉州市", "admin_level": "county",
         "adcode": "350582", "category": "training", "n_articles": "1", "n_programs": "1",
         "programs": "强素质", "n_measures": "2", "n_reported": "2", "n_planned": "0",
         "person_times_reported": "800"},
        {"region": "嘉兴市", "province": "浙江省", "prefecture": "嘉兴市",
         "admin_level": "prefecture", "adcode": "330400", "category": "secondment",
         "n_articles": "1", "n_programs": "0", "n_measures": "1", "n_reported": "1",
         "n_planned": "0", "headcount_reported": "203"},
        {"region": "蓬江区", "province": "广东省", "prefecture": "江门市", "admin_level": "county",
         "adcode": "440703", "category": "recruitment", "n_articles": "1", "n_programs": "0",
         "n_measures": "1", "n_reported": "0", "n_planned": "1", "headcount_planned": "50"},
        {"category": "secondment", "n_articles": "1", "n_programs": "0", "n_measures": "1",
         "n_reported": "0", "n_planned": "1", "headcount_planned": "30"},
    ]  # fmt: skip
    errors = [{"source": "reports/<bad>.txt", "stage": "ingest", "error": "empty file: no text"}]
    _write(folder / "articles.csv", ARTICLE_COLUMNS, articles)
    _write(folder / "measures.csv", MEASURE_COLUMNS, measures)
    _write(folder / "programs.csv", PROGRAM_COLUMNS, programs)
    _write(folder / "comparison.csv", COMPARISON_COLUMNS, comparison)
    _write(folder / "errors.csv", ERROR_COLUMNS, errors)
    return folder


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in:
            self.inline.append(data)


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_small_dataset(tmp_path / "ds")


# --- unit tests ---------------------------------------------------------------------------


def test_report_is_one_self_contained_file(small: Path) -> None:
    out = build_report(small)
    assert out == small / "report.html"
    page = out.read_text(encoding="utf-8")
    tags = _parse(page)
    names = [t for t, _ in tags.tags]
    assert names.count("script") == 1 and names.count("style") == 1, "scripts and styles inline"
    for tag, attrs in tags.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed"), f"external <{tag}>"
        assert "src" not in attrs, f"<{tag}> loads {attrs['src']}"
        href = attrs.get("href") or ""
        if href.startswith(("http://", "https://")):
            assert tag == "a", f"<{tag} href={href}> would fetch at load time"
            assert href == URLS["cccc000000000003"], "the only web link is the article's URL"
    inline = "".join(tags.inline)
    assert "function apply" in inline and "font-family" in inline
    assert not re.search(r"@import|url\(|https?://", inline), "styles and script fetch nothing"


def test_regions_grouped_by_province_and_figures_from_the_csvs(small: Path) -> None:
    page = build_report(small).read_text(encoding="utf-8")
    for name in ("晋江市", "嘉兴市", "蓬江区", "福建省", "浙江省", "广东省", "（未标明地区）"):
        assert name in page
    heatmap = page[page.index('<svg class="chart heatmap"') :]
    heatmap = heatmap[: heatmap.index("</svg>")]
    # Provinces in adcode order (浙江 33 < 福建 35 < 广东 44), the no-place group last.
    order = [heatmap.index(p) for p in ("浙江省", "福建省", "广东省", "（未标明地区）")]
    assert order == sorted(order)
    # Cells say programmes · measures of comparison.csv.
    assert re.search(
        r'data-region="region-350582" data-category="training">.*?>1 · 2</text>', heatmap
    )
    assert re.search(
        r'data-region="region-330400" data-category="secondment">.*?>0 · 1</text>', heatmap
    )
    assert 'data-region="region-330400" data-category="training"' not in heatmap
    # Overview cards: 5 files (4 + 1 failed), 5 articles, 3 regions, 7 measures, 1 programme.
    cards = dict(
        (label, n)
        for n, label in re.findall(
            r'<div class="n">([^<]*)</div><div class="l">([^<]*)</div>', page
        )
    )
    assert cards["文件 documents"] == "5"
    assert cards["文章 articles"] == "5"
    assert cards["地区 regions"] == "3"
    assert cards["数据 measures"] == "7"
    assert cards["项目 programmes"] == "1"
    assert cards["失败 failures"] == "1"
    assert cards["报道时间 report dates"] == "2023-05-02 – 2024-11-30"
    # Every measure is a row of the table, tagged for the filters.
    table = page[page.index('id="measures-table"') :]
    assert table.count("<tr class=") == 7
    assert table.count('data-region="350582"') == 4
    assert table.count('data-region=""') == 1
    # Region scale lines are sums of comparison.csv.
    assert "已报告 11 人，已报告 800 人次" in page
    assert "计划 50 人" in page
    assert "cap-note" not in page and "仅显示" not in page, "no cap reached, nothing left out"


def test_all_text_is_escaped(small: Path) -> None:
    page = build_report(small).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 挂职" in page
    assert "reports/&lt;bad&gt;.txt" in page
    assert 'href="https://example.org/news/1.html?a=1&amp;b=2"' in page
    assert len(_parse(page).inline) == 2, "only the report's own style and script"


def test_links_to_texts_and_sources(small: Path, tmp_path: Path) -> None:
    page = build_report(small).read_text(encoding="utf-8")
    assert 'href="texts/aaaa000000000001.txt"' in page
    assert "<code>reports/aaaa000000000001.txt</code>" in page
    # Written elsewhere, the links still reach the dataset's texts.
    elsewhere = build_report(small, tmp_path / "site" / "index.html")
    assert elsewhere.parent.name == "site"
    other = elsewhere.read_text(encoding="utf-8")
    assert 'href="../ds/texts/aaaa000000000001.txt"' in other
    assert build_report(small, tmp_path) == tmp_path / "report.html", "a folder gets report.html"


def test_sentence_marks_the_occurrence_at_the_offsets(small: Path) -> None:
    page = build_report(small).read_text(encoding="utf-8")
    first = "选派<mark>11名</mark>干部挂职，其中11名为年轻干部。"
    second = "选派11名干部挂职，其中<mark>11名</mark>为年轻干部。"
    assert first in page and second in page


def test_deterministic_and_missing_tables(small: Path) -> None:
    assert render(small, small / "report.html") == render(small, small / "report.html")
    (small / "comparison.csv").unlink()
    with pytest.raises(FileNotFoundError, match=r"comparison\.csv"):
        load_report_data(small)


def test_listings_are_capped_and_aggregates_stay_exact(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (small / "errors.csv").open("a", encoding="utf-8", newline="") as fh:
        fh.write("reports/x.txt,ingest,empty file\r\nreports/y.txt,ingest,empty file\r\n")
    monkeypatch.setattr(report_data, "MAX_TABLE_ROWS", 3)
    monkeypatch.setattr(report_data, "REGION_ROWS", 4)  # 4 regions: one row a list each
    monkeypatch.setattr(report_data, "MAX_ERRORS", 2)
    data = load_report_data(small)
    assert data.region_cap == 1
    measures = list(iter_rows(small, "measures"))
    # The table's sample: the 3 rows of lowest measure_id hash, in file order.
    lowest = sorted(measures, key=lambda m: digest(m["measure_id"]))[:3]
    sample = [m for m in measures if m in lowest]
    assert [(r["doc_id"], r["start"]) for r in data.table.rows] == [
        (m["doc_id"], m["start"]) for m in sample
    ]
    assert set(data.table.rows[0]) == set(report_data.MEASURE_FIELDS), "only rendered columns"

    page = build_report(small).read_text(encoding="utf-8")
    table = page[page.index('<section id="measures"') : page.index('<section id="errors"')]
    assert table.count("<tr class=") == 3
    assert '<b id="filter-count">3</b> / 3 条' in table
    assert "仅显示 3 / 7 条" in table and "Showing 3 of 7" in table
    assert 'href="measures.csv"' in table, "the note links the full table beside the report"
    # Aggregates still count every row.
    cards = dict(
        (label, n)
        for n, label in re.findall(
            r'<div class="n">([^<]*)</div><div class="l">([^<]*)</div>', page
        )
    )
    assert cards["数据 measures"] == "7" and cards["失败 failures"] == "3"
    assert cards["文件 documents"] == "7", "4 article sources + 3 failed files"
    assert re.search(r'data-region="region-350582" data-category="training">.*?>1 · 2</text>', page)
    assert "1 篇文章 · 1 个项目 · 4 条数据（4 已报告，0 计划）" in page
    assert "已报告 11 人，已报告 800 人次" in page
    # 晋江市 has three key figures (800多人次, 11名, 11名): the first is listed, with a note.
    jinjiang = page[page.index('id="region-350582"') : page.index('id="region-440703"')]
    assert jinjiang.count("<mark>") == 2, "its programme's sentence and one key figure"
    assert "800多人次" in jinjiang and "仅显示 1 / 3 条" in jinjiang
    assert "每个地区的文章、项目和关键数字各最多列出 1 条" in page
    assert "在数据表中查看其中" in page, "the region link no longer promises all its rows"
    # A region none of whose rows made the sample gets no link to an empty table.
    sampled = {m.get("adcode") or m.get("region") for m in sample}
    assert len(sampled) < 4 and "其中 0 条" not in page
    assert page.count("数据表为抽样，其中没有此地区的数据") == 4 - len(sampled)
    errors = page[page.index('<section id="errors"') :]
    assert "失败 Failures（3）" in errors and errors.count("<tr><td><code>") == 2
    assert "仅显示 2 / 3 条" in errors and 'href="errors.csv"' in errors
    assert render(small, small / "report.html") == page, "the same page every time"


def _coverage(page: str) -> dict[str, list[str]]:
    """The coverage table: region label → its cells (years…, undated, total), and the header."""
    section = page[page.index('<section id="coverage"') :]
    section = section[: section.index("</section>")]
    head = re.findall(r'<th class="num">([^<]*)</th>', section)
    rows = {"": head}
    for label, cells in re.findall(
        r'<tr data-region="[^"]*"><td><a href="#region-[^"]*">([^<]*)</a></td><td>[^<]*</td>(.*?)</tr>',
        section,
    ):
        rows[label] = re.findall(r"<td[^>]*>([^<]*)</td>", cells)
    return rows


def test_coverage_counts_reports_per_region_and_year(small: Path) -> None:
    page = build_report(small).read_text(encoding="utf-8")
    table = _coverage(page)
    assert table[""] == ["2023", "2024", "无日期 undated", "合计 total"]
    assert table["晋江市"] == ["1", "", "", "1"]
    assert table["嘉兴市"] == ["", "1", "", "1"]
    assert table["（未标明地区）"] == ["", "1", "", "1"], "the irrelevant part is not counted"
    assert '<a href="#coverage">' in page
    assert "panel.csv" not in page and "reposts counted once" not in page

    # An undated report, a repost (duplicate_of set) and the panel beside the tables.
    path = small / "articles.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    jinjiang, jiaxing = rows[0], rows[1]
    rows.append(jinjiang | {"doc_id": "eeee000000000005", "publish_date": ""})
    rows.append(jiaxing | {"doc_id": "ffff000000000006", "duplicate_of": jiaxing["doc_id"]})
    _write(path, [*ARTICLE_COLUMNS, "duplicate_of"], rows)
    (small / "panel.csv").write_text("region,year\r\n", encoding="utf-8")
    page = build_report(small).read_text(encoding="utf-8")
    table = _coverage(page)
    assert table["晋江市"] == ["1", "", "1", "2"], "the undated one in its own column"
    assert table["嘉兴市"] == ["", "1", "", "1"], "the repost not counted again"
    assert "reposts counted once" in page
    assert '<a href="panel.csv">panel.csv</a>' in page
    elsewhere = build_report(small, small.parent / "site" / "index.html").read_text("utf-8")
    assert '<a href="../ds/panel.csv">panel.csv</a>' in elsewhere


def test_bar_chart_geometry() -> None:
    svg = bar_chart_svg(
        ["甲", "乙"],
        [Series("reported", [3, 0], "#000"), Series("planned", [1, 0], "#fff")],
        "t",
        "share",
    )
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', svg)]
    legend, bars = widths[:2], widths[2:]
    assert legend == [14, 14]
    assert bars == [390.0, 130.0], "3 : 1 of the 520 px plot; nothing drawn for the empty band"
    assert svg.count(">—</text>") == 1
    with pytest.raises(ValueError):
        bar_chart_svg(["甲"], [], "t", "pie")
    assert fmt_number(1800.0) == "1,800" and fmt_number(33.33) == "33.33"
    assert text_width("晋江ab", 10) == 32


# --- in a real browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orgwork.batch import list_sources, process_batch
    from orgwork.pipeline.dataset import write_dataset

    out = tmp_path_factory.mktemp("samples") / "dataset"
    result = process_batch(list_sources([SAMPLES]))
    write_dataset(result.documents, result.errors, out)
    return build_report(out)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium (.ci/browser-deps.sh)")
def test_report_in_chromium(sample_report: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    measures = list(iter_rows(sample_report.parent, "measures"))
    want = sum(m["region"] == "泉港区" for m in measures)
    assert 0 < want < len(measures)
    problems: list[str] = []
    fetched: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("request", lambda r: fetched.append(r.url))
            page.goto(sample_report.as_uri())

            # Heatmap and bar charts are drawn: SVGs with a real size and shapes in them.
            heatmap = page.locator("svg.heatmap")
            box = heatmap.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 100
            assert heatmap.locator("g.cell rect").count() >= 10
            bars = page.locator("svg.bars")
            assert bars.count() == 4
            for i in range(4):
                assert bars.nth(i).bounding_box()["height"] > 50
                assert bars.nth(i).locator("rect").count() > 2

            # Chinese labels are drawn with a CJK font, not boxes.
            assert _fonts_for(page, "svg.heatmap text.row"), "no font reported for the label"
            cjk = [f for f in _fonts_for(page, "svg.heatmap text.row") if _is_cjk_font(f)]
            assert cjk, f"Chinese drawn with {_fonts_for(page, 'svg.heatmap text.row')}"

            # The coverage table: a row per region, its totals the relevant articles.
            coverage = page.locator("table.coverage tbody tr")
            assert coverage.count() == len(page.locator("svg.heatmap text.row").all())
            totals = page.locator("table.coverage tbody td:last-child").all_inner_texts()
            articles = list(iter_rows(sample_report.parent, "articles"))
            assert sum(map(int, totals)) == sum(a["relevant"] == "true" for a in articles)

            # Filtering the table by a region leaves that region's rows only.
            rows = page.locator("#measures-table tbody tr")
            assert rows.count() == len(measures)
            page.select_option("#filter-region", label="泉港区")
            visible = page.locator("#measures-table tbody tr:not([hidden])")
            assert visible.count() == want
            assert set(visible.locator("td:first-child").all_inner_texts()) == {"泉港区"}
            assert page.locator("#filter-count").inner_text() == str(want)
            page.select_option("#filter-kind", "headcount")
            both = sum(m["region"] == "泉港区" and m["kind"] == "headcount" for m in measures)
            assert visible.count() == both
            page.click("#filter-reset")
            assert visible.count() == len(measures)
            # A region's "all figures" link presets the region filter.
            page.click('a[data-show-region="440703"]')
            assert visible.count() == sum(m["adcode"] == "440703" for m in measures)
            page.click("#filter-reset")

            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            if folder := os.environ.get("ORGWORK_SCREENSHOTS"):
                Path(folder).mkdir(parents=True, exist_ok=True)
                shutil.copy(shot, Path(folder) / "report-samples.png")
        finally:
            browser.close()
    assert not problems, problems
    assert all(u.startswith(("file:", "data:", "about:")) for u in fetched), fetched


def _fonts_for(page, selector: str) -> list[str]:
    """Fonts chromium actually used for the first element matching ``selector`` (via CDP)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts if f["glyphCount"]]


def _is_cjk_font(family: str) -> bool:
    return bool(re.search(r"CJK|YaHei|PingFang|Hei|Han Sans|WenQuanYi|Song|Ming", family, re.I))


def test_bar_charts_keep_the_largest_regions_when_there_are_many() -> None:
    from orgwork.report.render import MAX_BARS, Page

    labels = [f"区{i}" for i in range(MAX_BARS + 10)]
    values = [float(i) if i % 7 == 0 else 0.0 for i in range(len(labels))]
    fig = Page.figure("t", "n", labels, [Series("s", values, "#000")], "stacked")
    shown = re.findall(r'class="row">(区\d+)</text>', fig)
    assert len(shown) == MAX_BARS
    nonzero = {label for label, v in zip(labels, values, strict=True) if v}
    assert nonzero <= set(shown) and "区48" not in shown, "区48 is 0: dropped"
    assert shown == sorted(shown, key=lambda s: int(s[1:])), "kept in the original order"
    assert f"共 {len(labels)} 个" in fig


def test_empty_dataset_gives_a_report(tmp_path: Path) -> None:
    from orgwork.pipeline.dataset import write_dataset

    write_dataset([], [], tmp_path)
    page = build_report(tmp_path).read_text(encoding="utf-8")
    assert '<div class="n">0</div><div class="l">数据 measures</div>' in page
    assert '<div class="n">—</div><div class="l">报道时间 report dates</div>' in page
    assert "没有失败的文件" in page and 'id="measures-table"' in page
