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
# # 14b. DCGAN: 합성곱으로 만든 생성자와 판별자
#
# 14번 노트북의 GAN은 1차원 데이터에서 MLP 두 개로 게임을 했습니다. **DCGAN(deep convolutional GAN, 심층 합성곱 GAN)** 은
# Radford, Metz, Chintala(2016)가 제안한 구조로, 게임과 손실은 그대로 두고 두 신경망을 **합성곱 신경망(convolutional neural network)** 으로 바꿉니다.
# 이 노트북에서는 8×8 손글씨 숫자(`data.digits()`, 1,797장)를 흉내 내는 작은 DCGAN을 실제로 학습합니다.
#
# 1. 논문의 설계 지침과, 이 노트북이 그중 무엇을 따르고 무엇을 뺐는지.
# 2. **전치 합성곱(transposed convolution)** `nn.ConvTranspose2d`로 잡음 $z$를 1×1 → 2×2 → 4×4 → 8×8로 키우는 생성자와,
#    **보폭(stride) 2인 합성곱** 으로 8×8 → 4×4 → 2×2 → 1×1로 줄이는 판별자.
# 3. 스칼라 엔진으로는 느린 학습을 **컴파일 모드(compiled mode)** (15번 노트북)로 한 번에 64장씩 실행하기.
# 4. 생성된 숫자가 얼마나 진짜 같고 얼마나 다양한지 숫자로 재기, 그리고 강의 노트처럼 **오토인코더가 만든 그림과 나란히** 보기.

# %%
import time

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import threadpool_limits

from micrograd_ko import Value, data, nn
from micrograd_ko.compiler import trace
from micrograd_ko.optim import Adam

# 텍스트 진행 막대(progress bar): ipywidgets가 있든 없든 어디서나 같은 모양으로 보입니다.
from tqdm import tqdm

plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False
# 컴파일 모드의 행렬은 작습니다(수십 × 수백). numpy의 BLAS를 스레드 하나로 돌려, 다른 프로그램과 CPU를 나눠 쓸 때 스레드끼리 기다리는 일을 줄입니다.
blas_limit = threadpool_limits(limits=1, user_api="blas")

# %% [markdown]
# ## 1. DCGAN 논문의 지침
#
# 논문이 안정적인 학습을 위해 정리한 지침은 다섯 가지입니다(논문 3절). 강의 노트의 요약("Pooling layer, Fully connected layer는 사용하지 않는다",
# "Batch Normalization를 사용한다", "ReLU 대신 LeakyReLU를 사용한다")을 논문의 말대로 정확히 적으면 이렇습니다.
#
# | 논문의 지침 | 이 노트북 |
# |---|---|
# | 풀링(pooling) 대신 판별자는 **보폭 있는 합성곱(strided convolution)**, 생성자는 **분수 보폭 합성곱(fractionally-strided convolution)** = 전치 합성곱 | 그대로: `nn.Conv2d(..., stride=2)`, `nn.ConvTranspose2d(..., stride=2)` |
# | 깊은 구조에서는 **완전 연결 은닉층(fully connected hidden layer)** 을 없앤다 | 그대로: 두 신경망 모두 합성곱 층만 씁니다(1×1 잡음과 1×1 점수도 합성곱으로) |
# | 생성자와 판별자 모두 **배치 정규화(batch normalization)** 를 쓰되, **생성자의 출력층과 판별자의 입력층에는 쓰지 않는다** | 뺐습니다(아래 설명) |
# | 생성자는 출력층만 **tanh**, 나머지 층은 모두 **ReLU** | 그대로 |
# | 판별자는 모든 층에 **LeakyReLU** (음수 쪽 기울기 0.2) | 그대로: `v.leaky_relu(0.2)` |
#
# 그러니 "ReLU 대신 LeakyReLU"는 판별자의 이야기이고, 생성자는 ReLU를 씁니다. 배치 정규화를 모든 층에 넣으면 표본이 진동하고 학습이 불안정해져서
# 두 층에서는 뺐다고 논문은 말합니다. 이 노트북은 배치 정규화를 아예 뺐습니다. 합성곱 층의 채널마다 정규화하는 2차원 배치 정규화(`BatchNorm2d`)가 이 라이브러리에는 없기 때문입니다(`nn.BatchNorm1d`만 있고, 컴파일 모드는 그것을 배치 통계의 그룹으로 실행합니다).
# 작은 신경망이라 배치 정규화 없이도 학습되는지는 3절의 결과로 확인합니다(**실행하기 전에 예측해 보세요.** 될까요?). 학습률도 논문의 0.0002보다 큰 0.002를 씁니다(단계 수가 훨씬 적습니다). $\beta_1 = 0.5$는 논문대로입니다.
#
# ## 2. 데이터와 두 신경망
#
# 픽셀을 0~1에서 $[-1, 1]$로 옮깁니다. 생성자의 출력층 tanh가 내는 범위입니다.
#
# 층마다 크기가 어떻게 바뀌는지는 식으로 계산됩니다. 합성곱은 $\lfloor (n + 2p - k)/s \rfloor + 1$ (11번 노트북),
# 전치 합성곱은 그 반대 방향 $(n - 1)s - 2p + k$입니다. 커널 4, 보폭 2, 패딩 1이면 합성곱은 크기를 절반으로, 전치 합성곱은 두 배로 만듭니다.
#
# **실행하기 전에 예측해 보세요.** 생성자의 첫 층 `ConvTranspose2d(8, 24, 2)`는 1×1 잡음을 몇×몇으로 만들까요? 두 신경망 중 매개변수가 더 많은 쪽은?

