# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03. 손실 함수
#
# 신경망이 내놓은 값과 정답이 얼마나 다른지를 숫자 하나로 나타내는 함수가 **손실 함수(loss function)** 입니다. 오차 함수, **비용 함수(cost function)** 라고도 부릅니다.
# 손실이 클수록 신경망이 이상적인 상태에서 멀리 있다는 뜻이고, 학습은 이 숫자를 줄이는 방향으로 진행됩니다.
#
# 학습에 쓰는 데이터를 **훈련 데이터(training data)**, 학습 결과를 검증하는 데이터를 **테스트 데이터(test data)** 라고 합니다.
# 손실은 훈련 데이터에서 계산해 가중치를 고치는 데 쓰고, 테스트 데이터의 손실로는 처음 보는 데이터에서도 잘 맞히는지 확인합니다.
#
# 이 노트북에서 다루는 손실 함수:
#
# | 손실 함수 | 식 | 주로 쓰는 문제 |
# |---|---|---|
# | 오차제곱합(sum of squares for error, SSE) | $\frac12\sum_k (y_k - t_k)^2$ | 회귀(regression) |
# | 평균제곱오차(mean squared error, MSE) | $\frac1n\sum_k (y_k - t_k)^2$ | 회귀 |
# | 교차 엔트로피 오차(cross-entropy error, CEE) | $-\sum_k t_k \log(y_k + 10^{-7})$ | 다중 분류(multi-class), 소프트맥스(softmax) 출력과 함께 |
# | 이진 교차 엔트로피(binary cross-entropy) | $-\frac1n\sum_i [t_i\log p_i + (1-t_i)\log(1-p_i)]$ | 이진 분류(binary), 시그모이드(sigmoid) 출력과 함께 |
#
# 끝에서는 모든 손실의 기울기를 **유한 차분(finite differences)** 으로 검사합니다.

# %%
import math

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import DomainError, Value, gradcheck, losses

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 오차제곱합(SSE)과 ½
#
# 출력층의 뉴런마다 출력과 정답의 차이를 제곱해서 모두 더하고, 앞에 ½을 붙입니다.
#
# $$E = \frac{1}{2}\sum_k (y_k - t_k)^2$$
#
# ½은 미분을 깔끔하게 하려고 붙입니다. $\frac{\partial E}{\partial y_k} = y_k - t_k$, 즉 기울기가 오차 그 자체가 됩니다.
# 먼저 numpy로 직접 쓰고, `losses.sse`와 비교합니다.
#
# **실행하기 전에 예측해 보세요.** 아래 출력과 정답의 오차제곱합은 얼마일까요? 그리고 `backward()` 뒤 `y[1].grad`는 얼마일까요?


# %%
def sum_of_squares(y, t):
    return 0.5 * np.sum((np.asarray(y) - np.asarray(t)) ** 2)


outputs = [0.2, 0.7, 0.1]
targets = [0.0, 1.0, 0.0]

y = [Value(v, label=f"y{k}") for k, v in enumerate(outputs)]
E = losses.sse(y, targets)
E.backward()
print(f"numpy로 쓴 SSE : {sum_of_squares(outputs, targets):.6f}")
print(f"losses.sse     : {E.data:.6f}")
print("∂E/∂y (엔진)   :", [round(v.grad, 6) for v in y])
print("y - t          :", [round(a - b, 6) for a, b in zip(outputs, targets)])

# %% [markdown]
# 오차제곱합은 출력과 정답이 연속적인 수치일 때 잘 맞습니다. 그래서 집값처럼 숫자를 예측하는 **회귀 문제** 에 많이 씁니다.
#
# ## 2. 평균제곱오차(MSE): 합 대신 평균
#
# $$\mathrm{MSE} = \frac{1}{n}\sum_{i=1}^{n} (y_i - t_i)^2$$
#
# 합을 쓰면 데이터가 많을수록 손실과 기울기가 커집니다. 평균을 쓰면 데이터 개수가 바뀌어도 크기가 비슷해서, 배치 크기(batch size)를 바꿔도 같은 학습률을 쓸 수 있습니다.
#
# 학습률이 곱해지는 것은 **가중치에 대한 기울기** 입니다(`w.data -= 학습률 * w.grad`). 그러니 그것을 재어 봅시다. 가중치 하나짜리 모델 $y = w\,x$를
# $w = 1.5$에 두고, 정답이 $t = 2x + \text{잡음}$인 데이터 $n$개에 대해 손실을 계산한 뒤 $\partial E/\partial w$를 읽습니다. 가중치 $w$는 모든 데이터에 쓰이므로
# 데이터마다의 기여가 $w$의 grad에 모두 더해집니다(02번 노트북의 '두 번 쓰인 노드').
#
# **실행하기 전에 예측해 보세요.** 같은 분포에서 뽑은 데이터 10개와 1000개에서, SSE의 $\partial E/\partial w$는 대략 몇 배 차이 날까요? MSE는요?
# 학습률 0.1로 한 걸음 가면 $w$는 각각 어디로 갈까요(정답은 $w = 2$ 근처)?

