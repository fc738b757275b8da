"""Layers that read more than inputs and parameters: Dropout and BatchNorm1d compile correctly or refuse by name.

Dropout in training mode draws a fresh mask per sample per call (the same draws as an eager call on the same
batch); BatchNorm1d in training mode normalises over the program's batch and updates its running statistics
as eager does; in eval mode it re-reads the running statistics at every call.  A layer that reads randomness or
batch statistics without saying how to compute them at run time is refused by name.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from micrograd_ko import losses, nn
from micrograd_ko.autograd import Value
from micrograd_ko.compiler import CompileError, Program, trace
from micrograd_ko.nn.module import side_input
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


# ---- Dropout in training mode --------------------------------------------------------------------------------------


def eager_batch(model: nn.Module, batch: np.ndarray) -> np.ndarray:
    """The model's first output for each sample, from ONE eager call on the whole batch (one mask draw)."""
    return np.asarray([out[0].data for out in model([list(x) for x in batch.tolist()])])


def test_dropout_training_draws_what_an_eager_call_on_the_same_batch_draws_from_the_same_seed() -> None:
    compiled, twin = dropout_model(), dropout_model()  # the same seeds: the same weights and the same generator
    program = traced(compiled)  # tracing draws nothing
    for batch in (X, 2 * X, X[:4]):
        np.testing.assert_allclose(program(batch), eager_batch(twin, batch), rtol=1e-12, atol=1e-15)


def test_dropout_training_gradients_equal_eager_with_the_same_masks() -> None:
    compiled, twin = dropout_model(), dropout_model()
    program = traced(compiled)
    for _ in range(2):
        program(X)
        got = program.backward(reduction="sum", accumulate=False)
        twin.zero_grad()
        Value.sum([out[0] for out in twin([list(x) for x in X.tolist()])]).backward()
        np.testing.assert_allclose(got, [p.grad for p in twin.parameters()], rtol=1e-12, atol=1e-15)


def dropout_program(p: float, seed: int, size: int) -> Program:
    drop = nn.Dropout(p, seed=seed)
    return trace(lambda x: drop([x])[0], [1.0] * size, [])


def test_dropout_masks_differ_between_samples_and_between_calls() -> None:
    program = dropout_program(0.5, seed=3, size=20)
    ones = np.ones((50, 20))
    first, second = program(ones), program(ones)
    assert set(np.unique(first)) == {0.0, 2.0}
    assert len({tuple(row) for row in first.tolist()}) == 50  # every sample its own mask
    assert not np.array_equal(first, second)  # and every call a new one


def test_dropout_drops_the_fraction_p_and_keeps_the_mean() -> None:
    program = dropout_program(0.3, seed=7, size=100)
    out = program(np.ones((2000, 100)))  # 200,000 draws: the standard error of the fraction is 0.001
    assert abs(np.mean(out == 0.0) - 0.3) < 0.01
    assert abs(out.mean() - 1.0) < 0.01  # kept values are scaled by 1/(1-p)
    np.testing.assert_allclose(out[out != 0.0], 1.0 / 0.7, rtol=1e-15)


def test_dropout_programs_are_reproducible_from_the_seed() -> None:
    ones = np.ones((30, 10))
    a, b, c = (dropout_program(0.5, seed, 10) for seed in (11, 11, 12))
    np.testing.assert_array_equal(a(ones), b(ones))
    np.testing.assert_array_equal(a(ones), b(ones))  # call after call
    assert not np.array_equal(a(ones), c(ones))


def test_dropout_in_eval_mode_is_the_identity() -> None:
    drop = nn.Dropout(0.5, seed=0)
    drop.eval()
    program = trace(lambda x: drop([x])[0], [1.0, 2.0, 3.0], [])
    np.testing.assert_array_equal(program(X), X)
    model = dropout_model()
    model.eval()
    np.testing.assert_allclose(traced(model)(X), eager(model, X), rtol=1e-12, atol=1e-15)
    unused = nn.Sequential(nn.Linear(3, 2, seed=1), nn.Dropout(0.0), nn.Linear(2, 1, seed=2))  # p = 0 draws nothing
    np.testing.assert_allclose(traced(unused)(X), eager(unused, X), rtol=1e-12, atol=1e-15)


