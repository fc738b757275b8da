"""Neurons, layers and multi-layer perceptrons built from `Value`s.

A neuron computes act(w1*x1 + ... + wn*xn + b).  A layer is a list of
neurons that all see the same inputs; an MLP is a stack of layers.  Every
weight and bias is a `Value` with role 'parameter', so optimizers can find
and update them.

`parameters()` always lists them in the same order: for each layer, for each
neuron, its weights in input order, then its bias.  `state_dict()` is plain
JSON-able data laid out in that same order, and `save`/`load` write it to
disk as JSON (never pickle).

BATCHES.  The layers after `MLP` (`Sequential`, `Linear`, `Conv2d`,
`MaxPool2d`, `AvgPool2d`, `Flatten`, `Dropout`, `BatchNorm1d`, `PReLU`,
`Residual` and the activation modules) are called on a *batch*, because
some of them (batch normalisation) need statistics over the batch:

- a sample is a list of Values (a feature vector), or a nested list
  `[channel][row][col]` of Values for an image;
- a batch is a list of samples, and every batch layer returns a batch of
  the same length: `layer([x1, x2, x3])` gives `[y1, y2, y3]`;
  one sample x goes in as the batch `[x]`;
- plain numbers (and numpy arrays, e.g. `X[:32].reshape(-1, 1, 8, 8)`) are
  accepted and turned into input Values;
- `Sequential` carries a batch through its modules; a per-sample module in it
  (`Neuron`, `Layer`, `MLP`) is applied to each sample of the batch.

Every batch layer has `to_torch()` and `from_torch()` (see
`micrograd_ko.torch_bridge`); their parameters are laid out as PyTorch lays
out the same layer's tensors, so weights map one to one.
"""

from __future__ import annotations

import ast
import json
import math
import os
import reprlib
import secrets
import sys
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from micrograd_ko import ops
from micrograd_ko.checks import generator, positive_integer
from micrograd_ko.engine import Operand, Value, _dot_rows

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "LSTM",
    "MLP",
    "RNN",
    "ActivationLayer",
    "AvgPool2d",
    "BatchModule",
    "BatchNorm1d",
    "Conv2d",
    "Dropout",
    "Flatten",
    "LSTMCell",
    "Layer",
    "Linear",
    "MaxPool2d",
    "Module",
    "Neuron",
    "PReLU",
    "RNNCell",
    "ReLU",
    "RecurrentModule",
    "Residual",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "activation_function",
    "init_weights",
    "output_size",
    "shape_of",
    "unroll",
]

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
    if isinstance(module, RecurrentModule):  # the recurrent section at the end records its own
        return module._recorded_architecture()
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


# =====================================================================================================================
# Batches: the layers below are called on a batch (see BATCHES in the module docstring)
# =====================================================================================================================

Batch = list[Any]
"""A batch: a list of samples; a sample is a list of Values, or a nested list `[channel][row][col]` for an image."""

INITS = ("uniform", "xavier", "he")
"""Named weight initialisations of `Linear` and `Conv2d` (a positive float gives N(0, init²) instead)."""

Init = str | float


def init_weights(
    init: Init, fan_in: int, fan_out: int, size: int, seed: int | np.random.Generator | None
) -> list[float]:
    """`size` initial weights for a layer whose units read `fan_in` inputs and feed `fan_out` outputs.

    - 'uniform': U(-1/√fan_in, 1/√fan_in), PyTorch's default for Linear and Conv2d, and `Neuron`'s;
    - 'xavier' (Glorot): N(0, σ²) with σ = √(2 / (fan_in + fan_out)), made for tanh and sigmoid;
    - 'he' (Kaiming): N(0, σ²) with σ = √(2 / fan_in), made for ReLU (which zeroes half its inputs);
    - a positive float s: N(0, s²), e.g. 0.01 for the 'small random numbers' whose activations vanish in deep nets.

    For a convolution fan_in = in_channels·kh·kw and fan_out = out_channels·kh·kw, as PyTorch counts them.
    """
    rng = generator(seed, "seed")
    if isinstance(init, str):
        if init == "uniform":
            limit = 1.0 / math.sqrt(fan_in)
            return [float(v) for v in rng.uniform(-limit, limit, size)]
        if init == "xavier":
            return [float(v) for v in rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size)]
        if init == "he":
            return [float(v) for v in rng.normal(0.0, math.sqrt(2.0 / fan_in), size)]
    elif not isinstance(init, bool) and isinstance(init, int | float) and math.isfinite(init) and init > 0:
        return [float(v) for v in rng.normal(0.0, float(init), size)]
    raise ValueError(f"init must be one of {', '.join(INITS)} or a positive standard deviation, got {init!r}")


def _pair(value: object, what: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints (height, width), each >= minimum, as PyTorch's kernel_size/stride/padding."""
    items = value if isinstance(value, tuple | list) else (value, value)
    if len(items) != 2 or any(isinstance(v, bool) or not isinstance(v, int | np.integer) or v < minimum for v in items):
        raise ValueError(f"{what} must be an int >= {minimum} or a pair of them, got {value!r}")
    return int(items[0]), int(items[1])


def _as_value_tree(x: Any, owner: str) -> Any:
    """Nested lists (or numpy arrays) of numbers and Values, with every number turned into an input Value."""
    if isinstance(x, Value):
        return x
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, list | tuple):
        return [_as_value_tree(item, owner) for item in x]
    if isinstance(x, bool) or not isinstance(x, int | float | np.integer | np.floating):
        raise TypeError(f"{owner}: an input is {type(x).__name__} {x!r}; expected a number or a Value")
    value = Value(float(x), label="x")
    if not math.isfinite(value.data):
        raise ValueError(f"{owner}: an input is {value.data!r}; inputs must be finite")
    return value


def _as_batch(batch: Any, owner: str) -> Batch:
    """Check that `batch` is a non-empty list of samples and turn its numbers into Values."""
    if isinstance(batch, np.ndarray):
        batch = batch.tolist()
    if isinstance(batch, Value) or not isinstance(batch, list | tuple) or len(batch) == 0:
        raise TypeError(
            f"{owner} expects a batch: a non-empty list of samples (one sample x is the batch [x]), "
            f"got {type(batch).__name__}"
        )
    if not all(isinstance(sample, list | tuple | np.ndarray) for sample in batch):
        raise TypeError(
            f"{owner} expects a batch: a list of samples, each a list of Values; got a list of single numbers "
            "(wrap one sample x as [x])"
        )
    converted: Batch = _as_value_tree(batch, owner)
    return converted


