"""Toy datasets made with numpy, and the small tools a training loop needs around them.

Every dataset is generated from a seed, so the same call gives the same numbers
on every machine, and returns a `Dataset`: ``X`` of shape ``(n, d)`` (float64,
one row per sample, one column per feature), ``y`` of shape ``(n,)``, and the
names of the features and the target.  A `Dataset` unpacks like a pair::

    X, y = moons()              # the fixed two-moons data the demo trains on
    ds = house_prices()         # or keep it whole to read ds.feature_names

Label conventions:

- binary datasets (`xor`, `moons`, `circles`) give int64 labels 0/1 by default;
  ``labels="pm1"`` gives -1/+1 instead, the form the hinge loss
  ``max(0, 1 - y * score)`` expects (0 becomes -1, 1 stays +1);
- `spiral` gives int64 class indices 0, 1, ..., classes - 1;
- `house_prices` is regression: float64 prices in units of 100 million won (억 원);
- `digits` (scikit-learn's 8 x 8 handwritten digits) gives int64 digits 0..9.

Test sets that can show overfitting: `moons`, `circles` and `spiral` place
their points on an even grid by default, so two calls with different seeds
differ only by noise.  Draw training and test sets with
``sampling="random"`` and different seeds (independent samples), or draw one
set and split it with `train_test_split`.

Around the data: `standardize` and `normalize` rescale features and return the
statistics they fitted, so test data is rescaled with the training statistics;
`train_test_split` holds out a test set; `batches` cuts an epoch into batches
for full-batch, stochastic and mini-batch gradient descent.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd.checks import generator, integer, one_of, real_number

__all__ = [
    "DIGIT_SHAPE",
    "HOUSE_FEATURES",
    "LABEL_CHOICES",
    "SAMPLING_CHOICES",
    "SPIRAL_SWEEP",
    "Dataset",
    "Labels",
    "MinMaxScaling",
    "Sampling",
    "Seed",
    "Standardization",
    "as_images",
    "batches",
    "circles",
    "digits",
    "gaussian_mixture",
    "house_prices",
    "moons",
    "normalize",
    "spiral",
    "standardize",
    "train_test_split",
    "true_house_price",
    "xor",
]

FloatArray = npt.NDArray[np.float64]

Labels = Literal["01", "pm1"]
"""How a binary dataset writes its two classes: ``"01"`` gives 0/1, ``"pm1"`` gives -1/+1."""

Sampling = Literal["grid", "random"]
"""Where the 2-D datasets put their noise-free points: ``"grid"`` evenly spaced, ``"random"`` drawn at random.

