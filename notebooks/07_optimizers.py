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
# # 07. 옵티마이저
#
# 역전파(backpropagation)는 기울기 $g = \partial E/\partial p$를 구할 뿐이고, 그 기울기로 매개변수 $p$를 **어떻게** 움직일지는 **최적화 알고리즘(optimizer)** 이 정합니다.
# 가장 단순한 것은 04번 노트북의 경사 하강법 $p \leftarrow p - \eta g$이고, 여기에 무엇을 더하느냐에 따라 여러 옵티마이저가 나옵니다.
#
# | 옵티마이저 | 더한 것 | 한 줄 요약 |
# |---|---|---|
# | SGD | (없음) | 기울기 반대 방향으로 $\eta g$만큼 |
# | 모멘텀(momentum) | 지난 기울기의 누적(속도) | 같은 방향이 이어지면 빨라지고, 흔들리면 상쇄 |
# | 아다그라드(AdaGrad) | 매개변수별 기울기 제곱의 합 | 많이 움직인 매개변수는 점점 조금씩 |
# | RMSProp | 기울기 제곱의 지수 이동 평균 | AdaGrad인데 오래된 기울기는 잊음 |
# | 아담(Adam) | 모멘텀 + RMSProp + 편향 보정 | 가장 널리 쓰임 |
# | 나담(Nadam) | Adam + 네스테로프(Nesterov) 모멘텀 | 한 걸음 앞을 내다본 모멘텀 |
#
# `micrograd_ko.optim`의 옵티마이저는 PyTorch와 같은 모양으로 씁니다: `opt.zero_grad()` → `loss.backward()` → `opt.step()`.

# %%

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, losses
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD, AdaGrad, Adam, Nadam, RMSProp

# 텍스트 진행 막대(progress bar): ipywidgets가 있든 없든 어디서나 같은 모양으로 보입니다.
from tqdm import tqdm

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 시험장: 휘어진 골짜기
#
# 매개변수 두 개 $(x, y)$의 손실
#
# $$E(x, y) = (1 - x)^2 + 10\,(y - x^2)^2$$
#
# 은 포물선 $y = x^2$를 따라 휘어진 좁은 골짜기이고, 바닥(최솟값 0)은 $(1, 1)$에 있습니다. 골짜기를 가로지르는 방향은 가파르고
# 골짜기를 따라가는 방향은 완만해서, 단순한 경사 하강법이 애를 먹는 전형적인 모양입니다. 모든 옵티마이저가 $(-1.5, 2)$에서 출발합니다.
#
# **실행하기 전에 예측해 보세요.** 출발점에서 $\partial E/\partial x$와 $\partial E/\partial y$ 중 어느 쪽이 더 클까요?


# %%
def valley(x, y):
    return (1 - x) ** 2 + 10 * (y - x**2) ** 2


START = (-1.5, 2.0)
x0, y0 = Value(START[0], label="x"), Value(START[1], label="y")
valley(x0, y0).backward()
print(f"E{START} = {valley(*START):.4f}")
print(f"∂E/∂x = {x0.grad:.4f},  ∂E/∂y = {y0.grad:.4f}")

# %% [markdown]
# ## 2. 여섯 옵티마이저의 궤적
#
# 각 옵티마이저로 150걸음씩 갑니다. 학습률의 뜻이 옵티마이저마다 달라서(SGD에서는 기울기에 곱하는 수, Adam에서는 대략 한 걸음의 크기)
# 같은 값을 쓰면 공정하지 않습니다. 아래 값은 각 옵티마이저가 이 골짜기에서 발산하지 않고 제 성격을 보이도록 고른 것입니다.


# %%
def descend(make_optimizer, steps=150):
    params = [Value(START[0], label="x", role="parameter"), Value(START[1], label="y", role="parameter")]
    optimizer = make_optimizer(params)
    path = [START]
    for _ in range(steps):
        loss = valley(*params)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        path.append((params[0].data, params[1].data))
    return np.array(path)


optimizers = {
    "SGD (η=0.01)": lambda p: SGD(p, lr=0.01),
    "모멘텀 (η=0.002, μ=0.9)": lambda p: SGD(p, lr=0.002, momentum=0.9),
    "AdaGrad (η=0.5)": lambda p: AdaGrad(p, lr=0.5),
    "RMSProp (η=0.03)": lambda p: RMSProp(p, lr=0.03),
    "Adam (η=0.1)": lambda p: Adam(p, lr=0.1),
    "Nadam (η=0.1)": lambda p: Nadam(p, lr=0.1),
}
paths = {name: descend(make) for name, make in optimizers.items()}

