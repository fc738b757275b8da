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
# # 10b. 가중치 초기화와 정규화 (weight initialization and normalization)
#
# 10번 노트북이 '학습은 되는데 너무 잘 외우는' 문제를 다뤘다면, 이 노트북은 그 앞의 문제, **깊은 신경망이 아예 학습되지 않는** 문제를 다룹니다.
# 모든 숫자는 노트북 안에서 재고 출력합니다. 차례는 이렇습니다.
#
# 1. 가중치를 모두 같은 값으로 시작하면 은닉 뉴런들이 끝까지 똑같이 남는 것(**대칭(symmetry)**)을 봅니다.
# 2. 초기화(큰/작은 무작위 수, 작은 균등분포, Xavier, He)마다 층별 **활성값(activation)** 의 히스토그램을 그리고(『밑바닥부터 시작하는 딥러닝』의 실험),
#    히스토그램이 보여 주지 않는 것, 곧 **입력마다 얼마나 다른 값이 나오는지** 도 잽니다.
# 3. 같은 초기화로 실제로 학습해 손실 곡선을 비교합니다.
# 4. 깊은 시그모이드(sigmoid) 신경망에서 첫 층까지 오는 기울기가 얼마나 줄어드는지, 왜 줄어드는지를 층마다 잽니다(**기울기 소실(vanishing gradient)**).
# 5. **배치 정규화(batch normalization)** 가 그것을 어떻게 고치는지 숫자로 보고, 역전파를 계산 그래프로 그리고, 가중치의 크기에 얼마나 둔감한지 재고,
#    학습 모드와 평가 모드의 통계를 확인합니다.
# 6. **잔차 연결(residual connection)** 을 정의하고, 첫 층의 기울기와 학습 곡선을 봅니다.
#
# 학습은 모두 **전체 배치(full batch)** 로 합니다. 매 걸음 훈련 데이터 전체의 기울기로 가중치를 옮기므로 이것은 확률적 경사 하강법(SGD)이 아니라
# **경사 하강법(gradient descent)** 입니다(옵티마이저 클래스 이름은 `SGD`이지만, 배치를 나누지 않으면 하는 일은 경사 하강법입니다).

# %%
import math

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, draw, losses, nn, no_grad
from micrograd_ko.compiler import trace
from micrograd_ko.optim import SGD

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 0. 데이터와 학습 함수
#
# 반달 데이터(moons) 24개(잡음 0.1)를 표준화해서 모든 실험에 씁니다. 손실은 소프트맥스 교차 엔트로피(softmax cross-entropy)의 평균입니다.
#
# 배치 정규화가 없는 모델은 15번 노트북의 **컴파일 모드(compiled mode)** 로 학습합니다. 샘플 하나의 그래프를 한 번 기록(`trace`)해 두고
# 배치 전체를 numpy로 한꺼번에 계산하므로 수십 배 빠르고, 숫자는 즉시 실행(eager)과 같습니다. 기록할 때는 정답 클래스도 입력 숫자로 들어가므로,
# 클래스가 둘일 때의 교차 엔트로피 $-\log \mathrm{softmax}(z)_y = \mathrm{softplus}(z_{1-y} - z_y)$(10번 노트북 7절)를 씁니다.
# 두 계산이 같은 손실과 같은 기울기를 내는지 먼저 확인합니다.
# (배치 정규화는 학습할 때 배치 전체의 통계를 쓰므로 샘플 하나의 기록으로는 계산할 수 없습니다. 그 모델은 즉시 실행으로 학습합니다.)

# %%
X, y = data.moons(n=24, noise=0.1, seed=0, sampling="random")
X = (X - X.mean(axis=0)) / X.std(axis=0)
BATCH = np.column_stack([X, y])  # 한 행이 한 샘플: (x1, x2, 정답 클래스)


def mean_loss(logits, labels):
    """즉시 실행: 평균 소프트맥스 교차 엔트로피."""
    return Value.sum(losses.softmax_cross_entropy(row, int(c)) for row, c in zip(logits, labels)) / len(labels)


def per_sample_loss(model):
    """컴파일 모드로 기록할 샘플 하나의 손실: softplus((z1 - z0)·(1 - 2y))."""

    def loss(sample):
        z = model([sample[:2]])[0]
        return ((z[1] - z[0]) * (1 - 2 * sample[2])).softplus()

    return loss


