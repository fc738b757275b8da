"""The group kernels: each step of a plan computes many nodes of one op for all samples in a few numpy calls.

A group owns a block of consecutive value rows (`out`) and knows which rows
its inputs come from (`parents`).  `forward` writes its rows of
`State.values`; `backward` reads its rows of `State.grads` and adds into its
parents' rows, or, for the weights of a matrix product, into
`State.leaf_grads`.  The planner (`plan.py`) decides which kernel a set of
nodes becomes.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from micrograd_ko.autograd import ops
from micrograd_ko.autograd.namespaces import ARRAYS
from micrograd_ko.compiler._buffers import FloatArray, LeafBlock, State, add_into, as_rows, is_unique

__all__ = [
    "IN_PLACE_OPS",
    "BatchStatsGroup",
    "ConvGroup",
    "DotGroup",
    "Group",
    "InPlaceGroup",
    "MapGroup",
    "MatmulGroup",
    "SumGroup",
]


class Group:
    """One step of the plan: `size` nodes of one op at one depth, computed for all samples by a few numpy calls.

    `out` is the slice of value rows it writes (a group's nodes get consecutive
    rows).  `kind` says how it runs: 'matmul' (dot nodes sharing their inputs,
    weights from parameters), 'conv' (dot nodes sharing their weights over
    many input windows), 'dot' (dot nodes, batched elementwise), 'sum', or
    'map' (any other op: its `array_forward` and `local_grads`).
    `forward_calls` and `backward_calls` count the numpy calls of the step,
    counting a call of a table formula as one.
    """

    kind = "map"
    forward_calls = 0
    backward_calls = 0

    def __init__(self, op: ops.Op, depth: int, out: slice, parents: list[list[int]]) -> None:
        self.op = op
        self.depth = depth
        self.out = out
        self.size = out.stop - out.start
        self.parents = parents  # parents[i][k]: value row of input k of node i
        self.arity = len(parents[0])

    def forward(self, state: State) -> None:
        """Compute the group's rows of `state.values`."""
        raise NotImplementedError

    def backward(self, state: State) -> None:
        """Send the group's output gradients to its parents' rows (and to `state.leaf_grads`)."""
        raise NotImplementedError

    def detail(self) -> str:
        """How the group runs, in words: its depth and inputs (a matrix product: its shapes)."""
        return f"depth {self.depth}, {self.arity} inputs each"

    def describe(self) -> str:
        """One line for the plan's listing: kind, op, how many nodes, then `detail()`."""
        return f"{self.kind:<6} {self.op.name} x{self.size} ({self.detail()})"

    def grad_rows(self) -> list[int]:
        """The value rows whose gradients `backward` adds into (a matrix product's weights are leaves, not rows)."""
        return []