# %%
Z = 8  # 잡음 z의 차원: 8채널짜리 1×1 '이미지'
X01, digit_labels = data.digits()
images = (X01 * 2 - 1).reshape(-1, 1, 8, 8)  # [-1, 1], [channel][row][col]
print(f"데이터: {images.shape[0]}장, 모양 {images.shape[1:]}, 밝기 {images.min():.0f} ~ {images.max():.0f}")

generator = nn.Sequential(
    nn.ConvTranspose2d(Z, 24, 2, seed=1),  # 1×1 → 2×2
    nn.ReLU(),
    nn.ConvTranspose2d(24, 12, 4, stride=2, padding=1, seed=2),  # 2×2 → 4×4
    nn.ReLU(),
    nn.ConvTranspose2d(12, 1, 4, stride=2, padding=1, seed=3),  # 4×4 → 8×8
    nn.Tanh(),
)
d_layers = [
    nn.Conv2d(1, 12, 4, stride=2, padding=1, seed=4),  # 8×8 → 4×4
    nn.Conv2d(12, 24, 4, stride=2, padding=1, seed=5),  # 4×4 → 2×2
    nn.Conv2d(24, 1, 2, seed=6),  # 2×2 → 1×1: 점수(logit) 하나
]
d_params = [p for layer in d_layers for p in layer.parameters()]


def leaky(image, slope=0.2):
    """판별자의 활성화: 모든 값에 LeakyReLU(0.2)."""
    return [[[v.leaky_relu(slope) for v in row] for row in channel] for channel in image]


def discriminator(image):
    """이미지 하나 → 점수 s 하나 (D(x) = σ(s))."""
    h = leaky(d_layers[0]([image])[0])
    h = leaky(d_layers[1]([h])[0])
    return d_layers[2]([h])[0][0][0][0]


def shape(image):
    return f"{len(image)}×{len(image[0])}×{len(image[0][0])}"


z_example = np.zeros((Z, 1, 1)).tolist()
h = [z_example]
print("생성자 G:", end=" ")
for layer in generator:
    h = layer(h)
    if not isinstance(layer, nn.ActivationLayer):
        print(f"→ {shape(h[0])}", end=" ")
