"""What the report needs from a dataset folder, read row by row in bounded memory.

``load_report_data(folder)`` streams the five CSV tables with the ``csv`` module (articles.csv
twice: first for the regions, whose number sets the region lists' caps) and keeps two kinds
of things:

- aggregates over every row: counts and sums per region (and per region × category, which is
  comparison.csv itself), the modality counts, the date range, the filter values;
- a bounded number of rows to list on the page, holding only the columns the page renders:
  each region's first articles, programmes and key figures, a fixed sample of measures for
  the "全部数据" table, and the first failures. The caps below say how many.

So the memory of a report depends on the number of regions (bounded by the gazetteer) and the
caps, not on the number of reports. The one thing that grows with the corpus is 8 bytes a row
of articles.csv and programs.csv: the hashes that count distinct source files and distinct
(region, programme name) pairs for the overview (see ``Distinct``).
"""

from __future__ import annotations

import hashlib
import heapq
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import numpy as np

from orgwork.pipeline.dataset import read_table

TABLES = ("articles", "measures", "programs", "comparison", "errors")

# Row caps. A row of the measures table is ~0.7 KB of HTML, of a region's lists ~0.3–0.5 KB.
# 2,000 table rows ≈ 1.3 MB; each region list (articles, programmes, key figures) gets an equal
# share of REGION_ROWS over all regions, at least one row: the five samples (5 regions, ≤ 32
# rows a list) stay whole, 10,000 reports (~2,800 regions) get one row a list ≈ 3.5 MB.
MAX_TABLE_ROWS = 2000  # "全部数据": a fixed sample of measures.csv
REGION_ROWS = 2000  # rows of each kind of region list over all regions
MAX_ERRORS = 500  # failures listed, the first in file order (one short line each)

NO_REGION = "（未标明地区）"
UNDATED = ""  # the coverage's year of an article without a publish date
KEY_KINDS = ("headcount", "percentage")  # the region sections' "key figures"

# Only these columns of each table are kept for the rows the page lists.
MEASURE_FIELDS = (
    "doc_id", "region", "adcode", "kind", "value", "value_max", "unit", "qualifier", "subject",
    "period", "modality", "category", "program", "text", "start", "end", "sentence",
)  # fmt: skip
PROGRAM_FIELDS = (
    "doc_id", "name", "full_name", "type", "category", "mentions", "text", "start", "end",
    "sentence",
)  # fmt: skip
ARTICLE_FIELDS = ("doc_id", "title", "publish_date", "outlet", "url", "source", "text_path")
DOC_FIELDS = ("url", "source", "text_path")  # what a link to an article's text or page needs
# The numbers of comparison.csv the page draws, kept per region and category.
COMPARISON_NUMBERS = (
    "n_programs", "n_measures", "n_reported", "n_planned", "headcount_reported",
    "person_times_reported", "headcount_planned", "person_times_planned",
)  # fmt: skip
ERROR_FIELDS = ("source", "stage", "error")


@dataclass
class Region:
    """A region as keyed in comparison.csv: its adcode, else its name ("" for none)."""

    key: str
    name: str
    province: str
    prefecture: str
    admin_level: str
    adcode: str
    label: str = ""

    @property
    def anchor(self) -> str:
        return "region-" + (quote(self.key, safe="") if self.key else "none")


def digest(*parts: str) -> int:
    """A 64-bit hash of strings (stable across runs, unlike ``hash``)."""
    data = "\x1f".join(parts).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


class Distinct:
    """Counts distinct values in 8 bytes a row, through 64-bit hashes: two different values
    share a hash with odds of ~n²/2⁶⁵ (1 in 3·10⁷ for a million values)."""

    def __init__(self) -> None:
        self.hashes = array("Q")

    def add(self, *parts: str) -> None:
        self.hashes.append(digest(*parts))

    def count(self) -> int:
        return int(np.unique(np.frombuffer(self.hashes, dtype=np.uint64)).size)


@dataclass
class Listing:
    """The first ``cap`` rows of something and how many there were in all."""

    cap: int
    rows: list[dict[str, str]] = field(default_factory=list)
    total: int = 0

    def add(self, row: dict[str, str], fields: tuple[str, ...]) -> bool:
        """Count the row; keep its ``fields`` while under the cap. True when kept."""
        self.total += 1
        if len(self.rows) < self.cap:
            self.rows.append({f: row.get(f, "") for f in fields})
            return True
        return False

    @property
    def capped(self) -> bool:
        return self.total > len(self.rows)


