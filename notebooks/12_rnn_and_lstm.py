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
# # 12. 순환 신경망과 LSTM (RNN and LSTM)
#
# 다층 퍼셉트론(MLP)은 입력이 출력 쪽으로만 흐르고, 은닉 뉴런은 앞서 본 입력을 기억하지 못합니다.
# **순환 신경망(recurrent neural network, RNN)** 은 뉴런의 출력을 다음 시간 단계(time step)의 입력으로 되돌려(feedback)
# **은닉 상태(hidden state)** 를 일종의 메모리로 씁니다. 그래서 앞에 무엇이 나왔는지(문맥, context)가 다음 예측에 영향을 줍니다.
#
# 이 노트북에서 할 일:
#
# 1. 강의 노트의 식 $h_t = g(U x_t + W h_{t-1} + b)$ (엘만 네트워크, Elman network)를 `nn.RNNCell`로 계산하고 numpy로 같은 숫자를 확인합니다.
# 2. 두 시간 단계로 펼친(unrolled) RNN 셀의 계산 그래프를 그립니다: 같은 가중치가 두 번 쓰입니다.
# 3. RNN이 사인파(sine wave)의 다음 값을 예측하도록 학습합니다.
# 4. 짧은 한국어 문장으로 글자 단위(character-level) 모델을 학습하고, '한글'을 한 글자씩 써 가는 것을 봅니다.
# 5. 앞쪽 시간 단계까지 도달하는 기울기를 시퀀스 길이에 따라 재어 **기울기 소실(vanishing gradient)** 을 숫자로 봅니다(RNN과 LSTM).
# 6. **LSTM(long short-term memory)** 의 게이트(gate)가 시퀀스를 따라 어떻게 움직이는지 그립니다.

# %%
import math

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, draw, losses, nn, no_grad
from micrograd_ko.optim import Adam

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 순환 신경망의 식
#
# 강의 노트의 RNN은 시간 단계 $t$마다 다음 두 식을 계산합니다.
#
# $$h_t = g_1(U x_t + W h_{t-1} + b), \qquad o_t = g_2(V h_t + b_o)$$
#
# - $x_t$: 입력값, $h_t$: $t$단계의 은닉 상태(hidden state), $o_t$: $t$단계의 출력값
# - $U$, $W$, $V$: $x_t$, $h_{t-1}$, $h_t$에 곱하는 가중치(weight), $b$, $b_o$: 편향(bias)
# - $g_1$, $g_2$: 비선형 활성화 함수(tanh, sigmoid 등)
#
# 은닉 상태가 자기 자신에게 되먹임되는 이 구조를 **엘만 네트워크(Elman network)** 라고 부르고, 되먹임된 $h_{t-1}$을 담는 층을
# **문맥 층(context layer)** 이라고 합니다. 핵심은 **매개변수 공유(parameter sharing)** 입니다: MLP는 층마다 가중치가 따로이지만,
# RNN은 모든 시간 단계가 같은 $U, W, b$를 씁니다.
#
# `nn.RNNCell(input_size, hidden_size)`가 첫 번째 식 한 단계입니다. PyTorch의 `torch.nn.RNNCell`과 같은 모양이라
# $U$는 `weight_ih`(hidden × input), $W$는 `weight_hh`(hidden × hidden)이고, 편향은 두 개 `bias_ih + bias_hh`$= b$로 나뉘어 있습니다.
# 입력 1개, 은닉 상태 2개인 셀로 세 단계를 계산하고, 같은 식을 numpy로 직접 계산해 비교합니다. $h_0$은 0입니다.

# %%
cell = nn.RNNCell(1, 2, seed=0)
U = np.array(cell.state_dict()["weight_ih"])
W = np.array(cell.state_dict()["weight_hh"])
b = np.array(cell.state_dict()["bias_ih"]) + np.array(cell.state_dict()["bias_hh"])
print("U =", U.round(4).tolist())
print("W =", W.round(4).tolist())
print("b = b_ih + b_hh =", b.round(4).tolist())

xs = [0.5, -1.0, 2.0]
h, h_numpy = None, np.zeros(2)
for t, x in enumerate(xs, start=1):
    h = cell([x], h)
    h_numpy = np.tanh(U @ [x] + W @ h_numpy + b)
    print(f"t={t}: x={x:+.1f}  RNNCell h_t = {[round(v.data, 6) for v in h]}   numpy = {h_numpy.round(6).tolist()}")

