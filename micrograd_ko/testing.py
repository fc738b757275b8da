"""Hypothesis strategies for property-testing gradients: yours, your ops', and the engine's.

    from hypothesis import given
    from micrograd_ko.testing import assert_gradients_match, expressions

    @given(expressions())
    def test_gradients_of_random_graphs(expr):
        assert_gradients_match(expr, expr.inputs)

`expressions()` draws a random expression DAG over the engine's ops, together
with a point to evaluate it at.  Nodes are drawn from all earlier nodes, so
sub-expressions are shared and a node can meet itself (`v * v`).  Every op is
kept inside its domain with a margin, so the finite differences that check it
never leave that domain or cross a kink:

* every node's value stays within +-LIMIT,
* log, sqrt, a divisor, the base of a fractional or Value power stay EDGE
  away from the edge of their domain,
* abs, relu, leaky_relu, elu and step see inputs at least KINK away from 0.

A drawn op that would break one of these rules is replaced by tanh of its
first operand, which is always safe.  Shrinking works on the whole program,
and a failing example prints as the program it is.

This module needs hypothesis (a dev dependency); `import micrograd_ko` does not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

try:
    from hypothesis import currently_in_test_context, event
    from hypothesis import strategies as st
except ModuleNotFoundError as missing:  # an optional dependency: say how to get it
    if missing.name != "hypothesis":
        raise
    raise ImportError(
        'micrograd_ko.testing needs hypothesis: pip install "micrograd_ko[testing]"', name=missing.name
    ) from missing

from micrograd_ko.autograd import Value
from micrograd_ko.autograd import ops as op_table
from micrograd_ko.autograd.checks import finite_number, integer, real_number
from micrograd_ko.autograd.custom import apply
from micrograd_ko.gradcheck import GradcheckReport, gradcheck

__all__ = [
    "EDGE",
    "KINK",
    "LIMIT",
    "OPS",
    "SMOOTH_OPS",
    "Expression",
    "Ref",
    "Step",
    "Term",
    "assert_gradients_match",
    "expressions",
    "values",
]

LIMIT = 100.0
"""Every node of a drawn expression has |value| <= LIMIT."""
EDGE = 0.1
"""Distance kept from the edge of a domain (log, sqrt, division, fractional powers)."""
KINK = 0.05
"""Distance kept from the kink or jump at 0 (abs, relu, leaky_relu, elu, step)."""

OPS: tuple[str, ...] = tuple(op.name for op in op_table.all_ops(builtin_only=True))
"""Every built-in op `expressions()` can draw, by the engine's op names: the whole op table."""

SMOOTH_OPS: tuple[str, ...] = tuple(op.name for op in op_table.all_ops(builtin_only=True) if not op.testing.kinks)
"""The built-in ops without a kink or jump anywhere."""

_INFIX = frozenset({"+", "-", "*", "/", "**"})
_EXPONENTS = (2.0, 3.0, -1.0, -2.0, 0.5, 1.5, -0.5, 1.0, 0.0)
_LITERALS = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False, allow_subnormal=False)

T = TypeVar("T")


@dataclass(frozen=True)
class Ref:
    """An earlier node of an Expression: input i for i < n_inputs, else the result of step i - n_inputs."""

    index: int


Term = Ref | float
"""An operand of a Step: a node, or a number (a constant, an exponent, an alpha)."""


@dataclass(frozen=True)
class Step:
    """One op applied to its operands; `op` is the engine's op name ('+', 'tanh', 'dot', ...).

    Operands follow the engine's call: `a ** n` is ('**', (a, n)), `a.leaky_relu(alpha)`
    is ('leaky_relu', (a, alpha)), and `Value.dot(ws, xs, bias)` lists ws, xs, then bias.
    """

    op: str
    operands: tuple[Term, ...]


