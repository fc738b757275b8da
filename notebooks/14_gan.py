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
import math

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, losses, nn, no_grad
from micrograd_ko.optim import SGD, Adam

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
#
# **실행하기 전에 예측해 보세요.** 표본 5000개에서 잰 봉우리별 개수, 평균, 표준편차는 2500, $\pm 2$, 0.5에서 얼마나 벗어날까요?

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
# 강의 노트의 식 그대로라면 생성자는 $\log(1 - D(G(z)))$를 최소화합니다(**minimax 손실**). 학습 초반의 생성자는 엉터리라서, 판별자가 먼저 배우면
# 가짜를 쉽게 알아봅니다($D(G(z)) \approx 0$). 거기서 이 손실은 평평해서(포화, saturation) 생성자에게 가는 기울기가 거의 없습니다.
# 강의 노트가 말하는 단점, "생성자가 그럴듯한 가상 데이터를 학습 초반부터 생성하기 힘들기 때문에 모델이 학습되지 않는 현상"입니다.
# 그래서 보통은 같은 방향을 다르게 미는 **포화하지 않는(non-saturating) 손실** $-\log D(G(z))$를 최소화합니다(GAN 논문이 함께 제안한 방법).
# 판별자가 정말 먼저 이기는지는 출발점에 달려 있습니다. 3절에서 이 노트북의 학습이 어디서 출발했는지 재고, 판별자가 먼저 이기는 출발점도 따로 만들어 봅니다.
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
# 판별자가 이기고 있을 때($D(G(z))$가 0에 가까울 때) 생성자에게 쓸 만한 기울기를 주는 것은 뒤쪽 손실입니다(이 학습에서 판별자가 정말 이기고 있는지는 3절에서 잽니다). 아래 학습에서 **판별자는 강의 노트의 $V(D, G)$를 최대화** 하고,
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
# ### 이 학습은 어디서 출발했나: 판별자가 먼저 이길 때
#
# 포화하지 않는 손실을 쓰는 이유는 "초반에는 $D(G(z)) \approx 0$"이었습니다. 위 학습의 1단계를 보면 그렇지 않습니다. 판별자도 막 초기화되어
# 아무것도 모르므로 $D(\text{가짜})$는 0.5 근처이고, 거기서는 두 손실의 기울기가 $-D = -(1 - D) = -0.5$로 **같습니다**. 이 실행에서는 초반의 포화가 일어날 자리가 없었습니다.
#
# 포화를 보려면 판별자가 먼저 이기는 출발점이 필요합니다. 학습 전의 생성자(3절과 같은 시드)를 고정해 두고 판별자만 100단계 학습한 뒤,
# 그 판별자를 **고정** 하고 생성자만 두 손실로 각각 40단계 학습합니다. 판별자를 고정하는 것은 생성자가 받는 기울기만 떼어 보기 위해서입니다.
# 옵티마이저는 두 가지로 해 봅니다. 걸음이 기울기에 비례하는 SGD(학습률 0.05), 그리고 위의 학습에서 쓴 Adam(학습률 0.02)입니다.
#
# **실행하기 전에 예측해 보세요.** 판별자가 이기고 있을 때 minimax 손실로 학습한 생성자는 판별자를 속이기 시작할까요? Adam에서도 그럴까요?

# %%
print(f"위 학습의 1단계: D(가짜) 평균 {log[0, 3]:.3f}")
for kind in ("minimax", "non_saturating"):
    s = Value(float(np.log(log[0, 3] / (1 - log[0, 3]))))  # σ(s) = 1단계의 D(가짜)
    losses.gan_generator_loss([s], kind=kind).backward()
    print(f"  그 점에서 {kind:>14} 손실의 기울기 ∂/∂s = {s.grad:+.3f}")


def fresh_pair():
    """3절과 같은 시드로 새로 만든 (생성자, 판별자)."""
    g = nn.Sequential(nn.Linear(1, 8, seed=1), nn.Tanh(), nn.Linear(8, 1, seed=101))
    d = nn.Sequential(nn.Linear(1, 8, seed=201), nn.Tanh(), nn.Linear(8, 1, seed=301))
    return g, d


