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
# # 10. 과적합과 규제 (overfitting and regularization)
#
# 훈련 데이터에서 손실이 0에 가까워져도, 처음 보는 데이터에서 잘 맞힌다는 보장은 없습니다. 모델이 데이터의 규칙 대신 **잡음까지 외우는 것** 을
# **과적합(overfitting)** 이라고 합니다. 이 노트북에서는
#
# 1. 작고 잡음 많은 데이터에서 훈련 손실과 테스트 손실이 **갈라지는** 것을 보고,
# 2. **L2 규제(weight decay)**, **드롭아웃(dropout)**, **조기 종료(early stopping)** 가 그 간격을 얼마나 줄이는지 재고,
# 3. **가중치 초기화(weight initialisation)** 가 층마다 활성값 분포를 어떻게 바꾸는지 히스토그램으로 비교하고(『밑바닥부터 시작하는 딥러닝』의 실험),
# 4. 깊은 시그모이드 신경망이 학습되지 않는 이유(첫 층까지 오는 기울기)와 **배치 정규화(batch normalization)**, **잔차 연결(residual connection)** 이 그것을 고치는 것을 숫자로 확인하고,
# 5. 하이퍼파라미터(hyperparameter)를 테스트 세트가 아니라 **검증 세트(validation set)** 로 고르는 무작위 탐색(random search)을 하고,
# 6. 마지막으로 로지스틱 회귀(logistic regression)가 클래스 두 개짜리 소프트맥스(softmax)라는 것을 계산으로 보입니다.

# %%
import math

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, losses, nn, no_grad
from micrograd_ko.optim import SGD, Adam

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 과적합: 훈련 곡선과 테스트 곡선이 갈라진다
#
# 잡음이 큰 반달 데이터(`noise=0.3`)를 **훈련용 24개만** 씁니다. 검증용 100개와 테스트용 200개는 다른 시드로 **따로** 뽑습니다
# (`sampling="random"`: 점의 위치까지 새로 뽑으므로, 테스트 점이 훈련 점의 위치를 그대로 물려받지 않습니다).
#
# - **훈련 세트(training set)**: 기울기를 계산해 가중치를 바꾸는 데 씁니다.
# - **검증 세트(validation set)**: 학습을 언제 멈출지, 어떤 하이퍼파라미터가 좋은지 고르는 데 씁니다.
# - **테스트 세트(test set)**: 모든 결정이 끝난 뒤 성능을 한 번 재는 데만 씁니다.

# %%
NOISE = 0.3
X_train, y_train = data.moons(n=24, noise=NOISE, seed=1, sampling="random")
X_val, y_val = data.moons(n=100, noise=NOISE, seed=2, sampling="random")
X_test, y_test = data.moons(n=200, noise=NOISE, seed=3, sampling="random")
splits = {"훈련": (X_train, y_train), "검증": (X_val, y_val), "테스트": (X_test, y_test)}
for name, (X, y) in splits.items():
    print(f"{name}: {len(y)}개, 클래스 1의 비율 {np.mean(y):.2f}")

# %% [markdown]
# 모델은 은닉층 두 개(각 12개 뉴런, ReLU)에 출력 점수(logit) 두 개인 `nn.Sequential`입니다. 매개변수는 $(2\cdot12+12) + (12\cdot12+12) + (12\cdot2+2)$개로,
# 훈련 점 24개를 외우기에 충분합니다. 손실은 소프트맥스 교차 엔트로피의 평균입니다.
#
# 평가는 기울기가 필요 없으므로, 매 에포크(epoch)마다 세 세트 전체를 평가할 때는 같은 가중치로 같은 계산을 numpy로 합니다(`numpy_logits`).
# 엔진의 출력과 같은지 먼저 확인합니다.
#
# **실행하기 전에 예측해 보세요.** 훈련 점 24개를 100 에포크 동안 학습하면, 훈련 손실과 테스트 손실은 각각 어떻게 움직일까요?


