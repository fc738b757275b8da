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
# # 01. 뉴런과 활성화 함수
#
# 인공신경망(artificial neural network)을 이해하려면 가장 작은 부품인 **뉴런(neuron)** 부터 봐야 합니다.
# 뉴런 하나는 아무것도 못 하지만, 수많은 뉴런이 층을 이루어 협력하면 집값을 예측하고 그림을 알아보는 일까지 해냅니다.
#
# 생물의 뉴런에서는 **가지돌기(dendrite)** 가 신호를 받고, **축삭돌기(axon)** 가 신호를 내보냅니다.
# 한 뉴런의 축삭돌기와 다음 뉴런의 가지돌기 사이의 작은 틈이 **시냅스(synapse)** 이고, 시냅스마다 신호를 잘 전하는 정도가 다릅니다.
# 인공 뉴런은 이 구조를 수식으로 흉내 냅니다.
#
# $$y = f\Big(\sum_{i=1}^{n} w_i x_i + b\Big)$$
#
# - $x_i$: 입력(input). 가지돌기로 들어오는 신호입니다.
# - $w_i$: 가중치(weight). 시냅스의 연결 강도입니다. 학습이란 결국 이 값을 정하는 일입니다.
# - $b$: 편향(bias). 뉴런이 얼마나 쉽게 흥분하는지 정하는 역치(threshold)의 역할을 합니다.
#   언제나 1을 내보내는 '편향 세포(bias neuron)'와의 연결 강도라고 보면, 편향도 가중치의 하나입니다.
# - $f$: 활성화 함수(activation function). 더한 신호를 다음 뉴런에 얼마나 전할지 정합니다.
#
# 이 노트북에서 할 일:
# 1. `micrograd_ko.Value`로 뉴런 하나를 직접 계산합니다.
# 2. 대표적인 활성화 함수 여섯 가지와 그 도함수(derivative)를 **엔진이 계산한 값으로** 그립니다.
# 3. 활성화 함수 없이 층을 쌓으면 왜 층 하나와 똑같아지는지 숫자로 확인합니다.
#
# 셀을 위에서부터 하나씩 실행하세요. **"실행하기 전에 예측해 보세요"** 라는 문장이 보이면, 결과를 먼저 종이에 적어 본 뒤 실행하세요.

# %%
import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value
from micrograd_ko.nn import MLP

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 로그 눈금에 쓰이는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False
rng = np.random.default_rng(2024)  # 이 노트북의 모든 난수는 이 시드(seed)에서 나옵니다

# %% [markdown]
# ## 1. 뉴런 하나 계산하기
#
# 입력 세 개를 받는 뉴런을 만들어 봅시다. 입력은 보통 **표준화(standardization)** 를 거쳐 평균 0, 분산 1 근처의 값으로 맞춘 뒤 넣습니다
# (일정한 범위로 늘이거나 줄이는 **정규화(normalization)** 도 있습니다. 06번 노트북에서 직접 해 봅니다).
#
# `Value.dot(ws, xs, bias=b)`는 가중합 $w_1x_1 + w_2x_2 + w_3x_3 + b$를 노드 하나로 계산합니다.
#
# **실행하기 전에 예측해 보세요.** 가중합 `z`는 얼마일까요? 손으로 곱하고 더해 보세요.

# %%
x = [Value(0.5, label="x1"), Value(-1.0, label="x2"), Value(2.0, label="x3")]
w = [Value(0.8, label="w1"), Value(0.2, label="w2"), Value(-0.5, label="w3")]
b = Value(0.1, label="b")

z = Value.dot(w, x, bias=b)
print(f"가중합 z = w·x + b = {z.data:.4f}")
print(f"손으로 계산한 값   = {0.8 * 0.5 + 0.2 * -1.0 + -0.5 * 2.0 + 0.1:.4f}")

