"""Crawl configuration: the sources file, and the canonical form of URLs.

See docs/crawl.md for every field of the sources file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

USER_AGENT = "orgwork/0.1 (+research crawler; contact in README)"

# Query parameters that only say where a link was shared, beyond courlan's tracker list
# (utm_*, *_source, ref, …): WeChat and Alibaba share links add these to gov.cn URLs.
EXTRA_TRACKERS = {"spm", "isappinstalled", "scene", "share_token", "wfr", "nsukey"}
SHARE_FROM = {"singlemessage", "groupmessage", "timeline"}
INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:s?html?|php|jsp|aspx?)$", re.IGNORECASE)


# -- configuration -------------------------------------------------------------------------


def _bounded(default: float, low: float, high: float, *, integer: bool = False):
    """A setting with the range it is checked against on load (see ``check_settings``)."""
    return field(default=default, metadata={"range": (low, high), "integer": integer})


@dataclass
class CrawlSettings:
    """The ``[crawler]`` table: one setting for every source. Ranges are checked on load."""

    user_agent: str = USER_AGENT
    # Connect and per-read timeout of one request.
    timeout_seconds: float = _bounded(20.0, 0.1, 300)
    # Wall-clock limit of one whole request (connect, headers, body), whatever it trickles.
    deadline_seconds: float = _bounded(30.0, 0.1, 600)
    # Decoded bytes of a page, feed or sitemap; more is dropped as too_large.
    max_bytes: int = _bounded(5_000_000, 10_000, 100_000_000, integer=True)
    # Decoded bytes of robots.txt read; the rest is ignored (RFC 9309 §2.5: at least 500 KiB).
    robots_max_bytes: int = _bounded(500 * 1024, 500 * 1024, 10_000_000, integer=True)
    retries: int = _bounded(3, 0, 10, integer=True)
    backoff_seconds: float = _bounded(2.0, 0, 120)
    # A Retry-After (HTTP 429/503) longer than this leaves the URL for the next crawl.
    retry_after_max_seconds: float = _bounded(120.0, 0, 3600)
    max_redirects: int = _bounded(5, 0, 20, integer=True)
    near_duplicate_threshold: float = _bounded(0.8, 0.01, 1.0)
    db: str = "crawl.sqlite"  # relative to the corpus folder unless absolute


def check_settings(settings: CrawlSettings) -> None:
    """Raise ValueError naming the first [crawler] value of the wrong type or out of range."""
    for f in fields(settings):
        value = getattr(settings, f.name)
        if "range" not in f.metadata:
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"[crawler] {f.name} must be a non-empty string, not {value!r}")
            continue
        low, high = f.metadata["range"]
        kinds = (int,) if f.metadata["integer"] else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            kind = "an integer" if f.metadata["integer"] else "a number"
            raise ValueError(f"[crawler] {f.name} must be {kind}, not {value!r}")
        if not low <= value <= high:
            raise ValueError(f"[crawler] {f.name} = {value!r} is outside [{low:g}, {high:g}]")


MAX_NAME_CHARS = 64
# Letters (any script), digits, '.', '-', '_': a name is a folder under corpus/crawled/.


def source_name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a source name (it becomes corpus/crawled/<name>/), or None."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty string"
    if len(name) > MAX_NAME_CHARS:
        return f"must be at most {MAX_NAME_CHARS} characters"
    if name.startswith("."):
        return "must not start with '.' (no hidden folder, no '.' or '..')"
    if not re.fullmatch(r"[\w.-]+", name) or not name.isprintable():
        return "must be only letters, digits, '.', '-' and '_' (no '/', '\\', NUL or space)"
    return None


@dataclass
class SourceConfig:
    """One ``[[source]]`` table."""

    name: str
    start_urls: list[str]
    article_pattern: re.Pattern
    region: str = ""
    max_pages: int = 200
    delay_seconds: float = 2.0
    list_pattern: re.Pattern | None = None
    allowed_hosts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        problem = source_name_problem(self.name)
        if problem:  # also for a SourceConfig made in code, not read from a sources file
            raise ValueError(f"source name {self.name!r} {problem}")
        if not self.allowed_hosts:
            self.allowed_hosts = sorted({urlsplit(u).netloc.lower() for u in self.start_urls})


@dataclass
class Schedule:
    cron: str = ""
    timezone: str = ""
    out: str = ""


@dataclass
class SourcesFile:
    settings: CrawlSettings
    sources: list[SourceConfig]
    schedule: Schedule


SOURCE_KEYS = {
    "name",
    "start_urls",
    "article_pattern",
    "region",
    "max_pages",
    "delay_seconds",
    "list_pattern",
    "allowed_hosts",
    "enabled",
}


def load_sources(path: str | Path) -> SourcesFile:
    """Read and check a sources file; any mistake fails here, before a request is sent."""
    path = Path(path)
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    unknown = set(raw) - {"crawler", "schedule", "source"}
    if unknown:
        raise ValueError(f"{path}: unknown table(s) {sorted(unknown)}")
    crawler = dict(raw.get("crawler", {}))
    bad = set(crawler) - set(CrawlSettings.__dataclass_fields__)
    if bad:
        raise ValueError(f"{path}: unknown [crawler] key(s) {sorted(bad)}")
    settings = CrawlSettings(**crawler)
    try:
        check_settings(settings)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None
    sched = dict(raw.get("schedule", {}))
    bad = set(sched) - {"cron", "timezone", "out"}
    if bad:
        raise ValueError(f"{path}: unknown [schedule] key(s) {sorted(bad)}")
    sources: list[SourceConfig] = []
    for i, entry in enumerate(raw.get("source", [])):
        where = f"{path}: [[source]] #{i + 1}"
        bad = set(entry) - SOURCE_KEYS
        if bad:
            raise ValueError(f"{where}: unknown key(s) {sorted(bad)}")
        if not entry.get("enabled", True):
            continue
        for key in ("name", "start_urls", "article_pattern"):
            if not entry.get(key):
                raise ValueError(f"{where}: '{key}' is required")
        name = entry["name"]
        problem = source_name_problem(name)
        if problem:
            raise ValueError(f"{where}: source name {name!r} {problem}")
        where = f"{path}: source {name!r}"
        for url in entry["start_urls"]:
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"{where}: start URL {url!r} is not http(s)")
        try:
            article = re.compile(entry["article_pattern"])
            listing = re.compile(entry["list_pattern"]) if entry.get("list_pattern") else None
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern: {exc}") from exc
        max_pages, delay = entry.get("max_pages", 200), entry.get("delay_seconds", 2.0)
        if isinstance(max_pages, bool) or not isinstance(max_pages, int):
            raise ValueError(f"{where}: max_pages must be an integer, not {max_pages!r}")
        if not 1 <= max_pages <= 1_000_000:
            raise ValueError(f"{where}: max_pages = {max_pages} is outside [1, 1000000]")
        if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= 3600:
            raise ValueError(f"{where}: delay_seconds must be a number in [0, 3600], not {delay!r}")
        sources.append(
            SourceConfig(
                name=name,
                start_urls=list(entry["start_urls"]),
                article_pattern=article,
                region=entry.get("region", ""),
                max_pages=max_pages,
                delay_seconds=float(delay),
                list_pattern=listing,
                allowed_hosts=[h.lower() for h in entry.get("allowed_hosts", [])],
            )
        )
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise ValueError(f"{path}: source names must be unique: {names}")
    return SourcesFile(settings, sources, Schedule(**sched))


def db_path_for(settings: CrawlSettings, corpus_dir: str | Path) -> Path:
    db = Path(settings.db)
    return db if db.is_absolute() else Path(corpus_dir) / db


# -- URLs ----------------------------------------------------------------------------------


def canonicalize(url: str) -> str:
    """The dedupe key of a URL: no fragment, tracking parameters, default port or index page.

    courlan does the standard part (case, default ports, dot segments, percent-encoding,
    sorted query, known trackers); the rest is what Chinese share links add.
    """
    from courlan import normalize_url

    url, _ = urldefrag(url.strip())
    try:
        url = normalize_url(url)
    except ValueError:
        return url
    parts = urlsplit(url)
    query = "&".join(
        p
        for p in parts.query.split("&")
        if p
        and p.split("=", 1)[0].lower() not in EXTRA_TRACKERS
        and not (p.startswith("from=") and p[5:] in SHARE_FROM)
    )
    # courlan drops only leading ../; urljoin applies RFC 3986 dot-segment removal.
    path = urlsplit(urljoin("http://h/", parts.path)).path
    path = INDEX_PAGE.sub("/", path) or "/"
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))
