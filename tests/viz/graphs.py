"""Graphs and SVG readers shared by the drawing room's tests (and the browser test)."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from hypothesis import strategies as st

from micrograd_ko import Value

SVG = "{http://www.w3.org/2000/svg}"

DOT_MISSING = (
    "Graphviz's 'dot' program is not installed, so this test cannot render a drawing and is skipped; "
    "'make test' installs it (apt-get install graphviz), or install it yourself and run the tests again"
)
"""The skip reason of every test that needs `dot` (the drawing, the step-through page, the browser test)."""

requires_dot = pytest.mark.skipif(shutil.which("dot") is None, reason=DOT_MISSING)


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



def formula_graph(terms: int = 23) -> Value:
    """tanh(x*1 + w*2) + tanh(x*2 + w*3) + ...: 23 terms give the 162-Value formula of issue 10."""
    x, w = Value(0.3, label="x"), Value(-0.2, label="w", role="parameter")
    total = (x * 1 + w * 2).tanh()
    for k in range(2, terms + 1):
        total = total + (x * k + w * (k + 1)).tanh()
    return total


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

