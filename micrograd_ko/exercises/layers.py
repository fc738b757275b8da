"""Checks of the exercises of notebooks 10–15: dropout and L2, convolution and pooling, RNN and LSTM steps,
an autoencoder's pass, a GAN's two losses, and a batched layer as numpy does it.

Oracles: the library's layers run on the same weights (`nn.Dropout`'s own mask,
`nn.Conv2d`, `nn.MaxPool2d`, `nn.RNNCell`, `nn.LSTMCell`, `nn.conv.output_size`),
`micrograd_ko.losses`, and the engine's backward.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from micrograd_ko import losses, nn
from micrograd_ko.autograd import Value
from micrograd_ko.exercises._framework import Mismatch, exercise, expect, first_failure, lists_of, numbers, rounded

__all__: list[str] = []


def _data(values: Any) -> Any:
    """Nested lists of Values (or numbers) as nested lists of floats."""
    if isinstance(values, (list, tuple, np.ndarray)):
        return [_data(v) for v in values]
    return values.data if isinstance(values, Value) else float(values)


def _flat(values: Any) -> list[float]:
    return [float(v) for v in np.ravel(np.asarray(_data(values), dtype=float))]


# ---- notebook 10: dropout and L2 ---------------------------------------------------------------------------------


@exercise("10.1", "드롭아웃(dropout)의 배율")
def dropout(mine: Any) -> None:
    """dropout(xs, p, keep, training) against nn.Dropout with the mask it drew, and the identity in evaluation."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[float], float, int]) -> None:
        xs, p, seed = case_
        layer = nn.Dropout(p, seed=seed)
        expected = layer([xs])[0]
        keep = [int(k) for k in layer.mask[0]]
        hint = (
            "학습 중에는 남긴 값을 1/(1 − p)배 해서 기댓값을 그대로 두고, "
            "평가(training=False)에서는 입력을 그대로 돌려줍니다."
        )
        got = mine([Value(x) for x in xs], p, keep, True)
        expect(f"dropout({xs}, p={p}, keep={keep}, training=True)", _flat(expected), _flat(got), hint)
        got = mine([Value(x) for x in xs], p, keep, False)
        expect(f"dropout({xs}, p={p}, keep={keep}, training=False)", xs, _flat(got), hint)

    first_failure(st.tuples(lists_of(numbers(), 1, 4), st.sampled_from([0.25, 0.5]), st.integers(0, 20)), trial)


@exercise("10.2", "L2 규제 항")
def l2_penalty(mine: Any) -> None:
    """l2_penalty(params, lam) = lam * sum p^2 against lam * losses.l2: value and gradients."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[float], float]) -> None:
        ws, lam = case_
        ps, qs = [Value(w) for w in ws], [Value(w) for w in ws]
        got, expected = mine(ps, lam), lam * losses.l2(qs)
        case = f"l2_penalty({ws}, lam={lam})"
        hint = "가중치마다 제곱해 더한 뒤 λ를 곱하세요(절댓값이 아니라 제곱입니다)."
        expect(case + " 의 값", expected.data, getattr(got, "data", got), hint)
        got.backward()
        expected.backward()
        expect(case + " 의 기울기", [q.grad for q in qs], [p.grad for p in ps], hint)

    first_failure(st.tuples(lists_of(numbers(), 1, 4), st.sampled_from([0.1, 0.01])), trial)


# ---- notebook 11: the output size, one output pixel, max pooling's gradient -------------------------------------


@exercise("11.1", "합성곱 출력 크기")
def conv_output_size(mine: Any) -> None:
    """conv_output_size(size, kernel, stride, padding) against nn.conv.output_size."""
    from hypothesis import strategies as st

    from micrograd_ko.nn.conv import output_size

    def trial(case_: tuple[int, int, int, int]) -> None:
        size, kernel, stride, padding = case_
        if kernel > size + 2 * padding:
            return
        hint = "패딩은 양쪽에 붙고, 필터의 첫 자리도 한 칸으로 셉니다: ⌊(n + 2p − k) / s⌋ + 1."
        case = f"conv_output_size(size={size}, kernel={kernel}, stride={stride}, padding={padding})"
        expect(case, output_size(size, kernel, stride, padding), mine(size, kernel, stride, padding), hint)

    first_failure(st.tuples(st.integers(1, 12), st.integers(1, 5), st.integers(1, 3), st.integers(0, 2)), trial)


def _image(seed: int, channels: int, height: int, width: int) -> list[list[list[float]]]:
    rng = np.random.default_rng(seed)
    return rng.integers(-3, 4, (channels, height, width)).astype(float).tolist()  # type: ignore[no-any-return]


@exercise("11.2", "합성곱 출력 픽셀 하나")
def conv_pixel(mine: Any) -> None:
    """conv_pixel(image, weight, bias, row, col, stride) against one pixel of nn.Conv2d with the same weights."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int, int]) -> None:
        seed, channels, kernel, stride = case_
        size = 5
        image = _image(seed, channels, size, size)
        weight = _image(seed + 1, channels, kernel, kernel)
        layer = nn.Conv2d(channels, 1, kernel, stride=stride)
        for c in range(channels):
            for a in range(kernel):
                for b in range(kernel):
                    layer.weight[0][c][a][b].data = weight[c][a][b]
        assert layer.bias is not None
        layer.bias[0].data = 0.5
        out = layer([image])[0][0]
        hint = (
            "출력 (r, c)는 입력의 (r·s + a, c·s + b)에 필터 "
            "w[ch][a][b]를 그대로(뒤집지 않고) 곱해 모든 채널에 걸쳐 더한 값 + 편향입니다."
        )
        for row in range(len(out)):
            for col in range(len(out[0])):
                case = (
                    f"채널 {channels}, {size}×{size} 그림, {kernel}×{kernel} 필터, stride={stride}, 출력 ({row}, {col})"
                )
                got = mine(image, weight, 0.5, row, col, stride)
                expect(case, out[row][col].data, getattr(got, "data", got), hint)

    first_failure(
        st.tuples(st.integers(0, 30), st.integers(1, 2), st.integers(2, 3), st.integers(1, 2)), trial, budget=30
    )