g_start, d_ahead = fresh_pair()
ahead_optimizer = Adam(d_ahead.parameters(), lr=0.02, betas=(0.5, 0.999))
ahead_rng = np.random.default_rng(11)
for _ in range(100):
    real = data.gaussian_mixture(BATCH, means=MEANS, stds=(STD, STD), seed=ahead_rng).X.tolist()
    with no_grad():
        fake = [[x.data] for x in scores(g_start, ahead_rng.standard_normal((BATCH, 1)).tolist())]
    d_loss = losses.gan_discriminator_loss(scores(d_ahead, real), scores(d_ahead, fake))
    ahead_optimizer.zero_grad()
    d_loss.backward()
    ahead_optimizer.step()
z_probe = np.random.default_rng(12).standard_normal((256, 1)).tolist()


def fooled(g):
    """앞서 나간 판별자가 생성 표본 256개에 준 확률 D(G(z))의 평균."""
    with no_grad():
        fakes = [[x.data] for x in scores(g, z_probe)]
        return float(np.mean([1 / (1 + np.exp(-s.data)) for s in scores(d_ahead, fakes)]))


start_state = g_start.state_dict()
print(f"판별자만 100단계 학습한 뒤: D(G(z)) 평균 {fooled(g_start):.3f}")
norms = {}
for kind in ("minimax", "non_saturating"):
    g, _ = fresh_pair()
    g.load_state_dict(start_state)
    losses.gan_generator_loss(scores(d_ahead, g(z_probe)), kind=kind).backward()
    norms[kind] = float(np.sqrt(sum(p.grad**2 for p in g.parameters())))
    print(f"  {kind:>14} 손실: 생성자 매개변수 기울기의 크기(노름) {norms[kind]:.4f}")
print(f"  포화하지 않는 손실의 기울기가 {norms['non_saturating'] / norms['minimax']:.0f}배 큽니다")

for name, make_optimizer in [
    ("SGD(0.05)", lambda params: SGD(params, lr=0.05)),
    ("Adam(0.02)", lambda params: Adam(params, lr=0.02, betas=(0.5, 0.999))),
]:
    for kind in ("minimax", "non_saturating"):
        g, _ = fresh_pair()
        g.load_state_dict(start_state)
        optimizer = make_optimizer(g.parameters())
        walk_rng = np.random.default_rng(13)
        trail = []
        for step in range(40):
            g_loss = losses.gan_generator_loss(scores(d_ahead, g(walk_rng.standard_normal((BATCH, 1)).tolist())), kind)
            optimizer.zero_grad()
            d_ahead.zero_grad()
            g_loss.backward()
            optimizer.step()
            if step % 10 == 9:
                trail.append(f"{fooled(g):.3f}")
        print(f"{name:>10}, {kind:>14}: 10·20·30·40단계의 D(G(z)) {' → '.join(trail)}")

# %% [markdown]
# 판별자가 이기고 있는 출발점($D(G(z))$가 위의 작은 값)에서, 생성자가 받는 기울기는 minimax 손실 쪽이 위의 배수만큼 작습니다. 걸음이 기울기에 비례하는
# SGD에서는 그 차이가 그대로 드러납니다. minimax 손실의 생성자는 40단계 동안 $D(G(z))$를 거의 올리지 못하고, 포화하지 않는 손실의 생성자는 판별자를 속이기 시작합니다.
# 강의 노트가 말하는 "학습되지 않는 현상"이 이것입니다.
#
# Adam에서는 두 손실이 모두 빠져나옵니다(위의 마지막 두 줄). Adam은 매개변수마다 걸음을 기울기의 제곱평균제곱근(RMS)으로 나누므로(07번 노트북), 기울기가
# 통째로 몇십 배 작아져도 걸음의 크기는 거의 학습률 그대로입니다. 포화는 기울기의 **크기** 를 줄이는 문제라서, 이 예에서는 Adam이 그것을 대부분 되돌립니다.
# 그래도 보통 포화하지 않는 손실을 쓰는 것은, 옵티마이저가 기울기의 크기를 되돌려 주리라고 늘 기대할 수는 없기 때문입니다(위의 SGD처럼).
# 그리고 Adam이 되돌리는 것은 전체의 크기뿐, 표본 사이의 무게는 그대로입니다. 2절의 식대로 minimax 손실은 표본마다 $-D$의 무게를 주므로, 판별자를 이미 속이고 있는 표본을
# 더 세게 밀고 가장 가짜 티가 나는 표본은 거의 밀지 않습니다. 포화하지 않는 손실의 무게 $-(1 - D)$는 그 반대입니다.
#
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