def train_compiled(model, lr, steps):
    """전체 배치 경사 하강법(컴파일 모드). 걸음마다 (갱신 전) 훈련 손실을 기록합니다."""
    params = model.parameters()
    program = trace(per_sample_loss(model), BATCH[0].tolist(), params)
    optimizer = SGD(params, lr=lr)
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        history.append(program.loss(BATCH))
        program.backward()
        optimizer.step()
    return history


def train_eager(model, lr, steps):
    """전체 배치 경사 하강법(즉시 실행)."""
    optimizer = SGD(model.parameters(), lr=lr)
    history = []
    for _ in range(steps):
        loss = mean_loss(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    return history


def mlp(activation, init, depth, width, seed=0):
    """2 → width → … → width → 2, 은닉층 depth개. activation은 nn.Sigmoid 또는 nn.ReLU."""
    modules, fan_in = [], 2
    for k in range(depth):
        modules += [nn.Linear(fan_in, width, init=init, seed=seed + k), activation()]
        fan_in = width
    modules.append(nn.Linear(fan_in, 2, init=init, seed=seed + depth))
    return nn.Sequential(*modules)


twin_a, twin_b = mlp(nn.ReLU, "he", 3, 8), mlp(nn.ReLU, "he", 3, 8)
eager_history = train_eager(twin_a, lr=0.1, steps=5)
compiled_history = train_compiled(twin_b, lr=0.1, steps=5)
print("즉시 실행 손실:", np.round(eager_history, 6))
print("컴파일 손실:   ", np.round(compiled_history, 6))
weight_gap = max(abs(a.data - b.data) for a, b in zip(twin_a.parameters(), twin_b.parameters()))
print(f"5걸음 뒤 두 모델의 가중치 차이의 최댓값: {weight_gap:.1e}")

# %% [markdown]
# ## 1. 모두 같은 가중치로 시작하면: 대칭이 깨지지 않는다
#
# 가중치를 0으로 시작하면 안 될까요? 은닉 뉴런 4개짜리 신경망(2 → 4 → 2, 시그모이드)을 세 가지로 시작해 같은 경사 하강법(학습률(learning rate) 3.0)으로 300걸음 학습합니다.
#
# - 모든 가중치와 편향을 **0** 으로,
# - 모든 가중치를 **0.5** 로(편향은 0),
# - 보통처럼 **무작위** 로(`'uniform'`, 아래 2절).
#
# **실행하기 전에 예측해 보세요.** 모두 0(또는 모두 0.5)으로 시작한 신경망의 은닉 뉴런 4개는 300걸음 뒤 서로 다른 가중치를 갖게 될까요?

# %%
SYMMETRY_STEPS = 300


def small_model(start):
    model = nn.Sequential(nn.Linear(2, 4, seed=0), nn.Sigmoid(), nn.Linear(4, 2, seed=1))
    if start != "무작위":
        for layer in (model[0], model[2]):
            for row in layer.weight:
                for w in row:
                    w.data = start
            for b in layer.bias:
                b.data = 0.0
    return model


def weight_rows(layer):
    return np.array([[w.data for w in row] for row in layer.weight])


zero = small_model(0.0)
zero.zero_grad()
mean_loss(zero(X), y).backward()
print(f"클래스별 점의 수 {np.bincount(y).tolist()};  모두 0에서 시작한 신경망의 첫 기울기 중 절댓값의 최댓값: "
      f"{max(abs(p.grad) for p in zero.parameters()):.1e}")
symmetry_runs = {}
for start in (0.0, 0.5, "무작위"):
    model = small_model(start)
    before = weight_rows(model[0])
    history = train_compiled(model, lr=3.0, steps=SYMMETRY_STEPS)
    after = weight_rows(model[0])
    symmetry_runs[start] = (model, history)
    print(f"시작 {start!r}: 첫 층 가중치가 움직인 거리의 최댓값 {np.abs(after - before).max():.3f}, "
          f"은닉 뉴런 4개의 가중치 행끼리 차이의 최댓값 {np.abs(after - after[0]).max():.3g}, "
          f"출력층의 열끼리 차이의 최댓값 {np.abs(weight_rows(model[2]) - weight_rows(model[2])[:, :1]).max():.3g}, "
          f"마지막 손실 {history[-1]:.3f}")
print("학습된 첫 층 가중치(시작 0.5, 행 하나가 은닉 뉴런 하나):")
print(np.round(weight_rows(symmetry_runs[0.5][0][0]), 4))

# %% [markdown]
# 0이나 0.5로 시작한 신경망의 첫 층 가중치는 학습 중에 움직였지만(움직인 거리가 0이 아닙니다), 은닉 뉴런 4개의 가중치 행은 서로 **정확히 같습니다**(차이 0).
# 이유는 계산 자체에 있습니다. 네 뉴런이 같은 가중치를 가지면 같은 입력에 같은 출력을 내고, 출력층의 가중치도 같으니 역전파로 받는 기울기도 같습니다.
# 같은 값에서 같은 기울기만큼 움직이면 다음 걸음에도 같습니다. 이 **대칭** 은 경사 하강법으로는 영원히 깨지지 않으므로,
# 은닉 뉴런 4개는 뉴런 1개와 같은 일밖에 못 합니다. 뉴런 하나 $\sigma(\mathbf w\cdot\mathbf x + b)$는 $\mathbf w\cdot\mathbf x$의 단조 함수이므로 결정 경계는 직선입니다.
# 무작위 초기화는 뉴런마다 다른 출발점을 주어 이 대칭을 처음부터 깹니다.


# %%
def numpy_forward(model, inputs):
    """Linear, Sigmoid, ReLU로 된 model과 같은 계산을 numpy로 합니다(그림을 그리기 위한 격자 평가)."""
    h = np.asarray(inputs, dtype=float)
    for module in model:
        if isinstance(module, nn.Linear):
            h = h @ weight_rows(module).T + np.array([b.data for b in module.bias])
        elif isinstance(module, nn.Sigmoid):
            h = 1.0 / (1.0 + np.exp(-h))
        elif isinstance(module, nn.ReLU):
            h = np.maximum(h, 0.0)
        else:
            raise TypeError(f"numpy_forward does not know {module!r}")
    return h


grid_x, grid_y = np.meshgrid(np.linspace(-2.2, 2.2, 100), np.linspace(-2.2, 2.2, 100))
grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
fig, axes = plt.subplots(1, 4, figsize=(15, 3.4))
for ax, (start, (model, history)) in zip(axes, symmetry_runs.items()):
    axes[3].plot(range(1, SYMMETRY_STEPS + 1), history, label=f"시작 {start!r}")
    scores = numpy_forward(model, grid)
    ax.contourf(grid_x, grid_y, (scores[:, 1] - scores[:, 0]).reshape(grid_x.shape) > 0, levels=1,
                colors=["#dbe8f5", "#f7dcdc"])
    for label, color in [(0, "tab:blue"), (1, "tab:red")]:
        ax.scatter(*X[y == label].T, s=25, color=color, edgecolor="black")
    accuracy = np.mean(numpy_forward(model, X).argmax(axis=1) == y)
    ax.set_title(f"시작 {start!r}: 정확도 {accuracy:.0%}")
    ax.set_xlabel("x1")
axes[0].set_ylabel("x2")
axes[3].set_xlabel("경사 하강법 걸음")
axes[3].set_ylabel("훈련 손실")
axes[3].set_title("손실 곡선")
axes[3].legend()
fig.suptitle(f"경사 하강법(학습률 3.0) {SYMMETRY_STEPS}걸음 뒤의 결정 경계", y=1.03)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 2. 초기화마다 층별 활성값의 분포
#
# 『밑바닥부터 시작하는 딥러닝』(Deep Learning from Scratch)의 실험입니다. 표준정규분포에서 뽑은 입력 1000개를, 뉴런 100개짜리 층 다섯 개에 통과시키고
# 층마다 **활성값** 의 히스토그램을 그립니다. 바꾸는 것은 가중치를 뽑는 분포 하나뿐입니다(`nn.init_weights`, `nn.Linear(init=...)`가 쓰는 함수). 편향은 0입니다.
#
# | 이름 | 분포 | 가중치의 분산 | 비고 |
# |---|---|---|---|
# | `1.0` | $N(0, 1)$ | $1$ | 큰 무작위 수 |
# | `0.01` | $N(0, 0.01^2)$ | $10^{-4}$ | 작은 무작위 수 |
# | `'uniform'` | $U(-1/\sqrt{n}, 1/\sqrt{n})$ | $1/(3n)$ | 작은 균등분포, PyTorch `Linear`의 기본값 |
# | `'xavier'` | $N(0, 2/(n_{in}+n_{out}))$ | $1/n$ (여기서는 $n_{in}=n_{out}=n$) | Xavier(Glorot) 초깃값, 시그모이드·tanh용 |
# | `'he'` | $N(0, 2/n_{in})$ | $2/n$ | He(Kaiming) 초깃값, ReLU용 |
#
# 층이 크므로(층마다 가중치 10,000개) 순전파는 numpy 행렬 곱으로 합니다. 같은 함수를 쓰는 `nn.Linear`의 가중치와 같은지 먼저 확인합니다.
#
# 히스토그램은 모든 뉴런과 모든 입력의 활성값을 한데 모은 것입니다. 그래서 하나를 더 잽니다. 뉴런 하나를 정해 입력 1000개에 대한 출력의 표준편차를 구하고
# 뉴런 100개에 대해 평균한 **표본 사이의 퍼짐** 입니다. 이것이 작으면 그 층은 입력이 무엇이든 거의 같은 값을 냅니다.
#
# **실행하기 전에 예측해 보세요.** 시그모이드 신경망에서 `'uniform'`과 `'xavier'` 중 5층까지 활성값의 폭을 유지하는 것은 어느 쪽일까요? 표본 사이의 퍼짐은요?

# %%
WIDTH, DEPTH = 100, 5
inputs = np.random.default_rng(0).normal(size=(1000, WIDTH))


def layer_weights(init, layer):
    return np.array(nn.init_weights(init, WIDTH, WIDTH, WIDTH * WIDTH, seed=layer)).reshape(WIDTH, WIDTH)


same = nn.Linear(WIDTH, WIDTH, init="xavier", seed=0)
print("nn.Linear(init='xavier', seed=0)와 같은 가중치:", np.array_equal(weight_rows(same), layer_weights("xavier", 0)))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def relu(x):
    return np.maximum(x, 0.0)


def layer_values(act, init):
    """층마다 (사전 활성값 z, 활성값 h = act(z))."""
    h, out = inputs, []
    for layer in range(DEPTH):
        z = h @ layer_weights(init, layer).T
        h = act(z)
        out.append((z, h))
    return out


def sample_spread(h):
    """뉴런마다 입력 1000개에 대한 표준편차를 구해 뉴런 100개에 대해 평균합니다."""
    return float(h.std(axis=0).mean())


experiments = [("시그모이드(sigmoid)", sigmoid, [1.0, 0.01, "uniform", "xavier"]),
               ("ReLU", relu, [0.01, "uniform", "xavier", "he"])]
init_stats = {}
for title, act, inits in experiments:
    fig, axes = plt.subplots(len(inits), DEPTH, figsize=(13, 1.9 * len(inits)), sharex=act is sigmoid)
    print(title)
    for r, init in enumerate(inits):
        values = layer_values(act, init)
        for k, (z, h) in enumerate(values):
            ax = axes[r, k]
            if act is sigmoid:
                counts, edges = np.histogram(h, bins=30, range=(0, 1))
            else:  # ReLU: 절반쯤인 0은 빼고, 칸마다 자기 범위로 그립니다(층마다 크기가 몇 자릿수씩 다릅니다)
                top = float(h.max())
                counts, edges = np.histogram(h[h > 0], bins=30, range=(0, top))
                ax.set_xlim(0, top)
                ax.set_xticks([0, top], ["0", f"{top:.1e}"])
            ax.stairs(counts, edges, fill=True, color="tab:blue")
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"{k + 1}층")
            if r == len(inits) - 1:
                ax.set_xlabel("활성값" if act is sigmoid else "0보다 큰 활성값")
        axes[r, 0].set_ylabel(f"init={init!r}", rotation=0, ha="right", va="center")
        hs = [h for _, h in values]
        stats = {"std": [h.std() for h in hs], "spread": [sample_spread(h) for h in hs]}
        print(f"  init={init!r:10s} 층별 표준편차      " + " ".join(f"{s:9.2e}" for s in stats["std"]))
        print(f"  {'':15s} 표본 사이의 퍼짐    " + " ".join(f"{s:9.2e}" for s in stats["spread"]))
        if act is sigmoid:
            saturated = np.mean((hs[-1] < 0.01) | (hs[-1] > 0.99))
            print(f"  {'':15s} 5층에서 0.01 미만 또는 0.99 초과(포화): {saturated:.0%}, 층별 활성값의 평균 "
                  + " ".join(f"{h.mean():.3f}" for h in hs))
        else:
            second = [np.mean(h**2) / z.var() for z, h in values]
            variance = [h.var() / z.var() for z, h in values]
            stats["second"], stats["variance"] = second, variance
            print(f"  {'':15s} 0인 활성값 {np.mean(hs[-1] == 0):.0%} (5층),  E[h²]/Var(z) "
                  + " ".join(f"{s:.2f}" for s in second) + ",  Var(h)/Var(z) " + " ".join(f"{s:.2f}" for s in variance))
        init_stats[(title, init)] = stats
    fig.suptitle(f"{title}: 층별 활성값 히스토그램 (세로축: 개수)" + ("" if act is sigmoid else ", 칸마다 가로축 범위가 다릅니다"))
    fig.subplots_adjust(left=0.1, hspace=0.5 if act is relu else 0.35)
    plt.show()

