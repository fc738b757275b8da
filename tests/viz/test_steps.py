"""Backward replayed one node at a time: the order, the grads of every frame, and when a grad is final."""

from __future__ import annotations

import math

import pytest
from hypothesis import given

from micrograd_ko import Value
from micrograd_ko.viz import BackwardStep, backward_steps
from tests.viz.graphs import neuron, random_graphs


def test_one_frame_per_node_in_backward_order_and_last_frame_equals_backward() -> None:
    out = neuron()
    order = out.topological_order()
    steps = list(backward_steps(out))
    assert [step.node for step in steps] == list(reversed(order))
    assert [step.index for step in steps] == list(range(len(order)))
    assert all(node.grad == 0.0 for node in order)  # stepping leaves the real grads alone
    out.backward()
    assert steps[-1].grads == tuple(node.grad for node in order)
    assert all(steps[-1].final)


def test_first_frame_has_only_the_root_and_its_operand_reached() -> None:
    x = Value(0.5, label="x")
    y = (x * x).tanh()
    first = next(backward_steps(y))
    assert first.node is y and first.grad_of(y) == 1.0
    assert first.grad_of(y.parents[0]) == 1 - math.tanh(0.25) ** 2
    assert first.grad_of(x) is None
    with pytest.raises(ValueError, match="grad_of: value must be a node of this graph"):
        first.grad_of(Value(1.0))


def test_operand_used_twice_is_final_only_after_both_uses_sent_their_share() -> None:
    a = Value(2.0, label="a")
    p = a * 3.0
    q = a + 1.0
    y = p * q
    steps = list(backward_steps(y))
    states = [(step.grad_of(a), step.final[step.nodes.index(a)]) for step in steps]
    after_first_use = next(k for k, (grad, _) in enumerate(states) if grad is not None)
    assert states[after_first_use][1] is False
    done = next(k for k, (_, final) in enumerate(states) if final)
    assert done > after_first_use
    y.backward()
    assert states[done][0] == a.grad == 3.0 * q.data + p.data


def test_leaf_root_gets_a_single_frame() -> None:
    x = Value(4.0)
    (step,) = backward_steps(x)
    assert step.node is x and step.grads == (1.0,) and step.final == (True,)



@given(random_graphs())
def test_frames_match_backward_on_random_graphs(root: Value) -> None:
    steps = list(backward_steps(root))
    order = root.topological_order()
    root.backward()
    expected = [node.grad for node in order]
    assert steps[-1].grads == tuple(expected)
    for k, step in enumerate(steps):
        assert step.node is order[-1 - k]
        for i in range(len(order)):
            if step.final[i]:
                assert step.grads[i] == expected[i]  # a final grad never changes again
        assert all(step.final[len(order) - 1 - j] for j in range(k + 1))  # processed nodes are final




def test_backward_step_is_a_frozen_record() -> None:
    step = next(backward_steps(Value(1.0) * 2))
    assert isinstance(step, BackwardStep)
    with pytest.raises(AttributeError):
        step.index = 5  # type: ignore[misc]
