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
        ("时间:2016/3/7 8:05:12", ["2016-03-07"]),
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
        ("标题\n发布时间:2021-06-18 来源:岱山县融媒体中心\n正文。", "2021-06-18"),
        ("标题\n时间:2019-11-02\n正文。", "2019-11-02"),
        ("标题\n2020-09-04 07:00\n正文。", "2020-09-04"),
        ("2019年01月07日 星期一\n中青在线\n标题\n正文。", "2019-01-07"),
        ("标题\n类别:公司动态 20.10.2015\n正文。", "2015-10-20"),
    ],
)
def test_date_from_a_head_line(text: str, date: str) -> None:
    assert header_date(text.split("\n")) == date


def test_a_page_clock_is_not_the_date() -> None:
    text = "今天是2025年03月12日 星期三\n标题\n来源: 本站 发布时间:2016-05-20 09:10\n正文。"
    assert header_date(text.split("\n")) == "2016-05-20"
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
        "2011年7月1日,对于王晓燕来说,是一个值得铭记的日子。",  # the day of an event
        "标题\n2009年9月9日,她来到海丰村\n正文。",  # the same, in a line cut before its stop
        "江西继2008年公开招考干部(见本报2008年5月12日有关报道)之后,再出新招。",
        "标题\n正文开头。\n于2007年9月21日在青岛召开。\n会议强调。\n年龄计算均截止至2019年6月30日。",
        "本报讯 记者董斌报道:12月3日,会议通报了2009年8-10月全市学习情况。",
    ],
)
def test_a_date_in_the_body_is_not_the_publish_date(text: str) -> None:
    assert header_date(text.split("\n")) == ""


def test_a_dated_dateline_opening_the_body() -> None:
    assert header_date(["标题", "新华社北京2019年11月2日电 省委召开会议。"]) == "2019-11-02"
    # no year in the dateline: no date is made up
    assert header_date(["标题", "本报郑州10月17日电 (记者王建国)谈起驻村帮扶。"]) == ""
    # a year further into the first sentence is not the dateline's
    assert header_date(["标题", "会议指出,新华社北京2019年11月2日电称。"]) == ""


def test_a_footer_line_states_the_date() -> None:
    lines = [
        "标题",
        "本报记者 吴储岐",
        "正文一。",
        "正文二。",
        "《光明日报》(2024年06月18日 第 07 版)",
    ]
    assert header_date(lines) == "2024-06-18"
    # a long last sentence with a date is still the body
    assert header_date(["标题", "正文一。", "正文二。", "报名时间为2017年7月31日前。"]) == ""


def test_an_indented_last_paragraph_read_at_its_opening_is_still_body() -> None:
    """A long indented paragraph, cut to its opening, is no footer line: the exam's date in it
    is no publish date."""
    paragraph = (
        "按照工作安排，"
        + "符合报考条件的各高校应届毕业生" * 5
        + "须于2019年4月8日9时前登录系统完成报名。"
    )
    text = f"选调公告发布\n\n  正文第一段。\n\n  {paragraph}\n"
    assert run_text(text).publish_date == ""


def test_the_raw_head_gives_the_date_normalize_drops_as_furniture() -> None:
    simplified = "李明远入选青年人才计划\n来源:组织人事处\n发布时间:2015-09-14 16:20:08\n\n    9月10日,启动仪式举行。\n"
    doc = run_text(simplified)
    assert "发布时间" not in doc.text  # the bar is furniture, gone from the stored text
    assert doc.publish_date == "2015-09-14"
    traditional = "新華網|網站地圖\n強基固本 服務發展\n發佈時間:2014年03月11日 07:52 | 來源:吉林日報\n正文開始,會議召開。\n"
    assert run_text(traditional).publish_date == "2014-03-11"
    pinyin = "标题一二三四五六\n发(fā)布时间:2022年10月26日 09:30\n正文开始,会议召开。\n"
    assert run_text(pinyin).publish_date == "2022-10-26"
    undated = "标题一二三四五六\n2009年9月9日,对于她来说,是一个终身难忘的日子。\n"
    assert run_text(undated).publish_date == ""


