"""gradcheck at the edges of its settings: the largest step, zero tolerances, a zero numeric derivative."""

from __future__ import annotations

import math

import pytest

from micrograd_ko import CustomOp, GradcheckError, Value, gradcheck


def line(x: Value) -> Value:
    """2x + 1: its finite differences are exact in floats at dyadic points, whatever the step."""
    return 2.0 * x + 1.0


@pytest.mark.parametrize("eps", [1.0, 1.5, -1e-6])
def test_eps_must_be_below_one(eps: float) -> None:
    with pytest.raises(ValueError, match=f"eps must be a step between 0 and 1, got {eps!r}"):
        gradcheck(line, [1.0], eps=eps)


def test_eps_just_below_one_is_accepted() -> None:
    report = gradcheck(line, [1.0], eps=0.5)
    assert report.eps == 0.5 and report.ok


@pytest.mark.parametrize(("atol", "rtol"), [(0.0, 1e-3), (1e-5, 0.0), (0.0, 0.0)])
def test_zero_tolerances_are_accepted(atol: float, rtol: float) -> None:
    report = gradcheck(line, [Value(1.0, "x")], eps=0.5, atol=atol, rtol=rtol)
    assert (report.atol, report.rtol) == (atol, rtol)
    assert report.ok


def test_an_exact_match_passes_with_no_tolerance_at_all() -> None:
    report = gradcheck(line, [Value(1.0, "x")], eps=0.5, atol=0.0, rtol=0.0)
    (row,) = report.rows
    assert (row.analytic, row.numeric, row.left, row.right) == (2.0, 2.0, 2.0, 2.0)
    assert (row.abs_error, row.rel_error, row.allowed, row.status) == (0.0, 0.0, 0.0, "ok")


def test_any_error_fails_with_no_tolerance_at_all() -> None:
    off = CustomOp("off_by_a_little", lambda x: 2.0 * x, lambda m, out, x: 2.0 + 2.0**-40)
    report = gradcheck(off, [1.0], eps=0.5, atol=0.0, rtol=0.0, raise_on_failure=False)
    (row,) = report.rows
    assert row.numeric == 2.0 and row.abs_error == 2.0**-40
    assert row.status == "mismatch"


def test_rel_error_is_zero_when_both_derivatives_are_zero() -> None:
    report = gradcheck(lambda x: x * 0.0 + 3.0, [Value(2.0, "x")], atol=0.0, rtol=0.0)
    (row,) = report.rows
    assert (row.analytic, row.numeric, row.abs_error, row.rel_error, row.status) == (0.0, 0.0, 0.0, 0.0, "ok")


def test_rel_error_is_infinite_when_only_the_numeric_derivative_is_zero() -> None:
    flat = CustomOp("flat_but_claims_slope", lambda x: 3.0, lambda m, out, x: 0.25)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(flat, [Value(2.0, "x")])
    report = caught.value.report
    assert report is not None
    (row,) = report.failures
    assert (row.analytic, row.numeric, row.abs_error) == (0.25, 0.0, 0.25)
    assert row.rel_error == math.inf
    assert "relative error inf" in str(caught.value)
