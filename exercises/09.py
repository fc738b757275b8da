# %% [markdown]
# ## 연습 문제
#
# 분류(classification)에 쓴 두 손실을 엔진의 `Value`로 씁니다. 확인 칸은 값과 기울기를 `micrograd_ko.losses`와 견주어 봅니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 09.1: 힌지 손실(hinge loss)
#
# 점수 `scores`(`Value`)와 레이블 `labels`(−1 또는 +1)로 $\frac{1}{n}\sum_i \max(0, 1 - y_i s_i)$를 쓰세요. $\max(0, u)$는 `u.relu()`입니다.

# %% exercise="09.1"
def hinge(scores, labels):
    ### BEGIN SOLUTION
    margins = [(1 - y * s).relu() for s, y in zip(scores, labels)]
    return Value.sum(margins) / len(margins)
    ### END SOLUTION


# %% exercise="09.1" wrong="여유(margin) 1을 빠뜨림: max(0, −y·s)"
def hinge(scores, labels):
    ### BEGIN SOLUTION
    margins = [(-y * s).relu() for s, y in zip(scores, labels)]
    return Value.sum(margins) / len(margins)
    ### END SOLUTION


# %% exercise="09.1" wrong="평균 대신 합"
def hinge(scores, labels):
    ### BEGIN SOLUTION
    margins = [(1 - y * s).relu() for s, y in zip(scores, labels)]
    return Value.sum(margins)
    ### END SOLUTION


# %%
check("09.1", hinge)

# %% [markdown]
# ### 연습 09.2: 소프트맥스 교차 엔트로피
#
# 로짓 `logits`(`Value`)와 정답 클래스 번호 `k`로 $-\log \text{softmax}(z)_k = \log\sum_j e^{z_j - m} + m - z_k$를 쓰세요($m$은 가장 큰 로짓의 값).
# $m$을 빼지 않으면 로짓이 1000일 때 $e^{1000}$이 넘칩니다.

# %% exercise="09.2"
def softmax_cross_entropy(logits, k):
    ### BEGIN SOLUTION
    m = max(z.data for z in logits)
    total = Value.sum([(z - m).exp() for z in logits])
    return total.log() + m - logits[k]
    ### END SOLUTION


# %% exercise="09.2" wrong="가장 큰 로짓을 빼지 않음 (넘침)"
def softmax_cross_entropy(logits, k):
    ### BEGIN SOLUTION
    total = Value.sum([z.exp() for z in logits])
    return total.log() - logits[k]
    ### END SOLUTION


# %% exercise="09.2" wrong="부호가 뒤집힘 (log softmax 그대로)"
def softmax_cross_entropy(logits, k):
    ### BEGIN SOLUTION
    m = max(z.data for z in logits)
    total = Value.sum([(z - m).exp() for z in logits])
    return logits[k] - m - total.log()
    ### END SOLUTION


# %%
check("09.2", softmax_cross_entropy)

# %%
progress("09")
