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
# # 04. 경사 하강법
#
# 손실 함수(loss function)는 신경망이 얼마나 틀렸는지를 숫자 하나로 알려 줍니다. 학습은 이 숫자를 줄이도록 가중치를 고치는 일입니다.
# 그런데 어느 쪽으로, 얼마나 고쳐야 할까요?
#
# **경사 하강법(gradient descent)** 의 답은 간단합니다. 손실을 가중치로 미분한 기울기(gradient)를 구하고, 그 반대 방향으로 조금 움직입니다.
#
# $$w \leftarrow w - \eta\,\frac{\partial E}{\partial w}$$
#
# $\eta$(에타)는 **학습률(learning rate)** 로, 한 번에 얼마나 움직일지 정합니다. 기울기가 양수면(오른쪽이 오르막) 왼쪽으로, 음수면 오른쪽으로 갑니다.
# 바닥에 가까워질수록 기울기가 작아지므로 걸음도 저절로 작아집니다.
#
# 이 노트북에서 할 일:
# 1. 경사 하강법을 한 걸음씩 따라갑니다.
# 2. 학습률이 너무 작을 때와 너무 클 때(발산, diverging)를 봅니다.
# 3. 국소 최솟값(local minimum)과 전역 최솟값(global minimum)을 봅니다.
# 4. 가중치를 무작정 다 대입해 보는 방법(brute force)이 왜 불가능한지 계산합니다.
# 5. 전체 배치(full-batch), 확률적(stochastic), 미니배치(mini-batch) 경사 하강법을 같은 데이터에서 비교합니다.

# %%

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, losses
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD

# 텍스트 진행 막대(progress bar): ipywidgets가 있든 없든 어디서나 같은 모양으로 보입니다.
from tqdm import tqdm

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False


# %% [markdown]
# ## 1. 한 걸음씩
#
# 가중치 하나짜리 손실 $E(w) = (w-3)^2 + 1$에서 시작합니다. 최솟값은 $w=3$에 있습니다.
# 기울기는 공식을 쓰지 않고 엔진에게 구하게 합니다: `Value(w)`로 손실을 계산하고 `backward()`를 부르면 `grad`에 $\partial E/\partial w$가 들어옵니다.
#
# **실행하기 전에 예측해 보세요.** $w=0$, $\eta=0.1$에서 출발하면 첫 걸음 뒤의 $w$는 얼마일까요? ($E'(w) = 2(w-3)$)


# %%
def bowl(w):
    return (w - 3) ** 2 + 1


def loss_and_gradient(E, w):
    """E(w)와, 엔진이 역전파로 구한 dE/dw."""
    weight = Value(w)
    loss = E(weight)
    loss.backward()
    return loss.data, weight.grad


w, eta = 0.0, 0.1
print(" 단계 |       w |    E(w) |  dE/dw | 다음 w = w - η·dE/dw")
for step in range(6):
    E, grad = loss_and_gradient(bowl, w)
    print(f"{step:5d} | {w:7.4f} | {E:7.4f} | {grad:6.3f} | {w - eta * grad:7.4f}")
    w = w - eta * grad

# %% [markdown]
# 걸음 폭 $|\eta\,E'(w)|$이 매번 줄어드는 것을 보세요. 기울기가 작아지니 걸음도 작아집니다.
#
# ## 2. 학습률: 너무 작으면 느리고, 너무 크면 발산한다
#
# 눈을 감고 목적지로 걸어간다고 해 봅시다. 가끔 눈을 떠서 방향을 확인하고, 다시 눈을 감고 걷습니다.
# 한 번에 너무 멀리 걸으면 목적지를 지나쳐 버리고, 너무 조금씩 걸으면 도착하기까지 한참 걸립니다. 학습률이 바로 그 '한 번에 걷는 거리'입니다.
#
# 같은 손실 $E(w) = (w-3)^2+1$에서 학습률 네 가지로 20걸음씩 가 봅니다.
#
# **실행하기 전에 예측해 보세요.** $\eta = 0.9$이면 $w$는 3의 왼쪽과 오른쪽 중 어디로 갈까요? $\eta = 1.05$이면요?


