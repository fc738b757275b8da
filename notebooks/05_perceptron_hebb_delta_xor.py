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
# # 05. 퍼셉트론, 헵 규칙, 델타 규칙, 그리고 XOR
#
# 신경망이 학습할 때 연결 강도(가중치)를 얼마나 바꾸는지 정해 둔 것을 **학습 규칙(learning rule)** 이라고 합니다.
# 역전파(backpropagation)가 나오기 전의 학습 규칙 세 가지를 직접 돌려 보고, 역전파가 같은 신경망에서 계산하는 값과 나란히 놓아 봅니다.
#
# 1. **퍼셉트론(perceptron, 1957)**: 뉴런 하나와 계단 함수. AND와 OR는 배우지만 XOR는 못 배웁니다.
# 2. **헵 규칙(Hebb's rule)**: "함께 흥분하는 뉴런은 연결이 강해진다."
# 3. **델타 규칙(delta rule, 위드로-호프 Widrow-Hoff)**: 오차가 클수록, 입력이 클수록 많이 고친다.
# 4. 은닉층이 있는 **다층 퍼셉트론(multi-layer perceptron, MLP)** 으로 XOR 풀기.

# %%

import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np

from micrograd_ko import Value, data, losses
from micrograd_ko.nn import MLP
from micrograd_ko.optim import Adam

# 텍스트 진행 막대(progress bar): ipywidgets가 있든 없든 어디서나 같은 모양으로 보입니다.
from tqdm import tqdm

# 로마자와 수식 기호는 DejaVu Sans로, 한글은 NanumGothic으로 그립니다(NanumGothic에는 '−' 기호가 없습니다).
plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False

# %% [markdown]
# ## 1. 퍼셉트론과 퍼셉트론 규칙
#
# 퍼셉트론은 가중합에 계단 함수(step function)를 씌운 뉴런 하나입니다: $y = \mathrm{step}(w_1x_1 + w_2x_2 + b)$.
# 학습 방법은 간단합니다. 출력이 원하던 값보다 크면 작아지게, 작으면 커지게 매개변수를 고칩니다.
#
# $$w_i \leftarrow w_i + \eta\,(t - y)\,x_i, \qquad b \leftarrow b + \eta\,(t - y)$$
#
# 맞혔으면 $t - y = 0$이라 아무것도 바뀌지 않습니다. 데이터가 직선 하나로 나뉠 수 있다면 이 규칙이 언젠가 반드시 멈춘다는 것이
# **퍼셉트론 수렴 정리(perceptron convergence theorem)** 입니다.
#
# 입력은 네 점 $(0,0), (0,1), (1,0), (1,1)$이고, 레이블만 바꿔 AND, OR, XOR 세 문제를 만듭니다.

# %%
X_gate, y_xor = data.xor()
gates = {
    "AND": np.array([0, 0, 0, 1]),
    "OR": np.array([0, 1, 1, 1]),
    "XOR": y_xor,
}
for name, labels in gates.items():
    print(f"{name:>3}: ", ", ".join(f"{tuple(int(v) for v in x)} → {t}" for x, t in zip(X_gate, labels)))


# %%
def perceptron_output(w, b, x):
    return Value.dot(w, list(x), bias=b).step().data


def train_perceptron(labels, eta=0.1, max_epochs=50, seed=2):
    """퍼셉트론 규칙으로 학습합니다. 에포크마다 틀린 개수를 기록하고, 모두 맞히면 멈춥니다.

    가중치는 작은 난수, 편향은 0에서 시작합니다.
    """
    start = np.random.default_rng(seed).uniform(-0.5, 0.5, size=2)
    w = [Value(float(v), label=f"w{i + 1}", role="parameter") for i, v in enumerate(start)]
    b = Value(0.0, label="b", role="parameter")
    mistakes = []
    for _ in range(max_epochs):
        wrong = 0
        for x, t in zip(X_gate, labels):
            error = t - perceptron_output(w, b, x)
            wrong += error != 0
            for wi, xi in zip(w, x):
                wi.data += eta * error * xi
            b.data += eta * error
        mistakes.append(int(wrong))
        if wrong == 0:
            break
    return w, b, mistakes