# %% [markdown]
# ### 두 봉우리를 모두 덮었나: 무엇으로 재는가
#
# 표본을 부호로 나누어(음수는 봉우리 $-2$, 양수는 $+2$) 비율을 세면, 0 근처에 뾰족한 봉우리 하나만 내는 생성자도 반반으로 나뉘어 '두 봉우리를 다 덮었다'고 통과합니다.
# 그래서 두 가지로 잽니다.
#
# - **봉우리마다 $2\sigma$ 안의 비율**: 평균 $\pm 2$에서 $2\sigma = 1$ 안에 떨어진 표본의 비율. 진짜 분포에서는 봉우리마다 약 47.7%입니다($\tfrac12 \times 95.4\%$).
#   0 근처의 봉우리 하나는 두 봉우리 모두에서 0%에 가깝게 나와 떨어집니다.
# - **두 표본 사이의 거리(two-sample distance)**: 1차원 **바서슈타인 거리(Wasserstein distance)** $W_1$. 두 표본의 분위수(quantile)를 같은 순서로 짝지어
#   그 차이의 절댓값을 평균한 값으로, 한 분포를 다른 분포로 옮기는 데 드는 평균 이동 거리입니다. 같은 분포에서 뽑은 두 표본도 0은 아니므로, 진짜끼리의 거리를 기준으로 함께 찍습니다.
#
# **실행하기 전에 예측해 보세요.** 0단계의 생성자는 부호로 나눈 비율에서, 그리고 $2\sigma$ 안의 비율에서 각각 어떻게 나올까요?

# %%
QUANTILES = np.linspace(0.0005, 0.9995, 1000)


def mode_shares(samples):
    """봉우리마다, 그 평균에서 2σ 안에 떨어진 표본의 비율."""
    return [float(np.mean(np.abs(samples - m) < 2 * STD)) for m in MEANS]


def w1_distance(a, b):
    """1차원 바서슈타인 거리: 같은 분위수끼리 차이의 절댓값의 평균."""
    return float(np.mean(np.abs(np.quantile(a, QUANTILES) - np.quantile(b, QUANTILES))))


within_2sigma = math.erf(2 / math.sqrt(2))  # 정규분포에서 평균 ± 2σ 안의 확률
print(f"정규분포의 평균 ± 2σ 안: {within_2sigma:.1%}, 봉우리마다(반반 섞였으니) {within_2sigma / 2:.1%}")
other_real = data.gaussian_mixture(2000, means=MEANS, stds=(STD, STD), seed=1).X[:, 0]
real_x = reference.X[:, 0]
rows_shown = [(f"{step:3d}단계", snapshots[step]) for step in SNAPSHOTS] + [("진짜 2000개", other_real)]
for name, samples in rows_shown:
    left, right = mode_shares(samples)
    print(
        f"{name:>10}: 부호로 나눈 비율 {np.mean(samples < 0):5.1%} / {np.mean(samples >= 0):5.1%}, "
        f"2σ 안의 비율 {left:5.1%} / {right:5.1%}, W1 거리 {w1_distance(samples, real_x):.3f}"
    )
final = snapshots[STEPS]
for k, m in enumerate(MEANS):
    near_g, near_r = final[np.abs(final - m) < 2 * STD], real_x[np.abs(real_x - m) < 2 * STD]
    print(
        f"{STEPS}단계, 봉우리 {m:+.0f}의 2σ 안: 생성 평균 {near_g.mean():+.2f} 표준편차 {near_g.std():.2f}, "
        f"진짜 평균 {near_r.mean():+.2f} 표준편차 {near_r.std():.2f}"
    )
