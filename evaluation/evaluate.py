"""Score a dataset against gold annotations, by the rules of tests/gold/README.md.

Measures match on kind and value (and unit for headcounts and durations); each gold entry
matches once; optional gold entries are neither rewarded nor penalised. Programmes match
when one name contains the other after quotes and spaces are removed. P/R/F1 are summed
over all documents; qualifier and modality accuracy are over matched measures. The context
fields (subject, period, category) are scored over matched measures whose gold has the field:
a subject or period matches when, quotes and spaces removed, it is equal, or one contains the
other and the shorter has at least two characters (or it so matches one of the gold's
``_alt`` list); a null gold value matches only an empty prediction; a category matches the
gold's ``category`` or one of its ``category_alt``.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import defaultdict
from pathlib import Path

from orgwork.pipeline.dataset import read_table

QUOTES_SPACES = re.compile(r"[\s“”「」『』\"'‘’]")


def _read_csv(path: Path) -> list[dict[str, str]]:
    return list(read_table(path))


def _stem(source: str) -> str:
    return Path(source.split("?")[0]).stem


def _number(text: str) -> float | None:
    return float(text) if text not in ("", None) else None


def _measure_key(kind: str, value: float, unit: str) -> tuple:
    unit_matters = kind in ("headcount", "duration")
    return (kind, round(float(value), 2), unit if unit_matters else "")


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def _greedy_match(predicted: list, gold: list[dict], same, label) -> dict:
    """One-to-one matching in text order: a prediction takes the first unused required gold
    entry it matches, else an optional one (neither rewarded nor penalised), else it is a
    false hit. ``same(p, g)`` says whether they match; ``label(x)`` names an entry."""
    used = [False] * len(gold)
    tp = fp = 0
    pairs, false_hits = [], []
    for p in predicted:
        hit = next(
            (
                i
                for want_optional in (False, True)
                for i, g in enumerate(gold)
                if not used[i] and bool(g.get("optional")) == want_optional and same(p, g)
            ),
            None,
        )
        if hit is None:
            fp += 1
            false_hits.append(label(p))
            continue
        used[hit] = True
        if not gold[hit].get("optional"):
            tp += 1
            pairs.append((p, gold[hit]))
    misses = [label(g) for i, g in enumerate(gold) if not used[i] and not g.get("optional")]
    return {"tp": tp, "fp": fp, "fn": len(misses), "pairs": pairs, "misses": misses,
            "false_hits": false_hits}  # fmt: skip


def match_measures(predicted: list[dict], gold: list[dict]) -> dict:
    """Measures match on kind and value (and unit for headcounts and durations)."""
    return _greedy_match(
        predicted,
        gold,
        lambda p, g: (
            _measure_key(p["kind"], p["value"], p["unit"])
            == _measure_key(g["kind"], g["value"], g["unit"])
        ),
        lambda x: x["text"],
    )


def same_phrase(predicted: str, gold: object, alternatives: list[str] | tuple = ()) -> bool:
    """A subject or period against its gold (rules above): null gold wants an empty one."""
    pred = QUOTES_SPACES.sub("", predicted or "")
    if gold is None:
        return pred == ""
    for want in (gold, *alternatives):
        want = QUOTES_SPACES.sub("", str(want))
        if pred == want:
            return True
        shorter, longer = sorted((pred, want), key=len)
        if len(shorter) >= 2 and shorter in longer:
            return True
    return False


def same_category(predicted: str, gold: dict) -> bool:
    return predicted == gold["category"] or predicted in gold.get("category_alt", ())


CONTEXT_FIELDS = ("subject", "period", "category")


def context_errors(pairs: list[tuple[dict, dict]]) -> dict[str, tuple[int, int, list[str]]]:
    """Per context field: (right, scored, error lines) over matched measures."""
    result = {}
    for field in CONTEXT_FIELDS:
        right = scored = 0
        errors = []
        for p, g in pairs:
            if field not in g:
                continue
            scored += 1
            if field == "category":
                ok = same_category(p.get("category", ""), g)
            else:
                ok = same_phrase(p.get(field, ""), g[field], g.get(f"{field}_alt", ()))
            right += ok
            if not ok:
                errors.append(f"{p['text']}: {p.get(field) or '-'} (gold {g[field] or '-'})")
        result[field] = (right, scored, errors)
    return result


def match_programs(predicted: list[str], gold: list[dict]) -> dict:
    """Programmes match when one name contains the other, quotes and spaces removed."""

    def clean(name: str) -> str:
        return QUOTES_SPACES.sub("", name)

    def same(name: str, g: dict) -> bool:
        n, gn = clean(name), clean(g["name"])
        return n in gn or gn in n

    return _greedy_match(predicted, gold, same, lambda x: x if isinstance(x, str) else x["name"])


def evaluate_dataset(dataset_dir: str | Path, gold_dir: str | Path) -> dict:
    """Scores of the dataset in ``dataset_dir`` against every gold JSON in ``gold_dir``."""
    dataset_dir, gold_dir = Path(dataset_dir), Path(gold_dir)
    articles = _read_csv(dataset_dir / "articles.csv")
    measures = _read_csv(dataset_dir / "measures.csv")
    programs = _read_csv(dataset_dir / "programs.csv")
    by_stem: dict[str, list[dict]] = defaultdict(list)
    for a in articles:
        by_stem[_stem(a["source"])].append(a)
    doc_measures, doc_programs = defaultdict(list), defaultdict(list)
    program_category: dict[tuple[str, str], str] = {}
    for m in measures:
        doc_measures[m["doc_id"]].append(m)
    for p in programs:
        doc_programs[p["doc_id"]].append(p["name"])
        program_category.setdefault((p["doc_id"], p["name"]), p.get("category", ""))

    totals = defaultdict(int)
    documents = {}
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        stem = gold["doc"]
        parts = sorted(by_stem.get(stem, []), key=lambda a: int(a["part"] or 1))
        if not parts:
            documents[stem] = {"error": "not in the dataset"}
            totals["missing_documents"] += 1
            continue
        ids = [a["doc_id"] for a in parts]
        pred_m = [
            {**m, "value": float(m["value"])}
            for i in ids
            for m in sorted(doc_measures[i], key=lambda m: int(m["start"]))
        ]
        pred_p = [name for i in ids for name in doc_programs[i]]
        categories = {name: program_category[(i, name)] for i in ids for name in doc_programs[i]}
        mm = match_measures(pred_m, gold["measures"])
        pm = match_programs(pred_p, gold["programs"])
        counts: dict[str, int] = defaultdict(int)  # this document's share of the totals
        for key in ("tp", "fp", "fn"):
            counts[f"m_{key}"] += mm[key]
            counts[f"p_{key}"] += pm[key]
        qual_ok = sum(p["qualifier"] == g["qualifier"] for p, g in mm["pairs"])
        modal = [(p, g) for p, g in mm["pairs"] if g.get("modality")]
        modal_ok = sum(p["modality"] == g["modality"] for p, g in modal)
        counts["qualifier_ok"] += qual_ok
        counts["matched"] += len(mm["pairs"])
        context = context_errors(mm["pairs"])
        for field, (right, scored, _) in context.items():
            counts[f"{field}_ok"] += right
            counts[f"{field}_n"] += scored
        program_pairs = [(p, g) for p, g in pm["pairs"] if "category" in g]
        program_category_errors = [
            f"{p}: {categories.get(p) or '-'} (gold {g['category']})"
            for p, g in program_pairs
            if not same_category(categories.get(p, ""), g)
        ]
        counts["program_category_n"] += len(program_pairs)
        counts["program_category_ok"] += len(program_pairs) - len(program_category_errors)
        counts["modality_ok"] += modal_ok
        counts["modality_n"] += len(modal)
        main = parts[0]
        # The report's region is its first relevant part's: a part of page furniture split off
        # above it (大众报业集团主办 …) is never mined, so it has none.
        report = next((a for a in parts if a.get("relevant") == "true"), main)
        gold_region = (gold.get("region") or {}).get("adcode") or ""
        region_ok = report["adcode"] == gold_region
        gold_date = gold.get("publish_date") or ""
        date_ok = main["publish_date"] == gold_date
        counts["region_ok"] += region_ok
        counts["date_ok"] += date_ok
        if gold_date:
            counts["dated_n"] += 1
            counts["dated_ok"] += date_ok
        counts["documents"] += 1
        for key, value in counts.items():
            totals[key] += value
        documents[stem] = {
            "measures": _prf(mm["tp"], mm["fp"], mm["fn"]),
            "measure_misses": mm["misses"],
            "measure_false_hits": mm["false_hits"],
            "qualifier_errors": [
                f"{p['text']}: {p['qualifier']} (gold {g['qualifier']})"
                for p, g in mm["pairs"]
                if p["qualifier"] != g["qualifier"]
            ],
            "modality_errors": [
                f"{p['text']}: {p['modality']} (gold {g['modality']})"
                for p, g in modal
                if p["modality"] != g["modality"]
            ],
            **{f"{field}_errors": errors for field, (_, _, errors) in context.items()},
            "programs": _prf(pm["tp"], pm["fp"], pm["fn"]),
            "program_category_errors": program_category_errors,
            "program_misses": pm["misses"],
            "program_false_hits": pm["false_hits"],
            "region": {"predicted": report["adcode"], "gold": gold_region, "ok": region_ok},
            "date": {"predicted": main["publish_date"], "gold": gold_date, "ok": date_ok},
            "counts": dict(counts),
        }
    return {"summary": summarize(totals), "documents": documents}


def summarize(totals: dict[str, int]) -> dict:
    """The scores of summed counts (a document's ``counts`` in evaluate_dataset, or their
    sum over documents)."""
    totals = defaultdict(int, totals)
    n = totals["documents"]

    def share(key: str) -> float:
        return round(totals[f"{key}_ok"] / totals[f"{key}_n"], 4) if totals[f"{key}_n"] else 0.0

    summary = {
        "documents": n,
        "missing_documents": totals["missing_documents"],
        "measures": _prf(totals["m_tp"], totals["m_fp"], totals["m_fn"]),
        "qualifier_accuracy": round(totals["qualifier_ok"] / totals["matched"], 4)
        if totals["matched"]
        else 0.0,
        "modality_accuracy": round(totals["modality_ok"] / totals["modality_n"], 4)
        if totals["modality_n"]
        else 0.0,
        **{f"{field}_accuracy": share(field) for field in CONTEXT_FIELDS},
        **{f"{field}_scored": totals[f"{field}_n"] for field in CONTEXT_FIELDS},
        "programs": _prf(totals["p_tp"], totals["p_fp"], totals["p_fn"]),
        "program_category_accuracy": share("program_category"),
        "region_accuracy": round(totals["region_ok"] / n, 4) if n else 0.0,
        "regions_right": totals["region_ok"],
        "date_accuracy": round(totals["date_ok"] / n, 4) if n else 0.0,
        # over the documents whose gold states a date (the rest only check no date is made up)
        "dated_accuracy": share("dated") if totals["dated_n"] else 1.0,
        "dated": totals["dated_n"],
        "dated_right": totals["dated_ok"],
    }
    return summary


# The scores a bootstrap interval is given for: (label, numerator counts, denominator counts);
# an F1 is 2·tp / (2·tp + fp + fn), the harmonic mean of P and R written with the counts.
INTERVAL_SCORES = {
    "measures_f1": ("measures F1", {"m_tp": 2}, {"m_tp": 2, "m_fp": 1, "m_fn": 1}),
    "measures_precision": ("measures P", {"m_tp": 1}, {"m_tp": 1, "m_fp": 1}),
    "measures_recall": ("measures R", {"m_tp": 1}, {"m_tp": 1, "m_fn": 1}),
    "qualifier_accuracy": ("qualifier", {"qualifier_ok": 1}, {"matched": 1}),
    "modality_accuracy": ("modality", {"modality_ok": 1}, {"modality_n": 1}),
    "programs_f1": ("programmes F1", {"p_tp": 2}, {"p_tp": 2, "p_fp": 1, "p_fn": 1}),
    "region_accuracy": ("region", {"region_ok": 1}, {"documents": 1}),
    "dated_accuracy": ("date (dated gold)", {"dated_ok": 1}, {"dated_n": 1}),
    "subject_accuracy": ("subject", {"subject_ok": 1}, {"subject_n": 1}),
    "period_accuracy": ("period", {"period_ok": 1}, {"period_n": 1}),
    "category_accuracy": ("category", {"category_ok": 1}, {"category_n": 1}),
}


def bootstrap_intervals(
    report: dict, resamples: int = 2000, level: float = 0.95, seed: int = 0
) -> dict[str, dict[str, float]]:
    """Percentile bootstrap intervals of the scores, resampling whole documents (figures of
    one report are not independent of each other). A set of a few dozen reports gives
    intervals several points wide: a score a little under or over a target may be either.
    Fixed seed: the same report gives the same intervals."""
    import numpy as np

    docs = [d["counts"] for d in report["documents"].values() if "counts" in d]
    if not docs:
        return {}
    keys = sorted({k for d in docs for k in d})
    counts = np.array([[d.get(k, 0) for k in keys] for d in docs], dtype=float)
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(len(docs), [1 / len(docs)] * len(docs), size=resamples)
    sums = weights @ counts  # resamples × keys: each resample's summed counts
    column = {k: i for i, k in enumerate(keys)}
    totals = counts.sum(axis=0)

    def combine(terms: dict[str, int], of: np.ndarray) -> np.ndarray:
        """Σ weight × count over ``terms``, along the last axis of ``of``."""
        return sum((w * of[..., column[k]] for k, w in terms.items() if k in column), 0.0)

    tail = (1 - level) / 2 * 100
    found = {}
    for name, (_, top, bottom) in INTERVAL_SCORES.items():
        if not combine(bottom, totals):
            continue  # nothing scored (a set without context fields, say)
        num, den = combine(top, sums), combine(bottom, sums)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(den > 0, num / den, np.nan)
        low, high = np.nanpercentile(scores, [tail, 100 - tail])
        found[name] = {
            "score": round(float(combine(top, totals) / combine(bottom, totals)), 4),
            "low": round(float(low), 4),
            "high": round(float(high), 4),
        }
    return found


def format_intervals(intervals: dict[str, dict[str, float]], resamples: int = 2000) -> str:
    lines = [f"95% intervals (bootstrap over documents, {resamples} resamples):"]
    for name, iv in intervals.items():
        label = INTERVAL_SCORES[name][0]
        lines.append(f"  {label:<18} {iv['score']:.3f}  [{iv['low']:.3f}, {iv['high']:.3f}]")
    return "\n".join(lines)


def format_report(report: dict) -> str:
    s = report["summary"]
    lines = [
        f"documents scored: {s['documents']} (missing from dataset: {s['missing_documents']})",
        f"measures   P {s['measures']['precision']:.3f}  R {s['measures']['recall']:.3f}  "
        f"F1 {s['measures']['f1']:.3f}  (tp {s['measures']['tp']}, fp {s['measures']['fp']}, "
        f"fn {s['measures']['fn']})",
        f"qualifier accuracy {s['qualifier_accuracy']:.3f}   "
        f"modality accuracy {s['modality_accuracy']:.3f}",
        f"programmes P {s['programs']['precision']:.3f}  R {s['programs']['recall']:.3f}  "
        f"F1 {s['programs']['f1']:.3f}  (tp {s['programs']['tp']}, fp {s['programs']['fp']}, "
        f"fn {s['programs']['fn']})",
        f"subject accuracy {s['subject_accuracy']:.3f} ({s['subject_scored']} scored)   "
        f"period accuracy {s['period_accuracy']:.3f}   category accuracy "
        f"{s['category_accuracy']:.3f}   programme category {s['program_category_accuracy']:.3f}",
        f"region accuracy {s['region_accuracy']:.3f} ({s['regions_right']}/{s['documents']})   "
        f"date accuracy {s['date_accuracy']:.3f} (of dated gold: {s['dated_right']}/{s['dated']})",
    ]
    for stem, d in report["documents"].items():
        if "error" in d:
            lines.append(f"  {stem}: {d['error']}")
            continue
        problems = []
        for key in ("measure_misses", "measure_false_hits", "qualifier_errors", "modality_errors",
                    "subject_errors", "period_errors", "category_errors", "program_misses",
                    "program_false_hits", "program_category_errors"):  # fmt: skip
            if d[key]:
                problems.append(f"{key.replace('_', ' ')}: {'、'.join(map(str, d[key]))}")
        if not d["region"]["ok"]:
            problems.append(
                f"region {d['region']['predicted'] or '-'} (gold {d['region']['gold'] or '-'})"
            )
        if not d["date"]["ok"]:
            problems.append(
                f"date {d['date']['predicted'] or '-'} (gold {d['date']['gold'] or '-'})"
            )
        lines.append(f"  {stem}: " + ("; ".join(problems) if problems else "all right"))
    return "\n".join(lines)


FLOOR_KEYS = {
    "measures_f1": lambda s: s["measures"]["f1"],
    "qualifier_accuracy": lambda s: s["qualifier_accuracy"],
    "modality_accuracy": lambda s: s["modality_accuracy"],
    "programs_f1": lambda s: s["programs"]["f1"],
    "region_accuracy": lambda s: s["region_accuracy"],
    "date_accuracy": lambda s: s["date_accuracy"],
    "dated_accuracy": lambda s: s["dated_accuracy"],
    "subject_accuracy": lambda s: s["subject_accuracy"],
    "period_accuracy": lambda s: s["period_accuracy"],
    "category_accuracy": lambda s: s["category_accuracy"],
    "program_category_accuracy": lambda s: s["program_category_accuracy"],
}


def load_floors(path: str | Path) -> dict[str, float]:
    floors = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    unknown = set(floors) - set(FLOOR_KEYS)
    if unknown:
        raise ValueError(
            f"{path}: unknown floor keys {sorted(unknown)}; known: {sorted(FLOOR_KEYS)}"
        )
    return {k: float(v) for k, v in floors.items()}


def check_floors(report: dict, floors: dict[str, float]) -> list[str]:
    """The scores below their floor, as readable lines (empty when all pass)."""
    s = report["summary"]
    failed = [
        f"{key} {FLOOR_KEYS[key](s):.4f} < {floor}"
        for key, floor in floors.items()
        if FLOOR_KEYS[key](s) < floor
    ]
    if s["missing_documents"]:
        failed.append(f"{s['missing_documents']} gold document(s) missing from the dataset")
    return failed
