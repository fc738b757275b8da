"""The drawing room imports one way: no module of `micrograd_ko.viz` imports the package back, and no cycle.

Every import counts, a function-level (lazy) one too: the walk reads the whole syntax tree of each file.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from pathlib import Path

import micrograd_ko.viz

PACKAGE = "micrograd_ko.viz"
FOLDER = Path(micrograd_ko.viz.__file__).parent


def imported_modules(source: str, module: str, submodules: set[str]) -> set[str]:
    """The modules `source` (the text of `module`) imports, absolute names, lazy imports included.

    `from micrograd_ko.viz import x` imports the submodule `micrograd_ko.viz.x` when there is one,
    and otherwise the package itself (a name its `__init__` re-exports).
    """
    package = module if module == PACKAGE else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(filter(None, [*parts, base]))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in submodules else base)
    return found


def viz_imports(sources: Mapping[str, str]) -> dict[str, set[str]]:
    """For each module of the package, the modules of the package it imports."""
    names = set(sources)
    return {name: imported_modules(text, name, names) & names for name, text in sources.items()}


def cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    """One import cycle in `graph` (a list of modules, first = last), or None."""
    state: dict[str, str] = {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = "open"
        for target in sorted(graph.get(name, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target, [*path, target])):
                return found
        state[name] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def package_sources() -> dict[str, str]:
    sources = {}
    for path in sorted(FOLDER.glob("*.py")):
        name = PACKAGE if path.stem == "__init__" else f"{PACKAGE}.{path.stem}"
        sources[name] = path.read_text(encoding="utf-8")
    return sources


def test_no_module_of_viz_imports_the_package_itself() -> None:
    graph = viz_imports(package_sources())
    assert len(graph) >= 6  # style, steps, graph, render, page, errors, ...
    importers = sorted(name for name, targets in graph.items() if PACKAGE in targets and name != PACKAGE)
    assert importers == []


def test_viz_has_no_import_cycle_lazy_imports_included() -> None:
    assert cycle(viz_imports(package_sources())) is None


def test_the_walk_finds_a_lazy_import_back_into_the_package_and_a_cycle_between_siblings() -> None:
    sources = {
        PACKAGE: "from micrograd_ko.viz.graph import draw\n",
        f"{PACKAGE}.graph": "from micrograd_ko.viz.style import X\n",
        f"{PACKAGE}.style": "def f():\n    from micrograd_ko.viz import draw\n",
        f"{PACKAGE}.page": "from . import graph\n",
    }
    graph = viz_imports(sources)
    assert graph[f"{PACKAGE}.style"] == {PACKAGE}
    assert graph[f"{PACKAGE}.page"] == {f"{PACKAGE}.graph"}
    assert cycle(graph) == [PACKAGE, f"{PACKAGE}.graph", f"{PACKAGE}.style", PACKAGE]
