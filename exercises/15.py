# %% [markdown]
# ## 연습 문제
#
# 컴파일 모드가 하는 일을 numpy로 직접 해 봅니다: 샘플마다 따로 하던 계산을 배치 전체의 행렬 곱 하나로 바꿉니다.

# %%
import numpy as np

from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 15.1: 배치 전체의 선형층
#
# `X`의 각 행이 샘플 하나이고, `W`의 모양은 `(출력 수, 입력 수)`, `b`의 길이는 출력 수입니다. 샘플마다의 $W x + b$를 한 번에 계산해
# 모양 `(샘플 수, 출력 수)`의 배열을 돌려주세요.

# %% exercise="15.1"
def batched_linear(X, W, b):
    ### BEGIN SOLUTION
    return X @ W.T + b
    ### END SOLUTION


# %% exercise="15.1" wrong="W를 전치하지 않음"
def batched_linear(X, W, b):
    ### BEGIN SOLUTION
    return X @ W + b
    ### END SOLUTION


# %% exercise="15.1" wrong="편향을 빠뜨림"
def batched_linear(X, W, b):
    ### BEGIN SOLUTION
    return X @ W.T
    ### END SOLUTION


# %%
check("15.1", batched_linear)

# %% [markdown]
# ### 연습 15.2: im2col
#
# 그림 `image`(모양 `(채널, 높이, 너비)`)에서 $k \times k$ 패치를 모두 꺼내 한 행씩 쌓으세요(보폭 1, 패딩 없음).
# 행의 순서는 출력 위치의 (행, 열) 순서, 한 행 안은 `image[:, r:r+k, c:c+k].ravel()`의 순서입니다.
# 그러면 합성곱이 행렬 곱 하나 `im2col(image, k) @ weight.ravel()`가 됩니다.

# %% exercise="15.2"
def im2col(image, k):
    channels, height, width = image.shape
    rows = []
    ### BEGIN SOLUTION
    for r in range(height - k + 1):
        for c in range(width - k + 1):
            rows.append(image[:, r : r + k, c : c + k].ravel())
    ### END SOLUTION
    return np.array(rows)


# %% exercise="15.2" wrong="패치를 [행][열][채널] 순서로 폄"
def im2col(image, k):
    channels, height, width = image.shape
    rows = []
    ### BEGIN SOLUTION
    for r in range(height - k + 1):
        for c in range(width - k + 1):
            rows.append(image[:, r : r + k, c : c + k].transpose(1, 2, 0).ravel())
    ### END SOLUTION
    return np.array(rows)


# %% exercise="15.2" wrong="마지막 위치를 빠뜨림 (range(height − k))"
def im2col(image, k):
    channels, height, width = image.shape
    rows = []
    ### BEGIN SOLUTION
    for r in range(height - k):
        for c in range(width - k):
            rows.append(image[:, r : r + k, c : c + k].ravel())
    ### END SOLUTION
    return np.array(rows)


# %%
check("15.2", im2col)

# %%
progress("15")
