"""The one record passed between stages, and the records extractors attach to it.

Every span (start, end) indexes ``Document.text``, the stored normalized Simplified text,
which is written verbatim to ``texts/<doc_id>.txt``.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import dataclass, field

# A first line or page title longer than this is prose (or junk), not a headline: it gives
# no title. Real headlines stay far below it (the longest of the saved pages: 150).
MAX_TITLE_CHARS = 200


def make_id(*parts: object, length: int = 16) -> str:
    """Stable id from content: the same inputs give the same id on every machine."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return digest[:length]


@dataclass
class Region:
    name: str
    adcode: str
    province: str
    prefecture: str = ""
    county: str = ""
    admin_level: str = "county"  # province | prefecture | county
    start: int = -1  # the mention that decided it (-1: from a hint or the outlet)
    end: int = -1
    current_adcode: str = ""  # a unit abolished or renamed since: the current unit's code


@dataclass
class Measure:
    kind: str  # headcount | percentage | count | duration
    value: float
    unit: str
    qualifier: str  # exact | more_than | at_least | less_than | at_most | approx
    start: int
    end: int
    text: str
    value_max: float | None = None
    subject: str = ""
    period: str = ""
    modality: str = "reported"  # reported | planned
    category: str = ""
    program: str = ""
    sentence: str = ""
    measure_id: str = ""


@dataclass
class Program:
    name: str  # core name, no quotes
    full_name: str  # with its type word
    type: str
    start: int
    end: int
    text: str
    category: str = ""
    sentence: str = ""
    mentions: int = 1
    program_id: str = ""


@dataclass
class Document:
    source: str  # path relative to the corpus root, or URL
    sha256: str = ""  # of the raw bytes
    url: str = ""
    part: int = 0  # >0 for the 2nd, 3rd … article split off one page
    encoding: str = ""
    raw_text: str = ""  # decoded, before normalization (emptied once normalized)
    is_html: bool = False  # read from an HTML page (its byline bar read by ingest)
    html_title: str = ""
    text: str = ""  # normalized Simplified text; every span indexes this
    script: str = ""  # simplified | traditional | mixed
    title: str = ""  # at most MAX_TITLE_CHARS
    outlet: str = ""
    author: str = ""
    publish_date: str = ""  # YYYY-MM-DD, YYYY-MM (a periodical issue) or ""
    relevant: bool = False
    region: Region | None = None
    region_hint: str = ""
    tokens: list[tuple[int, int]] = field(default_factory=list)  # (start, end) per token
    sentences: list[tuple[int, int]] = field(default_factory=list)
    unusable: list[tuple[int, int]] = field(default_factory=list)  # spans no fact is read from
    measures: list[Measure] = field(default_factory=list)
    programs: list[Program] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # repairs and decisions, for the run log

    @property
    def doc_id(self) -> str:
        base = self.sha256[:16]
        return base if self.part == 0 else f"{base}-{self.part + 1}"

    def token_texts(self) -> list[str]:
        return [self.text[s:e] for s, e in self.tokens]

    def sentence_at(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding character ``pos`` (the whole text when
        none does). Sentences are in text order and do not overlap."""
        i = bisect.bisect_right(self.sentences, (pos, float("inf"))) - 1
        if i >= 0 and pos < self.sentences[i][1]:
            return self.sentences[i]
        return 0, len(self.text)

    def is_unusable(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.unusable)


class DocumentError(Exception):
    """A document that cannot go through a stage; recorded in errors.csv, the run goes on."""

    def __init__(self, stage: str, message: str):
        super().__init__(message)
        self.stage = stage
        self.message = message
