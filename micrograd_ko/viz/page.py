"""Backpropagation step by step, in a browser or a notebook: one layout, frames as data, a slider.

`step_through(root)` replays `backward_steps(root)` and returns a `StepThrough`:
Jupyter shows it inline (`_repr_html_`), `save(path)` writes it as one HTML
file, and `save_steps(root, directory)` writes `directory/index.html`.

How the viewer is built, and why:

* Graphviz lays the graph out **once**.  Each Value's grad cell is laid out
  with the widest text it will ever show, so later texts always fit.
* Each frame is data: which node is being processed, and the grad cells that
  changed (text, background, text colour, italic while still accumulating).
  A frame costs a few bytes per changed cell instead of a whole SVG, so a
  graph of 160 Values gives a page of a few hundred kilobytes, not 70 MB.
* A small inline script restyles that one SVG: no server, no CDN, no extra
  Python package.  Element ids start with the viewer's own id, so two viewers
  in one notebook never touch each other's elements.
* The slider handles its own arrow keys; the viewer's key handler leaves
  events from the slider alone, so one key press moves exactly one frame.
* Colours and fonts, in the SVG and in the page's CSS alike, come from
  `micrograd_ko.viz.style`, and a grad cell's look from its `grad_cell`.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from micrograd_ko.autograd import Value
from micrograd_ko.viz._checks import DIGITS, MAX_NODES, check_options, check_path, check_root, check_size
from micrograd_ko.viz.graph import GradCells, digraph
from micrograd_ko.viz.render import render
from micrograd_ko.viz.steps import BackwardStep, backward_steps
from micrograd_ko.viz.style import (
    HIGHLIGHT,
    PENDING_TEXT,
    UNKNOWN,
    GradCell,
    colour_scale,
    css_font_family,
    grad_cell,
    visible_text,
)

__all__ = ["StepThrough", "save_steps", "step_through"]

_SVG_NS = "http://www.w3.org/2000/svg"
_SVG = "{" + _SVG_NS + "}"
_viewer_numbers = itertools.count(1)


@dataclass(frozen=True)
class StepThrough:
    """Backward step by step: one laid-out SVG plus the frames that restyle it.

    In Jupyter the object displays itself as the interactive viewer
    (`_repr_html_`); `html()` is that fragment, `page()` a complete offline
    HTML document, `save(path)` writes the page.  `frames` holds, per step,
    the processed node's index, the caption and the grad cells that changed:
    `(node index, text, background, text colour, italic)`.
    """

    element_id: str
    svg: str
    steps: tuple[BackwardStep, ...]
    frames: tuple[dict[str, Any], ...]

    def _repr_html_(self) -> str:
        return self.html()

    def html(self) -> str:
        """The viewer as an HTML fragment (a `<div>` with its own style and script) for embedding."""
        arity = [len(node.parents) for node in self.steps[0].nodes]
        data = {"arity": arity, "unknown": _as_data(UNKNOWN), "frames": self.frames}
        # "</" inside a <script> element would end it early (a label may contain "</script>").
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
        return _FRAGMENT.format(
            id=self.element_id,
            font=_CSS_FONT,
            highlight=HIGHLIGHT,
            last=len(self.frames) - 1,
            count=len(self.frames),
            caption=html.escape(self.frames[0]["caption"]),
            svg=self.svg,
            data=payload,
            script=_SCRIPT,
        )

    def page(self, title: str = "역전파 한 단계씩 보기") -> str:
        """A complete HTML document around the viewer, with arrow keys working anywhere on the page."""
        viewer = self.html().replace('data-page-keys="false"', 'data-page-keys="true"', 1)
        return _PAGE.format(title=html.escape(title), font=_CSS_FONT, viewer=viewer)

    def save(self, path: str | Path) -> Path:
        """Write `page()` to `path` (UTF-8); returns the path.  The file works offline, opened directly."""
        target = Path(path)
        target.write_text(self.page(), encoding="utf-8")
        return target


def step_through(
    root: Value,
    *,
    rankdir: str = "LR",
    show_local_grad: bool = True,
    digits: int = DIGITS,
    max_nodes: int | None = MAX_NODES,
    legend: bool = True,
    grad_scale: float | None = None,
    element_id: str | None = None,
) -> StepThrough:
    """Replay `backward()` from `root` frame by frame in an interactive viewer (Jupyter or a browser).

    Every frame is one step of `backward_steps(root)`: the processed node is
    outlined in orange with the edges it just sent grads along; final grads
    are coloured as in `draw` (on the scale of the final frame, or
    `grad_scale`), grads still accumulating are grey italic, and unreached
    ones show `?`.  The real `.grad` fields are not touched.  `element_id`
    names the viewer's HTML element (default: unique per call).

    Raises GraphTooLargeError above `max_nodes` Values (None: no limit) and
    GraphvizNotFoundError when Graphviz's `dot` is missing.
    """
    options: dict[str, Any] = {"show_local_grad": show_local_grad, "legend": legend, "grad_scale": grad_scale}
    _check("step_through", root, rankdir, digits, max_nodes, element_id, options)
    return _step_through(root, "step_through", None, rankdir, digits, element_id, **options)


def save_steps(
    root: Value,
    directory: str | Path,
    *,
    rankdir: str = "LR",
    show_local_grad: bool = True,
    digits: int = DIGITS,
    max_nodes: int | None = MAX_NODES,
    legend: bool = True,
    grad_scale: float | None = None,
    element_id: str | None = None,
) -> Path:
    """Write the step-through viewer of `root`'s backward pass to `directory/index.html`; returns its path.

    The page is one self-contained file (plain HTML, SVG and JavaScript; open
    it directly, no server or network).  The options are `step_through`'s,
    with the same defaults.  When Graphviz's `dot` is missing, the graph's
    source is written to `directory/graph.dot` and GraphvizNotFoundError is
    raised.  Bad arguments are refused before the folder is made.
    """
    options: dict[str, Any] = {"show_local_grad": show_local_grad, "legend": legend, "grad_scale": grad_scale}
    _check("save_steps", root, rankdir, digits, max_nodes, element_id, options)
    check_path(directory, "save_steps: directory")
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    viewer = _step_through(root, "save_steps", folder / "graph.dot", rankdir, digits, element_id, **options)
    return viewer.save(folder / "index.html")


def _check(
    function: str,
    root: Value,
    rankdir: str,
    digits: int,
    max_nodes: int | None,
    element_id: str | None,
    options: dict[str, Any],
) -> None:
    """Every argument of `step_through` / `save_steps`, and the graph's size, before any work is done."""
    check_root(root, function)
    check_options(function, rankdir=rankdir, digits=digits, max_nodes=max_nodes, element_id=element_id, **options)
    check_size(len(root.topological_order()), max_nodes, function)


