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
# # 11b. CNN 학습하기: 숫자 읽기, 학습된 필터, 잔차 블록
#
# [11_cnn](11_cnn.ipynb)에서 합성곱·풀링·완전 연결 층을 하나씩 보았습니다. 이번에는 그것으로 8×8 손글씨 숫자를 읽는 작은 CNN을 학습하고,
#
# 1. 학습 곡선, 정확도, 혼동 행렬을 보고,
# 2. 필터가 학습 전(무작위)과 후에 어떻게 다른지, 활성화 맵이 무엇을 보는지 그리고,
# 3. 한 픽셀 옮긴 숫자를 얼마나 잘 읽는지 픽셀을 한 줄로 편 선형 분류기와 비교하고,
# 4. 같은 깊이의 합성곱 층을 그냥 쌓은 망과 **잔차 블록(residual block)** 으로 쌓은 망(ResNet)을 나란히 학습해, 첫 층까지 도달하는 기울기를 비교합니다.

# %%
import math
import time

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, losses, nn, no_grad
from micrograd_ko.compiler import trace
from micrograd_ko.nn.utils import total_norm
from micrograd_ko.optim import Adam

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

X, y = data.digits()
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.25, seed=0)
X_train, y_train = X_train[:600], y_train[:600]  # 시간을 아끼려고 훈련 이미지는 600장만 씁니다
print(f"훈련 {len(y_train)}장, 테스트 {len(y_test)}장 (8×8 픽셀, 값 0~1)")

# %% [markdown]
# ## 1. 숫자를 읽는 작은 CNN
#
# 합성곱 3×3(필터 4개, He 초기화) → ReLU → 2×2 최대 풀링 → 펴기(flatten) → 완전 연결 층(36 → 10)입니다. 크기는
# $8\times8 \xrightarrow{\text{conv } 3\times3} 4\times6\times6 \xrightarrow{\text{pool } 2} 4\times3\times3 = 36 \xrightarrow{\text{linear}} 10$.
# 손실은 소프트맥스 교차 엔트로피(softmax cross-entropy), 옵티마이저는 Adam(학습률 0.02), 미니배치 16장으로 4 **에포크(epoch, 훈련 데이터를 한 번 다 보는 것)** 학습합니다.
# 시간을 아끼려고 학습은 **컴파일 모드(compiled mode)**(15번 노트북)로 합니다: 샘플 하나의 손실 그래프를 `trace`로 한 번 기록해 두고, 미니배치마다
# `program.loss(batch)`와 `program.backward()`가 그 그래프를 numpy로 샘플 16장에 한꺼번에 실행합니다. 학습 고리의 모양은
# `zero_grad` → 손실 → 역전파 → `step`으로 엔진과 같고, 계산하는 값도 같습니다(첫 미니배치에서 엔진의 `backward()`와 비교합니다).
#
# **실행하기 전에 예측해 보세요.** 매개변수 410개짜리 이 CNN이 4 에포크 뒤 처음 보는 테스트 숫자의 몇 %를 맞힐까요? 50%? 70%? 90%?

# %%
model = nn.Sequential(
    nn.Conv2d(1, 4, 3, init="he", seed=0),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(36, 10, seed=1),
)
print(model)
sizes = [nn.output_size(8, 3), nn.output_size(nn.output_size(8, 3), 2, 2)]
print(f"식으로 계산한 크기: 합성곱 뒤 {sizes[0]}×{sizes[0]}, 풀링 뒤 {sizes[1]}×{sizes[1]}, 펴면 4·{sizes[1]}·{sizes[1]} = {4 * sizes[1] ** 2}")
print(f"매개변수: 합성곱 {4 * (9 + 1)}개 + 완전 연결 {36 * 10 + 10}개 = {len(model.parameters())}개")
conv = model[0]
assert isinstance(conv, nn.Conv2d)
filters_before = np.array([[[w.data for w in row] for row in out[0]] for out in conv.weight])  # 학습 전 (He 초기화)


def scorer(net: nn.Module):
    """이미지 여러 장(행마다 64픽셀)의 점수를 한꺼번에 계산하는 함수.

    샘플 하나의 그래프를 한 번 기록(trace)해 두고 numpy로 실행합니다(15번 노트북의 컴파일 모드). 학습은 엔진으로 하고,
    테스트 이미지 수백 장의 점수만 이렇게 빠르게 계산합니다. 매개변수는 실행할 때의 값을 읽습니다.
    """
    program = trace(lambda s: net([[[s[r * 8 : (r + 1) * 8] for r in range(8)]]])[0], X_test[0].tolist(), net.parameters())
    return lambda rows: program.forward(rows)