# %% [markdown]
# 가중합이 음수입니다. 이제 같은 `z`에 활성화 함수를 적용해 봅시다.
#
# **실행하기 전에 예측해 보세요.** 계단 함수(step)와 ReLU는 음수를 받으면 무엇을 내보낼까요? 시그모이드(sigmoid)는 0.5보다 클까요, 작을까요?

# %%
for name, y in [
    ("step", z.step()),
    ("sigmoid", z.sigmoid()),
    ("relu", z.relu()),
    ("tanh", z.tanh()),
]:
    print(f"{name:>8}(z) = {y.data: .4f}")

# %% [markdown]
# ## 2. 활성화 함수 여섯 가지
#
# 강의 노트에 나온 네 가지 대표 함수에, 그 약점을 고치려고 나온 두 가지를 더했습니다.
#
# | 이름 | 식 | 성격 |
# |---|---|---|
# | 계단 함수(threshold / step function) | $1$ if $x>0$ else $0$ | 예/아니오만 답합니다. 선형대수에서 본 단위 계단 함수 $u(t)$와 같습니다. |
# | 시그모이드(sigmoid) | $\dfrac{1}{1+e^{-x}}$ | 0과 1 사이로 매끄럽게 변합니다. 확률을 낼 때 씁니다. |
# | ReLU(rectifier) | $\max(0, x)$ | 0 이하는 0, 그 위로는 그대로. 가장 많이 쓰입니다. |
# | 쌍곡탄젠트(hyperbolic tangent, tanh) | $\dfrac{e^{x}-e^{-x}}{e^{x}+e^{-x}}$ | -1과 1 사이로 매끄럽게 변합니다. |
# | 리키 ReLU(leaky ReLU) | $x$ if $x>0$ else $\alpha x$ | 음수 쪽에도 작은 기울기 $\alpha$를 남깁니다. |
# | ELU(exponential linear unit) | $x$ if $x>0$ else $\alpha(e^{x}-1)$ | 음수 쪽이 부드럽게 $-\alpha$로 다가가고, $\alpha=1$이면 도함수가 끊기지 않습니다. |
#
# 도함수는 공식을 따로 적지 않고 **엔진에게 계산시킵니다.** 점 $x$마다 `Value(x)`를 만들어 함수를 통과시키고 `backward()`를 부르면,
# 입력 노드의 `grad`에 $f'(x)$가 들어옵니다.

# %%
ACTIVATIONS = {
    "계단 함수 (step)": Value.step,
    "시그모이드 (sigmoid)": Value.sigmoid,
    "ReLU": Value.relu,
    "tanh": Value.tanh,
    "리키 ReLU (α=0.1)": lambda v: v.leaky_relu(0.1),  # 기본값 α=0.01은 그림에서 잘 안 보여 0.1로 키웠습니다
    "ELU (α=1)": lambda v: v.elu(1.0),
}


def value_and_derivative(f, xs):
    """각 점에서 f(x)와, 엔진이 역전파로 구한 f'(x)를 돌려줍니다."""
    values, derivatives = [], []
    for x in xs:
        v = Value(float(x))
        y = f(v)
        y.backward()
        values.append(y.data)
        derivatives.append(v.grad)
    return np.array(values), np.array(derivatives)


grid = np.linspace(-4, 4, 401)
curves = {name: value_and_derivative(f, grid) for name, f in ACTIVATIONS.items()}

fig, axes = plt.subplots(2, 3, figsize=(12, 6.5), sharex=True)
for ax, (name, (ys, dys)) in zip(axes.flat, curves.items()):
    ax.plot(grid, ys, label="f(x)", linewidth=2)
    ax.plot(grid, dys, label="f'(x) (backward)", linestyle="--")
    ax.axhline(0, color="gray", linewidth=0.5)
    ax.axvline(0, color="gray", linewidth=0.5)
    ax.set_title(name)
    ax.legend(loc="upper left", fontsize=8)
for ax in axes[-1]:
    ax.set_xlabel("입력 x")
