"""Context of each measure: sentence, period, modality, subject, category, programme.

Rules live in data/context.toml (the category taxonomy is documented in the README).
"""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from orgwork.pipeline.document import Document, Measure, Program
from orgwork.pipeline.lexicon import tag_of

DATA = Path(__file__).parent / "data" / "context.toml"
CLAUSE_BREAK = re.compile(r"[,，、:：()（）]")
# A figure's predicate runs on past 、 and brackets (选派12名干部到国家、省、市直单位挂职).
PREDICATE_END = re.compile(r"[,，:：;；]")
FULL_STOP_CHARS = "。！？!?\n"
OTHER = "other"  # no taxonomy keyword near the figure


@dataclass(frozen=True)
class Rules:
    periods: re.Pattern
    practice_years: re.Pattern
    weak_period_starts: tuple[str, ...]
    planned_cues: re.Pattern
    reported_cues: re.Pattern
    quantity_cues: re.Pattern
    target_cues: re.Pattern
    planned_after_chars: int
    planning_titles: list[str]
    offer_nouns: tuple[str, ...]
    offer_before: re.Pattern
    offer_after_chars: int
    plan_nouns: tuple[str, ...]
    plan_copulas: tuple[str, ...]
    requirement_after: re.Pattern
    applicant_cues: re.Pattern
    quota_verbs: re.Pattern
    decision_cues: re.Pattern
    eligibility_cues: re.Pattern
    term_change_cues: re.Pattern
    part_openers: tuple[str, ...]
    subject_stops: set[str]
    subject_lead_skip: set[str]
    subject_count_nouns: set[str]
    subject_before_stops: set[str]
    share_words: set[str]
    list_openers: set[str]
    relative_clause_chars: int
    subject_noun_tags: set[str]
    subject_modifier_tags: set[str]
    subject_adverb_tags: set[str]
    subject_glue: set[str]
    subject_max_chars: int
    subject_pool_openers: set[str]
    subject_pool_skip: set[str]
    subject_pool_closers: set[str]
    subject_duration_heads: tuple[str, ...]
    subject_lasting_verbs: set[str]
    subject_entity_units: set[str]
    subject_description_tags: set[str]
    subject_batch_units: set[str]
    phrase: SubjectPhrase  # [subject_phrase] of context.toml
    taxonomy: dict[str, list[str]]
    category_words: re.Pattern
    word_category: dict[str, str]
    weak_categories: set[str]
    generic_words: set[str]
    strong_words: set[str]
    category_exclusions: dict[str, list[str]]
    category_exclusions_before: dict[str, list[str]]
    follow_chars: int
    heading_chars: int
    opening_lines: int
    identity_prefixes: tuple[str, ...]
    identity_categories: set[str]
    back_references: re.Pattern
    back_paragraphs: int
    stock_verbs: set[str]
    stock_of_event: re.Pattern
    event_markers: set[str]
    untagged_verbs: set[str]
    step_openers: tuple[str, ...]
    step_reach: int


def _cue_pattern(path: Path, raw: dict, key: str) -> re.Pattern:
    """Cues are regexes (计划 but not 计划投资); matched as one alternation, last match wins."""
    try:
        return re.compile("|".join(f"(?:{c})" for c in raw[key]))
    except re.error as exc:
        raise ValueError(f"{path}: bad cue in {key}: {exc}") from exc


def _last_match(pattern: re.Pattern, text: str) -> int:
    last = -1
    for m in pattern.finditer(text):
        last = m.start()
    return last


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA) -> Rules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    try:
        periods = re.compile("|".join(f"(?:{p})" for p in raw["periods"]))
        practice_years = re.compile(raw["practice_years"])
    except re.error as exc:
        raise ValueError(f"{path}: bad period pattern: {exc}") from exc
    if "period" not in practice_years.groupindex:
        raise ValueError(f"{path}: practice_years needs a group named period")
    taxonomy = {k: list(v) for k, v in raw["taxonomy"].items()}
    if not taxonomy or any(not words for words in taxonomy.values()):
        raise ValueError(f"{path}: every taxonomy category needs keywords")
    if not set(raw["weak_categories"]) <= set(taxonomy):
        raise ValueError(f"{path}: weak_categories must be taxonomy categories")
    words = sorted({w for ws in taxonomy.values() for w in ws}, key=len, reverse=True)
    return Rules(
        periods=periods,
        practice_years=practice_years,
        weak_period_starts=tuple(raw["weak_period_starts"]),
        planned_cues=_cue_pattern(path, raw, "planned_cues"),
        reported_cues=_cue_pattern(path, raw, "reported_cues"),
        quantity_cues=_cue_pattern(path, raw, "quantity_cues"),
        target_cues=_cue_pattern(path, raw, "target_cues"),
        planned_after_chars=int(raw["planned_after_chars"]),
        planning_titles=raw["planning_titles"],
        offer_nouns=tuple(raw["offer_nouns"]),
        offer_before=_cue_pattern(path, raw, "offer_before"),
        offer_after_chars=int(raw["offer_after_chars"]),
        plan_nouns=tuple(raw["plan_nouns"]),
        plan_copulas=tuple(raw["plan_copulas"]),
        requirement_after=_cue_pattern(path, raw, "requirement_after"),
        applicant_cues=_cue_pattern(path, raw, "applicant_cues"),
        quota_verbs=_cue_pattern(path, raw, "quota_verbs"),
        decision_cues=_cue_pattern(path, raw, "decision_cues"),
        eligibility_cues=_cue_pattern(path, raw, "eligibility_cues"),
        term_change_cues=_cue_pattern(path, raw, "term_change_cues"),
        part_openers=tuple(raw["part_openers"]),
        subject_stops=set(raw["subject_stops"]),
        subject_lead_skip=set(raw["subject_lead_skip"]),
        subject_count_nouns=set(raw["subject_count_nouns"]),
        subject_before_stops=set(raw["subject_before_stops"]),
        share_words=set(raw["share_words"]),
        list_openers=set(raw["list_openers"]),
        relative_clause_chars=int(raw["relative_clause_chars"]),
        subject_noun_tags=set(raw["subject_noun_tags"]),
        subject_modifier_tags=set(raw["subject_modifier_tags"]),
        subject_adverb_tags=set(raw["subject_adverb_tags"]),
        subject_glue=set(raw["subject_glue"]),
        subject_max_chars=int(raw["subject_max_chars"]),
        subject_pool_openers=set(raw["subject_pool_openers"]),
        subject_pool_skip=set(raw["subject_pool_skip"]),
        subject_pool_closers=set(raw["subject_pool_closers"]),
        subject_duration_heads=tuple(raw["subject_duration_heads"]),
        subject_lasting_verbs=set(raw["subject_lasting_verbs"]),
        subject_entity_units=set(raw["subject_entity_units"]),
        subject_description_tags=set(raw["subject_description_tags"]),
        subject_batch_units=set(raw["subject_batch_units"]),
        phrase=_subject_phrase(raw["subject_phrase"]),
        taxonomy=taxonomy,
        category_words=re.compile("|".join(re.escape(w) for w in words)),
        # a keyword listed under two categories belongs to the first
        word_category={w: c for c, ws in reversed(taxonomy.items()) for w in ws},
        weak_categories=set(raw["weak_categories"]),
        generic_words=set(raw["generic_words"]),
        strong_words=set(raw["strong_words"]),
        category_exclusions={k: list(v) for k, v in raw["category_exclusions"].items()},
        category_exclusions_before={
            k: list(v) for k, v in raw["category_exclusions_before"].items()
        },
        follow_chars=int(raw["follow_chars"]),
        heading_chars=int(raw["heading_chars"]),
        opening_lines=int(raw["opening_lines"]),
        identity_prefixes=tuple(raw["identity_prefixes"]),
        identity_categories=set(raw["identity_categories"]),
        back_references=_cue_pattern(path, raw, "back_references"),
        back_paragraphs=int(raw["back_paragraphs"]),
        stock_verbs=set(raw["stock_verbs"]),
        stock_of_event=_cue_pattern(path, raw, "stock_of_event"),
        event_markers=set(raw["event_markers"]),
        untagged_verbs=set(raw["untagged_verbs"]),
        step_openers=tuple(raw["step_openers"]),
        step_reach=int(raw["step_reach"]),
    )


@dataclass(frozen=True)
class CategoryRules:
    """[category_rules] of context.toml: category rules beyond the [taxonomy] keywords."""

    member_categories: set[str]
    people_words: set[str]
    group_joiners: tuple[str, ...]
    entity_units: set[str]
    entity_fields: tuple[str, ...]
    people_fields: tuple[str, ...]
    cadre_ranks: re.Pattern
    election_words: set[str]
    field_election: re.Pattern
    election_field: str


@lru_cache(maxsize=4)
def load_category_rules(path: Path = DATA) -> CategoryRules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["category_rules"]
    rules = CategoryRules(
        member_categories=set(raw["member_categories"]),
        people_words=set(raw["people_words"]),
        group_joiners=tuple(raw["group_joiners"]),
        entity_units=set(raw["entity_units"]),
        entity_fields=tuple(raw["entity_fields"]),
        people_fields=tuple(raw["people_fields"]),
        cadre_ranks=_cue_pattern(path, raw, "cadre_ranks"),
        election_words=set(raw["election_words"]),
        field_election=_cue_pattern(path, raw, "field_election"),
        election_field=raw["election_field"],
    )
    if rules.election_field not in load_rules(path).taxonomy:
        raise ValueError(f"{path}: election_field must be a taxonomy category")
    if not rules.member_categories <= set(load_rules(path).taxonomy):
        raise ValueError(f"{path}: member_categories must be taxonomy categories")
    if not set(rules.entity_fields + rules.people_fields) <= set(load_rules(path).word_category):
        raise ValueError(f"{path}: entity_fields and people_fields must be taxonomy keywords")
    return rules


@dataclass(frozen=True)
class ModalityRules:
    """[modality_rules] of context.toml: modality rules beyond the cue lists."""

    aspect_marker: re.Pattern
    posts_counted_by: tuple[str, ...]
    score_weight_before: re.Pattern
    score_weight_after: re.Pattern
    part_markers: tuple[str, ...]


@lru_cache(maxsize=4)
def load_modality_rules(path: Path = DATA) -> ModalityRules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))["modality_rules"]
    return ModalityRules(
        aspect_marker=_cue_pattern(path, raw, "aspect_marker"),
        posts_counted_by=tuple(raw["posts_counted_by"]),
        score_weight_before=_cue_pattern(path, raw, "score_weight_before"),
        score_weight_after=_cue_pattern(path, raw, "score_weight_after"),
        part_markers=tuple(raw["part_markers"]),
    )


def member_category(subject: str, rules: Rules, text: str = "", m: Measure | None = None) -> str:
    """The category a counted phrase names its people by when they are members of a
    practice's pool (105名村两委主要负责人后备干部: reserve_pool), else "". Given the figure
    ``m`` in ``text``: not when the phrase after it is one group of a list (247名县处级领导、
    中青年后备干部以及街道干部: the pool's members are only some of those counted)."""
    extra = load_category_rules()
    if m is not None and _one_of_groups(text, m, extra.group_joiners):
        return ""
    for m in rules.category_words.finditer(subject):
        if rules.word_category[m.group(0)] in extra.member_categories:
            return rules.word_category[m.group(0)]
    return ""


def people_field_category(text: str, m: Measure, rules: Rules) -> str:
    """The field a headcount counting its own people names them by (全省共有党员421.7万名:
    party_building), else ""; not the people a copula says they are (8人是中共党员)."""
    extra = load_category_rules()
    if m.kind != "headcount":
        return ""
    head = next((w for w in extra.people_fields if m.subject.endswith(w)), "")
    if not head:
        return ""
    after = text[m.end : m.end + 4].lstrip()
    if after.startswith(rules.phrase.copulas):
        return ""
    return rules.word_category[head]


