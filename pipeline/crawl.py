"""Crawl: sources file → polite fetches of column pages, feeds and articles → stored raw pages.

Plain Python, no Prefect (``flows/crawl.py`` wraps it). One source is crawled by one
sequential loop, so a host never sees more than one request at a time from it, spaced by the
larger of the source's delay and the host's robots.txt Crawl-delay. Storage and resume
live in ``pipeline/crawlstore.py``.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

from pipeline.crawlconfig import (
    USER_AGENT,
    CrawlSettings,
    Schedule,
    SourceConfig,
    SourcesFile,
    canonicalize,
    db_path_for,
    load_sources,
)
from pipeline.crawlstore import CrawlStore, FrontierItem, StoredPage

__all__ = [
    "USER_AGENT",
    "CrawlReport",
    "CrawlSettings",
    "Schedule",
    "SourceConfig",
    "SourcesFile",
    "canonicalize",
    "crawl_all",
    "crawl_source",
    "db_path_for",
    "load_sources",
]

ROBOTS_AGENT = "orgwork"  # the product token robots.txt groups are matched against

HTML_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("xml", "rss", "atom")  # substrings: application/rss+xml, text/xml, …
REDIRECT_CODES = {301, 302, 303, 307, 308}
ROBOTS_MAX_BYTES = 500 * 1024  # RFC 9309 §2.5: parse at least 500 KiB, may ignore the rest


NEXT_TEXTS = {"下一页", "下页", "后页", "下一頁", "下頁", "next", "next page", ">", "›", "»", ">>"}
# Column pages of TRS-style CMS (most gov.cn sites): index.html, index_1.html, …
PAGINATION_FILE = re.compile(r"/(?:index|list|default)_\d+\.s?html?$", re.IGNORECASE)
# The same CMS writes its pager in JavaScript: createPageHTML(pages, current, "index", "html").
TRS_PAGER = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']"
)

SHINGLE = 5  # characters; short enough to survive re-punctuation, long enough to be specific
NUM_PERM = 128
MIN_SIGNATURE_CHARS = 50  # below this a page is too short to call a near-duplicate


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


# -- fetching ------------------------------------------------------------------------------


@dataclass
class Fetched:
    """What one fetch came to. outcome: ok | not_modified | robots | offsite | binary |
    too_large | http_error | timeout | error | too_many_redirects."""

    outcome: str
    url: str
    final_url: str = ""
    status: int = 0
    content_type: str = ""
    charset: str | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    detail: str = ""
    attempts: int = 1


class _Deadline(Exception):
    """A response that kept trickling past the total time allowed."""


class Fetcher:
    """HTTP for one source: robots.txt, per-host delay, retries, redirects, size cap."""

    def __init__(
        self, settings: CrawlSettings, source: SourceConfig, client: httpx.Client | None = None
    ) -> None:
        self.settings = settings
        self.source = source
        t = settings.timeout_seconds
        # Redirects are followed by hand so that every hop is checked against robots.txt
        # and the allowed hosts; trust_env=False keeps proxies of the machine out of it.
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(t, connect=t),
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )
        self._robots: dict[str, object] = {}  # origin → Protego | "allow" | "deny"
        self._delay: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self.robots_events: list[tuple[str, str, str]] = []

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait(self, host: str) -> None:
        delay = max(self.source.delay_seconds, self._delay.get(host, 0.0))
        last = self._last.get(host)
        if last is not None:
            pause = last + delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def robots_allows(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        rules = self._robots[origin]
        if rules == "allow":
            return True
        if rules == "deny":
            return False
        return rules.can_fetch(url, ROBOTS_AGENT)  # type: ignore[union-attr]

    def _load_robots(self, origin: str) -> object:
        """RFC 9309: 4xx means no rules; 5xx or no answer means keep off the whole host."""
        from protego import Protego

        host = urlsplit(origin).netloc.lower()
        url = origin + "/robots.txt"
        self._wait(host)
        try:
            resp = self.client.get(url, follow_redirects=True)
        except httpx.HTTPError as exc:
            self.robots_events.append((url, "robots_unreachable", type(exc).__name__))
            return "deny"
        finally:
            self._last[host] = time.monotonic()
        if resp.status_code >= 500:
            self.robots_events.append((url, "robots_unreachable", f"HTTP {resp.status_code}"))
            return "deny"
        if resp.status_code >= 400:
            return "allow"
        text = resp.content[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace")
        rules = Protego.parse(text)
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._delay[host] = float(delay)
        return rules

    def fetch(
        self,
        url: str,
        *,
        listing: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET with retries and exponential backoff on timeouts, network errors and 5xx."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = Fetched("error", url)
        for attempt in range(self.settings.retries + 1):
            if attempt:
                time.sleep(self.settings.backoff_seconds * 2 ** (attempt - 1))
            try:
                result = self._fetch_once(url, headers, listing)
            except (httpx.TimeoutException, _Deadline) as exc:
                result = Fetched("timeout", url, detail=type(exc).__name__)
            except httpx.HTTPError as exc:
                result = Fetched("error", url, detail=f"{type(exc).__name__}: {exc}")
            result.attempts = attempt + 1
            retryable = result.outcome in ("timeout", "error") or (
                result.outcome == "http_error" and result.status >= 500
            )
            if not retryable:
                return result
        return result

    def _fetch_once(self, url: str, headers: dict[str, str], listing: bool) -> Fetched:
        current = url
        for _hop in range(self.settings.max_redirects + 1):
            host = _host(current)
            if host not in self.source.allowed_hosts:
                return Fetched("offsite", url, current, detail=f"host {host} not allowed")
            if not self.robots_allows(current):
                return Fetched("robots", url, current, detail="disallowed by robots.txt")
            self._wait(host)
            try:
                result = self._get(url, current, headers, listing)
            finally:
                self._last[host] = time.monotonic()
            if isinstance(result, Fetched):
                return result
            current = result  # a redirect target
        return Fetched("too_many_redirects", url, current, detail="redirect limit reached")

    def _get(self, url: str, current: str, headers: dict[str, str], listing: bool):
        limit = self.settings.max_bytes
        # Per-read timeouts miss a server that trickles bytes; this bounds the whole response.
        deadline = time.monotonic() + 3 * self.settings.timeout_seconds
        with self.client.stream("GET", current, headers=headers) as resp:
            status = resp.status_code
            if status in REDIRECT_CODES and "location" in resp.headers:
                return urljoin(current, resp.headers["location"])
            ctype = resp.headers.get("content-type", "")
            base = Fetched(
                "ok",
                url,
                str(resp.url),
                status,
                ctype,
                resp.charset_encoding,
                etag=resp.headers.get("etag"),
                last_modified=resp.headers.get("last-modified"),
            )
            if status == 304:
                base.outcome = "not_modified"
                return base
            if status >= 400:
                base.outcome, base.detail = "http_error", f"HTTP {status}"
                return base
            mime = ctype.split(";")[0].strip().lower()
            accepted = mime in HTML_TYPES or (listing and any(t in mime for t in FEED_TYPES))
            if mime and not accepted:
                base.outcome, base.detail = "binary", f"content type {mime}"
                return base
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                base.outcome, base.detail = "too_large", f"Content-Length {declared} > {limit}"
                return base
            chunks: list[bytes] = []
            size = 0
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > limit:
                    base.outcome, base.detail = "too_large", f"more than {limit} bytes"
                    return base
                if time.monotonic() > deadline:
                    raise _Deadline(current)
                chunks.append(chunk)
            base.body = b"".join(chunks)
        from pipeline.ingest import detect_binary

        binary = detect_binary(base.body)
        if binary:
            base.outcome, base.detail, base.body = "binary", f"bytes are a {binary}", b""
        return base


# -- list pages, feeds, sitemaps -----------------------------------------------------------


@dataclass
class Links:
    articles: list[tuple[str, str]] = field(default_factory=list)  # (canonical, as found)
    lists: list[tuple[str, str]] = field(default_factory=list)
    kind: str = "html"  # html | feed | sitemap


def extract_links(body: bytes, page_url: str, source: SourceConfig) -> Links:
    """Article and list links of a column page, an RSS/Atom feed or a sitemap."""
    head = body[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<urlset")):
        if b"<urlset" in body[:4096] or b"<sitemapindex" in body[:4096]:
            return _classify(_sitemap_links(body), page_url, source, "sitemap")
        return _classify(_feed_links(body), page_url, source, "feed")
    return _html_links(body, page_url, source)


def _classify(
    found: list[tuple[str, bool]], page_url: str, source: SourceConfig, kind: str
) -> Links:
    """found: (absolute URL, is a listing such as a nested sitemap)."""
    links = Links(kind=kind)
    seen: set[str] = set()
    for url, is_list in found:
        if urlsplit(url).scheme not in ("http", "https") or _host(url) not in source.allowed_hosts:
            continue
        canonical = canonicalize(url)
        if canonical in seen or canonical == canonicalize(page_url):
            continue
        seen.add(canonical)
        if source.article_pattern.search(canonical):
            links.articles.append((canonical, url))
        elif is_list or (source.list_pattern and source.list_pattern.search(canonical)):
            links.lists.append((canonical, url))
    return links


def _feed_links(body: bytes) -> list[tuple[str, bool]]:
    import feedparser  # handles RSS 0.9x/1.0/2.0 and Atom, whatever the encoding

    parsed = feedparser.parse(body)
    found = []
    for entry in parsed.entries:
        for link in [entry.get("link", "")] + [lk.get("href", "") for lk in entry.get("links", [])]:
            if link:
                found.append((link, False))
    return found


def _sitemap_links(body: bytes) -> list[tuple[str, bool]]:
    # A sitemap is two fixed elements; lxml reads it directly (no library adds anything).
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    root = etree.fromstring(body, parser=parser)
    if root is None:
        return []
    found = []
    for loc in root.iter("{*}loc"):
        parent = etree.QName(loc.getparent()).localname if loc.getparent() is not None else ""
        if loc.text:
            found.append((loc.text.strip(), parent == "sitemap"))
    return found


def _html_links(body: bytes, page_url: str, source: SourceConfig) -> Links:
    import lxml.html

    try:
        doc = lxml.html.document_fromstring(body, base_url=page_url)
    except Exception:  # lxml raises several types on junk; a page with no links is the answer
        return Links()
    doc.make_links_absolute(page_url, resolve_base_href=True, handle_failures="discard")
    page_dir = page_url.rsplit("/", 1)[0] + "/"
    found: list[tuple[str, bool]] = []
    for el in doc.xpath("//a[@href] | //link[@rel='next'][@href]"):
        href = el.get("href", "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:")):
            continue
        text = " ".join(el.text_content().split()).lower() if el.tag == "a" else ""
        pager = (
            "next" in (el.get("rel") or "").lower()
            or text in NEXT_TEXTS
            or (href.startswith(page_dir) and PAGINATION_FILE.search(urlsplit(href).path))
        )
        found.append((href, bool(pager)))
    for match in TRS_PAGER.finditer(body.decode("latin-1")):
        pages, prefix, ext = int(match[1]), match[3], match[4]
        found.extend((urljoin(page_url, f"{prefix}_{n}.{ext}"), True) for n in range(1, pages))
    return _classify(found, page_url, source, "html")


# -- near-duplicates -----------------------------------------------------------------------


def main_text(raw: bytes, url: str, charset: str | None, is_html: bool) -> str:
    """The page's main text as the pipeline sees it: ingested, normalized, Simplified."""
    from pipeline.ingest import ingest_bytes
    from pipeline.normalize import normalize_document

    doc = ingest_bytes(raw, url, url=url, is_html=is_html, declared_charset=charset)
    return "\n".join(p.text for p in normalize_document(doc))  # already Simplified


