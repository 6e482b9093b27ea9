"""Programmes: named initiatives (“蓬江夜校”, “菁蓝”工程, unquoted 农村党建攻坚行动), not slogans.

A quotation is a programme when its own text ends in a type word, when a type word closes
the phrase right after it, or when an initiative verb (实施, 开展, 建立…) stands right
before it. Back-to-back quotations (“上派”“下挂”) share that evidence. Single quotations
inside a longer one (“…实施‘三年行动计划’…”) count as quotations. An unquoted name is one
ending in a type word after an initiative verb (推进农村党建攻坚行动), or a class, project or
system whose modifier names the trade's people (第十四期青年干部培训班). An enumeration shares
that evidence: a class listed next to such a name (基层干部藏语提高班、藏语口语强化班), the item
after a name in a list closing in 等项目, and systems listed three or more together (谈心谈话
制度、定期汇报制度、沟通联系制度). Couplets, principles (坚持…), epithets of people (“老书记”)
and the country's slogans (“三个代表”) are rhetoric; the name a school was renamed to (改为…学习
班) is its history. Names that contain one another are one
programme. Rules: data/programs.toml.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from orgwork.extractors.quotes import find_quotes, find_short_quotes
from orgwork.pipeline.document import Document, Program, make_id
from orgwork.pipeline.lexicon import frequency_of, tag_of

DATA = Path(__file__).parent / "data" / "programs.toml"
GROUP_GLUE = set("、和与及")
LIST_GAP = 12  # at most this many characters between two items of one list (a note in brackets)
INNER_QUOTE = re.compile("‘([^‘’“”\n]{2,24})’")
QUOTE_MARKS = '“”「」『』‘’"'
NO_QUOTES = str.maketrans("", "", QUOTE_MARKS)
VERB_PARTICLES = "了好起"  # 开展了, 开展好, 建起: still the verb that runs the initiative


@dataclass(frozen=True)
class Rules:
    type_set: frozenset[str]
    type_lengths: tuple[int, ...]  # the lengths of type words, longest first
    unquoted: re.Pattern
    anchored: re.Pattern  # type words of unquoted names found by their modifier
    anchored_set: frozenset[str]
    practice_types: frozenset[str]  # type words only before one of practice_followers
    practice_followers: tuple[str, ...]
    practice_event: re.Pattern  # an event of a practice's people after it: a follower too
    practice_object: re.Pattern  # the people a practice is of, before its follower
    practice_stops: str  # a practice may end its clause right after the verb that runs it
    practice_clause_chars: int  # how far back the verb running a practice's clause may stand
    practice_clause_min: int  # a clause without the trade's people names it from this length
    practice_clause_blockers: tuple[str, ...]  # a clause holding these is a topic (关于…)
    this_words: tuple[str, ...]
    name_start: re.Pattern  # the modifier's start: after the last of these
    anchors: re.Pattern
    anchor_words: tuple[str, ...]
    class_types: frozenset[str]
    class_modifier_chars: int
    class_kinds_after: re.Pattern  # after a class: it is one of the kinds a school runs
    venue_types: frozenset[str]
    venue_modifier_chars: int
    set_up_verbs: frozenset[str]
    generic_modifiers: frozenset[str]
    modifier_blockers: tuple[str, ...]
    school_types: frozenset[str]
    not_type_words: tuple[str, ...]
    self_named: frozenset[str]
    school_blockers: tuple[str, ...]
    anchored_blockers: tuple[str, ...]
    verb_set: frozenset[str]
    verb_lengths: tuple[int, ...]
    type_window: int
    type_blockers: list[str]
    name_closers: str
    type_gap_stops: str
    tight_types: frozenset[str]  # right after a quotation, they make even a word a name
    gap_verbs: tuple[str, ...]  # verbs that open a new clause after a quotation
    head_chars: frozenset[str]
    head_blockers: frozenset[str]
    head_numerals: str
    rhetoric_tags: frozenset[str]
    common_word_frequency: int  # a quoted word this frequent is an ordinary word (“专门”)
    descriptive_tags: frozenset[str]
    described_tags: frozenset[str]  # 具体的…计划: a word of these before 的 describes
    label_heads: tuple[str, ...]
    loose_label_heads: tuple[str, ...]
    slogans: list[re.Pattern]
    bare_number: re.Pattern
    place_prefix: re.Pattern
    max_name_chars: int
    min_name_chars: int
    repeat_min: int
    subject_after: re.Pattern
    loose_types: frozenset[str]  # unquoted type words a name needs a specific modifier for
    loose_modifier_chars: int
    activity_words: re.Pattern  # words any activity is described by
    run_after: re.Pattern  # after a quotation: it was set up or run (“青蓝接力”实施以来)
    document: re.Pattern
    verb_people_chars: int  # the people between a verb and the quotation it runs
    verb_count: re.Pattern  # a count between a verb and the quotation it runs (举办3期“…”)
    leading_count: re.Pattern  # the same count opening an unquoted name (举办两期…活动)
    national: re.Pattern  # programmes of the whole country, named so in any report
    listed_types: frozenset[str]  # type words only a list of such names makes names
    listed_min: int
    list_glue: re.Pattern  # what stands between two items of one enumeration
    list_items_between: re.Pattern  # other items between two venues of one enumeration
    list_item_after: re.Pattern  # the next item of a list closing in 等 and a type word
    not_programmes: tuple[str, ...]  # names of other fields' policies (联产承包责任制)
    couplet: re.Pattern  # two phrases of a slogan (喜迎二十大 共筑中国梦)
    list_label: re.Pattern  # 等“省考”项目 after a list of quotations: its umbrella label
    renamed_to: tuple[str, ...]  # before an unquoted name: what an institution became


def _alternation(words: list[str]) -> str:
    return "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA) -> Rules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    types = sorted(set(raw["type_words"]), key=len, reverse=True)
    verbs = sorted(raw["initiative_verbs"], key=len, reverse=True)
    unquoted_types = sorted(raw["unquoted_type_words"], key=len, reverse=True)
    if not set(raw["loose_unquoted_type_words"]) <= set(unquoted_types):
        raise ValueError(f"{path}: loose_unquoted_type_words must be unquoted_type_words too")
    if not set(unquoted_types) <= set(types):
        raise ValueError(f"{path}: unquoted_type_words must be type_words too")
    for key in ("class_type_words", "venue_type_words"):
        if not set(raw[key]) <= set(raw["anchored_type_words"]):
            raise ValueError(f"{path}: {key} must be anchored_type_words too")
    if any(len(c) != 1 for c in raw["type_head_chars"]):
        raise ValueError(f"{path}: type_head_chars are single characters")
    if any(not 2 <= len(v) <= 3 for v in raw["set_up_verbs"]):
        raise ValueError(f"{path}: set_up_verbs are words of two or three characters")
    # The lookahead lets the regex engine skip positions no verb starts at.
    verb_starts = re.escape("".join(sorted({v[0] for v in verbs})))
    unquoted = re.compile(
        f"(?=[{verb_starts}])(?:(?:{'|'.join(map(re.escape, verbs))})[{VERB_PARTICLES}]?)+"
        rf"(?P<name>[\u4e00-\u9fff]{{2,{raw['max_name_chars']}}}?"
        f"(?P<type>{'|'.join(map(re.escape, unquoted_types))}))"
        f"(?=[，,。；;、]|{_alternation(raw['unquoted_name_followers'])})"
    )
    try:
        slogans = [re.compile(p) for p in raw["slogan_patterns"]]
        bare_number = re.compile(raw["bare_number_pattern"])
        place_prefix = re.compile(raw["place_prefix_pattern"])
        name_start = re.compile(
            f"{_alternation(raw['name_start_words'])}|{raw['name_start_pattern']}"
        )
        subject_after = re.compile(raw["subject_after_pattern"])
        run_after = re.compile(raw["run_after_pattern"])
        document = re.compile(
            f"(?:{_alternation(raw['document_issue_verbs'])})[了的]?"
            f"《(?P<name>[^《》\n]{{4,{raw['max_document_chars']}}}?"
            f"(?P<type>{_alternation(raw['document_type_words'])})(?:[(（]试行[)）])?)》"
        )
        list_glue = re.compile(raw["list_glue_pattern"])
        list_items_between = re.compile(raw["list_items_between_pattern"])
        verb_count = re.compile(f"(?:{raw['verb_count_pattern']})$")
        list_item_after = re.compile(raw["list_item_after_pattern"])
        couplet = re.compile(raw["couplet_pattern"])
        practice_event = re.compile(raw["practice_event_pattern"])
        list_label = re.compile(raw["list_label_pattern"])
    except re.error as exc:
        raise ValueError(f"{path}: bad pattern: {exc}") from exc
    if "label" not in list_label.groupindex:
        raise ValueError(f"{path}: list_label_pattern needs a group (?P<label>…)")
    if "name" not in list_item_after.groupindex:
        raise ValueError(f"{path}: list_item_after_pattern needs a group (?P<name>…)")
    listed_min = int(raw["listed_min"])
    if listed_min < 2:
        raise ValueError(f"{path}: listed_min must be 2 or more")
    if set(raw["listed_type_words"]) & set(raw["anchored_type_words"]):
        raise ValueError(f"{path}: listed_type_words must not be anchored_type_words")
    return Rules(
        type_set=frozenset(types),
        type_lengths=tuple(sorted({len(t) for t in types}, reverse=True)),
        unquoted=unquoted,
        anchored=re.compile(
            _alternation(
                raw["anchored_type_words"] + raw["practice_type_words"] + raw["listed_type_words"]
            )
        ),
        anchored_set=frozenset(raw["anchored_type_words"]),
        practice_types=frozenset(raw["practice_type_words"]),
        practice_followers=tuple(raw["practice_followers"]),
        practice_event=practice_event,
        practice_object=re.compile(
            f"[\u4e00-\u9fff]{{2,{int(raw['practice_object_chars'])}}}?"
            f"(?=(?:{_alternation(raw['practice_followers'])}))"
        ),
        practice_stops=raw["practice_stops"],
        practice_clause_chars=int(raw["practice_clause_chars"]),
        practice_clause_min=int(raw["practice_clause_min"]),
        practice_clause_blockers=tuple(raw["practice_clause_blockers"]),
        this_words=tuple(raw["practice_demonstratives"]),
        name_start=name_start,
        anchors=re.compile(_alternation(raw["name_anchors"])),
        anchor_words=tuple(raw["name_anchors"]),
        class_types=frozenset(raw["class_type_words"]),
        class_modifier_chars=int(raw["class_modifier_chars"]),
        class_kinds_after=re.compile(raw["class_kinds_after_pattern"]),
        venue_types=frozenset(raw["class_type_words"] + raw["venue_type_words"]),
        venue_modifier_chars=int(raw["venue_modifier_chars"]),
        set_up_verbs=frozenset(raw["set_up_verbs"]),
        generic_modifiers=frozenset(raw["generic_modifiers"]),
        modifier_blockers=tuple(raw["modifier_blockers_at_end"]),
        school_types=frozenset(raw["school_type_words"]),
        not_type_words=tuple(raw["not_type_words"]),
        self_named=frozenset(raw["self_named_types"]),
        school_blockers=tuple(raw["school_blockers_at_end"]),
        anchored_blockers=tuple(raw["anchored_blockers_after"]),
        verb_set=frozenset(verbs),
        verb_lengths=tuple(sorted({len(v) for v in verbs}, reverse=True)),
        type_window=int(raw["type_window"]),
        type_blockers=raw["type_blockers"],
        name_closers=raw["name_closers"],
        type_gap_stops=raw["type_gap_stops"],
        tight_types=frozenset(raw["tight_type_words"]),
        gap_verbs=tuple(
            sorted(set(raw["initiative_verbs"]) | set(raw["gap_verbs"]), key=len, reverse=True)
        ),
        head_chars=frozenset(raw["type_head_chars"]),
        head_blockers=frozenset(raw["type_head_blockers"]),
        head_numerals=raw["type_head_numerals"],
        rhetoric_tags=frozenset(raw["rhetoric_tags"]),
        common_word_frequency=int(raw["common_word_frequency"]),
        descriptive_tags=frozenset(raw["descriptive_tags"]),
        described_tags=frozenset(raw["described_tags"]),
        label_heads=tuple(raw["label_heads"]),
        loose_label_heads=tuple(raw["loose_label_heads"]),
        slogans=slogans,
        bare_number=bare_number,
        place_prefix=place_prefix,
        max_name_chars=int(raw["max_name_chars"]),
        min_name_chars=int(raw["min_name_chars"]),
        repeat_min=int(raw["repeated_quote_min"]),
        subject_after=subject_after,
        run_after=run_after,
        loose_types=frozenset(raw["loose_unquoted_type_words"]),
        loose_modifier_chars=int(raw["loose_modifier_chars"]),
        activity_words=re.compile(_alternation(raw["activity_words"])),
        document=document,
        verb_people_chars=int(raw["verb_people_chars"]),
        verb_count=verb_count,
        leading_count=re.compile(raw["verb_count_pattern"]),
        national=re.compile(_alternation(raw["national_programmes"])),
        listed_types=frozenset(raw["listed_type_words"]),
        listed_min=listed_min,
        list_glue=list_glue,
        list_items_between=list_items_between,
        list_item_after=list_item_after,
        not_programmes=tuple(raw["not_programmes"]),
        couplet=couplet,
        list_label=list_label,
        renamed_to=tuple(raw["renamed_to"]),
    )


def _own_type(name: str, rules: Rules) -> str:
    """The type word a quoted name ends with (蓬江夜校 → 夜校), if at least two characters
    stand before it (“进课堂” is a verb and its object); the longest such word. Looked up by
    length in a set: a handful of lookups, not one comparison per type word. Nor one that
    only a verb stands before (“…、增强活力、打造品牌”): a task said, not a name."""
    if name in rules.self_named:
        return name
    for n in rules.type_lengths:
        if len(name) >= n + 2 and name[-n:] in rules.type_set:
            if re.split("[、，,]", name[:-n])[-1] in rules.verb_set:
                return ""
            return name[-n:]
    return ""


def _type_after(text: str, pos: int, rules: Rules) -> tuple[str, int]:
    """A type word closing the phrase that starts at ``pos`` (right after a quote): at the
    first position where one ends the phrase, the longest that does. One standing right at
    ``pos`` need not end the phrase (“菁蓝”工程入选…)."""
    window = text[pos : pos + rules.type_window + 4]
    typed = False  # a type word of the vocabulary seen: the phrase's head is its, not later
    for i in range(min(rules.type_window, len(window))):
        ch = window[i]
        if not ("\u4e00" <= ch <= "\u9fff") or ch in rules.type_gap_stops:
            break
        if i and any(window.startswith(v, i) for v in rules.gap_verbs):
            break  # a new clause: “青春心向党”为主题开展演讲比赛 names no 比赛
        for n in rules.type_lengths:
            t = window[i : i + n]
            if len(t) < n or t not in rules.type_set:
                continue
            typed = True
            rest = window[i + n :]
            if any(rest.startswith(b) for b in rules.type_blockers):
                continue
            if i == 0 or not rest or rest[0] in rules.name_closers:
                return t, pos + i + n
        if not typed and ch in rules.head_chars and _head_closes(window, i, rules):
            return window[max(0, i - 2) : i + 1], pos + i + 1
    return "", pos


def _head_closes(window: str, i: int, rules: Rules) -> bool:
    """Whether the head character at ``window[i]`` ends a type noun outside the vocabulary
    (“青马”班, “书记”交流会, “党建”积分制, “组工”开放日): it closes the phrase, and it is
    not the end of an ordinary word (社会, 上班, 经营, 编制) nor of a count (两个月)."""
    rest = window[i + 1 :]
    if rest and rest[0] not in rules.name_closers:
        return False
    if i and window[i - 1] in rules.head_numerals:
        return False
    return not any(window[: i + 1].endswith(w) for w in rules.head_blockers)


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


def _all_quotes(text: str) -> list[tuple[int, int]]:
    """Short quotations, and single quotations inside longer ones (a speech quoting a name)."""
    short = find_short_quotes(text)
    inner = [
        m.span(1)
        for s, e in find_quotes(text)
        if "‘" in text[s:e] and (s, e) not in short
        for m in INNER_QUOTE.finditer(text, s, e)
    ]
    return sorted([*short, *inner])


def find_programs(doc: Document) -> list[Program]:
    """Programmes named in the text, one record per programme (its first mention)."""
    rules = load_rules()
    text = doc.text
    found: list[Program] = []
    quotes = _all_quotes(text)
    times_quoted = Counter(text[s:e].strip() for s, e in quotes)
    umbrellas: set[int] = set()  # starts of quotations that label a list of names
    for group in _quote_groups(text, quotes):
        first_open = group[0][0] - 1
        last_close = group[-1][1] + 1
        # 开展了“…”, 开展好“…”: a particle may follow the verb (but 发起 is a verb), and
        # a count of its sessions (开办10期“…”, 开展一次“…”)
        ends = {
            first_open,
            first_open - (first_open > 0 and text[first_open - 1] in VERB_PARTICLES),
        }
        count = rules.verb_count.search(text, max(0, first_open - 6), first_open)
        if count:
            ends.add(count.start())
        verb_before = any(
            text[max(0, end - n) : end] in rules.verb_set
            and not _ends_people_word(text, end, n, rules)
            for end in ends
            for n in rules.verb_lengths
        ) or _verb_before_people(text, first_open, rules)
        if group[0][0] in umbrellas:
            continue  # 等“省考”项目: the label of the list before it
        shared_type, type_end = _type_after(text, last_close, rules)
        labelled = rules.list_label.match(text, last_close)
        if labelled and not shared_type:  # “甲”“乙”等“省考”项目: the items are names
            shared_type, type_end = _type_after(text, labelled.end(), rules)
            if shared_type:
                umbrellas.add(labelled.start("label"))
                type_end = last_close  # the type word is the label's: the names end here
        label = text.startswith(rules.label_heads, last_close)
        loose_label = text.startswith(rules.loose_label_heads, last_close)
        subject = rules.subject_after.match(text, last_close) is not None
        verb_after = _word_tag(text[last_close : last_close + 4], last=False) == "v"
        run_after = rules.run_after.match(text, last_close) is not None
        for s, e in group:
            name = text[s:e].strip()
            if len(group) == 1 and name in rules.anchored_set and name not in rules.self_named:
                # 村党组织书记“擂台赛”, 青年干部“夜校”: a bare type word named by the
                # modifier before it, as an unquoted name would be
                named_type = _modifier_name(doc, rules, s - 1, name)
                if named_type:
                    found.append(named_type)
                continue
            if label or not _acceptable(name, rules):
                continue
            own = _own_type(name, rules)
            if loose_label and not own:
                continue  # “九零”后, “三好”学生; but 启动“青苗工程”后
            # a name the text returns to, or defines (“三同四一”是…), that no dictionary
            # holds as a word of its own (“银色先锋”, “择优比选”; not “一把手”, “村官”)
            returned = times_quoted[name] >= rules.repeat_min or subject
            named = returned and not frequency_of(name)
            if verb_after and shared_type and not own and _word_tag(name, True) == "v":
                continue  # the manner of the verb after it: “量身定制”帮带计划
            if verb_after and not (shared_type or own or run_after) and frequency_of(name):
                continue  # a word of the dictionary before a verb: its manner (“手把手”帮带)
            if not (own or shared_type or verb_before or named or run_after):
                continue
            if not (own or shared_type) and rules.couplet.match(name):
                continue  # 开办“喜迎二十大 共筑中国梦”…: a slogan
            tight = shared_type in rules.tight_types and type_end == last_close + len(shared_type)
            if not own and not tight and tag_of(name) in rules.rhetoric_tags:
                continue  # “三位一体”互动平台, 开展“充电”; but “蹲苗”计划 names a plan
            if not own and not tight and frequency_of(name) >= rules.common_word_frequency:
                continue  # “专门”培训基地: an ordinary word stressed, no name
            if not shared_type and rules.bare_number.match(name):
                continue  # “80”后, “五个”: only a type word after a number makes it a name
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
        start = m.start("name")
        said = name[: name.find("的")]
        if "的" in name and frequency_of(said) and tag_of(said) in rules.described_tags:
            continue  # 实施具体的培养计划: which kind of plan, not its name
        count = rules.leading_count.match(name)
        if count:  # 举办两期读书班活动: how many sessions were held, not the name
            name, start = name[count.end() :], start + count.end()
            if len(name) < rules.min_name_chars + len(m.group("type")):
                continue
        if m.group("type") in rules.loose_types and not _specific(name, m.group("type"), rules):
            continue  # 开展特色活动, 进行学习考察活动: a description, not a name
        for offset, part, type_ in _coordinated(name, m.group("type"), rules):
            found.append(
                _program(doc, part, part, type_, start + offset, start + offset + len(part))
            )
    for m in rules.document.finditer(text):  # a policy the report's unit issued
        start = m.start("name") - 1  # its 《
        if any(start < p.start and p.end <= m.end() for p in found):
            continue  # 《关于…“311”工程的实施意见》: the programme quoted in it is the name
        if not doc.is_unusable(start, m.end()):
            # 《某市“甲乙”计划工作方案》: the plan's quotation is part of its name
            name = m.group("name").translate(NO_QUOTES)
            found.append(_program(doc, name, name, m.group("type"), start, m.end()))
    for m in rules.national.finditer(text):  # 三支一扶, 西部计划: quoted or not, a programme
        if not doc.is_unusable(m.start(), m.end()):
            found.append(_program(doc, m.group(), m.group(), "", m.start(), m.end()))
    closes = {e: (s, e) for s, e in find_short_quotes(text)}
    found.extend(_anchored_names(doc, rules, closes))
    found = [p for p in found if not any(w in p.name for w in rules.not_programmes)]
    return _dedupe(found, rules)


def _ends_people_word(text: str, end: int, n: int, rules: Rules) -> bool:
    """Whether the verb of ``n`` characters ending at ``end`` is the end of a longer word of
    the trade's people (组织 of 党组织“领头雁”: whose epithet, no verb running it)."""
    return any(len(a) > n and text.endswith(a, 0, end) for a in rules.anchor_words)


