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
# # 09. 분류 (classification)
#
# 회귀(regression)는 숫자를 맞히고, **분류(classification)** 는 범주를 맞힙니다. 분류 모델이 입력 공간을 범주별로 나누는 경계를
# **결정 경계(decision boundary)** 라고 합니다. 01번 노트북에서 뉴런 하나의 결정 경계는 직선이었고, 05번에서는 은닉층이 직선 여러 개를 조합했습니다.
# 이번에는 곡선 경계가 필요한 두 문제를 풉니다.
#
# 1. **두 개의 반달(two moons)**, 이진 분류: 점수 하나와 **힌지 손실(hinge loss)**, 그리고 가중치를 작게 묶는 **L2 벌점(L2 penalty)**. 둘을 함께 써야 **최대 마진(max-margin)** 경계가 됩니다.
# 2. **세 갈래 나선(spiral)**, 다중 분류: 점수 세 개와 **소프트맥스 교차 엔트로피(softmax cross-entropy)**.

# %%

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, losses, no_grad
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD, Adam

# 텍스트 진행 막대(progress bar): ipywidgets가 있든 없든 어디서나 같은 모양으로 보입니다.
from tqdm import tqdm

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 두 개의 반달
#
# 레이블은 $-1$과 $+1$입니다(`labels="pm1"`). 모델은 점수 $s$ 하나를 내고, $s > 0$이면 $+1$, 아니면 $-1$로 예측합니다.
# 훈련 데이터 100개와, 다른 시드로 만든 테스트 데이터 100개를 준비합니다. 테스트 점은 `sampling="random"`으로 반달 위의 위치까지
# 새로 뽑습니다. 같은 위치에 잡음만 다시 더하면 테스트 점이 훈련 점 바로 옆에 놓여, 모델이 본 적 없는 점을 얼마나 잘 맞히는지
# 제대로 잴 수 없습니다.

# %%
X_train, y_train = data.moons(n=100, noise=0.1, seed=1, labels="pm1")
X_test, y_test = data.moons(n=100, noise=0.1, seed=2, labels="pm1", sampling="random")

fig, ax = plt.subplots(figsize=(5.5, 4))
for label, color in [(-1, "tab:blue"), (1, "tab:red")]:
    points = X_train[y_train == label]
    ax.scatter(points[:, 0], points[:, 1], s=15, color=color, label=f"레이블 {label:+d}")
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("훈련 데이터: 직선 하나로는 나눌 수 없습니다")
ax.legend()
plt.show()

# %% [markdown]
# ### 힌지 손실: 맞히는 것만으로는 부족하다
#
# 정답 $y\in\{-1, +1\}$와 점수 $s$의 곱 $y\,s$를 **마진(margin)** 이라고 합니다. 양수면 맞힌 것이고, 클수록 자신 있게 맞힌 것입니다.
#
# $$\text{hinge}(s, y) = \max(0,\; 1 - y\,s)$$
#
# 마진이 1 이상이면 손실이 0이고 **기울기도 0** 이라, 그 점은 더 이상 모델을 밀지 않습니다. 마진이 1보다 작은 점(틀렸거나, 맞혔어도 경계에 너무 가까운 점)만
# 경계를 밀어냅니다.
#
# 하지만 힌지 손실 **혼자서는** 경계를 데이터에서 멀리 두라고 요구하지 않습니다. 마진 $y\,s$는 점수의 단위로 잰 것이라, 모든 점을 맞힌 경계라면
# 점수 전체를 2배로 키울 때 경계($s = 0$)는 그대로인데 모든 마진이 2배가 되어 힌지 손실이 줄어듭니다(늘지는 않습니다).
# 경계가 점들에 바짝 붙어 있어도 점수를 충분히 키우기만 하면 손실이 0이 됩니다.
# 그래서 **가중치가 커지는 것에 값을 매기는 L2 벌점** $\lambda\sum w^2$을 함께 더합니다. 선형 모델 $s = \mathbf{w}\cdot\mathbf{x} + b$에서 경계와
# 선 $s = \pm 1$ 사이의 실제 거리는 $1/\lVert\mathbf{w}\rVert$이므로, 모든 마진을 1 이상으로 지키면서 $\lVert\mathbf{w}\rVert$를 줄이는 것이 곧
# **기하학적 마진(경계와 가장 가까운 점 사이의 거리)을 최대로** 하는 것입니다. 이것이 서포트 벡터 머신(SVM)의 '힌지 손실 + L2 벌점'입니다.
# (이 보장은 선형 모델의 이야기이고, 아래의 MLP에서는 같은 생각을 모든 가중치에 적용합니다.)
#
# 이진 교차 엔트로피를 같은 마진의 함수로 쓰면 $\log(1 + e^{-y s})$입니다(**로지스틱 손실**). 밑을 2로 바꾼 $\log_2(1 + e^{-y s})$는
# 자연로그 값을 $\ln 2$로 나눈 것뿐이라 최솟값의 위치도 기울기의 방향도 같습니다. 네 함수를 엔진으로 계산해 그려 봅니다.
#
# **실행하기 전에 예측해 보세요.** 마진이 2인 점(여유 있게 맞힘)에서 힌지 손실의 기울기 $\partial/\partial s$는 얼마일까요? 교차 엔트로피는요?


