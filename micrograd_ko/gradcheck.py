"""Check gradients against finite differences: for your own functions and your own ops.

The engine's derivative of f with respect to an input x is compared with the
central difference

    f'(x) ≈ (f(x + h) - f(x - h)) / 2h

and accepted when |analytic - numeric| <= atol + rtol * |numeric| (the test
PyTorch's gradcheck uses, with the same defaults).  Unlike it, this module
checks every input in one report, prints what it compared, and tells a wrong
derivative apart from a point where there is no derivative at all: at a kink
such as relu(0) or |0|, or a jump such as step(0), the one-sided differences

    right = (f(x + h) - f(x)) / h        left = (f(x) - f(x - h)) / h

disagree however small h gets, while for a smooth function their gap shrinks
with h (it is about h f''(x)).  Such inputs are reported as "not
differentiable", not as a failure of the engine.

`order=2` also checks second derivatives, the way PyTorch's gradgradcheck does:
the derivatives of the gradient graph (`micrograd_ko.grad`) against central
differences of the ordinary first derivatives from `backward()`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from micrograd_ko.autograd import Operand, Value, no_grad
from micrograd_ko.autograd.checks import integer, real_number
from micrograd_ko.autograd.higher_order import grad

__all__ = ["GradcheckError", "GradcheckReport", "GradcheckRow", "Status", "gradcheck"]

Status = Literal["ok", "mismatch", "not differentiable"]
"""How one derivative fared: it matched, it did not, or there is no derivative at that point."""

_SHRINKS = 3  # step sizes tried: eps, eps/10, eps/100


@dataclass(frozen=True)
class GradcheckRow:
    """One compared derivative: the engine's (`analytic`) against the finite difference (`numeric`).

    `left` and `right` are the one-sided difference quotients; at a point that
    is not differentiable they are the two slopes that disagree and `numeric`
    is NaN.  `rel_error` is abs_error / |numeric| (0 when both are 0).
    """

    name: str
    point: float
    analytic: float
    numeric: float
    left: float
    right: float
    abs_error: float
    rel_error: float
    allowed: float
    status: Status


@dataclass(frozen=True)
class GradcheckReport:
    """What `gradcheck` compared, one row per derivative; `str(report)` is a small table."""

    function: str
    rows: tuple[GradcheckRow, ...]
    eps: float
    atol: float
    rtol: float
    order: int

    @property
    def ok(self) -> bool:
        """True when no derivative mismatched (points that are not differentiable do not count)."""
        return not self.failures

    @property
    def failures(self) -> tuple[GradcheckRow, ...]:
        """The rows whose analytic and numeric derivatives disagree."""
        return tuple(row for row in self.rows if row.status == "mismatch")

    @property
    def non_differentiable(self) -> tuple[GradcheckRow, ...]:
        """The rows at points where the function has no derivative (kinks and jumps)."""
        return tuple(row for row in self.rows if row.status == "not differentiable")

    def __str__(self) -> str:
        what = "first and second derivatives" if self.order == 2 else "first derivatives"
        verdict = "ok" if self.ok else f"{len(self.failures)} mismatch(es)"
        width = max([len("derivative"), *(len(row.name) for row in self.rows)])
        settings = f"eps={self.eps:g}, atol={self.atol:g}, rtol={self.rtol:g}"
        header = f"{'at':>11} {'analytic':>13} {'numeric':>13} {'abs err':>9} {'rel err':>9}  status"
        lines = [f"gradcheck of {self.function}, {what}: {verdict} ({settings})", f"{'derivative':<{width}} {header}"]
        for row in self.rows:
            if row.status == "not differentiable":
                numeric, errors = "-", f"{'-':>9} {'-':>9}"
                status = f"not differentiable (left slope {row.left:.6g}, right slope {row.right:.6g})"
            else:
                numeric, errors = f"{row.numeric:.8g}", f"{row.abs_error:>9.2e} {row.rel_error:>9.2e}"
                status = row.status
            lines.append(
                f"{row.name:<{width}} {row.point:>11.6g} {row.analytic:>13.8g} {numeric:>13} {errors}  {status}"
            )
        return "\n".join(lines)


class GradcheckError(AssertionError):
    """A gradient check failed; the message names each input and both numbers, `report` has the rest."""

    def __init__(self, message: str, report: GradcheckReport | None = None) -> None:
        super().__init__(message)
        self.report = report


def gradcheck(
    fn: Callable[..., Value],
    inputs: Sequence[Operand],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    order: Literal[1, 2] = 1,
    raise_on_failure: bool = True,
) -> GradcheckReport:
    """Compare `fn`'s gradient at `inputs` with central finite differences.

    `fn(*values)` takes one Value per input and returns a Value.  `inputs` are
    numbers or Values (a Value's label names its row; the Values themselves are
    not modified, nor is any `.grad` that `fn` reaches).  Each derivative passes
    when |analytic - numeric| <= atol + rtol * |numeric|.  With `order=2` the
    second derivatives d/dxi (df/dxj) are checked too.

    Returns a GradcheckReport.  Raises GradcheckError when a derivative
    mismatches (unless `raise_on_failure=False`) or when `fn` cannot be
    evaluated within `eps` of the point (the edge of its domain).
    """
    name = getattr(fn, "__name__", type(fn).__name__)
    _check_settings(eps, atol, rtol, order)
    point, labels = _unpack(inputs)
    analytic = _analytic_first(fn, point, labels)
    rows = [
        _compare(labels[i], labels, point, i, analytic[i], lambda p: _evaluate(fn, p, labels), eps, atol, rtol)
        for i in range(len(point))
    ]
    if order == 2:
        hessian = _analytic_second(fn, point, labels)
        for j in range(len(point)):

            def first_derivative(p: list[float], j: int = j) -> float:
                return _analytic_first(fn, p, labels)[j]

            for i in range(len(point)):
                row_name = f"d(df/d{labels[j]})/d{labels[i]}"
                rows.append(_compare(row_name, labels, point, i, hessian[j][i], first_derivative, eps, atol, rtol))
    report = GradcheckReport(name, tuple(rows), eps, atol, rtol, order)
    if raise_on_failure and not report.ok:
        raise GradcheckError(_failure_message(report), report)
    return report


def _check_settings(eps: float, atol: float, rtol: float, order: int) -> None:
    if not 0.0 < real_number(eps, "gradcheck: eps") < 1.0:
        raise ValueError(f"gradcheck: eps must be a step between 0 and 1, got {eps!r}")
    for what, tolerance in (("atol", atol), ("rtol", rtol)):
        if not real_number(tolerance, f"gradcheck: {what}") >= 0.0:  # NaN fails this too
            raise ValueError(f"gradcheck: {what} must be a number >= 0, got {tolerance!r}")
    if integer(order, "gradcheck: order") not in (1, 2):
        raise ValueError(f"gradcheck: order must be 1 or 2, got {order!r}")


def _unpack(inputs: Sequence[Operand]) -> tuple[list[float], list[str]]:
    """The point as floats, and a name per input (its label, else x0, x1, ...)."""
    rule = "a non-empty sequence of numbers or Values"
    if isinstance(inputs, (Value, str)) or not isinstance(inputs, Sequence):
        raise TypeError(f"gradcheck: inputs must be {rule}, got {inputs!r}")
    if not inputs:
        raise ValueError(f"gradcheck: inputs must be {rule}, got {inputs!r}")
    point = [
        item.data if isinstance(item, Value) else real_number(item, f"gradcheck: inputs[{i}]")
        for i, item in enumerate(inputs)
    ]
    for i, x in enumerate(point):
        if not math.isfinite(x):
            raise ValueError(
                f"gradcheck: inputs[{i}] must be a finite number (gradients are checked at finite points), got {x!r}"
            )
    labels = [item.label if isinstance(item, Value) and item.label else f"x{i}" for i, item in enumerate(inputs)]
    if len(labels) == 1 and labels[0] == "x0":
        labels[0] = "x"
    return point, labels


def _call(fn: Callable[..., Value], values: Sequence[Value]) -> Value:
    out = fn(*values)
    if not isinstance(out, Value):
        name = getattr(fn, "__name__", type(fn).__name__)
        raise TypeError(f"gradcheck: fn must return a Value, got {out!r} from {name}")
    return out


def _evaluate(fn: Callable[..., Value], point: Sequence[float], labels: Sequence[str]) -> float:
    with no_grad():
        return _call(fn, [Value(x, label) for x, label in zip(point, labels)]).data


def _analytic_first(fn: Callable[..., Value], point: Sequence[float], labels: Sequence[str]) -> list[float]:
    """d fn / d input for each input, by `backward()`, restoring every `.grad` it touched."""
    values = [Value(x, label) for x, label in zip(point, labels)]
    out = _call(fn, values)
    order = out.topological_order()
    saved = [node.grad for node in order]
    try:
        out.backward()
        return [v.grad for v in values]
    finally:
        for node, previous in zip(order, saved):
            node.grad = previous


def _analytic_second(fn: Callable[..., Value], point: Sequence[float], labels: Sequence[str]) -> list[list[float]]:
    """hessian[j][i] = d/dxi (df/dxj), by differentiating the gradient graph."""
    every = tuple(range(len(point)))

    def partial(j: int) -> Callable[..., Value]:
        def df(*values: Value) -> Value:
            return grad(fn, every)(*values)[j]

        return df

    values = [Value(x, label) for x, label in zip(point, labels)]
    return [[d.data for d in grad(partial(j), every)(*values)] for j in every]


def _compare(
    name: str,
    labels: Sequence[str],
    point: Sequence[float],
    i: int,
    analytic: float,
    f: Callable[[list[float]], float],
    eps: float,
    atol: float,
    rtol: float,
) -> GradcheckRow:
    """One row: the analytic derivative along input i against f's finite differences there."""
    numeric, left, right = _difference_quotients(labels[i], point, i, f, eps, atol, rtol)
    if math.isnan(numeric):
        return GradcheckRow(
            name, point[i], analytic, numeric, left, right, math.nan, math.nan, math.nan, "not differentiable"
        )
    abs_error = abs(analytic - numeric)
    rel_error = abs_error / abs(numeric) if numeric else (0.0 if abs_error == 0.0 else math.inf)
    allowed = atol + rtol * abs(numeric)
    status: Status = "ok" if abs_error <= allowed else "mismatch"
    return GradcheckRow(name, point[i], analytic, numeric, left, right, abs_error, rel_error, allowed, status)


