"""orgwork: Chinese local organization-work reports → research datasets.

The library API (see README, "From Python"): ``extract``, ``run`` and ``read_dataset``; the
records they return (``Document``, ``Measure``, ``Program``, ``Region``). Importing the
package loads nothing heavy: each name is imported on first use (Prefect only by ``run``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "extract": "orgwork.api",
    "run": "orgwork.api",
    "read_dataset": "orgwork.api",
    "Document": "orgwork.pipeline.document",
    "DocumentError": "orgwork.pipeline.document",
    "Measure": "orgwork.pipeline.document",
    "Program": "orgwork.pipeline.document",
    "Region": "orgwork.pipeline.document",
    "RunRefused": "orgwork.flows.cli",
}
__all__ = [
    "Document",
    "DocumentError",
    "Measure",
    "Program",
    "Region",
    "RunRefused",
    "extract",
    "read_dataset",
    "run",
]

if TYPE_CHECKING:
    from orgwork.api import extract, read_dataset, run
    from orgwork.flows.cli import RunRefused
    from orgwork.pipeline.document import Document, DocumentError, Measure, Program, Region


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'orgwork' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The API's names too, though not imported yet (a notebook's completion lists them)."""
    return sorted({*globals(), *__all__})
