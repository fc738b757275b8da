"""One look for the graph and the page: both take their colours, fonts and grad cells from `viz.style`."""

from __future__ import annotations

import re

from micrograd_ko.viz import backward_steps, draw, draw_step, step_through, style
from micrograd_ko.viz.style import FONT_FAMILY, HIGHLIGHT, css_font_family, grad_cell
from tests.viz.graphs import neuron, requires_dot

HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


def palette() -> set[str]:
    """Every colour style names, and the shades of the legend's sample grads."""
    named = {value for value in vars(style).values() if isinstance(value, str) and HEX.fullmatch(value)}
    return named | set(style.ROLE_FILL.values()) | {style.grad_colours(g, 1.0)[0] for g in (-1.0, -0.1, 0.1, 1.0)}


# A grad cell's shading: it comes from style.grad_cell (see the last test), so it is set aside here.
GRAD_SHADE = re.compile(r'BGCOLOR="#[0-9a-f]{6}"><FONT COLOR="[^"]*">(<I>)?grad ')


def test_the_graph_uses_only_styles_colours_and_fonts() -> None:
    out = neuron()
    steps = list(backward_steps(out))
    out.backward()
    sources = [draw(out, show_local_grad=True).source, *(draw_step(step).source for step in steps)]
    for source in sources:
        assert set(HEX.findall(GRAD_SHADE.sub("", source))) <= palette()
        assert set(re.findall(r'fontname="([^"]*)"', source)) == {FONT_FAMILY}
    highlighted = re.findall(r'color="(#[0-9a-f]{6})" fontcolor="(#[0-9a-f]{6})"', sources[1])
    assert highlighted and set(highlighted) == {(HIGHLIGHT, HIGHLIGHT)}  # the edges just used
    assert f'COLOR="{HIGHLIGHT}"' in sources[1]  # the processed node's border


@requires_dot
def test_the_pages_css_takes_the_highlight_and_the_fonts_from_style() -> None:
    page = step_through(neuron()).page()
    css = "\n".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    assert set(HEX.findall(css)) == {HIGHLIGHT}  # the page's orange is the graph's orange
    fonts = re.findall(r"font-family: ([^;]*);", css)
    assert len(fonts) == 2 and set(fonts) == {css_font_family()}  # the fragment's and the page's body
    assert [name.strip('"') for name in css_font_family().split(", ")] == FONT_FAMILY.split(",")


@requires_dot
def test_a_grad_cell_looks_the_same_in_the_graph_and_in_the_page() -> None:
    out = neuron()
    steps = list(backward_steps(out))
    viewer = step_through(out, element_id="v")
    last = steps[-1]
    scale = style.colour_scale(last.grads)
    looks = [grad_cell(g, done, scale, 4) for g, done in zip(last.grads, last.final)]
    cells: dict[int, list[object]] = {}
    for frame in viewer.frames:
        for change in frame["changes"]:
            cells[change[0]] = change[1:]
    assert [cells[i] for i in range(len(looks))] == [[*look[:3], int(look.italic)] for look in looks]
    source = draw_step(last, grad_scale=scale).source
    for look in looks:
        assert f'<TD BGCOLOR="{look.background}"><FONT COLOR="{look.ink}">{look.text}</FONT></TD>' in source
