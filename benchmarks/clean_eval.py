"""Benchmark of the clean stage (decode → main text → date) on saved real Chinese pages.

Suites (copied under ``tests/peer/``, each with its README giving source and license):

* ``cwced``: 69 pages with hand-labelled main text, date and author.
* ``htmldate-zh``: 10 pages (5 Traditional) with a labelled publication day.

Main-text F1 (cwced), per page:

* Both texts are converted to Simplified (OpenCC t2s; one cwced label is Traditional and
  our output is Simplified by design), put through NFKC (full-width letters, digits and
  punctuation become their ASCII forms, so "，" and "," are the same symbol) and all
  whitespace is removed.
* Each text becomes the multiset of its character bigrams (overlapping pairs of adjacent
  characters; a one-character text has none).
* overlap = size of the multiset intersection (each bigram counted min(n_pred, n_gold) times);
  P = overlap / |pred bigrams|, R = overlap / |gold bigrams|, F1 = 2PR / (P + R), and 0 when
  either side is empty.
* The suite figure is the unweighted mean over all 69 pages.

"ours" is ``ingest_bytes`` + ``normalize_document`` (all article parts of a page joined, so
text split into a second part still counts); OpenCC output is compared as is (cwced is all
Simplified). "trafilatura" is plain ``trafilatura.extract(html)`` with default settings on the
correctly decoded page (the encoding listed in the suite's manifest), so it is not penalised
for decoding.

Dates: the label is parsed to the granularity it gives (YYYY, YYYY-MM or YYYY-MM-DD; the time
is ignored) and a prediction is right when its leading YYYY[-MM[-DD]] parts equal the label's.
Pages whose label is not a date (UNKNOWN, empty, a name) are left out. trafilatura's date is
``trafilatura.extract_metadata(html).date``.

Run: ``python benchmarks/clean_eval.py [--pages]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PEER = ROOT / "tests" / "peer"
LABEL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")


def bigrams(text: str) -> Counter:
    flat = re.sub(r"\s+", "", unicodedata.normalize("NFKC", _t2s(text)))
    return Counter(flat[i : i + 2] for i in range(len(flat) - 1))


@lru_cache(maxsize=1)
def _opencc():
    import opencc

    return opencc.OpenCC("t2s")


def _t2s(text: str) -> str:
    return _opencc().convert(text)


def bigram_prf(pred: str, gold: str) -> tuple[float, float, float]:
    """Character-bigram precision, recall and F1 (see the module docstring)."""
    p, g = bigrams(pred), bigrams(gold)
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    prec, rec = overlap / sum(p.values()), overlap / sum(g.values())
    return prec, rec, 2 * prec * rec / (prec + rec)


def label_date(label: str) -> tuple[int, ...] | None:
    m = LABEL_DATE.match(label.strip())
    return tuple(int(x) for x in m.groups() if x) if m else None


def date_right(predicted: str | None, label: tuple[int, ...]) -> bool:
    m = LABEL_DATE.match(predicted or "")
    if not m:
        return False
    got = tuple(int(x) for x in m.groups() if x)
    return got[: len(label)] == label


@dataclass
class Page:
    suite: str
    name: str
    raw: bytes
    encoding: str  # the encoding that really decodes the bytes (from the manifest)
    gold_text: str | None
    gold_date: tuple[int, ...] | None
    url: str = ""


def load_cwced() -> list[Page]:
    base = PEER / "cwced"
    encodings = {}
    with open(base / "manifest.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            encodings[Path(row["file"]).stem] = row["decodes_as"].split()[0]
    pages = []
    for html in sorted((base / "original").glob("*.html")):
        stem = html.stem
        pages.append(
            Page(
                "cwced",
                stem,
                html.read_bytes(),
                encodings.get(stem, "utf-8"),
                (base / "cleaned" / f"{stem}.txt").read_text(encoding="utf-8"),
                label_date((base / "date" / f"{stem}.txt").read_text(encoding="utf-8")),
            )
        )
    return pages


def load_htmldate() -> list[Page]:
    base = PEER / "htmldate-zh"
    expected = json.loads((base / "expected-zh.json").read_text(encoding="utf-8"))
    encodings = {}
    with open(base / "manifest.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            encodings[Path(row["file"]).name] = row["decodes_as"].split()[0]
    pages = []
    for url, entry in expected.items():
        name = entry["file"]
        found = [p for p in (base / "tests").rglob(name) if p.is_file()]
        if not found:
            continue
        pages.append(
            Page(
                "htmldate-zh",
                name,
                found[0].read_bytes(),
                encodings.get(name, "utf-8"),
                None,
                label_date(entry["date"]),
                url=url,
            )
        )
    return pages


def run_ours(page: Page) -> tuple[str, str]:
    from orgwork.pipeline.document import DocumentError
    from orgwork.pipeline.ingest import ingest_bytes
    from orgwork.pipeline.normalize import normalize_document

    try:
        doc = ingest_bytes(page.raw, page.name, url=page.url, is_html=True)
        parts = normalize_document(doc)
    except DocumentError:
        return "", ""
    return "\n".join(p.text for p in parts), doc.publish_date


def run_trafilatura(page: Page) -> tuple[str, str]:
    import trafilatura

    html = page.raw.decode(page.encoding, errors="replace")
    text = trafilatura.extract(html, url=page.url or None) or ""
    meta = trafilatura.extract_metadata(html, default_url=page.url or None)
    return text, (meta.date if meta and meta.date else "") or ""


def evaluate(show_pages: bool = False) -> dict[str, dict[str, float]]:
    """Figures per system: cwced F1/P/R, date accuracy per suite. Prints a table."""
    warnings.filterwarnings("ignore")
    pages = load_cwced() + load_htmldate()
    systems = {"ours": run_ours, "trafilatura": run_trafilatura}
    results: dict[str, dict[str, float]] = {}
    for system, run in systems.items():
        f1s, ps, rs = [], [], []
        dates: dict[str, list[bool]] = {"cwced": [], "htmldate-zh": []}
        for page in pages:
            text, date = run(page)
            if page.gold_text is not None:
                p, r, f = bigram_prf(text, page.gold_text)
                ps.append(p)
                rs.append(r)
                f1s.append(f)
                if show_pages:
                    print(f"{system:12} {page.name[:12]:12} P={p:.2f} R={r:.2f} F1={f:.2f}")
            if page.gold_date is not None:
                ok = date_right(date, page.gold_date)
                dates[page.suite].append(ok)
                if show_pages and not ok:
                    print(f"{system:12} {page.name[:24]:24} date {date!r} != {page.gold_date}")
        results[system] = {
            "cwced_f1": sum(f1s) / len(f1s),
            "cwced_p": sum(ps) / len(ps),
            "cwced_r": sum(rs) / len(rs),
            "cwced_pages": len(f1s),
        }
        for suite, oks in dates.items():
            results[system][f"{suite}_date"] = sum(oks) / len(oks) if oks else 0.0
            results[system][f"{suite}_dated"] = len(oks)
    print_table(results)
    return results


def print_table(results: dict[str, dict[str, float]]) -> None:
    names = list(results)
    rows = [
        ("cwced main-text F1 (bigram)", "cwced_f1", "{:.3f}"),
        ("cwced precision", "cwced_p", "{:.3f}"),
        ("cwced recall", "cwced_r", "{:.3f}"),
        ("cwced date accuracy", "cwced_date", "{:.1%}"),
        ("htmldate-zh date accuracy", "htmldate-zh_date", "{:.1%}"),
    ]
    first = results[names[0]]
    print(
        f"pages: cwced {first['cwced_pages']} (text), dated: cwced {first['cwced_dated']}, "
        f"htmldate-zh {first['htmldate-zh_dated']}"
    )
    print(f"| {'measure':28} | " + " | ".join(f"{n:>11}" for n in names) + " |")
    print(f"| {'-' * 28} | " + " | ".join("-" * 11 for _ in names) + " |")
    for label, key, fmt in rows:
        cells = " | ".join(f"{fmt.format(results[n][key]):>11}" for n in names)
        print(f"| {label:28} | {cells} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="print per-page scores")
    args = parser.parse_args(argv)
    evaluate(show_pages=args.pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
