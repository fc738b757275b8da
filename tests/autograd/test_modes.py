"""Grad modes and the core's hooks: a mode sets them and restores them, blocks nest, and nothing is rebound.

Also the shape of the core: higher-order backward is reachable from `Value` alone, and the autograd
package imports nothing else of micrograd_ko and has no import cycle (lazy imports counted).
"""

from __future__ import annotations

import ast
import math
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_ko import AnomalyError, Value, detect_anomaly, no_grad
from micrograd_ko.autograd import modes
from micrograd_ko.autograd.higher_order import backward_with_graph

AUTOGRAD = Path(modes.__file__).resolve().parent


def test_hooks_are_set_inside_the_block_and_restored_after_it_nested() -> None:
    seen: list[str] = []
    assert (modes.forward_hook, modes.backward_hook) == (None, None)
    with modes.hooks(lambda data, op, parents: seen.append(f"outer {op}"), None):
        Value(1.0) + 2.0
        with modes.hooks(lambda data, op, parents: seen.append(f"inner {op}"), lambda node: seen.append("back")):
            (Value(1.0) * 2.0).backward()
        Value(1.0) - 2.0
    Value(1.0) + 2.0  # no hook any more
    assert seen == ["outer +", "inner *", "back", "outer -"]
    assert (modes.forward_hook, modes.backward_hook) == (None, None)


def test_hooks_are_restored_when_the_block_raises() -> None:
    def refuse(data: float, op: str, parents: tuple[Value, ...]) -> None:
        raise RuntimeError(f"no {op}")

    with pytest.raises(RuntimeError, match=r"no \*"), modes.hooks(refuse, None):
        Value(1.0) * 2.0
    assert modes.forward_hook is None
    assert (Value(1.0) * 2.0).data == 2.0


def test_anomaly_mode_switches_through_the_hooks_and_nests() -> None:
    with detect_anomaly():
        installed = (modes.forward_hook, modes.backward_hook)
        assert None not in installed
        with detect_anomaly():
            assert (modes.forward_hook, modes.backward_hook) == installed
        assert (modes.forward_hook, modes.backward_hook) == installed
        with pytest.raises(AnomalyError):
            Value(float("inf")) - Value(float("inf"))
    assert (modes.forward_hook, modes.backward_hook) == (None, None)
    assert math.isnan((Value(float("inf")) - Value(float("inf"))).data)  # unchecked outside the block


def test_no_grad_nests_and_restores() -> None:
    assert modes.is_grad_enabled()
    with no_grad():
        with modes.set_grad_enabled(True):
            assert (Value(1.0) + 1.0).parents
        assert not (Value(1.0) + 1.0).parents
    assert modes.is_grad_enabled()


def test_higher_order_registers_the_graph_backward_with_the_core() -> None:
    assert modes.graph_backward is backward_with_graph


def test_create_graph_works_after_importing_only_value() -> None:
    code = (
        "from micrograd_ko import Value\n"
        "x = Value(2.0)\n"
        "(x ** 3).backward(create_graph=True)\n"
        "x.grad_value.backward()\n"
        "print(x.grad)\n"  # 3x^2 = 12 from the first pass, plus d/dx 3x^2 = 6x = 12
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "24.0"


def _imports(path: Path) -> set[str]:
    """Every module `path` imports, at the top or inside a function (`from a import b` counts as a and a.b)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            assert node.level == 0, f"{path.name}: relative import"
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {
    f"micrograd_ko.autograd.{path.stem}" if path.stem != "__init__" else "micrograd_ko.autograd": path
    for path in sorted(AUTOGRAD.glob("*.py"))
}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_the_core_imports_nothing_else_of_the_package(module: str) -> None:
    outside = {
        name for name in _imports(MODULES[module])
        if name.split(".")[0] == "micrograd_ko" and not name.startswith("micrograd_ko.autograd")
    }
    assert outside == set(), f"{module} imports {sorted(outside)}"


def test_the_helper_finds_imports_inside_functions(tmp_path: Path) -> None:
    assert "micrograd_ko.autograd.modes" in _imports(AUTOGRAD / "value.py")
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    from micrograd_ko.nn import MLP\n    import micrograd_ko.viz\n", encoding="utf-8")
    assert {"micrograd_ko.nn", "micrograd_ko.viz"} <= _imports(lazy)


def test_the_core_has_no_import_cycle() -> None:
    """Depth-first over the modules of autograd, each edge one import (lazy ones too, the package's own excluded)."""
    edges = {
        module: {name for name in _imports(path) if name in MODULES and name not in (module, "micrograd_ko.autograd")}
        for module, path in MODULES.items()
    }
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, f"import cycle: {' -> '.join((*path, module))}"
        if module in done:
            return
        for target in sorted(edges[module]):
            visit(target, (*path, module))
        done.add(module)

    for module in sorted(edges):
        visit(module, ())
