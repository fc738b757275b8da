"""The recording of a playground run: one frame per step, enough for a page to redraw every step.

A `Frame` holds the weights w_t at step t, the gradient of that step's batch
∂L/∂w (the update Δw = -lr · ∂L/∂w for plain SGD), the mean losses on the
training and test points and the learning rate.  The surface and every
neuron's output map are not stored: the page recomputes them from the
weights (a 2-4-4-1 network is 37 numbers a step), which keeps a 300-step run
far under a megabyte.  `Recording.to_dict(points)` is the JSON the page reads.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from micrograd_ko.playground.points import Points
from micrograd_ko.playground.setup import Setup

__all__ = ["Frame", "Recording", "finite_or_none"]


@dataclass(frozen=True)
class Frame:
    """Step `step` of a run: weights (in `model.parameters()` order), the batch gradient, the losses, lr.

    `test_loss` is None when the setup holds no test points.
    """

    step: int
    weights: tuple[float, ...]
    grads: tuple[float, ...]
    train_loss: float
    test_loss: float | None
    lr: float

    def to_list(self) -> list[Any]:
        """[step, weights, grads, train_loss, test_loss, lr]: the compact form the page reads (inf, NaN as None)."""
        return [
            self.step, finite_or_none(self.weights), finite_or_none(self.grads),
            *finite_or_none((self.train_loss, self.test_loss)), self.lr,
        ]  # fmt: skip


def finite_or_none(values: Iterable[float | None]) -> list[float | None]:
    """The numbers with inf and NaN (which JSON cannot hold) replaced by None, which the page shows as '–'."""
    return [v if v is not None and math.isfinite(v) else None for v in values]


class Recording:
    """Every frame of a run since its last start, with the setup it started from and the layer sizes."""

    def __init__(self, setup: Setup, sizes: list[int]) -> None:
        """An empty recording of a run of `setup` through a network of `sizes` (inputs first)."""
        self.setup = setup
        self.sizes = list(sizes)
        self.frames: list[Frame] = []

    def add(self, frame: Frame, *, replace: bool = False) -> None:
        """Append `frame`; with `replace`, it takes the place of the last frame (the same step, redone)."""
        if replace and self.frames:
            self.frames[-1] = frame
        else:
            self.frames.append(frame)

    def losses(self) -> list[float]:
        """The training loss at every recorded step."""
        return [frame.train_loss for frame in self.frames]

    def __len__(self) -> int:
        return len(self.frames)

    def to_dict(self, points: Points, setup: Setup | None = None) -> dict[str, Any]:
        """What the page reads: the setup (text and settings), sizes, points and every frame."""
        shown = setup or self.setup
        return {
            "version": 1,
            "setup": shown.to_dict(),
            "setup_text": shown.to_text(),
            "sizes": self.sizes,
            "activation": shown.activation,
            "points": [[float(x1), float(x2)] for x1, x2 in points.X.tolist()],
            "labels": [int(v) for v in points.y.tolist()],
            "train": [bool(t) for t in points.train.tolist()],
            "frames": [frame.to_list() for frame in self.frames],
        }