# %%
def descend(E, w0, eta, steps):
    path = [w0]
    for _ in range(steps):
        _, grad = loss_and_gradient(E, path[-1])
        path.append(path[-1] - eta * grad)
    return np.array(path)


rates = {"너무 작음 η=0.02": 0.02, "적당함 η=0.3": 0.3, "출렁임 η=0.9": 0.9, "발산 η=1.05": 1.05}
paths = {name: descend(bowl, 0.0, eta, 20) for name, eta in rates.items()}

fig, axes = plt.subplots(1, 4, figsize=(15, 3.6))
ws = np.linspace(-2, 8, 200)
for ax, (name, path) in zip(axes, paths.items()):
    ax.plot(ws, bowl(ws), color="lightgray")
    ax.plot(path, bowl(path), marker="o", markersize=3, linewidth=0.8)
    ax.plot(path[0], bowl(path[0]), marker="s", color="black")
    ax.set_xlim(-2, 8)
    ax.set_ylim(0, 27)
    ax.set_title(name)
    ax.set_xlabel("w")
axes[0].set_ylabel("E(w)")
fig.suptitle("학습률에 따른 20걸음 (검은 네모: 출발점)")
fig.tight_layout()
plt.show()

for name, path in paths.items():
    print(f"20걸음 뒤 w = {path[-1]:9.4f},  최솟값까지 거리 |w - 3| = {abs(path[-1] - 3):<8.3g}  {name}")

# %% [markdown]
# 이 손실에서는 한 걸음이 최솟값까지의 거리 $w-3$에 $(1-2\eta)$를 곱합니다. 그래서 $\eta > 1$이면 매번 더 멀어집니다.
# 일반적으로 2차 함수에서는 **학습률이 2 / (이계 도함수)를 넘으면** 발산합니다. 여기서는 이계 도함수가 2이니 그 경계가 1입니다.
# 식을 믿지 말고 학습률을 촘촘히 바꿔 가며 직접 찾아봅시다.

# %%
eta_grid = np.linspace(0.01, 1.2, 120)
distance_after_20 = np.array([abs(descend(bowl, 0.0, eta, 20)[-1] - 3) for eta in eta_grid])
first_divergent = eta_grid[np.argmax(distance_after_20 > 3)]  # 출발점의 거리(3)보다 멀어진 첫 학습률
print(f"출발할 때보다 멀어지기 시작한 학습률: η ≈ {first_divergent:.2f}   (이론값 2 / E'' = {2 / 2:.2f})")

fig, ax = plt.subplots(figsize=(7, 3.5))
ax.semilogy(eta_grid, distance_after_20)
ax.axhline(3, color="gray", linestyle=":", label="출발점의 거리")
ax.set_xlabel("학습률 η")
ax.set_ylabel("20걸음 뒤 |w - 3| (로그 눈금)")
ax.legend()
plt.show()

# %% [markdown]
# ## 3. 국소 최솟값과 전역 최솟값
#
# 실제 손실은 매끈한 그릇 모양이 아닙니다. 움푹한 곳이 여러 개 있을 수 있고, 경사 하강법은 출발점에서 가까운 골짜기로 내려갑니다.
# 그 골짜기가 가장 깊은 곳이 아니면 **국소 최솟값(local minimum)** 에 갇힙니다. 가장 깊은 곳은 **전역 최솟값(global minimum)** 입니다.
#
# $E(w) = w^4 - 2w^2 + 0.8w$는 골짜기가 둘입니다. 먼저 촘촘한 격자에서 두 골짜기의 바닥을 찾습니다.


# %%
def two_valleys(w):
    return w**4 - 2 * w**2 + 0.8 * w


