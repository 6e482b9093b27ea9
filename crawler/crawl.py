"""Crawl: sources file → polite fetches of column pages, feeds and articles → stored raw pages.

Plain Python, no Prefect (``flows/crawl.py`` wraps it). One source is crawled by one
sequential loop, so a host never sees more than one request at a time from it, spaced by the
larger of the source's delay and the host's robots.txt Crawl-delay. Storage and resume
live in ``pipeline/crawlstore.py``.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from orgwork.crawler.config import (
    USER_AGENT,
    CrawlSettings,
    Schedule,
    SourceConfig,
    SourcesFile,
    canonicalize,
    db_path_for,
    load_sources,
)
from orgwork.crawler.store import CrawlStore, FrontierItem, StoredPage

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
GZIP_TYPES = ("application/gzip", "application/x-gzip")  # a sitemap.xml.gz
REDIRECT_CODES = {301, 302, 303, 307, 308}


NEXT_TEXTS = {"下一页", "下页", "后页", "下一頁", "下頁", "next", "next page", ">", "›", "»", ">>"}
# Column pages of TRS-style CMS (most gov.cn sites): index.html, index_1.html, …
PAGINATION_FILE = re.compile(r"/(?:index|list|default)_\d+\.s?html?$", re.IGNORECASE)
# The same CMS writes its pager in JavaScript: createPageHTML(pages, current, "index", "html").
TRS_PAGER = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"'](\w+)[\"']\s*,\s*[\"'](\w+)[\"']"
)

SHINGLE = 5  # characters; short enough to survive re-punctuation, long enough to be specific
NUM_PERM = 128
SEED, SCHEME = 1, "affine32"  # datasketch 2's defaults, fixed: stored signatures must match
MIN_SIGNATURE_CHARS = 50  # below this a page is too short to call a near-duplicate


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


# -- fetching ------------------------------------------------------------------------------


@dataclass
class Fetched:
    """What one fetch came to. outcome: ok | not_modified | robots | robots_unreachable |
    offsite | binary | too_large | bad_encoding | http_error | rate_limited | timeout | error |
    too_many_redirects."""

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
    retry_after: float | None = None  # seconds, from a 429/503 Retry-After
    truncated: bool = False  # robots.txt only: cut at robots_max_bytes


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After (RFC 9110 §10.2.3) in seconds from now: delay-seconds or an HTTP-date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's own socket backend with one wall-clock deadline over a whole request.

    Per-read timeouts miss a server that sends a byte a second, in the headers or the body:
    here every connect, TLS handshake, read and write gets at most the time left until the
    deadline, and none starts after it. httpx has no total timeout; httpcore's network
    backend is its documented extension point for this.
    """

    def __init__(self) -> None:
        self.inner = httpcore.SyncBackend()
        self.deadline: float | None = None
        self.seconds = 0.0

    def start(self, seconds: float) -> None:
        self.seconds, self.deadline = seconds, time.monotonic() + seconds

    def stop(self) -> None:
        self.deadline = None

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def left(self, timeout: float | None, error: type[Exception]) -> float | None:
        if self.deadline is None:
            return timeout
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise error(f"deadline of {self.seconds:g} s for the whole response exceeded")
        return left if timeout is None else min(timeout, left)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable | None = None,
    ) -> httpcore.NetworkStream:
        timeout = self.left(timeout, httpcore.ConnectTimeout)
        stream = self.inner.connect_tcp(host, port, timeout, local_address, socket_options)
        return _DeadlineStream(stream, self)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable | None = None
    ) -> httpcore.NetworkStream:
        timeout = self.left(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(self.inner.connect_unix_socket(path, timeout, socket_options), self)

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream, backend: _DeadlineBackend) -> None:
        self.stream, self.backend = stream, backend

    def _io(self, call: Callable, timeout: float | None, error: type[Exception]):
        try:
            return call(self.backend.left(timeout, error))
        except httpcore.TimeoutException:
            if self.backend.expired():  # the shortened timeout fired: say it was the deadline
                self.backend.left(None, error)
            raise

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._io(lambda t: self.stream.read(max_bytes, t), timeout, httpcore.ReadTimeout)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._io(lambda t: self.stream.write(buffer, t), timeout, httpcore.WriteTimeout)

    def close(self) -> None:
        self.stream.close()

    def start_tls(
        self, ssl_context, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        stream = self._io(
            lambda t: self.stream.start_tls(ssl_context, server_hostname, t),
            timeout,
            httpcore.ConnectTimeout,
        )
        return _DeadlineStream(stream, self.backend)

    def get_extra_info(self, info: str) -> object:
        return self.stream.get_extra_info(info)


@contextlib.contextmanager
def _as_httpx_errors(request: httpx.Request) -> Iterator[None]:
    """httpcore's exceptions as httpx's classes of the same name (httpx does the same)."""
    try:
        yield
    except Exception as exc:
        if not type(exc).__module__.startswith("httpcore"):
            raise
        for cls in type(exc).__mro__:
            mapped = getattr(httpx, cls.__name__, None)
            if isinstance(mapped, type) and issubclass(mapped, httpx.TransportError):
                raise mapped(str(exc), request=request) from exc
        raise


class _BoundedTransport(httpx.BaseTransport):
    """httpx's HTTP/1.1 transport over httpcore, on the deadline backend."""

    def __init__(self, backend: _DeadlineBackend) -> None:
        self.pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=backend,
            max_connections=4,
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        core = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=url.raw_scheme, host=url.raw_host, port=url.port, target=url.raw_path
            ),
            headers=request.headers.raw,
            content=request.stream,  # type: ignore[arg-type]
            extensions=request.extensions,
        )
        with _as_httpx_errors(request):
            resp = self.pool.handle_request(core)
        return httpx.Response(
            resp.status,
            headers=resp.headers,
            stream=_ResponseStream(resp, request),
            extensions=resp.extensions,
        )

    def close(self) -> None:
        self.pool.close()


