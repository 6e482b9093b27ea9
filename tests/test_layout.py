"""The package's shape: one top-level name installed, and no import cycles between modules,
counting the imports inside functions (which hide a cycle from Python but not from a reader)."""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("pipeline", "extractors", "crawler", "report", "evaluation", "flows")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("orgwork", *parts))


def part_of(module: str) -> str:
    """orgwork.pipeline.ingest → pipeline; a root module is a part of its own (orgwork.stages →
    stages), the package's __init__ another (orgwork)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "orgwork"


def import_graph() -> dict[str, set[str]]:
    """orgwork module → the orgwork modules it imports anywhere in its code."""
    modules = {module_name(p): p for part in PARTS for p in (ROOT / part).rglob("*.py")}
    modules.update({module_name(p): p for p in ROOT.glob("*.py")})
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                base = node.module
                for alias in node.names:  # `from orgwork.pipeline import outdir` names a module
                    candidate = f"{base}.{alias.name}"
                    targets.add(candidate if candidate in modules else base)
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_import_cycles_between_modules():
    assert find_cycle(import_graph()) is None


def test_no_import_cycles_between_parts():
    """pipeline, extractors, crawler, report, evaluation and flows depend on each other one way."""
    modules = import_graph()
    graph: dict[str, set[str]] = {}
    for name, targets in modules.items():
        graph.setdefault(part_of(name), set()).update(
            part_of(t) for t in targets if part_of(t) != part_of(name)
        )
    for name in list(graph):
        for t in graph[name]:
            graph.setdefault(t, set())
    assert find_cycle(graph) is None


def test_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_one_top_level_name_installed():
    """Only `orgwork` in site-packages (setuptools' editable-install finder aside)."""
    names = {
        name
        for name, dists in metadata.packages_distributions().items()
        if "orgwork" in dists and not name.startswith("__editable__")
    }
    assert names == {"orgwork"}
    outside = subprocess.run(
        [sys.executable, "-c", "import orgwork.pipeline, orgwork.flows; import pipeline"],
        cwd="/",
        capture_output=True,
        text=True,
    )
    assert "No module named 'pipeline'" in outside.stderr


def test_pipeline_version_names_every_stage_module():
    """A module added to pipeline/ is either hashed into the version or said not to shape
    the tables; the report, crawler, evaluation and flows never are."""
    from orgwork.pipeline import version

    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").glob("*.py")}
    assert modules == set(version.STAGE_MODULES) - {"stages.py"} | set(version.UNVERSIONED_MODULES)
    hashed = {p.relative_to(ROOT).parts[0] for p in version.versioned_files()}
    assert hashed == {"pipeline", "extractors", "stages.py"}


def test_nothing_imports_a_part_by_its_generic_name():
    """`import pipeline` works from the repository's root (it is on sys.path there) but
    imports a second copy of the module: every import names the package."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        if {".venv", "build", "node_modules"} & set(path.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno}" for n in names if n.split(".")[0] in PARTS
            ]
    assert offenders == []
