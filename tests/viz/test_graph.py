"""The graph drawing: what the SVG shows, stable output, the legend, limits and bad arguments, one backward frame."""

from __future__ import annotations

import math
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from micrograd_ko import Value
from micrograd_ko.viz import GraphTooLargeError, backward_steps, draw, draw_step, save, step_through, style
from tests.viz.graphs import SVG, fills, groups, neuron, node_texts, number, requires_dot, rgb, svg_root, texts


@requires_dot
def test_svg_shows_each_values_label_data_and_grad_and_each_op() -> None:
    out = neuron()
    out.backward()
    order = out.topological_order()
    shown = node_texts(svg_root(draw(out)))
    for i, node in enumerate(order):
        cell_texts = shown[f"v{i}"]
        if node.label:
            assert node.label in cell_texts
        assert f"data {number(node.data)}" in cell_texts
        assert f"grad {number(node.grad)}" in cell_texts
        if node.parents:
            assert shown[f"op{i}"] == [node.op]
    assert {"*", "+", "tanh"} <= {text for name, found in shown.items() if name.startswith("op") for text in found}


@requires_dot
def test_korean_label_keeps_its_space() -> None:
    w = Value(0.5, label="가중치 w", role="parameter")
    y = w * Value(2.0, label="입력 x")
    y.label = "출력 y"
    all_texts = texts(svg_root(draw(y)))
    for label in ("가중치 w", "입력 x", "출력 y"):
        assert label in all_texts


@requires_dot
def test_node_and_edge_counts_equal_the_graphs_with_repeated_operands_and_fan_in() -> None:
    a = Value(3.0, label="a")
    xs = [Value(float(k), label=f"x{k}") for k in range(5)]
    y = Value.sum([a + a, a * a, *xs]) * 2  # a used four times; sum has fan-in 7; 2 is a constant leaf
    y.backward()
    order = y.topological_order()
    computed = [node for node in order if node.parents]
    svg = svg_root(draw(y))
    nodes = {name: found for name, found in groups(svg, "node").items() if name != "legend"}
    assert sum(len(found) for found in nodes.values()) == len(order) + len(computed)
    edges = groups(svg, "edge")
    assert sum(len(found) for found in edges.values()) == sum(len(node.parents) + 1 for node in computed)
    index = {node: i for i, node in enumerate(order)}
    for node in computed:
        i = index[node]
        for parent in set(node.parents):
            assert len(edges[f"v{index[parent]}->op{i}"]) == node.parents.count(parent)
    sum_node = order[-1].parents[0]
    assert len(sum_node.parents) == 7
    assert groups(svg, "node")[f"op{index[sum_node]}"]  # one op node for the whole sum


@requires_dot
def test_a_value_used_all_along_a_long_chain_is_drawn_from_copies_so_graphviz_stays_fast() -> None:
    x = Value(1.0, label="x")
    y = x
    for _ in range(79):
        y = y + x  # 80 Values; each edge from x into a far op is a row of hidden Graphviz nodes: 96 s to lay out
    y.backward()
    graph = draw(y)
    edges = re.findall(r"^\t(\w+) -> (\w+)", graph.source, re.M)
    copies = re.findall(r"^\t(c0_\d+) \[label=<<B>x</B> data 1>", graph.source, re.M)
    into_ops = [tail for tail, head in edges if head.startswith("op")]
    assert len(into_ops) == 2 * 79  # still one edge per use: every + has its two operands
    assert into_ops.count("v0") == 2 + 3  # x + x, then the few sums close enough to x's own box
    assert len(copies) == 75 and [into_ops.count(copy) for copy in copies] == [1] * 75  # the other uses: copies
    assert 'style="dashed,filled"' in graph.source and "점선 상자" in graph.source  # and the legend says what it is
    assert svg_root(graph).tag == f"{SVG}svg"  # this layout took about a minute before the copies


@requires_dot
def test_local_derivative_is_written_on_each_edge() -> None:
    x = Value(3.0, label="x")
    y = (x * x).tanh()
    y.backward()
    svg = svg_root(draw(y, show_local_grad=True))
    edges = groups(svg, "edge")
    order = y.topological_order()
    square = order.index(y.parents[0])
    labels = [texts(edge) for edge in edges[f"v{order.index(x)}->op{square}"]]
    assert labels == [[f"∂ {number(3.0)}"], [f"∂ {number(3.0)}"]]  # d(x*x)/dx = x, once per use
    (tanh_edge,) = edges[f"v{square}->op{order.index(y)}"]
    assert texts(tanh_edge) == [f"∂ {number(1 - math.tanh(9.0) ** 2)}"]


