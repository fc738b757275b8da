"""Upsample and ConvTranspose2d: against torch in float64, gradchecked, in model files, and compiled."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _layer_checks import compare_with_torch, flat, gradcheck_layer, random_images

from micrograd_ko import Value, nn
from micrograd_ko.compiler import trace


def _torch_twin(torch: Any, layer: nn.ConvTranspose2d) -> Any:
    """torch.nn.ConvTranspose2d with `layer`'s weights, float64."""
    twin = torch.nn.ConvTranspose2d(
        layer.in_channels,
        layer.out_channels,
        layer.kernel_size,
        stride=layer.stride,
        padding=layer.padding,
        output_padding=layer.output_padding,
        bias=layer.bias is not None,
    ).double()
    with torch.no_grad():
        twin.weight.copy_(torch.tensor(layer.state_dict()["weight"], dtype=torch.float64))
        if layer.bias is not None:
            twin.bias.copy_(torch.tensor([b.data for b in layer.bias], dtype=torch.float64))
    return twin


@pytest.mark.parametrize(
    ("in_channels", "out_channels", "kernel", "stride", "padding", "output_padding", "bias"),
    [
        (1, 2, 3, 1, 0, 0, True),
        (2, 3, 4, 2, 1, 0, True),  # the DCGAN block: doubles the size
        (2, 2, (3, 2), (2, 1), (1, 0), (1, 0), False),
        (1, 1, 2, 3, 0, 0, True),  # stride > kernel: some output pixels are the bias alone
        (3, 2, 3, 2, 1, 1, True),
    ],
)
def test_conv_transpose2d_matches_torch(
    torch: Any,
    in_channels: int,
    out_channels: int,
    kernel: Any,
    stride: Any,
    padding: Any,
    output_padding: Any,
    bias: bool,
) -> None:
    layer = nn.ConvTranspose2d(
        in_channels,
        out_channels,
        kernel,
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        bias=bias,
        seed=3,
    )
    for i, b in enumerate(layer.bias or ()):  # non-zero biases, so a mix-up of bias and weight order would show
        b.data = 0.1 * (i + 1)
    twin = compare_with_torch(torch, layer, random_images(2, in_channels, 3, 4), twin=_torch_twin(torch, layer))
    assert tuple(twin.weight.shape) == (in_channels, out_channels, *layer.kernel_size)


def test_conv_transpose2d_parameter_layout_is_torchs() -> None:
    layer = nn.ConvTranspose2d(2, 3, (2, 3), seed=0)
    params = layer.parameters()
    assert len(params) == 2 * 3 * 2 * 3 + 3
    # weight [c][o][a][b] sits at ((c·O + o)·kh + a)·kw + b; the biases come after all weights
    assert params[((1 * 3 + 2) * 2 + 1) * 3 + 0] is layer.weight[1][2][1][0]
    assert params[-3:] == list(layer.bias or ())
    assert params[0].label == "W[0][0][0][0]"


def test_conv_transpose2d_is_conv2d_backward() -> None:
    # <ConvTranspose2d(y), x> = <y, Conv2d(x)> for the same weights: the two layers are adjoint.
    conv = nn.Conv2d(2, 3, 4, stride=2, padding=1, bias=False, seed=1)
    transposed = nn.ConvTranspose2d(3, 2, 4, stride=2, padding=1, bias=False, seed=2)
    # Conv2d's weight is [out=3][in=2]; the transposed layer's is [in=3][out=2]: the same array
    for o in range(3):
        for c in range(2):
            for a in range(4):
                for b in range(4):
                    transposed.weight[o][c][a][b].data = conv.weight[o][c][a][b].data
    x, y = random_images(1, 2, 6, 6, seed=1), random_images(1, 3, 3, 3, seed=2)
    forward = np.array([v.data for v in flat(conv(x))])
    back = np.array([v.data for v in flat(transposed(y))])
    assert back.shape == x.ravel().shape
    assert np.isclose(forward @ y.ravel(), back @ x.ravel(), rtol=1e-12)


def test_conv_transpose2d_gradcheck() -> None:
    gradcheck_layer(nn.ConvTranspose2d(2, 2, 3, stride=2, padding=1, seed=0), random_images(2, 2, 2, 3))


