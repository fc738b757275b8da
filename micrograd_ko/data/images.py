"""Real images without a download: scikit-learn's 8 x 8 handwritten digits, and rows of pixels as images."""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from micrograd_ko.data._common import features
from micrograd_ko.data.dataset import Dataset

__all__ = ["DIGIT_SHAPE", "as_images", "digits"]

DIGITS_INSTALL_HINT = 'pip install "micrograd_ko[notebooks]"  (or: pip install scikit-learn)'
"""How to install scikit-learn, which `digits` reads its images from."""

DIGIT_SHAPE = (1, 8, 8)
"""The shape of one `digits` image as a sample for `nn.Conv2d`: one channel of 8 x 8 pixels."""


def digits() -> Dataset:
    """The 1,797 handwritten digits of scikit-learn (``sklearn.datasets.load_digits``), 8 x 8 pixels each.

    The offline stand-in for MNIST: the images ship inside scikit-learn, so
    nothing is downloaded.  ``X`` is float64 ``(1797, 64)``, one row per image
    read row by row (``pixel_r_c`` is row r, column c), scaled from the
    original 0..16 grey levels to [0, 1]; ``y`` holds int64 digits 0..9.
    ``as_images(X)`` turns rows into images ``[channel][row][col]`` for `nn.Conv2d`.

    Needs scikit-learn, which comes with the ``notebooks`` extra; without it an
    ImportError says how to install it.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:
        raise ImportError(f"digits: needs scikit-learn, which is not installed: {DIGITS_INSTALL_HINT}") from error
    bunch = load_digits()
    X = np.asarray(bunch.data, dtype=np.float64) / 16.0
    y = np.asarray(bunch.target, dtype=np.int64)
    names = tuple(f"pixel_{r}_{c}" for r in range(8) for c in range(8))
    return Dataset(X, y, names, "digit")


def as_images(X: npt.ArrayLike, shape: tuple[int, int, int] = DIGIT_SHAPE) -> list[Any]:
    """Rows of pixels as a batch of images: nested lists ``[sample][channel][row][col]`` of floats.

    Each row of ``X`` (shape ``(n, channels·height·width)``) is read in
    row-major order, the layout `digits` uses and ``nn.Flatten`` undoes.
    """
    rows = features("as_images", X)
    rule = f"as_images: shape must be (channels, height, width) of positive ints, got {shape!r}"
    if isinstance(shape, (str, bytes)) or not isinstance(shape, Iterable):
        raise TypeError(rule)
    dims = tuple(shape)
    if any(isinstance(s, bool) or not isinstance(s, numbers.Integral) for s in dims):
        raise TypeError(rule)
    if len(dims) != 3 or any(s < 1 for s in dims):
        raise ValueError(rule)
    size = int(np.prod(dims))
    if rows.shape[1] != size:
        raise ValueError(
            f"as_images: X must be rows of {size} values to form images of shape {shape}, "
            f"got rows of {rows.shape[1]} values"
        )
    images: list[Any] = rows.reshape(-1, *dims).tolist()
    return images