def _one_of_groups(text: str, m: Measure, joiners: tuple[str, ...]) -> bool:
    """Whether the counted phrase after ``m`` is joined to another group by a list's joiner
    before it (县处级领导、中青年后备干部) or after it (后备干部和副科级年轻干部); not to another
    figure's (105名…后备干部、29名…): that is a list of figures."""
    if not m.subject:
        return False
    at = text.find(m.subject, m.end, m.end + 40)
    if at < 0:
        return False
    rest = text[at + len(m.subject) :]
    joined_after = next((j for j in joiners if rest.startswith(j)), "")
    if joined_after and not rest[len(joined_after) : len(joined_after) + 1].isdigit():
        return True
    between = BRACKETED.sub("", text[m.end : at])  # 县(市、区)党政正职后备人选: one group
    return any(j in between for j in joiners)


BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def counted_phrase_end(text: str, m: Measure, clause: tuple[int, int]) -> int | None:
    """Where the counted phrase after ``m`` ends in its clause, else None (named before it)."""
    at = text.find(m.subject, m.end, clause[1]) if m.subject else -1
    return at + len(m.subject) if at >= 0 else None


def entity_category(m: Measure, rules: Rules) -> str:
    """The field a figure counting bodies names them by (10个社区, 1336个村党组织, 10家企业):
    what is counted is the field's own units, whatever is done with them; else ""."""
    extra = load_category_rules()
    if m.unit not in extra.entity_units:
        return ""
    head = next((w for w in extra.entity_fields if m.subject.endswith(w)), "")
    words = [w.group(0) for w in rules.category_words.finditer(m.subject)]
    if head and words and m.subject.endswith(words[-1]) and words[-1] != head:
        return ""  # 25个先进基层党组织: a keyword ending the phrase is an honour's title
    return rules.word_category[head] if head else ""


TALENT = "talent"  # the taxonomy's category of talent work beyond the cadre ranks
RECRUITMENT = "recruitment"


def hiring_category(text: str, stretches: list[tuple[int, int]], keywords: KeywordIndex) -> str:
    """recruitment or talent, for a figure found recruitment: the nearest of ``stretches``
    (its sentence, paragraph, headline) naming the cadre ranks (招录, 公务员, 干部 …) or
    talent (人才, 企业 …) says which ranks the hire fills; cadre ranks named decide for
    recruitment (援藏干部人才; 事业单位招聘…，其中专业技术人员120人), talent alone for talent
    (受理引进人才落户申请11551件)."""
    cadre = load_category_rules().cadre_ranks
    for lo, hi in stretches:
        if cadre.search(text, lo, hi):
            return RECRUITMENT
        if any(c == TALENT for _, _, c in keywords(lo, hi)):
            return TALENT
    return RECRUITMENT


def clause_bounds(
    text: str, start: int, end: int, sentence: tuple[int, int], counted: str = ""
) -> tuple[int, int]:
    """The figure's clause: back to the last break before it (、 included: a list item), on
    to the next break; past 、 and brackets to the end of its predicate when words other
    than its ``counted`` phrase follow it (选派12名干部到国家、省、市直单位挂职: where they
    go), not when the figure closes a list item (提拔45人、晋升159人)."""
    lo, hi = sentence
    left = max((m.end() for m in CLAUSE_BREAK.finditer(text, lo, start)), default=lo)
    right = CLAUSE_BREAK.search(text, end, hi)
    if right and text[end : right.start()].replace(counted, "", 1).strip():
        right = PREDICATE_END.search(text, end, hi)
    return left, right.start() if right else hi


def _keywords(text: str, lo: int, hi: int, rules: Rules) -> list[tuple[int, str, str]]:
    """(position, keyword, category) of the taxonomy keywords in [lo, hi), without those
    whose context rules them out (引进 of investment projects is not recruitment); an
    election (换届) in a sentence telling party organisations' elections is theirs."""
    extra = load_category_rules()
    found = []
    for m in rules.category_words.finditer(text, lo, hi):
        word = m.group(0)
        excluded = rules.category_exclusions.get(word)
        if excluded and any(x in text[m.end() : m.end() + 8] for x in excluded):
            continue
        preceded = rules.category_exclusions_before.get(word)
        if preceded and text[max(0, m.start() - 4) : m.start()].endswith(tuple(preceded)):
            continue
        category = rules.word_category[word]
        if word in extra.election_words and extra.field_election.search(
            text, last_full_stop(text, m.start()) + 1, m.end()
        ):
            category = extra.election_field  # 村党组织完成换届，占应换届总数的100%
        if category in rules.identity_categories and text.startswith(
            rules.identity_prefixes, max(0, m.start() - 1), m.start()
        ):
            word = text[m.start() - 1 : m.end()]  # 新考录: who the people are, not strong
            found.append((m.start() - 1, word, category))
            continue
        found.append((m.start(), word, category))
    return found


class KeywordIndex:
    """A text's taxonomy keywords found once (one regex pass), looked up by stretch: every
    figure reads its clause, sentence and paragraph, which a pass each cost a tenth of
    extraction. A keyword counts in a stretch when it lies wholly inside it."""

    def __init__(self, text: str, rules: Rules):
        self.found = _keywords(text, 0, len(text), rules)
        self.starts = [pos for pos, _, _ in self.found]
        self.ends = [pos + len(w) for pos, w, _ in self.found]

    def __call__(self, lo: int, hi: int) -> list[tuple[int, str, str]]:
        i = bisect.bisect_left(self.starts, lo)
        j = bisect.bisect_left(self.starts, hi)
        return [k for k, e in zip(self.found[i:j], self.ends[i:j], strict=True) if e <= hi]


def relative_clause_end(text: str, m: Measure, clause: tuple[int, int], rules: Rules) -> int:
    """Where the counted phrase ends when a relative clause stands between the figure and
    it (100名从科局遴选出来的年轻干部启动强化训练: 遴选 says who they are, 训练 what they do):
    the figure's practice is read after it; else the figure's own end."""
    if not m.subject or m.kind != "headcount":  # 为期5天的培训: what lasts is the practice
        return m.end
    reach = min(clause[1], m.end + rules.relative_clause_chars)
    of = text.find("的", m.end, reach)
    while of >= 0:
        if text.startswith(m.subject, of + 1):
            return of + 1 + len(m.subject)
        of = text.find("的", of + 1, reach)
    return m.end


def find_category(
    text: str,
    start: int,
    end: int,
    scope: tuple[int, int],
    rules: Rules,
    outer: tuple[int, int] | None = None,
    weak: bool = True,
    keywords: KeywordIndex | None = None,
    counted_end: int | None = None,
    phrase_end: int | None = None,
    figure: bool = False,
) -> str:
    """Category of the practice a figure (or a name) at [start, end) is evidence of.

    A practice named right after a headcount decides (90人参训, 60余人参加培训); else the
    nearest practice keyword before it in ``scope`` (its clause), then after it, then the same
    in ``outer`` (its sentence). Practices (培训, 挂职 …) outrank sending words (选派: the
    destination says what it is) and those the fields they happen in (村党组织, 人才): in
    培训村党组织书记1200人次 the figure is training. ``weak=False``: no field keyword.
    ``counted_end``: where the counted phrase after the figure ends (relative_clause_end):
    the keywords after the figure are read from there. ``phrase_end``: where the counted
    phrase after the figure ends (counted_phrase_end): a pool's keyword before it says who
    some of the people are (1500余名领导干部、后备干部、基层干部进行了重点培训), like a
    people word. ``figure``: [start, end) is a figure, so the people later figures of its
    sentence count are not its (_others_people); a name's later figures are its contents."""

    def found(lo: int, hi: int) -> list[tuple[int, str, str]]:
        return keywords(lo, hi) if keywords else _keywords(text, lo, hi, rules)

    extra = load_category_rules()

    def who(p: int, w: str, c: str) -> bool:
        """Whether the keyword names who the people are, not what is done."""
        if w in extra.people_words:
            return True
        # a pool's or a field's people in the counted phrase (24名年轻干部、高层次人才到乡镇挂职)
        pooled = c in extra.member_categories or c in rules.weak_categories
        return pooled and end <= p < (phrase_end or end)

    # right after the counted phrase when a relative clause stands before it (对90位换届试点
    # 乡镇的党委书记进行示范培训: the clause says which people, 培训 what is done)
    follow_start = max(end, counted_end or end)
    follow_end = min(follow_start + rules.follow_chars, scope[1])
    follow = [
        c
        for p, w, c in found(follow_start, follow_end)
        if _strong(w, c, rules) and not who(p, w, c)
    ]
    if follow:
        return follow[0]
    scopes = [scope] + ([outer] if outer and outer != scope else [])
    ordered: list[tuple[int, str, str]] = []
    counted: list[tuple[int, str, str]] = []  # 20名选调生驻村: who they are, after what they do
    for lo, hi in scopes:
        before = found(lo, start)[::-1]
        after = found(max(end, counted_end or end), hi)  # past a relative clause
        for p, w, c in before + after:
            if figure and p >= end and _others_people(text, end, p, w, c, rules):
                continue  # 女干部占33.4%，后备干部占37.4%: who another figure counts
            if who(p, w, c) and p >= end:  # …or further on (为期2个月的村官大讲堂)
                counted += [(p, w, c)] if all(k[1:] != (w, c) for k in counted) else []
            else:
                ordered.append((p, w, c))
    ordered += counted
    ranks = [
        lambda p, w, c: _strong(w, c, rules) and not _a_step(text, p, rules),
        lambda p, w, c: c not in rules.weak_categories or w in rules.strong_words,
    ]
    if weak:  # without: the fields (村, 人才 …) are left for the caller to weigh
        ranks.append(lambda p, w, c: True)
    for rank in ranks:
        for p, w, c in ordered:
            if rank(p, w, c):
                return c
    return ""


def _others_people(text: str, end: int, pos: int, word: str, category: str, rules: Rules) -> bool:
    """Whether the keyword at ``pos``, after a figure ending at ``end``, names the people a
    later figure counts (…占51.4%，后备干部占37.4%; …，全市有13名大学生村官当选): a pool's,
    a field's or a people word in a later clause of the sentence (past a ，, not a 、: 10批、
    近1.2万名干部人才 are one count), with a figure of its own; not after bodies counted."""
    extra = load_category_rules()
    if not (
        word in extra.people_words
        or category in extra.member_categories
        or category in rules.weak_categories
    ):
        return False
    if text[end - 1 : end] in extra.entity_units or not PREDICATE_END.search(text, end, pos):
        return False  # bodies listed (党委1121个，党支部16210个) are of one field
    clause_start = max(m.end() for m in PREDICATE_END.finditer(text, end, pos))
    rest = SUBJECT_CLAUSE_END.search(text, pos)
    return bool(DIGIT.search(text, clause_start, rest.start() if rest else len(text)))


DIGIT = re.compile(r"\d")


def _a_step(text: str, pos: int, rules: Rules) -> bool:
    """Whether the keyword at ``pos`` names a step on the way to what the figure counts, in
    a clause opening with 经过 (经过调研、综合研判，选择了34个部门): like a sending word, it
    decides only when no practice is named elsewhere."""
    lo = max(pos - rules.step_reach, 0)
    clause = max((m.end() for m in PREDICATE_END.finditer(text, lo, pos)), default=lo)
    return any(text.find(w, clause, pos) >= 0 for w in rules.step_openers)


def _strong(word: str, category: str, rules: Rules) -> bool:
    """A keyword of a practice (not a sending word, not a field: unless it names the field's
    own practice, 发展党员)."""
    if word in rules.strong_words:
        return True
    if category in rules.identity_categories and word.startswith(rules.identity_prefixes):
        return False  # 新考录: who the people are
    return category not in rules.weak_categories and word not in rules.generic_words