print(
    f"바깥 꼬리(|x| > 2.5)의 비율: 생성 {np.mean(np.abs(final) > 2.5):.1%}, 진짜 {np.mean(np.abs(real_x) > 2.5):.1%}; "
    f"두 봉우리 사이(|x| < 1): 생성 {np.mean(np.abs(final) < 1):.1%}, 진짜 {np.mean(np.abs(real_x) < 1):.1%}"
)

# %% [markdown]
# 부호로 나눈 비율은 0단계의 생성자(0 근처의 좁은 봉우리 하나)도 거의 반반으로 통과시킵니다. $2\sigma$ 안의 비율은 0단계에서 두 봉우리 모두 0%에 가깝고,
# $W_1$ 거리도 진짜끼리의 거리보다 훨씬 큽니다. 두 검사 모두 0단계를 떨어뜨립니다.
#
# 300단계의 생성 분포는 **요약 통계** 몇 개에서 진짜와 가까워졌습니다. 봉우리마다 $2\sigma$ 안의 비율과 그 안의 평균이 위처럼 진짜와 비슷합니다.
# 그 안의 표준편차는 진짜보다 작습니다. 생성 표본이 봉우리 안에서 더 좁게 몰려 있습니다.
# 그러나 **모양** 은 다릅니다. 4절의 히스토그램은 봉우리 가운데가 아니라 바깥쪽 끝에서 뾰족하고(아래에서 그 위치를 잽니다), 바깥 꼬리($|x| > 2.5$)는 진짜보다 훨씬 비어 있으며,
# 두 봉우리 사이에는 진짜보다 많이 흘립니다(위의 마지막 줄). $W_1$ 거리가 진짜끼리의 거리보다 큰 것도 이 모양 차이 때문입니다. 생성자는 연속 함수라서 잡음의 봉우리 하나를
# 둘로 찢으려면 그 사이를 지나가야 하고, 그래서 사이에 표본을 흘립니다.
#
# ### 생성자가 배운 함수, 그리고 모드 붕괴
#
# $G$는 1차원에서 1차원으로 가는 함수라서 통째로 그릴 수 있습니다. 잡음 $z$의 한쪽 절반을 $-2$ 근처로, 다른 절반을 $+2$ 근처로 보내는 가파른 계단이
# 되어야 합니다(어느 쪽 절반이 어느 봉우리로 가는지는 상관없습니다).
#
# GAN이 흔히 빠지는 실패가 **모드 붕괴(mode collapse)** 입니다. 생성자가 판별자를 속이기 쉬운 봉우리 하나에만 표본을 몰아주면, 판별자가 그 봉우리를
# 의심하기 시작할 때 다른 봉우리로 통째로 옮겨 가기를 되풀이합니다. 위의 $2\sigma$ 안의 비율이 그 확인입니다. 한쪽이 0에 가까우면 붕괴입니다.

# %%
by_z = np.argsort(z_view[:, 0])  # 스냅숏의 잡음을 z 순서로 늘어놓으면 G의 그래프가 됩니다
fig, axes = plt.subplots(1, 2, figsize=(11, 3.4))
for step in SNAPSHOTS:
    axes[0].plot(z_view[by_z, 0], snapshots[step][by_z], label=f"{step}단계")
