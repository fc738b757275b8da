"""One adapter module per engine, all with the same small set of functions.

Every adapter module provides:

- ``make_trainer(problem)`` -> an object with ``step(k) -> (loss, accuracy)``
  (one full W1 step: forward over all points, loss, zero_grad, backward,
  update with learning rate ``learning_rate(k)``) and ``loss_graph()``
  (forward and loss only, returning the loss node);
- ``chain(n)`` -> ``(root, leaf)`` for W2; ``wide_leaves(n)`` and
  ``wide(leaves, nary)`` -> ``(root, leaf)`` for W3;
- ``backward(root)``, ``grad(leaf) -> float`` and ``count_nodes(root) -> int``;
- ``make_cnn_trainer(problem)`` -> an object with ``step(k) -> (loss, accuracy)``
  for W4 (one CNN training step on a batch of digits);
- ``make_lstm_trainer(problem)`` -> an object with ``step(k) -> (loss, 0.0)``
  for W5 (one LSTM training step on a batch of sine windows).

A function the engine cannot do raises `Unsupported` (micrograd has no n-ary
sum; the tensor references have no scalar graph to chain).
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from benchmarks.problem import accuracy


class Unsupported(Exception):
    """The engine has no equivalent of this workload."""


class GraphTrainer(ABC):
    """The W1 loop shared by the engines that build a loss graph; an adapter supplies the engine-specific parts."""

    labels: list[float]

    @abstractmethod
    def forward(self) -> tuple[Any, Any]:
        """Forward pass over all points: (loss node, scores)."""

    @abstractmethod
    def update(self, loss: Any, k: int) -> None:
        """Zero the gradients, backpropagate from `loss`, update with learning_rate(k)."""

    def as_floats(self, loss: Any, scores: Any) -> tuple[float, list[float]]:
        """The loss and the scores as Python floats (scalar engines: each node's `.data`)."""
        return loss.data, [s.data for s in scores]

    def loss_graph(self) -> Any:
        """Forward and loss only, returning the loss node."""
        return self.forward()[0]

    def evaluate(self) -> tuple[float, float]:
        """(loss, accuracy) of the current model, without updating it."""
        return self._metrics(*self.forward())

    def step(self, k: int) -> tuple[float, float]:
        """One full W1 step; returns the (loss, accuracy) measured before the update."""
        loss, scores = self.forward()
        self.update(loss, k)
        return self._metrics(loss, scores)

    def _metrics(self, loss: Any, scores: Any) -> tuple[float, float]:
        loss_value, score_values = self.as_floats(loss, scores)
        return loss_value, accuracy(score_values, self.labels)


@dataclass(frozen=True)
class EngineInfo:
    """How to find an engine: its adapter module, the distribution whose version we report, a description."""

    module: str
    distribution: str
    description: str


ENGINES: dict[str, EngineInfo] = {
    "micrograd_ko": EngineInfo("benchmarks.engines.ours", "micrograd_ko", "this project"),
    "micrograd": EngineInfo("benchmarks.engines.micrograd_peer", "micrograd", "karpathy/micrograd 0.1.0 from PyPI"),
    "torch_scalar": EngineInfo("benchmarks.engines.torch_scalar", "torch", "PyTorch, one 0-dim tensor per scalar"),
    "torch_tensor": EngineInfo("benchmarks.engines.torch_tensor", "torch", "PyTorch, batched nn.Linear (reference)"),
    "numpy": EngineInfo("benchmarks.engines.numpy_backprop", "numpy", "numpy, hand-written backprop (reference)"),
    # compiled mode (issue 13): the same per-sample graph traced once and run over the batch as numpy
    "micrograd_ko_compiled": EngineInfo(
        "benchmarks.engines.compiled", "micrograd_ko", "micrograd_ko compiled: traced once, run as numpy"
    ),
}
"""Engines in the order the tables list them."""

SCALAR_ENGINES = ("micrograd_ko", "micrograd", "torch_scalar")
"""Engines that build a graph of scalars (the others are tensor references, W1 only)."""

CNN_ENGINES = ("micrograd_ko", "torch_tensor", "micrograd_ko_compiled")
"""Engines that run W4, the CNN step: ours, eager, against PyTorch with the same weights."""

LSTM_ENGINES = ("micrograd_ko", "torch_tensor", "micrograd_ko_compiled")
"""Engines that run W5, the LSTM step: ours, eager, against PyTorch with the same weights."""


def load(name: str) -> ModuleType:
    """Import an engine's adapter; ImportError when its library is not installed."""
    return importlib.import_module(ENGINES[name].module)
