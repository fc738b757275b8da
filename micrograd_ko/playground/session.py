"""The playground's training state machine: a setup, a network, its optimizer, and every step recorded.

`Session(setup)` builds the points and the network from the setup's seed and
stands at step 0.  Its actions are the learner's:

* `step(count)` takes optimizer steps; `play()` / `pause()` only set the
  flag the widget's loop reads (each tick of a playing widget calls `step`);
* `reset()` rewinds: the same seed gives the same initial weights, the same
  batches and so the same losses, bit for bit;
* `add_point(x1, x2, label)` adds a training point and keeps training;
* `configure(**changes)` changes settings.  The learning rate, optimizer,
  L2 and batch size apply from the next step; a change of the data or of
  the network (dataset, n, noise, layers, activation, seed) starts the run
  again from step 0 with the new setup;
* `load(text)` starts from a setup text (`Setup.to_text`).

Every action checks its input first and raises before anything changes, so a
refused action leaves the session exactly as it was.

How one step runs (compiled mode, `micrograd_ko.compiler`): the per-sample
loss ``softplus(-y · score)`` (logistic loss with labels ±1) is traced once
per network; at step t the gradient of batch t at the weights w_t is already
known (it is what the diagram's edges show), the optimizer turns it into
w_{t+1}, then the losses, the next batch's gradient and the surface are
computed at w_{t+1}.  Batch t is drawn from a generator seeded by (seed, t),
so a rewind draws the same batches.  The surface, every neuron's output over
a grid of the plot, is one call of a second traced program on the grid.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from micrograd_ko.autograd import Value
from micrograd_ko.autograd.checks import positive_integer
from micrograd_ko.compiler import Program, trace
from micrograd_ko.losses import l2 as l2_penalty
from micrograd_ko.nn import MLP
from micrograd_ko.nn.activations import activation_function
from micrograd_ko.optim import SGD, Adam, Optimizer
from micrograd_ko.playground.points import FloatArray, Points, make_points
from micrograd_ko.playground.recording import Frame, Recording
from micrograd_ko.playground.setup import EXTENT, Setup, check_point

__all__ = ["GRID", "RESTARTING", "Session", "grid_points"]

GRID = 32
"""The surface is evaluated on GRID x GRID points of the plot's square (cell centres)."""
RESTARTING = ("dataset", "n", "noise", "test_fraction", "layers", "activation", "seed")
"""Settings whose change starts the run again from step 0 (the data or the network changes)."""


def grid_points(size: int = GRID) -> FloatArray:
    """The centres of a size x size grid over [-EXTENT, EXTENT]², row by row from the top (x2 largest)."""
    centres = (np.arange(size) + 0.5) / size * 2 * EXTENT - EXTENT
    x1, x2 = np.meshgrid(centres, centres[::-1])
    return np.column_stack([x1.ravel(), x2.ravel()])


