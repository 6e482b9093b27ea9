"""Segment: jieba as spaCy's Chinese segmenter, with the domain dictionary; sentence spans."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pipeline.document import Document

DOMAIN_WORDS = Path(__file__).parent / "data" / "domain_words.txt"
SENTENCE_BOUNDARY = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』]?|\n|$)")


@lru_cache(maxsize=1)
def load_segmenter():
    """spaCy's blank Chinese pipeline with jieba; loaded once per process (dictionary ~1 s)."""
    import jieba
    import spacy

    jieba.setLogLevel(60)  # silence "Building prefix dict…" on stderr
    lines = DOMAIN_WORDS.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.strip() and not line.startswith("#"):
            word, *rest = line.split()
            jieba.add_word(word, freq=int(rest[0]) if rest else None)
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences end at 。！？； or a line break; spans exclude the line break."""
    spans = []
    for m in SENTENCE_BOUNDARY.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] == "\n":
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def segment_document(doc: Document, options: dict | None = None) -> Document:
    """Fill doc.tokens (character spans of jieba words) and doc.sentences."""
    nlp = load_segmenter()
    # Only offsets are kept: the memory zone frees the strings spaCy would otherwise add to
    # its vocabulary for every new word, which grows with the corpus.
    with nlp.memory_zone():
        doc.tokens = [
            (token.idx, token.idx + len(token.text))
            for token in nlp.make_doc(doc.text)
            if not token.is_space
        ]
    doc.sentences = split_sentences(doc.text)
    return doc
