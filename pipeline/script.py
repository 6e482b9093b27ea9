"""Script: tell Simplified from Traditional and convert (OpenCC), one character position for
another. Shared by normalize (the text), mojibake (its repair compares Simplified forms) and the
metadata reader (the raw head)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from orgwork.pipeline.lexicon import code_points, load_cached

HAN_FIRST, HAN_LAST = 0x4E00, 0x9FFF
SCRIPT_SAMPLE = 4000  # Han characters enough to tell the script of a report


@lru_cache(maxsize=1)
def _converters():
    import opencc

    # t2s: character-level Traditional→Simplified, no regional phrase rewriting (tw2sp would
    # turn 软体 into 软件 and change what the report says); keeps lengths for offsets.
    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


def to_simplified(text: str) -> str:
    """OpenCC t2s, the one Traditional→Simplified conversion of the project."""
    return _converters()[0].convert(text) if text else ""


@lru_cache(maxsize=1)
def _simplified_only() -> np.ndarray:
    """For each character U+4E00–U+9FFF (HAN): whether s2t changes it on its own, i.e. only
    Simplified text uses it. Looked up for a whole text at once (a Counter and a lookup per
    distinct character cost a fifth of normalize); built with OpenCC in ~0.1 s, then kept."""

    def build() -> bytes:
        s2t = _converters()[1]
        chars = [chr(c) for c in range(HAN_FIRST, HAN_LAST + 1)]
        return bytes(s2t.convert(ch) != ch for ch in chars)

    return np.frombuffer(load_cached("simplified-only", build), dtype=np.bool_)


def detect_script(text: str, simp: str | None = None) -> str:
    """simplified | traditional | mixed, from characters that only one script uses.
    ``simp`` is to_simplified(text) when the caller has it."""
    head = text[: SCRIPT_SAMPLE * 2]
    if simp is None or len(simp) != len(text):
        simp = to_simplified(head)
        if len(simp) != len(head):  # compared position for position: keep the lengths
            simp = "".join(map(to_simplified_char, head))
    if head == simp[: len(head)]:
        return "simplified"  # no character changed at all: the common case, decided in C
    codes = code_points(head)
    # The first SCRIPT_SAMPLE Han characters: changed by t2s (Traditional-only) or by s2t.
    where = np.flatnonzero((codes >= HAN_FIRST) & (codes <= HAN_LAST))[:SCRIPT_SAMPLE]
    han = codes[where]
    trad_only = int(np.count_nonzero(han != code_points(simp[: len(head)])[where]))
    if not trad_only:
        return "simplified"
    simp_only = int(np.count_nonzero(_simplified_only()[(han - HAN_FIRST).astype(np.intp)]))
    share = trad_only / (trad_only + simp_only)
    if share >= 0.9:
        return "traditional"
    return "simplified" if share <= 0.1 else "mixed"


@lru_cache(maxsize=65536)
def to_simplified_char(ch: str) -> str:
    """One character's Simplified form, itself where OpenCC would give more than one."""
    out = to_simplified(ch)
    return out if len(out) == 1 else ch
