"""Batch normalisation, BatchNorm1d: each feature centred and scaled by the batch's statistics, then γ·x̂ + β."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd import Value, apply_op
from micrograd_ko.autograd.checks import positive_integer
from micrograd_ko.autograd.ops import Listing, Op
from micrograd_ko.nn._shapes import Batch, _short, shape_of
from micrograd_ko.nn.module import BatchModule, side_input, side_inputs_watched

BATCH_MEAN = Op(
    "batch_mean",
    1,
    forward=lambda a: a,
    array_forward=lambda a: a,
    local_grads=lambda m, out, a: (1.0,),
    doc="The mean of a feature over the batch, seen from one sample's graph: for a batch of that sample alone, "
    "the sample's own value (d/da = 1).  A compiled program computes it over the whole batch.",
    builtin=False,
    listed=Listing(drawable=False),
)
"""The op of a traced BatchNorm1d's batch means (not in the op table: only compiled mode runs it on a batch)."""

BATCH_VARIANCE = Op(
    "batch_variance",
    1,
    forward=lambda a: 0.0,
    array_forward=lambda a: a * 0.0,
    local_grads=lambda m, out, a: (0.0,),
    doc="The biased variance of a feature over the batch, seen from one sample's graph: for a batch of that "
    "sample alone, 0.  A compiled program computes it over the whole batch.",
    builtin=False,
    listed=Listing(drawable=False),
)
"""The op of a traced BatchNorm1d's batch variances (not in the op table, like `BATCH_MEAN`)."""


