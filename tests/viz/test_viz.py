"""The graph renderer: what the SVG shows, stable output, limits, missing Graphviz, backward step-through."""

from __future__ import annotations

import math
import re
import shutil
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from micrograd_ko import Value, viz
from micrograd_ko.viz import (
    BackwardStep,
    GraphTooLargeError,
    GraphvizNotFoundError,
    MissingFontWarning,
    backward_steps,
    draw,
    draw_step,
    save,
)

SVG = "{http://www.w3.org/2000/svg}"

requires_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz 'dot' is not installed (make test installs it)"
)


def neuron() -> Value:
    """tanh(x1*w1 + x2*w2 + b): the classic one-neuron graph, with a Korean label."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1 = Value(-3.0, label="가중치 w1", role="parameter")
    w2 = Value(1.0, label="w2", role="parameter")
    b = Value(6.8813735870195432, label="b", role="parameter")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    out = n.tanh()
    out.label = "출력 o"
    return out


def svg_root(graph: object) -> ET.Element:
    return ET.fromstring(graph.pipe(format="svg"))  # type: ignore[attr-defined]


def groups(svg: ET.Element, kind: str) -> dict[str, list[ET.Element]]:
    """SVG groups of class `kind` ('node' or 'edge') keyed by their <title> (the DOT name)."""
    found: dict[str, list[ET.Element]] = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") == kind:
            title = group.find(f"{SVG}title")
            assert title is not None
            found.setdefault(title.text or "", []).append(group)
    return found


def texts(element: ET.Element) -> list[str]:
    return ["".join(text.itertext()) for text in element.iter(f"{SVG}text")]


def node_texts(svg: ET.Element) -> dict[str, list[str]]:
    return {name: texts(found[0]) for name, found in groups(svg, "node").items()}


def fills(element: ET.Element) -> set[str]:
    return {shape.get("fill", "") for shape in element.iter(f"{SVG}polygon")}


def rgb(colour: str) -> tuple[int, int, int]:
    r, g, b = (int(colour[k : k + 2], 16) for k in (1, 3, 5))
    return r, g, b


def number(x: float) -> str:
    return f"{x:.4g}"


# ---- what the picture shows -----------------------------------------------------------------


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
    role_fill = viz._ROLE_FILL[node.role]
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
    assert one == viz._POSITIVE_RGB  # the largest grad gets the full colour, never white
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
    assert "#{:02x}{:02x}{:02x}".format(*viz._POSITIVE_RGB) in swatches
    assert "#{:02x}{:02x}{:02x}".format(*viz._NEGATIVE_RGB) in swatches
    assert {viz._ROLE_FILL[role] for role in viz._ROLE_FILL} <= swatches
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


# ---- writing files -------------------------------------------------------------------------


@requires_dot
def test_save_writes_svg_and_png(tmp_path: Path) -> None:
    out = neuron()
    out.backward()
    svg = save(out, tmp_path / "graph.svg")
    assert ET.parse(svg).getroot().tag == f"{SVG}svg"
    png = save(out, tmp_path / "graph.png", show_local_grad=True)
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert save(out, tmp_path / "picture", format="svg").read_bytes() == svg.read_bytes()


def test_missing_dot_says_how_to_install_and_still_writes_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "")
    out = neuron()
    out.backward()
    target = tmp_path / "graph.svg"
    with pytest.raises(GraphvizNotFoundError) as caught:
        save(out, target)
    message = str(caught.value)
    assert "apt-get install graphviz" in message and "brew install graphviz" in message and "conda" in message
    assert str(tmp_path / "graph.dot") in message
    assert not target.exists()
    source = (tmp_path / "graph.dot").read_text(encoding="utf-8")
    assert source == draw(out).source
    assert isinstance(caught.value, RuntimeError)
    assert save(out, tmp_path / "source.dot").read_text(encoding="utf-8") == source  # dot source needs no dot


def without_korean_font(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend fontconfig lists no Korean font, and that no warning was given yet in this session."""
    monkeypatch.setattr(viz, "_korean_font_installed", lambda: False)
    monkeypatch.setattr(viz, "_font_warning_given", False)


@requires_dot
def test_png_without_a_korean_font_warns_once_how_to_install_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_korean_font(monkeypatch)
    out = neuron()  # Korean labels
    with pytest.warns(MissingFontWarning) as caught:
        png = save(out, tmp_path / "graph.png")
    (warning,) = caught
    message = str(warning.message)
    assert "apt-get install fonts-nanum" in message and str(png) in message and ".svg" in message
    assert png.read_bytes().startswith(b"\x89PNG")  # the picture is still written
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingFontWarning)
        save(out, tmp_path / "again.png")  # once per session, not once per file
        save(out, tmp_path / "graph.pdf")


@requires_dot
def test_no_font_warning_for_svg_for_labels_without_hangul_or_with_a_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_korean_font(monkeypatch)
    y = Value(2.0, label="x") * Value(3.0, label="w")
    y.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingFontWarning)
        save(neuron(), tmp_path / "graph.svg")  # SVG leaves fonts to the viewer
        save(y, tmp_path / "plain.png", legend=False)  # no Hangul at all
        monkeypatch.setattr(viz, "_korean_font_installed", lambda: True)
        save(neuron(), tmp_path / "graph.png")
        monkeypatch.setattr(viz, "_korean_font_installed", lambda: None)  # no fc-list: cannot tell, so no alarm
        save(neuron(), tmp_path / "unknown.png")
    with pytest.warns(MissingFontWarning):  # the legend is Korean, so it does need the font
        monkeypatch.setattr(viz, "_korean_font_installed", lambda: False)
        save(y, tmp_path / "legend.png")


