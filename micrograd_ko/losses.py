"""Loss functions: one number that says how wrong the model's outputs are.

Each loss takes lists (the outputs a model made, and the targets it should
have made; targets may be plain numbers) and returns a single Value built
from engine operations, so `loss.backward()` reaches every parameter.  Sums
use the engine's n-ary `Value.sum` / `Value.dot`, so a loss over n items adds
one node, not a chain of n - 1 '+' nodes.

Which loss for which problem:

    regression (predict a number)             mse, sse
    binary classification, a probability     binary_cross_entropy  (output through sigmoid)
    binary classification, a score            hinge                 (labels -1 / +1)
    multi-class, probabilities                cross_entropy         (output through softmax)
    multi-class, raw scores (logits)          softmax_cross_entropy (prefer this: it is stable)
    keeping weights small                     l2                    (add coefficient * l2(params))
    a GAN, from the discriminator's logits    gan_discriminator_loss, gan_generator_loss

Bad input raises early: lists of different lengths, empty lists, a class
index out of range, targets that are not one-hot / not 0 or 1 / not -1 or +1.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

from micrograd_ko.autograd import Operand, Value
from micrograd_ko.autograd.checks import finite_number, integer, one_of

__all__ = [
    "binary_cross_entropy",
    "cross_entropy",
    "gan_discriminator_loss",
    "gan_generator_loss",
    "hinge",
    "l2",
    "log_softmax",
    "mse",
    "softmax",
    "softmax_cross_entropy",
    "sse",
]


# ---- input checks ------------------------------------------------------------------


def _values(items: Iterable[Operand], loss: str, what: str) -> list[Value]:
    """A non-empty list of Values; plain numbers become constants."""
    if isinstance(items, (Value, numbers.Number, str)):
        raise TypeError(f"{loss}: {what} must be a list (wrap a single item in one), got {items!r}")
    values = []
    for i, item in enumerate(items):
        if isinstance(item, Value):
            values.append(item)
        elif isinstance(item, numbers.Real) and not isinstance(item, bool):
            if not math.isfinite(item):  # data given as a number (a target, a label) must be usable
                raise ValueError(f"{loss}: {what}[{i}] must be a finite number, got {float(item)!r}")
            values.append(Value(item, role="constant"))
        else:
            raise TypeError(f"{loss}: {what}[{i}] must be a Value or a real number, got {item!r}")
    if not values:
        raise ValueError(f"{loss}: {what} must be a non-empty list (a loss needs at least one item), got []")
    return values


def _outputs_and_targets(
    outputs: Iterable[Operand], targets: Iterable[Operand], loss: str, names: tuple[str, str] = ("outputs", "targets")
) -> tuple[list[Value], list[Value]]:
    """Both lists as Values, refused unless they have the same length."""
    ys = _values(outputs, loss, names[0])
    ts = _values(targets, loss, names[1])
    if len(ys) != len(ts):
        raise ValueError(f"{loss}: {names[1]} must be as long as {names[0]} ({len(ys)}), got length {len(ts)}")
    return ys, ts


def _check_targets(targets: list[Value], allowed: tuple[float, ...], loss: str, what: str) -> None:
    found = [t.data for t in targets]
    if any(x not in allowed for x in found):
        wanted = " or ".join(repr(a) for a in allowed)
        raise ValueError(f"{loss}: {what} must be {wanted} each, got {found}")


def _check_probabilities(probs: list[Value], loss: str) -> None:
    found = [p.data for p in probs]
    if any(not 0.0 <= x <= 1.0 for x in found):
        raise ValueError(
            f"{loss}: probs must be in [0, 1] (pass the outputs through sigmoid/softmax first, "
            f"or use the loss that takes raw scores), got {found}"
        )


def _check_eps(eps: float, loss: str) -> float:
    number = finite_number(eps, f"{loss}: eps")
    if number < 0.0:
        raise ValueError(f"{loss}: eps must be a finite number >= 0, got {eps!r}")
    return number


def _shifted_logits(logits: Iterable[Operand], loss: str) -> list[Value]:
    """Logits minus the largest logit's data, a constant shift that softmax does not see.

    exp of a shifted logit is at most 1, so nothing overflows, and the sum of
    the exps is at least 1 (the largest contributes e^0), so its log is safe.
    """
    xs = _values(logits, loss, "logits")
    for i, x in enumerate(xs):
        if not math.isfinite(x.data):
            raise ValueError(f"{loss}: logits[{i}] must be a finite number, got {x.data!r}")
    largest = max(x.data for x in xs)
    return [x - largest for x in xs]


# ---- regression -----------------------------------------------------------------------


def mse(outputs: Iterable[Operand], targets: Iterable[Operand]) -> Value:
    """Mean squared error, for regression: (1/n) * sum_i (y_i - t_i)^2.

    d/dy_i = 2 (y_i - t_i) / n.  The mean makes the scale independent of how
    many items there are, so one learning rate fits any batch size.
    """
    ys, ts = _outputs_and_targets(outputs, targets, "mse")
    diffs = [y - t for y, t in zip(ys, ts)]
    return Value.dot(diffs, diffs) / len(diffs)


def sse(outputs: Iterable[Operand], targets: Iterable[Operand]) -> Value:
    """Half the sum of squared errors, for regression: (1/2) * sum_i (y_i - t_i)^2.

    The 1/2 is there so the derivative is as simple as it gets: d/dy_i = y_i - t_i,
    the error itself (the form the classic backpropagation derivations use).
    """
    ys, ts = _outputs_and_targets(outputs, targets, "sse")
    diffs = [y - t for y, t in zip(ys, ts)]
    return 0.5 * Value.dot(diffs, diffs)


# ---- multi-class classification --------------------------------------------------------


def softmax(logits: Iterable[Operand]) -> list[Value]:
    """Turn scores into probabilities: softmax(x)_i = e^(x_i) / sum_j e^(x_j).

    Every output lies in (0, 1) and they sum to 1.  Computed as
    e^(x_i - m) / sum_j e^(x_j - m) with m the largest logit (the same number,
    since the e^-m cancels), so logits of +-1000 do not overflow.
    d softmax_i / d x_j = softmax_i * (delta_ij - softmax_j).
    """
    exps = [x.exp() for x in _shifted_logits(logits, "softmax")]
    total = Value.sum(exps)
    return [e / total for e in exps]


def log_softmax(logits: Iterable[Operand]) -> list[Value]:
    """Log of the softmax, without ever forming a probability: x_i - log(sum_j e^(x_j)).

    Computed with the log-sum-exp trick, (x_i - m) - log(sum_j e^(x_j - m))
    for m the largest logit, so it is exact and finite even where softmax
    itself rounds to 0 (logits of +-1000).  d/dx_j = delta_ij - softmax_j.
    """
    shifted = _shifted_logits(logits, "log_softmax")
    log_sum_exp = Value.sum([x.exp() for x in shifted]).log()
    return [x - log_sum_exp for x in shifted]


def softmax_cross_entropy(logits: Iterable[Operand], class_index: int) -> Value:
    """Cross-entropy of softmax(logits) against the true class, for multi-class classification.

    loss = -log softmax(x)_k = log(sum_j e^(x_j)) - x_k, with k = class_index.
    d/dx_j = softmax_j - [j == k]: predicted probability minus the one-hot target.

    Prefer this to `cross_entropy(softmax(x), onehot)`: it is computed through
    log-sum-exp, so it stays exact when the probabilities would round to 0 or 1.
    """
    loss = "softmax_cross_entropy"
    k = integer(class_index, f"{loss}: class_index")
    shifted = _shifted_logits(logits, loss)
    if not 0 <= k < len(shifted):
        raise ValueError(f"{loss}: class_index must be in 0..{len(shifted) - 1} for {len(shifted)} logits, got {k}")
    log_sum_exp = Value.sum([x.exp() for x in shifted]).log()
    return log_sum_exp - shifted[k]


def cross_entropy(probs: Iterable[Operand], onehot: Iterable[Operand], eps: float = 1e-7) -> Value:
    """Cross-entropy of predicted probabilities against a one-hot target, for multi-class classification.

    loss = -sum_i t_i * log(p_i + eps).  With a one-hot t only the true class k
    survives, loss = -log(p_k + eps), and d/dp_k = -1 / (p_k + eps): the loss
    grows without bound as the true class's probability goes to 0, so a
    confident mistake is punished hard.  `eps` keeps log away from log(0).

    `probs` are probabilities (softmax outputs); with raw scores use
    `softmax_cross_entropy`, which is also more stable.
    """
    loss = "cross_entropy"
    ps, ts = _outputs_and_targets(probs, onehot, loss, ("probs", "onehot"))
    eps = _check_eps(eps, loss)
    _check_probabilities(ps, loss)
    _check_targets(ts, (0.0, 1.0), loss, "onehot")
    hot = [i for i, t in enumerate(ts) if t.data == 1.0]
    if len(hot) != 1:
        raise ValueError(f"{loss}: onehot must be one-hot (exactly one 1), got {[t.data for t in ts]}")
    return -(ps[hot[0]] + eps).log()


# ---- binary classification -----------------------------------------------------------------


def binary_cross_entropy(probs: Iterable[Operand], targets: Iterable[Operand], eps: float = 1e-7) -> Value:
    """Mean binary cross-entropy, for binary classification with probabilities (sigmoid outputs).

    loss = -(1/n) * sum_i [t_i log(p_i + eps) + (1 - t_i) log(1 - p_i + eps)], t_i in {0, 1}.
    Each item keeps one of its two terms: -log(p + eps) when t = 1 and
    -log(1 - p + eps) when t = 0.  `eps` keeps log away from log(0), as in
    `cross_entropy`.
    """
    loss = "binary_cross_entropy"
    ps, ts = _outputs_and_targets(probs, targets, loss, ("probs", "targets"))
    eps = _check_eps(eps, loss)
    _check_probabilities(ps, loss)
    _check_targets(ts, (0.0, 1.0), loss, "targets")
    logs = [(p + eps).log() if t.data == 1.0 else ((1.0 + eps) - p).log() for p, t in zip(ps, ts)]
    return -Value.sum(logs) / len(logs)


def hinge(scores: Iterable[Operand], labels: Iterable[Operand]) -> Value:
    """Mean hinge (max-margin) loss, for binary classification with raw scores: labels -1 or +1.

    loss = (1/n) * sum_i max(0, 1 - y_i * s_i), computed with relu.

    An item whose score has the right sign with a margin of at least 1 costs
    nothing and sends no gradient; the others are pushed by d/ds_i = -y_i / n.
    This is the loss of the classic micrograd moons demo (an SVM's loss).
    """
    ss, ys = _outputs_and_targets(scores, labels, "hinge", ("scores", "labels"))
    _check_targets(ys, (-1.0, 1.0), "hinge", "labels")
    margins = [(1.0 - y * s).relu() for s, y in zip(ss, ys)]
    return Value.sum(margins) / len(margins)


# ---- regularisation -----------------------------------------------------------------------------


def l2(params: Iterable[Value]) -> Value:
    """L2 penalty: sum_i p_i^2; d/dp_i = 2 p_i.

    Add it to a loss with a coefficient, `loss + 1e-4 * l2(model.parameters())`,
    to keep weights small.  With plain SGD that coefficient c acts like
    `SGD(weight_decay=2c)`.
    """
    if isinstance(params, Value):
        raise TypeError(f"l2: params must be a list of Values (wrap a single Value in one), got {params!r}")
    if callable(getattr(params, "parameters", None)):  # the model itself: the most common slip of all
        raise TypeError(f"l2: params must be a list of Values (pass model.parameters(), not the model), got {params!r}")
    try:
        ps = list(params)
    except TypeError:
        raise TypeError(f"l2: params must be a list of Values (pass model.parameters()), got {params!r}") from None
    for i, p in enumerate(ps):
        if not isinstance(p, Value):
            raise TypeError(f"l2: params[{i}] must be a Value, got {p!r}")
    if not ps:
        raise ValueError("l2: params must be a non-empty list of Values (there is nothing to penalise), got []")
    return Value.dot(ps, ps)


# ---- generative adversarial networks (GAN) -------------------------------------------------------------


GAN_GENERATOR_LOSSES = ("non_saturating", "minimax")
"""The generator losses `gan_generator_loss` knows."""


def gan_discriminator_loss(real_logits: Iterable[Operand], fake_logits: Iterable[Operand]) -> Value:
    """-V(D, G): the discriminator's loss, from its logits s (D(x) = sigmoid(s)) on real and generated samples.

    V(D, G) = E_real[log D(x)] + E_fake[log(1 - D(G(z)))], the minimax game of
    Goodfellow et al. (2014); the discriminator maximises V, so it minimises
    -V = mean softplus(-s_real) + mean softplus(s_fake), using
    -log sigmoid(s) = softplus(-s) and -log(1 - sigmoid(s)) = softplus(s),
    which stay finite however sure D is (no eps needed).  At D = 1/2 everywhere
    the loss is 2 log 2.
    """
    loss = "gan_discriminator_loss"
    real = _values(real_logits, loss, "real_logits")
    fake = _values(fake_logits, loss, "fake_logits")
    real_term = Value.sum([(-s).softplus() for s in real]) / len(real)  # -E[log D(x)]
    fake_term = Value.sum([s.softplus() for s in fake]) / len(fake)  # -E[log(1 - D(G(z)))]
    return real_term + fake_term


def gan_generator_loss(fake_logits: Iterable[Operand], kind: str = "non_saturating") -> Value:
    """The generator's loss, from the discriminator's logits s on generated samples (D(G(z)) = sigmoid(s)).

    - 'minimax': the seed's game as written, minimise E[log(1 - D(G(z)))] = -mean softplus(s).
      Its gradient d/ds = -sigmoid(s)/n vanishes when D confidently rejects the
      fakes (s very negative), which is exactly the situation early in training.
    - 'non_saturating' (default, the usual choice): minimise -E[log D(G(z))] =
      mean softplus(-s), whose gradient d/ds = -(1 - sigmoid(s))/n is largest there.

    Both push D(G(z)) up; they share their fixed point and differ in how hard they push.
    """
    loss = "gan_generator_loss"
    one_of(kind, GAN_GENERATOR_LOSSES, f"{loss}: kind")
    fake = _values(fake_logits, loss, "fake_logits")
    if kind == "minimax":
        return -Value.sum([s.softplus() for s in fake]) / len(fake)
    return Value.sum([(-s).softplus() for s in fake]) / len(fake)
