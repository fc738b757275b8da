"""Recurrent networks: RNNCell, LSTMCell, and RNN / LSTM that unroll them over a sequence."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from micrograd_ko.autograd import Operand, Value, dot_rows
from micrograd_ko.autograd.checks import generator, positive_integer
from micrograd_ko.nn._shapes import _as_inputs, _short
from micrograd_ko.nn.module import Module

# A cell is called on ONE sample (a list of Values), like Neuron and Layer, and returns the next state.  A sequence
# is a list of such samples x_1 … x_L (torch's unbatched input of shape (L, input_size)); a batch of sequences is a
# plain Python loop over them.  Parameters keep torch's names, order and layout, so weights map one to one.

RecurrentState = Any
"""A cell's state: a list of Values h (RNNCell), or a pair (h, c) of lists (LSTMCell)."""

NONLINEARITIES = ("tanh", "relu")
"""The activations `RNNCell` accepts, as `torch.nn.RNNCell` does."""


class RecurrentModule(Module):
    """Base of the recurrent modules (cells and the networks that unroll them); called on one sequence or sample."""


class _RecurrentCell(RecurrentModule):
    """Shared parts of RNNCell and LSTMCell: `gates` blocks of `hidden_size` rows, each row one dot node.

    Row r of the stacked matrices belongs to gate r // hidden_size.  Its pre-activation is
    W_ih[r]·x + b_ih[r] + W_hh[r]·h + b_hh[r], built as ONE dot node over the concatenated row
    [W_ih[r] | W_hh[r]] and inputs [x | h] with b_ih[r] as its bias, then `+ b_hh[r]`; when h is None
    (zeros) the W_hh part adds nothing and is left out of the graph.
    """

    GATES = ""  # one letter per gate block, in torch's order

    def __init__(self, input_size: int, hidden_size: int, bias: bool, seed: int | np.random.Generator | None) -> None:
        name = type(self).__name__
        self.input_size = positive_integer(input_size, f"{name}: input_size")
        self.hidden_size = positive_integer(hidden_size, f"{name}: hidden_size")
        if not isinstance(bias, bool):
            raise TypeError(f"{name}: bias must be True or False, got {bias!r}")
        n_in, n_h, rows = self.input_size, self.hidden_size, len(self.GATES) * self.hidden_size
        limit = 1.0 / math.sqrt(n_h)
        # torch's reset_parameters: every weight and bias from U(-1/sqrt(hidden), 1/sqrt(hidden)), in parameter order
        count = rows * (n_in + n_h) + (2 * rows if bias else 0)
        flat = iter(generator(seed, f"{name}: seed").uniform(-limit, limit, count).tolist())
        ih, hh, biases = self._labels()
        self.weight_ih = [
            tuple(Value(next(flat), label=ih(r, i), role="parameter") for i in range(n_in)) for r in range(rows)
        ]
        self.weight_hh = [
            tuple(Value(next(flat), label=hh(r, k), role="parameter") for k in range(n_h)) for r in range(rows)
        ]
        self.bias_ih: tuple[Value, ...] | None = None
        self.bias_hh: tuple[Value, ...] | None = None
        if bias:
            self.bias_ih = tuple(Value(next(flat), label=biases(0, r), role="parameter") for r in range(rows))
            self.bias_hh = tuple(Value(next(flat), label=biases(1, r), role="parameter") for r in range(rows))
        self._rows = [a + b for a, b in zip(self.weight_ih, self.weight_hh)]
        self._no_bias: list[Value | None] = [None] * rows

    def _labels(self) -> tuple[Callable[[int, int], str], Callable[[int, int], str], Callable[[int, int], str]]:
        raise NotImplementedError

    def _preactivations(self, x: list[Value], h: list[Value] | None) -> list[Value]:
        """W_ih·x + b_ih + W_hh·h + b_hh, one row at a time (see the class docstring)."""
        biases = self.bias_ih if self.bias_ih is not None else self._no_bias
        # h = 0 (None) leaves W_hh·h out; otherwise one dot over [W_ih[r] | W_hh[r]] and [x | h]
        rows = dot_rows(self.weight_ih, tuple(x), biases) if h is None else dot_rows(self._rows, (*x, *h), biases)
        if self.bias_hh is None:
            return rows
        return [row + b for row, b in zip(rows, self.bias_hh)]

    def _hidden(self, h: Any, what: str) -> list[Value] | None:
        return None if h is None else _as_inputs(h, self.hidden_size, f"{type(self).__name__} {what}")

    def _step(self, x: list[Value], state: RecurrentState) -> RecurrentState:
        """The next state from checked inputs (the unrolled loop calls this)."""
        raise NotImplementedError

    def initial_state(self) -> RecurrentState:
        """Zeros as input Values (what `None` stands for), e.g. to draw h0 or to take a gradient with respect to it."""
        raise NotImplementedError

    def parameters(self) -> list[Value]:
        """torch's order: weight_ih row by row, weight_hh row by row, then bias_ih, bias_hh."""
        weights = [w for row in self.weight_ih for w in row] + [w for row in self.weight_hh for w in row]
        if self.bias_ih is None or self.bias_hh is None:
            return weights
        return weights + list(self.bias_ih) + list(self.bias_hh)

    def state_dict(self) -> dict[str, Any]:
        """{'weight_ih': rows, 'weight_hh': rows, 'bias_ih': floats or None, 'bias_hh': ...}: torch's names."""
        return {
            "weight_ih": [[w.data for w in row] for row in self.weight_ih],
            "weight_hh": [[w.data for w in row] for row in self.weight_hh],
            "bias_ih": None if self.bias_ih is None else [b.data for b in self.bias_ih],
            "bias_hh": None if self.bias_hh is None else [b.data for b in self.bias_hh],
        }


