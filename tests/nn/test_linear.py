"""Linear (against torch, gradchecked) and Flatten (torch's row-major order)."""

from __future__ import annotations

from typing import Any

import numpy as np
from _layer_checks import as_values, compare_with_torch, flat, gradcheck_layer, random_images

from micrograd_ko import Value, nn


def test_linear_gradcheck_and_torch(torch: Any) -> None:
    layer = nn.Linear(4, 3, init="xavier", seed=2)
    batch = np.random.default_rng(0).normal(size=(3, 4))
    gradcheck_layer(layer, batch)
    compare_with_torch(torch, layer, batch)


def test_flatten_reads_images_row_major_like_torch(torch: Any) -> None:
    images = random_images(2, 2, 3, 4)
    out = nn.Flatten()(images)
    assert [[v.data for v in row] for row in out] == torch.nn.Flatten()(torch.tensor(images)).tolist()


def test_linear_without_bias_is_w_x_by_hand_values_and_gradients() -> None:
    layer = nn.Linear(3, 2, bias=False, seed=0)
    assert layer.bias is None and layer.state_dict()["bias"] is None
    assert layer.parameters() == [w for row in layer.weight for w in row]
    weights = np.array([[w.data for w in row] for row in layer.weight])
    batch = np.random.default_rng(0).normal(size=(4, 3))
    xs = as_values(batch)
    out = layer(xs)
    assert all(y.op == "dot" and len(y.parents) == 3 + 3 for row in out for y in row)  # no bias operand
    np.testing.assert_allclose([[y.data for y in row] for row in out], batch @ weights.T, rtol=1e-14, atol=1e-15)
    c = np.random.default_rng(1).normal(size=(4, 2))
    Value.dot(c.ravel().tolist(), flat(out)).backward()
    # L = Σ_nj c_nj (W x_n)_j:  dL/dW = cᵀ X,  dL/dX = c W
    np.testing.assert_allclose([p.grad for p in layer.parameters()], (c.T @ batch).ravel(), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose([[x.grad for x in row] for row in xs], c @ weights, rtol=1e-14, atol=1e-15)


def test_linear_weights_are_init_weights_laid_out_row_by_row() -> None:
    for init in ("uniform", "he", 0.3):
        layer = nn.Linear(3, 4, init=init, seed=5)
        expected = np.reshape(nn.init_weights(init, 3, 4, 12, seed=5), (4, 3))  # [out][in]
        assert [[w.data for w in row] for row in layer.weight] == expected.tolist()
