"""Compiled training (`compiler.Training`): the same numbers as eager training, no Python work per parameter.

Every optimizer of `optim` trains an MLP, a CNN (Conv2d, pool, Linear) and an
LSTM for 100 steps of shuffled mini-batches (the last batch of each epoch
smaller), once eagerly and once compiled from the same seeded weights; the
losses agree step by step to 1e-12 relative and the function is traced once.
The models use smooth activations (tanh): with ReLU and Adam, a last-bit
difference in a gradient that is nearly zero can flip a unit on or off a
few steps later, and then the two runs part for a reason that is not a bug.
"""

from __future__ import annotations

import contextlib
import copy
import math
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from micrograd_ko import Value, data, losses, nn
from micrograd_ko.compiler import Program, TrainedValue, Training, trace
from micrograd_ko.optim import SGD, AdaGrad, Adam, Nadam, Optimizer, RMSProp

Factory = Callable[[list[Value]], Optimizer]

OPTIMIZERS: dict[str, Factory] = {
    "sgd": lambda ps: SGD(ps, lr=0.05),
    "sgd-momentum": lambda ps: SGD(ps, lr=0.02, momentum=0.9),
    "sgd-nesterov-decay": lambda ps: SGD(ps, lr=0.02, momentum=0.8, nesterov=True, weight_decay=0.01),
    "sgd-dampening-decay": lambda ps: SGD(ps, lr=0.02, momentum=0.9, dampening=0.3, weight_decay=0.01),
    "adagrad": lambda ps: AdaGrad(ps, lr=0.05),
    "rmsprop": lambda ps: RMSProp(ps, lr=0.005, alpha=0.9),
    "adam": lambda ps: Adam(ps, lr=0.01),
    "nadam": lambda ps: Nadam(ps, lr=0.01),
    "nadam-no-schedule": lambda ps: Nadam(ps, lr=0.01, momentum_decay=None),
}
STEPS = 100


@dataclass
class Task:
    """A seeded model, its per-sample loss (one flat row in, one Value out), the rows, and the mini-batch size."""

    params: list[Value]
    per_sample: Callable[[list[Value]], Value]
    rows: np.ndarray
    batch_size: int
    penalty: Callable[[], Value] | None = None


def mlp_task() -> Task:
    model = nn.MLP(2, [6, 6, 1], activation="tanh", seed=3)
    X, y = data.moons(n=22, noise=0.1, seed=2, labels="pm1")
    params = model.parameters()

    def per_sample(s: list[Value]) -> Value:
        error = model(s[:2]) - s[2]
        assert isinstance(error, Value)
        return error * error

    return Task(params, per_sample, np.column_stack([X, y]), 8, lambda: 1e-3 * losses.l2(params))


def cnn_task() -> Task:
    model = nn.Sequential(nn.Conv2d(1, 2, 3, seed=4), nn.Tanh(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 3, seed=5))
    X, y = data.digits()
    keep = np.flatnonzero(y < 3)[:14]
    images = X[keep].reshape(-1, 8, 8)[:, 1:7, 1:7].reshape(len(keep), 36)  # the middle 6x6 of each digit
    rows = np.column_stack([images, np.eye(3)[y[keep]]])

    def per_sample(s: list[Value]) -> Value:
        image = [[s[r * 6 : (r + 1) * 6] for r in range(6)]]
        logits = model([image])[0]
        return -Value.dot(losses.log_softmax(logits), s[36:])

    return Task(model.parameters(), per_sample, rows, 6)


def lstm_task() -> Task:
    lstm, head = nn.LSTM(1, 3, seed=6), nn.Linear(3, 1, seed=7)
    phases = np.random.default_rng(8).uniform(0.0, 2.0 * np.pi, 10)
    waves = np.sin(phases[:, None] + 0.4 * np.arange(5)[None, :])  # 4 inputs, then the value to predict

    def per_sample(s: list[Value]) -> Value:
        last = lstm([[x] for x in s[:4]])[0][-1]
        error = head([last])[0][0] - s[4]
        return error * error

    return Task(lstm.parameters() + head.parameters(), per_sample, waves, 4)


TASKS: dict[str, Callable[[], Task]] = {"mlp": mlp_task, "cnn": cnn_task, "lstm": lstm_task}


