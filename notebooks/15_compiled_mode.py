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
# 한 번 학습하는 데 노드가 7,000개 넘게 만들어지고, 노드 하나하나가 파이썬 코드 몇 줄을 거칩니다.
#
# 그런데 샘플마다 그래프의 **모양은 똑같고**, 입력 숫자만 다릅니다. 그래서 그래프를 샘플 하나로 **한 번만 기록(trace)** 해 두고,
# 같은 연산을 모든 샘플에 한꺼번에 numpy 배열로 실행할 수 있습니다. 이것이 `micrograd_ko.compiler`의 컴파일 모드입니다.
#
# 이 노트북에서 할 일:
#
# 1. 샘플 하나의 스칼라 그래프를 `trace`로 기록하고, 그것이 몇 개의 **그룹(group)** 으로 묶이는지 봅니다.
# 2. 실행 계획(execution plan)을 그림으로 그려 스칼라 그래프와 나란히 봅니다(`draw_plan`).
# 3. 반달 모델을 즉시 실행 모드와 컴파일 모드로 각각 학습해 **손실이 같은지** 확인합니다.
# 4. 노트북 안에서 속도를 재어 몇 배 빨라지는지 봅니다.
# 5. 같은 연산을 샘플들에 한꺼번에 하는 것이 바로 **텐서(tensor)** 라는 것을 numpy로 확인합니다.
# 6. 합성곱 신경망(CNN)의 합성곱이 패치(patch) 위의 행렬 곱 하나가 되는 것을 봅니다.
# 7. 기록(trace)의 한계: `.data`를 읽는 파이썬 `if`는 기록되지 않고, `check=True`가 그것을 잡아 줍니다.

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, draw, losses, nn
from micrograd_ko.compiler import ConvGroup, MatmulGroup, TraceCheckError, draw_plan, trace
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD

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
for k in range(STEPS):
    # 즉시 실행: 점마다 그래프를 만들고 backward
    scores = [eager_model(row) for row in X.tolist()]
    loss = losses.hinge(scores, y.tolist()) + 1e-4 * losses.l2(eager_model.parameters())
    eager_opt.zero_grad()
    loss.backward()
    eager_opt.step()
    eager_losses.append(loss.data)

    # 컴파일: 배치 전체를 numpy로 한 번에, 기울기는 샘플 평균
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
# ## 3. 얼마나 빨라지나 (speed-up)
#
# 한 단계(순전파, 역전파, 매개변수 갱신)의 시간을 두 모드에서 잽니다. 측정한 시간은 컴퓨터와 그때의 부하에 따라 달라지므로,
# 여기서는 숫자 대신 "10배 이상인가"만 출력합니다(다시 실행해도 같은 출력이 나오도록).
#
# **실행하기 전에 예측해 보세요**: 즉시 실행 모드는 한 단계에 노드 7,000여 개를 만들고, 컴파일 모드는 numpy 호출 100번 남짓입니다.
# 몇 배쯤 차이가 날까요?


# %%
def eager_step() -> None:
    scores = [eager_model(row) for row in X.tolist()]
    loss = losses.hinge(scores, y.tolist()) + 1e-4 * losses.l2(eager_model.parameters())
    eager_opt.zero_grad()
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


eager_time = best_time(eager_step, 10)
compiled_time = best_time(compiled_step, 100)
speedup = eager_time / compiled_time
# 이 컴퓨터에서 잰 배수는 부하에 따라 수십 배에서 수백 배까지 움직이므로, 넉넉한 기준 하나만 출력합니다
if speedup >= 10:
    print("컴파일 모드가 한 단계에 10배 이상 빠릅니다")
else:
    print("컴파일 모드가 10배보다 덜 빠릅니다 (컴퓨터가 바쁜 것 같습니다)")

# %% [markdown]
# 실제 비교는 `benchmarks/`에 있습니다: 같은 프로세스에서 번갈아 잰 W1(반달) 한 단계에서 컴파일 모드는 PyTorch의 배치 텐서
# 계산만큼 빠르거나 더 빠릅니다(`benchmarks/README.md`). 이 노트북의 측정은 대략의 크기만 보여 줍니다.
#
# 시간은 어디서 줄었을까요? 즉시 실행 모드는 **노드마다** 파이썬 객체를 만들고 지웁니다. 컴파일 모드는 **그룹마다** numpy 호출 몇 번을
# 하고, 그 호출 하나가 C 코드 안에서 (노드 수 × 샘플 수)개의 숫자를 한꺼번에 계산합니다. 파이썬이 도는 횟수가 노드 × 샘플에서 그룹 수로 줄어듭니다.

