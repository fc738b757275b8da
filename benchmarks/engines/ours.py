"""micrograd_ko, trained the way the project trains it: MLP, losses.hinge + L2, optim.SGD."""

from __future__ import annotations

from typing import cast

from benchmarks.engines import GraphTrainer
from benchmarks.problem import (
    CHAIN_SCALE,
    CHAIN_SHIFT,
    CHAIN_START,
    CNN_LEARNING_RATE,
    L2_COEFFICIENT,
    LEARNING_RATE,
    LSTM_LEARNING_RATE,
    MOMENTUM,
    DigitsProblem,
    MoonsProblem,
    SequenceProblem,
    class_accuracy,
    cnn_model,
    initial_model,
    learning_rate,
    lstm_model,
    wide_operands,
)
from micrograd_ko import losses
from micrograd_ko.autograd import Value
from micrograd_ko.optim import SGD


class MoonsTrainer(GraphTrainer):
    """W1 with micrograd_ko's public API."""

    def __init__(self, problem: MoonsProblem) -> None:
        self.rows, self.labels = problem.rows, problem.labels
        self.model = initial_model(problem)
        self.optimizer = SGD(self.model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)

    def forward(self) -> tuple[Value, list[Value]]:
        scores = [cast(Value, self.model(row)) for row in self.rows]
        loss = losses.hinge(scores, self.labels) + L2_COEFFICIENT * losses.l2(self.model.parameters())
        return loss, scores

    def update(self, loss: Value, k: int) -> None:
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.lr = learning_rate(k)
        self.optimizer.step()


def make_trainer(problem: MoonsProblem) -> MoonsTrainer:
    return MoonsTrainer(problem)


class CnnTrainer:
    """W4: the CNN's training step on one batch of digits, written as a learner writes it."""

    def __init__(self, problem: DigitsProblem) -> None:
        self.images, self.labels = problem.images, problem.labels
        self.model = cnn_model()
        self.optimizer = SGD(self.model.parameters(), lr=CNN_LEARNING_RATE)

    def step(self, k: int) -> tuple[float, float]:
        """Forward, mean softmax cross-entropy, zero_grad, backward, update; (loss, accuracy) before the update."""
        logits = self.model(self.images)
        loss = Value.sum(losses.softmax_cross_entropy(row, c) for row, c in zip(logits, self.labels)) / len(self.labels)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.data, class_accuracy([[v.data for v in row] for row in logits], self.labels)


def make_cnn_trainer(problem: DigitsProblem) -> CnnTrainer:
    return CnnTrainer(problem)


class LstmTrainer:
    """W5: the LSTM's training step on a batch of sine windows, one sequence after another."""

    def __init__(self, problem: SequenceProblem) -> None:
        self.inputs, self.targets = problem.inputs, problem.targets
        self.lstm, self.head = lstm_model()
        self.optimizer = SGD(self.lstm.parameters() + self.head.parameters(), lr=LSTM_LEARNING_RATE)

    def step(self, k: int) -> tuple[float, float]:
        """Forward over every sequence, mean squared error of the next value, zero_grad, backward, update."""
        last = [self.lstm(xs)[0][-1] for xs in self.inputs]
        predictions = [row[0] for row in self.head(last)]
        loss = losses.mse(predictions, self.targets)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.data, 0.0


def make_lstm_trainer(problem: SequenceProblem) -> LstmTrainer:
    return LstmTrainer(problem)


def chain(n: int) -> tuple[Value, Value]:
    leaf = Value(CHAIN_START)
    y = leaf
    for _ in range(n):
        y = (CHAIN_SHIFT + CHAIN_SCALE * y).tanh()
    return y, leaf


def wide_leaves(n: int) -> tuple[list[Value], list[Value]]:
    a, b = wide_operands(n)
    return [Value(v) for v in a], [Value(v) for v in b]


def wide(leaves: tuple[list[Value], list[Value]], nary: bool) -> tuple[Value, Value]:
    a, b = leaves
    products = [x * y for x, y in zip(a, b)]
    total = Value.sum(products) if nary else sum(products)
    return total, a[0]


def backward(root: Value) -> None:
    root.backward()


def grad(leaf: Value) -> float:
    return leaf.grad


def count_nodes(root: Value) -> int:
    return len(root.topological_order())
