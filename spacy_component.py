"""orgwork as a spaCy pipeline component: ``nlp.add_pipe("orgwork")`` on a Chinese pipeline.

Registered through spaCy's entry points (pyproject.toml: ``spacy_factories``), so a spaCy
project needs only ``pip install orgwork``. The component calls the same extractors as a run
(orgwork.extractors.find_facts / add_details) on ``doc.text``, with the pipeline's own
tokens standing in for the segment stage; it writes

- ``doc.spans["orgwork_measures"]``: one Span per figure, label = its kind (headcount,
  percentage, count, duration); ``span._.orgwork`` is the Measure record (value, unit,
  qualifier, subject, period, modality, category, program, exact start/end);
- ``doc.spans["orgwork_programs"]``: one Span per programme, label = its type word;
  ``span._.orgwork`` is the Program record;
- ``doc._.orgwork_region``: the Region (name, province, prefecture, county, adcode …) or None;
- ``doc._.orgwork_relevant``: whether the text passed the relevance gate (no figures else).

``doc.text`` is taken as clean Simplified text, as the normalize stage makes it (give the
component the text of ``orgwork.extract(...)[0].text``, or plain Simplified text). A figure's
Span covers the tokens around its characters (``alignment_mode="expand"``: jieba may cut
800多人次 as 800 / 多 / 人次 or 1800/多名 inside a token); its exact characters are
``span._.orgwork.start`` … ``end``.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from orgwork.extractors import add_details, find_facts
from orgwork.pipeline.document import Document
from orgwork.pipeline.normalize import is_relevant, load_rules
from orgwork.pipeline.segment import load_jieba, split_sentences

MEASURES, PROGRAMS = "orgwork_measures", "orgwork_programs"

for _target, _name in ((Span, "orgwork"), (Doc, "orgwork_region"), (Doc, "orgwork_relevant")):
    if not _target.has_extension(_name):
        _target.set_extension(_name, default=None)


class OrgworkComponent:
    """The spaCy component; ``relevance_gate=False`` mines every text (the gate keeps a
    run's unrelated articles, ads and menus out of the tables)."""

    def __init__(self, nlp: Language, name: str, relevance_gate: bool = True):
        self.name = name
        self.relevance_gate = relevance_gate
        load_jieba()  # the domain dictionary, into the jieba that spaCy's segmenter calls

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        record = Document(
            source=doc.user_data.get("orgwork_source", "<spacy>"),
            text=text,
            relevant=not self.relevance_gate or is_relevant(text, load_rules()),
        )
        record.sentences = split_sentences(text)
        find_facts(record)
        record.tokens = [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
        add_details(record)
        doc._.orgwork_relevant = record.relevant
        doc._.orgwork_region = record.region
        doc.spans[MEASURES] = [self._span(doc, m.start, m.end, m.kind, m) for m in record.measures]
        doc.spans[PROGRAMS] = [
            self._span(doc, p.start, p.end, p.type or "programme", p) for p in record.programs
        ]
        return doc

    @staticmethod
    def _span(doc: Doc, start: int, end: int, label: str, value: Any) -> Span:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        span._.orgwork = value  # the record of this span (a Span's extension is per span)
        return span


@Language.factory("orgwork", default_config={"relevance_gate": True})
def make_orgwork(nlp: Language, name: str, relevance_gate: bool) -> OrgworkComponent:
    return OrgworkComponent(nlp, name, relevance_gate)
