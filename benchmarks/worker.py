"""The measuring side: `python -m benchmarks.worker ENGINE` runs tasks for one engine in this process.

The runner sends a JSON list of tasks on stdin; each finished task prints one
line `RESULT {json}` at once, so when the process dies (RecursionError is
caught, but a segfault or the runner's timeout is not) the runner still has
every result before the crash and knows which task killed it.

Task kinds (every task first sets the garbage collector as it asks, then
collects once, so no task inherits another's garbage):

- w1      moons steps: per-step seconds, losses, accuracies.  gc 'off':
          gc.disable() around each step, then a gc.collect() between steps,
          outside the timing, whose duration and found objects are recorded
          (without it micrograd would keep every step's graph).  gc 'on': the
          default collector, with the time it spends recorded by a gc callback.
- memory  RSS before one step, the process's peak RSS after it, and RSS growth
          over the following steps, with no collection unless gc is 'on'.
- graph   one forward + loss graph: node count, bytes per node (tracemalloc
          for Python engines; RSS for PyTorch, whose nodes live in C++), and how
          many objects only the cyclic collector can free once the graph is dropped.
- w2      the deep chain: forward and backward seconds and d y_N / d y_0.
- w3      the wide sum, with Python's sum() or the n-ary sum: seconds and d s / d a_1.
- w4      CNN training steps on one batch of digits: per-step seconds and losses,
          with the collector set as in w1 (no gc.collect between steps needed:
          neither engine makes cycles, but 'off' collects between steps anyway).
- w5      LSTM training steps on one batch of sine windows, measured as w4.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from types import ModuleType
from typing import Any

from benchmarks import engines
from benchmarks.problem import (
    DigitsProblem,
    MoonsProblem,
    SequenceProblem,
    digits_problem,
    moons_problem,
    sequence_problem,
    wide_operands,
)

Result = dict[str, Any]


def rss_bytes() -> int:
    """Resident set size of this process now."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import psutil

        return int(psutil.Process().memory_info().rss)


def peak_rss_bytes() -> int:
    """This process's highest RSS so far (Linux reports ru_maxrss in KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


class GcTimer:
    """Adds up the time the cyclic collector runs, through gc.callbacks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started
            self.collections += 1

    def __enter__(self) -> GcTimer:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def _set_gc(mode: str) -> None:
    gc.collect()
    if mode == "on":
        gc.enable()
    elif mode == "off":
        gc.disable()
    else:
        raise ValueError(f"gc mode must be 'on' or 'off', got {mode!r}")


def run_w1(engine: ModuleType, problem: MoonsProblem, task: dict[str, Any]) -> Result:
    trainer = engine.make_trainer(problem)
    gc_mode, warmup, steps = task["gc"], task.get("warmup", 0), task["steps"]
    _set_gc(gc_mode)
    for k in range(warmup):
        trainer.step(k)
        gc.collect()
    step_s, losses, accuracies, collect_s, garbage, gc_s = [], [], [], [], [], []
    for k in range(warmup, warmup + steps):
        with GcTimer() as timer:
            start = time.perf_counter()
            loss, accuracy = trainer.step(k)
            step_s.append(time.perf_counter() - start)
        gc_s.append(timer.seconds)
        losses.append(loss)
        accuracies.append(accuracy)
        if gc_mode == "off":
            start = time.perf_counter()
            garbage.append(gc.collect())
            collect_s.append(time.perf_counter() - start)
    final_loss, final_accuracy = trainer.evaluate()  # the model after the last update
    return {
        "final_loss": final_loss,
        "final_accuracy": final_accuracy,
        "step_s": step_s,
        "gc_s": gc_s,
        "collect_s": collect_s,
        "cyclic_garbage": garbage,
        "losses": losses,
        "accuracies": accuracies,
        "first_step": warmup,
    }


def run_memory(engine: ModuleType, problem: MoonsProblem, task: dict[str, Any]) -> Result:
    trainer = engine.make_trainer(problem)
    _set_gc(task["gc"])
    before = rss_bytes()
    trainer.step(0)
    peak = peak_rss_bytes()
    after_first = rss_bytes()
    for k in range(1, task["steps"] + 1):
        trainer.step(k)
    growth = rss_bytes() - after_first
    return {
        "rss_before_step": before,
        "peak_rss": peak,
        "first_step_peak_increase": max(0, peak - before),
        "growth_steps": task["steps"],
        "rss_growth": growth,
        "rss_growth_per_step": growth / task["steps"],
    }


def run_graph(engine: ModuleType, problem: MoonsProblem, task: dict[str, Any]) -> Result:
    trainer = engine.make_trainer(problem)
    python_engine = task["measure"] == "tracemalloc"
    _set_gc("off")
    if python_engine:
        tracemalloc.start()
    traced_before, rss_before = tracemalloc.get_traced_memory()[0], rss_bytes()
    root = trainer.loss_graph()
    traced_after, rss_after = tracemalloc.get_traced_memory()[0], rss_bytes()
    tracemalloc.stop()
    nodes = engine.count_nodes(root)
    graph_bytes = traced_after - traced_before if python_engine else rss_after - rss_before
    start = time.perf_counter()
    del root
    freed_s = time.perf_counter() - start
    cyclic_garbage = gc.collect()
    return {
        "nodes": nodes,
        "bytes": graph_bytes,
        "bytes_per_node": graph_bytes / nodes,
        "measured_with": task["measure"],
        "free_by_refcount_s": freed_s,
        "cyclic_garbage_after_free": cyclic_garbage,
    }


