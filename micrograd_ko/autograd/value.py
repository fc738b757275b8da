"""The scalar autograd engine: a `Value` records every operation into a DAG.  Read this file first.

The story, in order: a Value's fields (data, grad, parents); its arithmetic, where every op makes one
new node that remembers its parents in argument order, the op's name and d(out)/d(parent) for each
parent as plain floats (the formulas live in the op table, `micrograd_ko.autograd.ops`); then `backward`:
the order, the seed, and the chain rule `propagate`, parent.grad += local_derivative * node.grad.
The plumbing comes last: the one function that makes a node, numbers as constants, the table's glue.
Grad modes and the hooks they switch live in `modes.py`.

Local derivatives are data, not closures over their own node, so the graph has no reference cycles and
reference counting frees it at once.  Parents are a tuple, never a set: `a + a` keeps both edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import mul
from typing import Literal, Union, cast

from micrograd_ko.autograd import modes, ops
from micrograd_ko.autograd.checks import one_of, real_number
from micrograd_ko.autograd.namespaces import FLOATS
from micrograd_ko.autograd.ops import DomainError, Op

__all__ = [
    "ROLES",
    "DomainError",
    "Operand",
    "Role",
    "Value",
    "apply_op",
    "as_values",
    "backward_order",
    "describe",
    "dot_rows",
    "propagate",
    "topological_order",
]

Role = Literal["input", "parameter", "constant", "result"]
"""What a Value is for: data fed in, a trainable weight, a number an op wrapped, or an op's output."""

ROLES: tuple[Role, ...] = ("input", "parameter", "constant", "result")

Operand = Union["Value", float]
"""Anything an operation accepts: a Value, or a real number (int, float, numpy scalar)."""


def _elementary(name: str) -> Callable[[Value], Value]:
    """The Value method of the one-input op `name`: one node from the table's block, documented by it.

    Defined before the class because the class body calls it; what it calls is defined after.
    """
    op = ops.lookup(name)
    check, forward, local_grads = op.check, op.forward, op.local_grads  # read once, not per call

    def method(self: Value) -> Value:
        a = self.data
        if check is not None and (problem := check(a)) is not None:
            raise _undefined(op, (self,), problem)
        out = forward(a)
        return _node(out, name, (self,), local_grads(FLOATS, out, a))

    method.__name__, method.__qualname__, method.__doc__ = name, f"Value.{name}", op.doc
    return method


_LEAKY_RELU, _ELU = ops.lookup("leaky_relu"), ops.lookup("elu")  # their defaults are the methods' defaults

