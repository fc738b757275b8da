"""Checks of the exercises of notebooks 06–09: scaling, correlation, momentum, Adam, backprop by hand, classification.

Oracles: `micrograd_ko.data.standardize` and numpy, `micrograd_ko.optim` run on
the same gradients, the engine's backward for the hand-written gradients, and
`micrograd_ko.losses` for the classification losses.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from micrograd_ko import losses
from micrograd_ko.autograd import Value
from micrograd_ko.exercises._framework import Mismatch, exercise, expect, first_failure, lists_of, numbers, rounded

__all__: list[str] = []


# ---- notebook 06: standardizing a column and reading a hidden neuron ---------------------------------------------


def _column(min_size: int = 2) -> Any:
    return lists_of(numbers(-5, 5), min_size, 5).filter(lambda xs: max(xs) - min(xs) > 0.1)


@exercise("06.1", "표준화(standardization)")
def standardize(mine: Any) -> None:
    """standardize(column) against micrograd_ko.data.standardize: (x - mean) / std with the population std."""
    from micrograd_ko.data import standardize as oracle

    def trial(column: list[float]) -> None:
        expected, _ = oracle(np.array(column))
        got = [float(v) for v in mine(list(column))]
        hint = "평균을 빼고 표준편차로 나누세요. 표준편차는 분산의 제곱근이고, 분산은 n으로 나눈 평균입니다."
        expect(f"standardize({column})", rounded(expected.tolist()), rounded(got), hint, 1e-3)

    first_failure(_column(), trial)


@exercise("06.2", "상관계수(correlation)")
def correlation(mine: Any) -> None:
    """correlation(a, b), Pearson's r, against numpy.corrcoef."""
    from hypothesis import strategies as st

    def trial(pair: tuple[list[float], list[float]]) -> None:
        a, b = pair
        n = min(len(a), len(b))
        a, b = a[:n], b[:n]
        if n < 2 or np.std(b) < 0.05:
            return
        expected = float(np.corrcoef(a, b)[0, 1])
        hint = "공분산을 두 표준편차의 곱으로 나누면 −1과 1 사이의 값이 됩니다. 각 목록의 평균을 먼저 빼세요."
        expect(f"correlation({a}, {b})", expected, mine(list(a), list(b)), hint, 1e-4)

    first_failure(st.tuples(_column(3), _column(3)), trial)


# ---- notebook 07: momentum and Adam, against the library's optimizers on the same gradients ---------------------


def _same_steps(case: str, mine: Any, oracle: Any, grads: list[list[float]], hint: str) -> None:
    """Run the learner's optimizer and the oracle on the same gradients, step by step; compare the data."""
    start = [0.5, -1.0, 2.0][: len(grads[0])]
    ps = [Value(x, role="parameter") for x in start]
    qs = [Value(x, role="parameter") for x in start]
    learner, reference = mine(ps), oracle(qs)
    for step, gs in enumerate(grads, start=1):
        for p, q, g in zip(ps, qs, gs):
            p.grad = q.grad = g
        learner.step()
        reference.step()
        expect(f"{case}, {step}번째 step() 뒤의 data", [q.data for q in qs], [p.data for p in ps], hint)


def _gradient_sequences() -> Any:
    from hypothesis import strategies as st

    return st.integers(1, 3).flatmap(lambda n: lists_of(lists_of(numbers(-2, 2), n, n), 1, 4))


@exercise("07.1", "모멘텀(momentum)")
def momentum(mine: type) -> None:
    """Momentum(params, lr, momentum).step() against optim.SGD(momentum=...) over a few steps of given gradients."""
    from micrograd_ko.optim import SGD

    def trial(grads: list[list[float]]) -> None:
        case = f"lr=0.1, momentum=0.9, 단계마다의 기울기 {grads}"
        hint = (
            "먼저 속도 v ← μ·v + g를 고친 다음, 고친 속도로 p ← p − lr·v만큼 움직이세요. v는 단계 사이에 남아야 합니다."
        )
        _same_steps(case, lambda ps: mine(ps, 0.1, 0.9), lambda qs: SGD(qs, lr=0.1, momentum=0.9), grads, hint)

    first_failure(_gradient_sequences(), trial)


@exercise("07.2", "아담(Adam)")
def adam(mine: type) -> None:
    """Adam(params, lr).step() against optim.Adam over a few steps of given gradients."""
    from micrograd_ko.optim import Adam

    def trial(grads: list[list[float]]) -> None:
        case = f"lr=0.1, betas=(0.9, 0.999), 단계마다의 기울기 {grads}"
        hint = "m은 g의, v는 g²의 지수 이동 평균입니다. 둘 다 0에서 시작하므로 1 − βᵗ로 나누어 편향을 보정하세요."
        _same_steps(case, lambda ps: mine(ps, lr=0.1), lambda qs: Adam(qs, lr=0.1), grads, hint)

    first_failure(_gradient_sequences(), trial)


# ---- notebook 08: backpropagation by hand with numpy ------------------------------------------------------------