def text_signature(text: str) -> bytes | None:
    """MinHash of the text's character shingles, or None for a text too short to compare.

    Whitespace and punctuation are dropped first: syndicating sites re-punctuate and
    re-paragraph a report but keep its words. datasketch does the hashing.
    """
    import numpy as np
    from datasketch import MinHash

    chars = "".join(ch for ch in text if ch.isalnum())
    if len(chars) < MIN_SIGNATURE_CHARS:
        return None
    shingles = {chars[i : i + SHINGLE] for i in range(len(chars) - SHINGLE + 1)}
    mh = MinHash(num_perm=NUM_PERM)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


class SignatureIndex:
    """Signatures of the primary pages, kept in memory and compared all at once."""

    def __init__(self) -> None:
        import numpy as np

        self.urls: list[str] = []
        self.matrix = np.zeros((0, NUM_PERM), dtype=np.uint64)
        self.last_id = 0

    def update(self, rows: list[tuple]) -> None:
        """Add (id, url, minhash) rows of primaries stored since the last update."""
        import numpy as np

        if not rows:
            return
        self.urls.extend(r[1] for r in rows)
        new = np.vstack([np.frombuffer(r[2], dtype=np.uint64) for r in rows])
        self.matrix = np.vstack([self.matrix, new])
        self.last_id = rows[-1][0]

    def best(self, signature: bytes) -> tuple[str | None, float]:
        import numpy as np

        if not self.urls:
            return None, 0.0
        sig = np.frombuffer(signature, dtype=np.uint64)
        # The share of equal MinHash slots estimates the Jaccard similarity of the shingles.
        scores = (self.matrix == sig).mean(axis=1)
        i = int(scores.argmax())
        return self.urls[i], float(scores[i])


