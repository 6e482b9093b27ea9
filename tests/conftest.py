"""Shared fixtures: documents built from inline strings, and one Prefect test harness."""

from __future__ import annotations

from pathlib import Path

import pytest

from orgwork.pipeline.document import Document
from orgwork.pipeline.segment import segment_document

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpus" / "samples"
GOLD = ROOT / "tests" / "gold"


def make_doc(body: str, title: str = "") -> Document:
    """A relevant, segmented Document whose text is ``title`` (if any) then ``body``."""
    text = (title + "\n" if title else "") + body + "\n"
    doc = Document(source="inline.txt", sha256="0" * 64, text=text, title=title, relevant=True)
    return segment_document(doc)


@pytest.fixture(scope="session")
def prefect_harness():
    """One embedded Prefect API for the whole session (its first start runs migrations)."""
    import os

    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=300):
        # `orgwork run` reads the environment before importing Prefect: point it here too.
        previous = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = PREFECT_API_URL.value()
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous
