"""Optimizers: hand-computed steps, torch.optim step by step, convergence, validation, all-or-nothing steps."""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pytest

from micrograd_ko import Value
from micrograd_ko.nn import MLP, Linear, ReLU, Sequential
from micrograd_ko.optim import SGD, AdaGrad, Adam, Nadam, Optimizer, RMSProp

Factory = Callable[[list[Value]], Optimizer]

# One entry per optimizer setting: how to build ours, and the torch.optim class and arguments that should match it.
SETTINGS: dict[str, tuple[Factory, str, dict[str, Any]]] = {
    "sgd": (lambda ps: SGD(ps, lr=0.05), "SGD", {"lr": 0.05}),
    "sgd-momentum": (lambda ps: SGD(ps, lr=0.02, momentum=0.9), "SGD", {"lr": 0.02, "momentum": 0.9}),
    "sgd-nesterov-decay": (
        lambda ps: SGD(ps, lr=0.02, momentum=0.8, nesterov=True, weight_decay=0.05),
        "SGD",
        {"lr": 0.02, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05},
    ),
    "sgd-dampening-decay": (
        lambda ps: SGD(ps, lr=0.02, momentum=0.9, dampening=0.3, weight_decay=0.05),
        "SGD",
        {"lr": 0.02, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.05},
    ),
    "sgd-dampening-without-momentum": (
        lambda ps: SGD(ps, lr=0.05, dampening=0.5),
        "SGD",
        {"lr": 0.05, "dampening": 0.5},
    ),
    "adagrad": (lambda ps: AdaGrad(ps, lr=0.1), "Adagrad", {"lr": 0.1}),
    "rmsprop": (
        lambda ps: RMSProp(ps, lr=0.01, alpha=0.9, eps=1e-6),
        "RMSprop",
        {"lr": 0.01, "alpha": 0.9, "eps": 1e-6},
    ),
    "adam": (lambda ps: Adam(ps, lr=0.05), "Adam", {"lr": 0.05}),
    "adam-betas": (
        lambda ps: Adam(ps, lr=0.01, betas=(0.8, 0.99), eps=1e-6),
        "Adam",
        {"lr": 0.01, "betas": (0.8, 0.99), "eps": 1e-6},
    ),
    "nadam": (lambda ps: Nadam(ps, lr=0.02), "NAdam", {"lr": 0.02}),
    "nadam-decay-0": (lambda ps: Nadam(ps, lr=0.02, momentum_decay=0.0), "NAdam", {"lr": 0.02, "momentum_decay": 0.0}),
    # torch reaches the schedule-free form only in the limit momentum_decay -> inf.
    "nadam-no-schedule": (
        lambda ps: Nadam(ps, lr=0.02, momentum_decay=None),
        "NAdam",
        {"lr": 0.02, "momentum_decay": math.inf},
    ),
}

START = [0.5, -1.2, 2.0, 0.3]


def bumpy_loss(w: list[Any]) -> Any:
    """A non-quadratic loss of four weights, written with operators that Values and torch tensors share."""
    w0, w1, w2, w3 = w
    return (w0 * w1 - 1) ** 2 + 0.5 * (w2 - w3) ** 2 + 0.1 * w0**4 + (w3 * w1 + 0.5) ** 2


def parameters(values: list[float]) -> list[Value]:
    return [Value(v, label=f"w{i}", role="parameter") for i, v in enumerate(values)]


def train(optimizer: Optimizer, loss: Callable[[list[Value]], Value], steps: int) -> list[list[float]]:
    history = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss(optimizer.params).backward()
        optimizer.step()
        history.append([p.data for p in optimizer.params])
    return history


def with_grads(grads: list[float], data: list[float] | None = None) -> list[Value]:
    ps = parameters(data if data is not None else [1.0] * len(grads))
    for p, g in zip(ps, grads):
        p.grad = g
    return ps


# ---- hand-computed steps -----------------------------------------------------------------


