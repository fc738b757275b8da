"""What the tests of the batch layers share: comparing a layer with its torch twin, gradchecking it, test data.

Its name starts with `_`, so pytest collects no tests from it; pytest puts this folder on `sys.path` for the
test files in it, which import it by name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from micrograd_ko import Value, gradcheck, nn
from micrograd_ko.interop.torch import to_torch


def flat(x: Any) -> list[Value]:
    """Every Value of a nested list, in order."""
    if isinstance(x, Value):
        return [x]
    return [v for item in x for v in flat(item)]


def as_values(array: np.ndarray) -> Any:
    """Nested lists of fresh input Values holding `array`'s numbers."""
    if array.ndim == 0:
        return Value(float(array))
    return [as_values(a) for a in array]


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


def gradcheck_layer(layer: nn.Module, batch: np.ndarray, before: Callable[[], None] | None = None) -> None:
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
            out = flat(layer(inputs))
        finally:
            _rebind(layer, {id(v): p for p, v in zip(params, ps)})
        return Value.dot(COEFFICIENTS[: len(out)], out)

    report = gradcheck(weighted_output, [*batch.ravel().tolist(), *[p.data for p in params]])
    assert report.ok and len(report.rows) == n_in + len(params)


def _map_array(array: np.ndarray, fn: Callable[[float], Any]) -> Any:
    if array.ndim == 0:
        return fn(float(array))
    return [_map_array(a, fn) for a in array]


def compare_with_torch(torch: Any, layer: nn.BatchModule, batch: np.ndarray, twin: Any = None) -> Any:
    """Run `layer` and its torch twin on `batch`; outputs and all gradients must agree to ~1e-12."""
    twin = to_torch(layer) if twin is None else twin
    x_t = torch.tensor(batch, dtype=torch.float64, requires_grad=True)
    out_t = twin(x_t)
    c = np.asarray(COEFFICIENTS[: out_t.numel()]).reshape(tuple(out_t.shape))
    (out_t * torch.tensor(c)).sum().backward()

    xs = as_values(batch)
    out = layer(xs)
    assert np.array(out, dtype=object).shape == tuple(out_t.shape)
    loss = Value.dot(c.ravel().tolist(), flat(out))
    layer.zero_grad()
    loss.backward()
    np.testing.assert_allclose([v.data for v in flat(out)], out_t.detach().numpy().ravel(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose([v.grad for v in flat(xs)], x_t.grad.numpy().ravel(), rtol=1e-10, atol=1e-12)
    torch_grads = [g for p in twin.parameters() for g in p.grad.numpy().ravel()]
    ours = [p.grad for p in layer.parameters()]
    assert len(ours) == len(torch_grads)
    np.testing.assert_allclose(ours, torch_grads, rtol=1e-10, atol=1e-12)
    return twin


def random_images(n: int, channels: int, height: int, width: int, seed: int = 0) -> np.ndarray:
    """A batch of n images [channel][row][col] of standard normal pixels."""
    return np.random.default_rng(seed).normal(size=(n, channels, height, width))
