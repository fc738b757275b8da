"""Checks of the exercises of notebooks 03–05: losses, a gradient descent step and its loop, a neuron and an MLP.

Oracles: `micrograd_ko.losses` and `micrograd_ko.optim` (values and gradients),
the engine's `Value` and `nn.MLP` with the same weights.
"""

from __future__ import annotations

from typing import Any

from micrograd_ko import losses
from micrograd_ko.autograd import Value
from micrograd_ko.exercises._framework import (
    Mismatch,
    exercise,
    expect,
    first_failure,
    gradient_check,
    lists_of,
    numbers,
    rounded,
)

__all__: list[str] = []


def _leaves(numbers_: list[float]) -> list[Value]:
    return [Value(x) for x in numbers_]


def _compare_loss(case: str, mine: Any, oracle: Any, outputs: list[float], targets: list[float], hint: str) -> None:
    """The learner's loss of fresh leaves against the oracle's: its value, then the gradient of each output."""
    ys, zs = _leaves(outputs), _leaves(outputs)
    got, expected = mine(ys, targets), oracle(zs, targets)
    expect(case + " 의 값", expected.data, getattr(got, "data", got), hint)
    if not isinstance(got, Value):
        raise Mismatch(case, "Value 하나", got, "엔진의 연산(+, *, log, ...)으로 계산해 Value를 돌려주세요.")
    got.backward()
    expected.backward()
    expect(case + " 의 출력별 기울기", [z.grad for z in zs], [y.grad for y in ys], hint)


# ---- notebook 03: losses -------------------------------------------------------------------------------------


@exercise("03.1", "평균제곱오차(MSE)")
def mse(mine: Any) -> None:
    """mse(outputs, targets) against losses.mse: value and gradients, on random lists."""
    from hypothesis import strategies as st

    def trial(pairs: list[tuple[float, float]]) -> None:
        outputs, targets = [p[0] for p in pairs], [p[1] for p in pairs]
        case = f"mse(outputs={outputs}, targets={targets})"
        _compare_loss(
            case, mine, losses.mse, outputs, targets, "오차를 제곱해 모두 더한 뒤, 몇으로 나누어야 평균인가요?"
        )

    first_failure(lists_of(st.tuples(numbers(), numbers()), 1, 4), trial)


