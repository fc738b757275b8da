"""Neurons, layers and multi-layer perceptrons: per-sample modules built from `Value.dot`."""

from __future__ import annotations

import ast
import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from micrograd_ko.autograd import Operand, Value
from micrograd_ko.autograd.checks import generator, positive_integer
from micrograd_ko.nn.functional import _linear_rows
from micrograd_ko.nn.module import Module, _as_inputs, _read_document, _short, activation_function

_MLP_ARGUMENTS = ("nin", "nouts", "activation", "output_activation", "bias")


def _mlp_arguments(document: dict[str, Any], path: str | os.PathLike[str]) -> dict[str, Any]:
    """MLP's constructor arguments from a state file: its "architecture", or else its "model" repr, parsed safely."""
    architecture = document.get("architecture")
    if architecture is None and isinstance(document.get("model"), str):
        architecture = _parse_mlp_repr(document["model"])
    if not isinstance(architecture, dict) or architecture.get("class") != "MLP":
        raise ValueError(f"from_file: {path} does not record an MLP architecture (found {_short(architecture)})")
    arguments = {key: value for key, value in architecture.items() if key != "class"}
    if sorted(arguments) != sorted(_MLP_ARGUMENTS) or not isinstance(arguments["bias"], bool):
        raise ValueError(
            f"from_file: {path} has a malformed architecture {_short(architecture)}; expected the keys "
            f"{', '.join(_MLP_ARGUMENTS)} with bias true or false"
        )
    return arguments


def _parse_mlp_repr(text: str) -> dict[str, Any] | None:
    """Read `MLP(2, [16, 1], activation='relu', ...)` with `ast`, accepting literals only (never eval)."""
    try:
        call = ast.parse(text, mode="eval").body
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "MLP"):
            return None
        if len(call.args) != 2 or any(keyword.arg is None for keyword in call.keywords):
            return None
        arguments = {"nin": ast.literal_eval(call.args[0]), "nouts": ast.literal_eval(call.args[1])}
        arguments.update({str(keyword.arg): ast.literal_eval(keyword.value) for keyword in call.keywords})
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
        return None
    return {"class": "MLP", **arguments}


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
        self.nin = positive_integer(nin, "Neuron nin")
        self.activation = activation
        self._act = activation_function(activation)
        limit = 1.0 / math.sqrt(self.nin)
        prefix = f"{name}." if name else ""
        # a tuple, so the layer can hand it to the engine as a row of Values it need not check again
        self.w = tuple(
            Value(float(v), label=f"{prefix}w{i + 1}", role="parameter")
            for i, v in enumerate(generator(seed, "seed").uniform(-limit, limit, self.nin))
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

    def _recorded_architecture(self) -> dict[str, Any] | None:
        """{'class': 'Neuron', 'nin', 'activation', 'bias'} for a Neuron itself (None for a subclass)."""
        if type(self) is not Neuron:
            return None
        return {"class": "Neuron", "nin": self.nin, "activation": self.activation, "bias": self.b is not None}

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={self.activation!r}, bias={self.b is not None})"


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
        self.nin = positive_integer(nin, "Layer nin")
        self.nout = positive_integer(nout, "Layer nout")
        self.activation = activation
        rng = generator(seed, "seed")
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
        # parameters, so the unchecked _linear_rows serves: one read of the inputs for all neurons
        neurons = self.neurons
        outputs = _linear_rows([n.w for n in neurons], tuple(inputs), [n.b for n in neurons])
        act = neurons[0]._act
        return outputs if act is None else [act(out) for out in outputs]

    def children(self) -> list[Module]:
        """The neurons, in order."""
        return list(self.neurons)

    def _recorded_architecture(self) -> dict[str, Any] | None:
        """{'class': 'Layer', 'nin', 'nout', 'activation', 'bias'} for a Layer itself (None for a subclass)."""
        if type(self) is not Layer:
            return None
        bias = self.neurons[0].b is not None
        return {"class": "Layer", "nin": self.nin, "nout": self.nout, "activation": self.activation, "bias": bias}

    def __repr__(self) -> str:
        bias = self.neurons[0].b is not None
        return f"Layer({self.nin}, {self.nout}, activation={self.activation!r}, bias={bias})"


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
        self.nin = positive_integer(nin, "MLP nin")
        if isinstance(nouts, str | bytes) or not isinstance(nouts, Sequence) or len(nouts) == 0:
            raise ValueError(f"MLP nouts must be a non-empty list of layer sizes, got {nouts!r}")
        self.nouts = [positive_integer(n, "MLP layer size") for n in nouts]
        activation_function(activation)
        activation_function(output_activation)
        self.activation = activation
        self.output_activation = output_activation
        rng = generator(seed, "seed")
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

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> MLP:
        """The MLP saved in `path` by `save`, built with the recorded architecture and loaded with its weights.

        The architecture is read as data (never evaluated); files from before it
        was recorded are read from their `repr` with `ast`, accepting literals
        only.  A file without a valid MLP architecture raises ValueError.
        """
        document = _read_document(path)
        arguments = _mlp_arguments(document, path)
        try:
            model = cls(**arguments)
        except (ValueError, TypeError) as error:
            raise ValueError(f"from_file: {path} records an architecture MLP cannot build: {error}") from None
        model.load_state_dict(document["state"])
        return model

    def to_torch(self, dtype: Any = None) -> Any:
        """An equivalent `torch.nn.Sequential` (Linear + activation per layer) with copies of the weights.

        float64 unless `dtype` says otherwise.  Needs PyTorch (ImportError otherwise);
        see `micrograd_ko.interop.torch`.
        """
        from micrograd_ko.interop.torch import to_torch  # torch is optional: import it only when asked

        return to_torch(self, dtype)

    @classmethod
    def from_torch(cls, sequential: Any) -> MLP:
        """The MLP equivalent to a `torch.nn.Sequential` of Linear layers and activations, weights copied."""
        from micrograd_ko.interop.torch import from_torch

        return from_torch(sequential)

    def _recorded_architecture(self) -> dict[str, Any] | None:
        """The constructor arguments of an MLP itself (None for a subclass)."""
        if type(self) is not MLP:
            return None
        return {
            "class": "MLP",
            "nin": self.nin,
            "nouts": list(self.nouts),
            "activation": self.activation,
            "output_activation": self.output_activation,
            "bias": self.layers[0].neurons[0].b is not None,
        }

    def __repr__(self) -> str:
        bias = self.layers[0].neurons[0].b is not None
        return (
            f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r}, bias={bias})"
        )
