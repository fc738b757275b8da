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
# # 15. 컴파일 모드 (compiled mode)
#
# 지금까지 `micrograd_ko`는 **즉시 실행 모드(eager mode)** 로 계산했습니다. 샘플 하나, 연산 하나마다 파이썬 객체 `Value`가
# 하나씩 생기고, `backward()`는 그 객체들을 하나씩 거꾸로 따라갑니다. 읽기에는 좋지만 느립니다: 두 개의 반달(moons) 100개 점으로
# 한 번 학습하는 데 노드가 수천 개 만들어지고(4절에서 세어 봅니다), 노드 하나하나가 파이썬 코드 몇 줄을 거칩니다.
#
# 그런데 샘플마다 그래프의 **모양은 똑같고**, 입력 숫자만 다릅니다. 그래서 그래프를 샘플 하나로 **한 번만 기록(trace)** 해 두고,
# 같은 연산을 모든 샘플에 한꺼번에 numpy 배열로 실행할 수 있습니다. 이것이 `micrograd_ko.compiler`의 컴파일 모드입니다.
#
# 이 노트북에서 할 일:
#
# 1. 샘플 하나의 스칼라 그래프를 `trace`로 기록하고, 그것이 몇 개의 **그룹(group)** 으로 묶이는지 봅니다.
# 2. 실행 계획(execution plan)을 그림으로 그려 스칼라 그래프와 나란히 봅니다(`draw_plan`).
# 3. 반달 모델을 즉시 실행 모드와 컴파일 모드로 각각 학습해 **손실이 같은지** 확인합니다. 컴파일 모드의 학습 루프는
#    즉시 실행 모드와 같은 네 줄이고, `with Training(program, opt):` 한 줄만 더해집니다(학습 세션 training session).
# 4. 학습 세션 안에서도 모델은 하나입니다: `p.data`는 학습된 값을 보여 주고, 바꾼 값은 다음 단계가 씁니다. 미니배치(mini-batch)도 다시 기록하지 않습니다.
# 5. 노트북 안에서 속도를 재어 몇 배 빨라지는지 봅니다.
# 6. 같은 연산을 샘플들에 한꺼번에 하는 것이 바로 **텐서(tensor)** 라는 것을 numpy로 확인합니다.
# 7. 합성곱 신경망(CNN)의 합성곱이 패치(patch) 위의 행렬 곱 하나가 되는 것을 봅니다.
# 8. 기록(trace)의 한계: `.data`를 읽는 파이썬 `if`는 기록되지 않고, `check=True`가 그것을 잡아 줍니다. 분기 없이 쓰는 법도 봅니다.

# %%
import math
import time

import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, draw, losses, nn
from micrograd_ko.compiler import ConvGroup, MatmulGroup, TraceCheckError, TrainedValue, Training, draw_plan, trace
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD, Adam

plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 샘플 하나를 기록하기 (trace)
#
# 먼저 작은 모델 `MLP(2, [3, 1])`로 봅니다. `trace(fn, example, params)`는 `fn`을 예시 샘플(example) 하나로 **한 번** 실행하면서
# 생긴 그래프를 기록합니다. 그래프의 잎(leaf)은 세 종류입니다.
#
# - 샘플 입력(sample input): 샘플마다 다른 값, 배치(batch)의 한 열(column)이 됩니다.
# - 매개변수(parameter): `params`에 넘긴 값들, 부를 때마다 새로 읽으므로 옵티마이저가 바꾼 값이 반영됩니다.
# - 상수(constant): 그 밖의 숫자, 기록할 때의 값으로 고정됩니다.
#
# 한 샘플의 손실은 힌지 손실(hinge loss) $\max(0, 1 - y\,s)$입니다. 샘플은 $(x_1, x_2, y)$ 세 숫자입니다.

# %%
small = MLP(2, [3, 1], activation="relu", seed=1)
small_params = small.parameters()


