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

Nothing here imports another module of the package.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Literal, Union

__all__ = ["ROLES", "DomainError", "Operand", "Role", "Value", "is_grad_enabled", "no_grad"]

Role = Literal["input", "parameter", "constant", "result"]
"""What a Value is for: data fed in, a trainable weight, a number an op wrapped, or an op's output."""

ROLES: tuple[Role, ...] = ("input", "parameter", "constant", "result")

Operand = Union["Value", float]
"""Anything an operation accepts: a Value, or a real number (int, float, numpy scalar)."""

_grad_enabled = True
_ONE_ONE = (1.0, 1.0)
_ONE_MINUS_ONE = (1.0, -1.0)
_MINUS_ONE = (-1.0,)
_ZERO = (0.0,)
_ONE = (1.0,)


class DomainError(ValueError):
    """An operation was applied outside its mathematical domain (log of -2, sqrt of -1, ...)."""


def is_grad_enabled() -> bool:
    """Return True unless called inside a `no_grad()` block."""
    return _grad_enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Context manager under which new operations record no parents.

    Use it for evaluation and for parameter updates: the results are plain
    leaves, so no graph is kept alive and `backward()` cannot flow through them.
    Blocks nest; the previous state is restored on exit, even after an exception.
    """
    global _grad_enabled
    previous = _grad_enabled
    _grad_enabled = False
    try:
        yield
    finally:
        _grad_enabled = previous


def _checked_float(data: object, what: str) -> float:
    """Convert a real number to float, or raise a TypeError that names what was given."""
    if type(data) is float:
        return data
    if type(data) is int or (isinstance(data, numbers.Real) and not isinstance(data, bool)):
        return float(data)
    raise TypeError(f"{what} must be a real number (int, float or numpy scalar), got {type(data).__name__}: {data!r}")


def _describe(value: Value) -> str:
    return f"{value.data!r} (label {value.label!r})" if value.label else repr(value.data)


def _result(data: float, op: str, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> Value:
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


def _constant(number: object, op: str) -> Value:
    return Value(_checked_float(number, f"{op}: operand"), role="constant")


class Value:
    """A scalar in a computation graph: its `data`, its `grad`, and how it was made.

    >>> x = Value(2.0, label="x")
    >>> y = x * x + 3 * x
    >>> y.backward()
    >>> x.grad   # dy/dx = 2x + 3
    7.0
    """

    __slots__ = ("data", "grad", "label", "role", "_op", "_parents", "_local_grads")

    data: float
    grad: float
    label: str
    role: Role
    _op: str
    _parents: tuple[Value, ...]
    _local_grads: tuple[float, ...]

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
        elif base == 0.0:
            d_base = 0.0 if n >= 1.0 else math.inf  # a^n is vertical at 0 for 0 < n < 1
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
        """One node for v1 + v2 + ... + vn (d/dvi = 1), instead of a chain of n - 1 '+' nodes."""
        parents = tuple(v if isinstance(v, Value) else _constant(v, "sum") for v in values)
        total = math.fsum(p.data for p in parents)
        return _result(total, "sum", parents, (1.0,) * len(parents))

    @staticmethod
    def dot(weights: Sequence[Operand], inputs: Sequence[Operand], bias: Operand | None = None) -> Value:
        """One node for w1*x1 + ... + wn*xn (+ bias); d/dwi = xi, d/dxi = wi, d/dbias = 1.

        Parents are the weights, then the inputs, then the bias.  Raises
        ValueError when the two sequences differ in length.
        """
        if len(weights) != len(inputs):
            raise ValueError(f"dot: {len(weights)} weights but {len(inputs)} inputs; they must have the same length")
        ws = tuple(w if isinstance(w, Value) else _constant(w, "dot") for w in weights)
        xs = tuple(x if isinstance(x, Value) else _constant(x, "dot") for x in inputs)
        w_data = [w.data for w in ws]
        x_data = [x.data for x in xs]
        total = sum(map(float.__mul__, w_data, x_data), 0.0)
        if bias is None:
            return _result(total, "dot", ws + xs, (*x_data, *w_data))
        b = bias if isinstance(bias, Value) else _constant(bias, "dot")
        return _result(total + b.data, "dot", (*ws, *xs, b), (*x_data, *w_data, 1.0))

    # ---- backpropagation -----------------------------------------------------------

    def topological_order(self) -> list[Value]:
        """Every node this one depends on, each listed after all of its parents; self is last.

        Iterative depth-first search, so a chain of a million nodes needs no recursion.
        """
        order: list[Value] = []
        visited: set[Value] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        push = stack.append
        while stack:
            node, parents_done = stack.pop()
            if parents_done:
                order.append(node)
            elif node not in visited:
                visited.add(node)
                push((node, True))
                for parent in node._parents:
                    if parent not in visited:
                        push((parent, False))
        return order

    def backward(self) -> None:
        """Reverse-mode backpropagation from this node.

        Sets this node's grad to 1.0 and then, in reverse topological order,
        adds each node's contribution local_derivative * grad to its parents.
        A node used twice receives both contributions.  As in PyTorch, leaves
        (inputs, parameters, constants) accumulate across calls, so training
        loops call zero_grad() first; every computed node's grad is reset, so it
        always holds d(self)/d(node) for this call alone.
        """
        order = self.topological_order()
        for node in order:
            if node._parents:
                node.grad = 0.0
        self.grad = 1.0 if self._parents else self.grad + 1.0
        for node in reversed(order):
            grad = node.grad
            for parent, local in zip(node._parents, node._local_grads):
                parent.grad += local * grad
