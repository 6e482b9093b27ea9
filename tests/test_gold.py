"""Score gate: the samples through the pipeline, scored against the gold annotations."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgwork.batch import list_sources, process_batch
from orgwork.evaluation.evaluate import check_floors, evaluate_dataset, load_floors
from orgwork.pipeline.dataset import write_dataset
from tests.conftest import GOLD, SAMPLES


@pytest.fixture(scope="module")
def sample_dataset(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dataset")
    result = process_batch(list_sources([SAMPLES]))
    assert result.errors == []
    write_dataset(result.documents, result.errors, out)
    return out


def test_scores_hold_their_floors(sample_dataset: Path) -> None:
    report = evaluate_dataset(sample_dataset, GOLD)
    assert report["summary"]["documents"] == 3
    assert check_floors(report, load_floors(GOLD / "floors.toml")) == []


def test_acceptance_thresholds(sample_dataset: Path) -> None:
    s = evaluate_dataset(sample_dataset, GOLD)["summary"]
    assert s["measures"]["f1"] >= 0.97
    assert s["qualifier_accuracy"] >= 0.97
    assert s["programs"]["f1"] >= 0.90
    assert s["region_accuracy"] == 1.0


def test_samples_without_gold(sample_dataset: Path) -> None:
    """001 (a speech to 全市) names no place; 003 is about the city of 嘉兴."""
    import csv

    with (sample_dataset / "articles.csv").open(encoding="utf-8-sig") as fh:
        rows = {Path(r["source"]).stem[:3]: r for r in csv.DictReader(fh) if r["part"] == "1"}
    assert rows["001"]["adcode"] == ""
    assert (rows["003"]["adcode"], rows["003"]["admin_level"]) == ("330400", "prefecture")
    assert rows["003"]["publish_date"] == "2015-01-14"


def test_evaluator_counts_misses_and_false_hits(tmp_path: Path) -> None:
    """The gate can fail: a dataset missing a figure and holding a wrong one scores lower."""
    from orgwork.evaluation.evaluate import match_measures, match_programs

    gold = [
        {"kind": "headcount", "value": 62, "unit": "人", "qualifier": "exact", "text": "62名"},
        {
            "kind": "count",
            "value": 3,
            "unit": "个",
            "qualifier": "exact",
            "text": "3个",
            "optional": True,
        },
    ]
    predicted = [
        {"kind": "headcount", "value": 62, "unit": "人次", "qualifier": "exact", "text": "62人次"},
        {"kind": "count", "value": 3, "unit": "个", "qualifier": "exact", "text": "3个"},
    ]
    result = match_measures(predicted, gold)
    assert (result["tp"], result["fp"], result["fn"]) == (0, 1, 1)
    programs = match_programs(["“蓬江夜校”", "晋江经验"], [{"name": "蓬江夜校"}])
    assert (programs["tp"], programs["fp"], programs["fn"]) == (1, 1, 0)


def test_region_is_scored_on_the_first_relevant_part(tmp_path: Path) -> None:
    """Page furniture split off above the report is never mined and has no region: the
    report's region is its first relevant part's; a page with none is scored on part 1."""
    import json

    from orgwork.evaluation.evaluate import evaluate_dataset

    head = "doc_id,source,part,relevant,adcode,publish_date\n"
    rows = "a,page.txt,1,false,,\na-2,page.txt,2,true,110000,\nb,other.txt,1,false,,\n"
    (tmp_path / "articles.csv").write_text(head + rows, encoding="utf-8")
    (tmp_path / "measures.csv").write_text("doc_id,start,value,kind\n", encoding="utf-8")
    (tmp_path / "programs.csv").write_text("doc_id,name,category\n", encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    for stem in ("page", "other"):
        record = {"doc": stem, "region": {"adcode": "110000"}, "measures": [], "programs": []}
        (gold / f"{stem}.json").write_text(json.dumps(record), encoding="utf-8")
    result = evaluate_dataset(tmp_path, gold)
    assert result["documents"]["page"]["region"] == {
        "predicted": "110000", "gold": "110000", "ok": True,
    }  # fmt: skip
    assert result["documents"]["other"]["region"]["ok"] is False


def test_bootstrap_intervals_resample_documents() -> None:
    """Intervals come from the documents' counts: one document of two right gives a region
    interval spanning 0 to 1, a set all right a point; the score is the summed counts'."""
    from orgwork.evaluation.evaluate import bootstrap_intervals, summarize

    def doc(region_ok: int, tp: int, fp: int, fn: int) -> dict:
        counts = {"documents": 1, "region_ok": region_ok, "m_tp": tp, "m_fp": fp, "m_fn": fn}
        return {"counts": counts}

    report = {"documents": {"a": doc(1, 8, 0, 2), "b": doc(0, 2, 2, 0), "x": {"error": "-"}}}
    intervals = bootstrap_intervals(report, resamples=500)
    assert intervals["region_accuracy"] == {"score": 0.5, "low": 0.0, "high": 1.0}
    f1 = summarize({"documents": 2, "m_tp": 10, "m_fp": 2, "m_fn": 2})["measures"]["f1"]
    assert intervals["measures_f1"]["score"] == round(f1, 4) == 0.8333
    assert intervals["measures_f1"]["low"] < 0.8333 < intervals["measures_f1"]["high"]
    assert "subject_accuracy" not in intervals  # nothing scored
    assert bootstrap_intervals(report, resamples=500) == intervals  # fixed seed
    same = {"documents": {k: doc(1, 5, 0, 0) for k in "abc"}}
    assert bootstrap_intervals(same)["region_accuracy"] == {"score": 1.0, "low": 1.0, "high": 1.0}


def test_quality_table_scores_the_samples() -> None:
    """tools/quality_table.py (the README's table) scores a set as orgwork eval does."""
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location(
        "quality_table", ROOT / "tools" / "quality_table.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    report = tool.score_set("gold")
    table = tool.quality_table(["gold"]).splitlines()
    assert table[0] == "| measure | samples (3) | target |"
    f1 = report["summary"]["measures"]["f1"]
    assert table[2].startswith("| measures F1 (P / R) | ") and f"{f1:.3f}" in table[2]
    assert table[8].startswith("| subject accuracy | ") and table[8].endswith(" | ≥ 0.85 |")
