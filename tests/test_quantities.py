"""Quantities on hand-written sentences in the style of real reports (positives and negatives).

Each case asserts the exact records: (text, kind, value, value_max, unit, qualifier).
"""

from __future__ import annotations

import pytest

from orgwork.extractors.quantities import find_quantities, parse_number
from tests.conftest import make_doc


def records(sentence: str) -> list[tuple]:
    doc = make_doc(sentence)
    return [
        (m.text, m.kind, m.value, m.value_max, m.unit, m.qualifier) for m in find_quantities(doc)
    ]


CASES = [
    # headcounts: 名/人/位/人次, Arabic and Chinese numerals, qualifiers
    ("今年共选派18名干部到村任职。", [("18名", "headcount", 18, None, "人", "exact")]),
    ("全县选派18 名年轻干部驻村。", [("18 名", "headcount", 18, None, "人", "exact")]),
    ("累计轮训干部1.5万名。", [("1.5万名", "headcount", 15000, None, "人", "exact")]),
    ("全市3万余名党员参加学习。", [("3万余名", "headcount", 30000, None, "人", "more_than")]),
    ("1800多名干部参加集中学习。", [("1800多名", "headcount", 1800, None, "人", "more_than")]),
    ("分领域轮训800多人次。", [("800多人次", "headcount", 800, None, "人次", "more_than")]),
    (
        "近5年来共超1200人次赴信访窗口跟班锻炼。",
        [("超1200人次", "headcount", 1200, None, "人次", "more_than")],
    ),
    ("全年培训干部超过500人。", [("超过500人", "headcount", 500, None, "人", "more_than")]),
    ("逾300名党员参与志愿服务。", [("逾300名", "headcount", 300, None, "人", "more_than")]),
    ("每期培训50名左右学员。", [("50名左右", "headcount", 50, None, "人", "approx")]),
    ("共选调近100名干部到重点工作一线。", [("近100名", "headcount", 100, None, "人", "approx")]),
    ("约200名干部参加考试。", [("约200名", "headcount", 200, None, "人", "approx")]),
    ("将近四百名干部报名。", [("将近四百名", "headcount", 400, None, "人", "approx")]),
    ("确保后备库常态保持200人以上。", [("200人以上", "headcount", 200, None, "人", "at_least")]),
    ("每年选派不少于30名干部挂职。", [("不少于30名", "headcount", 30, None, "人", "at_least")]),
    ("参训人数不足20人。", [("不足20人", "headcount", 20, None, "人", "less_than")]),
    ("报名者不到十人。", [("不到十人", "headcount", 10, None, "人", "less_than")]),
    ("每个班次控制在40人以内。", [("40人以内", "headcount", 40, None, "人", "at_most")]),
    ("选聘3位专家担任导师。", [("3位", "headcount", 3, None, "人", "exact")]),
    ("郭伟锋、郑立蓬等3名选调生获奖。", [("3名", "headcount", 3, None, "人", "exact")]),
    # counts: 期/场次/场/批次/批/个/项/家/所/条/对/类/班/次
    ("先后举办专题培训21期。", [("21期", "count", 21, None, "期", "exact")]),
    ("开展专题授课24场次。", [("24场次", "count", 24, None, "场次", "exact")]),
    ("举办活动20多场次。", [("20多场次", "count", 20, None, "场次", "more_than")]),
    ("接连举办两场活动。", [("两场", "count", 2, None, "场", "exact")]),
    (
        "择优选派两批次共62名干部。",
        [
            ("两批次", "count", 2, None, "批次", "exact"),
            ("62名", "headcount", 62, None, "人", "exact"),
        ],
    ),
    ("分3批组织干部外出学习。", [("3批", "count", 3, None, "批", "exact")]),
    ("设立10个干部实践基地。", [("10个", "count", 10, None, "个", "exact")]),
    ("把握42项国家级改革试点契机。", [("42项", "count", 42, None, "项", "exact")]),
    ("走访了近百家区内重点企业。", [("近百家", "count", 100, None, "家", "approx")]),
    ("邀请国内100所院校参加。", [("100所", "count", 100, None, "所", "exact")]),
    ("深化区管职级干部管理十二条措施。", [("十二条", "count", 12, None, "条", "exact")]),
    ("目前共结成帮带对子7对。", [("7对", "count", 7, None, "对", "exact")]),
    (
        "建立专业化后备干部信息库13类287人。",
        [
            ("13类", "count", 13, None, "类", "exact"),
            ("287人", "headcount", 287, None, "人", "exact"),
        ],
    ),
    ("开设主体班5班。", [("5班", "count", 5, None, "班", "exact")]),
    ("组织集中研讨3次。", [("3次", "count", 3, None, "次", "exact")]),
    # durations and ranges
    ("在为期3天的专题研讨班上。", [("3天", "duration", 3, None, "天", "exact")]),
    ("开展3至6个月的跟班访学。", [("3至6个月", "duration", 3, 6, "月", "exact")]),
    ("集中培训2-5天。", [("2-5天", "duration", 2, 5, "天", "exact")]),
    ("挂职时间1—2年。", [("1—2年", "duration", 1, 2, "年", "exact")]),
    ("下派干部为期半年至一年。", [("半年至一年", "duration", 0.5, 1, "年", "exact")]),
    ("脱产培训2周。", [("2周", "duration", 2, None, "周", "exact")]),
    ("新提拔干部须有2年以上基层经历。", [("2年以上", "duration", 2, None, "年", "at_least")]),
    ("累计学习不少于40学时。", [("不少于40学时", "duration", 40, None, "小时", "at_least")]),
    # percentages
    ("专业性岗位占比达70%。", [("70%", "percentage", 70, None, "%", "exact")]),
    ("具备专业背景的达75%以上。", [("75%以上", "percentage", 75, None, "%", "at_least")]),
    ("复合型干部比例不足25%。", [("不足25%", "percentage", 25, None, "%", "less_than")]),
    ("年轻干部占百分之三十。", [("百分之三十", "percentage", 30, None, "%", "exact")]),
    ("七成以上的村书记参加轮训。", [("七成以上", "percentage", 70, None, "%", "at_least")]),
    (
        "三分之一以上的班子配备了年轻干部。",
        [("三分之一以上", "percentage", 33.33, None, "%", "at_least")],
    ),
    # not measures: dates, years, ordinals, periods, frequencies, quotes, idioms, ages, money
    ("9月25日至27日，晋江举办研讨班。", []),
    ("2021年以来，晋江持续推进改革。", []),
    ("启动第一批年轻干部轮岗。", []),
    ("党的二十届三中全会精神。", []),
    ("近3年来，干部队伍持续优化。", []),
    ("近两年，嘉兴市持续推进。", []),
    ("5年内完成目标。", []),
    ("每两年评选一次。", []),
    ("每月一期的专题培训吸引了不少职工。", []),
    ("聚焦“四个维度”推进改革。", []),
    ("深入实施“3个100人才引育工程”。", []),
    ("启动“5年5000新秀”计划。", []),
    ("落实“一人一档”跟踪培养模式。", []),
    ("由所在单位一把手担任导师。", []),
    ("坚持四议两公开工作法。", []),
    ("选树表彰一批先进典型。", []),
    ("举办了一场别开生面的座谈会。", []),
    ("选拔35岁以下年轻干部。", []),
    ("80后、90后干部成为主力。", []),
    ("发放奖励资金500万元。", []),
    ("广告热线：0595-22567990。", []),
    ("阅读 3456 次", []),
    ("讲三个方面的意见。", []),
    ("打好三年行动计划收官战。", []),
    ("今年下半年，市委组织部选派干部。", []),
    ("千名干部进千企。", []),
    # real-report forms: 篇, 本, 星期, 千余名, 一期以上, N大 (2-9 only), ordinals after 届, issues
    ("撰写决策参考文章60多篇。", [("60多篇", "count", 60, None, "篇", "more_than")]),
    ("发放学习读本3000本。", [("3000本", "count", 3000, None, "本", "exact")]),
    ("开始为期一个星期的培训。", [("一个星期", "duration", 1, None, "周", "exact")]),
    ("全县千余名党员参加。", [("千余名", "headcount", 1000, None, "人", "more_than")]),
    ("每年参加一期以上专项培训。", [("一期以上", "count", 1, None, "期", "at_least")]),
    ("组织实施六大重点项目。", [("六大", "count", 6, None, "大", "exact")]),
    ("实施6大培训项目。", [("6大", "count", 6, None, "大", "exact")]),
    ("学习贯彻党的十九大精神。", []),
    ("评选十大杰出青年。", []),
    ("落实市委九届七次全会精神。", []),
    ("党员生活 2015年12期", []),
    ("为7户牧民办理养老保险。", [("7户", "count", 7, None, "户", "exact")]),
    ("收集问卷55份。", [("55份", "count", 55, None, "份", "exact")]),
    ("累计培训七十余万人次。", [("七十余万人次", "headcount", 700000, None, "人次", "more_than")]),
    ("到基层挂职一年半。", [("一年半", "duration", 1.5, None, "年", "exact")]),
    ("学习十三届全国人大三次会议精神。", []),
    ("召开3次会议。", [("3次", "count", 3, None, "次", "exact")]),
    ("庆祝建党100周年。", []),
    ("上世纪50年代，凉山实行改革。", []),
    ("福利待遇是一个月1000元。", []),
    ("着眼未来五年乃至十年的需要。", []),
    ("连续两年排名第一。", []),
    ("今年是选派干部到村任职的最后一年。", []),
    ("短短两年，村风村貌大为改观。", []),
    ("挂职时间为两年。", [("两年", "duration", 2, None, "年", "exact")]),
    ("一年以后，得知有村官选拔。", []),
    ("每天两期。", []),
    ("1.2014年毕业的高校毕业生。", []),
    ("下面，我讲两个问题。", []),
    ("坚持三位一体的工作理念。", []),
    # a unit before 后备干部 or 后进村 is still a figure (后 blocks only ages such as 80后)
    ("确定了50名后备干部。", [("50名", "headcount", 50, None, "人", "exact")]),
    ("全市127个后进村支部。", [("127个", "count", 127, None, "个", "exact")]),
    # 这/那: a headcount counts, a count or duration points back to things named
    ("这5名拟任人选都是年轻人。", [("5名", "headcount", 5, None, "人", "exact")]),
    ("这两个重要举措，加上之前的安排。", []),
    ("就在这一天，她来到了村里。", []),
    # 满 before a duration: the threshold reached
    ("在基层服务满两年且表现优秀。", [("满两年", "duration", 2, None, "年", "at_least")]),
    # a number with a leading zero is a year (08年毕业) or a code
    ("招聘的就是08年和09年毕业的学生。", []),
    # a figure inside a title of a work names it
    ("党校教师讲授《在延安十三年》。", []),
    # places counted after digits; a Chinese numeral sums up the places just named
    (
        "延安市辖1区12县。",
        [("1区", "count", 1, None, "区", "exact"), ("12县", "count", 12, None, "县", "exact")],
    ),
    ("11市组织部长登台述职。", [("11市", "count", 11, None, "市", "exact")]),
    ("分别任武义、龙游两县县委书记。", []),
    ("共收录3966人(次)任免名录。", [("3966人(次)", "headcount", 3966, None, "人次", "exact")]),
    # a comma before three digits groups thousands; a clause comma is followed by words
    ("累计培训干部1,200名。", [("1,200名", "headcount", 1200, None, "人", "exact")]),
    # sites counted after digits (not 两处); 二次 is "second", a slogan's number is no count
    ("建立广播党校270处。", [("270处", "count", 270, None, "处", "exact")]),
    ("发现问题两处。", []),
    ("经考察推荐参加二次选拔。", []),
    ("共开展十二次培训。", [("十二次", "count", 12, None, "次", "exact")]),
    ("以适应四个现代化建设的需要。", []),
    # so does one space in a typeset book; a space before a unit or a shorter group does not
    ("全年培训干部1 756人次。", [("1 756人次", "headcount", 1756, None, "人次", "exact")]),
    ("全县 12 个乡镇。", [("12 个", "count", 12, None, "个", "exact")]),
    (
        "开办3 期,培训20 名。",
        [
            ("3 期", "count", 3, None, "期", "exact"),
            ("20 名", "headcount", 20, None, "人", "exact"),
        ],
    ),
    (
        "举办培训3期,200名干部参加。",
        [
            ("3期", "count", 3, None, "期", "exact"),
            ("200名", "headcount", 200, None, "人", "exact"),
        ],
    ),
    # a share's change in points; measure words of lessons, sheets, volumes, sets and rounds
    ("占比提高了5.2个百分点。", [("5.2个百分点", "percentage", 5.2, None, "%", "exact")]),
    ("比例下降三个百分点。", [("三个百分点", "percentage", 3, None, "%", "exact")]),
    ("邀请专家授课12堂。", [("12堂", "count", 12, None, "堂", "exact")]),
    (
        "发放明白卡3000张、读本500册。",
        [
            ("3000张", "count", 3000, None, "张", "exact"),
            ("500册", "count", 500, None, "册", "exact"),
        ],
    ),
    ("开展3轮集中巡察。", [("3轮", "count", 3, None, "轮", "exact")]),
    # 个 before 小时, and 多 between 个 and the unit (more than that long); rounds (遍)
    ("座谈会开了近2个小时。", [("近2个小时", "duration", 2, None, "小时", "approx")]),
    ("他已在省城跟班学习5个多月。", [("5个多月", "duration", 5, None, "月", "more_than")]),
    ("全镇村干部轮训3遍。", [("3遍", "count", 3, None, "遍", "exact")]),
    ("把党员普遍轮训一遍。", []),
    # a decimal point written 点 (三点五万, 百分之十二点四); a year in both scripts (二00九年)
    ("先后选派二点五万名干部下乡。", [("二点五万名", "headcount", 25000, None, "人", "exact")]),
    ("女干部占百分之十六点八。", [("百分之十六点八", "percentage", 16.8, None, "%", "exact")]),
    ("二00九年全县举办培训班十二期。", [("十二期", "count", 12, None, "期", "exact")]),
    # not figures: a programme's name (三支一扶), a congress's session, the year of an event
    ("招募三支一扶人员45名。", [("45名", "headcount", 45, None, "人", "exact")]),
    ("筹备县九次党代会。", []),
    ("这是全县引进人才最多的一年。", []),
    (
        "挂职的一年以上的干部12名。",
        [
            ("一年以上", "duration", 1, None, "年", "at_least"),
            ("12名", "headcount", 12, None, "人", "exact"),
        ],
    ),
    # 不同 and 不等 after the unit are words of their own (不 alone blocks: 三个不放过)
    ("共办了12期不同主题的读书班。", [("12期", "count", 12, None, "期", "exact")]),
    ("落实“三个不放过”要求。", []),
    # N成 before a quote (有三成“三门”干部)
    ("全镇有三成“半路出家”的干部。", [("三成", "percentage", 30, None, "%", "exact")]),
    # two changes in points sharing the unit after the second
    (
        "女干部和党外干部比例分别提高1.5个和4个百分点。",
        [
            ("1.5个", "percentage", 1.5, None, "%", "exact"),
            ("4个百分点", "percentage", 4, None, "%", "exact"),
        ],
    ),
    # a time of day is no count, even with a unit word after it on the next line
    (
        "2010年08月07日19:33\n人民网南宁8月7日电，选派干部120人。",
        [("120人", "headcount", 120, None, "人", "exact")],
    ),
    ("上午8:30，200名学员参加开班式。", [("200名", "headcount", 200, None, "人", "exact")]),
    # working days are days; a year of the Republic of China (Taiwan) is a date
    ("资格审查约10个工作日。", [("约10个工作日", "duration", 10, None, "天", "approx")]),
    (
        "九十八年特种考试于十二月举行，报考九百五十三人。",
        [("九百五十三人", "headcount", 953, None, "人", "exact")],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:14] for c in CASES])
