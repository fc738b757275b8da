"""The batch layers of nn (Sequential, Linear, Conv2d, pools, Flatten, Dropout, BatchNorm1d, PReLU, Residual).

Every layer is gradchecked (in training and evaluation mode where they differ) and, where PyTorch has the
same layer, compared with it in float64 on the same weights: outputs, and the gradient of every parameter
and every input.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from micrograd_ko import Value, data, gradcheck, losses, nn, no_grad
from micrograd_ko.interop.torch import from_torch, to_torch
from micrograd_ko.optim import Adam

TORCH_MISSING = "PyTorch is not installed (pip install 'micrograd_ko[torch]')"


@pytest.fixture
def torch() -> Any:
    torch = pytest.importorskip("torch", reason=TORCH_MISSING)
    torch.set_num_threads(1)
    return torch


# ---- helpers --------------------------------------------------------------------------------------------------------


def _flat(x: Any) -> list[Value]:
    if isinstance(x, Value):
        return [x]
    return [v for item in x for v in _flat(item)]


def _values(array: np.ndarray) -> Any:
    """Nested lists of fresh input Values holding `array`'s numbers."""
    if array.ndim == 0:
        return Value(float(array))
    return [_values(a) for a in array]


def _rebind(obj: Any, mapping: dict[int, Value]) -> Any:
    """Replace, inside a module's attributes, every Value whose id is in `mapping` (test helper for gradcheck)."""
    if isinstance(obj, Value):
        return mapping.get(id(obj), obj)
    if isinstance(obj, tuple):
        return tuple(_rebind(x, mapping) for x in obj)
    if isinstance(obj, list):
        return [_rebind(x, mapping) for x in obj]
    if isinstance(obj, dict):
        return {k: _rebind(v, mapping) for k, v in obj.items()}
    if isinstance(obj, nn.Module):
        for name, value in list(vars(obj).items()):
            setattr(obj, name, _rebind(value, mapping))
    return obj


COEFFICIENTS = np.random.default_rng(1234).normal(size=5000).tolist()


def _gradcheck_layer(layer: nn.Module, batch: np.ndarray, before: Callable[[], None] | None = None) -> None:
    """gradcheck of Σ c_k · out_k (fixed random c) with respect to every input and every parameter."""
    params = layer.parameters()
    n_in = batch.size

    def weighted_output(*values: Value) -> Value:
        xs, ps = values[:n_in], values[n_in:]
        _rebind(layer, {id(p): v for p, v in zip(params, ps)})
        try:
            if before is not None:
                before()
            it = iter(xs)
            inputs = _map_array(batch, lambda _: next(it))
            out = _flat(layer(inputs))
        finally:
            _rebind(layer, {id(v): p for p, v in zip(params, ps)})
        return Value.dot(COEFFICIENTS[: len(out)], out)

    report = gradcheck(weighted_output, [*batch.ravel().tolist(), *[p.data for p in params]])
    assert report.ok and len(report.rows) == n_in + len(params)


def _map_array(array: np.ndarray, fn: Callable[[float], Any]) -> Any:
    if array.ndim == 0:
        return fn(float(array))
    return [_map_array(a, fn) for a in array]


def _compare_with_torch(torch: Any, layer: nn.BatchModule, batch: np.ndarray, twin: Any = None) -> Any:
    """Run `layer` and its torch twin on `batch`; outputs and all gradients must agree to ~1e-12."""
    twin = to_torch(layer) if twin is None else twin
    x_t = torch.tensor(batch, dtype=torch.float64, requires_grad=True)
    out_t = twin(x_t)
    c = np.asarray(COEFFICIENTS[: out_t.numel()]).reshape(tuple(out_t.shape))
    (out_t * torch.tensor(c)).sum().backward()

    xs = _values(batch)
    out = layer(xs)
    assert np.array(out, dtype=object).shape == tuple(out_t.shape)
    loss = Value.dot(c.ravel().tolist(), _flat(out))
    layer.zero_grad()
    loss.backward()
    np.testing.assert_allclose([v.data for v in _flat(out)], out_t.detach().numpy().ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose([v.grad for v in _flat(xs)], x_t.grad.numpy().ravel(), rtol=1e-10, atol=1e-12)
    torch_grads = [g for p in twin.parameters() for g in p.grad.numpy().ravel()]
    ours = [p.grad for p in layer.parameters()]
    assert len(ours) == len(torch_grads)
    np.testing.assert_allclose(ours, torch_grads, rtol=1e-10, atol=1e-12)
    return twin


def _images(n: int, channels: int, height: int, width: int, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, channels, height, width))