class Value:
    """A scalar in a computation graph: its `data`, its `grad`, and how it was made.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad   # dy/dx = 2x + 3
    7.0
    """

    __slots__ = ("data", "grad", "label", "role", "_op", "_parents", "_local_grads", "_grad_value")

    data: float
    grad: float
    label: str
    role: Role
    _op: str
    _parents: tuple[Value, ...]
    _local_grads: tuple[float, ...]
    _grad_value: Value  # unset until a create_graph backward reaches the node

    def __init__(self, data: float, label: str = "", role: Role = "input") -> None:
        """A leaf holding `data` as a float; `label` is drawn by viz; `role` is 'input', 'parameter' or 'constant'."""
        self.data = real_number(data, "Value: data")
        self.grad = 0.0
        if not isinstance(label, str):
            raise TypeError(f"Value: label must be a str, got {label!r}")
        self.label = label
        self.role = one_of(role, ROLES, "Value: role")
        self._op = ""
        self._parents = ()
        self._local_grads = ()

    # ---- the graph, read-only -------------------------------------------------

    @property
    def op(self) -> str:
        """Name of the operation that produced this node ('' for a leaf); its block is `ops.lookup(op)`."""
        return self._op

    @property
    def parents(self) -> tuple[Value, ...]:
        """The operands this node was computed from, in argument order (repeats kept)."""
        return self._parents

    @property
    def local_grads(self) -> tuple[float, ...]:
        """d(self)/d(parent) for each parent, in the same order as `parents`."""
        return self._local_grads

    @property
    def grad_value(self) -> Value | None:
        """d(root)/d(self) as a Value (differentiable again) from the last `backward(create_graph=True)`, else None."""
        try:  # the slot stays unset on the hot path (ops never write it)
            return self._grad_value
        except AttributeError:
            return None

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        return self.data

    # ---- arithmetic: the table's blocks for + - * neg relu written out by hand (measured faster) ----
    # Their docstrings come from the blocks (set after the class); test_fast_paths proves the two agree.

    def __add__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _constant(other, "+")
        return _node(self.data + other.data, "+", (self, other), _ONE_ONE)

    def __radd__(self, other: float) -> Value:
        return _constant(other, "+") + self

    def __sub__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _constant(other, "-")
        return _node(self.data - other.data, "-", (self, other), _ONE_MINUS_ONE)

    def __rsub__(self, other: float) -> Value:
        return _constant(other, "-") - self

    def __mul__(self, other: Operand) -> Value:
        if not isinstance(other, Value):
            other = _constant(other, "*")
        return _node(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __rmul__(self, other: float) -> Value:
        return _constant(other, "*") * self

    def __truediv__(self, other: Operand) -> Value:
        """a / b; d/da = 1/b, d/db = -a/b^2.  Division by zero raises ZeroDivisionError."""
        if not isinstance(other, Value):
            other = _constant(other, "/")
        return apply_op(_DIVIDE, (self, other))

    def __rtruediv__(self, other: float) -> Value:
        return _constant(other, "/") / self

    def __neg__(self) -> Value:
        return _node(-self.data, "neg", (self,), _MINUS_ONE)

    def __pos__(self) -> Value:
        """+a is a itself: no node is recorded."""
        return self

    def __pow__(self, exponent: Operand) -> Value:
        """a ** n; d/da = n a^(n-1), d/dn = a^n ln a (0.0 for a number exponent, a constant parent).

        DomainError for a negative base with a fractional exponent; ZeroDivisionError for 0 to a negative power.
        """
        if not isinstance(exponent, Value):
            exponent = _constant(exponent, "**")
        if self.data < 0.0 and exponent.role != "constant" and exponent.data.is_integer():
            raise DomainError(
                f"pow: {describe(self)} ** Value has no derivative in the exponent for a negative base; "
                "use a number exponent"
            )
        return apply_op(_POWER, (self, exponent))

    def __rpow__(self, other: float) -> Value:
        return _constant(other, "**") ** self

    # ---- elementary functions: each one block of the op table, documented there -----------------

    __abs__ = abs = _elementary("abs")  # abs(x) and x.abs(), as in PyTorch
    exp = _elementary("exp")
    log = _elementary("log")
    sqrt = _elementary("sqrt")
    sin = _elementary("sin")
    cos = _elementary("cos")
    tanh = _elementary("tanh")
    sigmoid = _elementary("sigmoid")
    softplus = _elementary("softplus")
    step = _elementary("step")

    def relu(self) -> Value:
        a = self.data
        if a > 0.0:
            return _node(a, "relu", (self,), _ONE)
        return _node(0.0, "relu", (self,), _ZERO)

    def leaky_relu(self, alpha: Operand = _LEAKY_RELU.defaults[0]) -> Value:
        """a for a > 0, alpha a otherwise; d/da = 1 or alpha, d/dalpha = min(a, 0).  `alpha` may be a Value (PReLU)."""
        return apply_op(_LEAKY_RELU, (self, alpha if isinstance(alpha, Value) else _constant(alpha, "leaky_relu")))

    def elu(self, alpha: Operand = _ELU.defaults[0]) -> Value:
        """a for a > 0, alpha (e^a - 1) otherwise; d/da = 1 or alpha e^a, d/dalpha = e^a - 1 or 0."""
        return apply_op(_ELU, (self, alpha if isinstance(alpha, Value) else _constant(alpha, "elu")))

    # ---- n-ary nodes: one node for many operands --------------------------------------------------

    @staticmethod
    def sum(values: Iterable[Operand]) -> Value:
        parents = as_values(tuple(values), "sum")
        return _node(_SUM.forward(*(p.data for p in parents)), "sum", parents, (1.0,) * len(parents))

    @staticmethod
    def max(values: Iterable[Operand]) -> Value:
        """One node for the largest of the values; d/dvi = 1 for the first largest, 0 for the others."""
        return _extreme(_MAX, values)

    @staticmethod
    def min(values: Iterable[Operand]) -> Value:
        """One node for the smallest of the values; d/dvi = 1 for the first smallest, 0 for the others."""
        return _extreme(_MIN, values)

    @staticmethod
    def dot(weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand | None = None) -> Value:
        if len(weights) != len(inputs):
            raise ValueError(
                f"dot: weights and inputs must have the same length, got {len(weights)} and {len(inputs)}"
            )
        xs = as_values(inputs, "dot")
        return _dot_node(as_values(weights, "dot"), xs, [x.data for x in xs], bias)

    # ---- backpropagation -----------------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its parents, self last (see `topological_order`)."""
        return topological_order(self)

    def backward(self, create_graph: bool = False) -> None:
        """Reverse-mode backpropagation: seed this node with 1, then the chain rule in reverse topological order.

        A node used twice receives both contributions.  As in PyTorch, leaves accumulate across calls (call
        zero_grad() first); computed nodes are reset, so they hold d(self)/d(node) for this call alone.
        `create_graph=True` also builds the gradient as a graph (`grad_value`; see `autograd.higher_order`).
        """
        if not create_graph:
            propagate(backward_order(self), modes.backward_hook)
        elif modes.graph_backward is not None:
            modes.graph_backward(self)
        else:
            raise RuntimeError("backward: create_graph=True needs micrograd_ko.autograd.higher_order imported")


# ---- backward: the order, the seed, the chain rule ---------------------------------------------


def topological_order(root: Value) -> list[Value]:
    """Every node `root` depends on, each after all of its parents, root last: the order viz and the compiler walk.

    An iterative depth-first search (no recursion limit: a chain of a million nodes works); parents are
    visited in argument order, so the order is the same from run to run.
    """
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    push = stack.append
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            push((node, True))
            # pushed last-to-first so the first argument is popped, and listed, first
            for parent in reversed(node._parents):
                if parent not in visited:
                    push((parent, False))
    return order


def backward_order(root: Value) -> list[Value]:
    """The order `backward` walks: `root`'s computed nodes in topological order, grads reset to 0, root seeded with 1.

    The search of `topological_order` without the leaves (nothing sends a gradient on from a leaf), which
    also resets each computed node's grad as it meets it.  A root that is a leaf just gets its 1.
    """
    if not root._parents:
        root.grad += 1.0
        return []
    order: list[Value] = []
    visited: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(root, False)]
    push = stack.append
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            node.grad = 0.0
            push((node, True))
            for parent in reversed(node._parents):
                if parent._parents and parent not in visited:
                    push((parent, False))
    root.grad = 1.0
    return order


