"""standardize and normalize: what they fit, how test data reuses it, and what they refuse."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from micrograd_ko import data
from micrograd_ko.data import MinMaxScaling, Standardization

FEATURE_MATRICES = hnp.arrays(
    np.float64,
    st.tuples(st.integers(2, 30), st.integers(1, 4)),
    elements=st.floats(-1e6, 1e6, allow_subnormal=False),
)


def _spread_columns(X: np.ndarray) -> np.ndarray:
    """Columns whose spread is well above float64 rounding of their magnitude (others are numerically constant)."""
    return np.ptp(X, axis=0) > 1e-6 * (1.0 + np.abs(X).max(axis=0))


@given(FEATURE_MATRICES)
def test_standardize_gives_mean_zero_and_unit_variance(X: np.ndarray) -> None:
    Z, stats = data.standardize(X)
    assert Z.shape == X.shape
    assert Z.dtype == np.float64
    np.testing.assert_allclose(stats.mean, X.mean(axis=0))
    spread = _spread_columns(X)
    np.testing.assert_allclose(Z.mean(axis=0)[spread], 0.0, atol=1e-7)
    np.testing.assert_allclose(Z.std(axis=0)[spread], 1.0, rtol=1e-6)
    np.testing.assert_allclose(stats.inverse(Z), X, rtol=1e-9, atol=1e-6)


@given(FEATURE_MATRICES)
def test_normalize_maps_each_column_onto_zero_to_one(X: np.ndarray) -> None:
    Z, stats = data.normalize(X)
    assert Z.shape == X.shape
    np.testing.assert_array_equal(stats.min, X.min(axis=0))
    spread = _spread_columns(X)
    np.testing.assert_allclose(Z.min(axis=0)[spread], 0.0, atol=1e-12)
    np.testing.assert_allclose(Z.max(axis=0)[spread], 1.0, rtol=1e-12)
    assert np.all((Z >= 0.0) & (Z <= 1.0 + 1e-12))
    np.testing.assert_allclose(stats.inverse(Z), X, rtol=1e-9, atol=1e-6)


@given(FEATURE_MATRICES, FEATURE_MATRICES)
def test_test_data_is_rescaled_with_the_training_statistics(train: np.ndarray, test: np.ndarray) -> None:
    test = np.resize(test, (test.shape[0], train.shape[1]))
    _, std_stats = data.standardize(train)
    _, minmax_stats = data.normalize(train)
    train_std = np.where(train.std(axis=0) == 0.0, 1.0, train.std(axis=0))
    train_range = np.where(np.ptp(train, axis=0) == 0.0, 1.0, np.ptp(train, axis=0))
    np.testing.assert_allclose(data.standardize(test, std_stats)[0], (test - train.mean(axis=0)) / train_std)
    np.testing.assert_allclose(data.normalize(test, minmax_stats)[0], (test - train.min(axis=0)) / train_range)
    assert data.standardize(test, std_stats)[1] is std_stats


def test_training_statistics_differ_from_refitting_on_test_data() -> None:
    X_train = np.array([[0.0], [2.0], [4.0]])
    X_test = np.array([[4.0], [6.0]])
    _, stats = data.standardize(X_train)
    reused, _ = data.standardize(X_test, stats)
    refit, _ = data.standardize(X_test)
    np.testing.assert_allclose(reused[:, 0], [(4.0 - 2.0) / math.sqrt(8 / 3), (6.0 - 2.0) / math.sqrt(8 / 3)])
    np.testing.assert_allclose(refit[:, 0], [-1.0, 1.0])
    outside, _ = data.normalize(X_test, data.normalize(X_train)[1])
    np.testing.assert_allclose(outside[:, 0], [1.0, 1.5])


def test_constant_columns_become_zeros_instead_of_dividing_by_zero() -> None:
    X = np.array([[1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    Z, stats = data.standardize(X)
    np.testing.assert_array_equal(Z[:, 1], 0.0)
    assert stats.std[1] == 1.0
    N, minmax = data.normalize(X)
    np.testing.assert_array_equal(N[:, 1], 0.0)
    assert minmax.range[1] == 1.0
    np.testing.assert_allclose(N[:, 0], [0.0, 0.5, 1.0])


def test_a_single_column_such_as_a_target_can_be_rescaled_and_restored() -> None:
    _, prices = data.house_prices(n=30)
    z, stats = data.standardize(prices)
    assert z.shape == (30,)
    assert stats.mean.shape == ()
    np.testing.assert_allclose(stats.inverse(z), prices)
    assert z.mean() == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(
        ValueError,
        match=r"^standardize: X must be rows of shape \(\), the shape the stats were fitted on, "
        r"got rows of shape \(1,\)$",
    ):
        data.standardize(np.ones((3, 1)), stats)


def test_integer_features_are_accepted() -> None:
    Z, _ = data.normalize([[0, 10], [5, 20], [10, 30]])
    np.testing.assert_allclose(Z, [[0.0, 0.0], [0.5, 0.5], [1.0, 1.0]])


def test_stats_can_be_rebuilt_from_plain_lists() -> None:
    stats = Standardization(mean=[1.0, 2.0], std=[2.0, 4.0])
    Z, _ = data.standardize([[3.0, 6.0]], stats)
    np.testing.assert_allclose(Z, [[1.0, 1.0]])
    minmax = MinMaxScaling(min=[0.0], range=[4.0])
    np.testing.assert_allclose(data.normalize([[2.0]], minmax)[0], [[0.5]])


@pytest.mark.parametrize("scale", [data.standardize, data.normalize], ids=["standardize", "normalize"])
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_rescaling_rejects_non_finite_values(scale: Callable[..., Any], bad: float) -> None:
    X = np.array([[1.0, 2.0], [3.0, bad]])
    with pytest.raises(ValueError, match=rf"^{scale.__name__}: X must be finite, got {bad} at index \(1, 1\)$"):
        scale(X)


@pytest.mark.parametrize("scale", [data.standardize, data.normalize], ids=["standardize", "normalize"])
def test_rescaling_reports_overflowing_statistics(scale: Callable[..., Any]) -> None:
    spread = {"standardize": "std", "normalize": "range"}[scale.__name__]  # the statistic that overflows
    with pytest.raises(
        ValueError,
        match=rf"^{scale.__name__}: X must be small enough for its column {spread} to fit in a float64 "
        rf".*, got a column {spread} of inf$",
    ):
        scale(np.array([[1e308], [-1e308]]))


@pytest.mark.parametrize("scale", [data.standardize, data.normalize], ids=["standardize", "normalize"])
@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        (np.zeros((2, 2, 2)), ValueError, r"shape \(2, 2, 2\)"),
        (np.zeros((0, 3)), ValueError, r"shape.*\(0, 3\)"),
        (np.array(5.0), ValueError, r"got shape \(\)"),
        (np.array([["a", "b"]]), TypeError, "dtype <U1"),
        (np.array([[1 + 2j]]), TypeError, "complex128"),
        (np.array([[True, False]]), TypeError, "dtype bool"),
    ],
)
def test_rescaling_rejects_bad_arrays(scale: Callable[..., Any], X: np.ndarray, error: type, message: str) -> None:
    with pytest.raises(error, match=rf"^{scale.__name__}: X must be .*{message}"):
        scale(X)


def test_rescaling_rejects_stats_of_the_wrong_kind_or_width() -> None:
    X = np.ones((3, 2))
    _, minmax = data.normalize(X)
    _, std = data.standardize(X)
    with pytest.raises(TypeError, match=r"^standardize: stats must be a Standardization or None, got MinMaxScaling\("):
        data.standardize(X, minmax)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^normalize: stats must be a MinMaxScaling or None, got Standardization\("):
        data.normalize(X, std)  # type: ignore[arg-type]
    with pytest.raises(
        ValueError,
        match=r"^standardize: X must be rows of shape \(2,\), the shape the stats were fitted on, "
        r"got rows of shape \(3,\)$",
    ):
        data.standardize(np.ones((3, 3)), std)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Standardization(mean=[0.0], std=[0.0]), r"Standardization: std must be positive"),
        (
            lambda: Standardization(mean=[0.0, 1.0], std=[1.0]),
            r"^Standardization: std must be of mean's shape \(2,\), got shape \(1,\)$",
        ),
        (lambda: Standardization(mean=[math.nan], std=[1.0]), r"Standardization: mean must be finite"),
        (lambda: MinMaxScaling(min=[0.0], range=[-1.0]), r"MinMaxScaling: range must be positive"),
        (lambda: MinMaxScaling(min=[[0.0]], range=[[1.0]]), r"MinMaxScaling: min must be finite with shape"),
    ],
)
def test_hand_built_stats_are_checked(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize("scale", [data.normalize, data.standardize])
def test_a_ragged_x_is_named_not_left_to_numpy(scale: Callable[..., object]) -> None:
    with pytest.raises(ValueError) as caught:
        scale([[1, 2], [3]])
    rule = "X must be a rectangular array (every row of the same length)"
    assert str(caught.value) == f"{scale.__name__}: {rule}, got [[1, 2], [3]]"
