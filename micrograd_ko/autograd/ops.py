"""The op table: every elementary operation of the engine, each defined once, in one block.

A block (`Op`) says everything the rest of the package needs to know about an op:

* its name and arity, and the default of any trailing input (`leaky_relu`'s alpha);
* the domain check, which names what is wrong (`log needs a positive input`);
* the forward formula on floats, and the same formula on numpy arrays;
* the local derivative d(out)/d(input) for each input, written **once**.

The local derivative is a function `local_grads(m, out, *inputs)`.  `m` is a
tiny math namespace, and the same formula runs on three kinds of numbers:

* floats, with `m = FLOATS`: eager backward stores these on every node;
* Values, with the namespace of `micrograd_ko.autograd.higher_order`: the derivative
  becomes a graph, so it can be differentiated again (`grad(grad(f))`);
* numpy arrays, with `m = ARRAYS`: one formula for a whole batch of samples.

Most formulas need nothing but arithmetic, which all three support through
operator overloading: `1 - out * out` for tanh, `out * (1 - out)` for sigmoid.
A formula that branches or calls a function does so through `m`:
`m.where(m.num(a) > 0, 1.0, 0.0)` for relu, `m.sigmoid(a)` for softplus.
Every namespace function is total: outside its domain it returns NaN or an
infinity, as numpy does, and never raises, because `where` evaluates both of
its branches and then keeps one.

The rest is metadata that other modules read instead of keeping lists of
their own: the label `viz` draws, whether the draw command may call it,
whether it is an activation and its PyTorch twin, where its kinks are and how
far inputs are from the edge of its domain (for hypothesis strategies and
gradcheck).  Adding an op means adding one block here and one method on
`Value`; the test suite walks the table and picks it up by itself.

Nothing here imports the rest of the package.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Literal

import numpy as np

__all__ = [
    "ARRAYS",
    "FLOATS",
    "DomainError",
    "Op",
    "Problem",
    "TorchModule",
    "all_ops",
    "lookup",
    "register",
    "unregister",
]


class DomainError(ValueError):
    """An operation was applied outside its mathematical domain (log of -2, sqrt of -1, ...)."""


@dataclass(frozen=True)
class Problem:
    """Why inputs lie outside an op's domain: the reason, and the exception type to raise."""

    reason: str
    error: type[Exception] = DomainError


@dataclass(frozen=True)
class TorchModule:
    """The `torch.nn` activation module with the same function: its class name and keyword arguments."""

    name: str
    settings: Mapping[str, float] = field(default_factory=dict)


Kind = Literal["operator", "function", "n-ary"]
"""How an op is written: an operator (`a + b`, `-a`), a function (`tanh(a)`), or a function of any number of inputs."""

LocalGrads = Callable[..., tuple[Any, ...]]
"""local_grads(m, out, *inputs) -> a tuple of d(out)/d(input), one per input, in the numbers of namespace `m`."""


def _everywhere(*inputs: float) -> float:
    return math.inf


