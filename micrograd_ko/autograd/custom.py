"""Your own primitive ops: a forward formula and its local derivative, one block in the op table.

A primitive is the smallest step backpropagation knows: given its inputs it
returns one number, and it knows d(out)/d(input) for each input.  The engine
never looks inside it; it records the node with your op name (which is what
`viz` draws), and `backward()` uses the local derivatives you gave.

    @custom_op("softsign", local_grads=lambda m, out, x: 1 / (1 + abs(x)) ** 2)
    def softsign(x: float) -> float:
        "x / (1 + |x|)"
        return x / (1.0 + abs(x))

    y = softsign(Value(0.5))      # a node with op 'softsign'
    gradcheck(softsign, [0.5])    # is the derivative right?

`local_grads(m, out, *inputs)` is written once, exactly like the built-in
ops' formulas in `micrograd_ko.autograd.ops`: it returns d(out)/d(input) for each
input (a bare entry for a one-input op).  Written with arithmetic and the
functions of the namespace `m` (`m.exp`, `m.where`, `m.sigmoid`, ...), the
same formula gives floats for `backward()`, Values for second derivatives
(`grad(grad(f))`) and numpy arrays for whole batches.  Reading a number out
of a Value (`m.num(x)`, `.data`) cuts the graph there: the second derivative
then misses that dependence, and `gradcheck(..., order=2)` says so.

Op names are global, like function names in a module: they cannot shadow a
built-in op, and defining the same name again replaces the old definition.
"""

from __future__ import annotations

import inspect
import operator
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from micrograd_ko.autograd import ops
from micrograd_ko.autograd.checks import real_number
from micrograd_ko.autograd.namespaces import FLOATS
from micrograd_ko.autograd.ops import Listing, LocalGrads, Op, Problem
from micrograd_ko.autograd.value import Operand, Value, apply_op, as_values

__all__ = ["CustomOp", "apply", "custom_op"]

_PYTHON_OPERATORS: dict[tuple[str, int], Callable[..., Value]] = {
    ("+", 2): operator.add,
    ("-", 2): operator.sub,
    ("-", 1): operator.neg,
    ("*", 2): operator.mul,
    ("/", 2): operator.truediv,
    ("**", 2): operator.pow,
}


def apply(name: str, *operands: Operand) -> Value:
    """Apply the op `name` of the op table to `operands` (numbers become constants): `apply('tanh', x)`.

    Trailing inputs with a default (leaky_relu's alpha) may be left out.
    This is how the draw command, the test strategies and custom ops reach any op by name.
    """
    op = ops.lookup(name)
    if len(operands) < op.min_inputs or (op.arity is not None and len(operands) > op.arity):
        raise TypeError(f"{name}: number of inputs must be {_expected_inputs(op)}, got {len(operands)}")
    parents = as_values(op.with_defaults(operands), name)
    if op.kind == "operator":  # through the Python operator, so `apply('**', x, 2)` is exactly `x ** 2`
        return _PYTHON_OPERATORS[op.symbol, len(parents)](*parents)
    return apply_op(op, parents)


def _expected_inputs(op: Op) -> str:
    if op.arity is None:
        return "at least 1"
    return str(op.arity) if op.min_inputs == op.arity else f"{op.min_inputs} to {op.arity}"


class CustomOp:
    """A user-defined primitive, registered in the op table: call it on Values (or numbers) to get a node.

    `forward(*inputs)` maps floats to a float.  `local_grads` is described in
    the module docstring.  `check(*inputs)`, if given, returns why the inputs
    are outside the op's domain (a str, raised as DomainError) or None.
    `array_forward` is the forward formula on numpy arrays (by default
    `forward` applied element by element).  `drawable=False` keeps the op out
    of the formulas `micrograd_ko.cli.expression` accepts.
    """

    def __init__(
        self,
        name: str,
        forward: Callable[..., float],
        local_grads: LocalGrads,
        *,
        check: Callable[..., str | None] | None = None,
        array_forward: Callable[..., Any] | None = None,
        drawable: bool = True,
    ) -> None:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"CustomOp: name must be an identifier such as 'softsign', got {name!r}")
        for what, fn in (("forward", forward), ("local_grads", local_grads), ("check", check)):
            if fn is not None and not callable(fn):
                raise TypeError(f"CustomOp({name!r}): {what} must be callable, got {fn!r}")
        self.name = self.__name__ = name
        self.forward = forward
        self.local_grads = local_grads
        self.__doc__ = forward.__doc__
        self.arity = _positional_arity(forward)
        self.op = ops.register(
            Op(
                name,
                self.arity,
                check=_as_problem(check),
                forward=self._checked_forward,
                array_forward=array_forward or np.vectorize(forward, otypes=[float]),
                local_grads=self._checked_local_grads,
                doc=forward.__doc__ or "",
                builtin=False,
                listed=Listing(drawable=drawable),
            )
        )

    def __repr__(self) -> str:
        return f"CustomOp({self.name!r})"

    def __call__(self, *operands: Operand) -> Value:
        """Apply the op: one node whose parents are the operands, in order."""
        return apply(self.name, *operands)

    def _checked_forward(self, *inputs: float) -> float:
        result = self.forward(*inputs)
        if isinstance(result, Value):
            raise TypeError(f"{self.name}: forward's result must be a number (compute with floats), got {result!r}")
        return real_number(result, f"{self.name}: forward's result")

    def _checked_local_grads(self, m: Any, out: Any, *inputs: Any) -> tuple[Any, ...]:
        result = self.local_grads(m, out, *inputs)
        entries = tuple(result) if isinstance(result, Sequence) and not isinstance(result, str) else (result,)
        if len(entries) != len(inputs):
            raise ValueError(
                f"{self.name}: local_grads must return one derivative per input ({len(inputs)}), got {len(entries)}"
            )
        if m is FLOATS:
            return tuple(real_number(entry, f"{self.name}: local_grads entry") for entry in entries)
        return entries


def custom_op(
    name: str,
    *,
    local_grads: LocalGrads,
    check: Callable[..., str | None] | None = None,
    array_forward: Callable[..., Any] | None = None,
    drawable: bool = True,
) -> Callable[[Callable[..., float]], CustomOp]:
    """Decorator form of CustomOp: the decorated function is the forward formula.

    >>> @custom_op("cube", local_grads=lambda m, out, x: 3 * x * x)
    ... def cube(x: float) -> float:
    ...     return x**3
    >>> cube(Value(2.0)).op
    'cube'
    """

    def define(forward: Callable[..., float]) -> CustomOp:
        return CustomOp(name, forward, local_grads, check=check, array_forward=array_forward, drawable=drawable)

    return define


def _as_problem(check: Callable[..., str | None] | None) -> Callable[..., Problem | None] | None:
    if check is None:
        return None

    def problem(*inputs: float) -> Problem | None:
        reason = check(*inputs)
        return None if reason is None else Problem(f"is undefined: {reason}")

    return problem


def _positional_arity(forward: Callable[..., float]) -> int | None:
    """How many inputs `forward` takes, or None when it takes any number (*args) or cannot be inspected."""
    try:
        parameters = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in parameters):
        return None
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in parameters if p.kind in positional and p.default is inspect.Parameter.empty)