class RNNCell(_RecurrentCell):
    """One step of an Elman recurrent network, like `torch.nn.RNNCell`:

        h' = g(U·x + b_ih + W·h + b_hh),   g = tanh (or relu)

    with U = `weight_ih` (hidden_size × input_size) and W = `weight_hh`
    (hidden_size × hidden_size); the seed's h_t = g(U·x_t + W·h_{t-1} + b) with
    b = b_ih + b_hh, two biases as in torch.  `cell(x, h)` takes lists of
    `input_size` and `hidden_size` Values (or numbers); `h=None` means zeros.
    It returns h' as a list of `hidden_size` Values, each g of one dot node
    (plus one '+' for b_hh).  Weights and biases start uniform in
    [-1/√hidden_size, 1/√hidden_size] as in torch, reproducibly from `seed`.
    Parameters (torch's order): weight_ih row by row, weight_hh row by row, bias_ih, bias_hh.
    """

    GATES = "h"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the cell; `nonlinearity` is 'tanh' or 'relu'."""
        if nonlinearity not in NONLINEARITIES:
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        self.nonlinearity = nonlinearity
        self._g: Callable[[Value], Value] = Value.tanh if nonlinearity == "tanh" else Value.relu
        super().__init__(input_size, hidden_size, bias, seed)

    def _labels(self) -> tuple[Callable[[int, int], str], Callable[[int, int], str], Callable[[int, int], str]]:
        return (lambda j, i: f"U[{j}][{i}]"), (lambda j, k: f"W[{j}][{k}]"), (lambda s, j: f"b_{('ih', 'hh')[s]}[{j}]")

    def __call__(self, x: Sequence[Operand], h: Sequence[Operand] | None = None) -> list[Value]:
        """h' for the input x and the previous hidden state h (None: zeros)."""
        return self._step(_as_inputs(x, self.input_size, "RNNCell"), self._hidden(h, "hidden state"))

    def _step(self, x: list[Value], state: RecurrentState) -> list[Value]:
        g = self._g
        return [g(a) for a in self._preactivations(x, state)]

    def initial_state(self) -> list[Value]:
        """h0 = zeros, as input Values labelled h0[j]."""
        return [Value(0.0, label=f"h0[{j}]") for j in range(self.hidden_size)]

    def arguments(self) -> dict[str, Any]:
        """{'input_size', 'hidden_size', 'bias', 'nonlinearity'}."""
        return {
            "input_size": self.input_size,
            "hidden_size": self.hidden_size,
            "bias": self.bias_ih is not None,
            "nonlinearity": self.nonlinearity,
        }


