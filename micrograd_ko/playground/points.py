"""The playground's data: a setup's points in the plot's square, labels ±1, train and test told apart.

Every dataset is drawn from the setup's seed and fitted into the square
[-1.2, 1.2]² (inside the plot's [-1.5, 1.5]²): `moons` and `circles` come
from `micrograd_ko.data`; 'spiral' is two arms of 1.5 turns (data.spiral's
arms turn 4 radians, too little for the lesson on too few neurons), 'xor'
the four quadrants (label = sign(x1·x2)) and 'gaussians' two round clouds,
all three drawn here.  A fraction of the generated points is held out as the test set; the
points the learner added always join the training set.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from micrograd_ko.data import circles, moons
from micrograd_ko.playground.setup import EXTENT, Setup

__all__ = ["SPIRAL_TURN", "Points", "make_points"]

SPIRAL_TURN = 3.0 * np.pi
"""How far each arm of the playground's spiral turns (radians)."""

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Points:
    """The data of one setup: `X` (n, 2), `y` (n,) of ±1.0, and `train` (n,) True for a training point."""

    X: FloatArray
    y: FloatArray
    train: npt.NDArray[np.bool_]

    @property
    def train_rows(self) -> FloatArray:
        """Training rows as (x1, x2, y): the batch the loss program reads."""
        return np.column_stack([self.X[self.train], self.y[self.train]])

    @property
    def test_rows(self) -> FloatArray:
        """Test rows as (x1, x2, y)."""
        return np.column_stack([self.X[~self.train], self.y[~self.train]])

    def __len__(self) -> int:
        return len(self.y)


def _generated(setup: Setup) -> tuple[FloatArray, FloatArray]:
    """The setup's dataset before any added point: X fitted into [-1.2, 1.2]², y in ±1."""
    n, noise, seed = setup.n, setup.noise, setup.seed
    rng = np.random.default_rng([seed, 1])
    if setup.dataset == "moons":
        X, labels = moons(n, noise=noise, seed=seed, sampling="random")
        X = (X - np.array([0.5, 0.25])) * 0.8
    elif setup.dataset == "circles":
        X, labels = circles(n, noise=noise, seed=seed, sampling="random")
        X = X * 1.2
    elif setup.dataset == "spiral":
        # data.spiral's arms turn 4 radians, which a 2-neuron network already separates; here each turns
        # SPIRAL_TURN radians (about 1.5 turns), as in TensorFlow Playground
        labels = np.arange(n) % 2
        radius = 1.0 - rng.uniform(0.0, 1.0, n)
        angle = np.pi * labels + SPIRAL_TURN * radius
        X = 1.2 * np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
        X = X + rng.normal(0.0, noise, size=X.shape)
    elif setup.dataset == "xor":
        X = rng.uniform(-1.2, 1.2, size=(n, 2))
        labels = (X[:, 0] * X[:, 1] > 0).astype(np.int64)
        X = X + rng.normal(0.0, noise, size=X.shape)
    elif setup.dataset == "gaussians":
        labels = rng.permutation(np.arange(n) % 2)
        centres = np.where(labels[:, None] == 1, 0.6, -0.6)
        X = centres + rng.normal(0.0, 0.25 + noise, size=(n, 2))
    else:  # custom: the added points are the whole data
        return np.zeros((0, 2)), np.zeros(0)
    X = np.clip(np.asarray(X, dtype=np.float64), -EXTENT, EXTENT)
    return X, np.where(np.asarray(labels) == 1, 1.0, -1.0)


def make_points(setup: Setup) -> Points:
    """The setup's points: the generated ones (split by `test_fraction`), then the added ones (training)."""
    X, y = _generated(setup)
    held_out = round(len(y) * setup.test_fraction)
    order = np.random.default_rng([setup.seed, 2]).permutation(len(y))
    train = np.ones(len(y), dtype=bool)
    train[order[:held_out]] = False
    if setup.points:
        added = np.array(setup.points, dtype=np.float64)
        X = np.vstack([X, added[:, :2]])
        y = np.concatenate([y, added[:, 2]])
        train = np.concatenate([train, np.ones(len(added), dtype=bool)])
    return Points(X, y, train)
