"""Write the column tables of README.md ("The dataset") from the data dictionary.

    python tools/dictionary_tables.py          # rewrite README.md in place
    python tools/dictionary_tables.py --check  # exit 1 when README.md is not current

Each table stands between ``<!-- dictionary: <table> -->`` and ``<!-- /dictionary -->``;
the text is made by orgwork.pipeline.dictionary.markdown_table from
pipeline/data/dictionary.toml (tests/test_outputs.py checks the README is current).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from orgwork.pipeline.dictionary import readme_with_tables

README = Path(__file__).resolve().parent.parent / "README.md"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    made = readme_with_tables(text)
    if args.check:
        if made != text:
            print("README.md: column tables differ from pipeline/data/dictionary.toml")
            return 1
        return 0
    if made != text:
        README.write_text(made, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
