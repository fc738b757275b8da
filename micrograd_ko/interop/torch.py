"""The bridge to PyTorch: every `micrograd_ko.nn` module and its `torch.nn` twin, weights copied both ways.

For learners who outgrow a scalar engine.  `to_torch(module)` builds the
twin, `from_torch(torch_module)` reads one back:

    MLP -> Sequential(Linear, act, Linear, act, ..., Linear [, output act])
    Layer -> Linear [+ act]       Linear -> Linear          Conv2d -> Conv2d
    ConvTranspose2d -> ConvTranspose2d                      Upsample -> Upsample (nearest)
    MaxPool2d, AvgPool2d, Flatten, Dropout, PReLU -> the same torch.nn classes
    BatchNorm1d -> BatchNorm1d (running statistics too)
    ActivationLayer, ReLU, Tanh, Sigmoid -> ReLU, Tanh, Sigmoid, LeakyReLU, ELU, Softplus
    RNNCell, LSTMCell, RNN, LSTM -> the same (one layer, unbatched)
    Sequential -> Sequential      Residual -> a torch module computing x + module(x) (torch has no such class)

Both sides keep PyTorch's layout (a neuron's weights are a row of the Linear
layer's `weight`), so tensors are copied as they are, and the training/eval
mode is copied too.  Each micrograd_ko class has one converter, registered
with `functools.singledispatch`; each torch class one reader, registered by
name.  Values are Python floats (IEEE double), so the torch side is float64
by default; then both compute the same numbers up to rounding (~1e-16
relative).  PyTorch stays optional: it is imported only when a function here
is called, and its absence raises an ImportError that says how to install it.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from types import ModuleType
from typing import Any

from micrograd_ko import nn
from micrograd_ko.autograd import ops
from micrograd_ko.nn.activations import activation_layer

__all__ = ["from_torch", "to_torch"]

INSTALL_HINT = "pip install torch  (or: pip install 'micrograd_ko[torch]')"
"""How to install PyTorch, quoted when it is missing."""

# activation name -> (torch.nn class name, keyword arguments that must match micrograd_ko's defaults)
_TORCH_ACTIVATIONS: dict[str, tuple[str, dict[str, float]]] = {
    op.name: (op.torch.module.name, dict(op.torch.module.settings))
    for op in ops.all_ops(builtin_only=True)
    if op.listed.activation and op.torch.module is not None
}

_TENSORS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
_DIRECTIONS = ("_l0", "_l0_reverse")  # a one-layer torch.nn.RNN/LSTM's suffixes of the forward and backward cell


def _torch(caller: str) -> ModuleType:
    try:
        return importlib.import_module("torch")
    except ImportError as error:
        raise ImportError(f"{caller} needs PyTorch, which is not installed: {INSTALL_HINT}") from error


@functools.cache
def _residual_class(torch: ModuleType) -> Any:
    """The torch module class that computes x + module(x): the twin of `nn.Residual` (PyTorch has none)."""

    class Residual(torch.nn.Module):  # type: ignore[misc,name-defined]
        """x + module(x), the skip connection of a residual block."""

        def __init__(self, module: Any) -> None:
            super().__init__()
            self.module = module

        def forward(self, x: Any) -> Any:
            return x + self.module(x)

    return Residual


# =====================================================================================================================
# to_torch: one converter per micrograd_ko class
# =====================================================================================================================


def to_torch(module: nn.Module, dtype: Any = None) -> Any:
    """The `torch.nn` twin of `module`, holding copies of its weights (and its training/eval mode).

    `dtype` defaults to torch.float64, the precision of micrograd_ko's floats.
    The two models are independent afterwards: training one leaves the other
    unchanged (use `from_torch` to bring weights back).  A module without a
    twin (Neuron, or an activation like 'step' that torch lacks) raises.
    """
    torch = _torch("to_torch")
    if not isinstance(module, nn.Module):
        raise TypeError(f"to_torch: module must be a micrograd_ko.nn Module, got {type(module).__name__}")
    return _twin(module, torch, torch.float64 if dtype is None else dtype)


def _twin(module: nn.Module, torch: ModuleType, dtype: Any) -> Any:
    twin = _convert(module, torch, dtype)
    twin.train(module.training)
    return twin


@functools.singledispatch
def _convert(module: nn.Module, torch: ModuleType, dtype: Any) -> Any:
    raise TypeError(f"to_torch: module must be a module with a torch.nn twin, got {type(module).__name__}")


def _copy(torch: ModuleType, target: Any, values: Any, dtype: Any) -> None:
    with torch.no_grad():
        target.copy_(torch.tensor(values, dtype=dtype))


def _copy_weight_and_bias(torch: ModuleType, target: Any, state: dict[str, Any], dtype: Any) -> None:
    _copy(torch, target.weight, state["weight"], dtype)
    if state["bias"] is not None:
        _copy(torch, target.bias, state["bias"], dtype)


def _activation_module(torch: ModuleType, name: str | None) -> Any:
    """The torch.nn module of the activation `name` (None for none); ValueError when torch has none alike."""
    if name is None or name == "linear":
        return None
    if name not in _TORCH_ACTIVATIONS:
        raise ValueError(
            f"to_torch: activation must be one with a torch.nn equivalent of the same gradient "
            f"({', '.join(_TORCH_ACTIVATIONS)} or None), got {name!r}"
        )
    class_name, settings = _TORCH_ACTIVATIONS[name]
    return getattr(torch.nn, class_name)(**settings)


def _layer_parts(layer: nn.Layer, torch: ModuleType, dtype: Any) -> list[Any]:
    """[Linear] or [Linear, activation]: a Layer's neurons as the rows of one torch Linear."""
    has_bias = layer.neurons[0].b is not None
    linear = torch.nn.Linear(layer.nin, layer.nout, bias=has_bias, dtype=dtype)
    _copy(torch, linear.weight, [[w.data for w in n.w] for n in layer.neurons], dtype)
    if has_bias:
        _copy(torch, linear.bias, [n.b.data for n in layer.neurons if n.b is not None], dtype)
    activation = _activation_module(torch, layer.activation)
    return [linear] if activation is None else [linear, activation]


