"""The learner's graph beside the expected one, the first node where they differ highlighted.

A check of a backward pass (02.2) builds the same expression twice, runs the
learner's backward on one and the engine's on the other; when a gradient
differs, `draw_difference` draws both (each node: its label or op, data, grad)
and fills the first differing node in the order backward visits them (from the
root), which is where to start looking.  In a notebook, `check` shows the
picture under its report.
"""

from __future__ import annotations

from typing import Any

from micrograd_ko.autograd import Value
from micrograd_ko.exercises._framework import close
from micrograd_ko.viz.style import FONT_FAMILY, format_number

__all__ = ["HIGHLIGHT", "draw_difference", "first_difference"]

HIGHLIGHT = "#f8b4b4"
"""The fill of the first node whose gradient differs."""


def first_difference(mine: Value, expected: Value, tol: float = 1e-6) -> int | None:
    """The topological index of the first node, walking back from the root, whose grad differs (None: none does)."""
    ours, theirs = mine.topological_order(), expected.topological_order()
    for index in reversed(range(min(len(ours), len(theirs)))):
        if not close(ours[index].grad, theirs[index].grad, tol):
            return index
    return None


def draw_difference(mine: Value, expected: Value, tol: float = 1e-6) -> Any:
    """A graphviz Digraph: the learner's graph and the expected one side by side, the first difference filled."""
    import graphviz

    first = first_difference(mine, expected, tol)
    picture = graphviz.Digraph(graph_attr={"rankdir": "LR", "fontname": FONT_FAMILY})
    picture.attr("node", shape="record", fontname=FONT_FAMILY, style="filled", fillcolor="white")
    for side, title, root in (("mine", "여러분의 backward", mine), ("expected", "엔진의 backward", expected)):
        nodes = root.topological_order()
        position = {id(node): index for index, node in enumerate(nodes)}
        with picture.subgraph(name=f"cluster_{side}") as cluster:
            cluster.attr(label=title)
            for index, node in enumerate(nodes):
                name = node.label or node.op or "leaf"
                label = f"{name}|data {format_number(node.data, 4)}|grad {format_number(node.grad, 4)}"
                fill = {"fillcolor": HIGHLIGHT} if index == first else {}
                cluster.node(f"{side}{index}", label, **fill)
            for index, node in enumerate(nodes):
                for parent in node.parents:
                    cluster.edge(f"{side}{position[id(parent)]}", f"{side}{index}")
    return picture
