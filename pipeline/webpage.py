"""Main text and metadata of an HTML page (part of ingest).

The main text is chosen on the page's text lines, not on tag names, because Chinese CMS pages
(TRS, 政府网站群, old portals) put the article in a <td> or <div> with no telling markup:

1. The page is flattened into lines (block elements and <br> end a line); each line knows the
   element that holds it, how many of its characters are link text and how much sentence
   punctuation it has.
2. Each line gets a score: punctuated, non-link text counts for, link text and short
   unpunctuated lines (menus, bars) count against.
3. Scores add up along the ancestors; the element with the highest total (a little bonus for
   the content containers Chinese CMSs use) is the article. Its lines, minus link lists, are
   the text.

trafilatura does the same job well on modern markup but drops or over-keeps text on table
layouts and forum pages (see docs/clean.md); it is kept as the fallback when the line scorer
finds no clear article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from orgwork.pipeline.document import MAX_TITLE_CHARS
from orgwork.pipeline.pagemeta import find_author, find_date, find_outlet


@dataclass
class Webpage:
    text: str
    title: str = ""
    author: str = ""
    outlet: str = ""
    publish_date: str = ""  # YYYY-MM-DD, YYYY-MM (a periodical issue) or ""


@dataclass
class Line:
    text: str
    owner: etree._Element
    link_chars: int = 0
    chars: int = 0
    punct: int = 0
    score: float = 0.0
    ancestors: list = field(default_factory=list)


# Elements whose text is never article text.
DROP_TAGS = {
    "script", "style", "noscript", "iframe", "select", "option", "textarea", "button", "head",
    "nav", "footer", "aside", "svg", "canvas", "map", "object", "embed", "template", "marquee",
}  # fmt: skip
BLOCK_TAGS = {
    "p", "div", "td", "th", "tr", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4",
    "h5", "h6", "table", "tbody", "thead", "tfoot", "section", "article", "blockquote", "pre",
    "center", "form", "header", "main", "body", "html", "hr", "br", "caption", "figure",
    "figcaption", "address", "fieldset", "legend", "text", "tt",
}  # fmt: skip
# Sentence punctuation: a line that has it is prose, not a menu or a bar of links.
PUNCT = set("，。！？；：、“”,.!?;:")
WORD_CHAR = re.compile(r"[\w\u3400-\u9fff]")
# id/class of the content containers of common Chinese CMSs (TRS, 政府网站群, 新浪, 网易, ...).
CONTENT_HINT = re.compile(
    r"(^|[\s_-])(zoom|fontzoom|ozoom|trs_editor|artibody|endtext|article|article[-_]?content|"
    r"content|contents|con|main[-_]?text|text|txt|news[-_]?(content|text|con)|pages_content|"
    r"detail|detail[-_]?content|maintext|ucap-content|vsb_content|v_news_content|"
    r"wp_articlecontent|conTxt|entry|post|body[-_]?text|mainbody)($|[\s_-])",
    re.IGNORECASE,
)
# id/class of boilerplate blocks inside an article container.
BOILER_HINT = re.compile(
    r"(comment|share|related|relate|recommend|footer|copyright|breadcrumb|crumb|toolbar|"
    r"pagination|pager|sidebar|advert|\bads?\b|hot|rank|nav|menu|keyword|tags?\b|bshare|"
    r"jiathis|print|qrcode|erweima)",
    re.IGNORECASE,
)
LINK_WEIGHT = 1.0
LINE_COST = 3.0
BAD_WEIGHT = 0.3
XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)


def parse_html(html: str) -> etree._Element:
    """lxml tree of a decoded page (the XML declaration is dropped: lxml refuses it on str).

    huge_tree: without it libxml2 stops the tree at the first text node over 10 MB (an
    inlined script, a data: URI) or at 256 levels of nesting, and the article after it is lost.
    A parser per call: lxml's parsers must not be shared between threads."""
    html = XML_DECL.sub("", html, count=1)
    try:
        return lxml_html.document_fromstring(html, parser=_parser())
    except (etree.ParserError, ValueError):
        return lxml_html.document_fromstring(f"<html><body>{html}</body></html>", parser=_parser())


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(huge_tree=True)


# Scripts, styles and comments over this size are emptied before the page is parsed: code
# or data, never article text, and htmldate and trafilatura parse the page again with
# libxml2's limits (a small <script> of JSON-LD, which htmldate reads dates from, stays).
LARGE_BLOCK = 100_000
_BLOCK_OPEN = re.compile(r"<(script|style)\b[^<>]{0,4096}>|<!--", re.IGNORECASE)
_BLOCK_CLOSE = {
    "script": re.compile(r"</script\s*>", re.IGNORECASE),
    "style": re.compile(r"</style\s*>", re.IGNORECASE),
    "": re.compile(r"-->"),
}


def drop_large_blocks(html: str) -> str:
    """``html`` with the content of scripts, styles and comments over LARGE_BLOCK characters
    removed (their tags stay). One pass: each search starts where the last one ended."""
    if len(html) <= LARGE_BLOCK:
        return html
    pieces, pos = [], 0
    while opened := _BLOCK_OPEN.search(html, pos):
        closed = _BLOCK_CLOSE[(opened.group(1) or "").lower()].search(html, opened.end())
        if closed is None:
            break  # never closed: as a browser does, the rest is inside it; the parser copes
        if closed.start() - opened.end() > LARGE_BLOCK:
            pieces.append(html[pos : opened.end()])
            pos = closed.start()
        else:
            pieces.append(html[pos : closed.end()])
            pos = closed.end()
    pieces.append(html[pos:])
    return "".join(pieces)


