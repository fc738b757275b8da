"""The record every dataset maker returns, and the seed they all take."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from micrograd_ko.data._common import FloatArray

__all__ = ["Dataset", "Seed"]

Seed = int | np.random.Generator | None
"""A seed for ``np.random.default_rng``: an int (reproducible), a Generator (its stream continues), or None (fresh)."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """A dataset: features ``X`` (float64, shape ``(n, d)``), targets ``y`` (shape ``(n,)``) and their names.

    ``feature_names[j]`` names column ``j`` of ``X``; ``target_name`` names ``y``.
    Iterating yields ``X`` then ``y``, so ``X, y = moons()`` works, and so does
    ``train_test_split(*moons())``.
    """

    X: FloatArray
    y: npt.NDArray[Any]
    feature_names: tuple[str, ...]
    target_name: str

    def __iter__(self) -> Iterator[npt.NDArray[Any]]:
        """Yield ``X`` and then ``y``, for ``X, y = dataset``."""
        yield self.X
        yield self.y
