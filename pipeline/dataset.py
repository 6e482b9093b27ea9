"""Dataset: Documents → CSV tables and normalized texts, written atomically.

Every CSV is UTF-8 with a BOM (Excel reads Chinese right only then) and one header row.
Texts are UTF-8 without a BOM so that character offsets hold: for every measure and
programme row, ``text == texts/<doc_id>.txt[start:end]``.
Rows are written batch by batch in input order, so memory does not grow with the corpus and
re-runs give the same bytes; each table appears under its final name only when complete.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import pickle
from collections import defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from orgwork.pipeline.dictionary import columns, datapackage_json, taxonomy_categories
from orgwork.pipeline.document import Document
from orgwork.pipeline.outdir import link_unchanged, temporary_name
from orgwork.pipeline.reposts import RepostIndex, primary_key, signature

# Column lists from the data dictionary (data/dictionary.toml, pipeline/dictionary.py).
# duplicate_of, the last column of articles.csv, is decided by the writer once every article
# is in (pipeline/reposts.py): the workers render the rows without it.
ARTICLE_COLUMNS = columns("articles")[:-1]
MEASURE_COLUMNS = columns("measures")
PROGRAM_COLUMNS = columns("programs")
COMPARISON_COLUMNS = columns("comparison")
PANEL_COLUMNS = columns("panel")
ERROR_COLUMNS = columns("errors")
# Written as documents come (articles.csv, comparison.csv and panel.csv at the end).
STREAMED_TABLES = {
    "measures": MEASURE_COLUMNS,
    "programs": PROGRAM_COLUMNS,
    "errors": ERROR_COLUMNS,
}


# A text cell starting with one of these is a formula to Excel or LibreOffice (=HYPERLINK(…),
# @SUM(…), +/-…: CSV injection); it is written with a "'" before it (OWASP's advice), which
# makes it text there. A cell already starting with "'" gets one too, so that a reader drops
# exactly one leading "'" from every text cell that has one (read_cell). Numbers (value,
# start, counts …) are never quoted: a negative number stays a number.
FORMULA_START = frozenset("=+-@\t\r'")


def format_value(value: object) -> str:
    kind = type(value)
    if kind is str:  # most cells: tested first, the tables hold about a million
        return "'" + value if value and value[0] in FORMULA_START else value
    if value is None:
        return ""
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        # repr: the shortest text that reads back as the same float (":g" kept 6 digits:
        # 123456.78 became 123457).
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _region_fields(doc: Document) -> dict[str, str]:
    r = doc.region
    if r is None:
        return dict.fromkeys(
            ("region", "province", "prefecture", "county", "admin_level", "adcode"), ""
        )
    return {
        "region": r.name,
        "province": r.province,
        "prefecture": r.prefecture,
        "county": r.county,
        "admin_level": r.admin_level,
        "adcode": r.adcode,
    }


def article_row(doc: Document) -> dict[str, object]:
    return {
        "doc_id": doc.doc_id,
        "source": doc.url or doc.source,
        "url": doc.url,
        "part": doc.part + 1,
        "title": doc.title,
        "outlet": doc.outlet,
        "author": doc.author,
        "publish_date": doc.publish_date,
        **_region_fields(doc),
        "current_adcode": doc.region.current_adcode if doc.region else "",
        "script": doc.script,
        "relevant": doc.relevant,
        "encoding": doc.encoding,
        "chars": len(doc.text),
        "n_measures": len(doc.measures),
        "n_programs": len(doc.programs),
        "sha256": doc.sha256,
        "text_path": f"texts/{doc.doc_id}.txt",
    }


def measure_rows(doc: Document) -> list[dict[str, object]]:
    region = _region_fields(doc)
    return [
        {
            "doc_id": doc.doc_id,
            "measure_id": m.measure_id,
            "region": region["region"],
            "adcode": region["adcode"],
            "kind": m.kind,
            "value": m.value,
            "value_max": m.value_max,
            "unit": m.unit,
            "qualifier": m.qualifier,
            "subject": m.subject,
            "period": m.period,
            "modality": m.modality,
            "category": m.category,
            "program": m.program,
            "text": m.text,
            "start": m.start,
            "end": m.end,
            "sentence": m.sentence,
            "source": doc.url or doc.source,
        }
        for m in doc.measures
    ]


def program_rows(doc: Document) -> list[dict[str, object]]:
    region = _region_fields(doc)
    return [
        {
            "doc_id": doc.doc_id,
            "program_id": p.program_id,
            "region": region["region"],
            "adcode": region["adcode"],
            "name": p.name,
            "full_name": p.full_name,
            "type": p.type,
            "category": p.category,
            "mentions": p.mentions,
            "text": p.text,
            "start": p.start,
            "end": p.end,
            "sentence": p.sentence,
            "source": doc.url or doc.source,
        }
        for p in doc.programs
    ]


def csv_text(rows: list[dict[str, object]], columns: list[str]) -> str:
    """Rows as the lines of a table (cells in column order, formatted by format_value). A row
    missing a column fails here (KeyError), as it should."""
    buffer = io.StringIO()
    # csv.writer, not DictWriter: its per-row key checks cost as much as the writing.
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [format_value(row[c]) for c in columns] for row in rows
    )
    return buffer.getvalue()


def read_cell(cell: str) -> str:
    """A text cell as it was before format_value: one leading "'" dropped."""
    return cell[1:] if cell[:1] == "'" else cell


def read_table(path: str | Path) -> Iterator[dict[str, str]]:
    """The rows of a table written here, one at a time, each cell a string as before
    format_value (read_cell). Fields of any size: a sentence may be megabytes long."""
    csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        for cells in reader:
            if "'" in "".join(cells):  # rare: one test in C for the whole row
                cells = [read_cell(c) for c in cells]
            yield dict(zip(header, cells, strict=False))


@dataclass
class CellShare:
    """One document's share of a region × category cell of comparison.csv."""

    key: tuple[str, str]  # (adcode, else region name; category)
    region: dict[str, str]
    programs: list[str] = field(default_factory=list)  # names, in text order
    n_measures: int = 0
    n_reported: int = 0
    n_planned: int = 0
    # Headcounts to add, each figure of the document once (11名 … 11名 is one figure).
    figures: list[tuple[str, float]] = field(default_factory=list)  # (column, value)
    date: str = ""  # the document's date, when it gives a measure here


