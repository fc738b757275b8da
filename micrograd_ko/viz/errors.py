"""What drawing can raise or warn: a graph too large to draw, Graphviz missing, no Korean font."""

from __future__ import annotations

__all__ = ["GraphTooLargeError", "GraphvizNotFoundError", "MissingFontWarning"]


class GraphTooLargeError(ValueError):
    """The graph has more Values than `max_nodes`; raise the limit or draw a sub-graph."""


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's `dot` program is not installed, so the graph could only be saved as DOT source."""


class MissingFontWarning(UserWarning):
    """No Korean (Hangul) font is installed, so Hangul text in PNG/PDF output would be drawn as boxes."""