print(f"  매개변수 {len(generator.parameters())}개")
h = [images[0].tolist()]
print("판별자 D: 1×8×8", end=" ")
for layer in d_layers:
    h = layer(h)
    print(f"→ {shape(h[0])}", end=" ")
print(f"  매개변수 {len(d_params)}개")

# %% [markdown]
# ## 3. 컴파일 모드로 학습하기
#
# 14번 노트북과 같은 게임입니다. 판별자는 $V(D, G)$를 최대화하고(손실 $-\log\sigma(s_\text{진짜}) - \log(1 - \sigma(s_\text{가짜}))$
# $= \operatorname{softplus}(-s_\text{진짜}) + \operatorname{softplus}(s_\text{가짜})$), 생성자는 포화하지 않는 손실 $-\log D(G(z)) = \operatorname{softplus}(-s)$를 최소화합니다.
# 샘플 하나의 계산을 `trace`로 네 번 기록합니다.
#
# - `g_forward`: $z \mapsto G(z)$ (가짜 이미지 64픽셀),
# - `d_on_real`: $x \mapsto \operatorname{softplus}(-D(x))$, `d_on_fake`: $x \mapsto \operatorname{softplus}(D(x))$ (판별자의 매개변수만),
# - `g_loss`: $z \mapsto \operatorname{softplus}(-D(G(z)))$ (생성자와 판별자의 매개변수 모두: 기울기가 판별자를 지나 생성자로 갑니다. 옵티마이저는 생성자의 것만 `step()` 합니다).
#
# 먼저 컴파일한 계산이 즉시 실행(eager)과 같은 숫자를 내는지 배치 하나로 확인합니다.

# %%
g_forward = trace(lambda z: [v for row in generator([z])[0][0] for v in row], z_example, generator.parameters())
d_on_real = trace(lambda x: (-discriminator(x)).softplus(), images[0].tolist(), d_params)
d_on_fake = trace(lambda x: discriminator(x).softplus(), images[0].tolist(), d_params)
g_loss = trace(lambda z: (-discriminator(generator([z])[0])).softplus(), z_example, generator.parameters() + d_params)
for name, program in [("g_forward", g_forward), ("d_on_real", d_on_real), ("g_loss", g_loss)]:
    print(f"{name:>9}: {program}")

check_z = np.random.default_rng(0).standard_normal((4, Z, 1, 1))
eager = [(-discriminator(generator([z])[0])).softplus().data for z in check_z.tolist()]
print(f"g_loss 4개, 컴파일과 즉시 실행의 최대 차이: {np.abs(g_loss(check_z) - eager).max():.1e}")

# 한 단계에 드는 샘플 그래프는 판별자 64 + 64장, 생성자 64장: 즉시 실행으로 샘플 4개의 순전파와 역전파를 재어 600단계로 늘려 봅니다
started = time.perf_counter()
eager_losses = [(-discriminator(generator([z])[0])).softplus() for z in check_z.tolist()]
Value.sum(eager_losses).backward()
eager_estimate = (time.perf_counter() - started) / 4 * (3 * 64) * 600
# 잰 시간은 컴퓨터의 부하에 따라 달라지므로, 넉넉한 기준 하나만 출력합니다(다시 실행해도 같은 출력)
if eager_estimate > 600:
    print("즉시 실행 모드로 600단계를 학습하면 10분이 넘게 걸린다는 어림이 나옵니다")
else:
    print("즉시 실행 모드로 600단계를 학습해도 10분이 안 걸린다는 어림이 나옵니다")
for p in generator.parameters() + d_params:
    p.grad = 0.0

