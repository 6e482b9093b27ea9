"""Test websites for the crawler, served on 127.0.0.1 by http.server in a thread."""

from __future__ import annotations

import functools
import gzip
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import opencc


@dataclass
class Drip:
    """A raw HTTP response: ``head`` sent at once, then ``tail`` one byte every ``every`` s."""

    head: bytes
    tail: bytes
    every: float


Reply = tuple[int, dict[str, str], bytes] | Drip


@dataclass
class Site:
    """Routes: path (without query) → function(request headers) → (status, headers, body)."""

    routes: dict[str, Callable[[dict[str, str]], Reply]] = field(default_factory=dict)
    log: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # method, path, hdrs
    times: list[tuple[str, float]] = field(default_factory=list)  # path, time.monotonic()
    hangups: list[str] = field(default_factory=list)  # paths whose reply the client cut short
    server: ThreadingHTTPServer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hit_times(self, path: str) -> list[float]:
        with self.lock:
            return [t for p, t in self.times if urlsplit(p).path == path]

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def hits(self, path: str) -> list[dict[str, str]]:
        """Headers of every GET whose path (query ignored) is ``path``."""
        with self.lock:
            return [h for m, p, h in self.log if m == "GET" and urlsplit(p).path == path]

    def start(self) -> Site:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection: simple and explicit

            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                with site.lock:
                    site.log.append(("GET", self.path, headers))
                    site.times.append((self.path, time.monotonic()))
                route = site.routes.get(urlsplit(self.path).path)
                reply = route(headers) if route else (404, {}, b"not found")
                if isinstance(reply, Drip):
                    self.drip(reply)
                    return
                status, extra, body = reply
                try:
                    self.send_response(status)
                    for k, v in extra.items():
                        self.send_header(k, v)
                    if "Content-Length" not in extra and extra.get("X-No-Length") != "1":
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler hung up (size cap, timeout): that is the point

            def drip(self, reply: Drip) -> None:
                try:
                    self.wfile.write(reply.head)
                    self.wfile.flush()
                    for i in range(len(reply.tail)):
                        time.sleep(reply.every)
                        self.wfile.write(reply.tail[i : i + 1])
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    with site.lock:
                        site.hangups.append(urlsplit(self.path).path)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def html(title: str, body: str, charset: str = "utf-8", nav: str = "") -> bytes:
    footer = "版权所有 主办单位"
    if charset == "big5":  # a Big5 page is Traditional, furniture too
        nav, footer = nav or "首頁 | 組工動態 | 黨建工作", "版權所有 主辦單位"
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p)
    page = (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head>'
        f"<body><div class='nav'>{nav or '首页 | 组工动态 | 党建工作'}</div>"
        f"<article><h1>{title}</h1><div class='content'>{paragraphs}</div></article>"
        f"<div class='footer'>{footer}</div></body></html>"
    )
    return page.encode(charset)


def ok(body: bytes, ctype: str = "text/html; charset=utf-8", **extra: str) -> Callable:
    return lambda headers: (200, {"Content-Type": ctype, **extra}, body)


# Reports of the kind the project reads; each differs in wording, so none is a near-duplicate.
REPORTS = {
    "t1": (
        "晋江市举办年轻干部能力提升培训班",
        "近日，晋江市委组织部举办年轻干部能力提升培训班，全市各镇街和市直单位的80名优秀年轻干部参加培训。\n"
        "培训班为期5天，采取专题辅导、现场教学、分组研讨等方式，邀请党校教授围绕基层治理、乡村振兴、"
        "招商引资等主题进行授课。\n"
        "学员们纷纷表示，将把所学所悟转化为推动工作的实际成效，在基层一线经受历练、增长才干。",
    ),
    "t2": (
        "石狮市选派驻村第一书记",
        "石狮市委组织部近日从市直机关选派35名政治素质好、工作能力强的干部到村担任第一书记。\n"
        "这些第一书记将围绕建强村党组织、推进强村富民、提升治理水平等任务开展工作，任期两年。\n"
        "市委组织部将建立定期调度、跟踪管理机制，确保驻村干部真正沉下去、干出实效。",
    ),
    "t4": (
        "南安市开展党员冬训工作",
        "南安市今冬明春党员冬训工作全面启动，全市共组织党员集中培训1200余场次，覆盖党员3万余名。\n"
        "冬训采取线上线下相结合方式，开设理论学习、政策宣讲、技能培训等课程，推动党员学用结合。\n"
        "各级党组织书记带头讲党课，组织党员开展志愿服务，把冬训成果转化为服务群众的具体行动。",
    ),
    "t5": (
        "安溪县实施基层党建项目化管理",
        "安溪县委组织部全面推行基层党建项目化管理，今年共确定党建重点项目46个，实行清单化推进。\n"
        "县里对项目实施情况开展季度督查和年终评估，评估结果纳入基层党组织书记抓党建述职评议考核。\n"
        "项目化管理推动基层党建工作由虚变实，一批村级集体经济薄弱村实现年收入超过十万元。",
    ),
    "t9": (
        "德化縣舉辦村黨組織書記培訓班",
        "德化縣委組織部舉辦村黨組織書記示範培訓班，全縣一百二十名村黨組織書記參加為期三天的培訓。\n"
        "培訓內容包括基層黨建實務、陶瓷產業發展、農村集體經濟壯大等，並組織學員赴先進村實地觀摩。\n"
        "學員們表示，要把培訓成果運用到實際工作中，帶領村民走好共同富裕之路。",
    ),
}

