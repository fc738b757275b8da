"""The step-through page: one layout, frames as data that replay backward_steps exactly, a small offline page."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from micrograd_ko import Value, step_through
from micrograd_ko.viz import GraphTooLargeError, GraphvizNotFoundError, StepThrough, backward_steps, save_steps
from micrograd_ko.viz.style import HIGHLIGHT, PENDING_TEXT, colour_scale, grad_cell
from tests.viz.graphs import SVG, formula_graph, neuron, random_graphs, requires_dot


def viewer_data(fragment: str) -> dict[str, Any]:
    (payload,) = re.findall(r'<script type="application/json" class="mgk-data">(.*?)</script>', fragment, re.S)
    data: dict[str, Any] = json.loads(payload)
    return data


def replay(data: dict[str, Any], k: int) -> list[list[Any]]:
    """What the page script shows at frame k: every cell unknown, then the changes of frames 0..k."""
    cells = [list(data["unknown"]) for _ in data["arity"]]
    for frame in data["frames"][: k + 1]:
        for change in frame["changes"]:
            cells[change[0]] = change[1:]
    return cells


def svg_of(fragment: str) -> ET.Element:
    (svg,) = re.findall(r"<svg.*?</svg>", fragment, re.S)
    return ET.fromstring(svg)


def check_frames_replay_backward_steps(root: Value, digits: int = 17) -> None:
    viewer = step_through(root, digits=digits)
    data = viewer_data(viewer.html())
    steps = list(backward_steps(root))
    assert len(data["frames"]) == len(steps)
    assert data["arity"] == [len(node.parents) for node in steps[0].nodes]
    for k, step in enumerate(steps):
        assert data["frames"][k]["active"] == step.position
        cells = replay(data, k)
        for i, (grad, final) in enumerate(zip(step.grads, step.final)):
            text, background, _, italic = cells[i]
            if grad is None:
                assert text == "grad ?"
                continue
            assert float(text.removeprefix("grad ")) == grad  # 17 digits: the exact float
            assert italic == (0 if final else 1)
            assert (background != "none") == final  # only final grads are coloured
    root.backward()
    last = replay(data, len(steps) - 1)
    assert [float(cell[0].removeprefix("grad ")) for cell in last] == [node.grad for node in steps[0].nodes]


@requires_dot
def test_frames_replay_backward_steps_exactly_for_the_neuron() -> None:
    out = neuron()
    check_frames_replay_backward_steps(out)


@requires_dot
@settings(max_examples=15)
@given(random_graphs())
def test_frames_replay_backward_steps_exactly_on_random_graphs(root: Value) -> None:
    check_frames_replay_backward_steps(root)


@requires_dot
def test_one_svg_with_ids_for_every_grad_cell_showing_the_first_frame() -> None:
    out = neuron()
    viewer = step_through(out, element_id="v")
    fragment = viewer.html()
    assert fragment.count("<svg") == 1
    svg = svg_of(fragment)
    ids = {element.get("id"): element for element in svg.iter() if element.get("id")}
    data = viewer_data(fragment)
    first = replay(data, 0)
    for i, cell in enumerate(first):
        text, background = ids[f"v-gt{i}"], ids[f"v-gc{i}"]
        assert text.tag == f"{SVG}text" and background.tag == f"{SVG}polygon"
        assert [text.text, background.get("fill"), text.get("fill")] == cell[:3]  # readable without scripts too
    active = {element.get("id") for element in svg.iter() if "mgk-active" in element.get("class", "")}
    assert active == {"v-v9", "v-e9_0"}  # the output (tanh, one operand) is processed first
    assert all(node.grad == 0.0 for node in out.topological_order())  # the real grads are untouched


@requires_dot
def test_two_viewers_never_share_an_element_id() -> None:
    out = neuron()
    first, second = step_through(out), step_through(out)
    assert first.element_id != second.element_id
    assert first._repr_html_() == first.html()
    for viewer, other in ((first, second), (second, first)):
        ids = re.findall(r'\bid="([^"]+)"', viewer.html())
        assert ids and all(i.startswith(f"{viewer.element_id}") for i in ids)
        assert not set(ids) & set(re.findall(r'\bid="([^"]+)"', other.html()))


@requires_dot
def test_a_label_that_closes_a_script_cannot_break_the_page() -> None:
    y = Value(1.0, label="</script><script>alert(1)</script>") * 2
    fragment = step_through(y).html()
    assert fragment.count("</script>") == 2  # the data block and the viewer's own script
    assert "&lt;/script&gt;" in fragment  # shown as text in the caption and the SVG


@requires_dot
def test_162_value_formula_page_is_one_small_offline_file(tmp_path: Path) -> None:
    root = formula_graph()
    assert len(root.topological_order()) == 162
    page = save_steps(root, tmp_path / "steps")
    assert page == tmp_path / "steps" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert page.stat().st_size < 2_000_000  # 70 MB before the graph was laid out once
    assert text.count("<svg") == 1
    assert len(viewer_data(text)["frames"]) == 162
    assert not re.search(r"""(src|href)=["']?(https?:|//)""", text)  # nothing fetched from elsewhere
    assert 'data-page-keys="true"' in text  # arrow keys work anywhere on the page