def batches(n: int, size: int, steps: int, seed: int = 0) -> Iterator[np.ndarray]:
    """Row indices of `steps` mini-batches: every epoch shuffled anew, its last batch smaller."""
    rng = np.random.default_rng(seed)
    taken = 0
    while True:
        order = rng.permutation(n)
        for start in range(0, n, size):
            if taken == steps:
                return
            taken += 1
            yield order[start : start + size]


def train_eagerly(task: Task, make: Factory) -> list[float]:
    opt = make(task.params)
    history = []
    for picked in batches(len(task.rows), task.batch_size, STEPS):
        opt.zero_grad()
        loss = Value.sum(task.per_sample([Value(x) for x in row]) for row in task.rows[picked].tolist())
        loss = loss / len(picked) + (task.penalty() if task.penalty is not None else 0.0)
        loss.backward()
        opt.step()
        history.append(loss.data)
    return history


class Counted:
    """A per-sample function that counts its calls: one call is one trace."""

    def __init__(self, fn: Callable[[list[Value]], Value]) -> None:
        self.fn, self.calls = fn, 0

    def __call__(self, sample: list[Value]) -> Value:
        self.calls += 1
        return self.fn(sample)


def train_compiled(task: Task, make: Factory) -> tuple[list[float], Counted]:
    counted = Counted(task.per_sample)
    program = trace(counted, task.rows[0].tolist(), task.params, penalty=task.penalty)
    opt = make(task.params)
    history = []
    with Training(program, opt):
        for picked in batches(len(task.rows), task.batch_size, STEPS):
            opt.zero_grad()
            history.append(program.loss(task.rows[picked]))
            program.backward()
            opt.step()
    return history, counted


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("task_name", list(TASKS))
def test_compiled_training_equals_eager_training_step_by_step(task_name: str, optimizer: str) -> None:
    eager_task, compiled_task = TASKS[task_name](), TASKS[task_name]()
    eager = train_eagerly(eager_task, OPTIMIZERS[optimizer])
    compiled, counted = train_compiled(compiled_task, OPTIMIZERS[optimizer])
    assert len(compiled) == STEPS
    assert counted.calls == 1  # traced once, never again: every batch size ran on the same program
    relative = np.abs(np.array(compiled) - np.array(eager)) / np.abs(np.array(eager))
    assert relative.max() < 1e-12, f"largest relative difference {relative.max():.3g} at step {relative.argmax() + 1}"
    assert abs(eager[-1] - eager[0]) > 1e-3 * abs(eager[0])  # the runs really trained
    # after the session the model's own Values hold the trained numbers, as plain Values
    trained = np.array([p.data for p in compiled_task.params])
    expected = np.array([p.data for p in eager_task.params])
    assert all(type(p) is Value for p in compiled_task.params)
    np.testing.assert_allclose(trained, expected, rtol=1e-10, atol=1e-12)


# ---- one model: the Values see the session and the session sees the Values -------------------------------------


def moons_program(seed: int = 3, hidden: int = 6) -> tuple[nn.MLP, Program, np.ndarray]:
    model = nn.MLP(2, [hidden, hidden, 1], activation="tanh", seed=seed)
    X, y = data.moons(n=20, noise=0.1, seed=2, labels="pm1")
    rows = np.column_stack([X, y])

    def per_sample(s: list[Value]) -> Value:
        error = model(s[:2]) - s[2]
        assert isinstance(error, Value)
        return error * error

    return model, trace(per_sample, rows[0].tolist(), model.parameters()), rows


def eager_step(model: nn.MLP, opt: Optimizer, rows: np.ndarray) -> float:
    opt.zero_grad()
    loss = losses.mse([model(row) for row in rows[:, :2].tolist()], rows[:, 2].tolist())  # type: ignore[misc]
    loss.backward()
    opt.step()
    return loss.data


def compiled_step(program: Program, opt: Optimizer, rows: np.ndarray) -> float:
    opt.zero_grad()
    loss = program.loss(rows)
    program.backward()
    opt.step()
    return loss


