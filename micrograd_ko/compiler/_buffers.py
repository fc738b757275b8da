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


class LeafBlock:
    """Leaf indices that form a strided block, read as a view of the leaf vector instead of gathered.

    A layer's weights lie in the leaf vector neuron by neuron (each row's k
    weights, then its bias), so the (size, k) indices of a matrix product are
    start + stride * i + j: a (size, k) window with row stride `stride`.  Its
    view costs nothing to take, and `+=` into it adds into the vector.
    `of(indices)` is None when the indices do not form such a block.
    """

    def __init__(self, start: int, stride: int, shape: tuple[int, int]) -> None:
        self.start, self.stride, self.shape = start, stride, shape

    @classmethod
    def of(cls, indices: IndexArray, length: int) -> LeafBlock | None:
        """The block of an index matrix (a vector counts as one column), when it is one inside `length` leaves."""
        matrix = indices.reshape(len(indices), -1)
        size, k = matrix.shape
        if size == 0 or k == 0:
            return None
        start = int(matrix[0, 0])
        stride = int(matrix[1, 0]) - start if size > 1 else k
        if stride < k or start < 0 or start + stride * (size - 1) + k > length:
            return None
        expected = start + stride * np.arange(size)[:, None] + np.arange(k)[None, :]
        return cls(start, stride, (size, k)) if np.array_equal(matrix, expected) else None

    def view(self, vector: FloatArray) -> FloatArray:
        """The block as a (size, k) view of `vector` (no copy)."""
        size, k = self.shape
        stop = self.start + self.stride * size
        if stop <= len(vector):  # a reshape: ~0.4 µs
            block: FloatArray = vector[self.start : stop].reshape(size, self.stride)[:, :k]
            return block
        step = vector.strides[0]  # the last row's stride runs past the end (a bias at the end): ~6 µs
        block = np.lib.stride_tricks.as_strided(vector[self.start :], self.shape, (self.stride * step, step))
        return block  # inside the vector: `of` checked that the last row ends at or before its end
