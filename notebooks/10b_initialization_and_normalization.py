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
# 1. 가중치를 모두 같은 값으로 시작하면 은닉층(hidden layer)의 뉴런들이 끝까지 똑같이 남는 것(**대칭(symmetry)**)을 봅니다.
# 2. 초기화(큰/작은 무작위 수, 작은 균등분포, Xavier, He)마다 층별 **활성값(activation)** 의 히스토그램을 그리고(『밑바닥부터 시작하는 딥러닝』의 실험),
#    히스토그램이 보여 주지 않는 것, 곧 **입력마다 얼마나 다른 값이 나오는지** 도 잽니다.
# 3. 같은 초기화로 실제로 학습해 손실 곡선을 비교합니다.
# 4. 깊은 시그모이드(sigmoid) 신경망에서 첫 층까지 오는 기울기가 얼마나 줄어드는지, 왜 줄어드는지를 층마다 잽니다(**기울기 소실(vanishing gradient)**).
# 5. **배치 정규화(batch normalization)** 가 그것을 어떻게 고치는지 숫자로 보고, 역전파(backpropagation)를 계산 그래프(computational graph)로 그리고, 가중치의 크기에 얼마나 둔감한지 재고,
#    학습 모드와 평가 모드의 통계를 확인합니다.
# 6. **잔차 연결(residual connection)** 을 정의하고, 첫 층의 기울기와 학습 곡선을 봅니다.
#
# 학습은 모두 **전체 배치(full batch)** 로 합니다. 매 걸음 훈련 데이터 전체의 기울기로 가중치를 옮기므로 이것은 확률적 경사 하강법(SGD)이 아니라
# **경사 하강법(gradient descent)** 입니다(옵티마이저 클래스 이름은 `SGD`이지만, 배치를 나누지 않으면 하는 일은 경사 하강법입니다).

# %%
import itertools
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
# 배치 전체를 numpy로 한꺼번에 계산하므로, 샘플마다 그래프를 새로 만드는 즉시 실행(eager)보다 빠릅니다. 기록할 때는 정답 클래스도 입력 숫자로 들어가므로,
# 클래스가 둘일 때의 교차 엔트로피 $-\log \mathrm{softmax}(z)_y = \mathrm{softplus}(z_{1-y} - z_y)$(10번 노트북의 '로지스틱 회귀는 클래스 두 개짜리 소프트맥스')를 씁니다.
# 배치 정규화는 학습할 때 배치 전체의 통계를 쓰므로 샘플 하나의 기록으로는 계산할 수 없어서, 그 모델은 즉시 실행으로 학습합니다.
# 두 방법이 같은 모델을 같게 학습하는지 먼저 확인합니다.
#
# **실행하기 전에 예측해 보세요.** 같은 모델을 즉시 실행과 컴파일 모드로 5걸음 학습하면 손실은 몇 자리까지 같을까요?

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
print(
    f"클래스별 점의 수 {np.bincount(y).tolist()};  모두 0에서 시작한 신경망의 첫 기울기 중 절댓값의 최댓값: "
    f"{max(abs(p.grad) for p in zero.parameters()):.1e}"
)
symmetry_runs = {}
for start in (0.0, 0.5, "무작위"):
    model = small_model(start)
    before = weight_rows(model[0])
    history = train_compiled(model, lr=3.0, steps=SYMMETRY_STEPS)
    after = weight_rows(model[0])
    symmetry_runs[start] = (model, history)
    print(
        f"시작 {start!r}: 첫 층 가중치가 움직인 거리의 최댓값 {np.abs(after - before).max():.3f}, "
        f"은닉 뉴런 4개의 가중치 행끼리 차이의 최댓값 {np.abs(after - after[0]).max():.3g}, "
        f"출력층의 열끼리 차이의 최댓값 {np.abs(weight_rows(model[2]) - weight_rows(model[2])[:, :1]).max():.3g}, "
        f"마지막 손실 {history[-1]:.3f}"
    )
print("학습된 첫 층 가중치(시작 0.5, 행 하나가 은닉 뉴런 하나):")
print(np.round(weight_rows(symmetry_runs[0.5][0][0]), 4))

# %% [markdown]
# 두 경우가 다르게 실패합니다.
#
# - **모두 0**: 아무것도 움직이지 않았습니다(움직인 거리 0, 첫 기울기가 모두 0). 은닉 뉴런이 모두 $\sigma(0) = 0.5$를 내고 출력이 모든 샘플에 반반을 걸면,
#   클래스가 12개씩 같은 이 데이터에서는 출력층의 기울기가 샘플끼리 정확히 상쇄되고, 은닉층으로 가는 기울기는 출력층 가중치(0)가 곱해져 0입니다.
#   출발점 자체가 기울기 0인 곳입니다.
# - **모두 0.5**: 첫 층 가중치는 움직였지만(움직인 거리가 0이 아닙니다), 은닉 뉴런 4개의 가중치 행은 서로 **정확히 같습니다**(차이 0, 위의 행렬).
#   네 뉴런이 같은 가중치를 가지면 같은 입력에 같은 출력을 내고, 출력층의 가중치도 같으니 역전파로 받는 기울기도 같습니다.
#   같은 값에서 같은 기울기만큼 움직이면 다음 걸음에도 같습니다. 이 **대칭** 은 경사 하강법으로는 깨지지 않으므로 은닉 뉴런 4개는 뉴런 1개와 같은 일밖에 못 합니다.
#   뉴런 하나 $\sigma(\mathbf w\cdot\mathbf x + b)$는 $\mathbf w\cdot\mathbf x$의 단조 함수이므로 결정 경계는 직선이고, 손실은 무작위로 시작한 신경망보다 높은 곳에서 멈춥니다(위의 마지막 손실).
#
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
    ax.contourf(
        grid_x, grid_y, (scores[:, 1] - scores[:, 0]).reshape(grid_x.shape) > 0, levels=1, colors=["#dbe8f5", "#f7dcdc"]
    )
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