fine = np.linspace(-2, 2, 400_001)
heights = two_valleys(fine)
is_min = (heights[1:-1] < heights[:-2]) & (heights[1:-1] < heights[2:])
minima = fine[1:-1][is_min]
ridge = fine[1:-1][(heights[1:-1] > heights[:-2]) & (heights[1:-1] > heights[2:])][0]
global_min = minima[np.argmin(two_valleys(minima))]
for m in minima:
    kind = "전역 최솟값" if m == global_min else "국소 최솟값"
    print(f"{kind}: w = {m:+.4f}, E = {two_valleys(m):+.4f}")
print(f"두 골짜기 사이의 언덕 꼭대기: w = {ridge:+.4f}")

# %% [markdown]
# **실행하기 전에 예측해 보세요.** $w_0 = -1.8, -0.5, 0.5, 1.8$에서 출발하면 각각 어느 골짜기에 도착할까요?

# %%
starts = [-1.8, -0.5, 0.5, 1.8]
fig, ax = plt.subplots(figsize=(7, 4))
grid = np.linspace(-1.9, 1.9, 300)
ax.plot(grid, two_valleys(grid), color="lightgray", linewidth=3)
for w0 in starts:
    path = descend(two_valleys, w0, 0.05, 60)
    ending = "전역" if (path[-1] < ridge) == (global_min < ridge) else "국소"
    ax.plot(path, two_valleys(path), marker="o", markersize=3, label=f"w0 = {w0:+.1f} → {path[-1]:+.3f} ({ending})")
ax.axvline(ridge, color="gray", linestyle=":")
ax.set_xlabel("w")
ax.set_ylabel("E(w)")
ax.set_title("출발점이 도착할 골짜기를 정합니다 (점선: 언덕 꼭대기)")
ax.legend(fontsize=8)
plt.show()

# %% [markdown]
# 언덕 꼭대기의 오른쪽에서 출발하면 모두 국소 최솟값에 멈춥니다. 그곳에서도 기울기가 0이라 경사 하강법은 더 갈 이유가 없습니다.
#
# **확률적 경사 하강법(stochastic gradient descent, SGD)** 은 데이터 전체가 아니라 한 행씩 기울기를 구합니다. 한 행의 기울기는 전체 평균
# 기울기에 **잡음(noise)** 이 섞인 것과 같습니다. 강의 노트는 이 잡음 덕분에 국소 최솟값에서 멈추는 일을 피하기 쉽다고 말합니다.
# 잡음을 직접 넣어 확인해 봅시다. 기울기에 정규분포 잡음을 더하되 잡음의 크기를 점점 줄여, 마지막에는 보통의 경사 하강법처럼 가라앉게 합니다.
# 국소 최솟값 쪽인 $w_0 = 1.2$에서 100번씩 출발합니다.
#
# **실행하기 전에 예측해 보세요.** 잡음이 없을 때 100번 중 몇 번이 전역 최솟값에 도착할까요? 잡음이 클수록 많아질까요?


# %%
def noisy_descent(w0, eta, steps, noise, rng):
    w = w0
    for t in range(steps):
        _, grad = loss_and_gradient(two_valleys, w)
        w -= eta * (grad + noise * (1 - t / steps) * rng.normal())
    return w


noise_rng = np.random.default_rng(4)
noise_levels = [0.0, 3.0, 6.0, 10.0]
reached_global = {}
for noise in tqdm(noise_levels, desc="잡음 크기"):
    ends = np.array([noisy_descent(1.2, 0.02, 300, noise, noise_rng) for _ in range(100)])
    reached_global[noise] = int(np.sum((ends < ridge) == (global_min < ridge)))
for noise, count in reached_global.items():
    print(f"잡음 크기 {noise:4.1f}: 100번 중 {count:3d}번 전역 최솟값에 도착")

