"""The bridge to PyTorch: to_torch(mlp) / from_torch(sequential) keep weights, outputs and training identical."""

from __future__ import annotations

import sys
from typing import Any, cast

import numpy as np
import pytest

from micrograd_ko import Value, data, losses
from micrograd_ko import nn as mnn
from micrograd_ko.interop.torch import from_torch, to_torch
from micrograd_ko.nn import MLP
from micrograd_ko.optim import SGD

TORCH_MISSING = "PyTorch is not installed (pip install 'micrograd_ko[torch]')"


@pytest.fixture
def torch() -> Any:
    return pytest.importorskip("torch", reason=TORCH_MISSING)


def _outputs(model: MLP, rows: list[list[float]]) -> list[list[float]]:
    results = []
    for row in rows:
        out = model(row)
        results.append([v.data for v in out] if isinstance(out, list) else [out.data])
    return results


@pytest.mark.parametrize(
    ("activation", "output_activation", "bias"),
    [("relu", None, True), ("tanh", "sigmoid", True), ("sigmoid", "tanh", False), ("elu", None, True)],
)
def test_to_torch_computes_the_same_function(torch: Any, activation: str, output_activation: str, bias: bool) -> None:
    model = MLP(3, [5, 4, 2], activation=activation, output_activation=output_activation, bias=bias, seed=3)
    net = to_torch(model)
    rows = np.random.default_rng(0).normal(size=(7, 3)).tolist()
    expected = _outputs(model, rows)
    got = net(torch.tensor(rows, dtype=torch.float64)).tolist()
    assert np.allclose(got, expected, rtol=1e-12, atol=1e-14)
    assert all(p.dtype == torch.float64 for p in net.parameters())


def test_to_torch_lays_out_weights_in_parameter_order(torch: Any) -> None:
    model = MLP(2, [3, 1], seed=0)
    net = to_torch(model)
    assert [type(m).__name__ for m in net] == ["Linear", "ReLU", "Linear"]
    flat = [v for layer in net if isinstance(layer, torch.nn.Linear) for v in _rows_with_bias(layer)]
    assert flat == [p.data for p in model.parameters()]


def _rows_with_bias(linear: Any) -> list[float]:
    return [v for row, b in zip(linear.weight.tolist(), linear.bias.tolist()) for v in (*row, b)]


def test_round_trip_through_torch_is_exact(torch: Any) -> None:
    model = MLP(4, [6, 3], activation="leaky_relu", output_activation="softplus", seed=11)
    back = from_torch(to_torch(model))
    assert isinstance(back, MLP)
    assert back.state_dict() == model.state_dict()
    assert repr(back) == repr(model)


def test_from_torch_reads_a_torch_model(torch: Any) -> None:
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1)
    ).double()
    model = from_torch(net)
    assert isinstance(model, MLP)
    assert (model.nin, model.nouts, model.activation, model.output_activation) == (2, [8, 8, 1], "tanh", None)
    rows = np.random.default_rng(1).normal(size=(5, 2)).tolist()
    got = _outputs(model, rows)
    assert np.allclose(got, net(torch.tensor(rows, dtype=torch.float64)).tolist(), rtol=1e-12, atol=1e-14)
    again = to_torch(model)
    for a, b in zip(net.parameters(), again.parameters()):
        assert torch.equal(a, b)


def test_the_two_models_are_independent_copies(torch: Any) -> None:
    model = MLP(2, [2, 1], seed=0)
    net = to_torch(model)
    with torch.no_grad():
        net[0].weight.fill_(5.0)
    assert all(p.data != 5.0 for p in model.parameters())


