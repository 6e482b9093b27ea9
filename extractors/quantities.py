"""Quantities: headcounts, percentages, counts and durations, found in the character text.

Numbers are found on characters, not tokens, because jieba splits 1800/多名 and 800/多人次.
Rules (units, qualifiers, blocks) live in data/quantities.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cn2an

from orgwork.extractors.quotes import find_short_quotes, inside_any
from orgwork.pipeline.document import Document, Measure

DATA = Path(__file__).parent / "data" / "quantities.toml"
KINDS = {"headcount", "percentage", "count", "duration"}
QUALIFIERS = {"exact", "more_than", "at_least", "less_than", "at_most", "approx"}

CN_DIGITS = "零〇一二两三四五六七八九"
# 三点五万, 十二点四: a decimal point written 点, digits after it, maybe a multiplier
CN_NUM = f"[{CN_DIGITS}十百千万亿]+(?:点[{CN_DIGITS}]+[万千亿]?)?|半"
# 1,200: a comma before exactly three digits groups thousands (a clause comma is followed by
# words); so does one space in a typeset book (2 500名, 1 756人次: gazetteers, yearbooks).
AR_NUM = r"(?:\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?: \d{3})+(?!\d)|\d+)(?:\.\d+)?(?:[万千亿])?"


@dataclass(frozen=True)
class Rules:
    units: dict[str, tuple[str, str]]
    unit_qualifiers: dict[str, str]  # 个多月: the qualifier a measure word holds
    before: dict[str, str]
    inner: dict[str, str]
    after: dict[str, str]
    range_separators: list[str]
    period_suffixes: tuple[str, ...]  # tuples: str.startswith and endswith take them whole
    blocked_before: tuple[str, ...]
    blocked_after: tuple[str, ...]
    unblocked_after: tuple[str, ...]
    duration_blocked_before: tuple[str, ...]
    duration_blocked_after: tuple[str, ...]
    duration_max_years: int
    recent_units: frozenset[str]
    length_openers: tuple[str, ...]  # 为期近一年: a length after them, never the recent past
    single_digit_units: frozenset[str]
    digit_only_units: frozenset[str]
    back_reference_before: tuple[str, ...]
    title_brackets: re.Pattern  # a whole 《…》 title
    indefinite_one: bool
    idiom_at: re.Pattern  # the longest idiom starting at a position (a lookahead)
    idiom_max_len: int
    noise: list[re.Pattern]
    pattern: re.Pattern
    double_range: re.Pattern
    percent_pattern: re.Pattern


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA) -> Rules:
    """Load and check the quantity rules; errors name the file and the entry."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    units = {}
    for word, (kind, unit) in raw["units"].items():
        if kind not in KINDS:
            raise ValueError(f"{path}: unit {word!r} has unknown kind {kind!r}")
        units[word] = (kind, unit)
    quals = raw["qualifiers"]
    for group in ("before", "inner", "after"):
        for word, q in quals[group].items():
            if q not in QUALIFIERS:
                raise ValueError(f"{path}: qualifier {word!r} maps to unknown {q!r}")
    for word, q in raw["unit_qualifiers"].items():
        if word not in units or q not in QUALIFIERS:
            raise ValueError(f"{path}: unit qualifier {word!r} = {q!r}: no such unit or qualifier")
    r = raw["rules"]
    number = rf"(?:{AR_NUM}|{CN_NUM})"
    # Every match starts with a qualifier or a numeral: this lookahead lets the regex engine
    # skip other positions at once instead of trying each alternative there (3× faster).
    starts = "".join(sorted({w[0] for w in quals["before"]} | set(CN_DIGITS + "十百千万亿半")))
    start = rf"(?=[\d{re.escape(starts)}])"
    pattern = re.compile(
        rf"{start}(?P<pre>{_alternation(quals['before'])})?"
        rf"(?P<num>{number})"
        rf"(?:\s*(?P<sep>{_alternation(r['range_separators'])})\s*(?P<num2>{number}))?"
        rf"\s*(?P<inner>{_alternation(quals['inner'])})?(?P<scale>[万千])?"
        rf"(?P<unit>{_alternation(units)})"
        rf"(?P<half>半(?![天月]))?"
        rf"(?P<inner2>{_alternation(quals['inner'])})?"
        rf"(?P<post>{_alternation(quals['after'])})?"
    )
    # 半年至一年, 3个月到6个月: the unit written on both ends of a range.
    double_range = re.compile(
        rf"{start}(?P<pre>{_alternation(quals['before'])})?"
        rf"(?P<num>{number})(?P<unit1>{_alternation(units)})"
        rf"\s*(?P<sep>{_alternation(r['range_separators'])})\s*"
        rf"(?P<num2>{number})(?P<unit>{_alternation(units)})"
        rf"(?P<post>{_alternation(quals['after'])})?"
    )
    percent = re.compile(
        rf"{start}(?P<pre>{_alternation(quals['before'])})?"
        rf"(?:(?P<num>{number})\s*(?:{_alternation(r['percent_signs'])})"  # 三个百分点 too
        # 提高2.5个和0.9个百分点: the first shares the unit written after the second
        rf"|(?P<shared>{number})个(?=(?:{_alternation(r['shared_unit_joiners'])}){number}个?百分点)"
        rf"|百分之(?P<cnpct>{number})"
        rf"|(?P<den>{number})分之(?P<nom>{number})"
        rf"|(?P<tenths>[一二三四五六七八九])成(?=以上|左右|多|的|[,，。；;、“‘]|$))"
        rf"(?P<post>{_alternation(quals['after'])})?"
    )
    for pair in r["title_brackets"]:
        if len(pair) != 2 or not all(isinstance(c, str) and len(c) == 1 for c in pair):
            raise ValueError(f"{path}: title bracket {pair!r} is not an opening and a closing mark")
    titles = "|".join(
        rf"{re.escape(o)}[^{re.escape(o + c)}\n]{{1,{int(r['title_bracket_max'])}}}{re.escape(c)}"
        for o, c in r["title_brackets"]
    )
    try:
        noise = [re.compile(p) for p in r["noise_patterns"]]
    except re.error as exc:
        raise ValueError(f"{path}: bad noise pattern: {exc}") from exc
    return Rules(
        units=units,
        unit_qualifiers=dict(raw["unit_qualifiers"]),
        before=quals["before"],
        inner=quals["inner"],
        after=quals["after"],
        range_separators=r["range_separators"],
        period_suffixes=tuple(r["period_suffixes"]),
        blocked_before=tuple(r["blocked_before"]),
        blocked_after=tuple(r["blocked_after"]),
        unblocked_after=tuple(r["unblocked_after"]),
        duration_blocked_before=tuple(r["duration_blocked_before"]),
        duration_blocked_after=tuple(r["duration_blocked_after"]),
        duration_max_years=int(r["duration_max_years"]),
        recent_units=frozenset(r["recent_units"]),
        length_openers=tuple(r["length_openers"]),
        single_digit_units=frozenset(r["single_digit_units"]),
        digit_only_units=frozenset(r["digit_only_units"]),
        back_reference_before=tuple(r["back_reference_before"]),
        title_brackets=re.compile(titles or "(?!)"),
        indefinite_one=bool(r["indefinite_one"]),
        idiom_max_len=max(map(len, r["idioms"]), default=0),
        idiom_at=re.compile(f"(?=({_alternation(r['idioms'])}))" if r["idioms"] else "(?!)"),
        noise=noise,
        pattern=pattern,
        double_range=double_range,
        percent_pattern=percent,
    )