# %% [markdown]
# 잡음이 골짜기 사이의 언덕을 넘게 해 줍니다. 잡음은 공짜가 아니어서, 너무 크면 바닥 근처에서도 계속 흔들립니다. 그래서 학습 후반에는 학습률(또는 잡음)을 줄이곤 합니다.
#
# ## 4. 왜 그냥 모든 가중치를 다 대입해 보지 않을까?
#
# 기울기를 계산하는 대신, 가능한 가중치 조합을 모두 시도해서 손실이 가장 작은 것을 고르면 어떨까요? 강의 노트의 계산을 그대로 해 봅시다.
# 집값 예제처럼 입력 4개, 은닉 뉴런 5개, 출력 1개인 신경망을 생각합니다.

# %%
tiny_net = MLP(4, [5, 1], bias=False, seed=0)
n_weights = len(tiny_net.parameters())
candidates_per_weight = 1000  # 가중치 하나마다 시도해 볼 값의 개수
combinations = candidates_per_weight**n_weights  # 파이썬 정수는 정확히 계산합니다

flops_taihulight = 93 * 10**15  # Sunway TaihuLight: 초당 93 페타플롭스(PFLOPS)
seconds_per_year = 365.25 * 24 * 3600
age_of_universe_years = 13.8e9

years = combinations / flops_taihulight / seconds_per_year  # 한 조합을 연산 1번에 평가한다고 후하게 쳐도
print(f"가중치 개수: {n_weights}")
print(f"조합의 수: {candidates_per_weight}^{n_weights} = 10^{len(str(combinations)) - 1}")
print(f"TaihuLight로 걸리는 시간: {years:.3g}년")
print(f"우주의 나이({age_of_universe_years:.3g}년)의 {years / age_of_universe_years:.3g}배")

# %% [markdown]
# 가중치가 늘 때마다 조합의 수가 1000배씩 늘어납니다. 이렇게 차원이 늘수록 탐색 공간이 폭발하는 현상을 **차원의 저주(curse of dimensionality)** 라고 합니다.
# 경사 하강법은 지금 서 있는 곳의 기울기만으로 방향을 정하므로, 가중치가 몇백만 개라도 한 걸음에 드는 계산은 순전파 한 번과 역전파 한 번뿐입니다.
#
# ## 5. 전체 배치, 확률적, 미니배치
#
# 기울기를 구할 때 데이터를 얼마나 쓰느냐에 따라 세 가지로 나뉩니다.
#
# | 방법 | 한 번의 업데이트에 쓰는 데이터 | 한 에포크(epoch, 데이터 전체를 한 번 훑기)의 업데이트 수 |
# |---|---|---|
# | 전체 배치 경사 하강법(full-batch / batch gradient descent) | 전부 | 1 |
# | 확률적 경사 하강법(SGD) | 한 행 | 데이터 개수 |
# | 미니배치 경사 하강법(mini-batch gradient descent) | 정해 둔 개수(배치 크기, batch size) | 데이터 개수 ÷ 배치 크기 |
#
# 데이터는 $y = \sin(x)$에 작은 잡음을 더한 점 100개이고, 모델은 `MLP(1, [8, 1], activation="tanh")`, 손실은 평균제곱오차(MSE)입니다.
# 세 방법 모두 같은 초기 가중치, 같은 학습률에서 출발해 30 에포크를 학습합니다. `data.batches`가 에포크마다 데이터를 섞어 배치로 나눕니다.
#
# **실행하기 전에 예측해 보세요.** 30 에포크 뒤 손실이 가장 작은 방법은 무엇일까요? 손실 곡선이 가장 들쭉날쭉한 방법은요?

# %%
data_rng = np.random.default_rng(7)
x_train = data_rng.uniform(-3, 3, size=(100, 1))
y_train = np.sin(x_train[:, 0]) + 0.1 * data_rng.normal(size=100)

X_rows, y_list = x_train.tolist(), y_train.tolist()


def full_loss(model):
    return losses.mse([model(row) for row in X_rows], y_list).data