def test_conv_transpose2d_output_shape() -> None:
    layer = nn.ConvTranspose2d(1, 1, 4, stride=2, padding=1)
    assert layer.output_shape(4, 3) == (8, 6)
    assert np.array(layer(random_images(1, 1, 4, 3)), dtype=object).shape == (1, 1, 8, 6)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nn.ConvTranspose2d(0, 1, 3), ValueError, "ConvTranspose2d: in_channels must be"),
        (lambda: nn.ConvTranspose2d(1, 1, 0), ValueError, "ConvTranspose2d: kernel_size must be"),
        (lambda: nn.ConvTranspose2d(1, 1, 3, stride=2, output_padding=2), ValueError, "output_padding must be"),
        (lambda: nn.ConvTranspose2d(2, 1, 3)(random_images(1, 1, 3, 3)), ValueError, r"batch\[0\] must be"),
        (lambda: nn.ConvTranspose2d(1, 1, 2, padding=3)(random_images(1, 1, 2, 2)), ValueError, r"batch\[0\]"),
        (lambda: nn.Upsample(), ValueError, "Upsample: size must be given"),
        (lambda: nn.Upsample(size=4, scale_factor=2), ValueError, "exactly one"),
        (lambda: nn.Upsample(scale_factor=1.5), TypeError, "Upsample: scale_factor must be"),
        (lambda: nn.Upsample(scale_factor=2, mode="bilinear"), ValueError, "Upsample: mode must be"),
        (lambda: nn.Upsample(scale_factor=2)([[1.0, 2.0]]), ValueError, r"Upsample: batch\[0\] must be an image"),
    ],
)
def test_bad_arguments_are_refused(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        call()
    # the project's one shape of a message: "{function}: {argument} must be {rule}, got {value!r}"
    assert re.fullmatch(r"[\w.]+: [\w.\-\[\]']+ must be .+, got .+", str(caught.value), re.DOTALL)


# ---- Upsample --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{"scale_factor": 2}, {"scale_factor": (1, 3)}, {"size": (5, 7)}, {"size": 2}])
def test_upsample_matches_torch(torch: Any, kwargs: dict[str, Any]) -> None:
    compare_with_torch(torch, nn.Upsample(**kwargs), random_images(2, 2, 3, 4), twin=torch.nn.Upsample(**kwargs))


def test_upsample_copies_values_and_adds_their_gradients() -> None:
    x = Value(0.5)
    out = nn.Upsample(scale_factor=2)([[[[x]]]])[0][0]
    assert all(v is x for row in out for v in row)  # no node: the same Value four times
    Value.sum([v for row in out for v in row]).backward()
    assert x.grad == 4.0


# ---- files and compiled mode -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        nn.ConvTranspose2d(2, 3, 4, stride=2, padding=1, output_padding=1, bias=False, seed=0),
        nn.Upsample(scale_factor=(2, 3)),
        nn.Upsample(size=6),
        nn.Sequential(nn.Upsample(scale_factor=2), nn.Conv2d(1, 1, 3, padding=1, seed=0)),
    ],
    ids=repr,
)
def test_model_files_rebuild_the_layers(tmp_path: Path, model: nn.Module) -> None:
    for p in model.parameters():
        p.data += 0.5  # weights no constructor would make
    path = tmp_path / "m.json"
    model.save(path)
    rebuilt = nn.Module.from_file(path)
    assert type(rebuilt) is type(model) and repr(rebuilt) == repr(model)
    assert rebuilt.state_dict() == model.state_dict()
    other = nn.Upsample(scale_factor=3) if isinstance(model, nn.Upsample) else None
    if other is not None:
        with pytest.raises(ValueError, match="was saved from"):
            other.load(path)


def test_compiled_generator_matches_eager() -> None:
    # A DCGAN-shaped generator: a 2x2 map, a transposed convolution to 4x4, nearest upsampling to 8x8, a convolution.
    model = nn.Sequential(
        nn.ConvTranspose2d(2, 3, 4, stride=2, padding=1, seed=1),
        nn.Tanh(),
        nn.Upsample(scale_factor=2),
        nn.Conv2d(3, 1, 3, padding=1, seed=2),
        nn.Tanh(),
    )
    for i, b in enumerate(model.parameters()[-1:]):
        b.data = 0.1 * (i + 1)
    coefficients = np.random.default_rng(5).normal(size=64).tolist()

    def score(image: Any) -> Value:
        return Value.dot(coefficients, flat(model([image])))

    batch = random_images(5, 2, 2, 2, seed=3)
    program = trace(score, example=batch[0].tolist(), params=model.parameters())
    compiled = program(batch)
    model.zero_grad()
    program.backward()
    compiled_grads = [p.grad for p in model.parameters()]

    model.zero_grad()
    eager = [score(image) for image in batch.tolist()]
    (Value.sum(eager) / len(eager)).backward()
    np.testing.assert_allclose(compiled, [v.data for v in eager], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(compiled_grads, [p.grad for p in model.parameters()], rtol=1e-9, atol=1e-12)
    # the transposed convolution's positions meet a few weight sets, each one matrix product
    assert any(line.strip().startswith("conv") for line in program.describe().splitlines())


# ---- the torch bridge ------------------------------------------------------------------------------------------------


def test_torch_bridge_converts_both_ways(torch: Any) -> None:
    from micrograd_ko.interop.torch import from_torch, to_torch

    model = nn.Sequential(
        nn.ConvTranspose2d(2, 3, 4, stride=2, padding=1, output_padding=1, seed=1),
        nn.Upsample(scale_factor=(2, 1)),
        nn.Upsample(size=(5, 4)),
    )
    for p in model.parameters():
        p.data += 0.25
    twin = to_torch(model)
    batch = random_images(2, 2, 2, 2, seed=4)
    expected = twin(torch.tensor(batch, dtype=torch.float64)).detach().numpy()
    np.testing.assert_allclose(
        np.array([[[[v.data for v in r] for r in c] for c in s] for s in model(batch)]), expected
    )
    back = from_torch(twin)
    assert repr(back) == repr(model) and back.state_dict() == model.state_dict()
    with pytest.raises(ValueError, match="whole scale factor"):
        from_torch(torch.nn.Upsample(scale_factor=1.5))
    with pytest.raises(ValueError, match="dilation=1"):
        from_torch(torch.nn.ConvTranspose2d(1, 1, 3, dilation=2))
