"""The live playground widget for Jupyter, built on anywidget; its JavaScript is `playground.js`.

Python trains (a `Session`) and sends its state through the traitlet
`state` (see `live_state`), and a chosen sample's graph and backprop
step-through as HTML through `graph`; the page sends the learner's actions
back as messages, `{"action": "step"}`, `{"action": "add_point", "x1": .., "x2": ..,
"label": 1}`, ...  `handle(message)` applies one, so the same actions work
from Python (`w.handle({"action": "reset"})`) and tests need no browser.
While playing, the page sends a `tick` each time a new state has arrived
(two at the start, so one is always in flight while the page draws) and
each tick takes one step: training runs as fast as the page keeps up, the
surface is refreshed every step, and the kernel stays free between ticks.
A tick that arrives after a pause does nothing.

A refused action (a zero-neuron layer, a negative learning rate, a corrupt
setup text) changes nothing and shows its message under the plot; a run
whose loss diverges (inf or NaN) pauses and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

try:
    import anywidget
    import traitlets
except ImportError as error:  # pragma: no cover - depends on the installation
    raise ImportError(
        'micrograd_ko.playground.Playground needs anywidget: pip install "micrograd_ko[playground]"'
    ) from error

from micrograd_ko.playground.page import ESM_PATH, save_page
from micrograd_ko.playground.presets import preset as preset_setup
from micrograd_ko.playground.session import Session
from micrograd_ko.playground.setup import Setup
from micrograd_ko.playground.state import live_state

__all__ = ["ACTIONS", "Playground"]


class Playground(anywidget.AnyWidget):
    """The playground in a notebook, live: data, surface, network diagram, losses and controls.

    Make one with `Playground()`, `Playground(preset="spiral_few_neurons")`,
    `Playground(setup_text)` or `Playground(Setup(...))`.  `session` is the
    training state machine; `save(path)` writes the run so far as one offline page.
    """

    _esm = ESM_PATH
    state = traitlets.Dict().tag(sync=True)
    graph = traitlets.Unicode("").tag(sync=True)

    def __init__(self, setup: Setup | str | None = None, *, preset: str | None = None, **kwargs: Any) -> None:
        """Start at step 0 of `setup` (a Setup or a setup text), or of the lesson `preset`."""
        if preset is not None and setup is not None:
            raise TypeError(f"Playground: setup must be None when a preset is given, got {setup!r}")
        chosen = Setup.from_text(setup) if isinstance(setup, str) else setup
        if preset is not None:
            chosen = preset_setup(preset)
        self.session = Session(chosen)
        super().__init__(**kwargs)
        self.on_msg(self._on_message)
        self._publish()

    def handle(self, message: Mapping[str, Any]) -> None:
        """Apply one of the page's actions (see `ACTIONS`), then send the new state; errors are shown, not raised."""
        error = ""
        try:
            action = message.get("action") if isinstance(message, Mapping) else None
            if action not in ACTIONS:
                raise ValueError(f"Playground.handle: action must be one of {', '.join(ACTIONS)}, got {action!r}")
            if action == "tick" and not self.session.playing:
                return
            recording = self.session.recording
            ACTIONS[action](self, message)
            if self.session.diverged:
                self.session.pause()
                raise ValueError(
                    f"Playground: the loss diverged (inf or NaN) at step {self.session.steps}: "
                    "lower the learning rate (학습률을 낮추세요), then reset"
                )
            if self.session.recording is not recording:  # the run started again: an old sample's graph is gone
                self.graph = ""
        except (TypeError, ValueError) as refused:
            error = str(refused)
        self._publish(error)

    def save(self, path: str | Path) -> Path:
        """Write the recorded run as one offline HTML page (`save_page`)."""
        return save_page(self.session, path)

    def _on_message(self, _widget: object, content: Any, _buffers: object) -> None:
        self.handle(content)

    def _publish(self, error: str = "") -> None:
        self.state = live_state(self.session, error=error)

    def _graph_of(self, message: Mapping[str, Any]) -> None:
        from micrograd_ko.viz import draw, step_through

        node, loss = self.session.sample_graph(_arg(message, "index"), _arg(message, "layer"), _arg(message, "neuron"))
        try:
            picture = draw(node).pipe(format="svg", encoding="utf-8")
            steps = step_through(loss).html()
        except RuntimeError as missing:  # Graphviz's dot is not installed
            self.graph = f"<p>{missing}</p>"
            return
        title = f"<h3>점 #{message.get('index')}의 계산 그래프 (computation graph): {node.label}</h3>"
        self.graph = f"{title}{picture}<h3>역전파 한 단계씩 (backprop step-through)</h3>{steps}"


def _configure(widget: Playground, message: Mapping[str, Any]) -> None:
    changes = message.get("changes")
    if not isinstance(changes, Mapping):
        raise TypeError(f"Playground.handle: changes must be a dict of settings, got {changes!r}")
    if "layers" in changes and isinstance(changes["layers"], list):
        changes = {**changes, "layers": tuple(changes["layers"])}
    widget.session.configure(**changes)


def _arg(message: Mapping[str, Any], name: str, default: Any = None) -> Any:
    """A message's argument, checked by the session method it goes to (a missing one is None)."""
    return message.get(name, default)


def _step(widget: Playground, _message: Mapping[str, Any]) -> None:
    widget.session.pause()
    widget.session.step()


ACTIONS: dict[str, Callable[[Playground, Mapping[str, Any]], object]] = {
    "play": lambda w, m: w.session.play(),
    "pause": lambda w, m: w.session.pause(),
    "step": _step,
    "tick": lambda w, m: w.session.step(),
    "reset": lambda w, m: w.session.reset(),
    "add_point": lambda w, m: w.session.add_point(_arg(m, "x1"), _arg(m, "x2"), _arg(m, "label", 1)),
    "configure": _configure,
    "load": lambda w, m: w.session.load(_arg(m, "text")),
    "graph": lambda w, m: w._graph_of(m),
}
"""The page's actions by name."""
