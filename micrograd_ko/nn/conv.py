"""Convolution and pooling on images, nested lists [channel][row][col] of Values."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

import numpy as np

from micrograd_ko.autograd import Value, dot_rows
from micrograd_ko.autograd.checks import integer, positive_integer
from micrograd_ko.nn._shapes import Batch, _pair, shape_of
from micrograd_ko.nn.init import Init, init_weights
from micrograd_ko.nn.module import BatchModule


def output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Output length along one axis: ⌊(size + 2·padding - kernel) / stride⌋ + 1.

    Sizes are integers; a kernel larger than the padded input (no output at all) raises ValueError, as Conv2d does.
    """
    size = integer(size, "output_size: size", minimum=1)
    kernel = integer(kernel, "output_size: kernel", minimum=1)
    stride = integer(stride, "output_size: stride", minimum=1)
    padding = integer(padding, "output_size: padding", minimum=0)
    if size + 2 * padding < kernel:
        raise ValueError(
            f"output_size: kernel must be at most the padded size {size + 2 * padding} (size + 2·padding), got {kernel}"
        )
    return _output_size(size, kernel, stride, padding)


def _output_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """`output_size` of checked numbers, which may be below 1 (the layers say why themselves)."""
    return (size + 2 * padding - kernel) // stride + 1


def _getter(indices: list[int]) -> Callable[[list[Value]], tuple[Value, ...]]:
    """A function that picks `indices` out of a list as a tuple (operator.itemgetter, which needs two or more)."""
    if len(indices) >= 2:
        return itemgetter(*indices)
    return lambda items: tuple(items[k] for k in indices)


def _check_image(owner: str, index: int, image: Any, channels: int | None) -> tuple[int, ...]:
    shape = shape_of(image)
    if len(shape) != 3 or (channels is not None and shape[0] != channels):
        wanted = f"({channels}, height, width)" if channels is not None else "(channels, height, width)"
        raise ValueError(f"{owner}: sample {index} has shape {shape}; expected an image of shape {wanted}")
    return shape