With ``"grid"`` two calls with different seeds share the same noise-free
positions and differ only by noise, so a "test set" drawn that way sits on
top of the training points and cannot show overfitting.  With ``"random"``
every point's position is drawn independently from the seed's generator, so
``moons(seed=1, sampling="random")`` and ``moons(seed=2, sampling="random")`` are
two independent samples of the same distribution: a real test set.
"""

SAMPLING_CHOICES: tuple[Sampling, ...] = ("grid", "random")
"""The accepted values of ``sampling``."""

Seed = int | np.random.Generator | None
"""A seed for ``np.random.default_rng``: an int (reproducible), a Generator (its stream continues), or None (fresh)."""

LABEL_CHOICES: tuple[Labels, ...] = ("01", "pm1")
"""The accepted values of ``labels`` for the binary datasets."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """A dataset: features ``X`` (float64, shape ``(n, d)``), targets ``y`` (shape ``(n,)``) and their names.

    ``feature_names[j]`` names column ``j`` of ``X``; ``target_name`` names ``y``.
    Iterating yields ``X`` then ``y``, so ``X, y = moons()`` works, and so does
    ``train_test_split(*moons())``.
    """

    X: FloatArray
    y: npt.NDArray[Any]
    feature_names: tuple[str, ...]
    target_name: str

    def __iter__(self) -> Iterator[npt.NDArray[Any]]:
        """Yield ``X`` and then ``y``, for ``X, y = dataset``."""
        yield self.X
        yield self.y


# --- argument checks shared by every function below -------------------------------------------------------------


def _generator(func: str, seed: Seed) -> np.random.Generator:
    return generator(seed, f"{func}(): seed")


def _check_int(func: str, name: str, value: object, minimum: int) -> int:
    return integer(value, f"{func}(): {name}", minimum)


def _check_real(func: str, name: str, value: object) -> float:
    return real_number(value, f"{func}(): {name}")


def _check_noise(func: str, noise: object) -> float:
    value = _check_real(func, "noise", noise)
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{func}(): noise must be a finite number >= 0, got {noise!r}")
    return value


def _check_fraction(func: str, name: str, value: object) -> float:
    fraction = _check_real(func, name, value)
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"{func}(): {name} must lie strictly between 0 and 1, got {value!r}")
    return fraction


def _positions(
    func: str, sampling: object, rng: np.random.Generator, count: int, low: float, high: float
) -> FloatArray:
    """``count`` parameters (angles, radii) in [low, high]: evenly spaced, or uniform random draws."""
    if one_of(sampling, SAMPLING_CHOICES, f"{func}(): sampling") == "grid":
        return np.linspace(low, high, count)
    return np.sort(rng.uniform(low, high, count))


def _binary_labels(func: str, labels: object, classes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    if one_of(labels, LABEL_CHOICES, f"{func}(): labels") == "01":
        return classes
    return 2 * classes - 1


def _as_features(func: str, X: object) -> FloatArray:
    array = np.asarray(X)
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{func}(): X must hold real numbers, got an array of dtype {array.dtype}")
    if array.ndim != 2:
        raise ValueError(f"{func}(): X must be 2-D with shape (n_samples, n_features), got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{func}(): X has no rows (shape {array.shape})")
    return array.astype(np.float64)


def _as_features_and_targets(func: str, X: object, y: object) -> tuple[FloatArray, npt.NDArray[Any]]:
    features = _as_features(func, X)
    targets = np.asarray(y)
    if targets.ndim not in (1, 2):
        raise ValueError(f"{func}(): y must have shape (n_samples,) or (n_samples, k), got shape {targets.shape}")
    if targets.shape[0] != features.shape[0]:
        raise ValueError(
            f"{func}(): X and y must have the same number of rows, got {features.shape[0]} and {targets.shape[0]}"
        )
    return features, targets


def _shuffled(
    rng: np.random.Generator, X: FloatArray, classes: npt.NDArray[np.int64]
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    # Generators lay the classes out in blocks; shuffle so a prefix of the rows is not all one class.
    order = rng.permutation(len(X))
    return X[order], classes[order]


# --- classification datasets ---------------------------------------------------------------------------------------


def xor(labels: Labels = "01") -> Dataset:
    """The four XOR points: the label is 1 when exactly one input is 1.

    ``X`` is ``[[0, 0], [0, 1], [1, 0], [1, 1]]`` (float64, shape ``(4, 2)``) and
    ``y`` is ``[0, 1, 1, 0]`` (int64), or ``[-1, 1, 1, -1]`` with ``labels="pm1"``.
    No straight line separates the classes, so a network needs a hidden layer.
    """
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = _binary_labels("xor", labels, np.array([0, 1, 1, 0], dtype=np.int64))
    return Dataset(X, y, ("x1", "x2"), "label")


def moons(
    n: int = 100, noise: float = 0.1, seed: Seed = 0, labels: Labels = "01", sampling: Sampling = "grid"
) -> Dataset:
    """Two interleaving half circles in the plane, like scikit-learn's ``make_moons``.

    Class 0 lies on the upper half of the unit circle around (0, 0):
    ``(cos t, sin t)``; class 1 on the lower half of the unit circle around
    (1, 0.5): ``(1 - cos t, 0.5 - sin t)``, with ``t`` evenly spaced in [0, π]
    (``sampling="grid"``) or drawn uniformly from [0, π] (``sampling="random"``:
    use it for test sets, see `Sampling`).
    Gaussian noise of standard deviation ``noise`` is added to each coordinate
    and the rows are shuffled.  Class 0 gets ``n // 2`` points, class 1 the rest.

    With the defaults the call is deterministic: this is the embedded moons
    data that ``python -m micrograd_ko demo`` trains on.

    Returns ``X`` float64 ``(n, 2)`` and ``y`` int64 ``(n,)`` with 0/1 labels,
    or -1/+1 with ``labels="pm1"`` (for the hinge loss).
    """
    n = _check_int("moons", "n", n, minimum=2)
    noise = _check_noise("moons", noise)
    rng = _generator("moons", seed)
    n_upper = n // 2
    n_lower = n - n_upper
    t_upper = _positions("moons", sampling, rng, n_upper, 0.0, np.pi)
    t_lower = _positions("moons", sampling, rng, n_lower, 0.0, np.pi)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(n, 2))
    classes = np.repeat(np.array([0, 1], dtype=np.int64), [n_upper, n_lower])
    X, classes = _shuffled(rng, X, classes)
    return Dataset(X, _binary_labels("moons", labels, classes), ("x1", "x2"), "label")


def circles(
    n: int = 100,
    noise: float = 0.05,
    factor: float = 0.5,
    seed: Seed = 0,
    labels: Labels = "01",
    sampling: Sampling = "grid",
) -> Dataset:
    """A small circle inside a large one, both centred at the origin.

    Class 0 lies on the circle of radius 1, class 1 on the circle of radius
    ``factor`` (0 < factor < 1); angles are evenly spaced around each circle
    (``sampling="grid"``) or drawn uniformly (``sampling="random"``, see `Sampling`).
    Gaussian noise of standard deviation ``noise`` is added to each coordinate
    and the rows are shuffled.  Class 0 gets ``n // 2`` points, class 1 the rest.

    Returns ``X`` float64 ``(n, 2)`` and ``y`` int64 ``(n,)`` with 0/1 labels
    (0 = outer, 1 = inner), or -1/+1 with ``labels="pm1"``.
    """
    n = _check_int("circles", "n", n, minimum=2)
    noise = _check_noise("circles", noise)
    factor = _check_fraction("circles", "factor", factor)
    rng = _generator("circles", seed)
    n_outer = n // 2
    n_inner = n - n_outer
    if sampling == "grid":
        t_outer = np.linspace(0.0, 2.0 * np.pi, n_outer, endpoint=False)
        t_inner = np.linspace(0.0, 2.0 * np.pi, n_inner, endpoint=False)
    else:
        t_outer = _positions("circles", sampling, rng, n_outer, 0.0, 2.0 * np.pi)
        t_inner = _positions("circles", sampling, rng, n_inner, 0.0, 2.0 * np.pi)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = factor * np.column_stack([np.cos(t_inner), np.sin(t_inner)])
    X = np.vstack([outer, inner]) + rng.normal(0.0, noise, size=(n, 2))
    classes = np.repeat(np.array([0, 1], dtype=np.int64), [n_outer, n_inner])
    X, classes = _shuffled(rng, X, classes)
    return Dataset(X, _binary_labels("circles", labels, classes), ("x1", "x2"), "label")


SPIRAL_SWEEP = 4.0
"""How far, in radians, each spiral arm turns between radius 0 and radius 1."""


def spiral(
    n_per_class: int = 100, classes: int = 3, noise: float = 0.05, seed: Seed = 0, sampling: Sampling = "grid"
) -> Dataset:
    """``classes`` spiral arms winding out of the origin, one class per arm.

    Point ``i`` of arm ``k`` sits at radius ``r = (i + 1) / n_per_class`` and angle
    ``θ = 2πk / classes + SPIRAL_SWEEP · r``, i.e. at ``(r cos θ, r sin θ)``, so
    the arms start evenly spread around the origin and each turns 4 radians.
    With ``sampling="random"`` each point's radius is drawn uniformly from
    (0, 1] instead (use it for test sets, see `Sampling`).
    Gaussian noise of standard deviation ``noise`` is added to each coordinate
    and the rows are shuffled.

    Returns ``X`` float64 ``(n_per_class * classes, 2)`` and ``y`` int64 class
    indices 0 .. classes - 1 (the form ``softmax_cross_entropy`` takes),
    ``n_per_class`` of each.
    """
    n_per_class = _check_int("spiral", "n_per_class", n_per_class, minimum=1)
    classes = _check_int("spiral", "classes", classes, minimum=2)
    noise = _check_noise("spiral", noise)
    rng = _generator("spiral", seed)
    if sampling == "grid":
        radius = np.tile(np.arange(1, n_per_class + 1) / n_per_class, classes)
    else:
        radius = np.concatenate(
            [1.0 - _positions("spiral", sampling, rng, n_per_class, 0.0, 1.0) for _ in range(classes)]
        )
    arm = np.repeat(np.arange(classes, dtype=np.int64), n_per_class)
    angle = 2.0 * np.pi * arm / classes + SPIRAL_SWEEP * radius
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    X = X + rng.normal(0.0, noise, size=X.shape)
    X, arm = _shuffled(rng, X, arm)
    return Dataset(X, arm, ("x1", "x2"), "class")


# --- real images: the handwritten digits that ship with scikit-learn ----------------------------------------------

DIGITS_INSTALL_HINT = 'pip install "micrograd_ko[notebooks]"  (or: pip install scikit-learn)'

DIGIT_SHAPE = (1, 8, 8)
"""The shape of one `digits` image as a sample for `nn.Conv2d`: one channel of 8 x 8 pixels."""


def digits() -> Dataset:
    """The 1,797 handwritten digits of scikit-learn (``sklearn.datasets.load_digits``), 8 x 8 pixels each.

    The offline stand-in for MNIST: the images ship inside scikit-learn, so
    nothing is downloaded.  ``X`` is float64 ``(1797, 64)``, one row per image
    read row by row (``pixel_r_c`` is row r, column c), scaled from the
    original 0..16 grey levels to [0, 1]; ``y`` holds int64 digits 0..9.
    ``as_images(X)`` turns rows into images ``[channel][row][col]`` for `nn.Conv2d`.

    Needs scikit-learn, which comes with the ``notebooks`` extra; without it an
    ImportError says how to install it.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:
        raise ImportError(f"digits() needs scikit-learn, which is not installed: {DIGITS_INSTALL_HINT}") from error
    bunch = load_digits()
    X = np.asarray(bunch.data, dtype=np.float64) / 16.0
    y = np.asarray(bunch.target, dtype=np.int64)
    names = tuple(f"pixel_{r}_{c}" for r in range(8) for c in range(8))
    return Dataset(X, y, names, "digit")


