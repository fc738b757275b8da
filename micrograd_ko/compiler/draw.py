"""Drawing the plan: one box per group, arrows from the groups (and leaves) whose rows it reads."""

from __future__ import annotations

from typing import Any

from micrograd_ko.compiler.groups import ConvGroup, MatmulGroup
from micrograd_ko.compiler.program import Program

__all__ = ["draw_plan"]

_FILLS = {"matmul": "lightblue", "conv": "lightblue", "dot": "lightblue", "sum": "lightyellow"}


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


def _draw_program(graph: Any, program: Program, prefix: str) -> list[tuple[str, str]]:
    """Add the program's nodes to `graph`; return its edges."""
    plan = program.plan
    n_inputs = plan.n_inputs
    first_constant = plan.first_constant
    first_drawn = first_constant + len(plan.constants)
    first_node = first_drawn + sum(len(draw.rows) for draw in plan.draws)
    if n_inputs:
        graph.node(f"{prefix}inputs", f"inputs ×{n_inputs}\n(samples, {n_inputs})", shape="ellipse")
    if len(plan.constants):
        graph.node(f"{prefix}constants", f"constants ×{len(plan.constants)}", shape="ellipse")
    if first_node != first_drawn:
        graph.node(f"{prefix}drawn", f"drawn ×{first_node - first_drawn}\n(every call)", shape="ellipse")
    owner: dict[int, str] = {}  # the group that last wrote each row (an activation in place rewrites its input's)
    edges: list[tuple[str, str]] = []

    def source(r: int) -> str:
        if r < n_inputs:
            return f"{prefix}inputs"
        if r < first_constant:
            return "params"
        if r < first_drawn:
            return f"{prefix}constants"
        if r < first_node:
            return f"{prefix}drawn"
        return owner[r]

    for index, group in enumerate(plan.groups):
        label = f"{group.kind}: {group.op.name} ×{group.size}\n{group.detail()}"
        graph.node(f"{prefix}g{index}", label, style="filled", fillcolor=_FILLS.get(group.kind, "white"))
        sources = {source(r) for parents in group.parents for r in parents if r >= 0}
        if isinstance(group, MatmulGroup | ConvGroup):
            sources.add("params")
        edges += [(name, f"{prefix}g{index}") for name in sorted(sources)]
        for r in range(group.out.start, group.out.stop):
            owner[r] = f"{prefix}g{index}"
    graph.node(f"{prefix}out", f"outputs ×{len(plan.outputs)}", shape="ellipse")
    # one arrow per source, as for a group: outputs that are rows of one group (or inputs) share it
    edges += [(name, f"{prefix}out") for name in dict.fromkeys(source(r) for r in plan.outputs)]
    return edges