# ---- the batch convention and Sequential -----------------------------------------------------------------------------


def test_batch_layers_take_a_batch_and_refuse_a_bare_sample() -> None:
    layer = nn.Linear(3, 2, seed=0)
    out = layer([[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]])
    assert len(out) == 2 and all(len(y) == 2 for y in out)
    with pytest.raises(TypeError, match="batch"):
        layer([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"expected \(3,\)"):
        layer([[1.0, 2.0]])


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


def test_sequential_needs_modules() -> None:
    with pytest.raises(ValueError, match="at least one"):
        nn.Sequential()
    with pytest.raises(TypeError, match=r"Sequential: modules\[1\] must be a micrograd_ko.nn Module, got str"):
        nn.Sequential(nn.ReLU(), "relu")  # type: ignore[arg-type]


def test_numpy_batches_become_input_values() -> None:
    images = _images(2, 1, 4, 4)
    out = nn.Flatten()(images)
    assert [v.data for v in out[1]] == images[1].ravel().tolist()
    assert all(v.role == "input" for v in out[0])


# ---- init ------------------------------------------------------------------------------------------------------------


def test_init_scales_follow_their_formulas() -> None:
    fan_in, fan_out, n = 50, 30, 60_000
    uniform = np.array(nn.init_weights("uniform", fan_in, fan_out, n, seed=0))
    assert uniform.max() <= 1 / np.sqrt(fan_in) and uniform.min() >= -1 / np.sqrt(fan_in)
    assert uniform.std() == pytest.approx(1 / np.sqrt(3 * fan_in), rel=0.02)
    assert np.std(nn.init_weights("xavier", fan_in, fan_out, n, seed=0)) == pytest.approx(
        np.sqrt(2 / (fan_in + fan_out)), rel=0.02
    )
    assert np.std(nn.init_weights("he", fan_in, fan_out, n, seed=0)) == pytest.approx(np.sqrt(2 / fan_in), rel=0.02)
    assert np.std(nn.init_weights(0.01, fan_in, fan_out, n, seed=0)) == pytest.approx(0.01, rel=0.02)
    for bad in ("kaiming", -1.0, 0.0, True):
        with pytest.raises(ValueError, match="init"):
            nn.init_weights(bad, 3, 3, 3, seed=0)


def test_conv_init_counts_fans_like_torch() -> None:
    conv = nn.Conv2d(4, 6, 3, init="he", seed=0)
    weights = [p.data for p in conv.parameters()[: 6 * 4 * 9]]
    assert np.std(weights) == pytest.approx(np.sqrt(2 / 36), rel=0.15)


# ---- Linear, activations, Flatten -------------------------------------------------------------------------------


def test_linear_gradcheck_and_torch(torch: Any) -> None:
    layer = nn.Linear(4, 3, init="xavier", seed=2)
    batch = np.random.default_rng(0).normal(size=(3, 4))
    _gradcheck_layer(layer, batch)
    _compare_with_torch(torch, layer, batch)


def test_flatten_reads_images_row_major_like_torch(torch: Any) -> None:
    images = _images(2, 2, 3, 4)
    out = nn.Flatten()(images)
    assert [[v.data for v in row] for row in out] == torch.nn.Flatten()(torch.tensor(images)).tolist()


def test_activation_layers_apply_element_by_element() -> None:
    images = _images(1, 2, 2, 2)
    out = nn.Tanh()(images)
    np.testing.assert_allclose([v.data for v in _flat(out)], np.tanh(images).ravel())
    with pytest.raises(ValueError, match="unknown activation"):
        nn.ActivationLayer("swish")


# ---- Conv2d ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("in_channels", "out_channels", "kernel", "stride", "padding", "bias"),
    [
        (1, 2, 3, 1, 0, True),
        (2, 3, 3, 2, 1, True),
        (2, 2, (3, 2), (2, 1), (1, 2), False),
        (1, 1, 2, 3, 2, True),
    ],
)
def test_conv2d_matches_torch(
    torch: Any, in_channels: int, out_channels: int, kernel: Any, stride: Any, padding: Any, bias: bool
) -> None:
    conv = nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=padding, bias=bias, seed=3)
    if bias:  # non-zero biases, so a mix-up of bias and weight order would show
        for i, b in enumerate(conv.bias or ()):
            b.data = 0.1 * (i + 1)
    twin = _compare_with_torch(torch, conv, _images(2, in_channels, 7, 6))
    assert twin.weight.shape == (out_channels, in_channels, *conv.kernel_size)


