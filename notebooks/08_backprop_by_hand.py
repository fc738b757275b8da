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
# # 08. 역전파를 손으로
#
# 지금까지는 `backward()`가 기울기를 알아서 계산해 주었습니다. 이번에는 그 일을 **numpy로 직접** 해 봅니다.
# 강의 노트의 예제 그대로, 입력 3개 → 은닉층 2개 → 은닉층 3개 → 출력 2개인 작은 신경망입니다. 모든 뉴런의 활성화 함수는 시그모이드(sigmoid)이고
# 편향(bias)은 없습니다.
#
# 신경망 알고리즘의 순서를 다시 떠올려 봅시다.
# 1. 층마다 노드 개수를 정합니다(**모델 구성**).
# 2. 가중치를 작은 난수로 정합니다.
# 3. 입력층에서 출력층까지 차례로 계산합니다(**순전파, forward propagation**).
# 4. 출력과 정답의 오차를 계산합니다(**비용 함수, cost function**).
# 5. 오차가 줄어들도록 가중치를 고칩니다(**경사 하강법과 역전파, gradient descent / backpropagation**).
# 6. 오차가 충분히 작아질 때까지 3~5를 되풀이합니다.
#
# 이 노트북의 목표는 손으로 쓴 역전파와 `micrograd_ko` 엔진이 **같은 숫자를 $10^{-9}$ 안에서** 내는 것을 확인하는 것입니다.

# %%
import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import losses
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False
np.set_printoptions(precision=6, suppress=True)

# %% [markdown]
# ## 1. 모델 구성과 초기 가중치
#
# 가중치 행렬 $W_l$의 모양은 (이번 층의 노드 수) × (앞 층의 노드 수)입니다. $W_l$의 $k$행 $i$열은 앞 층 $i$번째 노드에서 이번 층 $k$번째 노드로 가는
# 연결의 가중치입니다. 초기 가중치는 강의 노트처럼 0과 1 사이의 난수로 정하되, 시드(seed)를 주어 매번 같은 값이 나오게 합니다.

# %%
rng = np.random.default_rng(0)
X = np.array([0.5, 0.3, 0.2])  # 입력
Y = np.array([0.8, 0.6])  # 정답(target): 출력층이 맞추어야 하는 값

W1 = rng.uniform(0, 1, size=(2, 3))  # 입력층(3) → 은닉층1(2)
W2 = rng.uniform(0, 1, size=(3, 2))  # 은닉층1(2) → 은닉층2(3)
W3 = rng.uniform(0, 1, size=(2, 3))  # 은닉층2(3) → 출력층(2)
initial_weights = [W1.copy(), W2.copy(), W3.copy()]
for name, W in zip(["W1", "W2", "W3"], initial_weights):
    print(f"{name} {W.shape}:\n{W}")


# %% [markdown]
# ## 2. 순전파
#
# 층마다 두 줄입니다. 가중치와 앞 층 출력의 행렬곱으로 **가중합** $A = WZ$를 만들고, 시그모이드 $\sigma(a) = 1/(1+e^{-a})$를 통과시켜 출력 $Z$를 얻습니다.
#
# 비용 함수로는 **오차제곱합(sum of squares for error, SSE)** 을 씁니다.
#
# $$E = \frac{1}{2}\sum_k (z_k - y_k)^2$$
#
# 앞의 $\tfrac12$은 미분했을 때 2가 사라지게 하려고 붙입니다. 그러면 $\partial E / \partial z_k = z_k - y_k$, 오차 그 자체가 됩니다.
#
# **실행하기 전에 예측해 보세요.** 가중치가 모두 양수이고 입력도 양수입니다. 출력 $Z_3$의 두 값은 0.5보다 클까요, 작을까요?
# 정답 $(0.8, 0.6)$보다는요?


# %%
def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def forward(W1, W2, W3, X):
    """순전파: 각 층의 출력 Z1, Z2, Z3를 돌려줍니다."""
    Z1 = sigmoid(W1 @ X)
    Z2 = sigmoid(W2 @ Z1)
    Z3 = sigmoid(W3 @ Z2)
    return Z1, Z2, Z3


def sse(Z3, Y):
    return 0.5 * np.sum((Z3 - Y) ** 2)


