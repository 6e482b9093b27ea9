"""The library API: what the `orgwork` command does, from Python.

import orgwork
[article] = orgwork.extract("晋江举办专题培训21期，轮训干部800多人次。".encode())
summary = orgwork.run(["corpus/samples"], "outputs")
tables = orgwork.read_dataset("outputs")      # pandas DataFrames
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from orgwork.pipeline.document import Document

if TYPE_CHECKING:
    import pandas as pd


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
    formats: str | list[str] = "csv",
) -> dict:
    """What ``orgwork run PATHS --out OUT`` does (the same flow, folder and guarantees),
    returning its summary (documents, articles, measures, failures, seconds, out …;
    ``up_to_date`` when nothing changed since the last run). Raises RunRefused when the run
    cannot start (a missing path, an output folder in use). ``formats``: "csv,parquet,stata"
    or a list of them, as ``--format``."""
    from orgwork.flows.cli import run_dataset
    from orgwork.pipeline.formats import parse_formats

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
        formats=parse_formats(formats if isinstance(formats, str) else ",".join(formats)),
    )
    _, summary = run_dataset(args)
    return summary


def read_dataset(out: str | Path = "outputs") -> dict[str, pd.DataFrame]:
    """The tables of the dataset in ``out`` (an `orgwork run` output folder, or a folder of
    the tables) as pandas DataFrames, by name: articles, measures, programs, comparison,
    panel, errors. Typed by the data dictionary: vocabularies as categoricals in the
    dictionary's order, counts and offsets as nullable integers (Int64), values and sums as
    Float64, booleans as boolean, text (and the dates, which may be a month alone) as
    strings, an empty cell as NA, the formula quote dropped. Read from the Parquet files when
    the run wrote them, else from the CSV files; ``out/current`` is resolved once, so a run
    switching meanwhile gives no mix."""
    from orgwork.pipeline.formats import read_tables
    from orgwork.pipeline.outdir import dataset_folder

    folder = dataset_folder(out).resolve()
    if not (folder / "articles.csv").is_file():
        raise FileNotFoundError(f"{out}: no dataset there (no articles.csv)")
    return read_tables(folder)
