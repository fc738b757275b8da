"""The house prices and the noise-free price they scatter around."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from micrograd_ko import data

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


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: data.house_prices(n=0), ValueError, r"house_prices: n must be .*1, got 0$"),
        (lambda: data.house_prices(seed="x"), TypeError, r"house_prices: seed must be .*, got .*'x'$"),
        (
            lambda: data.house_prices(noise=-0.01),
            ValueError,
            r"house_prices: noise must be a finite number >= 0, got -0\.01$",
        ),
    ],
)
def test_house_prices_rejects_bad_arguments(call: Callable[[], object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()
