"""Extractors: pure functions Document → records with character spans into Document.text.

Two steps around segmentation (orgwork.stages runs them in order): find_facts on the
characters, then add_details on the tokens of the stretches token_spans_needed names."""

from __future__ import annotations

from orgwork.pipeline.document import Document, make_id


def find_facts(doc: Document) -> Document:
    """Metadata, region, programmes and measures: all read on the characters."""
    from orgwork.extractors.metadata import extract_metadata
    from orgwork.extractors.programs import assign_program_ids, find_programs
    from orgwork.extractors.quantities import find_quantities
    from orgwork.extractors.region import resolve_region

    extract_metadata(doc)
    # Where an article is about, whether or not it passes the relevance gate: a report the
    # gate misses (a short one, a recruitment notice) still says which unit it is about.
    doc.region = resolve_region(doc)
    if not doc.relevant:
        return doc  # other articles and ads on the page: recorded, never mined
    doc.programs = find_programs(doc)
    assign_program_ids(doc)
    doc.measures = find_quantities(doc)
    return doc


def token_spans_needed(doc: Document) -> list[tuple[int, int]]:
    """The stretches of text whose tokens add_context reads: the clause of each figure,
    where its counted phrase stands (context.subject_scope); overlapping ones merged.
    Splits doc.sentences when not yet done (segment_document keeps them)."""
    from orgwork.extractors.context import subject_scope
    from orgwork.pipeline.segment import split_sentences

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


def add_details(doc: Document) -> Document:
    """Sentence, period, modality, subject, category and programme of each measure; ids.
    Needs doc.tokens over token_spans_needed(doc)."""
    from orgwork.extractors.context import add_context

    if doc.relevant:
        add_context(doc, doc.programs)
        for m in doc.measures:
            m.measure_id = make_id(doc.doc_id, "measure", m.start, m.end, m.kind)
    return doc