# %% [markdown]
# ## 2. 두 단계로 펼친 RNN 셀의 계산 그래프
#
# 되먹임이 있는 망도 시간 축으로 **펼치면(unroll)** 보통의 계산 그래프가 됩니다. 아래는 입력 1개, 은닉 상태 2개인 셀을
# 두 단계 실행하고 $y = h_2[0] + h_2[1]$에서 역전파한 그래프입니다. 읽는 법:
#
# - `U[j][i]`, `W[j][k]`, `b_ih[j]`, `b_hh[j]`는 매개변수(parameter)이고, 두 단계가 같은 노드를 씁니다. `U[0][0]`에서 나가는 간선이 두 개인 것이 매개변수 공유입니다.
#   그래서 역전파는 두 단계에서 온 기울기를 더해 `U[0][0].grad`를 만듭니다(**BPTT, backpropagation through time**).
# - 첫 단계는 $h_0 = 0$이라 $W h_0$ 항이 없습니다(0을 곱해 더하는 노드는 그리지 않습니다). $W$는 둘째 단계에서만 쓰입니다.
# - `dot` 노드 하나가 $U_j \cdot x_t + W_j \cdot h_{t-1} + b_{ih,j}$ 한 줄이고, 그 뒤 `+`가 $b_{hh,j}$를 더하고 `tanh`가 $g$입니다.

# %%
cell = nn.RNNCell(1, 2, seed=0)
h1 = cell([Value(0.5, label="x1")])
h2 = cell([Value(-1.0, label="x2")], h1)
for j in range(2):
    h1[j].label, h2[j].label = f"h1[{j}]", f"h2[{j}]"
y = h2[0] + h2[1]
y.label = "y"
y.backward()
print("그래프의 노드 수:", len(y.topological_order()))
print("U[0][0]이 쓰인 곳:", sum(p is cell.weight_ih[0][0] for v in y.topological_order() for p in v.parents), "번")
draw(y, title="두 단계로 펼친 RNN 셀: h2 = tanh(U·x2 + W·h1 + b), h1 = tanh(U·x1 + b)")

# %% [markdown]
# 양방향 RNN(bidirectional RNN)은 셀을 하나 더 두어 시퀀스를 뒤에서부터 읽게 하고, 시간 단계마다 두 은닉 상태를 이어 붙입니다.
# 그래서 $t$번째 출력이 과거뿐 아니라 미래 입력도 봅니다. `nn.RNN(..., bidirectional=True)`의 첫 출력에서 역전파해,
# 마지막 입력 $x_4$가 정방향 절반에는 영향이 없고(기울기 0) 역방향 절반에는 영향이 있음을 확인합니다.

# %%
birnn = nn.RNN(1, 3, bidirectional=True, seed=0)
inputs = [[Value(v)] for v in (0.3, -1.2, 0.8, 2.0)]
outputs, h_n = birnn(inputs)
print("출력 개수:", len(outputs), "/ 한 출력의 크기:", len(outputs[0]), "(정방향 3 + 역방향 3)")
Value.sum(outputs[0][:3]).backward()
print("정방향 h_1에 대한 ∂/∂x_4 =", inputs[3][0].grad)
for x in inputs:
    x[0].grad = 0.0
Value.sum(outputs[0][3:]).backward()
print(f"역방향 h_1에 대한 ∂/∂x_4 = {inputs[3][0].grad:.4f}")

# %% [markdown]
# ## 3. 사인파의 다음 값 예측하기
#
# $\sin(\varphi), \sin(\varphi + 0.3), \dots, \sin(\varphi + 0.3 \cdot 7)$ 여덟 값을 차례로 읽고 아홉 번째 값 $\sin(\varphi + 0.3 \cdot 8)$을 맞히는 문제입니다.
# 모델은 `nn.RNN(1, 8)`의 마지막 은닉 상태 $h_8$ 위에 선형 출력층 $o = V h_8 + b_o$(`nn.Linear(8, 1)`)을 얹은 것입니다(강의 노트의 $g_2$는 항등 함수).
# 시작 위상 $\varphi$를 무작위로 뽑은 8개 시퀀스를 한 배치로, 평균제곱오차(MSE)를 Adam으로 150번 줄입니다.
#
# 비교 기준(baseline)은 "다음 값은 지금 값과 같다"는 예측입니다.

