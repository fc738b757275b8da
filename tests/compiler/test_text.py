"""A program's text, size and drawing pinned for a small model, and the replay check's choice of samples."""

from __future__ import annotations

import re

import numpy as np
import pytest

from micrograd_ko import losses
from micrograd_ko.autograd import Value
from micrograd_ko.compiler import Program, TraceCheckError, draw_plan, trace
from micrograd_ko.nn import MLP


def small_program() -> Program:
    """MLP(2, [3, 1]) with an l2 penalty: a matrix product, relu, a matrix product; the penalty's dot, then * 1e-4."""
    model = MLP(2, [3, 1], seed=0)
    params = model.parameters()
    return trace(lambda s: model(s), [0.1, 0.2], params, penalty=lambda: 1e-4 * losses.l2(params))


def test_describe_lists_every_group_of_the_program_and_its_penalty() -> None:
    assert small_program().describe() == (
        "program: 2 inputs, 13 parameters, 7 nodes\n"
        "  matmul dot x3 (depth 1): (3x2) @ (2, samples) + b\n"
        "  map    relu x3 (depth 2, in place over its input's rows)\n"
        "  matmul dot x1 (depth 3): (1x3) @ (3, samples) + b\n"
        "penalty:\n"
        "  matmul dot x1 (depth 1): (1x13) @ (13, samples)\n"
        "  map    * x1 (depth 2, 2 inputs each)"
    )


def test_repr_and_size_count_the_numpy_calls_of_each_group() -> None:
    program = small_program()
    assert [g.depth for g in program.plan] == [1, 2, 3]
    assert program.penalty_program is not None
    assert [g.depth for g in program.penalty_program.plan] == [1, 2]
    # forward, per plan 4 (load the batch, the parameters, read the outputs) plus each group's:
    # a matmul with a bias 3 + 2, relu in place over the matmul's rows 1; the penalty's dot 3 (no bias), * 2.
    # backward, per plan 4 plus: the first matmul 3 + 2 (its inputs need no gradient), relu in place 1,
    # the second matmul 3 + 3 + 2; the penalty's dot 3 + 3 (its inputs are the parameters), * 1 + 2.
    assert [(g.forward_calls, g.backward_calls) for g in program.plan] == [(5, 5), (1, 1), (5, 8)]
    size = program.size()
    assert (size.nodes, size.groups, size.forward_calls, size.backward_calls) == (9, 5, 4 + 11 + 4 + 5, 4 + 14 + 4 + 9)
    assert size.calls_per_step == 55
    assert repr(program) == "Program(9 nodes in 5 groups, 55 numpy calls per step)"


def edges(source: str) -> list[str]:
    return re.findall(r"^\s*(\S+ -> \S+)$", source, flags=re.MULTILINE)


def test_draw_plan_draws_an_arrow_from_every_source_of_each_group() -> None:
    pytest.importorskip("graphviz")
    assert edges(draw_plan(small_program()).source) == [
        "inputs -> g0",
        "params -> g0",
        "g0 -> g1",
        "g1 -> g2",
        "params -> g2",
        "g2 -> out",
        "params -> pg0",
        "pconstants -> pg1",
        "pg0 -> pg1",
        "pg1 -> pout",
    ]


def test_draw_plan_of_a_program_without_groups_draws_one_arrow_per_source() -> None:
    pytest.importorskip("graphviz")
    w = Value(0.5, role="parameter")
    program = trace(lambda s: [s[1], s[0], w], [0.1, 0.2], [w])  # outputs that are leaves: nothing to compute
    assert len(program.plan) == 0
    source = draw_plan(program).source
    assert edges(source) == ["inputs -> out", "params -> out"]
    assert 'out [label="outputs ×3"' in source


def test_check_replays_the_last_sample_too() -> None:
    w = Value(1.5, role="parameter")

    def branchy(s: list[Value]) -> Value:
        return s[0] * w if s[0].data < 10.0 else s[0] * w * w  # only the last sample takes the other branch

    batch = np.array([[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [20.0]])
    with pytest.raises(TraceCheckError, match=r"^check: sample 6 gives \[45\.0\] eagerly but \[30\.0\] compiled"):
        trace(branchy, [1.0], [w], check=True)(batch)
    with pytest.raises(TraceCheckError, match="sample 6"):
        trace(branchy, [1.0], [w], check=True, check_samples=2)(batch)