# %%
def make_model(dropout=0.0, seed=0):
    """2 → 12 → 12 → 2, ReLU; dropout > 0이면 각 은닉층 뒤에 Dropout을 둡니다."""
    modules = [nn.Linear(2, 12, seed=seed), nn.ReLU()]
    if dropout:
        modules.append(nn.Dropout(dropout, seed=seed + 100))
    modules += [nn.Linear(12, 12, seed=seed + 1), nn.ReLU()]
    if dropout:
        modules.append(nn.Dropout(dropout, seed=seed + 101))
    modules.append(nn.Linear(12, 2, seed=seed + 2))
    return nn.Sequential(*modules)


def numpy_logits(model, X):
    """평가 모드(eval)의 model과 같은 계산을 numpy 배열로 합니다. Dropout은 평가 모드에서 항등 함수입니다."""
    h = np.asarray(X, dtype=float)
    for module in model:
        if isinstance(module, nn.Linear):
            W = np.array([[w.data for w in row] for row in module.weight])
            b = np.array([v.data for v in module.bias])
            h = h @ W.T + b
        elif isinstance(module, nn.ReLU):
            h = np.maximum(h, 0.0)
        elif not isinstance(module, nn.Dropout):
            raise TypeError(f"numpy_logits does not know {module!r}")
    return h


def numpy_loss_accuracy(model, X, y):
    """평균 소프트맥스 교차 엔트로피와 정확도."""
    z = numpy_logits(model, X)
    z = z - z.max(axis=1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean()), float(np.mean(z.argmax(axis=1) == y))


def mean_loss(logits, y):
    return Value.sum(losses.softmax_cross_entropy(row, int(c)) for row, c in zip(logits, y)) / len(y)


check = make_model()
print(f"매개변수 {len(check.parameters())}개, 훈련 점 {len(y_train)}개")
with no_grad():
    engine_logits = np.array([[v.data for v in row] for row in check(X_val)])
print(f"엔진과 numpy의 로짓 차이의 최댓값: {np.abs(engine_logits - numpy_logits(check, X_val)).max():.1e}")

# %% [markdown]
# 학습 함수 하나로 모든 실험을 합니다. `weight_decay` $\lambda$는 손실에 $\lambda\sum w^2$(편향을 뺀 가중치의 제곱합)를 더하고,
# `patience`를 주면 검증 손실이 `patience` 에포크 동안 나아지지 않을 때 멈추고 가장 좋았던 가중치로 되돌립니다(조기 종료).

# %%
EPOCHS = 100


def train(model, lr=0.03, weight_decay=0.0, patience=None, epochs=EPOCHS):
    """전체 배치 Adam. 매 에포크 뒤 세 세트의 (손실, 정확도)를 기록합니다."""
    optimizer = Adam(model.parameters(), lr=lr)
    weights = [w for m in model if isinstance(m, nn.Linear) for row in m.weight for w in row]
    history = {name: [] for name in splits}
    best_loss, best_epoch, best_state = math.inf, 0, model.state_dict()
    for epoch in range(1, epochs + 1):
        model.train()
        loss = mean_loss(model(X_train), y_train)
        if weight_decay:
            loss = loss + weight_decay * losses.l2(weights)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        for name, (X, y) in splits.items():
            history[name].append(numpy_loss_accuracy(model, X, y))
        if patience is not None:
            if history["검증"][-1][0] < best_loss:
                best_loss, best_epoch, best_state = history["검증"][-1][0], epoch, model.state_dict()
            elif epoch - best_epoch >= patience:
                break
    if patience is not None:
        model.load_state_dict(best_state)
    return history


baseline = make_model()
baseline_history = train(baseline)


def plot_curves(ax, history, title):
    epochs = np.arange(1, len(history["훈련"]) + 1)
    for name, color in [("훈련", "tab:blue"), ("검증", "tab:green"), ("테스트", "tab:red")]:
        ax.plot(epochs, [loss for loss, _ in history[name]], color=color, label=name)
    ax.set_xlabel("에포크(epoch)")
    ax.set_ylabel("평균 교차 엔트로피")
    ax.set_title(title)
    ax.legend()


fig, ax = plt.subplots(figsize=(6, 3.8))
plot_curves(ax, baseline_history, "규제 없음: 훈련 손실은 내려가고 테스트 손실은 올라갑니다")
plt.show()
best_test_epoch = int(np.argmin([loss for loss, _ in baseline_history["테스트"]])) + 1
print(f"테스트 손실이 가장 낮았던 에포크: {best_test_epoch}")
for name in splits:
    loss, accuracy = baseline_history[name][-1]
    print(f"{EPOCHS} 에포크 뒤 {name}: 손실 {loss:.3f}, 정확도 {accuracy:.1%}")

