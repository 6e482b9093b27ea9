"""Normalize: decoded text → clean Simplified text, split into articles, with header metadata.

Order matters: pinyin annotations and mojibake are handled on the original script (the
repair re-encodes with the page's byte layout), then OpenCC, then line structure; every
later offset refers to the stored Simplified text.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from orgwork.pipeline.document import Document, DocumentError
from orgwork.pipeline.mojibake import repair_mojibake
from orgwork.pipeline.script import detect_script, to_simplified

DATA = Path(__file__).parent / "data"

# Inline pinyin after a Han character: 區(qū), 個(ge). Lower-case Latin with tone marks only,
# so (MPA) or (秦越/摄) stay.
# A space may stand inside the brackets, (huì ), as some gateways print it, and a word's
# syllables may share one pair, (huó dòng).
PINYIN_ANNOTATION = re.compile(
    r"(?<=[\u3400-\u9fff])[(（] ?[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}"
    r"(?: [a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}){0,3} ?[)）]"
)
HAN = re.compile(r"[\u4e00-\u9fff]+")
SENTENCE_END = "。！？!?；;：:…”’」』)）】"
# A line this long that ends without sentence punctuation is a paragraph broken mid-sentence;
# a shorter unpunctuated line is a heading or a caption.
MIN_BROKEN_LINE = 20
# Indented by at least this many characters alike, consecutive lines are set in by the page.
LAYOUT_MARGIN = 6


@dataclass(frozen=True)
class Rules:
    furniture: list[re.Pattern]
    tail_markers: list[re.Pattern]
    article_openers: list[re.Pattern]
    relevance_keywords: list[str]
    relevance_strong: list[str]
    relevance_min_hits: int
    relevance_min_distinct: int
    headline_max_chars: int
    headline_min_han: int
    headline_lookahead: int
    not_headline: list[re.Pattern]


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA / "normalize.toml") -> Rules:
    """Load and check the normalize rules (a bad pattern fails here, not mid-run)."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))

    def compile_all(key: str) -> list[re.Pattern]:
        try:
            return [re.compile(p) for p in raw[key]]
        except (KeyError, re.error) as exc:
            raise ValueError(f"{path}: bad or missing '{key}': {exc}") from exc

    return Rules(
        furniture=compile_all("furniture"),
        tail_markers=compile_all("tail_markers"),
        article_openers=compile_all("article_openers"),
        relevance_keywords=list(raw["relevance_keywords"]),
        relevance_strong=list(raw["relevance_strong"]),
        relevance_min_hits=int(raw["relevance_min_hits"]),
        relevance_min_distinct=int(raw["relevance_min_distinct"]),
        headline_max_chars=int(raw["headline"]["max_chars"]),
        headline_min_han=int(raw["headline"]["min_han"]),
        headline_lookahead=int(raw["headline"]["lookahead"]),
        not_headline=[re.compile(x) for x in raw["headline"]["not_headline"]],
    )


_HALFWIDTH = str.maketrans(
    {
        ch: unicodedata.normalize("NFKC", ch)
        for ch in [chr(c) for c in range(0xFF10, 0xFF5B)] + list("％＋－．")
        if unicodedata.normalize("NFKC", ch).isascii()
    }
)


# str.translate looks every character up in the table (a tenth of normalize); runs of the few
# characters it changes are found by a regular expression, in C, and translated alone.
_FULLWIDTH_RUN = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_HALFWIDTH)) + "]+")


def to_halfwidth(text: str) -> str:
    """Full-width digits, Latin letters and % + - . to ASCII; Chinese punctuation stays."""
    return _FULLWIDTH_RUN.sub(lambda m: m.group().translate(_HALFWIDTH), text)


def strip_pinyin(text: str) -> tuple[str, int]:
    return PINYIN_ANNOTATION.subn("", text)


