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
# # 13b. 변분 오토인코더 (variational autoencoder, VAE)
#
# 13번 노트북의 끝에서 디코더에 코드 평면의 점을 넣어 그림을 만들었습니다. 그런데 어떤 점을 넣어야 그럴듯한 그림이 나오는지는 정해져 있지 않았습니다.
# 학습된 코드가 있는 범위를 눈으로 보고 격자를 골랐을 뿐입니다. 코드가 어떤 **분포** 를 따르는지 모르니, 새 코드를 **뽑을(sample)** 수가 없습니다.
# 강의 노트가 "베이지안적 사고를 바탕으로 신경망을 최적화시키는 방법"이라고 소개한 **변분 오토인코더(variational autoencoder, VAE)** (Kingma와 Welling, 2014)는
# 이것을 학습의 일부로 만듭니다.
#
# - **인코더** 는 코드 하나가 아니라 코드의 분포 $q(z \mid x) = \mathcal{N}\big(\mu(x), \sigma^2(x)\big)$를 냅니다(평균 $\mu$와 로그 분산 $\log\sigma^2$).
# - **디코더** 는 코드 $z$에서 그림의 픽셀마다 밝기 확률 $p(x \mid z)$를 냅니다.
# - 코드의 **사전 분포(prior)** 는 표준정규분포 $p(z) = \mathcal{N}(0, I)$로 정해 둡니다. 학습이 끝나면 여기서 $z$를 뽑아 디코더에 넣으면 새 그림이 됩니다.
#
# 그림 하나의 손실은 두 항의 합입니다(음의 **증거 하한(evidence lower bound, ELBO)**).
#
# $$\mathcal{L}(x) = \underbrace{\mathbb{E}_{z \sim q(z \mid x)}\big[-\log p(x \mid z)\big]}_{\text{복원 항}} + \underbrace{\mathrm{KL}\big(q(z \mid x) \,\|\, p(z)\big)}_{\text{KL 항}}$$
#
# 복원 항은 13번의 복원 오차와 같은 역할이고, **KL 항** (쿨백-라이블러 발산, Kullback–Leibler divergence)은 각 그림의 코드 분포를 사전 분포 쪽으로 당깁니다.
# 이 노트북에서는 두 항을 차례로 만들어 보고, 8×8 손글씨 숫자로 VAE를 학습해 사전 분포에서 새 숫자를 뽑고, 강의 노트가 말하는 쓰임
# (드문 고장 데이터를 가상으로 만들기)을 작은 예로 해 봅니다.

# %%
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
# ## 1. 재매개변수화 트릭 (reparameterization trick)
#
# 복원 항은 $z \sim q(z \mid x)$에 대한 기댓값이라서, 학습 중에는 $z$를 하나 뽑아 그 값으로 어림합니다. 문제는 '뽑기'에 기울기가 없다는 것입니다.
# `np.random.normal(μ, σ)`로 뽑은 숫자는 엔진에게 그냥 상수라서, 거기서 $\mu$와 $\sigma$로 가는 길이 그래프에 없습니다.
#
# 해결은 무작위성을 바깥으로 빼는 것입니다. $\varepsilon \sim \mathcal{N}(0, 1)$을 먼저 뽑고
#
# $$z = \mu + \sigma\,\varepsilon, \qquad \sigma = e^{\frac12 \log\sigma^2}$$
#
# 로 쓰면 $z$는 여전히 $\mathcal{N}(\mu, \sigma^2)$를 따르면서, $\mu$와 $\log\sigma^2$의 미분 가능한 함수입니다($\partial z/\partial\mu = 1$, $\partial z/\partial\sigma = \varepsilon$).
# 확인해 봅니다. $f(z) = z^2$이면 $\mathbb{E}[z^2] = \mu^2 + \sigma^2$이므로 정확한 기울기는 $\partial/\partial\mu = 2\mu$, $\partial/\partial\log\sigma^2 = \sigma^2$입니다.
# $\varepsilon$ 4000개로 $z^2$의 평균을 만들고 `backward()` 하면 그 기울기가 나와야 합니다.
#
# **실행하기 전에 예측해 보세요.** 그냥 뽑은 $z$에 `backward()` 하면 $\mu$의 기울기는 얼마일까요? 재매개변수화한 $z$에서는요?