@dataclass(frozen=True)
class Op:
    """One elementary operation: its formulas and everything other modules need to know about it.

    `forward` maps floats to a float (an infinity where IEEE arithmetic
    overflows, never an OverflowError); `array_forward` is the same formula on
    numpy arrays.  `local_grads(m, out, *inputs)` returns one derivative per
    input (see the module docstring).  `check(*inputs)` (None for an op defined
    everywhere) returns a Problem when the inputs are outside the domain, before `forward` runs.

    `distance_to_edge(*inputs)` and `distance_to_kink(*inputs)` say how far a
    point is from the edge of the domain and from the nearest point where the
    derivative jumps (math.inf when there is none); property tests keep a
    margin from both.  `kinks` lists example inputs exactly at a kink, where
    the engine takes the subgradient its docstring names.
    """

    name: str
    arity: int | None
    forward: Callable[..., float]
    array_forward: Callable[..., Any]
    local_grads: LocalGrads
    kind: Kind = "function"
    symbol: str = ""
    defaults: tuple[float, ...] = ()
    check: Callable[..., Problem | None] | None = None
    label: str = ""
    drawable: bool = True
    activation: bool = False
    torch_function: Callable[..., Any] | None = None
    torch_module: TorchModule | None = None
    distance_to_edge: Callable[..., float] = _everywhere
    distance_to_kink: Callable[..., float] = _everywhere
    kinks: tuple[tuple[float, ...], ...] = ()
    builtin: bool = True
    title: str = ""
    doc: str = ""

    @property
    def min_inputs(self) -> int:
        """The fewest inputs a call may give: trailing inputs with a default may be left out."""
        return 1 if self.arity is None else self.arity - len(self.defaults)

    def with_defaults(self, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
        """`inputs` completed by the defaults of the trailing inputs left out (leaky_relu(x) is leaky_relu(x, 0.01))."""
        missing = len(inputs) - self.min_inputs
        return inputs if self.arity is None or missing < 0 else (*inputs, *self.defaults[missing:])

    @property
    def message_name(self) -> str:
        """How error messages name the op: 'division' for '/', 'pow' for '**', else the name."""
        return self.title or self.name

    @property
    def display(self) -> str:
        """What `viz` writes in the op's circle."""
        return self.label or self.symbol or self.name


# ---- the math namespaces -----------------------------------------------------------------


def _float_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _float_log(x: float) -> float:
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan


def _float_sigmoid(x: float) -> float:
    # e^x / (1 + e^x) for negative x, so that e^-x never overflows
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _float_power(base: float, exponent: float) -> float:
    """base ** exponent as IEEE arithmetic gives it: inf on overflow or for 0 to a negative power, NaN for complex."""
    if base < 0.0 and not exponent.is_integer():
        return math.nan
    try:
        return float(base**exponent)
    except ZeroDivisionError:
        odd = exponent.is_integer() and exponent % 2.0 == 1.0
        return math.copysign(math.inf, base) if odd else math.inf
    except OverflowError:
        odd = exponent.is_integer() and exponent % 2.0 == 1.0
        return -math.inf if base < 0.0 and odd else math.inf


def _float_divide(x: float, y: float) -> float:
    if y != 0.0:
        return x / y
    if x == 0.0 or math.isnan(x):
        return math.nan
    return math.copysign(math.inf, x) * math.copysign(1.0, y)


def _finite_only(function: Callable[[float], float]) -> Callable[[float], float]:
    """`function` extended by NaN at the infinities, where IEEE sin and cos are invalid (math raises)."""

    def total(x: float) -> float:
        return function(x) if math.isfinite(x) else math.nan

    total.__name__ = function.__name__
    return total


_float_sin = _finite_only(math.sin)
_float_cos = _finite_only(math.cos)


def _float_sum(*xs: float) -> float:
    try:
        return math.fsum(xs)
    except (OverflowError, ValueError):  # fsum raises where IEEE addition gives inf or nan
        return sum(xs, 0.0)


def _float_sign(x: float) -> float:
    return float((x > 0.0) - (x < 0.0))


def _float_where(condition: bool, if_true: Any, if_false: Any) -> Any:
    return if_true if condition else if_false


FLOATS = SimpleNamespace(
    num=float,
    where=_float_where,
    exp=_float_exp,
    log=_float_log,
    sigmoid=_float_sigmoid,
    sin=_float_sin,
    cos=_float_cos,
    sign=_float_sign,
    power=_float_power,
    divide=_float_divide,
)
"""The math namespace on Python floats: eager backward's local derivatives."""


def _array_sigmoid(x: Any) -> Any:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0.0, 1.0 / (1.0 + e), e / (1.0 + e))


def _array_power(base: Any, exponent: Any) -> Any:
    with np.errstate(all="ignore"):
        return np.power(np.asarray(base, dtype=float), exponent)


