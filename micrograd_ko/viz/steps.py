"""Backward one node at a time: `backward_steps(root)` replays `root.backward()` as a series of frames.

Each frame (`BackwardStep`) is the state right after backward has processed
one node: which node, and every grad at that moment.  The replay runs the
engine's own chain-rule loop (`propagate`) with a hook, so the frames have the
same order and the same floating-point arithmetic as `backward()` itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from micrograd_ko.autograd import Value, propagate
from micrograd_ko.viz._checks import check_root
from micrograd_ko.viz.style import format_number

__all__ = ["BackwardStep", "backward_steps"]


@dataclass(frozen=True)
class BackwardStep:
    """One frame of backpropagation: the state right after `backward()` has processed one node.

    `nodes` is the whole graph in topological order (the same tuple in every
    frame); `position` indexes the node processed in this step.  `grads[i]` is
    what `nodes[i].grad` holds at this moment (None while no contribution has
    reached it), and `final[i]` tells whether every node that uses `nodes[i]`
    has already sent its contribution, so that grad will not change again.
    """

    index: int
    nodes: tuple[Value, ...]
    position: int
    grads: tuple[float | None, ...]
    final: tuple[bool, ...]

    @property
    def node(self) -> Value:
        """The node processed in this step."""
        return self.nodes[self.position]

    def grad_of(self, value: Value) -> float | None:
        """The grad of `value` in this frame (None if nothing has reached it yet)."""
        for i, node in enumerate(self.nodes):
            if node is value:
                return self.grads[i]
        raise ValueError(f"BackwardStep.grad_of: value must be a node of this graph, got {value!r}")

    def caption(self, digits: int = 4) -> str:
        """What this step does, in one Korean line: which node, its grad, and where the grad goes next."""
        node = self.node
        grad = self.grads[self.position]
        shown = "?" if grad is None else format_number(grad, digits)
        head = f"역전파 {self.index + 1}/{len(self.nodes)} 단계: {_name(node, digits)} (grad {shown})"
        if not node.parents:
            return f"{head} · 잎 노드라 더 보낼 곳이 없음"
        return f"{head} → 부모 {len(node.parents)}개에 ∂ × grad 를 더함"


def _name(node: Value, digits: int) -> str:
    """How a caption names a node: its label, else the op that made it, else its role and value."""
    if node.label:
        return node.label
    if node.op:
        return f"'{node.op}' 결과"
    return f"{node.role} {format_number(node.data, digits)}"


def backward_steps(root: Value) -> Iterator[BackwardStep]:
    """Yield one `BackwardStep` per node, in the order `root.backward()` visits them.

    The order is `reversed(root.topological_order())`, and each step applies
    the same rule with the same floating-point operations as `backward()`:

        parent.grad += local_derivative * node.grad

    The pass runs the engine's own backward loop (`propagate`) with a hook
    that records a frame after each node, and every `.grad` it touched is
    restored before the first frame is yielded: the real `.grad` fields end
    up unchanged.  The frames describe this pass alone (leaves start from 0),
    so the last frame equals what `backward()` leaves in every `.grad` when the
    leaves' grads were zero beforehand (a fresh graph, or after `zero_grad()`).
    Each frame copies the grads, so a graph of n nodes costs O(n^2) overall:
    meant for the small graphs one looks at step by step.
    """
    check_root(root, "backward_steps")
    nodes = tuple(root.topological_order())
    position = {node: i for i, node in enumerate(nodes)}
    reached = [False] * len(nodes)
    reached[-1] = True  # backward() seeds the root with 1
    # How many uses of each node have not yet sent their contribution back.
    waiting = [0] * len(nodes)
    for node in nodes:
        for parent in node.parents:
            waiting[position[parent]] += 1
    frames: list[BackwardStep] = []

    def record_frame(node: Value) -> None:
        for parent in node.parents:
            reached[position[parent]] = True
            waiting[position[parent]] -= 1
        shown = tuple(n.grad if r else None for n, r in zip(nodes, reached))
        frames.append(BackwardStep(len(frames), nodes, position[node], shown, tuple(c == 0 for c in waiting)))

    saved = [node.grad for node in nodes]
    try:
        for node in nodes:
            node.grad = 0.0
        nodes[-1].grad = 1.0
        propagate(list(nodes), record_frame)
    finally:
        for node, grad in zip(nodes, saved):
            node.grad = grad
    yield from frames
