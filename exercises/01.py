# %% [markdown]
# ## 연습 문제
#
# 이제 직접 써 볼 차례입니다. 아래 연습 문제에서는 `micrograd_ko`의 `Value`와 같은 일을 하는 작은 클래스 `Scalar`를 처음부터 만듭니다.
# 노드 하나는 값(`data`), 기울기(`grad`), 자신을 만든 피연산자들(`parents`), 그리고 각 피연산자에 대한 국소 도함수(local derivative, `local_grads`)를 가집니다.
# `# 여기에 코드를 작성하세요`와 `raise NotImplementedError`를 지우고 코드를 채운 다음, 바로 아래의 확인 칸을 실행하세요.
# 확인 칸은 여러분의 코드를 엔진과 유한 차분(finite difference)에 견주어 보고, 틀리면 가장 작은 반례와 힌트를 보여 줍니다.

# %%
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 01.1: 더하기와 곱하기
#
# `__add__`와 `__mul__`을 완성하세요. 결과는 새 `Scalar`이고, `parents`에는 `(self, other)`를, `local_grads`에는
# $\partial(\text{결과})/\partial(\text{self})$, $\partial(\text{결과})/\partial(\text{other})$를 차례로 담습니다.
# 힌트가 필요하면: $x + y$를 $x$로 미분하면 1, $x \cdot y$를 $x$로 미분하면 $y$입니다.

