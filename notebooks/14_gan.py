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
# # 14. 생성적 적대 신경망 (GAN)
#
# 분류 문제를 푸는 모델은 두 갈래로 나눌 수 있습니다. **판별 모델(discriminative model)** 은 입력 $x$가 주어졌을 때의 $p(y \mid x)$를 배워
# 클래스를 가르고, **생성 모델(generative model)** 은 데이터가 만들어지는 분포 자체를 배웁니다. 2014년에 제안된
# **생성적 적대 신경망(generative adversarial network, GAN)** 은 둘을 함께 써서 서로 경쟁시킵니다.
#
# - **생성자(generator) $G$**: 잡음 $z \sim p_z$를 받아 가짜 데이터 $G(z)$를 만듭니다.
# - **판별자(discriminator) $D$**: 데이터 $x$를 받아 '진짜일 확률' $D(x) \in (0, 1)$을 냅니다.
#
# 강의 노트의 식이 두 신경망의 게임입니다.
#
# $$\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_\text{data}}\big[\log D(x)\big] + \mathbb{E}_{z \sim p_z}\big[\log\big(1 - D(G(z))\big)\big]$$
#
# 첫째 항은 $D$가 진짜를 진짜($D = 1$)라고 할 때, 둘째 항은 가짜를 가짜($D = 0$)라고 할 때 커집니다. $D$는 $V$를 **최대화** 하고,
# $G$는 $D$가 속도록 둘째 항을 **최소화** 합니다. 이 노트북에서는 이미지 대신 **1차원 데이터** 를 씁니다. 분포를 히스토그램 하나로 다 볼 수 있어서
# 게임이 어떻게 흘러가는지 눈으로 따라갈 수 있습니다.

# %%

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, losses, nn, no_grad
from micrograd_ko.optim import Adam

# 텍스트 진행 막대(progress bar): ipywidgets가 있든 없든 어디서나 같은 모양으로 보입니다.
from tqdm import tqdm

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 진짜 데이터: 봉우리가 둘인 분포
#
# `data.gaussian_mixture`는 **가우스 혼합(Gaussian mixture)** 에서 표본을 뽑습니다. 먼저 동전을 던져 봉우리(mode)를 고르고,
# 그 봉우리의 정규분포에서 $x$를 뽑습니다. 여기서는 평균 $-2$와 $+2$, 표준편차 0.5인 두 봉우리를 반반 섞습니다.
#
# $$p_\text{data}(x) = \tfrac12\,\mathcal{N}(x; -2, 0.5^2) + \tfrac12\,\mathcal{N}(x; 2, 0.5^2)$$
#
# 생성자가 받는 잡음 $z$는 봉우리가 **하나인** 표준정규분포 $\mathcal{N}(0, 1)$입니다. 생성자는 봉우리 하나를 둘로 찢어야 합니다.

# %%
MEANS, STD = (-2.0, 2.0), 0.5


def data_density(x):
    return sum(0.5 * np.exp(-((x - m) ** 2) / (2 * STD**2)) / (STD * np.sqrt(2 * np.pi)) for m in MEANS)


reference = data.gaussian_mixture(5000, means=MEANS, stds=(STD, STD), seed=0)
for k, m in enumerate(MEANS):
    part = reference.X[reference.y == k, 0]
    print(
        f"봉우리 {k} (평균 {m:+.0f}): 표본 {part.size}개, 표본 평균 {part.mean():+.3f}, 표본 표준편차 {part.std():.3f}"
    )

xs = np.linspace(-5, 5, 401)
fig, ax = plt.subplots(figsize=(6.5, 3))
ax.hist(reference.X[:, 0], bins=80, range=(-5, 5), density=True, color="lightgray", label="표본 5000개")
ax.plot(xs, data_density(xs), color="black", label="$p_{data}(x)$")
ax.set_xlabel("x")
ax.set_ylabel("확률 밀도")
ax.legend()
plt.show()

