"""Crawl storage: raw page bytes on disk, provenance and the frontier in one SQLite file.

Crash safety rests on one order of writes: the bytes go to a temporary file that is renamed
into place (``os.replace`` is atomic), and only then is the page row inserted and its
frontier entry marked done, in one transaction. A crawl killed between the two leaves the
entry pending; the re-fetch gives the same content-addressed path, so nothing is stored
twice and nothing is lost.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from orgwork.crawler.config import source_name_problem

PAGES_DIR = "crawled"  # every stored page lives under <corpus>/crawled/<source>/
SHA256_HEX = re.compile(r"[0-9a-f]{64}")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- URLs to visit, per source. kind: list (column page, feed, sitemap) | article.
-- status: pending | done | failed (transient, retried next run) | skipped (final)
--   | deferred (rate-limited or robots.txt unreachable: pending again on the next run).
CREATE TABLE IF NOT EXISTS frontier (
    source TEXT NOT NULL,
    url TEXT NOT NULL,              -- canonical URL: the dedupe key
    fetch_url TEXT NOT NULL,        -- the URL as found, which is what gets requested
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    seed INTEGER NOT NULL DEFAULT 0,
    found_on TEXT,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (source, url)
);
CREATE INDEX IF NOT EXISTS frontier_pending ON frontier (source, status);

-- One row per article page fetched. Duplicates keep a row (provenance) pointing at the
-- primary's canonical URL; exact duplicates share the primary's file.
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE,
    fetch_url TEXT NOT NULL,
    final_url TEXT NOT NULL,
    final_canonical TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT,
    charset TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    path TEXT NOT NULL,             -- relative to the corpus folder
    region TEXT,
    duplicate_of TEXT,              -- canonical URL of the primary, NULL for a primary
    duplicate_reason TEXT,          -- content (same bytes) | near (same text after t2s)
    similarity REAL,
    minhash BLOB                    -- MinHash of the normalized main text (primaries only)
);
CREATE INDEX IF NOT EXISTS pages_sha ON pages (sha256);
CREATE INDEX IF NOT EXISTS pages_final ON pages (final_canonical);

-- Validators for conditional GET of list pages and feeds.
CREATE TABLE IF NOT EXISTS validators (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    stats TEXT
);

-- What happened to each URL that was not simply stored: the crawl report.
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    event TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL
);
"""

# A transient failure is retried on this many later runs before it counts as final.
MAX_ATTEMPTS = 3


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class FrontierItem:
    source: str
    url: str
    fetch_url: str
    kind: str
    attempts: int
    seed: bool


@dataclass
class CrawledPage:
    """A stored page as the processing side needs it (see ``ingest_bytes``)."""

    path: Path
    url: str  # the address the bytes came from (after redirects)
    canonical_url: str
    source: str
    declared_charset: str | None
    content_type: str
    region_hint: str
    fetched_at: str
    sha256: str
    duplicate_of: str | None = None

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type.lower() or self.path.suffix == ".html"


@dataclass
class StoredPage:
    url: str
    fetch_url: str
    final_url: str
    final_canonical: str
    status: int
    content_type: str
    charset: str | None
    sha256: str
    size: int
    path: str
    region: str
    duplicate_of: str | None = None
    duplicate_reason: str | None = None
    similarity: float | None = None
    minhash: bytes | None = None