class LSTMCell(_RecurrentCell):
    """One step of a long short-term memory (LSTM) network, like `torch.nn.LSTMCell`:

        i  = σ(W_ii·x + b_ii + W_hi·h + b_hi)      input gate: how much new information to write
        f  = σ(W_if·x + b_if + W_hf·h + b_hf)      forget gate: how much of the old cell state to keep
        g  = tanh(W_ig·x + b_ig + W_hg·h + b_hg)   the candidate cell values
        o  = σ(W_io·x + b_io + W_ho·h + b_ho)      output gate: how much of the cell to show
        c' = f ⊙ c + i ⊙ g
        h' = o ⊙ tanh(c')

    (σ the sigmoid, ⊙ element by element).  `cell(x, (h, c))` returns (h', c'),
    each a list of `hidden_size` Values; `state=None` means h = c = zeros.
    Because c' = f ⊙ c + …, the gradient from c' to c is f itself, not a product
    of tanh' and weights: with f near 1 it passes many steps back undiminished.

    `weight_ih` (4·hidden_size × input_size) stacks W_ii, W_if, W_ig, W_io, and
    `weight_hh` (4·hidden_size × hidden_size) stacks W_hi, W_hf, W_hg, W_ho; the
    biases stack the same way: torch's layout and gate order.  Initialised
    uniform in [-1/√hidden_size, 1/√hidden_size] as in torch, from `seed`.
    """

    GATES = "ifgo"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the cell."""
        super().__init__(input_size, hidden_size, bias, seed)

    def _labels(self) -> tuple[Callable[[int, int], str], Callable[[int, int], str], Callable[[int, int], str]]:
        n, gates = self.hidden_size, self.GATES
        return (
            (lambda r, i: f"W_i{gates[r // n]}[{r % n}][{i}]"),
            (lambda r, k: f"W_h{gates[r // n]}[{r % n}][{k}]"),
            (lambda s, r: f"b_{('i', 'h')[s]}{gates[r // n]}[{r % n}]"),
        )

    def __call__(
        self, x: Sequence[Operand], state: tuple[Sequence[Operand], Sequence[Operand]] | None = None
    ) -> tuple[list[Value], list[Value]]:
        """(h', c') for the input x and the previous state (h, c) (None: zeros)."""
        inputs = _as_inputs(x, self.input_size, "LSTMCell")
        result: tuple[list[Value], list[Value]] = self._step(inputs, self._state(state))
        return result

    def gates(
        self, x: Sequence[Operand], state: tuple[Sequence[Operand], Sequence[Operand]] | None = None
    ) -> dict[str, list[Value]]:
        """The step's gates and states by name: 'i', 'f', 'g', 'o', then 'c' and 'h' (the new c' and h')."""
        return self._gates(_as_inputs(x, self.input_size, "LSTMCell"), self._state(state))

    def _state(self, state: Any) -> tuple[list[Value], list[Value]] | None:
        if state is None:
            return None
        if not isinstance(state, tuple | list) or len(state) != 2:
            raise TypeError(f"LSTMCell expects the state as a pair (h, c) or None, got {type(state).__name__}")
        h, c = self._hidden(state[0], "hidden state h"), self._hidden(state[1], "cell state c")
        assert h is not None and c is not None
        return h, c

    def _gates(self, x: list[Value], state: tuple[list[Value], list[Value]] | None) -> dict[str, list[Value]]:
        n = self.hidden_size
        pre = self._preactivations(x, None if state is None else state[0])
        i = [v.sigmoid() for v in pre[:n]]
        f = [v.sigmoid() for v in pre[n : 2 * n]]
        g = [v.tanh() for v in pre[2 * n : 3 * n]]
        o = [v.sigmoid() for v in pre[3 * n :]]
        if state is None:  # c = 0: the forget gate multiplies nothing
            c = [ij * gj for ij, gj in zip(i, g)]
        else:
            c = [fj * cj + ij * gj for fj, cj, ij, gj in zip(f, state[1], i, g)]
        h = [oj * cj.tanh() for oj, cj in zip(o, c)]
        return {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}

    def _step(self, x: list[Value], state: RecurrentState) -> tuple[list[Value], list[Value]]:
        gates = self._gates(x, state)
        return gates["h"], gates["c"]

    def initial_state(self) -> tuple[list[Value], list[Value]]:
        """(h0, c0) = zeros, as input Values labelled h0[j] and c0[j]."""
        n = self.hidden_size
        return [Value(0.0, label=f"h0[{j}]") for j in range(n)], [Value(0.0, label=f"c0[{j}]") for j in range(n)]

    def arguments(self) -> dict[str, Any]:
        """{'input_size', 'hidden_size', 'bias'}."""
        return {"input_size": self.input_size, "hidden_size": self.hidden_size, "bias": self.bias_ih is not None}


