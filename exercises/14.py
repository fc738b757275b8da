# %% [markdown]
# ## 연습 문제
#
# GAN의 두 손실을 판별자의 로짓 $s$로 씁니다($D = \sigma(s)$). $-\log \sigma(s) = \text{softplus}(-s)$이고
# $-\log(1 - \sigma(s)) = \text{softplus}(s)$이므로, `Value`의 `.softplus()`를 쓰면 $D$가 0이나 1에 가까워도 넘치지 않습니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 14.1: 판별자의 손실
#
# 판별자는 $V(D, G) = \mathbb{E}[\log D(x)] + \mathbb{E}[\log(1 - D(G(z)))]$를 키우므로, 줄일 손실은 $-V$입니다:
# 진짜 로짓의 $-\log \sigma(s)$의 평균과 가짜 로짓의 $-\log(1 - \sigma(s))$의 평균을 더하세요.

# %% exercise="14.1"
def discriminator_loss(real_logits, fake_logits):
    ### BEGIN SOLUTION
    real = Value.sum([(-s).softplus() for s in real_logits]) / len(real_logits)
    fake = Value.sum([s.softplus() for s in fake_logits]) / len(fake_logits)
    return real + fake
    ### END SOLUTION


# %% exercise="14.1" wrong="진짜와 가짜를 바꿈"
def discriminator_loss(real_logits, fake_logits):
    ### BEGIN SOLUTION
    real = Value.sum([s.softplus() for s in real_logits]) / len(real_logits)
    fake = Value.sum([(-s).softplus() for s in fake_logits]) / len(fake_logits)
    return real + fake
    ### END SOLUTION


# %%
check("14.1", discriminator_loss)

# %% [markdown]
# ### 연습 14.2: 생성자의 손실
#
# 생성자가 $\log(1 - D(G(z)))$를 줄이면, 학습 초반 판별자가 가짜를 확신할 때($s \ll 0$) 기울기가 사라집니다(포화).
# 대신 포화하지 않는(non-saturating) 손실 $-\log D(G(z))$, 곧 가짜 로짓의 $\text{softplus}(-s)$의 평균을 돌려주세요.

# %% exercise="14.2"
def generator_loss(fake_logits):
    ### BEGIN SOLUTION
    return Value.sum([(-s).softplus() for s in fake_logits]) / len(fake_logits)
    ### END SOLUTION


# %% exercise="14.2" wrong="포화하는 minimax 형태 log(1 − D(G(z)))"
def generator_loss(fake_logits):
    ### BEGIN SOLUTION
    return -Value.sum([s.softplus() for s in fake_logits]) / len(fake_logits)
    ### END SOLUTION


# %%
check("14.2", generator_loss)

# %%
progress("14")
