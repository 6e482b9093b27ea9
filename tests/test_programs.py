"""Programmes on hand-written sentences: named initiatives in, slogans and quoted words out."""

from __future__ import annotations

import pytest

from extractors.programs import find_programs
from tests.conftest import make_doc


def programs(sentence: str) -> list[tuple[str, str, str]]:
    return [(p.name, p.full_name, p.type) for p in find_programs(make_doc(sentence))]


CASES = [
    ("每周的“蓬江夜校”经济专题培训成为大平台。", [("蓬江夜校", "蓬江夜校", "夜校")]),
    ("实施“菁蓝”工程，培养年轻干部。", [("菁蓝", "菁蓝工程", "工程")]),
    ("建立“三级导师”帮带制，结对培养。", [("三级导师", "三级导师帮带制", "帮带制")]),
    ("推进产业工程师集聚计划，培育人才。", [("产业工程师集聚计划", "产业工程师集聚计划", "计划")]),
    ("深化「青蓝结对」机制，传帮带。", [("青蓝结对", "青蓝结对机制", "机制")]),
    ("开展『双百』行动，服务企业。", [("双百", "双百行动", "行动")]),
    ('组织"比武打擂"活动，选树典型。', [("比武打擂", "比武打擂活动", "活动")]),
    (
        "通过实施”墩苗计划””青苗工程”，结构持续优化。",
        [("墩苗计划", "墩苗计划", "计划"), ("青苗工程", "青苗工程", "工程")],
    ),
    (
        "推行“上派”“下挂”双向交流机制。",
        [("上派", "上派", "机制"), ("下挂", "下挂双向交流机制", "机制")],
    ),
    ("举办“强素质”专题培训21期。", [("强素质", "强素质专题培训", "专题培训")]),
    (
        "落实“两清单一考核”“邑选成才”机制。",
        [("两清单一考核", "两清单一考核", "机制"), ("邑选成才", "邑选成才机制", "机制")],
    ),
    ("启动“5年5000新秀”计划。", [("5年5000新秀", "5年5000新秀计划", "计划")]),
    ("设立“金梧桐”奖，评选领军干部。", [("金梧桐", "金梧桐奖", "奖")]),
    ("推进农村党建攻坚行动。", [("农村党建攻坚行动", "农村党建攻坚行动", "行动")]),
    # a stray closing mark (left by a damaged page) does not swallow the next quotation
    (
        "帮助他们健康成长!”区委组织部负责人说。建立“青蓝结对”导师帮带制。",
        [("青蓝结对", "青蓝结对导师帮带制", "导师帮带制")],
    ),
    # slogans, rhetoric and quoted ordinary words
    ("不断创新发展“晋江经验”。", []),
    ("实现培养锻炼干部与助推经济发展“双丰收”。", []),
    ("坚持“缺什么引什么”。", []),
    ("使优秀干部眼睛向“下”、身子向“下”。", []),
    ("镇、街道是城市的“细胞”。", []),
    ("有效避免了“临时”观点。", []),
    ("充分发挥市管干部“关键少数”作用。", []),
    ("进行高强度的集中学习“充电”。", []),
    ("加大干部“送出去”培训力度。", []),
    ("白天驻村工作，晚上“夜校”培训。", []),
    ("聚焦“四个维度”，着力推进。", []),
    ("打好新一轮三年行动计划收官战。", []),
]


@pytest.mark.parametrize(("sentence", "expected"), CASES, ids=[c[0][:12] for c in CASES])
def test_sentence(sentence: str, expected: list[tuple]) -> None:
    assert programs(sentence) == expected


def test_one_record_per_name_with_mentions() -> None:
    doc = make_doc("深化“蓬江夜校”办学机制。每周的“蓬江夜校”培训继续举办。")
    [p] = find_programs(doc)
    assert (p.name, p.mentions) == ("蓬江夜校", 2)
    assert doc.text[p.start : p.end] == p.text