def shape_of(sample: Any) -> tuple[int, ...]:
    """The shape of a sample (or a batch) of nested lists, e.g. (1, 8, 8) for a one-channel 8x8 image.

    Raises ValueError when the nesting is ragged (rows of different lengths).
    """
    if isinstance(sample, Value) or not isinstance(sample, list | tuple):
        return ()
    if len(sample) == 0:
        return (0,)
    inner = [shape_of(item) for item in sample]
    if any(s != inner[0] for s in inner):
        raise ValueError(f"ragged nested list: items have shapes {sorted(set(inner))}")
    return (len(sample), *inner[0])


def _map_values(fn: Callable[[Value], Value], x: Any) -> Any:
    """Apply `fn` to every Value of a nested list, keeping the nesting."""
    if isinstance(x, Value):
        return fn(x)
    return [_map_values(fn, item) for item in x]


def _flat_values(x: Any) -> list[Value]:
    """Every Value of a nested list in row-major order (the order of torch.flatten)."""
    if isinstance(x, Value):
        return [x]
    return [v for item in x for v in _flat_values(item)]


def _apply(module: Any, batch: Batch) -> Batch:
    """Run one module on a batch: a batch module on the whole batch, a per-sample one (Layer, MLP) on each sample."""
    if isinstance(module, BatchModule):
        return module.forward(batch)  # the batch was checked and converted once, on the way in
    if getattr(module, "batched", False):
        out: Batch = module(batch)
        return out
    return [module(sample) for sample in batch]


_BM = TypeVar("_BM", bound="BatchModule")


class BatchModule(Module):
    """Base of the layers called on a batch (a list of samples); calling one returns a batch of the same length.

    Every such layer also has `to_torch()` and `from_torch()`, which convert it
    to and from its `torch.nn` twin with the weights copied (float64).
    """

    batched = True

    def __call__(self, batch: Any) -> Batch:
        """The layer's output for every sample of `batch` (numbers are turned into input Values first)."""
        return self.forward(_as_batch(batch, type(self).__name__))

    def forward(self, batch: Batch) -> Batch:
        """The computation on a checked batch of Values; each subclass writes its own with engine ops."""
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    def to_torch(self, dtype: Any = None) -> Any:
        """The equivalent `torch.nn` module with copies of the weights (float64 unless `dtype` says otherwise)."""
        from micrograd_ko.torch_bridge import to_torch  # torch is optional: import it only when asked

        return to_torch(self, dtype)

    @classmethod
    def from_torch(cls: type[_BM], module: Any) -> _BM:
        """This layer built from its `torch.nn` twin, weights (and running statistics) copied."""
        from micrograd_ko.torch_bridge import module_from_torch

        result = module_from_torch(module)
        if not isinstance(result, cls):
            raise TypeError(f"{cls.__name__}.from_torch: {type(module).__name__} becomes a {type(result).__name__}")
        return result


def _load_children(module: Module, state: Any) -> None:
    """load_state_dict for a container: check the whole layout first, then let each child load its part."""
    _check_layout(module.state_dict(), state, type(module).__name__)
    for child, part in zip(module.children(), state, strict=True):
        child.load_state_dict(part)


# =====================================================================================================================
# Sequential and Residual: containers
# =====================================================================================================================


