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
# ## 2. 모델: 강의 노트의 두 식 그대로
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

# %% [markdown]
# 여러 시드가 PCA 1차원의 오차 근처에서 멈춥니다. 그때마다 코드 하나의 표준편차가 0.01보다 작습니다. 그 코드는 시그모이드의 평평한 끝에 붙어
# 거의 움직이지 않고, 거기서는 기울기 $s'(u) = s(u)(1 - s(u))$가 거의 0이라 빠져나오기 어렵습니다. 모델은 사실상 코드 하나로 복원합니다.
# 두 코드가 모두 붙으면 평균 그림 수준에 머뭅니다.
# 위의 학습은 이런 일이 없는 시드(4, 5, 6)로 200단계만 돌렸습니다. 단계 수나 학습률을 바꾸면 결과가 달라지니 직접 바꿔 보세요.

# %% [markdown]
# ## 3. 코드 평면: 레이블 없이 배운 2차원
#
# 인코더가 만든 코드 $y = (y_1, y_2)$를 숫자별 색으로 그립니다. 학습에는 레이블을 전혀 쓰지 않았습니다.
# 같은 숫자끼리 모이는지 숫자로도 재어 봅니다. 숫자마다 코드의 평균점(중심)을 구하고, 각 그림을 가장 가까운 중심의 숫자로 맞혀 본 정확도입니다.
# 같은 일을 PCA의 두 좌표로도 해 봅니다.


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
# ## 4. 복원된 그림, 그리고 디코더로 만든 그림
#
# 위 줄이 입력(4×4), 아래 줄이 코드 2개에서 되살린 그림입니다.

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
# ## 5. 선형 오토인코더와 PCA: 같은 평면을 찾는다
#
# 활성화 함수를 빼면 오토인코더는 $z = W'(Wx)$ (편향은 데이터의 평균을 빼서 대신합니다), 즉 16차원을 2차원으로 눌렀다 펴는 **계수(rank) 2인 선형 사상** 입니다.
# 이런 사상 가운데 제곱 오차가 가장 작은 것은 PCA의 상위 두 주성분이 펼치는 평면으로의 사영이므로, 잘 학습된 선형 오토인코더의 디코더 열 $W'$도
# **같은 평면** 을 펼쳐야 합니다. 다만 평면 안에서 어떤 두 축을 쓰는지는 정해지지 않습니다($W'A$와 $A^{-1}W$도 같은 $z$를 내니까요). 그래서 축 하나하나가 아니라
# 두 **부분공간(subspace)** 을 비교합니다.
#
# 두 평면 사이의 **주각(principal angle)** $\theta_1 \le \theta_2$는 이렇게 구합니다. 각 평면의 정규직교기저(orthonormal basis) $Q_1, Q_2$ (16×2)를 QR 분해로 만들고,
# $Q_1^\top Q_2$ (2×2)의 특잇값이 $\cos\theta_1, \cos\theta_2$입니다. 두 평면이 같으면 두 각이 모두 0°, 서로 수직이면 90°입니다.
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
# - "시그모이드 뉴런을 사용함으로써 비선형적인 코딩을 얻을 수 있다": 2~4절의 코드는 0~1에 갇힌 휘어진 좌표였습니다.
#   이 작은 예에서는 비선형 코딩이 오차를 PCA보다 크게 줄이지는 못했습니다.
#
# 합성곱 층(11번 노트북)으로 인코더와 디코더를 만들면 합성곱 오토인코더(convolutional autoencoder)가 되고, 디코더로 새 데이터를 만드는 생각은
# 다음 노트북의 GAN으로 이어집니다.
