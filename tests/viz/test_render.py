"""Rendering to files: formats, missing Graphviz, the Korean-font warning, the slow-render notice."""

from __future__ import annotations

import re
import shutil
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from micrograd_ko import Value
from micrograd_ko.viz import GraphvizNotFoundError, MissingFontWarning, draw, render, save
from tests.viz.graphs import SVG, neuron, requires_dot


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
    monkeypatch.setattr(render, "korean_font_installed", lambda: False)
    monkeypatch.setattr(render, "_font_warning_given", False)


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
        monkeypatch.setattr(render, "korean_font_installed", lambda: True)
        save(neuron(), tmp_path / "graph.png")
        monkeypatch.setattr(render, "korean_font_installed", lambda: None)  # no fc-list: cannot tell, so no alarm
        save(neuron(), tmp_path / "unknown.png")
    with pytest.warns(MissingFontWarning):  # the legend is Korean, so it does need the font
        monkeypatch.setattr(render, "korean_font_installed", lambda: False)
        save(y, tmp_path / "legend.png")


def test_font_probe_reads_fc_list_and_gives_up_quietly_without_it(monkeypatch: pytest.MonkeyPatch) -> None:
    probe = render.korean_font_installed.__wrapped__
    if shutil.which("fc-list"):
        assert probe() in (True, False)
    monkeypatch.setenv("PATH", "")
    assert probe() is None  # cannot tell, so save() does not warn


def test_slow_work_is_announced_on_stderr_and_quick_work_is_not(capsys: pytest.CaptureFixture[str]) -> None:
    with render._announce_if_slow("laying out 162 Values", after=0.0):
        pass
    announced = capsys.readouterr()
    assert announced.out == ""
    assert announced.err.startswith("laying out 162 Values ...\n")
    assert re.search(r"laying out 162 Values: done in \d+\.\d s\n$", announced.err)
    with render._announce_if_slow("quick", after=600.0):
        pass
    assert capsys.readouterr() == ("", "")

