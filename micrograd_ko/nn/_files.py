"""Model files, for every `Module`: the JSON format, the atomic write, the architecture record and `from_file`.

A file is one JSON document:

    {"format": FILE_FORMAT, "version": FILE_VERSION,
     "model": repr(model),                       for people reading the file
     "architecture": {"class": "Conv2d", ...},   the constructor arguments, nested for containers
     "state": model.state_dict()}

The architecture comes from each class's `arguments()`, the one place that
states its constructor arguments (the repr is built from the same method).
`load` refuses a file of another architecture and `from_file` rebuilds the
saved one.  Files written before the architecture was recorded are read from
their "model" repr with `ast`, literals only (never eval).
"""

from __future__ import annotations

import ast
import inspect
import json
import math
import os
import secrets
import sys
from pathlib import Path
from typing import Any, Protocol

from micrograd_ko.nn._shapes import _short

FILE_FORMAT = "micrograd_ko.state_dict"
"""The "format" marker of a model file."""

FILE_VERSION = 1
"""The version of the file layout; `load` refuses any other."""

CLASSES: dict[str, type[Any]] = {}
"""The classes `from_file` can build, by name: every public module class of micrograd_ko.nn (see `register`)."""


class Recordable(Protocol):
    """What a model file needs of a module (every `Module` has it)."""

    def arguments(self) -> dict[str, Any]:
        """The constructor arguments that define the architecture."""

    def state_dict(self) -> Any:
        """The parameters' values as plain data."""

    def load_state_dict(self, state: Any) -> None:
        """Check `state`, then copy it in."""


def register(cls: type[Any]) -> None:
    """Let `from_file` build `cls`: public classes of micrograd_ko.nn only, so a file never names another class."""
    if cls.__module__.startswith("micrograd_ko.nn.") and not cls.__name__.startswith("_"):
        CLASSES[cls.__name__] = cls


# ---- the architecture record ----------------------------------------------------------------------------------------


def record(module: Recordable) -> dict[str, Any]:
    """{'class': name, argument: value, ...}, modules among the arguments recorded the same way, as JSON data."""
    arguments = {name: _recorded(value) for name, value in module.arguments().items()}
    normal: dict[str, Any] = json.loads(json.dumps({"class": type(module).__name__, **arguments}))
    return normal


def _recorded(value: Any) -> Any:
    if hasattr(value, "arguments") and hasattr(value, "state_dict"):
        return record(value)
    if isinstance(value, list | tuple):
        return [_recorded(item) for item in value]
    return value


def saved_architecture(document: dict[str, Any]) -> Any:
    """The architecture a file records; for an older file, the one its repr states (None when unreadable)."""
    if "architecture" in document:
        return document["architecture"]
    model = document.get("model")
    parsed = parse_repr(model) if isinstance(model, str) else None
    return None if parsed is None else json.loads(json.dumps(parsed))


def parse_repr(text: str) -> dict[str, Any] | None:
    """The record of a repr like `MLP(2, [16, 1], activation='relu')`, read with `ast`, literals only; None if not."""
    try:
        return _parse_call(ast.parse(text, mode="eval").body)
    except (SyntaxError, ValueError, TypeError, RecursionError, MemoryError):
        return None


def _parse_call(node: ast.expr) -> dict[str, Any] | None:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CLASSES):
        return None
    parameters = list(inspect.signature(CLASSES[node.func.id]).parameters.values())
    arguments: dict[str, Any] = {}
    if parameters and parameters[0].kind is inspect.Parameter.VAR_POSITIONAL:
        arguments[parameters[0].name] = [_parse_argument(arg) for arg in node.args]
    elif len(node.args) > len(parameters):
        return None
    else:
        arguments.update({p.name: _parse_argument(arg) for p, arg in zip(parameters, node.args)})
    for keyword in node.keywords:
        if keyword.arg is None:
            return None
        arguments[keyword.arg] = _parse_argument(keyword.value)
    return {"class": node.func.id, **arguments}


def _parse_argument(node: ast.expr) -> Any:
    if isinstance(node, ast.Call):
        inner = _parse_call(node)
        if inner is None:
            raise ValueError("not a module of micrograd_ko.nn")
        return inner
    return ast.literal_eval(node)


def check_architecture(module: Recordable, document: dict[str, Any], path: str | os.PathLike[str]) -> None:
    """Refuse a file saved from another architecture, naming both (an old file whose repr is unreadable passes)."""
    saved = saved_architecture(document)
    if saved is None or saved == record(module):
        return
    recorded = document.get("model")
    shown = recorded[:200] if isinstance(recorded, str) else _short(saved)
    raise ValueError(
        f"load: {path} was saved from {shown} but this model is {module!r}; build the saved architecture to load "
        f"it ({type(module).__name__}.from_file builds the saved model)"
    )


def build(architecture: Any, path: str | os.PathLike[str]) -> Any:
    """The module an architecture record describes, built with its constructor (weights fresh)."""
    if not isinstance(architecture, dict) or architecture.get("class") not in CLASSES:
        raise ValueError(
            f"from_file: {path} does not record an architecture it can build (found {_short(architecture)})"
        )
    cls = CLASSES[architecture["class"]]
    positional: list[Any] = []
    keywords: dict[str, Any] = {}
    parameters = inspect.signature(cls).parameters
    for name, value in architecture.items():
        if name == "class":
            continue
        built = _built(value, path)
        if name in parameters and parameters[name].kind is inspect.Parameter.VAR_POSITIONAL:
            if not isinstance(built, list):
                raise ValueError(f"from_file: {path} has a malformed architecture {_short(architecture)}")
            positional = built
        else:
            keywords[name] = built
    try:
        return cls(*positional, **keywords)
    except (ValueError, TypeError) as error:
        raise ValueError(f"from_file: {path} records an architecture {cls.__name__} cannot build: {error}") from None


