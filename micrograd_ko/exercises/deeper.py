"""Checks of the exercises of the notebooks that go deeper (11b, 12b, 13b, 14b) and of the playground (16).

A residual block and a confusion matrix (11b), clipping by the global norm and
one RNN step's Jacobian (12b), the reparameterised code and the closed-form KL
term (13b), a transposed convolution's output size and LeakyReLU's gradient
(14b), a point's logistic loss and an edge's SGD update with L2 (16).

Oracles: the library run on the same weights (`nn.Residual`, `nn.Conv2d`,
`nn.clip_grad_norm_`, `nn.RNNCell`, `nn.ConvTranspose2d`), the engine's
backward, finite differences (`gradcheck`) and `optim.SGD`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from micrograd_ko import losses, nn
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
from micrograd_ko.optim import SGD

__all__: list[str] = []


def _flat(values: Any) -> list[float]:
    """Nested lists (or arrays) of Values or numbers as one flat list of floats."""
    if isinstance(values, (list, tuple, np.ndarray)):
        return [x for v in values for x in _flat(v)]
    return [float(values.data if isinstance(values, Value) else values)]


def _value_of(got: object) -> object:
    return getattr(got, "data", got)


def _halves(low: int, high: int, *excluded: float) -> Any:
    """Hypothesis multiples of ½ in [low, high] (but not `excluded`), so a failing input reads short."""
    from hypothesis import strategies as st

    return st.integers(2 * low, 2 * high).map(lambda n: n / 2).filter(lambda v: v not in excluded)


# ---- notebook 11b: a residual block, accuracy and the confusion matrix ------------------------------------------


@exercise("11b.1", "잔차 블록의 순전파")
def residual_block(mine: Any) -> None:
    """residual_block(x, conv1, conv2) = x + conv2(relu(conv1(x))) against nn.Residual: values and d(sum)/dx."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int]) -> None:
        channels, size, seed = case_
        rng = np.random.default_rng(seed)
        image = rng.integers(-2, 3, (channels, size, size)).astype(float).tolist()
        conv1 = nn.Conv2d(channels, channels, 3, padding=1, seed=seed)
        conv2 = nn.Conv2d(channels, channels, 3, padding=1, seed=seed + 100)
        for conv in (conv1, conv2):
            for b in conv.bias or ():
                b.data = float(rng.integers(-1, 2)) / 2
        mine_x = [[[Value(v) for v in row] for row in channel] for channel in image]
        oracle_x = [[[Value(v) for v in row] for row in channel] for channel in image]
        expected = nn.Residual(nn.Sequential(conv1, nn.ReLU(), conv2))([oracle_x])[0]
        case = f"채널 {channels}, {size}×{size} 이미지 x={image} (Conv2d seed {seed}, {seed + 100})"
        hint = (
            "F(x)는 conv1 → ReLU → conv2 순서이고, 블록의 출력은 입력 x를 그대로 더한 x + F(x)입니다"
            "(더하는 것은 ReLU 뒤의 값이 아니라 입력입니다)."
        )
        got = mine(mine_x, conv1, conv2)
        flat_got = _flat(got)
        if len(flat_got) != channels * size * size:
            raise Mismatch(case + " 의 출력 값 개수", channels * size * size, len(flat_got), hint)
        expect(case, rounded(_flat(expected)), rounded(flat_got), hint, 1e-4)
        for p in conv1.parameters() + conv2.parameters():
            p.grad = 0.0
        Value.sum([v for channel in expected for row in channel for v in row]).backward()
        for p in conv1.parameters() + conv2.parameters():
            p.grad = 0.0
        Value.sum(_values(got)).backward()
        expect(
            case + " 에서 출력의 합을 x로 미분한 기울기",
            rounded(_flat([[[v.grad for v in row] for row in c] for c in oracle_x])),
            rounded(_flat([[[v.grad for v in row] for row in c] for c in mine_x])),
            hint + " 기울기가 x까지 흐르도록 Value로 계산하세요.",
            1e-4,
        )

    first_failure(st.tuples(st.integers(1, 2), st.integers(2, 4), st.integers(0, 20)), trial, budget=15)


def _values(tree: Any) -> list[Any]:
    if isinstance(tree, (list, tuple)):
        return [x for v in tree for x in _values(v)]
    return [tree if isinstance(tree, Value) else Value(float(tree))]


