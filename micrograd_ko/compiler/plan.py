"""Planning: from the traced nodes to groups of nodes over the rows of one buffer.

`make_plan` runs the steps in order, each a function of its own:

1. `read_graph`: every node in one topological order, with its kind (the
   engine's roles: 'input', 'parameter', 'constant', or 'result' for a
   computed node) and its depth (the longest path from a leaf).
2. `needs_grad`: which nodes need a gradient (the parameters and everything
   computed from one), so backward skips the rest.
3. `group_nodes`: computed nodes of one depth, op and arity together (a
   matrix product: also the same inputs), then `merge_convolutions`.
4. `fuse_in_place`: an activation (relu, tanh, sigmoid) whose group reads the
   whole of the group before it, node for node, and is its only reader, is
   computed over that group's rows in place (a layer's W @ X + b, then its
   ReLU, in one block of rows).
5. `assign_rows`: one value row per node: inputs, the parameters read through
   the buffer (by a group, or returned as an output), constants, then each
   group's nodes side by side (a fused activation: its input's rows).
6. `build_groups`: each group of nodes becomes its kernel (`groups.py`), and
   `mark_assignments` lets a matrix product that is the only source of its
   input rows' gradient write it instead of adding it (those rows are then
   never zeroed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from micrograd_ko.autograd import Role, Value, describe, ops
from micrograd_ko.compiler._buffers import FloatArray, IndexArray, State
from micrograd_ko.compiler.errors import CompileError
from micrograd_ko.compiler.fusion import adds_into_leaf_grads, fuse_in_place, mark_assignments
from micrograd_ko.compiler.groups import (
    BatchStatsGroup,
    ConvGroup,
    DotGroup,
    Group,
    InPlaceGroup,
    MapGroup,
    MatmulGroup,
    SumGroup,
)
from micrograd_ko.nn.batchnorm import BATCH_MEAN, BATCH_VARIANCE

__all__ = [
    "Draw",
    "Graph",
    "GroupKey",
    "Plan",
    "Reread",
    "RowLayout",
    "StatUpdate",
    "assign_rows",
    "build_groups",
    "group_nodes",
    "make_plan",
    "merge_convolutions",
    "needs_grad",
    "read_graph",
    "topological_order",
]


@dataclass(frozen=True, eq=False)
class Reread:
    """Constants read again at every call: `read()[positions]` are the numbers of constants `constants` (indices).

    A module's state traced as constant leaves (BatchNorm1d's running
    statistics in eval mode) changes between calls, so the program re-reads
    it, one `read()` and two numpy writes per module and call.
    """

    read: Callable[[], FloatArray]
    positions: IndexArray
    constants: IndexArray


@dataclass(frozen=True, eq=False)
class Draw:
    """Leaves drawn afresh for every sample at every call: `draw(samples, len(rows))` gives their (samples, n) numbers.

    Dropout's factors in training mode (`Dropout.draw_factors`): the rows sit
    after the constants; `traced` are the numbers the leaves had when traced
    (what `check_plan` loads, so checking draws nothing).
    """

    draw: Callable[[int, int], FloatArray]
    rows: IndexArray
    traced: FloatArray


@dataclass(frozen=True, eq=False)
class StatUpdate:
    """After every call, `update(means, variances, samples)` with the batch's statistics (rows `means`, `variances`).

    BatchNorm1d's `update_running` in training mode: the running statistics
    move as an eager training call moves them.
    """

    update: Callable[[FloatArray, FloatArray, int], None]
    means: IndexArray
    variances: IndexArray


@dataclass(frozen=True, eq=False)
class Plan:
    """What the planner decided, given to `Program`: the rows of the value buffer and the groups run over them.

    The rows, top to bottom: the sample's inputs (`n_inputs` of them), the
    parameters that groups read through the buffer (`buffer_params`: their
    indices in `params`), the constants (from row `first_constant`), then
    every group's nodes (`rows` in all).  The leaf vector holds `params`
    then `constants`.  `outputs` are the value rows of the traced outputs,
    `nodes` counts the computed nodes traced.  Iterating a plan gives its
    groups in execution order.  `rereads` are the constants read again at
    every call (a module's state), before the groups run; `draws` are the
    leaves drawn afresh at every call (after the constants' rows), `updates`
    what runs after the groups (a module's running statistics).  `zero_rows` are
    the gradient rows backward zeroes first (None: all); the others are
    written, not added into, by the one group that sends them a gradient.
    `zero_leaf_grads` is False when no group adds into the leaves' gradients
    (every product writes its weights' gradient), so backward skips that fill.
    """

    sample_shape: tuple[int, ...]
    n_inputs: int  # the numbers of one sample
    params: tuple[Value, ...]
    buffer_params: IndexArray
    first_constant: int  # n_inputs + len(buffer_params): stored, since every call reads it
    constants: FloatArray
    groups: tuple[Group, ...]
    rows: int
    outputs: tuple[int, ...]
    single_output: bool
    nodes: int
    rereads: tuple[Reread, ...] = ()
    zero_rows: tuple[slice, ...] | None = None
    draws: tuple[Draw, ...] = ()
    updates: tuple[StatUpdate, ...] = ()
    zero_leaf_grads: bool = True

    def __iter__(self) -> Iterator[Group]:
        return iter(self.groups)

    def __len__(self) -> int:
        return len(self.groups)

    def new_state(self, samples: int) -> State:
        """Buffers for a batch of `samples`, with the constants written in (they never change)."""
        state = State(self.rows, samples, len(self.params) + len(self.constants))
        first = self.first_constant
        state.values[first : first + len(self.constants)] = self.constants[:, None]
        state.leaves[len(self.params) :] = self.constants
        return state

    def new_leaves(self) -> FloatArray:
        """A leaf vector: zeros for the parameters, then the constants (a training session fills the first part)."""
        leaves = np.zeros(len(self.params) + len(self.constants))
        leaves[len(self.params) :] = self.constants
        return leaves

    def clear_grads(self, state: State) -> None:
        """Zero the gradient rows that backward adds into (and the leaves' gradients), before the seeds."""
        if self.zero_rows is None:
            state.grads.fill(0.0)
        else:
            grads = state.grads
            for rows in self.zero_rows:
                grads[rows] = 0.0
        if self.zero_leaf_grads:
            state.leaf_grads.fill(0.0)

    def load(self, state: State, flat: FloatArray, theta: FloatArray, fresh: bool = True) -> None:
        """Write a batch (`flat`: one row per sample) and the parameters' values `theta` into `state`.

        With `fresh`, the drawn leaves get new numbers (else their traced ones).
        """
        n_inputs = self.n_inputs
        state.values[:n_inputs] = flat.T
        samples = flat.shape[0]
        for draw in self.draws:
            rows = draw.rows
            state.values[rows] = draw.draw(samples, len(rows)).T if fresh else draw.traced[:, None]
        n_params = len(theta)
        if n_params:
            if theta.base is not state.leaves:  # a session's values are the first leaves already
                state.leaves[:n_params] = theta
            if n_inputs != self.first_constant:  # some parameters are read through the buffer
                state.values[n_inputs : self.first_constant] = theta[self.buffer_params][:, None]
        for reread in self.rereads:  # one per module whose state the graph reads, not per node
            numbers = reread.read()[reread.positions]
            state.values[self.first_constant + reread.constants] = numbers[:, None]
            state.leaves[n_params + reread.constants] = numbers

    def finish(self, state: State) -> None:
        """After the groups ran forward: report the batch's statistics (`updates`) to their modules."""
        values = state.values
        for stat in self.updates:
            stat.update(values[stat.means, 0], values[stat.variances, 0], values.shape[1])


# ---- 1. the graph, read once -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Graph:
    """The traced graph read once: its nodes in topological order, each one's kind and depth, and its constants."""

    order: list[Value]
    kind: dict[int, Role]  # by id(node)
    depth: dict[int, int]  # by id(node): 0 for a leaf, else 1 + the deepest parent's
    constants: list[Value]  # the constant leaves, first seen first

    def computed(self) -> Iterator[Value]:
        """The computed nodes (kind 'result'), in order."""
        return (node for node in self.order if self.kind[id(node)] == "result")


def topological_order(outputs: Sequence[Value]) -> list[Value]:
    """Every node the outputs depend on, each after its parents: the core's order of each output, merged.

    Each output's `topological_order()` lists its parents first; nodes already
    listed for an earlier output are skipped, so the merged list keeps that
    property and is the same from run to run (first seen first).
    """
    if len(outputs) == 1:
        return outputs[0].topological_order()
    seen: set[int] = set()
    order: list[Value] = []
    for output in outputs:
        if id(output) in seen:
            continue
        for node in output.topological_order():
            if id(node) not in seen:
                seen.add(id(node))
                order.append(node)
    return order


def read_graph(
    outputs: Sequence[Value], inputs: Sequence[Value], params: Sequence[Value], drawn: Sequence[Value] = ()
) -> Graph:
    """The graph of `outputs`: every node's kind and depth; CompileError for a parameter missing from `params`.

    `drawn` leaves (numbers drawn per sample at every call) are of kind 'input'.
    """
    order = topological_order(outputs)
    input_ids = {id(v) for v in [*inputs, *drawn]}
    param_ids = {id(p) for p in params}
    kind: dict[int, Role] = {}
    depth: dict[int, int] = {}
    constants: list[Value] = []
    for node in order:
        key = id(node)
        parents = node.parents
        if parents:
            kind[key] = "result"
            depth[key] = 1 + max(map(depth.__getitem__, map(id, parents)))  # in C: the graph's edges dominate
            continue
        depth[key] = 0
        if key in input_ids:
            kind[key] = "input"
        elif key in param_ids:
            kind[key] = "parameter"
        elif node.role == "parameter":
            raise CompileError(
                "trace: params must list every parameter the graph uses (one left out would be frozen as a "
                f"constant), got none for the parameter {describe(node)}"
            )
        else:
            kind[key] = "constant"
            constants.append(node)
    return Graph(order, kind, depth, constants)


# ---- 2. which nodes need a gradient ------------------------------------------------------------------------------


def needs_grad(graph: Graph) -> dict[int, bool]:
    """By id(node): whether it is a parameter or computed from one (else no gradient is sent to it)."""
    needs: dict[int, bool] = {}
    for node in graph.order:
        key = id(node)
        needs[key] = graph.kind[key] == "parameter" or any(map(needs.__getitem__, map(id, node.parents)))
    return needs


# ---- 3. grouping ---------------------------------------------------------------------------------------------------


class GroupKey(NamedTuple):
    """What the nodes of one group share: depth, op name, arity, and how a matrix product shares (`shared`).

    `shared` is None for an elementwise group, ('matmul', ids of the shared
    inputs) for dot nodes that read one input tuple with leaf weights,
    ('conv', channels, ids of each channel's weights) after
    `merge_convolutions`, and ('batch',) for statistics over the batch axis.
    """

    depth: int
    op: str
    arity: int
    shared: tuple[Any, ...] | None


_BATCH_OPS = {BATCH_MEAN.name: BATCH_MEAN, BATCH_VARIANCE.name: BATCH_VARIANCE}
"""Ops over the batch axis, outside the op table: each node's group is a `BatchStatsGroup`."""


def _op_block(name: str) -> ops.Op:
    """The op table's block for a node's op (an op unregistered since its nodes were built has none)."""
    if name in _BATCH_OPS:
        return _BATCH_OPS[name]
    try:
        return ops.lookup(name)
    except KeyError:
        raise CompileError(f"trace: every op of the graph must be in the op table, got {name!r}") from None


def _weights_and_bias(node: Value) -> tuple[Value, ...]:
    """A dot node's weights, then its bias if it has one: the parents that are not its inputs."""
    parents = node.parents
    k = len(parents) // 2
    return parents[:k] + parents[2 * k :]


def group_nodes(graph: Graph) -> list[tuple[GroupKey, list[Value]]]:
    """The computed nodes grouped by `GroupKey`, convolutions merged, in depth order (first seen first within one)."""
    groups: dict[GroupKey, list[Value]] = {}
    for node in graph.computed():
        op = _op_block(node.op)
        parents = node.parents
        arity = len(parents)
        shared: tuple[Any, ...] | None = None
        if op.name in _BATCH_OPS:
            shared = ("batch",)
        elif op.name == "dot" and all(graph.kind[id(p)] in ("parameter", "constant") for p in _weights_and_bias(node)):
            k = arity // 2
            shared = ("matmul", tuple(id(x) for x in parents[k : 2 * k]))
        groups.setdefault(GroupKey(graph.depth[id(node)], op.name, arity, shared), []).append(node)
    return sorted(merge_convolutions(groups).items(), key=lambda item: item[0].depth)  # sorted() is stable


def merge_convolutions(groups: dict[GroupKey, list[Value]]) -> dict[GroupKey, list[Value]]:
    """Merge matrix-product groups of one depth that use the same weights (and biases): a convolution's positions.

    Each window position of a convolution is its own matmul candidate (its
    own input tuple), but all of them meet the same rows of weights.  Those
    become one 'conv' group whose nodes are ordered channel by channel
    (node o * P + p: weight row o at position p), so its outputs are one
    (O, P * samples) matrix.  Groups that share their weights with no other
    stay matmul groups (a dense layer).
    """
    by_weights: dict[tuple[Any, ...], list[GroupKey]] = {}
    for key, members in groups.items():
        if key.shared is None or key.shared[0] != "matmul":
            continue
        signature = tuple(tuple(id(p) for p in _weights_and_bias(node)) for node in members)
        by_weights.setdefault((key.depth, key.arity, signature), []).append(key)
    merged: dict[GroupKey, GroupKey] = {}
    for (depth, arity, signature), keys in by_weights.items():
        if len(keys) > 1:
            for key in keys:
                merged[key] = GroupKey(depth, "dot", arity, ("conv", len(signature), signature))
    result: dict[GroupKey, list[Value]] = {}
    for key, members in groups.items():
        if key not in merged:
            result[key] = members
            continue
        target = merged[key]
        if target not in result:
            positions = [groups[k] for k in merged if merged[k] == target]
            channels = len(positions[0])
            # channel by channel: row o * P + p is weight row o at position p
            result[target] = [position[o] for o in range(channels) for position in positions]
    return result


# ---- 5. rows ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowLayout:
    """Where every node lives in the value buffer."""

    row: dict[int, int]  # by id(node)
    buffer_params: list[int]  # indices in params of the parameters read through the buffer, in row order
    rows: int  # how many rows in all


def _buffer_reads(key: GroupKey, node: Value) -> tuple[Value, ...]:
    """The parents a node's kernel reads from the value buffer (a matrix product gathers its weights elsewhere)."""
    parents = node.parents
    if key.shared is None or key.shared[0] == "batch":
        return parents
    k = key.arity // 2
    return parents[k : 2 * k]


def assign_rows(
    groups: list[tuple[GroupKey, list[Value]]],
    graph: Graph,
    inputs: Sequence[Value],
    params: Sequence[Value],
    outputs: Sequence[Value],
    in_place: dict[int, int] | None = None,
    drawn: Sequence[Value] = (),
) -> RowLayout:
    """Rows for the inputs, the parameters read through the buffer, the constants, then each group's nodes together.

    A group run in place (`in_place`, from `fuse_in_place`) gets its
    producer's rows, node for node, instead of rows of its own.  The `drawn`
    leaves' rows come after the constants.

    A parameter returned as it is (`[x * w, b]`, or `penalty=lambda: w`) is
    read through the buffer too: its row is the output's value at every call,
    and the output's gradient reaches the parameter the way a group's does.
    """
    param_index = {id(p): i for i, p in enumerate(params)}
    reads = (
        param_index[id(p)]
        for key, members in groups
        for node in members
        for p in _buffer_reads(key, node)
        if graph.kind[id(p)] == "parameter"
    )
    returned = (param_index[id(v)] for v in outputs if graph.kind[id(v)] == "parameter")
    buffer_params = list(dict.fromkeys([*reads, *returned]))
    row: dict[int, int] = {id(v): i for i, v in enumerate(inputs)}
    row.update({id(params[i]): len(inputs) + j for j, i in enumerate(buffer_params)})
    next_row = len(inputs) + len(buffer_params)
    for node in [*graph.constants, *drawn]:
        row[id(node)] = next_row
        next_row += 1
    in_place = in_place or {}
    for g, (_, members) in enumerate(groups):
        if g in in_place:
            for node, made in zip(members, groups[in_place[g]][1], strict=True):
                row[id(node)] = row[id(made)]
            continue
        for node in members:
            row[id(node)] = next_row
            next_row += 1
    return RowLayout(row, buffer_params, next_row)


# ---- 6. the kernels ------------------------------------------------------------------------------------------------


def build_groups(
    groups: list[tuple[GroupKey, list[Value]]],
    graph: Graph,
    layout: RowLayout,
    needs: dict[int, bool],
    params: Sequence[Value],
    in_place: dict[int, int] | None = None,
) -> list[Group]:
    """Each group of nodes as its kernel, reading its parents' rows (a matrix product: its weights' leaf indices)."""
    leaf = {id(p): i for i, p in enumerate(params)}  # the leaf vector: parameters, then constants
    leaf.update({id(c): len(params) + j for j, c in enumerate(graph.constants)})
    row = layout.row
    kernels: list[Group] = []
    in_place = in_place or {}
    for g, (key, members) in enumerate(groups):
        first = row[id(members[0])]
        out = slice(first, first + len(members))
        op = _op_block(key.op)
        arity = key.arity
        k = arity // 2
        # a parameter gathered from the leaf vector has no row: -1 marks it
        parent_rows = [[row.get(p, -1) for p in map(id, node.parents)] for node in members]
        grad_at = [any(needs[id(node.parents[i])] for node in members) for i in range(arity)]
        if g in in_place:
            kernels.append(InPlaceGroup(op, key.depth, out, parent_rows, grad_at[0]))
        elif key.shared == ("batch",):
            statistic = "mean" if op is BATCH_MEAN else "variance"
            kernels.append(BatchStatsGroup(op, key.depth, out, parent_rows, statistic, grad_at[0]))
        elif key.shared is not None and key.shared[0] == "conv":
            positions = len(members) // key.shared[1]
            firsts = members[::positions]  # position 0 of every channel: the weight rows
            weights = [[leaf[id(p)] for p in node.parents[:k]] for node in firsts]
            bias = [leaf[id(node.parents[2 * k])] for node in firsts] if arity % 2 else None
            patches = [[row[id(p)] for p in members[p].parents[k : 2 * k]] for p in range(positions)]
            kernels.append(ConvGroup(op, key.depth, out, parent_rows, weights, bias, patches, any(grad_at[k : 2 * k])))
        elif key.shared is not None:
            weights = [[leaf[id(p)] for p in node.parents[:k]] for node in members]
            bias = [leaf[id(node.parents[2 * k])] for node in members] if arity % 2 else None
            product = MatmulGroup(op, key.depth, out, parent_rows, weights, bias, any(grad_at[k : 2 * k]))
            product.use_blocks(len(leaf))
            kernels.append(product)
        elif key.op == "dot":
            kernels.append(DotGroup(op, key.depth, out, parent_rows, grad_at))
        elif key.op == "sum":
            kernels.append(SumGroup(op, key.depth, out, parent_rows))
        else:
            kernels.append(MapGroup(op, key.depth, out, parent_rows, grad_at))
    return kernels


# ---- all the steps -------------------------------------------------------------------------------------------------


def make_plan(
    inputs: Sequence[Value],
    shape: tuple[int, ...],
    params: Sequence[Value],
    outputs: Sequence[Value],
    single_output: bool,
    state_leaves: Sequence[tuple[Sequence[Value], Callable[[], FloatArray]]] = (),
    draws: Sequence[tuple[Sequence[Value], Callable[[int, int], FloatArray]]] = (),
    statistics: Sequence[tuple[Sequence[Value], Callable[[FloatArray, FloatArray, int], None]]] = (),
) -> tuple[Plan, list[Value]]:
    """The plan of the traced `outputs`, and the computed nodes group by group (to check the plan against them).

    `single_output` is whether the traced function returned one Value (then a
    call returns one number per sample) rather than a list of them.
    `state_leaves` are (leaves, read) pairs: constant leaves made from a
    module's state and the function that gives their current numbers.
    `draws` are (leaves, draw) pairs: leaves drawn afresh for every sample at
    every call.  `statistics` are (nodes, update) pairs: a module's batch
    means then batch variances, and what to call with their numbers after
    each run (they are planned even where no output reads them).
    """
    drawn = [leaf for leaves, _ in draws for leaf in leaves]
    stat_nodes = [node for nodes, _ in statistics for node in nodes]
    graph = read_graph([*outputs, *stat_nodes], inputs, params, drawn)
    groups = group_nodes(graph)
    in_place = fuse_in_place(groups, outputs)
    layout = assign_rows(groups, graph, inputs, params, outputs, in_place, drawn)
    kernels = build_groups(groups, graph, layout, needs_grad(graph), params, in_place)
    output_rows = tuple(layout.row[id(v)] for v in outputs)
    zero_rows = mark_assignments(kernels, output_rows, layout.rows)
    computed = [node for _, members in groups for node in members]
    plan = Plan(
        sample_shape=shape,
        n_inputs=len(inputs),
        params=tuple(params),
        buffer_params=np.asarray(layout.buffer_params, dtype=np.intp),
        first_constant=len(inputs) + len(layout.buffer_params),
        constants=np.asarray([c.data for c in graph.constants], dtype=float),
        groups=tuple(kernels),
        rows=layout.rows,
        outputs=output_rows,
        single_output=single_output,
        nodes=len(computed),
        rereads=_rereads(graph, state_leaves),
        zero_rows=zero_rows,
        zero_leaf_grads=adds_into_leaf_grads(kernels),
        draws=tuple(_draw(leaves, draw, layout) for leaves, draw in draws),
        updates=tuple(_stat_update(nodes, update, layout) for nodes, update in statistics),
    )
    return plan, computed


def _rereads(
    graph: Graph, state_leaves: Sequence[tuple[Sequence[Value], Callable[[], FloatArray]]]
) -> tuple[Reread, ...]:
    """A `Reread` for each module's leaves that the graph uses (leaves it does not use need no row)."""
    index = {id(c): j for j, c in enumerate(graph.constants)}
    rereads = []
    for leaves, read in state_leaves:
        used = [(k, index[id(leaf)]) for k, leaf in enumerate(leaves) if id(leaf) in index]
        if used:
            positions, constants = zip(*used, strict=True)
            rereads.append(Reread(read, np.asarray(positions, dtype=np.intp), np.asarray(constants, dtype=np.intp)))
    return tuple(rereads)


def _draw(leaves: Sequence[Value], draw: Callable[[int, int], FloatArray], layout: RowLayout) -> Draw:
    rows = np.asarray([layout.row[id(leaf)] for leaf in leaves], dtype=np.intp)
    return Draw(draw, rows, np.asarray([leaf.data for leaf in leaves], dtype=float))


def _stat_update(
    nodes: Sequence[Value], update: Callable[[FloatArray, FloatArray, int], None], layout: RowLayout
) -> StatUpdate:
    rows = np.asarray([layout.row[id(node)] for node in nodes], dtype=np.intp)
    half = len(rows) // 2  # the means, then the variances
    return StatUpdate(update, rows[:half], rows[half:])