# -- the crawl -----------------------------------------------------------------------------


@dataclass
class CrawlReport:
    source: str
    run_id: int
    stats: dict[str, int]
    events: list[dict]

    def summary(self) -> str:
        keys = ("fetched", "stored", "duplicates", "not_modified", "skipped", "failed", "pending")
        return f"{self.source}: " + ", ".join(f"{k} {self.stats.get(k, 0)}" for k in keys)


SKIP_OUTCOMES = {"robots", "offsite", "binary", "too_large", "too_many_redirects"}


def crawl_source(
    source: SourceConfig,
    settings: CrawlSettings,
    corpus_dir: str | Path,
    db_path: str | Path | None = None,
    *,
    client: httpx.Client | None = None,
) -> CrawlReport:
    """Crawl one source until its frontier is empty or ``max_pages`` URLs were fetched."""
    db_path = Path(db_path) if db_path else db_path_for(settings, corpus_dir)
    stats: Counter[str] = Counter()
    with CrawlStore(db_path, corpus_dir) as store, Fetcher(settings, source, client) as fetcher:
        run_id = store.start_run(source.name)
        store.seed(source.name, [(canonicalize(u), u) for u in source.start_urls])
        index = SignatureIndex()
        while True:
            item = store.next_pending(source.name)
            if item is None:
                break
            if stats["fetched"] >= source.max_pages:
                store.event(run_id, source.name, item.fetch_url, "max_pages", "left pending")
                break
            if item.kind == "article" and store.has_page(item.url):
                store.finish_item(item, "done", run_id=run_id, detail="already stored")
                continue
            listing = item.kind == "list"
            etag, modified = store.validators(item.url) if listing else (None, None)
            got = fetcher.fetch(item.fetch_url, listing=listing, etag=etag, last_modified=modified)
            stats["fetched"] += 1
            for url, event, detail in fetcher.robots_events:
                store.event(run_id, source.name, url, event, detail)
            fetcher.robots_events.clear()
            if got.attempts > 1 and got.outcome == "ok":
                store.event(
                    run_id, source.name, got.url, "retried", f"ok after {got.attempts} attempts"
                )
            _handle(store, index, item, got, source, settings, run_id, stats)
        stats["pending"] = store.pending_count(source.name)
        report = CrawlReport(source.name, run_id, dict(stats), store.events(run_id))
        store.finish_run(run_id, report.stats)
    return report


