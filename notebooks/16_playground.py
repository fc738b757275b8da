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
# # 16. 놀이터 (playground)
#
# 지금까지는 역전파를 노드 하나씩 따라가고, 학습이 끝난 모델의 그래프를 보았습니다. 이 노트북에서는 **학습이 일어나는 모습**을
# 한꺼번에 봅니다: 결정 경계(decision boundary)가 휘고, 가중치(weight)가 바뀌고, 손실(loss)이 떨어지는 것을, 학습률을 바꾸거나
# 점을 찍는 동안 실시간으로. TensorFlow Playground를 본뜬 `micrograd_ko.playground`의 위젯(widget)입니다.
#
# 위젯 한 화면에 있는 것:
#
# - **데이터와 결정 면(decision surface)**: 점(흰 테두리는 학습 점(train), 검은 테두리는 시험 점(test)) 아래에 모델 출력의 색 지도.
#   클릭하면 파란(+1) 점, Shift+클릭하면 주황(−1) 점이 더해집니다. 이미 있는 점을 클릭하면 그 점이 **선택**됩니다.
# - **신경망 그림(network diagram)**: 뉴런마다 입력 평면 위의 **자기 출력 지도**가 작게 그려지고, 간선(edge)의 색은 가중치의 부호
#   (파랑 +, 주황 −), 굵기는 크기입니다. 간선 위에 마우스를 올리면 $w$, $\partial L/\partial w$, 갱신량 $\Delta w = -\eta\,\partial L/\partial w$가
#   숫자로, 뉴런 위에 올리면 선택한 점에서의 사전 활성화(pre-activation) $z = \sum_i w_i a_i + b$와 활성화(activation) $a$가 숫자를 넣은 식으로 나옵니다.
# - **손실 곡선(loss curves)**: 학습 손실(파랑)과 시험 손실(주황), 그리고 단계(step) 수.
# - **조절 장치(controls)**: 재생/멈춤(play/pause), 한 단계(step), 처음부터(reset: 같은 시드라 같은 실행이 비트 하나까지 그대로 되풀이됩니다),
#   학습률, 최적화(SGD, 모멘텀, Adam), 활성화, 은닉층과 뉴런 수(더하기/빼기), L2, 배치 크기, 데이터와 잡음(noise).
# - **그래프까지 내려가기**: 점 하나를 선택하고 뉴런을 클릭하면, 그 점 하나의 계산 그래프가 그 뉴런까지 data와 grad를 달고 그려지고,
#   그 아래에 역전파 한 단계씩 보기(step-through)가 열립니다.
#
# 학습은 Python 쪽에서 진짜 엔진이 합니다: 샘플 하나의 손실 그래프를 `compiler.trace`로 한 번 기록해 배치 전체에 실행하고(15번 노트북),
# 결정 면도 기록한 프로그램으로 격자(grid) 32×32 전체를 한 번에 계산합니다. 위젯은 그 상태를 받아 그리기만 합니다.
#
# 이 노트북에서 할 일(위젯에서 해 볼 것을, 같은 엔진으로 숫자를 찍으며 순서대로):
#
# 1. 위젯을 띄우고, 그 Python 쪽(`Session`)을 직접 움직여 봅니다.
# 2. 학습률이 너무 크면: 손실이 떨어지지 않고 튑니다.
# 3. 나선(spiral)에 뉴런이 너무 적으면: 경계가 나선을 따라 감기지 못합니다.
# 4. L2 규제(L2 regularization)로 과적합(overfitting)을 줄입니다.
# 5. 경계가 틀린 곳에 점을 찍어 경계를 고칩니다.
# 6. 교사용: 수업 설정(preset)과 한 줄짜리 설정 글(setup text), 그리고 실행 전체를 오프라인 HTML 한 장으로 저장하기.

# %%
import koreanize_matplotlib  # noqa: F401  (matplotlib에 한글 글꼴 NanumGothic을 설정합니다)
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LinearSegmentedColormap

from micrograd_ko.playground import PRESETS, Playground, Session, Setup, save_page
from micrograd_ko.playground.session import grid_points

plt.rcParams["font.family"] = ["DejaVu Sans", "NanumGothic"]
plt.rcParams["axes.unicode_minus"] = False
# 위젯과 같은 색: 주황(−1) → 회색(0) → 파랑(+1)
PLAYGROUND_COLOURS = LinearSegmentedColormap.from_list("playground", ["#f59322", "#e8eaeb", "#0877bd"])


