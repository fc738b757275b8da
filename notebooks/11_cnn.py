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
# 이 노트북은 부품을 하나씩 봅니다: 손으로 만든 필터, 채널이 셋인 색 이미지, 출력 크기와 패딩, 풀링, 합성곱을 행렬 곱 하나로 바꾸는 im2col,
# 그리고 엔진 안에서 합성곱 출력 픽셀 하나가 어떤 그래프인지. 이 부품으로 숫자를 읽는 CNN을 학습하고 잔차 블록과 비교하는 것은
# [11b_cnn_training](11b_cnn_training.ipynb)에서 합니다.
#
# 데이터는 scikit-learn에 들어 있는 8×8 손글씨 숫자 1,797장(`data.digits()`)입니다. 강의 노트의 MNIST(28×28)를 내려받지 않고 쓸 수 있는 작은 대용 데이터입니다.

# %%
import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, draw, nn, no_grad

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %%
X, y = data.digits()
X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.25, seed=0)
print(f"전체 {len(y)}장, 훈련 {len(y_train)}장, 테스트 {len(y_test)}장, 픽셀 {X.shape[1]}개 = 8×8, 값의 범위 {X.min()}~{X.max()}")

fig, axes = plt.subplots(1, 10, figsize=(12, 1.6))
for digit, ax in enumerate(axes):
    ax.imshow(X_train[y_train == digit][0].reshape(8, 8), cmap="gray_r")
    ax.set_title(f"{digit}")
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("훈련 데이터의 숫자들 (8×8 픽셀)")
plt.show()


def as_array(image) -> np.ndarray:
    """[channel][row][col]의 Value(또는 숫자) 중첩 리스트를 numpy 배열로."""
    return np.array([[[v.data if isinstance(v, Value) else v for v in row] for row in channel] for channel in image])


# %% [markdown]
# ## 1. 손으로 만든 필터: 가장자리 검출기
#
# 필터가 이미지 위 한 자리에서 하는 일은 **내적(dot product)** 하나입니다. 출력 채널 $o$의 $(i, j)$ 자리 값은
#
# $$\text{out}[o][i][j] = b_o + \sum_{c}\sum_{a}\sum_{b} W[o][c][a][b]\cdot x[c][i\cdot s + a - p][j\cdot s + b - p]$$
#
# ($s$: 보폭(stride), $p$: 패딩(padding)). 엄밀히 말하면 이 식은 **교차 상관(cross-correlation)** 입니다. 수학에서 말하는
# 합성곱(convolution)은 필터를 위아래·좌우로 뒤집은(flip) 뒤에 곱해 더하는데, CNN의 '합성곱 층'은 뒤집지 않습니다(PyTorch의 `Conv2d`도 같습니다).
# 필터는 학습되는 값이라 어느 쪽이든 상관없습니다: 뒤집힌 무늬가 필요하면 뒤집힌 필터를 배웁니다.
#
# 학습하기 전에, 가중치를 손으로 정해 무엇을 찾는 필터인지 봅니다. 소벨(Sobel) 필터는
# 왼쪽과 오른쪽(또는 위와 아래)의 픽셀 값 차이를 잽니다. 그래서 **세로 가장자리(vertical edge)** 에서 크게 반응합니다.
# `nn.Conv2d(1, 2, 3, padding=1, bias=False)`의 두 출력 채널에 세로·가로 가장자리 필터를 넣습니다.
#
# **실행하기 전에 예측해 보세요.** 세로 가장자리 필터 $\begin{bmatrix}1&0&-1\\2&0&-2\\1&0&-1\end{bmatrix}$는 획의 왼쪽 끝과 오른쪽 끝에서 각각 어떤 부호를 낼까요?
# 필터를 뒤집어 곱하는 '수학의 합성곱'이었다면 결과는 어떻게 달라질까요?

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
    maps = as_array(edges([image])[0])
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
print(f"Σ 창 × 뒤집은 세로 필터 (수학의 합성곱) = {np.sum(window * SOBEL_VERTICAL[::-1, ::-1]):.4f}")

