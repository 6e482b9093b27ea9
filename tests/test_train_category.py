"""tools/train_category.py, the category model experiment: its feature builder on a sentence,
its softmax regression on a problem it must learn, and the checks of its weights file."""

from __future__ import annotations

import importlib.util
import json
import sys

import numpy as np
import pytest

from orgwork.extractors.context import KeywordIndex, load_rules
from orgwork.stages import extract_document
from tests.conftest import ROOT, make_doc


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location(
        "train_category", ROOT / "tools" / "train_category.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def test_features_of_a_figure(tool) -> None:
    doc = extract_document(
        make_doc(
            "全县选派20名年轻干部到村挂职。举办培训班3期，新增12名后备干部。",
            title="某县后备干部培养",
        )
    )
    first = next(m for m in doc.measures if m.value == 20)
    features = tool.measure_features(doc, first, KeywordIndex(doc.text, load_rules()))
    assert features[f"rules={first.category}"] == 1.0
    assert features["unit=人"] == 1.0 and features["kind=headcount"] == 1.0
    assert features["clause:secondment"] > 0  # 选派, 挂职
    assert "clause:training" not in features and features["sentence:secondment"] > 0
    assert features["paragraph:training"] > 0  # 培训班 in the next sentence of its line
    assert features["headline:reserve_pool"] > 0  # 后备干部
    third = next(m for m in doc.measures if m.value == 3)
    of_third = tool.measure_features(doc, third, KeywordIndex(doc.text, load_rules()))
    assert "clause:secondment" not in of_third
    assert not any(f.startswith("head:") for f in of_third)  # 培训班: no keyword at its end
    last = next(m for m in doc.measures if m.value == 12)
    of_last = tool.measure_features(doc, last, KeywordIndex(doc.text, load_rules()))
    assert of_last["head:reserve_pool"] == 1.0  # its counted phrase 后备干部 is a keyword


def test_fit_learns_and_the_written_model_loads(tool, tmp_path) -> None:
    examples = [
        {"features": {"clause:training": 1.0}, "label": "training"},
        {"features": {"clause:rotation": 1.0}, "label": "rotation"},
    ] * 10
    classes = ["rotation", "training"]
    vocabulary = tool.vocabulary_of(examples)
    y = np.array([classes.index(e["label"]) for e in examples])
    w = tool.fit(tool.design(examples, vocabulary), y, len(classes), l2=0.001)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(tool.model_json(w, vocabulary, classes)), encoding="utf-8")
    model = tool.load_model(path)
    assert model.predict({"clause:training": 1.0}) == "training"
    assert model.predict({"clause:rotation": 1.0, "unit=名": 1.0}) == "rotation"


@pytest.mark.parametrize(
    "broken",
    [
        {"classes": ["training", "poetry"], "bias": [0, 0], "weights": {}},
        {"classes": ["training", "other"], "bias": [0], "weights": {}},
        {"classes": ["training", "other"], "bias": [0, 0], "weights": {"unit=名": [1]}},
    ],
)
def test_a_broken_model_file_is_refused(tool, tmp_path, broken) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(ValueError, match=r"classes|one weight per class"):
        tool.load_model(path)