def _difference_quotients(
    label: str,
    point: Sequence[float],
    i: int,
    f: Callable[[list[float]], float],
    eps: float,
    atol: float,
    rtol: float,
) -> tuple[float, float, float]:
    """(central, left, right) difference quotients; central is NaN where f has no derivative.

    Starts with step eps.  When the one-sided quotients disagree, the step is
    cut tenfold: near a smooth point their gap shrinks in proportion, so the
    first step at which they agree gives the estimate (or, if the gap only
    keeps shrinking, the first step's central difference, whose error is
    O(h^2)); at a kink or jump the gap does not shrink and the point is
    reported as not differentiable.
    """
    at = list(point)
    center = _evaluate_at(f, at, label, i, 0.0)
    h, first_central, previous_gap = eps, math.nan, math.inf
    for _ in range(_SHRINKS):
        above, below = _evaluate_at(f, at, label, i, h), _evaluate_at(f, at, label, i, -h)
        right, left = (above - center) / h, (center - below) / h
        central = (above - below) / (2.0 * h)
        if math.isnan(first_central):
            first_central = central
        gap = abs(right - left)
        if gap <= atol + rtol * max(abs(left), abs(right)):
            return central, left, right
        if not gap < 0.5 * previous_gap:
            return math.nan, left, right
        previous_gap = gap
        h /= 10.0
    return first_central, left, right


def _evaluate_at(f: Callable[[list[float]], float], point: list[float], label: str, i: int, offset: float) -> float:
    shifted = list(point)
    shifted[i] += offset
    try:
        value = f(shifted)
    except (ArithmeticError, ValueError) as error:
        raise GradcheckError(
            f"gradcheck: cannot evaluate the function with {label} = {shifted[i]!r} (moved by {offset:g}): "
            f"{type(error).__name__}: {error}. The point is within eps of the edge of the function's domain; "
            "move it inward or pass a smaller eps"
        ) from error
    if not math.isfinite(value):
        raise GradcheckError(
            f"gradcheck: the function is {value!r} at {label} = {shifted[i]!r}; derivatives can only be checked "
            "where the function is finite"
        )
    return value


def _failure_message(report: GradcheckReport) -> str:
    lines = [
        f"gradcheck failed for {row.name} at {row.point!r}: analytic {row.analytic:.8g} but numeric {row.numeric:.8g}; "
        f"absolute error {row.abs_error:.3g}, relative error {row.rel_error:.3g} "
        f"(allowed {row.allowed:.3g} = atol {report.atol:g} + rtol {report.rtol:g} * |numeric|)"
        for row in report.failures
    ]
    return "\n".join([*lines, "", str(report)])