def surface_of(session):
    """모델 출력 점수(score)의 지도: 격자 위에서 계산한 `session.maps()`의 마지막 줄(출력 뉴런)을 정사각형으로."""
    return session.maps()[-1].reshape(session.grid, session.grid)


def show(ax, session, title):
    """결정 면 위에 점을 그립니다(파랑 +1, 주황 -1; 학습 점은 흰 테두리, 시험 점은 검은 테두리)."""
    surface = np.tanh(surface_of(session) / 2)  # = 2·sigmoid(score) - 1: 출력이 +1일 확률을 -1..1로
    ax.imshow(surface, cmap=PLAYGROUND_COLOURS, vmin=-1, vmax=1, extent=(-1.5, 1.5, -1.5, 1.5), alpha=0.8)
    points = session.points
    colours = np.where(points.y > 0, "#0877bd", "#f59322")
    edges = np.where(points.train, "white", "black")
    ax.scatter(points.X[:, 0], points.X[:, 1], c=colours, edgecolors=edges, s=18, linewidths=0.8)
    ax.set_title(title, fontsize=10)
    ax.set_xticks([])
    ax.set_yticks([])


# %% [markdown]
# ## 1. 위젯과 그 Python 쪽
#
# `Playground()`가 위젯입니다. Jupyter에서 셀의 마지막 줄에 두면 화면에 나타나고, ▶ 재생(play)을 누르면 학습이 시작됩니다.
# 기본 설정은 두 반달(moons) 점 200개(반은 학습, 반은 시험), 은닉층 두 개에 뉴런 4개씩(2-4-4-1, tanh), SGD, 학습률 0.3, 배치 10입니다.
# 손실은 라벨 $y = \pm 1$에 대한 로지스틱 손실 $\log(1 + e^{-y \cdot s})$ (softplus)입니다.
#
# 위젯 뒤에는 학습 상태 기계(state machine) `Session`이 있습니다. 위젯의 버튼은 모두 이 객체의 메서드 하나로 이어집니다:
# `step()`, `play()`/`pause()`, `reset()`, `add_point(x1, x2, label)`, `configure(lr=...)`.
#
# **실행하기 전에 예측해 보세요.** 처음(0단계)의 학습 손실은 대략 얼마일까요? (힌트: 가중치가 작으면 점수 $s \approx 0$이고, $\log 2 \approx 0.693$입니다.)

# %%
w = Playground()
session = w.session
print("층별 뉴런 수(sizes):", session.sizes(), "/ 매개변수:", len(session.model.parameters()), "개")
print(f"점: {len(session.points)}개 (학습 {session.points.train.sum()}개)")
print(f"0단계 학습 손실 {session.frame.train_loss:.4f}, 시험 손실 {session.frame.test_loss:.4f}")
w

# %% [markdown]
# 위젯의 버튼이 보내는 메시지를 Python에서 직접 보낼 수도 있습니다(`w.handle`). 재생 중인 위젯은 새 상태가 도착할 때마다 `tick`을 보내고,
# `tick` 하나가 한 단계입니다. 아래는 재생 → tick 100번 → 멈춤 → 한 단계입니다.
#
# **실행하기 전에 예측해 보세요.** 멈춘 뒤 `tick`이 늦게 도착하면 단계 수가 늘어날까요? 한 단계(step)를 누르면 정확히 몇 단계가 늘까요?

# %%
w.handle({"action": "play"})
for _ in range(100):
    w.handle({"action": "tick"})
w.handle({"action": "pause"})
w.handle({"action": "tick"})  # 멈춘 뒤에 도착한 tick: 아무것도 하지 않습니다
print("멈춘 뒤 단계:", w.state["step"])
w.handle({"action": "step"})
print("한 단계 뒤:", w.state["step"])
print(f"학습 손실 {w.state['train_loss']:.4f}, 시험 손실 {w.state['test_loss']:.4f}")
w.handle({"action": "configure", "changes": {"layers": [4, 0]}})  # 뉴런이 0개인 층: 거절되고 아무것도 바뀌지 않습니다
print("거절된 설정:", w.state["error"], "/ 단계:", w.state["step"])