class MapGroup(Group):
    """Any op of the table: forward = op.array_forward(*inputs); backward = op.local_grads(ARRAYS, ...) * g.

    Input k of every node of the group is one row set of the value buffer, so
    the formulas see (size, n_samples) arrays and run once for the whole group.
    """

    kind = "map"

    def __init__(self, op: ops.Op, depth: int, out: slice, parents: list[list[int]], needs_grad: list[bool]) -> None:
        super().__init__(op, depth, out, parents)
        columns = [[row[k] for row in parents] for k in range(self.arity)]
        self.inputs = [as_rows(column) for column in columns]
        self.columns = columns
        self.unique = [is_unique(column) for column in columns]
        self.grad_inputs = [k for k in range(self.arity) if needs_grad[k]]
        self.forward_calls = 2 + sum(not isinstance(rows, slice) for rows in self.inputs)  # formula, store, gathers
        self.backward_calls = 1 + 2 * len(self.grad_inputs)
        self.saved: list[FloatArray] = []  # the last forward's inputs, for local_grads (backward, the trace's check)

    def forward(self, state: State) -> None:
        values = state.values
        self.saved = args = [values[rows] for rows in self.inputs]
        values[self.out] = self.op.array_forward(*args)

    def backward(self, state: State) -> None:
        if not self.grad_inputs:
            return
        grads = state.grads
        g = grads[self.out]
        local = self.op.local_grads(ARRAYS, state.values[self.out], *self.saved)
        for k in self.grad_inputs:
            d = local[k]
            # 1.0 * g is g exactly, so the copy is skipped (`+`, `sum`-like inputs)
            add_into(grads, self.inputs[k], self.unique[k], g if isinstance(d, float) and d == 1.0 else d * g)

    def grad_rows(self) -> list[int]:
        """The rows of every input that needs a gradient."""
        return [r for k in self.grad_inputs for r in self.columns[k]]


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
        op: ops.Op,
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
        self.x = as_rows(x)
        self.x_unique = is_unique(x)
        self.w = np.asarray(weights, dtype=np.intp)  # (size, k) indices into the leaf vector
        self.w_unique = is_unique([i for row in weights for i in row])
        self.b = None if bias is None else np.asarray(bias, dtype=np.intp)
        self.b_unique = bias is None or is_unique(bias)
        self.x_needs_grad = x_needs_grad
        self.x_rows = x
        self.blocks: tuple[LeafBlock, LeafBlock | None] | None = None  # set by `use_blocks`
        self._views: dict[int, tuple[FloatArray, FloatArray, FloatArray | None]] = {}  # by id of a leaf vector
        self.assigns = False  # set by the planner when no other group sends a gradient to the input rows
        self.writes_leaves = False  # set by the planner when no other group sends one to these weights
        self.forward_calls = 3 + (0 if isinstance(self.x, slice) else 1) + (0 if self.b is None else 2)
        self.backward_calls = 3 + (3 if x_needs_grad else 0) + (0 if self.b is None else 2)
        self._w: FloatArray = np.zeros((0, 0))
        self._x: FloatArray = np.zeros((0, 0))

    def use_blocks(self, n_leaves: int) -> None:
        """Read the weights (and biases) as views of the leaf vector when their indices form strided blocks."""
        w = LeafBlock.of(self.w, n_leaves)
        b = None if self.b is None else LeafBlock.of(self.b, n_leaves)
        if w is not None and (self.b is None or b is not None):
            self.blocks = (w, b)

    def _block_views(self, vector: FloatArray) -> tuple[FloatArray, FloatArray | None]:
        """The weights' and biases' views of a leaf vector (`blocks`), made once per vector (a State keeps its own)."""
        cached = self._views.get(id(vector))
        if cached is None or cached[0] is not vector:
            assert self.blocks is not None
            w, b = self.blocks
            if len(self._views) > 4:  # the buffers of earlier batch sizes
                self._views.clear()
            cached = self._views[id(vector)] = (vector, w.view(vector), None if b is None else b.view(vector))
        return cached[1], cached[2]

    def forward(self, state: State) -> None:
        values = state.values
        leaves = state.leaves
        if self.blocks is None:
            w, b = leaves[self.w], None if self.b is None else leaves[self.b][:, None]
        else:
            w, b = self._block_views(leaves)
        self._w = w
        self._x = x = values[self.x]
        out = values[self.out]
        np.matmul(w, x, out=out)
        if b is not None:
            out += b

    def backward(self, state: State) -> None:
        g = state.grads[self.out]
        if self.blocks is None:
            add_into(state.leaf_grads, self.w, self.w_unique, g @ self._x.T)
            if self.b is not None:
                add_into(state.leaf_grads, self.b, self.b_unique, g.sum(axis=1))
        else:  # views of the leaf gradients: += adds into the vector, no index arrays
            dw, db = self._block_views(state.leaf_grads)
            if self.writes_leaves:  # the weights' only gradient: written into the view, no temporary
                np.matmul(g, self._x.T, out=dw)
                if db is not None:
                    np.sum(g, axis=1, keepdims=True, out=db)
            else:
                dw += g @ self._x.T
                if db is not None:
                    db += g.sum(axis=1, keepdims=True)
        if self.assigns:  # the input rows' only gradient: written in place, and never zeroed before
            np.matmul(self._w.T, g, out=state.grads[self.x])
        elif self.x_needs_grad:
            add_into(state.grads, self.x, self.x_unique, self._w.T @ g)

    def grad_rows(self) -> list[int]:
        """The input rows, when they need a gradient."""
        return list(self.x_rows) if self.x_needs_grad else []

    def detail(self) -> str:
        """The product's shapes: (size x k) @ (k, samples), plus b when there are biases."""
        k = self.w.shape[1]
        bias = " + b" if self.b is not None else ""
        return f"({self.size}x{k}) @ ({k}, samples){bias}"

    def describe(self) -> str:
        """One line for the plan's listing: kind, how many nodes, depth, then the product's shapes."""
        return f"{self.kind:<6} dot x{self.size} (depth {self.depth}): {self.detail()}"


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
        op: ops.Op,
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
        self.w_unique = is_unique(self.w.ravel().tolist())
        self.b = None if bias is None else np.asarray(bias, dtype=np.intp)
        self.b_unique = bias is None or is_unique(bias)
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

    def forward(self, state: State) -> None:
        values = state.values
        samples = values.shape[1]
        self._w = w = state.leaves[self.w]
        k = self.w.shape[1]
        self._x = x = values[self.patches].reshape(k, self.positions * samples)
        out = values[self.out].reshape(len(self.w), self.positions * samples)  # a view: the rows are consecutive
        np.matmul(w, x, out=out)
        if self.b is not None:
            out += state.leaves[self.b][:, None]

    def backward(self, state: State) -> None:
        grads = state.grads
        samples = grads.shape[1]
        g = grads[self.out].reshape(len(self.w), self.positions * samples)
        add_into(state.leaf_grads, self.w, self.w_unique, g @ self._x.T)
        if self.b is not None:
            add_into(state.leaf_grads, self.b, self.b_unique, g.sum(axis=1))
        if self.x_needs_grad:
            dx = (self._w.T @ g).reshape(-1, samples)  # row k * P + p: input k of position p
            grads[self._targets] += np.add.reduceat(dx[self._order], self._starts, axis=0)

    def grad_rows(self) -> list[int]:
        """The pixels of every window, when they need a gradient."""
        return self._targets.tolist() if self.x_needs_grad else []

    def detail(self) -> str:
        """The product's shapes: (O x k) @ (k, positions x samples), plus b when there are biases."""
        o, k = self.w.shape
        bias = " + b" if self.b is not None else ""
        return f"({o}x{k}) @ ({k}, {self.positions} positions x samples){bias}"

    def describe(self) -> str:
        """One line for the plan's listing: kind, how many nodes, depth, then the product's shapes."""
        return f"{self.kind:<6} dot x{self.size} (depth {self.depth}): {self.detail()}"