class Sequential(BatchModule):
    """Modules applied one after another to a batch, like `torch.nn.Sequential`.

    `parameters()` lists each module's parameters in module order; `train()` and
    `eval()` reach every module.  Batch layers (everything in this section and
    below) receive the whole batch; per-sample modules (`Neuron`, `Layer`, `MLP`)
    are applied to each sample.  `state_dict()` is the list of the modules' state
    dicts (an empty list for a module without parameters).
    """

    def __init__(self, *modules: Module) -> None:
        """Chain `modules` (at least one), input side first."""
        if not modules:
            raise ValueError("Sequential needs at least one module")
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(f"Sequential: item {i} is {type(module).__name__}, not a micrograd_ko.nn Module")
        self.modules = list(modules)

    def forward(self, batch: Batch) -> Batch:
        """Each module in turn."""
        for module in self.modules:
            batch = _apply(module, batch)
        return batch

    def children(self) -> list[Module]:
        """The modules, input side first."""
        return list(self.modules)

    def load_state_dict(self, state: Any) -> None:
        """Load each module's part of `state` (layout checked first, so a mismatch changes nothing)."""
        _load_children(self, state)

    def __len__(self) -> int:
        return len(self.modules)

    def __getitem__(self, index: int) -> Module:
        return self.modules[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def __repr__(self) -> str:
        inner = "".join(f"\n  ({i}): {module!r}" for i, module in enumerate(self.modules))
        return f"Sequential({inner}\n)"


class Residual(BatchModule):
    """A skip connection (ResNet): y = x + module(x), element by element.

    The module's output must have the shape of its input; otherwise a
    ValueError names both shapes.  With the module's weights near 0 the block
    starts as the identity, so a deep stack of them still passes gradients back.
    """

    def __init__(self, module: Module) -> None:
        """Wrap `module` (a batch layer, a Sequential, or a per-sample Layer/MLP)."""
        if not isinstance(module, Module):
            raise TypeError(f"Residual: expected a micrograd_ko.nn Module, got {type(module).__name__}")
        self.module = module

    def forward(self, batch: Batch) -> Batch:
        """x + module(x) for every sample."""
        out = _apply(self.module, batch)
        if len(out) != len(batch):
            raise ValueError(f"Residual: the module returned {len(out)} samples for a batch of {len(batch)}")
        added = []
        for x, fx in zip(batch, out):
            if shape_of(x) != shape_of(fx):
                raise ValueError(
                    f"Residual: {type(self.module).__name__} maps a sample of shape {shape_of(x)} to shape "
                    f"{shape_of(fx)}; x + f(x) needs the same shape"
                )
            added.append(_add_trees(x, fx))
        return added

    def children(self) -> list[Module]:
        """The wrapped module."""
        return [self.module]

    def load_state_dict(self, state: Any) -> None:
        """Load the wrapped module's state."""
        _load_children(self, state)

    def __repr__(self) -> str:
        return f"Residual({self.module!r})"


def _add_trees(a: Any, b: Any) -> Any:
    if isinstance(a, Value):
        return a + b
    return [_add_trees(x, y) for x, y in zip(a, b)]


# =====================================================================================================================
# Linear, activations, Flatten
# =====================================================================================================================


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
        self.in_features = positive_integer(in_features, "Linear in_features")
        self.out_features = positive_integer(out_features, "Linear out_features")
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
            out.append(_dot_rows(self.weight, tuple(sample), biases))
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

    def __repr__(self) -> str:
        return f"Linear({self.in_features}, {self.out_features}, bias={self.bias is not None})"


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

    def __repr__(self) -> str:
        return f"ActivationLayer({self.name!r})"


class ReLU(ActivationLayer):
    """max(0, x) element by element, like `torch.nn.ReLU`."""

    def __init__(self) -> None:
        """No arguments."""
        super().__init__("relu")

    def __repr__(self) -> str:
        return "ReLU()"


class Tanh(ActivationLayer):
    """tanh(x) element by element, like `torch.nn.Tanh`."""

    def __init__(self) -> None:
        """No arguments."""
        super().__init__("tanh")

    def __repr__(self) -> str:
        return "Tanh()"


class Sigmoid(ActivationLayer):
    """1 / (1 + e^-x) element by element, like `torch.nn.Sigmoid`."""

    def __init__(self) -> None:
        """No arguments."""
        super().__init__("sigmoid")

    def __repr__(self) -> str:
        return "Sigmoid()"


class Flatten(BatchModule):
    """Each sample's nested lists as one flat list, in row-major order: image[c][h][w] is item (c·H + h)·W + w.

    The same order as `torch.nn.Flatten()`, so a Linear head after it maps one to one.
    """

    def forward(self, batch: Batch) -> Batch:
        """One flat list per sample."""
        return [_flat_values(sample) for sample in batch]

    def __repr__(self) -> str:
        return "Flatten()"


# =====================================================================================================================
# Dropout
# =====================================================================================================================


class Dropout(BatchModule):
    """Inverted dropout: in training, each input becomes 0 with probability p and the rest are scaled by 1/(1-p).

    The scaling keeps every output's expected value equal to its input, so in
    evaluation mode the layer is the identity (it returns its input unchanged).
    Masks come from a numpy Generator seeded with `seed`: two layers with the
    same seed drop the same positions, call after call.  `mask` holds the last
    training call's mask (nested like the batch; 1.0 kept, 0.0 dropped).
    Each output is one '*' node: x * 0 or x * 1/(1-p).
    """

    def __init__(self, p: float = 0.5, seed: int | np.random.Generator | None = None) -> None:
        """`p`, the probability of dropping an input, must lie in [0, 1)."""
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout p must be a probability in [0, 1), got {p!r}")
        self.p = float(p)
        self._rng = generator(seed, "seed")
        self.mask: Any = None

    def forward(self, batch: Batch) -> Batch:
        """Masked and rescaled in training mode; the batch itself in evaluation mode (or when p = 0)."""
        if not self.training or self.p == 0.0:
            return batch
        values = _flat_values(batch)
        keep = self._rng.random(len(values)) >= self.p
        scale = 1.0 / (1.0 - self.p)
        factors = iter(np.where(keep, scale, 0.0).tolist())
        out: Batch = _map_values(lambda x: x * next(factors), batch)
        flags = iter(keep.astype(float).tolist())
        self.mask = _map_values(lambda _: next(flags), batch)
        return out

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


# =====================================================================================================================
# BatchNorm1d
# =====================================================================================================================


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
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        """`eps` keeps the division finite; `momentum` in [0, 1] is the weight of the newest batch."""
        self.num_features = positive_integer(num_features, "BatchNorm1d num_features")
        if isinstance(eps, bool) or not isinstance(eps, int | float) or not eps > 0 or not math.isfinite(eps):
            raise ValueError(f"BatchNorm1d eps must be a positive number, got {eps!r}")
        if isinstance(momentum, bool) or not isinstance(momentum, int | float) or not 0.0 <= momentum <= 1.0:
            raise ValueError(f"BatchNorm1d momentum must lie in [0, 1], got {momentum!r}")
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
                    f"BatchNorm1d: sample {i} has shape {shape_of(sample)}; expected ({self.num_features},)"
                )
        columns = list(zip(*batch))
        if self.training:
            outputs = [self._normalise_batch(j, list(column)) for j, column in enumerate(columns)]
        else:
            outputs = [self._normalise_running(j, list(column)) for j, column in enumerate(columns)]
        return [list(row) for row in zip(*outputs)]

    def _normalise_batch(self, j: int, column: list[Value]) -> list[Value]:
        n = len(column)
        if n < 2:
            raise ValueError(f"BatchNorm1d in training mode needs a batch of at least 2 samples, got {n}")
        mean = Value.sum(column) / n
        centered = [x - mean for x in column]
        variance = Value.dot(centered, centered) / n
        std = (variance + self.eps).sqrt()
        gamma, beta = self.weight[j], self.bias[j]
        m = self.momentum
        self.running_mean[j] = (1.0 - m) * self.running_mean[j] + m * mean.data
        self.running_var[j] = (1.0 - m) * self.running_var[j] + m * variance.data * n / (n - 1)
        return [gamma * (c / std) + beta for c in centered]

    def _normalise_running(self, j: int, column: list[Value]) -> list[Value]:
        mean, scale = self.running_mean[j], 1.0 / math.sqrt(self.running_var[j] + self.eps)
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

    def load_state_dict(self, state: Any) -> None:
        """Load γ, β and the running statistics (layout checked first; a running_var must be >= 0)."""
        _check_layout(self.state_dict(), state, "BatchNorm1d")
        if any(v < 0 for v in state["running_var"]):
            raise ValueError(f"BatchNorm1d: running_var must be >= 0, got {state['running_var']!r}")
        for parameter, value in zip(self.parameters(), [*state["weight"], *state["bias"]], strict=True):
            parameter.data = float(value)
        self.running_mean = [float(v) for v in state["running_mean"]]
        self.running_var = [float(v) for v in state["running_var"]]

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features}, eps={self.eps}, momentum={self.momentum})"


# =====================================================================================================================
# Convolution and pooling: images are nested lists [channel][row][col]
# =====================================================================================================================


