"""놀이터 (playground): watch a network learn, live in Jupyter or as one offline page.

The room, one job per file, in reading order:

* `setup`: `Setup`, every setting of a run, and its one-line text (`to_text` / `from_text`);
* `points`: the datasets fitted into the plot, train and test told apart;
* `recording`: `Frame` and `Recording`, one frame (weights, gradients, losses) per step;
* `session`: `Session`, the training state machine (step, play, pause, reset, add a point, configure);
* `state`: `live_state`, what the widget sends the page after every action;
* `page`: `save_page`, the recorded run as one self-contained HTML file;
* `presets`: teachers' lessons, settings fixed and controls hidden;
* `widget`: `Playground`, the anywidget widget (needs the `playground` extra);
* `playground.js`: the page itself, a plain ES module shared by the widget and the saved page.

    from micrograd_ko.playground import Playground, Session, save_page
    w = Playground()                    # in a notebook: the live widget
    s = Session(); s.step(300); save_page(s, "run.html")

`Playground` is imported on first use, so the rest works without anywidget.
"""

from __future__ import annotations

from typing import Any

from micrograd_ko.playground.page import page_html, save_page
from micrograd_ko.playground.points import Points, make_points
from micrograd_ko.playground.presets import PRESETS, preset
from micrograd_ko.playground.recording import Frame, Recording
from micrograd_ko.playground.session import GRID, RESTARTING, Session
from micrograd_ko.playground.setup import DATASETS, OPTIMIZERS, Setup
from micrograd_ko.playground.state import live_state

__all__ = [
    "DATASETS",
    "GRID",
    "OPTIMIZERS",
    "PRESETS",
    "RESTARTING",
    "Frame",
    "Playground",
    "Points",
    "Recording",
    "Session",
    "Setup",
    "live_state",
    "make_points",
    "page_html",
    "preset",
    "save_page",
]


def __getattr__(name: str) -> Any:
    """`Playground` on first use (it needs anywidget; without it the ImportError names the extra)."""
    if name == "Playground":
        from micrograd_ko.playground.widget import Playground

        return Playground
    raise AttributeError(f"module 'micrograd_ko.playground' has no attribute {name!r}")
