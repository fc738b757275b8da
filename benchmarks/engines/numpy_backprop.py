"""numpy with backpropagation written by hand, as a reference: what the work costs without any graph."""

from __future__ import annotations

from typing import Any, NoReturn

import numpy as np

from benchmarks.engines import Unsupported
from benchmarks.problem import L2_COEFFICIENT, MOMENTUM, MoonsProblem, accuracy, learning_rate


class MoonsTrainer:
    """W1 as matrix products; ReLU hidden layers, linear output, mean hinge + L2."""

    def __init__(self, problem: MoonsProblem) -> None:
        self.X = np.array(problem.rows)
        self.y = np.array(problem.labels)
        self.labels = problem.labels
        self.weights = [np.array(w) for w in problem.weights]
        self.biases = [np.array(b) for b in problem.biases]
        self.weight_buffers = [np.zeros_like(W) for W in self.weights]
        self.bias_buffers = [np.zeros_like(b) for b in self.biases]

    def _forward(self) -> tuple[float, list[np.ndarray], np.ndarray]:
        activations = [self.X]
        last = len(self.weights) - 1
        for i, (W, b) in enumerate(zip(self.weights, self.biases)):
            z = activations[-1] @ W.T + b
            activations.append(z if i == last else np.maximum(z, 0.0))
        scores = activations[-1][:, 0]
        margins = 1.0 - self.y * scores
        penalty = sum(float((W * W).sum() + (b * b).sum()) for W, b in zip(self.weights, self.biases))
        loss = float(np.maximum(margins, 0.0).mean()) + L2_COEFFICIENT * penalty
        return loss, activations, margins

    def loss_graph(self) -> float:
        return self._forward()[0]

    def evaluate(self) -> tuple[float, float]:
        loss, activations, _ = self._forward()
        return loss, accuracy(activations[-1][:, 0].tolist(), self.labels)

    def step(self, k: int) -> tuple[float, float]:
        loss, activations, margins = self._forward()
        n = len(self.y)
        # d loss / d scores: -y/n where the margin is active (relu'(m) = 1 for m > 0)
        delta = np.where(margins > 0.0, -self.y / n, 0.0)[:, None]
        lr = learning_rate(k)
        for i in reversed(range(len(self.weights))):
            W, b = self.weights[i], self.biases[i]
            grad_W = delta.T @ activations[i] + 2.0 * L2_COEFFICIENT * W
            grad_b = delta.sum(axis=0) + 2.0 * L2_COEFFICIENT * b
            if i > 0:
                delta = (delta @ W) * (activations[i] > 0.0)
            # momentum as torch.optim.SGD: buffer <- 0.9 buffer + grad; parameter <- parameter - lr buffer
            self.weight_buffers[i] = MOMENTUM * self.weight_buffers[i] + grad_W
            self.bias_buffers[i] = MOMENTUM * self.bias_buffers[i] + grad_b
            self.weights[i] = W - lr * self.weight_buffers[i]
            self.biases[i] = b - lr * self.bias_buffers[i]
        return loss, accuracy(activations[-1][:, 0].tolist(), self.labels)


def make_trainer(problem: MoonsProblem) -> MoonsTrainer:
    return MoonsTrainer(problem)


def _scalar_workload(*_: Any) -> NoReturn:
    raise Unsupported("a tensor reference: W1 only")


chain = wide_leaves = wide = backward = grad = count_nodes = _scalar_workload