def test_sgd_first_step_by_hand() -> None:
    ps = with_grads([0.5, -2.0], [1.0, 3.0])
    SGD(ps, lr=0.1).step()
    assert [p.data for p in ps] == pytest.approx([1.0 - 0.05, 3.0 + 0.2], abs=1e-15)


def test_sgd_momentum_two_steps_by_hand() -> None:
    (p,) = with_grads([0.5])
    opt = SGD([p], lr=0.1, momentum=0.9)
    opt.step()  # buffer 0.5, p = 1 - 0.05
    assert p.data == pytest.approx(0.95, abs=1e-15)
    p.grad = 0.25
    opt.step()  # buffer 0.9 * 0.5 + 0.25 = 0.7, p = 0.95 - 0.07
    assert p.data == pytest.approx(0.88, abs=1e-15)


def test_sgd_nesterov_two_steps_by_hand() -> None:
    (p,) = with_grads([0.5])
    opt = SGD([p], lr=0.1, momentum=0.9, nesterov=True)
    opt.step()  # buffer 0.5, direction 0.5 + 0.9 * 0.5 = 0.95
    assert p.data == pytest.approx(1.0 - 0.095, abs=1e-15)
    p.grad = 0.25
    opt.step()  # buffer 0.7, direction 0.25 + 0.9 * 0.7 = 0.88
    assert p.data == pytest.approx(0.905 - 0.088, abs=1e-15)


def test_sgd_weight_decay_first_step_by_hand() -> None:
    (p,) = with_grads([0.5], [2.0])
    SGD([p], lr=0.1, weight_decay=0.1).step()  # gradient 0.5 + 0.1 * 2.0 = 0.7
    assert p.data == pytest.approx(2.0 - 0.07, abs=1e-15)


def test_sgd_momentum_nesterov_and_weight_decay_together_by_hand() -> None:
    (p,) = with_grads([0.5], [2.0])
    opt = SGD([p], lr=0.1, momentum=0.5, nesterov=True, weight_decay=0.1)
    opt.step()  # g = 0.7, buffer 0.7, direction 0.7 + 0.35 = 1.05
    assert p.data == pytest.approx(1.895, abs=1e-15)
    p.grad = 0.0
    opt.step()  # g = 0.1895, buffer 0.35 + 0.1895 = 0.5395, direction 0.1895 + 0.26975 = 0.45925
    assert p.data == pytest.approx(1.895 - 0.045925, abs=1e-15)


def test_adam_first_two_steps_by_hand() -> None:
    (p,) = with_grads([0.5])
    opt = Adam([p], lr=0.1)
    opt.step()
    # m = 0.05, v = 0.00025; corrected: m_hat = 0.5, v_hat = 0.25, so the step is lr * 0.5 / (0.5 + eps)
    assert p.data == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-8), abs=1e-15)
    first = p.data
    p.grad = 0.25
    opt.step()
    # m = 0.045 + 0.025 = 0.07, v = 0.00024975 + 0.0000625 = 0.00031225
    m_hat = 0.07 / (1 - 0.81)
    v_hat = 0.00031225 / (1 - 0.998001)
    assert p.data == pytest.approx(first - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), abs=1e-14)


def test_adam_first_step_moves_every_parameter_by_about_lr() -> None:
    ps = with_grads([1e-4, 3.0, -250.0])
    Adam(ps, lr=0.01).step()
    assert [p.data for p in ps] == pytest.approx([0.99, 0.99, 1.01], abs=1e-5)


def test_adagrad_and_rmsprop_first_step_by_hand() -> None:
    (p,) = with_grads([0.5])
    AdaGrad([p], lr=0.1).step()  # s = 0.25, step 0.1 * 0.5 / (0.5 + 1e-10)
    assert p.data == pytest.approx(1.0 - 0.1 * 0.5 / (0.5 + 1e-10), abs=1e-15)
    (q,) = with_grads([0.5])
    RMSProp([q], lr=0.1, alpha=0.9).step()  # v = 0.1 * 0.25 = 0.025
    assert q.data == pytest.approx(1.0 - 0.1 * 0.5 / (math.sqrt(0.025) + 1e-8), abs=1e-15)