# %%
rng = np.random.default_rng(3)
w_start, lr = 1.5, 0.1


def weight_gradient(loss_fn, x, t):
    """모델 y = w·x (w = w_start)의 손실 loss_fn(y, t)을 가중치 w로 미분한 값."""
    w = Value(w_start, label="w")
    loss = loss_fn([w * xi for xi in x], t)
    loss.backward()
    return w.grad


weight_grads = {}
for n in [10, 1000]:
    x = rng.normal(1.0, 0.5, size=n)
    t = 2.0 * x + rng.normal(0.0, 0.1, size=n)
    for name, loss_fn in [("SSE", losses.sse), ("MSE", losses.mse)]:
        grad = weight_gradient(loss_fn, x.tolist(), t.tolist())
        weight_grads[name, n] = grad
        print(f"n = {n:4d}, {name}:  ∂E/∂w = {grad:9.3f},  학습률 {lr}로 한 걸음 뒤 w = {w_start - lr * grad:8.3f}")
for name in ["SSE", "MSE"]:
    print(f"{name}: (n = 1000의 기울기) / (n = 10의 기울기) = {weight_grads[name, 1000] / weight_grads[name, 10]:.2f}")

# %% [markdown]
# 데이터가 100배가 되면 SSE의 $\partial E/\partial w$도 대략 그만큼 커집니다(위의 비율. 두 표본의 평균이 조금 달라 정확히 100은 아닙니다).
# 데이터 하나하나의 기여 $(w x_i - t_i)\,x_i$는 평균적으로 비슷한데 더하는 개수가 100배가 되기 때문입니다.
# 그래서 데이터 10개에서 알맞던 학습률 0.1이 1000개에서는 $w$를 정답 근처에서 한참 멀리 던져 버립니다. MSE는 그 합을 $n$으로 나누므로 기울기가
# 데이터 개수와 상관없이 비슷하고, 같은 학습률로 두 경우 모두 정답 쪽으로 알맞게 한 걸음 갑니다.
# 두 손실의 관계는 $\mathrm{MSE} = \frac{2}{n}\,\mathrm{SSE}$입니다(이 노트북의 SSE에는 $\tfrac12$이 붙어 있습니다).

# %%
sample_y, sample_t = rng.normal(size=5).tolist(), rng.normal(size=5).tolist()
mse_value = losses.mse(sample_y, sample_t).data
sse_value = losses.sse(sample_y, sample_t).data
print(f"MSE = {mse_value:.6f},  2/n · SSE = {2 / 5 * sse_value:.6f}")

# %% [markdown]
# ## 3. $-\log(x)$: 교차 엔트로피의 모양
#
# 분류 문제에서 신경망은 클래스마다 '그 클래스일 확률'을 냅니다. 정답은 **원-핫 인코딩(one-hot encoding)** 으로, 정답 클래스만 1이고 나머지는 0입니다.
# **교차 엔트로피 오차** 는
#
# $$E = -\sum_k t_k \log y_k$$
#
# 인데, $t_k$가 0인 항은 모두 사라지므로 결국 $-\log(\text{정답 클래스의 확률})$ 하나만 남습니다. 그러니 $y=-\log(x)$의 모양이 곧 교차 엔트로피의 모양입니다.
#
# **실행하기 전에 예측해 보세요.** $x = 1$에서 $-\log x$는 얼마일까요? $x$가 0에 다가가면요?

# %%
xs = np.linspace(0.001, 1, 500)
fig, ax = plt.subplots(figsize=(6, 3.5))
ax.plot(xs, -np.log(xs))
ax.set_xlabel("x (정답 클래스에 준 확률)")
ax.set_ylabel("-log(x)")
ax.set_title("정답에 가까우면 0, 멀어지면 한없이 커집니다")
ax.set_ylim(0, 7)
plt.show()

