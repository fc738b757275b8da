"""Regression data: the house prices of the lecture notes, and the noise-free price they scatter around."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd.checks import generator, integer
from micrograd_ko.data._common import FloatArray, check_noise
from micrograd_ko.data.dataset import Dataset, Seed

__all__ = ["HOUSE_FEATURES", "house_prices", "true_house_price"]

HOUSE_FEATURES = ("area_m2", "bedrooms", "distance_km", "age_years")
"""Column names of `house_prices` X: floor area (m²), bedrooms, distance to the city centre (km), age (years)."""


def _relu(x: FloatArray) -> FloatArray:
    return np.maximum(x, 0.0)


def true_house_price(
    area_m2: npt.ArrayLike, bedrooms: npt.ArrayLike, distance_km: npt.ArrayLike, age_years: npt.ArrayLike
) -> FloatArray:
    """The noise-free price (in 억 원, 100 million won) that `house_prices` samples around.

    A straight-line part plus three effects, each one of the hidden neurons the
    lecture notes imagine in a trained network::

        price = 2.5 + 0.04·area − 0.05·distance − 0.01·age          (bigger, closer, newer: dearer)
              + 0.004 · relu(area − 100) · relu(15 − distance)       (a large home near the city)
              + 0.05  · relu(bedrooms − 3) · relu(30 − age)          (4+ bedrooms in a house under 30 years)
              + 0.06  · relu(age − 100)                              (historic: value grows past 100 years)

    where relu(z) = max(z, 0).  So at fixed other features price rises with
    area, falls with distance, falls with age up to 100 years and rises after.
    Arguments broadcast like numpy arrays; the result is a float64 array.
    """
    area = np.asarray(area_m2, dtype=np.float64)
    rooms = np.asarray(bedrooms, dtype=np.float64)
    distance = np.asarray(distance_km, dtype=np.float64)
    age = np.asarray(age_years, dtype=np.float64)
    straight_line = 2.5 + 0.04 * area - 0.05 * distance - 0.01 * age
    prime_location = 0.004 * _relu(area - 100.0) * _relu(15.0 - distance)
    family_home = 0.05 * _relu(rooms - 3.0) * _relu(30.0 - age)
    historic = 0.06 * _relu(age - 100.0)
    return np.asarray(straight_line + prime_location + family_home + historic, dtype=np.float64)


def house_prices(n: int = 200, noise: float = 0.05, seed: Seed = 0) -> Dataset:
    """Houses described by area, bedrooms, distance to the city and age, priced by `true_house_price`.

    Columns of ``X`` (float64, shape ``(n, 4)``), named in ``feature_names``:

    - ``area_m2``: floor area, uniform in [30, 200] m², to 0.1 m²;
    - ``bedrooms``: a whole number 1..6 that grows with area (about area / 40, ± noise);
    - ``distance_km``: distance to the city centre, uniform in [0.5, 40] km, to 0.1 km;
    - ``age_years``: whole years, uniform in 0..150 (so about a third are historic, past 100).

    ``y`` (float64, shape ``(n,)``) is the price in 억 원 (100 million won):
    ``true_house_price(...) · exp(noise · ε)`` with ε standard normal, i.e. a
    multiplicative noise of about ±``noise`` (5% by default) that keeps every
    price positive.  The features have very different scales: `standardize`
    them before training.
    """
    n = integer(n, "house_prices: n", minimum=1)
    noise = check_noise("house_prices", noise)
    rng = generator(seed, "house_prices: seed")
    area = np.round(rng.uniform(30.0, 200.0, size=n), 1)
    bedrooms = np.clip(np.round(area / 40.0 + rng.normal(0.0, 0.7, size=n)), 1.0, 6.0)
    distance = np.round(rng.uniform(0.5, 40.0, size=n), 1)
    age = rng.integers(0, 151, size=n).astype(np.float64)
    price = true_house_price(area, bedrooms, distance, age) * np.exp(noise * rng.standard_normal(n))
    X = np.column_stack([area, bedrooms, distance, age])
    return Dataset(X, price, HOUSE_FEATURES, "price_100m_won")
