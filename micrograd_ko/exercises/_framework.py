"""The checker's machinery: the table of exercises, the search for a failing input, and the Korean report.

A check is a function registered with `@exercise(id, title)` that receives the
learner's objects and either returns (the exercise passes) or raises `Mismatch`
(what input, what was expected, what came back, one hint).  `check(id, ...)`
runs it and prints one short report in Korean: pass, the smallest failing input
found, or, when the learner's code still raises NotImplementedError, one
friendly line.  It never prints a solution.

`first_failure(strategy, trial)` searches with hypothesis (fixed seed, small
budget, shrinking on), so a failure is reported on the simplest input that
shows it.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Status = Literal["pass", "fail", "todo"]
"""What a check found: the code passes, gives a wrong answer (or an error), or is still the stub."""

BUDGET = 60
"""How many inputs a search tries before it calls the code right."""

SHRINK_SECONDS = 1.0
"""How long a search may spend making a failing input smaller before it reports the smallest found."""


class Mismatch(Exception):
    """The learner's code disagreed with the oracle on `case`: `expected` was wanted, `got` came back."""

    def __init__(self, case: str, expected: object, got: object, hint: str, picture: object = None) -> None:
        """`case` describes the input in words; `hint` says where to look, never what to write.

        `picture` (a graphviz drawing, or None) is shown under the report in a notebook.
        """
        super().__init__(case)
        self.case, self.expected, self.got, self.hint = case, expected, got, hint
        self.picture = picture


@dataclass(frozen=True)
class Exercise:
    """One exercise: its id ("02.1"), its Korean title and the check that grades it."""

    id: str
    title: str
    run: Callable[..., None]

    @property
    def notebook(self) -> str:
        """The notebook the exercise ends: "02" for "02.1", "10b" for "10b.2"."""
        return self.id.split(".")[0]


@dataclass(frozen=True)
class Outcome:
    """The result of one check: its status, the report it printed and how long it took (seconds)."""

    id: str
    status: Status
    report: str
    seconds: float
    picture: object = None

    @property
    def passed(self) -> bool:
        """True when the check passed."""
        return self.status == "pass"


EXERCISES: dict[str, Exercise] = {}
"""Every registered exercise by id, in the order they were registered (the curriculum's)."""

RECORDED: dict[str, Outcome] = {}
"""The last outcome of each exercise checked in this Python session (what `progress()` shows)."""


def exercise(exercise_id: str, title: str) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register the decorated function as the check of exercise `exercise_id` ("NN.k")."""

    def register(run: Callable[..., None]) -> Callable[..., None]:
        if exercise_id in EXERCISES:
            raise ValueError(f"exercise: exercise_id must be unused, got {exercise_id!r}")
        EXERCISES[exercise_id] = Exercise(exercise_id, title, run)
        return run

    return register


def in_order() -> list[Exercise]:
    """Every exercise in curriculum order: by notebook ("10" before "10b" before "11"), then by number."""
    return sorted(EXERCISES.values(), key=lambda task: (task.notebook, int(task.id.split(".")[1])))


def lookup(exercise_id: object) -> Exercise:
    """The exercise called `exercise_id`; ValueError naming the known ids otherwise."""
    if not isinstance(exercise_id, str) or exercise_id not in EXERCISES:
        known = ", ".join(task.id for task in in_order())
        raise ValueError(f"check: exercise_id must be one of {known}, got {exercise_id!r}")
    return EXERCISES[exercise_id]


def check(exercise_id: str, *answer: Any) -> None:
    """Grade exercise `exercise_id` with the learner's objects `answer` and print the report in Korean.

    Never raises for a wrong or unfinished answer (a notebook keeps running), except
    under nbgrader's autograder (`NBGRADER_EXECUTION` set), where anything but a
    pass raises AssertionError so that the cell scores zero.  The outcome is
    recorded for `progress()`.
    """
    outcome = grade(exercise_id, *answer)
    print(outcome.report)
    if outcome.picture is not None:
        _display(outcome.picture)
    if not outcome.passed and os.environ.get("NBGRADER_EXECUTION"):
        raise AssertionError(outcome.report)


def grade(exercise_id: str, *answer: Any) -> Outcome:
    """What `check` does, without printing: run the check, record its outcome and return it."""
    task = lookup(exercise_id)
    started = time.perf_counter()
    status, report, picture = _grade(task, answer)
    outcome = Outcome(task.id, status, report, time.perf_counter() - started, picture)
    RECORDED[task.id] = outcome
    return outcome


def _display(picture: object) -> None:
    """Show `picture` when running under IPython (a notebook), and quietly not when Graphviz's dot is missing."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return
    if get_ipython() is None:
        return
    with contextlib.suppress(RuntimeError):  # graphviz.ExecutableNotFound: no `dot` on this machine
        display(picture)  # type: ignore[no-untyped-call]


def _grade(task: Exercise, answer: tuple[Any, ...]) -> tuple[Status, str, object]:
    try:
        status, report = _verdict(task, answer)
    except Mismatch as wrong:
        return "fail", _failure(f"[{task.id} {task.title}]", wrong), wrong.picture
    return status, report, None


