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
# # 02. 계산 그래프와 역전파
#
# 01번 노트북에서 `backward()`를 부르면 입력의 `grad`에 도함수가 들어왔습니다. 이번에는 그 안에서 무슨 일이 일어나는지 봅니다.
#
# `Value`로 계산할 때마다 엔진은 결과 노드에 **어떤 연산(op)으로, 어떤 부모(parents)에게서** 나왔는지와 **국소 미분(local derivative)**
# $\partial(\text{결과})/\partial(\text{부모})$를 적어 둡니다. 이렇게 쌓인 노드와 간선이 **계산 그래프(computational graph)** 입니다.
# 순전파(forward propagation)는 이 그래프를 입력에서 출력 쪽으로 계산하는 것이고, **역전파(backpropagation)** 는 출력에서 입력 쪽으로
# 거슬러 오르며 **연쇄 법칙(chain rule)** 으로 기울기를 모으는 것입니다.
#
# 이 노트북에서 할 일:
# 1. 식 하나를 만들고 그래프를 그립니다.
# 2. 역전파를 한 노드씩 따라가며, 노드마다 연쇄 법칙이 어떻게 쓰이는지 봅니다.
# 3. 한 값이 두 번 쓰이면 기울기가 어떻게 되는지 봅니다.
# 4. 기울기가 누적(accumulation)되는 이유와 `zero_grad`가 필요한 이유를 봅니다.

# %%
import tempfile
from pathlib import Path

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
from IPython.display import display

from micrograd_ko import Value, backward_steps, draw, save
from micrograd_ko.nn import Neuron
from micrograd_ko.viz import draw_step

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 식을 만들고 그리기
#
# $$L = (a \cdot b + c) \cdot f$$
#
# 를 중간 결과에 이름을 붙여 가며 계산합니다: $d = a\cdot b$, $e = d + c$, $L = e \cdot f$.
# `draw(L)`은 $L$에서 끝나는 그래프를 그립니다. 상자 하나가 `Value` 하나이고(레이블, data, grad), 작은 원이 연산입니다.
# 아직 `backward()`를 부르지 않았으므로 grad 칸은 `?`입니다.

# %%
a = Value(3.0, label="a")
b = Value(-2.0, label="b")
c = Value(4.0, label="c")
f = Value(-1.5, label="f")
d = a * b
d.label = "d"
e = d + c
e.label = "e"
L = e * f
L.label = "L"
print(f"d = {d.data}, e = {e.data}, L = {L.data}")
draw(L)

# %% [markdown]
# 노드마다 엔진이 적어 둔 것을 직접 읽어 봅시다. `op`는 연산 이름, `parents`는 부모 노드, `local_grads`는 부모마다의 국소 미분입니다.
# 곱셈 $d = a\cdot b$의 국소 미분은 $\partial d/\partial a = b$, $\partial d/\partial b = a$이고, 덧셈의 국소 미분은 모두 1입니다.

# %%
for node in L.topological_order():
    if node.parents:
        parents = ", ".join(f"{p.label} (∂/∂{p.label} = {g:+.2f})" for p, g in zip(node.parents, node.local_grads))
        print(f"{node.label} = '{node.op}'({parents})")
    else:
        print(f"{node.label}: 잎 노드(leaf), data = {node.data}")

# %% [markdown]
# ## 2. 역전파를 한 노드씩
#
# **실행하기 전에 예측해 보세요.** $\partial L/\partial a$, $\partial L/\partial b$, $\partial L/\partial c$, $\partial L/\partial f$는 각각 얼마일까요?
# 종이에 연쇄 법칙으로 계산해 두세요. 예를 들어 $\dfrac{\partial L}{\partial a} = \dfrac{\partial L}{\partial e}\cdot\dfrac{\partial e}{\partial d}\cdot\dfrac{\partial d}{\partial a}$입니다.
#
# 역전파는 위상 정렬(topological order)의 **역순** 으로 노드를 하나씩 처리합니다. 처리할 노드의 grad가 이미 확정되어 있어야 하므로,
# 그 노드를 쓰는 노드(자식)가 모두 먼저 처리되어야 하기 때문입니다. 노드 하나를 처리한다는 것은 부모마다
#
# $$\text{parent.grad} \mathrel{+}= \underbrace{\frac{\partial(\text{node})}{\partial(\text{parent})}}_{\text{국소 미분}} \times \text{node.grad}$$
#
# 를 하는 것입니다. 맨 처음에는 $\partial L/\partial L = 1$로 시작합니다.
#
# `backward_steps(L)`은 `backward()`와 똑같은 순서, 똑같은 계산을 한 단계씩 보여 줍니다(실제 `grad`는 건드리지 않습니다).
# `draw_step`으로 그리면 지금 처리하는 노드에 테두리가 쳐지고, 간선에는 국소 미분이 적힙니다. 아직 값이 모이는 중인 grad는 회색입니다.
# 모든 단계의 색이 같은 뜻이 되도록, 색의 진하기는 마지막 단계의 가장 큰 |grad|에 맞춥니다(`grad_scale`).