# %% [markdown]
# 한 단계: (1) 진짜 64장과 가짜 64장으로 판별자를 한 걸음, (2) 새 잡음 64개로 생성자를 한 걸음. 두 옵티마이저 모두 Adam(학습률 0.002, $\beta = (0.5, 0.999)$)입니다.
# 같은 잡음 20개로 0, 50, 200, 600단계의 생성 이미지를 찍어 둡니다.
#
# **실행하기 전에 예측해 보세요.** 학습 초반 판별자는 진짜에 얼마의 확률을 줄까요? 600단계 뒤에는 $D(\text{진짜})$와 $D(\text{가짜})$가 0.5에 가까울까요?

# %%
STEPS, BATCH = 600, 64
SNAPSHOTS = (0, 50, 200, STEPS)
rng = np.random.default_rng(1)
z_fixed = np.random.default_rng(2).standard_normal((20, Z, 1, 1))
g_optimizer = Adam(generator.parameters(), lr=0.002, betas=(0.5, 0.999))
d_optimizer = Adam(d_params, lr=0.002, betas=(0.5, 0.999))
snapshots, log = {}, []
for step in tqdm(range(STEPS + 1), desc="DCGAN"):
    if step in SNAPSHOTS:
        snapshots[step] = g_forward(z_fixed).reshape(-1, 8, 8)
    if step == STEPS:
        break
    real = images[rng.choice(len(images), BATCH, replace=False)]
    fake = g_forward(rng.standard_normal((BATCH, Z, 1, 1))).reshape(BATCH, 1, 8, 8)
    d_optimizer.zero_grad()
    real_losses, fake_losses = d_on_real(real), d_on_fake(fake)
    d_on_real.backward()
    d_on_fake.backward()
    d_optimizer.step()
    g_optimizer.zero_grad()
    g_losses = g_loss(rng.standard_normal((BATCH, Z, 1, 1)))
    g_loss.backward()
    g_optimizer.step()
    # softplus(-s) = -log D, softplus(s) = -log(1 - D): D(진짜) = e^{-손실}, D(가짜) = 1 - e^{-손실}
    log.append((real_losses.mean() + fake_losses.mean(), np.exp(-real_losses).mean(), 1 - np.exp(-fake_losses).mean()))
log = np.array(log)
for a, b in [(0, 10), (90, 110), (290, 310), (STEPS - 50, STEPS)]:
    print(
        f"단계 {a + 1:3d}~{b:3d} 평균: 판별자 손실 {log[a:b, 0].mean():.3f}, D(진짜) {log[a:b, 1].mean():.3f}, "
        f"D(가짜) {log[a:b, 2].mean():.3f}"
    )
print(f"균형점의 판별자 손실 2 log 2 = {2 * np.log(2):.3f}")

fig, axes = plt.subplots(len(SNAPSHOTS), 10, figsize=(8, 0.9 * len(SNAPSHOTS)))
for r, step in enumerate(SNAPSHOTS):
    for c in range(10):
        axes[r, c].imshow(snapshots[step][c], cmap="gray_r", vmin=-1, vmax=1)
        axes[r, c].set_xticks([])
        axes[r, c].set_yticks([])
    axes[r, 0].set_ylabel(f"{step}단계", fontsize=8)
plt.show()


def mean_pairwise_distance(pictures):
    """그림들끼리의 평균제곱 거리(0~1 밝기)의 평균: 모두 같은 그림이면 0."""
    flat = pictures.reshape(len(pictures), -1)
    d2 = ((flat[:, None, :] - flat[None, :, :]) ** 2).mean(axis=-1)
    return float(d2[np.triu_indices(len(flat), 1)].mean())


real_spread = mean_pairwise_distance(X01[np.random.default_rng(6).choice(len(X01), 20, replace=False)])
for step in SNAPSHOTS:
    print(f"{step:3d}단계 생성 20장끼리의 평균 거리: {mean_pairwise_distance((snapshots[step] + 1) / 2):.4f}")
print(f"진짜 20장끼리의 평균 거리: {real_spread:.4f}")

