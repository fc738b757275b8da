"""The batch convention (a batch is a list of samples) and the containers Sequential and Residual."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from _layer_checks import compare_with_torch, gradcheck_layer, random_images

from micrograd_ko import Value, nn
from micrograd_ko.interop.torch import to_torch

# ---- the batch convention and Sequential -----------------------------------------------------------------------------


def test_batch_layers_take_a_batch_and_refuse_a_bare_sample() -> None:
    layer = nn.Linear(3, 2, seed=0)
    out = layer([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])
    assert len(out) == 2 and all(len(y) == 2 for y in out)
    with pytest.raises(TypeError, match=r"Linear: batch\[0\] must be a sample.*sample x is the batch \[x\].*got 1\.0"):
        layer([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"Linear: batch\[0\] must be a sample of shape \(3,\), got shape \(2,\)"):
        layer([[1.0, 2.0]])


@pytest.mark.parametrize(
    ("batch", "error", "says"),
    [
        ([[1.0, "a"]], TypeError, r"Linear: batch\[0\]\[1\] must be a finite number or a Value, got 'a'"),
        ([[1.0, 2.0], [None, 2.0]], TypeError, r"Linear: batch\[1\]\[0\] must be a finite number or a Value, got None"),
        ([[1.0, 2.0], (3.0, True)], TypeError, r"Linear: batch\[1\]\[1\] must be a finite number or a Value, got True"),
        ([[1.0, float("nan")]], ValueError, r"Linear: batch\[0\]\[1\] must be finite, got nan"),
        (np.array([[1.0, 2.0], [np.inf, 0.0]]), ValueError, r"Linear: batch\[1\]\[0\] must be finite, got inf"),
        ([[10**400, 1.0]], ValueError, r"Linear: batch\[0\]\[0\] must be a finite number or a Value, got 1000"),
        ([], ValueError, r"Linear: batch must be a non-empty list of samples .*, got \[\]"),
        (Value(1.0), TypeError, r"Linear: batch must be a non-empty list of samples .*, got Value"),
    ],
)
def test_a_bad_batch_is_refused_naming_the_item_by_its_index(batch: Any, error: type[Exception], says: str) -> None:
    with pytest.raises(error, match=says):
        nn.Linear(2, 1, seed=0)(batch)


def test_a_bad_pixel_is_named_by_its_index() -> None:
    images = random_images(2, 1, 3, 3).tolist()
    images[1][0][2][1] = "0.5"
    says = r"Conv2d: batch\[1\]\[0\]\[2\]\[1\] must be a finite number or a Value, got '0\.5'"
    with pytest.raises(TypeError, match=says):
        nn.Conv2d(1, 1, 2, seed=0)(images)


def test_sequential_lists_parameters_in_module_order_and_passes_modes_down() -> None:
    conv, norm, head = nn.Conv2d(1, 2, 3, seed=0), nn.BatchNorm1d(8), nn.Linear(8, 3, seed=1)
    model = nn.Sequential(conv, nn.ReLU(), nn.Flatten(), nn.Dropout(0.5, seed=0), norm, head)
    assert model.parameters() == conv.parameters() + norm.parameters() + head.parameters()
    model.eval()
    assert not any(m.training for m in model)
    model.train()
    assert all(m.training for m in model)
    assert len(model) == 6 and model[4] is norm


def test_sequential_applies_per_sample_modules_to_each_sample() -> None:
    layer = nn.Layer(3, 2, activation="tanh", seed=0)
    model = nn.Sequential(nn.Linear(2, 3, seed=1), layer)
    batch = [[0.5, -1.0], [2.0, 0.25]]
    out = model(batch)
    hidden = model[0](batch)
    assert [[v.data for v in y] for y in out] == [[v.data for v in layer(h)] for h in hidden]


def test_a_one_output_per_sample_module_keeps_each_sample_a_list() -> None:
    mlp, neuron, head = nn.MLP(2, [3, 1], seed=0), nn.Neuron(2, activation="tanh", seed=1), nn.Linear(1, 1, seed=2)
    head.bias[0].data = 0.25  # type: ignore[index]
    batch = [[0.5, -1.0], [2.0, 0.25]]
    for inner in (mlp, neuron):
        out = nn.Sequential(inner, head)(batch)
        by_hand = [inner(x).data * head.weight[0][0].data + 0.25 for x in batch]  # type: ignore[union-attr]
        assert [[v.data for v in y] for y in out] == [[pytest.approx(y, rel=1e-15)] for y in by_hand]
        assert [len(y) for y in nn.Sequential(inner)(batch)] == [1, 1]
    block = nn.Residual(nn.MLP(1, [2, 1], seed=0))
    assert [[v.data for v in y] for y in block([[1.5]])] == [[1.5 + block.module([1.5]).data]]  # type: ignore[attr-defined, union-attr]


def test_a_sequential_with_a_one_output_mlp_matches_its_torch_twin(torch: Any) -> None:
    model = nn.Sequential(nn.MLP(2, [3, 1], activation="tanh", seed=0), nn.Linear(1, 2, seed=1))
    batch = np.random.default_rng(0).normal(size=(3, 2))
    expected = to_torch(model)(torch.tensor(batch)).detach().numpy()
    np.testing.assert_allclose([[v.data for v in row] for row in model(batch)], expected, rtol=1e-12)


def test_a_slice_of_a_sequential_is_a_sequential_of_the_same_modules() -> None:
    first, act, head = nn.Linear(2, 3, seed=0), nn.Tanh(), nn.Linear(3, 1, seed=1)
    model = nn.Sequential(first, act, head)
    front = model[:2]
    assert isinstance(front, nn.Sequential) and list(front) == [first, act]
    batch = [[0.5, -1.0], [2.0, 0.25]]
    assert [[v.data for v in y] for y in front(batch)] == [[v.data for v in y] for y in act(first(batch))]
    assert list(model[1:]) == [act, head] and list(model[::2]) == [first, head] and model[-1] is head
    assert front.parameters() == first.parameters()
    with pytest.raises(ValueError, match=r"Sequential: index must select at least one module of 3, got slice\(3, None"):
        model[3:]


def test_sequential_needs_modules() -> None:
    with pytest.raises(ValueError, match="at least one"):
        nn.Sequential()
    with pytest.raises(TypeError, match=r"Sequential: modules\[1\] must be a micrograd_ko.nn Module, got str"):
        nn.Sequential(nn.ReLU(), "relu")  # type: ignore[arg-type]


def test_numpy_batches_become_input_values() -> None:
    images = random_images(2, 1, 4, 4)
    out = nn.Flatten()(images)
    assert [v.data for v in out[1]] == images[1].ravel().tolist()
    assert all(v.role == "input" for v in out[0])


# ---- Residual ---------------------------------------------------------------------------------------------------


def test_residual_adds_the_input() -> None:
    inner = nn.Linear(3, 3, seed=0)
    block = nn.Residual(inner)
    batch = [[1.0, -2.0, 0.5]]
    expected = [x + y.data for x, y in zip(batch[0], inner(batch)[0])]
    assert [v.data for v in block(batch)[0]] == pytest.approx(expected)
    assert block.parameters() == inner.parameters()


def test_residual_gradcheck() -> None:
    block = nn.Residual(nn.Sequential(nn.Linear(3, 3, seed=0), nn.Tanh()))
    gradcheck_layer(block, np.random.default_rng(0).normal(size=(2, 3)))


def test_residual_refuses_a_shape_change() -> None:
    says = r"Residual: module must keep a sample's shape .*Linear mapping shape \(3,\) to shape \(2,\)"
    with pytest.raises(ValueError, match=says):
        nn.Residual(nn.Linear(3, 2))([[1.0, 2.0, 3.0]])


def test_residual_matches_torch(torch: Any) -> None:
    block = nn.Residual(nn.Sequential(nn.Conv2d(2, 2, 3, padding=1, seed=0), nn.ReLU()))
    compare_with_torch(torch, block, random_images(2, 2, 4, 4))