def _step_through(
    root: Value,
    function: str,
    dot_source: Path | None,
    rankdir: str,
    digits: int,
    element_id: str | None,
    *,
    show_local_grad: bool,
    legend: bool,
    grad_scale: float | None,
) -> StepThrough:
    """The viewer of checked arguments; `dot_source` is where the DOT source goes when `dot` is missing.

    `function` (the public caller) names the work in `render`'s notices and errors.
    """
    steps = tuple(backward_steps(root))
    nodes = steps[0].nodes
    scale = colour_scale(steps[-1].grads) if grad_scale is None else grad_scale
    looks = [[grad_cell(step.grads[i], step.final[i], scale, digits) for i in range(len(nodes))] for step in steps]
    frames = tuple(_frame(step, looks[k], looks[k - 1] if k else None, digits) for k, step in enumerate(steps))
    if element_id is None:
        digest = hashlib.sha1(json.dumps(frames, ensure_ascii=False).encode("utf-8")).hexdigest()[:8]
        element_id = f"mgk-{digest}-{next(_viewer_numbers)}"
    # Graphviz lays the graph out once, so each cell gets the widest text it will ever show.
    widest = [max((frame[i].text for frame in looks), key=len) for i in range(len(nodes))]
    cells = [GradCell(text, "#ffffff", PENDING_TEXT, False) for text in widest]
    # stepping with no current node: the legend explains the orange highlight, but the script moves it.
    grads = GradCells(cells, unknown=None in steps[0].grads, stepping=True)
    graph = digraph(
        nodes,
        grads,
        rankdir=rankdir,
        show_local_grad=show_local_grad,
        digits=digits,
        legend=legend,
        graph_id=f"{element_id}-graph",  # Graphviz prefixes the ids it makes up (op nodes, legend) with this
        id_prefix=f"{element_id}-",
    )
    svg = render(graph, "svg", function, f"{len(nodes)} Values", source=dot_source)
    return StepThrough(element_id, _mark_up(svg, element_id, steps[0], looks[0]), steps, frames)