def test_check_is_refused_for_a_random_mask_by_the_layers_name() -> None:
    model = dropout_model()
    with pytest.raises(CompileError, match=r"check must be False for a graph with Dropout\(p=0.5\) in training"):
        trace(lambda x: model([x])[0][0], EXAMPLE, model.parameters(), check=True)


# ---- BatchNorm1d in training mode ----------------------------------------------------------------------------------


def eager_step(model: nn.Module, batch: np.ndarray, lr: float) -> tuple[np.ndarray, np.ndarray]:
    """One eager training call on the whole batch: its outputs and the mean output's gradient; then SGD."""
    model.zero_grad()
    outputs = [out[0] for out in model([list(x) for x in batch.tolist()])]
    (Value.sum(outputs) / len(outputs)).backward()
    grads = np.asarray([p.grad for p in model.parameters()])
    for p in model.parameters():
        p.data -= lr * p.grad
    return np.asarray([o.data for o in outputs]), grads


def compiled_step(program: Program, model: nn.Module, batch: np.ndarray, lr: float) -> tuple[np.ndarray, np.ndarray]:
    outputs = program(batch)
    grads = program.backward(accumulate=False)  # the mean over the batch
    for p, g in zip(model.parameters(), grads.tolist()):
        p.data -= lr * g
    return outputs, grads


def running(model: nn.Sequential) -> list[float]:
    norm = model.modules[1]
    assert isinstance(norm, nn.BatchNorm1d)
    return [*norm.running_mean, *norm.running_var]