class RegionData:
    """Per-region counts over all rows, and the first ``cap`` rows of each list."""

    def __init__(self, cap: int = 0) -> None:
        self.articles, self.programs, self.figures = Listing(cap), Listing(cap), Listing(cap)
        self.n_measures = self.n_reported = self.n_planned = 0
        self.comparison: dict[str, array] = {}  # category → COMPARISON_NUMBERS (doubles)

    def total(self, column: str, category: str | None = None) -> float:
        """Sum of a comparison.csv column over the region's cells (of one category if given)."""
        i = COMPARISON_NUMBERS.index(column)
        if category is not None:  # one cell per category: a lookup, not a scan
            cell = self.comparison.get(category)
            return cell[i] if cell is not None else 0
        return sum(v[i] for v in self.comparison.values())


@dataclass
class ReportData:
    """Everything ``orgwork.report.render.Page`` renders: aggregates and capped listings."""

    regions: list[Region] = field(default_factory=list)
    region_cap: int = 1  # rows of each list per region: its share of REGION_ROWS
    by_region: dict[str, RegionData] = field(default_factory=dict)
    docs: dict[str, dict[str, str]] = field(default_factory=dict)  # doc_id → DOC_FIELDS
    n_files: int = 0
    n_articles: int = 0
    n_relevant: int = 0
    first_date: str = ""
    last_date: str = ""
    n_dated: int = 0
    n_measures: int = 0
    modality: Counter = field(default_factory=Counter)
    n_programs: int = 0
    n_distinct_programs: int = 0
    measure_values: dict[str, set[str]] = field(default_factory=dict)  # filter → values
    table: Listing = field(default_factory=lambda: Listing(MAX_TABLE_ROWS))
    errors: Listing = field(default_factory=lambda: Listing(MAX_ERRORS))
    # Coverage: relevant articles per region key and publish year (UNDATED for none), a
    # repost (duplicate_of set, when articles.csv has that column) not counted again.
    coverage: dict[str, Counter] = field(default_factory=dict)
    years: set[str] = field(default_factory=set)
    has_reposts: bool = False
    reposts: set[str] = field(default_factory=set)  # doc_ids of reposts (duplicate_of set)

    def region(self, key: str) -> RegionData:
        if key not in self.by_region:
            self.by_region[key] = RegionData(self.region_cap)
        return self.by_region[key]


def region_key(row: dict[str, str]) -> str:
    return row.get("adcode", "") or row.get("region", "")


def iter_rows(dataset_dir: str | Path, name: str) -> Iterator[dict[str, str]]:
    """The rows of ``<name>.csv`` one at a time (strings, as before formatting)."""
    yield from read_table(Path(dataset_dir) / f"{name}.csv")


def sample_key(row: dict[str, str]) -> int:
    """A stable pseudo-random rank: the table shows the rows of lowest rank, so its sample is
    spread over the whole corpus and the same for the same measures.csv."""
    return digest(row["measure_id"])


def load_report_data(dataset_dir: str | Path) -> ReportData:
    """Stream the five tables of ``dataset_dir`` into a ``ReportData``."""
    folder = Path(dataset_dir)
    for name in TABLES:
        path = folder / f"{name}.csv"
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: not an orgwork dataset folder?")
    data = ReportData()
    sources = Distinct()  # documents = distinct source files of articles and failures
    # First the regions, as their number sets each region's share of REGION_ROWS.
    found = _scan_articles(data, folder, sources)
    comparison = _read_comparison(folder, found)
    data.regions = order_regions(found)
    data.region_cap = max(1, REGION_ROWS // max(1, len(data.regions)))
    for key, rows in comparison.items():
        data.region(key).comparison = rows
    _read_measures(data, folder)
    _read_programs(data, folder)
    # Articles again: the links of the listed rows need their article's text path and URL,
    # and only those articles' are kept.
    needed = {r["doc_id"] for r in data.table.rows}
    for rd in data.by_region.values():
        needed.update(r["doc_id"] for r in rd.figures.rows + rd.programs.rows)
    _list_articles(data, folder, needed)
    for row in iter_rows(folder, "errors"):
        sources.add(row["source"])
        data.errors.add(row, ERROR_FIELDS)
    data.n_files = sources.count()
    return data


def _read_measures(data: ReportData, folder: Path) -> None:
    values: dict[str, set[str]] = {"region": set(), "kind": set(), "category": set()}
    values["modality"] = set()
    heap: list[tuple[int, int, dict[str, str]]] = []  # max-heap on rank via negated keys
    for i, row in enumerate(iter_rows(folder, "measures")):
        key = region_key(row)
        data.n_measures += 1
        data.modality[row["modality"]] += 1
        repost = row["doc_id"] in data.reposts  # listed below, counted by its primary
        rd = data.region(key)
        rd.n_measures += not repost
        rd.n_reported += not repost and row["modality"] == "reported"
        rd.n_planned += not repost and row["modality"] == "planned"
        if row["kind"] in KEY_KINDS and not repost:
            rd.figures.add(row, MEASURE_FIELDS)
        values["region"].add(key)
        for f in ("kind", "category", "modality"):
            values[f].add(row[f])
        item = (-sample_key(row), -i, row)
        if len(heap) < data.table.cap:
            heapq.heappush(heap, (item[0], item[1], {f: row[f] for f in MEASURE_FIELDS}))
        elif item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, (item[0], item[1], {f: row[f] for f in MEASURE_FIELDS}))
    data.measure_values = values
    data.table.total = data.n_measures
    data.table.rows = [row for _, _, row in sorted(heap, key=lambda t: -t[1])]  # file order


