"""The shared argument checks: what each accepts, and the one message shape for what it refuses."""

from __future__ import annotations

import numpy as np
import pytest

from micrograd_ko import Value, data, losses
from micrograd_ko.autograd.checks import one_of
from micrograd_ko.viz import draw


def test_one_of_returns_the_matching_choice() -> None:
    assert one_of("pm1", ("01", "pm1"), "labels") == "pm1"


@pytest.mark.parametrize("value", ["PM1", "", None, 1, ["01"], np.array(["01", "01"])])
def test_one_of_refuses_anything_else_listing_the_choices(value: object) -> None:
    with pytest.raises(ValueError, match=r"^moons\(\): labels must be one of 01, pm1; got "):
        one_of(value, ("01", "pm1"), "moons(): labels")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Value(1.0, role="w"), "Value: role must be one of input, parameter, constant, result; got 'w'"),
        (lambda: draw(Value(1.0), rankdir="up"), "draw: rankdir must be one of LR, TB, RL, BT; got 'up'"),
        (lambda: data.moons(sampling="even"), r"moons: sampling must be one of grid, random; got 'even'"),
        (lambda: data.xor(labels="pm"), r"xor: labels must be one of 01, pm1; got 'pm'"),
        (
            lambda: losses.gan_generator_loss([Value(0.0)], kind="saturating"),
            "gan_generator_loss: kind must be one of non_saturating, minimax; got 'saturating'",
        ),
    ],
)
def test_every_choice_argument_gets_the_same_message(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]