def states_stock(doc: Document, m: Measure, sentence: tuple[int, int], rules: Rules) -> bool:
    """Whether the figure's clause states a stock rather than something done: no verb in it
    but a copula, a share or 辖 (全市干部8850人, 辖166个乡镇, 女干部占12%)."""
    lo, hi = subject_clause(doc.text, m, sentence)
    for s, e in _tokens_in(doc, lo, hi):
        if m.start <= s < m.end:
            continue
        word = doc.text[s:e]
        if word in rules.event_markers or word in rules.untagged_verbs:
            return False  # 顺利完成了换届: an aspect marker says something was done (任…的两人)
        if tag_of(word).startswith("v") and word not in rules.stock_verbs:
            return False
    return True


def topic_category(
    doc: Document,
    pos: int,
    rules: Rules,
    keywords: KeywordIndex | None = None,
    stock: bool = False,
    headings: list[tuple[int, int]] | None = None,
    fields: bool = False,
) -> str:
    """The practice the paragraph around ``pos`` is about (the one it names most often);
    for a heading line (38名干部沿海“取经”), the paragraph it heads; for a paragraph
    naming none that refers back to a group named before (这20名高校毕业生，…其中男性9名),
    the paragraph that named it; else the one the headline names: a figure whose sentence
    names no practice is evidence of it. A paragraph naming none and referring to nothing
    before (the composition of a cadre stock) has none. ``stock``: the figure states one
    (states_stock): only a group referred back to, or one the paragraph says an event made
    (新一届班子成员中), gives it a practice. After the headline, the heading lines opening
    the text (``headings``: opening_headings(doc), computed once per document). ``fields``:
    the fields (人才, 党组织 …) count too, as practices do."""
    text = doc.text
    lo, hi = _paragraph(text, pos)
    own = [(lo, hi)]
    if hi - lo <= rules.heading_chars and not any(ch in text[lo:hi] for ch in "。！？!?；;"):
        own.append(_paragraph(text, hi + 1))
    back: list[tuple[int, int]] = []
    if rules.back_references.search(text, lo, pos + 1):  # +1: 这 right before the figure
        start = lo
        for _ in range(rules.back_paragraphs):
            if start <= 0:
                break
            back.append(_paragraph(text, start - 1))
            start = back[-1][0]
    if headings is None:
        headings = opening_headings(doc, rules)
    stretches = [*own, *back, (0, len(doc.title)), *headings]
    if stock and not rules.stock_of_event.search(text, lo, pos):
        stretches = back  # a stock is evidence only of the practice of a group referred to
    for a, b in stretches:
        counts: dict[str, int] = {}
        for _, w, c in keywords(a, b) if keywords else _keywords(text, a, b, rules):
            if _strong(w, c, rules) or (fields and c in rules.weak_categories):
                counts[c] = counts.get(c, 0) + 1
        if counts:
            return max(counts, key=lambda c: (counts[c], -list(rules.taxonomy).index(c)))
    return ""


def opening_headings(doc: Document, rules: Rules) -> list[tuple[int, int]]:
    """The heading lines (short, no full stop) among the first lines of the text: where a
    page's headline stands when the one found is none or furniture (新闻中心 > 综合)."""
    text, spans, start = doc.text, [], 0
    for _ in range(rules.opening_lines):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start <= rules.heading_chars and not any(
            ch in text[start:end] for ch in "。！？!?"
        ):
            spans.append((start, end))
        if end >= len(text):
            break
        start = end + 1
    return spans


def _unwrapped(text: str, lo: int, hi: int, rules: Rules) -> str:
    """text[lo:hi] without the line breaks of a hard-wrapped paragraph: a break ending a line
    longer than a heading (heading_chars) and not at a sentence's end (…文化程度的占36.12%；
    工人\n占14.37%: the list goes on past it)."""
    kept, start = [], lo
    br = text.find("\n", lo, hi)
    while br >= 0:
        line_start = text.rfind("\n", 0, br) + 1
        wrapped = (
            br - line_start > rules.heading_chars
            and text[br - 1] not in FULL_STOP_CHARS
            and text[br + 1 : br + 2] not in ("", "\n")
        )
        kept.append(text[start:br] if wrapped else text[start : br + 1])
        start = br + 1
        br = text.find("\n", start, hi)
    kept.append(text[start:hi])
    return "".join(kept)


def _paragraph(text: str, pos: int) -> tuple[int, int]:
    """The line around ``pos``."""
    lo, hi = text.rfind("\n", 0, pos) + 1, text.find("\n", pos)
    return lo, hi if hi >= 0 else len(text)


def _restated_category(doc: Document, k: int, paragraph: tuple[int, int]) -> str:
    """The category of the group the figure ``k`` names again: an earlier figure of its
    paragraph counting the same (kind, value, unit and counted phrase: 发布了19名官员的任前
    公示…。19名官员中，…), else ""."""
    m = doc.measures[k]
    for earlier in reversed(doc.measures[:k]):
        if earlier.start < paragraph[0]:
            break
        if (
            (earlier.kind, earlier.value, earlier.unit) == (m.kind, m.value, m.unit)
            and m.subject
            and earlier.subject == m.subject
            and earlier.category not in ("", OTHER)
        ):
            return earlier.category
    return ""


def _opens_with_part(text: str, m: Measure, sentence: tuple[int, int], rules: Rules) -> bool:
    """Whether the sentence of ``m`` opens with 其中 (of them) before it: it counts part of
    the group counted before."""
    return text[sentence[0] : m.start].lstrip(" ，,").startswith(rules.part_openers)


def find_period(text: str, pos: int, sentence: tuple[int, int], rules: Rules) -> str:
    """The time scope given before ``pos`` in its sentence, up to 。！？； (2021年以来，…招录
    484人): a scope stated in an earlier sentence does not carry over (the gold rule). A year
    inside a clause (practice_years) is one only right before a practice word (湖北省2022年
    招录800名), not when it dates a noun (高校2017年应届毕业生) or an event (…被确定为). A
    scope of how long (连续5年) or referring back (全年) yields to one before it (自2013年起…，
    连续5年共…; 1993年，…全年发展党员…)."""
    before = _periods_in(text, sentence[0], pos, rules)
    if not before and _opens_with_practice_verb(text, sentence[0], rules):
        # 从今年起到2018年，选拔200名…；选拔1000名…: a clause after ； with no subject of its
        # own goes on with the one before, in its scope (not 常务委员会由13人组成: its own)
        left = last_full_stop(text, sentence[0]) + 1
        before = _periods_in(text, left, sentence[0], rules) if left < sentence[0] else []
    strong = [p for p in before if not p.startswith(rules.weak_period_starts)]
    return (strong or before or [""])[-1]  # 连续5年 only when no scope says from when


def last_full_stop(text: str, end: int) -> int:
    """Where the last full stop (FULL_STOP_CHARS) before ``end`` stands, else -1. Looked
    for in windows growing back from ``end``: one search from the text's start per figure
    and stop character scanned the whole text before each figure of a long report."""
    lo, step = end, 256
    while lo > 0:
        lo = max(0, lo - step)
        found = max(text.rfind(ch, lo, end) for ch in FULL_STOP_CHARS)
        if found >= 0:
            return found
        step *= 4
    return -1


def _opens_with_practice_verb(text: str, pos: int, rules: Rules) -> bool:
    """Whether the clause at ``pos`` opens with a practice verb (选拔, 培训): no subject."""
    head = text[pos : pos + 8]
    word = rules.category_words.match(text, pos + len(head) - len(head.lstrip()))
    return bool(word) and tag_of(word.group(0)).startswith("v")


def _periods_in(text: str, lo: int, hi: int, rules: Rules) -> list[str]:
    """The time scopes in text[lo:hi], in order (find_period's rules)."""
    found = [(m.start(), m.group(0)) for m in rules.periods.finditer(text, lo, hi)]
    found += [
        (m.start(), m.group("period"))
        for m in rules.practice_years.finditer(text, lo, hi)
        if rules.category_words.match(text, m.end())  # the year of a practice: 2022年招录
    ]
    # a year inside a title (根据《…行动计划(2023—2027年)》) names the document, no scope
    return [p for s, p in sorted(found) if text.rfind("《", lo, s) <= text.rfind("》", lo, s)]


def planning_form(
    doc: Document, rules: Rules, headings: list[tuple[int, int]] | None = None
) -> bool:
    """Whether the document is a speech, a plan or a notice: its headline says so, or, with
    no headline found, one of the heading lines opening its text (a notice's 一、招考计划)."""
    if doc.title:
        return any(t in doc.title for t in rules.planning_titles)
    for lo, hi in opening_headings(doc, rules) if headings is None else headings:
        if any(t in doc.text[lo:hi] for t in rules.planning_titles):
            return True
    return False


def find_modality(
    doc: Document,
    m: Measure,
    sentence: tuple[int, int],
    rules: Rules,
    previous: str = "",
    planning: bool | None = None,
    told_year: int | None = None,
) -> str:
    """planned when the nearest cue before the measure in its sentence is a plan cue (每年,
    确保, 力争, 到2025年…), reported when it is a fact cue (累计, 已…) or a quantity word (占,
    达到) with no target cue before it (力争…比例达到20% is a target); with no cue, a
    speech's or plan's figures are planned. The cue may stand in a clause before a ； of
    the same sentence (目标是，…选拔200名；…选拔1000名). Posts and quotas counted (职位,
    名额) are what a plan offers, whatever the verb (职位达到了197个). A sentence opening
    with 其中 with no cue of its own counts part of the group before: its modality
    ``previous`` (计划选调362名。其中，省直部门57名). In a recruitment under way, the quota
    before its applicants is planned, the applicants reported (招聘473人，有2850人报名); the
    term or experience a rule asks for (任职1年以上, 缺乏两年…经历) is planned whatever the
    sentence's cues. ``planning``: planning_form(doc), and ``told_year``: told_in_year(doc),
    computed once per document by the caller."""
    text = doc.text
    left = last_full_stop(text, sentence[0]) + 1
    if (m.subject.endswith(rules.offer_nouns) or _offers_posts(text, m, left, rules)) and not (
        _posts_given(text, m, sentence, rules)
    ):
        return "planned"
    if m.kind == "duration" and (
        m.qualifier == "at_least" or rules.requirement_after.match(text, m.end)
    ):
        # 任职1年以上, 缺乏两年基层工作经历: the term or the experience a rule asks for, even
        # in a sentence stating a fact about those who have it (目前…缺乏…的干部占68%)
        return "planned"
    if m.kind == "percentage" and _weighs_scores(text, m, left):
        return "planned"  # 笔试、面试成绩各占50%: a rule of the selection
    lead = text[left : m.end]  # with the figure's own qualifier (不少于5天)
    for p in doc.programs:  # cue words inside names (…跃升计划) say nothing of the figure
        lo, hi = max(p.start, left) - left, min(p.end, m.start) - left
        if p.full_name.endswith(rules.plan_nouns) and text.startswith(rules.plan_copulas, p.end):
            # …but a plan's name stating its contents (选聘计划为：…182名) is the plan
            noun = next(n for n in rules.plan_nouns if p.full_name.endswith(n))
            hi = min(hi, max(text.rfind(noun, p.start, p.end), p.start) - left)
        if lo < hi:
            lead = lead[:lo] + " " * (hi - lo) + lead[hi:]
    planned = max(_last_match(rules.planned_cues, lead), _last_match(rules.term_change_cues, lead))
    if _cue_governs_before(doc, m, left, planned, rules):
        planned = -1
    elif planned >= 0 and rules.decision_cues.match(lead, planned):
        if told_year is None:
            told_year = told_in_year(doc)
        if told_year and any(int(y) < told_year for y in YEAR.findall(lead, 0, planned)):
            planned = -1  # 2013年初，省委决定…选派3万名: a past decision, told as carried out
    reported = _last_match(rules.reported_cues, lead)
    clause = max(text.rfind(ch, left, m.start) for ch in "，,；;") + 1 or left
    applicants = _last_match(rules.applicant_cues, text[clause : m.start])
    if applicants >= 0:  # 计划招聘8人，报考的有11人: those who applied, in the figure's clause
        reported = max(reported, clause - left + applicants)
    if not rules.target_cues.search(lead):
        # a quantity word (达到, 占) states a fact, but not after a target's cue (力争…达到)
        quantity = _last_match(rules.quantity_cues, lead)
        if quantity > reported and previous == "planned" and _part_of_planned(doc, left, lead):
            # 将选拔15名干部，其中年轻干部占10名: the share of a planned whole is planned
            planned = max(planned, quantity)
        else:
            reported = max(reported, quantity)
    follow = text[m.end : m.end + rules.planned_after_chars]
    follow = follow[: min((i for i in map(follow.find, "，,。；;") if i >= 0), default=None)]
    if max(planned, reported) < clause - left and rules.planned_cues.search(follow):
        # 已有80名到岗，其余20名将于下周到岗: with no cue in its own clause, the figure's own
        # predicate says what it is, not a cue of an earlier clause
        return "planned"
    if reported < planned < clause - left and load_modality_rules().aspect_marker.search(follow):
        # 北京公开选拔领导干部举行笔试，1700余人参加了笔试: a plan's cue of an earlier clause,
        # and the figure's own predicate says it was done
        return "reported"
    if planned > reported:
        return "planned"
    if reported > planned:
        return "reported"
    if rules.applicant_cues.search(follow):
        return "reported"  # 有2850人报名: those who applied
    if previous and lead.lstrip(" ，,").startswith(rules.part_openers):
        return previous
    if rules.planned_cues.search(follow):
        return "planned"  # 7名党外人士将安排到…挂职: the figure's own predicate is a plan
    if rules.quota_verbs.search(text, clause, m.start) and rules.applicant_cues.search(
        text, m.end, sentence[1]
    ):
        return "planned"  # 招聘473人，有2850人报名: the quota of a recruitment under way
    if rules.eligibility_cues.search(text, sentence[0], sentence[1]):
        return "planned"  # 未纳入6所港澳高校，其毕业生不具备报考资格: who may apply
    comma = SUBJECT_CLAUSE_END.search(text, m.end, sentence[1])
    if (
        comma
        and text[comma.start()] in "，,"
        and m.subject
        and text[m.end : comma.start()].endswith(m.subject)
        and rules.planned_cues.match(text, comma.end())
    ):
        return "planned"  # 逾300名…干部，将被选拔…: the predicate after its subject's comma
    if planning is None:
        planning = planning_form(doc, rules)
    if planning and m.kind != "percentage" and not _before_own_year(doc, lead):
        return "planned"
    return "reported"


