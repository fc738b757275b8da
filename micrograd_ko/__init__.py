"""micrograd_ko: a scalar autograd engine for learning how neural networks learn.

>>> from micrograd_ko import Value
>>> x = Value(3.0, label="x")
>>> y = (x * x).tanh()
>>> y.backward()
"""

from micrograd_ko import compiler, data, losses, nn, optim
from micrograd_ko.autograd import (
    AnomalyError,
    CustomOp,
    DomainError,
    Value,
    custom_op,
    detect_anomaly,
    grad,
    is_grad_enabled,
    no_grad,
    ops,
)
from micrograd_ko.gradcheck import GradcheckError, gradcheck
from micrograd_ko.viz import backward_steps, draw, save, step_through

__all__ = [
    "AnomalyError",
    "CustomOp",
    "DomainError",
    "GradcheckError",
    "Value",
    "backward_steps",
    "compiler",
    "custom_op",
    "data",
    "detect_anomaly",
    "draw",
    "grad",
    "gradcheck",
    "is_grad_enabled",
    "losses",
    "nn",
    "no_grad",
    "ops",
    "optim",
    "save",
    "step_through",
]
__version__ = "0.1.0"
