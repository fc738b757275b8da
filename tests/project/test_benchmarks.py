"""The benchmark runner runs (in its tiny --quick configuration), records crashes, and its numbers agree.

Speeds are not asserted here: they are measured by `python -m benchmarks` and reported, never tested.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from benchmarks import plan, runner
from benchmarks.engines import ENGINES

ROOT = Path(__file__).resolve().parents[2]
QUICK_ENGINES = ["micrograd_ko", "micrograd", "numpy", "micrograd_ko_compiled"]  # PyTorch only adds import time


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    output = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--engines", ",".join(QUICK_ENGINES), "--output", str(output)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((output / "results.json").read_text(encoding="utf-8"))
    return results, (output / "results.md").read_text(encoding="utf-8")


def test_quick_run_measures_every_installed_engine(quick_run: tuple[dict[str, Any], str]) -> None:
    results, _ = quick_run
    assert results["configuration"] == "quick"
    assert results["machine"]["cores"] == os.cpu_count()
    present = [e for e in QUICK_ENGINES if results["engines"][e]["available"]]
    assert "micrograd_ko" in present
    assert set(results["w1"]) == set(present)
    for engine in present:
        w1 = results["w1"][engine]
        assert w1["gc_on_ms"] > 0 and w1["gc_off_ms"] > 0
        assert w1["train"]["steps"] == plan.QUICK.train_steps


def test_every_engine_is_either_run_or_reported_absent(quick_run: tuple[dict[str, Any], str]) -> None:
    results, markdown = quick_run
    assert set(results["engines"]) == set(QUICK_ENGINES)
    for engine, info in results["engines"].items():
        if info["available"]:
            assert engine in results["w1"] and f"{engine} absent" not in markdown
        elif not info["available"]:
            assert engine not in results["w1"]
            assert f"{engine} absent" in markdown


def test_an_absent_engine_is_reported_and_never_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # numpy is always installed, so it is made to look absent: the absent path runs whatever is installed here
    installed = runner.engine_versions()
    assert installed["numpy"]["available"]
    absent = {**installed, "numpy": {**installed["numpy"], "available": False, "version": None}}
    monkeypatch.setattr(runner, "engine_versions", lambda: absent)
    jobs: list[plan.Job] = []
    monkeypatch.setattr(runner, "execute", lambda planned, timeout_s: jobs.extend(planned) or [])
    assert runner.main(["--quick", "--engines", "micrograd_ko,numpy", "--output", str(tmp_path)]) == 0
    assert "numpy: absent (numpy is not installed)" in capsys.readouterr().err
    assert jobs and {job.engine for job in jobs} == {"micrograd_ko"}
    results = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    assert results["engines"]["numpy"]["available"] is False
    assert "numpy" not in results["w1"] and "micrograd_ko" in results["w1"]
    assert "numpy absent" in (tmp_path / "results.md").read_text(encoding="utf-8")


def test_every_engine_computes_the_same_losses(quick_run: tuple[dict[str, Any], str]) -> None:
    results, _ = quick_run
    ours = results["w1"]["micrograd_ko"]["train"]["losses"]
    for engine, w1 in results["w1"].items():
        assert w1["train"]["losses"] == pytest.approx(ours, abs=1e-9, rel=0), engine


def test_our_graph_leaves_no_cyclic_garbage_and_memory_stays_flat(quick_run: tuple[dict[str, Any], str]) -> None:
    results, _ = quick_run
    assert results["w1"]["micrograd_ko"]["cyclic_garbage_per_step"] == 0
    graph = results["memory"]["micrograd_ko"]["graph"]
    assert graph["cyclic_garbage_after_free"] == 0
    assert graph["nodes"] > 0 and graph["bytes_per_node"] > 0


def test_deep_and_wide_graphs_work_and_give_exact_gradients(quick_run: tuple[dict[str, Any], str]) -> None:
    results, _ = quick_run
    # one row per chain length (wide graph: per chain or n-ary form), each with the collector on and off
    assert len(results["w2"]["micrograd_ko"]) == 2 * len(plan.QUICK.chain_lengths)
    assert len(results["w3"]["micrograd_ko"]) == 2 * 2
    for row in results["w2"]["micrograd_ko"]:
        assert row["status"] == "ok", row
        assert row["grads_identical"]
    for row in results["w3"]["micrograd_ko"]:
        assert row["status"] == "ok", row
        assert row["grad"] == row["expected_grad"]
        assert row["grads_identical"]


def test_micrograd_recursion_error_is_recorded_not_fatal(quick_run: tuple[dict[str, Any], str]) -> None:
    results, markdown = quick_run
    if not results["engines"]["micrograd"]["available"]:
        pytest.skip("micrograd is not installed (pip install 'micrograd_ko[bench]')")
    deepest = max(results["w2"]["micrograd"], key=lambda row: row["n"])
    assert deepest["status"] == "RecursionError"
    assert "RecursionError" in markdown
    assert any(f["engine"] == "micrograd" for f in results["failures"])


def test_markdown_has_every_table(quick_run: tuple[dict[str, Any], str]) -> None:
    _, markdown = quick_run
    for heading in ("## W1", "## W2", "## W3", "## Memory"):
        assert heading in markdown
    if importlib.util.find_spec("sklearn") is not None:
        assert "## W4" in markdown
    assert "| micrograd_ko |" in markdown


CRASHING_WORKER = textwrap.dedent(
    """
    import os, signal, sys
    sys.stdin.read()
    print('RESULT {"index": 0, "status": "ok", "value": 1}', flush=True)
    os.kill(os.getpid(), signal.SIGSEGV)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_crashing_worker_loses_only_its_unfinished_tasks() -> None:
    job = plan.Job("micrograd_ko", [{"kind": "w2", "n": 1}, {"kind": "w2", "n": 2}])
    records = runner.run_job(job, timeout_s=60, command=[sys.executable, "-c", CRASHING_WORKER])
    assert [r["status"] for r in records] == ["ok", "crashed (SIGSEGV)"]
    assert records[0]["value"] == 1


