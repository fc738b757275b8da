"""The file format as a property: a model file loads into a module of its own architecture and no other.

Random small modules of every family (Linear, Sequential chains, Residual, Conv2d, the pools, BatchNorm1d,
Dropout, MLP, RNN, LSTM) with scrambled weights are saved and loaded into another random module: one of
the same architecture (new weights), one of the same family (often a near miss: one argument apart), or
any.  Either the target has the saved architecture and ends with exactly the saved numbers, or load raises
ValueError and the target is unchanged.  A file with one number spoiled is refused with nothing changed.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from micrograd_ko import nn

Spec = tuple[str, Any]
"""A module to build: (class name, keyword arguments), or ('Sequential', [specs]) / ('Residual', spec)."""

small = st.integers(1, 3)
activation_names = st.sampled_from([None, "relu", "tanh", "sigmoid"])


@st.composite
def chains(draw: st.DrawFn) -> Spec:
    """A Sequential of 1 to 3 layers of vectors whose sizes fit one another."""
    layers: list[Spec] = []
    width = draw(small)
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["Linear", "ReLU", "Tanh", "Sigmoid", "ActivationLayer", "BatchNorm1d", "Dropout"]))
        if kind == "Linear":
            out = draw(small)
            layers.append(("Linear", {"in_features": width, "out_features": out, "bias": draw(st.booleans())}))
            width = out
        elif kind == "ActivationLayer":
            layers.append(("ActivationLayer", {"name": draw(st.sampled_from(["elu", "softplus", "relu"]))}))
        elif kind == "BatchNorm1d":
            layers.append(("BatchNorm1d", {"num_features": width, "eps": draw(st.sampled_from([1e-5, 0.1]))}))
        elif kind == "Dropout":
            layers.append(("Dropout", {"p": draw(st.sampled_from([0.0, 0.5]))}))
        else:
            layers.append((kind, {}))
    return ("Sequential", layers)


FAMILIES: dict[str, st.SearchStrategy[Spec]] = {
    "Linear": st.builds(
        lambda i, o, b: ("Linear", {"in_features": i, "out_features": o, "bias": b}), small, small, st.booleans()
    ),
    "Sequential": chains(),
    "Residual": st.builds(lambda n: ("Residual", ("Linear", {"in_features": n, "out_features": n})), small),
    "Conv2d": st.builds(
        lambda i, o, k, s, p, b: (
            "Conv2d",
            {"in_channels": i, "out_channels": o, "kernel_size": k, "stride": s, "padding": p, "bias": b},
        ),
        st.integers(1, 2),
        st.integers(1, 2),
        st.sampled_from([1, 2, (2, 1)]),
        st.sampled_from([1, 2]),
        st.sampled_from([0, 1]),
        st.booleans(),
    ),
    "Pool": st.builds(
        lambda kind, k, s: (kind, {"kernel_size": k, "stride": s}),
        st.sampled_from(["MaxPool2d", "AvgPool2d"]),
        st.sampled_from([1, 2, (2, 1)]),
        st.sampled_from([None, 1, 2]),
    ),
    "BatchNorm1d": st.builds(
        lambda n, eps, m: ("BatchNorm1d", {"num_features": n, "eps": eps, "momentum": m}),
        small,
        st.sampled_from([1e-5, 0.1]),
        st.sampled_from([0.0, 0.1, 1.0]),
    ),
    "Dropout": st.builds(lambda p: ("Dropout", {"p": p}), st.sampled_from([0.0, 0.25, 0.5])),
    "MLP": st.builds(
        lambda nin, nouts, act, out_act, b: (
            "MLP",
            {"nin": nin, "nouts": nouts, "activation": act, "output_activation": out_act, "bias": b},
        ),
        st.integers(1, 2),
        st.lists(st.integers(1, 2), min_size=1, max_size=2),
        activation_names,
        activation_names,
        st.booleans(),
    ),
    "RNN": st.builds(
        lambda i, h, b, g, d: (
            "RNN",
            {"input_size": i, "hidden_size": h, "bias": b, "nonlinearity": g, "bidirectional": d},
        ),
        st.integers(1, 2),
        st.integers(1, 2),
        st.booleans(),
        st.sampled_from(["tanh", "relu"]),
        st.booleans(),
    ),
    "LSTM": st.builds(
        lambda i, h, b, d: ("LSTM", {"input_size": i, "hidden_size": h, "bias": b, "bidirectional": d}),
        st.integers(1, 2),
        st.integers(1, 2),
        st.booleans(),
        st.booleans(),
    ),
}


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Spec, Spec]:
    """A saved module's spec and a target's: the same architecture, one of the same family, or any."""
    family = draw(st.sampled_from(sorted(FAMILIES)))
    source = draw(FAMILIES[family])
    target = draw(st.one_of(st.just(source), FAMILIES[family], st.sampled_from(sorted(FAMILIES)).flatmap(FAMILIES.get)))
    return source, target


def build(spec: Spec, rng: np.random.Generator) -> nn.Module:
    """The module a spec describes, every weight (and running statistic) drawn from `rng`, not its constructor."""
    kind, arguments = spec
    if kind == "Sequential":
        return nn.Sequential(*[build(part, rng) for part in arguments])
    if kind == "Residual":
        return nn.Residual(build(arguments, rng))
    module: nn.Module = getattr(nn, kind)(**arguments)
    for parameter in module.parameters():
        parameter.data = float(rng.normal())
    if isinstance(module, nn.BatchNorm1d):
        module.running_mean = rng.normal(size=module.num_features).tolist()
        module.running_var = rng.uniform(0.1, 2.0, size=module.num_features).tolist()
    return module


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    # one folder for all examples: hypothesis runs a test many times within one function-scoped fixture
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@settings(max_examples=80)
@given(pairs(), st.integers(0, 2**32 - 1))
def test_a_file_loads_into_its_own_architecture_only(folder: Path, specs: tuple[Spec, Spec], seed: int) -> None:
    rng = np.random.default_rng(seed)
    source, target = build(specs[0], rng), build(specs[1], rng)
    path = folder / "model.json"
    source.save(path)
    before = target.state_dict()
    if repr(target) == repr(source):  # the repr and the recorded architecture come from the same arguments()
        event("the same architecture: loaded")
        target.load(path)
        assert target.state_dict() == source.state_dict()
    else:
        event("another architecture: refused")
        with pytest.raises(ValueError, match="was saved from"):
            target.load(path)
        assert target.state_dict() == before
    rebuilt = nn.Module.from_file(path)
    assert repr(rebuilt) == repr(source) and rebuilt.state_dict() == source.state_dict()


def _leaves(state: Any, where: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The paths (keys and indices) of every number in a state."""
    if isinstance(state, dict):
        return [p for key, value in state.items() for p in _leaves(value, (*where, key))]
    if isinstance(state, list):
        return [p for i, value in enumerate(state) for p in _leaves(value, (*where, i))]
    return [] if state is None else [where]


@settings(max_examples=60)
@given(st.sampled_from(sorted(FAMILIES)).flatmap(FAMILIES.get), st.integers(0, 2**32 - 1), st.data())
def test_a_file_with_one_number_spoiled_changes_nothing(
    folder: Path, spec: Spec, seed: int, data: st.DataObject
) -> None:
    rng = np.random.default_rng(seed)
    model = build(spec, rng)
    leaves = _leaves(model.state_dict())
    if not leaves:  # pools, dropout and activations have no numbers to spoil
        return
    path = folder / "spoiled.json"
    model.save(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    where = data.draw(st.sampled_from(leaves))
    parent = document["state"]
    for key in where[:-1]:
        parent = parent[key]
    parent[where[-1]] = data.draw(st.sampled_from(["1.0", None, [1.0], True, float("nan"), float("inf"), 10**400]))
    path.write_text(json.dumps(document), encoding="utf-8")
    target = build(spec, rng)
    before = target.state_dict()
    with pytest.raises(ValueError):
        target.load(path)
    assert target.state_dict() == before
    with pytest.raises(ValueError):
        nn.Module.from_file(path)