# %%
uniform, xavier = init_stats[("시그모이드(sigmoid)", "uniform")], init_stats[("시그모이드(sigmoid)", "xavier")]
for name, stats in [("uniform", uniform), ("xavier", xavier)]:
    shrink = (stats["spread"][0] / stats["spread"][-1]) ** (1 / (DEPTH - 1))
    print(f"시그모이드, {name:8s}: 2~5층 표준편차 {min(stats['std'][1:]):.3f}~{max(stats['std'][1:]):.3f}, "
          f"표본 사이의 퍼짐은 층마다 평균 1/{shrink:.1f}배")
print(f"2~5층 표준편차의 비 xavier/uniform: {np.mean(xavier['std'][1:]) / np.mean(uniform['std'][1:]):.2f}, "
      f"5층 표본 사이의 퍼짐의 비: {xavier['spread'][-1] / uniform['spread'][-1]:.1f}")
print(f"√3 = {math.sqrt(3):.2f} (두 초기화의 가중치 표준편차의 비)")
he = init_stats[("ReLU", "he")]
print(f"ReLU, He: E[h²]/Var(z)의 층 평균 {np.mean(he['second']):.2f}, Var(h)/Var(z)의 층 평균 {np.mean(he['variance']):.2f}, "
      f"정규분포 z에서의 이론값 1/2과 1/2 - 1/(2π) = {0.5 - 1 / (2 * math.pi):.3f}")