@dataclass
class DocumentRows:
    """A processed Document as the dataset takes it: its rows as table lines, its shares
    of comparison.csv and panel.csv, and its repost signature. Rendered where the document
    was processed (a worker process in a parallel run), so the flow's one process, which
    every batch passes through, receives a few strings per document instead of records to
    unpickle, turn into rows and free."""

    doc_id: str
    text: str
    relevant: bool
    n_measures: int
    n_programs: int
    lines: dict[str, str]  # table → its rows of this document (csv_text)
    # Its list of CellShare, pickled where it was rendered: the flow's process only keeps it
    # in the spool until close, and unpickling it there (and pickling it again into the
    # spool) cost it a second per 8,000 reports.
    cells: bytes
    region: dict[str, str] = field(default_factory=dict)  # _region_fields
    publish_date: str = ""
    primary_key: tuple = ()  # pipeline.reposts.primary_key: the primary of reposts sorts first
    signature: bytes | None = None  # pipeline.reposts.signature


def render_rows(doc: Document) -> DocumentRows:
    source = doc.url or doc.source
    return DocumentRows(
        doc_id=doc.doc_id,
        text=doc.text,
        relevant=doc.relevant,
        n_measures=len(doc.measures),
        n_programs=len(doc.programs),
        lines={
            "articles": csv_text([article_row(doc)], ARTICLE_COLUMNS),
            "measures": csv_text(measure_rows(doc), MEASURE_COLUMNS),
            "programs": csv_text(program_rows(doc), PROGRAM_COLUMNS),
        },
        cells=pickle.dumps(cell_shares(doc), protocol=pickle.HIGHEST_PROTOCOL),
        region=_region_fields(doc),
        publish_date=doc.publish_date,
        primary_key=primary_key(doc.publish_date, doc.url, source, doc.doc_id),
        signature=signature(doc.text),
    )


