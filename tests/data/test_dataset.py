"""What every dataset maker shares: shapes, dtypes, seeds, unpacking, and numpy integers as sizes."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

import micrograd_ko
from micrograd_ko import data
from micrograd_ko.data import Dataset

SEEDED_DATASETS: dict[str, Callable[..., Dataset]] = {
    "moons": lambda seed=0: data.moons(n=101, seed=seed),
    "circles": lambda seed=0: data.circles(n=101, seed=seed),
    "spiral": lambda seed=0: data.spiral(n_per_class=30, classes=4, seed=seed),
    "house_prices": lambda seed=0: data.house_prices(n=50, seed=seed),
}
EXPECTED_SHAPES = {"moons": (101, 2), "circles": (101, 2), "spiral": (120, 2), "house_prices": (50, 4)}


def test_submodule_is_reachable_from_the_package() -> None:
    assert micrograd_ko.data is data


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


def test_numpy_integers_are_accepted_where_ints_are_expected() -> None:
    X, y = data.spiral(n_per_class=np.int64(5), classes=np.int32(2), seed=np.int64(1))
    assert X.shape == (10, 2)
    assert [len(xb) for xb, _ in data.batches(X, y, np.int64(4), seed=0)] == [4, 4, 2]
