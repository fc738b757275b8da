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
# 다층 퍼셉트론(multi-layer perceptron, MLP)은 입력이 출력 쪽으로만 흐르고, 은닉 뉴런은 앞서 본 입력을 기억하지 못합니다.
# **순환 신경망(recurrent neural network, RNN)** 은 뉴런의 출력을 다음 **시간 단계(time step)** 의 입력으로 되돌려(되먹임, feedback)
# **은닉 상태(hidden state)** 를 일종의 메모리로 씁니다. 그래서 앞에 무엇이 나왔는지(**문맥, context**)가 다음 예측에 영향을 줍니다.
#
# 이 노트북에서 할 일:
#
# 1. 강의 노트의 식 $h_t = g(U x_t + W h_{t-1} + b)$ (**엘만 네트워크, Elman network**)를 `nn.RNNCell`로 계산하고 numpy로 같은 숫자를 확인합니다.
# 2. 두 시간 단계로 펼친(unrolled) RNN 셀의 계산 그래프를 그립니다: 같은 가중치가 두 번 쓰입니다. 양방향 RNN도 봅니다.
# 3. 사인파(sine wave)의 다음 값을 예측합니다. 이 문제는 바로 앞 두 값의 일차식으로 정확히 풀린다는 것도 확인합니다.
# 4. 기억이 꼭 필요한 문제(세 단계 전의 값을 말하기)로 은닉 상태가 정말 과거를 담는지 봅니다.
# 5. 짧은 한국어 문장으로 글자 단위(character-level) 모델을 학습하며 한 단계씩 무엇이 바뀌는지 보고, 손실을 **퍼플렉서티(perplexity)** 로 읽습니다.
# 6. 더 긴 글을 **잘린 BPTT(truncated backpropagation through time, TBPTT)** 로 학습하고, **온도(temperature)** 를 주어 글자를 **뽑아(sampling)** 새 글을 씁니다.
#
# 기울기 소실(vanishing gradient)과 기울기 폭발(exploding gradient), 기울기 자르기(gradient clipping), LSTM(long short-term memory)의 게이트는
# 이어지는 [12b_rnn_gradients](12b_rnn_gradients.ipynb)에서 다룹니다.

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
# - $x_t$: 입력값, $h_t$: $t$단계의 은닉 상태, $o_t$: $t$단계의 출력값
# - $U$, $W$, $V$: $x_t$, $h_{t-1}$, $h_t$에 곱하는 가중치(weight), $b$, $b_o$: 편향(bias)
# - $g_1$, $g_2$: 비선형 활성화 함수(tanh, sigmoid 등)
#
# 은닉 상태가 자기 자신에게 되먹임되는 이 구조를 엘만 네트워크라고 부르고, 되먹임된 $h_{t-1}$을 담는 층을
# **문맥 층(context layer)** 이라고 합니다. 핵심은 **매개변수 공유(parameter sharing)** 입니다: MLP는 층마다 가중치가 따로이지만,
# RNN은 모든 시간 단계가 같은 $U, W, b$를 씁니다.
#
# `nn.RNNCell(input_size, hidden_size)`가 첫 번째 식 한 단계입니다. PyTorch의 `torch.nn.RNNCell`과 같은 모양이라
# $U$는 `weight_ih`(hidden × input), $W$는 `weight_hh`(hidden × hidden)이고, 편향은 두 개 `bias_ih + bias_hh`$= b$로 나뉘어 있습니다.
# 입력 1개, 은닉 상태 2개인 셀로 세 단계를 계산하고, 같은 식을 numpy로 직접 계산해 비교합니다. $h_0$은 0입니다.
#
# **실행하기 전에 예측해 보세요.** $t=1$에서 $h_0 = 0$이면 $W$가 $h_1$에 영향을 줄까요? 두 계산은 몇 자리까지 같을까요?

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
print(f"세 단계 뒤 두 계산의 가장 큰 차이: {np.max(np.abs(np.array([v.data for v in h]) - h_numpy)):.1e}")

