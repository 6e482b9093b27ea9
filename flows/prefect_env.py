"""Prefect as the `orgwork` commands want it: settings (before Prefect is imported) and a
console that goes quiet after a Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Iterator
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


@contextmanager
def quiet_after_interrupt() -> Iterator[None]:
    """Within the block (Prefect imported, main thread), the first Ctrl-C also silences
    Prefect's console: all it would say from then on is the interrupted run's aftermath
    (crashed flow and task runs, tasks cancelled by the task runner, events still being
    sent at exit), whose wording varies with the moment; the command reports the interrupt
    once, in a line of its own. Prefect's API still records those runs and their states."""
    from prefect.logging.handlers import PrefectConsoleHandler

    interrupted = threading.Event()

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        interrupted.set()
        signal.default_int_handler(signum, frame)  # KeyboardInterrupt, as without us

    def until_interrupted(record: logging.LogRecord) -> bool:
        return not interrupted.is_set()

    consoles = [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
    for handler in consoles:
        handler.addFilter(until_interrupted)
    previous = signal.signal(signal.SIGINT, on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if not interrupted.is_set():  # else the filter stays: the exit still sends events
            for handler in consoles:
                handler.removeFilter(until_interrupted)
