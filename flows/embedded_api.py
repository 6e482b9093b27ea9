"""A Prefect API server for one run, started early and cheaply, the way `prefect server start`
serves it.

When no API is configured, Prefect itself would start a temporary server at the first flow
call, in a subprocess, after this process had imported Prefect's server code only to launch
it. Here the server starts before the flow, while the workers load their dictionaries. On
Linux it is forked from this process once Prefect (the client, which this process needs
anyway) is imported, and serves what `prefect server start` serves in the foreground: the
app of ``create_app(final=True)`` under uvicorn, with the server's settings applied through
``prefect.settings.temporary_settings``; it then imports only the server's own code, not
Prefect again (`prefect server start` as a subprocess cost 10-17 s for a five-sample run
against 5-8 s here, both measured with other work loading the machine). Elsewhere, or when
threads are running (a fork copies no other thread, and the locks they hold stay held), it
is that command itself, `prefect server start`, as a subprocess. Public settings and options
only; the server listens on a free loopback port and stops when this process exits.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.error
import urllib.request

HEALTH_POLL_SECONDS = 0.05
STOP_SECONDS = 5
# As `prefect server start --no-ui --analytics-off` sets them.
SERVER_SETTINGS = {
    "PREFECT_SERVER_UI_ENABLED": "false",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
}
# Services a server that lives for one run has no use for, off unless the environment says
# otherwise: automations (triggers), event and log streams to subscribers (no one
# can subscribe to a private port that closes with the run), and registering block types
# (the flow uses none). Measured: start-up 0.53 → 0.15 CPU-s, while it runs 0.29 → 0.06
# CPU-s per second, on the cores the workers need. Task and flow runs, events and logs are
# still recorded in Prefect's database as before; migrations still run when needed.
IDLE_SERVICES_OFF = {
    "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    "PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED": "false",
    "PREFECT_SERVER_EVENTS_STREAM_OUT_ENABLED": "false",
    "PREFECT_SERVER_LOGS_STREAM_OUT_ENABLED": "false",
    "PREFECT_API_BLOCKS_REGISTER_ON_START": "false",
    "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false",
}


class EmbeddedAPI:
    """A temporary Prefect API server on a free loopback port."""

    def __init__(self, fork: bool | None = None) -> None:
        self.port = _free_port()
        # A file, not a pipe: a pipe nobody reads would block the server once full.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self.url = f"http://127.0.0.1:{self.port}/api"
        env = {**IDLE_SERVICES_OFF, **os.environ, **SERVER_SETTINGS}
        if fork is None:
            fork = can_fork()
        self.process: subprocess.Popen | _ForkedServer | None = (
            _ForkedServer(self.port, env, self.log) if fork else self._subprocess(env)
        )
        atexit.register(self.stop)

    def _subprocess(self, env: dict[str, str]) -> subprocess.Popen:
        """`prefect server start` (Prefect's command line) in a new interpreter, ending with
        this process on Linux (_ends_with_parent)."""
        command = [sys.executable, "-m", "prefect", "server", "start", "--no-ui"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--analytics-off"]
        return subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=self.log,
            preexec_fn=_ends_with_parent(os.getpid()) if sys.platform == "linux" else None,
        )

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

    def terminate(self) -> None:
        """Ask the server to stop (SIGTERM) without waiting: system calls only, so a signal
        handler may call it."""
        if self.process is not None:
            self.process.terminate()

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        self.log.close()

    def _stderr(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-2000:]


class _ForkedServer:
    """The server in a child forked from this process, with the Popen methods stop() and
    wait_ready() use."""

    def __init__(self, port: int, env: dict[str, str], log) -> None:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()  # or the child could write this process's pending output again
        parent = os.getpid()
        self.pid = os.fork()
        self.returncode: int | None = None
        if self.pid:
            return
        code = 1
        try:  # the child: serve until SIGTERM (uvicorn stops gracefully), then leave at once
            _outside_the_terminal_job(parent)
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)  # as the subprocess: no terminal input
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            os.environ.clear()
            os.environ.update(env)
            from orgwork.flows.gcfreeze import loading_phase

            with loading_phase():  # the server's code and app: ~0.45 CPU-s less
                import prefect.settings
                import uvicorn
                from prefect.server.api.server import create_app

                # Prefect read its settings when imported; temporary_settings (the public
                # settings API, as the command line applies its options) reads them again,
                # from the environment set above.
                server = {prefect.settings.PREFECT_SERVER_UI_ENABLED: False}
                with prefect.settings.temporary_settings(server):
                    app = create_app(final=True)  # what `prefect server start` serves
            with prefect.settings.temporary_settings(server):
                uvicorn.run(app, host="127.0.0.1", port=port, log_level="error", lifespan="on")
            code = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)  # never the parent's exit handlers, nor an interpreter teardown

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def terminate(self) -> None:
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        self._signal(signal.SIGKILL)

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout or 0)
            time.sleep(0.01)
        return self.returncode or 0

    def _signal(self, sig: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)


def _outside_the_terminal_job(parent: int) -> None:
    """A process group of its own, so that Ctrl-C, which reaches the terminal's whole job,
    does not stop the server before the command has recorded the interrupted run in it (the
    command stops it at exit, as always); and, since it no longer goes with the job, a
    SIGTERM from the kernel when the command's process ends, however it ends (Linux)."""
    import ctypes

    pr_set_pdeathsig = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
    except (OSError, AttributeError):  # no prctl to ask: stay in the job, ending with it
        return
    os.setpgid(0, 0)
    if os.getppid() != parent:  # the command ended before the request took effect
        os._exit(0)


def _ends_with_parent(parent: int):
    """For the server's subprocess, before it runs Prefect: what _outside_the_terminal_job
    does for the forked one (PR_SET_PDEATHSIG is kept across exec)."""
    return lambda: _outside_the_terminal_job(parent)


def can_fork() -> bool:
    """Fork the server only on Linux, and only while this process runs a single thread."""
    return sys.platform == "linux" and threading.active_count() == 1


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_embedded_api() -> EmbeddedAPI | None:
    """Start the server now unless an API is given: in the environment (PREFECT_API_URL)
    or, where the server is forked, by the active Prefect profile (checked once Prefect is
    imported, as it must be before the fork)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    if can_fork():
        from prefect.settings import PREFECT_API_URL

        if PREFECT_API_URL.value():
            return None
        return EmbeddedAPI(fork=True)
    return EmbeddedAPI(fork=False)
