"""What the page draws, as plain data: one session's current state for the live widget.

`live_state(session)` is the dict the widget's `state` traitlet carries to the
browser: the network's sizes and weights, the next update's gradient, the
losses and their history, the points, and every neuron's output over the grid
(evaluated by the compiled surface program) packed as bytes, base64-encoded.
A map value v is sent as round((tanh(v) + 1) · 127.5) (the output score as
tanh(score / 2) = 2·sigmoid(score) - 1), the same code the offline page computes.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

from micrograd_ko.playground.points import FloatArray
from micrograd_ko.playground.recording import finite_or_none
from micrograd_ko.playground.session import Session

__all__ = ["HISTORY_LIMIT", "encode_maps", "live_state"]

HISTORY_LIMIT = 400
"""At most this many (step, train, test) rows of the loss history are sent; longer runs are thinned evenly."""


def encode_maps(maps: FloatArray) -> str:
    """(neurons, cells) outputs as base64 bytes, one byte per cell: the last row (the output) as tanh(v / 2)."""
    finite = np.nan_to_num(maps, nan=0.0)  # a diverged run: inf stays at the colour's end, NaN shows as 0
    scaled = np.tanh(finite)
    scaled[-1] = np.tanh(finite[-1] / 2.0)
    codes = np.round((scaled + 1.0) * 127.5).astype(np.uint8)
    return base64.b64encode(codes.tobytes()).decode("ascii")


def live_state(session: Session, **extra: Any) -> dict[str, Any]:
    """The session's current state as JSON-able data (plus `extra` keys, such as error)."""
    frame = session.frame
    points = session.points
    frames = session.recording.frames
    if len(frames) > HISTORY_LIMIT:
        picks = np.linspace(0, len(frames) - 1, HISTORY_LIMIT).round().astype(int)
        frames = [frames[k] for k in picks]
    setup = session.setup
    state: dict[str, Any] = {
        "sizes": session.sizes(),
        "activation": setup.activation,
        "weights": finite_or_none(frame.weights),
        "grads": finite_or_none(frame.grads),
        "step": frame.step,
        "train_loss": finite_or_none([frame.train_loss])[0],
        "test_loss": finite_or_none([frame.test_loss])[0],
        "lr": setup.lr,
        "history": [[f.step, *finite_or_none((f.train_loss, f.test_loss))] for f in frames],
        "points": np.round(points.X, 5).tolist(),
        "labels": [int(v) for v in points.y.tolist()],
        "train": [bool(t) for t in points.train.tolist()],
        "grid": session.grid,
        "maps_b64": encode_maps(session.maps()),
        "setup": setup.to_dict(),
        "setup_text": setup.to_text(),
        "playing": session.playing,
        "diverged": session.diverged,
        "error": "",
    }
    state.update(extra)
    return state
