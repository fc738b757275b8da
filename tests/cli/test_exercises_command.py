"""`python -m micrograd_ko exercises`: the learner's notebooks and the answer key, a class's progress, bad folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("jupytext", reason="the notebooks extra is not installed (pip install -e '.[notebooks]')")
pytest.importorskip("hypothesis")

from micrograd_ko.__main__ import main

REPOSITORY = Path(__file__).resolve().parents[2]


def cells(path: Path) -> list[str]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"]]


def test_writes_the_learners_notebooks_and_the_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    student, key = tmp_path / "student", tmp_path / "key"
    assert main(["exercises", "--student", str(student), "--key", str(key), "--repo", str(REPOSITORY)]) == 0
    sources = sorted((REPOSITORY / "notebooks").glob("[0-9][0-9]*_*.py"))
    assert sorted(p.name for p in student.glob("*.ipynb")) == sorted(s.with_suffix(".ipynb").name for s in sources)
    learner, answers = (
        "\n".join(cells(student / "02_computational_graph_and_backprop.ipynb")),
        "\n".join(cells(key / "02_computational_graph_and_backprop.ipynb")),
    )
    assert "BEGIN SOLUTION" not in learner and learner.count("raise NotImplementedError") == 3
    assert answers.count("### BEGIN SOLUTION") == 3 and "raise NotImplementedError" not in answers
    assert "visit(parent)" not in answers  # the wrong answers (a recursive order) stay in the repository
    assert f"student: wrote {len(sources)} notebooks to {student}" in capsys.readouterr().out


def test_progress_reports_the_key_as_passing_and_the_learners_form_as_not_done(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["exercises", "--student", str(tmp_path / "s"), "--key", str(tmp_path / "k")]) == 0
    for folder in ("s", "k"):
        for extra in tmp_path.joinpath(folder).glob("*.ipynb"):
            if not extra.name.startswith("02_"):
                extra.unlink()
    capsys.readouterr()
    assert main(["exercises", "--progress", str(tmp_path / "k")]) == 0
    assert "노트북 02: 3문제 중 3문제 통과" in capsys.readouterr().out
    assert main(["exercises", "--progress", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert "3문제 중 0문제 통과" in out and out.count("작성 전") == 3


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ([], "one of --student, --key or --progress must be given"),
        (["--student", "{file}"], "--student must be a folder"),
        (["--key", "{file}/inside"], "--key must be a folder"),
        (["--student", "{tmp}/same", "--key", "{tmp}/same"], "--key must be another folder than --student"),
        (["--student", "{repo}/notebooks"], "must not be the repository's notebooks/ folder"),
        (["--student", "{tmp}/out", "--repo", "{tmp}"], "--repo must be a micrograd_ko checkout"),
        (["--progress", "{tmp}/missing"], "--progress must be a folder of .ipynb notebooks"),
    ],
)
def test_refuses_a_bad_folder_with_one_clear_line(
    options: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a_file").write_text("not a folder", encoding="utf-8")
    filled = [o.format(file=tmp_path / "a_file", tmp=tmp_path, repo=REPOSITORY) for o in options]
    with pytest.raises(SystemExit) as stopped:
        main(["exercises", *filled])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith("error: ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists() and not (tmp_path / "same").exists()


def test_without_a_checkout_the_command_refuses_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from micrograd_ko.cli import exercises

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(
        exercises, "__file__", str(tmp_path / "site-packages" / "micrograd_ko" / "cli" / "exercises.py")
    )
    with pytest.raises(SystemExit):
        main(["exercises", "--key", str(tmp_path / "key")])
    assert "does not ship the solutions" in capsys.readouterr().err
    assert not (tmp_path / "key").exists()


def test_the_package_holds_no_solution() -> None:
    package = REPOSITORY / "micrograd_ko"
    marked = [
        path
        for path in package.rglob("*.py")
        if any(line.strip() == "### BEGIN SOLUTION" for line in path.read_text(encoding="utf-8").splitlines())
    ]
    assert not marked