experiments = [
    ("시그모이드(sigmoid)", sigmoid, [1.0, 0.01, "uniform", "xavier"]),
    ("ReLU", relu, [0.01, "uniform", "xavier", "he"]),
]
init_stats = {}
for title, act, inits in experiments:
    fig, axes = plt.subplots(len(inits), DEPTH, figsize=(13, 1.9 * len(inits)), sharex=act is sigmoid)
    print(title)
    for r, init in enumerate(inits):
        layers = layer_values(act, init)
        for k, (_, h) in enumerate(layers):
            ax = axes[r, k]
            if act is sigmoid:
                counts, edges = np.histogram(h, bins=30, range=(0, 1))
            else:  # ReLU: 절반쯤인 0은 빼고, 칸마다 자기 범위로 그립니다(층마다 크기가 몇 자릿수씩 다릅니다)
                top = float(h.max())
                counts, edges = np.histogram(h[h > 0], bins=30, range=(0, top))
                ax.set_xlim(0, top)
                ax.set_xticks([0, top], ["0", f"{top:.1e}"])
                for tick, align in zip(ax.get_xticklabels(), ["left", "right"]):  # 옆 칸의 눈금과 겹치지 않게
                    tick.set_horizontalalignment(align)
            ax.stairs(counts, edges, fill=True, color="tab:blue")
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"{k + 1}층")
            if r == len(inits) - 1:
                ax.set_xlabel("활성값" if act is sigmoid else "0보다 큰 활성값")
        axes[r, 0].set_ylabel(f"init={init!r}", rotation=0, ha="right", va="center")
        hs = [h for _, h in layers]
        stats = {"std": [h.std() for h in hs], "spread": [sample_spread(h) for h in hs]}
        print(f"  init={init!r:10s} 층별 표준편차      " + " ".join(f"{s:9.2e}" for s in stats["std"]))
        print(f"  {'':15s} 표본 사이의 퍼짐    " + " ".join(f"{s:9.2e}" for s in stats["spread"]))
        if act is sigmoid:
            saturated = np.mean((hs[-1] < 0.01) | (hs[-1] > 0.99))
            print(
                f"  {'':15s} 5층에서 0.01 미만 또는 0.99 초과(포화): {saturated:.0%}, 층별 활성값의 평균 "
                + " ".join(f"{h.mean():.3f}" for h in hs)
            )
        else:
            second = [np.mean(h**2) / z.var() for z, h in layers]
            variance = [h.var() / z.var() for z, h in layers]
            stats["second"], stats["variance"] = second, variance
            print(
                f"  {'':15s} 0인 활성값 {np.mean(hs[-1] == 0):.0%} (5층),  E[h²]/Var(z) "
                + " ".join(f"{s:.2f}" for s in second)
                + ",  Var(h)/Var(z) "
                + " ".join(f"{s:.2f}" for s in variance)
            )
        init_stats[(title, init)] = stats
    fig.suptitle(
        f"{title}: 층별 활성값 히스토그램 (세로축: 개수)"
        + ("" if act is sigmoid else ", 칸마다 가로축 범위가 다릅니다")
    )
    fig.subplots_adjust(left=0.1, hspace=0.5 if act is relu else 0.35)
    plt.show()

# %%
uniform, xavier = init_stats[("시그모이드(sigmoid)", "uniform")], init_stats[("시그모이드(sigmoid)", "xavier")]
for name, stats in [("uniform", uniform), ("xavier", xavier)]:
    shrink = (stats["spread"][0] / stats["spread"][-1]) ** (1 / (DEPTH - 1))
    print(
        f"시그모이드, {name:8s}: 2~5층 표준편차 {min(stats['std'][1:]):.3f}~{max(stats['std'][1:]):.3f}, "
        f"표본 사이의 퍼짐은 층마다 평균 1/{shrink:.1f}배"
    )
print(
    f"2~5층 표준편차의 비 xavier/uniform: {np.mean(xavier['std'][1:]) / np.mean(uniform['std'][1:]):.2f}, "
    f"5층 표본 사이의 퍼짐의 비: {xavier['spread'][-1] / uniform['spread'][-1]:.1f}"
)
print(f"√3 = {math.sqrt(3):.2f} (두 초기화의 가중치 표준편차의 비)")
he = init_stats[("ReLU", "he")]
print(
    f"ReLU, He: E[h²]/Var(z)의 층 평균 {np.mean(he['second']):.2f}, Var(h)/Var(z)의 층 평균 {np.mean(he['variance']):.2f}, "
    f"정규분포 z에서의 이론값 1/2과 1/2 - 1/(2π) = {0.5 - 1 / (2 * math.pi):.3f}"
)

# %% [markdown]
# **시그모이드.**
#
# - **큰 가중치** $N(0,1)$에서는 활성값이 0과 1 근처로 몰립니다. 5층에서 42%가 0.01 아래이거나 0.99 위입니다. 이렇게 입력이 0에서 멀어 출력이 0이나 1에 붙는 것을
#   **포화(saturation)** 라고 하고, 그곳에서는 도함수 $\sigma(1-\sigma)$가 0에 가까워 역전파되는 기울기가 작아집니다.
# - **작은 가중치** $N(0, 0.01^2)$에서는 모든 활성값이 0.5 한 점에 모입니다(2층부터 표준편차 약 0.013). 표본 사이의 퍼짐은 5층에서 $10^{-8}$ 정도로,
#   뉴런 100개가 입력과 상관없이 각자 거의 한 값만 냅니다.
# - `'uniform'`과 `'xavier'`는 둘 다 2층부터 표준편차가 거의 일정합니다(uniform 0.069~0.078, Xavier 0.114~0.127). **깊이에 따라 안정적인 것은 둘이 같습니다.**
#   시그모이드의 출력은 평균이 0.5라서, 다음 층의 **사전 활성값(pre-activation)** $z = Wh$의 분산이 층마다 거의 같은 값($n\cdot\mathrm{Var}(w)\cdot E[h^2]$, $E[h^2]\approx 0.25$)으로 다시 채워지기 때문입니다.
#   Xavier를 다르게 만드는 것은 두 가지입니다. 하나는 **폭** 입니다. Xavier의 가중치 분산 $1/n$은 uniform의 $1/(3n)$의 3배라, 2~5층 표준편차가 1.62배 넓습니다
#   (가중치 표준편차의 비 $\sqrt3 = 1.73$에 가깝습니다). 다른 하나는 **표본 사이의 퍼짐** 이 줄어드는 속도입니다. 층마다 uniform은 약 1/7.1배, Xavier는 약 1/4.3배로 줄어,
#   5층에서 Xavier가 11.6배 큽니다. 그래도 둘 다 줄어듭니다. 히스토그램의 넓은 폭은 대부분 **뉴런끼리의** 차이이지 입력끼리의 차이가 아닙니다.
#   (Xavier 초깃값은 활성값의 평균이 0인 tanh 같은 함수를 가정하고 만든 것이라, 평균 0.5인 시그모이드에는 그 가정이 맞지 않습니다.)
#
# **ReLU.** ReLU는 입력의 절반을 0으로 만듭니다(5층에서 0인 활성값 49~51%). 이때 절반이 되는 것은 **2차 모멘트(second moment)** $E[h^2]$이지 분산이 아닙니다.
# 위에서 $E[h^2]/\mathrm{Var}(z)$는 He의 층 평균으로 0.54, $\mathrm{Var}(h)/\mathrm{Var}(z)$는 0.38입니다(정규분포 $z$에서의 이론값 1/2과 0.341).
# 다음 층의 사전 활성값은 평균 0인 가중치와 곱해 더하므로 그 분산이 $n\cdot\mathrm{Var}(w)\cdot E[h^2]$이고, He의 $\mathrm{Var}(w) = 2/n$을 넣으면
# $2E[h^2] \approx \mathrm{Var}(z)$, 곧 층마다 같은 크기가 됩니다. 그래서 He에서만 활성값의 표준편차가 5층까지 0.89~1.05로 유지되고,
# Xavier는 0.66에서 0.19로, uniform은 0.34에서 0.0094로, $N(0, 0.01^2)$은 $1.9\times10^{-6}$까지 줄어듭니다.
# (ReLU 히스토그램은 0을 빼고 0보다 큰 값만, 칸마다 그 칸의 최댓값까지의 가로축으로 그렸습니다. 크기가 층마다 몇 자릿수씩 달라서 한 가로축에 그리면 작은 쪽이 빈 칸이 됩니다.
# $N(0, 0.01^2)$, Xavier, He의 히스토그램은 모양이 똑같고 가로축 범위만 다릅니다. 셋 다 같은 시드의 정규분포를 표준편차만 바꿔 쓰고, ReLU는 $\mathrm{relu}(cz) = c\,\mathrm{relu}(z)$($c > 0$)라서
# 가중치를 $c$배 하면 층마다 활성값이 크기만 바뀌기 때문입니다. 위의 $E[h^2]/\mathrm{Var}(z)$가 세 초기화에서 같은 것도 같은 이유입니다.)

