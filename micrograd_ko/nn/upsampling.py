"""Layers that make images larger: Upsample (nearest neighbour) and ConvTranspose2d, on images [channel][row][col].

Both are what a generator (DCGAN) or a convolutional decoder uses to go from a
small feature map to a full image.  Upsample copies pixels and makes no node
at all (the same Values appear several times in the output, so backward adds
their gradients); a Conv2d after it learns the smoothing.  ConvTranspose2d is
the gradient of Conv2d with respect to its input, written as a layer: every
input pixel spreads a kernel-sized patch into the output.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from micrograd_ko.autograd import Value, dot_rows
from micrograd_ko.autograd.checks import one_of, positive_integer
from micrograd_ko.nn._shapes import Batch, _pair, shape_of
from micrograd_ko.nn.init import Init, init_weights
from micrograd_ko.nn.module import BatchModule

UPSAMPLE_MODES = ("nearest",)
"""The interpolation modes `Upsample` has (PyTorch's 'bilinear' and others are not written yet)."""


def _image_shape(owner: str, index: int, image: Any, channels: int | None) -> tuple[int, int, int]:
    """(channels, height, width) of batch[index], which must be an image (of `channels` channels)."""
    shape = shape_of(image)
    if len(shape) != 3 or (channels is not None and shape[0] != channels):
        wanted = f"({channels}, height, width)" if channels is not None else "(channels, height, width)"
        raise ValueError(f"{owner}: batch[{index}] must be an image of shape {wanted}, got shape {shape}")
    return shape[0], shape[1], shape[2]


class Upsample(BatchModule):
    """Nearest-neighbour upsampling, like `torch.nn.Upsample(size=None, scale_factor=None, mode='nearest')`.

    Give exactly one of `size` (the output's (height, width), or one int for
    both) and `scale_factor` (a positive int or a pair of them).  Output pixel
    (i, j) of each channel is input pixel (⌊i·H/H_out⌋, ⌊j·W/W_out⌋), as
    PyTorch's 'nearest' picks it; with an integer scale factor s that is
    (⌊i/s⌋, ⌊j/s⌋), each pixel an s x s block.  No node is made: the output
    holds the input's Values themselves, so d(out)/d(x) = 1 for each copy and
    backward sums the copies' gradients.  No parameters.
    """

    def __init__(
        self,
        size: int | tuple[int, int] | None = None,
        scale_factor: int | tuple[int, int] | None = None,
        mode: str = "nearest",
    ) -> None:
        """Exactly one of `size` and `scale_factor`; `mode` must be 'nearest'."""
        if (size is None) == (scale_factor is None):
            raise ValueError(
                f"Upsample: size must be given when scale_factor is not, and not when it is (exactly one of the "
                f"two), got size={size!r} and scale_factor={scale_factor!r}"
            )
        self.size = None if size is None else _pair(size, "Upsample: size")
        self.scale_factor = None if scale_factor is None else _pair(scale_factor, "Upsample: scale_factor")
        self.mode = one_of(mode, UPSAMPLE_MODES, "Upsample: mode")

    def output_shape(self, height: int, width: int) -> tuple[int, int]:
        """(height, width) of the output for an input of `height` x `width` pixels."""
        if self.size is not None:
            return self.size
        assert self.scale_factor is not None  # one of the two, checked in __init__
        return height * self.scale_factor[0], width * self.scale_factor[1]

    def forward(self, batch: Batch) -> Batch:
        """Each channel of each image, its pixels repeated."""
        out = []
        for index, image in enumerate(batch):
            _, height, width = _image_shape("Upsample", index, image, None)
            rows_out, cols_out = self.output_shape(height, width)
            rows = [i * height // rows_out for i in range(rows_out)]
            cols = [j * width // cols_out for j in range(cols_out)]
            out.append([[[channel[r][c] for c in cols] for r in rows] for channel in image])
        return out

    def arguments(self) -> dict[str, Any]:
        """{'size', 'scale_factor', 'mode'} (pairs as tuples, the one not given None)."""
        return {"size": self.size, "scale_factor": self.scale_factor, "mode": self.mode}


_Window = tuple[Callable[[list[Value]], tuple[Value, ...]], Sequence[tuple[Value, ...]]]


class ConvTranspose2d(BatchModule):
    """Transposed 2-D convolution, like `torch.nn.ConvTranspose2d` (no groups or dilation).

    Input pixel x[c][r][q] adds W[c][o][a][b] · x[c][r][q] into output pixel
    (r·s + a - p, q·s + b - p) of channel o, plus the bias b_o once per output
    pixel.  Output size per axis: (size - 1)·stride - 2·padding + kernel +
    output_padding.  This is Conv2d's backward with respect to its input, so a
    stride-2 ConvTranspose2d doubles an image's size as a stride-2 Conv2d halves it.
    Each output pixel is one `dot` node over the input pixels that reach it;
    output pixels with the same offsets (i mod s, j mod s) away from the border
    meet the same weights, which compiled mode turns into one matrix product each.

    Parameters, in PyTorch's layout (`weight` has shape [in][out][kh][kw]):
    the weights in [in][out][kh][kw] order, then the biases in output-channel order.
    `kernel_size`, `stride`, `padding` and `output_padding` are ints or
    (height, width) pairs; `output_padding` must be smaller than `stride`.
    """

    named_in_repr = frozenset({"kernel_size"})

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        output_padding: int | tuple[int, int] = 0,
        bias: bool = True,
        init: Init = "uniform",
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the layer; `seed` makes the initial weights reproducible (biases start at 0).

        'uniform' draws U(-1/√k, 1/√k) with k = out_channels·kh·kw, PyTorch's fan-in for this layout.
        """
        self.in_channels = positive_integer(in_channels, "ConvTranspose2d: in_channels")
        self.out_channels = positive_integer(out_channels, "ConvTranspose2d: out_channels")
        self.kernel_size = _pair(kernel_size, "ConvTranspose2d: kernel_size")
        self.stride = _pair(stride, "ConvTranspose2d: stride")
        self.padding = _pair(padding, "ConvTranspose2d: padding", minimum=0)
        self.output_padding = _pair(output_padding, "ConvTranspose2d: output_padding", minimum=0)
        if any(op >= s for op, s in zip(self.output_padding, self.stride)):
            raise ValueError(
                f"ConvTranspose2d: output_padding must be smaller than stride {self.stride} on each axis, "
                f"got {output_padding!r}"
            )
        self.init = init
        kh, kw = self.kernel_size
        cin, cout = self.in_channels, self.out_channels
        flat = init_weights(init, cout * kh * kw, cin * kh * kw, cin * cout * kh * kw, seed)
        self._weights = [
            Value(flat[((c * cout + o) * kh + a) * kw + b], label=f"W[{c}][{o}][{a}][{b}]", role="parameter")
            for c in range(cin)
            for o in range(cout)
            for a in range(kh)
            for b in range(kw)
        ]
        self.bias = tuple(Value(0.0, label=f"b[{o}]", role="parameter") for o in range(cout)) if bias else None
        self._plans: dict[tuple[int, int], tuple[int, int, list[_Window]]] = {}

    def _index(self, c: int, o: int, a: int, b: int) -> int:
        kh, kw = self.kernel_size
        return ((c * self.out_channels + o) * kh + a) * kw + b

    @property
    def weight(self) -> list[list[list[list[Value]]]]:
        """The weights as nested lists [in][out][kh][kw] (the same Values as `parameters()`)."""
        kh, kw = self.kernel_size
        return [
            [
                [[self._weights[self._index(c, o, a, b)] for b in range(kw)] for a in range(kh)]
                for o in range(self.out_channels)
            ]
            for c in range(self.in_channels)
        ]

    def output_shape(self, height: int, width: int) -> tuple[int, int]:
        """(height, width) of the output: (size - 1)·stride - 2·padding + kernel + output_padding per axis."""
        sizes = zip((height, width), self.kernel_size, self.stride, self.padding, self.output_padding)
        rows, cols = ((n - 1) * s - 2 * p + k + op for n, k, s, p, op in sizes)
        return rows, cols

    def forward(self, batch: Batch) -> Batch:
        """Spread each image through the kernel."""
        return [self._image(i, image) for i, image in enumerate(batch)]

    def _image(self, index: int, image: Any) -> list[list[list[Value]]]:
        shape = _image_shape("ConvTranspose2d", index, image, self.in_channels)
        rows_out, cols_out, windows = self._windows(index, shape)
        pixels = [v for channel in image for row in channel for v in row]
        biases: Sequence[Value | None] = self.bias if self.bias is not None else [None] * self.out_channels
        out: list[list[list[Value]]] = [[[] for _ in range(rows_out)] for _ in range(self.out_channels)]
        for position, (take, weight_rows) in enumerate(windows):
            i = position // cols_out
            for o, pixel in enumerate(dot_rows(weight_rows, take(pixels), biases)):
                out[o][i].append(pixel)
        return out

    def _windows(self, index: int, shape: tuple[int, int, int]) -> tuple[int, int, list[_Window]]:
        """For each output position (row by row): a getter of the input pixels that reach it and their weights.

        Output (i, j) receives input (r, q) through kernel entry (a, b) = (i + p - r·s, j + p - q·s) when
        that entry lies in the kernel.  Computed once per image size; weight rows shared by positions
        with the same entries are the same tuples.
        """
        _, height, width = shape
        key = (height, width)
        if key not in self._plans:
            (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self.padding
            rows_out, cols_out = self.output_shape(height, width)
            if rows_out < 1 or cols_out < 1:
                raise ValueError(
                    f"ConvTranspose2d: batch[{index}] must be an image large enough for an output of at least 1x1 "
                    f"pixels (padding {self.padding} removes more than the output has), got {height}x{width}"
                )
            rows_by_entries: dict[tuple[tuple[int, int, int], ...], tuple[tuple[Value, ...], ...]] = {}
            windows: list[_Window] = []
            for i in range(rows_out):
                for j in range(cols_out):
                    entries, pixel_index = [], []
                    for c in range(self.in_channels):
                        for r in range(height):
                            a = i + ph - r * sh
                            if not 0 <= a < kh:
                                continue
                            for q in range(width):
                                b = j + pw - q * sw
                                if 0 <= b < kw:
                                    entries.append((c, a, b))
                                    pixel_index.append((c * height + r) * width + q)
                    signature = tuple(entries)
                    if signature not in rows_by_entries:
                        rows_by_entries[signature] = tuple(
                            tuple(self._weights[self._index(c, o, a, b)] for c, a, b in entries)
                            for o in range(self.out_channels)
                        )
                    windows.append((_take(pixel_index), rows_by_entries[signature]))
            self._plans[key] = (rows_out, cols_out, windows)
        return self._plans[key]

    def parameters(self) -> list[Value]:
        """The weights in [in][out][kh][kw] order, then the biases in output-channel order."""
        return list(self._weights) + (list(self.bias) if self.bias is not None else [])

    def state_dict(self) -> dict[str, Any]:
        """{'weight': nested [in][out][kh][kw] floats, 'bias': floats or None}."""
        return {
            "weight": [[[[w.data for w in r] for r in o] for o in c] for c in self.weight],
            "bias": None if self.bias is None else [b.data for b in self.bias],
        }

    def arguments(self) -> dict[str, Any]:
        """{'in_channels', 'out_channels', 'kernel_size', 'stride', 'padding', 'output_padding', 'bias'}."""
        return {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": self.kernel_size,
            "stride": self.stride,
            "padding": self.padding,
            "output_padding": self.output_padding,
            "bias": self.bias is not None,
        }


def _take(indices: list[int]) -> Callable[[list[Value]], tuple[Value, ...]]:
    """A function that picks `indices` out of a list, as a tuple (none gives the empty tuple)."""
    return lambda items: tuple(items[k] for k in indices)