for p in [1.0, 0.5, 0.1, 0.01]:
    print(f"정답 클래스의 확률 {p:5.2f} → 교차 엔트로피 {-math.log(p) + 0.0:.4f}")  # + 0.0: -0.0을 0.0으로

# %% [markdown]
# ### 왜 $10^{-7}$을 더할까?
#
# 강의 노트의 코드는 `-np.sum(t * np.log(y + 1e-7))`처럼 로그 안에 아주 작은 수를 더합니다. 출력 중 하나가 정확히 0이면 어떻게 되는지 보면 이유를 알 수 있습니다.
#
# **실행하기 전에 예측해 보세요.** 정답이 아닌 클래스의 확률이 0일 때(그 항의 $t_k$도 0), 아무것도 더하지 않은 교차 엔트로피는 얼마가 나올까요?

# %%
probabilities = np.array([0.0, 0.9, 0.1])  # 첫 번째 클래스의 확률이 정확히 0
onehot = np.array([0.0, 1.0, 0.0])  # 정답은 두 번째 클래스

with np.errstate(divide="ignore", invalid="ignore"):  # numpy의 경고 대신 결과를 직접 봅시다
    print("log(y)                 :", np.log(probabilities))
    print("t * log(y)             :", onehot * np.log(probabilities))
    print("-sum(t * log(y))       :", -np.sum(onehot * np.log(probabilities)))
print("-sum(t * log(y + 1e-7)):", -np.sum(onehot * np.log(probabilities + 1e-7)))

# %% [markdown]
# $\log 0 = -\infty$이고, $0 \times (-\infty)$는 숫자가 아닌 **NaN(not a number)** 입니다. 정답과 상관없는 항 하나가 손실 전체를 NaN으로 만들고,
# 그 뒤로는 기울기도 가중치도 모두 NaN이 됩니다. $10^{-7}$을 더하면 로그의 입력이 0이 될 수 없으니 이 일이 생기지 않습니다.
#
# 엔진은 조용히 NaN을 만드는 대신, 정의역(domain) 밖의 입력에 곧바로 오류를 냅니다. 그리고 정답 클래스의 확률이 0일 때에도
# $10^{-7}$ 덕분에 손실은 유한한 값에서 멈춥니다.

# %%
try:
    Value(0.0).log()
except DomainError as error:
    print("DomainError:", error)

worst = losses.cross_entropy([0.0, 0.9, 0.1], [1, 0, 0])  # 정답 클래스(첫 번째)의 확률이 0
print(f"정답 클래스의 확률이 0일 때 손실: {worst.data:.4f}  (= -log(1e-7) = {-math.log(1e-7):.4f})")

# %% [markdown]
# ## 4. 소프트맥스(softmax): 점수를 확률로
#
# 신경망의 마지막 층은 보통 아무 실수나 내는 **점수(logit)** 를 냅니다. 소프트맥스는 이것을 확률로 바꿉니다.
#
# $$\mathrm{softmax}(z)_k = \frac{e^{z_k}}{\sum_j e^{z_j}}$$
#
# 지수 함수로 모두 양수로 만든 다음, 전체 합으로 나누어 비율로 만듭니다. 그래서 출력은 모두 0과 1 사이이고 합은 1입니다.
#
# **실행하기 전에 예측해 보세요.** 점수 `[2.0, 1.0, 0.1]`의 소프트맥스에서 가장 큰 확률은 0.5보다 클까요? 점수에 모두 100을 더하면 확률은 어떻게 바뀔까요?

# %%
scores = [2.0, 1.0, 0.1]
probs = [p.data for p in losses.softmax(scores)]
shifted = [p.data for p in losses.softmax([s + 100 for s in scores])]
print("softmax(z)      :", np.round(probs, 4), " 합 =", round(sum(probs), 12))
print("softmax(z + 100):", np.round(shifted, 4))

# %% [markdown]
# 모든 점수에 같은 수를 더해도 $e^{c}$가 분자와 분모에서 약분되어 확률은 그대로입니다. `losses.softmax`는 이 성질을 이용해 가장 큰 점수를 빼고 계산합니다.
# 그렇지 않으면 점수가 조금만 커도 지수 함수가 넘칩니다(overflow).

# %%
big_scores = np.array([1000.0, 999.0, 0.0])
with np.errstate(over="ignore", invalid="ignore"):
    naive = np.exp(big_scores) / np.sum(np.exp(big_scores))