def _handle(
    store: CrawlStore,
    index: SignatureIndex,
    item: FrontierItem,
    got: Fetched,
    source: SourceConfig,
    settings: CrawlSettings,
    run_id: int,
    stats: Counter[str],
) -> None:
    done = {"run_id": run_id}
    if got.outcome == "not_modified":
        stats["not_modified"] += 1
        store.finish_item(item, "done", event="not_modified", detail="HTTP 304", **done)
    elif got.outcome in SKIP_OUTCOMES or (got.outcome == "http_error" and got.status < 500):
        stats["skipped"] += 1
        stats[f"skipped_{got.outcome}"] += 1
        event = f"http_{got.status}" if got.outcome == "http_error" else got.outcome
        store.finish_item(item, "skipped", event=event, detail=got.detail, **done)
    elif got.outcome != "ok":
        stats["failed"] += 1
        event = f"http_{got.status}" if got.outcome == "http_error" else got.outcome
        detail = f"{got.detail} after {got.attempts} attempts"
        store.finish_item(item, "failed", event=event, detail=detail, count_attempt=True, **done)
    elif item.kind == "list":
        links = extract_links(got.body, got.final_url or got.url, source)
        new, _ = store.finish_list(
            item,
            run_id=run_id,
            articles=links.articles,
            lists=links.lists,
            etag=got.etag,
            last_modified=got.last_modified,
        )
        stats["lists"] += 1
        stats["new_articles"] += new
    else:
        _store_article(store, index, item, got, source, settings, run_id, stats)