def _classes(el: etree._Element) -> str:
    return f"{el.get('id', '')} {el.get('class', '')}"


def _hidden(el: etree._Element) -> bool:
    style = (el.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style


def page_lines(root: etree._Element) -> list[Line]:
    """The visible text of the page as lines, in document order."""
    lines: list[Line] = []
    buf: list[str] = []
    state = {"link": 0, "owner": root}

    def flush() -> None:
        text = re.sub(r"\s+", " ", "".join(buf).replace("\u3000", " ")).strip()
        buf.clear()
        link = state["link"]
        state["link"] = 0
        if text:
            lines.append(Line(text, state["owner"], link_chars=link))

    def add(text: str | None, in_link: bool) -> None:
        if text:
            buf.append(text)
            if in_link:
                state["link"] += len(WORD_CHAR.findall(text))

    def walk(el: etree._Element, in_link: bool, owner: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if not tag or tag.lower() in DROP_TAGS or _hidden(el):
            return
        tag = tag.lower()
        block = tag in BLOCK_TAGS
        if block:
            flush()
            owner = el
            state["owner"] = el
        link = in_link or tag == "a"
        add(el.text, link)
        for child in el:
            walk(child, link, owner)
            if isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS:
                state["owner"] = owner
            add(child.tail, in_link)
        if block:
            flush()

    walk(root, False, root)
    return lines


def score_line(line: Line) -> float:
    """Positive for prose, negative for links, menus and bars (see module docstring)."""
    line.chars = len(WORD_CHAR.findall(line.text))
    line.punct = sum(ch in PUNCT for ch in line.text)
    own = max(line.chars - line.link_chars, 0)
    if line.punct and own >= 10:
        prose = own
    elif own >= 30:
        prose = own * 0.5  # long unpunctuated text: a poem, a list of names; count it, less
    else:
        prose = own * 0.2  # short bare lines: headings, bylines, buttons
    return prose - LINK_WEIGHT * line.link_chars - LINE_COST


def _in_boilerplate(el: etree._Element) -> bool:
    return any(BOILER_HINT.search(_classes(e)) for e in (el, *el.iterancestors()))


def choose_article(lines: list[Line]) -> etree._Element | None:
    totals: dict[etree._Element, float] = {}
    for line in lines:
        line.score = score_line(line)
        line.ancestors = [line.owner, *line.owner.iterancestors()]
        # Boilerplate weighs less than prose, so that an article with a related-news list
        # below it still beats a small block of prose elsewhere.
        weighted = line.score if line.score > 0 else BAD_WEIGHT * line.score
        for el in line.ancestors:
            totals[el] = totals.get(el, 0.0) + weighted
    if not totals:
        return None
    for el in totals:
        if CONTENT_HINT.search(_classes(el)) and totals[el] > 0:
            totals[el] *= 1.15  # a known content container wins a close call
    # Nothing inside a footer, comment box, share bar or the like is the article.
    eligible = [el for el in totals if not _in_boilerplate(el)] or list(totals)
    best = max(eligible, key=totals.__getitem__)
    return best if totals[best] > 0 else None


def article_lines(lines: list[Line], article: etree._Element) -> list[str]:
    """Lines inside the chosen element, without link lists and boilerplate blocks."""
    out: list[str] = []
    for line in lines:
        if article not in line.ancestors:
            continue
        inner = line.ancestors[: line.ancestors.index(article)]
        if any(BOILER_HINT.search(_classes(el)) for el in inner):
            continue
        if line.chars and line.link_chars / line.chars > 0.5:
            continue
        out.append(line.text)
    return out


def page_title(root: etree._Element) -> str:
    for path in ('//meta[@property="og:title"]/@content', "//h1", "//title"):
        found = root.xpath(path)
        if found:
            value = found[0] if isinstance(found[0], str) else found[0].text_content()
            value = re.sub(r"\s+", " ", value).strip()
            if value and len(value) <= MAX_TITLE_CHARS:
                return value
    return ""


@lru_cache(maxsize=1)
def _trafilatura():
    import trafilatura

    return trafilatura


def extract_webpage(html: str, url: str = "") -> Webpage:
    """Main text, title, author, outlet and date of a decoded HTML page."""
    html = drop_large_blocks(html)
    root = parse_html(html)
    lines = page_lines(root)
    article = choose_article(lines)
    text_lines = article_lines(lines, article) if article is not None else []
    if not text_lines:
        fallback = _trafilatura().extract(html, url=url or None) or ""
        text_lines = [ln for ln in fallback.split("\n") if ln.strip()]
    # The byline bar is searched around the first paragraph of prose of the article.
    inside = [i for i, ln in enumerate(lines) if article is not None and article in ln.ancestors]
    start = next((i for i in inside if lines[i].punct and lines[i].chars >= 20), 0)
    all_text = [ln.text for ln in lines]
    return Webpage(
        text="\n".join(text_lines),
        title=page_title(root),
        author=find_author(all_text, start),
        outlet=find_outlet(root, all_text, start),
        publish_date=find_date(root, html, all_text, start, inside[-1] + 1 if inside else 0, url),
    )
