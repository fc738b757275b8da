"""Data for generative models: a 1-D mixture of Gaussians for a GAN to imitate."""

from __future__ import annotations

import math

import numpy as np

from micrograd_ko.autograd.checks import generator, integer
from micrograd_ko.data._common import real_numbers
from micrograd_ko.data.dataset import Dataset, Seed

__all__ = ["gaussian_mixture"]


def gaussian_mixture(
    n: int = 200,
    means: tuple[float, ...] = (-2.0, 2.0),
    stds: tuple[float, ...] = (0.5, 0.5),
    weights: tuple[float, ...] | None = None,
    seed: Seed = 0,
) -> Dataset:
    """``n`` draws from a 1-D mixture of Gaussians: p(x) = sum_k w_k N(x; mean_k, std_k^2).

    Each draw first picks a component k with probability ``weights[k]`` (equal
    weights by default), then x = mean_k + std_k * N(0, 1).  ``X`` is float64
    ``(n, 1)`` and ``y`` holds each draw's component k (int64), so a test can
    compare a generator's samples with each mode separately.  This is the data
    notebook 14's GAN learns to imitate.
    """
    count = integer(n, "gaussian_mixture: n", minimum=1)
    centres = real_numbers("gaussian_mixture", "means", means)
    spreads = real_numbers("gaussian_mixture", "stds", stds)
    if not centres:
        raise ValueError(f"gaussian_mixture: means must be non-empty, got {means!r}")
    if len(spreads) != len(centres):
        raise ValueError(f"gaussian_mixture: stds must be of equal length to means ({len(centres)}), got {stds!r}")
    if not all(math.isfinite(m) for m in centres):
        raise ValueError(f"gaussian_mixture: means must be finite, got {means!r}")
    if not all(math.isfinite(s) and s > 0 for s in spreads):
        raise ValueError(f"gaussian_mixture: stds must be finite and > 0, got {stds!r}")
    if weights is None:
        probabilities = np.full(len(centres), 1.0 / len(centres))
    else:
        probabilities = np.array(real_numbers("gaussian_mixture", "weights", weights))
        if len(probabilities) != len(centres) or not np.all(np.isfinite(probabilities)) or np.any(probabilities < 0):
            raise ValueError(f"gaussian_mixture: weights must be {len(centres)} finite numbers >= 0, got {weights!r}")
        if probabilities.sum() <= 0:
            raise ValueError(f"gaussian_mixture: weights must be not all 0, got {weights!r}")
        probabilities = probabilities / probabilities.sum()
    rng = generator(seed, "gaussian_mixture: seed")
    components = rng.choice(len(centres), size=count, p=probabilities).astype(np.int64)
    x = np.array(centres)[components] + np.array(spreads)[components] * rng.standard_normal(count)
    return Dataset(x.reshape(-1, 1), components, ("x",), "component")
