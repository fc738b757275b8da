"""Neurons, layers and multi-layer perceptrons built from `Value`s: the `nn` package.

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
`micrograd_ko.interop.torch`); their parameters are laid out as PyTorch lays
out the same layer's tensors, so weights map one to one.

The package has one file per family: `module` (Module, files, activations by
name), `dense` (Neuron, Layer, MLP), `batch` (Sequential, Residual, Linear,
activation layers, Flatten, Dropout, BatchNorm1d, PReLU), `conv` (Conv2d,
pools) and `recurrent` (RNNCell, LSTMCell, RNN, LSTM); `functional` holds
`linear`, the arithmetic the dense, batch, conv and recurrent layers share.
"""

from micrograd_ko.nn import functional
from micrograd_ko.nn.batch import (
    INITS,
    ActivationLayer,
    BatchModule,
    BatchNorm1d,
    Dropout,
    Flatten,
    Linear,
    PReLU,
    ReLU,
    Residual,
    Sequential,
    Sigmoid,
    Tanh,
    init_weights,
    shape_of,
)
from micrograd_ko.nn.conv import AvgPool2d, Conv2d, MaxPool2d, output_size
from micrograd_ko.nn.dense import MLP, Layer, Neuron
from micrograd_ko.nn.module import ACTIVATIONS, FILE_FORMAT, FILE_VERSION, Activation, Module, activation_function
from micrograd_ko.nn.recurrent import LSTM, RNN, LSTMCell, RecurrentModule, RNNCell, unroll

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
    "functional",
    "init_weights",
    "output_size",
    "shape_of",
    "unroll",
]