# %%
DT, WINDOW = 0.3, 8


def sine_window(phase: float) -> tuple[list[list[float]], float]:
    """입력 시퀀스 [[sin(φ)], …, [sin(φ + 0.3·7)]]와 정답 sin(φ + 0.3·8)."""
    return [[math.sin(phase + DT * t)] for t in range(WINDOW)], math.sin(phase + DT * WINDOW)


rng = np.random.default_rng(0)
rnn = nn.RNN(1, 8, seed=0)
readout = nn.Linear(8, 1, seed=0)
optimizer = Adam(rnn.parameters() + readout.parameters(), lr=0.02)


def predict_next(model: nn.RNN | nn.LSTM, head: nn.Linear, xs: list[list[float]]) -> Value:
    outputs, _ = model(xs)
    return head([outputs[-1]])[0][0]


sine_losses = []
for step in range(150):
    batch = [sine_window(float(p)) for p in rng.uniform(0, 2 * math.pi, 8)]
    loss = losses.mse([predict_next(rnn, readout, xs) for xs, _ in batch], [target for _, target in batch])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    sine_losses.append(loss.data)
    if step % 30 == 0 or step == 149:
        print(f"step {step:3d}: 배치 MSE = {loss.data:.5f}")

test_phases = np.linspace(0, 2 * math.pi, 50, endpoint=False)
with no_grad():
    test = [(sine_window(float(p)), predict_next(rnn, readout, sine_window(float(p))[0]).data) for p in test_phases]
rnn_mse = float(np.mean([(pred - target) ** 2 for (_, target), pred in test]))
baseline_mse = float(np.mean([(xs[-1][0] - target) ** 2 for (xs, target), _ in test]))
print(f"\n테스트 위상 50개: RNN의 MSE = {rnn_mse:.2e}, '지금 값 그대로' 기준의 MSE = {baseline_mse:.2e} ({baseline_mse / rnn_mse:.0f}배)")

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.5))
ax1.semilogy(sine_losses)
ax1.set_xlabel("학습 단계 (step)")
ax1.set_ylabel("배치 MSE (로그 눈금)")
ax1.set_title("사인파 다음 값: 학습 곡선")
targets_phase = test_phases + DT * WINDOW
ax2.plot(targets_phase, [target for (_, target), _ in test], "k-", label="정답 sin")
ax2.plot(targets_phase, [pred for _, pred in test], "o", ms=4, color="tab:red", label="RNN의 예측")
ax2.set_xlabel("예측하는 시점의 위상")
ax2.set_title(f"테스트 위상 50개 (MSE {rnn_mse:.1e})")
ax2.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 4. 한 글자씩 '한글' 쓰기: 글자 단위 RNN
#
# 이번에는 입력과 출력이 글자입니다. 짧은 문장에 나오는 글자마다 번호를 붙이고, 글자를 **원-핫 벡터(one-hot vector)** 로 바꿔 넣습니다.
# 모델은 $t$번째 글자를 읽은 뒤 $t+1$번째 글자를 맞혀야 하고, 출력층은 글자 수만큼의 점수(logit)를 내며 손실은 소프트맥스 교차 엔트로피입니다.
#
# 학습 중간중간 '한'만 주고 모델이 고른 다음 글자를 다시 입력으로 넣어(가장 점수가 높은 글자, greedy) 문장 길이만큼 써 보게 합니다.
#
# **실행하기 전에 예측해 보세요.** 은닉 상태 24개짜리 RNN이 이 문장을 처음부터 끝까지 옳게 쓰기까지 Adam 몇 단계가 걸릴까요? 10? 100? 1000?

# %%
sentence = "한글은 세종대왕이 만든 우리 글자입니다."
alphabet = sorted(set(sentence))
index = {ch: k for k, ch in enumerate(alphabet)}
print(f"문장 길이 {len(sentence)}글자, 서로 다른 글자 {len(alphabet)}개: {''.join(alphabet)!r}")


def one_hot(ch: str) -> list[float]:
    return [1.0 if k == index[ch] else 0.0 for k in range(len(alphabet))]


