"""Turn the workers' raw records into results.json's summary and the markdown tables the README shows."""

from __future__ import annotations

import datetime
import statistics
from typing import Any

from benchmarks.plan import Config

Record = dict[str, Any]

SPEEDUP_TARGET = 6.0
"""W1 with GC off: micrograd's time per step over micrograd_ko's must reach this."""


def _ok(records: list[Record], engine: str, kind: str, **match: Any) -> list[Record]:
    return [
        r
        for r in records
        if r["engine"] == engine
        and r["task"]["kind"] == kind
        and r["status"] == "ok"
        and all(r["task"].get(k) == v for k, v in match.items())
    ]


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _w1_summary(records: list[Record], engine: str) -> Record:
    timing: Record = {}
    for gc in ("off", "on"):
        runs = _ok(records, engine, "w1", role="timing", gc=gc)
        steps = [s for r in runs for s in r["step_s"]]
        timing[f"gc_{gc}_ms"] = None if not steps else 1000 * statistics.median(steps)
        timing[f"gc_{gc}_steps_measured"] = len(steps)
        if gc == "on" and steps:
            timing["gc_on_share_in_collector"] = sum(g for r in runs for g in r["gc_s"]) / sum(steps)
        if gc == "off" and steps:
            timing["collect_between_steps_ms"] = 1000 * statistics.median(c for r in runs for c in r["collect_s"])
            timing["cyclic_garbage_per_step"] = statistics.median(n for r in runs for n in r["cyclic_garbage"])
    train = _ok(records, engine, "w1", role="train")
    if train:
        run = train[0]
        timing["train"] = {
            "steps": len(run["losses"]),
            "losses": run["losses"],
            "final_loss": run["final_loss"],
            "final_accuracy": run["final_accuracy"],
            "median_step_ms": 1000 * statistics.median(run["step_s"]),
        }
    return timing


def _max_loss_difference(w1: dict[str, Record], engine: str, reference: str) -> float | None:
    mine, theirs = w1.get(engine, {}).get("train"), w1.get(reference, {}).get("train")
    if not mine or not theirs:
        return None
    return max(abs(a - b) for a, b in zip(mine["losses"], theirs["losses"]))


def _speedups(w1: dict[str, Record]) -> Record:
    ours = w1.get("micrograd_ko", {})
    speedups: Record = {}
    for engine, summary in w1.items():
        if engine == "micrograd_ko":
            continue
        for gc in ("off", "on"):
            mine, theirs = ours.get(f"gc_{gc}_ms"), summary.get(f"gc_{gc}_ms")
            if mine and theirs:
                speedups[f"{engine}_gc_{gc}"] = theirs / mine
    return speedups


def _graph_results(records: list[Record], engine: str, kind: str) -> list[Record]:
    rows = []
    for r in records:
        if r["engine"] != engine or r["task"]["kind"] != kind:
            continue
        row = {key: r["task"][key] for key in ("n", "gc", "nary") if key in r["task"]}
        row["status"] = r["status"]
        if r["status"] == "ok":
            row.update({key: r[key] for key in ("forward_s", "backward_s", "total_s", "grad", "grads_identical")})
            if "expected_grad" in r:
                row["expected_grad"] = r["expected_grad"]
        else:
            row["message"] = r.get("message", "")
        rows.append(row)
    return rows


def _cnn_summary(records: list[Record], engine: str, kind: str = "w4") -> Record:
    summary: Record = {}
    for gc in ("off", "on"):
        runs = _ok(records, engine, kind, gc=gc)
        steps = [s for r in runs for s in r["step_s"]]
        if steps:
            summary[f"gc_{gc}_ms"] = 1000 * statistics.median(steps)
            summary[f"gc_{gc}_steps_measured"] = len(steps)
            summary["batch"] = runs[0]["batch"]
            summary[f"gc_{gc}_losses"] = runs[0]["losses"]
    return summary


