"""Bad input to every public entry point: a clear exception type and message, and no corrupted state.

Covers the cases the "hardened inputs" issue lists: wrong types, wrong lengths,
empty lists, NaN/inf data and unknown names, across nn, losses, optim and data,
and that an exception in the middle of an optimizer step changes nothing.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import numpy as np
import pytest

from micrograd_ko import Value, data, losses, nn, optim

Case = tuple[Callable[[], object], type[Exception], str]


def _model() -> nn.MLP:
    return nn.MLP(2, [3, 1], seed=0)


def _raises(case: Case) -> None:
    make, error, pattern = case
    with pytest.raises(error, match=pattern):
        make()


# ---- nn ---------------------------------------------------------------------------------

NN_CASES: dict[str, Case] = {
    "MLP fed 3 numbers, expects 2": (
        lambda: _model()([1.0, 2.0, 3.0]),
        ValueError,
        "MLP: x must be a list of 2 numbers or Values, got 3 items",
    ),
    "MLP fed 1 number": (lambda: _model()([1.0]), ValueError, "MLP: x must be a list of 2 .*, got 1 item"),
    "MLP fed nothing": (lambda: _model()([]), ValueError, "MLP: x must be a list of 2 .*, got 0 items"),
    "MLP fed a string": (lambda: _model()("12"), TypeError, "MLP: x must be a list of 2 numbers or Values, got '12'"),
    "MLP fed a bare number": (
        lambda: _model()(1.0),  # type: ignore[arg-type]
        TypeError,
        "MLP: x must be a list of 2 numbers or Values, got 1.0",
    ),
    "MLP fed NaN": (lambda: _model()([1.0, math.nan]), ValueError, r"MLP: x\[1\] must be finite, got nan"),
    "MLP fed inf": (lambda: _model()([math.inf, 1.0]), ValueError, r"MLP: x\[0\] must be finite, got inf"),
    "MLP fed None": (
        lambda: _model()([1.0, None]),  # type: ignore[list-item]
        TypeError,
        r"MLP: x\[1\] must be a finite number or a Value, got None",
    ),
    "Neuron fed 3 numbers": (
        lambda: nn.Neuron(2, seed=0)([1.0, 2.0, 3.0]),
        ValueError,
        "Neuron: x must be a list of 2 numbers or Values, got 3 items",
    ),
    "Layer fed 1 number": (
        lambda: nn.Layer(2, 4, seed=0)([1.0]),
        ValueError,
        "Layer: x must be a list of 2 numbers or Values, got 1 item",
    ),
    "unknown activation": (
        lambda: nn.MLP(2, [1], activation="rleu"),
        ValueError,
        "MLP: activation must be one of 'relu', 'tanh', .*, got 'rleu'$",
    ),
    "unknown output activation": (
        lambda: nn.MLP(2, [1], output_activation="softmax"),
        ValueError,
        "^MLP: output_activation must be one of 'relu', 'tanh', .*, got 'softmax'$",
    ),
    "no layers": (lambda: nn.MLP(2, []), ValueError, "non-empty list of layer sizes"),
    "layer size 0": (lambda: nn.MLP(2, [3, 0]), ValueError, r"MLP: nouts\[1\] must be a positive integer, got 0$"),
    "nin a float": (
        lambda: nn.MLP(2.5, [1]),  # type: ignore[arg-type]
        TypeError,
        "MLP: nin must be a positive integer, got 2.5$",
    ),
    "nin True": (lambda: nn.Neuron(True), TypeError, "Neuron: nin must be a positive integer, got True$"),
}


@pytest.mark.parametrize("name", NN_CASES)
def test_nn_rejects_bad_input(name: str) -> None:
    _raises(NN_CASES[name])


@pytest.mark.parametrize(
    "state",
    [
        "garbage",
        [],
        [[{"w": [0.0, 0.0], "b": 0.0}] * 3],  # one layer missing
        [[{"w": [0.0], "b": 0.0}] * 3, [{"w": [0.0] * 3, "b": 0.0}]],  # a weight missing
        [[{"w": [0.0, math.nan], "b": 0.0}] * 3, [{"w": [0.0] * 3, "b": 0.0}]],  # NaN
        [[{"w": [0.0, "1"], "b": 0.0}] * 3, [{"w": [0.0] * 3, "b": 0.0}]],  # a string
    ],
)
def test_a_bad_state_dict_changes_no_parameter(state: object) -> None:
    model = _model()
    before = [p.data for p in model.parameters()]
    with pytest.raises(ValueError, match="MLP"):
        model.load_state_dict(state)
    assert [p.data for p in model.parameters()] == before


def test_a_rejected_forward_pass_leaves_the_model_untouched() -> None:
    model = _model()
    model([0.5, -0.5]).backward()  # type: ignore[union-attr]
    before = [(p.data, p.grad) for p in model.parameters()]
    with pytest.raises(ValueError):
        model([0.5, math.nan])
    assert [(p.data, p.grad) for p in model.parameters()] == before


# ---- losses ---------------------------------------------------------------------------------

LOSS_CASES: dict[str, Case] = {
    "mse mismatched lists": (
        lambda: losses.mse([Value(1.0), Value(2.0)], [1.0]),
        ValueError,
        r"^mse: targets must be as long as outputs \(2\), got length 1$",
    ),
    "sse mismatched lists": (
        lambda: losses.sse([Value(1.0)], [1.0, 2.0, 3.0]),
        ValueError,
        r"^sse: targets must be as long as outputs \(1\), got length 3$",
    ),
    "mse empty lists": (
        lambda: losses.mse([], []),
        ValueError,
        r"^mse: outputs must be a non-empty list .*, got \[\]$",
    ),
    "mse a bare Value": (
        lambda: losses.mse(Value(1.0), [1.0]),  # type: ignore[arg-type]
        TypeError,
        r"^mse: outputs must be a list \(wrap a single item in one\), got Value\(",
    ),
    "mse a string target": (
        lambda: losses.mse([Value(1.0)], ["1"]),
        TypeError,
        r"^mse: targets\[0\] must be a Value or a real number, got '1'$",
    ),
    "mse NaN target": (
        lambda: losses.mse([Value(1.0)], [math.nan]),
        ValueError,
        r"^mse: targets\[0\] must be a finite number, got nan$",
    ),
    "sse inf target": (
        lambda: losses.sse([Value(1.0)], [math.inf]),
        ValueError,
        r"^sse: targets\[0\] must be a finite number, got inf$",
    ),
    "hinge labels not -1/+1": (
        lambda: losses.hinge([Value(0.5)], [0.0]),
        ValueError,
        r"^hinge: labels must be -1.0 or 1.0 each, got \[0.0\]$",
    ),
    "hinge mismatched": (
        lambda: losses.hinge([Value(0.5)] * 2, [1.0]),
        ValueError,
        r"^hinge: labels must be as long as scores \(2\), got length 1$",
    ),
    "bce probability above 1": (
        lambda: losses.binary_cross_entropy([Value(1.5)], [1.0]),
        ValueError,
        r"^binary_cross_entropy: probs must be in \[0, 1\] .*, got \[1.5\]$",
    ),
    "bce NaN probability": (
        lambda: losses.binary_cross_entropy([Value(math.nan)], [1.0]),
        ValueError,
        r"^binary_cross_entropy: probs must be in \[0, 1\] .*, got \[nan\]$",
    ),
    "cross_entropy not one-hot": (
        lambda: losses.cross_entropy([Value(0.5), Value(0.5)], [1.0, 1.0]),
        ValueError,
        r"^cross_entropy: onehot must be one-hot \(exactly one 1\), got \[1.0, 1.0\]$",
    ),
    "cross_entropy empty": (
        lambda: losses.cross_entropy([], []),
        ValueError,
        r"^cross_entropy: probs must be a non-empty list .*, got \[\]$",
    ),
    "softmax_cross_entropy class out of range": (
        lambda: losses.softmax_cross_entropy([Value(0.1), Value(0.2)], 2),
        ValueError,
        r"^softmax_cross_entropy: class_index must be in 0\.\.1 for 2 logits, got 2$",
    ),
    "softmax_cross_entropy class a float": (
        lambda: losses.softmax_cross_entropy([Value(0.1)], 0.0),  # type: ignore[arg-type]
        TypeError,
        r"^softmax_cross_entropy: class_index must be an integer, got 0.0$",
    ),
    "softmax NaN logit": (
        lambda: losses.softmax([Value(math.nan)]),
        ValueError,
        r"^softmax: logits\[0\] must be a finite number, got nan$",
    ),
    "softmax empty": (
        lambda: losses.softmax([]),
        ValueError,
        r"^softmax: logits must be a non-empty list .*, got \[\]$",
    ),
    "l2 empty": (lambda: losses.l2([]), ValueError, r"^l2: params must be a non-empty list of Values .*, got \[\]$"),
    "l2 a number": (
        lambda: losses.l2([1.0]),  # type: ignore[list-item]
        TypeError,
        r"^l2: params\[0\] must be a Value, got 1.0$",
    ),
}


@pytest.mark.parametrize("name", LOSS_CASES)
def test_losses_reject_bad_input(name: str) -> None:
    _raises(LOSS_CASES[name])


# ---- optim ----------------------------------------------------------------------------------

OPTIMIZERS: dict[str, Callable[[list[Value]], optim.Optimizer]] = {
    "SGD": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    "AdaGrad": lambda ps: optim.AdaGrad(ps, lr=0.1),
    "RMSProp": lambda ps: optim.RMSProp(ps, lr=0.1),
    "Adam": lambda ps: optim.Adam(ps, lr=0.1),
    "Nadam": lambda ps: optim.Nadam(ps, lr=0.1),
}


def _trained(name: str) -> tuple[nn.MLP, optim.Optimizer]:
    model = _model()
    opt = OPTIMIZERS[name](model.parameters())
    for x, t in (([0.5, -1.0], 1.0), ([1.0, 0.3], -1.0)):
        opt.zero_grad()
        losses.mse([model(x)], [t]).backward()  # type: ignore[list-item]
        opt.step()
    return model, opt


@pytest.mark.parametrize("name", OPTIMIZERS)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_gradient_mid_step_changes_nothing(name: str, bad: float) -> None:
    model, opt = _trained(name)
    params = model.parameters()
    opt.zero_grad()
    losses.mse([model([0.2, 0.4])], [0.5]).backward()  # type: ignore[list-item]
    params[len(params) // 2].grad = bad  # one bad gradient in the middle of the list
    data_before, state_before = [p.data for p in params], copy.deepcopy(opt.state_dict())
    index = len(params) // 2
    pattern = rf"^{name}.step: params\[{index}\]\.grad must be a finite number .*, got {bad!r} for the Value "
    with pytest.raises(ValueError, match=pattern):
        opt.step()
    assert [p.data for p in params] == data_before
    assert opt.state_dict() == state_before


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_an_exception_inside_the_update_changes_nothing(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    model, opt = _trained(name)
    params = model.parameters()
    calls = 0
    real_data = Value.data

    class Interrupted(Exception):
        pass

    def reading_data(self: Value) -> float:  # fails while the update reads the parameters
        nonlocal calls
        calls += 1
        if calls == len(params) // 2:
            raise Interrupted
        return real_data.__get__(self)  # type: ignore[attr-defined, no-any-return]

    data_before, state_before = [p.data for p in params], copy.deepcopy(opt.state_dict())
    for p in params:
        p.grad = 0.1
    monkeypatch.setattr(Value, "data", property(reading_data, real_data.__set__))  # type: ignore[attr-defined]
    try:
        with pytest.raises(Interrupted):
            opt.step()
    finally:
        monkeypatch.undo()
    assert [p.data for p in params] == data_before
    assert opt.state_dict() == state_before


OPTIM_CASES: dict[str, Case] = {
    "empty parameter list": (
        lambda: optim.SGD([], lr=0.1),
        ValueError,
        r"^SGD: params must be a non-empty list .*, got \[\]$",
    ),
    "a bare Value": (
        lambda: optim.Adam(Value(1.0, role="parameter")),  # type: ignore[arg-type]
        TypeError,
        r"^Adam: params must be a list of Values \(wrap a single Value in one\), got Value\(",
    ),
    "a number among the params": (
        lambda: optim.SGD([1.0], lr=0.1),  # type: ignore[list-item]
        TypeError,
        r"^SGD: params\[0\] must be a Value, got 1.0$",
    ),
    "an input, not a parameter": (
        lambda: optim.SGD([Value(1.0)], lr=0.1),
        ValueError,
        r"^SGD: params\[0\] must be a parameter .*, got role 'input': the Value 1\.0$",
    ),
    "a parameter twice": (
        lambda: optim.SGD([p := Value(1.0, role="parameter"), p], lr=0.1),
        ValueError,
        r"^SGD: params\[1\] must be another Value than params\[0\] .*, got the same Value 1\.0$",
    ),
    "negative lr": (
        lambda: optim.SGD(_model().parameters(), lr=-0.1),
        ValueError,
        r"^SGD: lr must be positive, got -0.1$",
    ),
    "NaN lr": (
        lambda: optim.Adam(_model().parameters(), lr=math.nan),
        ValueError,
        r"^Adam: lr must be a finite number, got nan$",
    ),
    "lr a string": (
        lambda: optim.Adam(_model().parameters(), lr="0.1"),  # type: ignore[arg-type]
        TypeError,
        r"^Adam: lr must be a real number, got '0.1'$",
    ),
    "betas of the wrong length": (
        lambda: optim.Adam(_model().parameters(), betas=(0.9,)),  # type: ignore[arg-type]
        ValueError,
        r"^Adam: betas must be a pair \(beta1, beta2\), got \(0.9,\)$",
    ),
    "momentum 1": (
        lambda: optim.SGD(_model().parameters(), lr=0.1, momentum=1.0),
        ValueError,
        r"^SGD: momentum must be in \[0, 1\), got 1.0$",
    ),
    "state for another optimizer": (
        lambda: optim.Adam(_model().parameters()).load_state_dict(
            optim.SGD(_model().parameters(), lr=0.1).state_dict()
        ),
        ValueError,
        r"^Adam.load_state_dict: state_dict\['optimizer'\] must be 'Adam', got 'SGD'$",
    ),
}


@pytest.mark.parametrize("name", OPTIM_CASES)
def test_optimizers_reject_bad_input(name: str) -> None:
    _raises(OPTIM_CASES[name])


def test_setting_a_bad_learning_rate_keeps_the_old_one() -> None:
    opt = optim.SGD(_model().parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"^SGD: lr must be positive, got 0.0$"):
        opt.lr = 0.0
    assert opt.lr == 0.1


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_a_bad_optimizer_state_dict_changes_nothing(name: str) -> None:
    _, opt = _trained(name)
    before = copy.deepcopy(opt.state_dict())
    broken = copy.deepcopy(before)
    first_state = next(iter(broken["state"]))
    broken["state"][first_state] = [0.0]  # one entry where every parameter needs one
    argument = rf"^{name}.load_state_dict: state_dict\['state'\]\[{first_state!r}\]"
    rule = rf"must be a list of one number per parameter \({len(opt.params)}\)"
    with pytest.raises(ValueError, match=rf"{argument} {rule}, got 1 numbers$"):
        opt.load_state_dict(broken)
    assert opt.state_dict() == before


# ---- data -----------------------------------------------------------------------------------

X = np.array([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])
y = np.array([0, 1, 0])

DATA_CASES: dict[str, Case] = {
    "unknown label style": (
        lambda: data.moons(labels="yes"),  # type: ignore[arg-type]
        ValueError,
        "moons: labels must be one of .*, got 'yes'$",
    ),
    "negative size": (lambda: data.moons(n=-1), ValueError, "moons: n must be >= .*, got -1$"),
    "size a float": (
        lambda: data.circles(n=10.5),  # type: ignore[arg-type]
        TypeError,
        "circles: n must be an integer, got 10.5$",
    ),
    "NaN noise": (lambda: data.spiral(noise=math.nan), ValueError, "noise must be a finite number"),
    "negative seed": (
        lambda: data.moons(seed=-3),
        ValueError,
        r"seed must be an int >= 0, a numpy Generator or None, got -3$",
    ),
    "NaN in standardize": (lambda: data.standardize([[1.0, math.nan], [2.0, 3.0]]), ValueError, "X must be finite"),
    "inf in normalize": (lambda: data.normalize([[1.0, math.inf], [2.0, 3.0]]), ValueError, "X must be finite"),
    "empty standardize": (lambda: data.standardize(np.zeros((0, 2))), ValueError, "standardize"),
    "strings in standardize": (lambda: data.standardize([["a", "b"]]), TypeError, "X must be an array of real numbers"),
    "X and y of different lengths": (
        lambda: data.train_test_split(X, y[:2]),
        ValueError,
        "train_test_split",
    ),
    "test fraction 1": (lambda: data.train_test_split(X, y, test_fraction=1.0), ValueError, "strictly between 0 and 1"),
    "batch size 0": (lambda: list(data.batches(X, y, batch_size=0)), ValueError, "batch_size must be >= 1"),
    "shuffle a string": (
        lambda: data.batches(X, y, shuffle="yes"),  # type: ignore[arg-type]
        TypeError,
        "shuffle must be True or False",
    ),
    "stats of the wrong shape": (
        lambda: data.standardize(X, data.standardize(np.ones((3, 3)))[1]),
        ValueError,
        "standardize",
    ),
}


@pytest.mark.parametrize("name", DATA_CASES)
def test_data_rejects_bad_input(name: str) -> None:
    _raises(DATA_CASES[name])
