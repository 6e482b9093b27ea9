"""Extractors: pure functions Document → records with character spans into Document.text."""

from __future__ import annotations

import time
from collections import defaultdict

from pipeline.document import Document, make_id


def find_facts(doc: Document, options: dict | None = None) -> Document:
    """Metadata, region, programmes and measures: all read on the characters."""
    from extractors.metadata import extract_metadata
    from extractors.programs import assign_program_ids, find_programs
    from extractors.quantities import find_quantities
    from extractors.region import resolve_region

    extract_metadata(doc, options)
    if not doc.relevant:
        return doc  # other articles and ads on the page: recorded, never mined
    doc.region = resolve_region(doc, options)
    doc.programs = find_programs(doc, options)
    assign_program_ids(doc)
    doc.measures = find_quantities(doc, options)
    return doc


def token_spans_needed(doc: Document) -> list[tuple[int, int]]:
    """The stretches of text whose tokens add_context reads: the clause of each figure,
    where its counted phrase stands (context.subject_scope); overlapping ones merged.
    Splits doc.sentences when not yet done (segment_document keeps them)."""
    from extractors.context import subject_scope
    from pipeline.segment import split_sentences

    doc.sentences = doc.sentences or split_sentences(doc.text)
    scopes = []
    for m in doc.measures:
        scopes.append(subject_scope(doc.text, m, doc.sentence_at(m.start)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(scopes):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def add_details(doc: Document, options: dict | None = None) -> Document:
    """Sentence, period, modality, subject, category and programme of each measure; ids.
    Needs doc.tokens over token_spans_needed(doc)."""
    from extractors.context import add_context

    if doc.relevant:
        add_context(doc, doc.programs)
        for m in doc.measures:
            m.measure_id = make_id(doc.doc_id, "measure", m.start, m.end, m.kind)
    return doc


def extract_document(
    doc: Document, options: dict | None = None, seconds: dict[str, float] | None = None
) -> Document:
    """Every extractor on a normalized document, in dependency order. When the document has
    no tokens yet, jieba segments only what an extractor reads tokens in: the counted noun
    phrase after each figure (token_spans_needed). ``seconds`` gathers the time spent
    extracting and segmenting."""
    from pipeline.segment import segment_document

    seconds = seconds if seconds is not None else defaultdict(float)
    t = time.perf_counter()
    find_facts(doc, options)  # on characters: quantities need no tokens (1800/多名)
    seconds["extract"] += time.perf_counter() - t
    if not doc.tokens:
        t = time.perf_counter()
        spans = token_spans_needed(doc) if doc.relevant else []
        segment_document(doc, options, spans=spans)
        seconds["segment"] += time.perf_counter() - t
    t = time.perf_counter()
    add_details(doc, options)
    seconds["extract"] += time.perf_counter() - t
    return doc
