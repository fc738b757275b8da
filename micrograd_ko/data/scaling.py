"""Rescaling features: standardization and min-max normalization, with the statistics they fitted.

Each function returns its statistics next to the result, so test data is
rescaled with the *training* statistics, as a trained model expects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from micrograd_ko.data._common import FloatArray, real_array

__all__ = ["MinMaxScaling", "Standardization", "normalize", "standardize"]


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


def _same_shape(owner: str, name: str, reference: str, array: FloatArray, shape: tuple[int, ...]) -> None:
    if array.shape != shape:
        raise ValueError(f"{owner}: {name} must be of {reference}'s shape {shape}, got shape {array.shape}")


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
        _same_shape("Standardization", "std", "mean", std, mean.shape)
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
        _same_shape("MinMaxScaling", "range", "min", span, low.shape)
        object.__setattr__(self, "min", low)
        object.__setattr__(self, "range", span)

    def inverse(self, Z: npt.ArrayLike) -> FloatArray:
        """Map normalized values back to the original scale: ``x = z · range + min``."""
        return np.asarray(Z, dtype=np.float64) * self.range + self.min


def _finite_columns(func: str, X: object) -> FloatArray:
    array = real_array(func, X)
    if array.ndim not in (1, 2) or array.shape[0] == 0:
        raise ValueError(
            f"{func}: X must be of shape (n_samples, n_features) or (n_samples,) with at least one row, "
            f"got shape {array.shape}"
        )
    columns = array.astype(np.float64)
    if not np.all(np.isfinite(columns)):
        where = tuple(int(i) for i in np.argwhere(~np.isfinite(columns))[0])
        raise ValueError(f"{func}: X must be finite, got {float(columns[where])!r} at index {where}")
    return columns


def _fitted(
    func: str, names: tuple[str, str], statistic: FloatArray, scale: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The two fitted statistics, finite, with a scale of 0 (a constant column) stored as 1."""
    for name, values in zip(names, (statistic, scale)):
        if not np.all(np.isfinite(values)):
            bad = float(np.ravel(values)[~np.isfinite(np.ravel(values))][0])
            raise ValueError(
                f"{func}: X must be small enough for its column {name} to fit in a float64 "
                f"(divide X by a large constant first), got a column {name} of {bad!r}"
            )
    return statistic, np.where(scale == 0.0, 1.0, scale)


def _check_stats_shape(func: str, columns: FloatArray, stats_shape: tuple[int, ...]) -> None:
    if columns.shape[1:] != stats_shape:
        raise ValueError(
            f"{func}: X must be rows of shape {stats_shape}, the shape the stats were fitted on, "
            f"got rows of shape {columns.shape[1:]}"
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
    columns = _finite_columns("standardize", X)
    if stats is None:
        with np.errstate(over="ignore", invalid="ignore"):
            fitted = _fitted("standardize", ("mean", "std"), columns.mean(axis=0), columns.std(axis=0))
        stats = Standardization(*fitted)
    elif not isinstance(stats, Standardization):
        raise TypeError(f"standardize: stats must be a Standardization or None, got {stats!r}")
    _check_stats_shape("standardize", columns, stats.mean.shape)
    return (columns - stats.mean) / stats.std, stats


def normalize(X: npt.ArrayLike, stats: MinMaxScaling | None = None) -> tuple[FloatArray, MinMaxScaling]:
    """Rescale each column into [0, 1] (min-max scaling): ``x' = (x − min) / (max − min)``.

    With ``stats=None`` the minimum and range are fitted on ``X``; pass the
    returned `MinMaxScaling` to transform test data with the training
    statistics (test values outside the training range land outside [0, 1]).

    ``X`` has shape ``(n, d)``, or ``(n,)`` for a single column.  It must be
    finite.  A constant column becomes all zeros (see `MinMaxScaling`).
    Returns the float64 result and the stats.
    """
    columns = _finite_columns("normalize", X)
    if stats is None:
        low = columns.min(axis=0)
        with np.errstate(over="ignore"):
            stats = MinMaxScaling(*_fitted("normalize", ("min", "range"), low, columns.max(axis=0) - low))
    elif not isinstance(stats, MinMaxScaling):
        raise TypeError(f"normalize: stats must be a MinMaxScaling or None, got {stats!r}")
    _check_stats_shape("normalize", columns, stats.min.shape)
    return (columns - stats.min) / stats.range, stats