# %% [markdown]
# ## 2. 두 단계로 펼친 RNN 셀의 계산 그래프
#
# 되먹임이 있는 망도 시간 축으로 **펼치면(unroll)** 보통의 계산 그래프가 됩니다. 아래는 입력 1개, 은닉 상태 2개인 셀을
# 두 단계 실행하고 $y = h_2[0] + h_2[1]$에서 역전파한 그래프입니다. 읽는 법:
#
# - `U[j][i]`, `W[j][k]`, `b_ih[j]`, `b_hh[j]`는 매개변수(parameter)이고, 두 단계가 같은 노드를 씁니다. `U[0][0]`에서 나가는 간선이 두 개인 것이 매개변수 공유입니다.
#   그래서 역전파는 두 단계에서 온 기울기를 더해 `U[0][0].grad`를 만듭니다(**시간 펼침 역전파, backpropagation through time, BPTT**).
# - 첫 단계는 $h_0 = 0$이라 $W h_0$ 항이 없습니다(0을 곱해 더하는 노드는 그리지 않습니다). $W$는 둘째 단계에서만 쓰입니다.
# - `dot` 노드 하나가 $U_j \cdot x_t + W_j \cdot h_{t-1} + b_{ih,j}$ 한 줄이고, 그 뒤 `+`가 $b_{hh,j}$를 더하고 `tanh`가 $g$입니다.
#
# **실행하기 전에 예측해 보세요.** `U[0][0]`은 그래프에서 몇 번 쓰일까요? 아래 양방향 RNN에서 정방향 $h_1$은 마지막 입력 $x_4$에 얼마나 민감할까요?

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
# **양방향 RNN(bidirectional RNN)** 은 셀을 하나 더 두어 시퀀스를 뒤에서부터 읽게 하고, 시간 단계마다 두 은닉 상태를 이어 붙입니다.
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
# $\sin(\varphi), \sin(\varphi + 0.3), \dots, \sin(\varphi + 0.3 \cdot 7)$ 여덟 값 $x_1, \dots, x_8$을 차례로 읽고 아홉 번째 값 $\sin(\varphi + 0.3 \cdot 8)$을 맞히는 문제입니다.
# 모델은 `nn.RNN(1, 8)`의 마지막 은닉 상태 $h_8$ 위에 선형 출력층 $o = V h_8 + b_o$(`nn.Linear(8, 1)`)을 얹은 것입니다(강의 노트의 $g_2$는 항등 함수).
# 시작 위상 $\varphi$를 무작위로 뽑은 8개 시퀀스를 한 배치로, 평균제곱오차(mean squared error, MSE)를 Adam으로 150번 줄입니다.
#
# 비교 기준(baseline)은 둘입니다. 하나는 "다음 값은 지금 값과 같다"는 예측이고, 다른 하나는 바로 앞 두 값만 쓰는 직선식
# $\hat x_9 = a\,x_8 + c\,x_7$(**두 탭 선형 예측기, two-tap linear predictor**)을 최소제곱(least squares)으로 맞춘 것입니다.
# 삼각함수의 합 공식으로 $\sin(\theta + 0.3) + \sin(\theta - 0.3) = 2\cos(0.3)\sin\theta$이므로, $a = 2\cos(0.3)$, $c = -1$이면 정확히 맞습니다.
#
# **실행하기 전에 예측해 보세요.** RNN의 MSE와 두 탭 선형 예측기의 MSE 중 어느 쪽이 작을까요? 몇 자릿수나 차이 날까요?

# %%
DT, WINDOW = 0.3, 8


def sine_window(phase: float) -> tuple[list[list[float]], float]:
    """입력 시퀀스 [[sin(φ)], …, [sin(φ + 0.3·7)]]와 정답 sin(φ + 0.3·8)."""
    return [[math.sin(phase + DT * t)] for t in range(WINDOW)], math.sin(phase + DT * WINDOW)


rng = np.random.default_rng(0)
rnn = nn.RNN(1, 8, seed=0)
readout = nn.Linear(8, 1, seed=0)
optimizer = Adam(rnn.parameters() + readout.parameters(), lr=0.02)


def predict_next(model: nn.RNN, head: nn.Linear, xs: list[list[float]]) -> Value:
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

