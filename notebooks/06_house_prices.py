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
# # 06. 집값 예측 (house prices)
#
# 강의 노트의 예제입니다. 집의 **넓이(area)**, **침실 수(bedrooms)**, **도시까지의 거리(distance)**, **연식(age)** 으로 가격을 예측합니다.
#
# 은닉층 없이 가중치만으로도 가격을 어느 정도 예측할 수 있습니다(넓을수록, 가까울수록, 새것일수록 비싸다). 하지만 은닉층을 두면
# 은닉 뉴런 하나하나가 **더 구체적인 상황을 찾아내는 새로운 변수** 가 되어 정확도가 크게 올라간다고 강의 노트는 설명합니다. 예를 들면
#
# - 도시에서 멀지 않은데 **넓은** 집을 찾는 뉴런(침실 수나 연식은 신경 쓰지 않음),
# - 침실이 **4개 이상** 이고 **오래되지 않은** 집을 찾는 뉴런(아이마다 방 하나씩 주고 싶은 가족),
# - **연식 하나만** 보는 뉴런: ReLU 덕분에 100년이 안 된 집에는 0을, 100년이 넘으면 오래될수록 큰 값을 내는 '고풍스러운 집' 뉴런.
#
# 이 노트북에서는 입력을 표준화(standardization)하고, MLP를 학습시킨 다음, **학습된 은닉 뉴런을 열어서** 정말 이런 것에 반응하는지 확인합니다.

# %%

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import data, losses
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD, Adam

# 텍스트 진행 막대(progress bar): ipywidgets가 있든 없든 어디서나 같은 모양으로 보입니다.
from tqdm import tqdm

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False
np.set_printoptions(precision=3, suppress=True)

# %% [markdown]
# ## 1. 데이터 살펴보기
#
# `data.house_prices`는 강의 노트의 이야기대로 가격을 매긴 가상의 집 200채를 만듭니다(시드가 같으면 늘 같은 집들입니다).
# 가격의 단위는 억 원입니다. 가격을 정하는 규칙은 숨기지 않겠습니다(`data.true_house_price`). 직선 부분 하나에, 강의 노트가 말한
# 세 가지 효과를 더한 것입니다. 여기서 $\mathrm{relu}(z) = \max(z, 0)$입니다.
#
# $$
# \begin{aligned}
# \text{가격} = {} & 2.5 + 0.04\cdot\text{넓이} - 0.05\cdot\text{거리} - 0.01\cdot\text{연식} && \text{(넓고, 가깝고, 새것일수록 비쌈)}\\
# & + 0.004\cdot\mathrm{relu}(\text{넓이} - 100)\cdot\mathrm{relu}(15 - \text{거리}) && \text{(도시 가까운 넓은 집)}\\
# & + 0.05\cdot\mathrm{relu}(\text{침실 수} - 3)\cdot\mathrm{relu}(30 - \text{연식}) && \text{(침실 4개 이상, 30년이 안 된 집)}\\
# & + 0.06\cdot\mathrm{relu}(\text{연식} - 100) && \text{(100년이 넘으면 오래될수록 비싼 고풍스러운 집)}
# \end{aligned}
# $$
#
# 넓이는 m², 거리는 km, 연식은 년 단위입니다. 다른 특성을 고정하면 가격은 넓을수록 오르고, 멀수록 내리며, 연식에 따라서는 100년까지 내려가다가 그 뒤로 오릅니다.
# 데이터의 가격은 이 값에 약 5%의 잡음(noise)을 곱한 것입니다(가격 = 규칙 × $e^{0.05\,\varepsilon}$, $\varepsilon$은 표준정규분포). 아래에서는 위의 식을 그대로 옮겨 적은 함수가 라이브러리의 함수와 같은 값을 내는지 확인합니다.

# %%
houses = data.house_prices(n=200, seed=0)
X, y = houses.X, houses.y
feature_names = ["넓이 (m²)", "침실 수", "거리 (km)", "연식 (년)"]


def relu(z):
    return np.maximum(z, 0.0)


def price_rule(area, bedrooms, distance, age):
    """위 식을 그대로 옮겨 적은 가격 규칙."""
    return (
        2.5
        + 0.04 * area
        - 0.05 * distance
        - 0.01 * age
        + 0.004 * relu(area - 100) * relu(15 - distance)
        + 0.05 * relu(bedrooms - 3) * relu(30 - age)
        + 0.06 * relu(age - 100)
    )


