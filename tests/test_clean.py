"""Unit tests of the clean stage on inline strings: decoding, pinyin, mojibake, furniture,
line joins and article splitting."""

from __future__ import annotations

import codecs

import opencc
import pytest

from orgwork.pipeline.document import Document, DocumentError
from orgwork.pipeline.ingest import decode_bytes, detect_binary, ingest_bytes
from orgwork.pipeline.mojibake import repair_mojibake
from orgwork.pipeline.normalize import (
    clean_lines,
    load_rules,
    normalize_document,
    split_articles,
    strip_pinyin,
)

REPORT = (
    "江海区围绕中心任务建强班子队伍，贯通选育管用各环节，推进“三大行动”，努力打造一支勇于担当的"
    "忠诚干净干部队伍。实施优秀年轻干部递进培养计划，组织首批16名年轻干部为期4个月跟岗学习，"
    "分期安排年轻干部到信访维稳和征地拆迁一线磨炼。\n"
    "今年二季度，在江海区各级党群阵地，活动不断、热闹非凡。在滨江商务区党群服务中心，"
    "企业沙龙、青年读书会、书法活动、亲子手工课等累计举办活动30多场次。\n"
)


@pytest.fixture(scope="module")
def s2tw() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw")


# --- decoding -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("gb2312", "gb18030"),
        ("gb18030", "gb18030"),
        ("utf-16", "utf-16"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
    ],
)
def test_decode_simplified(encoding: str, expected: str) -> None:
    text, used = decode_bytes(REPORT.encode(encoding))
    assert text == REPORT
    assert used == expected


@pytest.mark.parametrize("encoding", ["big5", "big5hkscs"])
def test_decode_big5_traditional(encoding: str, s2tw: opencc.OpenCC) -> None:
    traditional = s2tw.convert(REPORT)
    text, used = decode_bytes(traditional.encode(encoding))
    assert text == traditional
    assert used == "big5hkscs"


def test_declared_charset_does_not_override_the_bytes() -> None:
    page = f'<html><head><meta charset="gb2312"></head><body><p>{REPORT}</p></body></html>'
    text, used = decode_bytes(page.encode("utf-8"), declared="gb2312")
    assert used == "utf-8" and REPORT in text
    text, used = decode_bytes(REPORT.encode("gbk"), declared="big5")
    assert used == "gb18030" and text == REPORT


def test_gbk_with_a_few_invalid_bytes_still_decodes() -> None:
    raw = bytearray(REPORT.encode("gbk"))
    raw[40:42] = b"\xff\xff"  # one character lost to two invalid bytes
    text, used = decode_bytes(bytes(raw))
    assert used == "gb18030"
    assert "\ufffd" in text
    assert "组织首批16名年轻干部为期4个月跟岗学习" in text


def test_binary_and_empty_are_refused() -> None:
    assert detect_binary(b"\x89PNG\r\n\x1a\n....") == "PNG image"
    assert detect_binary(b"abc\x00\x01\x02\x03" * 3 + b"\x00") is not None
    assert detect_binary(REPORT.encode("utf-16-le")) is None
    with pytest.raises(DocumentError):
        ingest_bytes(b"  \n ", "empty.txt")
    with pytest.raises(DocumentError):
        ingest_bytes(b"%PDF-1.4 ...", "x.txt")


def test_crlf_big5_text_file(s2tw: opencc.OpenCC) -> None:
    raw = s2tw.convert(REPORT).replace("\n", "\r\n").encode("big5")
    doc = ingest_bytes(raw, "big5.txt")
    assert "\r" not in doc.raw_text
    (part,) = normalize_document(doc)
    assert part.script == "traditional"
    assert "组织首批16名年轻干部为期4个月跟岗学习" in part.text


# --- pinyin and mojibake ------------------------------------------------------------------


def test_strip_pinyin() -> None:
    text, n = strip_pinyin("泉港區(qū)舉(jǔ)辦研學(xué)活動，MBA(MPA)與(秦越/摄)")
    assert text == "泉港區舉辦研學活動，MBA(MPA)與(秦越/摄)"
    assert n == 3


