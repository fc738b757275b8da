# %% [markdown]
# ## 연습 문제
#
# 오토인코더(autoencoder)의 순전파와 그 복원 손실을 직접 씁니다.

# %%
import numpy as np

from micrograd_ko import Value
from micrograd_ko.exercises import check, progress


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %% [markdown]
# ### 연습 13.1: 오토인코더의 순전파
#
# 인코더는 코드 $y = \sigma(W x + b)$를, 디코더는 복원 $z = \sigma(W_2 y + b_2)$를 만듭니다. numpy 배열로 $z$를 돌려주세요.

# %% exercise="13.1"
def autoencode(x, W, b, W2, b2):
    ### BEGIN SOLUTION
    code = sigmoid(W @ x + b)
    return sigmoid(W2 @ code + b2)
    ### END SOLUTION


# %% exercise="13.1" wrong="디코더에 W2 대신 인코더의 Wᵀ를 씀"
def autoencode(x, W, b, W2, b2):
    ### BEGIN SOLUTION
    code = sigmoid(W @ x + b)
    return sigmoid(W.T @ code + b2)
    ### END SOLUTION


# %% exercise="13.1" wrong="코드에 시그모이드를 적용하지 않음"
def autoencode(x, W, b, W2, b2):
    ### BEGIN SOLUTION
    code = W @ x + b
    return sigmoid(W2 @ code + b2)
    ### END SOLUTION


# %%
check("13.1", autoencode)

# %% [markdown]
# ### 연습 13.2: 복원 손실
#
# 픽셀마다의 복원 확률 `probs`(`Value`)와 원래 픽셀 `targets`(0 또는 1)로 이진 교차 엔트로피
# $-\frac{1}{n}\sum_i [t_i \log(p_i + 10^{-7}) + (1 - t_i)\log(1 - p_i + 10^{-7})]$를 돌려주세요.

# %% exercise="13.2"
def binary_cross_entropy(probs, targets):
    ### BEGIN SOLUTION
    terms = [t * (p + 1e-7).log() + (1 - t) * (1 - p + 1e-7).log() for p, t in zip(probs, targets)]
    return -Value.sum(terms) / len(terms)
    ### END SOLUTION


# %% exercise="13.2" wrong="정답이 0인 픽셀의 항 (1 − t)·log(1 − p)를 빠뜨림"
def binary_cross_entropy(probs, targets):
    ### BEGIN SOLUTION
    terms = [t * (p + 1e-7).log() for p, t in zip(probs, targets)]
    return -Value.sum(terms) / len(terms)
    ### END SOLUTION


# %%
check("13.2", binary_cross_entropy)

# %%
progress("13")