# %% [markdown]
# ## 3. 초기화마다 학습 곡선
#
# 히스토그램은 학습 전의 모습입니다. 같은 초기화로 실제로 학습하면 어떻게 될까요? 은닉층 5개(각 10개 뉴런)짜리 신경망을 0절의 반달 24개에
# 경사 하강법(학습률 0.3)으로 150걸음 학습합니다. 초기화만 다르고 나머지는 모두 같습니다.
#
# **실행하기 전에 예측해 보세요.** ReLU 신경망에서 가장 빨리 학습되는 초기화는 무엇이고, 전혀 학습되지 않는 것은 무엇일까요? 시그모이드 신경망에서는요?

# %%
INIT_LR, INIT_STEPS = 0.3, 150
init_experiments = [
    ("ReLU", nn.ReLU, [0.01, "uniform", "xavier", "he"]),
    ("시그모이드", nn.Sigmoid, [1.0, 0.01, "uniform", "xavier"]),
]
fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), sharey=True)
for ax, (title, activation, inits) in zip(axes, init_experiments):
    for init in inits:
        history = train_compiled(mlp(activation, init, depth=5, width=10), lr=INIT_LR, steps=INIT_STEPS)
        ax.plot(range(1, INIT_STEPS + 1), history, label=f"init={init!r}")
        below = next((k + 1 for k, loss in enumerate(history) if loss < 0.5), None)
        peak = int(np.argmax(history[10:])) + 10
        print(
            f"{title:5s} init={init!r:10s} 처음 손실 {history[0]:.3f}, {INIT_STEPS}걸음 뒤 {history[-1]:.4f}, "
            f"손실이 처음 0.5 아래로 내려간 걸음: {below if below else '없음'}, "
            f"11걸음째부터 가장 큰 손실 {history[peak]:.3f}({peak + 1}걸음째)"
        )
    ax.axhline(math.log(2), color="gray", linestyle=":", label="ln 2")
    ax.set_title(f"{title}, 은닉층 5개 × 뉴런 10개")
    ax.set_xlabel("경사 하강법 걸음")
    ax.set_yscale("log")
    ax.legend(fontsize=8)
axes[0].set_ylabel("훈련 손실 (로그 눈금)")
plt.show()
print(f"ln 2 = {math.log(2):.4f}: 입력과 상관없이 두 클래스에 반반씩 거는 모델의 손실")

# %% [markdown]
# ReLU에서는 He가 가장 빨리(손실이 0.5 아래로 내려간 걸음 9), 그다음 Xavier(27), uniform(106) 순서이고, $N(0, 0.01^2)$은 150걸음 동안 $\ln 2$에서 움직이지 않습니다.
# 2절에서 5층 활성값의 표준편차가 컸던 순서와 같습니다. 학습률 0.3은 Xavier에게 커서, 그 곡선은 중간에 1을 넘게 튀었다가(위에서 출력한 걸음) 다시 내려갑니다.
#
# 시그모이드에서는 히스토그램만 보고 한 예상과 다릅니다. $\ln 2$를 벗어난 것은 포화가 가장 심했던 $N(0,1)$ 하나이고(150걸음 뒤 0.43),
# `'xavier'`, `'uniform'`, $N(0, 0.01^2)$은 150걸음 뒤에도 0.6931~0.6932로 $\ln 2 = 0.6931$에 머뭅니다. 2절의 **표본 사이의 퍼짐** 을 보면 순서가 맞습니다. 5층에서 $N(0,1)$은 0.156,
# Xavier는 $6.2\times10^{-4}$, uniform은 $5.4\times10^{-5}$, $N(0, 0.01^2)$은 $10^{-8}$이었습니다. (2절은 너비 100, 여기는 너비 10이라 이것은 단서입니다.
# 4절에서 학습하는 신경망 자체를 층마다 잽니다.) 히스토그램의 모양(넓게 퍼졌는가, 포화되었는가)만으로는 학습될지 알 수 없었습니다.

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
        print(
            f"   (은닉층 2개가 늘 때 1/{previous / first_grads[depth]:.0f}배, 층 하나에 1/{math.sqrt(previous / first_grads[depth]):.1f}배)"
        )
    else:
        print()
print(
    f"은닉층 2개 → 10개: 1/{first_grads[2] / first_grads[10]:.1e}배, 층 하나에 평균 1/{(first_grads[2] / first_grads[10]) ** (1 / 8):.1f}배"
)

# %% [markdown]
# 은닉층이 하나 늘 때마다 첫 층의 기울기는 이 실험에서 4.6분의 1에서 7.8분의 1, 2개에서 10개까지 평균 약 6분의 1이 됩니다(위에서 출력한 값).
# 은닉층 10개면 2개일 때의 약 200만 분의 1입니다.
#
# 왜 줄어들까요? 은닉층 $k$의 출력을 $h_k = \sigma(z_k)$, $z_k = W_k h_{k-1} + b_k$라 하면 연쇄 법칙(chain rule)으로
#
# $$\frac{\partial L}{\partial h_{k-1}} = W_k^\top \,\mathrm{diag}\big(\sigma'(z_k)\big)\, \frac{\partial L}{\partial h_k}$$
#
# 입니다. 층 하나를 지날 때마다 기울기에 $W_k^\top \mathrm{diag}(\sigma')$가 곱해집니다. $\sigma' \le 1/4$이지만 $W_k$는 크기에 제한이 없으므로,
# '층마다 1/4배 이하로 준다'는 보장은 없습니다. 가중치가 크면 이 배율이 1을 넘을 수도 있습니다. 같은 신경망(은닉층 10개)을 `'uniform'`과 큰 가중치 $N(0, 8^2)$로
# 시작해 층마다의 배율 $\lVert\partial L/\partial h_{k-1}\rVert / \lVert\partial L/\partial h_k\rVert$를 직접 잽니다.

