"""Every option of draw, draw_step, save, step_through and save_steps is checked, in the house's one message shape."""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from micrograd_ko import Value
from micrograd_ko.viz import GraphTooLargeError, backward_steps, draw, draw_step, save, save_steps, step_through
from tests.viz.graphs import requires_dot

# (option, bad value, error): each is refused by every function that takes the option.
BAD_OPTIONS: list[tuple[str, object, type[Exception]]] = [
    ("rankdir", "up", ValueError),
    ("rankdir", 1, TypeError),
    ("digits", 0, ValueError),
    ("digits", 18, ValueError),
    ("digits", 4.0, TypeError),
    ("digits", "4", TypeError),
    ("max_nodes", 10.5, TypeError),
    ("max_nodes", -1, ValueError),
    ("max_nodes", 0, ValueError),
    ("max_nodes", "500", TypeError),
    ("max_nodes", True, TypeError),
    ("show_local_grad", "yes", TypeError),
    ("legend", 1, TypeError),
    ("show_grad", None, TypeError),
    ("grads_computed", "no", TypeError),
    ("title", 5, TypeError),
    ("grad_scale", math.nan, ValueError),
    ("grad_scale", math.inf, ValueError),
    ("grad_scale", 0.0, ValueError),
    ("grad_scale", -1.0, ValueError),
    ("grad_scale", "big", TypeError),
    ("element_id", 7, TypeError),
    ("element_id", "1 bad", ValueError),
]


def graph() -> Value:
    x = Value(2.0, label="x")
    return (x * x).tanh()


def calls(tmp_path: Path) -> dict[str, Callable[..., object]]:
    """Each public function, called on the same small graph with the given options."""
    y = graph()
    step = next(backward_steps(y))
    return {
        "draw": lambda **options: draw(y, **options),
        "draw_step": lambda **options: draw_step(step, **options),
        "save": lambda **options: save(y, tmp_path / "graph.dot", **options),
        "step_through": lambda **options: step_through(y, **options),
        "save_steps": lambda **options: save_steps(y, tmp_path / "steps", **options),
    }


CASES = [
    (function, option, value, error)
    for function, takes in {
        "draw": inspect.signature(draw).parameters,
        "draw_step": inspect.signature(draw_step).parameters,
        "save": inspect.signature(draw).parameters,  # save passes draw's options on
        "step_through": inspect.signature(step_through).parameters,
        "save_steps": inspect.signature(save_steps).parameters,
    }.items()
    for option, value, error in BAD_OPTIONS
    if option in takes
]


@pytest.mark.parametrize(("function", "option", "value", "error"), CASES)
def test_every_option_is_checked_in_one_shape(
    tmp_path: Path, function: str, option: str, value: object, error: type[Exception]
) -> None:
    with pytest.raises(error) as caught:
        calls(tmp_path)[function](**{option: value})
    assert type(caught.value) is error
    assert re.fullmatch(rf"{function}: {option} must be .+, got {re.escape(repr(value))}", str(caught.value))
    assert list(tmp_path.iterdir()) == []  # a failed call writes nothing, not even save_steps' folder


def test_every_option_of_every_function_has_a_case() -> None:
    checked = {(function, option) for function, option, _, _ in CASES}
    for function, signature in (
        ("draw", inspect.signature(draw)),
        ("draw_step", inspect.signature(draw_step)),
        ("step_through", inspect.signature(step_through)),
        ("save_steps", inspect.signature(save_steps)),
    ):
        options = [name for name, p in signature.parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY]
        assert {(function, option) for option in options} <= checked


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda p: save(3.0, p / "g.svg"), TypeError, "save: root must be a Value, got 3.0"),
        (lambda p: save(graph(), 5), TypeError, "save: path must be a str or a path, got 5"),
        (lambda p: save(graph(), p / "g", format=5), TypeError, "save: format must be one of .* or None, got 5"),
        (lambda p: save_steps(graph(), None), TypeError, "save_steps: directory must be a str or a path, got None"),
        (lambda p: save_steps(3.0, p / "s"), TypeError, "save_steps: root must be a Value, got 3.0"),
    ],
)
def test_paths_roots_and_formats_are_checked(
    tmp_path: Path, call: Callable[[Path], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=f"^{message}$"):
        call(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_too_large_a_graph_for_save_steps_makes_no_folder(tmp_path: Path) -> None:
    with pytest.raises(GraphTooLargeError, match=r"^save_steps: max_nodes must be at least the graph's 3 Values"):
        save_steps(graph(), tmp_path / "steps", max_nodes=2)
    assert not (tmp_path / "steps").exists()


def chain(length: int) -> Value:
    y = Value(0.1, label="x")
    for _ in range(length):
        y = y.tanh()
    return y


@requires_dot
def test_max_nodes_none_means_no_limit() -> None:
    y = chain(500)  # 501 Values, one past the default limit
    with pytest.raises(GraphTooLargeError, match="max_nodes=None for no limit"):
        draw(y)
    assert draw(y, max_nodes=None).source.count("label=tanh") == 500
    assert draw_step(next(backward_steps(y)), max_nodes=None).source.count("label=tanh") == 500
    assert len(step_through(y, max_nodes=None, legend=False).frames) == 501


def test_the_drawing_functions_share_their_defaults() -> None:
    def defaults(function: Callable[..., Any]) -> dict[str, object]:
        return {name: p.default for name, p in inspect.signature(function).parameters.items()}

    drawing, page, saved = defaults(draw), defaults(step_through), defaults(save_steps)
    assert defaults(draw_step)["max_nodes"] == drawing["max_nodes"] == page["max_nodes"] == saved["max_nodes"] == 500
    assert defaults(draw_step)["digits"] == drawing["digits"] == page["digits"] == saved["digits"] == 4
    assert {name: saved[name] for name in page} == page  # save_steps takes step_through's options, same defaults


@requires_dot
def test_save_steps_writes_what_step_through_shows_by_default(tmp_path: Path) -> None:
    y = Value(1 / 3, label="x") * Value(2 / 7, label="w")
    text = save_steps(y, tmp_path / "steps", element_id="v").read_text(encoding="utf-8")
    assert step_through(y, element_id="v").page() == text
    assert "grad 0.2857" in text and "grad 0.28571" not in text  # draw's 4 digits