def as_images(X: npt.ArrayLike, shape: tuple[int, int, int] = DIGIT_SHAPE) -> list[Any]:
    """Rows of pixels as a batch of images: nested lists ``[sample][channel][row][col]`` of floats.

    Each row of ``X`` (shape ``(n, channels·height·width)``) is read in
    row-major order, the layout `digits` uses and ``nn.Flatten`` undoes.
    """
    features = _as_features("as_images", X)
    if len(shape) != 3 or any(isinstance(s, bool) or not isinstance(s, numbers.Integral) or s < 1 for s in shape):
        raise ValueError(f"as_images(): shape must be (channels, height, width) of positive ints, got {shape!r}")
    size = int(np.prod(shape))
    if features.shape[1] != size:
        raise ValueError(f"as_images(): rows of {features.shape[1]} values cannot form images of shape {shape}")
    images: list[Any] = features.reshape(-1, *shape).tolist()
    return images


# --- regression: the house prices of the lecture notes --------------------------------------------------------------

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
    n = _check_int("house_prices", "n", n, minimum=1)
    noise = _check_noise("house_prices", noise)
    rng = _generator("house_prices", seed)
    area = np.round(rng.uniform(30.0, 200.0, size=n), 1)
    bedrooms = np.clip(np.round(area / 40.0 + rng.normal(0.0, 0.7, size=n)), 1.0, 6.0)
    distance = np.round(rng.uniform(0.5, 40.0, size=n), 1)
    age = rng.integers(0, 151, size=n).astype(np.float64)
    price = true_house_price(area, bedrooms, distance, age) * np.exp(noise * rng.standard_normal(n))
    X = np.column_stack([area, bedrooms, distance, age])
    return Dataset(X, price, HOUSE_FEATURES, "price_100m_won")


