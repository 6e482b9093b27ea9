"""Context of each measure: sentence, period, modality, subject, category, programme.

Rules live in data/context.toml (the category taxonomy is documented in the README).
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.document import Document, Measure, Program
from pipeline.lexicon import tag_of

DATA = Path(__file__).parent / "data" / "context.toml"
CLAUSE_BREAK = re.compile(r"[,，、:：()（）]")
FULL_STOP_CHARS = "。！？!?\n"
OTHER = "other"  # no taxonomy keyword near the figure


@dataclass(frozen=True)
class Rules:
    periods: re.Pattern
    planned_cues: list[str]
    reported_cues: list[str]
    planning_titles: list[str]
    subject_stops: set[str]
    subject_noun_tags: set[str]
    subject_modifier_tags: set[str]
    subject_glue: set[str]
    subject_max_chars: int
    taxonomy: dict[str, list[str]]
    category_words: re.Pattern
    word_category: dict[str, str]
    weak_categories: set[str]


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA) -> Rules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        periods = re.compile("|".join(f"(?:{p})" for p in raw["periods"]))
    except re.error as exc:
        raise ValueError(f"{path}: bad period pattern: {exc}") from exc
    taxonomy = {k: list(v) for k, v in raw["taxonomy"].items()}
    if not taxonomy or any(not words for words in taxonomy.values()):
        raise ValueError(f"{path}: every taxonomy category needs keywords")
    if not set(raw["weak_categories"]) <= set(taxonomy):
        raise ValueError(f"{path}: weak_categories must be taxonomy categories")
    words = sorted({w for ws in taxonomy.values() for w in ws}, key=len, reverse=True)
    return Rules(
        periods=periods,
        planned_cues=raw["planned_cues"],
        reported_cues=raw["reported_cues"],
        planning_titles=raw["planning_titles"],
        subject_stops=set(raw["subject_stops"]),
        subject_noun_tags=set(raw["subject_noun_tags"]),
        subject_modifier_tags=set(raw["subject_modifier_tags"]),
        subject_glue=set(raw["subject_glue"]),
        subject_max_chars=int(raw["subject_max_chars"]),
        taxonomy=taxonomy,
        category_words=re.compile("|".join(re.escape(w) for w in words)),
        # a keyword listed under two categories belongs to the first
        word_category={w: c for c, ws in reversed(taxonomy.items()) for w in ws},
        weak_categories=set(raw["weak_categories"]),
    )


def clause_bounds(text: str, start: int, end: int, sentence: tuple[int, int]) -> tuple[int, int]:
    lo, hi = sentence
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, lo, start)), default=lo)
    right = CLAUSE_BREAK.search(text, end, hi)
    return left, right.start() if right else hi


def find_category(text: str, start: int, end: int, scope: tuple[int, int], rules: Rules) -> str:
    """Category of the nearest taxonomy keyword before [start, end) in scope, else after it.

    Practices (培训, 挂职 …) outrank the fields they happen in (村党组织, 人才): in
    培训村党组织书记1200人次 the figure is training."""
    table = rules.word_category
    before = [table[m.group(0)] for m in rules.category_words.finditer(text, scope[0], start)]
    after = [table[m.group(0)] for m in rules.category_words.finditer(text, end, scope[1])]
    for candidates in (before[::-1], after):
        strong = [c for c in candidates if c not in rules.weak_categories]
        if strong:
            return strong[0]
    for candidates in (before[::-1], after):
        if candidates:
            return candidates[0]
    return ""


def find_period(text: str, pos: int, sentence: tuple[int, int], rules: Rules) -> str:
    """The time scope given before ``pos`` in its sentence (2021年以来，…招录484人); clauses
    after a ； still stand under it (2023年，…提拔47人；选派32名…)."""
    start = max(text.rfind(ch, 0, sentence[0]) for ch in FULL_STOP_CHARS) + 1  # 0 if none
    before = [m for m in rules.periods.finditer(text, start, pos)]
    return before[-1].group(0) if before else ""


def find_modality(doc: Document, m: Measure, sentence: tuple[int, int], rules: Rules) -> str:
    """planned when the nearest cue before the measure in its sentence is a plan cue (每年,
    确保, 力争, 到2025年…), reported when it is a fact cue (累计, 已, 占…); with no cue, a
    speech's or plan's figures are planned."""
    left = sentence[0]
    lead = doc.text[left : m.start]
    for p in doc.programs:  # cue words inside names (…跃升计划) say nothing of the figure
        lo, hi = max(p.start, left) - left, min(p.end, m.start) - left
        if lo < hi:
            lead = lead[:lo] + " " * (hi - lo) + lead[hi:]
    planned = max(map(lead.rfind, rules.planned_cues), default=-1)
    reported = max(map(lead.rfind, rules.reported_cues), default=-1)
    if planned > reported:
        return "planned"
    if reported > planned:
        return "reported"
    if any(t in doc.title for t in rules.planning_titles) and m.kind != "percentage":
        return "planned"
    return "reported"


def find_subject(doc: Document, m: Measure, sentence: tuple[int, int], rules: Rules) -> str:
    """The counted noun phrase after the unit, inside its sentence: its head, the last run of
    nouns before a verb (50名政治过硬、经验丰富的领导干部 → 领导干部; 28名优秀引进生选调生 →
    引进生选调生)."""
    if m.kind in ("percentage", "duration"):
        return ""
    i = max(bisect.bisect_right(doc.tokens, (m.end, float("inf"))) - 1, 0)
    # The unit may sit inside a token (名干部): the phrase starts right after the unit.
    spans = [
        (max(s, m.end), e) for s, e in doc.tokens[i : i + 16] if e > m.end and e <= sentence[1]
    ]
    run: list[str] = []
    last_run: list[str] = []
    for s, e in spans:
        word = doc.text[s:e]
        if not run and not last_run and word in rules.subject_glue:
            break  # 5期、培训学员420人次: a list goes on, no noun follows the unit
        role = _subject_role(word, rules)
        if role == "noun":
            run.append(word)
        elif role == "modifier":
            last_run, run = run or last_run, []
        else:
            break
    run = run or last_run
    subject = "".join(run)
    while len(subject) > rules.subject_max_chars and run:
        run.pop()
        subject = "".join(run)
    return subject


def _subject_role(word: str, rules: Rules) -> str:
    """noun (the phrase's head grows), modifier (glue and modifiers start a new run) or end
    (no counted noun phrase goes past it). subject_scope relies on the same answer."""
    tag = tag_of(word)
    if tag in rules.subject_noun_tags and word not in rules.subject_stops:
        return "noun"
    if tag in rules.subject_modifier_tags or word in rules.subject_glue:
        return "modifier"
    return "end"


def subject_scope(text: str, m: Measure, sentence: tuple[int, int]) -> tuple[int, int] | None:
    """The characters whose tokens find_subject may read for ``m``, None when it reads none:
    from the start of the jieba block holding the unit's last character to the first
    character after it that ends every noun phrase (a punctuation mark other than the glue
    、), that character included.

    jieba segments each block (a run of Han, letters and digits: its own re_han_default)
    alone and every other character as a token of its own, so these characters segment
    exactly as inside the whole text (tests compare the records of both)."""
    if m.kind in ("percentage", "duration"):
        return None
    import jieba

    rules = load_rules()
    lo, hi = sentence
    blocks = [b.span() for b in jieba.re_han_default.finditer(text, lo, hi)]
    start, i = m.end, m.end
    for a, b in blocks:
        if a < m.end <= b:
            start, i = a, b
    block_end = dict(blocks)
    while i < hi:
        if i in block_end:
            i = block_end[i]
            continue
        if not text[i].isspace() and _subject_role(text[i], rules) == "end":
            return start, i + 1
        i += 1
    return start, hi


def find_program(m: Measure, programs: list[Program], sentence: tuple[int, int]) -> str:
    """The programme a measure belongs to: one named right after it (2期“晋江-龙华”…培训班),
    else the nearest one named before it in the same sentence."""
    after = [p for p in programs if m.end <= p.start <= m.end + 2]
    if after:
        return after[0].name
    before = [p for p in programs if sentence[0] <= p.start and p.end <= m.start]
    return before[-1].name if before else ""


def add_context(doc: Document, programs: list[Program]) -> None:
    """Fill sentence, period, modality, subject, category and program of doc.measures,
    and category and sentence of programs."""
    rules = load_rules()
    text = doc.text
    for p in programs:
        sentence = doc.sentence_at(p.start)
        p.sentence = text[sentence[0] : sentence[1]]
        own = len(p.full_name)
        p.category = (
            find_category(p.full_name, own, own, (0, own), rules)
            or find_category(text, p.start, p.end, sentence, rules)
            or OTHER
        )
    for m in doc.measures:
        sentence = doc.sentence_at(m.start)
        m.sentence = text[sentence[0] : sentence[1]]
        m.period = find_period(text, m.start, sentence, rules)
        m.modality = find_modality(doc, m, sentence, rules)
        m.subject = find_subject(doc, m, sentence, rules)
        clause = clause_bounds(text, m.start, m.end, sentence)
        m.category = (
            find_category(text, m.start, m.end, clause, rules)
            or find_category(text, m.start, m.end, sentence, rules)
            or OTHER
        )
        m.program = find_program(m, programs, sentence)
