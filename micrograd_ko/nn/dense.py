"""Neurons, layers and multi-layer perceptrons: per-sample modules built from `Value.dot`."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from micrograd_ko.autograd import Operand, Value, dot_rows
from micrograd_ko.autograd.checks import generator, positive_integer
from micrograd_ko.nn._shapes import _as_inputs
from micrograd_ko.nn.activations import activation_function
from micrograd_ko.nn.module import Module


class Neuron(Module):
    """act(w · x + b): weights w (one per input), an optional bias b, an activation.

    Weights start small, uniform in [-1/sqrt(nin), 1/sqrt(nin)], reproducibly
    from `seed` (an int or a numpy Generator); the bias starts at 0.
    """

    def __init__(
        self,
        nin: int,
        activation: str | None = "relu",
        bias: bool = True,
        seed: int | np.random.Generator | None = None,
        name: str = "",
    ) -> None:
        """Create a neuron with `nin` inputs; `name` prefixes its parameters' labels."""
        self.nin = positive_integer(nin, "Neuron: nin")
        self.activation = activation
        self._act = activation_function(activation)
        limit = 1.0 / math.sqrt(self.nin)
        prefix = f"{name}." if name else ""
        # a tuple, so the layer can hand it to the engine as a row of Values it need not check again
        self.w = tuple(
            Value(float(v), label=f"{prefix}w{i + 1}", role="parameter")
            for i, v in enumerate(generator(seed, "Neuron: seed").uniform(-limit, limit, self.nin))
        )
        self.b = Value(0.0, label=f"{prefix}b", role="parameter") if bias else None

    def __call__(self, x: Sequence[Operand]) -> Value:
        """The neuron's output for one input vector."""
        return self._forward(_as_inputs(x, self.nin, "Neuron"))

    def _forward(self, inputs: list[Value]) -> Value:
        out = Value.dot(self.w, inputs, bias=self.b)
        return out if self._act is None else self._act(out)

    def parameters(self) -> list[Value]:
        """Weights in input order, then the bias."""
        return [*self.w, self.b] if self.b is not None else list(self.w)

    def state_dict(self) -> dict[str, Any]:
        """{'w': [weights], 'b': bias or None}."""
        return {"w": [w.data for w in self.w], "b": None if self.b is None else self.b.data}

    def arguments(self) -> dict[str, Any]:
        """{'nin', 'activation', 'bias'} (the seed and the label prefix are no part of the architecture)."""
        return {"nin": self.nin, "activation": self.activation, "bias": self.b is not None}


class Layer(Module):
    """`nout` neurons that all read the same `nin` inputs; calling it returns a list of `nout` Values."""

    def __init__(
        self,
        nin: int,
        nout: int,
        activation: str | None = "relu",
        bias: bool = True,
        seed: int | np.random.Generator | None = None,
        name: str = "",
    ) -> None:
        """Create the layer; `seed` makes the initial weights reproducible."""
        self.nin = positive_integer(nin, "Layer: nin")
        self.nout = positive_integer(nout, "Layer: nout")
        self.activation = activation
        rng = generator(seed, "Layer: seed")
        prefix = name or "N"
        self.neurons = [
            Neuron(self.nin, activation, bias, seed=rng, name=f"{prefix}{j + 1}" if name else "")
            for j in range(self.nout)
        ]

    def __call__(self, x: Sequence[Operand]) -> list[Value]:
        """Every neuron's output, in order."""
        return self._forward(_as_inputs(x, self.nin, "Layer"))

    def _forward(self, inputs: list[Value]) -> list[Value]:
        # inputs were validated once by the caller and the weights are this layer's own tuples of
        # parameters, so the unchecked dot_rows serves: one read of the inputs for all neurons
        neurons = self.neurons
        outputs = dot_rows([n.w for n in neurons], tuple(inputs), [n.b for n in neurons])
        act = neurons[0]._act
        return outputs if act is None else [act(out) for out in outputs]

    def children(self) -> list[Module]:
        """The neurons, in order."""
        return list(self.neurons)

    def arguments(self) -> dict[str, Any]:
        """{'nin', 'nout', 'activation', 'bias'}."""
        bias = self.neurons[0].b is not None
        return {"nin": self.nin, "nout": self.nout, "activation": self.activation, "bias": bias}


class MLP(Module):
    """Multi-layer perceptron: layers of sizes `nouts` on top of `nin` inputs.

    Hidden layers use `activation`; the last layer uses `output_activation`
    (None = linear, the usual choice for regression and for logits).  Calling
    the MLP on one input vector returns a list of Values, or a single Value
    when the last layer has one neuron.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str | None = "relu",
        output_activation: str | None = None,
        bias: bool = True,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the network; `seed` makes the initial weights reproducible."""
        self.nin = positive_integer(nin, "MLP: nin")
        if isinstance(nouts, str | bytes) or not isinstance(nouts, Sequence):
            raise TypeError(f"MLP: nouts must be a non-empty list of layer sizes, got {nouts!r}")
        if len(nouts) == 0:
            raise ValueError(f"MLP: nouts must be a non-empty list of layer sizes, got {nouts!r}")
        self.nouts = [positive_integer(n, f"MLP: nouts[{i}]") for i, n in enumerate(nouts)]
        activation_function(activation)
        activation_function(output_activation)
        self.activation = activation
        self.output_activation = output_activation
        rng = generator(seed, "MLP: seed")
        sizes = [self.nin, *self.nouts]
        last = len(self.nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation, bias, rng, name=f"L{i + 1}N")
            for i in range(len(self.nouts))
        ]

    def __call__(self, x: Sequence[Operand]) -> Value | list[Value]:
        """Forward pass for one input vector."""
        out = _as_inputs(x, self.nin, "MLP")
        for layer in self.layers:
            out = layer._forward(out)
        return out[0] if len(out) == 1 else out

    def children(self) -> list[Module]:
        """The layers, input side first."""
        return list(self.layers)

    def arguments(self) -> dict[str, Any]:
        """{'nin', 'nouts', 'activation', 'output_activation', 'bias'}."""
        return {
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation,
            "output_activation": self.output_activation,
            "bias": self.layers[0].neurons[0].b is not None,
        }
