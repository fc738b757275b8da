"""Optimizers: turn the gradients that `backward()` left on each parameter into a step.

Every optimizer has PyTorch's shape::

    opt = Adam(model.parameters(), lr=1e-3)
    for x, t in data:
        opt.zero_grad()          # gradients accumulate, so clear last step's
        loss = mse(model(x), t)
        loss.backward()          # fills p.grad for every parameter p
        opt.step()               # moves every p.data against its gradient

Notation in the formulas: p is a parameter's value, g its gradient, t the
number of the step being taken (1 for the first), lr the learning rate.  The
formulas and argument names are torch.optim's, so the same settings give the
same numbers.

Each rule is written once, as `update(p, g, state, t)`, with arithmetic and
`np.sqrt` only, so the same lines run on Python floats (one parameter) and on
numpy arrays (every parameter at once, elementwise, with the same IEEE
operations and so the same numbers).  `step()` reads the values and gradients
from where the parameters live (`store`): by default their Values, gathered
into arrays; a compiled training session (`compiler.Training`) attaches
arrays that already hold them, so a compiled step does no Python work per
parameter.  Either way the optimizer's state (momentum, running averages)
stays here, so an optimizer moves between eager and compiled mode with it.

A step is all-or-nothing: a NaN or infinite gradient is refused before
anything changes, and past that check nothing in the formulas can fail
(the new values are computed in arrays the step owns and assigned at the end).  Updates write `p.data`
directly, outside any graph.  Per-parameter state is a float64 array, one
entry per parameter in `params` order; `state_dict()` gives it as plain
lists, so it is JSON-able.
"""

from __future__ import annotations

import contextlib
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Protocol, cast

import numpy as np
import numpy.typing as npt

from micrograd_ko.autograd import Value, describe
from micrograd_ko.autograd.checks import finite_number, integer

__all__ = ["SGD", "AdaGrad", "Adam", "Nadam", "Optimizer", "ParameterStore", "RMSProp", "ValueStore"]

FloatArray = npt.NDArray[np.float64]
Numbers = Any
"""What an update formula takes and returns: a float (one parameter) or a float64 array (all of them)."""
Update = tuple[Numbers, dict[str, Numbers]]
"""What an update formula returns: the new values and the new state, by name."""
StateValue = float | list[float]
"""One named piece of optimizer state in a state_dict: a per-parameter list, or one number for the whole optimizer."""

# ---- argument checks ---------------------------------------------------------------


def _finite(value: object, name: str, owner: str) -> float:
    return finite_number(value, f"{owner}: {name}")


def _positive(value: object, name: str, owner: str) -> float:
    number = _finite(value, name, owner)
    if number <= 0.0:
        raise ValueError(f"{owner}: {name} must be positive, got {value!r}")
    return number


def _non_negative(value: object, name: str, owner: str) -> float:
    number = _finite(value, name, owner)
    if number < 0.0:
        raise ValueError(f"{owner}: {name} must be >= 0, got {value!r}")
    return number


def _decay_rate(value: object, name: str, owner: str) -> float:
    """A forgetting factor of a running average: 0 <= value < 1 (1 would never forget the start)."""
    number = _finite(value, name, owner)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{owner}: {name} must be in [0, 1), got {value!r}")
    return number


def _betas(value: object, owner: str) -> tuple[float, float]:
    """(beta1, beta2) as a tuple of floats, from any ordered pair of numbers: a tuple, a list, a numpy array."""
    # Indexable means ordered (a set is not, and its order would swap the betas); a str's items are letters.
    pair: tuple[object, ...] | None = None
    if hasattr(value, "__getitem__") and not isinstance(value, (str, bytes, Mapping)):
        with contextlib.suppress(TypeError):  # a 0-d numpy array can be indexed but not iterated
            pair = tuple(cast("Iterable[object]", value))
    if pair is None:
        raise TypeError(f"{owner}: betas must be a pair (beta1, beta2) as a tuple, list or array, got {value!r}")
    if len(pair) != 2:
        raise ValueError(f"{owner}: betas must be a pair (beta1, beta2), got {value!r}")
    return _decay_rate(pair[0], "betas[0]", owner), _decay_rate(pair[1], "betas[1]", owner)