@dataclass(frozen=True)
class Expression:
    """A drawn expression DAG and the point it was drawn at.

    Call it on Values (or numbers) like any function of `n_inputs` arguments;
    the output is the sum of the nodes nothing else used.  `evaluate` runs the
    same program with another implementation of the ops (PyTorch, say).
    """

    inputs: tuple[float, ...]
    steps: tuple[Step, ...]
    outputs: tuple[int, ...]

    @property
    def n_inputs(self) -> int:
        """How many arguments the expression takes."""
        return len(self.inputs)

    def __call__(self, *inputs: Value | float) -> Value:
        """The expression built with the engine's ops."""
        values = [x if isinstance(x, Value) else Value(x) for x in inputs]
        return self.evaluate(values, _engine_step, _engine_total)

    def evaluate(
        self,
        inputs: Sequence[T],
        apply: Callable[[str, tuple[T | float, ...]], T],
        total: Callable[[list[T]], T],
    ) -> T:
        """Run the program: `apply(op, operands)` per step, then `total` of the output nodes."""
        if len(inputs) != self.n_inputs:
            raise TypeError(f"Expression: inputs must be {self.n_inputs} arguments, got {len(inputs)}")
        nodes = list(inputs)
        for step in self.steps:
            nodes.append(apply(step.op, tuple(nodes[t.index] if isinstance(t, Ref) else t for t in step.operands)))
        return total([nodes[i] for i in self.outputs])

    def __repr__(self) -> str:
        point = ", ".join(f"x{i}={x!r}" for i, x in enumerate(self.inputs))
        lines = [f"v{self.n_inputs + i} = {_show(step, self.n_inputs)}" for i, step in enumerate(self.steps)]
        out = " + ".join(_name(i, self.n_inputs) for i in self.outputs)
        return f"Expression({point}; {'; '.join(lines)}; out = {out})"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """Show the program, not the fields, when hypothesis prints a failing example."""
        printer.text(repr(self))


def _name(index: int, n_inputs: int) -> str:
    return f"x{index}" if index < n_inputs else f"v{index}"


def _show(step: Step, n_inputs: int) -> str:
    terms = [_name(t.index, n_inputs) if isinstance(t, Ref) else repr(t) for t in step.operands]
    if step.op in _INFIX:
        return f"{terms[0]} {step.op} {terms[1]}"
    if step.op == "neg":
        return f"-{terms[0]}"
    return f"{step.op}({', '.join(terms)})"


def _engine_step(op: str, args: tuple[Value | float, ...]) -> Value:
    """One step with the engine's ops (numbers become constants, as in user code)."""
    if op == "dot":  # the engine's dot takes the weights, the inputs and the bias apart
        n = len(args) // 2
        return Value.dot(args[:n], args[n : 2 * n], args[2 * n] if len(args) % 2 else None)
    return apply(op, *args)


def _engine_total(nodes: list[Value]) -> Value:
    return nodes[0] if len(nodes) == 1 else Value.sum(nodes)


def values(
    min_value: float = -3.0, max_value: float = 3.0, *, avoid: Sequence[float] = (), margin: float = 1e-3
) -> st.SearchStrategy[float]:
    """Finite floats in [min_value, max_value], at least `margin` away from every point in `avoid`.

    `avoid` is for kinks and domain edges: `values(-2, 2, avoid=[0.0])` for relu.
    """
    low = finite_number(min_value, "values: min_value")
    if not low < finite_number(max_value, "values: max_value"):
        raise ValueError(f"values: max_value must be greater than min_value ({min_value!r}), got {max_value!r}")
    if not real_number(margin, "values: margin") >= 0.0:  # NaN fails this too
        raise ValueError(f"values: margin must be >= 0, got {margin!r}")
    points = tuple(float(p) for p in avoid)
    floats = st.floats(min_value, max_value, allow_nan=False, allow_infinity=False, allow_subnormal=False)
    if not points:
        return floats
    return floats.filter(lambda x: all(abs(x - p) >= margin for p in points))


def expressions(
    *,
    max_inputs: int = 3,
    max_steps: int = 8,
    min_value: float = -2.0,
    max_value: float = 2.0,
    ops: Sequence[str] = OPS,
) -> st.SearchStrategy[Expression]:
    """Random expression DAGs over `ops` (default: all of OPS) with 1..max_inputs inputs.

    Each draw has 1..max_steps steps and a point with coordinates in
    [min_value, max_value]; see the module docstring for the domain rules.
    """
    rule = f"a non-empty selection of {OPS}"
    if isinstance(ops, str) or not isinstance(ops, Sequence):
        raise TypeError(f"expressions: ops must be {rule}, got {ops!r}")
    unknown = sorted(set(ops) - set(OPS))
    if unknown or not ops:
        raise ValueError(f"expressions: ops must be {rule}, got {list(ops)!r} (unknown: {unknown})")
    for what, count in (("max_inputs", max_inputs), ("max_steps", max_steps)):
        integer(count, f"expressions: {what}", minimum=1)
    return _expressions(max_inputs, max_steps, values(min_value, max_value), tuple(ops))