@exercise("11b.2", "정확도와 혼동 행렬")
def confusion_and_accuracy(mine: Any) -> None:
    """confusion_and_accuracy(scores, labels, classes) -> (confusion[true][guess], accuracy), predictions by argmax."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int]) -> None:
        n, classes, seed = case_
        rng = np.random.default_rng(seed)
        scores = np.array([rng.permutation(classes) for _ in range(n)], dtype=float) - classes / 2
        labels = rng.integers(0, classes, n)
        guesses = np.argmax(scores, axis=1)
        expected = np.zeros((classes, classes), dtype=int)
        np.add.at(expected, (labels, guesses), 1)
        case = f"scores={scores.tolist()}, labels={labels.tolist()}, classes={classes}"
        hint = (
            "샘플마다 점수가 가장 큰 자리가 예측입니다. confusion[정답][예측]에 1을 더하고(행이 정답, 열이 예측), "
            "정확도는 대각선의 합 / 샘플 수입니다."
        )
        got = mine(scores.tolist(), labels.tolist(), classes)
        if not isinstance(got, tuple) or len(got) != 2:
            raise Mismatch(case, "(confusion, accuracy)", got, "혼동 행렬과 정확도를 튜플로 돌려주세요.")
        confusion = np.asarray(got[0])
        if confusion.shape != (classes, classes):
            raise Mismatch(case + " 의 혼동 행렬 모양", (classes, classes), confusion.shape, hint)
        if not np.array_equal(confusion, expected):
            raise Mismatch(case + " 의 혼동 행렬", expected.tolist(), confusion.tolist(), hint)
        expect(case + " 의 정확도", float(np.mean(labels == guesses)), got[1], hint)

    first_failure(st.tuples(st.integers(1, 6), st.integers(2, 4), st.integers(0, 40)), trial)


# ---- notebook 12b: clipping by the global norm, one step's Jacobian ---------------------------------------------


@exercise("12b.1", "전체 노름으로 기울기 자르기")
def clip_grad_norm(mine: Any) -> None:
    """clip_grad_norm(params, max_norm) against nn.clip_grad_norm_: the clipped grads and the norm before clipping."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[float], float]) -> None:
        grads, max_norm = case_
        ps, qs = [Value(0.0) for _ in grads], [Value(0.0) for _ in grads]
        for p, q, g in zip(ps, qs, grads):
            p.grad = q.grad = g
        expected = nn.clip_grad_norm_(qs, max_norm)
        got = mine(ps, max_norm)
        case = f"기울기 {grads}, max_norm={max_norm}"
        hint = (
            "모든 기울기를 벡터 하나로 보고 노름 √(Σ g²)을 잰 뒤, 그것이 max_norm보다 클 때만 모든 기울기에 "
            "같은 비율 max_norm / (노름 + 1e-6)을 곱하세요. 돌려주는 값은 자르기 전의 노름입니다."
        )
        clipped = rounded([q.grad for q in qs])
        expect(case + " 에서 자른 뒤의 기울기", clipped, rounded([p.grad for p in ps]), hint, 1e-4)
        expect(case + " 에서 돌려준 노름", round(expected, 6), got, hint, 1e-5)

    first_failure(st.tuples(lists_of(numbers(-4, 4), 1, 4), st.sampled_from([0.5, 1.0, 2.0, 5.0])), trial)


