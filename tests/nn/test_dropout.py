"""Dropout: the fraction dropped, the mean kept, the seed, the gradient and evaluation mode."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _layer_checks import gradcheck_layer

from micrograd_ko import Value, nn


def test_dropout_drops_a_fraction_p_and_keeps_the_mean() -> None:
    p, n = 0.3, 20_000
    layer = nn.Dropout(p, seed=7)
    out = layer([[1.0] * n])[0]
    values = np.array([v.data for v in out])
    dropped = np.mean(values == 0.0)
    assert set(np.unique(values)) == {0.0, 1 / (1 - p)}
    # 4 standard deviations of a binomial proportion and of the mean of the scaled outputs
    assert abs(dropped - p) < 4 * np.sqrt(p * (1 - p) / n)
    assert abs(values.mean() - 1.0) < 4 * np.sqrt(p / (1 - p) / n)
    assert np.array_equal(np.array(layer.mask[0]) == 0.0, values == 0.0)


def test_dropout_is_the_identity_in_eval_mode() -> None:
    layer = nn.Dropout(0.5, seed=0).eval()
    batch = [[Value(1.0), Value(-2.0)], [Value(3.0), Value(4.0)]]
    out = layer(batch)
    assert all(a is b for row_a, row_b in zip(out, batch) for a, b in zip(row_a, row_b))


def test_dropout_same_seed_same_mask() -> None:
    first, second, other = nn.Dropout(0.5, seed=3), nn.Dropout(0.5, seed=3), nn.Dropout(0.5, seed=4)
    batch = np.ones((4, 50))
    masks = []
    for layer in (first, second, other):
        masks.append([[v.data == 0.0 for v in row] for call in range(2) for row in layer(batch)])
    assert masks[0] == masks[1]
    assert masks[0] != masks[2]


def test_dropout_gradient_is_the_mask_scaled() -> None:
    layer = nn.Dropout(0.25, seed=1)
    xs = [[Value(2.0) for _ in range(40)]]
    Value.sum(layer(xs)[0]).backward()
    assert [x.grad for x in xs[0]] == [m / 0.75 for m in layer.mask[0]]


def test_dropout_gradcheck_with_a_fixed_mask() -> None:
    layer = nn.Dropout(0.5, seed=0)

    def same_mask() -> None:
        layer._rng = np.random.default_rng(0)

    gradcheck_layer(layer, np.random.default_rng(0).normal(size=(2, 5)), before=same_mask)


@pytest.mark.parametrize(
    ("p", "error"), [(-0.1, ValueError), (1.0, ValueError), (1.5, ValueError), (True, TypeError), ("0.5", TypeError)]
)
def test_dropout_refuses_bad_p(p: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=rf"Dropout: p must be a probability in \[0, 1\), got {p!r}"):
        nn.Dropout(p)