def output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Output length along one axis: ⌊(size + 2·padding - kernel) / stride⌋ + 1."""
    return (size + 2 * padding - kernel) // stride + 1


def _getter(indices: list[int]) -> Callable[[list[Value]], tuple[Value, ...]]:
    """A function that picks `indices` out of a list as a tuple (operator.itemgetter, which needs two or more)."""
    if len(indices) >= 2:
        return itemgetter(*indices)
    return lambda items: tuple(items[k] for k in indices)


def _check_image(owner: str, index: int, image: Any, channels: int | None, kernel: tuple[int, int]) -> tuple[int, ...]:
    shape = shape_of(image)
    if len(shape) != 3 or (channels is not None and shape[0] != channels):
        wanted = f"({channels}, height, width)" if channels is not None else "(channels, height, width)"
        raise ValueError(f"{owner}: sample {index} has shape {shape}; expected an image of shape {wanted}")
    return shape


class Conv2d(BatchModule):
    """2-D convolution (strictly, cross-correlation, as in PyTorch) of images [channel][row][col].

    Output channel o at (i, j) is  b_o + Σ_c Σ_a Σ_b W[o][c][a][b] · x[c][i·s + a - p][j·s + b - p],
    with zeros where the window leaves the image (padding).  Each output pixel
    is one `dot` node (its parents: the kernel's weights, the window's pixels,
    the bias), so a drawn graph stays small.  Output size per axis:
    `output_size(size, kernel, stride, padding)`.

    Parameters, in PyTorch's layout (`weight` has shape [out][in][kh][kw]): for
    each output channel its weights in [in_channel][kh][kw] order, then after
    all weights the biases in output-channel order.  `kernel_size`, `stride`
    and `padding` are ints or (height, width) pairs.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        bias: bool = True,
        init: Init = "uniform",
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the layer; `seed` makes the initial weights reproducible (biases start at 0)."""
        self.in_channels = positive_integer(in_channels, "Conv2d in_channels")
        self.out_channels = positive_integer(out_channels, "Conv2d out_channels")
        self.kernel_size = _pair(kernel_size, "Conv2d kernel_size")
        self.stride = _pair(stride, "Conv2d stride")
        self.padding = _pair(padding, "Conv2d padding", minimum=0)
        self.init = init
        kh, kw = self.kernel_size
        per_output = self.in_channels * kh * kw
        flat = init_weights(init, per_output, self.out_channels * kh * kw, self.out_channels * per_output, seed)
        # one tuple per output channel in [in][kh][kw] order: the row a window is dotted with
        self._rows = [
            tuple(
                Value(flat[o * per_output + (c * kh + a) * kw + b], label=f"W[{o}][{c}][{a}][{b}]", role="parameter")
                for c in range(self.in_channels)
                for a in range(kh)
                for b in range(kw)
            )
            for o in range(self.out_channels)
        ]
        self.bias = (
            tuple(Value(0.0, label=f"b[{o}]", role="parameter") for o in range(self.out_channels)) if bias else None
        )
        self._biases: Sequence[Value | None] = self.bias if self.bias is not None else [None] * self.out_channels
        self._plans: dict[tuple[int, int], Any] = {}

    @property
    def weight(self) -> list[list[list[list[Value]]]]:
        """The weights as nested lists [out][in][kh][kw] (the same Values as `parameters()`)."""
        kh, kw = self.kernel_size
        return [
            [[list(row[(c * kh + a) * kw : (c * kh + a + 1) * kw]) for a in range(kh)] for c in range(self.in_channels)]
            for row in self._rows
        ]

    def forward(self, batch: Batch) -> Batch:
        """Convolve each image."""
        return [self._image(i, image) for i, image in enumerate(batch)]

    def _image(self, index: int, image: Any) -> list[list[list[Value]]]:
        _, height, width = _check_image("Conv2d", index, image, self.in_channels, self.kernel_size)
        rows_out, cols_out, windows = self._windows(height, width)
        pixels = [v for channel in image for row in channel for v in row]
        out: list[list[list[Value]]] = [[[] for _ in range(rows_out)] for _ in range(self.out_channels)]
        for position, (take, weight_rows) in enumerate(windows):
            i = position // cols_out
            for o, pixel in enumerate(_dot_rows(weight_rows, take(pixels), self._biases)):
                out[o][i].append(pixel)
        return out

    def _windows(self, height: int, width: int) -> tuple[int, int, list[tuple[Callable[[list[Value]], Any], Any]]]:
        """For each output position (row by row): a getter of its window's pixels and the weights they meet.

        Padding is zeros, and a zero adds nothing to a dot product, so a window
        that hangs over the border simply leaves those pixels (and the weights
        that would meet them) out of its dot node.  Computed once per image size.
        """
        key = (height, width)
        if key not in self._plans:
            (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
            rows_out, cols_out = output_size(height, kh, sh, ph), output_size(width, kw, sw, pw)
            if rows_out < 1 or cols_out < 1:
                raise ValueError(
                    f"Conv2d: a {height}x{width} image padded by {self.padding} is smaller than "
                    f"the kernel {self.kernel_size}"
                )
            windows = []
            for i in range(rows_out):
                for j in range(cols_out):
                    weight_index, pixel_index = [], []
                    for c in range(self.in_channels):
                        for a in range(kh):
                            r = i * sh + a - ph
                            for b in range(kw):
                                col = j * sw + b - pw
                                if 0 <= r < height and 0 <= col < width:
                                    weight_index.append((c * kh + a) * kw + b)
                                    pixel_index.append((c * height + r) * width + col)
                    full = len(weight_index) == len(self._rows[0])
                    rows = self._rows if full else [tuple(row[k] for k in weight_index) for row in self._rows]
                    windows.append((_getter(pixel_index), rows))
            self._plans[key] = (rows_out, cols_out, windows)
        plan: tuple[int, int, list[tuple[Callable[[list[Value]], Any], Any]]] = self._plans[key]
        return plan

    def parameters(self) -> list[Value]:
        """Per output channel its weights in [in][kh][kw] order, then all biases in output-channel order."""
        return [w for row in self._rows for w in row] + (list(self.bias) if self.bias is not None else [])

    def state_dict(self) -> dict[str, Any]:
        """{'weight': nested [out][in][kh][kw] floats, 'bias': floats or None}."""
        return {
            "weight": [[[[w.data for w in r] for r in c] for c in o] for o in self.weight],
            "bias": None if self.bias is None else [b.data for b in self.bias],
        }

    def __repr__(self) -> str:
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}, padding={self.padding}, bias={self.bias is not None})"
        )


class _Pool2d(BatchModule):
    """Shared windowing of the pooling layers: each channel on its own, windows of kernel_size every stride."""

    def __init__(self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None) -> None:
        """`stride` defaults to `kernel_size` (windows side by side, no overlap), as in PyTorch."""
        name = type(self).__name__
        self.kernel_size = _pair(kernel_size, f"{name} kernel_size")
        self.stride = self.kernel_size if stride is None else _pair(stride, f"{name} stride")

    def _reduce(self, window: list[Value]) -> Value:
        raise NotImplementedError

    def forward(self, batch: Batch) -> Batch:
        """Pool every channel of every image."""
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        out = []
        for index, image in enumerate(batch):
            _, height, width = _check_image(type(self).__name__, index, image, None, self.kernel_size)
            rows_out, cols_out = output_size(height, kh, sh), output_size(width, kw, sw)
            if rows_out < 1 or cols_out < 1:
                raise ValueError(f"{type(self).__name__}: a {height}x{width} image is smaller than {self.kernel_size}")
            pooled = []
            for channel in image:
                pooled.append(
                    [
                        [
                            self._reduce(
                                [v for row in channel[i * sh : i * sh + kh] for v in row[j * sw : j * sw + kw]]
                            )
                            for j in range(cols_out)
                        ]
                        for i in range(rows_out)
                    ]
                )
            out.append(pooled)
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride})"


class AvgPool2d(_Pool2d):
    """Average pooling: each output is the mean of a kh x kw window, Value.sum(window) / (kh·kw).

    d(out)/d(x) = 1/(kh·kw) for every pixel of the window.
    """

    def _reduce(self, window: list[Value]) -> Value:
        return Value.sum(window) / len(window)


class MaxPool2d(_Pool2d):
    """Max pooling: each output is the largest pixel of a kh x kw window, one n-ary `max` node.

    The gradient goes to the window's first arg-max only (a subgradient, as
    PyTorch does); the other pixels of the window get 0.
    """

    def _reduce(self, window: list[Value]) -> Value:
        return Value.max(window)


# =====================================================================================================================
# PReLU: a leaky ReLU whose slope is learned
# =====================================================================================================================


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
        self.num_parameters = positive_integer(num_parameters, "PReLU num_parameters")
        if isinstance(init, bool) or not isinstance(init, int | float) or not math.isfinite(init):
            raise ValueError(f"PReLU init must be a finite number, got {init!r}")
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

    def __repr__(self) -> str:
        return f"PReLU(num_parameters={self.num_parameters})"


# =====================================================================================================================
# Recurrent networks: RNNCell, LSTMCell, and RNN / LSTM that unroll them over a sequence
# =====================================================================================================================
#
# A cell is called on ONE sample (a list of Values), like Neuron and Layer, and returns the next state.  A sequence
# is a list of such samples x_1 … x_L (torch's unbatched input of shape (L, input_size)); a batch of sequences is a
# plain Python loop over them.  Parameters keep torch's names, order and layout, so weights map one to one.

RecurrentState = Any
"""A cell's state: a list of Values h (RNNCell), or a pair (h, c) of lists (LSTMCell)."""