def _timed_graph(
    build: Callable[[Any], tuple[Any, Any]], engine: ModuleType, task: dict[str, Any], setup: Callable[[], Any]
) -> Result:
    """Median forward and backward seconds over the repeats; `setup` (untimed) makes fresh leaves each time."""
    forward_s, backward_s, grads = [], [], []
    for _ in range(task.get("repeats", 1)):
        leaves = setup()
        _set_gc(task["gc"])
        start = time.perf_counter()
        root, leaf = build(leaves)
        middle = time.perf_counter()
        engine.backward(root)
        end = time.perf_counter()
        forward_s.append(middle - start)
        backward_s.append(end - middle)
        grads.append(engine.grad(leaf))
        del root, leaf, leaves
    return {
        "forward_s": statistics.median(forward_s),
        "backward_s": statistics.median(backward_s),
        "total_s": statistics.median(f + b for f, b in zip(forward_s, backward_s)),
        "repeats": len(forward_s),
        "grad": grads[0],
        "grads_identical": len(set(grads)) == 1,
    }


def run_w2(engine: ModuleType, problem: MoonsProblem | None, task: dict[str, Any]) -> Result:
    return _timed_graph(lambda _: engine.chain(task["n"]), engine, task, setup=lambda: None)


def run_w3(engine: ModuleType, problem: MoonsProblem | None, task: dict[str, Any]) -> Result:
    n = task["n"]
    result = _timed_graph(lambda leaves: engine.wide(leaves, task["nary"]), engine, task, lambda: engine.wide_leaves(n))
    result["expected_grad"] = wide_operands(task["n"])[1][0]  # d s / d a_1 = b_1
    return result


def run_w4(engine: ModuleType, problem: DigitsProblem, task: dict[str, Any]) -> Result:
    if not hasattr(engine, "make_cnn_trainer"):
        raise engines.Unsupported("no CNN adapter: W4 compares micrograd_ko with PyTorch")
    return _training_steps(engine.make_cnn_trainer(problem), task, len(problem.labels))


def run_w5(engine: ModuleType, problem: SequenceProblem, task: dict[str, Any]) -> Result:
    if not hasattr(engine, "make_lstm_trainer"):
        raise engines.Unsupported("no LSTM adapter: W5 compares micrograd_ko with PyTorch")
    return _training_steps(engine.make_lstm_trainer(problem), task, len(problem.targets))


def _training_steps(trainer: Any, task: dict[str, Any], batch: int) -> Result:
    """Warm-up steps, then timed steps with the collector set as the task asks (shared by W4 and W5)."""
    gc_mode, warmup, steps = task["gc"], task.get("warmup", 0), task["steps"]
    _set_gc(gc_mode)
    for k in range(warmup):
        trainer.step(k)
    step_s, losses, gc_s = [], [], []
    for k in range(warmup, warmup + steps):
        with GcTimer() as timer:
            start = time.perf_counter()
            loss, _ = trainer.step(k)
            step_s.append(time.perf_counter() - start)
        gc_s.append(timer.seconds)
        losses.append(loss)
        if gc_mode == "off":
            gc.collect()
    return {"step_s": step_s, "gc_s": gc_s, "losses": losses, "first_step": warmup, "batch": batch}


RUNNERS: dict[str, Callable[[ModuleType, Any, dict[str, Any]], Result]] = {
    "w1": run_w1,
    "memory": run_memory,
    "graph": run_graph,
    "w2": run_w2,
    "w3": run_w3,
    "w4": run_w4,
    "w5": run_w5,
}


def run_task(engine: ModuleType, task: dict[str, Any], problems: dict[Any, Any]) -> Result:
    """Run one task; an exception (RecursionError included) becomes a status, not a crash."""
    problem = None
    try:
        if task["kind"] in ("w1", "memory", "graph"):
            points = task.get("points", 100)
            problem = problems.setdefault(points, moons_problem(points))
        elif task["kind"] == "w4":
            batch = task["batch"]
            if ("digits", batch) not in problems:  # needs scikit-learn: a missing one becomes an ImportError status
                problems["digits", batch] = digits_problem(batch)
            problem = problems["digits", batch]
        elif task["kind"] == "w5":
            problem = problems.setdefault(("sequence", task["batch"]), sequence_problem(task["batch"]))
        result = RUNNERS[task["kind"]](engine, problem, task)
    except engines.Unsupported as error:
        return {"status": "unsupported", "message": str(error)}
    except Exception as error:  # RecursionError included: micrograd's recursive backward
        return {"status": type(error).__name__, "message": str(error)[:300]}
    finally:
        gc.enable()
        gc.collect()
    return {"status": "ok", **result}


def main(argv: list[str] | None = None) -> int:
    """Entry point: ENGINE on the command line, the task list as JSON on stdin."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in engines.ENGINES:
        print(f"usage: python -m benchmarks.worker {{{','.join(engines.ENGINES)}}} < tasks.json", file=sys.stderr)
        return 2
    engine = engines.load(args[0])
    tasks = json.load(sys.stdin)
    problems: dict[Any, Any] = {}
    for index, task in enumerate(tasks):
        result = run_task(engine, task, problems)
        print("RESULT " + json.dumps({"index": index, **result}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
