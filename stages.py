"""The stages, in the order every document goes through them.

ingest      bytes → text + metadata               (pipeline/ingest.py; before this module)
normalize   clean, Traditional → Simplified, articles  (pipeline/normalize.py)
extract     on characters: metadata, region, programmes, measures  (extractors.find_facts)
segment     jieba, only where the next step reads tokens           (pipeline/segment.py)
extract     on tokens: each measure's subject, period, category…   (extractors.add_details)
rows        the dataset's tables                  (pipeline/dataset.py; after this module)
"""

from __future__ import annotations

import time
from collections import defaultdict

from orgwork.extractors import add_details, find_facts, token_spans_needed
from orgwork.extractors.metadata import read_text_date
from orgwork.pipeline.document import Document
from orgwork.pipeline.normalize import normalize_document
from orgwork.pipeline.segment import segment_document


def process_document(doc: Document, seconds: dict[str, float] | None = None) -> list[Document]:
    """An ingested Document → its normalized, extracted articles (tokens dropped: only the
    extractors read them, and the results travel between processes). ``seconds`` gathers
    the time of each stage."""
    seconds = seconds if seconds is not None else defaultdict(float)
    t = time.perf_counter()
    if not doc.is_html:  # a page's byline bar was read by ingest; a text's date bars, here
        read_text_date(doc)
    seconds["ingest"] += time.perf_counter() - t
    t = time.perf_counter()
    parts = normalize_document(doc)
    seconds["normalize"] += time.perf_counter() - t
    for part in parts:
        extract_document(part, seconds)
        part.tokens = []
    return parts


def extract_document(doc: Document, seconds: dict[str, float] | None = None) -> Document:
    """A normalized article through extraction: facts on the characters (quantities need no
    tokens: jieba splits 1800/多名), then jieba over only the stretches the details read
    (the counted phrase after each figure), then the details."""
    seconds = seconds if seconds is not None else defaultdict(float)
    t = time.perf_counter()
    find_facts(doc)
    seconds["extract"] += time.perf_counter() - t
    if not doc.tokens:
        t = time.perf_counter()
        segment_document(doc, spans=token_spans_needed(doc) if doc.relevant else [])
        seconds["segment"] += time.perf_counter() - t
    t = time.perf_counter()
    add_details(doc)
    seconds["extract"] += time.perf_counter() - t
    return doc
