# %% [markdown]
# ## 연습 문제
#
# 옵티마이저(optimizer) 두 개를 직접 씁니다. 둘 다 PyTorch와 같은 모양입니다: 매개변수 목록을 받아 만들고, `step()`이 `grad`를 읽어 `data`를 옮깁니다.
# 확인 칸은 같은 기울기를 넣었을 때 여러분의 옵티마이저가 `micrograd_ko.optim`의 것과 단계마다 같은 자리에 있는지 봅니다.

# %%
import math

from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 07.1: 모멘텀(momentum)
#
# 매개변수마다 속도 $v$(처음엔 0)를 두고, 한 단계에서 $v \leftarrow \mu v + g$로 속도를 고친 **다음** $p \leftarrow p - \eta v$로 움직입니다.

# %% exercise="07.1"
class Momentum:
    def __init__(self, params, lr, momentum):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.velocity = [0.0] * len(self.params)

    def step(self):
        for i, p in enumerate(self.params):
            ### BEGIN SOLUTION
            self.velocity[i] = self.momentum * self.velocity[i] + p.grad
            p.data -= self.lr * self.velocity[i]
            ### END SOLUTION


# %% exercise="07.1" wrong="기울기를 더하기 전의 속도로 먼저 움직임"
class Momentum:
    def __init__(self, params, lr, momentum):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.velocity = [0.0] * len(self.params)

    def step(self):
        for i, p in enumerate(self.params):
            ### BEGIN SOLUTION
            p.data -= self.lr * self.velocity[i]
            self.velocity[i] = self.momentum * self.velocity[i] + p.grad
            ### END SOLUTION


# %% exercise="07.1" wrong="속도를 저장하지 않음 (그냥 SGD)"
class Momentum:
    def __init__(self, params, lr, momentum):
        self.params, self.lr, self.momentum = list(params), lr, momentum
        self.velocity = [0.0] * len(self.params)

    def step(self):
        for i, p in enumerate(self.params):
            ### BEGIN SOLUTION
            velocity = self.momentum * self.velocity[i] + p.grad
            p.data -= self.lr * velocity
            ### END SOLUTION


# %%
check("07.1", Momentum)

# %% [markdown]
# ### 연습 07.2: 아담(Adam)
#
# $m \leftarrow \beta_1 m + (1-\beta_1) g$, $v \leftarrow \beta_2 v + (1-\beta_2) g^2$, 편향 보정(bias correction) $\hat m = m / (1-\beta_1^t)$, $\hat v = v / (1-\beta_2^t)$,
# 그리고 $p \leftarrow p - \eta \hat m / (\sqrt{\hat v} + \epsilon)$. $t$는 지금까지 부른 `step()`의 횟수입니다.

# %% exercise="07.2"
class Adam:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.eps = list(params), lr, eps
        self.beta1, self.beta2 = betas
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0

    def step(self):
        self.t += 1
        for i, p in enumerate(self.params):
            g = p.grad
            ### BEGIN SOLUTION
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            m_hat = self.m[i] / (1 - self.beta1**self.t)
            v_hat = self.v[i] / (1 - self.beta2**self.t)
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)
            ### END SOLUTION


# %% exercise="07.2" wrong="편향 보정을 빠뜨림"
class Adam:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.eps = list(params), lr, eps
        self.beta1, self.beta2 = betas
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0

    def step(self):
        self.t += 1
        for i, p in enumerate(self.params):
            g = p.grad
            ### BEGIN SOLUTION
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * g * g
            p.data -= self.lr * self.m[i] / (math.sqrt(self.v[i]) + self.eps)
            ### END SOLUTION


# %% exercise="07.2" wrong="v에 g² 대신 |g|를 평균함"
class Adam:
    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8):
        self.params, self.lr, self.eps = list(params), lr, eps
        self.beta1, self.beta2 = betas
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.t = 0

    def step(self):
        self.t += 1
        for i, p in enumerate(self.params):
            g = p.grad
            ### BEGIN SOLUTION
            self.m[i] = self.beta1 * self.m[i] + (1 - self.beta1) * g
            self.v[i] = self.beta2 * self.v[i] + (1 - self.beta2) * abs(g)
            m_hat = self.m[i] / (1 - self.beta1**self.t)
            v_hat = self.v[i] / (1 - self.beta2**self.t)
            p.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)
            ### END SOLUTION


# %%
check("07.2", Adam)

# %%
progress("07")
