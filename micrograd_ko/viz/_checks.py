"""Argument checks that every public function of `viz` shares: one table of options, one message shape.

Each check takes the public function's name, so a message says which call was wrong:
`"{function}: {argument} must be {rule}, got {value!r}"` (TypeError for a wrong type, ValueError
for a wrong value).  The defaults every drawing function shares live here too, so `draw`,
`draw_step`, `step_through` and `save_steps` cannot drift apart.
"""

from __future__ import annotations

import numbers
import os
import re
from collections.abc import Callable

from micrograd_ko.autograd import Value
from micrograd_ko.autograd.checks import finite_number, integer, one_of
from micrograd_ko.viz.errors import GraphTooLargeError
from micrograd_ko.viz.style import RANKDIRS

MAX_DIGITS = 17  # enough to write any float exactly; more only adds noise digits
DIGITS = 4
"""The default number of significant digits of every drawing."""
MAX_NODES = 500
"""The default largest graph a drawing accepts: past it a picture is unreadable and slow to lay out."""

_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")


def check_root(root: object, function: str) -> None:
    """TypeError unless `root` is a Value."""
    if not isinstance(root, Value):
        raise TypeError(f"{function}: root must be a Value, got {root!r}")


def check_path(path: object, what: str) -> None:
    """TypeError unless `path` is a str or a path-like object (a file or folder name)."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{what} must be a str or a path, got {path!r}")


def _rankdir(value: object, what: str) -> None:
    one_of(value, RANKDIRS, what)


def _digits(value: object, what: str) -> None:
    if integer(value, what, minimum=1) > MAX_DIGITS:
        raise ValueError(f"{what} must be an integer from 1 to {MAX_DIGITS}, got {value!r}")


def _max_nodes(value: object, what: str) -> None:
    rule = f"{what} must be a positive integer or None (no limit), got {value!r}"
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(rule)
    if value < 1:
        raise ValueError(rule)


def _flag(value: object, what: str) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{what} must be True or False, got {value!r}")


def _flag_or_none(value: object, what: str) -> None:
    if value is not None and not isinstance(value, bool):
        raise TypeError(f"{what} must be True, False or None, got {value!r}")


def _text_or_none(value: object, what: str) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{what} must be a str or None, got {value!r}")


def _grad_scale(value: object, what: str) -> None:
    if value is not None and finite_number(value, what) <= 0.0:
        raise ValueError(f"{what} must be a positive number or None, got {value!r}")


def _element_id(value: object, what: str) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a str or None, got {value!r}")
    if not _ID.match(value):
        raise ValueError(f"{what} must be a letter then letters, digits, - or _, got {value!r}")


_RULES: dict[str, Callable[[object, str], None]] = {
    "rankdir": _rankdir,
    "digits": _digits,
    "max_nodes": _max_nodes,
    "show_grad": _flag,
    "show_local_grad": _flag,
    "legend": _flag,
    "grads_computed": _flag_or_none,
    "title": _text_or_none,
    "grad_scale": _grad_scale,
    "element_id": _element_id,
}


def check_options(function: str, **options: object) -> None:
    """Check each drawing option by its rule; a name without a rule is left for Python's own TypeError."""
    for name, value in options.items():
        rule = _RULES.get(name)
        if rule is not None:
            rule(value, f"{function}: {name}")


def check_size(count: int, max_nodes: int | None, function: str) -> None:
    """GraphTooLargeError when a graph of `count` Values is over `max_nodes` (None: no limit), saying what to do."""
    if max_nodes is not None and count > max_nodes:
        raise GraphTooLargeError(
            f"{function}: max_nodes must be at least the graph's {count} Values, got {max_nodes!r}; a picture past "
            f"max_nodes={max_nodes} is unreadable and slow to lay out. Pass max_nodes={count} (or more), or "
            "max_nodes=None for no limit, to draw it anyway, or draw a sub-graph: start from an intermediate Value "
            "(for example one neuron's output)."
        )
