"""The planner's steps, each on a small graph: the order, kinds and depths, gradients needed, groups, rows, the Plan."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from micrograd_ko import nn
from micrograd_ko.autograd import Value
from micrograd_ko.compiler import ConvGroup, DotGroup, MapGroup, MatmulGroup, Plan, Program, SumGroup, trace
from micrograd_ko.compiler._samples import output_list
from micrograd_ko.compiler.groups import IN_PLACE_OPS, InPlaceGroup
from micrograd_ko.compiler.plan import (
    GroupKey,
    assign_rows,
    build_groups,
    group_nodes,
    make_plan,
    merge_convolutions,
    needs_grad,
    read_graph,
    topological_order,
)
from micrograd_ko.nn import MLP


def small_graph() -> tuple[list[Value], list[Value], list[Value], Value]:
    """Inputs x1, x2; parameter w; constant 3.0; outputs [tanh(w*x1 + x2), (w*x1) * 3.0]."""
    x = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
    w = Value(2.0, label="w", role="parameter")
    wx = w * x[0]
    return x, [w], [(wx + x[1]).tanh(), wx * 3.0], wx


def test_topological_order_merges_the_outputs_orders_first_seen_first() -> None:
    _, _, outputs, _ = small_graph()
    order = topological_order(outputs)
    first, second = outputs
    assert order[: len(first.topological_order())] == first.topological_order()
    assert [n for n in order if n not in first.topological_order()] == [
        n for n in second.topological_order() if n not in first.topological_order()
    ]
    assert len({id(n) for n in order}) == len(order)  # wx, w and x1 are shared, listed once
    position = {id(n): i for i, n in enumerate(order)}
    assert all(position[id(p)] < position[id(n)] for n in order for p in n.parents)
    assert topological_order([first, first]) == first.topological_order()


def test_read_graph_uses_the_engines_role_words_and_counts_depth_from_the_leaves() -> None:
    x, params, outputs, wx = small_graph()
    graph = read_graph(outputs, x, params)
    kinds = {n.label or n.op or repr(n.data): graph.kind[id(n)] for n in graph.order}
    assert kinds == {"w": "parameter", "x1": "input", "x2": "input", "*": "result", "+": "result",
                     "tanh": "result", "3.0": "constant"}  # fmt: skip
    assert [graph.depth[id(n)] for n in outputs] == [3, 2]
    assert graph.depth[id(wx)] == 1
    assert [c.data for c in graph.constants] == [3.0]
    assert list(graph.computed()) == [n for n in graph.order if n.parents]


def test_needs_grad_marks_parameters_and_what_is_computed_from_them_only() -> None:
    x = [Value(1.0), Value(2.0)]
    w = Value(0.5, role="parameter")
    free = x[0] * x[1]  # from inputs only: no gradient is sent there
    out = free + w
    needs = needs_grad(read_graph([out], x, [w]))
    assert needs[id(w)] and needs[id(out)]
    assert not needs[id(free)] and not needs[id(x[0])]


def test_group_nodes_puts_a_dense_layer_in_one_matrix_product_per_depth() -> None:
    model = MLP(2, [3, 1], activation="relu", seed=0)
    x = [Value(0.1), Value(0.2)]
    out = model(x)
    assert isinstance(out, Value)
    groups = group_nodes(read_graph([out], x, model.parameters()))
    assert [(key.depth, key.op, key.arity, len(members)) for key, members in groups] == [
        (1, "dot", 5, 3),  # 3 neurons: 2 weights, 2 inputs, a bias
        (2, "relu", 1, 3),
        (3, "dot", 7, 1),
    ]
    first_key = groups[0][0]
    assert first_key.shared == ("matmul", (id(x[0]), id(x[1])))
    assert groups[1][0].shared is None


def test_dot_nodes_with_per_sample_weights_are_not_a_matrix_product() -> None:
    x = [Value(0.1), Value(0.2)]
    out = Value.dot(x, x)
    ((key, _),) = group_nodes(read_graph([out], x, []))
    assert key == GroupKey(1, "dot", 4, None)


def test_merge_convolutions_joins_the_positions_of_one_kernel_channel_by_channel() -> None:
    conv = nn.Conv2d(1, 2, 2, seed=0)
    pixels = [Value(float(i)) for i in range(9)]
    image = [[pixels[0:3], pixels[3:6], pixels[6:9]]]
    outputs = [v for channel in conv([image])[0] for row in channel for v in row]  # 2 channels x 4 positions
    graph = read_graph(outputs, pixels, conv.parameters())
    unmerged: dict[GroupKey, list[Value]] = {}
    for node in graph.computed():
        k = len(node.parents) // 2
        key = GroupKey(1, "dot", len(node.parents), ("matmul", tuple(id(p) for p in node.parents[k : 2 * k])))
        unmerged.setdefault(key, []).append(node)
    assert len(unmerged) == 4  # each window position reads its own patch
    merged = merge_convolutions(unmerged)
    ((key, members),) = merged.items()
    assert key.shared is not None and key.shared[:2] == ("conv", 2)
    assert members == outputs  # channel by channel: row o * P + p is channel o at position p
    assert merge_convolutions({k: v for k, v in list(unmerged.items())[:1]}) == dict(list(unmerged.items())[:1])


def test_assign_rows_lays_out_inputs_buffer_parameters_constants_then_groups() -> None:
    x, params, outputs, _ = small_graph()
    graph = read_graph(outputs, x, params)
    groups = group_nodes(graph)
    layout = assign_rows(groups, graph, x, params, outputs)
    row = layout.row
    assert [row[id(v)] for v in x] == [0, 1]
    assert layout.buffer_params == [0] and row[id(params[0])] == 2  # w * x1 reads w from the buffer
    assert row[id(graph.constants[0])] == 3
    computed = [node for _, members in groups for node in members]
    assert [row[id(n)] for n in computed] == list(range(4, 4 + len(computed)))
    assert layout.rows == 4 + len(computed)


def test_build_groups_picks_the_kernel_for_each_kind_of_group() -> None:
    w = [Value(v, role="parameter") for v in (0.4, -1.2, 0.7)]
    x = [Value(0.3), Value(-0.8)]
    dense = Value.dot(w[:2], x, w[2])
    per_sample = Value.dot(x, [dense, dense])
    out = Value.sum([dense, per_sample]).tanh()
    graph = read_graph([out], x, w)
    groups = group_nodes(graph)
    kernels = build_groups(groups, graph, assign_rows(groups, graph, x, w, [out]), needs_grad(graph), w)
    assert [type(k) for k in kernels] == [MatmulGroup, DotGroup, SumGroup, MapGroup]
    # no parameter is read through the buffer (the matrix product gathers its weights): groups start at row 2
    assert [k.out for k in kernels] == [slice(2, 3), slice(3, 4), slice(4, 5), slice(5, 6)]
    assert kernels[0].describe() == "matmul dot x1 (depth 1): (1x2) @ (2, samples) + b"


def test_make_plan_gives_a_frozen_plan_that_a_program_runs() -> None:
    x, params, outputs, _ = small_graph()
    plan, computed = make_plan(x, (2,), params, outputs, single_output=False)
    assert isinstance(plan, Plan)
    assert plan.n_inputs == 2 and plan.first_constant == 3 and plan.nodes == len(computed) == 4
    assert list(plan) == list(plan.groups) and len(plan) == len(plan.groups) == 4
    # rows: x1 x2 w 3.0, then the groups w*x1, + (and tanh, in place over it: + has no other reader), *3.0
    assert plan.outputs == (5, 6) and plan.rows == 7
    np.testing.assert_array_equal(plan.constants, [3.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.rows = 0  # type: ignore[misc]
    program = Program(plan, lambda s: [(params[0] * s[0] + s[1]).tanh(), params[0] * s[0] * 3.0])
    got = program(np.array([[0.5, -1.0], [1.0, 2.0]]))
    np.testing.assert_allclose(got, [[np.tanh(0.0), 3.0], [np.tanh(4.0), 6.0]], rtol=1e-15)
    # d/dw of tanh(w x1 + x2) + 3 w x1, summed over the two samples
    expected = (0.5 * 1.0 + 1.5) + (1.0 * (1.0 - np.tanh(4.0) ** 2) + 3.0)
    np.testing.assert_allclose(program.backward(reduction="sum", accumulate=False), [expected], rtol=1e-15)


def test_a_traced_program_carries_its_plan() -> None:
    w = Value(0.5, role="parameter")
    single = trace(lambda s: s[0] * w, [1.0], [w])
    listed = trace(lambda s: [s[0] * w], [1.0], [w])
    assert single.plan.single_output and not listed.plan.single_output
    assert single(np.ones((3, 1))).shape == (3,) and listed(np.ones((3, 1))).shape == (3, 1)
    assert single.params == (w,)
    assert [type(g) for g in single.plan] == [MapGroup]


def test_a_convolution_plan_has_one_conv_group() -> None:
    conv = nn.Conv2d(1, 2, 2, seed=0)

    def fn(s: list[Value]) -> list[Value]:
        return [v for channel in conv([[[s[0:3], s[3:6], s[6:9]]]])[0] for row in channel for v in row]

    program = trace(fn, [float(i) for i in range(9)], conv.parameters())
    assert [type(g) for g in program.plan] == [ConvGroup]


# ---- activations in place, gradients written --------------------------------------------------------------------


def test_an_activation_after_a_matrix_product_runs_in_place_over_its_rows() -> None:
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    program = trace(lambda s: model(s), [0.3, -0.2], model.parameters())
    kinds = [type(g).__name__ for g in program.plan]
    assert kinds == ["MatmulGroup", "InPlaceGroup", "MatmulGroup", "InPlaceGroup", "MatmulGroup"]
    first, tanh = program.plan.groups[:2]
    assert tanh.out == first.out  # the same rows: none of its own
    assert program.plan.rows == 2 + 4 + 4 + 1
    x = np.random.default_rng(1).normal(size=(5, 2))
    got = program(x)
    np.testing.assert_allclose(got, [model(list(s)).data for s in x.tolist()], rtol=1e-13)


@pytest.mark.parametrize("op", sorted(IN_PLACE_OPS))
def test_in_place_kernels_give_the_op_tables_numbers_exactly(op: str) -> None:
    from micrograd_ko.autograd import ops
    from micrograd_ko.autograd.namespaces import ARRAYS

    a = np.array([[-2.0, -0.0, 0.0, 1e-300, 3.0, -700.0, 700.0, np.nan, np.inf, -np.inf]])
    forward, backward = IN_PLACE_OPS[op]
    block = ops.lookup(op)
    out = a.copy()
    forward(out)
    expected = block.array_forward(a)
    np.testing.assert_array_equal(out, expected)
    assert np.array_equal(np.signbit(out), np.signbit(expected))  # relu's -0.0 becomes 0.0 in both
    g = np.linspace(-1.0, 1.0, a.shape[1])[None, :]
    turned = g.copy()
    backward(turned, out)
    (local,) = block.local_grads(ARRAYS, expected, a)
    np.testing.assert_array_equal(turned, local * g)


def test_no_in_place_fusion_when_the_input_is_read_twice_or_returned() -> None:
    w = [Value(0.5, role="parameter"), Value(-0.3, role="parameter")]

    def twice(s: list[Value]) -> Value:
        z = Value.dot(w, s)
        return z.relu() + z  # z has two readers: its row must keep z

    def returned(s: list[Value]) -> list[Value]:
        z = Value.dot(w, s)
        return [z.relu(), z]

    for fn in (twice, returned):
        program = trace(fn, [0.2, 0.4], w)
        assert not any(isinstance(g, InPlaceGroup) for g in program.plan)
        x = np.array([[1.0, -2.0], [-1.0, 0.5]])
        out = program(x)
        for i, s in enumerate(x.tolist()):
            eager = fn([Value(v) for v in s])
            np.testing.assert_allclose(out[i], [v.data for v in output_list(eager, "fn")], rtol=1e-15)


def test_a_product_that_alone_sends_its_inputs_gradient_writes_it_and_those_rows_are_not_zeroed() -> None:
    model = MLP(2, [3, 3, 1], seed=0)
    program = trace(lambda s: model(s), [0.3, -0.2], model.parameters())
    products = [g for g in program.plan if isinstance(g, MatmulGroup)]
    assert [g.assigns for g in products] == [False, True, True]  # the first one's inputs need no gradient
    zeroed = {r for rows in program.plan.zero_rows or () for r in range(rows.start, rows.stop)}
    written = {r for g in products if g.assigns for r in g.x_rows}
    assert written == set(range(2, 8)) and not zeroed & written
    assert zeroed | written == set(range(program.plan.rows))
    x = np.random.default_rng(2).normal(size=(6, 2))
    for _ in range(2):  # the written rows hold the last call's gradient: a second backward must not add to it
        program(x)
        got = program.backward(reduction="sum", accumulate=False)
        model.zero_grad()
        for s in x.tolist():
            out = model(s)
            assert isinstance(out, Value)
            out.backward()
        np.testing.assert_allclose(got, [p.grad for p in model.parameters()], rtol=1e-12, atol=1e-15)


def test_mark_assignments_leaves_rows_with_two_senders_or_a_seed_to_be_added() -> None:
    w = [Value(v, role="parameter") for v in (0.4, -1.2, 0.7, 0.1)]

    def fn(s: list[Value]) -> list[Value]:
        h = Value.dot(w[:2], s).tanh()
        k = Value.dot(w[2:], s).tanh()
        return [Value.dot([w[0], w[1]], [h, k]) + h, k]  # h read twice, k returned: both are added into

    program = trace(fn, [0.3, -0.2], w)
    assert not any(isinstance(g, MatmulGroup) and g.assigns for g in program.plan)
    assert program.plan.zero_rows == (slice(0, program.plan.rows),)


def test_a_layers_weights_are_read_as_a_view_of_the_leaves_and_any_other_order_is_gathered() -> None:
    model = MLP(3, [4, 2], seed=0)
    params = model.parameters()
    x = np.random.default_rng(3).normal(size=(5, 3))
    results = []
    for order in (params, params[::-1]):  # neuron by neuron (a strided block), then reversed (gathered)
        program = trace(lambda s: model(s), [0.1, 0.2, 0.3], order)
        products = [g for g in program.plan if isinstance(g, MatmulGroup)]
        assert all((g.blocks is not None) == (order is params) for g in products)
        out = program(x)
        grads = dict(zip(map(id, order), program.backward(reduction="sum", accumulate=False).tolist()))
        results.append((out, [grads[id(p)] for p in params]))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-15)
    model.zero_grad()
    for s in x.tolist():
        for out in model(s):  # type: ignore[union-attr]
            out.backward()
    np.testing.assert_allclose(results[0][1], [p.grad for p in params], rtol=1e-12, atol=1e-15)


def test_an_activation_runs_in_place_over_arithmetic_whose_derivative_ignores_its_output() -> None:
    model = MLP(2, [3, 1], seed=0)
    params = model.parameters()

    def hinge(s: list[Value]) -> Value:
        score = model(s[:2])
        assert isinstance(score, Value)
        return (1.0 - s[2] * score).relu()  # the relu reads the '-' group only: in place over its row

    def through_exp(s: list[Value]) -> Value:
        return Value.dot(params[:2], s[:2]).exp().relu()  # exp's derivative is its output: never overwritten

    hinge_program = trace(hinge, [0.1, 0.2, 1.0], params)
    assert isinstance(hinge_program.plan.groups[-1], InPlaceGroup)
    assert hinge_program.plan.groups[-1].out == hinge_program.plan.groups[-2].out
    exp_program = trace(through_exp, [0.1, 0.2, 1.0], params)
    assert not isinstance(exp_program.plan.groups[-1], InPlaceGroup)
    batch = np.random.default_rng(4).normal(size=(8, 3))
    for program, fn in ((hinge_program, hinge), (exp_program, through_exp)):
        program(batch)
        got = program.backward(reduction="sum", accumulate=False)
        model.zero_grad()
        for s in batch.tolist():
            fn([Value(v) for v in s]).backward()
        np.testing.assert_allclose(got, [p.grad for p in params], rtol=1e-12, atol=1e-15)


def test_a_product_writes_its_weights_gradient_unless_another_product_shares_them() -> None:
    shared = nn.Linear(3, 3, seed=1)
    head = nn.Linear(3, 1, seed=2)
    params = shared.parameters() + head.parameters()

    def tied(s: list[Value]) -> Value:
        return head([shared([shared([s])[0]])[0]])[0][0]  # the same layer twice: two products, one set of weights

    program = trace(tied, [0.1, -0.2, 0.3], params)
    products = [g for g in program.plan if isinstance(g, MatmulGroup)]
    assert [g.writes_leaves for g in products] == [False, False, True]
    x = np.random.default_rng(6).normal(size=(4, 3))
    for _ in range(2):
        program(x)
        got = program.backward(reduction="sum", accumulate=False)
        for p in params:
            p.grad = 0.0
        for s in x.tolist():
            tied([Value(v) for v in s]).backward()
        np.testing.assert_allclose(got, [p.grad for p in params], rtol=1e-12, atol=1e-15)