# %%
for init in ("uniform", 8.0):
    model = deep_model(10, init=init)
    outputs = record(model)
    hidden = [batch for module, batch in outputs if isinstance(module, nn.Sigmoid)]
    grad_norms = [np.linalg.norm(values(h, "grad")) for h in hidden]
    factors = [grad_norms[k] / grad_norms[k + 1] for k in range(len(hidden) - 1)]
    sigma_prime = [np.mean(values(h) * (1 - values(h))) for h in hidden]
    middle = [m for m in model if isinstance(m, nn.Linear)][1:-1]  # 6×6 가중치 행렬들
    spectral = np.mean([np.linalg.norm(weight_rows(m), 2) for m in middle])
    print(f"init={init!r}: 층마다 기울기의 배율 " + " ".join(f"{f:.3f}" for f in factors))
    print(
        f"{'':13s} 1을 넘은 층 {sum(f > 1 for f in factors)}개, 평균 σ′ {np.mean(sigma_prime):.3f}, "
        f"6×6 가중치 행렬의 최대 특잇값(spectral norm) 평균 {spectral:.2f}"
    )

# %% [markdown]
# `'uniform'`에서는 배율이 모두 1보다 작고(0.11~0.18), 층마다 약 6분의 1이라는 위의 숫자와 맞습니다. $N(0, 8^2)$에서는 9개 중 5개 층에서 배율이 1을 넘습니다.
# 배율을 정하는 것은 $\sigma'$ 하나가 아니라 $\sigma'$와 $W$의 곱입니다. 대략의 크기로 평균 $\sigma'$ × 가운데 층 $W$의 최대 특잇값(spectral norm, 벡터를 가장 많이 늘리는 배율)을 보면
# `'uniform'`은 $0.244 \times 0.90 \approx 0.22$, $N(0, 8^2)$은 $0.031 \times 34.7 \approx 1.1$입니다. 큰 가중치는 대신 시그모이드를 **포화(saturation)** 시킵니다. 입력이 0에서 멀어
# 출력이 0이나 1에 붙고 $\sigma'$가 0에 가까워지는 것입니다(위의 평균 $\sigma'$ 0.031, 2절의 히스토그램).
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
print(
    f"{'층':>3s} {'σ_B(배치 정규화 전 퍼짐)':>22s} {'γ/σ_B':>8s} {'정규화 뒤 퍼짐':>12s} {'|정규화 뒤|의 평균':>16s} {'σ′의 평균':>9s} {'기울기 배율':>10s}"
)
bn_pairs = [(before, after) for before, after in itertools.pairwise(bn_outputs) if isinstance(after[0], nn.BatchNorm1d)]
for k, ((_, batch), (norm, normalised)) in enumerate(bn_pairs):
    x, out = values(batch), values(normalised)
    sigma_b = np.sqrt(x.var(axis=0) + norm.eps)  # 뉴런마다, 1/N 분산
    gamma = np.array([g.data for g in norm.weight])
    ratio = np.linalg.norm(values(batch, "grad")) / np.linalg.norm(values(normalised, "grad"))
    print(
        f"{k + 1:3d} {sigma_b.mean():22.1e} {np.mean(gamma / sigma_b):8.1f} {out.std(axis=0).mean():12.4f} "
        f"{np.abs(out).mean():16.3f} {bn_rows[k][1]:9.3f} {ratio:10.1f}"
    )
print(f"출력 로짓 차이 z1 - z0의 샘플 사이 표준편차: {bn_logit_spread:.2f} (시그모이드만: {plain_logit_spread:.1e})")

# %% [markdown]
# 표의 열은 층마다 배치 정규화 바로 앞 `Linear`의 출력 $x$에 대해, 뉴런별 $\sigma_B = \sqrt{\sigma_B^2 + \epsilon}$의 평균, $\gamma/\sigma_B$의 평균,
# 정규화 뒤 뉴런별 표준편차의 평균, 정규화 뒤 절댓값의 평균(시그모이드의 입력이 0에서 얼마나 먼가), 그 시그모이드의 $\sigma'$ 평균,
# 그리고 역전파에서 배치 정규화 층을 지나며 기울기가 커진 배율 $\lVert\partial L/\partial x\rVert / \lVert\partial L/\partial y\rVert$입니다.
#
# 숫자가 보여 주는 것은 이렇습니다.
#
# - **첫 층의 기울기** 가 은닉층 2개에서 10개까지 $6\times10^{-2}$~$1.6\times10^{-1}$에 머뭅니다. 배치 정규화 없이는 $5.9\times10^{-3}$에서 $2.9\times10^{-9}$로 줄었습니다.
# - **앞으로(순전파)**: 2~6층에서 배치 정규화 앞의 $\sigma_B$는 0.09~0.17입니다. 4절의 신경망처럼 $10^{-4}$까지 무너지지 않는 것은, 앞 층의 배치 정규화가 퍼짐을
#   매번 되살려 놓아 층 하나만큼만 줄기 때문입니다. 그 $\sigma_B$로 나누니 정규화 뒤의 퍼짐은 다시 1입니다($\epsilon$ 때문에 1보다 아주 조금 작습니다).
#   출력 로짓의 차이도 샘플마다 달라졌습니다(표준편차 0.25, 배치 정규화 없이는 $2.4\times10^{-5}$).
# - **뒤로(역전파)**: 배치 정규화 층을 지나는 기울기는 $\gamma/\sigma_B$(6.5~17)와 같은 자릿수의 배율(3.3~20)로 커집니다. 층마다 $W^\top\mathrm{diag}(\sigma')$가 기울기를
#   몇 분의 일로 줄이는 것을 이 배율이 상쇄합니다. 앞으로 퍼짐을 되살리는 나눗셈과 뒤로 기울기를 키우는 곱셈은 같은 $1/\sigma_B$입니다.
#
# 강의 노트는 배치 정규화가 tanh나 시그모이드의 입력을 0을 가운데로 한 분포에 묶어 두고, 이 함수들은 0 근처에서 거의 직선이라
# 그 구간에서 계산하면 기울기가 살아난다고 설명합니다. 배치 정규화가 시그모이드의 입력을 평균 0, 표준편차 1로 맞추는 것은 맞습니다. 하지만 **이 실험에는 그 설명이 맞지 않습니다**. 배치 정규화 없는 신경망의
# 시그모이드 입력이 오히려 0에 더 가까웠습니다(절댓값 평균 0.16~0.29, $\sigma'$ 0.243~0.247; 배치 정규화를 넣으면 0.85~0.90, $\sigma'$ 0.20).
# 여기서 배치 정규화가 고친 것은 입력의 **위치**(포화)가 아니라 **크기**, 곧 샘플 사이의 퍼짐입니다. 강의 노트의 설명이 들어맞는 것은 가중치가 커서 시그모이드가 포화될 때이고,
# 그 경우는 7절에서 잽니다.