@_convert.register(nn.MLP)
def _mlp(module: nn.MLP, torch: ModuleType, dtype: Any) -> Any:
    return torch.nn.Sequential(*[part for layer in module.layers for part in _layer_parts(layer, torch, dtype)])


@_convert.register(nn.Layer)
def _layer(module: nn.Layer, torch: ModuleType, dtype: Any) -> Any:
    parts = _layer_parts(module, torch, dtype)
    return parts[0] if len(parts) == 1 else torch.nn.Sequential(*parts)


@_convert.register(nn.Sequential)
def _sequential(module: nn.Sequential, torch: ModuleType, dtype: Any) -> Any:
    return torch.nn.Sequential(*[_twin(m, torch, dtype) for m in module])


@_convert.register(nn.Residual)
def _residual(module: nn.Residual, torch: ModuleType, dtype: Any) -> Any:
    return _residual_class(torch)(_twin(module.module, torch, dtype))


@_convert.register(nn.Linear)
def _linear(module: nn.Linear, torch: ModuleType, dtype: Any) -> Any:
    linear = torch.nn.Linear(module.in_features, module.out_features, bias=module.bias is not None, dtype=dtype)
    _copy_weight_and_bias(torch, linear, module.state_dict(), dtype)
    return linear


@_convert.register(nn.Conv2d)
def _conv2d(module: nn.Conv2d, torch: ModuleType, dtype: Any) -> Any:
    conv = torch.nn.Conv2d(
        module.in_channels,
        module.out_channels,
        module.kernel_size,
        stride=module.stride,
        padding=module.padding,
        bias=module.bias is not None,
        dtype=dtype,
    )
    _copy_weight_and_bias(torch, conv, module.state_dict(), dtype)
    return conv


@_convert.register(nn.ConvTranspose2d)
def _conv_transpose2d(module: nn.ConvTranspose2d, torch: ModuleType, dtype: Any) -> Any:
    conv = torch.nn.ConvTranspose2d(
        module.in_channels,
        module.out_channels,
        module.kernel_size,
        stride=module.stride,
        padding=module.padding,
        output_padding=module.output_padding,
        bias=module.bias is not None,
        dtype=dtype,
    )
    _copy_weight_and_bias(torch, conv, module.state_dict(), dtype)
    return conv