# %% [markdown]
# ## 3. 초기화마다 학습 곡선
#
# 히스토그램은 학습 전의 모습입니다. 같은 초기화로 실제로 학습하면 어떻게 될까요? 은닉층 5개(각 10개 뉴런)짜리 신경망을 0절의 반달 24개에
# 경사 하강법(학습률 0.3)으로 150걸음 학습합니다. 초기화만 다르고 나머지는 모두 같습니다.
#
# **실행하기 전에 예측해 보세요.** ReLU 신경망에서 가장 빨리 학습되는 초기화는 무엇이고, 전혀 학습되지 않는 것은 무엇일까요? 시그모이드 신경망에서는요?

# %%
INIT_LR, INIT_STEPS = 0.3, 150
init_experiments = [("ReLU", nn.ReLU, [0.01, "uniform", "xavier", "he"]),
                    ("시그모이드", nn.Sigmoid, [1.0, 0.01, "uniform", "xavier"])]
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True)
for ax, (title, activation, inits) in zip(axes, init_experiments):
    for init in inits:
        history = train_compiled(mlp(activation, init, depth=5, width=10), lr=INIT_LR, steps=INIT_STEPS)
        ax.plot(range(1, INIT_STEPS + 1), history, label=f"init={init!r}")
        below = next((k + 1 for k, loss in enumerate(history) if loss < 0.5), None)
        print(f"{title:5s} init={init!r:10s} 처음 손실 {history[0]:.3f}, {INIT_STEPS}걸음 뒤 {history[-1]:.4f}, "
              f"손실이 처음 0.5 아래로 내려간 걸음: {below if below else '없음'}")
    ax.axhline(math.log(2), color="gray", linestyle=":", label="ln 2")
    ax.set_title(f"{title}, 은닉층 5개 × 뉴런 10개")
    ax.set_xlabel("경사 하강법 걸음")
    ax.set_yscale("log")
    ax.legend(fontsize=8)
