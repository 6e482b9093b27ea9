"""Prefect's embedded API server, started the way Prefect starts it, but from the first line.

When no API is configured, Prefect starts a temporary server in a subprocess at the first
flow call (``prefect.server.api.server.SubprocessASGIServer``): seconds of start-up, and the
server's whole code imported into this process too, only to launch it. Started here, before
anything else, it comes up while the workers load their dictionaries, and this process never
imports the server. The subprocess is the same command and environment as Prefect's (uvicorn
on ``create_app``, UI off, ephemeral mode); it is stopped when this process exits.

Nothing here imports Prefect: that is the point.
"""

from __future__ import annotations

import atexit
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

HEALTH_POLL_SECONDS = 0.05
# Services a server that lives for one run has no use for, off unless the environment says
# otherwise: automations (triggers, actions), event and log streams to subscribers (no one
# can subscribe to a private port that closes with the run), and registering block types
# (the flow uses none). Measured: start-up 0.53 → 0.15 CPU-s, while it runs 0.29 → 0.06
# CPU-s per second, on the cores the workers need. Task and flow runs, events and logs are
# still recorded in Prefect's database as before; migrations still run when needed.
IDLE_SERVICES_OFF = {
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_ACTIONS_ENABLED": "false",
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
    "PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "false",
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}


class EmbeddedAPI:
    """A temporary Prefect API server on a free loopback port."""

    def __init__(self) -> None:
        self.port = _free_port()
        # A file, not a pipe: a pipe nobody reads would block the server once full.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.process: subprocess.Popen | None = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--app-dir",
                str(Path(_prefect_dir()).parent),
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env={
                **IDLE_SERVICES_OFF,
                **os.environ,
                # As SubprocessASGIServer sets them: no UI, an ephemeral server.
                "PREFECT_UI_ENABLED": "0",
                "PREFECT__SERVER_EPHEMERAL": "1",
                "PREFECT__SERVER_FINAL": "1",
            },
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
        )
        atexit.register(self.stop)

    def wait_ready(self, timeout: float) -> None:
        """Block until the server answers /health; RuntimeError if it dies or times out."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"Prefect's embedded API server exited: {self._stderr()}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200 and json.loads(response.read()) is True:
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(HEALTH_POLL_SECONDS)
        self.stop()
        raise RuntimeError(f"Prefect's embedded API server did not start in {timeout:.0f} s")

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.log.close()

    def _stderr(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prefect_dir() -> str:
    """Prefect's package folder, found without importing Prefect."""
    import importlib.util

    spec = importlib.util.find_spec("prefect")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("prefect is not installed")
    return next(iter(spec.submodule_search_locations))


def start_embedded_api() -> EmbeddedAPI | None:
    """Start the server now unless an API is given in the environment (PREFECT_API_URL)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    return EmbeddedAPI()
