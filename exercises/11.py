# %% [markdown]
# ## 연습 문제
#
# 합성곱 신경망(CNN)의 세 조각을 직접 씁니다: 출력 크기의 식, 출력 픽셀 하나, 그리고 최대 풀링(max pooling)이 기울기를 나누는 방법입니다.

# %%
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 11.1: 출력 크기
#
# 한 축의 길이가 `size`인 입력에 크기 `kernel`인 필터를 보폭(stride) `stride`, 패딩(padding) `padding`으로 적용할 때 출력의 길이를 돌려주세요.

# %% exercise="11.1"
def conv_output_size(size, kernel, stride, padding):
    ### BEGIN SOLUTION
    return (size + 2 * padding - kernel) // stride + 1
    ### END SOLUTION


# %% exercise="11.1" wrong="+1을 빠뜨림 (하나 모자람)"
def conv_output_size(size, kernel, stride, padding):
    ### BEGIN SOLUTION
    return (size + 2 * padding - kernel) // stride
    ### END SOLUTION


# %% exercise="11.1" wrong="패딩을 한쪽에만 셈"
def conv_output_size(size, kernel, stride, padding):
    ### BEGIN SOLUTION
    return (size + padding - kernel) // stride + 1
    ### END SOLUTION


# %%
check("11.1", conv_output_size)

# %% [markdown]
# ### 연습 11.2: 출력 픽셀 하나
#
# `image[ch][r][c]`와 필터 `weight[ch][a][b]`(숫자의 중첩 목록), 편향 `bias`로 출력의 `(row, col)` 픽셀을 계산하세요(패딩 없음).
# PyTorch처럼 필터를 뒤집지 않습니다(엄밀히는 상호상관): 입력의 `(row·stride + a, col·stride + b)`에 `weight[ch][a][b]`를 곱해 모두 더합니다.

# %% exercise="11.2"
def conv_pixel(image, weight, bias, row, col, stride):
    kernel = len(weight[0])
    total = bias
    for ch in range(len(image)):
        for a in range(kernel):
            for b in range(kernel):
                ### BEGIN SOLUTION
                total += weight[ch][a][b] * image[ch][row * stride + a][col * stride + b]
                ### END SOLUTION
    return total


# %% exercise="11.2" wrong="필터를 뒤집음 (수학의 합성곱)"
def conv_pixel(image, weight, bias, row, col, stride):
    kernel = len(weight[0])
    total = bias
    for ch in range(len(image)):
        for a in range(kernel):
            for b in range(kernel):
                ### BEGIN SOLUTION
                total += weight[ch][kernel - 1 - a][kernel - 1 - b] * image[ch][row * stride + a][col * stride + b]
                ### END SOLUTION
    return total


# %% exercise="11.2" wrong="보폭을 곱하지 않음"
def conv_pixel(image, weight, bias, row, col, stride):
    kernel = len(weight[0])
    total = bias
    for ch in range(len(image)):
        for a in range(kernel):
            for b in range(kernel):
                ### BEGIN SOLUTION
                total += weight[ch][a][b] * image[ch][row + a][col + b]
                ### END SOLUTION
    return total


# %%
check("11.2", conv_pixel)

# %% [markdown]
# ### 연습 11.3: 최대 풀링의 기울기
#
# 2×2 창 `window`의 최댓값이 출력이고, 위에서 그 출력의 기울기 `grad_out`이 내려옵니다. 창의 네 자리 각각의 기울기를 2×2 목록으로 돌려주세요.

# %% exercise="11.3"
def maxpool_backward(window, grad_out):
    largest = max(max(row) for row in window)
    ### BEGIN SOLUTION
    return [[grad_out if v == largest else 0.0 for v in row] for row in window]
    ### END SOLUTION


# %% exercise="11.3" wrong="기울기를 네 자리에 똑같이 나눔 (평균 풀링의 기울기)"
def maxpool_backward(window, grad_out):
    largest = max(max(row) for row in window)
    ### BEGIN SOLUTION
    return [[grad_out / 4 for v in row] for row in window]
    ### END SOLUTION


# %% exercise="11.3" wrong="grad_out을 곱하지 않고 1을 줌"
def maxpool_backward(window, grad_out):
    largest = max(max(row) for row in window)
    ### BEGIN SOLUTION
    return [[1.0 if v == largest else 0.0 for v in row] for row in window]
    ### END SOLUTION


# %%
check("11.3", maxpool_backward)

# %%
progress("11")