@requires_dot
def test_before_backward_grads_are_marked_not_computed_instead_of_zero() -> None:
    out = neuron()
    before = texts(svg_root(draw(out)))
    cells = [t for name, found in node_texts(svg_root(draw(out))).items() if name != "legend" for t in found]
    assert [t for t in cells if t.startswith("grad")] == ["grad ?"] * len(out.topological_order())
    assert any("backward()" in t and "계산 전" in t for t in before)
    out.backward()
    after = texts(svg_root(draw(out)))
    assert "grad ?" not in after
    assert not any("계산 전" in t for t in after)
    forced = texts(svg_root(draw(out, grads_computed=False)))
    assert "grad ?" in forced


@requires_dot
def test_grad_colours_follow_sign_and_magnitude() -> None:
    big_negative = Value(1.0, label="big")
    small_positive = Value(1.0, label="small")
    y = big_negative * -10.0 + small_positive * 0.5  # grads -10 and 0.5
    y.backward()
    order = y.topological_order()
    svg = groups(svg_root(draw(y)), "node")

    def cell_colour(node: Value) -> tuple[int, int, int]:
        (colour,) = {c for c in fills(svg[f"v{order.index(node)}"][0]) if c.startswith("#") and c != "#dff0d8"}
        return rgb(colour)

    red, green, blue = cell_colour(big_negative)
    assert red > blue and red > green
    r2, g2, b2 = cell_colour(small_positive)
    assert b2 > r2
    assert sum((red, green, blue)) < sum((r2, g2, b2))  # the larger |grad| is the darker one


def grad_cell_colour(svg: dict[str, list[ET.Element]], order: list[Value], node: Value) -> tuple[int, int, int]:
    """The fill of `node`'s grad cell: the one colour in its box that is not the role colour."""
    role_fill = style.ROLE_FILL[node.role]
    (colour,) = {c for c in fills(svg[f"v{order.index(node)}"][0]) if c.startswith("#") and c != role_fill}
    return rgb(colour)


@requires_dot
def test_grad_of_exactly_one_is_full_blue_and_a_tenth_is_lighter_but_tinted() -> None:
    a, b = Value(2.0, label="a"), Value(0.5, label="b")
    y = a + b * 0.1  # grads: a 1.0, b 0.1; the largest |grad| is 1.0
    y.backward()
    assert (a.grad, b.grad) == (1.0, 0.1)
    order = y.topological_order()
    svg = groups(svg_root(draw(y)), "node")
    one, tenth = grad_cell_colour(svg, order, a), grad_cell_colour(svg, order, b)
    assert one == style.POSITIVE_RGB  # the largest grad gets the full colour, never white
    assert tenth != (255, 255, 255) and tenth[2] > tenth[0]  # still visibly blue
    assert sum(tenth) > sum(one)  # and lighter than the 1.0 cell


@requires_dot
def test_legend_shows_roles_grad_shades_and_notes_for_what_is_drawn() -> None:
    out = neuron()
    before = node_texts(svg_root(draw(out, show_local_grad=True)))["legend"]
    for name in ("입력 (input)", "매개변수 (parameter)", "상수 (constant)", "중간 결과 (result)", "출력 (output)"):
        assert name in before
    assert {"−1", "−0.1", "+0.1", "+1"} <= set(before)
    assert any("grad ?" in text for text in before)
    assert any("국소 미분" in text for text in before)
    out.backward()
    legend = groups(svg_root(draw(out)), "node")["legend"][0]
    after = texts(legend)
    assert not any("grad ?" in text for text in after)  # nothing left uncomputed
    assert not any("국소 미분" in text for text in after)  # no edge labels drawn, so no note about them
    swatches = fills(legend)
    assert "#{:02x}{:02x}{:02x}".format(*style.POSITIVE_RGB) in swatches
    assert "#{:02x}{:02x}{:02x}".format(*style.NEGATIVE_RGB) in swatches
    assert {style.ROLE_FILL[role] for role in style.ROLE_FILL} <= swatches
    without_grad = node_texts(svg_root(draw(out, show_grad=False)))["legend"]
    assert "+1" not in without_grad and "입력 (input)" in without_grad
    assert "legend" not in groups(svg_root(draw(out, legend=False)), "node")
    assert "legend" not in draw(out, legend=False).source


