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
    xs = as_values(_inputs_of_lists(inputs, weight, bias), "linear")
    if bias is None:
        bias = [None] * len(weight)
    elif len(bias) != len(weight):
        raise ValueError(f"linear: bias must have one entry per row of weight ({len(weight)}), got {len(bias)}")
    rows = []
    for row, weights in enumerate(weight):
        if len(weights) != len(xs):
            raise ValueError(f"linear: weight[{row}] must have one weight per input ({len(xs)}), got {len(weights)}")
        rows.append(as_values(weights, "linear"))
    return dot_rows(rows, xs, bias)


def _inputs_of_lists(inputs: Sequence[Operand], weight: object, bias: object) -> Sequence[Operand]:
    """`inputs`, once all three arguments are lists of the right depth; else a TypeError saying how they are laid out.

    The layers call `dot_rows` directly, so these checks cost a layer's forward nothing.
    """
    if not _is_list(inputs):
        raise TypeError(f"linear: inputs must be a list of Values or numbers, got {inputs!r}")
    if not _is_list(weight) or not all(map(_is_list, weight)):  # type: ignore[call-overload]
        raise TypeError(
            "linear: weight must be a list of rows laid out [out][in], one row of weights per output "
            f"(one neuron's weights are [[w1, ..., wn]]), got {weight!r}"
        )
    if bias is not None and not _is_list(bias):
        raise TypeError(f"linear: bias must be a list with one number per output, or None, got {bias!r}")
    return inputs


def _is_list(x: object) -> bool:
    """Whether `x` is a list-like of items (a list, tuple or numpy array); a str's items are letters, not numbers."""
    return hasattr(x, "__len__") and hasattr(x, "__getitem__") and not isinstance(x, (str, bytes))