# 두 탭 선형 예측기: 훈련용 위상 200개에서 [x_8, x_7] → x_9 를 최소제곱으로 맞춥니다
train_windows = [sine_window(float(p)) for p in np.random.default_rng(1).uniform(0, 2 * math.pi, 200)]
taps = np.array([[xs[-1][0], xs[-2][0]] for xs, _ in train_windows])
(a_fit, c_fit), *_ = np.linalg.lstsq(taps, np.array([target for _, target in train_windows]), rcond=None)
linear_mse = float(np.mean([(a_fit * xs[-1][0] + c_fit * xs[-2][0] - target) ** 2 for (xs, target), _ in test]))
print(f"\n맞춘 계수: a = {a_fit:.10f} (2cos(0.3) = {2 * math.cos(DT):.10f}),  c = {c_fit:.10f}")
print("테스트 위상 50개의 MSE:")
print(f"  '지금 값 그대로'      {baseline_mse:.2e}")
print(f"  RNN(1, 8)            {rnn_mse:.2e}  (지금 값 그대로보다 {baseline_mse / rnn_mse:.0f}배 작음)")
print(f"  두 탭 선형 예측기     {linear_mse:.2e}  (매개변수 2개, RNN보다 {rnn_mse / max(linear_mse, 1e-300):.0e}배 작음)")
print(f"RNN의 매개변수: {len(rnn.parameters()) + len(readout.parameters())}개")

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
ax2.set_title(f"테스트 위상 50개 (RNN의 MSE {rnn_mse:.1e})")
ax2.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# 숫자로 읽으면: RNN은 '지금 값 그대로'보다 훨씬 작은 오차를 내지만, 매개변수 두 개짜리 직선식이 반올림 오차 수준으로 더 정확합니다.
# 사인파의 다음 값은 **바로 앞 두 값만 알면 정해지는** 값이라, 이 문제는 RNN이 먼 과거를 기억하는지 알려 주지 못합니다.
# 기억이 정말 필요한 문제는 다음 절에서 만듭니다.
#
# ## 4. 기억이 필요한 문제: 세 단계 전의 값 말하기
#
# 입력은 $[-1, 1]$에서 서로 독립으로 뽑은 수 $x_1, \dots, x_{10}$이고, 시간 단계 $t \ge 4$마다 **세 단계 전의 값** $x_{t-3}$을 말해야 합니다
# (**지연 복사, delayed copy**). $x_{t-3}$은 지금 입력 $x_t$나 바로 앞 값 $x_{t-1}$과 아무 상관이 없으므로, 최근 값만 보는 예측기는
# 평균 0을 말하는 것보다 나을 수 없습니다(MSE $= E[x^2] = 1/3$). RNN은 한 단계에 수 하나만 읽으므로, 맞히려면 지난 세 값을 은닉 상태에 담아 두어야 합니다.
#
# **실행하기 전에 예측해 보세요.** 학습한 RNN의 출력 $\hat y_{10}$은 $x_{10}, x_9, \dots$ 중 어느 입력에 가장 민감할까요(기울기 $|\partial \hat y_{10} / \partial x_{10-k}|$가 가장 큰 $k$)?

# %%
DELAY, LENGTH = 3, 10


def delayed_copy(rng: np.random.Generator) -> tuple[list[list[float]], list[float]]:
    """입력 x_1 … x_10 (균등분포 U(-1, 1))과 정답 x_{t-3} (t = 4 … 10)."""
    xs = rng.uniform(-1, 1, LENGTH)
    return [[float(v)] for v in xs], [float(xs[t - DELAY]) for t in range(DELAY, LENGTH)]


def copy_predictions(model: nn.RNN, head: nn.Linear, xs: list) -> list[Value]:
    outputs, _ = model(xs)
    return [row[0] for row in head(outputs[DELAY:])]


rng = np.random.default_rng(0)
copy_rnn = nn.RNN(1, 8, seed=0)
copy_head = nn.Linear(8, 1, seed=0)
copy_optimizer = Adam(copy_rnn.parameters() + copy_head.parameters(), lr=0.02)
copy_losses = []
for step in range(200):
    batch = [delayed_copy(rng) for _ in range(8)]
    predictions = [p for xs, _ in batch for p in copy_predictions(copy_rnn, copy_head, xs)]
    loss = losses.mse(predictions, [y for _, ys in batch for y in ys])
    copy_optimizer.zero_grad()
    loss.backward()
    copy_optimizer.step()
    copy_losses.append(loss.data)
    if step % 50 == 0 or step == 199:
        print(f"step {step:3d}: 배치 MSE = {loss.data:.4f}")