NONLINEARITIES = ("tanh", "relu")
"""The activations `RNNCell` accepts, as `torch.nn.RNNCell` does."""


_RM = TypeVar("_RM", bound="RecurrentModule")


class RecurrentModule(Module):
    """Base of the recurrent modules: `to_torch()` / `from_torch()` and the architecture recorded by `save`."""

    def _recorded_architecture(self) -> dict[str, Any]:
        raise NotImplementedError

    def to_torch(self, dtype: Any = None) -> Any:
        """The `torch.nn` twin (RNNCell, LSTMCell, RNN or LSTM) with copies of the weights (float64 by default)."""
        from micrograd_ko.torch_bridge import to_torch  # torch is optional: import it only when asked

        return to_torch(self, dtype)

    @classmethod
    def from_torch(cls: type[_RM], module: Any) -> _RM:
        """This module built from its `torch.nn` twin, weights copied."""
        from micrograd_ko.torch_bridge import module_from_torch

        result = module_from_torch(module)
        if not isinstance(result, cls):
            raise TypeError(f"{cls.__name__}.from_torch: {type(module).__name__} becomes a {type(result).__name__}")
        return result


class _RecurrentCell(RecurrentModule):
    """Shared parts of RNNCell and LSTMCell: `gates` blocks of `hidden_size` rows, each row one dot node.

    Row r of the stacked matrices belongs to gate r // hidden_size.  Its pre-activation is
    W_ih[r]·x + b_ih[r] + W_hh[r]·h + b_hh[r], built as ONE dot node over the concatenated row
    [W_ih[r] | W_hh[r]] and inputs [x | h] with b_ih[r] as its bias, then `+ b_hh[r]`; when h is None
    (zeros) the W_hh part adds nothing and is left out of the graph.
    """

    GATES = ""  # one letter per gate block, in torch's order

    def __init__(self, input_size: int, hidden_size: int, bias: bool, seed: int | np.random.Generator | None) -> None:
        name = type(self).__name__
        self.input_size = positive_integer(input_size, f"{name} input_size")
        self.hidden_size = positive_integer(hidden_size, f"{name} hidden_size")
        if not isinstance(bias, bool):
            raise TypeError(f"{name} bias must be True or False, got {bias!r}")
        n_in, n_h, rows = self.input_size, self.hidden_size, len(self.GATES) * self.hidden_size
        limit = 1.0 / math.sqrt(n_h)
        # torch's reset_parameters: every weight and bias from U(-1/sqrt(hidden), 1/sqrt(hidden)), in parameter order
        count = rows * (n_in + n_h) + (2 * rows if bias else 0)
        flat = iter(generator(seed, "seed").uniform(-limit, limit, count).tolist())
        ih, hh, biases = self._labels()
        self.weight_ih = [
            tuple(Value(next(flat), label=ih(r, i), role="parameter") for i in range(n_in)) for r in range(rows)
        ]
        self.weight_hh = [
            tuple(Value(next(flat), label=hh(r, k), role="parameter") for k in range(n_h)) for r in range(rows)
        ]
        self.bias_ih: tuple[Value, ...] | None = None
        self.bias_hh: tuple[Value, ...] | None = None
        if bias:
            self.bias_ih = tuple(Value(next(flat), label=biases(0, r), role="parameter") for r in range(rows))
            self.bias_hh = tuple(Value(next(flat), label=biases(1, r), role="parameter") for r in range(rows))
        self._rows = [a + b for a, b in zip(self.weight_ih, self.weight_hh)]
        self._no_bias: list[Value | None] = [None] * rows

    def _labels(self) -> tuple[Callable[[int, int], str], Callable[[int, int], str], Callable[[int, int], str]]:
        raise NotImplementedError

    def _preactivations(self, x: list[Value], h: list[Value] | None) -> list[Value]:
        """W_ih·x + b_ih + W_hh·h + b_hh, one row at a time (see the class docstring)."""
        biases = self.bias_ih if self.bias_ih is not None else self._no_bias
        # h = 0 (None) leaves W_hh·h out; otherwise one dot over [W_ih[r] | W_hh[r]] and [x | h]
        rows = _dot_rows(self.weight_ih, tuple(x), biases) if h is None else _dot_rows(self._rows, (*x, *h), biases)
        if self.bias_hh is None:
            return rows
        return [row + b for row, b in zip(rows, self.bias_hh)]

    def _hidden(self, h: Any, what: str) -> list[Value] | None:
        return None if h is None else _as_inputs(h, self.hidden_size, f"{type(self).__name__} {what}")

    def _step(self, x: list[Value], state: RecurrentState) -> RecurrentState:
        """The next state from checked inputs (the unrolled loop calls this)."""
        raise NotImplementedError

    def initial_state(self) -> RecurrentState:
        """Zeros as input Values (what `None` stands for), e.g. to draw h0 or to take a gradient with respect to it."""
        raise NotImplementedError

    def parameters(self) -> list[Value]:
        """torch's order: weight_ih row by row, weight_hh row by row, then bias_ih, bias_hh."""
        weights = [w for row in self.weight_ih for w in row] + [w for row in self.weight_hh for w in row]
        if self.bias_ih is None or self.bias_hh is None:
            return weights
        return weights + list(self.bias_ih) + list(self.bias_hh)

    def state_dict(self) -> dict[str, Any]:
        """{'weight_ih': rows, 'weight_hh': rows, 'bias_ih': floats or None, 'bias_hh': ...}: torch's names."""
        return {
            "weight_ih": [[w.data for w in row] for row in self.weight_ih],
            "weight_hh": [[w.data for w in row] for row in self.weight_hh],
            "bias_ih": None if self.bias_ih is None else [b.data for b in self.bias_ih],
            "bias_hh": None if self.bias_hh is None else [b.data for b in self.bias_hh],
        }

    def load_state_dict(self, state: Any) -> None:
        """Load the four tensors by name (layout checked first, so a mismatch changes nothing)."""
        _check_layout(self.state_dict(), state, type(self).__name__)
        ordered = [state[key] for key in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
        for parameter, value in zip(self.parameters(), _flatten(ordered), strict=True):
            parameter.data = value


class RNNCell(_RecurrentCell):
    """One step of an Elman recurrent network, like `torch.nn.RNNCell`:

        h' = g(U·x + b_ih + W·h + b_hh),   g = tanh (or relu)

    with U = `weight_ih` (hidden_size × input_size) and W = `weight_hh`
    (hidden_size × hidden_size); the seed's h_t = g(U·x_t + W·h_{t-1} + b) with
    b = b_ih + b_hh, two biases as in torch.  `cell(x, h)` takes lists of
    `input_size` and `hidden_size` Values (or numbers); `h=None` means zeros.
    It returns h' as a list of `hidden_size` Values, each g of one dot node
    (plus one '+' for b_hh).  Weights and biases start uniform in
    [-1/√hidden_size, 1/√hidden_size] as in torch, reproducibly from `seed`.
    Parameters (torch's order): weight_ih row by row, weight_hh row by row, bias_ih, bias_hh.
    """

    GATES = "h"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the cell; `nonlinearity` is 'tanh' or 'relu'."""
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(f"RNNCell nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        self._g: Callable[[Value], Value] = Value.tanh if nonlinearity == "tanh" else Value.relu
        super().__init__(input_size, hidden_size, bias, seed)

    def _labels(self) -> tuple[Callable[[int, int], str], Callable[[int, int], str], Callable[[int, int], str]]:
        return (lambda j, i: f"U[{j}][{i}]"), (lambda j, k: f"W[{j}][{k}]"), (lambda s, j: f"b_{('ih', 'hh')[s]}[{j}]")

    def __call__(self, x: Sequence[Operand], h: Sequence[Operand] | None = None) -> list[Value]:
        """h' for the input x and the previous hidden state h (None: zeros)."""
        return self._step(_as_inputs(x, self.input_size, "RNNCell"), self._hidden(h, "hidden state"))

    def _step(self, x: list[Value], state: RecurrentState) -> list[Value]:
        g = self._g
        return [g(a) for a in self._preactivations(x, state)]

    def initial_state(self) -> list[Value]:
        """h0 = zeros, as input Values labelled h0[j]."""
        return [Value(0.0, label=f"h0[{j}]") for j in range(self.hidden_size)]

    def _recorded_architecture(self) -> dict[str, Any]:
        return {
            "class": "RNNCell",
            "input_size": self.input_size,
            "hidden_size": self.hidden_size,
            "bias": self.bias_ih is not None,
            "nonlinearity": self.nonlinearity,
        }

    def __repr__(self) -> str:
        return (
            f"RNNCell({self.input_size}, {self.hidden_size}, bias={self.bias_ih is not None}, "
            f"nonlinearity={self.nonlinearity!r})"
        )


LSTM_GATES = ("input", "forget", "cell", "output")
"""The LSTM's four blocks of rows, in torch's order (i, f, g, o)."""


class LSTMCell(_RecurrentCell):
    """One step of a long short-term memory (LSTM) network, like `torch.nn.LSTMCell`:

        i  = σ(W_ii·x + b_ii + W_hi·h + b_hi)      input gate: how much new information to write
        f  = σ(W_if·x + b_if + W_hf·h + b_hf)      forget gate: how much of the old cell state to keep
        g  = tanh(W_ig·x + b_ig + W_hg·h + b_hg)   the candidate cell values
        o  = σ(W_io·x + b_io + W_ho·h + b_ho)      output gate: how much of the cell to show
        c' = f ⊙ c + i ⊙ g
        h' = o ⊙ tanh(c')

    (σ the sigmoid, ⊙ element by element).  `cell(x, (h, c))` returns (h', c'),
    each a list of `hidden_size` Values; `state=None` means h = c = zeros.
    Because c' = f ⊙ c + …, the gradient from c' to c is f itself, not a product
    of tanh' and weights: with f near 1 it passes many steps back undiminished.

    `weight_ih` (4·hidden_size × input_size) stacks W_ii, W_if, W_ig, W_io, and
    `weight_hh` (4·hidden_size × hidden_size) stacks W_hi, W_hf, W_hg, W_ho; the
    biases stack the same way: torch's layout and gate order.  Initialised
    uniform in [-1/√hidden_size, 1/√hidden_size] as in torch, from `seed`.
    """

    GATES = "ifgo"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the cell."""
        super().__init__(input_size, hidden_size, bias, seed)

    def _labels(self) -> tuple[Callable[[int, int], str], Callable[[int, int], str], Callable[[int, int], str]]:
        n, gates = self.hidden_size, self.GATES
        return (
            (lambda r, i: f"W_i{gates[r // n]}[{r % n}][{i}]"),
            (lambda r, k: f"W_h{gates[r // n]}[{r % n}][{k}]"),
            (lambda s, r: f"b_{('i', 'h')[s]}{gates[r // n]}[{r % n}]"),
        )

    def __call__(
        self, x: Sequence[Operand], state: tuple[Sequence[Operand], Sequence[Operand]] | None = None
    ) -> tuple[list[Value], list[Value]]:
        """(h', c') for the input x and the previous state (h, c) (None: zeros)."""
        inputs = _as_inputs(x, self.input_size, "LSTMCell")
        result: tuple[list[Value], list[Value]] = self._step(inputs, self._state(state))
        return result

    def gates(
        self, x: Sequence[Operand], state: tuple[Sequence[Operand], Sequence[Operand]] | None = None
    ) -> dict[str, list[Value]]:
        """The step's gates and states by name: 'i', 'f', 'g', 'o', then 'c' and 'h' (the new c' and h')."""
        return self._gates(_as_inputs(x, self.input_size, "LSTMCell"), self._state(state))

    def _state(self, state: Any) -> tuple[list[Value], list[Value]] | None:
        if state is None:
            return None
        if not isinstance(state, tuple | list) or len(state) != 2:
            raise TypeError(f"LSTMCell expects the state as a pair (h, c) or None, got {type(state).__name__}")
        h, c = self._hidden(state[0], "hidden state h"), self._hidden(state[1], "cell state c")
        assert h is not None and c is not None
        return h, c

    def _gates(self, x: list[Value], state: tuple[list[Value], list[Value]] | None) -> dict[str, list[Value]]:
        n = self.hidden_size
        pre = self._preactivations(x, None if state is None else state[0])
        i = [v.sigmoid() for v in pre[:n]]
        f = [v.sigmoid() for v in pre[n : 2 * n]]
        g = [v.tanh() for v in pre[2 * n : 3 * n]]
        o = [v.sigmoid() for v in pre[3 * n :]]
        if state is None:  # c = 0: the forget gate multiplies nothing
            c = [ij * gj for ij, gj in zip(i, g)]
        else:
            c = [fj * cj + ij * gj for fj, cj, ij, gj in zip(f, state[1], i, g)]
        h = [oj * cj.tanh() for oj, cj in zip(o, c)]
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}

    def _step(self, x: list[Value], state: RecurrentState) -> tuple[list[Value], list[Value]]:
        gates = self._gates(x, state)
        return gates["h"], gates["c"]

    def initial_state(self) -> tuple[list[Value], list[Value]]:
        """(h0, c0) = zeros, as input Values labelled h0[j] and c0[j]."""
        n = self.hidden_size
        return [Value(0.0, label=f"h0[{j}]") for j in range(n)], [Value(0.0, label=f"c0[{j}]") for j in range(n)]

    def _recorded_architecture(self) -> dict[str, Any]:
        return {
            "class": "LSTMCell",
            "input_size": self.input_size,
            "hidden_size": self.hidden_size,
            "bias": self.bias_ih is not None,
        }

    def __repr__(self) -> str:
        return f"LSTMCell({self.input_size}, {self.hidden_size}, bias={self.bias_ih is not None})"