def test_bad_arguments_are_rejected() -> None:
    with pytest.raises(TypeError, match="step_through"):
        step_through(3.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="element_id"):
        step_through(Value(1.0), element_id="1 bad")
    with pytest.raises(GraphTooLargeError, match="164 Values"):
        step_through(formula_graph() + 1, max_nodes=162)  # one constant and one sum more


def test_missing_dot_says_how_to_install_and_save_steps_keeps_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    out = neuron()
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz"):
        step_through(out)
    with pytest.raises(GraphvizNotFoundError, match=r"steps/graph\.dot"):
        save_steps(out, tmp_path / "steps")
    assert "digraph" in (tmp_path / "steps" / "graph.dot").read_text(encoding="utf-8")
    assert not (tmp_path / "steps" / "index.html").exists()


def test_step_through_is_exported_next_to_backward_steps() -> None:
    import micrograd_ko

    assert micrograd_ko.step_through is step_through
    assert {"backward_steps", "step_through"} <= set(micrograd_ko.__all__)
    assert StepThrough.__doc__


def scaled_graph() -> Value:
    """Grads of 1 at the root and 10 and 20 at the leaves: the last frame's scale (20) is not the first's (1)."""
    a, b = Value(2.0, label="a"), Value(1.0, label="b")
    return a * 10.0 + b * 20.0


@requires_dot
@pytest.mark.parametrize("grad_scale", [None, 5.0])
def test_grad_colours_are_on_the_scale_of_the_last_frame_or_the_one_given(grad_scale: float | None) -> None:
    root = scaled_graph()
    steps = list(backward_steps(root))
    scale = colour_scale(steps[-1].grads) if grad_scale is None else grad_scale
    assert colour_scale(steps[0].grads) == 1.0 and scale in (20.0, 5.0)
    data = viewer_data(step_through(root, grad_scale=grad_scale).html())
    for k, step in enumerate(steps):
        looks = [grad_cell(g, done, scale, 4) for g, done in zip(step.grads, step.final)]
        expected = [[look.text, look.background, look.ink, int(look.italic)] for look in looks]
        assert replay(data, k) == expected


@requires_dot
def test_unknown_cells_are_upright_and_only_accumulating_grads_are_italic_in_the_svg() -> None:
    a = Value(2.0, label="a")
    root = a * (a + 1.0)  # frame 1: a is reached by one use and waits for the other
    viewer = step_through(root, element_id="v")
    fragment = viewer.html()
    data = viewer_data(fragment)
    assert data["unknown"] == ["grad ?", "none", PENDING_TEXT, 0]
    looks = [[cell[0], cell[3]] for cell in replay(data, 0)]
    assert sorted(italic for _, italic in looks) == [0, 0, 0, 1]  # a's grad, still accumulating, only
    ids = {element.get("id"): element for element in svg_of(fragment).iter() if element.get("id")}
    for i, (text, italic) in enumerate(looks):
        shown = ids[f"v-gt{i}"]
        assert shown.text == text
        assert (shown.get("font-style") == "italic") == bool(italic)  # "grad ?" is upright, as the script paints it
    unknown = [i for i, (text, _) in enumerate(looks) if text == "grad ?"]
    assert unknown and all(ids[f"v-gt{i}"].get("fill") == PENDING_TEXT for i in unknown)


@requires_dot
def test_the_highlight_keeps_graphvizs_classes_and_the_css_styles_what_the_svg_marks() -> None:
    root = neuron()
    fragment = step_through(root, element_id="v").html()
    svg = svg_of(fragment)
    classes = {element.get("id"): element.get("class") for element in svg.iter(f"{SVG}g") if element.get("id")}
    assert classes["v-v9"] == "node mgk-active" and classes["v-e9_0"] == "edge mgk-active"
    assert sum("mgk-active" in (c or "") for c in classes.values()) == 2
    nodes = len(root.topological_order())
    borders = [e for e in svg.iter(f"{SVG}polygon") if e.get("class") == "mgk-border"]
    assert len(borders) == nodes  # each Value's box border, which the CSS outlines in orange
    for i in range(nodes):
        group = next(e for e in svg.iter(f"{SVG}g") if e.get("id") == f"v-v{i}")
        assert list(group)[-1].get("class") == "mgk-border"
    (css,) = re.findall(r"<style>(.*?)</style>", fragment, re.S)
    for rule in (
        f"#v .node.mgk-active .mgk-border {{ stroke: {HIGHLIGHT}; stroke-width: 3px; }}",
        f"#v .edge.mgk-active path {{ stroke: {HIGHLIGHT}; stroke-width: 2.5px; }}",
        f"#v .edge.mgk-active polygon {{ stroke: {HIGHLIGHT}; fill: {HIGHLIGHT}; }}",
        f"#v .edge.mgk-active text {{ fill: {HIGHLIGHT}; }}",
    ):
        assert rule in css
