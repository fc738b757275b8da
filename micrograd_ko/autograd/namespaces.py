"""The math namespaces: the few functions the op table's derivative formulas call, on floats and on arrays.

An op's local derivative is written once, as `local_grads(m, out, *inputs)`.
Arithmetic needs nothing (floats, Values and numpy arrays all overload it);
a branch or a function goes through `m`: `m.where(m.num(a) > 0, 1.0, 0.0)`
for relu, `m.sigmoid(a)` for softplus.  `FLOATS` serves eager backward,
`ARRAYS` the compiled mode (a whole batch at once), and `higher_order.VALUES`
(built on FLOATS) the derivatives that are graphs themselves.

Every function here is total: outside its domain it returns NaN or an
infinity, as numpy does, and never raises, because `where` evaluates both of
its branches and then keeps one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import numpy as np

__all__ = ["ARRAYS", "FLOATS", "exact_sum"]


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


def exact_sum(*xs: float) -> float:
    """x1 + ... + xn rounded once (math.fsum), or inf and NaN where IEEE addition gives them: `sum`'s forward."""
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
