"""orgwork as a spaCy component: found by name through the entry point, the same records as
the pipeline's own extraction, as Spans on the Doc."""

from __future__ import annotations

import pytest

import orgwork

spacy = pytest.importorskip("spacy")

REPORT = (
    "晋江举办年轻干部专题培训\n2022年以来，晋江市委组织部先后举办“强素质”专题培训21期，"
    "轮训干部800多人次，选派120名年轻干部到基层挂职锻炼。\n"
)


@pytest.fixture(scope="module")
def nlp():
    from orgwork.pipeline.segment import load_jieba

    load_jieba()  # jieba with the domain dictionary, as the pipeline segments
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    nlp.add_pipe("orgwork")  # by name: spaCy's entry point, no import of orgwork needed
    return nlp


def test_component_is_registered_by_entry_point() -> None:
    from importlib.metadata import entry_points

    [point] = entry_points(group="spacy_factories", name="orgwork")
    assert point.value == "orgwork.spacy_component:make_orgwork"


def test_measures_programmes_region_on_the_doc(nlp) -> None:
    doc = nlp(REPORT)
    [article] = orgwork.extract(REPORT)
    assert article.text == doc.text  # clean Simplified text: normalize keeps it as it is
    spans = doc.spans["orgwork_measures"]
    assert [(s._.orgwork.start, s._.orgwork.end, s._.orgwork.value) for s in spans] == [
        (m.start, m.end, m.value) for m in article.measures
    ]
    assert [s.label_ for s in spans] == [m.kind for m in article.measures]
    assert [s._.orgwork.category for s in spans] == [m.category for m in article.measures]
    for s in spans:  # the Span covers the figure's characters
        assert s.start_char <= s._.orgwork.start < s._.orgwork.end <= s.end_char
    assert [s._.orgwork.name for s in doc.spans["orgwork_programs"]] == ["强素质"]
    assert doc._.orgwork_region.name == "晋江市" and doc._.orgwork_relevant


def test_relevance_gate(nlp) -> None:
    doc = nlp("今天天气很好，我们去公园散步了3个小时。")
    assert doc._.orgwork_relevant is False and len(doc.spans["orgwork_measures"]) == 0
    ungated = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ungated.add_pipe("orgwork", config={"relevance_gate": False})
    assert ungated("选派120名年轻干部到基层挂职锻炼。")._.orgwork_relevant is True


def test_readme_example(capsys) -> None:
    import re

    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### In a spaCy pipeline") :]
    exec(re.search(r"```python\n(.*?)```", section, re.S).group(1), {})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:3] == ["21期", "count", "21"]
    assert lines[-1] == "晋江市 ['强素质']"