class DotGroup(Group):
    """Dot nodes in general (weights that vary per sample): sum over k of W[i, k] X[i, k], elementwise."""

    kind = "dot"

    def __init__(self, op: ops.Op, depth: int, out: slice, parents: list[list[int]], needs_grad: list[bool]) -> None:
        super().__init__(op, depth, out, parents)
        k = self.arity // 2
        self.w = np.asarray([row[:k] for row in parents], dtype=np.intp)
        self.x = np.asarray([row[k : 2 * k] for row in parents], dtype=np.intp)
        self.w_unique = is_unique(self.w.ravel().tolist())
        self.x_unique = is_unique(self.x.ravel().tolist())
        has_bias = self.arity % 2 == 1
        self.b = as_rows([row[2 * k] for row in parents]) if has_bias else None
        self.b_unique = has_bias and is_unique([row[2 * k] for row in parents])
        self.w_grad = any(needs_grad[:k])
        self.x_grad = any(needs_grad[k : 2 * k])
        self.b_grad = has_bias and needs_grad[2 * k]
        self.forward_calls = 5 + (2 if has_bias else 0)
        self.backward_calls = 3 * self.w_grad + 3 * self.x_grad + self.b_grad
        self._w: FloatArray = np.zeros((0, 0, 0))
        self._x: FloatArray = np.zeros((0, 0, 0))

    def forward(self, state: State) -> None:
        values = state.values
        self._w = w = values[self.w]  # (size, k, samples)
        self._x = x = values[self.x]
        out = values[self.out]
        np.sum(w * x, axis=1, out=out)
        if self.b is not None:
            out += values[self.b]

    def backward(self, state: State) -> None:
        grads = state.grads
        g = grads[self.out]
        samples = g.shape[1]
        if self.w_grad:
            add_into(grads, self.w.ravel(), self.w_unique, (self._x * g[:, None, :]).reshape(-1, samples))
        if self.x_grad:
            add_into(grads, self.x.ravel(), self.x_unique, (self._w * g[:, None, :]).reshape(-1, samples))
        if self.b is not None and self.b_grad:
            add_into(grads, self.b, self.b_unique, g)

    def grad_rows(self) -> list[int]:
        """The weight, input and bias rows that need a gradient."""
        rows: list[int] = self.w.ravel().tolist() if self.w_grad else []
        rows += self.x.ravel().tolist() if self.x_grad else []
        return rows + ([row[-1] for row in self.parents] if self.b is not None and self.b_grad else [])


