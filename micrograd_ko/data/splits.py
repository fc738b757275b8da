"""Around a training loop: holding out a test set, and cutting an epoch into batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd.checks import generator, integer
from micrograd_ko.data._common import FloatArray, check_fraction, features_and_targets
from micrograd_ko.data.dataset import Seed

__all__ = ["batches", "train_test_split"]


def train_test_split(
    X: npt.ArrayLike, y: npt.ArrayLike, test_fraction: float = 0.25, seed: Seed = 0
) -> tuple[FloatArray, FloatArray, npt.NDArray[Any], npt.NDArray[Any]]:
    """Shuffle the rows and hold out ``test_fraction`` of them: returns ``X_train, X_test, y_train, y_test``.

    The test set gets ``round(test_fraction · n)`` rows, but at least one and at
    most n − 1, so both parts are non-empty (n must be at least 2).  The two
    parts are disjoint and together hold every row exactly once.  ``X`` has
    shape ``(n, d)``, ``y`` shape ``(n,)`` (or ``(n, k)``); ``0 < test_fraction < 1``.
    """
    rows, targets = features_and_targets("train_test_split", X, y)
    test_fraction = check_fraction("train_test_split", "test_fraction", test_fraction)
    n = rows.shape[0]
    if n < 2:
        raise ValueError(f"train_test_split: X must be at least 2 rows to make two non-empty parts, got {n} row")
    rng = generator(seed, "train_test_split: seed")
    n_test = min(max(round(test_fraction * n), 1), n - 1)
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return rows[train], rows[test], targets[train], targets[test]


def batches(
    X: npt.ArrayLike, y: npt.ArrayLike, batch_size: int | None = None, shuffle: bool = True, seed: Seed = None
) -> Iterator[tuple[FloatArray, npt.NDArray[Any]]]:
    """Yield ``(X_batch, y_batch)`` pairs that together visit every row exactly once (one epoch).

    - ``batch_size=None`` (or any size >= n): one batch with all rows, full-batch gradient descent;
    - ``batch_size=1``: one row at a time, stochastic gradient descent (SGD);
    - otherwise mini-batches of ``batch_size`` rows; the last batch keeps the leftover rows, so it may be smaller.

    With ``shuffle=True`` the rows are visited in a random order drawn from
    ``seed``.  Call `batches` once per epoch; for a different but reproducible
    order each epoch, pass ``seed=epoch``, or one ``np.random.Generator`` reused
    across epochs.  Arguments are checked when `batches` is called, before the
    first batch is requested.
    """
    rows, targets = features_and_targets("batches", X, y)
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"batches: shuffle must be True or False, got {shuffle!r}")
    n = rows.shape[0]
    size = n if batch_size is None else min(integer(batch_size, "batches: batch_size", minimum=1), n)
    order = generator(seed, "batches: seed").permutation(n) if shuffle else np.arange(n)
    # A generator expression, not a generator function: the checks above run at the call, not at the first batch.
    return ((rows[chunk], targets[chunk]) for chunk in np.split(order, np.arange(size, n, size)))
