"""The base of every network piece, `Module` (parameters, modes, state, files), and `BatchModule`, called on a batch.

Also the hook through which a layer whose forward reads more than its inputs
and parameters (random numbers, batch statistics, its own state) tells a
watcher such as the compiler's tracer: `watch_side_inputs`, `side_input`, and
`side_inputs_watched` (a layer asks it first, and then builds the graph of
one sample in a form the watcher can run over a whole batch).
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar, Literal, TypeVar

import micrograd_ko.nn._files as _files
from micrograd_ko.autograd import Value
from micrograd_ko.nn._shapes import Batch, _as_batch

_M = TypeVar("_M", bound="Module")

SideInput = Literal["random mask", "batch statistics", "running statistics"]
"""What a forward reads besides its inputs and parameters: a mask drawn at random (Dropout in training),
statistics over the batch (BatchNorm1d in training), statistics kept in the module (BatchNorm1d in eval)."""

Watcher = Callable[["Module", SideInput, Sequence[Value], "Callable[..., Any] | None"], None]
"""Called as watcher(module, kind, leaves, source), where `source` says how to get the numbers at run time:

- 'running statistics': `leaves` are constant Values made from the module's state; `source()` returns their
  current numbers as an array, in the same order (BatchNorm1d in eval mode).
- 'random mask': `leaves` are the constant factors one sample's outputs are multiplied by (traced as the
  factor of a kept value); `source(samples, len(leaves))` draws fresh ones, an array of shape
  (samples, len(leaves)), in the order an eager call on a batch of that many samples draws them (Dropout in
  training mode).
- 'batch statistics': `leaves` are the statistic nodes, every feature's mean then every feature's biased
  variance over the batch, each a node of `batchnorm.BATCH_MEAN` or `BATCH_VARIANCE` over that feature's
  input; `source(means, variances, samples)` is called with the batch's numbers after every run and updates
  the running statistics as an eager training call does (BatchNorm1d in training mode).

`source` is None when the layer cannot say how, and then the watcher refuses it."""

_watcher: Watcher | None = None  # set only inside `watch_side_inputs`: one global read per forward otherwise


@contextmanager
def watch_side_inputs(watcher: Watcher) -> Iterator[None]:
    """Within the block, every `side_input` a layer reports calls `watcher` (the compiler's tracer uses it).

    The previous watcher is restored on the way out, even when the block raises.
    """
    global _watcher
    previous, _watcher = _watcher, watcher
    try:
        yield
    finally:
        _watcher = previous


def side_inputs_watched() -> bool:
    """Whether a watcher listens (inside `watch_side_inputs`): then a layer builds its watchable form of the graph."""
    return _watcher is not None


def side_input(
    module: Module,
    kind: SideInput,
    leaves: Sequence[Value] = (),
    source: Callable[..., Any] | None = None,
) -> None:
    """Report that `module`'s forward reads `kind` besides its inputs and parameters (nothing happens unwatched).

    Layers call it once per forward, not per value, so eager mode pays one
    global read for it.  `leaves` and `source` are described at `Watcher`.
    """
    if _watcher is not None:
        _watcher(module, kind, leaves, source)


class Module:
    """Base class: anything that owns parameters, possibly through child modules."""

    training: bool = True
    named_in_repr: ClassVar[frozenset[str]] = frozenset()
    """Required arguments the repr writes by name all the same, as PyTorch writes `kernel_size=`."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _files.register(cls)

    def arguments(self) -> dict[str, Any]:
        """The constructor arguments that define the architecture, by name (seeds and initial values excluded).

        The one place each class states them: `repr` shows them and `save`
        records them, so `load` can refuse another architecture and
        `from_file` can rebuild this one.
        """
        return {}

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

        `state` must have exactly the layout `state_dict()` returns and every
        value must be allowed (a running variance is never negative); the whole
        of it is checked first, so a mismatch raises ValueError naming the first
        wrong entry and no parameter changes.
        """
        name = type(self).__name__
        _files.check_layout(self.state_dict(), state, name)
        self._check_state(state, name)
        self._assign_state(state)

    def _check_state(self, state: Any, path: str) -> None:
        """Rules on a state of the right layout beyond finite numbers (none by default: the children's)."""
        for i, (child, part) in enumerate(zip(self.children(), state)):
            child._check_state(part, f"{path}[{i}]")

    def _assign_state(self, state: Any) -> None:
        """Copy a checked state in: each child its part, or the numbers into the parameters in order."""
        children = self.children()
        if children:
            for child, part in zip(children, state, strict=True):
                child._assign_state(part)
            return
        for parameter, value in zip(self.parameters(), _files.flatten(state, self.state_dict()), strict=True):
            parameter.data = value

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the parameters to `path` as JSON, atomically (a temp file renamed into place).

        The file records `repr(self)` under "model" and the constructor's
        arguments (`arguments()`, nested for containers) under "architecture",
        so `load` can refuse weights of another architecture and `from_file`
        can rebuild the model.  The file gets the usual mode for new files
        (0o666 less the umask), like any file a program writes.
        """
        _files.save(self, path)

    def load(self, path: str | os.PathLike[str]) -> None:
        """Read parameters written by `save`; a corrupt or mismatched file raises ValueError and changes nothing.

        Weights saved from another architecture (say a tanh MLP loaded into a
        ReLU MLP of the same shape, or a MaxPool2d file into an AvgPool2d) are
        refused with both architectures named.
        """
        _files.load(self, path)

    @classmethod
    def from_file(cls: type[_M], path: str | os.PathLike[str]) -> _M:
        """The model saved in `path` by `save`, built with the recorded architecture and loaded with its weights.

        The architecture is read as data (never evaluated); files from before it
        was recorded are read from their `repr` with `ast`, accepting literals
        only.  A file without a valid architecture of this class (any module
        class for `Module.from_file`) raises ValueError.
        """
        model: _M = _files.from_file(path, cls)
        return model

    def __repr__(self) -> str:
        """The class and its `arguments()`: required ones by position, the others by name."""
        parameters = inspect.signature(type(self)).parameters
        shown = []
        for name, value in self.arguments().items():
            parameter = parameters.get(name)
            required = parameter is not None and parameter.default is inspect.Parameter.empty
            by_position = required and name not in self.named_in_repr
            shown.append(repr(value) if by_position else f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"


class BatchModule(Module):
    """Base of the layers called on a batch (a list of samples); calling one returns a batch of the same length."""

    def __call__(self, batch: Any) -> Batch:
        """The layer's output for every sample of `batch` (numbers are turned into input Values first)."""
        return self.forward(_as_batch(batch, type(self).__name__))

    def forward(self, batch: Batch) -> Batch:
        """The computation on a checked batch of Values; each subclass writes its own with engine ops."""
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")
