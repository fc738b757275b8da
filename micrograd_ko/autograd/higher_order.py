"""Higher-order derivatives: the gradient built as a graph of Values, so it can be differentiated again.

`backward(create_graph=True)` and `grad(fn)` run the same reverse sweep as
`backward()`, but each contribution is a Value, local_expression * upstream.
The local expressions come from the op table: each op's `local_grads` formula
is called with `VALUES`, the math namespace on Values, so `1 - out * out`
(tanh's derivative) becomes a small graph instead of a float.  That graph can
be differentiated again: `grad(grad(f))(x)` is f''(x).

Importing this module registers `backward_with_graph` with the core
(`modes.set_graph_backward`), which is how `Value.backward(create_graph=True)`
reaches it without the engine importing this module; `micrograd_ko.autograd`
imports it, so every user of the package has it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, cast, overload

from micrograd_ko.autograd import anomaly, modes, ops
from micrograd_ko.autograd.anomaly import AnomalyError, list_inputs
from micrograd_ko.autograd.checks import real_number
from micrograd_ko.autograd.modes import set_grad_enabled
from micrograd_ko.autograd.namespaces import FLOATS
from micrograd_ko.autograd.value import Operand, Value, describe

__all__ = ["VALUES", "backward_with_graph", "grad", "local_expressions"]


def _data_of(x: Operand) -> float:
    """The number of an operand: a Value's data, or the number itself."""
    return x.data if isinstance(x, Value) else x


def _lifted(on_values: Callable[..., Value], on_floats: Callable[..., float]) -> Callable[..., Operand]:
    """A namespace function on Values that is total, as FLOATS' is: outside the op's domain it gives
    FLOATS' number (inf, NaN) as a constant, because `where` evaluates branches it then throws away."""

    def total(*args: Operand) -> Operand:
        if not any(isinstance(a, Value) for a in args):
            return on_floats(*args)
        try:
            return on_values(*args)
        except (ArithmeticError, ValueError):
            return on_floats(*map(_data_of, args))

    return total


VALUES = SimpleNamespace(
    num=_data_of,
    where=FLOATS.where,
    exp=_lifted(lambda x: x.exp(), FLOATS.exp),
    log=_lifted(lambda x: x.log(), FLOATS.log),
    sigmoid=_lifted(lambda x: x.sigmoid(), FLOATS.sigmoid),
    sin=_lifted(lambda x: x.sin(), FLOATS.sin),
    cos=_lifted(lambda x: x.cos(), FLOATS.cos),
    sign=lambda x: FLOATS.sign(_data_of(x)),
    power=_lifted(lambda a, p: a**p, FLOATS.power),
    divide=_lifted(lambda x, y: x / y, FLOATS.divide),
)
"""The math namespace on Values: the op table's derivative formulas build graphs with it."""


def local_expressions(node: Value) -> Sequence[Operand]:
    """d(node)/d(parent) for each parent as Values built from the node and its parents.

    Constant parents enter the formula as plain numbers, and their own entry is
    the float the engine recorded: nothing will differentiate by a constant, and
    numbers keep the gradient graph small.
    """
    try:
        op = ops.lookup(node._op)
    except KeyError:
        raise NotImplementedError(
            f"create_graph: op {node._op!r} is not in the op table, so its derivatives cannot be built as Values; "
            "define it with custom_op"
        ) from None
    parents = node._parents
    constant = [p.role == "constant" and not p._parents for p in parents]
    arguments = [p.data if c else p for p, c in zip(parents, constant)]
    expressions = op.local_grads(VALUES, node, *arguments)
    return [recorded if c else e for e, c, recorded in zip(expressions, constant, node._local_grads)]


def _chain(local: Operand, upstream: Operand) -> Operand | None:
    """local * upstream without building nodes for the trivial factors; None for an exact zero."""
    if not isinstance(upstream, Value):
        if not isinstance(local, Value):
            return local * upstream
        if upstream == 1.0:
            return local
        return None if upstream == 0.0 else local * upstream
    if isinstance(local, Value):
        return local * upstream
    if local == 1.0:
        return upstream
    if local == -1.0:
        return -upstream
    return None if local == 0.0 else local * upstream


def _total(parts: list[Operand]) -> Operand:
    if len(parts) == 1:
        return parts[0]
    if any(isinstance(part, Value) for part in parts):
        return Value.sum(parts)
    return sum((float(part) for part in parts), 0.0)


def _graph_gradients(root: Value, order: list[Value], needed: set[Value] | None) -> dict[Value, Operand]:
    """d(root)/d(node) for every node reached, as Values (numbers where the gradient is a constant).

    With `needed`, only gradients flowing into those nodes are built.
    """
    pending: dict[Value, list[Operand]] = {root: [1.0]}
    totals: dict[Value, Operand] = {}
    for node in reversed(order):
        parts = pending.pop(node, None)
        if parts is None:
            continue
        try:
            upstream = totals[node] = _total(parts)
            if node._parents and (isinstance(upstream, Value) or upstream != 0.0):
                _send_to_parents(node, upstream, needed, pending)
        except AnomalyError as error:
            raise AnomalyError(
                f"detect_anomaly: backward (create_graph) of {node._op or 'a leaf'!r}, output {describe(node)}, "
                f"with inputs {list_inputs(node._parents)}: {error}"
            ) from error
    return totals


