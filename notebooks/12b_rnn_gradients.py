# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 12b. RNN의 기울기: 소실, 폭발, 자르기, 그리고 LSTM
#
# [12_rnn_and_lstm](12_rnn_and_lstm.ipynb)에서 RNN은 펼친 그래프에서 역전파(시간 펼침 역전파, backpropagation through time, BPTT)로 배웠습니다.
# 펼친 그래프에서 앞쪽 시간 단계로 가는 기울기는 **단계마다 같은 행렬을 한 번씩 곱한 것** 이라, 단계가 많으면 0으로 사라지거나(**기울기 소실, vanishing gradient**)
# 끝없이 커집니다(**기울기 폭발, exploding gradient**). 이 노트북에서 할 일:
#
# 1. 첫 입력까지 도달하는 기울기를 시퀀스 길이에 따라 재어 기울기 소실을 숫자로 보고(RNN과 LSTM), 엘만 네트워크의 문맥 층이 소실을 고친다는 말을 재 봅니다.
# 2. 되먹임 가중치 $W$의 크기(스펙트럼 반지름)를 바꿔 가며 기울기가 폭발하는 것을 봅니다.
# 3. 폭발하는 학습을 **기울기 자르기(gradient clipping)**, `nn.clip_grad_norm_`으로 살립니다.
# 4. **LSTM(long short-term memory)** 의 게이트(gate)가 시퀀스를 따라 어떻게 움직이는지 그립니다.

# %%
import math

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, losses, nn, no_grad
from micrograd_ko.nn.utils import total_norm
from micrograd_ko.optim import SGD, Adam

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 기울기 소실: 앞쪽 시간 단계까지 기울기가 얼마나 도달하나
#
# 마지막 은닉 상태의 합 $L = \sum_j h_T[j]$를 첫 입력 $x_1$로 미분한 $|\partial L / \partial x_1|$을 시퀀스 길이 $T$에 따라 잽니다.
# 연쇄 법칙(chain rule)으로 이 기울기는 단계마다 한 번씩 곱해진 **야코비안(Jacobian)** 의 곱입니다.
#
# - RNN: $\dfrac{\partial h_t}{\partial h_{t-1}} = \mathrm{diag}(1 - h_t^2)\, W$. $|\tanh'| \le 1$이고 $W$가 작으면 곱할수록 0으로 줄어듭니다(지수적으로).
# - LSTM: **셀 상태(cell state)** 가 $c_t = f_t \odot c_{t-1} + i_t \odot g_t$로 이어지므로 $\dfrac{\partial c_t}{\partial c_{t-1}}$의 직접 경로는 $\mathrm{diag}(f_t)$,
#   즉 **망각 게이트(forget gate)** 값 그 자체입니다. $f_t$가 1에 가까우면 기울기가 거의 줄지 않고 지나갑니다.
#
# 초기화한 그대로의 망(은닉 16개, 시드 3개의 평균)으로 잽니다. 세 번째 줄은 망각 게이트의 편향에 2를 더해 $f_t \approx \sigma(2) \approx 0.88$에서
# 시작하게 한 LSTM입니다(망각 게이트 편향을 1 이상으로 두는 것은 흔히 쓰는 초기화입니다).
#
# **실행하기 전에 예측해 보세요.** 길이 $T = 40$에서 RNN의 기울기는 $T = 1$일 때의 몇 분의 일일까요? 초기화한 그대로의 LSTM은 RNN보다 훨씬 나을까요?

# %%
LENGTHS = [1, 2, 5, 10, 20, 40]
HIDDEN = 16


def lstm_with_forget_shift(seed: int, shift: float) -> nn.LSTM:
    model = nn.LSTM(1, HIDDEN, seed=seed)
    bias_ih = model.cells[0].bias_ih
    assert bias_ih is not None
    for bias in bias_ih[HIDDEN : 2 * HIDDEN]:  # 게이트 순서 i, f, g, o: 두 번째 블록이 망각 게이트
        bias.data += shift
    return model


