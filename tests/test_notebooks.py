"""The Korean notebooks: each runs top to bottom from its jupytext source, and its committed .ipynb matches.

Every notebook is executed from `notebooks/NN_name.py` (the source of truth) in
a fresh kernel started from this interpreter, in a temporary directory, under
the 60-second budget `notebooks/build.py` enforces for a whole notebook.  The
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

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


def _load_build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOK_DIR / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build_module()
SOURCES = build.notebook_sources()
RENDERER_CALL = re.compile(r"\b(?:draw|draw_step|save)\(")


def test_the_curriculum_is_complete() -> None:
    numbers = [source.name[:2] for source in SOURCES]
    assert numbers == [f"{n:02d}" for n in range(1, 10)], f"expected notebooks 01..09, found {numbers}"


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
def test_notebook_asks_the_learner_to_predict(source: Path) -> None:
    text = source.read_text(encoding="utf-8")
    assert "실행하기 전에 예측해 보세요" in text


def test_notebook_readme_lists_every_notebook() -> None:
    readme = (NOTEBOOK_DIR / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"\b\d\d_[a-z0-9_]+\.(?:py|ipynb)\b", readme))
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
    assert [(o["name"], o["text"]) for o in cell.outputs] == [("stderr", "100%|###|"), ("stdout", "loss 0.5\n")]


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