Z1, Z2, Z3 = forward(W1, W2, W3, X)
print("은닉층1 Z1 =", Z1)
print("은닉층2 Z2 =", Z2)
print("출력   Z3 =", Z3)
print(f"오차 E = {sse(Z3, Y):.6f}")

# %% [markdown]
# ## 3. 역전파: 연쇄 법칙을 층마다 한 번씩
#
# 출력층 가중치 $W_3[k, j]$ 하나가 오차에 미치는 영향을 **연쇄 법칙(chain rule)** 으로 쪼개 봅시다.
#
# $$\frac{\partial E}{\partial W_3[k,j]} = \underbrace{\frac{\partial E}{\partial z_k}}_{z_k - y_k}\;
# \underbrace{\frac{\partial z_k}{\partial a_k}}_{z_k(1-z_k)}\;\underbrace{\frac{\partial a_k}{\partial W_3[k,j]}}_{Z_2[j]}$$
#
# 앞의 두 인수를 묶어 출력층의 **델타(delta)** $\delta_3 = (Z_3 - Y)\odot Z_3 \odot (1 - Z_3)$라고 부르면, 기울기는 $\delta_3$와 $Z_2$의
# 외적(outer product)입니다. 한 층 앞으로 가면, 은닉 노드 $j$는 출력 노드 모두에 연결되어 있으므로 그 델타들을 가중치로 모아 옵니다.
#
# $$\delta_2 = (W_3^\top \delta_3) \odot Z_2 \odot (1 - Z_2), \qquad \delta_1 = (W_2^\top \delta_2) \odot Z_1 \odot (1 - Z_1)$$
#
# 그리고 어느 층이든 $\partial E/\partial W_l = \delta_l \, Z_{l-1}^\top$입니다(입력층의 출력 $Z_0$은 $X$). 층을 거꾸로 거슬러 오르며 델타를 전달하기 때문에
# **역전파(backpropagation)** 라고 부릅니다.


# %%
def backward(W1, W2, W3, X, Y):
    """손으로 쓴 역전파: ∂E/∂W1, ∂E/∂W2, ∂E/∂W3를 돌려줍니다."""
    Z1, Z2, Z3 = forward(W1, W2, W3, X)
    delta3 = (Z3 - Y) * Z3 * (1 - Z3)  # 출력층
    delta2 = (W3.T @ delta3) * Z2 * (1 - Z2)  # 은닉층2
    delta1 = (W2.T @ delta2) * Z1 * (1 - Z1)  # 은닉층1
    return np.outer(delta1, X), np.outer(delta2, Z1), np.outer(delta3, Z2)


dW1, dW2, dW3 = backward(W1, W2, W3, X, Y)
for name, dW in zip(["∂E/∂W1", "∂E/∂W2", "∂E/∂W3"], [dW1, dW2, dW3]):
    print(f"{name}:\n{dW}")

# %% [markdown]
# ## 4. 같은 신경망을 엔진으로
#
# `MLP(3, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", bias=False)`는 같은 모양의 신경망입니다.
# `parameters()`의 순서는 층마다, 뉴런마다, 입력 순서대로의 가중치이므로 행렬을 행 단위로 펼친 순서와 같습니다.
# `load_state_dict`로 numpy의 초기 가중치를 그대로 넣습니다.

