"""Print the README's "Extraction quality" table: every annotated set scored as it stands.

    python tools/quality_table.py [--intervals] [--sets gold,dev,own,...]

Each set goes through the pipeline in this process (as tests/test_real.py runs it: no Prefect,
no cache) and is scored by orgwork.evaluation against its gold. ``--intervals`` adds each
score's 95% bootstrap interval (documents resampled; orgwork eval --intervals). A figure
meeting the target of issue "real" is bold. The samples' set is tests/gold with the texts of
corpus/samples; every other set is tests/real/<name>.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from orgwork.batch import list_sources, process_batch
from orgwork.evaluation.evaluate import FLOOR_KEYS, bootstrap_intervals, evaluate_dataset
from orgwork.pipeline.dataset import write_dataset

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "real"
DEFAULT_SETS = [
    "gold",
    "dev",
    "own",
    "own2",
    "own3",
    "fresh2",
    "fresh3",
    "holdout",
    "fresh",
    "fresh4",
    "fresh5",
]

# (row label, score key: orgwork.evaluation's FLOOR_KEYS and interval keys, target)
ROWS = [
    ("measures F1 (P / R)", "measures_f1", 0.95),
    ("qualifier accuracy", "qualifier_accuracy", 0.98),
    ("modality accuracy", "modality_accuracy", 0.92),
    ("programmes F1 (P / R)", "programs_f1", 0.85),
    ("region (with adcode)", "region_accuracy", 0.95),
    ("publish date (gold dated)", "dated_accuracy", 0.90),
    ("subject accuracy", "subject_accuracy", 0.85),
    ("period accuracy", "period_accuracy", 0.90),
    ("category accuracy", "category_accuracy", 0.85),
]


def _detail(key: str, s: dict) -> str:
    """What a row's cell shows after its score: P / R, or the counts behind a share."""
    if key in ("measures_f1", "programs_f1"):
        prf = s[key.removesuffix("_f1")]
        return f"({prf['precision']:.3f} / {prf['recall']:.3f})"
    if key == "region_accuracy":
        return f"({s['regions_right']} / {s['documents']})"
    if key == "dated_accuracy":
        return f"({s['dated_right']} / {s['dated']})"
    return ""


def score_set(name: str) -> dict:
    """The evaluation report of one set, its intervals under ``intervals``."""
    docs, gold = (
        (ROOT / "corpus" / "samples", ROOT / "tests" / "gold")
        if name == "gold"
        else (REAL / name / "docs", REAL / name / "gold")
    )
    result = process_batch(list_sources([docs]))
    with tempfile.TemporaryDirectory() as out:
        write_dataset(result.documents, result.errors, out)
        report = evaluate_dataset(out, gold)
    report["intervals"] = bootstrap_intervals(report)
    return report


def _cell(report: dict, key: str, target: float, intervals: bool) -> str:
    s = report["summary"]
    if key not in report["intervals"]:
        return "–"  # nothing of this kind scored in the set
    value = FLOOR_KEYS[key](s)
    text = f"**{value:.3f}**" if value >= target else f"{value:.3f}"
    if more := _detail(key, s):
        text += f" {more}"
    if intervals:
        iv = report["intervals"][key]
        text += f" [{iv['low']:.2f}, {iv['high']:.2f}]"
    return text


def quality_table(sets: list[str], intervals: bool = False) -> str:
    reports = {name: score_set(name) for name in sets}
    head = [
        f"{'samples' if n == 'gold' else n} ({reports[n]['summary']['documents']})" for n in sets
    ]
    lines = [
        "| measure | " + " | ".join(head) + " | target |",
        "| --- | " + " | ".join("---" for _ in sets) + " | --- |",
    ]
    for label, key, target in ROWS:
        cells = [_cell(reports[n], key, target, intervals) for n in sets]
        lines.append(f"| {label} | " + " | ".join(cells) + f" | ≥ {target:.2f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intervals", action="store_true", help="add 95%% bootstrap intervals")
    parser.add_argument("--sets", default=",".join(DEFAULT_SETS), help="comma-separated sets")
    args = parser.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    missing = [s for s in sets if s != "gold" and not (REAL / s / "gold").is_dir()]
    if missing:
        print(f"quality_table: no such set: {', '.join(missing)}", file=sys.stderr)
        return 2
    print(quality_table(sets, args.intervals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
