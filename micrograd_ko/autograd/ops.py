"""The op table: every elementary operation of the engine, each defined once, in one block.

A block (`Op`) reads math first: the op's name and arity, its domain check
(which names what is wrong: `log needs a positive input`), its forward formula
on floats and on numpy arrays, and its local derivative d(out)/d(input) for
each input, written **once** as `local_grads(m, out, *inputs)`.  `m` is a math
namespace (`micrograd_ko.autograd.namespaces`), so the same formula gives
floats for backward, Values for higher derivatives and arrays for a batch.

What other rooms read comes after, grouped under the name of who reads it:
`torch` (the PyTorch twin: tests and the torch bridge), `testing` (margins from
kinks and domain edges: property tests and hypothesis strategies) and `listed`
(the draw command's functions, `nn.ACTIVATIONS`).  Adding an op means adding one
block here and one method line on `Value`; the test suite walks the table and
picks it up by itself.

`+ - * neg relu sum dot` are also written out by hand in `value.py` (measured faster); these blocks
still describe them, give them their docstrings, and `tests/autograd/test_fast_paths.py` proves the two agree.

Nothing here imports the rest of the package.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any, Literal

import numpy as np

from micrograd_ko.autograd.namespaces import ARRAYS, FLOATS, exact_sum

__all__ = [
    "DomainError",
    "Kind",
    "Listing",
    "LocalGrads",
    "Op",
    "Problem",
    "TestMargins",
    "TorchModule",
    "TorchTwin",
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


Kind = Literal["operator", "function", "n-ary"]
"""How an op is written: an operator (`a + b`, `-a`), a function (`tanh(a)`), or a function of any number of inputs."""

LocalGrads = Callable[..., Any]
"""local_grads(m, out, *inputs) -> d(out)/d(input) for each input, in the numbers of namespace `m`.

A block's formula returns a tuple, one entry per input; a custom op's may return a bare entry for one input."""


def _everywhere(*inputs: float) -> float:
    return math.inf


@dataclass(frozen=True)
class TorchModule:
    """The `torch.nn` activation module with the same function: its class name and keyword arguments."""

    name: str
    settings: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class TorchTwin:
    """What the PyTorch comparisons (tests) and the torch bridge (interop) read: the op's twin in PyTorch.

    `function(torch, *tensors)` computes the op on float64 tensors; `module` is its `torch.nn` activation module.
    """

    function: Callable[..., Any] | None = None
    module: TorchModule | None = None


@dataclass(frozen=True)
class TestMargins:
    """What property tests and `micrograd_ko.testing` read: where the op's derivative is smooth.

    `edge(*inputs)` and `kink(*inputs)` say how far a point is from the edge of the domain and from the
    nearest point where the derivative jumps (math.inf when there is none); `kinks` lists example inputs
    exactly at a kink, where the engine takes the subgradient its docstring names.
    """

    edge: Callable[..., float] = _everywhere
    kink: Callable[..., float] = _everywhere
    kinks: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True)
class Listing:
    """Which lists of other rooms hold the op: the draw command's functions (cli), the activations (nn, interop)."""

    drawable: bool = True
    activation: bool = False


@dataclass(frozen=True)
class Op:
    """One elementary operation: its math first, then what other rooms read about it.

    `check(*inputs)` (None for an op defined everywhere) returns a Problem when the inputs are outside the
    domain, before `forward` runs.  `forward` maps floats to a float (an infinity where IEEE arithmetic
    overflows, never an OverflowError); `array_forward` is the same formula on numpy arrays.
    `local_grads(m, out, *inputs)` returns one derivative per input (see the module docstring).
    """

    name: str
    arity: int | None
    _: KW_ONLY
    check: Callable[..., Problem | None] | None = None
    forward: Callable[..., float]
    array_forward: Callable[..., Any]
    local_grads: Callable[..., tuple[Any, ...]]
    defaults: tuple[float, ...] = ()
    kind: Kind = "function"
    symbol: str = ""
    title: str = ""
    doc: str = ""
    builtin: bool = True
    torch: TorchTwin = TorchTwin()
    testing: TestMargins = TestMargins()
    listed: Listing = Listing()

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


_TABLE: dict[str, Op] = {}


def register(op: Op) -> Op:
    """Add `op` to the table (a user op defined again replaces its old block; built-ins cannot be replaced)."""
    existing = _TABLE.get(op.name)
    if existing is not None and existing.builtin:
        raise ValueError(f"register: op must not replace a built-in op, got {op.name!r} (a built-in op)")
    _TABLE[op.name] = op
    return op