copy_test = [delayed_copy(np.random.default_rng(1000 + k)) for k in range(50)]
with no_grad():
    copy_rnn_mse = float(np.mean([(p.data - y) ** 2 for xs, ys in copy_test
                                  for p, y in zip(copy_predictions(copy_rnn, copy_head, xs), ys)]))
now_mse = float(np.mean([(xs[t][0] - y) ** 2 for xs, ys in copy_test for t, y in zip(range(DELAY, LENGTH), ys)]))
# 최근 두 값 [x_t, x_{t-1}]로 맞춘 최소제곱 직선식 (상수항 포함)
recent = np.array([[xs[t][0], xs[t - 1][0], 1.0] for xs, _ in copy_test for t in range(DELAY, LENGTH)])
answers = np.array([y for _, ys in copy_test for y in ys])
coef, *_ = np.linalg.lstsq(recent, answers, rcond=None)
recent_mse = float(np.mean((recent @ coef - answers) ** 2))
print(f"\n테스트 시퀀스 50개의 MSE: '지금 값 그대로' {now_mse:.3f}, 최근 두 값의 직선식 {recent_mse:.3f} (테스트에 맞춘 것인데도), "
      f"RNN {copy_rnn_mse:.4f}")
print(f"RNN의 MSE는 최근 두 값의 직선식의 1/{recent_mse / copy_rnn_mse:.0f}입니다")

# 어느 입력을 보고 말하나: 마지막 출력 ŷ_10을 각 입력으로 미분
xs_values = [[Value(x[0])] for x in copy_test[0][0]]
copy_predictions(copy_rnn, copy_head, xs_values)[-1].backward()
sensitivity = [abs(xs_values[LENGTH - 1 - k][0].grad) for k in range(LENGTH)]
print("|∂ŷ_10 / ∂x_(10-k)|:", "  ".join(f"k={k}: {g:.3f}" for k, g in enumerate(sensitivity)))
print(f"가장 큰 것은 k = {int(np.argmax(sensitivity))}")

# %% [markdown]
# 최근 값만 쓰는 예측기는 평균을 말하는 것(MSE ≈ 1/3)에 머물고, RNN은 그보다 100배 넘게 작은 오차로 세 단계 전의 값을 말합니다.
# 기울기로 보면 $\hat y_{10}$은 $k=3$, 즉 $x_7$에 가장 민감합니다. RNN이 읽은 지 세 단계가 지난 값을 은닉 상태에 담아 두었다가 꺼낸 것입니다.
# 이것이 '은닉 상태는 메모리'라는 말을 숫자로 본 것입니다.

# %% [markdown]
# ## 5. 한 글자씩 '한글' 쓰기: 글자 단위 RNN
#
# 이번에는 입력과 출력이 글자입니다. 짧은 문장에 나오는 글자마다 번호를 붙이고, 글자를 **원-핫 벡터(one-hot vector)** 로 바꿔 넣습니다.
# 모델은 $t$번째 글자를 읽은 뒤 $t+1$번째 글자를 맞혀야 하고, 출력층은 글자 수만큼의 점수(logit)를 내며 손실은 소프트맥스 교차 엔트로피(softmax cross-entropy)입니다.
#
# 언어 모델(language model)의 손실은 흔히 **퍼플렉서티(perplexity)** 로 읽습니다. 글자마다의 교차 엔트로피 평균이 $\bar L$(자연로그)이면
#
# $$\mathrm{PPL} = e^{\bar L} = \Big(\prod_t p(\text{정답 글자}_{t+1} \mid \text{앞 글자들})\Big)^{-1/N}$$
#
# 입니다. 글자 $V$개를 똑같은 확률로 고르는 모델은 $\mathrm{PPL} = V$이고, 정답에 확률 1을 주는 모델은 1입니다. 그래서 퍼플렉서티는
# '모델이 평균적으로 글자 몇 개 사이에서 망설이는가'로 읽을 수 있습니다.
#
# 학습 중에 '한'만 주고 모델이 고른 다음 글자를 다시 입력으로 넣어(가장 점수가 높은 글자, **탐욕적 선택, greedy**) 문장 길이만큼 써 보게 합니다.
# 처음 열두 단계는 한 단계씩 봅니다. '자리마다 고른 글자'는 문장의 진짜 글자를 차례로 넣었을 때 모델이 자리마다 가장 높게 친 다음 글자이고,
# '쓴 글'은 모델이 고른 글자를 다시 넣으며 쓴 글입니다. 공백이 보이도록 따옴표 안에 둡니다.
#
# **실행하기 전에 예측해 보세요.** 은닉 상태 24개짜리 RNN이 이 문장을 처음부터 끝까지 옳게 쓰기까지 Adam 몇 단계가 걸릴까요? 10? 100? 1000?
# 학습 전 퍼플렉서티는 얼마쯤일까요?

