"""Batches: the run's sources listed, each batch through the stages (orgwork.stages), with the
document cache; a failing document becomes an error row, never a failed batch.

A document whose bytes (and source metadata) and pipeline version are unchanged is read back
from the cache instead of being processed again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from orgwork.pipeline.dataset import DocumentRows, render_rows
from orgwork.pipeline.document import Document, DocumentError
from orgwork.pipeline.ingest import CRAWL_DB, SUFFIXES, Source, ingest_source, read_source
from orgwork.pipeline.version import pipeline_version
from orgwork.stages import process_document


@dataclass
class ErrorRow:
    source: str  # Source.relative: readable, never a surrogate
    stage: str
    error: str

    def __post_init__(self) -> None:
        # A message may quote a name or bytes as lone surrogates, which no CSV can hold.
        self.error = self.error.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass
class BatchResult:
    documents: list[Document] = field(default_factory=list)
    rows: list[DocumentRows] = field(default_factory=list)  # instead, with render_rows
    errors: list[ErrorRow] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cached: int = 0

    def release(self) -> None:
        """Drop the records once written: Prefect keeps every task's result until the flow
        ends, and memory must not grow with the corpus."""
        self.documents.clear()
        self.rows.clear()
        self.errors.clear()


def list_sources(paths: Iterable[str | Path]) -> list[Source]:
    """Files to process under the given files and folders, in a stable order.

    In a folder holding a crawl database, crawled pages come with their URL, declared
    charset and region hint, and near-duplicates recorded against a primary are left out.
    A file a folder reaches by two paths (a link to it) counts once, under the first path.
    """
    found: dict[str, Source] = {}  # by resolved path
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise FileNotFoundError(f"no such file or folder: {given}")
        if root.is_file():
            found[str(root.resolve())] = Source(root, root.name)
            continue
        crawled, skip = _crawled_sources(root)
        crawled_by_name = {str(p): s for p, s in crawled.items()}
        skipped = {str(p) for p in skip} | set(crawled_by_name)
        top = str(root.resolve())
        for full, relative, linked in _walk_files(root):
            # A file's resolved path is the resolved root's and its relative path's, as the
            # walk enters no linked folder: resolving each one cost 0.15 s per 8,000 files.
            resolved = str(Path(full).resolve()) if linked else f"{top}/{relative}"
            if resolved in skipped:
                continue
            known = found.get(resolved)
            if known is None or relative < known.relative:  # reached twice: the first path
                found[resolved] = Source(Path(full), relative)
        found.update(crawled_by_name)
    return sorted(found.values(), key=lambda s: s.relative)


def _walk_files(root: Path) -> Iterator[tuple[str, str, bool]]:
    """Report files under ``root`` (not hidden): their path, their path relative to it and
    whether the file is a symbolic link, as Path.rglob would find them (linked folders not
    followed, unreadable ones skipped). By os.scandir, whose entries know their type
    without a system call each (rglob hashed every path it met, os.walk stat-ed each file)."""
    folders = [(os.fspath(root), "")]
    while folders:
        folder, base = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    name = entry.name
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append((entry.path, f"{base}{name}/"))
                            continue
                        if (
                            name.startswith(".")
                            or os.path.splitext(name)[1].lower() not in SUFFIXES
                        ):
                            continue
                        if entry.is_file():  # a link to a file counts, as os.path.isfile
                            yield entry.path, f"{base}{name}", entry.is_symlink()
                    except OSError:
                        continue
        except OSError:
            continue


def _crawled_sources(root: Path) -> tuple[dict[Path, Source], set[Path]]:
    """Primary crawled pages under ``root`` as Sources, and the paths of all stored pages."""
    db = root / CRAWL_DB
    if not db.exists():
        return {}, set()
    from orgwork.crawler.store import list_crawled

    stored = {p.path.resolve() for p in list_crawled(db, root, include_duplicates=True)}
    primaries = {}
    for page in list_crawled(db, root):
        relative = page.path.resolve().relative_to(root.resolve()).as_posix()
        primaries[page.path.resolve()] = Source(
            page.path,
            relative,
            url=page.url,
            charset=page.declared_charset or "",
            region_hint=page.region_hint,
            html=page.is_html,
        )
    return primaries, stored


def source_digests(sources: list[Source]) -> list[bytes]:
    """SHA-256 of each source's bytes (of the error, when it cannot be read: the run will
    record it in errors.csv, and the digest keeps it apart from any readable file)."""
    digests = []
    for source in sources:
        try:
            digests.append(hashlib.sha256(source.path.read_bytes()).digest())
        except OSError as exc:
            digests.append(hashlib.sha256(repr(exc).encode()).digest())
    return digests


def inputs_fingerprint(sources: list[Source], digests: list[bytes] | None = None) -> str:
    """SHA-256 over every source's bytes and metadata and the pipeline version: equal when a
    run would give the same dataset. ``digests``: source_digests(sources), when known."""
    digest = hashlib.sha256(pipeline_version().encode())
    for source, raw_digest in zip(sources, digests or source_digests(sources), strict=True):
        meta = (source.relative, source.url, source.charset, source.region_hint, source.html)
        digest.update(repr(meta).encode())
        digest.update(raw_digest)
    return digest.hexdigest()


# What a source costs a worker, in documents processed: one from the rows cache is read back
# (its bytes hashed, its rows unpickled), about 1/50 of processing it (benchmarks/scale.py).
CACHED_COST = 0.02


def source_costs(sources: list[Source], digests: list[bytes], cache_dir: str | None) -> list[float]:
    """Each source's expected cost (1: to process; CACHED_COST: its rows are in the cache),
    for plan_batches: a refresh then runs a few large batches instead of many of cached
    rows, each of which cost Prefect's task overhead in the flow's process. Only a plan: a
    key that turns out missing is processed by the worker as usual."""
    cache = DocumentCache(cache_dir) if cache_dir else None
    cached = cache.row_keys() if cache else set()
    if cache is None or not cached:
        return [1.0] * len(sources)
    return [
        CACHED_COST if cache.rows_key(d, s) in cached else 1.0
        for s, d in zip(sources, digests, strict=True)
    ]


def warm_up() -> None:
    """Load dictionaries and rules once per worker process, before its first batch."""
    from orgwork.extractors.context import load_rules as context_rules
    from orgwork.extractors.programs import load_rules as program_rules
    from orgwork.extractors.quantities import load_rules as quantity_rules
    from orgwork.extractors.region import load_gazetteer
    from orgwork.pipeline.lexicon import load_lexicon
    from orgwork.pipeline.mojibake import char_model, pair_keys
    from orgwork.pipeline.normalize import load_rules
    from orgwork.pipeline.script import _converters, _simplified_only
    from orgwork.pipeline.segment import load_jieba

    load_jieba()
    load_lexicon()
    char_model()
    pair_keys()
    load_gazetteer()
    load_rules()
    _converters()
    _simplified_only()
    quantity_rules()
    program_rules()
    context_rules()


class DocumentCache:
    """Processed Documents by content key, pickled into one SQLite file in ``folder``.

    One file, not one per document: creating a file cost ~0.5 ms of system time each on
    this machine (a second per thousand reports), a row costs microseconds. Several worker
    processes write to it at once (write-ahead log); each writes its batch in one
    transaction. A cache that fails only means processing again, never a failed document.
    """

    FILE = "documents.sqlite"
    # documents: the processed Documents of a file's bytes (any path); rows: those Documents
    # as the dataset takes them under the file's path (render_rows), so that a refresh
    # neither unpickles records nor renders rows for a file that did not change.
    TABLES = ("documents", "rows")

    def __init__(self, folder: str | Path):
        self.path = Path(folder) / self.FILE
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, str, bytes]] = []  # (table, key, value)

    def key(self, raw: bytes, source: Source) -> str:
        """The Documents' key: the bytes, the source's metadata, the pipeline version."""
        return self.key_of_digest(hashlib.sha256(raw).digest(), source)

    def key_of_digest(self, raw_digest: bytes, source: Source) -> str:
        digest = hashlib.sha256(raw_digest)
        digest.update(f"|{source.url}|{source.charset}|{source.region_hint}|".encode())
        digest.update(pipeline_version().encode())
        return digest.hexdigest()[:32]

    def rows_key(self, raw_digest: bytes, source: Source) -> str:
        """The rows' key: the Documents' and the path (a row names its source)."""
        return f"{self.key_of_digest(raw_digest, source)}|{source.relative}"

    def row_keys(self) -> set[str]:
        """Every key of the rows table (empty when there is no cache yet)."""
        if not self.path.exists():
            return set()
        try:
            return {k for (k,) in self._connect().execute("SELECT key FROM rows")}
        except sqlite3.Error:
            return set()
        finally:
            self.close()

    def _connect(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last batch is fine
            for table in self.TABLES:
                columns = "key TEXT PRIMARY KEY, value BLOB NOT NULL"
                db.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
            self._db = db
        return self._db

    def get(self, key: str, table: str = "documents") -> list | None:
        """The value kept under ``key`` in ``table`` (TABLES), or None."""
        try:
            row = (
                self._connect()
                .execute(f"SELECT value FROM {table} WHERE key = ?", (key,))
                .fetchone()
            )
            return pickle.loads(row[0]) if row else None
        except (sqlite3.Error, OSError, pickle.UnpicklingError, EOFError, AttributeError):
            return None

    def put(self, key: str, value: list, table: str = "documents") -> None:
        """Kept until flush(): a batch is written in one transaction."""
        self._pending.append((table, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            db = self._connect()
            db.execute("BEGIN IMMEDIATE")
            try:
                for table in self.TABLES:
                    db.executemany(
                        f"INSERT OR REPLACE INTO {table} VALUES (?, ?)",
                        [(key, value) for t, key, value in pending if t == table],
                    )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        except (sqlite3.Error, OSError):
            pass

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None


def process_source(
    source: Source,
    seconds: dict[str, float] | None = None,
    cache: DocumentCache | None = None,
    raw: bytes | None = None,
) -> tuple[list[Document], bool]:
    """One file or fetched page → its articles; (documents, came_from_cache)."""
    seconds = seconds if seconds is not None else defaultdict(float)
    t = time.perf_counter()
    raw = read_source(source) if raw is None else raw
    key = cache.key(raw, source) if cache else ""
    cached = cache.get(key) if cache else None
    if cached is not None:
        seconds["cache"] += time.perf_counter() - t
        # The same bytes may now live under another path.
        return [replace(d, source=source.relative) for d in cached], True
    doc = ingest_source(source, raw)
    seconds["ingest"] += time.perf_counter() - t
    documents = process_document(doc, seconds)
    if cache:
        cache.put(key, documents)
    return documents, False


def render_source(
    source: Source, seconds: dict[str, float], cache: DocumentCache | None = None
) -> tuple[list[DocumentRows], bool]:
    """One file or fetched page → its articles as the dataset takes them; (rows, cached).
    Rows are cached under the bytes' key and the path (a row names its source)."""
    t = time.perf_counter()
    raw = read_source(source)
    rows_key = cache.rows_key(hashlib.sha256(raw).digest(), source) if cache else ""
    rows = cache.get(rows_key, "rows") if cache else None
    if rows is not None:
        seconds["cache"] += time.perf_counter() - t
        return rows, True
    seconds["ingest"] += time.perf_counter() - t
    documents, cached = process_source(source, seconds, cache, raw)
    t = time.perf_counter()
    rows = list(map(render_rows, documents))
    seconds["render"] += time.perf_counter() - t
    if cache:
        cache.put(rows_key, rows, "rows")
    return rows, cached