@_convert.register(nn.Upsample)
def _upsample(module: nn.Upsample, torch: ModuleType, dtype: Any) -> Any:
    return torch.nn.Upsample(size=module.size, scale_factor=module.scale_factor, mode=module.mode)


@_convert.register(nn.BatchNorm1d)
def _batchnorm(module: nn.BatchNorm1d, torch: ModuleType, dtype: Any) -> Any:
    norm = torch.nn.BatchNorm1d(module.num_features, eps=module.eps, momentum=module.momentum, dtype=dtype)
    state = module.state_dict()
    _copy_weight_and_bias(torch, norm, state, dtype)
    _copy(torch, norm.running_mean, state["running_mean"], dtype)
    _copy(torch, norm.running_var, state["running_var"], dtype)
    return norm


@_convert.register(nn.ActivationLayer)
def _activation(module: nn.ActivationLayer, torch: ModuleType, dtype: Any) -> Any:
    return _activation_module(torch, module.name)


@_convert.register(nn.Flatten)
def _flatten(module: nn.Flatten, torch: ModuleType, dtype: Any) -> Any:
    return torch.nn.Flatten()


@_convert.register(nn.Dropout)
def _dropout(module: nn.Dropout, torch: ModuleType, dtype: Any) -> Any:
    return torch.nn.Dropout(module.p)


@_convert.register(nn.AvgPool2d)
def _avgpool(module: nn.AvgPool2d, torch: ModuleType, dtype: Any) -> Any:
    return torch.nn.AvgPool2d(module.kernel_size, stride=module.stride)


@_convert.register(nn.MaxPool2d)
def _maxpool(module: nn.MaxPool2d, torch: ModuleType, dtype: Any) -> Any:
    return torch.nn.MaxPool2d(module.kernel_size, stride=module.stride)


@_convert.register(nn.PReLU)
def _prelu(module: nn.PReLU, torch: ModuleType, dtype: Any) -> Any:
    twin = torch.nn.PReLU(module.num_parameters, init=module.init, dtype=dtype)
    _copy(torch, twin.weight, [a.data for a in module.weight], dtype)
    return twin


def _copy_cell(torch: ModuleType, cell: nn.RNNCell | nn.LSTMCell, target: Any, suffix: str, dtype: Any) -> None:
    # the cells' state dicts already use torch's names and layout (gate rows stacked i, f, g, o for the LSTM)
    state = cell.state_dict()
    for key in _TENSORS:
        if state[key] is not None:
            _copy(torch, getattr(target, key + suffix), state[key], dtype)


@_convert.register(nn.RNNCell)
def _rnn_cell(module: nn.RNNCell, torch: ModuleType, dtype: Any) -> Any:
    bias = module.bias_ih is not None
    twin = torch.nn.RNNCell(
        module.input_size, module.hidden_size, bias=bias, nonlinearity=module.nonlinearity, dtype=dtype
    )
    _copy_cell(torch, module, twin, "", dtype)
    return twin


@_convert.register(nn.LSTMCell)
def _lstm_cell(module: nn.LSTMCell, torch: ModuleType, dtype: Any) -> Any:
    twin = torch.nn.LSTMCell(module.input_size, module.hidden_size, bias=module.bias_ih is not None, dtype=dtype)
    _copy_cell(torch, module, twin, "", dtype)
    return twin


def _copy_directions(torch: ModuleType, module: nn.RNN | nn.LSTM, twin: Any, dtype: Any) -> Any:
    for cell, suffix in zip(module.cells, _DIRECTIONS):
        assert isinstance(cell, nn.RNNCell | nn.LSTMCell)
        _copy_cell(torch, cell, twin, suffix, dtype)
    return twin


@_convert.register(nn.RNN)
def _rnn(module: nn.RNN, torch: ModuleType, dtype: Any) -> Any:
    shape = {"bias": module.cells[0].bias_ih is not None, "bidirectional": module.bidirectional, "dtype": dtype}
    twin = torch.nn.RNN(module.input_size, module.hidden_size, nonlinearity=module.nonlinearity, **shape)
    return _copy_directions(torch, module, twin, dtype)