# %% [markdown]
# ## 2. 두 신경망
#
# 둘 다 은닉 뉴런 8개의 작은 MLP입니다(`nn.Sequential`에 `nn.Linear`와 `nn.Tanh`).
#
# - 생성자 $G$: $z$ (1개) → 8 → $x$ (1개). 출력에 활성화 함수가 없어 어떤 실수든 낼 수 있습니다.
# - 판별자 $D$: $x$ (1개) → 8 → 점수 $s$ (1개), 그리고 $D(x) = \sigma(s)$.
#
# 판별자는 확률 $D$ 대신 **점수(logit) $s$** 를 내고, 손실은 $\log\sigma(s) = -\operatorname{softplus}(-s)$,
# $\log(1 - \sigma(s)) = -\operatorname{softplus}(s)$로 계산합니다. $D$가 아무리 확신해도($s = \pm 50$) $\log 0$이 나오지 않습니다.
# `losses.gan_discriminator_loss`와 `losses.gan_generator_loss`가 이렇게 계산합니다.

# %%
generator = nn.Sequential(nn.Linear(1, 8, seed=1), nn.Tanh(), nn.Linear(8, 1, seed=101))
discriminator = nn.Sequential(nn.Linear(1, 8, seed=201), nn.Tanh(), nn.Linear(8, 1, seed=301))
print("생성자:", *generator, f"  매개변수 {len(generator.parameters())}개")
print("판별자:", *discriminator, f"  매개변수 {len(discriminator.parameters())}개")


def scores(model, rows):
    """모델의 출력 하나짜리 표본들을 Value 목록으로: [[s1], [s2], ...] → [s1, s2, ...]."""
    return [s for [s] in model(rows)]


s_check = [Value(-50.0), Value(0.0), Value(50.0)]
for s in s_check:
    d = 1 / (1 + np.exp(-s.data))
    print(
        f"s = {s.data:+5.0f}: D = σ(s) = {d:.3g}, -log D = {losses.gan_generator_loss([s]).data:.4g}, "
        f"-log(1 - D) = {-losses.gan_generator_loss([s], kind='minimax').data:.4g}"
    )
print(f"D = 1/2일 때 판별자 손실 -V = 2 log 2 = {losses.gan_discriminator_loss([0.0], [0.0]).data:.4f}")

# %% [markdown]
# ### 생성자의 손실: 강의 노트의 식 그대로, 그리고 '포화하지 않는' 손실
#
# 강의 노트의 식 그대로라면 생성자는 $\log(1 - D(G(z)))$를 최소화합니다(**minimax 손실**). 그런데 학습 초반의 생성자는 엉터리라서
# 판별자가 가짜를 쉽게 알아봅니다($D(G(z)) \approx 0$). 거기서 이 손실은 평평해서(포화, saturation) 생성자에게 가는 기울기가 거의 없습니다.
# 강의 노트가 말하는 단점, "생성자가 그럴듯한 가상 데이터를 학습 초반부터 생성하기 힘들기 때문에 모델이 학습되지 않는 현상"입니다.
# 그래서 보통은 같은 방향을 다르게 미는 **포화하지 않는(non-saturating) 손실** $-\log D(G(z))$를 최소화합니다(GAN 논문이 함께 제안한 방법).
#
# **실행하기 전에 예측해 보세요.** 판별자가 가짜를 확신하는 $D(G(z)) = 0.01$에서, 두 손실이 점수 $s$에 대해 주는 기울기는 각각 얼마일까요?

# %%
probabilities = np.linspace(0.001, 0.999, 300)
slopes = {"minimax: log(1 - D)": [], "non-saturating: -log D": []}
for p in probabilities:
    for kind, name in [("minimax", "minimax: log(1 - D)"), ("non_saturating", "non-saturating: -log D")]:
        s = Value(float(np.log(p / (1 - p))))  # σ(s) = p인 점수
        losses.gan_generator_loss([s], kind=kind).backward()
        slopes[name].append(s.grad)
fig, ax = plt.subplots(figsize=(6, 3.2))
for name, values in slopes.items():
    ax.plot(probabilities, values, label=name)
ax.set_xlabel("판별자가 가짜에 준 확률 D(G(z))")
ax.set_ylabel("생성자 손실의 기울기 ∂손실/∂s")
ax.legend()
plt.show()
for kind in ("minimax", "non_saturating"):
    s = Value(float(np.log(0.01 / 0.99)))
    losses.gan_generator_loss([s], kind=kind).backward()
    print(f"D(G(z)) = 0.01에서 {kind:>14} 손실의 기울기 ∂/∂s = {s.grad:+.4f}")

