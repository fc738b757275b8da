"""The base of every network piece, `Module` (parameters, modes, state_dict, JSON files), and activations by name."""

from __future__ import annotations

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

from micrograd_ko.autograd import Operand, Value, ops

Activation = Callable[[Value], Value] | None

ACTIVATIONS: dict[str, Activation] = {
    **{op.name: getattr(Value, op.name) for op in ops.all_ops(builtin_only=True) if op.listed.activation},
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

    def _recorded_architecture(self) -> dict[str, Any] | None:
        """The constructor arguments `save` records so `load` can refuse another architecture (None: nothing)."""
        return None

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
        architecture = self._recorded_architecture()
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
        mine = self._recorded_architecture()
        if mine is not None:
            saved = document.get("architecture")
            recorded = document.get("model")
            # files written before the architecture was recorded are checked against their repr
            differs = saved != mine if saved is not None else isinstance(recorded, str) and recorded != repr(self)
            if differs:
                shown = recorded[:200] if isinstance(recorded, str) else _short(saved)
                builder = f"{type(self).__name__}.from_file"
                hint = f" ({builder} builds the saved model)" if hasattr(self, "from_file") else ""
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