# %%
sentence = "한글은 세종대왕이 만든 우리 글자입니다."
alphabet = sorted(set(sentence))
index = {ch: k for k, ch in enumerate(alphabet)}
print(f"문장 길이 {len(sentence)}글자, 서로 다른 글자 {len(alphabet)}개: {''.join(alphabet)!r}")


def one_hot(ch: str, index: dict[str, int]) -> list[float]:
    return [1.0 if k == index[ch] else 0.0 for k in range(len(index))]


char_rnn = nn.RNN(len(alphabet), 24, seed=0)
char_head = nn.Linear(24, len(alphabet), seed=1)
char_optimizer = Adam(char_rnn.parameters() + char_head.parameters(), lr=0.02)
inputs = [one_hot(ch, index) for ch in sentence[:-1]]
targets = [index[ch] for ch in sentence[1:]]


def write(model: nn.RNN, head: nn.Linear, chars: list[str], first: str, length: int) -> str:
    """`first`에서 시작해 모델이 가장 높은 점수를 준 글자를 다시 넣으며 `length`글자를 씁니다(탐욕적 선택)."""
    lookup = {ch: k for k, ch in enumerate(chars)}
    text, h = first, None
    with no_grad():
        for _ in range(length - 1):
            h = model.cells[0](one_hot(text[-1], lookup), h)
            logits = [v.data for v in head([h])[0]]
            text += chars[int(np.argmax(logits))]
    return text


shown = set(range(13)) | {15, 20, 30, 40}
for step in range(41):
    outputs, _ = char_rnn(inputs)
    logits = char_head(outputs)
    loss = Value.sum(losses.softmax_cross_entropy(row, k) for row, k in zip(logits, targets)) / len(targets)
    if step in shown:
        guesses = [int(np.argmax([v.data for v in row])) for row in logits]
        correct = sum(g == k for g, k in zip(guesses, targets))
        written = write(char_rnn, char_head, alphabet, "한", len(sentence))
        print(f"step {step:2d}  손실 {loss.data:.3f}  퍼플렉서티 {math.exp(loss.data):6.2f}  다음 글자 정답 {correct:2d}/{len(targets)}"
              f"  자리마다 고른 글자: \"{''.join(alphabet[g] for g in guesses)}\"  쓴 글: \"{written}\"")
    char_optimizer.zero_grad()
    loss.backward()
    char_optimizer.step()

# %% [markdown]
# 쓴 글만 보면 5단계의 공백에서 10단계의 완성된 문장으로 갑자기 건너뛰는 것 같지만, 한 단계씩 보면 그렇지 않습니다.
# 학습 전 퍼플렉서티는 글자 수 18에 가깝습니다(고르게 찍는 모델). 1~4단계의 모델은 모든 자리에서 공백을 고릅니다: 이 문장에서 가장 흔한 글자가
# 공백이라(아래에서 셉니다) 모르는 동안에는 공백이 가장 손해가 적고, 그래서 정답 수도 공백의 개수인 4에 머뭅니다. 그동안에도 퍼플렉서티는
# 단계마다 줄어듭니다(정답 글자에 주는 확률이 조금씩 커집니다). 5단계에는 '세종대', '자' 같은 자리에서 공백이 아닌 글자가 공백을 넘어서고,
# 그 뒤로 단계마다 맞는 자리가 늘어 9단계에는 한 자리만 빼고 다 맞습니다. 쓴 글은 한 번 틀리면 틀린 글자가 다음 입력이 되어 그 뒤가 모두 어긋나므로,
# 자리마다 고른 글자보다 늦게 맞아 갑니다: 5단계까지는 '한' 다음 자리('글')를 틀려서 그 뒤가 모두 공백이고, 10단계에 처음으로 문장 전체를 씁니다.
#
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
most_common = max(alphabet, key=sentence.count)
print(f"가장 흔한 글자: {most_common!r} ({sentence.count(most_common)}번), 그다음: "
      f"{sorted(alphabet, key=sentence.count)[-2]!r} ({sorted(map(sentence.count, alphabet))[-2]}번)")

