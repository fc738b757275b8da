"""Toy datasets, rescaling, splitting and batching in micrograd_ko.data."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import micrograd_ko
from micrograd_ko import data
from micrograd_ko.data import Dataset, MinMaxScaling, Standardization

SEEDED_DATASETS: dict[str, Callable[..., Dataset]] = {
    "moons": lambda seed=0: data.moons(n=101, seed=seed),
    "circles": lambda seed=0: data.circles(n=101, seed=seed),
    "spiral": lambda seed=0: data.spiral(n_per_class=30, classes=4, seed=seed),
    "house_prices": lambda seed=0: data.house_prices(n=50, seed=seed),
}
EXPECTED_SHAPES = {"moons": (101, 2), "circles": (101, 2), "spiral": (120, 2), "house_prices": (50, 4)}


def test_submodule_is_reachable_from_the_package() -> None:
    assert micrograd_ko.data is data


# --- shapes, dtypes, determinism ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SEEDED_DATASETS))
def test_dataset_shapes_dtypes_and_names(name: str) -> None:
    ds = SEEDED_DATASETS[name]()
    n, d = EXPECTED_SHAPES[name]
    assert ds.X.shape == (n, d)
    assert ds.X.dtype == np.float64
    assert ds.y.shape == (n,)
    assert ds.y.dtype == (np.float64 if name == "house_prices" else np.int64)
    assert len(ds.feature_names) == d
    assert ds.target_name
    assert np.all(np.isfinite(ds.X))


@pytest.mark.parametrize("name", sorted(SEEDED_DATASETS))
def test_same_seed_same_data_other_seed_other_data(name: str) -> None:
    make = SEEDED_DATASETS[name]
    first, again, other = make(seed=7), make(seed=7), make(seed=8)
    np.testing.assert_array_equal(first.X, again.X)
    np.testing.assert_array_equal(first.y, again.y)
    assert not np.array_equal(first.X, other.X)


def test_default_moons_are_fixed_so_the_demo_is_reproducible() -> None:
    X1, y1 = data.moons()
    X2, y2 = data.moons()
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert X1.shape == (100, 2)


def test_a_generator_seed_continues_its_stream() -> None:
    rng = np.random.default_rng(3)
    first = data.moons(n=20, seed=rng)
    second = data.moons(n=20, seed=rng)
    assert not np.array_equal(first.X, second.X)
    np.testing.assert_array_equal(first.X, data.moons(n=20, seed=np.random.default_rng(3)).X)


def test_dataset_unpacks_into_features_and_targets() -> None:
    ds = data.house_prices(n=10)
    X, y = ds
    assert X is ds.X
    assert y is ds.y
    assert ds.feature_names == ("area_m2", "bedrooms", "distance_km", "age_years")


# --- xor and the binary label convention ----------------------------------------------------------------------------


def test_xor_labels_are_the_exclusive_or_of_the_inputs() -> None:
    X, y = data.xor()
    assert X.shape == (4, 2)
    assert X.dtype == np.float64
    assert sorted(map(tuple, X.tolist())) == [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)]
    expected = (X[:, 0] != X[:, 1]).astype(np.int64)
    np.testing.assert_array_equal(y, expected)
    assert y.dtype == np.int64


@pytest.mark.parametrize(
    "make",
    [
        lambda labels: data.xor(labels=labels),
        lambda labels: data.moons(n=31, seed=2, labels=labels),
        lambda labels: data.circles(n=31, seed=2, labels=labels),
    ],
    ids=["xor", "moons", "circles"],
)
def test_pm1_labels_map_zero_to_minus_one_and_keep_the_points(make: Callable[[str], Dataset]) -> None:
    zero_one, plus_minus = make("01"), make("pm1")
    np.testing.assert_array_equal(zero_one.X, plus_minus.X)
    assert set(zero_one.y.tolist()) == {0, 1}
    assert set(plus_minus.y.tolist()) == {-1, 1}
    np.testing.assert_array_equal(plus_minus.y, np.where(zero_one.y == 1, 1, -1))


@pytest.mark.parametrize("n", [2, 7, 100, 101])
@pytest.mark.parametrize("make", [data.moons, data.circles], ids=["moons", "circles"])
def test_binary_classes_are_balanced(make: Callable[..., Dataset], n: int) -> None:
    _, y = make(n=n, seed=0)
    assert np.count_nonzero(y == 0) == n // 2
    assert np.count_nonzero(y == 1) == n - n // 2


@pytest.mark.parametrize("make", [data.moons, data.circles, data.spiral], ids=["moons", "circles", "spiral"])
def test_rows_are_shuffled_not_in_class_blocks(make: Callable[..., Dataset]) -> None:
    _, y = make(seed=0)
    assert len(set(y[:20].tolist())) > 1


# --- geometry of the 2-D datasets ------------------------------------------------------------------------------------


def test_moons_without_noise_lie_on_two_half_circles() -> None:
    X, y = data.moons(n=60, noise=0.0)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(upper[:, 1] >= -1e-12)
    assert np.all(lower[:, 1] <= 0.5 + 1e-12)
    # the two moons interleave: each reaches past the other's centre
    assert upper[:, 0].max() > 1.0 - 1e-12
    assert lower[:, 0].min() < 0.0 + 1e-12


def test_moons_noise_is_about_the_requested_standard_deviation() -> None:
    X, y = data.moons(n=4000, noise=0.03, seed=5)
    centres = np.where((y == 0)[:, None], [0.0, 0.0], [1.0, 0.5])
    radial_error = np.hypot(*(X - centres).T) - 1.0
    assert 0.025 < radial_error.std() < 0.035
    assert abs(radial_error.mean()) < 0.005


def test_circles_without_noise_have_radius_one_and_factor() -> None:
    X, y = data.circles(n=50, noise=0.0, factor=0.3)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], 0.3)
    # evenly spaced angles: the mean of the points on each circle is the centre
    np.testing.assert_allclose(X[y == 0].mean(axis=0), [0.0, 0.0], atol=1e-12)


def test_circles_noise_spreads_the_radii() -> None:
    X, y = data.circles(n=4000, noise=0.04, factor=0.5, seed=1)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert 0.03 < radius[y == 0].std() < 0.05
    assert abs(np.median(radius[y == 1]) - 0.5) < 0.01


@pytest.mark.parametrize("classes", [2, 3, 5])
def test_spiral_arms_follow_the_documented_curve(classes: int) -> None:
    X, y = data.spiral(n_per_class=40, classes=classes, noise=0.0)
    np.testing.assert_array_equal(np.bincount(y), [40] * classes)
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.min() > 0.0
    assert radius.max() == pytest.approx(1.0)
    expected_angle = 2 * math.pi * y / classes + data.SPIRAL_SWEEP * radius
    angle_gap = np.angle(np.exp(1j * (np.arctan2(X[:, 1], X[:, 0]) - expected_angle)))
    np.testing.assert_allclose(angle_gap, 0.0, atol=1e-9)
    for arm in range(classes):
        assert len(np.unique(np.round(radius[y == arm], 12))) == 40


def test_spiral_arms_are_rotated_copies_of_each_other() -> None:
    X, y = data.spiral(n_per_class=25, classes=3, noise=0.0)
    turn = 2 * math.pi / 3
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    by_radius = [X[y == k][np.argsort(np.hypot(*X[y == k].T))] for k in range(3)]
    np.testing.assert_allclose(by_radius[0] @ rotation.T, by_radius[1], atol=1e-12)
    np.testing.assert_allclose(by_radius[1] @ rotation.T, by_radius[2], atol=1e-12)


# --- house prices ----------------------------------------------------------------------------------------------------

AREA = st.floats(30.0, 200.0)
BEDROOMS = st.integers(1, 6)
DISTANCE = st.floats(0.5, 40.0)
AGE = st.floats(0.0, 150.0)


def test_house_features_stay_in_their_documented_ranges() -> None:
    X, y = data.house_prices(n=3000, seed=4)
    area, bedrooms, distance, age = X.T
    assert area.min() >= 30.0 and area.max() <= 200.0
    assert set(np.unique(bedrooms).tolist()) <= {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}
    assert distance.min() >= 0.5 and distance.max() <= 40.0
    assert np.array_equal(age, np.round(age)) and age.min() >= 0.0 and age.max() <= 150.0
    assert 0.25 < np.mean(age > 100) < 0.4
    assert np.corrcoef(area, bedrooms)[0, 1] > 0.5
    assert np.all(y > 0.0)


def test_house_prices_scatter_multiplicatively_around_the_true_price() -> None:
    X, y = data.house_prices(n=3000, noise=0.1, seed=2)
    log_ratio = np.log(y / data.true_house_price(*X.T))
    assert abs(log_ratio.mean()) < 0.01
    assert 0.09 < log_ratio.std() < 0.11
    exact_X, exact_y = data.house_prices(n=20, noise=0.0)
    np.testing.assert_allclose(exact_y, data.true_house_price(*exact_X.T), rtol=1e-15)


@given(AREA, BEDROOMS, DISTANCE, AGE, st.floats(0.5, 50.0))
def test_price_rises_with_area_and_falls_with_distance(
    area: float, bedrooms: int, distance: float, age: float, step: float
) -> None:
    price = data.true_house_price(area, bedrooms, distance, age)
    assert data.true_house_price(area + step, bedrooms, distance, age) > price
    assert data.true_house_price(area, bedrooms, distance + step, age) < price


@given(AREA, BEDROOMS, DISTANCE, st.floats(0.0, 99.0), st.floats(101.0, 150.0))
def test_houses_lose_value_until_100_years_and_gain_after(
    area: float, bedrooms: int, distance: float, young: float, historic: float
) -> None:
    def price(age: float) -> float:
        return float(data.true_house_price(area, bedrooms, distance, age))

    assert price(young) > price(100.0)
    assert price(historic) > price(100.0)
    assert price(historic + 10.0) > price(historic)


def test_a_large_home_near_the_city_is_worth_extra() -> None:
    def area_premium(distance: float) -> float:
        gain = data.true_house_price(180.0, 3, distance, 20.0) - data.true_house_price(100.0, 3, distance, 20.0)
        return float(gain)

    assert area_premium(2.0) > area_premium(30.0) + 1.0
    assert area_premium(20.0) == pytest.approx(area_premium(30.0))


def test_many_bedrooms_add_value_only_in_newer_houses() -> None:
    def bedroom_premium(age: float) -> float:
        return float(data.true_house_price(120.0, 5, 10.0, age) - data.true_house_price(120.0, 3, 10.0, age))

    assert bedroom_premium(5.0) > 1.0
    assert bedroom_premium(60.0) == pytest.approx(0.0)


def test_the_historic_effect_shows_in_the_sampled_data() -> None:
    # A straight-line fit cannot bend at 100 years: it overprices houses just under 100 and underprices old ones.
    X, y = data.house_prices()
    design = np.column_stack([np.ones(len(X)), X])
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coefficients
    age = X[:, 3]
    assert residual[age >= 120].mean() > 0.3
    assert residual[(age >= 80) & (age <= 100)].mean() < -0.3


def test_true_house_price_broadcasts() -> None:
    prices = data.true_house_price(np.array([50.0, 100.0, 150.0]), 3, 10.0, 20.0)
    assert prices.shape == (3,)
    assert prices.dtype == np.float64
    assert np.all(np.diff(prices) > 0)


# --- standardize and normalize ---------------------------------------------------------------------------------------

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
    with pytest.raises(ValueError, match=r"standardize\(\): stats were fitted on rows of shape \(\)"):
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
    with pytest.raises(ValueError, match=rf"{scale.__name__}\(\): X must be finite, got {bad} at index \(1, 1\)"):
        scale(X)


@pytest.mark.parametrize("scale", [data.standardize, data.normalize], ids=["standardize", "normalize"])
def test_rescaling_reports_overflowing_statistics(scale: Callable[..., Any]) -> None:
    with pytest.raises(ValueError, match=rf"{scale.__name__}\(\): the column statistics overflowed"):
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
    with pytest.raises(error, match=rf"{scale.__name__}\(\).*{message}"):
        scale(X)


def test_rescaling_rejects_stats_of_the_wrong_kind_or_width() -> None:
    X = np.ones((3, 2))
    _, minmax = data.normalize(X)
    _, std = data.standardize(X)
    with pytest.raises(TypeError, match=r"standardize\(\): stats must be a Standardization or None, got MinMaxScaling"):
        data.standardize(X, minmax)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"normalize\(\): stats must be a MinMaxScaling or None, got Standardization"):
        data.normalize(X, std)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"standardize\(\): stats were fitted on rows of shape \(2,\) but X .*\(3,\)"):
        data.standardize(np.ones((3, 3)), std)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Standardization(mean=[0.0], std=[0.0]), r"Standardization: std must be positive"),
        (lambda: Standardization(mean=[0.0, 1.0], std=[1.0]), r"Standardization: mean has shape \(2,\) but std"),
        (lambda: Standardization(mean=[math.nan], std=[1.0]), r"Standardization: mean must be finite"),
        (lambda: MinMaxScaling(min=[0.0], range=[-1.0]), r"MinMaxScaling: range must be positive"),
        (lambda: MinMaxScaling(min=[[0.0]], range=[[1.0]]), r"MinMaxScaling: min must be finite with shape"),
    ],
)
def test_hand_built_stats_are_checked(build: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build()


# --- train_test_split ------------------------------------------------------------------------------------------------


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
    with pytest.raises(ValueError, match=rf"train_test_split\(\): test_fraction must lie strictly .* got {fraction}"):
        data.train_test_split(X, y, test_fraction=fraction)


def test_split_rejects_bad_inputs() -> None:
    X, y = _numbered_rows(10)
    with pytest.raises(TypeError, match=r"train_test_split\(\): test_fraction must be a real number, got str"):
        data.train_test_split(X, y, test_fraction="0.2")  # type: ignore[arg-type]
    with pytest.raises(
        ValueError, match=r"train_test_split\(\): X and y must have the same number of rows, got 10 and 9"
    ):
        data.train_test_split(X, y[:9])
    with pytest.raises(ValueError, match=r"train_test_split\(\): needs at least 2 rows .* got 1"):
        data.train_test_split(X[:1], y[:1])
    with pytest.raises(ValueError, match=r"train_test_split\(\): X must be 2-D .* got shape \(10,\)"):
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
        (0, ValueError, "batch_size must be >= 1, got 0"),
        (-3, ValueError, "batch_size must be >= 1, got -3"),
        (2.5, TypeError, "batch_size must be an int, got float: 2.5"),
        (True, TypeError, "batch_size must be an int, got bool: True"),
    ],
)
def test_bad_batch_sizes_fail_at_the_call_not_at_the_first_batch(batch_size: Any, error: type, message: str) -> None:
    X, y = _numbered_rows(5)
    with pytest.raises(error, match=rf"batches\(\): {message}"):
        data.batches(X, y, batch_size)


def test_batches_reject_mismatched_or_misshapen_arrays() -> None:
    X, y = _numbered_rows(5)
    with pytest.raises(ValueError, match=r"batches\(\): X and y must have the same number of rows, got 5 and 4"):
        data.batches(X, y[:4], 2)
    with pytest.raises(ValueError, match=r"batches\(\): X must be 2-D .* got shape \(5,\)"):
        data.batches(y, y, 2)
    with pytest.raises(ValueError, match=r"batches\(\): y must have shape .* got shape \(5, 1, 1\)"):
        data.batches(X, y.reshape(5, 1, 1), 2)
    with pytest.raises(ValueError, match=r"batches\(\): X has no rows"):
        data.batches(np.zeros((0, 2)), np.zeros(0), 2)
    with pytest.raises(TypeError, match=r"batches\(\): shuffle must be True or False, got str: 'yes'"):
        data.batches(X, y, 2, shuffle="yes")  # type: ignore[arg-type]


# --- argument errors of the dataset makers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: data.moons(n=0), ValueError, r"moons\(\): n must be >= 2, got 0"),
        (lambda: data.moons(n=1), ValueError, r"moons\(\): n must be >= 2, got 1"),
        (lambda: data.moons(n=-5), ValueError, r"moons\(\): n must be >= 2, got -5"),
        (lambda: data.moons(n=10.0), TypeError, r"moons\(\): n must be an int, got float: 10.0"),
        (lambda: data.moons(noise=-0.1), ValueError, r"moons\(\): noise must be a finite number >= 0, got -0.1"),
        (lambda: data.moons(noise=math.nan), ValueError, r"moons\(\): noise must be .* got nan"),
        (lambda: data.moons(noise="0.1"), TypeError, r"moons\(\): noise must be a real number, got str"),
        (lambda: data.moons(labels="+-1"), ValueError, r"moons\(\): labels must be one of 01, pm1; got '\+-1'"),
        (lambda: data.moons(seed=-1), ValueError, r"moons\(\): seed must be a non-negative int, got -1"),
        (lambda: data.moons(seed=1.5), TypeError, r"moons\(\): seed must be an int, .* got float: 1.5"),
        (lambda: data.moons(seed=True), TypeError, r"moons\(\): seed must be an int, .* got bool: True"),
        (lambda: data.xor(labels="pm"), ValueError, r"xor\(\): labels must be one of .* got 'pm'"),
        (lambda: data.circles(n=0), ValueError, r"circles\(\): n must be >= 2, got 0"),
        (lambda: data.circles(factor=1.0), ValueError, r"circles\(\): factor must lie strictly .* got 1.0"),
        (lambda: data.circles(factor=0), ValueError, r"circles\(\): factor must lie strictly .* got 0"),
        (lambda: data.circles(noise=math.inf), ValueError, r"circles\(\): noise must be .* got inf"),
        (lambda: data.spiral(n_per_class=0), ValueError, r"spiral\(\): n_per_class must be >= 1, got 0"),
        (lambda: data.spiral(classes=1), ValueError, r"spiral\(\): classes must be >= 2, got 1"),
        (lambda: data.spiral(noise=-1.0), ValueError, r"spiral\(\): noise must be .* got -1.0"),
        (lambda: data.house_prices(n=0), ValueError, r"house_prices\(\): n must be >= 1, got 0"),
        (lambda: data.house_prices(seed="x"), TypeError, r"house_prices\(\): seed must be .* got str: 'x'"),
        (lambda: data.house_prices(noise=-0.01), ValueError, r"house_prices\(\): noise must be .* got -0.01"),
    ],
)
def test_dataset_makers_reject_bad_arguments(call: Callable[[], object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_numpy_integers_are_accepted_where_ints_are_expected() -> None:
    X, y = data.spiral(n_per_class=np.int64(5), classes=np.int32(2), seed=np.int64(1))
    assert X.shape == (10, 2)
    assert [len(xb) for xb, _ in data.batches(X, y, np.int64(4), seed=0)] == [4, 4, 2]


# --- independent test sets (sampling="random") -----------------------------------------------------------------------

NOISE_FREE = {
    "moons": lambda seed, sampling: data.moons(n=200, noise=0.0, seed=seed, sampling=sampling),
    "circles": lambda seed, sampling: data.circles(n=200, noise=0.0, seed=seed, sampling=sampling),
    "spiral": lambda seed, sampling: data.spiral(n_per_class=70, noise=0.0, seed=seed, sampling=sampling),
}


def _shared_points(a: np.ndarray, b: np.ndarray) -> int:
    """How many rows of b coincide (to 1e-9) with some row of a."""
    distances = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)
    return int(np.sum(distances.min(axis=0) < 1e-9))


@pytest.mark.parametrize("name", sorted(NOISE_FREE))
def test_grid_sampling_reuses_the_positions_so_a_second_seed_is_no_test_set(name: str) -> None:
    make = NOISE_FREE[name]
    train, test = make(0, "grid").X, make(1, "grid").X
    assert _shared_points(train, test) == len(test)  # the problem notebook 09 ran into


@pytest.mark.parametrize("name", sorted(NOISE_FREE))
def test_random_sampling_draws_test_points_independently(name: str) -> None:
    make = NOISE_FREE[name]
    train, test = make(0, "random"), make(1, "random")
    assert _shared_points(train.X, test.X) == 0
    assert np.array_equal(np.bincount(train.y), np.bincount(test.y))
    assert np.array_equal(make(0, "random").X, train.X)  # still reproducible from the seed


def test_random_moons_lie_on_the_moons_with_uniform_angles() -> None:
    ds = data.moons(n=4000, noise=0.0, seed=3, sampling="random")
    upper = ds.X[ds.y == 0]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    angles = np.arctan2(upper[:, 1], upper[:, 0])
    assert angles.min() >= 0.0 and angles.max() <= np.pi
    # uniform on [0, π]: mean π/2 and variance π²/12, within 4 standard errors
    assert abs(angles.mean() - np.pi / 2) < 4 * np.pi / np.sqrt(12 * len(angles))
    assert np.var(angles) == pytest.approx(np.pi**2 / 12, rel=0.1)


def test_random_spiral_radii_are_uniform_on_the_arms() -> None:
    ds = data.spiral(n_per_class=2000, classes=2, noise=0.0, seed=0, sampling="random")
    radius = np.hypot(ds.X[:, 0], ds.X[:, 1])
    assert radius.min() > 0.0 and radius.max() <= 1.0
    assert abs(radius.mean() - 0.5) < 4 / np.sqrt(12 * len(radius))
    angle = np.arctan2(ds.X[:, 1], ds.X[:, 0])
    expected = 2 * np.pi * ds.y / 2 + data.SPIRAL_SWEEP * radius
    np.testing.assert_allclose(np.cos(angle), np.cos(expected), atol=1e-9)


def test_sampling_must_be_grid_or_random() -> None:
    for make in (data.moons, data.circles, data.spiral):
        with pytest.raises(ValueError, match="sampling must be one of"):
            make(sampling="uniform")  # type: ignore[operator]


# --- digits ----------------------------------------------------------------------------------------------------------


def test_digits_are_scikit_learns_8x8_images_scaled_to_one() -> None:
    pytest.importorskip("sklearn", reason='scikit-learn is not installed (pip install "micrograd_ko[notebooks]")')
    ds = data.digits()
    assert ds.X.shape == (1797, 64) and ds.X.dtype == np.float64
    assert ds.X.min() == 0.0 and ds.X.max() == 1.0
    assert ds.y.dtype == np.int64 and sorted(set(ds.y.tolist())) == list(range(10))
    assert ds.feature_names[9] == "pixel_1_1" and ds.target_name == "digit"
    images = data.as_images(ds.X[:2])
    assert np.array(images).shape == (2, *data.DIGIT_SHAPE)
    assert images[1][0][3][5] == ds.X[1, 3 * 8 + 5]


def test_digits_without_scikit_learn_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # makes `import sklearn.datasets` fail
    with pytest.raises(ImportError, match=r'pip install "micrograd_ko\[notebooks\]"'):
        data.digits()


def test_as_images_checks_the_shape() -> None:
    with pytest.raises(ValueError, match="cannot form images"):
        data.as_images(np.zeros((2, 10)))
    assert np.array(data.as_images(np.arange(12.0).reshape(1, 12), shape=(3, 2, 2))).shape == (1, 3, 2, 2)