def _part_of_planned(doc: Document, left: int, lead: str) -> bool:
    """Whether the figure's clause counts a part of a figure before it in its sentence (其中…,
    名额15名中，…): a part marker after that figure, in the text before this one."""
    extra = load_modality_rules()
    part = max(lead.rfind(w) for w in extra.part_markers)
    return part >= 0 and any(left <= o.end <= left + part for o in doc.measures)


def _weighs_scores(text: str, m: Measure, left: int) -> bool:
    """Whether the percentage weighs a selection's scores (面试成绩占40%, 分值占40%,
    各占50%权重): the words closing its clause before it, or right after it."""
    extra = load_modality_rules()
    clause = max(text.rfind(ch, left, m.start) for ch in "，,；;(（") + 1 or left
    return bool(
        extra.score_weight_before.search(text[clause : m.start])
        or extra.score_weight_after.match(text, m.end)
    )


def _posts_given(text: str, m: Measure, sentence: tuple[int, int], rules: Rules) -> bool:
    """Whether the posts counted were given or filled, an aspect marker in the figure's
    clause saying so (拿出了38个职位, 对2个职位进行了公开选拔); not the count of an offer
    (职位达到了197个: a quantity word before the marker)."""
    extra = load_modality_rules()
    lo = max(text.rfind(ch, sentence[0], m.start) for ch in "，,；;") + 1 or sentence[0]
    hi = SUBJECT_CLAUSE_END.search(text, m.end, sentence[1])
    clause = text[lo : hi.start() if hi else sentence[1]]
    for done in extra.aspect_marker.finditer(clause):
        if not clause[: done.start()].endswith(extra.posts_counted_by):
            return True
    return False


def _offers_posts(text: str, m: Measure, left: int, rules: Rules) -> bool:
    """Whether the figure counts posts or quotas named right before it (核定职缺共计十八名) or
    closing the rest of its clause (拿出41个副县级和141个乡科级职位)."""
    if rules.offer_before.search(BRACKET_AT_END.sub("", text[left : m.start])):
        return True  # …职位(四级主任科员以下)1名: a note on the post between
    rest = text[m.end : m.end + 2 * rules.offer_after_chars]
    cut = min((i for i in map(rest.find, "，,。；;：:") if i >= 0), default=-1)
    clause = BRACKET_AT_END.sub("", rest[:cut])  # 拿出71个职位(见附表): a note on them
    return (
        cut >= 0
        and len(clause) <= rules.offer_after_chars
        and clause.rstrip("等").endswith(rules.offer_nouns)
    )


def _cue_governs_before(doc: Document, m: Measure, left: int, cue: int, rules: Rules) -> bool:
    """Whether a plan's cue stands in an earlier clause that has its own figure, and the
    figure opens its clause with a predicate of its own (计划招聘280人，1600余人报考): the
    cue governs that clause's figure, not this one."""
    if cue < 0:
        return False
    text = doc.text
    clause = max(text.rfind(ch, left + cue, m.start) for ch in "，,") + 1
    if clause <= 0 or text[clause : m.start].strip():
        return False
    if any(text.find(w, left + cue, clause) >= 0 for w in rules.part_openers):
        return False  # 选拔100名(其中30名到…，70名到…): the parts of the cue's own figure
    if not any(left + cue < o.start and o.end < clause for o in doc.measures):
        return False
    rest = text[m.end : m.end + 1]
    return bool(rest) and rest not in "，,。；;、）)"


YEAR = re.compile(r"((?:19|20)\d{2})年")
FULL_DATE = re.compile(r"((?:19|20)\d{2})年\d{1,2}月\d{1,2}日")
BRACKET_AT_END = re.compile(r"[(（][^()（）]*[)）]$")


def told_in_year(doc: Document) -> int:
    """The year the document tells its story from: its publish date's, else the latest full
    date it names (2014年2月28日，…干部…向基层走去); 0 when it names none."""
    if doc.publish_date[:4].isdigit():
        return int(doc.publish_date[:4])
    return max((int(y) for y in FULL_DATE.findall(doc.text)), default=0)


def _before_own_year(doc: Document, lead: str) -> bool:
    """Whether the figure's sentence dates it in a year before the document's (a speech of
    2023: 2022年，全市培训干部…): an account of the past, not a plan."""
    if not doc.publish_date[:4].isdigit():
        return False
    return any(int(y) < int(doc.publish_date[:4]) for y in YEAR.findall(lead))


# Ages and generations in a counted phrase (45岁以下干部, 90后年轻干部), and levels of schooling
# (本科以上学历应届毕业生): one unit of meaning, which jieba cuts into numerals, suffixes and
# a pronoun (本科).
AGE = re.compile(
    r"(?:\d{2}|[一二三四五六七八九十]{1,3})(?:后|周岁|岁)(?:以下|以上|左右|及以下|及以上)?"
    r"|(?:本科|大专|专科|硕士|研究生|博士)(?:及以上|以上)?学历"
)
QUOTED = re.compile(r"[“‘「『][^“”‘’「」『』\n]{1,12}[”’」』]")
OPENING_QUOTES = "“‘「『"
BRACKETS = ("()", "（）")
SUBJECT_CLAUSE_BREAK = re.compile(r"[，,、:：;；]")
SUBJECT_CLAUSE_END = re.compile(r"[，,:：;；。！？!?\n]")


@dataclass(frozen=True)
class SubjectPhrase:
    """How far a counted phrase reaches ([subject_phrase] of context.toml)."""

    coordinators: frozenset[str]
    predicate_nouns: frozenset[str]
    person_heads: tuple[str, ...]
    copulas: tuple[str, ...]
    event_units: frozenset[str]
    range_from: re.Pattern
    range_turn: re.Pattern
    range_to: re.Pattern
    growth: re.Pattern
    modifier_suffixes: tuple[str, ...]
    change_verbs: frozenset[str]
    change_ends: frozenset[str]
    composition_marker: str
    composition_verbs: tuple[str, ...]
    participation_verbs: frozenset[str]
    passing_verbs: frozenset[str]
    predicate_adverbs: frozenset[str]
    predicate_max_chars: int
    verb_words: frozenset[str]
    ordinal: re.Pattern
    place_suffixes: tuple[str, ...]
    list_close: re.Pattern
    list_close_chars: int
    holder_heads: tuple[str, ...]
    holder_skip: frozenset[str]
    distributive: re.Pattern
    run_joiners: frozenset[str]
    group_joiners: re.Pattern
    group_trailers: tuple[str, ...]
    group_max_chars: int
    group_cuts: frozenset[str]
    predicate_markers: frozenset[str]


def _subject_phrase(raw: dict) -> SubjectPhrase:
    try:
        ranges = {
            key: re.compile(raw[key])
            for key in (
                "range_from",
                "range_turn",
                "range_to",
                "growth",
                "ordinal",
                "list_close",
                "distributive",
            )
        }
    except re.error as exc:
        raise ValueError(f"{DATA}: bad range pattern in [subject_phrase]: {exc}") from exc
    return SubjectPhrase(
        coordinators=frozenset(raw["coordinators"]),
        predicate_nouns=frozenset(raw["predicate_nouns"]),
        person_heads=tuple(raw["person_heads"]),
        copulas=tuple(sorted(raw["copulas"], key=len, reverse=True)),
        event_units=frozenset(raw["event_units"]),
        modifier_suffixes=tuple(raw["modifier_suffixes"]),
        change_verbs=frozenset(raw["change_verbs"]),
        change_ends=frozenset(raw["change_ends"]),
        composition_marker=str(raw["composition_marker"]),
        composition_verbs=tuple(raw["composition_verbs"]),
        participation_verbs=frozenset(raw["participation_verbs"]),
        passing_verbs=frozenset(raw["passing_verbs"]),
        predicate_adverbs=frozenset(raw["predicate_adverbs"]),
        predicate_max_chars=int(raw["predicate_max_chars"]),
        list_close_chars=int(raw["list_close_chars"]),
        verb_words=frozenset(raw["verb_words"]),
        place_suffixes=tuple(raw["place_suffixes"]),
        holder_heads=tuple(raw["holder_heads"]),
        holder_skip=frozenset(raw["holder_skip"]),
        run_joiners=frozenset(raw["run_joiners"]),
        group_joiners=re.compile("|".join(map(re.escape, raw["group_joiners"]))),
        group_trailers=tuple(sorted(raw["group_trailers"], key=len, reverse=True)),
        group_max_chars=int(raw["group_max_chars"]),
        group_cuts=frozenset(raw["group_cuts"]),
        predicate_markers=frozenset(raw["predicate_markers"]),
        **ranges,
    )


def subject_clause(text: str, m: Measure, sentence: tuple[int, int]) -> tuple[int, int]:
    """The stretch a counted phrase can stand in: from the last clause break before the
    figure (、 included: list items) to the next clause end after it (、 excluded)."""
    lo, hi = sentence
    for brk in SUBJECT_CLAUSE_BREAK.finditer(text, lo, m.start):
        if brk.group() == "、" and _open_bracket(text, lo, brk.start()) >= 0:
            continue  # 县(市、区)党政正职, 工人(营业员、服务员): a list inside a bracket
        lo = brk.end()
    opened = _open_bracket(text, lo, m.start)
    if opened >= 0:
        lo = opened + 1  # 处长(挂职两年): a figure inside a bracket is read inside it
    end = SUBJECT_CLAUSE_END.search(text, m.end, hi)
    return lo, end.start() if end else hi


