"""The dataset is the same whoever runs the batches: one process, a process pool, or Dask;
and a re-run takes unchanged documents from the cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orgwork.flows.cli import main
from orgwork.flows.parallel import stop_pool
from tests.conftest import SAMPLES

TABLES = ("articles.csv", "measures.csv", "programs.csv", "comparison.csv", "errors.csv")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The samples, each also under a second name, and a broken file: several batches."""
    folder = tmp_path_factory.mktemp("corpus")
    for path in SAMPLES.glob("*.txt"):
        shutil.copy(path, folder / path.name)
        text = path.read_text(encoding="utf-8").replace("干部", "干部队伍", 1)
        (folder / f"copy_{path.name}").write_text(text, encoding="utf-8")
    (folder / "broken.html").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def _run(corpus: Path, out: Path, *extra: str) -> int:
    """orgwork run in small batches, without the report unless "--report" is given."""
    report = [] if "--report" in extra else ["--no-report"]
    extra = tuple(x for x in extra if x != "--report")
    args = ["run", str(corpus), "--out", str(out), "--no-progress", "--batch-size", "3"]
    try:
        return main([*args, *report, *extra])
    finally:
        stop_pool()


def _latest_flow_runs(n: int) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        return client.read_flow_runs(
            flow_filter=FlowFilter(name=FlowFilterName(any_=["extract_reports"])),
            sort=FlowRunSort.START_TIME_DESC,
            limit=n,
        )


def _task_runs(flow_run, prefix: str) -> list:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id]))
        )
    return [r for r in runs if r.name.startswith(prefix)]


def _tables(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in TABLES}


def test_serial_processes_and_dask_give_identical_datasets(
    corpus: Path, tmp_path: Path, prefect_harness
) -> None:
    from distributed import LocalCluster

    assert _run(corpus, tmp_path / "serial", "--workers", "1", "--no-cache") == 1
    assert _run(corpus, tmp_path / "pool", "--workers", "2", "--no-cache") == 1
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        assert (
            _run(corpus, tmp_path / "dask", "--cluster", cluster.scheduler_address, "--no-cache")
            == 1
        )
    # Every batch's task run is recorded, done on the cluster, with the batch's work as its
    # duration (the workers report to the API the run names: the harness's here).
    [dask_run, pool_run, _] = _latest_flow_runs(3)
    for flow_run in (dask_run, pool_run):
        batches = _task_runs(flow_run, "process-batch")
        assert len(batches) == 4  # 11 files in batches of 3
        assert all(r.state.is_completed() and r.total_run_time.total_seconds() > 0 for r in batches)
    serial = _tables(tmp_path / "serial")
    assert serial["measures.csv"].count(b"\n") > 100
    assert _tables(tmp_path / "pool") == serial
    assert _tables(tmp_path / "dask") == serial


def test_cluster_with_the_embedded_api_is_refused(tmp_path: Path, monkeypatch, capsys) -> None:
    """The embedded API serves this command on loopback only: a cluster's workers could not
    record their task runs there, so the run says what to set instead of losing them."""
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(restore_defaults={PREFECT_API_URL}):
        code = _run(SAMPLES, tmp_path / "out", "--cluster", "tcp://127.0.0.1:1")
    assert code == 2
    assert "PREFECT_API_URL" in capsys.readouterr().err
    assert not (tmp_path / "out" / "measures.csv").exists()


def test_rerun_reads_unchanged_documents_from_cache(
    corpus: Path, tmp_path: Path, prefect_harness
) -> None:
    import json

    out = tmp_path / "out"
    _run(corpus, out, "--workers", "1", "--report")
    first = _tables(out)
    assert json.loads((out / "run.json").read_text())["cached"] == 0
    report_time = (out / "report.html").stat().st_mtime_ns
    _run(corpus, out, "--workers", "1", "--report", "--force")
    summary = json.loads((out / "run.json").read_text())
    assert summary["cached"] == summary["documents"] - 1  # all but the broken file
    assert _tables(out) == first
    # same tables, same report: it is not built again
    assert summary["report"] and (out / "report.html").stat().st_mtime_ns == report_time


def test_rerun_on_an_unchanged_corpus_starts_nothing(
    corpus: Path, tmp_path: Path, prefect_harness, monkeypatch
) -> None:
    import orgwork.flows.extract

    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    out = tmp_path / "out"
    assert _run(work, out, "--workers", "1", "--report") == 1  # the broken file
    run_json = (out / "run.json").read_bytes()

    def no_flow(**kwargs):
        raise AssertionError("the flow ran on an unchanged corpus")

    monkeypatch.setattr(orgwork.flows.extract, "run_extract", no_flow)
    assert _run(work, out, "--workers", "1", "--report") == 1  # same status, same summary
    assert (out / "run.json").read_bytes() == run_json
    # Any change runs the flow: a file's bytes, the tables, a report asked for but missing.
    for change in (
        lambda: (work / "new.txt").write_text("晋江举办专题培训21期。", encoding="utf-8"),
        lambda: (out / "measures.csv").write_bytes(b""),
        lambda: (out / "report.html").unlink(),
    ):
        change()
        with pytest.raises(AssertionError, match="the flow ran"):
            _run(work, out, "--workers", "1", "--report")
        (work / "new.txt").unlink(missing_ok=True)
        monkeypatch.undo()
        _run(work, out, "--workers", "1", "--report", "--force")
        monkeypatch.setattr(orgwork.flows.extract, "run_extract", no_flow)