def gradient_at_first_step(model: nn.RNN | nn.LSTM, length: int, seed: int, scale: float = 1.0) -> float:
    xs = [[Value(float(v))] for v in scale * np.random.default_rng(100 + seed).normal(size=length)]
    outputs, _ = model(xs)
    Value.sum(outputs[-1]).backward()
    return abs(xs[0][0].grad)


models = {
    "RNN (tanh)": lambda seed: nn.RNN(1, HIDDEN, seed=seed),
    "LSTM": lambda seed: nn.LSTM(1, HIDDEN, seed=seed),
    "LSTM, 망각 편향 +2": lambda seed: lstm_with_forget_shift(seed, 2.0),
}
vanishing = {
    name: [float(np.mean([gradient_at_first_step(make(seed), T, seed) for seed in range(3)])) for T in LENGTHS]
    for name, make in models.items()
}
print("T =".ljust(20) + "".join(f"{T:>10d}" for T in LENGTHS))
for name, grads in vanishing.items():
    print(name.ljust(20) + "".join(f"{g:10.1e}" for g in grads))
for name, grads in vanishing.items():
    per_step = (grads[-1] / grads[-2]) ** (1 / (LENGTHS[-1] - LENGTHS[-2]))
    print(f"{name}: T=20 → 40 사이에 단계마다 기울기가 {per_step:.3f}배, T=40의 기울기는 T=1의 {grads[-1] / grads[0]:.1e}배")

# 두 LSTM의 망각 게이트 f_t가 실제로 얼마인지: 길이 40의 같은 무작위 입력에서 모든 단계, 모든 유닛의 평균
for name in ("LSTM", "LSTM, 망각 편향 +2"):
    lstm_cell = models[name](0).cells[0]
    assert isinstance(lstm_cell, nn.LSTMCell)
    forget, state = [], None
    with no_grad():
        for v in np.random.default_rng(100).normal(size=40):
            gates = lstm_cell.gates([float(v)], state)
            state = (gates["h"], gates["c"])
            forget += [f.data for f in gates["f"]]
    print(f"{name}: 망각 게이트 f_t의 평균 {np.mean(forget):.3f}, 가장 큰 값 {np.max(forget):.3f}")

# %%
fig, ax = plt.subplots(figsize=(6, 3.8))
for name, grads in vanishing.items():
    ax.semilogy(LENGTHS, grads, "o-", label=name)
