"""Repair of GBK mojibake (bytes read one byte out of step). Placeholder until the clean issue."""

from __future__ import annotations


def repair_mojibake(text: str) -> tuple[str, list[str]]:
    """Returns (text, notes of repairs). Not yet implemented: text passes unchanged."""
    return text, []