class _ResponseStream(httpx.SyncByteStream):
    def __init__(self, resp: httpcore.Response, request: httpx.Request) -> None:
        self.resp, self.request = resp, request

    def __iter__(self) -> Iterator[bytes]:
        with _as_httpx_errors(self.request):
            yield from self.resp.iter_stream()

    def close(self) -> None:
        with _as_httpx_errors(self.request):
            self.resp.close()


class Undecodable(Exception):
    """A Content-Encoding that is unknown, or bytes that do not decode."""


class _Zlib:
    """gzip (several members allowed) or deflate (zlib-wrapped or raw, as sent in practice)."""

    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self.wbits = 16 + zlib.MAX_WBITS if gzip else 0  # 0: not yet known for deflate
        self.head = b""
        self.d = zlib.decompressobj(self.wbits) if gzip else None

    def decode(self, data: bytes, room: int) -> bytes:
        if self.d is None:
            self.head += data
            if len(self.head) < 2:
                return b""
            # RFC 1950 header: CM 8, and the first two bytes a multiple of 31.
            b0, b1 = self.head[0], self.head[1]
            wrapped = b0 & 0x0F == 8 and (b0 << 8 | b1) % 31 == 0
            self.wbits = zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS
            self.d = zlib.decompressobj(self.wbits)
            data, self.head = self.head, b""
        # max_length keeps the output of a bomb to ``room`` bytes; the input left over
        # stays in unconsumed_tail, and is not needed: more than ``room`` is too much.
        out = self.d.decompress(data, room)
        while self.gzip and self.d.eof and self.d.unused_data[:2] == b"\x1f\x8b":
            if len(out) >= room:
                break
            rest = self.d.unused_data
            self.d = zlib.decompressobj(self.wbits)
            out += self.d.decompress(rest, room - len(out))
        return out

    def finish(self) -> bytes:
        return b""


