"""Prefect flow `extract_reports`: files → dataset. Tasks wrap pipeline functions, one per batch.

The same flow runs serially, on a pool of processes on this machine, or on a Dask cluster;
batches are written in input order, so the dataset is identical whichever runs it.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections import deque
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from orgwork.batch import (
    BatchResult,
    inputs_fingerprint,
    list_sources,
    source_costs,
    source_digests,
)
from orgwork.flows.gcfreeze import collection_paused
from orgwork.flows.parallel import run_batch
from orgwork.flows.prefect_env import check_interrupt
from orgwork.pipeline.dataset import DatasetWriter, dataset_fingerprint, write_atomic
from orgwork.pipeline.ingest import (
    Source,
    batches_in_flight,
    plan_batches,
)
from orgwork.pipeline.outdir import RunFolder, link_or_copy, output_lock


@task(name="process-batch", task_run_name="process-batch-{index}", cache_policy=NO_CACHE)
def process_batch_task(sources: list[Source], options: dict, index: int) -> BatchResult:
    # No retries: the work is deterministic, a retry would fail the same way.
    return run_batch(sources, options)


def make_task_runner(workers: int | None = None, cluster: str | None = None):
    """Batches on a Dask cluster, or on threads that hand them to this machine's worker
    processes (orgwork.flows.parallel, started by the caller before Prefect)."""
    if cluster:
        from prefect_dask import DaskTaskRunner  # imported only when a cluster is chosen

        return DaskTaskRunner(address=cluster)
    return ThreadPoolTaskRunner(max_workers=workers or os.cpu_count() or 1)


# No retries: the report is built from files on this disk, a retry would fail the same way.
@task(name="build-report", cache_policy=NO_CACHE)
def build_report_task(run_dir: str) -> str:
    """Write report.html into the run's folder; returns "" or the error that stopped it: a
    failing report never fails a run whose tables are written (the run records it)."""
    from orgwork.report.render import build_report

    try:
        build_report(run_dir)
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return ""


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
    formats: list[str] | None = None,
) -> dict:
    """Ingest, normalize, segment and extract every report under ``paths``; write the
    dataset to ``out``: into a run folder of its own, switched into place whole when
    complete (orgwork.pipeline.outdir), with the output folder locked meanwhile. ``formats``:
    csv (always), parquet, stata (orgwork.pipeline.formats)."""
    formats = formats or ["csv"]
    with output_lock(out):  # FolderInUse when another run or report holds it
        run = RunFolder(out)
        try:
            summary = _extract(
                run, paths, out, batch_size, options, progress, in_flight, workers, formats
            )
            if report:
                check_interrupt()
                t = time.perf_counter()
                summary["report"], error = _report(run, summary["dataset_sha256"])
                if error:
                    summary["report_error"] = error
                summary["report_seconds"] = round(time.perf_counter() - t, 2)
            write_atomic(run.path / "run.json", json.dumps(summary, ensure_ascii=False, indent=2))
            run.commit()
        except BaseException:
            run.abort()
            raise
    create_table_artifact(
        key="extract-summary",
        table=[{k: v for k, v in summary.items() if k != "stage_seconds"}],
        description="orgwork run: documents, measures, programmes, failures, seconds",
    )
    create_markdown_artifact(key="extract-report", markdown=summary_markdown(summary))
    return summary


def _extract(
    run: RunFolder,
    paths: list[str] | None,
    out: str,
    batch_size: int | None,
    options: dict | None,
    progress: bool,
    in_flight: int,
    workers: int,
    formats: list[str],
) -> dict:
    """The batches through the workers into the run folder's tables; the run's summary."""
    started = time.perf_counter()
    options = options or {}
    sources = list_sources(paths or ["corpus"])
    # Read once, before any worker reads them: the plan's costs and the run's fingerprint.
    digests = source_digests(sources)
    costs = source_costs(sources, digests, options.get("cache_dir"))
    bar = _progress_bar(len(sources), enabled=progress)
    seconds: dict[str, float] = {}
    cached = 0
    pending: deque = deque()
    writer: DatasetWriter | None = None
    previous_texts = run.previous / "texts" if run.previous is not None else None
    try:
        writer = DatasetWriter(run.path, previous_texts, tuple(formats))
        # A bounded window of batches in flight keeps memory flat however large the corpus.
        for index, batch in enumerate(plan_batches(sources, batch_size, workers, costs)):
            check_interrupt()
            pending.append((batch, process_batch_task.submit(batch, options, index)))
            if len(pending) >= in_flight:
                cached += _write_next(pending, writer, seconds, bar)
        while pending:
            cached += _write_next(pending, writer, seconds, bar)
        t = time.perf_counter()
        with collection_paused():  # orgwork.flows.gcfreeze: measured worth it
            counts = writer.close()
        write_seconds = seconds.pop("write", 0.0) + time.perf_counter() - t
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    finally:
        bar.close()
    return {
        "documents": len(sources),
        "articles": counts.get("documents", 0),
        "relevant": counts.get("relevant", 0),
        "measures": counts.get("measures", 0),
        "programs": counts.get("programs", 0),
        "failures": counts.get("failures", 0),
        "reposts": counts.get("reposts", 0),
        "cached": cached,
        "seconds": round(time.perf_counter() - started, 2),
        "out": str(Path(out)),
        "stage_seconds": {k: round(v, 2) for k, v in sorted(seconds.items())},
        "write_seconds": round(write_seconds, 2),
        "workers": workers,
        "formats": formats,
        "report": "",
        "dataset_sha256": dataset_fingerprint(run.path),
        "inputs_sha256": inputs_fingerprint(sources, digests),
    }


def _report(run: RunFolder, fingerprint: str) -> tuple[str, str]:
    """report.html in the run folder: the previous run's, hard-linked, when the tables are
    byte for byte those it was built from, else built. (path as the user opens it, error)."""
    shown = str(run.out / "report.html")
    if run.previous is not None and _report_matches(run.previous, fingerprint):
        with contextlib.suppress(OSError):
            link_or_copy(run.previous / "report.html", run.path / "report.html")
            return shown, ""
    error = build_report_task(str(run.path))
    return ("", error) if error else (shown, "")


def _report_matches(folder: Path, fingerprint: str) -> bool:
    try:
        before = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    same = before.get("dataset_sha256") == fingerprint and before.get("report")
    return bool(same) and (folder / "report.html").is_file()


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
        "comparison.csv, panel.csv, errors.csv, datapackage.json).",
    ]
    if summary["report"]:
        lines.append(f"Report: `{summary['report']}` (open it in a browser; works offline).")
    return "\n".join(lines)


def _write_next(pending: deque, writer: DatasetWriter, seconds: dict, bar) -> int:
    """Wait for the oldest batch in flight and write it (input order)."""
    batch, future = pending.popleft()
    result = future.result()
    check_interrupt()  # a Ctrl-C stops the flow here, in its own code (orgwork.flows.prefect_env)
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
