"""Crawl configuration: the sources file, and the canonical form of URLs.

See docs/crawl.md for every field of the sources file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit, urlunsplit

USER_AGENT = "orgwork/0.1 (+research crawler; contact in README)"

# Query parameters that only say where a link was shared, beyond courlan's tracker list
# (utm_*, *_source, ref, …): WeChat and Alibaba share links add these to gov.cn URLs.
EXTRA_TRACKERS = {"spm", "isappinstalled", "scene", "share_token", "wfr", "nsukey"}
SHARE_FROM = {"singlemessage", "groupmessage", "timeline"}
INDEX_PAGE = re.compile(r"/(?:index|default)\.(?:s?html?|php|jsp|aspx?)$", re.IGNORECASE)


# -- configuration -------------------------------------------------------------------------


@dataclass
class CrawlSettings:
    """The ``[crawler]`` table: one setting for every source."""

    user_agent: str = USER_AGENT
    timeout_seconds: float = 20.0
    max_bytes: int = 5_000_000
    retries: int = 3
    backoff_seconds: float = 2.0
    max_redirects: int = 5
    near_duplicate_threshold: float = 0.8
    db: str = "crawl.sqlite"  # relative to the corpus folder unless absolute


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
        if not re.fullmatch(r"[\w.-]+", name):
            raise ValueError(f"{where}: name {name!r} must be letters, digits, '.', '-', '_'")
        for url in entry["start_urls"]:
            if urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"{where}: start URL {url!r} is not http(s)")
        try:
            article = re.compile(entry["article_pattern"])
            listing = re.compile(entry["list_pattern"]) if entry.get("list_pattern") else None
        except re.error as exc:
            raise ValueError(f"{where}: bad pattern: {exc}") from exc
        sources.append(
            SourceConfig(
                name=name,
                start_urls=list(entry["start_urls"]),
                article_pattern=article,
                region=entry.get("region", ""),
                max_pages=int(entry.get("max_pages", 200)),
                delay_seconds=float(entry.get("delay_seconds", 2.0)),
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