class SumGroup(Group):
    """n-ary sum nodes: out = sum over k of X[i, k]; backward sends g to every input."""

    kind = "sum"

    def __init__(self, op: ops.Op, depth: int, out: slice, parents: list[list[int]]) -> None:
        super().__init__(op, depth, out, parents)
        self.x = np.asarray(parents, dtype=np.intp)
        self.x_unique = is_unique(self.x.ravel().tolist())
        self.forward_calls = 2
        self.backward_calls = 3

    def forward(self, state: State) -> None:
        values = state.values
        np.sum(values[self.x], axis=1, out=values[self.out])

    def backward(self, state: State) -> None:
        grads = state.grads
        g = grads[self.out]
        spread = np.repeat(g, self.arity, axis=0)  # row i*arity + k is node i's gradient, for its input k
        add_into(grads, self.x.ravel(), self.x_unique, spread)

    def grad_rows(self) -> list[int]:
        """Every input row."""
        rows: list[int] = self.x.ravel().tolist()
        return rows


def _relu_forward(v: FloatArray) -> None:
    np.fmax(v, 0.0, out=v)  # NaN becomes 0.0, as in np.where(v > 0, v, 0.0) (np.maximum would keep it)
    v += 0.0  # and -0.0 becomes 0.0 (fmax keeps it): exactly the table's numbers, ~10x faster than np.where


def _relu_backward(g: FloatArray, out: FloatArray) -> None:
    np.multiply(g, out > 0.0, out=g)  # out > 0 exactly where the input was


def _tanh_forward(v: FloatArray) -> None:
    np.tanh(v, out=v)


def _tanh_backward(g: FloatArray, out: FloatArray) -> None:
    g *= 1.0 - out * out


def _sigmoid_forward(v: FloatArray) -> None:
    v[...] = ARRAYS.sigmoid(v)


def _sigmoid_backward(g: FloatArray, out: FloatArray) -> None:
    g *= out * (1.0 - out)


IN_PLACE_OPS: dict[str, tuple[Callable[[FloatArray], None], Callable[[FloatArray, FloatArray], None]]] = {
    "relu": (_relu_forward, _relu_backward),
    "tanh": (_tanh_forward, _tanh_backward),
    "sigmoid": (_sigmoid_forward, _sigmoid_backward),
}
"""The one-input ops whose derivative is a formula of their output alone, with their in-place kernels:
forward(v) overwrites v with op(v); backward(g, out) overwrites g with g * d op/d a written with `out`.
Each gives the same numbers as the op's `array_forward` and `local_grads` (the table's formulas)."""