# %%
mu, log_var = Value(0.8, label="μ"), Value(np.log(0.5**2), label="log σ²")
sigma = (0.5 * log_var).exp()
eps = np.random.default_rng(0).standard_normal(4000)

naive = [Value(float(np.random.default_rng(1).normal(mu.data, sigma.data))) for _ in range(3)]  # 뽑은 숫자: 상수
Value.sum([z * z for z in naive]).backward()
print(f"그냥 뽑은 z: μ의 기울기 {mu.grad}, log σ²의 기울기 {log_var.grad} (z에서 μ로 가는 길이 없습니다)")

mu.grad = log_var.grad = 0.0
mean_square = Value.sum([(mu + sigma * e) ** 2 for e in eps.tolist()]) / len(eps)
mean_square.backward()
print(f"E[z²] 어림 {mean_square.data:.4f}, 정확히 μ² + σ² = {mu.data**2 + sigma.data**2:.4f}")
print(f"∂/∂μ 어림 {mu.grad:.4f}, 정확히 2μ = {2 * mu.data:.4f}")
print(f"∂/∂log σ² 어림 {log_var.grad:.4f}, 정확히 σ² = {sigma.data**2:.4f}")

# %% [markdown]
# 재매개변수화한 $z$로는 기울기의 어림이 정확한 값에 가깝습니다(표본 4000개의 어림이라 조금 다릅니다). 그냥 뽑은 $z$로는 기울기가 0입니다.
# VAE에서는 그림마다 $\varepsilon$을 하나씩 뽑아, 그림 하나의 $z$를 이렇게 만듭니다.
#
# ## 2. KL 항: 닫힌 꼴(closed form)
#
# 두 정규분포 사이의 KL 발산은 적분 없이 식으로 계산됩니다. 코드의 차원마다
#
# $$\mathrm{KL}\big(\mathcal{N}(\mu, \sigma^2) \,\|\, \mathcal{N}(0, 1)\big) = \tfrac12\big(\mu^2 + \sigma^2 - 1 - \log\sigma^2\big)$$
#
# 이고, 차원들을 더합니다. $\mu = 0, \sigma = 1$(사전 분포 그대로)이면 0, 평균이 멀어지거나 분산이 너무 작거나 크면 커집니다. KL의 정의
# $\mathbb{E}_{z \sim q}\big[\log q(z) - \log p(z)\big]$를 표본 20만 개로 어림한 값과 비교합니다.
#
# **실행하기 전에 예측해 보세요.** $\mu = 0$이고 $\sigma = 0.1$인 좁은 분포와 $\mu = 2$이고 $\sigma = 1$인 분포 중 어느 쪽의 KL이 더 클까요?

# %%
def kl_closed_form(m, s):
    return 0.5 * (m**2 + s**2 - 1 - np.log(s**2))


def kl_monte_carlo(m, s, n=200_000, seed=2):
    z = m + s * np.random.default_rng(seed).standard_normal(n)
    log_q = -0.5 * ((z - m) / s) ** 2 - np.log(s) - 0.5 * np.log(2 * np.pi)
    log_p = -0.5 * z**2 - 0.5 * np.log(2 * np.pi)
    return float(np.mean(log_q - log_p))


for m, s in [(0.0, 1.0), (0.0, 0.1), (2.0, 1.0), (1.0, 0.5)]:
    print(f"μ = {m:.1f}, σ = {s:.1f}: 닫힌 꼴 {kl_closed_form(m, s):.4f}, 표본 20만 개의 어림 {kl_monte_carlo(m, s):.4f}")

