"""Build the executed notebooks from their jupytext sources.

The sources of truth are the `NN_name.py` files in this directory (jupytext's
`py:percent` format: reviewable diffs, plain Python).  Each is paired with an
`NN_name.ipynb` that is committed *with outputs*, so a reader browsing the
repository sees the results.  This script regenerates those .ipynb files:

    python notebooks/build.py            # every notebook
    python notebooks/build.py 03 07      # only the notebooks with these numbers

(`make notebooks` runs the first form.)  The exercises of notebook NN, written
apart in `exercises/NN.py`, are appended to it in the learner's form (solutions
replaced by stubs), and every notebook's first cell links to the glossary; the
answer key is made by `python -m micrograd_ko exercises --key DIR`.  `tests/project/test_notebooks.py` uses the
same functions to execute every source and to check that each committed
.ipynb has the same cells as its source.

Each notebook runs top to bottom in a fresh kernel started from *this*
interpreter (the .venv where micrograd_ko is installed, whatever kernels the
user has registered), in a temporary working directory, under one time budget
for the whole notebook.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import jupytext
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

from micrograd_ko.exercises import compose

NOTEBOOK_DIR = Path(__file__).resolve().parent
REPOSITORY = NOTEBOOK_DIR.parent
# `NN_name.py`, or `NNb_name.py` for a notebook split out of NN that keeps the numbering in order.
SOURCE_GLOB = "[0-9][0-9]*_*.py"
TIME_BUDGET_SECONDS = 60.0
KERNEL_NAME = "micrograd-ko-build"

# What readers see in the .ipynb: the ordinary Python 3 kernel, not the throwaway one used to execute it.
PUBLISHED_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}

# A best-effort guard against network access: HTTP clients that honour proxy variables
# (urllib, requests, pip) fail fast against a closed local port.
_NO_NETWORK_ENV = {name: "http://127.0.0.1:9" for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")}


def notebook_sources(directory: Path = NOTEBOOK_DIR) -> list[Path]:
    """The notebook sources `NN_name.py` (and `NNb_name.py`), in curriculum order."""
    return sorted(path for path in directory.glob(SOURCE_GLOB) if re.fullmatch(r"\d\d[a-z]?", notebook_number(path)))


def notebook_number(source: Path) -> str:
    """The curriculum number of a source: `10` for `10_overfitting.py`, `10b` for `10b_initialization.py`."""
    return source.name.split("_", 1)[0]


def exercise_source(source: Path) -> Path:
    """Where the exercises of a notebook source live: `exercises/NN.py` at the repository's root."""
    return compose.exercise_source(REPOSITORY, notebook_number(source))


def read_source(path: Path, form: str = "student") -> nbformat.NotebookNode:
    """Read a py:percent source into a notebook with stable cell ids and the published kernelspec.

    The first cell gets the link to the glossary, and the notebook's exercises
    (`exercises/NN.py`, when there are some) are appended in `form`: 'student'
    (the stubs: what is committed in notebooks/) or 'key' (the solutions).
    """
    nb = jupytext.read(path, fmt="py:percent")
    if nb.cells and compose.GLOSSARY_LINK not in nb.cells[0].source:
        nb.cells[0].source = nb.cells[0].source.rstrip("\n") + "\n\n" + compose.GLOSSARY_LINK
    exercises = exercise_source(path)
    if exercises.exists():
        nb.cells.extend(compose.exercise_cells(exercises, form))
    for index, cell in enumerate(nb.cells):
        cell.id = f"cell-{index:03d}"
    nb.metadata["kernelspec"] = dict(PUBLISHED_KERNELSPEC)
    nb.metadata["jupytext"] = {"formats": "ipynb,py:percent"}
    return nb