class Session:
    """One playground run: the setup, the points, the network, the step count and the recording.

    `recording` holds one `Frame` per step since the last restart (weights,
    gradients, losses).  `maps()` is every neuron's output over the grid.
    """

    _setup: Setup
    _points: Points
    _model: MLP
    _params: list[Value]
    _optimizer: Optimizer
    _eval_program: Program
    _train_program: Program
    _surface_program: Program
    _frame: Frame
    recording: Recording

    def __init__(self, setup: Setup | None = None, *, grid: int = GRID) -> None:
        """Start at step 0 of `setup` (the default setup: moons, 2-4-4-1, SGD)."""
        if setup is not None and not isinstance(setup, Setup):
            raise TypeError(f"Session: setup must be a Setup, got {setup!r}")
        self.grid = positive_integer(grid, "Session: grid")
        self._grid_points = grid_points(self.grid)
        self.playing = False
        self._start(setup or Setup())

    # ---- the state -------------------------------------------------------------------------------------------

    @property
    def setup(self) -> Setup:
        """The current setup (the added points included)."""
        return self._setup

    @property
    def steps(self) -> int:
        """Optimizer steps taken since the last restart."""
        return self._frame.step

    @property
    def points(self) -> Points:
        """The current data."""
        return self._points

    @property
    def model(self) -> MLP:
        """The network being trained: 2 inputs, the hidden layers, one output score."""
        return self._model

    @property
    def frame(self) -> Frame:
        """The current step's frame: weights, the next update's gradient, losses."""
        return self._frame

    def sizes(self) -> list[int]:
        """Neurons per layer, inputs first: [2, *hidden, 1]."""
        return [2, *self._setup.layers, 1]

    # ---- the learner's actions ------------------------------------------------------------------------------

    def play(self) -> None:
        """Set the playing flag (the widget steps while it is set)."""
        self.playing = True

    def pause(self) -> None:
        """Clear the playing flag."""
        self.playing = False

    @property
    def diverged(self) -> bool:
        """True once a weight, a gradient or the training loss is no longer a finite number (inf or NaN)."""
        frame = self._frame
        numbers = (frame.train_loss, *frame.weights, *frame.grads)
        return not all(map(math.isfinite, numbers))

    def step(self, count: int = 1) -> Frame:
        """Take `count` optimizer steps (fewer if the run diverges: see `diverged`); returns the new current frame."""
        count = positive_integer(count, "Session.step: count")
        for _ in range(count):
            if self.diverged:
                break
            for p, g in zip(self._params, self._frame.grads):
                p.grad = g
            self._optimizer.step()
            self._measure(self._frame.step + 1)
        return self._frame

    def reset(self) -> Frame:
        """Rewind to step 0 of the current setup: the same initial weights, so the same run bit for bit.

        The points added so far stay: they are part of the setup (clear them with `configure(points=())`).
        """
        self._start(self._setup)
        return self._frame

    def add_point(self, x1: float, x2: float, label: int = 1) -> int:
        """Add a training point (label +1 or -1) inside the plot; returns the number of points now.

        Training goes on from the current weights; the next update's gradient now sees the point.
        """
        point = check_point(x1, x2, label, "Session.add_point")
        self._setup = self._setup.changed(points=(*self._setup.points, point))
        self._points = make_points(self._setup)
        self._measure(self._frame.step, replace=True)
        return len(self._points)

    def configure(self, **changes: Any) -> Setup:
        """Change settings by name (see `Setup`); returns the new setup.

        The new setup is checked whole before anything changes.  `RESTARTING`
        settings start the run again; the others apply from the next step.
        """
        setup = self._setup.changed(**changes)
        if any(getattr(setup, name) != getattr(self._setup, name) for name in RESTARTING):
            self._start(setup)
            return setup
        old, self._setup = self._setup, setup
        if setup.optimizer != old.optimizer:
            self._optimizer = _optimizer(setup, self._params)
        elif setup.lr != old.lr:
            self._optimizer.lr = setup.lr
        if setup.points != old.points:
            self._points = make_points(setup)
        if setup.l2 != old.l2:
            self._train_program = self._trace_loss(setup.l2)
        self._measure(self._frame.step, replace=True)
        return setup

    def load(self, text: str) -> Setup:
        """Start again from a setup text (`Setup.to_text`); a corrupt text changes nothing."""
        setup = Setup.from_text(text)
        self._start(setup)
        return setup

    # ---- what the page shows --------------------------------------------------------------------------------

    def maps(self) -> FloatArray:
        """Every neuron's output (hidden layers in order, then the output score) at every grid point.

        Shape (neurons, grid * grid); the grid runs row by row from the plot's top left.
        """
        with np.errstate(all="ignore"):  # a diverged run gives inf and NaN here, shown as such
            outputs = self._surface_program.forward(self._grid_points)
        maps: FloatArray = np.atleast_2d(outputs.T)
        return maps

    def scores(self, X: object) -> FloatArray:
        """The output score of every row of `X` (n, 2) at the current weights; class +1 where it is > 0."""
        rows = np.asarray(X, dtype=np.float64)
        if rows.ndim != 2 or rows.shape[1] != 2 or len(rows) == 0:
            raise ValueError(f"Session.scores: X must be an array of shape (n, 2) with n >= 1, got shape {rows.shape}")
        scores: FloatArray = np.atleast_2d(self._surface_program.forward(rows))[:, -1].copy()
        return scores

    def accuracy(self) -> tuple[float, float | None]:
        """The share of training and of test points on the right side of the boundary (None: no test points)."""
        with np.errstate(all="ignore"):
            right = (self.scores(self._points.X) > 0) == (self._points.y > 0)
        train = self._points.train
        return float(right[train].mean()), (float(right[~train].mean()) if (~train).any() else None)

    def sample_graph(self, index: int, layer: int, neuron: int) -> tuple[Value, Value]:
        """Point `index`'s graph, built eagerly: (the chosen neuron's output, the point's loss), after backward.

        `layer` counts hidden layers from 1 (the output neuron is layer len(layers) + 1).  The graph reads
        copies of the parameters (same values and labels), so its backward leaves the run untouched.
        """
        index = _index(index, len(self._points), "Session.sample_graph: index")
        sizes = self.sizes()
        layer = _index(layer, len(sizes), "Session.sample_graph: layer", low=1)
        neuron = _index(neuron, sizes[layer], "Session.sample_graph: neuron")
        x1, x2 = (float(v) for v in self._points.X[index])
        h: list[Value] = [Value(x1, label="x1"), Value(x2, label="x2")]
        chosen = h[0]
        for k, module in enumerate(self._model.layers, start=1):
            last = k == len(sizes) - 1
            act = None if last else activation_function(module.activation, "Session.sample_graph")
            outputs = []
            for j, unit in enumerate(module.neurons):
                weights = [Value(w.data, label=w.label, role="parameter") for w in unit.w]
                assert unit.b is not None  # the playground's neurons all have a bias
                bias = Value(unit.b.data, label=unit.b.label, role="parameter")
                out = Value.dot(weights, h, bias=bias)
                out = out if act is None else act(out)
                out.label = "score" if last else f"h{k}.{j + 1}"
                outputs.append(out)
            h = outputs
            if k == layer:
                chosen = h[neuron]
        loss = (-(float(self._points.y[index]) * h[0])).softplus()
        loss.label = "loss"
        loss.backward()
        return chosen, loss

    # ---- inside -----------------------------------------------------------------------------------------------

    def _start(self, setup: Setup) -> None:
        """Build everything for step 0 of `setup` (all checks ran before: nothing here refuses)."""
        points = make_points(setup)
        activation = None if setup.activation == "linear" else setup.activation
        model = MLP(2, [*setup.layers, 1], activation=activation, output_activation=None, seed=setup.seed)
        self._setup, self._points, self._model = setup, points, model
        self._params = model.parameters()
        self._optimizer = _optimizer(setup, self._params)
        self._eval_program = self._trace_loss(0.0)
        self._train_program = self._eval_program if setup.l2 == 0.0 else self._trace_loss(setup.l2)
        self._surface_program = trace(self._activations, [0.0, 0.0], self._params)
        self.recording = Recording(setup, self.sizes())
        self._measure(0)

    def _sample_loss(self, row: list[Value]) -> Value:
        score = self._model(row[:2])
        assert isinstance(score, Value)  # one output neuron
        return (-(row[2] * score)).softplus()

    def _activations(self, x: list[Value]) -> list[Value]:
        outputs: list[Value] = []
        h = x
        for module in self._model.layers:
            h = module(h)
            outputs.extend(h)
        return outputs

    def _trace_loss(self, l2: float) -> Program:
        params = self._params
        penalty: Callable[[], Value] | None = (lambda: l2 * l2_penalty(params)) if l2 > 0.0 else None
        return trace(self._sample_loss, [0.0, 0.0, 1.0], params, penalty=penalty)

    def _batch(self, step: int) -> FloatArray:
        rows = self._points.train_rows
        size = self._setup.batch_size
        if size >= len(rows):
            return rows
        chosen = np.random.default_rng([self._setup.seed, 3, step]).choice(len(rows), size, replace=False)
        return rows[np.sort(chosen)]

    def _mean_loss(self, rows: FloatArray) -> float | None:
        return float(self._eval_program.forward(rows).mean()) if len(rows) else None

    def _measure(self, step: int, *, replace: bool = False) -> None:
        """Losses, the next update's gradient and the frame at the current weights, as step `step`."""
        program = self._train_program
        for p in self._params:
            p.grad = 0.0
        with np.errstate(all="ignore"):  # a diverged run overflows: `diverged` says so, numpy need not warn
            program.loss(self._batch(step))
            grads = program.backward(accumulate=False)
            train_loss = float(self._eval_program.forward(self._points.train_rows).mean())
            test_loss = self._mean_loss(self._points.test_rows)
        frame = Frame(
            step=step,
            weights=tuple(p.data for p in self._params),
            grads=tuple(grads.tolist()),
            train_loss=train_loss,
            test_loss=test_loss,
            lr=self._setup.lr,
        )
        self._frame = frame
        self.recording.add(frame, replace=replace)


def _optimizer(setup: Setup, params: list[Value]) -> Optimizer:
    if setup.optimizer == "adam":
        return Adam(params, lr=setup.lr)
    return SGD(params, lr=setup.lr, momentum=0.9 if setup.optimizer == "momentum" else 0.0)


def _index(value: object, count: int, what: str, low: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{what} must be an integer, got {value!r}")
    if not low <= int(value) < count:
        raise ValueError(f"{what} must be in [{low}, {count - 1}], got {value!r}")
    return int(value)
