"""The look shared by the graph drawing and the step-through page: colours, fonts, numbers, one grad cell.

Both pictures take every colour and font from here, so a box in `draw` and
the same box in the page's script can never disagree: the page's CSS is
written from `HIGHLIGHT` and `css_font_family()`, and a grad cell's text and
colours come from `grad_cell` for both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import NamedTuple

__all__ = [
    "EDGE_COLOUR",
    "FONT_FAMILY",
    "HIGHLIGHT",
    "LEGEND_BORDER",
    "NEGATIVE_RGB",
    "OP_FILL",
    "OUTPUT_FILL",
    "PENDING_TEXT",
    "POSITIVE_RGB",
    "RANKDIRS",
    "ROLE_FILL",
    "UNKNOWN",
    "GradCell",
    "colour_scale",
    "css_font_family",
    "format_number",
    "grad_cell",
    "grad_colours",
    "visible_text",
]

FONT_FAMILY = "NanumGothic,Noto Sans CJK KR,Malgun Gothic,Apple SD Gothic Neo,sans-serif"
"""Hangul-capable fonts first, then any sans-serif: SVG viewers and PNG output both pick the first installed."""

RANKDIRS = ("LR", "TB", "RL", "BT")
"""The directions Graphviz can lay the graph out in: left to right, top to bottom, and their reverses."""

# Role colours fill the whole box; grad colours fill only the grad cell, so the two never compete.
ROLE_FILL = {"input": "#dff0d8", "parameter": "#ffe08a", "constant": "#eeeeee", "result": "#ffffff"}
"""The fill of a Value's box by its role."""
OUTPUT_FILL = "#e8daef"
"""The fill of the root's box (the output)."""
POSITIVE_RGB = (0x21, 0x66, 0xAC)
"""The grad cell's colour at full strength for a positive grad (blue)."""
NEGATIVE_RGB = (0xB2, 0x18, 0x2B)
"""The grad cell's colour at full strength for a negative grad (red)."""
PENDING_TEXT = "#888888"
"""Text colour of a grad that is unknown or still accumulating."""
HIGHLIGHT = "#ff7f0e"
"""The node being processed in a backward step, and the edges it just sent grads along (orange)."""
OP_FILL = "#f4f4f4"
"""The fill of an op's small circle."""
EDGE_COLOUR = "#555555"
"""The colour of an edge that is not highlighted."""
LEGEND_BORDER = "#999999"
"""The frame around the legend."""


def css_font_family() -> str:
    """`FONT_FAMILY` as a CSS `font-family` value (names with spaces quoted)."""
    return ", ".join(f'"{name}"' if " " in name else name for name in FONT_FAMILY.split(","))


# Characters XML 1.0 forbids (Graphviz's HTML-like labels are XML, so one of them makes `dot` fail, and
# an SVG or page cannot hold them), and the tab and carriage return, which `dot` would drop without a trace.
_NOT_XML = re.compile("[\x00-\x09\x0b-\x1f\ud800-\udfff\ufffe\uffff]")


def visible_text(text: str) -> str:
    """`text` as a picture can hold it: each control character but the newline as its Unicode control picture
    (U+0001 as '␁', a tab as '␉'), a lone surrogate or a non-character as '\ufffd'."""
    return _NOT_XML.sub(_stand_in, text)


def _stand_in(forbidden: re.Match[str]) -> str:
    code = ord(forbidden.group())
    return chr(0x2400 + code) if code < 0x20 else "\ufffd"


def format_number(x: float, digits: int) -> str:
    """`x` as text with `digits` significant digits; zero is '0' whatever its sign."""
    return "0" if x == 0.0 else f"{x:.{digits}g}"


def colour_scale(grads: Sequence[float | None]) -> float:
    """The |grad| that gets the darkest colour: the largest finite |grad| (0.0 when there is none)."""
    finite = [abs(g) for g in grads if g is not None and math.isfinite(g)]
    return max(finite, default=0.0)


def grad_colours(grad: float, scale: float) -> tuple[str, str]:
    """(background, text colour) of a grad cell: blue if positive, red if negative, darker if larger.

    The strength is sqrt(|grad| / scale), so grads a tenth of the largest are still visibly tinted.
    """
    if math.isnan(grad):
        return "#cccccc", "black"
    if grad == 0.0:
        return "#ffffff", "black"
    strength = 1.0 if math.isinf(grad) or scale <= 0.0 else math.sqrt(min(abs(grad) / scale, 1.0))
    full = POSITIVE_RGB if grad > 0 else NEGATIVE_RGB
    rgb = (round(255 + (channel - 255) * strength) for channel in full)
    return "#{:02x}{:02x}{:02x}".format(*rgb), ("white" if strength > 0.55 else "black")


class GradCell(NamedTuple):
    """How one grad cell looks: its text, background ("none" lets the box's role colour show), ink, italic."""

    text: str
    background: str
    ink: str
    italic: bool


UNKNOWN = GradCell("grad ?", "none", PENDING_TEXT, False)
"""The look of a grad nothing has reached yet (or that backward has not computed)."""


def grad_cell(grad: float | None, final: bool, scale: float, digits: int) -> GradCell:
    """One grad cell's look: unknown (?), still accumulating (grey italic), or final (coloured on `scale`)."""
    if grad is None:
        return UNKNOWN
    text = f"grad {format_number(grad, digits)}"
    # tuple.__new__ skips the NamedTuple's Python-level __new__, half the cost of a cell: draw makes one per node.
    if not final:
        return tuple.__new__(GradCell, (text, "none", PENDING_TEXT, True))
    background, ink = grad_colours(grad, scale)
    return tuple.__new__(GradCell, (text, background, ink, False))
