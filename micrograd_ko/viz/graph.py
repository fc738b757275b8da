"""Drawing a computation graph with Graphviz: every Value with its data and grad.

`draw(root)` returns a `graphviz.Digraph` (Jupyter shows it inline as SVG).
Each Value is one box showing its label, `data` and `grad`; a small op node
(`+`, `*`, `tanh`, ...) sits between a result and the operands it was
computed from.  `draw_step(step)` draws one frame of `backward_steps`.

What the picture promises:

* An operand used twice (`a + a`, `x * x`) has two edges, because the engine
  keeps both parents; with `show_local_grad=True` each edge shows its local
  derivative d(out)/d(in), so the chain rule
  `parent.grad += local_derivative * node.grad` can be read off the picture.
* A Value used far from where it sits (`x` in `x + x + ... + x`) gets a
  dashed copy of its box beside each far use, one edge per use as before:
  Graphviz lays a long edge out as a hidden node per rank it crosses, so
  such a graph would otherwise take minutes to lay out.
* Node ids come from the graph order (`v0`, `v1`, ... in topological order),
  never from memory addresses: drawing the same graph twice gives the same
  DOT source and byte-identical SVG.
* Before `backward()` the grads are shown as `?` with a note, not as zeros
  that look like results.
* Graphs above `max_nodes` Values raise `GraphTooLargeError` instead of
  producing a hairball that takes minutes to lay out.

`digraph` is the drawing itself, shared with the step-through page.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import graphviz

from micrograd_ko.autograd import Value
from micrograd_ko.viz._checks import DIGITS, MAX_NODES, check_options, check_root, check_size
from micrograd_ko.viz.steps import BackwardStep
from micrograd_ko.viz.style import (
    EDGE_COLOUR,
    FONT_FAMILY,
    HIGHLIGHT,
    LEGEND_BORDER,
    OP_FILL,
    OUTPUT_FILL,
    ROLE_FILL,
    UNKNOWN,
    GradCell,
    colour_scale,
    format_number,
    grad_cell,
    grad_colours,
    visible_text,
)

__all__ = ["GradCells", "digraph", "draw", "draw_step"]

_ROLE_NAMES = (
    ("input", "입력 (input)"),
    ("parameter", "매개변수 (parameter)"),
    ("constant", "상수 (constant)"),
    ("result", "중간 결과 (result)"),
)
_NOT_COMPUTED_NOTE = "grad는 아직 계산 전입니다 (?): backward()를 호출하면 채워집니다"
_LONGEST_EDGE = 8
"""An edge crossing more ranks than this is drawn from a copy of its Value placed beside the op that uses it."""
_COPY_STYLE = {"shape": "box", "style": "dashed,filled", "margin": "0.05,0.02", "height": "0.3"}
_OP_STYLE = {"style": "filled", "fillcolor": OP_FILL, "margin": "0.02", "width": "0.3", "height": "0.3"}


@dataclass(frozen=True)
class GradCells:
    """The grad row of a drawing: one cell per node, and what the legend has to explain about them.

    `unknown`: some grads show `?`.  `stepping`: the drawing is (or will be
    restyled into) a frame of backward, so the legend explains the orange
    outline and the grey italic grads.  `current` is the node outlined in
    orange, with the edges it just sent grads along (None: none).
    """

    cells: Sequence[GradCell]
    unknown: bool
    stepping: bool = False
    current: int | None = None


def draw(
    root: Value,
    *,
    rankdir: str = "LR",
    show_grad: bool = True,
    show_local_grad: bool = False,
    grads_computed: bool | None = None,
    digits: int = DIGITS,
    max_nodes: int | None = MAX_NODES,
    legend: bool = True,
    title: str | None = None,
) -> graphviz.Digraph:
    """Return a Graphviz drawing of the graph that ends at `root`.

    Each Value is a box with its label, `data` and `grad` (`digits` significant
    digits); its fill tells its role (input, parameter, constant, result, and
    the output `root`).  Grad cells are blue for positive and red for negative
    grads, darker the closer |grad| is to the largest |grad| in the graph.
    `show_local_grad` writes d(out)/d(in) on each edge into an op node.

    `grads_computed=None` decides from the root: `backward()` sets the root's
    grad to 1.0, so a root grad of 0.0 means backward has not run and the grads
    are drawn as `?`.  Pass True or False to override (for example when drawing
    an intermediate node whose grad after a later backward happens to be 0).

    `title` is a line written above the graph.  Raises GraphTooLargeError when
    the graph has more than `max_nodes` Values (None: no limit).
    """
    check_root(root, "draw")
    check_options(
        "draw",
        rankdir=rankdir,
        show_grad=show_grad,
        show_local_grad=show_local_grad,
        grads_computed=grads_computed,
        digits=digits,
        max_nodes=max_nodes,
        legend=legend,
        title=title,
    )
    nodes = root.topological_order()
    check_size(len(nodes), max_nodes, "draw")
    grads: GradCells | None = None
    notes: list[str] = [] if title is None else [title]
    if show_grad:
        computed = root.grad != 0.0 if grads_computed is None else grads_computed
        if computed:
            values = [node.grad for node in nodes]
            scale = colour_scale(values)
            grads = GradCells([grad_cell(g, True, scale, digits) for g in values], unknown=False)
        else:
            grads = GradCells([UNKNOWN] * len(nodes), unknown=True)
            notes.append(_NOT_COMPUTED_NOTE)
    return digraph(
        nodes, grads, rankdir=rankdir, show_local_grad=show_local_grad, digits=digits, legend=legend, notes=notes
    )


def draw_step(
    step: BackwardStep,
    *,
    rankdir: str = "LR",
    show_local_grad: bool = True,
    digits: int = DIGITS,
    max_nodes: int | None = MAX_NODES,
    legend: bool = True,
    grad_scale: float | None = None,
) -> graphviz.Digraph:
    """Draw one frame of `backward_steps`: the current node outlined, its incoming edges highlighted.

    Final grads are coloured as in `draw`; grads still waiting for
    contributions are grey, and nodes nothing has reached yet show `?`.
    `grad_scale` fixes the |grad| that gets the darkest colour, so a series of
    frames is coloured consistently (default: the largest |grad| in this frame).
    SVG element ids are prefixed with `step<index>_`, so frames can share a page.
    Raises GraphTooLargeError above `max_nodes` Values (None: no limit).
    """
    if not isinstance(step, BackwardStep):
        raise TypeError(f"draw_step: step must be a BackwardStep from backward_steps(), got {step!r}")
    check_options(
        "draw_step",
        rankdir=rankdir,
        show_local_grad=show_local_grad,
        digits=digits,
        max_nodes=max_nodes,
        legend=legend,
        grad_scale=grad_scale,
    )
    check_size(len(step.nodes), max_nodes, "draw_step")
    known = [g for g, done in zip(step.grads, step.final) if g is not None and done]
    scale = colour_scale(known) if grad_scale is None else grad_scale
    cells = [grad_cell(g, done, scale, digits) for g, done in zip(step.grads, step.final)]
    grads = GradCells(cells, unknown=None in step.grads, stepping=True, current=step.position)
    return digraph(
        step.nodes,
        grads,
        rankdir=rankdir,
        show_local_grad=show_local_grad,
        digits=digits,
        legend=legend,
        notes=[step.caption(digits)],
        graph_id=f"step{step.index}",
    )


def digraph(
    nodes: Sequence[Value],
    grads: GradCells | None,
    *,
    rankdir: str,
    show_local_grad: bool,
    digits: int,
    legend: bool,
    notes: Sequence[str] = (),
    graph_id: str | None = None,
    id_prefix: str | None = None,
) -> graphviz.Digraph:
    """The Graphviz drawing of `nodes` (topological order, the output last), with `grads` as the grad row.

    `notes` are lines written above the graph; `graph_id` is the SVG graph's
    id (Graphviz also prefixes the ids it makes up with it), and `id_prefix`
    names the SVG elements `<prefix>v3` (node 3) and `<prefix>e3_0` (its edge
    from parent 0) for scripts that restyle them.  Arguments are not checked.
    """
    graph = graphviz.Digraph(name="computation_graph")
    graph.attr(rankdir=rankdir, fontname=FONT_FAMILY, nodesep="0.25", ranksep="0.4", bgcolor="white")
    if graph_id is not None:
        graph.attr(id=graph_id)
    if notes:
        graph.attr(label=f"<{'<BR/>'.join(_text(note) for note in notes)}>", labelloc="t", labeljust="l")
    graph.attr("node", fontname=FONT_FAMILY, fontsize="12")
    graph.attr("edge", fontname=FONT_FAMILY, fontsize="11", color=EDGE_COLOUR, arrowsize="0.7")
    position = {node: i for i, node in enumerate(nodes)}
    ranks = _ranks_to_output(nodes, position)
    copies = False
    output = len(nodes) - 1
    current = None if grads is None else grads.current
    cells: Sequence[GradCell | None] = [None] * len(nodes) if grads is None else grads.cells
    for i, (node, cell) in enumerate(zip(nodes, cells)):
        ids = {} if id_prefix is None else {"id": f"{id_prefix}v{i}"}
        graph.node(f"v{i}", label=_value_label(node, i == output, i == current, cell, digits), shape="plain", **ids)
        if not node.parents:
            continue
        graph.node(f"op{i}", label=node.op, shape="circle" if len(node.op) <= 2 else "ellipse", **_OP_STYLE)
        graph.edge(f"op{i}", f"v{i}")
        for k, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            attributes: dict[str, str] = {} if id_prefix is None else {"id": f"{id_prefix}e{i}_{k}"}
            if show_local_grad:
                attributes["label"] = f"∂ {format_number(local, digits)}"
            if i == current:
                attributes.update(color=HIGHLIGHT, penwidth="2.5", fontcolor=HIGHLIGHT)
            j = position[parent]
            tail = f"v{j}"
            if ranks[j] - ranks[i] - 1 > _LONGEST_EDGE:
                # Drawn from a copy beside this op: Graphviz lays a long edge out as one hidden node per rank
                # it crosses, and `x + x + ... + x` has n**2 of them, which takes it minutes (80 uses: 96 s).
                tail = f"c{j}_{i}"
                graph.node(tail, label=_copy_label(parent, digits), **_COPY_STYLE, fillcolor=ROLE_FILL[parent.role])
                copies = True
            graph.edge(tail, f"op{i}", **attributes)
    if legend:
        graph.node("legend", label=_legend(grads, show_local_grad, copies), shape="plain")
    return graph


def _ranks_to_output(nodes: Sequence[Value], position: dict[Value, int]) -> list[int]:
    """How many ranks each Value sits before the output when placed as late as its uses allow.

    A Value and its op node take one rank each, so an edge from `nodes[j]` into the op of `nodes[i]`
    crosses `ranks[j] - ranks[i] - 1` ranks; Graphviz's own ranking has no longer edges in total.
    """
    ranks = [0] * len(nodes)
    for i in range(len(nodes) - 1, -1, -1):
        for parent in nodes[i].parents:
            j = position[parent]
            ranks[j] = max(ranks[j], ranks[i] + 2)
    return ranks


def _copy_label(node: Value, digits: int) -> str:
    """A copy's box: the Value's label and data (its grad is shown once, in the Value's own box)."""
    name = f"<B>{_text(node.label)}</B> " if node.label else ""
    return f"<{name}data {format_number(node.data, digits)}>"


def _text(text: str) -> str:
    """Escape free text for a Graphviz HTML-like label (labels may contain <, &, newlines or control characters)."""
    return html.escape(visible_text(text)).replace("\n", "<BR/>")


def _value_label(node: Value, is_output: bool, is_current: bool, cell: GradCell | None, digits: int) -> str:
    """A Value's box: label, data and grad cell (whose text, `grad <number>` or `grad ?`, needs no escaping)."""
    fill = OUTPUT_FILL if is_output else ROLE_FILL[node.role]
    border, colour = ("3", HIGHLIGHT) if is_current else ("1", "black")
    label = f"<TD><B>{_text(node.label)}</B></TD>" if node.label else ""
    grad = ""
    if cell is not None:
        text, background, ink, italic = cell
        shading = "" if background == "none" else f' BGCOLOR="{background}"'
        grad = f'<TD{shading}><FONT COLOR="{ink}">{f"<I>{text}</I>" if italic else text}</FONT></TD>'
    return (
        f'<<TABLE BORDER="{border}" COLOR="{colour}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" '
        f'COLUMNS="*" BGCOLOR="{fill}"><TR>{label}<TD>data {format_number(node.data, digits)}</TD>{grad}</TR></TABLE>>'
    )


def _legend(grads: GradCells | None, show_local_grad: bool, copies: bool) -> str:
    """A compact key: one line of role colours, one of grad colours, then notes for what else is shown."""

    def line(title: str, cells: Sequence[tuple[str, str, str]]) -> str:
        swatches = "".join(f'<TD BGCOLOR="{fill}"><FONT COLOR="{ink}">{text}</FONT></TD>' for fill, text, ink in cells)
        inner = f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="3"><TR><TD><B>{title}</B></TD>{swatches}</TR></TABLE>'
        return f'<TR><TD ALIGN="LEFT">{inner}</TD></TR>'

    roles = [(ROLE_FILL[role], name, "black") for role, name in _ROLE_NAMES]
    roles.append((OUTPUT_FILL, "출력 (output)", "black"))
    rows = [line("노드", roles)]
    notes = []
    if grads is not None:
        shades = [(*grad_colours(g, 1.0), f"{'+' if g > 0 else '−'}{abs(g):g}") for g in (-1.0, -0.1, 0.1, 1.0)]
        rows.append(line("grad", [(fill, text, ink) for fill, ink, text in shades]))
        notes.append("grad 색의 진하기: 가장 큰 |grad|에 대한 비율 (파랑 +, 빨강 −)")
        if grads.unknown:
            notes.append("grad ? : 아직 계산되지 않음")
        if grads.stepping:
            notes.append("주황 테두리: 지금 처리하는 노드 · 주황 간선: 방금 부모에게 보낸 기울기")
            notes.append("회색 기울임꼴 grad: 아직 일부만 모임 (확정 전)")
    if show_local_grad:
        notes.append("간선의 ∂ 값: 국소 미분 ∂(출력)/∂(입력)")
    if copies:
        notes.append("점선 상자: 멀리서 다시 쓰인 값의 사본 (grad는 원래 상자에 모임)")
    rows.extend(f'<TR><TD ALIGN="LEFT">{note}</TD></TR>' for note in notes)
    return f'<<TABLE BORDER="1" COLOR="{LEGEND_BORDER}" CELLBORDER="0" CELLSPACING="0">{"".join(rows)}</TABLE>>'