def cell_shares(doc: Document) -> list[CellShare]:
    """The document's programmes and measures by category (in order of first appearance)."""
    region = _region_fields(doc)
    key = region["adcode"] or region["region"]
    shares: dict[str, CellShare] = {}

    def share(category: str) -> CellShare:
        if category not in shares:
            shares[category] = CellShare((key, category), region)
        return shares[category]

    for p in doc.programs:
        share(p.category).programs.append(p.name)
    seen: set[tuple] = set()
    for m in doc.measures:
        cell = share(m.category)
        cell.n_measures += 1
        cell.n_reported += m.modality == "reported"
        cell.n_planned += m.modality == "planned"
        if doc.publish_date:
            cell.date = doc.publish_date
        figure = (m.category, m.kind, m.unit, m.value, m.modality)
        if m.kind == "headcount" and figure not in seen:
            seen.add(figure)
            column = ("person_times_" if m.unit == "人次" else "headcount_") + m.modality
            cell.figures.append((column, m.value))
    return list(shares.values())


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new hidden file beside ``path``, with the mode a plain open() gives (0666 less the
    umask; mkstemp's 0600 made the tables unreadable to the user's group)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        tmp = os.fspath(temporary_name(path))
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:  # left by a dead process of the same pid: take the next name
            continue


def write_atomic(path: Path, data: str | Iterable[str], encoding: str = "utf-8") -> None:
    """Write to a temporary file beside ``path`` and rename it into place.

    ``data`` may be an iterable of pieces, written as they come (the report's pages are
    written so, never whole in memory)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            if isinstance(data, str):
                fh.write(data)
            else:
                for piece in data:
                    fh.write(piece)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_once(path: Path, text: str, previous: Path | None = None) -> None:
    """Atomic write, skipped when the file already holds this text (re-runs rewrite nothing);
    a hard link of ``previous`` (the same text in the previous run's folder) when it holds
    this text.

    Written with plain os calls and a temporary name of this process's own: thousands of
    these per run, and mkstemp's random names and pathlib cost twice the system calls."""
    data = text.encode("utf-8")
    if previous is not None and link_unchanged(previous, path, data):
        return
    name = os.fspath(path)
    try:
        if os.stat(name).st_size == len(data) and path.read_bytes() == data:
            return
    except OSError:
        pass
    tmp = f"{os.path.dirname(name)}/.{os.path.basename(name)}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # as open(): umask applies
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, name)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_texts(items: list[tuple[Path, str]], previous: Path | None) -> None:
    for path, text in items:
        write_text_once(path, text, previous / path.name if previous is not None else None)


def _finished_ok(future: Future) -> bool:
    """Done without error (an error is kept, to be raised by close)."""
    return future.done() and future.exception() is None


class _TableWriter:
    """A CSV written to a hidden temporary file and renamed into place by ``finish``."""

    def __init__(self, path: Path, columns: list[str]):
        self.path = path
        fd, self.tmp = _create_temporary(path)
        self.fh = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self.columns = columns
        csv.writer(self.fh, lineterminator="\r\n").writerow(columns)

    def write(self, rows: list[dict[str, object]]) -> None:
        self.fh.write(csv_text(rows, self.columns))

    def write_lines(self, lines: str) -> None:
        """Rows already rendered by csv_text."""
        self.fh.write(lines)

    def finish(self) -> None:
        self.fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        self.fh.close()
        Path(self.tmp).unlink(missing_ok=True)


# comparison.csv's and panel.csv's columns in the order the writer writes them (checked
# against the dictionary).
UNIT_COLUMNS = ("region", "province", "prefecture", "admin_level", "adcode")
TOTAL_COLUMNS = (
    "n_articles", "n_programs", "programs", "n_measures", "n_reported", "n_planned",
    "headcount_reported", "person_times_reported", "headcount_planned",
    "person_times_planned", "first_date", "last_date",
)  # fmt: skip
if [*UNIT_COLUMNS, "year", "category", "n_reports", *TOTAL_COLUMNS] != PANEL_COLUMNS:
    raise ValueError(f"panel.csv's columns are not those _Panel.lines writes: {PANEL_COLUMNS}")
if [*UNIT_COLUMNS, "category", *TOTAL_COLUMNS] != COMPARISON_COLUMNS:
    raise ValueError(f"comparison.csv's columns are not the writer's: {COMPARISON_COLUMNS}")


