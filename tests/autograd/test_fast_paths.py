"""The fast paths (nn.functional.linear, the zero-gradient skip in backward) give exactly the plain results."""

from __future__ import annotations

import math
from typing import cast

import numpy as np
import pytest

from micrograd_ko import Value, data, losses
from micrograd_ko.nn import MLP
from micrograd_ko.nn.functional import linear


def _plain_backward(root: Value) -> None:
    """The chain rule with no shortcut: every node sends local * grad to every parent."""
    order = root.topological_order()
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    for node in reversed(order):
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * node.grad


def test_linear_builds_the_same_nodes_as_dot() -> None:
    rng = np.random.default_rng(0)
    inputs = [Value(float(v)) for v in rng.normal(size=5)]
    rows = [[Value(float(v), role="parameter") for v in rng.normal(size=5)] for _ in range(4)]
    biases: list[Value | float | None] = [Value(0.5), None, 2.0, Value(-1.0)]
    many = linear(inputs, rows, biases)
    assert len(many) == len(rows)
    for node, row, bias in zip(many, rows, biases):
        single = Value.dot(row, inputs, bias=bias)
        assert node.data == single.data
        assert node.op == single.op == "dot"
        assert node.local_grads == single.local_grads
        assert node.parents[:10] == single.parents[:10]  # weights then inputs: the same objects
        assert len(node.parents) == len(single.parents)


def test_linear_accepts_numbers_and_no_biases() -> None:
    outputs = linear([Value(0.5), 0.25], [[1.0, 2.0], [3, Value(4.0)]])
    assert [o.data for o in outputs] == [1.0, 2.5]
    assert all(len(o.parents) == 4 for o in outputs)


def test_linear_refuses_mismatched_shapes() -> None:
    x = [Value(1.0), Value(2.0)]
    with pytest.raises(ValueError, match=r"linear: weight\[1\] must have one weight per input \(2\), got 3"):
        linear(x, [[1.0, 2.0], [1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"linear: bias must have one entry per row of weight \(2\), got 1"):
        linear(x, [[1.0, 2.0], [1.0, 2.0]], [None])
    with pytest.raises(TypeError, match=r"^linear: operand must be a real number, got '2'$"):
        linear(x, [[1.0, "2"]])  # type: ignore[list-item]


def test_backward_equals_the_plain_chain_rule_on_a_relu_network() -> None:
    """Dead ReLUs and met margins give zero gradients that backward skips; the result is bitwise the same."""
    X, y = data.moons(n=40, noise=0.1, seed=3, labels="pm1")
    model = MLP(2, [16, 16, 1], seed=3)
    scores = [cast(Value, model(row)) for row in X.tolist()]
    loss = losses.hinge(scores, y.tolist()) + 1e-4 * losses.l2(model.parameters())
    loss.backward()
    fast = [p.grad for p in model.parameters()]
    assert any(node.parents and node.grad == 0.0 for node in loss.topological_order())  # something was skipped
    _plain_backward(loss)
    assert fast == [p.grad for p in model.parameters()]


def test_a_zero_gradient_still_carries_nan_through_an_infinite_slope() -> None:
    x = Value(0.0)
    y = x.sqrt().relu() * 0.0  # upstream 0, local derivative inf: 0 * inf = NaN as in IEEE arithmetic
    y.backward()
    assert math.isnan(x.grad)


def test_linear_matches_torch_functional_linear() -> None:
    torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install 'micrograd_ko[torch]')")
    rng = np.random.default_rng(1)
    x_np, w_np, b_np = rng.normal(size=4), rng.normal(size=(3, 4)), rng.normal(size=3)
    xs = [Value(float(v)) for v in x_np]
    weight = [[Value(float(v), role="parameter") for v in row] for row in w_np]
    bias = [Value(float(v), role="parameter") for v in b_np]
    outputs = linear(xs, weight, bias)
    Value.sum([(i + 1) * y for i, y in enumerate(outputs)]).backward()

    x_t, w_t, b_t = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x_np, w_np, b_np))
    out_t = torch.nn.functional.linear(x_t, w_t, b_t)
    (out_t * torch.arange(1, 4, dtype=torch.float64)).sum().backward()
    np.testing.assert_allclose([y.data for y in outputs], out_t.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose([x.grad for x in xs], x_t.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose([[w.grad for w in row] for row in weight], w_t.grad.numpy(), rtol=1e-12)
    np.testing.assert_allclose([b.grad for b in bias], b_t.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ([1.0, 2.0], [0.5, -0.5]),
            r"^linear: weight must be a list of rows laid out \[out\]\[in\], .*got \[0.5, -0.5\]$",
        ),
        (([1.0], 0.5), r"^linear: weight must be a list of rows laid out \[out\]\[in\], .*got 0.5$"),
        ((1.0, [[0.5]]), r"^linear: inputs must be a list of Values or numbers, got 1.0$"),
        ((Value(1.0), [[0.5]]), r"^linear: inputs must be a list of Values or numbers, got Value\(data=1.0"),
        (([1.0], [[0.5]], 0.1), r"^linear: bias must be a list with one number per output, or None, got 0.1$"),
    ],
)
def test_linear_says_how_weight_and_bias_are_laid_out(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        linear(*args)  # type: ignore[arg-type]
