# %% [markdown]
# ## 연습 문제
#
# 경사 하강법(gradient descent)의 한 걸음과, 그 걸음을 되풀이하는 반복문을 직접 씁니다.
# 확인 칸은 여러분의 결과를 `micrograd_ko.optim.SGD`가 같은 입력에서 내는 결과와 견주어 봅니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 04.1: 한 걸음
#
# 매개변수마다 `grad`가 이미 계산되어 있습니다. 학습률(learning rate) `lr`만큼 기울기의 반대 방향으로 `data`를 옮기세요.

# %% exercise="04.1"
def sgd_step(params, lr):
    ### BEGIN SOLUTION
    for p in params:
        p.data -= lr * p.grad
    ### END SOLUTION


# %% exercise="04.1" wrong="기울기 방향으로 올라감 (부호가 뒤집힘)"
def sgd_step(params, lr):
    ### BEGIN SOLUTION
    for p in params:
        p.data += lr * p.grad
    ### END SOLUTION


# %% exercise="04.1" wrong="학습률을 곱하지 않음"
def sgd_step(params, lr):
    ### BEGIN SOLUTION
    for p in params:
        p.data -= p.grad
    ### END SOLUTION


# %%
check("04.1", sgd_step)

# %% [markdown]
# ### 연습 04.2: 되풀이하기
#
# `f`는 `Value`를 받아 손실 `Value`를 돌려주는 함수입니다. `x = Value(x0)` 하나를 `steps`번 옮기며,
# 처음 값을 포함한 `x.data`의 목록(길이 `steps + 1`)을 돌려주세요. 같은 `x`를 계속 쓰므로 `backward()` 전에 무엇을 해야 할까요?

# %% exercise="04.2"
def gradient_descent(f, x0, lr, steps):
    x = Value(x0)
    trajectory = [x.data]
    for _ in range(steps):
        ### BEGIN SOLUTION
        x.grad = 0.0
        f(x).backward()
        x.data -= lr * x.grad
        ### END SOLUTION
        trajectory.append(x.data)
    return trajectory


# %% exercise="04.2" wrong="기울기를 지우지 않음 (걸음마다 쌓임)"
def gradient_descent(f, x0, lr, steps):
    x = Value(x0)
    trajectory = [x.data]
    for _ in range(steps):
        ### BEGIN SOLUTION
        f(x).backward()
        x.data -= lr * x.grad
        ### END SOLUTION
        trajectory.append(x.data)
    return trajectory


# %%
check("04.2", gradient_descent)

# %%
progress("04")