# %% [markdown]
# 두 기울기는 부호가 같고(둘 다 $D(G(z))$를 키우는 쪽), 크기만 다릅니다. minimax 손실은 $-D$, 포화하지 않는 손실은 $-(1 - D)$입니다.
# 판별자가 이기고 있을 때 생성자가 배울 힘이 있는 것은 뒤쪽입니다. 아래 학습에서 **판별자는 강의 노트의 $V(D, G)$를 최대화** 하고,
# **생성자는 포화하지 않는 손실** 을 최소화합니다.
#
# ## 3. 학습: 번갈아 한 걸음씩
#
# 한 단계(step)는 이렇습니다. 두 신경망 모두 Adam(학습률 0.02에서 0.002까지 선형으로 줄임, $\beta_1 = 0.5$)을 씁니다. $\beta_1 = 0.5$는
# GAN에서 흔히 쓰는 값으로, 상대가 계속 바뀌는 게임에서 오래된 기울기를 덜 기억하게 합니다.
#
# 1. **판별자**: 진짜 32개와 (기울기를 기록하지 않고 만든) 가짜 32개로 $-V(D, G)$를 한 걸음 줄입니다.
# 2. **생성자**: 새 잡음 32개로 가짜를 만들어 판별자에 통과시키고, $-\log D(G(z))$를 한 걸음 줄입니다. 판별자의 매개변수도 기울기를 받지만,
#    생성자의 옵티마이저만 `step()` 하므로 판별자는 그대로입니다(다음 단계의 `zero_grad()`가 지웁니다).
#
# 진짜 데이터는 매 단계 분포에서 새로 뽑습니다. 300단계 동안 0, 25, 75, 150, 300단계에서 같은 잡음 2000개로 생성자의 출력을 찍어 둡니다.

# %%
STEPS, BATCH = 300, 32
SNAPSHOTS = (0, 25, 75, 150, 300)
rng = np.random.default_rng(1)
z_view = np.random.default_rng(7).standard_normal((2000, 1))  # 스냅숏마다 같은 잡음을 씁니다
g_optimizer = Adam(generator.parameters(), lr=0.02, betas=(0.5, 0.999))
d_optimizer = Adam(discriminator.parameters(), lr=0.02, betas=(0.5, 0.999))


def generate(z):
    with no_grad():
        return np.array([x.data for x in scores(generator, z.tolist())])


def discriminate(x):
    with no_grad():
        return 1 / (1 + np.exp(-np.array([s.data for s in scores(discriminator, x.reshape(-1, 1).tolist())])))


def mean_probability(score_values):
    return float(np.mean([1 / (1 + np.exp(-s.data)) for s in score_values]))


snapshots, d_curves, log = {}, {}, []
for step in tqdm(range(STEPS + 1), desc="GAN"):
    if step in SNAPSHOTS:
        snapshots[step] = generate(z_view)
        d_curves[step] = discriminate(xs)
    if step == STEPS:
        break
    g_optimizer.lr = d_optimizer.lr = 0.02 * (1 - 0.9 * step / STEPS)
    real = data.gaussian_mixture(BATCH, means=MEANS, stds=(STD, STD), seed=rng).X.tolist()
    with no_grad():
        fake = [[x.data] for x in scores(generator, rng.standard_normal((BATCH, 1)).tolist())]
    real_scores, fake_scores = scores(discriminator, real), scores(discriminator, fake)
    d_loss = losses.gan_discriminator_loss(real_scores, fake_scores)
    d_optimizer.zero_grad()
    d_loss.backward()
    d_optimizer.step()

    g_loss = losses.gan_generator_loss(scores(discriminator, generator(rng.standard_normal((BATCH, 1)).tolist())))
    g_optimizer.zero_grad()
    g_loss.backward()
    g_optimizer.step()
    log.append((d_loss.data, g_loss.data, mean_probability(real_scores), mean_probability(fake_scores)))

log = np.array(log)
for step in (0, 24, 74, 149, 299):
    print(
        f"단계 {step + 1:3d}: 판별자 손실 -V {log[step, 0]:.3f}, 생성자 손실 {log[step, 1]:.3f}, "
        f"D(진짜) 평균 {log[step, 2]:.3f}, D(가짜) 평균 {log[step, 3]:.3f}"
    )