def cell_sources(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(cell type, source) for every cell: what must agree between a source and its .ipynb."""
    return [(cell.cell_type, cell.source) for cell in nb.cells]


@contextmanager
def _kernel_for_this_interpreter() -> Iterator[KernelManager]:
    """A kernel manager whose kernel is `sys.executable -m ipykernel_launcher`."""
    with tempfile.TemporaryDirectory(prefix="micrograd-ko-kernels-") as kernels:
        spec_dir = Path(kernels, KERNEL_NAME)
        spec_dir.mkdir()
        spec = {
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "micrograd_ko (build)",
            "language": "python",
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
        specs = KernelSpecManager(kernel_dirs=[kernels])
        if os.name == "posix":
            # Unix sockets in the scratch directory: nothing listens on a TCP port, and ipykernel does not warn.
            yield KernelManager(
                kernel_name=KERNEL_NAME, kernel_spec_manager=specs, transport="ipc", ip=str(Path(kernels, "ipc"))
            )
        else:
            yield KernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)


def execute(nb: nbformat.NotebookNode, workdir: Path, budget: float = TIME_BUDGET_SECONDS) -> nbformat.NotebookNode:
    """Run every cell of `nb` in place, in `workdir`, within `budget` seconds for the whole notebook.

    Raises nbclient's CellExecutionError when a cell fails and CellTimeoutError
    when the budget runs out.
    """
    deadline = time.monotonic() + budget
    env = {**os.environ, **_NO_NETWORK_ENV, "PYTHONHASHSEED": "0"}
    with _kernel_for_this_interpreter() as kernel:
        client = NotebookClient(
            nb,
            km=kernel,
            timeout_func=lambda _cell: max(1, int(deadline - time.monotonic())),
            record_timing=False,
            resources={"metadata": {"path": str(workdir)}},
        )
        client.execute(env=env, cwd=str(workdir))
    tidy_outputs(nb)
    return nb


_ADDRESS_REPR = re.compile(r"<[\w.]+ (object )?at 0x[0-9a-f]+>")
_OVERWRITTEN = re.compile(r"[^\n]*\r(?!\n)")
# tqdm's timing field, as in "100/100 [00:03<00:00, 25.39it/s]": elapsed, remaining, rate (and any postfix).
# It differs on every run, so a saved notebook would never rebuild to the same bytes.
_PROGRESS_TIMING = re.compile(r" ?\[(?:\d+:)?\d{2}:\d{2}(?:<(?:(?:\d+:)?\d{2}:\d{2}|\?))?,[^\]\n]*/[^\]\n]*\]")


_WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
_WIDGET_NOTE = "(위젯(widget): 노트북을 Jupyter에서 실행하면 여기에 나타납니다)"


def tidy_outputs(nb: nbformat.NotebookNode) -> None:
    """Make progress bars readable, and the saved notebook the same on every rebuild.

    A progress bar arrives as many small stream messages, each redrawing its
    line after a carriage return.  Consecutive messages on the same stream are
    joined, only the final state of each redrawn line is kept, its timing
    field (`[00:03<00:00, 25.39it/s]`) is removed, every stream output ends
    with a newline, and stream outputs left with nothing but whitespace are
    dropped.  A rich output that
    carries a picture (a graph's SVG, a plot's PNG) loses its plain-text
    fallback when that is only an object's repr with a memory address, which
    would otherwise change on every run and clutter the diff.  A live widget's
    view (the playground) needs its kernel and carries a model id that changes
    on every run: it is saved as a one-line note instead, and the widget state
    nbclient keeps in the notebook's metadata is dropped.
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if "outputs" not in cell:
            continue
        tidied: list[nbformat.NotebookNode] = []
        for output in cell.outputs:
            previous = tidied[-1] if tidied else None
            if (
                output.get("output_type") == "stream"
                and previous is not None
                and previous.get("output_type") == "stream"
                and previous.get("name") == output.get("name")
            ):
                previous["text"] += output["text"]
            else:
                tidied.append(output)
        for output in tidied:
            if output.get("output_type") == "stream":
                text = _OVERWRITTEN.sub("", output["text"].replace("\r\n", "\n"))
                text = _PROGRESS_TIMING.sub("", text)
                # a redrawn bar is padded with spaces to blank out a longer earlier state: keep none of them
                text = "\n".join(line.rstrip() for line in text.split("\n"))
                # A bar's closing newline may arrive after another stream's output (the kernel flushes stdout
                # and stderr separately), where it would be dropped as blank: end every output with one here.
                output["text"] = text if not text.strip() or text.endswith("\n") else text + "\n"
        cell.outputs = [o for o in tidied if o.get("output_type") != "stream" or o["text"].strip()]
        for output in cell.outputs:
            data = output.get("data", {})
            if _WIDGET_VIEW in data:
                output["data"] = {"text/plain": _WIDGET_NOTE}
                continue
            if len(data) > 1 and _ADDRESS_REPR.fullmatch(data.get("text/plain", "")):
                del data["text/plain"]


def build(source: Path) -> Path:
    """Execute one source in a scratch directory and write its paired .ipynb next to it."""
    nb = read_source(source)
    with tempfile.TemporaryDirectory(prefix="micrograd-ko-notebook-") as workdir:
        execute(nb, Path(workdir))
    target = source.with_suffix(".ipynb")
    nbformat.write(nb, target)
    return target


def main(argv: Sequence[str]) -> int:
    """Build the notebooks whose numbers are given (all of them when none are)."""
    sources = notebook_sources()
    if argv:
        wanted = {number.zfill(2) if number.isdigit() else number.zfill(3) for number in argv}
        sources = [source for source in sources if notebook_number(source) in wanted]
        if not sources:
            print(f"no notebook numbered {', '.join(sorted(wanted))} in {NOTEBOOK_DIR}", file=sys.stderr)
            return 1
    for source in sources:
        started = time.perf_counter()
        target = build(source)
        print(f"{target.relative_to(NOTEBOOK_DIR.parent)}  ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
