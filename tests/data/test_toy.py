"""The classification sets in the plane: xor, moons, circles, spiral, their labels and sampling."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from micrograd_ko import data
from micrograd_ko.data import Dataset

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
        with pytest.raises(
            ValueError, match=rf"^{make.__name__}: sampling must be one of .*grid.*random.*got 'uniform'$"
        ):
            make(sampling="uniform")  # type: ignore[operator]


# --- argument errors ---


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: data.moons(n=0), ValueError, r"moons: n must be .*2, got 0$"),
        (lambda: data.moons(n=1), ValueError, r"moons: n must be .*2, got 1$"),
        (lambda: data.moons(n=-5), ValueError, r"moons: n must be .*2, got -5$"),
        (lambda: data.moons(n=10.0), TypeError, r"moons: n must be .*int.*, got .*10\.0$"),
        (lambda: data.moons(noise=-0.1), ValueError, r"moons: noise must be a finite number >= 0, got -0\.1$"),
        (lambda: data.moons(noise=math.nan), ValueError, r"moons: noise must be a finite number >= 0, got nan$"),
        (lambda: data.moons(noise="0.1"), TypeError, r"moons: noise must be .*real number.*, got .*'0\.1'$"),
        (lambda: data.moons(labels="+-1"), ValueError, r"moons: labels must be one of .*01.*pm1.*got '\+-1'$"),
        (lambda: data.moons(seed=-1), ValueError, r"moons: seed must be .*, got -1$"),
        (lambda: data.moons(seed=1.5), TypeError, r"moons: seed must be .*int.*, got .*1\.5$"),
        (lambda: data.moons(seed=True), TypeError, r"moons: seed must be .*int.*, got .*True$"),
        (lambda: data.xor(labels="pm"), ValueError, r"xor: labels must be one of .*01.*pm1.*got 'pm'$"),
        (lambda: data.circles(n=0), ValueError, r"circles: n must be .*2, got 0$"),
        (lambda: data.circles(factor=1.0), ValueError, r"circles: factor must be strictly between 0 and 1, got 1\.0$"),
        (lambda: data.circles(factor=0), ValueError, r"circles: factor must be strictly between 0 and 1, got 0$"),
        (lambda: data.circles(noise=math.inf), ValueError, r"circles: noise must be a finite number >= 0, got inf$"),
        (lambda: data.spiral(n_per_class=0), ValueError, r"spiral: n_per_class must be .*1, got 0$"),
        (lambda: data.spiral(classes=1), ValueError, r"spiral: classes must be .*2, got 1$"),
        (lambda: data.spiral(noise=-1.0), ValueError, r"spiral: noise must be a finite number >= 0, got -1\.0$"),
    ],
)
def test_dataset_makers_reject_bad_arguments(call: Callable[[], object], error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        call()
