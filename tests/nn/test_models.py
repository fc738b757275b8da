"""Whole models of batch layers: state, save and load, torch both ways, a training step, and a CNN on digits."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from _layer_checks import compare_with_torch, random_images

from micrograd_ko import Value, data, losses, nn, no_grad
from micrograd_ko.interop.torch import from_torch, to_torch
from micrograd_ko.optim import Adam

# ---- a whole model: state, save/load, torch both ways ------------------------------------------------------


def _cnn(seed: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(1, 2, 3, padding=1, seed=seed),
        nn.ReLU(),
        nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Dropout(0.2, seed=seed),
        nn.Linear(8, 4, seed=seed + 1),
        nn.BatchNorm1d(4),
        nn.Residual(nn.Linear(4, 4, seed=seed + 2)),
        nn.Linear(4, 3, seed=seed + 3),
    )


def _outputs(model: nn.Sequential, batch: Any) -> list[list[float]]:
    with no_grad():
        return [[v.data for v in row] for row in model(batch)]


def test_sequential_save_and_load(tmp_path: Path) -> None:
    model = _cnn(seed=0)
    batch = random_images(3, 1, 4, 4)
    model(batch)  # one training call moves BatchNorm's running statistics
    model.eval()
    path = tmp_path / "cnn.json"
    model.save(path)
    other = _cnn(seed=5).eval()
    assert _outputs(other, batch) != _outputs(model, batch)
    other.load(path)
    assert other.state_dict() == model.state_dict()
    assert _outputs(other, batch) == _outputs(model, batch)
    assert other[6].running_var == model[6].running_var  # type: ignore[attr-defined]


def test_sequential_load_state_dict_refuses_a_mismatch_and_changes_nothing() -> None:
    model = _cnn(seed=0)
    before = model.state_dict()
    broken = _cnn(seed=1).state_dict()
    broken[5]["weight"] = broken[5]["weight"][:-1]
    with pytest.raises(ValueError, match=r"Sequential\[5\]\.weight"):
        model.load_state_dict(broken)
    assert model.state_dict() == before


def test_sequential_to_torch_and_back(torch: Any) -> None:
    model = _cnn(seed=0)
    batch = random_images(3, 1, 4, 4)
    model(batch)
    model.eval()
    net = to_torch(model)
    assert not net.training
    expected = _outputs(model, batch)
    np.testing.assert_allclose(net(torch.tensor(batch)).detach().numpy(), expected, rtol=1e-12, atol=1e-12)
    back = from_torch(net)
    assert isinstance(back, nn.Sequential)
    assert back.state_dict() == model.state_dict()
    assert _outputs(back, batch) == expected
    assert [type(m).__name__ for m in back] == [type(m).__name__ for m in model]


def test_cnn_training_step_matches_torch(torch: Any) -> None:
    model = nn.Sequential(
        nn.Conv2d(1, 3, 3, stride=1, padding=1, seed=0),
        nn.ReLU(),
        nn.AvgPool2d(2),
        nn.Flatten(),
        nn.Linear(12, 5, seed=1),
    )
    batch, labels = random_images(4, 1, 4, 4), [0, 3, 1, 4]
    compare_with_torch(torch, model, batch)
    twin = to_torch(model)
    logits = model(batch)
    loss = Value.sum(losses.softmax_cross_entropy(row, c) for row, c in zip(logits, labels)) / len(labels)
    loss_t = torch.nn.functional.cross_entropy(twin(torch.tensor(batch)), torch.tensor(labels))
    assert loss.data == pytest.approx(loss_t.item(), rel=1e-12)


def test_from_torch_reads_layers_and_refuses_what_it_cannot_match(torch: Any) -> None:
    tnn = torch.nn
    net = tnn.Sequential(
        tnn.Conv2d(1, 2, 3, padding=1, dtype=torch.float64),
        tnn.Tanh(),
        tnn.AvgPool2d(2),
        tnn.Flatten(),
        tnn.Dropout(0.1),
        tnn.BatchNorm1d(8, dtype=torch.float64),
        tnn.Linear(8, 2, dtype=torch.float64),
    ).eval()
    model = from_torch(net)
    assert isinstance(model, nn.Sequential)
    batch = random_images(2, 1, 4, 4)
    np.testing.assert_allclose(_outputs(model, batch), net(torch.tensor(batch)).detach().numpy(), rtol=1e-12)
    assert type(from_torch(net[0])) is nn.Conv2d
    assert type(from_torch(net[1])) is nn.Tanh
    refused = [
        (tnn.Conv2d(2, 2, 3, groups=2), "groups"),
        (tnn.Conv2d(1, 1, 3, padding=1, padding_mode="reflect"), "zero padding"),
        (tnn.AvgPool2d(2, ceil_mode=True), "ceil_mode"),
        (tnn.BatchNorm1d(3, affine=False), "affine"),
        (tnn.Flatten(0), "Flatten"),
        (tnn.GELU(), "no micrograd_ko.nn twin"),
    ]
    for module, message in refused:
        with pytest.raises(ValueError, match=message):
            from_torch(tnn.Sequential(module))


def test_to_torch_of_a_sequential_with_a_per_sample_layer(torch: Any) -> None:
    model = nn.Sequential(nn.Layer(3, 4, activation="tanh", seed=0), nn.Linear(4, 2, seed=1))
    batch = np.random.default_rng(0).normal(size=(2, 3))
    expected = [[v.data for v in row] for row in model(batch)]
    np.testing.assert_allclose(to_torch(model)(torch.tensor(batch)).detach().numpy(), expected, rtol=1e-12)


def test_sequential_with_maxpool_and_prelu_round_trips_through_torch(torch: Any, tmp_path: Path) -> None:
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, seed=0), nn.PReLU(2), nn.MaxPool2d(2), nn.Flatten())
    batch = random_images(2, 1, 4, 4)
    expected = _outputs(model, batch)
    np.testing.assert_allclose(to_torch(model)(torch.tensor(batch)).detach().numpy(), expected, rtol=1e-12)
    back = from_torch(to_torch(model))
    assert isinstance(back, nn.Sequential)
    assert back.state_dict() == model.state_dict() and _outputs(back, batch) == expected
    model.save(tmp_path / "m.json")
    other = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, seed=9), nn.PReLU(2, init=0.5), nn.MaxPool2d(2), nn.Flatten())
    other.load(tmp_path / "m.json")
    assert _outputs(other, batch) == expected


# ---- the CNN on digits -----------------------------------------------------------------------------------------

DIGITS_TRAIN, DIGITS_EPOCHS, DIGITS_BATCH, DIGITS_LR = 600, 4, 16, 0.02


def digits_cnn(seed: int = 0) -> nn.Sequential:
    """Conv 3x3 (1 -> 4 channels), ReLU, 2x2 max pooling, a linear head: 4·3·3 -> 10 logits."""
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, init="he", seed=seed),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(36, 10, seed=seed + 1),
    )


def test_small_cnn_reads_digits() -> None:
    pytest.importorskip("sklearn", reason='scikit-learn is not installed (pip install "micrograd_ko[notebooks]")')
    X, y = data.digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test_fraction=0.25, seed=0)
    X_train, y_train = X_train[:DIGITS_TRAIN], y_train[:DIGITS_TRAIN]
    model = digits_cnn()
    optimizer = Adam(model.parameters(), lr=DIGITS_LR)
    started = time.perf_counter()
    for epoch in range(DIGITS_EPOCHS):
        for X_batch, y_batch in data.batches(X_train, y_train, batch_size=DIGITS_BATCH, seed=epoch):
            logits = model(data.as_images(X_batch))
            loss = Value.sum(losses.softmax_cross_entropy(row, int(c)) for row, c in zip(logits, y_batch))
            optimizer.zero_grad()
            (loss / len(y_batch)).backward()
            optimizer.step()
    model.eval()
    with no_grad():
        predictions = [int(np.argmax([v.data for v in row])) for row in model(data.as_images(X_test))]
    accuracy = float(np.mean(np.array(predictions) == y_test))
    print(f"digits CNN: test accuracy {accuracy:.3f} after {time.perf_counter() - started:.1f} s of training")
    assert accuracy >= 0.90
