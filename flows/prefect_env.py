"""Prefect as the `orgwork` commands want it: settings (before Prefect is imported) and a
console that goes quiet after a Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType


def quiet_prefect() -> None:
    """A user's run shows the progress bar and the summary, not Prefect's internals; every
    setting here yields to the same one in the environment."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    # No usage data sent to Prefect: not by a server (embedded or started by `orgwork serve`)
    # nor by the client, which on its first import in a terminal also prints a notice of it.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    # The embedded API's first start on a new machine runs migrations (~30 s); 20 s is too short.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")


# Set by the first Ctrl-C inside deferred_interrupts; the flow stops at its next check.
INTERRUPTED = threading.Event()


def check_interrupt() -> None:
    """Raise KeyboardInterrupt here, at a point of the flow's own code, once Ctrl-C was pressed
    inside deferred_interrupts."""
    if INTERRUPTED.is_set():
        raise KeyboardInterrupt


@contextmanager
def deferred_interrupts(on_second: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Within the block (Prefect imported, main thread), Ctrl-C does not raise wherever the
    main thread happens to be: it sets INTERRUPTED, and the flow stops at its next
    check_interrupt (after the batch it waits for). Raised inside an import, the interrupt
    once left Python's import lock held, and Prefect's event-loop thread, needing that lock
    to record the crashed run, waited for ever (seen in CI). A second Ctrl-C ends the
    process at once (``on_second`` first: system calls only). After the first, Prefect's
    console is quiet (see _console_quiet_after)."""

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        if INTERRUPTED.is_set():
            on_second()
            os.write(2, b"orgwork: interrupted again, stopping now\n")
            os._exit(130)
        INTERRUPTED.set()

    INTERRUPTED.clear()  # a run in a process that ran one before starts afresh
    with _on_interrupt(on_interrupt, INTERRUPTED):
        yield


@contextmanager
def quiet_after_interrupt() -> Iterator[None]:
    """Within the block (Prefect imported, main thread), Ctrl-C raises KeyboardInterrupt as
    usual and leaves Prefect's console quiet (for flows that check no flag: the crawl)."""
    interrupted = threading.Event()

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        interrupted.set()
        signal.default_int_handler(signum, frame)  # KeyboardInterrupt

    with _on_interrupt(on_interrupt, interrupted):
        yield


@contextmanager
def _on_interrupt(
    handler: Callable[[int, FrameType | None], None], interrupted: threading.Event
) -> Iterator[None]:
    """``handler`` for SIGINT within the block (the previous one back after it), and
    Prefect's console quiet once ``interrupted`` is set."""
    with _console_quiet_after(interrupted):
        previous = signal.signal(signal.SIGINT, handler)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)


@contextmanager
def _console_quiet_after(interrupted: threading.Event) -> Iterator[None]:
    """Prefect's console says nothing once ``interrupted`` is set: all it would say is the
    interrupted run's aftermath (crashed flow and task runs, tasks cancelled by the task
    runner, events still being sent at exit), whose wording varies with the moment; the
    command reports the interrupt once, in a line of its own. Prefect's API still records
    the runs and their states."""
    from prefect.logging.handlers import PrefectConsoleHandler

    def until_interrupted(record: logging.LogRecord) -> bool:
        return not interrupted.is_set()

    consoles = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    for console in consoles:
        console.addFilter(until_interrupted)
    try:
        yield
    finally:
        if not interrupted.is_set():  # else the filter stays: the exit still sends events
            for console in consoles:
                console.removeFilter(until_interrupted)
