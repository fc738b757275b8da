# %% [markdown]
# ## 연습 문제
#
# 놀이터가 학습할 때 하는 계산 두 가지를 직접 씁니다: 점 하나의 로지스틱 손실, 그리고 간선 위에 뜨는 갱신량 $\Delta w$입니다.
# 확인 칸은 엔진의 `backward()`와 유한 차분, 그리고 `optim.SGD`가 실제로 움직인 거리와 견주어 봅니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 16.1: 점 하나의 로지스틱 손실
#
# `score`는 모델의 출력 점수 $s$(`Value`), `label`은 점의 라벨 $y = \pm 1$입니다. 놀이터의 손실 $\log(1 + e^{-y \cdot s})$를
# `Value`로 돌려주세요. `Value`의 `.softplus()`는 $\log(1 + e^a)$입니다. 기울기가 `score`까지 흘러야 합니다.

# %% exercise="16.1"
def point_loss(score, label):
    ### BEGIN SOLUTION
    return (-(label * score)).softplus()
    ### END SOLUTION


# %% exercise="16.1" wrong="부호를 빠뜨림 (log(1 + e^{y·s}))"
def point_loss(score, label):
    ### BEGIN SOLUTION
    return (label * score).softplus()
    ### END SOLUTION


# %% exercise="16.1" wrong="라벨을 곱하지 않음"
def point_loss(score, label):
    ### BEGIN SOLUTION
    return (-score).softplus()
    ### END SOLUTION


# %%
check("16.1", point_loss)

# %% [markdown]
# ### 연습 16.2: 간선 하나의 갱신량
#
# 가중치 `w`의 간선에서, 데이터 손실의 기울기가 `grad` $= \partial L_\text{데이터} / \partial w$이고 L2 계수가 `l2` $= \lambda$이면
# 학습이 줄이는 손실은 $L_\text{데이터} + \lambda \sum w^2$입니다. 학습률 `lr` $= \eta$인 SGD 한 걸음의 갱신량
# $\Delta w = -\eta\,\partial L / \partial w$를 숫자로 돌려주세요. L2 항이 $w$에 주는 기울기도 들어가야 합니다.

# %% exercise="16.2"
def edge_update(w, grad, lr, l2):
    ### BEGIN SOLUTION
    return -lr * (grad + 2 * l2 * w)
    ### END SOLUTION


# %% exercise="16.2" wrong="L2 항의 기울기에서 2를 빠뜨림 (λw)"
def edge_update(w, grad, lr, l2):
    ### BEGIN SOLUTION
    return -lr * (grad + l2 * w)
    ### END SOLUTION


# %% exercise="16.2" wrong="기울기를 따라 올라감 (+η)"
def edge_update(w, grad, lr, l2):
    ### BEGIN SOLUTION
    return lr * (grad + 2 * l2 * w)
    ### END SOLUTION


# %% exercise="16.2" wrong="L2 항을 빠뜨림"
def edge_update(w, grad, lr, l2):
    ### BEGIN SOLUTION
    return -lr * grad
    ### END SOLUTION


# %%
check("16.2", edge_update)

# %%
progress("16")
