"""Graphs are freed by reference counting alone, memory stays flat, and gradients are reproducible.

No timing here: the speed figures live in benchmarks/.
"""

from __future__ import annotations

import gc
import math
import os
import subprocess
import sys
import textwrap
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from micrograd_ko import Value, data, losses
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def gc_disabled() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class MoonsW1:
    """The W1 step of the benchmarks (moons, MLP(2, [16, 16, 1]), hinge + 1e-4 L2, SGD), on fewer points."""

    def __init__(self, points: int = 40) -> None:
        X, y = data.moons(n=points, noise=0.1, seed=1, labels="pm1")
        self.rows, self.labels = X.tolist(), y.tolist()
        self.model = MLP(2, [16, 16, 1], seed=1)
        self.optimizer = SGD(self.model.parameters(), lr=0.5)

    def loss(self) -> Value:
        scores = [cast(Value, self.model(row)) for row in self.rows]
        return losses.hinge(scores, self.labels) + 1e-4 * losses.l2(self.model.parameters())

    def step(self) -> float:
        loss = self.loss()
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        return loss.data


def _live_values() -> int:
    # type() rather than isinstance(): isinstance reads __class__, which wakes deprecated torch proxies
    return sum(1 for obj in gc.get_objects() if type(obj) is Value)


def test_a_training_step_leaves_no_cyclic_garbage(gc_disabled: None) -> None:
    w1 = MoonsW1()
    w1.step()
    assert gc.collect() == 0


def test_the_graph_is_freed_by_reference_counting_alone(gc_disabled: None) -> None:
    w1 = MoonsW1()
    before = _live_values()
    loss = w1.loss()
    loss.backward()
    nodes = len(loss.topological_order())
    assert _live_values() >= before + nodes - len(w1.model.parameters())
    del loss
    # the collector stays off: only reference counting can have freed the graph
    assert _live_values() == before


def test_memory_is_flat_over_many_steps(gc_disabled: None) -> None:
    w1 = MoonsW1()
    for _ in range(3):
        w1.step()
    tracemalloc.start()
    try:
        graph = w1.loss()
        one_graph = tracemalloc.get_traced_memory()[0]
        del graph
        start = tracemalloc.get_traced_memory()[0]
        for _ in range(20):
            w1.step()
        growth = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    # a leak would keep every step's graph: 20 graphs; allow a tenth of one for allocator noise
    assert growth < one_graph / 10, f"traced memory grew by {growth} bytes; one graph is {one_graph} bytes"


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads RSS from /proc (Linux)")
def test_rss_does_not_grow_with_steps(gc_disabled: None) -> None:
    def rss() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    w1 = MoonsW1()
    tracemalloc.start()
    graph = w1.loss()
    one_graph = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del graph
    for _ in range(5):
        w1.step()
    start = rss()
    for _ in range(30):
        w1.step()
    growth = rss() - start
    assert growth < 3 * one_graph, f"RSS grew by {growth} bytes over 30 steps; one graph is {one_graph} bytes"


def _chain(n: int) -> tuple[Value, Value]:
    x = Value(0.5)
    y = x
    for _ in range(n):
        y = (0.0001 + 1.0001 * y).tanh()
    return x, y


def _chain_by_hand(n: int) -> tuple[float, float]:
    """The same chain in plain floats: its value and d y_n / d y_0, multiplied in backward's order."""
    y, slopes = 0.5, []
    for _ in range(n):
        y = math.tanh(0.0001 + 1.0001 * y)
        slopes.append(1.0 - y * y)
    grad = 1.0
    for slope in reversed(slopes):
        grad = 1.0001 * (1.0 * (slope * grad))
    return y, grad


@pytest.mark.parametrize("n", [5_000, pytest.param(1_000_000, marks=pytest.mark.slow)])
def test_a_deep_chain_runs_backward_and_is_freed(n: int) -> None:
    x, y = _chain(n)
    y.backward()
    value, grad = _chain_by_hand(n)
    assert y.data == value
    assert x.grad == grad
    del y  # freeing a deep chain must not overflow the C stack either
    assert x.grad == grad


REPRODUCE = textwrap.dedent(
    """
    from typing import cast
    from micrograd_ko import Value, data, losses
    from micrograd_ko.nn import MLP

    X, y = data.moons(n=60, noise=0.1, seed=5, labels="pm1")
    model = MLP(2, [16, 16, 1], seed=5)
    shared = Value(0.3)  # used many times: its gradient sums many contributions, order matters for rounding
    scores = [cast(Value, model([a * shared, b * shared])) for a, b in X.tolist()]
    loss = losses.hinge(scores, y.tolist()) + 1e-4 * losses.l2(model.parameters())
    loss.backward()
    print(" ".join(float(p.grad).hex() for p in [*model.parameters(), shared]))
    """
)


def test_gradients_are_bitwise_identical_across_processes() -> None:
    def run(hash_seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", REPRODUCE], capture_output=True, text=True, env=env, cwd=ROOT, check=True
        )
        return done.stdout

    first, second = run("1"), run("2")
    assert first == second
    assert len(first.split()) == 16 * 3 + 17 * 16 + 17 + 1
