"""Higher-order derivatives: backward(create_graph=True), grad(), Newton's method, Hessian-vector products."""

from __future__ import annotations

import gc
import itertools
import math
import re
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_ko import Value, grad, gradcheck, no_grad
from micrograd_ko.testing import Expression, expressions, values

Fn = Callable[..., Value]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# op, its second derivative by hand, and a domain away from kinks and edges
UNARY_SECOND_DERIVATIVES: dict[str, tuple[Fn, Callable[[float], float], st.SearchStrategy[float]]] = {
    "neg": (lambda v: -v, lambda x: 0.0, values(-3, 3)),
    "abs": (abs, lambda x: 0.0, values(-3, 3, avoid=[0.0], margin=0.05)),
    "exp": (Value.exp, math.exp, values(-3, 3)),
    "log": (Value.log, lambda x: -1.0 / x**2, values(0.2, 5)),
    "sqrt": (Value.sqrt, lambda x: -0.25 * x**-1.5, values(0.2, 5)),
    "tanh": (Value.tanh, lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2), values(-3, 3)),
    "sigmoid": (
        Value.sigmoid,
        lambda x: _sigmoid(x) * (1 - _sigmoid(x)) * (1 - 2 * _sigmoid(x)),
        values(-6, 6),
    ),
    "softplus": (Value.softplus, lambda x: _sigmoid(x) * (1 - _sigmoid(x)), values(-6, 6)),
    "relu": (Value.relu, lambda x: 0.0, values(-3, 3, avoid=[0.0], margin=0.05)),
    "leaky_relu": (lambda v: v.leaky_relu(0.2), lambda x: 0.0, values(-3, 3, avoid=[0.0], margin=0.05)),
    "elu": (
        lambda v: v.elu(0.7),
        lambda x: 0.0 if x > 0 else 0.7 * math.exp(x),
        values(-3, 3, avoid=[0.0], margin=0.05),
    ),
    "step": (Value.step, lambda x: 0.0, values(-3, 3, avoid=[0.0], margin=0.05)),
    "** 3": (lambda v: v**3, lambda x: 6 * x, values(-3, 3)),
    "** -1.5": (lambda v: v**-1.5, lambda x: 3.75 * x**-3.5, values(0.2, 5)),
    "** 1": (lambda v: v**1, lambda x: 0.0, values(-3, 3)),
    "rpow": (lambda v: 2.5**v, lambda x: math.log(2.5) ** 2 * 2.5**x, values(-3, 3)),
    "rdiv": (lambda v: 2.0 / v, lambda x: 4.0 / x**3, values(0.2, 5)),
}


@pytest.mark.parametrize("name", UNARY_SECOND_DERIVATIVES)
@given(data=st.data())
def test_second_derivative_of_every_unary_op(name: str, data: st.DataObject) -> None:
    op, second, domain = UNARY_SECOND_DERIVATIVES[name]
    x = data.draw(domain)
    assert grad(grad(op))(x).data == pytest.approx(second(x), rel=1e-10, abs=1e-12)
    assert gradcheck(op, [x], order=2).ok


BINARY_OPS: dict[str, tuple[Fn, list[st.SearchStrategy[float]]]] = {
    "+": (lambda a, b: a + b, [values(-3, 3)] * 2),
    "-": (lambda a, b: a - b, [values(-3, 3)] * 2),
    "*": (lambda a, b: a * b, [values(-3, 3)] * 2),
    "/": (lambda a, b: a / b, [values(-3, 3), values(0.2, 4)]),
    "** Value": (lambda a, b: a**b, [values(0.2, 4), values(-2, 2)]),
    "sum": (lambda a, b, c: Value.sum([a, b, a, c, 1.0]), [values(-3, 3)] * 3),
    "dot": (lambda a, b, c: Value.dot([a, b, 0.5], [c, a, b], bias=c), [values(-3, 3)] * 3),
}


@pytest.mark.parametrize("name", BINARY_OPS)
@given(data=st.data())
def test_second_derivatives_of_every_n_ary_op(name: str, data: st.DataObject) -> None:
    op, domains = BINARY_OPS[name]
    assert gradcheck(op, [data.draw(domain) for domain in domains], order=2).ok


def test_second_derivatives_of_mul_and_div_by_hand() -> None:
    a, b = 1.5, -0.5
    d_da = grad(lambda x, y: x * y)
    assert grad(d_da, 1)(a, b).data == 1.0  # d2(ab)/da db
    assert grad(d_da, 0)(a, b).data == 0.0
    quotient_db = grad(lambda x, y: x / y, 1)
    assert grad(quotient_db, 1)(a, b).data == pytest.approx(2 * a / b**3)
    x, n = 1.7, 0.8
    power_dn = grad(lambda u, v: u**v, 1)
    assert grad(power_dn, 1)(x, n).data == pytest.approx(x**n * math.log(x) ** 2)
    assert grad(power_dn, 0)(x, n).data == pytest.approx(x ** (n - 1) * (1 + n * math.log(x)))