def _verb_before_people(text: str, open_at: int, rules: Rules) -> bool:
    """Whether an initiative verb stands before the quotation opening at ``open_at`` with
    only the trade's people it is of between (开展年轻干部“上挂下派”锻炼, 实施村党组织书记
    “头雁”培育): the people say whose initiative it is, the verb that it was run. The people
    run from the last start word (赴 of 组织新录用公务员赴“一山一岛一馆”: where they went)."""
    lo = open_at
    while lo > max(0, open_at - rules.verb_people_chars) and "\u4e00" <= text[lo - 1] <= "\u9fff":
        lo -= 1
    cut = _modifier_start(text, lo, open_at, rules)
    people = text[cut:open_at]
    return (
        len(people) >= rules.min_name_chars
        and rules.anchors.search(people) is not None
        and _after_verb(text, cut, rules.verb_set, rules.verb_lengths)
    )


def _anchored_names(
    doc: Document, rules: Rules, quotes: dict[int, tuple[int, int]]
) -> list[Program]:
    """Unquoted classes, projects and systems named by their modifier (澧县2015年领导干部党性
    教育专题培训班): the modifier runs back from the type word over Han characters to the
    last start word or number, holds a word of the trade's people and is no bare generic
    word. A modifier right after a quotation makes the quotation the name (“新青年·新作为”
    年轻干部培训班). Each type word is looked at once, the modifier within max_name_chars
    before it. ``quotes``: (start, end) of the short quotations by the index of their close."""
    text = doc.text
    out: list[Program] = []
    unnamed: list[Program] = []  # classes and forums no word of the trade's people names
    listed: list[Program] = []  # systems that only a list of them names
    for m in rules.anchored.finditer(text):
        start, end = m.span()
        if start and text[start - 1] in QUOTE_MARKS:
            continue  # a quoted name's type word: the quotation's evidence
        practice_object = ""  # 公开选拔领导干部工作: the people it selects belong to its name
        # 开展了村党组织书记公开遴选。: named so only right after its verb (a headline's
        # 市委公开遴选村党组织书记工作纪实 tells who did it, not a name)
        after_verb_only = False
        event = ""  # 挂职锻炼干部培训会: the people of the event held for it name its trade
        if m.group() in rules.listed_types and not (
            text[end : end + 1] in GROUP_GLUE or "、" in text[max(0, start - LIST_GAP) : start]
        ):
            continue  # a system named only in a list: none stands next to it
        if m.group() in rules.practice_types:
            held = rules.practice_event.match(text, end)
            if held:
                event = held.group()
            elif not text.startswith(rules.practice_followers, end):
                obj = rules.practice_object.match(text, end)
                if obj and rules.anchors.search(obj.group()):
                    practice_object = obj.group()
                elif not (text[end : end + 1] and text[end] in rules.practice_stops):
                    continue
                after_verb_only = True
        elif (
            text.startswith(rules.anchored_blockers, end)
            or (m.group() in rules.class_types and rules.class_kinds_after.match(text, end))
        ) or any(text.startswith(w, end - len(w)) for w in rules.not_type_words):
            continue
        lo = start
        while lo > max(0, start - rules.max_name_chars) and (
            "\u4e00" <= text[lo - 1] <= "\u9fff"
            or text[lo - 1].isdigit()
            or (text[lo - 1].isascii() and text[lo - 1].isalpha())
        ):
            # digits too: a date or an ordinal before the name (2015年, 第26期); and Latin
            # letters of a name (献县TV党建大讲堂)
            lo -= 1
        cut = _modifier_start(text, lo, start, rules)
        while event and cut > lo + 1 and text[cut - 1] in GROUP_GLUE:
            # 西部地区和其他少数民族地区挂职锻炼干部培训会: the places it joins name it whole
            cut = _modifier_start(text, lo, cut - 1, rules)
        while cut < start and text[cut].isdigit():
            cut += 1
        modifier = text[cut:start]
        if after_verb_only and not _after_verb(text, cut, rules.verb_set, rules.verb_lengths):
            continue
        if not modifier and (
            m.group() in rules.self_named
            or (m.group() in rules.practice_types and text.endswith(rules.this_words, 0, cut))
        ):  # 2019年春季中青班; 此次公开选拔工作: the report's own practice, named as a whole
            out.append(_program(doc, m.group(), m.group(), m.group(), start, end))
            continue
        quoted = quotes.get(lo - 1) if cut == lo and modifier else None
        if quoted and modifier and rules.anchors.search(modifier):
            s, e = quoted
            name = text[s:e].strip()
            if (
                _acceptable(name, rules)
                and tag_of(name) not in rules.rhetoric_tags
                and not rules.couplet.match(name)
            ):
                out.append(_program(doc, name, name + text[e + 1 : end], m.group(), s - 1, end))
                continue
            # a slogan before it (开办“喜迎二十大 共筑中国梦”献县TV党建大讲堂): the modifier
            # alone names it
        if text.endswith(rules.renamed_to, 0, cut):
            continue  # 1973年改为市委干部学习班: the school's name of the time, no initiative
        named = not (
            len(modifier) < rules.min_name_chars
            or modifier in rules.generic_modifiers
            or modifier.endswith(rules.modifier_blockers)
            or _descriptive(modifier, rules)
            or (m.group() in rules.school_types and modifier.endswith(rules.school_blockers))
        )
        if m.group() in rules.practice_types and not (
            named and rules.anchors.search(modifier + practice_object + event)
        ):
            clause = _practice_clause(doc, start, end + len(practice_object), rules)
            if clause:
                out.append(clause)
                continue
        if m.group() in rules.loose_types and not _specific(modifier + m.group(), m.group(), rules):
            continue  # 一场特殊的干部选拔活动: an activity described, not named
        s = start - len(modifier)
        end += len(practice_object)
        if doc.is_unusable(s, end):
            continue
        name = modifier + m.group() + practice_object
        if named and m.group() in rules.listed_types:
            listed.append(_program(doc, name, name, m.group(), s, end))
        elif named and (
            rules.anchors.search(modifier + practice_object + event)
            or (m.group() in rules.class_types and len(modifier) >= rules.class_modifier_chars)
            or _set_up_venue(text, cut, m.group(), len(modifier), rules)
        ):
            out.append(_program(doc, name, name, m.group(), s, end))
        elif named and m.group() in rules.venue_types:
            unnamed.append(_program(doc, name, name, m.group(), s, end))
        elif m.group() in rules.self_named:  # 县委始建党训班: the class named as a whole
            out.append(_program(doc, m.group(), m.group(), m.group(), start, end))
    return out + _listed_names(doc, rules, out, unnamed, listed)


