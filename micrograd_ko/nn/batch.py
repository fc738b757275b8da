"""The batch layers: Sequential, Residual, Linear, activation layers, Flatten, Dropout, BatchNorm1d and PReLU."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

import numpy as np

from micrograd_ko.autograd import Value
from micrograd_ko.autograd.checks import generator, positive_integer
from micrograd_ko.nn.functional import _linear_rows
from micrograd_ko.nn.module import Module, _check_layout, activation_function

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
        from micrograd_ko.interop.torch import to_torch  # torch is optional: import it only when asked

        return to_torch(self, dtype)

    @classmethod
    def from_torch(cls: type[_BM], module: Any) -> _BM:
        """This layer built from its `torch.nn` twin, weights (and running statistics) copied."""
        from micrograd_ko.interop.torch import module_from_torch

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
            out.append(_linear_rows(self.weight, tuple(sample), biases))
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
