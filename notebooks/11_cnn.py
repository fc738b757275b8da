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
# # 11. 합성곱 신경망 (CNN)
#
# 지금까지의 신경망은 입력을 숫자 목록으로 받았습니다. 이미지를 한 줄로 펴서 넣으면 '이웃한 픽셀'이라는 정보가 사라지고,
# 같은 무늬가 다른 자리에 나타나면 다른 가중치로 따로 배워야 합니다. **합성곱 신경망(convolutional neural network, CNN)** 은
#
# 1. 작은 **필터(filter, kernel)** 를 이미지 위로 밀면서 겹치는 부분끼리 곱해 더한 값으로 **활성화 맵(activation map, feature map)** 을 만들고
#    (**합성곱 층, convolution layer**: 학습되는 가중치는 필터의 계수입니다),
# 2. **풀링(pooling)** 으로 맵의 크기를 줄이고,
# 3. 마지막에 **완전 연결 층(fully connected layer)** 으로 분류합니다.
#
# 데이터는 scikit-learn에 들어 있는 8×8 손글씨 숫자 1,797장(`data.digits()`)입니다. 강의 노트의 MNIST(28×28)를 내려받지 않고 쓸 수 있는 작은 대역입니다.

# %%
import math

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, draw, losses, nn, no_grad
from micrograd_ko.optim import Adam

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %%
X, y = data.digits()
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.25, seed=0)
X_train, y_train = X_train[:600], y_train[:600]  # 시간을 아끼려고 훈련 이미지는 600장만 씁니다
print(f"전체 {len(y)}장, 훈련 {len(y_train)}장, 테스트 {len(y_test)}장, 픽셀 {X.shape[1]}개 = 8×8, 값의 범위 {X.min()}~{X.max()}")

fig, axes = plt.subplots(1, 10, figsize=(12, 1.6))
for digit, ax in enumerate(axes):
    ax.imshow(X_train[y_train == digit][0].reshape(8, 8), cmap="gray_r")
    ax.set_title(f"{digit}")
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("훈련 데이터의 숫자들 (8×8 픽셀)")
plt.show()

# %% [markdown]
# ## 1. 손으로 만든 필터: 가장자리 검출기
#
# 필터가 이미지 위 한 자리에서 하는 일은 **내적(dot product)** 하나입니다. 출력 채널 $o$의 $(i, j)$ 자리 값은
#
# $$\text{out}[o][i][j] = b_o + \sum_{c}\sum_{a}\sum_{b} W[o][c][a][b]\cdot x[c][i\cdot s + a - p][j\cdot s + b - p]$$
#
# ($s$: 보폭(stride), $p$: 패딩(padding)). 학습하기 전에, 가중치를 손으로 정해 무엇을 찾는 필터인지 봅니다. 소벨(Sobel) 필터는
# 왼쪽과 오른쪽(또는 위와 아래)의 픽셀 값 차이를 잽니다. 그래서 **세로 가장자리(vertical edge)** 에서 크게 반응합니다.
# `nn.Conv2d(1, 2, 3, padding=1, bias=False)`의 두 출력 채널에 세로·가로 가장자리 필터를 넣습니다.

# %%
SOBEL_VERTICAL = np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]])
SOBEL_HORIZONTAL = SOBEL_VERTICAL.T
edges = nn.Conv2d(1, 2, 3, padding=1, bias=False)
for o, kernel in enumerate([SOBEL_VERTICAL, SOBEL_HORIZONTAL]):
    for a in range(3):
        for b in range(3):
            edges.weight[o][0][a][b].data = float(kernel[a, b])

image = data.as_images(X_test[:1])[0]  # [channel][row][col] = 1×8×8
with no_grad():
    maps = np.array([[[v.data for v in row] for row in channel] for channel in edges([image])[0]])
print(f"입력 이미지 {nn.shape_of(image)} → 출력 {maps.shape} (채널 2개, 패딩 1이라 크기 유지), 정답 {y_test[0]}")

