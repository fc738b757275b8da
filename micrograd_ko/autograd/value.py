"""The scalar autograd engine: a `Value` records every operation into a DAG.

Each operation makes a new `Value` that remembers its parents (in argument order), the op's name, and
d(out)/d(parent) for each parent as plain floats; the formulas live in the op table (`micrograd_ko.autograd.ops`).
`backward()` walks the graph once in reverse topological order: parent.grad += local_derivative * node.grad.

Local derivatives are data, not closures over their own node, so the graph has no reference cycles and
reference counting frees it at once.  Parents are a tuple, never a set: `a + a` keeps both edges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from itertools import repeat
from operator import mul
from typing import Literal, Union, cast

from micrograd_ko.autograd import ops
from micrograd_ko.autograd.checks import one_of, real_number
from micrograd_ko.autograd.ops import FLOATS, DomainError, Op

__all__ = ["ROLES", "DomainError", "Operand", "Role", "Value", "is_grad_enabled", "no_grad", "record"]

Role = Literal["input", "parameter", "constant", "result"]
"""What a Value is for: data fed in, a trainable weight, a number an op wrapped, or an op's output."""

ROLES: tuple[Role, ...] = ("input", "parameter", "constant", "result")

Operand = Union["Value", float]
"""Anything an operation accepts: a Value, or a real number (int, float, numpy scalar)."""

_grad_enabled = True
_ONE_ONE = (1.0, 1.0)
_ONE_MINUS_ONE = (1.0, -1.0)
_MINUS_ONE = (-1.0,)
_ONE = (1.0,)
_ZERO = (0.0,)


def is_grad_enabled() -> bool:
    """Return True unless called inside a `no_grad()` block."""
    return _grad_enabled


@contextmanager
def set_grad_enabled(enabled: bool) -> Iterator[None]:
    """Context manager that turns recording on or off inside it; the previous state comes back on exit."""
    global _grad_enabled
    previous = _grad_enabled
    _grad_enabled = enabled
    try:
        yield
    finally:
        _grad_enabled = previous


def no_grad() -> AbstractContextManager[None]:
    """Context manager under which new ops record no parents (evaluation, parameter updates): no graph is kept."""
    return set_grad_enabled(False)


def describe(value: Value) -> str:
    """A Value's number, with its label when it has one: for error messages."""
    return f"{value.data!r} (label {value.label!r})" if value.label else repr(value.data)