def _send_to_parents(
    node: Value, upstream: Operand, needed: set[Value] | None, pending: dict[Value, list[Operand]]
) -> None:
    """Add local_expression * upstream to the pending gradient of each parent (that is needed)."""
    for index, (parent, local) in enumerate(zip(node._parents, local_expressions(node))):
        if needed is not None and parent not in needed:
            continue
        contribution = _chain(local, upstream)
        if contribution is None:
            continue
        if anomaly.is_anomaly_enabled() and not math.isfinite(_data_of(contribution)):
            raise AnomalyError(
                f"its input {index}, {describe(parent)}, got {_data_of(contribution)!r}: "
                f"local derivative {_data_of(local)!r} × upstream gradient {_data_of(upstream)!r}"
            )
        pending.setdefault(parent, []).append(contribution)


def _as_value(gradient: Operand) -> Value:
    return gradient if isinstance(gradient, Value) else Value(gradient, role="constant")


def backward_with_graph(root: Value) -> None:
    """`Value.backward(create_graph=True)`: floats into `grad`, Values with graphs into `grad_value`.

    Between two such calls, zero the leaves' `grad` as usual, since it keeps
    accumulating.  As in PyTorch, this links each node to a gradient graph
    that refers back to it, a reference cycle that only Python's cyclic
    garbage collector frees; in a loop prefer `grad(fn)`, which stores
    nothing on the nodes.  Inside `detect_anomaly()` every contribution is checked.
    """
    order = root.topological_order()
    with set_grad_enabled(True):
        totals = _graph_gradients(root, order, None)
    for node in order:
        gradient = _as_value(totals.get(node, 0.0))
        node._grad_value = gradient
        if node._parents:
            node.grad = gradient.data
        else:
            node.grad += gradient.data


def _depending_on(order: list[Value], targets: Sequence[Value]) -> set[Value]:
    """The nodes of `order` that are a target or are computed from one."""
    reached = set(targets)
    for node in order:
        if node not in reached and any(parent in reached for parent in node._parents):
            reached.add(node)
    return reached


@overload
def grad(fn: Callable[..., Value], wrt: int = 0) -> Callable[..., Value]: ...
@overload
def grad(fn: Callable[..., Value], wrt: Sequence[int]) -> Callable[..., tuple[Value, ...]]: ...
def grad(fn: Callable[..., Value], wrt: int | Sequence[int] = 0) -> Callable[..., Any]:
    """Turn `fn` into the function that computes its derivative: grad(f)(x) = f'(x).

    `wrt` picks the positional argument to differentiate by (default the first,
    giving one Value) or several (a tuple of ints, giving a tuple of Values,
    one partial derivative each).  Arguments may be numbers or Values.  The
    derivatives are Values with graphs of their own, so the result composes:
    grad(grad(f))(x) = f''(x).  Nothing's `.grad` is touched, and recording is
    on while it runs even inside `no_grad()` (building the graph is its job).

    >>> f = lambda x: x ** 3
    >>> grad(grad(f))(2.0).data   # d^2/dx^2 x^3 = 6x
    12.0
    """
    given: tuple[object, ...] = tuple(wrt) if isinstance(wrt, Sequence) and not isinstance(wrt, str) else (wrt,)
    rule = "an argument position (an int >= 0) or a non-empty sequence of them"
    if not all(type(p) is int for p in given):
        raise TypeError(f"grad: wrt must be {rule}, got {wrt!r}")
    positions = cast("tuple[int, ...]", given)
    if not positions or min(positions) < 0:
        raise ValueError(f"grad: wrt must be {rule}, got {wrt!r}")
    name = getattr(fn, "__name__", type(fn).__name__)

    def gradient(*args: Operand) -> Value | tuple[Value, ...]:
        if max(positions) >= len(args):
            raise TypeError(
                f"grad({name}): wrt must be positions among the function's {len(args)} arguments, got {wrt!r}"
            )
        values = tuple(a if isinstance(a, Value) else Value(real_number(a, f"grad({name}): argument")) for a in args)
        with set_grad_enabled(True):
            out = fn(*values)
            if not isinstance(out, Value):
                raise TypeError(f"grad({name}): the function's result must be a Value, got {out!r}")
            targets = [values[p] for p in positions]
            order = out.topological_order()
            totals = _graph_gradients(out, order, _depending_on(order, targets))
        derivatives = tuple(_as_value(totals.get(target, 0.0)) for target in targets)
        return derivatives[0] if isinstance(wrt, int) else derivatives

    gradient.__name__ = f"grad({name})"
    gradient.__doc__ = f"Derivative of {name} with respect to argument(s) {wrt!r}."
    return gradient


modes.set_graph_backward(backward_with_graph)
