"""Drawing a computation graph with Graphviz: every Value with its data and grad.

`draw(root)` returns a `graphviz.Digraph` (Jupyter shows it inline as SVG);
`save(root, "graph.svg")` writes it to a file.  Each Value is one box showing
its label, `data` and `grad`; a small op node (`+`, `*`, `tanh`, ...) sits
between a result and the operands it was computed from.

What the picture promises:

* An operand used twice (`a + a`, `x * x`) has two edges, because the engine
  keeps both parents; with `show_local_grad=True` each edge shows its local
  derivative d(out)/d(in), so the chain rule
  `parent.grad += local_derivative * node.grad` can be read off the picture.
* Node ids come from the graph order (`v0`, `v1`, ... in topological order),
  never from memory addresses: drawing the same graph twice gives the same
  DOT source and byte-identical SVG.
* Before `backward()` the grads are shown as `?` with a note, not as zeros
  that look like results.
* Graphs above `max_nodes` Values raise `GraphTooLargeError` instead of
  producing a hairball that takes minutes to lay out.

`backward_steps(root)` replays backpropagation one node at a time (the same
order and the same arithmetic as `Value.backward()`); `draw_step` draws one
such frame, and `step_through` / `save_steps` (from `micrograd_ko.stepview`)
show them all with a slider, in Jupyter or as one offline HTML page.

PNG and PDF output draw Hangul only with a Korean font installed; `save` warns
(`MissingFontWarning`) when fontconfig lists none.
"""

from __future__ import annotations

import functools
import html
import math
import re
import shutil
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import graphviz

from micrograd_ko.autograd import Value, propagate
from micrograd_ko.autograd.checks import integer, one_of

__all__ = [
    "FONT_FAMILY",
    "BackwardStep",
    "GraphTooLargeError",
    "GraphvizNotFoundError",
    "MissingFontWarning",
    "StepThrough",
    "backward_steps",
    "draw",
    "draw_step",
    "save",
    "save_steps",
    "step_through",
]

FONT_FAMILY = "NanumGothic,Noto Sans CJK KR,Malgun Gothic,Apple SD Gothic Neo,sans-serif"
"""Hangul-capable fonts first, then any sans-serif: SVG viewers and PNG output both pick the first installed."""

RANKDIRS = ("LR", "TB", "RL", "BT")
FORMATS = ("svg", "png", "pdf", "dot")

# Role colours fill the whole box; grad colours fill only the grad cell, so the two never compete.
_ROLE_FILL = {"input": "#dff0d8", "parameter": "#ffe08a", "constant": "#eeeeee", "result": "#ffffff"}
_OUTPUT_FILL = "#e8daef"
_ROLE_NAMES = (
    ("input", "입력 (input)"),
    ("parameter", "매개변수 (parameter)"),
    ("constant", "상수 (constant)"),
    ("result", "중간 결과 (result)"),
)
_POSITIVE_RGB = (0x21, 0x66, 0xAC)
_NEGATIVE_RGB = (0xB2, 0x18, 0x2B)
_PENDING_TEXT = "#888888"
_CURRENT = "#ff7f0e"
_NOT_COMPUTED_NOTE = "grad는 아직 계산 전입니다 (?): backward()를 호출하면 채워집니다"


class GraphTooLargeError(ValueError):
    """The graph has more Values than `max_nodes`; raise the limit or draw a sub-graph."""


class GraphvizNotFoundError(RuntimeError):
    """Graphviz's `dot` program is not installed, so the graph could only be saved as DOT source."""


class MissingFontWarning(UserWarning):
    """No Korean (Hangul) font is installed, so Hangul text in PNG/PDF output would be drawn as boxes."""


# ---- stepping through backward --------------------------------------------------------


