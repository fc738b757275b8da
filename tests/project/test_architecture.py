"""The house's rules, read from the package's own imports (function-level imports counted).

Imports flow one way: no module reaches itself again through imports; the autograd core imports
nothing else of the package; nn never imports the bridges of interop; a private name (`_x`) is
imported only from a private module (`_name.py`); and no file of the package outgrows one job.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "micrograd_ko"
MAX_LINES = 600


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def resolve(importer: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = importer.split(".")
    if not is_package(importer):
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_in(source: str, importer: str) -> tuple[tuple[str, str | None], ...]:
    """(module, name) for every import in `source` (the text of `importer`), at any depth, functions included.

    `from a import b` counts as the submodule a.b when the package has one, else as the name b taken from a;
    `import a` gives (a, None).  Only the package's own modules are kept.
    """
    found: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source_module = resolve(importer, node)
            for alias in node.names:
                submodule = f"{source_module}.{alias.name}"
                found.append((submodule, None) if submodule in MODULES else (source_module, alias.name))
    return tuple((module, name) for module, name in found if module.split(".")[0] == "micrograd_ko")


@cache
def imports(importer: str) -> tuple[tuple[str, str | None], ...]:
    """Every import of the package module `importer`."""
    return imports_in(MODULES[importer].read_text(encoding="utf-8"), importer)


def edges(importer: str) -> Iterator[str]:
    """The package modules `importer` loads: each imported module and, as Python does, its parent packages."""
    for module, _ in imports(importer):
        parts = module.split(".")
        for end in range(1, len(parts) + 1):
            target = ".".join(parts[:end])
            if target in MODULES and target != importer and not importer.startswith(target + "."):
                yield target


def test_the_package_was_found() -> None:
    assert {"micrograd_ko", "micrograd_ko.autograd", "micrograd_ko.nn"} <= set(MODULES)


def cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every path of `graph` that leads back to where it started, written `a -> b -> a`."""
    found = []
    for start in graph:
        stack = [(start, (start,))]
        seen = set()
        while stack:
            node, path = stack.pop()
            for target in sorted(graph[node]):
                if target == start:
                    found.append(" -> ".join((*path, start)))
                elif target not in seen:
                    seen.add(target)
                    stack.append((target, (*path, target)))
    return sorted(set(found))


def test_the_checks_see_lazy_imports_and_cycles() -> None:
    lazy = "def f():\n    from micrograd_ko.nn import MLP\n    import micrograd_ko.viz\n"
    found = set(imports_in(lazy, "micrograd_ko.autograd.value"))
    assert found == {("micrograd_ko.nn", "MLP"), ("micrograd_ko.viz", None)}
    loop = cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert loop == ["a -> b -> c -> a", "b -> c -> a -> b", "c -> a -> b -> c"]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle() -> None:
    # A package's __init__ importing its own submodules is how packages are made, not a cycle (edges() leaves
    # a module's own parent packages out); any other path that leads back to where it started is one.
    graph = {name: set(edges(name)) for name in MODULES}
    assert not cycles(graph), "\n".join(cycles(graph))


def test_the_autograd_core_imports_nothing_else_of_the_package() -> None:
    outside = {
        f"{name} imports {module}"
        for name in MODULES
        if name.startswith("micrograd_ko.autograd")
        for module, _ in imports(name)
        if not module.startswith("micrograd_ko.autograd")
    }
    assert not outside, sorted(outside)


def test_nn_never_imports_interop() -> None:
    bridges = {
        f"{name} imports {module}"
        for name in MODULES
        if name.startswith("micrograd_ko.nn")
        for module, _ in imports(name)
        if module.startswith("micrograd_ko.interop")
    }
    assert not bridges, sorted(bridges)


def test_private_names_come_only_from_private_modules() -> None:
    crossings = {
        f"{name} takes {imported} from {module}"
        for name in MODULES
        for module, imported in imports(name)
        if imported is not None and imported.startswith("_") and not module.split(".")[-1].startswith("_")
    }
    assert not crossings, "\n".join(sorted(crossings))


@pytest.mark.parametrize("name", sorted(MODULES))
def test_each_file_is_at_most_600_lines(name: str) -> None:
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name].relative_to(PACKAGE.parent)} has {lines} lines"