# %% [markdown]
# 빨간색(양수)은 왼쪽 픽셀의 값(잉크)이 오른쪽보다 큰 자리, 파란색(음수)은 그 반대인 자리입니다. 즉 획의 왼쪽 끝과 오른쪽 끝이 다른 색으로 드러납니다.
# 소벨 필터는 좌우로 뒤집으면 부호만 바뀌는 필터라, 뒤집어 곱하는 수학의 합성곱이었다면 같은 자리에서 부호만 반대인 값이 나왔을 것입니다(위의 두 숫자).
#
# 필터 **하나가 무늬 하나** 를 찾고, 필터 개수만큼 활성화 맵(= 출력 **채널, channel**)이 생깁니다. 같은 필터를 모든 자리에 쓰므로
# (**가중치 공유, weight sharing**) 무늬가 어느 자리에 있어도 같은 값으로 반응합니다. 숫자를 오른쪽으로 한 픽셀 옮겨 확인합니다:
# 옮긴 숫자의 활성화 맵이 원래 맵을 그대로 한 칸 옮긴 것이면, 필터는 무늬를 자리와 상관없이 찾은 것입니다
# (입력을 옮기면 출력도 똑같이 옮겨지는 이 성질을 **평행 이동 등변성, translation equivariance** 이라고 합니다).

# %%
shifted_pixels = np.zeros((8, 8))
shifted_pixels[:, 1:] = np.array(image[0])[:, :-1]  # 오른쪽으로 한 픽셀, 왼쪽 끝 열은 0
with no_grad():
    shifted_maps = as_array(edges([[shifted_pixels.tolist()]])[0])
print(f"원래 숫자의 맨 오른쪽 열 픽셀 합: {np.array(image[0])[:, 7].sum():.1f} (0이면 옮겨도 잘려 나간 잉크가 없습니다)")
print(f"옮긴 맵의 열 1..7 과 원래 맵의 열 0..6 의 가장 큰 차이: {np.abs(shifted_maps[:, :, 1:] - maps[:, :, :-1]).max():.2e}")
print(f"(비교) 옮긴 맵과 원래 맵을 같은 자리끼리 뺀 가장 큰 차이: {np.abs(shifted_maps - maps).max():.2f}")

# %% [markdown]
# 같은 자리끼리 비교하면 맵이 크게 다르지만, 한 칸 옮겨 비교하면 (가장자리 열을 빼고) 정확히 같습니다. 필터는 자리를 따지지 않고 무늬에 반응합니다.
#
# ## 2. 채널이 여럿인 입력: 색 이미지
#
# 흑백 숫자는 채널이 하나였습니다. 색 이미지는 빨강(R)·초록(G)·파랑(B) 세 장의 흑백 이미지를 겹친 것이라 **채널이 셋** 입니다(`in_channels=3`).
# 이때 필터 하나는 $3 \times 3 \times 3$ 크기이고, 위 식의 $\sum_c$대로 **세 채널의 결과를 모두 더해** 활성화 맵 하나를 만듭니다.
# 그래서 필터는 '어느 채널에서 어떤 무늬인가'를 함께 찾을 수 있습니다.
#
# 8×8짜리 색 이미지를 만들어 봅니다: 빨간 세로 막대, 파란 세로 막대, 초록 가로 막대. 필터 두 개를 손으로 정합니다.
#
# - 필터 0: R 채널에만 세로 소벨 필터, G·B 채널의 가중치는 0 → **빨간** 세로 가장자리만
# - 필터 1: 세 채널 모두에 세로 소벨 필터 → 색과 상관없이 **밝기(세 채널의 합)** 의 세로 가장자리
#
# **실행하기 전에 예측해 보세요.** 필터 0은 파란 막대의 가장자리에서 얼마를 낼까요? 필터 하나의 매개변수는 몇 개일까요?

# %%
rgb = np.zeros((3, 8, 8))  # [채널 R, G, B][행][열], 값은 0~1
rgb[0, :, 1:3] = 1.0  # 빨간 세로 막대 (열 1, 2)
rgb[2, :, 5:7] = 1.0  # 파란 세로 막대 (열 5, 6)
rgb[1, 3:5, :] = 1.0  # 초록 가로 막대 (행 3, 4)
color_filters = nn.Conv2d(3, 2, 3, padding=1, bias=False)
for c in range(3):
    for a in range(3):
        for b in range(3):
            color_filters.weight[0][c][a][b].data = float(SOBEL_VERTICAL[a, b]) if c == 0 else 0.0
            color_filters.weight[1][c][a][b].data = float(SOBEL_VERTICAL[a, b])
with no_grad():
    color_maps = as_array(color_filters([rgb.tolist()])[0])
