"""Prefect flow `extract_reports`: files → dataset. Tasks wrap pipeline functions, one per batch."""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from pipeline.dataset import DatasetWriter
from pipeline.ingest import Source, iter_batches, list_sources
from pipeline.run import BatchResult, process_batch

DEFAULT_BATCH_SIZE = 20


@task(name="process-batch", task_run_name="process-batch-{index}", cache_policy=NO_CACHE)
def process_batch_task(sources: list[Source], options: dict, index: int) -> BatchResult:
    # No retries: the work is deterministic, a retry would fail the same way.
    return process_batch(sources, options)


@task(name="write-batch", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def write_batch_task(writer: DatasetWriter, result: BatchResult) -> None:
    writer.add_documents(result.documents)
    writer.add_errors(result.errors)


@task(name="finish-dataset", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)
def finish_dataset_task(writer: DatasetWriter) -> dict[str, int]:
    return writer.close()


@flow(name="extract_reports")
def extract_reports(
    paths: list[str] | None = None,
    out: str = "outputs",
    batch_size: int = DEFAULT_BATCH_SIZE,
    options: dict | None = None,
    progress: bool = False,
) -> dict:
    """Ingest, normalize, segment and extract every report under ``paths``; write the dataset."""
    started = time.perf_counter()
    options = options or {}
    sources = list_sources(paths or ["corpus"])
    batches = list(iter_batches(sources, batch_size))
    writer = DatasetWriter(out)
    bar = _progress_bar(len(sources), enabled=progress)
    seconds: dict[str, float] = {}
    try:
        futures = [
            process_batch_task.submit(batch, options, index) for index, batch in enumerate(batches)
        ]
        # Written in input order, so the tables come out the same on every run.
        for batch, future in zip(batches, futures, strict=True):
            result = future.result()
            write_batch_task(writer, result)
            for stage, s in result.seconds.items():
                seconds[stage] = seconds.get(stage, 0.0) + s
            bar.update(len(batch))
        counts = finish_dataset_task(writer)
    except BaseException:
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
        "seconds": round(time.perf_counter() - started, 2),
        "out": str(Path(out)),
        "stage_seconds": {k: round(v, 2) for k, v in seconds.items()},
    }
    create_table_artifact(
        key="extract-summary",
        table=[{k: v for k, v in summary.items() if k != "stage_seconds"}],
        description="orgwork run: documents, measures, programmes, failures, seconds",
    )
    return summary


def _progress_bar(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, unit="doc", desc="extracting", disable=not enabled, leave=False)
