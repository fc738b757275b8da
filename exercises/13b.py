# %% [markdown]
# ## 연습 문제
#
# VAE의 손실을 이루는 두 조각을 `Value`로 직접 씁니다: 재매개변수화한 코드 $z$, 그리고 KL 항의 닫힌 꼴입니다.
# 확인 칸은 값과 함께, 엔진의 `backward()`가 $\mu$와 $\log\sigma^2$에 준 기울기를 유한 차분과 견주어 봅니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 13b.1: 재매개변수화
#
# `mu`와 `log_var`는 `Value`, `eps`는 표준정규분포에서 미리 뽑은 숫자입니다. $\sigma = e^{\frac12 \log\sigma^2}$로
# $z = \mu + \sigma\,\varepsilon$을 `Value`로 돌려주세요. 기울기가 $\mu$와 $\log\sigma^2$까지 흘러야 합니다.

# %% exercise="13b.1"
def reparameterize(mu, log_var, eps):
    ### BEGIN SOLUTION
    return mu + (0.5 * log_var).exp() * eps
    ### END SOLUTION


# %% exercise="13b.1" wrong="σ 대신 σ²을 곱함 (½을 빠뜨림)"
def reparameterize(mu, log_var, eps):
    ### BEGIN SOLUTION
    return mu + log_var.exp() * eps
    ### END SOLUTION


# %% exercise="13b.1" wrong="뽑은 z를 숫자로 만듦 (기울기가 끊김)"
def reparameterize(mu, log_var, eps):
    ### BEGIN SOLUTION
    return Value(mu.data + (0.5 * log_var).exp().data * eps)
    ### END SOLUTION


# %%
check("13b.1", reparameterize)

# %% [markdown]
# ### 연습 13b.2: KL 항의 닫힌 꼴
#
# `mus`와 `log_vars`는 코드의 차원마다 하나씩인 `Value`의 목록입니다.
# $\mathrm{KL}\big(\mathcal{N}(\mu, \sigma^2) \,\|\, \mathcal{N}(0, 1)\big) = \tfrac12 \sum_j \big(\mu_j^2 + \sigma_j^2 - \log\sigma_j^2 - 1\big)$을
# `Value` 하나로 돌려주세요. $\sigma_j^2 = e^{\log\sigma_j^2}$입니다.

# %% exercise="13b.2"
def kl_divergence(mus, log_vars):
    ### BEGIN SOLUTION
    return 0.5 * Value.sum([m * m + lv.exp() - lv - 1 for m, lv in zip(mus, log_vars)])
    ### END SOLUTION


# %% exercise="13b.2" wrong="부호를 뒤집음"
def kl_divergence(mus, log_vars):
    ### BEGIN SOLUTION
    return -0.5 * Value.sum([m * m + lv.exp() - lv - 1 for m, lv in zip(mus, log_vars)])
    ### END SOLUTION


# %% exercise="13b.2" wrong="−1을 빠뜨림"
def kl_divergence(mus, log_vars):
    ### BEGIN SOLUTION
    return 0.5 * Value.sum([m * m + lv.exp() - lv for m, lv in zip(mus, log_vars)])
    ### END SOLUTION


# %% exercise="13b.2" wrong="σ² 대신 σ를 씀"
def kl_divergence(mus, log_vars):
    ### BEGIN SOLUTION
    return 0.5 * Value.sum([m * m + (0.5 * lv).exp() - lv - 1 for m, lv in zip(mus, log_vars)])
    ### END SOLUTION


# %%
check("13b.2", kl_divergence)

# %%
progress("13b")