# %%
steps = list(backward_steps(L))
final = steps[-1]
grad_scale = max(abs(g) for g in final.grads if g is not None)
print(f"노드 {len(final.nodes)}개이므로 단계도 {len(steps)}개입니다.")
draw_step(steps[0], grad_scale=grad_scale)

# %% [markdown]
# 첫 단계는 $L$입니다. $L = e\cdot f$이므로 $e$에는 $f \times 1$이, $f$에는 $e \times 1$이 더해졌습니다.
#
# **실행하기 전에 예측해 보세요.** 다음에 처리되는 노드는 무엇이고, 그 부모들의 grad는 얼마가 될까요?
# $\partial L/\partial a$는 몇 번째 단계에서 만들어질까요?
#
# 나머지 단계를 모두 그립니다. 그림마다 위에 '지금 처리하는 노드, 그 grad, 부모 수'를 한 줄로 적었습니다.

# %%
for step in steps[1:]:
    node = step.node
    grads = ", ".join(f"{p.label} {step.grad_of(p):+.2f}" for p in node.parents)
    sent = f"부모에게 보낸 뒤 부모의 grad: {grads}" if node.parents else "잎 노드라 더 보낼 곳이 없음"
    print(
        f"단계 {step.index + 1}/{len(steps)}: {node.label} (grad {step.grads[step.position]:+.2f}), 부모 {len(node.parents)}개 · {sent}"
    )
    display(draw_step(step, grad_scale=grad_scale))

# %% [markdown]
# 부모가 있는 노드는 $L$, $e$, $d$ 셋이고, 나머지 $a$, $b$, $c$, $f$는 잎 노드(leaf)입니다. 잎 노드를 처리하는 단계는 아무것도 보내지 않고,
# 그 grad가 확정되었음을 확인할 뿐입니다. $\partial L/\partial a$와 $\partial L/\partial b$는 $d$를 처리하는 단계에서야 만들어집니다.
# $d$의 grad($\partial L/\partial d$)가 확정된 뒤에야 $d$를 처리할 수 있기 때문입니다. 이제 진짜 `backward()`를 불러 예측, 그리고 마지막 단계와 비교합니다.

# %%
L.backward()
print("마지막 단계의 grad와 backward()의 grad가 모두 같은가?", all(final.grad_of(v) == v.grad for v in final.nodes))
for v in [a, b, c, f, d, e]:
    print(f"∂L/∂{v.label} = {v.grad:+.2f}")
draw(L, show_local_grad=True)

# %% [markdown]
# 연쇄 법칙으로 손 계산한 값과 같나요? $\partial L/\partial a = f \cdot 1 \cdot b$를 숫자로 확인해 봅시다.

# %%
print(f"f · 1 · b = {f.data * 1 * b.data:+.2f},  엔진: ∂L/∂a = {a.grad:+.2f}")
h = 1e-6
numeric = (((a.data + h) * b.data + c.data) * f.data - ((a.data - h) * b.data + c.data) * f.data) / (2 * h)
print(f"유한 차분으로 구한 ∂L/∂a = {numeric:+.6f}")

# %% [markdown]
# ## 3. 두 번 쓰인 노드
#
# 한 값이 식에 두 번 나오면 어떻게 될까요? $y = x\cdot x$에서 $x = 3$이면 $dy/dx = 2x$입니다.
# 그래프에는 $x$에서 곱셈으로 가는 간선이 **두 개** 있고, 역전파는 간선마다 한 번씩, 모두 두 번 $x$의 grad에 더합니다.
#
# **실행하기 전에 예측해 보세요.** 간선 하나가 보내는 값은 얼마이고, $x$의 grad는 얼마가 될까요?

