"""Prefect's settings for the `orgwork` commands, set before Prefect is imported."""

from __future__ import annotations

import os


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
