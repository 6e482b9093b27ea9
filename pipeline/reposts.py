"""Reposts: near-duplicate articles among a run's inputs, each pointed at one primary.

A worker computes each article's MinHash signature (``signature``: a few hundred bytes);
the flow's writer feeds them, in input order, to a ``RepostIndex`` (datasketch's MinHashLSH
finds the candidates, their estimated Jaccard similarity decides), which joins near-duplicates
into groups and names each group's primary by a fixed order (``primary_key``; the rules and
the order in data/reposts.toml). Groups are the connected components of "near-duplicate of",
so the result does not depend on the order articles come in.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

DATA = Path(__file__).parent / "data" / "reposts.toml"
SCHEME = "affine32"  # datasketch's default permutation scheme
SEED = 1
NOT_WORD = re.compile(r"[\W_]+")  # whitespace and punctuation
# A polynomial hash of each shingle's code points, computed for all shingles at once in
# numpy: datasketch's own (SHA-1 per shingle, in Python) cost 3 ms for a 5,000-character
# report, more than the report's extraction.
_MULTIPLIER = np.uint64(1_000_003)


@dataclass(frozen=True)
class Rules:
    shingle: int
    sample: int
    num_perm: int
    threshold: float
    min_chars: int
    official_hosts: tuple[str, ...]


@lru_cache(maxsize=1)
def load_rules(path: Path = DATA) -> Rules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = Rules(
        shingle=int(raw["shingle"]),
        sample=int(raw["sample"]),
        num_perm=int(raw["num_perm"]),
        threshold=float(raw["threshold"]),
        min_chars=int(raw["min_chars"]),
        official_hosts=tuple(h.lower().lstrip(".") for h in raw["official_hosts"]),
    )
    if not 2 <= rules.shingle <= 20 or not 1 <= rules.sample <= 16:
        raise ValueError(f"{path}: shingle must be 2-20 characters, sample 1-16")
    if not 16 <= rules.num_perm <= 512 or not 0.5 <= rules.threshold < 1:
        raise ValueError(f"{path}: num_perm must be 16-512, threshold in [0.5, 1)")
    if rules.min_chars < rules.shingle:
        raise ValueError(f"{path}: min_chars must be at least the shingle's length")
    return rules


def _identity(value: int) -> int:
    return value


@lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=load_rules().num_perm, seed=SEED, scheme=SCHEME).permutations


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the sampled character shingles of ``text`` (punctuation and
    whitespace dropped), each once."""
    rules = load_rules()
    chars = NOT_WORD.sub("", text)
    n = len(chars) - rules.shingle + 1
    if len(chars) < rules.min_chars or n < 1:
        return np.zeros(0, dtype=np.uint32)
    points = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    h = np.zeros(n, dtype=np.uint64)
    for j in range(rules.shingle):
        h = h * _MULTIPLIER + points[j : j + n]
    h ^= h >> np.uint64(29)  # the high bits into the low ones, which are kept
    h32 = h.astype(np.uint32)
    return np.unique(h32[h32 % np.uint32(rules.sample) == 0])


def signature(text: str) -> bytes | None:
    """The MinHash (datasketch) of the text's sampled shingles as bytes, or None for a text
    too short to call a repost."""
    from datasketch import MinHash

    hashes = shingle_hashes(text)
    if len(hashes) == 0:
        return None
    rules = load_rules()
    mh = MinHash(
        num_perm=rules.num_perm,
        seed=SEED,
        hashfunc=_identity,  # the shingles are hashed already
        permutations=_permutations(),
        scheme=SCHEME,
    )
    mh.update_batch(hashes.tolist())
    return mh.hashvalues.tobytes()


def _official(url: str, hosts: tuple[str, ...]) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in hosts)


def primary_key(publish_date: str, url: str, source: str, doc_id: str) -> tuple:
    """Sorts first the copy of a report that is its primary (data/reposts.toml)."""
    hosts = load_rules().official_hosts
    return (
        not publish_date,
        publish_date,
        not _official(url, hosts),
        not url,
        source,
        doc_id,
    )


class RepostIndex:
    """Articles' signatures in input order; ``duplicates`` then names each repost's primary."""

    def __init__(self) -> None:
        from datasketch import MinHashLSH

        rules = load_rules()
        self.threshold = rules.threshold
        self.lsh = MinHashLSH(threshold=rules.threshold, num_perm=rules.num_perm)
        self.keys: list[tuple] = []  # primary_key of each article, by index
        self.doc_ids: list[str] = []
        self.parent: list[int] = []  # union-find over the indices
        self.sketches: dict[int, object] = {}

    def add(self, signature: bytes | None, key: tuple, doc_id: str) -> None:
        from datasketch import LeanMinHash

        index = len(self.keys)
        self.keys.append(key)
        self.doc_ids.append(doc_id)
        self.parent.append(index)
        if signature is None:
            return
        sketch = LeanMinHash(
            seed=SEED, hashvalues=np.frombuffer(signature, dtype=np.uint32), scheme=SCHEME
        )
        for other in self.lsh.query(sketch):
            if sketch.jaccard(self.sketches[other]) >= self.threshold:
                self._join(index, other)
        self.lsh.insert(index, sketch)
        self.sketches[index] = sketch

    def _find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _join(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def duplicates(self) -> dict[int, str]:
        """Index of every repost → doc_id of its group's primary."""
        groups: dict[int, list[int]] = {}
        for i in range(len(self.keys)):
            groups.setdefault(self._find(i), []).append(i)
        result = {}
        for members in groups.values():
            if len(members) < 2:
                continue
            primary = min(members, key=lambda i: self.keys[i])
            for i in members:
                if i != primary:
                    result[i] = self.doc_ids[primary]
        return result
