"""Teachers' presets: a lesson's settings fixed, and the controls it does not need hidden.

`PRESETS[name]` is a `Setup`; `Playground(preset="lr_too_large")` starts from
it, and its `to_text()` is the line a teacher hands out.  The four follow
notebook 16's order.
"""

from __future__ import annotations

from micrograd_ko.autograd.checks import one_of
from micrograd_ko.playground.setup import Setup

__all__ = ["PRESETS", "preset"]

_FIXED_NETWORK = ("activation", "layers", "optimizer", "dataset", "l2", "batch_size")

PRESETS: dict[str, Setup] = {
    # 1. a learning rate too large: the loss jumps instead of falling; only the learning rate may change
    "lr_too_large": Setup(dataset="moons", lr=10.0, batch_size=200, hidden=(*_FIXED_NETWORK, "noise")),
    # 2. too few neurons for the spiral: the learner adds neurons and layers
    "spiral_few_neurons": Setup(
        dataset="spiral", n=200, noise=0.0, layers=(2,), optimizer="adam", lr=0.03, batch_size=20,
        hidden=("dataset", "optimizer", "noise"),
    ),
    # 3. L2 against overfitting: few noisy points, a big network; only L2 and the learning rate change
    "l2_overfitting": Setup(
        dataset="moons", n=40, noise=0.35, layers=(8, 8), optimizer="adam", lr=0.03, batch_size=20,
        hidden=("dataset", "layers", "activation", "optimizer", "batch_size", "noise"),
    ),
    # 4. add points where the boundary is wrong
    "add_points": Setup(dataset="gaussians", n=20, noise=0.2, layers=(4,), batch_size=20, hidden=_FIXED_NETWORK),
}
"""The lessons by name."""


def preset(name: str) -> Setup:
    """The setup of lesson `name` (one of `PRESETS`)."""
    return PRESETS[one_of(name, tuple(PRESETS), "preset: name")]
