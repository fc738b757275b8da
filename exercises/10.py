# %% [markdown]
# ## 연습 문제
#
# 규제(regularization)의 두 가지 도구를 직접 씁니다: 드롭아웃(dropout)의 배율과 L2 규제 항입니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 10.1: 드롭아웃의 배율
#
# `keep[i]`가 1이면 `xs[i]`를 남기고 0이면 지웁니다(0을 곱함). 학습 중(`training=True`)에는 남긴 값을 $1/(1-p)$배 해서
# 출력의 기댓값이 입력과 같게 하고(inverted dropout), 평가 중에는 입력을 그대로 돌려주세요.

# %% exercise="10.1"
def dropout(xs, p, keep, training):
    if not training:
        return xs
    ### BEGIN SOLUTION
    return [x * (k / (1 - p)) for x, k in zip(xs, keep)]
    ### END SOLUTION


# %% exercise="10.1" wrong="1/(1 − p) 대신 (1 − p)를 곱함"
def dropout(xs, p, keep, training):
    if not training:
        return xs
    ### BEGIN SOLUTION
    return [x * (k * (1 - p)) for x, k in zip(xs, keep)]
    ### END SOLUTION


# %% exercise="10.1" wrong="배율을 곱하지 않음"
def dropout(xs, p, keep, training):
    if not training:
        return xs
    ### BEGIN SOLUTION
    return [x * k for x, k in zip(xs, keep)]
    ### END SOLUTION


# %%
check("10.1", dropout)

# %% [markdown]
# ### 연습 10.2: L2 규제 항
#
# 매개변수 목록 `params`와 계수 `lam`으로 $\lambda \sum_i w_i^2$을 `Value`로 돌려주세요.

# %% exercise="10.2"
def l2_penalty(params, lam):
    ### BEGIN SOLUTION
    return lam * Value.sum([w * w for w in params])
    ### END SOLUTION


# %% exercise="10.2" wrong="제곱 대신 절댓값 (L1)"
def l2_penalty(params, lam):
    ### BEGIN SOLUTION
    return lam * Value.sum([abs(w) for w in params])
    ### END SOLUTION


# %%
check("10.2", l2_penalty)

# %%
progress("10")
