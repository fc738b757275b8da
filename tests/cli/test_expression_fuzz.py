"""Fuzzing the formula parser: whatever text comes in, only its own documented errors come out.

`evaluate` may raise ExpressionError (the formula is refused), DomainError
or ZeroDivisionError (the engine's math errors, documented to pass through),
and nothing else: no UnicodeEncodeError from a lone surrogate, no
OverflowError from a huge number, no RecursionError from deep nesting.

A few thousand cases run by default; `pytest --slow` runs 100,000 of each.
"""

from __future__ import annotations

import ast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd_ko import DomainError, Value
from micrograd_ko.cli.expression import FUNCTIONS, MAX_LENGTH, ExpressionError, evaluate

ALLOWED_ERRORS = (ExpressionError, DomainError, ZeroDivisionError)
VARIABLES = ("x", "y", "z")

DEFAULT_CASES = 2_000
SLOW_CASES = 100_000


def fuzz(request: pytest.FixtureRequest, strategy: st.SearchStrategy[str]) -> None:
    """Run `evaluate` on formulas drawn from `strategy`; fail on any exception outside ALLOWED_ERRORS."""
    cases = SLOW_CASES if request.config.getoption("--slow") else DEFAULT_CASES

    @settings(max_examples=cases, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(formula=strategy, point=st.tuples(*(extreme_floats for _ in VARIABLES)))
    def run(formula: str, point: tuple[float, ...]) -> None:
        variables = {name: Value(number, label=name) for name, number in zip(VARIABLES, point)}
        try:
            result = evaluate(formula, variables)
        except ALLOWED_ERRORS:
            return
        assert isinstance(result, Value)

    run()


extreme_floats = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e-160, -1e-160, 5e-324, 1e308, -1e308, 709.8, 710.0, -745.2]),
    st.floats(allow_nan=False, allow_infinity=False),
)

# ---- random token strings: mostly nonsense, some of it valid ----------------------------

NUMBER_TOKENS = st.one_of(
    st.integers(min_value=0, max_value=10**30).map(str),
    st.sampled_from(["1e308", "1e309", "1e-400", "9" * 400, "10" + "0" * 400, "0x1F", "1_000", "2j", "0.5", ".5"]),
    st.floats(allow_nan=False, allow_infinity=False, min_value=0).map(repr),
)
ODD_TEXT = st.one_of(
    st.sampled_from(["\ud800", "\udcff", "\x00", "\xff", "ÿ", "ㅎ", "변수", "\u2028", "\t", "\n", "#", "'", '"', "\\"]),
    st.text(max_size=3),
    st.characters(),
)
TOKENS = st.one_of(
    st.sampled_from(VARIABLES),
    st.sampled_from(sorted(FUNCTIONS)),
    st.sampled_from(["+", "-", "*", "/", "**", "(", ")", ",", " ", "//", "@", "%", ".", "[", "]", "=", ":", "~"]),
    st.sampled_from(["__import__", "lambda", "if", "else", "and", "not", "True", "None", "__class__", "w"]),
    NUMBER_TOKENS,
    ODD_TEXT,
)
token_strings = st.lists(TOKENS, max_size=30).map("".join)


def test_random_token_strings_raise_only_documented_errors(request: pytest.FixtureRequest) -> None:
    fuzz(request, token_strings)


# ---- random syntax trees: valid Python, inside and outside the allow-list ---------------

NUMBERS = st.one_of(extreme_floats.map(abs), st.integers(min_value=0, max_value=10**400), st.just(10**400))
LEAVES: st.SearchStrategy[ast.expr] = st.one_of(
    st.sampled_from(VARIABLES).map(lambda name: ast.Name(id=name, ctx=ast.Load())),
    NUMBERS.map(lambda number: ast.Constant(value=number)),
    st.sampled_from(["text", True, None, 2j, b"x", "\ud800"]).map(lambda value: ast.Constant(value=value)),
    st.sampled_from(["tanh", "eval", "\xff", "ㅎ"]).map(lambda name: ast.Name(id=name, ctx=ast.Load())),
)
BINARY_OPERATORS = [ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.FloorDiv, ast.Mod, ast.MatMult]
UNARY_OPERATORS = [ast.USub, ast.UAdd, ast.Not, ast.Invert]


def extend(children: st.SearchStrategy[ast.expr]) -> st.SearchStrategy[ast.expr]:
    binary = st.builds(
        lambda left, op, right: ast.BinOp(left=left, op=op(), right=right),
        children,
        st.sampled_from(BINARY_OPERATORS),
        children,
    )
    unary = st.builds(
        lambda op, operand: ast.UnaryOp(op=op(), operand=operand), st.sampled_from(UNARY_OPERATORS), children
    )
    call = st.builds(
        lambda name, args: ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=[]),
        st.sampled_from([*FUNCTIONS, "print"]),
        st.lists(children, min_size=0, max_size=3),
    )
    other = st.builds(
        lambda value: ast.Subscript(value=value, slice=ast.Constant(value=0), ctx=ast.Load()), children
    ) | st.builds(lambda value: ast.Attribute(value=value, attr="__class__", ctx=ast.Load()), children)
    return st.one_of(binary, binary, unary, call, other)


def unparse(tree: ast.expr) -> str:
    return ast.unparse(ast.fix_missing_locations(ast.Expression(body=tree)))


random_trees = st.recursive(LEAVES, extend, max_leaves=25).map(unparse)


def test_random_syntax_trees_raise_only_documented_errors(request: pytest.FixtureRequest) -> None:
    fuzz(request, random_trees)


# ---- the reported cases, pinned ---------------------------------------------------------

REPORTED: list[tuple[str, str]] = [
    ("x\udcff", "cannot be encoded"),  # what `draw $'x\xff'` passes on: the byte 0xff escaped as a surrogate
    ("\ud800", "cannot be encoded"),
    ("x\x00", "null"),
    ("1" * 1000 + "e5", "too large"),
    ("x * " + "9" * 400, "too large"),
]


@pytest.mark.parametrize(("formula", "says"), REPORTED)
def test_reported_crashes_are_expression_errors(formula: str, says: str) -> None:
    with pytest.raises(ExpressionError, match=says):
        evaluate(formula, {"x": Value(1.0)})


@pytest.mark.parametrize(
    "formula",
    ["x ** -1", "exp(x) ** 2", "x ** 1000 ** 2", "2 ** 5000", "x / y", "exp(exp(exp(x)))", "sqrt(x) ** -8"],
)
def test_overflow_is_never_a_bare_overflow_error(formula: str) -> None:
    variables = {"x": Value(1e-160), "y": Value(5e-324)}
    try:
        result = evaluate(formula, variables)
    except ExpressionError as error:
        assert "overflow" in str(error)
    else:
        assert isinstance(result, Value)


def test_the_length_limit_still_applies_to_fuzzed_text() -> None:
    with pytest.raises(ExpressionError, match="at most"):
        evaluate("\ud800" * (MAX_LENGTH + 1), {})