def _practice_clause(doc: Document, start: int, end: int, rules: Rules) -> Program | None:
    """A practice named as a whole by the clause after the verb that runs it, the clause
    running over places, people and their conjunctions (启动边疆地区和民族地区干部到发达
    地区挂职锻炼以来, 召开选派干部到甲、乙两州挂职锻炼工作会议): from that verb, the last
    within practice_clause_chars (not across 的), when the clause names the trade's people or
    is practice_clause_min characters long."""
    text = doc.text
    lo = start
    while lo > max(0, start - rules.practice_clause_chars) and (
        ("\u4e00" <= text[lo - 1] <= "\u9fff" and text[lo - 1] not in rules.type_gap_stops)
        or text[lo - 1].isdigit()
        or text[lo - 1] == "、"
    ):
        lo -= 1
    for cut in range(start, lo, -1):
        if any(
            cut - n >= lo
            and text[cut - n : cut] in rules.verb_set
            and not _ends_people_word(text, cut, n, rules)
            for n in rules.verb_lengths
        ):
            break
    else:
        return None
    clause = text[cut:start]
    if any(w in clause for w in rules.practice_clause_blockers):
        return None  # 落实好中央关于对口支援工作的部署: what a decision is about
    if text[cut : cut + 1] == "、" or clause in rules.generic_modifiers:
        return None
    if not (rules.anchors.search(clause) or len(clause) >= rules.practice_clause_min):
        return None
    if doc.is_unusable(cut, end):
        return None
    name = text[cut:end]
    return _program(doc, name, name, text[start:end], cut, end)