# %% [markdown]
# ## 6. 배치 정규화의 역전파를 그래프로 보기
#
# 배치 정규화에서는 샘플 하나의 출력 $y_i$가 배치의 **모든** 입력에 의존합니다($\mu_B$와 $\sigma_B$를 통해). 그래서 $x_i$의 기울기는 세 길로 모입니다:
# $\hat x_i$를 직접 거치는 길, $\mu_B$를 거치는 길, $\sigma_B$를 거치는 길입니다. 엔진은 `nn.BatchNorm1d`의 순전파를 스칼라 연산으로 기록하므로,
# 배치 3개(특징 1개)짜리 배치 정규화의 그래프를 그대로 그릴 수 있습니다. 손실은 $L = 1\cdot y_1 - 2\,y_2 + 0.5\,y_3$로 정해
# $\partial L/\partial y_i$가 각각 $1, -2, 0.5$가 되게 합니다.
#
# **실행하기 전에 예측해 보세요.** $\partial L/\partial x_1 + \partial L/\partial x_2 + \partial L/\partial x_3$은 얼마일까요? (힌트: 세 입력에 같은 수를 더하면 출력은 어떻게 될까요?)

# %%
tiny_bn = nn.BatchNorm1d(1)
xs = [Value(v, label=f"x{i + 1}") for i, v in enumerate([1.0, 2.0, 4.0])]
ys = [row[0] for row in tiny_bn([[x] for x in xs])]
upstream = [1.0, -2.0, 0.5]
L = Value.sum([c * y_i for c, y_i in zip(upstream, ys)])
L.label = "L"
for i, y_i in enumerate(ys):  # 그림에서 읽기 쉽게 중간 노드에 이름을 붙입니다: y = γ·x̂ + β, x̂ = (x - μ) / σ_B
    y_i.label = f"y{i + 1}"
    x_hat = y_i.parents[0].parents[1]
    x_hat.label = f"x̂{i + 1}"
    centered, sigma_b = x_hat.parents
    centered.label = f"x{i + 1}-μ"
    sigma_b.label = "σ_B"
    centered.parents[1].label = "μ"
    sigma_b.parents[0].parents[0].label = "σ²"
L.backward()
print(f"그래프의 노드 {len(L.topological_order())}개")
draw(L, title="배치 정규화(배치 3개): y_i = γ·(x_i - μ)/σ_B + β,  L = y1 - 2·y2 + 0.5·y3")

# %%
gamma = tiny_bn.weight[0].data
x_hats = np.array([x_hat.data for x_hat in (y_i.parents[0].parents[1] for y_i in ys)])
sigma_b = ys[0].parents[0].parents[1].parents[1].data
g = np.array(upstream)
formula = gamma / sigma_b * (g - g.mean() - x_hats * np.mean(g * x_hats))
engine = np.array([x.grad for x in xs])
print("엔진의 ∂L/∂x:", np.round(engine, 6))
print("식의 ∂L/∂x:  ", np.round(formula, 6), " = (γ/σ_B)·(g_i - 평균(g) - x̂_i·평균(g·x̂)),  g_i = ∂L/∂y_i")
print(f"γ/σ_B = {gamma / sigma_b:.4f}")
print(f"Σ ∂L/∂x_i = {engine.sum():.1e},   Σ ∂L/∂x_i · x̂_i = {np.dot(engine, x_hats):.1e}")
print(
    f"∂L/∂γ = {tiny_bn.weight[0].grad:.4f} = Σ g_i·x̂_i = {np.dot(g, x_hats):.4f},   ∂L/∂β = {tiny_bn.bias[0].grad:.4f} = Σ g_i = {g.sum():.4f}"
)

# %% [markdown]
# 그래프에서 $x_1$의 기울기는 `sum`(→ $\mu$)으로 가는 간선과 `-`(→ $x_1-\mu$)로 가는 간선에서 모이고, $x_1-\mu$는 다시 `dot`(→ $\sigma^2$ → $\sigma_B$)과
# `/`(→ $\hat x_1$) 두 곳에 쓰입니다. 엔진이 모은 기울기는 위의 식과 같고, 식을 읽으면 두 가지가 보입니다.
#
# - 위에서 온 기울기 $g_i$에 **$\gamma/\sigma_B$가 곱해집니다**. $\sigma_B$가 작을수록(5절의 깊은 층처럼) 기울기가 커집니다.
# - 기울기에서 평균 성분과 $\hat x$ 방향 성분이 빠집니다. 그래서 $\sum_i \partial L/\partial x_i = 0$입니다(위에서 0에 가까운 수).
#   세 입력에 같은 수를 더해도 $\mu_B$만 바뀌고 출력은 그대로이니, 모든 입력을 같이 올리는 방향의 기울기는 0이어야 합니다.
#   같은 이유로 입력을 평균에서 모두 몇 배 벌려도 출력이 그대로여서 $\sum_i \partial L/\partial x_i\,\hat x_i = 0$입니다
#   (위에서 $10^{-7}$ 정도인 것은 $\epsilon$ 때문입니다. $\epsilon$이 있으면 몇 배 한 출력이 아주 조금 달라집니다).

# %% [markdown]
# ## 7. 배치 정규화로 학습하기, 그리고 가중치의 크기
#
# 은닉층 6개짜리 두 모델을 같은 초기 가중치에서 경사 하강법(학습률 1.0)으로 40걸음 학습합니다.
# (Adam처럼 기울기를 그 크기로 나누는 옵티마이저는 기울기 소실을 가려 버리므로 여기서는 경사 하강법입니다.)
#
# **실행하기 전에 예측해 보세요.** 시그모이드만 쌓은 모델의 손실은 40걸음 동안 어디까지 내려갈까요?

# %%
DEEP_LR, DEEP_STEPS = 1.0, 40
deep_models = {"시그모이드만": deep_model(DEPTH_TRAIN), "배치 정규화": deep_model(DEPTH_TRAIN, batchnorm=True)}
deep_histories = {label: train_eager(model, DEEP_LR, DEEP_STEPS) for label, model in deep_models.items()}

fig, ax = plt.subplots(figsize=(6, 3.5))
for label, history in deep_histories.items():
    ax.plot(range(1, DEEP_STEPS + 1), history, label=label)
ax.axhline(math.log(2), color="gray", linestyle=":", label="ln 2")
ax.set_xlabel("경사 하강법 걸음")
ax.set_ylabel("훈련 손실 (평균 교차 엔트로피)")
ax.set_title(f"시그모이드 은닉층 {DEPTH_TRAIN}개")
ax.legend()
plt.show()
for label, history in deep_histories.items():
    peak = int(np.argmax(history))
    print(
        f"{label}: 처음 손실 {history[0]:.4f}, 가장 큰 손실 {history[peak]:.4f}({peak + 1}걸음째), "
        f"가장 낮은 손실 {min(history):.4f}, {DEEP_STEPS}걸음 뒤 {history[-1]:.4f}"
    )
plain = deep_models["시그모이드만"]
with no_grad():
    logits = values(plain(X))
