"""Publish date, author and outlet of a Chinese news page (part of ingest, used by webpage).

Chinese pages state these in a byline bar next to the article (发布时间：2019年01月07日 星期一
来源：xx日报 作者：xx), which htmldate and trafilatura do not read well: they favour
<meta> and URL dates, and on old portals with no such metadata they fall back to a copyright
year or a related-news link. So the bar nearest to the article start decides, and htmldate is
the fallback.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

# 2019年01月07日 | 2019-1-7 | 2019/01/07 | 2019.01.07, optionally a time after it. One
# separator throughout: 2009年8-10月 is a range of months, not 10 August.
FULL_DATE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})(?!\d)\s*日?"
    r"|([-/.])(\d{1,2})\4(\d{1,2})(?!\d))"
)
# 2022 05/ 13 10:36: a year, then month/day, two digits each (a wire's regional channels).
YEAR_SPACE_MONTH_DAY = re.compile(r"(?<![\d/])((?:19|20)\d{2})\s+(\d{2})/\s?(\d{2})(?![\d/])")
# 7/5/2005 or 25/12/2005: day and month order differ by site, so only an unambiguous one
# (a part above 12) is used.
SLASH_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])")
# 20.10.2015: a dotted date with the year last is day.month.year wherever it is written.
DOTTED_DMY = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d{2})(?![\d.])")
# 1月10日电 / 1月10日讯: a dateline without the year, which comes from elsewhere on the page.
DATELINE = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日(?:电|讯)")
URL_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?!\d)")
URL_MONTH = re.compile(r"(?<!\d)((?:19|20)\d{2})-?(\d{2})/(\d{2})/")
# A reprint's citation of where it first appeared, closing the article: ——《北京之春》1998年3月号,
# 原载《求是》2019年1月7日. A periodical issue gives only its month, which is kept as YYYY-MM.
CITATION = re.compile(
    r"^\s*(?:[—－-]{1,2}|[（(]?(?:原载|原刊|刊于|载于?|摘自|选自|转自|来源[:：]?))?\s*《[^》]{1,30}》"
    r"\s*[（(,，]?\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|号|刊)"
)
CITATION_CHARS = 60
# How many lines before the article start are searched for the byline bar.
LOOK_BEHIND = 25
LOOK_AHEAD = 4

RULES = Path(__file__).parent / "data" / "pagemeta.toml"


@dataclass(frozen=True)
class Rules:
    date_label: re.Pattern
    post_label: re.Pattern
    meta_date_names: frozenset[str]
    author: re.Pattern
    source: re.Pattern
    not_a_name: re.Pattern


@lru_cache(maxsize=4)
def load_rules(path: Path = RULES) -> Rules:
    """The byline rules (data/pagemeta.toml), checked: a bad entry fails here, not mid-run."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))

    def word_list(key: str) -> list[str]:
        if not raw.get(key) or not all(isinstance(w, str) and w for w in raw[key]):
            raise ValueError(f"{path}: '{key}' must be a list of words")
        return raw[key]

    def words(key: str, flags: int = 0) -> re.Pattern:
        return re.compile("|".join(map(re.escape, word_list(key))), flags)

    def pattern(key: str) -> re.Pattern:
        try:
            compiled = re.compile(raw[key])
        except (KeyError, re.error) as exc:
            raise ValueError(f"{path}: bad or missing '{key}': {exc}") from exc
        if compiled.groups < 1:
            raise ValueError(f"{path}: '{key}' needs a group for what it reads")
        return compiled

    return Rules(
        date_label=words("date_labels"),
        post_label=words("post_labels", re.IGNORECASE),
        meta_date_names=frozenset(word_list("meta_date_names")),
        author=pattern("author_pattern"),
        source=pattern("source_pattern"),
        not_a_name=words("not_a_name"),
    )


def _valid(year: int, month: int, day: int) -> str:
    if not 1990 <= year <= dt.date.today().year + 1:
        return ""
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return ""


def _full_date(m: re.Match) -> str:
    month, day = m.group(2, 3) if m.group(2) else m.group(5, 6)
    return _valid(int(m.group(1)), int(month), int(day))


def dates_in(text: str) -> list[str]:
    """Every valid date written in ``text`` (YYYY-MM-DD), in text order."""
    found = [(m.start(), _full_date(m)) for m in FULL_DATE.finditer(text)]
    for m in YEAR_SPACE_MONTH_DAY.finditer(text):
        year, month, day = map(int, m.groups())
        found.append((m.start(), _valid(year, month, day)))
    for m in DOTTED_DMY.finditer(text):
        day, month, year = map(int, m.groups())
        found.append((m.start(), _valid(year, month, day)))
    for m in SLASH_DATE.finditer(text):
        first, second, year = map(int, m.groups())
        if (first > 12) != (second > 12):
            day, month = max(first, second), min(first, second)
            found.append((m.start(), _valid(year, month, day)))
    return [d for _, d in sorted(found) if d]


