"""micrograd_ko in compiled mode (issue 13): the per-sample graph traced once, each step run as numpy.

The program is traced from the same MLP the eager adapter trains: one sample
is (x1, x2, label) and its graph gives the hinge margin relu(1 - y s) and the
score s; `1e-4 * l2(params)` is the program's penalty.  Every engine here trains
with `optim.SGD` itself inside a `compiler.Training` session (issue 19): the
parameters live in one float64 array for the whole run, the program reads it,
backward adds into its gradient array and the optimizer's formula runs once on
whole arrays, so the losses equal eager mode's and no step loops over
parameters in Python.  numpy runs on one BLAS thread (the runner sets
OPENBLAS_NUM_THREADS=1 for every worker), as PyTorch does (torch_common).
"""

from __future__ import annotations

from typing import Any, NoReturn

import numpy as np

from benchmarks.engines import Unsupported
from benchmarks.problem import (
    CNN_LEARNING_RATE,
    L2_COEFFICIENT,
    LEARNING_RATE,
    LSTM_LEARNING_RATE,
    MOMENTUM,
    DigitsProblem,
    MoonsProblem,
    SequenceProblem,
    accuracy,
    class_accuracy,
    cnn_model,
    initial_model,
    learning_rate,
    lstm_model,
)
from micrograd_ko import losses
from micrograd_ko.autograd import Value
from micrograd_ko.compiler import Program, Training, trace
from micrograd_ko.optim import SGD


def moons_program(problem: MoonsProblem) -> tuple[Program, list[Value], np.ndarray]:
    """W1's program, its parameters (the seeded MLP) and the batch: rows of (x1, x2, label)."""
    model = initial_model(problem)
    params = model.parameters()
    batch = np.column_stack([np.asarray(problem.rows), np.asarray(problem.labels)])

    def per_sample(sample: list[Value]) -> list[Value]:
        score = model(sample[:2])
        assert isinstance(score, Value)
        return [(1.0 - sample[2] * score).relu(), score]

    program = trace(per_sample, batch[0].tolist(), params, penalty=lambda: L2_COEFFICIENT * losses.l2(params))
    return program, params, batch


class MoonsTrainer:
    """W1 compiled: forward and backward over all points as numpy, then optim.SGD on the training session's arrays.

    The loop is the eager one (`opt.zero_grad()`, forward, `program.backward()`,
    `opt.step()`) inside a `compiler.Training` session, opened once: the
    parameters stay in one float64 array and no step does Python work per
    parameter.  The loss adds the penalty that the forward call already ran.
    """

    def __init__(self, problem: MoonsProblem) -> None:
        self.program, self.params, self.batch = moons_program(problem)
        self.labels = problem.labels
        self.optimizer = SGD(self.params, lr=LEARNING_RATE, momentum=MOMENTUM)
        self.session = Training(self.program, self.optimizer)

    def _forward(self) -> tuple[float, list[float]]:
        outputs = self.program(self.batch)
        margins = outputs[:, 0]
        loss = float(margins.sum() / len(margins)) + self.program.last_penalty()
        return loss, outputs[:, 1].tolist()

    def loss_graph(self) -> float:
        return self._forward()[0]

    def evaluate(self) -> tuple[float, float]:
        loss, scores = self._forward()
        return loss, accuracy(scores, self.labels)

    def step(self, k: int) -> tuple[float, float]:
        self.optimizer.zero_grad()
        loss, scores = self._forward()
        self.program.backward(output_weights=(1.0, 0.0))
        self.optimizer.lr = learning_rate(k)
        self.optimizer.step()
        return loss, accuracy(scores, self.labels)


def make_trainer(problem: MoonsProblem) -> MoonsTrainer:
    return MoonsTrainer(problem)


# ---- W4 and W5: the curriculum's CNN and LSTM, compiled ----------------------------------------------


class _SgdProgramTrainer:
    """A traced per-sample loss (output 0) over one fixed batch, trained by optim.SGD in a `compiler.Training` session.

    Extra outputs (the CNN's logits) are returned beside the loss and left
    out of the gradient.  The losses equal the eager adapter's.
    """

    def __init__(self, program: Program, params: list[Value], batch: np.ndarray, lr: float) -> None:
        self.program, self.params, self.batch = program, params, batch
        self.optimizer = SGD(params, lr=lr)
        self.session = Training(program, self.optimizer)
        n_outputs = len(program.plan.outputs)
        self.weights = (1.0,) + (0.0,) * (n_outputs - 1)

    def _step(self) -> np.ndarray:
        self.optimizer.zero_grad()
        outputs = self.program(self.batch)
        self.program.backward(output_weights=self.weights)
        self.optimizer.step()
        return outputs


class CnnTrainer(_SgdProgramTrainer):
    """W4 compiled: one sample is 64 pixels then the label one-hot; its outputs the cross-entropy and the logits."""

    def __init__(self, problem: DigitsProblem) -> None:
        model = cnn_model()
        params = model.parameters()
        pixels = np.asarray(problem.images, dtype=float).reshape(len(problem.labels), -1)
        side = round(pixels.shape[1] ** 0.5)
        batch = np.column_stack([pixels, np.eye(10)[problem.labels]])

        def per_sample(s: list[Value]) -> list[Value]:
            image = [[s[r * side : (r + 1) * side] for r in range(side)]]
            logits = model([image])[0]
            return [-Value.dot(losses.log_softmax(logits), s[side * side :]), *logits]

        program = trace(per_sample, batch[0].tolist(), params)
        super().__init__(program, params, batch, CNN_LEARNING_RATE)
        self.labels = problem.labels

    def step(self, k: int) -> tuple[float, float]:
        """Forward and backward over the batch, SGD; (mean loss, accuracy) before the update."""
        outputs = self._step()
        return float(outputs[:, 0].sum() / len(outputs)), class_accuracy(outputs[:, 1:].tolist(), self.labels)


def make_cnn_trainer(problem: DigitsProblem) -> CnnTrainer:
    return CnnTrainer(problem)


class LstmTrainer(_SgdProgramTrainer):
    """W5 compiled: one sample is a sine window then its next value; one program for the sequence length."""

    def __init__(self, problem: SequenceProblem) -> None:
        lstm, head = lstm_model()
        params = lstm.parameters() + head.parameters()
        windows = np.asarray(problem.inputs, dtype=float)[:, :, 0]
        length = windows.shape[1]
        batch = np.column_stack([windows, problem.targets])

        def per_sample(s: list[Value]) -> Value:
            last = lstm([[x] for x in s[:length]])[0][-1]
            error = head([last])[0][0] - s[length]
            return error * error  # losses.mse's Value.dot(diffs, diffs) for one item

        program = trace(per_sample, batch[0].tolist(), params)
        super().__init__(program, params, batch, LSTM_LEARNING_RATE)

    def step(self, k: int) -> tuple[float, float]:
        """Forward and backward over the batch, SGD; (mean squared error, 0.0) before the update."""
        outputs = self._step()
        return float(outputs.sum() / len(outputs)), 0.0


def make_lstm_trainer(problem: SequenceProblem) -> LstmTrainer:
    return LstmTrainer(problem)


def _scalar_workload(*_: Any) -> NoReturn:
    raise Unsupported("compiled mode runs W1, W4 and W5 only")


chain = wide_leaves = wide = backward = grad = count_nodes = _scalar_workload