def _checked_parameters(params: Iterable[Value], owner: str) -> list[Value]:
    if isinstance(params, Value):
        raise TypeError(f"{owner}: params must be a list of Values (wrap a single Value in one), got {params!r}")
    if callable(getattr(params, "parameters", None)):  # the model itself: the most common slip of all
        raise TypeError(
            f"{owner}: params must be a list of Values (pass model.parameters(), not the model), got {params!r}"
        )
    try:
        found = list(params)
    except TypeError:
        raise TypeError(f"{owner}: params must be a list of Values (pass model.parameters()), got {params!r}") from None
    if not found:
        raise ValueError(f"{owner}: params must be a non-empty list (pass model.parameters()), got []")
    first_index: dict[int, int] = {}
    for i, p in enumerate(found):
        if not isinstance(p, Value):
            raise TypeError(f"{owner}: params[{i}] must be a Value, got {p!r}")
        if p.role != "parameter":
            raise ValueError(
                f"{owner}: params[{i}] must be a parameter (optimizers train only Values of role 'parameter': "
                f"Value(x, role='parameter') or model.parameters()), got role {p.role!r}: the Value {describe(p)}"
            )
        first = first_index.setdefault(id(p), i)
        if first != i:
            raise ValueError(
                f"{owner}: params[{i}] must be another Value than params[{first}] (each parameter may appear "
                f"only once, or it would be stepped twice), got the same Value {describe(p)}"
            )
    return found


# ---- where the parameters live ------------------------------------------------------


class ParameterStore(Protocol):
    """Where an optimizer reads its parameters' values and gradients and writes the new values.

    Entries follow the optimizer's `params` order.  `read` returns the values,
    which the optimizer may change in place, and the gradients, which it only
    reads (a compiled session hands over its own gradient array, uncopied);
    the values come back to `write` after the update.
    """

    def read(self) -> tuple[FloatArray, FloatArray]:
        """(values, gradients) of every parameter, as two float64 arrays."""
        ...

    def write(self, values: FloatArray) -> None:
        """Make `values` the parameters' new values."""
        ...

    def zero_grads(self) -> None:
        """Set every parameter's gradient to 0.0."""
        ...


_DATA, _GRAD = operator.attrgetter("data"), operator.attrgetter("grad")


class ValueStore:
    """The parameters in their own Values (eager mode): `read` gathers p.data and p.grad, `write` sets p.data."""

    def __init__(self, params: Sequence[Value]) -> None:
        self.params = params

    def read(self) -> tuple[FloatArray, FloatArray]:
        """Every p.data and every p.grad, gathered (in C) into two arrays."""
        n = len(self.params)
        return np.fromiter(map(_DATA, self.params), float, n), np.fromiter(map(_GRAD, self.params), float, n)

    def write(self, values: FloatArray) -> None:
        """p.data = value, parameter by parameter (as Python floats)."""
        for p, value in zip(self.params, values.tolist()):
            p.data = value

    def zero_grads(self) -> None:
        """p.grad = 0.0 for every parameter."""
        for p in self.params:
            p.grad = 0.0


# ---- the base class ------------------------------------------------------------------


