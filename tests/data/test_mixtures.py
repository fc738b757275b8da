"""gaussian_mixture's sequence arguments: a single number or a str where a sequence belongs is named, not iterated."""

from __future__ import annotations

import pytest

from micrograd_ko import data


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"means": 5}, "gaussian_mixture: means must be a sequence of real numbers, got 5"),
        ({"stds": 0.5}, "gaussian_mixture: stds must be a sequence of real numbers, got 0.5"),
        ({"weights": 1}, "gaussian_mixture: weights must be a sequence of real numbers, got 1"),
        ({"means": "ab"}, "gaussian_mixture: means must be a sequence of real numbers, got 'ab'"),
        ({"means": (0.0, "x")}, "gaussian_mixture: means must be a sequence of real numbers, got (0.0, 'x')"),
    ],
)
def test_gaussian_mixture_names_an_argument_that_is_not_a_sequence_of_numbers(
    kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(TypeError) as caught:
        data.gaussian_mixture(**kwargs)  # type: ignore[arg-type]
    assert str(caught.value) == message