def small_loss(sample: list[Value]) -> Value:
    score = small(sample[:2])
    return (1.0 - sample[2] * score).relu()


example = [0.5, -0.3, 1.0]
small_program = trace(small_loss, example, small_params)
print(small_program.describe())
print(small_program.size())

# %% [markdown]
# 같은 연산(op)이고 같은 깊이(depth, 잎에서 가장 먼 거리)에 있는 노드는 서로에게 의존하지 않으므로 **한 번에** 계산할 수 있습니다.
# 예를 들어 첫 층의 ReLU 세 개는 하나의 `np.where` 호출이 됩니다. 그리고 한 층의 뉴런들이 만드는 `dot` 노드들은 **같은 입력 튜플**
# $(x_1, x_2)$을 읽고 가중치는 매개변수이므로, 그 층 전체가 행렬 곱 하나 $W X + b$가 됩니다(`matmul`).
#
# 아래 왼쪽은 즉시 실행 모드의 스칼라 그래프(scalar graph), 그 다음은 그것을 묶은 실행 계획(plan)입니다.
#
# **실행하기 전에 예측해 보세요**: 스칼라 노드가 몇 개의 그룹으로 줄어들까요? 위의 `describe()` 출력에서 세어 보고 그림과 맞춰 보세요.

# %%
one = small_loss([Value(x) for x in example])
draw(one, show_grad=False, title="샘플 하나의 스칼라 그래프 (eager)")

# %%
draw_plan(small_program)

# %% [markdown]
# ## 2. 반달 모델: 즉시 실행과 컴파일, 같은 손실
#
# 이제 데모와 같은 모델 `MLP(2, [16, 16, 1])`을 100개의 반달 점으로 학습합니다. 손실은 평균 힌지 손실에 L2 벌점
# $10^{-4}\sum p^2$을 더한 것입니다. 벌점은 매개변수에만 의존하므로 샘플마다가 아니라 배치마다 한 번 더해야 합니다:
# `penalty=`로 넘기면 그것도 따로 기록(trace)되어 프로그램에 붙습니다.
#
# 두 모델은 같은 시드(seed)로 만들어 같은 가중치에서 시작합니다. 옵티마이저도 같은 `SGD(momentum=0.9)`입니다.
#
# 컴파일 모드의 학습은 **학습 세션(training session)** `Training(program, opt)` 안에서 합니다. 세션이 열려 있는 동안
# 매개변수는 numpy 배열 하나(`session.values`)에 들어 있고, 프로그램은 그 배열을 읽고, `program.backward()`는 기울기 배열
# (`session.grads`)에 더하고, `opt.step()`은 옵티마이저의 식을 배열 전체에 한 번 계산합니다. 그래서 한 단계에 매개변수마다
# 도는 파이썬 반복문이 없습니다. 루프의 네 줄은 즉시 실행 모드와 똑같습니다.
#
# **실행하기 전에 예측해 보세요**: 두 모드의 손실은 몇 자리까지 같을까요? 덧셈 순서가 다르다는 것만 기억하세요.

# %%
X, y = data.moons(n=100, noise=0.1, seed=1, labels="pm1")
batch = np.column_stack([X, y])  # 한 행이 한 샘플: (x1, x2, y)

eager_model = MLP(2, [16, 16, 1], activation="relu", seed=1)
compiled_model = MLP(2, [16, 16, 1], activation="relu", seed=1)
params = compiled_model.parameters()


def per_sample(sample: list[Value]) -> Value:
    return (1.0 - sample[2] * compiled_model(sample[:2])).relu()


program = trace(per_sample, batch[0].tolist(), params, penalty=lambda: 1e-4 * losses.l2(params))
size = program.size()
print(f"스칼라 노드 {size.nodes}개 → 그룹 {size.groups}개, 한 단계의 numpy 호출 {size.calls_per_step}번")
print("행렬 곱 그룹(matmul):", sum(isinstance(g, MatmulGroup) for g in program.plan), "개 (층마다 하나)")