rule_prices = price_rule(*X.T)
print(f"위 식과 data.true_house_price의 최대 차이: {np.max(np.abs(rule_prices - data.true_house_price(*X.T))):.1e}")
log_ratio = np.log(y / rule_prices)
print(
    f"log(가격 / 규칙)의 평균 {np.mean(log_ratio):+.4f}, 표준편차 {np.std(log_ratio):.4f}  (잡음 0.05 · ε이라면 0 근처와 0.05 근처)"
)
print("열 이름:", houses.feature_names, "→", houses.target_name)
print("처음 다섯 채:")
for row, price in zip(X[:5], y[:5]):
    print("  ", row, f"→ {price:.2f}억 원")

# %%
fig, axes = plt.subplots(1, 4, figsize=(15, 3.4), sharey=True)
for j, ax in enumerate(axes):
    ax.scatter(X[:, j], y, s=8, alpha=0.6)
    ax.set_xlabel(feature_names[j])
axes[0].set_ylabel("가격 (억 원)")
fig.suptitle("특성 하나씩 본 가격")
fig.tight_layout()
plt.show()

area, bedrooms, distance, age = X.T
print(f"100년이 넘은 집:                        {np.sum(age > 100):3d}채")
print(f"100 m²보다 넓고 도시에서 15 km 안쪽인 집: {np.sum((area > 100) & (distance < 15)):3d}채")
print(f"침실 4개 이상이고 30년이 안 된 집:        {np.sum((bedrooms >= 4) & (age < 30)):3d}채")

# %% [markdown]
# 연식 그래프를 보세요. 100년 근처까지는 오래될수록 값이 내려가다가, 그 뒤로는 다시 올라갑니다. 직선 하나로는 그릴 수 없는 모양입니다.
#
# ## 2. 표준화: 입력의 크기를 맞추기
#
# 넓이는 수십~수백, 침실 수는 1~6입니다. 이대로 넣으면 넓이의 가중치에 대한 기울기가 다른 것보다 훨씬 커집니다.
# 그래서 입력을 **표준화** 합니다: 열마다 평균을 빼고 표준편차로 나누어 평균 0, 분산 1로 만듭니다. (일정한 범위, 예를 들어 [0, 1]로 늘이거나
# 줄이는 **정규화(normalization)** 도 있습니다.)
#
# 중요한 규칙이 하나 있습니다. 평균과 표준편차는 **훈련 데이터에서만** 구하고, 테스트 데이터에도 그 값을 그대로 씁니다. 모델은 훈련 데이터의
# 눈금에 맞춰 배우기 때문입니다. 그래서 먼저 훈련/테스트로 나눕니다.

# %%
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.25, seed=0)
X_train_s, x_stats = data.standardize(X_train)
X_test_s, _ = data.standardize(X_test, x_stats)  # 훈련 데이터의 평균과 표준편차로
y_train_s, y_stats = data.standardize(y_train)  # 가격도 표준화해서 배우고, 예측은 되돌려 억 원으로 읽습니다

print(f"훈련 {len(X_train)}채, 테스트 {len(X_test)}채")
print("훈련 데이터의 평균    :", x_stats.mean)
print("훈련 데이터의 표준편차:", x_stats.std)
print("표준화한 훈련 데이터의 평균:", X_train_s.mean(axis=0), " 표준편차:", X_train_s.std(axis=0))
print("표준화한 테스트 데이터의 평균:", X_test_s.mean(axis=0), "(0이 아니어도 괜찮습니다)")
X_train_n, _ = data.normalize(X_train)
print("정규화한 훈련 데이터의 열별 최솟값:", X_train_n.min(axis=0), " 최댓값:", X_train_n.max(axis=0))

# %% [markdown]
# 표준화가 왜 필요한지 직접 봅시다. 은닉층 없는 선형 모델 `MLP(4, [1])`을 같은 학습률의 경사 하강법(SGD)으로, 원래 입력과 표준화한 입력에서 각각 학습합니다.
#
# **실행하기 전에 예측해 보세요.** 학습률 0.01에서 원래 입력으로 학습하면 손실은 어떻게 될까요?


