"""Neurons, layers and multi-layer perceptrons built from `Value`s.

A neuron computes act(w1*x1 + ... + wn*xn + b).  A layer is a list of
neurons that all see the same inputs; an MLP is a stack of layers.  Every
weight and bias is a `Value` with role 'parameter', so optimizers can find
and update them.

`parameters()` always lists them in the same order: for each layer, for each
neuron, its weights in input order, then its bias.  `state_dict()` is plain
JSON-able data laid out in that same order, and `save`/`load` write it to
disk as JSON (never pickle).
"""

from __future__ import annotations

import ast
import json
import math
import os
import reprlib
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from micrograd_ko import ops
from micrograd_ko.engine import Operand, Value, _dot_rows

__all__ = ["ACTIVATIONS", "MLP", "Layer", "Module", "Neuron", "activation_function"]

Activation = Callable[[Value], Value] | None

ACTIVATIONS: dict[str, Activation] = {
    **{op.name: getattr(Value, op.name) for op in ops.all_ops(builtin_only=True) if op.activation},
    "linear": None,
}
"""Activation functions by name; 'linear' (or None) means no activation."""

FILE_FORMAT = "micrograd_ko.state_dict"
FILE_VERSION = 1


def activation_function(name: str | None) -> Activation:
    """Look up an activation by name (None means 'linear'); unknown names list the valid ones."""
    if name is None:
        return None
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; valid names are {', '.join(ACTIVATIONS)} or None")
    return ACTIVATIONS[name]


