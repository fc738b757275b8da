"""The widget's Python side without a browser: the page's messages become session actions and a new state."""

from __future__ import annotations

import base64
import json

import pytest

pytest.importorskip("anywidget", reason="anywidget is not installed (pip install -e '.[playground]')")

from micrograd_ko.playground import Playground, Setup


def test_actions_drive_the_session_and_the_state_follows() -> None:
    w = Playground(Setup(n=40))
    state = w.state
    assert state["step"] == 0 and len(state["points"]) == 40 and not state["playing"]
    assert len(base64.b64decode(state["maps_b64"])) == (4 + 4 + 1) * w.session.grid**2
    w.handle({"action": "tick"})  # not playing: a late tick does nothing
    assert w.state["step"] == 0
    w.handle({"action": "play"})
    for _ in range(3):
        w.handle({"action": "tick"})
    assert w.state["step"] == 3 and w.state["playing"]
    w.handle({"action": "step"})  # one step pauses
    assert w.state["step"] == 4 and not w.state["playing"]
    w.handle({"action": "add_point", "x1": 0.1, "x2": 0.2, "label": -1})
    assert len(w.state["points"]) == 41 and w.state["labels"][-1] == -1
    w.handle({"action": "configure", "changes": {"layers": [3]}})
    assert w.state["sizes"] == [2, 3, 1] and w.state["step"] == 0
    w.handle({"action": "reset"})
    assert w.state["error"] == ""


def test_a_refused_action_is_shown_and_changes_nothing() -> None:
    w = Playground()
    w.handle({"action": "step"})
    before = {k: v for k, v in w.state.items() if k != "error"}
    for message in (
        {"action": "configure", "changes": {"layers": [0]}},
        {"action": "configure", "changes": {"lr": -1}},
        {"action": "configure", "changes": {"dataset": "iris"}},
        {"action": "add_point", "x1": 9, "x2": 0},
        {"action": "load", "text": "mgk1.garbage"},
        {"action": "fly"},
    ):
        w.handle(message)
        assert w.state["error"], message
        assert {k: v for k, v in w.state.items() if k != "error"} == before


def test_a_preset_and_a_setup_text_start_the_same_setup() -> None:
    a = Playground(preset="spiral_few_neurons")
    b = Playground(a.session.setup.to_text())
    assert a.state["setup"] == b.state["setup"] and "dataset" in a.state["setup"]["hidden"]


def test_graph_of_a_point_and_a_neuron(tmp_path) -> None:  # type: ignore[no-untyped-def]
    w = Playground()
    w.handle({"action": "graph", "index": 2, "layer": 1, "neuron": 0})
    assert w.state["error"] == "" and w.graph
    w.handle({"action": "step"})
    assert w.graph  # the same run: the graph stays
    w.handle({"action": "reset"})
    assert w.graph == ""  # a new run: the old sample's graph is gone
    assert w.save(tmp_path / "run.html").exists()


def test_a_diverging_run_pauses_with_a_message() -> None:
    w = Playground(Setup(activation="linear", layers=(8, 8, 8, 8, 8, 8), lr=10.0, batch_size=1))
    w.handle({"action": "play"})
    for _ in range(50):
        w.handle({"action": "tick"})
    assert w.state["diverged"] and not w.state["playing"]
    assert "the loss diverged" in w.state["error"]
    json.dumps(w.state, allow_nan=False)  # what the comm sends is valid JSON
