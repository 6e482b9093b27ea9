"""Word frequencies and part-of-speech tags from jieba's dictionary and the domain dictionary.

Looking tags up per token is far cheaper than a second tagging pass with jieba.posseg.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pipeline.segment import DOMAIN_WORDS


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, tuple[int, str]]:
    """word → (frequency, tag); domain words override jieba's general entries."""
    import jieba

    lexicon: dict[str, tuple[int, str]] = {}
    for path in (Path(jieba.__file__).parent / "dict.txt", DOMAIN_WORDS):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                parts = line.split()
                if len(parts) >= 2:
                    tag = parts[2] if len(parts) > 2 else ""
                    lexicon[parts[0]] = (int(parts[1]), tag)
    return lexicon


def tag_of(word: str) -> str:
    return load_lexicon().get(word, (0, ""))[1]


def frequency_of(word: str) -> int:
    return load_lexicon().get(word, (0, ""))[0]
