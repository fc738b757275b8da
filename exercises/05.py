# %% [markdown]
# ## 연습 문제
#
# 퍼셉트론 학습 규칙에서 시작해, 뉴런 하나와 다층 퍼셉트론(MLP)의 순전파(forward pass)를 엔진의 `Value`로 씁니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 05.1: 퍼셉트론 학습 규칙
#
# 출력은 $y = 1$ ($\sum_i w_i x_i + b \ge 0$일 때), 아니면 $0$입니다. 새 가중치 $w_i + \eta (t - y) x_i$와 새 편향을 `(w, b)`로 돌려주세요.
# (여기서 `w`, `x`는 숫자의 목록입니다.)

# %% exercise="05.1"
def perceptron_update(w, b, x, target, lr):
    y = 1 if sum(wi * xi for wi, xi in zip(w, x)) + b >= 0 else 0
    ### BEGIN SOLUTION
    error = target - y
    new_w = [wi + lr * error * xi for wi, xi in zip(w, x)]
    new_b = b + lr * error
    ### END SOLUTION
    return new_w, new_b


# %% exercise="05.1" wrong="편향을 고치지 않음"
def perceptron_update(w, b, x, target, lr):
    y = 1 if sum(wi * xi for wi, xi in zip(w, x)) + b >= 0 else 0
    ### BEGIN SOLUTION
    error = target - y
    new_w = [wi + lr * error * xi for wi, xi in zip(w, x)]
    new_b = b
    ### END SOLUTION
    return new_w, new_b


# %% exercise="05.1" wrong="오차를 (출력 − 목표)로 씀"
def perceptron_update(w, b, x, target, lr):
    y = 1 if sum(wi * xi for wi, xi in zip(w, x)) + b >= 0 else 0
    ### BEGIN SOLUTION
    error = y - target
    new_w = [wi + lr * error * xi for wi, xi in zip(w, x)]
    new_b = b + lr * error
    ### END SOLUTION
    return new_w, new_b


# %%
check("05.1", perceptron_update)

# %% [markdown]
# ### 연습 05.2: 뉴런 하나
#
# 가중치 `ws`와 편향 `b`는 `Value`, 입력 `xs`는 숫자입니다. $\tanh(\sum_i w_i x_i + b)$를 돌려주세요.

# %% exercise="05.2"
def neuron(ws, b, xs):
    ### BEGIN SOLUTION
    total = b
    for w, x in zip(ws, xs):
        total = total + w * x
    return total.tanh()
    ### END SOLUTION


# %% exercise="05.2" wrong="편향을 빠뜨림"
def neuron(ws, b, xs):
    ### BEGIN SOLUTION
    total = Value(0.0)
    for w, x in zip(ws, xs):
        total = total + w * x
    return total.tanh()
    ### END SOLUTION


# %% exercise="05.2" wrong=".data로 계산해 그래프를 끊음 (값은 맞지만 기울기가 0)"
def neuron(ws, b, xs):
    ### BEGIN SOLUTION
    total = b.data
    for w, x in zip(ws, xs):
        total = total + w.data * x
    return Value(total).tanh()
    ### END SOLUTION


# %%
check("05.2", neuron)

# %% [markdown]
# ### 연습 05.3: 다층 퍼셉트론(MLP)
#
# `layers`는 층마다 `(W, b)`의 목록입니다. `W[j]`는 뉴런 `j`의 가중치 목록, `b[j]`는 그 편향입니다.
# 은닉층(hidden layer)은 tanh를 거치고, **마지막 층은 활성화 함수 없이** 가중합에 편향을 더한 값 그대로 내보냅니다. 출력 `Value`의 목록을 돌려주세요.

# %% exercise="05.3"
def mlp(layers, xs):
    h = list(xs)
    for index, (W, b) in enumerate(layers):
        last = index == len(layers) - 1
        ### BEGIN SOLUTION
        outs = [Value.dot(row, h, bias) for row, bias in zip(W, b)]
        h = outs if last else [o.tanh() for o in outs]
        ### END SOLUTION
    return h


# %% exercise="05.3" wrong="마지막 층에도 tanh를 적용함"
def mlp(layers, xs):
    h = list(xs)
    for index, (W, b) in enumerate(layers):
        last = index == len(layers) - 1
        ### BEGIN SOLUTION
        outs = [Value.dot(row, h, bias) for row, bias in zip(W, b)]
        h = [o.tanh() for o in outs]
        ### END SOLUTION
    return h


# %% exercise="05.3" wrong="다음 층에 원래 입력 xs를 다시 넣음"
def mlp(layers, xs):
    h = list(xs)
    for index, (W, b) in enumerate(layers):
        last = index == len(layers) - 1
        ### BEGIN SOLUTION
        outs = [Value.dot(row, xs if index else h, bias) for row, bias in zip(W, b)]
        h = outs if last else [o.tanh() for o in outs]
        ### END SOLUTION
    return h


# %%
check("05.3", mlp)

# %%
progress("05")
