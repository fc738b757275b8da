"""Every op of the op table, tested the same way by one helper; and the table is complete.

For each op: the engine's value against the table's forward formula, the
formula on numpy arrays and PyTorch's twin (float64); the first derivative
against central differences and torch.autograd; the second derivative against
finite differences of the first; the three namespaces (floats, Values,
arrays) giving the same local derivatives; the subgradient at its kinks; and
no exception but the documented ones for any float, huge or tiny.  A new block
in `micrograd_ko.autograd.ops` is picked up by every test here without an edit.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from micrograd_ko import DomainError, Value, gradcheck, ops
from micrograd_ko.autograd.custom import apply
from micrograd_ko.autograd.higher_order import VALUES
from micrograd_ko.autograd.namespaces import ARRAYS, FLOATS
from micrograd_ko.autograd.ops import Op
from micrograd_ko.cli.expression import FUNCTIONS
from micrograd_ko.nn import ACTIVATIONS
from micrograd_ko.testing import EDGE, KINK, OPS

BUILT_IN = list(ops.all_ops(builtin_only=True))
N_ARY_INPUTS = {"dot": 5}  # two weights, two inputs and a bias
README = Path(__file__).resolve().parents[2] / "README.md"


def call_engine(op: Op, operands: Sequence[Value]) -> Value:
    """The op the way a user calls it: an operator, a Value method, or a static n-ary method."""
    if op.kind == "operator":
        return apply(op.name, *operands)
    if op.name == "dot":
        n = len(operands) // 2
        return Value.dot(operands[:n], operands[n : 2 * n], operands[2 * n] if len(operands) % 2 else None)
    method = getattr(Value, op.name)
    return method(list(operands)) if op.kind == "n-ary" else method(*operands)


def arity_of(op: Op) -> int:
    return op.arity if op.arity is not None else N_ARY_INPUTS.get(op.name, 3)


def inside(op: Op, point: Sequence[float]) -> bool:
    """The point keeps a margin from the domain's edge and from kinks, as the strategies of testing do."""
    if op.name == "**" and point[0] < EDGE:
        return False  # the exponent is a Value here too, so the base must be positive
    return op.testing.edge(*point) >= EDGE and op.testing.kink(*point) >= KINK


def points(op: Op) -> st.SearchStrategy[list[float]]:
    coordinate = st.floats(-3.0, 3.0, allow_nan=False, allow_subnormal=False)
    return st.lists(coordinate, min_size=arity_of(op), max_size=arity_of(op)).filter(lambda p: inside(op, p))


@pytest.mark.parametrize("op", BUILT_IN, ids=lambda op: op.name)
@given(data=st.data())
def test_every_op_value_and_derivatives(op: Op, data: st.DataObject) -> None:
    point = data.draw(points(op))
    leaves = [Value(x) for x in point]
    out = call_engine(op, leaves)
    assume(math.isfinite(out.data) and abs(out.data) < 1e6)
    expected = op.forward(*point)
    assert out.data == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert float(op.array_forward(*map(np.float64, point))) == pytest.approx(expected, rel=1e-12, abs=1e-12)
    # the node's local derivatives are the table's formula, including on the hand-inlined paths
    assert out.local_grads == pytest.approx(tuple(op.local_grads(FLOATS, out.data, *point)), rel=1e-12, abs=1e-12)
    report = gradcheck(lambda *xs: call_engine(op, xs), point, order=2, raise_on_failure=False)
    assert report.ok, report


