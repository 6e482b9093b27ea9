"""Train and cross-validate a small model of a measure's category over the rules' output.

    python tools/train_category.py [--out extractors/data/category_model.json] [--folds 5]

Every tuning set (the samples' tests/gold with corpus/samples, tests/real/dev, own, own2,
own3: never holdout or fresh*) goes through the pipeline in this process, as
tools/quality_table.py runs it; its measures are matched to the gold ones as orgwork eval
matches them (orgwork.evaluation.evaluate.match_measures). Each matched measure whose gold
has a category gives one example: the features of context.category_features (the rules'
own category, the taxonomy keywords' categories in the figure's clause, sentence, paragraph
and headline, unit, kind, the counted phrase's head) and the gold category. A multinomial
logistic regression (numpy, L2) is scored by cross-validation grouped by document against
the rules alone (a hit: the gold category or one of its category_alt), then trained on all
examples and written to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from orgwork.batch import list_sources, process_batch
from orgwork.evaluation.evaluate import _read_csv, _stem, match_measures
from orgwork.extractors.context import (
    OTHER,
    KeywordIndex,
    Rules,
    _paragraph,
    clause_bounds,
    load_rules,
)
from orgwork.pipeline.dataset import write_dataset
from orgwork.pipeline.document import Document, Measure

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "tests" / "real"
TUNING_SETS = ["gold", "dev", "own", "own2", "own3"]  # never holdout, never fresh*
MODEL_PATH = ROOT / "extractors" / "data" / "category_model.json"


def category_features(
    doc: Document,
    m: Measure,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    rules_category: str,
    keywords: KeywordIndex,
    rules: Rules,
) -> dict[str, float]:
    """The features the model weighs for ``m``: the rules' own category, the taxonomy
    keywords' categories counted in the figure's clause, sentence, paragraph and headline
    (log-scaled counts), its unit and kind, and the category of the counted phrase's head
    when that is a keyword (选调生, 后备干部)."""
    features = {f"rules={rules_category}": 1.0, f"unit={m.unit}": 1.0, f"kind={m.kind}": 1.0}
    stretches = {
        "clause": clause,
        "sentence": sentence,
        "paragraph": _paragraph(doc.text, m.start),
        "headline": (0, len(doc.title)),
    }
    for name, (lo, hi) in stretches.items():
        counts: dict[str, int] = {}
        for _, _, c in keywords(lo, hi):
            counts[c] = counts.get(c, 0) + 1
        for c, n in counts.items():
            features[f"{name}:{c}"] = math.log1p(n)
    head = [w.group(0) for w in rules.category_words.finditer(m.subject)]
    if head and m.subject.endswith(head[-1]):
        features[f"head:{rules.word_category[head[-1]]}"] = 1.0
    return features


def measure_features(doc: Document, m: Measure, keywords: KeywordIndex) -> dict[str, float]:
    """category_features of a measure add_context has filled (its category: the rules')."""
    rules = load_rules()
    sentence = doc.sentence_at(m.start)
    clause = clause_bounds(doc.text, m.start, m.end, sentence, m.subject)
    return category_features(doc, m, sentence, clause, m.category, keywords, rules)


@dataclass
class CategoryModel:
    """Weights of a softmax regression over category_features: one row per feature."""

    classes: list[str]
    bias: np.ndarray
    weights: dict[str, np.ndarray]

    def predict(self, features: dict[str, float]) -> str:
        z = self.bias.copy()
        for f, v in features.items():
            if f in self.weights:
                z += v * self.weights[f]
        return self.classes[int(z.argmax())]


def load_model(path: str | Path = MODEL_PATH) -> CategoryModel:
    """The model written by this tool, checked: known categories, one weight per class."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    classes = raw.get("classes")
    known = {*load_rules().taxonomy, OTHER}
    if not classes or not set(classes) <= known or len(set(classes)) != len(classes):
        raise ValueError(f"{path}: classes must be distinct categories of the taxonomy")
    rows = {"bias": raw.get("bias"), **raw.get("weights", {})}
    bad = [f for f, row in rows.items() if not isinstance(row, list) or len(row) != len(classes)]
    if bad:
        raise ValueError(f"{path}: one weight per class wanted for {', '.join(bad[:3])}")
    return CategoryModel(
        classes,
        np.array(raw["bias"], dtype=float),
        {f: np.array(row, dtype=float) for f, row in raw["weights"].items()},
    )


def set_examples(name: str) -> list[dict]:
    """(document, features, rules' category, gold category and its alternatives) of every
    matched measure of one tuning set whose gold has a category."""
    docs_dir, gold_dir = (
        (ROOT / "corpus" / "samples", ROOT / "tests" / "gold")
        if name == "gold"
        else (REAL / name / "docs", REAL / name / "gold")
    )
    result = process_batch(list_sources([docs_dir]))
    by_id = {d.doc_id: d for d in result.documents}
    keyword_cache: dict[str, KeywordIndex] = {}
    rules = load_rules()
    with tempfile.TemporaryDirectory() as out:
        write_dataset(result.documents, result.errors, out)
        articles = _read_csv(Path(out) / "articles.csv")
        measures = _read_csv(Path(out) / "measures.csv")
    parts_of: dict[str, list[dict]] = defaultdict(list)
    for a in articles:
        parts_of[_stem(a["source"])].append(a)
    doc_measures: dict[str, list[dict]] = defaultdict(list)
    for row in measures:
        doc_measures[row["doc_id"]].append(row)
    examples = []
    for path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        parts = sorted(parts_of.get(gold["doc"], []), key=lambda a: int(a["part"] or 1))
        predicted = [
            {**row, "value": float(row["value"])}
            for a in parts
            for row in sorted(doc_measures[a["doc_id"]], key=lambda r: int(r["start"]))
        ]
        for p, g in match_measures(predicted, gold["measures"])["pairs"]:
            if "category" not in g:
                continue
            doc = by_id[p["doc_id"]]
            m = next(m for m in doc.measures if m.start == int(p["start"]))
            if doc.doc_id not in keyword_cache:
                keyword_cache[doc.doc_id] = KeywordIndex(doc.text, rules)
            gold_set = {g["category"], *g.get("category_alt", ())}
            features = measure_features(doc, m, keyword_cache[doc.doc_id])
            examples.append(
                {
                    "group": f"{name}/{gold['doc']}",
                    "features": features,
                    "rules": m.category,
                    "gold": gold_set,
                    # the acceptable answer nearest the rules: an alternative the rules
                    # chose is no error to train away
                    "label": m.category if m.category in gold_set else g["category"],
                }
            )
    return examples


def design(examples: list[dict], vocabulary: list[str]) -> np.ndarray:
    index = {f: i for i, f in enumerate(vocabulary)}
    x = np.zeros((len(examples), len(vocabulary)))
    for row, e in enumerate(examples):
        for f, v in e["features"].items():
            if f in index:
                x[row, index[f]] = v
    return x


def fit(x: np.ndarray, y: np.ndarray, classes: int, l2: float, steps: int = 600) -> np.ndarray:
    """Weights (features + bias, classes) of a softmax regression by full-batch gradient
    descent with an L2 penalty (the bias unpenalised): a few lines, no scikit-learn."""
    xb = np.hstack([x, np.ones((len(x), 1))])
    w = np.zeros((xb.shape[1], classes))
    target = np.eye(classes)[y]
    penalty = np.ones((xb.shape[1], 1))
    penalty[-1] = 0.0
    rate = 0.5
    for _ in range(steps):
        z = xb @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = xb.T @ (p - target) / len(xb) + l2 * penalty * w
        w -= rate * grad
    return w


def predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return (np.hstack([x, np.ones((len(x), 1))]) @ w).argmax(axis=1)


def folds_by_group(examples: list[dict], k: int) -> list[int]:
    """A fold per example, every document's examples in one fold (documents shuffled with
    a fixed seed, dealt round-robin)."""
    groups = sorted({e["group"] for e in examples})
    order = np.random.default_rng(0).permutation(len(groups))
    fold_of = {groups[g]: i % k for i, g in enumerate(order)}
    return [fold_of[e["group"]] for e in examples]


MIN_SEEN = 3  # a feature seen in fewer training examples is noise, not evidence


def vocabulary_of(examples: list[dict]) -> list[str]:
    seen = Counter(f for e in examples for f in e["features"])
    return sorted(f for f, n in seen.items() if n >= MIN_SEEN)


def cross_validate(examples: list[dict], classes: list[str], k: int, l2: float) -> dict:
    """Share right of the rules and of the model (trained on the other folds), over all
    examples and per set: {set or "all": (rules, model, examples)}."""
    fold = np.array(folds_by_group(examples, k))
    y = np.array([classes.index(e["label"]) for e in examples])
    model_right = [False] * len(examples)
    for f in range(k):
        train = [e for e, i in zip(examples, fold, strict=True) if i != f]
        test = [i for i in range(len(examples)) if fold[i] == f]
        vocabulary = vocabulary_of(train)
        w = fit(design(train, vocabulary), y[fold != f], len(classes), l2)
        guess = predict(w, design([examples[i] for i in test], vocabulary))
        for i, c in zip(test, guess, strict=True):
            model_right[i] = classes[c] in examples[i]["gold"]
    scores = {}
    for name in ["all", *dict.fromkeys(e["group"].split("/")[0] for e in examples)]:
        rows = [i for i, e in enumerate(examples) if name in ("all", e["group"].split("/")[0])]
        rules = sum(examples[i]["rules"] in examples[i]["gold"] for i in rows) / len(rows)
        model = sum(model_right[i] for i in rows) / len(rows)
        scores[name] = (rules, model, len(rows))
    return scores


def model_json(w: np.ndarray, vocabulary: list[str], classes: list[str]) -> dict:
    """The weights as data: features whose weights all round to 0 left out."""
    rounded = np.round(w, 2)
    kept = [i for i in range(len(vocabulary)) if np.any(rounded[i] != 0)]
    return {
        "classes": classes,
        "bias": rounded[-1].tolist(),
        "weights": {vocabulary[i]: rounded[i].tolist() for i in kept},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(MODEL_PATH), help="where the weights go")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--l2", type=float, default=0.001)
    parser.add_argument("--sets", default=",".join(TUNING_SETS))
    args = parser.parse_args()
    sets = [s for s in args.sets.split(",") if s]
    if bad := [s for s in sets if s.startswith(("holdout", "fresh"))]:
        print(f"train_category: not a tuning set: {', '.join(bad)}", file=sys.stderr)
        return 2
    examples = [e for s in sets for e in set_examples(s)]
    classes = sorted({e["label"] for e in examples} | set(load_rules().taxonomy) | {OTHER})
    cv = cross_validate(examples, classes, args.folds, args.l2)
    print(f"category, {args.folds}-fold CV grouped by document (l2 {args.l2}): rules / model")
    for name, (rules, model, n) in cv.items():
        print(f"  {'samples' if name == 'gold' else name:8} {rules:.3f} / {model:.3f}  ({n})")
    vocabulary = vocabulary_of(examples)
    y = np.array([classes.index(e["label"]) for e in examples])
    w = fit(design(examples, vocabulary), y, len(classes), args.l2)
    Path(args.out).write_text(
        json.dumps(model_json(w, vocabulary, classes), ensure_ascii=False, separators=(",", ":"))
        + "\n",
        encoding="utf-8",
    )
    print(f"weights: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
