"""Word frequencies and part-of-speech tags from jieba's dictionary and the domain dictionary.

Looking tags up per token is far cheaper than a second tagging pass with jieba.posseg.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np

from orgwork.pipeline.version import pipeline_version

DOMAIN_WORDS = Path(__file__).parent / "data" / "domain_words.txt"  # jieba's user dictionary

T = TypeVar("T")


def pair_table(pairs: Iterable[str]) -> np.ndarray:
    """Character pairs (strings of two or more characters: their first two count) as sorted
    integers, first code point << 21 | second, for pairs_in_table."""
    return np.array(sorted({ord(p[0]) << 21 | ord(p[1]) for p in pairs}), dtype=np.uint64)


def code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def pairs_in_table(codes: np.ndarray, table: np.ndarray) -> np.ndarray:
    """For each pair of neighbouring characters (i, i + 1) of ``codes`` (code_points of a
    text of two or more characters): whether it is in ``table`` (pair_table). A whole text
    at once: a Python statement per character cost an eighth of the pipeline's time."""
    keys = codes[:-1] << np.uint64(21) | codes[1:]
    # Looked up in sorted order: neighbouring queries then hit neighbouring parts of the
    # table, which halves the time of a search in random order (measured: 0.20 → 0.10 s
    # for 600 reports).
    order = np.argsort(keys)
    ordered = keys[order]
    found = np.empty(len(keys), dtype=bool)
    found[order] = table[np.minimum(np.searchsorted(table, ordered), len(table) - 1)] == ordered
    return found


def dictionary_files() -> list[Path]:
    import jieba

    return [Path(jieba.__file__).parent / "dict.txt", DOMAIN_WORDS]


def load_cached(name: str, build: Callable[[], T]) -> T:
    """build(), kept between runs in the temp folder (where jieba keeps its own dictionary
    cache), keyed by the dictionary files and the pipeline version. Parsing dict.txt costs
    ~0.7 s at every start, reading it back ~0.2 s; marshal, because the values are plain
    dicts, tuples and frozensets and it reads them fastest, from bytes read whole
    (marshal.load from an open file is three times slower). Caches of earlier versions are
    removed when a new one is written."""
    key = hashlib.sha256(f"{name}|{pipeline_version()}".encode())
    for path in dictionary_files():
        stat = path.stat()
        key.update(f"|{path}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    cache = Path(tempfile.gettempdir()) / f"orgwork-{name}-{key.hexdigest()[:16]}.marshal"
    try:
        return marshal.loads(cache.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        pass
    value = build()
    try:  # a cache that cannot be written only costs the next start its build
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps(value))
        os.replace(tmp, cache)
        for stale in cache.parent.glob(f"orgwork-{name}-*.marshal"):  # earlier versions'
            if stale != cache:
                stale.unlink(missing_ok=True)
    except OSError:
        pass
    return value


@lru_cache(maxsize=1)
def load_lexicon() -> dict[str, tuple[int, str]]:
    """word → (frequency, tag); domain words override jieba's general entries."""
    return load_cached("lexicon", _read_lexicon)


def _read_lexicon() -> dict[str, tuple[int, str]]:
    lexicon: dict[str, tuple[int, str]] = {}
    for path in dictionary_files():
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