@_convert.register(nn.LSTM)
def _lstm(module: nn.LSTM, torch: ModuleType, dtype: Any) -> Any:
    shape = {"bias": module.cells[0].bias_ih is not None, "bidirectional": module.bidirectional, "dtype": dtype}
    twin = torch.nn.LSTM(module.input_size, module.hidden_size, **shape)
    return _copy_directions(torch, module, twin, dtype)


# =====================================================================================================================
# from_torch: one reader per torch.nn class
# =====================================================================================================================

Reader = Callable[[ModuleType, Any, str], nn.Module]
_READERS: dict[str, Reader] = {}


def _reads(class_name: str) -> Callable[[Reader], Reader]:
    """Register a reader for the torch.nn class of that name (resolved when torch is first imported)."""

    def register(reader: Reader) -> Reader:
        _READERS[class_name] = reader
        return reader

    return register


def from_torch(torch_module: Any) -> nn.Module:
    """The micrograd_ko.nn module equivalent to a `torch.nn` module, weights (and running statistics) copied.

    Reads what `to_torch` writes.  A `torch.nn.Sequential` of Linear layers,
    each optionally followed by one activation (ReLU, Tanh, Sigmoid,
    LeakyReLU(0.01), ELU(1.0), Softplus(beta=1) or Identity), the hidden ones
    all alike and all with a bias or none, becomes an `MLP`; any other
    Sequential becomes an `nn.Sequential` of its modules' twins.  Linear,
    Conv2d and ConvTranspose2d (zero padding, no dilation or groups),
    Upsample (nearest, a size or a whole scale factor), MaxPool2d/AvgPool2d (no
    padding, floor mode), Flatten(), Dropout, BatchNorm1d (affine, with running
    statistics and a float momentum), PReLU, the activations, the residual
    blocks of `to_torch`, RNNCell, LSTMCell and one-layer RNN/LSTM are read one
    to one.  Anything else raises ValueError naming the module; non-finite
    weights raise ValueError too.  The training/eval mode is copied.
    """
    torch = _torch("from_torch")
    return _read(torch, torch_module, "module")


def _read(torch: ModuleType, module: Any, where: str) -> nn.Module:
    readers = _readers(torch)
    for klass in type(module).__mro__:
        if klass in readers:
            result = readers[klass](torch, module, where)
            result.train(module.training)
            return result
    raise _refuse(module, where, "has no micrograd_ko.nn twin")


@functools.cache
def _readers(torch: ModuleType) -> dict[type, Reader]:
    readers: dict[type, Reader] = {getattr(torch.nn, name): reader for name, reader in _READERS.items()}
    readers[_residual_class(torch)] = _read_residual
    for class_name, _ in _TORCH_ACTIVATIONS.values():
        readers[getattr(torch.nn, class_name)] = _read_activation
    return readers


def _refuse(module: Any, where: str, why: str) -> ValueError:
    return ValueError(f"from_torch: {where} ({module!r}) {why}")


def _floats(tensor: Any) -> Any:
    return tensor.detach().cpu().double().tolist()


def _weight_and_bias(module: Any) -> dict[str, Any]:
    return {"weight": _floats(module.weight), "bias": None if module.bias is None else _floats(module.bias)}


def _activation_name(torch: ModuleType, module: Any, where: str) -> str | None:
    """The micrograd_ko name of a torch activation module (None: not one); its settings must be micrograd_ko's."""
    for name, (class_name, settings) in _TORCH_ACTIVATIONS.items():
        if type(module) is getattr(torch.nn, class_name):
            for key, expected in settings.items():
                if getattr(module, key) != expected:
                    raise _refuse(
                        module,
                        where,
                        f"has {key}={getattr(module, key)!r}; micrograd_ko's {name} uses {key}={expected!r}",
                    )
            return name
    return None


def _read_activation(torch: ModuleType, module: Any, where: str) -> nn.Module:
    name = _activation_name(torch, module, where)
    if name is None:  # a subclass of an activation class, with behaviour of its own
        raise _refuse(module, where, "has no micrograd_ko.nn twin")
    return activation_layer(name)


def _read_residual(torch: ModuleType, module: Any, where: str) -> nn.Module:
    return nn.Residual(_read(torch, module.module, f"{where}.module"))


