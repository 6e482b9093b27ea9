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
from collections.abc import Callable
from pathlib import Path

from orgwork.batch import list_sources, process_batch
from orgwork.evaluation.evaluate import bootstrap_intervals, evaluate_dataset
from orgwork.pipeline.dataset import write_dataset

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "real"
DEFAULT_SETS = ["gold", "dev", "own", "own2", "holdout", "fresh", "fresh2"]

# (row label, interval key, score of a summary, target, formatted cell)
Row = tuple[str, str, Callable[[dict], float], float, Callable[[dict], str]]


def _prf(key: str) -> Callable[[dict], str]:
    return lambda s: f"({s[key]['precision']:.3f} / {s[key]['recall']:.3f})"


ROWS: list[Row] = [
    ("measures F1 (P / R)", "measures_f1", lambda s: s["measures"]["f1"], 0.95, _prf("measures")),
    ("qualifier accuracy", "qualifier_accuracy", lambda s: s["qualifier_accuracy"], 0.98,
     lambda s: ""),
    ("modality accuracy", "modality_accuracy", lambda s: s["modality_accuracy"], 0.92,
     lambda s: ""),
    ("programmes F1 (P / R)", "programs_f1", lambda s: s["programs"]["f1"], 0.85,
     _prf("programs")),
    ("region (with adcode)", "region_accuracy", lambda s: s["region_accuracy"], 0.95,
     lambda s: f"({s['regions_right']} / {s['documents']})"),
    ("publish date (gold dated)", "dated_accuracy", lambda s: s["dated_accuracy"], 0.90,
     lambda s: f"({s['dated_right']} / {s['dated']})"),
    ("subject accuracy", "subject_accuracy", lambda s: s["subject_accuracy"], 0.85,
     lambda s: ""),
    ("period accuracy", "period_accuracy", lambda s: s["period_accuracy"], 0.90, lambda s: ""),
    ("category accuracy", "category_accuracy", lambda s: s["category_accuracy"], 0.85,
     lambda s: ""),
]  # fmt: skip


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


def _cell(report: dict, row: Row, intervals: bool) -> str:
    _, key, score, target, detail = row
    s = report["summary"]
    if key not in report["intervals"]:
        return "–"  # nothing of this kind scored in the set
    value = score(s)
    text = f"**{value:.3f}**" if value >= target else f"{value:.3f}"
    if more := detail(s):
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
    for row in ROWS:
        cells = [_cell(reports[n], row, intervals) for n in sets]
        lines.append(f"| {row[0]} | " + " | ".join(cells) + f" | ≥ {row[3]:.2f} |")
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
