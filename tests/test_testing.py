"""micrograd_ko.testing: the strategies themselves, and hundreds of random graphs checked with them."""

from __future__ import annotations

import math
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_ko import CustomOp, GradcheckError, Value, grad
from micrograd_ko.autograd import ops as op_table
from micrograd_ko.testing import (
    EDGE,
    KINK,
    LIMIT,
    OPS,
    SMOOTH_OPS,
    Expression,
    Ref,
    Step,
    assert_gradients_match,
    expressions,
    values,
)

TORCH_REASON = "PyTorch is not installed: the comparison with torch.autograd needs the [torch] extra"


# ---- the random graphs, against finite differences ------------------------------------


@settings(max_examples=300)
@given(expressions())
def test_random_graphs_match_finite_differences(expr: Expression) -> None:
    report = assert_gradients_match(expr, expr.inputs)
    assert len(report.rows) == expr.n_inputs


@settings(max_examples=100)
@given(expressions(max_inputs=2, max_steps=6))
def test_random_graphs_second_derivatives_match_finite_differences(expr: Expression) -> None:
    report = assert_gradients_match(expr, expr.inputs, order=2)
    assert len(report.rows) == expr.n_inputs + expr.n_inputs**2


@pytest.mark.slow
@settings(max_examples=5000)
@given(expressions(max_inputs=4, max_steps=25))
def test_many_large_random_graphs_match_finite_differences(expr: Expression) -> None:
    assert_gradients_match(expr, expr.inputs)


@pytest.mark.slow
@settings(max_examples=1000)
@given(expressions(max_inputs=3, max_steps=12))
def test_many_random_graphs_second_derivatives_match_finite_differences(expr: Expression) -> None:
    assert_gradients_match(expr, expr.inputs, order=2)


# ---- the random graphs, against torch.autograd in float64 -------------------------------


def _torch_ops() -> dict[str, Any]:
    """Every op's PyTorch twin, from the op table."""
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    def twin(op: op_table.Op) -> Any:
        return lambda *args: op.torch.function(torch, *op.with_defaults(args))  # type: ignore[misc]

    return {op.name: twin(op) for op in op_table.all_ops() if op.torch.function is not None}


def _torch_inputs(expr: Expression) -> list[Any]:
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in expr.inputs]


def _torch_total(nodes: list[Any]) -> Any:
    return sum(nodes[1:], nodes[0])


@settings(max_examples=150)
@given(expressions())
def test_random_graphs_match_torch_autograd(expr: Expression) -> None:
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    ops = _torch_ops()
    xs = _torch_inputs(expr)
    expected_out = expr.evaluate(xs, lambda op, args: ops[op](*args), _torch_total)
    expected = torch.autograd.grad(expected_out, xs, allow_unused=True)

    values_ = [Value(x) for x in expr.inputs]
    out = expr(*values_)
    out.backward()
    assert out.data == pytest.approx(expected_out.item(), rel=1e-12, abs=1e-12)
    scale = 1.0 + max(abs(v.grad) for v in values_)
    for v, e in zip(values_, expected):
        assert v.grad == pytest.approx(0.0 if e is None else e.item(), rel=1e-9, abs=1e-12 * scale)


@settings(max_examples=75)
@given(expressions(max_inputs=3, max_steps=6))
def test_random_graph_hessians_match_torch_autograd(expr: Expression) -> None:
    torch = pytest.importorskip("torch", reason=TORCH_REASON)
    ops = _torch_ops()
    xs = _torch_inputs(expr)
    n = expr.n_inputs
    out = expr.evaluate(xs, lambda op, args: ops[op](*args), _torch_total)
    first = torch.autograd.grad(out, xs, create_graph=True, allow_unused=True)
    expected = [[0.0] * n for _ in range(n)]
    for j, g in enumerate(first):
        if g is not None and g.requires_grad:
            for i, h in enumerate(torch.autograd.grad(g, xs, retain_graph=True, allow_unused=True)):
                expected[j][i] = 0.0 if h is None else h.item()

    every = tuple(range(n))
    hessian = [
        [d.data for d in grad(lambda *vs, j=j: grad(expr, every)(*vs)[j], every)(*expr.inputs)] for j in range(n)
    ]
    scale = 1.0 + max(abs(h) for row in hessian for h in row)
    for row, expected_row in zip(hessian, expected):
        assert row == pytest.approx(expected_row, rel=1e-9, abs=1e-12 * scale)


# ---- what the strategies draw ---------------------------------------------------------


def test_expressions_cover_every_op_share_nodes_and_reuse_them() -> None:
    seen: Counter[str] = Counter()

    @settings(max_examples=300, database=None)
    @given(expressions())
    def collect(expr: Expression) -> None:
        refs = [t.index for step in expr.steps for t in step.operands if isinstance(t, Ref)]
        seen.update(step.op for step in expr.steps)
        if len(refs) != len(set(refs)):
            seen["a node used twice"] += 1
        if any(_meets_itself(step) for step in expr.steps):
            seen["a node meeting itself"] += 1
        if any(i >= expr.n_inputs for i in refs):
            seen["a computed node reused"] += 1

    collect()
    assert set(OPS) <= set(seen), f"never drawn: {set(OPS) - set(seen)}"
    for shape in ("a node used twice", "a node meeting itself", "a computed node reused"):
        assert seen[shape] >= 10, seen


def _meets_itself(step: Step) -> bool:
    refs = [t for t in step.operands if isinstance(t, Ref)]
    return len(set(refs)) < len(refs)