# %%
def loss_and_slope(loss_fn, margin):
    s = Value(margin)
    loss = loss_fn(s)
    loss.backward()
    return loss.data, s.grad


LN2 = float(np.log(2.0))
margin_losses = {
    "힌지 max(0, 1 - ys)": lambda s: losses.hinge([s], [1]),
    "로지스틱 log₂(1 + e^(-ys))": lambda s: (-s).softplus() / LN2,
    "로지스틱, 자연로그 ln(1 + e^(-ys))": lambda s: (-s).softplus(),
    "0-1 손실 (틀리면 1)": lambda s: 1 - s.step(),  # 마진이 0 이하면 1, 양수면 0
}
styles = {"로지스틱, 자연로그 ln(1 + e^(-ys))": {"color": "gray", "linestyle": "--", "linewidth": 1}}
margins = np.linspace(-2, 3, 201)
curves = {name: np.array([loss_and_slope(fn, m)[0] for m in margins]) for name, fn in margin_losses.items()}
fig, ax = plt.subplots(figsize=(7, 3.8))
for name, values in curves.items():
    ax.plot(margins, values, label=name, **styles.get(name, {}))
ax.axvline(1, color="gray", linestyle=":")
ax.set_xlabel("마진 y·s")
ax.set_ylabel("손실")
ax.legend()
plt.show()
for name, fn in margin_losses.items():
    print(f"마진 2에서 손실 {loss_and_slope(fn, 2.0)[0]:.4f}, 기울기 {loss_and_slope(fn, 2.0)[1]:+.4f}   {name}")
print()
for name, values in curves.items():
    if name.startswith("0-1"):
        continue
    gap = values - curves["0-1 손실 (틀리면 1)"]
    worst = int(np.argmin(gap))
    below = margins[gap < 0]
    where = (
        f"0-1 손실보다 아래인 마진: {below.min():+.3f} ~ {below.max():+.3f}"
        if below.size
        else "0-1 손실보다 아래인 곳 없음"
    )
    print(f"min(손실 - 0-1 손실) = {gap[worst]:+.4f} (마진 {margins[worst]:+.3f}에서), {where}   {name}")

# %% [markdown]
# 0-1 손실은 우리가 정말 원하는 것(틀린 개수)이지만 기울기가 0이라 경사 하강법에 쓸 수 없습니다. 힌지 손실과 밑이 2인 로지스틱 손실은
# 모든 마진에서 0-1 손실보다 작지 않은(위에서 덮는) 꺾이거나 매끈한 대용품입니다. 위의 `min(손실 - 0-1 손실)`이 음수가 아니라는 것이 그 확인입니다.
# 자연로그로 쓴 로지스틱 손실은 $\ln 2 \approx 0.69$배로 작아서, 마진 0에서 $\ln 2$이고 약 $-0.54 < y s \le 0$인 구간에서는 0-1 손실(=1)보다 **아래** 에 있습니다(회색 점선).
#
# ### 학습
#
# `MLP(2, [16, 16, 1])`(ReLU, 출력은 활성화 함수 없는 점수)에 힌지 손실과 작은 L2 벌점 $10^{-4}\sum w^2$(모든 가중치와 편향의 제곱합)을 더해 줄입니다.
# 앞에서 본 대로, 이 벌점이 점수를 키워서 마진을 버는 길을 막아 주기 때문에 힌지 손실이 '경계를 점들에서 멀리' 두는 쪽으로 작동합니다.
# 원조 micrograd 데모처럼 학습률을 1.0에서 0.1까지 점점 줄이는 SGD로 100번 업데이트합니다.

