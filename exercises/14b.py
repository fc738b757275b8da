# %% [markdown]
# ## 연습 문제
#
# DCGAN의 두 조각을 직접 씁니다: 전치 합성곱이 만드는 이미지의 크기, 그리고 판별자의 활성화 LeakyReLU가 기울기를 넘기는 방법입니다.
# 확인 칸은 `nn.ConvTranspose2d`가 실제로 내놓은 이미지의 크기, 그리고 엔진의 `leaky_relu`에 `backward()`한 기울기와 견주어 봅니다.

# %%
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 14b.1: 전치 합성곱의 출력 크기
#
# 한 축의 길이가 `size`인 입력에 크기 `kernel`, 보폭 `stride`, 패딩 `padding`, 출력 패딩 `output_padding`인 전치 합성곱을 적용하면
# 출력의 길이는 얼마일까요? $(n - 1)s - 2p + k + \text{output\_padding}$을 돌려주세요. 합성곱의 식을 거꾸로 푼 모양입니다.

# %% exercise="14b.1"
def conv_transpose_output_size(size, kernel, stride, padding, output_padding):
    ### BEGIN SOLUTION
    return (size - 1) * stride - 2 * padding + kernel + output_padding
    ### END SOLUTION


# %% exercise="14b.1" wrong="합성곱 식처럼 +1을 붙임 (하나 많음)"
def conv_transpose_output_size(size, kernel, stride, padding, output_padding):
    ### BEGIN SOLUTION
    return (size - 1) * stride - 2 * padding + kernel + output_padding + 1
    ### END SOLUTION


# %% exercise="14b.1" wrong="n − 1 대신 n에 보폭을 곱함"
def conv_transpose_output_size(size, kernel, stride, padding, output_padding):
    ### BEGIN SOLUTION
    return size * stride - 2 * padding + kernel + output_padding
    ### END SOLUTION


# %% exercise="14b.1" wrong="패딩을 한쪽에서만 뺌"
def conv_transpose_output_size(size, kernel, stride, padding, output_padding):
    ### BEGIN SOLUTION
    return (size - 1) * stride - padding + kernel + output_padding
    ### END SOLUTION


# %%
check("14b.1", conv_transpose_output_size)

# %% [markdown]
# ### 연습 14b.2: LeakyReLU의 기울기
#
# LeakyReLU는 $a > 0$이면 $a$, 아니면 `slope`$\cdot a$입니다. 위에서 내려온 기울기 `grads_out[i]`를 받아,
# 입력 `xs[i]`마다의 기울기를 목록으로 돌려주세요.

# %% exercise="14b.2"
def leaky_relu_backward(xs, grads_out, slope):
    ### BEGIN SOLUTION
    return [g if x > 0 else slope * g for x, g in zip(xs, grads_out)]
    ### END SOLUTION


# %% exercise="14b.2" wrong="음수 쪽 기울기를 0으로 둠 (ReLU의 기울기)"
def leaky_relu_backward(xs, grads_out, slope):
    ### BEGIN SOLUTION
    return [g if x > 0 else 0.0 for x, g in zip(xs, grads_out)]
    ### END SOLUTION


# %% exercise="14b.2" wrong="위에서 온 기울기를 곱하지 않음"
def leaky_relu_backward(xs, grads_out, slope):
    ### BEGIN SOLUTION
    return [1.0 if x > 0 else slope for x, g in zip(xs, grads_out)]
    ### END SOLUTION


# %%
check("14b.2", leaky_relu_backward)

# %%
progress("14b")