def batch_options(out: str | Path, cache: bool = True) -> dict:
    """Options of process_batch for a run writing to ``out``: the documents as the dataset
    takes them (render_rows), and the document cache in ``out/.cache``. (Texts are written
    by the flow's one process: this machine's file system creates files one at a time, and
    two workers creating them at once only burnt twice the CPU waiting for each other.)"""
    options: dict = {"render_rows": True}
    if cache:
        options["cache_dir"] = str(Path(out) / ".cache")
    return options


def process_batch(sources: list[Source], options: dict | None = None) -> BatchResult:
    """Process a batch of sources; a failing one becomes an ErrorRow, never a crash.

    Options: ``cache_dir`` (a DocumentCache there), ``render_rows`` (result.rows, the
    documents rendered for the dataset, instead of result.documents)."""
    options = options or {}
    cache = DocumentCache(options["cache_dir"]) if options.get("cache_dir") else None
    result = BatchResult()
    try:
        for source in sources:
            try:
                if options.get("render_rows"):
                    rows, cached = render_source(source, result.seconds, cache)
                    result.rows.extend(rows)
                else:
                    documents, cached = process_source(source, result.seconds, cache)
                    result.documents.extend(documents)
                result.cached += cached
            except DocumentError as exc:
                result.errors.append(ErrorRow(source.relative, exc.stage, exc.message))
            except Exception as exc:  # a bug on one document must not sink the run
                error = f"{type(exc).__name__}: {exc}"
                result.errors.append(ErrorRow(source.relative, "process", error))
    finally:
        if cache is not None:
            t = time.perf_counter()
            cache.close()
            result.seconds["cache"] += time.perf_counter() - t
    return result