@_reads("Sequential")
def _read_sequential(torch: ModuleType, module: Any, where: str) -> nn.Module:
    if len(module) == 0:
        raise _refuse(module, where, "is empty: there is no Linear layer or other module to read")
    stack = _mlp_stack(torch, module, where)
    if stack is not None:
        return _mlp_from_stack(torch, stack)
    return nn.Sequential(*[_read(torch, m, f"{where}[{i}]") for i, m in enumerate(module)])


def _mlp_stack(torch: ModuleType, sequential: Any, where: str) -> list[tuple[Any, str | None]] | None:
    """(Linear, activation name or None) pairs when the Sequential is an MLP; None when it is another stack.

    Linear layers whose sizes do not chain, and activations whose settings are not micrograd_ko's, raise.
    """
    pairs: list[tuple[Any, str | None]] = []
    for index, module in enumerate(sequential):
        at = f"{where}[{index}]"
        if isinstance(module, torch.nn.Linear):
            if pairs and pairs[-1][0].out_features != module.in_features:
                raise _refuse(
                    module,
                    at,
                    f"takes {module.in_features} inputs but the layer before gives {pairs[-1][0].out_features}",
                )
            pairs.append((module, None))
            continue
        name = "linear" if isinstance(module, torch.nn.Identity) else _activation_name(torch, module, at)
        if name is None or not pairs or pairs[-1][1] is not None:
            return None  # not an activation, or not right after a Linear layer
        pairs[-1] = (pairs[-1][0], name)
    named = [(linear, None if name == "linear" else name) for linear, name in pairs]
    alike = len({name for _, name in named[:-1]}) <= 1 and len({linear.bias is None for linear, _ in named}) == 1
    return named if alike else None


def _mlp_from_stack(torch: ModuleType, pairs: list[tuple[Any, str | None]]) -> nn.Module:
    hidden = pairs[0][1] if len(pairs) > 1 else "relu"
    model = nn.MLP(
        pairs[0][0].in_features,
        [linear.out_features for linear, _ in pairs],
        activation=hidden,
        output_activation=pairs[-1][1],
        bias=pairs[0][0].bias is not None,
    )
    state = []
    for linear, _ in pairs:
        weight = _floats(linear.weight)
        bias = _floats(linear.bias) if linear.bias is not None else [None] * len(weight)
        state.append([{"w": row, "b": b} for row, b in zip(weight, bias)])
    model.load_state_dict(state)  # refuses NaN and infinite weights
    return model


@_reads("Linear")
def _read_linear(torch: ModuleType, module: Any, where: str) -> nn.Module:
    linear = nn.Linear(module.in_features, module.out_features, bias=module.bias is not None)
    linear.load_state_dict(_weight_and_bias(module))
    return linear


@_reads("Conv2d")
def _read_conv2d(torch: ModuleType, module: Any, where: str) -> nn.Module:
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


@_reads("ConvTranspose2d")
def _read_conv_transpose2d(torch: ModuleType, module: Any, where: str) -> nn.Module:
    if module.padding_mode != "zeros" or module.groups != 1 or tuple(module.dilation) != (1, 1):
        raise _refuse(module, where, "must use zero padding, groups=1 and dilation=1")
    conv = nn.ConvTranspose2d(
        module.in_channels,
        module.out_channels,
        tuple(module.kernel_size),
        stride=tuple(module.stride),
        padding=tuple(module.padding),
        output_padding=tuple(module.output_padding),
        bias=module.bias is not None,
    )
    conv.load_state_dict(_weight_and_bias(module))
    return conv


@_reads("Upsample")
def _read_upsample(torch: ModuleType, module: Any, where: str) -> nn.Module:
    scale = module.scale_factor
    scales = scale if isinstance(scale, tuple) else (scale, scale)
    whole = scale is None or all(float(f).is_integer() for f in scales)
    if module.mode != "nearest" or module.align_corners or module.recompute_scale_factor or not whole:
        raise _refuse(module, where, "must be mode='nearest' with a size or a whole scale factor")
    factor = None if scale is None else (int(scales[0]), int(scales[1]))
    return nn.Upsample(size=module.size, scale_factor=factor, mode="nearest")


