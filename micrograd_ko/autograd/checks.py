"""Argument checks shared by every module, so each kind of bad input gets the same message everywhere.

Every check has the same shape, `check(value, what, ...)`, and every message
the same form::

    {what} must be {rule}, got {value!r}

`what` is "function: argument", named the way a user wrote them
(`"SGD: lr"`, `"Conv2d: kernel_size"`, `"moons: noise"`), so a message reads
`SGD: lr must be a real number, got 'fast'`.  A value of the wrong type
raises TypeError, a value of the right type that breaks the rule raises
ValueError.  Booleans are refused where a number is expected: `True` is an
int to Python but never a learning rate.

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

    Raises TypeError naming `what` for anything else, and ValueError for a
    number too large for a float (10**400), which float() would turn into an
    OverflowError; that message gives its number of digits instead of its repr.
    """
    if type(value) is float:
        return value
    if type(value) is int or (isinstance(value, numbers.Real) and not isinstance(value, bool)):
        try:
            return float(value)
        except OverflowError:
            # Its repr would be hundreds of digits (past 4300, repr itself refuses): say how long it is instead.
            digits = int(math.log10(abs(math.floor(value)))) + 1
            raise ValueError(
                f"{what} must be at most about 1.8e308 to fit a float, got a number of about {digits} digits"
            ) from None
    raise TypeError(f"{what} must be a real number, got {value!r}")


def finite_number(value: object, what: str) -> float:
    """`real_number(value, what)`, also refusing NaN and the infinities with a ValueError."""
    number = real_number(value, what)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, got {value!r}")
    return number


def integer(value: object, what: str, minimum: int | None = None) -> int:
    """`value` as an int when it is an integer (int or numpy integer; not bool) of at least `minimum`.

    TypeError for any other type (a float, even 2.0, a str, a bool); ValueError below `minimum`.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an integer, got {value!r}")
    number = int(value)
    if minimum is not None and number < minimum:
        raise ValueError(f"{what} must be >= {minimum}, got {number!r}")
    return number


def positive_integer(value: object, what: str) -> int:
    """`value` as an int when it is an integer >= 1 (a size: neurons, channels, steps).

    TypeError for any other type (a float, a str, a bool); ValueError for zero or a negative integer.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be a positive integer, got {value!r}")
    number = int(value)
    if number <= 0:
        raise ValueError(f"{what} must be a positive integer, got {number!r}")
    return number


def generator(seed: object, what: str) -> np.random.Generator:
    """A numpy random Generator from `seed`: an int >= 0 (reproducible), a Generator (its stream continues) or None.

    TypeError for any other type; ValueError for a negative int.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{what} must be an int >= 0, a numpy Generator or None, got {seed!r}")
    number = int(seed)
    if number < 0:
        raise ValueError(f"{what} must be an int >= 0, a numpy Generator or None, got {number!r}")
    return np.random.default_rng(number)


def one_of(value: object, choices: Sequence[Name], what: str) -> Name:
    """`value` when it is one of the names in `choices`.

    TypeError listing the choices when `value` is not a str; ValueError listing them for any other str.
    """
    for choice in choices:
        if isinstance(value, str) and value == choice:
            return choice
    rule = f"one of {', '.join(map(repr, choices))}"
    if not isinstance(value, str):
        raise TypeError(f"{what} must be {rule}, got {value!r}")
    raise ValueError(f"{what} must be {rule}, got {value!r}")