@given(x=values(-3, 3))
def test_nested_grad_of_a_polynomial_matches_the_hand_formula(x: float) -> None:
    def f(t: Value) -> Value:
        return 3 * t**4 - 2 * t**3 + 5 * t - 7

    assert grad(f)(x).data == pytest.approx(12 * x**3 - 6 * x**2 + 5, rel=1e-12, abs=1e-12)
    assert grad(grad(f))(x).data == pytest.approx(36 * x**2 - 12 * x, rel=1e-12, abs=1e-12)
    assert grad(grad(grad(f)))(x).data == pytest.approx(72 * x - 12, rel=1e-12, abs=1e-12)
    assert grad(grad(grad(grad(f))))(x).data == pytest.approx(72.0, rel=1e-12)
    assert grad(grad(grad(grad(grad(f)))))(x).data == 0.0


def test_newtons_method_with_create_graph() -> None:
    # Minimise f(x) = e^x - 2x: f'(x) = e^x - 2, f''(x) = e^x, minimum at ln 2.
    x = Value(0.0, "x")
    errors = []
    for _ in range(6):
        y = x.exp() - 2 * x
        x.grad = 0.0
        y.backward(create_graph=True)
        first = x.grad_value
        assert first is not None and first.data == x.grad
        x.grad = 0.0
        first.backward()
        second = x.grad
        x.data -= first.data / second
        errors.append(abs(x.data - math.log(2.0)))
    assert errors[-1] < 1e-15
    for before, after in itertools.pairwise(errors[:4]):
        assert after <= before**2  # quadratic convergence: the digits double each step


def test_newtons_method_with_grad() -> None:
    def f(x: Value) -> Value:
        return x**4 - 3 * x**2 + x

    df, d2f = grad(f), grad(grad(f))
    x = 2.0
    for _ in range(12):
        x -= df(x).data / d2f(x).data
    roots = np.roots([4.0, 0.0, -6.0, 1.0])  # f'(x) = 4x^3 - 6x + 1
    nearest = min(roots.real, key=lambda r: abs(r - x))
    assert x == pytest.approx(nearest, rel=1e-14)
    assert d2f(x).data > 0  # a minimum


def _f3(x: Value, y: Value, z: Value) -> Value:
    return x * x * y + y**3 * z + (x * z).exp()


def _hessian_f3(x: float, y: float, z: float) -> np.ndarray:
    e = math.exp(x * z)
    return np.array(
        [
            [2 * y + z * z * e, 2 * x, e + x * z * e],
            [2 * x, 6 * y * z, 3 * y * y],
            [e + x * z * e, 3 * y * y, x * x * e],
        ]
    )


def test_hessian_vector_product_with_grad() -> None:
    point, v = (0.3, -0.7, 0.5), [1.0, -2.0, 0.5]
    every = (0, 1, 2)

    def directional_derivative(*xs: Value) -> Value:
        return Value.dot(grad(_f3, every)(*xs), v)

    hvp = [d.data for d in grad(directional_derivative, every)(*point)]
    assert hvp == pytest.approx(_hessian_f3(*point) @ v, rel=1e-12)


def test_hessian_vector_product_with_create_graph() -> None:
    point, v = (0.3, -0.7, 0.5), [1.0, -2.0, 0.5]
    xs = [Value(p) for p in point]
    _f3(*xs).backward(create_graph=True)
    gradient = [x.grad_value for x in xs]
    assert all(g is not None for g in gradient)
    directional = Value.dot([g for g in gradient if g is not None], v)
    for x in xs:
        x.grad = 0.0
    directional.backward()
    assert [x.grad for x in xs] == pytest.approx(_hessian_f3(*point) @ v, rel=1e-12)


def test_hessian_vector_product_of_a_small_model_matches_finite_differences() -> None:
    # Curvature of a loss with respect to parameters, along a direction: what second-order optimisers use.
    data = [((0.5, -1.0), 1.0), ((-0.3, 0.8), -1.0), ((1.2, 0.1), 1.0)]
    w0, direction = [0.2, -0.4, 0.1], [0.3, 1.0, -0.5]

    def loss(w1: Value, w2: Value, b: Value) -> Value:
        return Value.sum([(Value.dot([w1, w2], x, bias=b).tanh() - t) ** 2 for x, t in data])

    every = (0, 1, 2)
    hvp = [d.data for d in grad(lambda *w: Value.dot(grad(loss, every)(*w), direction), every)(*w0)]

    def gradient_at(w: list[float]) -> np.ndarray:
        return np.array([d.data for d in grad(loss, every)(*w)])

    h = 1e-5
    ahead = gradient_at([a + h * d for a, d in zip(w0, direction)])
    behind = gradient_at([a - h * d for a, d in zip(w0, direction)])
    assert hvp == pytest.approx((ahead - behind) / (2 * h), rel=1e-6)


@settings(max_examples=100)
@given(expressions())
def test_create_graph_gives_the_same_gradients_as_backward(expr: Expression) -> None:
    plain = [Value(x) for x in expr.inputs]
    expr(*plain).backward()
    graphed = [Value(x) for x in expr.inputs]
    out = expr(*graphed)
    out.backward(create_graph=True)
    for p, g in zip(plain, graphed):
        assert g.grad == pytest.approx(p.grad, rel=1e-12, abs=1e-15)
    for node in out.topological_order():  # every node reached, leaves included; unused inputs are not
        assert node.grad_value is not None and node.grad_value.data == node.grad