@dataclass
class _Cell:
    """Running totals of one cell of comparison.csv (region × category) or panel.csv
    (unit × year × category)."""

    region: dict[str, str]
    articles: set[str] = field(default_factory=set)
    programs: dict[str, None] = field(default_factory=dict)
    n_measures: int = 0
    n_reported: int = 0
    n_planned: int = 0
    sums: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    dates: list[str] = field(default_factory=list)

    def add(self, doc_id: str, share: CellShare) -> None:
        self.articles.add(doc_id)
        if share.programs:
            self.programs.update(dict.fromkeys(share.programs))
        self.n_measures += share.n_measures
        self.n_reported += share.n_reported
        self.n_planned += share.n_planned
        if share.date:
            self.dates.append(share.date)
        for column, value in share.figures:  # in order: the same sums, to the last bit
            self.sums[column] += value

    def totals(self) -> list[str]:
        """The cells of TOTAL_COLUMNS, formatted as format_value would, for the tens of
        thousands of rows of comparison.csv and panel.csv: a list, not a dict to look each
        column up in."""
        sums = self.sums
        return [
            str(len(self.articles)),
            str(len(self.programs)),
            format_value("；".join(self.programs)),
            str(self.n_measures),
            str(self.n_reported),
            str(self.n_planned),
            format_value(sums.get("headcount_reported")),
            format_value(sums.get("person_times_reported")),
            format_value(sums.get("headcount_planned")),
            format_value(sums.get("person_times_planned")),
            format_value(min(self.dates, default="")),
            format_value(max(self.dates, default="")),
        ]


MUNICIPALITIES = {"11", "12", "31", "50"}  # 北京, 天津, 上海, 重庆: their own prefecture
LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2, "": 3}


def panel_units(region: dict[str, str]) -> list[dict[str, str]]:
    """The units of panel.csv a report of ``region`` counts in: its own, and for a county its
    prefecture (a municipality's districts: the municipality) and province, for a prefecture
    its province. One report, one region: it is counted once at each level."""
    units = [region]
    code, level = region["adcode"], region["admin_level"]
    if level == "county" and region["prefecture"]:
        parent = code[:2] + "0000" if code[:2] in MUNICIPALITIES else code[:4] + "00"
        units.append(
            {
                "region": region["prefecture"],
                "province": region["province"],
                "prefecture": region["prefecture"],
                "admin_level": "prefecture",
                "adcode": parent,
            }
        )
    if level in ("county", "prefecture") and region["province"]:
        units.append(
            {
                "region": region["province"],
                "province": region["province"],
                "prefecture": "",
                "admin_level": "province",
                "adcode": code[:2] + "0000",
            }
        )
    return units


class _Panel:
    """Running totals of panel.csv: unit × year × category, every category of a unit-year
    with a report."""

    def __init__(self) -> None:
        self.units: dict[tuple[str, str], dict[str, str]] = {}  # (level, code) → fields
        self.reports: dict[tuple[str, str, str], int] = defaultdict(int)  # (level, code, year)
        self.cells: dict[tuple[str, str, str, str], _Cell] = {}

    def add(self, doc: tuple, shares: list[CellShare]) -> None:
        doc_id, region, publish_date, relevant = doc
        if not (relevant or shares):
            return
        year = publish_date[:4]
        for unit in panel_units(region):
            key = (unit["admin_level"], unit["adcode"] or unit["region"])
            self.units.setdefault(key, unit)
            self.reports[(*key, year)] += 1
            for share in shares:
                cell_key = (*key, year, share.key[1])
                cell = self.cells.get(cell_key)
                if cell is None:
                    cell = self.cells[cell_key] = _Cell(self.units[key])
                cell.add(doc_id, share)

    def lines(self) -> Iterator[str]:
        """The table's rows as CSV lines (csv_text), units in adcode order, each level's
        rows together, years in order (undated first), categories in the taxonomy's."""
        categories = taxonomy_categories()
        categories += sorted({k[3] for k in self.cells} - set(categories))  # none, normally
        ranked = sorted(self.reports, key=lambda k: (k[1], LEVEL_ORDER.get(k[0], 9), k[0], k[2]))
        empty = _Cell({}).totals()  # most cells of a unit-year hold no report
        labels = [format_value(c) for c in categories]
        for level, code, year in ranked:
            unit = self.units[(level, code)]
            head = [format_value(unit[c]) for c in UNIT_COLUMNS]
            head.append(format_value(int(year) if year else None))
            reports = str(self.reports[(level, code, year)])
            rows = []
            for category, label in zip(categories, labels, strict=True):
                cell = self.cells.get((level, code, year, category))
                totals = empty if cell is None else cell.totals()
                rows.append([*head, label, reports, *totals])
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\r\n").writerows(rows)
            yield buffer.getvalue()


