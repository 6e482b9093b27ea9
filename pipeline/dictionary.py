"""The data dictionary (data/dictionary.toml): every table's columns, checked on load.

The one source of the tables' column lists (pipeline/dataset.py), of datapackage.json (a
Frictionless Data Package written into every run folder), of the column types of the Parquet
files and of read_dataset, of the Stata labels, and of the README's column tables
(tools/dictionary_tables.py).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "dictionary.toml"
TAXONOMY = Path(__file__).parent.parent / "extractors" / "data" / "context.toml"
OTHER = "other"  # the category of a figure with no taxonomy keyword (extractors/context.py)
TYPES = ("string", "integer", "number", "boolean", "date")
# A publish date is a full date or, for a periodical's issue, a month: kept as text.
DATE_PATTERN = r"\d{4}-\d{2}(-\d{2})?"
STATA_LABEL_CHARS = 80
NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")  # a Stata variable name too


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    label: str
    meaning: str
    vocabulary: tuple[tuple[str, str], ...] = ()  # (value, what it means), in order
    vocabulary_from: str = ""

    @property
    def values(self) -> list[str]:
        return [v for v, _ in self.vocabulary]


@dataclass(frozen=True)
class Table:
    name: str
    file: str
    title: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def taxonomy_categories(path: Path = TAXONOMY) -> list[str]:
    """The practice categories in the taxonomy's order, ``other`` last."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return [*raw["taxonomy"], OTHER]


def _column(raw: dict, where: str, categories: list[str]) -> Column:
    unknown = set(raw) - {"name", "type", "required", "label", "meaning", "vocabulary",
                          "vocabulary_from"}  # fmt: skip
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    name, kind = raw["name"], raw["type"]
    if not NAME.fullmatch(name):
        raise ValueError(f"{where}: {name!r} is no valid column (and Stata variable) name")
    if kind not in TYPES:
        raise ValueError(f"{where}: {name}: type {kind!r} is none of {TYPES}")
    label = raw["label"]
    if not label or len(label) > STATA_LABEL_CHARS:
        raise ValueError(f"{where}: {name}: label must have 1-{STATA_LABEL_CHARS} characters")
    vocabulary = tuple((str(v), str(m)) for v, m in raw.get("vocabulary", {}).items())
    source = raw.get("vocabulary_from", "")
    if source and source != "taxonomy":
        raise ValueError(f"{where}: {name}: vocabulary_from {source!r} is not 'taxonomy'")
    if source and vocabulary:
        raise ValueError(f"{where}: {name}: both vocabulary and vocabulary_from")
    if source:
        vocabulary = tuple((c, "") for c in categories)
    if vocabulary and kind != "string":
        raise ValueError(f"{where}: {name}: a vocabulary needs type string")
    if any(not v for v, _ in vocabulary):
        raise ValueError(f"{where}: {name}: an empty value in the vocabulary")
    return Column(name, kind, bool(raw.get("required", False)), label, raw["meaning"],
                  vocabulary, source)  # fmt: skip


@lru_cache(maxsize=1)
def load_dictionary(path: Path = DATA) -> dict[str, Table]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    categories = taxonomy_categories()
    tables = {}
    for name, table in raw["tables"].items():
        where = f"{path}: tables.{name}"
        columns = tuple(_column(c, where, categories) for c in table["columns"])
        names = [c.name for c in columns]
        if len(set(names)) != len(names):
            raise ValueError(f"{where}: a column is listed twice")
        if table["file"] != f"{name}.csv":
            raise ValueError(f"{where}: file must be {name}.csv")
        tables[name] = Table(name, table["file"], table["title"], columns)
    # The writer appends duplicate_of to rows rendered without it (pipeline/dataset.py).
    if tables["articles"].names[-1] != "duplicate_of":
        raise ValueError(f"{path}: articles' last column must be duplicate_of")
    return tables


def columns(table: str) -> list[str]:
    return load_dictionary()[table].names


# -- datapackage.json (Frictionless Data Package v1, Table Schema per file) ------------------


def _field(column: Column) -> dict:
    field: dict = {"name": column.name, "title": column.label, "description": column.meaning}
    constraints: dict = {}
    if column.type == "date":
        field["type"] = "string"
        field["format"] = "default"
        constraints["pattern"] = DATE_PATTERN
    else:
        field["type"] = column.type
    if column.type == "boolean":
        field["trueValues"], field["falseValues"] = ["true"], ["false"]
    if column.type == "number":
        field["bareNumber"] = True
    if column.required:
        constraints["required"] = True
    if column.vocabulary:
        constraints["enum"] = column.values
    if constraints:
        field["constraints"] = constraints
    return field


def datapackage() -> dict:
    """The descriptor of a run folder's CSV tables. Text cells may carry the formula quote
    (a leading "'", README "Formula quote"): a reader drops it; no vocabulary value, number
    or boolean ever has one."""
    resources = []
    for table in load_dictionary().values():
        resources.append(
            {
                "name": table.name,
                "path": table.file,
                "title": table.title,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",  # a BOM first, for Excel
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": [_field(c) for c in table.columns],
                    "missingValues": [""],
                },
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "orgwork-dataset",
        "title": "orgwork: figures and programmes of Chinese local organization-work reports",
        "resources": resources,
    }


def datapackage_json() -> str:
    return json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n"


# -- README column tables (tools/dictionary_tables.py) ---------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(name: str) -> str:
    """The README's table of one dataset table's columns."""
    lines = ["| column | type | meaning |", "| --- | --- | --- |"]
    for c in load_dictionary()[name].columns:
        meaning = c.meaning
        if c.vocabulary and not c.vocabulary_from:
            values = " | ".join(f"`{v}` ({m})" if m else f"`{v}`" for v, m in c.vocabulary)
            meaning = f"{meaning}: {values}" if meaning else values
        kind = c.type + (", required" if c.required else "")
        lines.append(f"| {c.name} | {kind} | {_cell(meaning)} |")
    return "\n".join(lines) + "\n"


README_MARK = re.compile(r"(<!-- dictionary: (\w+) -->\n)(.*?)(<!-- /dictionary -->)", re.DOTALL)


def readme_with_tables(readme: str) -> str:
    """The README with every marked column table made from the dictionary."""
    return README_MARK.sub(lambda m: m[1] + markdown_table(m[2]) + m[4], readme)