def _garble(segment: str) -> str:
    """``segment`` as a reader one byte out of step sees it: its first byte is lost."""
    raw = segment.encode("gbk")
    return (raw[1:] + b"(").decode("gbk", errors="replace")[:-1]


def test_repair_of_shifted_gbk() -> None:
    segment = "“本次研学活动让我深入感受到泉港的文化底蕴"
    garbled = _garble(segment)
    assert garbled != segment
    text = f"他说：“这次学习让我收获很大！”“我会继续努力。”{garbled}(完)"
    repaired, notes = repair_mojibake(text)
    assert len(notes) == 1 and "repaired mojibake at" in notes[0]
    # 动 lost its lead byte to the decoder's replacement mark: it stays U+FFFD.
    assert "“本次研学活\ufffd让我深入感受到泉港的文化" in repaired
    assert garbled not in repaired


def test_unrecoverable_characters_become_replacement_marks() -> None:
    segment = "“本次研学活动让我深入感受到泉港的文化底蕴"
    garbled = _garble(segment)
    # Only one quotation mark elsewhere: the lost lead byte cannot be told, so U+FFFD.
    repaired, _ = repair_mojibake(f"研学活动总结{garbled}(完)")
    assert repaired.startswith("研学活动总结\ufffd本次研学")


def test_mojibake_spans_are_marked_unusable() -> None:
    garbled = _garble("“本次研学活动让我深入感受到泉港的文化底蕴")
    doc = Document(source="x", raw_text=f"组织部举办培训班！”“学员说。{garbled}\n")
    (part,) = normalize_document(doc)
    assert any(n.startswith("repaired mojibake") for n in part.notes)
    for start, end in part.unusable:
        assert set(part.text[start:end]) == {"\ufffd"}


def test_short_runs_are_repaired_only_in_a_text_proven_garbled() -> None:
    proven = _garble("“本次研学活动让我深入感受到泉港的文化底蕴")
    short = _garble("“每个")  # two characters: too few for the first pass's evidence
    tail = f"打通成长路径！{short}村干部开展河道疏通。选调生获评一等奖！郭伟锋说。"
    repaired, notes = repair_mojibake(
        f"他说：“收获很大！”“会继续努力。”都说好！{proven}(完)。{tail}"
    )
    # After the character the proven run followed (！): the quote and 每 are read back, the
    # lost byte of 个 is marked; the name after another ！ is left alone.
    assert "打通成长路径！“每\ufffd" in repaired and "一等奖！郭伟锋说" in repaired
    assert len(notes) == 2
    # The same short run in a text with no proven garbage stays as it is.
    assert repair_mojibake(tail) == (tail, [])


@pytest.mark.parametrize(
    "text",
    [
        REPORT,
        "新华社北京1月10日电（记者 张三、李四）郭伟锋、郑立蓬等3名选调生获评一等奖。",
        "泉港區加強引進生選調生隊伍培養，梁咏琪、李昇基、笨笨思忆出席。",
        "篮球世界杯有奖竟猜第一波开奖公告，欢迎参加。",
    ],
)
def test_normal_text_is_left_alone(text: str) -> None:
    assert repair_mojibake(text) == (text, [])


# --- furniture, line joins, article split -------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "您的位置：首页 > 新闻中心 > 组工动态",
        "首页 > 组工动态",
        "阅读 3456 次",
        "浏览次数：1234",
        "来源：江门日报",
        "【字号：大 中 小】【打印】【关闭】",
        "如若转载，请注明出处",
        "相关新闻",
        "上一篇：我区召开组织工作会议",
        "责任编辑：王五",
        "石狮召开青年干部座谈会(林晓/摄)",
        "版权所有：中共某某县委组织部 ICP备12345678号",
        "联系电话：0750-3501234",
        "扫一扫在手机打开当前页",
    ],
)
def test_furniture_lines_are_dropped(line: str) -> None:
    assert clean_lines(f"标题\n{line}\n{REPORT}", load_rules())[1:] == REPORT.strip().split("\n")


