"""Argument checks shared by every module, so each kind of bad input gets the same message everywhere.

Every check has the same shape, `check(value, what, ...)`: `what` names the
argument the way a user wrote it (`"SGD lr"`, `"moons: noise"`), and the
error says what was expected and what was given.  Booleans are refused where
a number is expected: `True` is an int to Python but never a learning rate.

Nothing here imports the rest of the package, so the engine can use it too.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TypeVar

import numpy as np

__all__ = ["finite_number", "generator", "integer", "one_of", "positive_integer", "real_number"]

Name = TypeVar("Name", bound=str)


def real_number(value: object, what: str) -> float:
    """`value` as a float when it is a real number (int, float, numpy scalar; not bool).

    Raises TypeError naming `what` for anything else, and ValueError for an
    integer too large for a float (10**400), which float() would turn into an OverflowError.
    """
    if type(value) is float:
        return value
    if type(value) is int or (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        try:
            return float(value)
        except OverflowError:
            digits = len(str(abs(value)))  # only an int can be too large for a float
            raise ValueError(
                f"{what} is an integer with {digits} digits, too large for a float (the largest is about 1.8e308)"
            ) from None
    raise TypeError(f"{what} must be a real number, got {type(value).__name__}: {value!r}")


def finite_number(value: object, what: str) -> float:
    """`real_number(value, what)`, also refusing NaN and the infinities with a ValueError."""
    number = real_number(value, what)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite, got {number!r}")
    return number


def integer(value: object, what: str, minimum: int | None = None) -> int:
    """`value` as an int when it is an integer (int or numpy integer; not bool) of at least `minimum`."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}: {value!r}")
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValueError(f"{what} must be >= {minimum}, got {number}")
    return number


def positive_integer(value: object, what: str) -> int:
    """`value` as an int when it is an integer >= 1 (a size: neurons, channels, steps); ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{what} must be a positive integer, got {value!r}")
    return int(value)


def generator(seed: object, what: str) -> np.random.Generator:
    """A numpy random Generator from `seed`: an int >= 0 (reproducible), a Generator (its stream continues) or None."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{what} must be an int, a numpy Generator or None, got {type(seed).__name__}: {seed!r}")
    if seed < 0:
        raise ValueError(f"{what} must be a non-negative int, got {seed}")
    return np.random.default_rng(int(seed))


def one_of(value: object, choices: Sequence[Name], what: str) -> Name:
    """`value` when it is one of the names in `choices`; ValueError listing them otherwise."""
    for choice in choices:
        if isinstance(value, str) and value == choice:
            return choice
    raise ValueError(f"{what} must be one of {', '.join(map(str, choices))}; got {value!r}")