@pytest.mark.parametrize("weight_decay", [0.0, 0.1])
def test_a_step_leaves_the_gradients_as_backward_left_them(weight_decay: float) -> None:
    # the optimizer reads the session's own gradient array: weight decay must not fold into it
    model, program, rows = moons_program()
    twin, _, _ = moons_program()
    compiled_opt = SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=weight_decay)
    eager_opt = SGD(twin.parameters(), lr=0.1, momentum=0.9, weight_decay=weight_decay)
    with Training(program, compiled_opt):
        for _ in range(3):
            compiled_step(program, compiled_opt, rows)
            eager_step(twin, eager_opt, rows)
            np.testing.assert_allclose(
                [p.grad for p in model.parameters()], [p.grad for p in twin.parameters()], rtol=1e-12, atol=1e-15
            )
    assert any(p.grad != 0.0 for p in model.parameters())


def test_the_values_show_the_trained_numbers_during_the_session() -> None:
    model, program, rows = moons_program()
    params = model.parameters()
    opt = Adam(params, lr=0.01)
    with Training(program, opt) as session:
        compiled_step(program, opt, rows)
        assert all(isinstance(p, TrainedValue) for p in params)
        assert [p.data for p in params] == session.values.tolist()
        assert [p.grad for p in params] == session.grads.tolist()
        assert all(type(p.data) is float for p in params)
        saved = model.state_dict()  # the module's own machinery reads the trained numbers too
        scores = [model(row).data for row in rows[:3, :2].tolist()]  # type: ignore[union-attr]
    assert model.state_dict() == saved
    assert [model(row).data for row in rows[:3, :2].tolist()] == scores  # type: ignore[union-attr]
    assert all(type(p) is Value for p in params)


def test_a_copy_made_during_the_session_is_a_plain_snapshot_and_an_error_in_the_block_still_closes_it() -> None:
    model, program, rows = moons_program()
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ZeroDivisionError), Training(program, opt) as session:
        compiled_step(program, opt, rows)
        snapshot_model = copy.deepcopy(model)
        compiled_step(program, opt, rows)
        1 / 0  # noqa: B018 (an error inside the block)
    assert not session.is_open and not opt.attached and program.session is None
    copied = snapshot_model.parameters()
    assert all(type(p) is Value for p in copied + model.parameters())
    assert [p.data for p in copied] != [
        p.data for p in model.parameters()
    ]  # the copy kept the numbers it was made with
    assert [p.label for p in copied] == [p.label for p in model.parameters()]


def test_a_parameter_edited_between_steps_is_seen_by_the_next_step() -> None:
    eager_model, _, rows = moons_program()
    model, program, _ = moons_program()
    eager_opt, opt = SGD(eager_model.parameters(), lr=0.1, momentum=0.9), SGD(model.parameters(), lr=0.1, momentum=0.9)
    with Training(program, opt) as session:
        for k in range(6):
            expected = eager_step(eager_model, eager_opt, rows)
            assert compiled_step(program, opt, rows) == pytest.approx(expected, rel=1e-12)
            if k == 2:  # the user edits one weight, and loads a saved model, between two steps
                eager_model.parameters()[4].data = 0.75
                model.parameters()[4].data = 0.75
                assert session.values[4] == 0.75
            if k == 4:
                state = nn.MLP(2, [6, 6, 1], activation="tanh", seed=9).state_dict()
                eager_model.load_state_dict(state)
                model.load_state_dict(state)
                assert session.values.tolist() == [p.data for p in eager_model.parameters()]
    assert [p.data for p in model.parameters()] == pytest.approx([p.data for p in eager_model.parameters()], rel=1e-12)


def test_the_optimizer_state_moves_between_modes() -> None:
    eager_model, _, rows = moons_program()
    model, program, _ = moons_program()
    eager_opt, opt = Nadam(eager_model.parameters(), lr=0.02), Nadam(model.parameters(), lr=0.02)
    expected = [eager_step(eager_model, eager_opt, rows) for _ in range(30)]
    with Training(program, opt):  # ten compiled steps, ten eager ones, ten compiled ones again
        got = [compiled_step(program, opt, rows) for _ in range(10)]
    got += [eager_step(model, opt, rows) for _ in range(10)]
    with Training(program, opt):
        got += [compiled_step(program, opt, rows) for _ in range(10)]
    assert got == pytest.approx(expected, rel=1e-12)
    assert opt.step_count == 30
    restored = Nadam(model.parameters(), lr=0.5)
    restored.load_state_dict(opt.state_dict())  # a state_dict taken after compiled steps restores in eager mode
    assert restored.state_dict() == opt.state_dict()


