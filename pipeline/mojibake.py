"""Repair of GBK mojibake: text whose GBK bytes were read one byte out of step.

When one byte of a GBK page is lost, every following two-byte character is read as (trail
byte of one character, lead byte of the next) until an ASCII byte puts the reader back in
step. The result is a run of valid but unrelated characters: "！”“本次研學" became
"!薄氨敬窝袑W". Re-encoding the run as GBK and dropping its first byte restores all characters
but the first, whose lead byte is lost; that one is recovered when a lead byte gives a
character the document itself uses often, else it becomes U+FFFD.

Detection is statistical, not a list of known strings: a run is a candidate when its
characters do not pair into the character bigrams of real words (jieba's dictionary, which
the project ships anyway), and it is repaired only when the shifted reading pairs into words
far better than the text as it stands. Names and rare terms that merely look odd stay, since
their shifted reading is garbage too.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache

import numpy as np

from orgwork.pipeline.lexicon import (  # jieba's dict.txt, parsed once per process
    code_points,
    load_cached,
    load_lexicon,
    pair_table,
    pairs_in_table,
)
from orgwork.pipeline.script import to_simplified, to_simplified_char

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
PUA = re.compile(r"[\ue000-\uf8ff]")
# A candidate run: Han characters, full-width punctuation and the other characters GBK's
# two-byte area holds (symbol rows: Greek, Cyrillic, kana, box drawing, circled numbers; the
# user-defined area as private-use characters), where shifted bytes land, optionally closed by
# one ASCII character that can be a GBK trail byte (0x40–0x7E): that is how such runs end
# ("袑W").
RUN = re.compile(
    r"[\u3400-\u9fff\uf900-\ufaff\ue000-\uf8ff\u3000-\u30ff\u3200-\u33ff\uff01-\uffe5"
    r"\u0391-\u03c9\u0401-\u0451\u2010-\u2312\u2460-\u254b\u2550-\u2642\ufffd]+[\x40-\x7e]?"
)
IN_STEP_PUNCT = frozenset("，。、；：？！")
# Inline pinyin that belonged to a character inside the repaired run: 學(xué).
PINYIN_AFTER = re.compile(r"^[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}[)）]")
# Mean log10 character probability: real text scores about -2.8 to -3.4, shifted GBK
# readings -4 to -5.5. A repair must reach MIN_REPAIRED_LOGP and gain MIN_GAIN over the text
# as it stands.
MIN_REPAIRED_LOGP = -3.6
MIN_GAIN = 0.8
# A suspect whose characters are this common cannot be shifted garbage (which reads -4 to
# -5.5): skipping it saves trying every window around it.
MAX_SUSPECT_LOGP = -3.6
# Summed over the characters read: a repair must make the run ~10^3.5 times likelier. Short
# runs (a name read shifted can give two common characters) need a larger gain per character.
MIN_EVIDENCE = 3.5
UNKNOWN_LOGP = -7.0
# The part of a repair that is read, not guessed, must hold this many Han characters: with
# fewer, one frequent character can come out of random bytes by chance.
MIN_REST_HAN = 2
# What a repaired run may contain: Han, common Chinese punctuation, ASCII. A reading that
# yields kana, box drawing, circled or full-width digits (GB2312 rows 2–9) is garbage.
PLAUSIBLE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff，。、；：？！“”‘’《》（）…—\x20-\x7e]*")
# ... and at least this share of them must pair into dictionary words: common characters in
# a random order (a shifted reading of a name) do not.
MIN_REST_SUPPORT = 0.5
# How far the garbage may reach past the last unpaired character (it can pair by chance).
MAX_EXTEND = 3
# A word must be at least this frequent in jieba's dictionary for its pairs to count: very
# rare entries would let random garbage pair up.
MIN_WORD_FREQ = 5
# Lost lead byte: the recovered first character must occur this often elsewhere in the text.
MIN_FIRST_CHAR_COUNT = 2


@lru_cache(maxsize=1)
def char_model() -> tuple[frozenset[str], dict[str, float]]:
    """From jieba's dict.txt (Simplified): the character bigrams inside dictionary words and
    each character's log10 probability (word frequencies summed over the words holding it).
    Built once and kept with the lexicon's cache."""
    return load_cached("char-model", _build_char_model)