@exercise("12b.2", "한 단계의 야코비안")
def step_jacobian(mine: Any) -> None:
    """step_jacobian(h_new, W_hh) = diag(1 - h_new^2) W_hh against dh_t[i]/dh_{t-1}[j] from the engine's backward."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int]) -> None:
        hidden, seed = case_
        cell = nn.RNNCell(2, hidden, seed=seed)
        rng = np.random.default_rng(seed)
        for row in cell.weight_hh:
            for w in row:
                w.data = float(rng.integers(-4, 5)) / 4
        x = rng.integers(-2, 3, 2).astype(float).tolist()
        h_start = rng.uniform(-1, 1, hidden).round(2).tolist()
        expected = []
        for i in range(hidden):  # one fresh graph per output: row i holds d h_t[i] / d h_{t-1}
            h_prev = [Value(v) for v in h_start]
            h_new = cell(x, h_prev)
            h_new[i].backward()
            expected.append([v.grad for v in h_prev])
        W_hh = np.array([[w.data for w in row] for row in cell.weight_hh])
        h = np.array([v.data for v in h_new])
        case = f"h_new={rounded(h.tolist())}, W_hh={W_hh.tolist()}"
        hint = (
            "h_t[i] = tanh(z_i)이고 tanh'(z) = 1 − tanh(z)² = 1 − h_t[i]²이므로, W_hh의 i번째 **행**에 "
            "1 − h_t[i]²을 곱합니다: diag(1 − h_t²)를 왼쪽에서 곱하세요."
        )
        got = np.asarray(mine(h, W_hh), dtype=float)
        if got.shape != (hidden, hidden):
            raise Mismatch(case + " 의 결과 모양", (hidden, hidden), got.shape, hint)
        expect(case, rounded(np.ravel(expected).tolist()), rounded(got.ravel().tolist()), hint, 1e-3)

    first_failure(st.tuples(st.integers(1, 3), st.integers(0, 30)), trial, budget=30)


# ---- notebook 13b: the reparameterisation trick and the closed-form KL term -------------------------------------


@exercise("13b.1", "재매개변수화")
def reparameterize(mine: Any) -> None:
    """reparameterize(mu, log_var, eps) = mu + exp(log_var / 2) eps: value, gradients, and finite differences."""
    from hypothesis import strategies as st

    def trial(case_: tuple[float, float, float]) -> None:
        m, lv, eps = case_
        mu, log_var, mu2, log_var2 = Value(m), Value(lv), Value(m), Value(lv)
        expected = mu2 + (0.5 * log_var2).exp() * eps
        case = f"reparameterize(mu={m}, log_var={lv}, eps={eps})"
        hint = (
            "σ = exp(½·log σ²)이고 z = μ + σ·ε입니다. Value의 연산으로만 계산해야 "
            "기울기(∂z/∂μ = 1, ∂z/∂log σ² = ½σε)가 μ와 log σ²까지 흐릅니다."
        )
        got = mine(mu, log_var, eps)
        expect(case + " 의 값", expected.data, _value_of(got), hint)
        expected.backward()
        if isinstance(got, Value):
            got.backward()
        expect(case + " 의 기울기 (∂z/∂μ, ∂z/∂log σ²)", [mu2.grad, log_var2.grad], [mu.grad, log_var.grad], hint)
        gradient_check(case, lambda a, b: mine(a, b, eps), [m, lv], hint)

    first_failure(st.tuples(_halves(-2, 2), _halves(-2, 2), _halves(-2, 2, 0.0)), trial)


@exercise("13b.2", "KL 항의 닫힌 꼴")
def kl_divergence(mine: Any) -> None:
    """kl_divergence(mus, log_vars) = ½ Σ (μ² + σ² − log σ² − 1): value, gradients, finite differences."""

    def trial(pairs: list[tuple[float, float]]) -> None:
        ms, lvs = [m for m, _ in pairs], [lv for _, lv in pairs]
        mus, log_vars = [Value(m) for m in ms], [Value(lv) for lv in lvs]
        mus2, log_vars2 = [Value(m) for m in ms], [Value(lv) for lv in lvs]
        expected = 0.5 * Value.sum([m * m + lv.exp() - lv - 1 for m, lv in zip(mus2, log_vars2)])
        exact = 0.5 * sum(m * m + math.exp(lv) - lv - 1 for m, lv in zip(ms, lvs))
        case = f"kl_divergence(mus={ms}, log_vars={lvs})"
        hint = (
            "차원마다 ½(μ² + σ² − log σ² − 1)이고 σ² = exp(log σ²)입니다. μ = 0, log σ² = 0(사전 분포 그대로)이면 "
            "0이어야 하고, KL은 0보다 작을 수 없습니다."
        )
        got = mine(mus, log_vars)
        expect(case + " 의 값", exact, _value_of(got), hint)
        expected.backward()
        if isinstance(got, Value):
            got.backward()
        expect(
            case + " 의 기울기 (μ들, log σ²들)",
            [v.grad for v in mus2 + log_vars2],
            [v.grad for v in mus + log_vars],
            hint,
        )
        n = len(pairs)
        gradient_check(
            case,
            lambda *xs: mine(list(xs[:n]), list(xs[n:])),
            ms + lvs,
            hint,
        )

    trial([(0.0, 0.0)])
    from hypothesis import strategies as st

    first_failure(lists_of(st.tuples(_halves(-2, 2), _halves(-2, 2)), 1, 3), trial)


# ---- notebook 14b: a transposed convolution's output size, LeakyReLU's gradient ---------------------------------


@exercise("14b.1", "전치 합성곱의 출력 크기")
def conv_transpose_output_size(mine: Any) -> None:
    """conv_transpose_output_size(size, kernel, stride, padding, output_padding) against nn.ConvTranspose2d's output."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int, int, int]) -> None:
        size, kernel, stride, padding, output_padding = case_
        if output_padding >= stride or (size - 1) * stride - 2 * padding + kernel + output_padding < 1:
            return
        layer = nn.ConvTranspose2d(1, 1, kernel, stride=stride, padding=padding, output_padding=output_padding, seed=0)
        out = layer([[[[0.0] * size for _ in range(size)]]])[0][0]
        case = (
            f"conv_transpose_output_size(size={size}, kernel={kernel}, stride={stride}, "
            f"padding={padding}, output_padding={output_padding})"
        )
        hint = (
            "입력 픽셀 n개는 보폭 s 간격으로 놓여 처음과 끝 사이가 (n − 1)·s이고, 거기에 필터 크기 k가 더해집니다. "
            "패딩은 양쪽에서 p씩 잘라 냅니다: (n − 1)·s − 2p + k + output_padding."
        )
        expect(case + " (nn.ConvTranspose2d가 낸 크기와 비교)", len(out), mine(*case_), hint)

    first_failure(
        st.tuples(st.integers(1, 5), st.integers(1, 4), st.integers(1, 3), st.integers(0, 2), st.integers(0, 2)), trial
    )


