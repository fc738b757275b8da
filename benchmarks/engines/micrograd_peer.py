"""karpathy/micrograd 0.1.0 from PyPI, driven like its own demo notebook.

The loss and the update are written as in micrograd's demo.ipynb, with
momentum added to the update so that it trains like micrograd_ko's demo.

micrograd has no tanh; W2 adds one written in micrograd's own style (a
closure stored on the output node), as in the lecture that introduced it.
It has no n-ary sum either, so W3's n-ary variant is unsupported.
"""

from __future__ import annotations

import math
from typing import Any

from micrograd.engine import Value
from micrograd.nn import MLP

from benchmarks.engines import GraphTrainer, Unsupported
from benchmarks.problem import (
    CHAIN_SCALE,
    CHAIN_SHIFT,
    CHAIN_START,
    L2_COEFFICIENT,
    LAYER_SIZES,
    MOMENTUM,
    MoonsProblem,
    learning_rate,
    wide_operands,
)


def _tanh(self: Value) -> Value:
    t = math.tanh(self.data)
    out = Value(t, (self,), "tanh")

    def _backward() -> None:
        self.grad += (1 - t**2) * out.grad

    out._backward = _backward
    return out


class MoonsTrainer(GraphTrainer):
    """W1 as in micrograd's demo.ipynb, with micrograd_ko's data and initial weights."""

    def __init__(self, problem: MoonsProblem) -> None:
        self.rows, self.labels = problem.rows, problem.labels
        self.model = MLP(LAYER_SIZES[0], list(LAYER_SIZES[1:]))
        for parameter, value in zip(self.model.parameters(), problem.flat_parameters(), strict=True):
            parameter.data = value
        # momentum buffers, updated as torch.optim.SGD does: b <- 0.9 b + g; p <- p - lr b
        self.buffers = [0.0] * len(self.model.parameters())

    def forward(self) -> tuple[Value, list[Value]]:
        inputs = [list(map(Value, row)) for row in self.rows]
        scores = list(map(self.model, inputs))
        margins = [(1 + -y * s).relu() for y, s in zip(self.labels, scores)]
        data_loss = sum(margins) * (1.0 / len(margins))
        reg_loss = L2_COEFFICIENT * sum(p * p for p in self.model.parameters())
        return data_loss + reg_loss, scores

    def update(self, loss: Value, k: int) -> None:
        self.model.zero_grad()
        loss.backward()
        lr = learning_rate(k)
        for i, p in enumerate(self.model.parameters()):
            self.buffers[i] = MOMENTUM * self.buffers[i] + p.grad
            p.data -= lr * self.buffers[i]


def make_trainer(problem: MoonsProblem) -> MoonsTrainer:
    return MoonsTrainer(problem)


def chain(n: int) -> tuple[Value, Value]:
    leaf = Value(CHAIN_START)
    y = leaf
    for _ in range(n):
        y = _tanh(CHAIN_SHIFT + CHAIN_SCALE * y)
    return y, leaf


def wide_leaves(n: int) -> tuple[list[Value], list[Value]]:
    a, b = wide_operands(n)
    return [Value(v) for v in a], [Value(v) for v in b]


def wide(leaves: tuple[list[Value], list[Value]], nary: bool) -> tuple[Value, Value]:
    if nary:
        raise Unsupported("micrograd has no n-ary sum")
    a, b = leaves
    products = [x * y for x, y in zip(a, b)]
    return sum(products), a[0]


def backward(root: Value) -> None:
    root.backward()


def grad(leaf: Value) -> float:
    return float(leaf.grad)


def count_nodes(root: Any) -> int:
    # micrograd's own traversal is recursive; count iteratively so deep graphs can be counted
    seen = {id(root)}
    stack = [root]
    while stack:
        for parent in stack.pop()._prev:
            if id(parent) not in seen:
                seen.add(id(parent))
                stack.append(parent)
    return len(seen)