def _build_char_model() -> tuple[frozenset[str], dict[str, float]]:

    pairs: set[str] = set()
    freq: Counter = Counter()
    for word, (n, _) in load_lexicon().items():
        for ch in word:
            freq[ch] += n
        if len(word) >= 2 and n >= MIN_WORD_FREQ:
            pairs.update(word[i : i + 2] for i in range(len(word) - 1))
    total = sum(freq.values())
    logp = {ch: math.log10(n / total) for ch, n in freq.items()}
    return frozenset(pairs), logp


def word_pairs() -> frozenset[str]:
    return char_model()[0]


@lru_cache(maxsize=65536)  # called on short runs, the same names again and again
def mean_logp(text: str) -> float:
    """Mean log10 unigram probability of the Han (and private-use) characters; unknown ones
    count as very rare."""
    logp = char_model()[1]
    han = [ch for ch in simplified(text) if HAN.match(ch) or PUA.match(ch)]
    if not han:
        return UNKNOWN_LOGP
    return sum(logp.get(ch, UNKNOWN_LOGP) for ch in han) / len(han)


# Below this length a string is converted a character at a time from a cache: the candidate
# runs scored here are short, and a call into OpenCC costs more than a dozen cached lookups.
SHORT_TEXT = 16


def simplified(text: str) -> str:
    """Character-for-character Simplified form (same length, so positions still match)."""
    if len(text) < SHORT_TEXT:
        return "".join(map(to_simplified_char, text))
    out = to_simplified(text)
    return out if len(out) == len(text) else "".join(map(to_simplified_char, text))


def support(text: str) -> float:
    """Share of Han characters that form a dictionary-word pair with a neighbour."""
    pairs = word_pairs()
    simp = simplified(text)
    han = [i for i, ch in enumerate(simp) if HAN.match(ch)]
    if not han:
        return 0.0
    ok = sum(1 for i in han if simp[max(i - 1, 0) : i + 1] in pairs or simp[i : i + 2] in pairs)
    return ok / len(han)


@lru_cache(maxsize=1)
def pair_keys() -> np.ndarray:
    """The word pairs as sorted integers (first code point << 21 | second): looked up for a
    whole text at once with numpy instead of one string per character."""
    # Kept between runs as bytes: sorting the pairs cost 0.1 s of every start.
    build = lambda: pair_table(word_pairs()).tobytes()  # noqa: E731
    return np.frombuffer(load_cached("pair-keys", build), dtype=np.uint64)


def _unsupported_runs(text: str, simp: str | None = None) -> list[tuple[int, int]]:
    """Spans of 2+ Han characters in a row that pair with no neighbour (or private-use
    characters): candidate garbage. ``simp`` is simplified(text) when the caller has it."""
    simp = simplified(text) if simp is None else simp
    if len(simp) < 2:
        return []
    # This test runs on every text, so it runs on arrays (pairs_in_table).
    codes = code_points(simp)
    found = pairs_in_table(codes, pair_keys())
    ok = np.zeros(len(codes), dtype=bool)  # character i pairs with a neighbour
    ok[:-1] |= found
    ok[1:] |= found
    han = ((codes >= 0x3400) & (codes <= 0x9FFF)) | ((codes >= 0xF900) & (codes <= 0xFAFF))
    pua = (codes >= 0xE000) & (codes <= 0xF8FF)
    bad = np.concatenate(([0], ((han & ~ok) | pua).view(np.int8), [0]))
    edges = np.diff(bad)
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    long = ends - starts >= 2
    return list(zip(starts[long].tolist(), ends[long].tolist(), strict=True))


@lru_cache(maxsize=256)
def _lead_candidates(trail: int) -> tuple[str, ...]:
    """Every GBK character with this trail byte, one per possible lead byte (computed once)."""
    found = []
    for lead in range(0x81, 0xFF):
        try:
            found.append(bytes([lead, trail]).decode("gbk"))
        except UnicodeDecodeError:
            continue
    return tuple(found)