@st.composite
def _expressions(
    draw: st.DrawFn, max_inputs: int, max_steps: int, points: st.SearchStrategy[float], ops: tuple[str, ...]
) -> Expression:
    inputs = tuple(draw(points) for _ in range(draw(st.integers(1, max_inputs))))
    nodes = [Value(x) for x in inputs]
    steps: list[Step] = []
    for _ in range(draw(st.integers(1, max_steps))):
        step = _draw_step(draw, draw(st.sampled_from(ops)), len(nodes))
        node = _safe_apply(step, nodes)
        if node is None:
            step = Step("tanh", (Ref(_first_ref(step)),))
            node = _engine_step("tanh", (nodes[_first_ref(step)],))
        steps.append(step)
        nodes.append(node)
    used = {t.index for step in steps for t in step.operands if isinstance(t, Ref)}
    outputs = tuple(i for i in range(len(inputs), len(nodes)) if i not in used)
    return Expression(inputs, tuple(steps), outputs)


def _first_ref(step: Step) -> int:
    return next(t.index for t in step.operands if isinstance(t, Ref))


def _draw_step(draw: st.DrawFn, op: str, n_nodes: int) -> Step:
    """One step of `op`: its first operand a node, the others nodes or numbers, as many as its arity allows."""

    def ref() -> Ref:
        return Ref(draw(st.integers(0, n_nodes - 1)))

    def ref_or_number() -> Term:
        return ref() if draw(st.booleans()) else draw(_LITERALS)

    block = op_table.lookup(op)
    if op == "**":  # integer and fractional exponents, so negative bases and kinks of the base get drawn
        layout = draw(st.sampled_from(("number exponent", "node exponent", "number base")))
        if layout == "number exponent":
            return Step(op, (ref(), draw(st.sampled_from(_EXPONENTS))))
        if layout == "node exponent":
            return Step(op, (ref(), ref()))
        return Step(op, (draw(st.floats(0.2, 3.0)), ref()))
    if op == "dot":
        n = draw(st.integers(1, 3))
        weights = tuple(ref_or_number() for _ in range(n))
        bias = draw(st.sampled_from(("none", "node", "number")))
        extra: tuple[Term, ...] = () if bias == "none" else (ref(),) if bias == "node" else (draw(_LITERALS),)
        return Step(op, weights + tuple(ref() for _ in range(n)) + extra)
    if block.arity is None:
        return Step(op, tuple(ref() for _ in range(draw(st.integers(1, 4)))))
    if block.arity == 2 and draw(st.booleans()):  # a number on the left, as in `2 - x`
        return Step(op, (draw(_LITERALS), ref()) if block.kind == "operator" else (ref(), ref_or_number()))
    count = draw(st.integers(block.min_inputs, block.arity))
    return Step(op, (ref(), *(ref_or_number() for _ in range(count - 1))))


def _safe_apply(step: Step, nodes: list[Value]) -> Value | None:
    """The step's node at the drawn point, or None if it breaks a domain rule."""
    args = tuple(nodes[t.index] if isinstance(t, Ref) else t for t in step.operands)
    try:
        out = _engine_step(step.op, args)
    except (ArithmeticError, ValueError):
        return None
    data = [a.data if isinstance(a, Value) else a for a in args]
    return out if math.isfinite(out.data) and abs(out.data) <= LIMIT and _inside(step, data) else None


def _inside(step: Step, data: list[float]) -> bool:
    """Whether the point keeps EDGE from the edge of the op's domain and KINK from its kinks."""
    block = op_table.lookup(step.op)
    if step.op == "**" and isinstance(step.operands[1], Ref) and data[0] < EDGE:
        return False  # a Value exponent is differentiated too, which needs a positive base
    return block.testing.edge(*data) >= EDGE and block.testing.kink(*data) >= KINK


def assert_gradients_match(
    fn: Callable[..., Value],
    inputs: Sequence[Value | float],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    order: Literal[1, 2] = 1,
) -> GradcheckReport:
    """Assert that `fn`'s gradients at `inputs` match finite differences; return the report.

    `micrograd_ko.gradcheck` for property tests: a mismatch raises
    GradcheckError (an AssertionError) whose message holds the comparison
    table.  Points that are not differentiable are reported, not failed;
    inside a hypothesis test they are counted as an `event`, visible with
    `pytest --hypothesis-show-statistics`.
    """
    report = gradcheck(fn, inputs, eps=eps, atol=atol, rtol=rtol, order=order)
    if report.non_differentiable and currently_in_test_context():
        event("gradcheck: a point that is not differentiable")
    return report