axes[0].set_xlabel("잡음 z")
axes[0].set_ylabel("생성 x = G(z)")
axes[0].legend(fontsize=8)
axes[0].set_title("생성자 G")
shares = np.array([mode_shares(snapshots[step]) for step in SNAPSHOTS])
axes[1].plot(SNAPSHOTS, shares[:, 0], "o-", label="봉우리 -2의 2σ 안")
axes[1].plot(SNAPSHOTS, shares[:, 1], "o-", label="봉우리 +2의 2σ 안")
axes[1].axhline(mode_shares(real_x)[0], color="gray", linestyle=":", label="진짜")
axes[1].set_ylim(0, 1)
axes[1].set_xlabel("단계 (step)")
axes[1].set_ylabel("생성 표본의 비율")
axes[1].legend(fontsize=8)
plt.show()
print(f"2σ 안의 비율 가운데 가장 작은 값: 0단계 {shares[0].min():.1%}, 그 뒤의 스냅숏 {shares[1:].min():.1%}")
g_final, z_sorted = final[by_z], z_view[by_z, 0]
top, bottom = int(np.argmax(g_final)), int(np.argmin(g_final))
print(
    f"{STEPS}단계의 G: 가장 큰 출력 {g_final[top]:+.2f} (z = {z_sorted[top]:+.2f}에서), "
    f"가장 작은 출력 {g_final[bottom]:+.2f} (z = {z_sorted[bottom]:+.2f}에서)"
)
bin_counts, bin_edges = np.histogram(final, bins=60, range=(-5, 5))
tallest = sorted(float((bin_edges[i] + bin_edges[i + 1]) / 2) for i in np.argsort(bin_counts)[-2:])
print(f"{STEPS}단계 히스토그램에서 가장 높은 두 칸의 가운데: {tallest[0]:+.2f}, {tallest[1]:+.2f}")
g_low, g_high = float(final.min()), float(final.max())
outside_share = float(np.mean((real_x < g_low) | (real_x > g_high)))
print(f"진짜 표본 가운데 생성자의 범위 [{g_low:+.2f}, {g_high:+.2f}] 밖에 있는 비율: {outside_share:.1%}")

# %% [markdown]
# 학습된 $G$는 가운데에서 가파르게 건너뛰는 계단이 되었습니다. 다만 300단계의 $G$는 단조롭지 않고 양 끝에서 조금 되돌아옵니다.
# $G$가 꺾이는 곳($G'(z) = 0$)에서는 많은 $z$가 거의 같은 $x$로 모입니다. 생성 밀도는 $p_g(x) = \sum_{z:\,G(z) = x} p_z(z) / |G'(z)|$이므로
# 거기서 치솟고, 그것이 4절 히스토그램의 뾰족한 두 칸입니다. 가장 높은 두 칸이 $G$의 가장 큰 출력과 가장 작은 출력 바로 옆에 있는 것이 그 확인입니다.
# 그리고 $G$는 그 범위 밖으로는 아무것도 내지 않으므로, 진짜 표본 가운데 위의 비율은 생성 분포가 전혀 덮지 못하는 곳에 있습니다.
#
# 이 실행(시드 고정)에서는 0단계 이후 모든 스냅숏에서 두 봉우리가 모두 $2\sigma$ 안의 표본을 받았습니다(위의 가장 작은 값). 두 봉우리를 오가는 모드 붕괴는 일어나지 않았습니다.
# 붕괴는 봉우리가 많은 데이터(원 위에 놓인 봉우리 8개는 GAN 논문들이 흔히 쓰는 시험입니다)에서 더 자주 보고됩니다. 봉우리를 늘리거나, 시드와 학습률을 바꿔
# 직접 찾아보세요. `mode_shares`와 `w1_distance`가 그대로 검사기입니다. 14b 노트북의 DCGAN에서는 학습 중간에 붕괴가 실제로 보입니다.
#
# ## 5. 판별자가 보는 세상
#
# 생성자를 고정했을 때 가장 좋은 판별자는 $D^*(x) = \dfrac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}$입니다(GAN 논문의 정리). 생성 분포 $p_g$가
# 데이터와 같아지면 $D^* = 1/2$이 되어, 판별자는 어디서나 동전 던지기밖에 할 수 없습니다. 이때 $V = -2\log 2$, 판별자 손실은 $2\log 2 \approx 1.386$입니다.
# 반대로 $p_g = 0$인 곳, 생성자가 아무것도 내지 않는 곳에서는 $D^* = 1$입니다.
# 학습된 판별자의 출력 $D(x)$를 스냅숏마다 그리고, 마지막 스냅숏에서는 $p_g$를 히스토그램으로 어림해 계산한 $D^*$도 함께 그립니다.
#
# **실행하기 전에 예측해 보세요.** 생성자가 닿지 못하는 바깥 꼬리에서 학습된 판별자 $D(x)$는 1에 가까울까요?

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.6))
for step in SNAPSHOTS:
    ax.plot(xs, d_curves[step], label=f"D(x), {step}단계", linewidth=2 if step == STEPS else 1)