class Optimizer:
    """The shared machinery: a fixed list of parameters, a learning rate, `zero_grad()` and `step()`.

    Subclasses name their hyperparameters and their state, and implement
    `update(p, g, state, t)`, the rule written once for floats and arrays:
    it returns the new parameter values and the new state; `step()` checks
    the gradients before it and hands the values to the store after it.

    `lr` may be changed between steps (learning-rate schedules); it is checked
    on assignment.  `step_count` is the number of steps taken so far.
    `store` is where the parameters live (`ValueStore` unless a compiled
    training session attached its arrays with `attach`).
    """

    hyperparameter_names: ClassVar[tuple[str, ...]] = ("lr",)
    state_names: ClassVar[tuple[str, ...]] = ()

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        """Check and keep `params` (Values with role 'parameter', no repeats) and `lr` (> 0, finite)."""
        self.params = _checked_parameters(params, type(self).__name__)
        self.lr = lr
        self.step_count = 0
        self._values = ValueStore(self.params)
        self.store: ParameterStore = self._values

    @property
    def lr(self) -> float:
        """The learning rate used by the next `step()`; must be positive and finite."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = _positive(value, "lr", type(self).__name__)

    # ---- where the parameters live: the hook compiled training uses ----------------------

    def attach(self, store: ParameterStore) -> None:
        """Read and write the parameters through `store` from now on (compiled training's arrays).

        The state is unchanged, so training goes on where it was.
        """
        self.store = store

    def detach(self) -> None:
        """Read and write the parameters in their Values again (`ValueStore`)."""
        self.store = self._values

    @property
    def attached(self) -> bool:
        """Whether another store than the Values is attached (a compiled training session holds the parameters)."""
        return self.store is not self._values

    # ---- a step ------------------------------------------------------------------------------

    def zero_grad(self) -> None:
        """Set every parameter's grad to 0.0 (backward() accumulates, so call this before it)."""
        self.store.zero_grads()

    def step(self) -> None:
        """Move every parameter by the optimizer's rule, all at once or not at all.

        Raises ValueError, before changing any parameter or any state, when a
        gradient is NaN or infinite.
        """
        values, grads = self.store.read()
        self._check_finite(grads)
        t = self.step_count + 1
        new_values, new_state = self.update(values, grads, self._state(), t)
        self.store.write(new_values)
        for name, state in new_state.items():
            setattr(self, name, state)
        self.step_count = t

    def _check_finite(self, grads: FloatArray) -> None:
        if math.isfinite(np.add.reduce(grads)):  # one pass, no temporary; a NaN or an inf makes the sum one
            return
        finite = np.isfinite(grads)
        if finite.all():  # finite numbers whose sum overflowed
            return
        i = int(np.argmin(finite))  # the first gradient that is not finite
        raise ValueError(
            f"{type(self).__name__}.step: params[{i}].grad must be a finite number (nothing was updated; "
            "look for a log of 0, a division by 0 or an overflow in the loss), "
            f"got {float(grads[i])!r} for the Value {describe(self.params[i])}"
        )

    def _state(self) -> dict[str, Numbers]:
        return {name: getattr(self, name) for name in self.state_names}

    def update(self, p: Numbers, g: Numbers, state: Mapping[str, Numbers], t: int) -> Update:
        """The rule for step `t`: the new values and state from values `p`, gradients `g` and `state`.

        Written with arithmetic, augmented assignments (`m *= beta1`) and
        `np.sqrt` only, so `p`, `g` and the state may be floats (one parameter;
        `*=` rebinds the name) or arrays (all of them; `*=` works in place, so
        a big model's step makes few temporary arrays), with the same numbers.
        `step()` passes arrays it owns and checks the gradients first.
        """
        raise NotImplementedError(f"{type(self).__name__} must implement update")

    # ---- saving and restoring -----------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        """Hyperparameters, step count and state as plain JSON-able data (copies, not views)."""
        hyperparameters: dict[str, Any] = {}
        for name in self.hyperparameter_names:
            value = getattr(self, name)
            hyperparameters[name] = list(value) if isinstance(value, tuple) else value
        state: dict[str, StateValue] = {}
        for name in self.state_names:
            value = getattr(self, name)
            state[name] = value.tolist() if isinstance(value, np.ndarray) else value
        return {
            "optimizer": type(self).__name__,
            "hyperparameters": hyperparameters,
            "step_count": self.step_count,
            "state": state,
        }

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore what `state_dict()` returned, all at once or not at all.

        Raises TypeError when `state_dict` or one of its parts is not a
        mapping (a list, None, a file name), and ValueError when the data
        belongs to another optimizer class, has missing or unknown keys,
        invalid hyperparameters, or state whose length does not match the
        number of parameters; either way this optimizer is left untouched.
        """
        owner = f"{type(self).__name__}.load_state_dict"
        _expect_keys(state_dict, ("optimizer", "hyperparameters", "step_count", "state"), f"{owner}: state_dict")
        if state_dict["optimizer"] != type(self).__name__:
            raise ValueError(
                f"{owner}: state_dict['optimizer'] must be {type(self).__name__!r}, got {state_dict['optimizer']!r}"
            )
        hyperparameters = state_dict["hyperparameters"]
        _expect_keys(hyperparameters, self.hyperparameter_names, f"{owner}: state_dict['hyperparameters']")
        # The constructor's own checks validate the hyperparameters.
        checked = type(self)(self.params, **hyperparameters)
        step_count = integer(state_dict["step_count"], f"{owner}: state_dict['step_count']", minimum=0)
        loaded = state_dict["state"]
        _expect_keys(loaded, self.state_names, f"{owner}: state_dict['state']")
        state = {name: self._checked_state(name, loaded[name], owner) for name in self.state_names}
        for name in self.hyperparameter_names:
            setattr(self, name, getattr(checked, name))
        for name, value in state.items():
            setattr(self, name, value)
        self.step_count = step_count

    def _checked_state(self, name: str, value: object, owner: str) -> float | FloatArray:
        what = f"state_dict['state'][{name!r}]"
        if not isinstance(getattr(self, name), np.ndarray):
            return _finite(value, what, owner)
        rule = f"a list of one number per parameter ({len(self.params)})"
        if not isinstance(value, list):
            raise TypeError(f"{owner}: {what} must be {rule}, got {value!r}")
        if len(value) != len(self.params):
            raise ValueError(f"{owner}: {what} must be {rule}, got {len(value)} numbers")
        return np.asarray([_finite(v, f"{what}[{i}]", owner) for i, v in enumerate(value)], dtype=float)


def _expect_keys(data: object, expected: Sequence[str], what: str) -> None:
    """Refuse `data` unless it is a mapping with exactly the keys `expected`; `what` is "function: argument"."""
    if not isinstance(data, Mapping):
        raise TypeError(f"{what} must be a mapping with the keys {list(expected)}, got {data!r}")
    missing = [k for k in expected if k not in data]
    unknown = [k for k in data if k not in expected]
    if missing or unknown:
        raise ValueError(
            f"{what} must be a mapping with exactly the keys {list(expected)}, "
            f"got keys {list(data)} (missing {missing}, unknown {unknown})"
        )


# ---- the optimizers ----------------------------------------------------------------------


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum, dampening, Nesterov momentum and weight decay.

    torch.optim.SGD::

        g <- g + weight_decay * p                 (L2 penalty folded into the gradient)
        b <- g                                    on step 1 (b is the momentum buffer)
        b <- momentum * b + (1 - dampening) * g   on later steps
        d <- g + momentum * b   if nesterov, else   d <- b
        p <- p - lr * d

    With momentum 0 there is no buffer and this is plain gradient descent,
    p <- p - lr * g.  Momentum keeps a running sum of past gradients, so steps
    grow along directions where the gradient keeps its sign and cancel where
    it oscillates; dampening lets less of each new gradient in; Nesterov looks
    one momentum step ahead.
    """

    hyperparameter_names = ("lr", "momentum", "nesterov", "weight_decay", "dampening")
    state_names = ("momentum_buffer",)

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
        dampening: float = 0.0,
    ) -> None:
        """`momentum` in [0, 1); `weight_decay` >= 0; `dampening` in [0, 1]; nesterov: momentum > 0, dampening 0."""
        super().__init__(params, lr)
        owner = type(self).__name__
        self.momentum = _decay_rate(momentum, "momentum", owner)
        if not isinstance(nesterov, bool):
            raise TypeError(f"{owner}: nesterov must be True or False, got {nesterov!r}")
        if nesterov and self.momentum == 0.0:
            raise ValueError(f"{owner}: momentum must be > 0 when nesterov=True, got {self.momentum!r}")
        self.nesterov = nesterov
        self.weight_decay = _non_negative(weight_decay, "weight_decay", owner)
        self.dampening = _finite(dampening, "dampening", owner)
        if not 0.0 <= self.dampening <= 1.0:
            raise ValueError(f"{owner}: dampening must be in [0, 1], got {dampening!r}")
        if nesterov and self.dampening != 0.0:
            raise ValueError(f"{owner}: dampening must be 0 when nesterov=True, got {dampening!r}")
        self.momentum_buffer = np.zeros(len(self.params))

    def update(self, p: Numbers, g: Numbers, state: Mapping[str, Numbers], t: int) -> Update:
        """One SGD step on floats or arrays (the class docstring's formula)."""
        mu, b = self.momentum, state["momentum_buffer"]
        if self.weight_decay != 0.0:
            g = g + self.weight_decay * p  # a new array: the caller's gradients stay as backward left them
        if mu == 0.0:
            p -= self.lr * g
            return p, {"momentum_buffer": b}
        b *= mu  # b is 0 before step 1, so b = g there, as torch starts its buffer
        b += g if t == 1 or self.dampening == 0.0 else (1.0 - self.dampening) * g
        p -= self.lr * (g + mu * b if self.nesterov else b)
        return p, {"momentum_buffer": b}