# %%
def train_linear(inputs, targets, lr=0.01, steps=60):
    model = MLP(4, [1], seed=0)
    optimizer = SGD(model.parameters(), lr=lr)
    rows, ts = inputs.tolist(), targets.tolist()
    history = []
    for _ in range(steps):
        loss = losses.mse([model(r) for r in rows], ts)
        history.append(loss.data)
        if not loss.data < 1e12:  # 이미 발산했으면 멈춥니다
            break
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return history


raw_history = train_linear(X_train, y_train)
scaled_history = train_linear(X_train_s, y_train)
print(f"원래 입력  : 처음 손실 {raw_history[0]:.3g}, {len(raw_history)}단계 뒤 손실 {raw_history[-1]:.3g}")
print(f"표준화 입력: 처음 손실 {scaled_history[0]:.3g}, {len(scaled_history)}단계 뒤 손실 {scaled_history[-1]:.3g}")

fig, ax = plt.subplots(figsize=(6.5, 3.5))
ax.semilogy(raw_history, marker="o", markersize=3, label="원래 입력")
ax.semilogy(scaled_history, marker="o", markersize=3, label="표준화한 입력")
ax.set_xlabel("경사 하강 단계")
ax.set_ylabel("훈련 MSE (로그 눈금)")
ax.legend()
plt.show()

# %% [markdown]
# 원래 입력에서는 넓이 쪽 기울기가 너무 커서 한 걸음에 최솟값을 한참 지나치고, 그 다음에는 더 크게 지나치며 발산합니다(04번 노트북의 '학습률이 너무 클 때'와 같습니다).
#
# ## 3. 은닉층 없이, 그리고 은닉층과 함께
#
# 이제 표준화한 데이터로 두 모델을 비교합니다. 옵티마이저는 Adam(07번 노트북에서 자세히 다룹니다), 전체 배치로 300 에포크입니다.
# 성능은 테스트 데이터에서 **RMSE(root mean squared error, 평균제곱오차의 제곱근)** 를 억 원 단위로 잽니다.
#
# **실행하기 전에 예측해 보세요.** 은닉 뉴런 6개짜리 MLP는 선형 모델보다 테스트 오차가 얼마나 작을까요?

# %%
rows_train, targets_train = X_train_s.tolist(), y_train_s.tolist()


def fit(model, epochs=300, lr=0.02, label=""):
    optimizer = Adam(model.parameters(), lr=lr)
    history = []
    for _ in tqdm(range(epochs), desc=label):
        loss = losses.mse([model(r) for r in rows_train], targets_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.data)
    return history


def predict_prices(model, inputs):
    """표준화된 입력 → 억 원 단위의 가격."""
    return y_stats.inverse(np.array([model(r).data for r in inputs.tolist()]))


def test_rmse(model):
    return float(np.sqrt(np.mean((predict_prices(model, X_test_s) - y_test) ** 2)))


linear_model = MLP(4, [1], seed=0)
mlp = MLP(4, [6, 1], activation="relu", seed=0)
histories = {"선형 (은닉층 없음)": fit(linear_model, label="선형"), "MLP 4-6-1 (ReLU)": fit(mlp, label="MLP")}
print(f"테스트 RMSE  선형 모델: {test_rmse(linear_model):.3f}억 원")
print(f"테스트 RMSE  MLP      : {test_rmse(mlp):.3f}억 원")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4))
for name, history in histories.items():
    axes[0].semilogy(history, label=name)
axes[0].set_xlabel("에포크")
axes[0].set_ylabel("훈련 MSE (표준화한 가격, 로그 눈금)")
axes[0].legend()
for name, model in [("선형", linear_model), ("MLP", mlp)]:
    axes[1].scatter(y_test, predict_prices(model, X_test_s), s=12, label=name)
lims = [y_test.min(), y_test.max()]
axes[1].plot(lims, lims, color="gray", linestyle=":", label="완벽한 예측")
axes[1].set_xlabel("실제 가격 (억 원)")
axes[1].set_ylabel("예측 가격 (억 원)")
axes[1].set_title("테스트 데이터")
axes[1].legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 4. 은닉 뉴런 열어 보기
#
# 은닉 뉴런 $j$는 $h_j = \mathrm{ReLU}(w_{j,\text{넓이}}\,x_\text{넓이} + w_{j,\text{침실}}\,x_\text{침실} + w_{j,\text{거리}}\,x_\text{거리} + w_{j,\text{연식}}\,x_\text{연식} + b_j)$를 계산하고,
# 출력 뉴런은 이들을 가중합합니다. 입력이 표준화되어 있으니 가중치의 크기를 서로 비교할 수 있습니다.
#
# **실행하기 전에 예측해 보세요.** '고풍스러운 집' 뉴런이 있다면 가중치는 어떤 모양일까요? (어느 입력에 크고, 어느 입력에 0에 가까울까요?)