def test_an_optimizer_of_some_parameters_in_another_order_trains_only_those() -> None:
    eager_model, _, rows = moons_program()
    model, program, _ = moons_program()
    some = [7, 0, 3, 12, 5]  # a few parameters, out of order: the session maps them by index

    def pick(params: list[Value]) -> list[Value]:
        return [params[i] for i in some]

    eager_opt, opt = Adam(pick(eager_model.parameters()), lr=0.05), Adam(pick(model.parameters()), lr=0.05)
    untouched = [p.data for i, p in enumerate(model.parameters()) if i not in some]
    with Training(program, opt):
        got = [compiled_step(program, opt, rows) for _ in range(5)]
    expected = [eager_step(eager_model, eager_opt, rows) for _ in range(5)]
    assert got == pytest.approx(expected, rel=1e-12)
    assert [p.data for i, p in enumerate(model.parameters()) if i not in some] == untouched
    assert [p.data for p in model.parameters()] == pytest.approx([p.data for p in eager_model.parameters()], rel=1e-12)


def test_the_old_calls_still_work_outside_a_session_and_give_the_same_numbers() -> None:
    eager_model, old_program, rows = moons_program()
    model, program, _ = moons_program()
    old_opt, opt = SGD(eager_model.parameters(), lr=0.1), SGD(model.parameters(), lr=0.1)
    old = [compiled_step(old_program, old_opt, rows) for _ in range(5)]  # parameters read from the Values
    with Training(program, opt):
        new = [compiled_step(program, opt, rows) for _ in range(5)]
    assert new == old  # the same float operations in the same order: bit for bit
    assert [p.data for p in model.parameters()] == [p.data for p in eager_model.parameters()]


# ---- backward writing into the session's gradients -----------------------------------------------------------


def grads_of(model: nn.Module) -> list[float]:
    return [p.grad for p in model.parameters()]


def test_backward_in_a_session_accumulates_as_outside_whatever_zero_grad_left() -> None:
    # The products write straight into the session's gradients only after zero_grad; every other case must add.
    outside_model, outside, rows = moons_program()
    model, program, _ = moons_program()
    opt = SGD(model.parameters(), lr=0.1)
    with Training(program, opt):
        for prepare in ("zero_grad", "nothing", "a p.grad set by hand"):
            if prepare == "zero_grad":
                opt.zero_grad()
                outside_model.zero_grad()
            elif prepare == "a p.grad set by hand":
                model.parameters()[3].grad = 0.25
                outside_model.parameters()[3].grad = 0.25
            outside(rows)
            outside_batch = outside.backward()
            program(rows)
            batch = program.backward()
            np.testing.assert_array_equal(batch, outside_batch)  # this batch's gradient, in every case
            np.testing.assert_array_equal(grads_of(model), grads_of(outside_model))  # p.grad += it
    assert grads_of(model) == grads_of(outside_model)  # and after the session closed


def test_a_second_programs_backward_is_kept_when_the_first_program_runs_backward_after_it() -> None:
    model, program, rows = moons_program()
    outside_model, outside, _ = moons_program()
    opt = SGD(model.parameters(), lr=0.1)

    def second(of: nn.MLP) -> Program:  # another program over the same parameters, in the same order
        return trace(lambda s: of(s[:2]) * 3.0, rows[0].tolist(), of.parameters())

    with Training(program, opt) as session:
        other, outside_other = session.add(second(model)), second(outside_model)
        opt.zero_grad()
        outside_model.zero_grad()
        for p, q in ((other, program), (outside_other, outside)):
            p(rows)
            p.backward()
            q(rows)
            q.backward()
        np.testing.assert_array_equal(grads_of(model), grads_of(outside_model))