class AdaGrad(Optimizer):
    """Adaptive gradient: each parameter's step shrinks with the sum of its squared gradients.

    torch.optim.Adagrad (no lr_decay, no weight decay)::

        s <- s + g^2                              (s starts at 0)
        p <- p - lr * g / (sqrt(s) + eps)

    Parameters with rarely large gradients keep larger steps.  Because s only
    grows, the effective step size decays to zero over a long run.
    """

    hyperparameter_names = ("lr", "eps")
    state_names = ("sum_of_squares",)

    def __init__(self, params: Iterable[Value], lr: float = 0.01, eps: float = 1e-10) -> None:
        """`eps` > 0 keeps the division defined while s is 0."""
        super().__init__(params, lr)
        self.eps = _positive(eps, "eps", type(self).__name__)
        self.sum_of_squares = np.zeros(len(self.params))

    def update(self, p: Numbers, g: Numbers, state: Mapping[str, Numbers], t: int) -> Update:
        """One AdaGrad step on floats or arrays."""
        s = state["sum_of_squares"]
        s += g * g
        p -= self.lr * g / (np.sqrt(s) + self.eps)
        return p, {"sum_of_squares": s}


class RMSProp(Optimizer):
    """AdaGrad with a forgetting running average of squared gradients, so steps do not decay to zero.

    torch.optim.RMSprop (not centered, no momentum, no weight decay)::

        v <- alpha * v + (1 - alpha) * g^2        (v starts at 0)
        p <- p - lr * g / (sqrt(v) + eps)
    """

    hyperparameter_names = ("lr", "alpha", "eps")
    state_names = ("square_avg",)

    def __init__(self, params: Iterable[Value], lr: float = 0.01, alpha: float = 0.99, eps: float = 1e-8) -> None:
        """`alpha` in [0, 1) is how much of the old average is kept each step; `eps` > 0."""
        super().__init__(params, lr)
        owner = type(self).__name__
        self.alpha = _decay_rate(alpha, "alpha", owner)
        self.eps = _positive(eps, "eps", owner)
        self.square_avg = np.zeros(len(self.params))

    def update(self, p: Numbers, g: Numbers, state: Mapping[str, Numbers], t: int) -> Update:
        """One RMSProp step on floats or arrays."""
        alpha, v = self.alpha, state["square_avg"]
        v *= alpha
        v += (1.0 - alpha) * g * g
        p -= self.lr * g / (np.sqrt(v) + self.eps)
        return p, {"square_avg": v}