# %%
hidden = mlp.layers[0].neurons
W_hidden = np.array([[w.data for w in n.w] for n in hidden])
b_hidden = np.array([n.b.data for n in hidden])
w_out = np.array([w.data for w in mlp.layers[1].neurons[0].w])

print("뉴런 |   넓이   침실   거리   연식 |  편향 | 출력 가중치")
for j in range(len(hidden)):
    print(f"  h{j + 1} | {' '.join(f'{v:6.2f}' for v in W_hidden[j])} | {b_hidden[j]:5.2f} | {w_out[j]:6.2f}")

fig, ax = plt.subplots(figsize=(6, 3.6))
limit = np.abs(W_hidden).max()
image = ax.imshow(W_hidden, cmap="RdBu_r", vmin=-limit, vmax=limit)
ax.set_xticks(range(4), feature_names)
ax.set_yticks(range(len(hidden)), [f"h{j + 1}" for j in range(len(hidden))])
for (j, i), v in np.ndenumerate(W_hidden):
    ax.text(i, j, f"{v:.2f}", ha="center", va="center", fontsize=8)
ax.set_title("은닉 뉴런의 입력 가중치 (표준화한 입력 기준)")
fig.colorbar(image)
plt.show()

# %% [markdown]
# 가중치만으로는 ReLU가 언제 켜지는지 알기 어렵습니다. 그래서 전형적인 집(모든 특성이 훈련 데이터의 중앙값인 집)을 하나 두고,
# **특성 하나만 바꿔 가며** 각 은닉 뉴런의 출력을 그려 봅니다.

# %%
typical = np.median(X_train, axis=0)
print("전형적인 집(중앙값):", typical)

fig, axes = plt.subplots(1, 4, figsize=(16, 3.6), sharey=True)
for i, ax in enumerate(axes):
    values = np.linspace(X[:, i].min(), X[:, i].max(), 100)
    probes = np.tile(typical, (len(values), 1))
    probes[:, i] = values
    probes_s, _ = data.standardize(probes, x_stats)
    activations = np.array([[n(r).data for n in hidden] for r in probes_s.tolist()])
    for j in range(len(hidden)):
        ax.plot(values, activations[:, j], label=f"h{j + 1}")
    ax.set_xlabel(feature_names[i])
axes[0].set_ylabel("은닉 뉴런의 출력")
axes[-1].legend(fontsize=8)
fig.suptitle("특성 하나만 바꿨을 때 은닉 뉴런들의 반응 (나머지는 전형적인 집)")
fig.tight_layout()
plt.show()

# %% [markdown]
# 이제 데이터를 만든 규칙의 세 효과(맨 위에 출력한 설명)와 비교합니다. 집 200채 각각에 대해 세 효과의 크기를 계산하고, 은닉 뉴런 출력과의
# **상관계수(correlation coefficient)** 를 구합니다. 1에 가까울수록 그 뉴런이 그 효과를 따라 움직인다는 뜻입니다.


# %%
def relu(v):
    return np.maximum(v, 0.0)


effects = {
    "넓고 도시에 가까움": relu(area - 100) * relu(15 - distance),
    "침실 4개 이상 + 새 집": relu(bedrooms - 3) * relu(30 - age),
    "100년 넘은 집": relu(age - 100),
}
X_all_s, _ = data.standardize(X, x_stats)
H = np.array([[n(r).data for n in hidden] for r in X_all_s.tolist()])


def correlation(a, b):
    return 0.0 if a.std() == 0 or b.std() == 0 else float(np.corrcoef(a, b)[0, 1])


C = np.array([[correlation(H[:, j], effect) for j in range(len(hidden))] for effect in effects.values()])

fig, ax = plt.subplots(figsize=(7, 2.8))
image = ax.imshow(C, cmap="RdBu_r", vmin=-1, vmax=1)
ax.set_xticks(range(len(hidden)), [f"h{j + 1}" for j in range(len(hidden))])
ax.set_yticks(range(len(effects)), list(effects))
for (k, j), v in np.ndenumerate(C):
    ax.text(j, k, f"{v:.2f}", ha="center", va="center", fontsize=8)
