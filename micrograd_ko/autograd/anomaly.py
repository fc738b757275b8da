"""Anomaly mode: stop at the first NaN or infinity, in forward or in backward, and say where it came from.

    with detect_anomaly():
        loss = model(x)          # every new node is checked as it is made
        loss.backward()          # every contribution local * grad is checked

Outside the block nothing is checked and NaN propagates as IEEE floats do.
The ordinary path pays nothing for this: the block installs two hooks of the
core (`modes.hooks`), one the engine calls for every new node and one its
backward loop calls after each node.  The mode is global to the process (not
per thread); blocks nest.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from micrograd_ko.autograd import modes
from micrograd_ko.autograd.value import Value, describe

__all__ = ["AnomalyError", "detect_anomaly", "is_anomaly_enabled", "list_inputs"]


class AnomalyError(FloatingPointError):
    """Inside `detect_anomaly()`, an op produced NaN or an infinity in forward or backward."""


_enabled = False


def is_anomaly_enabled() -> bool:
    """Return True inside a `detect_anomaly()` block."""
    return _enabled


def list_inputs(parents: tuple[Value, ...], limit: int = 6) -> str:
    """A node's inputs for an error message: at most `limit` of them, with their labels."""
    shown = ", ".join(describe(p) for p in parents[:limit])
    return f"({shown}, ... {len(parents)} in all)" if len(parents) > limit else f"({shown})"


def _check_forward(data: float, op: str, parents: tuple[Value, ...]) -> None:
    """The forward hook: raise AnomalyError if a new node's `data` is NaN or infinite."""
    if not math.isfinite(data):
        raise AnomalyError(f"detect_anomaly: forward of {op!r} produced {data!r} from inputs {list_inputs(parents)}")


def _check_contributions(node: Value) -> None:
    """The backward hook, after `node` has sent local * grad to each parent: were they all finite?"""
    grad = node.grad
    for index, (parent, local) in enumerate(zip(node._parents, node._local_grads)):
        contribution = local * grad
        if not math.isfinite(contribution):
            raise AnomalyError(
                f"detect_anomaly: backward of {node._op!r}, output {describe(node)}, produced {contribution!r} "
                f"for its input {index}, {describe(parent)}: local derivative {local!r} × upstream gradient "
                f"{grad!r}; the op's inputs were {list_inputs(node._parents)}"
            )


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Context manager that stops at the first NaN or infinity, in forward or in backward.

    Inside the block every new node is checked as it is made, and `backward()`
    checks every contribution local_derivative * grad; the first non-finite
    number raises AnomalyError naming the op, its inputs and their labels.
    """
    global _enabled
    previous = _enabled
    _enabled = True
    try:
        with modes.hooks(_check_forward, _check_contributions):
            yield
    finally:
        _enabled = previous
