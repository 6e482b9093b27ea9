"""The Prefect flow end to end, through the `orgwork run` command, under one test harness."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from orgwork.flows.cli import main
from orgwork.pipeline.dataset import read_table
from tests.conftest import SAMPLES


def _rows(path: Path) -> list[dict[str, str]]:
    return list(read_table(path))  # cells as before the formula quote (README)


def test_run_mixed_folder(tmp_path: Path, prefect_harness, capsys) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(SAMPLES, corpus / "samples")
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    report = "龙岩市新罗区举办年轻干部培训班\n今年以来，新罗区举办年轻干部专题培训班6期，轮训干部600余人次。\n"
    (corpus / "gbk.txt").write_bytes(report.encode("gbk"))
    out = tmp_path / "out"

    status = main(["run", str(corpus), "--out", str(out), "--no-progress"])

    assert status == 1, "some documents failed, so the exit status says so"
    errors = {r["source"]: r for r in _rows(out / "errors.csv")}
    assert set(errors) == {"empty.txt", "picture.html"}
    assert "empty" in errors["empty.txt"]["error"]
    assert "PNG" in errors["picture.html"]["error"]
    articles = {r["source"]: r for r in _rows(out / "articles.csv") if r["part"] == "1"}
    assert articles["gbk.txt"]["adcode"] == "350802"
    measures = _rows(out / "measures.csv")
    gbk_id = articles["gbk.txt"]["doc_id"]
    assert {(m["value"], m["unit"]) for m in measures if m["doc_id"] == gbk_id} == {
        ("6", "期"),
        ("600", "人次"),
    }
    for table in ("measures", "programs"):
        for row in _rows(out / f"{table}.csv"):
            text = (out / "texts" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
            assert text[int(row["start"]) : int(row["end"])] == row["text"]
    assert (out / "comparison.csv").exists()
    printed = capsys.readouterr().out
    assert "failures: 2" in printed and "errors.csv" in printed


def test_rerun_gives_same_bytes(tmp_path: Path, prefect_harness) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["run", str(SAMPLES), "--out", str(first), "--no-progress"]) == 0
    assert main(["run", str(SAMPLES), "--out", str(second), "--no-progress"]) == 0
    for name in ("articles.csv", "measures.csv", "programs.csv", "comparison.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


def _processes_naming(text: str) -> list[int]:
    """Processes whose command line holds ``text``: the command, and the API server forked
    from it (which keeps its command line), or Prefect's own server subprocess."""
    import psutil

    found = []
    for proc in psutil.process_iter(["cmdline"]):
        with contextlib.suppress(psutil.Error):
            if text in " ".join(proc.info["cmdline"] or []):
                found.append(proc.pid)
    return found


def test_a_plain_run_starts_and_stops_its_own_api(tmp_path: Path) -> None:
    """With no API configured, `orgwork run` starts Prefect's embedded server itself, prints
    only its summary (no Prefect logs or tracebacks), and leaves no server behind."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    done = subprocess.run(
        [sys.executable, "-m", "orgwork.flows.cli", "run", str(SAMPLES), "--out", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.startswith("documents: 5 ") and "report:" in done.stdout
    assert _processes_naming(str(tmp_path)) == []


def test_ctrl_c_ends_a_run_with_one_line(tmp_path: Path) -> None:
    """Ctrl-C (SIGINT to the terminal's whole job) in the middle of the flow: exit code 130,
    one line saying so, no Prefect crash logs or tracebacks from any process, no table put
    in place half-written, no process left."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    texts = [p.read_bytes() for p in sorted(SAMPLES.glob("*.txt"))]
    for i in range(200):  # one per batch: ~200 Prefect task calls keep the flow going
        (corpus / f"r{i:03d}.txt").write_bytes(texts[i % len(texts)] + f"\n第{i}篇\n".encode())
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    command = [sys.executable, "-m", "orgwork.flows.cli", "run", str(corpus), "--out", str(out)]
    proc = subprocess.Popen(
        [*command, "--batch-size", "1", "--no-progress"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # a job of its own, as a terminal makes one
    )
    deadline = time.monotonic() + 300
    while not list(out.glob(".runs/*/.measures.csv.*")) and proc.poll() is None:  # writing
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 130, err
    assert err.strip().startswith("orgwork run: interrupted") and len(err.splitlines()) == 1
    assert not (out / "articles.csv").exists()
    assert list(out.glob(".*.tmp")) == []
    assert _processes_naming(str(out)) == []


def test_the_embedded_api_answers_and_stops() -> None:
    """The run's server (`prefect server start` on a free port) answers and is gone once
    stopped."""
    import urllib.request

    from orgwork.flows.embedded_api import EmbeddedAPI

    api = EmbeddedAPI()
    try:
        api.wait_ready(300)
        with urllib.request.urlopen(f"{api.url}/health", timeout=5) as response:
            assert response.read() == b"true"
        process = api.process
    finally:
        api.stop()
    assert process.poll() is not None


def test_the_command_keeps_its_exit_codes() -> None:
    """The command's exit codes: usage, a usage error, a run refused."""
    import subprocess
    import sys

    def code(*args: str) -> int:
        cmd = [sys.executable, "-m", "orgwork.flows.cli", *args]
        return subprocess.run(cmd, capture_output=True, timeout=120).returncode

    assert code("--help") == 0
    assert code("no-such-command") == 2
    assert code("run", "/no/such/folder") == 2


def test_the_commands_send_no_usage_data_unless_told(monkeypatch) -> None:
    import os

    from orgwork.flows.prefect_env import quiet_prefect

    # Prefect's client sends usage events (and prints a notice of them on its first import
    # in a terminal) unless DO_NOT_TRACK is set; its server, unless analytics are off.
    env = {k: v for k, v in os.environ.items() if k not in ("DO_NOT_TRACK",)}
    env.pop("PREFECT_SERVER_ANALYTICS_ENABLED", None)
    monkeypatch.setattr(os, "environ", env)
    quiet_prefect()
    assert env["DO_NOT_TRACK"] == "1"
    assert env["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"
    env["DO_NOT_TRACK"] = "0"  # a user's own choice stands
    quiet_prefect()
    assert env["DO_NOT_TRACK"] == "0"
