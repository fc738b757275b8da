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

from micrograd_ko import nn
from micrograd_ko.autograd import ops
from micrograd_ko.nn import MLP

__all__ = ["from_torch", "module_from_torch", "to_torch"]

INSTALL_HINT = "pip install torch  (or: pip install 'micrograd_ko[torch]')"

# activation name -> (torch.nn class name, keyword arguments that must match micrograd_ko's defaults)
_TORCH_ACTIVATIONS: dict[str, tuple[str, dict[str, float]]] = {
    op.name: (op.torch.module.name, dict(op.torch.module.settings))
    for op in ops.all_ops(builtin_only=True)
    if op.listed.activation and op.torch.module is not None
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


def to_torch(model: nn.Module, dtype: Any = None) -> Any:
    """An equivalent `torch.nn` module holding copies of `model`'s weights.

    An `MLP` becomes a `torch.nn.Sequential` of Linear layers and activations;
    a `Sequential` or a batch layer becomes its twin (see the section on batch
    layers below).  `dtype` defaults to torch.float64, the precision of
    micrograd_ko's floats.  The two models are independent afterwards: training
    one leaves the other unchanged (use `from_torch` to bring weights back).
    """
    torch = _torch("to_torch")
    if isinstance(model, nn.RecurrentModule):
        return _recurrent_to_torch(torch, model, torch.float64 if dtype is None else dtype)
    if isinstance(model, nn.BatchModule | nn.Layer):
        return _module_to_torch(torch, model, torch.float64 if dtype is None else dtype)
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


# =====================================================================================================================
# Sequential and the batch layers: one torch.nn twin per micrograd_ko.nn layer
# =====================================================================================================================
#
#   Sequential -> Sequential      Linear -> Linear             ActivationLayer -> ReLU, Tanh, ...
#   Conv2d -> Conv2d              MaxPool2d -> MaxPool2d       AvgPool2d -> AvgPool2d
#   Flatten -> Flatten            Dropout -> Dropout           BatchNorm1d -> BatchNorm1d (running stats too)
#   PReLU -> PReLU                Residual -> torch_residual() (x + module(x); torch has no such class)
#   Layer -> Sequential(Linear, activation)                    MLP -> Sequential (as to_torch above)
#
# Weights keep PyTorch's layout on both sides, so they are copied tensor by tensor; the training/eval mode is
# copied too.  module_from_torch reads the same modules back.

_RESIDUAL_CLASS: Any = None


def torch_residual() -> Any:
    """The `torch.nn.Module` class that computes x + module(x): the twin of `nn.Residual` (PyTorch has none)."""
    global _RESIDUAL_CLASS
    if _RESIDUAL_CLASS is None:
        torch = _torch("torch_residual")

        class Residual(torch.nn.Module):  # type: ignore[misc,name-defined]
            """x + module(x), the skip connection of a residual block."""

            def __init__(self, module: Any) -> None:
                super().__init__()
                self.module = module

            def forward(self, x: Any) -> Any:
                return x + self.module(x)

        _RESIDUAL_CLASS = Residual
    return _RESIDUAL_CLASS


def _copy(torch: ModuleType, target: Any, values: Any, dtype: Any) -> None:
    with torch.no_grad():
        target.copy_(torch.tensor(values, dtype=dtype))


def _module_to_torch(torch: ModuleType, module: nn.Module, dtype: Any) -> Any:
    twin = _twin(torch, module, dtype)
    twin.train(module.training)
    return twin


def _twin(torch: ModuleType, module: nn.Module, dtype: Any) -> Any:
    tnn = torch.nn
    if isinstance(module, nn.Sequential):
        return tnn.Sequential(*[_module_to_torch(torch, m, dtype) for m in module])
    if isinstance(module, nn.Residual):
        return torch_residual()(_module_to_torch(torch, module.module, dtype))
    if isinstance(module, MLP):
        return to_torch(module, dtype)
    if isinstance(module, nn.Layer):
        has_bias = module.neurons[0].b is not None
        linear = tnn.Linear(module.nin, module.nout, bias=has_bias, dtype=dtype)
        _copy(torch, linear.weight, [[w.data for w in n.w] for n in module.neurons], dtype)
        if has_bias:
            _copy(torch, linear.bias, [n.b.data for n in module.neurons if n.b is not None], dtype)
        activation = _activation_module(torch, module.activation, "to_torch")
        return linear if activation is None else tnn.Sequential(linear, activation)
    if isinstance(module, nn.Linear):
        linear = tnn.Linear(module.in_features, module.out_features, bias=module.bias is not None, dtype=dtype)
        _load_weight_and_bias(torch, linear, module.state_dict(), dtype)
        return linear
    if isinstance(module, nn.Conv2d):
        conv = tnn.Conv2d(
            module.in_channels,
            module.out_channels,
            module.kernel_size,
            stride=module.stride,
            padding=module.padding,
            bias=module.bias is not None,
            dtype=dtype,
        )
        _load_weight_and_bias(torch, conv, module.state_dict(), dtype)
        return conv
    if isinstance(module, nn.BatchNorm1d):
        norm = tnn.BatchNorm1d(module.num_features, eps=module.eps, momentum=module.momentum, dtype=dtype)
        state = module.state_dict()
        _load_weight_and_bias(torch, norm, state, dtype)
        _copy(torch, norm.running_mean, state["running_mean"], dtype)
        _copy(torch, norm.running_var, state["running_var"], dtype)
        return norm
    return _simple_twin(torch, module, dtype)


def _load_weight_and_bias(torch: ModuleType, target: Any, state: dict[str, Any], dtype: Any) -> None:
    _copy(torch, target.weight, state["weight"], dtype)
    if state["bias"] is not None:
        _copy(torch, target.bias, state["bias"], dtype)


def _simple_twin(torch: ModuleType, module: nn.Module, dtype: Any) -> Any:
    """The layers without weights (and PReLU, whose one weight vector needs no reshaping)."""
    tnn = torch.nn
    if isinstance(module, nn.ActivationLayer):
        return _activation_module(torch, module.name, "to_torch")
    if isinstance(module, nn.Flatten):
        return tnn.Flatten()
    if isinstance(module, nn.Dropout):
        return tnn.Dropout(module.p)
    if isinstance(module, nn.AvgPool2d):
        return tnn.AvgPool2d(module.kernel_size, stride=module.stride)
    if isinstance(module, nn.MaxPool2d):
        return tnn.MaxPool2d(module.kernel_size, stride=module.stride)
    if isinstance(module, nn.PReLU):
        twin = tnn.PReLU(module.num_parameters, init=module.init, dtype=dtype)
        _copy(torch, twin.weight, [a.data for a in module.weight], dtype)
        return twin
    if isinstance(module, nn.RecurrentModule):
        return _recurrent_to_torch(torch, module, dtype)
    raise TypeError(f"to_torch: {type(module).__name__} has no torch.nn twin")


def module_from_torch(module: Any) -> nn.Module:
    """The micrograd_ko.nn layer (or Sequential) equivalent to a `torch.nn` module, weights copied.

    Reads what `to_torch` writes for batch layers: Sequential, Linear, Conv2d
    (zero padding, no dilation or groups), MaxPool2d/AvgPool2d (no padding,
    floor mode), Flatten(), Dropout, BatchNorm1d (affine, with running
    statistics and a float momentum), PReLU, `torch_residual()` blocks and the
    activations of `to_torch` (as `nn.ActivationLayer`, or ReLU/Tanh/Sigmoid).  Anything else raises
    ValueError naming the module.  The training/eval mode is copied.
    """
    torch = _torch("from_torch")
    result = _from_twin(torch, module, "module")
    result.train(module.training)
    return result


def _floats(tensor: Any) -> Any:
    return tensor.detach().cpu().double().tolist()


def _refuse(module: Any, where: str, why: str) -> ValueError:
    return ValueError(f"from_torch: {where} ({module!r}) {why}")


def _from_twin(torch: ModuleType, module: Any, where: str) -> nn.Module:
    tnn = torch.nn
    if isinstance(module, tnn.Sequential):
        if len(module) == 0:
            raise _refuse(module, where, "is empty")
        return nn.Sequential(*[_from_twin(torch, m, f"{where}[{i}]") for i, m in enumerate(module)])
    if isinstance(module, torch_residual()):
        return nn.Residual(_from_twin(torch, module.module, f"{where}.module"))
    if isinstance(module, tnn.Linear):
        linear = nn.Linear(module.in_features, module.out_features, bias=module.bias is not None)
        linear.load_state_dict(_weight_and_bias(module))
        return linear
    if isinstance(module, tnn.Conv2d):
        return _conv_from_torch(module, where)
    if isinstance(module, tnn.BatchNorm1d):
        if not module.affine or not module.track_running_stats or module.momentum is None:
            raise _refuse(module, where, "must have affine=True, track_running_stats=True and a float momentum")
        norm = nn.BatchNorm1d(module.num_features, eps=module.eps, momentum=module.momentum)
        norm.load_state_dict(
            {
                **_weight_and_bias(module),
                "running_mean": _floats(module.running_mean),
                "running_var": _floats(module.running_var),
            }
        )
        return norm
    return _simple_from_twin(torch, module, where)


def _weight_and_bias(module: Any) -> dict[str, Any]:
    return {"weight": _floats(module.weight), "bias": None if module.bias is None else _floats(module.bias)}


def _conv_from_torch(module: Any, where: str) -> nn.Module:
    if isinstance(module.padding, str) or module.padding_mode != "zeros":
        raise _refuse(module, where, "must use numeric zero padding")
    if module.groups != 1 or tuple(module.dilation) != (1, 1):
        raise _refuse(module, where, "must have groups=1 and dilation=1")
    conv = nn.Conv2d(
        module.in_channels,
        module.out_channels,
        tuple(module.kernel_size),
        stride=tuple(module.stride),
        padding=tuple(module.padding),
        bias=module.bias is not None,
    )
    conv.load_state_dict(_weight_and_bias(module))
    return conv


def _pool_settings(module: Any, where: str) -> tuple[Any, Any]:
    if module.padding not in (0, (0, 0)) or module.ceil_mode:
        raise _refuse(module, where, "must have padding=0 and ceil_mode=False")
    if getattr(module, "dilation", 1) not in (1, (1, 1)) or getattr(module, "divisor_override", None) is not None:
        raise _refuse(module, where, "must have dilation=1 and no divisor_override")
    stride = module.stride if module.stride not in (None, ()) else module.kernel_size
    return module.kernel_size, stride


def _simple_from_twin(torch: ModuleType, module: Any, where: str) -> nn.Module:
    tnn = torch.nn
    if isinstance(module, tnn.Flatten):
        if module.start_dim != 1 or module.end_dim != -1:
            raise _refuse(module, where, "must flatten from dimension 1 to the end (Flatten())")
        return nn.Flatten()
    if isinstance(module, tnn.Dropout):
        return nn.Dropout(module.p)
    if isinstance(module, tnn.AvgPool2d):
        return nn.AvgPool2d(*_pool_settings(module, where))
    if isinstance(module, tnn.MaxPool2d):
        return nn.MaxPool2d(*_pool_settings(module, where))
    if isinstance(module, tnn.PReLU):
        twin = nn.PReLU(module.num_parameters)
        twin.load_state_dict({"weight": _floats(module.weight)})
        return twin
    for name, (class_name, settings) in _TORCH_ACTIVATIONS.items():
        if type(module) is getattr(tnn, class_name):
            for key, expected in settings.items():
                if getattr(module, key) != expected:
                    raise _refuse(module, where, f"has {key}={getattr(module, key)!r}; micrograd_ko uses {expected!r}")
            factory = _NAMED_ACTIVATIONS.get(name)
            return factory() if factory is not None else nn.ActivationLayer(name)
    recurrent = _recurrent_from_torch(torch, module, where)
    if recurrent is not None:
        return recurrent
    raise _refuse(module, where, "has no micrograd_ko.nn twin")


_NAMED_ACTIVATIONS: dict[str, Any] = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}


