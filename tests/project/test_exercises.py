"""The exercises cannot pass vacuously: for each one, its solution passes, its stub fails, every wrong answer fails.

The exercise sources are `exercises/NN.py` at the repository's root; each
variant runs the exercise cells in one namespace, in order, with only the
exercise's own answer cell swapped (earlier exercises solved).  The learner's
form committed in `notebooks/` must hold no solution, and the answer key,
run cell by cell, must pass every check.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

pytest.importorskip("hypothesis")
pytest.importorskip("jupytext", reason="the notebooks extra is not installed (pip install -e '.[notebooks]')")
nbformat = pytest.importorskip("nbformat")

from micrograd_ko.exercises import EXERCISES, RECORDED, compose  # noqa: E402

REPOSITORY = Path(__file__).resolve().parents[2]
SOURCES = sorted((REPOSITORY / "exercises").glob("[0-9][0-9]*.py"))
VARIANTS = [variant for source in SOURCES for variant in compose.variants(source)]
NOTEBOOKS = sorted((REPOSITORY / "notebooks").glob("[0-9][0-9]*_*.py"))
EXPECTED = {"solution": "pass", "stub": "todo", "wrong": "fail"}


def run_cells(cells: list[str], name: str) -> str:
    """Execute `cells` in one fresh namespace, as a kernel would; what they printed."""
    namespace: dict[str, object] = {"__name__": "__main__"}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        for index, cell in enumerate(cells):
            exec(compile(cell, f"<{name} cell {index}>", "exec"), namespace)
    return printed.getvalue()


def test_the_exercise_sources_were_found() -> None:
    assert len(SOURCES) >= 5, SOURCES
    assert {v.exercise for v in VARIANTS} == {e for e in EXERCISES if any(e.startswith(s.stem + ".") for s in SOURCES)}


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_solution_passes_stub_is_not_done_and_each_wrong_answer_fails(variant: compose.Variant) -> None:
    RECORDED.clear()
    printed = run_cells(list(variant.cells), variant.name)
    outcome = RECORDED[variant.exercise]
    assert outcome.status == EXPECTED[variant.kind], f"{variant.name}: the check said\n{outcome.report}"
    assert outcome.seconds < 3.0, f"{variant.name}: the check took {outcome.seconds:.1f} s"
    assert outcome.report in printed
    if variant.kind == "stub":
        assert outcome.report.count("\n") == 0, "a stub gets one friendly line"
    if variant.kind != "solution":
        assert "Traceback" not in outcome.report


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_each_exercise_has_a_wrong_answer_that_differs_only_between_the_markers(source: Path) -> None:
    cells = compose.read_exercises(source).cells
    answers = {
        c.metadata["exercise"]: c.source for c in cells if "exercise" in c.metadata and "wrong" not in c.metadata
    }
    wrongs = [c for c in cells if "wrong" in c.metadata]
    assert answers, f"{source.name} has no exercise"
    assert 2 <= len(answers) <= 4, f"{source.name} has {len(answers)} exercises"
    assert {c.metadata["exercise"] for c in wrongs} == set(answers), "every exercise needs a wrong answer"
    for answer in answers.values():
        assert compose.SOLUTION.search(answer), "an answer cell marks its solution"
    for wrong in wrongs:
        same = compose.stub(wrong.source) == compose.stub(answers[wrong.metadata["exercise"]])
        assert same, f"{wrong.metadata['wrong']!r} differs from the solution outside the markers"
        assert wrong.source != answers[wrong.metadata["exercise"]]


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_learners_form_holds_no_solution(source: Path) -> None:
    student = "\n".join(c.source for c in compose.exercise_cells(source, "student") if c.cell_type == "code")
    assert "BEGIN SOLUTION" not in student and "END SOLUTION" not in student
    assert student.count("raise NotImplementedError") >= student.count("여기에 코드를 작성하세요") > 0
    for region in compose.SOLUTION.finditer(source.read_text(encoding="utf-8")):
        body = [line.strip() for line in region.group(0).splitlines()[1:-1]]
        distinctive = [line for line in body if len(line) > 25]
        leaked = [line for line in distinctive if line in student]
        assert not leaked, f"solution lines in the learner's form: {leaked}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_the_committed_learners_notebook_has_stubs_and_no_solution(notebook: Path) -> None:
    source = compose.exercise_source(REPOSITORY, notebook.name.split("_", 1)[0])
    committed = nbformat.read(notebook.with_suffix(".ipynb"), as_version=4)
    text = "\n".join(cell.source for cell in committed.cells)
    assert "BEGIN SOLUTION" not in text
    assert compose.GLOSSARY_LINK in committed.cells[0].source
    if source.exists():
        assert "여기에 코드를 작성하세요" in text, f"{notebook.name}: its exercises were not appended (rebuild it)"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_answer_key_passes_every_check(source: Path) -> None:
    RECORDED.clear()
    key = compose.exercise_cells(source, "key")
    run_cells([cell.source for cell in key if cell.cell_type == "code"], f"key {source.stem}")
    ids = [e for e in EXERCISES if e.startswith(source.stem + ".")]
    assert ids and {i: RECORDED[i].status for i in ids} == dict.fromkeys(ids, "pass")
    graded = [c.metadata.get("nbgrader", {}) for c in key if c.cell_type == "code"]
    assert sum(1 for g in graded if g.get("solution")) == len(ids) == sum(1 for g in graded if g.get("grade"))


def test_the_stub_of_an_indented_region_keeps_its_indentation() -> None:
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n    ### END SOLUTION\n"
    assert (
        compose.stub(source) == "def f(x):\n    y = 1\n    # 여기에 코드를 작성하세요\n    raise NotImplementedError\n"
    )


def test_in_a_kernel_the_key_passes_and_a_wrong_backward_is_drawn(tmp_path: Path) -> None:
    # The exercise cells of notebook 02 only (not the lesson), run by a real kernel as the build runs notebooks.
    import importlib.util
    import shutil

    spec = importlib.util.spec_from_file_location("notebooks_build", REPOSITORY / "notebooks" / "build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    source = REPOSITORY / "exercises" / "02.py"
    wrong = next(v for v in compose.variants(source) if v.exercise == "02.2" and v.kind == "wrong" and "+=" in v.wrong)
    key = compose.exercise_cells(source, "key")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(cell) for cell in wrong.cells]
    nb.cells += [
        c for c in key if c.cell_type == "code" and c.metadata.get("micrograd_ko", {}).get("exercise") == "02.3"
    ]
    # the solved 02.1 and the wrong 02.2 (earlier checks are left out of a variant), then 02.3 solved
    nb.cells.append(nbformat.v4.new_code_cell('progress("02")'))
    build.execute(nb, tmp_path, budget=60)
    printed = ["".join(o.get("text", "") for o in c.outputs if o.output_type == "stream") for c in nb.cells]
    report_cell = nb.cells[len(wrong.cells) - 1]
    assert "[02.2 기울기를 누적하는 backward] 틀렸습니다." in printed[len(wrong.cells) - 1]
    if shutil.which("dot") is not None:
        assert any("image/svg+xml" in o.get("data", {}) for o in report_cell.outputs), "the graphs were not drawn"
    assert "02.3 zero_grad] 통과했습니다!" in printed[-2]
    assert "3문제 중 1문제 통과" in printed[-1] and "02.1   · 확인 안 함" in printed[-1] and "✗ 틀림" in printed[-1]
