"""Layers that read more than inputs and parameters: Dropout and BatchNorm1d compile correctly or refuse by name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from micrograd_ko import losses, nn
from micrograd_ko.compiler import CompileError, Program, trace
from micrograd_ko.optim import SGD

EXAMPLE = [0.1, -0.2, 0.3]
X = np.random.default_rng(0).normal(size=(6, 3))


def eager(model: nn.Module, batch: np.ndarray) -> np.ndarray:
    """The model's first output for each sample, run eagerly one sample at a time (as the program sees them)."""
    return np.asarray([model([list(x)])[0][0].data for x in batch.tolist()])


def traced(model: nn.Module) -> Program:
    return trace(lambda x: model([x])[0][0], EXAMPLE, model.parameters())


def dropout_model() -> nn.Sequential:
    return nn.Sequential(nn.Linear(3, 8, seed=1), nn.Dropout(0.5, seed=0), nn.Linear(8, 1, seed=2))


def batchnorm_model() -> nn.Sequential:
    return nn.Sequential(nn.Linear(3, 4, seed=1), nn.BatchNorm1d(4), nn.Linear(4, 1, seed=2))


def train_step(model: nn.Sequential, batch: np.ndarray) -> None:
    """One eager training step on the whole batch: the running statistics and γ, β all move."""
    model.train()
    opt = SGD(model.parameters(), lr=0.1)
    opt.zero_grad()
    outputs = model([list(x) for x in batch.tolist()])
    losses.mse([o[0] for o in outputs], [1.0] * len(outputs)).backward()
    opt.step()
    model.eval()


def test_dropout_is_refused_by_name_in_training_mode_and_compiles_in_eval_mode() -> None:
    model = dropout_model()
    with pytest.raises(CompileError) as error:
        traced(model)
    assert str(error.value) == (
        "trace: Dropout(p=0.5) in training mode cannot be compiled yet: its mask would be frozen; call model.eval() "
        "(dropout is the identity in eval mode) or train eagerly"
    )
    model.eval()  # the identity: nothing random left to freeze
    np.testing.assert_allclose(traced(model)(X), eager(model, X), rtol=1e-12, atol=1e-15)
    unused = nn.Sequential(nn.Linear(3, 2, seed=1), nn.Dropout(0.0), nn.Linear(2, 1, seed=2))  # p = 0 draws nothing
    np.testing.assert_allclose(traced(unused)(X), eager(unused, X), rtol=1e-12, atol=1e-15)


def test_batchnorm_in_training_mode_is_refused_by_name() -> None:
    with pytest.raises(CompileError) as error:
        traced(batchnorm_model())
    message = str(error.value)
    assert message.startswith("trace: BatchNorm1d(4, eps=1e-05, momentum=0.1) in training mode cannot be compiled")
    assert "cannot normalise over a batch" in message


def test_batchnorm_eval_rereads_the_running_statistics_after_a_training_step() -> None:
    model = batchnorm_model()
    train_step(model, X)
    program = traced(model)
    np.testing.assert_allclose(program(X), eager(model, X), rtol=1e-12, atol=1e-15)
    train_step(model, 3 * X + 1)  # running_mean, running_var, γ and β all change
    np.testing.assert_allclose(program(X), eager(model, X), rtol=1e-12, atol=1e-15)


def test_batchnorm_eval_rereads_the_running_statistics_after_a_load(tmp_path: Path) -> None:
    trained = batchnorm_model()
    train_step(trained, 3 * X + 1)
    trained.save(tmp_path / "bn.json")
    model = batchnorm_model()
    model.eval()
    program = traced(model)
    model.load(tmp_path / "bn.json")  # replaces the running statistics' lists
    np.testing.assert_allclose(program(X), eager(model, X), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(program(X), eager(trained, X), rtol=1e-12, atol=1e-15)


def test_batchnorm_eval_gradients_equal_eager_after_the_statistics_change() -> None:
    model = batchnorm_model()
    model.eval()
    program = traced(model)
    train_step(model, 3 * X + 1)
    program(X)
    compiled = program.backward(reduction="sum", accumulate=False)
    for p in model.parameters():
        p.grad = 0.0
    for x in X.tolist():
        model([x])[0][0].backward()
    np.testing.assert_allclose(compiled, [p.grad for p in model.parameters()], rtol=1e-12, atol=1e-15)