def _array_divide(x: Any, y: Any) -> Any:
    with np.errstate(all="ignore"):
        return np.divide(x, y)


def _array_log(x: Any) -> Any:
    with np.errstate(all="ignore"):
        return np.log(x)


def _array_exp(x: Any) -> Any:
    with np.errstate(over="ignore"):
        return np.exp(x)


ARRAYS = SimpleNamespace(
    num=np.asarray,
    where=np.where,
    exp=_array_exp,
    log=_array_log,
    sigmoid=_array_sigmoid,
    sin=np.sin,
    cos=np.cos,
    sign=np.sign,
    power=_array_power,
    divide=_array_divide,
)
"""The math namespace on numpy arrays: one formula for a whole batch (NaN and inf as IEEE gives them)."""


# ---- the table ----------------------------------------------------------------------------------

_TABLE: dict[str, Op] = {}


def register(op: Op) -> Op:
    """Add `op` to the table (a user op defined again replaces its old block; built-ins cannot be replaced)."""
    existing = _TABLE.get(op.name)
    if existing is not None and existing.builtin:
        raise ValueError(f"op {op.name!r} is a built-in op; choose another name")
    _TABLE[op.name] = op
    return op


def unregister(name: str) -> None:
    """Remove a user-defined op from the table (built-in ops stay)."""
    op = _TABLE.get(name)
    if op is not None and op.builtin:
        raise ValueError(f"op {name!r} is a built-in op and cannot be removed")
    _TABLE.pop(name, None)


def lookup(name: str) -> Op:
    """The block of the op called `name`; KeyError names the known ops when there is none."""
    try:
        return _TABLE[name]
    except KeyError:
        raise KeyError(f"no op named {name!r} in the op table; known ops: {', '.join(_TABLE)}") from None


def all_ops(builtin_only: bool = False) -> Iterator[Op]:
    """Every op in the table, in the order they were defined."""
    return (op for op in list(_TABLE.values()) if op.builtin or not builtin_only)


def _torch_tensor(torch: Any, x: Any, like: Any) -> Any:
    return x if torch.is_tensor(x) else torch.tensor(float(x), dtype=like.dtype)


def _torch_leaky_relu(torch: Any, a: Any, alpha: Any) -> Any:
    # PReLU is leaky ReLU whose slope is a tensor, so torch differentiates the slope too
    slope = _torch_tensor(torch, alpha, a)
    return torch.nn.functional.prelu(a.reshape(1), slope.reshape(1)).reshape(a.shape)


def _torch_elu(torch: Any, a: Any, alpha: Any) -> Any:
    # elu(a, alpha) = alpha elu(a, 1) for a <= 0, written so that torch differentiates alpha too
    return torch.where(a > 0, a, _torch_tensor(torch, alpha, a) * torch.nn.functional.elu(a))


def _first_at(m: Any, out: Any, inputs: Sequence[Any]) -> tuple[Any, ...]:
    """1 for the first input equal to `out` and 0 for the others: the subgradient of max and min."""
    grads = []
    taken: Any = False
    for x in inputs:
        hit = m.num(x) == m.num(out)
        grads.append(m.where(taken, 0.0, m.where(hit, 1.0, 0.0)))
        taken = taken | hit
    return tuple(grads)


def _gap_to_runner_up(inputs: Sequence[float], best: float) -> float:
    """How far the best input is from the next one: a tie is where max and min have their kink."""
    others = sorted(abs(best - x) for x in inputs)
    return others[1] if len(others) > 1 else math.inf


def _pow_check(base: float, exponent: float) -> Problem | None:
    if base < 0.0 and not exponent.is_integer():
        return Problem("is undefined: a negative base needs an integer exponent")
    if base == 0.0 and exponent < 0.0:
        return Problem("divides by zero", ZeroDivisionError)
    return None


def _pow_edge(base: float, exponent: float) -> float:
    if not exponent.is_integer():
        return base  # the base must stay positive; negative means outside
    return abs(base) if exponent < 0.0 else math.inf


