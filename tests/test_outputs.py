"""The dataset's outputs: the data dictionary and what is made from it (README tables,
datapackage.json, Parquet, Stata, read_dataset), panel.csv, and reposts counted once."""

from __future__ import annotations

import csv
import html
import math
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

import orgwork
from orgwork.flows.cli import main
from orgwork.pipeline import dataset
from orgwork.pipeline.dataset import panel_units, read_table
from orgwork.pipeline.dictionary import (
    DATE_PATTERN,
    load_dictionary,
    readme_with_tables,
    taxonomy_categories,
)
from tests.conftest import ROOT, SAMPLES

TABLES = ("articles", "measures", "programs", "comparison", "panel", "errors")
FIRST = sorted(SAMPLES.glob("*.txt"))[1]  # one article, 11 figures


def _html_copy(text: str) -> str:
    """The report as a portal would serve it: headline, paragraphs, page furniture."""
    lines = [line for line in text.splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines[1:])
    return (
        f"<html><head><meta charset='utf-8'><title>{html.escape(lines[0])}</title></head>"
        f"<body><div class='nav'><a href='/'>首页</a> <a href='/list'>工作动态</a></div>"
        f"<h1>{html.escape(lines[0])}</h1><div class='content'>{body}</div>"
        "<div class='footer'>版权所有 中共某某县委组织部 技术支持 某某网络</div></body></html>"
    )


def _reposts_folder(folder: Path) -> Path:
    """The samples, and one of them twice more: in Traditional characters (Big5) and as an
    HTML page."""
    import opencc

    folder.mkdir()
    for path in SAMPLES.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    text = FIRST.read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(text)
    (folder / "zz_traditional.txt").write_bytes(traditional.encode("big5", "replace"))
    (folder / "zz_page.html").write_text(_html_copy(text), encoding="utf-8")
    return folder


def _run(paths: list[Path], out: Path, *extra: str) -> int:
    from orgwork.flows.parallel import stop_pool

    args = ["run", *map(str, paths), "--out", str(out), "--no-progress", "--no-report"]
    try:
        return main([*args, "--workers", "1", *extra])
    finally:
        stop_pool()


@pytest.fixture(scope="module")
def runs(tmp_path_factory, prefect_harness) -> dict[str, Path]:
    """The samples alone (csv), and the samples with two reposts (all formats)."""
    base = tmp_path_factory.mktemp("outputs")
    samples, reposts = base / "samples", base / "reposts"
    assert _run([SAMPLES], samples) == 0
    folder = _reposts_folder(base / "corpus")
    assert _run([folder], reposts, "--format", "csv,parquet,stata") == 0
    return {"samples": samples, "reposts": reposts}


def _rows(out: Path, table: str) -> list[dict[str, str]]:
    return list(read_table(out / f"{table}.csv"))


# -- the dictionary ------------------------------------------------------------------------


def test_dictionary_is_the_source_of_the_column_lists() -> None:
    tables = load_dictionary()
    assert list(tables) == list(TABLES)
    assert tables["articles"].names == [*dataset.ARTICLE_COLUMNS, "duplicate_of"]
    assert tables["measures"].names == dataset.MEASURE_COLUMNS
    assert tables["panel"].names == dataset.PANEL_COLUMNS
    category = next(c for c in tables["measures"].columns if c.name == "category")
    assert category.values == taxonomy_categories() and category.values[-1] == "other"


def test_readme_column_tables_are_made_from_the_dictionary() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table in TABLES:
        assert f"<!-- dictionary: {table} -->" in readme
    # Regenerate with: python tools/dictionary_tables.py
    assert readme_with_tables(readme) == readme


def test_dictionary_rejects_bad_entries(tmp_path: Path) -> None:
    text = (ROOT / "pipeline" / "data" / "dictionary.toml").read_text(encoding="utf-8")
    bad = tmp_path / "dictionary.toml"
    bad.write_text(text.replace('type = "integer"', 'type = "int"', 1), encoding="utf-8")
    with pytest.raises(ValueError, match="type 'int'"):
        load_dictionary.__wrapped__(bad)


# -- the written tables conform --------------------------------------------------------------


def _conforms(out: Path) -> None:
    """Every cell of every table as the dictionary says: its type, its vocabulary, filled
    when required; the header is the dictionary's column list."""
    import re

    for table in load_dictionary().values():
        with (out / table.file).open(encoding="utf-8-sig", newline="") as fh:
            assert next(csv.reader(fh)) == table.names
        for row in read_table(out / table.file):
            for c in table.columns:
                value = row[c.name]
                if not value:
                    assert not c.required, (table.name, c.name, row)
                    continue
                if c.type == "integer":
                    int(value)
                elif c.type == "number":
                    assert math.isfinite(float(value))
                elif c.type == "boolean":
                    assert value in ("true", "false")
                elif c.type == "date":
                    assert re.fullmatch(DATE_PATTERN, value), value
                if c.vocabulary:
                    assert value in c.values, (table.name, c.name, value)


