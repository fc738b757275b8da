"""Grad modes and the hooks of the core: how `no_grad`, `detect_anomaly` and higher order switch the engine.

The engine reads this module's state when it makes a node and when it runs
backward, so a mode never rebinds another module's names: it calls the
functions here, which set the state and restore it on exit (blocks nest).

* `grad_enabled`: False inside `no_grad()`, where new nodes record no parents.
* `forward_hook(data, op, parents)`: called for every new node (anomaly mode checks `data`).
* `backward_hook(node)`: called by the chain rule after each node has sent its contributions.
* `graph_backward(root)`: what `Value.backward(create_graph=True)` runs; `higher_order` registers it when imported.

The state is global to the process (not per thread), like PyTorch's grad mode.
Nothing here imports the engine, so the engine can import it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

__all__ = [
    "BackwardHook",
    "ForwardHook",
    "GraphBackward",
    "hooks",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "set_graph_backward",
]

ForwardHook = Callable[[float, str, tuple[Any, ...]], None]
"""forward_hook(data, op, parents): called with each new node's number, op name and parents; may raise."""

BackwardHook = Callable[[Any], None]
"""backward_hook(node): called after `node` has sent local * grad to each of its parents; may raise."""

GraphBackward = Callable[[Any], None]
"""graph_backward(root): backpropagation that builds every gradient as a graph of Values."""

grad_enabled = True
forward_hook: ForwardHook | None = None
backward_hook: BackwardHook | None = None
graph_backward: GraphBackward | None = None


def is_grad_enabled() -> bool:
    """Return True unless called inside a `no_grad()` block."""
    return grad_enabled


@contextmanager
def set_grad_enabled(enabled: bool) -> Iterator[None]:
    """Context manager that turns recording on or off inside it; the previous state comes back on exit."""
    global grad_enabled
    previous = grad_enabled
    grad_enabled = enabled
    try:
        yield
    finally:
        grad_enabled = previous


def no_grad() -> AbstractContextManager[None]:
    """Context manager under which new ops record no parents (evaluation, parameter updates): no graph is kept."""
    return set_grad_enabled(False)


@contextmanager
def hooks(forward: ForwardHook | None, backward: BackwardHook | None) -> Iterator[None]:
    """Context manager that installs a mode's hooks in the core; the previous hooks come back on exit.

    `forward(data, op, parents)` sees every node made inside the block and `backward(node)` every node
    the chain rule finishes; None leaves that hook off.  This is how `detect_anomaly()` switches the engine.
    """
    global forward_hook, backward_hook
    previous = forward_hook, backward_hook
    forward_hook, backward_hook = forward, backward
    try:
        yield
    finally:
        forward_hook, backward_hook = previous


def set_graph_backward(backward: GraphBackward) -> None:
    """Register what `Value.backward(create_graph=True)` runs: `higher_order` does, when it is imported."""
    global graph_backward
    graph_backward = backward