axes[0].set_ylabel("훈련 손실 (로그 눈금)")
plt.show()
print(f"ln 2 = {math.log(2):.4f}: 입력과 상관없이 두 클래스에 반반씩 거는 모델의 손실")

# %% [markdown]
# ## 4. 깊은 시그모이드 신경망: 첫 층까지 오는 기울기
#
# 너비 6, 시그모이드 은닉층 여러 개짜리 신경망(PyTorch 기본 초깃값 `'uniform'`)으로 학습 전에 한 번 역전파하고,
# 층마다 가중치에 도착한 기울기의 크기 $\lVert\partial L/\partial W_k\rVert$(원소 제곱합의 제곱근)를 잽니다.
#
# **실행하기 전에 예측해 보세요.** 시그모이드의 도함수는 최대 $1/4$입니다. 은닉층이 2개에서 10개로 늘면 첫 층의 기울기는 몇 자릿수 줄어들까요?
# 층 하나를 지날 때마다 몇 분의 일이 될까요?

# %%
HIDDEN = 6


def deep_model(depth, batchnorm=False, init="uniform", seed=0):
    """시그모이드 은닉층 depth개(너비 6). batchnorm=True이면 Linear와 Sigmoid 사이에 BatchNorm1d를 둡니다."""
    modules, fan_in = [], 2
    for k in range(depth):
        modules.append(nn.Linear(fan_in, HIDDEN, init=init, seed=seed + k))
        if batchnorm:
            modules.append(nn.BatchNorm1d(HIDDEN))
        modules.append(nn.Sigmoid())
        fan_in = HIDDEN
    modules.append(nn.Linear(HIDDEN, 2, init=init, seed=seed + depth))
    return nn.Sequential(*modules)