def test_conv2d_gradcheck() -> None:
    conv = nn.Conv2d(2, 2, 3, stride=2, padding=1, seed=0)
    _gradcheck_layer(conv, _images(2, 2, 5, 4))


def test_conv2d_parameter_layout_is_torchs() -> None:
    conv = nn.Conv2d(2, 3, (2, 3), seed=0)
    params = conv.parameters()
    assert len(params) == 3 * 2 * 2 * 3 + 3
    # weight [o][c][a][b] sits at ((o·C + c)·kh + a)·kw + b; the biases come after all weights
    assert params[((1 * 2 + 1) * 2 + 0) * 3 + 2] is conv.weight[1][1][0][2]
    assert params[-3:] == list(conv.bias or ())
    assert params[0].label == "W[0][0][0][0]"


def test_conv2d_output_pixel_is_one_dot_node() -> None:
    conv = nn.Conv2d(1, 1, 3, padding=1, seed=0)
    out = conv(_images(1, 1, 4, 4))[0][0]
    centre, corner = out[1][1], out[0][0]
    assert centre.op == "dot" and len(centre.parents) == 9 + 9 + 1
    assert corner.op == "dot" and len(corner.parents) == 4 + 4 + 1  # the zero padding adds nothing
    assert [nn.output_size(4, 3, 1, 1)] * 2 == [len(out), len(out[0])]


def test_conv2d_refuses_wrong_shapes() -> None:
    conv = nn.Conv2d(2, 1, 3)
    with pytest.raises(ValueError, match=r"expected an image of shape \(2, height, width\)"):
        conv(_images(1, 1, 5, 5))
    with pytest.raises(ValueError, match="smaller than"):
        conv(_images(1, 2, 2, 2))
    with pytest.raises(ValueError, match="kernel_size"):
        nn.Conv2d(1, 1, 0)


def test_output_size_formula() -> None:
    assert nn.output_size(28, 5) == 24
    assert nn.output_size(8, 3, stride=2, padding=1) == 4
    assert nn.output_size(7, 2, stride=2) == 3
    assert nn.output_size(5, 5) == 1 and nn.output_size(3, 5, padding=1) == 1


