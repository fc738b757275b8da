"""Initial weights of `Linear` and `Conv2d`: PyTorch's uniform default, Xavier (Glorot), He (Kaiming), or N(0, s²)."""

from __future__ import annotations

import math

import numpy as np

from micrograd_ko.autograd.checks import generator, positive_integer

INITS = ("uniform", "xavier", "he")
"""Named weight initialisations of `Linear` and `Conv2d` (a positive float gives N(0, init²) instead)."""

Init = str | float
"""An initialisation: one of `INITS`, or a positive standard deviation."""


def init_weights(
    init: Init, fan_in: int, fan_out: int, size: int, seed: int | np.random.Generator | None
) -> list[float]:
    """`size` initial weights for a layer whose units read `fan_in` inputs and feed `fan_out` outputs.

    - 'uniform': U(-1/√fan_in, 1/√fan_in), PyTorch's default for Linear and Conv2d, and `Neuron`'s;
    - 'xavier' (Glorot): N(0, σ²) with σ = √(2 / (fan_in + fan_out)), made for tanh and sigmoid;
    - 'he' (Kaiming): N(0, σ²) with σ = √(2 / fan_in), made for ReLU (which zeroes half its inputs);
    - a positive float s: N(0, s²), e.g. 0.01 for the 'small random numbers' whose activations vanish in deep nets.

    For a convolution fan_in = in_channels·kh·kw and fan_out = out_channels·kh·kw, as PyTorch counts them.
    """
    fan_in = positive_integer(fan_in, "init_weights: fan_in")
    fan_out = positive_integer(fan_out, "init_weights: fan_out")
    size = positive_integer(size, "init_weights: size")
    rng = generator(seed, "init_weights: seed")
    if isinstance(init, str):
        if init == "uniform":
            limit = 1.0 / math.sqrt(fan_in)
            return [float(v) for v in rng.uniform(-limit, limit, size)]
        if init == "xavier":
            return [float(v) for v in rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size)]
        if init == "he":
            return [float(v) for v in rng.normal(0.0, math.sqrt(2.0 / fan_in), size)]
    elif not isinstance(init, bool) and isinstance(init, int | float) and math.isfinite(init) and init > 0:
        return [float(v) for v in rng.normal(0.0, float(init), size)]
    raise ValueError(
        f"init_weights: init must be one of {', '.join(map(repr, INITS))} or a positive standard deviation, "
        f"got {init!r}"
    )
