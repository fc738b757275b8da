"""What the two PyTorch adapters share: float64 on one thread, and the optimizer-driven update."""

from __future__ import annotations

import torch

from benchmarks.engines import GraphTrainer
from benchmarks.problem import learning_rate

torch.set_num_threads(1)
DTYPE = torch.float64


class TorchTrainer(GraphTrainer):
    """A W1 trainer whose parameters are updated by a `torch.optim.SGD` in `self.optimizer`."""

    optimizer: torch.optim.Optimizer

    def update(self, loss: torch.Tensor, k: int) -> None:
        """Zero the gradients, backpropagate, step with learning_rate(k)."""
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.optimizer.param_groups[0]["lr"] = learning_rate(k)
        self.optimizer.step()
