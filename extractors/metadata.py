"""Title, outlet, author and publish date from the head of a report's text.

HTML pages already carry what the page's markup says (pipeline/webpage.py); for a plain-text
report the head of the text gives them: ingest reads the date on the raw text (read_text_date:
normalize drops the date bars as furniture), and each normalized article part fills what is
still empty (extract_metadata). Only the head (furniture, headline, bars, bylines, the
dateline opening the body) and the last lines count: a date in the body says when something
happened, not when the report appeared. Patterns: data/metadata.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from orgwork.pipeline.document import Document
from orgwork.pipeline.pagemeta import dates_in

DATA = Path(__file__).parent / "data" / "metadata.toml"
HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}")
# Stands for the body between the head and the last lines when only those are converted: a
# sentence, so nothing after it is read as a head line.
ELIDED_BODY = "…。"
SELF_NAMES = ("本报", "本网", "本台", "本刊")
NAME_SEPARATORS = re.compile(r"[\s、,，;；/]+")
# A date followed by a comma opens a sentence (2009年9月9日,她来到…): the day of an event.
EVENT_DATE = re.compile(
    r"^\s*(?:19|20)\d{2}\s*(?:年[^,，。]{1,8}日|[-/.]\d{1,2}[-/.]\d{1,2})\s*[,，]"
)


@dataclass(frozen=True)
class Rules:
    header_lines: int
    header_line_chars: int
    byline_chars: int
    footer_lines: int
    clock_labels: tuple[str, ...]
    member_labels: tuple[str, ...]
    dated_dateline: re.Pattern
    speech_date: re.Pattern
    title_split: re.Pattern
    bylines: list[re.Pattern]
    bare_name_line: re.Pattern
    unit_endings: tuple[str, ...]
    not_names: tuple[str, ...]
    source: list[re.Pattern]
    not_outlets: frozenset[str]


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA) -> Rules:
    """The header rules (data/metadata.toml), checked: a bad entry fails here, not mid-run."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))

    def words(key: str) -> tuple[str, ...]:
        if not raw.get(key) or not all(isinstance(w, str) and w for w in raw[key]):
            raise ValueError(f"{path}: '{key}' must be a list of words")
        return tuple(raw[key])

    def compile_one(key: str, pattern: str, groups: tuple[str, ...]) -> re.Pattern:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{path}: bad pattern in {key}: {exc}") from exc
        if not any(g in compiled.groupindex for g in groups):
            raise ValueError(f"{path}: a pattern in {key} needs a group named {groups}")
        return compiled

    def compile_all(key: str, groups: tuple[str, ...]) -> list[re.Pattern]:
        return [compile_one(key, p, groups) for p in raw[key]]

    def number(key: str) -> int:
        value = raw.get(key)
        if not isinstance(value, int) or value < 1:
            raise ValueError(f"{path}: '{key}' must be a positive whole number")
        return value

    titles = sorted(words("reporter_titles"), key=len, reverse=True)  # longest wins
    return Rules(
        header_lines=number("header_lines"),
        header_line_chars=number("header_line_chars"),
        byline_chars=number("byline_chars"),
        footer_lines=number("footer_lines"),
        clock_labels=words("clock_labels"),
        member_labels=words("member_labels"),
        dated_dateline=compile_one("dated_dateline", raw["dated_dateline"], ("date",)),
        speech_date=compile_one("speech_date", raw["speech_date"], ("date",)),
        title_split=re.compile("|".join(map(re.escape, titles))),
        bylines=compile_all("byline_patterns", ("byline",)),
        bare_name_line=compile_one("bare_name_line", raw["bare_name_line"], ("byline",)),
        unit_endings=words("unit_endings"),
        not_names=words("not_names"),
        source=compile_all("source_patterns", ("outlet",)),
        not_outlets=frozenset(words("not_outlets")),
    )


PERSON_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}|[A-Za-z][A-Za-z .'-]{1,40}"
)


def plausible_authors(authors: str) -> str:
    """Only what can be a person's name: a page's menu read as a byline is dropped."""
    names = [a.strip() for a in re.split(r"[;；,，、\s/]+", authors) if a.strip()]
    return ";".join(n for n in names if PERSON_NAME.fullmatch(n))


def byline_names(byline: str, rules: Rules | None = None, strict: bool = False) -> list[str]:
    """The people a byline names: 记者庄婷婷通讯员许文洁 杨晶晶 → 庄婷婷, 许文洁, 杨晶晶.

    Titles (记者, 全媒体记者 …) separate names and are not part of them; what stands before
    the first title is the outlet. Names are 2-4 Han characters, apart by spaces, 、 or ，;
    one spaced out letter by letter (陈 敏) is one name. With ``strict``, a byline holding
    anything that is not a name gives none (a line of the body is no byline).
    """
    rules = rules or load_rules()
    chunks = rules.title_split.split(byline)
    if len(chunks) > 1:
        chunks = chunks[1:]  # 钱江晚报记者 刘焜: the outlet, not a name
    names: list[str] = []
    for chunk in chunks:
        chunk = re.sub(r"报道\s*$", "", chunk.strip())
        tokens = [t for t in NAME_SEPARATORS.split(chunk) if t]
        if tokens and all(len(t) == 1 for t in tokens):
            tokens = ["".join(tokens)]  # a two- or three-character name set out to align: 陈 敏
        for token in tokens:
            found = _names_in(token, rules)
            if not found and strict:
                return []
            names.extend(found)
    return names


