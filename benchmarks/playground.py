"""The playground's speed: live steps per second with the surface refreshed every step, and the page's frames.

    python -m benchmarks.playground                 # everything (needs Chromium, Playwright, JupyterLab, anywidget)
    python -m benchmarks.playground --no-browser    # the Python side only

Measured on the default setup (moons, 200 points, 2-4-4-1 tanh, SGD, batch 10, a 32 x 32 surface):

1. **Python side**: one tick of the widget while playing (`Playground.handle({"action": "tick"})`): an
   optimizer step, the losses, the next batch's gradient, every neuron's map on the grid (the compiled surface
   program) and the new state packed, plus `json.dumps` of it (what the comm then sends).
2. **Live in the browser**: a JupyterLab server on 127.0.0.1 and headless Chromium; the widget plays for a few
   seconds and the step count it shows is read: steps per second through the whole loop (kernel, comm,
   drawing), and the longest gap between animation frames while it plays.
3. **The offline page**: the default 300-step run saved with `save_page`: its size, the time to draw one step
   (the page recomputes the surface and the maps from the weights) and the longest gap between animation
   frames while its play button runs through the steps.

Writes benchmarks/playground.json (or --output) and prints a small table.  Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--no-first-run"]
FRAME_PROBE = """() => { window.__gaps = []; let last = performance.now();
  const tick = (t) => { window.__gaps.push(t - last); last = t;
    if (window.__gaps.length < 100000) requestAnimationFrame(tick); };
  requestAnimationFrame(tick); }"""
TO_START = """() => { const s = document.querySelector('.mgk-slider'); s.value = '0';
  s.dispatchEvent(new Event('input')); }"""


def frame_gaps(gaps: list[float]) -> dict[str, Any]:
    """The gaps between animation frames: the longest, the 99th percentile, how many passed 100 ms."""
    ordered = sorted(gaps[1:])
    return {
        "frames_seen": len(ordered),
        "frame_gap_p99_ms": ordered[int(0.99 * (len(ordered) - 1))],
        "longest_frame_gap_ms": ordered[-1],
        "frame_gaps_over_100_ms": sum(g > 100 for g in ordered),
    }


def python_side(ticks: int = 300) -> dict[str, Any]:
    """Steps per second of the widget's tick, the state's JSON included."""
    from micrograd_ko.playground import Playground

    widget = Playground()
    widget.handle({"action": "play"})
    for _ in range(10):
        widget.handle({"action": "tick"})
    times = []
    size = 0
    for _ in range(ticks):
        start = time.perf_counter()
        widget.handle({"action": "tick"})
        size = len(json.dumps(widget.state))
        times.append(time.perf_counter() - start)
    times.sort()
    median = times[len(times) // 2]
    return {"ticks": ticks, "median_ms": median * 1e3, "steps_per_second": 1.0 / median, "state_bytes": size}


def offline_page(browser: Any, folder: Path) -> dict[str, Any]:
    """The saved default run: size, the time to draw one step, the longest frame gap while playing."""
    from micrograd_ko.playground import Session, save_page

    session = Session()
    session.step(300)
    path = save_page(session, folder / "run.html")
    page = browser.new_page()
    page.goto(path.as_uri())
    page.wait_for_selector(".mgk-neuron")
    draw_ms = page.evaluate(
        """() => { const s = document.querySelector('.mgk-slider'); const times = [];
          for (let k = 0; k <= 300; k += 10) { const t = performance.now(); s.value = String(k);
            s.dispatchEvent(new Event('input')); times.push(performance.now() - t); }
          times.sort((a, b) => a - b); return [times[Math.floor(times.length / 2)], times[times.length - 1]]; }"""
    )
    page.evaluate(TO_START)
    page.evaluate(FRAME_PROBE)
    page.click(".mgk-play-button")
    page.wait_for_function("document.querySelector('.mgk-play').dataset.frame === '300'", timeout=60_000)
    gaps = page.evaluate("window.__gaps")
    page.close()
    return {
        "bytes": path.stat().st_size,
        "frames": len(session.recording),
        "draw_step_median_ms": draw_ms[0],
        "draw_step_max_ms": draw_ms[1],
        **frame_gaps(gaps),
    }


def live_widget(browser: Any, folder: Path, seconds: float = 5.0) -> dict[str, Any]:
    """Steps per second of the widget playing in JupyterLab, and the longest frame gap meanwhile."""
    cell = "from micrograd_ko.playground import Playground\nw = Playground()\nw"
    notebook = {
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": cell}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / "bench.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = secrets.token_hex(16)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JUPYTER_CONFIG_DIR": str(folder / "config"),
           "JUPYTER_RUNTIME_DIR": str(folder / "runtime"), "IPYTHONDIR": str(folder / "ipython")}  # fmt: skip
    command = [
        sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.token={token}", "--allow-root", f"--notebook-dir={folder}", "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    quiet = subprocess.DEVNULL
    server = subprocess.Popen(command, env=env, stdout=quiet, stderr=quiet, start_new_session=True)
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/lab/tree/bench.ipynb?token={token}")
        page.locator(".jp-Cell .jp-InputArea-editor").first.click(timeout=60_000)
        page.keyboard.press("Shift+Enter")
        page.wait_for_selector(".mgk-play .mgk-neuron", timeout=60_000)
        page.click(".mgk-play-button")
        page.wait_for_function("+document.querySelector('.mgk-play').dataset.step >= 5", timeout=30_000)
        page.evaluate(FRAME_PROBE)
        step = lambda: int(page.locator(".mgk-play").get_attribute("data-step") or 0)  # noqa: E731
        first, start = step(), time.perf_counter()
        page.wait_for_timeout(seconds * 1000)
        last, elapsed = step(), time.perf_counter() - start
        gaps = page.evaluate("window.__gaps")
        page.click(".mgk-play-button")
        page.close()
        return {"seconds": elapsed, "steps": last - first, "steps_per_second": (last - first) / elapsed,
                **frame_gaps(gaps)}  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)


def main(argv: list[str] | None = None) -> int:
    """Run the measurements, print them and write the JSON."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.playground", description=__doc__.splitlines()[0])
    parser.add_argument("--no-browser", action="store_true", help="measure the Python side only")
    parser.add_argument("--output", default=str(Path(__file__).with_name("playground.json")))
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"machine": {"cores": os.cpu_count(), "python": platform.python_version()}}
    results["python_side"] = python_side()
    if not args.no_browser and Path(CHROMIUM).exists():
        from playwright.sync_api import sync_playwright

        with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            results["offline_page"] = offline_page(browser, Path(folder))
            results["live_widget"] = live_widget(browser, Path(folder))
            browser.close()
    Path(args.output).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for part, numbers in results.items():
        print(part, json.dumps(numbers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
