"""The library API: what the `orgwork` command does, from Python.

import orgwork
[article] = orgwork.extract("晋江举办专题培训21期，轮训干部800多人次。".encode())
summary = orgwork.run(["corpus/samples"], "outputs")
tables = orgwork.read_dataset("outputs")      # pandas DataFrames
"""

from __future__ import annotations

import argparse
from pathlib import Path

from orgwork.pipeline.document import Document


def extract(
    text_or_bytes: str | bytes,
    *,
    source: str | None = None,
    url: str | None = None,
    is_html: bool | None = None,
) -> list[Document]:
    """One document (a report's text or bytes, or an HTML page) → its articles: Documents
    with ``measures``, ``programs``, ``region`` and the metadata (title, publish_date,
    outlet, author), every span (``start``, ``end``) indexing ``Document.text``. Bytes are
    decoded as ``orgwork run`` decodes a file (BOMs, GB18030, Big5…); HTML is recognised
    unless ``is_html`` says. Raises DocumentError for what `orgwork run` puts in errors.csv."""
    from orgwork.pipeline.ingest import ingest_bytes
    from orgwork.stages import process_document

    raw = text_or_bytes.encode("utf-8") if isinstance(text_or_bytes, str) else text_or_bytes
    doc = ingest_bytes(raw, source or "<text>", url=url or "", is_html=is_html)
    return process_document(doc)


def run(
    paths: list[str | Path] | str | Path,
    out: str | Path = "outputs",
    *,
    workers: int | None = None,
    batch_size: int | None = None,
    cluster: str | None = None,
    cache: bool = True,
    report: bool = True,
    force: bool = False,
) -> dict:
    """What ``orgwork run PATHS --out OUT`` does (the same flow, folder and guarantees),
    returning its summary (documents, articles, measures, failures, seconds, out …;
    ``up_to_date`` when nothing changed since the last run). Raises RunRefused when the run
    cannot start (a missing path, an output folder in use)."""
    from orgwork.flows.cli import run_dataset

    if isinstance(paths, (str, Path)):
        paths = [paths]
    args = argparse.Namespace(
        paths=[str(p) for p in paths],
        out=str(out),
        workers=workers,
        batch_size=batch_size,
        cluster=cluster,
        no_cache=not cache,
        no_report=not report,
        force=force,
        no_progress=True,
    )
    _, summary = run_dataset(args)
    return summary
