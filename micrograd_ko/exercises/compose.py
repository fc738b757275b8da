"""Composing notebooks with their exercises: the learner's form (stubs) and the answer key (solutions).

The exercises of notebook NN are written once, in the repository's
`exercises/NN.py` (jupytext py:percent), apart from the notebook's own source:

* a code cell marked `exercise="NN.k"` holds the solution between nbgrader's
  markers, `### BEGIN SOLUTION` / `### END SOLUTION`;
* cells marked `exercise="NN.k" wrong="..."` beside it are plausible wrong
  answers (the same cell with another body between the markers), kept only for
  the tests, which run them all and require the check to fail each;
* a cell calling `check("NN.k", ...)` grades it.

`exercise_cells(source, "student")` replaces every solution region by the stub
(`# 여기에 코드를 작성하세요` and `raise NotImplementedError`, at the region's
indentation); `"key"` keeps the solutions and their markers, so nbgrader can
import the key as it is.  Neither form has the wrong answers.  The installed
package holds this code, never the exercise sources.

This module needs the notebooks extra (jupytext and nbformat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from micrograd_ko.autograd.checks import one_of

__all__ = [
    "FORMS",
    "GLOSSARY_LINK",
    "STUB",
    "Variant",
    "exercise_cells",
    "exercise_source",
    "find_repository",
    "read_exercises",
    "stub",
    "variants",
]

Form = Literal["student", "key"]
FORMS: tuple[Form, ...] = ("student", "key")

STUB = "# 여기에 코드를 작성하세요\nraise NotImplementedError"
"""What replaces a solution in the learner's notebook (nbgrader's code_stub, in Korean)."""

SOLUTION = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*$", re.MULTILINE | re.DOTALL)
CHECK_CALL = re.compile(r"""^check\(\s*["']([0-9]{2}[a-z]?\.[0-9]+)["']""", re.MULTILINE)

PROGRESS_CALL = re.compile(r"^progress\(", re.MULTILINE)

GLOSSARY_LINK = "> 📖 낯선 용어는 [용어집(glossary)](../docs/glossary.md)에서 한국어와 영어로 찾아볼 수 있습니다."
"""The line every notebook's first cell ends with."""


def stub(source: str) -> str:
    """`source` with every `### BEGIN SOLUTION` ... `### END SOLUTION` region replaced by STUB."""

    def replace(region: re.Match[str]) -> str:
        indent = region.group(1)
        return "\n".join(indent + line for line in STUB.split("\n"))

    return SOLUTION.sub(replace, source)


def find_repository(start: Path | None = None) -> Path | None:
    """The micrograd_ko checkout holding `start` (or the current folder): a folder with exercises/ and notebooks/."""
    here = (start or Path.cwd()).resolve()
    for place in (here, *here.parents):
        if (place / "exercises").is_dir() and (place / "notebooks").is_dir():
            return place
    return None


def exercise_source(repository: Path, number: str) -> Path:
    """The path of notebook `number`'s exercises in `repository` (it may not exist: not every notebook has them)."""
    return repository / "exercises" / f"{number}.py"


def read_exercises(path: Path) -> Any:
    """The exercise source at `path` as an nbformat notebook (jupytext py:percent)."""
    import jupytext  # type: ignore[import-untyped]

    return jupytext.read(path, fmt="py:percent")


def _exercise_id(cell: Any) -> str | None:
    found = cell.metadata.get("exercise")
    return str(found) if found is not None else None


def exercise_cells(source: Path, form: str) -> list[Any]:
    """The cells to append to a notebook: the exercises at `source` in `form` ('student' or 'key')."""
    import nbformat

    one_of(form, FORMS, "exercise_cells: form")
    cells = []
    for cell in read_exercises(source).cells:
        if "wrong" in cell.metadata:
            continue
        ident = _exercise_id(cell)
        text = cell.source
        metadata: dict[str, Any] = {}
        if cell.cell_type == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(text))  # type: ignore[no-untyped-call]
            continue
        if ident is not None:
            metadata["micrograd_ko"] = {"exercise": ident, "role": "answer"}
            if form == "student":
                text = stub(text)
            else:
                metadata["nbgrader"] = _nbgrader(f"answer-{ident}", solution=True)
        elif (checked := CHECK_CALL.search(text)) is not None:
            metadata["micrograd_ko"] = {"exercise": checked.group(1), "role": "check"}
            if form == "key":
                metadata["nbgrader"] = _nbgrader(f"check-{checked.group(1)}", solution=False)
        cells.append(nbformat.v4.new_code_cell(text, metadata=metadata))  # type: ignore[no-untyped-call]
    return cells


def _nbgrader(grade_id: str, solution: bool) -> dict[str, Any]:
    """nbgrader's cell metadata: an answer cell to fill in, or a locked check cell worth one point."""
    common = {"grade_id": grade_id, "schema_version": 3, "task": False}
    if solution:
        return {**common, "grade": False, "locked": False, "solution": True}
    return {**common, "grade": True, "locked": True, "points": 1, "solution": False}


@dataclass(frozen=True)
class Variant:
    """One way to fill in exercise `exercise`: 'solution', 'stub', or a wrong answer named by `wrong`."""

    exercise: str
    kind: Literal["solution", "stub", "wrong"]
    wrong: str
    cells: tuple[str, ...]

    @property
    def name(self) -> str:
        """A readable id for a test: `02.2 wrong: = instead of +=`."""
        return f"{self.exercise} {self.kind}" + (f": {self.wrong}" if self.wrong else "")


def variants(source: Path) -> list[Variant]:
    """For every exercise at `source`: the code cells to run with its solution, its stub and each wrong answer.

    Each variant is the exercise sequence up to and including that exercise's
    check, with earlier exercises solved (their checks and the progress calls
    left out, to save time); only the exercise's own answer cell differs.
    """
    found: list[Variant] = []
    ran: list[tuple[str | None, str]] = []  # (the exercise an answer cell answers, or None; its source)
    wrongs: dict[str, list[tuple[str, str]]] = {}
    for cell in read_exercises(source).cells:
        if cell.cell_type != "code":
            continue
        ident = _exercise_id(cell)
        if ident is not None and "wrong" in cell.metadata:
            wrongs.setdefault(ident, []).append((str(cell.metadata["wrong"]), cell.source))
            continue
        checked = CHECK_CALL.search(cell.source) if ident is None else None
        if checked is None:
            if ident is not None or not PROGRESS_CALL.search(cell.source):
                ran.append((ident, cell.source))
            continue
        ident = checked.group(1)
        answer = next(text for owner, text in ran if owner == ident)
        options: list[tuple[Literal["solution", "stub", "wrong"], str, str]] = [
            ("solution", "", answer),
            ("stub", "", stub(answer)),
            *(("wrong", name, text) for name, text in wrongs.get(ident, [])),
        ]
        for kind, wrong, text in options:
            cells = (*(text if owner == ident else other for owner, other in ran), cell.source)
            found.append(Variant(ident, kind, wrong, cells))
    return found
