"""The Korean notebooks: each runs top to bottom from its jupytext source, and its committed .ipynb matches.

Every notebook is executed from `notebooks/NN_name.py` (the source of truth) in
a fresh kernel started from this interpreter, in a temporary directory, under
the 60-second budget `notebooks/build.py` enforces for a whole notebook, with
its exercises (`exercises/NN.py`) appended in the learner's form: the stubs run,
and each check reports "not done yet" without failing the run.  The
committed `NN_name.ipynb` must have exactly the source's cells and every code
cell executed, so that what a reader sees on the repository is what the
source produces (`make notebooks` regenerates them).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest

MISSING_EXTRA = "the notebooks extra is not installed (pip install -e '.[notebooks]')"
for module in ("nbclient", "jupytext", "ipykernel"):
    pytest.importorskip(module, reason=MISSING_EXTRA)
nbformat = pytest.importorskip("nbformat", reason=MISSING_EXTRA)

NOTEBOOK_DIR = Path(__file__).resolve().parents[2] / "notebooks"


def _load_build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOK_DIR / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_module()
SOURCES = build.notebook_sources()
RENDERER_CALL = re.compile(r"\b(?:draw|draw_step|save)\(")
# What tqdm prints that changes from run to run: "[00:03<00:00, 25.39it/s]".
PROGRESS_TIMING_TEXT = re.compile(r"\[\d{2}:\d{2}|\d(?:it/s|s/it)\b|\?it/s")


def _text_outputs(nb: nbformat.NotebookNode) -> list[list[str]]:
    """Per code cell, the text a reader sees: stream text and plain-text results (pictures left out)."""
    texts = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        shown = []
        for output in cell.outputs:
            if output.output_type == "stream":  # trailing blanks are a progress bar's padding, not text
                shown.append("\n".join(line.rstrip() for line in output.text.split("\n")))
            elif "text/plain" in output.get("data", {}) and len(output.data) == 1:
                shown.append(output.data["text/plain"])
        texts.append(shown)
    return texts


def test_the_curriculum_is_complete() -> None:
    numbers = [build.notebook_number(source) for source in SOURCES]
    whole = sorted({number[:2] for number in numbers})
    assert whole == [f"{n:02d}" for n in range(1, len(whole) + 1)] and len(whole) >= 15, f"found {numbers}"
    assert len(numbers) == len(set(numbers)), f"two notebooks share a number: {numbers}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_notebook_runs_top_to_bottom_in_a_fresh_kernel(source: Path, tmp_path: Path) -> None:
    if RENDERER_CALL.search(source.read_text(encoding="utf-8")) and shutil.which("dot") is None:
        pytest.skip(f"{source.name} draws graphs and Graphviz's 'dot' is not installed (run `make graphviz`)")
    nb = build.read_source(source)
    build.execute(nb, tmp_path, budget=build.TIME_BUDGET_SECONDS)
    code_cells = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code_cells, f"{source.name} has no code"
    assert all(cell.execution_count is not None for cell in code_cells)
    errors = [output for cell in code_cells for output in cell.outputs if output.output_type == "error"]
    assert not errors, errors
    # Re-runs must print the same numbers: the fresh run's text equals what the committed notebook shows.
    committed_path = source.with_suffix(".ipynb")
    if committed_path.exists():
        committed = nbformat.read(committed_path, as_version=4)
        if build.cell_sources(committed) == build.cell_sources(nb):
            fresh, saved = _text_outputs(nb), _text_outputs(committed)
            changed = [i for i, (a, b) in enumerate(zip(fresh, saved)) if a != b]
            assert not changed, (
                f"{source.name}: code cells {changed} print different text than the committed notebook "
                f"(first: {fresh[changed[0]]!r} vs {saved[changed[0]]!r}); make the output reproducible "
                "or run `make notebooks`"
            )


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_committed_notebook_matches_its_source_and_shows_results(source: Path) -> None:
    committed_path = source.with_suffix(".ipynb")
    assert committed_path.exists(), f"{committed_path.name} is missing: run `make notebooks`"
    committed = nbformat.read(committed_path, as_version=4)
    expected = build.cell_sources(build.read_source(source))
    assert build.cell_sources(committed) == expected, f"{committed_path.name} is stale: run `make notebooks`"
    code_cells = [cell for cell in committed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells), f"{committed_path.name} was not executed"
    assert not [o for cell in code_cells for o in cell.outputs if o.output_type == "error"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_the_learners_checks_say_not_done_yet_without_failing_the_run(source: Path) -> None:
    # The committed notebook is the learner's: its exercises are stubs, so every check prints one friendly line.
    if not build.exercise_source(source).exists():
        pytest.skip(f"{source.name} has no exercises yet (exercises/{build.notebook_number(source)}.py)")
    committed = nbformat.read(source.with_suffix(".ipynb"), as_version=4)
    checks = [c for c in committed.cells if c.metadata.get("micrograd_ko", {}).get("role") == "check"]
    assert checks, f"{source.name}: its exercises were not appended (rebuild it with notebooks/build.py)"
    for cell in checks:
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert printed.count("\n") == 1 and "아직 작성하지 않았습니다" in printed, printed


def test_the_build_appends_the_exercises_in_the_learners_form_or_as_the_key() -> None:
    source = next(s for s in SOURCES if build.exercise_source(s).exists())
    student, key = build.read_source(source), build.read_source(source, "key")
    lesson = len(build.jupytext.read(source, fmt="py:percent").cells)
    assert build.cell_sources(student)[:lesson] == build.cell_sources(key)[:lesson]
    learner_text = "\n".join(c.source for c in student.cells[lesson:] if c.cell_type == "code")
    key_text = "\n".join(c.source for c in key.cells[lesson:] if c.cell_type == "code")
    assert "raise NotImplementedError" in learner_text and "BEGIN SOLUTION" not in learner_text
    assert "### BEGIN SOLUTION" in key_text and "raise NotImplementedError" not in key_text
    assert [c.id for c in student.cells] == [f"cell-{i:03d}" for i in range(len(student.cells))]


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_committed_notebook_has_no_progress_bar_timings(source: Path) -> None:
    committed_path = source.with_suffix(".ipynb")
    committed = nbformat.read(committed_path, as_version=4)
    timed = [
        line
        for cell_text in _text_outputs(committed)
        for text in cell_text
        for line in text.splitlines()
        if PROGRESS_TIMING_TEXT.search(line)
    ]
    assert not timed, f"{committed_path.name} saved run-dependent timings: {timed}; rebuild with notebooks/build.py"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_notebook_explains_in_korean_instead_of_printing_docstrings(source: Path) -> None:
    # The library's docstrings are English; a Korean notebook writes its own explanation instead of printing them.
    code = "\n".join(cell.source for cell in build.read_source(source).cells if cell.cell_type == "code")
    printed = re.findall(r"\.__doc__\b|\bhelp\(", code)
    assert not printed, f"{source.name} prints a docstring ({printed}); explain it in Korean in a markdown cell"


@pytest.mark.parametrize("source", SOURCES, ids=lambda path: path.stem)
def test_notebook_asks_the_learner_to_predict(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    assert "실행하기 전에 예측해 보세요" in text


def test_notebook_readme_lists_every_notebook() -> None:
    readme = (NOTEBOOK_DIR / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\b\d\d[a-z]?_[a-z0-9_]+\.(?:py|ipynb)\b", readme))
    for source in SOURCES:
        assert source.name in listed or source.with_suffix(".ipynb").name in listed, f"{source.name} not in README"


def test_tidy_outputs_keeps_the_last_state_of_a_redrawn_progress_bar() -> None:
    stream = nbformat.v4.new_output
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        stream("stream", name="stderr", text=" 10%|#  |"),
        stream("stream", name="stderr", text="\r 50%|## |"),
        stream("stream", name="stderr", text="\r100%|###|"),
        stream("stream", name="stdout", text="loss 0.5\r\n"),
        stream("stream", name="stderr", text="\n"),
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    build.tidy_outputs(nb)
    assert [(o["name"], o["text"]) for o in cell.outputs] == [("stderr", "100%|###|\n"), ("stdout", "loss 0.5\n")]


def test_tidy_outputs_gives_the_same_text_whenever_a_bars_closing_newline_arrives() -> None:
    # The kernel flushes stdout and stderr separately, so tqdm's closing newline may come before or after a print.
    stream = nbformat.v4.new_output
    early, late = nbformat.v4.new_code_cell(""), nbformat.v4.new_code_cell("")
    early.outputs = [
        stream("stream", name="stderr", text="\r100%|###| 9/9"),
        stream("stream", name="stderr", text="\n"),
        stream("stream", name="stdout", text="done\n"),
    ]
    late.outputs = [
        stream("stream", name="stderr", text="\r100%|###| 9/9"),
        stream("stream", name="stdout", text="done\n"),
        stream("stream", name="stderr", text="\n"),
    ]
    tidied = []
    for cell in (early, late):
        nb = nbformat.v4.new_notebook()
        nb.cells = [cell]
        build.tidy_outputs(nb)
        tidied.append([(o["name"], o["text"]) for o in cell.outputs])
    assert tidied[0] == tidied[1] == [("stderr", "100%|###| 9/9\n"), ("stdout", "done\n")]


def test_tidy_outputs_strips_progress_bar_timings_and_nothing_else() -> None:
    stream = nbformat.v4.new_output
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [
        stream("stream", name="stderr", text="moons:  50%|#    | 50/100 [00:01<00:01, 25.39it/s]"),
        stream("stream", name="stderr", text="\rmoons: 100%|#####| 100/100 [00:03<00:00, 25.39it/s]\n"),
        stream("stream", name="stderr", text="epochs: 100%|##| 2/2 [1:02:03<00:00, 1.50s/it, loss=0.5]\n"),
        stream("stream", name="stdout", text="lists [00:01] and [1, 2] stay\n"),
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    build.tidy_outputs(nb)
    assert [(o["name"], o["text"]) for o in cell.outputs] == [
        ("stderr", "moons: 100%|#####| 100/100\nepochs: 100%|##| 2/2\n"),
        ("stdout", "lists [00:01] and [1, 2] stay\n"),
    ]


def test_tidy_outputs_drops_address_reprs_beside_pictures() -> None:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("draw(L)")
    picture = nbformat.v4.new_output(
        "execute_result",
        data={"image/svg+xml": "<svg/>", "text/plain": "<graphviz.graphs.Digraph at 0x7f9ffbcb6ad0>"},
    )
    text_only = nbformat.v4.new_output("execute_result", data={"text/plain": "<object at 0x7f00>"})
    cell.outputs = [picture, text_only]
    nb.cells.append(cell)
    build.tidy_outputs(nb)
    assert list(cell.outputs[0]["data"]) == ["image/svg+xml"]
    assert cell.outputs[1]["data"] == {"text/plain": "<object at 0x7f00>"}


def test_tidy_outputs_drops_the_padding_of_a_redrawn_bar() -> None:
    # tqdm pads a shorter redraw with spaces; left in, they make one run's text differ from another's.
    cell = nbformat.v4.new_code_cell("")
    bar = "\r100%|###| 200/200 [00:03<00:00, 55.2it/s]  \n"
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=bar)]
    nb = nbformat.v4.new_notebook()
    nb.cells = [cell]
    build.tidy_outputs(nb)
    assert cell.outputs[0]["text"] == "100%|###| 200/200\n"
