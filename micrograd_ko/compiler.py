"""Compiled mode: trace a per-sample scalar graph once, then run it over a whole batch as numpy.

Eager mode builds one Python object per scalar node, for every sample, at
every step.  But the graph of one sample is the same for every sample: only
the numbers at its inputs change.  So record it once,

    program = trace(lambda x: model(x), example=[0.5, -1.0], params=model.parameters())

and run that recording on a batch, with a leading axis for the samples:

    scores = program(X)               # X has shape (n_samples, 2): every node for all samples at once
    program.backward()                # p.grad += mean over samples of d(score)/d(p), for every parameter

How the recording becomes fast is the execution plan (`Program.plan`):

* **Groups.**  Nodes with the same op, the same depth (longest path from a
  leaf) and the same number of inputs never depend on each other, so one call
  of the op's `array_forward` computes all of them for all samples: the 16
  ReLUs of a layer are one `np.where` over a (16, n_samples) array.  This is
  operation batching (DyNet's autobatching, TensorFlow Fold's dynamic
  batching); JAX's `vmap` is the same idea along the sample axis.
* **Matrix products.**  The `dot` nodes of a dense layer read one shared tuple
  of inputs with weights that are parameters, so their group is one matrix
  product W @ X plus a bias: (16, k) @ (k, n_samples).
* **Convolutions.**  A convolution's output pixels are dot nodes that read
  different windows (patches) but the same rows of weights.  Matrix-product
  groups of one depth with the same weights merge into one 'conv' group:
  the patches are gathered into one matrix and multiplied once (im2col),
  (O, k) @ (k, positions x n_samples).  An unrolled RNN or LSTM needs
  nothing new: every time step's gate rows share the input tuple [x_t | h],
  so each step is one matrix product (one program per sequence length).
* **Backward** walks the groups in reverse.  Each group multiplies its
  output gradients by the op's `local_grads` (the op table's formula, run
  with `ops.ARRAYS`) and adds the result into its parents' rows, with a slice
  or a fancy index when the rows are distinct and `np.add.at` when a row
  repeats; a matrix-product group sends W.T @ g to its inputs and g @ X.T to
  its weights.  No Python loop runs over nodes or samples, only over groups.

Leaves are of three kinds: the sample inputs (one column of the batch each),
the parameters (read fresh from their Values at every call, so an optimizer
step between calls is seen) and constants (numbers frozen at trace time).
A `penalty` that depends on parameters only, such as `1e-4 * l2(params)`,
is traced as a second program and added once per batch, not once per sample.

Honest limits:

* Tracing records the graph of the example only.  Python control flow that
  reads `.data` (`if v.data > 0: ...`) or numbers computed from `.data` are
  frozen as they were for the example; a sample that would have taken the
  other branch silently gets the example's graph.  `trace(..., check=True)`
  replays a few samples of every batch eagerly and raises `TraceCheckError`
  when the results differ, as `torch.jit.trace`'s check does.
* Library code reads `.data` too: `losses.softmax` and `log_softmax` shift
  the logits by the largest one's `.data`.  Traced, that shift is the
  example's; it cancels exactly, so the numbers agree, but a sample whose
  logits are far larger than the example's can overflow where eager does not.
* The domain checks of eager mode are not run: a sample outside an op's
  domain gives NaN or inf, as numpy does, instead of a DomainError.
* An op whose `array_forward` or `local_grads` does not work on arrays (a
  custom op written with `math.exp`, or with an `if` on its input) is
  rejected at trace time by a `CompileError` that names it.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd import Value, no_grad, ops, set_grad_enabled
from micrograd_ko.autograd.namespaces import ARRAYS
from micrograd_ko.autograd.ops import Op

__all__ = ["CompileError", "ConvGroup", "Group", "PlanSize", "Program", "TraceCheckError", "draw_plan", "trace"]

FloatArray = npt.NDArray[np.float64]
IndexArray = npt.NDArray[np.intp]
Rows = slice | IndexArray
"""Rows of the value buffer: a slice when they are evenly spaced (a view, no copy), else an index array."""
Reduction = Literal["mean", "sum"]

_DATA = operator.attrgetter("data")
_NO_INPUTS: FloatArray = np.zeros((1, 0))


class CompileError(ValueError):
    """The traced graph cannot be compiled: an op that does not vectorize, a parameter not listed, ..."""


class TraceCheckError(AssertionError):
    """`check=True` replayed a sample eagerly and got another result than the compiled program."""


# ---- the state one call works on ------------------------------------------------------------------


class _State:
    """The buffers of one batch size: values and gradients, one row per node and one column per sample.

    `leaves` holds the parameters then the constants as one vector (the weights
    of matrix-product groups are gathered from it) and `leaf_grads` their
    gradients, already summed over the samples.
    """

    def __init__(self, rows: int, samples: int, n_leaves: int) -> None:
        self.values: FloatArray = np.zeros((rows, samples))
        self.grads: FloatArray = np.zeros((rows, samples))
        self.leaves: FloatArray = np.zeros(n_leaves)
        self.leaf_grads: FloatArray = np.zeros(n_leaves)


def _rows(indices: Sequence[int]) -> Rows:
    """`indices` as a slice when they are evenly spaced and increasing, else as an index array."""
    index = np.asarray(indices, dtype=np.intp)
    if len(index) == 1:
        return slice(int(index[0]), int(index[0]) + 1)
    steps = np.diff(index)
    if len(index) and steps[0] > 0 and np.all(steps == steps[0]):
        start, step = int(index[0]), int(steps[0])
        return slice(start, start + step * (len(index) - 1) + 1, step)
    return index


def _add_into(target: FloatArray, rows: Rows, unique: bool, contribution: Any) -> None:
    """target[rows] += contribution, correct when a row repeats (then np.add.at adds every copy)."""
    if unique or isinstance(rows, slice):  # a slice never repeats a row
        target[rows] += contribution
    else:
        np.add.at(target, rows, contribution)


def _is_unique(indices: Sequence[int]) -> bool:
    return len(set(indices)) == len(indices)


# ---- groups: the steps of the plan --------------------------------------------------------------


class Group:
    """One step of the plan: `size` nodes of one op at one depth, computed for all samples by a few numpy calls.

    `out` is the slice of value rows it writes (a group's nodes get consecutive
    rows).  `kind` says how it runs: 'matmul' (dot nodes sharing their inputs,
    weights from parameters), 'dot' (dot nodes, batched elementwise), 'sum',
    or 'map' (any other op: its `array_forward` and `local_grads`).
    `forward_calls` and `backward_calls` count the numpy calls of the step,
    counting a call of a table formula as one.
    """

    kind = "map"
    forward_calls = 0
    backward_calls = 0

    def __init__(self, op: Op, depth: int, out: slice, parents: list[list[int]]) -> None:
        self.op = op
        self.depth = depth
        self.out = out
        self.size = out.stop - out.start
        self.parents = parents  # parents[i][k]: value row of input k of node i
        self.arity = len(parents[0])

    def forward(self, state: _State) -> None:
        """Compute the group's rows of `state.values`."""
        raise NotImplementedError

    def backward(self, state: _State) -> None:
        """Send the group's output gradients to its parents' rows (and to `state.leaf_grads`)."""
        raise NotImplementedError

    def describe(self) -> str:
        """One line for the plan's listing: kind, op, how many nodes, depth."""
        return f"{self.kind:<6} {self.op.name} x{self.size} (depth {self.depth}, {self.arity} inputs each)"