@lru_cache(maxsize=4096)  # the same numerals recur (两, 三, 100): cn2an checks each at length
def parse_number(text: str) -> float | None:
    """Arabic or Chinese numeral → value: 1.5万 → 15000, 两 → 2, 百 → 100, 半 → 0.5."""
    text = text.strip().replace(",", "").replace(" ", "")
    if not text:
        return None
    if text == "半":
        return 0.5
    multipliers = {"万": 1e4, "千": 1e3, "亿": 1e8}
    if text[0].isdigit():
        scale = multipliers.get(text[-1], 1)
        digits = text[:-1] if scale != 1 else text
        try:
            return float(digits) * scale
        except ValueError:
            return None
    if text[0] in "百千万亿":  # 百 alone means one hundred; cn2an wants the leading 一
        text = "一" + text
    if "点" in text and text[-1] in multipliers:  # 三点五万: cn2an reads no multiplier there
        head = parse_number(text[:-1])
        return head * multipliers[text[-1]] if head is not None else None
    try:
        return float(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, IndexError):
        return None


def _clean_value(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _blocked(doc_text: str, start: int, end: int, rules: Rules) -> bool:
    before = doc_text[max(0, start - 2) : start]
    after = doc_text[end : end + 4]
    if after.startswith(rules.unblocked_after):
        return before.endswith(rules.blocked_before)  # 45期不同班次: 不同 is an adjective
    return before.endswith(rules.blocked_before) or after.startswith(rules.blocked_after)


def _in_idiom(text: str, start: int, end: int, rules: Rules) -> bool:
    """Whether an idiom (一心一意) covers part of [start, end). One regex pass over the
    window: at each position the longest idiom, which overlaps whenever a shorter one does."""
    longest = rules.idiom_max_len
    for m in rules.idiom_at.finditer(text, max(0, start - longest + 1), end + longest):
        if m.start() < end and m.start() + len(m.group(1)) > start:
            return True
    return False


def _noise_spans(text: str, rules: Rules) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for p in rules.noise for m in p.finditer(text)]


