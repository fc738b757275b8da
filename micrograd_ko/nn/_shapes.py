"""Shared internals of `nn`: checking and converting inputs, the shapes of nested lists, kernel-size pairs."""

from __future__ import annotations

import math
import reprlib
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from micrograd_ko.autograd import Operand, Value

Batch = list[Any]
"""A batch: a list of samples; a sample is a list of Values, or a nested list `[channel][row][col]` for an image."""


def shape_of(sample: Any) -> tuple[int, ...]:
    """The shape of a sample (or a batch) of nested lists, e.g. (1, 8, 8) for a one-channel 8x8 image.

    Raises ValueError when the nesting is ragged (rows of different lengths).
    """
    if isinstance(sample, Value) or not isinstance(sample, list | tuple):
        return ()
    if len(sample) == 0:
        return (0,)
    inner = [shape_of(item) for item in sample]
    if any(s != inner[0] for s in inner):
        raise ValueError(f"shape_of: sample must not be ragged, got items of shapes {sorted(set(inner))}")
    return (len(sample), *inner[0])


def _pair(value: object, what: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints (height, width), each >= minimum, as PyTorch's kernel_size/stride/padding."""
    items = value if isinstance(value, tuple | list) else (value, value)
    if any(isinstance(v, bool) or not isinstance(v, int | np.integer) for v in items):
        raise TypeError(f"{what} must be an int or a pair of ints, got {value!r}")
    if len(items) != 2 or any(v < minimum for v in items):
        raise ValueError(f"{what} must be an int >= {minimum} or a pair of them, got {value!r}")
    return int(items[0]), int(items[1])


def _as_inputs(x: Sequence[Operand], expected: int, owner: str) -> list[Value]:
    """Check an input vector's length and turn plain numbers into input Values."""
    if isinstance(x, str | bytes) or not isinstance(x, Sequence | np.ndarray):
        raise TypeError(f"{owner} expects a list of {expected} numbers or Values, got {type(x).__name__}")
    if len(x) != expected:
        raise ValueError(f"{owner} expects {expected} inputs, got {len(x)}")
    inputs = []
    for i, item in enumerate(x):
        value = item if isinstance(item, Value) else Value(item, label=f"x{i + 1}")
        if not math.isfinite(value.data):
            raise ValueError(f"{owner} input {i} is {value.data!r}: inputs must be finite")
        inputs.append(value)
    return inputs


def _as_value_tree(x: Any, owner: str) -> Any:
    """Nested lists (or numpy arrays) of numbers and Values, with every number turned into an input Value."""
    if isinstance(x, Value):
        return x
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, list | tuple):
        return [_as_value_tree(item, owner) for item in x]
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        raise TypeError(f"{owner}: an input is {type(x).__name__} {x!r}; expected a number or a Value")
    value = Value(float(x), label="x")
    if not math.isfinite(value.data):
        raise ValueError(f"{owner}: an input is {value.data!r}; inputs must be finite")
    return value


def _as_batch(batch: Any, owner: str) -> Batch:
    """Check that `batch` is a non-empty list of samples and turn its numbers into Values."""
    if isinstance(batch, np.ndarray):
        batch = batch.tolist()
    if isinstance(batch, Value) or not isinstance(batch, list | tuple) or len(batch) == 0:
        raise TypeError(
            f"{owner} expects a batch: a non-empty list of samples (one sample x is the batch [x]), "
            f"got {type(batch).__name__}"
        )
    if not all(isinstance(sample, list | tuple | np.ndarray) for sample in batch):
        raise TypeError(
            f"{owner} expects a batch: a list of samples, each a list of Values; got a list of single numbers "
            "(wrap one sample x as [x])"
        )
    converted: Batch = _as_value_tree(batch, owner)
    return converted


def _map_values(fn: Callable[[Value], Value], x: Any) -> Any:
    """Apply `fn` to every Value of a nested list, keeping the nesting."""
    if isinstance(x, Value):
        return fn(x)
    return [_map_values(fn, item) for item in x]


def _flat_values(x: Any) -> list[Value]:
    """Every Value of a nested list in row-major order (the order of torch.flatten)."""
    if isinstance(x, Value):
        return [x]
    return [v for item in x for v in _flat_values(item)]


def _short(data: object) -> str:
    """repr of data from outside (a file, a user's argument), cut short: an error message must stay small."""
    return _SHORT.repr(data)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 3, 200, 200, 40