class _Brotli:
    def __init__(self) -> None:
        import brotli  # 1.2 or later: bounded output

        self.d = brotli.Decompressor()

    def decode(self, data: bytes, room: int) -> bytes:
        out = self.d.process(data, output_buffer_limit=room)
        while len(out) < room and not self.d.can_accept_more_data():
            out += self.d.process(b"", output_buffer_limit=room - len(out))
        return out

    def finish(self) -> bytes:
        return b""


class _MaybeGzip:
    """A sitemap.xml.gz is a gzip file whatever its Content-Type: gunzipped if it is one."""

    def __init__(self) -> None:
        self.head = b""
        self.inner: _Zlib | None = None
        self.decided = False

    def decode(self, data: bytes, room: int) -> bytes:
        if not self.decided:
            self.head += data
            if len(self.head) < 2:
                return b""
            self.decided = True
            self.inner = _Zlib(gzip=True) if self.head[:2] == b"\x1f\x8b" else None
            data, self.head = self.head, b""
        return self.inner.decode(data, room) if self.inner else data

    def finish(self) -> bytes:
        return self.head


class BoundedDecoder:
    """Content-Encoding undone chunk by chunk, each layer stopped one byte past ``limit``.

    A gzip bomb is never expanded whole: every layer (gzip, deflate, br, stacked as the
    header lists them, then a gzip file's own layer for a sitemap.xml.gz) yields at most
    ``limit`` + 1 bytes in all, and one byte more than ``limit`` sets ``over``.
    """

    def __init__(self, content_encoding: str, limit: int, *, gzip_file: bool = False) -> None:
        self.limit = limit
        self.over = False
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        self.layers: list = []
        for coding in reversed([c for c in codings if c and c != "identity"]):
            if coding in ("gzip", "x-gzip"):
                self.layers.append(_Zlib(gzip=True))
            elif coding == "deflate":
                self.layers.append(_Zlib(gzip=False))
            elif coding == "br":
                self.layers.append(_Brotli())
            else:
                raise Undecodable(f"Content-Encoding {coding!r} is not supported")
        if gzip_file:
            self.layers.append(_MaybeGzip())
        self.sizes = [0] * len(self.layers)
        self.total = 0

    def decode(self, data: bytes, *, last: bool = False) -> bytes:
        for i, layer in enumerate(self.layers):
            if self.over:
                return b""
            try:
                data = layer.decode(data, self.limit + 1 - self.sizes[i])
                if last:
                    data += layer.finish()
            except Exception as exc:  # zlib.error, brotli.error: corrupt bytes
                raise Undecodable(f"{type(exc).__name__}: {exc}") from exc
            self.sizes[i] += len(data)
            if self.sizes[i] > self.limit:
                self.over = True
        self.total += len(data)
        if self.total > self.limit:
            self.over = True
        return data


