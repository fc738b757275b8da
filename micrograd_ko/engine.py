"""The scalar autograd engine: a `Value` records every operation into a DAG.

Each operation creates a new `Value` that remembers three things about how it
was made: its parents (in argument order), the name of the operation, and the
local derivative d(out)/d(parent) for each parent, computed as plain floats at
forward time.  `backward()` then walks the graph once in reverse topological
order and applies the chain rule:

    parent.grad += local_derivative * node.grad

Keeping the local derivatives as data (instead of a closure that refers back
to its own node, as many small engines do) means the graph contains no
reference cycles: reference counting frees it the moment the last reference
to the output goes away, without waiting for Python's cyclic garbage
collector.  Parents are a tuple, never a set, so `a + a` keeps both edges and
gradients are summed in the same order on every run.

Two optional paths sit beside that fast one and cost nothing when unused:

* Higher-order derivatives.  `backward(create_graph=True)` and `grad(fn)` build
  the gradient itself as a graph of Values, so it can be differentiated again.
  They read each op's local derivatives as Value expressions from a table of
  rules keyed by op name (d tanh = 1 - out^2, d(a*b) = (b, a), ...).
* `detect_anomaly()` swaps in a recorder that checks every new node for NaN and
  infinity, and makes `backward()` check every contribution.

Nothing here imports another module of the package.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from itertools import repeat
from operator import mul
from typing import Literal, Union, cast, overload

__all__ = [
    "ROLES",
    "AnomalyError",
    "DomainError",
    "GraphRule",
    "Operand",
    "Role",
    "Value",
    "detect_anomaly",
    "dot_rows",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "record",
    "register_graph_rule",
]

Role = Literal["input", "parameter", "constant", "result"]
"""What a Value is for: data fed in, a trainable weight, a number an op wrapped, or an op's output."""

ROLES: tuple[Role, ...] = ("input", "parameter", "constant", "result")

Operand = Union["Value", float]
"""Anything an operation accepts: a Value, or a real number (int, float, numpy scalar)."""

_grad_enabled = True
_anomaly_enabled = False
_ONE_ONE = (1.0, 1.0)
_ONE_MINUS_ONE = (1.0, -1.0)
_MINUS_ONE = (-1.0,)
_ZERO = (0.0,)
_ONE = (1.0,)


class DomainError(ValueError):
    """An operation was applied outside its mathematical domain (log of -2, sqrt of -1, ...)."""


class AnomalyError(FloatingPointError):
    """Inside `detect_anomaly()`, an op produced NaN or an infinity in forward or backward."""


def is_grad_enabled() -> bool:
    """Return True unless called inside a `no_grad()` block."""
    return _grad_enabled


@contextmanager
def _grad_mode(enabled: bool) -> Iterator[None]:
    global _grad_enabled
    previous = _grad_enabled
    _grad_enabled = enabled
    try:
        yield
    finally:
        _grad_enabled = previous


def no_grad() -> AbstractContextManager[None]:
    """Context manager under which new operations record no parents.

    Use it for evaluation and for parameter updates: the results are plain
    leaves, so no graph is kept alive and `backward()` cannot flow through them.
    Blocks nest; the previous state is restored on exit, even after an exception.
    """
    return _grad_mode(False)


def _checked_float(data: object, what: str) -> float:
    """Convert a real number to float, or raise a TypeError that names what was given."""
    if type(data) is float:
        return data
    if type(data) is int or (isinstance(data, numbers.Real) and not isinstance(data, bool)):
        return float(data)
    raise TypeError(f"{what} must be a real number (int, float or numpy scalar), got {type(data).__name__}: {data!r}")


def _describe(value: Value) -> str:
    return f"{value.data!r} (label {value.label!r})" if value.label else repr(value.data)