T2S = opencc.OpenCC("s2t")


def reports_site(*, slow_seconds: float = 2.5, big_bytes: int = 300_000) -> Site:
    """Site A: a column of two pages with every case the crawler must handle."""
    site = Site()
    flaky = {"count": 0}

    def listing(headers: dict[str, str]) -> Reply:
        if headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        links = [
            ("202401/t20240101_1.html", "年轻干部培训"),
            ("202401/t20240101_1.html?utm_source=wechat&from=timeline", "转发"),
            ("202401/t20240102_2.html", "驻村第一书记"),
            ("private/t20240103_3.html", "内部"),
            ("202401/t20240104_4.html", "党员冬训"),
            ("202401/t20240105_5.html", "项目化管理"),
            ("202401/t20240106_6.html", "大文件"),
            ("202401/t20240107_7.html", "附件"),
            ("202401/t20240108_8.html", "慢页面"),
            ("202401/t20240109_0.html", "已删除"),
            ("#top", "返回顶部"),
            ("javascript:void(0)", "打印"),
            ("http://other.example.cn/zzgz/202401/t20240101_1.html", "外站"),
            ("index_1.html", "下一页"),
        ]
        items = "".join(f'<li><a href="{h}">{t}</a></li>' for h, t in links)
        body = f"<html><head><title>组工动态</title></head><body><ul>{items}</ul></body></html>"
        return 200, {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'}, body.encode()

    def second_page(headers: dict[str, str]) -> Reply:
        body = (
            '<html><body><ul><li><a href="../zzgz/202312/t20231201_9.html">德化</a></li></ul>'
            '<a href="index.html">上一页</a></body></html>'
        )
        return 200, {"Content-Type": "text/html"}, body.encode()

    def flaky_page(headers: dict[str, str]) -> Reply:
        flaky["count"] += 1
        if flaky["count"] <= 2:
            return 500, {"Content-Type": "text/plain"}, b"server busy"
        return 200, {"Content-Type": "text/html; charset=utf-8"}, html(*REPORTS["t4"])

    def slow(headers: dict[str, str]) -> Reply:
        time.sleep(slow_seconds)
        return 200, {"Content-Type": "text/html"}, html("慢", "慢")

    site.routes.update(
        {
            "/robots.txt": ok(b"User-agent: *\nDisallow: /zzgz/private/\n", "text/plain"),
            "/zzgz/index.html": listing,
            "/zzgz/index_1.html": second_page,
            "/zzgz/202401/t20240101_1.html": ok(html(*REPORTS["t1"])),
            "/zzgz/202401/t20240102_2.html": ok(
                html(*REPORTS["t2"], charset="gbk"), "text/html; charset=gbk"
            ),
            "/zzgz/private/t20240103_3.html": ok(html("内部", "不应抓取")),
            "/zzgz/202401/t20240104_4.html": flaky_page,
            "/zzgz/202401/t20240105_5.html": lambda h: (
                301,
                {"Location": "/zzgz/202402/t20240205_5.html"},
                b"",
            ),
            "/zzgz/202402/t20240205_5.html": ok(html(*REPORTS["t5"])),
            "/zzgz/202401/t20240106_6.html": ok(
                html("大", "组织工作" * (big_bytes // 12)), "text/html", **{"X-No-Length": "1"}
            ),
            "/zzgz/202401/t20240107_7.html": ok(
                b"%PDF-1.4\n" + bytes(range(256)) * 8, "application/pdf"
            ),
            "/zzgz/202401/t20240108_8.html": slow,
            "/zzgz/202312/t20231201_9.html": ok(
                html(*REPORTS["t9"], charset="big5"), "text/html; charset=big5"
            ),
        }
    )
    return site


RSS_MODIFIED = "Mon, 15 Jan 2024 08:00:00 GMT"


def syndication_site() -> Site:
    """Site B: an RSS feed whose one item republishes report t1 in Traditional script."""
    site = Site()
    title, body = REPORTS["t1"]

    def feed(headers: dict[str, str]) -> Reply:
        if headers.get("if-modified-since") == RSS_MODIFIED:
            return 304, {}, b""
        xml = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>黨建</title>'
            f"<item><title>{T2S.convert(title)}</title>"
            f"<link>{site.base}/news/202401/t20240110_1.html</link></item>"
            "</channel></rss>"
        )
        return (
            200,
            {"Content-Type": "application/rss+xml", "Last-Modified": RSS_MODIFIED},
            xml.encode(),
        )

    # Re-punctuated into one paragraph, with other page furniture: the way reposts look.
    repost = html(
        T2S.convert(title),
        T2S.convert(body.replace("\n", "")) + "\n（來源：晉江組工）",
        nav="首頁 | 新聞中心 | 基層黨建 | 專題",
    )
    site.routes.update(
        {
            "/rss.xml": feed,
            "/news/202401/t20240110_1.html": ok(repost),
        }
    )
    return site


@functools.cache
def bomb(encoding: str, head: bytes, size: int) -> bytes:
    """``head`` then ``size`` bytes of '#', compressed (gzip | deflate | br) chunk by chunk."""
    chunk = b"#" * 1_000_000
    if encoding == "br":
        import brotli

        c = brotli.Compressor(quality=5)
        parts = [c.process(head)] + [c.process(chunk) for _ in range(size // len(chunk))]
        return b"".join(parts) + c.finish()
    z = zlib.compressobj(6, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
    parts = [z.compress(head)] + [z.compress(chunk) for _ in range(size // len(chunk))]
    return b"".join(parts) + z.flush()


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)