def _open_bracket(text: str, lo: int, pos: int) -> int:
    """The position of a bracket opened in text[lo:pos] and not closed before ``pos``, else -1."""
    opened = max(text.rfind("(", lo, pos), text.rfind("（", lo, pos))
    if opened >= 0 and max(text.rfind(")", opened, pos), text.rfind("）", opened, pos)) >= 0:
        return -1
    return opened


def pool_clause(text: str, lo: int, sentence: tuple[int, int]) -> tuple[int, int] | None:
    """The pool named in the clause before one starting at ``lo`` (从X中，择优选拔N人): the
    span of X, else None."""
    if lo - 2 < sentence[0] or text[lo - 2] != "中" or text[lo - 1] not in "，,":
        return None
    start = sentence[0]
    for brk in SUBJECT_CLAUSE_BREAK.finditer(text, sentence[0], lo - 1):
        start = brk.end()
    return (start + 1, lo - 2) if text.startswith("从", start) and lo - 2 > start + 1 else None


def _tokens_in(doc: Document, lo: int, hi: int) -> list[tuple[int, int]]:
    """The tokens inside [lo, hi); one cut by ``lo`` starts there (the unit may sit inside a
    token: 名干部, 人到), one cut by ``hi`` ends there."""
    i = max(bisect.bisect_right(doc.tokens, (lo, float("inf"))) - 1, 0)
    j = bisect.bisect_left(doc.tokens, (hi, -1))
    return [(max(s, lo), min(e, hi)) for s, e in doc.tokens[i:j] if e > lo and s < hi]


def _with_ages(text: str, tokens: list[tuple[int, int]], lo: int, hi: int) -> list:
    """Tokens with each age expression (45岁以下, 90后) or level of schooling (本科以上学历)
    merged into one (start, end, "age")."""
    stretch = text[lo:hi]
    if "岁" not in stretch and "后" not in stretch and "学历" not in stretch:
        return [(s, e, "") for s, e in tokens]  # no age here (the common case, checked in C)
    ages = [a.span() for a in AGE.finditer(text, lo, hi)]
    out: list[tuple[int, int, str]] = []
    for s, e in tokens:
        age = next(((a, b) for a, b in ages if a < e and s < b), None)
        if age is None:
            out.append((s, e, ""))
        elif not out or out[-1][:2] != age:
            out.append((age[0], age[1], "age"))
    return out


def _role(text: str, token: tuple[int, int, str], rules: Rules) -> str:
    if token[2] == "age":
        return "noun"
    word = text[token[0] : token[1]]
    if word in rules.subject_stops or word in rules.phrase.predicate_nouns:
        return "end"
    if any(word.startswith(opener) for opener in rules.subject_pool_openers):
        return "end"  # 面向社会 (one word to jieba, a noun): to whom the posts are offered
    if word in rules.phrase.verb_words:
        return "verb"
    if rules.phrase.ordinal.match(word):
        return "modifier"  # 第二批优秀年轻党员干部: which batch
    role = _subject_role(word, rules)
    suffixed = len(word) > 1 and word.endswith(rules.phrase.modifier_suffixes)
    if role == "end" and suffixed and tag_of(word) in ("", "v"):
        return "modifier"  # 处级, 区直: a rank or an affiliation jieba calls a verb
    if role == "end" and tag_of(word).startswith("v"):
        if word.endswith(rules.phrase.person_heads) and len(word) > 1:
            return "noun"  # 正职, 副职: jieba tags them verbs
        return "verb"
    return role


def subject_after(doc: Document, m: Measure, clause_end: int, rules: Rules) -> str:
    """The counted noun phrase after the unit (50名政治过硬、经验丰富的领导干部 → 领导干部;
    18名90后年轻干部; 80%以上的乡村干部; 为期3天的培训): its head, the last run of nouns
    before a verb; a quoted name after 的 (3名经验丰富的“成长导师”) is the phrase itself.
    When no noun follows the unit, the phrase after a 的 close by (100名从科局遴选出来的
    年轻干部, 4名在鄂就读的新疆籍毕业生)."""
    text = doc.text
    if m.kind == "duration" and not text.startswith("的", m.end):
        # 具有两年以上基层工作经历的应达到…: what lasts ends at a 的 (the verbs after it are
        # the predicate of the people it describes)
        de = text.find("的", m.end, clause_end)
        found = _noun_phrase(doc, m.end, clause_end if de < 0 else de, rules, activity=True)
        practice = found in rules.word_category and not found.endswith(rules.phrase.person_heads)
        if practice or found.endswith(rules.subject_duration_heads):
            return found  # 2年以上基层工作经历, 进行5天培训: the experience, the practice
        lasting = m.text.startswith("为期") or text.endswith("为期", 0, m.start)
        return found if lasting else ""  # 为期6个月轮岗交流: 为期 says that what follows lasts
    if m.kind == "percentage" and not text.startswith("的", m.end):
        return ""  # only a phrase joined by 的 is counted by them
    # 为期5天的集中轮训, 参加一次以上脱产培训: what lasts or takes place is an activity
    activity = m.kind == "duration" or m.unit in rules.phrase.event_units
    start = m.end
    if m.kind == "headcount":
        copula = next((c for c in rules.phrase.copulas if text.startswith(c, start)), "")
        start += len(copula)  # 8人是中共党员, 2名还是正厅级干部: what they are is counted
    de = text.find("的", m.end, min(clause_end, m.end + rules.relative_clause_chars))
    if m.unit in rules.subject_entity_units and de > start:
        owner = _noun_phrase(doc, start, de, rules)
        rest = text[start + len(owner) : de]  # nothing, or the bracket ending 县(市、区)
        described = tag_of(owner) in rules.subject_description_tags  # 10个各具特色的基地
        if (
            owner
            and not described
            and text.startswith(owner, start)
            and (not rest or rest[0] + rest[-1] in BRACKETS)
        ):
            return text[start:de]  # 16个省(区)的对口培训班: units counted, then what they own
    people = m.kind == "headcount"
    reach = min(clause_end, start + rules.phrase.list_close_chars)
    closed = rules.phrase.list_close.search(text, start, reach)
    if closed:  # 藏汉翻译和民族宗教政策理论等方面的教育培训: the head after the list
        found = _noun_phrase(doc, closed.end(), clause_end, rules, activity, people)
        if found:
            return found
    found = _noun_phrase(doc, start, clause_end, rules, activity, people)
    if not found and de >= 0 and not _done_after(doc, start, rules):
        found = _noun_phrase(doc, de + 1, clause_end, rules, activity, people)
    if not found and m.kind == "count":
        found = _lone_word(doc, start, clause_end, rules)  # 收到近百份简历: jieba's verb 简历
    return found


def _done_after(doc: Document, start: int, rules: Rules) -> bool:
    """Whether the figure's predicate follows at ``start``: a verb with an aspect marker
    (1700余人参加了…的笔试: what they did, no relative clause before a head of theirs)."""
    first = next(iter(_tokens_in(doc, start, start + 4)), None)
    if first is None or first[0] != start:
        return False
    word = doc.text[first[0] : first[1]]
    after = doc.text[first[1] : first[1] + 1]
    return after in rules.phrase.predicate_markers and tag_of(word).startswith("v")


def _lone_word(doc: Document, lo: int, hi: int, rules: Rules) -> str:
    """The one word of two characters or more filling text[lo:hi] after a count's unit,
    whatever jieba tags it (收到近百份简历，: what is counted), unless a stop, else ""."""
    tokens = _tokens_in(doc, lo, hi)
    if len(tokens) != 1 or tokens[0] != (lo, hi) or hi - lo < 2:
        return ""
    word = doc.text[lo:hi]
    han = all("\u4e00" <= ch <= "\u9fff" for ch in word)
    return word if han and word not in rules.subject_stops else ""


def _closing_bracket(text: str, start: int, hi: int) -> int:
    """The end of the short bracket opening at ``start`` (at most 12 characters), else 0."""
    close = min((i for i in (text.find(c, start, min(hi, start + 14)) for c in ")）") if i > 0),
                default=-1)  # fmt: skip
    return close + 1 if close > start else 0


def _noun_phrase(
    doc: Document, lo: int, hi: int, rules: Rules, activity: bool = False, people: bool = False
) -> str:
    """The noun phrase starting at ``lo``: its last run of nouns with the modifiers right
    before them (优秀年轻干部), a run after glue (、 的) replacing the one before it (政治
    过硬、经验丰富的领导干部 → 领导干部), but not one after a coordinator once a noun ends the
    run (45个乡镇和果洛州… → 乡镇), nor an action noun after 的 (20名干部的调整 → 干部).
    ``activity``: verbs count as nouns (为期5天的集中轮训). ``people`` (a headcount): a verb
    before a head of people qualifies it (55名新考录公务员)."""
    text = doc.text
    tokens = _with_ages(text, _tokens_in(doc, lo, hi), lo, hi)
    run: list[tuple[int, int, str]] = []  # (start, end, role)
    last_run: list[tuple[int, int, str]] = []
    glue = ""  # the glue word before the current run
    person_head = 0  # the end of the head of people a verb after a headcount qualifies
    skip_to = lo
    for k, tok in enumerate(tokens):
        word = text[tok[0] : tok[1]]
        if word[0] in OPENING_QUOTES and tok[0] >= skip_to:
            quote = QUOTED.match(text, tok[0])
            named = quote and not text.startswith("的", tok[0] - 1)  # not 经验丰富的“成长导师”
            if named and _noun_follows(text, tokens[k + 1 :], quote.end(), rules):
                # a name before the head (举办“强素质”专题培训, 为期2个月的中山市“…”专题讲座):
                # the head after it is the phrase
                if _has_noun(run):
                    last_run = run
                run, skip_to = [], quote.end()
                continue
            if quote and not run:
                return quote.group(0)  # 3名经验丰富的“成长导师”
        if not run and not last_run and word in rules.subject_glue:
            break  # 5期、培训学员420人次: a list goes on, no noun follows the unit
        if (tok[2] == "age" or rules.phrase.ordinal.match(word)) and not run:
            continue  # 18名90后年轻干部, 71名第二批…干部: the age, the batch qualify the phrase
        if word in "(（" and run:
            close = _closing_bracket(text, tok[0], hi)
            if close:  # 县(市、区)委书记: a bracket inside the phrase belongs to it
                plain = run[-1][2] == "noun" and not any(
                    ch.isdigit() for ch in text[tok[0] : close]
                )
                run.append((tok[0], close, "bracket" if plain else "modifier"))
                skip_to = close
                continue
        if tok[0] < skip_to:
            continue
        role = _role(text, tok, rules)
        if activity and role == "verb":
            role = "noun"
        elif not run and not last_run and _practice_modifier(text, word, tokens[k + 1 :], rules):
            role = "modifier"  # 131名挂职干部, 49名参训学员: the practice says which people
        elif people and role == "verb" and tok[0] < person_head:
            role = "modifier"  # 沿海开发紧缺专业应届优秀研究生: every verb up to that head
        elif (
            people
            and role == "verb"
            and (ahead := _before_person(text, run, tokens[k + 1 :], rules))
        ):
            role, person_head = "modifier", ahead  # 55名新考录公务员, 27名到村任职选调生
        elif role == "end" and not _has_noun(run) and _unknown_word(word):
            role = "modifier"  # 34个盟直部门: a word jieba's dictionary lacks, before the head
        elif role == "verb" and not _has_noun(run) and _one_character_head(text, tokens, k, rules):
            role = "modifier"  # 3个省级示范班: jieba cuts the word before its head 班
        if word in rules.phrase.coordinators and run and run[-1][2] == "noun":
            break  # 50名优秀农村党支部书记和后进村…: the first phrase is counted
        if word in rules.subject_glue:
            if any(r == "noun" for *_, r in run):
                last_run = run
            run = []
            glue = word
        elif role == "modifier" and tag_of(word) in rules.subject_adverb_tags and _has_noun(run):
            break  # 49名参训学员顺利结业: an adverb after the head opens the predicate
        elif role in ("noun", "modifier"):
            run.append((tok[0], tok[1], role))
        else:
            break
    if not any(r == "noun" for *_, r in run):
        run = last_run
    elif (
        people
        and glue == "的"
        and last_run
        and (
            _actions_only(text, run, rules)
            or (_people_head(text, last_run, rules) and not _people_head(text, run, rules))
        )
    ):
        run = last_run  # 20名干部的调整, 10名…后备人选的报名条件: the people are counted
    # a phrase ends on its head, or on a short bracket right after it naming the like of it
    # (9个镇(街道), 5591个社区(居委会)); a longer one is a note on the head (科级领导职位(见附表))
    bracket = run[-1] if run and run[-1][2] == "bracket" else None
    while run and run[-1][2] != "noun":
        run.pop()
    if bracket and run and bracket[1] - run[0][0] <= rules.subject_max_chars:
        run.append(bracket)
    while run and sum(e - s for s, e, _ in run) > rules.subject_max_chars:
        run.pop(0)
    return "".join(text[s:e] for s, e, _ in run)


