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


def _vector_rule(size: int) -> str:
    """The words for an input vector of `size` items, as the messages about one say it."""
    return f"a list of {size} numbers or Values" if size != 1 else "a list of 1 number or Value"


def _as_inputs(x: Sequence[Operand], expected: int, what: str) -> list[Value]:
    """Check an input vector's length and turn plain numbers into input Values; `what` is e.g. "MLP: x"."""
    if isinstance(x, str | bytes) or not isinstance(x, Sequence | np.ndarray):
        raise TypeError(f"{what} must be {_vector_rule(expected)}, got {_short(x)}")
    if len(x) != expected:
        raise ValueError(f"{what} must be {_vector_rule(expected)}, got {_length(x)}")
    inputs = []
    for i, item in enumerate(x):
        if isinstance(item, Value):
            value = item
        else:
            try:
                value = Value(item, label=f"x{i + 1}")
            except (TypeError, ValueError) as error:  # Value's own message would not say which input
                raise type(error)(f"{what}[{i}] must be a finite number or a Value, got {_short(item)}") from None
        if not math.isfinite(value.data):
            raise ValueError(f"{what}[{i}] must be finite, got {value.data!r}")
        inputs.append(value)
    return inputs


def _length(x: Sequence[Any]) -> str:
    """How long `x` is, in words for a message: "3 items", or an array's shape."""
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    return "1 item" if len(x) == 1 else f"{len(x)} items"


_BATCH_RULE = "a non-empty list of samples (one sample x is the batch [x])"  # the words every batch message uses


def _as_batch(batch: Any, owner: str) -> Batch:
    """Check that `batch` is a non-empty list of samples and turn its numbers into Values."""
    if isinstance(batch, np.ndarray):
        batch = batch.tolist()
    if isinstance(batch, Value) or not isinstance(batch, list | tuple):
        raise TypeError(f"{owner}: batch must be {_BATCH_RULE}, got {_short(batch)}")
    if len(batch) == 0:
        raise ValueError(f"{owner}: batch must be {_BATCH_RULE}, got {_short(batch)}")
    for i, sample in enumerate(batch):
        if not isinstance(sample, list | tuple | np.ndarray):
            raise TypeError(
                f"{owner}: batch[{i}] must be a sample, a list of numbers or Values (one sample x is the batch "
                f"[x]), got {_short(sample)}"
            )
    try:
        converted: Batch = _as_value_tree(batch)
    except (TypeError, ValueError):
        _refuse_input(batch, "batch", owner)
        raise  # _refuse_input found every item fine: the error came from elsewhere
    return converted


def _as_value_tree(x: Any) -> Any:
    """Nested lists (or numpy arrays) of numbers and Values, with every number turned into an input Value.

    Raises TypeError or ValueError on the first item that is no finite number; `_refuse_input` then says which.
    """
    if isinstance(x, Value):
        return x
    if isinstance(x, list | tuple):
        return [_as_value_tree(item) for item in x]
    if isinstance(x, np.ndarray):
        return _as_value_tree(x.tolist())
    value = Value(x, label="x")
    if not math.isfinite(value.data):
        raise ValueError("not finite")
    return value


def _refuse_input(x: Any, where: str, owner: str) -> None:
    """Raise the error about the first item of nested lists that is no finite number or Value, by its index."""
    if isinstance(x, Value):
        return
    if isinstance(x, list | tuple | np.ndarray):
        for i, item in enumerate(x):
            _refuse_input(item, f"{where}[{i}]", owner)
        return
    try:
        number = Value(x).data
    except (TypeError, ValueError) as error:
        raise type(error)(f"{owner}: {where} must be a finite number or a Value, got {_short(x)}") from None
    if not math.isfinite(number):
        raise ValueError(f"{owner}: {where} must be finite, got {number!r}")


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