# %% [markdown]
# 0단계의 생성자는 거의 균일한 회색(0 근처)을 냅니다. 단계가 지나며 획이 생기고, 600단계에는 숫자 모양의 획이 보입니다(위 그림).
# 중간에는 **모드 붕괴(mode collapse)** 가 보입니다. 50단계와 200단계의 20장은 잡음 $z$가 모두 다른데도 거의 같은 그림이고, 그림들끼리의 평균 거리가
# 진짜 20장끼리의 거리보다 훨씬 작습니다(위의 숫자). 판별자가 그 그림을 가짜로 알아보기 시작하자 생성자가 다른 그림들로 옮겨 가서, 600단계에는 거리가 다시 커졌습니다.
# 판별자 손실과 두 확률의 흐름은 위의 숫자 그대로입니다. 판별자 손실이 균형점 $2\log 2$보다 작으면 판별자가 이기고 있다는 뜻입니다.
# $D$가 0.5 근처라는 것만으로 생성 분포가 진짜와 같다고 말할 수는 없습니다(14번 노트북 5절: 판별자가 약해도 0.5가 나옵니다). 그래서 생성된 이미지를 직접 재어 봅니다.
#
# ## 4. 생성된 숫자 재기: 얼마나 진짜 같고, 얼마나 다양한가
#
# 생성 이미지 500장마다 **가장 가까운 진짜 이미지** (픽셀 평균제곱 거리, 0~1 밝기로)를 찾습니다.
#
# - 그 거리는 얼마나 진짜 같은지의 한 척도입니다. 비교 기준은 진짜 이미지 500장이 **자기 자신을 뺀** 가장 가까운 진짜 이미지까지 가는 거리입니다.
#   거리가 0에 가까우면 학습 데이터를 그대로 베낀 것입니다.
# - 가장 가까운 진짜 이미지의 숫자(레이블)를 세면 생성자가 열 개 숫자를 고루 만드는지, 몇 개에만 몰리는지(모드 붕괴) 보입니다. 진짜 데이터에서는 숫자마다 약 10%입니다.
#
# **실행하기 전에 예측해 보세요.** 생성 이미지의 가장 가까운 거리는 진짜끼리의 거리보다 클까요, 작을까요? 열 숫자 가운데 거의 나오지 않는 숫자가 있을까요?

# %%
real01 = X01  # 0~1 밝기, (1797, 64)
real_sq = (real01**2).sum(axis=1)


def nearest_real(samples01, exclude_self=False):
    """표본마다 가장 가까운 진짜 이미지까지의 평균제곱 거리와 그 이미지의 숫자."""
    d2 = ((samples01**2).sum(axis=1)[:, None] - 2 * samples01 @ real01.T + real_sq[None, :]) / 64
    if exclude_self:
        d2[d2 < 1e-12] = np.inf
    index = np.argmin(d2, axis=1)
    return d2[np.arange(len(samples01)), index], digit_labels[index]


def describe(name, samples01):
    distance, nearest = nearest_real(samples01, exclude_self=name.startswith("진짜"))
    shares = np.bincount(nearest, minlength=10) / len(nearest)
    print(
        f"{name:<14} 가장 가까운 진짜까지 거리 평균 {distance.mean():.4f} (중앙값 {np.median(distance):.4f}), "
        f"숫자별 비율 최소 {shares.min():.1%} 최대 {shares.max():.1%}"
    )
    return shares


gan01 = (g_forward(np.random.default_rng(3).standard_normal((500, Z, 1, 1))) + 1) / 2
step0 = nn.Sequential(
    nn.ConvTranspose2d(Z, 24, 2, seed=1),
    nn.ReLU(),
    nn.ConvTranspose2d(24, 12, 4, stride=2, padding=1, seed=2),
    nn.ReLU(),
    nn.ConvTranspose2d(12, 1, 4, stride=2, padding=1, seed=3),
    nn.Tanh(),
)  # 같은 시드로 새로 만든, 학습 전의 생성자
step0_forward = trace(lambda z: [v for row in step0([z])[0][0] for v in row], z_example, step0.parameters())
step0_01 = (step0_forward(np.random.default_rng(3).standard_normal((500, Z, 1, 1))) + 1) / 2
sample_rows = np.random.default_rng(4).choice(len(real01), 500, replace=False)
real_shares = describe("진짜 500장", real01[sample_rows])
step0_shares = describe("학습 전 생성자", step0_01)
gan_shares = describe("DCGAN 600단계", gan01)
print("DCGAN 표본의 숫자별 비율: " + ", ".join(f"{d}: {s:.0%}" for d, s in enumerate(gan_shares)))