def _listed_names(
    doc: Document, rules: Rules, found: list[Program], unnamed: list[Program], listed: list[Program]
) -> list[Program]:
    """Names an enumeration gives (A、B和C): a class or forum whose modifier holds no word of the
    trade's people, listed next to one that does (基层干部藏语提高班、藏语口语强化班和藏语口语
    师资班; 党政干部大专班(两年制)、委托大专班); the items of a list after a name that closes
    in 等 and a type word (实施年轻干部特训营、十个一线实岗锻炼等项目); and systems listed
    ``listed_min`` or more together (谈心谈话制度、定期汇报制度、沟通联系制度)."""
    text = doc.text
    out: list[Program] = []
    named = sorted((p for p in found if p.type in rules.venue_types), key=lambda p: p.start)
    waiting = sorted(unnamed, key=lambda p: p.start)
    for a, b in pairwise(waiting):  # 抓好精品示范班、名师送教、周末大讲堂等工作
        if a.type in rules.school_types or b.type in rules.school_types:
            continue  # 某某大学、某理工学院、某美术学院: schools listed, not initiatives
        if 0 < b.start - a.end <= 2 * LIST_GAP and rules.list_items_between.fullmatch(
            text, a.end, b.start
        ):
            named.extend(p for p in (a, b) if p not in named)
            out.extend(p for p in (a, b) if p not in out)
    waiting = [p for p in waiting if p not in out]
    grew = True
    while grew and waiting:  # along the list, in either direction, one neighbour at a time
        grew = False
        for p in list(waiting):
            if any(_listed_together(text, p, q, rules) for q in named):
                waiting.remove(p)
                named.append(p)
                out.append(p)
                grew = True
    for p in found:
        item = rules.list_item_after.match(text, p.end)
        if item and not doc.is_unusable(item.start("name"), item.end("name")):
            name = item.group("name")
            out.append(_program(doc, name, name, "", item.start("name"), item.end("name")))
    run: list[Program] = []
    for p in sorted(listed, key=lambda p: p.start):
        if run and not _listed_together(text, run[-1], p, rules):
            out.extend(run if len(run) >= rules.listed_min else [])
            run = []
        run.append(p)
    out.extend(run if len(run) >= rules.listed_min else [])
    return out