def record(model):
    """즉시 실행으로 순전파와 역전파를 하고, 모듈마다 (모듈, 출력 배치)를 돌려줍니다. 출력의 .grad는 ∂L/∂(그 출력)입니다."""
    h, outputs = [[Value(v) for v in row] for row in X], []
    for module in model:
        h = module(h)
        outputs.append((module, h))
    model.zero_grad()
    mean_loss(h, y).backward()
    return outputs


def values(batch, attribute="data"):
    return np.array([[getattr(v, attribute) for v in row] for row in batch])


def weight_grad_norms(model):
    return [math.sqrt(sum(w.grad**2 for row in m.weight for w in row)) for m in model if isinstance(m, nn.Linear)]


DEPTHS = (2, 4, 6, 8, 10)
first_grads = {}
for depth in DEPTHS:
    model = deep_model(depth)
    record(model)
    first_grads[depth] = weight_grad_norms(model)[0]
    print(f"은닉층 {depth:2d}개: 첫 층의 기울기 {first_grads[depth]:.2e}", end="")
    if depth > DEPTHS[0]:
        previous = first_grads[depth - 2]
        print(f"   (은닉층 2개가 늘 때 1/{previous / first_grads[depth]:.0f}배, 층 하나에 1/{math.sqrt(previous / first_grads[depth]):.1f}배)")
    else:
        print()
print(f"은닉층 2개 → 10개: 1/{first_grads[2] / first_grads[10]:.1e}배, 층 하나에 평균 1/{(first_grads[2] / first_grads[10]) ** (1 / 8):.1f}배")

# %% [markdown]
# 층 하나가 늘 때마다 첫 층의 기울기는 이 실험에서 평균 약 6분의 1(위에서 출력한 값)이 됩니다. 은닉층 10개면 2개일 때의 수억 분의 일입니다.
#
# 왜 줄어들까요? 은닉층 $k$의 출력을 $h_k = \sigma(z_k)$, $z_k = W_k h_{k-1} + b_k$라 하면 연쇄 법칙(chain rule)으로
#
# $$\frac{\partial L}{\partial h_{k-1}} = W_k^\top \,\mathrm{diag}\big(\sigma'(z_k)\big)\, \frac{\partial L}{\partial h_k}$$
#
# 입니다. 층 하나를 지날 때마다 기울기에 $W_k^\top \mathrm{diag}(\sigma')$가 곱해집니다. $\sigma' \le 1/4$이지만 $W_k$는 크기에 제한이 없으므로,
# '층마다 적어도 1/4배'라는 한계는 없습니다. 가중치가 크면 이 배율이 1을 넘을 수도 있습니다. 같은 신경망(은닉층 10개)을 `'uniform'`과 큰 가중치 $N(0, 8^2)$로
# 시작해 층마다의 배율 $\lVert\partial L/\partial h_{k-1}\rVert / \lVert\partial L/\partial h_k\rVert$를 직접 잽니다.

