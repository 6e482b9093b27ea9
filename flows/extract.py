"""Prefect flow `extract_reports`: files → dataset. Tasks wrap pipeline functions, one per batch.

The same flow runs serially, on a pool of processes on this machine, or on a Dask cluster;
batches are written in input order, so the dataset is identical whichever runs it.
"""

from __future__ import annotations

import json
import os
import time
from collections import deque
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from flows.prefect_env import check_interrupt
from pipeline.dataset import DatasetWriter, dataset_fingerprint, write_atomic
from pipeline.ingest import (
    Source,
    batches_in_flight,
    list_sources,
    plan_batches,
)
from pipeline.parallel import run_batch
from pipeline.run import BatchResult, inputs_fingerprint


@task(name="process-batch", task_run_name="process-batch-{index}", cache_policy=NO_CACHE)
def process_batch_task(sources: list[Source], options: dict, index: int) -> BatchResult:
    # No retries: the work is deterministic, a retry would fail the same way.
    return run_batch(sources, options)


def make_task_runner(workers: int | None = None, cluster: str | None = None):
    """Batches on a Dask cluster, or on threads that hand them to this machine's worker
    processes (pipeline.parallel, started by the caller before Prefect)."""
    if cluster:
        from prefect_dask import DaskTaskRunner  # imported only when a cluster is chosen

        return DaskTaskRunner(address=cluster)
    return ThreadPoolTaskRunner(max_workers=workers or os.cpu_count() or 1)


@task(name="build-report", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def build_report_task(out: str) -> str:
    from pipeline.report import build_report

    return str(build_report(out))


@flow(name="extract_reports")
def extract_reports(
    paths: list[str] | None = None,
    out: str = "outputs",
    batch_size: int | None = None,
    options: dict | None = None,
    progress: bool = False,
    in_flight: int = 4,
    workers: int = 1,
    report: bool = True,
) -> dict:
    """Ingest, normalize, segment and extract every report under ``paths``; write the
    dataset to ``out``."""
    started = time.perf_counter()
    options = options or {}
    sources = list_sources(paths or ["corpus"])
    bar = _progress_bar(len(sources), enabled=progress)
    seconds: dict[str, float] = {}
    cached = 0
    pending: deque = deque()
    writer: DatasetWriter | None = None
    try:
        writer = DatasetWriter(out)
        # A bounded window of batches in flight keeps memory flat however large the corpus.
        for index, batch in enumerate(plan_batches(sources, batch_size, workers)):
            check_interrupt()
            pending.append((batch, process_batch_task.submit(batch, options, index)))
            if len(pending) >= in_flight:
                cached += _write_next(pending, writer, seconds, bar)
        while pending:
            cached += _write_next(pending, writer, seconds, bar)
        t = time.perf_counter()
        counts = writer.close()
        write_seconds = seconds.pop("write", 0.0) + time.perf_counter() - t
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        bar.close()
    summary = {
        "documents": len(sources),
        "articles": counts.get("documents", 0),
        "relevant": counts.get("relevant", 0),
        "measures": counts.get("measures", 0),
        "programs": counts.get("programs", 0),
        "failures": counts.get("failures", 0),
        "cached": cached,
        "seconds": round(time.perf_counter() - started, 2),
        "out": str(Path(out)),
        "stage_seconds": {k: round(v, 2) for k, v in sorted(seconds.items())},
        "write_seconds": round(write_seconds, 2),
        "workers": workers,
        "report": "",
        "dataset_sha256": dataset_fingerprint(out),
        "inputs_sha256": inputs_fingerprint(sources),
    }
    if report:
        check_interrupt()
        t = time.perf_counter()
        summary["report"] = _current_report(out, summary["dataset_sha256"]) or build_report_task(
            out
        )
        summary["report_seconds"] = round(time.perf_counter() - t, 2)
    write_atomic(Path(out) / "run.json", json.dumps(summary, ensure_ascii=False, indent=2))
    create_table_artifact(
        key="extract-summary",
        table=[{k: v for k, v in summary.items() if k != "stage_seconds"}],
        description="orgwork run: documents, measures, programmes, failures, seconds",
    )
    create_markdown_artifact(key="extract-report", markdown=summary_markdown(summary))
    return summary


def _current_report(out: str, fingerprint: str) -> str:
    """The existing report.html when the tables are byte for byte those it was built from."""
    report, previous = Path(out) / "report.html", Path(out) / "run.json"
    try:
        before = json.loads(previous.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    same = before.get("dataset_sha256") == fingerprint and before.get("report")
    return str(report) if same and report.exists() else ""


def summary_markdown(summary: dict) -> str:
    lines = [
        "# orgwork run",
        "",
        "| documents | articles | relevant | measures | programmes | failures | cached | seconds |",
        "|---|---|---|---|---|---|---|---|",
        "| {documents} | {articles} | {relevant} | {measures} | {programs} | {failures} "
        "| {cached} | {seconds} |".format(**summary),
        "",
        f"Dataset: `{summary['out']}/` (articles.csv, measures.csv, programs.csv, "
        "comparison.csv, errors.csv).",
    ]
    if summary["report"]:
        lines.append(f"Report: `{summary['report']}` (open it in a browser; works offline).")
    return "\n".join(lines)


def _write_next(pending: deque, writer: DatasetWriter, seconds: dict, bar) -> int:
    """Wait for the oldest batch in flight and write it (input order)."""
    batch, future = pending.popleft()
    result = future.result()
    check_interrupt()  # a Ctrl-C stops the flow here, in its own code (flows.prefect_env)
    t = time.perf_counter()
    # Written in the flow, not as a task: appending a batch's rows cannot be retried (rows
    # written before a failure would be written twice), and a failure aborts the run with
    # the writer's temporary files removed. It also spares Prefect's cost per task.
    writer.add_rows(result.rows)  # rendered by the workers (batch_options)
    writer.add_documents(result.documents)
    writer.add_errors(result.errors)
    seconds["write"] = seconds.get("write", 0.0) + time.perf_counter() - t
    for stage, s in result.seconds.items():
        seconds[stage] = seconds.get(stage, 0.0) + s
    result.release()
    bar.update(len(batch))
    return result.cached


def run_extract(workers: int | None = None, cluster: str | None = None, **kwargs) -> dict:
    """extract_reports on the chosen task runner."""
    runner = make_task_runner(workers, cluster)
    in_flight = batches_in_flight(workers, cluster)
    return extract_reports.with_options(task_runner=runner)(
        in_flight=in_flight, workers=workers or os.cpu_count() or 1, **kwargs
    )


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="extracting", disable=not enabled, leave=False)