gx, gy = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-1, 3, 200))
fig, axes = plt.subplots(2, 3, figsize=(13, 8), sharex=True, sharey=True, dpi=80)
for ax, (name, path) in zip(axes.flat, paths.items()):
    ax.contour(gx, gy, np.log10(valley(gx, gy) + 1e-3), levels=15, colors="0.7", linewidths=0.6, linestyles="solid")
    ax.plot(path[:, 0], path[:, 1], marker="o", markersize=2, linewidth=1, color="tab:red")
    ax.plot(*START, marker="s", color="black")
    ax.plot(1, 1, marker="*", markersize=14, color="gold", markeredgecolor="black")
    ax.set_title(f"{name}\n150걸음 뒤 E = {valley(*path[-1]):.2e}")
fig.suptitle("같은 골짜기, 여섯 옵티마이저 (네모: 출발, 별: 최솟값)")
fig.tight_layout()
plt.show()

# %%
fig, ax = plt.subplots(figsize=(8, 4))
for name, path in paths.items():
    ax.semilogy([valley(*p) for p in path], label=name)
ax.set_xlabel("걸음")
ax.set_ylabel("E (로그 눈금)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# 그림을 보며 각 옵티마이저가 **무엇을 더했는지** 식으로 읽어 봅시다. 아래 식에서 $g$는 기울기, $t$는 몇 번째 걸음인지(1부터)입니다.
#
# ### SGD
# $$p \leftarrow p - \eta\, g$$
# 가파른 방향(골짜기를 가로지르는 방향)에 맞춰 학습률을 작게 잡아야 하므로, 완만한 방향(골짜기를 따라가는 방향)으로는 아주 느리게 갑니다.
#
# ### 모멘텀
# $$v \leftarrow \mu\, v + g, \qquad p \leftarrow p - \eta\, v$$
# 언덕을 굴러 내려가는 공처럼 **속도** $v$를 가집니다. 같은 방향의 기울기가 이어지면 속도가 붙고($\mu = 0.9$면 최대 약 $1/(1-\mu) = 10$배),
# 방향이 번갈아 바뀌면 서로 상쇄됩니다. 네스테로프(Nesterov) 모멘텀은 속도만큼 미리 가 본 자리의 기울기를 씁니다(`SGD(..., nesterov=True)`).
#
# ### AdaGrad
# $$s \leftarrow s + g^2, \qquad p \leftarrow p - \eta\,\frac{g}{\sqrt{s} + \epsilon}$$
# 매개변수마다 지금까지의 기울기 제곱을 모두 더해 나눕니다. 기울기가 큰 방향은 걸음이 줄고 작은 방향은 상대적으로 커져서, 방향마다 학습률이 따로 정해지는 효과가 납니다.
# 하지만 $s$는 줄어들지 않으므로 걸음이 계속 작아집니다.
#
# ### RMSProp
# $$v \leftarrow \alpha\, v + (1-\alpha)\, g^2, \qquad p \leftarrow p - \eta\,\frac{g}{\sqrt{v} + \epsilon}$$
# 합 대신 **지수 이동 평균(exponential moving average)** 을 써서 오래된 기울기를 잊습니다. 그래서 걸음이 0으로 줄어들지 않습니다.
#
# ### Adam
# $$m \leftarrow \beta_1 m + (1-\beta_1)\, g, \qquad v \leftarrow \beta_2 v + (1-\beta_2)\, g^2$$
# $$\hat m = \frac{m}{1-\beta_1^t}, \quad \hat v = \frac{v}{1-\beta_2^t}, \qquad p \leftarrow p - \eta\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}$$
# 모멘텀($m$, 기울기의 1차 모멘트)과 RMSProp($v$, 2차 모멘트)을 합쳤습니다. $m$과 $v$가 0에서 시작해 처음에는 너무 작으므로 $1-\beta^t$로 나누어 **편향을 보정(bias correction)** 합니다.
#
# ### Nadam
# Adam의 모멘텀 자리에 네스테로프 모멘텀을 넣었습니다. 단순한 형태로 쓰면
# $$p \leftarrow p - \eta\,\frac{\beta_1 \dfrac{m}{1-\beta_1^{t+1}} + (1-\beta_1)\dfrac{g}{1-\beta_1^{t}}}{\sqrt{\hat v} + \epsilon}$$
# 입니다. 지금의 기울기와, 한 걸음 앞의 모멘텀을 함께 씁니다. (`Nadam`의 기본값은 PyTorch처럼 $\beta_1$을 처음에 조금 작게 시작해 키워 가는 일정(schedule)을 쓰고,
# `momentum_decay=None`이면 위의 단순한 형태가 됩니다.)
#
# ## 3. 식을 직접 코드로: 옵티마이저와 같은 숫자가 나오는가
#
# 위 식을 numpy로 그대로 옮겨 50걸음을 가고, `micrograd_ko.optim`의 결과와 비교합니다. 기울기는 두 쪽 모두 엔진이 구합니다.
#
# **실행하기 전에 예측해 보세요.** 차이는 얼마나 될까요?


# %%
def gradient(p):
    x, y = Value(p[0]), Value(p[1])
    valley(x, y).backward()
    return np.array([x.grad, y.grad])


def hand_sgd(p, g, state, t, lr=0.01):
    return p - lr * g


def hand_momentum(p, g, state, t, lr=0.002, mu=0.9):
    state["v"] = mu * state.get("v", 0.0) + g
    return p - lr * state["v"]


def hand_adagrad(p, g, state, t, lr=0.5, eps=1e-10):
    state["s"] = state.get("s", 0.0) + g**2
    return p - lr * g / (np.sqrt(state["s"]) + eps)


def hand_rmsprop(p, g, state, t, lr=0.03, alpha=0.99, eps=1e-8):
    state["v"] = alpha * state.get("v", 0.0) + (1 - alpha) * g**2
    return p - lr * g / (np.sqrt(state["v"]) + eps)


def hand_adam(p, g, state, t, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g**2
    m_hat, v_hat = state["m"] / (1 - beta1**t), state["v"] / (1 - beta2**t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps)


def hand_nadam(p, g, state, t, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8):
    state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * g
    state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * g**2
    look_ahead = beta1 * state["m"] / (1 - beta1 ** (t + 1)) + (1 - beta1) * g / (1 - beta1**t)
    return p - lr * look_ahead / (np.sqrt(state["v"] / (1 - beta2**t)) + eps)


pairs = {
    "SGD": (hand_sgd, lambda p: SGD(p, lr=0.01)),
    "모멘텀": (hand_momentum, lambda p: SGD(p, lr=0.002, momentum=0.9)),
    "AdaGrad": (hand_adagrad, lambda p: AdaGrad(p, lr=0.5)),
    "RMSProp": (hand_rmsprop, lambda p: RMSProp(p, lr=0.03)),
    "Adam": (hand_adam, lambda p: Adam(p, lr=0.1)),
    "Nadam (단순형)": (hand_nadam, lambda p: Nadam(p, lr=0.1, momentum_decay=None)),
}
for name, (rule, make) in pairs.items():
    p, state = np.array(START), {}
    for t in range(1, 51):
        p = rule(p, gradient(p), state, t)
    library = descend(make, steps=50)[-1]
    print(f"50걸음 뒤 차이 {np.max(np.abs(p - library)):.1e}   {name}")

# %% [markdown]
# ### Adam의 첫 걸음
#
# 편향 보정 덕분에 Adam의 첫 걸음에서는 $\hat m = g$, $\hat v = g^2$이므로 $\hat m/\sqrt{\hat v} = \pm 1$입니다. 즉 **기울기의 크기와 상관없이**
# 모든 매개변수가 약 $\eta$만큼 움직입니다. 출발점의 두 기울기는 크기가 꽤 달랐는데, 첫 걸음은 어땠을까요?

# %%
params = [Value(START[0], role="parameter"), Value(START[1], role="parameter")]
adam = Adam(params, lr=0.1)
loss = valley(*params)
loss.backward()
grads = [p.grad for p in params]
adam.step()
moves = [p.data - s for p, s in zip(params, START)]
print(f"기울기   : ({grads[0]:9.4f}, {grads[1]:9.4f})")
print(f"첫 걸음  : ({moves[0]:9.4f}, {moves[1]:9.4f})")
sgd_moves = [-0.01 * g for g in grads]
print(f"SGD(0.01): ({sgd_moves[0]:9.4f}, {sgd_moves[1]:9.4f})")

# %% [markdown]
# ### AdaGrad의 걸음은 왜 점점 작아지나
#
# 매개변수 $x$의 실제 학습률 $\eta/(\sqrt{s}+\epsilon)$을 AdaGrad와 RMSProp에서 걸음마다 기록해 봅니다.
#
# **실행하기 전에 예측해 보세요.** 150걸음 동안 두 옵티마이저의 실제 학습률은 각각 어떻게 변할까요?


# %%
def effective_rates(make, attribute, steps=150):
    params = [Value(START[0], role="parameter"), Value(START[1], role="parameter")]
    optimizer = make(params)
    rates = []
    for _ in range(steps):
        loss = valley(*params)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        rates.append(optimizer.lr / (np.sqrt(getattr(optimizer, attribute)[0]) + optimizer.eps))
    return rates


fig, ax = plt.subplots(figsize=(7, 3.5))
ax.semilogy(effective_rates(lambda p: AdaGrad(p, lr=0.5), "sum_of_squares"), label="AdaGrad: η / √(기울기 제곱의 합)")
ax.semilogy(
    effective_rates(lambda p: RMSProp(p, lr=0.03), "square_avg"), label="RMSProp: η / √(기울기 제곱의 이동 평균)"
)
ax.set_xlabel("걸음")
ax.set_ylabel("x의 실제 학습률 (로그 눈금)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# AdaGrad의 실제 학습률은 한 방향으로만, 줄어들기만 합니다. RMSProp은 최근 기울기가 작아지면 다시 커질 수 있습니다.
#
# ## 4. 작은 신경망에서
#
# 매개변수 두 개짜리 골짜기와 실제 신경망은 다릅니다. 두 개의 반달(two moons) 데이터 60개를 `MLP(2, [8, 8, 1])`(은닉 ReLU, 출력 시그모이드)로
# 분류하며 이진 교차 엔트로피를 줄입니다. 모든 옵티마이저가 같은 초기 가중치(시드 0)에서 출발해 전체 배치로 80번 업데이트합니다.
# 학습률은 각 옵티마이저에서 흔히 쓰는 크기로 골랐습니다.
#
# **실행하기 전에 예측해 보세요.** 80번 뒤 손실이 가장 작은 옵티마이저는 어느 것일까요? SGD는 몇 등일까요?

# %%
X, y = data.moons(n=60, noise=0.1, seed=1)
rows, targets = X.tolist(), y.tolist()
network_optimizers = {
    "SGD (η=0.2)": lambda p: SGD(p, lr=0.2),
    "모멘텀 (η=0.05, μ=0.9)": lambda p: SGD(p, lr=0.05, momentum=0.9),
    "AdaGrad (η=0.1)": lambda p: AdaGrad(p, lr=0.1),
    "RMSProp (η=0.01)": lambda p: RMSProp(p, lr=0.01),
    "Adam (η=0.02)": lambda p: Adam(p, lr=0.02),
    "Nadam (η=0.02)": lambda p: Nadam(p, lr=0.02),
}


def train_network(make, steps=80):
    model = MLP(2, [8, 8, 1], activation="relu", output_activation="sigmoid", seed=0)
    optimizer = make(model.parameters())
    history = []
    for _ in range(steps):
        loss = losses.binary_cross_entropy([model(r) for r in rows], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    accuracy = np.mean((np.array([model(r).data for r in rows]) > 0.5) == (y == 1))
    return history, accuracy


network_results = {name: train_network(make) for name, make in tqdm(network_optimizers.items(), desc="옵티마이저")}

fig, ax = plt.subplots(figsize=(8, 4))
for name, (history, _) in network_results.items():
    ax.plot(history, label=name)
ax.set_xlabel("업데이트")
ax.set_ylabel("이진 교차 엔트로피")
ax.set_title("moons 60개, MLP 2-8-8-1")
ax.legend(fontsize=8)
plt.show()
for name, (history, accuracy) in sorted(network_results.items(), key=lambda item: item[1][0][-1]):
    print(f"손실 {history[-1]:.4f}, 훈련 정확도 {accuracy:.1%}   {name}")

# %% [markdown]
# 순위는 학습률, 초기값, 문제에 따라 바뀝니다. 한 번의 실험으로 "어느 옵티마이저가 가장 좋다"고 말할 수는 없습니다. 그래도 적응형 옵티마이저(AdaGrad, RMSProp,
# Adam, Nadam)가 학습률을 덜 예민하게 골라도 잘 움직이는 경우가 많아서, 처음 시도할 때는 Adam을 흔히 씁니다.
#
# ## 정리
#
# - 옵티마이저는 기울기를 받아 매개변수를 움직이는 규칙입니다. 역전파가 주는 정보는 같고, 쓰는 방법이 다릅니다.
# - 모멘텀은 **속도**, AdaGrad와 RMSProp은 **매개변수별 학습률**, Adam은 둘 다와 **편향 보정**, Nadam은 거기에 **네스테로프의 내다보기** 를 더합니다.
# - 식을 그대로 옮긴 numpy 코드와 `micrograd_ko.optim`은 같은 궤적을 냅니다(차이는 위에서 출력한 값).
#
# ### 더 해 보기
# - 2절에서 SGD의 학습률을 0.05로 올려 보세요. 골짜기를 가로질러 튕기다가 어떻게 될까요?
# - `SGD(p, lr=0.002, momentum=0.9, nesterov=True)`를 추가해 모멘텀과 궤적을 비교해 보세요.