# %%
for init in ("uniform", 8.0):
    model = deep_model(10, init=init)
    outputs = record(model)
    hidden = [batch for module, batch in outputs if isinstance(module, nn.Sigmoid)]
    grad_norms = [np.linalg.norm(values(h, "grad")) for h in hidden]
    factors = [grad_norms[k] / grad_norms[k + 1] for k in range(len(hidden) - 1)]
    sigma_prime = [np.mean(values(h) * (1 - values(h))) for h in hidden]
    print(f"init={init!r}: 층마다 기울기의 배율 " + " ".join(f"{f:.3f}" for f in factors))
    print(f"{'':13s} 1을 넘은 층 {sum(f > 1 for f in factors)}개, 평균 σ′ {np.mean(sigma_prime):.3f}, "
          f"가중치 행렬의 최대 특잇값(spectral norm) 평균 {np.mean([np.linalg.norm(weight_rows(m), 2) for m in model if isinstance(m, nn.Linear)][1:-1]):.2f}")

# %% [markdown]
# `'uniform'`에서는 배율이 모두 1보다 작고, 큰 가중치에서는 1을 넘는 층도 있습니다. 배율을 정하는 것은 $\sigma'$ 하나가 아니라 $\sigma'$와 $W$의 곱입니다.
# (큰 가중치는 대신 시그모이드를 포화(saturation)시켜, 2절에서 본 것처럼 활성값이 0과 1에 몰립니다.)
#
# 그러면 `'uniform'` 신경망의 시그모이드는 포화되어 있을까요? 순전파 쪽도 층마다 잽니다. 은닉층 6개짜리에서, 층마다
#
# - **사전 활성값(pre-activation)** $z_k$의 절댓값 평균(0에서 얼마나 먼가, 곧 포화되었는가),
# - 시그모이드 도함수 $\sigma'(z_k)$의 평균(최대는 $1/4$),
# - 뉴런마다 배치 24개에 대한 $z_k$의 표준편차를 뉴런 6개에 대해 평균한 값(**표본 사이의 퍼짐**, 2절과 같은 것)
#
# 입니다. 마지막으로 출력 점수의 차이 $z_1 - z_0$(로짓(logit)의 차이)가 샘플마다 얼마나 다른지도 잽니다.

# %%
DEPTH_TRAIN = 6


def layer_table(model):
    """Linear 층마다 (|z|의 평균, σ′의 평균, 표본 사이의 퍼짐). BatchNorm1d가 있으면 σ′는 그 다음 Sigmoid의 입력으로 잽니다."""
    outputs = record(model)
    rows, z = [], None
    for module, batch in outputs:
        if isinstance(module, nn.Linear):
            z = values(batch)
        elif isinstance(module, nn.Sigmoid):
            h = values(batch)
            rows.append((np.abs(z).mean(), np.mean(h * (1 - h)), z.std(axis=0).mean()))
    logits = values(outputs[-1][1])
    return rows, (logits[:, 1] - logits[:, 0]).std(), outputs


plain_rows, plain_logit_spread, _ = layer_table(deep_model(DEPTH_TRAIN))
print(f"{'층':>3s} {'|z|의 평균':>10s} {'σ′의 평균':>9s} {'표본 사이의 퍼짐':>14s}")
for k, (mean_abs, sigma_prime, spread) in enumerate(plain_rows, start=1):
    print(f"{k:3d} {mean_abs:10.3f} {sigma_prime:9.3f} {spread:14.1e}")
print(f"출력 로짓 차이 z1 - z0의 샘플 사이 표준편차: {plain_logit_spread:.1e}")

