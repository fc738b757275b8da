"""micrograd_ko in compiled mode (issue 13): the per-sample graph traced once, each step run as numpy.

The program is traced from the same MLP the eager adapter trains: one sample
is (x1, x2, label) and its graph gives the hinge margin relu(1 - y s) and the
score s; `1e-4 * l2(params)` is the program's penalty.  The update is
optim.SGD's formula (momentum, dampening 0, weight decay 0) on a numpy vector,
element by element the same float operations, so the losses equal eager
mode's; the new values are written back into the parameters' Values, which
the program reads at the next call.  `make_trainer(problem, optimizer="optim")`
uses `optim.SGD` itself instead, to show what the Python update costs.
"""

from __future__ import annotations

from typing import Any, NoReturn

import numpy as np

from benchmarks.engines import Unsupported
from benchmarks.problem import (
    L2_COEFFICIENT,
    LEARNING_RATE,
    MOMENTUM,
    MoonsProblem,
    accuracy,
    initial_model,
    learning_rate,
)
from micrograd_ko import losses
from micrograd_ko.compiler import Program, trace
from micrograd_ko.engine import Value
from micrograd_ko.optim import SGD


def moons_program(problem: MoonsProblem) -> tuple[Program, list[Value], np.ndarray]:
    """W1's program, its parameters (the seeded MLP) and the batch: rows of (x1, x2, label)."""
    model = initial_model(problem)
    params = model.parameters()
    batch = np.column_stack([np.asarray(problem.rows), np.asarray(problem.labels)])

    def per_sample(sample: list[Value]) -> list[Value]:
        score = model(sample[:2])
        assert isinstance(score, Value)
        return [(1.0 - sample[2] * score).relu(), score]

    program = trace(per_sample, batch[0].tolist(), params, penalty=lambda: L2_COEFFICIENT * losses.l2(params))
    return program, params, batch


class MoonsTrainer:
    """W1 compiled: forward and backward over all points as numpy, then momentum SGD."""

    def __init__(self, problem: MoonsProblem, optimizer: str = "numpy") -> None:
        self.program, self.params, self.batch = moons_program(problem)
        self.labels = problem.labels
        self.optimizer = SGD(self.params, lr=LEARNING_RATE, momentum=MOMENTUM) if optimizer == "optim" else None
        self.theta = np.asarray([p.data for p in self.params])
        self.buffer = np.zeros_like(self.theta)

    def _forward(self) -> tuple[float, list[float]]:
        outputs = self.program(self.batch)
        margins = outputs[:, 0]
        loss = float(margins.sum() / len(margins)) + self.program.penalty()
        return loss, outputs[:, 1].tolist()

    def loss_graph(self) -> float:
        return self._forward()[0]

    def evaluate(self) -> tuple[float, float]:
        loss, scores = self._forward()
        return loss, accuracy(scores, self.labels)

    def step(self, k: int) -> tuple[float, float]:
        loss, scores = self._forward()
        if self.optimizer is not None:
            self.optimizer.zero_grad()
            self.program.backward(output_weights=(1.0, 0.0))
            self.optimizer.lr = learning_rate(k)
            self.optimizer.step()
            return loss, accuracy(scores, self.labels)
        grads = self.program.backward(output_weights=(1.0, 0.0), accumulate=False)
        if not np.all(np.isfinite(grads)):
            raise ValueError("compiled W1: a gradient is NaN or infinite; nothing was updated")
        # optim.SGD's rule with momentum, as numpy: b <- mu b + g; p <- p - lr b
        self.buffer = MOMENTUM * self.buffer + grads
        self.theta = self.theta - learning_rate(k) * self.buffer
        for p, value in zip(self.params, self.theta.tolist()):
            p.data = value
        return loss, accuracy(scores, self.labels)


def make_trainer(problem: MoonsProblem, optimizer: str = "numpy") -> MoonsTrainer:
    return MoonsTrainer(problem, optimizer)


def _scalar_workload(*_: Any) -> NoReturn:
    raise Unsupported("compiled mode runs W1 only")


chain = wide_leaves = wide = backward = grad = count_nodes = _scalar_workload