class InPlaceGroup(Group):
    """A one-input op (relu, tanh, sigmoid) computed over its input's own rows: out = op(a), written over a.

    The planner makes one when every node of the group before it (a matrix
    product, say) is read by exactly one node of this group, in the same
    order: then the input rows are never read again, so the activation
    overwrites them (no new rows, no copy), and backward turns the rows'
    gradient d/d out into d/d a in place, since the input rows get their
    gradient from this group alone.  d op/d a is written with the output:
    relu's is out > 0, tanh's 1 - out², sigmoid's out (1 - out).
    """

    kind = "map"

    def __init__(self, op: ops.Op, depth: int, out: slice, parents: list[list[int]], needs_grad: bool) -> None:
        super().__init__(op, depth, out, parents)
        self._forward, self._backward = IN_PLACE_OPS[op.name]
        self.needs_grad = needs_grad
        self.forward_calls = 1
        self.backward_calls = 1 if needs_grad else 0

    def forward(self, state: State) -> None:
        self._forward(state.values[self.out])

    def backward(self, state: State) -> None:
        if self.needs_grad:
            self._backward(state.grads[self.out], state.values[self.out])

    def detail(self) -> str:
        """Its depth, and that it runs in place."""
        return f"depth {self.depth}, in place over its input's rows"


class BatchStatsGroup(Group):
    """Statistics over the batch axis (BatchNorm1d in training): each node's input row, reduced over the samples.

    For input row x (one feature, N samples), a 'mean' group writes
    μ = (1/N) Σ x into every sample's column and a 'variance' group the biased
    σ² = (1/N) Σ (x - μ)², as eager BatchNorm1d computes them (a sum then a
    division by N).  Every sample's output depends on every sample's input,
    so backward first sums the output gradient over the samples, G = Σ g:
    d/dx_s of μ is 1/N, and of σ² it is (2/N)(c_s - mean(c)) with c = x - μ
    (the second term is 0 in exact arithmetic; kept, as eager's graph has it).
    """

    kind = "batch"

    def __init__(
        self, op: ops.Op, depth: int, out: slice, parents: list[list[int]], statistic: str, needs_grad: bool
    ) -> None:
        super().__init__(op, depth, out, parents)
        column = [row[0] for row in parents]
        self.x = as_rows(column)
        self.x_rows = column
        self.x_unique = is_unique(column)
        self.statistic = statistic  # 'mean' or 'variance'
        self.needs_grad = needs_grad
        self.forward_calls = 3 if statistic == "mean" else 6
        self.backward_calls = (3 if statistic == "mean" else 6) if needs_grad else 0
        self._c: FloatArray = np.zeros((0, 0))

    def forward(self, state: State) -> None:
        values = state.values
        x = values[self.x]
        n = x.shape[1]
        mean = x.sum(axis=1, keepdims=True) / n
        if self.statistic == "mean":
            values[self.out] = mean
            return
        self._c = c = x - mean
        values[self.out] = (c * c).sum(axis=1, keepdims=True) / n

    def backward(self, state: State) -> None:
        if not self.needs_grad:
            return
        grads = state.grads
        g = grads[self.out].sum(axis=1, keepdims=True)  # every sample's output reads every sample's input
        n = grads.shape[1]
        if self.statistic == "mean":
            contribution = np.broadcast_to(g / n, (self.size, n))
        else:
            c = self._c
            contribution = (2.0 / n) * (c - c.sum(axis=1, keepdims=True) / n) * g
        add_into(grads, self.x, self.x_unique, contribution)

    def grad_rows(self) -> list[int]:
        """The input rows, when they need a gradient."""
        return list(self.x_rows) if self.needs_grad else []

    def detail(self) -> str:
        """Its depth, and the statistic over the batch axis."""
        return f"depth {self.depth}, the {self.statistic} of each input row over the samples"