# =====================================================================================================================
# Recurrent modules: RNNCell -> RNNCell, LSTMCell -> LSTMCell, RNN -> RNN, LSTM -> LSTM (one layer, unbatched)
# =====================================================================================================================
#
# The cells' state dicts already use torch's names (weight_ih, weight_hh, bias_ih, bias_hh) and layout (gate rows
# stacked i, f, g, o for the LSTM), so each tensor is copied as is.  A one-layer torch.nn.RNN/LSTM names the same
# tensors weight_ih_l0, …, and the backward direction's weight_ih_l0_reverse, ….

_TENSORS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _copy_cell(torch: ModuleType, cell: nn.RNNCell | nn.LSTMCell, target: Any, suffix: str, dtype: Any) -> None:
    state = cell.state_dict()
    for key in _TENSORS:
        if state[key] is not None:
            _copy(torch, getattr(target, key + suffix), state[key], dtype)


def _recurrent_to_torch(torch: ModuleType, module: nn.Module, dtype: Any) -> Any:
    tnn = torch.nn
    if isinstance(module, nn.RNNCell | nn.LSTMCell):
        bias = module.bias_ih is not None
        if isinstance(module, nn.RNNCell):
            twin = tnn.RNNCell(
                module.input_size, module.hidden_size, bias=bias, nonlinearity=module.nonlinearity, dtype=dtype
            )
        else:
            twin = tnn.LSTMCell(module.input_size, module.hidden_size, bias=bias, dtype=dtype)
        _copy_cell(torch, module, twin, "", dtype)
        return twin
    if isinstance(module, nn.RNN | nn.LSTM):
        bias = module.cells[0].bias_ih is not None
        shape = {"bias": bias, "bidirectional": module.bidirectional, "dtype": dtype}
        if isinstance(module, nn.RNN):
            twin = tnn.RNN(module.input_size, module.hidden_size, nonlinearity=module.nonlinearity, **shape)
        else:
            twin = tnn.LSTM(module.input_size, module.hidden_size, **shape)
        for cell, suffix in zip(module.cells, ("_l0", "_l0_reverse")):
            assert isinstance(cell, nn.RNNCell | nn.LSTMCell)
            _copy_cell(torch, cell, twin, suffix, dtype)
        return twin
    raise TypeError(f"to_torch: {type(module).__name__} has no torch.nn twin")


