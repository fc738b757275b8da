"""The formula parser: values and gradients of what it builds, and everything outside the allow-list refused."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from micrograd_ko import DomainError, Value, ops
from micrograd_ko.cli.expression import FUNCTIONS, MAX_LENGTH, ExpressionError, evaluate

POINT = {"x": 0.7, "y": -1.3, "z": 2.1}

FORMULAS: list[tuple[str, Callable[[float, float, float], float]]] = [
    ("x*y + z", lambda x, y, z: x * y + z),
    ("x - y / z", lambda x, y, z: x - y / z),
    ("-x ** 2 + 3 * y", lambda x, y, z: -(x**2) + 3 * y),
    ("tanh(x * y) + sigmoid(z) * exp(-x)", lambda x, y, z: math.tanh(x * y) + math.exp(-x) / (1 + math.exp(-z))),
    ("log(z) + sqrt(z) * abs(y)", lambda x, y, z: math.log(z) + math.sqrt(z) * abs(y)),
    ("relu(x) + relu(y) + softplus(y)", lambda x, y, z: max(x, 0) + max(y, 0) + math.log1p(math.exp(y))),
    ("leaky_relu(y, 0.2) + elu(y, 0.5) + elu(x)", lambda x, y, z: 0.2 * y + 0.5 * (math.exp(y) - 1) + x),
    ("z ** x + 2 ** y", lambda x, y, z: z**x + 2**y),
    ("x * x * x + +y", lambda x, y, z: x**3 + y),
]


def fresh_variables(point: dict[str, float] = POINT) -> dict[str, Value]:
    return {name: Value(value, label=name) for name, value in point.items()}


@pytest.mark.parametrize(("formula", "reference"), FORMULAS)
def test_value_and_gradients_match_the_formula(formula: str, reference: Callable[[float, float, float], float]) -> None:
    variables = fresh_variables()
    result = evaluate(formula, variables)
    assert result.data == pytest.approx(reference(**POINT), rel=1e-12)
    result.backward()
    h = 1e-6
    for name in POINT:
        up, down = dict(POINT), dict(POINT)
        up[name] += h
        down[name] -= h
        numeric = (reference(**up) - reference(**down)) / (2 * h)
        assert variables[name].grad == pytest.approx(numeric, rel=1e-5, abs=1e-7), name


def test_intermediate_results_are_labelled_with_their_text() -> None:
    variables = fresh_variables()
    result = evaluate("x*y + tanh(z)", variables)
    assert result.label == "x*y + tanh(z)"
    assert [parent.label for parent in result.parents] == ["x*y", "tanh(z)"]
    assert result.parents[0].parents == (variables["x"], variables["y"])


def test_numbers_become_constants_and_a_negative_literal_is_one_number() -> None:
    x = Value(2.0, label="x")
    cube = evaluate("x ** 3", {"x": x})
    exponent = cube.parents[1]
    assert (exponent.role, exponent.data, cube.local_grads[1]) == ("constant", 3.0, 0.0)
    shifted = evaluate("x + -2", {"x": x})
    assert shifted.parents[1].role == "constant" and shifted.parents[1].data == -2.0
    assert evaluate("-2.5", {}).data == -2.5 and not evaluate("-2.5", {}).parents


def test_a_variable_used_twice_is_one_node_with_two_edges() -> None:
    x = Value(3.0, label="x")
    square = evaluate("x * x", {"x": x})
    assert square.parents == (x, x)
    square.backward()
    assert x.grad == 6.0


def test_engine_math_errors_pass_through() -> None:
    with pytest.raises(DomainError):
        evaluate("log(x)", {"x": Value(-2.0)})
    with pytest.raises(ZeroDivisionError):
        evaluate("1 / x", {"x": Value(0.0)})


@pytest.mark.parametrize(
    ("formula", "says"),
    [
        ("__import__('os').system('echo unsafe')", "not allowed"),
        ("__import__('os')", "'__import__' is not allowed"),
        ("x.__class__", "attribute access"),
        ("().__class__.__bases__[0].__subclasses__()", "not allowed"),
        ("open('/etc/passwd')", "'open' is not allowed"),
        ("eval('1')", "'eval' is not allowed"),
        ("x[0]", "indexing"),
        ("lambda: x", "lambda"),
        ("'text'", "only real numbers"),
        ("True + x", "only real numbers"),
        ("2j * x", "only real numbers"),
        ("[x, y]", "List"),
        ("x if y else z", "conditional"),
        ("x < y", "comparisons"),
        ("x and y", "and/or"),
        ("(w := x)", "assignment"),
        ("x @ y", "MatMult"),
        ("x // y", "FloorDiv"),
        ("~x", "Invert"),
        ("not x", "Not"),
        ("tanh(*[x])", "unpacking"),
        ("tanh(x=x)", "keyword"),
        ("tanh(x, y)", "exactly one argument"),
        ("leaky_relu(x, y, z)", "arguments"),
        ("elu(x, 1, 2)", "arguments"),
        ("unknown", "unknown name 'unknown'"),
        ("tanh", "is a function"),
        ("1e999 * x", "too large"),
        ("x +", "not valid Python syntax"),
        ("x = 1", "not valid Python syntax"),
        ("", "not valid Python syntax"),
    ],
)
def test_anything_outside_the_allow_list_is_refused(formula: str, says: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate(formula, fresh_variables())
    assert says in str(caught.value)


def test_a_refused_formula_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "created"
    attempts = [
        f"__import__('pathlib').Path({str(marker)!r}).touch()",
        f"open({str(marker)!r}, 'w')",
        f"exp(__import__('pathlib').Path({str(marker)!r}).touch())",
    ]
    for formula in attempts:
        with pytest.raises(ExpressionError):
            evaluate(formula, {})
    assert not marker.exists()


def test_length_and_depth_limits() -> None:
    with pytest.raises(ExpressionError, match=f"at most {MAX_LENGTH}"):
        evaluate("x+" * MAX_LENGTH + "x", fresh_variables())
    with pytest.raises(ExpressionError, match="nested too deeply"):
        evaluate("+".join(["x"] * 999), fresh_variables())  # fits the length limit, not the recursion limit
    with pytest.raises(ExpressionError, match="too many nested parentheses"):
        evaluate("(" * 400 + "x" + ")" * 400, fresh_variables())


@pytest.mark.parametrize("name", ["tanh", "2x", "a-b", ""])
def test_bad_variable_names_are_refused(name: str) -> None:
    with pytest.raises(ExpressionError, match="cannot be a variable name"):
        evaluate("1", {name: Value(1.0)})


def test_every_allowed_function_can_be_called() -> None:
    for op in ops.all_ops(builtin_only=True):
        if op.name in FUNCTIONS:
            result = evaluate(f"{op.name}(x)", {"x": Value(0.5)})
            assert result.op == op.name


def test_the_slope_of_leaky_relu_may_be_a_variable() -> None:
    x, a = Value(-2.0, "x"), Value(0.1, "a")
    out = evaluate("leaky_relu(x, a)", {"x": x, "a": a})
    out.backward()
    assert (out.data, x.grad, a.grad) == (pytest.approx(-0.2), 0.1, -2.0)