@exercise("11.3", "최대 풀링의 기울기")
def maxpool_backward(mine: Any) -> None:
    """maxpool_backward(window, grad_out): the gradient of each window pixel, against the engine's max node."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[int], float]) -> None:
        flat, grad_out = case_
        window = [[float(flat[0]), float(flat[1])], [float(flat[2]), float(flat[3])]]
        pixels = [Value(v) for v in np.ravel(window)]
        (nn.MaxPool2d(2)([[[pixels[:2], pixels[2:]]]])[0][0][0][0] * grad_out).backward()
        expected = [[pixels[0].grad, pixels[1].grad], [pixels[2].grad, pixels[3].grad]]
        hint = "최댓값을 낸 자리만 위에서 온 기울기를 그대로 받고, 나머지 자리는 0입니다(평균 풀링과 다릅니다)."
        got = mine(window, grad_out)
        expect(f"maxpool_backward({window}, grad_out={grad_out})", _flat(expected), _flat(got), hint)

    first_failure(st.tuples(st.permutations([-2, 0, 1, 3]), numbers(-2, 2).filter(lambda g: g != 0)), trial)


# ---- notebook 12: one RNN step and one LSTM step --------------------------------------------------------------


def _cell_case(cell: Any, seed: int) -> tuple[list[float], list[float], dict[str, Any]]:
    rng = np.random.default_rng(seed)
    x = rng.integers(-2, 3, cell.input_size).astype(float).tolist()
    h = rng.uniform(-1, 1, cell.hidden_size).round(2).tolist()
    weights = {
        "W_ih": np.array([[w.data for w in row] for row in cell.weight_ih]),
        "W_hh": np.array([[w.data for w in row] for row in cell.weight_hh]),
        "b": np.array([a.data + b.data for a, b in zip(cell.bias_ih, cell.bias_hh)]),
    }
    return x, h, weights


@exercise("12.1", "RNN 한 단계")
def rnn_step(mine: Any) -> None:
    """rnn_step(x, h, W_ih, W_hh, b) = tanh(W_ih x + W_hh h + b) against nn.RNNCell with the same weights."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int]) -> None:
        n_in, n_hidden, seed = case_
        cell = nn.RNNCell(n_in, n_hidden, seed=seed)
        x, h, w = _cell_case(cell, seed)
        expected = cell(x, h)
        got = mine(np.array(x), np.array(h), w["W_ih"], w["W_hh"], w["b"])
        hint = "새 은닉 상태는 tanh(W_ih·x + W_hh·h + b): 지난 은닉 상태 h도 들어가야 순환입니다."
        expect(f"x={x}, h={h} (RNNCell({n_in}, {n_hidden}, seed={seed})의 가중치)", _flat(expected), _flat(got), hint)

    first_failure(st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(0, 20)), trial, budget=30)