# %%
STEPS = 30
eager_opt = SGD(eager_model.parameters(), lr=0.2, momentum=0.9)
compiled_opt = SGD(params, lr=0.2, momentum=0.9)
eager_losses, compiled_losses = [], []
for k in range(STEPS):  # 즉시 실행: 점마다 그래프를 만들고 backward
    eager_opt.zero_grad()
    loss = losses.hinge([eager_model(row) for row in X.tolist()], y.tolist()) + 1e-4 * losses.l2(eager_opt.params)
    loss.backward()
    eager_opt.step()
    eager_losses.append(loss.data)

with Training(program, compiled_opt):  # 컴파일: 같은 네 줄, 배치 전체를 numpy로 한 번에
    for k in range(STEPS):
        compiled_opt.zero_grad()
        compiled_losses.append(program.loss(batch))
        program.backward()
        compiled_opt.step()

difference = max(abs(a - b) / abs(a) for a, b in zip(eager_losses, compiled_losses))
for k in (0, 9, 19, 29):
    print(f"단계 {k + 1:2d}: 즉시 실행 {eager_losses[k]:.10f}   컴파일 {compiled_losses[k]:.10f}")
print("모든 단계에서 상대 차이 < 1e-12:", difference < 1e-12)
print(
    "학습 후 매개변수도 같음:",
    np.allclose([p.data for p in params], [p.data for p in eager_model.parameters()], rtol=1e-12, atol=0),
)

# %% [markdown]
# 손실이 소수점 아래 10자리까지 같습니다. 컴파일 모드는 근사가 아니라 **같은 계산** 을 다른 순서로 묶어서 할 뿐입니다.
# (덧셈 순서가 달라서 마지막 비트 정도는 다를 수 있으므로 $10^{-12}$ 상대 오차로 비교합니다.)

# %%
plt.figure(figsize=(6, 3.2))
plt.plot(range(1, STEPS + 1), eager_losses, "o", label="즉시 실행 (eager)", markersize=6)
plt.plot(range(1, STEPS + 1), compiled_losses, "-", label="컴파일 (compiled)", color="C3")
plt.xlabel("단계 (step)")
plt.ylabel("손실 (loss)")
plt.title("두 모드의 손실 곡선이 겹칩니다")
plt.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 3. 학습 세션: 모델은 여전히 하나 (one model)
#
# 세션이 열려 있는 동안 매개변수의 숫자는 배열에 있습니다. 그렇다고 모델이 둘이 되는 것은 아닙니다. 세션은 매개변수 `Value`들을
# `TrainedValue`로 바꿔 두는데, 같은 객체이고 `p.data`와 `p.grad`가 배열의 자기 칸을 읽고 씁니다. 그래서
#
# - 학습 중 언제든 `p.data`나 `model.state_dict()`는 학습된 값을 보여 주고,
# - 사용자가 단계 사이에 `p.data = ...`로 바꾼 값은 다음 단계가 그대로 씁니다(덮어쓰지 않습니다),
# - 세션이 닫히면(`with` 블록의 끝) 숫자가 보통의 `Value`로 돌아갑니다. 옵티마이저의 상태(모멘텀 등)는 옵티마이저에 남습니다.
#
# 미니배치(mini-batch)도 됩니다. 에포크(epoch)마다 섞고, 마지막 배치는 더 작습니다. 프로그램은 샘플 수와 상관없이 같은 그래프를
# 실행하므로 **다시 기록(retrace)하지 않습니다**. 기록한 함수가 몇 번 불렸는지 세어 확인합니다.
#
# **실행하기 전에 예측해 보세요**: 세션 안에서 `p.data`를 0으로 바꾸면, 다음 단계의 `session.values`의 그 칸은 무엇일까요?
# 그리고 100개의 점을 32개씩 나누면 배치 크기는 어떻게 될까요?