def test_line_broken_inside_a_sentence_is_joined() -> None:
    text = (
        "标题\n"
        "按领域、按岗位建立健全年轻干部储备库9类164人，并实行动\n\n"
        "态调整，保证年轻干部储备库长期保持150人以上。\n"
    )
    lines = clean_lines(text, load_rules())
    assert lines[1].endswith("并实行动态调整，保证年轻干部储备库长期保持150人以上。")


def test_caption_inside_a_broken_sentence_is_dropped() -> None:
    text = (
        "标题\n虽然这些年王桂明没能找到自己的族谱，但王桂明却在这\n\n向热心人士颁发捐赠证书\n\n"
        "个过程中帮很多人找到了族谱。"
    )
    lines = clean_lines(text, load_rules())
    assert (
        lines[1] == "虽然这些年王桂明没能找到自己的族谱，但王桂明却在这个过程中帮很多人找到了族谱。"
    )


def test_indented_paragraph_and_headline_are_not_joined() -> None:
    text = (
        "组织部长在全市干部队伍建设会议上的讲话\n同志们：\n"
        "  这是第一段没有句号结尾的很长很长的一行文字内容\n  第二段。"
    )
    lines = clean_lines(text, load_rules())
    assert lines[0] == "组织部长在全市干部队伍建设会议上的讲话"
    assert len(lines) == 4


def test_lines_set_in_by_a_page_margin_are_joined_as_broken_lines() -> None:
    """A page taken from a PDF sets every line in by one margin: that opens no paragraph, so a
    sentence broken at the line's end goes on; a first-line indent deeper than it does."""
    margin = " " * 12
    text = (
        f"某县志 第十编\n{margin}1996 年，全县从后备干部人选中提拔使用科级干部 41 名\n"
        f"{margin}干部，其中女干部 9 名。\n{margin}    党员教育\n"
    )
    lines = clean_lines(text, load_rules())
    assert lines[1:] == [
        "1996 年，全县从后备干部人选中提拔使用科级干部 41 名干部，其中女干部 9 名。",
        "党员教育",
    ]


def test_page_with_second_article_and_classifieds_is_split() -> None:
    raw = (
        "晋江着力推进干部队伍专业化建设\n"
        + REPORT
        + REPORT
        + "\n闽台缘博物馆收到三百多件套捐赠藏品\n"
        "海都讯(记者 吴日锦) 9月26日，中国闽台缘博物馆举行捐赠仪式，热心人士捐赠300多件套藏品。\n"
        "分类信息\n广告热线：0595-22567990\n遗失声明\n某理发店不慎遗失公章一枚，声明作废。\n"
    )
    parts = normalize_document(Document(source="p", raw_text=raw))
    assert len(parts) == 3
    assert parts[0].relevant and "16名年轻干部" in parts[0].text
    assert "博物馆" not in parts[0].text and "0595" not in parts[0].text
    assert parts[1].text.startswith("闽台缘博物馆") and not parts[1].relevant
    assert "遗失声明" in parts[2].text and not parts[2].relevant


def test_split_keeps_one_tail_part() -> None:
    lines = ["标题", "正文一。", "正文二。", "分类信息", "广告热线：123", "遗失声明", "作废。"]
    assert split_articles(lines, load_rules())[1:] == [lines[3:]]


def test_headline_above_source_lines_opens_its_article() -> None:
    """Source and date lines between a headline and its dateline go with the headline; a
    trail of links (地方网 > 陕西 > …) is furniture."""
    lines = clean_lines(
        "汉中新闻 城固新闻 洋县新闻 西乡新闻 勉县新闻\n地方网 > 陕西 > 汉中市 > 勉县新闻 > 正文\n"
        "勉县下派57名机关干部驻村帮扶\n来源：汉中日报 2017-04-12 08:15\n"
        "本报讯（通讯员 李向东）近日，勉县为57个村选派了驻村工作队员。\n",
        load_rules(),
    )
    assert not any("正文" in line for line in lines)
    # the same trail with doubled arrows (新闻网>>江西频道>>市县)
    assert clean_lines("赣州网>>江西频道>>县区\n正文。\n", load_rules()) == ["正文。"]
    parts = split_articles(lines, load_rules())
    assert parts[-1][0] == "勉县下派57名机关干部驻村帮扶"
    assert parts[-1][1].startswith("来源") and parts[-1][2].startswith("本报讯")