@exercise("12.2", "LSTM 한 단계의 게이트")
def lstm_step(mine: Any) -> None:
    """lstm_step(x, h, c, W_ih, W_hh, b) -> (h', c') against nn.LSTMCell with the same weights (gates i, f, g, o)."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int]) -> None:
        n_in, n_hidden, seed = case_
        cell = nn.LSTMCell(n_in, n_hidden, seed=seed)
        x, h, w = _cell_case(cell, seed)
        c = np.random.default_rng(seed + 7).uniform(-1, 1, n_hidden).round(2).tolist()
        h_new, c_new = cell(x, (h, c))
        got = mine(np.array(x), np.array(h), np.array(c), w["W_ih"], w["W_hh"], w["b"])
        case = f"x={x}, h={h}, c={c} (LSTMCell({n_in}, {n_hidden}, seed={seed})의 가중치)"
        if not isinstance(got, tuple) or len(got) != 2:
            raise Mismatch(case, "(h_new, c_new)", got, "새 은닉 상태와 새 셀 상태를 튜플로 돌려주세요.")
        hint = "미리 계산한 값을 순서대로 i, f, g, o로 나누세요(σ, σ, tanh, σ). c' = f⊙c + i⊙g, h' = o⊙tanh(c')입니다."
        expect(case + " 의 c_new", _flat(c_new), _flat(got[1]), hint)
        expect(case + " 의 h_new", _flat(h_new), _flat(got[0]), hint)

    first_failure(st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(0, 20)), trial, budget=30)


# ---- notebook 13: an autoencoder's pass and its reconstruction loss ----------------------------------------------


@exercise("13.1", "오토인코더의 순전파")
def autoencode(mine: Any) -> None:
    """autoencode(x, W, b, W2, b2) = s(W2 s(W x + b) + b2) (s the sigmoid), against the same pass with Values."""
    from hypothesis import strategies as st

    def trial(seed: int) -> None:
        rng = np.random.default_rng(seed)
        x = rng.integers(0, 2, 4).astype(float)
        W, b = rng.integers(-2, 3, (2, 4)).astype(float), rng.integers(-1, 2, 2).astype(float)
        W2, b2 = rng.integers(-2, 3, (4, 2)).astype(float), rng.integers(-1, 2, 4).astype(float)
        code = [Value.dot(row.tolist(), x.tolist(), bias).sigmoid() for row, bias in zip(W, b)]
        expected = [Value.dot(row.tolist(), code, bias).sigmoid() for row, bias in zip(W2, b2)]
        got = mine(x, W, b, W2, b2)
        hint = "인코더로 코드 y = σ(Wx + b)를 만든 뒤, 디코더의 W2와 b2로 복원 σ(W2·y + b2)를 만드세요."
        case = f"x={x.tolist()}, W={W.tolist()}, b={b.tolist()}, W2={W2.tolist()}, b2={b2.tolist()}"
        expect(case, [e.data for e in expected], _flat(got), hint)

    first_failure(st.integers(0, 40), trial, budget=20)


@exercise("13.2", "복원 손실: 이진 교차 엔트로피")
def binary_cross_entropy(mine: Any) -> None:
    """binary_cross_entropy(probs, targets) against losses.binary_cross_entropy: value and gradients."""
    from hypothesis import strategies as st

    def trial(pairs: list[tuple[float, float]]) -> None:
        probs, targets = [p for p, _ in pairs], [t for _, t in pairs]
        ps, qs = [Value(p) for p in probs], [Value(p) for p in probs]
        got, expected = mine(ps, targets), losses.binary_cross_entropy(qs, targets)
        case = f"binary_cross_entropy({probs}, {targets})"
        hint = "−[t·log(p + 1e-7) + (1 − t)·log(1 − p + 1e-7)]의 평균: 정답이 0인 픽셀의 항도 있어야 합니다."
        expect(case + " 의 값", expected.data, getattr(got, "data", got), hint)
        got.backward()
        expected.backward()
        expect(case + " 의 기울기", [q.grad for q in qs], [p.grad for p in ps], hint)

    first_failure(lists_of(st.tuples(numbers(0.05, 0.95), st.sampled_from([0.0, 1.0])), 1, 4), trial)


# ---- notebook 14: a GAN's two losses --------------------------------------------------------------------------


@exercise("14.1", "판별자의 손실")
def discriminator_loss(mine: Any) -> None:
    """discriminator_loss(real_logits, fake_logits) against losses.gan_discriminator_loss: value and gradients."""
    from hypothesis import strategies as st

    def trial(case_: tuple[list[float], list[float]]) -> None:
        real, fake = case_
        rs, fs, rq, fq = ([Value(v) for v in vs] for vs in (real, fake, real, fake))
        got, expected = mine(rs, fs), losses.gan_discriminator_loss(rq, fq)
        case = f"discriminator_loss(real_logits={real}, fake_logits={fake})"
        hint = (
            "판별자는 진짜에 D = σ(s) → 1, 가짜에 → 0을 원합니다: −log "
            "σ(s_real)과 −log(1 − σ(s_fake))를 각각 평균해 더하세요."
        )
        expect(case + " 의 값", expected.data, getattr(got, "data", got), hint)
        got.backward()
        expected.backward()
        expect(case + " 의 기울기", [v.grad for v in rq + fq], [v.grad for v in rs + fs], hint)

    first_failure(st.tuples(lists_of(numbers(), 1, 3), lists_of(numbers(), 1, 3)), trial)


@exercise("14.2", "생성자의 손실 (포화하지 않는 형태)")
def generator_loss(mine: Any) -> None:
    """generator_loss(fake_logits) against the non-saturating losses.gan_generator_loss: value and gradients."""

    def trial(fake: list[float]) -> None:
        fs, fq = [Value(v) for v in fake], [Value(v) for v in fake]
        got, expected = mine(fs), losses.gan_generator_loss(fq)
        case = f"generator_loss(fake_logits={fake})"
        hint = (
            "log(1 − D(G(z)))를 줄이는 대신 −log D(G(z)) = −log "
            "σ(s)의 평균을 줄이세요: 판별자가 가짜를 확신할 때도 기울기가 큽니다."
        )
        expect(case + " 의 값", expected.data, getattr(got, "data", got), hint)
        got.backward()
        expected.backward()
        expect(case + " 의 기울기", [v.grad for v in fq], [v.grad for v in fs], hint)

    trial([-6.0])
    first_failure(lists_of(numbers(), 1, 3), trial)


# ---- notebook 15: a layer on a whole batch, and im2col --------------------------------------------------------


@exercise("15.1", "배치 전체의 선형층")
def batched_linear(mine: Any) -> None:
    """batched_linear(X, W, b) (one sample per row of X) against nn.Linear run sample by sample."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int, int]) -> None:
        n, n_in, n_out, seed = case_
        layer = nn.Linear(n_in, n_out, seed=seed)
        rng = np.random.default_rng(seed)
        X = rng.integers(-2, 3, (n, n_in)).astype(float)
        for v in layer.bias or ():
            v.data = float(rng.integers(-2, 3))
        W = np.array([[w.data for w in row] for row in layer.weight])
        b = np.array([v.data for v in layer.bias]) if layer.bias is not None else np.zeros(n_out)
        expected = layer(X.tolist())
        got = np.asarray(mine(X, W, b), dtype=float)
        hint = "샘플이 행이므로 X·Wᵀ + b입니다(모양: 샘플 수 × 출력 수). b는 모든 행에 더해집니다."
        case = f"X의 모양 {X.shape}, W의 모양 {W.shape}"
        if got.shape != (n, n_out):
            raise Mismatch(case + " 의 결과 모양", (n, n_out), got.shape, hint)
        expect(case, rounded(_flat(expected)), rounded(got.ravel().tolist()), hint, 1e-3)

    first_failure(
        st.tuples(st.integers(1, 3), st.integers(1, 3), st.integers(1, 3), st.integers(0, 20)), trial, budget=30
    )