def _cnn_ratios(w4: dict[str, Record]) -> Record:
    """Per-step time of micrograd_ko over PyTorch's, and the largest loss difference between them."""
    ours, torch = w4.get("micrograd_ko", {}), w4.get("torch_tensor", {})
    ratios: Record = {}
    for gc in ("off", "on"):
        if ours.get(f"gc_{gc}_ms") and torch.get(f"gc_{gc}_ms"):
            ratios[f"gc_{gc}"] = ours[f"gc_{gc}_ms"] / torch[f"gc_{gc}_ms"]
        mine, theirs = ours.get(f"gc_{gc}_losses"), torch.get(f"gc_{gc}_losses")
        if mine and theirs:
            ratios[f"max_abs_loss_difference_gc_{gc}"] = max(abs(a - b) for a, b in zip(mine, theirs))
    # compiled mode (issue 13): its time over PyTorch's and over eager micrograd_ko's, and its losses against eager's
    compiled = w4.get("micrograd_ko_compiled", {})
    for gc in ("off", "on"):
        ms = compiled.get(f"gc_{gc}_ms")
        if ms and torch.get(f"gc_{gc}_ms"):
            ratios[f"compiled_gc_{gc}"] = ms / torch[f"gc_{gc}_ms"]
        if ms and ours.get(f"gc_{gc}_ms"):
            ratios[f"eager_over_compiled_gc_{gc}"] = ours[f"gc_{gc}_ms"] / ms
        mine, eager = compiled.get(f"gc_{gc}_losses"), ours.get(f"gc_{gc}_losses")
        if mine and eager:
            ratios[f"compiled_max_abs_loss_difference_gc_{gc}"] = max(abs(a - b) for a, b in zip(mine, eager))
    return ratios


def _memory(records: list[Record], engine: str) -> Record:
    memory: Record = {}
    graph = _ok(records, engine, "graph")
    if graph:
        memory["graph"] = {k: v for k, v in graph[0].items() if k not in ("engine", "task", "status", "wall_s")}
    for gc in ("off", "on"):
        runs = _ok(records, engine, "memory", gc=gc)
        if runs:
            memory[f"gc_{gc}"] = {k: v for k, v in runs[0].items() if k not in ("engine", "task", "status", "wall_s")}
    return memory


def summarise(
    records: list[Record],
    config: Config,
    requested: list[str],
    versions: dict[str, Record],
    machine: Record,
    started: datetime.datetime,
) -> Record:
    """results.json: where and when, versions, per-workload summaries, the target check, and every raw record."""
    present = [e for e in requested if versions[e]["available"]]
    w1 = {e: _w1_summary(records, e) for e in present}
    for engine in present:
        if "train" in w1[engine]:
            for reference in ("micrograd", "micrograd_ko"):
                if reference != engine:
                    w1[engine]["train"][f"max_abs_loss_difference_vs_{reference}"] = _max_loss_difference(
                        w1, engine, reference
                    )
    speedups = _speedups(w1)
    measured = speedups.get("micrograd_gc_off")
    return {
        "generated": started.isoformat(timespec="seconds"),
        "configuration": config.name,
        "machine": machine,
        "engines": {e: versions[e] for e in requested},
        "w1": w1,
        "speedup_of_micrograd_ko": speedups,
        "target": {
            "what": "W1 ms per step with GC off: micrograd / micrograd_ko, measured in the same run",
            "required": SPEEDUP_TARGET,
            "measured": measured,
            "met": None if measured is None else measured >= SPEEDUP_TARGET,
        },
        "w2": {e: _graph_results(records, e, "w2") for e in present},
        "w3": {e: _graph_results(records, e, "w3") for e in present},
        "memory": {e: _memory(records, e) for e in present},
        "w4": (w4 := {e: summary for e in present if (summary := _cnn_summary(records, e))}),
        "w4_time_over_torch": _cnn_ratios(w4),
        "w5": (w5 := {e: summary for e in present if (summary := _cnn_summary(records, e, "w5"))}),
        "w5_time_over_torch": _cnn_ratios(w5),
        "failures": [
            {"engine": r["engine"], "task": r["task"], "status": r["status"], "message": r.get("message", "")}
            for r in records
            if r["status"] not in ("ok", "unsupported")
        ],
        "records": records,
    }


# ---- markdown ----------------------------------------------------------------------------------


def _ms(seconds_or_ms: float | None, already_ms: bool = False) -> str:
    if seconds_or_ms is None:
        return "–"
    ms = seconds_or_ms if already_ms else 1000 * seconds_or_ms
    if ms >= 100:
        return f"{ms:,.0f}"
    if ms >= 10:
        return f"{ms:.1f}"
    return f"{ms:.2f}"


def _mib(n: float | None) -> str:
    return "–" if n is None else f"{n / 2**20:,.1f} MiB"


