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
# 1. 작고 잡음 많은 데이터에서 훈련 곡선과 검증 곡선이 **갈라지는** 것을 손실과 정확도로 나란히 보고,
# 2. **L2 벌점(L2 penalty)**, **드롭아웃(dropout)**, **조기 종료(early stopping)** 를 정의하고, L2 벌점과 **가중치 감쇠(weight decay)** 가 언제 같고 언제 다른지 재고,
# 3. 세 방법을 **검증 세트(validation set)** 의 손실과 정확도로 비교하고,
# 4. **컴파일 모드(compiled mode)** 로 같은 실험을 시드 여러 개에서 되풀이해 그 순위가 우연인지 확인하고,
# 5. 여기서 드롭아웃의 효과가 가장 작은 까닭에 대한 설명 하나를 실험으로 시험하고,
# 6. 드롭아웃이 **앙상블(ensemble)** 이라는 말을 재 보고,
# 7. 또 하나의 처방, **훈련 데이터를 늘리는 것** 의 효과를 재고,
# 8. 학습률과 $\lambda$를 **무작위 탐색(random search)** 으로 고르며 그것이 격자 탐색(grid search)보다 나은 까닭과 범위를 좁혀 가는 법을 보고,
# 9. 모든 결정이 끝난 뒤에 **테스트 세트(test set)** 를 단 한 번 보고,
# 10. 마지막으로 로지스틱 회귀(logistic regression)가 클래스 두 개짜리 소프트맥스(softmax)라는 것을 계산으로 보입니다.
#
# 가중치 초기화, 깊은 시그모이드 신경망의 기울기 소실, 배치 정규화, 잔차 연결은 [10b 노트북](10b_initialization_and_normalization.ipynb)에서 다룹니다.

# %%
import math
import unicodedata

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullLocator

from micrograd_ko import Value, data, losses, nn, no_grad
from micrograd_ko.compiler import trace
from micrograd_ko.optim import SGD, Adam

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False


