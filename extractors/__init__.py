"""Extractors: pure functions Document → records with character spans into Document.text."""

from __future__ import annotations

from pipeline.document import Document, make_id


def extract_document(doc: Document, options: dict | None = None) -> Document:
    """Run every extractor on a normalized, segmented document, in dependency order."""
    from extractors.context import add_context
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
    add_context(doc, doc.programs)
    for m in doc.measures:
        m.measure_id = make_id(doc.doc_id, "measure", m.start, m.end, m.kind)
    return doc
