"""Dropout: in training, each input is zeroed with probability p and the rest scaled up; in evaluation, the identity."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd import Value
from micrograd_ko.autograd.checks import generator
from micrograd_ko.nn._shapes import Batch, _flat_values, _map_values
from micrograd_ko.nn.module import BatchModule, side_input, side_inputs_watched


class Dropout(BatchModule):
    """Inverted dropout: in training, each input becomes 0 with probability p and the rest are scaled by 1/(1-p).

    The scaling keeps every output's expected value equal to its input, so in
    evaluation mode the layer is the identity (it returns its input unchanged).
    Masks come from a numpy Generator seeded with `seed`: two layers with the
    same seed drop the same positions, call after call.  `mask` holds the last eager
    training call's mask (nested like the batch; 1.0 kept, 0.0 dropped).
    Each output is one '*' node: x * 0 or x * 1/(1-p).

    Compiled mode (a tracer watching, `module.side_inputs_watched`): each
    output of the traced sample is x * f with f a constant leaf (traced as
    1/(1-p), a kept value), reported as a 'random mask' side input with
    `draw_factors`, so the program draws fresh factors for every sample at
    every call, from this layer's generator, exactly as an eager call on the
    same batch would draw them.
    """

    def __init__(self, p: float = 0.5, seed: int | np.random.Generator | None = None) -> None:
        """`p`, the probability of dropping an input, must lie in [0, 1)."""
        if isinstance(p, bool) or not isinstance(p, int | float):
            raise TypeError(f"Dropout: p must be a probability in [0, 1), got {p!r}")
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout: p must be a probability in [0, 1), got {p!r}")
        self.p = float(p)
        self._rng = generator(seed, "Dropout: seed")
        self.mask: Any = None

    def forward(self, batch: Batch) -> Batch:
        """Masked and rescaled in training mode; the batch itself in evaluation mode (or when p = 0)."""
        if not self.training or self.p == 0.0:
            return batch
        values = _flat_values(batch)
        scale = 1.0 / (1.0 - self.p)
        if side_inputs_watched():  # one sample's graph, its factors drawn by the program at every call
            leaves = [Value(scale, label="mask", role="constant") for _ in values]
            side_input(self, "random mask", leaves, self.draw_factors)
            factor_leaves = iter(leaves)
            traced: Batch = _map_values(lambda x: x * next(factor_leaves), batch)
            return traced
        keep = self._rng.random(len(values)) >= self.p
        factors = iter(np.where(keep, scale, 0.0).tolist())
        out: Batch = _map_values(lambda x: x * next(factors), batch)
        flags = iter(keep.astype(float).tolist())
        self.mask = _map_values(lambda _: next(flags), batch)
        return out

    def draw_factors(self, samples: int, size: int) -> npt.NDArray[np.float64]:
        """Fresh factors for `samples` samples of `size` values each: 1/(1-p) where kept, 0 where dropped.

        Shape (samples, size), drawn from this layer's generator in the
        order an eager call on such a batch draws its mask (sample by sample).
        """
        keep = self._rng.random(samples * size) >= self.p
        factors: npt.NDArray[np.float64] = np.where(keep, 1.0 / (1.0 - self.p), 0.0).reshape(samples, size)
        return factors

    def arguments(self) -> dict[str, Any]:
        """{'p'} (the seed is no part of the architecture)."""
        return {"p": self.p}