print(f"입력 {rgb.shape} (채널 3) → 출력 {color_maps.shape}, 필터 하나의 가중치 3·3·3 = {len(color_filters.parameters()) // 2}개")
print(f"필터 0 (빨강만): 빨간 막대 가장자리(열 0..3)의 가장 큰 |값| {np.abs(color_maps[0][:, :4]).max():.1f}, "
      f"파란 막대 가장자리(열 4..7)의 가장 큰 |값| {np.abs(color_maps[0][:, 4:]).max():.1f}")
print(f"필터 1 (세 채널): 빨간 막대 쪽 {np.abs(color_maps[1][:, :4]).max():.1f}, 파란 막대 쪽 {np.abs(color_maps[1][:, 4:]).max():.1f}")
# 출력 한 픽셀을 손으로: 채널마다 창 × 필터를 더한 뒤, 세 채널을 더합니다
i, j = 3, 0
padded = np.pad(rgb, ((0, 0), (1, 1), (1, 1)))
per_channel = [float(np.sum(padded[c, i : i + 3, j : j + 3] * SOBEL_VERTICAL)) for c in range(3)]
print(f"필터 1의 출력 ({i}, {j}): 채널별 {per_channel} → 합 {sum(per_channel):.1f}, Conv2d {color_maps[1, i, j]:.1f}")
print(f"필터 1의 행 3 (초록 막대가 지나는 줄):     {color_maps[1, 3].tolist()}")
print(f"필터 1의 행 1 (초록 막대가 없는 줄):       {color_maps[1, 1].tolist()}")
print(f"차이 = 초록 막대가 더한 반응:              {(color_maps[1, 3] - color_maps[1, 1]).tolist()}")

fig, axes = plt.subplots(1, 6, figsize=(15, 2.8))
axes[0].imshow(rgb.transpose(1, 2, 0))
axes[0].set_title("색 이미지 (R, G, B)")
for c, (name, cmap) in enumerate([("R", "Reds"), ("G", "Greens"), ("B", "Blues")]):
    axes[c + 1].imshow(rgb[c], cmap=cmap, vmin=0, vmax=1)
    axes[c + 1].set_title(f"채널 {name}")