print(
    f"마지막 50단계 평균: -V {log[-50:, 0].mean():.3f} (균형점 2 log 2 = {2 * np.log(2):.3f}), D(가짜) {log[-50:, 3].mean():.3f}"
)

# %% [markdown]
# ## 4. 생성된 분포가 데이터를 따라가는 모습
#
# 스냅숏마다 가짜 2000개의 히스토그램을 진짜 분포 $p_\text{data}$ 위에 그립니다.

# %%
fig, axes = plt.subplots(1, len(SNAPSHOTS), figsize=(14, 2.8), sharey=True)
for ax, step in zip(axes, SNAPSHOTS):
    ax.hist(snapshots[step], bins=60, range=(-5, 5), density=True, color="tab:orange", alpha=0.7, label="생성 G(z)")
    ax.plot(xs, data_density(xs), color="black", linewidth=1, label="$p_{data}$")
    ax.set_title(f"{step}단계")
    ax.set_xlabel("x")
axes[0].set_ylabel("확률 밀도")
axes[0].legend(fontsize=8)
plt.show()


def per_mode(samples):
    """표본을 더 가까운 봉우리에 배정하고, 봉우리별 (비율, 평균, 표준편차)."""
    nearer = np.argmin(np.abs(samples[:, None] - np.array(MEANS)), axis=1)
    return [(np.mean(nearer == k), samples[nearer == k].mean(), samples[nearer == k].std()) for k in range(len(MEANS))]


for step in SNAPSHOTS:
    parts = ", ".join(
        f"봉우리 {MEANS[k]:+.0f}: {share:.1%}, 평균 {mean:+.2f}, 표준편차 {std:.2f}"
        for k, (share, mean, std) in enumerate(per_mode(snapshots[step]))
    )
    print(f"{step:3d}단계  {parts}")
print(
    "  진짜    "
    + ", ".join(
        f"봉우리 {MEANS[k]:+.0f}: {share:.1%}, 평균 {mean:+.2f}, 표준편차 {std:.2f}"
        for k, (share, mean, std) in enumerate(per_mode(reference.X[:, 0]))
    )
)
print(
    f"두 봉우리 사이(|x| < 1)에 떨어진 비율: 생성 {np.mean(np.abs(snapshots[STEPS]) < 1):.1%}, "
    f"진짜 {np.mean(np.abs(reference.X[:, 0]) < 1):.1%}"
)

# %% [markdown]
# 0단계의 생성자는 0 근처의 좁은 봉우리 하나를 냅니다. 몇십 단계 만에 두 봉우리 쪽으로 퍼지고, 한동안 너무 넓게 퍼졌다가 좁아지며
# 300단계에서는 두 봉우리의 비율, 평균, 표준편차가 진짜와 가까워졌습니다(위의 숫자). 남은 차이도 보입니다. 생성자는 연속 함수라서 잡음의 봉우리 하나를
# 둘로 찢으려면 그 사이를 지나가야 하고, 그래서 두 봉우리 사이에 진짜보다 많은 표본을 흘립니다.
#
# ### 생성자가 배운 함수, 그리고 모드 붕괴
#
# $G$는 1차원에서 1차원으로 가는 함수라서 통째로 그릴 수 있습니다. 잡음 $z$의 한쪽 절반을 $-2$ 근처로, 다른 절반을 $+2$ 근처로 보내는 가파른 계단이
# 되어야 합니다(어느 쪽 절반이 어느 봉우리로 가는지는 상관없습니다).
#
# GAN이 흔히 빠지는 실패가 **모드 붕괴(mode collapse)** 입니다. 생성자가 판별자를 속이기 쉬운 봉우리 하나에만 표본을 몰아주면, 판별자가 그 봉우리를
# 의심하기 시작할 때 다른 봉우리로 통째로 옮겨 가기를 되풀이합니다. 위의 봉우리별 비율이 그 확인입니다. 한쪽 비율이 0에 가까우면 붕괴입니다.

# %%
by_z = np.argsort(z_view[:, 0])  # 스냅숏의 잡음을 z 순서로 늘어놓으면 G의 그래프가 됩니다
fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
for step in SNAPSHOTS:
    axes[0].plot(z_view[by_z, 0], snapshots[step][by_z], label=f"{step}단계")
