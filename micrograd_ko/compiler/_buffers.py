"""The compiler's buffers: one row per node and one column per sample, and how a set of rows is indexed.

Shared by the group kernels (which read and write rows), the plan (which
lays the rows out) and the program (which fills them at every call).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]
Rows = slice | IndexArray
"""Rows of the value buffer: a slice when they are evenly spaced (a view, no copy), else an index array."""


class State:
    """The buffers of one batch size: values and gradients, one row per node and one column per sample.

    `leaves` holds the parameters then the constants as one vector (the weights
    of matrix-product groups are gathered from it) and `leaf_grads` their
    gradients, already summed over the samples.
    """

    def __init__(self, rows: int, samples: int, n_leaves: int) -> None:
        self.values: FloatArray = np.zeros((rows, samples))
        self.grads: FloatArray = np.zeros((rows, samples))
        self.leaves: FloatArray = np.zeros(n_leaves)
        self.leaf_grads: FloatArray = np.zeros(n_leaves)


def as_rows(indices: Sequence[int]) -> Rows:
    """`indices` as a slice when they are evenly spaced and increasing, else as an index array."""
    index = np.asarray(indices, dtype=np.intp)
    if len(index) == 1:
        return slice(int(index[0]), int(index[0]) + 1)
    steps = np.diff(index)
    if len(index) and steps[0] > 0 and np.all(steps == steps[0]):
        start, step = int(index[0]), int(steps[0])
        return slice(start, start + step * (len(index) - 1) + 1, step)
    return index


def add_into(target: FloatArray, rows: Rows, unique: bool, contribution: Any) -> None:
    """target[rows] += contribution, correct when a row repeats (then np.add.at adds every copy)."""
    if unique or isinstance(rows, slice):  # a slice never repeats a row
        target[rows] += contribution
    else:
        np.add.at(target, rows, contribution)


def is_unique(indices: Sequence[int]) -> bool:
    """Whether no index repeats (then a plain `+=` adds every contribution)."""
    return len(set(indices)) == len(indices)
