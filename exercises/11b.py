# %% [markdown]
# ## 연습 문제
#
# 이 노트북의 두 조각을 직접 씁니다: 잔차 블록의 순전파, 그리고 점수에서 정확도와 혼동 행렬을 세는 일입니다.
# 확인 칸은 같은 합성곱 층을 넣은 `nn.Residual`, 그리고 점수마다 가장 큰 자리를 고른 예측과 결과를 견주어 봅니다.

# %%
from micrograd_ko.exercises import check, progress


def image_map(f, image):
    """이미지 하나([채널][행][열])의 모든 값에 f를 적용한 새 이미지."""
    return [[[f(v) for v in row] for row in channel] for channel in image]


def image_add(a, b):
    """모양이 같은 두 이미지를 값마다 더한 새 이미지."""
    return [[[u + v for u, v in zip(ra, rb)] for ra, rb in zip(ca, cb)] for ca, cb in zip(a, b)]


# %% [markdown]
# ### 연습 11b.1: 잔차 블록의 순전파
#
# `x`는 이미지 하나(`Value`의 `[채널][행][열]` 목록), `conv1`과 `conv2`는 채널 수와 크기를 그대로 두는 `nn.Conv2d`(3×3, 패딩 1)입니다.
# 합성곱 층은 이미지의 **목록**을 받으므로 이미지 하나의 출력은 `conv1([x])[0]`입니다.
# 블록 안의 계산 $F(x)$ = 합성곱 → ReLU → 합성곱을 하고, 스킵 연결로 입력을 더한 $y = x + F(x)$를 돌려주세요(블록 뒤의 ReLU는 빼고).
# 위의 `image_map`, `image_add`를 써도 됩니다.

# %% exercise="11b.1"
def residual_block(x, conv1, conv2):
    ### BEGIN SOLUTION
    h = image_map(lambda v: v.relu(), conv1([x])[0])
    return image_add(x, conv2([h])[0])
    ### END SOLUTION


# %% exercise="11b.1" wrong="스킵 연결을 빠뜨림 (그냥 쌓은 망)"
def residual_block(x, conv1, conv2):
    ### BEGIN SOLUTION
    h = image_map(lambda v: v.relu(), conv1([x])[0])
    return conv2([h])[0]
    ### END SOLUTION


# %% exercise="11b.1" wrong="두 합성곱 사이의 ReLU를 빠뜨림"
def residual_block(x, conv1, conv2):
    ### BEGIN SOLUTION
    h = conv1([x])[0]
    return image_add(x, conv2([h])[0])
    ### END SOLUTION


# %% exercise="11b.1" wrong="입력 대신 첫 합성곱의 출력을 더함"
def residual_block(x, conv1, conv2):
    ### BEGIN SOLUTION
    h = image_map(lambda v: v.relu(), conv1([x])[0])
    return image_add(h, conv2([h])[0])
    ### END SOLUTION


# %%
check("11b.1", residual_block)

# %% [markdown]
# ### 연습 11b.2: 정확도와 혼동 행렬
#
# `scores[n][k]`는 샘플 `n`이 숫자 `k`일 점수, `labels[n]`은 정답, `classes`는 숫자의 가짓수입니다. 점수가 가장 큰 자리를 예측으로 삼아
# `(confusion, accuracy)`를 돌려주세요. `confusion[정답][예측]`은 그런 샘플의 수(`classes × classes` 정수 목록),
# `accuracy`는 맞힌 샘플의 비율입니다. 노트북의 그림처럼 행이 정답, 열이 예측입니다.

# %% exercise="11b.2"
def confusion_and_accuracy(scores, labels, classes):
    confusion = [[0] * classes for _ in range(classes)]
    for row, true in zip(scores, labels):
        ### BEGIN SOLUTION
        guess = max(range(classes), key=lambda k: row[k])
        confusion[true][guess] += 1
        ### END SOLUTION
    correct = sum(confusion[k][k] for k in range(classes))
    return confusion, correct / len(labels)


# %% exercise="11b.2" wrong="행과 열을 바꿈 (confusion[예측][정답])"
def confusion_and_accuracy(scores, labels, classes):
    confusion = [[0] * classes for _ in range(classes)]
    for row, true in zip(scores, labels):
        ### BEGIN SOLUTION
        guess = max(range(classes), key=lambda k: row[k])
        confusion[guess][true] += 1
        ### END SOLUTION
    correct = sum(confusion[k][k] for k in range(classes))
    return confusion, correct / len(labels)


# %% exercise="11b.2" wrong="점수가 가장 작은 자리를 예측으로 삼음"
def confusion_and_accuracy(scores, labels, classes):
    confusion = [[0] * classes for _ in range(classes)]
    for row, true in zip(scores, labels):
        ### BEGIN SOLUTION
        guess = min(range(classes), key=lambda k: row[k])
        confusion[true][guess] += 1
        ### END SOLUTION
    correct = sum(confusion[k][k] for k in range(classes))
    return confusion, correct / len(labels)


# %%
check("11b.2", confusion_and_accuracy)

# %%
progress("11b")
