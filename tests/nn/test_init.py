"""Initial weights: init_weights' formulas and sizes, and the fans a convolution counts."""

from __future__ import annotations

import numpy as np
import pytest

from micrograd_ko import nn


def test_init_scales_follow_their_formulas() -> None:
    fan_in, fan_out, n = 50, 30, 60_000
    uniform = np.array(nn.init_weights("uniform", fan_in, fan_out, n, seed=0))
    assert uniform.max() <= 1 / np.sqrt(fan_in) and uniform.min() >= -1 / np.sqrt(fan_in)
    assert uniform.std() == pytest.approx(1 / np.sqrt(3 * fan_in), rel=0.02)
    assert np.std(nn.init_weights("xavier", fan_in, fan_out, n, seed=0)) == pytest.approx(
        np.sqrt(2 / (fan_in + fan_out)), rel=0.02
    )
    assert np.std(nn.init_weights("he", fan_in, fan_out, n, seed=0)) == pytest.approx(np.sqrt(2 / fan_in), rel=0.02)
    assert np.std(nn.init_weights(0.01, fan_in, fan_out, n, seed=0)) == pytest.approx(0.01, rel=0.02)
    for bad in ("kaiming", -1.0, 0.0, True):
        with pytest.raises(ValueError, match="init"):
            nn.init_weights(bad, 3, 3, 3, seed=0)


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ((0, 3, 3), r"init_weights: fan_in must be a positive integer, got 0"),
        ((3, 0, 3), r"init_weights: fan_out must be a positive integer, got 0"),
        ((-2, 3, 3), r"init_weights: fan_in must be a positive integer, got -2"),
        ((3, 3, -1), r"init_weights: size must be a positive integer, got -1"),
    ],
)
def test_init_weights_refuses_sizes_below_one_by_name(arguments: tuple[int, int, int], says: str) -> None:
    for init in (*nn.INITS, 0.1):  # 'uniform' and 'he' divide by fan_in, 'xavier' by fan_in + fan_out
        with pytest.raises(ValueError, match=says):
            nn.init_weights(init, *arguments, seed=0)


def test_conv_init_counts_fans_like_torch() -> None:
    conv = nn.Conv2d(4, 6, 3, init="he", seed=0)
    weights = [p.data for p in conv.parameters()[: 6 * 4 * 9]]
    assert np.std(weights) == pytest.approx(np.sqrt(2 / 36), rel=0.15)
