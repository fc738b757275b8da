"""gradcheck: passes on every op and on composites, fails usefully, and recognises kinks."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micrograd_ko import CustomOp, GradcheckError, Value, gradcheck
from micrograd_ko.testing import values

Fn = Callable[..., Value]

# Every engine op, each with a domain that keeps finite differences away from kinks and edges.
AWAY_FROM_ZERO = values(-3, 3, avoid=[0.0], margin=0.05)
POSITIVE = values(0.2, 4)
ANY = values(-3, 3)
OPS: dict[str, tuple[Fn, list[st.SearchStrategy[float]]]] = {
    "+": (lambda a, b: a + b, [ANY, ANY]),
    "-": (lambda a, b: a - b, [ANY, ANY]),
    "*": (lambda a, b: a * b, [ANY, ANY]),
    "/": (lambda a, b: a / b, [ANY, POSITIVE]),
    "** number": (lambda a: a**3, [ANY]),
    "** fraction": (lambda a: a**-1.5, [POSITIVE]),
    "** Value": (lambda a, b: a**b, [POSITIVE, ANY]),
    "rpow": (lambda a: 2.5**a, [ANY]),
    "neg": (lambda a: -a, [ANY]),
    "abs": (abs, [AWAY_FROM_ZERO]),
    "exp": (Value.exp, [ANY]),
    "log": (Value.log, [POSITIVE]),
    "sqrt": (Value.sqrt, [POSITIVE]),
    "tanh": (Value.tanh, [ANY]),
    "sigmoid": (Value.sigmoid, [values(-10, 10)]),
    "relu": (Value.relu, [AWAY_FROM_ZERO]),
    "leaky_relu": (lambda a: a.leaky_relu(0.2), [AWAY_FROM_ZERO]),
    "elu": (lambda a: a.elu(0.7), [AWAY_FROM_ZERO]),
    "softplus": (Value.softplus, [values(-10, 10)]),
    "step": (Value.step, [AWAY_FROM_ZERO]),
    "sum": (lambda a, b, c: Value.sum([a, b, a, c, 2.0]), [ANY, ANY, ANY]),
    "dot": (lambda a, b, c: Value.dot([a, b], [c, a], bias=b), [ANY, ANY, ANY]),
}


@pytest.mark.parametrize("name", OPS)
@given(data=st.data())
def test_gradcheck_passes_on_every_op(name: str, data: st.DataObject) -> None:
    fn, domains = OPS[name]
    point = [data.draw(domain) for domain in domains]
    report = gradcheck(fn, point)
    assert report.ok
    assert [row.status for row in report.rows] == ["ok"] * len(point)


def neuron(w1: Value, w2: Value, b: Value) -> Value:
    return Value.dot([w1, w2], [0.5, -1.5], bias=b).tanh()


def softmax_cross_entropy(a: Value, b: Value, c: Value) -> Value:
    exps = [a.exp(), b.exp(), c.exp()]
    return -(exps[1] / Value.sum(exps)).log()


def two_layer(x: Value, y: Value) -> Value:
    hidden = [(x * 0.3 - y * 1.2 + 0.1).tanh(), (x * -0.7 + y * 0.4).sigmoid(), (x + y).softplus()]
    return (Value.dot([0.5, -1.0, 2.0], hidden) - 1.0) ** 2


@pytest.mark.parametrize("fn", [neuron, softmax_cross_entropy, two_layer], ids=lambda f: f.__name__)
@given(point=st.lists(values(-2, 2), min_size=3, max_size=3))
def test_gradcheck_passes_on_composites(fn: Fn, point: list[float]) -> None:
    n = fn.__code__.co_argcount
    assert gradcheck(fn, point[:n]).ok


def test_report_rows_hold_both_derivatives_and_errors() -> None:
    report = gradcheck(lambda x, y: x * x * y + y.exp(), [1.5, 0.5])
    x_row, y_row = report.rows
    assert (x_row.name, y_row.name) == ("x0", "x1")
    assert x_row.analytic == pytest.approx(2 * 1.5 * 0.5, rel=1e-12)
    assert y_row.analytic == pytest.approx(1.5**2 + math.exp(0.5), rel=1e-12)
    for row in report.rows:
        assert row.numeric == pytest.approx(row.analytic, rel=1e-8)
        assert row.abs_error == abs(row.analytic - row.numeric)
        assert row.rel_error == pytest.approx(row.abs_error / abs(row.numeric))
        assert row.allowed == pytest.approx(1e-5 + 1e-3 * abs(row.numeric))


def test_report_prints_a_table_with_labels() -> None:
    text = str(gradcheck(lambda w, b: (w * 2.0 + b).tanh(), [Value(0.3, "w"), Value(-0.1, "b")]))
    lines = text.splitlines()
    assert "ok" in lines[0] and "eps=1e-06" in lines[0]
    assert lines[1].split()[:4] == ["derivative", "at", "analytic", "numeric"]
    assert lines[2].split()[0] == "w" and lines[3].split()[0] == "b"
    assert lines[2].rstrip().endswith("ok")


def test_single_unlabelled_input_is_called_x() -> None:
    assert gradcheck(Value.tanh, [0.2]).rows[0].name == "x"


@pytest.fixture
def wrong_softsign() -> CustomOp:
    # The true derivative of x / (1 + |x|) is 1 / (1 + |x|)^2; this one forgets the square.
    return CustomOp("wrong_softsign", lambda x: x / (1 + abs(x)), lambda m, out, x: 1 / (1 + abs(x)))


def test_wrong_custom_derivative_fails_with_a_useful_message(wrong_softsign: CustomOp) -> None:
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda x: wrong_softsign(x), [Value(1.0, "x")])
    message = str(caught.value)
    analytic, numeric = 1 / 2, 1 / 4
    assert message.startswith("gradcheck failed for x at 1.0: analytic 0.5 but numeric 0.25")
    assert "absolute error 0.25" in message and "relative error 1" in message
    assert "mismatch" in message  # the table follows
    report = caught.value.report
    assert report is not None and not report.ok
    (row,) = report.failures
    assert row.analytic == analytic and row.numeric == pytest.approx(numeric, rel=1e-8)


def test_only_the_wrong_input_is_named(wrong_softsign: CustomOp) -> None:
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda a, b: a * 2.0 + wrong_softsign(b), [Value(0.5, "a"), Value(2.0, "b")])
    first_line = str(caught.value).splitlines()[0]
    assert first_line.startswith("gradcheck failed for b at 2.0")
    report = caught.value.report
    assert report is not None and [row.status for row in report.rows] == ["ok", "mismatch"]


def test_raise_on_failure_false_returns_the_failing_report(wrong_softsign: CustomOp) -> None:
    report = gradcheck(wrong_softsign, [-0.5], raise_on_failure=False)
    assert not report.ok and report.failures == report.rows
    assert "1 mismatch" in str(report)


@pytest.mark.parametrize(
    ("fn", "left", "right"),
    [
        (Value.relu, 0.0, 1.0),
        (abs, -1.0, 1.0),
        (lambda x: x.leaky_relu(0.1), 0.1, 1.0),
        (lambda x: x.elu(2.0), 2.0, 1.0),
    ],
    ids=["relu", "abs", "leaky_relu", "elu"],
)
def test_kinks_are_reported_as_not_differentiable(fn: Fn, left: float, right: float) -> None:
    report = gradcheck(fn, [0.0])
    assert report.ok
    (row,) = report.non_differentiable
    assert row.status == "not differentiable" and math.isnan(row.numeric)
    assert row.left == pytest.approx(left, rel=1e-6) and row.right == pytest.approx(right, rel=1e-6)
    assert "not differentiable (left slope" in str(report)


def test_a_jump_is_reported_as_not_differentiable() -> None:
    (row,) = gradcheck(Value.step, [0.0]).non_differentiable
    assert row.left == 0.0 and row.right > 1e5  # the right quotient grows like 1/h


def test_kink_of_an_inner_node_is_found_for_each_input_it_reaches() -> None:
    report = gradcheck(lambda x, y: (x - y).relu() + x * y, [1.0, 1.0])
    assert [row.status for row in report.rows] == ["not differentiable", "not differentiable"]


def test_a_point_just_beside_a_kink_is_still_checked() -> None:
    # x +- eps straddles the kink, but a smaller step does not: the derivative is found, not a kink.
    report = gradcheck(Value.relu, [3e-7])
    assert [row.status for row in report.rows] == ["ok"]
    assert report.rows[0].numeric == pytest.approx(1.0)


def test_strong_curvature_is_not_mistaken_for_a_kink() -> None:
    report = gradcheck(lambda x: 1e7 * x * x + x, [0.0])
    assert [row.status for row in report.rows] == ["ok"]


def test_a_point_at_the_edge_of_the_domain_is_an_error_that_says_so() -> None:
    with pytest.raises(GradcheckError, match=r"cannot evaluate the function with x = -?[0-9.e-]+ .*DomainError.*edge"):
        gradcheck(Value.sqrt, [1e-7])


def test_a_non_finite_function_value_is_an_error() -> None:
    with pytest.raises(GradcheckError, match="is inf"):
        gradcheck(lambda x: x * 1e308 * 10.0, [1.0])


def test_function_must_return_a_value() -> None:
    with pytest.raises(TypeError, match=r"^gradcheck: fn must return a Value, got 1\.0 from <lambda>$"):
        gradcheck(lambda x: 1.0, [1.0])  # type: ignore[arg-type, return-value]


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        ({"eps": 0.0}, ValueError, "^gradcheck: eps must be a step between 0 and 1, got 0.0$"),
        ({"eps": 2.0}, ValueError, "^gradcheck: eps must be a step between 0 and 1, got 2.0$"),
        ({"eps": "small"}, TypeError, "^gradcheck: eps must be a real number, got 'small'$"),
        ({"atol": -1.0}, ValueError, "^gradcheck: atol must be a number >= 0, got -1.0$"),
        ({"atol": math.nan}, ValueError, "^gradcheck: atol must be a number >= 0, got nan$"),
        ({"rtol": "0.1"}, TypeError, "^gradcheck: rtol must be a real number, got '0.1'$"),
        ({"order": 3}, ValueError, "^gradcheck: order must be 1 or 2, got 3$"),
        ({"order": 1.0}, TypeError, "^gradcheck: order must be an integer, got 1.0$"),
    ],
)
def test_settings_are_validated(kwargs: dict[str, object], error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        gradcheck(Value.tanh, [0.0], **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("inputs", "error", "got"),
    [
        ([], ValueError, "inputs must be a non-empty sequence of numbers or Values, got []"),
        (1.0, TypeError, "inputs must be a non-empty sequence of numbers or Values, got 1.0"),
        (Value(1.0), TypeError, "inputs must be a non-empty sequence of numbers or Values, got Value(data=1.0"),
        ("ab", TypeError, "inputs must be a non-empty sequence of numbers or Values, got 'ab'"),
        (["a"], TypeError, "inputs[0] must be a real number, got 'a'"),
        ([math.nan], ValueError, "inputs[0] must be a finite number (gradients are checked at finite points), got nan"),
        (
            [0.0, math.inf],
            ValueError,
            "inputs[1] must be a finite number (gradients are checked at finite points), got inf",
        ),
    ],
)
def test_inputs_are_validated(inputs: object, error: type[Exception], got: str) -> None:
    with pytest.raises(error, match=f"^gradcheck: {re.escape(got)}"):
        gradcheck(Value.tanh, inputs)  # type: ignore[arg-type]


def test_gradcheck_leaves_every_grad_it_touches_as_it_was() -> None:
    weight = Value(0.7, "w", role="parameter")
    weight.grad = 0.25
    x = Value(1.2, "x")
    report = gradcheck(lambda t: (t * weight).tanh(), [x], order=2)
    assert report.ok
    assert weight.grad == 0.25 and x.grad == 0.0 and x.data == 1.2


def test_second_order_mode_checks_the_hessian() -> None:
    report = gradcheck(lambda x, y: x**3 * y + (x * y).tanh(), [0.4, -0.8], order=2)
    assert report.ok and report.order == 2
    names = [row.name for row in report.rows]
    assert names == ["x0", "x1", "d(df/dx0)/dx0", "d(df/dx0)/dx1", "d(df/dx1)/dx0", "d(df/dx1)/dx1"]
    x, y = 0.4, -0.8
    t = math.tanh(x * y)
    d2x = 6 * x * y - 2 * t * (1 - t * t) * y * y
    assert report.rows[2].analytic == pytest.approx(d2x, rel=1e-12)
    assert report.rows[3].analytic == pytest.approx(report.rows[4].analytic, rel=1e-12)  # symmetric


def test_second_order_mode_catches_a_detached_derivative() -> None:
    # Right first derivative, wrong second: 3 x^2 / x * x reads x's number once, so d/dx of it misses a term.
    cube = CustomOp("cube_with_detached_factor", lambda x: x**3, lambda m, out, x: 3 * x * m.num(x))
    assert gradcheck(cube, [0.7]).ok
    expected = r"gradcheck failed for d\(df/dx\)/dx at 0.7: analytic 2.1 but numeric 4.2;"
    with pytest.raises(GradcheckError, match=expected):
        gradcheck(cube, [0.7], order=2)


def test_second_order_kink_is_reported() -> None:
    # relu'(x) jumps at 0, so the second derivative does not exist there; the first one is checked away from it.
    report = gradcheck(lambda x: x.relu() * x, [0.0], order=2)
    assert [row.status for row in report.rows] == ["ok", "not differentiable"]