def unregister(name: str) -> None:
    """Remove a user-defined op from the table (built-in ops stay)."""
    op = _TABLE.get(name)
    if op is not None and op.builtin:
        raise ValueError(f"unregister: name must not be a built-in op, got {name!r} (a built-in op)")
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


# ---- the blocks: name and arity, domain, forward, the local derivative written once, then what others read ----

register(Op(
    "+", 2,
    forward=operator.add, array_forward=np.add,
    local_grads=lambda m, out, a, b: (1.0, 1.0),
    kind="operator", symbol="+", doc="a + b; d/da = 1, d/db = 1.",
    torch=TorchTwin(lambda torch, a, b: a + b),
))
register(Op(
    "-", 2,
    forward=operator.sub, array_forward=np.subtract,
    local_grads=lambda m, out, a, b: (1.0, -1.0),
    kind="operator", symbol="-", doc="a - b; d/da = 1, d/db = -1.",
    torch=TorchTwin(lambda torch, a, b: a - b),
))
register(Op(
    "*", 2,
    forward=operator.mul, array_forward=np.multiply,
    local_grads=lambda m, out, a, b: (b, a),
    kind="operator", symbol="*", doc="a * b; d/da = b, d/db = a.",
    torch=TorchTwin(lambda torch, a, b: a * b),
))
register(Op(
    "/", 2,
    check=lambda a, b: Problem("divides by zero", ZeroDivisionError) if b == 0.0 else None,
    forward=operator.truediv, array_forward=np.divide,
    local_grads=lambda m, out, a, b: (1.0 / b, -out / b),
    kind="operator", symbol="/", title="division",
    doc="a / b; d/da = 1/b, d/db = -a/b^2.  Division by zero raises ZeroDivisionError.",
    torch=TorchTwin(lambda torch, a, b: a / b),
    testing=TestMargins(edge=lambda a, b: abs(b)),
))


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


