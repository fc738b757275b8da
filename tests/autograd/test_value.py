"""The Value engine: every op's value and derivative, graph semantics, errors."""

from __future__ import annotations

import gc
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from micrograd_ko import DomainError, Value, grad, gradcheck, is_grad_enabled, no_grad
from micrograd_ko.testing import values


@dataclass(frozen=True)
class UnaryCase:
    name: str
    op: Callable[[Value], Value]
    value: Callable[[float], float]
    derivative: Callable[[float], float]
    domain: st.SearchStrategy[float]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


# Kinks (relu, abs, step, leaky_relu, elu at 0) are kept out of the finite-difference domain.
away_from_zero = values(-5, 5, avoid=[0.0], margin=1e-3)

UNARY_CASES = [
    UnaryCase("neg", lambda v: -v, lambda x: -x, lambda x: -1.0, values(-5, 5)),
    UnaryCase("abs", abs, abs, lambda x: math.copysign(1.0, x), away_from_zero),
    UnaryCase("exp", Value.exp, math.exp, math.exp, values(-5, 5)),
    UnaryCase("log", Value.log, math.log, lambda x: 1 / x, values(0.05, 10)),
    UnaryCase("sqrt", Value.sqrt, math.sqrt, lambda x: 0.5 / math.sqrt(x), values(0.05, 10)),
    UnaryCase("tanh", Value.tanh, math.tanh, lambda x: 1 - math.tanh(x) ** 2, values(-5, 5)),
    UnaryCase("sigmoid", Value.sigmoid, _sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x)), values(-8, 8)),
    UnaryCase("relu", Value.relu, lambda x: max(0.0, x), lambda x: float(x > 0), away_from_zero),
    UnaryCase(
        "leaky_relu",
        lambda v: v.leaky_relu(0.1),
        lambda x: x if x > 0 else 0.1 * x,
        lambda x: 1.0 if x > 0 else 0.1,
        away_from_zero,
    ),
    UnaryCase(
        "elu",
        lambda v: v.elu(0.5),
        lambda x: x if x > 0 else 0.5 * (math.exp(x) - 1),
        lambda x: 1.0 if x > 0 else 0.5 * math.exp(x),
        away_from_zero,
    ),
    UnaryCase("softplus", Value.softplus, lambda x: math.log1p(math.exp(x)), _sigmoid, values(-8, 8)),
    UnaryCase("step", Value.step, lambda x: float(x > 0), lambda x: 0.0, away_from_zero),
    UnaryCase("square", lambda v: v**2, lambda x: x * x, lambda x: 2 * x, values(-5, 5)),
    UnaryCase("cube", lambda v: v**3, lambda x: x**3, lambda x: 3 * x * x, values(-5, 5)),
    UnaryCase("pow 0.5", lambda v: v**0.5, math.sqrt, lambda x: 0.5 / math.sqrt(x), values(0.05, 10)),
    UnaryCase("pow -1", lambda v: v**-1, lambda x: 1 / x, lambda x: -1 / x**2, values(0.1, 10)),
    UnaryCase("rpow", lambda v: 2**v, lambda x: 2**x, lambda x: 2**x * math.log(2), values(-5, 5)),
    UnaryCase("rsub", lambda v: 2 - v, lambda x: 2 - x, lambda x: -1.0, values(-5, 5)),
    UnaryCase("rdiv", lambda v: 1 / v, lambda x: 1 / x, lambda x: -1 / x**2, values(0.1, 10)),
    UnaryCase("radd", lambda v: 3 + v, lambda x: 3 + x, lambda x: 1.0, values(-5, 5)),
    UnaryCase("rmul", lambda v: 3 * v, lambda x: 3 * x, lambda x: 3.0, values(-5, 5)),
]


def grad_of(op: Callable[[Value], Value], x: float) -> tuple[float, float]:
    leaf = Value(x)
    out = op(leaf)
    out.backward()
    return out.data, leaf.grad


def _matches_finite_differences(fn: Callable[..., Value], point: list[float]) -> bool:
    """Every derivative agrees with the central difference (and none was taken for a kink)."""
    return all(row.status == "ok" for row in gradcheck(fn, point, raise_on_failure=False).rows)


@pytest.mark.parametrize("case", UNARY_CASES, ids=lambda c: c.name)
@given(data=st.data())
def test_unary_op_value_and_derivative(case: UnaryCase, data: st.DataObject) -> None:
    x = data.draw(case.domain)
    value, grad = grad_of(case.op, x)
    assert value == pytest.approx(case.value(x), rel=1e-12, abs=1e-12)
    assert grad == pytest.approx(case.derivative(x), rel=1e-9, abs=1e-12)
    assert _matches_finite_differences(case.op, [x])