ax.set_xlabel("시퀀스 길이 T")
ax.set_ylabel("|∂L/∂x₁| (로그 눈금)")
ax.set_title("첫 입력까지 도달하는 기울기")
ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# 숫자로 읽으면: RNN의 기울기는 20단계를 지난 뒤에도 단계마다 위에서 잰 배율(1보다 작은 값)로 줄어, 길이 40에서는 첫 입력이 손실에 준 영향을
# 학습할 신호가 거의 남지 않습니다. 초기화한 그대로의 LSTM도 망각 게이트가 평균 0.5 근처라 기울기가 줄어듭니다.
# 망각 게이트를 1 가까이 열면(세 번째 줄) 셀 상태의 경로로 기울기가 40단계 뒤까지 큰 크기로 도달합니다.
#
# RNN에서도 감쇠율은 고정된 값이 아닙니다. $W$도 학습되는 매개변수이고, 단계마다의 배율은 $\mathrm{diag}(1-h_t^2)\,W$가 정하므로
# RNN도 학습으로 $W$를 키워 감쇠를 줄일 수 있습니다. 두 망의 차이는 경로의 모양에 있습니다. RNN의 경로는 $W$를 거듭 곱하는 길 하나라서,
# 배율을 1 가까이 올리려고 $W$를 키우면 1을 넘는 순간 곱이 폭발합니다(2절). LSTM의 셀 상태는 **더하기로 이어지는 경로** 이고,
# 그 직접 경로의 배율은 0과 1 사이의 게이트 값 $f_t$ 하나입니다(위에서 잰 $f_t$의 가장 큰 값도 1보다 작습니다). 그래서 $f_t$를 1 가까이 두어 기울기를 멀리 보내도,
# 그 경로의 곱은 1을 넘을 수 없어 폭발하지 않습니다.
#
# **엘만 네트워크의 문맥 층에 대해.** 강의 노트는 엘만 네트워크가 문맥 층(context layer)을 더해 기울기 소실 문제를 어느 정도 해결했다고 적습니다.
# 문맥 층은 $h_{t-1}$을 담아 다음 단계에 되먹이는 층이고, 그것이 바로 위 표의 RNN입니다(`nn.RNN`이 엘만 네트워크입니다).
# 잰 숫자가 보여 주는 것은 이렇습니다: 문맥 층이 없는 망(지금 입력만 보는 MLP)에서 $\partial L/\partial x_1$은 정확히 0이고,
# 문맥 층은 과거 입력으로 가는 경로를 **만들어** 줍니다. 하지만 그 경로의 기울기는 단계마다 일정한 배율로 줄어 지수적으로 사라집니다.
# 과거를 기억할 길을 연 것은 맞지만, 먼 과거로 가는 기울기 소실을 고친 것은 아닙니다. 그 일을 한 것은 LSTM의 게이트를 단 덧셈 경로입니다.
#
# ## 2. 기울기 폭발: $W$를 거듭 곱하면
#
# 이번에는 $W$의 크기를 직접 정합니다. 행렬을 거듭 곱할 때 곱이 커지는지 줄어드는지는 **스펙트럼 반지름(spectral radius)**,
# 즉 고윳값(eigenvalue)의 절댓값 중 가장 큰 값 $\rho(W)$가 정합니다. $\rho < 1$이면 $W^T$는 0으로, $\rho > 1$이면 무한대로 갑니다.
# RNN(1, 16)의 $W$를 $\rho(W)$가 0.5, 0.9, 1.0, 1.2, 1.5가 되도록 비율만 바꾸고, 편향은 0, 입력은 아주 작게($0.01 \times$ 표준정규분포) 두어
# $h_t$가 0 근처에 머물게 합니다. 거기서는 $\tanh' \approx 1$이라 $\partial h_T / \partial h_1 \approx W^{T-1}$입니다.
#
# **실행하기 전에 예측해 보세요.** $\rho = 0.5$와 $\rho = 1.5$에서 $T = 20$의 기울기는 몇 자릿수 차이 날까요? $\rho = 1.5$에서 $T$를 40으로 늘리면 기울기는 계속 커질까요?

# %%
RADII = [0.5, 0.9, 1.0, 1.2, 1.5]


def rnn_with_radius(radius: float, hidden: int = HIDDEN, seed: int = 0) -> nn.RNN:
    """RNN(1, hidden)의 W를 스펙트럼 반지름이 `radius`가 되도록 비율만 바꾸고, 편향은 0으로 둡니다."""
    model = nn.RNN(1, hidden, seed=seed)
    cell = model.cells[0]
    assert cell.bias_ih is not None and cell.bias_hh is not None
    W = np.array([[w.data for w in row] for row in cell.weight_hh])
    rho = float(np.max(np.abs(np.linalg.eigvals(W))))
    for row in cell.weight_hh:
        for w in row:
            w.data *= radius / rho
    for bias in cell.bias_ih + cell.bias_hh:
        bias.data = 0.0
    return model


exploding = {radius: [gradient_at_first_step(rnn_with_radius(radius), T, 0, scale=0.01) for T in LENGTHS] for radius in RADII}
print("T =".ljust(12) + "".join(f"{T:>10d}" for T in LENGTHS))
for radius, grads in exploding.items():
    print(f"ρ(W) = {radius:<4}".ljust(12) + "".join(f"{g:10.1e}" for g in grads))
for radius in RADII:
    with no_grad():
        h_last = rnn_with_radius(radius)([[0.01 * float(v)] for v in np.random.default_rng(100).normal(size=40)])[0][-1]
    print(f"ρ(W) = {radius}: T=20의 기울기 / T=1의 기울기 = {exploding[radius][4] / exploding[radius][0]:.1e},"
          f"  T=40에서 |h| 가장 큰 값 {max(abs(v.data) for v in h_last):.3f}")