def _names_in(token: str, rules: Rules) -> list[str]:
    if any(w in token for w in rules.not_names) or token.endswith(rules.unit_endings):
        return []
    if HAN_NAME.fullmatch(token):
        return [token]
    if len(token) == 6 and HAN_NAME.fullmatch(token[:3]) and HAN_NAME.fullmatch(token[3:]):
        # two names run together (许文洁杨晶晶): most Chinese names have three characters; a
        # run of five or seven cannot be split with any confidence and is left out
        return [token[:3], token[3:]]
    return []


def head_lines(lines: list[str], rules: Rules | None = None) -> tuple[list[str], int]:
    """The non-empty lines of the head of a text, the first body line's opening last; and
    how many of them are whole header lines (the rest is that opening)."""
    rules = rules or load_rules()
    head: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if "。" in line or len(line) > rules.header_line_chars:
            return [*head, line[: rules.byline_chars]], len(head)
        head.append(line)
        if len(head) == rules.header_lines:
            break
    return head, len(head)


def _clock_line(line: str, rules: Rules) -> bool:
    """A line giving today's date (今天是2025年04月30日, 今日：2025-04-30): a clock label right
    before a date. A label inside a name (今日临桂, an outlet) makes no clock line."""
    for label in rules.clock_labels:
        at = line.find(label)
        while at >= 0:
            if CLOCK_DATE.match(line, at + len(label)):
                return True
            at = line.find(label, at + 1)
    return False


def _member_date(previous: str, line: str, rules: Rules) -> bool:
    """A date of a forum's member panel: a member label right before it, on its line
    (注册时间：2002-10-07) or alone on the line before (注册 / 2002-10-07)."""
    if previous.rstrip(":： ") in rules.member_labels:
        return True
    return line.startswith(rules.member_labels) and bool(
        CLOCK_DATE.match(
            line, len(next(label for label in rules.member_labels if line.startswith(label)))
        )
    )


CLOCK_DATE = re.compile(r"[是为:：\s]{0,3}(?:星期.\s*)?[\d〇零一二三四五六七八九十]")


def header_date(lines: list[str], rules: Rules | None = None) -> str:
    """YYYY-MM-DD the head or the foot of a text states as its date, or "".

    The head's lines first (not a clock line: 今天是…; not a sentence opening with the day of
    an event), then a dated dateline opening the body (新华社北京2019年11月2日电) or a speech's
    date run into its opening (…的讲话(2010年2月25日)同志们:), then the
    last lines when short and not sentences (《人民日报》(2025年10月09日 第 04 版)).
    """
    rules = rules or load_rules()
    head, n_whole = head_lines(lines, rules)
    for k, line in enumerate(head[:n_whole]):
        if _clock_line(line, rules) or EVENT_DATE.search(line):
            continue
        if _member_date(head[k - 1] if k else "", line, rules):
            continue
        if found := dates_in(line):
            return found[0]
    if len(head) > n_whole and (
        m := rules.dated_dateline.search(head[-1]) or rules.speech_date.search(head[-1])
    ):
        return next(iter(dates_in(m["date"])), "")
    body = [ln.strip() for ln in lines if ln.strip()]
    footer = body[max(n_whole + 1, len(body) - rules.footer_lines) :]
    for line in reversed(footer):
        if "。" in line or len(line) > rules.header_line_chars or EVENT_DATE.search(line):
            continue
        if _clock_line(line, rules):
            continue
        if found := dates_in(line):
            return found[0]
    return ""


def header_byline(lines: list[str], rules: Rules | None = None) -> tuple[list[str], str]:
    """The names and the outlet the head's bylines and datelines give."""
    rules = rules or load_rules()
    authors: list[str] = []
    outlet = ""
    # Past the first body line too: furniture run together into one long line may stand
    # above the byline; a body line is read only at its opening, where a dateline stands.
    head = [ln.strip() for ln in lines if ln.strip()][: rules.header_lines]
    for line in head:
        whole = "。" not in line and len(line) <= rules.header_line_chars
        line = line if whole else line[: rules.byline_chars]
        names: list[str] = []
        for k, pattern in enumerate(rules.bylines):
            if not whole and k == len(rules.bylines) - 1:
                break  # the body's opening is no line of names
            if m := pattern.search(line):
                names = byline_names(m["byline"], rules, strict=k == len(rules.bylines) - 1)
                if names:
                    outlet = outlet or _byline_outlet(m, rules)
                    break
        if not names and authors and whole and (m := rules.bare_name_line.search(line)):
            names = byline_names(m["byline"], rules, strict=True)
        if names:
            authors.extend(names)
        elif authors:
            break  # the byline block has ended
    return list(dict.fromkeys(authors)), outlet


