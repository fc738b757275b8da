"""Making a plan cheaper to run, once its groups are known: activations in place, and gradients written, not added.

Two steps of `plan.make_plan`, each a function of its own:

* `fuse_in_place`: an activation (relu, tanh, sigmoid) right after the group
  that makes its input, node for node, and that group's only reader, is
  computed over that group's rows in place (`groups.InPlaceGroup`): a
  layer's W @ X + b and its ReLU are one block of rows, with no copy between
  them and no addition of the activation's gradient into its input's rows.
* `mark_assignments`: a matrix product that is the only group sending a
  gradient to its input rows writes it there (`np.matmul(..., out=...)`)
  instead of adding it, and those rows need no zeroing before backward; so
  does one that alone sends a gradient to its weights (a view of the leaf
  gradients: no temporary, no addition).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from itertools import chain
from typing import Any, Protocol

import numpy as np

from micrograd_ko.autograd import Value
from micrograd_ko.compiler.groups import IN_PLACE_OPS, ConvGroup, Group, MatmulGroup


class KeyView(Protocol):
    """What fusing reads of a group's key (a `plan.GroupKey`): its op, arity, and how its nodes share inputs."""

    @property
    def op(self) -> str: ...

    @property
    def arity(self) -> int: ...

    @property
    def shared(self) -> tuple[Any, ...] | None: ...


__all__ = ["fuse_in_place", "mark_assignments"]


_OUTPUT_FREE = frozenset({"dot", "sum", "+", "-", "*", "neg"})
"""Ops whose group's backward never reads the group's own output: dot and sum (their kernels), and the
arithmetic ops whose table derivatives are written without `out` (+ and - give constants, * its inputs)."""


def _reads_its_own_output(key: KeyView) -> bool:
    """Whether a group's backward reads its own output values (products never do; most map formulas may)."""
    return key.shared is None and key.op not in _OUTPUT_FREE


def fuse_in_place(groups: Sequence[tuple[KeyView, list[Value]]], outputs: Sequence[Value]) -> dict[int, int]:
    """Which groups run in place over another's rows: {consumer index: producer index} in `groups`.

    A group of one of `IN_PLACE_OPS` (relu, tanh, sigmoid) qualifies when its
    node i reads node i of one producer group, when no other node reads the
    producer's nodes and none is an output, and when the producer's backward
    does not read its own values (a matrix product, a convolution, a batch
    statistic, a dot or a sum group, or +, -, *, neg: `_OUTPUT_FREE`).
    """
    where = {id(node): g for g, (_, members) in enumerate(groups) for node in members}  # id -> group index
    uses = Counter(map(id, chain.from_iterable(node.parents for _, members in groups for node in members)))
    returned = {id(v) for v in outputs}
    fused: dict[int, int] = {}
    for g, (key, members) in enumerate(groups):
        if key.shared is not None or key.arity != 1 or key.op not in IN_PLACE_OPS:
            continue
        producer = where.get(id(members[0].parents[0]))
        if producer is None:
            continue
        producer_key, producer_members = groups[producer]
        if _reads_its_own_output(producer_key) or len(producer_members) != len(members):
            continue
        if all(
            node.parents[0] is made and uses[id(made)] == 1 and id(made) not in returned
            for node, made in zip(members, producer_members)
        ):
            fused[g] = producer
    return fused


def mark_assignments(kernels: Sequence[Group], outputs: Sequence[int], rows: int) -> tuple[slice, ...]:
    """Let a matrix product write its input rows' gradient when no other group adds into them; the rows to zero.

    Backward then need not zero those rows first: the product runs before
    every group that reads their gradient (those are its producers, of
    smaller depth).  Output rows are never written this way (their seed is
    added first).  Returns the other rows, as runs of consecutive rows.
    """
    senders: dict[int, int] = {}
    for kernel in kernels:
        for r in set(kernel.grad_rows()):
            senders[r] = senders.get(r, 0) + 1
    seeded = set(outputs)
    written = np.zeros(rows, dtype=bool)
    for kernel in kernels:
        if not isinstance(kernel, MatmulGroup) or not kernel.x_needs_grad or not isinstance(kernel.x, slice):
            continue
        x_rows = kernel.x_rows
        if kernel.x_unique and all(senders[r] == 1 and r not in seeded for r in x_rows):
            kernel.assigns = True
            written[x_rows] = True
    _mark_leaf_writes(kernels)
    zero = np.flatnonzero(~written)
    if len(zero) == 0:
        return ()
    breaks = np.flatnonzero(np.diff(zero) != 1)
    starts = np.r_[zero[0], zero[breaks + 1]]
    stops = np.r_[zero[breaks], zero[-1]] + 1
    return tuple(slice(int(a), int(b)) for a, b in zip(starts, stops, strict=True))


def adds_into_leaf_grads(kernels: Sequence[Group]) -> bool:
    """Whether backward adds into the leaves' gradients (then they are zeroed first), after `mark_assignments`.

    When every matrix product writes its weights' gradient (`writes_leaves`)
    and there is no convolution, no entry is added into: the written ones are
    overwritten at every backward and the others stay the zeros they were made.
    """
    return any(isinstance(k, ConvGroup) or (isinstance(k, MatmulGroup) and not k.writes_leaves) for k in kernels)


def _mark_leaf_writes(kernels: Sequence[Group]) -> None:
    """Let a matrix product that reads its weights as views write their gradient when no other group adds into it.

    (A weight shared by two products, as when one layer is applied twice, is added into by both.)
    """
    senders: dict[int, int] = {}
    for kernel in kernels:
        if isinstance(kernel, MatmulGroup | ConvGroup):
            leaves = kernel.w.ravel().tolist() + ([] if kernel.b is None else kernel.b.tolist())
            for i in set(leaves):
                senders[i] = senders.get(i, 0) + 1
    for kernel in kernels:
        if isinstance(kernel, MatmulGroup) and kernel.blocks is not None:
            leaves = kernel.w.ravel().tolist() + ([] if kernel.b is None else kernel.b.tolist())
            kernel.writes_leaves = all(senders[i] == 1 for i in leaves)