@_reads("BatchNorm1d")
def _read_batchnorm(torch: ModuleType, module: Any, where: str) -> nn.Module:
    if not module.affine or not module.track_running_stats or module.momentum is None:
        raise _refuse(module, where, "must have affine=True, track_running_stats=True and a float momentum")
    norm = nn.BatchNorm1d(module.num_features, eps=module.eps, momentum=module.momentum)
    statistics = {"running_mean": _floats(module.running_mean), "running_var": _floats(module.running_var)}
    norm.load_state_dict({**_weight_and_bias(module), **statistics})
    return norm


@_reads("Flatten")
def _read_flatten(torch: ModuleType, module: Any, where: str) -> nn.Module:
    if module.start_dim != 1 or module.end_dim != -1:
        raise _refuse(module, where, "must flatten from dimension 1 to the end (Flatten())")
    return nn.Flatten()


@_reads("Dropout")
def _read_dropout(torch: ModuleType, module: Any, where: str) -> nn.Module:
    return nn.Dropout(module.p)


def _pool_settings(module: Any, where: str) -> tuple[Any, Any]:
    if module.padding not in (0, (0, 0)) or module.ceil_mode:
        raise _refuse(module, where, "must have padding=0 and ceil_mode=False")
    if getattr(module, "dilation", 1) not in (1, (1, 1)) or getattr(module, "divisor_override", None) is not None:
        raise _refuse(module, where, "must have dilation=1 and no divisor_override")
    stride = module.stride if module.stride not in (None, ()) else module.kernel_size
    return module.kernel_size, stride


@_reads("AvgPool2d")
def _read_avgpool(torch: ModuleType, module: Any, where: str) -> nn.Module:
    return nn.AvgPool2d(*_pool_settings(module, where))


@_reads("MaxPool2d")
def _read_maxpool(torch: ModuleType, module: Any, where: str) -> nn.Module:
    return nn.MaxPool2d(*_pool_settings(module, where))


@_reads("PReLU")
def _read_prelu(torch: ModuleType, module: Any, where: str) -> nn.Module:
    twin = nn.PReLU(module.num_parameters)
    twin.load_state_dict({"weight": _floats(module.weight)})
    return twin


def _cell_state(module: Any, suffix: str) -> dict[str, Any]:
    return {
        key: None if getattr(module, key + suffix, None) is None else _floats(getattr(module, key + suffix))
        for key in _TENSORS
    }


@_reads("RNNCell")
def _read_rnn_cell(torch: ModuleType, module: Any, where: str) -> nn.Module:
    cell = nn.RNNCell(module.input_size, module.hidden_size, bias=module.bias, nonlinearity=module.nonlinearity)
    cell.load_state_dict(_cell_state(module, ""))
    return cell


@_reads("LSTMCell")
def _read_lstm_cell(torch: ModuleType, module: Any, where: str) -> nn.Module:
    cell = nn.LSTMCell(module.input_size, module.hidden_size, bias=module.bias)
    cell.load_state_dict(_cell_state(module, ""))
    return cell


def _one_layer(module: Any, where: str) -> None:
    if module.num_layers != 1 or module.batch_first or module.dropout or getattr(module, "proj_size", 0):
        raise _refuse(module, where, "must have num_layers=1, batch_first=False, no dropout and no proj_size")


@_reads("RNN")
def _read_rnn(torch: ModuleType, module: Any, where: str) -> nn.Module:
    _one_layer(module, where)
    rnn = nn.RNN(
        module.input_size,
        module.hidden_size,
        bias=module.bias,
        nonlinearity=module.nonlinearity,
        bidirectional=module.bidirectional,
    )
    rnn.load_state_dict([_cell_state(module, suffix) for suffix in _DIRECTIONS[: len(rnn.cells)]])
    return rnn


@_reads("LSTM")
def _read_lstm(torch: ModuleType, module: Any, where: str) -> nn.Module:
    _one_layer(module, where)
    lstm = nn.LSTM(module.input_size, module.hidden_size, bias=module.bias, bidirectional=module.bidirectional)
    lstm.load_state_dict([_cell_state(module, suffix) for suffix in _DIRECTIONS[: len(lstm.cells)]])
    return lstm