counts, edges = np.histogram(final, bins=50, range=(-5, 5), density=True)
centres = (edges[:-1] + edges[1:]) / 2
both = data_density(centres) + counts
shown = both > 0.05  # 진짜도 가짜도 거의 없는 곳에서는 어림이 의미가 없습니다
d_star = data_density(centres[shown]) / both[shown]
ax.plot(centres[shown], d_star, "k.", markersize=4, label="D*(x) (히스토그램으로 어림)")
ax.axvspan(-5, g_low, color="tab:red", alpha=0.08, label="생성자의 범위 밖")
ax.axvspan(g_high, 5, color="tab:red", alpha=0.08)
ax.axhline(0.5, color="gray", linestyle=":")
ax.set_ylim(0, 1.05)
ax.set_xlabel("x")
ax.set_ylabel("판별자의 출력 D(x)")
ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=4)
plt.show()
inside = (np.abs(xs) > 1) & (np.abs(xs) < 3)  # 두 봉우리가 있는 곳
print(
    f"300단계의 D(x): 봉우리 부근(1 < |x| < 3)에서 {d_curves[STEPS][inside].min():.3f} ~ {d_curves[STEPS][inside].max():.3f}"
)
beyond_bins = shown.copy()
beyond_bins[shown] = (centres[shown] < g_low) | (centres[shown] > g_high)
beyond_x = (xs < g_low) | (xs > g_high)
beyond_x &= data_density(xs) > 0.05
d_star_beyond = data_density(centres[beyond_bins]) / both[beyond_bins]
print(
    f"생성자의 범위 밖(진짜 밀도 > 0.05인 곳): 어림한 D* {d_star_beyond.min():.2f} ~ {d_star_beyond.max():.2f}, "
    f"학습된 D {d_curves[STEPS][beyond_x].min():.3f} ~ {d_curves[STEPS][beyond_x].max():.3f}"
)
print(f"0단계의 D(x): 봉우리 부근에서 {d_curves[0][inside].min():.3f} ~ {d_curves[0][inside].max():.3f}")
print(f"300단계의 D(0) (두 봉우리 사이): {d_curves[STEPS][np.argmin(np.abs(xs))]:.3f}")