class CharCounts:
    """How often each character occurs in a text, counted at the first question: most texts
    with candidate runs never need it (no repair is accepted)."""

    def __init__(self, text: str):
        self.text = text
        self.counts: Counter | None = None

    def get(self, ch: str, default: int = 0) -> int:
        if self.counts is None:
            self.counts = Counter(self.text)
        return self.counts.get(ch, default)


def _first_char(trail: int, counts: CharCounts) -> str:
    """The character whose lost lead byte, with this trail byte, the text uses most."""
    best, best_n = "\ufffd", MIN_FIRST_CHAR_COUNT - 1
    for ch in _lead_candidates(trail):
        n = counts.get(ch, 0)
        if n > best_n:
            best, best_n = ch, n
    return best


def _shifted_rest(run: str) -> tuple[int, str] | None:
    """(first byte, the rest read from the second byte on) of the run's GBK bytes.

    gb18030 is GBK plus a mapping of the user-defined area to private-use characters, so the
    private-use characters of a garbled run turn back into their bytes. The first character
    (its lead byte lost) is guessed only for a reading that is accepted: guessing is costly.
    """
    try:
        raw = run.encode("gb18030")
    except UnicodeEncodeError:
        return None
    if len(raw) < 3 or raw[0] < 0x40:
        return None
    return raw[0], raw[1:].decode("gb18030", errors="replace")


def repair_mojibake(text: str, simp: str | None = None) -> tuple[str, list[str]]:
    """Returns (text, notes of repairs): mojibake runs replaced by what they encode.

    Characters that cannot be recovered (a lost lead byte, a dangling byte at a run's end)
    become U+FFFD, which normalize marks as unusable.
    """
    if not HAN.search(text):
        return text, []
    suspects = _unsupported_runs(text, simp)
    if not suspects:
        return text, []
    counts = CharCounts(text)
    runs = [m.span() for m in RUN.finditer(text)]
    run_starts = [s for s, _ in runs]
    notes: list[str] = []
    onsets: set[str] = set()  # the characters the proven runs followed
    out: list[str] = []
    pos = 0
    for a, b in _clusters(suspects):
        if a < pos or mean_logp(text[a:b]) > MAX_SUSPECT_LOGP:
            continue  # common characters that merely pair into no word: names, not garbage
        k = bisect_right(run_starts, a) - 1  # the candidate run holding the suspect, if any
        start, end = runs[k] if k >= 0 and b <= runs[k][1] else (a, b)
        fix = _best_repair(text, max(start, pos), end, a, b, counts)
        if fix is None:
            continue
        s, e, new = fix
        tail = PINYIN_AFTER.match(text[e:])
        if tail:  # the annotation of the repaired run's last character
            e += tail.end()
        out.append(text[pos:s])
        out.append(new)
        notes.append(f"repaired mojibake at {s}: {text[s:e]!r} → {new!r}")
        if s:
            onsets.add(text[s - 1])
        pos = e
    out.append(text[pos:])
    if not onsets:
        return "".join(out), notes
    return _repair_short_runs("".join(out), onsets, notes)