# %%
model = MLP(3, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", bias=False)


def as_state(weights):
    """가중치 행렬 목록을 MLP.state_dict()와 같은 모양의 데이터로 바꿉니다."""
    return [[{"w": list(map(float, row)), "b": None} for row in W] for W in weights]


model.load_state_dict(as_state(initial_weights))
print(model)
print("매개변수 개수:", len(model.parameters()))

# %% [markdown]
# 손실 함수는 `losses.sse`로, 강의 노트와 같은 $\tfrac12\sum(z_k-y_k)^2$입니다.
#
# **실행하기 전에 예측해 보세요.** 엔진의 출력과 손실은 numpy 결과와 몇 자리까지 같을까요? 기울기는요?

# %%
outputs = model(list(X))
loss = losses.sse(outputs, list(Y))
model.zero_grad()
loss.backward()

engine_outputs = np.array([o.data for o in outputs])
engine_grads = np.array([p.grad for p in model.parameters()])
hand_grads = np.concatenate([dW1.ravel(), dW2.ravel(), dW3.ravel()])

print("엔진 출력 :", engine_outputs, "  numpy 출력:", Z3)
print(f"손실: 엔진 {loss.data:.15f}   numpy {sse(Z3, Y):.15f}")
print(f"출력의 최대 차이  : {np.max(np.abs(engine_outputs - Z3)):.2e}")
print(f"기울기의 최대 차이: {np.max(np.abs(engine_grads - hand_grads)):.2e}")
assert np.max(np.abs(engine_grads - hand_grads)) < 1e-9

# %% [markdown]
# 하나만 골라 눈으로 맞춰 봅시다. 출력층 첫 번째 뉴런이 은닉층2의 두 번째 노드에서 받는 가중치 $W_3[0, 1]$입니다.
# 엔진에서는 `model.layers[2].neurons[0].w[1]`입니다.

# %%
w = model.layers[2].neurons[0].w[1]
print(f"{w.label}: 엔진의 grad = {w.grad:.12f}")
print(f"손으로 구한 dW3[0, 1]   = {dW3[0, 1]:.12f}")
print(f"δ3[0] · Z2[1]          = {((Z3 - Y) * Z3 * (1 - Z3))[0] * Z2[1]:.12f}")

# %% [markdown]
# ### ½이 없는 오차제곱합이라면?
#
# 강의 노트의 코드는 손실을 출력할 때 $\sum (y_k - z_k)^2$(½ 없음)을 쓰면서, 델타는 $\tfrac12$이 붙은 식에서 나온 $(z_k-y_k)\,z_k(1-z_k)$를 씁니다.
# 두 손실의 기울기는 정확히 2배 차이가 납니다. 학습률을 반으로 줄인 것과 같은 효과라 학습은 되지만, 어느 손실을 미분하는지는 맞춰 두는 것이 좋습니다.
#
# **실행하기 전에 예측해 보세요.** ½ 없는 손실의 기울기를 ½ 있는 손실의 기울기로 나누면 모든 매개변수에서 같은 값이 나올까요?

# %%
outputs = model(list(X))
loss_without_half = 2 * losses.sse(outputs, list(Y))  # Σ(z - y)²
model.zero_grad()
loss_without_half.backward()
ratios = np.array([p.grad for p in model.parameters()]) / hand_grads
print("기울기 비율(½ 없음 / ½ 있음):", ratios.round(12))

# %% [markdown]
# ## 5. 경사 하강법으로 1000번
#
# 가중치를 $W \leftarrow W - \eta\,\partial E/\partial W$로 1000번 고칩니다. 학습률(learning rate)은 $\eta = 0.1$입니다.
# numpy 쪽은 손으로 쓴 `backward`를, 엔진 쪽은 `loss.backward()`와 `SGD` 옵티마이저를 씁니다. 두 쪽은 처음부터 끝까지 따로 계산합니다.
#
# **실행하기 전에 예측해 보세요.** 1000번 뒤에 두 쪽의 가중치는 얼마나 다를까요? 부동소수점 오차가 1000번 쌓이면 커질까요?

# %%
learning_rate = 0.1
steps = 1000

W1, W2, W3 = (W.copy() for W in initial_weights)
hand_losses = []
for _ in range(steps):
    hand_losses.append(sse(forward(W1, W2, W3, X)[2], Y))
    dW1, dW2, dW3 = backward(W1, W2, W3, X, Y)
    W1 -= learning_rate * dW1
    W2 -= learning_rate * dW2
    W3 -= learning_rate * dW3

model.load_state_dict(as_state(initial_weights))
optimizer = SGD(model.parameters(), lr=learning_rate)
engine_losses = []
for _ in range(steps):
    loss = losses.sse(model(list(X)), list(Y))
    engine_losses.append(loss.data)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

hand_final = np.concatenate([W1.ravel(), W2.ravel(), W3.ravel()])
engine_final = np.array([p.data for p in model.parameters()])
print(f"1000번 뒤 가중치의 최대 차이: {np.max(np.abs(hand_final - engine_final)):.2e}")
print(f"손실 곡선의 최대 차이       : {np.max(np.abs(np.array(hand_losses) - np.array(engine_losses))):.2e}")
assert np.max(np.abs(hand_final - engine_final)) < 1e-9

# %%
_, _, first_output = forward(*initial_weights, X)
_, _, final_output = forward(W1, W2, W3, X)
print("정답        :", Y)
print("처음 출력    :", first_output, f"  오차 E = {sse(first_output, Y):.2e}")
print("1000번 뒤 출력:", final_output, f"  오차 E = {sse(final_output, Y):.2e}")

fig, ax = plt.subplots(figsize=(7, 3.5))
ax.semilogy(hand_losses, label="numpy (손으로 쓴 역전파)", linewidth=3, alpha=0.5)
ax.semilogy(engine_losses, label="micrograd_ko (backward + SGD)", linestyle="--")
ax.set_xlabel("경사 하강 단계")
ax.set_ylabel("오차 E (로그 눈금)")
ax.set_title("두 구현의 손실 곡선은 겹쳐서 하나로 보입니다")
ax.legend()
plt.show()

# %% [markdown]
# ## 6. 은닉층 공식 다시 읽기
#
# 강의 노트는 은닉층 가중치의 변화량을 이렇게 적습니다(여기서 $t_k$는 정답, $o_k$는 출력).
#
# $$\Delta w_{ji} = -\alpha\, x_i\, h_j (h_j - 1) \sum_{k} w_{kj}\, o_k (1 - o_k) (t_k - o_k)$$
#
# 부호가 두 번 뒤집혀 있을 뿐, 위에서 쓴 $-\eta\,\delta_j x_i$와 같은 식입니다. $(h_j-1)$과 $(t_k-o_k)$의 부호를 각각 바꾸면
# $h_j(1-h_j)\sum_k w_{kj}\,\delta_k$가 되기 때문입니다. 한 층짜리 신경망의 **델타 규칙(delta rule)** 을 은닉층까지 넓힌 것이 역전파입니다
# (델타 규칙은 05번 노트북에서 다룹니다). 마지막으로 이 공식을 그대로 코드로 옮겨, 처음 가중치에서의 은닉층1 변화량을 비교해 봅시다.

# %%
W1, W2, W3 = initial_weights
Z1, Z2, Z3 = forward(W1, W2, W3, X)
alpha = learning_rate
# 공식의 Σ 안에 있는 o_k(1-o_k)(t_k-o_k)는 정답 쪽을 향한 오차 신호입니다.
# 은닉층이 둘이므로, 은닉층2의 노드에서도 같은 꼴 h(1-h)·(모아 온 신호)를 만들어 한 층 더 거슬러 올라갑니다.
signal2 = np.array([np.sum(W3[:, j] * Z3 * (1 - Z3) * (Y - Z3)) for j in range(3)])
signal1 = np.array([np.sum(W2[:, j] * Z2 * (1 - Z2) * signal2) for j in range(2)])
delta_w1_formula = np.array([[-alpha * X[i] * Z1[j] * (Z1[j] - 1) * signal1[j] for i in range(3)] for j in range(2)])
delta_w1_backprop = -alpha * backward(W1, W2, W3, X, Y)[0]
print("강의 노트 공식:\n", delta_w1_formula)
print("역전파 -η·∂E/∂W1:\n", delta_w1_backprop)
print(f"최대 차이: {np.max(np.abs(delta_w1_formula - delta_w1_backprop)):.2e}")

# %% [markdown]
# ## 정리
#
# - 역전파는 층마다 델타 $\delta_l$를 만들고 $\partial E/\partial W_l = \delta_l Z_{l-1}^\top$로 기울기를 얻는, 연쇄 법칙의 체계적인 적용입니다.
# - 손으로 쓴 numpy 역전파와 엔진의 `backward()`는 같은 기울기를, 1000번 학습한 뒤에도 같은 가중치를 냅니다(차이는 위에서 출력한 값).
# - ½을 붙인 오차제곱합을 미분하면 오차 $z-y$가 그대로 남습니다. ½을 빼면 기울기가 정확히 2배가 됩니다.
#
# ### 더 해 보기
# - 활성화 함수를 tanh로 바꾸면 `backward`의 어느 줄을 고쳐야 할까요? ($\tanh'(a) = 1 - \tanh^2(a)$) 엔진 쪽은 `activation="tanh"`만 바꾸면 됩니다.
# - 편향을 추가하려면 `backward`가 무엇을 더 돌려주어야 할까요? `bias=True`인 엔진과 비교해 보세요.