def with_one_hot(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """한 행이 샘플 하나: 픽셀 64개 뒤에 정답의 원-핫(one-hot) 10개."""
    return np.column_stack([X, np.eye(10)[y]])


def sample_loss(sample: list[Value]) -> Value:
    """샘플 하나의 손실: 앞의 64개는 픽셀, 뒤의 10개는 정답의 원-핫. -log softmax(점수)[정답]."""
    logits = model([[[sample[r * 8 : (r + 1) * 8] for r in range(8)]]])[0]
    return -Value.dot(losses.log_softmax(logits), sample[64:])


program = trace(sample_loss, with_one_hot(X_train[:1], y_train[:1])[0].tolist(), model.parameters())

# 엔진의 backward와 기록한 프로그램이 첫 미니배치에서 같은 손실·같은 기울기를 내는지 확인합니다
first_X, first_y = next(iter(data.batches(X_train, y_train, batch_size=16, seed=0)))
logits = model(data.as_images(first_X))
eager_loss = Value.sum(losses.softmax_cross_entropy(row, int(c)) for row, c in zip(logits, first_y)) / len(first_y)
model.zero_grad()
eager_loss.backward()
eager_grads = np.array([p.grad for p in model.parameters()])
compiled_loss = program.loss(with_one_hot(first_X, first_y))
compiled_grads = program.backward(accumulate=False)
print(f"첫 미니배치: 엔진의 손실 {eager_loss.data:.12f}, 기록한 프로그램의 손실 {compiled_loss:.12f}, "
      f"기울기 {len(eager_grads)}개의 가장 큰 차이 {np.abs(eager_grads - compiled_grads).max():.1e}")

optimizer = Adam(model.parameters(), lr=0.02)
epoch_losses = []
started = time.perf_counter()
for epoch in range(4):
    batch_losses = []
    for X_batch, y_batch in data.batches(X_train, y_train, batch_size=16, seed=epoch):
        optimizer.zero_grad()
        batch_losses.append(program.loss(with_one_hot(X_batch, y_batch)))  # 16장의 평균 손실
        program.backward()  # 16장의 평균 기울기를 p.grad에 더합니다
        optimizer.step()
    epoch_losses.append(batch_losses)
    print(f"에포크 {epoch + 1}: 평균 훈련 손실 {np.mean(batch_losses):.4f}")
training_seconds = time.perf_counter() - started
# 걸린 시간은 컴퓨터가 얼마나 바쁜지에 따라 달라지므로, 넉넉한 기준 하나와 비교해 출력합니다
print(f"미니배치 {sum(map(len, epoch_losses))}걸음의 학습이 이 컴퓨터에서 {'10초 안에 끝났습니다' if training_seconds < 10 else '10초보다 오래 걸렸습니다 (컴퓨터가 바쁜 것 같습니다)'}")

model.eval()
predicted = np.argmax(scorer(model)(X_test), axis=1)
with no_grad():  # 엔진으로 직접 계산한 점수와 같은지, 처음 20장으로 확인합니다
    assert [int(np.argmax([v.data for v in row])) for row in model(data.as_images(X_test[:20]))] == predicted[:20].tolist()
accuracy = float(np.mean(predicted == y_test))
print(f"테스트 정확도 {accuracy:.1%} (테스트 이미지 {len(y_test)}장, 맞힌 것 {np.sum(predicted == y_test)}장)")

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(np.arange(1, sum(map(len, epoch_losses)) + 1), np.concatenate(epoch_losses), linewidth=0.8)
ax.set_xlabel("미니배치 걸음")
ax.set_ylabel("훈련 손실")
ax.set_title("CNN의 학습 곡선")
plt.show()

# %% [markdown]
# 매개변수 410개짜리 모델이 미니배치 152걸음(이 컴퓨터에서 10초가 안 걸린 학습)으로 처음 보는 숫자의 90% 이상을 맞힙니다. 어떤 숫자를 헷갈렸는지 봅니다.

# %%
confusion = np.zeros((10, 10), dtype=int)
for true, guess in zip(y_test, predicted):
    confusion[true, guess] += 1
fig, ax = plt.subplots(figsize=(4.5, 4))
ax.imshow(confusion, cmap="Blues")
for i in range(10):
    for j in range(10):
        if confusion[i, j]:
            ax.text(j, i, confusion[i, j], ha="center", va="center", fontsize=7,
                    color="white" if confusion[i, j] > confusion.max() / 2 else "black")
ax.set_xticks(range(10))
ax.set_yticks(range(10))
ax.set_xlabel("예측한 숫자")
ax.set_ylabel("정답 숫자")
ax.set_title("혼동 행렬(confusion matrix)")
plt.show()
off_diagonal = confusion - np.diag(np.diag(confusion))
true, guess = np.unravel_index(np.argmax(off_diagonal), confusion.shape)
print(f"가장 많이 틀린 경우: 정답 {true}을(를) {guess}(으)로 {off_diagonal[true, guess]}번")

# %% [markdown]
# ## 2. 학습 전과 후의 필터, 그리고 활성화 맵
#
# 11번 노트북에서는 필터를 손으로 정했지만, 이번 필터 네 개는 무작위(He 초기화)에서 시작해 **기울기로 배운 것** 입니다.
# 위 줄은 학습 전 필터, 가운데 줄은 학습 후 필터, 아래 줄은 테스트 숫자 하나에 대한 활성화 맵(ReLU 뒤)입니다. 필터 여덟 칸은 모두 같은 색 눈금(컬러 바)을 쓰고, 활성화 맵 네 칸도 서로 같은 눈금을 씁니다.
#
# **실행하기 전에 예측해 보세요.** 152걸음 동안 필터는 처음 값에서 얼마나 움직일까요(필터 크기에 대한 비율)? 학습 후 필터는 소벨 필터처럼 보일까요?

# %%
filters_after = np.array([[[w.data for w in row] for row in out[0]] for out in conv.weight])
digit_image = data.as_images(X_test[:1])
with no_grad():
    activation = model[1](conv(digit_image))[0]
activation_maps = np.array([[[v.data for v in row] for row in channel] for channel in activation])

fig, axes = plt.subplots(3, 5, figsize=(13, 7.4))
axes[2, 0].imshow(X_test[0].reshape(8, 8), cmap="gray_r")
axes[2, 0].set_title(f"입력 (숫자 {y_test[0]})")
axes[0, 0].axis("off")
axes[1, 0].axis("off")
limit = max(np.abs(filters_before).max(), np.abs(filters_after).max())
act_limit = activation_maps.max()
for o in range(4):
    for row, (weights, when) in enumerate([(filters_before, "학습 전"), (filters_after, "학습 후")]):
        shown = axes[row, o + 1].imshow(weights[o], cmap="RdBu_r", vmin=-limit, vmax=limit)
        axes[row, o + 1].set_title(f"필터 {o}, {when}", fontsize=10)
        fig.colorbar(shown, ax=axes[row, o + 1], fraction=0.046)
    shown = axes[2, o + 1].imshow(activation_maps[o], cmap="magma", vmin=0, vmax=act_limit)
    axes[2, o + 1].set_title(f"채널 {o}의 활성화 맵", fontsize=10)
    fig.colorbar(shown, ax=axes[2, o + 1], fraction=0.046)
for ax in axes.ravel():
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("위: 학습 전 필터 / 가운데: 학습 후 필터 (빨강 양수, 파랑 음수) / 아래: ReLU 뒤의 활성화 맵")
fig.tight_layout()
plt.show()
for o in range(4):
    moved = np.linalg.norm(filters_after[o] - filters_before[o]) / np.linalg.norm(filters_before[o])
    print(f"필터 {o}: 학습으로 움직인 거리 / 처음 크기 = {moved:.2f}, 가중치 합 {filters_before[o].sum():+.3f} → {filters_after[o].sum():+.3f}, "
          f"편향 {conv.bias[o].data:+.3f}, 이 숫자에서 0이 아닌 활성값 {np.count_nonzero(activation_maps[o])}/36")

# %% [markdown]
# 학습 전후의 필터를 나란히 보면, 필터 네 개 모두 무작위로 뽑힌 처음 값에서 처음 크기보다 먼 거리를 움직였습니다(위의 비율이 모두 1보다 큽니다).
# 152걸음은 짧아서 소벨처럼 깔끔한 모양이 되지는 않습니다. 그래도 아래 줄처럼 네 채널은 같은 숫자의 서로 다른 부분에서 켜지고(0이 아닌 활성값의 개수가 채널마다 다릅니다),
# 완전 연결 층은 이 네 맵을 보고 숫자를 가립니다.
#
# ## 3. 한 픽셀 옮긴 숫자 읽기
#
# 11번 노트북에서 합성곱의 출력은 입력을 따라 옮겨지고, 최대 풀링은 작은 이동에 덜 민감하게 만드는 것을 보았습니다. 그것이 학습된 분류기의 정확도에서는
# 어떻게 나타날까요? 테스트 숫자를 위·아래·왼쪽·오른쪽으로 한 픽셀 옮겨(빈자리는 0) 정확도를 잽니다. 비교 대상은 픽셀 64개를 한 줄로 편 **선형 분류기**
# (`nn.Linear(64, 10)`, 같은 데이터·같은 옵티마이저·같은 에포크)입니다.
#
# **실행하기 전에 예측해 보세요.** 한 픽셀 옮기면 두 모델의 정확도는 각각 얼마나 떨어질까요? 어느 쪽이 더 많이 떨어질까요?

# %%
def shift(rows: np.ndarray, d_row: int, d_col: int) -> np.ndarray:
    """8×8 이미지들을 (d_row, d_col)만큼 옮깁니다. 밀려 나간 픽셀은 버리고 빈자리는 0."""
    images = rows.reshape(-1, 8, 8)
    moved = np.zeros_like(images)
    rows_to, rows_from = slice(max(d_row, 0), 8 + min(d_row, 0)), slice(max(-d_row, 0), 8 + min(-d_row, 0))
    cols_to, cols_from = slice(max(d_col, 0), 8 + min(d_col, 0)), slice(max(-d_col, 0), 8 + min(-d_col, 0))
    moved[:, rows_to, cols_to] = images[:, rows_from, cols_from]
    return moved.reshape(len(rows), 64)


linear = nn.Sequential(nn.Flatten(), nn.Linear(64, 10, seed=1))
linear_optimizer = Adam(linear.parameters(), lr=0.02)
for epoch in range(4):
    for X_batch, y_batch in data.batches(X_train, y_train, batch_size=16, seed=epoch):
        logits = linear(data.as_images(X_batch))
        loss = Value.sum(losses.softmax_cross_entropy(row, int(c)) for row, c in zip(logits, y_batch)) / len(y_batch)
        linear_optimizer.zero_grad()
        loss.backward()
        linear_optimizer.step()

moves = {"그대로": (0, 0), "위로 1": (-1, 0), "아래로 1": (1, 0), "왼쪽으로 1": (0, -1), "오른쪽으로 1": (0, 1)}
scorers = {"CNN": scorer(model), "선형 분류기": scorer(linear)}
shift_accuracy: dict[str, dict[str, float]] = {who: {} for who in scorers}
for name, (d_row, d_col) in moves.items():
    moved = shift(X_test, d_row, d_col)
    for who, scores in scorers.items():
        shift_accuracy[who][name] = float(np.mean(np.argmax(scores(moved), axis=1) == y_test))
print(f"{'':12s}" + "".join(f"{name:>12s}" for name in moves) + f"{'옮긴 네 경우의 평균 하락':>20s}")
for who, row in shift_accuracy.items():
    drop = row["그대로"] - np.mean([row[name] for name in moves if name != "그대로"])
    print(f"{who:12s}" + "".join(f"{row[name]:12.1%}" for name in moves) + f"{drop:18.1%}p")

# %% [markdown]
# 가장 큰 사실은 두 모델 모두 한 픽셀만 옮겨도 정확도가 크게 떨어진다는 것입니다: 8×8 숫자에서 한 픽셀은 숫자 크기의 꽤 큰 부분이고,
# 두 모델은 가운데 놓인 숫자만 보고 배웠습니다. 옮긴 네 경우의 평균으로는 CNN이 선형 분류기보다 덜 떨어지지만(마지막 열), 방향에 따라서는
# 차이가 거의 없기도 합니다(아래로 1). '무늬가 어디에 있든 찾는다'는 것은 합성곱 층에 대한 말이고, 그 뒤의 완전 연결 층은 자리마다 다른 가중치를 쓰므로
# 분류기 전체가 이동을 무시하지는 않습니다. 이 CNN의 풀링은 한 번, 2×2뿐이기도 합니다. 이동에 더 강하게 만들려면 옮긴 이미지로도 학습합니다(데이터 증강, data augmentation).
#
# ## 4. 잔차 블록: 깊게 쌓아도 기울기가 첫 층까지
#
# 강의 노트의 잔차 네트워크(residual network, ResNet)는 층이 만들 출력 전체가 아니라 **입력에 더할 값** 만 만들게 합니다:
# 블록의 출력은 $y = x + F(x)$이고, 더하기로 입력을 건너뛰는 길을 **스킵 연결(skip connection)** 이라고 합니다.
# $F$가 0에 가까우면 블록은 입력을 그대로 넘기고, 역전파에서도 $\partial y / \partial x = I + \partial F/\partial x$라 기울기가 항등 경로로 바로 지나갑니다.
#
# 같은 합성곱 층 7개(채널 4, 3×3, 패딩 1, PyTorch의 기본 초기화)를 두 가지로 쌓아 같은 가중치에서 시작합니다.
#
# - 그냥 쌓은 망(plain): 합성곱 → ReLU → [합성곱 → ReLU → 합성곱 → ReLU] × 3
# - 잔차 망(residual): 합성곱 → ReLU → [$x$ + (합성곱 → ReLU → 합성곱)(x) → ReLU] × 3 (`nn.Residual`)
#
# 뒤는 둘 다 2×2 최대 풀링 → 펴기 → 완전 연결(64 → 10)입니다. 학습은 1절처럼 컴파일 모드로 하고,
# 미니배치 32장, Adam(학습률 0.01), 4 에포크입니다. 걸음마다 첫 합성곱 층의 기울기 노름 $\lVert \partial L / \partial W_1 \rVert$을 기록합니다.
#
# **실행하기 전에 예측해 보세요.** 학습을 시작할 때 첫 층의 기울기는 두 망에서 몇 배나 차이 날까요? 4 에포크 뒤의 정확도는 어느 쪽이 높을까요?

# %%
CHANNELS, BLOCKS = 4, 3


def stacked_cnn(residual: bool) -> tuple[nn.Sequential, list[nn.Conv2d]]:
    """합성곱 7층짜리 CNN과 그 합성곱 층들(입력 쪽부터). residual이면 블록마다 스킵 연결을 둡니다. 두 경우 가중치는 같습니다."""
    convs = [nn.Conv2d(1, CHANNELS, 3, padding=1, seed=0)]
    layers: list[nn.Module] = [convs[0], nn.ReLU()]
    for k in range(BLOCKS):
        first, second = (nn.Conv2d(CHANNELS, CHANNELS, 3, padding=1, seed=10 + 2 * k + j) for j in range(2))
        convs += [first, second]
        block = nn.Sequential(first, nn.ReLU(), second)
        layers += [nn.Residual(block) if residual else block, nn.ReLU()]
    layers += [nn.MaxPool2d(2), nn.Flatten(), nn.Linear(CHANNELS * 16, 10, seed=1)]
    return nn.Sequential(*layers), convs


LOSS_ONLY = [1.0] + [0.0] * 10  # 프로그램의 출력 [손실, 점수 10개] 중 손실만 역전파합니다
results = {}
for residual in (False, True):
    net, convs = stacked_cnn(residual)
    params = net.parameters()

    def per_sample(sample: list[Value], net: nn.Sequential = net) -> list[Value]:
        image = [[sample[r * 8 : (r + 1) * 8] for r in range(8)]]
        logits = net([image])[0]
        return [-Value.dot(losses.log_softmax(logits), sample[64:])] + logits

    program = trace(per_sample, with_one_hot(X_train[:1], y_train[:1])[0].tolist(), params)
    # 학습 전, 훈련 이미지 64장에서 층마다의 기울기 노름
    for p in params:
        p.grad = 0.0
    program.forward(with_one_hot(X_train[:64], y_train[:64]))
    program.backward(output_weights=LOSS_ONLY)
    per_layer = [total_norm([w.grad for w in layer.parameters()]) for layer in convs]
    opt = Adam(params, lr=0.01)
    first_norms, step_losses = [], []
    for epoch in range(4):
        for X_batch, y_batch in data.batches(X_train, y_train, batch_size=32, seed=epoch):
            opt.zero_grad()
            outputs = program.forward(with_one_hot(X_batch, y_batch))
            program.backward(output_weights=LOSS_ONLY)
            first_norms.append(total_norm([w.grad for w in convs[0].parameters()]))
            step_losses.append(float(outputs[:, 0].mean()))
            opt.step()
    scores = program.forward(with_one_hot(X_test, y_test))[:, 1:]
    results["잔차 망" if residual else "그냥 쌓은 망"] = {
        "per_layer": per_layer,
        "first": first_norms,
        "loss": step_losses,
        "accuracy": float(np.mean(np.argmax(scores, axis=1) == y_test)),
    }

for name, r in results.items():
    print(f"{name}: 학습 전 층마다의 기울기 노름 (입력 쪽부터) {' '.join(f'{g:.1e}' for g in r['per_layer'])}")
for name, r in results.items():
    print(f"{name}: 첫 층 기울기 노름 — 첫 걸음 {r['first'][0]:.1e}, 처음 10걸음 평균 {np.mean(r['first'][:10]):.1e}; "
          f"마지막 10걸음의 평균 손실 {np.mean(r['loss'][-10:]):.3f}, 테스트 정확도 {r['accuracy']:.1%}")
plain, res = results["그냥 쌓은 망"], results["잔차 망"]
print(f"학습 전 첫 층의 기울기: 잔차 망이 그냥 쌓은 망의 {res['per_layer'][0] / plain['per_layer'][0]:.0f}배")
print(f"학습 전 마지막 층 / 첫 층의 기울기 비: 그냥 쌓은 망 {plain['per_layer'][-1] / plain['per_layer'][0]:.0f}, "
      f"잔차 망 {res['per_layer'][-1] / res['per_layer'][0]:.1f}")

# %%
fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(14, 3.6))
for name, r in results.items():
    ax1.semilogy(range(1, 8), r["per_layer"], "o-", label=name)
    ax2.semilogy(r["first"], label=name)
    ax3.plot(r["loss"], label=f"{name} (정확도 {r['accuracy']:.0%})")