# --- rescaling features --------------------------------------------------------------------------------------------


def _scale_array(owner: str, name: str, values: npt.ArrayLike) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim > 1 or not np.all(np.isfinite(array)):
        raise ValueError(f"{owner}: {name} must be finite with shape () or (n_features,), got {array!r}")
    return array


def _positive_scale(owner: str, name: str, values: npt.ArrayLike) -> FloatArray:
    array = _scale_array(owner, name, values)
    if np.any(array <= 0.0):
        raise ValueError(f"{owner}: {name} must be positive (constant columns store 1), got {array!r}")
    return array


@dataclass(frozen=True, eq=False)
class Standardization:
    """Per-column statistics fitted by `standardize`: ``x' = (x − mean) / std``.

    ``mean`` and ``std`` have shape ``(n_features,)`` (shape ``()`` when fitted
    on a 1-D array).  ``std`` is the population standard deviation (ddof = 0),
    except that a constant column (all values equal, std 0) stores std = 1: it
    becomes a column of zeros instead of a division by zero.  Lists are
    accepted and converted, so the stats can be rebuilt from saved JSON.
    """

    mean: FloatArray
    std: FloatArray

    def __post_init__(self) -> None:
        """Convert the fields to float64 arrays and check that ``std`` is positive and the shapes agree."""
        mean = _scale_array("Standardization", "mean", self.mean)
        std = _positive_scale("Standardization", "std", self.std)
        if mean.shape != std.shape:
            raise ValueError(f"Standardization: mean has shape {mean.shape} but std has shape {std.shape}")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "std", std)

    def inverse(self, Z: npt.ArrayLike) -> FloatArray:
        """Map standardized values back to the original scale: ``x = z · std + mean``."""
        return np.asarray(Z, dtype=np.float64) * self.std + self.mean


