"""The scaling table (issue 19): one training step of MLP(2, [w, w, 1]) with mean hinge loss, compiled against peers.

    python -m benchmarks.scaling                    # batch 100, 1,000, 10,000 x width 16, 64, 256; ~5 minutes;
                                                    # writes benchmarks/scaling.json and scaling.md
    python -m benchmarks.scaling --quick            # two tiny cells, a few seconds (the test suite runs this)
    python -m benchmarks.scaling --output /tmp/s    # write scaling.json and scaling.md there instead

Each cell (a batch size and a width) runs in its own worker process, which
sets `OPENBLAS_NUM_THREADS=1` (and OMP/MKL) in its environment before numpy
is imported and calls `torch.set_num_threads(1)`: one BLAS thread each, so
two threads on the shared 2-core machine never fight.  Inside the worker the
three engines take turns step by step (compiled, PyTorch, numpy, compiled,
...), so drift of the machine touches all three alike; each column is the
median of the timed steps.

The three steps, each a forward over the batch, the mean hinge loss
mean(relu(1 - y s)), its backward and a plain SGD update of every parameter:

- **compiled**: `compiled_step`, the user's compiled training path: `trace`
  once, then `opt.zero_grad()`, `program.loss`, `program.backward()`,
  `opt.step()` with `optim.SGD` inside a `compiler.Training` session (the
  parameters in one flat float64 array, the update on the whole array).
- **PyTorch**: `nn.Linear` layers in float64, `loss.backward()`, the update
  under `torch.no_grad()`.
- **numpy by hand**: the matrix products and their transposes written out.

All three start from the same seeded weights (`nn.MLP(..., seed=1)`) and the
same data; the worker checks that their losses agree before timing.

A last worker measures how long `trace` takes (the eager forward of one
sample, the planning, and the check of the plan on the example) for the MLP
of every width and for notebook 11's CNN (W4's model): it grows linearly
with the graph's edges.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
BATCHES = (100, 1_000, 10_000)
WIDTHS = (16, 64, 256)
LEARNING_RATE = 0.01
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
ENGINE_NAMES = ("compiled", "torch", "numpy")

Step = Callable[[], float]


def steps_for(batch: int, width: int) -> int:
    """Timed steps per engine in a cell: fewer where one step is long."""
    work = batch * width * width
    return 60 if work <= 1_000_000 else 25 if work <= 50_000_000 else 10


# ---- the worker: one cell, the three engines side by side ---------------------------------------------------------


def make_problem(batch: int, width: int) -> tuple[Any, Any, Any]:
    """The model (seeded), the inputs (batch, 2) and the labels ±1, the same for every engine."""
    import numpy as np

    from micrograd_ko import nn

    rng = np.random.default_rng(0)
    x = rng.normal(size=(batch, 2))
    y = np.where(x[:, 0] * x[:, 1] > 0, 1.0, -1.0)
    return nn.MLP(2, [width, width, 1], seed=1), x, y


def compiled_step(model: Any, x: Any, y: Any) -> Step:
    """The compiled step as a user writes it: `trace` once, then the eager loop's four lines in a `Training` session.

    The session stays open for the cell (the worker times steps of one model);
    `program.loss` reads the parameters from the session's flat array,
    `program.backward` adds into its gradient array, and `optim.SGD` updates
    the whole array at once.
    """
    import numpy as np

    from micrograd_ko import optim
    from micrograd_ko.autograd import Value
    from micrograd_ko.compiler import Training, trace

    def per_sample(sample: list[Value]) -> Value:
        score = model(sample[:2])
        return (1.0 - sample[2] * score).relu()

    batch = np.column_stack([x, y])
    program = trace(per_sample, batch[0].tolist(), model.parameters())
    opt = optim.SGD(model.parameters(), lr=LEARNING_RATE)
    Training(program, opt)  # open for the worker's lifetime: the model is used by this engine only

    def step() -> float:
        opt.zero_grad()
        loss = program.loss(batch)
        program.backward()
        opt.step()
        return loss

    return step


def torch_step(model: Any, x: Any, y: Any) -> Step:
    """PyTorch batched: nn.Linear layers in float64 with the same weights, one thread."""
    import torch

    torch.set_num_threads(1)
    layers = []
    for layer in model.layers:
        linear = torch.nn.Linear(layer.nin, len(layer.neurons), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64))
            linear.bias.copy_(torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64))
        layers.append(linear)
    net = torch.nn.Sequential(layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2])
    tx = torch.tensor(x, dtype=torch.float64)
    ty = torch.tensor(y, dtype=torch.float64)
    params = list(net.parameters())

    def step() -> float:
        for p in params:
            p.grad = None
        scores = net(tx)[:, 0]
        loss = torch.relu(1.0 - ty * scores).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LEARNING_RATE * p.grad
        return loss.item()

    return step


def numpy_step(model: Any, x: Any, y: Any) -> Step:
    """numpy by hand: samples as columns (features x batch), the backward written out, SGD on the arrays."""
    import numpy as np

    ws = [np.asarray([[w.data for w in n.w] for n in layer.neurons]) for layer in model.layers]
    bs = [np.asarray([n.b.data for n in layer.neurons])[:, None] for layer in model.layers]
    xt = np.ascontiguousarray(x.T)
    n = len(y)

    def step() -> float:
        h1 = np.maximum(ws[0] @ xt + bs[0], 0.0)
        h2 = np.maximum(ws[1] @ h1 + bs[1], 0.0)
        scores = (ws[2] @ h2 + bs[2])[0]
        margins = 1.0 - y * scores
        loss = float(np.maximum(margins, 0.0).sum()) / n
        d3 = np.where(margins > 0.0, -y / n, 0.0)[None, :]
        d2 = (ws[2].T @ d3) * (h2 > 0.0)
        d1 = (ws[1].T @ d2) * (h1 > 0.0)
        for i, (delta, a) in enumerate(((d1, xt), (d2, h1), (d3, h2))):
            ws[i] -= LEARNING_RATE * (delta @ a.T)
            bs[i] -= LEARNING_RATE * delta.sum(axis=1, keepdims=True)
        return loss

    return step


ENGINES: dict[str, Callable[[Any, Any, Any], Step]] = {
    "compiled": compiled_step,
    "torch": torch_step,
    "numpy": numpy_step,
}


def measure_cell(batch: int, width: int, steps: int) -> dict[str, Any]:
    """Build the three steps, check their first losses agree, then time them in turns; medians in ms."""
    model, x, y = make_problem(batch, width)
    started = time.perf_counter()
    runners = {name: make(model, x, y) for name, make in ENGINES.items()}
    setup_s = time.perf_counter() - started
    first = {name: run() for name, run in runners.items()}  # a warm-up step each, from the same weights
    spread = max(first.values()) - min(first.values())
    if spread > 1e-9 * max(1.0, abs(first["numpy"])):
        raise AssertionError(f"the engines' first losses disagree: {first}")
    times: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(steps):
        for name, run in runners.items():
            t0 = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - t0)
    ms = {name: 1e3 * statistics.median(values) for name, values in times.items()}
    fastest = {name: 1e3 * min(values) for name, values in times.items()}  # less moved by other work on the machine
    return {
        "batch": batch,
        "width": width,
        "steps": steps,
        "setup_s": setup_s,
        "first_loss": first["numpy"],
        "ms": ms,
        "compiled_over_torch": ms["compiled"] / ms["torch"],
        "compiled_over_numpy": ms["compiled"] / ms["numpy"],
        "min_ms": fastest,
        "compiled_over_torch_min": fastest["compiled"] / fastest["torch"],
        "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }


def trace_times(widths: Sequence[int], repeats: int = 3) -> list[dict[str, Any]]:
    """Seconds to trace each model, wall clock and CPU (the fastest of `repeats`), with its nodes, edges, parameters."""
    from benchmarks.problem import cnn_model
    from micrograd_ko import losses
    from micrograd_ko.autograd import Value
    from micrograd_ko.compiler import trace

    def mlp(width: int) -> Callable[[], Any]:
        model = make_problem(1, width)[0]
        return lambda: trace(lambda s: (1.0 - s[2] * model(s[:2])).relu(), [0.1, 0.2, 1.0], model.parameters())

    def cnn() -> Any:
        model = cnn_model()

        def per_sample(s: list[Value]) -> list[Value]:
            logits = model([[[s[r * 8 : (r + 1) * 8] for r in range(8)]]])[0]
            return [-Value.dot(losses.log_softmax(logits), s[64:]), *logits]

        return trace(per_sample, [0.5] * 64 + [1.0] + [0.0] * 9, model.parameters())

    models: list[tuple[str, Callable[[], Any]]] = [(f"MLP(2, [{w}, {w}, 1])", mlp(w)) for w in widths]
    models.append(("notebook 11's CNN (W4)", cnn))
    rows = []
    for name, build in models:
        seconds, cpu = [], []
        for _ in range(repeats):
            started, started_cpu = time.perf_counter(), time.process_time()
            program = build()
            seconds.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        edges = sum(g.size * g.arity for g in program.plan)
        plan = program.plan
        row = {"model": name, "trace_s": min(seconds), "trace_cpu_s": min(cpu), "nodes": plan.nodes, "edges": edges}
        rows.append({**row, "parameters": len(program.params)})
    return rows


def worker(argv: Sequence[str]) -> int:
    """`--worker BATCH WIDTH STEPS`: measure one cell; `--worker trace W1,W2,...`: trace times.  `RESULT {json}`."""
    if argv[0] == "trace":
        print("RESULT " + json.dumps({"trace": trace_times([int(w) for w in argv[1].split(",")])}), flush=True)
        return 0
    batch, width, steps = (int(a) for a in argv)
    print("RESULT " + json.dumps(measure_cell(batch, width, steps)), flush=True)
    return 0


# ---- the parent: a process per cell, the table, the JSON ----------------------------------------------------------


def run_worker(arguments: list[str], timeout_s: float = 900.0) -> dict[str, Any]:
    """One worker process, with one BLAS thread set in its environment before numpy loads; its result or status."""
    env = {**os.environ, **dict.fromkeys(THREAD_VARIABLES, "1")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "benchmarks.scaling", "--worker", *arguments]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, cwd=ROOT, env=env)
    except subprocess.TimeoutExpired:
        return {"status": f"timeout after {timeout_s:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith("RESULT "):
            return {**json.loads(line[len("RESULT ") :]), "status": "ok"}
    return {"status": f"exit code {done.returncode}", "message": done.stderr[-500:]}


def run_cell(batch: int, width: int, steps: int) -> dict[str, Any]:
    """The cell measured in a worker of its own."""
    return {"batch": batch, "width": width, **run_worker([str(batch), str(width), str(steps)])}


def markdown(cells: list[dict[str, Any]]) -> str:
    """The table: one row per cell."""
    lines = [
        "| batch | width | compiled ms | PyTorch ms | numpy by hand ms | compiled ÷ PyTorch | compiled ÷ numpy |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cells:
        if c["status"] != "ok":
            lines.append(f"| {c['batch']:,} | {c['width']} | {c['status']} | | | | |")
            continue
        ms = c["ms"]
        lines.append(
            f"| {c['batch']:,} | {c['width']} | {ms['compiled']:.3g} | {ms['torch']:.3g} | {ms['numpy']:.3g} "
            f"| {c['compiled_over_torch']:.2f} | {c['compiled_over_numpy']:.2f} |"
        )
    return "\n".join(lines) + "\n"


def trace_markdown(rows: list[dict[str, Any]]) -> str:
    """The trace times: one row per model."""
    lines = ["| model | parameters | nodes | edges | trace s | trace CPU s |", "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(
            f"| {r['model']} | {r['parameters']:,} | {r['nodes']:,} | {r['edges']:,} | {r['trace_s']:.3f} "
            f"| {r['trace_cpu_s']:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run every cell in its own process; print the table; write scaling.json and .md (a full run, or --output)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["--worker"]:
        return worker(args[1:])
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scaling", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="two tiny cells, 3 steps each")
    parser.add_argument(
        "--output", type=Path, default=None, help="directory for scaling.json and scaling.md (a full run: benchmarks/)"
    )
    parser.add_argument("--batches", default=None, help="comma-separated batch sizes (default 100,1000,10000)")
    parser.add_argument("--widths", default=None, help="comma-separated widths (default 16,64,256)")
    parsed = parser.parse_args(args)
    if parsed.quick:
        grid = [(20, 4, 3), (50, 8, 3)]
        widths: Sequence[int] = (4, 8)
    else:
        batches = [int(b) for b in parsed.batches.split(",")] if parsed.batches else BATCHES
        widths = [int(w) for w in parsed.widths.split(",")] if parsed.widths else WIDTHS
        grid = [(b, w, steps_for(b, w)) for b in batches for w in widths]
    cells = []
    for batch, width, steps in grid:
        cell = run_cell(batch, width, steps)
        print(f"batch {batch:,} width {width}: {cell['status']}", file=sys.stderr, flush=True)
        cells.append(cell)
    traced = run_worker(["trace", ",".join(map(str, widths))])
    print(f"trace times: {traced['status']}", file=sys.stderr, flush=True)
    table = markdown(cells) + ("\n" + trace_markdown(traced["trace"]) if traced["status"] == "ok" else "")
    print(table)
    output = parsed.output
    if output is None and not (parsed.quick or parsed.batches or parsed.widths):
        output = Path(__file__).resolve().parent  # the whole table is kept beside results.json; a part is only printed
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        results = {
            "threads": "OPENBLAS_NUM_THREADS=OMP_NUM_THREADS=MKL_NUM_THREADS=1 in each worker's environment, "
            "torch.set_num_threads(1)",
            "cells": cells,
            "trace": traced.get("trace", traced),
        }
        (output / "scaling.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        (output / "scaling.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