NodeHook = Callable[[Value], None]


def propagate(order: list[Value], after_node: NodeHook | None = None) -> None:
    """The chain rule over `order` (topological, root seeded): parent.grad += local * node.grad.

    Every backward pass runs this loop: `backward`, anomaly mode and `viz.backward_steps` (their hooks check or record).
    """
    isfinite = math.isfinite
    for node in reversed(order):
        grad = node.grad
        local_grads = node._local_grads
        # A zero gradient sends exactly 0 to every parent (dead ReLUs, met hinge margins: most of a
        # trained network), so skip it, unless a local derivative is inf or NaN, where 0 * inf = NaN.
        if grad != 0.0 or not isfinite(sum(local_grads)):
            for parent, local in zip(node._parents, local_grads):
                parent.grad += local * grad
        if after_node is not None:
            after_node(node)


# ---- plumbing: the one way to make a node, numbers as constants, the op table's glue ----------------

_ONE_ONE = (1.0, 1.0)
_ONE_MINUS_ONE = (1.0, -1.0)
_MINUS_ONE = (-1.0,)
_ONE = (1.0,)
_ZERO = (0.0,)


def _node(data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """Every op's output node is made here: a bare leaf inside `no_grad()`, shown to a mode's forward hook."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.role = "result"
    if modes.grad_enabled:
        out._op, out._parents, out._local_grads = op, parents, local_grads
    else:
        out._op, out._parents, out._local_grads = "", (), ()
    if modes.forward_hook is not None:
        modes.forward_hook(data, op, parents)
    return out


def _constant(number: object, op: str) -> Value:
    """A number an op was given, as a 'constant' leaf: checked here once, not again by `Value.__init__`."""
    out = object.__new__(Value)
    out.data = real_number(number, f"{op}: operand")
    out.grad = 0.0
    out.label = ""
    out.role = "constant"
    out._op, out._parents, out._local_grads = "", (), ()
    return out


def as_values(items: Sequence[Operand], what: str) -> tuple[Value, ...]:
    """`items` as Values, each number wrapped as a constant leaf (errors name `what`, e.g. 'linear: operand').

    The usual all-Values case is checked in C, at the speed of one `isinstance` per item.
    """
    if all(map(isinstance, items, repeat(Value))):
        return cast("tuple[Value, ...]", tuple(items))
    return tuple(v if isinstance(v, Value) else _constant(v, what) for v in items)


def describe(value: Value) -> str:
    """A Value's number, with its label when it has one, for error messages: "2.0 (label 'x')"."""
    return f"{value.data!r} (label {value.label!r})" if value.label else repr(value.data)


def _undefined(op: Op, parents: tuple[Value, ...], problem: ops.Problem) -> Exception:
    if op.kind == "operator" and len(parents) == 2:
        shown = f"{describe(parents[0])} {op.symbol} {describe(parents[1])}"
        return problem.error(f"{op.message_name}: {shown} {problem.reason}")
    shown = ", ".join(describe(p) for p in parents)
    return problem.error(f"{op.name}() of {shown} {problem.reason}")


def apply_op(op: Op, parents: tuple[Value, ...]) -> Value:
    """One node of `op` over `parents`: domain check, forward formula, local derivatives, all from its block.

    How ops without a hand-written method reach the engine (division, pow, custom ops, `custom.apply`).
    """
    inputs = [p.data for p in parents]
    if op.check is not None:
        problem = op.check(*inputs)
        if problem is not None:
            raise _undefined(op, parents, problem)
    out = op.forward(*inputs)
    local_grads = op.local_grads(FLOATS, out, *inputs)
    if len(parents) > 1:  # a constant (the 2 of `x ** 2`) needs no gradient
        local_grads = tuple(0.0 if p.role == "constant" else g for p, g in zip(parents, local_grads))
    return _node(out, op.name, parents, local_grads)


def _dot_node(ws: tuple[Value, ...], xs: tuple[Value, ...], x_data: list[float], bias: Operand | None) -> Value:
    """The node of `Value.dot`; `x_data` is the inputs' data, read once by the caller."""
    w_data = [w.data for w in ws]
    total = sum(map(mul, w_data, x_data), 0.0)  # operator.mul: ~4x cheaper per call than float.__mul__
    if bias is None:
        return _node(total, "dot", ws + xs, (*x_data, *w_data))
    b = bias if isinstance(bias, Value) else _constant(bias, "dot")
    return _node(total + b.data, "dot", (*ws, *xs, b), (*x_data, *w_data, 1.0))


def dot_rows(
    weight_rows: Sequence[tuple[Value, ...]], inputs: tuple[Value, ...], biases: Sequence[Operand | None]
) -> list[Value]:
    """One `dot` node per row, w_j . x + b_j, over the same inputs, whose data is read once for all rows.

    A layer's neurons in one call (`nn.functional.linear` and the layers use it).  Unchecked, for speed:
    every row must already be a tuple of Values as long as `inputs` (see `as_values`); a bias may be None.
    """
    x_data = [x.data for x in inputs]
    return [_dot_node(ws, inputs, x_data, b) for ws, b in zip(weight_rows, biases)]


def _extreme(op: Op, values: Iterable[Operand]) -> Value:
    parents = as_values(tuple(values), op.name)
    if not parents:
        raise ValueError(f"{op.name}: values must hold at least one value, got []")
    return apply_op(op, parents)


_DIVIDE, _POWER, _SUM, _MAX, _MIN = (ops.lookup(name) for name in ("/", "**", "sum", "max", "min"))

# The hand-written methods are documented by their blocks, as the `_elementary` ones are.
for _method, _name in (
    (Value.__add__, "+"),
    (Value.__sub__, "-"),
    (Value.__mul__, "*"),
    (Value.__neg__, "neg"),
    (Value.relu, "relu"),
    (Value.sum, "sum"),
    (Value.dot, "dot"),
):
    _method.__doc__ = ops.lookup(_name).doc
del _method, _name