class BatchNorm1d(BatchModule):
    """Batch normalisation of `num_features` features, as `torch.nn.BatchNorm1d` computes it.

    Training mode, for each feature j over the batch of N samples:

        μ = (1/N) Σ x,   σ² = (1/N) Σ (x - μ)²   (the biased variance)
        y = γ_j (x - μ) / √(σ² + eps) + β_j

    and the running statistics move toward the batch's, with the unbiased
    variance σ²·N/(N-1):  running = (1 - momentum)·running + momentum·batch.
    Evaluation mode uses `running_mean` and `running_var` (lists of floats,
    starting at 0 and 1) instead of the batch's.  Parameters: [γ1…γn, β1…βn]
    (`weight` starts at 1, `bias` at 0).  `state_dict()` holds weight, bias,
    running_mean and running_var.  Training needs at least 2 samples per batch.

    Evaluation mode makes one constant leaf per feature for the mean and one
    for the scale 1/√(running_var + eps), and reports them as a side input
    (`module.side_input`) with `running_constants` to read them again: a
    compiled program re-reads them at every call, as it re-reads γ and β.
    Training mode, traced (a tracer watching, `module.side_inputs_watched`):
    the sample's graph reads one `BATCH_MEAN` and one `BATCH_VARIANCE` node
    per feature, reported as 'batch statistics' with `update_running`; a
    compiled program computes them over its whole batch at every call, sends
    their gradients to every sample, and then updates the running
    statistics as an eager training call does.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        """`eps` keeps the division finite; `momentum` in [0, 1] is the weight of the newest batch."""
        self.num_features = positive_integer(num_features, "BatchNorm1d: num_features")
        if isinstance(eps, bool) or not isinstance(eps, int | float):
            raise TypeError(f"BatchNorm1d: eps must be a positive number, got {eps!r}")
        if not eps > 0 or not math.isfinite(eps):
            raise ValueError(f"BatchNorm1d: eps must be a positive number, got {eps!r}")
        if isinstance(momentum, bool) or not isinstance(momentum, int | float):
            raise TypeError(f"BatchNorm1d: momentum must be a number in [0, 1], got {momentum!r}")
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"BatchNorm1d: momentum must be a number in [0, 1], got {momentum!r}")
        self.eps = float(eps)
        self.momentum = float(momentum)
        self.weight = tuple(Value(1.0, label=f"γ{j + 1}", role="parameter") for j in range(self.num_features))
        self.bias = tuple(Value(0.0, label=f"β{j + 1}", role="parameter") for j in range(self.num_features))
        self.running_mean = [0.0] * self.num_features
        self.running_var = [1.0] * self.num_features

    def forward(self, batch: Batch) -> Batch:
        """Normalise each feature with the batch's statistics (training) or the running ones (evaluation)."""
        for i, sample in enumerate(batch):
            if shape_of(sample) != (self.num_features,):
                raise ValueError(
                    f"BatchNorm1d: batch[{i}] must be a sample of shape ({self.num_features},), "
                    f"got shape {shape_of(sample)}"
                )
        columns = list(zip(*batch))
        if self.training and side_inputs_watched():
            outputs = self._normalise_traced(columns)
        elif self.training:
            outputs = [self._normalise_batch(j, list(column)) for j, column in enumerate(columns)]
        else:
            means = [Value(m, role="constant") for m in self.running_mean]
            scales = [Value(1.0 / math.sqrt(v + self.eps), role="constant") for v in self.running_var]
            side_input(self, "running statistics", [*means, *scales], self.running_constants)
            outputs = [
                self._normalise_running(j, list(column), means[j], scales[j]) for j, column in enumerate(columns)
            ]
        return [list(row) for row in zip(*outputs)]

    def running_constants(self) -> npt.NDArray[np.float64]:
        """[mean_1…mean_n, scale_1…scale_n] from the running statistics now, scale = 1/√(running_var + eps)."""
        means = np.asarray(self.running_mean, dtype=float)
        scales = 1.0 / np.sqrt(np.asarray(self.running_var, dtype=float) + self.eps)
        return np.concatenate([means, scales])

    def _normalise_batch(self, j: int, column: list[Value]) -> list[Value]:
        n = len(column)
        if n < 2:
            raise ValueError(
                f"BatchNorm1d: batch must hold at least 2 samples in training mode (a variance needs two), got {n}"
            )
        mean = Value.sum(column) / n
        centered = [x - mean for x in column]
        variance = Value.dot(centered, centered) / n
        std = (variance + self.eps).sqrt()
        gamma, beta = self.weight[j], self.bias[j]
        m = self.momentum
        self.running_mean[j] = (1.0 - m) * self.running_mean[j] + m * mean.data
        self.running_var[j] = (1.0 - m) * self.running_var[j] + m * variance.data * n / (n - 1)
        return [gamma * (c / std) + beta for c in centered]

    def _normalise_traced(self, columns: list[tuple[Value, ...]]) -> list[list[Value]]:
        """The graph of one sample whose statistics a compiled program computes over its batch."""
        if len(columns[0]) != 1:
            raise ValueError(
                "BatchNorm1d: batch must hold one sample when traced in training mode (the program's batch is the "
                f"batch the statistics are taken over), got {len(columns[0])}"
            )
        means = [[apply_op(BATCH_MEAN, (x,)) for x in column] for column in columns]
        variances = [[apply_op(BATCH_VARIANCE, (x,)) for x in column] for column in columns]
        side_input(
            self,
            "batch statistics",
            [m for per_feature in means for m in per_feature] + [v for per_feature in variances for v in per_feature],
            self.update_running,
        )
        outputs = []
        for j, column in enumerate(columns):
            gamma, beta = self.weight[j], self.bias[j]
            row = []
            for x, mean, variance in zip(column, means[j], variances[j], strict=True):
                std = (variance + self.eps).sqrt()
                row.append(gamma * ((x - mean) / std) + beta)
            outputs.append(row)
        return outputs

    def update_running(self, means: npt.NDArray[np.float64], variances: npt.NDArray[np.float64], samples: int) -> None:
        """After a compiled training call: running = (1 - momentum)·running + momentum·batch, as eager does.

        `means` and `variances` (biased) are the batch's, one per feature;
        the running variance moves toward the unbiased σ²·N/(N-1).  Raises
        ValueError for fewer than 2 samples, as an eager training call does.
        """
        if samples < 2:
            raise ValueError(
                "BatchNorm1d: batch must hold at least 2 samples in training mode (a variance needs two), "
                f"got {samples}"
            )
        m = self.momentum
        for j, (mean, variance) in enumerate(zip(means.tolist(), variances.tolist(), strict=True)):
            self.running_mean[j] = (1.0 - m) * self.running_mean[j] + m * mean
            self.running_var[j] = (1.0 - m) * self.running_var[j] + m * variance * samples / (samples - 1)

    def _normalise_running(self, j: int, column: list[Value], mean: Value, scale: Value) -> list[Value]:
        gamma, beta = self.weight[j], self.bias[j]
        return [gamma * ((x - mean) * scale) + beta for x in column]

    def parameters(self) -> list[Value]:
        """[γ1…γn, β1…βn]."""
        return [*self.weight, *self.bias]

    def state_dict(self) -> dict[str, Any]:
        """{'weight', 'bias', 'running_mean', 'running_var'}: lists of floats."""
        return {
            "weight": [g.data for g in self.weight],
            "bias": [b.data for b in self.bias],
            "running_mean": list(self.running_mean),
            "running_var": list(self.running_var),
        }

    def _check_state(self, state: Any, path: str) -> None:
        """A variance is never negative."""
        if any(v < 0 for v in state["running_var"]):
            raise ValueError(f"{path}: running_var must be >= 0, got {_short(state['running_var'])}")

    def _assign_state(self, state: Any) -> None:
        """γ and β into the parameters, the running statistics into their lists."""
        for parameter, value in zip(self.parameters(), [*state["weight"], *state["bias"]], strict=True):
            parameter.data = float(value)
        self.running_mean = [float(v) for v in state["running_mean"]]
        self.running_var = [float(v) for v in state["running_var"]]

    def arguments(self) -> dict[str, Any]:
        """{'num_features', 'eps', 'momentum'}."""
        return {"num_features": self.num_features, "eps": self.eps, "momentum": self.momentum}