def _plain_result(data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """Build an op's output node; inside `no_grad()` it is a bare leaf."""
    out = object.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    out.role = "result"
    if _grad_enabled:
        out._op = op
        out._parents = parents
        out._local_grads = local_grads
    else:
        out._op = ""
        out._parents = ()
        out._local_grads = ()
    return out


def _checked_result(data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """`_plain_result`, but first raise AnomalyError if `data` is NaN or infinite."""
    if not math.isfinite(data):
        raise AnomalyError(f"detect_anomaly: forward of {op!r} produced {data!r} from inputs {_list_inputs(parents)}")
    return _plain_result(data, op, parents, local_grads)


def _list_inputs(parents: tuple[Value, ...], limit: int = 6) -> str:
    shown = ", ".join(_describe(p) for p in parents[:limit])
    return f"({shown}, ... {len(parents)} in all)" if len(parents) > limit else f"({shown})"


_Recorder = Callable[[float, str, tuple["Value", ...], tuple[float, ...]], "Value"]

# Every op builds its output through this module global, looked up at call time,
# so `detect_anomaly()` can swap in the checking recorder without any per-op test.
_result: _Recorder = _plain_result


def record(data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
    """Record a new node the way every built-in op does: value, op name, parents, d(out)/d(parent).

    This is the hook for user-defined primitives (see `micrograd_ko.function`):
    the node honours `no_grad()` and `detect_anomaly()` like any other.
    `local_grads` must hold one float per parent.
    """
    if len(local_grads) != len(parents):
        raise ValueError(f"record {op!r}: {len(parents)} parents but {len(local_grads)} local derivatives")
    return _result(data, op, parents, local_grads)


def is_anomaly_enabled() -> bool:
    """Return True inside a `detect_anomaly()` block."""
    return _anomaly_enabled


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Context manager that stops at the first NaN or infinity, in forward or in backward.

    Inside the block every new node is checked as it is made, and `backward()`
    checks every contribution local_derivative * grad; the first non-finite
    number raises AnomalyError naming the op, its inputs and their labels.
    Outside the block nothing is checked and NaN propagates as IEEE floats do.
    The ordinary path pays nothing for this: the block swaps the module's node
    recorder and sets one flag that `backward()` reads once per call.
    The mode is global to the process (not per thread); blocks nest.
    """
    global _result, _anomaly_enabled
    previous = (_result, _anomaly_enabled)
    _result, _anomaly_enabled = _checked_result, True
    try:
        yield
    finally:
        _result, _anomaly_enabled = previous


def _constant(number: object, op: str) -> Value:
    return Value(_checked_float(number, f"{op}: operand"), role="constant")


def _operands(items: Sequence[Operand], op: str) -> tuple[Value, ...]:
    """`items` as Values, numbers wrapped as constants; the usual all-Values case is checked in C."""
    if all(map(isinstance, items, repeat(Value))):
        return cast("tuple[Value, ...]", tuple(items))
    return tuple(v if isinstance(v, Value) else _constant(v, op) for v in items)


def _dot_node(ws: tuple[Value, ...], xs: tuple[Value, ...], x_data: list[float], bias: Operand | None) -> Value:
    """The node of `Value.dot`; `x_data` is the inputs' data, read once by the caller."""
    w_data = [w.data for w in ws]
    total = sum(map(mul, w_data, x_data), 0.0)  # operator.mul: ~4x cheaper per call than float.__mul__
    if bias is None:
        return _result(total, "dot", ws + xs, (*x_data, *w_data))
    b = bias if isinstance(bias, Value) else _constant(bias, "dot")
    return _result(total + b.data, "dot", (*ws, *xs, b), (*x_data, *w_data, 1.0))


def dot_rows(
    weight_rows: Sequence[tuple[Value, ...]], inputs: tuple[Value, ...], biases: Sequence[Operand | None]
) -> list[Value]:
    """`Value.dots` without its checks: every row already a tuple of Values as long as `inputs`.

    For callers that own their weights, such as `nn.Layer`, whose rows are
    tuples of the parameters it created: checking them again for every input
    vector would cost a quarter of an MLP's forward pass.
    """
    x_data = [x.data for x in inputs]
    return [_dot_node(ws, inputs, x_data, b) for ws, b in zip(weight_rows, biases)]


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
        """Create a leaf holding `data` (converted to float).

        `label` is free text shown by the renderer; `role` is 'input' (default),
        'parameter' (trainable: optimizers accept only these) or 'constant'.
        """
        self.data = _checked_float(data, "Value data")
        self.grad = 0.0
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}: {label!r}")
        self.label = label
        if role not in ROLES:
            raise ValueError(f"Value role must be one of {', '.join(ROLES)}; got {role!r}")
        self.role = role
        self._op = ""
        self._parents = ()
        self._local_grads = ()

    # ---- the graph, read-only -------------------------------------------------

    @property
    def op(self) -> str:
        """Name of the operation that produced this node ('' for a leaf)."""
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
        """The gradient as a Value with its own graph, from the last `backward(create_graph=True)`.

        `grad` is always a plain float, so the ordinary training loop never
        builds a second graph; `create_graph=True` additionally leaves here
        d(root)/d(self) as a Value that can itself be differentiated
        (`x.grad_value.backward()` gives a second derivative).  Unlike `grad`
        it does not accumulate across calls: each create_graph backward
        replaces it.  None until such a backward reaches this node.
        """
        # The slot is left unset on the hot path (ops never write it), so reading it may fail.
        try:
            return self._grad_value
        except AttributeError:
            return None

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    def __float__(self) -> float:
        return self.data

    # ---- arithmetic -------------------------------------------------------------

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
        b = other.data
        if b == 0.0:
            raise ZeroDivisionError(f"division: {_describe(self)} / {_describe(other)} divides by zero")
        quotient = self.data / b
        return _result(quotient, "/", (self, other), (1.0 / b, -quotient / b))

    def __rtruediv__(self, other: float) -> Value:
        return _constant(other, "/") / self

    def __neg__(self) -> Value:
        """-a; d/da = -1."""
        return _result(-self.data, "neg", (self,), _MINUS_ONE)

    def __pos__(self) -> Value:
        return self

    def __pow__(self, exponent: Operand) -> Value:
        """a ** n.  d/da = n a^(n-1); for a Value exponent, d/dn = a^n ln a.

        A number exponent is recorded as a constant parent whose derivative is
        not needed (0.0).  Raises DomainError for a negative base with a
        non-integer exponent and ZeroDivisionError for 0 to a negative power.
        """
        if not isinstance(exponent, Value):
            exponent = _constant(exponent, "**")
        base, n = self.data, exponent.data
        if base < 0.0 and not n.is_integer():
            raise DomainError(
                f"pow: {_describe(self)} ** {n!r} is undefined: a negative base needs an integer exponent"
            )
        if base == 0.0 and n < 0.0:
            raise ZeroDivisionError(f"pow: 0.0 ** {n!r} divides by zero")
        try:
            out = base**n
        except OverflowError:
            out = -math.inf if base < 0.0 and n % 2.0 == 1.0 else math.inf
        if n == 0.0:
            d_base = 0.0
        elif base == 0.0 and n < 1.0:
            d_base = math.inf  # a^n is vertical at 0 for 0 < n < 1
        elif math.isinf(out):
            d_base = n * out / base
        else:
            d_base = n * base ** (n - 1.0)
        if exponent.role == "constant":
            d_exponent = 0.0
        elif base > 0.0:
            d_exponent = out * math.log(base)
        elif base == 0.0:
            d_exponent = 0.0  # the limit of a^n ln a as a -> 0+ for n > 0
        else:
            raise DomainError(
                f"pow: {_describe(self)} ** Value has no derivative in the exponent for a negative base; "
                "use a number exponent"
            )
        return _result(out, "**", (self, exponent), (d_base, d_exponent))

    def __rpow__(self, other: float) -> Value:
        return _constant(other, "**") ** self

    # ---- elementary functions ---------------------------------------------------

    def __abs__(self) -> Value:
        """|a|; d/da = sign(a), taken as 0 at a = 0 (a subgradient)."""
        a = self.data
        return _result(abs(a), "abs", (self,), ((a > 0.0) - (a < 0.0),))

    def exp(self) -> Value:
        """e^a; d/da = e^a.  Overflows to inf like IEEE arithmetic."""
        try:
            out = math.exp(self.data)
        except OverflowError:
            out = math.inf
        return _result(out, "exp", (self,), (out,))

    def log(self) -> Value:
        """Natural logarithm ln a; d/da = 1/a.  Raises DomainError for a <= 0."""
        a = self.data
        if not a > 0.0:
            raise DomainError(f"log() of {_describe(self)} is undefined: log needs a positive input")
        return _result(math.log(a), "log", (self,), (1.0 / a,))

    def sqrt(self) -> Value:
        """Square root; d/da = 1 / (2 sqrt a), infinite at 0.  Raises DomainError for a < 0."""
        a = self.data
        if a < 0.0:
            raise DomainError(f"sqrt() of {_describe(self)} is undefined: sqrt needs a non-negative input")
        out = math.sqrt(a)
        return _result(out, "sqrt", (self,), (0.5 / out if out else math.inf,))

    def tanh(self) -> Value:
        """Hyperbolic tangent, output in (-1, 1); d/da = 1 - tanh(a)^2."""
        t = math.tanh(self.data)
        return _result(t, "tanh", (self,), (1.0 - t * t,))

    def sigmoid(self) -> Value:
        """Logistic function 1 / (1 + e^-a), output in (0, 1); d/da = s (1 - s).

        Evaluated as e^a / (1 + e^a) for negative a so that e^-a never overflows.
        """
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _result(s, "sigmoid", (self,), (s * (1.0 - s),))

    def relu(self) -> Value:
        """Rectifier max(0, a); d/da = 1 for a > 0, else 0."""
        a = self.data
        if a > 0.0:
            return _result(a, "relu", (self,), _ONE)
        return _result(0.0, "relu", (self,), _ZERO)

    def leaky_relu(self, alpha: float = 0.01) -> Value:
        """a for a > 0, alpha * a otherwise; d/da = 1 or alpha.  `alpha` is a constant parent."""
        slope = _constant(alpha, "leaky_relu")
        a, k = self.data, slope.data
        if a > 0.0:
            return _result(a, "leaky_relu", (self, slope), (1.0, 0.0))
        return _result(k * a, "leaky_relu", (self, slope), (k, 0.0))

    def elu(self, alpha: float = 1.0) -> Value:
        """a for a > 0, alpha (e^a - 1) otherwise; d/da = 1 or alpha e^a.  `alpha` is a constant parent."""
        scale = _constant(alpha, "elu")
        a, k = self.data, scale.data
        if a > 0.0:
            return _result(a, "elu", (self, scale), (1.0, 0.0))
        e = math.exp(a)
        return _result(k * (e - 1.0), "elu", (self, scale), (k * e, 0.0))

    def softplus(self) -> Value:
        """Smooth rectifier ln(1 + e^a); d/da = sigmoid(a).

        Computed as max(a, 0) + ln(1 + e^-|a|), which never overflows.
        """
        a = self.data
        e = math.exp(-abs(a))
        out = max(a, 0.0) + math.log1p(e)
        slope = 1.0 / (1.0 + e) if a >= 0.0 else e / (1.0 + e)
        return _result(out, "softplus", (self,), (slope,))

    def step(self) -> Value:
        """Threshold (Heaviside) function: 1 for a > 0, else 0.

        Its derivative is 0 wherever it exists (and undefined at 0), so the
        gradient that reaches anything before a step is always 0: gradient
        descent gets no signal about which way to move the weights.  That is
        why the perceptron rule, not backpropagation, trains threshold units,
        and why smooth activations such as sigmoid replaced it.
        """
        return _result(1.0 if self.data > 0.0 else 0.0, "step", (self,), _ZERO)

    # ---- n-ary nodes --------------------------------------------------------------

    @staticmethod
    def sum(values: Iterable[Operand]) -> Value:
        """One node for v1 + v2 + ... + vn (d/dvi = 1), instead of a chain of n - 1 '+' nodes.

        Summed exactly (math.fsum); a sum that overflows gives +-inf or NaN as IEEE addition does.
        """
        parents = tuple(v if isinstance(v, Value) else _constant(v, "sum") for v in values)
        try:
            total = math.fsum(p.data for p in parents)
        except (OverflowError, ValueError):  # fsum raises where IEEE addition gives inf or nan
            total = sum((p.data for p in parents), 0.0)
        return _result(total, "sum", parents, (1.0,) * len(parents))

    @staticmethod
    def dot(weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand | None = None) -> Value:
        """One node for w1*x1 + ... + wn*xn (+ bias); d/dwi = xi, d/dxi = wi, d/dbias = 1.

        Parents are the weights, then the inputs, then the bias.  Raises
        ValueError when the two sequences differ in length.
        """
        if len(weights) != len(inputs):
            raise ValueError(f"dot: {len(weights)} weights but {len(inputs)} inputs; they must have the same length")
        xs = _operands(inputs, "dot")
        return _dot_node(_operands(weights, "dot"), xs, [x.data for x in xs], bias)

    @staticmethod
    def dots(
        weight_rows: Sequence[Sequence[Operand]],
        inputs: Sequence[Operand],
        biases: Sequence[Operand | None] | None = None,
    ) -> list[Value]:
        """One dot node per row of weights, all reading the same inputs: a whole layer of neurons.

        The same nodes as [Value.dot(ws, inputs, b) for ws, b in zip(weight_rows, biases)],
        but the inputs are checked and read once instead of once per row, which
        makes an MLP's forward pass about a quarter faster.  `biases` holds one
        bias (or None) per row; None means no bias anywhere.
        """
        if biases is None:
            biases = [None] * len(weight_rows)
        elif len(biases) != len(weight_rows):
            raise ValueError(f"dots: {len(weight_rows)} rows of weights but {len(biases)} biases")
        xs = _operands(inputs, "dot")
        rows = []
        for row, weights in enumerate(weight_rows):
            if len(weights) != len(xs):
                raise ValueError(f"dots: row {row} has {len(weights)} weights but there are {len(xs)} inputs")
            rows.append(_operands(weights, "dot"))
        return dot_rows(rows, xs, biases)

    # ---- backpropagation -----------------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each listed after all of its parents; self is last.

        Iterative depth-first search, so a chain of a million nodes needs no
        recursion.  Parents are explored in argument order, so for `x1*w1 + x2*w2`
        the x1*w1 branch is listed before the x2*w2 branch.
        """
        return _depth_first(self, for_backward=False)

    def backward(self, create_graph: bool = False) -> None:
        """Reverse-mode backpropagation from this node.

        Sets this node's grad to 1.0 and then, in reverse topological order,
        adds each node's contribution local_derivative * grad to its parents.
        A node used twice receives both contributions.  As in PyTorch, leaves
        (inputs, parameters, constants) accumulate across calls, so training
        loops call zero_grad() first; every computed node's grad is reset, so it
        always holds d(self)/d(node) for this call alone.

        With `create_graph=True` the gradient is also built as a graph: every
        node reached gets `grad_value`, a Value whose own `backward()` gives
        second derivatives (`grad` still gets the same float).  Between two
        such backward calls, zero the leaves' `grad` as usual, since it keeps
        accumulating.  As in PyTorch, this links each node to a gradient graph
        that refers back to it, a reference cycle that only Python's cyclic
        garbage collector frees; in a loop prefer `grad(fn)`, which stores
        nothing on the nodes.  Inside `detect_anomaly()` every contribution is
        checked.
        """
        if create_graph:
            _backward_with_graph(self)
            return
        if _anomaly_enabled:
            _checked_backward(self)
            return
        order = _seeded_order(self)
        isfinite = math.isfinite
        for node in reversed(order):
            grad = node.grad
            local_grads = node._local_grads
            # A zero gradient sends exactly 0 to every parent (dead ReLUs, met hinge margins: most of a
            # trained network), so skip it, unless a local derivative is inf or NaN, where 0 * inf = NaN.
            if grad == 0.0 and isfinite(sum(local_grads)):
                continue
            for parent, local in zip(node._parents, local_grads):
                parent.grad += local * grad


def _depth_first(root: Value, for_backward: bool) -> list[Value]:
    """Iterative post-order search from `root`: every node after all of its parents, root last.

    Parents are explored in argument order.  For backward, leaves are left out
    (they have no parents to pass a gradient to, and skipping them spares a
    push, a pop and a set entry for every weight and input) and each computed
    node's grad is reset on its first visit, so no second pass is needed; the
    computed nodes still come in exactly `topological_order()`'s order.
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


def _seeded_order(root: Value) -> list[Value]:
    """The computed nodes of `root`'s graph in topological order, grads reset to 0, and the root seeded."""
    if not root._parents:
        root.grad += 1.0
        return []
    order = _depth_first(root, for_backward=True)
    root.grad = 1.0
    return order


# ---- anomaly detection in backward --------------------------------------------------


def _checked_backward(root: Value) -> None:
    """`Value.backward`, raising AnomalyError at the first contribution that is NaN or infinite."""
    for node in reversed(_seeded_order(root)):
        grad = node.grad
        for index, (parent, local) in enumerate(zip(node._parents, node._local_grads)):
            contribution = local * grad
            if not math.isfinite(contribution):
                raise AnomalyError(_backward_anomaly(node, index, local, grad, contribution))
            parent.grad += contribution


def _backward_anomaly(node: Value, index: int, local: float, upstream: float, contribution: float) -> str:
    label = f" (label {node.label!r})" if node.label else ""
    return (
        f"detect_anomaly: backward of {node._op!r}{label} produced {contribution!r} for its input {index}, "
        f"{_describe(node._parents[index])}: local derivative {local!r} × upstream gradient {upstream!r}; "
        f"the op's inputs were {_list_inputs(node._parents)} and its output {node.data!r}"
    )


# ---- local derivatives as Value expressions, for higher-order derivatives -------------

GraphRule = Callable[["Value"], Sequence[Operand]]
"""Given a node, d(node)/d(parent) for each parent as Values built from the node and its parents.

A plain number stands for a derivative that is constant (0, 1, -1, alpha, ...),
which keeps the gradient graph small.  Each rule is the Value-expression twin
of the float formula its op computes at forward time.
"""


def _constant_locals(node: Value) -> tuple[float, ...]:
    """Ops whose local derivatives are constant where they exist: + - neg abs relu leaky_relu step sum."""
    return node._local_grads


def _mul_rule(node: Value) -> tuple[Operand, ...]:
    """d(a b) = (b, a)."""
    a, b = node._parents
    return (b, a)


def _div_rule(node: Value) -> tuple[Operand, ...]:
    """d(a / b) = (1 / b, -(a / b) / b)."""
    b = node._parents[1]
    return (1.0 / b, -node / b)


def _pow_rule(node: Value) -> tuple[Operand, ...]:
    """d(a^n) = (n a^(n-1), a^n ln a); a constant exponent n stays a number."""
    base, exponent = node._parents
    a, n = base.data, exponent.data
    if exponent.role == "constant":
        if n == 0.0 or (a == 0.0 and n < 1.0):
            return node._local_grads  # 0, or the vertical slope at a = 0: nothing left to differentiate
        return (n * base ** (n - 1.0), 0.0)
    if a == 0.0:
        return node._local_grads  # a^n ln a is only a limit at a = 0
    return (exponent * base ** (exponent - 1.0), node * base.log())


def _exp_rule(node: Value) -> tuple[Operand, ...]:
    """d e^a = e^a, the node itself."""
    return (node,)


def _log_rule(node: Value) -> tuple[Operand, ...]:
    """d ln a = 1 / a."""
    return (1.0 / node._parents[0],)


def _sqrt_rule(node: Value) -> tuple[Operand, ...]:
    """d sqrt(a) = 1 / (2 sqrt a), infinite at 0."""
    return (0.5 / node,) if node.data else node._local_grads


def _tanh_rule(node: Value) -> tuple[Operand, ...]:
    """d tanh a = 1 - tanh(a)^2."""
    return (1.0 - node * node,)


def _sigmoid_rule(node: Value) -> tuple[Operand, ...]:
    """d s(a) = s(a) (1 - s(a))."""
    return (node * (1.0 - node),)


def _elu_rule(node: Value) -> tuple[Operand, ...]:
    """d elu = 1 for a > 0, else alpha e^a = elu(a) + alpha."""
    a, alpha = node._parents
    return node._local_grads if a.data > 0.0 else (node + alpha, 0.0)


def _softplus_rule(node: Value) -> tuple[Operand, ...]:
    """d softplus a = sigmoid(a)."""
    return (node._parents[0].sigmoid(),)


def _dot_rule(node: Value) -> tuple[Operand, ...]:
    """d(w . x + b) = (x, w, 1)."""
    parents = node._parents
    n = len(parents) // 2
    weights, inputs = parents[:n], parents[n : 2 * n]
    return (*inputs, *weights, 1.0) if len(parents) % 2 else (*inputs, *weights)


_GRAPH_RULES: dict[str, GraphRule] = {
    "+": _constant_locals,
    "-": _constant_locals,
    "neg": _constant_locals,
    "abs": _constant_locals,
    "relu": _constant_locals,
    "leaky_relu": _constant_locals,
    "step": _constant_locals,
    "sum": _constant_locals,
    "*": _mul_rule,
    "/": _div_rule,
    "**": _pow_rule,
    "exp": _exp_rule,
    "log": _log_rule,
    "sqrt": _sqrt_rule,
    "tanh": _tanh_rule,
    "sigmoid": _sigmoid_rule,
    "elu": _elu_rule,
    "softplus": _softplus_rule,
    "dot": _dot_rule,
}
_BUILT_IN_OPS = frozenset(_GRAPH_RULES)


def register_graph_rule(op: str, rule: GraphRule) -> None:
    """Teach `create_graph` and `grad()` the local derivatives of a user-defined op.

    `rule(node)` returns d(node)/d(parent) for each of `node.parents`, written
    with Value operations so that they can be differentiated again.  Built-in op
    names cannot be replaced; registering a user op's name again replaces its
    rule (re-running a notebook cell that defines the op).
    """
    if not isinstance(op, str) or not op:
        raise ValueError(f"register_graph_rule: op must be a non-empty str, got {op!r}")
    if op in _BUILT_IN_OPS:
        raise ValueError(f"register_graph_rule: {op!r} is a built-in op; choose another name")
    if not callable(rule):
        raise TypeError(f"register_graph_rule: rule for {op!r} must be callable, got {type(rule).__name__}")
    _GRAPH_RULES[op] = rule


def _local_expressions(node: Value) -> Sequence[Operand]:
    rule = _GRAPH_RULES.get(node._op)
    if rule is None:
        raise NotImplementedError(
            f"create_graph: op {node._op!r} has no rule for its derivatives as Values; register one "
            "with register_graph_rule (or give the custom op a graph_derivative)"
        )
    return rule(node)


def _as_float(operand: Operand) -> float:
    return operand.data if isinstance(operand, Value) else float(operand)


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

    The same reverse sweep as `backward()`, but each contribution is the Value
    local_expression * upstream, so the result has a graph of its own.  With
    `needed`, only gradients flowing into those nodes are built.
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
            label = f" (label {node.label!r})" if node.label else ""
            raise AnomalyError(
                f"detect_anomaly: backward (create_graph) of {node._op or 'a leaf'!r}{label} with inputs "
                f"{_list_inputs(node._parents)} and output {node.data!r}: {error}"
            ) from error
    return totals


def _send_to_parents(
    node: Value, upstream: Operand, needed: set[Value] | None, pending: dict[Value, list[Operand]]
) -> None:
    """Add local_expression * upstream to the pending gradient of each parent (that is needed)."""
    for index, (parent, local) in enumerate(zip(node._parents, _local_expressions(node))):
        if needed is not None and parent not in needed:
            continue
        contribution = _chain(local, upstream)
        if contribution is None:
            continue
        if _anomaly_enabled and not math.isfinite(_as_float(contribution)):
            raise AnomalyError(
                f"its input {index}, {_describe(parent)}, got {_as_float(contribution)!r}: "
                f"local derivative {_as_float(local)!r} × upstream gradient {_as_float(upstream)!r}"
            )
        pending.setdefault(parent, []).append(contribution)


def _as_value(gradient: Operand) -> Value:
    return gradient if isinstance(gradient, Value) else Value(gradient, role="constant")


def _backward_with_graph(root: Value) -> None:
    """`Value.backward(create_graph=True)`: floats into `grad`, Values with graphs into `grad_value`."""
    order = root.topological_order()
    with _grad_mode(True):
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
def grad(fn: Callable[..., Value], wrt: int | Sequence[int] = 0) -> Callable[..., Value | tuple[Value, ...]]:
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
    positions = (wrt,) if isinstance(wrt, int) else tuple(wrt)
    if not positions or not all(type(p) is int and p >= 0 for p in positions):
        raise ValueError(f"grad: wrt must be an argument position or a non-empty sequence of them, got {wrt!r}")
    name = getattr(fn, "__name__", type(fn).__name__)

    def gradient(*args: Operand) -> Value | tuple[Value, ...]:
        if max(positions) >= len(args):
            raise TypeError(f"grad({name}): wrt={wrt!r} but the function was given {len(args)} arguments")
        values = tuple(a if isinstance(a, Value) else Value(_checked_float(a, f"grad({name}): argument")) for a in args)
        with _grad_mode(True):
            out = fn(*values)
            if not isinstance(out, Value):
                raise TypeError(f"grad({name}): the function must return a Value, got {type(out).__name__}: {out!r}")
            targets = [values[p] for p in positions]
            order = out.topological_order()
            totals = _graph_gradients(out, order, _depending_on(order, targets))
        derivatives = tuple(_as_value(totals.get(target, 0.0)) for target in targets)
        return derivatives[0] if isinstance(wrt, int) else derivatives

    gradient.__name__ = f"grad({name})"
    gradient.__doc__ = f"Derivative of {name} with respect to argument(s) {wrt!r}."
    return gradient