for ax in axes[:, 0]:
    ax.set_ylabel("f(x), f'(x)")
fig.suptitle("활성화 함수(실선)와 엔진이 계산한 도함수(점선)")
fig.tight_layout()
plt.show()

# %% [markdown]
# 그림에서 눈여겨볼 점:
# - **계단 함수의 도함수는 어디서나 0** 입니다(0에서는 정의되지 않습니다). 기울기가 0이면 경사 하강법(gradient descent)은 가중치를 어느 쪽으로
#   움직여야 할지 알 수 없습니다. 그래서 미분할 수 있는 '부드러운 계단'인 시그모이드와 tanh가 쓰이게 되었습니다.
# - **ReLU는 음수 쪽에서 기울기가 0** 입니다. 입력이 늘 음수인 뉴런은 더 이상 배우지 못합니다. 리키 ReLU와 ELU는 이 부분에 기울기를 남깁니다.
#
# 엔진의 도함수가 맞는지 **중앙 유한 차분(central finite difference)** $\dfrac{f(x+h)-f(x-h)}{2h}$으로 확인해 봅시다.
# 꺾이는 점 $x=0$ 근처는 두 방법이 다를 수밖에 없으니 빼고 비교합니다.

# %%
h = 1e-6
smooth_points = grid[np.abs(grid) > 1e-3]
for name, f in ACTIVATIONS.items():
    _, engine = value_and_derivative(f, smooth_points)
    numeric = np.array([(f(Value(x + h)).data - f(Value(x - h)).data) / (2 * h) for x in smooth_points])
    print(f"최대 차이 |엔진 - 유한 차분| = {np.max(np.abs(engine - numeric)):.2e}   {name}")

# %% [markdown]
# ### 시그모이드 도함수의 최댓값
#
# **실행하기 전에 예측해 보세요.** 시그모이드의 도함수 $\sigma'(x) = \sigma(x)(1-\sigma(x))$는 어디에서 가장 크고, 그 값은 얼마일까요?
# tanh의 도함수 $1-\tanh^2(x)$는요?

# %%
for name in ["시그모이드 (sigmoid)", "tanh"]:
    _, dys = curves[name]
    peak = np.argmax(dys)
    print(f"{name}: 도함수의 최댓값 {dys[peak]:.4f} (x = {grid[peak]:+.2f}에서)")

# %% [markdown]
# 시그모이드의 기울기는 아무리 커도 1/4입니다. 역전파(backpropagation)는 층을 지날 때마다 이 도함수를 곱하므로,
# 시그모이드 층을 여러 개 거치면 앞쪽 층에 도착하는 기울기가 기하급수적으로 작아집니다. 이것이 **기울기 소실 문제(vanishing gradient problem)** 입니다.
#
# 직접 재어 봅시다. 입력 $x$ 하나에 같은 활성화 함수를 깊이(depth)만큼 거듭 적용하고, 출력에서 입력까지 역전파한 기울기 $\partial y/\partial x$를 읽습니다.
# (입력은 $x=0.5$로 두었습니다. ReLU는 양수 쪽에서 기울기가 1이라 깊어져도 줄지 않을 것입니다.)
#
# **실행하기 전에 예측해 보세요.** 깊이 10에서 시그모이드 사슬의 기울기는 $(1/4)^{10}$보다 클까요, 작을까요?

# %%
depths = np.arange(1, 21)


def gradient_through_chain(f, depth, x0=0.5):
    x = Value(x0)
    y = x
    for _ in range(depth):
        y = f(y)
    y.backward()
    return x.grad


chain_grads = {
    name: [gradient_through_chain(ACTIVATIONS[name], d) for d in depths]
    for name in ["시그모이드 (sigmoid)", "tanh", "ReLU"]
}

fig, ax = plt.subplots(figsize=(7, 4))
for name, grads in chain_grads.items():
    ax.semilogy(depths, grads, marker="o", markersize=3, label=name)