axes[0].set_xlabel("잡음 z")
axes[0].set_ylabel("생성 x = G(z)")
axes[0].legend(fontsize=8)
axes[0].set_title("생성자 G")
shares = np.array([[share for share, _, _ in per_mode(snapshots[step])] for step in SNAPSHOTS])
axes[1].plot(SNAPSHOTS, shares[:, 0], "o-", label="봉우리 -2로 간 비율")
axes[1].plot(SNAPSHOTS, shares[:, 1], "o-", label="봉우리 +2로 간 비율")
axes[1].axhline(0.5, color="gray", linestyle=":")
axes[1].set_ylim(0, 1)
axes[1].set_xlabel("단계 (step)")
axes[1].set_ylabel("생성 표본의 비율")
axes[1].legend(fontsize=8)
plt.show()
print(f"가장 작은 봉우리 비율(0단계 이후 스냅숏): {shares[1:].min():.1%}")
g_final, z_sorted = snapshots[STEPS][by_z], z_view[by_z, 0]
top, bottom = int(np.argmax(g_final)), int(np.argmin(g_final))
print(
    f"{STEPS}단계의 G: 가장 큰 출력 {g_final[top]:+.2f} (z = {z_sorted[top]:+.2f}에서), "
    f"가장 작은 출력 {g_final[bottom]:+.2f} (z = {z_sorted[bottom]:+.2f}에서)"
)
bin_counts, bin_edges = np.histogram(snapshots[STEPS], bins=60, range=(-5, 5))
tallest = sorted(float((bin_edges[i] + bin_edges[i + 1]) / 2) for i in np.argsort(bin_counts)[-2:])
print(f"{STEPS}단계 히스토그램에서 가장 높은 두 칸의 가운데: {tallest[0]:+.2f}, {tallest[1]:+.2f}")

# %% [markdown]
# 학습된 $G$는 가운데에서 가파르게 건너뛰는 계단이 되었습니다. 다만 300단계의 $G$는 단조롭지 않고 양 끝에서 조금 되돌아옵니다.
# $G$가 꺾이는 곳($G'(z) = 0$)에서는 많은 $z$가 거의 같은 $x$로 모입니다. 생성 밀도는 $p_g(x) = \sum_{z:\,G(z) = x} p_z(z) / |G'(z)|$이므로
# 거기서 치솟고, 그것이 4절 히스토그램의 뾰족한 두 칸입니다. 가장 높은 두 칸이 $G$의 가장 큰 출력과 가장 작은 출력 바로 옆에 있는 것이 그 확인입니다.
#
# 이 실행(시드 고정)에서는 **모드 붕괴가 일어나지 않았습니다**. 0단계 이후 모든 스냅숏에서 두 봉우리가 모두 절반 가까운 비율을 받았습니다(위의 가장 작은 비율).
# 붕괴는 봉우리가 많은 데이터(원 위에 놓인 봉우리 8개는 GAN 논문들이 흔히 쓰는 시험입니다)에서 더 자주 보고됩니다.
# 봉우리를 늘리거나, 시드와 학습률을 바꿔 직접 찾아보세요. 봉우리별 비율을 재는 `per_mode`가 그대로 붕괴 검사기입니다.
#
# ## 5. 판별자가 보는 세상
#
# 생성자를 고정했을 때 가장 좋은 판별자는 $D^*(x) = \dfrac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}$입니다(GAN 논문의 정리). 생성 분포 $p_g$가
# 데이터와 같아지면 $D^* = 1/2$이 되어, 판별자는 어디서나 동전 던지기밖에 할 수 없습니다. 이때 $V = -2\log 2$, 판별자 손실은 $2\log 2 \approx 1.386$입니다.
# 학습된 판별자의 출력 $D(x)$를 스냅숏마다 그리고, 마지막 스냅숏에서는 $p_g$를 히스토그램으로 어림해 계산한 $D^*$도 함께 그립니다.

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.6))
for step in SNAPSHOTS:
    ax.plot(xs, d_curves[step], label=f"D(x), {step}단계", linewidth=2 if step == STEPS else 1)