def test_training_in_both_gives_the_same_losses(torch: Any) -> None:
    """Same moons data, same weights, hinge + L2, plain SGD: losses agree to 1e-9 at every step."""
    X, y = data.moons(n=30, noise=0.1, seed=2, labels="pm1")
    rows, labels = X.tolist(), y.tolist()
    model = MLP(2, [8, 8, 1], seed=4)
    net = to_torch(model)
    optimizer = SGD(model.parameters(), lr=0.2)
    torch_optimizer = torch.optim.SGD(net.parameters(), lr=0.2)
    Xt, yt = torch.tensor(rows, dtype=torch.float64), torch.tensor(labels, dtype=torch.float64)
    ours, theirs = [], []
    for _ in range(8):
        scores = [cast(Value, model(row)) for row in rows]
        loss = losses.hinge(scores, labels) + 1e-3 * losses.l2(model.parameters())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        ours.append(loss.data)

        torch_loss = torch.relu(1 - yt * net(Xt).squeeze(1)).mean() + 1e-3 * sum(
            (p * p).sum() for p in net.parameters()
        )
        torch_optimizer.zero_grad()
        torch_loss.backward()
        torch_optimizer.step()
        theirs.append(torch_loss.item())
    assert ours == pytest.approx(theirs, abs=1e-9, rel=0)
    assert ours[-1] < ours[0]
    trained = from_torch(net)
    assert isinstance(trained, MLP)
    assert np.allclose(_flat(trained), _flat(model), rtol=0, atol=1e-9)


def _flat(model: mnn.Module) -> list[float]:
    return [p.data for p in model.parameters()]


def test_from_torch_refuses_stacks_that_cannot_work(torch: Any) -> None:
    nn = torch.nn
    cases = [
        (nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(4, 1)), r"module\[2\] .*takes 4 inputs"),
        (nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.2), nn.Linear(3, 1)), "negative_slope"),
        (nn.Sequential(), "no Linear"),
    ]
    for sequential, message in cases:
        with pytest.raises(ValueError, match=message):
            from_torch(sequential)


STACKS_NO_MLP_CAN_EXPRESS = {
    "a module an MLP has not": lambda t: [t.Linear(2, 3), t.Dropout(0.5), t.Linear(3, 1)],
    "hidden activations that differ": lambda t: [t.Linear(2, 3), t.ReLU(), t.Linear(3, 3), t.Tanh(), t.Linear(3, 1)],
    "a bias in some layers only": lambda t: [t.Linear(2, 3, bias=False), t.ReLU(), t.Linear(3, 1)],
    "an activation before any Linear": lambda t: [t.ReLU(), t.Linear(2, 1)],
    "a second activation after one Linear": lambda t: [t.Linear(2, 3), t.ReLU(), t.ReLU()],
}


@pytest.mark.parametrize("case", STACKS_NO_MLP_CAN_EXPRESS)
def test_a_stack_an_mlp_cannot_express_becomes_a_sequential(torch: Any, case: str) -> None:
    net = torch.nn.Sequential(*STACKS_NO_MLP_CAN_EXPRESS[case](torch.nn)).double().eval()
    model = from_torch(net)
    assert isinstance(model, mnn.Sequential) and not model.training
    rows = np.random.default_rng(0).normal(size=(4, 2))
    with torch.no_grad():
        expected = net(torch.tensor(rows)).tolist()
    assert np.allclose([[v.data for v in row] for row in model(rows)], expected, rtol=1e-12, atol=1e-14)


def test_from_torch_reads_a_single_layer_as_its_twin(torch: Any) -> None:
    model = from_torch(torch.nn.Linear(2, 1))
    assert isinstance(model, mnn.Linear) and (model.in_features, model.out_features) == (2, 1)


def test_from_torch_refuses_non_finite_weights(torch: Any) -> None:
    net = torch.nn.Sequential(torch.nn.Linear(2, 1))
    with torch.no_grad():
        net[0].weight[0, 1] = float("nan")
    with pytest.raises(ValueError, match="finite"):
        from_torch(net)


def test_to_torch_refuses_the_step_activation(torch: Any) -> None:
    with pytest.raises(ValueError, match=r"to_torch: activation must be one with a torch\.nn equivalent.*, got 'step'"):
        to_torch(MLP(2, [3, 1], activation="step", seed=0))


def test_a_clear_error_when_torch_is_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    model = MLP(2, [1], seed=0)
    with pytest.raises(ImportError, match=r"to_torch needs PyTorch.*pip install torch"):
        to_torch(model)
    with pytest.raises(ImportError, match=r"from_torch needs PyTorch"):
        from_torch(object())