register(Op(
    "**", 2,
    check=_pow_check,
    forward=FLOATS.power, array_forward=ARRAYS.power,
    local_grads=lambda m, out, a, n: (
        m.where((m.num(n) == 0.0) & (m.num(a) == 0.0), 0.0, n * m.power(a, n - 1.0)),
        m.where(m.num(a) > 0.0, out * m.log(a), 0.0),
    ),
    kind="operator", symbol="**", title="pow",
    doc="a ** n; d/da = n a^(n-1), d/dn = a^n ln a (0 at a = 0, its limit).  "
    "A negative base needs an integer exponent; 0 to a negative power divides by zero.",
    torch=TorchTwin(lambda torch, a, n: a**n),
    testing=TestMargins(edge=_pow_edge),
))
register(Op(
    "neg", 1,
    forward=operator.neg, array_forward=np.negative,
    local_grads=lambda m, out, a: (-1.0,),
    kind="operator", symbol="-", doc="-a; d/da = -1.",
    torch=TorchTwin(lambda torch, a: -a),
))
register(Op(
    "abs", 1,
    forward=abs, array_forward=np.abs,
    local_grads=lambda m, out, a: (m.sign(a),),
    doc="|a|; d/da = sign(a), taken as 0 at a = 0 (a subgradient).",
    torch=TorchTwin(lambda torch, a: torch.abs(a)),
    testing=TestMargins(kink=lambda a: abs(a), kinks=((0.0,),)),
))
register(Op(
    "exp", 1,
    forward=FLOATS.exp, array_forward=ARRAYS.exp,
    local_grads=lambda m, out, a: (out,),
    doc="e^a; d/da = e^a.  Overflows to inf like IEEE arithmetic.",
    torch=TorchTwin(lambda torch, a: torch.exp(a)),
))
register(Op(
    "log", 1,
    check=lambda a: None if a > 0.0 else Problem("is undefined: log needs a positive input"),
    forward=math.log, array_forward=ARRAYS.log,
    local_grads=lambda m, out, a: (1.0 / a,),
    doc="Natural logarithm ln a; d/da = 1/a.  Raises DomainError for a <= 0.",
    torch=TorchTwin(lambda torch, a: torch.log(a)),
    testing=TestMargins(edge=lambda a: a),
))
register(Op(
    "sqrt", 1,
    check=lambda a: None if a >= 0.0 else Problem("is undefined: sqrt needs a non-negative input"),
    forward=math.sqrt, array_forward=np.sqrt,
    local_grads=lambda m, out, a: (m.divide(0.5, out),),
    doc="Square root; d/da = 1 / (2 sqrt a), infinite at 0.  Raises DomainError for a < 0.",
    torch=TorchTwin(lambda torch, a: torch.sqrt(a)),
    testing=TestMargins(edge=lambda a: a),
))
register(Op(
    "sin", 1,
    forward=FLOATS.sin, array_forward=np.sin,
    local_grads=lambda m, out, a: (m.cos(a),),
    doc="Sine (radians); d/da = cos a.",
    torch=TorchTwin(lambda torch, a: torch.sin(a)),
))
register(Op(
    "cos", 1,
    forward=FLOATS.cos, array_forward=np.cos,
    local_grads=lambda m, out, a: (-m.sin(a),),
    doc="Cosine (radians); d/da = -sin a.",
    torch=TorchTwin(lambda torch, a: torch.cos(a)),
))
register(Op(
    "relu", 1,
    forward=lambda a: a if a > 0.0 else 0.0, array_forward=lambda a: np.where(a > 0.0, a, 0.0),
    local_grads=lambda m, out, a: (m.where(m.num(a) > 0.0, 1.0, 0.0),),
    doc="Rectifier max(0, a); d/da = 1 for a > 0, else 0 (0 at the kink).",
    torch=TorchTwin(lambda torch, a: torch.relu(a), TorchModule("ReLU")),
    testing=TestMargins(kink=lambda a: abs(a), kinks=((0.0,),)),
    listed=Listing(activation=True),
))
register(Op(
    "tanh", 1,
    forward=math.tanh, array_forward=np.tanh,
    local_grads=lambda m, out, a: (1.0 - out * out,),
    doc="Hyperbolic tangent, output in (-1, 1); d/da = 1 - tanh(a)^2.",
    torch=TorchTwin(lambda torch, a: torch.tanh(a), TorchModule("Tanh")),
    listed=Listing(activation=True),
))
register(Op(
    "sigmoid", 1,
    forward=FLOATS.sigmoid, array_forward=ARRAYS.sigmoid,
    local_grads=lambda m, out, a: (out * (1.0 - out),),
    doc="Logistic function 1 / (1 + e^-a), output in (0, 1); d/da = s (1 - s).  "
    "Evaluated as e^a / (1 + e^a) for negative a, so e^-a never overflows.",
    torch=TorchTwin(lambda torch, a: torch.sigmoid(a), TorchModule("Sigmoid")),
    listed=Listing(activation=True),
))
register(Op(
    "step", 1,
    forward=lambda a: 1.0 if a > 0.0 else 0.0, array_forward=lambda a: np.where(a > 0.0, 1.0, 0.0),
    local_grads=lambda m, out, a: (0.0,),
    doc="Threshold (Heaviside) function: 1 for a > 0, else 0.  Its derivative is 0 wherever it exists "
    "(and undefined at 0), so the gradient reaching anything before a step is always 0: gradient descent gets no "
    "signal about which way to move the weights.  That is why the perceptron rule, not backpropagation, trains "
    "threshold units, and why smooth activations such as sigmoid replaced it.",
    # 0 or 1, derivative 0, still on torch's graph
    torch=TorchTwin(lambda torch, a: (a > 0).to(a.dtype) + 0.0 * a),
    testing=TestMargins(kink=lambda a: abs(a), kinks=((0.0,),)),
    listed=Listing(activation=True),
))


def _torch_tensor(torch: Any, x: Any, like: Any) -> Any:
    return x if torch.is_tensor(x) else torch.tensor(float(x), dtype=like.dtype)


def _torch_leaky_relu(torch: Any, a: Any, alpha: Any) -> Any:
    # PReLU is leaky ReLU whose slope is a tensor, so torch differentiates the slope too
    slope = _torch_tensor(torch, alpha, a)
    return torch.nn.functional.prelu(a.reshape(1), slope.reshape(1)).reshape(a.shape)


register(Op(
    "leaky_relu", 2,
    forward=lambda a, alpha: a if a > 0.0 else alpha * a,
    array_forward=lambda a, alpha: np.where(a > 0.0, a, alpha * a),
    local_grads=lambda m, out, a, alpha: (
        m.where(m.num(a) > 0.0, 1.0, alpha),
        m.where(m.num(a) > 0.0, 0.0, a),
    ),
    defaults=(0.01,),
    doc="a for a > 0, alpha a otherwise; d/da = 1 or alpha, d/dalpha = min(a, 0).  "
    "The slope alpha may be a Value: that is PReLU's learned slope.",
    torch=TorchTwin(_torch_leaky_relu, TorchModule("LeakyReLU", {"negative_slope": 0.01})),
    testing=TestMargins(kink=lambda a, *alpha: abs(a), kinks=((0.0, 0.1),)),
    listed=Listing(activation=True),
))


