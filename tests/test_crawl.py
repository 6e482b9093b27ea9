"""The crawler against test sites on 127.0.0.1: what is fetched, stored, skipped, reported."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.crawl import canonicalize, crawl_all, extract_links, load_sources
from pipeline.crawlstore import CrawlStore, list_crawled
from pipeline.ingest import ingest_bytes
from tests.conftest import ROOT
from tests.crawlsite import RSS_MODIFIED, Site, html, ok, reports_site, syndication_site

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
        code = (
            "import sys; from pipeline.crawl import crawl_all; crawl_all(sys.argv[1], sys.argv[2])"
        )
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

    from pipeline.crawl import SourceConfig

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
    from flows.crawl import refresh_dataset
    from flows.crawl_cli import main

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
