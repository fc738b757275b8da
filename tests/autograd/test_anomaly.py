"""detect_anomaly(): the first NaN or infinity, in forward or backward, names its op, inputs and labels."""

from __future__ import annotations

import math

import pytest

from micrograd_ko import AnomalyError, CustomOp, Value, detect_anomaly, grad, no_grad
from micrograd_ko.autograd.anomaly import is_anomaly_enabled


def test_forward_nan_names_the_op_its_inputs_and_their_labels() -> None:
    a, b = Value(math.inf, "a"), Value(math.inf, "b")
    with detect_anomaly(), pytest.raises(AnomalyError) as caught:
        a - b
    assert str(caught.value) == (
        "detect_anomaly: forward of '-' produced nan from inputs (inf (label 'a'), inf (label 'b'))"
    )


@pytest.mark.parametrize(
    ("make", "op"),
    [
        (lambda: Value(1000.0).exp(), "exp"),
        (lambda: Value(1e200) * Value(1e200), r"\*"),
        (lambda: Value(1e-200) ** -2, r"\*\*"),
        (lambda: Value(1e308) + 1e308, r"\+"),
        (lambda: Value.sum([1e308, 1e308]), "sum"),
        (lambda: Value.dot([1e200], [1e200]), "dot"),
        (lambda: Value(math.nan).tanh(), "tanh"),
    ],
)
def test_forward_infinities_and_nans_are_caught_at_the_op_that_made_them(make: object, op: str) -> None:
    with detect_anomaly(), pytest.raises(AnomalyError, match=f"forward of '{op}' produced (-?inf|nan)"):
        make()  # type: ignore[operator]


def test_the_error_points_at_the_first_bad_op_not_a_later_one() -> None:
    x = Value(800.0, "x")
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"forward of 'exp' produced inf from inputs \(800.0"):
        (x.exp() * 0.0).log()


def test_backward_nan_names_the_op_and_the_input_it_flows_into() -> None:
    x = Value(0.0, "x")
    y = x.sqrt() * 0.0  # finite forward; backward meets inf (the slope of sqrt at 0) times 0
    with detect_anomaly(), pytest.raises(AnomalyError) as caught:
        y.backward()
    assert str(caught.value) == (
        "detect_anomaly: backward of 'sqrt', output 0.0, produced nan for its input 0, 0.0 (label 'x'): "
        "local derivative inf × upstream gradient 0.0; the op's inputs were (0.0 (label 'x'))"
    )


def test_backward_infinity_is_caught_for_a_graph_built_outside_the_block() -> None:
    x = Value(1e-160, "x")
    y = 1.0 / x  # finite, but d/dx = -1/x^2 overflows
    message = r"backward of '/', output 1e\+160, produced -inf for its input 1, 1e-160"
    with detect_anomaly(), pytest.raises(AnomalyError, match=message):
        y.backward()


def test_the_labelled_node_is_named_in_backward() -> None:
    x = Value(0.0)
    y = x.sqrt()
    y.label = "root of x"
    message = r"backward of 'sqrt', output 0.0 \(label 'root of x'\), produced"
    with detect_anomaly(), pytest.raises(AnomalyError, match=message):
        y.backward()


def test_create_graph_backward_is_checked_too() -> None:
    x = Value(1e-160, "x")
    y = 1.0 / x
    with detect_anomaly(), pytest.raises(AnomalyError) as caught:
        y.backward(create_graph=True)
    message = str(caught.value)
    assert message.startswith(
        "detect_anomaly: backward (create_graph) of '/', output 1e+160, with inputs (1.0, 1e-160 (label 'x'))"
    )
    assert "forward of '/' produced -inf" in message


def test_create_graph_numeric_contribution_is_checked() -> None:
    x = Value(0.0, "x")
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"of 'sqrt', .*its input 0, 0.0 \(label 'x'\), got inf"):
        x.sqrt().backward(create_graph=True)


def test_grad_is_checked_too() -> None:
    with detect_anomaly(), pytest.raises(AnomalyError, match="'sqrt'"):
        grad(Value.sqrt)(0.0)


def test_custom_ops_are_checked_by_their_own_name() -> None:
    reciprocal = CustomOp("checked_reciprocal", lambda x: math.inf if x == 0 else 1 / x, lambda m, out, x: -out * out)
    with detect_anomaly(), pytest.raises(AnomalyError, match="forward of 'checked_reciprocal' produced inf"):
        reciprocal(Value(0.0))


def test_ops_inside_no_grad_are_checked() -> None:
    with detect_anomaly(), no_grad(), pytest.raises(AnomalyError, match="'exp'"):
        Value(1e4).exp()


def test_outside_the_block_nan_propagates_like_ieee_floats() -> None:
    a, b = Value(math.inf), Value(math.inf)
    c = (a - b) * 2.0
    assert math.isnan(c.data)
    c.backward()  # no error: the gradients are just numbers
    assert a.grad == 2.0 and b.grad == -2.0
    x = Value(0.0)
    y = x.sqrt() * 0.0
    y.backward()
    assert math.isnan(x.grad)


def test_finite_computations_give_the_same_result_inside_the_block() -> None:
    def run() -> list[float]:
        xs = [Value(0.1 * i) for i in range(1, 6)]
        loss = Value.sum([(Value.dot(xs, xs[::-1], bias=x).tanh() - x.sigmoid()) ** 2 for x in xs])
        loss.backward()
        return [loss.data, *(x.grad for x in xs)]

    outside = run()
    with detect_anomaly():
        inside = run()
    assert inside == outside


def test_the_mode_nests_and_is_restored_even_after_an_error() -> None:
    assert not is_anomaly_enabled()
    with detect_anomaly():
        with detect_anomaly():
            assert is_anomaly_enabled()
        assert is_anomaly_enabled()
    assert not is_anomaly_enabled()
    with pytest.raises(AnomalyError), detect_anomaly():
        Value(1000.0).exp()
    assert not is_anomaly_enabled()
    assert Value(1000.0).exp().data == math.inf  # unchecked again


def test_anomaly_error_is_a_floating_point_error() -> None:
    assert issubclass(AnomalyError, FloatingPointError) and issubclass(AnomalyError, ArithmeticError)


def test_long_input_lists_are_shortened() -> None:
    xs = [Value(1e308, f"x{i}") for i in range(10)]
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"\.\.\. 10 in all\)$"):
        Value.sum(xs)
