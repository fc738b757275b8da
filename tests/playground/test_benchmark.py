"""The playground's benchmark runs (its Python side) and writes its numbers; speeds are reported, not asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_python_side_of_the_benchmark_runs(tmp_path: Path) -> None:
    pytest.importorskip("anywidget", reason="anywidget is not installed (pip install -e '.[playground]')")
    output = tmp_path / "playground.json"
    command = [sys.executable, "-m", "benchmarks.playground", "--no-browser", "--output", str(output)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(output.read_text(encoding="utf-8"))
    assert results["python_side"]["ticks"] == 300 and results["python_side"]["steps_per_second"] > 0
    assert "offline_page" not in results