# %% [markdown]
# 훈련 손실은 0을 향해 계속 내려가는데, 테스트(와 검증) 손실은 어느 순간부터 **올라갑니다**. 그 뒤의 학습은 규칙이 아니라 24개 점의 잡음을
# 외우는 데 쓰이고 있습니다. 손실은 '얼마나 자신 있게 틀리는지'까지 재기 때문에, 정확도보다 과적합을 먼저, 더 크게 보여 줍니다.
#
# ## 2. 간격을 줄이는 세 가지 방법
#
# - **L2 규제(weight decay)**: 손실에 $\lambda\sum w^2$를 더하면 기울기에 $2\lambda w$가 더해져, 매 걸음 가중치가 0 쪽으로 조금씩 줄어듭니다(그래서 이름이 weight decay).
#   큰 가중치가 필요한 구불구불한 경계가 비싸집니다. (`SGD(weight_decay=...)`도 같은 일을 기울기에 직접 합니다.)
# - **드롭아웃(dropout)**: 학습할 때 은닉 뉴런의 출력을 확률 $p$로 0으로 만들고, 살아남은 출력은 $1/(1-p)$배 해서 기댓값을 유지합니다.
#   어느 한 뉴런에 기대는 외우기가 어려워집니다. 평가 모드(`model.eval()`)에서는 아무것도 하지 않습니다.
# - **조기 종료(early stopping)**: 검증 손실이 더 나아지지 않으면 멈추고, 가장 좋았던 때의 가중치로 돌아갑니다. 테스트 세트는 보지 않습니다.
#
# 세 모델 모두 규제 없는 모델과 **같은 시드의 초기 가중치** 에서 출발합니다.

# %%
runs = {"규제 없음": (baseline, baseline_history)}
for name, options in [
    ("L2 규제 λ=0.01", {"weight_decay": 0.01}),
    ("드롭아웃 p=0.3", {"dropout": 0.3}),
    ("조기 종료 patience=15", {"patience": 15}),
]:
    model = make_model(dropout=options.pop("dropout", 0.0))
    runs[name] = (model, train(model, **options))

print(f"{'':24s} {'훈련 손실':>8s} {'테스트 손실':>9s} {'간격':>6s}   {'훈련 정확도':>9s} {'테스트 정확도':>10s}")
gaps = {}
for name, (model, history) in runs.items():
    model.eval()
    (train_loss, train_acc), (test_loss, test_acc) = (numpy_loss_accuracy(model, *splits[s]) for s in ("훈련", "테스트"))
    gaps[name] = test_loss - train_loss
    print(
        f"{name:24s} {train_loss:8.3f} {test_loss:9.3f} {gaps[name]:6.3f}   {train_acc:9.1%} {test_acc:10.1%}"
        + (f"   ({len(history['훈련'])} 에포크에서 멈춤)" if "조기" in name else "")
    )
for name, gap in gaps.items():
    if name != "규제 없음":
        print(f"{name}: 테스트-훈련 손실 간격이 규제 없음의 {gap / gaps['규제 없음']:.0%}")

# %% [markdown]
# 간격(테스트 손실 − 훈련 손실)을 세 방법 모두 줄입니다. 줄이는 정도는 다릅니다: 이렇게 작은 신경망에서는 뉴런 몇 개를 꺼도 외우기를 크게 막지 못해
# 드롭아웃의 효과가 가장 작습니다. 네 모델의 결정 경계를 그려 보면 무엇이 달라졌는지 보입니다.
# 규제 없는 모델은 훈련 점 하나하나를 감싸려고 경계를 구부립니다.

