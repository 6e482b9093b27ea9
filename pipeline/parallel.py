"""A pool of worker processes for the CPU-bound stages, started before anything else.

Where the platform allows it, the workers are forked from a fork server started as the
command's first step: it loads the dictionaries and rules (pipeline.preload, ~1.5 s) on one
core while this process imports Prefect on the other, and each worker forked from it then
starts in milliseconds with everything loaded. A pool spawned the usual way re-imports
everything per worker (~5 s each on this machine).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
from concurrent.futures import Future, ProcessPoolExecutor

from pipeline.ingest import Source
from pipeline.run import BatchResult, process_batch, warm_up

# Set in the environment the fork server starts with: pipeline.preload runs there.
FORK_SERVER_FLAG = "ORGWORK_FORK_SERVER"
_pool: ProcessPoolExecutor | None = None
# Batches started before the flow asked for them, by content of the request.
_prefetched: dict[tuple, Future] = {}


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def prepare_workers() -> None:
    """Start the fork server and its loading of the dictionaries now, without waiting."""
    context = _context()
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["pipeline.preload"])
        from multiprocessing import forkserver

        os.environ[FORK_SERVER_FLAG] = "1"
        try:
            forkserver.ensure_running()
        finally:
            del os.environ[FORK_SERVER_FLAG]


def start_pool(workers: int) -> None:
    """Start ``workers`` processes now (once the fork server has loaded everything)."""
    global _pool
    if _pool is not None or workers < 2:
        return
    prepare_workers()
    _pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=warm_up)
    for _ in range(workers):
        _pool.submit(os.getpid)  # makes the executor start every worker at once


def prefetch_batches(batches: list[list[Source]], options: dict | None = None) -> None:
    """Start the first batches on the pool now. The flow can only begin once Prefect's API
    is up, seconds later; its tasks then collect these results instead of idle workers
    starting them."""
    if _pool is None:
        return
    for batch in batches:
        _prefetched[_batch_key(batch, options)] = _pool.submit(process_batch, batch, options)


class Prefetcher:
    """The flow's batches in order, started ahead while Prefect's API starts: first the ones
    the flow keeps in flight anyway, then one more whenever a worker would fall idle, up to
    ``limit`` batches in all, so the results waiting for the flow stay bounded (memory does
    not grow with the corpus)."""

    def __init__(
        self, batches: list[list[Source]], options: dict, workers: int, first: int, limit: int
    ):
        self.batches, self.options, self.workers, self.limit = batches, options, workers, limit
        self.started = 0
        self.start(first)

    def start(self, n: int) -> None:
        n = min(n, self.limit, len(self.batches)) - self.started
        if n > 0:
            prefetch_batches(self.batches[self.started : self.started + n], self.options)
            self.started += n

    def keep_busy(self) -> None:
        """Start batches until every worker has one to do (called while waiting)."""
        busy = sum(not f.done() for f in _prefetched.values())
        if busy < self.workers:
            self.start(self.started + self.workers - busy)


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