counts, edges = np.histogram(snapshots[STEPS], bins=50, range=(-5, 5), density=True)
centres = (edges[:-1] + edges[1:]) / 2
both = data_density(centres) + counts
shown = both > 0.05  # 진짜도 가짜도 거의 없는 곳에서는 어림이 의미가 없습니다
d_star = data_density(centres[shown]) / both[shown]
ax.plot(centres[shown], d_star, "k.", markersize=4, label="D*(x) (히스토그램으로 어림)")
ax.axhline(0.5, color="gray", linestyle=":")
ax.set_ylim(0, 1)
ax.set_xlabel("x")
ax.set_ylabel("판별자의 출력 D(x)")
ax.legend(fontsize=8, loc="upper right")
plt.show()
inside = (np.abs(xs) > 1) & (np.abs(xs) < 3)  # 두 봉우리가 있는 곳
print(
    f"300단계의 D(x): 봉우리 부근(1 < |x| < 3)에서 {d_curves[STEPS][inside].min():.3f} ~ {d_curves[STEPS][inside].max():.3f}"
)
print(f"0단계의 D(x): 같은 구간에서 {d_curves[0][inside].min():.3f} ~ {d_curves[0][inside].max():.3f}")
print(f"300단계의 D(0) (두 봉우리 사이): {d_curves[STEPS][np.argmin(np.abs(xs))]:.3f}")

# %% [markdown]
# 학습이 끝난 판별자는 봉우리 부근에서 0.5 근처의 평평한 곡선이 되었습니다. 진짜와 가짜를 거의 구별하지 못한다는 뜻이고, 이것이 게임이 균형에 가까이 왔다는 표시입니다.
# 완전히 0.5는 아닙니다. 생성 분포가 진짜보다 많이 채우는 두 봉우리 사이에서는 $D^*$가 0.5 아래로 내려가고, 학습된 판별자도 $x = 0$ 근처에서
# 움푹 내려갑니다(위의 $D(0)$). 생성자에게는 그곳이 '아직 가짜 티가 나는 곳'이라는 신호입니다. 판별자도 작은 MLP라서, 히스토그램의 뾰족한 칸까지
# $D^*$를 정확히 따라가지는 못합니다.
#
# 강의 노트의 비교를 숫자로 다시 보면, 오토인코더(13번)는 데이터를 코드로 압축하는 **인코더** 가 있어 잠재 변수(latent variable)를 추론할 수 있지만,
# 여기의 GAN에는 $x$에서 $z$로 가는 길이 없습니다. 대신 판별자와의 경쟁이 생성자를 진짜 분포 쪽으로 밀었습니다.
#
# ## 6. DCGAN: 두 신경망을 합성곱으로
#
# **DCGAN(deep convolutional GAN, Radford 외 2016)** 은 게임과 손실은 그대로 두고, 이미지를 다루도록 두 신경망을 **합성곱 신경망** 으로 바꾼 것입니다.
#
# - **판별자** 는 이미지 분류용 CNN과 거의 같습니다. 11번 노트북의 `nn.Conv2d`를 쌓되, 풀링(`nn.MaxPool2d`) 대신 **보폭(stride) 2인 합성곱** 으로
#   크기를 줄이고, 마지막에 `nn.Flatten`과 `nn.Linear`로 점수 하나를 냅니다. 활성화 함수는 LeakyReLU(`Value.leaky_relu`)를 씁니다.
# - **생성자** 는 그 반대 방향입니다. 잡음 벡터를 `nn.Linear`로 작은 특징 맵(feature map)으로 펼친 다음, **전치 합성곱(transposed convolution)** 으로
#   크기를 두 배씩 키워 이미지를 만듭니다. 전치 합성곱은 합성곱의 역전파와 같은 계산입니다(이 라이브러리에는 아직 층으로 없습니다).
#   출력층은 tanh로 밝기를 $[-1, 1]$에 맞춥니다.
# - 층마다 **배치 정규화(batch normalization)** (`nn.BatchNorm1d`의 합성곱판)를 넣어 학습을 안정시킵니다.
#
# 8×8 손글씨 숫자(`data.digits()`)로 DCGAN을 만들 수도 있지만, 스칼라 엔진에서는 합성곱 층의 출력 하나하나가 노드라서 그래프가 훨씬 커지고, 1분 안에 게임을 충분히 돌리기 어렵습니다.
# 이 노트북이 1차원 데이터를 쓴 까닭입니다. 게임의 규칙(판별자는 $V$를 최대화, 생성자는 $-\log D(G(z))$를 최소화)은 DCGAN에서도 그대로입니다.