def test_the_gradient_returned_after_zero_grad_is_a_read_only_view_of_the_sessions() -> None:
    model, program, rows = moons_program()
    opt = SGD(model.parameters(), lr=0.1)
    with Training(program, opt) as session:
        opt.zero_grad()
        program(rows)
        batch = program.backward()
        assert not batch.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            batch[0] = 1.0
        np.testing.assert_array_equal(batch, session.grads)


def test_accumulate_false_in_a_session_leaves_every_p_grad_as_it_was() -> None:
    model, program, rows = moons_program()
    outside_model, outside, _ = moons_program()
    opt = SGD(model.parameters(), lr=0.1)
    with Training(program, opt):
        for zeroed in (True, False):
            if zeroed:
                opt.zero_grad()
            else:
                model.parameters()[0].grad = -1.5
            before = grads_of(model)
            program(rows)
            outside(rows)
            np.testing.assert_array_equal(program.backward(accumulate=False), outside.backward(accumulate=False))
            assert grads_of(model) == before
        opt.zero_grad()
        program(rows)
        program.backward()  # after accumulate=False from zero, the next backward still starts from zero
        outside_model.zero_grad()
        outside(rows)
        outside.backward()
        np.testing.assert_array_equal(grads_of(model), grads_of(outside_model))


def test_a_penalty_and_a_parameter_returned_as_it_is_reach_the_sessions_gradients() -> None:
    def build() -> tuple[list[Value], Program]:
        w, b = Value(0.5, label="w", role="parameter"), Value(-0.25, label="b", role="parameter")
        program = trace(lambda s: [s[0] * w, b], [1.0], [w, b], penalty=lambda: w * w * 0.1)
        return [w, b], program

    (w, b), program = build()
    (w_out, b_out), outside = build()
    rows = np.asarray([[1.0], [2.0], [-3.0]])
    opt = SGD([w, b], lr=0.1)
    with Training(program, opt):
        for _ in range(3):
            opt.zero_grad()
            w_out.grad = b_out.grad = 0.0
            program(rows)
            outside(rows)
            np.testing.assert_array_equal(program.backward(), outside.backward())
            assert (w.grad, b.grad) == (w_out.grad, b_out.grad)
            assert b.grad == 1.0  # the returned parameter's gradient: one per sample, averaged
            opt.step()
            for p, q in ((w_out, w), (b_out, b)):
                p.data = q.data


# ---- no Python work per parameter -------------------------------------------------------------------------------


def events_in_one_step(hidden: int, session: bool = True) -> tuple[int, int]:
    """Python lines run and functions called by one compiled step of MLP(2, [hidden, hidden, 1]); its parameter count.

    A loop over parameters in Python runs its body's lines once per parameter;
    `sys.settrace` sees every line of every Python frame, and `sys.setprofile`
    every call, Python or C, that Python code makes.
    """
    model, program, rows = moons_program(hidden=hidden)
    opt = Adam(model.parameters(), lr=0.01)
    events = 0

    def lines(frame: Any, event: str, arg: Any) -> Any:
        nonlocal events
        events += 1
        return lines

    def calls(frame: Any, event: str, arg: Any) -> None:
        nonlocal events
        events += event in ("call", "c_call")

    with Training(program, opt) if session else contextlib.nullcontext():
        compiled_step(program, opt, rows)  # the first call makes the buffers
        sys.settrace(lines)
        sys.setprofile(calls)
        try:
            compiled_step(program, opt, rows)
        finally:
            sys.setprofile(None)
            sys.settrace(None)
    return events, len(model.parameters())


def test_a_step_runs_as_much_python_for_ten_thousand_parameters_as_for_twenty_five() -> None:
    small, small_params = events_in_one_step(3)
    large, large_params = events_in_one_step(100)
    assert (small_params, large_params) == (25, 10501)
    assert small == large  # lines and calls per group and per formula, none per parameter
    # the counter sees a loop over parameters: outside a session, backward adds p.grad += g one by one
    assert events_in_one_step(100, session=False)[0] > large + 10_000


