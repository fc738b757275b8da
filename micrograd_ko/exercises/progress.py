"""Where a learner stands: a table of exercises and whether each has passed.

`progress("02")` (or `progress()` for every notebook) shows the checks run in
this Python session; `progress_of_notebook(path)` runs the answer and check
cells of a learner's saved notebook quietly and reports them, which is what the
command `python -m micrograd_ko exercises --progress DIR` does for a teacher.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from micrograd_ko.exercises._framework import EXERCISES, RECORDED, Outcome, in_order

__all__ = ["MARKS", "progress", "progress_of_notebook", "summary"]

MARKS = {"pass": "✓ 통과", "fail": "✗ 틀림", "todo": "… 작성 전", None: "· 확인 안 함"}
"""How each status reads in the table (None: the check cell has not been run)."""


def summary(notebook: str | None = None, outcomes: dict[str, Outcome] | None = None) -> str:
    """The table for `notebook` ("02"; None for all) from `outcomes` (default: this session's), as text."""
    results = RECORDED if outcomes is None else outcomes
    chosen = [e for e in in_order() if notebook is None or e.notebook == str(notebook)]
    if not chosen:
        known = sorted({e.notebook for e in EXERCISES.values()})
        raise ValueError(f"progress: notebook must be one of {known} or None, got {notebook!r}")
    lines = []
    for task in chosen:
        outcome = results.get(task.id)
        lines.append(f"  {task.id:<6} {MARKS[outcome.status if outcome else None]:<8}  {task.title}")
    passed = sum(1 for task in chosen if (o := results.get(task.id)) is not None and o.passed)
    where = f"노트북 {notebook}" if notebook is not None else "전체"
    return f"{where}: {len(chosen)}문제 중 {passed}문제 통과\n" + "\n".join(lines)


def progress(notebook: str | None = None) -> None:
    """Print which exercises of `notebook` ("02"; None: every notebook) have passed in this session."""
    print(summary(notebook))


def progress_of_notebook(path: Path) -> dict[str, Outcome]:
    """Run the answer and check cells of the learner's notebook at `path` quietly; the outcome of each check.

    Only the cells the exercises added are run (the rest of the notebook is the
    lesson), in one fresh namespace, with their printed output swallowed.  A
    cell that crashes outside a check leaves its exercises "not checked".
    """
    from micrograd_ko.exercises._framework import grade

    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    namespace: dict[str, object] = {}
    found: dict[str, Outcome] = {}

    def quiet_check(exercise_id: str, *answer: object) -> None:
        found[exercise_id] = grade(exercise_id, *answer)

    for cell in notebook.get("cells", []):
        tagged = cell.get("metadata", {}).get("micrograd_ko")
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell.get("cell_type") != "code" or not (tagged or "micrograd_ko.exercises" in source):
            continue
        namespace.update(check=quiet_check, progress=lambda *_args: None)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(Exception):
            exec(compile(source, f"{Path(path).name}", "exec"), namespace)
            namespace.update(check=quiet_check, progress=lambda *_args: None)
    return found