class MapGroup(Group):
    """Any op of the table: forward = op.array_forward(*inputs); backward = op.local_grads(ARRAYS, ...) * g.

    Input k of every node of the group is one row set of the value buffer, so
    the formulas see (size, n_samples) arrays and run once for the whole group.
    """

    kind = "map"

    def __init__(self, op: Op, depth: int, out: slice, parents: list[list[int]], needs_grad: list[bool]) -> None:
        super().__init__(op, depth, out, parents)
        columns = [[row[k] for row in parents] for k in range(self.arity)]
        self.inputs = [_rows(column) for column in columns]
        self.unique = [_is_unique(column) for column in columns]
        self.grad_inputs = [k for k in range(self.arity) if needs_grad[k]]
        self.forward_calls = 2 + sum(not isinstance(rows, slice) for rows in self.inputs)  # formula, store, gathers
        self.backward_calls = 1 + 2 * len(self.grad_inputs)
        self._saved: list[FloatArray] = []

    def forward(self, state: _State) -> None:
        values = state.values
        self._saved = args = [values[rows] for rows in self.inputs]
        values[self.out] = self.op.array_forward(*args)

    def backward(self, state: _State) -> None:
        if not self.grad_inputs:
            return
        grads = state.grads
        g = grads[self.out]
        local = self.op.local_grads(ARRAYS, state.values[self.out], *self._saved)
        for k in self.grad_inputs:
            d = local[k]
            # 1.0 * g is g exactly, so the copy is skipped (`+`, `sum`-like inputs)
            _add_into(grads, self.inputs[k], self.unique[k], g if isinstance(d, float) and d == 1.0 else d * g)