def _listed_together(text: str, a: Program, b: Program, rules: Rules) -> bool:
    """Whether ``a`` and ``b`` stand next to each other in one enumeration."""
    first, second = (a, b) if a.start < b.start else (b, a)
    return 0 < second.start - first.end <= LIST_GAP and bool(
        rules.list_glue.fullmatch(text, first.end, second.start)
    )


def _after_verb(text: str, cut: int, verbs: frozenset[str], lengths: tuple[int, ...]) -> bool:
    """Whether one of ``verbs`` (or it and 了: 开展了) ends right before ``cut``."""
    return any(
        text[max(0, end - n) : end] in verbs
        for end in (cut, cut - (cut > 0 and text[cut - 1] == "了"))
        for n in lengths
    )


def _coordinated(name: str, type_: str, rules: Rules) -> list[tuple[int, str, str]]:
    """An unquoted name split where two names are joined (村民代表常设制和县处领导包联制度):
    at a conjunction whose left side ends in a type word, as its offset, text and type."""
    for i, ch in enumerate(name):
        if ch not in GROUP_GLUE or i < rules.min_name_chars + 1:
            continue
        left, right = name[:i], name[i + 1 :]
        left_type = next((left[-n:] for n in (3, 2, 1) if left[-n:] in rules.anchored_set), "")
        if left_type and len(right) >= rules.min_name_chars + len(type_):
            return [(0, left, left_type), (i + 1, right, type_)]
    return [(0, name, type_)]


