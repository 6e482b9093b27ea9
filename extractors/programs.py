"""Programmes: named initiatives (“蓬江夜校”, “菁蓝”工程, unquoted 农村党建攻坚行动), not slogans.

A quotation is a programme when its own text ends in a type word, when a type word closes
the phrase right after it, or when an initiative verb (实施, 开展, 建立…) stands right
before it. Back-to-back quotations (“上派”“下挂”) share that evidence. Rules: data/programs.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from extractors.quotes import find_short_quotes
from pipeline.document import Document, Program, make_id

DATA = Path(__file__).parent / "data" / "programs.toml"
GROUP_GLUE = set("、和与及")


@dataclass(frozen=True)
class Rules:
    type_set: frozenset[str]
    type_lengths: tuple[int, ...]  # the lengths of type words, longest first
    unquoted: re.Pattern
    verb_set: frozenset[str]
    verb_lengths: tuple[int, ...]
    type_window: int
    type_blockers: list[str]
    name_closers: str
    slogans: list[re.Pattern]
    max_name_chars: int
    min_name_chars: int


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA) -> Rules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    types = sorted(set(raw["type_words"]), key=len, reverse=True)
    verbs = sorted(raw["initiative_verbs"], key=len, reverse=True)
    unquoted_types = sorted(raw["unquoted_type_words"], key=len, reverse=True)
    if not set(unquoted_types) <= set(types):
        raise ValueError(f"{path}: unquoted_type_words must be type_words too")
    # The lookahead lets the regex engine skip positions no verb starts at.
    verb_starts = re.escape("".join(sorted({v[0] for v in verbs})))
    unquoted = re.compile(
        f"(?=[{verb_starts}])(?:{'|'.join(map(re.escape, verbs))})"
        rf"(?P<name>[\u4e00-\u9fff]{{2,{raw['max_name_chars']}}}?"
        f"(?P<type>{'|'.join(map(re.escape, unquoted_types))}))"
        r"(?=[，,。；;、])"
    )
    try:
        slogans = [re.compile(p) for p in raw["slogan_patterns"]]
    except re.error as exc:
        raise ValueError(f"{path}: bad slogan pattern: {exc}") from exc
    return Rules(
        type_set=frozenset(types),
        type_lengths=tuple(sorted({len(t) for t in types}, reverse=True)),
        unquoted=unquoted,
        verb_set=frozenset(verbs),
        verb_lengths=tuple(sorted({len(v) for v in verbs}, reverse=True)),
        type_window=int(raw["type_window"]),
        type_blockers=raw["type_blockers"],
        name_closers=raw["name_closers"],
        slogans=slogans,
        max_name_chars=int(raw["max_name_chars"]),
        min_name_chars=int(raw["min_name_chars"]),
    )


def _own_type(name: str, rules: Rules) -> str:
    """The type word a quoted name ends with (蓬江夜校 → 夜校), if the name is more than it;
    the longest such word. Looked up by length in a set: a handful of lookups, not one
    comparison per type word."""
    for n in rules.type_lengths:
        if len(name) > n and name[-n:] in rules.type_set:
            return name[-n:]
    return ""


def _type_after(text: str, pos: int, rules: Rules) -> tuple[str, int]:
    """A type word closing the phrase that starts at ``pos`` (right after a quote): at the
    first position where one ends the phrase, the longest that does."""
    window = text[pos : pos + rules.type_window + 4]
    for i in range(min(rules.type_window, len(window))):
        ch = window[i]
        if not ("\u4e00" <= ch <= "\u9fff"):
            break
        for n in rules.type_lengths:
            t = window[i : i + n]
            if len(t) < n or t not in rules.type_set:
                continue
            rest = window[i + n :]
            if any(rest.startswith(b) for b in rules.type_blockers):
                continue
            if not rest or rest[0] in rules.name_closers:
                return t, pos + i + n
    return "", pos


def _quote_groups(text: str, quotes: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Quotations standing back to back or joined by 、和 form one group."""
    groups: list[list[tuple[int, int]]] = []
    for s, e in quotes:
        if groups:
            prev_end = groups[-1][-1][1]
            between = text[prev_end + 1 : s - 1]
            if len(between) <= 1 and set(between) <= GROUP_GLUE:
                groups[-1].append((s, e))
                continue
        groups.append([(s, e)])
    return groups


def find_programs(doc: Document, options: dict | None = None) -> list[Program]:
    """Programmes named in the text, one record per distinct name (its first mention)."""
    rules = load_rules()
    text = doc.text
    found: list[Program] = []
    for group in _quote_groups(text, find_short_quotes(text)):
        first_open = group[0][0] - 1
        last_close = group[-1][1] + 1
        verb_before = any(
            text[max(0, first_open - n) : first_open] in rules.verb_set for n in rules.verb_lengths
        )
        shared_type, type_end = _type_after(text, last_close, rules)
        for s, e in group:
            name = text[s:e].strip()
            if not _acceptable(name, rules):
                continue
            own = _own_type(name, rules)
            if not (own or shared_type or verb_before):
                continue
            is_last = (s, e) == group[-1]
            if own:
                full_name, type_ = name, own
            elif shared_type and is_last:
                full_name, type_ = name + text[last_close:type_end], shared_type
            else:
                full_name, type_ = name, shared_type
            end = type_end if shared_type and is_last and not own else e + 1
            found.append(_program(doc, name, full_name, type_, s - 1, end))
    for m in rules.unquoted.finditer(text):
        if doc.is_unusable(m.start(), m.end()):
            continue
        name = m.group("name")
        found.append(_program(doc, name, name, m.group("type"), m.start("name"), m.end("name")))
    return _dedupe(found)


def _acceptable(name: str, rules: Rules) -> bool:
    if not rules.min_name_chars <= len(name) <= rules.max_name_chars:
        return False
    if name in rules.type_set:
        return False  # “夜校” alone names no particular initiative
    return not any(p.search(name) for p in rules.slogans)


def _program(doc: Document, name: str, full_name: str, type_: str, start: int, end: int):
    return Program(
        name=name,
        full_name=full_name,
        type=type_,
        start=start,
        end=end,
        text=doc.text[start:end],
    )


def _dedupe(programs: list[Program]) -> list[Program]:
    """One record per name: the first mention, with the count of mentions."""
    by_name: dict[str, Program] = {}
    for p in sorted(programs, key=lambda p: p.start):
        if p.name in by_name:
            kept = by_name[p.name]
            kept.mentions += 1
            if not kept.type and p.type:
                kept.type, kept.full_name = p.type, p.full_name
            continue
        if any(p.start < q.end and q.start < p.end for q in by_name.values()):
            continue  # an unquoted match overlapping a quoted one
        by_name[p.name] = p
    return list(by_name.values())


def assign_program_ids(doc: Document) -> None:
    for p in doc.programs:
        p.program_id = make_id(doc.doc_id, "program", p.name)