def test_pool_batches_give_what_processing_here_gives(corpus: Path) -> None:
    """run_batch on the worker pool (what a process-batch task run does) gives the records
    of process_batch in this process."""
    from orgwork.batch import list_sources, process_batch
    from orgwork.flows import parallel
    from orgwork.pipeline.ingest import iter_batches

    batches = list(iter_batches(list_sources([corpus]), 4))
    parallel.start_pool(2)
    try:
        got = [parallel.run_batch(batch, {}) for batch in batches]
    finally:
        stop_pool()
    for result, batch in zip(got, batches, strict=True):
        expected = process_batch(batch)
        assert [d.doc_id for d in result.documents] == [d.doc_id for d in expected.documents]
        assert [m.value for d in result.documents for m in d.measures] == [
            m.value for d in expected.documents for m in d.measures
        ]


def test_document_cache_round_trip_and_damage(tmp_path: Path) -> None:
    """Documents come back equal from another process's cache; a damaged cache file is a
    miss, never an error."""
    from orgwork.batch import DocumentCache
    from orgwork.pipeline.document import Document

    docs = [Document(source="a.txt", text="晋江培训干部300名。\n", part=0)]
    writer = DocumentCache(tmp_path)
    writer.put("k1", docs)
    assert DocumentCache(tmp_path).get("k1") is None  # not flushed yet: batch not done
    writer.close()
    reader = DocumentCache(tmp_path)
    assert reader.get("k1") == docs
    assert reader.get("k2") is None
    reader.close()
    for path in tmp_path.glob(DocumentCache.FILE + "*"):  # the database and its log
        path.write_bytes(b"not a database" * 100)
    damaged = DocumentCache(tmp_path)
    assert damaged.get("k1") is None
    damaged.put("k1", docs)
    damaged.close()  # cannot write either: silently nothing


def test_batches_shrink_towards_the_end_and_keep_every_document_in_order() -> None:
    """Automatic batches: full-size first, smaller at the end (never below a quarter), every
    document once, in input order; a given --batch-size is kept as it is."""
    from orgwork.pipeline.ingest import auto_batch_size, plan_batches

    items = list(range(2000))
    batches = plan_batches(items, None, workers=2)
    sizes = [len(b) for b in batches]
    full = auto_batch_size(2000, 2)
    assert [x for b in batches for x in b] == items
    assert sizes[0] == full and sizes == sorted(sizes[:-1], reverse=True) + sizes[-1:]
    assert min(sizes[:-1]) >= full // 4 and sizes[-1] <= full // 4 + 1
    assert [len(b) for b in plan_batches(list(range(10)), 3, workers=2)] == [3, 3, 3, 1]
    assert plan_batches([], None, workers=2) == []


def test_batches_by_cost_put_cached_documents_in_few_large_batches() -> None:
    """With costs (a refresh: most documents in the cache), batches are cut by cost, every
    document once and in order, none over MAX_ITEMS_PER_BATCH; unit costs plan as before."""
    from orgwork.pipeline.ingest import MAX_ITEMS_PER_BATCH, plan_batches

    items = list(range(8000))
    costs = [1.0 if i % 100 == 0 else 0.02 for i in items]
    batches = plan_batches(items, None, workers=2, costs=costs)
    assert [x for b in batches for x in b] == items
    assert len(batches) < len(plan_batches(items, None, workers=2)) // 2
    assert max(len(b) for b in batches) <= MAX_ITEMS_PER_BATCH
    assert plan_batches(items, None, 2, [1.0] * len(items)) == plan_batches(items, None, 2)
    with pytest.raises(ValueError, match="costs"):
        plan_batches(items, None, 2, [1.0])


def test_source_costs_know_the_cached_rows(tmp_path: Path) -> None:
    """A source whose rows the cache holds costs little, one it does not costs a document;
    without a cache every source costs one."""
    from collections import defaultdict

    from orgwork.batch import (
        CACHED_COST,
        DocumentCache,
        render_source,
        source_costs,
        source_digests,
    )
    from orgwork.pipeline.ingest import Source

    paths = sorted(SAMPLES.glob("*.txt"))[:2]
    sources = [Source(p, p.name) for p in paths]
    cache = DocumentCache(tmp_path)
    render_source(sources[0], defaultdict(float), cache)
    cache.close()
    digests = source_digests(sources)
    assert source_costs(sources, digests, str(tmp_path)) == [CACHED_COST, 1.0]
    assert source_costs(sources, digests, None) == [1.0, 1.0]
    assert source_costs(sources, digests, str(tmp_path / "none")) == [1.0, 1.0]


def test_rows_cache_skips_rendering_and_keys_the_path(tmp_path: Path) -> None:
    """A refresh takes an unchanged file's rows from the cache as they were rendered; the
    same bytes under another path reuse the processed documents but render rows naming it."""
    from collections import defaultdict

    from orgwork.batch import DocumentCache, render_source
    from orgwork.pipeline.ingest import Source

    path = next(SAMPLES.glob("*.txt"))
    cache = DocumentCache(tmp_path)
    seconds: dict[str, float] = defaultdict(float)
    first, cached = render_source(Source(path, "a/x.txt"), seconds, cache)
    cache.flush()
    assert not cached and seconds["normalize"] > 0
    seconds.clear()
    again, cached = render_source(Source(path, "a/x.txt"), seconds, cache)
    assert cached and again == first and "normalize" not in seconds and "render" not in seconds
    moved, cached = render_source(Source(path, "b/y.txt"), seconds, cache)
    assert cached and "normalize" not in seconds and seconds["render"] > 0
    assert [r.lines["measures"].replace("b/y.txt", "a/x.txt") for r in moved] == [
        r.lines["measures"] for r in first
    ]
    cache.close()
