"""No input, flag, crash or second run loses or corrupts a dataset (issue #14, run safety):
options refused before anything is touched, one run per output folder, the dataset switched
as one unit, what killed runs left cleaned, children ending with the command, output folder
problems in one line, a report that never fails the run, files with the umask's mode."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from orgwork.flows.cli import main
from orgwork.pipeline import outdir
from orgwork.pipeline.dataset import dataset_fingerprint, write_atomic, write_dataset
from orgwork.pipeline.outdir import FolderInUse, RunFolder, output_lock
from tests.conftest import ROOT, SAMPLES

TABLES = ("articles", "measures", "programs", "comparison", "errors")


def _tables(folder: Path) -> dict[str, bytes]:
    return {name: (folder / f"{name}.csv").read_bytes() for name in TABLES}


def _env() -> dict[str, str]:
    """The command as a user runs it: its own embedded Prefect API."""
    return {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "orgwork.flows.cli", *args]


def _orgwork(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        _command(*args), capture_output=True, text=True, timeout=300, env=_env(), **kw
    )


def _orgwork_background(*args: str) -> subprocess.Popen:
    """The command running on its own, in a session of its own (as a user's shell job)."""
    return subprocess.Popen(
        _command(*args),
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _big_corpus(folder: Path, n: int = 200) -> Path:
    folder.mkdir()
    texts = [p.read_bytes() for p in sorted(SAMPLES.glob("*.txt"))]
    for i in range(n):
        (folder / f"r{i:03d}.txt").write_bytes(texts[i % len(texts)] + f"\n第{i}篇\n".encode())
    return folder


# --- 1. invalid values refused before anything is touched ------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "--batch-size", "-1"],
        ["run", "--batch-size", "0"],
        ["run", "--batch-size", "-5"],
        ["run", "--batch-size", "2.5"],
        ["run", "--workers", "-3"],
        ["run", "--workers", "0"],
        ["serve", "--interval", "-5"],
        ["serve", "--interval", "0"],
        ["serve", "--interval", "nan"],
        ["serve", "--interval", "inf"],
    ],
)
def test_invalid_numbers_are_refused_before_anything(argv, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.csv").write_text("a previous dataset\n", encoding="utf-8")
    extra = ["--out", str(out)] + (["--force", str(SAMPLES)] if argv[0] == "run" else [])
    with pytest.raises(SystemExit) as exit_:
        main([*argv, *extra])
    assert exit_.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith(f"orgwork {argv[0]}: error: argument {argv[1]}: ")
    assert sorted(p.name for p in out.iterdir()) == ["articles.csv"], "nothing touched"


# --- 6. output folder problems: one line, exit 2 --------------------------------------


def test_output_folder_problems_give_one_line(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("x", encoding="utf-8")
    cases = [
        (["run", str(SAMPLES), "--out", str(a_file)], "is a file, not a folder"),
        (["run", str(SAMPLES), "--out", str(a_file / "sub")], "is a file"),
        (["eval", "--gold", "/nonexistent"], "--gold: no such folder"),
        (["eval", "--gold", str(ROOT / "tests" / "gold"), "--dataset", "/nonexistent"], "no such"),
        (["report", "--out", "/nonexistent"], "no dataset in /nonexistent/"),
        (["report", "--out", str(a_file)], "no dataset in"),
    ]
    for argv, message in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and message in err, (argv, err)
    assert a_file.read_text(encoding="utf-8") == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders anyway")
def test_a_read_only_output_folder_gives_one_line(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        assert main(["run", str(SAMPLES), "--out", str(folder / "out")]) == 2
        assert "is not writable" in capsys.readouterr().err
    finally:
        folder.chmod(0o755)


# --- 2, 4, 5. one run per folder; a killed run's leftovers and children -----------------


def _children_of(pid: int) -> list:
    import psutil

    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).children(recursive=True)
    return []


def _alive(processes: list) -> list:
    import psutil

    alive = []
    for p in processes:
        with contextlib.suppress(psutil.Error):
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                alive.append(p)
    return alive


def _wait_gone(processes: list, seconds: float = 10) -> list:
    deadline = time.monotonic() + seconds
    while (alive := _alive(processes)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for p in alive:  # leave nothing behind for the next tests, whatever the verdict
        with contextlib.suppress(Exception):
            p.kill()
    return alive


def test_a_second_run_is_refused_and_a_killed_one_leaves_nothing(tmp_path: Path) -> None:
    """A run into a folder another run is writing is refused (exit 2, one line naming the
    folder), as is a report; kill -9 of the first run mid-flow: its workers, fork server and
    Prefect API end with it, the previous dataset stays whole, the lock is free, and the
    next run removes what the killed one left."""
    out = tmp_path / "out"
    assert _orgwork("run", str(SAMPLES), "--out", str(out), "--no-report").returncode == 0
    before = _tables(out)
    run_json = (out / "run.json").read_bytes()
    corpus = _big_corpus(tmp_path / "corpus")
    first = _orgwork_background(
        "run", str(corpus), "--out", str(out), "--batch-size", "1", "--workers", "2",
        "--no-progress",
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 300
        while not list(out.glob(".runs/*/.measures.csv.*")) and first.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert first.poll() is None, "the first run ended before it could be watched"
        second = _orgwork("run", str(SAMPLES), "--out", str(out), "--force")
        assert second.returncode == 2
        assert len(second.stderr.splitlines()) == 1 and f"{out}/ is in use" in second.stderr
        report = _orgwork("report", "--out", str(out))
        assert report.returncode == 2 and f"{out}/ is in use" in report.stderr
        children = _children_of(first.pid)
        names = " ".join(" ".join(p.cmdline()) for p in children)
        assert "forkserver" in names and len(children) >= 4, names  # workers, server, API
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    assert _wait_gone(children) == [], "children outlived the command"
    assert _tables(out) == before and (out / "run.json").read_bytes() == run_json
    stale = [p for p in (out / ".runs").iterdir() if p.resolve() != (out / "current").resolve()]
    assert stale, "the killed run's folder is still there (for the next run to remove)"
    with output_lock(out):  # the kernel dropped the dead run's lock
        pass
    again = _orgwork("run", str(SAMPLES), "--out", str(out), "--force", "--no-report")
    assert again.returncode == 0, again.stderr
    assert [p.name for p in (out / ".runs").iterdir()] == [(out / "current").resolve().name]
    assert _tables(out) == before


def test_the_lock_is_held_by_one_process_and_freed_by_its_death(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from orgwork.pipeline.outdir import output_lock\n"
         "with output_lock(sys.argv[1]):\n    print('held', flush=True); time.sleep(60)",
         str(out)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(FolderInUse, match=f"process {holder.pid}"), output_lock(out):
            pass
    finally:
        holder.kill()
        holder.wait()
    with output_lock(out), output_lock(out):  # free again, and reentrant in one process
        assert outdir.holds_lock(out)
    assert not outdir.holds_lock(out)


def test_a_killed_crawl_leaves_no_prefect_server(tmp_path: Path) -> None:
    from tests.crawlsite import Site

    site = Site()
    site.routes["/index.html"] = lambda headers: (time.sleep(20), (200, {}, b"<html></html>"))[1]
    site.start()
    try:
        sources = tmp_path / "sources.toml"
        sources.write_text(
            '[crawler]\ntimeout_seconds = 30.0\nretries = 0\n[[source]]\nname = "slow"\n'
            f'start_urls = ["{site.base}/index.html"]\narticle_pattern = "/a/"\n'
            "delay_seconds = 0\n",
            encoding="utf-8",
        )
        crawl = _orgwork_background(
            "crawl", "--sources", str(sources), "--corpus", str(tmp_path / "corpus")
        )
        try:
            deadline = time.monotonic() + 300
            while not site.hits("/index.html") and crawl.poll() is None:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert crawl.poll() is None
            children = _children_of(crawl.pid)
            assert children, "the crawl runs Prefect's API in a child process"
        finally:
            crawl.send_signal(signal.SIGKILL)
            crawl.wait()
        assert _wait_gone(children) == []
    finally:
        site.stop()


# --- 3, 4. the dataset switches as one unit, whenever a run dies ------------------------


class _Died(BaseException):
    """A run killed at this point (BaseException: nothing catches it on the way)."""


def _fake_run(out: Path, n: int, report: bool = True) -> RunFolder:
    """A run writing a dataset whose every file says which run wrote it."""
    run = RunFolder(out)
    for name in TABLES:
        (run.path / f"{name}.csv").write_text(f"run {n}\n", encoding="utf-8")
    (run.path / "texts" / "a.txt").write_text(f"run {n}\n", encoding="utf-8")
    (run.path / "run.json").write_text(json.dumps({"run": n}), encoding="utf-8")
    if report:
        (run.path / "report.html").write_text(f"run {n}\n", encoding="utf-8")
    return run


def _seen(out: Path) -> set[int]:
    """Which runs a reader of ``out`` sees (through the names users open)."""
    seen = {int((out / f"{name}.csv").read_text(encoding="utf-8").split()[1]) for name in TABLES}
    seen.add(int((out / "texts" / "a.txt").read_text(encoding="utf-8").split()[1]))
    seen.add(json.loads((out / "run.json").read_text(encoding="utf-8"))["run"])
    if (out / "report.html").exists():
        seen.add(int((out / "report.html").read_text(encoding="utf-8").split()[1]))
    return seen


@contextlib.contextmanager
def _dies_at(step: int) -> Iterator[list[int]]:
    """Every file system change outdir makes counts as a step; the run dies at ``step``."""
    calls = [0]
    names = ("replace", "rename", "symlink", "unlink", "link", "mkdir", "rmdir")
    real = {name: getattr(os, name) for name in names}

    def counted(name):
        def call(*args, **kwargs):
            calls[0] += 1
            if calls[0] == step:
                raise _Died
            return real[name](*args, **kwargs)

        return call

    mp = pytest.MonkeyPatch()
    for name in names:
        mp.setattr(os, name, counted(name))
    try:
        yield calls
    finally:
        mp.undo()


@pytest.mark.parametrize("flat_before", [False, True], ids=["run-folders", "flat-folder"])
def test_a_run_killed_at_any_step_of_the_switch_leaves_one_whole_dataset(
    tmp_path: Path, flat_before: bool
) -> None:
    """Killed at each file system step of the switch in turn (also while the names are made
    links, and while a folder written before run folders is taken over): a reader sees the
    old run or the new one, never a mix, and the next run cleans up and switches."""
    step = 1
    while True:
        out = tmp_path / f"out{step}"
        if flat_before:  # the layout before run folders: the tables as plain files
            out.mkdir()
            for name in TABLES:
                (out / f"{name}.csv").write_text("run 1\n", encoding="utf-8")
            (out / "texts").mkdir()
            (out / "texts" / "a.txt").write_text("run 1\n", encoding="utf-8")
            (out / "run.json").write_text('{"run": 1}', encoding="utf-8")
        else:
            with output_lock(out):
                _fake_run(out, 1).commit()
        assert _seen(out) == {1}
        with output_lock(out):
            run = _fake_run(out, 2)
            with _dies_at(step) as calls:
                try:
                    run.commit()
                    finished = True
                except _Died:
                    finished = False
        assert _seen(out) in ({1}, {2}), f"a mix after dying at step {step}"
        with output_lock(out):
            _fake_run(out, 3, report=False).commit()
        assert _seen(out) == {3} and not (out / "report.html").exists()
        assert [p.name for p in (out / ".runs").iterdir()] == [(out / "current").resolve().name]
        assert list(out.glob(".*.tmp")) == []
        if finished:
            assert calls[0] < step
            break
        step += 1
    assert step > 5, "the switch was exercised step by step"


def test_a_reader_never_sees_a_mix_while_runs_switch(tmp_path: Path) -> None:
    """Runs switch one after another while a reader resolves `current` and reads."""
    import threading

    out = tmp_path / "out"
    with output_lock(out):
        _fake_run(out, 0).commit()
    done = threading.Event()
    mixes: list[set[int]] = []

    def read() -> None:
        while not done.is_set():
            folder = (out / "current").resolve()
            with contextlib.suppress(FileNotFoundError):  # removed after the next switch
                seen = {
                    int((folder / f"{name}.csv").read_text(encoding="utf-8").split()[1])
                    for name in TABLES
                }
                if len(seen) != 1:
                    mixes.append(seen)

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(1, 30):
            with output_lock(out):
                _fake_run(out, n).commit()
    finally:
        done.set()
        reader.join()
    assert mixes == []


def test_a_run_into_a_flat_dataset_keeps_it_until_the_switch(tmp_path: Path) -> None:
    """A folder holding a dataset as plain files (written before run folders, or by
    write_dataset) is taken over by the next run: texts hard-linked, not copied."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "articles.csv").write_text("old\n", encoding="utf-8")
    (out / "texts").mkdir()
    (out / "texts" / "a.txt").write_text("same text\n", encoding="utf-8")
    with output_lock(out):
        run = RunFolder(out)
        assert run.previous == out
        from orgwork.pipeline.dataset import write_text_once

        write_text_once(run.path / "texts" / "a.txt", "same text\n", out / "texts" / "a.txt")
        assert (run.path / "texts" / "a.txt").stat().st_ino == (out / "texts/a.txt").stat().st_ino
        (run.path / "articles.csv").write_text("new\n", encoding="utf-8")
        run.commit()
    assert (out / "articles.csv").is_symlink() and (out / "texts").is_symlink()
    assert (out / "articles.csv").read_text(encoding="utf-8") == "new\n"
    assert (out / "texts" / "a.txt").read_text(encoding="utf-8") == "same text\n"


def test_stale_files_are_cleaned_only_under_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with output_lock(out):
        _fake_run(out, 1).commit()
    dead_run = out / ".runs" / "20000101T000000-1"
    dead_run.mkdir()
    (out / ".articles.csv.1.0.tmp").write_text("half", encoding="utf-8")
    (out / "current" / ".report.html.1.0.tmp").write_text("half", encoding="utf-8")
    with pytest.raises(RuntimeError, match="without the folder's lock"):
        outdir.clean_stale(out)
    with output_lock(out):
        removed = outdir.clean_stale(out)
    assert len(removed) == 3 and not dead_run.exists()
    assert list(out.glob(".*.tmp")) == [] and list((out / "current").glob(".*.tmp")) == []
    assert _seen(out) == {1}


# --- 3, 7. the flow: one run folder, the report never fails the run ---------------------


def test_the_flow_switches_and_keeps_links_and_tools_working(
    tmp_path: Path, prefect_harness, capsys
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(SAMPLES), "--out", str(out), "--no-progress"]) == 0
    first = _tables(out)
    assert (out / "current").is_symlink()
    assert all((out / name).is_symlink() for name in outdir.DATASET_NAMES)
    page = (out / "report.html").read_text(encoding="utf-8")
    import re

    links = re.findall(r'href="(texts/[^"]+)"', page)
    assert links and all((out / link).is_file() for link in links), "links resolve from out/"
    assert f"数据集 {out.name}：" in page, "the report names the output folder, not the run's"
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary["report"] == str(out / "report.html")
    assert summary["dataset_sha256"] == dataset_fingerprint(out)
    assert main(["run", str(SAMPLES), "--out", str(out), "--no-progress", "--force"]) == 0
    assert _tables(out) == first
    assert len(list((out / ".runs").iterdir())) == 1, "the previous run's folder is removed"
    assert main(["report", "--out", str(out)]) == 0
    assert (out / "report.html").read_text(encoding="utf-8") == page
    assert main(["eval", "--gold", str(ROOT / "tests" / "gold"), "--dataset", str(out)]) == 0
    capsys.readouterr()


def test_a_failing_report_does_not_fail_the_run(
    tmp_path: Path, prefect_harness, capsys, monkeypatch
) -> None:
    import orgwork.report.render

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(orgwork.report.render, "render_parts", no_space)
    out = tmp_path / "out"
    assert main(["run", str(SAMPLES), "--out", str(out), "--no-progress"]) == 0
    # (Only the command's lines: in a long session Prefect's handlers may log about streams
    # of earlier tests' captures.)
    err = [line for line in capsys.readouterr().err.splitlines() if line.startswith("orgwork")]
    assert err == [
        "orgwork run: report.html not written: OSError: [Errno 28] No space left on device"
    ]
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary["report"] == "" and "No space left" in summary["report_error"]
    assert summary["dataset_sha256"] == dataset_fingerprint(out)
    assert not (out / "report.html").exists() and not (out / "report.html").is_symlink()


def test_the_report_reads_cells_beyond_the_csv_default_limit(tmp_path: Path) -> None:
    from orgwork.batch import list_sources, process_batch
    from orgwork.report.render import build_report

    result = process_batch(list_sources([str(SAMPLES)])[:1])
    result.documents[0].title = "长" * 200_000  # over csv's default field limit (131,072)
    write_dataset(result.documents, result.errors, tmp_path)
    assert build_report(tmp_path).is_file()


# --- 8. files get the mode a plain open() gives ------------------------------------------


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_written_files_respect_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    from orgwork.batch import list_sources, process_batch
    from orgwork.report.render import build_report

    result = process_batch(list_sources([str(SAMPLES)])[:2])
    previous = os.umask(umask)
    try:
        write_dataset(result.documents, result.errors, tmp_path)
        write_atomic(tmp_path / "run.json", "{}")
        build_report(tmp_path)
    finally:
        os.umask(previous)
    files = [tmp_path / f"{name}.csv" for name in TABLES]
    files += [tmp_path / "run.json", tmp_path / "report.html", *(tmp_path / "texts").iterdir()]
    assert {f.name: oct(f.stat().st_mode & 0o777) for f in files} == {
        f.name: oct(mode) for f in files
    }


def test_a_run_folder_respects_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o027)
    try:
        with output_lock(tmp_path / "out"):
            run = RunFolder(tmp_path / "out")
            write_atomic(run.path / "run.json", "{}")
            run.commit()
    finally:
        os.umask(previous)
    assert (tmp_path / "out" / "run.json").stat().st_mode & 0o777 == 0o640
    assert run.path.stat().st_mode & 0o777 == 0o750
    shutil.rmtree(tmp_path / "out")


def test_output_read_by_a_reader_that_stops_early(tmp_path: Path) -> None:
    """`orgwork eval … | head -1`: the reader goes away; no traceback, exit 0."""
    gold = tmp_path / "gold"
    gold.mkdir()
    for i in range(400):  # enough lines to fill the pipe after the reader has gone
        doc = {"doc": f"d{i:03}", "measures": [], "programs": []}
        (gold / f"d{i:03}.json").write_text(json.dumps(doc), encoding="utf-8")
    dataset = tmp_path / "ds"
    dataset.mkdir()
    for name, header in (("articles", "doc_id,source,part,adcode,publish_date"),
                         ("measures", "doc_id,start"), ("programs", "doc_id,name")):  # fmt: skip
        (dataset / f"{name}.csv").write_text(header + "\n", encoding="utf-8")
    command = _command("eval", "--gold", str(gold), "--dataset", str(dataset))
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env())
    assert proc.stdout is not None and proc.stdout.readline()
    proc.stdout.close()  # as head does after its line
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert b"Traceback" not in err