def _specific(name: str, type_: str, rules: Rules) -> bool:
    """Whether an unquoted name of a loose type word (活动) says which one it is: a modifier of
    loose_modifier_chars or more that is more than words any activity is described by (学习考察,
    健康文体, 特色) and the trade's people (干部) and opens with no manner word (多样化)."""
    modifier = name[: -len(type_)]
    if len(modifier) < rules.loose_modifier_chars or _descriptive(modifier, rules):
        return False  # 多样化人才交流活动: a manner, not a name
    if any(c in modifier for c in "的及和与"):
        return False  # 一场别开生面的座谈交流活动, 理论学习及联谊活动: described activities
    rest = rules.anchors.sub("", rules.activity_words.sub("", modifier))
    return len(rest) >= 2  # 干部学习培训活动: whose and what kind, not which


def _modifier_name(doc: Document, rules: Rules, open_at: int, type_: str) -> Program | None:
    """The name a modifier before a quoted bare type word gives it (村党组织书记“擂台赛”): the
    modifier runs back to the last start word, holds a word of the trade's people and is no
    generic word, as for unquoted names."""
    text = doc.text
    lo = open_at
    while lo > max(0, open_at - rules.max_name_chars) and "\u4e00" <= text[lo - 1] <= "\u9fff":
        lo -= 1
    cut = _modifier_start(text, lo, open_at, rules)
    modifier = text[cut:open_at]
    if len(modifier) < rules.min_name_chars or modifier in rules.generic_modifiers:
        return None
    if modifier.endswith(rules.modifier_blockers) or _descriptive(modifier, rules):
        return None
    if not rules.anchors.search(modifier) or doc.is_unusable(cut, open_at + len(type_) + 2):
        return None  # 晚上“夜校”: no name
    end = open_at + len(type_) + 2  # past the closing quote
    return _program(doc, modifier + type_, modifier + type_, type_, cut, end)


