"""A pool of worker processes for the CPU-bound stages, started before anything else.

Forking at start-up, before Prefect or any thread exists, costs milliseconds and lets the
workers load jieba's dictionary and the rules (once each) while Prefect's API starts; a pool
spawned later re-imports everything per worker (~5 s each on this machine).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor

from pipeline.ingest import Source
from pipeline.run import BatchResult, process_batch, warm_up

_pool: ProcessPoolExecutor | None = None


def start_pool(workers: int) -> None:
    """Start ``workers`` processes now and warm each one up in the background."""
    global _pool
    if _pool is not None or workers < 2:
        return
    # fork is cheap and safe here because nothing else runs yet; other systems spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    _pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(method), initializer=warm_up
    )
    for _ in range(workers):
        _pool.submit(os.getpid)  # makes the executor start every worker at once


def stop_pool() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def run_batch(sources: list[Source], options: dict | None = None) -> BatchResult:
    """process_batch on the pool when one is running, else in this process."""
    if _pool is None:
        return process_batch(sources, options)
    return _pool.submit(process_batch, sources, options).result()