# %%
moons_model = MLP(2, [16, 16, 1], activation="relu", seed=1)
optimizer = SGD(moons_model.parameters(), lr=1.0)
rows, labels = X_train.tolist(), y_train.tolist()
moons_history = []
for step in tqdm(range(100), desc="moons"):
    optimizer.lr = 1.0 - 0.9 * step / 100
    scores = [moons_model(r) for r in rows]
    loss = losses.hinge(scores, labels) + 1e-4 * losses.l2(moons_model.parameters())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    accuracy = np.mean([np.sign(s.data) == t for s, t in zip(scores, labels)])
    moons_history.append((loss.data, accuracy))


def scores_of(model, inputs):
    with no_grad():  # 평가만 할 때는 그래프를 만들 필요가 없습니다
        return np.array([model(r).data for r in inputs.tolist()])


train_scores, test_scores = scores_of(moons_model, X_train), scores_of(moons_model, X_test)
print(
    f"훈련 정확도 {np.mean(np.sign(train_scores) == y_train):.0%}, 테스트 정확도 {np.mean(np.sign(test_scores) == y_test):.0%}"
)
train_margins = y_train * train_scores
print(f"훈련 데이터 중 마진 1 이상(기울기 0)인 점: {np.sum(train_margins >= 1)}개 / {len(y_train)}개")

# 맞힌 점들의 힌지 손실은 점수를 키우기만 해도 줄어듭니다. 점수 전체를 c배 하면(마지막 층의 가중치와 편향을 c배 하면 정확히 그렇게 됩니다)
# 경계 s = 0은 그대로인데, 그 대가는 마지막 층의 L2 벌점이 c²배가 되는 것입니다. 틀린 점(마진 < 0)의 힌지 손실은 반대로 커집니다.
correct = train_margins > 0
output_l2 = sum(p.data**2 for p in moons_model.layers[-1].parameters())
print(f"맞힌 점 {np.sum(correct)}개, 틀린 점 {np.sum(~correct)}개")
for c in [1, 2, 4, 16]:
    hinge_correct = np.sum(np.maximum(0, 1 - c * train_margins[correct])) / len(train_margins)
    hinge_wrong = np.sum(np.maximum(0, 1 - c * train_margins[~correct])) / len(train_margins)
    print(
        f"점수 × {c:2d}: 힌지 중 맞힌 점의 몫 {hinge_correct:.4f}, 틀린 점의 몫 {hinge_wrong:.4f},"
        f"  마지막 층의 L2 벌점 {1e-4 * c**2 * output_l2:.4f}"
    )

# %% [markdown]
# ### 결정 경계 그리기
#
# 평면을 촘촘한 격자로 덮고 격자점마다 점수를 계산해 색칠합니다. 검은 실선이 결정 경계 $s = 0$, 점선이 마진 경계 $s = \pm 1$입니다.
# 테두리가 검은 점은 마진이 1보다 작아 아직 손실에 기여하는 훈련 데이터입니다.
#
# **실행하기 전에 예측해 보세요.** 검은 테두리 점들은 그림의 어디에 모여 있을까요?


# %%
def grid_over(X, steps=60, pad=0.5):
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, steps)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, steps)
    gx, gy = np.meshgrid(xs, ys)
    return gx, gy, np.column_stack([gx.ravel(), gy.ravel()])


gx, gy, grid_points = grid_over(X_train)
grid_scores = scores_of(moons_model, grid_points).reshape(gx.shape)

fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
axes[0].plot([h[0] for h in moons_history], label="손실 (힌지 + L2)")
axes[0].plot([h[1] for h in moons_history], label="훈련 정확도")
axes[0].set_xlabel("업데이트")
axes[0].set_ylabel("손실 / 정확도")
axes[0].legend()
ax = axes[1]
score_map = ax.contourf(gx, gy, np.clip(grid_scores, -2, 2), levels=20, cmap="RdBu_r", alpha=0.6)
fig.colorbar(score_map, ax=ax, label="점수 s (±2에서 자름)")
ax.contour(gx, gy, grid_scores, levels=[-1, 0, 1], colors="black", linestyles=[":", "-", ":"])
for label, color in [(-1, "tab:blue"), (1, "tab:red")]:
    points = X_train[y_train == label]
    ax.scatter(points[:, 0], points[:, 1], s=15, color=color)