# %% [markdown]
# 위의 숫자가 보여 주는 것은 세 가지입니다. 학습 전 생성자의 표본은 진짜에서 멀고(회색 덩어리), 가장 가까운 진짜가 모두 한 숫자입니다(최대 비율).
# 학습된 DCGAN의 표본은 진짜에 훨씬 가까워졌지만, 진짜끼리의 거리보다는 여전히 멉니다. 숫자별 비율이 고르지 않다면(위의 최소·최대) 어떤 숫자는 덜 만들고
# 어떤 숫자는 더 만든다는 뜻입니다. 가장 가까운 이웃의 레이블은 거친 척도이니, 그림과 함께 읽으세요.
#
# ## 5. 오토인코더가 만든 그림과 나란히
#
# 강의 노트는 "GAN이 오토인코더에 비해 양질의 데이터를 생성할 수 있다"고 합니다. 비교하려면 같은 데이터에서 오토인코더로도 그림을 만들어야 합니다.
# 13b 노트북의 **변분 오토인코더(variational autoencoder, VAE)** 를 같은 1,797장으로 짧게 학습하고(잠재 변수 2개, 컴파일 모드로 600단계),
# 사전 분포 $\mathcal{N}(0, I)$에서 뽑은 코드를 디코더에 넣습니다. VAE의 식은 13b 노트북에서 자세히 다룹니다.
#
# 두 모델의 그림을 같은 척도로 잽니다. 위의 가장 가까운 진짜까지의 거리, 그리고 **선명도(sharpness)**: 이웃한 두 픽셀의 밝기 차이의 제곱 평균입니다.
# 흐릿한 그림일수록 작습니다.
#
# **실행하기 전에 예측해 보세요.** VAE의 그림과 DCGAN의 그림 중 어느 쪽이 더 선명할까요? 어느 쪽이 진짜에 더 가까울까요?

# %%
LATENT = 2
vae_encoder = nn.Sequential(nn.Linear(64, 32, seed=11), nn.Tanh(), nn.Linear(32, 2 * LATENT, seed=12))
vae_decoder = nn.Sequential(nn.Linear(LATENT, 32, seed=13), nn.Tanh(), nn.Linear(32, 64, seed=14))


def vae_terms(sample):
    """샘플 = 이미지 64픽셀 + 잡음 ε 2개 → [복원 손실(이진 교차 엔트로피), KL 항]."""
    x, eps = sample[:64], sample[64:]
    h = vae_encoder([x])[0]
    mu, log_var = h[:LATENT], h[LATENT:]
    z = [m + (0.5 * lv).exp() * e for m, lv, e in zip(mu, log_var, eps)]
    logits = vae_decoder([z])[0]
    reconstruction = Value.sum([s.softplus() - t * s for s, t in zip(logits, x)])
    kl = -0.5 * Value.sum([1 + lv - m * m - lv.exp() for m, lv in zip(mu, log_var)])
    return [reconstruction, kl]


vae_program = trace(vae_terms, [0.0] * (64 + LATENT), vae_encoder.parameters() + vae_decoder.parameters())
vae_optimizer = Adam(vae_encoder.parameters() + vae_decoder.parameters(), lr=0.003)
vae_rng = np.random.default_rng(5)
for _ in tqdm(range(600), desc="VAE"):
    picked = vae_rng.choice(len(real01), 64, replace=False)
    vae_optimizer.zero_grad()
    vae_program(np.hstack([real01[picked], vae_rng.standard_normal((64, LATENT))]))
    vae_program.backward()
    vae_optimizer.step()
