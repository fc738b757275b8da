"""The shared argument checks: what each accepts, and the one message shape for what it refuses.

Every refusal reads `{what} must be {rule}, got {value!r}`, with `what` the
"function: argument" the caller passed; a value of the wrong type is a
TypeError, a value of the right type that breaks the rule a ValueError.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from fractions import Fraction

import numpy as np
import pytest

from micrograd_ko import Value, data, losses
from micrograd_ko.autograd.checks import finite_number, generator, integer, one_of, positive_integer, real_number
from micrograd_ko.viz import draw

WHAT = "f: x"


def refusal(check: Callable[[], object], error: type[Exception]) -> str:
    """The message of the `error` that `check()` raises (fails if it raises another type or nothing)."""
    with pytest.raises(error) as caught:
        check()
    assert type(caught.value) is error  # not a subclass: the two kinds of mistake stay apart
    return str(caught.value)


# ---- what each check accepts ----------------------------------------------------------------


def test_accepted_values_come_back_converted() -> None:
    assert real_number(np.float32(0.5), WHAT) == 0.5 and type(real_number(3, WHAT)) is float
    assert finite_number(-2, WHAT) == -2.0
    assert integer(np.int64(-4), WHAT) == -4 and type(integer(np.int64(4), WHAT)) is int
    assert integer(3, WHAT, minimum=3) == 3
    assert positive_integer(np.int32(1), WHAT) == 1 and type(positive_integer(np.int32(1), WHAT)) is int
    assert one_of("pm1", ("01", "pm1"), "labels") == "pm1"
    rng = np.random.default_rng(0)
    assert generator(rng, WHAT) is rng
    assert generator(5, WHAT).random() == np.random.default_rng(5).random()
    assert isinstance(generator(None, WHAT), np.random.Generator)


# ---- the one shape, check by check -------------------------------------------------------------

REFUSALS: list[tuple[Callable[[], object], type[Exception], str]] = [
    (lambda: real_number("x", WHAT), TypeError, "f: x must be a real number, got 'x'"),
    (lambda: real_number(None, WHAT), TypeError, "f: x must be a real number, got None"),
    (lambda: real_number(True, WHAT), TypeError, "f: x must be a real number, got True"),
    (lambda: real_number(1j, WHAT), TypeError, "f: x must be a real number, got 1j"),
    (lambda: finite_number("1", WHAT), TypeError, "f: x must be a real number, got '1'"),
    (lambda: finite_number(math.nan, WHAT), ValueError, "f: x must be a finite number, got nan"),
    (lambda: finite_number(-math.inf, WHAT), ValueError, "f: x must be a finite number, got -inf"),
    (lambda: integer(2.0, WHAT), TypeError, "f: x must be an integer, got 2.0"),
    (lambda: integer("3", WHAT), TypeError, "f: x must be an integer, got '3'"),
    (lambda: integer(False, WHAT, minimum=0), TypeError, "f: x must be an integer, got False"),
    (lambda: integer(0, WHAT, minimum=1), ValueError, "f: x must be >= 1, got 0"),
    (lambda: integer(np.int64(-2), WHAT, minimum=0), ValueError, "f: x must be >= 0, got -2"),
    (lambda: positive_integer(2.5, WHAT), TypeError, "f: x must be a positive integer, got 2.5"),
    (lambda: positive_integer(3.0, WHAT), TypeError, "f: x must be a positive integer, got 3.0"),
    (lambda: positive_integer("4", WHAT), TypeError, "f: x must be a positive integer, got '4'"),
    (lambda: positive_integer(True, WHAT), TypeError, "f: x must be a positive integer, got True"),
    (lambda: positive_integer(0, WHAT), ValueError, "f: x must be a positive integer, got 0"),
    (lambda: positive_integer(np.int64(-3), WHAT), ValueError, "f: x must be a positive integer, got -3"),
    (lambda: generator(1.5, WHAT), TypeError, "f: x must be an int >= 0, a numpy Generator or None, got 1.5"),
    (lambda: generator(True, WHAT), TypeError, "f: x must be an int >= 0, a numpy Generator or None, got True"),
    (lambda: generator(-1, WHAT), ValueError, "f: x must be an int >= 0, a numpy Generator or None, got -1"),
    (lambda: one_of("c", ("a", "b"), WHAT), ValueError, "f: x must be one of 'a', 'b', got 'c'"),
    (lambda: one_of("A", ("a", "b"), WHAT), ValueError, "f: x must be one of 'a', 'b', got 'A'"),
    (lambda: one_of(1, ("a", "b"), WHAT), TypeError, "f: x must be one of 'a', 'b', got 1"),
    (lambda: one_of(None, ("a", "b"), WHAT), TypeError, "f: x must be one of 'a', 'b', got None"),
]


@pytest.mark.parametrize(("check", "error", "message"), REFUSALS)
def test_every_check_refuses_in_the_one_shape(
    check: Callable[[], object], error: type[Exception], message: str
) -> None:
    assert refusal(check, error) == message


@pytest.mark.parametrize("value", [10**400, -(10**5000), Fraction(10**400, 3)], ids=["1e400", "-1e5000", "fraction"])
def test_a_number_too_large_for_a_float_is_a_value_error_saying_its_size(value: object) -> None:
    message = refusal(lambda: real_number(value, WHAT), ValueError)
    shape = r"f: x must be at most about 1\.8e308 to fit a float, got a number of about \d+ digits"
    assert re.fullmatch(shape, message)
    assert len(message) < 100  # not the repr of a number of hundreds of digits


@pytest.mark.parametrize("value", ["PM1", ""])
def test_one_of_refuses_another_name_listing_the_choices(value: object) -> None:
    with pytest.raises(ValueError, match=rf"^moons: labels must be one of '01', 'pm1', got {value!r}$"):
        one_of(value, ("01", "pm1"), "moons: labels")


@pytest.mark.parametrize("value", [None, 1, ["01"], np.array(["01", "01"])])
def test_one_of_refuses_a_non_name_as_a_type_error_listing_the_choices(value: object) -> None:
    with pytest.raises(TypeError, match=r"^moons: labels must be one of '01', 'pm1', got "):
        one_of(value, ("01", "pm1"), "moons: labels")


# ---- callers across the package pass "function: argument" -----------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: Value(1.0, role="w"),
            "Value: role must be one of 'input', 'parameter', 'constant', 'result', got 'w'",
        ),
        (lambda: draw(Value(1.0), rankdir="up"), "draw: rankdir must be one of 'LR', 'TB', 'RL', 'BT', got 'up'"),
        pytest.param(
            lambda: data.moons(sampling="even"),
            "moons: sampling must be one of 'grid', 'random', got 'even'",
        ),
        pytest.param(lambda: data.xor(labels="pm"), "xor: labels must be one of '01', 'pm1', got 'pm'"),
        (
            lambda: losses.gan_generator_loss([Value(0.0)], kind="saturating"),
            "gan_generator_loss: kind must be one of 'non_saturating', 'minimax', got 'saturating'",
        ),
    ],
)
def test_every_choice_argument_gets_the_same_message(call: Callable[[], object], message: str) -> None:
    assert refusal(call, ValueError) == message
