"""Properties over arbitrary input (hypothesis): bytes, Unicode text and file names through
ingest → normalize → extract never raise anything but the per-document DocumentError, every
span indexes the stored text, and every `source` is valid UTF-8. Bounded (≤ 100 examples a
test, a few seconds in all) so the suite stays fast."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from orgwork.batch import list_sources, process_batch
from orgwork.pipeline.dataset import read_table, render_rows, write_dataset
from orgwork.pipeline.document import MAX_TITLE_CHARS, Document, DocumentError
from orgwork.pipeline.ingest import ingest_bytes
from orgwork.stages import process_document

BOUNDED = settings(
    max_examples=80,
    deadline=None,  # the first example loads the dictionaries
    suppress_health_check=[HealthCheck.too_slow],
)

# Pieces of real reports and of what breaks them: figures, units, qualifiers, place names,
# programme quotes and type words, full-width forms, inline pinyin, markup, NULs, U+FFFD.
PIECES = [
    "干部", "年轻干部", "培训", "轮训", "举办", "选派", "挂职", "实施", "开展", "建立", "名", "期",
    "人次", "批次", "个月", "天", "%", "％", "多", "余", "以上", "不少于", "近", "约", "左右",
    "百分之", "三分之一", "两", "十", "百", "万", "1.5万", "3至6个月", "2021年以来", "今年以来",
    "每年", "第一批", "35岁以下", "“", "”", "「", "」", "《", "》", "工程", "计划", "行动", "机制",
    "导师帮带制", "夜校", "福建省", "泉州市", "晋江市", "新罗区", "区(qū)", "個(ge)", "區",
    "幹部", "培訓", "，", "。", "！", "？", "；", "：", "、", "（", "）", "——", "…", "\n", "\n\n",
    " ", "\u3000", "\t", "１２３", "ＡＢＣ", "<p>", "</p>", "<br>", "<div class='content'>",
    "</div>", "<script>", "</script>", "<title>", "</title>", "<html>", "<body>", "&nbsp;",
    "&#20013;", "<!--", "-->", "\x00", "\ufffd", "\r\n", "\r", "记者 ", "通讯员", "来源：",
    "=", "+", "-", "@", "'", "ā", "ǎ", "ü",
]  # fmt: skip
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
ANY_CHAR = st.characters(exclude_categories=("Cs",))  # any code point but surrogates
NUMBER = st.integers(0, 10**9).map(str)
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), HAN, ANY_CHAR, NUMBER), max_size=120).map(
    "".join
)
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be"]


def encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="ignore")


def report(text: str) -> str:
    """``text`` set into a report's headline, figures and programmes, so that the page is an
    organization-work report and every extractor runs on and around it."""
    return (
        f"晋江市委组织部举办年轻干部培训{text}\n今年以来，晋江举办专题培训班{text}6期，轮训干部"
        f"600余人次。{text}实施“{text}”工程，开展“青蓝结对”导师帮带制，选派{text}20名"
        f"年轻干部到乡镇挂职锻炼。{text}\n"
    )


def page(text: str) -> str:
    head = text.split("\n", 1)[0]
    return (
        f"<html><head><title>{head}_网站</title></head><body><h1>{head}</h1>"
        f"<div class='info'>来源：{head} 2021-05-06</div><div class='content'><p>"
        + text.replace("\n", "</p><p>")
        + "</p></div></body></html>"
    )


RAW = st.one_of(
    st.binary(max_size=3000),
    st.builds(encoded, TEXT, st.sampled_from(ENCODINGS)),
    st.builds(encoded, TEXT.map(report), st.sampled_from(ENCODINGS)),
    st.builds(encoded, TEXT.map(report).map(page), st.sampled_from(ENCODINGS)),
)


def check_spans(doc: Document) -> None:
    """Every span record indexes doc.text and carries its text."""
    text = doc.text
    for record in [*doc.measures, *doc.programs]:
        assert 0 <= record.start < record.end <= len(text)
        assert text[record.start : record.end] == record.text
        assert record.sentence == "" or record.sentence in text
    if doc.region is not None and doc.region.start >= 0:
        assert 0 <= doc.region.start < doc.region.end <= len(text)
    for start, end in [*doc.sentences, *doc.unusable]:
        assert 0 <= start <= end <= len(text)
    assert len(doc.title) <= MAX_TITLE_CHARS
    assert "\x00" not in text


def through_pipeline(raw: bytes, is_html: bool | None) -> list[Document]:
    """ingest → normalize → extract; [] for a document that fails with DocumentError."""
    try:
        doc = ingest_bytes(raw, "prop.txt", is_html=is_html)
        documents = process_document(doc)
    except DocumentError:
        return []
    for doc in documents:
        check_spans(doc)
        render_rows(doc)  # the rows the dataset takes: no cell may fail to format
    return documents


@BOUNDED
@given(RAW, st.sampled_from([None, True, False]))
@example(b"\x00" * 3 + "晋江举办培训班6期".encode() * 40, None)
@example("晋江举办“强素质”专题培训21期，轮训干部800多人次。".encode("utf-16"), False)
def test_any_bytes_go_through_or_fail_alone(raw: bytes, is_html: bool | None) -> None:
    through_pipeline(raw, is_html)


@BOUNDED
@given(TEXT, st.sampled_from(ENCODINGS))
def test_any_text_keeps_its_spans(text: str, encoding: str) -> None:
    for doc in through_pipeline(encoded(report(text), encoding), False):
        assert doc.text.endswith("\n")


NAME = st.binary(min_size=1, max_size=200).filter(lambda b: b"/" not in b and b"\x00" not in b)


@settings(max_examples=60, deadline=None)
@given(st.lists(NAME, min_size=1, max_size=4, unique=True))
def test_any_file_name_gives_a_utf8_source(tmp_path_factory, names: list[bytes]) -> None:
    folder = tmp_path_factory.mktemp("names")
    out = tmp_path_factory.mktemp("out")
    written = set()
    for name in names:
        full = name[:250] + b".txt"
        if full in written or full.startswith(b"."):
            continue
        written.add(full)
        path = Path(os.fsdecode(os.fsencode(folder) + b"/" + full))
        path.write_bytes("晋江举办年轻干部培训班6期，轮训干部600余人次。".encode())
    sources = list_sources([folder])
    assert len(sources) == len(written)
    result = process_batch(sources)
    write_dataset(result.documents, result.errors, out)
    rows = list(read_table(out / "articles.csv")) + list(read_table(out / "errors.csv"))
    assert len(result.documents) + len(result.errors) == len(written), "every file counted"
    for name in ("articles", "measures", "errors"):
        (out / f"{name}.csv").read_bytes().decode("utf-8")  # strict: no surrogate got in
    for row in rows:
        row["source"].encode("utf-8")


@BOUNDED
@given(TEXT, TEXT, st.integers(-(10**6), 10**6), st.floats(-1e6, 1e6, allow_nan=False))
def test_any_cell_reads_back_as_written(tmp_path_factory, title, name, number, value) -> None:
    """Formula quote and all, a table read back with read_table gives every text cell as it
    was, and numbers are never quoted (a negative number stays a number)."""
    from orgwork.pipeline.dataset import csv_text, format_value

    out = tmp_path_factory.mktemp("cells")
    doc = Document(source=name or "x.txt", sha256="0" * 64, text=title + "\n", title=title)
    write_dataset([doc], [], out)
    (row,) = read_table(out / "articles.csv")
    assert (row["title"], row["source"]) == (title, name or "x.txt")
    line = csv_text([{"a": number, "b": value}], ["a", "b"])
    assert line == f"{number},{format_value(value)}\r\n" and not line.startswith("'")
    assert float(format_value(value)) == value, "a number reads back as the same number"