p1 = 1 / (1 + np.exp(logits[:, 0] - logits[:, 1]))  # 클래스 1의 확률 = sigmoid(z1 - z0)
print(
    f"ln 2 = {math.log(2):.4f};  학습 뒤 시그모이드만 쌓은 모델의 클래스 1 확률: "
    f"샘플 사이 최솟값 {p1.min():.4f}, 최댓값 {p1.max():.4f}"
)
near = next(k + 1 for k, loss in enumerate(deep_histories["시그모이드만"]) if abs(loss - math.log(2)) < 1e-3)
print(f"시그모이드만 쌓은 모델의 손실이 ln 2와 0.001 안으로 들어온 첫 걸음: {near}")
print(
    f"학습 뒤 첫 층 가중치가 처음에서 움직인 거리의 최댓값: "
    f"{np.abs(weight_rows(plain[0]) - weight_rows(deep_model(DEPTH_TRAIN)[0])).max():.1e}"
)

# %% [markdown]
# 배치 정규화 없이 쌓은 시그모이드 모델은 처음 0.6997에서 몇 걸음 만에 $\ln 2$로 내려간 뒤(위에서 출력한 걸음) 그 아래로 내려가지 않습니다. 학습 뒤에도 모든 샘플에 거의 같은 확률(위의 최솟값과 최댓값)을
# 걸고, 첫 층 가중치는 거의 움직이지 않았습니다. 출력층이 배운 것은 '두 클래스가 반반'이라는 것뿐입니다(이 데이터는 12개씩입니다).
# 배치 정규화를 넣은 모델은 같은 학습률, 같은 초기 가중치로 $\ln 2$ 아래로 내려갑니다. 곡선이 매끄럽지는 않아서, 27걸음째에 1.03까지 튀었다가
# 가장 낮을 때 0.31, 40걸음 뒤 0.44입니다(위의 출력).
#
# ### 가중치의 크기에 둔감하다
#
# 『밑바닥부터 시작하는 딥러닝』은 배치 정규화를 쓰면 초깃값에 덜 민감해진다는 것을, 가중치의 표준편차를 바꿔 가며 학습 곡선을 그려 보입니다. 같은 실험을 합니다.
# 모든 층의 가중치를 $N(0, s^2)$로 뽑고 $s$를 0.01부터 10까지 바꿉니다(같은 시드이므로 방향은 같고 크기만 다릅니다).
#
# 배치 정규화에는 눈에 띄는 성질이 하나 있습니다. 입력을 $s$배 하면 $\mu_B$와 $\sigma_B$도 $s$배가 되어 $\hat x$는 그대로입니다($\epsilon$이 없다면 정확히).
# 학습 전에 두 모델의 시그모이드 입력이 얼마나 0 근처에 있는지($\sigma'$의 평균)와 이 성질을 먼저 재고, 학습 곡선을 그립니다.
#
# **실행하기 전에 예측해 보세요.** $s = 10$처럼 큰 가중치에서 배치 정규화 없는 시그모이드는 포화될까요? 배치 정규화를 넣으면요?

# %%
SCALES = (0.01, 0.1, 1.0, 10.0)
first_bn = {}
for scale in SCALES:
    plain_rows_s, _, _ = layer_table(deep_model(DEPTH_TRAIN, init=scale))
    bn_rows_s, _, outputs = layer_table(deep_model(DEPTH_TRAIN, batchnorm=True, init=scale))
    first_bn[scale] = (values(outputs[0][1]).var(axis=0).mean(), values(outputs[1][1]))
    print(
        f"s = {scale:5}: σ′의 평균(2~6층) 시그모이드만 {np.mean([r[1] for r in plain_rows_s[1:]]):.3f}, "
        f"배치 정규화 {np.mean([r[1] for r in bn_rows_s[1:]]):.3f}"
    )
for scale, (variance, normalised) in first_bn.items():
    print(
        f"s = {scale:5}: 첫 층의 σ_B² 평균 {variance:.1e} (ε = 1e-05),  첫 배치 정규화 층의 출력과 s = 1일 때의 차이의 최댓값 "
        f"{np.abs(normalised - first_bn[1.0][1]).max():.1e}"
    )

fig, axes = plt.subplots(1, len(SCALES), figsize=(15, 3.3), sharey=True)
for ax, scale in zip(axes, SCALES):
    for label, batchnorm, color in [("시그모이드만", False, "tab:blue"), ("배치 정규화", True, "tab:orange")]:
        model = deep_model(DEPTH_TRAIN, batchnorm=batchnorm, init=scale)
        history = train_eager(model, DEEP_LR, DEEP_STEPS) if batchnorm else train_compiled(model, DEEP_LR, DEEP_STEPS)
        ax.plot(range(1, DEEP_STEPS + 1), history, color=color, label=label)
        print(f"s = {scale:5}, {label}: {DEEP_STEPS}걸음 뒤 손실 {history[-1]:.4f}, 가장 낮은 손실 {min(history):.4f}")
    ax.axhline(math.log(2), color="gray", linestyle=":")
    ax.set_yscale("log")
    ax.set_title(f"가중치 N(0, {scale}²)")
    ax.set_xlabel("경사 하강법 걸음")
axes[0].set_ylabel("훈련 손실 (로그 눈금)")
axes[0].legend()
plt.show()

# %% [markdown]
# - **배치 정규화 없이**: $s = 0.01, 0.1$에서는 시그모이드의 입력이 0에 딱 붙어 있는데도($\sigma'$ 평균 0.250, 0.249) 손실이 $\ln 2$에서 움직이지 않습니다.
#   4절에서 본 퍼짐의 붕괴입니다. $s = 1$에서도 0.692에 머물고, $s = 10$에서는 시그모이드가 포화되어($\sigma'$ 평균 0.026) 0.646에서 멈춥니다.
# - **배치 정규화를 넣으면**: 네 크기 모두에서 $\ln 2$ 아래로 내려가고(40걸음 뒤 0.47, 0.44, 0.38, 0.018), $\sigma'$ 평균은 $s$에 상관없이 0.20~0.23입니다.
#   $s = 10$의 포화를 풀어 $\sigma'$를 0.026에서 0.202로 되돌린 것이 강의 노트의 설명(입력을 0 근처의 거의 직선인 구간으로)이 그대로 맞는 경우입니다.
# - 첫 배치 정규화 층의 출력은 $s = 0.1$과 $s = 10$에서 $s = 1$일 때와 거의 같습니다(차이 $1.3\times10^{-2}$, $1.3\times10^{-4}$). $s = 0.01$에서는 $\sigma_B^2$($5.5\times10^{-5}$)가
#   $\epsilon = 10^{-5}$에 가까워 $\epsilon$이 나눗셈을 바꾸므로 차이가 큽니다(0.59). 곡선의 모양은 $s$마다 다르고, 이 실행에서 가장 낮게 내려간 것은 $s = 10$입니다.
#   그 이유는 여기서 재지 않았습니다.