def _read_programs(data: ReportData, folder: Path) -> None:
    distinct = Distinct()
    for row in iter_rows(folder, "programs"):
        key = region_key(row)
        data.n_programs += 1
        distinct.add(key, row["name"])
        if row["doc_id"] not in data.reposts:  # a repost's programmes are its primary's
            data.region(key).programs.add(row, PROGRAM_FIELDS)
    data.n_distinct_programs = distinct.count()


def _scan_articles(data: ReportData, folder: Path, sources: Distinct) -> dict[str, Region]:
    """Counts of articles; returns the regions of relevant ones, as first seen."""
    found: dict[str, Region] = {}
    for row in iter_rows(folder, "articles"):
        data.n_articles += 1
        sources.add(row["source"])
        if date := row["publish_date"]:
            data.n_dated += 1
            data.first_date = min(data.first_date or date, date)
            data.last_date = max(data.last_date, date)
        if row["relevant"] == "true":
            data.n_relevant += 1
            key = region_key(row)
            _found(found, key, row)
            data.has_reposts = data.has_reposts or "duplicate_of" in row
            if row.get("duplicate_of"):
                data.reposts.add(row["doc_id"])
            else:
                year = publish_year(row["publish_date"])
                data.years.add(year)
                data.coverage.setdefault(key, Counter())[year] += 1
    return found


def publish_year(date: str) -> str:
    """The year of an ISO publish date (YYYY-MM-DD), UNDATED for an empty one."""
    year = date[:4]
    return year if len(year) == 4 and year.isdigit() else UNDATED


def _list_articles(data: ReportData, folder: Path, needed: set[str]) -> None:
    """Each region's article count and first articles; link fields of ``needed`` doc_ids."""
    for row in iter_rows(folder, "articles"):
        doc_id = row["doc_id"]
        if doc_id in needed:
            data.docs[doc_id] = {f: row[f] for f in DOC_FIELDS}
        if row["relevant"] == "true" and data.region(region_key(row)).articles.add(
            row, ARTICLE_FIELDS
        ):
            data.docs[doc_id] = {f: row[f] for f in DOC_FIELDS}


def _read_comparison(folder: Path, found: dict[str, Region]) -> dict[str, dict[str, array]]:
    """comparison.csv by region and category: one row per region × category, bounded, so kept
    whole (the numbers drawn); its regions join those of the articles."""
    by_region: dict[str, dict[str, array]] = {}
    for row in iter_rows(folder, "comparison"):
        key = region_key(row)
        _found(found, key, row)
        cells = by_region.setdefault(key, {})
        # An array of doubles: a quarter of the memory of a list of floats.
        values = array("d", (float(row[c]) if row[c] else 0.0 for c in COMPARISON_NUMBERS))
        if row["category"] in cells:  # not written so, but a sum stays a sum
            values = array("d", map(sum, zip(cells[row["category"]], values, strict=True)))
        cells[row["category"]] = values
    return by_region


def _found(found: dict[str, Region], key: str, row: dict[str, str]) -> None:
    if key not in found:
        found[key] = Region(
            key, row["region"], row["province"], row["prefecture"], row["admin_level"],
            row["adcode"],
        )  # fmt: skip


def order_regions(found: dict[str, Region]) -> list[Region]:
    """Regions grouped by province: provinces in adcode order, regions by adcode within them;
    the articles naming no place come last. Same-named places get their city in the label."""
    first_code: dict[str, str] = {}
    for r in found.values():
        first_code[r.province] = min(first_code.get(r.province, "999999"), r.adcode or "999999")
    ordered = sorted(
        found.values(),
        key=lambda r: (not r.key, first_code[r.province], r.province, r.adcode, r.name),
    )
    # Same-named districts exist in many cities (鼓楼区): add the city when ambiguous.
    names = Counter(r.name for r in ordered)
    for r in ordered:
        r.label = r.name or NO_REGION
        if r.name and names[r.name] > 1:
            r.label = f"{r.name}（{r.prefecture or r.province}）"
    return ordered
