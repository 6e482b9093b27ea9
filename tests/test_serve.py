"""The standing setup end to end: a real Prefect server, `serve` with a short interval, and a
scheduled refresh that crawls the loopback sites and writes the dataset."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from orgwork.crawler.store import list_crawled
from tests.conftest import ROOT
from tests.crawlsite import reports_site, syndication_site
from tests.test_crawl import write_sources

SERVER_START_SECONDS = 180  # the first start runs the database migrations
RUN_SECONDS = 240


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM (serve pauses its schedule and exits), then SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def completed_runs(api: str, deployment_id: str) -> list[dict]:
    body = {
        "deployments": {"id": {"any_": [deployment_id]}},
        "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
    }
    return httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10).json()


@pytest.mark.server
def test_scheduled_refresh_on_a_real_server(tmp_path: Path) -> None:
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect-home"),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("PREFECT_API_URL", None)
    prefect = str(Path(sys.executable).with_name("prefect"))
    logs = tmp_path / "logs"
    logs.mkdir()
    server_log = (logs / "server.log").open("wb")
    server = subprocess.Popen(
        [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    serve = None
    a, b = reports_site(slow_seconds=0).start(), syndication_site().start()
    try:
        started = time.monotonic()
        while True:
            assert server.poll() is None, (logs / "server.log").read_text()[-3000:]
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() - started < SERVER_START_SECONDS, "server did not start"
            time.sleep(1)
        server_seconds = time.monotonic() - started

        sources = write_sources(tmp_path / "sources.toml", a, b)
        corpus, out = tmp_path / "corpus", tmp_path / "out"
        serve_env = {**env, "PREFECT_API_URL": api, "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
        serve_log = (logs / "serve.log").open("wb")
        serve = subprocess.Popen(
            [sys.executable, "-m", "orgwork.flows.crawl_cli", "serve", "--sources", str(sources),
             "--corpus", str(corpus), "--out", str(out), "--interval", "5"],
            cwd=ROOT,
            env=serve_env,
            stdout=serve_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        started = time.monotonic()
        deployment_id = None
        runs: list[dict] = []
        while time.monotonic() - started < RUN_SECONDS:
            assert serve.poll() is None, (logs / "serve.log").read_text()[-3000:]
            if deployment_id is None:
                resp = httpx.get(
                    f"{api}/deployments/name/refresh_dataset/orgwork-refresh", timeout=10
                )
                if resp.status_code == 200:
                    deployment_id = resp.json()["id"]
            else:
                runs = completed_runs(api, deployment_id)
                if runs:
                    break
            time.sleep(2)
        run_seconds = time.monotonic() - started
        assert runs, "no scheduled run completed:\n" + (logs / "serve.log").read_text()[-3000:]
        assert runs[0]["auto_scheduled"] is True, "the run came from the schedule"
        # The crawl part ran: primaries stored, the Traditional repost recorded against one.
        pages = list_crawled(corpus / "crawl.sqlite")
        assert len(pages) == 6
        assert a.hits("/zzgz/index.html") and b.hits("/rss.xml")
        # The extraction part ran: the dataset is written.
        assert (out / "articles.csv").exists() and (out / "errors.csv").exists()
        print(f"server start {server_seconds:.1f}s, first scheduled run done {run_seconds:.1f}s")
    finally:
        if serve is not None:
            stop(serve)
        stop(server)
        a.stop()
        b.stop()