def _sequence(xs: Any, input_size: int, owner: str) -> list[list[Value]]:
    """A sequence x_1 … x_L (a list of L input vectors, or an (L, input_size) array), each checked once."""
    if isinstance(xs, np.ndarray):
        xs = xs.tolist()
    if isinstance(xs, Value) or not isinstance(xs, list | tuple) or len(xs) == 0:
        raise TypeError(f"{owner} expects a sequence: a non-empty list of input vectors, got {type(xs).__name__}")
    return [_as_inputs(x, input_size, f"{owner} step {t}") for t, x in enumerate(xs)]


def unroll(cell: RNNCell | LSTMCell, xs: Any, state: RecurrentState = None) -> list[RecurrentState]:
    """Run `cell` over the sequence xs = [x_1, …, x_L], starting from `state` (None: zeros).

    Returns the L states after each step: [h_1, …, h_L] for an RNNCell,
    [(h_1, c_1), …, (h_L, c_L)] for an LSTMCell.  The same cell (the same
    parameter Values) serves every step: that sharing is what makes it recurrent,
    and backward adds up each parameter's gradient over all the steps.
    """
    if not isinstance(cell, _RecurrentCell):
        raise TypeError(f"unroll: expected an RNNCell or LSTMCell, got {type(cell).__name__}")
    steps = _sequence(xs, cell.input_size, "unroll")
    if state is not None:
        state = cell._hidden(state, "hidden state") if isinstance(cell, RNNCell) else cell._state(state)
    return _unroll_checked(cell, steps, state)


def _unroll_checked(cell: _RecurrentCell, steps: list[list[Value]], state: RecurrentState) -> list[RecurrentState]:
    states = []
    for x in steps:
        state = cell._step(x, state)
        states.append(state)
    return states


class _Recurrent(RecurrentModule):
    """Shared parts of RNN and LSTM: one cell per direction, unrolled over the sequence."""

    def __init__(self, cells: list[_RecurrentCell], bidirectional: bool) -> None:
        self.cells = cells
        self.bidirectional = bidirectional
        self.input_size, self.hidden_size = cells[0].input_size, cells[0].hidden_size

    def _shape(self) -> dict[str, Any]:
        """The arguments RNN and LSTM share."""
        return {
            "input_size": self.input_size,
            "hidden_size": self.hidden_size,
            "bias": self.cells[0].bias_ih is not None,
        }

    def children(self) -> list[Module]:
        """The forward cell, then the backward cell when bidirectional (torch's `_reverse` parameters)."""
        return list(self.cells)

    def _initial(self, state: Any, owner: str) -> list[Any]:
        """One initial state (or None) per direction."""
        directions = len(self.cells)
        if state is None:
            return [None] * directions
        if not isinstance(state, list | tuple) or len(state) != directions:
            raise ValueError(f"{owner}: expected one initial state per direction ({directions}), got {_short(state)}")
        return list(state)

    def _run(self, steps: list[list[Value]], initial: list[Any]) -> tuple[list[list[Value]], list[Any]]:
        """Outputs [h_t forward ⧺ h_t backward for each t] and each direction's final state."""
        forward = _unroll_checked(self.cells[0], steps, initial[0])
        outputs = [self._h(s) for s in forward]
        finals = [forward[-1]]
        if self.bidirectional:
            # the backward cell reads x_L … x_1; its state after reading x_t is paired with the forward h_t
            backward = _unroll_checked(self.cells[1], steps[::-1], initial[1])[::-1]
            outputs = [f + self._h(b) for f, b in zip(outputs, backward)]
            finals.append(backward[0])
        return outputs, finals

    @staticmethod
    def _h(state: RecurrentState) -> list[Value]:
        return list(state[0]) if isinstance(state, tuple) else list(state)