def _noun_follows(text: str, rest: list, pos: int, rules: Rules) -> bool:
    """Whether a noun of two characters or more starts right at ``pos`` among the tokens
    ``rest`` (not 行 of “成长导师”行拜师礼, a verb)."""
    tok = next((t for t in rest if t[0] >= pos), None)
    return (
        tok is not None
        and tok[0] == pos
        and tok[1] - tok[0] > 1
        and text[tok[0] : tok[1]] not in rules.subject_glue
        and _role(text, tok, rules) == "noun"
    )


def _one_character_head(text: str, tokens: list, k: int, rules: Rules) -> bool:
    """Whether the word of two characters or more at ``k`` is followed by a noun of one
    character ending the phrase (示范 班, 提高 班): one word cut in two."""
    if tokens[k][1] - tokens[k][0] < 2 or k + 1 >= len(tokens):
        return False
    head = tokens[k + 1]
    if head[1] - head[0] != 1 or _role(text, head, rules) != "noun":
        return False
    return k + 2 >= len(tokens) or _role(text, tokens[k + 2], rules) != "noun"


def _has_noun(run: list[tuple[int, int, str]]) -> bool:
    return any(r == "noun" for *_, r in run)


def _before_person(text: str, run: list, rest: list, rules: Rules) -> int:
    """Whether a verb after a headcount qualifies the head of people a few words on (新考录
    公务员, 应届高校毕业生): one follows before anything but nouns, modifiers and verbs, and the
    run holds no noun of more than one character yet (20名干部挂职锻炼: the predicate). The
    head's end when it does, else 0."""
    if any(r == "noun" and e - s > 1 for s, e, r in run):
        return 0
    roles = [_role(text, tok, rules) for tok in rest[:7]]
    for i, (tok, role) in enumerate(zip(rest[:6], roles, strict=False)):
        head = role == "noun" and text[tok[0] : tok[1]].endswith(rules.phrase.person_heads)
        if head and (i + 1 == len(roles) or roles[i + 1] != "noun"):
            return tok[1]  # the phrase ends on it (not 6人获得研究生学历)
        if role not in ("noun", "modifier", "verb") or text[tok[0] : tok[1]] in rules.subject_glue:
            return 0
    return 0


def _unknown_word(word: str) -> bool:
    """A word of two or more Han characters that no dictionary holds (jieba's guess)."""
    return len(word) > 1 and not tag_of(word) and all("\u4e00" <= ch <= "\u9fff" for ch in word)


def _people_head(text: str, run: list, rules: Rules) -> bool:
    """Whether ``run`` ends on a noun of people (党政领导班子正职后备人选, 年轻干部)."""
    return bool(run) and text[run[-1][0] : run[-1][1]].endswith(rules.phrase.person_heads)


def _actions_only(text: str, run: list, rules: Rules) -> bool:
    """Whether the nouns of ``run`` are verbal nouns only (调整, 培训): actions, not people."""
    return all(tag_of(text[s:e]) == "vn" for s, e, r in run if r == "noun")


def _practice_modifier(text: str, word: str, rest: list, rules: Rules) -> bool:
    """Whether a practice verb right after the unit qualifies the noun right after it (挂职
    干部, 参训学员) rather than being the figure's predicate (90人参训, 20人挂职锻炼)."""
    if word not in rules.word_category or not tag_of(word).startswith("v") or not rest:
        return False
    return _role(text, rest[0], rules) == "noun"


def subject_before(doc: Document, m: Measure, clause_start: int, rules: Rules) -> str:
    """The counted phrase right before the figure in its clause (培训科级干部1750人次 →
    科级干部; 男生311人; 其中提拔重用45人; 县级后备干部中45岁以下干部占到39.8%; for a share
    X占Y的N%, the phrase before 占). Nouns run back until a verb (verb + object: the object),
    verbs until a noun (乡镇宣讲授课7场次 → 宣讲授课), none past a stop word (的, 中, 全县 …)."""
    text = doc.text
    tokens = _with_ages(text, _tokens_in(doc, clause_start, m.start), clause_start, m.start)
    words = [text[s:e] for s, e, _ in tokens]
    if m.kind == "percentage":
        shares = [k for k, w in enumerate(words) if w in rules.share_words]
        if shares:
            tokens, words = tokens[: shares[-1]], words[: shares[-1]]
            if tokens and _figure_right_before(doc, replace(m, start=tokens[-1][1])):
                return ""  # 致富能手5人占22.8%: the share of that figure's group (_share_of)
    j = len(tokens)
    while j and words[j - 1] in rules.subject_lead_skip:
        j -= 1
    taking_part = rules.phrase.participation_verbs
    if (
        0 < j < len(words)
        and words[j] in rules.subject_count_nouns
        and (_role(text, tokens[j - 1], rules) == "verb" or words[j - 1] in taking_part)
        and words[j - 1] not in rules.subject_before_stops
    ):
        return text[tokens[j - 1][0] : tokens[j][1]]  # 报考人数为953人: the count of applicants
    if m.kind == "headcount" and j and words[j - 1] in taking_part:
        k = j - 1  # 网上报名9000余人, 成功缴费报考均为96人: those who took part, as they did
        while (
            k
            and words[k - 1] not in rules.subject_before_stops
            and _role(text, tokens[k - 1], rules) in ("verb", "modifier")
            and tokens[j - 1][1] - tokens[k - 1][0] <= rules.subject_max_chars
        ):
            k -= 1
        return text[tokens[k][0] : tokens[j - 1][1]]
    if j == 1 and words[0] in REST_WORDS and text[clause_start - 1 : clause_start] == "、":
        return words[0]  # 提拔45人、晋升159人、其他39人: the list's last item (not 其余6人皆…)
    change = rules.phrase.change_verbs
    if j and words[j - 1] in change and words[j - 1][-1] in rules.phrase.change_ends:
        j -= 1  # 增至120名: the change's verb with its 至 in one word
    elif j > 1 and words[j - 1] in rules.phrase.change_ends and words[j - 2] in change:
        j -= 2  # 年轻干部增加到120名: what changes is counted
    if j and _unknown_word(words[j - 1]) and words[j - 1][-1] in rules.subject_lead_skip:
        start, stop, age = tokens[j - 1]  # 培训面均在90%以上: jieba's guess 面均 hides 均
        if tag_of(text[start : stop - 1]):
            tokens[j - 1], words[j - 1] = (start, stop - 1, age), text[start : stop - 1]
    end = j
    has_noun = has_verb = False
    noun_chars = 0
    while j:
        tok, word = tokens[j - 1], words[j - 1]
        if word in rules.subject_before_stops:
            break
        role = _role(text, tok, rules)
        if role == "end" and j == end and m.kind != "duration" and _unknown_word(word):
            role = "noun"  # 专题网班3期: a word jieba's dictionary lacks heads the phrase
        verbal = tag_of(word) == "vn" or word in rules.word_category
        if role == "noun" and has_verb and not has_noun and verbal:
            role = "verb"  # 交流轮岗: a verbal noun or practice word goes with the verbs
        if role in ("noun", "modifier"):
            if has_verb and not has_noun:
                break  # 乡镇宣讲授课: the verbs are the counted activity, 乡镇 the place
            has_noun = has_noun or role == "noun"
            noun_chars += (tok[1] - tok[0]) if role == "noun" else 0
        elif role == "verb":
            if has_noun and noun_chars == 1 and j < end:
                noun_chars += tok[1] - tok[0]  # 能力提升班2期: a one-character head ends a word
                j -= 1
                continue
            if has_noun:
                break  # 培训科级干部: the object is what is counted
            has_verb = True
        elif word not in "“”‘’()（）":
            break
        if sum(e - s for s, e, _ in tokens[j - 1 : end]) > rules.subject_max_chars:
            break
        j -= 1
    picked = tokens[j:end]
    while picked and (
        text[picked[0][0] : picked[0][1]] in rules.subject_glue
        or text[picked[0][0] : picked[0][1]] in "(（“‘"
        or tag_of(text[picked[0][0] : picked[0][1]]) == "f"
    ):
        picked = picked[1:]  # 以下干部 without its age, 的… : no phrase starts with them
    if (
        has_noun
        and len(picked) > 1
        and text[picked[0][0] : picked[0][1]] in rules.word_category
        and picked[-1][1] - picked[1][0] > 1  # 培训面: a one-character head makes one word
    ):
        picked = picked[1:]  # 培训科级干部: the practice is the verb, the cadres are counted
    if not picked:
        return ""
    if picked[-1][1] - picked[0][0] == 1 and _role(text, picked[0], rules) != "noun":
        return ""  # 一些岗位延长到3年: a single preposition or verb names nothing
    if not has_noun and m.kind == "headcount" and j and words[j - 1] not in rules.list_openers:
        pool = [k for k in range(j) if words[k].startswith(tuple(rules.subject_pool_openers))]
        k = j  # 面向X招录N名, X等定向选调N名: the pool offered the posts is counted
        while k and words[k - 1] in rules.subject_pool_skip - rules.subject_pool_closers:
            k -= 1
        if pool or (k and words[k - 1] in rules.subject_pool_closers):
            return _pool_phrase(text, tokens[pool[-1] if pool else 0 : j], rules)
        named = pool_clause(text, clause_start, doc.sentence_at(clause_start))
        if named and words[j - 1] in rules.subject_pool_skip:
            lo, hi = named  # 从X中，择优选拔N人: the pool in the clause before
            return _pool_phrase(text, _with_ages(text, _tokens_in(doc, lo, hi), lo, hi), rules)
        # 增补3名, 录用488人: the verb says what was done, not who; but a post or a pool
        # named before it holds them (医生岗位计划招聘8人)
        return _holder_before(text, tokens[:j], rules)
    if not has_noun and rules.phrase.growth.search(text[clause_start : m.start].strip()):
        return ""  # 比去年增长了27.9%, 比2020年底净增15万名: how much more, of no group named
    return text[picked[0][0] : picked[-1][1]]


def _holder_before(text: str, tokens: list, rules: Rules) -> str:
    """The post, body or pool ending ``tokens`` (the words before a verb of a headcount,
    skipping 计划, 各 …and a bracket: 医生岗位(二)计划): its noun phrase when its head is
    one of holder_heads, else ""."""
    phrase = rules.phrase
    j = len(tokens)
    while j and text[tokens[j - 1][0] : tokens[j - 1][1]] in phrase.holder_skip:
        j -= 1
    if j and text[tokens[j - 1][0] : tokens[j - 1][1]] in ")）":
        opened = next((k for k in range(j - 1, max(j - 6, 0) - 1, -1)
                       if text[tokens[k][0] : tokens[k][1]] in "(（"), -1)  # fmt: skip
        j = opened if opened > 0 else j
    if not j or not text[tokens[j - 1][0] : tokens[j - 1][1]].endswith(phrase.holder_heads):
        return ""
    end = j
    j = _phrase_start(text, tokens, end, rules, lambda k: tokens[end - 1][1] - tokens[k][0])
    return text[tokens[j][0] : tokens[end - 1][1]] if j < end else ""