def test_nadam_without_schedule_is_the_simple_dozat_form() -> None:
    """momentum_decay=None against the textbook (Keras) formula, written out in numpy."""
    rng = np.random.default_rng(7)
    grads = rng.normal(size=(6, 3))
    lr, beta1, beta2, eps = 0.01, 0.9, 0.999, 1e-8
    p, m, v = np.ones(3), np.zeros(3), np.zeros(3)
    ps = parameters([1.0, 1.0, 1.0])
    opt = Nadam(ps, lr=lr, momentum_decay=None)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = beta1 * m / (1 - beta1 ** (t + 1)) + (1 - beta1) * g / (1 - beta1**t)
        p = p - lr * m_hat / (np.sqrt(v / (1 - beta2**t)) + eps)
        for param, gi in zip(ps, g):
            param.grad = float(gi)
        opt.step()
        assert [q.data for q in ps] == pytest.approx(p.tolist(), abs=1e-12)


# ---- torch.optim, step by step --------------------------------------------------------


@pytest.fixture
def torch() -> Iterator[Any]:
    """torch with float64 as the default dtype, which torch.optim also uses for scalar state.

    Otherwise NAdam keeps its momentum product in float32 and drifts from float64 by about 1e-8.
    """
    torch = pytest.importorskip("torch", reason="torch is not installed: comparison with torch.optim skipped")
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    yield torch
    torch.set_default_dtype(previous)


@pytest.mark.parametrize("name", list(SETTINGS))
def test_matches_torch_optim_step_by_step(name: str, torch: Any) -> None:
    make_ours, torch_class, torch_kwargs = SETTINGS[name]
    ours = train(make_ours(parameters(START)), bumpy_loss, steps=20)

    weights = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in START]
    optimizer = getattr(torch.optim, torch_class)(weights, **torch_kwargs)
    theirs = []
    for _ in range(20):
        optimizer.zero_grad()
        bumpy_loss(weights).backward()
        optimizer.step()
        theirs.append([w.item() for w in weights])
    assert np.abs(np.array(ours) - np.array(theirs)).max() < 1e-12
    assert np.abs(np.array(ours[-1]) - np.array(START)).max() > 1e-3  # the run really moved


@pytest.mark.parametrize("name", ["sgd-momentum", "adam", "nadam"])
def test_lr_schedule_matches_torch(name: str, torch: Any) -> None:
    make_ours, torch_class, torch_kwargs = SETTINGS[name]
    schedule = [0.05, 0.05, 0.01, 0.2, 0.001, 0.03]
    ours = make_ours(parameters(START))
    weights = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in START]
    theirs = getattr(torch.optim, torch_class)(weights, **torch_kwargs)
    for lr in schedule:
        ours.lr = lr
        for group in theirs.param_groups:
            group["lr"] = lr
        ours.zero_grad()
        bumpy_loss(ours.params).backward()
        ours.step()
        theirs.zero_grad()
        bumpy_loss(weights).backward()
        theirs.step()
    assert [p.data for p in ours.params] == pytest.approx([w.item() for w in weights], abs=1e-12)


def test_changed_lr_takes_effect_on_the_next_step() -> None:
    (p,) = with_grads([1.0])
    opt = SGD([p], lr=0.1)
    opt.step()
    opt.lr = 0.01
    opt.step()
    assert p.data == pytest.approx(1.0 - 0.1 - 0.01, abs=1e-15)


# ---- convergence on a convex bowl --------------------------------------------------------

CENTER = (1.0, -2.0)
CURVATURES = (1.0, 20.0)


def bowl(ps: list[Value]) -> Value:
    """0.5 * (1 * (x - 1)^2 + 20 * (y + 2)^2): a narrow valley, 20 times steeper across y."""
    x, y = ps
    return 0.5 * (CURVATURES[0] * (x - CENTER[0]) ** 2 + CURVATURES[1] * (y - CENTER[1]) ** 2)