class Fetcher:
    """HTTP for one source: robots.txt, per-host delay, retries, redirects, deadline, caps.

    Every request (robots.txt, list pages, feeds, sitemaps, articles) goes through ``_get``:
    one wall-clock deadline for the whole response, and a cap on the decoded bytes.
    """

    def __init__(self, settings: CrawlSettings, source: SourceConfig) -> None:
        self.settings = settings
        self.source = source
        t = settings.timeout_seconds
        self.backend = _DeadlineBackend()
        # Redirects are followed by hand so that every hop is checked against robots.txt
        # and the allowed hosts; trust_env=False keeps proxies of the machine out of it.
        self.client = httpx.Client(
            transport=_BoundedTransport(self.backend),
            timeout=httpx.Timeout(t, connect=t),
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate, br"},
            trust_env=False,
        )
        self._robots: dict[str, object] = {}  # origin → Protego | "allow" | "unreachable"
        self._delay: dict[str, float] = {}
        self._last: dict[str, float] = {}
        self._not_before: dict[str, float] = {}  # host → monotonic time of its Retry-After
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
        ready = max(last + delay if last is not None else 0.0, self._not_before.get(host, 0.0))
        pause = ready - time.monotonic()
        if pause > 0:
            time.sleep(pause)

    def robots_rules(self, url: str) -> object:
        """The robots.txt rules of the URL's origin, read once: Protego, "allow" or
        "unreachable"."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            self._robots[origin] = self._load_robots(origin)
        return self._robots[origin]

    def robots_allows(self, url: str) -> bool:
        rules = self.robots_rules(url)
        if rules == "allow":
            return True
        if rules == "unreachable":
            return False
        return rules.can_fetch(url, ROBOTS_AGENT)  # type: ignore[union-attr]

    def _load_robots(self, origin: str) -> object:
        """RFC 9309: 4xx means no rules; 5xx, 429 or no answer (also past the deadline)
        means keep off the whole host this run; past robots_max_bytes the rest is ignored."""
        from protego import Protego

        url = current = origin + "/robots.txt"
        got: Fetched | str = current
        # RFC 9309 §2.3.1.2: follow at least five redirects, also to other hosts.
        for _hop in range(max(5, self.settings.max_redirects) + 1):
            host = _host(current)
            self._wait(host)
            try:
                got = self._get(url, current, {}, "robots")
            except httpx.HTTPError as exc:
                self.robots_events.append((url, "robots_unreachable", _describe(exc)))
                return "unreachable"
            finally:
                self._last[host] = time.monotonic()
            if not isinstance(got, str):
                break
            current = got
        if isinstance(got, str):  # §2.3.1.2: too many redirects → as if there were none
            return "allow"
        if got.status == 429 or got.status >= 500 or got.outcome == "bad_encoding":
            detail = got.detail or f"HTTP {got.status}"
            self.robots_events.append((url, "robots_unreachable", detail))
            return "unreachable"
        if got.status >= 400:
            return "allow"
        text = got.body.decode("utf-8", errors="replace")
        if got.truncated:
            text = text.rsplit("\n", 1)[0]  # the cut line is incomplete
            self.robots_events.append((url, "robots_truncated", got.detail))
        rules = Protego.parse(text)
        delay = rules.crawl_delay(ROBOTS_AGENT)
        if delay:
            self._delay[_host(origin)] = float(delay)
        return rules

    def fetch(
        self,
        url: str,
        *,
        listing: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Fetched:
        """GET with retries: backoff on timeouts, network errors and 5xx; Retry-After on
        429 and 503 (up to retry_after_max_seconds, else the URL waits for the next run)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        result = Fetched("error", url)
        pause = 0.0
        for attempt in range(self.settings.retries + 1):
            if pause:
                time.sleep(pause)
            try:
                result = self._fetch_once(url, headers, listing)
            except httpx.TimeoutException as exc:
                result = Fetched("timeout", url, detail=_describe(exc))
            except httpx.HTTPError as exc:
                result = Fetched("error", url, detail=_describe(exc))
            result.attempts = attempt + 1
            pause = self.settings.backoff_seconds * 2**attempt
            if result.outcome == "rate_limited":
                if result.retry_after is None:
                    continue  # a 429 without Retry-After: the backoff
                if result.retry_after > self.settings.retry_after_max_seconds:
                    return result
                pause = 0.0  # _wait holds the host until its Retry-After has passed
                continue
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
            wait = self._not_before.get(host, 0.0) - time.monotonic()
            if wait > self.settings.retry_after_max_seconds:
                detail = f"{host} asked to wait {wait:.0f} s more (Retry-After)"
                return Fetched("rate_limited", url, current, detail=detail, retry_after=wait)
            if self.robots_rules(current) == "unreachable":
                detail = "robots.txt unreachable: host left for the next run"
                return Fetched("robots_unreachable", url, current, detail=detail)
            if not self.robots_allows(current):
                return Fetched("robots", url, current, detail="disallowed by robots.txt")
            self._wait(host)
            try:
                result = self._get(url, current, headers, "list" if listing else "article")
            finally:
                self._last[host] = time.monotonic()
            if isinstance(result, Fetched):
                return result
            current = result  # a redirect target
        return Fetched("too_many_redirects", url, current, detail="redirect limit reached")

    def _get(self, url: str, current: str, headers: dict[str, str], kind: str) -> Fetched | str:
        """One bounded request. kind: robots | list | article. A redirect gives its target."""
        robots = kind == "robots"
        limit = self.settings.robots_max_bytes if robots else self.settings.max_bytes
        self.backend.start(self.settings.deadline_seconds)
        try:
            with self.client.stream("GET", current, headers=headers) as resp:
                return self._read(url, current, resp, kind, limit)
        finally:
            self.backend.stop()

    def _read(self, url: str, current: str, resp: httpx.Response, kind: str, limit: int):
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
        if status in (429, 503):
            base.retry_after = retry_after_seconds(resp.headers.get("retry-after"))
            if base.retry_after is not None:
                self._not_before[_host(current)] = time.monotonic() + base.retry_after
        if status == 429 or (status == 503 and base.retry_after is not None):
            base.outcome, base.detail = "rate_limited", f"HTTP {status}"
            if base.retry_after is not None:
                base.detail += f", Retry-After {base.retry_after:.0f} s"
            return base
        if status >= 400:
            base.outcome, base.detail = "http_error", f"HTTP {status}"
            return base
        robots, listing = kind == "robots", kind == "list"
        mime = ctype.split(";")[0].strip().lower()
        gzip_file = listing and (mime in GZIP_TYPES or urlsplit(current).path.endswith(".gz"))
        accepted = (
            robots  # RFC 9309 asks for no content type: robots.txt is read whatever it says
            or mime in HTML_TYPES
            or (listing and (gzip_file or any(t in mime for t in FEED_TYPES)))
        )
        if mime and not accepted:
            base.outcome, base.detail = "binary", f"content type {mime}"
            return base
        declared = resp.headers.get("content-length", "")
        encoded = resp.headers.get("content-encoding", "identity").strip().lower()
        if not robots and declared.isdigit() and int(declared) > limit and encoded == "identity":
            base.outcome, base.detail = "too_large", f"Content-Length {declared} > {limit}"
            return base
        try:
            decoder = BoundedDecoder(encoded, limit, gzip_file=gzip_file)
            body = bytearray()
            for raw in resp.iter_raw():
                body += decoder.decode(raw)
                if decoder.over:
                    break
            else:
                body += decoder.decode(b"", last=True)
        except Undecodable as exc:
            base.outcome, base.detail = "bad_encoding", str(exc)
            return base
        if decoder.over or len(body) > limit:
            if not robots:
                base.outcome, base.detail = "too_large", f"more than {limit} bytes decoded"
                return base
            del body[limit:]
            base.truncated, base.detail = True, f"read the first {limit} bytes only"
        base.body = bytes(body)
        if robots:
            return base
        from orgwork.pipeline.ingest import detect_binary

        binary = detect_binary(base.body)
        if binary:
            base.outcome, base.detail, base.body = "binary", f"bytes are a {binary}", b""
        return base


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


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
    from orgwork.pipeline.ingest import ingest_bytes
    from orgwork.pipeline.normalize import normalize_document

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
    # Seed and scheme spelt out: the stored signatures are compared with later ones.
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in shingles])
    return np.asarray(mh.hashvalues, dtype=np.uint64).tobytes()


