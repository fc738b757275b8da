"""The command line under stress: file-system failures, odd formulas, overflow and closed pipes.

Every failure is one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_ko.__main__ import main as micrograd_main
from micrograd_ko.cli import demo
from micrograd_ko.cli.demo import main as demo_main
from micrograd_ko.cli.draw import main

ROOT = Path(__file__).resolve().parents[2]


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The single line the command wrote to stderr (fails if it wrote a traceback or several lines)."""
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ---- file-system problems ------------------------------------------------------------------


def test_output_naming_an_existing_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "graph.dot"
    folder.mkdir()
    assert main(["x", "--var", "x=1", "-o", str(folder)]) == 2
    line = one_error_line(capsys)
    assert line.startswith("error:") and "is a directory" in line and str(folder) in line


def test_output_under_a_regular_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["x", "--var", "x=1", "-o", str(blocker / "g.svg")]) == 2
    line = one_error_line(capsys)
    assert line.startswith("error:") and "not a directory" in line and str(blocker) in line
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def fail_writes(monkeypatch: pytest.MonkeyPatch, code: int, written: bytes = b"") -> None:
    """Make every Path.write_bytes/write_text write `written` (a partial file) and then fail with `code`."""

    def fail(self: Path, data: object, *args: object, **kwargs: object) -> int:
        with open(self, "wb") as handle:
            handle.write(written)
        raise OSError(code, os.strerror(code), str(self))

    monkeypatch.setattr(Path, "write_bytes", fail)
    monkeypatch.setattr(Path, "write_text", fail)


@pytest.mark.parametrize(("code", "says"), [(errno.ENOSPC, "No space left"), (errno.EACCES, "Permission denied")])
def test_a_failed_write_is_one_line_and_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], code: int, says: str
) -> None:
    target = tmp_path / "g.dot"
    fail_writes(monkeypatch, code, written=b"digraph {")
    assert main(["x*x", "--var", "x=2", "-o", str(target)]) == 2
    line = one_error_line(capsys)
    assert line.startswith("error:") and says in line and str(target) in line
    assert not target.exists()


def test_a_failed_write_keeps_an_existing_file_of_the_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "g.dot"
    target.write_text("old", encoding="utf-8")
    fail_writes(monkeypatch, errno.ENOSPC)
    assert main(["x*x", "--var", "x=2", "-o", str(target)]) == 2
    assert "No space left" in one_error_line(capsys)
    assert target.exists()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    try:
        assert main(["x", "--var", "x=1", "-o", str(folder / "g.dot")]) == 2
    finally:
        folder.chmod(0o700)
    assert "Permission denied" in one_error_line(capsys)


def test_steps_naming_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    steps = tmp_path / "steps"
    steps.write_text("mine", encoding="utf-8")
    assert main(["x*x", "--var", "x=2", "-o", str(tmp_path / "g.dot"), "--steps", str(steps)]) == 2
    line = one_error_line(capsys)
    assert line.startswith("error:") and "--steps" in line and "not a directory" in line
    assert steps.read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "g.dot").exists()  # refused before anything was written


