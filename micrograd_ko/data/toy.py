"""Toy classification sets in the plane: the XOR points, two moons, two circles and spiral arms.

Each maker returns a `Dataset` with ``X`` float64 ``(n, 2)``.  The binary sets
(`xor`, `moons`, `circles`) label their classes 0/1, or -1/+1 with
``labels="pm1"``; `spiral` labels its arms 0 .. classes - 1.  `moons`,
`circles` and `spiral` place their noise-free points on an even grid by
default; ``sampling="random"`` draws them instead (see `Sampling`).
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd.checks import generator, integer, one_of
from micrograd_ko.data._common import FloatArray, check_fraction, check_noise
from micrograd_ko.data.dataset import Dataset, Seed

__all__ = [
    "LABEL_CHOICES",
    "SAMPLING_CHOICES",
    "SPIRAL_SWEEP",
    "Labels",
    "Sampling",
    "circles",
    "moons",
    "spiral",
    "xor",
]

Labels = Literal["01", "pm1"]
"""How a binary dataset writes its two classes: ``"01"`` gives 0/1, ``"pm1"`` gives -1/+1."""

LABEL_CHOICES: tuple[Labels, ...] = ("01", "pm1")
"""The accepted values of ``labels`` for the binary datasets."""

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

SPIRAL_SWEEP = 4.0
"""How far, in radians, each spiral arm turns between radius 0 and radius 1."""


def _positions(sampling: Sampling, rng: np.random.Generator, count: int, low: float, high: float) -> FloatArray:
    """``count`` parameters (angles, radii) in [low, high]: evenly spaced, or uniform random draws."""
    if sampling == "grid":
        return np.linspace(low, high, count)
    return np.sort(rng.uniform(low, high, count))


def _binary_labels(labels: Labels, classes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return classes if labels == "01" else 2 * classes - 1


def _shuffled(
    rng: np.random.Generator, X: FloatArray, classes: npt.NDArray[np.int64]
) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    # Generators lay the classes out in blocks; shuffle so a prefix of the rows is not all one class.
    order = rng.permutation(len(X))
    return X[order], classes[order]


def xor(labels: Labels = "01") -> Dataset:
    """The four XOR points: the label is 1 when exactly one input is 1.

    ``X`` is ``[[0, 0], [0, 1], [1, 0], [1, 1]]`` (float64, shape ``(4, 2)``) and
    ``y`` is ``[0, 1, 1, 0]`` (int64), or ``[-1, 1, 1, -1]`` with ``labels="pm1"``.
    No straight line separates the classes, so a network needs a hidden layer.
    """
    labels = one_of(labels, LABEL_CHOICES, "xor: labels")
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = _binary_labels(labels, np.array([0, 1, 1, 0], dtype=np.int64))
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
    n = integer(n, "moons: n", minimum=2)
    noise = check_noise("moons", noise)
    rng = generator(seed, "moons: seed")
    labels = one_of(labels, LABEL_CHOICES, "moons: labels")
    sampling = one_of(sampling, SAMPLING_CHOICES, "moons: sampling")
    n_upper = n // 2
    n_lower = n - n_upper
    t_upper = _positions(sampling, rng, n_upper, 0.0, np.pi)
    t_lower = _positions(sampling, rng, n_lower, 0.0, np.pi)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.vstack([upper, lower]) + rng.normal(0.0, noise, size=(n, 2))
    classes = np.repeat(np.array([0, 1], dtype=np.int64), [n_upper, n_lower])
    X, classes = _shuffled(rng, X, classes)
    return Dataset(X, _binary_labels(labels, classes), ("x1", "x2"), "label")


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
    n = integer(n, "circles: n", minimum=2)
    noise = check_noise("circles", noise)
    factor = check_fraction("circles", "factor", factor)
    rng = generator(seed, "circles: seed")
    labels = one_of(labels, LABEL_CHOICES, "circles: labels")
    sampling = one_of(sampling, SAMPLING_CHOICES, "circles: sampling")
    n_outer = n // 2
    n_inner = n - n_outer
    if sampling == "grid":
        # endpoint=False: a full turn would put the last point on top of the first.
        t_outer = np.linspace(0.0, 2.0 * np.pi, n_outer, endpoint=False)
        t_inner = np.linspace(0.0, 2.0 * np.pi, n_inner, endpoint=False)
    else:
        t_outer = _positions(sampling, rng, n_outer, 0.0, 2.0 * np.pi)
        t_inner = _positions(sampling, rng, n_inner, 0.0, 2.0 * np.pi)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = factor * np.column_stack([np.cos(t_inner), np.sin(t_inner)])
    X = np.vstack([outer, inner]) + rng.normal(0.0, noise, size=(n, 2))
    classes = np.repeat(np.array([0, 1], dtype=np.int64), [n_outer, n_inner])
    X, classes = _shuffled(rng, X, classes)
    return Dataset(X, _binary_labels(labels, classes), ("x1", "x2"), "label")


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
    n_per_class = integer(n_per_class, "spiral: n_per_class", minimum=1)
    classes = integer(classes, "spiral: classes", minimum=2)
    noise = check_noise("spiral", noise)
    rng = generator(seed, "spiral: seed")
    sampling = one_of(sampling, SAMPLING_CHOICES, "spiral: sampling")
    if sampling == "grid":
        radius = np.tile(np.arange(1, n_per_class + 1) / n_per_class, classes)
    else:
        # 1 - u maps the uniform draws from [0, 1) onto (0, 1], so no point sits at the origin.
        radius = np.concatenate([1.0 - _positions(sampling, rng, n_per_class, 0.0, 1.0) for _ in range(classes)])
    arm = np.repeat(np.arange(classes, dtype=np.int64), n_per_class)
    angle = 2.0 * np.pi * arm / classes + SPIRAL_SWEEP * radius
    X = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    X = X + rng.normal(0.0, noise, size=X.shape)
    X, arm = _shuffled(rng, X, arm)
    return Dataset(X, arm, ("x1", "x2"), "class")