def test_a_step_neither_reads_nor_writes_a_value() -> None:
    model, program, rows = moons_program()
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    touched = 0

    def counted(real: property) -> property:
        def get(self: TrainedValue) -> float:
            nonlocal touched
            touched += 1
            return real.fget(self)  # type: ignore[misc, no-any-return]

        def set(self: TrainedValue, value: float) -> None:
            nonlocal touched
            touched += 1
            real.fset(self, value)  # type: ignore[misc]

        return property(get, set)

    with Training(program, opt):
        compiled_step(program, opt, rows)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(TrainedValue, "data", counted(TrainedValue.data))
            patch.setattr(TrainedValue, "grad", counted(TrainedValue.grad))
            compiled_step(program, opt, rows)
            assert touched == 0
            model.parameters()[0].grad += 1.0  # the counter does count: one read, one write
            assert touched == 2


# ---- refusals: the message names what was wrong, and nothing changes ---------------------------------------------


def snapshot(model: nn.MLP, opt: Optimizer) -> tuple[list[float], list[float], Any]:
    params = model.parameters()
    return [p.data for p in params], [p.grad for p in params], opt.state_dict()


def test_a_session_of_something_else_than_a_program_and_an_optimizer_is_refused() -> None:
    model, program, _ = moons_program()
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"^Training: program must be a compiled Program \(from compiler.trace\), got "):
        Training(model, opt)  # type: ignore[arg-type]
    with pytest.raises(
        TypeError, match=r"^Training: optimizer must be an optimizer of micrograd_ko.optim .*, got 0.1$"
    ):
        Training(program, 0.1)  # type: ignore[arg-type]
    assert not opt.attached and program.session is None
    assert all(type(p) is Value for p in model.parameters())


def test_an_optimizer_of_parameters_the_program_does_not_read_is_refused() -> None:
    model, program, _ = moons_program()
    stranger = Value(1.0, label="stranger", role="parameter")
    opt = SGD([*model.parameters(), stranger], lr=0.1)
    pattern = r"^Training: optimizer.params\[67\] must be a parameter the program reads .*, got the Value .*stranger"
    with pytest.raises(ValueError, match=pattern):
        Training(program, opt)
    assert not opt.attached and program.session is None
    assert all(type(p) is Value for p in model.parameters())