# %% [markdown]
# 닫힌 꼴과 표본 어림이 같은 숫자입니다. KL 항은 코드를 사전 분포 근처에 모아 둡니다. 그래서 학습이 끝난 뒤 사전 분포에서 뽑은 $z$가
# 디코더가 본 적 있는 코드 근처에 떨어집니다. 복원 항은 반대로 그림마다 코드를 구별되게 하려 합니다($\sigma$가 작고 $\mu$가 서로 멀수록 복원이 쉽습니다). 두 항의 줄다리기가 VAE의 학습입니다.
#
# ## 3. 8×8 숫자로 VAE 학습하기
#
# 13번처럼 모양이 다른 숫자 **0, 1, 4, 6** 을 쓰되, 이번에는 줄이지 않은 8×8 = 64픽셀 그대로 씁니다(밝기 0~1).
#
# - 인코더: 64 → 32 (tanh) → 4 (앞의 2개가 $\mu$, 뒤의 2개가 $\log\sigma^2$). 코드는 2차원이라 평면에 그릴 수 있습니다.
# - 디코더: 2 → 32 (tanh) → 64 (점수 $s$, 밝기 확률은 $\sigma(s)$).
# - 복원 항 $-\log p(x \mid z)$는 픽셀마다의 **이진 교차 엔트로피(binary cross-entropy)** 를 더한 값입니다. 점수로 쓰면 $\operatorname{softplus}(s) - x\,s$입니다(03번 노트북).
#
# 샘플 하나는 그림 64픽셀과 $\varepsilon$ 2개, 모두 66개의 숫자입니다. 무작위성을 입력으로 빼 두었으니 샘플 하나의 계산은 고정된 그래프이고,
# 그래서 **컴파일 모드(compiled mode)** (15번 노트북)로 64장씩 한꺼번에 학습할 수 있습니다. 먼저 컴파일한 계산이 즉시 실행과 같은 숫자인지 확인합니다.
#
# 비교 기준: 모든 그림을 **평균 그림** 하나로 복원하면(코드가 아무 정보도 담지 않으면) 복원 항이 얼마인지도 계산합니다.
#
# **실행하기 전에 예측해 보세요.** 학습이 끝났을 때 KL 항은 0에 가까울까요? 복원 항은 평균 그림보다 얼마나 작아질까요?

# %%
CLASSES = (0, 1, 4, 6)
LATENT = 2
X_all, y_all = data.digits()
chosen = np.isin(y_all, CLASSES)
X, labels = X_all[chosen], y_all[chosen]
print(f"데이터: {len(X)}장, 숫자별 {dict(zip(CLASSES, np.bincount(labels)[list(CLASSES)].tolist()))}")


def make_vae(seed):
    encoder = nn.Sequential(nn.Linear(64, 32, seed=seed), nn.Tanh(), nn.Linear(32, 2 * LATENT, seed=seed + 1))
    decoder = nn.Sequential(nn.Linear(LATENT, 32, seed=seed + 2), nn.Tanh(), nn.Linear(32, 64, seed=seed + 3))
    return encoder, decoder


def vae_terms(encoder, decoder, sample):
    """샘플 = 그림 64픽셀 + ε 2개 → [복원 항, KL 항]."""
    x, eps = sample[:64], sample[64:]
    h = encoder([x])[0]
    mu, log_var = h[:LATENT], h[LATENT:]
    z = [m + (0.5 * lv).exp() * e for m, lv, e in zip(mu, log_var, eps)]  # 재매개변수화
    scores = decoder([z])[0]
    reconstruction = Value.sum([s.softplus() - t * s for s, t in zip(scores, x)])
    kl = 0.5 * Value.sum([m * m + lv.exp() - 1 - lv for m, lv in zip(mu, log_var)])
    return [reconstruction, kl]


def train_vae(images, seed, steps=900, batch=64, chances=None):
    """VAE 하나를 학습합니다. `chances`를 주면 그림마다 그 확률로(복원 추출) 미니배치에 뽑습니다."""
    encoder, decoder = make_vae(seed)
    params = encoder.parameters() + decoder.parameters()
    program = trace(lambda sample: vae_terms(encoder, decoder, sample), [0.0] * (64 + LATENT), params)
    optimizer = Adam(params, lr=0.003)
    rng = np.random.default_rng(seed)
    history = []
    for _ in tqdm(range(steps), desc="VAE"):
        picked = rng.choice(len(images), batch, replace=chances is not None, p=chances)
        optimizer.zero_grad()
        terms = program(np.hstack([images[picked], rng.standard_normal((batch, LATENT))]))
        program.backward()
        optimizer.step()
        history.append(terms.mean(axis=0))
    return encoder, decoder, program, np.array(history)


