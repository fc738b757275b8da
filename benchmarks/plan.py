"""What a run measures: the full configuration and the `--quick` one, turned into a list of jobs.

A job is one worker process: an engine and the tasks it runs in order.  The
full run gives every task its own process (a crash loses only that task) and
interleaves the engines round by round in W1's timing, so slow drift of the
machine (other processes, thermal state) touches every engine alike.  The
quick run bundles each engine's tasks into one process so it finishes in
seconds; it exists so the runner is exercised by the test suite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchmarks.engines import CNN_ENGINES, LSTM_ENGINES, SCALAR_ENGINES

Task = dict[str, Any]


@dataclass(frozen=True)
class Job:
    """One worker process: `engine` runs `tasks` in order."""

    engine: str
    tasks: list[Task]


@dataclass(frozen=True)
class Config:
    """The sizes of one run."""

    name: str
    points: int
    rounds: int
    warmup: int
    timing_steps: dict[str, int]
    train_steps: int
    memory_steps: dict[str, int]
    chain_lengths: tuple[int, ...]
    wide_n: int
    repeats: int
    timeout_s: float
    cnn_steps: dict[str, int]
    digits_batch: int
    lstm_steps: dict[str, int] | None = None
    sequence_batch: int = 8
    one_process_per_task: bool = True


FULL = Config(
    name="full",
    points=100,
    rounds=3,
    warmup=1,
    timing_steps={
        "micrograd_ko": 20,
        "micrograd": 6,
        "torch_scalar": 4,
        "torch_tensor": 50,
        "numpy": 50,
        "micrograd_ko_compiled": 50,
    },
    train_steps=100,
    # without the cyclic collector micrograd keeps every step's graph (~40 MB): 10 steps show the trend
    memory_steps={
        "micrograd_ko": 100,
        "micrograd": 10,
        "torch_scalar": 10,
        "torch_tensor": 100,
        "numpy": 100,
        "micrograd_ko_compiled": 100,
    },
    chain_lengths=(2_000, 10_000, 100_000, 1_000_000),
    wide_n=100_000,
    repeats=3,
    timeout_s=900.0,
    cnn_steps={"micrograd_ko": 10, "torch_tensor": 50, "micrograd_ko_compiled": 50},
    digits_batch=32,
    lstm_steps={"micrograd_ko": 10, "torch_tensor": 50, "micrograd_ko_compiled": 50},
    sequence_batch=8,
)

QUICK = Config(
    name="quick",
    points=10,
    rounds=1,
    warmup=0,
    timing_steps={
        "micrograd_ko": 2,
        "micrograd": 2,
        "torch_scalar": 2,
        "torch_tensor": 2,
        "numpy": 2,
        "micrograd_ko_compiled": 2,
    },
    train_steps=3,
    memory_steps={
        "micrograd_ko": 3,
        "micrograd": 3,
        "torch_scalar": 3,
        "torch_tensor": 3,
        "numpy": 3,
        "micrograd_ko_compiled": 3,
    },
    chain_lengths=(100, 1_000),
    wide_n=1_000,
    repeats=2,
    timeout_s=120.0,
    cnn_steps={"micrograd_ko": 2, "torch_tensor": 2, "micrograd_ko_compiled": 2},
    digits_batch=4,
    lstm_steps={"micrograd_ko": 2, "torch_tensor": 2, "micrograd_ko_compiled": 2},
    sequence_batch=2,
    one_process_per_task=False,
)


def _timing_tasks(config: Config, engine: str) -> list[Task]:
    return [
        {"kind": "w1", "role": "timing", "gc": gc, "steps": config.timing_steps[engine], "warmup": config.warmup}
        for gc in ("off", "on")
    ]


def _graph_modes(engine: str) -> tuple[str, ...]:
    # our engine is also measured without the collector, to show what the collector costs it
    return ("on", "off") if engine == "micrograd_ko" else ("on",)


def _chain_tasks(config: Config, engine: str) -> list[Task]:
    return [
        {"kind": "w2", "n": n, "gc": gc, "repeats": config.repeats if n <= 10_000 else 1}
        for n in config.chain_lengths
        for gc in _graph_modes(engine)
    ]


def _wide_tasks(config: Config, engine: str) -> list[Task]:
    return [
        {"kind": "w3", "n": config.wide_n, "nary": nary, "gc": gc, "repeats": config.repeats}
        for nary in (False, True)
        for gc in _graph_modes(engine)
    ]


def _rest_tasks(config: Config, engine: str) -> list[Task]:
    """Everything but W1's timing: training run, memory, graph size, W2, W3."""
    tasks: list[Task] = [{"kind": "w1", "role": "train", "gc": "off", "steps": config.train_steps, "warmup": 0}]
    tasks += [{"kind": "memory", "gc": gc, "steps": config.memory_steps[engine]} for gc in ("off", "on")]
    if engine in SCALAR_ENGINES:
        measure = "rss" if engine.startswith("torch") else "tracemalloc"
        tasks.append({"kind": "graph", "measure": measure})
        tasks += _chain_tasks(config, engine) + _wide_tasks(config, engine)
    if engine in CNN_ENGINES:
        tasks += [
            {
                "kind": "w4",
                "gc": gc,
                "steps": config.cnn_steps[engine],
                "warmup": config.warmup,
                "batch": config.digits_batch,
            }
            for gc in ("off", "on")
        ]
    if engine in LSTM_ENGINES and config.lstm_steps is not None:
        tasks += [
            {
                "kind": "w5",
                "gc": gc,
                "steps": config.lstm_steps[engine],
                "warmup": config.warmup,
                "batch": config.sequence_batch,
            }
            for gc in ("off", "on")
        ]
    return tasks


WORKLOADS = ("w1", "memory", "w2", "w3", "w4", "w5")
"""Names for `--workloads`: W1 (timing and training run), memory (with graph size), W2, W3, W4 (the CNN step),
W5 (the LSTM step)."""


def _workload(task: Task) -> str:
    return "memory" if task["kind"] == "graph" else task["kind"]


def build_jobs(config: Config, engines: list[str], workloads: tuple[str, ...] = WORKLOADS) -> list[Job]:
    """The jobs of a run, in the order they execute; `workloads` picks a subset."""

    def timing(engine: str) -> list[Task]:
        return _timing_tasks(config, engine) if "w1" in workloads else []

    def rest(engine: str) -> list[Task]:
        return [task for task in _rest_tasks(config, engine) if _workload(task) in workloads]

    if not config.one_process_per_task:
        return [Job(e, _with_points(config, timing(e) + rest(e))) for e in engines]
    jobs = [
        Job(engine, _with_points(config, [task]))
        for _ in range(config.rounds)
        for engine in engines
        for task in timing(engine)
    ]
    remaining = {engine: rest(engine) for engine in engines}
    # the remaining tasks interleaved too: task i of every engine before task i + 1 of any
    longest = max((len(tasks) for tasks in remaining.values()), default=0)
    for i in range(longest):
        for engine in engines:
            if i < len(remaining[engine]):
                jobs.append(Job(engine, _with_points(config, [remaining[engine][i]])))
    return jobs


def _with_points(config: Config, tasks: list[Task]) -> list[Task]:
    return [{**task, "points": config.points} for task in tasks]