# %%
grid_x, grid_y = np.meshgrid(np.linspace(-1.8, 2.8, 120), np.linspace(-1.4, 1.9, 90))
grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
fig, axes = plt.subplots(1, 4, figsize=(15, 3.5), sharey=True)
for ax, (name, (model, _)) in zip(axes, runs.items()):
    scores = numpy_logits(model, grid)
    ax.contourf(grid_x, grid_y, (scores[:, 1] - scores[:, 0]).reshape(grid_x.shape) > 0, levels=1,
                colors=["#dbe8f5", "#f7dcdc"])
    for label, color in [(0, "tab:blue"), (1, "tab:red")]:
        ax.scatter(*X_test[y_test == label].T, s=6, color=color, alpha=0.3)
        ax.scatter(*X_train[y_train == label].T, s=30, color=color, edgecolor="black")
    ax.set_title(name)
    ax.set_xlabel("x1")
axes[0].set_ylabel("x2")
fig.suptitle("결정 경계 (테두리 있는 점: 훈련 24개, 흐린 점: 테스트)", y=1.04)
plt.show()

# %% [markdown]
# ## 3. 가중치 초기화: 층마다 활성값의 분포
#
# 『밑바닥부터 시작하는 딥러닝』(Deep Learning from Scratch)의 실험입니다. 표준정규분포에서 뽑은 입력 1000개를, 뉴런 100개짜리 층 다섯 개에 통과시키고
# 층마다 **활성값(activation)** 의 히스토그램을 그립니다. 바꾸는 것은 가중치를 뽑는 분포 하나뿐입니다(`nn.init_weights`, `nn.Linear(init=...)`가 쓰는 함수).
#
# | 이름 | 분포 | 비고 |
# |---|---|---|
# | `1.0` | $N(0, 1)$ | 큰 무작위 수 |
# | `0.01` | $N(0, 0.01^2)$ | 작은 무작위 수 |
# | `'uniform'` | $U(-1/\sqrt{n}, 1/\sqrt{n})$ | 작은 균등분포, PyTorch `Linear`의 기본값 |
# | `'xavier'` | $N(0, 2/(n_{in}+n_{out}))$ | Xavier(Glorot) 초깃값, 시그모이드·tanh용 |
# | `'he'` | $N(0, 2/n_{in})$ | He(Kaiming) 초깃값, ReLU용 |
#
# 층이 크므로(층마다 가중치 10,000개) 순전파는 numpy 행렬 곱으로 합니다. 같은 함수를 쓰는 `nn.Linear`의 가중치와 같은지 먼저 확인합니다.

# %%
WIDTH, DEPTH = 100, 5
inputs = np.random.default_rng(0).normal(size=(1000, WIDTH))


def layer_weights(init, layer):
    return np.array(nn.init_weights(init, WIDTH, WIDTH, WIDTH * WIDTH, seed=layer)).reshape(WIDTH, WIDTH)


same = nn.Linear(WIDTH, WIDTH, init="xavier", seed=0)
print("nn.Linear(init='xavier', seed=0)와 같은 가중치:",
      np.array_equal(np.array([[w.data for w in row] for row in same.weight]), layer_weights("xavier", 0)))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def relu(x):
    return np.maximum(x, 0.0)


def layer_activations(act, init):
    h, out = inputs, []
    for layer in range(DEPTH):
        h = act(h @ layer_weights(init, layer).T)
        out.append(h)
    return out


experiments = [("시그모이드(sigmoid)", sigmoid, [1.0, 0.01, "uniform", "xavier"]),
               ("ReLU", relu, [0.01, "uniform", "xavier", "he"])]
for title, act, inits in experiments:
    fig, axes = plt.subplots(len(inits), DEPTH, figsize=(13, 1.9 * len(inits)), sharex=True)
    print(title)
    for r, init in enumerate(inits):
        acts = layer_activations(act, init)
        for k, a in enumerate(acts):
            ax = axes[r, k]
            counts, edges = np.histogram(a, bins=30, range=(0, 1) if act is sigmoid else (0, max(float(a.max()), 1e-12)))
            ax.stairs(counts, edges, fill=True, color="tab:blue")
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"{k + 1}층")
            if r == len(inits) - 1:
                ax.set_xlabel("활성값")
        axes[r, 0].set_ylabel(f"init={init!r}", rotation=0, ha="right", va="center")
        stds = " ".join(f"{a.std():9.2e}" for a in acts)
        extra = ""
        if act is sigmoid:
            extra = f"   마지막 층에서 0.01 미만 또는 0.99 초과(포화): {np.mean((acts[-1] < 0.01) | (acts[-1] > 0.99)):.0%}"
        else:
            extra = f"   마지막 층에서 0인 활성값: {np.mean(acts[-1] == 0):.0%}"
        print(f"  init={init!r:10s} 층별 표준편차 {stds}{extra}")
    fig.suptitle(f"{title}: 층별 활성값 히스토그램 (세로축: 개수)")
    fig.subplots_adjust(left=0.1, hspace=0.35)
    plt.show()

