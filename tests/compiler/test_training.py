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

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pytest

from micrograd_ko import Value, data, losses, nn
from micrograd_ko.compiler import Training, trace
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