# %% [markdown]
# 학습이 끝난 판별자는 봉우리 부근에서 0.5 근처의 평평한 곡선입니다. 이것을 '균형에 가까워졌다'고 읽으면 안 됩니다. 진짜 표본 가운데 앞에서 잰 비율은
# 생성자의 범위 밖에 있고, 거기서 최적의 판별자는 $D^* = 1$입니다. 히스토그램으로 어림한 $D^*$도 그 구간에서 0.5보다 크게 올라가는데(위의 범위, 칸의 폭 때문에 경계의 칸은 1보다 작게 어림됩니다),
# 학습된 $D$는 거기서도 0.5 근처에 머뭅니다. 그러니 여기서 $D \approx 0.5$가 보여 주는 것은 진짜와 가짜가 같아졌다는 것이 아니라 **판별자가 약하다** 는 것입니다.
# 은닉 뉴런 8개의 작은 MLP가, 학습률을 줄여 가며 300걸음만 배웠습니다. 두 봉우리 사이에서 $D(0)$이 조금 내려간 것(위의 숫자)처럼 큰 차이는 잡지만,
# 바깥 꼬리나 뾰족한 칸 같은 차이는 잡지 못합니다. GAN의 생성자는 판별자가 알려 주는 만큼만 배우므로, 이 차이들은 생성자에게 전해지지 않습니다.
#
# 강의 노트의 비교를 숫자로 다시 보면, 오토인코더(13번)는 데이터를 코드로 압축하는 **인코더** 가 있어 잠재 변수(latent variable)를 추론할 수 있지만,
# 여기의 GAN에는 $x$에서 $z$로 가는 길이 없습니다. 대신 판별자와의 경쟁이 생성자를 진짜 분포 쪽으로 밀었습니다.
#
# ## 6. 최적의 판별자에서 게임이 줄이는 것: 젠슨-섀넌 발산
#
# 강의 노트는 $V(D, G)$를 두고 "이 값은 0~1로 주어진다"고 하지만, 그렇지 않습니다. $D(x) \in (0, 1)$이므로 $\log D(x) < 0$이고 $\log(1 - D(G(z))) < 0$이라서
# **$V$는 언제나 음수** 입니다. 판별자 손실 $-V$는 양수이고, 위 학습의 로그에 찍힌 값이 그것입니다.
#
# 생성자를 고정하고 최적의 판별자 $D^*$를 넣으면(GAN 논문의 정리 1), $V$는 두 분포 사이의 **젠슨-섀넌 발산(Jensen–Shannon divergence, JSD)** 으로 바뀝니다(강의 노트의 각주가 말하는 측도).
#
# $$V(D^*, G) = -\log 4 + 2\,\mathrm{JSD}(p_\text{data} \,\|\, p_g), \qquad \mathrm{JSD}(p \,\|\, q) = \tfrac12 \mathrm{KL}\big(p \,\|\, m\big) + \tfrac12 \mathrm{KL}\big(q \,\|\, m\big),\ m = \tfrac{p + q}{2}$$
#
# $\mathrm{KL}$은 쿨백-라이블러 발산(Kullback–Leibler divergence) $\mathrm{KL}(p\|q) = \int p \log(p/q)\,dx$입니다. JSD는 0(두 분포가 같을 때)과 $\log 2$(겹치는 곳이 없을 때) 사이에 있으므로,
# $V(D^*, G)$는 $-\log 4 \approx -1.386$과 0 사이에 있고, 생성자가 진짜 분포를 완전히 따라 했을 때 가장 작은 값 $-\log 4$가 됩니다. 그래서 최적의 판별자에 맞선 생성자는 JSD를 줄이는 셈입니다.
#
# 격자 위에서 적분해 봅니다. $p_g$는 스냅숏의 표본 2000개를 폭 0.05인 가우스 커널로 부드럽게 한 밀도(커널 밀도 추정, kernel density estimation)로 어림합니다.
#
# **실행하기 전에 예측해 보세요.** 0단계 생성자(0 근처의 좁은 봉우리)의 JSD는 $\log 2 \approx 0.693$에 얼마나 가까울까요? 300단계에서는?

# %%
grid = np.linspace(-7, 7, 2801)
dx = grid[1] - grid[0]


def kde(samples, width=0.05):
    """표본마다 폭 `width`인 가우스 종 모양을 올려 평균한 밀도."""
    parts = [np.exp(-((grid[:, None] - chunk[None, :]) ** 2) / (2 * width**2)).sum(axis=1) for chunk in np.split(samples, 4)]
    return sum(parts) / (len(samples) * width * np.sqrt(2 * np.pi))


def plogq(p, q):
    """∫ p log(p/q) dx, p = 0인 곳은 0으로."""
    positive = p > 1e-300
    return float(np.sum(p[positive] * np.log(p[positive] / np.maximum(q[positive], 1e-300))) * dx)


def jsd(p, q):
    m = (p + q) / 2
    return 0.5 * plogq(p, m) + 0.5 * plogq(q, m)


def v_at_optimum(p, q):
    """V(D*, G) = ∫ p log(p/(p+q)) + q log(q/(p+q)) dx."""
    return plogq(p, p + q) + plogq(q, p + q)


p_data = data_density(grid)
candidates = [("p_g = p_data", p_data), ("p_g = 잡음 N(0, 1) 그대로", np.exp(-(grid**2) / 2) / np.sqrt(2 * np.pi))]
candidates += [(f"{step}단계 생성자", kde(snapshots[step])) for step in SNAPSHOTS]
for name, p_g in candidates:
    divergence, value = jsd(p_data, p_g), v_at_optimum(p_data, p_g)
    print(
        f"{name:>22}: JSD {divergence:.3f} (log 2 = {np.log(2):.3f}), V(D*, G) {value:+.3f}, "
        f"-log 4 + 2·JSD {-np.log(4) + 2 * divergence:+.3f}"
    )
