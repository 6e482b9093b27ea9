"""The crawler against test sites on 127.0.0.1: what is fetched, stored, skipped, reported."""

from __future__ import annotations

import email.utils
import hashlib
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from orgwork.crawler.crawl import canonicalize, crawl_all, extract_links, load_sources
from orgwork.crawler.store import CrawlStore, list_crawled
from orgwork.pipeline.ingest import ingest_bytes
from tests.conftest import ROOT
from tests.crawlsite import (
    RSS_MODIFIED,
    Drip,
    Site,
    bomb,
    gzip_bytes,
    html,
    ok,
    reports_site,
    syndication_site,
)

ARTICLE_A = r"/zzgz/(\\d{6}|private)/t\\d+_\\d+\\.html"
ARTICLE_B = r"/news/\\d{6}/t\\d+_\\d+\\.html"


def write_sources(path: Path, a: Site, b: Site | None = None, **crawler: object) -> Path:
    settings = {
        "timeout_seconds": 1.0,
        "retries": 2,
        "backoff_seconds": 0.05,
        "max_bytes": 100_000,
        **crawler,
    }
    lines = ["[crawler]"] + [f"{k} = {v!r}" for k, v in settings.items()]
    lines += [
        "[[source]]",
        'name = "jinjiang-zzb"',
        f'start_urls = ["{a.base}/zzgz/index.html"]',
        f'article_pattern = "{ARTICLE_A}"',
        'region = "晋江市"',
        "delay_seconds = 0",
    ]
    if b is not None:
        lines += [
            "[[source]]",
            'name = "repost-site"',
            f'start_urls = ["{b.base}/rss.xml"]',
            f'article_pattern = "{ARTICLE_B}"',
            "delay_seconds = 0",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Both sites crawled once; the tests below read what that one crawl did."""
    a, b = reports_site().start(), syndication_site().start()
    tmp = tmp_path_factory.mktemp("crawl")
    sources = write_sources(tmp / "sources.toml", a, b)
    corpus = tmp / "corpus"
    started = time.perf_counter()
    reports = {r.source: r for r in crawl_all(sources, corpus)}
    seconds = time.perf_counter() - started
    yield {"a": a, "b": b, "corpus": corpus, "sources": sources, "reports": reports, "s": seconds}
    a.stop()
    b.stop()


def events(report, kind: str) -> list[str]:
    return [
        e["url"].rsplit("/", 2)[-2] + "/" + e["url"].rsplit("/", 1)[-1]
        for e in report.events
        if e["event"] == kind
    ]


def test_fetched_stored_skipped_reported(crawled) -> None:
    report = crawled["reports"]["jinjiang-zzb"]
    assert report.stats["stored"] == 5
    assert report.stats["lists"] == 2, "the column and its 下一页 page"
    assert events(report, "robots") == ["private/t20240103_3.html"]
    assert events(report, "too_large") == ["202401/t20240106_6.html"]
    assert events(report, "binary") == ["202401/t20240107_7.html"]
    assert events(report, "timeout") == ["202401/t20240108_8.html"]
    assert events(report, "http_404") == ["202401/t20240109_0.html"]
    assert events(report, "retried") == ["202401/t20240104_4.html"]
    assert report.stats["failed"] == 1 and report.stats["skipped"] == 4
    stored = {p["url"].split("/zzgz/")[1] for p in CrawlStore_pages(crawled)}
    assert stored == {
        "202401/t20240101_1.html",
        "202401/t20240102_2.html",
        "202401/t20240104_4.html",
        "202401/t20240105_5.html",
        "202312/t20231201_9.html",
    }
    assert crawled["s"] < 30


def CrawlStore_pages(crawled) -> list[dict]:
    with CrawlStore(crawled["corpus"] / "crawl.sqlite", crawled["corpus"]) as store:
        return store.pages("jinjiang-zzb")


def test_requests_seen_by_the_server(crawled) -> None:
    a = crawled["a"]
    assert a.hits("/zzgz/private/t20240103_3.html") == [], "robots.txt disallows it"
    assert len(a.hits("/robots.txt")) == 1
    # The utm_source link is the same article: fetched once.
    assert len(a.hits("/zzgz/202401/t20240101_1.html")) == 1
    assert len(a.hits("/zzgz/202401/t20240104_4.html")) == 3, "500, 500, then 200"
    assert len(a.hits("/zzgz/202401/t20240109_0.html")) == 1, "no retry on 4xx"
    assert len(a.hits("/zzgz/202401/t20240108_8.html")) == 3, "timeouts are retried"
    assert all(h["user-agent"].startswith("orgwork/0.1") for _, _, h in a.log)
    assert a.hits("/zzgz/index.html")[0].get("if-none-match") is None


def test_stored_bytes_and_provenance(crawled) -> None:
    corpus = crawled["corpus"]
    pages = {p["url"].rsplit("/", 1)[-1]: p for p in CrawlStore_pages(crawled)}
    gbk = pages["t20240102_2.html"]
    assert gbk["charset"] == "gbk" and gbk["content_type"] == "text/html; charset=gbk"
    raw = (corpus / gbk["path"]).read_bytes()
    assert hashlib.sha256(raw).hexdigest() == gbk["sha256"]
    assert gbk["path"].startswith("crawled/jinjiang-zzb/")
    assert pages["t20231201_9.html"]["charset"] == "big5"
    moved = pages["t20240105_5.html"]
    assert moved["final_url"].endswith("/zzgz/202402/t20240205_5.html") and moved["status"] == 200
    assert all(p["fetched_at"] and p["region"] == "晋江市" for p in pages.values())
    # No temporary files left behind, and every file belongs to a row.
    files = {
        p.relative_to(corpus).as_posix() for p in (corpus / "crawled").rglob("*") if p.is_file()
    }
    with CrawlStore(corpus / "crawl.sqlite", corpus) as store:
        assert files == {p["path"] for p in store.pages()}


def test_list_crawled_feeds_ingest(crawled) -> None:
    pages = list_crawled(crawled["corpus"] / "crawl.sqlite")
    assert len(pages) == 5 and all(p.duplicate_of is None for p in pages)
    by_name = {p.url.rsplit("/", 1)[-1]: p for p in pages}
    texts = {}
    for name, page in by_name.items():
        doc = ingest_bytes(
            page.path.read_bytes(),
            str(page.path),
            url=page.url,
            is_html=page.is_html,
            declared_charset=page.declared_charset,
            region_hint=page.region_hint,
        )
        assert doc.region_hint == "晋江市"
        texts[name] = doc.raw_text
    assert "35名" in texts["t20240102_2.html"], "GBK decoded"
    assert "德化縣委組織部" in texts["t20231201_9.html"], "Big5 decoded"
    assert "80名优秀年轻干部" in texts["t20240101_1.html"]


def test_traditional_repost_is_a_near_duplicate(crawled) -> None:
    report = crawled["reports"]["repost-site"]
    assert report.stats["duplicates"] == 1 and report.stats.get("stored", 0) == 0
    every = list_crawled(crawled["corpus"] / "crawl.sqlite", include_duplicates=True)
    (repost,) = [p for p in every if p.source == "repost-site"]
    assert repost.duplicate_of is not None
    assert repost.duplicate_of.endswith("/zzgz/202401/t20240101_1.html")
    db = sqlite3.connect(crawled["corpus"] / "crawl.sqlite")
    reason, similarity = db.execute(
        "SELECT duplicate_reason, similarity FROM pages WHERE source = 'repost-site'"
    ).fetchone()
    assert reason == "near" and similarity >= 0.8
    # Distinct reports stay well apart.
    rows = db.execute("SELECT COUNT(*) FROM pages WHERE duplicate_of IS NULL").fetchone()
    assert rows[0] == 5


def test_lsh_bands_hold_every_pair_at_the_threshold() -> None:
    from orgwork.crawler.crawl import NUM_PERM, lsh_bands

    assert lsh_bands(0.8) == (26, 4), "at most 25 of 128 slots differ: 26 bands of 4"
    for threshold in (0.01, 0.5, 0.8, 0.9, 0.95, 1.0):
        bands, rows = lsh_bands(threshold)
        differ = max(d for d in range(NUM_PERM + 1) if (NUM_PERM - d) / NUM_PERM >= threshold)
        assert bands == differ + 1 and bands * rows <= NUM_PERM and rows >= 1


def _exhaustive_best(stored: list[tuple[int, str, bytes]], signature: bytes, threshold: float):
    """The scan the index replaces: every stored signature, the first of the highest share of
    equal slots."""
    import numpy as np

    if not stored:
        return None, 0.0
    matrix = np.vstack([np.frombuffer(sig, dtype=np.uint64) for _, _, sig in stored])
    scores = (matrix == np.frombuffer(signature, dtype=np.uint64)).mean(axis=1)
    i = int(scores.argmax())
    return (stored[i][1], float(scores[i])) if scores[i] >= threshold else (None, 0.0)


@pytest.mark.parametrize("threshold", [0.5, 0.8, 0.95])
def test_signature_index_decides_as_the_exhaustive_scan(threshold: float) -> None:
    """Pages differing from a stored one in up to the most slots the threshold allows (the
    worst case for the bands) and beyond it: the LSH index finds what the scan finds."""
    import numpy as np

    from orgwork.crawler.crawl import NUM_PERM, SignatureIndex

    rng = np.random.default_rng(5)
    most = max(d for d in range(NUM_PERM + 1) if (NUM_PERM - d) / NUM_PERM >= threshold)
    index, stored = SignatureIndex(threshold), []
    found = 0
    for i in range(400):
        if stored and i % 2:  # a variant of a stored page: `changed` slots differ
            base = np.frombuffer(stored[rng.integers(len(stored))][2], dtype=np.uint64).copy()
            changed = int(rng.choice([most, most + 1, rng.integers(0, most + 1)]))
            slots = rng.choice(NUM_PERM, size=changed, replace=False)
            base[slots] = rng.integers(0, 2**32, size=changed, dtype=np.uint64)
            signature = base.tobytes()
        else:
            signature = rng.integers(0, 2**32, size=NUM_PERM, dtype=np.uint64).tobytes()
        index.update([row for row in stored if row[0] > index.last_id])
        want = _exhaustive_best(stored, signature, threshold)
        assert index.best(signature) == want
        if want[0] is None:
            stored.append((i + 1, f"https://a.example/{i}", signature))
        found += want[0] is not None
    assert 50 < found < 200, "both decisions were taken"


def test_refresh_uses_conditional_get(tmp_path: Path) -> None:
    a, b = reports_site(slow_seconds=0).start(), syndication_site().start()
    try:
        sources = write_sources(tmp_path / "s.toml", a, b)
        crawl_all(sources, tmp_path / "corpus")
        before = len(a.log)
        second = {r.source: r for r in crawl_all(sources, tmp_path / "corpus")}
        index_hits = a.hits("/zzgz/index.html")
        assert len(index_hits) == 2 and index_hits[1]["if-none-match"] == '"v1"'
        feed_hits = b.hits("/rss.xml")
        assert feed_hits[1]["if-modified-since"] == RSS_MODIFIED
        assert second["jinjiang-zzb"].stats["not_modified"] == 1
        assert second["repost-site"].stats["not_modified"] == 1
        # Only robots.txt (read once a run) and the column page were asked for again:
        # stored articles are not re-fetched.
        new = [urlpath for _, urlpath, _ in a.log[before:]]
        assert new == ["/robots.txt", "/zzgz/index.html"]
        assert len(list_crawled(tmp_path / "corpus" / "crawl.sqlite")) == 6  # slow page now ok
    finally:
        a.stop()
        b.stop()


def test_robots_crawl_delay_spaces_requests(tmp_path: Path) -> None:
    site = Site()
    links = "".join(f'<a href="/a/t{i}_1.html">{i}</a>' for i in range(3))
    site.routes["/robots.txt"] = ok(b"User-agent: orgwork\nCrawl-delay: 0.4\n", "text/plain")
    site.routes["/list.html"] = ok(f"<html><body>{links}</body></html>".encode())
    for i in range(3):
        site.routes[f"/a/t{i}_1.html"] = ok(html(f"报告{i}", distinct_text(i)))
    site.start()
    try:
        path = tmp_path / "s.toml"
        path.write_text(
            f'[[source]]\nname = "d"\nstart_urls = ["{site.base}/list.html"]\n'
            'article_pattern = "/a/t\\\\d+_1\\\\.html"\ndelay_seconds = 0\n',
            encoding="utf-8",
        )
        started = time.monotonic()
        (report,) = crawl_all(path, tmp_path / "corpus")
        assert report.stats["stored"] == 3
        # robots.txt, the list and three articles: four gaps of at least 0.4 s.
        assert time.monotonic() - started >= 1.6
    finally:
        site.stop()


def distinct_text(seed: int) -> str:
    """A report-like text with its own characters, so that no two are near-duplicates."""
    pool = (
        "组织部干部党员培训基层党建书记村社区选派考核学习教育服务群众发展经济乡村振兴人才工作会议"
    )
    pool += (
        "城市街道机关单位企业学校医院农业工业交通水利环境安全文化旅游体育卫生健康科技创新改革开放"
    )
    rng = random.Random(seed)
    sentences = ["".join(rng.sample(pool, 24)) + "。" for _ in range(6)]
    return f"第{seed}期报告称，" + "".join(sentences)


def many_articles_site(n: int, delay: float) -> Site:
    site = Site()
    links = "".join(f'<a href="/a/t{i}_1.html">{i}</a>' for i in range(n))
    site.routes["/list.html"] = ok(f"<html><body>{links}</body></html>".encode())

    def slow_page(i: int):
        def reply(headers):
            time.sleep(delay)
            return (
                200,
                {"Content-Type": "text/html; charset=utf-8"},
                html(f"报告{i}", distinct_text(i)),
            )

        return reply

    for i in range(n):
        site.routes[f"/a/t{i}_1.html"] = slow_page(i)
    return site


def write_simple_source(path: Path, site: Site) -> Path:
    path.write_text(
        f'[[source]]\nname = "many"\nstart_urls = ["{site.base}/list.html"]\n'
        'article_pattern = "/a/t\\\\d+_1\\\\.html"\ndelay_seconds = 0\n',
        encoding="utf-8",
    )
    return path


def assert_complete(corpus: Path, site: Site, n: int) -> None:
    with CrawlStore(corpus / "crawl.sqlite", corpus) as store:
        pages = store.pages()
    assert sorted(p["url"].rsplit("/", 1)[-1] for p in pages) == sorted(
        f"t{i}_1.html" for i in range(n)
    )
    files = {
        p.relative_to(corpus).as_posix() for p in (corpus / "crawled").rglob("*") if p.is_file()
    }
    assert files == {p["path"] for p in pages}, "no orphan or temporary files"
    for p in pages:
        assert hashlib.sha256((corpus / p["path"]).read_bytes()).hexdigest() == p["sha256"]
    for i in range(n):
        # At most the one request in flight when the crawl was killed is made twice.
        assert 1 <= len(site.hits(f"/a/t{i}_1.html")) <= 2


def test_resume_after_kill(tmp_path: Path) -> None:
    n = 8
    site = many_articles_site(n, delay=0.25).start()
    try:
        sources = write_simple_source(tmp_path / "s.toml", site)
        corpus = tmp_path / "corpus"
        code = "import sys; from orgwork.crawler.crawl import crawl_all; crawl_all(sys.argv[1], sys.argv[2])"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen(
            [sys.executable, "-c", code, str(sources), str(corpus)], cwd=ROOT, env=env
        )
        try:
            db = corpus / "crawl.sqlite"
            deadline = time.monotonic() + 60
            stored = 0
            while time.monotonic() < deadline and child.poll() is None:
                if db.exists():
                    with sqlite3.connect(db, timeout=10) as conn:
                        try:
                            stored = conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
                        except sqlite3.OperationalError:
                            stored = 0
                if stored >= 3:
                    break
                time.sleep(0.05)
            assert child.poll() is None, "the crawl finished before it could be interrupted"
            child.send_signal(signal.SIGKILL)
        finally:
            if child.poll() is None:
                child.kill()
            child.wait(timeout=10)
        assert 3 <= stored < n
        (report,) = crawl_all(sources, corpus)
        assert report.stats["stored"] == n - stored or report.stats["stored"] == n - stored - 1
        assert_complete(corpus, site, n)
    finally:
        site.stop()


def test_interrupt_between_file_and_row(tmp_path: Path, monkeypatch) -> None:
    """The worst moment: bytes on disk, row not yet written. The re-run must mend it."""
    n = 3
    site = many_articles_site(n, delay=0).start()
    try:
        sources = write_simple_source(tmp_path / "s.toml", site)
        corpus = tmp_path / "corpus"
        real_add = CrawlStore.add_page
        calls = {"n": 0}

        def add_page(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt  # as if the process were stopped here
            return real_add(self, *args, **kwargs)

        monkeypatch.setattr(CrawlStore, "add_page", add_page)
        with pytest.raises(KeyboardInterrupt):
            crawl_all(sources, corpus)
        monkeypatch.setattr(CrawlStore, "add_page", real_add)
        (report,) = crawl_all(sources, corpus)
        assert report.stats["stored"] == n - 1
        assert_complete(corpus, site, n)
    finally:
        site.stop()


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "HTTP://Example.gov.cn:80/zzgz/202401/t1_2.html?utm_source=wx&utm_medium=x#p2",
            "http://example.gov.cn/zzgz/202401/t1_2.html",
        ),
        ("https://a.gov.cn:443/zzgz/index.html", "https://a.gov.cn/zzgz/"),
        ("https://a.gov.cn/zzgz/index_1.html", "https://a.gov.cn/zzgz/index_1.html"),
        (
            "https://a.gov.cn/x/t1.html?id=5&from=timeline&spm=a.b",
            "https://a.gov.cn/x/t1.html?id=5",
        ),
        ("https://a.gov.cn/x/show?b=2&a=1", "https://a.gov.cn/x/show?a=1&b=2"),
        ("https://a.gov.cn/x/a/../t1.html", "https://a.gov.cn/x/t1.html"),
    ],
)
def test_canonicalize(url: str, canonical: str) -> None:
    assert canonicalize(url) == canonical


def source_for(pattern: str, host: str = "a.gov.cn"):
    import re

    from orgwork.crawler.crawl import SourceConfig

    return SourceConfig("t", [f"https://{host}/zzgz/index.html"], re.compile(pattern))


def test_trs_pager_and_sitemap_links() -> None:
    source = source_for(r"/zzgz/\d{6}/t\d+_\d+\.html")
    page = b'<html><body><script>createPageHTML(4, 0, "index", "html");</script></body></html>'
    links = extract_links(page, "https://a.gov.cn/zzgz/index.html", source)
    assert [u for u, _ in links.lists] == [
        f"https://a.gov.cn/zzgz/index_{i}.html" for i in (1, 2, 3)
    ]
    sitemap = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://a.gov.cn/zzgz/202401/t20240101_1.html</loc></url>"
        b"<url><loc>https://a.gov.cn/about.html</loc></url>"
        b"<url><loc>https://evil.example/zzgz/202401/t20240101_1.html</loc></url></urlset>"
    )
    links = extract_links(sitemap, "https://a.gov.cn/sitemap.xml", source)
    assert links.kind == "sitemap"
    assert [u for u, _ in links.articles] == ["https://a.gov.cn/zzgz/202401/t20240101_1.html"]
    index = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://a.gov.cn/sitemap-2.xml</loc></sitemap></sitemapindex>"
    )
    assert extract_links(index, "https://a.gov.cn/sitemap.xml", source).lists == [
        ("https://a.gov.cn/sitemap-2.xml", "https://a.gov.cn/sitemap-2.xml")
    ]


def test_atom_feed_links() -> None:
    source = source_for(r"/zzgz/\d{6}/t\d+_\d+\.html")
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>x</title><entry><title>a</title>"
        b'<link href="https://a.gov.cn/zzgz/202401/t20240101_1.html?utm_source=rss"/></entry></feed>'
    )
    links = extract_links(atom, "https://a.gov.cn/atom.xml", source)
    assert links.kind == "feed"
    assert [c for c, _ in links.articles] == ["https://a.gov.cn/zzgz/202401/t20240101_1.html"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[source]]\nname = "a"\nstart_urls = ["http://x/"]\narticle_pattern = "("\n',
            "bad pattern",
        ),
        (
            '[[source]]\nname = "a"\nstart_urls = ["http://x/"]\narticle_pattern = "x"\nfoo = 1\n',
            "unknown key",
        ),
        ('[[source]]\nname = "a"\nstart_urls = ["ftp://x/"]\narticle_pattern = "x"\n', "not http"),
        ('[[source]]\nname = "a"\narticle_pattern = "x"\n', "'start_urls' is required"),
        ("[crawler]\ntimeout = 3\n", "unknown [crawler] key"),
        (
            '[[source]]\nname = "a"\nstart_urls = ["http://x/"]\narticle_pattern = "x"\n' * 2,
            "unique",
        ),
    ],
)
def test_sources_file_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        load_sources(path)


def test_example_sources_file_loads() -> None:
    config = load_sources(ROOT / "corpus" / "sources.example.toml")
    assert len(config.sources) >= 3
    assert config.schedule.cron
    assert all(s.start_urls and s.delay_seconds >= 1 for s in config.sources)


def test_crawl_command_and_refresh_flow(tmp_path: Path, prefect_harness, capsys) -> None:
    """`orgwork crawl` through the Prefect flow, then refresh_dataset writes the dataset."""
    from orgwork.flows.crawl import refresh_dataset
    from orgwork.flows.crawl_cli import main

    a, b = reports_site(slow_seconds=0).start(), syndication_site().start()
    try:
        sources = write_sources(tmp_path / "s.toml", a, b)
        corpus = tmp_path / "corpus"
        assert main(["crawl", "--sources", str(sources), "--corpus", str(corpus)]) == 0
        printed = capsys.readouterr().out
        assert "jinjiang-zzb: fetched 12," in printed and "repost-site: fetched 2," in printed
        # The two sources ran side by side: whichever stored the report first is the primary,
        # and the other is recorded against it.
        every = list_crawled(corpus / "crawl.sqlite", include_duplicates=True)
        pair = [p for p in every if p.url.endswith(("t20240101_1.html", "t20240110_1.html"))]
        assert len(pair) == 2 and sum(p.duplicate_of is None for p in pair) == 1
        (dup,) = [p for p in pair if p.duplicate_of]
        (primary,) = [p for p in pair if not p.duplicate_of]
        assert dup.duplicate_of == primary.canonical_url
        result = refresh_dataset(str(sources), str(corpus), str(tmp_path / "out"))
        assert result["crawl"]["not_modified"] == 2 and result["crawl"]["stored"] == 0
        assert result["extract"]["documents"] == 6, "primaries only: the repost is left out"
        # On worker processes, as `orgwork run`: one per core.
        assert result["extract"]["workers"] == (os.cpu_count() or 1)
        import csv

        with (tmp_path / "out" / "articles.csv").open(encoding="utf-8-sig") as fh:
            rows = [r for r in csv.DictReader(fh) if r["part"] == "1"]
        assert len(rows) == 6
        assert all(
            r["source"] == r["url"] and r["url"].startswith("http://127.0.0.1") for r in rows
        )
        assert primary.url in {r["url"] for r in rows} and dup.url not in {r["url"] for r in rows}
    finally:
        a.stop()
        b.stop()
    assert main(["crawl", "--sources", str(tmp_path / "missing.toml")]) == 2


# -- bounds: deadline, decoded-byte caps, Retry-After, source names --------------------------


def write_bounded_source(path: Path, site: Site, start: str = "/list.html", **crawler) -> Path:
    """One source "b" on ``site``: articles /a/tN_1.html, fast settings unless overridden."""
    settings = {
        "timeout_seconds": 1.0,
        "deadline_seconds": 1.0,
        "retries": 0,
        "backoff_seconds": 0.05,
        **crawler,
    }
    lines = ["[crawler]"] + [f"{k} = {v!r}" for k, v in settings.items()]
    lines += [
        "[[source]]",
        'name = "b"',
        f'start_urls = ["{site.base}{start}"]',
        'article_pattern = "/a/t\\\\d+_1\\\\.html"',
        "delay_seconds = 0",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def article_site(n: int = 2) -> Site:
    site = Site()
    links = "".join(f'<a href="/a/t{i}_1.html">{i}</a>' for i in range(n))
    site.routes["/list.html"] = ok(f"<html><body>{links}</body></html>".encode())
    for i in range(n):
        site.routes[f"/a/t{i}_1.html"] = ok(html(f"报告{i}", distinct_text(i)))
    return site


def frontier(corpus: Path) -> dict[str, str]:
    with CrawlStore(corpus / "crawl.sqlite", corpus) as store:
        rows = store.conn.execute("SELECT url, status FROM frontier").fetchall()
    return {urlsplit(u).path: s for u, s in rows}


ROBOTS_HEAD = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
ROBOTS_RULES = b"User-agent: *\nDisallow: /private/\n"


@pytest.mark.parametrize(
    "drip",
    [
        Drip(ROBOTS_HEAD, ROBOTS_RULES + b"#" * 400, 0.02),  # the body a byte at a time
        Drip(b"", ROBOTS_HEAD + ROBOTS_RULES + b"#" * 400, 0.02),  # the headers too
    ],
    ids=["body", "headers"],
)
def test_slow_drip_robots_cut_at_the_deadline(tmp_path: Path, drip: Drip) -> None:
    """robots.txt trickling for ~9 s is cut at the 1 s deadline (per-read timeouts never fire),
    and the host is left for the next run: nothing fetched, nothing skipped for good."""
    site = article_site()
    site.routes["/robots.txt"] = lambda headers: drip
    site.start()
    try:
        sources = write_bounded_source(tmp_path / "s.toml", site)
        corpus = tmp_path / "corpus"
        started = time.monotonic()
        (report,) = crawl_all(sources, corpus)
        took = time.monotonic() - started
        full = len(drip.tail) * drip.every
        assert took < full / 2, f"{took:.1f} s: not cut off (the drip takes {full:.0f} s)"
        (robots,) = [e for e in report.events if e["url"].endswith("/robots.txt")]
        assert robots["event"] == "robots_unreachable" and "deadline" in robots["detail"]
        assert site.hits("/list.html") == [], "RFC 9309: no robots.txt, no crawling"
        assert frontier(corpus) == {"/list.html": "deferred"}
        assert report.stats["pending"] == 1 and report.stats.get("skipped", 0) == 0
        # The next run, robots.txt answering, crawls the host.
        site.routes["/robots.txt"] = ok(ROBOTS_RULES, "text/plain")
        (again,) = crawl_all(sources, corpus)
        assert again.stats["stored"] == 2 and again.stats["pending"] == 0
    finally:
        site.stop()


def test_slow_drip_article_cut_at_the_deadline(tmp_path: Path) -> None:
    site = article_site(1)
    # Headers and body a byte at a time: a per-read timeout never fires, a check between
    # body chunks never runs.
    head = b"HTTP/1.0 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nX-Pad: "
    page = head + b"x" * 300 + b"\r\n\r\n" + html("慢", distinct_text(0))
    site.routes["/a/t0_1.html"] = lambda headers: Drip(b"", page, 0.02)
    site.start()
    try:
        sources = write_bounded_source(tmp_path / "s.toml", site, deadline_seconds=0.5)
        started = time.monotonic()
        (report,) = crawl_all(sources, tmp_path / "corpus")
        assert time.monotonic() - started < 5, "the headers alone drip for 7 s"
        (event,) = [e for e in report.events if e["event"] == "timeout"]
        assert event["url"].endswith("/a/t0_1.html") and "deadline of 0.5 s" in event["detail"]
        assert report.stats["failed"] == 1
    finally:
        site.stop()


BOMB_SIZE = 100_000_000  # decoded; ~100 KB gzip, 150 bytes br
MEMORY_BOUND = 8_000_000  # the caps are 500 KiB (robots.txt) and 100 kB (lists): room for both


def peak_memory(call):
    import tracemalloc

    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_robots_bomb_is_read_to_its_cap_only(tmp_path: Path, encoding: str) -> None:
    """100 MB of robots.txt (compressed to a few kB) is read to 500 KiB and no further; the
    rules before the cut apply (Google and RFC 9309 §2.5 ignore the rest)."""
    from orgwork.crawler.crawl import Fetcher, load_sources

    site = article_site()
    body = bomb(encoding, ROBOTS_RULES, BOMB_SIZE)
    headers = {"Content-Type": "text/plain", "Content-Encoding": encoding}
    site.routes["/robots.txt"] = lambda h: (200, headers, body)
    site.start()
    try:
        config = load_sources(write_bounded_source(tmp_path / "s.toml", site))
        with Fetcher(config.settings, config.sources[0]) as fetcher:
            allowed, peak = peak_memory(lambda: fetcher.robots_allows(f"{site.base}/a/t0_1.html"))
            assert allowed and not fetcher.robots_allows(f"{site.base}/private/x.html")
        assert peak < MEMORY_BOUND, f"peak {peak / 1e6:.0f} MB"
        ((_, event, detail),) = fetcher.robots_events
        assert event == "robots_truncated" and str(500 * 1024) in detail
    finally:
        site.stop()


@pytest.mark.parametrize(
    ("path", "ctype", "encoding"),
    [
        ("/rss.xml", "application/rss+xml", "gzip"),
        ("/rss.xml", "application/rss+xml", "br"),
        ("/sitemap.xml", "application/xml", "deflate"),
        ("/sitemap.xml.gz", "application/x-gzip", ""),  # a gzip file, not an encoding
    ],
)
def test_feed_and_sitemap_bombs_stop_at_the_cap(
    tmp_path: Path, path: str, ctype: str, encoding: str
) -> None:
    from orgwork.crawler.crawl import Fetcher, load_sources

    site = Site()
    head = b'<?xml version="1.0"?><urlset><url><loc>x</loc></url><!-- '
    body = bomb(encoding or "gzip", head, BOMB_SIZE)
    headers = {"Content-Type": ctype, **({"Content-Encoding": encoding} if encoding else {})}
    site.routes[path] = lambda h: (200, headers, body)
    site.start()
    try:
        settings = write_bounded_source(tmp_path / "s.toml", site, path, max_bytes=100_000)
        config = load_sources(settings)
        with Fetcher(config.settings, config.sources[0]) as fetcher:
            got, peak = peak_memory(lambda: fetcher.fetch(site.base + path, listing=True))
        assert peak < MEMORY_BOUND, f"peak {peak / 1e6:.0f} MB"
        assert got.outcome == "too_large" and got.body == b""
        assert "more than 100000 bytes decoded" in got.detail
    finally:
        site.stop()


def test_gzip_sitemap_is_read_and_a_bomb_reported(tmp_path: Path) -> None:
    site = article_site(2).start()
    urls = "".join(f"<url><loc>{site.base}/a/t{i}_1.html</loc></url>" for i in range(2))
    sitemap = f'<?xml version="1.0"?><urlset>{urls}</urlset>'.encode()
    site.routes["/sitemap.xml.gz"] = ok(gzip_bytes(sitemap), "application/x-gzip")
    site.routes["/bomb.xml.gz"] = ok(
        bomb("gzip", b"<?xml?><urlset>", BOMB_SIZE), "application/gzip"
    )
    try:
        path = write_bounded_source(tmp_path / "s.toml", site, "/sitemap.xml.gz", max_bytes=100_000)
        text = path.read_text().replace('.gz"]', f'.gz", "{site.base}/bomb.xml.gz"]')
        path.write_text(text)
        (report,) = crawl_all(path, tmp_path / "corpus")
        assert report.stats["lists"] == 1 and report.stats["stored"] == 2
        assert events(report, "too_large") == [f"{urlsplit(site.base).netloc}/bomb.xml.gz"]
    finally:
        site.stop()


def limited_once(status: int, retry_after: str) -> Callable:
    """First answer: ``status`` with Retry-After; then the article."""
    calls = {"n": 0}

    def reply(headers):
        calls["n"] += 1
        if calls["n"] == 1:
            return status, {"Retry-After": retry_after, "Content-Type": "text/plain"}, b"slow down"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, html("报告", distinct_text(7))

    return reply


@pytest.mark.parametrize(
    ("status", "form"), [(429, "seconds"), (429, "date"), (503, "seconds"), (503, "date")]
)
def test_retry_after_is_honoured(tmp_path: Path, status: int, form: str) -> None:
    site = article_site(1)
    after = "1" if form == "seconds" else email.utils.formatdate(time.time() + 2, usegmt=True)
    site.routes["/a/t0_1.html"] = limited_once(status, after)
    site.start()
    try:
        sources = write_bounded_source(tmp_path / "s.toml", site, retries=2)
        (report,) = crawl_all(sources, tmp_path / "corpus")
        assert report.stats["stored"] == 1
        first, second = site.hit_times("/a/t0_1.html")
        # An HTTP date is whole seconds: the wait it asks for is up to a second shorter
        # than the 2 s it was made from, and the first request comes later under load.
        wait = 0.95 if form == "seconds" else 0.0
        assert second - first >= wait, "asked again before Retry-After had passed"
        if form == "date":
            due = email.utils.parsedate_to_datetime(after).timestamp()
            waited_until = time.time() - (time.monotonic() - second)
            assert waited_until >= due - 0.05, "asked again before the Retry-After date"
    finally:
        site.stop()


@pytest.mark.parametrize("form", ["seconds", "date"])
def test_long_retry_after_leaves_the_host_for_the_next_run(tmp_path: Path, form: str) -> None:
    site = article_site(2)
    after = "3600" if form == "seconds" else email.utils.formatdate(time.time() + 3600, usegmt=True)
    limited = {"on": True}

    def article(i: int):
        def reply(headers):
            if limited["on"]:
                return 429, {"Retry-After": after}, b""
            return 200, {"Content-Type": "text/html"}, html(f"报告{i}", distinct_text(i))

        return reply

    for i in range(2):
        site.routes[f"/a/t{i}_1.html"] = article(i)
    site.start()
    try:
        sources = write_bounded_source(tmp_path / "s.toml", site, retries=3)
        corpus = tmp_path / "corpus"
        started = time.monotonic()
        (report,) = crawl_all(sources, corpus)
        assert time.monotonic() - started < 10, "waited for an hour's Retry-After"
        # One request learns the wait; the host's other page is not asked for at all.
        assert len(site.hits("/a/t0_1.html")) + len(site.hits("/a/t1_1.html")) == 1
        assert frontier(corpus) == {
            "/list.html": "done",
            "/a/t0_1.html": "deferred",
            "/a/t1_1.html": "deferred",
        }
        assert report.stats["pending"] == 2 and report.stats.get("skipped", 0) == 0
        assert {e["event"] for e in report.events} == {"rate_limited"}
        limited["on"] = False
        (again,) = crawl_all(sources, corpus)
        assert again.stats["stored"] == 2 and again.stats["pending"] == 0
    finally:
        site.stop()


def test_rate_limited_to_the_end_is_retried_bounded_then_deferred(tmp_path: Path) -> None:
    site = article_site(1)
    site.routes["/a/t0_1.html"] = lambda h: (429, {"Retry-After": "0"}, b"")
    site.start()
    try:
        sources = write_bounded_source(tmp_path / "s.toml", site, retries=2)
        (report,) = crawl_all(sources, tmp_path / "corpus")
        assert len(site.hits("/a/t0_1.html")) == 3, "retries = 2"
        assert frontier(tmp_path / "corpus")["/a/t0_1.html"] == "deferred"
        assert report.stats["deferred"] == 1 and report.stats.get("skipped", 0) == 0
    finally:
        site.stop()


def test_retry_after_forms() -> None:
    from orgwork.crawler.crawl import retry_after_seconds

    assert retry_after_seconds("120") == 120
    in_a_minute = retry_after_seconds(email.utils.formatdate(time.time() + 60, usegmt=True))
    assert in_a_minute is not None and 58 <= in_a_minute <= 60
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0, "a past date: now"
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


BAD_NAMES = ["..", ".", ".hidden", "a/b", "../up", "a\\b", "a\x00b", "/abs", "", "x" * 65, "a b"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_source_names_that_would_leave_the_folder_are_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "s.toml"
    toml_name = name.replace("\\", "\\\\").replace("\x00", "\\u0000")
    path.write_text(
        f'[[source]]\nname = "{toml_name}"\nstart_urls = ["http://x/"]\narticle_pattern = "x"\n',
        encoding="utf-8",
    )
    rule = r"source name .* must" if name else "'name' is required"
    with pytest.raises(ValueError, match=rule) as caught:
        load_sources(path)
    assert repr(name) in str(caught.value) or not name
    assert "[[source]] #1" in str(caught.value)


def test_store_refuses_paths_outside_crawled(tmp_path: Path) -> None:
    import re

    from orgwork.crawler.crawl import SourceConfig

    sha = "ab" * 32
    corpus = tmp_path / "corpus"
    with CrawlStore(tmp_path / "c.sqlite", corpus) as store:
        assert store.page_path("晋江-zzb_1", sha, ".html") == f"crawled/晋江-zzb_1/ab/{sha}.html"
        for name in BAD_NAMES:
            with pytest.raises(ValueError, match="source name"):
                store.page_path(name, sha, ".html")
        for relative in ["crawled/../x/ab.html", "../crawled/x/a.html", "/tmp/x/a.html", "x/a/b"]:
            with pytest.raises(ValueError, match="refusing"):
                store.write_bytes(relative, b"x")
    written = [p for p in tmp_path.rglob("*") if p.is_file() and not p.name.startswith("c.sqlite")]
    assert written == [] and not Path("/tmp/x/a.html").exists()
    with pytest.raises(ValueError, match=r"must not start with '\.'"):
        SourceConfig("..", ["http://x/"], re.compile("x"))


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("timeout_seconds = 0", "timeout_seconds = 0 is outside"),
        ("deadline_seconds = 100000", "deadline_seconds = 100000 is outside"),
        ('max_bytes = "5MB"', "max_bytes must be an integer"),
        ("robots_max_bytes = 1000", "robots_max_bytes = 1000 is outside"),
        ("retries = true", "retries must be an integer"),
        ("retry_after_max_seconds = -1", "retry_after_max_seconds = -1 is outside"),
        ('user_agent = ""', "user_agent must be a non-empty string"),
    ],
)
def test_crawler_settings_are_checked(tmp_path: Path, setting: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(f"[crawler]\n{setting}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        load_sources(path)