def _torch_elu(torch: Any, a: Any, alpha: Any) -> Any:
    # elu(a, alpha) = alpha elu(a, 1) for a <= 0, written so that torch differentiates alpha too
    return torch.where(a > 0, a, _torch_tensor(torch, alpha, a) * torch.nn.functional.elu(a))


register(Op(
    "elu", 2,
    forward=lambda a, alpha: a if a > 0.0 else alpha * math.expm1(a),
    array_forward=lambda a, alpha: np.where(a > 0.0, a, alpha * np.expm1(np.minimum(a, 0.0))),
    local_grads=lambda m, out, a, alpha: (
        m.where(m.num(a) > 0.0, 1.0, out + alpha),
        m.where(m.num(a) > 0.0, 0.0, m.exp(a) - 1.0),
    ),
    defaults=(1.0,),
    doc="a for a > 0, alpha (e^a - 1) otherwise; d/da = 1 or alpha e^a = elu(a) + alpha, d/dalpha = e^a - 1.",
    torch=TorchTwin(_torch_elu, TorchModule("ELU", {"alpha": 1.0})),
    testing=TestMargins(kink=lambda a, *alpha: abs(a), kinks=((0.0, 0.5),)),
    listed=Listing(activation=True),
))
register(Op(
    "softplus", 1,
    forward=lambda a: max(a, 0.0) + math.log1p(math.exp(-abs(a))),
    array_forward=lambda a: np.maximum(a, 0.0) + np.log1p(np.exp(-np.abs(a))),
    local_grads=lambda m, out, a: (m.sigmoid(a),),
    doc="Smooth rectifier ln(1 + e^a); d/da = sigmoid(a).  Computed as max(a, 0) + ln(1 + e^-|a|), "
    "which never overflows.",
    # torch's softplus turns linear above 20; ours is exact, and so is logaddexp(a, 0)
    torch=TorchTwin(lambda torch, a: torch.logaddexp(a, torch.zeros_like(a)), TorchModule("Softplus", {"beta": 1.0})),
    listed=Listing(activation=True),
))


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


register(Op(
    "max", None,
    forward=lambda *xs: max(xs), array_forward=lambda *xs: np.maximum.reduce(xs),
    local_grads=lambda m, out, *xs: _first_at(m, out, xs),
    kind="n-ary",
    doc="The largest input; d/dxi = 1 for the first input that is largest, 0 for the others (a subgradient).",
    torch=TorchTwin(lambda torch, *xs: torch.max(torch.stack(xs))),
    testing=TestMargins(kink=lambda *xs: _gap_to_runner_up(xs, max(xs)), kinks=((1.0, 1.0),)),
))
register(Op(
    "min", None,
    forward=lambda *xs: min(xs), array_forward=lambda *xs: np.minimum.reduce(xs),
    local_grads=lambda m, out, *xs: _first_at(m, out, xs),
    kind="n-ary",
    doc="The smallest input; d/dxi = 1 for the first input that is smallest, 0 for the others (a subgradient).",
    torch=TorchTwin(lambda torch, *xs: torch.min(torch.stack(xs))),
    testing=TestMargins(kink=lambda *xs: _gap_to_runner_up(xs, min(xs)), kinks=((1.0, 1.0),)),
))
register(Op(
    "sum", None,
    forward=exact_sum, array_forward=lambda *xs: np.sum(xs, axis=0),
    local_grads=lambda m, out, *xs: (1.0,) * len(xs),
    kind="n-ary", doc="x1 + ... + xn as one node; d/dxi = 1.",
    torch=TorchTwin(lambda torch, *xs: sum(xs[1:], xs[0])),
    listed=Listing(drawable=False),
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
    "dot", None,
    forward=_dot_forward, array_forward=_dot_array_forward,
    local_grads=_dot_grads,
    kind="n-ary",
    doc="w1 x1 + ... + wn xn (+ b) as one node, parents w1..wn, x1..xn (, b); d/dwi = xi, d/dxi = wi, d/db = 1.",
    torch=TorchTwin(_torch_dot),
    listed=Listing(drawable=False),
))