def _set_up_venue(text: str, cut: int, type_: str, modifier_chars: int, rules: Rules) -> bool:
    """Whether a class, camp or forum is named right after the verb that sets it up (开办乡村
    振兴大讲堂, 举办周末理论夜校): its modifier then names it without a word of the trade's
    people."""
    return (
        type_ in rules.venue_types
        and modifier_chars >= rules.venue_modifier_chars
        and _after_verb(text, cut, rules.set_up_verbs, (3, 2))  # 成立, 成立了
    )


def _word_tag(text: str, last: bool) -> str:
    """The tag of the first (or last) word of ``text``: the longest dictionary word of up to
    four characters at that end, else its single character's."""
    for n in (4, 3, 2, 1):
        word = text[-n:] if last else text[:n]
        if len(word) == n and frequency_of(word):
            return tag_of(word)
    return ""


def _descriptive(modifier: str, rules: Rules) -> bool:
    """Whether a modifier opens with an idiom or a manner word (多样化人才交流活动, 常态化…):
    a description of activities, not the name of one. Its first word: the longest of the
    dictionary's at its start, unless it holds a word of the trade's people."""
    if modifier[2:3] == "化":
        return True
    for n in (4, 3, 2):
        word = modifier[:n]
        if len(word) == n and frequency_of(word):
            # a fixed phrase of the trade's people (发展党员公示制) names, it does not describe
            return tag_of(word) in rules.descriptive_tags and not rules.anchors.search(word)
    return False