# 두 번 나오는 '글'을 읽은 뒤의 은닉 상태: 입력은 같은 원-핫 벡터인데 은닉 상태는 다른가
with no_grad():
    states = [[v.data for v in h] for h in char_rnn(inputs)[0]]
first_geul, second_geul = [t for t, ch in enumerate(sentence[:-1]) if ch == "글"]
gap = np.linalg.norm(np.array(states[first_geul]) - np.array(states[second_geul]))
print(f"'한글'의 '글'(t={first_geul + 1})과 '글자'의 '글'(t={second_geul + 1})을 읽은 뒤 은닉 상태의 거리 {gap:.2f}, "
      f"은닉 상태 하나의 크기(노름) 평균 {np.mean(np.linalg.norm(states, axis=1)):.2f}")

# %% [markdown]
# RNN은 앞 글자만 보는 모델이 놓칠 수밖에 없는 자리까지 맞혔습니다. 그런 자리에서는 입력(앞 글자)이 같아도 은닉 상태가 다릅니다:
# 두 '글'을 읽은 뒤의 은닉 상태는 위에서 잰 만큼 떨어져 있고, 출력층은 그 차이를 보고 '은'과 '자'를 가립니다.
# 그 차이를 만든 것은 앞에 무엇이 나왔는지, 즉 은닉 상태에 남은 문맥입니다.
#
# ## 6. 더 긴 글: 잘린 BPTT와 온도를 준 뽑기
#
# 글이 길어지면 글 전체를 한 번에 펼친 그래프는 글 길이만큼 커지고, 매개변수는 글을 다 읽은 뒤에야 한 번 바뀝니다.
# **잘린 BPTT(TBPTT)** 는 글을 $K$글자씩 조각(chunk)으로 나누어 조각마다 역전파하고 매개변수를 바꿉니다. 조각의 마지막 은닉 상태는
# 다음 조각의 $h_0$으로 넘기되 **숫자로만** 넘깁니다(`.data`). 그래서 앞 문맥은 전해지지만, 기울기는 조각 경계를 넘어 되돌아가지 않습니다.
# 아래 글(121글자)을 $K = 20$으로 자른 TBPTT와, 글 전체를 펼친 BPTT로 똑같이 여덟 번씩 읽히며(8 **에포크, epoch**) 퍼플렉서티를 비교합니다.
#
# 다 배운 모델로 글을 쓸 때는 점수 $z$를 **온도** $T$로 나눈 소프트맥스 $p_k \propto e^{z_k / T}$에서 다음 글자를 **뽑습니다(sampling)**.
# $T$가 작으면 가장 높은 점수의 글자에 확률이 몰려 탐욕적 선택에 가까워지고, $T$가 크면 고르게 퍼집니다. 뽑기는 시드를 준 난수로 합니다.
#
# **실행하기 전에 예측해 보세요.** 같은 횟수만큼 글을 읽히면 TBPTT와 전체 BPTT 중 어느 쪽 퍼플렉서티가 낮을까요?
# 온도 0.3과 1.5 중 어느 쪽이 지어낸 글에 원문에 있는 글자 쌍이 더 많을까요?

# %%
text = (
    "한글은 세종대왕이 만든 우리 글자입니다. 한글은 소리를 적는 글자입니다. "
    "자음과 모음을 모아 한 글자를 씁니다. 한글은 배우기 쉬운 글자입니다. "
    "우리는 한글로 글을 씁니다. 세종대왕은 백성을 위해 한글을 만들었습니다."
)
chars = sorted(set(text))
char_index = {ch: k for k, ch in enumerate(chars)}
text_inputs = [one_hot(ch, char_index) for ch in text[:-1]]
text_targets = [char_index[ch] for ch in text[1:]]
print(f"글 길이 {len(text)}글자, 서로 다른 글자 {len(chars)}개")


