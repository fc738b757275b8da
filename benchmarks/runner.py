"""`python -m benchmarks`: run every job in its own worker process, then write results.json and results.md.

A worker that dies (segfault, out of memory, timeout) costs only its own
tasks: they are recorded with how the process ended and the end of its
stderr, and the run goes on.  Engines whose library is not installed are
reported as absent.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import importlib.util
import json
import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.engines import ENGINES
from benchmarks.plan import FULL, QUICK, WORKLOADS, Config, Job, Task, build_jobs

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent

Record = dict[str, Any]


def engine_versions() -> dict[str, Record]:
    """For each engine: its description, whether its library imports here, and that library's version."""
    found: dict[str, Record] = {}
    for name, info in ENGINES.items():
        # every distribution here is imported under its own name (micrograd, torch, numpy, micrograd_ko)
        available = importlib.util.find_spec(info.distribution) is not None
        try:
            version = importlib.metadata.version(info.distribution) if available else None
        except importlib.metadata.PackageNotFoundError:
            version = None
        found[name] = {"description": info.description, "available": available, "version": version}
    return found


def machine() -> Record:
    """What the numbers were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
    }


def _how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"crashed ({signal.Signals(-returncode).name})"
        except ValueError:
            return f"crashed (signal {-returncode})"
    return f"crashed (exit code {returncode})"


def run_job(job: Job, timeout_s: float, command: list[str] | None = None) -> list[Record]:
    """Run one worker (or `command`, which must speak the worker's protocol); one record per task.

    Tasks the process did not report, because it crashed or ran out of time, get
    a record saying how it ended, with the end of its stderr.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env["OPENBLAS_NUM_THREADS"] = "1"  # numpy on one BLAS thread, as torch_common sets PyTorch (2 cores, shared)
    command = command or [sys.executable, "-m", "benchmarks.worker", job.engine]
    started = time.perf_counter()
    try:
        done = subprocess.run(
            command, input=json.dumps(job.tasks), capture_output=True, text=True, timeout=timeout_s, cwd=ROOT, env=env
        )
        stdout, stderr, ending = done.stdout, done.stderr, _how_it_ended(done.returncode)
    except subprocess.TimeoutExpired as expired:
        stdout = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        stderr = expired.stderr.decode() if isinstance(expired.stderr, bytes) else (expired.stderr or "")
        ending = f"timeout after {timeout_s:.0f} s"
    results: dict[int, Record] = {}
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            record = json.loads(line[len("RESULT ") :])
            results[record.pop("index")] = record
    wall = time.perf_counter() - started
    tail = stderr.strip()[-300:]
    return [
        {"engine": job.engine, "task": task, "wall_s": wall, **results.get(i, {"status": ending, "message": tail})}
        for i, task in enumerate(job.tasks)
    ]


def _earlier_failure(records: list[Record], engine: str, task: Task) -> Record | None:
    """A W2 chain that failed at some length need not be retried at a longer one."""
    if task["kind"] != "w2":
        return None
    for r in records:
        same = r["engine"] == engine and r["task"]["kind"] == "w2" and r["task"]["gc"] == task["gc"]
        if same and r["task"]["n"] < task["n"] and r["status"] not in ("ok", "skipped"):
            return {"status": "skipped", "message": f"failed at N={r['task']['n']:,} ({r['status']})"}
    return None


def _describe(task: Task) -> str:
    skip = {"kind", "points", "role"}
    details = " ".join(f"{k}={v}" for k, v in task.items() if k not in skip)
    return f"{task['kind']}{'/' + task['role'] if 'role' in task else ''} {details}"


def execute(jobs: list[Job], timeout_s: float, log: Any = sys.stderr) -> list[Record]:
    """Run the jobs in order, printing one progress line each."""
    records: list[Record] = []
    for number, job in enumerate(jobs, start=1):
        skipped = _earlier_failure(records, job.engine, job.tasks[0]) if len(job.tasks) == 1 else None
        if skipped is not None:
            new = [{"engine": job.engine, "task": job.tasks[0], "wall_s": 0.0, **skipped}]
        else:
            new = run_job(job, timeout_s)
        records += new
        summary = ", ".join(r["status"] for r in new)
        print(f"[{number}/{len(jobs)}] {job.engine:13s} {_describe(job.tasks[0])}: {summary}", file=log, flush=True)
    return records


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one process per engine (seconds)")
    parser.add_argument(
        "--engines", default=",".join(ENGINES), help=f"comma-separated subset of {','.join(ENGINES)} (default: all)"
    )
    parser.add_argument(
        "--workloads",
        default=",".join(WORKLOADS),
        help=f"comma-separated subset of {','.join(WORKLOADS)} (default: all)",
    )
    parser.add_argument(
        "--render",
        type=Path,
        default=None,
        metavar="RESULTS_JSON",
        help="measure nothing: rewrite results.md beside an existing results.json and print it",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="directory for results.json and results.md (default: benchmarks/ for a full run; "
        "a --quick run writes nothing unless this is given)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks; print the markdown tables; write the results when asked."""
    args = parse_args(argv)
    if args.render is not None:
        markdown = report.markdown(json.loads(args.render.read_text(encoding="utf-8")))
        args.render.with_name("results.md").write_text(markdown, encoding="utf-8")
        print(markdown)
        return 0
    config: Config = QUICK if args.quick else FULL
    requested = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = [name for name in requested if name not in ENGINES]
    if unknown:
        print(f"unknown engine(s) {unknown}; choose from {', '.join(ENGINES)}", file=sys.stderr)
        return 2
    workloads = tuple(name.strip() for name in args.workloads.split(",") if name.strip())
    if not workloads or any(name not in WORKLOADS for name in workloads):
        print(f"--workloads takes names from {', '.join(WORKLOADS)}; got {args.workloads!r}", file=sys.stderr)
        return 2
    versions = engine_versions()
    present = [name for name in requested if versions[name]["available"]]
    for name in requested:
        if name not in present:
            print(f"{name}: absent ({ENGINES[name].distribution} is not installed)", file=sys.stderr)
    started = datetime.datetime.now(datetime.timezone.utc)
    records = execute(build_jobs(config, present, workloads), config.timeout_s)
    results = report.summarise(records, config, requested, versions, machine(), started)
    markdown = report.markdown(results)
    print(markdown)
    output = args.output if args.output is not None else (None if args.quick else HERE)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        (output / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
        (output / "results.md").write_text(markdown, encoding="utf-8")
    return 0