mean_image = X.mean(axis=0).clip(1e-6, 1 - 1e-6)
mean_image_bce = float(np.mean(-(X * np.log(mean_image) + (1 - X) * np.log(1 - mean_image)).sum(axis=1)))
print(f"평균 그림으로 복원할 때의 복원 항: {mean_image_bce:.2f}")

encoder, decoder, program, history = train_vae(X, seed=21)
sample_rows = np.hstack([X[:3], np.random.default_rng(3).standard_normal((3, LATENT))])
eager = [[v.data for v in vae_terms(encoder, decoder, [Value(x) for x in row])] for row in sample_rows.tolist()]
print(f"컴파일과 즉시 실행의 최대 차이(그림 3장): {np.abs(program(sample_rows) - eager).max():.1e}")
final_terms = program(np.hstack([X, np.random.default_rng(4).standard_normal((len(X), LATENT))])).mean(axis=0)
print(f"학습 후 (전체 {len(X)}장): 복원 항 {final_terms[0]:.2f}, KL 항 {final_terms[1]:.2f}, 합 {final_terms.sum():.2f}")

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(history[:, 0], linewidth=0.8, label="복원 항")
ax.plot(history[:, 1], linewidth=0.8, label="KL 항")
ax.axhline(mean_image_bce, color="gray", linestyle=":", label="평균 그림의 복원 항")
ax.set_xlabel("단계 (step)")
ax.set_ylabel("그림 하나당 (nat)")
ax.legend()
plt.show()

# %% [markdown]
# 복원 항이 평균 그림 수준에서 내려가고, KL 항은 0에서 올라가 자리를 잡습니다(위의 그래프와 숫자). KL 항이 0이 아니라는 것은 코드가 그림에 대한 정보를 담는다는 뜻입니다.
# 코드에 정보를 담는 값(KL 항)을 치른 것보다 복원 항이 더 많이 줄어서, 두 항의 합이 평균 그림의 복원 항보다 작습니다. 복원 항은 0이 되지 않습니다. 픽셀 밝기가 0과 1 사이의 회색이면 이진 교차 엔트로피의 최솟값도 0보다 큽니다.
#
# ## 4. 코드 평면과 사전 분포
#
# 그림마다 인코더가 낸 평균 $\mu(x)$를 숫자별 색으로 그리고, 사전 분포 $\mathcal{N}(0, I)$의 1σ, 2σ 원을 함께 그립니다.
#
# **실행하기 전에 예측해 보세요.** KL 항이 코드를 사전 분포 쪽으로 당긴다면, $\mu$의 평균과 표준편차는 얼마쯤일까요? 그림마다의 $\sigma$는 1보다 클까요, 작을까요?

# %%
encode = trace(lambda x: encoder([x])[0], [0.0] * 64, encoder.parameters())
codes = encode(X)
mus, sigmas = codes[:, :LATENT], np.exp(0.5 * codes[:, LATENT:])
print(f"μ의 평균 {mus.mean(axis=0).round(3)}, μ의 표준편차 {mus.std(axis=0).round(3)}, σ의 평균 {sigmas.mean(axis=0).round(3)}")
inside_2 = np.mean(np.sum(mus**2, axis=1) < 4)
print(f"μ가 반지름 2인 원 안에 있는 그림의 비율: {inside_2:.1%}")

fig, ax = plt.subplots(figsize=(5.2, 4.8))
for c, color in zip(CLASSES, ["tab:blue", "tab:orange", "tab:green", "tab:red"]):
    ax.scatter(mus[labels == c, 0], mus[labels == c, 1], s=8, color=color, label=f"숫자 {c}")
