# %% [markdown]
# ## 연습 문제
#
# 기울기를 다루는 두 조각을 직접 씁니다: 전체 노름으로 기울기 자르기, 그리고 RNN 한 단계가 기울기에 곱하는 야코비안입니다.
# 확인 칸은 `nn.clip_grad_norm_`, 그리고 엔진의 `backward()`가 `nn.RNNCell` 한 단계에서 실제로 낸 기울기와 견주어 봅니다.

# %%
import math

import numpy as np

from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 12b.1: 전체 노름으로 기울기 자르기
#
# `params`는 `Value`의 목록이고 각자의 `.grad`에 기울기가 들어 있습니다. 모든 기울기를 벡터 하나 $g$로 보고 그 길이
# $\lVert g \rVert = \sqrt{\sum_i g_i^2}$를 잰 뒤, $\lVert g \rVert$가 `max_norm`보다 클 때만 모든 `.grad`에
# $\texttt{max\_norm} / (\lVert g \rVert + 10^{-6})$을 곱하세요. **자르기 전의** 노름을 돌려줍니다(`nn.clip_grad_norm_`과 같게).

# %% exercise="12b.1"
def clip_grad_norm(params, max_norm):
    ### BEGIN SOLUTION
    total = math.sqrt(sum(p.grad**2 for p in params))
    if total > max_norm:
        for p in params:
            p.grad *= max_norm / (total + 1e-6)
    return total
    ### END SOLUTION


# %% exercise="12b.1" wrong="기울기마다 따로 자름 (|g_i| ≤ max_norm)"
def clip_grad_norm(params, max_norm):
    ### BEGIN SOLUTION
    total = math.sqrt(sum(p.grad**2 for p in params))
    for p in params:
        p.grad = max(-max_norm, min(max_norm, p.grad))
    return total
    ### END SOLUTION


# %% exercise="12b.1" wrong="노름을 돌려주지 않음"
def clip_grad_norm(params, max_norm):
    ### BEGIN SOLUTION
    total = math.sqrt(sum(p.grad**2 for p in params))
    if total > max_norm:
        for p in params:
            p.grad *= max_norm / (total + 1e-6)
    ### END SOLUTION


# %% exercise="12b.1" wrong="max_norm보다 작을 때도 늘려 맞춤"
def clip_grad_norm(params, max_norm):
    ### BEGIN SOLUTION
    total = math.sqrt(sum(p.grad**2 for p in params))
    for p in params:
        p.grad *= max_norm / (total + 1e-6)
    return total
    ### END SOLUTION


# %%
check("12b.1", clip_grad_norm)

# %% [markdown]
# ### 연습 12b.2: 한 단계의 야코비안
#
# RNN 한 단계 $h_t = \tanh(W_{ih} x_t + W_{hh} h_{t-1} + b)$에서 $\partial h_t / \partial h_{t-1} = \mathrm{diag}(1 - h_t^2)\, W_{hh}$입니다.
# 새 은닉 상태 `h_new`($h_t$, numpy 배열)와 되먹임 가중치 `W_hh`로 이 행렬을 numpy 배열로 돌려주세요:
# `J[i][j]` $= \partial h_t[i] / \partial h_{t-1}[j]$. 앞쪽 단계로 가는 기울기는 단계마다 이 행렬이 곱해집니다.

# %% exercise="12b.2"
def step_jacobian(h_new, W_hh):
    ### BEGIN SOLUTION
    return np.diag(1 - h_new**2) @ W_hh
    ### END SOLUTION


# %% exercise="12b.2" wrong="tanh의 미분을 빠뜨림 (W_hh만)"
def step_jacobian(h_new, W_hh):
    ### BEGIN SOLUTION
    return W_hh
    ### END SOLUTION


# %% exercise="12b.2" wrong="diag를 오른쪽에 곱함 (행 대신 열을 곱함)"
def step_jacobian(h_new, W_hh):
    ### BEGIN SOLUTION
    return W_hh @ np.diag(1 - h_new**2)
    ### END SOLUTION


# %% exercise="12b.2" wrong="1 − h로 씀 (제곱을 빠뜨림)"
def step_jacobian(h_new, W_hh):
    ### BEGIN SOLUTION
    return np.diag(1 - h_new) @ W_hh
    ### END SOLUTION


# %%
check("12b.2", step_jacobian)

# %%
progress("12b")
