"""Title, outlet, author and publish date from the head of a report's text.

HTML pages already carry what the page's markup says (pipeline/webpage.py); the head of the
text fills what is still empty. Patterns: data/metadata.toml.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.document import MAX_TITLE_CHARS, Document
from pipeline.pagemeta import dates_in

DATA = Path(__file__).parent / "data" / "metadata.toml"


@dataclass(frozen=True)
class Rules:
    header_lines: int
    header_chars: int
    author: list[re.Pattern]
    dateline: list[re.Pattern]
    source: list[re.Pattern]
    not_outlets: set[str]


@lru_cache(maxsize=4)
def load_rules(path: Path = DATA) -> Rules:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))

    def compile_all(key: str) -> list[re.Pattern]:
        try:
            return [re.compile(p) for p in raw[key]]
        except re.error as exc:
            raise ValueError(f"{path}: bad pattern in {key}: {exc}") from exc

    return Rules(
        header_lines=int(raw["header_lines"]),
        header_chars=int(raw["header_chars"]),
        author=compile_all("author_patterns"),
        dateline=compile_all("dateline_patterns"),
        source=compile_all("source_patterns"),
        not_outlets=set(raw["not_outlets"]),
    )


PERSON_NAME = re.compile(
    r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8}|[A-Za-z][A-Za-z .'-]{1,40}"
)


def plausible_authors(authors: str) -> str:
    """Only what can be a person's name: a page's menu read as a byline is dropped."""
    names = [a.strip() for a in re.split(r"[;；,，、\s/]+", authors) if a.strip()]
    return ";".join(n for n in names if PERSON_NAME.fullmatch(n))


def extract_metadata(doc: Document, options: dict | None = None) -> Document:
    """Fill title, outlet, author and publish_date where the page did not give them."""
    rules = load_rules()
    lines = doc.text.split("\n")
    headline = lines[0].strip() if lines else ""
    doc.title = headline if len(headline) <= MAX_TITLE_CHARS else ""
    authors: list[str] = []
    outlet = ""
    head = lines[1 : 1 + rules.header_lines]
    for i, line in enumerate(head):
        # A bare name line counts only right after another reporter line (通讯员 李诗怡 / 林晓燕).
        patterns = rules.dateline + rules.author[:2] + (rules.author[2:] if authors else [])
        for pattern in patterns:
            m = pattern.search(line)
            if m and m.groupdict().get("author"):
                authors.extend(re.split(r"[\s、,，]+", m["author"].strip()))
                outlet = outlet or (m.groupdict().get("outlet") or "")
                break
        else:
            if authors and i > 0:
                break
    for pattern in rules.source:
        m = pattern.search(doc.text[: rules.header_chars])
        if m and m["outlet"] not in rules.not_outlets:
            outlet = outlet or m["outlet"]
    if not doc.author and authors:
        doc.author = ";".join(dict.fromkeys(a for a in authors if a))
    doc.author = plausible_authors(doc.author)
    if not doc.outlet and outlet:
        doc.outlet = outlet
    if not doc.publish_date:
        head_text = "\n".join(lines[: 1 + rules.header_lines])[: rules.header_chars]
        doc.publish_date = next(iter(dates_in(head_text)), "")  # the HTML side's date reader
    return doc