# %% [markdown]
# ## 8. 학습 모드와 평가 모드: 배치의 통계와 이동 평균
#
# 학습할 때 배치 정규화는 그 배치의 $\mu_B$, $\sigma_B^2$로 정규화합니다. 그런데 평가할 때는 샘플이 하나만 올 수도 있고, 같은 샘플의 답이 함께 온 다른 샘플에 따라
# 달라져서도 안 됩니다. 그래서 학습하는 동안 배치의 통계를 **이동 평균(moving average)** 으로 모아 두었다가(`running_mean`, `running_var`), 평가 모드(`model.eval()`)에서는
# 그것으로 정규화합니다. 배치 하나가 지날 때마다(`momentum` $= 0.1$)
#
# $$\text{running\_mean} \leftarrow 0.9\cdot\text{running\_mean} + 0.1\cdot\mu_B, \qquad \text{running\_var} \leftarrow 0.9\cdot\text{running\_var} + 0.1\cdot s_B^2$$
#
# 입니다. 여기서 두 가지 분산이 쓰입니다.
#
# - 정규화에 쓰는 $\sigma_B^2 = \frac1N\sum (x_i-\mu_B)^2$는 $N$으로 나눈 **편향 분산(biased variance)** 입니다. 그 배치 자체의 분산이므로, 정규화된 출력의 ($N$으로 나눈) 표준편차는
#   $\epsilon$을 빼면 정확히 1입니다.
# - 이동 평균에 넣는 $s_B^2 = \frac{1}{N-1}\sum (x_i-\mu_B)^2 = \frac{N}{N-1}\sigma_B^2$는 **불편 분산(unbiased variance)** 입니다. 배치는 데이터 전체에서 뽑은 표본이라,
#   표본 평균으로 잰 $\sigma_B^2$는 데이터 전체의 분산보다 평균적으로 작게 나옵니다($\frac{N-1}{N}$배). $N-1$로 나누면 그 치우침이 없어집니다(기댓값이 전체의 분산과 같음).
#
# `running_mean`은 0, `running_var`는 1에서 시작합니다. 표준화하지 않은 반달 24개를 한 배치로 한 번 통과시켜 봅니다.
#
# **실행하기 전에 예측해 보세요.** 배치 하나를 통과시킨 직후 평가 모드로 바꾸면, 출력은 학습 모드의 출력(표준화된 값)과 원래 입력 중 어느 쪽에 가까울까요?

# %%
X_raw, _ = data.moons(n=24, noise=0.1, seed=0, sampling="random")
bn = nn.BatchNorm1d(2)
print("처음 running_mean:", bn.running_mean, " running_var:", bn.running_var)
trained = values(bn(X_raw))  # 학습 모드: 24개를 한 배치로
print(
    "배치 평균:",
    np.round(X_raw.mean(axis=0), 4),
    " 편향 분산(1/N):",
    np.round(X_raw.var(axis=0), 4),
    " 불편 분산(1/(N-1)):",
    np.round(X_raw.var(axis=0, ddof=1), 4),
)
print("한 배치 뒤 running_mean:", np.round(bn.running_mean, 4), "= 0.9·0 + 0.1·배치 평균")
print("한 배치 뒤 running_var: ", np.round(bn.running_var, 4), "= 0.9·1 + 0.1·불편 분산")
print(
    "학습 모드 출력의 평균:",
    np.round(trained.mean(axis=0), 6) + 0.0,
    " 표준편차(1/N):",
    np.round(trained.std(axis=0), 4),
)
bn.eval()
evaluated = values(bn(X_raw))
print(
    "첫 샘플: 원래 입력",
    np.round(X_raw[0], 4),
    " 학습 모드 출력",
    np.round(trained[0], 4),
    " 평가 모드 출력",
    np.round(evaluated[0], 4),
)
print(
    f"평가 모드 출력과 원래 입력의 차이의 최댓값 {np.abs(evaluated - X_raw).max():.3f}, 학습 모드 출력과의 차이의 최댓값 {np.abs(evaluated - trained).max():.3f}"
)
bn.train()
for _ in range(49):  # 같은 배치를 49번 더(모두 50번)
    bn(X_raw)
bn.eval()
print(
    f"50번 뒤: running_mean {np.round(bn.running_mean, 4)}, running_var {np.round(bn.running_var, 4)}, 처음 값의 몫 0.9^50 = {0.9**50:.4f}"
)
evaluated = values(bn(X_raw))
print(
    f"50번 뒤 평가 모드 출력과 학습 모드 출력의 차이의 최댓값 {np.abs(evaluated - trained).max():.4f}, "
    f"학습 모드 출력 × √((N-1)/N) = {math.sqrt(23 / 24):.4f}배와의 차이의 최댓값 {np.abs(evaluated - trained * math.sqrt(23 / 24)).max():.4f}"
)

# %% [markdown]
# 배치 하나 뒤의 이동 평균은 아직 90%가 처음 값 $(0, 1)$입니다. 그래서 평가 모드는 거의 $(x - 0)/\sqrt{1}$, 곧 **원래 입력에 가까운 값** 을 냅니다
# (위에서 원래 입력과의 차이가 학습 모드 출력과의 차이보다 작습니다). 배치가 50번 지나면 처음 값의 몫이 $0.9^{50}$으로 줄어 두 모드의 출력이 가까워집니다.
# 남는 차이(0.051)는 대부분 이동 평균이 불편 분산을 모으기 때문입니다. $\frac{N}{N-1}$배 큰 분산으로 나누므로 평가 모드의 출력이 $\sqrt{(N-1)/N}$배로 조금 작고,
# 학습 모드 출력에 그만큼을 곱해 비교하면 차이가 0.015로 줄어듭니다. 나머지는 아직 남은 처음 값의 몫($0.9^{50}$)입니다.
# 배치 정규화를 넣은 모델을 평가할 때는 `model.eval()`을 잊지 말고, 이동 평균이 모일 만큼 학습한 뒤에 평가해야 합니다.

# %% [markdown]
# ## 9. 잔차 연결: 기울기가 지나가는 지름길
#
# ResNet의 **잔차 연결(residual connection, skip connection)** 은 블록 $f$의 출력에 입력을 그대로 더합니다.
#
# $$y = x + f(x), \qquad \frac{\partial y}{\partial x} = I + \frac{\partial f}{\partial x}$$
#
# 층은 '입력에 얼마를 더하고 뺄지'만 배우면 되고, $f(x)\approx 0$이면 그 블록은 건너뛴 것과 같습니다. 역전파에서는 $f$의 야코비안(Jacobian)이 아무리 작아도
# 단위 행렬 $I$가 더해져 있어 기울기가 그대로 뒤로 전달됩니다. 4절에서 기울기를 층마다 약 6분의 1로 줄인 $W^\top\mathrm{diag}(\sigma')$가 $I + W^\top\mathrm{diag}(\sigma')$로 바뀌는 것입니다.
# `nn.Residual(module)`이 이것입니다. 블록 하나로 먼저 확인합니다.

# %%
block = nn.Residual(nn.Sequential(nn.Linear(2, 2, seed=0), nn.Sigmoid()))
x = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
(out,) = block([x])
out[0].backward()
f_grad = x[0].grad - 1.0
print(
    f"y1 = x1 + f(x)_1 = {x[0].data} + {out[0].data - x[0].data:.4f} = {out[0].data:.4f};  "
    f"∂y1/∂x1 = {x[0].grad:.4f} = 1 + ∂f1/∂x1 = 1 + {f_grad:.4f}"
)