# %%
mini_model = MLP(2, [16, 16, 1], activation="relu", seed=2)
mini_params = mini_model.parameters()
traced_calls = 0


def counted_loss(sample: list[Value]) -> Value:
    global traced_calls
    traced_calls += 1  # 이 함수가 불린 횟수 = 기록(trace)한 횟수
    return (1.0 - sample[2] * mini_model(sample[:2])).relu()


mini_program = trace(counted_loss, batch[0].tolist(), mini_params)
mini_opt = Adam(mini_params, lr=0.02)
rng = np.random.default_rng(0)
sizes = []
with Training(mini_program, mini_opt) as session:
    first_weight = mini_params[0]
    print("세션 안의 매개변수는 TrainedValue인가:", isinstance(first_weight, TrainedValue), " 배열 모양:", session.values.shape)
    for epoch in range(3):
        order = rng.permutation(len(batch))  # 에포크마다 새로 섞기
        for start in range(0, len(batch), 32):
            rows = batch[order[start : start + 32]]
            mini_opt.zero_grad()
            mini_program.loss(rows)
            mini_program.backward()
            mini_opt.step()
            sizes.append(len(rows))
        if epoch == 0:
            print("첫 에포크 뒤 p.data와 배열의 칸이 같은가:", first_weight.data == session.values[0])
            first_weight.data = 0.0  # 사용자가 단계 사이에 바꾼 값
            print("바꾼 직후 배열의 칸:", session.values[0])
print("배치 크기:", sizes)
print("기록한 횟수:", traced_calls)
print("세션이 닫힌 뒤:", type(first_weight).__name__, f"data = {first_weight.data:.6f}")
print(f"세 에포크 뒤 전체 배치의 손실: {mini_program.loss(batch):.4f}")

# %% [markdown]
# 바꾼 값은 배열에 바로 들어갔고, 다음 단계들은 그 값에서 계속 학습했습니다. 배치 크기는 32, 32, 32, 4가 에포크마다 되풀이되고,
# 기록은 처음 한 번뿐입니다.
#
# ## 4. 얼마나 빨라지나 (speed-up)
#
# 한 단계(순전파, 역전파, 매개변수 갱신)의 시간을 두 모드에서 잽니다. 먼저 한 단계가 하는 일의 양을 셉니다: 즉시 실행 모드가 만드는
# 노드 수와, 컴파일 모드가 부르는 numpy 호출 수(2절의 `size()`, 표 계산 함수 호출 하나를 한 번으로 셉니다).

# %%
eager_nodes = len(loss.topological_order())  # 2절의 마지막 즉시 실행 단계가 만든 그래프
print(f"즉시 실행: 한 단계에 노드 {eager_nodes}개 (잎 포함)")
print(f"컴파일: 한 단계에 numpy 호출 약 {size.calls_per_step}번")

# %% [markdown]
# **실행하기 전에 예측해 보세요**: 위의 두 숫자를 보고, 컴파일 모드가 몇 배쯤 빠를지 예측해 보세요.
#
# 측정한 시간은 컴퓨터와 그때의 부하에 따라 달라지므로, 다섯 번 재어 배수가 몇 자리 수인지(10배대, 100배대, ...)를 출력합니다.


# %%
def eager_step() -> None:
    eager_opt.zero_grad()
    loss = losses.hinge([eager_model(row) for row in X.tolist()], y.tolist()) + 1e-4 * losses.l2(eager_opt.params)
    loss.backward()
    eager_opt.step()


def compiled_step() -> None:
    compiled_opt.zero_grad()
    program.loss(batch)
    program.backward()
    compiled_opt.step()


