"""Conv2d, output_size and the pools (AvgPool2d, MaxPool2d), against torch and gradchecked."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _layer_checks import compare_with_torch, gradcheck_layer, random_images

from micrograd_ko import Value, nn

# ---- Conv2d ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_channels", "out_channels", "kernel", "stride", "padding", "bias"),
    [
        (1, 2, 3, 1, 0, True),
        (2, 3, 3, 2, 1, True),
        (2, 2, (3, 2), (2, 1), (1, 2), False),
        (1, 1, 2, 3, 2, True),
    ],
)
def test_conv2d_matches_torch(
    torch: Any, in_channels: int, out_channels: int, kernel: Any, stride: Any, padding: Any, bias: bool
) -> None:
    conv = nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=padding, bias=bias, seed=3)
    if bias:  # non-zero biases, so a mix-up of bias and weight order would show
        for i, b in enumerate(conv.bias or ()):
            b.data = 0.1 * (i + 1)
    twin = compare_with_torch(torch, conv, random_images(2, in_channels, 7, 6))
    assert twin.weight.shape == (out_channels, in_channels, *conv.kernel_size)


def test_conv2d_gradcheck() -> None:
    conv = nn.Conv2d(2, 2, 3, stride=2, padding=1, seed=0)
    gradcheck_layer(conv, random_images(2, 2, 5, 4))


def test_conv2d_parameter_layout_is_torchs() -> None:
    conv = nn.Conv2d(2, 3, (2, 3), seed=0)
    params = conv.parameters()
    assert len(params) == 3 * 2 * 2 * 3 + 3
    # weight [o][c][a][b] sits at ((o·C + c)·kh + a)·kw + b; the biases come after all weights
    assert params[((1 * 2 + 1) * 2 + 0) * 3 + 2] is conv.weight[1][1][0][2]
    assert params[-3:] == list(conv.bias or ())
    assert params[0].label == "W[0][0][0][0]"


def test_conv2d_output_pixel_is_one_dot_node() -> None:
    conv = nn.Conv2d(1, 1, 3, padding=1, seed=0)
    out = conv(random_images(1, 1, 4, 4))[0][0]
    centre, corner = out[1][1], out[0][0]
    assert centre.op == "dot" and len(centre.parents) == 9 + 9 + 1
    assert corner.op == "dot" and len(corner.parents) == 4 + 4 + 1  # the zero padding adds nothing
    assert [nn.output_size(4, 3, 1, 1)] * 2 == [len(out), len(out[0])]


def test_conv2d_refuses_wrong_shapes() -> None:
    conv = nn.Conv2d(2, 1, 3)
    with pytest.raises(
        ValueError, match=r"Conv2d: batch\[0\] must be an image of shape \(2, height, width\), got shape \(1, 5, 5\)"
    ):
        conv(random_images(1, 1, 5, 5))
    with pytest.raises(ValueError, match=r"Conv2d: batch\[0\] must be an image at least 3x3 pixels .*, got 2x2"):
        conv(random_images(1, 2, 2, 2))
    with pytest.raises(ValueError, match="kernel_size"):
        nn.Conv2d(1, 1, 0)


def test_output_size_formula() -> None:
    assert nn.output_size(28, 5) == 24
    assert nn.output_size(8, 3, stride=2, padding=1) == 4
    assert nn.output_size(7, 2, stride=2) == 3
    assert nn.output_size(5, 5) == 1 and nn.output_size(3, 5, padding=1) == 1


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        ((3, 5), ValueError, r"output_size: kernel must be at most the padded size 3 .*, got 5"),
        ((4, 5), ValueError, r"output_size: kernel must be at most the padded size 4 .*, got 5"),
        ((8.5, 3), TypeError, r"output_size: size must be an int.*, got .*8\.5"),
        ((8, 3.0), TypeError, r"output_size: kernel must be an int.*, got .*3\.0"),
        ((0, 1), ValueError, r"output_size: size must be .*>= 1, got 0"),
        ((8, 3, 0), ValueError, r"output_size: stride must be .*>= 1, got 0"),
        ((8, 3, 1, -1), ValueError, r"output_size: padding must be .*>= 0, got -1"),
    ],
)
def test_output_size_refuses_what_no_layer_accepts(
    arguments: tuple[Any, ...], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        nn.output_size(*arguments)


def _conv_by_hand(conv: nn.Conv2d, image: np.ndarray) -> np.ndarray:
    """out[o][i][j] = b_o + Σ W[o][c][a][b] · x[c][i·s + a - p][j·s + b - p], the zero padding written out."""
    weight = np.array([[[[w.data for w in row] for row in kernel] for kernel in out] for out in conv.weight])
    bias = [b.data for b in conv.bias] if conv.bias is not None else [0.0] * conv.out_channels
    (kh, kw), (sh, sw), (ph, pw) = conv.kernel_size, conv.stride, conv.padding
    padded = np.pad(image, ((0, 0), (ph, ph), (pw, pw)))
    rows, cols = (padded.shape[1] - kh) // sh + 1, (padded.shape[2] - kw) // sw + 1
    out = np.empty((conv.out_channels, rows, cols))
    for o in range(conv.out_channels):
        for i in range(rows):
            for j in range(cols):
                window = padded[:, i * sh : i * sh + kh, j * sw : j * sw + kw]
                out[o, i, j] = bias[o] + float(np.sum(weight[o] * window))
    return out


@pytest.mark.parametrize(
    ("kernel", "stride", "padding", "height", "width", "shape"),
    [
        ((2, 3), 1, 0, 4, 3, (3, 1)),  # the kernel exactly as wide as the image: one column
        (3, 2, 0, 5, 4, (2, 1)),  # a stride that fits one window across
        (3, 1, (0, 1), 3, 5, (1, 5)),  # one row
        (3, 1, 0, 3, 3, (1, 1)),  # one pixel
    ],
)
def test_conv2d_output_one_column_or_one_row_wide(
    kernel: Any, stride: Any, padding: Any, height: int, width: int, shape: tuple[int, int]
) -> None:
    conv = nn.Conv2d(2, 2, kernel, stride=stride, padding=padding, seed=4)
    for o, b in enumerate(conv.bias or ()):
        b.data = 0.5 - o
    image = random_images(1, 2, height, width, seed=1)[0]
    out = conv([image])[0]
    assert (len(out), len(out[0]), len(out[0][0])) == (2, *shape)
    np.testing.assert_allclose(
        [[[v.data for v in row] for row in c] for c in out], _conv_by_hand(conv, image), rtol=1e-13
    )


def test_pools_give_one_column_when_the_window_spans_the_width() -> None:
    image = random_images(1, 1, 4, 2, seed=2)[0]
    maxed, averaged = nn.MaxPool2d(2)([image])[0][0], nn.AvgPool2d(2)([image])[0][0]
    assert [[v.data for v in row] for row in maxed] == [[image[0, :2].max()], [image[0, 2:].max()]]
    np.testing.assert_allclose(
        [[v.data for v in row] for row in averaged], [[image[0, :2].mean()], [image[0, 2:].mean()]]
    )


@pytest.mark.parametrize(
    ("layer", "height", "width", "least"),
    [
        (nn.Conv2d(1, 1, 3), 2, 5, "3x3"),
        (nn.Conv2d(1, 1, 3), 5, 2, "3x3"),
        (nn.Conv2d(1, 1, 3, padding=(0, 1)), 2, 1, "3x1"),
        (nn.MaxPool2d(3), 2, 5, "3x3"),
        (nn.MaxPool2d(3), 5, 2, "3x3"),
        (nn.AvgPool2d((3, 2)), 2, 4, "3x2"),
        (nn.AvgPool2d((3, 2)), 4, 1, "3x2"),
    ],
    ids=lambda x: type(x).__name__ if isinstance(x, nn.Module) else str(x),
)
def test_an_image_too_small_in_one_direction_only_is_refused(
    layer: nn.BatchModule, height: int, width: int, least: str
) -> None:
    name = type(layer).__name__
    with pytest.raises(
        ValueError, match=rf"{name}: batch\[0\] must be an image at least {least} pixels .*, got {height}x{width}$"
    ):
        layer(random_images(1, 1, height, width))


def test_conv2d_initial_weights_are_init_weights_laid_out_out_in_kh_kw() -> None:
    for init in ("uniform", "xavier", 0.2):
        conv = nn.Conv2d(2, 3, (2, 4), init=init, seed=7)
        fan_in, fan_out = 2 * 2 * 4, 3 * 2 * 4
        expected = np.reshape(nn.init_weights(init, fan_in, fan_out, 3 * fan_in, seed=7), (3, 2, 2, 4))
        assert [[[[w.data for w in row] for row in c] for c in o] for o in conv.weight] == expected.tolist()
        assert [p.data for p in conv.parameters()[: 3 * fan_in]] == expected.ravel().tolist()


# ---- AvgPool2d -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (2, 1), ((3, 2), (2, 2))])
def test_avgpool2d_matches_torch(torch: Any, kernel: Any, stride: Any) -> None:
    compare_with_torch(torch, nn.AvgPool2d(kernel, stride), random_images(2, 2, 5, 6))


def test_avgpool2d_gradcheck() -> None:
    gradcheck_layer(nn.AvgPool2d(2, 1), random_images(1, 2, 3, 3))


# ---- MaxPool2d -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (2, 1), ((3, 2), (2, 2))])
def test_maxpool2d_matches_torch(torch: Any, kernel: Any, stride: Any) -> None:
    compare_with_torch(torch, nn.MaxPool2d(kernel, stride), random_images(2, 2, 5, 6))


def test_maxpool2d_gradcheck() -> None:
    gradcheck_layer(nn.MaxPool2d(2, 1), random_images(1, 2, 3, 3))


def test_maxpool2d_sends_the_gradient_to_the_first_maximum_only() -> None:
    pixels = [[Value(1.0), Value(3.0)], [Value(3.0), Value(2.0)]]
    out = nn.MaxPool2d(2)([[pixels]])[0][0][0][0]
    assert out.data == 3.0 and out.op == "max"
    out.backward()
    assert [[p.grad for p in row] for row in pixels] == [[0.0, 1.0], [0.0, 0.0]]


def test_conv_and_pool_reprs_write_kernel_size_by_name_as_pytorch_does() -> None:
    assert repr(nn.Conv2d(1, 2, 3)) == "Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(0, 0), bias=True)"
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=(2, 2), stride=(2, 2))"
    assert repr(nn.AvgPool2d((3, 2), stride=1)) == "AvgPool2d(kernel_size=(3, 2), stride=(1, 1))"


def test_maxpool2d_ties_send_the_gradient_to_the_first_maximum_as_torch(torch: Any) -> None:
    """A window with equal largest pixels: only the first in row-major order gets the gradient, as in torch."""
    rows = [[1.0, 3.0, 2.0, 0.0], [4.0, 2.0, 1.0, 5.0], [0.0, 1.0, 6.0, 2.0], [2.0, 2.0, 3.0, 1.0]]
    pixels = [[[Value(v) for v in row] for row in rows]]
    Value.sum([v for row in nn.MaxPool2d(2)([pixels])[0][0] for v in row]).backward()
    x = torch.tensor([[rows]], dtype=torch.float64, requires_grad=True)
    torch.nn.functional.max_pool2d(x, 2).sum().backward()
    assert [[v.grad for v in row] for row in pixels[0]] == x.grad[0, 0].tolist()
    assert pixels[0][3][0].grad == 1.0 and pixels[0][3][1].grad == 0.0  # the tie [[0, 1], [2, 2]]