@exercise("03.2", "교차 엔트로피(cross-entropy)")
def cross_entropy(mine: Any) -> None:
    """cross_entropy(probs, onehot) against losses.cross_entropy, a probability of exactly 0 included."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[float], int]) -> None:
        weights, k = case_
        probs = [w / sum(weights) for w in weights]
        onehot = [1.0 if i == k % len(probs) else 0.0 for i in range(len(probs))]
        case = f"cross_entropy(probs={rounded(probs)}, onehot={onehot})"
        _compare_loss(case, mine, losses.cross_entropy, probs, onehot, _CE_HINT)

    first_failure(
        st.tuples(lists_of(st.integers(0, 5).map(float), 2, 4).filter(lambda w: sum(w) > 0), st.integers(0, 3)), trial
    )
    _compare_loss(
        "cross_entropy(probs=[1.0, 0.0], onehot=[0.0, 1.0])",
        mine,
        losses.cross_entropy,
        [1.0, 0.0],
        [0.0, 1.0],
        _CE_HINT,
    )


_CE_HINT = "−Σ t·log(p + 1e-7): 부호와, 확률이 0일 때 log(0)을 피하는 작은 수 1e-7을 확인하세요."


@exercise("03.3", "안정한 소프트맥스(softmax)")
def softmax(mine: Any) -> None:
    """softmax(logits) against losses.softmax: every probability and the gradient of the first, huge logits included."""
    from hypothesis import strategies as st

    def trial(logits: list[float]) -> None:
        case = f"softmax({logits})"
        xs, zs = _leaves(logits), _leaves(logits)
        got, expected = list(mine(xs)), losses.softmax(zs)
        hint = "exp를 하기 전에 가장 큰 로짓을 빼면(max를 빼도 답은 같습니다) 큰 로짓에서도 넘치지 않습니다."
        expect(case + " 의 확률들", [p.data for p in expected], [getattr(p, "data", p) for p in got], hint)
        got[0].backward()
        expected[0].backward()
        expect(case + " 의 d(p0)/d(logits)", [z.grad for z in zs], [x.grad for x in xs], hint)

    trial([1000.0, 0.0, -1000.0])
    first_failure(
        lists_of(numbers(-5, 5), 1, 4).map(lambda v: [*v, 1000.0] if len(v) == 3 else v) | st.just([1.0]), trial
    )


# ---- notebook 04: gradient descent ---------------------------------------------------------------------------


@exercise("04.1", "경사 하강법 한 걸음")
def sgd_step(mine: Any) -> None:
    """sgd_step(params, lr) moves each parameter as optim.SGD does: p <- p - lr * grad."""
    from hypothesis import strategies as st

    from micrograd_ko.optim import SGD

    def trial(case_: tuple[list[tuple[float, float]], float]) -> None:
        pairs, lr = case_
        ps, qs = [Value(d, role="parameter") for d, _ in pairs], [Value(d, role="parameter") for d, _ in pairs]
        for p, q, (_, g) in zip(ps, qs, pairs):
            p.grad = q.grad = g
        mine(ps, lr)
        SGD(qs, lr=lr).step()
        case = f"data={[d for d, _ in pairs]}, grad={[g for _, g in pairs]}, lr={lr}"
        expect(
            case,
            [q.data for q in qs],
            [p.data for p in ps],
            "기울기는 손실이 커지는 방향입니다: 어느 쪽으로 움직여야 하나요?",
        )
        expect(case + " 의 grad", [g for _, g in pairs], [p.grad for p in ps], "한 걸음에서는 data만 바꾸세요.")

    first_failure(st.tuples(lists_of(st.tuples(numbers(), numbers()), 1, 3), st.sampled_from([0.1, 0.5, 0.01])), trial)


@exercise("04.2", "경사 하강법 반복")
def gradient_descent(mine: Any) -> None:
    """gradient_descent(f, x0, lr, steps) gives the trajectory SGD with zero_grad gives on a random parabola."""
    from hypothesis import strategies as st

    from micrograd_ko.optim import SGD

    def trial(case_: tuple[float, float, float, int]) -> None:
        a, c, x0, steps = case_

        def f(x: Value) -> Value:
            return a * (x - c) ** 2

        x = Value(x0, role="parameter")
        opt = SGD([x], lr=0.1)
        expected = [x0]
        for _ in range(steps):
            opt.zero_grad()
            f(x).backward()
            opt.step()
            expected.append(x.data)
        case = f"f(x) = {a}·(x − {c})², x0={x0}, lr=0.1, steps={steps}"
        got = [float(v) for v in mine(f, x0, 0.1, steps)]
        expect(
            case + " 의 궤적",
            expected,
            got,
            "한 걸음마다 backward 전에 기울기를 0으로 지웠나요? 목록은 x0로 시작합니다.",
        )

    first_failure(st.tuples(numbers(0.5, 2), numbers(-2, 2), numbers(-2, 2), st.integers(1, 4)), trial)


# ---- notebook 05: the perceptron rule, a neuron, an MLP -------------------------------------------------------


@exercise("05.1", "퍼셉트론 학습 규칙")
def perceptron_update(mine: Any) -> None:
    """perceptron_update(w, b, x, target, lr) against the rule w <- w + lr (t - y) x, b <- b + lr (t - y)."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[tuple[float, float]], float, int]) -> None:
        wx, b, t = case_
        w, x = [p[0] for p in wx], [p[1] for p in wx]
        y = 1 if sum(wi * xi for wi, xi in zip(w, x)) + b >= 0 else 0
        lr = 0.5
        expected = ([wi + lr * (t - y) * xi for wi, xi in zip(w, x)], b + lr * (t - y))
        got_w, got_b = mine(list(w), b, x, t, lr)
        case = f"w={w}, b={b}, x={x}, target={t} (출력 y={y}), lr={lr}"
        hint = "오차는 (목표 − 출력)입니다. 편향은 언제나 1인 입력의 가중치라고 보면 어떻게 바뀌나요?"
        expect(case + " 의 새 w", expected[0], list(got_w), hint)
        expect(case + " 의 새 b", expected[1], got_b, hint)

    first_failure(
        st.tuples(
            lists_of(st.tuples(numbers(-1, 1), st.sampled_from([0.0, 1.0])), 2, 2), numbers(-1, 1), st.integers(0, 1)
        ),
        trial,
    )


