"""The defaults the docstrings promise, asserted as numbers (a changed default must fail a test)."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

from micrograd_ko import data
from micrograd_ko.autograd import Value
from micrograd_ko.optim import AdaGrad, RMSProp


@pytest.mark.parametrize(
    ("optimizer", "lr"),
    [(AdaGrad, 0.01), (RMSProp, 0.01)],
)
def test_adaptive_optimizers_default_learning_rate(optimizer: type[AdaGrad] | type[RMSProp], lr: float) -> None:
    p = Value(1.0, role="parameter")
    opt = optimizer([p])
    assert opt.lr == lr
    p.grad = 2.0
    opt.step()
    # the first step of both moves by about lr (g / sqrt(g^2) = 1 for AdaGrad, 1/sqrt(1 - alpha) for RMSProp)
    expected = {AdaGrad: 1.0 - lr * 2.0 / (2.0 + 1e-10), RMSProp: 1.0 - lr * 2.0 / (np.sqrt(0.01 * 4.0) + 1e-8)}
    assert p.data == pytest.approx(expected[optimizer], rel=1e-12)


def test_optimizer_signatures_keep_their_documented_defaults() -> None:
    assert inspect.signature(AdaGrad).parameters["lr"].default == 0.01
    assert inspect.signature(RMSProp).parameters["lr"].default == 0.01
    assert inspect.signature(RMSProp).parameters["alpha"].default == 0.99


def test_circles_default_noise_is_0_05() -> None:
    default = data.circles(n=400, seed=3)
    assert np.array_equal(default.X, data.circles(n=400, noise=0.05, seed=3).X)
    assert not np.array_equal(default.X, data.circles(n=400, noise=0.06, seed=3).X)
    radius = np.hypot(default.X[:, 0], default.X[:, 1])
    outer = radius[default.y == 0]
    # points on the unit circle plus N(0, 0.05^2) per coordinate: the radius spreads by about 0.05
    assert 0.035 < float(np.std(outer)) < 0.065


def test_train_test_split_default_seed_is_0() -> None:
    X = np.arange(40, dtype=np.float64).reshape(20, 2)
    y = np.arange(20)
    default = data.train_test_split(X, y)
    seeded = data.train_test_split(X, y, seed=0)
    for a, b in zip(default, seeded, strict=True):
        assert np.array_equal(a, b)
    expected_test = np.random.default_rng(0).permutation(20)[:5]
    assert np.array_equal(default[3], expected_test)
    assert not np.array_equal(data.train_test_split(X, y, seed=1)[3], expected_test)


@pytest.mark.parametrize(
    ("area", "rooms", "distance", "age", "by_hand"),
    [
        # 2.5 + 0.04*120 - 0.05*10 - 0.01*20 = 6.6; + 0.004*20*5 = 0.4; + 0.05*1*10 = 0.5
        (120.0, 4.0, 10.0, 20.0, 7.5),
        # 2.5 + 0.04*80 - 0.05*20 - 0.01*130 = 3.4; no prime location, no family home; + 0.06*30 = 1.8
        (80.0, 5.0, 20.0, 130.0, 5.2),
        # 2.5 + 0.04*100 - 0.05*15 - 0.01*30 = 5.45; every relu term is exactly at its kink: 0
        (100.0, 3.0, 15.0, 30.0, 5.45),
        # 2.5 + 0.04*200 - 0.05*0 - 0.01*0 = 10.5; + 0.004*100*15 = 6.0; + 0.05*3*30 = 4.5
        (200.0, 6.0, 0.0, 0.0, 21.0),
    ],
)
def test_true_house_price_against_hand_computed_values(
    area: float, rooms: float, distance: float, age: float, by_hand: float
) -> None:
    price = data.true_house_price(area, rooms, distance, age)
    assert float(price) == pytest.approx(by_hand, abs=1e-12)