def test_a_hanging_worker_is_stopped_by_the_timeout() -> None:
    job = plan.Job("micrograd_ko", [{"kind": "w2", "n": 1}])
    records = runner.run_job(job, timeout_s=1, command=[sys.executable, "-c", "import time; time.sleep(60)"])
    assert records[0]["status"] == "timeout after 1 s"


def test_full_plan_interleaves_engines_and_isolates_tasks() -> None:
    jobs = plan.build_jobs(plan.FULL, list(ENGINES))
    assert all(len(job.tasks) == 1 for job in jobs)
    first_round = [job.engine for job in jobs[: 2 * len(ENGINES)]]
    assert first_round == [engine for engine in ENGINES for _ in ("off", "on")]
    timing = [job for job in jobs if job.tasks[0].get("role") == "timing"]
    assert len(timing) == plan.FULL.rounds * 2 * len(ENGINES)
    chains = {job.tasks[0]["n"] for job in jobs if job.tasks[0]["kind"] == "w2"}
    assert chains == {2_000, 10_000, 100_000, 1_000_000}


def test_cnn_step_runs_only_for_the_cnn_engines() -> None:
    jobs = plan.build_jobs(plan.FULL, list(ENGINES), workloads=("w4",))
    assert {job.engine for job in jobs} == {"micrograd_ko", "torch_tensor", "micrograd_ko_compiled"}
    assert {job.tasks[0]["batch"] for job in jobs} == {32}


def test_quick_run_measures_the_cnn_step(quick_run: tuple[dict[str, Any], str]) -> None:
    results, _ = quick_run
    if importlib.util.find_spec("sklearn") is None:
        pytest.skip('scikit-learn is not installed (pip install "micrograd_ko[notebooks]")')
    w4 = results["w4"]["micrograd_ko"]
    assert w4["batch"] == plan.QUICK.digits_batch
    assert w4["gc_on_ms"] > 0 and w4["gc_off_ms"] > 0


def test_cnn_step_computes_the_same_losses_as_pytorch() -> None:
    pytest.importorskip("torch", reason="PyTorch is not installed (pip install 'micrograd_ko[bench]')")
    pytest.importorskip("sklearn", reason='scikit-learn is not installed (pip install "micrograd_ko[notebooks]")')
    from benchmarks.engines import ours, torch_tensor
    from benchmarks.problem import digits_problem

    problem = digits_problem(8)
    mine, theirs = ours.make_cnn_trainer(problem), torch_tensor.make_cnn_trainer(problem)
    steps = [(mine.step(k), theirs.step(k)) for k in range(4)]
    for (loss, accuracy), (torch_loss, torch_accuracy) in steps:
        assert loss == pytest.approx(torch_loss, rel=1e-12)
        assert accuracy == torch_accuracy
    assert steps[-1][0][0] < steps[0][0][0]  # the step trains: the loss on the batch falls


