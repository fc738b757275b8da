"""Argument checks that `backward_steps`, `draw`, `draw_step` and `step_through` share.

Each check takes the public function's name, so a message says which call was wrong:
`"{function}: {argument} must be {rule}, got {value!r}"`.
"""

from __future__ import annotations

from micrograd_ko.autograd import Value
from micrograd_ko.autograd.checks import integer, one_of
from micrograd_ko.viz.errors import GraphTooLargeError
from micrograd_ko.viz.style import RANKDIRS

MAX_DIGITS = 17  # enough to write any float exactly; more only adds noise digits


def check_root(root: object, function: str) -> None:
    """TypeError unless `root` is a Value."""
    if not isinstance(root, Value):
        raise TypeError(f"{function}: root must be a Value, got {root!r}")


def check_options(rankdir: str, digits: int, function: str) -> None:
    """`rankdir` one of RANKDIRS, `digits` an integer from 1 to MAX_DIGITS."""
    one_of(rankdir, RANKDIRS, f"{function}: rankdir")
    if integer(digits, f"{function}: digits", minimum=1) > MAX_DIGITS:
        raise ValueError(f"{function}: digits must be an integer from 1 to {MAX_DIGITS}, got {digits!r}")


def check_size(count: int, max_nodes: int, function: str) -> None:
    """GraphTooLargeError when a graph of `count` Values is over `max_nodes`, saying how to draw it anyway."""
    if count > max_nodes:
        raise GraphTooLargeError(
            f"{function}: max_nodes must be at least the graph's {count} Values, got {max_nodes!r}; a picture past "
            f"max_nodes={max_nodes} is unreadable and slow to lay out. Pass max_nodes={count} (or more) to draw it "
            "anyway, or draw a sub-graph: start from an intermediate Value (for example one neuron's output)."
        )
