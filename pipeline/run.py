"""The library entry point: run the stages in order over sources, batch by batch."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from pipeline.document import Document, DocumentError
from pipeline.ingest import Source, ingest_file
from pipeline.normalize import normalize_document
from pipeline.segment import segment_document

STAGES = ("ingest", "normalize", "segment", "extract")


@dataclass
class ErrorRow:
    source: str
    stage: str
    error: str


@dataclass
class BatchResult:
    documents: list[Document] = field(default_factory=list)
    errors: list[ErrorRow] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    def merge(self, other: BatchResult) -> None:
        self.documents.extend(other.documents)
        self.errors.extend(other.errors)
        for stage, s in other.seconds.items():
            self.seconds[stage] += s


def process_document(doc: Document, options: dict | None = None, seconds=None) -> list[Document]:
    """An ingested Document through normalize, segment and the extractors."""
    from extractors import extract_document

    seconds = seconds if seconds is not None else defaultdict(float)
    t = time.perf_counter()
    parts = normalize_document(doc, options)
    seconds["normalize"] += time.perf_counter() - t
    for part in parts:
        t = time.perf_counter()
        segment_document(part, options)
        seconds["segment"] += time.perf_counter() - t
        t = time.perf_counter()
        extract_document(part, options)
        seconds["extract"] += time.perf_counter() - t
    return parts


def process_batch(sources: list[Source], options: dict | None = None) -> BatchResult:
    """Ingest and process a batch of files; a failing file becomes an ErrorRow, never a crash."""
    result = BatchResult()
    for source in sources:
        stage = "ingest"
        try:
            t = time.perf_counter()
            doc = ingest_file(source)
            result.seconds["ingest"] += time.perf_counter() - t
            stage = "process"
            result.documents.extend(process_document(doc, options, result.seconds))
        except DocumentError as exc:
            result.errors.append(ErrorRow(source.relative, exc.stage, exc.message))
        except Exception as exc:  # a bug on one document must not sink the run
            result.errors.append(ErrorRow(source.relative, stage, f"{type(exc).__name__}: {exc}"))
    return result
