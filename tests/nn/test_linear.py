"""Linear (against torch, gradchecked) and Flatten (torch's row-major order)."""

from __future__ import annotations

from typing import Any

import numpy as np
from _layer_checks import compare_with_torch, gradcheck_layer, random_images

from micrograd_ko import nn


def test_linear_gradcheck_and_torch(torch: Any) -> None:
    layer = nn.Linear(4, 3, init="xavier", seed=2)
    batch = np.random.default_rng(0).normal(size=(3, 4))
    gradcheck_layer(layer, batch)
    compare_with_torch(torch, layer, batch)


def test_flatten_reads_images_row_major_like_torch(torch: Any) -> None:
    images = random_images(2, 2, 3, 4)
    out = nn.Flatten()(images)
    assert [[v.data for v in row] for row in out] == torch.nn.Flatten()(torch.tensor(images)).tolist()