# %% [markdown]
# ## 4. 같은 연산을 샘플들에 한꺼번에: 그것이 텐서다
#
# 컴파일된 프로그램 안에서 값은 (행 = 노드, 열 = 샘플)인 2차원 배열 하나에 들어 있습니다. 첫 층의 `dot` 노드 16개 × 샘플 100개는
# 그 배열의 16행입니다. 이것을 numpy로 직접 $W X^\top + b$를 계산한 것과 비교해 봅니다.

# %%
program(batch)  # 현재 매개변수로 한 번 실행
first = next(g for g in program.plan if isinstance(g, MatmulGroup))
state = program._state  # 프로그램이 쓰는 값 버퍼 (노드 행 × 샘플 열), 보여 주기 위해서만 엽니다
assert state is not None
W = np.array([[w.data for w in neuron.w] for neuron in compiled_model.layers[0].neurons])
b = np.array([neuron.b.data for neuron in compiled_model.layers[0].neurons])
by_hand = W @ X.T + b[:, None]  # (16, 2) @ (2, 100): 16개 뉴런 × 100개 샘플
print("첫 층 그룹:", first.describe())
print("값 버퍼에서 그 그룹의 모양:", state.values[first.out].shape)
print("numpy로 직접 W @ X.T + b 와 같은가:", np.allclose(state.values[first.out], by_hand, rtol=1e-13, atol=0))

# %% [markdown]
# 이것이 PyTorch나 JAX 같은 프레임워크가 빠른 이유와 같습니다. 그들은 처음부터 **텐서(tensor)**, 즉 여러 샘플(과 여러 뉴런)의 숫자를
# 한 배열에 모아 두고 연산 하나를 배열 전체에 적용합니다. 스칼라 엔진은 "한 샘플, 한 숫자"로 생각하게 해 주어 배우기 좋고,
# 컴파일 모드는 그 스칼라 그래프에서 같은 연산을 찾아 묶어 텐서 연산으로 바꿉니다.
#
# - 같은 연산, 같은 깊이의 노드를 묶는 것: DyNet의 자동 연산 배칭(automatic operation batching), TensorFlow Fold의 동적 배칭(dynamic batching).
# - 샘플 축(axis)을 따라 같은 함수를 실행하는 것: JAX의 `vmap`.
# - 같은 입력을 읽는 `dot` 노드들을 행렬 곱 하나로 만드는 것: 밀집층(dense layer)의 $W X$.

# %% [markdown]
# ## 5. 합성곱도 행렬 곱 하나로 (convolution as a matrix product)
#
# 합성곱 층(`nn.Conv2d`)은 출력 픽셀마다 `dot` 노드 하나입니다. 위치마다 읽는 창(window, 패치 patch)은 다르지만 **가중치는 같습니다**.
# 컴파일러는 같은 가중치를 쓰는 `dot` 노드들을 모아, 패치들을 한 행렬로 모은 뒤(im2col) 행렬 곱 한 번으로 계산합니다(`conv` 그룹).
# 8×8 손글씨 숫자(digits)를 읽는 작은 CNN으로 확인합니다.

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
print("매개변수 기울기 410개가 모두 같은가:", np.allclose(compiled_grads, eager_grads, rtol=1e-12, atol=1e-15))

# %% [markdown]
# 순환 신경망(RNN, LSTM)도 같은 방법으로 컴파일됩니다. 시퀀스를 펼친(unrolled) 그래프를 기록하므로 **시퀀스 길이마다 프로그램이 하나** 이고,
# 시간 단계마다 네 게이트의 `dot` 노드들이 같은 입력 $[x_t \mid h_{t-1}]$을 읽어 행렬 곱 하나가 됩니다.

# %% [markdown]
# ## 6. 기록의 한계와 `check=True`
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
# 분기가 필요하면 `relu`, `abs`, `max`처럼 **연산표(op table)에 있는 연산** 으로 쓰면 됩니다. 그러면 분기가 그래프 안에 들어가
# 샘플마다 올바르게 계산됩니다. 예를 들어 위 함수에서 `x > 0`일 때와 아닐 때를 나누는 대신 `x.relu()` 같은 연산을 쓰는 식입니다.
#
# ## 정리
#
# - 즉시 실행 모드: 샘플마다, 노드마다 파이썬 객체. 읽기 쉽고 그리기 쉽지만 느립니다.
# - 컴파일 모드: 샘플 하나의 그래프를 한 번 기록하고, 같은 연산·같은 깊이의 노드를 그룹으로 묶고, 같은 입력(또는 같은 가중치)을 쓰는
#   `dot` 노드를 행렬 곱으로 바꿔 배치 전체를 numpy로 계산합니다. 손실과 기울기는 즉시 실행 모드와 $10^{-12}$ 안에서 같습니다.
# - 같은 연산을 샘플 축을 따라 한꺼번에 하는 것, 그것이 텐서 프레임워크가 하는 일입니다.
