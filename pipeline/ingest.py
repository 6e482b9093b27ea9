"""Ingest: bytes → decoded text + metadata, one Document per file or fetched page."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from orgwork.pipeline.document import Document, DocumentError

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml"}
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES

# Magic numbers of files that turn up renamed as .html/.txt in scraped folders.
BINARY_SIGNATURES = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"%PDF": "PDF document",
    b"PK\x03\x04": "ZIP archive (docx/xlsx?)",
    b"\xd0\xcf\x11\xe0": "OLE document (doc/xls?)",
    b"\x1f\x8b": "gzip archive",
    b"Rar!": "RAR archive",
    b"\x7fELF": "executable",
}

# Legacy encodings a Chinese page really uses (supersets: GB18030 ⊃ GBK ⊃ GB2312).
CHINESE_ENCODINGS = ["gb18030", "big5hkscs"]
# Declared charsets → the superset codec that decodes them (gb2312 pages use GBK characters).
ENCODING_FAMILY = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
    "cp936": "gb18030", "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cp950": "big5hkscs",
}  # fmt: skip


_SURROGATE = re.compile("[\ud800-\udfff]")
# Only the surrogates os.fsdecode makes of bytes that are not UTF-8 (U+DC80–U+DCFF).
_ESCAPED = re.compile("(?:[^\ud800-\udfff]|[\udc80-\udcff])*")


def readable_name(name: str) -> str:
    """A file name as it is written to the outputs: valid UTF-8 whatever its bytes.

    Python reads the bytes of a name that is not UTF-8 (a zip of GBK-named files unpacked on
    Linux) as surrogate escapes, which no CSV, JSON or SQLite text can hold. Each "/"-part
    that is not UTF-8 is decoded from its bytes as GB18030 when that works strictly, else as
    UTF-8 with backslash escapes (\\xd7). Only for display: files are read by their real path.
    """
    if name.isascii() or not _SURROGATE.search(name):
        return name
    return "/".join(_readable_part(part) for part in name.split("/"))


def _readable_part(part: str) -> str:
    if not _SURROGATE.search(part):
        return part
    # surrogateescape gives back the bytes os.fsdecode read; surrogatepass keeps any other
    # lone surrogate (not from a file system) as its bytes, to be escaped below.
    raw = part.encode("utf-8", "surrogateescape" if _ESCAPED.fullmatch(part) else "surrogatepass")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="backslashreplace")


@dataclass
class Source:
    path: Path  # the real path, read as it is (surrogate escapes and all)
    relative: str  # path relative to the corpus root, readable_name: the `source` column
    url: str = ""  # for crawled pages
    charset: str = ""  # declared by the HTTP header, for crawled pages
    region_hint: str = ""  # from the crawl source's configuration
    html: bool | None = None  # known from the HTTP content type, for crawled pages

    def __post_init__(self) -> None:
        self.relative = readable_name(self.relative)

    @property
    def is_html(self) -> bool | None:
        if self.html is not None:
            return self.html
        return True if self.path.suffix.lower() in HTML_SUFFIXES else None


CRAWL_DB = "crawl.sqlite"  # written by `orgwork crawl` into the corpus folder


def utf16_without_bom(raw: bytes) -> str | None:
    """utf-16-le/-be for BOM-less UTF-16 with NUL bytes (the high bytes of ASCII), else None.

    NUL parity alone misleads (一 is U+4E00), so the reading that gives plausible Chinese wins.
    """
    head = raw[: 4096 - 4096 % 2] if len(raw) >= 4096 else raw[: len(raw) - len(raw) % 2]
    if head.count(0) < max(2, len(head) // 200):
        return None
    best = max(
        ("utf-16-le", "utf-16-be"),
        key=lambda enc: plausibility(head.decode(enc, errors="replace")),
    )
    text = head.decode(best, errors="replace")
    controls = sum(1 for ch in text if ch < " " and ch not in "\r\n\t")
    return best if plausibility(text) >= 0.8 and controls <= len(text) // 100 else None


def is_utf16(raw: bytes) -> bool:
    """UTF-16, with or without a BOM: its NUL bytes are part of the text's encoding."""
    return raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or bool(
        b"\x00" in raw[:4096] and utf16_without_bom(raw)
    )


# Stray NUL bytes (a bad copy, a scraper's padding) in text are dropped up to this share of
# the bytes; more, and the file is binary data, whatever decodes between them.
MAX_STRAY_NUL_SHARE = 0.01