# %% [markdown]
# 2~6층의 사전 활성값은 절댓값 평균이 0.3 아래로 0 근처에 있고, $\sigma'$의 평균은 최대인 $1/4 = 0.25$에 가깝습니다(위 표). 시그모이드는 **포화되지 않았습니다**.
# 무너지는 것은 **샘플 사이의 차이** 입니다. 뉴런 하나가 배치의 24개 입력에 대해 내는 값의 표준편차가 층마다 몇 분의 일로 줄어,
# 6층에서는 $10^{-4}$보다 작습니다. 출력 로짓의 차이도 샘플마다 거의 같으니, 이 신경망은 **어떤 입력에도 거의 같은 답** 을 냅니다.
#
# 순전파의 퍼짐과 역전파의 기울기는 같은 이유로 줄어듭니다. 입력의 작은 차이 $\Delta h_{k-1}$은 다음 층에서 $\mathrm{diag}(\sigma')\,W_k\,\Delta h_{k-1}$이 되고,
# 이것은 역전파에서 기울기에 곱해지는 행렬의 전치입니다. 층마다 그 크기가 1보다 작으니 앞으로는 입력의 차이가, 뒤로는 기울기가 층마다 같은 꼴로 줄어듭니다.

# %% [markdown]
# ## 5. 배치 정규화: 사라진 퍼짐을 되살린다
#
# **배치 정규화(batch normalization)** 는 뉴런마다 배치의 평균 $\mu_B$와 분산 $\sigma_B^2$로 입력을 정규화한 뒤, 학습되는 $\gamma$배로 늘리고 $\beta$만큼 옮깁니다.
#
# $$\hat x_i = \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \qquad y_i = \gamma\,\hat x_i + \beta, \qquad
# \mu_B = \frac1N\sum_{i=1}^N x_i,\quad \sigma_B^2 = \frac1N\sum_{i=1}^N (x_i - \mu_B)^2$$
#
# ($\epsilon = 10^{-5}$은 0으로 나누지 않게 하는 작은 수, $N$은 배치의 샘플 수입니다. $\gamma$는 1, $\beta$는 0에서 시작합니다.)
# `nn.BatchNorm1d`를 각 `Linear`와 `Sigmoid` 사이에 끼우고, 나머지는 같은 초기 가중치입니다.
#
# 4절의 숫자로 보면 일어날 일을 예상할 수 있습니다. 앞으로는 아주 작은 $\sigma_B$로 나누니 샘플 사이의 차이가 표준편차 1로 되살아나고,
# 뒤로는 $\partial y_i/\partial x_i$에 $\gamma/\sigma_B$가 들어 있어 기울기가 그만큼 커집니다.
#
# **실행하기 전에 예측해 보세요.** 배치 정규화를 넣으면 시그모이드의 입력은 4절보다 0에 더 가까워질까요, 멀어질까요? 첫 층의 기울기는 깊이에 따라 어떻게 될까요?

# %%
print(f"{'은닉층 수':>8s} {'시그모이드만':>12s} {'배치 정규화':>12s}")
for depth in DEPTHS:
    model = deep_model(depth, batchnorm=True)
    record(model)
    print(f"{depth:8d} {first_grads[depth]:12.2e} {weight_grad_norms(model)[0]:12.2e}")

bn_rows, bn_logit_spread, bn_outputs = layer_table(deep_model(DEPTH_TRAIN, batchnorm=True))
print(f"\n배치 정규화, 은닉층 {DEPTH_TRAIN}개")
print(f"{'층':>3s} {'σ_B(배치 정규화 전 퍼짐)':>22s} {'γ/σ_B':>8s} {'정규화 뒤 퍼짐':>12s} {'|정규화 뒤|의 평균':>16s} {'σ′의 평균':>9s} {'기울기 배율':>10s}")
k = 0
for (module, batch), (_, after) in zip(bn_outputs, bn_outputs[1:]):
    if isinstance(module, nn.Linear) and isinstance(_, nn.BatchNorm1d):
        x, out = values(batch), values(after)
        sigma_b = np.sqrt(x.var(axis=0) + _.eps)  # 뉴런마다, 1/N 분산
        gamma = np.array([g.data for g in _.weight])
        ratio = np.linalg.norm(values(batch, "grad")) / np.linalg.norm(values(after, "grad"))
        print(f"{k + 1:3d} {sigma_b.mean():22.1e} {np.mean(gamma / sigma_b):8.1f} {out.std(axis=0).mean():12.4f} "
              f"{np.abs(out).mean():16.3f} {bn_rows[k][1]:9.3f} {ratio:10.1f}")
        k += 1
print(f"출력 로짓 차이 z1 - z0의 샘플 사이 표준편차: {bn_logit_spread:.2f} (시그모이드만: {plain_logit_spread:.1e})")