char_rnn = nn.RNN(len(alphabet), 24, seed=0)
char_head = nn.Linear(24, len(alphabet), seed=1)
char_optimizer = Adam(char_rnn.parameters() + char_head.parameters(), lr=0.02)
inputs = [one_hot(ch) for ch in sentence[:-1]]
targets = [index[ch] for ch in sentence[1:]]


def write(first: str, length: int) -> str:
    """`first`에서 시작해 모델이 고른 글자를 다시 넣으며 `length`글자를 씁니다."""
    text, h = first, None
    with no_grad():
        for _ in range(length - 1):
            h = char_rnn.cells[0](one_hot(text[-1]), h)
            logits = [v.data for v in char_head([h])[0]]
            text += alphabet[int(np.argmax(logits))]
    return text


for step in range(41):
    outputs, _ = char_rnn(inputs)
    logits = char_head(outputs)
    loss = Value.sum(losses.softmax_cross_entropy(row, k) for row, k in zip(logits, targets)) / len(targets)
    if step in (0, 5, 10, 15, 20, 30, 40):
        correct = sum(int(np.argmax([v.data for v in row])) == k for row, k in zip(logits, targets))
        print(f"step {step:2d}  손실 {loss.data:.3f}  다음 글자 정답 {correct:2d}/{len(targets)}  쓴 글: {write('한', len(sentence))}")
    char_optimizer.zero_grad()
    loss.backward()
    char_optimizer.step()

# %% [markdown]
# 처음에는 무작위 가중치라 같은 글자를 되풀이하거나 공백만 쓰다가, 손실이 줄면서 '한글은'부터 문장 끝까지 한 글자씩 맞춰 갑니다.
# 모델이 한 단계에 받는 입력은 바로 앞 글자 하나뿐입니다. 그런데 이 문장에는 같은 글자 뒤에 다른 글자가 오는 곳이 있습니다
# (예: '글' 뒤에 '은'이 올지 '자'가 올지). 그런 곳을 세어, 앞 글자만 보는 모델이 맞힐 수 있는 최대 개수와 RNN이 맞힌 개수를 비교합니다.

# %%
followers: dict[str, set[str]] = {}
for a, b_next in zip(sentence, sentence[1:]):
    followers.setdefault(a, set()).add(b_next)
ambiguous = {a: sorted(nexts) for a, nexts in followers.items() if len(nexts) > 1}
memoryless_best = len(targets) - sum(len(nexts) - 1 for nexts in ambiguous.values())
print("뒤에 오는 글자가 둘 이상인 글자:", ambiguous)
print(f"앞 글자만 보는 모델이 맞힐 수 있는 최대 개수: {memoryless_best}/{len(targets)}, RNN이 맞힌 개수: {correct}/{len(targets)}")

# %% [markdown]
# 차이만큼은 은닉 상태가 기억한 앞쪽 문맥(몇 번째 공백인지, '한' 다음의 '글'인지)이 맞힌 것입니다.

# ## 5. 기울기 소실: 앞쪽 시간 단계까지 기울기가 얼마나 도달하나
#
# 마지막 은닉 상태의 합 $L = \sum_j h_T[j]$를 첫 입력 $x_1$로 미분한 $|\partial L / \partial x_1|$을 시퀀스 길이 $T$에 따라 잽니다.
# 연쇄 법칙(chain rule)으로 이 기울기는 단계마다 한 번씩 곱해진 야코비안(Jacobian)의 곱입니다.
#
# - RNN: $\dfrac{\partial h_t}{\partial h_{t-1}} = \mathrm{diag}(1 - h_t^2)\, W$. $|\tanh'| \le 1$이고 $W$가 작으면 곱할수록 0으로 줄어듭니다(지수적으로).
# - LSTM: 셀 상태(cell state)가 $c_t = f_t \odot c_{t-1} + i_t \odot g_t$로 이어지므로 $\dfrac{\partial c_t}{\partial c_{t-1}}$의 직접 경로는 $\mathrm{diag}(f_t)$,
#   즉 **망각 게이트(forget gate)** 값 그 자체입니다. $f_t$가 1에 가까우면 기울기가 거의 줄지 않고 지나갑니다.
#
# 초기화한 그대로의 망(은닉 16개, 시드 3개의 평균)으로 잽니다. 세 번째 줄은 망각 게이트의 편향에 2를 더해 $f_t \approx \sigma(2) \approx 0.88$에서
# 시작하게 한 LSTM입니다(망각 게이트 편향을 1 이상으로 두는 것은 흔히 쓰는 초기화입니다).
#
# **실행하기 전에 예측해 보세요.** 길이 $T = 40$에서 기울기는 $T = 1$일 때의 몇 분의 일일까요? 초기화한 그대로의 LSTM은 RNN보다 훨씬 나을까요?

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