print("그대로 계산한 softmax:", naive)
print("losses.softmax       :", np.round([p.data for p in losses.softmax(big_scores.tolist())], 6))

# %% [markdown]
# ### 소프트맥스와 교차 엔트로피를 함께 미분하면
#
# 점수 $z$에서 손실까지, 소프트맥스와 교차 엔트로피를 이어 붙인 함수의 기울기는 놀랄 만큼 간단합니다.
#
# $$\frac{\partial E}{\partial z_k} = y_k - t_k \qquad (y = \mathrm{softmax}(z))$$
#
# 오차제곱합의 기울기와 같은 꼴입니다. 엔진으로 확인해 봅시다. `losses.softmax_cross_entropy(z, 정답 번호)`는 이 둘을 한 번에, 확률이 0이나 1로
# 반올림되는 경우에도 정확하게 계산합니다.

# %%
z = [Value(s, label=f"z{k}") for k, s in enumerate(scores)]
loss = losses.softmax_cross_entropy(z, 0)  # 정답은 0번 클래스
loss.backward()
print("∂E/∂z (엔진)     :", np.round([v.grad for v in z], 6))
print("softmax(z) - t   :", np.round(np.array(probs) - np.array([1, 0, 0]), 6))

z2 = [Value(s) for s in scores]
two_step = losses.cross_entropy(losses.softmax(z2), [1, 0, 0])
print(f"손실: softmax_cross_entropy {loss.data:.8f},  cross_entropy(softmax(z)) {two_step.data:.8f}")

# %% [markdown]
# 두 손실의 작은 차이는 `cross_entropy`가 로그 안에 더하는 $10^{-7}$ 때문입니다.
#
# ## 5. 교차 엔트로피는 크게 틀렸을 때 빨리 배운다
#
# 시그모이드 출력에 평균제곱오차를 쓰면 학습이 느려질 수 있습니다. 정답이 1인데 출력이 0에 가깝게 크게 틀리면, 시그모이드가 평평한 곳에 있어서
# 기울기가 거의 0이기 때문입니다. 교차 엔트로피는 $-\log$가 그 평평함을 정확히 상쇄합니다.
#
# 점수 $z$ 하나, 출력 $p = \sigma(z)$, 정답 1인 경우에 두 손실의 $\partial E/\partial z$를 엔진으로 계산해 봅니다.
#
# **실행하기 전에 예측해 보세요.** $z = -6$(정답은 1인데 출력은 거의 0)에서 두 손실의 기울기 크기는 각각 대략 얼마일까요?


# %%
def gradient_wrt_score(loss_fn, z0):
    z = Value(z0)
    loss = loss_fn(z.sigmoid())
    loss.backward()
    return z.grad


def squared_error(p):
    return losses.mse([p], [1.0])


def binary_ce(p):
    return losses.binary_cross_entropy([p], [1.0])


zs = np.linspace(-8, 8, 161)
grad_mse = np.array([gradient_wrt_score(squared_error, z0) for z0 in zs])
grad_bce = np.array([gradient_wrt_score(binary_ce, z0) for z0 in zs])

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.plot(zs, np.abs(grad_mse), label="시그모이드 + MSE")
ax.plot(zs, np.abs(grad_bce), label="시그모이드 + 이진 교차 엔트로피")
ax.set_xlabel("점수 z (정답은 1: 왼쪽일수록 크게 틀림)")
ax.set_ylabel("|∂E/∂z|")
ax.legend()
plt.show()
at = int(np.argmin(np.abs(zs + 6)))
print(f"z = -6: |∂MSE/∂z| = {abs(grad_mse[at]):.4f},  |∂BCE/∂z| = {abs(grad_bce[at]):.4f}")

