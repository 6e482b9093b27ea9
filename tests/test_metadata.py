"""Publish date, reporters and outlet of plain-text reports (extractors/metadata.py) and the
date forms of pipeline/pagemeta.py's dates_in: one test per rule, with what it must not take."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgwork.extractors.metadata import (
    DATA,
    byline_names,
    extract_metadata,
    header_date,
    load_rules,
)
from orgwork.pipeline.document import Document
from orgwork.pipeline.ingest import ingest_bytes
from orgwork.pipeline.pagemeta import dates_in
from orgwork.stages import process_document


def metadata_of(text: str, title: str = "") -> Document:
    return extract_metadata(Document(source="t.txt", text=text, title=title))


def run_text(text: str) -> Document:
    """The whole path of a plain-text file: ingest, normalize, extractors."""
    doc = ingest_bytes(text.encode("utf-8"), "t.txt", is_html=False)
    return process_document(doc)[0]


# ---- date forms (dates_in, shared with HTML pages)
@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2009年8月10日", ["2009-08-10"]),
        ("会议通报了2009年8-10月全市学习情况", []),  # a range of months
        ("2019-8/10", []),
        ("2019/8-10", []),
        ("2020-09-04 07:00", ["2020-09-04"]),
        ("2019年01月07日 星期一", ["2019-01-07"]),
        ("时间:2012/4/9 9:37:37", ["2012-04-09"]),
        ("2022 05/ 13 10:36", ["2022-05-13"]),  # a year, then month/day
        ("共2022 5/8份", []),  # only two digits each: a date's typesetting, not a count
    ],
)
def test_dates_in_one_separator_throughout(text: str, dates: list[str]) -> None:
    assert dates_in(text) == dates


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("20.10.2015", ["2015-10-20"]),
        ("发布时间:2011.10.19 来源", ["2011-10-19"]),  # year first stays year.month.day
        ("版本 1.2.3.2015", []),  # a dotted run longer than a date
        ("32.10.2015", []),
        ("10.13.2015", []),  # day.month.year: no 13th month
    ],
)
def test_dates_in_dotted_day_month_year(text: str, dates: list[str]) -> None:
    assert dates_in(text) == dates


# ---- the publish date: head lines, a dated dateline, the last lines; never the body
@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("标题\n发布时间:2023-08-30 来源:定海区融媒体中心\n正文。", "2023-08-30"),
        ("标题\n时间:2019-11-02\n正文。", "2019-11-02"),
        ("标题\n2020-09-04 07:00\n正文。", "2020-09-04"),
        ("2019年01月07日 星期一\n中青在线\n标题\n正文。", "2019-01-07"),
        ("标题\n类别:公司动态 20.10.2015\n正文。", "2015-10-20"),
    ],
)
def test_date_from_a_head_line(text: str, date: str) -> None:
    assert header_date(text.split("\n")) == date


def test_a_page_clock_is_not_the_date() -> None:
    text = "今天是2025年04月30日 星期三\n标题\n来源: 本站 发布时间:2014-07-31 14:35\n正文。"
    assert header_date(text.split("\n")) == "2014-07-31"
    assert header_date(["今天是2025年04月30日 星期三", "标题", "正文。"]) == ""
    assert header_date(["今日：2025-04-30", "标题", "正文。"]) == ""
    # 今日 inside an outlet's name (今日临桂) is no clock
    outlet = "来源: 今日临桂    作者: 今日临桂    发布时间:2025-07-08"
    assert header_date(["临桂:如何梯次培养村级后起之秀?", outlet, "正文。"]) == "2025-07-08"


def test_a_forum_members_dates_are_not_the_date() -> None:
    """When a user joined or last came (a forum's member panel) is no posting date."""
    assert header_date(["标题", "管理成员", "注册", "2002-10-07", "消息"]) == ""
    assert header_date(["标题", "注册时间：2002-10-07", "发布于 2003-01-02"]) == "2003-01-02"
    assert header_date(["注册会员福利活动", "2003-01-02"]) == "2003-01-02"  # no label alone


@pytest.mark.parametrize(
    "text",
    [
        "2009年9月9日,对于杨楠楠来说,是一个终身难忘的日子。",  # the day of an event
        "标题\n2009年9月9日,她来到海丰村\n正文。",  # the same, in a line cut before its stop
        "湖南继2006年选拔干部(见本报2006年7月25日相关报道)之后,又有新举措。",
        "标题\n正文开头。\n于2005年6月16日在济南举行。\n会议要求。\n时间计算均截止至2017年7月31日。",
        "本报讯 记者董斌报道:12月3日,会议通报了2009年8-10月全市学习情况。",
    ],
)
def test_a_date_in_the_body_is_not_the_publish_date(text: str) -> None:
    assert header_date(text.split("\n")) == ""


def test_a_dated_dateline_opening_the_body() -> None:
    assert header_date(["标题", "新华社北京2019年11月2日电 省委召开会议。"]) == "2019-11-02"
    # no year in the dateline: no date is made up
    assert header_date(["标题", "本报济南11月29日电 (记者侯琳良)说起跟班锻炼。"]) == ""
    # a year further into the first sentence is not the dateline's
    assert header_date(["标题", "会议指出,新华社北京2019年11月2日电称。"]) == ""


def test_a_footer_line_states_the_date() -> None:
    lines = [
        "标题",
        "本报记者 吴储岐",
        "正文一。",
        "正文二。",
        "《人民日报》(2025年10月09日 第 04 版)",
    ]
    assert header_date(lines) == "2025-10-09"
    # a long last sentence with a date is still the body
    assert header_date(["标题", "正文一。", "正文二。", "报名时间为2017年7月31日前。"]) == ""


def test_the_raw_head_gives_the_date_normalize_drops_as_furniture() -> None:
    simplified = "胡钦华入选培养计划\n来源:人事处\n发布时间:2013-04-23 19:45:34\n\n    4月18日,开班动员会举行。\n"
    doc = run_text(simplified)
    assert "发布时间" not in doc.text  # the bar is furniture, gone from the stored text
    assert doc.publish_date == "2013-04-23"
    traditional = "央視網|網站地圖\n選優配強 促進發展\n發佈時間:2012年02月23日 06:34 | 來源:黑龍江日報\n正文開始,會議召開。\n"
    assert run_text(traditional).publish_date == "2012-02-23"
    pinyin = "标题一二三四五六\n发(fā)布时间:2023年11月30日 08:00\n正文开始,会议召开。\n"
    assert run_text(pinyin).publish_date == "2023-11-30"
    undated = "标题一二三四五六\n2009年9月9日,对于她来说,是一个终身难忘的日子。\n"
    assert run_text(undated).publish_date == ""


def test_the_raw_head_gives_the_outlet_of_a_dropped_source_bar() -> None:
    """来源:… bars go as furniture; the outlet they name stays (it may name the place)."""
    text = "师徒结对助力成长\n发布时间:2023-08-30 来源:定海区融媒体中心\n白泉镇日前举行仪式。\n"
    doc = run_text(text)
    assert "来源" not in doc.text and doc.outlet == "定海区融媒体中心"
    assert run_text("沈家门干部培训\n来源:沈阳日报\n正文开始,会议召开。\n").outlet == "沈阳日报"
    traditional = (
        "選優配強 促進發展\n發佈時間:2012年02月23日 | 來源:黑龍江日報\n正文開始,幹部會議召開。\n"
    )
    assert run_text(traditional).outlet == "黑龙江日报"  # converted once, by normalize


# ---- reporters: names of 2-4 Han characters; titles separate them, never part of them
@pytest.mark.parametrize(
    ("line", "author", "outlet"),
    [
        (
            "长沙晚报掌上长沙5月8日讯(全媒体记者 李静)今日上午,全市选派干部。",
            "李静",
            "长沙晚报掌上长沙",
        ),
        (
            "本报讯(记者庄婷婷通讯员许文洁杨晶晶)“大家现在看到的这张图。",
            "庄婷婷;许文洁;杨晶晶",
            "本报",
        ),
        (
            "咸宁网讯 咸宁日报全媒体记者 姜明助、通讯员 郑世慧报道:“这次考试。",
            "姜明助;郑世慧",
            "咸宁网",
        ),
        ("本报讯 通讯员谢慧、洪秀报道:10月23日,县委组织部召开会议。", "谢慧;洪秀", "本报"),
        ("本报讯(记者 陈 敏) 2020年以来,区委深入贯彻。", "陈敏", "本报"),
        ("(中国日报驻湖南记者 冯志伟)", "冯志伟", "中国日报"),
        ("中广网南昌7月28日消息(记者胡啸 范存宝)记者从今日会议获悉。", "胡啸;范存宝", "中广网南昌"),
        ("时间:2012/4/9 作者:记者 陈宗昊    来源:红网", "陈宗昊", "红网"),
        ("作者:蔡迎年", "蔡迎年", ""),  # a name alone is no outlet
        ("文/杨 兵", "杨兵", ""),
        ("本报记者 吴储岐", "吴储岐", ""),
        ("海都记者 杨江参", "杨江参", "海都"),
    ],
)
def test_reporter_lines(line: str, author: str, outlet: str) -> None:
    doc = metadata_of(f"标题\n{line}\n正文。", title="标题")
    assert (doc.author, doc.outlet) == (author, outlet)


@pytest.mark.parametrize(
    "line",
    [
        "记者16日从湖南省委组织部了解到,湖南将选派11名干部到市县任职。",
        "昨日,记者从甘肃省委组织部了解到,我省决定公开选拔100名年轻干部。",
        "据记者了解,自2008年吉林省开始招聘选调生起,至今已经数千名。",
        "本网讯(通讯员组织部)3月29日,训练营开班。",  # a unit, not a person
        "来源:北京青年报   作者:   2012-08-23 10:37:00",
        "关键词:记者节安陆大山深处",
    ],
)
def test_lines_that_name_no_reporter(line: str) -> None:
    assert metadata_of(f"标题\n{line}\n正文。", title="标题").author == ""


def test_byline_names_split_and_refuse() -> None:
    assert byline_names("全媒体记者 李静") == ["李静"]  # not 全媒体记
    assert byline_names("记者庄婷婷通讯员许文洁") == ["庄婷婷", "许文洁"]  # not 庄婷婷通
    assert byline_names("记者 阿依古丽·买买提") == ["阿依古丽·买买提"]
    assert byline_names("记者王小明李华") == []  # five characters run together: no safe split
    assert byline_names("记者 张三 组织部", strict=True) == []  # a line of names only


def test_source_line_outlet_stops_at_the_outlets_name() -> None:
    text = "标题\n2021年05月30日08:45  来源:云南日报为加强年轻干部培养锻炼,今年以来,全省开展工作。"
    assert metadata_of(text, title="标题").outlet == "云南日报"
    assert metadata_of("标题\n来源:人事处\n正文。", title="标题").outlet == "人事处"
    assert metadata_of("标题\n消息来源:http://www.qhhb.gov.cn\n正文。", title="标题").outlet == ""


def test_rules_are_checked_on_load(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    bad = tmp_path / "metadata.toml"
    bad.write_text(text.replace("(?P<date>", "(?P<day>"), encoding="utf-8")
    with pytest.raises(ValueError, match="dated_dateline"):
        load_rules(bad)
    bad.write_text(text.replace("footer_lines = 3", "footer_lines = 0"), encoding="utf-8")
    with pytest.raises(ValueError, match="footer_lines"):
        load_rules(bad)
    bad.write_text(text.replace("报道[:：]'", "报道[:：'"), encoding="utf-8")
    with pytest.raises(ValueError, match="byline_patterns"):
        load_rules(bad)
