"""The fixtures of the nn tests: torch in float64 on one thread, or the test skipped with how to install it."""

from __future__ import annotations

from typing import Any

import pytest

TORCH_MISSING = "PyTorch is not installed (pip install 'micrograd_ko[torch]')"


@pytest.fixture
def torch() -> Any:
    """The torch module, set to one thread (small products on 2 shared cores); skips the test without torch."""
    torch = pytest.importorskip("torch", reason=TORCH_MISSING)
    torch.set_num_threads(1)
    return torch