def perplexity(model: nn.RNN, head: nn.Linear) -> float:
    """글 전체를 처음부터 읽으며 잰 퍼플렉서티 e^(글자마다의 교차 엔트로피 평균)."""
    with no_grad():
        outputs, _ = model(text_inputs)
        mean = np.mean([losses.softmax_cross_entropy(row, k).data for row, k in zip(head(outputs), text_targets)])
    return math.exp(mean)


def train_on_text(chunk: int, epochs: int) -> tuple[nn.RNN, nn.Linear, dict[int, float], int, int]:
    """글을 `chunk`글자씩 잘라 학습합니다(chunk가 글 길이 이상이면 전체 BPTT). 두 에포크마다 잰 퍼플렉서티도 돌려줍니다."""
    model, head = nn.RNN(len(chars), 32, seed=0), nn.Linear(32, len(chars), seed=1)
    opt = Adam(model.parameters() + head.parameters(), lr=0.02)
    history, updates, graph_nodes = {0: perplexity(model, head)}, 0, 0
    for epoch in range(1, epochs + 1):
        h = None
        for start in range(0, len(text_inputs), chunk):
            outputs, h_n = model(text_inputs[start : start + chunk], h)
            logits = head(outputs)
            ys = text_targets[start : start + chunk]
            loss = Value.sum(losses.softmax_cross_entropy(row, k) for row, k in zip(logits, ys)) / len(ys)
            if updates == 0:
                graph_nodes = len(loss.topological_order())
            opt.zero_grad()
            loss.backward()
            opt.step()
            updates += 1
            h = [v.data for v in h_n[0]]  # 다음 조각으로는 숫자만: 기울기는 여기서 끊깁니다
        if epoch % 2 == 0:
            history[epoch] = perplexity(model, head)
    return model, head, history, updates, graph_nodes


full_model, full_head, full_history, full_updates, full_nodes = train_on_text(len(text_inputs), 8)
text_model, text_head, tbptt_history, tbptt_updates, tbptt_nodes = train_on_text(20, 12)
print(f"학습 전 퍼플렉서티 {full_history[0]:.1f} (글자 {len(chars)}개를 고르게 찍으면 {len(chars)})")
per_epoch = tbptt_updates // 12
print(f"전체 BPTT:      한 번 바꿀 때 그래프 노드 {full_nodes:6d}개, 8번 읽는 동안 매개변수를 {full_updates:3d}번 바꿈 → 퍼플렉서티 {full_history[8]:.2f}")
print(f"TBPTT (K = 20): 한 번 바꿀 때 그래프 노드 {tbptt_nodes:6d}개, 8번 읽는 동안 매개변수를 {8 * per_epoch:3d}번 바꿈 → 퍼플렉서티 {tbptt_history[8]:.2f}")
print(f"TBPTT로 12번 읽은 뒤: 퍼플렉서티 {tbptt_history[12]:.2f}")

fig, ax = plt.subplots(figsize=(6, 3.4))
ax.semilogy(list(full_history), list(full_history.values()), "o-", label="전체 BPTT (한 번 읽을 때 1번 바꿈)")
ax.semilogy(list(tbptt_history), list(tbptt_history.values()), "o-", ms=4, label=f"TBPTT, K = 20 (한 번 읽을 때 {per_epoch}번 바꿈)")
ax.axhline(1.0, color="gray", linewidth=0.8)
ax.set_xlabel("글을 읽은 횟수 (에포크)")
ax.set_ylabel("퍼플렉서티 (로그 눈금)")
ax.set_title("글자 단위 RNN의 퍼플렉서티")
ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# 같은 횟수만큼 읽혔을 때 TBPTT의 퍼플렉서티가 훨씬 낮습니다. 한 번 읽는 동안 매개변수를 여러 번 바꾸고, 한 번 바꿀 때의 그래프는
# 조각 하나 크기라 작기 때문입니다. 대가는 **조각보다 먼 의존 관계의 기울기를 보지 못한다** 는 것입니다: 20글자보다 앞의 글자가
# 지금 글자에 준 영향은 은닉 상태의 숫자로 전해질 뿐, 그 영향을 키우거나 줄이도록 학습할 신호는 오지 않습니다.
#
# 이제 다 배운 모델로 '한'에서 시작해 300글자를 씁니다(앞의 60글자만 보여 줍니다). 지어낸 글의 이웃한 두 글자(글자 쌍, bigram)가 원문에 있는 쌍인지 세어,
# 온도에 따라 원문을 얼마나 따르는지 잽니다.

