"""The checker: one line for a stub, a report for a wrong answer, the smallest failing input, progress, nbgrader."""

from __future__ import annotations

import pytest

pytest.importorskip("hypothesis")

from micrograd_ko.exercises import EXERCISES, RECORDED, check, grade, progress
from micrograd_ko.exercises._framework import Mismatch, first_failure, numbers
from micrograd_ko.exercises.progress import summary


def unwritten(*_args: object) -> None:
    # 여기에 코드를 작성하세요
    raise NotImplementedError


def test_every_notebook_from_01_to_16_has_two_to_four_exercises() -> None:
    per_notebook: dict[str, int] = {}
    for task in EXERCISES.values():
        per_notebook[task.notebook] = per_notebook.get(task.notebook, 0) + 1
    notebooks = {f"{n:02d}" for n in range(1, 17)} | {"10b", "11b", "12b", "13b", "14b"}
    assert notebooks <= set(per_notebook), sorted(notebooks - set(per_notebook))
    assert all(2 <= count <= 4 for count in per_notebook.values()), per_notebook


def test_a_stub_gets_one_friendly_line(capsys: pytest.CaptureFixture[str]) -> None:
    check("02.2", unwritten)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "아직 작성하지 않았습니다" in out and "Traceback" not in out
    assert RECORDED["02.2"].status == "todo"


def test_a_wrong_answer_gets_the_input_expected_got_and_a_hint(capsys: pytest.CaptureFixture[str]) -> None:
    def sgd_step_upwards(params: list, lr: float) -> None:  # type: ignore[type-arg]
        for p in params:
            p.data += lr * p.grad

    check("04.1", sgd_step_upwards)
    out = capsys.readouterr().out
    assert out.startswith("[04.1 경사 하강법 한 걸음] 틀렸습니다.")
    for part in ("입력:", "기대한 값:", "받은 값:", "힌트:"):
        assert part in out
    assert "p.data -= lr * p.grad" not in out  # the solution is never printed


def test_a_crash_is_reported_without_a_traceback() -> None:
    def crashing(*_args: object) -> None:
        raise ZeroDivisionError("division by zero")

    outcome = grade("03.1", crashing)
    assert outcome.status == "fail" and "ZeroDivisionError: division by zero" in outcome.report
    assert "Traceback" not in outcome.report


def test_the_search_reports_the_smallest_failing_input() -> None:
    def trial(x: float) -> None:
        if x > 1.5:
            raise Mismatch(f"x = {x}", "x <= 1.5", x, "hint")

    with pytest.raises(Mismatch) as found:
        first_failure(numbers(-3, 3), trial)
    assert found.value.case == "x = 1.51"


def test_an_unknown_exercise_is_refused_in_the_house_form() -> None:
    with pytest.raises(ValueError, match=r"^check: exercise_id must be one of 01\.1, .*, got '99\.9'$"):
        check("99.9")


def test_under_nbgrader_a_failing_check_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="아직 작성하지 않았습니다"):
        check("02.3", unwritten)


def test_progress_shows_each_exercise_of_a_notebook(capsys: pytest.CaptureFixture[str]) -> None:
    RECORDED.clear()
    grade("11.1", lambda size, kernel, stride, padding: (size + 2 * padding - kernel) // stride + 1)
    grade("11.2", unwritten)
    progress("11")
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "노트북 11: 3문제 중 1문제 통과"
    assert "11.1   ✓ 통과" in out and "11.2   … 작성 전" in out and "11.3   · 확인 안 함" in out
    assert summary().startswith(f"전체: {len(EXERCISES)}문제 중 1문제 통과")
    with pytest.raises(ValueError, match="progress: notebook must be one of"):
        summary("42")


def test_a_wrong_backward_is_drawn_beside_the_expected_graph_with_the_first_difference_filled() -> None:
    from micrograd_ko.exercises.drawing import HIGHLIGHT, draw_difference

    def order(root):  # type: ignore[no-untyped-def]
        return root.topological_order()

    def overwriting_backward(root):  # type: ignore[no-untyped-def]
        root.grad = 1.0
        for node in reversed(order(root)):
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad = local * node.grad

    outcome = grade("02.2", overwriting_backward)
    assert outcome.status == "fail" and "x가 두 번 쓰임" in outcome.report
    source = outcome.picture.source  # type: ignore[attr-defined]
    assert "여러분의 backward" in source and "엔진의 backward" in source
    assert source.count(HIGHLIGHT) == 2 and "grad 3" in source and "grad 6" in source  # the same node, each side

    from micrograd_ko import Value

    x, y = Value(2.0, label="x"), Value(2.0, label="x")
    (x * 3.0).backward()
    (y * 3.0).backward()
    assert HIGHLIGHT not in draw_difference(x * 1.0, y * 1.0).source