BINARY_CASES = {
    "+": (lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    "-": (lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    "*": (lambda a, b: a * b, lambda a, b: (b, a)),
    "/": (lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2)),
    "**": (lambda a, b: a**b, lambda a, b: (b * a ** (b - 1), a**b * math.log(a))),
}


@pytest.mark.parametrize("name", BINARY_CASES)
@given(a=values(0.2, 4), b=values(0.2, 3))
def test_binary_op_value_and_derivatives(name: str, a: float, b: float) -> None:
    fn, derivatives = BINARY_CASES[name]
    va, vb = Value(a), Value(b)
    out = fn(va, vb)
    out.backward()
    assert out.data == pytest.approx(fn(a, b), rel=1e-12)
    da, db = derivatives(a, b)
    assert va.grad == pytest.approx(da, rel=1e-9)
    assert vb.grad == pytest.approx(db, rel=1e-9)
    assert _matches_finite_differences(fn, [a, b])


def test_every_op_records_its_name_and_parents_in_order() -> None:
    a, b = Value(2.0, "a"), Value(3.0, "b")
    assert (a - b).parents == (a, b)
    assert (b - a).parents == (b, a)
    assert (a * b).op == "*"
    assert (a / b).op == "/"
    assert a.tanh().op == "tanh"
    assert a.op == "" and a.parents == () and a.local_grads == ()


def test_number_operands_become_constants() -> None:
    x = Value(2.0)
    y = 2 - x
    constant = y.parents[0]
    assert constant.role == "constant" and constant.data == 2.0
    assert y.role == "result"
    assert x.role == "input"
    assert Value(1.0, role="parameter").role == "parameter"


def test_pow_with_a_number_exponent_has_no_exponent_gradient() -> None:
    x = Value(-2.0)
    y = x**3
    y.backward()
    assert y.data == -8.0
    assert x.grad == 12.0
    assert y.parents[1].grad == 0.0


def test_node_used_twice_gets_both_contributions() -> None:
    x = Value(3.0)
    y = x + x
    y.backward()
    assert y.parents == (x, x)
    assert x.grad == 2.0
    z = Value(3.0)
    w = z * z
    w.backward()
    assert z.grad == 6.0


def test_shared_node_in_a_diamond_graph() -> None:
    def diamond(x: Value) -> Value:
        a = Value.sum([x * k for k in range(1, 11)])  # x feeds a, and both feed b
        return (x * a).tanh() + x.exp() * a

    x = Value(0.7)
    diamond(x).backward()
    report = gradcheck(diamond, [0.7], rtol=1e-6)
    assert report.ok and x.grad == report.rows[0].analytic


def test_backward_twice_accumulates() -> None:
    x = Value(2.0)
    y = x * x * x
    y.backward()
    assert x.grad == 12.0
    y.backward()
    assert x.grad == 24.0  # leaves accumulate; intermediate nodes hold this call's gradient only
    assert y.grad == 1.0


def test_two_losses_sharing_a_node_accumulate_into_leaves() -> None:
    x = Value(1.5)
    shared = x * x
    first, second = shared * 2, shared.exp()
    first.backward()
    second.backward()
    assert x.grad == pytest.approx(4 * 1.5 + math.exp(1.5**2) * 2 * 1.5)


def test_backward_after_zeroing_matches_first_run() -> None:
    x = Value(2.0)
    y = (x * 3).tanh()
    y.backward()
    first = x.grad
    for node in y.topological_order():
        node.grad = 0.0
    y.backward()
    assert x.grad == first


def test_hundred_thousand_deep_chain_needs_no_recursion() -> None:
    x = Value(0.5)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad == 1.0
    assert len(y.topological_order()) == 1 + 100_000 * 4


def test_topological_order_puts_parents_first() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = e.topological_order()
    position = {id(v): i for i, v in enumerate(order)}
    for node in order:
        for parent in node.parents:
            assert position[id(parent)] < position[id(node)]
    assert order[-1] is e
    assert len(order) == 5


def test_topological_order_follows_argument_order() -> None:
    x1, w1, x2, w2 = Value(2.0, "x1"), Value(-3.0, "w1"), Value(0.0, "x2"), Value(1.0, "w2")
    n = x1 * w1 + x2 * w2
    assert [v.label for v in n.topological_order() if not v.parents] == ["x1", "w1", "x2", "w2"]


def test_no_grad_records_no_parents_and_restores_state() -> None:
    x = Value(2.0)
    assert is_grad_enabled()
    with no_grad():
        assert not is_grad_enabled()
        y = x * 3
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()
    assert y.parents == () and y.op == "" and y.data == 6.0
    y.backward()
    assert x.grad == 0.0


def test_no_grad_restores_state_after_an_exception() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    assert is_grad_enabled()


def test_sum_and_dot_make_one_node() -> None:
    xs = [Value(float(i)) for i in range(1, 5)]
    ws = [Value(0.5 * i) for i in range(1, 5)]
    total = Value.sum(xs)
    assert total.op == "sum" and total.parents == tuple(xs) and total.data == 10.0
    b = Value(1.0)
    d = Value.dot(ws, xs, bias=b)
    assert d.op == "dot" and len(d.parents) == 9
    assert d.data == pytest.approx(sum(w.data * x.data for w, x in zip(ws, xs)) + 1.0)
    d.backward()
    assert [w.grad for w in ws] == [x.data for x in xs]
    assert [x.grad for x in xs] == [w.data for w in ws]
    assert b.grad == 1.0


def test_dot_matches_chain_of_products() -> None:
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=6), rng.normal(size=6)
    ws1, xs1 = [Value(v) for v in a], [Value(v) for v in b]
    ws2, xs2 = [Value(v) for v in a], [Value(v) for v in b]
    Value.dot(ws1, xs1).tanh().backward()
    sum((w * x for w, x in zip(ws2, xs2)), Value(0.0)).tanh().backward()
    for v1, v2 in zip(ws1 + xs1, ws2 + xs2):
        assert v1.grad == pytest.approx(v2.grad, rel=1e-12)