def _sequence(xs: Any, input_size: int, owner: str) -> list[list[Value]]:
    """A sequence x_1 … x_L (a list of L input vectors, or an (L, input_size) array), each checked once."""
    if isinstance(xs, np.ndarray):
        xs = xs.tolist()
    if isinstance(xs, Value) or not isinstance(xs, list | tuple) or len(xs) == 0:
        raise TypeError(f"{owner} expects a sequence: a non-empty list of input vectors, got {type(xs).__name__}")
    return [_as_inputs(x, input_size, f"{owner} step {t}") for t, x in enumerate(xs)]


def unroll(cell: RNNCell | LSTMCell, xs: Any, state: RecurrentState = None) -> list[RecurrentState]:
    """Run `cell` over the sequence xs = [x_1, …, x_L], starting from `state` (None: zeros).

    Returns the L states after each step: [h_1, …, h_L] for an RNNCell,
    [(h_1, c_1), …, (h_L, c_L)] for an LSTMCell.  The same cell (the same
    parameter Values) serves every step: that sharing is what makes it recurrent,
    and backward adds up each parameter's gradient over all the steps.
    """
    if not isinstance(cell, _RecurrentCell):
        raise TypeError(f"unroll: expected an RNNCell or LSTMCell, got {type(cell).__name__}")
    steps = _sequence(xs, cell.input_size, "unroll")
    if state is not None:
        state = cell._hidden(state, "hidden state") if isinstance(cell, RNNCell) else cell._state(state)
    return _unroll_checked(cell, steps, state)


