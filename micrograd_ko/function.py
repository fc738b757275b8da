"""Your own primitive ops: a forward formula and its local derivative, recorded like any built-in op.

A primitive is the smallest step backpropagation knows: given its inputs it
returns one number, and it knows d(out)/d(input) for each input.  The engine
never looks inside it; it records the node with your op name (which is what
`viz` draws), and `backward()` uses the local derivatives you gave.

    @custom_op("softsign", derivative=lambda x, out: 1.0 / (1.0 + abs(x)) ** 2)
    def softsign(x: float) -> float:
        "x / (1 + |x|)"
        return x / (1.0 + abs(x))

    y = softsign(Value(0.5))      # a node with op 'softsign'
    gradcheck(softsign, [0.5])    # is the derivative right?

`derivative(*inputs, out)` gets the inputs and the output as floats and
returns one float per input (a bare float for a one-input op).  To make
second derivatives work (`backward(create_graph=True)`, `grad(grad(f))`),
also give `graph_derivative(*inputs, out)`: the same formula written with
Value operations, called with the node's parents and the node itself, e.g.
`lambda x, out: 1 / (1 + abs(x)) ** 2`.  If you give only `graph_derivative`,
it serves both paths.  An op with only a float derivative refuses
create_graph with an error that says what to add.

Op names are global, like function names in a module: they cannot shadow a
built-in op, and defining the same name again replaces the old definition.
"""

from __future__ import annotations

import inspect
import numbers
from collections.abc import Callable, Sequence

from micrograd_ko.engine import Operand, Value, no_grad, record, register_graph_rule

__all__ = ["CustomOp", "Derivative", "GraphDerivative", "custom_op"]

Derivative = Callable[..., float | Sequence[float]]
"""derivative(*inputs, out) -> d(out)/d(input) for each input, as floats."""

GraphDerivative = Callable[..., Operand | Sequence[Operand]]
"""graph_derivative(*inputs, out) -> the same derivatives as Values (numbers for constants)."""


class CustomOp:
    """A user-defined primitive: call it on Values (or numbers) to get a recorded node.

    `forward(*inputs)` maps floats to a float; see the module docstring for
    `derivative` and `graph_derivative` (at least one is required).
    """

    def __init__(
        self,
        name: str,
        forward: Callable[..., float],
        derivative: Derivative | None = None,
        graph_derivative: GraphDerivative | None = None,
    ) -> None:
        if not callable(forward):
            raise TypeError(f"custom op {name!r}: forward must be callable, got {type(forward).__name__}")
        for what, fn in (("derivative", derivative), ("graph_derivative", graph_derivative)):
            if fn is not None and not callable(fn):
                raise TypeError(f"custom op {name!r}: {what} must be callable, got {type(fn).__name__}")
        if derivative is None:
            if graph_derivative is None:
                raise ValueError(f"custom op {name!r}: give derivative, graph_derivative or both")
            derivative = _evaluated(graph_derivative)
        register_graph_rule(name, self._graph_rule)
        self.name = self.__name__ = name
        self.forward = forward
        self.derivative = derivative
        self.graph_derivative = graph_derivative
        self.arity = _positional_arity(forward)
        self.__doc__ = forward.__doc__

    def __repr__(self) -> str:
        return f"CustomOp({self.name!r})"

    def __call__(self, *operands: Operand) -> Value:
        """Apply the op: one node whose parents are the operands, in order."""
        if self.arity is not None and len(operands) != self.arity:
            raise TypeError(f"{self.name}: takes {self.arity} inputs, got {len(operands)}")
        parents = tuple(self._as_value(operand) for operand in operands)
        inputs = tuple(parent.data for parent in parents)
        out = self._as_float(self.forward(*inputs), "forward returned")
        return record(out, self.name, parents, self._float_derivatives(inputs, out))

    def _as_value(self, operand: object) -> Value:
        if isinstance(operand, Value):
            return operand
        return Value(self._as_float(operand, "operand"), role="constant")

    def _as_float(self, number: object, what: str) -> float:
        if isinstance(number, Value) or not isinstance(number, numbers.Real) or isinstance(number, bool):
            raise TypeError(f"{self.name}: {what} must be a real number, got {type(number).__name__}: {number!r}")
        return float(number)

    def _per_input(self, result: object, count: int, what: str) -> tuple[object, ...]:
        """A derivative's result as one entry per input (a bare entry is allowed for one input)."""
        entries = tuple(result) if isinstance(result, Sequence) and not isinstance(result, str) else (result,)
        if len(entries) != count:
            raise ValueError(f"{self.name}: {what} returned {len(entries)} derivatives for {count} inputs")
        return entries

    def _float_derivatives(self, inputs: tuple[float, ...], out: float) -> tuple[float, ...]:
        entries = self._per_input(self.derivative(*inputs, out), len(inputs), "derivative")
        return tuple(self._as_float(entry, "derivative") for entry in entries)

    def _graph_rule(self, node: Value) -> tuple[Operand, ...]:
        if self.graph_derivative is None:
            raise NotImplementedError(
                f"custom op {self.name!r} has only a float derivative, so create_graph and grad() cannot "
                "differentiate through it; give it a graph_derivative written with Value operations"
            )
        entries = self._per_input(self.graph_derivative(*node.parents, node), len(node.parents), "graph_derivative")
        return tuple(
            entry if isinstance(entry, Value) else self._as_float(entry, "graph_derivative") for entry in entries
        )


def custom_op(
    name: str, *, derivative: Derivative | None = None, graph_derivative: GraphDerivative | None = None
) -> Callable[[Callable[..., float]], CustomOp]:
    """Decorator form of CustomOp: the decorated function is the forward formula.

    >>> @custom_op("cube", derivative=lambda x, out: 3.0 * x * x)
    ... def cube(x: float) -> float:
    ...     return x**3
    >>> cube(Value(2.0)).op
    'cube'
    """

    def define(forward: Callable[..., float]) -> CustomOp:
        return CustomOp(name, forward, derivative, graph_derivative)

    return define


def _evaluated(graph_derivative: GraphDerivative) -> Derivative:
    """A float derivative made from a graph_derivative: evaluate it on leaves, keep the numbers."""

    def derivative(*inputs_and_out: float) -> list[float] | float:
        with no_grad():  # only the numbers are wanted here, not a graph
            result = graph_derivative(*(Value(x) for x in inputs_and_out))
        if isinstance(result, Sequence):
            return [entry.data if isinstance(entry, Value) else entry for entry in result]
        return result.data if isinstance(result, Value) else result

    return derivative


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