class Adam(Optimizer):
    """Adaptive moment estimation: momentum (first moment) scaled by an RMS of gradients (second moment).

    torch.optim.Adam (no weight decay, no amsgrad)::

        m <- beta1 * m + (1 - beta1) * g          (m, v start at 0)
        v <- beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t)                 (bias correction: m and v start at 0,
        v_hat = v / (1 - beta2^t)                  so early averages are too small)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    On the first step m_hat = g and v_hat = g^2, so every parameter moves by
    about lr, whatever the size of its gradient.
    """

    hyperparameter_names = ("lr", "betas", "eps")
    state_names = ("exp_avg", "exp_avg_sq")

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
    ) -> None:
        """`betas` = (beta1, beta2), each in [0, 1); `eps` > 0.

        `betas` may be any ordered pair (a tuple, list or numpy array); it is kept as a tuple of floats.
        """
        super().__init__(params, lr)
        owner = type(self).__name__
        self.betas = _betas(betas, owner)
        self.eps = _positive(eps, "eps", owner)
        self.exp_avg = np.zeros(len(self.params))
        self.exp_avg_sq = np.zeros(len(self.params))

    def update(self, p: Numbers, g: Numbers, state: Mapping[str, Numbers], t: int) -> Update:
        """One Adam step on floats or arrays."""
        (beta1, beta2), m, v = self.betas, state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1.0 - beta1) * g
        v *= beta2
        v += (1.0 - beta2) * g * g
        # Grouped as torch groups it: lr / (1 - beta1^t) times m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
        step_size = self.lr / (1.0 - beta1**t)
        root_correction = math.sqrt(1.0 - beta2**t)
        p -= step_size * m / (np.sqrt(v) / root_correction + self.eps)
        return p, {"exp_avg": m, "exp_avg_sq": v}