ax.semilogy(depths, 0.25**depths, color="gray", linestyle=":", label="(1/4)^깊이")
ax.set_xticks(depths[1::2])
ax.set_xlabel("깊이 (활성화 함수를 거듭 적용한 횟수)")
ax.set_ylabel("∂y/∂x (로그 눈금)")
ax.set_title("깊어질수록 줄어드는 기울기")
ax.legend()
plt.show()

sigmoid_at_10 = chain_grads["시그모이드 (sigmoid)"][9]
print(f"깊이 10, 시그모이드: ∂y/∂x = {sigmoid_at_10:.3e}   (1/4)^10 = {0.25**10:.3e}")
print(f"깊이 10, ReLU:       ∂y/∂x = {chain_grads['ReLU'][9]:.3e}")

# %% [markdown]
# ### 리키 ReLU와 ELU: 음수 쪽의 기울기
#
# **실행하기 전에 예측해 보세요.** $x=-2$에서 ReLU, 리키 ReLU(α=0.1), ELU(α=1)의 기울기는 각각 얼마일까요?
# 그리고 ELU의 기울기는 0의 바로 왼쪽과 바로 오른쪽에서 같을까요? ReLU는요?

# %%
for name in ["ReLU", "리키 ReLU (α=0.1)", "ELU (α=1)"]:
    f = ACTIVATIONS[name]
    _, (at_minus_two, just_left, just_right) = value_and_derivative(f, [-2.0, -1e-9, 1e-9])
    print(f"f'(-2) = {at_minus_two:.4f}   f'(0-) = {just_left:.4f}   f'(0+) = {just_right:.4f}   {name}")

# %% [markdown]
# ELU(α=1)는 0의 양쪽에서 기울기가 같아 도함수가 연속입니다. ReLU와 리키 ReLU는 0에서 기울기가 갑자기 바뀝니다.
#
# ### 뉴런 하나가 입력 공간을 나누는 방법
#
# 입력이 두 개인 시그모이드 뉴런의 출력을 평면 위에 색으로 칠해 봅시다.
# 출력이 0.5가 되는 곳은 $w_1x_1 + w_2x_2 + b = 0$인 **직선** 입니다. 뉴런 하나는 평면을 직선 하나로 가를 뿐입니다.
# (05번 노트북에서 이 사실 때문에 뉴런 하나로는 XOR를 풀 수 없다는 것을 봅니다.)

# %%
w1, w2, bias = 1.5, -2.0, 0.5
x1s = np.linspace(-3, 3, 61)
x2s = np.linspace(-3, 3, 61)
outputs = np.array([[Value.dot([w1, w2], [a, c], bias=bias).sigmoid().data for a in x1s] for c in x2s])

fig, ax = plt.subplots(figsize=(5.5, 4.5))
image = ax.contourf(x1s, x2s, outputs, levels=20, cmap="coolwarm")
ax.contour(x1s, x2s, outputs, levels=[0.5], colors="black")
ax.plot(x1s, (w1 * x1s + bias) / -w2, color="yellow", linestyle="--", label="w1·x1 + w2·x2 + b = 0")
ax.set_xlim(-3, 3)
ax.set_ylim(-3, 3)
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("시그모이드 뉴런의 출력 (검은 선: 출력 0.5)")
ax.legend(loc="lower right", fontsize=8)
fig.colorbar(image)
plt.show()