def _phrase_start(
    text: str, tokens: list, end: int, rules: Rules, width: Callable[[int], int]
) -> int:
    """Where the noun phrase ending before tokens[end] starts: back over nouns and
    modifiers to a stop word, glue or the length limit (``width(k)``: the phrase's length
    when it starts at tokens[k])."""
    j = end
    while j:
        word = text[tokens[j - 1][0] : tokens[j - 1][1]]
        if word in rules.subject_before_stops or word in rules.subject_glue:
            break
        if _role(text, tokens[j - 1], rules) not in ("noun", "modifier"):
            break
        if width(j - 1) > rules.subject_max_chars:
            break
        j -= 1
    return j


# The rest of a list of groups (其他39人, 其余12名): the item itself names them.
REST_WORDS = frozenset({"其他", "其余", "其它"})


def _pool_phrase(text: str, tokens: list, rules: Rules) -> str:
    """The noun phrase ending a pool (国内高校2022届毕业生、省内服务基层项目人员等定向 →
    省内服务基层项目人员): words of the offer after it skipped, nouns and modifiers back to a
    stop word or the length limit."""
    end = len(tokens)
    opener = next((o for o in rules.subject_pool_openers if text.startswith(o, tokens[0][0])), "")
    if opener:  # jieba keeps 面向全国 as one word: the pool starts after 面向
        tokens = [(tokens[0][0] + len(opener), tokens[0][1], ""), *tokens[1:]]
    while end and text[tokens[end - 1][0] : tokens[end - 1][1]] in rules.subject_pool_skip:
        end -= 1
    j = _phrase_start(text, tokens, end, rules, lambda k: sum(e - s for s, e, _ in tokens[k:end]))
    return text[tokens[j][0] : tokens[end - 1][1]] if j < end else ""


def _batches_of(text: str, previous: Measure, m: Measure, rules: Rules) -> bool:
    """Whether ``previous`` counts batches of the people ``m`` counts: 6批共300名."""
    between = text[previous.end : m.start]  # …or with the verb before 共 (4批选派共1000名)
    joined = between in ("", "共", "共计", "计") or (
        len(between) <= 4 and between.endswith(("共", "共计"))
    )
    return previous.unit in rules.subject_batch_units and joined


def _share_of(text: str, previous: Measure, m: Measure, rules: Rules) -> bool:
    """Whether ``m`` is a share of the figure right before it (6人，占13.3%) or its growth
    (党员421.7万名，比2020年底净增15万名)."""
    between = text[previous.end : m.start].strip("，,、 ")  # 35岁以下的1541人、占76.7%
    if m.kind != "percentage" and (m.kind != previous.kind or m.unit != previous.unit):
        return False
    if rules.phrase.growth.search(between):
        return True  # 研究生121名，比去年增长了72.8%: the group grew
    if m.kind != "percentage":
        return False
    # …or of a total: 8000多人,占干部培训总数的30%以上
    return between in rules.share_words or (
        between.startswith(tuple(rules.share_words))
        and between.endswith("的")
        and len(between) <= 12
    )


def _part_of(text: str, previous: Measure, m: Measure, sentence: tuple[int, int]) -> bool:
    """Whether ``m`` counts part of the group counted right before it in its sentence: its
    clause opens with 其中 (of them) and names no phrase of its own."""
    if previous.end <= sentence[0] or previous.kind != m.kind:
        return False
    between = text[previous.end : m.start]
    if between.lstrip("，, ").startswith("其中") and "，" not in between.lstrip("，, ")[2:]:
        return True
    # …or a bracket opening with 其中 after the group's predicate (100名乡镇党委书记到直属机关
    # 任职(其中30名到自治区直属机关任职))
    lo, _ = subject_clause(text, m, sentence)
    return lo > 0 and text[lo - 1] in "(（" and text[lo : m.start].strip() == "其中"


def _next_part(text: str, previous: Measure, m: Measure, sentence: tuple[int, int]) -> bool:
    """Whether ``m`` opens its clause with no phrase, right after a headcount of part of a
    group (其中已有26人走上厅级岗位，166人走上处级岗位; 班子成员中8人…，15人…): another part."""
    if previous.end <= sentence[0] or not previous.subject or m.kind != "headcount":
        return False
    if previous.kind != m.kind:
        return False
    lo, _ = subject_clause(text, m, sentence)
    plo, phi = subject_clause(text, previous, sentence)
    if text[lo : m.start].strip() or text[phi + 1 : lo].strip() or phi >= lo:
        return False  # not the clause right after the part's, or a phrase of its own
    lead = text[plo : previous.start]
    return lead.startswith(("其中", "当中")) or lead.endswith(("中", "中有", "中已有"))


def subject_by_predicate(doc: Document, m: Measure, sentence: tuple[int, int], rules: Rules) -> str:
    """The people of a headcount nothing else names, named by what they did: its predicate
    when it opens with a verb of taking part (共吸引近6000人参加) or of passing a stage or
    coming from somewhere (共80人进入面试, 其中10人来自中央部委), or, when the figure opens
    its clause (after 有, 其中 …), with an adverb of the past (其中3人曾经担任过区县长); else
    "" (5人平均年龄48岁, 共有21人正式录用)."""
    if m.kind != "headcount":
        return ""
    text = doc.text
    lo, hi = subject_clause(text, m, sentence)
    tokens = _tokens_in(doc, m.end, hi)
    if not tokens or tokens[0][0] != m.end:
        return ""
    first = text[tokens[0][0] : tokens[0][1]]
    phrase = rules.phrase
    if first not in phrase.participation_verbs and first not in phrase.passing_verbs:
        lead = _tokens_in(doc, lo, m.start)
        opens = all(
            text[s:e] in rules.subject_lead_skip or text[s:e] in rules.list_openers for s, e in lead
        )
        if not opens or first not in phrase.predicate_adverbs:
            return ""
    end = tokens[0][1]
    for _, e in tokens[1:]:
        if e - m.end > phrase.predicate_max_chars:
            break
        end = e
    return text[m.end : end]


def distributed_subject(doc: Document, k: int, sentence: tuple[int, int], rules: Rules) -> str:
    """The group a figure of a run (5%和70%, 25864人和5590个) counts when 分别 or 各 before
    the run deals its figures out: the k-th of the groups joined before 分别 (硕士和本科的比例
    分别占到5%和70% → 硕士, 本科), else the subject of the k-th of as many figures right
    before the run in the sentence (女性成员303人，女性正职14人，各占17.3%和3.3%); "" when
    no such run or groups."""
    text, measures, phrase = doc.text, doc.measures, rules.phrase
    first = last = k
    while first and text[measures[first - 1].end : measures[first].start] in phrase.run_joiners:
        first -= 1
    while last + 1 < len(measures) and (
        text[measures[last].end : measures[last + 1].start] in phrase.run_joiners
    ):
        last += 1
    size = last - first + 1
    if size < 2:
        return ""
    lo, _ = subject_clause(text, measures[first], sentence)
    deals = list(phrase.distributive.finditer(text, lo, measures[first].start))
    if not deals:
        return ""
    deal = deals[-1]  # the last 分别 or 各 before the run
    joiner = phrase.group_joiners.search(text, lo, deal.start())
    if joiner:  # 新录用人员中研究生和…: the groups start after the last 中 or 的 before them
        cuts = [e for s, e in _tokens_in(doc, lo, joiner.start()) if text[s:e] in phrase.group_cuts]
        lo = cuts[-1] if cuts else lo
    lead = text[lo : deal.start()].strip()
    for opener in rules.part_openers:
        lead = lead.removeprefix(opener).lstrip("，, ")
    for trailer in phrase.group_trailers:
        if lead.endswith(trailer):
            lead = lead[: -len(trailer)]
            break
    groups = phrase.group_joiners.split(lead) if lead else []
    if len(groups) == size and all(2 <= len(g) <= phrase.group_max_chars for g in groups):
        return groups[k - first]
    before = first - size
    if before < 0 or measures[before].start < sentence[0]:
        return ""
    subjects = [m.subject for m in measures[before:first]]
    return subjects[k - first] if all(subjects) else ""


def find_subject(doc: Document, m: Measure, sentence: tuple[int, int], rules: Rules) -> str:
    """What is counted: the noun phrase after the unit, else the one right before the figure
    (the gold's rule: it may stand after the unit or before the figure); for an end of a
    range (从64家，拓展到135家) with no noun after it, what changes, named before 从."""
    clause_start, clause_end = subject_clause(doc.text, m, sentence)
    if m.kind == "duration" and m.qualifier == "at_least":
        before = _tokens_in(doc, clause_start, m.start)
        if before and doc.text[before[-1][0] : before[-1][1]] in rules.subject_lasting_verbs:
            return doc.text[before[-1][0] : before[-1][1]]  # 任职1年以上的副职: the tenure lasts
    phrase = rules.phrase
    marker = m.start - len(phrase.composition_marker)
    if doc.text.startswith(phrase.composition_verbs, m.end) and doc.text.startswith(
        phrase.composition_marker, marker
    ):  # 常务委员会由13人组成: the body is counted
        return subject_before(doc, replace(m, start=marker, end=marker), clause_start, rules)
    lasting = _lasting_clause(doc.text, m, clause_start, sentence)
    if lasting:  # 举办青年干部培训班，为期3天: what lasts ends the clause before
        lo, hi = lasting
        return subject_before(doc, replace(m, start=hi, end=hi, kind="count"), lo, rules)
    after = subject_after(doc, m, clause_end, rules)
    if not after or m.kind == "duration":  # 从一般1年调整为2年: the practice after is the turn
        topic = range_topic(doc, m, sentence, rules)
        if topic:
            return topic
    if not after and m.kind == "headcount" and _places_only(doc, clause_start, m.start, rules):
        lead = _lead_people(doc, clause_start, sentence, rules)  # 昆明市选聘182名: where
        if lead:
            return lead  # (the place alone: measured worse on the holdout as no phrase)
    found = after or subject_before(doc, m, clause_start, rules)
    right_before = None if found else _figure_right_before(doc, m)
    if right_before is not None and right_before.start > clause_start:
        # 信息库13类287人, 轮训党员四批988人: the phrase before the pair counts both
        found = subject_before(doc, replace(m, start=right_before.start), clause_start, rules)
    if m.kind == "headcount" and not after and not found.endswith(phrase.person_heads):
        # 组工干部深入联系点共计124人次: the people doing it, not the place they went to
        found = _doers(doc, clause_start, m.start, rules) or found
    group = None if found else _group_clause(doc.text, m, clause_start, sentence)
    if group:  # 到村任职的选调生中，有70%担任了…: part of the people named before 中
        named = subject_before(
            doc, replace(m, start=group[1], end=group[1], kind="count"), group[0], rules
        )
        if named.endswith(phrase.person_heads):
            return named
    return found


def _places_only(doc: Document, lo: int, hi: int, rules: Rules) -> bool:
    """Whether text[lo:hi] is a place name with verbs or words of the lead at most (昆明市
    选聘, 河南有): it says where the people of the figure after it are, not who they are."""
    words = [doc.text[s:e] for s, e in _tokens_in(doc, lo, hi)]
    suffixes = rules.phrase.place_suffixes
    places = [
        tag_of(w) == "ns"
        or (tag_of(w) in ("nr", "") and len(w) > 2 and w.endswith(suffixes))  # 楚雄州
        or (w in suffixes and k and tag_of(words[k - 1]) == "ns")  # 普洱 市
        for k, w in enumerate(words)
    ]
    return any(places) and all(
        place or tag_of(w) == "v" or w in rules.subject_lead_skip
        for place, w in zip(places, words, strict=True)
    )