class Nadam(Optimizer):
    """Adam with Nesterov momentum (Dozat, 2016), exactly as torch.optim.NAdam computes it.

    The momentum coefficient follows Dozat's warm-up schedule, with
    psi = momentum_decay::

        mu_t = beta1 * (1 - 0.5 * 0.96^(t * psi))
        P_t  = mu_1 * mu_2 * ... * mu_t           (running product, kept as state)
        m <- beta1 * m + (1 - beta1) * g          (m, v start at 0)
        v <- beta2 * v + (1 - beta2) * g^2
        d = sqrt(v / (1 - beta2^t)) + eps
        p <- p - lr * (1 - mu_t) / (1 - P_t) * g / d
               - lr * mu_{t+1} / (1 - P_t * mu_{t+1}) * m / d

    The first term is the current gradient, the second the momentum one step
    ahead (the Nesterov look-ahead), each bias-corrected.

    Which variant: momentum_decay=0.004 (the default, torch's) is Dozat's
    schedule.  momentum_decay=None turns the schedule off, mu_t = beta1 on
    every step, which is the simple form (as in Keras; torch reaches it only
    in the limit momentum_decay -> inf)::

        p <- p - lr * (beta1 * m / (1 - beta1^(t+1)) + (1 - beta1) * g / (1 - beta1^t)) / d

    Note that torch's momentum_decay=0 is not that form: it fixes mu_t at beta1 / 2.
    """

    hyperparameter_names = ("lr", "betas", "eps", "momentum_decay")
    state_names = ("exp_avg", "exp_avg_sq", "mu_product")

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 2e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        momentum_decay: float | None = 4e-3,
    ) -> None:
        """`betas` each in [0, 1) (any pair, as for Adam); `eps` > 0; `momentum_decay` >= 0, or None for no schedule."""
        super().__init__(params, lr)
        owner = type(self).__name__
        self.betas = _betas(betas, owner)
        self.eps = _positive(eps, "eps", owner)
        self.momentum_decay = None if momentum_decay is None else _non_negative(momentum_decay, "momentum_decay", owner)
        self.exp_avg = np.zeros(len(self.params))
        self.exp_avg_sq = np.zeros(len(self.params))
        self.mu_product = 1.0

    def _momentum(self, t: int) -> float:
        if self.momentum_decay is None:
            return self.betas[0]
        return self.betas[0] * (1.0 - 0.5 * math.pow(0.96, t * self.momentum_decay))

    def update(self, p: Numbers, g: Numbers, state: Mapping[str, Numbers], t: int) -> Update:
        """One Nadam step on floats or arrays (`mu_product`, one number, is shared by every parameter)."""
        beta1, beta2 = self.betas
        mu, mu_next = self._momentum(t), self._momentum(t + 1)
        mu_product = state["mu_product"] * mu
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1.0 - beta1) * g
        v *= beta2
        v += (1.0 - beta2) * g * g
        gradient_scale = -self.lr * (1.0 - mu) / (1.0 - mu_product)
        momentum_scale = -self.lr * mu_next / (1.0 - mu_product * mu_next)
        d = np.sqrt(v / (1.0 - beta2**t)) + self.eps
        p += gradient_scale * g / d  # two additions, in torch's order: (p + gradient term) + momentum term
        p += momentum_scale * m / d
        return p, {"exp_avg": m, "exp_avg_sq": v, "mu_product": mu_product}