def _title_spans(text: str, rules: Rules) -> tuple[tuple[int, int], ...]:
    """Inner spans of 《…》 titles, in text order and not overlapping (for inside_any)."""
    return tuple((m.start() + 1, m.end() - 1) for m in rules.title_brackets.finditer(text))


def find_quantities(doc: Document) -> list[Measure]:
    """All measures in the body of doc.text (title line excluded), in text order."""
    rules = load_rules()
    text = doc.text
    body_start = text.find("\n") + 1 if doc.title and text.startswith(doc.title) else 0
    noise = _noise_spans(text, rules)
    quotes = find_short_quotes(text)
    titles = _title_spans(text, rules)
    found: list[Measure] = []

    def usable(start: int, end: int) -> bool:
        if start < body_start or doc.is_unusable(start, end):
            return False
        if any(s < end and start < e for s, e in noise):
            return False
        if inside_any(quotes, start, end) or inside_any(titles, start, end):
            return False
        return not _in_idiom(text, start, end, rules)

    for pattern in (rules.double_range, rules.pattern):
        for m in pattern.finditer(text):
            measure = _unit_measure(m, text, rules)
            if measure and usable(measure.start, measure.end):
                found.append(measure)
    for m in rules.percent_pattern.finditer(text):
        measure = _percent_measure(m, rules)
        if measure and usable(measure.start, measure.end):
            found.append(measure)
    found.sort(key=lambda x: x.start)
    return _drop_overlaps(found)