print(f"위 학습의 배치마다 잰 V = -(판별자 손실): {-log[:, 0].max():+.3f} ~ {-log[:, 0].min():+.3f} (모두 음수)")

# %% [markdown]
# 두 열 $V(D^*, G)$와 $-\log 4 + 2\,\mathrm{JSD}$가 같은 숫자인 것이 정리의 확인입니다. $p_g = p_\text{data}$이면 JSD는 0, $V$는 $-\log 4$입니다.
# 0단계 생성자의 JSD는 $\log 2$에 가깝습니다. 두 분포가 거의 겹치지 않기 때문이고, 그 근처에서는 생성자를 조금 움직여도 JSD가 거의 변하지 않습니다.
# 겹치지 않는 분포들 사이에서는 JSD가 $\log 2$에 붙어 평평해지는 것, 이것이 판별자가 너무 잘할 때 생성자의 기울기가 사라지는 또 하나의 설명이며(Arjovsky와 Bottou, 2017),
# 바서슈타인 거리를 손실로 쓰는 WGAN이 나온 까닭입니다. 300단계의 JSD는 훨씬 작아졌지만 0은 아니고, 단계마다 곧게 줄지도 않습니다(75단계가 150단계보다 작습니다). 5절에서 본 모양의 차이(뾰족한 칸, 비어 있는 꼬리)가 거기 남아 있습니다.
# 마지막 줄은 학습 중 실제 판별자로 배치마다 잰 $V$입니다. 실제 판별자는 $D^*$가 아니므로, 그 기댓값은 $V(D^*, G)$보다 작거나 같고($D^*$가 $V$를 가장 크게 하는 판별자이니까요)
# $-\log 4$보다 작아질 수도 있습니다. $-\log 4$가 아래 끝인 것은 최적의 판별자에서의 이야기입니다. 어느 쪽이든 $V$는 음수이고, 0~1 사이의 값이 아닙니다.
#
# ## 7. DCGAN: 두 신경망을 합성곱으로
#
# **DCGAN(deep convolutional GAN, Radford 외 2016)** 은 게임과 손실은 그대로 두고, 이미지를 다루도록 두 신경망을 **합성곱 신경망** 으로 바꾼 것입니다.
# 강의 노트의 요약은 조금 부정확합니다. 논문이 적은 지침은 이렇습니다.
#
# - 풀링을 쓰지 않습니다. 판별자는 **보폭(stride) 있는 합성곱** 으로 크기를 줄이고, 생성자는 **분수 보폭 합성곱(fractionally-strided convolution)**,
#   곧 **전치 합성곱(transposed convolution)** 으로 크기를 키웁니다.
# - 깊은 구조에서는 완전 연결 은닉층을 없앱니다.
# - **배치 정규화(batch normalization)** 를 생성자와 판별자 모두에 쓰되, **생성자의 출력층과 판별자의 입력층에는 쓰지 않습니다** (모든 층에 넣으면 표본이 진동하고 학습이 불안정했다고 논문은 말합니다).
# - 생성자는 출력층만 **tanh**, 나머지 층은 **ReLU** 를 씁니다. **LeakyReLU** 는 판별자의 모든 층에 씁니다. 강의 노트의 "ReLU 대신 LeakyReLU"는 판별자의 이야기입니다.
#
# 스칼라 엔진에서는 합성곱 층의 출력 하나하나가 노드라서, 이 노트북의 1분 안에 DCGAN의 게임을 충분히 돌리기 어렵습니다. 그래서 DCGAN은 **14b 노트북** 에서
# `nn.ConvTranspose2d`와 컴파일 모드로 8×8 손글씨 숫자에 실제로 학습하고, 오토인코더(VAE)가 만든 그림과 나란히 비교합니다.
#
# **실행하기 전에 예측해 보세요.** 14b 노트북을 실행하기 전에: 같은 손글씨 숫자에서 GAN이 만든 그림과 VAE가 만든 그림 중 어느 쪽이 더 흐릴까요?