def _verdict(task: Exercise, answer: tuple[Any, ...]) -> tuple[Status, str]:
    """(status, report) of running the check; a Mismatch is left to the caller, who keeps its picture."""
    head = f"[{task.id} {task.title}]"
    try:
        task.run(*answer)
    except NotImplementedError:
        return (
            "todo",
            f"{head} 아직 작성하지 않았습니다: `raise NotImplementedError`를 지우고 코드를 채운 뒤 다시 실행하세요.",
        )
    except Mismatch:
        raise
    except ModuleNotFoundError as missing:
        if missing.name == "hypothesis":
            return "fail", f'{head} 확인하려면 hypothesis가 필요합니다: pip install "micrograd_ko[notebooks]"'
        return "fail", _crash(head, missing)
    except RecursionError:
        return "fail", (
            f"{head} 틀렸습니다: 함수 호출이 파이썬의 재귀 한도를 넘었습니다(RecursionError).\n"
            "  힌트: 함수가 자기 자신을(연산자라면 같은 연산자를) 끝없이 부르지 않나요? 깊은 그래프를 따라가는 "
            "코드라면 재귀 대신 직접 관리하는 스택(list)을 써 보세요."
        )
    except Exception as error:  # the learner's code crashed: say how, without a traceback
        return "fail", _crash(head, error)
    return "pass", f"{head} 통과했습니다!"


def _crash(head: str, error: Exception) -> str:
    return (
        f"{head} 틀렸습니다: 코드가 오류를 냈습니다: {type(error).__name__}: {error}\n"
        "  힌트: 오류 메시지가 가리키는 줄을 살펴보고, 빈칸 밖의 코드는 그대로 두었는지 확인하세요."
    )


def _failure(head: str, wrong: Mismatch) -> str:
    return (
        f"{head} 틀렸습니다.\n"
        f"  입력: {wrong.case}\n"
        f"  기대한 값: {_show(wrong.expected)}\n"
        f"  받은 값:   {_show(wrong.got)}\n"
        f"  힌트: {wrong.hint}"
    )


def _show(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)) and all(isinstance(v, float) for v in value):
        inner = ", ".join(f"{v:.6g}" for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return repr(value)


# ---- the helpers checks are written with -------------------------------------------------------------


def close(a: object, b: object, tol: float = 1e-6) -> bool:
    """True when `a` and `b` are numbers (or equally long sequences of them) equal within `tol` (relative)."""
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        if not isinstance(a, (list, tuple)) or not isinstance(b, (list, tuple)) or len(a) != len(b):
            return False
        return all(close(x, y, tol) for x, y in zip(a, b))
    try:
        x, y = float(a), float(b)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return math.isclose(x, y, rel_tol=tol, abs_tol=tol)


def expect(case: str, expected: object, got: object, hint: str, tol: float = 1e-6) -> None:
    """Raise Mismatch unless `got` is close to `expected`."""
    if not close(expected, got, tol):
        raise Mismatch(case, expected, got, hint)


class _Unwritten(BaseException):
    """The stub was hit during a search: carried out of hypothesis without being shrunk."""


class _Enough(BaseException):
    """Shrinking ran out of its time: carried out of hypothesis, which would otherwise go on."""


def gradient_check(case: str, fn: Callable[..., Any], point: Sequence[float], hint: str) -> None:
    """Raise Mismatch unless the gradient of the learner's `fn` at `point` agrees with central finite differences.

    micrograd_ko.gradcheck, run on the learner's own function: it catches a graph
    cut by reading `.data` (the engine then sees a constant and the gradient is 0).
    """
    from micrograd_ko.gradcheck import gradcheck

    report = gradcheck(fn, list(point), raise_on_failure=False)
    for row in report.failures:
        raise Mismatch(f"{case} 의 d/d{row.name} (유한 차분과 비교)", row.numeric, row.analytic, hint)


def first_failure(strategy: Any, trial: Callable[[Any], None], budget: int = BUDGET) -> None:
    """Try `trial` on inputs drawn from `strategy`; re-raise the Mismatch of the simplest failing one.

    Hypothesis searches with a fixed seed (the same inputs every run) and shrinks
    what fails.  NotImplementedError stops the search at once (the stub), and a
    crash of the learner's code counts as a failure like a wrong number.
    """
    from hypothesis import HealthCheck, find, settings
    from hypothesis.errors import NoSuchExample

    first_seen: list[float] = []  # when the first failing input was found
    smallest: list[Any] = []  # the smallest failing input so far (shrinking only ever accepts smaller ones)

    def fails(example: Any) -> bool:
        if first_seen and time.perf_counter() - first_seen[0] > SHRINK_SECONDS:
            raise _Enough  # shrinking has had its time: report the smallest failure found so far
        try:
            trial(example)
        except NotImplementedError:
            raise _Unwritten from None  # not an Exception: hypothesis stops at once instead of shrinking it
        except (Mismatch, ArithmeticError, ValueError, TypeError, RecursionError, IndexError, AttributeError):
            first_seen[:] = first_seen or [time.perf_counter()]
            smallest[:] = [example]
            return True
        return False

    quick = settings(
        max_examples=budget,
        database=None,
        derandomize=True,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    try:
        example = find(strategy, fails, settings=quick)
    except NoSuchExample:
        return
    except _Unwritten:
        raise NotImplementedError from None
    except _Enough:
        example = smallest[0]
    trial(example)  # raises again, now on the shrunk input


def numbers(low: float = -3.0, high: float = 3.0) -> Any:
    """Hypothesis floats in [low, high] rounded to 2 decimals, so a failing input reads short."""
    from hypothesis import strategies as st

    return st.integers(int(low * 100), int(high * 100)).map(lambda n: n / 100)


def lists_of(elements: Any, min_size: int = 1, max_size: int = 5) -> Any:
    """Hypothesis lists of `elements`."""
    from hypothesis import strategies as st

    return st.lists(elements, min_size=min_size, max_size=max_size)


def rounded(values: Sequence[float]) -> list[float]:
    """`values` rounded to 4 decimals, for a readable report."""
    return [round(float(v), 4) for v in values]