# %% [markdown]
# **처음부터(reset)** 는 같은 시드로 같은 초기 가중치를 만들고, 배치도 (시드, 단계)로 뽑으므로 같은 순서로 나옵니다. 그래서 손실이
# 비트 하나까지 같게 되풀이됩니다(되감기, rewind).
#
# **실행하기 전에 예측해 보세요.** 처음부터 다시 101단계를 학습하면, 손실 목록이 `==`로 같을까요, 아니면 $10^{-15}$ 정도 다를까요?

# %%
first = session.recording.losses()
session.reset()
session.step(101)
print("되감기 뒤 같은 손실(비트 단위):", session.recording.losses() == first, f"/ {len(first)}개 단계")

# %% [markdown]
# ## 2. 학습률이 너무 크면
#
# 위젯에서 학습률(learning rate)을 0.3 → 3 → 10 → 30으로 올려 보세요. 여기서는 배치를 전체(200)로 두어 잡음 없이 봅니다.
#
# **실행하기 전에 예측해 보세요.** 0.3보다 10배 큰 3에서는 더 빨리 배울까요? 30에서는 200단계 뒤 손실이 처음(0.693)보다 작을까요?

# %%
curves = {}
for lr in (0.3, 3.0, 10.0, 30.0):
    run = Session(Setup(lr=lr, batch_size=200))
    run.step(200)
    curves[lr] = run.recording.losses()
    shown = ", ".join(f"{curves[lr][k]:.3f}" for k in (0, 10, 50, 100, 200))
    train_acc, test_acc = run.accuracy()
    print(f"lr {lr:>4}: 손실(0, 10, 50, 100, 200단계) {shown} / 최대 {max(curves[lr]):.2f} / 시험 정확도 {test_acc:.2f}")
fig, ax = plt.subplots(figsize=(6, 3))
for lr, losses in curves.items():
    ax.plot(losses, label=f"학습률 {lr}")
ax.set_yscale("log")
ax.set_xlabel("단계(step)")
ax.set_ylabel("학습 손실")
ax.legend()
plt.show()

# %% [markdown]
# 3까지는 클수록 빨리 배우지만, 10에서는 손실이 처음보다 커졌다가(최대 3 넘게) 내려오고, 30에서는 계속 튀어 아무것도 배우지 못합니다.
# 한 걸음 $\Delta w = -\eta\,\partial L/\partial w$가 골짜기를 건너뛰어 반대편 벽에 부딪히는 것입니다(4번 노트북의 발산).
# 위젯에서는 간선에 마우스를 올려 $\Delta w$가 $w$ 자체보다 커지는 것을 볼 수 있습니다.
#
# ## 3. 나선에 뉴런이 너무 적으면
#
# 두 팔이 한 바퀴 반씩 감긴 나선(spiral)입니다. 은닉층의 뉴런 하나는 입력 평면에 **직선 하나**(tanh의 경계)를 긋습니다. 위젯에서
# 은닉층에 뉴런을 더하고(+) 층을 더하며(+층) 뉴런마다의 작은 지도를 보세요.
#
# **실행하기 전에 예측해 보세요.** 뉴런 2개짜리 은닉층 하나로 800단계 학습하면 학습 정확도는 얼마쯤일까요? 8-8에서는?

# %%
spirals = {}
for layers in ((2,), (8,), (8, 8)):
    run = Session(Setup(dataset="spiral", noise=0.0, layers=layers, optimizer="adam", lr=0.03, batch_size=20))
    run.step(800)
    spirals[layers] = run
    train_acc, test_acc = run.accuracy()
    print(f"은닉층 {layers}: 학습 손실 {run.frame.train_loss:.3f}, 학습 정확도 {train_acc:.2f}, 시험 정확도 {test_acc:.2f}")
fig, axes = plt.subplots(1, 3, figsize=(9, 3))
for ax, (layers, run) in zip(axes, spirals.items()):
    show(ax, run, f"은닉층 {layers}")
plt.show()

# %% [markdown]
# 뉴런 2개는 직선 두 개로 평면을 나눌 뿐이라 나선을 따라가지 못하고(절반을 조금 넘게 맞힘), 8-8은 두 번째 층이 첫 층의 직선들을 엮어 굽은 경계를 만듭니다.
# 위젯의 뉴런 지도에서 첫 층은 모두 직선 경계이고, 둘째 층부터 굽은 무늬가 나타나는 것을 확인해 보세요.
#
# ## 4. L2 규제로 과적합 줄이기
#
# 잡음이 큰 반달 40개(학습 20개)에 8-8 신경망은 학습 점을 외울 수 있습니다. L2 규제는 손실에 $\lambda \sum w^2$를 더해 가중치를 작게 붙잡습니다.
#
# **실행하기 전에 예측해 보세요.** λ = 0에서 학습 손실과 시험 손실 중 어느 쪽이 0에 가까워질까요? λ를 키우면 시험 손실은 계속 줄어들까요?