class MatmulGroup(Group):
    """Dot nodes that read one shared tuple of inputs, with parameter or constant weights: out = W @ X + b.

    W is gathered from the leaf vector (parameters, then constants), so it is
    read fresh at every call.  Backward: dW = g @ X.T and db = sum of g over
    samples go straight to the leaves' gradients (already summed over
    samples); dX = W.T @ g goes to the input rows.
    """

    kind = "matmul"

    def __init__(
        self,
        op: Op,
        depth: int,
        out: slice,
        parents: list[list[int]],
        weights: list[list[int]],
        bias: list[int] | None,
        x_needs_grad: bool,
    ) -> None:
        super().__init__(op, depth, out, parents)
        k = len(weights[0])
        x = parents[0][k : 2 * k]
        self.x = _rows(x)
        self.x_unique = _is_unique(x)
        self.w = np.asarray(weights, dtype=np.intp)  # (size, k) indices into the leaf vector
        self.w_unique = _is_unique([i for row in weights for i in row])
        self.b = None if bias is None else np.asarray(bias, dtype=np.intp)
        self.b_unique = bias is None or _is_unique(bias)
        self.x_needs_grad = x_needs_grad
        self.forward_calls = 3 + (0 if isinstance(self.x, slice) else 1) + (0 if self.b is None else 2)
        self.backward_calls = 3 + (3 if x_needs_grad else 0) + (0 if self.b is None else 2)
        self._w: FloatArray = np.zeros((0, 0))
        self._x: FloatArray = np.zeros((0, 0))

    def forward(self, state: _State) -> None:
        values = state.values
        self._w = w = state.leaves[self.w]
        self._x = x = values[self.x]
        out = values[self.out]
        np.matmul(w, x, out=out)
        if self.b is not None:
            out += state.leaves[self.b][:, None]

    def backward(self, state: _State) -> None:
        g = state.grads[self.out]
        _add_into(state.leaf_grads, self.w, self.w_unique, g @ self._x.T)
        if self.b is not None:
            _add_into(state.leaf_grads, self.b, self.b_unique, g.sum(axis=1))
        if self.x_needs_grad:
            _add_into(state.grads, self.x, self.x_unique, self._w.T @ g)

    def describe(self) -> str:
        k = self.w.shape[1]
        bias = " + b" if self.b is not None else ""
        return f"matmul dot x{self.size} (depth {self.depth}): ({self.size}x{k}) @ ({k}, samples){bias}"


class ConvGroup(Group):
    """Dot nodes that share one weight matrix over many input tuples: a convolution, as one matrix product over patches.

    A convolution's output pixel (o, p) is W[o] · patch[p] + b[o]: every
    position p reads its own window of pixels (its patch) but the same rows of
    weights.  The group's nodes sit in rows o * P + p, so its output rows are
    one (O, P * samples) matrix; forward gathers the patches into a
    (k, P * samples) matrix and runs ONE product W @ patches (im2col).
    Backward: dW = g @ patches.T, db = g summed over positions and samples,
    and W.T @ g scatter-added back to the pixels (overlapping windows share
    pixels, so the scatter sums repeated rows: sort once at trace time, then
    `np.add.reduceat` per call).
    """

    kind = "conv"

    def __init__(
        self,
        op: Op,
        depth: int,
        out: slice,
        parents: list[list[int]],
        weights: list[list[int]],
        bias: list[int] | None,
        patches: list[list[int]],
        x_needs_grad: bool,
    ) -> None:
        super().__init__(op, depth, out, parents)
        self.w = np.asarray(weights, dtype=np.intp)  # (O, k) indices into the leaf vector
        self.w_unique = _is_unique(self.w.ravel().tolist())
        self.b = None if bias is None else np.asarray(bias, dtype=np.intp)
        self.b_unique = bias is None or _is_unique(bias)
        self.positions = len(patches)
        self.patches = np.asarray(patches, dtype=np.intp).T.copy()  # (k, P): value row of input k at position p
        self.x_needs_grad = x_needs_grad
        flat = self.patches.ravel()
        self._order = np.argsort(flat, kind="stable")
        ordered = flat[self._order]
        self._starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        self._targets = ordered[self._starts]
        self.forward_calls = 4 + (0 if self.b is None else 2)
        self.backward_calls = 4 + (5 if x_needs_grad else 0) + (0 if self.b is None else 2)
        self._w: FloatArray = np.zeros((0, 0))
        self._x: FloatArray = np.zeros((0, 0))

    def forward(self, state: _State) -> None:
        values = state.values
        samples = values.shape[1]
        self._w = w = state.leaves[self.w]
        k = self.w.shape[1]
        self._x = x = values[self.patches].reshape(k, self.positions * samples)
        out = values[self.out].reshape(len(self.w), self.positions * samples)  # a view: the rows are consecutive
        np.matmul(w, x, out=out)
        if self.b is not None:
            out += state.leaves[self.b][:, None]

    def backward(self, state: _State) -> None:
        grads = state.grads
        samples = grads.shape[1]
        g = grads[self.out].reshape(len(self.w), self.positions * samples)
        _add_into(state.leaf_grads, self.w, self.w_unique, g @ self._x.T)
        if self.b is not None:
            _add_into(state.leaf_grads, self.b, self.b_unique, g.sum(axis=1))
        if self.x_needs_grad:
            dx = (self._w.T @ g).reshape(-1, samples)  # row k * P + p: input k of position p
            grads[self._targets] += np.add.reduceat(dx[self._order], self._starts, axis=0)

    def describe(self) -> str:
        o, k = self.w.shape
        bias = " + b" if self.b is not None else ""
        shape = f"({o}x{k}) @ ({k}, {self.positions} positions x samples)"
        return f"conv   dot x{self.size} (depth {self.depth}): {shape}{bias}"


