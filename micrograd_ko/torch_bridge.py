"""The bridge to PyTorch: the same network as an `MLP` and as a `torch.nn.Sequential`.

For learners who outgrow a scalar engine.  `to_torch(mlp)` builds

    Linear(nin, n1) -> act -> Linear(n1, n2) -> act -> ... -> Linear(.., n_last) [-> output act]

with the MLP's weights copied in, and `from_torch(sequential)` reads such a
stack back into an `MLP`.  A neuron's weights are a row of the Linear layer's
`weight` matrix (out_features x in_features) and its bias an entry of `bias`,
so `MLP.parameters()` order (per neuron, weights then bias) reads the
matrices row by row.

Values are Python floats (IEEE double), so the torch side is float64 by
default; then both compute the same numbers up to rounding (~1e-16 relative).
PyTorch stays optional: it is imported only when a function here is called,
and its absence raises an ImportError that says how to install it.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from micrograd_ko import ops
from micrograd_ko.nn import MLP

__all__ = ["from_torch", "to_torch"]

INSTALL_HINT = "pip install torch  (or: pip install 'micrograd_ko[torch]')"

# activation name -> (torch.nn class name, keyword arguments that must match micrograd_ko's defaults)
_TORCH_ACTIVATIONS: dict[str, tuple[str, dict[str, float]]] = {
    op.name: (op.torch_module.name, dict(op.torch_module.settings))
    for op in ops.all_ops(builtin_only=True)
    if op.activation and op.torch_module is not None
}


def _torch(caller: str) -> ModuleType:
    try:
        return importlib.import_module("torch")
    except ImportError as error:
        raise ImportError(f"{caller} needs PyTorch, which is not installed: {INSTALL_HINT}") from error


def _activation_module(torch: ModuleType, name: str | None, caller: str) -> Any:
    if name is None or name == "linear":
        return None
    if name not in _TORCH_ACTIVATIONS:
        raise ValueError(
            f"{caller}: activation {name!r} has no torch.nn equivalent with the same gradient; "
            f"supported: {', '.join(_TORCH_ACTIVATIONS)} or None"
        )
    class_name, settings = _TORCH_ACTIVATIONS[name]
    return getattr(torch.nn, class_name)(**settings)


def to_torch(model: MLP, dtype: Any = None) -> Any:
    """An equivalent `torch.nn.Sequential` holding copies of `model`'s weights.

    `dtype` defaults to torch.float64, the precision of micrograd_ko's floats.
    The two models are independent afterwards: training one leaves the other
    unchanged (use `from_torch` to bring weights back).
    """
    torch = _torch("to_torch")
    if not isinstance(model, MLP):
        raise TypeError(f"to_torch: expected an MLP, got {type(model).__name__}")
    dtype = torch.float64 if dtype is None else dtype
    modules: list[Any] = []
    last = len(model.layers) - 1
    for i, layer in enumerate(model.layers):
        has_bias = layer.neurons[0].b is not None
        linear = torch.nn.Linear(layer.nin, layer.nout, bias=has_bias, dtype=dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=dtype))
            if has_bias:
                linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons if n.b is not None], dtype=dtype))
        modules.append(linear)
        activation = _activation_module(torch, model.output_activation if i == last else model.activation, "to_torch")
        if activation is not None:
            modules.append(activation)
    return torch.nn.Sequential(*modules)


def _activation_name(torch: ModuleType, module: Any, index: int) -> str | None:
    if isinstance(module, torch.nn.Identity):
        return None
    for name, (class_name, settings) in _TORCH_ACTIVATIONS.items():
        if type(module) is getattr(torch.nn, class_name):
            for key, expected in settings.items():
                if getattr(module, key) != expected:
                    raise ValueError(
                        f"from_torch: module {index} ({module!r}) has {key}={getattr(module, key)!r}; "
                        f"micrograd_ko's {name} uses {key}={expected!r}"
                    )
            return name
    supported = ", ".join(class_name for class_name, _ in _TORCH_ACTIVATIONS.values())
    raise ValueError(
        f"from_torch: module {index} ({module!r}) is not supported; expected Linear layers, each optionally "
        f"followed by one of {supported} or Identity"
    )


def _read_stack(torch: ModuleType, sequential: Any) -> list[tuple[Any, str | None]]:
    """Split the Sequential into (Linear, activation name or None) pairs, checking the shapes chain."""
    pairs: list[tuple[Any, str | None]] = []
    for index, module in enumerate(sequential):
        if isinstance(module, torch.nn.Linear):
            if pairs and pairs[-1][0].out_features != module.in_features:
                raise ValueError(
                    f"from_torch: module {index} ({module!r}) takes {module.in_features} inputs but the layer "
                    f"before gives {pairs[-1][0].out_features}"
                )
            pairs.append((module, None))
        elif not pairs:
            raise ValueError(f"from_torch: module {index} ({module!r}) comes before any Linear layer")
        elif pairs[-1][1] is not None:
            raise ValueError(f"from_torch: module {index} ({module!r}) is a second activation after one Linear layer")
        else:
            pairs[-1] = (pairs[-1][0], _activation_name(torch, module, index))
    if not pairs:
        raise ValueError("from_torch: the Sequential holds no Linear layer")
    return pairs


def from_torch(sequential: Any) -> MLP:
    """An `MLP` with the weights of a `torch.nn.Sequential` of Linear layers and activations.

    Accepted: Linear layers, each optionally followed by one activation
    (ReLU, Tanh, Sigmoid, LeakyReLU(0.01), ELU(1.0), Softplus(beta=1) or
    Identity); every hidden layer with the same activation, and all layers
    with a bias or none.  Anything else raises ValueError naming the module.
    """
    torch = _torch("from_torch")
    if not isinstance(sequential, torch.nn.Sequential):
        raise TypeError(f"from_torch: expected a torch.nn.Sequential, got {type(sequential).__name__}")
    pairs = _read_stack(torch, sequential)
    hidden = {activation for _, activation in pairs[:-1]}
    if len(hidden) > 1:
        raise ValueError(
            f"from_torch: hidden layers use different activations {sorted(map(str, hidden))}; an MLP uses one"
        )
    biases = {linear.bias is not None for linear, _ in pairs}
    if len(biases) > 1:
        raise ValueError("from_torch: some Linear layers have a bias and some do not; an MLP uses one choice for all")
    model = MLP(
        pairs[0][0].in_features,
        [linear.out_features for linear, _ in pairs],
        activation=hidden.pop() if hidden else "relu",
        output_activation=pairs[-1][1],
        bias=biases.pop(),
    )
    state = []
    for linear, _ in pairs:
        weight = linear.weight.detach().to(torch.float64).tolist()
        bias = linear.bias.detach().to(torch.float64).tolist() if linear.bias is not None else [None] * len(weight)
        state.append([{"w": row, "b": b} for row, b in zip(weight, bias)])
    model.load_state_dict(state)  # refuses NaN and infinite weights
    return model