CONVERGENCE: dict[str, tuple[Factory, int]] = {
    "sgd": (lambda ps: SGD(ps, lr=0.05), 300),
    "sgd-momentum": (lambda ps: SGD(ps, lr=0.02, momentum=0.9), 300),
    "sgd-nesterov": (lambda ps: SGD(ps, lr=0.02, momentum=0.9, nesterov=True), 300),
    "adagrad": (lambda ps: AdaGrad(ps, lr=1.0), 300),
    "rmsprop": (lambda ps: RMSProp(ps, lr=0.01), 1000),
    "adam": (lambda ps: Adam(ps, lr=0.1), 500),
    "nadam": (lambda ps: Nadam(ps, lr=0.1), 500),
}


@pytest.mark.parametrize("name", list(CONVERGENCE))
def test_every_optimizer_converges_on_a_convex_bowl(name: str) -> None:
    make, steps = CONVERGENCE[name]
    history = train(make(parameters([-3.0, 2.0])), bowl, steps)
    assert math.dist(history[-1], CENTER) < 1e-5


def test_weight_decay_moves_the_minimum_towards_zero() -> None:
    """With weight decay c the minimum of 0.5 a (x - m)^2 becomes a m / (a + c)."""
    history = train(SGD(parameters([-3.0, 2.0]), lr=0.02, momentum=0.5, weight_decay=0.5), bowl, 500)
    expected = [a * m / (a + 0.5) for a, m in zip(CURVATURES, CENTER)]
    assert history[-1] == pytest.approx(expected, abs=1e-9)


# ---- arguments that are refused -----------------------------------------------------------


def test_non_parameters_are_refused_with_index_and_label() -> None:
    ps = parameters([1.0, 2.0])
    data = Value(3.0, label="x")
    pattern = r"^SGD: params\[1\] must be a parameter .*, got role 'input': the Value 3\.0 \(label 'x'\)$"
    with pytest.raises(ValueError, match=pattern):
        SGD([ps[0], data, ps[1]], lr=0.1)
    with pytest.raises(ValueError, match=r"^Adam: params\[0\] must be a parameter .*, got role 'result'"):
        Adam([ps[0] * 2])