def _modifier_start(text: str, lo: int, start: int, rules: Rules) -> int:
    """Where a name's modifier in text[lo:start] starts: after the last start word or number
    in it, passing over a one-character word that begins a longer word (在 of 在线学习), a
    longer one that begins a noun with the next character (组织 of 组织部, 主办 of 主办方)
    and one that ends a word of the trade's people (组织 of 党组织)."""
    cut = lo
    for m in rules.name_start.finditer(text, lo, start):
        w = m.group()
        if len(w) == 1 and frequency_of(text[m.start() : m.start() + 2]):
            continue
        if len(w) > 1 and m.end() < start and _is_noun(text[m.start() : m.end() + 1]):
            continue  # 县委组织部长培训班: the modifier runs on over 组织部
        if any(len(a) > len(w) and text.endswith(a, lo, m.end()) for a in rules.anchor_words):
            continue  # the end of a word of the trade's people (组织 of 村党组织书记)
        cut = m.end()
    return cut


def _is_noun(word: str) -> bool:
    """Whether ``word`` is a noun of the dictionary (组织部, 主办方, 参加者)."""
    return frequency_of(word) > 0 and tag_of(word).startswith("n")


def _acceptable(name: str, rules: Rules) -> bool:
    if not rules.min_name_chars <= len(name) <= rules.max_name_chars:
        return False
    if name in rules.type_set and name not in rules.self_named:
        return False  # “夜校” alone names no particular initiative (but “青干班” does)
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


def _dedupe(programs: list[Program], rules: Rules) -> list[Program]:
    """One record per programme, with the count of mentions. A name inside another, leading
    place names aside (年轻干部成长工程 in 新时代年轻干部成长工程, 伍家岗区干部能力提升训练营
    in “筑梦新中心·干部能力提升训练营”), is the same programme. The record is its first
    mention, or its first quoted one: quotation marks show where a name starts and ends."""
    kept: list[tuple[str, Program]] = []
    for p in sorted(programs, key=lambda p: p.start):
        core = rules.place_prefix.sub("", p.name)
        same = next(
            (i for i, (c, q) in enumerate(kept) if core in c or c in core or _shortened(p, q)),
            None,
        )
        if same is None:
            if not any(p.start < q.end and q.start < p.end for _, q in kept):
                kept.append((core, p))
            continue  # else an unquoted match overlapping a quoted one
        q = kept[same][1]
        if p.start < q.end and q.start < p.end:
            continue  # the same mention, found twice
        if _is_quoted(q) or not _is_quoted(p):
            q.mentions += 1
            if not q.type and p.type:
                q.type, q.full_name = p.type, p.full_name
            continue
        p.mentions += q.mentions
        kept[same] = (core, p)
    return [p for _, p in kept]


def _shortened(p: Program, q: Program) -> bool:
    """Whether unquoted ``p`` is ``q`` with a middle left out: a head of at least four
    characters and an end of at least two of ``q``'s make up all of ``p`` (优秀年轻干部交流任职
    after 优秀年轻干部跨地区跨条块跨领域交流任职; not 重要岗位试用期制 after 重要岗位全委会投票制,
    two systems sharing only 制)."""
    a, b = p.name, q.name
    if _is_quoted(p) or len(a) >= len(b) or len(a) < 6:
        return False
    head = next((n for n in range(len(a)) if a[n] != b[n]), len(a))
    return head >= 4 and len(a) - head >= 2 and b.endswith(a[head:])


def _is_quoted(p: Program) -> bool:
    return p.text[:1] in QUOTE_MARKS


def assign_program_ids(doc: Document) -> None:
    for p in doc.programs:
        p.program_id = make_id(doc.doc_id, "program", p.name)
