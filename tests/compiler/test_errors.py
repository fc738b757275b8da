"""What tracing and a program refuse, and how they say it: "{function}: {argument} must be {rule}, got {value!r}"."""

from __future__ import annotations

import re

import numpy as np
import pytest

from micrograd_ko import losses, nn, ops
from micrograd_ko.autograd import Value
from micrograd_ko.autograd.custom import custom_op
from micrograd_ko.compiler import CompileError, Program, trace


def small_program() -> tuple[Program, Value]:
    w = Value(0.5, role="parameter")
    return trace(lambda s: (s[0] * w).tanh(), [1.0], [w]), w


@pytest.mark.parametrize("method", ["loss", "backward"])
def test_an_unknown_reduction_is_refused_by_loss_and_backward(method: str) -> None:
    program, w = small_program()
    batch = np.array([[1.0], [2.0]])
    program(batch)
    with pytest.raises(ValueError, match=rf"Program\.{method}: reduction must be one of .*'avg'"):
        if method == "loss":
            program.loss(batch, reduction="avg")  # type: ignore[arg-type]
        else:
            program.backward(reduction="avg")  # type: ignore[arg-type]
    assert w.grad == 0.0


def test_sum_and_mean_losses_differ_by_the_batch_size() -> None:
    program, _ = small_program()
    batch = np.array([[1.0], [2.0], [-0.5]])
    assert program.loss(batch, reduction="sum") == pytest.approx(3 * program.loss(batch), rel=1e-15)


def test_params_must_be_distinct_leaf_values() -> None:
    w = Value(0.5, label="w", role="parameter")
    with pytest.raises(TypeError, match=r"^trace: params\[1\] must be a Value, got 0\.5$"):
        trace(lambda s: s[0] * w, [1.0], [w, 0.5])  # type: ignore[list-item]
    with pytest.raises(CompileError, match=r"^trace: params\[0\] must be a leaf.*got Value\(data=1\.0"):
        trace(lambda s: s[0] * w, [1.0], [w * 2.0])
    with pytest.raises(
        ValueError, match=r"^trace: params\[1\] must be a parameter not listed before \(it is params\[0\]\)"
    ):
        trace(lambda s: s[0] * w, [1.0], [w, w])


def test_example_check_samples_and_penalty_are_checked() -> None:
    w = Value(0.5, role="parameter")
    with pytest.raises(ValueError, match=r"^trace: example must hold finite numbers, got \[nan\]$"):
        trace(lambda s: s[0] * w, [float("nan")], [w])
    with pytest.raises(ValueError, match=r"^trace: check_samples"):
        trace(lambda s: s[0] * w, [1.0], [w], check_samples=0)
    with pytest.raises(TypeError, match=r"^trace: fn must return a Value or a list of Values, got 3\.0$"):
        trace(lambda s: 3.0, [1.0], [w])  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match=rf"^trace: penalty must return one Value \({LAMBDA_FORM}\), got \[Value"):
        trace(lambda s: s[0] * w, [1.0], [w], penalty=lambda: [w * w, w])  # type: ignore[arg-type,return-value]


LAMBDA_FORM = re.escape("penalty=lambda: 1e-4 * losses.l2(params)")


def test_a_penalty_that_is_not_a_function_or_returns_a_number_shows_the_lambda_form() -> None:
    w = Value(0.5, role="parameter")
    with pytest.raises(
        TypeError, match=rf"^trace: penalty must be a function of no arguments \({LAMBDA_FORM}\), got Value\(data=2"
    ):
        trace(lambda s: s[0] * w, [1.0], [w], penalty=1e-4 * losses.l2([w]))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=rf"^trace: penalty must return one Value \({LAMBDA_FORM}\), got 0\.5$"):
        trace(lambda s: s[0] * w, [1.0], [w], penalty=lambda: 0.5)  # type: ignore[arg-type,return-value]


EXAMPLE_RULE = re.escape("a list of numbers, or nested lists of one shape for an image ([channel][row][col])")


@pytest.mark.parametrize(
    ("example", "error", "shown"),
    [
        ([1.0, [2.0]], ValueError, r"\[1\.0, \[2\.0\]\]"),
        ([[1.0, 2.0], [3.0]], ValueError, r"\[\[1\.0, 2\.0\], \[3\.0\]\]"),
        (None, TypeError, "None"),
        ("1.0", TypeError, "'1.0'"),
        ([1.0, object()], TypeError, r"\[1\.0, <object"),
    ],
    ids=["ragged", "ragged image", "None", "str", "not a number"],
)
def test_an_example_that_is_not_numbers_of_one_shape_is_named(example: object, error: type, shown: str) -> None:
    w = Value(0.5, role="parameter")
    with pytest.raises(error, match=rf"^trace: example must be {EXAMPLE_RULE}, got {shown}"):
        trace(lambda s: s[0] * w, example, [w])  # type: ignore[arg-type]


def test_a_model_given_as_params_is_told_to_pass_its_parameters() -> None:
    model = nn.MLP(1, [1], seed=0)
    with pytest.raises(TypeError, match=r"^trace: params must be .*\(pass model\.parameters\(\), .*got MLP\(1, \[1\]"):
        trace(lambda s: model(s), [1.0], model)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^trace: params must be a list of Values, got 5$"):
        trace(lambda s: model(s), [1.0], 5)  # type: ignore[arg-type]


def test_a_batch_of_the_wrong_shape_names_the_shape() -> None:
    program, _ = small_program()
    with pytest.raises(
        ValueError, match=r"^Program\.forward: batch must have shape \(n_samples, 1\).*got shape \(2, 4\)"
    ):
        program(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"^Program\.forward: batch must hold at least one sample, got shape \(0, 1\)"):
        program(np.zeros((0, 1)))


def test_output_weights_must_match_the_outputs() -> None:
    w = Value(0.5, role="parameter")
    program = trace(lambda s: [s[0] * w, s[0] + w], [1.0], [w])
    program(np.ones((2, 1)))
    with pytest.raises(ValueError, match=r"^Program\.backward: output_weights must hold one weight per output \(2\)"):
        program.backward(output_weights=(1.0, 0.0, 1.0))
    rule = r"must be a list of numbers, one per output \(2\)"
    with pytest.raises(TypeError, match=rf"^Program\.backward: output_weights {rule}, got 2\.0$"):
        program.backward(output_weights=2.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^Program\.backward: output_weights\[1\] must be a real number, got 'x'$"):
        program.backward(output_weights=(1.0, "x"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^Program\.backward: output_weights\[0\] must be a finite number, got nan$"):
        program.backward(output_weights=(float("nan"), 1.0))
    assert w.grad == 0.0  # a refused call changes nothing
    np.testing.assert_array_equal(program.backward(output_weights=np.array([0.0, 1.0])), [1.0])


def test_an_op_unregistered_since_its_nodes_were_built_is_named() -> None:
    @custom_op("gone_soon", local_grads=lambda m, out, x: 2.0 * x)
    def gone_soon(x: float) -> float:
        """x^2, unregistered before the trace."""
        return x * x

    w = Value(0.3, role="parameter")
    built = gone_soon(w)  # a node made now, used by the traced function later
    ops.unregister("gone_soon")
    with pytest.raises(CompileError, match=r"^trace: every op of the graph must be in the op table, got 'gone_soon'$"):
        trace(lambda s: s[0] * built, [1.0], [w])
