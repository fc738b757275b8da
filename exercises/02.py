# %% [markdown]
# ## 연습 문제
#
# 이번에는 엔진의 `Value`를 그대로 쓰되, 역전파(backpropagation)는 여러분이 직접 씁니다.
# `Value`는 `parents`(피연산자들, 인자 순서대로), `local_grads`(각 부모에 대한 국소 도함수), `grad`를 가지고 있습니다.
# 확인 칸은 `micrograd_ko.testing`이 만든 무작위 계산 그래프(고정된 시드)에서 여러분의 결과를 엔진의 `backward()`와 견주어 봅니다.

# %%
from micrograd_ko import Value
from micrograd_ko.exercises import check, progress

# %% [markdown]
# ### 연습 02.1: 재귀 없는 위상 정렬(topological order)
#
# `root`가 의존하는 모든 노드를, 각 노드가 자기 부모들보다 **뒤에** 오도록 한 번씩 나열하세요(`root`는 맨 끝).
# 재귀 함수로 쓰면 간단하지만, 노드 2만 개짜리 사슬에서 파이썬의 재귀 한도(약 1,000)를 넘습니다.
# 재귀 대신 `(노드, 부모를 다 넣었는가)` 쌍을 담는 스택(stack)을 직접 관리하세요.

# %% exercise="02.1"
def topological_order(root):
    ### BEGIN SOLUTION
    order, visited = [], set()
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append((node, True))
            for parent in node.parents:
                if parent not in visited:
                    stack.append((parent, False))
    return order
    ### END SOLUTION


# %% exercise="02.1" wrong="재귀로 씀 (깊은 사슬에서 RecursionError)"
def topological_order(root):
    ### BEGIN SOLUTION
    order, visited = [], set()

    def visit(node):
        if node not in visited:
            visited.add(node)
            for parent in node.parents:
                visit(parent)
            order.append(node)

    visit(root)
    return order
    ### END SOLUTION


# %% exercise="02.1" wrong="방문한 노드를 기억하지 않음 (두 번 쓰인 노드가 두 번 나옴)"
def topological_order(root):
    ### BEGIN SOLUTION
    order = []
    stack = [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        else:
            stack.append((node, True))
            for parent in node.parents:
                stack.append((parent, False))
    return order
    ### END SOLUTION


# %% exercise="02.1" wrong="노드를 부모보다 먼저 넣음 (방문 순서 그대로)"
def topological_order(root):
    ### BEGIN SOLUTION
    order, visited = [], set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node not in visited:
            visited.add(node)
            order.append(node)
            stack.extend(node.parents)
    return order
    ### END SOLUTION


# %%
check("02.1", topological_order)

# %% [markdown]
# ### 연습 02.2: 기울기를 누적하는 `backward`
#
# 위의 `topological_order`를 써서 `backward(root)`를 완성하세요. `root.grad`를 1로 두고, 위상 정렬의 **역순**으로
# 노드마다 연쇄 법칙(chain rule) `parent.grad += local_grad * node.grad`를 적용합니다.
# `x * x`처럼 한 노드가 두 번 쓰이면 두 기여가 모두 더해져야 하므로 `=`가 아니라 `+=`입니다.
# (확인 칸은 매번 새 그래프를 만들므로, 모든 `grad`는 0에서 시작합니다.)

# %% exercise="02.2"
def backward(root):
    ### BEGIN SOLUTION
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local_grad in zip(node.parents, node.local_grads):
            parent.grad += local_grad * node.grad
    ### END SOLUTION


# %% exercise="02.2" wrong="+= 대신 = (두 번 쓰인 노드의 기여를 하나 잃음)"
def backward(root):
    ### BEGIN SOLUTION
    root.grad = 1.0
    for node in reversed(topological_order(root)):
        for parent, local_grad in zip(node.parents, node.local_grads):
            parent.grad = local_grad * node.grad
    ### END SOLUTION


# %% exercise="02.2" wrong="역순이 아니라 위상 정렬 순서대로 돎"
def backward(root):
    ### BEGIN SOLUTION
    root.grad = 1.0
    for node in topological_order(root):
        for parent, local_grad in zip(node.parents, node.local_grads):
            parent.grad += local_grad * node.grad
    ### END SOLUTION


# %% exercise="02.2" wrong="root.grad를 1로 두지 않음"
def backward(root):
    ### BEGIN SOLUTION
    for node in reversed(topological_order(root)):
        for parent, local_grad in zip(node.parents, node.local_grads):
            parent.grad += local_grad * node.grad
    ### END SOLUTION


# %%
check("02.2", backward)

# %% [markdown]
# ### 연습 02.3: `zero_grad`
#
# `grad`는 `+=`로 쌓이므로, `backward()`를 두 번 부르면 기울기가 두 배가 됩니다. 그래서 학습의 매 단계 앞에서 기울기를 지웁니다.
# 매개변수(parameter) 목록을 받아 모든 `grad`를 0으로 되돌리는 `zero_grad(params)`를 쓰세요.

# %% exercise="02.3"
def zero_grad(params):
    ### BEGIN SOLUTION
    for p in params:
        p.grad = 0.0
    ### END SOLUTION


# %% exercise="02.3" wrong="grad 대신 data를 지움"
def zero_grad(params):
    ### BEGIN SOLUTION
    for p in params:
        p.data = 0.0
    ### END SOLUTION


# %% exercise="02.3" wrong="첫 매개변수만 지움"
def zero_grad(params):
    ### BEGIN SOLUTION
    params[0].grad = 0.0
    ### END SOLUTION


# %%
check("02.3", zero_grad)

# %%
progress("02")
