"""End-to-end learning: the seeds' worked numpy example, XOR, and the moons demo."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import cast

import numpy as np
import pytest

from micrograd_ko import Value, data, losses
from micrograd_ko.cli.demo import main as demo_main
from micrograd_ko.cli.demo import train_moons
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-a))


def _numpy_backprop(weights: list[np.ndarray], x: np.ndarray, y: np.ndarray, lr: float, steps: int) -> list[float]:
    """The seeds' hand-written backprop for a bias-free sigmoid network with loss ½·Σ(y − t)²."""
    W1, W2, W3 = (w.copy() for w in weights)
    history = []
    for _ in range(steps):
        Z1 = _sigmoid(W1 @ x)
        Z2 = _sigmoid(W2 @ Z1)
        Z3 = _sigmoid(W3 @ Z2)
        history.append(0.5 * float(np.sum((Z3 - y) ** 2)))
        delta3 = (Z3 - y) * Z3 * (1 - Z3)
        delta2 = (W3.T @ delta3) * Z2 * (1 - Z2)
        delta1 = (W2.T @ delta2) * Z1 * (1 - Z1)
        W3 -= lr * np.outer(delta3, Z2)
        W2 -= lr * np.outer(delta2, Z1)
        W1 -= lr * np.outer(delta1, x)
    return history


def test_seed_numpy_example_is_reproduced_to_1e_9() -> None:
    """3-2-3-2 sigmoid network without bias, ½-SSE, lr 0.1, as in the lecture notes."""
    rng = np.random.default_rng(2024)
    weights = [rng.random((2, 3)), rng.random((3, 2)), rng.random((2, 3))]
    x, target = np.array([0.5, 0.3, 0.2]), np.array([0.8, 0.6])
    model = MLP(3, [2, 3, 2], activation="sigmoid", output_activation="sigmoid", bias=False)
    for parameter, value in zip(model.parameters(), np.concatenate([w.ravel() for w in weights]), strict=True):
        parameter.data = float(value)
    optimizer = SGD(model.parameters(), lr=0.1)
    engine_history = []
    for _ in range(1000):
        out = cast(list[Value], model(x.tolist()))
        loss = losses.sse(out, target.tolist())
        engine_history.append(loss.data)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    numpy_history = _numpy_backprop(weights, x, target, 0.1, 1000)
    assert engine_history == pytest.approx(numpy_history, abs=1e-9, rel=0)
    assert engine_history[-1] < engine_history[0] / 10


def test_mlp_learns_xor() -> None:
    X, y = data.xor()
    model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid", seed=0)
    optimizer = SGD(model.parameters(), lr=0.5, momentum=0.9)
    rows, targets = X.tolist(), y.tolist()
    for _ in range(300):
        predictions = [cast(Value, model(row)) for row in rows]
        loss = losses.binary_cross_entropy(predictions, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    predictions = [cast(Value, model(row)).data for row in rows]
    assert [p > 0.5 for p in predictions] == [t == 1 for t in targets]


def test_moons_demo_reaches_full_train_accuracy() -> None:
    result = train_moons(steps=100, seed=1, report_every=100)
    assert result.accuracy == 1.0
    assert result.loss < 0.05


def test_demo_command_prints_progress_and_draws_the_trained_model(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("graphviz")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' is not installed")
    assert demo_main(["--steps", "20", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("손실(loss)") == 2
    assert "최종 훈련 정확도(final train accuracy)" in printed
    svg = ET.parse(tmp_path / "model_graph.svg").getroot()
    texts = [t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    (neuron,) = {text.removesuffix(".w1") for text in texts if text.endswith(".w1")}  # one neuron, not the network
    assert {"x1", "x2", f"{neuron}.w2", f"{neuron}.b", neuron, "dot", "relu"} <= set(texts)
    assert sum(text.startswith("data ") for text in texts) == 7  # x1, x2, w1, w2, b, w·x + b, relu
    width, height = (float(svg.get(side, "").removesuffix("pt")) for side in ("width", "height"))
    assert width < 1500 and height < 600  # readable; the whole network was 1970 x 11798 pt


def test_demo_without_graphviz_still_trains(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    assert demo_main(["--steps", "10", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    assert "graph not drawn" in printed and "apt-get install graphviz" in printed


def test_demo_rejects_bad_steps(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo_main(["--steps", "0"]) == 2
    assert capsys.readouterr().err == (
        "error: demo: --steps must be a whole number >= 1, got '0' (see python -m micrograd_ko demo --help)\n"
    )