ax1.set_xlabel("합성곱 층 (1 = 입력 쪽)")
ax1.set_ylabel("기울기 노름 (로그 눈금)")
ax1.set_title("학습 전, 층마다의 기울기")
ax2.set_xlabel("미니배치 걸음")
ax2.set_ylabel("‖∂L/∂W₁‖ (로그 눈금)")
ax2.set_title("학습 중 첫 층의 기울기")
ax3.set_xlabel("미니배치 걸음")
ax3.set_ylabel("훈련 손실")
ax3.set_title("학습 곡선")
for ax in (ax1, ax2, ax3):
    ax.legend(fontsize=8)
plt.tight_layout()
plt.show()

# %% [markdown]
# 숫자로 읽으면: 그냥 쌓은 망은 학습 전에 기울기가 입력 쪽으로 갈수록 층마다 줄어, 첫 층의 기울기가 마지막 층보다 수백 배 작습니다(위의 비).
# 10b번 노트북에서 본 깊은 망의 기울기 소실이 합성곱 층에서도 일어나는 것입니다. 잔차 망은 스킵 연결의 항등 경로 덕분에 첫 층까지 비슷한 크기의 기울기가 도달하고,
# 같은 4 에포크 동안 손실이 더 많이 내려가 정확도도 높습니다. 강의 노트는 스킵 연결이 '무작위로 초기화된 층들이 제 역할을 하기까지 오래 걸리는 단점'을
# 해결한다고 적는데, 이 숫자가 그것을 보여 줍니다: 블록이 입력에 더할 값만 배우면 되므로 처음부터 모든 층이 배울 신호를 받습니다.
# 그냥 쌓은 망도 Adam이 작은 기울기를 키워 주므로 배우기는 하지만, 같은 걸음 수에서 뒤처집니다.
#
# ## 정리
#
# - 합성곱 하나, 풀링 하나, 완전 연결 하나짜리 CNN(매개변수 410개)이 미니배치 152걸음 만에 테스트 숫자의 90% 넘게 맞힙니다.
# - 필터는 무작위에서 출발해 기울기로 움직이고, 학습 전후를 나란히 그리면 무엇이 바뀌었는지 보입니다.
# - 한 픽셀 옮긴 숫자에서 두 분류기 모두 정확도가 크게 떨어지고, 평균으로는 CNN이 선형 분류기보다 덜 떨어집니다. 분류기 전체가 이동을 무시하지는 않습니다.
# - 같은 합성곱 7층에서 스킵 연결 $y = x + F(x)$는 첫 층까지 가는 기울기를 지키고, 같은 걸음 수에서 더 잘 배웁니다.
