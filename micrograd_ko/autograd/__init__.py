"""The autograd core: `Value`, backward, the op table, grad modes, higher order, custom ops and argument checks.

Read `value.py` first: a Value's data, grad and parents, its arithmetic, then backward.  Nothing in this
package imports the rest of micrograd_ko.
"""

from micrograd_ko.autograd import ops
from micrograd_ko.autograd.anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled
from micrograd_ko.autograd.custom import CustomOp, custom_op
from micrograd_ko.autograd.higher_order import grad
from micrograd_ko.autograd.value import (
    ROLES,
    DomainError,
    Operand,
    Role,
    Value,
    is_grad_enabled,
    no_grad,
    propagate,
    set_grad_enabled,
)

__all__ = [
    "ROLES",
    "AnomalyError",
    "CustomOp",
    "DomainError",
    "Operand",
    "Role",
    "Value",
    "custom_op",
    "detect_anomaly",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "ops",
    "propagate",
    "set_grad_enabled",
]