@pytest.mark.parametrize("op", BUILT_IN, ids=lambda op: op.name)
@given(data=st.data())
def test_every_local_derivative_is_the_same_on_floats_values_and_arrays(op: Op, data: st.DataObject) -> None:
    batch = [data.draw(points(op)) for _ in range(3)]
    for point in batch:
        out = op.forward(*point)
        assume(math.isfinite(out))
        on_floats = op.local_grads(FLOATS, out, *point)
        node = Value(out)
        on_values = op.local_grads(VALUES, node, *(Value(x) for x in point))
        assert [v.data if isinstance(v, Value) else v for v in on_values] == pytest.approx(on_floats, rel=1e-12)
    columns = [np.array(column) for column in zip(*batch)]
    outs = op.array_forward(*columns)
    on_arrays = op.local_grads(ARRAYS, outs, *columns)
    for i, point in enumerate(batch):
        expected = op.local_grads(FLOATS, op.forward(*point), *point)
        assert [float(np.broadcast_to(g, outs.shape)[i]) for g in on_arrays] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("op", BUILT_IN, ids=lambda op: op.name)
@given(data=st.data())
def test_every_op_matches_its_torch_twin(op: Op, data: st.DataObject) -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: the comparison needs the [torch] extra")
    assert op.torch.function is not None
    point = data.draw(points(op))
    leaves = [Value(x) for x in point]
    out = call_engine(op, leaves)
    assume(math.isfinite(out.data) and abs(out.data) < 1e6)
    out.backward()
    tensors = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]
    twin = op.torch.function(torch, *tensors)
    assert out.data == pytest.approx(twin.item(), rel=1e-12, abs=1e-12)
    grads = torch.autograd.grad(twin, tensors, allow_unused=True)
    expected = [0.0 if g is None else g.item() for g in grads]
    assert [leaf.grad for leaf in leaves] == pytest.approx(expected, rel=1e-9, abs=1e-12)


KINKS = [(op, point) for op in BUILT_IN for point in op.testing.kinks]


@pytest.mark.parametrize(("op", "point"), KINKS, ids=[f"{op.name}{point}" for op, point in KINKS])
def test_at_a_kink_the_engine_takes_the_documented_subgradient(op: Op, point: tuple[float, ...]) -> None:
    out = call_engine(op, [Value(x) for x in point])
    assert out.local_grads == tuple(op.local_grads(FLOATS, out.data, *point))
    report = gradcheck(lambda *xs: call_engine(op, xs), list(point), raise_on_failure=False)
    statuses = {row.status for row in report.rows}
    assert "not differentiable" in statuses and "mismatch" not in statuses


EXTREME = st.one_of(
    st.floats(allow_nan=False),
    st.sampled_from([1e-160, -1e-160, 1e308, -1e308, 5e-324, 0.0, -0.0, math.inf, -math.inf]),
)


@pytest.mark.parametrize("op", BUILT_IN, ids=lambda op: op.name)
@given(data=st.data())
def test_extreme_floats_give_ieee_results_or_a_documented_error(op: Op, data: st.DataObject) -> None:
    point = data.draw(st.lists(EXTREME, min_size=arity_of(op), max_size=arity_of(op)))
    leaves = [Value(x) for x in point]
    try:
        out = call_engine(op, leaves)
    except (DomainError, ZeroDivisionError) as error:
        assert op.message_name in str(error)
        return
    assert isinstance(out.data, float) and all(isinstance(g, float) for g in out.local_grads)
    out.backward()


def test_the_table_is_complete() -> None:
    readme = README.read_text(encoding="utf-8")
    for op in BUILT_IN:
        assert op.doc, f"{op.name} has no doc"
        assert callable(op.forward) and callable(op.array_forward) and callable(op.local_grads)
        assert op.torch.function is not None, f"{op.name} has no torch twin"
        assert op.name in OPS, f"{op.name} is not drawn by the hypothesis strategies"
        if op.kind == "operator":
            assert op.symbol, f"operator {op.name} has no symbol"
        else:
            assert hasattr(Value, op.name), f"{op.name} has no Value method"
            assert (op.name in FUNCTIONS) == op.listed.drawable, f"{op.name}: the draw command's list disagrees"
        assert (op.name in ACTIVATIONS) == op.listed.activation
        assert bool(op.testing.kinks) == (op.testing.kink(*[1.0] * arity_of(op)) != math.inf)
        assert re.search(rf"`{re.escape(op.symbol or op.name)}`", readme), f"README does not list {op.name}"
    assert set(OPS) == {op.name for op in BUILT_IN}