def clean_lines(text: str, rules: Rules) -> list[str]:
    """Drop furniture lines and join lines broken inside sentences; paragraphs stay lines.

    ``text`` is already Simplified (the rules are written in Simplified). A line that is
    indented or opens with a dateline starts a paragraph and is never joined on; a
    short unpunctuated line inside a broken sentence is a photo caption set into the text.
    """
    kept: list[tuple[str, bool]] = []  # (line, starts a paragraph)
    margin = -1  # the previous kept line's indentation
    for raw_line in text.split("\n"):
        line = raw_line.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        # One search per pattern: most are anchored or start with a literal, which the regex
        # engine finds fast; joined into one alternation they were three times slower.
        if any(p.search(line) for p in rules.furniture):
            continue
        indent = len(raw_line) - len(raw_line.lstrip(" \t\u3000"))
        # a page's margin (every line of a printed page set in by as many spaces, as text
        # taken from a PDF is) opens no paragraph: only an indent deeper than that does
        indented = indent > 0 and not (indent >= LAYOUT_MARGIN and indent == margin)
        margin = indent
        opener = any(p.search(line) for p in rules.article_openers)
        kept.append((line, indented or opener))
    lines: list[str] = []
    body_seen = False  # above the body, date, byline and source lines are lines of their own
    i = 0
    while i < len(kept):
        line, starts = kept[i]
        # Never join onto the first line (a headline has no end punctuation), nor a date or
        # byline line above the body onto the headline.
        meta = not body_seen and _meta_line(line, rules)
        if len(lines) > 1 and not starts and not meta and _broken(lines[-1]):
            nxt = kept[i + 1] if i + 1 < len(kept) else None
            if _caption(line) and nxt is not None and not nxt[1] and not _caption(nxt[0]):
                i += 1  # a caption between the halves of a sentence: drop it, join around it
                line = nxt[0]
            lines[-1] += line
        else:
            lines.append(line)
        body_seen = body_seen or "。" in line or len(line) > rules.headline_max_chars
        i += 1
    return lines


def _broken(line: str) -> bool:
    """A line this long without sentence punctuation at its end was cut mid-sentence."""
    return len(line) >= MIN_BROKEN_LINE and line[-1] not in SENTENCE_END


def _caption(line: str) -> bool:
    return len(line) < MIN_BROKEN_LINE and not any(ch in SENTENCE_END for ch in line)


def split_articles(lines: list[str], rules: Rules) -> list[list[str]]:
    """Split one page's lines into articles.

    A later dateline starts a part (with the headline line before it); an ads/notices marker
    starts a tail part, and further markers stay in that same tail part.
    """
    parts: list[list[str]] = [[]]
    in_tail = False
    for i, line in enumerate(lines):
        opens_article = i >= 3 and any(p.search(line) for p in rules.article_openers)
        if opens_article and len(parts[-1]) >= 2:
            parts.append(_pop_headline(parts[-1], rules))
            in_tail = False
        elif i >= 3 and any(p.search(line) for p in rules.tail_markers) and parts[-1]:
            if not in_tail:
                parts.append([])
            in_tail = True
        parts[-1].append(line)
    return [p for p in parts if p]


def _pop_headline(lines: list[str], rules: Rules) -> list[str]:
    """The lines that open the article whose dateline follows ``lines``, taken off their end:
    the line before a dateline is its headline, or, when source and date lines stand between
    them (来源：… 2015-08-21), the headline above those lines with them."""
    k = len(lines) - 1
    while k > 0 and _meta_line(lines[k], rules):
        k -= 1
    if k == len(lines) - 1 or not looks_like_headline(lines[k], rules):
        k = len(lines) - 1
    opening = lines[k:]
    del lines[k:]
    return opening


TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|——| - | – |-{2,})\s*")
SITE_NAME = re.compile(r"(网站|门户网站|门户|首页|官网|主页)$")
TITLE_LOOKAHEAD = 5  # lines of furniture a page may keep above its headline


def place_title(lines: list[str], page_title: str) -> list[str]:
    """Make the page's headline the first line: the text of every article starts with it.

    The <title> usually carries the site's name (…封闭！_网易订阅): its longest segment is the
    headline. Lines above a copy of it in the text are furniture and go.
    """
    title = max(TITLE_SEPARATORS.split(page_title.strip()), key=len).strip()
    if len(title) < 4 or SITE_NAME.search(title):
        return lines  # a <title> that only names the site says nothing of the article
    for i, line in enumerate(lines[:TITLE_LOOKAHEAD]):
        if title in line or (len(line) >= 4 and line in title):
            return lines[i:]
    return [title, *lines]


