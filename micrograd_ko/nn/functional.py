"""Layer arithmetic as plain functions, like `torch.nn.functional`: the modules' shared building blocks."""

from __future__ import annotations

from collections.abc import Sequence

from micrograd_ko.autograd import Operand, Value, as_values, dot_rows

__all__ = ["linear"]


def linear(
    inputs: Sequence[Operand], weight: Sequence[Sequence[Operand]], bias: Sequence[Operand | None] | None = None
) -> list[Value]:
    """A layer's neurons: y_j = w_j1*x1 + ... + w_jn*xn + b_j, one `Value.dot` node per row of `weight`.

    As in `torch.nn.functional.linear`, `weight` is laid out [out][in] and `bias` holds one number per output
    (None: no bias; a None entry: no bias for that row).  The inputs are checked and read once for all rows.
    """
    if bias is None:
        bias = [None] * len(weight)
    elif len(bias) != len(weight):
        raise ValueError(f"linear: bias must have one entry per row of weight ({len(weight)}), got {len(bias)}")
    xs = as_values(inputs, "linear")
    rows = []
    for row, weights in enumerate(weight):
        if len(weights) != len(xs):
            raise ValueError(f"linear: weight[{row}] must have one weight per input ({len(xs)}), got {len(weights)}")
        rows.append(as_values(weights, "linear"))
    return dot_rows(rows, xs, bias)