def test_apply_reaches_every_op_and_fills_defaults() -> None:
    x = Value(-2.0)
    assert apply("leaky_relu", x).data == pytest.approx(-0.02)
    assert apply("**", x, 2).local_grads == (x**2).local_grads
    with pytest.raises(TypeError, match="tanh: number of inputs must be 1, got 2"):
        apply("tanh", x, x)
    with pytest.raises(KeyError, match="no op named 'nope'"):
        apply("nope", x)


def test_built_in_ops_cannot_be_replaced_or_removed() -> None:
    with pytest.raises(ValueError, match="register: op must not replace a built-in op, got 'tanh'"):
        ops.register(ops.lookup("tanh"))
    with pytest.raises(ValueError, match="unregister: name must not be a built-in op, got 'tanh'"):
        ops.unregister("tanh")


def test_new_ops_max_min_sin_cos_and_a_learned_slope() -> None:
    a, b, c = Value(1.0), Value(3.0), Value(3.0)
    top = Value.max([a, b, c])
    top.backward()
    assert (top.data, a.grad, b.grad, c.grad) == (3.0, 0.0, 1.0, 0.0)  # the first arg-max takes it
    assert Value.min([b, a, 2.0]).local_grads == (0.0, 1.0, 0.0)
    with pytest.raises(ValueError, match=r"max: values must hold at least one value, got \[\]"):
        Value.max([])
    x, alpha = Value(-2.0), Value(0.25, role="parameter")
    y = x.leaky_relu(alpha)
    y.backward()
    assert (y.data, x.grad, alpha.grad) == (-0.5, 0.25, -2.0)  # d/dalpha = min(x, 0)
    t = Value(0.3)
    assert (t.sin().data, t.cos().data) == (math.sin(0.3), math.cos(0.3))


METHODS = {"+": "__add__", "-": "__sub__", "*": "__mul__", "/": "__truediv__", "**": "__pow__", "neg": "__neg__"}


@pytest.mark.parametrize("op", BUILT_IN, ids=lambda op: op.name)
def test_every_value_method_is_documented_by_its_block(op: Op) -> None:
    method = getattr(Value, METHODS.get(op.name, op.name))
    if op.name in ("/", "**", "leaky_relu", "elu", "max", "min"):  # written apart, with what the block omits
        assert method.__doc__
    else:
        assert method.__doc__ == op.doc, f"Value.{method.__name__} is not documented by the {op.name!r} block"