# %%
regularized = {}
for l2 in (0.0, 0.003, 0.01, 0.03):
    run = Session(Setup(dataset="moons", n=40, noise=0.35, layers=(8, 8), optimizer="adam", lr=0.03, batch_size=20, l2=l2))
    run.step(600)
    regularized[l2] = run
    train_acc, test_acc = run.accuracy()
    print(f"λ = {l2:<5}: 학습 손실 {run.frame.train_loss:.3f}, 시험 손실 {run.frame.test_loss:.3f}, "
          f"학습 정확도 {train_acc:.2f}, 시험 정확도 {test_acc:.2f}")  # fmt: skip
fig, axes = plt.subplots(1, 2, figsize=(6, 3))
for ax, l2 in zip(axes, (0.0, 0.01)):
    show(ax, regularized[l2], f"λ = {l2}")
plt.show()

# %% [markdown]
# λ = 0에서는 학습 손실이 0에 가깝고 시험 손실은 0.6이 넘습니다: 외운 것입니다. λ = 0.003만으로 시험 손실이 반으로 줄고, 0.01에서는
# 학습 정확도를 조금 내주는 대신 시험 정확도가 올라갑니다. 더 키우면(0.03) 경계가 너무 단순해져 시험 손실이 다시 커집니다(과소적합, underfitting).
#
# ## 5. 경계가 틀린 곳에 점 찍기
#
# 이번에는 데이터를 직접 찍습니다(`dataset="custom"`; 가지고 있는 배열은 `Setup.from_arrays(X, y)`로 그대로 넣을 수 있습니다). 정답 규칙은 "원점에서 0.7 안쪽이면 +1"이지만, 처음에는 점이 4개뿐입니다.
# 학습한 뒤 경계가 틀린 곳(규칙과 다른 곳)에 정답 라벨로 점을 3개씩 더하고 다시 학습하기를 되풀이합니다.
# 위젯에서는 틀린 곳을 클릭(+1)이나 Shift+클릭(−1)하면 됩니다. 학습은 지금의 가중치에서 이어집니다.
#
# **실행하기 전에 예측해 보세요.** 점 4개로 학습한 경계는 격자의 몇 %에서 규칙과 맞을까요? 점을 12개 더하면?

# %%
grid = grid_points(32)
truth = (grid**2).sum(axis=1) < 0.7**2
start = ((0.0, 0.0, 1), (0.3, 0.2, 1), (1.0, 0.0, -1), (0.9, 0.6, -1))
drawn = Session(Setup(dataset="custom", points=start, layers=(4,), optimizer="adam", lr=0.05, batch_size=200))
drawn.step(300)
print(f"점 {len(drawn.points)}개: 격자의 {np.mean((drawn.scores(grid) > 0) == truth):.0%}가 규칙과 맞음")
angles = np.linspace(0, 2 * np.pi, 12, endpoint=False)
ring = 1.1 * np.column_stack([np.cos(angles), np.sin(angles)])
candidates = np.vstack([ring, 0.3 * ring])  # 점을 찍어 볼 자리: 바깥 고리(-1)와 안쪽 고리(+1)
labels = np.where((candidates**2).sum(axis=1) < 0.7**2, 1, -1)
for round_ in range(1, 5):
    wrong = np.flatnonzero((drawn.scores(candidates) > 0) != (labels > 0))
    for i in wrong[:3]:
        drawn.add_point(float(candidates[i, 0]), float(candidates[i, 1]), int(labels[i]))
    drawn.step(400)
    agree = np.mean((drawn.scores(grid) > 0) == truth)
    print(f"{round_}번째: 틀린 자리 {len(wrong)}곳 중 {min(3, len(wrong))}곳에 점 → 점 {len(drawn.points)}개, 격자의 {agree:.0%}가 규칙과 맞음")
fig, ax = plt.subplots(figsize=(3, 3))
show(ax, drawn, "점을 더한 뒤")
ax.add_patch(plt.Circle((0, 0), 0.7, fill=False, linestyle="--", color="black"))
plt.show()