class DotGroup(Group):
    """Dot nodes in general (weights that vary per sample): sum over k of W[i, k] X[i, k], elementwise."""

    kind = "dot"

    def __init__(self, op: Op, depth: int, out: slice, parents: list[list[int]], needs_grad: list[bool]) -> None:
        super().__init__(op, depth, out, parents)
        k = self.arity // 2
        self.w = np.asarray([row[:k] for row in parents], dtype=np.intp)
        self.x = np.asarray([row[k : 2 * k] for row in parents], dtype=np.intp)
        self.w_unique = _is_unique(self.w.ravel().tolist())
        self.x_unique = _is_unique(self.x.ravel().tolist())
        has_bias = self.arity % 2 == 1
        self.b = _rows([row[2 * k] for row in parents]) if has_bias else None
        self.b_unique = has_bias and _is_unique([row[2 * k] for row in parents])
        self.w_grad = any(needs_grad[:k])
        self.x_grad = any(needs_grad[k : 2 * k])
        self.b_grad = has_bias and needs_grad[2 * k]
        self.forward_calls = 5 + (2 if has_bias else 0)
        self.backward_calls = 3 * self.w_grad + 3 * self.x_grad + self.b_grad
        self._w: FloatArray = np.zeros((0, 0, 0))
        self._x: FloatArray = np.zeros((0, 0, 0))

    def forward(self, state: _State) -> None:
        values = state.values
        self._w = w = values[self.w]  # (size, k, samples)
        self._x = x = values[self.x]
        out = values[self.out]
        np.sum(w * x, axis=1, out=out)
        if self.b is not None:
            out += values[self.b]

    def backward(self, state: _State) -> None:
        grads = state.grads
        g = grads[self.out]
        samples = g.shape[1]
        if self.w_grad:
            _add_into(grads, self.w.ravel(), self.w_unique, (self._x * g[:, None, :]).reshape(-1, samples))
        if self.x_grad:
            _add_into(grads, self.x.ravel(), self.x_unique, (self._w * g[:, None, :]).reshape(-1, samples))
        if self.b is not None and self.b_grad:
            _add_into(grads, self.b, self.b_unique, g)


class SumGroup(Group):
    """n-ary sum nodes: out = sum over k of X[i, k]; backward sends g to every input."""

    kind = "sum"

    def __init__(self, op: Op, depth: int, out: slice, parents: list[list[int]]) -> None:
        super().__init__(op, depth, out, parents)
        self.x = np.asarray(parents, dtype=np.intp)
        self.x_unique = _is_unique(self.x.ravel().tolist())
        self.forward_calls = 2
        self.backward_calls = 3

    def forward(self, state: _State) -> None:
        values = state.values
        np.sum(values[self.x], axis=1, out=values[self.out])

    def backward(self, state: _State) -> None:
        grads = state.grads
        g = grads[self.out]
        spread = np.repeat(g, self.arity, axis=0)  # row i*arity + k is node i's gradient, for its input k
        _add_into(grads, self.x.ravel(), self.x_unique, spread)