# %% [markdown]
# $\rho(W) < 1$이면 기울기가 지수적으로 줄고(소실), $\rho(W) > 1$이면 지수적으로 커집니다(폭발). 1.0은 그 경계입니다.
# $\rho = 1.5$에서 $T = 40$의 기울기가 $T = 20$보다 작아진 것은 은닉 상태가 커져 $\tanh$가 **포화(saturation)** 했기 때문입니다:
# $|h|$가 1에 가까워지면 $\mathrm{diag}(1 - h^2)$가 0에 가까워져 곱을 다시 줄입니다. 폭발과 소실은 같은 곱의 두 얼굴입니다.
#
# ## 3. 기울기 자르기 (gradient clipping)
#
# 기울기가 한 번 폭발하면, 그 기울기로 한 걸음 내디딘 매개변수는 멀리 튀어 나가고, 거기서 계산한 기울기는 더 커지기 쉽습니다.
# **기울기 자르기** 는 모든 매개변수의 기울기를 벡터 하나 $g$로 보고, 그 길이(노름, norm)가 `max_norm`보다 크면 같은 비율로 줄입니다.
#
# $$g \leftarrow g \cdot \frac{\texttt{max\_norm}}{\lVert g \rVert + 10^{-6}} \quad (\lVert g \rVert > \texttt{max\_norm}\text{일 때만})$$
#
# 방향은 그대로 두고 길이만 제한하므로, SGD의 한 걸음은 길어야 $\text{lr} \times \texttt{max\_norm}$입니다. `nn.clip_grad_norm_(parameters, max_norm)`은
# PyTorch의 `torch.nn.utils.clip_grad_norm_`과 이름과 뜻이 같습니다: `backward()`와 `step()` 사이에 부르고, **자르기 전의** 노름을 돌려줍니다
# (`norm_type=math.inf`이면 가장 큰 $|g_i|$를 잽니다). 테스트가 PyTorch와 float64로 같은 결과를 내는지 확인합니다.
#
# 12번 노트북의 지연 복사(세 단계 전의 값 말하기, 길이 12)를 SGD(학습률 0.3)로 60걸음 학습합니다. 같은 RNN(1, 16)을 $\rho(W)$ = 0.9와 1.5로 시작해 비교하고,
# 1.5에서는 `max_norm=1.0`으로 자른 학습도 해 봅니다.
#
# **실행하기 전에 예측해 보세요.** 학습률이 같은데 $\rho(W)$만 0.9에서 1.5로 바꾸면 학습은 어떻게 될까요? 자른 학습의 손실은 0.9로 시작한 학습만큼 내려갈까요?

# %%
DELAY, LENGTH = 3, 12


def delayed_copy(rng: np.random.Generator) -> tuple[list[list[float]], list[float]]:
    """입력 x_1 … x_12 (균등분포 U(-1, 1))과 정답 x_{t-3} (t = 4 … 12)."""
    xs = rng.uniform(-1, 1, LENGTH)
    return [[float(v)] for v in xs], [float(xs[t - DELAY]) for t in range(DELAY, LENGTH)]