def _rng(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise ValueError(f"{what} must be a positive integer, got {value!r}")
    return int(value)


def _as_inputs(x: Sequence[Operand], expected: int, owner: str) -> list[Value]:
    """Check an input vector's length and turn plain numbers into input Values."""
    if isinstance(x, str | bytes) or not isinstance(x, Sequence | np.ndarray):
        raise TypeError(f"{owner} expects a list of {expected} numbers or Values, got {type(x).__name__}")
    if len(x) != expected:
        raise ValueError(f"{owner} expects {expected} inputs, got {len(x)}")
    inputs = []
    for i, item in enumerate(x):
        value = item if isinstance(item, Value) else Value(item, label=f"x{i + 1}")
        if not math.isfinite(value.data):
            raise ValueError(f"{owner} input {i} is {value.data!r}: inputs must be finite")
        inputs.append(value)
    return inputs


class Module:
    """Base class: anything that owns parameters, possibly through child modules."""

    training: bool = True

    def children(self) -> list[Module]:
        """The modules this one is built from, in parameter order (none by default)."""
        return []

    def parameters(self) -> list[Value]:
        """All trainable Values, in the documented stable order."""
        return [p for child in self.children() for p in child.parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0 (gradients accumulate across backward calls)."""
        for p in self.parameters():
            p.grad = 0.0

    def train(self, mode: bool = True) -> Module:
        """Switch this module and its children to training mode (or evaluation when mode is False)."""
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Switch to evaluation mode; same as train(False)."""
        return self.train(False)

    def state_dict(self) -> Any:
        """The parameters' values as nested lists/dicts of floats, in parameter order."""
        return [child.state_dict() for child in self.children()]

    def load_state_dict(self, state: Any) -> None:
        """Copy values from `state` into the parameters.

        `state` must have exactly the layout `state_dict()` returns; otherwise a
        ValueError names the first mismatching entry and no parameter changes.
        """
        _check_layout(self.state_dict(), state, type(self).__name__)
        for parameter, value in zip(self.parameters(), _flatten(state), strict=True):
            parameter.data = value

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to `path` as JSON, atomically (a temp file renamed into place).

        The file records `repr(self)` under "model" and, for MLP, Layer and
        Neuron, the constructor's arguments under "architecture", so `load`
        can refuse weights of another architecture and `MLP.from_file` can
        rebuild the model.  The file gets the usual mode for new files (0o666
        less the umask), like any file a program writes.
        """
        target = Path(path)
        document: dict[str, Any] = {"format": FILE_FORMAT, "version": FILE_VERSION, "model": repr(self)}
        architecture = _architecture(self)
        if architecture is not None:
            document["architecture"] = architecture
        document["state"] = self.state_dict()
        _write_atomically(target, json.dumps(document, ensure_ascii=False))

    def load(self, path: str | os.PathLike[str]) -> None:
        """Read parameters written by `save`; a corrupt or mismatched file raises ValueError and changes nothing.

        Weights saved from another architecture (say a tanh MLP loaded into a
        ReLU MLP of the same shape) are refused with both architectures named.
        """
        document = _read_document(path)
        mine = _architecture(self)
        if mine is not None:
            saved = document.get("architecture")
            recorded = document.get("model")
            # files written before the architecture was recorded are checked against their repr
            differs = saved != mine if saved is not None else isinstance(recorded, str) and recorded != repr(self)
            if differs:
                shown = recorded[:200] if isinstance(recorded, str) else _short(saved)
                hint = " (MLP.from_file builds the saved model)" if isinstance(self, MLP) else ""
                raise ValueError(
                    f"load: {path} was saved from {shown} but this model is {self!r}; "
                    f"build the saved architecture to load it{hint}"
                )
        self.load_state_dict(document["state"])


def _write_atomically(target: Path, text: str) -> None:
    """Write `text` to a new file beside `target`, then rename it over `target`; on failure leave `target` as it was."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    # os.open applies the umask to 0o666, as open(path, "w") does; mkstemp would force 0o600
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _read_document(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON document of a state file, with its format marker and version checked."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except RecursionError:
        raise ValueError(f"load: {path} is not a micrograd_ko JSON file (its JSON is nested too deeply)") from None
    except ValueError as error:  # JSONDecodeError, UnicodeDecodeError, an integer of more than 4300 digits
        raise ValueError(f"load: {path} is not a micrograd_ko JSON file ({error})") from error
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT or "state" not in document:
        raise ValueError(f"load: {path} is not a micrograd_ko state file (missing format marker)")
    version = document.get("version")
    if type(version) is not int or version != FILE_VERSION:
        raise ValueError(f"load: {path} has version {_short(version)}; expected {FILE_VERSION}")
    return document


def _short(data: object) -> str:
    """repr of data read from a file, cut short: a hostile file must not make the error message huge or deep."""
    return _SHORT.repr(data)


_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 3, 200, 200, 40


def _architecture(module: Module) -> dict[str, Any] | None:
    """The constructor arguments of an MLP, Layer or Neuron as JSON data; None for other modules."""
    kind = type(module)
    if kind is MLP:
        assert isinstance(module, MLP)
        return {
            "class": "MLP",
            "nin": module.nin,
            "nouts": list(module.nouts),
            "activation": module.activation,
            "output_activation": module.output_activation,
            "bias": module.layers[0].neurons[0].b is not None,
        }
    if kind is Layer:
        assert isinstance(module, Layer)
        bias = module.neurons[0].b is not None
        return {"class": "Layer", "nin": module.nin, "nout": module.nout, "activation": module.activation, "bias": bias}
    if kind is Neuron:
        assert isinstance(module, Neuron)
        return {"class": "Neuron", "nin": module.nin, "activation": module.activation, "bias": module.b is not None}
    return None


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


def _check_layout(expected: Any, given: Any, path: str) -> None:
    """Raise ValueError at the first place where `given` differs in shape or type from `expected`."""
    if isinstance(expected, dict):
        if not isinstance(given, dict) or set(given) != set(expected):
            keys = sorted(given) if isinstance(given, dict) else type(given).__name__
            raise ValueError(f"{path}: expected keys {sorted(expected)}, got {keys}")
        for key in expected:
            _check_layout(expected[key], given[key], f"{path}.{key}")
    elif isinstance(expected, list):
        if not isinstance(given, list) or len(given) != len(expected):
            size = len(given) if isinstance(given, list) else type(given).__name__
            raise ValueError(f"{path}: expected a list of {len(expected)} entries, got {size}")
        for i, (e, g) in enumerate(zip(expected, given)):
            _check_layout(e, g, f"{path}[{i}]")
    elif expected is None:
        if given is not None:
            raise ValueError(f"{path}: expected no value (the model has no parameter here), got {given!r}")
    elif isinstance(given, int) and not isinstance(given, bool) and abs(given) > _LARGEST_FLOAT:
        # math.isfinite would raise OverflowError; JSON has no limit on integers
        raise ValueError(f"{path}: expected a finite number, got an integer of {len(str(abs(given)))} digits")
    elif isinstance(given, bool) or not isinstance(given, int | float) or not math.isfinite(given):
        raise ValueError(f"{path}: expected a finite number, got {_short(given)}")


_LARGEST_FLOAT = int(sys.float_info.max)


def _flatten(state: Any) -> list[float]:
    if isinstance(state, dict):
        return [x for value in state.values() for x in _flatten(value)]
    if isinstance(state, list):
        return [x for value in state for x in _flatten(value)]
    return [] if state is None else [float(state)]


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
        self.nin = _positive_int(nin, "Neuron nin")
        self.activation = activation
        self._act = activation_function(activation)
        limit = 1.0 / math.sqrt(self.nin)
        prefix = f"{name}." if name else ""
        # a tuple, so the layer can hand it to the engine as a row of Values it need not check again
        self.w = tuple(
            Value(float(v), label=f"{prefix}w{i + 1}", role="parameter")
            for i, v in enumerate(_rng(seed).uniform(-limit, limit, self.nin))
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
        self.nin = _positive_int(nin, "Layer nin")
        self.nout = _positive_int(nout, "Layer nout")
        self.activation = activation
        rng = _rng(seed)
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
        # parameters, so the engine's unchecked _dot_rows serves: one read of the inputs for all neurons
        neurons = self.neurons
        outputs = _dot_rows([n.w for n in neurons], tuple(inputs), [n.b for n in neurons])
        act = neurons[0]._act
        return outputs if act is None else [act(out) for out in outputs]

    def children(self) -> list[Module]:
        """The neurons, in order."""
        return list(self.neurons)

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
        self.nin = _positive_int(nin, "MLP nin")
        if isinstance(nouts, str | bytes) or not isinstance(nouts, Sequence) or len(nouts) == 0:
            raise ValueError(f"MLP nouts must be a non-empty list of layer sizes, got {nouts!r}")
        self.nouts = [_positive_int(n, "MLP layer size") for n in nouts]
        activation_function(activation)
        activation_function(output_activation)
        self.activation = activation
        self.output_activation = output_activation
        rng = _rng(seed)
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
        see `micrograd_ko.torch_bridge`.
        """
        from micrograd_ko.torch_bridge import to_torch  # torch is optional: import it only when asked

        return to_torch(self, dtype)

    @classmethod
    def from_torch(cls, sequential: Any) -> MLP:
        """The MLP equivalent to a `torch.nn.Sequential` of Linear layers and activations, weights copied."""
        from micrograd_ko.torch_bridge import from_torch

        return from_torch(sequential)

    def __repr__(self) -> str:
        bias = self.layers[0].neurons[0].b is not None
        return (
            f"MLP({self.nin}, {self.nouts}, activation={self.activation!r}, "
            f"output_activation={self.output_activation!r}, bias={bias})"
        )