def test_written_tables_conform_to_the_dictionary(runs) -> None:
    for out in runs.values():
        _conforms(out)


def test_datapackage_validates_with_frictionless(runs) -> None:
    from frictionless import Package, validate

    for out in runs.values():
        descriptor = out / "datapackage.json"
        assert descriptor.resolve().parent == (out / "current").resolve()  # in the run folder
        report = validate(str(descriptor))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
        package = Package(str(descriptor))
        assert [r.name for r in package.resources] == list(TABLES)
        measures = package.get_resource("measures")
        assert measures.schema.get_field("kind").constraints["enum"][0] == "headcount"


def test_a_bad_vocabulary_value_fails_frictionless_validation(runs, tmp_path: Path) -> None:
    from frictionless import validate

    folder = tmp_path / "copy"
    shutil.copytree((runs["samples"] / "current").resolve(), folder)
    path = folder / "measures.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",headcount,", ",people,", 1),
                    encoding="utf-8-sig")  # fmt: skip
    report = validate(str(folder / "datapackage.json"))
    assert not report.valid
    assert "constraint-error" in {e.type for e in report.tasks[1].errors}


# -- reposts ---------------------------------------------------------------------------------


def test_a_report_in_three_copies_is_counted_once(runs) -> None:
    samples, reposts = runs["samples"], runs["reposts"]
    articles = _rows(reposts, "articles")
    copies = [a for a in articles if a["sha256"].startswith(_rows_sha(samples, FIRST.name))]
    primary = copies[0]
    assert not primary["duplicate_of"]
    others = [a for a in articles if a["duplicate_of"]]
    assert {a["source"] for a in others} == {"zz_traditional.txt", "zz_page.html"}
    assert {a["duplicate_of"] for a in others} == {primary["doc_id"]}
    assert {a["script"] for a in others} == {"traditional", "simplified"}
    # Their measures are listed, but every sum is that of the samples alone.
    assert sum(a["doc_id"] in {o["doc_id"] for o in others} for a in _rows(reposts, "measures"))
    assert _rows(reposts, "comparison") == _rows(samples, "comparison")
    assert _rows(reposts, "panel") == _rows(samples, "panel")
    assert all(not a["duplicate_of"] for a in _rows(samples, "articles"))


def _rows_sha(out: Path, source: str) -> str:
    [row] = [a for a in _rows(out, "articles") if a["source"].endswith(source)]
    return row["sha256"]


def test_primary_is_the_earliest_dated_then_the_official_site() -> None:
    from orgwork.pipeline.reposts import RepostIndex, primary_key, signature

    text = FIRST.read_text(encoding="utf-8")
    copies = [  # (publish_date, url, source, doc_id)
        ("", "", "a.txt", "d1"),
        ("2021-05-02", "https://news.example.com/1.html", "b.html", "d2"),
        ("2021-05-02", "https://www.zzb.jinjiang.gov.cn/2.html", "c.html", "d3"),
        ("2021-05-03", "https://www.12371.cn/3.html", "d.html", "d4"),
    ]
    for order in (copies, copies[::-1]):
        index = RepostIndex()
        for date, url, source, doc_id in order:
            index.add(signature(text), primary_key(date, url, source, doc_id), doc_id)
        assert set(index.duplicates().values()) == {"d3"}
        assert len(index.duplicates()) == 3
    other = (SAMPLES / "003_ae64f7fb752714a0.txt").read_text(encoding="utf-8")
    index = RepostIndex()
    index.add(signature(text), primary_key("", "", "a", "a"), "a")
    index.add(signature(other), primary_key("", "", "b", "b"), "b")
    index.add(signature("太短"), primary_key("", "", "c", "c"), "c")
    assert index.duplicates() == {}


# -- panel.csv -------------------------------------------------------------------------------


def _figure_sums(out: Path) -> dict[tuple, dict[str, float]]:
    """measures.csv grouped by unit × year × category, reposts left out, each figure of an
    article once (as comparison.csv counts them), at every admin level."""
    articles = {a["doc_id"]: a for a in _rows(out, "articles") if not a["duplicate_of"]}
    sums: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    seen = set()
    for m in _rows(out, "measures"):
        article = articles.get(m["doc_id"])
        if article is None:
            continue
        region = {k: article[k] for k in ("region", "province", "prefecture", "admin_level",
                                          "adcode")}  # fmt: skip
        for unit in panel_units(region):
            key = (unit["admin_level"], unit["adcode"], article["publish_date"][:4], m["category"])
            sums[key]["n_measures"] += 1
            sums[key]["n_" + m["modality"]] += 1
            figure = (m["doc_id"], m["category"], m["kind"], m["unit"], m["value"], m["modality"])
            if m["kind"] == "headcount" and (key, figure) not in seen:
                seen.add((key, figure))
                column = ("person_times_" if m["unit"] == "人次" else "headcount_") + m["modality"]
                sums[key][column] += float(m["value"])
    return sums