@exercise("14b.2", "LeakyReLU의 기울기")
def leaky_relu_backward(mine: Any) -> None:
    """leaky_relu_backward(xs, grads_out, slope) against the engine's leaky_relu nodes after backward."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[tuple[float, float]], float]) -> None:
        pairs, slope = case_
        xs, grads_out = [x for x, _ in pairs], [g for _, g in pairs]
        values = [Value(x) for x in xs]
        Value.sum([v.leaky_relu(slope) * g for v, g in zip(values, grads_out)]).backward()
        case = f"leaky_relu_backward(xs={xs}, grads_out={grads_out}, slope={slope})"
        hint = (
            "입력이 양수인 자리는 위에서 온 기울기를 그대로, 0 이하인 자리는 slope배로 넘깁니다"
            "(ReLU와 달리 음수 쪽도 0이 아닙니다)."
        )
        got = mine(xs, grads_out, slope)
        expect(case, [v.grad for v in values], _flat(got), hint)

    inputs = _halves(-2, 2, 0.0)  # at 0 exactly either side's slope is a fair answer
    upstream = _halves(-2, 2, 0.0, 1.0)  # 0 or 1 would hide a missing factor
    first_failure(st.tuples(lists_of(st.tuples(inputs, upstream), 1, 4), st.sampled_from([0.2, 0.1])), trial)


# ---- notebook 16: the playground's loss for one point, one edge's update ----------------------------------------


@exercise("16.1", "점 하나의 로지스틱 손실")
def point_loss(mine: Any) -> None:
    """point_loss(score, label) = softplus(-label * score): value, gradient (the engine's), finite differences."""
    from hypothesis import strategies as st

    def trial(case_: tuple[float, int]) -> None:
        s, label = case_
        score, score2 = Value(s), Value(s)
        expected = (-(label * score2)).softplus()
        case = f"point_loss(score={s}, label={label})"
        hint = (
            "손실은 log(1 + e^(−y·s)) = softplus(−y·s)입니다: 라벨과 점수가 같은 부호로 클수록 0에 가깝고, "
            "반대 부호면 커집니다."
        )
        got = mine(score, label)
        expect(case + " 의 값", math.log1p(math.exp(-label * s)), _value_of(got), hint)
        expected.backward()
        if isinstance(got, Value):
            got.backward()
        expect(case + " 의 기울기 ∂L/∂s", score2.grad, score.grad, hint)
        gradient_check(case, lambda a: mine(a, label), [s], hint)

    first_failure(st.tuples(numbers(-3, 3), st.sampled_from([1, -1])), trial)


@exercise("16.2", "간선 하나의 갱신량")
def edge_update(mine: Any) -> None:
    """edge_update(w, grad, lr, l2) = the move optim.SGD makes on loss grad*w + l2 * w^2 (the engine's gradient)."""
    from hypothesis import strategies as st

    def trial(case_: tuple[float, float, float, float]) -> None:
        w, grad, lr, l2 = case_
        weight = Value(w, role="parameter")
        loss = grad * weight + l2 * losses.l2([weight])  # ∂/∂w of the first term is the data gradient `grad`
        loss.backward()
        SGD([weight], lr=lr).step()
        case = f"edge_update(w={w}, grad={grad}, lr={lr}, l2={l2})"
        hint = (
            "Δw = −η·∂L/∂w이고, ∂L/∂w는 데이터 손실의 기울기에 L2 항 λw²의 기울기 2λw를 더한 값입니다"
            "(경사를 내려가므로 부호는 −입니다)."
        )
        expect(case + " (optim.SGD가 움직인 거리와 비교)", weight.data - w, mine(w, grad, lr, l2), hint)

    first_failure(
        st.tuples(
            _halves(-2, 2, 0.0),
            _halves(-2, 2),
            st.sampled_from([0.1, 0.5, 1.0]),
            st.sampled_from([0.0, 0.1, 0.5]),
        ),
        trial,
    )