# %% [markdown]
# ## 3. 활성화 함수가 없으면 층을 쌓아도 소용없다
#
# 각 뉴런이 가중합만 내보낸다면(활성화 함수 없음), 층 하나는 $W\mathbf{x} + \mathbf{b}$라는 **선형(정확히는 아핀, affine) 변환** 입니다.
# 층을 세 개 쌓으면
#
# $$W_3(W_2(W_1\mathbf{x} + \mathbf{b}_1) + \mathbf{b}_2) + \mathbf{b}_3 = \underbrace{W_3W_2W_1}_{W}\,\mathbf{x} + \underbrace{W_3W_2\mathbf{b}_1 + W_3\mathbf{b}_2 + \mathbf{b}_3}_{\mathbf{b}}$$
#
# 이 되어, 결국 행렬 하나 $W$와 벡터 하나 $\mathbf{b}$로 된 **층 하나** 와 똑같습니다. 숫자로 확인해 봅시다.
#
# `MLP(3, [5, 4, 2], activation=None)`은 입력 3개, 은닉층 5개와 4개, 출력 2개의 뉴런으로 된 신경망인데, 어느 층에도 활성화 함수가 없습니다.
# `nn`의 편향은 0에서 시작하므로, 확인이 싱겁지 않도록 편향에도 난수를 넣습니다.


# %%
def randomize_biases(model, seed):
    bias_rng = np.random.default_rng(seed)
    for layer in model.layers:
        for neuron in layer.neurons:
            neuron.b.data = float(bias_rng.normal())


def layer_matrices(model):
    """각 층의 가중치 행렬 W (출력 수 × 입력 수)와 편향 벡터 b."""
    return [
        (np.array([[w.data for w in n.w] for n in layer.neurons]), np.array([n.b.data for n in layer.neurons]))
        for layer in model.layers
    ]


linear_net = MLP(3, [5, 4, 2], activation=None, seed=7)
randomize_biases(linear_net, seed=8)

W, b_total = np.eye(3), np.zeros(3)
for W_layer, b_layer in layer_matrices(linear_net):
    W, b_total = W_layer @ W, W_layer @ b_total + b_layer
print("세 층을 합친 W의 모양:", W.shape)
print(W.round(4))
print("합친 b:", b_total.round(4))

# %% [markdown]
# **실행하기 전에 예측해 보세요.** 무작위 입력 200개에 대해 세 층짜리 신경망의 출력과 $W\mathbf{x}+\mathbf{b}$의 차이는 얼마나 될까요?

# %%
test_inputs = rng.normal(size=(200, 3))
network_out = np.array([[o.data for o in linear_net(list(row))] for row in test_inputs])
single_layer_out = test_inputs @ W.T + b_total
print(f"최대 차이: {np.max(np.abs(network_out - single_layer_out)):.2e}")

# %% [markdown]
# 차이는 부동소수점 반올림 오차 수준입니다. 층이 셋이어도 할 수 있는 일은 층 하나와 같습니다.
#
# 이제 **같은 가중치와 편향** 에 ReLU만 끼워 넣은 신경망과 비교해 봅시다(시드가 같으면 초기 가중치도 같습니다).
# 입력 공간의 두 점 $\mathbf{a} = (-2.6, -0.7, 6.7)$, $\mathbf{c} = (2.6, -6.6, 0)$을 잇는 선분 $(1-t)\mathbf{a} + t\mathbf{c}$ 위에서 첫 번째 출력을 그려 봅니다.
# (두 점은 꺾임이 잘 보이도록 고른 것입니다. 아무렇게나 고른 짧은 선분에서는 켜지고 꺼지는 은닉 뉴런이 한둘뿐이라 거의 직선처럼 보이기도 합니다.)
#
# **실행하기 전에 예측해 보세요.** 선형 신경망의 출력은 이 선분 위에서 어떤 모양일까요? ReLU 신경망은요?

# %%
relu_net = MLP(3, [5, 4, 2], activation="relu", seed=7)
randomize_biases(relu_net, seed=8)
same_weights = all(p.data == q.data for p, q in zip(linear_net.parameters(), relu_net.parameters()))
print("두 신경망의 매개변수가 모두 같은가?", same_weights)

a, c = np.array([-2.6, -0.7, 6.7]), np.array([2.6, -6.6, 0.0])
ts = np.linspace(0, 1, 201)
segment = [list((1 - t) * a + t * c) for t in ts]
linear_line = np.array([linear_net(p)[0].data for p in segment])
relu_line = np.array([relu_net(p)[0].data for p in segment])

