"""Custom ops: a user's primitive records like a built-in one, is gradchecked, and works with create_graph."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given

from micrograd_ko import CustomOp, DomainError, GradcheckError, Value, custom_op, draw, grad, gradcheck, no_grad, ops
from micrograd_ko.autograd.ops import ARRAYS
from micrograd_ko.cli.expression import FUNCTIONS, evaluate
from micrograd_ko.testing import values


@custom_op("softsign", local_grads=lambda m, out, x: 1.0 / (1.0 + abs(x)) ** 2)
def softsign(x: float) -> float:
    """x / (1 + |x|)"""
    return x / (1.0 + abs(x))


# A two-input op: hypot(a, b) = sqrt(a^2 + b^2), one formula for floats, Values and arrays.
hypot = CustomOp("hypot", math.hypot, lambda m, out, a, b: (a / out, b / out))


@pytest.fixture(autouse=True)
def forget_ops_defined_by_a_test() -> Iterator[None]:
    """The op table is global: remove the ops a test defines, so other test modules never see them."""
    before = {op.name for op in ops.all_ops()}
    yield
    for op in list(ops.all_ops()):
        if op.name not in before:
            ops.unregister(op.name)


def test_a_custom_op_records_a_node_with_its_name() -> None:
    x = Value(0.5, "x")
    y = softsign(x)
    assert y.data == pytest.approx(0.5 / 1.5)
    assert y.op == "softsign" and y.parents == (x,) and y.role == "result"
    assert y.local_grads == pytest.approx((1 / 1.5**2,))
    assert softsign.__doc__ == "x / (1 + |x|)" and repr(softsign) == "CustomOp('softsign')"


def test_a_custom_op_backpropagates_inside_a_larger_graph() -> None:
    x = Value(-1.5)
    y = softsign(x * 2.0) * x
    y.backward()
    u = -3.0
    assert x.grad == pytest.approx(2.0 / (1 + abs(u)) ** 2 * -1.5 + u / (1 + abs(u)))


@given(x=values(-4, 4, avoid=[0.0], margin=0.01))
def test_custom_ops_pass_gradcheck(x: float) -> None:
    assert gradcheck(softsign, [x]).ok
    assert gradcheck(lambda a: hypot(a, a * 0.5 + 1.0), [x]).ok


def test_a_wrong_derivative_is_caught_by_gradcheck() -> None:
    # d/dx softsign is 1 / (1 + |x|)^2; forgetting the square is the kind of slip gradcheck exists for.
    wrong = CustomOp("softsign_missing_square", softsign.forward, lambda m, out, x: 1.0 / (1.0 + abs(x)))
    with pytest.raises(
        GradcheckError, match=r"gradcheck failed for x at 2.0: analytic 0.33333333 but numeric 0.11111111"
    ):
        gradcheck(wrong, [2.0])


def test_a_wrong_derivative_of_one_input_is_caught_and_named() -> None:
    wrong = CustomOp("hypot_swapped", math.hypot, lambda m, out, a, b: (b / out, a / out))
    with pytest.raises(GradcheckError, match=r"gradcheck failed for a at 3\.0") as caught:
        gradcheck(wrong, [Value(3.0, "a"), Value(4.0, "b")])
    assert "gradcheck failed for b at 4.0" in str(caught.value)


def test_custom_op_renders_in_viz_with_its_name() -> None:
    x = Value(0.5, "x")
    source = draw(softsign(x) * 2.0).source
    assert "softsign" in source


def test_numbers_become_constant_parents() -> None:
    out = hypot(3.0, Value(4.0))
    assert out.data == 5.0
    assert out.parents[0].role == "constant" and out.parents[0].data == 3.0


def test_the_one_formula_gives_second_derivatives() -> None:
    a, b = 1.2, -0.7
    report = gradcheck(hypot, [a, b], order=2)
    assert report.ok
    r = math.hypot(a, b)
    assert grad(grad(hypot, 0), 0)(a, b).data == pytest.approx(b * b / r**3)  # d2/da2 = b^2 / r^3


@given(x=values(-4, 4, avoid=[0.0], margin=0.01))
def test_the_one_formula_serves_backward_and_create_graph(x: float) -> None:
    y = Value(x)
    out = softsign(y)
    assert out.local_grads == pytest.approx((1 / (1 + abs(x)) ** 2,), rel=1e-15)
    out.backward(create_graph=True)
    assert y.grad_value is not None
    second = -2 * math.copysign(1.0, x) / (1 + abs(x)) ** 3
    assert grad(grad(softsign))(x).data == pytest.approx(second, rel=1e-12)
    assert gradcheck(softsign, [x], order=2).ok


def test_the_one_formula_runs_on_numpy_arrays() -> None:
    xs = np.array([-2.0, -0.5, 0.5, 3.0])
    expected = [1 / (1 + abs(x)) ** 2 for x in xs]
    assert softsign.op.local_grads(ARRAYS, softsign.op.array_forward(xs), xs)[0] == pytest.approx(expected)
    assert softsign.op.array_forward(xs) == pytest.approx([x / (1 + abs(x)) for x in xs])


def test_a_custom_op_is_a_block_of_the_op_table() -> None:
    assert ops.lookup("softsign") is softsign.op
    assert "softsign" in FUNCTIONS
    assert evaluate("softsign(x) * 2", {"x": Value(1.0)}).data == pytest.approx(1.0)


def test_a_formula_that_reads_data_detaches_the_second_derivative() -> None:
    # m.num(x) is a plain number: the first derivative is right, the graph loses its dependence on x.
    detached = CustomOp("detached_cube", lambda x: x**3, lambda m, out, x: 3 * m.num(x) ** 2)
    assert gradcheck(detached, [0.7]).ok
    with pytest.raises(GradcheckError, match=r"gradcheck failed for d\(df/dx\)/dx at 0.7: analytic 0 but numeric 4.2"):
        gradcheck(detached, [0.7], order=2)


def test_custom_ops_honour_no_grad() -> None:
    with no_grad():
        y = softsign(Value(0.5))
    assert y.parents == () and y.op == ""


def test_a_variadic_op_takes_any_number_of_inputs() -> None:
    mean = CustomOp("mean", lambda *xs: sum(xs) / len(xs), lambda m, out, *xs: tuple(1.0 / len(xs) for _ in xs))
    assert mean.arity is None
    assert mean(1.0, 2.0, Value(6.0)).data == 3.0
    assert gradcheck(mean, [0.5, -1.0, 2.0, 4.0], order=2).ok


def test_redefining_a_name_replaces_the_op() -> None:
    first = CustomOp("redefined", lambda x: 2 * x, lambda m, out, x: 2.0)
    second = CustomOp("redefined", lambda x: 3 * x, lambda m, out, x: 3.0)
    assert first(1.0).op == second(1.0).op == "redefined"
    assert grad(second)(1.0).data == 3.0


def test_a_domain_check_names_the_op_and_the_value() -> None:
    root = CustomOp("fourth_root", lambda x: x**0.25, lambda m, out, x: 0.25 * out / x, check=_needs_positive)
    assert root(16.0).data == 2.0
    with pytest.raises(DomainError, match=r"fourth_root\(\) of -1.0 \(label 'x'\) is undefined: needs x > 0"):
        root(Value(-1.0, "x"))


def _needs_positive(x: float) -> str | None:
    return None if x > 0 else "needs x > 0"


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (
            lambda: CustomOp("tanh", math.tanh, lambda m, out, x: 1 - out**2),
            ValueError,
            r"register: op must not replace a built-in op, got 'tanh'",
        ),
        (lambda: CustomOp("", math.tanh, lambda m, out, x: 1.0), ValueError, "CustomOp: name must be an identifier"),
        (
            lambda: CustomOp("bad_forward", 3.0, lambda m, out, x: 1.0),
            TypeError,
            r"CustomOp\('bad_forward'\): forward must be callable, got 3.0",
        ),
        (lambda: CustomOp("bad_derivative", math.tanh, 2.0), TypeError, "local_grads must be callable, got 2.0"),
    ],
)
def test_bad_definitions_are_rejected(make: object, error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        make()  # type: ignore[operator]


def test_bad_calls_and_bad_results_name_the_op() -> None:
    with pytest.raises(TypeError, match="softsign: number of inputs must be 1, got 2"):
        softsign(Value(1.0), Value(2.0))
    with pytest.raises(TypeError, match=r"softsign: operand must be a real number, got str"):
        softsign("1.0")  # type: ignore[arg-type]
    returns_text = CustomOp("returns_text", lambda x: "one", lambda m, out, x: 1.0)
    with pytest.raises(TypeError, match=r"returns_text: forward's result must be a real number, got str"):
        returns_text(1.0)
    too_many = CustomOp("too_many", lambda x: x, lambda m, out, x: (1.0, 2.0))
    with pytest.raises(ValueError, match=r"too_many: local_grads must return one derivative per input \(1\), got 2"):
        too_many(1.0)
    not_a_number = CustomOp("not_a_number", lambda x: x, lambda m, out, x: None)
    with pytest.raises(TypeError, match=r"not_a_number: local_grads entry must be a real number, got NoneType"):
        not_a_number(1.0)
