"""Every layer of nn compiles and gives eager mode's outputs and gradients (the random ones: test_side_inputs.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from micrograd_ko import nn
from micrograd_ko.autograd import Value
from micrograd_ko.compiler import trace
from micrograd_ko.compiler._samples import nest, output_list

Case = tuple[Callable[[Any], Any], tuple[int, ...], list[Value]]


def sequential(*modules: nn.Module) -> Case:
    """A per-sample function of a Sequential of layers, its sample's shape and its parameters."""
    model = nn.Sequential(*modules)
    return (lambda x: model([x])[0]), (), model.parameters()


def dense() -> Case:
    fn, _, params = sequential(
        nn.Linear(3, 4, seed=1),
        nn.Tanh(),
        nn.Linear(4, 4, seed=2),
        nn.Sigmoid(),
        nn.Linear(4, 3, seed=3),
        nn.PReLU(3),
        nn.ActivationLayer("elu"),
        nn.Residual(nn.Linear(3, 3, seed=4)),
    )
    return fn, (3,), params


def batchnorm_eval_and_dropout_eval() -> Case:
    model = nn.Sequential(nn.Linear(3, 4, seed=1), nn.BatchNorm1d(4), nn.Dropout(0.5, seed=0), nn.Linear(4, 2, seed=2))
    norm = model.modules[1]
    assert isinstance(norm, nn.BatchNorm1d)
    norm.running_mean, norm.running_var = [0.1, -0.2, 0.3, 0.0], [0.5, 2.0, 1.0, 0.25]
    model.eval()
    return (lambda x: model([x])[0]), (3,), model.parameters()


def conv_avgpool() -> Case:
    fn, _, params = sequential(
        nn.Conv2d(1, 2, 3, stride=2, padding=1, seed=1),
        nn.ReLU(),
        nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(8, 2, seed=2),
    )
    return fn, (1, 8, 8), params


def conv_maxpool_two_channels() -> Case:
    fn, _, params = sequential(nn.Conv2d(2, 3, 2, seed=1), nn.Tanh(), nn.MaxPool2d(2, stride=1), nn.Flatten())
    return fn, (2, 4, 4), params


def recurrent(kind: type[nn.RNN] | type[nn.LSTM]) -> Callable[[], Case]:
    def case() -> Case:
        layer = kind(2, 3, bidirectional=True, seed=0)
        return (lambda xs: [v for h in layer(xs)[0] for v in h]), (4, 2), layer.parameters()

    return case


CASES = {
    "linear, activations, PReLU, Residual": dense,
    "BatchNorm1d and Dropout in eval mode": batchnorm_eval_and_dropout_eval,
    "Conv2d (stride, padding), AvgPool2d, Flatten": conv_avgpool,
    "Conv2d on two channels, MaxPool2d": conv_maxpool_two_channels,
    "RNN, bidirectional": recurrent(nn.RNN),
    "LSTM, bidirectional": recurrent(nn.LSTM),
}


@pytest.mark.parametrize("make", CASES.values(), ids=list(CASES))
def test_a_layer_compiles_to_eager_modes_outputs_and_gradients(make: Callable[[], Case]) -> None:
    fn, shape, params = make()
    rng = np.random.default_rng(0)
    batch = rng.normal(size=(5, *shape))
    program = trace(fn, batch[0].tolist(), params)
    got = program(batch)
    grads = program.backward(reduction="sum", accumulate=False)
    for p in params:
        p.grad = 0.0
    eager = []
    for sample in batch:
        outputs = output_list(fn(nest([Value(v) for v in sample.ravel().tolist()], shape)), "fn")
        eager.append([v.data for v in outputs])
        Value.sum(outputs).backward()
    np.testing.assert_allclose(got.reshape(len(batch), -1), eager, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grads, [p.grad for p in params], rtol=1e-11, atol=1e-13)