def meta_date(root: etree._Element) -> str:
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        if key in load_rules().meta_date_names and (found := dates_in(el.get("content") or "")):
            return found[0]
    for el in root.iter("time"):
        if found := dates_in(el.get("datetime") or el.text_content()):
            return found[0]
    return ""


def url_date(url: str) -> str:
    for pattern in (URL_MONTH, URL_DATE):
        for m in pattern.finditer(url):
            if found := _valid(*map(int, m.groups())):
                return found
    return ""


def _year_hint(root: etree._Element, lines: list[str], url: str) -> int | None:
    for found in (url_date(url), meta_date(root)):
        if found:
            return int(found[:4])
    years = [int(m.group(1)) for ln in lines for m in FULL_DATE.finditer(ln)]
    return max(set(years), key=years.count) if years else None


def find_date(
    root: etree._Element, html: str, lines: list[str], start: int, end: int, url: str = ""
) -> str:
    """YYYY-MM-DD the page was published (YYYY-MM for a periodical issue), or "".

    The article spans lines[start:end].
    """
    # The byline bar next to the article, nearest first; a labelled line beats a bare one.
    window = list(range(start - 1, max(start - LOOK_BEHIND, 0) - 1, -1))
    window += list(range(start, min(start + LOOK_AHEAD, len(lines))))
    candidates = [(i, d) for i in window for d in dates_in(lines[i])[:1]]
    rules = load_rules()
    labelled = [c for c in candidates if rules.date_label.search(lines[c[0]])]
    if labelled or candidates:
        return (labelled or candidates)[0][1]
    # Blogs and forums put the date under the post: 发表于 2004年12月27日 12:40.
    after = range(start, min(end + LOOK_AHEAD + 1, len(lines)))
    for i in after:
        line = lines[i]
        if len(line) < 120 and rules.post_label.search(line) and (found := dates_in(line)):
            return found[0]
    if found := citation_date(lines, start, end):
        return found
    if found := meta_date(root) or url_date(url):
        return found
    for i in window:
        if m := DATELINE.search(lines[i]):
            year = _year_hint(root, lines, url)
            if year and (found := _valid(year, int(m.group(1)), int(m.group(2)))):
                return found
    try:
        from htmldate import find_date as htmldate_find

        found = htmldate_find(html, url=url or None, original_date=True, extensive_search=True)
    except Exception:  # htmldate raises assorted errors on broken markup; no date then
        return ""
    if found and found.endswith("-01-01") and not _states_new_year(html + url, found[:4]):
        return ""  # htmldate fills a year-only find with 1 January: a day the page never gave
    return found or ""


def citation_date(lines: list[str], start: int, end: int) -> str:
    """YYYY-MM-DD or YYYY-MM from a citation of the first publication closing the article."""
    for i in range(min(end + LOOK_AHEAD, len(lines)) - 1, max(start, end - LOOK_AHEAD) - 1, -1):
        if len(lines[i]) <= CITATION_CHARS and (m := CITATION.search(lines[i])):
            year, month, day = m.groups()
            if day:
                return _valid(int(year), int(month), int(day))
            return _valid(int(year), int(month), 1)[:7]
    return ""


def _states_new_year(text: str, year: str) -> bool:
    forms = (f"{year}-01-01", f"{year}-1-1", f"{year}/01/01", f"{year}/1/1", f"{year}.01.01",
             f"{year}年1月1日", f"{year}年01月01日", f"{year}0101")  # fmt: skip
    return any(form in text for form in forms)


def find_author(lines: list[str], start: int) -> str:
    """Author/reporter names from the byline bar or the dateline, space-separated, or ""."""
    rules = load_rules()
    for i in range(max(start - LOOK_BEHIND, 0), min(start + LOOK_AHEAD, len(lines))):
        line = lines[i]
        if len(line) > 200 and i >= start:
            line = line[
                :80
            ]  # a dateline: 新华社北京1月10日电（记者 张三）opens the first paragraph
        for m in rules.author.finditer(line):
            names = [n for n in re.split(r"[ 　、，,]+", m.group(1)) if n]
            names = [n for n in names if not rules.not_a_name.search(n)]
            if names:
                return " ".join(names)
    return ""


def find_outlet(root: etree._Element, lines: list[str], start: int) -> str:
    """The outlet the page names as its source (来源：xx日报), else the site name, or ""."""
    for i in range(max(start - LOOK_BEHIND, 0), min(start + LOOK_AHEAD, len(lines))):
        if m := load_rules().source.search(lines[i]):
            return m.group(1)
    for el in root.iter("meta"):
        if (el.get("property") or el.get("name") or "").lower() in ("og:site_name", "site_name"):
            return (el.get("content") or "").strip()
    return ""