@dataclass(frozen=True, eq=False)
class MinMaxScaling:
    """Per-column statistics fitted by `normalize`: ``x' = (x − min) / range`` with ``range = max − min``.

    ``min`` and ``range`` have shape ``(n_features,)`` (shape ``()`` when fitted
    on a 1-D array).  A constant column (range 0) stores range = 1: it becomes
    a column of zeros instead of a division by zero.  Lists are accepted and
    converted, so the stats can be rebuilt from saved JSON.
    """

    min: FloatArray
    range: FloatArray

    def __post_init__(self) -> None:
        """Convert the fields to float64 arrays and check that ``range`` is positive and the shapes agree."""
        low = _scale_array("MinMaxScaling", "min", self.min)
        span = _positive_scale("MinMaxScaling", "range", self.range)
        if low.shape != span.shape:
            raise ValueError(f"MinMaxScaling: min has shape {low.shape} but range has shape {span.shape}")
        object.__setattr__(self, "min", low)
        object.__setattr__(self, "range", span)

    def inverse(self, Z: npt.ArrayLike) -> FloatArray:
        """Map normalized values back to the original scale: ``x = z · range + min``."""
        return np.asarray(Z, dtype=np.float64) * self.range + self.min


def _finite_columns(func: str, X: object) -> FloatArray:
    array = np.asarray(X)
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{func}(): X must hold real numbers, got an array of dtype {array.dtype}")
    if array.ndim not in (1, 2) or array.shape[0] == 0:
        raise ValueError(
            f"{func}(): X must have shape (n_samples, n_features) or (n_samples,) with at least one row, "
            f"got shape {array.shape}"
        )
    features = array.astype(np.float64)
    if not np.all(np.isfinite(features)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(features))[0])
        raise ValueError(f"{func}(): X must be finite, got {features[where]} at index {where}")
    return features