def _ratio(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.0f}×" if x >= 10 else (f"{x:.1f}×" if x >= 1 else f"{x:.2f}×")


def _header(results: Record) -> list[str]:
    m = results["machine"]
    versions = ", ".join(
        f"{e} {info['version']}" if info["available"] else f"{e} absent" for e, info in results["engines"].items()
    )
    target = results["target"]
    verdict = "–" if target["met"] is None else ("met" if target["met"] else "**not met**")
    return [
        f"Measured {results['generated']} ({results['configuration']} configuration) on {m['cpu']}, "
        f"{m['cores']} cores, {m['implementation']} {m['python']}. Engines: {versions}.",
        "",
        f"Target: W1 with GC off, micrograd_ko {_ratio(target['measured'])} faster than micrograd "
        f"in the same run (required ≥ {target['required']:.0f}×): {verdict}.",
        "",
    ]


def _w1_table(results: Record) -> list[str]:
    lines = [
        "| engine | ms/step GC on | ms/step GC off | time ÷ micrograd_ko's (on / off) | collector's share, GC on "
        "| cyclic garbage per step | max Δloss vs micrograd | accuracy after training |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for engine, s in results["w1"].items():
        on = results["speedup_of_micrograd_ko"].get(f"{engine}_gc_on")
        off = results["speedup_of_micrograd_ko"].get(f"{engine}_gc_off")
        faster = "–" if engine == "micrograd_ko" else f"{_ratio(on)} / {_ratio(off)}"
        share = s.get("gc_on_share_in_collector")
        garbage = s.get("cyclic_garbage_per_step")
        train = s.get("train", {})
        diff = train.get("max_abs_loss_difference_vs_micrograd")
        accuracy = train.get("final_accuracy")
        trained = "–" if accuracy is None else f"{accuracy:.0%} ({train['steps']} steps)"
        lines.append(
            f"| {engine} | {_ms(s.get('gc_on_ms'), True)} | {_ms(s.get('gc_off_ms'), True)} | {faster} "
            f"| {'–' if share is None else f'{share:.0%}'} | {'–' if garbage is None else f'{garbage:,.0f}'} "
            f"| {'–' if diff is None else f'{diff:.1e}'} "
            f"| {trained} |"
        )
    return lines


def _cell(row: Record | None) -> str:
    if row is None:
        return "–"
    if row["status"] == "ok":
        return _ms(row["total_s"])
    return row["status"]


def _chain_table(results: Record) -> list[str]:
    lengths = sorted({row["n"] for rows in results["w2"].values() for row in rows})
    lines = [
        "| engine | GC | " + " | ".join(f"N = {n:,}" for n in lengths) + " |",
        "|---|---|" + "---:|" * len(lengths),
    ]
    for engine, rows in results["w2"].items():
        for gc in ("on", "off"):
            by_n = {row["n"]: row for row in rows if row["gc"] == gc}
            if by_n:
                lines.append(f"| {engine} | {gc} | " + " | ".join(_cell(by_n.get(n)) for n in lengths) + " |")
    return lines


def _wide_table(results: Record) -> list[str]:
    lines = ["| engine | GC | Python sum() | n-ary sum |", "|---|---|---:|---:|"]
    for engine, rows in results["w3"].items():
        for gc in ("on", "off"):
            by_variant = {row["nary"]: row for row in rows if row["gc"] == gc}
            if by_variant:
                cells = [_cell(by_variant.get(False)), _cell(by_variant.get(True))]
                lines.append(f"| {engine} | {gc} | " + " | ".join(cells) + " |")
    return lines


def _memory_table(results: Record) -> list[str]:
    lines = [
        "| engine | nodes in the W1 graph | bytes per node | peak RSS, one step "
        "| RSS growth, GC off | RSS growth, GC on |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for engine, m in results["memory"].items():
        graph = m.get("graph")
        nodes = "–" if graph is None else f"{graph['nodes']:,}"
        per_node = "–" if graph is None else f"{graph['bytes_per_node']:,.0f} ({graph['measured_with']})"
        off, on = m.get("gc_off"), m.get("gc_on")
        peak = "–" if off is None else f"{_mib(off['peak_rss'])} (+{_mib(off['first_step_peak_increase'])})"

        def growth(run: Record | None) -> str:
            return "–" if run is None else f"{_mib(run['rss_growth'])} / {run['growth_steps']} steps"

        lines.append(f"| {engine} | {nodes} | {per_node} | {peak} | {growth(off)} | {growth(on)} |")
    return lines


def _task_name(task: Record) -> str:
    gc = f"GC {task['gc']}"
    if task["kind"] == "w2":
        return f"W2 N = {task['n']:,}, {gc}"
    if task["kind"] == "w4":
        return f"W4 CNN step, batch {task['batch']}, {gc}"
    if task["kind"] == "w5":
        return f"W5 LSTM step, batch {task['batch']}, {gc}"
    if task["kind"] == "w3":
        return f"W3 {'n-ary sum' if task['nary'] else 'Python sum()'} of {task['n']:,}, {gc}"
    return f"{task['kind']}, {gc}" if "gc" in task else task["kind"]


def _cnn_table(results: Record, kind: str = "w4") -> list[str]:
    w4, ratios = results.get(kind, {}), results.get(f"{kind}_time_over_torch", {})
    lines = [
        "| engine | batch | ms/step GC on | ms/step GC off | time ÷ PyTorch's (on / off) |",
        "|---|---:|---:|---:|---:|",
    ]
    for engine, s in w4.items():
        prefix = {"micrograd_ko": "", "micrograd_ko_compiled": "compiled_"}.get(engine)
        ratio = (
            f"{_ratio(ratios.get(f'{prefix}gc_on'))} / {_ratio(ratios.get(f'{prefix}gc_off'))}"
            if prefix is not None
            else "–"
        )
        lines.append(
            f"| {engine} | {s.get('batch', '–')} | {_ms(s.get('gc_on_ms'), True)} | {_ms(s.get('gc_off_ms'), True)} "
            f"| {ratio} |"
        )
    difference = ratios.get("max_abs_loss_difference_gc_on")
    if difference is not None:
        lines += ["", f"Largest loss difference between the two engines over the timed steps: {difference:.1e}."]
    speedup = [ratios.get(f"eager_over_compiled_gc_{gc}") for gc in ("on", "off")]
    compiled_difference = ratios.get("compiled_max_abs_loss_difference_gc_on")
    if any(speedup) or compiled_difference is not None:
        lines += [
            "",
            f"Compiled mode: eager micrograd_ko's time ÷ compiled's {_ratio(speedup[0])} / {_ratio(speedup[1])} "
            "(GC on / off); largest loss difference from eager "
            + ("–" if compiled_difference is None else f"{compiled_difference:.1e}")
            + ".",
        ]
    return lines


def markdown(results: Record) -> str:
    """The tables of results.md (and of the README's benchmark section)."""
    lines = ["# Benchmarks", "", *_header(results)]
    lines += [
        "## W1: the moons step (MLP(2, [16, 16, 1]), hinge + L2, full-batch SGD with momentum)",
        "",
        "Median ms per step over the interleaved timing rounds. Cyclic garbage: objects only the cyclic",
        "collector could free after each step. Δloss: largest difference from micrograd's loss over the training run.",
        "",
        *_w1_table(results),
        "",
    ]
    lines += [
        "## W2: deep chain y ← tanh(0.0001 + 1.0001·y), ms for forward + backward",
        "",
        *_chain_table(results),
        "",
    ]
    lines += ["## W3: wide sum of products, ms for forward + backward", "", *_wide_table(results), ""]
    lines += ["## Memory", "", *_memory_table(results), ""]
    if results.get("w4"):
        lines += [
            "## W4: one CNN training step on a batch of digits (Conv2d 1→4 3×3, ReLU, MaxPool2d 2, Linear 36→10)",
            "",
            "Median ms per step, eager; PyTorch runs the same weights as batched float64 tensors on one thread.",
            "",
            *_cnn_table(results),
            "",
        ]
    if results.get("w5"):
        lines += [
            "## W5: one LSTM training step (LSTM 1→16, 20 time steps, batch 8 sine windows, Linear 16→1, MSE)",
            "",
            "Median ms per step, eager; PyTorch runs the same weights as batched float64 tensors on one thread.",
            "",
            *_cnn_table(results, "w5"),
            "",
        ]
    failures = results["failures"]
    if failures:
        lines += ["## Failures", ""]
        lines += [f"- {f['engine']}, {_task_name(f['task'])}: {f['status']}: {f['message'][:120]}" for f in failures]
        lines.append("")
    return "\n".join(lines)