class CrawlStore:
    """The crawl database and the folder of raw pages."""

    def __init__(self, db_path: str | Path, corpus_dir: str | Path) -> None:
        self.db_path = Path(db_path)
        self.corpus_dir = Path(corpus_dir)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: transactions are explicit (see `transaction`).
        self.conn = sqlite3.connect(self.db_path, timeout=60, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        # WAL lets several source tasks write one database; synchronous=FULL makes a
        # committed row survive a power cut, not only a killed process.
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.executescript(SCHEMA)
        with self.transaction():
            self.conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('corpus_dir', ?)",
                (str(self.corpus_dir.resolve()),),
            )

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> CrawlStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        # IMMEDIATE takes the write lock up front, so the duplicate check and the insert
        # that depends on it see the same database even with concurrent source tasks.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- runs and events ---------------------------------------------------------------

    def start_run(self, source: str) -> int:
        with self.transaction() as c:
            cur = c.execute("INSERT INTO runs (source, started_at) VALUES (?, ?)", (source, now()))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, stats: dict) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET finished_at = ?, stats = ? WHERE id = ?",
                (now(), json.dumps(stats, ensure_ascii=False), run_id),
            )

    def event(self, run_id: int, source: str, url: str, event: str, detail: str = "") -> None:
        with self.transaction() as c:
            self._event(c, run_id, source, url, event, detail)

    @staticmethod
    def _event(c, run_id: int, source: str, url: str, event: str, detail: str) -> None:
        c.execute(
            "INSERT INTO events (run_id, source, url, event, detail, at) VALUES (?,?,?,?,?,?)",
            (run_id, source, url, event, detail, now()),
        )

    def events(self, run_id: int | None = None) -> list[dict]:
        sql = "SELECT run_id, source, url, event, detail, at FROM events"
        rows = (
            self.conn.execute(sql + " WHERE run_id = ? ORDER BY id", (run_id,))
            if run_id is not None
            else self.conn.execute(sql + " ORDER BY id")
        )
        return [dict(r) for r in rows]

    # -- frontier ----------------------------------------------------------------------

    def seed(self, source: str, urls: Iterable[tuple[str, str]]) -> None:
        """Queue the start URLs again (list pages change), give failed URLs another try and
        deferred ones (rate-limited, robots.txt unreachable) their turn."""
        stamp = now()
        with self.transaction() as c:
            for canonical, fetch_url in urls:
                c.execute(
                    "INSERT INTO frontier (source, url, fetch_url, kind, seed, added_at,"
                    " updated_at) VALUES (?, ?, ?, 'list', 1, ?, ?)"
                    " ON CONFLICT (source, url) DO UPDATE SET status = 'pending', seed = 1,"
                    " updated_at = excluded.updated_at",
                    (source, canonical, fetch_url, stamp, stamp),
                )
            c.execute(
                "UPDATE frontier SET status = 'pending' WHERE source = ? AND status = 'failed'"
                " AND attempts < ?",
                (source, MAX_ATTEMPTS),
            )
            c.execute(
                "UPDATE frontier SET status = 'pending' WHERE source = ? AND status = 'deferred'",
                (source,),
            )

    def next_pending(self, source: str) -> FrontierItem | None:
        row = self.conn.execute(
            "SELECT source, url, fetch_url, kind, attempts, seed FROM frontier"
            " WHERE source = ? AND status = 'pending' ORDER BY rowid LIMIT 1",
            (source,),
        ).fetchone()
        if row is None:
            return None
        return FrontierItem(
            row["source"], row["url"], row["fetch_url"], row["kind"], row["attempts"], row["seed"]
        )

    def pending_count(self, source: str) -> int:
        """URLs left for a later run: pending, and deferred (pending again next run)."""
        return self.conn.execute(
            "SELECT COUNT(*) FROM frontier WHERE source = ? AND status IN ('pending', 'deferred')",
            (source,),
        ).fetchone()[0]

    def frontier_status(self, source: str, url: str) -> str | None:
        row = self.conn.execute(
            "SELECT status FROM frontier WHERE source = ? AND url = ?", (source, url)
        ).fetchone()
        return row[0] if row else None

    def finish_item(
        self,
        item: FrontierItem,
        status: str,
        *,
        run_id: int,
        event: str = "",
        detail: str = "",
        count_attempt: bool = False,
    ) -> None:
        with self.transaction() as c:
            self._finish(c, item, status, count_attempt, detail)
            if event:
                self._event(c, run_id, item.source, item.fetch_url, event, detail)

    @staticmethod
    def _finish(c, item: FrontierItem, status: str, count_attempt: bool, note: str) -> None:
        c.execute(
            "UPDATE frontier SET status = ?, attempts = attempts + ?, updated_at = ?, note = ?"
            " WHERE source = ? AND url = ?",
            (status, int(count_attempt), now(), note, item.source, item.url),
        )

    def finish_list(
        self,
        item: FrontierItem,
        *,
        run_id: int,
        articles: list[tuple[str, str]],
        lists: list[tuple[str, str]],
        etag: str | None,
        last_modified: str | None,
    ) -> tuple[int, int]:
        """Queue what a list page links to, keep its validators and mark it done, atomically.

        Returns (new articles, list pages queued). A list page that brought new articles
        queues its next pages again even if they were seen before: on a refresh the newest
        reports push older ones onto later pages. One that brought none queues only unseen
        pages, so a refresh stops paging where nothing is new.
        """
        stamp = now()
        new_articles = 0
        queued_lists = 0
        with self.transaction() as c:
            for canonical, fetch_url in articles:
                if self._has_page(c, canonical):
                    continue
                cur = c.execute(
                    "INSERT OR IGNORE INTO frontier (source, url, fetch_url, kind, found_on,"
                    " added_at, updated_at) VALUES (?, ?, ?, 'article', ?, ?, ?)",
                    (item.source, canonical, fetch_url, item.url, stamp, stamp),
                )
                new_articles += cur.rowcount
            for canonical, fetch_url in lists:
                cur = c.execute(
                    "INSERT OR IGNORE INTO frontier (source, url, fetch_url, kind, found_on,"
                    " added_at, updated_at) VALUES (?, ?, ?, 'list', ?, ?, ?)",
                    (item.source, canonical, fetch_url, item.url, stamp, stamp),
                )
                if cur.rowcount == 0 and new_articles:
                    cur = c.execute(
                        "UPDATE frontier SET status = 'pending', updated_at = ?"
                        " WHERE source = ? AND url = ? AND status = 'done'",
                        (stamp, item.source, canonical),
                    )
                queued_lists += cur.rowcount
            if etag or last_modified:
                c.execute(
                    "INSERT INTO validators (url, etag, last_modified, checked_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag,"
                    " last_modified = excluded.last_modified, checked_at = excluded.checked_at",
                    (item.url, etag, last_modified, stamp),
                )
            self._finish(c, item, "done", False, f"{new_articles} new articles")
        return new_articles, queued_lists

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.conn.execute(
            "SELECT etag, last_modified FROM validators WHERE url = ?", (url,)
        ).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    # -- pages -------------------------------------------------------------------------

    @staticmethod
    def _has_page(c, canonical: str) -> bool:
        return (
            c.execute(
                "SELECT 1 FROM pages WHERE url = ? OR final_canonical = ? LIMIT 1",
                (canonical, canonical),
            ).fetchone()
            is not None
        )

    def has_page(self, canonical: str) -> bool:
        return self._has_page(self.conn, canonical)

    @staticmethod
    def primary_signatures(c: sqlite3.Connection, after_id: int = 0) -> list[tuple]:
        """(id, url, minhash) of primaries added after ``after_id``: a primary stays one."""
        return c.execute(
            "SELECT id, url, minhash FROM pages WHERE id > ? AND duplicate_of IS NULL"
            " AND minhash IS NOT NULL ORDER BY id",
            (after_id,),
        ).fetchall()

    @staticmethod
    def primary_by_sha(c: sqlite3.Connection, sha256: str) -> tuple | None:
        return c.execute(
            "SELECT url, path FROM pages WHERE sha256 = ? AND duplicate_of IS NULL LIMIT 1",
            (sha256,),
        ).fetchone()

    @staticmethod
    def page_path(source: str, sha256: str, suffix: str) -> str:
        """crawled/<source>/<sha[:2]>/<sha><suffix>, relative to the corpus folder."""
        problem = source_name_problem(source)
        if problem:
            raise ValueError(f"source name {source!r} {problem}")
        if not SHA256_HEX.fullmatch(sha256) or suffix not in (".html", ".txt"):
            raise ValueError(f"not a page file name: {sha256!r}{suffix!r}")
        return f"{PAGES_DIR}/{source}/{sha256[:2]}/{sha256}{suffix}"

    def write_bytes(self, relative: str, raw: bytes) -> Path:
        """Write atomically: a reader or a crash never sees half a file."""
        # Defence in depth behind the source name check: nothing is written outside
        # <corpus>/crawled/ (checked on the path's parts, so a symlinked folder still works).
        parts = PurePosixPath(relative).parts
        if (
            len(parts) < 3
            or parts[0] != PAGES_DIR
            or any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts)
            or PurePosixPath(relative).is_absolute()
        ):
            raise ValueError(f"refusing to write {relative!r}: not a path under {PAGES_DIR}/")
        target = self.corpus_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".part-", suffix=target.suffix)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target

    def add_page(
        self,
        item: FrontierItem,
        page: StoredPage,
        *,
        run_id: int,
        resolve: Callable[[sqlite3.Connection, StoredPage], None] | None = None,
    ) -> None:
        """Insert the page row and mark its frontier entry done, in one transaction.

        ``resolve`` decides duplicate_of inside that transaction, so two source tasks
        storing the same report at once cannot both make it a primary.
        """
        with self.transaction() as c:
            if resolve is not None:
                resolve(c, page)
            c.execute(
                "INSERT INTO pages (source, url, fetch_url, final_url, final_canonical,"
                " fetched_at, status, content_type, charset, sha256, size, path, region,"
                " duplicate_of, duplicate_reason, similarity, minhash)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    item.source,
                    page.url,
                    page.fetch_url,
                    page.final_url,
                    page.final_canonical,
                    now(),
                    page.status,
                    page.content_type,
                    page.charset,
                    page.sha256,
                    page.size,
                    page.path,
                    page.region,
                    page.duplicate_of,
                    page.duplicate_reason,
                    page.similarity,
                    page.minhash,
                ),
            )
            self._finish(c, item, "done", False, page.duplicate_reason or "stored")
            if page.duplicate_of:
                detail = f"duplicate of {page.duplicate_of} ({page.duplicate_reason}"
                if page.similarity is not None:
                    detail += f", similarity {page.similarity:.2f}"
                self._event(c, run_id, item.source, page.url, "duplicate", detail + ")")

    def pages(self, source: str | None = None) -> list[dict]:
        sql = "SELECT * FROM pages" + (" WHERE source = ?" if source else "") + " ORDER BY id"
        rows = self.conn.execute(sql, (source,) if source else ())
        return [{k: v for k, v in dict(r).items() if k != "minhash"} for r in rows]


