"""PyTorch with one 0-dim float64 tensor per scalar: micrograd's graph, built from torch ops.

Every neuron is b + w1*x1 + w2*x2 + ... as in micrograd, so the graph has the
same shape and the same number of operations; only the engine differs.
"""

from __future__ import annotations

from typing import Any

import torch

from benchmarks.engines import Unsupported
from benchmarks.engines.torch_common import DTYPE, TorchTrainer
from benchmarks.problem import (
    CHAIN_SCALE,
    CHAIN_SHIFT,
    CHAIN_START,
    L2_COEFFICIENT,
    LEARNING_RATE,
    MOMENTUM,
    MoonsProblem,
    wide_operands,
)


def _scalar(value: float, requires_grad: bool = False) -> torch.Tensor:
    return torch.tensor(value, dtype=DTYPE, requires_grad=requires_grad)


class MoonsTrainer(TorchTrainer):
    """W1 with scalar tensors; the last layer is linear, the others ReLU."""

    def __init__(self, problem: MoonsProblem) -> None:
        self.rows, self.labels = problem.rows, problem.labels
        self.layers = [
            ([[_scalar(w, True) for w in row] for row in matrix], [_scalar(b, True) for b in bias])
            for matrix, bias in zip(problem.weights, problem.biases)
        ]
        self.parameters = [p for matrix, bias in self.layers for row, b in zip(matrix, bias) for p in (*row, b)]
        self.optimizer = torch.optim.SGD(self.parameters, lr=LEARNING_RATE, momentum=MOMENTUM)

    def _score(self, row: list[float]) -> torch.Tensor:
        x = [_scalar(v) for v in row]
        last = len(self.layers) - 1
        for i, (matrix, bias) in enumerate(self.layers):
            outputs = [sum((w * xi for w, xi in zip(weights, x)), b) for weights, b in zip(matrix, bias)]
            x = outputs if i == last else [torch.relu(o) for o in outputs]
        return x[0]

    def forward(self) -> tuple[torch.Tensor, list[torch.Tensor]]:
        scores = [self._score(row) for row in self.rows]
        margins = [torch.relu(1 + -y * s) for y, s in zip(self.labels, scores)]
        data_loss = sum(margins) * (1.0 / len(margins))
        reg_loss = L2_COEFFICIENT * sum(p * p for p in self.parameters)
        return data_loss + reg_loss, scores

    def as_floats(self, loss: torch.Tensor, scores: list[torch.Tensor]) -> tuple[float, list[float]]:
        return loss.item(), [s.item() for s in scores]


def make_trainer(problem: MoonsProblem) -> MoonsTrainer:
    return MoonsTrainer(problem)


def chain(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    leaf = _scalar(CHAIN_START, True)
    y = leaf
    for _ in range(n):
        y = torch.tanh(CHAIN_SHIFT + CHAIN_SCALE * y)
    return y, leaf


def wide_leaves(n: int) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
    a, b = wide_operands(n)
    return [_scalar(v, True) for v in a], [_scalar(v, True) for v in b]


def wide(leaves: tuple[list[torch.Tensor], list[torch.Tensor]], nary: bool) -> tuple[torch.Tensor, torch.Tensor]:
    a, b = leaves
    products = [x * y for x, y in zip(a, b)]
    total = torch.stack(products).sum() if nary else sum(products)
    return total, a[0]


def backward(root: torch.Tensor) -> None:
    root.backward()


def grad(leaf: torch.Tensor) -> float:
    if leaf.grad is None:
        raise Unsupported("no gradient reached the leaf")
    return float(leaf.grad.item())


def count_nodes(root: Any) -> int:
    """Autograd function nodes reachable from the loss (leaves appear as AccumulateGrad nodes)."""
    seen = {root.grad_fn}
    stack = [root.grad_fn]
    while stack:
        for parent, _ in stack.pop().next_functions:
            if parent is not None and parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)
