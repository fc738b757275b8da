"""Losses: values by hand and by numpy, gradients by finite differences and torch, stability, errors."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_ko import Value, losses
from micrograd_ko.nn import MLP, Linear, ReLU, Sequential

Inputs = tuple[list[float], list[float]]
"""(the numbers the loss is differentiated by, the fixed targets / labels / weights)."""


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _paired(xs: st.SearchStrategy[float], ts: st.SearchStrategy[float], min_size: int = 1) -> st.SearchStrategy[Inputs]:
    return st.integers(min_size, 6).flatmap(
        lambda n: st.tuples(st.lists(xs, min_size=n, max_size=n), st.lists(ts, min_size=n, max_size=n))
    )


def _with_one_hot(xs: st.SearchStrategy[float]) -> st.SearchStrategy[Inputs]:
    def build(n: int) -> st.SearchStrategy[Inputs]:
        one_hot = st.integers(0, n - 1).map(lambda k: [float(i == k) for i in range(n)])
        return st.tuples(st.lists(xs, min_size=n, max_size=n), one_hot)

    return st.integers(2, 6).flatmap(build)


def _np_softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


def _class(one_hot: list[float]) -> int:
    return one_hot.index(1.0)


@dataclass(frozen=True)
class LossCase:
    """One loss seen three ways: ours, a numpy formula, and torch."""

    name: str
    inputs: st.SearchStrategy[Inputs]
    ours: Callable[[list[Value], list[float]], Value]
    numpy: Callable[[np.ndarray, np.ndarray], float]
    torch: Callable[[Any, Any, Any], Any]  # (torch module, differentiated tensor, targets tensor) -> scalar


# Kinks are kept out of the finite-difference domain: hinge's relu bends where y * s = 1, i.e. |s| = 1.
away_from_hinge_kink = _floats(-3, 3).filter(lambda s: abs(abs(s) - 1.0) > 1e-3)
probabilities = _floats(0.05, 0.95)

CASES = [
    LossCase(
        "mse",
        _paired(_floats(-5, 5), _floats(-5, 5)),
        losses.mse,
        lambda y, t: float(np.mean((y - t) ** 2)),
        lambda torch, y, t: torch.nn.functional.mse_loss(y, t),
    ),
    LossCase(
        "sse",
        _paired(_floats(-5, 5), _floats(-5, 5)),
        losses.sse,
        lambda y, t: float(0.5 * np.sum((y - t) ** 2)),
        lambda torch, y, t: 0.5 * torch.nn.functional.mse_loss(y, t, reduction="sum"),
    ),
    LossCase(
        "cross_entropy",
        _with_one_hot(probabilities),
        losses.cross_entropy,
        lambda p, t: float(-np.sum(t * np.log(p + 1e-7))),
        lambda torch, p, t: torch.nn.functional.nll_loss(torch.log(p + 1e-7)[None], t.argmax()[None]),
    ),
    LossCase(
        "softmax",  # reduced to one number by a fixed weighted sum of the probabilities
        _paired(_floats(-5, 5), _floats(-2, 2), min_size=2),
        lambda xs, ws: Value.dot(ws, losses.softmax(xs)),
        lambda x, w: float(w @ _np_softmax(x)),
        lambda torch, x, w: w @ torch.nn.functional.softmax(x, dim=0),
    ),
    LossCase(
        "log_softmax",
        _paired(_floats(-5, 5), _floats(-2, 2), min_size=2),
        lambda xs, ws: Value.dot(ws, losses.log_softmax(xs)),
        lambda x, w: float(w @ np.log(_np_softmax(x))),
        lambda torch, x, w: w @ torch.nn.functional.log_softmax(x, dim=0),
    ),
    LossCase(
        "softmax_cross_entropy",
        _with_one_hot(_floats(-5, 5)),
        lambda xs, t: losses.softmax_cross_entropy(xs, _class(t)),
        lambda x, t: float(-np.log(_np_softmax(x)[int(t.argmax())])),
        lambda torch, x, t: torch.nn.functional.cross_entropy(x[None], t.argmax()[None]),
    ),
    LossCase(
        "binary_cross_entropy",
        _paired(probabilities, st.sampled_from([0.0, 1.0])),
        losses.binary_cross_entropy,
        lambda p, t: float(-np.mean(t * np.log(p + 1e-7) + (1 - t) * np.log(1 - p + 1e-7))),
        lambda torch, p, t: torch.nn.functional.binary_cross_entropy(p, t),  # compared with eps=0
    ),
    LossCase(
        "hinge",
        _paired(away_from_hinge_kink, st.sampled_from([-1.0, 1.0])),
        losses.hinge,
        lambda s, y: float(np.mean(np.maximum(0.0, 1.0 - y * s))),
        lambda torch, s, y: torch.nn.functional.relu(1.0 - y * s).mean(),
    ),
    LossCase(
        "l2",
        _paired(_floats(-5, 5), st.just(0.0)),
        lambda ps, _: losses.l2(ps),
        lambda p, _: float(np.sum(p**2)),
        lambda torch, p, _: (p**2).sum(),
    ),
]
CASE_IDS = [case.name for case in CASES]


def loss_and_grads(case: LossCase, xs: list[float], ts: list[float]) -> tuple[float, list[float]]:
    leaves = [Value(x) for x in xs]
    loss = case.ours(leaves, ts)
    loss.backward()
    return loss.data, [leaf.grad for leaf in leaves]


def central_differences(f: Callable[[list[float]], float], xs: list[float], h: float = 1e-6) -> list[float]:
    slopes = []
    for i in range(len(xs)):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        slopes.append((f(up) - f(down)) / (2 * h))
    return slopes


# ---- hand-computed values ----------------------------------------------------------------


def test_regression_losses_by_hand() -> None:
    # errors 1, 2, -3: squares 1, 4, 9
    assert losses.mse([2.0, 3.0, -2.0], [1.0, 1.0, 1.0]).data == pytest.approx(14 / 3, abs=1e-15)
    assert losses.sse([2.0, 3.0, -2.0], [1.0, 1.0, 1.0]).data == pytest.approx(7.0, abs=1e-15)


def test_classification_losses_by_hand() -> None:
    assert losses.cross_entropy([0.25, 0.75], [0, 1]).data == pytest.approx(-math.log(0.75 + 1e-7), abs=1e-15)
    # logits 0 and ln 3 give probabilities 1/4 and 3/4
    assert [p.data for p in losses.softmax([0.0, math.log(3.0)])] == pytest.approx([0.25, 0.75], abs=1e-15)
    assert losses.softmax_cross_entropy([0.0, math.log(3.0)], 1).data == pytest.approx(math.log(4 / 3), abs=1e-15)
    assert [p.data for p in losses.log_softmax([0.0, math.log(3.0)])] == pytest.approx(
        [math.log(0.25), math.log(0.75)], abs=1e-15
    )
    bce = losses.binary_cross_entropy([0.8, 0.1], [1, 0]).data
    assert bce == pytest.approx(-(math.log(0.8 + 1e-7) + math.log(0.9 + 1e-7)) / 2, abs=1e-15)
    # margins: 1 - 2 < 0 costs 0, 1 - 0.5 = 0.5, 1 - (-1) = 2
    assert losses.hinge([2.0, 0.5, 1.0], [1, 1, -1]).data == pytest.approx(2.5 / 3, abs=1e-15)
    assert losses.l2([Value(3.0), Value(-4.0)]).data == 25.0


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@given(data=st.data())
def test_value_matches_numpy_formula(case: LossCase, data: st.DataObject) -> None:
    xs, ts = data.draw(case.inputs)
    value, _ = loss_and_grads(case, xs, ts)
    assert value == pytest.approx(case.numpy(np.array(xs), np.array(ts)), rel=1e-12, abs=1e-12)


# ---- gradients ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@given(data=st.data())
def test_gradient_matches_central_differences(case: LossCase, data: st.DataObject) -> None:
    xs, ts = data.draw(case.inputs)
    _, grads = loss_and_grads(case, xs, ts)
    numeric = central_differences(lambda values: case.ours([Value(v) for v in values], ts).data, xs)
    assert grads == pytest.approx(numeric, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
@settings(max_examples=30)
@given(data=st.data())
def test_matches_torch_functional(case: LossCase, data: st.DataObject) -> None:
    torch = pytest.importorskip("torch", reason="torch is not installed: comparison with torch.nn.functional skipped")
    xs, ts = data.draw(case.inputs)
    leaves = [Value(x) for x in xs]
    if case.name == "binary_cross_entropy":
        loss = losses.binary_cross_entropy(leaves, ts, eps=0.0)  # torch's formula has no eps
    else:
        loss = case.ours(leaves, ts)
    loss.backward()
    x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    expected = case.torch(torch, x, torch.tensor(ts, dtype=torch.float64))
    expected.backward()
    assert loss.data == pytest.approx(expected.item(), rel=1e-12, abs=1e-12)
    assert [leaf.grad for leaf in leaves] == pytest.approx(x.grad.tolist(), rel=1e-12, abs=1e-12)


@given(data=_paired(_floats(-1e3, 1e3), _floats(-1e3, 1e3)))
def test_sse_gradient_is_exactly_the_error(data: Inputs) -> None:
    ys, ts = data
    outputs = [Value(y) for y in ys]
    losses.sse(outputs, ts).backward()
    assert [y.grad for y in outputs] == [y - t for y, t in zip(ys, ts)]


# ---- stability --------------------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(3))
def test_softmax_cross_entropy_is_exact_at_logits_of_plus_minus_1000(k: int) -> None:
    logits = [Value(1000.0), Value(-1000.0), Value(0.0)]
    loss = losses.softmax_cross_entropy(logits, k)
    loss.backward()
    assert loss.data == [0.0, 2000.0, 1000.0][k]
    # d/dx_j = softmax_j - [j == k], and softmax is (1, 0, 0) to double precision
    assert [x.grad for x in logits] == [1.0 - (k == 0), -float(k == 1), -float(k == 2)]


def test_log_softmax_and_softmax_are_finite_at_plus_minus_1000() -> None:
    logits = [Value(1000.0), Value(-1000.0), Value(0.0)]
    outs = losses.log_softmax(logits)
    assert [o.data for o in outs] == [0.0, -2000.0, -1000.0]
    Value.sum(outs).backward()
    # d/dx_j sum_i log_softmax_i = 1 - n * softmax_j
    assert [x.grad for x in logits] == [-2.0, 1.0, 1.0]
    assert [p.data for p in losses.softmax([1000.0, -1000.0, 1000.0])] == [0.5, 0.0, 0.5]
    assert losses.softmax_cross_entropy([1000.0, 1000.0], 0).data == pytest.approx(math.log(2.0), abs=1e-15)


@settings(max_examples=50)
@given(data=_with_one_hot(_floats(-1000, 1000)))
def test_softmax_cross_entropy_matches_torch_over_huge_logits(data: Inputs) -> None:
    torch = pytest.importorskip("torch", reason="torch is not installed: comparison with torch.nn.functional skipped")
    xs, one_hot = data
    logits = [Value(x) for x in xs]
    loss = losses.softmax_cross_entropy(logits, _class(one_hot))
    loss.backward()
    x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(x[None], torch.tensor([_class(one_hot)]))
    expected.backward()
    assert math.isfinite(loss.data)
    assert loss.data == pytest.approx(expected.item(), rel=1e-12, abs=1e-12)
    assert [v.grad for v in logits] == pytest.approx(x.grad.tolist(), rel=1e-12, abs=1e-12)


def test_eps_keeps_cross_entropies_finite_at_probabilities_0_and_1() -> None:
    assert losses.cross_entropy([0.0, 1.0], [1, 0]).data == pytest.approx(-math.log(1e-7))
    probs = [Value(0.0), Value(1.0)]
    loss = losses.binary_cross_entropy(probs, [1, 0])
    loss.backward()
    assert loss.data == pytest.approx(-math.log(1e-7))
    assert [p.grad for p in probs] == pytest.approx([-0.5 / 1e-7, 0.5 / 1e-7])


# ---- graph shape ------------------------------------------------------------------------------------


def graph_depth(root: Value) -> int:
    depth: dict[int, int] = {}
    for node in root.topological_order():
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents), default=-1)
    return depth[id(root)]


SHAPES: list[tuple[str, Callable[[list[Value]], Value]]] = [
    ("mse", lambda xs: losses.mse(xs, [0.5] * len(xs))),
    ("sse", lambda xs: losses.sse(xs, [0.5] * len(xs))),
    ("softmax_cross_entropy", lambda xs: losses.softmax_cross_entropy(xs, 0)),
    ("log_softmax", lambda xs: Value.sum(losses.log_softmax(xs))),
    ("cross_entropy", lambda xs: losses.cross_entropy(xs, [1.0] + [0.0] * (len(xs) - 1))),
    ("binary_cross_entropy", lambda xs: losses.binary_cross_entropy(xs, [1.0, 0.0] * (len(xs) // 2))),
    ("hinge", lambda xs: losses.hinge(xs, [1.0, -1.0] * (len(xs) // 2))),
    ("l2", losses.l2),
]


@pytest.mark.parametrize(("name", "build"), SHAPES, ids=[name for name, _ in SHAPES])
def test_losses_are_n_ary_nodes_not_chains(name: str, build: Callable[[list[Value]], Value]) -> None:
    def depth(n: int) -> int:
        return graph_depth(build([Value(0.1 + 0.8 * i / n) for i in range(n)]))

    assert depth(4) == depth(200)


# ---- refused input ------------------------------------------------------------------------------------

BAD_INPUTS: list[tuple[Callable[[], object], type[Exception], str]] = [
    (
        lambda: losses.mse([1.0, 2.0], [1.0]),
        ValueError,
        r"mse: targets must be as long as outputs \(2\), got length 1$",
    ),
    (lambda: losses.sse([], []), ValueError, r"sse: outputs must be a non-empty list .*, got \[\]$"),
    (
        lambda: losses.mse(Value(1.0), [1.0]),  # type: ignore[arg-type]
        TypeError,
        r"mse: outputs must be a list .*, got Value\(",
    ),
    (
        lambda: losses.mse([1.0, "2"], [1.0, 2.0]),  # type: ignore[list-item]
        TypeError,
        r"mse: outputs\[1\] must be a Value or a real number, got '2'$",
    ),
    (lambda: losses.hinge([1.0], [True]), TypeError, r"hinge: labels\[0\] must be a Value or a real number, got True$"),
    (lambda: losses.softmax([]), ValueError, r"softmax: logits must be a non-empty list .*, got \[\]$"),
    (
        lambda: losses.log_softmax([1.0, math.inf]),
        ValueError,
        r"log_softmax: logits\[1\] must be a finite number, got inf$",
    ),
    (
        lambda: losses.softmax_cross_entropy([1.0, 2.0], 2),
        ValueError,
        r"softmax_cross_entropy: class_index must be in 0\.\.1 for 2 logits, got 2$",
    ),
    (
        lambda: losses.softmax_cross_entropy([1.0, 2.0], -1),
        ValueError,
        r"softmax_cross_entropy: class_index must be in 0\.\.1 for 2 logits, got -1$",
    ),
    (
        lambda: losses.softmax_cross_entropy([1.0, 2.0], 1.0),  # type: ignore[arg-type]
        TypeError,
        r"softmax_cross_entropy: class_index must be an integer, got 1\.0$",
    ),
    (
        lambda: losses.softmax_cross_entropy([1.0, 2.0], True),
        TypeError,
        r"softmax_cross_entropy: class_index must be an integer, got True$",
    ),
    (
        lambda: losses.cross_entropy([0.5, 0.5], [1, 1]),
        ValueError,
        r"cross_entropy: onehot must be one-hot \(exactly one 1\), got \[1.0, 1.0\]$",
    ),
    (
        lambda: losses.cross_entropy([0.5, 0.5], [0, 0]),
        ValueError,
        r"cross_entropy: onehot must be one-hot \(exactly one 1\), got \[0.0, 0.0\]$",
    ),
    (
        lambda: losses.cross_entropy([0.5, 0.5], [0.5, 0.5]),
        ValueError,
        r"cross_entropy: onehot must be 0.0 or 1.0 each, got \[0.5, 0.5\]$",
    ),
    (
        lambda: losses.cross_entropy([2.0, -1.0], [1, 0]),
        ValueError,
        r"cross_entropy: probs must be in \[0, 1\] .*, got \[2.0, -1.0\]$",
    ),
    (
        lambda: losses.cross_entropy([0.5, 0.5], [1, 0], eps=-1e-7),
        ValueError,
        r"cross_entropy: eps must be a finite number >= 0, got -1e-07$",
    ),
    (
        lambda: losses.binary_cross_entropy([0.5, 0.5], [1, 0.5]),
        ValueError,
        r"binary_cross_entropy: targets must be 0.0 or 1.0 each, got \[1.0, 0.5\]$",
    ),
    (
        lambda: losses.binary_cross_entropy([1.5], [1]),
        ValueError,
        r"binary_cross_entropy: probs must be in \[0, 1\] .*, got \[1.5\]$",
    ),
    (
        lambda: losses.binary_cross_entropy([0.5], [1, 0]),
        ValueError,
        r"binary_cross_entropy: targets must be as long as probs \(1\), got length 2$",
    ),
    (
        lambda: losses.hinge([0.3, 0.2], [1, 0]),
        ValueError,
        r"hinge: labels must be -1.0 or 1.0 each, got \[1.0, 0.0\]$",
    ),
    (lambda: losses.l2([]), ValueError, r"l2: params must be a non-empty list of Values .*, got \[\]$"),
    (lambda: losses.l2([1.0]), TypeError, r"l2: params\[0\] must be a Value, got 1.0$"),  # type: ignore[list-item]
    (
        lambda: losses.l2(Value(1.0)),  # type: ignore[arg-type]
        TypeError,
        r"l2: params must be a list of Values \(wrap a single Value in one\), got Value\(",
    ),
]


@pytest.mark.parametrize(("call", "error", "pattern"), BAD_INPUTS)
def test_bad_input_is_refused_with_the_loss_and_the_values(
    call: Callable[[], object], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        call()


def test_targets_may_be_values_numbers_or_numpy() -> None:
    outputs = [Value(1.0), Value(2.0)]
    expected = losses.mse(outputs, [0.0, 1.0]).data
    assert losses.mse(outputs, [Value(0.0), Value(1.0)]).data == expected
    assert losses.mse(outputs, np.array([0.0, 1.0])).data == expected
    assert losses.softmax_cross_entropy(outputs, np.int64(1)).data == losses.softmax_cross_entropy(outputs, 1).data


@pytest.mark.parametrize("model", [MLP(2, [3, 1], seed=0), Sequential(Linear(2, 3, seed=0), ReLU())])
def test_l2_of_a_model_says_to_pass_its_parameters(model: object) -> None:
    with pytest.raises(TypeError) as caught:
        losses.l2(model)  # type: ignore[arg-type]
    expected = f"l2: params must be a list of Values (pass model.parameters(), not the model), got {model!r}"
    assert str(caught.value) == expected


def test_l2_of_a_number_names_params() -> None:
    with pytest.raises(TypeError, match=r"^l2: params must be a list of Values \(pass model.parameters\(\)\), got 5$"):
        losses.l2(5)  # type: ignore[arg-type]