# %% [markdown]
# 점이 없는 곳에서 모델은 아무 근거 없이 경계를 긋습니다. 틀린 곳에 점을 더할 때마다 그 근처의 경계가 고쳐지고(한 번은 다른 곳이
# 잠시 나빠지기도 합니다), 점 16개 뒤에는 격자의 90% 넘게 원과 맞습니다. 데이터가 어디에 있는지가 곧 모델이 배울 수 있는 것입니다.
#
# ## 6. 교사용: 수업 설정, 설정 글, 오프라인 페이지
#
# 수업 설정(preset)은 한 수업의 설정을 고정하고 필요 없는 조절 장치를 숨깁니다: `Playground(preset="spiral_few_neurons")`.
# 설정 전체는 한 줄짜리 **설정 글(setup text)** 로 바꿀 수 있어서(위젯의 "복사" 칸), 학생들이 그 글을 붙여 넣으면(`불러오기`) 모두 같은 상태에서 시작합니다.
# 글은 버전(`mgk1`)과 압축한 JSON이라, 다른 버전이나 깨진 글은 분명한 오류로 거절됩니다.
#
# **실행하기 전에 예측해 보세요.** 설정 글에서 다시 만든 실행은 원래 실행과 5단계 뒤 손실이 같을까요?

# %%
for name, preset in PRESETS.items():
    print(f"{name}: {preset.dataset}, 은닉층 {preset.layers}, 학습률 {preset.lr}, 숨긴 조절 장치 {', '.join(preset.hidden)}")
text = PRESETS["spiral_few_neurons"].to_text()
print(f"\n설정 글 ({len(text)}자): {text[:48]}...")
a, b = Session(PRESETS["spiral_few_neurons"]), Session()
b.load(text)
print("설정 글에서 다시 만든 실행과 같은 손실:", a.step(5).train_loss == b.step(5).train_loss)
try:
    b.load("mgk2." + text[5:])
except ValueError as error:
    print("다른 버전:", error)

# %% [markdown]
# 기록된 실행 전체(단계마다의 가중치, 기울기, 손실)는 HTML 파일 한 장으로 저장됩니다. 서버도 네트워크도 없이 `file://`로 열리고,
# 슬라이더와 재생 버튼으로 단계를 오가며 같은 신경망 그림과 같은 숫자 풍선(hover)을 봅니다. 결정 면과 뉴런 지도는 페이지가 가중치로 다시 계산하므로
# 파일이 작습니다. 주소의 `#` 뒤(URL fragment)에 설정 글과 단계가 들어가서, 그 주소를 나누면 같은 화면이 열립니다.
#
# **실행하기 전에 예측해 보세요.** 2-4-4-1 신경망 300단계(단계마다 매개변수 37개와 기울기 37개)의 페이지는 몇 KB쯤일까요?

# %%
run = Session()
run.step(300)
page = save_page(run, "playground_run.html")
size = page.stat().st_size
print(f"{page.name}: 약 {size / 1e6:.1f} MB (2 MB 미만: {size < 2e6}), 단계 {len(run.recording) - 1}개")
print(f"마지막 시험 정확도 {run.accuracy()[1]:.2f}")

# %% [markdown]
# ## 7. 그래프까지 내려가기
#
# 위젯에서 점 하나를 클릭해 선택하고 뉴런을 클릭하면, 그 점 하나의 계산 그래프가 그 뉴런까지 그려집니다(2번 노트북의 그림과 같은 렌더러).
# Python에서는 `session.sample_graph(점 번호, 층, 뉴런)`이 (그 뉴런의 출력, 그 점의 손실)을 backward까지 마친 채 돌려줍니다.
# 그래프는 매개변수의 복사본을 읽으므로, 그 backward가 학습 중인 실행을 건드리지 않습니다.
#
# **실행하기 전에 예측해 보세요.** 첫 은닉층의 뉴런 h1.1의 그래프에는 매개변수가 몇 개 있을까요?

# %%
from micrograd_ko import draw

node, loss = run.sample_graph(0, 1, 0)
parameters = [v for v in node.topological_order() if v.role == "parameter"]
print(f"{node.label}: data {node.data:.4f}, grad(∂손실/∂{node.label}) {node.grad:.4f}, 매개변수 {len(parameters)}개")
print(f"이 점의 손실 {loss.data:.4f}")
draw(node)