def train_copy(radius: float, max_norm: float | None, steps: int = 60) -> dict[str, list[float]]:
    """지연 복사를 SGD(lr 0.3)로 학습하며 걸음마다 손실과 (자르기 전의) 기울기 노름을 기록합니다."""
    model, head = rnn_with_radius(radius), nn.Linear(HIDDEN, 1, seed=0)
    params = model.parameters() + head.parameters()
    opt = SGD(params, lr=0.3)
    rng = np.random.default_rng(0)
    record: dict[str, list[float]] = {"loss": [], "norm": [], "recurrent share": []}
    for _ in range(steps):
        batch = [delayed_copy(rng) for _ in range(4)]
        predictions = []
        for xs, _ in batch:
            outputs, _ = model(xs)
            predictions += [row[0] for row in head(outputs[DELAY:])]
        loss = losses.mse(predictions, [y for _, ys in batch for y in ys])
        opt.zero_grad()
        loss.backward()
        recurrent = total_norm([w.grad for row in model.cells[0].weight_hh for w in row])
        # max_norm=inf는 자르지 않고 노름만 잽니다
        norm = nn.clip_grad_norm_(params, math.inf if max_norm is None else max_norm)
        opt.step()
        record["loss"].append(loss.data)
        record["norm"].append(norm)
        record["recurrent share"].append((recurrent / norm) ** 2 if norm > 0 else 0.0)
        if not math.isfinite(loss.data) or loss.data > 1e12:
            break
    return record


runs = {
    "ρ(W) = 0.9, 자르지 않음": train_copy(0.9, None),
    "ρ(W) = 1.5, 자르지 않음": train_copy(1.5, None),
    "ρ(W) = 1.5, max_norm = 1": train_copy(1.5, 1.0),
}
for name, record in runs.items():
    stopped = "" if len(record["loss"]) == 60 else f" (손실이 1e12를 넘어 {len(record['loss'])}걸음에서 멈춤)"
    print(f"{name}: 첫 걸음의 기울기 노름 {record['norm'][0]:.2f} (노름 제곱 중 W_hh의 몫 {record['recurrent share'][0]:.0%}), "
          f"가장 큰 노름 {max(record['norm']):.1e}, 마지막 10걸음의 평균 손실 {np.mean(record['loss'][-10:]):.3g}{stopped}")
first_ratio = runs["ρ(W) = 1.5, 자르지 않음"]["norm"][0] / runs["ρ(W) = 0.9, 자르지 않음"]["norm"][0]
print(f"첫 걸음의 기울기 노름: ρ(W) = 1.5가 0.9의 {first_ratio:.1f}배")

# 자른 뒤의 노름이 정말 max_norm인지: 기울기 하나를 만들어 잘라 봅니다
params = [Value(0.0, role="parameter") for _ in range(3)]
for p, g in zip(params, (3.0, -4.0, 12.0)):
    p.grad = g
before = nn.clip_grad_norm_(params, 1.0)
print(f"\n기울기 (3, -4, 12): 자르기 전 노름 {before:.4f}, 자른 뒤 기울기 {[round(p.grad, 4) for p in params]}, "
      f"자른 뒤 노름 {total_norm([p.grad for p in params]):.6f}")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.6))
for name, record in runs.items():
    ax1.semilogy(record["loss"], label=name)
    ax2.semilogy(record["norm"], label=name)
