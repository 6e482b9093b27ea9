"""Ingest: bytes → decoded text + metadata, one Document per file or fetched page."""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from pipeline.document import Document, DocumentError

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

# Encodings a Chinese page really uses; charset-normalizer may only choose among these.
CHINESE_ENCODINGS = ["gb18030", "big5hkscs", "utf_16"]


@dataclass
class Source:
    path: Path
    relative: str  # path relative to the corpus root: the `source` column
    url: str = ""  # for crawled pages
    charset: str = ""  # declared by the HTTP header, for crawled pages
    region_hint: str = ""  # from the crawl source's configuration
    html: bool | None = None  # known from the HTTP content type, for crawled pages

    @property
    def is_html(self) -> bool | None:
        if self.html is not None:
            return self.html
        return True if self.path.suffix.lower() in HTML_SUFFIXES else None


CRAWL_DB = "crawl.sqlite"  # written by `orgwork crawl` into the corpus folder


def list_sources(paths: Iterable[str | Path]) -> list[Source]:
    """Files to process under the given files and folders, in a stable order.

    In a folder holding a crawl database, crawled pages come with their URL, declared
    charset and region hint, and near-duplicates recorded against a primary are left out.
    """
    found: dict[Path, Source] = {}
    for given in paths:
        root = Path(given)
        if not root.exists():
            raise FileNotFoundError(f"no such file or folder: {given}")
        if root.is_file():
            found[root.resolve()] = Source(root, root.name)
            continue
        crawled, skip = _crawled_sources(root)
        for path in sorted(root.rglob("*")):
            resolved = path.resolve()
            if resolved in skip or resolved in crawled:
                continue
            if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
                found[resolved] = Source(path, path.relative_to(root).as_posix())
        found.update(crawled)
    return sorted(found.values(), key=lambda s: s.relative)


def _crawled_sources(root: Path) -> tuple[dict[Path, Source], set[Path]]:
    """Primary crawled pages under ``root`` as Sources, and the paths of all stored pages."""
    db = root / CRAWL_DB
    if not db.exists():
        return {}, set()
    from pipeline.crawlstore import list_crawled

    stored = {p.path.resolve() for p in list_crawled(db, root, include_duplicates=True)}
    primaries = {}
    for page in list_crawled(db, root):
        relative = page.path.resolve().relative_to(root.resolve()).as_posix()
        primaries[page.path.resolve()] = Source(
            page.path,
            relative,
            url=page.url,
            charset=page.declared_charset or "",
            region_hint=page.region_hint,
            html=page.is_html,
        )
    return primaries, stored


def detect_binary(raw: bytes) -> str | None:
    """Name of the binary format if the bytes are not text, else None."""
    for magic, name in BINARY_SIGNATURES.items():
        if raw.startswith(magic):
            return name
    head = raw[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    return None


def decode_bytes(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode bytes of Chinese text; returns (text, encoding).

    The bytes decide: a declared charset (HTTP header, <meta>) is only a tie-breaker, since
    reposting sites often declare gb2312 over UTF-8 bytes.
    """
    if raw.startswith(codecs.BOM_UTF8):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # GB18030 decodes almost any byte string, so strictness cannot tell it from Big5;
    # charset-normalizer's coherence check among the Chinese encodings can.
    best = from_bytes(raw, cp_isolation=CHINESE_ENCODINGS).best()
    if best is not None:
        return str(best), best.encoding
    if declared:
        try:
            return raw.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass
    raise DocumentError("ingest", "could not decode the bytes as UTF-8, GB18030, Big5 or UTF-16")


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
    text, encoding = decode_bytes(raw, declared_charset)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    doc = Document(
        source=source,
        sha256=hashlib.sha256(raw).hexdigest(),
        url=url,
        encoding=encoding,
        region_hint=region_hint,
    )
    if is_html is None:
        is_html = looks_like_html(text)
    if is_html:
        from pipeline.webpage import extract_webpage

        page = extract_webpage(text, url=url)
        doc.raw_text = page.text
        doc.html_title = page.title
        doc.author = page.author
        doc.outlet = page.outlet
        doc.publish_date = page.publish_date
    else:
        doc.raw_text = text
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


def iter_batches(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