def _unroll_checked(cell: _RecurrentCell, steps: list[list[Value]], state: RecurrentState) -> list[RecurrentState]:
    states = []
    for x in steps:
        state = cell._step(x, state)
        states.append(state)
    return states


class _Recurrent(RecurrentModule):
    """Shared parts of RNN and LSTM: one cell per direction, unrolled over the sequence."""

    def __init__(self, cells: list[_RecurrentCell], bidirectional: bool) -> None:
        self.cells = cells
        self.bidirectional = bidirectional
        self.input_size, self.hidden_size = cells[0].input_size, cells[0].hidden_size

    def children(self) -> list[Module]:
        """The forward cell, then the backward cell when bidirectional (torch's `_reverse` parameters)."""
        return list(self.cells)

    def load_state_dict(self, state: Any) -> None:
        """Load each direction's cell (layout checked first, so a mismatch changes nothing)."""
        _load_children(self, state)

    def _initial(self, state: Any, owner: str) -> list[Any]:
        """One initial state (or None) per direction."""
        directions = len(self.cells)
        if state is None:
            return [None] * directions
        if not isinstance(state, list | tuple) or len(state) != directions:
            raise ValueError(f"{owner}: expected one initial state per direction ({directions}), got {_short(state)}")
        return list(state)

    def _run(self, steps: list[list[Value]], initial: list[Any]) -> tuple[list[list[Value]], list[Any]]:
        """Outputs [h_t forward ⧺ h_t backward for each t] and each direction's final state."""
        forward = _unroll_checked(self.cells[0], steps, initial[0])
        outputs = [self._h(s) for s in forward]
        finals = [forward[-1]]
        if self.bidirectional:
            # the backward cell reads x_L … x_1; its state after reading x_t is paired with the forward h_t
            backward = _unroll_checked(self.cells[1], steps[::-1], initial[1])[::-1]
            outputs = [f + self._h(b) for f, b in zip(outputs, backward)]
            finals.append(backward[0])
        return outputs, finals

    @staticmethod
    def _h(state: RecurrentState) -> list[Value]:
        return list(state[0]) if isinstance(state, tuple) else list(state)