ax1.set_xlabel("SGD 걸음")
ax1.set_ylabel("배치 MSE (로그 눈금)")
ax1.set_title("지연 복사의 학습 곡선")
ax2.axhline(1.0, color="gray", linewidth=0.8, linestyle="--")
ax2.set_xlabel("SGD 걸음")
ax2.set_ylabel("자르기 전 기울기 노름 (로그 눈금)")
ax2.set_title("기울기 노름 (점선: max_norm = 1)")
ax1.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# 학습률도 과제도 같은데, $\rho(W) = 1.5$로 시작한 학습은 첫 걸음의 기울기부터 0.9일 때의 몇 배입니다(위에서 잰 배수).
# 자르지 않으면 큰 걸음이 매개변수를 멀리 보내고, 거기서 잰 기울기는 더 커져 손실과 노름이 함께 치솟습니다(스무 걸음 남짓에 손실이 $10^{12}$을 넘습니다).
# 같은 시작에서 노름을 1로 자르면 걸음의 길이가 묶여 학습이 무너지지 않고 손실이 내려갑니다. 다만 60걸음 뒤의 손실은 아직 0.9로 시작한 학습보다 높습니다:
# 자르기는 폭발을 막을 뿐, 나쁜 시작점을 좋은 시작점으로 바꾸지는 않습니다. 자르기 전 노름을 기록해 두면 폭발이 언제 일어났는지도 보입니다.
# 또 자르기는 큰 기울기를 줄일 뿐 작은 기울기를 키우지는 않으므로 소실은 고치지 못합니다. 소실에는 LSTM 같은 구조가 필요합니다.
#
# ## 4. LSTM의 게이트를 시퀀스 위에 그리기
#
# `nn.LSTMCell`은 PyTorch와 같은 식을 씁니다($\sigma$는 시그모이드, $\odot$는 원소별 곱).
#
# $$\begin{aligned}
# i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) && \text{입력 게이트(input gate): 새 정보를 얼마나 쓸지} \\
# f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) && \text{망각 게이트(forget gate): 이전 셀 상태를 얼마나 남길지} \\
# g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) && \text{셀에 쓸 후보 값} \\
# o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) && \text{출력 게이트(output gate): 셀을 얼마나 보여 줄지} \\
# c_t &= f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t)
# \end{aligned}$$
#
# 강의 노트의 망각 게이트 $f_t = \sigma(U_f x_t + W_f h_{t-1} + b_f)$가 두 번째 줄입니다($U_f = W_{if}$, $W_f = W_{hf}$, $b_f = b_{if} + b_{hf}$).
# 1이면 모두 기억하고 0이면 모두 잊습니다. 은닉 4개짜리 LSTM을 12번 노트북의 사인파 문제(여덟 값을 읽고 아홉 번째 값 맞히기)로 잠깐 학습시킨 뒤,
# 사인파 40단계 $x_t = \sin(0.3\,t)$, $t = 1, \dots, 40$을 읽히며 단계마다 `LSTMCell.gates(x, state)`가 돌려주는 게이트 값을 모아 그립니다.
#
# **실행하기 전에 예측해 보세요.** 시그모이드 게이트 $i, f, o$의 값은 어느 범위에 있을까요? 입력이 주기적이면 게이트도 주기적으로 움직일까요?

# %%
DT, WINDOW = 0.3, 8


def sine_window(phase: float) -> tuple[list[list[float]], float]:
    """입력 시퀀스 [[sin(φ)], …, [sin(φ + 0.3·7)]]와 정답 sin(φ + 0.3·8)."""
    return [[math.sin(phase + DT * t)] for t in range(WINDOW)], math.sin(phase + DT * WINDOW)


def predict_next(model: nn.LSTM, head: nn.Linear, xs: list[list[float]]) -> Value:
    outputs, _ = model(xs)
    return head([outputs[-1]])[0][0]


rng = np.random.default_rng(1)
lstm = nn.LSTM(1, 4, seed=0)
lstm_head = nn.Linear(4, 1, seed=1)
lstm_optimizer = Adam(lstm.parameters() + lstm_head.parameters(), lr=0.03)
for step in range(60):
    batch = [sine_window(float(p)) for p in rng.uniform(0, 2 * math.pi, 8)]
    loss = losses.mse([predict_next(lstm, lstm_head, xs) for xs, _ in batch], [target for _, target in batch])
    lstm_optimizer.zero_grad()
    loss.backward()
    lstm_optimizer.step()
test = [sine_window(float(p)) for p in np.linspace(0, 2 * math.pi, 50, endpoint=False)]
with no_grad():
    lstm_mse = float(np.mean([(predict_next(lstm, lstm_head, xs).data - target) ** 2 for xs, target in test]))
print(f"LSTM(1, 4), 60단계 학습 후 테스트 위상 50개의 MSE = {lstm_mse:.2e}")

sequence = [math.sin(DT * t) for t in range(1, 41)]  # x_t = sin(0.3 t), t = 1 … 40
lstm_cell = lstm.cells[0]
assert isinstance(lstm_cell, nn.LSTMCell)
history: dict[str, list[list[float]]] = {name: [] for name in "ifgoch"}
state = None
with no_grad():
    for x in sequence:
        gates = lstm_cell.gates([x], state)
        state = (gates["h"], gates["c"])
        for name in history:
            history[name].append([v.data for v in gates[name]])
