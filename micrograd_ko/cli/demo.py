"""`python -m micrograd_ko demo`: train an MLP on the two-moons data, the classic micrograd demo.

MLP(2, [16, 16, 1]) with ReLU, max-margin (hinge) loss plus a small L2
penalty, full-batch SGD with momentum 0.9 and a learning rate that decays
linearly from 0.2 to 0.02.  Afterwards one neuron of the trained network is
drawn for one input point to `out/model_graph.svg`: the first-layer neuron the
score depends on most, with every grad being d(score)/d(that value).  (The
whole network's graph, about 340 Values, is too large to read.)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import numpy as np

from micrograd_ko import data, losses
from micrograd_ko.autograd import Value, no_grad
from micrograd_ko.cli._arguments import EXIT_OK, EXIT_USAGE, OneLineParser, blocking_file, whole_number
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD
from micrograd_ko.viz import GraphvizNotFoundError, save

L2_COEFFICIENT = 1e-4
LEARNING_RATE = 0.2
MOMENTUM = 0.9


@dataclass(frozen=True)
class TrainingResult:
    """The trained model with the loss and training accuracy of the last step."""

    model: MLP
    loss: float
    accuracy: float


def moons_step(model: MLP, X: np.ndarray, y: np.ndarray) -> tuple[Value, float]:
    """Forward pass over all points: (hinge loss + L2 penalty, accuracy) with labels y in {-1, +1}."""
    scores = [cast(Value, model(row)) for row in X.tolist()]
    labels = y.tolist()
    loss = losses.hinge(scores, labels) + L2_COEFFICIENT * losses.l2(model.parameters())
    correct = sum((score.data > 0) == (label > 0) for score, label in zip(scores, labels))
    return loss, correct / len(labels)


def train_moons(steps: int = 100, seed: int = 1, report_every: int = 10) -> TrainingResult:
    """Train MLP(2, [16, 16, 1]) on `data.moons()`, printing progress; return the model and final metrics."""
    X, y = data.moons(n=100, noise=0.1, seed=seed, labels="pm1")
    model = MLP(2, [16, 16, 1], seed=seed)
    optimizer = SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
    for step in range(1, steps + 1):
        loss, accuracy = moons_step(model, X, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = LEARNING_RATE * (1.0 - 0.9 * (step - 1) / steps)
        optimizer.step()
        if step % report_every == 0 or step == steps:
            print(_progress_line(step, steps, loss.data, accuracy), flush=True)
    with no_grad():
        loss, accuracy = moons_step(model, X, y)
    return TrainingResult(model, loss.data, accuracy)


def _progress_line(step: int, steps: int, loss: float, accuracy: float) -> str:
    width = 20
    filled = width * step // steps
    bar = "#" * filled + "." * (width - filled)
    return f"[{bar}] {step:4d}/{steps}  손실(loss) {loss:.4f}  정확도(accuracy) {accuracy:6.1%}"


def draw_trained_model(model: MLP, point: Sequence[float], path: Path) -> Path:
    """Run backward from the model's score for one input point and save one neuron's path with its gradients.

    The neuron drawn is the first-layer neuron whose output the score depends on most (largest
    |d score / d output|): its inputs, weights, bias, weighted sum and activation, a graph a person can read.
    """
    hidden = model.layers[0](point)
    outputs = hidden
    for layer in model.layers[1:]:
        outputs = layer(outputs)
    model.zero_grad()
    outputs[0].backward()
    j = max(range(len(hidden)), key=lambda k: abs(hidden[k].grad))
    hidden[j].label = f"L1N{j + 1}"
    path.parent.mkdir(parents=True, exist_ok=True)
    title = f"학습된 모델의 첫 은닉층 뉴런 L1N{j + 1} (grad = ∂score/∂값, 입력 {point[0]:.3g}, {point[1]:.3g})"
    return save(hidden[j], path, title=title)


GRAPH_FILE = "model_graph.svg"
"""The picture's name inside --out."""


def _out_problem(out: Path) -> str | None:
    """What would stop the picture from being written into `out`, found before training; None when nothing would."""
    blocker = blocking_file(out)
    if blocker is not None:
        return f"demo: --out must be a new or existing folder, got {str(out)!r}: {blocker} is a file, not a directory"
    if (out / GRAPH_FILE).is_dir():
        return f"demo: --out must be a folder without a directory named {GRAPH_FILE}, got {str(out)!r}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `demo` sub-command; returns the exit code.

    A bad option is one `error:` line on stderr and exit code 2, reported before training starts.
    """
    parser = OneLineParser(prog="python -m micrograd_ko demo", description=__doc__)
    parser.add_argument("--steps", default="100", help="number of SGD steps (default 100)")
    parser.add_argument("--seed", default="1", help="seed for the data and the initial weights, >= 0 (default 1)")
    parser.add_argument("--out", default="out", help="directory for the graph picture (default out/)")
    try:
        args = parser.parse_args(argv)
        try:
            steps = whole_number(args.steps, "demo: --steps", 1)
            seed = whole_number(args.seed, "demo: --seed", 0)
        except ValueError as error:
            parser.error(str(error))
        out = Path(args.out)
        problem = _out_problem(out)
        if problem is not None:
            parser.error(problem)
    except SystemExit as exit_request:  # --help, or a usage error already printed
        return EXIT_OK if exit_request.code in (0, None) else EXIT_USAGE
    print(
        "두 개의 반달(two moons) 데이터 100개로 MLP(2, [16, 16, 1])를 학습합니다 "
        "(hinge loss + L2, 모멘텀(momentum) SGD)."
    )
    result = train_moons(steps=steps, seed=seed)
    print(f"최종 훈련 정확도(final train accuracy): {result.accuracy:.1%}")
    point = data.moons(n=100, noise=0.1, seed=seed).X[0].tolist()
    try:
        written = draw_trained_model(result.model, point, out / GRAPH_FILE)
    except GraphvizNotFoundError as error:
        print(f"그래프를 그리지 못했습니다(graph not drawn): {error}")
    except OSError as error:  # no permission, a full disk: what no check beforehand can promise
        print(f"error: cannot write {error.filename or out / GRAPH_FILE}: {error.strerror or error}", file=sys.stderr)
        return EXIT_USAGE
    else:
        print(f"학습된 모델에서 뉴런 하나의 계산 그래프(one neuron's graph in the trained model): {written}")
    return EXIT_OK
