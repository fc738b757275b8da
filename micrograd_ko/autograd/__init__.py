"""The autograd core: `Value`, backward, the op table, grad modes, higher order, custom ops and argument checks.

Read `value.py` first: a Value's data, grad and parents, its arithmetic, then backward.  Then `ops.py`
(one block per op), `modes.py` (no_grad and the hooks a mode sets), `higher_order.py`, `anomaly.py`,
`custom.py`.  Nothing in this package imports the rest of micrograd_ko.
"""

from micrograd_ko.autograd import modes, namespaces, ops
from micrograd_ko.autograd.anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled
from micrograd_ko.autograd.custom import CustomOp, custom_op
from micrograd_ko.autograd.higher_order import grad  # importing it registers backward(create_graph=True)
from micrograd_ko.autograd.modes import is_grad_enabled, no_grad, set_grad_enabled
from micrograd_ko.autograd.value import (
    ROLES,
    DomainError,
    Operand,
    Role,
    Value,
    apply_op,
    as_values,
    describe,
    dot_rows,
    propagate,
    topological_order,
)

__all__ = [
    "ROLES",
    "AnomalyError",
    "CustomOp",
    "DomainError",
    "Operand",
    "Role",
    "Value",
    "apply_op",
    "as_values",
    "custom_op",
    "describe",
    "detect_anomaly",
    "dot_rows",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "modes",
    "namespaces",
    "no_grad",
    "ops",
    "propagate",
    "set_grad_enabled",
    "topological_order",
]