def test_batchnorm_training_compiled_equals_eager_over_several_steps() -> None:
    compiled, twin = batchnorm_model(), batchnorm_model()
    program = traced(compiled)
    assert running(compiled) == running(twin)  # tracing moves no statistic
    assert {g.kind for g in program.plan} >= {"batch"}
    rng = np.random.default_rng(5)
    for step in range(4):
        batch = rng.normal(size=(7 + step, 3)) * (1 + step)
        got, got_grads = compiled_step(program, compiled, batch, 0.1)
        want, want_grads = eager_step(twin, batch, 0.1)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(got_grads, want_grads, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(running(compiled), running(twin), rtol=1e-12, atol=1e-15)
        assert running(compiled) != running(batchnorm_model())  # they did move


def test_batchnorm_training_on_the_inputs_and_after_a_load(tmp_path: Path) -> None:
    def model() -> nn.Sequential:
        return nn.Sequential(nn.BatchNorm1d(3, momentum=0.3), nn.Linear(3, 2, seed=4), nn.ReLU(), nn.Linear(2, 1))

    trained = model()
    for batch in (X, 3 * X + 1):
        eager_step(trained, batch, 0.05)
    trained.save(tmp_path / "bn.json")
    compiled, twin = model(), model()
    program = trace(lambda x: compiled([x])[0][0], EXAMPLE, compiled.parameters())
    compiled.load(tmp_path / "bn.json")  # new running statistics' lists, and new weights
    twin.load(tmp_path / "bn.json")
    for batch in (X, X[::-1] * 2):
        got, got_grads = compiled_step(program, compiled, batch, 0.05)
        want, want_grads = eager_step(twin, batch, 0.05)
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(got_grads, want_grads, rtol=1e-12, atol=1e-12)
    norm, twin_norm = compiled.modules[0], twin.modules[0]
    assert isinstance(norm, nn.BatchNorm1d) and isinstance(twin_norm, nn.BatchNorm1d)
    np.testing.assert_allclose(norm.running_mean, twin_norm.running_mean, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(norm.running_var, twin_norm.running_var, rtol=1e-12, atol=1e-15)


def test_batchnorm_training_needs_two_samples_compiled_as_eagerly() -> None:
    program = traced(batchnorm_model())
    with pytest.raises(ValueError, match="at least 2 samples in training mode"):
        program(X[:1])
    with pytest.raises(CompileError, match=r"check must be False for a graph with BatchNorm1d\(4"):
        model = batchnorm_model()
        trace(lambda x: model([x])[0][0], EXAMPLE, model.parameters(), check=True)


# ---- what cannot compile -------------------------------------------------------------------------------------------


class Jitter(nn.BatchModule):
    """A layer that reads randomness without saying how to draw it again."""

    def forward(self, batch: list[list[Value]]) -> list[list[Value]]:
        side_input(self, "random mask")
        return batch


class BatchCentre(nn.BatchModule):
    """A layer that reads batch statistics without saying how to take them at run time."""

    def forward(self, batch: list[list[Value]]) -> list[list[Value]]:
        side_input(self, "batch statistics")
        return batch


@pytest.mark.parametrize(
    ("layer", "says"),
    [(Jitter(), "draws a random mask without saying how"), (BatchCentre(), "takes statistics over the batch")],
)
def test_a_layer_that_cannot_say_how_to_compute_its_side_input_is_refused_by_name(
    layer: nn.BatchModule, says: str
) -> None:
    model = nn.Sequential(nn.Linear(3, 2, seed=1), layer, nn.Linear(2, 1, seed=2))
    with pytest.raises(CompileError) as error:
        traced(model)
    assert str(error.value).startswith(f"trace: {layer!r} {says}")


def test_dropout_after_a_convolution_draws_in_eager_modes_order_and_trains_with_batchnorm() -> None:
    def cnn() -> nn.Sequential:
        return nn.Sequential(
            nn.Conv2d(1, 2, 2, seed=1), nn.Dropout(0.4, seed=5), nn.Flatten(), nn.Linear(8, 3, seed=2),
            nn.BatchNorm1d(3), nn.ReLU(), nn.Dropout(0.2, seed=6), nn.Linear(3, 1, seed=3),
        )  # fmt: skip

    compiled, twin = cnn(), cnn()
    program = trace(lambda x: compiled([x])[0][0], [[[0.1, 0.2, 0.3]] * 3], compiled.parameters())
    images = np.random.default_rng(8).normal(size=(6, 1, 3, 3))
    for _ in range(3):
        got = program(images)
        grads = program.backward(accumulate=False)
        twin.zero_grad()
        outputs = [out[0] for out in twin(images.tolist())]
        (Value.sum(outputs) / len(outputs)).backward()
        np.testing.assert_allclose(got, [o.data for o in outputs], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(grads, [p.grad for p in twin.parameters()], rtol=1e-12, atol=1e-12)
        for model, g in ((compiled, grads), (twin, np.asarray([p.grad for p in twin.parameters()]))):
            for p, step in zip(model.parameters(), g.tolist()):
                p.data -= 0.1 * step


# ---- Dropout and BatchNorm1d inside a training session -------------------------------------------------------------


def regularised_model() -> nn.Sequential:
    # No bias before the batch norm: its gradient is rounding noise (the mean is subtracted), which Adam would scale
    # up to steps of size lr in whichever direction the noise points, differently in the two summation orders.
    return nn.Sequential(
        nn.Linear(3, 6, bias=False, seed=1),
        nn.BatchNorm1d(6),
        nn.ReLU(),
        nn.Dropout(0.3, seed=4),
        nn.Linear(6, 1, seed=2),
    )


def test_a_training_session_trains_dropout_and_batchnorm_as_eager_training_does() -> None:
    from micrograd_ko.compiler import Training
    from micrograd_ko.data import batches
    from micrograd_ko.optim import Adam

    compiled, twin = regularised_model(), regularised_model()
    program = trace(lambda s: (compiled([s[:3]])[0][0] - s[3]) ** 2, [*EXAMPLE, 1.0], compiled.parameters())
    compiled_opt, eager_opt = Adam(compiled.parameters(), lr=0.05), Adam(twin.parameters(), lr=0.05)
    rng = np.random.default_rng(3)
    X_all = rng.normal(size=(23, 3))
    y_all = X_all[:, 0] - 2 * X_all[:, 1] * X_all[:, 2]
    got, want = [], []
    with Training(program, compiled_opt):
        for epoch in range(4):
            for xb, yb in batches(X_all, y_all, 8, seed=epoch):  # 8, 8 and 7 samples
                compiled_opt.zero_grad()
                got.append(program.loss(np.column_stack([xb, yb])))
                program.backward()
                compiled_opt.step()
                eager_opt.zero_grad()
                outputs = [out[0] for out in twin([list(x) for x in xb.tolist()])]
                loss = losses.mse(outputs, yb.tolist())
                loss.backward()
                eager_opt.step()
                want.append(loss.data)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
    assert min(got[-3:]) < 0.8 * max(got[:3])  # it learned: the steps were real
    np.testing.assert_allclose(
        [p.data for p in compiled.parameters()], [p.data for p in twin.parameters()], rtol=1e-12, atol=1e-14
    )
    np.testing.assert_allclose(running(compiled), running(twin), rtol=1e-12, atol=1e-15)
