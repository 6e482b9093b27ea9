"""The library API: the README's example runs as written, and extract() gives what a run
writes for the same report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import orgwork
from orgwork.pipeline.document import DocumentError
from tests.conftest import ROOT, SAMPLES


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## From Python") :]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_runs(tmp_path: Path, monkeypatch, prefect_harness, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "corpus").symlink_to(ROOT / "corpus")
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert [line.rsplit(" ", 1)[0] for line in printed[:3]] == [  # the subject aside
        "21 期 count training 21期",
        "800 人次 headcount training 800多人次",
        "120 人 headcount secondment 120名",
    ]
    assert printed[3] == "晋江市 ['强素质']"
    assert printed[-2] == "['headcount', 'percentage', 'count', 'duration'] Int64 3"
    documents, measures, failures = map(int, printed[-1].split())
    assert documents == len(list(SAMPLES.glob("*"))) and measures > 0 and failures == 0
    assert (tmp_path / "outputs-api" / "measures.csv").exists()


def test_extract_matches_a_run_on_the_same_file() -> None:
    path = next(p for p in sorted(SAMPLES.iterdir()) if p.suffix == ".txt")
    from orgwork.batch import process_batch
    from orgwork.pipeline.ingest import Source

    [via_run] = process_batch([Source(path, path.name)]).documents[:1]
    [via_api] = orgwork.extract(path.read_bytes(), source=path.name)[:1]
    assert via_api.text == via_run.text
    assert [(m.start, m.end, m.value, m.category) for m in via_api.measures] == [
        (m.start, m.end, m.value, m.category) for m in via_run.measures
    ]
    for m in via_api.measures:
        assert via_api.text[m.start : m.end] == m.text


def test_extract_reports_bad_input_as_document_error() -> None:
    with pytest.raises(DocumentError):
        orgwork.extract(b"")


def test_import_orgwork_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, orgwork; print('prefect' in sys.modules, 'jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert out.stdout.split() == ["False", "False"]


def test_the_api_names_are_listed_before_first_use() -> None:
    """dir(orgwork) (a notebook's tab completion) lists the API though nothing is loaded."""
    import subprocess
    import sys

    code = "import sys, orgwork; d = dir(orgwork); print('extract' in d, 'read_dataset' in d, 'jieba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/")
    assert out.stdout.split() == ["True", "True", "False"]