def _cell_state(module: Any, suffix: str) -> dict[str, Any]:
    return {
        key: None if getattr(module, key + suffix, None) is None else _floats(getattr(module, key + suffix))
        for key in _TENSORS
    }


def _recurrent_from_torch(torch: ModuleType, module: Any, where: str) -> nn.Module | None:
    """The micrograd_ko twin of a torch RNNCell, LSTMCell, or one-layer RNN/LSTM; None for other modules."""
    tnn = torch.nn
    result: nn.RNNCell | nn.LSTMCell | nn.RNN | nn.LSTM
    if isinstance(module, tnn.RNNCell):
        result = nn.RNNCell(module.input_size, module.hidden_size, bias=module.bias, nonlinearity=module.nonlinearity)
        result.load_state_dict(_cell_state(module, ""))
        return result
    if isinstance(module, tnn.LSTMCell):
        result = nn.LSTMCell(module.input_size, module.hidden_size, bias=module.bias)
        result.load_state_dict(_cell_state(module, ""))
        return result
    if isinstance(module, tnn.RNN | tnn.LSTM):
        if module.num_layers != 1 or module.batch_first or module.dropout or getattr(module, "proj_size", 0):
            raise _refuse(module, where, "must have num_layers=1, batch_first=False, no dropout and no proj_size")
        if isinstance(module, tnn.LSTM):
            result = nn.LSTM(
                module.input_size, module.hidden_size, bias=module.bias, bidirectional=module.bidirectional
            )
        else:
            result = nn.RNN(
                module.input_size,
                module.hidden_size,
                bias=module.bias,
                nonlinearity=module.nonlinearity,
                bidirectional=module.bidirectional,
            )
        suffixes = ("_l0", "_l0_reverse")[: len(result.cells)]
        result.load_state_dict([_cell_state(module, suffix) for suffix in suffixes])
        return result
    return None
