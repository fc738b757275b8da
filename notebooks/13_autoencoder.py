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
# # 13. 오토인코더 (autoencoder)
#
# 이미지처럼 차원이 높은 데이터도 실제로는 훨씬 적은 숫자로 요약되는 경우가 많습니다. **오토인코더(autoencoder, 자기부호화기)** 는
# 입력을 작은 **코드(code)** 로 압축하는 **인코더(encoder)** 와, 코드에서 입력을 다시 만들어 내는 **디코더(decoder)** 를
# 함께 학습합니다. 정답 레이블은 필요 없습니다. 목표는 출력이 입력과 같아지는 것뿐입니다. 강의 노트의 두 식이 모델 전체입니다.
#
# $$y = f_\theta(x) = s(Wx + b) \qquad\text{(인코더: 입력 } x \text{ → 코드 } y\text{)}$$
# $$z = g_\theta(y) = s(W'y + b') \qquad\text{(디코더: 코드 } y \text{ → 복원 } z\text{)}$$
#
# $s$는 시그모이드(sigmoid)입니다. 은닉층(코드)의 뉴런 수를 입력보다 적게 두면, 입력을 그대로 베낄 수 없으니 데이터의 중요한 구조만
# 코드에 담아야 합니다. 이 노트북에서는
#
# 1. 손글씨 숫자를 **코드 2개** 로 압축하고, 그 코드를 숫자별로 평면에 그려 봅니다.
# 2. 복원된 그림을 원본과 비교하고, 디코더로 코드 평면의 임의의 점을 그림으로 바꿔 봅니다.
# 3. 강의 노트의 말 "선형 뉴런을 사용하면 오토인코더의 결과는 PCA와 거의 유사하다"를 **주각(principal angle)** 이라는 숫자로 확인합니다.
#    비교의 기준인 PCA(주성분 분석)는 2절에서 먼저 소개합니다.
# 4. 강의 노트가 말하는 **쌓아 올린 오토인코더(stacked autoencoder)** 와 층별 사전 학습(layer-wise pre-training)을 작은 예로 해 봅니다.
#
# 코드 분포에서 새 그림을 뽑는 **변분 오토인코더(VAE)** 와 드문 고장 데이터를 가상으로 만드는 쓰임은 13b 노트북에서 다룹니다.

# %%

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, nn, no_grad
from micrograd_ko.optim import Adam

# 텍스트 진행 막대(progress bar): ipywidgets가 있든 없든 어디서나 같은 모양으로 보입니다.
from tqdm import tqdm

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 데이터: 8×8 손글씨 숫자를 4×4로
#
# `data.digits()`는 scikit-learn에 들어 있는 8×8 손글씨 숫자 1,797장입니다(밝기 0~1). 스칼라 엔진은 노드 하나하나를 파이썬으로 만들기 때문에,
# 1분 안에 학습하도록 데이터를 줄입니다.
#
# - 모양이 서로 다른 숫자 **0, 1, 4, 6** 만 골라 그중 300장을 씁니다(2차원 코드 평면에서 네 무리를 구별해 보기 좋습니다).
# - 2×2 칸마다 평균을 내어 **4×4 = 16픽셀** 로 줄입니다. 11번 노트북의 **평균 풀링(average pooling)** `nn.AvgPool2d(2)`와 같은 계산이며,
#   아래에서 그림 한 장으로 둘이 같은지 확인합니다.
#
# 그래서 오토인코더는 **16개 숫자 → 코드 2개 → 16개 숫자** 입니다.
#
# **실행하기 전에 예측해 보세요.** 4×4로 줄인 그림에서도 숫자를 알아볼 수 있을까요? numpy의 평균과 엔진의 `nn.AvgPool2d(2)`는 얼마나 다를까요?

# %%
CLASSES = (0, 1, 4, 6)
X_all, y_all = data.digits()
chosen = np.isin(y_all, CLASSES)
order = np.random.default_rng(0).permutation(int(chosen.sum()))[:300]
X8, labels = X_all[chosen][order], y_all[chosen][order]
X = X8.reshape(-1, 4, 2, 4, 2).mean(axis=(2, 4)).reshape(-1, 16)  # 2×2 칸의 평균: 8×8 → 4×4

pooled = nn.AvgPool2d(2)([X8[0].reshape(1, 8, 8)])[0][0]  # 엔진의 평균 풀링으로 첫 그림을 줄여 봅니다
counts = {int(c): int(np.sum(labels == c)) for c in CLASSES}
print(f"데이터: {X.shape[0]}장, 픽셀 {X.shape[1]}개, 숫자별 개수 {counts}")
print(
    f"numpy 평균과 nn.AvgPool2d(2)의 최대 차이: {np.abs(np.array([[v.data for v in row] for row in pooled]) - X[0].reshape(4, 4)).max():.1e}"
)