# %% [markdown]
# - 시그모이드에 **큰 가중치** $N(0,1)$를 쓰면 활성값이 0과 1 근처로 몰립니다(포화). 그곳에서 시그모이드의 기울기 $\sigma(1-\sigma)$는 0에 가까워
#   역전파되는 기울기가 사라집니다(**기울기 소실, vanishing gradient**).
# - **작은 가중치** $N(0, 0.01^2)$는 모든 활성값을 0.5 한 점에 모읍니다. 뉴런 100개가 모두 같은 값을 내면 뉴런 한 개와 다를 바 없습니다(표현력의 제한).
# - **Xavier** 는 층마다 분포의 폭을 고르게 유지합니다. 입력 $n$개를 더하면 분산이 $n$배가 되니, 가중치의 분산을 $1/n$ 정도로 줄여 상쇄하는 것입니다.
# - ReLU는 입력의 절반을 0으로 만들어 분산을 절반으로 줄이므로, 분산을 두 배로 한 **He** 초깃값에서만 층이 깊어져도 활성값의 폭이 유지됩니다
#   (위 표에서 He의 표준편차가 층마다 거의 같고, Xavier와 작은 균등분포는 층마다 줄어듭니다).
#
# ## 4. 배치 정규화: 깊은 시그모이드 신경망이 학습되게
#
# 이번에는 실제로 학습해 봅니다. 너비 6, 시그모이드 은닉층 6개짜리 신경망을 반달 24개에 학습합니다(PyTorch 기본 초깃값 `'uniform'`).
# **배치 정규화(batch normalization)** 는 각 은닉 뉴런의 입력을 배치의 평균 $\mu_B$와 분산 $\sigma_B^2$로 정규화한 뒤, 학습되는 $\gamma$와 $\beta$로 되돌립니다.
#
# $$\hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \qquad y = \gamma\,\hat x + \beta$$
#
# 시그모이드의 입력이 항상 0 근처(거의 직선인 구간)에 머물게 되어 기울기가 살아남습니다. 같은 초기 가중치에 `nn.BatchNorm1d`만 끼운 모델과 비교합니다.
#
# 먼저 **학습 전**, 첫 번째 층의 가중치까지 도착한 기울기의 크기 $\lVert\partial L/\partial W_1\rVert$를 깊이별로 잽니다.
#
# **실행하기 전에 예측해 보세요.** 시그모이드의 도함수는 최대 $1/4$입니다. 은닉층이 2개에서 10개로 늘면 첫 층의 기울기는 대략 몇 자릿수 줄어들까요?

# %%
X_deep, y_deep = data.moons(n=24, noise=0.1, seed=0, sampling="random")
X_deep = (X_deep - X_deep.mean(axis=0)) / X_deep.std(axis=0)
HIDDEN = 6


def deep_model(kind, depth, seed=0):
    """시그모이드 은닉층 depth개. kind: 'plain', 'batchnorm'(Linear 뒤에 BatchNorm1d), 'residual'(x + sigmoid(Wx+b))."""
    modules = [nn.Linear(2, HIDDEN, seed=seed)]
    if kind == "batchnorm":
        modules.append(nn.BatchNorm1d(HIDDEN))
    modules.append(nn.Sigmoid())
    for k in range(1, depth):
        block = [nn.Linear(HIDDEN, HIDDEN, seed=seed + k)]
        if kind == "batchnorm":
            block.append(nn.BatchNorm1d(HIDDEN))
        block.append(nn.Sigmoid())
        modules += [nn.Residual(nn.Sequential(*block))] if kind == "residual" else block
    modules.append(nn.Linear(HIDDEN, 2, seed=seed + depth))
    return nn.Sequential(*modules)


