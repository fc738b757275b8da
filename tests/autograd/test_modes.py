"""Grad modes and the core's hooks: a mode sets them and restores them, blocks nest, and nothing is rebound.

Also higher-order backward is reachable from `Value` alone.  That the autograd package imports nothing
else of micrograd_ko, and that no cycle exists, is checked for the whole house in tests/project/test_architecture.py.
"""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from micrograd_ko import AnomalyError, Value, detect_anomaly, no_grad
from micrograd_ko.autograd import modes
from micrograd_ko.autograd.higher_order import backward_with_graph


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

