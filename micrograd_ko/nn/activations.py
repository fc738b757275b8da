"""Activations: the functions by name (`ACTIVATIONS`), and the layers that apply one element by element."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from micrograd_ko.autograd import Value, ops
from micrograd_ko.autograd.checks import positive_integer
from micrograd_ko.nn._shapes import Batch, _map_values, shape_of
from micrograd_ko.nn.module import BatchModule

Activation = Callable[[Value], Value] | None
"""An activation function on one Value, or None for none ('linear')."""

ACTIVATIONS: dict[str, Activation] = {
    **{op.name: getattr(Value, op.name) for op in ops.all_ops(builtin_only=True) if op.listed.activation},
    "linear": None,
}
"""Activation functions by name; 'linear' (or None) means no activation."""


def activation_function(name: str | None) -> Activation:
    """Look up an activation by name (None means 'linear'); unknown names list the valid ones."""
    if name is None:
        return None
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; valid names are {', '.join(ACTIVATIONS)} or None")
    return ACTIVATIONS[name]


class ActivationLayer(BatchModule):
    """An activation function from `ACTIVATIONS`, applied to every Value of every sample (any nesting)."""

    def __init__(self, name: str) -> None:
        """`name` is a key of `ACTIVATIONS`, e.g. 'relu', 'tanh', 'sigmoid'."""
        function = activation_function(name)
        if function is None:
            raise ValueError("ActivationLayer: 'linear' is no activation; leave the module out instead")
        self.name = name
        self._function = function

    def forward(self, batch: Batch) -> Batch:
        """act(x) element by element."""
        return [_map_values(self._function, sample) for sample in batch]

    def arguments(self) -> dict[str, Any]:
        """{'name': the activation's name}."""
        return {"name": self.name}


class ReLU(ActivationLayer):
    """max(0, x) element by element, like `torch.nn.ReLU`."""

    def __init__(self) -> None:
        """No arguments."""
        super().__init__("relu")

    def arguments(self) -> dict[str, Any]:
        """None: the activation is the class."""
        return {}


class Tanh(ActivationLayer):
    """tanh(x) element by element, like `torch.nn.Tanh`."""

    def __init__(self) -> None:
        """No arguments."""
        super().__init__("tanh")

    def arguments(self) -> dict[str, Any]:
        """None: the activation is the class."""
        return {}


class Sigmoid(ActivationLayer):
    """1 / (1 + e^-x) element by element, like `torch.nn.Sigmoid`."""

    def __init__(self) -> None:
        """No arguments."""
        super().__init__("sigmoid")

    def arguments(self) -> dict[str, Any]:
        """None: the activation is the class."""
        return {}


NAMED_LAYERS: dict[str, Callable[[], ActivationLayer]] = {"relu": ReLU, "tanh": Tanh, "sigmoid": Sigmoid}
"""The activations that have a layer class of their own, as in torch.nn (the others are `ActivationLayer(name)`)."""


def activation_layer(name: str) -> ActivationLayer:
    """The layer applying the activation `name`: ReLU(), Tanh(), Sigmoid(), or else ActivationLayer(name)."""
    layer = NAMED_LAYERS.get(name)
    return layer() if layer is not None else ActivationLayer(name)


def _leaky(slope: Value) -> Callable[[Value], Value]:
    """x ↦ x.leaky_relu(slope): the slope a Value, so its gradient min(x, 0) reaches the parameter."""
    return lambda x: x.leaky_relu(slope)


class PReLU(BatchModule):
    """Parametric ReLU, like `torch.nn.PReLU`: x for x > 0, a·x otherwise, with the slope a learned.

    d/dx = 1 or a;  d/da = min(x, 0).  With `num_parameters=1` one slope serves
    every input; otherwise there is one slope per channel: per feature for a
    vector sample, per channel (the first index) for an image.  Each slope
    starts at `init`.  Parameters: [a1 … a_num_parameters].
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25) -> None:
        """`num_parameters` is 1 or the number of channels (features) of a sample."""
        self.num_parameters = positive_integer(num_parameters, "PReLU: num_parameters")
        if isinstance(init, bool) or not isinstance(init, int | float):
            raise TypeError(f"PReLU: init must be a finite number, got {init!r}")
        if not math.isfinite(init):
            raise ValueError(f"PReLU: init must be a finite number, got {init!r}")
        self.init = float(init)
        self.weight = tuple(Value(self.init, label=f"a{k + 1}", role="parameter") for k in range(self.num_parameters))

    def forward(self, batch: Batch) -> Batch:
        """x.leaky_relu(a) element by element, a the slope of the element's channel."""
        if self.num_parameters == 1:
            slope = self.weight[0]
            return [_map_values(_leaky(slope), sample) for sample in batch]
        out = []
        for i, sample in enumerate(batch):
            shape = shape_of(sample)
            if not shape or shape[0] != self.num_parameters:
                raise ValueError(
                    f"PReLU: sample {i} has shape {shape}; {self.num_parameters} slopes need "
                    f"{self.num_parameters} channels (the first dimension)"
                )
            out.append([_map_values(_leaky(a), channel) for a, channel in zip(self.weight, sample)])
        return out

    def parameters(self) -> list[Value]:
        """The slopes."""
        return list(self.weight)

    def state_dict(self) -> dict[str, Any]:
        """{'weight': slopes}."""
        return {"weight": [a.data for a in self.weight]}

    def arguments(self) -> dict[str, Any]:
        """{'num_parameters'} (the initial slope is no part of the architecture)."""
        return {"num_parameters": self.num_parameters}
