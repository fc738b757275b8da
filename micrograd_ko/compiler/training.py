"""Training on arrays: while a `Training` session is open, the program's parameters live in one flat float64 array.

The eager loop and the compiled loop are the same four lines; only the
graph is replaced by the program, and the loop sits in a `with` block::

    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    for batch in batches:                       # eager
        opt.zero_grad()
        loss = losses.hinge([model(x) for x in batch.X], batch.y)
        loss.backward()
        opt.step()

    program = compiler.trace(per_sample, example, model.parameters())
    with compiler.Training(program, opt):       # compiled
        for batch in batches:
            opt.zero_grad()
            loss = program.loss(batch)
            program.backward()
            opt.step()

Why a session rather than `program.fit(...)` or an optimizer that takes a
program: the loop stays the learner's own (learning-rate schedules, logging,
early stopping, mini-batches shuffled by epoch all go in it as in eager
mode), the optimizer is the same object with the same state, and the one new
line says where the numbers live for the block.

What the session does, once when it opens and once when it closes (never
per step):

* It copies every parameter's `data` and `grad` into two arrays, `values`
  and `grads` (program order), and the program reads `values` at every call
  instead of the Values; `program.backward()` adds into `grads` (after
  `zero_grad()`, its products write into it directly).
* It attaches the arrays to the optimizer (`Optimizer.attach`), so
  `opt.zero_grad()` is one fill and `opt.step()` runs the optimizer's
  formula once on whole arrays (with index maps when the optimizer lists
  the parameters in another order, or only some of them).
* It turns each parameter Value into a `TrainedValue`: the same object, whose
  `data` and `grad` read and write its entry of the arrays.  So the user keeps
  seeing one model: `p.data`, `model.state_dict()`, an eager forward, all see
  the trained numbers at any time, and `p.data = 0.5` (or `model.load(...)`)
  between steps is seen by the next step, never overwritten.
* `session.add(other_program)` lets a second program over the same
  parameters read the arrays too (an evaluation program, an LSTM traced
  for another sequence length), through an index map.
* `close()` (or the end of the `with` block) writes the numbers back into
  plain Values and detaches the optimizer, whose state stays: eager steps
  after compiled ones go on where they were.

A compiled step then makes a fixed number of numpy calls per group and
per optimizer formula, whatever the number of parameters.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, ClassVar, SupportsIndex

import numpy as np

from micrograd_ko.autograd import Value, describe
from micrograd_ko.autograd.checks import real_number
from micrograd_ko.compiler._buffers import FloatArray, IndexArray
from micrograd_ko.compiler.program import Program
from micrograd_ko.optim import Optimizer

__all__ = ["OptimizerArrays", "TrainedValue", "Training"]


class TrainedValue(Value):
    """A parameter while a `Training` session holds it: its `data` and `grad` are entries of the session's arrays.

    Reading gives the number the compiled steps left there; writing puts a
    number there, for the next step to use.  Each session makes its own
    subclass, which knows the session and each parameter's entry; `close()`
    turns the Values back into plain `Value`s holding the same numbers.
    """

    __slots__ = ()
    session: ClassVar[Training]
    entry: ClassVar[dict[int, int]]  # id(parameter) -> its index in the session's arrays

    @property
    def data(self) -> float:
        """This parameter's entry of `session.values`."""
        return float(self.session.values[self.entry[id(self)]])

    @data.setter
    def data(self, value: float) -> None:
        self.session.values[self.entry[id(self)]] = real_number(value, "Value: data")

    @property
    def grad(self) -> float:
        """This parameter's entry of `session.grads`."""
        return float(self.session.grads[self.entry[id(self)]])

    @grad.setter
    def grad(self, value: float) -> None:
        self.session.grads[self.entry[id(self)]] = real_number(value, "Value: grad")
        self.session.grads_are_zero = False

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        """A copy (`copy.deepcopy(model)`, pickle) is a plain `Value` holding this parameter's numbers now."""
        state = {name: getattr(self, name) for name in Value.__slots__ if hasattr(self, name)}
        return _plain_value, (state,)


def _plain_value(state: dict[str, Any]) -> Value:
    """A `Value` with these slots (what a copy of a `TrainedValue` becomes)."""
    value = Value.__new__(Value)
    for name, item in state.items():
        setattr(value, name, item)
    return value


class OptimizerArrays:
    """An optimizer's view of a session's arrays (`optim.ParameterStore`): its parameters, in its order.

    `positions[i]` is where the optimizer's params[i] sits in the session's
    arrays; None when they are the same list in the same order, and then the
    arrays are used whole.
    """

    def __init__(self, session: Training, positions: IndexArray | None) -> None:
        self.session = session
        self.positions = positions

    def read(self) -> tuple[FloatArray, FloatArray]:
        """(values, gradients), the session's own arrays: the update changes the values in place, reads the grads."""
        session, positions = self.session, self.positions
        if positions is None:
            return session.values, session.grads
        return session.values[positions], session.grads[positions]

    def write(self, values: FloatArray) -> None:
        """The new values into the session's array (nothing left to do when the update worked on it in place)."""
        if self.positions is None:
            if values is not self.session.values:
                self.session.values[...] = values
        else:
            self.session.values[self.positions] = values

    def zero_grads(self) -> None:
        """The optimizer's gradients to 0.0, in one numpy call."""
        if self.positions is None:
            self.session.grads.fill(0.0)
            self.session.grads_are_zero = True
        else:
            self.session.grads[self.positions] = 0.0