def lsh_bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows a band) for MinHashLSH such that two signatures that agree in at least
    ``threshold`` of their slots always share a band.

    Two such signatures differ in at most ``d`` slots; with ``d + 1`` disjoint bands, at
    least one band holds none of them (pigeonhole), so its bucket holds both. The index's
    candidates then include every page the exhaustive scan would accept, and the decisions
    are the scan's, instead of datasketch's default bands, tuned to a false-negative rate.
    """
    differ = max(d for d in range(num_perm + 1) if (num_perm - d) / num_perm >= threshold)
    bands = min(num_perm, differ + 1)
    return bands, num_perm // bands


class SignatureIndex:
    """The primaries' signatures in a datasketch MinHashLSH: a new page is compared with the
    pages sharing one of its bands only, not with every stored page.

    Rebuilt from the stored signatures when a crawl first needs it (the store holds them,
    so nothing else is persisted), then kept up to date from the store (``update``), which
    other crawl tasks write to too.
    """

    def __init__(self, threshold: float = 0.8) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(num_perm=NUM_PERM, params=lsh_bands(threshold))
        self.pages: dict[int, tuple[str, object]] = {}  # id → (url, LeanMinHash)
        self.last_id = 0

    @staticmethod
    def _minhash(signature: bytes):
        import numpy as np
        from datasketch import LeanMinHash

        values = np.frombuffer(signature, dtype=np.uint64)
        return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)

    def update(self, rows: list[tuple]) -> None:
        """Add (id, url, minhash) rows of primaries stored since the last update."""
        for page_id, url, signature in rows:
            minhash = self._minhash(signature)
            self.lsh.insert(page_id, minhash, check_duplication=False)
            self.pages[page_id] = (url, minhash)
            self.last_id = page_id

    def best(self, signature: bytes) -> tuple[str | None, float]:
        """The closest primary among those at or above the threshold, and its similarity
        (the share of equal MinHash slots, datasketch's Jaccard estimate); ties go to the
        earliest stored. (None, 0.0) when none is that close."""
        minhash = self._minhash(signature)
        best_id, best_score = None, 0.0
        # MinHashLSH returns its candidates unranked: the closest is picked here, in id order.
        for page_id in sorted(self.lsh.query(minhash)):
            score = minhash.jaccard(self.pages[page_id][1])
            if score > best_score:
                best_id, best_score = page_id, score
        if best_id is None or best_score < self.threshold:
            return None, 0.0
        return self.pages[best_id][0], best_score


# -- the crawl -----------------------------------------------------------------------------


@dataclass
class CrawlReport:
    source: str
    run_id: int
    stats: dict[str, int]
    events: list[dict]

    def summary(self) -> str:
        keys = ("fetched", "stored", "duplicates", "not_modified", "skipped", "failed", "pending")
        # pending counts the deferred URLs (rate-limited, robots.txt unreachable) too.
        return f"{self.source}: " + ", ".join(f"{k} {self.stats.get(k, 0)}" for k in keys)


SKIP_OUTCOMES = {"robots", "offsite", "binary", "too_large", "bad_encoding", "too_many_redirects"}
# Not the page's fault, and not for good: pending again on the next run.
DEFER_OUTCOMES = {"rate_limited", "robots_unreachable"}


def crawl_source(
    source: SourceConfig,
    settings: CrawlSettings,
    corpus_dir: str | Path,
    db_path: str | Path | None = None,
) -> CrawlReport:
    """Crawl one source until its frontier is empty or ``max_pages`` URLs were fetched."""
    db_path = Path(db_path) if db_path else db_path_for(settings, corpus_dir)
    stats: Counter[str] = Counter()
    with CrawlStore(db_path, corpus_dir) as store, Fetcher(settings, source) as fetcher:
        run_id = store.start_run(source.name)
        store.seed(source.name, [(canonicalize(u), u) for u in source.start_urls])
        index = SignatureIndex(settings.near_duplicate_threshold)
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
    elif got.outcome in DEFER_OUTCOMES:
        stats["deferred"] += 1
        detail = f"{got.detail}; left for the next run"
        store.finish_item(item, "deferred", event=got.outcome, detail=detail, **done)
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
        path=CrawlStore.page_path(source.name, sha, ".html" if is_html else ".txt"),
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