def cell(text, width, right=False):
    """표를 맞추려고 text를 화면 너비 width로 채웁니다(한글은 두 칸을 차지하므로 두 칸으로 셉니다)."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in str(text))
    padding = " " * max(width - shown, 0)
    return padding + str(text) if right else str(text) + padding

# %% [markdown]
# ## 1. 과적합: 훈련 곡선과 검증 곡선이 갈라진다
#
# 잡음이 큰 반달 데이터(`noise=0.3`)에서 **훈련용으로 24개만** 씁니다. 데이터는 쓰임에 따라 셋으로 나눕니다.
#
# - **훈련 세트(training set)**: 기울기를 계산해 가중치를 바꾸는 데 씁니다.
# - **검증 세트(validation set)**: 학습을 언제 멈출지, 어떤 방법과 하이퍼파라미터(hyperparameter, 학습률처럼 사람이 정하는 값)가 좋은지 비교하고 고르는 데 씁니다.
# - **테스트 세트(test set)**: 모든 결정이 끝난 뒤 성능을 한 번 재는 데만 씁니다. 이 노트북에서는 9절에서 처음 만들고 그때 한 번만 봅니다.
#
# 검증 세트 300개는 훈련 세트와 다른 시드로 **따로** 뽑습니다. `sampling="random"`은 점이 반달 위 어디에 놓일지까지 무작위로 정합니다.
# 기본값 `"grid"`는 개수가 같으면 시드가 달라도 점이 같은 자리에 놓이고 잡음만 달라서, 검증 점이 훈련 점 바로 옆에 생기고 과적합이 드러나지 않습니다.

# %%
NOISE = 0.3
X_train, y_train = data.moons(n=24, noise=NOISE, seed=1, sampling="random")
X_val, y_val = data.moons(n=300, noise=NOISE, seed=2, sampling="random")
splits = {"훈련": (X_train, y_train), "검증": (X_val, y_val)}
for name, (_, y) in splits.items():
    print(f"{name}: {len(y)}개, 클래스 1의 비율 {np.mean(y):.2f}")

# %% [markdown]
# 모델은 은닉층 두 개(각 12개 뉴런, ReLU)에 출력 점수(logit) 두 개인 `nn.Sequential`입니다. 매개변수는 $(2\cdot12+12) + (12\cdot12+12) + (12\cdot2+2)$개로,
# 훈련 점 24개를 외우기에 충분합니다. 손실은 소프트맥스 교차 엔트로피(softmax cross-entropy)의 평균입니다.
#
# 평가는 기울기가 필요 없으므로, 매 에포크(epoch)마다 두 세트 전체를 평가할 때는 같은 가중치로 같은 계산을 numpy로 합니다(`numpy_logits`).
# 엔진의 출력과 같은지 먼저 확인합니다.


# %%
def make_model(width=12, dropout=0.0, seed=0):
    """2 → width → width → 2, ReLU; dropout > 0이면 각 은닉층 뒤에 Dropout을 둡니다."""
    modules = [nn.Linear(2, width, seed=seed), nn.ReLU()]
    if dropout:
        modules.append(nn.Dropout(dropout, seed=seed + 100))
    modules += [nn.Linear(width, width, seed=seed + 1), nn.ReLU()]
    if dropout:
        modules.append(nn.Dropout(dropout, seed=seed + 101))
    modules.append(nn.Linear(width, 2, seed=seed + 2))
    return nn.Sequential(*modules)


def linear_layers(model):
    return [m for m in model if isinstance(m, nn.Linear)]


def numpy_logits(model, X, scales=None):
    """평가 모드(eval)의 model과 같은 계산을 numpy 배열로 합니다(Dropout은 평가 모드에서 항등 함수).

    scales를 주면 k번째 은닉층의 출력에 scales[k]를 곱합니다(6절에서 드롭아웃 마스크를 직접 씌울 때)."""
    h = np.asarray(X, dtype=float)
    layers = linear_layers(model)
    for k, layer in enumerate(layers):
        W = np.array([[w.data for w in row] for row in layer.weight])
        b = np.array([v.data for v in layer.bias])
        h = h @ W.T + b
        if k < len(layers) - 1:
            h = np.maximum(h, 0.0)
            if scales is not None:
                h = h * scales[k]
    return h


def log_probabilities(z):
    z = z - z.max(axis=1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


def numpy_loss_accuracy(model, X, y):
    """평균 소프트맥스 교차 엔트로피와 정확도."""
    z = numpy_logits(model, X)
    return float(-log_probabilities(z)[np.arange(len(y)), y].mean()), float(np.mean(z.argmax(axis=1) == y))


def mean_loss(logits, y):
    return Value.sum(losses.softmax_cross_entropy(row, int(c)) for row, c in zip(logits, y)) / len(y)


check = make_model()
print(f"매개변수 {len(check.parameters())}개, 훈련 점 {len(y_train)}개")
with no_grad():
    engine_logits = np.array([[v.data for v in row] for row in check(X_val)])
print(f"엔진과 numpy의 로짓 차이의 최댓값: {np.abs(engine_logits - numpy_logits(check, X_val)).max():.1e}")

# %% [markdown]
# 학습 함수 하나로 모든 실험을 합니다. 한 에포크에 훈련 점 24개 **전체** 의 평균 손실로 한 걸음 가는 전체 배치(full-batch) Adam입니다.
# `weight_decay` $\lambda$는 손실에 $\lambda\sum w^2$(편향을 뺀 가중치의 제곱합)를 더하고,
# `patience`를 주면 검증 손실이 `patience` 에포크 동안 나아지지 않을 때 멈추고 가장 좋았던 가중치로 되돌립니다(조기 종료).
# 매 에포크 뒤 훈련 세트와 검증 세트의 (손실, 정확도)를 기록합니다. 테스트 세트는 없으니 볼 수도 없습니다.
#
# **실행하기 전에 예측해 보세요.** 훈련 점 24개를 150 에포크 동안 학습하면, 훈련 손실과 검증 손실은 각각 어떻게 움직일까요?
# 검증 **정확도** 는 검증 손실과 같은 때, 같은 폭으로 나빠질까요?

# %%
EPOCHS = 150


def model_weights(model):
    """편향을 뺀 가중치들: L2 벌점이 벌하는 것."""
    return [w for layer in linear_layers(model) for row in layer.weight for w in row]


def train(model, lr=0.03, weight_decay=0.0, patience=None, epochs=EPOCHS):
    """전체 배치 Adam. 매 에포크 뒤 훈련·검증 세트의 (손실, 정확도)를 기록합니다."""
    optimizer = Adam(model.parameters(), lr=lr)
    weights = model_weights(model)
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


def plot_curves(axes, history, title, stopped=None):
    """왼쪽(axes[0])에 손실, 오른쪽(axes[1])에 정확도: 훈련은 파랑, 검증은 초록."""
    epochs = np.arange(1, len(history["훈련"]) + 1)
    for name, color in [("훈련", "tab:blue"), ("검증", "tab:green")]:
        axes[0].plot(epochs, [loss for loss, _ in history[name]], color=color, label=name)
        axes[1].plot(epochs, [accuracy for _, accuracy in history[name]], color=color, label=name)
    axes[0].set_ylabel("평균 교차 엔트로피")
    axes[1].set_ylabel("정확도")
    axes[1].set_ylim(0.45, 1.02)
    for ax in axes:
        ax.set_xlabel("에포크(epoch)")
        ax.set_xlim(0, EPOCHS)
        ax.set_title(title)
        if stopped is not None:
            ax.axvline(stopped, color="gray", linestyle=":")
    axes[0].legend()


baseline = make_model()
baseline_history = train(baseline)

val_losses = [loss for loss, _ in baseline_history["검증"]]
val_accuracies = [accuracy for _, accuracy in baseline_history["검증"]]
best_loss_epoch = int(np.argmin(val_losses)) + 1
best_accuracy_epoch = int(np.argmax(val_accuracies)) + 1

fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
plot_curves(axes, baseline_history, "규제 없음", stopped=best_loss_epoch)
fig.suptitle("훈련 손실은 계속 내려가고, 검증 손실은 (점선) 뒤로 올라갑니다", y=1.02)
plt.show()

print(f"검증 손실이 가장 낮은 에포크: {best_loss_epoch} (손실 {val_losses[best_loss_epoch - 1]:.3f}, 정확도 {val_accuracies[best_loss_epoch - 1]:.1%})")
print(f"검증 정확도가 가장 높은 에포크: {best_accuracy_epoch} (손실 {val_losses[best_accuracy_epoch - 1]:.3f}, 정확도 {val_accuracies[best_accuracy_epoch - 1]:.1%})")
for name in splits:
    loss, accuracy = baseline_history[name][-1]
    print(f"{EPOCHS} 에포크 뒤 {name}: 손실 {loss:.3f}, 정확도 {accuracy:.1%}")
loss_ratio = val_losses[-1] / val_losses[best_loss_epoch - 1]
accuracy_drop = val_accuracies[best_loss_epoch - 1] - val_accuracies[-1]
print(f"검증 손실이 가장 낮던 에포크 {best_loss_epoch}에서 {EPOCHS} 에포크까지: 검증 손실은 {loss_ratio:.1f}배,"
      f" 검증 정확도는 {accuracy_drop * 100:.1f}%p 낮아짐")

# %% [markdown]
# 훈련 손실은 0을 향해 계속 내려가는데, 검증 손실은 이른 에포크에서 가장 낮았다가 그 뒤로 **올라갑니다**. 그 뒤의 학습은 규칙이 아니라 24개 점의 잡음을
# 외우는 데 쓰이고 있습니다.
#
# 정확도는 다르게 움직입니다. 검증 손실이 가장 낮던 에포크부터 끝까지 검증 손실은 3배 넘게 커졌는데, 검증 정확도는 2%p도 안 되게 낮아졌습니다(오른쪽 그림의 초록 곡선).
# 정확도는 맞혔는지 틀렸는지만 세지만, 교차 엔트로피는 틀린 점에서 **얼마나 자신 있게** 틀렸는지까지 잽니다. 외우기가 진행될수록 모델은 점수(logit)를 키워
# 모든 예측을 확신하게 되고, 이미 틀리고 있던 검증 점의 손실이 크게 자랍니다(5절에서 이것을 잽니다). 그래서 과적합은 정확도보다 손실에서 훨씬 크게 보입니다.
#
# ## 2. 규제 세 가지, 그리고 L2 벌점과 가중치 감쇠
#
# - **L2 벌점(L2 penalty)**: 손실에 $\lambda\sum w^2$를 더합니다. 그 기울기는 $2\lambda w$이므로, 경사 하강법(gradient descent)에서는 한 걸음이
#   $w \leftarrow w - \eta(g + 2\lambda w) = (1 - 2\eta\lambda)\,w - \eta g$가 되어 매 걸음 가중치가 일정한 비율로 0 쪽으로 줄어듭니다.
#   이렇게 가중치를 비율로 줄이는 것을 **가중치 감쇠(weight decay)** 라고 합니다(『밑바닥부터 시작하는 딥러닝』의 번역어로는 가중치 감소). 큰 가중치가 필요한 구불구불한 경계가 비싸집니다.
# - **드롭아웃(dropout)**: 학습할 때 은닉 뉴런의 출력을 확률 $p$로 0으로 만들고, 살아남은 출력은 $1/(1-p)$배 해서 기댓값을 유지합니다.
#   어느 한 뉴런에 기대는 외우기가 어려워집니다. 평가 모드(`model.eval()`)에서는 아무것도 하지 않습니다.
# - **조기 종료(early stopping)**: 검증 손실이 더 나아지지 않으면 멈추고, 가장 좋았던 때의 가중치로 돌아갑니다.
#
# L2 벌점과 가중치 감쇠는 흔히 같은 말로 쓰이지만, 정확히 같은 것은 **옵티마이저가 경사 하강법일 때** 뿐이며 그때도 계수가 두 배 차이 납니다.
# 아래에서 세 가지를 잽니다.
#
# 1. 벌점 $c\sum w^2$ (이 노트북의 `weight_decay=c`)를 더한 경사 하강법 한 걸음과 `SGD(weight_decay=2c)`의 한 걸음은 가중치에서 같습니다(`losses.l2`의 설명대로 계수 2).
#    (`optim.SGD` 클래스는 이름이 확률적 경사 하강법이지만, 여기서처럼 전체 배치의 기울기를 주면 그냥 경사 하강법입니다.)
# 2. 그러나 `SGD(weight_decay=...)`는 받은 **모든** 매개변수를 줄이므로 편향(bias)도 줄입니다. 이 노트북의 벌점은 편향을 빼므로 편향에서는 다릅니다.
# 3. Adam에서는 벌점의 기울기 $2cw$도 다른 기울기와 함께 그 매개변수의 기울기 크기(제곱 평균의 제곱근)로 **나뉩니다**. 그래서 손실에 넣은 L2 벌점은
#    $w$에 비례해 줄이는 가중치 감쇠가 아닙니다. 감쇠를 기울기와 떼어 $w \leftarrow w - \eta\lambda w$로 따로 하는 것이 AdamW(decoupled weight decay)입니다.
#    벌점 말고 다른 기울기가 없는 가중치 하나로 보면, Adam의 첫 걸음은 $c$와 $w$에 상관없이 정확히 학습률만큼입니다.
#
# **실행하기 전에 예측해 보세요.** 3번에서 $c$를 1000배로 키우면 Adam의 첫 걸음은 몇 배가 될까요?

# %%
c, lr = 0.01, 0.1
steps = {}
for name in ("벌점 + 경사 하강법", "SGD(weight_decay=2c)"):
    model = make_model()
    params = model.parameters()
    bias_rng = np.random.default_rng(0)  # 편향은 0에서 시작하므로, 차이가 보이도록 두 모델에 같은 무작위 편향을 줍니다
    for layer in linear_layers(model):
        for b in layer.bias:
            b.data = float(bias_rng.normal(0.0, 0.5))
    optimizer = SGD(params, lr=lr, weight_decay=2 * c if name.startswith("SGD") else 0.0)
    loss = mean_loss(model(X_train), y_train)
    if name.startswith("벌점"):
        loss = loss + c * losses.l2(model_weights(model))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    steps[name] = model
weight_gap = max(abs(a.data - b.data) for a, b in zip(*(model_weights(m) for m in steps.values())))
biases = [[b for layer in linear_layers(m) for b in layer.bias] for m in steps.values()]
bias_gap = max(abs(a.data - b.data) for a, b in zip(*biases))
print(f"한 걸음 뒤 가중치의 차이 최댓값: {weight_gap:.1e}   편향의 차이 최댓값: {bias_gap:.1e}")
print(f"  (학습률 × 2c × |처음 편향|의 최댓값 = {lr * 2 * c * max(abs(float(v)) for v in np.random.default_rng(0).normal(0.0, 0.5, len(biases[0]))):.1e})")

print("\nAdam, 손실 = c·w² 하나뿐일 때 첫 걸음의 크기:")
for c_adam in (0.001, 1.0):
    for w0 in (0.5, 2.0):
        w = Value(w0, role="parameter")
        optimizer = Adam([w], lr=0.03)
        (c_adam * w * w).backward()
        optimizer.step()
        print(f"  c = {c_adam:5.3f}, w = {w0}: 걸음 {w0 - w.data:.6f}   (AdamW의 감쇠 η·λ·w, λ = 2c: {0.03 * 2 * c_adam * w0:.6f})")

after_20 = {}
for c_adam in (0.001, 1.0):
    w = Value(2.0, role="parameter")
    optimizer = Adam([w], lr=0.03)
    for _ in range(20):
        optimizer.zero_grad()
        (c_adam * w * w).backward()
        optimizer.step()
    after_20[c_adam] = w.data
print(f"20걸음 뒤 w (처음 2.0): c = 0.001이면 {after_20[0.001]:.6f}, c = 1이면 {after_20[1.0]:.6f}"
      f" (차이 {abs(after_20[0.001] - after_20[1.0]):.0e}, 분모의 eps = 1e-8 때문)")

# %% [markdown]
# 가중치는 반올림 오차 수준까지 같고, 편향은 `SGD(weight_decay=2c)`가 줄인 만큼(학습률 × $2c$ × 편향) 다릅니다. Adam의 첫 걸음은 $c$와 $w$를 바꿔도 모두 학습률 0.03입니다:
# 벌점의 기울기가 자기 크기로 나뉘어 버린 것입니다. 20걸음 뒤의 위치도 $c$를 1000배 바꾼 두 경우가 사실상 같습니다: Adam은 기울기에 같은 수를 곱해도 걸음이 바뀌지 않으므로
# (분자 $\hat m$과 분모 $\sqrt{\hat v}$가 같이 커집니다), 벌점만 있는 가중치에서는 $c$가 아무 일도 하지 않습니다. 실제 모델에서는 벌점의 기울기가 데이터의 기울기와
# 섞인 뒤 나뉘므로, 데이터의 기울기가 큰 가중치일수록 벌점이 덜 작용합니다.
# 이 노트북의 실험은 Adam에 벌점을 더한 것이므로, 아래에서는 가중치 감쇠라 부르지 않고 **L2 벌점** 이라 부릅니다.
#
# **드롭아웃의 $p$는 두 가지로 씁니다.** 강의 노트(seed 004)는 드롭아웃을 "(1−p) 확률로 노드를 학습에서 무시"한다고 씁니다. 거기의 $p$는 드롭아웃의 대표
# 논문(Srivastava 외, 2014)처럼 **남길** 확률이고, 이 노트북과 PyTorch의 `nn.Dropout(p)`의 $p$는 **버릴** 확률입니다. 남길 확률로 쓰인 글은 `nn.Dropout(p=1 - 남길 확률)`로 옮깁니다.

# %%
keep_probability = 0.7  # 강의 노트의 p: 남길 확률
dropout_layer = nn.Dropout(p=1 - keep_probability, seed=0)  # 이 노트북(PyTorch)의 p: 버릴 확률 0.3
dropout_layer([[Value(1.0) for _ in range(100)] for _ in range(100)])
kept = np.mean(dropout_layer.mask)
print(f"nn.Dropout(p={dropout_layer.p:.1f})가 출력 10,000개 중 남긴 비율: {kept:.3f}, 버린 비율: {1 - kept:.3f}")

# %% [markdown]
# ## 3. 세 방법을 검증 세트로 비교하기
#
# 네 모델 모두 규제 없는 모델과 **같은 시드의 초기 가중치** 에서 출발합니다: L2 벌점 $\lambda=0.01$, 드롭아웃 $p=0.3$(버릴 확률), 조기 종료 patience 15.
# 비교는 검증 세트의 손실과 정확도로 합니다(검증 손실이 낮은 순서로 출력합니다).
#
# **실행하기 전에 예측해 보세요.** 네 모델 중 검증 손실이 가장 낮은 것은 무엇일까요? 조기 종료 모델의 **훈련** 손실은 다른 모델보다 높을까요, 낮을까요?

# %%
METHODS = {
    "규제 없음": {},
    "L2 벌점 λ=0.01": {"weight_decay": 0.01},
    "드롭아웃 p=0.3": {"dropout": 0.3},
    "조기 종료 patience=15": {"patience": 15},
}
runs = {"규제 없음": (baseline, baseline_history)}
for name, options in METHODS.items():
    if name not in runs:
        options = dict(options)
        model = make_model(dropout=options.pop("dropout", 0.0))
        runs[name] = (model, train(model, **options))

results = {}
for name, (model, _) in runs.items():
    model.eval()
    results[name] = (*numpy_loss_accuracy(model, X_train, y_train), *numpy_loss_accuracy(model, X_val, y_val))
print(cell("", 24) + "".join(cell(h, w, right=True) for h, w in [("훈련 손실", 11), ("검증 손실", 11), ("훈련 정확도", 13), ("검증 정확도", 13), ("에포크", 8)]))
for name in sorted(results, key=lambda n: results[n][2]):
    train_loss, train_acc, val_loss, val_acc = results[name]
    print(f"{cell(name, 24)}{train_loss:11.3f}{val_loss:11.3f}{train_acc:13.1%}{val_acc:13.1%}{len(runs[name][1]['훈련']):8d}")
standard_error = math.sqrt(0.85 * 0.15 / len(y_val))
print(f"\n정확도 85%를 검증 점 {len(y_val)}개로 잴 때의 표준오차(standard error): {standard_error:.1%}p")

fig, axes = plt.subplots(2, 4, figsize=(16, 6.4), sharey="row")
for column, (name, (_, history)) in enumerate(runs.items()):
    stopped = len(history["훈련"]) - 15 if "조기" in name else None
    plot_curves(axes[:, column], history, name, stopped=stopped)
for ax in axes[:, 1:].ravel():
    ax.set_ylabel("")
fig.suptitle("위: 손실, 아래: 정확도 (훈련 파랑, 검증 초록; 조기 종료의 점선은 되돌아간 에포크)", y=1.0)
fig.tight_layout()
plt.show()

# %% [markdown]
# 검증 손실로 줄을 세우면 L2 벌점과 조기 종료가 앞에 서고, 드롭아웃은 규제 없음보다는 낫지만 둘과 거리가 멉니다(위 표).
# 정확도로는 네 모델의 차이가 검증 점 300개의 표준오차(약 2%p)와 비슷한 크기라 순위를 말하기 어렵습니다.
#
# 세 방법의 세기($\lambda$, $p$, patience)는 흔히 쓰는 값 하나씩만 썼습니다. 공정하게 겨루려면 각자의 세기도 검증 세트로 골라야 합니다
# (5절이 $p$를 하나 더, 8절이 $\lambda$를 여러 값 시험합니다).
#
# 조기 종료 모델의 **훈련** 손실은 네 모델 중 가장 높습니다. 훈련 손실과 검증 손실의 간격이 작은 것은 과적합이 적어서이기도 하지만, 일찍 멈춰서 훈련 데이터도
# 덜 맞췄기 때문(과소적합, underfitting)이기도 합니다. 그래서 간격 하나로 방법들을 줄 세우면 안 되고, 검증 세트에서의 성능 자체를 비교해야 합니다.
#
# 곡선에서 보면, L2 벌점은 훈련 손실이 0으로 내려가지 못하게 붙잡아 검증 손실이 올라가지 않습니다. 드롭아웃 모델은 훈련 손실이 더 천천히 내려가고,
# 검증 손실은 규제 없음보다 작게 올라가지만 끝내 올라갑니다. 조기 종료는 검증 손실이 가장 낮던 에포크(점선)에서 15 에포크를 더 기다린 뒤 멈추고 그때로 돌아갑니다.
# 네 모델의 결정 경계(decision boundary)를 그려 보면 무엇이 달라졌는지 보입니다.

# %%
grid_x, grid_y = np.meshgrid(np.linspace(-1.8, 2.8, 120), np.linspace(-1.4, 1.9, 90))
grid_points = np.column_stack([grid_x.ravel(), grid_y.ravel()])
fig, axes = plt.subplots(1, 4, figsize=(16, 3.6), sharey=True)
for ax, (name, (model, _)) in zip(axes, runs.items()):
    scores = numpy_logits(model, grid_points)
    ax.contourf(grid_x, grid_y, (scores[:, 1] - scores[:, 0]).reshape(grid_x.shape) > 0, levels=1,
                colors=["#dbe8f5", "#f7dcdc"])
    for label, color in [(0, "tab:blue"), (1, "tab:red")]:
        ax.scatter(*X_val[y_val == label].T, s=6, color=color, alpha=0.3)
        ax.scatter(*X_train[y_train == label].T, s=30, color=color, edgecolor="black")
    ax.set_title(name)
    ax.set_xlabel("x1")
axes[0].set_ylabel("x2")
fig.suptitle("결정 경계 (테두리 있는 점: 훈련 24개, 흐린 점: 검증 300개)", y=1.03)
plt.show()

# %% [markdown]
# 규제 없는 모델은 훈련 점 하나하나를 감싸려고 경계를 구부립니다. L2 벌점과 조기 종료의 경계는 두 반달 사이를 매끈하게 지나갑니다.
#
# ## 4. 한 번의 실험은 우연일 수 있다: 컴파일 모드로 여러 번
#
# 3절의 순위는 훈련 점 24개 한 벌과 초기 가중치 한 벌에서 나온 것입니다. 다른 24개, 다른 초기 가중치에서도 그럴까요? 확인하려면 같은 학습을 여러 번 해야 합니다.
# 그런데 즉시 실행(eager) 모드는 매 걸음 샘플마다 스칼라 노드로 된 그래프를 새로 만듭니다. **컴파일 모드** (`micrograd_ko.compiler.trace`, 15번 노트북)는
# 샘플 하나의 그래프를 한 번 기록해 두고, 배치 전체를 numpy로 한 번에 계산합니다. 계산은 같고 순서만 묶어서 하므로 결과도 같습니다.
#
# 기록에는 한 가지가 걸립니다. 드롭아웃의 무작위 마스크(mask, 어느 뉴런을 끌지 정한 0과 1)는 걸음마다 바뀌므로 샘플 하나의 그래프에 고정해 둘 수 없습니다(그래서 `trace`는 학습 모드의 `nn.Dropout`을 거절합니다).
# 여기서는 마스크를 **샘플의 입력** 으로 만듭니다: 샘플 하나 = (x1, x2, 원-핫(one-hot) 정답 두 개, 은닉 뉴런마다 곱할 배율 0 또는 $1/(1-p)$).
# 배율은 `nn.Dropout`과 같은 시드의 난수 생성기에서 같은 순서로 뽑으므로, 즉시 실행과 **같은 마스크** 가 나옵니다. L2 벌점의 기울기 $2\lambda w$는 손으로 더합니다.
# 손실은 두 클래스의 소프트맥스 교차 엔트로피를 $\mathrm{softplus}(z_{\text{틀린 쪽}} - z_{\text{맞는 쪽}})$로 씁니다(10절의 식과 같은 것). `losses.log_softmax`는 점수를
# 가장 큰 점수만큼 빼서 넘침(overflow)을 막는데, 기록하면 그 뺄셈이 예시 샘플의 값으로 굳어 버리기 때문입니다(15번 노트북의 '기록의 한계').

# %%
def compile_training(width=12, dropout=0.0):
    """샘플 하나의 손실을 기록(trace)합니다. 모델에는 Dropout 층이 없고, 드롭아웃 배율은 샘플의 입력으로 들어옵니다."""
    model = make_model(width)
    first, relu_1, second, relu_2, last = model

    def sample_loss(sample):
        x, target, scale = sample[:2], sample[2:4], sample[4:]
        h = relu_1(first([x]))[0]
        if dropout:
            h = [a * s for a, s in zip(h, scale[:width])]
        h = relu_2(second([h]))[0]
        if dropout:
            h = [a * s for a, s in zip(h, scale[width:])]
        z0, z1 = last([h])[0]
        # 두 클래스의 -log softmax: -log p1 = softplus(z0 - z1), -log p0 = softplus(z1 - z0) (10절에서 확인합니다)
        return target[0] * (z1 - z0).softplus() + target[1] * (z0 - z1).softplus()

    example = [0.0, 0.0, 1.0, 0.0] + ([1.0] * (2 * width) if dropout else [])
    return model, trace(sample_loss, example, model.parameters())


PROGRAMS = {}  # (width, dropout) → (model, program): 구조마다 한 번만 기록합니다
compiled_work = {"models": 0, "eager_nodes": 0}  # 컴파일 모드로 학습한 모델 수, 즉시 실행이었다면 만들었을 노드 수


def fit(X, y, width=12, dropout=0.0, weight_decay=0.0, lr=0.03, epochs=EPOCHS, patience=None, seed=0, record=False):
    """train()과 같은 학습을 컴파일 모드로 합니다. 모델과 (record=True이거나 patience가 있으면) 검증 기록을 돌려줍니다."""
    if (width, dropout) not in PROGRAMS:
        PROGRAMS[width, dropout] = compile_training(width, dropout)
    model, program = PROGRAMS[width, dropout]
    params, weights = model.parameters(), model_weights(model)
    for p, start in zip(params, make_model(width, seed=seed).parameters()):
        p.data = start.data  # 같은 시드의 초기 가중치에서 다시 출발
    optimizer = Adam(params, lr=lr)
    mask_rngs = [np.random.default_rng(seed + 100), np.random.default_rng(seed + 101)]  # nn.Dropout과 같은 시드
    targets = np.column_stack([1 - y, y]).astype(float)
    history, best = [], (math.inf, 0, None)
    for epoch in range(1, epochs + 1):
        if dropout:
            keep = [rng.random((len(y), width)) >= dropout for rng in mask_rngs]
            scales = np.where(np.concatenate(keep, axis=1), 1 / (1 - dropout), 0.0)
            batch = np.column_stack([X, targets, scales])
        else:
            batch = np.column_stack([X, targets])
        optimizer.zero_grad()
        program.loss(batch)
        program.backward()
        if weight_decay:
            for w in weights:
                w.grad += 2 * weight_decay * w.data  # L2 벌점 λΣw²의 기울기
        optimizer.step()
        if record or patience is not None:
            history.append(numpy_loss_accuracy(model, X_val, y_val))
        if patience is not None:
            if history[-1][0] < best[0]:
                best = (history[-1][0], epoch, [p.data for p in params])
            elif epoch - best[1] >= patience:
                break
    if patience is not None:
        for p, value in zip(params, best[2]):
            p.data = value
    compiled_work["models"] += 1
    compiled_work["eager_nodes"] += program.size().nodes * len(y) * epoch
    return model, history


for name, options in METHODS.items():
    model, _ = fit(X_train, y_train, **options)
    eager_params = [p.data for p in runs[name][0].parameters()]
    difference = max(abs(p.data - q) for p, q in zip(model.parameters(), eager_params))
    print(f"{cell(name, 24)}즉시 실행과 컴파일 모드의 학습 뒤 매개변수 차이 최댓값: {difference:.1e}")

nodes = PROGRAMS[12, 0.3][1].size()
print(f"\n드롭아웃 모델: 기록한 샘플 하나의 그래프는 노드 {nodes.nodes}개. 즉시 실행은 한 걸음에 이런 그래프를 {len(y_train)}개"
      f" (노드 약 {nodes.nodes * len(y_train):,}개) 새로 만들고, 컴파일 모드는 그룹 {nodes.groups}개를 numpy 호출 {nodes.calls_per_step}번으로 계산합니다")

# %% [markdown]
# 차이는 반올림 오차 수준입니다. 이제 훈련 세트 다섯 벌(시드 11–15로 새로 뽑은 24개씩)과 초기 가중치 다섯 벌(시드 0–4)을 짝지어 같은 비교를 다섯 번 합니다.
# 검증 세트는 그대로입니다. 모델 20개를 150 에포크씩 학습하는 일입니다(이 노트북이 컴파일 모드로 한 일의 양은 9절에서 셉니다).
#
# **실행하기 전에 예측해 보세요.** 3절의 순위(L2 벌점·조기 종료 > 드롭아웃 > 규제 없음)는 다섯 번 모두 그대로일까요?

# %%
REPEATS = 5
repeated = {name: [] for name in METHODS}
for r in range(REPEATS):
    X_r, y_r = data.moons(n=24, noise=NOISE, seed=11 + r, sampling="random")
    for name, options in METHODS.items():
        model, _ = fit(X_r, y_r, seed=r, **options)
        repeated[name].append((*numpy_loss_accuracy(model, X_r, y_r), *numpy_loss_accuracy(model, X_val, y_val)))
print(cell("(다섯 번의 평균)", 24) + cell("훈련 손실", 11, right=True) + cell("검증 손실 ± 표준편차", 22, right=True)
      + cell("검증 정확도", 13, right=True) + "   검증 손실, 다섯 번 각각")
for name, rows in sorted(repeated.items(), key=lambda item: np.mean([row[2] for row in item[1]])):
    rows = np.array(rows)
    each = " ".join(f"{v:.3f}" for v in rows[:, 2])
    print(f"{cell(name, 24)}{rows[:, 0].mean():11.3f}{rows[:, 2].mean():14.3f} ± {rows[:, 2].std():.3f}{rows[:, 3].mean():13.1%}   {each}")
ranks = np.argsort(np.argsort(np.array([[row[2] for row in rows] for rows in repeated.values()]), axis=0), axis=0) + 1
for name, rank in zip(repeated, ranks):
    print(f"{cell(name, 24)}다섯 번의 순위(1 = 검증 손실이 가장 낮음): {' '.join(map(str, rank))}")

# %% [markdown]
# 평균으로는 3절의 순위가 그대로입니다. L2 벌점과 조기 종료는 평균이 거의 같고 다섯 번 중 한 번은 순위가 바뀝니다.
# 드롭아웃은 다섯 번 모두 3위, 규제 없음은 모두 4위입니다. 검증 정확도의 평균은 네 방법이 82.5%~84.6%에 모여 있어(폭이 3절의 표준오차 2.1%p 정도),
# 정확도로는 여전히 순위를 말할 수 없습니다.
# 훈련 세트가 바뀌면 검증 손실 자체도 꽤 흔들립니다(표준편차). 한 번의 실험만 보고 결론을 내리면 안 되는 까닭입니다.
#
# ## 5. 왜 여기서 드롭아웃의 효과가 가장 작을까: 설명 하나를 시험하기
#
# 그럴듯한 설명 하나는 "은닉 뉴런이 12개뿐인 작은 신경망이라, 몇 개를 꺼도 외우기를 막지 못한다"입니다. 이 설명이 맞다면 **너비를 늘리면** 드롭아웃이
# L2 벌점을 따라잡아야 합니다. 너비 12와 36에서 규제 없음, 드롭아웃 $p=0.3$과 $p=0.5$, L2 벌점 $\lambda=0.01$을 4절의 다섯 벌로 다시 학습해 검증 손실의 평균을 봅니다.
# ($p=0.5$는 또 하나의 설명, "드롭아웃을 너무 약하게 걸었다"도 함께 시험합니다.)
#
# **실행하기 전에 예측해 보세요.** 너비 36에서 드롭아웃의 검증 손실은 L2 벌점에 가까워질까요?

# %%
WIDTH_METHODS = {
    "규제 없음": {},
    "드롭아웃 p=0.3": {"dropout": 0.3},
    "드롭아웃 p=0.5": {"dropout": 0.5},
    "L2 벌점 λ=0.01": {"weight_decay": 0.01},
}
by_width = {}
for width in (12, 36):
    for name, options in WIDTH_METHODS.items():
        val = []
        for r in range(REPEATS):
            X_r, y_r = data.moons(n=24, noise=NOISE, seed=11 + r, sampling="random")
            model, _ = fit(X_r, y_r, width=width, seed=r, **options)
            val.append(numpy_loss_accuracy(model, X_val, y_val)[0])
        by_width[width, name] = np.mean(val)
print(cell("검증 손실 (다섯 벌의 평균)", 30) + "".join(cell(name, 17, right=True) for name in WIDTH_METHODS))
for width in (12, 36):
    print(cell(f"  너비 {width} (매개변수 {len(make_model(width).parameters())}개)", 30) + "".join(f"{by_width[width, name]:17.3f}" for name in WIDTH_METHODS)
          + f"   드롭아웃이 규제 없음보다 줄인 비율 {1 - by_width[width, '드롭아웃 p=0.3'] / by_width[width, '규제 없음']:.0%}")


def margin_report(model):
    """검증 세트에서: 손실 중 틀린 점이 차지하는 몫, 틀린 점의 점수 차 |z1 − z0|의 평균, 가중치의 L2 노름."""
    z = numpy_logits(model, X_val)
    per_point = -log_probabilities(z)[np.arange(len(y_val)), y_val]
    wrong = z.argmax(axis=1) != y_val
    norm = math.sqrt(sum(w.data**2 for w in model_weights(model)))
    return per_point[wrong].sum() / per_point.sum(), np.abs(z[wrong, 1] - z[wrong, 0]).mean(), norm


print("\n" + cell("3절의 모델들, 검증 세트에서", 26) + cell("틀린 점의 손실 몫", 19, right=True) + cell("틀린 점의 |z1−z0|", 19, right=True)
      + cell("가중치 노름", 13, right=True))
for name, (model, _) in runs.items():
    share, margin, norm = margin_report(model)
    print(f"  {cell(name, 24)}{share:19.0%}{margin:19.2f}{norm:13.1f}")

# %% [markdown]
# 설명은 맞지 않습니다. 너비를 세 배로 늘리면 드롭아웃이 규제 없음보다 줄이는 비율은 오히려 작아지고,
# 드롭아웃 모델의 검증 손실은 L2 벌점에 가까워지기는커녕 더 커집니다(위 표). L2 벌점의 검증 손실은 너비와 거의 상관없습니다.
# 드롭아웃을 $p=0.5$로 세게 걸면 두 너비 모두에서 $p=0.3$보다 조금 나아지지만, L2 벌점과의 거리는 여전히 큽니다. 세기만의 문제도 아닙니다.
#
# 아래 표가 다른 답을 가리킵니다. 규제 없는 모델의 검증 손실은 거의 다 **틀린 점** 에서 나오고, 그 점들에서 두 점수의 차이 $|z_1 - z_0|$가 큽니다: 자신 있게 틀립니다.
# L2 벌점은 가중치의 크기(노름, norm)를 직접 벌하므로 점수 차가 작고, 틀려도 조금만 틀립니다. 드롭아웃은 가중치의 크기를 벌하지 않습니다. 드롭아웃 모델의 가중치 노름과
# 틀린 점의 점수 차는 규제 없음과 L2 벌점 사이에 있고, 검증 손실도 그렇습니다. 이 데이터에서 검증 손실을 정하는 것은 '얼마나 자신 있게 틀리는가'이고,
# 세 방법 중 드롭아웃이 그것을 가장 적게 막습니다. (세 모델의 숫자가 함께 움직인다는 관찰이지, 원인을 떼어 내 증명한 것은 아닙니다.)
#
# ## 6. 드롭아웃은 앙상블이다: 재 보기
#
# 드롭아웃으로 학습한다는 것은 마스크마다 다른 **솎아 낸(thinned) 신경망** 을 번갈아 학습한다는 뜻입니다. 은닉 뉴런 24개를 끄거나 켜는 방법은 $2^{24}$가지이고,
# 모두가 가중치를 나눠 씁니다. 여러 모델의 예측을 평균하는 것을 **앙상블(ensemble)** 이라고 하는데, 평가 모드의 신경망 하나는 이 많은 모델의 평균을 흉내 냅니다:
# 원 논문은 테스트 때 가중치에 남길 확률 $1-p$를 곱하고(weight scaling), `nn.Dropout`처럼 학습 때 $1/(1-p)$배 해 두는 방식(inverted dropout)에서는
# 평가 모드가 아무것도 하지 않는 것이 같은 일입니다. 이 흉내가 얼마나 맞는지, 3절의 드롭아웃 모델로 **진짜 평균** 과 비교합니다:
# 마스크 $K$개를 뽑아 솎아 낸 신경망 $K$개의 확률을 평균합니다.
#
# **실행하기 전에 예측해 보세요.** 솎아 낸 신경망 **하나** 의 검증 손실은 평가 모드 신경망보다 좋을까요, 나쁠까요? $K$개를 평균하면 어떨까요?

# %%
P_DROP = 0.3
dropout_model = runs["드롭아웃 p=0.3"][0]
dropout_model.eval()
eval_loss, eval_accuracy = numpy_loss_accuracy(dropout_model, X_val, y_val)
ensemble_rng = np.random.default_rng(5)
K_VALUES = [1, 2, 5, 10, 20, 50, 100, 200]
probability_sum, single_losses, ensemble = np.zeros((len(y_val), 2)), [], {}
for k in range(1, K_VALUES[-1] + 1):
    scales = [np.where(ensemble_rng.random((len(y_val), 12)) >= P_DROP, 1 / (1 - P_DROP), 0.0) for _ in range(2)]
    probabilities = np.exp(log_probabilities(numpy_logits(dropout_model, X_val, scales)))
    single_losses.append(-np.log(probabilities[np.arange(len(y_val)), y_val]).mean())
    probability_sum += probabilities
    if k in K_VALUES:
        mean_probability = probability_sum / k
        ensemble[k] = (-np.log(mean_probability[np.arange(len(y_val)), y_val]).mean(),
                       np.mean(mean_probability.argmax(axis=1) == y_val))

print(f"{cell('평가 모드 신경망 하나:', 38)}검증 손실 {eval_loss:.3f}, 정확도 {eval_accuracy:.1%}")
print(f"{cell(f'솎아 낸 신경망 하나 ({K_VALUES[-1]}개의 평균):', 38)}검증 손실 {np.mean(single_losses):.3f}")
for k, (loss, accuracy) in ensemble.items():
    print(f"{cell(f'솎아 낸 신경망 {k:3d}개의 확률 평균:', 38)}검증 손실 {loss:.3f}, 정확도 {accuracy:.1%}")
l2_loss = results["L2 벌점 λ=0.01"][2]
closed = (eval_loss - ensemble[K_VALUES[-1]][0]) / (eval_loss - l2_loss)
print(f"평가 모드({eval_loss:.3f})와 3절의 L2 벌점({l2_loss:.3f}) 사이의 거리 중 {K_VALUES[-1]}개 평균이 메운 몫: {closed:.0%}")

fig, ax = plt.subplots(figsize=(6.5, 3.6))
ax.plot(K_VALUES, [ensemble[k][0] for k in K_VALUES], "o-", label="솎아 낸 신경망 K개의 평균")
ax.axhline(eval_loss, color="tab:red", linestyle="--", label="평가 모드 신경망 (가중치 배율)")
ax.axhline(np.mean(single_losses), color="gray", linestyle=":", label="솎아 낸 신경망 하나 (평균)")
ax.set_xscale("log")
ax.set_xticks(K_VALUES, [str(k) for k in K_VALUES])
ax.xaxis.set_minor_locator(NullLocator())
ax.set_xlabel("평균한 신경망의 수 K (로그 눈금)")
ax.set_ylabel("검증 손실")
ax.set_title("드롭아웃 모델: 진짜 앙상블과 평가 모드")
ax.legend()
plt.show()

# %% [markdown]
# 솎아 낸 신경망 하나하나는 평가 모드 신경망보다 나쁘지만, 그 확률을 평균하면 두 개만으로 평가 모드보다 좋아지고, 200개에서는 평가 모드와 L2 벌점 사이의 거리를
# 대부분 메웁니다(위의 마지막 줄). 정확도는 거의 그대로입니다. 즉 이 모델에서 평가 모드(가중치 배율)는 앙상블의 평균을 잘 흉내 내지 못합니다.
# 가중치 배율이 솎아 낸 모델들의 (기하) 평균을 정확히 주는 것은 은닉층 없이 소프트맥스 층 하나뿐인 모델이고, ReLU 은닉층을 지나면 근사일 뿐입니다.
# 3절에서 드롭아웃 모델의 검증 손실이 높았던 것도 상당 부분 이 근사에서 옵니다: 같은 가중치로 진짜 평균을 내면 L2 벌점과의 거리 대부분이 메워집니다.
# 대신 예측할 때 $K$배의 계산을 치러야 합니다.
# (학습이 끝난 뒤에도 드롭아웃을 켜 둔 채 여러 번 예측해 평균하는 이 방법을 MC 드롭아웃(Monte Carlo dropout)이라고도 합니다.)
#
# ## 7. 또 하나의 처방: 데이터를 더 모으기
#
# 강의 노트(seed 004)는 과적합을 이겨 낸 방법의 하나로 학습 데이터를 많이 모으는 것을 꼽습니다. 외울 점이 많아지면 잡음까지 외우기가 어려워지기 때문입니다.
# 규제 없는 모델을 훈련 점 24개부터 384개까지 늘려 가며(크기마다 훈련 세트 세 벌) 같은 150 에포크 학습합니다. 점 384개를 즉시 실행으로 학습하면 한 걸음에
# 노드 수만 개를 만들어야 하니, 여기도 컴파일 모드가 맡습니다.
#
# **실행하기 전에 예측해 보세요.** 훈련 점을 16배로 늘리면 훈련 손실은 올라갈까요, 내려갈까요? 검증 손실과의 간격은?

# %%
SIZES = [24, 48, 96, 192, 384]
by_size = {}
for n in SIZES:
    rows = []
    for r in range(3):
        X_n, y_n = data.moons(n=n, noise=NOISE, seed=31 + r, sampling="random")
        model, _ = fit(X_n, y_n, seed=r)
        rows.append((*numpy_loss_accuracy(model, X_n, y_n), *numpy_loss_accuracy(model, X_val, y_val)))
    by_size[n] = np.mean(rows, axis=0)
headers = [("훈련 점", 8), ("훈련 손실", 11), ("검증 손실", 11), ("간격", 8), ("훈련 정확도", 13), ("검증 정확도", 13)]
print("".join(cell(h, w, right=True) for h, w in headers) + "   (세 벌의 평균)")
for n, (train_loss, train_acc, val_loss, val_acc) in by_size.items():
    print(f"{n:8d}{train_loss:11.3f}{val_loss:11.3f}{val_loss - train_loss:8.3f}{train_acc:13.1%}{val_acc:13.1%}")
print(f"\n점 384개일 때 즉시 실행이 한 걸음에 만들 노드: {PROGRAMS[12, 0.0][1].size().nodes * 384:,}개")

fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
for column, (label, ylabel) in enumerate([("손실", "평균 교차 엔트로피"), ("정확도", "정확도")]):
    axes[column].plot(SIZES, [by_size[n][column] for n in SIZES], "o-", color="tab:blue", label="훈련")
    axes[column].plot(SIZES, [by_size[n][2 + column] for n in SIZES], "o-", color="tab:green", label="검증")
    axes[column].set_xscale("log")
    axes[column].set_xticks(SIZES, [str(n) for n in SIZES])
    axes[column].xaxis.set_minor_locator(NullLocator())
    axes[column].set_xlabel("훈련 점의 수 (로그 눈금)")
    axes[column].set_ylabel(ylabel)
    axes[column].set_title(f"{EPOCHS} 에포크 뒤의 {label} (규제 없음)")
    axes[column].legend()
plt.show()

# %% [markdown]
# 훈련 손실은 점 24·48개에서는 0에 가깝다가 96개부터 **올라가고** (외우기가 어려워지고), 검증 손실은 줄곧 내려가서 간격이 크게 줄어듭니다.
# 384개에서는 규제 없이도 3절의 어떤 규제보다 검증 손실이 낮고, 검증 정확도도 7%p 가까이 올라갑니다. 데이터를 더 모을 수 있다면 그것이 가장 확실한 처방입니다. 규제는 데이터를 더 모을 수 없을 때 쓰는 차선책입니다.
#
# ## 8. 하이퍼파라미터는 검증 세트로 고른다: 무작위 탐색
#
# 학습률(learning rate)과 L2 계수 $\lambda$ 같은 **하이퍼파라미터(hyperparameter)** 는 기울기로 배우지 않으니 사람이 (또는 탐색이) 고릅니다.
# 테스트 세트의 점수를 보고 고르면 테스트 세트에 맞춘 것이 되어, 그 점수가 더 이상 '처음 보는 데이터'의 성능이 아닙니다. 그래서 검증 세트로 고릅니다.
#
# **왜 격자가 아니라 무작위인가.** 시도를 9번 할 수 있다고 합시다. 3×3 **격자 탐색(grid search)** 은 학습률을 3가지, $\lambda$를 3가지만 시험합니다.
# **무작위 탐색(random search)** 은 두 값을 로그 척도에서 무작위로 뽑으므로 9번 모두 학습률도 $\lambda$도 서로 다릅니다. 하이퍼파라미터 중 결과를 크게 좌우하는 것이
# 소수일 때(흔히 그렇습니다), 격자는 중요한 쪽을 3가지밖에 못 보고 나머지 시도는 중요하지 않은 쪽만 바꾸는 데 씁니다(Bergstra & Bengio, 2012).
#
# 탐색 범위는 학습률 $10^{-2}$~$10^{-0.5}$(Adam의 흔한 값 0.03 둘레), $\lambda$ $10^{-6}$~$1$(알맞은 크기를 모르니 여섯 자릿수)로 정합니다.
# 먼저 이 범위 안에서 어느 쪽이 중요한지 잽니다: 한쪽을 고정하고 다른 쪽만 바꿔 가며 학습합니다(각 100 에포크).
#
# **실행하기 전에 예측해 보세요.** 학습률을 범위의 끝에서 끝까지(약 30배) 바꿀 때와 $\lambda$를 끝에서 끝까지 바꿀 때, 검증 손실은 어느 쪽에서 더 크게 달라질까요?

# %%
SEARCH_EPOCHS = 100
LR_RANGE, LAMBDA_RANGE = (-2.0, -0.5), (-6.0, 0.0)  # 로그10 척도의 범위


def validation_loss(lr, weight_decay):
    model, _ = fit(X_train, y_train, lr=lr, weight_decay=weight_decay, epochs=SEARCH_EPOCHS)
    return numpy_loss_accuracy(model, X_val, y_val)[0]


lambda_scan = 10 ** np.linspace(*LAMBDA_RANGE, 13)
lr_scan = 10 ** np.linspace(*LR_RANGE, 7)
loss_by_lambda = [validation_loss(0.03, lam) for lam in lambda_scan]
print("학습률 0.03에서 λ = 10^-6 … 1 (반 자릿수 간격):", " ".join(f"{v:.2f}" for v in loss_by_lambda))
loss_by_lr = {}
for lam in (0.01, 1e-4):
    loss_by_lr[lam] = [validation_loss(lr, lam) for lr in lr_scan]
    print(f"λ = {lam:g}에서 학습률 = 0.01 … 0.32 (1/4 자릿수 간격):", " ".join(f"{v:.2f}" for v in loss_by_lr[lam]))
print(f"\n검증 손실의 폭(최대 − 최소): λ를 바꿀 때 {max(loss_by_lambda) - min(loss_by_lambda):.3f},"
      f" 학습률을 바꿀 때 {max(loss_by_lr[0.01]) - min(loss_by_lr[0.01]):.3f} (λ = 0.01) / {max(loss_by_lr[1e-4]) - min(loss_by_lr[1e-4]):.3f} (λ = 0.0001)")
good = np.array(loss_by_lambda) <= min(loss_by_lambda) + 0.02
good_low, good_high = lambda_scan[good].min(), lambda_scan[good].max()
good_fraction = (math.log10(good_high) - math.log10(good_low) + 0.5) / (LAMBDA_RANGE[1] - LAMBDA_RANGE[0])
print(f"최솟값 + 0.02 안에 드는 λ: {good_low:.4f} ~ {good_high:.4f} (반 자릿수 간격의 점 {good.sum()}개가 맡는 폭: 로그 척도로 λ 탐색 범위의 약 {good_fraction:.0%})")

# %% [markdown]
# $\lambda$가 좋은 범위(0.01 근처)에 있으면 학습률은 탐색 범위 안 어디서나 거의 같은 결과를 냅니다. 학습률이 결과를 바꾸는 것은 $\lambda$가 너무 작아
# 과적합할 때뿐이고(학습률에 따라 같은 100 에포크에 얼마나 외우는지가 달라집니다), 그때는 어차피 좋은 결과가 아닙니다.
# 즉 이 탐색 범위에서 가장 좋은 결과를 정하는 하이퍼파라미터는 주로 $\lambda$ 하나입니다.
#
# 이제 같은 범위 안에서 9번씩 격자 탐색과 무작위 탐색을 합니다. 격자는 각 축을 (로그 척도로) 세 칸으로 나눈 칸의 가운데 값을 씁니다.

# %%
def search(points):
    """(log10 학습률, log10 λ) 점마다 학습해 (검증 손실, 학습률, λ)의 목록을 돌려줍니다."""
    return [(validation_loss(10**a, 10**b), 10**a, 10**b) for a, b in points]


def cells(low, high):
    """[low, high]를 세 칸으로 나눈 칸의 가운데 값들."""
    return [low + (high - low) * (k + 0.5) / 3 for k in range(3)]


grid_trials = search([(a, b) for a in cells(*LR_RANGE) for b in cells(*LAMBDA_RANGE)])
search_rng = np.random.default_rng(42)
random_trials = search(zip(search_rng.uniform(*LR_RANGE, 9), search_rng.uniform(*LAMBDA_RANGE, 9)))
for name, trials in [("격자", grid_trials), ("무작위", random_trials)]:
    lrs, lams = {round(t[1], 12) for t in trials}, {round(t[2], 12) for t in trials}
    in_good = sum(good_low <= lam <= good_high for lam in lams)
    best = min(trials)
    print(f"{cell(name, 6)} 탐색: 서로 다른 학습률 {len(lrs)}개, 서로 다른 λ {len(lams)}개 (좋은 λ 범위 안: {in_good}개),"
          f" 가장 낮은 검증 손실 {best[0]:.3f} (학습률 {best[1]:.4f}, λ {best[2]:.5f})")
print(f"\nλ를 9번 무작위로 뽑을 때 좋은 범위(탐색 범위의 약 {good_fraction:.0%})에 하나라도 들 확률: 1 − (1 − {good_fraction:.2f})^9 = {1 - (1 - good_fraction) ** 9:.0%}")
print(f"격자는 λ를 {', '.join(f'{10**b:g}' for b in cells(*LAMBDA_RANGE))} 세 값만 보므로, 그중 하나가 좋은 범위에 있지 않으면 몇 번을 해도 들지 않습니다")

fig, axes = plt.subplots(1, 2, figsize=(14, 4.2))
all_losses = [t[0] for t in grid_trials + random_trials]
for marker, name, trials in [("s", "격자", grid_trials), ("o", "무작위", random_trials)]:
    points = axes[0].scatter([t[1] for t in trials], [t[2] for t in trials], c=[t[0] for t in trials], cmap="viridis_r",
                             vmin=min(all_losses), vmax=max(all_losses), s=70, marker=marker, edgecolor="black", label=name)
    axes[1].plot([t[2] for t in trials], [t[0] for t in trials], marker, label=name, markersize=8, alpha=0.8)
axes[1].plot(lambda_scan, loss_by_lambda, color="gray", linewidth=1, label="λ 훑기 (학습률 0.03)")
axes[1].axvspan(good_low, good_high, color="tab:green", alpha=0.15, label="좋은 λ 범위")
axes[0].set_xscale("log")
axes[0].set_yscale("log")
axes[0].set_xticks([0.01, 0.03, 0.1, 0.3], ["0.01", "0.03", "0.1", "0.3"])
axes[0].xaxis.set_minor_locator(NullLocator())
axes[0].set_yticks([1e-6, 1e-4, 1e-2, 1])
axes[0].set_xlabel("학습률 (로그 눈금)")
axes[0].set_ylabel("L2 계수 λ (로그 눈금)")
axes[0].set_title("9번씩: 격자(네모)와 무작위(동그라미)")
fig.colorbar(points, ax=axes[0], label="검증 손실")
axes[1].set_xscale("log")
axes[1].set_xticks([1e-6, 1e-4, 1e-2, 1])
axes[1].set_xlabel("L2 계수 λ (로그 눈금)")
axes[1].set_ylabel("검증 손실")
axes[1].set_title("λ 축에 비춰 보기: 격자는 세 곳만 봅니다")
axes[1].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
fig.tight_layout()
plt.show()

# %% [markdown]
# 격자는 9번을 쓰고도 중요한 $\lambda$를 세 값밖에 보지 못했고, 나머지 시도는 결과를 거의 바꾸지 않는 학습률만 바꾸는 데 썼습니다(오른쪽 그림에서 네모가 세 줄로 겹칩니다).
# 무작위 탐색은 같은 9번으로 $\lambda$를 아홉 곳에서 봅니다. 이번에는 둘 다 좋은 범위에 들지 못했지만(무작위가 들 확률은 81%였습니다), 무작위 탐색의 가장
# 좋은 시도는 좋은 범위 바로 아래의 $\lambda$로 격자보다 낮은 검증 손실을 얻었습니다. 한 번의 탐색이 이기고 지는 것은 운이지만, 중요한 축을 더 촘촘히 보는 것은
# 매번 그렇습니다.
#
# **범위를 좁혀 가기.** 처음부터 좋은 범위를 알 수는 없습니다. 『밑바닥부터 시작하는 딥러닝』은 넓은 범위(로그 척도)에서 시작해, 결과가 좋았던 곳으로
# 범위를 좁혀 다시 뽑기를 되풀이하라고 권합니다. 한 번에 8번씩 세 번: 학습률 $10^{-4}$~$1$, $\lambda$ $10^{-6}$~$1$에서 시작해, 매번 검증 손실이 낮은 세 시도를
# 감싸는 범위(로그 척도로 양쪽에 0.25씩 여유)로 좁힙니다.
#
# **실행하기 전에 예측해 보세요.** 세 번째 단계의 가장 좋은 검증 손실은 첫 단계보다 얼마나 낮을까요? 좁혀진 $\lambda$ 범위는 위에서 잰 '좋은 λ 범위'를 품을까요?

# %%
ranges = {"lr": (-4.0, 0.0), "lambda": (-6.0, 0.0)}
narrow_rng = np.random.default_rng(7)
all_trials = []
for round_number in range(1, 4):
    points = list(zip(narrow_rng.uniform(*ranges["lr"], 8), narrow_rng.uniform(*ranges["lambda"], 8)))
    trials = search(points)
    all_trials += trials
    top = sorted(trials)[:3]
    print(f"{round_number}단계: 학습률 10^{ranges['lr'][0]:.2f}~10^{ranges['lr'][1]:.2f}, λ 10^{ranges['lambda'][0]:.2f}~10^{ranges['lambda'][1]:.2f}"
          f"  → 가장 낮은 검증 손실 {top[0][0]:.3f}, 이 단계의 중앙값 {np.median([t[0] for t in trials]):.3f}")
    ranges = {key: (min(math.log10(t[index]) for t in top) - 0.25, max(math.log10(t[index]) for t in top) + 0.25)
              for key, index in (("lr", 1), ("lambda", 2))}
best_val_loss, best_lr, best_weight_decay = min(all_trials)
print(f"\n지금까지 {len(all_trials)}번 중 검증 손실이 가장 낮은 조합: 학습률 {best_lr:.4f}, λ {best_weight_decay:.4f} (검증 손실 {best_val_loss:.3f})")

# %% [markdown]
# 단계를 거칠수록 시도들이 좋은 곳에 몰리므로 단계의 중앙값이 내려갑니다. 가장 좋은 값은 첫 단계에서 이미 거의 나왔고, 뒤의 단계는 그 근처를 더 촘촘히 봅니다.
# 3단계의 $\lambda$ 범위는 위에서 잰 좋은 범위(0.01~0.03)를 품습니다: 넓은 곳에서 시작해도 몇 단계 만에 좋은 곳으로 모입니다.
#
# ## 9. 테스트 세트를 단 한 번 보기
#
# 모든 선택(방법, 학습률, $\lambda$)이 검증 세트로 끝났습니다. 이제야 테스트 세트 500개를 만들고, 고른 모델을 **한 번** 잽니다.
# 고른 모델의 검증 손실은 24번의 시도 중 가장 낮은 값이라, 운 좋게 낮게 나온 몫이 섞여 있을 수 있습니다. 테스트 손실에는 그런 몫이 없습니다.
# 다만 두 세트 모두 유한한 표본이라, 점마다의 손실이 흩어진 만큼 평균 손실에도 표준오차가 있습니다. 그것도 함께 잽니다.
#
# **실행하기 전에 예측해 보세요.** 테스트 손실은 고른 모델의 검증 손실보다 높을까요, 낮을까요? 그 차이는 표준오차에 비해 클까요?

# %%
X_test, y_test = data.moons(n=500, noise=NOISE, seed=3, sampling="random")
chosen, _ = fit(X_train, y_train, lr=best_lr, weight_decay=best_weight_decay, epochs=SEARCH_EPOCHS)
print(f"고른 모델 (학습률 {best_lr:.4f}, λ {best_weight_decay:.4f}, {SEARCH_EPOCHS} 에포크)")
measured = {}
for name, (X, y) in [("검증", (X_val, y_val)), ("테스트", (X_test, y_test))]:
    per_point = -log_probabilities(numpy_logits(chosen, X))[np.arange(len(y)), y]
    accuracy = np.mean(numpy_logits(chosen, X).argmax(axis=1) == y)
    measured[name] = (per_point.mean(), per_point.std() / math.sqrt(len(y)))
    print(f"  {name} {len(y)}개: 손실 {measured[name][0]:.3f} (표준오차 {measured[name][1]:.3f}), 정확도 {accuracy:.1%}"
          + ("   ← 이 노트북에서 테스트 세트를 본 유일한 곳" if name == "테스트" else ""))
difference = measured["검증"][0] - measured["테스트"][0]
combined = math.hypot(measured["검증"][1], measured["테스트"][1])
print(f"검증 손실 − 테스트 손실 = {difference:.3f}, 두 표준오차를 합친 크기 √(a² + b²) = {combined:.3f}")
print(f"\n이 노트북이 컴파일 모드로 학습한 모델: {compiled_work['models']}개."
      f" 즉시 실행이었다면 만들었을 노드: 약 {compiled_work['eager_nodes'] / 1e4:,.0f}만 개 (샘플 하나의 노드 수 × 샘플 수 × 걸음 수)")

# %% [markdown]
# 이번에는 테스트 손실이 검증 손실보다 **낮게** 나왔습니다. 선택 때문에 검증 손실이 낙관적이 된 몫보다, 검증 세트 300개와 테스트 세트 500개가 서로 다른 표본이라
# 생기는 차이가 더 컸다는 뜻입니다(차이가 두 표준오차를 합친 크기 정도입니다). 어느 쪽이든 우리가 보고할 숫자는 테스트의 것입니다. 그리고 이 숫자를 본 뒤에
# 다시 하이퍼파라미터를 바꾸면, 테스트 세트는 또 하나의 검증 세트가 되어 버립니다.
#
# ## 10. 로지스틱 회귀는 클래스 두 개짜리 소프트맥스
#
# 이 노트북의 분류기는 클래스마다 점수(logit) $z_0, z_1$을 내고 소프트맥스로 확률을 만들었습니다. 클래스가 두 개뿐이면
#
# $$\mathrm{softmax}(z_0, z_1)_1 = \frac{e^{z_1}}{e^{z_0} + e^{z_1}} = \frac{1}{1 + e^{-(z_1 - z_0)}} = \sigma(z_1 - z_0)$$
#
# 입니다. 확률은 점수의 **차이** 에만 달려 있으므로, 음성 클래스의 점수를 0으로 고정하고(그 가중치를 0으로 두고) 양성 클래스의 점수 $z = z_1 - z_0$ 하나만 배워도
# 같은 모델입니다. 그것이 **로지스틱 회귀(logistic regression)** 의 $\sigma(\mathbf w\cdot\mathbf x + b)$입니다. 값과 기울기를 엔진으로 계산해 비교합니다.
#
# **실행하기 전에 예측해 보세요.** 무작위 점수 쌍 1000개에서 두 식의 값은 얼마나 다를까요?

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
# - 작은 데이터에서 오래 학습하면 훈련 손실은 내려가고 검증 손실은 올라갑니다(과적합). 정확도는 훨씬 작게 움직입니다: 손실은 자신 있게 틀리는 것까지 잽니다.
# - L2 벌점 $c\sum w^2$는 경사 하강법에서 `SGD(weight_decay=2c)`의 가중치 감쇠와 같지만(편향은 빼고), Adam에서는 감쇠가 아닙니다(그래서 AdamW가 있습니다).
# - 검증 손실로 비교하면 L2 벌점과 조기 종료가 비슷하게 가장 좋고, 드롭아웃은 그 뒤입니다. 조기 종료의 작은 간격에는 과소적합의 몫이 있습니다.
# - 훈련 세트와 초기 가중치 다섯 벌로 되풀이해도 평균 순위는 같았습니다(L2 벌점과 조기 종료는 한 번 자리를 바꿈). 여러 번 학습하는 실험은 컴파일 모드가 시간 안에 넣어 줍니다.
# - 드롭아웃이 약한 까닭은 신경망이 작아서가 아니었습니다(너비를 세 배로 늘려도 L2 벌점에 가까워지지 않음). 드롭아웃 모델은 가중치 노름이 크고, 틀린 점에서도 자신 있게 틀립니다.
# - 솎아 낸 신경망들의 확률을 평균하면(진짜 앙상블) 평가 모드 신경망 하나보다 검증 손실이 훨씬 낮습니다.
# - 훈련 데이터를 늘리면 간격이 가장 확실하게 줄어듭니다.
# - 하이퍼파라미터는 검증 세트로, 격자보다 무작위로, 넓은 범위에서 좁혀 가며 고르고, 테스트 세트는 마지막에 한 번만 봅니다.
# - 로지스틱 회귀는 두 클래스 소프트맥스와 같은 모델입니다: $\mathrm{softmax}(z_0, z_1)_1 = \sigma(z_1 - z_0)$.
