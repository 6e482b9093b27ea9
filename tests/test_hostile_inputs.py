"""Hostile inputs: file names that are not UTF-8, stray NUL bytes, huge scripts, huge lines,
cells that a spreadsheet would run as formulas. Each goes through like any other input or
fails alone with a clear error; no output is lost or corrupted."""

from __future__ import annotations

import codecs
import csv
import os
import sqlite3
from pathlib import Path

import pytest

from orgwork.batch import list_sources, process_batch
from orgwork.pipeline.dataset import read_table, write_dataset
from orgwork.pipeline.document import DocumentError
from orgwork.pipeline.ingest import ingest_bytes, readable_name
from tests.conftest import SAMPLES

REPORT = "晋江举办专题培训\n2022年以来，晋江先后举办“强素质”专题培训21期，轮训干部800多人次。\n"
SAMPLE = sorted(SAMPLES.glob("*.txt"))[0].read_bytes()


def _named(folder: Path, name: bytes, data: bytes) -> Path:
    """A file whose name has exactly these bytes (as a GBK zip unpacked on Linux gives).
    Not UTF-8 (图片 in GBK happens to be valid UTF-8, ͼƬ, and is kept so)."""
    with pytest.raises(UnicodeDecodeError):
        name.decode("utf-8")
    path = Path(os.fsdecode(os.fsencode(folder) + b"/" + name))
    path.write_bytes(data)
    return path


def _rows(path: Path) -> list[dict[str, str]]:
    path.read_bytes().decode("utf-8")  # strict: a surrogate written as its bytes fails here
    return list(read_table(path))


# ---- file names that are not UTF-8
def test_readable_name_decodes_gbk_bytes_and_escapes_the_rest() -> None:
    gbk = os.fsdecode("组织工作.txt".encode("gbk"))
    assert "\udcd7" in gbk  # what Python makes of the name
    assert readable_name(gbk) == "组织工作.txt"
    assert readable_name("sub/" + gbk) == "sub/组织工作.txt"
    # Neither UTF-8 nor GB18030 (0xFF starts no GB18030 character): escaped, readable.
    assert readable_name(os.fsdecode(b"\xff\xfe.txt")) == "\\xff\\xfe.txt"
    assert readable_name("报告.txt") == "报告.txt"
    # A lone surrogate that no file system made still gives valid UTF-8.
    readable_name("a\ud800b").encode("utf-8")