limit = np.abs(color_maps).max()
for o, title in enumerate(["필터 0: 빨강의 세로 가장자리", "필터 1: 밝기의 세로 가장자리"]):
    shown = axes[4 + o].imshow(color_maps[o], cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[4 + o].set_title(title, fontsize=9)
    fig.colorbar(shown, ax=axes[4 + o], fraction=0.046)
for ax in axes:
    ax.set_xticks(range(0, 8, 2))
    ax.set_yticks(range(0, 8, 2))
fig.tight_layout()
plt.show()

# %% [markdown]
# 필터 0은 파란 막대에서 0입니다: 파란 막대는 B 채널에만 있고, 필터 0의 B 채널 가중치는 0이니까요. 필터 1은 두 막대 모두에서 반응합니다.
# 손으로 계산한 필터 1의 (3, 0) 자리에는 R 채널(빨간 막대의 왼쪽 가장자리)과 G 채널이 함께 기여하고, 두 값을 더한 것이 층의 출력입니다.
# G 채널의 기여는 초록 막대가 이미지 왼쪽 끝에서 패딩의 0과 맞닿아 생긴 가장자리입니다. 초록 가로 막대는 안쪽에는 세로 가장자리가 없어서,
# 초록 막대가 지나는 줄과 지나지 않는 줄의 차이는 양 끝 열에서만 0이 아닙니다(위의 마지막 줄). 학습된 CNN의 첫 층 필터도 이렇게 '어느 채널의 어떤 무늬인가'를 함께 찾습니다.
#
# ## 3. 출력 크기, 보폭, 패딩
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

# %% [markdown]
# **패딩은 왜 쓸까요?** 이유는 두 가지입니다.
#
# 1. **출력 크기.** 패딩 없이 3×3 합성곱을 쌓으면 층마다 한 변이 2씩 줄어, 8×8 이미지는 세 층 만에 2×2가 됩니다.
#    패딩 1을 두면 크기가 그대로라 층을 원하는 만큼 쌓을 수 있습니다.
# 2. **가장자리 픽셀의 쓰임.** 패딩이 없으면 모서리 픽셀은 창 하나에만 들어가고, 가운데 픽셀은 창 아홉 개에 들어갑니다.
#    가장자리의 정보가 다음 층에 덜 전해지는 것입니다. 각 픽셀이 몇 개의 창에 들어가는지는 기울기로 셀 수 있습니다:
#    가중치가 모두 1인 필터의 출력을 모두 더해 역전파하면, 픽셀의 기울기가 곧 그 픽셀이 들어간 창의 개수입니다.
#
# **실행하기 전에 예측해 보세요.** 패딩 1이면 모서리 픽셀은 창 몇 개에 들어갈까요?

# %%
for padding in (0, 1):
    sizes = [8]
    for _ in range(3):
        sizes.append(nn.output_size(sizes[-1], 3, 1, padding))
    print(f"패딩 {padding}: 3×3 합성곱 세 층의 한 변 {' → '.join(map(str, sizes))}")

uses = {}
for padding in (0, 1):
    ones = nn.Conv2d(1, 1, 3, padding=padding, bias=False)
    for w in ones.parameters():
        w.data = 1.0
    pixels = [[[Value(0.5) for _ in range(8)] for _ in range(8)]]
    Value.sum([v for row in ones([pixels])[0][0] for v in row]).backward()
    uses[padding] = np.array([[v.grad for v in row] for row in pixels[0]], dtype=int)
    border = np.concatenate([uses[padding][0], uses[padding][-1], uses[padding][1:-1, 0], uses[padding][1:-1, -1]])
    print(f"\n패딩 {padding}: 각 픽셀이 들어간 창의 개수\n{uses[padding]}")
    print(f"  모서리 {uses[padding][0, 0]}개, 가장자리 28픽셀 평균 {border.mean():.2f}개, 가운데 {uses[padding][4, 4]}개")

# %% [markdown]
# ## 4. 풀링
#
# 풀링(pooling)은 채널마다 따로, 창 안의 값들을 하나로 줄입니다. **최대 풀링(max pooling)** 은 가장 큰 값을, **평균 풀링(average pooling)** 은 평균을 남기고,
# 학습되는 매개변수가 없습니다. 보폭의 기본값은 창의 크기라 창이 겹치지 않습니다. 작은 예로 숫자를 직접 봅니다.
# 그다음 풀링 층들의 출력 크기도 식과 비교합니다(풀링에는 패딩이 없어 $p = 0$).

# %%
tiny = [[[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 6.0, 2.0], [2.0, 2.0, 3.0, 1.0]]]
print("입력 4×4:\n", np.array(tiny[0]))
with no_grad():
    for pool in [nn.MaxPool2d(2), nn.AvgPool2d(2)]:
        print(f"{pool!r} →", as_array(pool([tiny])[0])[0].tolist())

for pool in [nn.MaxPool2d(2), nn.AvgPool2d(2), nn.MaxPool2d(3, stride=1), nn.AvgPool2d(2, stride=3)]:
    with no_grad():
        shape = nn.shape_of(pool([image])[0])
    k, s = pool.kernel_size[0], pool.stride[0]
    print(f"8×8 입력에 {type(pool).__name__}({k}, stride={s}): 식 {(1, nn.output_size(8, k, s), nn.output_size(8, k, s))}, 층 {shape}, 매개변수 {len(pool.parameters())}개")

# %% [markdown]
# 최대 풀링의 역전파는 창에서 **가장 컸던 자리 하나** 에만 기울기를 보냅니다(그 자리만 출력에 영향을 주니까요).
# 가장 큰 값이 둘 이상이면(동점, tie) **창을 행 순서로 읽을 때 처음 나온 최댓값** 이 기울기를 모두 받습니다. PyTorch의 `MaxPool2d`도 같은 규칙입니다.
# 위 입력의 왼쪽 아래 창 $\begin{bmatrix}0&1\\2&2\end{bmatrix}$에는 2가 두 번 있습니다.
#
# **실행하기 전에 예측해 보세요.** 위의 4×4 입력에 2×2 최대 풀링을 하고 네 출력의 합을 역전파하면, 어느 픽셀의 기울기가 0이 아닐까요? 그 값은 얼마일까요?

# %%
pixels = [[[Value(v) for v in row] for row in tiny[0]]]
pooled = nn.MaxPool2d(2)([pixels])[0][0]
Value.sum([v for row in pooled for v in row]).backward()
print("각 입력 픽셀의 기울기:\n", np.array([[v.grad for v in row] for row in pixels[0]]))
print(f"왼쪽 아래 창의 동점: (3, 0)의 기울기 {pixels[0][3][0].grad}, (3, 1)의 기울기 {pixels[0][3][1].grad}")

# %% [markdown]
# **풀링과 한 픽셀의 이동.** 1절에서 합성곱의 출력은 입력을 따라 옮겨졌습니다. 최대 풀링은 2×2 창마다 가장 큰 값만 남기므로,
# 무늬가 창 안에서 한 칸 움직이면 출력이 그대로일 수 있습니다. 테스트 숫자 100장을 오른쪽으로 한 픽셀 옮기고, 소벨 필터 두 개 → ReLU → 2×2 최대 풀링을
# 지나며 '옮기기 전과 후가 같은 자리끼리 얼마나 다른가'(상대 변화 $\lVert a' - a\rVert / \lVert a \rVert$)를 단계마다 잽니다.
#
# **실행하기 전에 예측해 보세요.** 픽셀, 활성화 맵, 풀링 출력 중 한 픽셀의 이동에 가장 덜 변하는 것은 무엇일까요? 풀링 출력은 전혀 변하지 않을까요?

# %%
def shift_right(rows: np.ndarray) -> np.ndarray:
    """8×8 이미지들(행마다 64픽셀)을 오른쪽으로 한 픽셀 옮깁니다. 왼쪽 끝 열은 0."""
    images = rows.reshape(-1, 8, 8)
    moved = np.zeros_like(images)
    moved[:, :, 1:] = images[:, :, :-1]
    return moved.reshape(len(rows), 64)


def relative_change(before: np.ndarray, after: np.ndarray) -> float:
    """샘플마다 ‖after - before‖ / ‖before‖의 평균."""
    axes = tuple(range(1, before.ndim))
    return float(np.mean(np.sqrt(((after - before) ** 2).sum(axis=axes) / (before**2).sum(axis=axes))))


stages: dict[str, list[np.ndarray]] = {"픽셀": [], "활성화 맵 (ReLU 뒤)": [], "최대 풀링 뒤": []}
for rows in (X_test[:100], shift_right(X_test[:100])):
    with no_grad():
        activated = nn.ReLU()(edges(data.as_images(rows)))
        pooled_maps = nn.MaxPool2d(2)(activated)
    stages["픽셀"].append(rows.reshape(-1, 1, 8, 8))
    stages["활성화 맵 (ReLU 뒤)"].append(np.array([as_array(m) for m in activated]))
    stages["최대 풀링 뒤"].append(np.array([as_array(m) for m in pooled_maps]))
for name, (before, after) in stages.items():
    print(f"{name:16s} 모양 {before.shape[1:]}: 한 픽셀 옮기기 전후의 상대 변화 {relative_change(before, after):.3f}")
pool_before, pool_after = stages["최대 풀링 뒤"]
print(f"풀링 출력 중 옮긴 뒤에도 값이 그대로인 것의 비율: {np.mean(np.isclose(pool_before, pool_after)):.1%}")

# 첫 테스트 숫자 하나를 그림으로: 위는 원래 숫자, 아래는 오른쪽으로 한 픽셀 옮긴 숫자 (세로 가장자리 채널)
fig, axes = plt.subplots(2, 3, figsize=(10, 6))
for row, when in enumerate(["원래", "한 픽셀 옮김"]):
    panels = [(stages["픽셀"][row][0, 0], "gray_r", "입력"), (stages["활성화 맵 (ReLU 뒤)"][row][0, 0], "magma", "세로 가장자리 맵 (ReLU 뒤, 8×8)"),
              (stages["최대 풀링 뒤"][row][0, 0], "magma", "2×2 최대 풀링 뒤 (4×4)")]
    for ax, (picture, cmap, title) in zip(axes[row], panels):
        top = 1.0 if cmap == "gray_r" else float(max(s[0, 0].max() for s in stages["활성화 맵 (ReLU 뒤)"]))
        shown = ax.imshow(picture, cmap=cmap, vmin=0, vmax=top)
        ax.set_title(f"{when}: {title}", fontsize=9)
        ax.set_xticks(range(len(picture)))
        ax.set_yticks(range(len(picture)))
        fig.colorbar(shown, ax=ax, fraction=0.046)
fig.tight_layout()
plt.show()
first_before, first_after = pool_before[0, 0], pool_after[0, 0]
print(f"이 숫자의 풀링 출력 16개 중 그대로인 것 {int(np.isclose(first_before, first_after).sum())}개, "
      f"상대 변화 {np.linalg.norm(first_after - first_before) / np.linalg.norm(first_before):.3f}")

# %% [markdown]
# 숫자로 읽으면: 픽셀과 활성화 맵은 같은 자리끼리 비교할 때 크게 바뀌고, 최대 풀링 뒤의 출력은 그보다 덜 바뀝니다.
# 그림의 숫자에서도 활성화 맵은 통째로 한 칸 옮겨졌지만, 풀링 출력은 절반쯤이 그대로이고 나머지는 이웃한 창으로 값이 넘어갔습니다. 풀링은 작은 이동에 **덜 민감하게** 만들 뿐,
# 이동을 완전히 지우지는 않습니다(값이 그대로인 출력의 비율은 위에서 잰 만큼입니다). 무늬가 창의 경계를 넘어가면 다른 창의 출력이 바뀝니다.
# 학습된 CNN이 옮긴 숫자를 얼마나 잘 읽는지는 11b에서 정확도로 잽니다.
#
# ## 5. 합성곱을 행렬 곱 하나로: im2col
#
# 합성곱 층은 출력 자리마다 '창의 픽셀 $C_{in}\cdot k \cdot k$개'와 '필터의 가중치 $C_{in}\cdot k \cdot k$개'의 내적을 계산합니다. 그렇다면
#
# 1. 출력 자리마다 그 창의 픽셀을 **한 줄로 펴서** 행 하나로 만들고, 자리 순서대로 쌓아 (출력 자리 수) × ($C_{in} k^2$) 행렬 $X_{\text{col}}$을 만들고,
# 2. 필터마다 가중치를 같은 순서로 한 줄로 펴서 ($C_{out}$) × ($C_{in} k^2$) 행렬 $W_{\text{row}}$를 만들면,
#
# 합성곱 전체가 **행렬 곱 한 번** $X_{\text{col}} W_{\text{row}}^\top + b$입니다(결과의 열 $o$가 출력 채널 $o$의 맵을 한 줄로 편 것).
# 이미지를 열(행) 모음으로 바꾸는 이 변환을 **im2col(image to columns)** 이라고 부릅니다(『밑바닥부터 시작하는 딥러닝』 7장이 CNN을 이렇게 구현합니다).
# 창이 겹치면 같은 픽셀이 여러 행에 복사되므로 메모리는 더 쓰지만, 빠른 행렬 곱 하나로 계산할 수 있습니다. numpy로 직접 만들어 `nn.Conv2d`와 비교합니다.
#
# **실행하기 전에 예측해 보세요.** 3채널 8×8 이미지에 3×3 필터를 패딩 1, 보폭 1로 쓰면 $X_{\text{col}}$은 몇 × 몇일까요? 보폭을 2로 하면?

# %%
def im2col(image: np.ndarray, k: int, stride: int = 1, padding: int = 0) -> np.ndarray:
    """(C, H, W) 이미지 → (출력 자리 수, C·k·k) 행렬: 출력 자리마다 그 창의 픽셀을 [채널][행][열] 순서로 한 줄로 편 것."""
    channels, height, width = image.shape
    padded = np.pad(image, ((0, 0), (padding, padding), (padding, padding)))
    rows_out = nn.output_size(height, k, stride, padding)
    cols_out = nn.output_size(width, k, stride, padding)
    columns = []
    for i in range(rows_out):
        for j in range(cols_out):
            columns.append(padded[:, i * stride : i * stride + k, j * stride : j * stride + k].ravel())
    return np.array(columns)


for name, picture, stride in [("색 이미지", rgb, 1), ("색 이미지", rgb, 2), ("숫자 두 장을 채널 2개로", np.array(two_channel[0]), 2)]:
    channels = picture.shape[0]
    layer = nn.Conv2d(channels, 4, 3, stride=stride, padding=1, seed=5)
    for index, bias in enumerate(layer.bias or ()):
        bias.data = 0.1 * (index + 1)  # 편향도 0이 아니게: 더하는 자리가 틀리면 드러나도록
    X_col = im2col(picture, 3, stride, 1)
    W_row = np.array([[w.data for w in layer.parameters()[o * channels * 9 : (o + 1) * channels * 9]] for o in range(4)])
    b = np.array([v.data for v in layer.bias or ()])
    by_matmul = (X_col @ W_row.T + b).T.reshape(4, *[nn.output_size(8, 3, stride, 1)] * 2)
    with no_grad():
        by_layer = as_array(layer([picture.tolist()])[0])
    print(f"{name}, 보폭 {stride}: X_col {X_col.shape}, W_row {W_row.shape} → 출력 {by_matmul.shape}, "
          f"Conv2d와의 가장 큰 차이 {np.abs(by_matmul - by_layer).max():.1e}")

# %% [markdown]
# 행렬 곱 하나가 층과 같은 값을 냅니다(차이는 반올림 오차). 15번 노트북의 컴파일 모드도 같은 일을 합니다: 엔진의 합성곱 `dot` 노드들을 모아 im2col 행렬 곱 하나로 실행합니다.
#
# ## 6. 엔진 안의 합성곱: 출력 픽셀 하나가 `dot` 노드 하나
#
# 엔진에서 합성곱 출력 픽셀 하나는 `dot` 노드 하나입니다. 부모는 필터의 가중치, 창의 픽셀, 편향입니다(즉 $X_{\text{col}}$의 한 행과 $W_{\text{row}}$의 한 행의 내적).
# 작게 보려고 2×2 필터 하나(`nn.Conv2d(1, 1, 2)`)를 숫자의 3×3 조각에 적용하고, 출력 픽셀 하나의 그래프를 그립니다.
#
# **실행하기 전에 예측해 보세요.** 출력 픽셀 `out[0][0][0]`을 가중치 `W[0][0][1][1]`로 미분하면 어떤 값이 나올까요?

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

# 11b에서 학습할 CNN 하나의 순전파에 dot 노드가 몇 개인지 셉니다.
cnn = nn.Sequential(nn.Conv2d(1, 4, 3, init="he", seed=0), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(36, 10, seed=1))
logits = cnn(data.as_images(X_test[:1]))[0]
seen, stack, dots = set(), list(logits), {}
while stack:
    node = stack.pop()
    if id(node) in seen:
        continue
    seen.add(id(node))
    if node.op == "dot":
        dots[len(node.parents)] = dots.get(len(node.parents), 0) + 1
    stack.extend(node.parents)
print(f"\n합성곱(3×3 필터 4개) → ReLU → 풀링 → 완전 연결(36 → 10)인 CNN, 이미지 한 장의 순전파: 노드 {len(seen)}개, dot 노드 (부모 수: 개수) {dict(sorted(dots.items()))}")
k2, side = 3 * 3, nn.output_size(8, 3)
print(f"합성곱: 채널 4 × {side}·{side} 자리 = {4 * side * side}개의 dot (가중치 {k2} + 픽셀 {k2} + 편향 1 = 부모 {2 * k2 + 1}개)")
print(f"완전 연결: 출력 10개의 dot (가중치 36 + 입력 36 + 편향 1 = 부모 {36 + 36 + 1}개)")

# %% [markdown]
# ## 정리
#
# - 합성곱 층은 작은 필터를 이미지 위로 밀며 내적을 계산해 활성화 맵을 만듭니다(엄밀히는 필터를 뒤집지 않는 교차 상관). 필터 개수 = 출력 채널 수이고,
#   같은 필터를 모든 자리에서 쓰므로 입력을 한 칸 옮기면 맵도 한 칸 옮겨집니다.
# - 입력 채널이 여럿이면 필터는 채널마다 가중치를 갖고 채널별 결과를 더합니다(색 이미지의 R, G, B).
# - 출력 크기는 $\lfloor(\text{size} + 2p - k)/s\rfloor + 1$. 패딩은 크기를 지키고 가장자리 픽셀도 더 많은 창에 들어가게 합니다.
# - 풀링은 매개변수 없이 크기를 줄이고, 작은 이동에 덜 민감하게 만듭니다(완전히 무시하지는 않습니다). 최대 풀링의 동점은 처음 나온 최댓값이 기울기를 받습니다.
# - im2col로 창을 행렬의 행으로 펴면 합성곱 전체가 행렬 곱 하나입니다. 엔진에서는 출력 픽셀마다 `dot` 노드 하나라, 지금까지의 역전파가 그대로 작동합니다.
# - CNN의 하이퍼파라미터: 필터의 개수와 크기(합성곱), 창의 크기와 보폭(풀링), 층과 뉴런의 수(완전 연결).
