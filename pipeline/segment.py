"""Segment: jieba as spaCy's Chinese segmenter, with the domain dictionary; sentence spans."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pipeline.document import Document

DOMAIN_WORDS = Path(__file__).parent / "data" / "domain_words.txt"
SENTENCE_BOUNDARY = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』]?|\n|$)")


# spaCy keeps every new word's string in its vocabulary; past this many the pipeline is made
# anew (10 ms), so memory does not grow with the corpus. (Its memory_zone() does the same per
# document but made segmentation twice as slow here.)
MAX_VOCAB_STRINGS = 200_000
_nlp = None


@lru_cache(maxsize=1)
def load_jieba():
    """jieba with the domain dictionary; loaded once per process (dictionary ~1 s)."""
    import jieba

    jieba.setLogLevel(60)  # silence "Building prefix dict…" on stderr
    lines = DOMAIN_WORDS.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.strip() and not line.startswith("#"):
            word, *rest = line.split()
            jieba.add_word(word, freq=int(rest[0]) if rest else None)
    jieba.initialize()
    return jieba


def load_segmenter():
    """spaCy's blank Chinese pipeline with jieba as its segmenter."""
    global _nlp
    if _nlp is None or len(_nlp.vocab.strings) > MAX_VOCAB_STRINGS:
        import spacy

        load_jieba()
        _nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    return _nlp


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


def segment_document(
    doc: Document, options: dict | None = None, spans: list[tuple[int, int]] | None = None
) -> Document:
    """Fill doc.sentences, and doc.tokens (character spans of jieba words) over ``spans``
    (default: the whole text).

    jieba cuts a text into blocks at every character outside Han, letters and digits, so a
    sentence (ending at 。！？； or a line break) segments the same alone as in its text: the
    pipeline passes only the sentences an extractor reads tokens in.
    """
    nlp = load_segmenter()
    doc.sentences = split_sentences(doc.text)
    tokens: list[tuple[int, int]] = []
    for start, end in [(0, len(doc.text))] if spans is None else sorted(set(spans)):
        tokens.extend(
            (start + token.idx, start + token.idx + len(token.text))
            for token in nlp.make_doc(doc.text[start:end])
            if not token.is_space
        )
    doc.tokens = tokens
    return doc