def first_layer_gradient(model):
    model.zero_grad()
    mean_loss(model(X_deep), y_deep).backward()
    return math.sqrt(sum(w.grad**2 for row in model[0].weight for w in row))


KINDS = {"plain": "시그모이드만", "batchnorm": "배치 정규화", "residual": "잔차 연결"}
print(f"{'은닉층 수':>8s} " + " ".join(f"{label:>14s}" for label in KINDS.values()))
for depth in (2, 4, 6, 10):
    norms = [first_layer_gradient(deep_model(kind, depth)) for kind in KINDS]
    print(f"{depth:8d} " + " ".join(f"{g:14.2e}" for g in norms))

# %% [markdown]
# 시그모이드만 쌓으면 층 하나를 지날 때마다 기울기가 적어도 $\sigma' \le 1/4$배, 작은 가중치까지 곱해져 수십 분의 일로 줄어듭니다.
# 은닉층이 10개면 첫 층에 도착하는 기울기는 거의 0입니다. 배치 정규화를 넣으면 깊이가 늘어도 기울기의 크기가 유지됩니다.
# (잔차 연결은 5절에서 다룹니다.)
#
# 은닉층 6개로 같은 학습률의 SGD(경사 하강법, 학습률 2.0)를 20걸음 해 봅니다. (Adam은 기울기의 크기를 나눠서 정규화하므로 이 차이를 가려 버립니다. 그래서 여기서는 SGD입니다.)

# %%
DEPTH_TRAIN, STEPS = 6, 20
deep_histories = {}
for kind in KINDS:
    model = deep_model(kind, DEPTH_TRAIN)
    optimizer = SGD(model.parameters(), lr=2.0)
    history = []
    for step in range(STEPS):
        loss = mean_loss(model(X_deep), y_deep)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    deep_histories[kind] = history

fig, ax = plt.subplots(figsize=(6, 3.5))
for kind, label in KINDS.items():
    ax.plot(range(1, STEPS + 1), deep_histories[kind], label=label)
ax.set_xlabel("SGD 걸음")
ax.set_yscale("log")
ax.set_ylabel("훈련 손실 (평균 교차 엔트로피, 로그 눈금)")
ax.set_title(f"시그모이드 은닉층 {DEPTH_TRAIN}개")
ax.legend()
plt.show()
print(f"ln 2 = {math.log(2):.4f} (두 클래스에 반반씩 거는 모델의 손실)")
for kind, label in KINDS.items():
    print(f"{label}: 처음 손실 {deep_histories[kind][0]:.4f}, {STEPS}걸음 뒤 훈련 손실 {deep_histories[kind][-1]:.4f}")

# %% [markdown]
# 시그모이드만 쌓은 모델의 손실은 $\ln 2$ 근처에서 움직이지 않습니다. 첫 층들이 사실상 학습되지 않아서, 출력은 입력에 거의 상관없이 반반을 겁니다.
# 배치 정규화를 넣은 모델은 같은 학습률, 같은 초기 가중치로 학습됩니다.
# 잔차 연결 모델은 첫 걸음 뒤 손실이 크게 튀었다가 내려옵니다: 시그모이드의 출력은 모두 양수라 블록마다 $x$에 양수가 더해져 마지막 층의 입력이 커지고,
# 그만큼 큰 기울기로 큰 학습률의 첫 걸음이 지나치게 멀리 갑니다.
#
# 참고: 배치 정규화는 학습할 때 배치의 통계를 쓰고, 동시에 이동 평균(`running_mean`, `running_var`)을 모아 두었다가 평가 모드에서는 그것을 씁니다.

# %%
bn = nn.BatchNorm1d(2)
print("처음 running_mean:", bn.running_mean, " running_var:", bn.running_var)
normalised = bn(X_train)  # 학습 모드: 훈련 데이터 24개를 한 배치로
print("배치 평균:", np.round(X_train.mean(axis=0), 4), " 불편 분산:", np.round(X_train.var(axis=0, ddof=1), 4))
print("한 배치 뒤 running_mean:", np.round(bn.running_mean, 4), "= 0.9·0 + 0.1·배치 평균")
print("한 배치 뒤 running_var: ", np.round(bn.running_var, 4), "= 0.9·1 + 0.1·불편 분산")
column = np.array([[v.data for v in row] for row in normalised])
print("정규화된 출력의 평균:", np.round(column.mean(axis=0), 6) + 0.0, " 표준편차:", np.round(column.std(axis=0), 4))
bn.eval()
print("평가 모드에서 첫 샘플:", [round(v.data, 4) for v in bn([X_train[0]])[0]], "(running 통계로 정규화)")