@pytest.mark.parametrize(
    ("arguments", "error", "says"),
    [
        ((3, 5), ValueError, r"output_size: kernel must be at most the padded size 3 .*, got 5"),
        ((4, 5), ValueError, r"output_size: kernel must be at most the padded size 4 .*, got 5"),
        ((8.5, 3), TypeError, r"output_size: size must be an int.*, got .*8\.5"),
        ((8, 3.0), TypeError, r"output_size: kernel must be an int.*, got .*3\.0"),
        ((0, 1), ValueError, r"output_size: size must be .*>= 1, got 0"),
        ((8, 3, 0), ValueError, r"output_size: stride must be .*>= 1, got 0"),
        ((8, 3, 1, -1), ValueError, r"output_size: padding must be .*>= 0, got -1"),
    ],
)
def test_output_size_refuses_what_no_layer_accepts(
    arguments: tuple[Any, ...], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        nn.output_size(*arguments)


# ---- pooling ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (2, 1), ((3, 2), (2, 2))])
def test_avgpool2d_matches_torch(torch: Any, kernel: Any, stride: Any) -> None:
    _compare_with_torch(torch, nn.AvgPool2d(kernel, stride), _images(2, 2, 5, 6))


def test_avgpool2d_gradcheck() -> None:
    _gradcheck_layer(nn.AvgPool2d(2, 1), _images(1, 2, 3, 3))


# ---- Dropout -----------------------------------------------------------------------------------------------------


def test_dropout_drops_a_fraction_p_and_keeps_the_mean() -> None:
    p, n = 0.3, 20_000
    layer = nn.Dropout(p, seed=7)
    out = layer([[1.0] * n])[0]
    values = np.array([v.data for v in out])
    dropped = np.mean(values == 0.0)
    assert set(np.unique(values)) == {0.0, 1 / (1 - p)}
    # 4 standard deviations of a binomial proportion and of the mean of the scaled outputs
    assert abs(dropped - p) < 4 * np.sqrt(p * (1 - p) / n)
    assert abs(values.mean() - 1.0) < 4 * np.sqrt(p / (1 - p) / n)
    assert np.array_equal(np.array(layer.mask[0]) == 0.0, values == 0.0)


def test_dropout_is_the_identity_in_eval_mode() -> None:
    layer = nn.Dropout(0.5, seed=0).eval()
    batch = [[Value(1.0), Value(-2.0)], [Value(3.0), Value(4.0)]]
    out = layer(batch)
    assert all(a is b for row_a, row_b in zip(out, batch) for a, b in zip(row_a, row_b))


def test_dropout_same_seed_same_mask() -> None:
    first, second, other = nn.Dropout(0.5, seed=3), nn.Dropout(0.5, seed=3), nn.Dropout(0.5, seed=4)
    batch = np.ones((4, 50))
    masks = []
    for layer in (first, second, other):
        masks.append([[v.data == 0.0 for v in row] for call in range(2) for row in layer(batch)])
    assert masks[0] == masks[1]
    assert masks[0] != masks[2]


def test_dropout_gradient_is_the_mask_scaled() -> None:
    layer = nn.Dropout(0.25, seed=1)
    xs = [[Value(2.0) for _ in range(40)]]
    Value.sum(layer(xs)[0]).backward()
    assert [x.grad for x in xs[0]] == [m / 0.75 for m in layer.mask[0]]


def test_dropout_gradcheck_with_a_fixed_mask() -> None:
    layer = nn.Dropout(0.5, seed=0)

    def same_mask() -> None:
        layer._rng = np.random.default_rng(0)

    _gradcheck_layer(layer, np.random.default_rng(0).normal(size=(2, 5)), before=same_mask)


@pytest.mark.parametrize(
    ("p", "error"), [(-0.1, ValueError), (1.0, ValueError), (1.5, ValueError), (True, TypeError), ("0.5", TypeError)]
)
def test_dropout_refuses_bad_p(p: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=rf"Dropout: p must be a probability in \[0, 1\), got {p!r}"):
        nn.Dropout(p)


# ---- BatchNorm1d -----------------------------------------------------------------------------------------------------


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
        _compare_with_torch(torch, norm, rng.normal(1.0, 2.0, size=(5, 3)), twin=twin)
        np.testing.assert_allclose(norm.running_mean, twin.running_mean.numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(norm.running_var, twin.running_var.numpy(), rtol=1e-12)
    norm.eval()
    twin.eval()
    twin.zero_grad()
    _compare_with_torch(torch, norm, rng.normal(size=(4, 3)), twin=twin)
    assert norm.running_mean != [0.0] * 3


def test_batchnorm_gradcheck_in_training_and_eval_mode() -> None:
    norm = nn.BatchNorm1d(2)
    batch = np.random.default_rng(1).normal(size=(4, 2))
    _gradcheck_layer(norm, batch)
    norm.running_mean, norm.running_var = [0.5, -1.0], [2.0, 0.5]
    norm.eval()
    _gradcheck_layer(norm, batch)


def test_batchnorm_refuses_a_single_sample_in_training() -> None:
    norm = nn.BatchNorm1d(2)
    with pytest.raises(ValueError, match="at least 2 samples"):
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
    _gradcheck_layer(block, np.random.default_rng(0).normal(size=(2, 3)))


def test_residual_refuses_a_shape_change() -> None:
    with pytest.raises(ValueError, match=r"shape \(3,\) to shape \(2,\)"):
        nn.Residual(nn.Linear(3, 2))([[1.0, 2.0, 3.0]])


def test_residual_matches_torch(torch: Any) -> None:
    block = nn.Residual(nn.Sequential(nn.Conv2d(2, 2, 3, padding=1, seed=0), nn.ReLU()))
    _compare_with_torch(torch, block, _images(2, 2, 4, 4))


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
    batch = _images(3, 1, 4, 4)
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
    batch = _images(3, 1, 4, 4)
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
    batch, labels = _images(4, 1, 4, 4), [0, 3, 1, 4]
    _compare_with_torch(torch, model, batch)
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
    batch = _images(2, 1, 4, 4)
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


# ---- MaxPool2d and PReLU (on the op table's n-ary max and Value-slope leaky_relu) ------------------------------------


@pytest.mark.parametrize(("kernel", "stride"), [(2, None), (2, 1), ((3, 2), (2, 2))])
def test_maxpool2d_matches_torch(torch: Any, kernel: Any, stride: Any) -> None:
    _compare_with_torch(torch, nn.MaxPool2d(kernel, stride), _images(2, 2, 5, 6))


def test_maxpool2d_gradcheck() -> None:
    _gradcheck_layer(nn.MaxPool2d(2, 1), _images(1, 2, 3, 3))


def test_maxpool2d_sends_the_gradient_to_the_first_maximum_only() -> None:
    pixels = [[Value(1.0), Value(3.0)], [Value(3.0), Value(2.0)]]
    out = nn.MaxPool2d(2)([[pixels]])[0][0][0][0]
    assert out.data == 3.0 and out.op == "max"
    out.backward()
    assert [[p.grad for p in row] for row in pixels] == [[0.0, 1.0], [0.0, 0.0]]


@pytest.mark.parametrize(("num_parameters", "shape"), [(1, (3, 4)), (4, (3, 4)), (2, (3, 2, 2, 3))])
def test_prelu_matches_torch(torch: Any, num_parameters: int, shape: tuple[int, ...]) -> None:
    layer = nn.PReLU(num_parameters)
    for k, a in enumerate(layer.weight):
        a.data = 0.1 + 0.2 * k
    _compare_with_torch(torch, layer, np.random.default_rng(0).normal(size=shape))


def test_prelu_gradcheck() -> None:
    _gradcheck_layer(nn.PReLU(3, init=0.3), np.random.default_rng(2).normal(size=(2, 3)))


def test_prelu_slope_gradient_is_the_negative_part() -> None:
    layer = nn.PReLU()
    xs = [[Value(-2.0), Value(3.0), Value(-0.5)]]
    out = layer(xs)[0]
    assert [v.data for v in out] == [-0.5, 3.0, -0.125]
    Value.sum(out).backward()
    assert layer.weight[0].grad == -2.5  # d/da of Σ: the sum of min(x, 0)
    assert [x.grad for x in xs[0]] == [0.25, 1.0, 0.25]


def test_prelu_needs_one_slope_per_channel() -> None:
    with pytest.raises(ValueError, match="2 slopes need 2 channels"):
        nn.PReLU(2)([[1.0, 2.0, 3.0]])


def test_sequential_with_maxpool_and_prelu_round_trips_through_torch(torch: Any, tmp_path: Path) -> None:
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, seed=0), nn.PReLU(2), nn.MaxPool2d(2), nn.Flatten())
    batch = _images(2, 1, 4, 4)
    expected = _outputs(model, batch)
    np.testing.assert_allclose(to_torch(model)(torch.tensor(batch)).detach().numpy(), expected, rtol=1e-12)
    back = from_torch(to_torch(model))
    assert isinstance(back, nn.Sequential)
    assert back.state_dict() == model.state_dict() and _outputs(back, batch) == expected
    model.save(tmp_path / "m.json")
    other = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1, seed=9), nn.PReLU(2, init=0.5), nn.MaxPool2d(2), nn.Flatten())
    other.load(tmp_path / "m.json")
    assert _outputs(other, batch) == expected


def test_conv_and_pool_reprs_write_kernel_size_by_name_as_pytorch_does() -> None:
    assert repr(nn.Conv2d(1, 2, 3)) == "Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(0, 0), bias=True)"
    assert repr(nn.MaxPool2d(2)) == "MaxPool2d(kernel_size=(2, 2), stride=(2, 2))"
    assert repr(nn.AvgPool2d((3, 2), stride=1)) == "AvgPool2d(kernel_size=(3, 2), stride=(1, 1))"
