"""The program at run time: a plan called on a batch, its loss and its backward, and the optional check.

`Program` holds a `Plan` (rows and groups, from `plan.py`) and the buffers of
the last few batch sizes (a mini-batch loop whose last batch is smaller
switches between two without making new ones).  Each call writes the batch
and the parameters' current values into the buffers and runs the groups
forward; `backward` runs them in reverse and adds the parameters' gradients
into their Values.  While a `Training` session is open (`training.py`), the
parameters' values are read from the session's array and the gradients added
into its other array instead: no Python work per parameter.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import numpy as np

from micrograd_ko.autograd import Value, no_grad
from micrograd_ko.autograd.checks import finite_number, one_of
from micrograd_ko.compiler._buffers import FloatArray, IndexArray, State
from micrograd_ko.compiler._samples import nest, output_list
from micrograd_ko.compiler.errors import TraceCheckError
from micrograd_ko.compiler.plan import Plan

__all__ = ["REDUCTIONS", "PlanSize", "Program", "Reduction", "SessionArrays"]

Reduction = Literal["mean", "sum"]
REDUCTIONS: tuple[Reduction, ...] = ("mean", "sum")

_DATA = operator.attrgetter("data")  # map(_DATA, params) reads every parameter's value in one C loop
_NO_INPUTS: FloatArray = np.zeros((1, 0))  # the batch of a penalty program: one sample of no numbers
_KEPT_SIZES = 4  # buffers kept for this many batch sizes (a full batch and the last, smaller one, and a spare)


class SessionArrays(Protocol):
    """What a program reads while a training session holds its parameters (`training.Training`).

    `values[i]` and `grads[i]` are the numbers of `program.params[i]`.
    """

    values: FloatArray
    grads: FloatArray
    grads_are_zero: bool  # set by the optimizer's zero_grad, cleared by anything that writes a gradient


@dataclass(frozen=True)
class PlanSize:
    """How big a plan is: scalar nodes traced, groups they became, numpy calls per forward and backward.

    A call of a table formula (an op's `array_forward` or `local_grads`)
    counts as one, although it may make a few numpy calls inside.
    """

    nodes: int
    groups: int
    forward_calls: int
    backward_calls: int

    @property
    def calls_per_step(self) -> int:
        """Numpy calls of one forward plus one backward."""
        return self.forward_calls + self.backward_calls


class Program:
    """A traced per-sample graph, compiled to a plan of groups; call it on a batch.

    Build one with `trace`.  `program(batch)` returns the outputs for every
    sample, `program.backward(reduction)` accumulates parameter gradients,
    `program.loss(batch, reduction)` is the reduced output plus the penalty.
    `plan` is the `Plan` it runs, `fn` the traced function (replayed by
    `check`), `penalty_program` the parameter-only term's own program,
    `session` the open `Training` whose arrays it reads (None: the Values).
    """

    def __init__(
        self,
        plan: Plan,
        fn: Callable[..., Any],
        *,
        penalty: Program | None = None,
        check: bool = False,
        check_samples: int = 3,
    ) -> None:
        self.plan = plan
        self.fn = fn
        self.penalty_program = penalty
        self.check = check
        self.check_samples = check_samples
        self._outputs = np.asarray(plan.outputs, dtype=np.intp)
        self._state: State | None = None  # the buffers of the last batch size, made by the first call
        self._states: dict[int, State] = {}  # by batch size, the last few
        self._leaves: FloatArray | None = None  # while a session lends its values' buffer: every state's leaves
        self._leaf_grads: FloatArray | None = None  # and its gradients' buffer: every state's leaf gradients
        self.session: SessionArrays | None = None
        self._positions: IndexArray | None = None  # where params[i] sits in the session's arrays (None: at i)

    @property
    def params(self) -> tuple[Value, ...]:
        """The traced parameters, in the order `backward` returns their gradients."""
        return self.plan.params

    # ---- running ---------------------------------------------------------------------------------

    def _prepare(self, samples: int) -> State:
        state = self._state
        if state is None or state.values.shape[1] != samples:
            state = self._states.get(samples)
            if state is None:
                if len(self._states) >= _KEPT_SIZES:
                    del self._states[next(iter(self._states))]  # the oldest size
                state = self._states[samples] = self.plan.new_state(samples)
                if self._leaves is not None and self._leaf_grads is not None:
                    state.leaves, state.leaf_grads = self._leaves, self._leaf_grads
            self._state = state
        return state

    def _theta(self) -> FloatArray:
        """The parameters' values: the session's array while one is open, else read from the Values (in C)."""
        if self.session is not None:
            values = self.session.values
            return values if self._positions is None else values[self._positions]
        params = self.plan.params
        return np.fromiter(map(_DATA, params), float, count=len(params))

    def _as_batch(self, batch: Any) -> FloatArray:
        array = np.asarray(batch, dtype=float)
        shape = self.plan.sample_shape
        if array.shape[1:] != shape:
            raise ValueError(
                f"Program.forward: batch must have shape (n_samples, {', '.join(map(str, shape))}) like the "
                f"traced example, got shape {array.shape}"
            )
        if array.shape[0] == 0:
            raise ValueError(f"Program.forward: batch must hold at least one sample, got shape {array.shape}")
        return array.reshape(array.shape[0], self.plan.n_inputs)

    def forward(self, batch: Any) -> FloatArray:
        """Every output for every sample: shape (n_samples,) for one output, else (n_samples, n_outputs)."""
        flat = self._as_batch(batch)
        theta = self._theta()  # read at every call, so an optimizer step in between is seen
        self._run(flat, theta)
        if self.penalty_program is not None:
            self.penalty_program._run(_NO_INPUTS, theta)
        assert self._state is not None  # set by _run
        outputs = self._state.values[self._outputs].T
        result: FloatArray = outputs[:, 0].copy() if self.plan.single_output else outputs.copy()
        if self.check:
            self._check(flat, result)
        return result

    def _run(self, flat: FloatArray, theta: FloatArray) -> None:
        state = self._prepare(flat.shape[0])
        self.plan.load(state, flat, theta)
        for group in self.plan.groups:
            group.forward(state)
        self.plan.finish(state)  # a module's batch statistics (BatchNorm1d in training), none in most plans

    __call__ = forward

    def penalty(self) -> float:
        """The parameter-only term at the parameters' current values (0.0 without a penalty).

        It runs the penalty's program now, so it needs no call first and sees
        an optimizer step since the last one; a `backward` after it sends the
        penalty's gradient at these values.
        """
        program = self.penalty_program
        if program is None:
            return 0.0
        program._run(_NO_INPUTS, self._theta())  # trace gives the penalty the program's own params
        return program._last_output()

    def last_penalty(self) -> float:
        """The penalty that the last call ran, at the same parameters as its outputs (0.0 without a penalty).

        Unlike `penalty()`, it runs nothing: a loop that calls the program and
        then adds the penalty pays for it once per step, not twice.
        """
        program = self.penalty_program
        if program is None:
            return 0.0
        if program._state is None:
            raise RuntimeError("Program.last_penalty: call the program on a batch first")
        return program._last_output()

    def _last_output(self) -> float:
        """The first output of the first sample of the last run (a penalty program's one number)."""
        assert self._state is not None  # set by _run
        return float(self._state.values[self.plan.outputs[0], 0])

    def loss(self, batch: Any, reduction: Reduction = "mean") -> float:
        """The outputs summed per sample, then averaged (or summed) over samples, plus the penalty."""
        reduction = one_of(reduction, REDUCTIONS, "Program.loss: reduction")
        outputs = self.forward(batch)
        per_sample = outputs if outputs.ndim == 1 else outputs.sum(axis=1)
        total = per_sample.sum() / len(per_sample) if reduction == "mean" else per_sample.sum()
        # the penalty that forward just ran, at the same parameters as the outputs
        return float(total) + (0.0 if self.penalty_program is None else self.penalty_program._last_output())

    def backward(
        self,
        reduction: Reduction = "mean",
        output_weights: Sequence[float] | None = None,
        accumulate: bool = True,
    ) -> FloatArray:
        """p.grad += the mean (or sum) over the last batch's samples of d(outputs)/d(p), plus the penalty's.

        The outputs are summed, each weighted by `output_weights` (default all
        1; a 0 leaves an output out, such as a score returned beside a loss).
        Like eager `backward()`, this accumulates: call `zero_grad()` first in a
        training loop.  Returns the gradient, one entry per parameter;
        `accumulate=False` only returns it, for an optimizer that works on arrays.
        Inside a training session the products write the gradient straight
        into the session's array when `zero_grad()` left it at zero, and the
        array returned is then a read-only view of the session's gradients
        (copy it to keep it past the next `zero_grad()`).
        """
        reduction = one_of(reduction, REDUCTIONS, "Program.backward: reduction")
        state = self._state
        if state is None:
            raise RuntimeError("Program.backward: call the program on a batch first")
        weights = self._output_weights(output_weights)
        scale = 1.0 / state.values.shape[1] if reduction == "mean" else 1.0
        seeds = [w * scale for w in weights]
        if self.session is not None and self._leaf_grads is not None:
            return self._backward_into_session(self.session, state, seeds, accumulate)
        grads = self._leaf_gradients(state, seeds)
        self._add_penalty_gradients(grads)
        if accumulate:
            if self.session is not None:
                session_grads = self.session.grads
                self.session.grads_are_zero = False
                if self._positions is None:
                    np.add(session_grads, grads, out=session_grads)
                else:  # the positions are distinct (trace refuses a parameter listed twice)
                    session_grads[self._positions] += grads
            else:
                for p, g in zip(self.plan.params, grads.tolist()):
                    p.grad += g
        return grads

    def _output_weights(self, output_weights: Sequence[float] | None) -> list[float]:
        """`output_weights` checked: one finite number per output (all 1.0 for None)."""
        n_outputs = len(self.plan.outputs)
        if output_weights is None:
            return [1.0] * n_outputs
        what = "Program.backward: output_weights"
        if isinstance(output_weights, str) or not isinstance(output_weights, Iterable):
            raise TypeError(f"{what} must be a list of numbers, one per output ({n_outputs}), got {output_weights!r}")
        weights = [finite_number(w, f"{what}[{i}]") for i, w in enumerate(output_weights)]
        if len(weights) != n_outputs:
            raise ValueError(f"{what} must hold one weight per output ({n_outputs}), got {output_weights!r}")
        return weights

    def _leaf_gradients(self, state: State, seeds: list[float]) -> FloatArray:
        """d(sum of outputs, output j weighted by `seeds[j]`)/d(parameter), summed over samples."""
        self._run_backward(state, seeds)
        plan = self.plan
        result: FloatArray = state.leaf_grads[: len(plan.params)].copy()
        self._add_buffer_params(state, result)
        return result

    def _run_backward(self, state: State, seeds: list[float]) -> None:
        """The groups' backward from the outputs' seeds: gradients in `state.grads` and `state.leaf_grads`."""
        plan = self.plan
        grads = state.grads
        plan.clear_grads(state)  # the rows backward adds into, and the leaves' gradients
        for row, seed in zip(plan.outputs, seeds):
            grads[row] += seed
        for group in reversed(plan.groups):
            group.backward(state)

    def _add_buffer_params(self, state: State, into: FloatArray) -> None:
        """Add the gradients of the parameters read through the value buffer (returned as they are) into `into`."""
        plan = self.plan
        if plan.n_inputs != plan.first_constant:
            into[plan.buffer_params] += state.grads[plan.n_inputs : plan.first_constant].sum(axis=1)

    def _add_penalty_gradients(self, into: FloatArray) -> None:
        """Add the penalty's gradient, at the parameters its last run (by forward) saw, into `into`."""
        if self.penalty_program is not None:
            penalty_state = self.penalty_program._state
            assert penalty_state is not None  # run by forward
            into += self.penalty_program._leaf_gradients(penalty_state, [1.0])

    def _backward_into_session(
        self, session: SessionArrays, state: State, seeds: list[float], accumulate: bool
    ) -> FloatArray:
        """backward when the session's gradients are this program's leaf gradients (the products write into them).

        When `zero_grad()` left them at zero this costs no pass over the
        parameters; otherwise the earlier gradients are set aside and added back
        (accumulate) or put back (accumulate=False).
        """
        session_grads = session.grads
        earlier = None if session.grads_are_zero else session_grads.copy()
        if earlier is not None:
            session_grads.fill(0.0)  # a product writes its weights' gradient: the rest must start at zero
        session.grads_are_zero = False
        self._run_backward(state, seeds)
        self._add_buffer_params(state, session_grads)
        self._add_penalty_gradients(session_grads)
        if earlier is None and accumulate:
            view: FloatArray = session_grads.view()
            view.flags.writeable = False
            return view
        batch: FloatArray = session_grads.copy()
        if earlier is not None:
            if accumulate:
                session_grads += earlier
            else:
                session_grads[...] = earlier
        else:  # accumulate=False from zero: p.grad stays zero
            session_grads.fill(0.0)
            session.grads_are_zero = True
        return batch

    # ---- training on arrays ------------------------------------------------------------------------

    def attach(
        self,
        session: SessionArrays,
        positions: IndexArray | None = None,
        leaves: FloatArray | None = None,
        leaf_grads: FloatArray | None = None,
    ) -> None:
        """Read the parameters from `session.values`, add gradients into `session.grads` (`compiler.Training` calls it).

        `positions[i]` is the entry of `params[i]` in the session's arrays
        (None: entry i).  `leaves`, from `Plan.new_leaves()` with
        `session.values` as its first entries, becomes the leaf vector of
        every batch size, so a call reads the parameters where the optimizer
        writes them, with no copy; `leaf_grads`, with `session.grads` as its
        first entries, likewise receives backward's gradients.  Open a session with
        `with compiler.Training(program, opt):`; see `compiler.training`.
        """
        self.session = session
        self._positions = positions
        if leaves is not None and leaf_grads is not None:
            self._leaves, self._leaf_grads = leaves, leaf_grads
            for state in self._states.values():
                state.leaves, state.leaf_grads = leaves, leaf_grads

    def detach(self) -> None:
        """Read the parameters from their Values again (called when the session closes)."""
        self.session = None
        self._positions = None
        if self._leaves is not None:
            self._leaves = self._leaf_grads = None
            for state in self._states.values():  # the session's buffers are left to the session
                state.leaves, state.leaf_grads = state.leaves.copy(), state.leaf_grads.copy()

    # ---- checking --------------------------------------------------------------------------------

    def _check(self, flat: FloatArray, compiled: FloatArray) -> None:
        """Replay a few samples eagerly (first, last, evenly spaced) and compare with the compiled outputs."""
        n = flat.shape[0]
        picks = sorted({round(i * (n - 1) / max(self.check_samples - 1, 1)) for i in range(self.check_samples)})
        for i in picks:
            with no_grad():
                inputs = nest([Value(x) for x in flat[i].tolist()], self.plan.sample_shape)
                eager = np.asarray([v.data for v in output_list(self.fn(inputs), "trace: fn")], dtype=float)
            got = np.atleast_1d(compiled[i])
            if not np.allclose(got, eager, rtol=1e-9, atol=1e-12, equal_nan=True):
                raise TraceCheckError(
                    f"check: sample {i} gives {eager.tolist()} eagerly but {got.tolist()} compiled; the traced "
                    "graph does not fit this sample (Python control flow on .data, such as `if v.data > 0:`, "
                    "is recorded for the example only)"
                )

    # ---- the plan --------------------------------------------------------------------------------

    def size(self) -> PlanSize:
        """Nodes, groups and numpy calls per step of this plan (with its penalty's)."""
        plans = [self.plan] if self.penalty_program is None else [self.plan, self.penalty_program.plan]
        return PlanSize(
            nodes=sum(p.nodes for p in plans),
            groups=sum(len(p.groups) for p in plans),
            forward_calls=sum(4 + sum(g.forward_calls for g in p.groups) for p in plans),
            backward_calls=sum(4 + sum(g.backward_calls for g in p.groups) for p in plans),
        )

    def describe(self) -> str:
        """The plan as text, one group per line, in execution order."""
        plan = self.plan
        lines = [f"program: {plan.n_inputs} inputs, {len(plan.params)} parameters, {plan.nodes} nodes"]
        lines += [f"  {g.describe()}" for g in plan.groups]
        if self.penalty_program is not None:
            lines += ["penalty:", *(f"  {g.describe()}" for g in self.penalty_program.plan.groups)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        size = self.size()
        return f"Program({size.nodes} nodes in {size.groups} groups, {size.calls_per_step} numpy calls per step)"
