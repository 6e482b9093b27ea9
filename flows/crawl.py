"""Prefect flows `crawl_sources` and `refresh_dataset`: thin wrappers over pipeline/crawl.py."""

from __future__ import annotations

import os
import sqlite3
from collections import Counter
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import PrefectFuture
from prefect.utilities.annotations import allow_failure

from orgwork.crawler.crawl import (
    CrawlSettings,
    SourceConfig,
    crawl_source,
    db_path_for,
    load_sources,
)

TOTALS = ("fetched", "stored", "duplicates", "not_modified", "skipped", "failed", "pending")


def _is_io_error(task, task_run, state) -> bool:
    """Retry a source only when the disk or the database failed, not on a bug.

    HTTP errors never reach here: the crawler retries and reports them per URL.
    """
    try:
        state.result()
    except (OSError, sqlite3.OperationalError):
        return True
    except BaseException:
        return False
    return False


@task(
    name="crawl-source",
    task_run_name="crawl-{source.name}",
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=_is_io_error,
    cache_policy=NO_CACHE,
)
def crawl_source_task(
    source: SourceConfig, settings: CrawlSettings, corpus_dir: str, db_path: str
) -> dict:
    report = crawl_source(source, settings, corpus_dir, db_path)
    events = Counter(e["event"] for e in report.events)
    return {"source": source.name, **{k: report.stats.get(k, 0) for k in TOTALS}, **events}


@flow(name="crawl_sources")
def crawl_sources(
    sources_file: str = "corpus/sources.toml",
    corpus_dir: str = "corpus",
    db_path: str | None = None,
) -> dict:
    """Crawl every source of the sources file, one task per source."""
    config = load_sources(sources_file)
    db = str(Path(db_path) if db_path else db_path_for(config.settings, corpus_dir))
    futures: list[PrefectFuture] = []
    last_on_host: dict[str, PrefectFuture] = {}
    for source in config.sources:
        # Sources on different hosts crawl side by side; two on one host take turns, so a
        # host never sees more than one request at a time from us.
        waits = [allow_failure(last_on_host[h]) for h in source.allowed_hosts if h in last_on_host]
        future = crawl_source_task.submit(source, config.settings, corpus_dir, db, wait_for=waits)
        for host in source.allowed_hosts:
            last_on_host[host] = future
        futures.append(future)
    rows, failed = [], []
    for source, future in zip(config.sources, futures, strict=True):
        future.wait()
        if future.state.is_completed():
            rows.append(future.result())
        else:
            failed.append(source.name)
            rows.append({"source": source.name, "error": str(future.state.message or "failed")})
    totals = {k: sum(int(r.get(k, 0)) for r in rows) for k in TOTALS}
    summary = {
        "sources": len(rows),
        **totals,
        "per_source": rows,
        "db": db,
        "failed_sources": failed,
    }
    create_table_artifact(
        key="crawl-summary",
        table=[{k: r.get(k, "") for k in ("source", *TOTALS, "error")} for r in rows],
        description="orgwork crawl: per source, URLs fetched, stored, duplicate, skipped, failed",
    )
    if failed:
        raise RuntimeError(f"crawl failed for source(s): {', '.join(failed)}")
    return summary


@flow(name="refresh_dataset")
def refresh_dataset(
    sources_file: str = "corpus/sources.toml",
    corpus_dir: str = "corpus",
    out: str = "outputs",
    db_path: str | None = None,
) -> dict:
    """Crawl, then extract the dataset from every primary crawled page."""
    crawl = crawl_sources(sources_file, corpus_dir, db_path)
    # The whole corpus: crawled primaries come with their URLs (pipeline.ingest.list_sources);
    # documents processed before come from the cache, so only new pages cost time.
    from orgwork.batch import batch_options
    from orgwork.flows.extract import run_extract  # the extraction side's flow, imported late
    from orgwork.flows.parallel import start_pool, stop_pool

    # The same parallelism as `orgwork run`: one worker process per core, a task run per
    # batch handing it to one.
    workers = os.cpu_count() or 1
    start_pool(workers)
    try:
        extract = run_extract(
            workers=workers, paths=[corpus_dir], out=out, options=batch_options(out)
        )
    finally:
        stop_pool()
    return {"crawl": crawl, "extract": extract}