def detect_binary(raw: bytes) -> str | None:
    """Name of the binary format if the bytes are not text, else None."""
    for magic, name in BINARY_SIGNATURES.items():
        if raw.startswith(magic):
            return name
    if b"\x00" not in raw or is_utf16(raw):
        return None
    nuls = raw.count(0)
    if nuls > len(raw) * MAX_STRAY_NUL_SHARE:
        return f"binary file ({nuls:,} NUL bytes, {nuls / len(raw):.0%} of the file)"
    return None


@lru_cache(maxsize=1)
def common_han() -> frozenset[str]:
    """The ~3,755 GB2312 level-1 and ~5,401 Big5 level-1 (常用字) characters.

    Real Chinese text is almost all made of them in either script; bytes decoded with the wrong
    Chinese codec give valid but mostly rare characters. Built from the codecs, no data file.
    """
    chars = set()
    for lead in range(0xB0, 0xD8):  # GB2312 level 1: B0A1–D7F9
        for trail in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([lead, trail]).decode("gb2312"))
    for lead in range(0xA4, 0xC7):  # Big5 level 1: A440–C67E
        for trail in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes([lead, trail]).decode("big5"))
    return frozenset(chars)


def plausibility(text: str) -> float:
    """Share of Han characters that are common, minus a heavy cost per undecodable byte."""
    common = common_han()
    han = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"]
    errors = text.count("\ufffd") + sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff")
    if not han:
        return -errors / max(len(text), 1)
    return sum(ch in common for ch in han) / len(han) - 5 * errors / len(han)


META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w-]+)", re.IGNORECASE)


def sniff_charset(raw: bytes) -> str | None:
    """The charset a page's <meta> declares (a hint only, see decode_bytes)."""
    m = META_CHARSET.search(raw[:8192])
    return m.group(1).decode("ascii", errors="ignore") if m else None


# By hand rather than charset-normalizer: on the 136 cwced and gne peer pages it chose the
# right codec for 133 (restricted to gb18030/big5/utf_8), this for 134, and this also reads
# GBK pages with a few damaged bytes and BOM-less UTF-16.
def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of Chinese text; returns (text, encoding).

    The bytes decide: a declared charset (HTTP header, <meta>) is only a tie-breaker, since
    reposting sites often declare gb2312 over UTF-8 bytes. Decoding never fails on a few bad
    bytes when the bulk is clearly one encoding (they become U+FFFD).
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    if utf16 := utf16_without_bom(raw):
        return raw.decode(utf16, errors="replace"), utf16
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf8 = raw.decode("utf-8", errors="replace")
    multibyte = sum(1 for ch in utf8 if ord(ch) > 0x7F and ch != "\ufffd")
    if utf8.count("\ufffd") * 50 < multibyte:
        return utf8, "utf-8"  # a truncated or slightly damaged UTF-8 page
    # GB18030 decodes almost any byte string, so strictness cannot tell it from Big5: the
    # share of common characters can.
    scored = []
    # BOM-less UTF-16 of all-Chinese text has no NUL bytes to give it away; score it too.
    utf16 = ["utf-16-le", "utf-16-be"] if len(raw) % 2 == 0 else []
    for encoding in CHINESE_ENCODINGS + utf16:
        text = raw.decode(encoding, errors="replace")
        scored.append((plausibility(text), encoding, text))
    scored.sort(key=lambda s: s[0], reverse=True)
    best_score, best_encoding, best_text = scored[0]
    family = ENCODING_FAMILY.get((declared or "").lower().replace("_", "-"))
    for score, encoding, text in scored:
        if encoding == family and score >= best_score - 0.02:
            return text, encoding  # the declared charset breaks a near tie
    if best_score < 0.5:
        raise DocumentError(
            "ingest", "could not decode the bytes as UTF-8, GB18030, Big5 or UTF-16"
        )
    return best_text, best_encoding