def test_font_probe_reads_fc_list_and_gives_up_quietly_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    probe = viz._korean_font_installed.__wrapped__
    if shutil.which("fc-list"):
        assert probe() in (True, False)
    monkeypatch.setenv("PATH", "")
    assert probe() is None  # cannot tell, so save() does not warn


def test_slow_work_is_announced_on_stderr_and_quick_work_is_not(capsys: pytest.CaptureFixture[str]) -> None:
    with viz._announce_if_slow("laying out 162 Values", after=0.0):
        pass
    announced = capsys.readouterr()
    assert announced.out == ""
    assert announced.err.startswith("laying out 162 Values ...\n")
    assert re.search(r"laying out 162 Values: done in \d+\.\d s\n$", announced.err)
    with viz._announce_if_slow("quick", after=600.0):
        pass
    assert capsys.readouterr() == ("", "")


# ---- stepping through backward -------------------------------------------------------------


def test_one_frame_per_node_in_backward_order_and_last_frame_equals_backward() -> None:
    out = neuron()
    order = out.topological_order()
    steps = list(backward_steps(out))
    assert [step.node for step in steps] == list(reversed(order))
    assert [step.index for step in steps] == list(range(len(order)))
    assert all(node.grad == 0.0 for node in order)  # stepping leaves the real grads alone
    out.backward()
    assert steps[-1].grads == tuple(node.grad for node in order)
    assert all(steps[-1].final)


def test_first_frame_has_only_the_root_and_its_operand_reached() -> None:
    x = Value(0.5, label="x")
    y = (x * x).tanh()
    first = next(backward_steps(y))
    assert first.node is y and first.grad_of(y) == 1.0
    assert first.grad_of(y.parents[0]) == 1 - math.tanh(0.25) ** 2
    assert first.grad_of(x) is None
    with pytest.raises(ValueError, match="not part of this graph"):
        first.grad_of(Value(1.0))


def test_operand_used_twice_is_final_only_after_both_uses_sent_their_share() -> None:
    a = Value(2.0, label="a")
    p = a * 3.0
    q = a + 1.0
    y = p * q
    steps = list(backward_steps(y))
    states = [(step.grad_of(a), step.final[step.nodes.index(a)]) for step in steps]
    after_first_use = next(k for k, (grad, _) in enumerate(states) if grad is not None)
    assert states[after_first_use][1] is False
    done = next(k for k, (_, final) in enumerate(states) if final)
    assert done > after_first_use
    y.backward()
    assert states[done][0] == a.grad == 3.0 * q.data + p.data


def test_leaf_root_gets_a_single_frame() -> None:
    x = Value(4.0)
    (step,) = backward_steps(x)
    assert step.node is x and step.grads == (1.0,) and step.final == (True,)


OPS: list[Callable[[list[Value], list[int]], Value]] = [
    lambda pool, k: pool[k[0]] + pool[k[1]],
    lambda pool, k: pool[k[0]] * pool[k[1]],
    lambda pool, k: pool[k[0]] - pool[k[1]] * 0.5,
    lambda pool, k: pool[k[0]].tanh(),
    lambda pool, k: pool[k[0]].sigmoid() * pool[k[1]],
    lambda pool, k: Value.sum([pool[k[0]], pool[k[1]], pool[k[2]]]),
    lambda pool, k: Value.dot([pool[k[0]], pool[k[1]]], [pool[k[2]], pool[k[0]]], bias=pool[k[1]]),
]


@st.composite
def random_graphs(draw_from: st.DrawFn) -> Value:
    leaves = draw_from(st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=4))
    pool = [Value(x, label=f"x{i}", role="parameter" if i % 2 else "input") for i, x in enumerate(leaves)]
    for _ in range(draw_from(st.integers(1, 10))):
        op = draw_from(st.sampled_from(OPS))
        picks = draw_from(st.lists(st.integers(0, len(pool) - 1), min_size=3, max_size=3))
        pool.append(op(pool, picks))
    return pool[-1]


@given(random_graphs())
def test_frames_match_backward_on_random_graphs(root: Value) -> None:
    steps = list(backward_steps(root))
    order = root.topological_order()
    root.backward()
    expected = [node.grad for node in order]
    assert steps[-1].grads == tuple(expected)
    for k, step in enumerate(steps):
        assert step.node is order[-1 - k]
        for i in range(len(order)):
            if step.final[i]:
                assert step.grads[i] == expected[i]  # a final grad never changes again
        assert all(step.final[len(order) - 1 - j] for j in range(k + 1))  # processed nodes are final


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


def test_backward_step_is_a_frozen_record() -> None:
    step = next(backward_steps(Value(1.0) * 2))
    assert isinstance(step, BackwardStep)
    with pytest.raises(AttributeError):
        step.index = 5  # type: ignore[misc]