ax.set_title("은닉 뉴런 출력과 세 효과의 상관계수")
fig.colorbar(image)
plt.show()

for k, name in enumerate(effects):
    j = int(np.argmax(C[k]))
    reads = ", ".join(f"{feature_names[i]} {W_hidden[j, i]:+.2f}" for i in np.argsort(-np.abs(W_hidden[j]))[:2])
    print(f"'{name}'을 가장 닮은 뉴런: h{j + 1} (상관계수 {C[k, j]:.2f}); 가장 큰 가중치 두 개: {reads}")

# %% [markdown]
# ### '고풍스러운 집' 뉴런 자세히 보기
#
# 100년 넘은 집과 가장 닮은 뉴런의 출력을 모든 집의 연식에 대해 찍어 봅니다. ReLU 뉴런이라면 어떤 연식 아래에서는 0이고, 그 위로는 오래될수록 커져야 합니다.
# 다른 특성을 전형적인 집에 고정했을 때 이 뉴런이 켜지는 연식도 가중치로부터 계산합니다: $w\cdot x + b = 0$을 연식에 대해 풀면 됩니다.

# %%
k_historic = list(effects).index("100년 넘은 집")
j = int(np.argmax(C[k_historic]))
typical_s, _ = data.standardize(typical[None, :], x_stats)
rest = W_hidden[j, :3] @ typical_s[0, :3] + b_hidden[j]  # 연식을 뺀 나머지 입력과 편향의 기여
age_on_s = -rest / W_hidden[j, 3]
age_on = age_on_s * x_stats.std[3] + x_stats.mean[3]

fig, ax = plt.subplots(figsize=(7, 3.6))
ax.scatter(age, H[:, j], s=10, alpha=0.7)
ax.axvline(age_on, color="gray", linestyle=":", label=f"전형적인 집에서 켜지는 연식 ≈ {age_on:.0f}년")
ax.set_xlabel("연식 (년)")
ax.set_ylabel(f"h{j + 1}의 출력")
ax.set_title(f"h{j + 1}: 연식에 따른 반응 (점 하나가 집 한 채)")
ax.legend()
plt.show()
print(f"h{j + 1}의 연식 가중치 {W_hidden[j, 3]:+.2f}, 출력층으로 가는 가중치 {w_out[j]:+.2f}")
print(f"전형적인 집에서 뉴런 h{j + 1}의 출력이 0보다 커지기 시작하는 연식: {age_on:.1f}년")

# %% [markdown]
# 표를 읽을 때 주의할 점이 있습니다.
#
# - 학습은 무작위 초기값에서 출발하므로, 은닉 뉴런이 일을 나누는 방식은 시드마다 다릅니다. 한 효과를 두 뉴런이 나눠 맡거나, 한 뉴런이 두 효과에 섞여 반응하기도 합니다.
# - 데이터가 적은 효과는 배우기 어렵습니다. 위에서 센 것처럼 '침실 4개 이상 + 새 집'에 해당하는 집은 몇 채뿐이라, 그 효과와의 상관계수는 다른 두 효과보다 낮게 나오기 쉽습니다.
# - 각각의 은닉 뉴런은 가격을 예측하기에는 너무 특수한 상황만 봅니다. 출력 뉴런이 이들을 합칠 때 비로소 좋은 예측이 됩니다.
#
# ## 정리
#
# - 입력은 훈련 데이터의 평균과 표준편차로 표준화합니다. 크기가 제각각인 입력은 경사 하강법을 발산시킵니다.
# - 은닉층이 있는 MLP는 선형 모델이 그릴 수 없는 가격 구조(연식 100년을 지나면 다시 오르는 가격 등)를 배웁니다.
# - 은닉 뉴런을 열어 보면, 여럿이 데이터를 만든 규칙의 특정 효과를 따라 움직입니다. 은닉 뉴런은 모델이 스스로 만든 새로운 변수입니다.
#
# ### 더 해 보기
# - `MLP(4, [6, 1], seed=0)`의 시드를 바꿔 다시 학습하고 상관계수 표가 어떻게 바뀌는지 보세요.
# - 은닉 뉴런을 3개로 줄이면 테스트 RMSE와 상관계수 표는 어떻게 될까요?