active = train_margins < 1
ax.scatter(X_train[active, 0], X_train[active, 1], s=40, facecolors="none", edgecolors="black", label="마진 < 1")
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("점수 s의 지도: 실선 s = 0, 점선 s = ±1")
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()

# %% [markdown]
# 마진이 1보다 작은 점은 모두 경계 근처에 있습니다. 경계에서 먼 점들은 손실에 아무 기여도 하지 않습니다. 경계를 정하는 것은 경계 근처의 소수의 점입니다.
#
# ## 2. 세 갈래 나선: 다중 분류
#
# 클래스가 세 개 이상이면 점수도 클래스마다 하나씩 냅니다. 점수 $z_1, z_2, z_3$를 소프트맥스로 확률로 바꾸고, 정답 클래스 확률의 $-\log$를 손실로 씁니다(03번 노트북).
#
# $$E = -\log \mathrm{softmax}(z)_{\text{정답}}$$
#
# `losses.softmax_cross_entropy(점수들, 정답 번호)`가 이것을 안정적으로 계산합니다. 예측은 점수가 가장 큰 클래스입니다.

# %%
X_spiral, y_spiral = data.spiral(n_per_class=30, classes=3, noise=0.05, seed=0)
X_spiral_test, y_spiral_test = data.spiral(n_per_class=30, classes=3, noise=0.05, seed=1, sampling="random")
class_colors = ["tab:blue", "tab:orange", "tab:green"]

fig, ax = plt.subplots(figsize=(5, 4.5))
for k in range(3):
    points = X_spiral[y_spiral == k]
    ax.scatter(points[:, 0], points[:, 1], s=15, color=class_colors[k], label=f"클래스 {k}")
ax.set_aspect("equal")
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("세 갈래 나선 (클래스마다 30개)")
ax.legend()
plt.show()

# %% [markdown]
# `MLP(2, [16, 16, 3])`: 출력 뉴런 세 개가 클래스별 점수를 냅니다. Adam(학습률 0.02)으로 전체 배치 150번 업데이트합니다.
#
# **실행하기 전에 예측해 보세요.** 학습 전, 모든 점수가 거의 같을 때의 손실은 대략 얼마일까요? (힌트: 세 클래스의 확률이 모두 1/3이면 $-\log(1/3)$)

# %%
spiral_model = MLP(2, [16, 16, 3], activation="relu", seed=0)
optimizer = Adam(spiral_model.parameters(), lr=0.02)
rows, classes = X_spiral.tolist(), y_spiral.tolist()


def mean_softmax_cross_entropy(model, rows, classes):
    return Value.sum([losses.softmax_cross_entropy(model(r), c) for r, c in zip(rows, classes)]) / len(rows)


with no_grad():
    initial_loss = mean_softmax_cross_entropy(spiral_model, rows, classes).data
print(f"학습 전 손실 {initial_loss:.4f},  -log(1/3) = {-np.log(1 / 3):.4f}")

spiral_history = []
for _ in tqdm(range(150), desc="spiral"):
    loss = mean_softmax_cross_entropy(spiral_model, rows, classes)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    spiral_history.append(loss.data)


def predict_classes(model, inputs):
    with no_grad():
        return np.array([int(np.argmax([o.data for o in model(r)])) for r in inputs.tolist()])


print(f"학습 후 손실 {spiral_history[-1]:.4f}")
print(f"훈련 정확도 {np.mean(predict_classes(spiral_model, X_spiral) == y_spiral):.1%}")
print(f"테스트 정확도 {np.mean(predict_classes(spiral_model, X_spiral_test) == y_spiral_test):.1%}")

# %%
sgx, sgy, spiral_grid = grid_over(X_spiral, steps=60, pad=0.3)
regions = predict_classes(spiral_model, spiral_grid).reshape(sgx.shape)

fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
axes[0].plot(spiral_history)
axes[0].axhline(-np.log(1 / 3), color="gray", linestyle=":", label="-log(1/3): 아무것도 모를 때")
axes[0].set_xlabel("업데이트")
axes[0].set_ylabel("평균 소프트맥스 교차 엔트로피")
axes[0].legend()
ax = axes[1]
ax.contourf(sgx, sgy, regions, levels=[-0.5, 0.5, 1.5, 2.5], colors=class_colors, alpha=0.25)
for k in range(3):
    points = X_spiral[y_spiral == k]
    ax.scatter(points[:, 0], points[:, 1], s=15, color=class_colors[k], label=f"클래스 {k}")
