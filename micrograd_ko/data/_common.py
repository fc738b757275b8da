"""What several data files share: the float array type and the checks of noise, fractions and feature arrays.

Private to `micrograd_ko.data`.  Every message names the public function that
was called, in the package's one shape:
``"{function}: {argument} must be {rule}, got {value!r}"``.
"""

from __future__ import annotations

import math
import reprlib
from typing import Any

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd.checks import real_number

FloatArray = npt.NDArray[np.float64]
"""A float64 numpy array: features, prices, statistics."""


def check_noise(func: str, noise: object) -> float:
    """``noise`` as a float when it is a finite number >= 0 (a standard deviation)."""
    value = real_number(noise, f"{func}: noise")
    if not (math.isfinite(value) and value >= 0.0):
        raise ValueError(f"{func}: noise must be a finite number >= 0, got {noise!r}")
    return value


def check_fraction(func: str, name: str, value: object) -> float:
    """``value`` as a float when it lies strictly between 0 and 1 (a ratio such as a test fraction)."""
    fraction = real_number(value, f"{func}: {name}")
    if not 0.0 < fraction < 1.0:
        raise ValueError(f"{func}: {name} must be strictly between 0 and 1, got {value!r}")
    return fraction


def short_repr(value: object) -> str:
    """repr of a user's argument cut short (nested lists of a whole data set would fill the screen)."""
    return _SHORT.repr(value)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxother = 3, 8, 200


def real_numbers(func: str, name: str, values: object) -> list[float]:
    """``values`` as a list of floats when it is a sequence (tuple, list, numpy array) of real numbers.

    TypeError naming ``func: name`` for a single number, a str or a sequence holding anything else.
    """
    refusal = TypeError(f"{func}: {name} must be a sequence of real numbers, got {short_repr(values)}")
    if isinstance(values, (str, bytes)):  # iterable, but its items are letters, not numbers
        raise refusal
    try:
        return [real_number(item, f"{func}: {name}") for item in values]  # type: ignore[attr-defined]
    except TypeError:
        raise refusal from None


def real_array(func: str, X: object) -> npt.NDArray[Any]:
    """``X`` as a numpy array when its dtype holds real numbers (integers or floats; not bool, str or complex).

    A ragged ``X`` (rows of different lengths) is a ValueError naming ``func``, not numpy's own message.
    """
    try:
        array = np.asarray(X)
    except ValueError:
        raise ValueError(
            f"{func}: X must be a rectangular array (every row of the same length), got {short_repr(X)}"
        ) from None
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise TypeError(f"{func}: X must be an array of real numbers, got an array of dtype {array.dtype}")
    return array


def features(func: str, X: object) -> FloatArray:
    """``X`` as a float64 matrix of shape ``(n_samples, n_features)`` with at least one row."""
    array = real_array(func, X)
    if array.ndim != 2:
        raise ValueError(f"{func}: X must be 2-D with shape (n_samples, n_features), got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{func}: X must be non-empty (at least one row), got shape {array.shape}")
    return array.astype(np.float64)


def features_and_targets(func: str, X: object, y: object) -> tuple[FloatArray, npt.NDArray[Any]]:
    """`features` of ``X`` and ``y`` as an array of one target row per row of ``X``."""
    rows = features(func, X)
    targets = np.asarray(y)
    if targets.ndim not in (1, 2):
        raise ValueError(f"{func}: y must be of shape (n_samples,) or (n_samples, k), got shape {targets.shape}")
    if targets.shape[0] != rows.shape[0]:
        raise ValueError(f"{func}: y must be as long as X ({rows.shape[0]} rows), got {targets.shape[0]} rows")
    return rows, targets