class DatasetWriter:
    """Streams documents into the dataset tables; ``close`` finishes them atomically.
    ``previous_texts``: the texts/ folder of the previous run, whose unchanged texts are
    hard-linked instead of written again (a run writes into a fresh folder: pipeline.outdir).
    ``formats``: besides the CSV files, ``parquet`` and ``stata`` (pipeline/formats.py).

    Which articles are reposts is known only once every article is in (the primary of a
    repost may come later), so each document's article row and shares wait in a spool file
    beside the tables (bounded memory: only the signatures stay in memory) until ``close``
    writes articles.csv with duplicate_of and adds the shares of the primaries alone to
    comparison.csv and panel.csv."""

    def __init__(
        self,
        out_dir: str | Path,
        previous_texts: Path | None = None,
        formats: tuple[str, ...] = ("csv",),
    ):
        self.out = Path(out_dir)
        self.previous_texts = previous_texts
        self.formats = formats
        (self.out / "texts").mkdir(parents=True, exist_ok=True)
        self.tables: dict[str, _TableWriter] = {}
        self.spool: io.BufferedWriter | None = None
        try:
            for name, columns in STREAMED_TABLES.items():
                self.tables[name] = _TableWriter(self.out / f"{name}.csv", columns)
            fd, self.spool_path = _create_temporary(self.out / "rows.spool")
            self.spool = os.fdopen(fd, "wb")
        except BaseException:  # a Ctrl-C among them, say: no temporary file stays behind
            self.abort()
            raise
        # Each article's repost signature, indexed at close: the index's many small numpy
        # calls each let go of the interpreter lock, and taking it back from the threads busy
        # while batches come (Prefect's, the texts') made them 5x slower (0.22 → 1.2 s for
        # 8,000 benchmark reports) than once those threads are done.
        self.repost_entries: list[tuple[bytes | None, tuple, str]] = []
        self.cells: dict[tuple[str, str], _Cell] = {}
        self.counts = defaultdict(int)
        self.written: set[str] = set()
        # Texts are written by a thread of their own: creating thousands of files is system
        # calls, which run beside this thread's Python (the rows) instead of before it.
        self._texts = ThreadPoolExecutor(max_workers=1, thread_name_prefix="orgwork-texts")
        self._pending_texts: list[Future] = []

    def add_documents(self, documents: list[Document]) -> None:
        """Rows of each document, and its text."""
        self.add_rows([render_rows(d) for d in documents])

    def add_rows(self, documents: list[DocumentRows]) -> None:
        """Documents rendered by render_rows (in a worker): their rows, shares and texts."""
        folder = self.out / "texts"
        texts = [(folder / f"{d.doc_id}.txt", d.text) for d in documents]
        self._pending_texts = [f for f in self._pending_texts if not _finished_ok(f)]
        self._pending_texts.append(self._texts.submit(_write_texts, texts, self.previous_texts))
        for name in ("measures", "programs"):
            self.tables[name].write_lines("".join(d.lines[name] for d in documents))
        spooled = []
        for doc in documents:
            self.written.add(doc.doc_id)
            self.counts["documents"] += 1
            self.counts["relevant"] += doc.relevant
            self.counts["measures"] += doc.n_measures
            self.counts["programs"] += doc.n_programs
            self.repost_entries.append((doc.signature, doc.primary_key, doc.doc_id))
            article = (doc.doc_id, doc.region, doc.publish_date, doc.relevant)
            spooled.append((doc.lines["articles"], article, doc.cells))
        pickle.dump(spooled, self.spool, protocol=pickle.HIGHEST_PROTOCOL)

    def add_errors(self, errors: list) -> None:
        self.tables["errors"].write(
            [{"source": e.source, "stage": e.stage, "error": e.error} for e in errors]
        )
        self.counts["failures"] += len(errors)

    def _spooled(self) -> Iterator[tuple[str, tuple, bytes]]:
        with open(self.spool_path, "rb") as fh:
            while True:
                try:
                    batch = pickle.load(fh)
                except EOFError:
                    return
                yield from batch

    def _add_share(self, doc_id: str, share: CellShare) -> None:
        cell = self.cells.get(share.key)
        if cell is None:
            cell = self.cells[share.key] = _Cell(share.region)
        cell.add(doc_id, share)

    def comparison_lines(self) -> str:
        """comparison.csv's rows as CSV lines, cells in key order (region, then category)."""
        rows = []
        for (_, category), cell in sorted(self.cells.items()):
            unit = [format_value(cell.region[c]) for c in UNIT_COLUMNS]
            rows.append([*unit, format_value(category), *cell.totals()])
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(rows)
        return buffer.getvalue()

    def _finish_articles(self) -> _Panel:
        """articles.csv with duplicate_of, from the spool; the primaries' shares added to
        comparison and the panel."""
        assert self.spool is not None
        self.spool.close()
        reposts = RepostIndex()
        for entry in self.repost_entries:
            reposts.add(*entry)
        self.repost_entries.clear()
        duplicates = reposts.duplicates()
        self.counts["reposts"] = len(duplicates)
        panel = _Panel()
        articles = _TableWriter(self.out / "articles.csv", [*ARTICLE_COLUMNS, "duplicate_of"])
        self.tables["articles"] = articles
        pieces = []
        for index, (line, article, cells) in enumerate(self._spooled()):
            primary = duplicates.get(index, "")
            pieces.append(f"{line[:-2]},{primary}\r\n")  # one row, ending in \r\n (csv_text)
            if len(pieces) >= 1000:
                articles.write_lines("".join(pieces))
                pieces.clear()
            if primary:  # a repost: its figures are its primary's, counted there
                continue
            shares = pickle.loads(cells)
            for share in shares:
                self._add_share(article[0], share)
            panel.add(article, shares)
        articles.write_lines("".join(pieces))
        Path(self.spool_path).unlink()
        return panel

    def close(self) -> dict[str, int]:
        for future in self._pending_texts:
            future.result()  # a text that could not be written fails the run here
        self._texts.shutdown()
        panel = self._finish_articles()
        comparison = _TableWriter(self.out / "comparison.csv", COMPARISON_COLUMNS)
        comparison.write_lines(self.comparison_lines())
        panel_table = _TableWriter(self.out / "panel.csv", PANEL_COLUMNS)
        for lines in panel.lines():
            panel_table.write_lines(lines)
        for table in (*self.tables.values(), comparison, panel_table):
            table.finish()
        write_atomic(self.out / "datapackage.json", datapackage_json())
        for path in (self.out / "texts").glob("*.txt"):
            if path.stem not in self.written:  # left by an earlier run over other files
                path.unlink()
        extra = [f for f in self.formats if f != "csv"]
        if extra:
            from orgwork.pipeline.formats import write_formats

            write_formats(self.out, extra)
        return dict(self.counts)

    def abort(self) -> None:
        if hasattr(self, "_texts"):
            self._texts.shutdown(cancel_futures=True)
        for table in self.tables.values():
            table.abort()
        if self.spool is not None:
            self.spool.close()
            Path(self.spool_path).unlink(missing_ok=True)


def dataset_fingerprint(out_dir: str | Path) -> str:
    """SHA-256 over the tables of a dataset: equal when every row is equal."""
    digest = hashlib.sha256()
    for name in ("articles", "measures", "programs", "comparison", "panel", "errors"):
        path = Path(out_dir) / f"{name}.csv"
        if path.exists():
            with path.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    digest.update(chunk)
    return digest.hexdigest()


def write_dataset(documents: list[Document], errors: list, out_dir: str | Path) -> dict[str, int]:
    """All tables at once, for callers that hold every document (tests, small runs)."""
    writer = DatasetWriter(out_dir)
    try:
        writer.add_documents(documents)
        writer.add_errors(errors)
    except BaseException:
        writer.abort()
        raise
    return writer.close()