def test_non_values_empty_lists_and_repeats_are_refused() -> None:
    p = Value(1.0, label="w", role="parameter")
    with pytest.raises(TypeError, match=r"^Adam: params\[1\] must be a Value, got 1\.0$"):
        Adam([p, 1.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^Adam: params must be a list of Values \(wrap a single .*\), got Value\("):
        Adam(p)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"^Adam: params must be a non-empty list \(pass model.parameters\(\)\), got"):
        Adam([])
    with pytest.raises(ValueError, match=r"^Adam: params must be a non-empty list .*, got \[\]$"):
        Adam(iter([]))
    pattern = r"^SGD: params\[2\] must be another Value than params\[0\] .*, got the same Value 1\.0 \(label 'w'\)$"
    with pytest.raises(ValueError, match=pattern):
        SGD([p, Value(2.0, role="parameter"), p], lr=0.1)


def test_parameters_may_come_from_a_generator() -> None:
    ps = parameters([1.0, 2.0])
    opt = SGD(iter(ps), lr=0.1)
    assert opt.params == ps


BAD_ARGUMENTS: list[tuple[Callable[[list[Value]], object], type[Exception], str]] = [
    (lambda ps: SGD(ps, lr=0.0), ValueError, "^SGD: lr must be positive, got 0.0$"),
    (lambda ps: SGD(ps, lr=-0.1), ValueError, "^SGD: lr must be positive, got -0.1$"),
    (lambda ps: Adam(ps, lr=math.nan), ValueError, "^Adam: lr must be a finite number, got nan$"),
    (lambda ps: Adam(ps, lr=math.inf), ValueError, "^Adam: lr must be a finite number, got inf$"),
    (lambda ps: Adam(ps, lr=True), TypeError, "^Adam: lr must be a real number, got True$"),
    (lambda ps: Adam(ps, lr="0.1"), TypeError, "^Adam: lr must be a real number, got '0.1'$"),  # type: ignore[arg-type]
    (lambda ps: SGD(ps, lr=0.1, momentum=-0.1), ValueError, r"^SGD: momentum must be in \[0, 1\), got -0.1$"),
    (lambda ps: SGD(ps, lr=0.1, momentum=1.0), ValueError, r"^SGD: momentum must be in \[0, 1\), got 1.0$"),
    (lambda ps: SGD(ps, lr=0.1, nesterov=True), ValueError, "^SGD: momentum must be > 0 when nesterov=True, got 0.0$"),
    (
        lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=True, dampening=0.1),
        ValueError,
        "^SGD: dampening must be 0 when nesterov=True, got 0.1$",
    ),
    (lambda ps: SGD(ps, lr=0.1, dampening=1.5), ValueError, r"^SGD: dampening must be in \[0, 1\], got 1.5$"),
    (lambda ps: SGD(ps, lr=0.1, dampening="a"), TypeError, "^SGD: dampening must be a real number, got 'a'$"),  # type: ignore[arg-type]
    (
        lambda ps: SGD(ps, lr=0.1, momentum=0.9, nesterov=1),  # type: ignore[arg-type]
        TypeError,
        "^SGD: nesterov must be True or False, got 1$",
    ),
    (lambda ps: SGD(ps, lr=0.1, weight_decay=-1.0), ValueError, "^SGD: weight_decay must be >= 0, got -1.0$"),
    (lambda ps: Adam(ps, betas=(1.0, 0.999)), ValueError, r"^Adam: betas\[0\] must be in \[0, 1\), got 1.0$"),
    (lambda ps: Adam(ps, betas=(0.9, -0.5)), ValueError, r"^Adam: betas\[1\] must be in \[0, 1\), got -0.5$"),
    (
        lambda ps: Nadam(ps, betas=(0.9,)),  # type: ignore[arg-type]
        ValueError,
        r"^Nadam: betas must be a pair \(beta1, beta2\), got \(0.9,\)$",
    ),
    (lambda ps: Adam(ps, eps=0.0), ValueError, "^Adam: eps must be positive, got 0.0$"),
    (lambda ps: AdaGrad(ps, eps=-1e-10), ValueError, "^AdaGrad: eps must be positive, got -1e-10$"),
    (lambda ps: RMSProp(ps, alpha=1.0), ValueError, r"^RMSProp: alpha must be in \[0, 1\), got 1.0$"),
    (lambda ps: Nadam(ps, momentum_decay=-0.004), ValueError, "^Nadam: momentum_decay must be >= 0, got -0.004$"),
]


@pytest.mark.parametrize(("make", "error", "pattern"), BAD_ARGUMENTS)
def test_bad_hyperparameters_are_refused(
    make: Callable[[list[Value]], object], error: type[Exception], pattern: str
) -> None:
    with pytest.raises(error, match=pattern):
        make(parameters([1.0]))


def test_setting_a_bad_lr_is_refused_and_keeps_the_old_one() -> None:
    opt = Adam(parameters([1.0]), lr=0.01)
    for bad in (0.0, -1.0, math.nan, math.inf):
        with pytest.raises(ValueError, match="Adam: lr"):
            opt.lr = bad
    assert opt.lr == 0.01


# ---- steps are all-or-nothing ----------------------------------------------------------------


def snapshot(opt: Optimizer) -> tuple[list[float], dict[str, Any]]:
    return [p.data for p in opt.params], copy.deepcopy(opt.state_dict())


@pytest.mark.parametrize("name", list(SETTINGS))
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_gradient_changes_nothing(name: str, bad: float) -> None:
    opt = SETTINGS[name][0](parameters(START))
    train(opt, bumpy_loss, steps=2)  # so there is momentum / running-average state to protect
    before = snapshot(opt)
    opt.zero_grad()
    bumpy_loss(opt.params).backward()
    opt.params[2].grad = bad
    step = rf"^{type(opt).__name__}.step: params\[2\]\.grad must be a finite number \(nothing was updated; .*\)"
    pattern = rf"{step}, got {bad!r} for the Value .* \(label 'w2'\)$"
    with pytest.raises(ValueError, match=pattern):
        opt.step()
    assert snapshot(opt) == before
    assert opt.step_count == 2


def test_updates_change_data_in_place_without_a_graph() -> None:
    ps = parameters(START)
    opt = Adam(ps, lr=0.1)
    train(opt, bumpy_loss, steps=3)
    assert opt.params == ps
    assert all(type(p.data) is float and p.op == "" and p.parents == () and p.role == "parameter" for p in ps)


def test_zero_grad_clears_every_gradient() -> None:
    ps = with_grads([1.0, -2.0, 3.0])
    SGD(ps, lr=0.1).zero_grad()
    assert [p.grad for p in ps] == [0.0, 0.0, 0.0]


# ---- state_dict ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SETTINGS))
def test_state_dict_round_trips_through_json(name: str) -> None:
    make = SETTINGS[name][0]
    original = make(parameters(START))
    train(original, bumpy_loss, steps=3)
    saved = json.loads(json.dumps(original.state_dict(), allow_nan=False))

    restored = make(parameters([p.data for p in original.params]))
    restored.load_state_dict(saved)
    assert restored.state_dict() == original.state_dict()
    assert train(restored, bumpy_loss, steps=4) == train(original, bumpy_loss, steps=4)


def bumpy_loss_2d(ps: list[Value]) -> Value:
    x, y = ps
    return (x * y - 1) ** 2


def test_state_dict_is_a_copy() -> None:
    opt = Adam(parameters([1.0, 2.0]))
    train(opt, bumpy_loss_2d, steps=1)
    state = opt.state_dict()
    state["state"]["exp_avg"][0] = 123.0
    assert opt.exp_avg[0] != 123.0


def corrupt(key_path: tuple[str, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def apply(state: dict[str, Any]) -> None:
        target = state
        for key in key_path[:-1]:
            target = target[key]
        target[key_path[-1]] = value

    return apply


CORRUPTIONS: list[tuple[Callable[[dict[str, Any]], None], type[Exception], str]] = [
    (
        corrupt(("optimizer",), "SGD"),
        ValueError,
        r"^Adam.load_state_dict: state_dict\['optimizer'\] must be 'Adam', got 'SGD'$",
    ),
    (
        corrupt(("state", "exp_avg"), [0.0]),
        ValueError,
        r"^Adam.load_state_dict: state_dict\['state'\]\['exp_avg'\] "
        r"must be a list of one number per parameter \(2\), got 1 numbers$",
    ),
    (
        corrupt(("state", "exp_avg_sq"), [0.0, math.nan]),
        ValueError,
        r"^Adam.load_state_dict: state_dict\['state'\]\['exp_avg_sq'\]\[1\] must be a finite number, got nan$",
    ),
    (
        corrupt(("state", "extra"), [0.0, 0.0]),
        ValueError,
        r"^Adam.load_state_dict: state_dict\['state'\] must be a mapping with exactly the keys .*, "
        r"got keys .* \(missing \[\], unknown \['extra'\]\)$",
    ),
    (corrupt(("hyperparameters", "betas"), [0.9, 1.5]), ValueError, r"^Adam: betas\[1\] must be in \[0, 1\), got 1.5$"),
    (corrupt(("hyperparameters", "lr"), -1.0), ValueError, "^Adam: lr must be positive, got -1.0$"),
    (
        corrupt(("step_count",), -3),
        ValueError,
        r"^Adam.load_state_dict: state_dict\['step_count'\] must be >= 0, got -3$",
    ),
    (
        corrupt(("state",), None),
        TypeError,
        r"^Adam.load_state_dict: state_dict\['state'\] must be a mapping .*, got None$",
    ),
]


@pytest.mark.parametrize(("damage", "error", "pattern"), CORRUPTIONS)
def test_bad_state_dict_is_refused_and_changes_nothing(
    damage: Callable[[dict[str, Any]], None], error: type[Exception], pattern: str
) -> None:
    opt = Adam(parameters([1.0, 2.0]), lr=0.01)
    train(opt, bumpy_loss_2d, steps=2)
    before = opt.state_dict()
    state = copy.deepcopy(before)
    state["hyperparameters"]["lr"] = 0.5  # a valid change that must not land if anything else is wrong
    damage(state)
    with pytest.raises(error, match=pattern):
        opt.load_state_dict(state)
    assert opt.state_dict() == before


@pytest.mark.parametrize("given", [[1, 2], None, "adam.json", 3.0])
def test_load_state_dict_of_a_non_mapping_is_a_type_error_naming_it(given: object) -> None:
    opt = Adam(parameters([1.0, 2.0]), lr=0.01)
    before = opt.state_dict()
    pattern = rf"^Adam.load_state_dict: state_dict must be a mapping .*, got {re.escape(repr(given))}$"
    with pytest.raises(TypeError, match=pattern):
        opt.load_state_dict(given)  # type: ignore[arg-type]
    assert opt.state_dict() == before


OPTIMIZERS: list[type[Optimizer]] = [SGD, AdaGrad, RMSProp, Adam, Nadam]


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("model", [MLP(2, [3, 1], seed=0), Sequential(Linear(2, 3, seed=0), ReLU())])
def test_a_model_given_for_its_parameters_says_pass_model_parameters(optimizer: type[Optimizer], model: object) -> None:
    with pytest.raises(TypeError) as caught:
        optimizer(model, lr=0.1)  # type: ignore[arg-type]
    name = optimizer.__name__
    expected = f"{name}: params must be a list of Values (pass model.parameters(), not the model), got {model!r}"
    assert str(caught.value) == expected


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_a_number_given_for_the_parameters_names_params(optimizer: type[Optimizer]) -> None:
    pattern = rf"^{optimizer.__name__}: params must be a list of Values \(pass model.parameters\(\)\), got 5$"
    with pytest.raises(TypeError, match=pattern):
        optimizer(5, lr=0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize("optimizer", [Adam, Nadam])
def test_betas_may_be_a_numpy_array_and_are_kept_as_a_tuple_of_floats(optimizer: type[Adam | Nadam]) -> None:
    opt = optimizer(parameters([1.0]), betas=np.array([0.8, np.float32(0.5)]))  # type: ignore[arg-type]
    assert opt.betas == (0.8, 0.5)
    assert type(opt.betas) is tuple and all(type(b) is float for b in opt.betas)
    listed = optimizer(parameters([1.0]), betas=[0.8, 0.5])  # type: ignore[arg-type]
    assert type(listed.betas) is tuple


@pytest.mark.parametrize("betas", [0.9, "ab", {0.9, 0.999}, np.array(0.9)])
def test_betas_that_are_not_an_ordered_pair_are_refused_by_type(betas: object) -> None:
    with pytest.raises(TypeError, match=r"^Adam: betas must be a pair \(beta1, beta2\) as a tuple, list or array, got"):
        Adam(parameters([1.0]), betas=betas)  # type: ignore[arg-type]


# ---- one rule for floats and arrays ---------------------------------------------------------------


@pytest.mark.parametrize("name", list(SETTINGS))
def test_each_rule_gives_the_same_numbers_on_floats_as_on_arrays(name: str) -> None:
    """`update` is written once: run on one parameter's floats it gives, bit for bit, that entry of the array run."""
    opt = SETTINGS[name][0](parameters(START))
    train(opt, bumpy_loss, steps=3)  # so the state is not all zeros
    rng = np.random.default_rng(1)
    p, g = rng.normal(size=4), rng.normal(size=4)
    state = {name: getattr(opt, name) for name in opt.state_names}
    t = opt.step_count + 1
    copied = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in state.items()}
    values, new_state = opt.update(p.copy(), g.copy(), copied, t)  # on arrays, the update works in place
    for i in range(4):
        one = {k: float(v[i]) if isinstance(v, np.ndarray) else v for k, v in state.items()}
        value, one_state = opt.update(float(p[i]), float(g[i]), one, t)
        assert value == values[i]
        for k, v in one_state.items():
            assert v == (new_state[k][i] if isinstance(new_state[k], np.ndarray) else new_state[k])
    assert not np.array_equal(values, p)  # the step moved
