"""Region resolution: title and dateline first, body evidence next, no false places."""

from __future__ import annotations

import pytest

from extractors.region import resolve_region
from tests.conftest import make_doc


def region(title: str, body: str, hint: str = "") -> tuple | None:
    doc = make_doc(body, title=title)
    doc.region_hint = hint
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
    from extractors.region import find_place_mentions, load_gazetteer

    gaz = load_gazetteer()
    assert min(map(len, gaz.aliases)) >= 2
    text = "杜老师在福建省泉州市晋江市工作，晋江"
    found = [(text[s:e], alias) for s, e, alias in find_place_mentions(text, gaz)]
    assert ("泉州市", "泉州市") in found and ("晋江市", "晋江市") in found
    assert found[-1] == ("晋江", "晋江")
    assert not any(alias.startswith("杜") for _, alias in found)
    assert find_place_mentions("", gaz) == [] and find_place_mentions("晋", gaz) == []