def test_panel_sums_equal_measures_grouped_the_same_way(runs) -> None:
    for out in runs.values():
        expected = _figure_sums(out)
        panel = _rows(out, "panel")
        got = {}
        for row in panel:
            key = (row["admin_level"], row["adcode"], row["year"], row["category"])
            got[key] = {
                c: float(row[c])
                for c in ("n_measures", "n_reported", "n_planned", "headcount_reported",
                          "person_times_reported", "headcount_planned", "person_times_planned")
                if row[c] and float(row[c])
            }  # fmt: skip
        assert {k: v for k, v in got.items() if v} == {k: dict(v) for k, v in expected.items()}
        assert {r["admin_level"] for r in panel} >= {"county", "prefecture", "province"}


def test_panel_counts_reports_per_unit_year_and_every_category(runs) -> None:
    out = runs["reposts"]
    articles = [a for a in _rows(out, "articles") if a["relevant"] == "true"]
    panel = _rows(out, "panel")
    categories = taxonomy_categories()
    by_unit_year = defaultdict(list)
    for row in panel:
        by_unit_year[(row["admin_level"], row["adcode"], row["year"])].append(row)
    for rows in by_unit_year.values():
        assert [r["category"] for r in rows] == categories
        assert len({r["n_reports"] for r in rows}) == 1
    primaries = [a for a in articles if not a["duplicate_of"]]
    county = sum(int(rows[0]["n_reports"]) for (level, _, _), rows in by_unit_year.items()
                 if level == "county")  # fmt: skip
    assert county == sum(a["admin_level"] == "county" for a in primaries)
    # A province's row holds the reports of every unit inside it, each once.
    for (level, code, year), rows in by_unit_year.items():
        if level == "province":
            inside = [a for a in primaries if a["adcode"][:2] == code[:2]
                      and a["publish_date"][:4] == year]  # fmt: skip
            assert int(rows[0]["n_reports"]) == len(inside)
    # "no such practice reported" (0 articles) is told from "no reports" (no row).
    assert any(r["n_articles"] == "0" and int(r["n_reports"]) > 0 for r in panel)


def test_panel_year_comes_from_the_publish_date_and_is_never_guessed() -> None:
    writer_panel = dataset._Panel()
    county = {"region": "晋江市", "province": "福建省", "prefecture": "泉州市",
              "admin_level": "county", "adcode": "350582"}  # fmt: skip
    share = dataset.CellShare(("350582", "training"), county, n_measures=2, n_reported=2)
    writer_panel.add(("a", county, "2021-05-02", True), [share])
    writer_panel.add(("b", county, "2021-07", True), [share])
    writer_panel.add(("c", county, "", True), [])
    table = dataset.csv_text([], dataset.PANEL_COLUMNS)
    header = ",".join(dataset.PANEL_COLUMNS) + "\r\n"
    rows = [r for r in csv.DictReader((header + table + "".join(writer_panel.lines())).splitlines())
            if r["category"] == "training"]  # fmt: skip
    got = {(r["admin_level"], r["adcode"], r["year"]): (r["n_reports"], r["n_measures"])
           for r in rows}  # fmt: skip
    assert got == {
        ("province", "350000", "2021"): ("2", "4"),
        ("province", "350000", ""): ("1", "0"),
        ("prefecture", "350500", "2021"): ("2", "4"),
        ("prefecture", "350500", ""): ("1", "0"),
        ("county", "350582", "2021"): ("2", "4"),
        ("county", "350582", ""): ("1", "0"),
    }
    district = {"region": "海淀区", "province": "北京市", "prefecture": "北京市",
                "admin_level": "county", "adcode": "110108"}  # fmt: skip
    assert [(u["admin_level"], u["adcode"]) for u in panel_units(district)] == [
        ("county", "110108"), ("prefecture", "110000"), ("province", "110000")
    ]  # fmt: skip


# -- Parquet, Stata, read_dataset --------------------------------------------------------------


def test_read_dataset_types_columns_from_the_dictionary(runs) -> None:
    import pandas as pd

    tables = orgwork.read_dataset(runs["samples"])  # from CSV: no Parquet there
    assert not any((runs["samples"] / f"{t}.parquet").exists() for t in TABLES)
    measures = tables["measures"]
    assert isinstance(measures["kind"].dtype, pd.CategoricalDtype)
    assert list(measures["kind"].cat.categories) == ["headcount", "percentage", "count", "duration"]
    assert str(measures["start"].dtype) == "Int64" and str(measures["value"].dtype) == "Float64"
    assert str(tables["articles"]["relevant"].dtype) == "boolean"
    assert str(tables["panel"]["year"].dtype) == "Int64"
    assert len(measures) == len(_rows(runs["samples"], "measures"))
    text = {d: (runs["samples"] / "texts" / f"{d}.txt").read_text(encoding="utf-8")
            for d in tables["articles"]["doc_id"]}  # fmt: skip
    for row in measures.itertuples():
        assert text[row.doc_id][row.start : row.end] == row.text