# %% [markdown]
# **실행하기 전에 예측해 보세요.** AND, OR, XOR 중 퍼셉트론이 50 에포크 안에 모두 맞히게 되는 것은 무엇일까요?

# %%
trained = {}
for name, labels in gates.items():
    w, b, mistakes = train_perceptron(labels)
    trained[name] = (w, b)
    verdict = f"{len(mistakes)} 에포크 만에 모두 맞힘" if mistakes[-1] == 0 else f"{len(mistakes)} 에포크 뒤에도 틀림"
    print(f"{name:>3}: {verdict}.  에포크별 틀린 개수 {mistakes[:12]}{' ...' if len(mistakes) > 12 else ''}")
    print(f"      w = ({w[0].data:.3f}, {w[1].data:.3f}), b = {b.data:.3f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3.8))
line_x = np.linspace(-0.5, 1.5, 2)
for ax, (name, labels) in zip(axes, gates.items()):
    w, b = trained[name]
    for cls, marker in [(0, "o"), (1, "s")]:
        points = X_gate[labels == cls]
        ax.scatter(points[:, 0], points[:, 1], s=120, marker=marker, label=f"레이블 {cls}")
    if w[1].data != 0:
        ax.plot(line_x, -(w[0].data * line_x + b.data) / w[1].data, color="black", label="w·x + b = 0")
    ax.set_xlim(-0.5, 1.5)
    ax.set_ylim(-0.5, 1.5)
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.set_title(f"{name}: 퍼셉트론이 찾은 직선")
    ax.legend(fontsize=8, loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# XOR에서는 직선이 계속 흔들릴 뿐 네 점을 가르지 못합니다. 퍼셉트론 규칙이 서툴러서가 아니라 **그런 직선이 없기 때문** 입니다.
# 무작정 찾아봅시다. $w_1, w_2, b$를 -3에서 3 사이의 촘촘한 격자에서 모두 시도하고, 네 점 중 최대 몇 개를 맞히는지 셉니다.

# %%
grid = np.linspace(-3, 3, 61)
W1, W2, B = np.meshgrid(grid, grid, grid, indexing="ij")
correct = np.zeros_like(W1)
for (x1, x2), t in zip(X_gate, y_xor):
    correct += (W1 * x1 + W2 * x2 + B > 0) == t
print(f"시도한 (w1, w2, b) 조합: {W1.size}개")
print(f"XOR 네 점 중 최대로 맞힌 개수: {int(correct.max())}개")

# %% [markdown]
# 어떤 직선도 네 점을 모두 맞히지 못합니다. 뉴런 하나는 평면을 직선 하나로 가를 뿐이기 때문입니다(01번 노트북).
# 마빈 민스키(Marvin Minsky)와 시모어 페퍼트(Seymour Papert)가 1969년 책 『퍼셉트론(Perceptrons)』에서 단층 퍼셉트론의 이런 한계를 엄밀하게 보였고,
# 그 뒤 1970년대 내내 신경망 연구는 관심과 연구비를 잃고 크게 위축되었습니다. 여러 층을 학습시키는 역전파가 1986년 루멜하트(Rumelhart),
# 힌턴(Hinton), 윌리엄스(Williams)의 논문으로 널리 알려지면서 다시 살아났습니다.
#
# 그런데 왜 퍼셉트론에는 경사 하강법을 쓰지 않았을까요? 계단 함수의 도함수가 0이기 때문입니다. 엔진으로 확인해 봅시다.

# %%
w, b = [Value(0.3, label="w1"), Value(-0.2, label="w2")], Value(0.1, label="b")
out = Value.dot(w, [1.0, 0.0], bias=b).step()
loss = losses.sse([out], [0.0])  # 틀렸습니다: 출력 1, 정답 0
loss.backward()
print(f"출력 {out.data}, 정답 0, 손실 {loss.data}")
print("역전파가 구한 기울기:", {v.label: v.grad for v in [*w, b]})

# %% [markdown]
# 틀렸는데도 기울기는 모두 0입니다. 역전파는 계단 함수를 통과할 수 없습니다. 퍼셉트론 규칙은 계단 함수를 건너뛰고 오차 $t-y$를 곧바로 입력에 곱하는 규칙입니다.
#
# ## 2. 헵 규칙
#
# 도널드 헵(Donald Hebb)은 시냅스 앞쪽의 뉴런이 흥분하고 그에 따라 뒤쪽 뉴런도 흥분하면 둘 사이의 전달 효율이 강해진다고 주장했습니다.
# 앞쪽 뉴런의 흥분 정도를 $y_i$, 뒤쪽 뉴런의 흥분 정도를 $y_j$, 상수를 $\gamma$(감마)라 하면
#
# $$\Delta w_{ij} = \gamma\, y_i\, y_j$$
#
# 두 뉴런이 함께 크게 흥분할수록 가중치가 크게 늘어납니다. 뒤쪽 뉴런이 정답 $t$만큼 흥분하도록 가르친다면($y_j = t$), 입력 $x_i$에 대해
# $\Delta w_i = \gamma\, t\, x_i$입니다.
#
# ## 3. 델타 규칙
#
# 버나드 위드로(Bernard Widrow)와 마시안 호프(Marcian Hoff)의 델타 규칙은 정답과의 **오차** 를 씁니다.
#
# $$\Delta w_i = \eta\,(t - y)\,x_i$$
#
# - 출력과 정답의 오차가 클수록 가중치 수정량이 커집니다.
# - 입력이 클수록 가중치 수정량이 커집니다.
#
# 헵 규칙의 $t$ 자리에 오차 $t - y$가 들어간 모양입니다. 이제 활성화 함수 없는 뉴런 하나 $y = \mathbf{w}\cdot\mathbf{x}$에 손실 $E = \frac12(y-t)^2$를 두고,
# 역전파가 구한 기울기와 비교해 봅시다.
#
# **실행하기 전에 예측해 보세요.** 델타 규칙의 $\Delta w$와 경사 하강법의 $-\eta\,\partial E/\partial w$는 얼마나 다를까요?

# %%
rule_rng = np.random.default_rng(5)
x = rule_rng.normal(size=3)
t = 1.5
eta = 0.1
w = [Value(v, label=f"w{i + 1}", role="parameter") for i, v in enumerate(rule_rng.normal(size=3))]

y = Value.dot(w, list(x))
E = losses.sse([y], [t])
E.backward()

delta_rule = eta * (t - y.data) * x
gradient_step = np.array([-eta * wi.grad for wi in w])
hebb_rule = eta * t * x
print(f"출력 y = {y.data:.4f}, 정답 t = {t}")
print("델타 규칙  η(t - y)x :", delta_rule.round(6))
print("경사 하강법 -η ∂E/∂w :", gradient_step.round(6))
print("헵 규칙    η·t·x     :", hebb_rule.round(6))
print(f"델타 규칙과 경사 하강법의 최대 차이: {np.max(np.abs(delta_rule - gradient_step)):.1e}")

# %% [markdown]
# 델타 규칙은 활성화 함수 없는 한 층짜리 신경망에서 역전파로 구한 경사 하강법과 **같은 식** 입니다. 헵 규칙은 오차를 보지 않으므로 다릅니다.
#
# 강의 노트가 말한 두 성질도 엔진의 기울기로 재어 봅시다. 오차를 2배, 입력을 2배로 바꿔 보면 수정량은 어떻게 될까요?


# %%
def delta_update(x, t, w_values):
    weights = [Value(v) for v in w_values]
    loss = losses.sse([Value.dot(weights, list(x))], [t])
    loss.backward()
    return np.array([-eta * wi.grad for wi in weights])


w_now = [wi.data for wi in w]
base = delta_update(x, t, w_now)
y_now = y.data
doubled_error = delta_update(x, y_now + 2 * (t - y_now), w_now)  # 정답을 옮겨 오차를 2배로
print("오차를 2배로 하면 수정량의 비율:", (doubled_error / base).round(6))
x_big = x * np.array([2.0, 1.0, 1.0])  # 첫 번째 입력만 2배로
print("첫 번째 입력만 2배로 하면 첫 수정량의 비율:", round(delta_update(x_big, t, w_now)[0] / base[0], 4))

# %% [markdown]
# 입력을 바꾸면 출력 $y$도 바뀌어 오차가 달라지므로 둘째 비율은 정확히 2가 아닙니다. 그래도 입력이 큰 연결일수록 많이 고쳐진다는 것은 그대로입니다.
#
# ### 반복하면: 헵 규칙은 멈추지 않는다
#
# 같은 데이터를 여러 번 보여 주면 어떻게 될까요? 입력 3개짜리 선형 뉴런이 $t = \mathbf{w}^*\cdot\mathbf{x}$인 데이터 20개를 배우게 합니다.
#
# **실행하기 전에 예측해 보세요.** 헵 규칙으로 배운 가중치의 크기는 에포크가 늘수록 어떻게 될까요? 델타 규칙은요?

# %%
w_true = np.array([1.0, -2.0, 0.5])
X_lin = rule_rng.normal(size=(20, 3))
t_lin = X_lin @ w_true


def run_rule(rule, epochs=40, rate=0.05):
    w_run = np.zeros(3)
    norms, errors = [], []
    for _ in range(epochs):
        for xi, ti in zip(X_lin, t_lin):
            yi = w_run @ xi
            w_run = w_run + (rate * ti * xi if rule == "hebb" else rate * (ti - yi) * xi)
        norms.append(np.linalg.norm(w_run))
        errors.append(0.5 * np.mean((X_lin @ w_run - t_lin) ** 2))
    return w_run, norms, errors


runs = {"헵 규칙": run_rule("hebb"), "델타 규칙": run_rule("delta")}
fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
for name, (_, norms, errors) in runs.items():
    axes[0].plot(norms, label=name)
    axes[1].semilogy(errors, label=name)
axes[0].axhline(np.linalg.norm(w_true), color="gray", linestyle=":", label="정답 가중치의 크기")
axes[0].set_title("가중치의 크기 |w|")
axes[0].set_ylabel("|w|")
axes[1].set_title("평균 오차 (로그 눈금)")
axes[1].set_ylabel("평균 오차")
for ax in axes:
    ax.set_xlabel("에포크")
    ax.legend()
fig.tight_layout()
plt.show()
for name, (w_final, norms, errors) in runs.items():
    print(f"40 에포크 뒤 w = {np.round(w_final, 3)}, |w| = {norms[-1]:.3f}, 평균 오차 {errors[-1]:.2e}   {name}")
print(f"정답 가중치 w* = {w_true}")

# %% [markdown]
# 헵 규칙은 오차를 보지 않으므로 이미 맞히고 있어도 계속 같은 방향으로 가중치를 키웁니다. 델타 규칙은 오차가 0이 되면 멈추고, 정답 가중치를 찾아냅니다.
#
# 델타 규칙의 약점은 **한 층** 에서만 쓸 수 있다는 것입니다. 은닉층 뉴런에게는 정답 $t$가 없으니 오차 $t - y$도 없습니다.
# 역전파는 출력층의 오차를 연쇄 법칙으로 은닉층까지 거꾸로 전달해, 은닉 뉴런마다 '자기 몫의 오차'(델타)를 만들어 줍니다.
# 그래서 역전파를 **일반화된 델타 규칙(generalized delta rule)** 이라고도 부릅니다(뒤의 08번 노트북에서 층마다의 델타를 손으로 계산해 봅니다).
#
# ## 4. 은닉층으로 XOR 풀기
#
# XOR는 (OR이면서) (AND가 아닌) 것입니다. 직선 두 개가 필요하니 뉴런이 최소 두 개 있는 은닉층을 두면 됩니다.
# `MLP(2, [2, 1], activation="tanh", output_activation="sigmoid")`: 은닉 뉴런 2개(tanh), 출력 뉴런 1개(시그모이드), 손실은 이진 교차 엔트로피입니다.
#
# **실행하기 전에 예측해 보세요.** 초기 가중치(시드)를 20가지로 바꿔 가며 학습하면 모두 XOR를 풀까요? 은닉 뉴런을 4개로 늘리면요?

# %%
X_rows, targets = X_gate.tolist(), y_xor.tolist()


def train_xor(hidden, seed, steps=250):
    model = MLP(2, [hidden, 1], activation="tanh", output_activation="sigmoid", seed=seed)
    optimizer = Adam(model.parameters(), lr=0.1)
    for _ in range(steps):
        loss = losses.binary_cross_entropy([model(row) for row in X_rows], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    predictions = np.array([model(row).data for row in X_rows])
    return model, bool(np.all((predictions > 0.5) == (y_xor == 1)))


solved = {}
for hidden in [2, 4]:
    outcomes = [train_xor(hidden, seed) for seed in tqdm(range(20), desc=f"은닉 뉴런 {hidden}개")]
    solved[hidden] = [seed for seed, (_, ok) in enumerate(outcomes) if ok]
for hidden, seeds in solved.items():
    print(f"은닉 뉴런 {hidden}개: 20개 시드 중 {len(seeds)}개가 XOR를 풂")

# %% [markdown]
# 은닉 뉴런이 딱 두 개면 둘 다 쓸모 있는 직선을 찾아야 하므로, 출발점에 따라 국소 최솟값에 갇히기도 합니다. 뉴런을 넉넉히 두면 훨씬 안정적으로 풉니다.
#
# XOR를 푼 은닉 뉴런 2개짜리 모델 하나를 열어 봅시다. 은닉 뉴런 두 개가 각각 어떤 직선을 긋는지, 출력 뉴런이 그것을 어떻게 합치는지 봅니다.

# %%
model, ok = train_xor(2, solved[2][0])
print(f"시드 {solved[2][0]}, XOR를 풀었는가: {ok}")
for row, t in zip(X_rows, targets):
    hidden_out = [n(row).data for n in model.layers[0].neurons]
    print(
        f"입력 {tuple(int(v) for v in row)} → 은닉 ({hidden_out[0]:+.3f}, {hidden_out[1]:+.3f}) → 출력 {model(row).data:.3f}  (정답 {t})"
    )

# %%
xs = np.linspace(-0.5, 1.5, 81)
surface = np.array([[model([a, c]).data for a in xs] for c in xs])
fig, ax = plt.subplots(figsize=(5.5, 4.5))
image = ax.contourf(xs, xs, surface, levels=20, cmap="coolwarm")
ax.contour(xs, xs, surface, levels=[0.5], colors="black")
for neuron, style in zip(model.layers[0].neurons, ["--", ":"]):
    (w1, w2), b0 = [wi.data for wi in neuron.w], neuron.b.data
    ax.plot(xs, -(w1 * xs + b0) / w2, color="white", linestyle=style, label=f"{neuron.w[0].label.split('.')[0]}의 직선")
for cls, marker in [(0, "o"), (1, "s")]:
    points = X_gate[y_xor == cls]
    ax.scatter(points[:, 0], points[:, 1], s=120, marker=marker, color="black", label=f"레이블 {cls}")
ax.set_xlim(-0.5, 1.5)
ax.set_ylim(-0.5, 1.5)
ax.set_xlabel("x1")
ax.set_ylabel("x2")
ax.set_title("MLP의 출력 (검은 선: 0.5), 흰 선: 은닉 뉴런의 직선")
ax.legend(fontsize=7, loc="upper right")
fig.colorbar(image, label="MLP의 출력 (시그모이드)")
plt.show()

# %% [markdown]
# 은닉 뉴런의 두 직선 사이 띠에 레이블 1인 두 점이 들어가고, 출력 뉴런은 "띠 안인가?"를 답합니다. 층을 쌓아 직선 여러 개를 조합하면
# 직선 하나로는 불가능했던 구분을 할 수 있습니다.
#
# ## 정리
#
# | 규칙 | 수정량 | 오차를 보는가 | 은닉층을 학습하는가 |
# |---|---|---|---|
# | 헵 규칙 | $\gamma\,y_i\,y_j$ | 아니오 | 아니오 |
# | 퍼셉트론 규칙 | $\eta\,(t - \mathrm{step}(\mathbf{w}\cdot\mathbf{x}))\,x_i$ | 예 | 아니오 |
# | 델타 규칙 | $\eta\,(t - y)\,x_i$ | 예 | 아니오 |
# | 역전파 + 경사 하강법 | $-\eta\,\partial E/\partial w_i$ | 예 | 예 (연쇄 법칙으로 오차를 전달) |
#
# ### 더 해 보기
# - 퍼셉트론의 학습률 `eta`를 1로 바꾸면 AND와 OR는 몇 에포크 만에 수렴할까요? 수렴 여부는 바뀔까요?
# - XOR MLP의 은닉 활성화 함수를 `"relu"`로 바꾸면 20개 시드 중 몇 개가 풀까요?
