"""Turning a formula typed by a person into a graph of Values, without ever calling `eval`.

`evaluate("x1*w1 + x2*w2 + b", {"x1": x1, ...})` parses the text with Python's
`ast` module and builds the graph node by node from an allow-list:

* numbers (each becomes a constant leaf, as in `x * 2`),
* the names given in `variables`,
* the operators `+ - * / **` and unary `-` / `+`,
* calls of the functions in `FUNCTIONS` (`tanh(x)`, `leaky_relu(x, 0.1)`, ...).

Anything else (attribute access, indexing, strings, lambdas, calls of other
names such as `__import__`) raises `ExpressionError` before a single
operation runs.  Each intermediate result is labelled with the text it came
from, so a drawing shows which part of the formula every node computes.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from typing import NoReturn

from micrograd_ko.autograd import Value, ops
from micrograd_ko.autograd.custom import apply

__all__ = ["FUNCTIONS", "MAX_LENGTH", "ExpressionError", "evaluate"]

MAX_LENGTH = 2000
"""Longest accepted formula, in characters: enough for any picture worth drawing."""

_LABEL_LENGTH = 40


class _Functions(Mapping[str, Callable[..., Value]]):
    """A live view of the op table: every drawable op that is written as a function call.

    Live, so that an op defined later with `custom_op` can be called in a formula too.
    """

    @staticmethod
    def _ops() -> dict[str, ops.Op]:
        return {op.name: op for op in ops.all_ops() if op.listed.drawable and op.kind != "operator"}

    def __getitem__(self, name: str) -> Callable[..., Value]:
        if name not in self._ops():
            raise KeyError(name)
        return partial(apply, name)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ops())

    def __len__(self) -> int:
        return len(self._ops())


FUNCTIONS: Mapping[str, Callable[..., Value]] = _Functions()
"""The functions a formula may call (`tanh`, `max`, `leaky_relu` with an optional alpha, ...), from the op table."""

_BINARY: Mapping[type[ast.operator], Callable[[Value, Value], Value]] = {
    ast.Add: Value.__add__,
    ast.Sub: Value.__sub__,
    ast.Mult: Value.__mul__,
    ast.Div: Value.__truediv__,
    ast.Pow: Value.__pow__,
}

_DESCRIPTIONS: Mapping[type[ast.AST], str] = {
    ast.Attribute: "attribute access (a.b)",
    ast.Subscript: "indexing (a[i])",
    ast.Lambda: "lambda",
    ast.Compare: "comparisons",
    ast.BoolOp: "and/or",
    ast.IfExp: "conditional expressions",
    ast.NamedExpr: "assignment (:=)",
    ast.Starred: "unpacking (*)",
}


class ExpressionError(ValueError):
    """A formula that is not valid Python or uses something outside the allow-list."""


def evaluate(source: str, variables: Mapping[str, Value]) -> Value:
    """Build the graph of the formula `source` over `variables` and return its result.

    Raises ExpressionError, naming the offending part and its column, for a
    syntax error, an unknown name, a call of a function not in `FUNCTIONS`, or
    any construct outside the allow-list.  Math errors of the engine
    (DomainError, ZeroDivisionError) propagate unchanged.
    """
    if not isinstance(source, str):
        raise TypeError(f"evaluate: the formula must be a str, got {type(source).__name__}")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"formula is {len(source)} characters long; at most {MAX_LENGTH} are accepted")
    for name in variables:
        if not name.isidentifier() or name in FUNCTIONS:
            raise ExpressionError(f"{name!r} cannot be a variable name: use an identifier that is not a function")
    shown = source if len(source) <= _LABEL_LENGTH else source[:_LABEL_LENGTH] + "…"
    try:
        source.encode("utf-8")
    except UnicodeEncodeError as error:
        # a lone surrogate: what Python makes of a command-line byte that is not UTF-8 (`draw $'x\xff'`)
        raise ExpressionError(
            f"formula {shown!r} cannot be encoded as UTF-8: character {source[error.start]!r} at column "
            f"{error.start} is not text (a byte that is not UTF-8, or a lone surrogate)"
        ) from None
    try:
        with warnings.catch_warnings():  # "invalid decimal literal" and the like would reach the user's terminal
            warnings.simplefilter("ignore", SyntaxWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            tree = ast.parse(source.strip(), mode="eval")
    except (SyntaxError, ValueError) as error:  # Python 3.10 raises ValueError for a null byte
        reason = error.msg if isinstance(error, SyntaxError) else str(error)
        raise ExpressionError(f"formula {shown!r} is not valid Python syntax: {reason}") from None
    except (RecursionError, MemoryError):
        raise ExpressionError("formula is too long or nested too deeply to build") from None
    try:
        return _Builder(source.strip(), variables).build(tree.body)
    except RecursionError:
        raise ExpressionError("formula is too long or nested too deeply to build") from None


class _Builder:
    """Walks the syntax tree, accepting only allow-listed nodes and building Values bottom-up."""

    def __init__(self, source: str, variables: Mapping[str, Value]) -> None:
        self.source = source
        self.variables = variables

    def build(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Constant):
            return Value(self.number(node), role="constant")
        if isinstance(node, ast.Name):
            return self.variable(node)
        if isinstance(node, ast.UnaryOp):
            result = self.unary(node)
        elif isinstance(node, ast.BinOp):
            operation = _BINARY.get(type(node.op))
            if operation is None:
                self.reject(node, f"operator {type(node.op).__name__}")
            result = self.run(node, operation, self.build(node.left), self.build(node.right))
        elif isinstance(node, ast.Call):
            result = self.call(node)
        else:
            self.reject(node, _DESCRIPTIONS.get(type(node), f"{type(node).__name__} syntax"))
        if result.parents and not result.label:
            result.label = self.text_of(node)
        return result

    def number(self, node: ast.expr) -> float:
        """A literal number (bool, complex and strings are refused); `-2` counts as one number."""
        sign = 1.0
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            sign = -1.0 if isinstance(node.op, ast.USub) else 1.0
            node = node.operand
        if not isinstance(node, ast.Constant):
            self.reject(node, "anything but a number as this argument")
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.reject(node, f"the literal {value!r} (only real numbers)")
        try:
            number = sign * float(value)
        except OverflowError:
            self.reject(node, "a number too large for a float")
        if not math.isfinite(number):
            self.reject(node, "a number too large for a float")
        return number

    def variable(self, node: ast.Name) -> Value:
        if node.id in self.variables:
            return self.variables[node.id]
        if node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id!r} is a function: call it, as in {node.id}(x) (column {node.col_offset})")
        known = ", ".join(sorted(self.variables)) or "none"
        raise ExpressionError(f"unknown name {node.id!r} at column {node.col_offset}; known variables: {known}")

    def unary(self, node: ast.UnaryOp) -> Value:
        if isinstance(node.operand, ast.Constant):
            return Value(self.number(node), role="constant")  # -2 is a number, not neg(2)
        if isinstance(node.op, ast.USub):
            return -self.build(node.operand)
        if isinstance(node.op, ast.UAdd):
            return self.build(node.operand)
        self.reject(node, f"operator {type(node.op).__name__}")

    def call(self, node: ast.Call) -> Value:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else self.text_of(node.func)
            allowed = ", ".join(FUNCTIONS)
            raise ExpressionError(
                f"calling {called!r} is not allowed (column {node.col_offset}); allowed functions: {allowed}"
            )
        name = node.func.id
        if node.keywords:
            self.reject(node, f"keyword arguments to {name}()")
        op = ops.lookup(name)
        if len(node.args) < op.min_inputs or (op.arity is not None and len(node.args) > op.arity):
            self.reject(node, f"{name}() with {len(node.args)} arguments ({name} takes {_arguments_of(op)})")
        return self.run(node, FUNCTIONS[name], *(self.build(argument) for argument in node.args))

    def run(self, node: ast.expr, operation: Callable[..., Value], *operands: Value | float) -> Value:
        """Run one engine op; a float overflow it cannot represent becomes an ExpressionError naming the text."""
        try:
            return operation(*operands)
        except OverflowError as error:
            reason = error.args[-1] if error.args else error
            raise ExpressionError(
                f"{self.text_of(node)!r} at column {node.col_offset} overflowed a float ({reason})"
            ) from None

    def text_of(self, node: ast.expr) -> str:
        text = ast.get_source_segment(self.source, node) or ast.unparse(node)
        return text if len(text) <= _LABEL_LENGTH else text[: _LABEL_LENGTH - 1] + "…"

    def reject(self, node: ast.expr, what: str) -> NoReturn:
        raise ExpressionError(
            f"not allowed in a formula: {what}, at column {node.col_offset} ({self.text_of(node)!r}); "
            "use numbers, variables, + - * / ** and the functions " + ", ".join(FUNCTIONS)
        )


def _arguments_of(op: ops.Op) -> str:
    if op.arity is None:
        return "one or more arguments"
    if op.arity == 1:
        return "exactly one argument"
    optional = len(op.defaults)
    return f"{op.arity} arguments" + (f", the last {optional} optional" if optional else "")