def _params(rows: list[list[float]]) -> list[list[Value]]:
    return [[Value(v, role="parameter") for v in row] for row in rows]


@exercise("05.2", "뉴런 하나")
def neuron(mine: Any) -> None:
    """neuron(ws, b, xs) = tanh(sum w x + b): its value and the gradient of every weight and the bias."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[tuple[float, float]], float]) -> None:
        wx, b = case_
        ws, xs = [p[0] for p in wx], [p[1] for p in wx]
        (w1, w2), (b1, b2) = _params([ws, ws]), (Value(b), Value(b))
        got, expected = mine(w1, b1, xs), Value.dot(w2, xs, b2).tanh()
        case = f"ws={ws}, b={b}, xs={xs}"
        hint = "가중합 Σ wᵢxᵢ에 편향 b를 더한 뒤 tanh를 적용하세요. .data로 계산하면 그래프가 끊겨 기울기가 0이 됩니다."
        expect(case + " 의 출력", expected.data, getattr(got, "data", got), hint)
        got.backward()
        expected.backward()
        expect(
            case + " 의 (w 기울기..., b 기울기)",
            [*(w.grad for w in w2), b2.grad],
            [*(w.grad for w in w1), b1.grad],
            hint,
        )
        gradient_check(case, lambda *wb: mine(list(wb[:-1]), wb[-1], xs), [*ws, b], hint)

    first_failure(st.tuples(lists_of(st.tuples(numbers(-1, 1), numbers(-1, 1)), 1, 3), numbers(-1, 1)), trial)


@exercise("05.3", "다층 퍼셉트론(MLP)")
def mlp(mine: Any) -> None:
    """mlp(layers, xs) with the weights of nn.MLP(tanh hidden, linear output): the outputs and every gradient."""
    from hypothesis import strategies as st

    from micrograd_ko.nn import MLP

    def trial(case_: tuple[int, list[float]]) -> None:
        seed, xs = case_
        model = MLP(len(xs), [3, 2], activation="tanh", seed=seed)
        layers = [([list(n.w) for n in layer.neurons], [n.b for n in layer.neurons]) for layer in model.layers]
        got = list(mine(layers, xs))
        expected = model(xs)
        expected = expected if isinstance(expected, list) else [expected]
        case = f"MLP({len(xs)}, [3, 2], seed={seed}) 의 가중치, xs={xs}"
        hint = "은닉층은 tanh를 거치고, 마지막 층은 활성화 함수 없이 가중합 + 편향 그대로입니다."
        expect(case + " 의 출력", [e.data for e in expected], [getattr(g, "data", g) for g in got], hint)
        Value.sum(got).backward()
        mine_grads = [p.grad for p in model.parameters()]
        model.zero_grad()
        Value.sum(expected).backward()
        expect(case + " 의 매개변수 기울기", [p.grad for p in model.parameters()], mine_grads, hint)

    first_failure(st.tuples(st.integers(0, 3), lists_of(numbers(-1, 1), 2, 2)), trial, budget=20)
