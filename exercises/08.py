# %% [markdown]
# ## 연습 문제
#
# 손으로 쓴 역전파의 두 조각을 numpy로 씁니다. 확인 칸은 같은 계산을 엔진의 `Value`로 하고 `backward()`가 준 기울기와 견주어 봅니다.

# %%
import numpy as np

from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 08.1: 시그모이드의 역전파
#
# 순전파에서 `out = sigmoid(x)`를 이미 계산했고, 위층에서 `grad_out` $= \partial L / \partial\,\text{out}$이 내려옵니다. $\partial L / \partial x$를 돌려주세요(배열의 원소마다).

# %% exercise="08.1"
def sigmoid_backward(out, grad_out):
    ### BEGIN SOLUTION
    return grad_out * out * (1 - out)
    ### END SOLUTION


# %% exercise="08.1" wrong="tanh의 도함수 (1 − out²)를 씀"
def sigmoid_backward(out, grad_out):
    ### BEGIN SOLUTION
    return grad_out * (1 - out**2)
    ### END SOLUTION


# %% exercise="08.1" wrong="위에서 온 grad_out을 곱하지 않음"
def sigmoid_backward(out, grad_out):
    ### BEGIN SOLUTION
    return out * (1 - out)
    ### END SOLUTION


# %%
check("08.1", sigmoid_backward)

# %% [markdown]
# ### 연습 08.2: 완전 연결층(fully connected layer)의 역전파
#
# $y = W x + b$ ($W$의 모양은 `(출력 수, 입력 수)`)에서 `grad_out` $= \partial L/\partial y$가 주어질 때 `(dW, db, dx)`를 돌려주세요.
# 각 기울기의 모양은 그 변수의 모양과 같습니다.

# %% exercise="08.2"
def dense_backward(x, W, grad_out):
    ### BEGIN SOLUTION
    dW = np.outer(grad_out, x)
    db = grad_out.copy()
    dx = W.T @ grad_out
    ### END SOLUTION
    return dW, db, dx


# %% exercise="08.2" wrong="dx에서 W를 전치하지 않음"
def dense_backward(x, W, grad_out):
    ### BEGIN SOLUTION
    dW = np.outer(grad_out, x)
    db = grad_out.copy()
    dx = W @ grad_out
    ### END SOLUTION
    return dW, db, dx


# %% exercise="08.2" wrong="dW를 outer(x, grad_out)으로 씀 (전치된 모양)"
def dense_backward(x, W, grad_out):
    ### BEGIN SOLUTION
    dW = np.outer(x, grad_out)
    db = grad_out.copy()
    dx = W.T @ grad_out
    ### END SOLUTION
    return dW, db, dx


# %%
check("08.2", dense_backward)

# %%
progress("08")
