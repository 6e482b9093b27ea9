"""Score gate on real reports (tests/real/<set>/: docs, gold, floors.toml): each set through the
pipeline, scored against its gold, every score at or above its floor. The floors sit a little
under what the extractors measure (raised as they rise, never 1.0 on a set they were tuned on).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orgwork.batch import list_sources, process_batch
from orgwork.evaluation.evaluate import check_floors, evaluate_dataset, format_report, load_floors
from orgwork.pipeline.dataset import write_dataset

REAL = Path(__file__).parent / "real"
SETS = sorted(p.name for p in REAL.iterdir() if (p / "floors.toml").exists())


@pytest.mark.parametrize("name", SETS)
def test_real_set_holds_its_floors(name: str, tmp_path: Path) -> None:
    folder = REAL / name
    result = process_batch(list_sources([folder / "docs"]))
    assert result.errors == []
    write_dataset(result.documents, result.errors, tmp_path)
    report = evaluate_dataset(tmp_path, folder / "gold")
    failed = check_floors(report, load_floors(folder / "floors.toml"))
    assert failed == [], format_report(report)


def test_context_fields_are_scored_by_the_gold_rules() -> None:
    from orgwork.evaluation.evaluate import context_errors, same_phrase

    assert same_phrase("优秀年轻干部", "年轻干部")  # one contains the other, shorter ≥ 2
    assert not same_phrase("部", "干部")  # the shorter has one character
    assert same_phrase("“强素质”专题培训", "强素质专题培训")  # quotes and spaces removed
    assert same_phrase("学员", "培训学员", ["学员"])
    assert not same_phrase("", "年轻干部")
    assert same_phrase("", None) and not same_phrase("干部", None)
    gold = {"text": "3名", "subject": "导师", "period": None, "category": "mentoring",
            "category_alt": ["training"]}  # fmt: skip
    right = {"text": "3名", "subject": "成长导师", "period": "", "category": "training"}
    wrong = {"text": "3名", "subject": "工作经验", "period": "今年", "category": "talent"}
    scores = context_errors([(right, gold), (wrong, gold)])
    assert {f: s[:2] for f, s in scores.items()} == {
        "subject": (1, 2), "period": (1, 2), "category": (1, 2)}  # fmt: skip
    assert scores["subject"][2] == ["3名: 工作经验 (gold 导师)"]