def best_time(step, repeats):
    """가장 빠른 한 번의 시간: 다른 일이 끼어든 측정을 덜 믿기 위해 최솟값을 씁니다."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


ratios = []
with Training(program, compiled_opt):
    for _ in range(5):
        ratios.append(best_time(eager_step, 3) / best_time(compiled_step, 50))
# 잰 배수 자체는 실행마다 달라지므로, 다섯 번 중 가장 작은 배수의 자릿수(10의 거듭제곱)만 출력합니다
floor = 10 ** math.floor(math.log10(min(ratios)))
print(f"다섯 번 잰 배수가 모두 {floor:,}배 이상, {20 * floor:,}배 미만인가:", max(ratios) < 20 * floor)

# %% [markdown]
# 출력한 자릿수가 이 실행에서 잰 배수의 범위입니다(정확한 숫자는 다시 실행할 때마다 부하에 따라 달라집니다). 같은 프로세스에서 번갈아 잰 비교는
# `benchmarks/`에 있습니다: W1(반달) 한 단계에서 컴파일 모드는 PyTorch의 배치 텐서 계산보다 빠릅니다(`benchmarks/README.md`).
#
# 시간은 어디서 줄었을까요? 즉시 실행 모드는 **노드마다** 파이썬 객체를 만들고 지웁니다. 컴파일 모드는 **그룹마다** numpy 호출 몇 번을
# 하고, 그 호출 하나가 C 코드 안에서 (노드 수 × 샘플 수)개의 숫자를 한꺼번에 계산합니다. 갱신도 매개변수마다가 아니라 배열 전체에
# 한 번입니다. 파이썬이 도는 횟수가 노드 × 샘플에서 그룹 수로 줄어듭니다.

# %% [markdown]
# ## 5. 같은 연산을 샘플들에 한꺼번에: 그것이 텐서다
#
# 컴파일된 프로그램 안에서 한 층의 `dot` 노드들은 행렬 곱 하나입니다. 그 행렬 $W$는 세션의 평평한 배열 `session.values`에서
# 색인 지도(index map) `first.w`로 꺼낸 것입니다. 첫 층의 출력만 기록한 프로그램의 결과를 numpy로 직접 계산한
# $\mathrm{relu}(W X^\top + b)$와 비교해 봅니다.
#
# **실행하기 전에 예측해 보세요**: $W$의 모양은 무엇일까요? 첫 층의 뉴런은 16개, 입력은 2개입니다.

# %%
first = next(g for g in program.plan if isinstance(g, MatmulGroup))
layer_program = trace(lambda s: compiled_model.layers[0](s[:2]), batch[0].tolist(), params)  # 첫 층의 출력 16개
first_layer = layer_program(batch)  # (샘플 100, 뉴런 16)
with Training(program, compiled_opt) as session:
    W = session.values[first.w]  # 평평한 배열에서 첫 층의 가중치를 꺼냄 (색인 지도)
    b = session.values[first.b]
by_hand = np.maximum(W @ X.T + b[:, None], 0.0)  # (16, 2) @ (2, 100): 16개 뉴런 × 100개 샘플
print("첫 층 그룹:", first.describe())
print("W의 모양:", W.shape, " 매개변수 배열의 모양:", session.values.shape)
print("numpy로 직접 relu(W @ X.T + b) 와 같은가:", np.allclose(first_layer.T, by_hand, rtol=1e-13, atol=0))

# %% [markdown]
# 이것이 PyTorch나 JAX 같은 프레임워크가 빠른 이유와 같습니다. 그들은 처음부터 **텐서(tensor)**, 즉 여러 샘플(과 여러 뉴런)의 숫자를
# 한 배열에 모아 두고 연산 하나를 배열 전체에 적용합니다. 스칼라 엔진은 "한 샘플, 한 숫자"로 생각하게 해 주어 배우기 좋고,
# 컴파일 모드는 그 스칼라 그래프에서 같은 연산을 찾아 묶어 텐서 연산으로 바꿉니다.
#
# - 같은 연산, 같은 깊이의 노드를 묶는 것: DyNet의 자동 연산 배칭(automatic operation batching), TensorFlow Fold의 동적 배칭(dynamic batching).
# - 샘플 축(axis)을 따라 같은 함수를 실행하는 것: JAX의 `vmap`.
# - 같은 입력을 읽는 `dot` 노드들을 행렬 곱 하나로 만드는 것: 밀집층(dense layer)의 $W X$.

# %% [markdown]
# ## 6. 합성곱도 행렬 곱 하나로 (convolution as a matrix product)
#
# 합성곱 층(`nn.Conv2d`)은 출력 픽셀마다 `dot` 노드 하나입니다. 위치마다 읽는 창(window, 패치 patch)은 다르지만 **가중치는 같습니다**.
# 그래서 위치마다 창 안의 픽셀(3×3 커널이면 9개)을 한 열(column)로 펼쳐 세우면, 모든 위치의 패치가 (9 × 위치 수) 행렬 하나가 되고,
# 합성곱 전체가 (채널 수 × 9) 가중치 행렬과의 행렬 곱 한 번이 됩니다. 이미지를 열로 펼친다고 해서 이 방법을
# im2col(image to columns)이라고 부릅니다. 컴파일러는 같은 가중치를 쓰는 `dot` 노드들을 모아 이렇게 계산합니다(`conv` 그룹).
# 8×8 손글씨 숫자(digits)를 읽는 작은 CNN으로 확인합니다.
#
# **실행하기 전에 예측해 보세요**: 8×8 이미지에 3×3 커널이면 출력 위치는 몇 개일까요? 채널이 4개이면 `dot` 노드는 몇 개가 될까요?

# %%
cnn = nn.Sequential(
    nn.Conv2d(1, 4, 3, init="he", seed=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(36, 10, seed=1)
)
cnn_params = cnn.parameters()


def cnn_loss(sample: list[Value]) -> Value:
    image = [[sample[r * 8 : (r + 1) * 8] for r in range(8)]]  # 채널 1개, 8×8
    logits = cnn([image])[0]
    return -Value.dot(losses.log_softmax(logits), sample[64:])  # 뒤의 10개 숫자: 정답의 원-핫(one-hot)


digits_X, digits_y = data.digits()
digits_batch = np.column_stack([digits_X[:32], np.eye(10)[digits_y[:32]]])
cnn_program = trace(cnn_loss, digits_batch[0].tolist(), cnn_params)
print(cnn_program.describe())
conv = next(g for g in cnn_program.plan if isinstance(g, ConvGroup))
print(f"\n합성곱의 dot 노드 {conv.size}개 (채널 4 × 위치 {conv.positions}) → 행렬 곱 1번")

# %%
for p in cnn_params:
    p.grad = 0.0
eager_cnn_loss = Value.sum(cnn_loss([Value(v) for v in row]) for row in digits_batch.tolist()) / len(digits_batch)
eager_cnn_loss.backward()
eager_grads = np.array([p.grad for p in cnn_params])
compiled_cnn_loss = cnn_program.loss(digits_batch)
compiled_grads = cnn_program.backward(accumulate=False)
print(f"CNN 손실: 즉시 실행 {eager_cnn_loss.data:.12f}, 컴파일 {compiled_cnn_loss:.12f}")
same = np.allclose(compiled_grads, eager_grads, rtol=1e-12, atol=1e-15)
print(f"매개변수 기울기 {len(cnn_params)}개가 모두 같은가:", same)

# %% [markdown]
# 순환 신경망(RNN, LSTM)도 같은 방법으로 컴파일됩니다. 시퀀스를 펼친(unrolled) 그래프를 기록하므로 **시퀀스 길이마다 프로그램이 하나** 이고,
# 시간 단계마다 네 게이트의 `dot` 노드들이 같은 입력 $[x_t \mid h_{t-1}]$을 읽어 행렬 곱 하나가 됩니다.

# %% [markdown]
# ## 7. 기록의 한계와 `check=True`
#
# 기록(trace)은 예시 샘플 하나의 그래프만 봅니다. 사용자 코드가 `.data`를 읽어 파이썬 `if`로 갈라지면, 기록된 것은 **예시가 간 쪽**뿐입니다.
# 다른 쪽으로 가야 하는 샘플도 조용히 예시의 그래프로 계산됩니다. `check=True`는 배치마다 샘플 몇 개를 즉시 실행 모드로 다시 계산해
# 다르면 `TraceCheckError`를 냅니다(`torch.jit.trace`의 check와 같은 생각).
#
# **실행하기 전에 예측해 보세요**: 예시 $x = 2$로 기록한 아래 함수에 $x = -3$을 넣으면 무엇이 나올까요?


# %%
def branchy(sample: list[Value]) -> Value:
    x = sample[0]
    if x.data > 0:  # .data를 읽는 파이썬 if: 기록되지 않습니다
        return x * x
    return -x


silent = trace(branchy, [2.0], [])
print("check 없이:", silent(np.array([[2.0], [-3.0]])).tolist(), "  (x = -3에서 즉시 실행이면 3.0)")
checked = trace(branchy, [2.0], [], check=True)
try:
    checked(np.array([[2.0], [-3.0]]))
except TraceCheckError as error:
    print("check=True:", type(error).__name__)

# %% [markdown]
# 분기가 필요하면 **연산표(op table)에 있는 연산** 으로 분기 없이 쓰면 됩니다. 그러면 분기가 그래프 안에 들어가 샘플마다 올바르게
# 계산됩니다. 위 함수는 $x > 0$이면 $x^2$, 아니면 $-x$입니다. $\mathrm{relu}(x)$는 $x > 0$일 때만 $x$이고 $\mathrm{relu}(-x)$는
# $x \le 0$일 때만 $-x$이므로, `x.relu()**2 + (-x).relu()`가 같은 함수입니다.
#
# **실행하기 전에 예측해 보세요**: 이 식을 $x = 2$로 기록하면 $x = -3$에서 무엇이 나올까요? `check=True`는 오류를 낼까요?


# %%
def branch_free(sample: list[Value]) -> Value:
    x = sample[0]
    return x.relu() ** 2 + (-x).relu()  # x > 0: x*x + 0,  x <= 0: 0 + (-x)


points = np.array([[2.0], [-3.0], [0.5], [-0.5]])
fixed = trace(branch_free, [2.0], [], check=True)  # check=True: 배치마다 샘플 몇 개를 즉시 실행과 비교
print("컴파일 (check=True 통과):", fixed(points).tolist())
print("즉시 실행한 branchy     :", [branchy([Value(x)]).data for x in points[:, 0].tolist()])

# %% [markdown]
# ## 정리
#
# - 즉시 실행 모드: 샘플마다, 노드마다 파이썬 객체. 읽기 쉽고 그리기 쉽지만 느립니다.
# - 컴파일 모드: 샘플 하나의 그래프를 한 번 기록하고, 같은 연산·같은 깊이의 노드를 그룹으로 묶고, 같은 입력(또는 같은 가중치)을 쓰는
#   `dot` 노드를 행렬 곱으로 바꿔 배치 전체를 numpy로 계산합니다. 손실과 기울기는 즉시 실행 모드와 $10^{-12}$ 안에서 같습니다.
# - 학습 세션 `with Training(program, opt):` 안에서는 매개변수가 배열 하나에 있고, 루프는 즉시 실행 모드와 같은 네 줄입니다.
#   모델은 여전히 하나입니다: `p.data`는 학습된 값을 보여 주고, 바꾼 값은 다음 단계가 씁니다.
# - 같은 연산을 샘플 축을 따라 한꺼번에 하는 것, 그것이 텐서 프레임워크가 하는 일입니다.
