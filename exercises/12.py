# %% [markdown]
# ## 연습 문제
#
# 순환 신경망의 한 단계를 numpy로 씁니다. 확인 칸은 같은 가중치를 넣은 `nn.RNNCell`, `nn.LSTMCell`과 결과를 견주어 봅니다.
# 두 편향은 하나로 합쳐 `b`로 줍니다.

# %%
import numpy as np

from micrograd_ko.exercises import check, progress


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# %% [markdown]
# ### 연습 12.1: RNN 한 단계
#
# 엘만 RNN의 식 $h_t = \tanh(W_{ih} x_t + W_{hh} h_{t-1} + b)$로 새 은닉 상태를 돌려주세요.

# %% exercise="12.1"
def rnn_step(x, h, W_ih, W_hh, b):
    ### BEGIN SOLUTION
    return np.tanh(W_ih @ x + W_hh @ h + b)
    ### END SOLUTION


# %% exercise="12.1" wrong="지난 은닉 상태를 빠뜨림 (순환이 없음)"
def rnn_step(x, h, W_ih, W_hh, b):
    ### BEGIN SOLUTION
    return np.tanh(W_ih @ x + b)
    ### END SOLUTION


# %%
check("12.1", rnn_step)

# %% [markdown]
# ### 연습 12.2: LSTM 한 단계의 게이트
#
# `z = W_ih @ x + W_hh @ h + b`를 길이 `H`씩 네 토막으로 나누면 PyTorch의 순서대로 입력 게이트 $i$, 망각 게이트 $f$, 후보 $g$, 출력 게이트 $o$입니다.
# $i, f, o$는 시그모이드, $g$는 tanh를 거칩니다. $c' = f \odot c + i \odot g$, $h' = o \odot \tanh(c')$를 계산해 `(h', c')`를 돌려주세요.

# %% exercise="12.2"
def lstm_step(x, h, c, W_ih, W_hh, b):
    H = len(h)
    z = W_ih @ x + W_hh @ h + b
    ### BEGIN SOLUTION
    i, f, g, o = sigmoid(z[:H]), sigmoid(z[H : 2 * H]), np.tanh(z[2 * H : 3 * H]), sigmoid(z[3 * H :])
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    ### END SOLUTION
    return h_new, c_new


# %% exercise="12.2" wrong="입력 게이트를 빠뜨림 (c' = f⊙c + g)"
def lstm_step(x, h, c, W_ih, W_hh, b):
    H = len(h)
    z = W_ih @ x + W_hh @ h + b
    ### BEGIN SOLUTION
    i, f, g, o = sigmoid(z[:H]), sigmoid(z[H : 2 * H]), np.tanh(z[2 * H : 3 * H]), sigmoid(z[3 * H :])
    c_new = f * c + g
    h_new = o * np.tanh(c_new)
    ### END SOLUTION
    return h_new, c_new


# %% exercise="12.2" wrong="게이트 순서를 f, i, g, o로 읽음"
def lstm_step(x, h, c, W_ih, W_hh, b):
    H = len(h)
    z = W_ih @ x + W_hh @ h + b
    ### BEGIN SOLUTION
    f, i, g, o = sigmoid(z[:H]), sigmoid(z[H : 2 * H]), np.tanh(z[2 * H : 3 * H]), sigmoid(z[3 * H :])
    c_new = f * c + i * g
    h_new = o * np.tanh(c_new)
    ### END SOLUTION
    return h_new, c_new


# %% exercise="12.2" wrong="h'에서 tanh를 빠뜨림 (h' = o⊙c')"
def lstm_step(x, h, c, W_ih, W_hh, b):
    H = len(h)
    z = W_ih @ x + W_hh @ h + b
    ### BEGIN SOLUTION
    i, f, g, o = sigmoid(z[:H]), sigmoid(z[H : 2 * H]), np.tanh(z[2 * H : 3 * H]), sigmoid(z[3 * H :])
    c_new = f * c + i * g
    h_new = o * c_new
    ### END SOLUTION
    return h_new, c_new


# %%
check("12.2", lstm_step)

# %%
progress("12")
