"""A pool of worker processes for the CPU-bound stages, started before anything else.

Forking at start-up, before Prefect or any thread exists, costs milliseconds: the dictionaries
and rules are loaded once in this process and every worker inherits them, while Prefect's API
server starts in its own process; a pool spawned later re-imports everything per worker (~5 s
each on this machine).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor

from pipeline.ingest import Source
from pipeline.run import BatchResult, process_batch, warm_up

_pool: ProcessPoolExecutor | None = None
# Batches started before the flow asked for them, by content of the request.
_prefetched: dict[tuple, Future] = {}


def start_pool(workers: int) -> None:
    """Start ``workers`` processes now and warm each one up in the background."""
    global _pool
    if _pool is not None or workers < 2:
        return
    # fork is cheap and safe here because nothing else runs yet; other systems spawn.
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    if method == "fork":
        warm_up()  # once, here: every forked worker starts with the dictionaries loaded
    _pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=multiprocessing.get_context(method), initializer=warm_up
    )
    for _ in range(workers):
        _pool.submit(os.getpid)  # makes the executor start every worker at once


def prefetch_batches(batches: list[list[Source]], options: dict | None = None) -> None:
    """Start the first batches on the pool now. The flow can only begin once Prefect's API
    is up, seconds later; its tasks then collect these results instead of idle workers
    starting them. Only the batches the flow keeps in flight anyway, so memory stays flat."""
    if _pool is None:
        return
    for batch in batches:
        _prefetched[_batch_key(batch, options)] = _pool.submit(process_batch, batch, options)


def _batch_key(sources: list[Source], options: dict | None) -> tuple:
    return tuple(map(repr, sources)), repr(sorted((options or {}).items()))


def stop_pool() -> None:
    global _pool
    _prefetched.clear()
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def run_batch(sources: list[Source], options: dict | None = None) -> BatchResult:
    """process_batch on the pool when one is running, else in this process."""
    if _pool is None:
        return process_batch(sources, options)
    future = _prefetched.pop(_batch_key(sources, options), None)
    if future is None:
        future = _pool.submit(process_batch, sources, options)
    return future.result()