# %% [markdown]
# 4절과 같은 신경망에서 첫 층 뒤의 은닉층들을 잔차 블록 $h_k = h_{k-1} + \sigma(W_k h_{k-1} + b_k)$로 바꿉니다(초기 가중치는 같습니다).
#
# **실행하기 전에 예측해 보세요.** 잔차 연결이 있으면 은닉층이 2개에서 10개로 늘 때 첫 층의 기울기는 어떻게 될까요?


# %%
def residual_model(depth, seed=0):
    """첫 층은 Linear → Sigmoid, 그 뒤 depth - 1개의 잔차 블록 x + sigmoid(Wx + b), 마지막에 Linear(6, 2)."""
    modules = [nn.Linear(2, HIDDEN, seed=seed), nn.Sigmoid()]
    for k in range(1, depth):
        modules.append(nn.Residual(nn.Sequential(nn.Linear(HIDDEN, HIDDEN, seed=seed + k), nn.Sigmoid())))
    modules.append(nn.Linear(HIDDEN, 2, seed=seed + depth))
    return nn.Sequential(*modules)


print(f"{'은닉층 수':>8s} {'시그모이드만':>12s} {'잔차 연결':>10s}")
for depth in DEPTHS:
    model = residual_model(depth)
    record(model)
    print(f"{depth:8d} {first_grads[depth]:12.2e} {weight_grad_norms(model)[0]:10.2e}")

# %% [markdown]
# 잔차 연결이 있으면 은닉층이 2개에서 10개로 늘어도 첫 층의 기울기가 같은 자릿수($10^{-2}$)에 머뭅니다(위 표). 이제 같은 경사 하강법(학습률 1.0, 40걸음)으로 학습합니다.
# 배치 정규화 모델의 곡선은 7절의 것입니다.

# %%
residual = residual_model(DEPTH_TRAIN)
for label, model in [("잔차 연결", residual), ("시그모이드만", deep_model(DEPTH_TRAIN))]:
    outputs = record(model)
    print(
        f"{label}: 출력층에 들어가는 값의 평균 {values(outputs[-2][1]).mean():.2f}, "
        f"출력층 가중치의 기울기 크기 {weight_grad_norms(model)[-1]:.3f}"
    )
deep_histories["잔차 연결"] = train_compiled(residual, DEEP_LR, DEEP_STEPS)

fig, ax = plt.subplots(figsize=(6, 3.5))
for label, history in deep_histories.items():
    ax.plot(range(1, DEEP_STEPS + 1), history, label=label)
ax.axhline(math.log(2), color="gray", linestyle=":", label="ln 2")
ax.set_xlabel("경사 하강법 걸음")
ax.set_yscale("log")
ax.set_ylabel("훈련 손실 (로그 눈금)")
ax.set_title(f"시그모이드 은닉층 {DEPTH_TRAIN}개")
ax.legend()
plt.show()
for label, history in deep_histories.items():
    peak = int(np.argmax(history))
    print(
        f"{label}: 처음 손실 {history[0]:.4f}, 가장 큰 손실 {history[peak]:.4f}({peak + 1}걸음째), {DEEP_STEPS}걸음 뒤 {history[-1]:.4f}"
    )

# %% [markdown]
# 잔차 연결 모델은 2걸음째에 손실이 15.4까지 튀었다가 내려와, 40걸음 뒤 배치 정규화 모델(0.44)과 비슷한 곳(0.41)에 닿습니다. 튀는 이유는 위의 첫 출력에 있습니다.
# 시그모이드의 출력은 모두 0과 1 사이의 양수라 블록마다 $x$에 양수가 더해지고, 출력층에 들어가는 값의 평균이 3.14가 됩니다(시그모이드만 쌓으면 0.49).
# 출력층 가중치의 기울기는 그 입력에 비례해 커지고(2.92, 시그모이드만 쌓으면 0.097), 학습률 1.0의 첫 걸음이 출력층을 너무 멀리 옮깁니다. 그 뒤에는 첫 층까지 살아 있는 기울기로 학습이 이어집니다.
#
# 강의 노트가 설명하듯 블록은 원하는 출력을 만들려고 입력에 더하거나 뺄 양만 만들고, 그 블록이 필요 없으면 $f(x)\approx 0$이 되어 건너뛴 것과 같아집니다.
# 기울기 쪽에서 보면 잔차 연결은 배치 정규화와 다른 방법으로 같은 문제를 풉니다. 배치 정규화는 층마다 줄어든 것을 $1/\sigma_B$로 다시 키우고,
# 잔차 연결은 줄어드는 길 옆에 줄지 않는 길($I$)을 하나 더 냅니다.
#
# ## 정리
#
# - 모든 가중치를 같은 값으로 시작하면 은닉 뉴런들이 학습 내내 정확히 같게 남습니다(대칭). 모두 0이면 이 데이터에서는 아예 움직이지 않았습니다. 무작위 초기화가 대칭을 깹니다.
# - ReLU가 절반으로 줄이는 것은 $E[h^2]$이고, 그것을 두 배로 되돌리는 He 초깃값에서만 5층까지 활성값의 크기가 유지되었고 학습도 가장 빨랐습니다.
#   시그모이드에서는 uniform과 Xavier가 둘 다 2층부터 안정적이고, Xavier는 폭이 1.6배 넓고 표본 사이의 퍼짐이 덜 줄어듭니다.
# - 히스토그램이 보여 주지 않는 **표본 사이의 퍼짐** 이 학습 여부를 더 잘 설명했습니다. 깊은 시그모이드 신경망(uniform)은 포화되지 않았는데도($\sigma'$ 0.243~0.247)
#   샘플 사이의 차이가 층마다 몇 분의 일로 무너져 모든 입력에 같은 답을 냈고, 같은 이유로 첫 층의 기울기가 층마다 약 6분의 1로 줄었습니다.
#   층마다의 배율은 $W^\top\mathrm{diag}(\sigma')$라서 가중치가 크면 1을 넘기도 합니다.
# - 배치 정규화는 작은 $\sigma_B$로 나누어 앞으로는 퍼짐을, 뒤로는 $\gamma/\sigma_B$배로 기울기를 되살립니다. 가중치의 표준편차를 0.01에서 10까지 바꿔도 모두 학습되었고,
#   큰 가중치에서는 시그모이드의 포화도 풀었습니다. 역전파에서는 배치 전체가 한 그래프로 묶여 $\sum_i \partial L/\partial x_i = 0$이 됩니다.
# - 학습 모드는 배치의 편향 분산($1/N$)으로 정규화하고, 평가 모드는 불편 분산($1/(N-1)$)을 모은 이동 평균으로 정규화합니다. 이동 평균이 모이기 전의 평가 모드 출력은 원래 입력에 가깝습니다.
# - 잔차 연결 $y = x + f(x)$는 기울기에 $I$를 더해, 은닉층이 10개여도 첫 층의 기울기를 2개일 때와 같은 자릿수로 유지했습니다.