# %% exercise="01.1"
class Scalar:
    """계산 그래프의 노드 하나: data, grad, parents, local_grads."""

    def __init__(self, data, parents=(), local_grads=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.local_grads = local_grads

    def __repr__(self):
        return f"Scalar({self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        ### BEGIN SOLUTION
        return Scalar(self.data + other.data, (self, other), (1.0, 1.0))
        ### END SOLUTION

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        ### BEGIN SOLUTION
        return Scalar(self.data * other.data, (self, other), (other.data, self.data))
        ### END SOLUTION


# %% exercise="01.1" wrong="곱셈의 국소 도함수를 서로 바꿈"
class Scalar:
    """계산 그래프의 노드 하나: data, grad, parents, local_grads."""

    def __init__(self, data, parents=(), local_grads=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.local_grads = local_grads

    def __repr__(self):
        return f"Scalar({self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        ### BEGIN SOLUTION
        return Scalar(self.data + other.data, (self, other), (1.0, 1.0))
        ### END SOLUTION

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        ### BEGIN SOLUTION
        return Scalar(self.data * other.data, (self, other), (self.data, other.data))
        ### END SOLUTION


# %% exercise="01.1" wrong="parents를 기억하지 않음"
class Scalar:
    """계산 그래프의 노드 하나: data, grad, parents, local_grads."""

    def __init__(self, data, parents=(), local_grads=()):
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.local_grads = local_grads

    def __repr__(self):
        return f"Scalar({self.data})"

    def __add__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        ### BEGIN SOLUTION
        return Scalar(self.data + other.data)
        ### END SOLUTION

    def __mul__(self, other):
        other = other if isinstance(other, Scalar) else Scalar(other)
        ### BEGIN SOLUTION
        return Scalar(self.data * other.data)
        ### END SOLUTION


# %%
check("01.1", Scalar)

# %% [markdown]
# ### 연습 01.2: 반사 연산자(reflected operator)와 빼기
#
# `2 * x`에서 파이썬은 먼저 `(2).__mul__(x)`를 부르고, 숫자가 `Scalar`를 모르므로 `x.__rmul__(2)`를 부릅니다.
# 아래 다섯 메서드를 **이미 있는 `+`와 `*`만으로** 쓰세요. 그러면 국소 도함수를 새로 쓸 필요가 없습니다.
# `__rsub__(self, other)`는 `other - self`라는 점에 주의하세요.

# %% exercise="01.2"
def __neg__(self):  # -self
    ### BEGIN SOLUTION
    return self * -1.0
    ### END SOLUTION


def __sub__(self, other):  # self - other
    ### BEGIN SOLUTION
    return self + (-1.0) * other
    ### END SOLUTION


def __radd__(self, other):  # other + self (other는 숫자)
    ### BEGIN SOLUTION
    return self + other
    ### END SOLUTION


def __rmul__(self, other):  # other * self
    ### BEGIN SOLUTION
    return self * other
    ### END SOLUTION


def __rsub__(self, other):  # other - self
    ### BEGIN SOLUTION
    return -self + other
    ### END SOLUTION


Scalar.__neg__, Scalar.__sub__, Scalar.__radd__ = __neg__, __sub__, __radd__
Scalar.__rmul__, Scalar.__rsub__ = __rmul__, __rsub__

# %% exercise="01.2" wrong="__rsub__가 self - other를 계산함 (부호가 뒤집힘)"
def __neg__(self):  # -self
    ### BEGIN SOLUTION
    return self * -1.0
    ### END SOLUTION


def __sub__(self, other):  # self - other
    ### BEGIN SOLUTION
    return self + (-1.0) * other
    ### END SOLUTION


def __radd__(self, other):  # other + self (other는 숫자)
    ### BEGIN SOLUTION
    return self + other
    ### END SOLUTION


def __rmul__(self, other):  # other * self
    ### BEGIN SOLUTION
    return self * other
    ### END SOLUTION


def __rsub__(self, other):  # other - self
    ### BEGIN SOLUTION
    return self - other
    ### END SOLUTION


Scalar.__neg__, Scalar.__sub__, Scalar.__radd__ = __neg__, __sub__, __radd__
Scalar.__rmul__, Scalar.__rsub__ = __rmul__, __rsub__

# %% exercise="01.2" wrong="__radd__가 other + self를 다시 부름 (끝없는 재귀)"
def __neg__(self):  # -self
    ### BEGIN SOLUTION
    return self * -1.0
    ### END SOLUTION


def __sub__(self, other):  # self - other
    ### BEGIN SOLUTION
    return self + (-1.0) * other
    ### END SOLUTION


def __radd__(self, other):  # other + self (other는 숫자)
    ### BEGIN SOLUTION
    return other + self
    ### END SOLUTION


def __rmul__(self, other):  # other * self
    ### BEGIN SOLUTION
    return self * other
    ### END SOLUTION


def __rsub__(self, other):  # other - self
    ### BEGIN SOLUTION
    return -self + other
    ### END SOLUTION


Scalar.__neg__, Scalar.__sub__, Scalar.__radd__ = __neg__, __sub__, __radd__
Scalar.__rmul__, Scalar.__rsub__ = __rmul__, __rsub__

# %%
check("01.2", Scalar)

# %% [markdown]
# ### 연습 01.3: 활성화 함수 tanh와 exp
#
# 활성화 함수도 노드 하나입니다. `tanh`와 `exp`를 쓰세요. 부모는 `(self,)` 하나이고, 국소 도함수는
# $\frac{d}{dx}\tanh x = 1 - \tanh^2 x$, $\frac{d}{dx} e^x = e^x$입니다. (이미 계산한 출력값을 다시 쓰면 편합니다.)

# %% exercise="01.3"
import math


def tanh(self):
    ### BEGIN SOLUTION
    t = math.tanh(self.data)
    return Scalar(t, (self,), (1.0 - t * t,))
    ### END SOLUTION


def exp(self):
    ### BEGIN SOLUTION
    e = math.exp(self.data)
    return Scalar(e, (self,), (e,))
    ### END SOLUTION


Scalar.tanh, Scalar.exp = tanh, exp

# %% exercise="01.3" wrong="tanh의 도함수에 출력 대신 입력을 씀 (1 - x²)"
import math


def tanh(self):
    ### BEGIN SOLUTION
    t = math.tanh(self.data)
    return Scalar(t, (self,), (1.0 - self.data * self.data,))
    ### END SOLUTION


def exp(self):
    ### BEGIN SOLUTION
    e = math.exp(self.data)
    return Scalar(e, (self,), (e,))
    ### END SOLUTION


Scalar.tanh, Scalar.exp = tanh, exp

# %% exercise="01.3" wrong="exp의 도함수를 x로 씀"
import math


def tanh(self):
    ### BEGIN SOLUTION
    t = math.tanh(self.data)
    return Scalar(t, (self,), (1.0 - t * t,))
    ### END SOLUTION


def exp(self):
    ### BEGIN SOLUTION
    e = math.exp(self.data)
    return Scalar(e, (self,), (self.data,))
    ### END SOLUTION


Scalar.tanh, Scalar.exp = tanh, exp

# %%
check("01.3", Scalar)

# %% [markdown]
# 지금까지 푼 문제를 한눈에 봅니다.

# %%
progress("01")