fig, axes = plt.subplots(2, 8, figsize=(9, 2.6))
for i in range(8):
    axes[0, i].imshow(X8[i].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    axes[1, i].imshow(X[i].reshape(4, 4), cmap="gray_r", vmin=0, vmax=1)
    axes[0, i].set_title(f"숫자 {labels[i]}", fontsize=9)
    for ax in axes[:, i]:
        ax.set_xticks([])
        ax.set_yticks([])
axes[0, 0].set_ylabel("8×8 원본")
axes[1, 0].set_ylabel("4×4 (입력)")
plt.show()

# %% [markdown]
# ## 2. 비교의 기준: 주성분 분석 (principal component analysis, PCA)
#
# 오토인코더와 견줄 기준은 강의 노트가 함께 든 **주성분 분석(principal component analysis, PCA)** 입니다. 선형 방법으로 차원을 줄이는 가장 기본적인 방법이라,
# 아래에서 계속 씁니다. 그림 $x$ (16개 숫자)에서 평균 그림을 뺀 $x - \bar x$를 한 방향으로 읽어 봅니다.
#
# - 길이 1인 방향 $u$ 위로의 좌표는 $u^\top (x - \bar x)$이고, 그 **분산** 은 $u^\top C u$입니다($C$는 픽셀들의 공분산 행렬(covariance matrix), 16×16).
# - 분산이 가장 큰 방향이 **제1 주성분(first principal component)** 의 축, 그와 수직인 방향들 가운데 분산이 가장 큰 것이 제2 주성분의 축, ... 입니다.
#   이 축들이 $C$의 **고유벡터(eigenvector)** 이고, 각 축 방향의 분산이 **고윳값(eigenvalue)** 입니다.
# - 상위 $k$개 축이 펼치는 평면에 사영(projection)했다가 되돌리면, 잃는 것은 나머지 축 방향의 분산뿐입니다. 그래서 **사영 오차(projection error)** 는 버린 고윳값의 합입니다.
#
# 계산은 보통 **특잇값 분해(singular value decomposition, SVD)** 로 합니다. 평균을 뺀 데이터 행렬을 $X_c = U S V^\top$로 분해하면 $V^\top$의 행들이 주성분의 축이고,
# **특잇값(singular value)** $s_i$ (대각 행렬 $S$의 원소)의 제곱을 그림 수 $n$으로 나눈 $s_i^2 / n$이 그 축 방향의 분산입니다. 아래에서 셋을 numpy로 확인합니다.
# 무작위 방향 2000개 가운데 분산이 가장 큰 것도 제1 주성분의 분산을 넘지 못해야 하고, SVD와 공분산 행렬의 고윳값이 같아야 하며, 사영 오차를 직접 잰 값이 버린 분산의 합과 같아야 합니다.
#
# **실행하기 전에 예측해 보세요.** 16개 축 가운데 상위 두 축이 전체 분산의 몇 %를 담을까요?

# %%
X_centered = X - X.mean(axis=0)
covariance = X_centered.T @ X_centered / len(X)
eigenvalues = np.sort(np.linalg.eigvalsh(covariance))[::-1]
_, singular_values, Vt = np.linalg.svd(X_centered, full_matrices=False)
directions = np.random.default_rng(1).standard_normal((2000, 16))
directions /= np.linalg.norm(directions, axis=1, keepdims=True)
random_variances = np.einsum("ij,jk,ik->i", directions, covariance, directions)  # uᵀ C u
print(f"무작위 방향 2000개의 분산: 가장 큰 값 {random_variances.max():.5f}, 제1 주성분 방향의 분산 {eigenvalues[0]:.5f}")
print(f"SVD의 s²/n과 공분산 행렬의 고윳값의 최대 차이: {np.abs(singular_values**2 / len(X) - eigenvalues).max():.1e}")
total_variance = eigenvalues.sum()
for k in (1, 2, 3):
    axes_k = Vt[:k].T  # 16×k: 상위 k개 축
    projected = X_centered @ axes_k @ axes_k.T  # 사영했다 되돌린 그림
    measured = np.mean(np.sum((X_centered - projected) ** 2, axis=1))
    print(
        f"상위 {k}개 축: 담은 분산 {eigenvalues[:k].sum() / total_variance:.1%}, "
        f"사영 오차(직접 잰 값) {measured:.5f}, 버린 고윳값의 합 {eigenvalues[k:].sum():.5f}"
    )

fig, axes = plt.subplots(1, 4, figsize=(7, 2))
for i, ax in enumerate(axes):
    ax.imshow(Vt[i].reshape(4, 4), cmap="RdBu", vmin=-0.8, vmax=0.8)
    ax.set_title(f"제{i + 1} 주성분 축", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
plt.show()

# %% [markdown]
# 무작위로 고른 어떤 방향도 제1 주성분보다 분산이 크지 않고, SVD와 공분산 행렬이 같은 분산을 주며, 사영 오차가 버린 고윳값의 합과 같습니다(위의 숫자).
# 주성분 축을 그림으로 그리면(파랑이 +, 빨강이 −) 숫자들이 가장 크게 다른 픽셀의 조합이 보입니다.
# 아래에서 오토인코더의 오차를 이 사영 오차와 비교할 때는 픽셀 하나당으로 나누어 씁니다(위의 값 ÷ 16).
#
# ## 3. 모델: 강의 노트의 두 식 그대로
#
# `nn.Linear(16, 2)`가 $Wx + b$, `nn.Sigmoid()`가 $s(\cdot)$입니다. 인코더와 디코더를 `nn.Sequential`로 따로 만들어 두면,
# 코드 $y$를 꺼내 보거나(인코더만) 코드에서 그림을 만들(디코더만) 수 있습니다.
#
# 손실은 복원 오차의 평균제곱 $\frac{1}{16n}\sum_i \lVert z_i - x_i\rVert^2$입니다. 그림 하나의 $\lVert z - x\rVert^2$를 `Value.dot(d, d)`로 계산하면
# 제곱 16번 대신 노드 하나로 끝납니다.
#
# 기준으로 삼을 두 숫자도 계산해 둡니다.
# - **평균 그림** 하나로 모든 그림을 대신하면(코드가 아무 정보도 담지 않으면) 오차는 픽셀별 분산의 평균입니다.
# - **PCA** 로 2차원에 사영했다가 되돌리면, 선형 방법 가운데 가장 작은 오차가 됩니다(에카르트-영 정리, Eckart–Young theorem).
#
# **실행하기 전에 예측해 보세요.** 16개 숫자를 2개로 줄였다가 되살리면, 오차는 평균 그림보다 얼마나 줄어들까요? 시그모이드 오토인코더가 PCA를 이길까요?

# %%
encoder = nn.Sequential(nn.Linear(16, 2, seed=4), nn.Sigmoid())  # y = s(Wx + b)
decoder = nn.Sequential(nn.Linear(2, 16, seed=5), nn.Sigmoid())  # z = s(W'y + b')
autoencoder = nn.Sequential(encoder, decoder)
print("인코더:", encoder[0], encoder[1], "  디코더:", decoder[0], decoder[1])
print(f"매개변수 {len(autoencoder.parameters())}개 (W 2×16 + b 2 + W' 16×2 + b' 16)")


def reconstruction_error(outputs, batch):
    """평균제곱 복원 오차: 그림마다 ||z - x||²를 dot 노드 하나로, 전체를 픽셀 수로 나눕니다."""
    squares = []
    for z, x in zip(outputs, batch):
        d = [zi - xi for zi, xi in zip(z, x)]
        squares.append(Value.dot(d, d))
    return Value.sum(squares) / (len(batch) * len(batch[0]))


def numbers(batch):
    return np.array([[v.data for v in sample] for sample in batch])


X_centered = X - X.mean(axis=0)
singular_values = np.linalg.svd(X_centered, compute_uv=False)
mean_image_error = float(np.mean(X_centered**2))
pca_error = float(np.sum(singular_values[2:] ** 2) / X.size)  # 버린 성분들의 분산 합
pca1_error = float(np.sum(singular_values[1:] ** 2) / X.size)  # 주성분 하나만 남길 때
print(f"평균 그림 하나로 대신할 때의 오차: {mean_image_error:.5f}")
print(
    f"PCA 1차원으로 사영했다 되돌릴 때의 오차: {pca1_error:.5f}  (분산의 {1 - pca1_error / mean_image_error:.1%}를 설명)"
)
print(
    f"PCA 2차원으로 사영했다 되돌릴 때의 오차: {pca_error:.5f}  (분산의 {1 - pca_error / mean_image_error:.1%}를 설명)"
)

# %% [markdown]
# ### 학습
#
# 매 단계 24장을 무작위로 뽑는 미니배치(mini-batch)로 200번, Adam(학습률 0.1)으로 학습합니다. 입력 Value는 한 번만 만들어 두고 다시 씁니다.

# %%
rows = [[Value(v, label="x") for v in row] for row in X.tolist()]
optimizer = Adam(autoencoder.parameters(), lr=0.1)
rng = np.random.default_rng(6)
history = []
for _ in tqdm(range(200), desc="오토인코더"):
    batch = [rows[i] for i in rng.choice(len(rows), size=24, replace=False)]
    loss = reconstruction_error(autoencoder(batch), batch)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    history.append(loss.data)

with no_grad():
    codes = numbers(encoder(rows))
    reconstructions = numbers(decoder(codes.tolist()))
sigmoid_error = float(np.mean((reconstructions - X) ** 2))
print(f"시그모이드 오토인코더의 오차(300장 전체): {sigmoid_error:.5f}")
print(f"  평균 그림의 {sigmoid_error / mean_image_error:.1%}, PCA 2차원의 {sigmoid_error / pca_error:.1%}")

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(history, linewidth=0.8, label="미니배치 오차")
ax.axhline(mean_image_error, color="gray", linestyle=":", label="평균 그림")
ax.axhline(pca_error, color="tab:red", linestyle="--", label="PCA 2차원")
ax.set_xlabel("단계 (step)")
ax.set_ylabel("평균제곱 복원 오차")
ax.legend()
plt.show()

# %% [markdown]
# 코드 2개로 오차가 평균 그림의 절반 가까이로 줄었고, PCA 2차원과 거의 같은 곳까지 왔습니다(위의 비율, PCA보다 조금 큽니다). 이 작은 문제에서
# 시그모이드의 비선형성이 PCA를 앞서지는 못했습니다. 인코더와 디코더가 층 하나씩뿐인 작은 모델입니다. 강의 노트가 말하듯 표현력을 높이려면 층을 쌓습니다.
#
# ### 시드가 바뀌면: 평탄한 곳(plateau)
#
# 같은 학습을 numpy로 옮겨(순전파와 역전파를 손으로 쓴 같은 계산, 08번 노트북처럼) 엔진과 같은 숫자가 나오는지 확인하고,
# 초기값과 미니배치 순서의 시드만 바꿔 여덟 번 학습해 봅니다. 행렬 곱으로 한꺼번에 계산하는 numpy는 스칼라 엔진보다 훨씬 빠릅니다.


# %%
def numpy_twin(W, b, W2, b2, batch_seed, steps=200, lr=0.1):
    """엔진과 같은 초기값, 같은 미니배치, 같은 Adam으로 학습한 시그모이드 오토인코더: 최종 오차(300장 전체)와 코드."""
    W, b, W2, b2 = (np.array(p, dtype=float) for p in (W, b, W2, b2))
    params = [W, b, W2, b2]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    batch_rng = np.random.default_rng(batch_seed)
    for t in range(1, steps + 1):
        B = X[batch_rng.choice(len(X), size=24, replace=False)]
        h = 1 / (1 + np.exp(-(B @ W.T + b)))
        z = 1 / (1 + np.exp(-(h @ W2.T + b2)))
        dz = 2 * (z - B) / B.size * z * (1 - z)
        dh = dz @ W2 * h * (1 - h)
        for i, g in enumerate([dh.T @ B, dh.sum(axis=0), dz.T @ h, dz.sum(axis=0)]):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            params[i] -= lr * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
    h = 1 / (1 + np.exp(-(X @ W.T + b)))
    z = 1 / (1 + np.exp(-(h @ W2.T + b2)))
    return float(np.mean((z - X) ** 2)), h


def initial_weights(seed_enc, seed_dec):
    enc, dec = nn.Linear(16, 2, seed=seed_enc), nn.Linear(2, 16, seed=seed_dec)
    return (
        [[w.data for w in row] for row in enc.weight],
        np.zeros(2),
        [[w.data for w in row] for row in dec.weight],
        np.zeros(16),
    )


twin_error, _ = numpy_twin(*initial_weights(4, 5), batch_seed=6)
print(
    f"numpy로 옮긴 같은 학습의 오차 {twin_error:.8f}, 엔진 {sigmoid_error:.8f} (차이 {abs(twin_error - sigmoid_error):.1e})"
)
levels = {"평균 그림": mean_image_error, "PCA 1차원": pca1_error, "PCA 2차원": pca_error}
for seed in range(1, 9):
    error, twin_codes = numpy_twin(*initial_weights(seed, seed + 1), batch_seed=seed + 2)
    nearest = min(levels, key=lambda name: abs(levels[name] - error))
    spread = ", ".join(f"y{j + 1} {twin_codes[:, j].std():.4f}" for j in range(2))
    print(f"시드 {seed}, {seed + 1}, {seed + 2}: 오차 {error:.4f} ({nearest} 수준), 코드의 표준편차 {spread}")
    for j in range(2):
        if twin_codes[:, j].std() < 0.01:  # 붙어 버린 코드: 값, 시그모이드에 들어간 u, 기울기 s'(u)
            y = twin_codes[:, j]
            u = np.log(y / (1 - y))
            slope = y * (1 - y)
            print(
                f"    붙은 코드 y{j + 1}: 평균 {y.mean():.4f}, u = Wx + b의 범위 {u.min():+.1f} ~ {u.max():+.1f}, "
                f"s'(u)의 범위 {slope.min():.4f} ~ {slope.max():.4f}"
            )

# %% [markdown]
# 여러 시드가 PCA 1차원의 오차 근처에서 멈춥니다. 그때마다 코드 하나의 표준편차가 0.01보다 작습니다. 그 코드는 시그모이드의 평평한 끝에 붙어 있습니다.
# 위의 들여 쓴 줄이 그 측정입니다. 붙은 코드의 값은 1이나 0에 아주 가깝고, 시그모이드에 들어가는 $u = Wx + b$는 모든 그림에서 0에서 멀리 떨어져 있으며,
# 그래서 기울기 $s'(u) = s(u)(1 - s(u))$가 가장 큰 그림에서도 그 최댓값 $s'(0) = 0.25$의 10분의 1보다 작고, 대부분의 그림에서는 훨씬 작습니다. 인코더의 가중치로 가는 기울기에는 이 $s'(u)$가 곱해지므로 빠져나오기 어렵습니다.
# 모델은 사실상 코드 하나로 복원합니다.
# 두 코드가 모두 붙으면 평균 그림 수준에 머뭅니다.
# 위의 학습은 이런 일이 없는 시드(4, 5, 6)로 200단계만 돌렸습니다. 단계 수나 학습률을 바꾸면 결과가 달라지니 직접 바꿔 보세요.

# %% [markdown]
# ## 4. 코드 평면: 레이블 없이 배운 2차원
#
# 인코더가 만든 코드 $y = (y_1, y_2)$를 숫자별 색으로 그립니다. 학습에는 레이블을 전혀 쓰지 않았습니다.
# 같은 숫자끼리 모이는지 숫자로도 재어 봅니다. 숫자마다 코드의 평균점(중심)을 구하고, 각 그림을 가장 가까운 중심의 숫자로 맞혀 본 정확도입니다.
# 같은 일을 PCA의 두 좌표로도 해 봅니다.
#
# **실행하기 전에 예측해 보세요.** 레이블 없이 배운 코드로 맞히면 찍기(네 숫자이니 25%)보다 얼마나 나을까요? PCA의 두 좌표보다 나을까요?


# %%
def nearest_centre_accuracy(points, classes):
    centres = np.array([points[classes == c].mean(axis=0) for c in CLASSES])
    guesses = np.array(CLASSES)[np.argmin(((points[:, None, :] - centres) ** 2).sum(axis=-1), axis=1)]
    return float(np.mean(guesses == classes))


_, _, Vt = np.linalg.svd(X_centered, full_matrices=False)
pca_codes = X_centered @ Vt[:2].T
print(
    f"가장 가까운 중심으로 맞힌 비율: 오토인코더 코드 {nearest_centre_accuracy(codes, labels):.1%}, "
    f"PCA 좌표 {nearest_centre_accuracy(pca_codes, labels):.1%}  (찍으면 약 25%)"
)

fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
for c, color in zip(CLASSES, ["tab:blue", "tab:orange", "tab:green", "tab:red"]):
    axes[0].scatter(codes[labels == c, 0], codes[labels == c, 1], s=12, color=color, label=f"숫자 {c}")
    axes[1].scatter(pca_codes[labels == c, 0], pca_codes[labels == c, 1], s=12, color=color, label=f"숫자 {c}")
axes[0].set_xlabel("코드 y₁")
axes[0].set_ylabel("코드 y₂")
axes[0].set_title("시그모이드 오토인코더의 코드 (0~1)")
axes[1].set_xlabel("제1 주성분 좌표")
axes[1].set_ylabel("제2 주성분 좌표")
axes[1].set_title("PCA의 두 좌표")
axes[0].legend()
plt.show()

# %% [markdown]
# 시그모이드 코드는 0과 1 사이에 갇혀 있어서, 무리가 정사각형의 모서리 쪽으로 눌립니다. PCA 좌표는 직선으로 펼친 것이라 무리의 배치가 비슷하되 모양이 다릅니다.
#
# ## 5. 복원된 그림, 그리고 디코더로 만든 그림
#
# 위 줄이 입력(4×4), 아래 줄이 코드 2개에서 되살린 그림입니다.
#
# **실행하기 전에 예측해 보세요.** 네 숫자 가운데 복원 오차가 가장 큰 숫자와 가장 작은 숫자는 무엇일까요?

# %%
fig, axes = plt.subplots(2, 10, figsize=(10, 2.4))
for i in range(10):
    axes[0, i].imshow(X[i].reshape(4, 4), cmap="gray_r", vmin=0, vmax=1)
    axes[1, i].imshow(reconstructions[i].reshape(4, 4), cmap="gray_r", vmin=0, vmax=1)
    axes[0, i].set_title(f"{labels[i]}", fontsize=9)
    for ax in axes[:, i]:
        ax.set_xticks([])
        ax.set_yticks([])
axes[0, 0].set_ylabel("입력")
axes[1, 0].set_ylabel("복원")
plt.show()
per_class = {int(c): float(np.mean((reconstructions[labels == c] - X[labels == c]) ** 2)) for c in CLASSES}
print("숫자별 복원 오차: " + ", ".join(f"{c}: {e:.4f}" for c, e in per_class.items()))

# %% [markdown]
# 강의 노트는 반대 방향의 쓰임도 말합니다. **디코더만 떼어 내면** 축소된 공간의 아무 점에서나 원래 공간의 가상 데이터를 만들 수 있습니다.
# 코드 평면에서 학습된 코드가 있는 범위를 5×5 격자로 나누어 각 점을 디코더에 넣어 봅니다.

# %%
grid_1 = np.linspace(codes[:, 0].min(), codes[:, 0].max(), 5)
grid_2 = np.linspace(codes[:, 1].max(), codes[:, 1].min(), 5)
with no_grad():
    generated = numbers(decoder([[float(a), float(b)] for b in grid_2 for a in grid_1]))
fig, axes = plt.subplots(5, 5, figsize=(5, 5))
for k, ax in enumerate(axes.flat):
    ax.imshow(generated[k].reshape(4, 4), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
for i in range(5):
    axes[4, i].set_xlabel(f"{grid_1[i]:.2f}", fontsize=8)
    axes[i, 0].set_ylabel(f"{grid_2[i]:.2f}", fontsize=8)
fig.supxlabel("코드 y₁")
fig.supylabel("코드 y₂")
plt.show()

# %% [markdown]
# ## 6. 선형 오토인코더와 PCA: 같은 평면을 찾는다
#
# 활성화 함수를 빼면 오토인코더는 $z = W'(Wx)$ (편향은 데이터의 평균을 빼서 대신합니다), 즉 16차원을 2차원으로 눌렀다 펴는 **계수(rank) 2인 선형 사상** 입니다.
# 이런 사상 가운데 제곱 오차가 가장 작은 것은 PCA의 상위 두 주성분이 펼치는 평면으로의 사영이므로, 잘 학습된 선형 오토인코더의 디코더 열 $W'$도
# **같은 평면** 을 펼쳐야 합니다. 다만 평면 안에서 어떤 두 축을 쓰는지는 정해지지 않습니다($W'A$와 $A^{-1}W$도 같은 $z$를 내니까요). 그래서 축 하나하나가 아니라
# 두 **부분공간(subspace)** 을 비교합니다.
#
# 두 평면 사이의 **주각(principal angle)** $\theta_1 \le \theta_2$는 이렇게 구합니다. 먼저 각 평면의 **정규직교기저(orthonormal basis)**, 곧 평면을 펼치는
# 서로 수직인 단위벡터 두 개 $Q_1, Q_2$ (16×2)를 만듭니다. **QR 분해(QR decomposition)** $A = QR$가 그 일을 합니다. 행렬 $A$의 열들을 차례로 수직이 되게 고쳐
# 정규직교 열의 $Q$와 위삼각 행렬(upper triangular matrix) $R$로 나누므로, $Q$의 열들이 $A$의 열 공간을 펼치는 정규직교기저입니다. 그다음 $Q_1^\top Q_2$ (2×2)의 특잇값(2절)이
# $\cos\theta_1, \cos\theta_2$입니다. 두 평면이 같으면 두 각이 모두 0°, 서로 수직이면 90°입니다.
#
# 이번에는 전체 배치(full batch) 100장으로 100번, Adam의 학습률을 0.1에서 선형으로 줄이며 학습합니다. 전체 배치는 미니배치의 잡음이 없어서 끝까지 수렴하는 모습을 보기 좋습니다.
# PCA도 같은 100장으로 계산합니다.
#
# **실행하기 전에 예측해 보세요.** 디코더 열 $W'$의 두 벡터는 주성분 벡터와 같을까요? 서로 수직일까요?


# %%
def principal_angles(A, B):
    """열 공간 span(A)와 span(B) 사이의 주각(도): Q1ᵀQ2의 특잇값이 cos θ입니다."""
    Q1, _ = np.linalg.qr(A)
    Q2, _ = np.linalg.qr(B)
    cosines = np.linalg.svd(Q1.T @ Q2, compute_uv=False)
    return np.degrees(np.arccos(np.clip(cosines, -1.0, 1.0)))


X_lin = X[:100] - X[:100].mean(axis=0)
_, s_lin, Vt_lin = np.linalg.svd(X_lin, full_matrices=False)
pca_plane = Vt_lin[:2].T  # 16×2: 상위 두 주성분
linear_pca_error = float(np.sum(s_lin[2:] ** 2) / X_lin.size)

linear_encoder = nn.Linear(16, 2, bias=False, seed=4)  # y = W x
linear_decoder = nn.Linear(2, 16, bias=False, seed=5)  # z = W' y
linear_ae = nn.Sequential(linear_encoder, linear_decoder)
linear_rows = [[Value(v, label="x") for v in row] for row in X_lin.tolist()]


def decoder_columns():
    return np.array([[w.data for w in row] for row in linear_decoder.weight])  # 16×2: W'의 두 열


Q_check, R_check = np.linalg.qr(decoder_columns())
print(f"QR 분해 확인: |QᵀQ - I|의 최댓값 {np.abs(Q_check.T @ Q_check - np.eye(2)).max():.1e}, R의 대각 아래 원소 {R_check[1, 0]:.1f}")
print(f"학습 전 주각: {principal_angles(decoder_columns(), pca_plane).round(2)}°")
linear_optimizer = Adam(linear_ae.parameters(), lr=0.1)
linear_history = []
for step in tqdm(range(100), desc="선형 오토인코더"):
    linear_optimizer.lr = 0.1 * (1 - step / 100)
    loss = reconstruction_error(linear_ae(linear_rows), linear_rows)
    linear_optimizer.zero_grad()
    loss.backward()
    linear_optimizer.step()
    linear_history.append(loss.data)

W_dec = decoder_columns()
W_enc = np.array([[w.data for w in row] for row in linear_encoder.weight])  # 2×16
angles = principal_angles(W_dec, pca_plane)
with no_grad():
    linear_error = float(np.mean((numbers(linear_ae(linear_rows)) - X_lin) ** 2))
print(f"학습 후 주각 (디코더 W'의 열 공간 vs PCA 평면): θ₁ = {angles[0]:.3f}°, θ₂ = {angles[1]:.3f}°")
print(f"학습 후 주각 (인코더 W의 행 공간 vs PCA 평면): {principal_angles(W_enc.T, pca_plane).round(3)}°")
print(
    f"선형 오토인코더 오차 {linear_error:.6f}, PCA 2차원 오차 {linear_pca_error:.6f} (차이 {linear_error - linear_pca_error:.1e})"
)
unit = W_dec / np.linalg.norm(W_dec, axis=0)
print(
    f"W'의 두 열 사이 각도: {np.degrees(np.arccos(abs(unit[:, 0] @ unit[:, 1]))):.1f}°, 길이 {np.linalg.norm(W_dec, axis=0).round(3)}"
)
print(
    f"W'의 열과 가장 가까운 주성분 사이 각도: "
    f"{[round(float(np.degrees(np.arccos(np.abs(unit[:, j] @ pca_plane).max()))), 1) for j in range(2)]}°"
)
print(f"W·W' (주성분 평면 위에서 눌렀다 펴면 제자리여야 합니다):\n{(W_enc @ W_dec).round(3)}")

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(linear_history, label="선형 오토인코더")
ax.axhline(linear_pca_error, color="tab:red", linestyle="--", label="PCA 2차원 (최솟값)")
ax.set_xlabel("단계 (step)")
ax.set_ylabel("평균제곱 복원 오차")
ax.set_yscale("log")
ax.legend()
plt.show()

# %% [markdown]
# 선형 오토인코더는 PCA가 찾은 평면을 거의 그대로 찾았습니다(주각이 1° 미만이고, 오차는 PCA의 최솟값에 닿았습니다). 그러나 $W'$의 두 열은
# 주성분 벡터 자체도 아니고 서로 수직이지도 않습니다. 오토인코더는 **평면** 을 배울 뿐 그 안의 축은 초기값과 학습 경로가 정합니다.
# 대신 $W W'$이 단위행렬 $I$에 가까워서, 평면 위의 점은 인코더와 디코더를 지나도 제자리로 돌아옵니다.
# 인코더 $W$의 행 공간은 디코더보다 PCA 평면에서 조금 더 떨어져 있습니다. $W$가 평면 밖의 방향을 얼마나 읽는지는 그 방향의 분산이 작은 만큼
# 오차에 조금밖에 영향을 주지 않으니, 그 방향의 기울기도 작아 더 천천히 맞춰집니다.
#
# 강의 노트의 문장을 숫자로 다시 읽으면 이렇습니다.
# - "선형 뉴런을 사용하면 오토인코더의 결과는 PCA와 거의 유사하다": 같은 부분공간, 같은 최소 오차(위의 주각과 오차).
# - "시그모이드 뉴런을 사용함으로써 비선형적인 코딩을 얻을 수 있다": 3~5절의 코드는 0~1에 갇힌 휘어진 좌표였습니다.
#   이 작은 예에서는 비선형 코딩이 오차를 PCA보다 크게 줄이지는 못했습니다.

# %% [markdown]
# ## 7. 층을 쌓은 오토인코더와 층별 사전 학습
#
# 강의 노트는 코드를 한 번에 크게 줄이면 학습이 어렵고 표현력도 떨어지므로 **오토인코더를 쌓아 올린다(stacked autoencoder)** 고 말합니다.
# 16 → 8 → 2 → 8 → 16처럼 층을 쌓으면 각 층이 조금 더 작은 코드를 찾습니다. 그리고 이렇게 깊어진 오토인코더는 "일반적인 역전파 방법으로는 학습이 잘 되지 않는데",
# 그래서 **층별 사전 학습(layer-wise pre-training)** 을 합니다. 힌턴(Hinton)과 살라쿠트디노프(Salakhutdinov)의 2006년 방법은 층마다
# **제한된 볼츠만 머신(restricted Boltzmann machine, RBM)** 을 하나씩 학습했습니다. RBM은 보이는 층과 숨은 층 사이의 에너지로 확률을 정하는 모델로,
# 아래 층의 출력을 데이터로 삼아 한 층씩 학습합니다. 그 결과를 초깃값으로 삼아 전체를 역전파로 **미세 조정(fine-tuning)** 합니다.
#
# 여기서는 RBM 대신 더 단순한 변형(Bengio 외, 2007)을 씁니다. 층마다 **작은 오토인코더** 를 학습합니다.
#
# 1. 16 → 8 → 16 오토인코더를 학습하고, 그 인코더로 모든 그림의 코드 $h_1$ (8개)을 만듭니다.
# 2. $h_1$을 데이터로 삼아 8 → 2 → 8 오토인코더를 학습합니다.
# 3. 두 인코더를 쌓고(16 → 8 → 2) 두 디코더를 거꾸로 쌓아(2 → 8 → 16) 전체를 미세 조정합니다.
#
# 비교는 같은 모양을 무작위 초깃값에서 곧바로 역전파로 학습한 것입니다. 두 방법 모두 모두 합쳐 600단계(미니배치 24장, Adam 학습률 0.1)를 씁니다.
# 시드 여섯 개로 해야 하니 3절의 numpy 쌍둥이를 층 여러 개로 늘려 씁니다. 먼저 엔진과 같은 숫자를 내는지 30단계로 확인합니다.
#
# **실행하기 전에 예측해 보세요.** 무작위 초깃값에서 곧바로 학습한 깊은 오토인코더는 시드마다 PCA 2차원 수준에 닿을까요? 층별 사전 학습은요?


# %%
def numpy_stack(layers, inputs, steps, batch_seed, lr=0.1):
    """시그모이드 층들 [[W, b], ...]을 입력 자신을 목표로 Adam으로 학습합니다(제자리에서 바꿉니다)."""
    params = [p for layer in layers for p in layer]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    batch_rng = np.random.default_rng(batch_seed)
    for t in range(1, steps + 1):
        B = inputs[batch_rng.choice(len(inputs), size=24, replace=False)]
        hs = [B]
        for W, b in layers:
            hs.append(1 / (1 + np.exp(-(hs[-1] @ W.T + b))))
        d = 2 * (hs[-1] - B) / B.size
        grads = []
        for i in range(len(layers) - 1, -1, -1):
            du = d * hs[i + 1] * (1 - hs[i + 1])
            grads = [du.T @ hs[i], du.sum(axis=0), *grads]
            d = du @ layers[i][0]
        for i, g in enumerate(grads):
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            params[i] -= lr * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
    return layers


def through(layers, inputs):
    for W, b in layers:
        inputs = 1 / (1 + np.exp(-(inputs @ W.T + b)))
    return inputs


SIZES = (16, 8, 2, 8, 16)


def deep_linears(seed):
    return [nn.Linear(a, b, seed=10 * seed + k) for k, (a, b) in enumerate(zip(SIZES[:-1], SIZES[1:]))]


def as_arrays(linears):
    return [[np.array([[w.data for w in row] for row in lin.weight]), np.zeros(lin.out_features)] for lin in linears]


# 엔진으로 30단계: 같은 초깃값, 같은 미니배치, 같은 Adam
linears = deep_linears(1)
deep_engine = nn.Sequential(*[part for lin in linears for part in (lin, nn.Sigmoid())])
engine_optimizer = Adam(deep_engine.parameters(), lr=0.1)
engine_rng = np.random.default_rng(101)
twin_layers = as_arrays(linears)
for _ in range(30):
    batch = [rows[i] for i in engine_rng.choice(len(rows), size=24, replace=False)]
    loss = reconstruction_error(deep_engine(batch), batch)
    engine_optimizer.zero_grad()
    loss.backward()
    engine_optimizer.step()
numpy_stack(twin_layers, X, 30, batch_seed=101)
with no_grad():
    engine_error = float(np.mean((numbers(deep_engine(rows)) - X) ** 2))
twin_error = float(np.mean((through(twin_layers, X) - X) ** 2))
print(f"30단계 뒤 오차: 엔진 {engine_error:.8f}, numpy {twin_error:.8f} (차이 {abs(engine_error - twin_error):.1e})")

print(f"기준: 평균 그림 {mean_image_error:.4f}, PCA 1차원 {pca1_error:.4f}, PCA 2차원 {pca_error:.4f}")
results = []
for seed in range(1, 7):
    direct = numpy_stack(as_arrays(deep_linears(seed)), X, 600, batch_seed=100 + seed)
    direct_error = float(np.mean((through(direct, X) - X) ** 2))
    enc1, enc2, dec2, dec1 = as_arrays(deep_linears(seed))  # 같은 초깃값에서 출발
    numpy_stack([enc1, dec1], X, 200, batch_seed=100 + seed)  # 1. 16 → 8 → 16
    codes_1 = through([enc1], X)
    numpy_stack([enc2, dec2], codes_1, 200, batch_seed=200 + seed)  # 2. 8 → 2 → 8, 입력은 h1
    stacked = [enc1, enc2, dec2, dec1]
    before = float(np.mean((through(stacked, X) - X) ** 2))
    numpy_stack(stacked, X, 200, batch_seed=300 + seed)  # 3. 미세 조정
    after = float(np.mean((through(stacked, X) - X) ** 2))
    results.append((direct_error, after))
    print(
        f"시드 {seed}: 곧바로 학습 {direct_error:.4f}, 층별 사전 학습 직후 {before:.4f} → 미세 조정 뒤 {after:.4f}"
    )
results = np.array(results)
print(
    f"PCA 2차원보다 오차가 작은 시드: 곧바로 학습 {np.sum(results[:, 0] < pca_error)}/6, "
    f"층별 사전 학습 {np.sum(results[:, 1] < pca_error)}/6"
)
print(f"4층 오토인코더의 가장 작은 오차 {results.min():.4f}, 3절의 2층 시그모이드 오토인코더 {sigmoid_error:.4f}")

# %% [markdown]
# numpy 쌍둥이가 엔진과 같은 숫자를 내니(첫 줄), 나머지는 같은 계산을 빨리 돌린 것입니다. 곧바로 학습한 깊은 오토인코더는 시드에 따라 PCA 1차원이나 평균 그림 수준에서
# 멈춥니다(3절에서 본 평탄한 곳). 층별 사전 학습을 한 쪽은 같은 단계 수로 모든 시드에서 PCA 2차원보다 작은 오차에 닿았습니다(위의 세는 줄).
# 사전 학습 직후의 오차는 시드마다 평균 그림과 PCA 2차원 사이에 있고(가운데 숫자), 미세 조정이 거기서 나머지를 줄입니다. 강의 노트의 "미리 학습된 결과를 초기 추측으로 사용하여 역전파 방법으로 튜닝하면
# 쌓아 올린 오토인코더를 제대로 학습할 수 있게 된다"를 이 작은 예에서 확인한 셈입니다. 그리고 층을 쌓은 오토인코더는 PCA 2차원과 3절의 2층 오토인코더보다 작은 오차에 닿습니다(마지막 줄).
# 코드는 똑같이 2개이니, 이것이 비선형 층을 쌓아 얻은 표현력입니다.
#
# 오늘날에는 ReLU, 좋은 초기화(10번 노트북), 배치 정규화, Adam 덕분에 깊은 신경망도 사전 학습 없이 곧바로 학습하는 경우가 대부분입니다.
# 층별 사전 학습은 2006년 무렵 깊은 신경망이 다시 주목받게 한 계기였습니다(강의 노트의 "인공 신경망을 사전 훈련 해주거나").
#
# 합성곱 층(11번 노트북)으로 인코더와 디코더를 만들면 합성곱 오토인코더(convolutional autoencoder)가 됩니다. 코드의 분포를 배워 새 그림을 뽑는 VAE는 13b 노트북,
# 디코더로 새 데이터를 만드는 또 하나의 방법인 GAN은 14번 노트북입니다.