def test_dot_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match="dot: weights and inputs must have the same length, got 2 and 3"):
        Value.dot([1.0, 2.0], [1.0, 2.0, 3.0])


def test_sum_of_nothing_is_zero() -> None:
    assert Value.sum([]).data == 0.0


@pytest.mark.parametrize("bad", [True, "1.0", None, 1 + 2j, [1.0], np.bool_(True)])
def test_value_rejects_non_real_data(bad: object) -> None:
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)  # type: ignore[arg-type]


def test_value_accepts_ints_and_numpy_scalars() -> None:
    assert Value(3).data == 3.0 and type(Value(3).data) is float
    assert type(Value(np.float32(1.5)).data) is float
    assert Value(np.int64(7)).data == 7.0


def test_operand_type_errors_name_the_op() -> None:
    with pytest.raises(TypeError, match=r"\+: operand .* str"):
        Value(1.0) + "a"  # type: ignore[operator]
    with pytest.raises(TypeError, match=r"\*: operand .* NoneType"):
        None * Value(1.0)  # type: ignore[operator]


def test_bad_label_and_role_are_rejected() -> None:
    with pytest.raises(TypeError, match="label"):
        Value(1.0, label=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="role"):
        Value(1.0, role="weight")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: Value(-2.0).log(), DomainError, r"log\(\) of -2.0"),
        (lambda: Value(0.0).log(), DomainError, r"log\(\) of 0.0"),
        (lambda: Value(-1.0).sqrt(), DomainError, r"sqrt\(\) of -1.0"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "division"),
        (lambda: 1 / Value(0.0, "z"), ZeroDivisionError, "label 'z'"),
        (lambda: Value(-2.0) ** 0.5, DomainError, r"pow: -2.0 \*\* 0.5"),
        (lambda: Value(0.0) ** -1, ZeroDivisionError, "pow"),
        (lambda: Value(-2.0) ** Value(2.0), DomainError, "negative base"),
    ],
)
def test_domain_errors_name_the_op_and_value(make: Callable[[], Value], error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        make()


def test_domain_error_is_a_value_error() -> None:
    assert issubclass(DomainError, ValueError)


@pytest.mark.parametrize("x", [1000.0, -1000.0])
def test_sigmoid_and_softplus_do_not_overflow(x: float) -> None:
    s = Value(x).sigmoid()
    assert s.data == (1.0 if x > 0 else 0.0)
    sp = Value(x)
    out = sp.softplus()
    out.backward()
    assert out.data == pytest.approx(max(x, 0.0))
    assert sp.grad == (1.0 if x > 0 else 0.0)


def test_exp_overflows_to_inf_like_ieee() -> None:
    assert Value(1000.0).exp().data == math.inf
    assert Value(10.0) ** 400 is not None and (Value(10.0) ** 400).data == math.inf
    assert Value.sum([1e308, 1e308]).data == math.inf
    assert math.isnan(Value.sum([math.inf, -math.inf]).data)


def test_pow_slope_at_zero() -> None:
    for n, slope in ((1, 1.0), (2, 0.0), (3, 0.0), (0.5, math.inf)):
        x = Value(0.0)
        (x**n).backward()
        assert x.grad == slope


def test_sqrt_at_zero_has_infinite_slope() -> None:
    x = Value(0.0)
    x.sqrt().backward()
    assert x.grad == math.inf


def test_step_derivative_is_zero() -> None:
    for x in (-1.0, 0.0, 2.0):
        leaf = Value(x)
        out = leaf.step()
        out.backward()
        assert leaf.grad == 0.0
        assert out.data == float(x > 0)


def test_repr_and_float() -> None:
    v = Value(1.5, label="가중치 w")
    assert repr(v) == "Value(data=1.5, grad=0.0, label='가중치 w')"
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"
    assert float(v) == 1.5


def test_label_and_data_are_writable() -> None:
    v = Value(1.0)
    v.label = "x"
    v.data = 4.0
    assert (v * v).data == 16.0 and v.label == "x"


def test_graph_is_freed_by_reference_counting_alone() -> None:
    gc.collect()
    gc.disable()
    try:
        x = Value(1.0)
        y = x
        for _ in range(1000):
            y = (y * 0.5 + x).tanh()
        y.backward()
        del y
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_gradients_are_bitwise_reproducible() -> None:
    def run() -> list[float]:
        xs = [Value(0.1 * i) for i in range(20)]
        out = Value.sum([(a * b).tanh() + a.sigmoid() for a in xs for b in xs])
        out.backward()
        return [x.grad for x in xs]

    assert run() == run()


# ---- faults a new user hit (issue 10) and gaps mutation testing found ---------------------------


def test_an_integer_too_large_for_a_float_is_a_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="Value: data is an integer with 401 digits, too large for a float"):
        Value(10**400)
    with pytest.raises(ValueError, match="too large for a float"):
        Value(2.0) * 10**400