class Training:
    """A program and an optimizer training on arrays until `close()`; see the module docstring.

    `Training(program, optimizer)` opens one.  `params` are the program's
    parameters; `values` and `grads` hold their numbers while the session is
    open (`is_open`); they are the first entries of the program's leaf vector
    and leaf gradients.  `grads_are_zero` is True from the optimizer's
    `zero_grad()` until a gradient is written: then backward's products write
    straight into `grads`.  Change a gradient through `p.grad` (which clears
    the flag), not by writing into `grads`.  Use it as a context manager, or call `close()`.
    Refused with TypeError or ValueError, before anything changes: a program
    that is not a `Program`, an optimizer that is not an `optim.Optimizer`, an
    optimizer parameter the program does not read, a parameter already held
    by another open session, or one that is not a plain `Value`.
    """

    def __init__(self, program: Program, optimizer: Optimizer) -> None:
        if not isinstance(program, Program):
            raise TypeError(f"Training: program must be a compiled Program (from compiler.trace), got {program!r}")
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"Training: optimizer must be an optimizer of micrograd_ko.optim (SGD, Adam, ...), got {optimizer!r}"
            )
        self.program = program
        self.optimizer = optimizer
        self.params: tuple[Value, ...] = program.params
        entry = {id(p): i for i, p in enumerate(self.params)}
        self._check_free(program, optimizer)
        positions = [entry.get(id(p), -1) for p in optimizer.params]
        if -1 in positions:
            i = positions.index(-1)
            raise ValueError(
                f"Training: optimizer.params[{i}] must be a parameter the program reads (one of trace's params), "
                f"got the Value {describe(optimizer.params[i])}"
            )
        identity = positions == list(range(len(self.params)))
        # the values are the first entries of the program's leaf vector: a call reads them where the optimizer writes
        leaves = program.plan.new_leaves()
        self.values: FloatArray = leaves[: len(self.params)]
        self.values[:] = [p.data for p in self.params]
        leaf_grads = np.zeros(len(leaves))  # and the gradients the first entries of its leaf gradients
        self.grads: FloatArray = leaf_grads[: len(self.params)]
        self.grads[:] = [p.grad for p in self.params]
        self.grads_are_zero = False  # True after the optimizer's zero_grad, until a gradient is written
        self.is_open = True
        trained = type(
            "TrainedValue",
            (TrainedValue,),
            {"__slots__": (), "__module__": __name__, "__doc__": TrainedValue.__doc__, "session": self, "entry": entry},
        )
        for p in self.params:
            p.__class__ = trained
        self._entry = entry
        self.programs: list[Program] = [program]
        optimizer.attach(OptimizerArrays(self, None if identity else np.asarray(positions, dtype=np.intp)))
        program.attach(self, leaves=leaves, leaf_grads=leaf_grads)

    def add(self, program: Program) -> Program:
        """Let another program read this session's arrays too, until `close()`; returns it.

        For a second program over the same parameters (an evaluation program
        with other outputs, an LSTM traced for another sequence length): its
        calls read the session's array and its `backward()` adds into the
        session's gradients, through an index map, with no Python work per parameter.
        Refused, before anything changes: a closed session, a program in
        another session, or one that reads a parameter this session does not hold.
        """
        if not self.is_open:
            raise ValueError(f"Training.add: the session must be open, got {self!r}")
        if not isinstance(program, Program):
            raise TypeError(f"Training.add: program must be a compiled Program (from compiler.trace), got {program!r}")
        if program.session is not None:
            raise ValueError(f"Training.add: program must not be in an open training session already, got {program!r}")
        positions = [self._entry.get(id(p), -1) for p in program.params]
        if -1 in positions:
            i = positions.index(-1)
            raise ValueError(
                f"Training.add: program.params[{i}] must be a parameter of this session's program, "
                f"got the Value {describe(program.params[i])}"
            )
        same = positions == list(range(len(self.params)))
        program.attach(self, None if same else np.asarray(positions, dtype=np.intp))
        self.programs.append(program)
        return program

    @staticmethod
    def _check_free(program: Program, optimizer: Optimizer) -> None:
        """Refuse a program, optimizer or parameter that another open session holds, or a Value of another class."""
        if program.session is not None:
            raise ValueError(
                "Training: program must not be in another open training session (close that one first: "
                f"session.close(), or leave its with block), got {program!r}"
            )
        if optimizer.attached:
            raise ValueError(
                "Training: optimizer must not be attached to other arrays (close the training session that holds "
                f"it first), got {optimizer!r}"
            )
        for i, p in enumerate(program.params):
            if isinstance(p, TrainedValue):
                raise ValueError(
                    f"Training: program.params[{i}] must not be held by another open training session (close that "
                    f"one first), got the Value {describe(p)}"
                )
            if type(p) is not Value:
                raise TypeError(f"Training: program.params[{i}] must be a plain Value, got a {type(p).__name__}")

    # ---- closing ------------------------------------------------------------------------------------

    def close(self) -> None:
        """Write the numbers back into plain Values, detach the optimizer and the program (again: nothing)."""
        if not self.is_open:
            return
        self.is_open = False
        for p, value, grad in zip(self.params, self.values.tolist(), self.grads.tolist()):
            p.__class__ = Value
            p.data = value
            p.grad = grad
        self.optimizer.detach()
        for program in self.programs:
            program.detach()

    def __enter__(self) -> Training:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed"
        return f"Training({len(self.params)} parameters, {type(self.optimizer).__name__}, {state})"
