"""Quoted spans: all quote styles, including reversed ”…” and back-to-back “上派”“下挂”."""

from __future__ import annotations

PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}
# Longer quotations are speech or citations, not names or slogans.
MAX_NAME_QUOTE = 30
STOP = set("。！？!?；;\n")


def find_quotes(text: str) -> list[tuple[int, int]]:
    """(start, end) of the inner text of every quotation in ``text``.

    A closing mark seen while nothing is open opens a quotation (sites that print ” on both
    sides); a quotation left open runs to the end of its line.
    """
    spans: list[tuple[int, int]] = []
    open_at = -1
    closer = ""
    for i, ch in enumerate(text):
        if ch == "\n" and open_at >= 0:
            spans.append((open_at + 1, i))
            open_at = -1
        elif open_at < 0:
            if ch in PAIRS:
                open_at, closer = i, PAIRS[ch]
            elif ch in ("”", "」", "』", "’"):
                open_at, closer = i, ch
        elif ch == closer:
            spans.append((open_at + 1, i))
            open_at = -1
    if open_at >= 0:
        spans.append((open_at + 1, len(text)))
    return spans


def find_short_quotes(text: str) -> list[tuple[int, int]]:
    """Quotations short enough to be a name or a slogan, with no sentence punctuation."""
    return [
        (s, e)
        for s, e in find_quotes(text)
        if e - s <= MAX_NAME_QUOTE and not any(ch in STOP for ch in text[s:e])
    ]


def inside_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)
