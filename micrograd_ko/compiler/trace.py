"""Tracing: run the function once on the example, plan its graph, and check the plan against the traced numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from micrograd_ko.autograd import Value, set_grad_enabled
from micrograd_ko.autograd.checks import positive_integer
from micrograd_ko.autograd.namespaces import ARRAYS
from micrograd_ko.compiler._buffers import FloatArray
from micrograd_ko.compiler._samples import nest, output_list
from micrograd_ko.compiler.errors import CompileError
from micrograd_ko.compiler.groups import MapGroup
from micrograd_ko.compiler.plan import Plan, make_plan
from micrograd_ko.compiler.program import Program
from micrograd_ko.nn.module import Module, SideInput, watch_side_inputs

__all__ = ["check_plan", "trace"]


def trace(
    fn: Callable[[Any], Value | Sequence[Value]],
    example: Sequence[Any],
    params: Sequence[Value],
    *,
    penalty: Callable[[], Value] | None = None,
    check: bool = False,
    check_samples: int = 3,
) -> Program:
    """Run `fn` once on `example` (one sample: a list of numbers, or nested lists for an image), compile its graph.

    `fn` takes the sample as Values in the example's nesting and returns a
    Value or a list of Values.  `params` lists the parameters: every
    parameter the graph uses must be among them (their values are read again
    at every call).  Any other leaf is a constant, frozen at its traced value.
    `penalty` is a function of no arguments returning a Value built from
    parameters only (`lambda: 1e-4 * losses.l2(params)`), added once per batch.
    With `check=True`, each call replays `check_samples` samples eagerly and
    raises TraceCheckError when they differ (see the package docstring).
    Raises CompileError when an op cannot run on arrays, naming the op, and
    when a layer reads what one sample's graph cannot hold without saying how
    to compute it at run time, naming the layer.  Layers that do say so
    (`nn.module.side_input`): Dropout in training mode draws a fresh mask for
    every sample at every call; BatchNorm1d in training mode normalises over
    the program's batch and updates its running statistics after every call;
    in eval mode it re-reads its running statistics at every call.  The mode
    is the one at trace time: trace again after `model.eval()`.  `check`
    cannot replay a random mask or a batch statistic, so it is refused then.
    """
    params = _checked_params(params)
    check_samples = positive_integer(check_samples, "trace: check_samples")
    if penalty is not None and not callable(penalty):
        raise TypeError(f"trace: penalty must be a function of no arguments ({_PENALTY_FORM}), got {penalty!r}")
    array = _example_array(example)
    shape = array.shape if array.ndim else (1,)
    inputs = [Value(x, label=f"x{i + 1}") for i, x in enumerate(array.ravel().tolist())] if array.size else []
    side = _SideInputs()
    with set_grad_enabled(True), watch_side_inputs(side.watch):
        result = fn(nest(inputs, shape))
    if check and side.unreplayable:
        raise CompileError(
            f"trace: check must be False for a graph with {side.unreplayable[0]!r} in training mode (an eager "
            "replay of one sample cannot draw the same mask or take statistics over the batch), got check=True"
        )
    plan = _compile(inputs, shape, params, output_list(result, "trace: fn"), isinstance(result, Value), side)
    penalty_program = None
    if penalty is not None:
        with set_grad_enabled(True):
            penalty_result = penalty()
        if not isinstance(penalty_result, Value):
            raise TypeError(f"trace: penalty must return one Value ({_PENALTY_FORM}), got {penalty_result!r}")
        penalty_outputs = [penalty_result]
        penalty_program = Program(_compile([], (0,), params, penalty_outputs, single_output=True), penalty)
    return Program(plan, fn, penalty=penalty_program, check=check, check_samples=check_samples)


_PENALTY_FORM = "penalty=lambda: 1e-4 * losses.l2(params)"
_SIDE_INPUT_REFUSALS: dict[SideInput, str] = {
    "random mask": (
        "trace: {module!r} draws a random mask without saying how to draw it again, so compiled mode would "
        "freeze one mask; call model.eval() or train eagerly"
    ),
    "batch statistics": (
        "trace: {module!r} takes statistics over the batch without saying how to take them at run time, so "
        "compiled mode cannot normalise over a batch; call model.eval() or train eagerly"
    ),
    "running statistics": "trace: {module!r} reads its state without saying how to read it again",
}


class _SideInputs:
    """What the layers reported while tracing (`nn.module.side_input`), sorted by kind; refuses what cannot run."""

    def __init__(self) -> None:
        self.state_leaves: list[tuple[Sequence[Value], Callable[[], FloatArray]]] = []
        self.draws: list[tuple[Sequence[Value], Callable[[int, int], FloatArray]]] = []
        self.statistics: list[tuple[Sequence[Value], Callable[[FloatArray, FloatArray, int], None]]] = []
        self.unreplayable: list[Module] = []  # layers whose numbers an eager replay of one sample cannot repeat

    def watch(
        self, module: Module, kind: SideInput, leaves: Sequence[Value], source: Callable[..., Any] | None
    ) -> None:
        """The watcher given to `watch_side_inputs`."""
        if source is None:
            raise CompileError(_SIDE_INPUT_REFUSALS[kind].format(module=module))
        if kind == "running statistics":
            self.state_leaves.append((leaves, source))
            return
        self.unreplayable.append(module)
        if kind == "random mask":
            self.draws.append((leaves, source))
        else:
            self.statistics.append((leaves, source))


_EXAMPLE_RULE = "a list of numbers, or nested lists of one shape for an image ([channel][row][col])"


def _example_array(example: object) -> FloatArray:
    """`example` as a float array; TypeError or ValueError naming `example` when it is not numbers of one shape."""
    if example is None or isinstance(example, str | bytes):  # numpy would read None as nan, a str as its digits
        raise TypeError(f"trace: example must be {_EXAMPLE_RULE}, got {example!r}")
    try:
        array = np.asarray(example, dtype=float)
    except TypeError:  # an element that is no number at all
        raise TypeError(f"trace: example must be {_EXAMPLE_RULE}, got {example!r}") from None
    except ValueError:  # ragged lists, or a str that is not a number
        raise ValueError(f"trace: example must be {_EXAMPLE_RULE}, got {example!r}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"trace: example must hold finite numbers, got {example!r}")
    return array


def _checked_params(params: Sequence[Value]) -> list[Value]:
    """`params` as a list of distinct leaf Values; TypeError or CompileError naming the first that is not."""
    if callable(getattr(params, "parameters", None)):  # a model where its parameters are expected
        raise TypeError(
            f"trace: params must be a list of Values (pass model.parameters(), not the model), got {params!r}"
        )
    if isinstance(params, str) or not isinstance(params, Iterable):
        raise TypeError(f"trace: params must be a list of Values, got {params!r}")
    params = list(params)
    first_at: dict[int, int] = {}
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"trace: params[{i}] must be a Value, got {p!r}")
        if p.parents:
            raise CompileError(f"trace: params[{i}] must be a leaf, not computed by an op, got {p!r}")
        if id(p) in first_at:
            raise ValueError(
                f"trace: params[{i}] must be a parameter not listed before (it is params[{first_at[id(p)]}]), got {p!r}"
            )
        first_at[id(p)] = i
    return params


def _compile(
    inputs: list[Value],
    shape: tuple[int, ...],
    params: list[Value],
    outputs: list[Value],
    single_output: bool,
    side: _SideInputs | None = None,
) -> Plan:
    """The plan of the traced outputs, checked on the example."""
    side = side or _SideInputs()
    plan, computed = make_plan(
        inputs, shape, params, outputs, single_output, side.state_leaves, side.draws, side.statistics
    )
    check_plan(plan, computed, [v.data for v in inputs])
    return plan


def check_plan(plan: Plan, computed: Sequence[Value], example: Sequence[float]) -> None:
    """Run the plan on two copies of the example, group by group, against the traced numbers.

    `computed` are the traced nodes group by group (from `make_plan`).  Two
    columns, not one, so that a formula that only works on single numbers
    (`math.exp` of an array, `if x > 0`) fails here, at trace time, with the
    op's name.  Each group's forward must give the traced values and each map
    group's `local_grads` the traced local derivatives.
    """
    state = plan.new_state(2)
    values = state.values
    theta = np.asarray([p.data for p in plan.params], dtype=float)
    plan.load(state, np.asarray([example, example], dtype=float).reshape(2, len(example)), theta, fresh=False)
    first = 0  # the group's first node in `computed`
    for group in plan.groups:
        name = group.op.name
        try:
            group.forward(state)
            local = group.op.local_grads(ARRAYS, values[group.out], *group.saved) if isinstance(group, MapGroup) else ()
        except Exception as error:
            raise CompileError(
                f"trace: op {name!r} must have array formulas that work on numpy arrays (write array_forward and "
                f"local_grads with numpy or with the namespace m: m.exp, m.where, ...), got "
                f"{type(error).__name__}: {error}"
            ) from error
        for i in range(group.size):
            node = computed[first + i]
            got = values[group.out.start + i]
            if not _close(got, node.data):
                raise CompileError(
                    f"trace: op {name!r} must have an array_forward that agrees with forward, got "
                    f"{got.tolist()} where forward gives {node.data!r}"
                )
            for k, d in enumerate(local):
                if node.parents[k].role == "constant":
                    continue  # eager records 0 for a constant's derivative: it is never used
                expected = node.local_grads[k]
                entry = np.broadcast_to(np.asarray(d, dtype=float), (group.size, 2))[i]
                if not _close(entry, expected):
                    raise CompileError(
                        f"trace: op {name!r} must have local_grads that agree on arrays, got {entry.tolist()} "
                        f"for input {k} where eager backward has {expected!r}"
                    )
        first += group.size


def _close(got: Any, expected: float) -> bool:
    return bool(np.allclose(got, expected, rtol=1e-9, atol=1e-12, equal_nan=True))