def is_relevant(text: str, rules: Rules) -> bool:
    """Enough words of organization work, of enough kinds; a word of the trade itself
    (组织部, 选调生 …) counts as two kinds, so a report on one practice passes."""
    hits = {kw: text.count(kw) for kw in rules.relevance_keywords}
    distinct = sum(1 + (kw in rules.relevance_strong) for kw, n in hits.items() if n)
    enough = sum(hits.values()) >= rules.relevance_min_hits
    return enough and distinct >= rules.relevance_min_distinct


def _han_count(line: str) -> int:
    return sum(map(len, HAN.findall(line)))


def _meta_line(line: str, rules: Rules) -> bool:
    """A byline, date, source line or app banner (normalize.toml's [headline] not_headline)."""
    return any(p.search(line) for p in rules.not_headline)


def looks_like_headline(line: str, rules: Rules) -> bool:
    """A headline: short, enough Han characters, no full stop, not a byline, dateline, date
    or source line."""
    return (
        len(line) <= rules.headline_max_chars
        and _han_count(line) >= rules.headline_min_han
        and "。" not in line
        and not _meta_line(line, rules)
        and not any(p.search(line) for p in rules.article_openers)
    )


def headline_index(lines: list[str], rules: Rules) -> int | None:
    """Which of the first lines is the headline, None when the text has none: lines of
    page furniture (立即下载, a date, a byline) may stand above it; a line of the report's
    body (a sentence) coming first means there is no headline line."""
    for i, line in enumerate(lines[: rules.headline_lookahead]):
        if looks_like_headline(line, rules):
            return i
        if _han_count(line) >= rules.headline_min_han and not _meta_line(line, rules):
            return None  # a line of the body
    return None


def lead_with_headline(lines: list[str], rules: Rules) -> tuple[list[str], str]:
    """The lines with the headline first (the lines above it follow it) and the headline,
    or the lines as they are and "" when the text has no headline line."""
    i = headline_index(lines, rules)
    if i is None:
        return lines, ""
    return [lines[i], *lines[:i], *lines[i + 1 :]], lines[i]


def normalize_document(doc: Document) -> list[Document]:
    """One ingested Document → one Document per article on the page, each with clean text."""

    rules = load_rules()
    text = to_halfwidth(doc.raw_text)
    text, n_pinyin = strip_pinyin(text)
    if n_pinyin:
        doc.notes.append(f"removed {n_pinyin} inline pinyin annotations")
    # Converted once, used three times (mojibake, script, furniture rules).
    simp = to_simplified(text)
    text, repairs = repair_mojibake(text, simp if len(simp) == len(text) else None)
    if repairs:
        doc.notes.extend(repairs)
        simp = to_simplified(text)
    script = detect_script(text, simp)
    if script == "simplified":
        # t2s is not safe on Simplified text (沈 → 沉, 乾县 → 干县): convert only what is
        # Traditional; a Simplified report keeps its characters.
        simp = text
        html_title = doc.html_title
    else:
        html_title = to_simplified(doc.html_title)
    # Furniture and article rules are written in Simplified, so convert before applying them.
    lines = clean_lines(simp, rules)
    if not lines:
        raise DocumentError("normalize", "nothing left after removing page furniture")
    if html_title:
        lines = place_title(lines, html_title)
    documents = []
    for part, part_lines in enumerate(split_articles(lines, rules)):
        part_lines, title = lead_with_headline(part_lines, rules)
        body = "\n".join(part_lines) + "\n"
        out = replace(
            doc,
            part=part,
            text=body,
            title=title,
            script=script,
            html_title=html_title,
            author=doc.author if script == "simplified" else to_simplified(doc.author),
            outlet=doc.outlet if script == "simplified" else to_simplified(doc.outlet),
            relevant=is_relevant(body, rules),
            notes=list(doc.notes),
            raw_text="",  # the source bytes keep it; every article would carry a copy
            measures=[],
            programs=[],
        )
        out.unusable = [(m.start(), m.end()) for m in re.finditer("\ufffd+", body)]
        documents.append(out)
    return documents