class RNN(_Recurrent):
    """An Elman RNN over a whole sequence, like a one-layer `torch.nn.RNN` on unbatched input.

    `rnn(xs, h0=None)` runs `RNNCell` over xs = [x_1, …, x_L] (each a list of
    `input_size` numbers or Values) and returns `(outputs, h_n)`:

    - `outputs[t]` is h_t, a list of hidden_size Values; with `bidirectional=True`
      it is h_t of the forward cell followed by h_t of a second cell that reads the
      sequence backwards (x_L first), 2·hidden_size Values (torch's layout);
    - `h_n` holds each direction's last state: [h_L] or [h_L forward, h_1 backward].

    `h0` is None (zeros) or one hidden state per direction; for one direction a
    plain list of hidden_size numbers or Values is accepted too.  Parameters:
    the forward cell's, then the backward cell's (torch's `weight_ih_l0`, …,
    `bias_hh_l0_reverse`).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        bidirectional: bool = False,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the network; `seed` makes the initial weights reproducible."""
        rng = generator(seed, "RNN: seed")
        directions = 2 if bidirectional else 1
        super().__init__(
            [RNNCell(input_size, hidden_size, bias, nonlinearity, rng) for _ in range(directions)], bool(bidirectional)
        )
        self.nonlinearity = nonlinearity

    def __call__(self, xs: Any, h0: Any = None) -> tuple[list[list[Value]], list[list[Value]]]:
        """(outputs, h_n) for the sequence xs; see the class docstring."""
        steps = _sequence(xs, self.input_size, "RNN")
        if h0 is not None and not self.bidirectional and len(h0) > 0 and not isinstance(h0[0], list | tuple):
            h0 = [h0]
        initial = [None if h is None else self.cells[0]._hidden(h, "h0") for h in self._initial(h0, "RNN h0")]
        outputs, finals = self._run(steps, initial)
        return outputs, finals

    def arguments(self) -> dict[str, Any]:
        """{'input_size', 'hidden_size', 'bias', 'nonlinearity', 'bidirectional'}."""
        return {**self._shape(), "nonlinearity": self.nonlinearity, "bidirectional": self.bidirectional}


class LSTM(_Recurrent):
    """An LSTM over a whole sequence, like a one-layer `torch.nn.LSTM` on unbatched input.

    `lstm(xs, state=None)` runs `LSTMCell` over xs = [x_1, …, x_L] and returns
    `(outputs, (h_n, c_n))`: `outputs[t]` is h_t (forward ⧺ backward when
    `bidirectional=True`), and h_n, c_n hold each direction's last states.
    `state` is None (zeros) or (h_0, c_0), each with one state per direction
    (for one direction, plain lists of hidden_size values are accepted too).
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        bidirectional: bool = False,
        seed: int | np.random.Generator | None = None,
    ) -> None:
        """Create the network; `seed` makes the initial weights reproducible."""
        rng = generator(seed, "LSTM: seed")
        directions = 2 if bidirectional else 1
        super().__init__([LSTMCell(input_size, hidden_size, bias, rng) for _ in range(directions)], bool(bidirectional))

    def __call__(
        self, xs: Any, state: Any = None
    ) -> tuple[list[list[Value]], tuple[list[list[Value]], list[list[Value]]]]:
        """(outputs, (h_n, c_n)) for the sequence xs; see the class docstring."""
        steps = _sequence(xs, self.input_size, "LSTM")
        initial: list[Any] = [None] * len(self.cells)
        if state is not None:
            if not isinstance(state, tuple | list) or len(state) != 2:
                raise TypeError(f"LSTM expects the state as a pair (h_0, c_0) or None, got {_short(state)}")
            h0, c0 = state
            if not self.bidirectional and len(h0) > 0 and not isinstance(h0[0], list | tuple):
                h0, c0 = [h0], [c0]
            hs, cs = self._initial(h0, "LSTM h_0"), self._initial(c0, "LSTM c_0")
            cell = self.cells[0]
            assert isinstance(cell, LSTMCell)
            initial = [cell._state((h, c)) for h, c in zip(hs, cs)]
        outputs, finals = self._run(steps, initial)
        return outputs, ([h for h, _ in finals], [c for _, c in finals])

    def arguments(self) -> dict[str, Any]:
        """{'input_size', 'hidden_size', 'bias', 'bidirectional'}."""
        return {**self._shape(), "bidirectional": self.bidirectional}