# %%
x = Value(3.0, label="x")
y = x * x
y.label = "y"
y.backward()
print(f"y = {y.data}, dy/dx = {x.grad} (2x = {2 * x.data})")
print("y의 부모:", [p.label for p in y.parents], " 국소 미분:", y.local_grads)
draw(y, show_local_grad=True)

# %% [markdown]
# 그래서 역전파의 규칙은 `=`가 아니라 `+=`입니다. 만약 덮어쓴다면 어떻게 될까요? 같은 그래프를 `=`로 역전파하는 코드를 직접 써서 비교합니다.


# %%
def backward_overwriting(root):
    """잘못된 역전파: 부모의 grad를 더하지 않고 덮어씁니다."""
    grads = {root: 1.0}
    for node in reversed(root.topological_order()):
        for parent, local in zip(node.parents, node.local_grads):
            grads[parent] = local * grads[node]  # += 가 아니라 =
    return grads


wrong = backward_overwriting(y)
print(f"덮어쓰면 dy/dx = {wrong[x]},  누적하면(엔진) dy/dx = {x.grad}")

# %% [markdown]
# 두 번 쓰인 값은 흔합니다. 뉴런의 입력 하나는 다음 층의 모든 뉴런으로 가고, 가중치 하나는 배치의 모든 데이터에서 쓰입니다.
# 좀 더 복잡한 예로 $z = a + a\cdot c$에서도 확인해 봅시다. $\partial z/\partial a = 1 + c$입니다.

# %%
a2, c2 = Value(2.0, label="a"), Value(5.0, label="c")
z = a2 + a2 * c2
z.label = "z"
z.backward()
print(f"∂z/∂a = {a2.grad} (1 + c = {1 + c2.data}),  ∂z/∂c = {c2.grad} (a = {a2.data})")
draw(z, show_local_grad=True)

# %% [markdown]
# ## 4. 뉴런 하나의 그래프
#
# `nn.Neuron`도 같은 `Value`로 만들어집니다. 가중치와 편향은 역할(role)이 매개변수(parameter)라서 다른 색으로 그려집니다.
# `Value.dot`은 가중합 $w_1x_1 + w_2x_2 + b$를 노드 **하나** 로 계산합니다.

# %%
neuron = Neuron(2, activation="tanh", seed=0, name="N")
out = neuron([1.0, -2.0])
out.label = "출력"
out.backward()
for p in neuron.parameters():
    print(f"{p.label}: data {p.data:+.4f}, grad {p.grad:+.4f}")
draw(out, show_local_grad=True)

# %% [markdown]
# ## 5. 기울기는 누적된다: `zero_grad`
#
# `backward()`는 잎 노드(입력과 매개변수)의 grad에 **더합니다.** 그래서 같은 손실로 `backward()`를 두 번 부르면 grad가 두 배가 됩니다.
#
# **실행하기 전에 예측해 보세요.** 아래에서 두 번째 `backward()` 뒤의 `w.grad`는 얼마일까요?

# %%
w = Value(2.0, label="w", role="parameter")
loss = (w - 5) ** 2
loss.backward()
first = w.grad
loss.backward()
print(f"한 번: {first},  두 번: {w.grad}")
w.grad = 0.0  # zero_grad: 다음 계산 전에 0으로 되돌립니다
loss.backward()
print(f"0으로 되돌린 뒤 한 번 더: {w.grad}")

# %% [markdown]
# 이렇게 만든 데는 이유가 있습니다. 미니배치(mini-batch)의 손실이 데이터별 손실의 합이라면, 데이터마다 따로 `backward()`를 불러 누적한 grad가
# 합의 grad와 같습니다. 그래프 하나를 통째로 만들지 않아도 됩니다.

# %%
data_points = [(1.0, 2.0), (2.0, 3.5), (3.0, 7.0)]
w_batch = Value(1.5, label="w", role="parameter")

total = Value.sum([(w_batch * xi - ti) ** 2 for xi, ti in data_points])
total.backward()
grad_of_sum = w_batch.grad

w_batch.grad = 0.0
for xi, ti in data_points:
    ((w_batch * xi - ti) ** 2).backward()  # 데이터마다 따로, grad는 누적됩니다
