"""BatchNorm1d: batch statistics in training, running ones in evaluation, against torch over several steps."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _layer_checks import compare_with_torch, gradcheck_layer

from micrograd_ko import nn
from micrograd_ko.interop.torch import to_torch


def test_batchnorm_training_normalises_each_feature() -> None:
    norm = nn.BatchNorm1d(3)
    batch = np.random.default_rng(0).normal(3.0, 2.0, size=(6, 3))
    out = np.array([[v.data for v in row] for row in norm(batch)])
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), batch.var(axis=0) / (batch.var(axis=0) + 1e-5), rtol=1e-12)
    np.testing.assert_allclose(norm.running_var, 0.9 + 0.1 * batch.var(axis=0, ddof=1))


def test_batchnorm_matches_torch_over_several_steps_then_in_eval(torch: Any) -> None:
    norm = nn.BatchNorm1d(3, momentum=0.2)
    for j, (g, b) in enumerate(zip(norm.weight, norm.bias)):
        g.data, b.data = 1.0 + 0.5 * j, -0.3 * j
    twin = to_torch(norm)
    rng = np.random.default_rng(0)
    for _ in range(4):
        twin.zero_grad()
        compare_with_torch(torch, norm, rng.normal(1.0, 2.0, size=(5, 3)), twin=twin)
        np.testing.assert_allclose(norm.running_mean, twin.running_mean.numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(norm.running_var, twin.running_var.numpy(), rtol=1e-12)
    norm.eval()
    twin.eval()
    twin.zero_grad()
    compare_with_torch(torch, norm, rng.normal(size=(4, 3)), twin=twin)
    assert norm.running_mean != [0.0] * 3


def test_batchnorm_gradcheck_in_training_and_eval_mode() -> None:
    norm = nn.BatchNorm1d(2)
    batch = np.random.default_rng(1).normal(size=(4, 2))
    gradcheck_layer(norm, batch)
    norm.running_mean, norm.running_var = [0.5, -1.0], [2.0, 0.5]
    norm.eval()
    gradcheck_layer(norm, batch)


def test_batchnorm_refuses_a_single_sample_in_training() -> None:
    norm = nn.BatchNorm1d(2)
    with pytest.raises(ValueError, match=r"BatchNorm1d: batch must hold at least 2 samples in training mode.*, got 1"):
        norm([[1.0, 2.0]])
    norm.eval()
    assert len(norm([[1.0, 2.0]])) == 1


def test_batchnorm_parameter_order_and_state() -> None:
    norm = nn.BatchNorm1d(3)
    assert norm.parameters() == [*norm.weight, *norm.bias]
    assert [p.data for p in norm.parameters()] == [1.0] * 3 + [0.0] * 3
    state = norm.state_dict()
    assert state == {"weight": [1.0] * 3, "bias": [0.0] * 3, "running_mean": [0.0] * 3, "running_var": [1.0] * 3}
    with pytest.raises(ValueError, match="running_var"):
        norm.load_state_dict({**state, "running_var": [1.0, -1.0, 1.0]})


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        ({"eps": 0}, ValueError, r"BatchNorm1d: eps must be a positive number, got 0$"),
        ({"eps": -1e-5}, ValueError, r"BatchNorm1d: eps must be a positive number, got -1e-05"),
        ({"eps": float("nan")}, ValueError, r"BatchNorm1d: eps must be a positive number, got nan"),
        ({"eps": float("inf")}, ValueError, r"BatchNorm1d: eps must be a positive number, got inf"),
        ({"eps": "1e-5"}, TypeError, r"BatchNorm1d: eps must be a positive number, got '1e-5'"),
        ({"momentum": 1.5}, ValueError, r"BatchNorm1d: momentum must be a number in \[0, 1\], got 1\.5"),
        ({"momentum": 2}, ValueError, r"BatchNorm1d: momentum must be a number in \[0, 1\], got 2$"),
        ({"momentum": 1 + 1e-12}, ValueError, r"BatchNorm1d: momentum must be a number in \[0, 1\], got 1\.0000"),
        ({"momentum": -0.1}, ValueError, r"BatchNorm1d: momentum must be a number in \[0, 1\], got -0\.1"),
        ({"momentum": float("nan")}, ValueError, r"BatchNorm1d: momentum must be a number in \[0, 1\], got nan"),
        ({"momentum": True}, TypeError, r"BatchNorm1d: momentum must be a number in \[0, 1\], got True"),
    ],
)
def test_batchnorm_refuses_eps_and_momentum_outside_their_ranges(
    arguments: dict[str, Any], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        nn.BatchNorm1d(2, **arguments)


def test_batchnorm_momentum_0_keeps_and_1_replaces_the_running_statistics() -> None:
    # torch's rule: running = (1 - momentum)·running + momentum·batch, with momentum anywhere in [0, 1]
    batch = np.random.default_rng(3).normal(2.0, 3.0, size=(5, 2))
    frozen, newest = nn.BatchNorm1d(2, momentum=0), nn.BatchNorm1d(2, momentum=1)
    assert frozen.momentum == 0.0 and newest.momentum == 1.0
    for norm in (frozen, newest):
        norm(batch)
    assert frozen.running_mean == [0.0, 0.0] and frozen.running_var == [1.0, 1.0]
    np.testing.assert_allclose(newest.running_mean, batch.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(newest.running_var, batch.var(axis=0, ddof=1), rtol=1e-14)
