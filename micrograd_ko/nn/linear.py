"""Linear, y = W x + b on each sample of a batch, and Flatten, which makes an image one vector for it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from micrograd_ko.autograd import Value, dot_rows
from micrograd_ko.autograd.checks import positive_integer
from micrograd_ko.nn._shapes import Batch, _flat_values, shape_of
from micrograd_ko.nn.init import Init, init_weights
from micrograd_ko.nn.module import BatchModule


class Linear(BatchModule):
    """y = W x + b for each sample, like `torch.nn.Linear(in_features, out_features)`.

    Parameters, in PyTorch's layout: the weight matrix row by row (row j holds
    output j's weights, one per input), then all biases in output order.
    (`Layer` interleaves them per neuron instead.)  Each output is one `dot`
    node.  `init` picks the initial weights (see `init_weights`); biases start at 0.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        init: Init = "uniform",
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the layer; `seed` makes the initial weights reproducible."""
        self.in_features = positive_integer(in_features, "Linear: in_features")
        self.out_features = positive_integer(out_features, "Linear: out_features")
        self.init = init
        flat = init_weights(init, self.in_features, self.out_features, self.in_features * self.out_features, seed)
        n = self.in_features
        self.weight = [
            tuple(Value(flat[j * n + i], label=f"W[{j}][{i}]", role="parameter") for i in range(n))
            for j in range(self.out_features)
        ]
        self.bias = (
            tuple(Value(0.0, label=f"b[{j}]", role="parameter") for j in range(self.out_features)) if bias else None
        )

    def forward(self, batch: Batch) -> Batch:
        """One dot node per output per sample."""
        biases: Sequence[Value | None] = self.bias if self.bias is not None else [None] * self.out_features
        out = []
        for i, sample in enumerate(batch):
            if len(sample) != self.in_features or not all(isinstance(x, Value) for x in sample):
                raise ValueError(f"Linear: sample {i} has shape {shape_of(sample)}; expected ({self.in_features},)")
            out.append(dot_rows(self.weight, tuple(sample), biases))
        return out

    def parameters(self) -> list[Value]:
        """Weights row by row, then the biases."""
        return [w for row in self.weight for w in row] + (list(self.bias) if self.bias is not None else [])

    def state_dict(self) -> dict[str, Any]:
        """{'weight': rows of floats, 'bias': floats or None}."""
        return {
            "weight": [[w.data for w in row] for row in self.weight],
            "bias": None if self.bias is None else [b.data for b in self.bias],
        }

    def arguments(self) -> dict[str, Any]:
        """{'in_features', 'out_features', 'bias'}."""
        return {"in_features": self.in_features, "out_features": self.out_features, "bias": self.bias is not None}


class Flatten(BatchModule):
    """Each sample's nested lists as one flat list, in row-major order: image[c][h][w] is item (c·H + h)·W + w.

    The same order as `torch.nn.Flatten()`, so a Linear head after it maps one to one.
    """

    def forward(self, batch: Batch) -> Batch:
        """One flat list per sample."""
        return [_flat_values(sample) for sample in batch]