@settings(max_examples=200)
@given(expressions())
def test_every_node_respects_its_domain_rules(expr: Expression) -> None:
    out = expr(*expr.inputs)
    for node in out.topological_order()[:-1]:  # the output itself is a sum of nodes, unbounded
        assert math.isfinite(node.data) and abs(node.data) <= LIMIT
        data = [p.data for p in node.parents]
        if node.op in ("abs", "relu", "leaky_relu", "elu", "step"):
            assert abs(data[0]) >= KINK
        if node.op in ("log", "sqrt"):
            assert data[0] >= EDGE
        if node.op == "/":
            assert abs(data[1]) >= EDGE
        if node.op == "**" and (node.parents[1].role != "constant" or not data[1].is_integer()):
            assert data[0] >= EDGE


@settings(max_examples=100)
@given(expressions(ops=SMOOTH_OPS))
def test_ops_selection_is_respected(expr: Expression) -> None:
    assert {step.op for step in expr.steps} <= set(SMOOTH_OPS) | {"tanh"}


@given(values(-2, 2, avoid=[0.0, 1.0], margin=0.1))
def test_values_stay_in_range_and_away_from_avoided_points(x: float) -> None:
    assert -2 <= x <= 2 and math.isfinite(x)
    assert abs(x) >= 0.1 and abs(x - 1.0) >= 0.1


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: values(1.0, 1.0), ValueError, r"^values: max_value must be greater than min_value \(1.0\), got 1.0$"),
        (lambda: values(0.0, math.inf), ValueError, "^values: max_value must be a finite number, got inf$"),
        (lambda: values("0", 1.0), TypeError, "^values: min_value must be a real number, got '0'$"),
        (lambda: values(margin=-1.0), ValueError, "^values: margin must be >= 0, got -1.0$"),
        (
            lambda: expressions(ops=["tanh", "cosh"]),
            ValueError,
            r"^expressions: ops must be a non-empty selection of .*, got \['tanh', 'cosh'\] \(unknown: \['cosh'\]\)$",
        ),
        (lambda: expressions(ops=[]), ValueError, r"^expressions: ops must be a non-empty selection of .*, got \[\]"),
        (
            lambda: expressions(ops="tanh"),
            TypeError,
            "^expressions: ops must be a non-empty selection of .*, got 'tanh'$",
        ),
        (lambda: expressions(max_steps=0), ValueError, "^expressions: max_steps must be >= 1, got 0$"),
        (lambda: expressions(max_inputs=1.5), TypeError, "^expressions: max_inputs must be an integer, got 1.5$"),
    ],
)
def test_strategy_arguments_are_validated(make: Any, error: type[Exception], pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        make()


# ---- Expression and assert_gradients_match ---------------------------------------------


SHARED = Expression(
    inputs=(0.5, -1.0),
    steps=(
        Step("*", (Ref(0), Ref(1))),  # v2 = x0 * x1
        Step("tanh", (Ref(2),)),  # v3 = tanh(v2)
        Step("+", (Ref(2), Ref(3))),  # v4 = v2 + v3
        Step("**", (Ref(3), 2.0)),  # v5 = v3 ** 2
    ),
    outputs=(4, 5),
)


def test_expression_runs_its_program() -> None:
    x0, x1 = 0.5, -1.0
    v2 = x0 * x1
    v3 = math.tanh(v2)
    assert SHARED(x0, x1).data == pytest.approx((v2 + v3) + v3**2, rel=1e-15)
    assert SHARED(Value(x0), Value(x1)).op == "sum"


def test_expression_prints_as_its_program() -> None:
    assert repr(SHARED) == (
        "Expression(x0=0.5, x1=-1.0; v2 = x0 * x1; v3 = tanh(v2); v4 = v2 + v3; v5 = v3 ** 2.0; out = v4 + v5)"
    )


def test_expression_checks_its_arity() -> None:
    with pytest.raises(TypeError, match=r"^Expression: inputs must be 2 arguments, got 1$"):
        SHARED(1.0)


def test_expression_evaluates_with_other_ops() -> None:
    def apply(op: str, args: tuple[str | float, ...]) -> str:
        return f"{op}({', '.join(map(str, args))})"

    text = SHARED.evaluate(["a", "b"], apply, lambda nodes: " + ".join(nodes))
    assert text == "+(*(a, b), tanh(*(a, b))) + **(tanh(*(a, b)), 2.0)"


def test_assert_gradients_match_raises_on_a_wrong_op() -> None:
    wrong_exp = CustomOp("exp_with_wrong_derivative", math.exp, lambda m, out, x: out + 1.0)
    with pytest.raises(GradcheckError, match="gradcheck failed for x"):
        assert_gradients_match(lambda x: wrong_exp(x * 2.0), [0.3])


def test_assert_gradients_match_accepts_kinks() -> None:
    # relu(x y) has a kink in x at x = 0, y = 2; along y it is flat there (x y stays 0).
    report = assert_gradients_match(lambda x, y: (x * y).relu(), [0.0, 2.0])
    assert [row.status for row in report.rows] == ["not differentiable", "ok"]


@given(st.just(0))
def test_assert_gradients_match_works_inside_a_hypothesis_test(_: int) -> None:
    assert assert_gradients_match(Value.relu, [0.0]).non_differentiable


def test_importing_the_package_does_not_need_hypothesis() -> None:
    code = "import sys, micrograd_ko; print('hypothesis' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