def _byline_outlet(m: re.Match, rules: Rules) -> str:
    outlet = m.groupdict().get("outlet") or ""
    if not outlet:  # 海都记者 杨江参: the outlet stands before the title
        outlet = rules.title_split.split(m["byline"])[0].strip()
        outlet = re.sub(r"驻[\u4e00-\u9fff]+$", "", outlet)  # 中国日报驻湖南记者: the paper
        has_title = rules.title_split.search(m["byline"])
        outlet = outlet if has_title and re.fullmatch(r"[\u4e00-\u9fff]{2,8}", outlet) else ""
    return outlet


def header_outlet(lines: list[str], rules: Rules | None = None) -> str:
    """The outlet a source line of the head names (来源:xx日报), or ""."""
    rules = rules or load_rules()
    head, _ = head_lines(lines, rules)
    for line in head:
        for pattern in rules.source:
            for m in pattern.finditer(line):
                outlet = m["outlet"]
                if outlet not in rules.not_outlets and not outlet.lower().startswith("http"):
                    return outlet
    return ""


def footer_outlet(lines: list[str], rules: Rules | None = None) -> str:
    """The outlet a source line among the last lines names (来源:安徽商报 作者:…, under the
    body of a repost), or "": short lines only, not sentences, the last first."""
    rules = rules or load_rules()
    body = [ln.strip() for ln in lines if ln.strip()]
    for line in reversed(body[-rules.footer_lines :]):
        if "。" in line or len(line) > rules.header_line_chars:
            continue
        if outlet := header_outlet([line], rules):
            return outlet
    return ""


def fill_from_head(doc: Document, lines: list[str]) -> Document:
    """Author, outlet and publish date from the text's head where still empty."""
    rules = load_rules()
    authors, outlet = header_byline(lines, rules)
    if not doc.author and authors:
        doc.author = ";".join(authors)
    doc.author = plausible_authors(doc.author)
    if not doc.outlet:
        source = header_outlet(lines, rules)
        # 本报讯 names the paper only as "this paper": a source line says which one
        doc.outlet = source if source and outlet.startswith(SELF_NAMES) else outlet or source
    if not doc.publish_date:
        doc.publish_date = header_date(lines, rules)
    return doc


def read_text_date(doc: Document) -> Document:
    """A plain-text report's publish date from its raw head and last lines, read before
    normalize drops the date bars (发布时间:…, 时间:…) as furniture. Read on those lines made
    half-width, without pinyin and Simplified (the rules are written so), as normalize makes
    them. The outlet of a source line too; the reporters are read on the normalized text."""
    from orgwork.pipeline.normalize import strip_pinyin, to_halfwidth
    from orgwork.pipeline.script import detect_script, to_simplified

    rules = load_rules()
    if doc.publish_date:
        return doc
    lines = doc.raw_text.split("\n")
    n = rules.header_lines * 2 + rules.footer_lines  # blank lines between bars are common
    tail = lines[max(n, len(lines) - rules.footer_lines) :]
    # A line longer than header_line_chars is body, read only at its opening: the rest of a
    # paragraph need not be converted (a text of one long line was converted whole). Cut
    # after its indent is stripped, as header_date reads it: an indented paragraph cut with
    # its indent was one character short of body and read as a date line.
    cut = rules.header_line_chars + 1
    head = [line.strip()[:cut] for line in [*lines[:n], ELIDED_BODY, *tail]]
    text, _ = strip_pinyin(to_halfwidth("\n".join(head)))
    raw, simp = text, to_simplified(text)
    if detect_script(text, simp) != "simplified":
        text = simp
    doc.publish_date = header_date(text.split("\n"), rules)
    lines = text.split("\n")
    if not doc.outlet and (outlet := header_outlet(lines, rules) or footer_outlet(lines, rules)):
        # 来源:定海区融媒体中心 goes with the bar too (or with the foot's furniture), and the
        # outlet may name the report's place. A Traditional page's outlet is kept as written
        # (normalize converts it once: t2s twice is not safe); t2s keeps lengths, so it
        # stands where its Simplified form was found.
        at = text.find(outlet)
        doc.outlet = raw[at : at + len(outlet)] if len(raw) == len(text) and at >= 0 else ""
    return doc


def extract_metadata(doc: Document) -> Document:
    """Fill outlet, author and publish_date where the page and the raw head did not give them.

    The headline, when normalize found one, leads the text and is read as a head line too.
    """
    return fill_from_head(doc, doc.text.split("\n"))