def _built(value: Any, path: str | os.PathLike[str]) -> Any:
    if isinstance(value, dict):
        return build(value, path)
    if isinstance(value, list):
        return [_built(item, path) for item in value]
    return value


def from_file(path: str | os.PathLike[str], expected: type[Any]) -> Any:
    """The module saved in `path`, rebuilt from its architecture and loaded with its weights; it must be `expected`."""
    document = read_document(path)
    architecture = saved_architecture(document)
    try:
        model = build(architecture, path)
    except RecursionError:
        raise ValueError(f"from_file: {path} has an architecture nested too deeply") from None
    if not isinstance(model, expected):
        raise ValueError(
            f"from_file: {path} records the architecture of a {type(model).__name__}, not of a {expected.__name__}"
        )
    if record(model) != architecture:
        raise ValueError(
            f"from_file: {path} has a malformed architecture {_short(architecture)}; the model it builds records "
            f"{_short(record(model))}"
        )
    model.load_state_dict(document["state"])
    return model


# ---- the document on disk -------------------------------------------------------------------------------------------


def save(module: Recordable, path: str | os.PathLike[str]) -> None:
    """Write `module`'s file (format, version, repr, architecture, state) atomically."""
    document = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "model": repr(module),
        "architecture": record(module),
        "state": module.state_dict(),
    }
    write_atomically(Path(path), json.dumps(document, ensure_ascii=False))


def load(module: Recordable, path: str | os.PathLike[str]) -> None:
    """Read a file into `module`: the format, the architecture and the whole state are checked before any change."""
    document = read_document(path)
    check_architecture(module, document, path)
    module.load_state_dict(document["state"])


def write_atomically(target: Path, text: str) -> None:
    """Write `text` to a new file beside `target`, then rename it over `target`; on failure leave `target` as it was."""
    temp = target.with_name(f".{target.name}.{secrets.token_hex(8)}.tmp")
    try:
        # os.open applies the umask to 0o666, as open(path, "w") does; mkstemp would force 0o600
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:  # nothing was created, so there is nothing to remove
        raise _naming(target, error) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise _naming(target, error) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _naming(target: Path, error: OSError) -> OSError:
    """`error` as the system gave it (same errno, same subclass), naming the user's `target`, not the temporary file.

    The temporary file is the atomic write's own business; a user who saved to "runs/model.json" should read
    that path, and why it failed, in the message.
    """
    if error.errno is None:  # not a system error (nothing names the temporary file): leave it as it is
        return error
    reason = f"save: {error.strerror}"
    if isinstance(error, FileNotFoundError):
        reason += f" (the folder {str(target.parent)!r} does not exist)"
    return OSError(error.errno, reason, str(target))


def read_document(path: str | os.PathLike[str]) -> dict[str, Any]:
    """The JSON document of a model file, with its format marker and version checked."""
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


# ---- the state: its layout checked before anything is copied ---------------------------------------------------------


def check_layout(expected: Any, given: Any, path: str) -> None:
    """Raise ValueError at the first place where `given` differs in shape or type from `expected`."""
    if isinstance(expected, dict):
        if not isinstance(given, dict) or set(given) != set(expected):
            keys = sorted(given) if isinstance(given, dict) else type(given).__name__
            raise ValueError(f"{path}: expected keys {sorted(expected)}, got {keys}")
        for key in expected:
            check_layout(expected[key], given[key], f"{path}.{key}")
    elif isinstance(expected, list):
        if not isinstance(given, list) or len(given) != len(expected):
            size = len(given) if isinstance(given, list) else type(given).__name__
            raise ValueError(f"{path}: expected a list of {len(expected)} entries, got {size}")
        for i, (e, g) in enumerate(zip(expected, given)):
            check_layout(e, g, f"{path}[{i}]")
    elif expected is None:
        if given is not None:
            raise ValueError(f"{path}: expected no value (the model has no parameter here), got {given!r}")
    elif isinstance(given, int) and not isinstance(given, bool) and abs(given) > _LARGEST_FLOAT:
        # math.isfinite would raise OverflowError; JSON has no limit on integers
        raise ValueError(f"{path}: expected a finite number, got an integer of {len(str(abs(given)))} digits")
    elif isinstance(given, bool) or not isinstance(given, int | float) or not math.isfinite(given):
        raise ValueError(f"{path}: expected a finite number, got {_short(given)}")


_LARGEST_FLOAT = int(sys.float_info.max)


def flatten(state: Any, layout: Any) -> list[float]:
    """The numbers of a checked `state` in the order of `layout` (dict keys in the module's order, not the file's)."""
    if isinstance(layout, dict):
        return [x for key in layout for x in flatten(state[key], layout[key])]
    if isinstance(layout, list):
        return [x for value, part in zip(state, layout) for x in flatten(value, part)]
    return [] if state is None else [float(state)]