def test_files_with_gbk_names_are_processed_and_written_readably(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    (corpus / "旧").mkdir(parents=True)
    real = _named(corpus, "组织工作报告.txt".encode("gbk"), SAMPLE)
    _named(corpus / "旧", "干部培训.txt".encode("gbk"), REPORT.encode("gbk"))
    _named(corpus, b"\xff\xfe.txt", REPORT.encode())
    _named(corpus, "空文件.txt".encode("gbk"), b"")

    sources = list_sources([corpus])
    assert sorted(s.relative for s in sources) == [
        "\\xff\\xfe.txt",
        "旧/干部培训.txt",
        "空文件.txt",
        "组织工作报告.txt",
    ]
    assert real in [s.path for s in sources], "the file is still read by its real path"
    result = process_batch(sources, {"cache_dir": str(out / ".cache")})
    write_dataset(result.documents, result.errors, out)

    articles = _rows(out / "articles.csv")
    assert {a["source"] for a in articles} == {
        "\\xff\\xfe.txt",
        "旧/干部培训.txt",
        "组织工作报告.txt",
    }
    assert [(e["source"], e["stage"]) for e in _rows(out / "errors.csv")] == [
        ("空文件.txt", "ingest")
    ]
    for table in ("measures", "programs"):
        assert {r["source"] for r in _rows(out / f"{table}.csv")} <= {a["source"] for a in articles}
    with sqlite3.connect(out / ".cache" / "documents.sqlite") as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 3

    # A second run takes the documents from the cache, under the same readable names.
    again = process_batch(list_sources([corpus]), {"cache_dir": str(out / ".cache")})
    assert again.cached == 3
    assert {d.source for d in again.documents} == {a["source"] for a in articles}

    from orgwork.report.render import build_report

    report = build_report(out)
    assert "组织工作报告.txt" in report.read_text(encoding="utf-8")


def test_run_command_on_gbk_names(tmp_path: Path, prefect_harness) -> None:
    """The whole `orgwork run`: it crashed with 'surrogates not allowed' and wrote no table."""
    import json

    from orgwork.flows.cli import main

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    _named(corpus, "组织工作报告.txt".encode("gbk"), SAMPLE)
    _named(corpus, "截图.html".encode("gbk"), b"\x89PNG\r\n\x1a\n" + bytes(200))
    status = main(["run", str(corpus), "--out", str(out), "--no-progress", "--workers", "1"])
    assert status == 1  # the PNG fails, alone
    assert {a["source"] for a in _rows(out / "articles.csv")} == {"组织工作报告.txt"}
    assert [e["source"] for e in _rows(out / "errors.csv")] == ["截图.html"]
    json.loads((out / "run.json").read_text(encoding="utf-8", errors="strict"))


def test_a_path_argument_that_is_not_utf8_is_refused_clearly(tmp_path: Path, capsys) -> None:
    """Prefect records a run's paths as JSON: the run died in its request with a traceback."""
    from orgwork.flows.cli import main

    folder = Path(os.fsdecode(os.fsencode(tmp_path) + "组织".encode("gbk")))
    folder.mkdir()
    assert main(["run", str(folder), "--out", str(tmp_path / "out"), "--no-progress"]) == 2
    assert main(["run", str(tmp_path), "--out", str(folder / "out"), "--no-progress"]) == 2
    assert "not a UTF-8 path" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() and not (folder / "out").exists()


# ---- stray NUL bytes
def test_stray_nul_bytes_are_dropped_and_noted() -> None:
    doc = ingest_bytes(SAMPLE[:30] + b"\x00" + SAMPLE[30:] + b"\x00\x00", "nul.txt")
    assert doc.raw_text == ingest_bytes(SAMPLE, "sample.txt").raw_text
    assert doc.notes == ["dropped 3 stray NULs"]
    # Inside a GBK character, the NUL is dropped before decoding: the character survives.
    gbk = (REPORT * 5).encode("gbk")
    assert gbk[7] >= 0x80  # the second byte of a character
    doc = ingest_bytes(gbk[:7] + b"\x00" + gbk[7:], "nul-gbk.txt")
    assert doc.raw_text == REPORT * 5 and doc.encoding == "gb18030"
    assert doc.sha256 != ingest_bytes(gbk, "gbk.txt").sha256, "the hash is of the bytes as read"


def test_utf16_keeps_its_nul_bytes_and_loses_a_nul_character() -> None:
    for raw in (REPORT.encode("utf-16-le"), codecs.BOM_UTF16_BE + REPORT.encode("utf-16-be")):
        doc = ingest_bytes(raw, "utf16.txt")
        assert doc.raw_text == REPORT and not doc.notes
    doc = ingest_bytes(codecs.BOM_UTF16_LE + ("\x00" + REPORT).encode("utf-16-le"), "u.txt")
    assert doc.raw_text == REPORT and doc.notes == ["dropped 1 stray NUL"]


def test_html_with_a_nul_byte_is_read() -> None:
    page = f"<html><body><div class='content'><p>{REPORT}</p></div></body></html>"
    doc = ingest_bytes(page.encode().replace(b"<p>", b"<p>\x00"), "p.html")
    assert "轮训干部800多人次" in doc.raw_text


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (REPORT.encode()[:40] + b"\x00" * 400, "binary file"),  # mostly NULs
        (b"\x00" * 10, "binary file"),
        (bytes(range(256)) * 40, "without them could not decode"),  # binary, few NULs
        (b"\x00" + b" " * 200, "nothing but NUL bytes and spaces"),
    ],
)
def test_binary_and_nul_only_files_stay_rejected(raw: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        ingest_bytes(raw, "bad.txt")


# ---- huge scripts and text nodes in HTML
def _page(before_article: str) -> bytes:
    paragraphs = "".join(f"<p>{line}</p>" for line in SAMPLE.decode().splitlines() if line)
    return (
        "<html><head><title>晋江干部培训</title></head><body>"
        f"{before_article}<div class='content'>{paragraphs}</div></body></html>"
    ).encode()


@pytest.mark.parametrize(
    "blob",
    [
        "<script>var a = '" + "x" * 11_000_000 + "';</script>",  # over libxml2's 10 MB node
        "<style>" + ".a{}" * 3_000_000 + "</style><!--" + "-" * 11_000_000 + "-->",
        '<img src="data:image/png;base64,' + "A" * 11_000_000 + '">',
        "<div style='display:none'>" + "字" * 4_000_000 + "</div>",  # 12 MB as UTF-8
    ],
    ids=["script", "style-and-comment", "data-uri", "hidden-text"],
)
def test_huge_blocks_do_not_hide_the_main_text(blob: str) -> None:
    doc = ingest_bytes(_page(blob), "big.html")
    expected = ingest_bytes(_page(""), "small.html").raw_text
    assert doc.raw_text == expected and "轮训" in expected


def test_deeply_nested_page_keeps_its_text() -> None:
    """Past 256 levels of nesting libxml2 dropped the whole page (table layouts of forums)."""
    paragraphs = "".join(f"<p>{line}</p>" for line in SAMPLE.decode().splitlines() if line)
    page = f"<html><body>{'<div>' * 300}{paragraphs}{'</div>' * 300}</body></html>"
    assert "轮训" in ingest_bytes(page.encode(), "deep.html").raw_text


def test_large_scripts_are_emptied_small_ones_kept() -> None:
    from orgwork.pipeline.webpage import LARGE_BLOCK, drop_large_blocks

    ld = '<script type="application/ld+json">{"datePublished": "2021-05-06"}</script>'
    big = "<SCRIPT src=x>" + "y" * (LARGE_BLOCK + 1) + "</script >"
    html = ld + big + "<p>正文</p><!-- a -->" + "<!--" + "z" * (LARGE_BLOCK + 1) + "-->"
    assert drop_large_blocks(html) == ld + "<SCRIPT src=x></script ><p>正文</p><!-- a --><!---->"
    unclosed = "<p>正文</p><script>" + "y" * LARGE_BLOCK * 2
    assert drop_large_blocks(unclosed) == unclosed


# ---- titles are bounded
def test_a_huge_first_line_gives_no_title_and_stays_in_the_text(tmp_path: Path) -> None:
    """A 5 MB line without punctuation was a 1.67 M-character title, and the report died on
    it (field larger than field limit)."""
    from orgwork.pipeline.document import MAX_TITLE_CHARS
    from orgwork.report.render import build_report

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    line = "组织部干部培训工作" * 185_000  # 1.67 M characters, 5 MB
    (corpus / "long.txt").write_text(line + "\n" + REPORT.split("\n", 1)[1], encoding="utf-8")
    (corpus / "short.txt").write_text(REPORT, encoding="utf-8")
    result = process_batch(list_sources([corpus]))
    assert not result.errors
    write_dataset(result.documents, result.errors, out)
    articles = {a["source"]: a for a in _rows(out / "articles.csv")}
    assert articles["long.txt"]["title"] == ""
    assert articles["short.txt"]["title"] == "晋江举办专题培训"
    text = (out / articles["long.txt"]["text_path"]).read_text(encoding="utf-8")
    assert text.startswith(line + "\n") and int(articles["long.txt"]["chars"]) == len(text)
    measures = [m for m in _rows(out / "measures.csv") if m["source"] == "long.txt"]
    assert measures and all(text[int(m["start"]) : int(m["end"])] == m["text"] for m in measures)
    build_report(out)
    assert MAX_TITLE_CHARS < 1000


def test_a_huge_line_with_figures_keeps_the_tables_small(tmp_path: Path) -> None:
    """Every figure carries its sentence: 400 figures in a 1 M-character line without
    punctuation wrote a 1.2 GB measures.csv (and a 1.8 GB report) from 3 MB of input."""
    from orgwork.pipeline.segment import MAX_SENTENCE_CHARS, split_sentences

    piece = "组织部干部培训工作乡镇村党建人才" * 40 + "举办培训班6期轮训干部600人次"
    line = piece * 100  # 67,000 characters, 100 figures of each kind, no punctuation
    doc_text = f"新罗区干部培训\n{line}\n"
    spans = split_sentences(doc_text)
    assert max(e - s for s, e in spans) == MAX_SENTENCE_CHARS
    assert "".join(doc_text[s:e] for s, e in spans) == doc_text.replace("\n", "")
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    (corpus / "line.txt").write_text(doc_text, encoding="utf-8")
    result = process_batch(list_sources([corpus]))
    write_dataset(result.documents, result.errors, out)
    measures = _rows(out / "measures.csv")
    assert len(measures) >= 200
    assert all(len(m["sentence"]) <= MAX_SENTENCE_CHARS for m in measures)
    assert (out / "measures.csv").stat().st_size < len(measures) * (3 * MAX_SENTENCE_CHARS + 1000)
    text = (out / "texts" / f"{measures[0]['doc_id']}.txt").read_text(encoding="utf-8")
    for m in measures:
        assert text[int(m["start"]) : int(m["end"])] == m["text"] and m["sentence"] in text


def test_a_huge_page_title_is_not_the_title() -> None:
    from orgwork.pipeline.webpage import extract_webpage

    body = "<div class='content'><p>" + REPORT.replace("\n", "</p><p>") + "</p></div>"
    huge = "干部" * 100_000
    page = extract_webpage(f"<html><head><title>{huge}</title></head><body>{body}</body></html>")
    assert page.title == "" and "轮训干部" in page.text
    page = extract_webpage(
        f"<html><head><title>{huge}</title></head><body><h1>晋江干部培训</h1>{body}</body></html>"
    )
    assert page.title == "晋江干部培训"


# ---- CSV/Excel formula injection
def test_format_value_quotes_formulas_never_numbers() -> None:
    from orgwork.pipeline.dataset import format_value, read_cell

    for text in ("=1+1", "+86", "-5", "@SUM(A1)", "\tx", "\rx", "'quoted"):
        assert format_value(text) == "'" + text and read_cell(format_value(text)) == text
    for text in ("培训", "", "2021-05-06", "1+1", "a=b"):
        assert format_value(text) == text == read_cell(text)
    assert [format_value(v) for v in (-5, -2.5, -3.0, 0, None, True)] == [
        "-5", "-2.5", "-3", "0", "", "true"
    ]  # fmt: skip


def test_formula_cells_are_neutralised_and_spans_still_hold(tmp_path: Path) -> None:
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    corpus.mkdir()
    title = '=HYPERLINK("http://evil","晋江举办年轻干部培训班")'  # a headline (6+ Han)
    body = (
        "@SUM(1+1)晋江举办年轻干部专题培训班6期，轮训干部600余人次。\n"
        "+选派年轻干部20名到乡镇挂职。-新录用公务员35名参加培训。=开展“青蓝结对”导师帮带制，结对80对。\n"
    )
    (corpus / "-evil.txt").write_text(f"{title}\n{REPORT}{body}", encoding="utf-8")
    result = process_batch(list_sources([corpus]))
    write_dataset(result.documents, result.errors, out)

    raw = {name: (out / f"{name}.csv").read_text(encoding="utf-8-sig") for name in ("articles", "measures", "programs")}  # fmt: skip
    for name, table in raw.items():
        for row in csv.reader(table.splitlines()[1:]):
            bad = [c for c in row if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
            assert not bad, f"{name}.csv: formula cells {bad}"
    assert "'=HYPERLINK(" in raw["articles"] and ",'-evil.txt," in raw["articles"]
    assert "'@SUM(1+1)" in raw["measures"] and "'+选派" in raw["measures"]

    (article,) = _rows(out / "articles.csv")
    assert article["title"] == title and article["source"] == "-evil.txt"
    text = (out / article["text_path"]).read_text(encoding="utf-8")
    measures, programs = _rows(out / "measures.csv"), _rows(out / "programs.csv")
    sentences = {m["sentence"][:1] for m in measures}
    assert {"@", "+", "-", "="} <= sentences, "the sentences start with every formula character"
    for row in measures + programs:
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == row["text"] and row["sentence"] in text