class Conv2d(BatchModule):
    """2-D convolution (strictly, cross-correlation, as in PyTorch) of images [channel][row][col].

    Output channel o at (i, j) is  b_o + Σ_c Σ_a Σ_b W[o][c][a][b] · x[c][i·s + a - p][j·s + b - p],
    with zeros where the window leaves the image (padding).  Each output pixel
    is one `dot` node (its parents: the kernel's weights, the window's pixels,
    the bias), so a drawn graph stays small.  Output size per axis:
    `output_size(size, kernel, stride, padding)`.

    Parameters, in PyTorch's layout (`weight` has shape [out][in][kh][kw]): for
    each output channel its weights in [in_channel][kh][kw] order, then after
    all weights the biases in output-channel order.  `kernel_size`, `stride`
    and `padding` are ints or (height, width) pairs.
    """

    named_in_repr = frozenset({"kernel_size"})

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        bias: bool = True,
        init: Init = "uniform",
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the layer; `seed` makes the initial weights reproducible (biases start at 0)."""
        self.in_channels = positive_integer(in_channels, "Conv2d: in_channels")
        self.out_channels = positive_integer(out_channels, "Conv2d: out_channels")
        self.kernel_size = _pair(kernel_size, "Conv2d: kernel_size")
        self.stride = _pair(stride, "Conv2d: stride")
        self.padding = _pair(padding, "Conv2d: padding", minimum=0)
        self.init = init
        kh, kw = self.kernel_size
        per_output = self.in_channels * kh * kw
        flat = init_weights(init, per_output, self.out_channels * kh * kw, self.out_channels * per_output, seed)
        # one tuple per output channel in [in][kh][kw] order: the row a window is dotted with
        self._rows = [
            tuple(
                Value(flat[o * per_output + (c * kh + a) * kw + b], label=f"W[{o}][{c}][{a}][{b}]", role="parameter")
                for c in range(self.in_channels)
                for a in range(kh)
                for b in range(kw)
            )
            for o in range(self.out_channels)
        ]
        self.bias = (
            tuple(Value(0.0, label=f"b[{o}]", role="parameter") for o in range(self.out_channels)) if bias else None
        )
        self._biases: Sequence[Value | None] = self.bias if self.bias is not None else [None] * self.out_channels
        self._plans: dict[tuple[int, int], Any] = {}

    @property
    def weight(self) -> list[list[list[list[Value]]]]:
        """The weights as nested lists [out][in][kh][kw] (the same Values as `parameters()`)."""
        kh, kw = self.kernel_size
        return [
            [[list(row[(c * kh + a) * kw : (c * kh + a + 1) * kw]) for a in range(kh)] for c in range(self.in_channels)]
            for row in self._rows
        ]

    def forward(self, batch: Batch) -> Batch:
        """Convolve each image."""
        return [self._image(i, image) for i, image in enumerate(batch)]

    def _image(self, index: int, image: Any) -> list[list[list[Value]]]:
        _, height, width = _check_image("Conv2d", index, image, self.in_channels)
        rows_out, cols_out, windows = self._windows(height, width)
        pixels = [v for channel in image for row in channel for v in row]
        out: list[list[list[Value]]] = [[[] for _ in range(rows_out)] for _ in range(self.out_channels)]
        for position, (take, weight_rows) in enumerate(windows):
            i = position // cols_out
            for o, pixel in enumerate(dot_rows(weight_rows, take(pixels), self._biases)):
                out[o][i].append(pixel)
        return out

    def _windows(self, height: int, width: int) -> tuple[int, int, list[tuple[Callable[[list[Value]], Any], Any]]]:
        """For each output position (row by row): a getter of its window's pixels and the weights they meet.

        Padding is zeros, and a zero adds nothing to a dot product, so a window
        that hangs over the border simply leaves those pixels (and the weights
        that would meet them) out of its dot node.  Computed once per image size.
        """
        key = (height, width)
        if key not in self._plans:
            (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
            rows_out, cols_out = _output_size(height, kh, sh, ph), _output_size(width, kw, sw, pw)
            if rows_out < 1 or cols_out < 1:
                raise ValueError(
                    f"Conv2d: a {height}x{width} image padded by {self.padding} is smaller than "
                    f"the kernel {self.kernel_size}"
                )
            windows = []
            for i in range(rows_out):
                for j in range(cols_out):
                    weight_index, pixel_index = [], []
                    for c in range(self.in_channels):
                        for a in range(kh):
                            r = i * sh + a - ph
                            for b in range(kw):
                                col = j * sw + b - pw
                                if 0 <= r < height and 0 <= col < width:
                                    weight_index.append((c * kh + a) * kw + b)
                                    pixel_index.append((c * height + r) * width + col)
                    full = len(weight_index) == len(self._rows[0])
                    rows = self._rows if full else [tuple(row[k] for k in weight_index) for row in self._rows]
                    windows.append((_getter(pixel_index), rows))
            self._plans[key] = (rows_out, cols_out, windows)
        plan: tuple[int, int, list[tuple[Callable[[list[Value]], Any], Any]]] = self._plans[key]
        return plan

    def parameters(self) -> list[Value]:
        """Per output channel its weights in [in][kh][kw] order, then all biases in output-channel order."""
        return [w for row in self._rows for w in row] + (list(self.bias) if self.bias is not None else [])

    def state_dict(self) -> dict[str, Any]:
        """{'weight': nested [out][in][kh][kw] floats, 'bias': floats or None}."""
        return {
            "weight": [[[[w.data for w in r] for r in c] for c in o] for o in self.weight],
            "bias": None if self.bias is None else [b.data for b in self.bias],
        }

    def arguments(self) -> dict[str, Any]:
        """{'in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'bias'} (pairs as tuples)."""
        return {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": self.kernel_size,
            "stride": self.stride,
            "padding": self.padding,
            "bias": self.bias is not None,
        }


class _Pool2d(BatchModule):
    """Shared windowing of the pooling layers: each channel on its own, windows of kernel_size every stride."""

    named_in_repr = frozenset({"kernel_size"})

    def __init__(self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None) -> None:
        """`stride` defaults to `kernel_size` (windows side by side, no overlap), as in PyTorch."""
        name = type(self).__name__
        self.kernel_size = _pair(kernel_size, f"{name}: kernel_size")
        self.stride = self.kernel_size if stride is None else _pair(stride, f"{name}: stride")

    def _reduce(self, window: list[Value]) -> Value:
        raise NotImplementedError

    def forward(self, batch: Batch) -> Batch:
        """Pool every channel of every image."""
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        out = []
        for index, image in enumerate(batch):
            _, height, width = _check_image(type(self).__name__, index, image, None)
            rows_out, cols_out = _output_size(height, kh, sh, 0), _output_size(width, kw, sw, 0)
            if rows_out < 1 or cols_out < 1:
                raise ValueError(f"{type(self).__name__}: a {height}x{width} image is smaller than {self.kernel_size}")
            pooled = []
            for channel in image:
                pooled.append(
                    [
                        [
                            self._reduce(
                                [v for row in channel[i * sh : i * sh + kh] for v in row[j * sw : j * sw + kw]]
                            )
                            for j in range(cols_out)
                        ]
                        for i in range(rows_out)
                    ]
                )
            out.append(pooled)
        return out

    def arguments(self) -> dict[str, Any]:
        """{'kernel_size', 'stride'} (pairs as tuples)."""
        return {"kernel_size": self.kernel_size, "stride": self.stride}


class AvgPool2d(_Pool2d):
    """Average pooling: each output is the mean of a kh x kw window, Value.sum(window) / (kh·kw).

    d(out)/d(x) = 1/(kh·kw) for every pixel of the window.
    """

    def _reduce(self, window: list[Value]) -> Value:
        return Value.sum(window) / len(window)


class MaxPool2d(_Pool2d):
    """Max pooling: each output is the largest pixel of a kh x kw window, one n-ary `max` node.

    The gradient goes to the window's first arg-max only (a subgradient, as
    PyTorch does); the other pixels of the window get 0.
    """

    def _reduce(self, window: list[Value]) -> Value:
        return Value.max(window)