print(f"합의 grad: {grad_of_sum},  데이터별 backward를 누적한 grad: {w_batch.grad}")

# %% [markdown]
# 반대로 학습 루프에서 `zero_grad`를 잊으면 지난 걸음의 기울기가 계속 쌓입니다. $E(w) = (w-3)^2$을 학습률 0.1로 줄이는 두 루프를 비교합니다.
#
# **실행하기 전에 예측해 보세요.** `zero_grad`를 잊은 루프의 $w$는 3에 도착할까요?


# %%
def train(zero_grad, steps=60, lr=0.1):
    w = Value(0.0, label="w", role="parameter")
    path = [w.data]
    for _ in range(steps):
        if zero_grad:
            w.grad = 0.0
        loss = (w - 3) ** 2
        loss.backward()
        w.data -= lr * w.grad
        path.append(w.data)
    return path


with_reset, without_reset = train(zero_grad=True), train(zero_grad=False)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(with_reset, marker="o", markersize=3, label="매 걸음 zero_grad")
ax.plot(without_reset, marker="o", markersize=3, label="zero_grad를 잊음")
ax.axhline(3, color="gray", linestyle=":")
ax.set_xlabel("걸음")
ax.set_ylabel("w")
ax.legend()
plt.show()
print(f"60걸음 뒤 w: zero_grad {with_reset[-1]:.4f},  잊음 {without_reset[-1]:.4f}")

# %% [markdown]
# 잊으면 지난 기울기의 합이 계속 남아 $w$가 3을 지나쳐 오가며 출렁입니다. 그래서 학습 루프는 언제나
# `optimizer.zero_grad()` → `loss.backward()` → `optimizer.step()` 순서로 씁니다(`model.zero_grad()`도 같은 일을 합니다).
#
# ## 6. 그림을 파일로
#
# `save(root, "파일.svg")`는 그림을 파일로 씁니다(`.png`, `.pdf`, `.dot`도 됩니다). 명령줄에서는
# `python -m micrograd_ko draw "x*w + b" --var x=2 --param w=-3 --param b=1 -o graph.svg --steps 단계폴더`처럼 식을 바로 그리고,
# `--steps`를 주면 역전파 단계를 슬라이더로 넘겨 보는 HTML 한 장도 만듭니다.

# %%
with tempfile.TemporaryDirectory() as folder:  # 예제 파일이 저장소에 남지 않도록 임시 폴더에 씁니다
    path = save(L, Path(folder) / "L_graph.svg")
    svg = path.read_text(encoding="utf-8")
# 바이트 수는 설치된 글꼴과 Graphviz 판에 따라 달라지므로, 그 대신 그림에 들어간 것을 셉니다.
values = L.topological_order()
ops = [v for v in values if v.parents]
node_count, edge_count = svg.count('class="node"'), svg.count('class="edge"')
print(
    f"{path.name}: SVG 노드 {node_count}개 (Value {len(values)}개 + 연산 {len(ops)}개 + 범례 1개), 간선 {edge_count}개"
)
display(draw(L, rankdir="TB", legend=False, title="위에서 아래로 그린 같은 그래프"))

# %% [markdown]
# ## 정리
#
# - 계산 그래프의 노드는 값, 간선은 '이 값에서 저 값이 계산되었다'는 관계입니다. 엔진은 노드마다 연산, 부모, 국소 미분을 적어 둡니다.
# - 역전파는 위상 정렬의 역순으로 노드를 처리하며 `parent.grad += 국소 미분 × node.grad`를 합니다. 연쇄 법칙이 곱셈으로 나타납니다.
# - 두 번 쓰인 값은 간선마다 기울기를 받아 더합니다(`=`가 아니라 `+=`).
# - 잎 노드의 grad는 `backward()`를 부를 때마다 누적되므로, 학습 루프에서는 매번 `zero_grad`로 0으로 되돌립니다.
#
# ### 더 해 보기
# - 1절의 식을 $L = (a\cdot b + c)\cdot f + a$로 바꾸면 $\partial L/\partial a$는 얼마가 될까요? 그래프에서 $a$의 간선은 몇 개일까요?
# - `draw(L, rankdir="TB", show_local_grad=True)`처럼 옵션을 바꿔 그려 보세요.