fig, axes = plt.subplots(1, 3, figsize=(12, 3.4))
axes[0].imshow(np.array(image[0]), cmap="gray_r")
axes[0].set_title(f"입력 (숫자 {y_test[0]})")
for ax, m, title in zip(axes[1:], maps, ["세로 가장자리 필터의 활성화 맵", "가로 가장자리 필터의 활성화 맵"]):
    limit = np.abs(maps).max()
    shown = ax.imshow(m, cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set_title(title)
    fig.colorbar(shown, ax=ax, fraction=0.046)
for ax in axes:
    ax.set_xlabel("열(col)")
    ax.set_ylabel("행(row)")
fig.subplots_adjust(wspace=0.45)
plt.show()

# 한 픽셀을 손으로: 출력 (3, 2) 자리 = 입력의 (2..4, 1..3) 창과 필터의 원소별 곱의 합
window = np.array(image[0])[2:5, 1:4]
print("입력의 창(window):\n", np.round(window, 3))
print(f"Σ 창 × 세로 필터 = {np.sum(window * SOBEL_VERTICAL):.4f},  Conv2d의 출력 [0][3][2] = {maps[0, 3, 2]:.4f}")

# %% [markdown]
# 빨간색(양수)은 왼쪽 픽셀의 값(잉크)이 오른쪽보다 큰 자리, 파란색(음수)은 그 반대인 자리입니다. 즉 획의 왼쪽 끝과 오른쪽 끝이 다른 색으로 드러납니다. 필터 **하나가 무늬 하나** 를 찾고,
# 필터 개수만큼 활성화 맵(= 출력 **채널, channel**)이 생깁니다. 같은 필터를 모든 자리에 쓰므로(가중치 공유, weight sharing) 무늬가 어디에 있든 찾습니다.
#
# ## 2. 채널, 보폭, 패딩, 풀링과 출력 크기
#
# 한 축의 출력 크기는
#
# $$\text{out} = \left\lfloor \frac{\text{size} + 2p - k}{s} \right\rfloor + 1$$
#
# 입니다($k$: 필터 크기). `nn.output_size`가 이 식이고, 층을 실제로 통과시킨 결과의 모양(`nn.shape_of`)과 비교합니다.
# 매개변수 개수는 필터마다 $C_{in}\cdot k\cdot k$개의 가중치와 편향 하나이므로 $C_{out}(C_{in} k^2 + 1)$개입니다.
#
# **실행하기 전에 예측해 보세요.** 8×8 이미지에 3×3 필터를 보폭 2, 패딩 1로 적용하면 출력은 몇×몇일까요?
# 채널 2개짜리 입력에 5×5 필터 3개를 쓰는 층의 매개변수는 몇 개일까요?

# %%
two_channel = [np.stack([X_test[0].reshape(8, 8), X_test[1].reshape(8, 8)]).tolist()]  # 채널 2개짜리 8×8 입력 하나
print(f"{'층':44s} {'식으로 계산한 출력':>16s} {'층의 출력':>14s} {'매개변수(식)':>12s} {'매개변수(층)':>12s}")
for c_in, c_out, k, s, p in [(1, 4, 3, 1, 0), (1, 4, 3, 1, 1), (1, 4, 3, 2, 1), (2, 3, 5, 1, 2), (2, 8, 2, 2, 0)]:
    layer = nn.Conv2d(c_in, c_out, k, stride=s, padding=p, seed=0)
    batch = [image] if c_in == 1 else two_channel
    with no_grad():
        shape = nn.shape_of(layer(batch)[0])
    size = nn.output_size(8, k, s, p)
    predicted = (c_out, size, size)
    assert shape == predicted
    print(f"{f'Conv2d({c_in}, {c_out}, {k}, stride={s}, padding={p})':44s} {str(predicted):>16s} {str(shape):>14s} {c_out * (c_in * k * k + 1):12d} "
          f"{len(layer.parameters()):12d}")

for pool in [nn.MaxPool2d(2), nn.AvgPool2d(2), nn.MaxPool2d(3, stride=1), nn.AvgPool2d(2, stride=3)]:
    with no_grad():
        shape = nn.shape_of(pool([image])[0])
    k, s = pool.kernel_size[0], pool.stride[0]
    print(f"{f'{type(pool).__name__}({k}, stride={s})':44s} {str((1, nn.output_size(8, k, s), nn.output_size(8, k, s))):>16s} {str(shape):>14s}"
          f" {0:12d} {len(pool.parameters()):12d}")

# %% [markdown]
# 풀링(pooling)은 채널마다 따로, 창 안의 값들을 하나로 줄입니다. **최대 풀링(max pooling)** 은 가장 큰 값을, **평균 풀링(average pooling)** 은 평균을 남기고,
# 학습되는 매개변수가 없습니다. 보폭의 기본값은 창의 크기라 창이 겹치지 않습니다. 작은 예로 숫자를 직접 봅니다.

# %%
tiny = [[[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 6.0, 2.0], [2.0, 2.0, 3.0, 1.0]]]
print("입력 4×4:\n", np.array(tiny[0]))
with no_grad():
    for pool in [nn.MaxPool2d(2), nn.AvgPool2d(2)]:
        print(f"{pool!r} →", np.array([[v.data for v in row] for row in pool([tiny])[0][0]]).tolist())

# %% [markdown]
# **실행하기 전에 예측해 보세요.** 위의 4×4 입력에 2×2 최대 풀링을 하고 네 출력의 합을 역전파하면, 어느 픽셀의 기울기가 0이 아닐까요?
#
# 최대 풀링의 역전파는 창에서 **가장 컸던 자리 하나** 에만 기울기를 보냅니다(그 자리만 출력에 영향을 주니까요).

# %%
pixels = [[[Value(v) for v in row] for row in tiny[0]]]
pooled = nn.MaxPool2d(2)([pixels])[0][0]
Value.sum([v for row in pooled for v in row]).backward()
print("각 입력 픽셀의 기울기:\n", np.array([[v.grad for v in row] for row in pixels[0]]))

# %% [markdown]
# ## 3. 숫자를 읽는 작은 CNN
#
# 합성곱 3×3(필터 4개, He 초기화) → ReLU → 2×2 최대 풀링 → 펴기(flatten) → 완전 연결 층(36 → 10)입니다. 크기는
# $8\times8 \xrightarrow{\text{conv } 3\times3} 4\times6\times6 \xrightarrow{\text{pool } 2} 4\times3\times3 = 36 \xrightarrow{\text{linear}} 10$.
# 손실은 소프트맥스 교차 엔트로피, 옵티마이저는 Adam(학습률 0.02), 미니배치 16장으로 4 에포크 학습합니다.

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


def predict(model, X):
    """가장 큰 점수의 클래스 (기울기가 필요 없으니 no_grad)."""
    with no_grad():
        logits = model(data.as_images(X))
    return np.array([int(np.argmax([v.data for v in row])) for row in logits])


optimizer = Adam(model.parameters(), lr=0.02)
epoch_losses = []
for epoch in range(4):
    batch_losses = []
    for X_batch, y_batch in data.batches(X_train, y_train, batch_size=16, seed=epoch):
        logits = model(data.as_images(X_batch))
        loss = Value.sum(losses.softmax_cross_entropy(row, int(c)) for row, c in zip(logits, y_batch)) / len(y_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        batch_losses.append(loss.data)
    epoch_losses.append(batch_losses)
    print(f"에포크 {epoch + 1}: 평균 훈련 손실 {np.mean(batch_losses):.4f}")

model.eval()
predicted = predict(model, X_test)
print(f"테스트 정확도 {np.mean(predicted == y_test):.1%} (테스트 이미지 {len(y_test)}장, 맞힌 것 {np.sum(predicted == y_test)}장)")

fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(np.arange(1, sum(map(len, epoch_losses)) + 1), np.concatenate(epoch_losses), linewidth=0.8)
ax.set_xlabel("미니배치 걸음")
ax.set_ylabel("훈련 손실")
ax.set_title("CNN의 학습 곡선")
plt.show()

# %% [markdown]
# 매개변수 수백 개짜리 모델이 몇 초 학습으로 처음 보는 숫자의 90% 이상을 맞힙니다. 어떤 숫자를 헷갈렸는지 봅니다.

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
# ## 4. 학습된 필터와 활성화 맵
#
# 1절에서는 필터를 손으로 정했지만, 이번 필터 네 개는 무작위(He 초기화)에서 시작해 **기울기로 배운 것** 입니다. 필터와, 테스트 숫자 하나에 대한 활성화 맵(ReLU 뒤)을 그립니다.

# %%
conv = model[0]
filters = np.array([[[w.data for w in row] for row in out[0]] for out in conv.weight])
digit_image = data.as_images(X_test[:1])
with no_grad():
    activation = model[1](conv(digit_image))[0]
activation_maps = np.array([[[v.data for v in row] for row in channel] for channel in activation])

fig, axes = plt.subplots(2, 5, figsize=(11, 4.6))
axes[1, 0].imshow(X_test[0].reshape(8, 8), cmap="gray_r")
axes[1, 0].set_title(f"입력 (숫자 {y_test[0]})")
axes[0, 0].axis("off")
limit = np.abs(filters).max()
for o in range(4):
    axes[0, o + 1].imshow(filters[o], cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[0, o + 1].set_title(f"필터 {o} (3×3)")
    axes[1, o + 1].imshow(activation_maps[o], cmap="magma")
    axes[1, o + 1].set_title(f"채널 {o}의 활성화 맵 (6×6)")
for ax in axes.ravel():
    ax.set_xlabel("열")
    ax.set_ylabel("행")
fig.suptitle("위: 학습된 필터 (빨강 양수, 파랑 음수) / 아래: ReLU 뒤의 활성화 맵")
fig.tight_layout()
plt.show()
for o in range(4):
    print(f"필터 {o}: 가중치 합 {filters[o].sum():+.3f}, 편향 {conv.bias[o].data:+.3f}, 이 숫자에서 0이 아닌 활성값 {np.count_nonzero(activation_maps[o])}/36")

# %% [markdown]
# ## 5. 합성곱은 내적 여러 개다
#
# 엔진에서 합성곱 출력 픽셀 하나는 `dot` 노드 하나입니다. 부모는 필터의 가중치, 창의 픽셀, 편향입니다. 작게 보려고 2×2 필터 하나(`nn.Conv2d(1, 1, 2)`)를
# 숫자의 3×3 조각에 적용하고, 출력 픽셀 하나의 그래프를 그립니다.

# %%
small = nn.Conv2d(1, 1, 2, seed=3)
small.bias[0].data = 0.1
patch = [[[Value(round(float(v), 4), label=f"x[{r}][{c}]") for c, v in enumerate(row[2:5])]
          for r, row in enumerate(X_test[0].reshape(8, 8)[2:5])]]
out = small([patch])[0]
pixel = out[0][0][0]
pixel.label = "out[0][0][0]"
pixel.backward()
print(f"출력 맵의 모양 {nn.shape_of(out)}: dot 노드 {nn.output_size(3, 2) ** 2}개")
draw(pixel)

# %% [markdown]
# 그래프의 `dot` 노드 하나가 가중치 4개와 픽셀 4개를 곱해 더하고 편향을 더합니다. 역전파하면 **가중치의 기울기는 그 가중치가 만난 픽셀 값** 이고,
# 픽셀의 기울기는 가중치입니다. 같은 필터가 출력의 모든 자리에서 쓰이므로, 실제 학습에서는 자리마다의 기울기가 한 가중치에 **더해집니다**(`+=`).

# %%
for a in range(2):
    for b in range(2):
        w = small.weight[0][0][a][b]
        print(f"∂out/∂W[0][0][{a}][{b}] = {w.grad:.4f} = 픽셀 x[{a}][{b}] = {patch[0][a][b].data:.4f}")

# CNN 하나의 순전파에 dot 노드가 몇 개인지 셉니다.
logits = model(digit_image)[0]
seen, stack, dots = set(), list(logits), {}
while stack:
    node = stack.pop()
    if id(node) in seen:
        continue
    seen.add(id(node))
    if node.op == "dot":
        dots[len(node.parents)] = dots.get(len(node.parents), 0) + 1
    stack.extend(node.parents)
print(f"이미지 한 장의 순전파: 노드 {len(seen)}개, dot 노드 (부모 수: 개수) {dict(sorted(dots.items()))}")
k2, side = 3 * 3, nn.output_size(8, 3)
print(f"합성곱: 채널 4 × {side}·{side} 자리 = {4 * side * side}개의 dot (가중치 {k2} + 픽셀 {k2} + 편향 1 = 부모 {2 * k2 + 1}개)")
print(f"완전 연결: 출력 10개의 dot (가중치 36 + 입력 36 + 편향 1 = 부모 {36 + 36 + 1}개)")

# %% [markdown]
# ## 정리
#
# - 합성곱 층은 작은 필터를 이미지 위로 밀며 내적을 계산해 활성화 맵을 만듭니다. 필터 개수 = 출력 채널 수이고, 같은 필터를 모든 자리에서 씁니다.
# - 출력 크기는 $\lfloor(\text{size} + 2p - k)/s\rfloor + 1$. 풀링은 매개변수 없이 크기를 줄입니다.
# - CNN의 하이퍼파라미터: 필터의 개수와 크기(합성곱), 창의 크기와 보폭(풀링), 층과 뉴런의 수(완전 연결).
# - 합성곱 3×3 필터 4개와 완전 연결 층 하나로 8×8 숫자를 90% 넘게 맞혔습니다.
# - 엔진에서 합성곱은 dot 노드 여러 개일 뿐이라, 지금까지의 역전파가 그대로 작동합니다.
