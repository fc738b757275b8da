"""Anomaly mode: stop at the first NaN or infinity, in forward or in backward, and say where it came from.

    with detect_anomaly():
        loss = model(x)          # every new node is checked as it is made
        loss.backward()          # every contribution local * grad is checked

Outside the block nothing is checked and NaN propagates as IEEE floats do.
The ordinary path pays nothing for this: the block swaps the engine's node
recorder and sets the hook that the engine's backward loop calls after each
node.  The mode is global to the process (not per thread); blocks nest.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

from micrograd_ko.autograd import value as engine
from micrograd_ko.autograd.value import Value, describe

__all__ = ["AnomalyError", "detect_anomaly", "is_anomaly_enabled"]


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


def _checked_result(data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """The engine's recorder, but first raise AnomalyError if `data` is NaN or infinite."""
    if not math.isfinite(data):
        raise AnomalyError(f"detect_anomaly: forward of {op!r} produced {data!r} from inputs {list_inputs(parents)}")
    return engine._plain_result(data, op, parents, local_grads)


def _check_contributions(node: Value) -> None:
    """Called by the backward loop after `node` has sent local * grad to each parent: were they all finite?"""
    grad = node.grad
    for index, (parent, local) in enumerate(zip(node._parents, node._local_grads)):
        contribution = local * grad
        if not math.isfinite(contribution):
            label = f" (label {node.label!r})" if node.label else ""
            raise AnomalyError(
                f"detect_anomaly: backward of {node._op!r}{label} produced {contribution!r} for its input {index}, "
                f"{describe(parent)}: local derivative {local!r} × upstream gradient {grad!r}; "
                f"the op's inputs were {list_inputs(node._parents)} and its output {node.data!r}"
            )


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Context manager that stops at the first NaN or infinity, in forward or in backward.

    Inside the block every new node is checked as it is made, and `backward()`
    checks every contribution local_derivative * grad; the first non-finite
    number raises AnomalyError naming the op, its inputs and their labels.
    """
    global _enabled
    previous = (engine._result, engine._after_node, _enabled)
    engine._result, engine._after_node, _enabled = _checked_result, _check_contributions, True
    try:
        yield
    finally:
        engine._result, engine._after_node, _enabled = previous