# %%
pairs_in_text = set(zip(text, text[1:]))


def sample(model: nn.RNN, head: nn.Linear, first: str, length: int, temperature: float, rng: np.random.Generator) -> str:
    """`first`에서 시작해, 소프트맥스(점수 / 온도)에서 다음 글자를 뽑아 다시 넣으며 `length`글자를 씁니다."""
    written, h = first, None
    with no_grad():
        for _ in range(length - 1):
            h = model.cells[0](one_hot(written[-1], char_index), h)
            z = np.array([v.data for v in head([h])[0]]) / temperature
            p = np.exp(z - z.max())
            written += chars[rng.choice(len(chars), p=p / p.sum())]
    return written


def known_pairs(written: str) -> float:
    return float(np.mean([pair in pairs_in_text for pair in zip(written, written[1:])]))


# 글자 쌍의 비율은 300글자로 재고(짧으면 우연이 크게 섞입니다), 앞의 60글자만 보여 줍니다
greedy = write(text_model, text_head, chars, "한", 300)
print(f"탐욕적 선택      (원문에 있는 글자 쌍 {known_pairs(greedy):4.0%}): {greedy[:60]}")
for temperature in (0.3, 0.7, 1.0, 1.5):
    written = sample(text_model, text_head, "한", 300, temperature, np.random.default_rng(0))
    print(f"뽑기, 온도 {temperature:<4} (원문에 있는 글자 쌍 {known_pairs(written):4.0%}): {written[:60]}")

# %% [markdown]
# 온도가 낮을수록 지어낸 글이 원문의 글자 쌍을 따르고, 온도를 올리면 원문에 없는 쌍이 늘어납니다. 탐욕적 선택은 같은 시작에서 언제나
# 같은 글을 쓰고, 한 번 들어선 문장을 되풀이하기 쉽습니다. 뽑기는 시드를 바꾸면 다른 글을 쓰고, 온도로 원문을 얼마나 벗어날지 조절합니다.
#
# ## 정리
#
# - RNN은 같은 가중치 $U, W, b$를 모든 시간 단계에 쓰고, 펼친 그래프에서 역전파(BPTT)하면 단계별 기울기가 더해집니다.
# - 사인파의 다음 값은 두 값짜리 직선식 $2\cos(0.3)\,x_8 - x_7$이 정확히 맞히므로, 그 문제로는 기억을 시험할 수 없습니다.
#   세 단계 전의 값을 말하는 지연 복사는 최근 값만 보는 예측기가 풀 수 없고, RNN은 은닉 상태에 담아 두었다가 풉니다(기울기가 $x_{t-3}$에서 가장 큼).
# - 글자 단위 RNN의 손실은 퍼플렉서티 $e^{\bar L}$로 읽으면 '몇 글자 사이에서 망설이는가'가 됩니다(학습 전 ≈ 글자 수, 다 배우면 1에 가까움).
# - 긴 글은 TBPTT로 조각마다 학습합니다: 그래프가 작고 자주 바뀌는 대신, 조각보다 먼 의존 관계의 기울기는 보지 못합니다.
# - 글을 지을 때는 온도를 준 소프트맥스에서 뽑습니다. 낮은 온도는 원문을 따르고 높은 온도는 벗어납니다.
# - `nn.RNNCell`, `nn.LSTMCell`, `nn.RNN`, `nn.LSTM`은 PyTorch와 같은 매개변수 순서라 `micrograd_ko.interop.torch.to_torch(model)`로 같은 가중치의 PyTorch 모듈이 됩니다.
#
# 해 볼 것: 2절의 셀을 `nonlinearity="relu"`로 바꿔 그려 보기, 4절의 `DELAY`를 5나 8로 늘려 RNN의 MSE가 어떻게 되는지 보기,
# 6절의 조각 길이 $K$를 5나 60으로 바꿔 퍼플렉서티 곡선 비교하기.