vae_decode = trace(lambda z: [s.sigmoid() for s in vae_decoder([z])[0]], [0.0] * LATENT, vae_decoder.parameters())
vae01 = vae_decode(np.random.default_rng(3).standard_normal((500, LATENT)))


def sharpness(samples01):
    pictures = samples01.reshape(-1, 8, 8)
    across, down = np.diff(pictures, axis=2), np.diff(pictures, axis=1)
    return float((np.mean(across**2) + np.mean(down**2)) / 2)


describe("VAE 사전 분포", vae01)
for name, samples in [("진짜", real01[sample_rows]), ("VAE", vae01), ("DCGAN", gan01)]:
    extreme = np.mean((samples < 0.1) | (samples > 0.9))
    print(f"{name:>5}: 선명도 {sharpness(samples):.4f}, 0.1보다 어둡거나 0.9보다 밝은 픽셀 {extreme:.1%}")

fig, axes = plt.subplots(3, 10, figsize=(8, 2.7))
for r, (name, samples) in enumerate([("진짜", real01[sample_rows]), ("VAE", vae01), ("DCGAN", gan01)]):
    for c in range(10):
        axes[r, c].imshow(samples[c].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
        axes[r, c].set_xticks([])
        axes[r, c].set_yticks([])
    axes[r, 0].set_ylabel(name, fontsize=9)
plt.show()

# %% [markdown]
# 위의 숫자로 강의 노트의 비교를 읽으면 이렇습니다. 진짜 손글씨 숫자는 픽셀 대부분이 아주 어둡거나 아주 밝고(획과 바탕), 이웃한 픽셀의 차이가 큽니다.
# VAE의 그림은 선명도가 진짜보다 작고 중간 밝기의 픽셀이 많습니다. 디코더가 비슷한 그림들의 **평균** 쪽으로 복원하도록 배우기 때문입니다(이진 교차 엔트로피를 줄이는 가장 안전한 답은 흐린 평균입니다).
# DCGAN의 그림은 선명도와 극단 픽셀 비율이 진짜 쪽에 더 가깝습니다. 판별자는 흐린 그림을 가짜로 알아보니, 생성자가 흐린 평균으로 도망칠 수 없습니다.
# 그렇다고 모든 척도에서 앞서는 것은 아닙니다. 가장 가까운 진짜까지의 평균제곱 거리는 VAE 쪽이 더 작습니다(4절과 위의 숫자). 평균제곱 거리는 흐린 그림에 관대한
# 척도입니다. 획이 조금 어긋난 선명한 그림은 어긋난 픽셀마다 큰 벌을 받고, 흐린 그림은 어디서나 조금씩만 틀립니다. 숫자별 비율은 두 모델 모두 고르지 않고,
# 잠재 변수가 2개뿐인 이 VAE는 거의 만들지 못하는 숫자가 있습니다(위의 최소 비율). 어느 척도로 재는지가 '양질'의 뜻을 정합니다.
#
# 그리고 강의 노트의 다른 말, "오토인코더는 잠재 변수를 추론할 수 있지만 GAN은 차원 축소의 개념이 없다": VAE에는 이미지 → 코드로 가는 인코더가 있지만,
# 여기 DCGAN에는 $G$의 반대 방향이 없습니다. 이미지 하나의 $z$를 알고 싶으면 따로 찾아야(최적화해야) 합니다.
#
# 3절에서 어림한 대로, 즉시 실행 모드로는 이 학습이 노트북 한 개의 시간 안에 끝나지 않아 컴파일 모드를 썼습니다. 시드, 단계 수, 채널 수를 바꿔 직접 실험해 보세요.