@requires_dot
def test_roles_and_output_are_visually_distinct() -> None:
    x = Value(1.0, label="x")
    w = Value(2.0, label="w", role="parameter")
    hidden = x * w + 3.0
    y = hidden.relu()
    y.backward()
    order = y.topological_order()
    svg = groups(svg_root(draw(y, show_grad=False)), "node")
    box = {node: fills(svg[f"v{order.index(node)}"][0]) for node in (x, w, hidden, y, hidden.parents[1])}
    assert len({frozenset(colours) for colours in box.values()}) == 5


@requires_dot
def test_labels_with_markup_characters_are_shown_literally() -> None:
    y = Value(1.0, label='a<b> & "c"\'') * 2
    assert 'a<b> & "c"\'' in texts(svg_root(draw(y)))


@requires_dot
@pytest.mark.parametrize(
    ("label", "shown"),
    [
        ("x\x01", "x␁"),
        ("\x00a\x1fb", "␀a␟b"),
        ("tab\there", "tab␉here"),
        ("x\ufffe", "x\ufffd"),
        ("x\ud800", "x\ufffd"),
    ],
)
def test_a_label_with_a_character_xml_forbids_renders_with_a_stand_in(label: str, shown: str) -> None:
    y = Value(1.0, label=label) * 2
    y.backward()
    assert shown in texts(svg_root(draw(y, title=label)))  # a label box and the title line
    assert shown in texts(svg_root(draw_step(next(backward_steps(y)))))
    viewer = step_through(y)
    assert shown in viewer.page() and any(shown in frame["caption"] for frame in viewer.frames)


def test_two_renders_of_the_same_graph_are_identical() -> None:
    def build() -> Value:
        a, b = Value(1.5, label="a"), Value(-2.0, label="b", role="parameter")
        y = (a * b + a).tanh() + (a + a) * 0.5
        y.backward()
        return y

    first, second = draw(build(), show_local_grad=True).source, draw(build(), show_local_grad=True).source
    assert first == second
    assert not re.search(r"0x[0-9a-f]{6,}|\b\d{9,}\b", first)  # nothing derived from memory addresses
    if shutil.which("dot"):
        y = build()
        assert draw(y).pipe(format="svg") == draw(y).pipe(format="svg")
        assert draw(build()).pipe(format="svg") == draw(y).pipe(format="svg")


@requires_dot
def test_returned_graph_displays_inline_as_svg_in_jupyter() -> None:
    bundle = draw(neuron())._repr_mimebundle_()
    assert ET.fromstring(bundle["image/svg+xml"]).tag == f"{SVG}svg"


# ---- limits and bad arguments --------------------------------------------------------------


def chain(length: int) -> Value:
    y = Value(0.1, label="x")
    for _ in range(length):
        y = y.tanh()
    return y


def test_graph_above_max_nodes_raises_with_the_count_and_what_to_do() -> None:
    y = chain(600)
    with pytest.raises(GraphTooLargeError) as caught:
        draw(y)
    message = str(caught.value)
    assert "601" in message and "max_nodes=500" in message
    assert "max_nodes=601" in message and "sub-graph" in message
    assert isinstance(caught.value, ValueError)
    assert draw(y, max_nodes=601).source.count("label=tanh") == 600
    with pytest.raises(GraphTooLargeError, match="601"):
        draw_step(next(backward_steps(y)), max_nodes=600)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: draw(3.0), TypeError),  # type: ignore[arg-type]
        (lambda: draw(Value(1.0), rankdir="up"), ValueError),
        (lambda: draw(Value(1.0), digits=0), ValueError),
        (lambda: draw_step(Value(1.0)), TypeError),  # type: ignore[arg-type]
        (lambda: save(Value(1.0), "graph.gif"), ValueError),
    ],
)
def test_bad_arguments_are_rejected(call: Callable[[], object], error: type[Exception]) -> None:
    with pytest.raises(error):
        call()



# ---- drawing steps -------------------------------------------------------------------------


@requires_dot
def test_step_frame_outlines_the_current_node_and_keeps_ids_unique(tmp_path: Path) -> None:
    out = neuron()
    steps = list(backward_steps(out))
    svg = svg_root(draw_step(steps[3]))
    current = groups(svg, "node")[f"v{steps[3].position}"][0]
    assert any(shape.get("stroke") == "#ff7f0e" for shape in current.iter(f"{SVG}polygon"))
    assert any("4/10" in t for t in texts(svg))
    ids = [group.get("id", "") for group in svg.iter(f"{SVG}g") if group.get("class") in ("node", "edge")]
    assert ids and all(i.startswith("step3_") for i in ids)
    shown = node_texts(svg)
    never_reached = [i for i, grad in enumerate(steps[3].grads) if grad is None]
    assert never_reached and all("grad ?" in shown[f"v{i}"] for i in never_reached)