angle = np.linspace(0, 2 * np.pi, 200)
for r in (1, 2):
    ax.plot(r * np.cos(angle), r * np.sin(angle), color="gray", linestyle=":", linewidth=1)
ax.set_xlabel("μ₁")
ax.set_ylabel("μ₂")
ax.set_aspect("equal")
ax.legend(fontsize=8)
ax.set_title("인코더의 평균 μ(x)와 사전 분포의 1σ, 2σ 원")
plt.show()

# %% [markdown]
# 코드들은 원점 근처, 사전 분포가 무게를 두는 곳에 모여 있고(위의 비율), 레이블 없이도 숫자별로 무리를 이룹니다. 13번의 시그모이드 코드가 0~1 정사각형의
# 모서리에 눌려 있던 것과 달리, 여기서는 KL 항이 코드의 자리를 정해 줍니다.
#
# ## 5. 사전 분포에서 뽑은 새 그림
#
# 이제 $z \sim \mathcal{N}(0, I)$를 뽑아 디코더에 넣습니다. 왼쪽은 무작위로 뽑은 $z$ 30개, 오른쪽은 표준정규분포의 분위수(5%~95%)로 만든 7×7 격자입니다.
# 격자를 따라가면 한 숫자에서 다른 숫자로 모양이 서서히 바뀝니다.
#
# 그럴듯한지 재어 봅니다. 생성된 그림마다 가장 가까운 진짜 그림(픽셀 평균제곱 거리)을 찾고, 같은 일을 **학습 전** 디코더의 그림에도 합니다.
#
# **실행하기 전에 예측해 보세요.** 사전 분포에서 뽑은 그림들은 네 숫자를 고루 닮을까요?

# %%
decode = trace(lambda z: [s.sigmoid() for s in decoder([z])[0]], [0.0] * LATENT, decoder.parameters())
_, untrained_decoder = make_vae(21)
decode_untrained = trace(
    lambda z: [s.sigmoid() for s in untrained_decoder([z])[0]], [0.0] * LATENT, untrained_decoder.parameters()
)
z_prior = np.random.default_rng(5).standard_normal((300, LATENT))
samples, untrained_samples = decode(z_prior), decode_untrained(z_prior)


def nearest(samples, reals, real_labels):
    d2 = ((samples**2).sum(axis=1)[:, None] - 2 * samples @ reals.T + (reals**2).sum(axis=1)[None, :]) / 64
    index = np.argmin(d2, axis=1)
    return d2[np.arange(len(samples)), index], real_labels[index]


for name, pictures in [("학습된 디코더", samples), ("학습 전 디코더", untrained_samples)]:
    distance, nearest_digit = nearest(pictures, X, labels)
    shares = ", ".join(f"{c}: {np.mean(nearest_digit == c):.0%}" for c in CLASSES)
    print(f"{name}: 가장 가까운 진짜까지 평균 거리 {distance.mean():.4f}, 가장 가까운 진짜의 숫자 {shares}")