def _plain_result(data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """Build an op's output node; inside `no_grad()` it is a bare leaf."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.role = "result"
    if _grad_enabled:
        out._op, out._parents, out._local_grads = op, parents, local_grads
    else:
        out._op, out._parents, out._local_grads = "", (), ()
    return out


Recorder = Callable[[float, str, tuple["Value", ...], tuple[float, ...]], "Value"]

# Every op builds its output through this module global, looked up at call time,
# so `detect_anomaly()` can swap in a checking recorder without any per-op test.
_result: Recorder = _plain_result


def record(data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """Record a node as every op does (honouring no_grad and detect_anomaly); one local derivative per parent."""
    if len(local_grads) != len(parents):
        raise ValueError(f"record {op!r}: {len(parents)} parents but {len(local_grads)} local derivatives")
    return _result(data, op, parents, local_grads)


def _constant(number: object, op: str) -> Value:
    """A number an op was given, as a 'constant' leaf: checked here once, not again by `Value.__init__`."""
    out = _plain_result(real_number(number, f"{op}: operand"), "", (), ())
    out.role = "constant"
    return out


def _operands(items: Sequence[Operand], op: str) -> tuple[Value, ...]:
    """`items` as Values, numbers wrapped as constants; the usual all-Values case is checked in C."""
    if all(map(isinstance, items, repeat(Value))):
        return cast("tuple[Value, ...]", tuple(items))
    return tuple(v if isinstance(v, Value) else _constant(v, op) for v in items)


def _undefined(op: Op, parents: tuple[Value, ...], problem: ops.Problem) -> Exception:
    if op.kind == "operator" and len(parents) == 2:
        shown = f"{describe(parents[0])} {op.symbol} {describe(parents[1])}"
        return problem.error(f"{op.message_name}: {shown} {problem.reason}")
    shown = ", ".join(describe(p) for p in parents)
    return problem.error(f"{op.name}() of {shown} {problem.reason}")


def _apply(op: Op, parents: tuple[Value, ...]) -> Value:
    """One node of `op` over `parents`: domain check, forward formula, local derivatives, all from the table."""
    inputs = [p.data for p in parents]
    if op.check is not None:
        problem = op.check(*inputs)
        if problem is not None:
            raise _undefined(op, parents, problem)
    out = op.forward(*inputs)
    local_grads = op.local_grads(FLOATS, out, *inputs)
    if len(parents) > 1:  # a constant (the 2 of `x ** 2`) needs no gradient
        local_grads = tuple(0.0 if p.role == "constant" else g for p, g in zip(parents, local_grads))
    return _result(out, op.name, parents, local_grads)


def _dot_node(ws: tuple[Value, ...], xs: tuple[Value, ...], x_data: list[float], bias: Operand | None) -> Value:
    """The node of `Value.dot`; `x_data` is the inputs' data, read once by the caller."""
    w_data = [w.data for w in ws]
    total = sum(map(mul, w_data, x_data), 0.0)  # operator.mul: ~4x cheaper per call than float.__mul__
    if bias is None:
        return _result(total, "dot", ws + xs, (*x_data, *w_data))
    b = bias if isinstance(bias, Value) else _constant(bias, "dot")
    return _result(total + b.data, "dot", (*ws, *xs, b), (*x_data, *w_data, 1.0))


_DIVIDE, _POWER, _SUM, _MAX, _MIN = (ops.lookup(name) for name in ("/", "**", "sum", "max", "min"))
_LEAKY_RELU, _ELU = ops.lookup("leaky_relu"), ops.lookup("elu")


def _elementary(name: str) -> Callable[[Value], Value]:
    """The Value method of the one-input op `name`: one node from the table's block, documented by it."""
    op = ops.lookup(name)
    check, forward, local_grads = op.check, op.forward, op.local_grads  # read once, not per call

    def method(self: Value) -> Value:
        a = self.data
        if check is not None and (problem := check(a)) is not None:
            raise _undefined(op, (self,), problem)
        out = forward(a)
        return _result(out, name, (self,), local_grads(FLOATS, out, a))

    method.__name__, method.__qualname__, method.__doc__ = name, f"Value.{name}", op.doc
    return method


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
        self.data = real_number(data, "Value data")
        self.grad = 0.0
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}: {label!r}")
        self.label = label
        self.role = one_of(role, ROLES, "Value role")
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

    # ---- arithmetic: hand-inlined forms of the table's blocks, the hottest paths -----------------

    def __add__(self, other: Operand) -> Value:
        """a + b; d/da = 1, d/db = 1."""
        if not isinstance(other, Value):
            other = _constant(other, "+")
        return _result(self.data + other.data, "+", (self, other), _ONE_ONE)

    def __radd__(self, other: float) -> Value:
        return _constant(other, "+") + self

    def __sub__(self, other: Operand) -> Value:
        """a - b; d/da = 1, d/db = -1."""
        if not isinstance(other, Value):
            other = _constant(other, "-")
        return _result(self.data - other.data, "-", (self, other), _ONE_MINUS_ONE)

    def __rsub__(self, other: float) -> Value:
        return _constant(other, "-") - self

    def __mul__(self, other: Operand) -> Value:
        """a * b; d/da = b, d/db = a."""
        if not isinstance(other, Value):
            other = _constant(other, "*")
        return _result(self.data * other.data, "*", (self, other), (other.data, self.data))

    def __rmul__(self, other: float) -> Value:
        return _constant(other, "*") * self

    def __truediv__(self, other: Operand) -> Value:
        """a / b; d/da = 1/b, d/db = -a/b^2.  Division by zero raises ZeroDivisionError."""
        if not isinstance(other, Value):
            other = _constant(other, "/")
        return _apply(_DIVIDE, (self, other))

    def __rtruediv__(self, other: float) -> Value:
        return _constant(other, "/") / self

    def __neg__(self) -> Value:
        """-a; d/da = -1."""
        return _result(-self.data, "neg", (self,), _MINUS_ONE)

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
        return _apply(_POWER, (self, exponent))

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
        """Rectifier max(0, a); d/da = 1 for a > 0, else 0 (hand-inlined: the hottest activation)."""
        a = self.data
        if a > 0.0:
            return _result(a, "relu", (self,), _ONE)
        return _result(0.0, "relu", (self,), _ZERO)

    def leaky_relu(self, alpha: Operand = _LEAKY_RELU.defaults[0]) -> Value:
        """a for a > 0, alpha a otherwise; d/da = 1 or alpha, d/dalpha = min(a, 0).  `alpha` may be a Value (PReLU)."""
        return _apply(_LEAKY_RELU, (self, alpha if isinstance(alpha, Value) else _constant(alpha, "leaky_relu")))

    def elu(self, alpha: Operand = _ELU.defaults[0]) -> Value:
        """a for a > 0, alpha (e^a - 1) otherwise; d/da = 1 or alpha e^a, d/dalpha = e^a - 1 or 0."""
        return _apply(_ELU, (self, alpha if isinstance(alpha, Value) else _constant(alpha, "elu")))

    # ---- n-ary nodes --------------------------------------------------------------

    @staticmethod
    def sum(values: Iterable[Operand]) -> Value:
        """One node for v1 + ... + vn (d/dvi = 1) instead of a chain of '+' nodes; summed exactly (math.fsum)."""
        parents = _operands(tuple(values), "sum")
        return _result(_SUM.forward(*(p.data for p in parents)), "sum", parents, (1.0,) * len(parents))

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
        """One node for w1*x1 + ... + wn*xn (+ bias), parents w, x, bias; d/dwi = xi, d/dxi = wi, d/dbias = 1."""
        if len(weights) != len(inputs):
            raise ValueError(f"dot: {len(weights)} weights but {len(inputs)} inputs; they must have the same length")
        xs = _operands(inputs, "dot")
        return _dot_node(_operands(weights, "dot"), xs, [x.data for x in xs], bias)

    # ---- backpropagation -----------------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each after all of its parents, self last (iterative: no recursion limit)."""
        return _depth_first(self, for_backward=False)

    def backward(self, create_graph: bool = False) -> None:
        """Reverse-mode backpropagation: seed this node with 1, then the chain rule in reverse topological order.

        A node used twice receives both contributions.  As in PyTorch, leaves accumulate across calls (call
        zero_grad() first); computed nodes are reset, so they hold d(self)/d(node) for this call alone.
        `create_graph=True` also builds the gradient as a graph (`grad_value`; see `autograd.higher_order`).
        """
        if create_graph:
            from micrograd_ko.autograd.higher_order import backward_with_graph  # optional machinery, loaded when used

            backward_with_graph(self)
            return
        propagate(seeded_order(self), _after_node)


def _extreme(op: Op, values: Iterable[Operand]) -> Value:
    parents = _operands(tuple(values), op.name)
    if not parents:
        raise ValueError(f"{op.name}: needs at least one value, got none")
    return _apply(op, parents)


# ---- the backward pass ------------------------------------------------------------------------

NodeHook = Callable[[Value], None]

# Called after each node has sent its contributions; `detect_anomaly()` sets it to check them.
_after_node: NodeHook | None = None


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


def _depth_first(root: Value, for_backward: bool) -> list[Value]:
    """Iterative post-order search from `root`: every node after all of its parents, root last.

    For backward, leaves are left out (nothing to send them a gradient to) and computed nodes' grads are reset.
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
            if for_backward:
                node.grad = 0.0
            push((node, True))
            # pushed last-to-first so the first argument is popped, and listed, first
            for parent in reversed(node._parents):
                if (parent._parents or not for_backward) and parent not in visited:
                    push((parent, False))
    return order


def seeded_order(root: Value) -> list[Value]:
    """The computed nodes of `root`'s graph in topological order, grads reset to 0, and the root seeded."""
    if not root._parents:
        root.grad += 1.0
        return []
    order = _depth_first(root, for_backward=True)
    root.grad = 1.0
    return order
