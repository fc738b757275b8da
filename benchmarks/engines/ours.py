"""micrograd_ko, trained the way the project trains it: MLP, losses.hinge + L2, optim.SGD."""

from __future__ import annotations

from typing import cast

from benchmarks.problem import (
    CHAIN_SCALE,
    CHAIN_SHIFT,
    CHAIN_START,
    L2_COEFFICIENT,
    LAYER_SIZES,
    LEARNING_RATE,
    MOMENTUM,
    SEED,
    MoonsProblem,
    accuracy,
    learning_rate,
    wide_operands,
)
from micrograd_ko import losses
from micrograd_ko.engine import Value
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD


class MoonsTrainer:
    """W1 with micrograd_ko's public API."""

    def __init__(self, problem: MoonsProblem) -> None:
        self.rows, self.labels = problem.rows, problem.labels
        self.model = MLP(LAYER_SIZES[0], list(LAYER_SIZES[1:]), activation="relu", seed=SEED)
        for parameter, value in zip(self.model.parameters(), problem.flat_parameters(), strict=True):
            parameter.data = value
        self.optimizer = SGD(self.model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)

    def _forward(self) -> tuple[Value, list[Value]]:
        scores = [cast(Value, self.model(row)) for row in self.rows]
        loss = losses.hinge(scores, self.labels) + L2_COEFFICIENT * losses.l2(self.model.parameters())
        return loss, scores

    def loss_graph(self) -> Value:
        return self._forward()[0]

    def evaluate(self) -> tuple[float, float]:
        loss, scores = self._forward()
        return loss.data, accuracy([s.data for s in scores], self.labels)

    def step(self, k: int) -> tuple[float, float]:
        loss, scores = self._forward()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.lr = learning_rate(k)
        self.optimizer.step()
        return loss.data, accuracy([s.data for s in scores], self.labels)


def make_trainer(problem: MoonsProblem) -> MoonsTrainer:
    return MoonsTrainer(problem)


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
