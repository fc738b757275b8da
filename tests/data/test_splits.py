"""train_test_split and batches: every row once, reproducible from the seed, bad input refused at the call."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from micrograd_ko import data


def _numbered_rows(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Features whose first column is the row number, and targets equal to ten times it, to track rows."""
    ids = np.arange(n, dtype=np.float64)
    return np.column_stack([ids, -ids]), 10 * np.arange(n)


@given(st.integers(2, 200), st.floats(0.01, 0.99), st.integers(0, 2**32))
def test_split_parts_are_disjoint_complete_and_aligned(n: int, fraction: float, seed: int) -> None:
    X, y = _numbered_rows(n)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=fraction, seed=seed)
    assert len(X_test) == min(max(round(fraction * n), 1), n - 1)
    assert len(X_train) + len(X_test) == n
    assert len(X_train) >= 1 and len(X_test) >= 1
    ids = np.concatenate([X_train[:, 0], X_test[:, 0]])
    np.testing.assert_array_equal(np.sort(ids), np.arange(n))
    np.testing.assert_array_equal(y_train, 10 * X_train[:, 0])
    np.testing.assert_array_equal(y_test, 10 * X_test[:, 0])
    np.testing.assert_array_equal(X_train[:, 1], -X_train[:, 0])


def test_split_sizes_for_the_default_fraction() -> None:
    X_train, X_test, y_train, y_test = data.train_test_split(*data.moons(n=100))
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (75, 25, 75, 25)


def test_split_is_reproducible_and_shuffles() -> None:
    X, y = _numbered_rows(50)
    first = data.train_test_split(X, y, seed=3)
    again = data.train_test_split(X, y, seed=3)
    other = data.train_test_split(X, y, seed=4)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], other[1])
    assert not np.array_equal(first[0][:, 0], np.sort(first[0][:, 0]))


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.2, 1.5, math.nan, math.inf])
def test_split_rejects_fractions_outside_zero_one(fraction: float) -> None:
    X, y = _numbered_rows(10)
    with pytest.raises(
        ValueError, match=rf"^train_test_split: test_fraction must be strictly between 0 and 1, got {fraction}$"
    ):
        data.train_test_split(X, y, test_fraction=fraction)


def test_split_rejects_bad_inputs() -> None:
    X, y = _numbered_rows(10)
    with pytest.raises(TypeError, match=r"^train_test_split: test_fraction must be .*real number.*, got .*'0\.2'$"):
        data.train_test_split(X, y, test_fraction="0.2")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^train_test_split: y must be as long as X \(10 rows\), got 9 rows$"):
        data.train_test_split(X, y[:9])
    with pytest.raises(
        ValueError, match=r"^train_test_split: X must be at least 2 rows to make two non-empty parts, got 1 row$"
    ):
        data.train_test_split(X[:1], y[:1])
    with pytest.raises(ValueError, match=r"^train_test_split: X must be 2-D .*, got shape \(10,\)$"):
        data.train_test_split(y, y)


# --- batches ---------------------------------------------------------------------------------------------------------


def _epoch(n: int, batch_size: int | None, **kwargs: Any) -> list[tuple[np.ndarray, np.ndarray]]:
    X, y = _numbered_rows(n)
    return list(data.batches(X, y, batch_size, **kwargs))


@given(st.integers(1, 60), st.one_of(st.none(), st.integers(1, 80)), st.booleans(), st.integers(0, 1000))
def test_every_sample_is_visited_exactly_once_per_epoch(
    n: int, batch_size: int | None, shuffle: bool, seed: int
) -> None:
    epoch = _epoch(n, batch_size, shuffle=shuffle, seed=seed)
    size = n if batch_size is None else min(batch_size, n)
    assert [len(xb) for xb, _ in epoch] == [size] * (n // size) + ([n % size] if n % size else [])
    ids = np.concatenate([xb[:, 0] for xb, _ in epoch])
    np.testing.assert_array_equal(np.sort(ids), np.arange(n))
    for xb, yb in epoch:
        np.testing.assert_array_equal(yb, 10 * xb[:, 0])
    if not shuffle:
        np.testing.assert_array_equal(ids, np.arange(n))


def test_full_batch_stochastic_and_mini_batch_modes() -> None:
    assert [len(xb) for xb, _ in _epoch(10, None)] == [10]
    assert [len(xb) for xb, _ in _epoch(10, 25)] == [10]
    assert [len(xb) for xb, _ in _epoch(10, 1)] == [1] * 10
    assert [len(xb) for xb, _ in _epoch(10, 4)] == [4, 4, 2]
    assert [len(yb) for _, yb in _epoch(10, 4)] == [4, 4, 2]


def test_batches_are_reproducible_from_the_seed() -> None:
    def order(seed: data.Seed) -> list[float]:
        return [float(i) for xb, _ in _epoch(30, 7, seed=seed) for i in xb[:, 0]]

    assert order(5) == order(5)
    assert order(5) != order(6)
    assert order(5) != sorted(order(5))
    rng = np.random.default_rng(0)
    assert order(rng) != order(rng)


def test_batches_keep_one_hot_targets_aligned() -> None:
    X = np.arange(12.0).reshape(6, 2)
    onehot = np.eye(3)[[0, 1, 2, 0, 1, 2]]
    for xb, yb in data.batches(X, onehot, 4, seed=1):
        np.testing.assert_array_equal(yb, np.eye(3)[(xb[:, 0] // 2).astype(int) % 3])


@pytest.mark.parametrize(
    ("batch_size", "error", "message"),
    [
        (0, ValueError, r"batch_size must be .*1, got 0$"),
        (-3, ValueError, r"batch_size must be .*1, got -3$"),
        (2.5, TypeError, r"batch_size must be .*int.*, got .*2\.5$"),
        (True, TypeError, r"batch_size must be .*int.*, got .*True$"),
    ],
)
def test_bad_batch_sizes_fail_at_the_call_not_at_the_first_batch(batch_size: Any, error: type, message: str) -> None:
    X, y = _numbered_rows(5)
    with pytest.raises(error, match=rf"^batches: {message}"):
        data.batches(X, y, batch_size)


def test_batches_reject_mismatched_or_misshapen_arrays() -> None:
    X, y = _numbered_rows(5)
    with pytest.raises(ValueError, match=r"^batches: y must be as long as X \(5 rows\), got 4 rows$"):
        data.batches(X, y[:4], 2)
    with pytest.raises(ValueError, match=r"^batches: X must be 2-D .*, got shape \(5,\)$"):
        data.batches(y, y, 2)
    with pytest.raises(
        ValueError, match=r"^batches: y must be of shape \(n_samples,\) or \(n_samples, k\), got shape \(5, 1, 1\)$"
    ):
        data.batches(X, y.reshape(5, 1, 1), 2)
    with pytest.raises(ValueError, match=r"^batches: X must be non-empty \(at least one row\), got shape \(0, 2\)$"):
        data.batches(np.zeros((0, 2)), np.zeros(0), 2)
    with pytest.raises(TypeError, match=r"^batches: shuffle must be True or False, got 'yes'$"):
        data.batches(X, y, 2, shuffle="yes")  # type: ignore[arg-type]