def test_an_overflowing_power_has_the_ieee_slope_not_an_overflow_error() -> None:
    x = Value(1e-160, "x")
    y = x**-1
    assert y.data == pytest.approx(1e160)
    assert y.local_grads == (-math.inf, 0.0)  # -1/x^2 = -1e320 overflows to -inf
    big = Value(1e200) ** 2
    assert big.data == math.inf and big.local_grads[0] == pytest.approx(2e200)  # 2x is still a float
    assert (Value(-1e200) ** 3).data == -math.inf  # an odd power keeps the sign


def test_backward_on_a_bare_leaf_seeds_it_and_accumulates() -> None:
    x = Value(3.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_unary_plus_is_the_value_itself() -> None:
    x = Value(3.0)
    assert +x is x


@pytest.mark.parametrize("exponent", [0.5, 0.0, 2.0])
def test_second_derivatives_of_a_power_with_a_value_exponent_at_one(exponent: float) -> None:
    assert gradcheck(lambda a, n: a**n, [1.0, exponent], order=2).ok
    # d2/(da dn) a^n = a^(n-1) (1 + n ln a): at a = 1 that is 1, whatever n is
    assert grad(grad(lambda a, n: a**n, 0), 1)(1.0, exponent).data == pytest.approx(1.0)


def test_second_derivatives_of_a_power_with_a_value_exponent_at_zero() -> None:
    d2 = grad(grad(lambda a, n: a**n, 0), 0)
    assert d2(0.0, 2.0).data == 2.0  # d2/da2 a^2
    assert d2(0.0, 3.0).data == 0.0  # d2/da2 a^3 = 6a
    assert grad(lambda a, n: a**n, 1)(0.0, 2.0).data == 0.0  # d/dn a^n = a^n ln a -> 0 as a -> 0+


def test_a_wrapped_number_is_a_constant_leaf_like_one_made_by_hand() -> None:
    x = Value(3.0)
    y = x * 2
    two = y.parents[1]
    assert (two.data, two.grad, two.label, two.role, two.op, two.parents) == (2.0, 0.0, "", "constant", "", ())
    assert two.grad_value is None
    with no_grad():
        assert (x + 1).parents == ()
