# %% [markdown]
# ## 연습 문제
#
# 가중치 초기화(weight initialisation)의 크기와 배치 정규화(batch normalization)의 순전파를 직접 씁니다.
# 확인 칸은 `nn.init`이 실제로 뽑은 가중치의 표준편차, 그리고 같은 γ, β를 넣은 `nn.BatchNorm1d`와 견주어 봅니다.

# %%
import math

from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 10b.1: Xavier와 He 초기화의 표준편차
#
# `kind`가 `"xavier"`이면 $\sqrt{2 / (\text{fan\_in} + \text{fan\_out})}$, `"he"`이면 $\sqrt{2 / \text{fan\_in}}$을 돌려주세요.

# %% exercise="10b.1"
def init_std(kind, fan_in, fan_out):
    ### BEGIN SOLUTION
    if kind == "xavier":
        return math.sqrt(2 / (fan_in + fan_out))
    return math.sqrt(2 / fan_in)
    ### END SOLUTION


# %% exercise="10b.1" wrong="He에서 2를 빠뜨림 (ReLU가 지운 절반을 메우지 않음)"
def init_std(kind, fan_in, fan_out):
    ### BEGIN SOLUTION
    if kind == "xavier":
        return math.sqrt(2 / (fan_in + fan_out))
    return math.sqrt(1 / fan_in)
    ### END SOLUTION


# %% exercise="10b.1" wrong="제곱근을 하지 않음 (분산을 표준편차로 씀)"
def init_std(kind, fan_in, fan_out):
    ### BEGIN SOLUTION
    if kind == "xavier":
        return 2 / (fan_in + fan_out)
    return 2 / fan_in
    ### END SOLUTION


# %%
check("10b.1", init_std)

# %% [markdown]
# ### 연습 10b.2: 배치 정규화의 순전파
#
# `batch`는 샘플(행)의 목록입니다. 특성(열) $j$마다 배치 안의 평균 $\mu_j$와 **n으로 나눈** 분산 $\sigma_j^2$을 구해
# $y = \gamma_j (x - \mu_j) / \sqrt{\sigma_j^2 + \epsilon} + \beta_j$를 계산하고, 같은 모양의 목록을 돌려주세요(학습 모드).

# %% exercise="10b.2"
def batch_norm(batch, gamma, beta, eps):
    n, features = len(batch), len(batch[0])
    out = [[0.0] * features for _ in range(n)]
    for j in range(features):
        column = [sample[j] for sample in batch]
        ### BEGIN SOLUTION
        mean = sum(column) / n
        variance = sum((x - mean) ** 2 for x in column) / n
        for i, x in enumerate(column):
            out[i][j] = gamma[j] * (x - mean) / math.sqrt(variance + eps) + beta[j]
        ### END SOLUTION
    return out


# %% exercise="10b.2" wrong="n − 1로 나눈 분산 (배치 정규화는 n으로 나눔)"
def batch_norm(batch, gamma, beta, eps):
    n, features = len(batch), len(batch[0])
    out = [[0.0] * features for _ in range(n)]
    for j in range(features):
        column = [sample[j] for sample in batch]
        ### BEGIN SOLUTION
        mean = sum(column) / n
        variance = sum((x - mean) ** 2 for x in column) / (n - 1)
        for i, x in enumerate(column):
            out[i][j] = gamma[j] * (x - mean) / math.sqrt(variance + eps) + beta[j]
        ### END SOLUTION
    return out


# %% exercise="10b.2" wrong="γ와 β를 적용하지 않음"
def batch_norm(batch, gamma, beta, eps):
    n, features = len(batch), len(batch[0])
    out = [[0.0] * features for _ in range(n)]
    for j in range(features):
        column = [sample[j] for sample in batch]
        ### BEGIN SOLUTION
        mean = sum(column) / n
        variance = sum((x - mean) ** 2 for x in column) / n
        for i, x in enumerate(column):
            out[i][j] = (x - mean) / math.sqrt(variance + eps)
        ### END SOLUTION
    return out


# %%
check("10b.2", batch_norm)

# %%
progress("10b")
