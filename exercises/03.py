# %% [markdown]
# ## 연습 문제
#
# 손실 함수(loss function)를 엔진의 연산으로 직접 써 봅니다. `Value`끼리의 `+ - * /`와 `.log()`, `.exp()`를 쓰면 역전파는 엔진이 맡습니다.
# 확인 칸은 값뿐 아니라 출력마다의 기울기(gradient)도 `micrograd_ko.losses`와 견주어 봅니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 03.1: 평균제곱오차(MSE)
#
# $\text{MSE} = \frac{1}{n}\sum_i (y_i - t_i)^2$를 쓰세요. `outputs`는 `Value`의 목록, `targets`는 숫자의 목록입니다.

# %% exercise="03.1"
def mse(outputs, targets):
    ### BEGIN SOLUTION
    total = Value(0.0)
    for y, t in zip(outputs, targets):
        total = total + (y - t) ** 2
    return total / len(outputs)
    ### END SOLUTION


# %% exercise="03.1" wrong="평균 대신 합"
def mse(outputs, targets):
    ### BEGIN SOLUTION
    total = Value(0.0)
    for y, t in zip(outputs, targets):
        total = total + (y - t) ** 2
    return total
    ### END SOLUTION


# %% exercise="03.1" wrong="n 대신 2로 나눔 (½이 붙은 오차제곱합과 헷갈림)"
def mse(outputs, targets):
    ### BEGIN SOLUTION
    total = Value(0.0)
    for y, t in zip(outputs, targets):
        total = total + (y - t) ** 2
    return total / 2
    ### END SOLUTION


# %%
check("03.1", mse)

# %% [markdown]
# ### 연습 03.2: 교차 엔트로피(cross-entropy)
#
# 확률 `probs`(`Value`의 목록)와 원-핫(one-hot) 정답 `onehot`으로 $-\sum_i t_i \log(p_i + 10^{-7})$을 쓰세요.
# $10^{-7}$은 확률이 정확히 0일 때 $\log 0$을 피하려고 더합니다.

# %% exercise="03.2"
def cross_entropy(probs, onehot):
    ### BEGIN SOLUTION
    total = Value(0.0)
    for p, t in zip(probs, onehot):
        total = total + t * (p + 1e-7).log()
    return -total
    ### END SOLUTION


# %% exercise="03.2" wrong="앞의 음수 부호를 빠뜨림"
def cross_entropy(probs, onehot):
    ### BEGIN SOLUTION
    total = Value(0.0)
    for p, t in zip(probs, onehot):
        total = total + t * (p + 1e-7).log()
    return total
    ### END SOLUTION


# %% exercise="03.2" wrong="1e-7 없이 log(p) (확률 0에서 log 0)"
def cross_entropy(probs, onehot):
    ### BEGIN SOLUTION
    total = Value(0.0)
    for p, t in zip(probs, onehot):
        total = total + t * p.log()
    return -total
    ### END SOLUTION


# %%
check("03.2", cross_entropy)

# %% [markdown]
# ### 연습 03.3: 넘치지 않는 소프트맥스(softmax)
#
# $\text{softmax}(z)_i = e^{z_i} / \sum_j e^{z_j}$의 목록을 돌려주세요. 로짓이 1000이면 $e^{1000}$은 float로 나타낼 수 없습니다.
# 모든 로짓에서 가장 큰 값 $m$을 빼도($e^{z_i - m} / \sum_j e^{z_j - m}$) 답은 같고, 이제 넘치지 않습니다.

# %% exercise="03.3"
def softmax(logits):
    ### BEGIN SOLUTION
    largest = max(z.data for z in logits)
    exps = [(z - largest).exp() for z in logits]
    total = Value.sum(exps)
    return [e / total for e in exps]
    ### END SOLUTION


# %% exercise="03.3" wrong="가장 큰 로짓을 빼지 않음 (큰 로짓에서 넘침)"
def softmax(logits):
    ### BEGIN SOLUTION
    exps = [z.exp() for z in logits]
    total = Value.sum(exps)
    return [e / total for e in exps]
    ### END SOLUTION


# %% exercise="03.3" wrong="합이 아니라 가장 큰 값으로 나눔"
def softmax(logits):
    ### BEGIN SOLUTION
    largest = max(z.data for z in logits)
    exps = [(z - largest).exp() for z in logits]
    return [e / 1.0 for e in exps]
    ### END SOLUTION


# %%
check("03.3", softmax)

# %%
progress("03")