def train(batch_size, epochs=30, lr=0.05):
    model = MLP(1, [8, 1], activation="tanh", seed=3)
    optimizer = SGD(model.parameters(), lr=lr)
    epoch_losses, update_losses = [full_loss(model)], []
    for epoch in range(epochs):
        for X_batch, y_batch in data.batches(x_train, y_train, batch_size=batch_size, seed=epoch):
            loss = losses.mse([model(row) for row in X_batch.tolist()], y_batch.tolist())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            update_losses.append(loss.data)
        epoch_losses.append(full_loss(model))
    return model, epoch_losses, update_losses


methods = {"전체 배치 (100개)": None, "미니배치 (10개)": 10, "확률적 (1개)": 1}
results = {name: train(size) for name, size in tqdm(methods.items(), desc="학습")}
for name, (_, epoch_losses, update_losses) in results.items():
    print(f"업데이트 {len(update_losses):5d}번, 30 에포크 뒤 전체 데이터 손실 {epoch_losses[-1]:.4f}   {name}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(15, 4))
for name, (_, epoch_losses, update_losses) in results.items():
    axes[0].plot(epoch_losses, marker="o", markersize=3, label=name)
    axes[1].plot(update_losses, linewidth=0.7, alpha=0.8, label=name)
axes[0].set_xlabel("에포크")
axes[0].set_ylabel("전체 데이터의 MSE")
axes[0].set_title("에포크마다 잰 손실")
axes[1].set_xlabel("업데이트 횟수")
axes[1].set_ylabel("그 배치의 MSE")
axes[1].set_xscale("log")
axes[1].set_title("업데이트마다 본 손실 (가로축 로그)")
xs = np.linspace(-3, 3, 121)
axes[2].scatter(x_train[:, 0], y_train, s=8, color="gray", label="데이터")
for name, (model, _, _) in results.items():
    axes[2].plot(xs, [model([x]).data for x in xs], label=name)
axes[2].set_title("30 에포크 뒤의 예측")
for ax in axes:
    ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# 같은 학습률이라면 한 에포크에 업데이트를 많이 하는 방법이 같은 에포크 수 안에 더 멀리 갑니다(위에 출력한 손실을 비교해 보세요).
# 대신 확률적 경사 하강법은 한 행만 보고 움직이므로 업데이트마다의 손실이 크게 흔들립니다. 전체 배치는 매끄럽지만 에포크당 한 걸음뿐이라 느립니다. 미니배치는 그 사이에 있고,
# 실제로는 배치 하나의 계산을 행렬 연산으로 한꺼번에 처리할 수 있어 가장 많이 쓰입니다.
#
# 공정하게 비교하려면 업데이트 한 번의 비용도 따져야 합니다. 여기서는 세 방법 모두 에포크마다 100개의 행을 한 번씩 계산하므로 에포크당 계산량은 같습니다.
#
# ## 정리
#
# - 경사 하강법: $w \leftarrow w - \eta\,\partial E/\partial w$. 기울기가 작아지면 걸음도 작아집니다.
# - 학습률이 너무 작으면 느리고, 너무 크면(2차 함수에서는 2 / 이계 도함수 이상) 발산합니다.
# - 경사 하강법은 출발점 근처의 골짜기로 내려가므로 국소 최솟값에 갇힐 수 있습니다. 기울기의 잡음은 그곳을 빠져나오는 데 도움이 되기도 합니다.
# - 가중치 조합을 모두 시도하는 것은 가중치 25개만으로도 불가능합니다(차원의 저주).
# - 전체 배치·미니배치·확률적 경사 하강법은 한 번의 업데이트에 쓰는 데이터의 양이 다릅니다.
#
# ### 더 해 보기
# - 5절에서 확률적 경사 하강법의 학습률을 0.2로 올리면 어떻게 될까요? 전체 배치는 학습률을 얼마까지 올릴 수 있을까요?
# - 3절의 잡음 실험에서 잡음을 줄이지 않고(`1 - t / steps`를 빼고) 돌리면 도착점은 어떻게 퍼질까요?
