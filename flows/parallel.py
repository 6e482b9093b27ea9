"""A pool of worker processes for the CPU-bound stages, started before anything else.

Where the platform allows it, the workers are forked from a fork server started as the
command's first step: it loads the dictionaries and rules (orgwork.flows.preload, ~1.5 s) on one
core while this process imports Prefect on the other, and each worker forked from it then
starts in milliseconds with everything loaded. A pool spawned the usual way re-imports
everything per worker (~5 s each on this machine).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

from orgwork.batch import BatchResult, process_batch, warm_up
from orgwork.pipeline.ingest import Source

# Set in the environment the fork server starts with: orgwork.flows.preload runs there.
FORK_SERVER_FLAG = "ORGWORK_FORK_SERVER"
_pool: ProcessPoolExecutor | None = None


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


def _start_worker() -> None:
    if _fork_server_pid:  # forked from the fork server: it ends with the command, we with it
        end_with_parent(_fork_server_pid)
    # Ctrl-C reaches every process of the terminal's job: the command handles it and shuts
    # the pool down; a worker only finishes its batch (a worker dying mid-batch broke the
    # pool, and every task waiting on it logged the error with its traceback).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()


def stop_pool(wait: bool = True) -> None:
    """Stop the pool; batches not started are cancelled. ``wait=False`` after
    an interrupt: nothing is waited for (a worker ends the batch it is on, finds the command
    gone and leaves)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=wait, cancel_futures=True)
        _pool = None


def run_batch(sources: list[Source], options: dict | None = None) -> BatchResult:
    """process_batch on the pool when one is running, else in this process. The caller (a
    Prefect task run) waits for it: the task's duration is the batch's work, and a retry of
    the task runs the batch again."""
    if _pool is None:
        return process_batch(sources, options)
    return _pool.submit(process_batch, sources, options).result()
