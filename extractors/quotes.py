"""Quoted spans: all quote styles, including reversed ”…” and back-to-back “上派”“下挂”."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache

PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}
# Longer quotations are speech or citations, not names or slogans.
MAX_NAME_QUOTE = 30
STOP = re.compile("[。！？!?；;\n]")
QUOTE_OR_BREAK = re.compile('[“”「」『』‘’"\n]')


def find_quotes(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inner text of every quotation in ``text``.

    A closing mark seen while nothing is open opens a quotation (sites that print ” on both
    sides), unless a real opening mark follows before it closes (a stray ” left by a damaged
    page); a quotation left open runs to the end of its line.
    """
    spans: list[tuple[int, int]] = []
    open_at = -1
    closer = ""
    reversed_open = False  # opened by a closing mark: a real opener later means it was stray
    for m in QUOTE_OR_BREAK.finditer(text):
        i, ch = m.start(), m.group()
        if ch == "\n":
            if open_at >= 0:
                spans.append((open_at + 1, i))
                open_at = -1
        elif open_at < 0 or (reversed_open and ch in PAIRS and ch != closer):
            open_at, closer = i, PAIRS.get(ch, ch)
            reversed_open = ch not in PAIRS
        elif ch == closer:
            spans.append((open_at + 1, i))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at + 1, len(text)))
    return spans


@lru_cache(maxsize=2)  # the quantities and the programmes of one text ask for the same
def find_short_quotes(text: str) -> tuple[tuple[int, int], ...]:
    """Quotations short enough to be a name or a slogan, with no sentence punctuation."""
    return tuple(
        (s, e)
        for s, e in find_quotes(text)
        if e - s <= MAX_NAME_QUOTE and not STOP.search(text, s, e)
    )


def inside_any(spans: Sequence[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside one of ``spans`` (find_quotes' order: sorted, not
    overlapping, so only the last one starting at or before ``start`` can hold it)."""
    i = bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and end <= spans[i][1]