def test_utf16_bom_constant() -> None:
    # detect_binary must not mistake UTF-16 (NUL bytes) for binary data.
    assert detect_binary(codecs.BOM_UTF16_LE + REPORT.encode("utf-16-le")) is None


def test_pinyin_with_a_space_inside_the_brackets_is_stripped() -> None:
    assert strip_pinyin("公務(wù)員(yuán )共15名，會(huì )議") == ("公務員共15名，會議", 3)
    assert strip_pinyin("活動(huó dòng)開展以來") == ("活動開展以來", 1)
    assert strip_pinyin("培養(MPA)項目") == ("培養(MPA)項目", 0)


@pytest.mark.parametrize(
    ("lines", "title", "first"),
    [
        # furniture above the headline: the headline leads, the lines above follow it
        (
            ["立即下载", "望城区建立青年干部全周期培养机制", "正文第一句。"],
            "望城区建立青年干部全周期培养机制",
            "望城区建立青年干部全周期培养机制",
        ),
        (
            ["2020年10月29日 星期", "嘉鱼迎来2020年选调生", "本报讯 通讯员报道：正文。"],
            "嘉鱼迎来2020年选调生",
            "嘉鱼迎来2020年选调生",
        ),
        (["■吴组轩", "1月29日上午，18名年轻组工干部向3名导师行拜师礼。"], "", "■吴组轩"),
        # a site's menu, its list of papers and its date bar are no headline
        (
            ["主页 要闻 财经 军事 汽车 论坛", "铜鼓县选派30名干部驻村帮扶", "正文第一句。"],
            "铜鼓县选派30名干部驻村帮扶",
            "铜鼓县选派30名干部驻村帮扶",
        ),
        (
            ["《黔东日报》 《黔东晚报》 《黔东农民报》", "镇远县开展党员轮训", "正文。"],
            "镇远县开展党员轮训",
            "镇远县开展党员轮训",
        ),
        (
            ["门户 博客 视频 房产频道2011年6月3日15:20", "正文第一句，培训村干部80人。"],
            "",
            "门户 博客 视频 房产频道2011年6月3日15:20",
        ),
        # no headline line: the first line is the body and is mined
        (
            ["今年以来，凤冈县整合县内资源，开展干部教育培训工作，共培训乡镇干部696人。"],
            "",
            "今年以来，凤冈县整合县内资源，开展干部教育培训工作，共培训乡镇干部696人。",
        ),
        (
            ["咸宁网讯 咸宁日报全媒体记者 姜明助报道：正文。", "第二段。"],
            "",
            "咸宁网讯 咸宁日报全媒体记者 姜明助报道：正文。",
        ),
    ],
)
def test_headline_line_is_found_or_absent(lines: list[str], title: str, first: str) -> None:
    from orgwork.pipeline.normalize import lead_with_headline

    out, found = lead_with_headline(lines, load_rules())
    assert (found, out[0], sorted(out)) == (title, first, sorted(lines))


def test_simplified_text_is_not_converted_again() -> None:
    """t2s is not safe on Simplified text: 沈 (a surname) and 乾县 (a county) stay."""
    from orgwork.pipeline.document import Document
    from orgwork.pipeline.normalize import normalize_document

    body = (
        "乾县县委组织部举办青年干部培训班。记者沈思怡报道，全县共培训干部120名，"
        "选派优秀年轻干部到乡村振兴一线锻炼，组织开展专题学习讨论，帮助干部提升履职能力。"
    )
    doc = Document(source="x.txt", sha256="0" * 64, raw_text="标题一行\n" + body)
    (out,) = normalize_document(doc)
    assert "乾县" in out.text and "沈思怡" in out.text
    trad = Document(source="y.txt", sha256="1" * 64, raw_text="縣委組織部舉辦幹部培訓班。")
    assert "县委组织部举办干部培训班" in normalize_document(trad)[0].text