def test_the_raw_head_gives_the_outlet_of_a_dropped_source_bar() -> None:
    """来源:… bars go as furniture; the outlet they name stays (it may name the place)."""
    text = "青蓝结对促成长\n发布时间:2021-06-18 来源:普陀区融媒体中心\n六横镇近日举行仪式。\n"
    doc = run_text(text)
    assert "来源" not in doc.text and doc.outlet == "普陀区融媒体中心"
    assert run_text("沈家门干部培训\n来源:沈阳日报\n正文开始,会议召开。\n").outlet == "沈阳日报"
    traditional = (
        "選優配強 促進發展\n發佈時間:2012年02月23日 | 來源:黑龍江日報\n正文開始,幹部會議召開。\n"
    )
    assert run_text(traditional).outlet == "黑龙江日报"  # converted once, by normalize


def test_a_source_line_at_the_foot_gives_the_outlet() -> None:
    """A repost keeps its source line under the body (来源:xx报 作者:…): the outlet, and so
    the place it names, of a text whose head has none; a sentence at the foot is no bar."""
    text = (
        "据了解,近三年来我省共选派1500名机关干部驻村帮扶。\n"
        "驻村干部分赴各地开展工作。\n来源:江西商报 作者:王明\n"
    )
    doc = run_text(text)
    assert doc.outlet == "江西商报" and "来源" not in doc.text
    assert doc.region is not None and doc.region.adcode == "360000"
    sentence = "我省共选派1500名机关干部驻村。\n记者了解到,来源:江西商报的消息称各地推进。\n"
    assert run_text(sentence).outlet == ""


# ---- reporters: names of 2-4 Han characters; titles separate them, never part of them
@pytest.mark.parametrize(
    ("line", "author", "outlet"),
    [
        (
            "株洲日报掌上株洲6月3日讯(全媒体记者 周敏)今日上午,全市召开会议。",
            "周敏",
            "株洲日报掌上株洲",
        ),
        (
            "本报讯(记者林佳慧通讯员王志强孙海燕)“请大家看这张表。",
            "林佳慧;王志强;孙海燕",
            "本报",
        ),
        (
            "荆门网讯 荆门日报全媒体记者 刘春雨、通讯员 张立新报道:“这次培训。",
            "刘春雨;张立新",
            "荆门网",
        ),
        ("本报讯 通讯员王倩、黄磊报道:9月14日,市委组织部举办培训。", "王倩;黄磊", "本报"),
        ("本报讯(记者 陈 敏) 2020年以来,区委深入贯彻。", "陈敏", "本报"),
        ("(中国日报驻湖南记者 冯志伟)", "冯志伟", "中国日报"),
        (
            "中广网合肥3月16日消息(记者孙浩 李文军)记者从今天的会议上获悉。",
            "孙浩;李文军",
            "中广网合肥",
        ),
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
        "记者21日从四川省委组织部了解到,四川将下派25名干部到县乡挂职。",
        "近日,记者从宁夏区委组织部了解到,全区将公开遴选60名优秀年轻干部。",
        "据记者了解,从2010年辽宁省启动选调生招录以来,已累计招录近万名。",
        "本网讯(通讯员组织部)3月29日,训练营开班。",  # a unit, not a person
        "来源:天津日报   作者:   2014-11-05 15:22:00",
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
    text = "标题\n2022年03月14日09:20  来源:贵州日报为推动干部教育培训,今年以来,全省开展工作。"
    assert metadata_of(text, title="标题").outlet == "贵州日报"
    assert metadata_of("标题\n来源:人事处\n正文。", title="标题").outlet == "人事处"
    assert metadata_of("标题\n消息来源:http://www.gsgn.gov.cn\n正文。", title="标题").outlet == ""


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


def test_a_speechs_date_run_into_its_opening_line() -> None:
    """A speech set on one line: title, speaker, the date in brackets, then the salutation;
    a bracketed date in the body without a salutation is the day of an event."""
    speech = "在全县组织工作会议上的讲话县委副书记(2016年3月8日)同志们:今天我们召开会议。\n"
    assert run_text(speech).publish_date == "2016-03-08"
    event = "全县干部会议召开。会议于(2016年3月8日)举行,干部参加培训。\n"
    assert run_text(event).publish_date == ""