def _fitted(func: str, statistic: FloatArray, scale: FloatArray) -> tuple[FloatArray, FloatArray]:
    if not (np.all(np.isfinite(statistic)) and np.all(np.isfinite(scale))):
        raise ValueError(f"{func}(): the column statistics overflowed; divide X by a large constant first")
    return statistic, np.where(scale == 0.0, 1.0, scale)


def _check_stats_shape(func: str, features: FloatArray, stats_shape: tuple[int, ...]) -> None:
    if features.shape[1:] != stats_shape:
        raise ValueError(
            f"{func}(): stats were fitted on rows of shape {stats_shape} but X has rows of shape {features.shape[1:]}"
        )


def standardize(X: npt.ArrayLike, stats: Standardization | None = None) -> tuple[FloatArray, Standardization]:
    """Rescale each column to mean 0 and variance 1: ``x' = (x − mean) / std``.

    With ``stats=None`` the mean and (population) standard deviation are fitted
    on ``X``; pass the returned `Standardization` to transform test data with
    the *training* statistics, as a trained model expects::

        X_train_s, stats = standardize(X_train)
        X_test_s, _ = standardize(X_test, stats)

    ``X`` has shape ``(n, d)``, or ``(n,)`` for a single column such as a
    regression target (``stats.inverse`` turns predictions back into prices).
    It must be finite.  A constant column becomes all zeros (see
    `Standardization`).  Returns the float64 result and the stats.
    """
    features = _finite_columns("standardize", X)
    if stats is None:
        with np.errstate(over="ignore", invalid="ignore"):
            stats = Standardization(*_fitted("standardize", features.mean(axis=0), features.std(axis=0)))
    elif not isinstance(stats, Standardization):
        raise TypeError(f"standardize(): stats must be a Standardization or None, got {type(stats).__name__}")
    _check_stats_shape("standardize", features, stats.mean.shape)
    return (features - stats.mean) / stats.std, stats


def normalize(X: npt.ArrayLike, stats: MinMaxScaling | None = None) -> tuple[FloatArray, MinMaxScaling]:
    """Rescale each column into [0, 1] (min-max scaling): ``x' = (x − min) / (max − min)``.

    With ``stats=None`` the minimum and range are fitted on ``X``; pass the
    returned `MinMaxScaling` to transform test data with the training
    statistics (test values outside the training range land outside [0, 1]).

    ``X`` has shape ``(n, d)``, or ``(n,)`` for a single column.  It must be
    finite.  A constant column becomes all zeros (see `MinMaxScaling`).
    Returns the float64 result and the stats.
    """
    features = _finite_columns("normalize", X)
    if stats is None:
        low = features.min(axis=0)
        with np.errstate(over="ignore"):
            stats = MinMaxScaling(*_fitted("normalize", low, features.max(axis=0) - low))
    elif not isinstance(stats, MinMaxScaling):
        raise TypeError(f"normalize(): stats must be a MinMaxScaling or None, got {type(stats).__name__}")
    _check_stats_shape("normalize", features, stats.min.shape)
    return (features - stats.min) / stats.range, stats


# --- splitting and batching ----------------------------------------------------------------------------------------


