"""The group kernels: each step of a plan computes many nodes of one op for all samples in a few numpy calls.

A group owns a block of consecutive value rows (`out`) and knows which rows
its inputs come from (`parents`).  `forward` writes its rows of
`State.values`; `backward` reads its rows of `State.grads` and adds into its
parents' rows, or, for the weights of a matrix product, into
`State.leaf_grads`.  The planner (`plan.py`) decides which kernel a set of
nodes becomes.
"""

from __future__ import annotations

import numpy as np

from micrograd_ko.autograd import ops
from micrograd_ko.autograd.namespaces import ARRAYS
from micrograd_ko.compiler._buffers import FloatArray, State, add_into, as_rows, is_unique

__all__ = ["ConvGroup", "DotGroup", "Group", "MapGroup", "MatmulGroup", "SumGroup"]


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
        self.forward_calls = 3 + (0 if isinstance(self.x, slice) else 1) + (0 if self.b is None else 2)
        self.backward_calls = 3 + (3 if x_needs_grad else 0) + (0 if self.b is None else 2)
        self._w: FloatArray = np.zeros((0, 0))
        self._x: FloatArray = np.zeros((0, 0))

    def forward(self, state: State) -> None:
        values = state.values
        self._w = w = state.leaves[self.w]
        self._x = x = values[self.x]
        out = values[self.out]
        np.matmul(w, x, out=out)
        if self.b is not None:
            out += state.leaves[self.b][:, None]

    def backward(self, state: State) -> None:
        g = state.grads[self.out]
        add_into(state.leaf_grads, self.w, self.w_unique, g @ self._x.T)
        if self.b is not None:
            add_into(state.leaf_grads, self.b, self.b_unique, g.sum(axis=1))
        if self.x_needs_grad:
            add_into(state.grads, self.x, self.x_unique, self._w.T @ g)

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
