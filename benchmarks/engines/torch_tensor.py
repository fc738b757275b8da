"""PyTorch the usual way, as a reference: the MLP as batched nn.Linear layers (built by `to_torch(mlp)`)."""

from __future__ import annotations

from typing import Any, NoReturn

import torch

from benchmarks.engines import Unsupported
from benchmarks.engines.torch_common import TorchTrainer
from benchmarks.problem import (
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
    lstm_model,
)
from micrograd_ko.interop.torch import to_torch


class MoonsTrainer(TorchTrainer):
    """W1 on whole batches: one matrix product per layer."""

    def __init__(self, problem: MoonsProblem) -> None:
        self.net = to_torch(initial_model(problem))
        self.X = torch.tensor(problem.rows, dtype=torch.float64)
        self.y = torch.tensor(problem.labels, dtype=torch.float64)
        self.labels = problem.labels
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)

    def forward(self) -> tuple[torch.Tensor, torch.Tensor]:
        scores = self.net(self.X).squeeze(1)
        data_loss = torch.relu(1.0 - self.y * scores).mean()
        reg_loss = L2_COEFFICIENT * sum((p * p).sum() for p in self.net.parameters())
        return data_loss + reg_loss, scores

    def as_floats(self, loss: torch.Tensor, scores: torch.Tensor) -> tuple[float, list[float]]:
        return loss.item(), scores.tolist()


def make_trainer(problem: MoonsProblem) -> MoonsTrainer:
    return MoonsTrainer(problem)


class CnnTrainer:
    """W4 eager in PyTorch: the same CNN (weights copied by `to_torch`), batched tensors, the same SGD step."""

    def __init__(self, problem: DigitsProblem) -> None:
        self.net = to_torch(cnn_model())
        self.images = torch.tensor(problem.images, dtype=torch.float64)
        self.targets = torch.tensor(problem.labels)
        self.labels = problem.labels
        self.optimizer = torch.optim.SGD(self.net.parameters(), lr=CNN_LEARNING_RATE)

    def step(self, k: int) -> tuple[float, float]:
        """Forward, mean cross-entropy, zero_grad, backward, update; (loss, accuracy) before the update."""
        logits = self.net(self.images)
        loss = torch.nn.functional.cross_entropy(logits, self.targets)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return loss.item(), class_accuracy(logits.tolist(), self.labels)


def make_cnn_trainer(problem: DigitsProblem) -> CnnTrainer:
    return CnnTrainer(problem)


class LstmTrainer:
    """W5 eager in PyTorch: the same LSTM and head (weights copied by `to_torch`), the batch as one tensor."""

    def __init__(self, problem: SequenceProblem) -> None:
        lstm, head = lstm_model()
        self.lstm, self.head = to_torch(lstm), to_torch(head)
        # torch.nn.LSTM reads (time, batch, features) unless batch_first
        self.inputs = torch.tensor(problem.inputs, dtype=torch.float64).transpose(0, 1).contiguous()
        self.targets = torch.tensor(problem.targets, dtype=torch.float64)
        parameters = [*self.lstm.parameters(), *self.head.parameters()]
        self.optimizer = torch.optim.SGD(parameters, lr=LSTM_LEARNING_RATE)

    def step(self, k: int) -> tuple[float, float]:
        """Forward, mean squared error, zero_grad, backward, update; (loss, 0.0)."""
        outputs, _ = self.lstm(self.inputs)
        predictions = self.head(outputs[-1])[:, 0]
        loss = torch.nn.functional.mse_loss(predictions, self.targets)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.step()
        return loss.item(), 0.0


def make_lstm_trainer(problem: SequenceProblem) -> LstmTrainer:
    return LstmTrainer(problem)


def _scalar_workload(*_: Any) -> NoReturn:
    raise Unsupported("a tensor reference: W1 only")


chain = wide_leaves = wide = backward = grad = count_nodes = _scalar_workload