def _lead_span(text: str, lo: int, sentence: tuple[int, int]) -> tuple[int, int] | None:
    """The lead clause a list after a colon opens with (各州市大学生村官选聘计划为：昆明市
    选聘182名，…): its span when the sentence has a colon before ``lo``, else None."""
    colon = max(text.rfind(":", sentence[0], lo), text.rfind("：", sentence[0], lo))
    if colon < 0:
        return None
    start = sentence[0]
    for brk in SUBJECT_CLAUSE_BREAK.finditer(text, sentence[0], colon):
        start = brk.end()
    return (start, colon) if colon > start else None


def _doers(doc: Document, lo: int, hi: int, rules: Rules) -> str:
    """The people doing what a clause says before a headcount: the last noun of people in
    text[lo:hi] right before a verb (组工干部深入联系点), with the nouns and modifiers
    before it, else ""."""
    text = doc.text
    tokens = _tokens_in(doc, lo, hi)
    heads = [
        k
        for k in range(len(tokens) - 1)
        if text[tokens[k][0] : tokens[k][1]].endswith(rules.phrase.person_heads)
        and tag_of(text[tokens[k + 1][0] : tokens[k + 1][1]]).startswith("v")
    ]
    return _phrase_ending(text, tokens, heads[-1] + 1, rules) if heads else ""


def _phrase_ending(text: str, tokens: list, end: int, rules: Rules) -> str:
    """The nouns and modifiers ending at tokens[end - 1], back to a stop or the length limit."""
    j = end
    while j:
        word = text[tokens[j - 1][0] : tokens[j - 1][1]]
        if word in rules.subject_before_stops:
            break
        if tokens[end - 1][1] - tokens[j - 1][0] > rules.subject_max_chars:
            break
        if _role(text, (*tokens[j - 1], ""), rules) not in ("noun", "modifier"):
            break
        j -= 1
    return text[tokens[j][0] : tokens[end - 1][1]] if j < end else ""


def _lead_people(doc: Document, lo: int, sentence: tuple[int, int], rules: Rules) -> str:
    """The people a list's lead names (…大学生村官选聘计划为：): the last noun of people in
    it with the nouns and modifiers before it, else ""."""
    span = _lead_span(doc.text, lo, sentence)
    if span is None:
        return ""
    text = doc.text
    tokens = _tokens_in(doc, *span)
    heads = [k for k, (s, e) in enumerate(tokens) if text[s:e].endswith(rules.phrase.person_heads)]
    return _phrase_ending(text, tokens, heads[-1] + 1, rules) if heads else ""


def _figure_right_before(doc: Document, m: Measure) -> Measure | None:
    """The figure ending where ``m`` starts (13类287人), else None."""
    k = bisect.bisect_left(doc.measures, m.start, key=lambda x: x.start)
    return doc.measures[k - 1] if k and doc.measures[k - 1].end == m.start else None


GROUP_LEADS = ("", "有", "共有", "约有", "就有", "已有", "仅有", "只有", "占")


def _group_clause(
    text: str, m: Measure, clause_start: int, sentence: tuple[int, int]
) -> tuple[int, int] | None:
    """The group a figure opening its clause counts part of, named in the clause before and
    closed by 中 (…选调生中，有70%…): its span, else None (从X中: a pool, pool_clause)."""
    lo = clause_start
    if text[lo : m.start].strip() not in GROUP_LEADS:
        return None
    if lo - 2 < sentence[0] or text[lo - 2] != "中" or text[lo - 1] not in "，,":
        return None
    start = sentence[0]
    for brk in SUBJECT_CLAUSE_BREAK.finditer(text, sentence[0], lo - 1):
        start = brk.end()
    return None if text.startswith("从", start) or lo - 2 <= start else (start, lo - 2)


def _lasting_clause(
    text: str, m: Measure, clause_start: int, sentence: tuple[int, int]
) -> tuple[int, int] | None:
    """The clause before a duration whose own clause is 为期 and the figure alone (…实践锻炼，
    为期3年), where what lasts is named: its (start, end), else None."""
    if m.kind != "duration" or clause_start - 1 <= sentence[0]:
        return None
    between = text[clause_start : m.start].strip()
    own = text.startswith("为期", m.start)  # the figure's text may hold it (为期 3年)
    if text[clause_start - 1] not in "，," or not (between == "为期" or (not between and own)):
        return None
    if not SUBJECT_CLAUSE_END.match(text, m.end) and m.end < sentence[1]:
        return None  # 为期3天的培训: what lasts follows
    lo = sentence[0]
    for brk in SUBJECT_CLAUSE_BREAK.finditer(text, sentence[0], clause_start - 1):
        lo = brk.end()
    return lo, clause_start - 1


def _range_origin(text: str, m: Measure, sentence: tuple[int, int], phrase: SubjectPhrase) -> int:
    """Where 从 opens a range ``m`` is an end of (从首批的64家，拓展到135家), else -1."""
    lo, hi = sentence
    found = phrase.range_from.search(text, max(lo, m.start - 7), m.start)
    if found and phrase.range_turn.match(text, m.end, hi):
        return found.start()
    found = phrase.range_to.search(text, max(lo, m.start - 40), m.start)
    return found.start() if found else -1


def _range_topic_span(
    text: str, m: Measure, sentence: tuple[int, int], phrase: SubjectPhrase
) -> tuple[int, int, bool] | None:
    """Where what a range changes is named: (start, end, whether it opens that stretch): the
    clause before 从 up to it, or the clause before when 从 opens its own; else None."""
    origin = _range_origin(text, m, sentence, phrase)
    if origin < 0:
        return None
    start = sentence[0]
    for brk in SUBJECT_CLAUSE_BREAK.finditer(text, sentence[0], origin):
        start = brk.end()
    if text[start:origin].strip() or start == sentence[0]:
        return start, origin, False
    before = sentence[0]  # 援藏干部人才选派数量逐批增加，从第一批622名…
    for brk in SUBJECT_CLAUSE_BREAK.finditer(text, sentence[0], start - 1):
        before = brk.end()
    return before, start - 1, True


def range_topic(doc: Document, m: Measure, sentence: tuple[int, int], rules: Rules) -> str:
    """What a range ``m`` is an end of changes (深圳接收实训机构从首批的64家 → 实训机构;
    援藏干部人才选派数量逐批增加，从第一批622名… → 援藏干部人才), else ""."""
    span = _range_topic_span(doc.text, m, sentence, rules.phrase)
    if span is None:
        return ""
    lo, hi, opens = span
    if opens:
        return _noun_phrase(doc, lo, hi, rules, activity=True)  # a clause's subject opens it
    return subject_before(doc, replace(m, start=hi, end=hi, kind="count"), lo, rules)


def _subject_role(word: str, rules: Rules) -> str:
    """noun (the phrase's head grows), modifier (glue and modifiers start a new run) or end
    (no counted noun phrase goes past it)."""
    tag = tag_of(word)
    if tag in rules.subject_noun_tags and word not in rules.subject_stops:
        return "noun"
    if tag in rules.subject_modifier_tags or word in rules.subject_glue:
        return "modifier"
    return "end"


def subject_scope(text: str, m: Measure, sentence: tuple[int, int]) -> tuple[int, int]:
    """The characters whose tokens find_subject reads for ``m``: its subject clause. Both
    ends are punctuation or the sentence's ends, where jieba's blocks (runs of Han, letters
    and digits: its re_han_default, each segmented alone) begin and end, so these characters
    segment exactly as inside the whole text (tests compare the records of both)."""
    lo, hi = subject_clause(text, m, sentence)
    named = pool_clause(text, lo, sentence)  # 从X中，择优选拔N人: X is read too
    topic = _range_topic_span(text, m, sentence, load_rules().phrase)  # …and what a range changes
    lasting = _lasting_clause(text, m, lo, sentence)  # …and what lasts (…锻炼，为期3年)
    group = _group_clause(text, m, lo, sentence)  # …and a group closed by 中 (X中，有70%)
    lead = _lead_span(text, lo, sentence)  # …and the lead of a list after a colon
    return min(
        lead[0] if lead else lo,
        named[0] - 1 if named else lo,
        topic[0] if topic else lo,
        lasting[0] if lasting else lo,
        group[0] if group else lo,
    ), hi


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
    keywords = KeywordIndex(text, rules)
    for p in programs:
        sentence = doc.sentence_at(p.start)
        p.sentence = text[sentence[0] : sentence[1]]
        own = len(p.full_name)
        p.category = (
            find_category(p.full_name, own, own, (0, own), rules)
            or find_category(text, p.start, p.end, sentence, rules, keywords=keywords)
            or OTHER
        )
    previous: Measure | None = None
    previous_category, previous_end = "", 0
    headings = opening_headings(doc, rules)
    planning = planning_form(doc, rules, headings)
    told_year = told_in_year(doc)
    for k, m in enumerate(doc.measures):
        sentence = doc.sentence_at(m.start)
        m.sentence = text[sentence[0] : sentence[1]]
        m.period = find_period(text, m.start, sentence, rules)
        m.subject = distributed_subject(doc, k, sentence, rules) or find_subject(
            doc, m, sentence, rules
        )
        m.modality = find_modality(
            doc,
            m,
            sentence,
            rules,
            previous.modality if previous is not None else "",
            planning,
            told_year,
        )
        if not m.subject and previous is not None and _share_of(text, previous, m, rules):
            m.subject = previous.subject  # 女干部6人，占13.3%: the share of the same group
        elif not m.subject and previous is not None and _part_of(text, previous, m, sentence):
            m.subject = previous.subject  # 派出选调生4300多名，其中已有26人…: of that group
        elif not m.subject and previous is not None and _next_part(text, previous, m, sentence):
            m.subject = previous.subject  # 班子成员中8人…，15人…: another part of that group
        if not m.subject:
            m.subject = subject_by_predicate(doc, m, sentence, rules)  # 有2850人报名: who did it
        if previous is not None and _batches_of(text, previous, m, rules) and m.subject:
            previous.subject = m.subject  # 选派了6批共300多名优秀干部: batches of them
        previous = m
        clause = clause_bounds(text, m.start, m.end, sentence, m.subject)
        m.category = (
            member_category(m.subject, rules, text, m)
            or entity_category(m, rules)
            or find_category(
                text,
                m.start,
                m.end,
                clause,
                rules,
                sentence,
                weak=False,
                keywords=keywords,
                counted_end=relative_clause_end(text, m, clause, rules),
                phrase_end=counted_phrase_end(text, m, clause),
                figure=True,
            )
        )
        between = _unwrapped(text, previous_end, m.start, rules)
        if not m.category and previous_category and "\n" not in between:
            if not any(ch in between for ch in FULL_STOP_CHARS):
                m.category = previous_category  # …；女干部6人，占13.3%: the list goes on
            elif _opens_with_part(text, m, sentence, rules):
                m.category = previous_category  # 计划选调362名。其中，省直部门57名: of them
        if not m.category:
            m.category = _restated_category(doc, k, _paragraph(text, m.start))
        m.category = m.category or people_field_category(text, m, rules)
        # then the practice of the paragraph, before a field named near the figure (当中8人是
        # 中共党员, in a paragraph on graduates sent to villages); a stock (辖166个乡镇) is no
        # evidence of its paragraph's practice
        stock = not m.category and states_stock(doc, m, sentence, rules)
        m.category = (
            m.category
            or topic_category(doc, m.start, rules, keywords, stock, headings)
            or find_category(
                text, m.start, m.end, clause, rules, sentence, keywords=keywords, figure=True
            )
            # people counted where nothing but a field is named: that field's (人才培养
            # 工程拟入选名单。其中包括，第一层次人选66名); not things (22条产业链, of firms)
            or (
                not stock
                and m.kind == "headcount"
                and topic_category(doc, m.start, rules, keywords, headings=headings, fields=True)
            )
            or OTHER
        )
        if m.category == RECRUITMENT:  # a hire: of cadres, or of talent beyond their ranks
            paragraph = _paragraph(text, m.start)
            stretches = [sentence, paragraph, (0, len(doc.title)), *headings]
            m.category = hiring_category(text, stretches, keywords)
        previous_category, previous_end = m.category, m.end
        m.program = find_program(m, programs, sentence)
