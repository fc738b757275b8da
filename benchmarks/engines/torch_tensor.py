"""PyTorch the usual way, as a reference: the MLP as batched nn.Linear layers (built by `MLP.to_torch()`)."""

from __future__ import annotations

from typing import Any, NoReturn

import torch

from benchmarks.engines import Unsupported
from benchmarks.problem import (
    L2_COEFFICIENT,
    LAYER_SIZES,
    LEARNING_RATE,
    MOMENTUM,
    SEED,
    MoonsProblem,
    accuracy,
    learning_rate,
)
from micrograd_ko.nn import MLP

torch.set_num_threads(1)


class MoonsTrainer:
    """W1 on whole batches: one matrix product per layer."""

    def __init__(self, problem: MoonsProblem) -> None:
        model = MLP(LAYER_SIZES[0], list(LAYER_SIZES[1:]), activation="relu", seed=SEED)
        for parameter, value in zip(model.parameters(), problem.flat_parameters(), strict=True):
            parameter.data = value
        self.net = model.to_torch()
        self.X = torch.tensor(problem.rows, dtype=torch.float64)
        self.y = torch.tensor(problem.labels, dtype=torch.float64)
        self.labels = problem.labels
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)

    def _forward(self) -> tuple[torch.Tensor, torch.Tensor]:
        scores = self.net(self.X).squeeze(1)
        data_loss = torch.relu(1.0 - self.y * scores).mean()
        reg_loss = L2_COEFFICIENT * sum((p * p).sum() for p in self.net.parameters())
        return data_loss + reg_loss, scores

    def loss_graph(self) -> torch.Tensor:
        return self._forward()[0]

    def evaluate(self) -> tuple[float, float]:
        with torch.no_grad():
            loss, scores = self._forward()
        return loss.item(), accuracy(scores.tolist(), self.labels)

    def step(self, k: int) -> tuple[float, float]:
        loss, scores = self._forward()
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.param_groups[0]["lr"] = learning_rate(k)
        self.optimizer.step()
        return loss.item(), accuracy(scores.tolist(), self.labels)


def make_trainer(problem: MoonsProblem) -> MoonsTrainer:
    return MoonsTrainer(problem)


def _scalar_workload(*_: Any) -> NoReturn:
    raise Unsupported("a tensor reference: W1 only")


chain = wide_leaves = wide = backward = grad = count_nodes = _scalar_workload
