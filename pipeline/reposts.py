"""Reposts: near-duplicate articles among a run's inputs, each pointed at one primary.

A worker computes each article's MinHash signature (``signature``: a few hundred bytes);
the flow's writer feeds them, in input order, to a ``RepostIndex`` (LSH bands find the
candidates, their estimated Jaccard similarity decides), which joins near-duplicates into
groups and names each group's primary by a fixed order (``primary_key``; the rules and the
order in data/reposts.toml). Groups are the connected components of "near-duplicate of",
so the result does not depend on the order articles come in.

The MinHash is datasketch's (scheme affine32, seed 1: the same permutations, the same
values; tests/test_outputs.py checks them against datasketch.MinHash), computed here in
numpy because importing datasketch costs 1.1 s per process (it loads scipy for its LSH
parameters), more than a run over a hundred reports.
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
SEED = 1  # datasketch's default seed: its permutations
NOT_WORD = re.compile(r"[\W_]+")  # whitespace and punctuation
# A polynomial hash of each shingle's code points, computed for all shingles at once:
# datasketch's default (SHA-1 per shingle, in Python) cost 3 ms for a 5,000-character
# report, more than the report's extraction.
_MULTIPLIER = np.uint64(1_000_003)
# MurmurHash3's 32-bit finalizer, which datasketch's affine32 scheme applies to each hash.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)


@dataclass(frozen=True)
class Rules:
    shingle: int
    sample: int
    num_perm: int
    threshold: float
    min_chars: int
    official_hosts: tuple[str, ...]
    bands: int


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
        bands=int(raw["bands"]),
    )
    if not 2 <= rules.shingle <= 20 or not 1 <= rules.sample <= 16:
        raise ValueError(f"{path}: shingle must be 2-20 characters, sample 1-16")
    if not 16 <= rules.num_perm <= 512 or not 0.5 <= rules.threshold < 1:
        raise ValueError(f"{path}: num_perm must be 16-512, threshold in [0.5, 1)")
    if rules.bands < 1 or rules.num_perm % rules.bands:
        raise ValueError(f"{path}: bands must divide num_perm")
    if rules.min_chars < rules.shingle:
        raise ValueError(f"{path}: min_chars must be at least the shingle's length")
    return rules


@lru_cache(maxsize=1)
def permutations() -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations h → a·h + b (mod 2³²) for SEED (MinHash
    ._init_permutations)."""
    n = load_rules().num_perm
    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, n, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, n, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = (np.uint32(x) for x in _FMIX32)
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s3)


def shingle_hashes(text: str) -> np.ndarray:
    """32-bit hashes of the sampled character shingles of ``text`` (punctuation and
    whitespace dropped)."""
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
    # A shingle repeated stays repeated: the minimum over a multiset is that over its set.
    return h32[h32 % np.uint32(rules.sample) == 0]


def minhash(hashes: np.ndarray) -> np.ndarray:
    """The MinHash values of a set of 32-bit hashes, as datasketch's MinHash (affine32)
    gives them after update_batch."""
    a, b = permutations()
    with np.errstate(over="ignore"):  # the arithmetic is mod 2³², as in datasketch
        return (_fmix32(hashes)[:, None] * a + b).min(axis=0)


def signature(text: str) -> bytes | None:
    """The MinHash of the text's sampled shingles as bytes, or None for a text too short to
    call a repost."""
    hashes = shingle_hashes(text)
    if len(hashes) == 0:
        return None
    return minhash(hashes).tobytes()


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
    """Articles' signatures in input order; ``duplicates`` then names each repost's primary.

    Candidates are the articles sharing a band of their signature with it (LSH: 16 bands of 4
    values find a pair at similarity 0.8 with probability 0.9998); each is then compared on
    the whole signature. Memory: the signatures (num_perm × 4 bytes each) and one bucket
    entry per band."""

    def __init__(self) -> None:
        rules = load_rules()
        self.threshold = rules.threshold
        self.width = rules.num_perm // rules.bands * 4  # bytes per band
        self.size = rules.num_perm * 4
        self.keys: list[tuple] = []  # primary_key of each article, by index
        self.doc_ids: list[str] = []
        self.parent: list[int] = []  # union-find over the indices
        self.signatures = bytearray()  # of the articles that have one, in order
        self.offset: dict[int, int] = {}  # index → its signature's row in self.signatures
        self.buckets: dict[bytes, int | list[int]] = {}  # band number + band → indices

    def add(self, signature: bytes | None, key: tuple, doc_id: str) -> None:
        index = len(self.keys)
        self.keys.append(key)
        self.doc_ids.append(doc_id)
        self.parent.append(index)
        if signature is None:
            return
        if len(signature) != self.size:
            raise ValueError(f"a signature of {len(signature)} bytes, not {self.size}")
        mine = np.frombuffer(signature, dtype=np.uint32)
        candidates: set[int] = set()
        for band, start in enumerate(range(0, self.size, self.width)):
            bucket = band.to_bytes(2, "little") + signature[start : start + self.width]
            held = self.buckets.get(bucket)
            if held is None:
                self.buckets[bucket] = index
            elif isinstance(held, int):
                candidates.add(held)
                self.buckets[bucket] = [held, index]
            else:
                candidates.update(held)
                held.append(index)
        if candidates:
            self._join_similar(index, mine, sorted(candidates))
        self.offset[index] = len(self.signatures) // self.size
        self.signatures += signature

    def _join_similar(self, index: int, mine: np.ndarray, candidates: list[int]) -> None:
        """Join ``index`` with each candidate whose share of equal values (the estimate of
        the Jaccard similarity) reaches the threshold: one array comparison for all of them.
        (The view of the bytearray ends here: one alive would forbid appending to it.)"""
        held = np.frombuffer(self.signatures, dtype=np.uint32).reshape(-1, len(mine))
        rows = held[[self.offset[other] for other in candidates]]  # a copy, not a view
        del held
        similar = np.count_nonzero(rows == mine, axis=1) / len(mine) >= self.threshold
        for at in np.flatnonzero(similar).tolist():
            self._join(index, candidates[at])

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