class RNN(_Recurrent):
    """An Elman RNN over a whole sequence, like a one-layer `torch.nn.RNN` on unbatched input.

    `rnn(xs, h0=None)` runs `RNNCell` over xs = [x_1, …, x_L] (each a list of
    `input_size` numbers or Values) and returns `(outputs, h_n)`:

    - `outputs[t]` is h_t, a list of hidden_size Values; with `bidirectional=True`
      it is h_t of the forward cell followed by h_t of a second cell that reads the
      sequence backwards (x_L first), 2·hidden_size Values (torch's layout);
    - `h_n` holds each direction's last state: [h_L] or [h_L forward, h_1 backward].

    `h0` is None (zeros) or one hidden state per direction; for one direction a
    plain list of hidden_size numbers or Values is accepted too.  Parameters:
    the forward cell's, then the backward cell's (torch's `weight_ih_l0`, …,
    `bias_hh_l0_reverse`).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        bidirectional: bool = False,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the network; `seed` makes the initial weights reproducible."""
        rng = generator(seed, "seed")
        directions = 2 if bidirectional else 1
        super().__init__(
            [RNNCell(input_size, hidden_size, bias, nonlinearity, rng) for _ in range(directions)], bool(bidirectional)
        )
        self.nonlinearity = nonlinearity

    def __call__(self, xs: Any, h0: Any = None) -> tuple[list[list[Value]], list[list[Value]]]:
        """(outputs, h_n) for the sequence xs; see the class docstring."""
        steps = _sequence(xs, self.input_size, "RNN")
        if h0 is not None and not self.bidirectional and len(h0) > 0 and not isinstance(h0[0], list | tuple):
            h0 = [h0]
        initial = [None if h is None else self.cells[0]._hidden(h, "h0") for h in self._initial(h0, "RNN h0")]
        outputs, finals = self._run(steps, initial)
        return outputs, finals

    def _recorded_architecture(self) -> dict[str, Any]:
        return {
            "class": "RNN",
            "input_size": self.input_size,
            "hidden_size": self.hidden_size,
            "bias": self.cells[0].bias_ih is not None,
            "nonlinearity": self.nonlinearity,
            "bidirectional": self.bidirectional,
        }

    def __repr__(self) -> str:
        return (
            f"RNN({self.input_size}, {self.hidden_size}, bias={self.cells[0].bias_ih is not None}, "
            f"nonlinearity={self.nonlinearity!r}, bidirectional={self.bidirectional})"
        )


class LSTM(_Recurrent):
    """An LSTM over a whole sequence, like a one-layer `torch.nn.LSTM` on unbatched input.

    `lstm(xs, state=None)` runs `LSTMCell` over xs = [x_1, …, x_L] and returns
    `(outputs, (h_n, c_n))`: `outputs[t]` is h_t (forward ⧺ backward when
    `bidirectional=True`), and h_n, c_n hold each direction's last states.
    `state` is None (zeros) or (h_0, c_0), each with one state per direction
    (for one direction, plain lists of hidden_size values are accepted too).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        bidirectional: bool = False,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the network; `seed` makes the initial weights reproducible."""
        rng = generator(seed, "seed")
        directions = 2 if bidirectional else 1
        super().__init__([LSTMCell(input_size, hidden_size, bias, rng) for _ in range(directions)], bool(bidirectional))

    def __call__(
        self, xs: Any, state: Any = None
    ) -> tuple[list[list[Value]], tuple[list[list[Value]], list[list[Value]]]]:
        """(outputs, (h_n, c_n)) for the sequence xs; see the class docstring."""
        steps = _sequence(xs, self.input_size, "LSTM")
        initial: list[Any] = [None] * len(self.cells)
        if state is not None:
            if not isinstance(state, tuple | list) or len(state) != 2:
                raise TypeError(f"LSTM expects the state as a pair (h_0, c_0) or None, got {_short(state)}")
            h0, c0 = state
            if not self.bidirectional and len(h0) > 0 and not isinstance(h0[0], list | tuple):
                h0, c0 = [h0], [c0]
            hs, cs = self._initial(h0, "LSTM h_0"), self._initial(c0, "LSTM c_0")
            cell = self.cells[0]
            assert isinstance(cell, LSTMCell)
            initial = [cell._state((h, c)) for h, c in zip(hs, cs)]
        outputs, finals = self._run(steps, initial)
        return outputs, ([h for h, _ in finals], [c for _, c in finals])

    def _recorded_architecture(self) -> dict[str, Any]:
        return {
            "class": "LSTM",
            "input_size": self.input_size,
            "hidden_size": self.hidden_size,
            "bias": self.cells[0].bias_ih is not None,
            "bidirectional": self.bidirectional,
        }

    def __repr__(self) -> str:
        return (
            f"LSTM({self.input_size}, {self.hidden_size}, bias={self.cells[0].bias_ih is not None}, "
            f"bidirectional={self.bidirectional})"
        )