def _readme_block() -> Op:
    """The README's example block, run as code: what `register(Op(...))` there defines."""
    block = re.search(r"```py\n(register\(Op\(\n.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)
    assert block is not None
    defined: list[Op] = []
    names = {**vars(ops), "np": np, "math": math, "FLOATS": FLOATS, "register": defined.append}
    exec(compile(block.group(1), "README.md", "exec"), names)
    assert len(defined) == 1
    return defined[0]


def test_the_readme_block_means_what_the_table_says() -> None:
    shown = _readme_block()
    real = ops.lookup(shown.name)
    assert (shown.arity, shown.doc) == (real.arity, real.doc)
    for a in (-2.5, -0.3, 0.0, 0.7, 3.1):
        assert shown.forward(a) == real.forward(a)
        assert float(shown.array_forward(np.float64(a))) == float(real.array_forward(np.float64(a)))
        out = real.forward(a)
        assert shown.local_grads(FLOATS, out, a) == real.local_grads(FLOATS, out, a)
        assert shown.local_grads(ARRAYS, np.array([out]), np.array([a])) == real.local_grads(
            ARRAYS, np.array([out]), np.array([a])
        )


def test_the_readme_method_line_makes_the_method() -> None:
    method = re.search(r"메서드 한 줄\(`(\w+) = _elementary\(\"(\w+)\"\)`", README.read_text(encoding="utf-8"))
    assert method is not None
    name, op_name = method.groups()
    made = getattr(Value, name)
    assert (made.__qualname__, made.__doc__) == (f"Value.{name}", ops.lookup(op_name).doc)
    assert made(Value(0.5)).op == op_name


# ---- paths the table-walking tests above never reach ------------------------------------------------------------


@pytest.mark.parametrize("exponent", [-1.0, -2.0, -3.0, -4.0, -0.5, -2.5])
@pytest.mark.parametrize("base", [0.0, -0.0])
def test_zero_to_a_negative_power_is_an_infinity_signed_as_ieee_in_the_namespaces(base: float, exponent: float) -> None:
    # The engine refuses 0 ** negative (ZeroDivisionError), but a derivative n * a^(n-1) meets it at a = ±0:
    # IEEE 754 (and numpy) give -inf for -0.0 to a negative odd integer, +inf otherwise; math.pow only raises.
    with pytest.raises(ZeroDivisionError, match="divides by zero"):
        Value(base) ** exponent
    odd = exponent.is_integer() and exponent % 2.0 == 1.0
    expected = -math.inf if odd and math.copysign(1.0, base) < 0.0 else math.inf
    with np.errstate(divide="ignore"):
        assert float(np.power(base, exponent)) == expected  # the rule as numpy states it
    assert FLOATS.power(base, exponent) == expected
    assert float(ARRAYS.power(np.array([base]), exponent)[0]) == expected


@pytest.mark.parametrize("n", [1, 2, 3])
@pytest.mark.parametrize("with_bias", [True, False])
def test_the_dot_blocks_float_and_array_formulas_agree_with_value_dot(n: int, with_bias: bool) -> None:
    # Value.dot is hand-inlined; the block's forward and local_grads are what the compiled and higher-order
    # modes read, and the table-walking tests only ever call them with a bias.
    dot = ops.lookup("dot")
    rng = np.random.default_rng(n)
    point = rng.normal(size=2 * n + with_bias).tolist()
    bias = point[2 * n] if with_bias else None
    node = Value.dot([Value(w) for w in point[:n]], [Value(x) for x in point[n : 2 * n]], bias)
    assert dot.forward(*point) == node.data
    assert tuple(dot.local_grads(FLOATS, node.data, *point)) == node.local_grads
    columns = [np.array([v, 2.0 * v]) for v in point]
    assert float(dot.array_forward(*columns)[0]) == pytest.approx(node.data, rel=1e-15)
    on_arrays = dot.local_grads(ARRAYS, dot.array_forward(*columns), *columns)
    assert [float(np.broadcast_to(g, (2,))[0]) for g in on_arrays] == list(node.local_grads)


def test_the_elu_twins_default_alpha_is_torchs_and_the_ops() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: the comparison needs the [torch] extra")
    elu = ops.lookup("elu")
    assert elu.torch.module is not None and elu.torch.module.name == "ELU"
    module = getattr(torch.nn, elu.torch.module.name)(**elu.torch.module.settings)
    assert module.alpha == torch.nn.ELU().alpha == elu.defaults[0]
    x = torch.tensor([-1.5, -0.2], dtype=torch.float64)
    assert module(x).tolist() == pytest.approx([Value(-1.5).elu().data, Value(-0.2).elu().data], rel=1e-15)


@pytest.mark.parametrize("alpha", [0.5, 2.0])
def test_elu_at_its_kink_with_alpha_other_than_1_has_torchs_gradient(alpha: float) -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is not installed: the comparison needs the [torch] extra")
    elu = ops.lookup("elu")
    assert elu.torch.function is not None
    a, slope = Value(0.0), Value(alpha)
    a.elu(slope).backward()
    a_t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    torch.nn.functional.elu(a_t, alpha=alpha).backward()
    assert a.grad == a_t.grad.item() == alpha  # torch takes the left derivative, alpha e^0, at the kink
    twin_a, twin_alpha = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.0, alpha))
    grads = torch.autograd.grad(elu.torch.function(torch, twin_a, twin_alpha), (twin_a, twin_alpha))
    assert [g.item() for g in grads] == [a.grad, slope.grad] == [alpha, 0.0]