def list_crawled(
    db_path: str | Path,
    corpus_dir: str | Path | None = None,
    *,
    include_duplicates: bool = False,
    source: str | None = None,
) -> list[CrawledPage]:
    """Stored pages for processing: primaries only unless ``include_duplicates``.

    Feed each to ``ingest_bytes(page.path.read_bytes(), str(page.path), url=page.url,
    declared_charset=page.declared_charset, region_hint=page.region_hint,
    is_html=page.is_html)``. Paths are resolved against ``corpus_dir``, by default the
    folder the crawl wrote to.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        return []
    # Read-only: listing must never block or alter a crawl that is running.
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=60)
    conn.row_factory = sqlite3.Row
    try:
        if corpus_dir is None:
            row = conn.execute("SELECT value FROM meta WHERE key = 'corpus_dir'").fetchone()
            corpus_dir = row[0] if row else db_path.parent
        sql = "SELECT * FROM pages WHERE 1=1"
        args: list = []
        if not include_duplicates:
            sql += " AND duplicate_of IS NULL"
        if source:
            sql += " AND source = ?"
            args.append(source)
        rows = conn.execute(sql + " ORDER BY id", args).fetchall()
    finally:
        conn.close()
    return [
        CrawledPage(
            path=Path(corpus_dir) / r["path"],
            url=r["final_url"],
            canonical_url=r["url"],
            source=r["source"],
            declared_charset=r["charset"],
            content_type=r["content_type"] or "",
            region_hint=r["region"] or "",
            fetched_at=r["fetched_at"],
            sha256=r["sha256"],
            duplicate_of=r["duplicate_of"],
        )
        for r in rows
    ]