for name in "ifo":
    values = np.array(history[name])
    print(f"게이트 {name}: 평균 {values.mean():.3f}, 최소 {values.min():.3f}, 최대 {values.max():.3f}")
f_values = np.array(history["f"])
period = round(2 * math.pi / DT)
print(f"입력의 주기 ≈ {2 * math.pi / DT:.1f}단계: 망각 게이트의 t와 t+{period}의 평균 차이 {np.mean(np.abs(f_values[period:] - f_values[:-period])):.3f}, "
      f"t와 t+{period // 2}의 평균 차이 {np.mean(np.abs(f_values[period // 2:] - f_values[:-(period // 2)])):.3f}")

# %%
panels = [
    ("x", "입력 x_t = sin(0.3 t)"),
    ("i", "입력 게이트 i_t"),
    ("f", "망각 게이트 f_t"),
    ("g", "후보 값 g_t"),
    ("o", "출력 게이트 o_t"),
    ("c", "셀 상태 c_t"),
    ("h", "은닉 상태 h_t"),
]
fig, axes = plt.subplots(len(panels), 1, figsize=(8, 11), sharex=True)
steps = np.arange(1, len(sequence) + 1)
for ax, (name, title) in zip(axes, panels):
    if name == "x":
        ax.plot(steps, sequence, "k.-")
    else:
        values = np.array(history[name])
        for unit in range(values.shape[1]):
            ax.plot(steps, values[:, unit], ".-", label=f"unit {unit}")
        if name in "ifo":
            ax.set_ylim(-0.05, 1.05)
    ax.set_ylabel(name, rotation=0, labelpad=12)
    ax.set_title(title, fontsize=10, loc="left")
axes[1].legend(ncol=4, fontsize=8, loc="lower right", bbox_to_anchor=(1.0, 1.0), frameon=False)
axes[-1].set_xlabel("시간 단계 t")
plt.tight_layout()
plt.show()

# %% [markdown]
# 시그모이드 게이트 $i, f, o$는 0과 1 사이에서 입력의 위상에 따라 열리고 닫힙니다. 입력의 한 주기(약 21단계) 뒤의 망각 게이트는
# 반 주기 뒤보다 지금 값에 가깝습니다(위에서 잰 두 평균 차이). 셀 상태 $c_t$는 $f_t$만큼 남고 $i_t \odot g_t$만큼 새로 쓰입니다.
# 값은 모두 위 셀이 계산한 것이고, 같은 셀에 `backward()`를 부르면 각 게이트를 거쳐 매개변수까지 기울기가 흐릅니다.
#
# ## 정리
#
# - 앞쪽 단계로 가는 기울기는 단계마다 야코비안이 곱해져 지수적으로 줄거나(소실) 커집니다(폭발). RNN에서 그 배율은 $\mathrm{diag}(1-h_t^2)\,W$이고,
#   $W$의 스펙트럼 반지름이 1보다 작으면 소실, 크면 폭발합니다(포화가 폭발을 다시 누릅니다).
# - 엘만 네트워크의 문맥 층은 과거로 가는 기울기 경로를 만들지만, 잰 기울기는 그 경로에서도 지수적으로 사라집니다.
# - LSTM은 셀 상태의 덧셈 경로와 0~1 사이의 망각 게이트로, 기울기를 멀리 보내면서도 폭발하지 않는 경로를 가집니다(망각 편향 +2에서 40단계 뒤까지 도달).
# - 기울기 자르기 `nn.clip_grad_norm_(params, max_norm)`은 `backward()`와 `step()` 사이에서 노름만 줄여 폭발하는 학습을 살립니다. 소실은 고치지 못합니다.
#
# 해 볼 것: 2절에서 입력의 크기(`scale=0.01`)를 1로 키워 포화가 언제 시작되는지 보기, 3절에서 `max_norm`을 0.1이나 10으로 바꿔 보기,
# `norm_type=math.inf`로 가장 큰 기울기 하나만 재어 자르기.