# %% [markdown]
# ## 5. 잔차 연결: 깊이를 위한 또 다른 길
#
# ResNet의 **잔차 연결(residual connection, skip connection)** 은 블록의 출력에 입력을 그대로 더합니다: $y = x + f(x)$.
# 그러면 $\partial y/\partial x = 1 + f'(x)$이므로, $f$의 기울기가 아무리 작아도 **1** 이 그대로 뒤로 전달됩니다. 층은 입력 대비 '얼마를 더하고 뺄지'만 배우면 되고,
# $f(x)\approx 0$이면 그 블록은 건너뛰는 것과 같습니다. `nn.Residual(module)`이 이것입니다.
#
# 4절의 표에서 '잔차 연결' 열이 깊이에 상관없이 첫 층의 기울기를 유지했고, 학습 곡선에서도 시그모이드만 쌓은 모델과 달리 손실이 내려갑니다.
# 두 방법의 첫 층 기울기를 학습 곡선과 함께 정리합니다.

# %%
for kind, label in KINDS.items():
    gradient = first_layer_gradient(deep_model(kind, DEPTH_TRAIN))
    print(f"{label}: 학습 전 첫 층 기울기 {gradient:.2e}, {STEPS}걸음 뒤 훈련 손실 {deep_histories[kind][-1]:.4f}")

block = nn.Residual(nn.Sequential(nn.Linear(2, 2, seed=0), nn.Sigmoid()))
x = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
(y,) = block([x])
y[0].backward()
print(f"y1 = x1 + f(x)_1 = {x[0].data} + {y[0].data - x[0].data:.4f} = {y[0].data:.4f};  ∂y1/∂x1 = {x[0].grad:.4f} = 1 + ∂f1/∂x1")

# %% [markdown]
# ## 6. 하이퍼파라미터는 검증 세트로 고른다
#
# 학습률(learning rate)과 L2 계수 $\lambda$ 같은 **하이퍼파라미터** 는 기울기로 배우지 않으니 사람이 (또는 탐색이) 고릅니다. 이때 테스트 세트의 점수를 보고
# 고르면, 테스트 세트에 맞춘 것이 되어 테스트 점수가 더 이상 '처음 보는 데이터'의 성능이 아닙니다. 그래서 **검증 세트** 로 고르고, 테스트 세트는 마지막에 한 번만 봅니다.
#
# **무작위 탐색(random search)**: 격자를 촘촘히 도는 대신 로그 척도에서 무작위로 뽑습니다. 학습률은 $10^{-3}$~$10^{-1}$, $\lambda$는 $10^{-4}$~$10^{-1}$에서 5번 뽑아,
# 각각 처음부터 30 에포크 학습하고 **검증 손실** 을 잽니다.

# %%
search_rng = np.random.default_rng(42)
trials = []
for _ in range(5):
    lr = float(10 ** search_rng.uniform(-3, -1))
    weight_decay = float(10 ** search_rng.uniform(-4, -1))
    model = make_model()
    history = train(model, lr=lr, weight_decay=weight_decay, epochs=30)
    trials.append((history["검증"][-1][0], lr, weight_decay, model))
print(f"{'학습률':>8s} {'λ':>8s} {'검증 손실':>8s}")
for val_loss, lr, weight_decay, _ in sorted(trials, key=lambda t: t[0]):
    print(f"{lr:8.4f} {weight_decay:8.4f} {val_loss:8.3f}")
best_val_loss, best_lr, best_weight_decay, best_model = min(trials, key=lambda t: t[0])
test_loss, test_accuracy = numpy_loss_accuracy(best_model, X_test, y_test)
print(f"\n검증 손실로 고른 조합: 학습률 {best_lr:.4f}, λ {best_weight_decay:.4f}")
print(f"그 모델의 테스트 손실 {test_loss:.3f}, 테스트 정확도 {test_accuracy:.1%} (테스트 세트는 여기서 처음이자 마지막으로 봅니다)")