@dataclass(frozen=True)
class BackwardStep:
    """One frame of backpropagation: the state right after `backward()` has processed one node.

    `nodes` is the whole graph in topological order (the same tuple in every
    frame); `position` indexes the node processed in this step.  `grads[i]` is
    what `nodes[i].grad` holds at this moment (None while no contribution has
    reached it), and `final[i]` tells whether every node that uses `nodes[i]`
    has already sent its contribution, so that grad will not change again.
    """

    index: int
    nodes: tuple[Value, ...]
    position: int
    grads: tuple[float | None, ...]
    final: tuple[bool, ...]

    @property
    def node(self) -> Value:
        """The node processed in this step."""
        return self.nodes[self.position]

    def grad_of(self, value: Value) -> float | None:
        """The grad of `value` in this frame (None if nothing has reached it yet)."""
        for i, node in enumerate(self.nodes):
            if node is value:
                return self.grads[i]
        raise ValueError(f"grad_of: {value!r} is not part of this graph")


def backward_steps(root: Value) -> Iterator[BackwardStep]:
    """Yield one `BackwardStep` per node, in the order `root.backward()` visits them.

    The order is `reversed(root.topological_order())`, and each step applies
    the same rule with the same floating-point operations as `backward()`:

        parent.grad += local_derivative * node.grad

    The pass runs the engine's own backward loop (`engine.propagate`) with a
    hook that records a frame after each node, and every `.grad` it touched is
    restored before the first frame is yielded: the real `.grad` fields end
    up unchanged.  The frames describe this pass alone (leaves start from 0),
    so the last frame equals what `backward()` leaves in every `.grad` when the
    leaves' grads were zero beforehand (a fresh graph, or after `zero_grad()`).
    Each frame copies the grads, so a graph of n nodes costs O(n^2) overall:
    meant for the small graphs one looks at step by step.
    """
    _check_value(root, "backward_steps")
    nodes = tuple(root.topological_order())
    position = {node: i for i, node in enumerate(nodes)}
    reached = [False] * len(nodes)
    reached[-1] = True  # backward() seeds the root with 1
    # How many uses of each node have not yet sent their contribution back.
    waiting = [0] * len(nodes)
    for node in nodes:
        for parent in node.parents:
            waiting[position[parent]] += 1
    frames: list[BackwardStep] = []

    def record_frame(node: Value) -> None:
        for parent in node.parents:
            reached[position[parent]] = True
            waiting[position[parent]] -= 1
        shown = tuple(n.grad if r else None for n, r in zip(nodes, reached))
        frames.append(BackwardStep(len(frames), nodes, position[node], shown, tuple(c == 0 for c in waiting)))

    saved = [node.grad for node in nodes]
    try:
        for node in nodes:
            node.grad = 0.0
        nodes[-1].grad = 1.0
        propagate(list(nodes), record_frame)
    finally:
        for node, grad in zip(nodes, saved):
            node.grad = grad
    yield from frames


# ---- drawing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _GradView:
    """What the grad cells show: a value per node (None = unknown), and which values are final."""

    grads: Sequence[float | None]
    final: Sequence[bool]
    scale: float
    current: int | None = None