def test_grad_value_is_none_until_a_create_graph_backward() -> None:
    x = Value(2.0)
    y = x * x
    y.backward()
    assert x.grad_value is None and y.grad_value is None
    y.backward(create_graph=True)
    assert x.grad_value is not None and x.grad_value.data == 4.0


def test_leaf_grad_accumulates_but_grad_value_is_this_calls_gradient() -> None:
    x = Value(3.0)
    (x * x).backward(create_graph=True)
    (x * x * x).backward(create_graph=True)
    assert x.grad == 6.0 + 27.0
    assert x.grad_value is not None and x.grad_value.data == 27.0


def test_a_constant_gradient_has_no_second_derivative() -> None:
    x = Value(1.5)
    (3 * x + 1).backward(create_graph=True)
    first = x.grad_value
    assert first is not None and first.data == 3.0 and first.role == "constant"
    x.grad = 0.0
    first.backward()
    assert x.grad == 0.0


def test_create_graph_builds_the_graph_even_inside_no_grad() -> None:
    x = Value(0.5)
    y = x.tanh()
    with no_grad():
        y.backward(create_graph=True)
        assert grad(grad(Value.tanh))(0.5).parents  # grad() records while it works
    assert x.grad_value is not None and x.grad_value.parents


def test_grad_with_several_arguments_returns_a_tuple() -> None:
    dx, dy = grad(lambda x, y: x * y + y, (0, 1))(2.0, 3.0)
    assert (dx.data, dy.data) == (3.0, 3.0)
    (dy_only,) = grad(lambda x, y: x * y + y, [1])(2.0, 3.0)
    assert dy_only.data == 3.0


def test_grad_touches_no_grad_attribute() -> None:
    w = Value(0.5, role="parameter")
    x = Value(2.0)
    assert grad(lambda t: (t * w).tanh())(x).data == pytest.approx(0.5 * (1 - math.tanh(1.0) ** 2))
    assert x.grad == 0.0 and w.grad == 0.0 and x.grad_value is None


def test_grad_of_an_unused_argument_is_a_zero_constant() -> None:
    _, dy = grad(lambda x, y: x * 2.0, (0, 1))(1.0, 5.0)
    assert dy.data == 0.0 and dy.role == "constant"
    assert grad(lambda x: x)(4.0).data == 1.0


def test_grad_through_values_from_an_outer_graph() -> None:
    a = Value(0.3)
    inner = a * 2.0  # not a leaf: grad differentiates with respect to this node
    assert grad(lambda t: t.exp())(inner).data == pytest.approx(math.exp(0.6))


def test_grad_needs_the_function_to_return_a_value() -> None:
    with pytest.raises(TypeError, match=r"grad\(<lambda>\): the function's result must be a Value, got 1.0"):
        grad(lambda x: 1.0)(2.0)  # type: ignore[arg-type, return-value]


@pytest.mark.parametrize("wrt", [-1, (), (0, -2)])
def test_grad_rejects_bad_positions(wrt: object) -> None:
    with pytest.raises(ValueError, match=rf"^grad: wrt must be an argument position .*, got {re.escape(repr(wrt))}$"):
        grad(Value.tanh, wrt)  # type: ignore[call-overload]


@pytest.mark.parametrize("wrt", [True, "0", 1.5, (0, "1"), None])
def test_grad_rejects_positions_of_the_wrong_type(wrt: object) -> None:
    with pytest.raises(TypeError, match=rf"^grad: wrt must be an argument position .*, got {re.escape(repr(wrt))}$"):
        grad(Value.tanh, wrt)  # type: ignore[call-overload]


def test_grad_checks_the_arguments() -> None:
    message = r"grad\(<lambda>\): wrt must be positions among the function's 1 arguments, got 1"
    with pytest.raises(TypeError, match=message):
        grad(lambda x, y: x * y, 1)(2.0)
    with pytest.raises(TypeError, match=r"^grad\(tanh\): argument must be a real number, got '1.0'$"):
        grad(Value.tanh)("1.0")


def test_grad_function_has_a_descriptive_name() -> None:
    def loss(x: Value) -> Value:
        return x * x

    assert grad(loss).__name__ == "grad(loss)"
    assert grad(grad(loss)).__name__ == "grad(grad(loss))"


def test_unknown_op_cannot_be_differentiated_twice() -> None:
    x = Value(1.0)
    y = x * 2.0
    object.__setattr__(y, "_op", "mystery")  # a node no rule knows
    with pytest.raises(NotImplementedError, match="op 'mystery' is not in the op table"):
        y.backward(create_graph=True)


def test_nested_grad_leaves_no_reference_cycles() -> None:
    gc.collect()
    gc.disable()
    try:

        def f(x: Value) -> Value:
            y = x
            for _ in range(50):
                y = (y * 0.9 + 0.1).tanh()
            return y

        assert grad(grad(f))(0.3).data != 0.0
        assert gc.collect() == 0
    finally:
        gc.enable()