fig, ax = plt.subplots(figsize=(5, 3.8))
points = ax.scatter([t[1] for t in trials], [t[2] for t in trials], c=[t[0] for t in trials], cmap="viridis_r", s=60)
ax.scatter([best_lr], [best_weight_decay], s=200, facecolor="none", edgecolor="red", label="선택")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("학습률")
ax.set_ylabel("L2 계수 λ")
ax.legend()
fig.colorbar(points, label="검증 손실")
ax.set_title("무작위 탐색")
plt.show()

# %% [markdown]
# ## 7. 로지스틱 회귀는 클래스 두 개짜리 소프트맥스
#
# 이 노트북의 분류기는 클래스마다 점수(logit) $z_0, z_1$을 내고 소프트맥스로 확률을 만들었습니다. 클래스가 두 개뿐이면
#
# $$\mathrm{softmax}(z_0, z_1)_1 = \frac{e^{z_1}}{e^{z_0} + e^{z_1}} = \frac{1}{1 + e^{-(z_1 - z_0)}} = \sigma(z_1 - z_0)$$
#
# 입니다. 확률은 점수의 **차이** 에만 달려 있으므로, 음성 클래스의 점수를 0으로 고정하고(그 가중치를 0으로 두고) 양성 클래스의 점수 $z = z_1 - z_0$ 하나만 배워도
# 같은 모델입니다. 그것이 **로지스틱 회귀(logistic regression)** 의 $\sigma(\mathbf w\cdot\mathbf x + b)$입니다. 값과 기울기를 엔진으로 계산해 비교합니다.

# %%
logit_rng = np.random.default_rng(7)
worst_value = worst_grad = 0.0
for z0_data, z1_data in logit_rng.normal(scale=3.0, size=(1000, 2)):
    z0, z1 = Value(z0_data), Value(z1_data)
    p_softmax = losses.softmax([z0, z1])[1]
    p_softmax.backward()
    softmax_grads = (z0.grad, z1.grad)
    z0.grad = z1.grad = 0.0
    p_sigmoid = (z1 - z0).sigmoid()
    p_sigmoid.backward()
    worst_value = max(worst_value, abs(p_softmax.data - p_sigmoid.data))
    worst_grad = max(worst_grad, abs(softmax_grads[0] - z0.grad), abs(softmax_grads[1] - z1.grad))
print(f"무작위 로짓 쌍 1000개에서 |softmax(z0, z1)[1] - sigmoid(z1 - z0)|의 최댓값: {worst_value:.1e}")
print(f"z0, z1에 대한 기울기 차이의 최댓값: {worst_grad:.1e}")

z0, z1 = Value(0.3), Value(1.5)
p = losses.softmax([z0, z1])[1]
print(f"예: softmax(0.3, 1.5)[1] = {p.data:.6f},  sigmoid(1.5 - 0.3) = {Value(1.2).sigmoid().data:.6f}")
ce = losses.softmax_cross_entropy([z0, z1], 1)
print(f"    소프트맥스 교차 엔트로피 {ce.data:.6f} = -log sigmoid(1.2) = {-math.log(Value(1.2).sigmoid().data):.6f}")

# %% [markdown]
# ## 정리
#
# - 작은 데이터에서 오래 학습하면 훈련 손실은 내려가고 테스트 손실은 올라갑니다(과적합). L2 규제, 드롭아웃, 조기 종료는 각각 그 간격을 줄였습니다.
# - 초기화는 층마다 활성값의 폭을 정합니다. 시그모이드에는 Xavier, ReLU에는 He가 깊이에 상관없이 폭을 유지합니다.
# - 깊은 시그모이드 신경망에서는 첫 층까지 오는 기울기가 사라집니다. 배치 정규화와 잔차 연결($x + f(x)$)이 그 기울기를 살려 학습되게 합니다.
# - 하이퍼파라미터는 검증 세트로 고르고, 테스트 세트는 마지막에 한 번만 봅니다.
# - 로지스틱 회귀는 두 클래스 소프트맥스와 같은 모델입니다: $\mathrm{softmax}(z_0, z_1)_1 = \sigma(z_1 - z_0)$.
