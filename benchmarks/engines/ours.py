"""micrograd_ko, trained the way the project trains it: MLP, losses.hinge + L2, optim.SGD."""

from __future__ import annotations

from typing import cast

from benchmarks.engines import GraphTrainer
from benchmarks.problem import (
    CHAIN_SCALE,
    CHAIN_SHIFT,
    CHAIN_START,
    L2_COEFFICIENT,
    LEARNING_RATE,
    MOMENTUM,
    MoonsProblem,
    initial_model,
    learning_rate,
    wide_operands,
)
from micrograd_ko import losses
from micrograd_ko.engine import Value
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