def test_lstm_step_runs_only_for_the_lstm_engines() -> None:
    jobs = plan.build_jobs(plan.FULL, list(ENGINES), workloads=("w5",))
    assert {job.engine for job in jobs} == {"micrograd_ko", "torch_tensor", "micrograd_ko_compiled"}
    assert {task["batch"] for job in jobs for task in job.tasks} == {8}
    assert {task["kind"] for job in jobs for task in job.tasks} == {"w5"}


def test_quick_run_measures_the_lstm_step(quick_run: tuple[dict[str, Any], str]) -> None:
    results, markdown = quick_run
    w5 = results["w5"]["micrograd_ko"]
    assert w5["batch"] == plan.QUICK.sequence_batch
    assert w5["gc_on_ms"] > 0 and w5["gc_off_ms"] > 0
    assert "## W5" in markdown


def test_lstm_step_computes_the_same_losses_as_pytorch() -> None:
    pytest.importorskip("torch", reason="PyTorch is not installed (pip install 'micrograd_ko[bench]')")
    from benchmarks.engines import ours, torch_tensor
    from benchmarks.problem import SEQUENCE_LENGTH, sequence_problem

    problem = sequence_problem(3)
    assert len(problem.inputs[0]) == SEQUENCE_LENGTH and len(problem.targets) == 3
    mine, theirs = ours.make_lstm_trainer(problem), torch_tensor.make_lstm_trainer(problem)
    losses = [(mine.step(k)[0], theirs.step(k)[0]) for k in range(3)]
    for loss, torch_loss in losses:
        assert loss == pytest.approx(torch_loss, rel=1e-12)
    assert losses[-1][0] < losses[0][0]  # the step trains: the loss on the batch falls


def test_unknown_engine_is_refused() -> None:
    assert runner.main(["--quick", "--engines", "no_such_engine"]) == 2


def test_compiled_cnn_and_lstm_steps_give_eager_losses() -> None:
    """W4 and W5 compiled (issue 13): the same loss as the eager adapter at every step, to 1e-12."""
    pytest.importorskip("sklearn", reason='scikit-learn is not installed (pip install "micrograd_ko[notebooks]")')
    from benchmarks.engines import compiled, ours
    from benchmarks.problem import digits_problem, sequence_problem

    digits, sequences = digits_problem(8), sequence_problem(3, 6)
    pairs = [
        (ours.make_cnn_trainer(digits), compiled.make_cnn_trainer(digits)),
        (ours.make_lstm_trainer(sequences), compiled.make_lstm_trainer(sequences)),
    ]
    for eager, fast in pairs:
        steps = [(eager.step(k), fast.step(k)) for k in range(3)]
        for (loss, accuracy), (compiled_loss, compiled_accuracy) in steps:
            assert compiled_loss == pytest.approx(loss, rel=1e-12)
            assert compiled_accuracy == accuracy
        assert steps[-1][1][0] < steps[0][1][0]  # the compiled step trains too


def test_the_scaling_table_runs_quickly_and_its_engines_agree(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scaling", "--quick", "--output", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((tmp_path / "scaling.json").read_text(encoding="utf-8"))
    assert "OPENBLAS_NUM_THREADS" in results["threads"]
    if importlib.util.find_spec("torch") is None:
        assert all(cell["status"] != "ok" for cell in results["cells"])  # PyTorch is one of its columns
        return
    assert [(c["batch"], c["width"]) for c in results["cells"]] == [(20, 4), (50, 8)]
    for cell in results["cells"]:
        assert cell["status"] == "ok" and cell["blas_threads"] == "1"
        assert set(cell["ms"]) == {"compiled", "torch", "numpy"} and min(cell["ms"].values()) > 0
        assert cell["compiled_over_torch"] == pytest.approx(cell["ms"]["compiled"] / cell["ms"]["torch"])
    assert [row["model"] for row in results["trace"]][-1] == "notebook 11's CNN (W4)"
    assert "| compiled ÷ PyTorch |" in (tmp_path / "scaling.md").read_text(encoding="utf-8")
