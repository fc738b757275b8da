# %% [markdown]
# ## 연습 문제
#
# 집값 예제에서 쓴 두 가지 도구를 직접 씁니다: 입력을 표준화(standardization)하는 함수와, 은닉 뉴런이 어떤 특성에 반응하는지 잰 상관계수(correlation coefficient)입니다.
# 여기서는 numpy 없이 파이썬 목록과 `math`만 씁니다.

# %%
import math

from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 06.1: 표준화
#
# 숫자 목록 `column`을 $(x - \mu) / \sigma$의 목록으로 바꾸세요. $\mu$는 평균, $\sigma$는 **n으로 나눈** 분산의 제곱근(모표준편차)입니다.

# %% exercise="06.1"
def standardize(column):
    n = len(column)
    ### BEGIN SOLUTION
    mean = sum(column) / n
    std = math.sqrt(sum((x - mean) ** 2 for x in column) / n)
    return [(x - mean) / std for x in column]
    ### END SOLUTION


# %% exercise="06.1" wrong="n − 1로 나눈 표본 표준편차"
def standardize(column):
    n = len(column)
    ### BEGIN SOLUTION
    mean = sum(column) / n
    std = math.sqrt(sum((x - mean) ** 2 for x in column) / (n - 1))
    return [(x - mean) / std for x in column]
    ### END SOLUTION


# %% exercise="06.1" wrong="표준편차 대신 분산으로 나눔"
def standardize(column):
    n = len(column)
    ### BEGIN SOLUTION
    mean = sum(column) / n
    variance = sum((x - mean) ** 2 for x in column) / n
    return [(x - mean) / variance for x in column]
    ### END SOLUTION


# %%
check("06.1", standardize)

# %% [markdown]
# ### 연습 06.2: 상관계수
#
# 두 목록의 피어슨 상관계수 $r = \frac{\sum_i (a_i - \bar a)(b_i - \bar b)}{\sqrt{\sum_i (a_i - \bar a)^2}\sqrt{\sum_i (b_i - \bar b)^2}}$를 쓰세요.

# %% exercise="06.2"
def correlation(a, b):
    ### BEGIN SOLUTION
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return cov / math.sqrt(sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b))
    ### END SOLUTION


# %% exercise="06.2" wrong="표준편차로 나누지 않은 공분산"
def correlation(a, b):
    ### BEGIN SOLUTION
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    return sum((x - ma) * (y - mb) for x, y in zip(a, b)) / len(a)
    ### END SOLUTION


# %% exercise="06.2" wrong="평균을 빼지 않음"
def correlation(a, b):
    ### BEGIN SOLUTION
    cov = sum(x * y for x, y in zip(a, b))
    return cov / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    ### END SOLUTION


# %%
check("06.2", correlation)

# %%
progress("06")
