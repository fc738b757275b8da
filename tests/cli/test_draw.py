"""`python -m micrograd_ko draw`: writes a valid picture of the formula, refuses anything unsafe."""

from __future__ import annotations

import math
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from micrograd_ko.cli.draw import main

SVG = "{http://www.w3.org/2000/svg}"
NEURON = ["x1*w1 + x2*w2 + b", "--var", "x1=2", "--param", "w1=-3", "--var", "x2=0", "--param", "w2=1"]
NEURON += ["--param", "b=6.8813735870195432", "--apply", "tanh"]

requires_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz 'dot' is not installed (make test installs it)"
)


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    return ["".join(text.itertext()) for text in root.iter(f"{SVG}text")]


@requires_dot
def test_draw_writes_an_svg_with_every_value_and_prints_the_gradients(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nested" / "out.svg"
    assert main([*NEURON, "-o", str(target)]) == 0
    n = 2 * -3 + 0 * 1 + 6.8813735870195432
    o = math.tanh(n)
    slope = 1 - o**2  # do/dn
    grads = {"x1": -3 * slope, "w1": 2 * slope, "x2": 1 * slope, "w2": 0 * slope, "b": slope}
    shown = svg_texts(target)
    for name in grads:
        assert name in shown
    for text in (f"data {o:.4g}", f"data {n:.4g}", f"grad {grads['x1']:.4g}", f"grad {grads['b']:.4g}", "tanh"):
        assert text in shown
    assert "tanh(x1*w1 + x2*w2 + b)" in shown and "x1*w1" in shown
    printed = capsys.readouterr().out
    for name, grad in grads.items():
        assert f"grad {name} = {grad:.4g}" in printed
    assert str(target) in printed


@requires_dot
def test_steps_option_writes_frames_and_page(tmp_path: Path) -> None:
    steps = tmp_path / "steps"
    assert main([*NEURON, "-o", str(tmp_path / "out.svg"), "--steps", str(steps)]) == 0
    page = (steps / "index.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 1  # laid out once; the frames are data
    assert 'max="9"' in page and "1 / 10" in page  # 5 leaves, 2 products, 2 sums, tanh
    assert [path.name for path in steps.iterdir()] == ["index.html"]


@requires_dot
def test_module_entry_point_runs_the_draw_command(tmp_path: Path) -> None:
    target = tmp_path / "graph.svg"
    command = [sys.executable, "-m", "micrograd_ko", "draw", "x*x + 1", "--var", "x=3", "-o", str(target)]
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert finished.returncode == 0, finished.stderr
    assert "grad x = 6" in finished.stdout
    assert "data 10" in svg_texts(target)


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('touch {marker}')",
        "().__class__.__base__.__subclasses__()",
        "open('{marker}', 'w')",
        "x.__class__",
        "exec('import os')",
    ],
)
def test_malicious_formula_is_refused_and_nothing_is_written(
    formula: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marker = tmp_path / "pwned"
    target = tmp_path / "out.svg"
    code = main([formula.format(marker=marker), "--var", "x=1", "-o", str(target)])
    assert code == 2
    assert "not allowed" in capsys.readouterr().err
    assert not marker.exists() and not target.exists()


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["x + y", "--var", "x=1"], "unknown name 'y'"),
        (["x", "--var", "x"], "error: draw: --var must be NAME=VALUE such as x1=2.5, got 'x'"),
        (["x", "--var", "x=abc"], "error: draw: --var must be NAME=VALUE with a number as VALUE, got 'x=abc'"),
        (
            ["x", "--param", "tanh=1"],
            "error: draw: --param must be NAME=VALUE with a NAME that is not a function (tanh is one), got 'tanh=1'",
        ),
        (["x", "--var", "x=1", "--param", "x=2"], "given twice"),
        (["x", "--var", "x=1", "--apply", "print"], "error: draw: --apply must be one of 'abs', 'exp', "),
        (["x", "--var", "x=1", "--apply", "print"], ", got 'print' (see "),
        (
            ["x", "--var", "x=1", "--rankdir", "up"],
            "error: draw: --rankdir must be one of 'LR', 'TB', 'RL', 'BT', got 'up' (see ",
        ),
        (["x", "--var", "x=1", "-o", "out.gif"], "error: draw: --output must be a file name ending in one of '.svg', "),
        (["x", "--var", "x=1", "-o", "out.gif"], ", got 'out.gif'\n"),
        (["log(x)", "--var", "x=-1"], "log needs a positive input"),
        (["x*x*x*x", "--var", "x=1", "--max-nodes", "3"], "max_nodes=3"),
    ],
)
def test_usage_errors_exit_with_2_and_say_why(
    arguments: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if "-o" not in arguments:
        arguments = [*arguments, "-o", str(tmp_path / "out.svg")]
    assert main(arguments) == 2
    assert says in capsys.readouterr().err


def test_help_exits_with_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--var NAME=VALUE" in capsys.readouterr().out


def test_missing_dot_exits_with_1_gives_the_install_hint_and_writes_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", "")
    target = tmp_path / "out.svg"
    assert main([*NEURON, "-o", str(target)]) == 1
    assert "apt-get install graphviz" in capsys.readouterr().err
    assert not target.exists()
    assert "digraph" in (tmp_path / "out.dot").read_text(encoding="utf-8")
