"""The report's Jinja2 environment: templates in ``report/data/``, every value autoescaped.

The page (``report.html``), its small pieces (``macros.html``) and the charts
(``heatmap.svg``, ``bars.svg``) are templates; Python only computes what they show. The
styles and the script are inlined as they are (``asset``), not rendered as templates.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

PACKAGE, FOLDER = "orgwork.report", "data"


def fmt_number(value: float) -> str:
    """1800.0 → "1,800"; 33.33 → "33.33" (the CSV's own digits, grouped)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@cache
def environment() -> Environment:
    """One environment a process: it compiles each template once."""
    env = Environment(
        loader=PackageLoader(PACKAGE, FOLDER),
        autoescape=True,  # every template, .html and .svg alike
        undefined=StrictUndefined,  # a misspelt name fails the build, not an empty cell
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        f0=lambda x: f"{x:.0f}",
        f1=lambda x: f"{x:.1f}",
        thousands=lambda n: f"{n:,}",
        number=fmt_number,
    )
    return env


@cache
def asset(name: str) -> Markup:
    """A style sheet or script of ``report/data/``, trusted markup inlined as it is."""
    return Markup((resources.files(PACKAGE) / FOLDER / name).read_text(encoding="utf-8"))