# ---- the program ----------------------------------------------------------------------------------


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
    """

    def __init__(
        self,
        sample_shape: tuple[int, ...],
        params: list[Value],
        constants: list[float],
        param_rows: dict[int, int],
        plan: list[Group],
        rows: int,
        outputs: list[int],
        single_output: bool,
        nodes: int,
        fn: Callable[..., Any],
    ) -> None:
        self.sample_shape = sample_shape
        self.n_inputs = math.prod(sample_shape)
        self.params = params
        self.constants = np.asarray(constants, dtype=float)
        self.param_rows = param_rows  # parameter index -> its value row, for parameters read from the buffer
        self._param_row_params = np.asarray(list(param_rows), dtype=np.intp)
        self._param_row_rows = _rows(list(param_rows.values())) if param_rows else slice(0, 0)
        self.plan = plan
        self.rows = rows
        self.outputs = outputs
        self._outputs = np.asarray(outputs, dtype=np.intp)
        self.single_output = single_output
        self.nodes = nodes
        self.fn = fn
        self.penalty_program: Program | None = None
        self.check = False
        self.check_samples = 3
        self._state: _State | None = None
        self._ran = False

    # ---- running ---------------------------------------------------------------------------------

    def _prepare(self, samples: int) -> _State:
        state = self._state
        if state is None or state.values.shape[1] != samples:
            state = _State(self.rows, samples, len(self.params) + len(self.constants))
            first = self.n_inputs + len(self.param_rows)
            state.values[first : first + len(self.constants)] = self.constants[:, None]
            state.leaves[len(self.params) :] = self.constants
            self._state = state
        return state

    def _as_batch(self, batch: Any) -> FloatArray:
        array = np.asarray(batch, dtype=float)
        if array.shape[1:] != self.sample_shape:
            raise ValueError(
                f"Program: a batch must have shape (n_samples, {', '.join(map(str, self.sample_shape))}) "
                f"like the traced example, got {array.shape}"
            )
        if array.shape[0] == 0:
            raise ValueError("Program: the batch is empty")
        return array.reshape(array.shape[0], self.n_inputs)

    def forward(self, batch: Any) -> FloatArray:
        """Every output for every sample: shape (n_samples,) for one output, else (n_samples, n_outputs)."""
        flat = self._as_batch(batch)
        # the parameters, read once per call from their Values (an optimizer step in between is seen)
        theta = np.fromiter(map(_DATA, self.params), float, count=len(self.params))
        self._run(flat, theta)
        if self.penalty_program is not None:
            self.penalty_program._run(_NO_INPUTS, theta)
        assert self._state is not None  # set by _run
        outputs = self._state.values[self._outputs].T
        result: FloatArray = outputs[:, 0].copy() if self.single_output else outputs.copy()
        if self.check:
            self._check(flat, result)
        return result

    def _run(self, flat: FloatArray, theta: FloatArray) -> None:
        state = self._prepare(flat.shape[0])
        values = state.values
        values[: self.n_inputs] = flat.T
        n_params = len(theta)
        if n_params:
            state.leaves[:n_params] = theta
            if self.param_rows:
                values[self._param_row_rows] = theta[self._param_row_params][:, None]
        for group in self.plan:
            group.forward(state)
        self._ran = True

    __call__ = forward

    def penalty(self) -> float:
        """The parameter-only term at the parameters of the last call (0.0 without a penalty)."""
        if self.penalty_program is None:
            return 0.0
        if self.penalty_program._state is None:
            raise RuntimeError("Program.penalty: call the program on a batch first")
        return float(self.penalty_program._state.values[self.penalty_program.outputs[0], 0])

    def loss(self, batch: Any, reduction: Reduction = "mean") -> float:
        """The outputs summed per sample, then averaged (or summed) over samples, plus the penalty."""
        outputs = self.forward(batch)
        per_sample = outputs if outputs.ndim == 1 else outputs.sum(axis=1)
        total = per_sample.sum() / len(per_sample) if reduction == "mean" else per_sample.sum()
        return float(total) + self.penalty()

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
        """
        if reduction not in ("mean", "sum"):
            raise ValueError(f"Program.backward: reduction must be 'mean' or 'sum', got {reduction!r}")
        state = self._state
        if state is None or not self._ran:
            raise RuntimeError("Program.backward: call the program on a batch first")
        weights = [1.0] * len(self.outputs) if output_weights is None else [float(w) for w in output_weights]
        if len(weights) != len(self.outputs):
            raise ValueError(f"Program.backward: {len(weights)} output_weights for {len(self.outputs)} outputs")
        scale = 1.0 / state.values.shape[1] if reduction == "mean" else 1.0
        grads = self._leaf_gradients(state, [w * scale for w in weights])
        if self.penalty_program is not None:
            penalty_state = self.penalty_program._state
            assert penalty_state is not None  # run by forward
            grads += self.penalty_program._leaf_gradients(penalty_state, [1.0])
        if accumulate:
            for p, g in zip(self.params, grads.tolist()):
                p.grad += g
        return grads

    def _leaf_gradients(self, state: _State, seeds: list[float]) -> FloatArray:
        """d(sum of outputs, output j weighted by `seeds[j]`)/d(parameter), summed over samples."""
        grads = state.grads
        grads.fill(0.0)
        state.leaf_grads.fill(0.0)
        for row, seed in zip(self.outputs, seeds):
            grads[row] += seed
        for group in reversed(self.plan):
            group.backward(state)
        n_params = len(self.params)
        result: FloatArray = state.leaf_grads[:n_params].copy()
        if self.param_rows:
            result[self._param_row_params] += grads[self._param_row_rows].sum(axis=1)
        return result

    # ---- checking --------------------------------------------------------------------------------

    def _check(self, flat: FloatArray, compiled: FloatArray) -> None:
        """Replay a few samples eagerly (first, last, evenly spaced) and compare with the compiled outputs."""
        n = flat.shape[0]
        picks = sorted({round(i * (n - 1) / max(self.check_samples - 1, 1)) for i in range(self.check_samples)})
        for i in picks:
            with no_grad():
                inputs = _nest([Value(x) for x in flat[i].tolist()], self.sample_shape)
                eager = np.asarray([v.data for v in _output_list(self.fn(inputs))], dtype=float)
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
        programs = [self] if self.penalty_program is None else [self, self.penalty_program]
        return PlanSize(
            nodes=sum(p.nodes for p in programs),
            groups=sum(len(p.plan) for p in programs),
            forward_calls=sum(4 + sum(g.forward_calls for g in p.plan) for p in programs),
            backward_calls=sum(4 + sum(g.backward_calls for g in p.plan) for p in programs),
        )

    def describe(self) -> str:
        """The plan as text, one group per line, in execution order."""
        lines = [f"program: {self.n_inputs} inputs, {len(self.params)} parameters, {self.nodes} nodes"]
        lines += [f"  {g.describe()}" for g in self.plan]
        if self.penalty_program is not None:
            lines += ["penalty:", *(f"  {g.describe()}" for g in self.penalty_program.plan)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        size = self.size()
        return f"Program({size.nodes} nodes in {size.groups} groups, {size.calls_per_step} numpy calls per step)"


# ---- tracing ----------------------------------------------------------------------------------------


def _nest(flat: list[Value], shape: tuple[int, ...]) -> Any:
    """The flat list of inputs in the example's nesting: a list, or lists of lists for images."""
    if len(shape) <= 1:
        return flat
    step = math.prod(shape[1:])
    return [_nest(flat[i * step : (i + 1) * step], shape[1:]) for i in range(shape[0])]


def _output_list(result: Any) -> list[Value]:
    if isinstance(result, Value):
        return [result]
    if isinstance(result, Sequence) and result and all(isinstance(v, Value) for v in result):
        return list(result)
    raise TypeError(f"trace: fn must return a Value or a list of Values, got {type(result).__name__}")


def _graph(outputs: list[Value]) -> list[Value]:
    """Every node the outputs depend on, leaves included, each after its parents (iterative search)."""
    order: list[Value] = []
    visited: set[int] = set()
    for root in outputs:
        stack: list[tuple[Value, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in visited:
                visited.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in reversed(node._parents) if id(p) not in visited)
    return order


def _lookup(name: str) -> Op:
    try:
        return ops.lookup(name)
    except KeyError:
        raise CompileError(f"trace: op {name!r} is not in the op table, so it cannot be compiled") from None


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
    raises TraceCheckError when they differ (see the module docstring).
    Raises CompileError when an op cannot run on arrays, naming the op.
    """
    params = list(params)
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"trace: params[{i}] must be a Value, got {type(p).__name__}")
        if p._parents:
            raise CompileError(f"trace: params[{i}] (label {p.label!r}) is computed by an op, not a leaf")
    if len({id(p) for p in params}) != len(params):
        raise ValueError("trace: params lists a parameter twice")
    if type(check_samples) is not int or check_samples < 1:
        raise ValueError(f"trace: check_samples must be an int >= 1, got {check_samples!r}")
    array = np.asarray(example, dtype=float)
    if not np.all(np.isfinite(array)):
        raise ValueError("trace: the example must hold finite numbers")
    shape = array.shape if array.ndim else (1,)
    inputs = [Value(x, label=f"x{i + 1}") for i, x in enumerate(array.ravel().tolist())] if array.size else []
    with set_grad_enabled(True):
        result = fn(_nest(inputs, shape))
    program = _compile(inputs, shape, params, _output_list(result), fn, single=isinstance(result, Value))
    if penalty is not None:
        with set_grad_enabled(True):
            penalty_outputs = _output_list(penalty())
        if len(penalty_outputs) != 1:
            raise TypeError("trace: penalty must return one Value")
        program.penalty_program = _compile([], (0,), params, penalty_outputs, penalty, single=True)
    program.check = check
    program.check_samples = check_samples
    return program


def _compile(
    inputs: list[Value],
    shape: tuple[int, ...],
    params: list[Value],
    outputs: list[Value],
    fn: Callable[..., Any],
    single: bool,
) -> Program:
    """Group the traced nodes, assign their rows and build the plan; verify every group on the example."""
    nodes = _graph(outputs)
    input_index = {id(v): i for i, v in enumerate(inputs)}
    param_index = {id(p): i for i, p in enumerate(params)}
    kind: dict[int, str] = {}
    constants: dict[int, int] = {}
    constant_values: list[float] = []
    depth: dict[int, int] = {}
    for node in nodes:
        key = id(node)
        if node._parents:
            kind[key] = "node"
            depth[key] = 1 + max(depth[id(p)] for p in node._parents)
            continue
        depth[key] = 0
        if key in input_index:
            kind[key] = "input"
        elif key in param_index:
            kind[key] = "param"
        elif node.role == "parameter":
            raise CompileError(
                f"trace: the graph uses a parameter (label {node.label!r}, data {node.data!r}) that is not in "
                "params; list every parameter, or it would be frozen as a constant"
            )
        else:
            kind[key] = "constant"
            constants[key] = len(constant_values)
            constant_values.append(node.data)
    # which nodes need a gradient: the parameters and everything computed from one
    needs: dict[int, bool] = {}
    for node in nodes:
        key = id(node)
        needs[key] = kind[key] == "param" or any(needs[id(p)] for p in node._parents)

    # group computed nodes by (depth, op, arity, and for a matmul the shared inputs)
    groups: dict[tuple[Any, ...], list[Value]] = {}
    leaf_of = {**{k: i for k, i in param_index.items()}, **{k: len(params) + j for k, j in constants.items()}}
    for node in nodes:
        if kind[id(node)] != "node":
            continue
        op = _lookup(node._op)
        arity = len(node._parents)
        extra: Any = None
        if op.name == "dot":
            k = arity // 2
            leaves = node._parents[:k] + node._parents[2 * k :]
            if all(kind[id(p)] in ("param", "constant") for p in leaves):
                extra = ("matmul", tuple(id(x) for x in node._parents[k : 2 * k]))
        groups.setdefault((depth[id(node)], op.name, arity, extra), []).append(node)
    groups = _merge_convolutions(groups)
    ordered = sorted(groups.items(), key=lambda item: item[0][0])  # stable: first appearance within a depth

    # rows: inputs, parameters read through the buffer, constants, then each group's nodes together
    buffer_params: list[int] = []
    for (_, _, arity, extra), members in ordered:
        for node in members:
            parents = node._parents
            read = parents[arity // 2 : 2 * (arity // 2)] if extra is not None else parents
            buffer_params += [param_index[id(p)] for p in read if kind[id(p)] == "param"]
    param_rows = {i: len(inputs) + j for j, i in enumerate(dict.fromkeys(buffer_params))}
    row: dict[int, int] = {id(v): i for i, v in enumerate(inputs)}
    row.update({id(params[i]): r for i, r in param_rows.items()})
    first_constant = len(inputs) + len(param_rows)
    row.update({k: first_constant + j for k, j in constants.items()})
    next_row = first_constant + len(constant_values)
    plan: list[Group] = []
    for (d, name, arity, extra), members in ordered:
        out = slice(next_row, next_row + len(members))
        for i, node in enumerate(members):
            row[id(node)] = next_row + i
        next_row = out.stop
        op = _lookup(name)
        parent_rows = [[row.get(id(p), -1) for p in node._parents] for node in members]
        grad_at = [any(needs[id(node._parents[k])] for node in members) for k in range(arity)]
        if extra is not None and extra[0] == "conv":
            k, channels = arity // 2, extra[1]
            positions = len(members) // channels
            firsts = members[::positions]  # position 0 of every channel: the weight rows
            weights = [[leaf_of[id(p)] for p in node._parents[:k]] for node in firsts]
            bias = [leaf_of[id(node._parents[2 * k])] for node in firsts] if arity % 2 else None
            patches = [[row[id(p)] for p in members[p]._parents[k : 2 * k]] for p in range(positions)]
            plan.append(ConvGroup(op, d, out, parent_rows, weights, bias, patches, any(grad_at[k : 2 * k])))
        elif extra is not None:
            k = arity // 2
            weights = [[leaf_of[id(p)] for p in node._parents[:k]] for node in members]
            bias = [leaf_of[id(node._parents[2 * k])] for node in members] if arity % 2 else None
            plan.append(MatmulGroup(op, d, out, parent_rows, weights, bias, any(grad_at[k : 2 * k])))
        elif name == "dot":
            plan.append(DotGroup(op, d, out, parent_rows, grad_at))
        elif name == "sum":
            plan.append(SumGroup(op, d, out, parent_rows))
        else:
            plan.append(MapGroup(op, d, out, parent_rows, grad_at))
    program = Program(
        shape,
        params,
        constant_values,
        param_rows,
        plan,
        next_row,
        [row[id(v)] for v in outputs],
        single,
        sum(kind[id(n)] == "node" for n in nodes),
        fn,
    )
    _verify(program, inputs, nodes, row)
    return program


def _merge_convolutions(groups: dict[tuple[Any, ...], list[Value]]) -> dict[tuple[Any, ...], list[Value]]:
    """Merge matrix-product groups of one depth that use the same weights (and biases): a convolution's positions.

    Each window position of a convolution is its own matmul candidate (its
    own input tuple), but all of them meet the same rows of weights.  Those
    become one 'conv' group whose nodes are ordered channel by channel
    (node o * P + p: weight row o at position p), so its outputs are one
    (O, P * samples) matrix.  Groups that share their weights with no other
    stay matmul groups (a dense layer).
    """
    by_weights: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for key, members in groups.items():
        d, _, arity, extra = key
        if extra is None or extra[0] != "matmul":
            continue
        k = arity // 2
        signature = tuple(tuple(id(p) for p in node._parents[:k] + node._parents[2 * k :]) for node in members)
        by_weights.setdefault((d, arity, signature), []).append(key)
    merged: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for (d, arity, signature), keys in by_weights.items():
        if len(keys) > 1:
            for key in keys:
                merged[key] = (d, "dot", arity, ("conv", len(signature), signature))
    result: dict[tuple[Any, ...], list[Value]] = {}
    for key, members in groups.items():
        if key not in merged:
            result[key] = members
            continue
        target = merged[key]
        if target not in result:
            sources = [groups[k] for k in merged if merged[k] == target]
            # channel by channel: row o * P + p is weight row o at position p
            result[target] = [position[o] for o in range(target[3][1]) for position in sources]
    return result


def _verify(program: Program, inputs: list[Value], nodes: list[Value], row: dict[int, int]) -> None:
    """Run the plan on two copies of the example, group by group, against the traced numbers.

    Two columns, not one, so that a formula that only works on single
    numbers (`math.exp` of an array, `if x > 0`) fails here, at trace time,
    with the op's name.  Each group's forward must give the traced values and
    each map group's `local_grads` the traced local derivatives.
    """
    sample = [v.data for v in inputs]
    state = program._prepare(2)
    values = state.values
    values[: program.n_inputs] = np.asarray(sample, dtype=float)[:, None]
    n_params = len(program.params)
    state.leaves[:n_params] = [p.data for p in program.params]
    for i, r in program.param_rows.items():
        values[r] = program.params[i].data
    by_row = {row[id(n)]: n for n in nodes if n._parents}
    for group in program.plan:
        name = group.op.name
        try:
            group.forward(state)
            local = (
                group.op.local_grads(ARRAYS, values[group.out], *group._saved) if isinstance(group, MapGroup) else ()
            )
        except Exception as error:
            raise CompileError(
                f"trace: op {name!r} cannot be compiled: its array formulas fail on numpy arrays "
                f"({type(error).__name__}: {error}); write array_forward and local_grads with numpy or with "
                "the namespace m (m.exp, m.where, ...)"
            ) from error
        for i in range(group.size):
            node = by_row[group.out.start + i]
            got = values[group.out.start + i]
            if not _close(got, node.data):
                raise CompileError(
                    f"trace: op {name!r} cannot be compiled: its array_forward gives {got.tolist()} "
                    f"where forward gives {node.data!r}"
                )
            for k, d in enumerate(local):
                parent = node._parents[k]
                if parent.role == "constant":
                    continue  # eager records 0 for a constant's derivative: it is never used
                expected = node._local_grads[k]
                entry = np.broadcast_to(np.asarray(d, dtype=float), (group.size, 2))[i]
                if not _close(entry, expected):
                    raise CompileError(
                        f"trace: op {name!r} cannot be compiled: its local_grads on arrays gives "
                        f"{entry.tolist()} for input {k} where eager backward has {expected!r}"
                    )
    program._ran = False


def _close(got: Any, expected: float) -> bool:
    return bool(np.allclose(got, expected, rtol=1e-9, atol=1e-12, equal_nan=True))


# ---- drawing the plan ------------------------------------------------------------------------------


def draw_plan(program: Program) -> Any:
    """The plan as a graphviz.Digraph: one box per group (op, count, how it runs), arrows from producer groups.

    Draw it beside `micrograd_ko.draw(output)` of the traced sample to see
    scalar nodes become a few array operations.  A penalty's plan is drawn
    below the main one, in its own frame.
    """
    import graphviz  # only drawing needs it

    graph = graphviz.Digraph(name="plan", graph_attr={"rankdir": "LR"}, node_attr={"shape": "box", "fontsize": "10"})
    graph.node("params", f"parameters ×{len(program.params)}", shape="ellipse")
    edges = _draw_program(graph, program, "")
    if program.penalty_program is not None:
        with graph.subgraph(name="cluster_penalty", graph_attr={"label": "penalty (once per batch)"}) as frame:
            # edges are added outside the frame, so the shared parameters node stays outside it too
            edges += _draw_program(frame, program.penalty_program, "p")
    for tail, head in edges:
        graph.edge(tail, head)
    return graph


def _group_label(group: Group) -> str:
    if isinstance(group, MatmulGroup):
        k = group.w.shape[1]
        bias = " + b" if group.b is not None else ""
        return f"matmul: dot ×{group.size}\n({group.size}×{k}) @ ({k}, samples){bias}"
    if isinstance(group, ConvGroup):
        o, k = group.w.shape
        bias = " + b" if group.b is not None else ""
        return f"conv: dot ×{group.size}\n({o}×{k}) @ ({k}, {group.positions} positions × samples){bias}"
    return f"{group.kind}: {group.op.name} ×{group.size}\ndepth {group.depth}, {group.arity} inputs each"


def _draw_program(graph: Any, program: Program, prefix: str) -> list[tuple[str, str]]:
    """Add the program's nodes to `graph`; return its edges."""
    n_inputs = program.n_inputs
    first_constant = n_inputs + len(program.param_rows)
    first_node = first_constant + len(program.constants)
    if n_inputs:
        graph.node(f"{prefix}inputs", f"inputs ×{n_inputs}\n(samples, {n_inputs})", shape="ellipse")
    if len(program.constants):
        graph.node(f"{prefix}constants", f"constants ×{len(program.constants)}", shape="ellipse")
    owner: dict[int, str] = {}
    edges: list[tuple[str, str]] = []
    for index, group in enumerate(program.plan):
        for r in range(group.out.start, group.out.stop):
            owner[r] = f"{prefix}g{index}"

    def source(r: int) -> str:
        if r < n_inputs:
            return f"{prefix}inputs"
        if r < first_constant:
            return "params"
        if r < first_node:
            return f"{prefix}constants"
        return owner[r]

    for index, group in enumerate(program.plan):
        fills = {"matmul": "lightblue", "conv": "lightblue", "dot": "lightblue", "sum": "lightyellow"}
        fill = fills.get(group.kind, "white")
        graph.node(f"{prefix}g{index}", _group_label(group), style="filled", fillcolor=fill)
        sources = {source(r) for parents in group.parents for r in parents if r >= 0}
        if isinstance(group, MatmulGroup | ConvGroup):
            sources.add("params")
        edges += [(name, f"{prefix}g{index}") for name in sorted(sources)]
    graph.node(f"{prefix}out", f"outputs ×{len(program.outputs)}", shape="ellipse")
    edges += [(source(r), f"{prefix}out") for r in dict.fromkeys(program.outputs)]
    return edges
