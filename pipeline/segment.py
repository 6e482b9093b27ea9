"""Segment: jieba as spaCy's Chinese segmenter, with the domain dictionary; sentence spans."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

from orgwork.pipeline.document import Document
from orgwork.pipeline.lexicon import DOMAIN_WORDS, load_cached

SENTENCE_BOUNDARY = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』]?|\n|$)")


@lru_cache(maxsize=1)
def load_jieba():
    """jieba with the domain dictionary; loaded once per process (~0.3 s from the cache)."""
    import jieba

    jieba.setLogLevel(60)  # silence "Building prefix dict…" on stderr
    # jieba's prefix dictionary from our own cache: jieba reads its cache with marshal.load
    # from the open file (0.6 s here); the same data read whole, then unmarshalled, 0.2 s.
    tokenizer = jieba.dt
    if not tokenizer.initialized and tokenizer.dictionary == jieba.DEFAULT_DICT:
        tokenizer.FREQ, tokenizer.total = load_cached(
            "jieba-prefix-dict", lambda: tokenizer.gen_pfdict(tokenizer.get_dict_file())
        )
        tokenizer.initialized = True
    lines = DOMAIN_WORDS.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if line.strip() and not line.startswith("#"):
            word, *rest = line.split()
            jieba.add_word(word, freq=int(rest[0]) if rest else None)
    jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def load_segmenter():
    """spaCy's blank Chinese pipeline with jieba (and the domain dictionary) as its
    segmenter, for spaCy Docs of a text (``load_segmenter()(text)``). The pipeline itself
    needs only the words' spans, which cut_spans gives without loading spaCy."""
    import spacy

    load_jieba()
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


def cut_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Character spans (shifted by ``offset``) of the words spaCy's Chinese tokenizer gives
    for ``text``, whitespace left out. The words come from the call that tokenizer makes,
    ``jieba.cut(text, cut_all=False)``; the spaCy Doc it builds around them cost a third of
    segmentation, and loading spaCy half a second of every start, while the extractors read
    only the spans (a test compares them with spaCy's tokens)."""
    words = [w for w in load_jieba().cut(text, cut_all=False) if w]
    ends = list(accumulate(map(len, words), initial=offset))
    return [(ends[i], ends[i + 1]) for i, w in enumerate(words) if not w.isspace()]


# A "sentence" longer than this (a megabyte line without punctuation) is cut into pieces,
# after a comma where there is one: every figure carries its sentence into the tables, the
# report and the cache, and the context rules scan it (a 3 MB line gave a 1.2 GB
# measures.csv). The longest real sentence of the saved pages: 1,506 characters.
MAX_SENTENCE_CHARS = 2000
CLAUSE_ENDS = "，,、：:　 "


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences end at 。！？； or a line break; spans exclude the line break. None is
    longer than MAX_SENTENCE_CHARS."""
    spans = []
    for m in SENTENCE_BOUNDARY.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] == "\n":
            end -= 1
        while end - start > MAX_SENTENCE_CHARS:
            limit = start + MAX_SENTENCE_CHARS
            comma = max(
                text.rfind(ch, start + MAX_SENTENCE_CHARS // 2, limit) for ch in CLAUSE_ENDS
            )
            cut = comma + 1 if comma >= 0 else limit
            spans.append((start, cut))
            start = cut
        if end > start:
            spans.append((start, end))
    return spans


def segment_document(doc: Document, spans: list[tuple[int, int]] | None = None) -> Document:
    """Fill doc.sentences (unless already split), and doc.tokens (character spans of jieba
    words) over ``spans`` (default: the whole text).

    jieba cuts a text into blocks at every character outside Han, letters and digits, so a
    stretch starting and ending at such boundaries segments the same alone as in its text:
    the pipeline passes only the stretches an extractor reads tokens in
    (orgwork.extractors.token_spans_needed).
    """
    doc.sentences = doc.sentences or split_sentences(doc.text)
    tokens: list[tuple[int, int]] = []
    for start, end in [(0, len(doc.text))] if spans is None else sorted(set(spans)):
        tokens.extend(cut_spans(doc.text[start:end], start))
    doc.tokens = tokens
    return doc