# Each block: name and arity, domain, forward, local derivative written once, then what others read.

register(Op(
    "+", 2, operator.add, np.add,
    lambda m, out, a, b: (1.0, 1.0),
    kind="operator", symbol="+", torch_function=lambda torch, a, b: a + b,
    doc="a + b; d/da = 1, d/db = 1.",
))
register(Op(
    "-", 2, operator.sub, np.subtract,
    lambda m, out, a, b: (1.0, -1.0),
    kind="operator", symbol="-", torch_function=lambda torch, a, b: a - b,
    doc="a - b; d/da = 1, d/db = -1.",
))
register(Op(
    "*", 2, operator.mul, np.multiply,
    lambda m, out, a, b: (b, a),
    kind="operator", symbol="*", torch_function=lambda torch, a, b: a * b,
    doc="a * b; d/da = b, d/db = a.",
))
register(Op(
    "/", 2, operator.truediv, np.divide,
    lambda m, out, a, b: (1.0 / b, -out / b),
    kind="operator", symbol="/", title="division",
    check=lambda a, b: Problem("divides by zero", ZeroDivisionError) if b == 0.0 else None,
    distance_to_edge=lambda a, b: abs(b),
    torch_function=lambda torch, a, b: a / b,
    doc="a / b; d/da = 1/b, d/db = -a/b^2.  Division by zero raises ZeroDivisionError.",
))
register(Op(
    "**", 2, _float_power, _array_power,
    lambda m, out, a, n: (
        m.where((m.num(n) == 0.0) & (m.num(a) == 0.0), 0.0, n * m.power(a, n - 1.0)),
        m.where(m.num(a) > 0.0, out * m.log(a), 0.0),
    ),
    kind="operator", symbol="**", title="pow", check=_pow_check, distance_to_edge=_pow_edge,
    torch_function=lambda torch, a, n: a**n,
    doc="a ** n; d/da = n a^(n-1), d/dn = a^n ln a (0 at a = 0, its limit).  "
    "A negative base needs an integer exponent; 0 to a negative power divides by zero.",
))
register(Op(
    "neg", 1, operator.neg, np.negative,
    lambda m, out, a: (-1.0,),
    kind="operator", symbol="-", torch_function=lambda torch, a: -a,
    doc="-a; d/da = -1.",
))
register(Op(
    "abs", 1, abs, np.abs,
    lambda m, out, a: (m.sign(a),),
    distance_to_kink=lambda a: abs(a), kinks=((0.0,),),
    torch_function=lambda torch, a: torch.abs(a),
    doc="|a|; d/da = sign(a), taken as 0 at a = 0 (a subgradient).",
))
register(Op(
    "exp", 1, _float_exp, _array_exp,
    lambda m, out, a: (out,),
    torch_function=lambda torch, a: torch.exp(a),
    doc="e^a; d/da = e^a.  Overflows to inf like IEEE arithmetic.",
))
register(Op(
    "log", 1, math.log, _array_log,
    lambda m, out, a: (1.0 / a,),
    check=lambda a: None if a > 0.0 else Problem("is undefined: log needs a positive input"),
    distance_to_edge=lambda a: a,
    torch_function=lambda torch, a: torch.log(a),
    doc="Natural logarithm ln a; d/da = 1/a.  Raises DomainError for a <= 0.",
))
register(Op(
    "sqrt", 1, math.sqrt, np.sqrt,
    lambda m, out, a: (m.divide(0.5, out),),
    check=lambda a: None if a >= 0.0 else Problem("is undefined: sqrt needs a non-negative input"),
    distance_to_edge=lambda a: a,
    torch_function=lambda torch, a: torch.sqrt(a),
    doc="Square root; d/da = 1 / (2 sqrt a), infinite at 0.  Raises DomainError for a < 0.",
))
register(Op(
    "sin", 1, _float_sin, np.sin,
    lambda m, out, a: (m.cos(a),),
    torch_function=lambda torch, a: torch.sin(a),
    doc="Sine (radians); d/da = cos a.",
))
register(Op(
    "cos", 1, _float_cos, np.cos,
    lambda m, out, a: (-m.sin(a),),
    torch_function=lambda torch, a: torch.cos(a),
    doc="Cosine (radians); d/da = -sin a.",
))
register(Op(
    "relu", 1, lambda a: a if a > 0.0 else 0.0, lambda a: np.where(a > 0.0, a, 0.0),
    lambda m, out, a: (m.where(m.num(a) > 0.0, 1.0, 0.0),),
    activation=True, distance_to_kink=lambda a: abs(a), kinks=((0.0,),),
    torch_function=lambda torch, a: torch.relu(a), torch_module=TorchModule("ReLU"),
    doc="Rectifier max(0, a); d/da = 1 for a > 0, else 0 (0 at the kink).",
))
register(Op(
    "tanh", 1, math.tanh, np.tanh,
    lambda m, out, a: (1.0 - out * out,),
    activation=True, torch_function=lambda torch, a: torch.tanh(a), torch_module=TorchModule("Tanh"),
    doc="Hyperbolic tangent, output in (-1, 1); d/da = 1 - tanh(a)^2.",
))
register(Op(
    "sigmoid", 1, _float_sigmoid, _array_sigmoid,
    lambda m, out, a: (out * (1.0 - out),),
    activation=True, torch_function=lambda torch, a: torch.sigmoid(a), torch_module=TorchModule("Sigmoid"),
    doc="Logistic function 1 / (1 + e^-a), output in (0, 1); d/da = s (1 - s).  "
    "Evaluated as e^a / (1 + e^a) for negative a, so e^-a never overflows.",
))
register(Op(
    "step", 1, lambda a: 1.0 if a > 0.0 else 0.0, lambda a: np.where(a > 0.0, 1.0, 0.0),
    lambda m, out, a: (0.0,),
    activation=True, distance_to_kink=lambda a: abs(a), kinks=((0.0,),),
    torch_function=lambda torch, a: (a > 0).to(a.dtype) + 0.0 * a,  # 0 or 1, derivative 0, still on the graph
    doc="Threshold (Heaviside) function: 1 for a > 0, else 0.  Its derivative is 0 wherever it exists "
    "(and undefined at 0), so the gradient reaching anything before a step is always 0: gradient descent gets no "
    "signal about which way to move the weights.  That is why the perceptron rule, not backpropagation, trains "
    "threshold units, and why smooth activations such as sigmoid replaced it.",
))
register(Op(
    "leaky_relu", 2, lambda a, alpha: a if a > 0.0 else alpha * a,
    lambda a, alpha: np.where(a > 0.0, a, alpha * a),
    lambda m, out, a, alpha: (
        m.where(m.num(a) > 0.0, 1.0, alpha),
        m.where(m.num(a) > 0.0, 0.0, a),
    ),
    defaults=(0.01,), activation=True, distance_to_kink=lambda a, *alpha: abs(a), kinks=((0.0, 0.1),),
    torch_function=_torch_leaky_relu, torch_module=TorchModule("LeakyReLU", {"negative_slope": 0.01}),
    doc="a for a > 0, alpha a otherwise; d/da = 1 or alpha, d/dalpha = min(a, 0).  "
    "The slope alpha may be a Value: that is PReLU's learned slope.",
))
register(Op(
    "elu", 2, lambda a, alpha: a if a > 0.0 else alpha * math.expm1(a),
    lambda a, alpha: np.where(a > 0.0, a, alpha * np.expm1(np.minimum(a, 0.0))),
    lambda m, out, a, alpha: (
        m.where(m.num(a) > 0.0, 1.0, out + alpha),
        m.where(m.num(a) > 0.0, 0.0, m.exp(a) - 1.0),
    ),
    defaults=(1.0,), activation=True, distance_to_kink=lambda a, *alpha: abs(a), kinks=((0.0, 0.5),),
    torch_function=_torch_elu, torch_module=TorchModule("ELU", {"alpha": 1.0}),
    doc="a for a > 0, alpha (e^a - 1) otherwise; d/da = 1 or alpha e^a = elu(a) + alpha, d/dalpha = e^a - 1.",
))
register(Op(
    "softplus", 1, lambda a: max(a, 0.0) + math.log1p(math.exp(-abs(a))),
    lambda a: np.maximum(a, 0.0) + np.log1p(np.exp(-np.abs(a))),
    lambda m, out, a: (m.sigmoid(a),),
    # torch's softplus turns linear above 20; ours is exact, and so is logaddexp(a, 0)
    activation=True, torch_function=lambda torch, a: torch.logaddexp(a, torch.zeros_like(a)),
    torch_module=TorchModule("Softplus", {"beta": 1.0}),
    doc="Smooth rectifier ln(1 + e^a); d/da = sigmoid(a).  Computed as max(a, 0) + ln(1 + e^-|a|), "
    "which never overflows.",
))
register(Op(
    "max", None, lambda *xs: max(xs), lambda *xs: np.maximum.reduce(xs),
    lambda m, out, *xs: _first_at(m, out, xs),
    kind="n-ary", distance_to_kink=lambda *xs: _gap_to_runner_up(xs, max(xs)), kinks=((1.0, 1.0),),
    torch_function=lambda torch, *xs: torch.max(torch.stack(xs)),
    doc="The largest input; d/dxi = 1 for the first input that is largest, 0 for the others (a subgradient).",
))
register(Op(
    "min", None, lambda *xs: min(xs), lambda *xs: np.minimum.reduce(xs),
    lambda m, out, *xs: _first_at(m, out, xs),
    kind="n-ary", distance_to_kink=lambda *xs: _gap_to_runner_up(xs, min(xs)), kinks=((1.0, 1.0),),
    torch_function=lambda torch, *xs: torch.min(torch.stack(xs)),
    doc="The smallest input; d/dxi = 1 for the first input that is smallest, 0 for the others (a subgradient).",
))
register(Op(
    "sum", None, _float_sum, lambda *xs: np.sum(xs, axis=0),
    lambda m, out, *xs: (1.0,) * len(xs),
    kind="n-ary", drawable=False, torch_function=lambda torch, *xs: sum(xs[1:], xs[0]),
    doc="x1 + ... + xn as one node; d/dxi = 1.",
))