def _as_data(cell: GradCell) -> list[Any]:
    """A cell as the page script reads it: `[text, background, ink, italic as 0 or 1]`."""
    return [cell.text, cell.background, cell.ink, int(cell.italic)]


def _frame(
    step: BackwardStep, look: Sequence[GradCell], before: Sequence[GradCell] | None, digits: int
) -> dict[str, Any]:
    """One frame as data: the active node, the caption, and only the cells that differ from the previous frame."""
    previous = before if before is not None else [UNKNOWN] * len(look)
    changed = [[i, *_as_data(cell)] for i, (cell, old) in enumerate(zip(look, previous)) if cell != old]
    return {"active": step.position, "caption": visible_text(step.caption(digits)), "changes": changed}


def _mark_up(svg: bytes, element_id: str, first: BackwardStep, look: Sequence[GradCell]) -> str:
    """Give each grad cell's text and background an id, mark borders, and paint the first frame.

    In Graphviz's SVG a Value's node group holds its table: the grad cell is
    the last cell, so its text is the group's last `<text>`, drawn right after
    the cell's background polygon; the table's border is the last polygon.
    Painting frame 1 here keeps the picture right even where scripts do not run.
    """
    tree = ET.fromstring(svg)
    groups = {group.get("id", ""): group for group in tree.iter(f"{_SVG}g")}
    prefix = f"{element_id}-"
    for i, cell in enumerate(look):
        group = groups[f"{prefix}v{i}"]
        children = list(group)
        text_at = max(k for k, child in enumerate(children) if child.tag == f"{_SVG}text")
        text, background, border = children[text_at], children[text_at - 1], children[-1]
        shapes = (background.tag, border.tag)
        if not (text.text or "").startswith("grad") or shapes != (f"{_SVG}polygon", f"{_SVG}polygon"):
            raise RuntimeError(f"step_through: unexpected SVG from Graphviz for node v{i}; cannot restyle it")
        text.set("id", f"{prefix}gt{i}")
        background.set("id", f"{prefix}gc{i}")
        border.set("class", "mgk-border")
        _paint(text, background, cell)
    active = [f"{prefix}v{first.position}"] + [f"{prefix}e{first.position}_{k}" for k in range(len(first.node.parents))]
    for name in active:
        groups[name].set("class", f"{groups[name].get('class', '')} mgk-active")
    # Plain tag names plus one xmlns attribute: ElementTree would otherwise write "ns0:" prefixes everywhere.
    for element in tree.iter():
        element.tag = element.tag.removeprefix(_SVG)
    tree.set("xmlns", _SVG_NS)
    return ET.tostring(tree, encoding="unicode")


def _paint(text: ET.Element, background: ET.Element, cell: GradCell) -> None:
    """The Python twin of the page script's `paint`: set one grad cell's text and colours."""
    text.text = cell.text
    background.set("fill", cell.background)
    text.set("fill", cell.ink)
    if cell.italic:
        text.set("font-style", "italic")
    elif "font-style" in text.attrib:
        del text.attrib["font-style"]


_CSS_FONT = css_font_family()

_FRAGMENT = """<div id="{id}" class="mgk-steps" tabindex="0" data-page-keys="false" data-lm-suppress-shortcuts="true">
<style>
#{id} {{ font-family: {font}; outline: none; }}
#{id} .mgk-controls {{ display: flex; gap: 0.8em; align-items: center; margin: 0.4em 0; }}
#{id} .mgk-slider {{ flex: 1; max-width: 40em; }}
#{id} .mgk-caption {{ margin: 0.3em 0 0.6em; }}
#{id} .mgk-figure {{ margin: 0; overflow: auto; max-height: 85vh; }}
#{id} .mgk-figure svg {{ max-width: none; height: auto; }}
#{id} .node.mgk-active .mgk-border {{ stroke: {highlight}; stroke-width: 3px; }}
#{id} .edge.mgk-active path {{ stroke: {highlight}; stroke-width: 2.5px; }}
#{id} .edge.mgk-active polygon {{ stroke: {highlight}; fill: {highlight}; }}
#{id} .edge.mgk-active text {{ fill: {highlight}; }}
</style>
<div class="mgk-controls">
<button class="mgk-prev" type="button">◀ 이전</button>
<input class="mgk-slider" type="range" min="0" max="{last}" value="0" aria-label="역전파 단계">
<button class="mgk-next" type="button">다음 ▶</button>
<span class="mgk-counter">1 / {count}</span>
</div>
<p class="mgk-caption">{caption}</p>
<figure class="mgk-figure">{svg}</figure>
<script type="application/json" class="mgk-data">{data}</script>
<script>{script}("{id}");</script>
</div>"""

