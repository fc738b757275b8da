"""nn.clip_grad_norm_ (nn/utils.py): gradient clipping with torch.nn.utils.clip_grad_norm_'s name and meaning.

Compared with torch in float64 on the same gradients: the returned total norm (before clipping) and every
clipped gradient, for the 2-norm, the 1-norm, a fractional order and the inf norm, above and below max_norm.
Bad arguments are refused in the package's message shape.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest

from micrograd_ko import Value, losses, nn
from micrograd_ko.nn.utils import total_norm

SHAPE = re.compile(r"clip_grad_norm_: [\w\[\]]+ must be .+, got .+")


def _with_grads(grads: list[float]) -> list[Value]:
    params = [Value(0.0, role="parameter") for _ in grads]
    for v, g in zip(params, grads):
        v.grad = g
    return params


def _torch_clip(torch: Any, grads: list[float], max_norm: float, norm_type: float) -> tuple[float, list[float]]:
    tensors = [torch.zeros(1, dtype=torch.float64, requires_grad=True) for _ in grads]
    for t, g in zip(tensors, grads):
        t.grad = torch.tensor([g], dtype=torch.float64)
    total = torch.nn.utils.clip_grad_norm_(tensors, max_norm, norm_type=norm_type)
    return float(total), [float(t.grad[0]) for t in tensors]


GRADS = np.random.default_rng(5).normal(scale=3.0, size=17).tolist()


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 0.5, 3.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.0, 0.1, 1.0, 5.0, 1e3])
def test_clip_grad_norm_matches_torch(torch: Any, norm_type: float, max_norm: float) -> None:
    params = _with_grads(GRADS)
    total = nn.clip_grad_norm_(params, max_norm, norm_type=norm_type)
    torch_total, torch_grads = _torch_clip(torch, GRADS, max_norm, norm_type)
    assert total == pytest.approx(torch_total, rel=1e-12)
    np.testing.assert_allclose([v.grad for v in params], torch_grads, rtol=1e-12, atol=1e-15)


def test_clip_grad_norm_on_a_model_matches_torch(torch: Any) -> None:
    """A real backward through an RNN, then clipped: the same grads as torch's twin, clipped by torch."""
    from micrograd_ko.interop.torch import to_torch

    rnn = nn.RNN(2, 3, seed=0)
    for w in rnn.parameters():
        w.data *= 2.0
    xs = np.random.default_rng(1).normal(size=(12, 2))
    outputs, _ = rnn(xs.tolist())
    losses.mse(outputs[-1], [1.0, -1.0, 0.5]).backward()
    twin = to_torch(rnn)
    out_t, _ = twin(torch.tensor(xs))
    torch.nn.functional.mse_loss(out_t[-1], torch.tensor([1.0, -1.0, 0.5], dtype=torch.float64)).backward()
    total = nn.clip_grad_norm_(rnn.parameters(), 0.01)
    torch_total = torch.nn.utils.clip_grad_norm_(list(twin.parameters()), 0.01)
    assert total > 0.01  # so the clipping did scale
    assert total == pytest.approx(float(torch_total), rel=1e-10)
    torch_grads = [g for p in twin.parameters() for g in p.grad.numpy().ravel()]
    np.testing.assert_allclose([v.grad for v in rnn.parameters()], torch_grads, rtol=1e-9, atol=1e-12)


def test_below_max_norm_nothing_changes_and_the_norm_is_returned() -> None:
    params = _with_grads([3.0, 4.0])
    assert nn.clip_grad_norm_(params, 10.0) == 5.0
    assert [v.grad for v in params] == [3.0, 4.0]


def test_above_max_norm_the_direction_is_kept() -> None:
    params = _with_grads([3.0, -4.0])
    assert nn.clip_grad_norm_(params, 1.0) == 5.0
    scale = 1.0 / (5.0 + 1e-6)
    assert [v.grad for v in params] == [3.0 * scale, -4.0 * scale]
    assert math.hypot(*(v.grad for v in params)) == pytest.approx(1.0, abs=1e-6)


def test_inf_norm_is_the_largest_magnitude() -> None:
    params = _with_grads([0.5, -7.0, 2.0])
    assert nn.clip_grad_norm_(params, 1.0, norm_type=math.inf) == 7.0
    assert max(abs(v.grad) for v in params) == pytest.approx(1.0, abs=1e-6)


def test_one_value_empty_lists_and_a_generator() -> None:
    v = _with_grads([-6.0])[0]
    assert nn.clip_grad_norm_(v, 2.0) == 6.0
    assert v.grad == pytest.approx(-2.0, abs=1e-6)
    assert nn.clip_grad_norm_([], 1.0) == 0.0
    params = _with_grads([1.0, 1.0])
    assert nn.clip_grad_norm_((p for p in params), 1.0) == pytest.approx(math.sqrt(2.0))
    assert nn.clip_grad_norm_ is nn.utils.clip_grad_norm_


def test_large_and_tiny_gradients_do_not_overflow_or_underflow() -> None:
    assert total_norm([1e200, 1e200]) == pytest.approx(math.sqrt(2.0) * 1e200)
    assert total_norm([1e-200, 1e-200]) == pytest.approx(math.sqrt(2.0) * 1e-200)
    assert total_norm([0.0, 0.0]) == 0.0


def test_nonfinite_norms(torch: Any) -> None:
    for grads in ([1.0, math.inf], [1.0, math.nan]):
        params = _with_grads(grads)
        total = nn.clip_grad_norm_(params, 1.0)
        torch_total, torch_grads = _torch_clip(torch, grads, 1.0, 2.0)
        assert math.isinf(total) == math.isinf(torch_total) and math.isnan(total) == math.isnan(torch_total)
        np.testing.assert_array_equal([v.grad for v in params], torch_grads)
        with pytest.raises(RuntimeError, match="clip_grad_norm_: the total norm"):
            nn.clip_grad_norm_(_with_grads(grads), 1.0, error_if_nonfinite=True)


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        (("w", 1.0), TypeError),
        ((1.0, 1.0), TypeError),
        (([Value(1.0), 2.0], 1.0), TypeError),
        (([Value(1.0)], "1"), TypeError),
        (([Value(1.0)], True), TypeError),
        (([Value(1.0)], -1.0), ValueError),
        (([Value(1.0)], math.nan), ValueError),
        (([Value(1.0)], 1.0, 0.0), ValueError),
        (([Value(1.0)], 1.0, -2.0), ValueError),
        (([Value(1.0)], 1.0, "inf"), TypeError),
        (([Value(1.0)], 1.0, 2.0, 1), TypeError),
    ],
)
def test_bad_arguments_are_refused_in_the_one_shape(arguments: tuple[Any, ...], error: type[Exception]) -> None:
    with pytest.raises(error) as caught:
        nn.clip_grad_norm_(*arguments)
    assert SHAPE.fullmatch(str(caught.value)), str(caught.value)
    other = ValueError if error is TypeError else TypeError
    assert not isinstance(caught.value, other)


def test_a_refused_call_changes_no_gradient() -> None:
    params = _with_grads([3.0, 4.0])
    with pytest.raises(ValueError):
        nn.clip_grad_norm_(params, -1.0)
    assert [v.grad for v in params] == [3.0, 4.0]