def train_test_split(
    X: npt.ArrayLike, y: npt.ArrayLike, test_fraction: float = 0.25, seed: Seed = 0
) -> tuple[FloatArray, FloatArray, npt.NDArray[Any], npt.NDArray[Any]]:
    """Shuffle the rows and hold out ``test_fraction`` of them: returns ``X_train, X_test, y_train, y_test``.

    The test set gets ``round(test_fraction · n)`` rows, but at least one and at
    most n − 1, so both parts are non-empty (n must be at least 2).  The two
    parts are disjoint and together hold every row exactly once.  ``X`` has
    shape ``(n, d)``, ``y`` shape ``(n,)`` (or ``(n, k)``); ``0 < test_fraction < 1``.
    """
    features, targets = _as_features_and_targets("train_test_split", X, y)
    test_fraction = _check_fraction("train_test_split", "test_fraction", test_fraction)
    n = features.shape[0]
    if n < 2:
        raise ValueError(f"train_test_split(): needs at least 2 rows to make two non-empty parts, got {n}")
    rng = _generator("train_test_split", seed)
    n_test = min(max(round(test_fraction * n), 1), n - 1)
    order = rng.permutation(n)
    test, train = order[:n_test], order[n_test:]
    return features[train], features[test], targets[train], targets[test]


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
    features, targets = _as_features_and_targets("batches", X, y)
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"batches(): shuffle must be True or False, got {type(shuffle).__name__}: {shuffle!r}")
    n = features.shape[0]
    size = n if batch_size is None else min(_check_int("batches", "batch_size", batch_size, minimum=1), n)
    order = _generator("batches", seed).permutation(n) if shuffle else np.arange(n)
    return ((features[chunk], targets[chunk]) for chunk in np.split(order, np.arange(size, n, size)))


# =====================================================================================================================
# Generative models: a 1-D mixture of Gaussians for a GAN to imitate
# =====================================================================================================================


def gaussian_mixture(
    n: int = 200,
    means: tuple[float, ...] = (-2.0, 2.0),
    stds: tuple[float, ...] = (0.5, 0.5),
    weights: tuple[float, ...] | None = None,
    seed: Seed = 0,
) -> Dataset:
    """``n`` draws from a 1-D mixture of Gaussians: p(x) = sum_k w_k N(x; mean_k, std_k^2).

    Each draw first picks a component k with probability ``weights[k]`` (equal
    weights by default), then x = mean_k + std_k * N(0, 1).  ``X`` is float64
    ``(n, 1)`` and ``y`` holds each draw's component k (int64), so a test can
    compare a generator's samples with each mode separately.  This is the data
    notebook 14's GAN learns to imitate.
    """
    func = "gaussian_mixture"
    count = _check_int(func, "n", n, minimum=1)
    centres = [_check_real(func, "means", m) for m in means]
    spreads = [_check_real(func, "stds", s) for s in stds]
    if not centres or len(spreads) != len(centres):
        raise ValueError(f"{func}(): means and stds must be non-empty and of equal length, got {means!r} and {stds!r}")
    if not all(math.isfinite(m) for m in centres) or not all(math.isfinite(s) and s > 0 for s in spreads):
        raise ValueError(f"{func}(): means must be finite and stds finite and > 0, got {means!r} and {stds!r}")
    if weights is None:
        probabilities = np.full(len(centres), 1.0 / len(centres))
    else:
        probabilities = np.array([_check_real(func, "weights", w) for w in weights])
        if len(probabilities) != len(centres) or not np.all(np.isfinite(probabilities)) or np.any(probabilities < 0):
            raise ValueError(f"{func}(): weights must be {len(centres)} finite numbers >= 0, got {weights!r}")
        if probabilities.sum() <= 0:
            raise ValueError(f"{func}(): weights must not all be 0, got {weights!r}")
        probabilities = probabilities / probabilities.sum()
    rng = _generator(func, seed)
    components = rng.choice(len(centres), size=count, p=probabilities).astype(np.int64)
    x = np.array(centres)[components] + np.array(spreads)[components] * rng.standard_normal(count)
    return Dataset(x.reshape(-1, 1), components, ("x",), "component")
