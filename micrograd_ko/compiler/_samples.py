"""One sample in and out of a traced function: the inputs in the example's nesting, the outputs as a list.

Shared by tracing (which calls the function on the example) and the program
(which replays it on a few samples when `check=True`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from micrograd_ko.autograd import Value


def nest(flat: list[Value], shape: tuple[int, ...]) -> Any:
    """The flat list of inputs in the example's nesting: a list, or lists of lists for images."""
    if len(shape) <= 1:
        return flat
    step = math.prod(shape[1:])
    return [nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def output_list(result: Any, what: str) -> list[Value]:
    """`result` (a Value or a non-empty sequence of Values) as a list; TypeError naming `what` otherwise."""
    if isinstance(result, Value):
        return [result]
    if isinstance(result, Sequence) and result and all(isinstance(v, Value) for v in result):
        return list(result)
    raise TypeError(f"{what} must return a Value or a list of Values, got {result!r}")
