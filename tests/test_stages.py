"""Unit tests of each stage on inline strings: ingest, normalize, segment, metadata, dataset."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgwork.batch import ErrorRow, list_sources
from orgwork.extractors.metadata import extract_metadata
from orgwork.pipeline.dataset import read_table, write_dataset
from orgwork.pipeline.document import Document, DocumentError, Measure, Program
from orgwork.pipeline.ingest import decode_bytes, ingest_bytes
from orgwork.pipeline.normalize import normalize_document, strip_pinyin, to_halfwidth
from orgwork.pipeline.script import detect_script
from orgwork.pipeline.segment import segment_document, split_sentences
from tests.conftest import SAMPLES, make_doc

REPORT = "晋江举办专题培训\n2022年以来，晋江先后举办“强素质”专题培训21期，轮训干部800多人次。\n"


# ---- ingest
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_decode_simplified(encoding: str) -> None:
    text, _ = decode_bytes(REPORT.encode(encoding))
    assert text.lstrip("\ufeff") == REPORT


def test_decode_big5() -> None:
    traditional = "泉港區舉辦選調生培訓班，共有28名選調生參加，學習國情調研方法。"
    text, encoding = decode_bytes(traditional.encode("big5"))
    assert text == traditional and "big5" in encoding


def test_empty_and_binary_are_errors() -> None:
    with pytest.raises(DocumentError, match="empty"):
        ingest_bytes(b"  \n", "empty.txt")
    with pytest.raises(DocumentError, match="PNG"):
        ingest_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.html")


def test_ingest_records_hash_and_encoding() -> None:
    raw = REPORT.encode("gbk")
    doc = ingest_bytes(raw, "a.txt")
    assert doc.encoding == "gb18030" and len(doc.sha256) == 64 and doc.raw_text == REPORT


def test_list_sources_keeps_relative_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.html").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "c.pdf").write_text("x")
    assert [s.relative for s in list_sources([tmp_path])] == ["a.txt", "sub/b.html"]


def test_list_sources_links_hidden_files_and_linked_folders(tmp_path: Path) -> None:
    """Hidden files are left out (files in hidden folders are not), a linked folder is not
    entered, a link to a file inside the folder counts once, under the first path, and a
    link to a file outside it counts as a file of its own."""
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "o.txt").write_text("x")
    root = tmp_path / "corpus"
    (root / "b").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b" / "real.txt").write_text("x")
    (root / ".hidden" / "h.txt").write_text("x")
    (root / ".dot.txt").write_text("x")
    os.symlink(root / "b" / "real.txt", root / "a_link.txt")
    os.symlink(outside, root / "linked")
    os.symlink(outside / "o.txt", root / "o_link.txt")
    os.symlink(root / "gone.txt", root / "broken.txt")
    found = [s.relative for s in list_sources([root])]
    assert found == [".hidden/h.txt", "a_link.txt", "o_link.txt"]


# ---- normalize
def test_pinyin_annotations_removed_but_latin_kept() -> None:
    text, n = strip_pinyin("泉港區(qū)的引進(jìn)生，個(ge)人，公共管理硕士(MPA)班")
    assert text == "泉港區的引進生，個人，公共管理硕士(MPA)班" and n == 3


def test_fullwidth_digits_become_ascii() -> None:
    assert to_halfwidth("培训１８名干部，占比７０％。") == "培训18名干部，占比70%。"


@pytest.mark.parametrize(
    ("text", "script"),
    [("泉港區舉辦選調生培訓", "traditional"), ("泉港区举办选调生培训", "simplified")],
)
def test_detect_script(text: str, script: str) -> None:
    assert detect_script(text) == script


def test_normalize_joins_broken_lines_and_converts() -> None:
    raw = (
        "泉港區選調生成長成才\n\n"
        "泉港區分類別建立專業化後備幹部信息庫並實行動\n\n態管理，確保後備庫保持200人以上。\n\n"
        "第二段落。\n"
    )
    [doc] = normalize_document(Document(source="t.txt", sha256="1" * 64, raw_text=raw))
    assert doc.text.splitlines() == [
        "泉港区选调生成长成才",
        "泉港区分类别建立专业化后备干部信息库并实行动态管理，确保后备库保持200人以上。",
        "第二段落。",
    ]
    assert doc.script == "traditional"


def test_normalize_splits_other_articles_and_ads() -> None:
    raw = (
        "晋江推进干部队伍专业化建设\n记者 杨江参\n"
        "晋江举办市管干部专题研讨班，1800多名干部参加轮训。干部培训、选派干部挂职锻炼、后备干部管理。\n"
        "组织部门加强年轻干部培养，选调生到村任职。\n"
        "博物馆收到捐赠藏品\n海都讯(记者 吴日锦) 9月26日，博物馆举行捐赠仪式，共300多件。\n"
        "遗失声明\n某理发店不慎遗失公章一枚，声明作废。\n"
    )
    parts = normalize_document(Document(source="t.txt", sha256="2" * 64, raw_text=raw))
    assert [p.text.splitlines()[0] for p in parts] == [
        "晋江推进干部队伍专业化建设",
        "博物馆收到捐赠藏品",
        "遗失声明",
    ]
    assert [p.relevant for p in parts] == [True, False, False]
    assert [p.doc_id for p in parts] == ["2" * 16, "2" * 16 + "-2", "2" * 16 + "-3"]


def test_furniture_lines_dropped() -> None:
    raw = "您的位置首页  嘉兴\n嘉兴市创新干部培养\n  • 0 条评论\nT小字 T大字\n正文第一段。\n如若转载,请注明出处\n"
    [doc] = normalize_document(Document(source="t.txt", sha256="3" * 64, raw_text=raw))
    assert doc.text == "嘉兴市创新干部培养\n正文第一段。\n"


# ---- segment
def test_segment_uses_domain_words() -> None:
    doc = segment_document(Document(source="t", text="选派引进生选调生到一线挂职，轮训后备干部。"))
    words = doc.token_texts()
    for w in ("引进生", "选调生", "挂职", "轮训", "后备干部"):
        assert w in words
    assert all(doc.text[s:e] == w for (s, e), w in zip(doc.tokens, words, strict=True))


def test_scopes_segment_as_in_their_text() -> None:
    """The pipeline segments only the stretches after each counted figure: their tokens,
    and every record of the samples, are those of segmenting the whole text."""
    from dataclasses import asdict

    from orgwork.extractors import add_details, find_facts, token_spans_needed

    n_measures = 0
    for path in sorted(SAMPLES.glob("*.txt")):
        for part in normalize_document(ingest_bytes(path.read_bytes(), path.name)):
            find_facts(part)
            spans = token_spans_needed(part)
            whole = segment_document(Document(source="t", text=part.text)).tokens
            partial = segment_document(part, spans=spans).tokens
            assert partial == [t for t in whole if any(s <= t[0] < e for s, e in spans)]
            lazy = [asdict(m) for m in add_details(part).measures]
            part.tokens = whole
            assert lazy == [asdict(m) for m in add_details(part).measures]
            n_measures += len(lazy)
    assert n_measures > 50


def test_subject_scope_reaches_past_glue_to_the_phrase_end() -> None:
    from orgwork.extractors import find_facts, token_spans_needed

    body = "晋江选派50名政治过硬、经验丰富的领导干部到村任职，培训率达95%。"
    doc = find_facts(make_doc(body, title="晋江选派干部到村任职"))
    text, doc.tokens = doc.text, []
    spans = token_spans_needed(doc)
    # Each figure's clause: from the clause break before it (none here: the sentence start)
    # to the clause end after it, past the glue 、 of its phrase.
    assert [text[s:e] for s, e in spans] == [
        "晋江选派50名政治过硬、经验丰富的领导干部到村任职",
        "培训率达95%",
    ]
    segment_document(doc, spans=spans)
    assert add_details_subjects(doc) == ["领导干部"]


def add_details_subjects(doc: Document) -> list[str]:
    from orgwork.extractors import add_details

    return [m.subject for m in add_details(doc).measures if m.kind == "headcount"]


def test_sentences() -> None:
    text = "第一句。第二句！\n第三句；第四句"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "第一句。",
        "第二句！",
        "第三句；",
        "第四句",
    ]


# ---- metadata
def test_metadata_from_header_lines() -> None:
    doc = make_doc(
        "海都记者 杨江参\n通讯员 李诗怡\n林晓燕\n9月25日，晋江举办研讨班。",
        title="晋江着力推进干部队伍专业化建设",
    )
    extract_metadata(doc)
    assert (doc.title, doc.author, doc.outlet, doc.publish_date) == (
        "晋江着力推进干部队伍专业化建设",
        "杨江参;李诗怡;林晓燕",
        "海都",
        "",
    )


def test_metadata_dateline_and_date() -> None:
    doc = make_doc(
        "中新网福建新闻1月10日电(刘坤文)泉港区举办活动。\n2024-01-10 09:30", title="泉港区举办活动"
    )
    extract_metadata(doc)
    assert (doc.author, doc.outlet, doc.publish_date) == ("刘坤文", "中新网福建新闻", "2024-01-10")


# ---- dataset
def _read(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf"), f"{path.name} lacks the UTF-8 BOM"
    return list(read_table(path))  # cells as before the formula quote (README)


def test_dataset_offsets_bom_and_errors(tmp_path: Path) -> None:
    doc = make_doc("举办“强素质”专题培训21期。", title="晋江干部培训")
    m, p = doc.text.index("21期"), doc.text.index("“强素质”")
    doc.measures = [Measure("count", 21, "期", "exact", m, m + 3, "21期", measure_id="m1")]
    doc.programs = [
        Program(
            "强素质", "强素质专题培训", "专题培训", p, p + 9, doc.text[p : p + 9], program_id="p1"
        )
    ]
    counts = write_dataset([doc], [ErrorRow("bad.html", "ingest", "empty file")], tmp_path)
    assert counts["measures"] == 1 and counts["failures"] == 1
    text = (tmp_path / "texts" / f"{doc.doc_id}.txt").read_text(encoding="utf-8")
    for row in _read(tmp_path / "measures.csv") + _read(tmp_path / "programs.csv"):
        assert text[int(row["start"]) : int(row["end"])] == row["text"]
    assert _read(tmp_path / "errors.csv") == [
        {"source": "bad.html", "stage": "ingest", "error": "empty file"}
    ]
    assert not list(tmp_path.glob(".*.tmp")), "temporary files left behind"


def test_failed_write_leaves_no_table(tmp_path: Path) -> None:
    class Broken(Document):
        @property
        def doc_id(self) -> str:
            raise OSError("disk full")

    with pytest.raises(OSError):
        write_dataset([Broken(source="x")], [], tmp_path)
    assert not (tmp_path / "measures.csv").exists()
    assert not list(tmp_path.glob(".*.tmp"))


# ---- context of measures
def test_measure_context() -> None:
    from orgwork.stages import extract_document

    doc = make_doc(
        "今年以来，长汀县共选派45名优秀年轻干部到乡镇挂职锻炼；累计培训村党组织书记1200余人次。"
        "下一步将每年选派不少于20名干部赴浙江等地跟班学习3个月。全县共有十二条措施。"
        "举办培训班5期、培训学员420余人次。下一步，力争到2025年底，实现每个乡镇配备1名年轻干部。",
        title="长汀县锻造年轻干部",
    )
    extract_document(doc)
    got = [(m.text, m.subject, m.period, m.modality, m.category) for m in doc.measures]
    assert got == [
        ("45名", "优秀年轻干部", "今年以来", "reported", "secondment"),
        ("1200余人次", "村党组织书记", "", "reported", "training"),  # past a ； no period
        ("不少于20名", "干部", "", "planned", "secondment"),
        ("3个月", "跟班学习", "", "planned", "secondment"),
        ("十二条", "措施", "", "reported", "training"),  # no practice near: the paragraph's
        ("5期", "培训班", "", "reported", "training"),
        ("420余人次", "学员", "", "reported", "training"),
        ("1名", "年轻干部", "到2025年底", "planned", "promotion"),
    ]


@pytest.mark.parametrize(
    ("lines", "page_title", "expected"),
    [
        (
            ["网易号", "京沪高速封闭施工", "正文。"],
            "京沪高速封闭施工_网易订阅",
            ["京沪高速封闭施工", "正文。"],
        ),
        (
            ["正文第一段。"],
            "晋江举办干部培训班 - 晋江新闻网",
            ["晋江举办干部培训班", "正文第一段。"],
        ),
        (["正文第一段。"], "山西省人民政府网站", ["正文第一段。"]),
    ],
)
def test_page_title_becomes_first_line(lines, page_title, expected) -> None:
    from orgwork.pipeline.normalize import place_title

    assert place_title(lines, page_title) == expected


def test_menu_read_as_byline_is_dropped() -> None:
    from orgwork.extractors.metadata import plausible_authors

    assert plausible_authors("化书画房产汽车旅游健康视频知识产") == ""
    assert plausible_authors("杨江参 李诗怡;阿依古丽·买买提") == "杨江参;李诗怡;阿依古丽·买买提"


def test_token_spans_are_those_of_spacy_docs() -> None:
    """cut_spans takes the words from spaCy's tokenizer without building its Doc: the
    spans must be the Doc's tokens, spaces, line breaks and Latin text included."""
    from orgwork.pipeline.segment import cut_spans, load_segmenter

    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]
    texts.append("晋江市  举办 AI 培训班\u300021期，\n轮训 800 多人次 (2024年)。 ")
    nlp = load_segmenter()
    for text in texts:
        expected = [(t.idx, t.idx + len(t.text)) for t in nlp.make_doc(text) if not t.is_space]
        assert cut_spans(text) == expected
        assert cut_spans(text, 7) == [(a + 7, b + 7) for a, b in expected]


def test_byline_rules_are_checked_on_load(tmp_path: Path) -> None:
    """data/pagemeta.toml: a bad pattern, or a pattern that reads nothing, fails on load."""
    from orgwork.pipeline.pagemeta import RULES, load_rules

    text = RULES.read_text(encoding="utf-8")
    assert load_rules(RULES).source.search("来源：海峡都市报 编辑：张三").group(1) == "海峡都市报"
    for old, new in [
        ("source_pattern = '(?:来源", "source_pattern = '((?:来源"),  # unbalanced
        ("([^\\s|｜:：]{2,20})'", "[^\\s|｜:：]{2,20}'"),  # no group: reads no outlet
        ('post_labels = ["发表"', 'post_labels = [""'),  # an empty word matches everywhere
    ]:
        assert old in text
        bad = tmp_path / f"{len(old)}.toml"
        bad.write_text(text.replace(old, new, 1), encoding="utf-8")
        with pytest.raises(ValueError, match=str(bad)):
            load_rules(bad)