def _unit_measure(m: re.Match, text: str, rules: Rules) -> Measure | None:
    num_text = m.group("num")
    kind, unit = rules.units[m.group("unit")]
    groups = m.groupdict()
    if groups.get("unit1") and rules.units[groups["unit1"]] != (kind, unit):
        return None
    if num_text[0] == "0" and num_text[1:2].isdigit():
        return None  # 08年, 09级: a number written with a leading zero is a year or a code
    if not num_text[0].isdigit() and text[m.start() - 1 : m.start()].isdigit():
        return None  # 二00八年: the end of a year written in both scripts
    if m.group("unit") in rules.digit_only_units and not num_text[0].isdigit():
        return None
    value = parse_number(num_text)
    if value is None or value == 0:
        return None
    if "." in num_text and len(num_text.split(".")[1].rstrip("万千亿")) > 2:
        return None  # 1.2014年: a list number before a year, not a quantity
    if groups.get("scale"):
        value *= 1e4 if groups["scale"] == "万" else 1e3  # 七十余万人次
    if groups.get("half"):
        if kind != "duration":
            return None
        value += 0.5  # 一年半
    value_max = parse_number(m.group("num2")) if m.group("num2") else None
    if m.group("num2") and (value_max is None or value_max <= value):
        return None  # "2024-2025年" and the like are not ranges of a quantity
    pre = m.group("pre") or ""
    inner = groups.get("inner") or groups.get("inner2") or ""
    if m.group("unit") in rules.single_digit_units and not (
        len(num_text) == 1 and num_text in "二两三四五六七八九23456789"
    ):
        return None
    only_multiplier = num_text[0] in "百千万亿"
    if only_multiplier and not (pre or inner):
        return None  # bare 千/万 is rhetoric (千名干部进千企); 近百, 千余名 are figures
    if kind == "duration":
        if unit == "年" and value > rules.duration_max_years:
            return None  # a calendar year (2021年, the Republic of China's 九十八年)
        after = text[m.end() : m.end() + 2]
        if after.startswith(rules.period_suffixes) and not m.group("post"):
            return None  # 3年来, 5年内: a time scope, recorded as period
        if after.startswith(rules.duration_blocked_after) or after[:1].isdigit():
            return None  # 50年代; 一个月1000元 is a rate
        if text[max(0, m.start() - 2) : m.start()].endswith(rules.duration_blocked_before):
            return None  # 未来五年, 连续两年: a time scope
        if (
            pre in ("近", "将近", "接近", "最近")
            and unit in rules.recent_units
            and not text[max(0, m.start() - 2) : m.start()].endswith(rules.length_openers)
        ):
            return None  # 近两年: "the last two years", a time scope (近3个小时: about 3)
    elif (
        rules.indefinite_one
        and num_text == "一"
        and not (pre or m.group("num2") or m.group("post"))
    ):
        return None  # 一批干部, 一场活动: the indefinite article (一期以上, 至少一名: figures)
    start = m.start()
    if _blocked(text, start, m.end(), rules):
        return None
    if kind != "headcount" and text[start - 1 : start].endswith(rules.back_reference_before):
        return None  # 这两个重要举措: things named before; 这5名拟任人选 is still a figure
    qualifier = rules.unit_qualifiers.get(m.group("unit"), "exact")
    for group, table in (("pre", rules.before), ("inner", rules.inner), ("inner2", rules.inner)):
        if groups.get(group):
            qualifier = table[groups[group]]
    if m.group("post"):
        qualifier = rules.after[m.group("post")]
    return Measure(
        kind=kind,
        value=_clean_value(value),
        value_max=_clean_value(value_max) if value_max is not None else None,
        unit=unit,
        qualifier=qualifier,
        start=start,
        end=m.end(),
        text=text[start : m.end()],
    )


def _percent_measure(m: re.Match, rules: Rules) -> Measure | None:
    if m.group("num") or m.group("shared"):
        value = parse_number(m.group("num") or m.group("shared"))
    elif m.group("cnpct"):
        value = parse_number(m.group("cnpct"))
    elif m.group("tenths"):
        tenths = parse_number(m.group("tenths"))
        value = tenths * 10 if tenths is not None else None
    else:
        den, nom = parse_number(m.group("den")), parse_number(m.group("nom"))
        value = nom / den * 100 if den and nom is not None and nom <= den else None
    if value is None:
        return None
    qualifier = rules.before.get(m.group("pre") or "", "exact")
    if m.group("post"):
        qualifier = rules.after[m.group("post")]
    return Measure(
        kind="percentage",
        value=_clean_value(value),
        unit="%",
        qualifier=qualifier,
        start=m.start(),
        end=m.end(),
        text=m.group(0),
    )


def _drop_overlaps(measures: list[Measure]) -> list[Measure]:
    kept: list[Measure] = []
    for m in measures:
        if kept and m.start < kept[-1].end:
            if (m.end - m.start) > (kept[-1].end - kept[-1].start):
                kept[-1] = m
            continue
        kept.append(m)
    return kept