def test_a_report_on_one_practice_is_relevant() -> None:
    """Words of the trade count double: a mentoring report naming 组织部 and 导师 passes."""
    from orgwork.pipeline.normalize import is_relevant

    rules = load_rules()
    assert is_relevant("县委组织部推出导师帮带制度，导师每月谈心，导师考核，导师。" * 2, rules)
    assert not is_relevant("博物馆举办展览，干部群众参观，干部讲解。" * 2, rules)


def test_cadres_sent_to_aid_a_region_are_relevant() -> None:
    """Cadres sent to aid Tibet or Xinjiang, or to fight poverty in villages, are sent by the
    organization departments: the genre, though few of its usual words are named."""
    from orgwork.pipeline.normalize import is_relevant

    rules = load_rules()
    aid = "二十年来，某省对口支援西藏某县，援藏项目二百个，先后派出援藏干部九批，援藏成效明显。"
    poverty = (
        "区里派出8名干部组成扶贫工作队，进驻6个贫困村开展扶贫开发，帮扶村民增收，干部吃住在村。"
    )
    for text in (aid, poverty):
        assert is_relevant(text, rules), text
    assert not is_relevant("企业捐资扶贫，村民增收，扶贫产品热销。", rules)


def test_graduates_sent_to_the_grass_roots_by_the_national_schemes_are_relevant() -> None:
    """A call for graduates to serve in villages under 三支一扶 or 西部计划 is a report of the
    genre (the cadre ranks' intake), though it names few of its usual words."""
    from orgwork.pipeline.normalize import is_relevant

    rules = load_rules()
    call = (
        "今年全市“三支一扶”计划招募高校毕业生80名，服务期限2年，到乡镇从事支农、扶贫工作。"
        "“三支一扶”人员服务期满考核合格的，可按规定择优录用。"
    )
    assert is_relevant(call, rules)
    assert not is_relevant("今年全市招募志愿者80名，到乡镇从事支农、扶贫工作。", rules)


def test_personnel_work_beside_the_partys_is_relevant() -> None:
    """Public institutions' recruitment, a civil-service examination, a party school's year
    and a speech to young cadres are reports of the genre; a company's job fair is not."""
    from orgwork.pipeline.normalize import is_relevant

    rules = load_rules()
    recruitment = (
        "全县面向社会公开招聘事业单位工作人员120人，涉及卫生局等12个单位。报考人员须符合"
        "招聘岗位条件，资格审查合格后参加笔试，拟聘用人员名单将在县政府网站公示。"
    )
    exam = (
        "地方政府公务人员特种考试于十二月举行，报考人数九百余人。录取人员经训练期满成绩及格，"
        "分发各机关任用；公务人员考试分三、四、五等。县府人事室提醒报考公务人员的考生携带"
        "准考证及身份证件应试。"
    )
    party_school = (
        "年底，全市有市、县两级党校7个，专职教师164人。全年举办主体班42期，培训干部3200人次，"
        "其中县级干部进修班3期、中青年干部培训班2期，市委党校学员满意率98%。"
    )
    speech = "今天召开全县青年干部座谈会，与69名青年干部座谈交流，听取22位青年干部代表发言。"
    for text in (recruitment, exam, party_school, speech):
        assert is_relevant(text, rules), text
    job_fair = "本周日举办大型招聘会，百余家企业提供岗位，现场设有简历指导和面试体验区。"
    assert not is_relevant(job_fair, rules)


def test_the_trades_practices_by_their_names_are_relevant() -> None:
    """A training of leading cadres, a public selection and a province's talent introduction
    are reports of the genre though they use few of its words; an exhortation to leading
    cadres with no practice named is not."""
    from orgwork.pipeline.normalize import is_relevant

    rules = load_rules()
    training = "第五期大讲堂在县剧院开讲，专家作专题授课，全县110余名乡科级领导干部参加培训。"
    selection = "该省面向全国公开选拔24名厅级领导干部，报名1200人，经笔试、面试，公开选拔出人选。"
    talent = "全年计划引进600名硕博士等高层次人才，组团赴西南华中招才，与742名人才签订意向。"
    for text in (training, selection, talent):
        assert is_relevant(text * 2, rules), text
    assert not is_relevant("会议强调，领导干部要带头学习，带头遵守纪律。" * 2, rules)
