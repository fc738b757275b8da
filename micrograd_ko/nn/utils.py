"""Helpers that act on the parameters' gradients between `backward()` and `step()`: gradient clipping.

`clip_grad_norm_` has the name and meaning of `torch.nn.utils.clip_grad_norm_`:
all gradients are seen as one long vector g, its norm is measured, and when
that norm is larger than `max_norm` every gradient is scaled down by the same
factor, so the direction of the step is kept and only its length is capped.
A recurrent network multiplies its gradient by W_hh once per time step, so a
long sequence can make it explode; clipping is the usual remedy.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from micrograd_ko.autograd import Value
from micrograd_ko.autograd.checks import real_number

__all__ = ["clip_grad_norm_", "total_norm"]

_EPS = 1e-6
"""Added to the norm before dividing, as torch does, so a zero norm never divides by zero."""


def clip_grad_norm_(
    parameters: Iterable[Value] | Value,
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> float:
    """Scale the gradients of `parameters` in place so their total norm is at most about `max_norm`.

    total = (Σ_i |g_i|^p)^(1/p) over every parameter's `grad` (p = `norm_type`;
    p = math.inf gives max_i |g_i|).  When total > max_norm, every grad is
    multiplied by max_norm / (total + 1e-6); otherwise nothing changes.  Returns
    the total norm *before* clipping, as `torch.nn.utils.clip_grad_norm_` does
    (a float here), so a training loop can record how large the gradients were.

    `parameters` is an iterable of Values (a model's `parameters()`) or one Value.
    `max_norm` is a number >= 0, `norm_type` a number > 0 or math.inf.  With
    `error_if_nonfinite=True`, a total norm that is NaN or infinite raises
    RuntimeError (as in torch) instead of scaling every grad by 0 or NaN.
    """
    params = _parameters(parameters)
    limit = real_number(max_norm, "clip_grad_norm_: max_norm")
    if not limit >= 0.0:  # also refuses NaN
        raise ValueError(f"clip_grad_norm_: max_norm must be a number >= 0, got {max_norm!r}")
    p = real_number(norm_type, "clip_grad_norm_: norm_type")
    if not p > 0.0:
        raise ValueError(f"clip_grad_norm_: norm_type must be a number > 0 or math.inf, got {norm_type!r}")
    if not isinstance(error_if_nonfinite, bool):
        raise TypeError(f"clip_grad_norm_: error_if_nonfinite must be True or False, got {error_if_nonfinite!r}")
    if not params:
        return 0.0
    total = total_norm([v.grad for v in params], p)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {p} of the gradients is {total}, so they cannot be clipped; "
            "pass error_if_nonfinite=False to scale them anyway"
        )
    coefficient = limit / (total + _EPS)
    if coefficient < 1.0 or math.isnan(coefficient):  # torch multiplies by min(coef, 1): NaN spreads there too
        for v in params:
            v.grad *= coefficient
    return total


def total_norm(grads: Iterable[float], norm_type: float = 2.0) -> float:
    """The p-norm (Σ |g|^p)^(1/p) of the numbers `grads`, p = `norm_type` (math.inf: the largest |g|).

    What `clip_grad_norm_` measures; 0.0 for no numbers.
    """
    p = real_number(norm_type, "total_norm: norm_type")
    if not p > 0.0:
        raise ValueError(f"total_norm: norm_type must be a number > 0 or math.inf, got {norm_type!r}")
    magnitudes = [abs(float(g)) for g in grads]
    if not magnitudes:
        return 0.0
    if any(math.isnan(m) for m in magnitudes):
        return math.nan
    if math.isinf(p):
        return max(magnitudes)
    largest = max(magnitudes)
    if largest == 0.0 or math.isinf(largest):
        return largest
    # scaled by the largest so that |g|^p neither overflows nor underflows on the way
    scaled: float = math.fsum((m / largest) ** p for m in magnitudes) ** (1.0 / p)
    return largest * scaled


def _parameters(parameters: object) -> list[Value]:
    """The Values to clip: one Value, or every item of an iterable (each must be a Value)."""
    if isinstance(parameters, Value):
        return [parameters]
    if isinstance(parameters, str | bytes) or not isinstance(parameters, Iterable):
        raise TypeError(f"clip_grad_norm_: parameters must be an iterable of Values or one Value, got {parameters!r}")
    params = list(parameters)
    for i, v in enumerate(params):
        if not isinstance(v, Value):
            raise TypeError(f"clip_grad_norm_: parameters[{i}] must be a Value, got {v!r}")
    return params