# %% [markdown]
# 크게 틀렸을수록 교차 엔트로피의 기울기는 1에 가까워지지만, MSE의 기울기는 오히려 0으로 사라집니다.
#
# ## 6. 어떤 문제에 어떤 손실을?
#
# | 문제 | 출력층 | 손실 함수 | `micrograd_ko.losses` |
# |---|---|---|---|
# | 회귀(숫자 예측, 예: 집값) | 활성화 함수 없음(linear) | MSE 또는 SSE | `mse`, `sse` |
# | 이진 분류(예/아니오) | 시그모이드 | 이진 교차 엔트로피 | `binary_cross_entropy` |
# | 이진 분류(점수와 ±1 레이블) | 활성화 함수 없음 | 힌지(hinge, 최대 마진) | `hinge` (09번 노트북) |
# | 다중 분류(3개 이상의 클래스) | 소프트맥스 | 교차 엔트로피 | `softmax_cross_entropy` 또는 `cross_entropy(softmax(z), 원핫)` |
#
# 강의 노트에 "이진 분류에는 시그모이드, 다중 분류에는 소프트맥스를 비용 함수로 쓴다"는 표현이 나오는데, 정확히는 시그모이드와 소프트맥스가
# **출력층의 활성화 함수** 이고, 짝을 이루는 손실 함수가 (이진) 교차 엔트로피입니다.
#
# ## 7. 모든 손실의 기울기를 유한 차분으로 검사하기
#
# `gradcheck(fn, 입력들)`은 엔진이 역전파로 구한 기울기와 중앙 유한 차분 $\frac{f(x+h)-f(x-h)}{2h}$을 입력마다 비교해 표로 보여 줍니다.
# 먼저 교차 엔트로피 하나의 표를 봅시다.

# %%
probability_inputs = [Value(0.2, label="p0"), Value(0.7, label="p1"), Value(0.1, label="p2")]
report = gradcheck(lambda p0, p1, p2: losses.cross_entropy([p0, p1, p2], [0, 1, 0]), probability_inputs)
print(report)

# %% [markdown]
# **실행하기 전에 예측해 보세요.** 첫 번째와 세 번째 확률의 기울기는 왜 0일까요?
#
# 이제 모든 손실을 무작위 입력에서 한꺼번에 검사합니다. 힌지 손실은 $1 - y\,s = 0$인 점에서 꺾이므로 그 근처는 피해서 고릅니다.

# %%
check_rng = np.random.default_rng(11)
n = 4
real_outputs = check_rng.normal(size=n).tolist()
real_targets = check_rng.normal(size=n).tolist()
probabilities_in = check_rng.uniform(0.05, 0.95, size=n).tolist()
binary_targets = [1.0, 0.0, 0.0, 1.0]
signs = [1.0, -1.0, 1.0, -1.0]
scores_in = [0.3, 0.2, 2.5, -0.4]  # 마진 1 - y·s가 0에서 충분히 떨어진 점수

checks = {
    "sse": (lambda *ys: losses.sse(list(ys), real_targets), real_outputs),
    "mse": (lambda *ys: losses.mse(list(ys), real_targets), real_outputs),
    "softmax (첫 출력)": (lambda *zs: losses.softmax(list(zs))[0], real_outputs),
    "log_softmax (셋째 출력)": (lambda *zs: losses.log_softmax(list(zs))[2], real_outputs),
    "softmax_cross_entropy": (lambda *zs: losses.softmax_cross_entropy(list(zs), 1), real_outputs),
    "cross_entropy": (lambda *ps: losses.cross_entropy(list(ps), [0, 0, 1, 0]), probabilities_in),
    "binary_cross_entropy": (lambda *ps: losses.binary_cross_entropy(list(ps), binary_targets), probabilities_in),
    "hinge": (lambda *ss: losses.hinge(list(ss), signs), scores_in),
}
print("통과   최대 절대 오차   손실 함수")
for name, (fn, inputs) in checks.items():
    result = gradcheck(fn, inputs)
    worst_error = max(row.abs_error for row in result.rows)
    print(f"{'예' if result.ok else '아니오':<5} {worst_error:>14.2e}   {name}")

# %% [markdown]
# ## 정리
#
# - SSE의 ½은 미분을 오차 $y - t$ 그대로 만들어 줍니다. MSE는 평균이라 데이터 개수와 상관없이 크기가 일정합니다.
# - 교차 엔트로피는 $-\log(\text{정답 클래스의 확률})$입니다. 정답에 가까우면 0, 멀어질수록 한없이 커집니다.
# - $10^{-7}$은 $\log 0 = -\infty$와 $0\times(-\infty) = \mathrm{NaN}$을 막습니다.
# - 소프트맥스와 교차 엔트로피를 함께 미분하면 $y - t$가 됩니다. 시그모이드와 이진 교차 엔트로피도 마찬가지라, 크게 틀렸을 때 기울기가 사라지지 않습니다.
#
# ### 더 해 보기
# - 2절의 `gradient_norm`을 n = 100, 10000에서도 재어 보고, 두 손실의 기울기 크기가 n에 어떻게 비례하는지 그래프로 그려 보세요.
# - 5절에 시그모이드 + SSE를 추가하면 곡선이 MSE와 어떻게 다를까요?