def _store_article(
    store: CrawlStore,
    index: SignatureIndex,
    item: FrontierItem,
    got: Fetched,
    source: SourceConfig,
    settings: CrawlSettings,
    run_id: int,
    stats: Counter[str],
) -> None:
    final_canonical = canonicalize(got.final_url or got.url)
    if final_canonical != item.url and store.has_page(final_canonical):
        stats["duplicates"] += 1
        store.finish_item(
            item,
            "done",
            run_id=run_id,
            event="duplicate_url",
            detail=f"redirects to {final_canonical}",
        )
        return
    raw = got.body
    sha = hashlib.sha256(raw).hexdigest()
    is_html = "html" in got.content_type.lower() or (
        not got.content_type and b"<html" in raw[:4096].lower()
    )
    page = StoredPage(
        url=item.url,
        fetch_url=item.fetch_url,
        final_url=got.final_url or got.url,
        final_canonical=final_canonical,
        status=got.status,
        content_type=got.content_type,
        charset=got.charset,
        sha256=sha,
        size=len(raw),
        path=f"crawled/{source.name}/{sha[:2]}/{sha}{'.html' if is_html else '.txt'}",
        region=source.region,
    )
    own_path = page.path
    written = False
    if CrawlStore.primary_by_sha(store.conn, sha) is None:
        try:
            page.minhash = text_signature(main_text(raw, page.final_url, got.charset, is_html))
        except Exception as exc:  # the page is kept; extraction will report it too
            store.event(run_id, source.name, item.url, "no_text", f"{type(exc).__name__}: {exc}")
        store.write_bytes(page.path, raw)
        written = True

    def resolve(c, page: StoredPage) -> None:
        same = CrawlStore.primary_by_sha(c, sha)
        if same is not None:  # the same bytes: share the primary's file
            page.path, page.duplicate_of, page.duplicate_reason = same[1], same[0], "content"
            page.minhash = None
            return
        if page.minhash is None:
            return
        index.update(CrawlStore.primary_signatures(c, index.last_id))
        best, score = index.best(page.minhash)
        if best is not None and score >= settings.near_duplicate_threshold:
            page.duplicate_of, page.duplicate_reason = best, "near"
            page.similarity = round(score, 3)
            page.minhash = None  # only primaries are compared against

    store.add_page(item, page, run_id=run_id, resolve=resolve)
    if written and page.path != own_path:
        # Another task stored the same bytes first (in another source's folder).
        (store.corpus_dir / own_path).unlink(missing_ok=True)
    stats["duplicates" if page.duplicate_of else "stored"] += 1


def crawl_all(
    sources_file: str | Path,
    corpus_dir: str | Path = "corpus",
    db_path: str | Path | None = None,
    only: list[str] | None = None,
) -> list[CrawlReport]:
    """Crawl every source of a sources file in turn (the Prefect flow runs one task each)."""
    config = load_sources(sources_file)
    return [
        crawl_source(s, config.settings, corpus_dir, db_path)
        for s in config.sources
        if not only or s.name in only
    ]