fig, ax = plt.subplots(figsize=(7, 4))
ax.plot(ts, linear_line, label="활성화 함수 없음")
ax.plot(ts, relu_line, label="ReLU")
ax.set_xlabel("t  (입력 = (1-t)·a + t·c)")
ax.set_ylabel("첫 번째 출력")
ax.set_title("선분 위에서 본 두 신경망의 출력")
ax.legend()
plt.show()

# %% [markdown]
# 직선인지는 눈이 아니라 숫자로 판단합시다. 출력이 $t$에 대해 일차식이라면 **이계 차분(second difference)**
# $f(t_{k-1}) - 2f(t_k) + f(t_{k+1})$이 모든 곳에서 0이어야 합니다.

# %%
for name, line in [("활성화 함수 없음", linear_line), ("ReLU", relu_line)]:
    second_difference = line[:-2] - 2 * line[1:-1] + line[2:]
    nonzero = int(np.sum(np.abs(second_difference) > 1e-9))
    print(f"최대 |이계 차분| = {np.max(np.abs(second_difference)):.2e},  0이 아닌 이계 차분 {nonzero:2d}개   {name}")


def hidden_on_off(model, point):
    """은닉 뉴런마다 켜져 있는지(가중합 > 0)를 모은 튜플."""
    pattern, inputs = [], point
    for layer in model.layers[:-1]:
        sums = [Value.dot(n.w, inputs, bias=n.b).data for n in layer.neurons]
        pattern += [z > 0 for z in sums]
        inputs = [max(z, 0.0) for z in sums]
    return tuple(pattern)


patterns = [hidden_on_off(relu_net, p) for p in segment]
switches = sum(p != q for p, q in zip(patterns, patterns[1:]))
print(f"선분 위에서 은닉 뉴런의 켜짐/꺼짐이 바뀌는 곳: {switches}군데")

# %% [markdown]
# 선형 신경망의 이계 차분은 반올림 오차 수준으로 모두 0이니 완전한 직선입니다. ReLU 신경망은 몇 군데에서만 0이 아닌데,
# 그 자리가 어떤 은닉 뉴런의 가중합이 0을 지나며 켜지거나 꺼지는, 즉 선이 꺾이는 곳입니다. 꺾인 점 하나는 이웃한 이계 차분 두 개에 나타나므로,
# 0이 아닌 이계 차분의 개수는 켜짐/꺼짐이 바뀌는 곳의 두 배입니다. 그 사이의 조각에서는 켜진 뉴런이 그대로라 출력이 직선입니다. 이렇게 꺾인 조각들을 이어 붙여 곡선을 흉내 내는 것이 비선형 활성화 함수가 신경망에 주는 능력입니다.
#
# ## 정리
#
# - 뉴런은 $f(\mathbf{w}\cdot\mathbf{x} + b)$: 가중합, 편향, 활성화 함수입니다.
# - 계단 함수는 기울기가 0이라 경사 하강법으로 학습할 수 없고, 시그모이드와 tanh는 기울기가 작아 깊어지면 기울기가 사라집니다.
#   ReLU는 양수 쪽 기울기가 1이라 깊어도 기울기가 줄지 않지만 음수 쪽은 0이어서, 리키 ReLU와 ELU가 그 부분을 보완합니다.
# - 활성화 함수가 없으면 층을 몇 개 쌓아도 층 하나와 같습니다.
#
# 다음 노트북(02)에서는 `backward()`가 이 도함수들을 어떻게 계산했는지, 계산 그래프(computational graph)를 그려 가며 한 노드씩 따라갑니다.
#
# ### 더 해 보기
# - `gradient_through_chain`의 시작값 `x0`를 3.0으로 바꾸면 tanh 사슬의 기울기는 어떻게 될까요?
# - `MLP(3, [5, 4, 2], activation=None)`의 `activation`을 `"tanh"`로 바꾸고 이계 차분을 다시 재어 보세요.