def gradient_at_first_step(model: nn.RNN | nn.LSTM, length: int, seed: int) -> float:
    xs = [[Value(float(v))] for v in np.random.default_rng(100 + seed).normal(size=length)]
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
    print(f"{name}: T=20 → 40 사이에 단계마다 기울기가 {per_step:.3f}배")

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
    print(f"{name}: 망각 게이트 f_t의 평균 {np.mean(forget):.3f}")

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
# 숫자로 읽으면: RNN의 기울기는 길이 40에서 거의 0이 되어, 첫 입력이 손실에 준 영향을 학습할 신호가 사라집니다.
# 초기화한 그대로의 LSTM도 망각 게이트가 평균 0.5 근처(위에서 잰 값)라 기울기가 줄어듭니다. LSTM이 다른 점은 이 감쇠율이 **학습되는 게이트 값**이라는 것입니다.
# 망각 게이트를 1 가까이 열면(세 번째 줄) 셀 상태의 경로로 기울기가 40단계 뒤까지 큰 크기로 도달합니다. RNN에는 이런 손잡이가 없습니다.
# 반대로 $W$가 크면 RNN의 기울기는 폭발(exploding gradient)할 수도 있습니다.

# %% [markdown]
# ## 6. LSTM의 게이트를 시퀀스 위에 그리기
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
# 1이면 모두 기억하고 0이면 모두 잊습니다. 은닉 4개짜리 LSTM을 3절의 사인파 문제로 잠깐 학습시킨 뒤, 사인파 40단계를 읽히며
# 단계마다 `LSTMCell.gates(x, state)`가 돌려주는 게이트 값을 모아 그립니다.

# %%
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
with no_grad():
    lstm_mse = float(np.mean([(predict_next(lstm, lstm_head, xs).data - target) ** 2 for (xs, target), _ in test]))
print(f"LSTM(1, 4), 60단계 학습 후 테스트 MSE = {lstm_mse:.2e}")

sequence = [math.sin(DT * t) for t in range(40)]
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
# 시그모이드 게이트 $i, f, o$는 0과 1 사이에서 입력의 위상에 따라 열리고 닫히며, 셀 상태 $c_t$는 $f_t$만큼 남고 $i_t \odot g_t$만큼 새로 쓰입니다.
# 값은 모두 위 셀이 계산한 것이고, 같은 셀에 `backward()`를 부르면 각 게이트를 거쳐 매개변수까지 기울기가 흐릅니다.
#
# ## 정리
#
# - RNN은 같은 가중치 $U, W, b$를 모든 시간 단계에 쓰고, 펼친 그래프에서 역전파(BPTT)하면 단계별 기울기가 더해집니다.
# - 작은 RNN도 사인파의 다음 값과 짧은 문장을 배웁니다. 문장에서는 은닉 상태가 앞 글자들의 문맥을 기억합니다.
# - 앞쪽 단계로 가는 기울기는 단계마다 곱해져 지수적으로 줄어듭니다(기울기 소실). LSTM은 셀 상태의 덧셈 경로와 망각 게이트로 이 감쇠율을 학습합니다.
# - `nn.RNNCell`, `nn.LSTMCell`, `nn.RNN`, `nn.LSTM`은 PyTorch와 같은 매개변수 순서라 `micrograd_ko.interop.torch.to_torch(model)`로 같은 가중치의 PyTorch 모듈이 됩니다.
#
# 해 볼 것: 2절의 셀을 `nonlinearity="relu"`로 바꿔 그려 보기, 5절에서 `W`를 키워(가중치에 3을 곱해) 기울기 폭발 보기,
# 4절의 문장을 "한글은 한국의 글자, 한글은 과학적이다."처럼 같은 글자 뒤에 다른 글자가 오는 곳이 많은 문장으로 바꿔 보기.