@exercise("08.1", "시그모이드의 역전파")
def sigmoid_backward(mine: Any) -> None:
    """sigmoid_backward(out, grad_out) on numpy arrays against the engine's sigmoid gradient."""
    from hypothesis import strategies as st

    def trial(pairs: list[tuple[float, float]]) -> None:
        xs = [Value(x) for x, _ in pairs]
        outs = [x.sigmoid() for x in xs]
        Value.sum([o * g for o, (_, g) in zip(outs, pairs)]).backward()
        out = np.array([o.data for o in outs])
        grad_out = np.array([g for _, g in pairs])
        got = np.asarray(mine(out, grad_out), dtype=float)
        case = f"out={rounded(out.tolist())}, grad_out={rounded(grad_out.tolist())}"
        hint = "σ'(x) = σ(x)(1 − σ(x))이고 σ(x)는 이미 out에 있습니다. 위에서 온 grad_out을 곱하는 것도 잊지 마세요."
        expect(case, [x.grad for x in xs], got.tolist(), hint)

    first_failure(lists_of(st.tuples(numbers(), numbers()), 1, 3), trial)


@exercise("08.2", "완전 연결층의 역전파")
def dense_backward(mine: Any) -> None:
    """dense_backward(x, W, grad_out) -> (dW, db, dx) for y = W x + b, against the engine's gradients."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int]) -> None:
        n_out, n_in, seed = case_
        rng = np.random.default_rng(seed)
        x, W = rng.integers(-3, 4, n_in).astype(float), rng.integers(-3, 4, (n_out, n_in)).astype(float)
        b, grad_out = rng.integers(-3, 4, n_out).astype(float), rng.integers(-3, 4, n_out).astype(float)
        xv = [Value(v) for v in x]
        Wv = [[Value(v) for v in row] for row in W]
        bv = [Value(v) for v in b]
        ys = [Value.dot(row, xv, bias) for row, bias in zip(Wv, bv)]
        Value.sum([y * g for y, g in zip(ys, grad_out)]).backward()
        case = f"x={x.tolist()}, W={W.tolist()}, grad_out={grad_out.tolist()}"
        got = mine(x, W, grad_out)
        if not isinstance(got, tuple) or len(got) != 3:
            raise Mismatch(case, "(dW, db, dx) 세 개", got, "세 기울기를 튜플로 돌려주세요.")
        hint = "dW[j, i] = grad_out[j]·x[i] (모양은 W와 같음), db = grad_out, dx = Wᵀ·grad_out (모양은 x와 같음)."
        oracles = (
            np.array([[w.grad for w in r] for r in Wv]),
            np.array([v.grad for v in bv]),
            np.array([v.grad for v in xv]),
        )
        for name, expected, value in zip(("dW", "db", "dx"), oracles, got):
            array = np.asarray(value, dtype=float)
            if array.shape != expected.shape:
                raise Mismatch(case + f" 의 {name} 모양", expected.shape, array.shape, hint)
            expect(case + f" 의 {name}", expected.ravel().tolist(), array.ravel().tolist(), hint)

    first_failure(st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(0, 50)), trial)


# ---- notebook 09: classification losses -------------------------------------------------------------------------


def _compare(case: str, got: Any, expected: Value, inputs: list[Value], oracle_inputs: list[Value], hint: str) -> None:
    expect(case + " 의 값", expected.data, getattr(got, "data", got), hint)
    if not isinstance(got, Value):
        raise Mismatch(case, "Value 하나", got, "엔진의 연산으로 계산해 Value를 돌려주세요.")
    got.backward()
    expected.backward()
    expect(case + " 의 기울기", [v.grad for v in oracle_inputs], [v.grad for v in inputs], hint)


@exercise("09.1", "힌지 손실(hinge loss)")
def hinge(mine: Any) -> None:
    """hinge(scores, labels) against losses.hinge: mean of max(0, 1 - y s)."""
    from hypothesis import strategies as st

    def trial(pairs: list[tuple[float, float]]) -> None:
        scores, labels = [s for s, _ in pairs], [y for _, y in pairs]
        ss, zs = [Value(s) for s in scores], [Value(s) for s in scores]
        case = f"hinge(scores={scores}, labels={labels})"
        hint = "점수가 맞는 쪽으로 여유(margin) 1 이상이면 손실 0: max(0, 1 − y·s)의 평균입니다(relu를 쓰세요)."
        _compare(case, mine(ss, labels), losses.hinge(zs, labels), ss, zs, hint)

    first_failure(lists_of(st.tuples(numbers(), st.sampled_from([-1.0, 1.0])), 1, 4), trial)


@exercise("09.2", "소프트맥스 교차 엔트로피")
def softmax_cross_entropy(mine: Any) -> None:
    """softmax_cross_entropy(logits, k) against losses.softmax_cross_entropy, huge logits included."""
    from hypothesis import strategies as st

    hint = "−log softmax(z)ₖ = log Σⱼ exp(zⱼ − m) + m − zₖ (m은 가장 큰 로짓): 부호와 m을 확인하세요."

    def trial(case_: tuple[list[float], int]) -> None:
        logits, k = case_
        k %= len(logits)
        xs, zs = [Value(z) for z in logits], [Value(z) for z in logits]
        case = f"softmax_cross_entropy({logits}, {k})"
        _compare(case, mine(xs, k), losses.softmax_cross_entropy(zs, k), xs, zs, hint)

    trial(([1000.0, 0.0, -5.0], 1))
    first_failure(st.tuples(lists_of(numbers(), 1, 4), st.integers(0, 3)), trial)