# Restyles the one SVG for frame k: reset every grad cell to "?", replay the changes of frames 0..k,
# then move the orange highlight.  Elements are looked up inside this viewer only.
_SCRIPT = """(function (id) {
  var me = document.currentScript;
  var root = (me && me.closest && me.closest(".mgk-steps")) || document.getElementById(id);
  if (!root || root.dataset.ready) return;
  root.dataset.ready = "1";
  var data = JSON.parse(root.querySelector(".mgk-data").textContent);
  var byId = {};
  root.querySelectorAll("[id]").forEach(function (e) { byId[e.id] = e; });
  var p = id + "-", n = data.frames.length, current = -1;
  var slider = root.querySelector(".mgk-slider");
  var figure = root.querySelector(".mgk-figure");
  function paint(i, cell) {
    var text = byId[p + "gt" + i];
    text.textContent = cell[0];
    byId[p + "gc" + i].setAttribute("fill", cell[1]);
    text.setAttribute("fill", cell[2]);
    if (cell[3]) text.setAttribute("font-style", "italic"); else text.removeAttribute("font-style");
  }
  function mark(k, on) {
    var a = data.frames[k].active;
    byId[p + "v" + a].classList.toggle("mgk-active", on);
    for (var j = 0; j < data.arity[a]; j++) byId[p + "e" + a + "_" + j].classList.toggle("mgk-active", on);
  }
  function reveal(element) {
    var r = element.getBoundingClientRect(), f = figure.getBoundingClientRect();
    if (r.left < f.left || r.right > f.right) figure.scrollLeft += (r.left + r.right - f.left - f.right) / 2;
    if (r.top < f.top || r.bottom > f.bottom) figure.scrollTop += (r.top + r.bottom - f.top - f.bottom) / 2;
  }
  function show(index) {
    var k = Math.max(0, Math.min(n - 1, index));
    for (var i = 0; i < data.arity.length; i++) paint(i, data.unknown);
    for (var f = 0; f <= k; f++) data.frames[f].changes.forEach(function (c) { paint(c[0], c.slice(1)); });
    root.querySelectorAll(".mgk-active").forEach(function (e) { e.classList.remove("mgk-active"); });
    mark(k, true);
    current = k;
    slider.value = String(k);
    root.querySelector(".mgk-counter").textContent = (k + 1) + " / " + n;
    root.querySelector(".mgk-caption").textContent = data.frames[k].caption;
    root.dataset.frame = String(k);
    reveal(byId[p + "v" + data.frames[k].active]);
  }
  function onKey(event) {
    if (event.target === slider) return;  // the slider moves itself one frame and fires "input"
    var moves = {ArrowLeft: -1, ArrowRight: 1, Home: -n, End: n};
    if (!(event.key in moves) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopPropagation();
    show(current + moves[event.key]);
  }
  slider.addEventListener("input", function () { show(Number(slider.value)); });
  root.querySelector(".mgk-prev").addEventListener("click", function () { show(current - 1); });
  root.querySelector(".mgk-next").addEventListener("click", function () { show(current + 1); });
  root.addEventListener("keydown", onKey);
  if (root.dataset.pageKeys === "true") {
    document.addEventListener("keydown", function (event) { if (!root.contains(event.target)) onKey(event); });
  }
  show(0);
})"""

_PAGE = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>body {{ margin: 1.5em; font-family: {font}; }}</style>
</head>
<body>
<h1>{title}</h1>
<p>backward()는 출력에서 시작해 위상 정렬의 역순으로 노드를 하나씩 처리합니다.
처리하는 노드는 자기 grad에 국소 미분(∂)을 곱해 부모의 grad에 더합니다.
슬라이더, 버튼, ← → 키로 한 단계씩 옮겨 보세요 (Home/End: 처음/끝).</p>
{viewer}
</body>
</html>
"""
