"""Saving and loading models: the file format's contract, hostile files, architectures and file modes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from micrograd_ko import nn
from micrograd_ko.nn import FILE_FORMAT, FILE_VERSION, MLP, Layer, Module, Neuron


def weights(model: Module) -> list[float]:
    return [p.data for p in model.parameters()]


def state_file(tmp_path: Path, model: Module, **changes: object) -> Path:
    """Save `model`, then overwrite top-level fields of the document with `changes`."""
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    document.update(changes)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


# ---- the documented file format -----------------------------------------------------------


def test_the_file_records_format_version_model_and_architecture(tmp_path: Path) -> None:
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    path = tmp_path / "m.json"
    model.save(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (FILE_FORMAT, FILE_VERSION) == ("micrograd_ko.state_dict", 1)
    assert document["format"] == "micrograd_ko.state_dict" and document["version"] == 1
    assert document["model"] == "MLP(2, [3, 1], activation='tanh', output_activation=None, bias=True)"
    assert document["architecture"] == {
        "class": "MLP",
        "nin": 2,
        "nouts": [3, 1],
        "activation": "tanh",
        "output_activation": None,
        "bias": True,
    }
    assert document["state"] == model.state_dict()


def test_a_hand_written_version_1_file_without_architecture_still_loads(tmp_path: Path) -> None:
    # the layout of files written before the architecture was recorded
    path = tmp_path / "old.json"
    state = [[{"w": [0.5, -0.25], "b": 0.125}]]
    document = {"format": FILE_FORMAT, "version": 1, "model": repr(MLP(2, [1])), "state": state}
    path.write_text(json.dumps(document), encoding="utf-8")
    model = MLP(2, [1], seed=0)
    model.load(path)
    assert weights(model) == [0.5, -0.25, 0.125]
    assert weights(MLP.from_file(path)) == [0.5, -0.25, 0.125]


@pytest.mark.parametrize("version", [0, 2, "1", None, 1.5])
def test_any_other_version_is_refused_even_with_a_valid_state(tmp_path: Path, version: object) -> None:
    model = MLP(2, [3, 1], seed=0)
    path = state_file(tmp_path, MLP(2, [3, 1], seed=1), version=version)
    before = weights(model)
    with pytest.raises(ValueError, match=f"version {version!r}"):
        model.load(path)
    with pytest.raises(ValueError, match=f"version {version!r}"):
        MLP.from_file(path)
    assert weights(model) == before


def test_a_file_without_a_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"format": FILE_FORMAT, "state": MLP(1, [1]).state_dict()}), encoding="utf-8")
    with pytest.raises(ValueError, match="version None"):
        MLP(1, [1]).load(path)


# ---- hostile files: always the documented ValueError, the model untouched ----------------


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("HUGE_INT", "finite number"),
        ("1e400", "finite number"),
        ("9" * 5000, "not a micrograd_ko JSON file"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_hostile_numbers_and_nesting_raise_value_error_and_change_nothing(
    tmp_path: Path, content: str, says: str
) -> None:
    model = MLP(1, [1], seed=0)
    before = weights(model)
    number = str(10**400) if content == "HUGE_INT" else content
    path = tmp_path / "m.json"
    document = {"format": FILE_FORMAT, "version": 1, "model": repr(model), "state": [[{"w": ["PLACE"], "b": 0.0}]]}
    text = json.dumps(document)
    path.write_text(text.replace('"PLACE"', number), encoding="utf-8")
    with pytest.raises(ValueError, match=says):
        model.load(path)
    with pytest.raises(ValueError, match=says):
        MLP.from_file(path)
    assert weights(model) == before


def test_load_state_dict_with_a_huge_integer_is_a_value_error() -> None:
    model = MLP(1, [1], seed=0)
    before = weights(model)
    message = r"MLP\[0\]\[0\]\.w\[0\]: expected a finite number, got an integer of 401 digits"
    with pytest.raises(ValueError, match=message):
        model.load_state_dict([[{"w": [10**400], "b": 0.0}]])
    assert weights(model) == before


def test_a_whole_file_nested_deeply_is_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ValueError, match="nested too deeply"):
        MLP(1, [1]).load(path)


# ---- the architecture: checked on load, rebuilt by from_file ------------------------------


def test_weights_of_a_tanh_model_are_refused_by_a_relu_model_naming_both(tmp_path: Path) -> None:
    path = tmp_path / "tanh.json"
    MLP(2, [4, 1], activation="tanh", seed=0).save(path)
    model = MLP(2, [4, 1], activation="relu", seed=1)
    before = weights(model)
    with pytest.raises(ValueError) as caught:
        model.load(path)
    message = str(caught.value)
    assert "activation='tanh'" in message and "activation='relu'" in message
    assert "MLP.from_file" in message
    assert weights(model) == before


def test_an_old_file_without_architecture_is_checked_against_its_recorded_repr(tmp_path: Path) -> None:
    source = MLP(2, [4, 1], activation="tanh", seed=0)
    path = tmp_path / "old.json"
    document = {"format": FILE_FORMAT, "version": 1, "model": repr(source), "state": source.state_dict()}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match=r"activation='tanh'.*activation='relu'"):
        MLP(2, [4, 1], activation="relu").load(path)


@pytest.mark.parametrize(
    ("source", "other"),
    [
        (MLP(2, [3, 1], output_activation="sigmoid", seed=0), MLP(2, [3, 1], seed=0)),
        (Layer(3, 2, activation="tanh", seed=0), Layer(3, 2, activation="elu", seed=0)),
        (Neuron(3, activation="relu", seed=0), Neuron(3, activation=None, seed=0)),
    ],
)
def test_every_model_class_checks_its_architecture(tmp_path: Path, source: Module, other: Module) -> None:
    path = tmp_path / "m.json"
    source.save(path)
    with pytest.raises(ValueError, match="was saved from"):
        other.load(path)
    source.load(path)  # the same architecture loads


@pytest.mark.parametrize(
    "model",
    [
        MLP(3, [5, 4, 2], activation="tanh", output_activation="sigmoid", seed=2),
        MLP(1, [1], activation=None, bias=False, seed=3),
        MLP(2, [3, 1], activation="leaky_relu", seed=4),
    ],
)
def test_from_file_rebuilds_the_saved_model(tmp_path: Path, model: MLP) -> None:
    path = tmp_path / "m.json"
    model.save(path)
    rebuilt = MLP.from_file(path)
    assert repr(rebuilt) == repr(model)
    assert weights(rebuilt) == weights(model)
    point = [0.3, -0.7, 0.9][: model.nin]
    out, expected = rebuilt(point), model(point)
    got = [v.data for v in out] if isinstance(out, list) else [out.data]
    want = [v.data for v in expected] if isinstance(expected, list) else [expected.data]
    assert got == want


def test_from_file_reads_the_repr_of_an_old_file_without_eval(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.json"
    evil = f"MLP(__import__('pathlib').Path({str(marker)!r}).touch(), [1])"
    document = {"format": FILE_FORMAT, "version": 1, "model": evil, "state": [[{"w": [1.0], "b": 0.0}]]}
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="architecture"):
        MLP.from_file(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "architecture",
    [
        {"class": "Layer", "nin": 2, "nout": 1, "activation": "relu", "bias": True},
        {"class": "MLP", "nin": 2, "nouts": [1], "activation": "relu", "output_activation": None, "bias": "yes"},
        {"class": "MLP", "nin": 2, "nouts": [1], "activation": "relu", "output_activation": None},
        {"class": "MLP", "nin": 2, "nouts": [1], "activation": "cube", "output_activation": None, "bias": True},
        {"class": "MLP", "nin": -2, "nouts": [1], "activation": None, "output_activation": None, "bias": True},
        {"class": "MLP", "nin": 2, "nouts": [1], "activation": None, "output_activation": None, "bias": True, "x": 1},
        ["MLP", 2, [1]],
    ],
)
def test_from_file_refuses_a_bad_architecture(tmp_path: Path, architecture: object) -> None:
    path = state_file(tmp_path, MLP(2, [1], seed=0), architecture=architecture)
    with pytest.raises(ValueError, match="architecture"):
        MLP.from_file(path)


def test_from_file_refuses_a_state_that_does_not_fit_the_architecture(tmp_path: Path) -> None:
    path = state_file(tmp_path, MLP(2, [1], seed=0), state=MLP(2, [2, 1]).state_dict())
    with pytest.raises(ValueError, match="expected a list of 1 entries, got 2"):
        MLP.from_file(path)


# ---- the file itself ---------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="file modes and umask are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_save_creates_files_with_the_umask_default_mode(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        path = tmp_path / "m.json"
        MLP(1, [1], seed=0).save(path)
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert list(tmp_path.iterdir()) == [path]


# ---- every module: its architecture recorded, another refused, from_file rebuilds it ------------------------------


def _every_kind() -> list[Module]:
    return [
        nn.Sequential(nn.Linear(2, 3, seed=0), nn.ReLU(), nn.Linear(3, 1, seed=1)),
        nn.Residual(nn.Sequential(nn.Linear(2, 2, seed=0), nn.Tanh())),
        nn.Linear(3, 2, bias=False, seed=0),
        nn.Conv2d(1, 2, 3, stride=2, padding=1, seed=0),
        nn.MaxPool2d(2),
        nn.AvgPool2d((3, 2), stride=1),
        nn.Flatten(),
        nn.Dropout(0.3),
        nn.BatchNorm1d(3, eps=0.1, momentum=0.2),
        nn.PReLU(2),
        nn.ActivationLayer("elu"),
        nn.Sigmoid(),
        nn.RNNCell(2, 3, nonlinearity="relu", seed=0),
        nn.LSTMCell(2, 3, bias=False, seed=0),
        nn.RNN(2, 3, bidirectional=True, seed=0),
        nn.LSTM(2, 3, seed=0),
        nn.Sequential(nn.MLP(2, [3, 1], activation="tanh", seed=0), nn.Layer(1, 2, seed=1)),
        Neuron(2, activation="sigmoid", seed=0),
    ]


@pytest.mark.parametrize("model", _every_kind(), ids=lambda m: type(m).__name__)
def test_from_file_rebuilds_every_module_class(tmp_path: Path, model: Module) -> None:
    for p in model.parameters():
        p.data += 0.5  # weights no constructor would make
    path = tmp_path / "m.json"
    model.save(path)
    rebuilt = Module.from_file(path)
    assert type(rebuilt) is type(model) and repr(rebuilt) == repr(model)
    assert rebuilt.state_dict() == model.state_dict()
    assert type(model).from_file(path).state_dict() == model.state_dict()


@pytest.mark.parametrize(
    ("saved", "other"),
    [
        (
            nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)),
            nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1)),
        ),
        (nn.MaxPool2d(2), nn.AvgPool2d(2)),
        (nn.Conv2d(1, 2, 3), nn.Conv2d(1, 2, 3, stride=2, padding=1)),
        (nn.BatchNorm1d(3, eps=1e-5), nn.BatchNorm1d(3, eps=0.1)),
        (nn.Sequential(MLP(2, [3, 1], activation="relu")), nn.Sequential(MLP(2, [3, 1], activation="tanh"))),
        (nn.Residual(nn.Linear(2, 2)), nn.Residual(nn.Sequential(nn.Linear(2, 2)))),
        (nn.RNN(2, 3, nonlinearity="relu"), nn.RNN(2, 3)),
        (nn.RNNCell(2, 3, nonlinearity="relu"), nn.RNNCell(2, 3)),
        (nn.LSTM(2, 3, bidirectional=True), nn.RNN(2, 3, bidirectional=True)),
    ],
    ids=[
        "activation in a Sequential",
        "max/avg pool",
        "conv stride",
        "eps",
        "MLP in a Sequential",
        "residual",
        "rnn",
        "rnn cell",
        "lstm/rnn",
    ],
)
def test_a_file_of_another_architecture_is_refused_naming_both(tmp_path: Path, saved: Module, other: Module) -> None:
    path = tmp_path / "m.json"
    saved.save(path)
    before = other.state_dict()
    with pytest.raises(ValueError) as caught:
        other.load(path)
    message = str(caught.value)
    assert f"was saved from {saved!r}" in message and f"this model is {other!r}" in message
    assert other.state_dict() == before


def test_a_load_that_fails_in_one_module_changes_no_other(tmp_path: Path) -> None:
    model = nn.Sequential(nn.Linear(2, 2, seed=0), nn.BatchNorm1d(2))
    path = state_file(tmp_path, model)
    document = json.loads(path.read_text(encoding="utf-8"))
    document["state"][0]["weight"][0][0] = 99.0
    document["state"][1]["running_var"] = [1.0, -1.0]
    path.write_text(json.dumps(document), encoding="utf-8")
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"Sequential\[1\]: running_var must be >= 0, got \[1.0, -1.0\]"):
        model.load(path)
    with pytest.raises(ValueError, match="running_var"):
        model.load_state_dict(document["state"])
    assert model.state_dict() == before


def test_a_state_with_its_keys_in_another_order_loads_by_name() -> None:
    model = nn.Linear(2, 1, seed=0)
    model.load_state_dict({"bias": [3.0], "weight": [[1.0, 2.0]]})
    assert [p.data for p in model.parameters()] == [1.0, 2.0, 3.0]


def test_from_file_of_one_class_refuses_a_file_of_another(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    nn.Linear(2, 1).save(path)
    with pytest.raises(ValueError, match="records the architecture of a Linear, not of a Conv2d"):
        nn.Conv2d.from_file(path)


def test_saving_into_a_missing_folder_names_the_users_path_and_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "model.json"
    with pytest.raises(FileNotFoundError) as caught:
        nn.Linear(1, 1, seed=0).save(path)
    assert caught.value.filename == str(path) and ".tmp" not in str(caught.value)
    assert str(caught.value) == (
        f"[Errno 2] save: No such file or directory (the folder {str(path.parent)!r} does not exist): {str(path)!r}"
    )
    assert list(tmp_path.iterdir()) == []


def test_saving_onto_a_directory_names_the_users_path_and_leaves_nothing(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.mkdir()
    with pytest.raises(IsADirectoryError) as caught:
        nn.Linear(1, 1, seed=0).save(path)
    assert caught.value.filename == str(path) and caught.value.filename2 is None
    assert ".tmp" not in str(caught.value) and str(caught.value).endswith(f"save: Is a directory: {str(path)!r}")
    assert list(tmp_path.iterdir()) == [path] and list(path.iterdir()) == []
