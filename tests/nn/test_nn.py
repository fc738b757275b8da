"""Neuron, Layer, MLP and Module: shapes, parameter order, activations, modes and saving."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from micrograd_ko import Value
from micrograd_ko.nn import ACTIVATIONS, MLP, Layer, Module, Neuron, activation_function


def test_neuron_computes_activation_of_weighted_sum() -> None:
    n = Neuron(3, activation="tanh", seed=0)
    x = [0.5, -1.0, 2.0]
    expected = math.tanh(sum(w.data * xi for w, xi in zip(n.w, x)) + n.b.data)  # type: ignore[union-attr]
    assert n(x).data == pytest.approx(expected, rel=1e-15)


@pytest.mark.parametrize("name", [name for name in ACTIVATIONS if name != "linear"])
def test_every_activation_name_applies_the_engine_op(name: str) -> None:
    n = Neuron(2, activation=name, seed=1)
    x = [0.3, -0.7]
    pre = Value.dot(n.w, x, bias=n.b)
    op = ACTIVATIONS[name]
    assert op is not None
    assert n(x).data == op(pre).data


@pytest.mark.parametrize("name", ["linear", None])
def test_linear_activation_is_the_weighted_sum(name: str | None) -> None:
    n = Neuron(2, activation=name, seed=1)
    assert n([1.0, 2.0]).data == n.w[0].data + 2 * n.w[1].data


def test_unknown_activation_lists_valid_names() -> None:
    with pytest.raises(ValueError, match=r"unknown activation 'swish'.*relu.*softplus"):
        MLP(2, [3, 1], activation="swish")
    with pytest.raises(ValueError, match="unknown activation"):
        activation_function("Relu")


def test_parameters_order_is_layer_neuron_weights_then_bias() -> None:
    model = MLP(2, [3, 2], seed=0)
    expected: list[Value] = []
    for layer in model.layers:
        for neuron in layer.neurons:
            expected.extend(neuron.w)
            expected.append(neuron.b)  # type: ignore[arg-type]
    assert model.parameters() == expected
    assert len(model.parameters()) == (2 + 1) * 3 + (3 + 1) * 2
    assert all(p.role == "parameter" for p in model.parameters())
    assert model.parameters()[0].label == "L1N1.w1"
    assert model.parameters()[2].label == "L1N1.b"


def test_no_bias() -> None:
    model = MLP(3, [2, 1], bias=False, seed=0)
    assert len(model.parameters()) == 3 * 2 + 2


def test_initial_weights_are_small_and_reproducible() -> None:
    a = [p.data for p in MLP(4, [8, 8, 1], seed=42).parameters()]
    b = [p.data for p in MLP(4, [8, 8, 1], seed=42).parameters()]
    c = [p.data for p in MLP(4, [8, 8, 1], seed=43).parameters()]
    assert a == b and a != c
    first_layer_weights = [p.data for n in MLP(4, [8], seed=0).layers[0].neurons for p in n.w]
    assert max(abs(w) for w in first_layer_weights) <= 0.5


def test_mlp_returns_a_value_for_one_output_and_a_list_otherwise() -> None:
    assert isinstance(MLP(2, [4, 1], seed=0)([1.0, 2.0]), Value)
    out = MLP(2, [4, 3], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 3
    assert isinstance(MLP(2, [1, 1, 1], seed=0)([1.0, 2.0]), Value)


def test_hidden_layers_use_activation_and_last_uses_output_activation() -> None:
    model = MLP(2, [3, 3, 2], activation="tanh", output_activation="sigmoid", seed=0)
    assert [layer.activation for layer in model.layers] == ["tanh", "tanh", "sigmoid"]
    out = model([0.1, 0.2])
    assert isinstance(out, list)
    assert all(o.op == "sigmoid" for o in out)


def test_mlp_forward_matches_numpy() -> None:
    model = MLP(3, [4, 2], activation="relu", seed=7)
    x = np.array([0.2, -1.5, 0.7])
    h = x
    for layer in model.layers:
        w = np.array([[p.data for p in n.w] for n in layer.neurons])
        b = np.array([n.b.data for n in layer.neurons])  # type: ignore[union-attr]
        h = w @ h + b
        if layer.activation == "relu":
            h = np.maximum(h, 0)
    out = model(list(x))
    assert isinstance(out, list)
    assert [o.data for o in out] == pytest.approx(list(h), rel=1e-12)


def test_inputs_become_input_values() -> None:
    model = MLP(2, [1], seed=0)
    out = model([1.0, 2.0])
    assert isinstance(out, Value)
    leaves = [v for v in out.topological_order() if not v.parents]
    inputs = [v for v in leaves if v.role == "input"]
    assert [(v.label, v.data) for v in inputs] == [("x1", 1.0), ("x2", 2.0)]


def test_wrong_input_length_and_type_are_rejected() -> None:
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="MLP expects 2 inputs, got 3"):
        model([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="MLP expects a list"):
        model(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="str"):
        model(["a", 1.0])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="input 1 is nan"):
        model([1.0, float("nan")])
    with pytest.raises(ValueError, match="Layer expects 2 inputs, got 1"):
        model.layers[0]([1.0])


@pytest.mark.parametrize(
    ("nin", "nouts", "says"),
    [
        (0, [1], r"MLP: nin must be a positive integer, got 0"),
        (2, [], r"MLP: nouts must be a non-empty list of layer sizes, got \[\]"),
        (2, [0], r"MLP: nouts\[0\] must be a positive integer, got 0"),
        (2, [3, 1.5], r"MLP: nouts\[1\] must be a positive integer, got 1.5"),
        (True, [1], r"MLP: nin must be a positive integer, got True"),
    ],
)
def test_bad_sizes_are_rejected(nin: object, nouts: object, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        MLP(nin, nouts)  # type: ignore[arg-type]


def test_layer_sizes_that_are_not_a_list_are_a_type_error() -> None:
    with pytest.raises(TypeError, match=r"MLP: nouts must be a non-empty list of layer sizes, got '12'"):
        MLP(2, "12")  # type: ignore[arg-type]


def test_zero_grad_clears_every_parameter() -> None:
    model = MLP(2, [3, 1], seed=0)
    out = model([1.0, -1.0])
    assert isinstance(out, Value)
    (out * out).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_train_and_eval_propagate_to_children() -> None:
    model = MLP(2, [3, 1], seed=0)
    assert model.eval() is model
    assert not model.training
    assert not any(n.training for layer in model.layers for n in layer.neurons)
    model.train()
    assert all(n.training for layer in model.layers for n in layer.neurons)


def test_state_dict_is_json_data_in_parameter_order() -> None:
    model = MLP(2, [2, 1], seed=0)
    state = model.state_dict()
    assert json.loads(json.dumps(state)) == state
    flat = [x for layer in state for neuron in layer for x in [*neuron["w"], neuron["b"]]]
    assert flat == [p.data for p in model.parameters()]


def test_state_dict_round_trip() -> None:
    source, target = MLP(3, [4, 2], seed=1), MLP(3, [4, 2], seed=2)
    target.load_state_dict(source.state_dict())
    assert [p.data for p in target.parameters()] == [p.data for p in source.parameters()]
    x = [0.1, 0.2, 0.3]
    assert [v.data for v in target(x)] == [v.data for v in source(x)]  # type: ignore[union-attr]


def test_load_state_dict_names_the_mismatching_parameter_and_changes_nothing() -> None:
    model = MLP(2, [3, 1], seed=0)
    before = [p.data for p in model.parameters()]
    state = MLP(2, [3, 1], seed=5).state_dict()
    state[1][0]["w"] = state[1][0]["w"][:2]
    with pytest.raises(ValueError, match=r"MLP\[1\]\[0\]\.w: expected a list of 3 entries, got 2"):
        model.load_state_dict(state)
    state = MLP(2, [3, 1], seed=5).state_dict()
    state[0][2]["b"] = "zero"
    with pytest.raises(ValueError, match=r"MLP\[0\]\[2\]\.b: expected a finite number"):
        model.load_state_dict(state)
    assert [p.data for p in model.parameters()] == before


def test_load_state_dict_rejects_a_bias_for_a_model_without_bias() -> None:
    model = MLP(2, [3, 1], bias=False, seed=0)
    state = model.state_dict()
    state[0][0]["b"] = 1.0
    with pytest.raises(ValueError, match=r"MLP\[0\]\[0\]\.b: expected no value"):
        model.load_state_dict(state)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "모델.json"
    source = MLP(2, [3, 1], seed=3)
    source.save(path)
    target = MLP(2, [3, 1], seed=4)
    target.load(path)
    assert [p.data for p in target.parameters()] == [p.data for p in source.parameters()]
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "micrograd_ko.state_dict"
    assert list(tmp_path.iterdir()) == [path]


def test_save_is_atomic_and_leaves_the_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "model.json"
    MLP(2, [3, 1], seed=3).save(path)
    old = path.read_bytes()

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("micrograd_ko.nn._files.os.replace", fail)
    with pytest.raises(OSError, match="disk full"):
        MLP(2, [3, 1], seed=9).save(path)
    assert path.read_bytes() == old
    assert list(tmp_path.iterdir()) == [path]


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        ("{not json", "not a micrograd_ko JSON file"),
        ('{"hello": 1}', "missing format marker"),
        ('{"format": "micrograd_ko.state_dict", "version": 99, "state": []}', "version 99"),
    ],
)
def test_corrupt_files_are_rejected(tmp_path: Path, content: str, pattern: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    model = MLP(2, [3, 1], seed=0)
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match=pattern):
        model.load(path)
    assert [p.data for p in model.parameters()] == before
    assert path.read_text(encoding="utf-8") == content


def test_mismatched_file_is_rejected_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    MLP(2, [4, 1], seed=0).save(path)
    content = path.read_bytes()
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match=r"saved from MLP\(2, \[4, 1\].* but this model is MLP\(2, \[3, 1\]"):
        model.load(path)
    assert path.read_bytes() == content


def test_module_base_has_no_parameters() -> None:
    assert Module().parameters() == []


def test_layer_returns_list_even_for_one_neuron() -> None:
    out = Layer(2, 1, seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 1


def test_repr_describes_the_architecture() -> None:
    assert repr(MLP(2, [16, 16, 1])) == "MLP(2, [16, 16, 1], activation='relu', output_activation=None, bias=True)"
    assert repr(Neuron(3, "tanh")) == "Neuron(3, activation='tanh', bias=True)"