def _repair_short_runs(text: str, onsets: set[str], notes: list[str]) -> tuple[str, list[str]]:
    """Second pass, only in a text proven to have been read out of step: runs of one or two
    garbled characters ("!懊總", "!敖M織") hold too few characters for the evidence the first
    pass asks, so they are taken only where this text's proven runs began (the same converter
    fault strikes at the same byte pattern: after the same character) and only when the
    shifted reading is plausible and much likelier than the text as it stands."""
    counts = CharCounts(text)
    pairs = word_pairs()
    out: list[str] = []
    pos = 0
    # A Han character right after an onset, found in C: a loop over every character was
    # slow in the texts (rare, but long ones exist) that reach this pass.
    after_onset = re.compile(f"(?<=[{''.join(map(re.escape, sorted(onsets)))}]){HAN.pattern}")
    for i in (m.start() for m in after_onset.finditer(text, 1, len(text) - 1)):
        if i < pos:
            continue
        if simplified(text[i : i + 2]) in pairs:
            continue  # the character pairs into a word with the next: in step
        best = None
        for e in range(i + 1, min(i + 4, len(text)) + 1):
            run = text[i:e]
            if not RUN.fullmatch(run):
                break
            shifted = _shifted_rest(run)
            if shifted is None:
                continue
            trail, read = shifted
            rest = read.rstrip("\ufffd")
            if not HAN.search(rest) or "\ufffd" in rest or not PLAUSIBLE.fullmatch(rest):
                continue
            after = mean_logp(rest)
            gain = after - mean_logp(run)
            if after >= MIN_REPAIRED_LOGP and gain >= MIN_GAIN and (not best or after > best[0]):
                best = (after, e, _first_char(trail, counts) + read)
        if best is None:
            continue
        _, e, new = best
        out.append(text[pos:i])
        out.append(new)
        notes.append(f"repaired mojibake at {i}: {text[i:e]!r} → {new!r}")
        pos = e
    out.append(text[pos:])
    return "".join(out), notes


def _clusters(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Suspect spans merged when at most two characters (paired by chance) separate them."""
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a - merged[-1][1] <= 2:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


# Names recur across a corpus (a county's own, its officials'): their verdicts are cached.
@lru_cache(maxsize=65536)
def _accepted_reading(run: str) -> tuple[float, int, str] | None:
    """(mean log10 probability, first byte, reading from the second byte on) of ``run``
    read one byte back in step, when that reading is an acceptable repair; else None."""
    shifted = _shifted_rest(run)
    if shifted is None:
        return None
    trail, read = shifted
    if any(ch < " " for ch in read) or read.count("\ufffd") > 2:
        return None
    rest = read.rstrip("\ufffd")  # the first character is guessed later, not read
    han = len(HAN.findall(rest))
    if han < MIN_REST_HAN or not PLAUSIBLE.fullmatch(rest):
        return None
    if support(rest) < MIN_REST_SUPPORT:
        return None
    after = mean_logp(rest)
    gain = after - mean_logp(run)
    evidence = gain * han  # log10 likelihood ratio, roughly
    if after >= MIN_REPAIRED_LOGP and gain >= MIN_GAIN and evidence >= MIN_EVIDENCE:
        return after, trail, read
    return None


def _best_repair(
    text: str, start: int, end: int, a0: int, b0: int, counts: CharCounts
) -> tuple[int, int, str] | None:
    """The (start, end, replacement) of the garbage around the suspect span [a0, b0) inside
    the candidate run [start, end), or None."""
    ends = set(range(b0, min(b0 + MAX_EXTEND, end) + 1))
    if end - b0 <= 2 * MAX_EXTEND:
        ends.add(end)  # up to the ASCII character where the reader got back in step
    # Never end on the punctuation of the text around the garbage: a "、" read in step is the
    # reader back in step, and taking it in pairs its bytes with the garbage's last byte into
    # a wrong character (草帽、 garbled and read back as 草谩).
    ends = {e for e in ends if text[e - 1] not in IN_STEP_PUNCT}
    found: dict[int, tuple[float, int, int, str]] = {}
    # The garbage starts at or a little before the first unpaired character (a garbage
    # character can pair by chance).
    for s in range(a0, max(start, a0 - 2) - 1, -1):  # on a tie the later start wins
        for e in sorted(ends):
            reading = _accepted_reading(text[s:e].rstrip("\ufffd"))
            if reading is not None:
                after, trail, read = reading
                found[s] = (after, s, e, trail, read)  # ends ascend: the longest one stays
    # Among the starts the most word-like reading wins: a window that starts too early adds
    # a wrongly paired character and reads worse.
    best = max(found.values(), default=None, key=lambda f: (f[0], f[1]))
    if best is None:
        return None
    _, s, e, trail, read = best
    new = _first_char(trail, counts) + read
    return None if new.count("\ufffd") > 2 else (s, e, new)