def _dot_forward(*parents: float) -> float:
    n = len(parents) // 2
    total = sum(map(operator.mul, parents[:n], parents[n : 2 * n]), 0.0)
    return total + parents[2 * n] if len(parents) % 2 else total


def _dot_array_forward(*parents: Any) -> Any:
    n = len(parents) // 2
    total = sum(map(operator.mul, parents[:n], parents[n : 2 * n]))
    return total + parents[2 * n] if len(parents) % 2 else total


def _dot_grads(m: Any, out: Any, *parents: Any) -> tuple[Any, ...]:
    n = len(parents) // 2
    weights, inputs = parents[:n], parents[n : 2 * n]
    return (*inputs, *weights, 1.0) if len(parents) % 2 else (*inputs, *weights)


def _torch_dot(torch: Any, *parents: Any) -> Any:
    n = len(parents) // 2
    total = sum((w * x for w, x in zip(parents[:n], parents[n : 2 * n])), torch.zeros((), dtype=torch.float64))
    return total + parents[2 * n] if len(parents) % 2 else total


register(Op(
    "dot", None, _dot_forward, _dot_array_forward, _dot_grads,
    kind="n-ary", drawable=False, torch_function=_torch_dot,
    doc="w1 x1 + ... + wn xn (+ b) as one node, parents w1..wn, x1..xn (, b); d/dwi = xi, d/dxi = wi, d/db = 1.",
))