def test_sentence(sentence: str, expected: list[tuple]) -> None:
    assert records(sentence) == expected


def test_offsets_index_the_text() -> None:
    doc = make_doc("2021年以来陆续开办“铸忠诚”主题培训17期，分批次轮训650多人次。")
    for m in find_quantities(doc):
        assert doc.text[m.start : m.end] == m.text


def test_title_line_is_not_mined() -> None:
    doc = make_doc("今年培训干部300名。", title="晋江培训干部500名")
    assert [m.value for m in find_quantities(doc)] == [300]


def test_unusable_span_yields_nothing() -> None:
    doc = make_doc("泉港区选派10名干部。")
    doc.unusable = [(0, len(doc.text))]
    assert find_quantities(doc) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("两", 2),
        ("十二", 12),
        ("三百", 300),
        ("百", 100),
        ("1.5万", 15000),
        ("3万", 30000),
        ("半", 0.5),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_a_length_opened_by_its_term_word_is_a_duration_even_after_jin() -> None:
    assert records("学员将开始为期近一年的跟班学习。") == [
        ("近一年", "duration", 1, None, "年", "approx")
    ]
    assert records("这次集训历时近两个月。") == [("近两个月", "duration", 2, None, "月", "approx")]
    assert records("近一年，全县选派干部40名。")[0][0] == "40名"  # the recent past: no measure


def test_one_after_a_qualifier_is_a_figure_and_zhishao_you_is_at_least() -> None:
    assert records("每个村至少一名后备干部。") == [
        ("至少一名", "headcount", 1, None, "人", "at_least")
    ]
    assert records("每个班子至少有2名女干部。") == [
        ("至少有2名", "headcount", 2, None, "人", "at_least")
    ]
    assert records("选派一名干部驻村。") == []  # the indefinite article