@pytest.mark.parametrize(("option", "value"), [("--digits", "-1"), ("--digits", "0"), ("--digits", "18")])
def test_digits_is_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str) -> None:
    assert main(["x", "--var", "x=1", "-o", str(tmp_path / "g.dot"), option, value]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: draw: --digits must be a whole number from 1 to 17, got {value!r} (see ")


@pytest.mark.parametrize("value", ["0", "-5"])
def test_max_nodes_is_validated(tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    assert main(["x", "--var", "x=1", "-o", str(tmp_path / "g.dot"), "--max-nodes", value]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: draw: --max-nodes must be a whole number >= 1, got {value!r} (see ")


# ---- the demo's options are checked before it trains ---------------------------------------


def test_demo_with_a_negative_seed_is_one_error_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo_main(["--seed", "-1", "--steps", "1"]) == 2
    line = one_error_line(capsys)
    assert line.startswith("error: demo: --seed must be a whole number >= 0, got '-1' (see ")


@pytest.mark.parametrize("under", ["", "sub"])
def test_demo_out_naming_a_file_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, under: str
) -> None:
    blocker = tmp_path / "picture"
    blocker.write_text("mine", encoding="utf-8")

    def no_training(**kwargs: object) -> None:
        raise AssertionError("the demo trained before checking --out")

    monkeypatch.setattr(demo, "train_moons", no_training)
    out = blocker / under if under else blocker
    assert demo_main(["--steps", "1", "--out", str(out)]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: demo: --out must be a new or existing folder, got {str(out)!r}: ")
    assert f"{blocker} is a file, not a directory" in line
    assert blocker.read_text(encoding="utf-8") == "mine"


def test_demo_out_holding_a_folder_where_the_picture_goes_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / demo.GRAPH_FILE).mkdir()
    assert demo_main(["--steps", "1", "--out", str(tmp_path)]) == 2
    expected = f"error: demo: --out must be a folder without a directory named {demo.GRAPH_FILE}, got {str(tmp_path)!r}"
    assert one_error_line(capsys).startswith(expected)


@pytest.mark.parametrize("arguments", [["--seed", "-1"], ["--out", "{file}"]])
def test_the_demo_command_exits_with_2_and_no_traceback(tmp_path: Path, arguments: list[str]) -> None:
    file = tmp_path / "file"
    file.write_text("", encoding="utf-8")
    finished = subprocess.run(
        [sys.executable, "-m", "micrograd_ko", "demo", "--steps", "1", *(a.format(file=file) for a in arguments)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert finished.returncode == 2
    assert finished.stdout == ""
    (line,) = finished.stderr.splitlines()
    assert line.startswith("error: demo: --")


def test_an_unknown_command_is_named_in_the_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert micrograd_main(["drwa"]) == 2
    first = capsys.readouterr().err.splitlines()[0]
    assert first == "error: micrograd_ko: COMMAND must be one of 'demo', 'draw', 'exercises', got 'drwa'"


# ---- formulas that start with '-' ----------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "printed"),
    [
        (["-x+1", "--var", "x=1"], "-x+1 = 0"),
        (["--var", "x=3", "-x*x"], "-x*x = -9"),
        (["-2*x", "--var", "x=3"], "-2*x = -6"),
        (["-tanh(x)", "--var", "x=0"], "-tanh(x) = -0"),
        (["--var", "x=1", "--", "-x"], "-x = -1"),
    ],
)
def test_a_formula_may_start_with_a_minus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], printed: str
) -> None:
    assert main(["-o", str(tmp_path / "g.dot"), *arguments]) == 0  # after --, every word is the formula
    assert printed in capsys.readouterr().out


def test_a_missing_formula_says_how_to_pass_one_that_starts_with_a_minus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--var", "x=1", "-o", str(tmp_path / "g.dot")]) == 2
    assert "formula is missing" in one_error_line(capsys)
    assert main(["-o", str(tmp_path / "g.dot"), "--var", "x=1", "--", "-x+1"]) == 0  # the way the error shows


def test_two_formulas_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["x", "-x", "--var", "x=1", "-o", str(tmp_path / "g.dot")]) == 2
    assert "unrecognized arguments: -x" in capsys.readouterr().err


# ---- overflow is reported ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "op", "at"),
    [
        (["9**9**9**9"], "'**'", "9**9**9"),  # 9**(9**(9**9)): 9**387420489 is the first to overflow
        (["exp(1000)"], "'exp'", "exp(1000)"),
        (["x*x + 1", "--var", "x=1e200"], "'*'", "x*x"),
        (["exp(x) - exp(x)", "--var", "x=800"], "'exp'", "exp(x)"),
        (["x", "--var", "x=1e308", "--apply", "exp"], "'exp'", "exp(x)"),
    ],
)
def test_an_overflowing_result_is_reported_with_its_first_op(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], op: str, at: str
) -> None:
    assert main([*arguments, "-o", str(tmp_path / "g.dot")]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, captured.err
    assert "overflowed" in warnings[0] and f"op {op}" in warnings[0] and repr(at) in warnings[0]


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["x*2", "--var", "x=nan"], "because the input 'x' is nan, not a finite number"),
        (["x*2 + 1", "--var", "x=inf"], "because the input 'x' is inf, not a finite number"),
        (["x - w", "--var", "x=1", "--param", "w=1e400"], "because the parameter 'w' is inf, not a finite number (a"),
    ],
)
def test_a_nan_or_infinite_input_is_named_as_such_not_as_an_overflow(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], said: str
) -> None:
    assert main([*arguments, "-o", str(tmp_path / "g.dot")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and said in warnings[0] and "overflowed" not in warnings[0], warnings


def test_a_finite_result_gives_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["exp(x)", "--var", "x=700", "-o", str(tmp_path / "g.dot")]) == 0
    assert capsys.readouterr().err == ""


# ---- a closed pipe ends the program quietly ------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["demo", "--steps", "20", "--out", "{tmp}"],
        ["draw", "x*x", "--var", "x=3", "-o", "{tmp}/g.dot"],
        ["draw", "--help"],
        ["demo", "--help"],
        [],
    ],
)
def test_a_closed_stdout_ends_quietly(tmp_path: Path, command: list[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # like `| head -1` after its line: every write now fails with EPIPE
    try:
        finished = subprocess.run(
            [sys.executable, "-m", "micrograd_ko", *(part.format(tmp=tmp_path) for part in command)],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
            cwd=ROOT,
        )
    finally:
        os.close(writer)
    assert finished.stderr == ""
    assert finished.returncode in (0, 2, 141)


def test_demo_piped_into_head_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    shell = f"{sys.executable} -m micrograd_ko demo --steps 20 --out {tmp_path} | head -1"
    finished = subprocess.run(["sh", "-c", shell], capture_output=True, text=True, timeout=120, check=False, cwd=ROOT)
    assert finished.returncode == 0
    assert len(finished.stdout.splitlines()) == 1
    assert finished.stderr == ""