def test_parquet_and_csv_read_back_the_same(runs) -> None:
    from orgwork.pipeline.formats import _csv_frame

    out = runs["reposts"]
    folder = (out / "current").resolve()
    from_parquet = orgwork.read_dataset(out)
    for name, table in load_dictionary().items():
        assert (folder / f"{name}.parquet").is_file() and (out / f"{name}.parquet").exists()
        from_csv = _csv_frame(folder / table.file, table)
        assert from_parquet[name].dtypes.to_dict() == from_csv.dtypes.to_dict()
        assert from_parquet[name].equals(from_csv), name


def test_stata_files_read_back_with_labels(runs) -> None:
    import pandas as pd

    out = runs["reposts"]
    tables = orgwork.read_dataset(out)
    for name, table in load_dictionary().items():
        with pd.io.stata.StataReader(out / f"{name}.dta") as reader:
            frame = reader.read()
            labels = reader.variable_labels()
            values = reader.value_labels()
            assert reader.data_label == table.title[:80]
        expected = tables[name]
        assert len(frame) == len(expected)
        for c in table.columns:
            stata = "end_" if c.name == "end" else c.name
            assert labels[stata] == c.label
            if c.vocabulary:
                assert values[stata] == {i + 1: v for i, v in enumerate(c.values)}
                got = frame[stata].astype(object).where(frame[stata].notna(), None)
                want = expected[c.name].astype(object).where(expected[c.name].notna(), None)
                assert got.tolist() == want.tolist()
            elif c.type == "string" and len(frame):
                want = expected[c.name].astype(object).where(expected[c.name].notna(), "")
                assert frame[stata].tolist() == want.tolist()  # Chinese text intact
    measures = pd.read_stata(out / "measures.dta")
    assert measures["sentence"].str.contains("干部").any()


def test_format_option_is_checked() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", str(SAMPLES), "--format", "csv,xlsx"])
    assert exc.value.code == 2
    from orgwork.pipeline.formats import parse_formats

    assert parse_formats("stata, parquet") == ("csv", "parquet", "stata")


def test_a_run_with_other_formats_is_not_up_to_date(runs, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run([SAMPLES], out) == 0
    assert not (out / "articles.parquet").exists()
    assert _run([SAMPLES], out, "--format", "parquet") == 0
    assert (out / "articles.parquet").exists() and not (out / "articles.dta").exists()
    assert _run([SAMPLES], out) == 0  # csv only again: the other files go with the old run
    assert not (out / "articles.parquet").exists()


def test_signatures_are_datasketchs_minhash() -> None:
    """The MinHash computed in numpy is datasketch's, value for value (same permutations),
    and its estimate is datasketch's Jaccard."""
    import numpy as np
    from datasketch import MinHash

    from orgwork.pipeline.reposts import load_rules, shingle_hashes, signature

    text = FIRST.read_text(encoding="utf-8")
    hashes = shingle_hashes(text)
    assert len(hashes) > 100
    reference = MinHash(num_perm=load_rules().num_perm, seed=1, hashfunc=lambda h: h)
    reference.update_batch(hashes.tolist())
    ours = np.frombuffer(signature(text), dtype=np.uint32)
    assert ours.tolist() == reference.hashvalues.tolist()
    other = MinHash(num_perm=load_rules().num_perm, seed=1, hashfunc=lambda h: h)
    half = shingle_hashes(text[: len(text) // 2])
    other.update_batch(half.tolist())
    theirs = np.frombuffer(signature(text[: len(text) // 2]), dtype=np.uint32)
    assert np.mean(ours == theirs) == reference.jaccard(other)


def test_the_report_counts_a_repost_once(runs) -> None:
    """report.html's region figures, like comparison.csv, count a repost's measures and
    programmes once: those of the samples alone."""
    from orgwork.report.aggregate import load_report_data

    alone, with_copies = load_report_data(runs["samples"]), load_report_data(runs["reposts"])
    assert len(with_copies.reposts) == 2 and not alone.reposts
    for key, rd in alone.by_region.items():
        other = with_copies.by_region[key]
        assert (other.n_measures, other.n_reported, other.n_planned) == (
            rd.n_measures, rd.n_reported, rd.n_planned,
        )  # fmt: skip
        assert other.programs.total == rd.programs.total
        assert other.figures.total == rd.figures.total