@exercise("15.2", "im2col")
def im2col(mine: Any) -> None:
    """im2col(image, k): the patches as rows, so that im2col(image, k) @ w.ravel() is nn.Conv2d's output."""
    from hypothesis import strategies as st

    def trial(case_: tuple[int, int, int]) -> None:
        seed, channels, kernel = case_
        size = 4
        image = np.array(_image(seed, channels, size, size))
        weight = np.array(_image(seed + 1, channels, kernel, kernel))
        layer = nn.Conv2d(channels, 1, kernel, bias=False)
        for (c, a, b), v in np.ndenumerate(weight):
            layer.weight[0][c][a][b].data = float(v)
        expected = _flat(layer([image.tolist()])[0][0])
        got = np.asarray(mine(image, kernel), dtype=float)
        out = size - kernel + 1
        hint = (
            "패치마다 한 행: 행의 순서는 출력 위치의 (행, 열) 순, 한 행 안은 "
            "[채널][행][열] 순으로 펴세요(필터의 ravel과 같은 순서)."
        )
        case = f"채널 {channels}, {size}×{size} 그림, k={kernel}"
        if got.shape != (out * out, channels * kernel * kernel):
            raise Mismatch(case + " 의 모양", (out * out, channels * kernel * kernel), got.shape, hint)
        expect(case + " 에서 im2col(image, k) @ w.ravel()", expected, (got @ weight.ravel()).tolist(), hint)

    first_failure(st.tuples(st.integers(0, 30), st.integers(1, 2), st.integers(2, 3)), trial, budget=30)