def ingest_bytes(
    raw: bytes,
    source: str,
    *,
    url: str = "",
    is_html: bool | None = None,
    declared_charset: str | None = None,
    region_hint: str = "",
) -> Document:
    """Bytes of one file or page → a Document with raw_text and page metadata."""
    if not raw.strip():
        raise DocumentError("ingest", "empty file: no text to read")
    binary = detect_binary(raw)
    if binary:
        raise DocumentError("ingest", f"not a text document: the bytes are a {binary}")
    sha256 = hashlib.sha256(raw).hexdigest()
    # Stray NULs go before decoding (one inside a GBK character would break it), except in
    # UTF-16, where NUL bytes are the text's own; a decoded U+0000 goes after.
    stray = 0 if is_utf16(raw) else raw.count(0)
    if stray:
        raw = raw.replace(b"\x00", b"")
        if not raw.strip():
            raise DocumentError("ingest", "empty file: nothing but NUL bytes and spaces")
    try:
        text, encoding = decode_bytes(raw, declared_charset or sniff_charset(raw))
    except DocumentError as exc:
        if not stray:
            raise
        message = f"not a text document: {stray:,} NUL bytes, and without them {exc.message}"
        raise DocumentError("ingest", message) from exc
    if "\x00" in text:
        stray += text.count("\x00")
        text = text.replace("\x00", "")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = Document(
        source=source,
        sha256=sha256,
        url=url,
        encoding=encoding,
        region_hint=region_hint,
    )
    if stray:
        doc.notes.append(f"dropped {stray:,} stray NUL{'s' if stray > 1 else ''}")
    if is_html is None:
        is_html = looks_like_html(text)
    doc.is_html = is_html
    if is_html:
        from orgwork.pipeline.webpage import extract_webpage

        page = extract_webpage(text, url=url)
        doc.raw_text = page.text
        doc.html_title = page.title
        doc.author = page.author
        doc.outlet = page.outlet
        doc.publish_date = page.publish_date
    else:
        doc.raw_text = text  # its date bars are read by orgwork.stages before normalize
    if not doc.raw_text.strip():
        raise DocumentError("ingest", "no main text found in the page")
    return doc


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in text[:20000].lower()


def read_source(source: Source) -> bytes:
    try:
        return source.path.read_bytes()
    except OSError as exc:
        raise DocumentError("ingest", f"cannot read file: {exc}") from exc


def ingest_source(source: Source, raw: bytes | None = None) -> Document:
    """One file of the corpus (or a stored crawled page) → a Document."""
    return ingest_bytes(
        read_source(source) if raw is None else raw,
        source.relative,
        url=source.url,
        is_html=source.is_html,
        declared_charset=source.charset or None,
        region_hint=source.region_hint,
    )


MIN_BATCH, MAX_BATCH = 10, 200
# Items of a batch of cached documents at most: their rows, held at once, stay small.
MAX_ITEMS_PER_BATCH = 2000


def auto_batch_size(n_sources: int, workers: int) -> int:
    """About four batches per worker: few enough that Prefect's cost per task (tens of ms)
    stays small, enough to keep every worker busy and memory flat."""
    return max(MIN_BATCH, min(MAX_BATCH, -(-n_sources // (4 * max(workers, 1)))))


def batches_in_flight(workers: int | None, cluster: str | None = None) -> int:
    """Batches submitted ahead of the one being written: enough to keep the workers busy,
    few enough that memory stays flat (a cluster has many more workers)."""
    return 2 * (workers or os.cpu_count() or 1) if not cluster else 64


def iter_batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def plan_batches(
    items: list, size: int | None, workers: int, costs: list[float] | None = None
) -> list[list]:
    """The run's batches in input order: ``size`` each when given; otherwise
    auto_batch_size, shrinking towards the end (never below a quarter of it), so the
    workers finish together instead of one idling while another ends a large batch.

    ``costs``: each item's expected cost (1: a document to process; less: one the cache
    holds, batch.source_costs); batches are then cut by cost, so that a refresh, where most
    items cost little, runs a few large batches (at most MAX_ITEMS_PER_BATCH items each)."""
    if size:
        return list(iter_batches(items, size))
    costs = costs if costs is not None else [1.0] * len(items)
    if len(costs) != len(items):
        raise ValueError(f"{len(costs)} costs for {len(items)} items")
    full = auto_batch_size(math.ceil(sum(costs)), workers)
    batches, i, remaining = [], 0, sum(costs)
    while i < len(items):
        budget = max(min(full, math.ceil(remaining / (3 * max(workers, 1)))), -(-full // 4), 1)
        j, spent = i + 1, costs[i]  # at least one item
        while j < len(items) and j - i < MAX_ITEMS_PER_BATCH and spent + costs[j] <= budget:
            spent += costs[j]
            j += 1
        batches.append(items[i:j])
        remaining -= spent
        i = j
    return batches
