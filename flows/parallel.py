"""A pool of worker processes for the CPU-bound stages, started before anything else.

Where the platform allows it, the workers are forked from a fork server started as the
command's first step: it loads the dictionaries and rules (orgwork.flows.preload, ~1.5 s) on one
core while this process imports Prefect on the other, and each worker forked from it then
starts in milliseconds with everything loaded. A pool spawned the usual way re-imports
everything per worker (~5 s each on this machine).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor

from orgwork.batch import BatchResult, process_batch, warm_up
from orgwork.pipeline.ingest import Source

# Set in the environment the fork server starts with: orgwork.flows.preload runs there.
FORK_SERVER_FLAG = "ORGWORK_FORK_SERVER"
_pool: ProcessPoolExecutor | None = None
# Batches started before the flow asked for them, by content of the request.
_prefetched: dict[tuple, Future] = {}
_prefetcher: Prefetcher | None = None
# Batches the flow asked for before the Prefetcher started them (it skips them).
_asked: set[tuple] = set()
# Guards _prefetched and the Prefetcher's counts: the feeder thread adds, the flow's task
# threads take.
_lock = threading.Lock()


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def end_with_parent(parent: int, sig: int = signal.SIGKILL) -> None:
    """Have the kernel send ``sig`` to this process when the thread that started it ends (Linux:
    PR_SET_PDEATHSIG; called in the child itself, early), so that a command killed with
    SIGKILL, which runs no exit handler, takes its children with it. ``parent``: the pid that
    started this process; if it is already gone, leave now."""
    if sys.platform != "linux":
        return
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, sig)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(0)


# In the fork server: its own pid, inherited by the workers forked from it (end_with_parent).
_fork_server_pid = 0


def in_fork_server() -> None:
    """Called by orgwork.flows.preload in the fork server: it ends with the command. (It ends by
    itself when the command closes its end of a pipe, but only once its workers are gone,
    and a worker waits on the command for ever: after a kill -9 all of them stayed.)"""
    global _fork_server_pid
    _fork_server_pid = os.getpid()
    end_with_parent(int(os.environ[FORK_SERVER_FLAG]))


def prepare_workers() -> None:
    """Start the fork server and its loading of the dictionaries now, without waiting. Call it
    from the main thread (the fork server ends when the thread that started it does)."""
    context = _context()
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["orgwork.flows.preload"])
        from multiprocessing import forkserver

        os.environ[FORK_SERVER_FLAG] = str(os.getpid())
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
    _pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_start_worker
    )
    for _ in range(workers):
        _pool.submit(os.getpid)  # makes the executor start every worker at once


# The workers yield to the flow's process and Prefect's API: with every core busy, the flow's
# process (writing the results, talking to the API) fell behind the workers and wrote the
# last batches alone at the end. Its share is small; the workers still get every idle cycle.
WORKER_NICENESS = 5


def _start_worker() -> None:
    if _fork_server_pid:  # forked from the fork server: it ends with the command, we with it
        end_with_parent(_fork_server_pid)
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)
    # Ctrl-C reaches every process of the terminal's job: the command handles it and shuts
    # the pool down; a worker only finishes its batch (a worker dying mid-batch broke the
    # pool, and every task waiting on it logged the error with its traceback).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()


class Prefetcher:
    """The flow's batches in order, started on the pool ahead of the flow so that no worker
    waits for Prefect: not while its API starts (seconds), nor while the flow's one process
    writes results and reports to the API. A feeder thread starts the next batch whenever
    fewer than ``workers + 1`` are unfinished, never more than ``limit`` batches ahead of
    those the flow has collected: the results waiting for the flow stay bounded (memory
    does not grow with the corpus). Results are the same whoever starts a batch."""

    def __init__(self, batches: list[list[Source]], options: dict, workers: int, limit: int):
        self.batches, self.options, self.workers, self.limit = batches, options, workers, limit
        self.started = 0
        self.collected = 0
        self._wake = threading.Event()
        self._stopped = False
        global _prefetcher
        _prefetcher = self
        self.keep_busy()
        # A thread of its own, not a done-callback: those run in the pool's manager thread,
        # and submitting from there can deadlock the pool (CPython gh-105829, before 3.12).
        self._feeder = threading.Thread(target=self._feed, name="orgwork-prefetch", daemon=True)
        self._feeder.start()

    def keep_busy(self) -> None:
        """Start batches until every worker has one to do and one waiting, within the limit."""
        if _pool is None:
            return
        with _lock:
            running = sum(not f.done() for f in _prefetched.values())
            room = min(self.workers + 1 - running, self.collected + self.limit - self.started)
            futures = []
            while room > 0 and self.started < len(self.batches):
                batch = self.batches[self.started]
                key = _batch_key(batch, self.options)
                self.started += 1
                if key in _asked:
                    continue  # the flow got there first and started it itself
                future = _pool.submit(process_batch, batch, self.options)
                _prefetched[key] = future
                futures.append(future)
                room -= 1
        for future in futures:  # outside the lock: a finished one calls back at once
            future.add_done_callback(lambda _: self._wake.set())

    def note_collected(self) -> None:
        """The flow took a batch, started ahead or not (called under _lock): room for one
        more ahead."""
        self.collected += 1
        self._wake.set()

    def stop(self) -> None:
        self._stopped = True
        self._wake.set()

    def _feed(self) -> None:
        while not self._stopped and self.started < len(self.batches):
            self._wake.wait()
            self._wake.clear()
            if self._stopped:
                return
            try:
                self.keep_busy()
            except RuntimeError:  # the pool is shut down or broken: the run is ending
                return


def _batch_key(sources: list[Source], options: dict | None) -> tuple:
    return tuple(map(repr, sources)), repr(sorted((options or {}).items()))


def stop_pool(wait: bool = True) -> None:
    """Stop the feeder and the pool; batches not started are cancelled. ``wait=False`` after
    an interrupt: nothing is waited for (a worker ends the batch it is on, finds the command
    gone and leaves)."""
    global _pool, _prefetcher
    if _prefetcher is not None:
        _prefetcher.stop()
        _prefetcher = None
    _prefetched.clear()
    _asked.clear()
    if _pool is not None:
        _pool.shutdown(wait=wait, cancel_futures=True)
        _pool = None


def run_batch(sources: list[Source], options: dict | None = None) -> BatchResult:
    """process_batch on the pool when one is running, else in this process."""
    if _pool is None:
        return process_batch(sources, options)
    key = _batch_key(sources, options)
    with _lock:
        future = _prefetched.pop(key, None)
        if _prefetcher is not None:
            _prefetcher.note_collected()
            if future is None:
                _asked.add(key)  # the feeder must not start it again
    if future is None:
        future = _pool.submit(process_batch, sources, options)
    return future.result()