def test_a_second_session_on_the_same_parameters_is_refused_until_the_first_closes() -> None:
    model, program, _ = moons_program()
    other = trace(lambda s: model(s[:2]), [0.1, 0.2, 1.0], model.parameters())  # type: ignore[arg-type, return-value]
    first = Training(program, SGD(model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match=r"^Training: program must not be in another open training session .*, got "):
        Training(program, SGD(model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match=r"^Training: optimizer must not be attached to other arrays .*, got "):
        Training(other, first.optimizer)
    with pytest.raises(ValueError, match=r"^Training: program.params\[0\] must not be held by another open training"):
        Training(other, SGD(model.parameters(), lr=0.1))
    assert other.session is None
    first.close()
    first.close()  # a second close does nothing
    assert repr(first) == "Training(67 parameters, SGD, closed)"
    with Training(other, SGD(model.parameters(), lr=0.1)) as second:
        assert second.is_open
    assert not second.is_open


def test_a_non_finite_gradient_in_a_session_is_refused_and_changes_nothing() -> None:
    model, program, rows = moons_program()
    opt = Adam(model.parameters(), lr=0.01)
    with Training(program, opt) as session:
        compiled_step(program, opt, rows)
        opt.zero_grad()
        program.loss(rows)
        program.backward()
        model.parameters()[7].grad = math.nan
        before = snapshot(model, opt)
        values = session.values.copy()
        pattern = r"^Adam.step: params\[7\].grad must be a finite number \(nothing was updated; .*\), got nan for "
        with pytest.raises(ValueError, match=pattern):
            opt.step()
        assert np.array_equal(session.values, values)
        assert snapshot(model, opt)[0] == before[0] and snapshot(model, opt)[2] == before[2]
        assert opt.step_count == 1


def test_a_bad_number_or_batch_in_a_session_is_refused_and_changes_nothing() -> None:
    model, program, rows = moons_program()
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    with Training(program, opt):
        compiled_step(program, opt, rows)
        before = snapshot(model, opt)
        with pytest.raises(TypeError, match=r"^Value: data must be a real number, got 'big'$"):
            model.parameters()[3].data = "big"  # type: ignore[assignment]
        with pytest.raises(TypeError, match=r"^Value: grad must be a real number, got None$"):
            model.parameters()[3].grad = None  # type: ignore[assignment]
        with pytest.raises(ValueError, match=r"^Program.forward: batch must have shape \(n_samples, 3\) .*, got shape"):
            program.loss(rows[:, :2])
        assert snapshot(model, opt) == before


# ---- more than one program in a session --------------------------------------------------------------------------


def lstm_programs() -> tuple[list[Value], dict[int, Callable[[list[Value]], Value]]]:
    """An LSTM and its head, and the per-sample loss for windows of 3 and of 5 inputs (one program each)."""
    lstm, head = nn.LSTM(1, 3, seed=6), nn.Linear(3, 1, seed=7)

    def for_length(length: int) -> Callable[[list[Value]], Value]:
        def per_sample(s: list[Value]) -> Value:
            error = head([lstm([[x] for x in s[:length]])[0][-1]])[0][0] - s[length]
            return error * error

        return per_sample

    return lstm.parameters() + head.parameters(), {3: for_length(3), 5: for_length(5)}


def test_a_second_program_joins_the_session_an_lstm_over_two_sequence_lengths() -> None:
    phases = np.random.default_rng(8).uniform(0.0, 2.0 * np.pi, 6)
    windows = {n: np.sin(phases[:, None] + 0.4 * np.arange(n + 1)[None, :]) for n in (3, 5)}
    eager_params, eager_fns = lstm_programs()
    params, fns = lstm_programs()
    programs = {n: trace(fns[n], windows[n][0].tolist(), params) for n in (3, 5)}
    eager_opt, opt = Adam(eager_params, lr=0.02), Adam(params, lr=0.02)
    lengths = [3, 5, 5, 3, 5, 3, 3, 5]
    expected = []
    for n in lengths:
        eager_opt.zero_grad()
        loss = Value.sum(eager_fns[n]([Value(x) for x in row]) for row in windows[n].tolist()) / len(windows[n])
        loss.backward()
        eager_opt.step()
        expected.append(loss.data)
    with Training(programs[3], opt) as session:
        assert session.add(programs[5]) is programs[5]
        got = [compiled_step(programs[n], opt, windows[n]) for n in lengths]
    assert got == pytest.approx(expected, rel=1e-12)
    assert programs[3].session is None and programs[5].session is None
    assert [p.data for p in params] == pytest.approx([p.data for p in eager_params], rel=1e-12)


def test_an_evaluation_program_in_the_session_reads_the_array_through_its_index_map() -> None:
    model, program, rows = moons_program()
    params = model.parameters()
    scores = trace(lambda s: model(s[:2]), rows[0].tolist(), params[::-1])  # type: ignore[arg-type, return-value]
    opt = SGD(params, lr=0.1, momentum=0.9)
    with Training(program, opt) as session:
        session.add(scores)
        compiled_step(program, opt, rows)
        params[0].data = 0.25  # seen by both programs
        with pytest.MonkeyPatch.context() as patch:
            patch.delattr(TrainedValue, "data")  # a read of a Value would now see its stale slot, not the array
            during = scores(rows)
    after = scores(rows)  # read from the plain Values again
    assert np.array_equal(during, after)
    assert params[0].data == 0.25


def test_adding_a_program_that_does_not_fit_the_session_is_refused() -> None:
    model, program, rows = moons_program()
    stranger = Value(0.5, label="stranger", role="parameter")
    other = trace(lambda s: model(s[:2]) * stranger, rows[0].tolist(), [*model.parameters(), stranger])  # type: ignore[arg-type, operator]
    session = Training(program, SGD(model.parameters(), lr=0.1))
    with pytest.raises(ValueError, match=r"^Training.add: program.params\[67\] must be a parameter of this session's"):
        session.add(other)
    with pytest.raises(ValueError, match=r"^Training.add: program must not be in an open training session already"):
        session.add(program)
    with pytest.raises(TypeError, match=r"^Training.add: program must be a compiled Program .*, got 3$"):
        session.add(3)  # type: ignore[arg-type]
    assert session.programs == [program] and other.session is None
    session.close()
    with pytest.raises(ValueError, match=r"^Training.add: the session must be open, got Training\(67 parameters"):
        session.add(other)