quantiles = np.quantile(np.random.default_rng(6).standard_normal(100_000), np.linspace(0.05, 0.95, 7))
grid_images = decode(np.array([[a, b] for b in quantiles[::-1] for a in quantiles]))
fig = plt.figure(figsize=(11, 4.2))
left, right = fig.subfigures(1, 2, width_ratios=[1.25, 1])
for k, ax in enumerate(left.subplots(5, 6).flat):
    ax.imshow(samples[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
left.suptitle("z ~ N(0, I) 30개")
for k, ax in enumerate(right.subplots(7, 7).flat):
    ax.imshow(grid_images[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
right.suptitle("분위수 격자 (z₁ 가로, z₂ 세로)")
plt.show()

# %% [markdown]
# 학습된 디코더의 그림은 학습 전보다 진짜에 훨씬 가깝고, 가장 가까운 진짜 그림의 숫자가 네 숫자에 걸쳐 나뉩니다(위의 비율).
# 그림이 흐릿한 것은 VAE의 잘 알려진 성질입니다. 디코더는 비슷한 코드를 가진 그림들의 픽셀별 평균 쪽으로 복원하도록 배웁니다. 14b 노트북에서 같은 데이터의 GAN과 나란히 비교합니다.
#
# ## 6. 드문 고장 데이터를 가상으로 만들기
#
# 강의 노트는 이런 쓰임을 말합니다. 고장 진단에서는 고장 데이터가 정상 데이터보다 훨씬 적습니다(**데이터 불균형 문제, class imbalance**).
# 그래서 "축소된 공간에서의 고장 분포를 파악하여 이에 해당하는 다양한 고장 데이터를 가상으로 생성"합니다. 작은 예로 해 봅니다.
#
# - 숫자 **4** 를 '고장'이라 하고, 학습 데이터에는 4를 **12장만** 남깁니다. 나머지 4는 따로 두었다가 평가에만 씁니다(나중에 들어올 고장 데이터 역할).
# - 이 불균형한 데이터로 VAE를 새로 학습합니다. 두 번 해 봅니다. 한 번은 데이터 그대로(고장은 학습 데이터의 아래에 찍히는 비율만큼), 한 번은
#   고장 12장을 미니배치의 25%가 되도록 더 자주 뽑아서(**오버샘플링, oversampling**) 학습합니다.
# - 고장 12장을 인코더에 넣어 코드 $\mu$를 얻고, 그 12개 점에 2차원 정규분포(평균과 공분산)를 맞춘 뒤, 거기서 코드 200개를 뽑아 디코더에 넣습니다.
#
# 만든 그림이 '고장'처럼 보이는지는 **가장 가까운 중심(nearest class mean)** 분류기로 잽니다. 따로 둔 진짜 그림들로 숫자별 평균 그림을 구해, 가장 가까운 평균의 숫자를 답으로 합니다.
# 비교로 사전 분포에서 그냥 뽑은 코드 200개도 같은 분류기에 넣습니다.
#
# **실행하기 전에 예측해 보세요.** 고장 분포에서 뽑은 그림 중 몇 %가 4로 분류될까요? 그 그림들은 12장의 복사본일까요?

# %%
FAULT = 4
fault_rows = np.flatnonzero(labels == FAULT)
kept_faults = np.random.default_rng(7).choice(fault_rows, 12, replace=False)
held_out = np.setdiff1d(fault_rows, kept_faults)
normal_rows = np.flatnonzero(labels != FAULT)
normal_train = np.random.default_rng(8).permutation(normal_rows)[: len(normal_rows) * 2 // 3]
train_rows = np.concatenate([normal_train, kept_faults])
test_rows = np.concatenate([np.setdiff1d(normal_rows, normal_train), held_out])
print(
    f"학습: 정상 {len(normal_train)}장 + 고장 {len(kept_faults)}장 (고장의 비율 {len(kept_faults) / len(train_rows):.1%}), "
    f"평가용: {len(test_rows)}장 (고장 {len(held_out)}장)"
)

class_means = np.array([X[test_rows][labels[test_rows] == c].mean(axis=0) for c in CLASSES])


def classify(pictures):
    return np.array(CLASSES)[np.argmin(((pictures[:, None, :] - class_means[None]) ** 2).sum(axis=-1), axis=1)]


print(f"분류기의 정확도(평가용 진짜 그림): {np.mean(classify(X[test_rows]) == labels[test_rows]):.1%}")
kept_pairs = ((X[kept_faults][:, None, :] - X[kept_faults][None, :, :]) ** 2).mean(axis=-1)
kept_gap = kept_pairs[~np.eye(12, dtype=bool)].reshape(12, 11).min(axis=1).mean()
print(f"학습용 고장 12장끼리, 가장 가까운 다른 한 장까지의 평균 거리: {kept_gap:.4f}")

oversampled = np.where(np.isin(train_rows, kept_faults), 0.25 / len(kept_faults), 0.75 / len(normal_train))
for how, chances in [("데이터 그대로", None), ("고장을 배치의 25%로 오버샘플링", oversampled)]:
    rare_encoder, rare_decoder, _, _ = train_vae(X[train_rows], seed=31, chances=chances)
    rare_encode = trace(lambda x: rare_encoder([x])[0], [0.0] * 64, rare_encoder.parameters())
    rare_decode = trace(lambda z: [s.sigmoid() for s in rare_decoder([z])[0]], [0.0] * LATENT, rare_decoder.parameters())
    fault_codes = rare_encode(X[kept_faults])[:, :LATENT]
    centre, spread = fault_codes.mean(axis=0), np.cov(fault_codes.T)  # 코드 공간에서의 고장 분포
    made_faults = rare_decode(np.random.default_rng(9).multivariate_normal(centre, spread, size=200))
    prior_made = rare_decode(np.random.default_rng(10).standard_normal((200, LATENT)))
    to_kept, _ = nearest(made_faults, X[kept_faults], labels[kept_faults])
    to_held, _ = nearest(made_faults, X[held_out], labels[held_out])
    print(f"[{how}] 고장 코드 12개의 평균 {centre.round(2)}, 표준편차 {np.sqrt(np.diag(spread)).round(2)}")
    print(
        f"  4로 분류된 비율: 고장 분포에서 만든 200장 {np.mean(classify(made_faults) == FAULT):.1%}, "
        f"사전 분포에서 만든 200장 {np.mean(classify(prior_made) == FAULT):.1%}"
    )
    print(
        f"  만든 그림에서 가장 가까운 학습용 고장 그림까지 {to_kept.mean():.4f}, "
        f"본 적 없는 평가용 고장 그림까지 {to_held.mean():.4f}"
    )

fig, axes = plt.subplots(2, 12, figsize=(10, 2))
for k in range(12):
    axes[0, k].imshow(X[kept_faults[k]].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    axes[1, k].imshow(made_faults[k].reshape(8, 8), cmap="gray_r", vmin=0, vmax=1)
    for ax in axes[:, k]:
        ax.set_xticks([])
        ax.set_yticks([])
axes[0, 0].set_ylabel("진짜 12장", fontsize=8)
axes[1, 0].set_ylabel("만든 그림", fontsize=8)
plt.show()

# %% [markdown]
# 위의 숫자가 보여 주는 것: 데이터 그대로 학습한 VAE에서는 고장 분포에서 뽑은 그림도 4로 분류되는 비율이 낮습니다. 12장은 학습 데이터의 작은 일부(위의 비율)라서,
# VAE가 4의 모양을 거의 배우지 못했고 4의 코드도 다른 숫자들 사이에 묻힙니다. 고장을 오버샘플링해 학습하면 고장 분포에서 뽑은 그림의 대부분이 4로 분류되고,
# 사전 분포에서 그냥 뽑은 그림보다 그 비율이 훨씬 높습니다. 고장 분포를 코드 공간에서 찾아 그 안에서 뽑았기 때문입니다. 불균형은 생성할 때뿐 아니라 **학습할 때도** 다뤄야 합니다.
#
# 만든 그림들은 12장의 복사본이 아닙니다. 가장 가까운 학습용 고장 그림까지의 거리는 0이 아니고, 본 적 없는 평가용 고장 그림들과도 비슷한 거리에 있습니다(위의 두 거리, 그리고 12장끼리의 거리).
# 위 그림의 위 줄은 학습에 쓴 고장 12장, 아래 줄은 오버샘플링한 VAE가 고장 분포에서 만든 그림입니다.
#
# 한계도 분명합니다. 만든 그림은 흐릿하고, 12장이 덮는 모양 밖의 고장(본 적 없는 종류)은 만들 수 없습니다. 분포를 12개 점에 맞췄으니 그 분포도 어림입니다.
# 실제로 이렇게 만든 데이터로 분류기를 학습할 때는, 진짜 고장 데이터로 따로 평가해 도움이 되는지 확인해야 합니다.
#
# 강의 노트가 함께 든 **합성곱 오토인코더(convolutional autoencoder)** 는 인코더와 디코더를 합성곱 층(11번)과 전치 합성곱 층(`nn.ConvTranspose2d`, 14b 노트북)으로 만든 것입니다.
