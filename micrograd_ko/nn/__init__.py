"""Neurons, layers and networks built from `Value`s: the `nn` package, shaped like `torch.nn`.

A neuron computes act(w1*x1 + ... + wn*xn + b).  A layer is a list of
neurons that all see the same inputs; an MLP is a stack of layers.  Every
weight and bias is a `Value` with role 'parameter', so optimizers can find
and update them.

`parameters()` always lists them in the same order: for each layer, for each
neuron, its weights in input order, then its bias.  `state_dict()` is plain
JSON-able data laid out in that same order, and `save`/`load`/`from_file`
write and read it as JSON (never pickle), with the architecture recorded.

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

Parameters are laid out as PyTorch lays out the same layer's tensors, so
weights map one to one: `micrograd_ko.interop.torch` converts every module
to and from its `torch.nn` twin (`to_torch(module)`, `from_torch(torch_module)`).

One family per file:

- `module`: Module (parameters, modes, state, save/load/from_file) and BatchModule, and `side_input`, the hook
  by which Dropout and BatchNorm1d tell a tracer (compiled mode) what they read besides their inputs and
  parameters (a random mask, running or batch statistics) and how to compute it at every call;
- `dense`: Neuron, Layer, MLP (called on one sample);
- `containers`: Sequential, Residual;
- `linear`: Linear, Flatten;
- `activations`: ACTIVATIONS by name, ActivationLayer, ReLU, Tanh, Sigmoid, PReLU;
- `dropout`: Dropout;  `batchnorm`: BatchNorm1d;
- `conv`: Conv2d, MaxPool2d, AvgPool2d, output_size;
- `upsampling`: Upsample, ConvTranspose2d (images made larger, for generators and decoders);
- `recurrent`: RNNCell, LSTMCell, RNN, LSTM, unroll;
- `init`: init_weights, INITS;
- `utils`: clip_grad_norm_ (gradient clipping, as `torch.nn.utils.clip_grad_norm_`);
- `functional`: `linear`, the arithmetic the layers share;
- `_files` (internal): the file format, the atomic write, the architecture record and from_file;
- `_shapes` (internal): checking inputs and batches, shapes of nested lists, kernel-size pairs.
"""

from micrograd_ko.nn import functional
from micrograd_ko.nn._files import FILE_FORMAT, FILE_VERSION
from micrograd_ko.nn._shapes import shape_of
from micrograd_ko.nn.activations import (
    ACTIVATIONS,
    Activation,
    ActivationLayer,
    PReLU,
    ReLU,
    Sigmoid,
    Tanh,
    activation_function,
)
from micrograd_ko.nn.batchnorm import BatchNorm1d
from micrograd_ko.nn.containers import Residual, Sequential
from micrograd_ko.nn.conv import AvgPool2d, Conv2d, MaxPool2d, output_size
from micrograd_ko.nn.dense import MLP, Layer, Neuron
from micrograd_ko.nn.dropout import Dropout
from micrograd_ko.nn.init import INITS, init_weights
from micrograd_ko.nn.linear import Flatten, Linear
from micrograd_ko.nn.module import BatchModule, Module
from micrograd_ko.nn.recurrent import LSTM, RNN, LSTMCell, RecurrentModule, RNNCell, unroll
from micrograd_ko.nn.upsampling import ConvTranspose2d, Upsample
from micrograd_ko.nn.utils import clip_grad_norm_

__all__ = [
    "ACTIVATIONS",
    "FILE_FORMAT",
    "FILE_VERSION",
    "INITS",
    "LSTM",
    "MLP",
    "RNN",
    "Activation",
    "ActivationLayer",
    "AvgPool2d",
    "BatchModule",
    "BatchNorm1d",
    "Conv2d",
    "ConvTranspose2d",
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
    "Upsample",
    "activation_function",
    "clip_grad_norm_",
    "functional",
    "init_weights",
    "output_size",
    "shape_of",
    "unroll",
]