def draw(
    root: Value,
    *,
    rankdir: str = "LR",
    show_grad: bool = True,
    show_local_grad: bool = False,
    grads_computed: bool | None = None,
    digits: int = 4,
    max_nodes: int = 500,
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

    Raises GraphTooLargeError when the graph has more than `max_nodes` Values.
    """
    _check_value(root, "draw")
    _check_options(rankdir, digits)
    nodes = _bounded_order(root, max_nodes)
    view: _GradView | None = None
    notes: list[str] = [] if title is None else [title]
    if show_grad:
        computed = root.grad != 0.0 if grads_computed is None else grads_computed
        if computed:
            grads = [node.grad for node in nodes]
            view = _GradView(grads, [True] * len(nodes), _largest_magnitude(grads))
        else:
            view = _GradView([None] * len(nodes), [True] * len(nodes), 0.0)
            notes.append(_NOT_COMPUTED_NOTE)
    return _build(
        nodes,
        view,
        rankdir=rankdir,
        show_local_grad=show_local_grad,
        digits=digits,
        legend=legend,
        notes=notes,
        graph_id=None,
    )


def draw_step(
    step: BackwardStep,
    *,
    rankdir: str = "LR",
    show_local_grad: bool = True,
    digits: int = 4,
    max_nodes: int = 500,
    legend: bool = True,
    grad_scale: float | None = None,
) -> graphviz.Digraph:
    """Draw one frame of `backward_steps`: the current node outlined, its incoming edges highlighted.

    Final grads are coloured as in `draw`; grads still waiting for
    contributions are grey, and nodes nothing has reached yet show `?`.
    `grad_scale` fixes the |grad| that gets the darkest colour, so a series of
    frames is coloured consistently (default: the largest |grad| in this frame).
    SVG element ids are prefixed with `step<index>_`, so frames can share a page.
    """
    if not isinstance(step, BackwardStep):
        raise TypeError(f"draw_step: expected a BackwardStep from backward_steps(), got {type(step).__name__}")
    _check_options(rankdir, digits)
    _check_size(len(step.nodes), max_nodes)
    known = [g for g, done in zip(step.grads, step.final) if g is not None and done]
    scale = _largest_magnitude(known) if grad_scale is None else grad_scale
    view = _GradView(step.grads, step.final, scale, current=step.position)
    return _build(
        step.nodes,
        view,
        rankdir=rankdir,
        show_local_grad=show_local_grad,
        digits=digits,
        legend=legend,
        notes=[_step_caption(step, digits)],
        graph_id=f"step{step.index}",
    )


def _check_value(root: object, function: str) -> None:
    if not isinstance(root, Value):
        raise TypeError(f"{function}: expected a Value, got {type(root).__name__}: {root!r}")


def _check_options(rankdir: str, digits: int) -> None:
    one_of(rankdir, RANKDIRS, "draw: rankdir")
    if integer(digits, "draw: digits", minimum=1) > 17:
        raise ValueError(f"draw: digits must be an integer from 1 to 17; got {digits!r}")


def _bounded_order(root: Value, max_nodes: int) -> tuple[Value, ...]:
    nodes = tuple(root.topological_order())
    _check_size(len(nodes), max_nodes)
    return nodes


def _check_size(count: int, max_nodes: int) -> None:
    if count > max_nodes:
        raise GraphTooLargeError(
            f"draw: the graph has {count} Values, more than max_nodes={max_nodes}; a picture that large is "
            f"unreadable and slow to lay out. Pass max_nodes={count} (or more) to draw it anyway, or draw a "
            "sub-graph by calling draw() on an intermediate Value (for example one neuron's output)."
        )


def _largest_magnitude(grads: Sequence[float | None]) -> float:
    finite = [abs(g) for g in grads if g is not None and math.isfinite(g)]
    return max(finite, default=0.0)


def _number(x: float, digits: int) -> str:
    """`digits` significant digits; zero is '0' whatever its sign."""
    return "0" if x == 0.0 else f"{x:.{digits}g}"


def _text(text: str) -> str:
    """Escape free text for a Graphviz HTML-like label (labels may contain <, & or newlines)."""
    return html.escape(text).replace("\n", "<BR/>")


def _grad_colours(grad: float, scale: float) -> tuple[str, str]:
    """(background, text colour) of a grad cell: blue if positive, red if negative, darker if larger.

    The strength is sqrt(|grad| / scale), so grads a tenth of the largest are still visibly tinted.
    """
    if math.isnan(grad):
        return "#cccccc", "black"
    if grad == 0.0:
        return "#ffffff", "black"
    strength = 1.0 if math.isinf(grad) or scale <= 0.0 else math.sqrt(min(abs(grad) / scale, 1.0))
    full = _POSITIVE_RGB if grad > 0 else _NEGATIVE_RGB
    rgb = (round(255 + (channel - 255) * strength) for channel in full)
    return "#{:02x}{:02x}{:02x}".format(*rgb), ("white" if strength > 0.55 else "black")


def _grad_cell(view: _GradView, i: int, digits: int) -> str:
    grad = view.grads[i]
    if grad is None:
        return f'<TD><FONT COLOR="{_PENDING_TEXT}">grad ?</FONT></TD>'
    text = f"grad {_number(grad, digits)}"
    if not view.final[i]:
        return f'<TD><FONT COLOR="{_PENDING_TEXT}"><I>{text}</I></FONT></TD>'
    background, ink = _grad_colours(grad, view.scale)
    return f'<TD BGCOLOR="{background}"><FONT COLOR="{ink}">{text}</FONT></TD>'


def _value_label(
    node: Value, i: int, is_output: bool, view: _GradView | None, digits: int, grad_cell: str | None = None
) -> str:
    fill = _OUTPUT_FILL if is_output else _ROLE_FILL[node.role]
    border, colour = ("3", _CURRENT) if view is not None and view.current == i else ("1", "black")
    cells = [f"<TD><B>{_text(node.label)}</B></TD>"] if node.label else []
    cells.append(f"<TD>data {_number(node.data, digits)}</TD>")
    if grad_cell is not None:
        cells.append(grad_cell)
    elif view is not None:
        cells.append(_grad_cell(view, i, digits))
    return (
        f'<<TABLE BORDER="{border}" COLOR="{colour}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" '
        f'COLUMNS="*" BGCOLOR="{fill}"><TR>{"".join(cells)}</TR></TABLE>>'
    )


_OP_STYLE = {"style": "filled", "fillcolor": "#f4f4f4", "margin": "0.02", "width": "0.3", "height": "0.3"}


def _build(
    nodes: Sequence[Value],
    view: _GradView | None,
    *,
    rankdir: str,
    show_local_grad: bool,
    digits: int,
    legend: bool,
    notes: Sequence[str],
    graph_id: str | None,
    id_prefix: str | None = None,
    grad_cells: Sequence[str] | None = None,
) -> graphviz.Digraph:
    """The drawing itself; `id_prefix` names SVG elements (`<prefix>v3`, `<prefix>e3_0`) for scripts that restyle them.

    `grad_cells` replaces each Value's grad cell with ready-made `<TD>` markup (the step-through viewer lays
    the graph out once with the widest text each cell will ever show).
    """
    graph = graphviz.Digraph(name="computation_graph")
    graph.attr(rankdir=rankdir, fontname=FONT_FAMILY, nodesep="0.25", ranksep="0.4", bgcolor="white")
    if graph_id is not None:
        graph.attr(id=graph_id)
    if notes:
        graph.attr(label=f"<{'<BR/>'.join(_text(note) for note in notes)}>", labelloc="t", labeljust="l")
    graph.attr("node", fontname=FONT_FAMILY, fontsize="12")
    graph.attr("edge", fontname=FONT_FAMILY, fontsize="11", color="#555555", arrowsize="0.7")
    position = {node: i for i, node in enumerate(nodes)}
    output = len(nodes) - 1
    for i, node in enumerate(nodes):
        ids = {} if id_prefix is None else {"id": f"{id_prefix}v{i}"}
        cell = None if grad_cells is None else grad_cells[i]
        graph.node(f"v{i}", label=_value_label(node, i, i == output, view, digits, cell), shape="plain", **ids)
        if not node.parents:
            continue
        graph.node(f"op{i}", label=node.op, shape="circle" if len(node.op) <= 2 else "ellipse", **_OP_STYLE)
        graph.edge(f"op{i}", f"v{i}")
        highlighted = view is not None and view.current == i
        for k, (parent, local) in enumerate(zip(node.parents, node.local_grads)):
            attributes: dict[str, str] = {} if id_prefix is None else {"id": f"{id_prefix}e{i}_{k}"}
            if show_local_grad:
                attributes["label"] = f"∂ {_number(local, digits)}"
            if highlighted:
                attributes.update(color=_CURRENT, penwidth="2.5", fontcolor=_CURRENT)
            graph.edge(f"v{position[parent]}", f"op{i}", **attributes)
    if legend:
        graph.node("legend", label=_legend(view, show_local_grad), shape="plain")
    return graph


def _legend(view: _GradView | None, show_local_grad: bool) -> str:
    """A compact key: one line of role colours, one of grad colours, then notes for what else is shown."""

    def line(title: str, cells: Sequence[tuple[str, str, str]]) -> str:
        swatches = "".join(f'<TD BGCOLOR="{fill}"><FONT COLOR="{ink}">{text}</FONT></TD>' for fill, text, ink in cells)
        inner = f'<TABLE BORDER="0" CELLSPACING="2" CELLPADDING="3"><TR><TD><B>{title}</B></TD>{swatches}</TR></TABLE>'
        return f'<TR><TD ALIGN="LEFT">{inner}</TD></TR>'

    roles = [(_ROLE_FILL[role], name, "black") for role, name in _ROLE_NAMES]
    roles.append((_OUTPUT_FILL, "출력 (output)", "black"))
    rows = [line("노드", roles)]
    notes = []
    if view is not None:
        shades = [(*_grad_colours(g, 1.0), f"{'+' if g > 0 else '−'}{abs(g):g}") for g in (-1.0, -0.1, 0.1, 1.0)]
        rows.append(line("grad", [(fill, text, ink) for fill, ink, text in shades]))
        notes.append("grad 색의 진하기: 가장 큰 |grad|에 대한 비율 (파랑 +, 빨강 −)")
        if any(grad is None for grad in view.grads):
            notes.append("grad ? : 아직 계산되지 않음")
        if view.current is not None:
            notes.append("주황 테두리: 지금 처리하는 노드 · 주황 간선: 방금 부모에게 보낸 기울기")
            notes.append("회색 기울임꼴 grad: 아직 일부만 모임 (확정 전)")
    if show_local_grad:
        notes.append("간선의 ∂ 값: 국소 미분 ∂(출력)/∂(입력)")
    rows.extend(f'<TR><TD ALIGN="LEFT">{note}</TD></TR>' for note in notes)
    return f'<<TABLE BORDER="1" COLOR="#999999" CELLBORDER="0" CELLSPACING="0">{"".join(rows)}</TABLE>>'


def _caption(node: Value, digits: int) -> str:
    if node.label:
        return node.label
    if node.op:
        return f"'{node.op}' 결과"
    return f"{node.role} {_number(node.data, digits)}"


def _step_caption(step: BackwardStep, digits: int) -> str:
    node = step.node
    grad = step.grads[step.position]
    shown = "?" if grad is None else _number(grad, digits)
    head = f"역전파 {step.index + 1}/{len(step.nodes)} 단계: {_caption(node, digits)} (grad {shown})"
    if not node.parents:
        return f"{head} · 잎 노드라 더 보낼 곳이 없음"
    return f"{head} → 부모 {len(node.parents)}개에 ∂ × grad 를 더함"


# ---- writing files -----------------------------------------------------------------------


def save(root: Value, path: str | Path, *, format: str | None = None, **options: Any) -> Path:
    """Draw the graph ending at `root` and write it to `path`; returns the path written.

    The format comes from `format` or the file's suffix: svg, png, pdf, or dot
    (the Graphviz source, which needs no Graphviz install).  `options` are
    `draw`'s keyword arguments.  PNG and PDF need a Korean font installed for
    Hangul labels (`fonts-nanum` on Debian/Ubuntu): without one, a
    `MissingFontWarning` is issued once per session.  SVG leaves fonts to the viewer.

    Raises GraphvizNotFoundError, after writing the `.dot` source next to
    `path`, when Graphviz's `dot` program is not installed.
    """
    target = Path(path)
    chosen = (format or target.suffix.lstrip(".") or "svg").lower()
    if chosen not in FORMATS:
        raise ValueError(f"save: format must be one of {', '.join(FORMATS)}; got {chosen!r} (from {str(path)!r})")
    graph = draw(root, **options)
    if chosen == "dot":
        target.write_text(graph.source, encoding="utf-8")
        return target
    if chosen in ("png", "pdf"):
        _warn_if_hangul_would_be_boxes(graph.source, target)
    target.write_bytes(_render(graph, target, chosen))
    return target


# ---- fonts and progress ------------------------------------------------------------------

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_font_warning_given = False


@functools.lru_cache(maxsize=1)
def _korean_font_installed() -> bool | None:
    """Whether fontconfig (which Graphviz uses for PNG/PDF) lists a Hangul font; None if `fc-list` is absent."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        found = subprocess.run(
            [fc_list, ":lang=ko", "family"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return bool(found.stdout.strip())


def _warn_if_hangul_would_be_boxes(source: str, target: Path) -> None:
    """Warn once per session when the drawing has Hangul and fontconfig knows no Korean font."""
    global _font_warning_given
    if _font_warning_given or not _HANGUL.search(source) or _korean_font_installed() is not False:
        return
    _font_warning_given = True
    warnings.warn(
        f"save: no Korean (Hangul) font is installed ('fc-list :lang=ko' lists none), so the Hangul text in "
        f"{target} will be drawn as boxes. Install one: 'apt-get install fonts-nanum' (Debian/Ubuntu), "
        "'brew install --cask font-nanum-gothic' (macOS), or any Noto Sans CJK KR font; or save as .svg, "
        "which leaves fonts to the viewer.",
        MissingFontWarning,
        stacklevel=3,
    )


@contextmanager
def _announce_if_slow(message: str, *, after: float = 2.0) -> Iterator[None]:
    """Tell stderr `message` if the block is still running after `after` seconds, and then how long it took.

    Quick work stays silent; long Graphviz layouts no longer look like a hang.
    """
    lock = threading.Lock()
    state = {"announced": False, "finished": False}
    started = time.perf_counter()

    def announce() -> None:
        with lock:
            if not state["finished"] and not state["announced"]:
                state["announced"] = True
                print(f"{message} ...", file=sys.stderr, flush=True)

    timer = threading.Timer(after, announce)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        elapsed = time.perf_counter() - started
        with lock:
            state["finished"] = True
            if not state["announced"] and elapsed >= after:
                state["announced"] = True
                print(f"{message} ...", file=sys.stderr, flush=True)
            if state["announced"]:
                print(f"{message}: done in {elapsed:.1f} s", file=sys.stderr, flush=True)


_INSTALL_GRAPHVIZ = (
    "Install Graphviz: 'apt-get install graphviz fonts-nanum' (Debian/Ubuntu), 'brew install graphviz' (macOS) "
    "or 'conda install -c conda-forge graphviz'"
)


def _render(graph: graphviz.Digraph, target: Path, format: str) -> bytes:
    """Run `dot` on the graph; if it is missing, write the graph's source as `.dot` and say how to install it."""
    try:
        with _announce_if_slow(f"Graphviz: rendering {target}"):
            return bytes(graph.pipe(format=format))
    except graphviz.ExecutableNotFound as error:
        source = target.with_suffix(".dot")
        source.write_text(graph.source, encoding="utf-8")
        raise GraphvizNotFoundError(
            f"Graphviz's 'dot' program was not found on PATH, so {target} could not be rendered; the graph "
            f"source was written to {source} instead. {_INSTALL_GRAPHVIZ}; then run "
            f"'dot -T{format} {source} -o {target}' or call this function again."
        ) from error


# The step-through viewer builds on the drawing code above.
from micrograd_ko.stepview import StepThrough, save_steps, step_through  # noqa: E402
