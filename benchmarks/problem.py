"""The workloads every engine runs, defined once so that all engines see the same numbers.

W1, the moons step (the classic micrograd demo, as `python -m micrograd_ko
demo` trains it): 100 two-moons points, MLP(2, [16, 16, 1]) with ReLU,
loss = mean hinge + 1e-4 * sum of squared parameters, full-batch SGD with
momentum 0.9 and the learning rate decaying linearly from 0.2 to 0.02 over
100 steps.  The data and the initial weights come from micrograd_ko
(`data.moons`, `MLP(..., seed=1)`) and are copied into every other engine.

W2, a deep chain: y <- tanh(0.0001 + 1.0001 * y), N times, then d y_N / d y_0.

W3, a wide sum: s = a_1 b_1 + ... + a_n b_n over n pairs of leaves, added
with Python's `sum()` (a chain of n '+' nodes) or with the engine's n-ary sum.

W4, one training step of a small CNN on a batch of 32 handwritten digits
(`data.digits()`, 8x8): Conv2d(1, 4, 3) -> ReLU -> MaxPool2d(2) -> Flatten ->
Linear(36, 10), mean softmax cross-entropy, plain SGD.  micrograd_ko builds
the model (`cnn_model`, seeded) and PyTorch gets the same weights through
`to_torch(model)`.

W5, one training step of notebook 12's LSTM: a batch of 8 windows of a sine
wave, 20 time steps each, LSTM(1, 16) then Linear(16, 1) on the last hidden
state predicting the next value, mean squared error, plain SGD.  PyTorch gets
the same weights through `to_torch(lstm)` and `to_torch(head)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from micrograd_ko.nn import LSTM, MLP, Linear, Sequential

MOONS_POINTS = 100
MOONS_NOISE = 0.1
LAYER_SIZES = (2, 16, 16, 1)
SEED = 1
L2_COEFFICIENT = 1e-4
LEARNING_RATE = 0.2
MOMENTUM = 0.9
TRAIN_STEPS = 100

CHAIN_START = 0.5
CHAIN_SHIFT = 0.0001
CHAIN_SCALE = 1.0001


@dataclass(frozen=True)
class MoonsProblem:
    """Inputs, ±1 labels and initial weights of W1, as plain Python floats.

    `weights[i]` is the weight matrix of layer i as rows (one row per neuron,
    one column per input) and `biases[i]` its bias vector: the layout of
    `torch.nn.Linear` and of micrograd_ko's parameter order (per neuron, its
    weights, then its bias).
    """

    rows: list[list[float]]
    labels: list[float]
    weights: list[list[list[float]]]
    biases: list[list[float]]

    def flat_parameters(self) -> list[float]:
        """Every initial parameter in micrograd_ko's order: per layer, per neuron, weights then bias."""
        return [
            value
            for matrix, bias in zip(self.weights, self.biases)
            for row, b in zip(matrix, bias)
            for value in (*row, b)
        ]


def initial_model(problem: MoonsProblem) -> MLP:
    """micrograd_ko's MLP for W1, holding the problem's initial weights."""
    from micrograd_ko.nn import MLP

    model = MLP(LAYER_SIZES[0], list(LAYER_SIZES[1:]), activation="relu", seed=SEED)
    for parameter, value in zip(model.parameters(), problem.flat_parameters(), strict=True):
        parameter.data = value
    return model


def moons_problem(points: int = MOONS_POINTS) -> MoonsProblem:
    """The W1 data and initial weights (micrograd_ko's seeded MLP), identical in every process."""
    from micrograd_ko import data
    from micrograd_ko.nn import MLP

    X, y = data.moons(n=points, noise=MOONS_NOISE, seed=SEED, labels="pm1")
    model = MLP(LAYER_SIZES[0], list(LAYER_SIZES[1:]), activation="relu", seed=SEED)
    weights = [[[w.data for w in neuron.w] for neuron in layer.neurons] for layer in model.layers]
    biases = [[neuron.b.data if neuron.b is not None else 0.0 for neuron in layer.neurons] for layer in model.layers]
    return MoonsProblem(X.tolist(), [float(label) for label in y.tolist()], weights, biases)


def learning_rate(step: int, steps: int = TRAIN_STEPS) -> float:
    """The demo's schedule for step k = 0, 1, ...: 0.2 (1 - 0.9 k / steps)."""
    return LEARNING_RATE * (1.0 - 0.9 * step / steps)


def wide_operands(n: int) -> tuple[list[float], list[float]]:
    """The n pairs (a_i, b_i) of W3, uniform in [-1, 1] from a fixed seed."""
    rng = np.random.default_rng(SEED)
    a, b = rng.uniform(-1.0, 1.0, size=(2, n))
    return a.tolist(), b.tolist()


def accuracy(scores: list[float], labels: list[float]) -> float:
    """Fraction of points whose score has the sign of their ±1 label."""
    return sum((s > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)


DIGITS_BATCH = 32
CNN_CHANNELS = 4
CNN_LEARNING_RATE = 0.1


@dataclass(frozen=True)
class DigitsProblem:
    """W4's batch: images as nested lists [sample][channel][row][col] of floats, and their digits."""

    images: list[list[list[list[float]]]]
    labels: list[int]


def digits_problem(batch: int = DIGITS_BATCH) -> DigitsProblem:
    """The first `batch` digits of scikit-learn's set (pixels scaled to [0, 1]); needs scikit-learn."""
    from micrograd_ko import data

    X, y = data.digits()
    return DigitsProblem(data.as_images(X[:batch]), [int(label) for label in y[:batch]])


def cnn_model() -> Sequential:
    """W4's CNN, seeded: Conv2d(1, 4, 3, He init), ReLU, MaxPool2d(2), Flatten, Linear(36, 10)."""
    from micrograd_ko import nn

    return nn.Sequential(
        nn.Conv2d(1, CNN_CHANNELS, 3, init="he", seed=SEED),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(CNN_CHANNELS * 3 * 3, 10, seed=SEED + 1),
    )


def class_accuracy(logits: list[list[float]], labels: list[int]) -> float:
    """Fraction of samples whose largest logit is their label."""
    return sum(max(range(len(row)), key=row.__getitem__) == label for row, label in zip(logits, labels)) / len(labels)


SEQUENCE_BATCH = 8
SEQUENCE_LENGTH = 20
LSTM_HIDDEN = 16
LSTM_LEARNING_RATE = 0.1
SINE_STEP = 0.3


@dataclass(frozen=True)
class SequenceProblem:
    """W5's batch: `inputs[sample][t] = [sin(phase + 0.3·t)]` for t < 20, and each window's next value."""

    inputs: list[list[list[float]]]
    targets: list[float]


def sequence_problem(batch: int = SEQUENCE_BATCH, length: int = SEQUENCE_LENGTH) -> SequenceProblem:
    """`batch` sine windows with seeded random phases (the task of notebook 12)."""
    phases = np.random.default_rng(SEED).uniform(0.0, 2.0 * np.pi, batch)
    times = SINE_STEP * np.arange(length + 1)
    waves = np.sin(phases[:, None] + times[None, :])
    return SequenceProblem(waves[:, :length, None].tolist(), waves[:, length].tolist())


def lstm_model() -> tuple[LSTM, Linear]:
    """W5's model, seeded: LSTM(1, 16) and a Linear(16, 1) head on the last hidden state."""
    from micrograd_ko import nn

    return nn.LSTM(1, LSTM_HIDDEN, seed=SEED), nn.Linear(LSTM_HIDDEN, 1, seed=SEED + 1)