ax.set_aspect("equal")
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("클래스별 영역 (점수가 가장 큰 클래스)")
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### 한 점의 확률 읽기
#
# 테스트 데이터에서 세 점의 확률을 봅시다.
#
# - **가장 자신 있게 맞힌 점**: 정답 클래스의 확률이 가장 높은 점.
# - **가장 헷갈린 점**: 모델이 가장 덜 확신하는 점, 즉 가장 큰 클래스 확률조차 가장 낮은 점.
# - **정답 확률이 가장 낮은 점**: 헷갈린 것이 아니라 다른 클래스를 확신하는, **자신 있게 틀린** 점일 수 있습니다. 손실 $-\log(\text{정답 확률})$이 가장 큰 점입니다.

# %%
with no_grad():
    test_probabilities = np.array([[p.data for p in losses.softmax(spiral_model(r))] for r in X_spiral_test.tolist()])
true_class_probability = test_probabilities[np.arange(len(y_spiral_test)), y_spiral_test]
for title, i in [
    ("가장 자신 있게 맞힌 점", np.argmax(true_class_probability)),
    ("가장 헷갈린 점", np.argmin(test_probabilities.max(axis=1))),
    ("정답 확률이 가장 낮은 점", np.argmin(true_class_probability)),
]:
    predicted = int(np.argmax(test_probabilities[i]))
    verdict = "맞힘" if predicted == y_spiral_test[i] else "틀림"
    print(
        f"{title}: 좌표 {np.round(X_spiral_test[i], 3)}, 정답 클래스 {y_spiral_test[i]}, 예측 {predicted} ({verdict})"
    )
    print(
        f"   클래스별 확률 {np.round(test_probabilities[i], 4)}, 손실 -log(정답 확률) = {-np.log(true_class_probability[i]):.4f}"
    )

# %% [markdown]
# 정답 확률이 가장 낮은 점과 가장 헷갈린 점은 서로 다른 점입니다. 정답 확률이 가장 낮은 점에서 모델은 다른 클래스에 더 큰 확률을 주었고(틀림),
# 손실 $-\log(\text{정답 확률})$은 이런 점에서 가장 큽니다. 가장 헷갈린 점은 세 확률이 서로 비슷해서 가장 큰 확률도 1/3에 가깝습니다.
# 나선의 팔들이 모두 시작하는 원점 근처, 곧 결정 경계들이 만나는 곳에 놓인 점입니다.
#
# ## 정리
#
# | 문제 | 출력 | 손실 | 예측 |
# |---|---|---|---|
# | 이진 분류 (±1 레이블) | 점수 하나 | 힌지 $\max(0, 1 - ys)$ + L2 벌점 | 점수의 부호 |
# | 이진 분류 (0/1 레이블) | 시그모이드 확률 하나 | 이진 교차 엔트로피 | 확률 > 0.5 |
# | 다중 분류 | 클래스마다 점수 | 소프트맥스 교차 엔트로피 | 점수가 가장 큰 클래스 |
#
# - 힌지 손실은 마진이 1 이상인 점에는 기울기를 보내지 않습니다. 경계는 그 근처의 점들이 정합니다.
#   힌지 손실만으로는 점수를 키워서 마진을 벌 수 있으므로, 가중치를 작게 묶는 L2 벌점과 함께 써야 최대 마진 경계가 됩니다(SVM).
# - 0-1 손실을 위에서 덮는 대용 손실: 힌지, 그리고 밑이 2인 로지스틱 손실 $\log_2(1 + e^{-ys})$. 자연로그로 쓰면 마진 0 근처에서 0-1 손실 아래로 내려갑니다.
# - 다중 분류의 손실은 학습 전 $-\log(1/\text{클래스 수})$ 근처에서 출발합니다. 그보다 크면 초기화가 이상한 것입니다.
# - 결정 경계는 격자 위에서 모델을 평가해 그립니다. 평가에는 `no_grad()`를 써서 그래프를 만들지 않습니다.
#
# ### 더 해 보기
# - moons를 `labels="01"`로 만들고 출력에 시그모이드, 손실에 `binary_cross_entropy`를 써서 같은 문제를 풀어 보세요. 결정 경계가 어떻게 다를까요?
# - 나선의 `noise`를 0.15로 키우면 테스트 정확도는 어떻게 될까요? 은닉 뉴런을 늘리면 훈련 정확도와 테스트 정확도는 각각 어떻게 움직일까요?
