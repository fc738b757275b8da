"""The activation layers (ActivationLayer, ReLU, Tanh, Sigmoid) and PReLU, whose slopes are learned."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _layer_checks import compare_with_torch, flat, gradcheck_layer, random_images

from micrograd_ko import Value, nn

# ---- activation layers -----------------------------------------------------------------------------------------------


def test_activation_layers_apply_element_by_element() -> None:
    images = random_images(1, 2, 2, 2)
    out = nn.Tanh()(images)
    np.testing.assert_allclose([v.data for v in flat(out)], np.tanh(images).ravel())
    with pytest.raises(ValueError, match=r"ActivationLayer: name must be one of 'relu', 'tanh', .*, got 'swish'"):
        nn.ActivationLayer("swish")


def test_activation_layer_lists_only_the_names_it_accepts() -> None:
    with pytest.raises(ValueError) as caught:
        nn.ActivationLayer("gelu")
    message = str(caught.value)
    assert message.startswith("ActivationLayer: name must be one of 'relu', 'tanh', 'sigmoid', ")
    assert "got 'gelu'" in message and "linear" not in message and "None" not in message
    with pytest.raises(TypeError, match=r"ActivationLayer: name must be one of 'relu'.*, got None \(for no activation"):
        nn.ActivationLayer(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"ActivationLayer: name must be one of .*got 'linear' \(for no activation"):
        nn.ActivationLayer("linear")
    with pytest.raises(TypeError, match=r"ActivationLayer: name must be one of 'relu', .*, got 3$"):
        nn.ActivationLayer(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Neuron: activation must be one of 'relu', .*'linear' or None, got 3$"):
        nn.Neuron(2, activation=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"Layer: activation must be one of 'relu', .*, got 'gelu'"):
        nn.Layer(2, 2, activation="gelu")


def test_activation_layers_repr_and_apply_their_own_function() -> None:
    layers = [nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.ActivationLayer("elu"), nn.ActivationLayer("sigmoid")]
    assert [repr(layer) for layer in layers] == [
        "ReLU()",
        "Tanh()",
        "Sigmoid()",
        "ActivationLayer('elu')",
        "ActivationLayer('sigmoid')",
    ]
    x = [-1.5, 0.25]
    expected = [
        [0.0, 0.25],
        np.tanh(x).tolist(),
        (1 / (1 + np.exp(-np.array(x)))).tolist(),
        [np.expm1(-1.5), 0.25],
        (1 / (1 + np.exp(-np.array(x)))).tolist(),
    ]
    for layer, want in zip(layers, expected):
        np.testing.assert_allclose([v.data for v in layer([x])[0]], want, rtol=1e-15)
    assert repr(nn.PReLU(3, init=0.1)) == "PReLU(num_parameters=3)"


# ---- PReLU -----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("num_parameters", "shape"), [(1, (3, 4)), (4, (3, 4)), (2, (3, 2, 2, 3))])
def test_prelu_matches_torch(torch: Any, num_parameters: int, shape: tuple[int, ...]) -> None:
    layer = nn.PReLU(num_parameters)
    for k, a in enumerate(layer.weight):
        a.data = 0.1 + 0.2 * k
    compare_with_torch(torch, layer, np.random.default_rng(0).normal(size=shape))


def test_prelu_gradcheck() -> None:
    gradcheck_layer(nn.PReLU(3, init=0.3), np.random.default_rng(2).normal(size=(2, 3)))


def test_prelu_slope_gradient_is_the_negative_part() -> None:
    layer = nn.PReLU()
    xs = [[Value(-2.0), Value(3.0), Value(-0.5)]]
    out = layer(xs)[0]
    assert [v.data for v in out] == [-0.5, 3.0, -0.125]
    Value.sum(out).backward()
    assert layer.weight[0].grad == -2.5  # d/da of Σ: the sum of min(x, 0)
    assert [x.grad for x in xs[0]] == [0.25, 1.0, 0.25]


def test_prelu_needs_one_slope_per_channel() -> None:
    with pytest.raises(ValueError, match=r"PReLU: batch\[0\] must be a sample of 2 channels .*, got shape \(3,\)"):
        nn.PReLU(2)([[1.0, 2.0, 3.0]])
