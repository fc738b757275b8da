"""Containers: Sequential, modules one after another, and Residual, a skip connection x + module(x)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from micrograd_ko.autograd import Value
from micrograd_ko.nn._shapes import Batch, shape_of
from micrograd_ko.nn.module import BatchModule, Module


def _run_on_batch(module: Module, batch: Batch) -> Batch:
    """Run one module on a checked batch: a batch module on the whole batch, a per-sample one on each sample."""
    if isinstance(module, BatchModule):
        return module.forward(batch)  # the batch was checked and converted once, on the way in
    return [module(sample) for sample in batch]  # type: ignore[operator]


class Sequential(BatchModule):
    """Modules applied one after another to a batch, like `torch.nn.Sequential`.

    `parameters()` lists each module's parameters in module order; `train()` and
    `eval()` reach every module.  Batch layers receive the whole batch;
    per-sample modules (`Neuron`, `Layer`, `MLP`) are applied to each sample.
    `state_dict()` is the list of the modules' state dicts (an empty list for
    a module without parameters).
    """

    def __init__(self, *modules: Module) -> None:
        """Chain `modules` (at least one), input side first."""
        if not modules:
            raise ValueError("Sequential: modules must be at least one module, got none")
        for i, module in enumerate(modules):
            if not isinstance(module, Module):
                raise TypeError(
                    f"Sequential: modules[{i}] must be a micrograd_ko.nn Module, got {type(module).__name__}"
                )
        self.modules = list(modules)

    def forward(self, batch: Batch) -> Batch:
        """Each module in turn."""
        for module in self.modules:
            batch = _run_on_batch(module, batch)
        return batch

    def children(self) -> list[Module]:
        """The modules, input side first."""
        return list(self.modules)

    def arguments(self) -> dict[str, Any]:
        """{'modules': the modules}."""
        return {"modules": list(self.modules)}

    def __len__(self) -> int:
        return len(self.modules)

    def __getitem__(self, index: int) -> Module:
        return self.modules[index]

    def __iter__(self) -> Iterator[Module]:
        return iter(self.modules)

    def __repr__(self) -> str:
        """One module a line, numbered as in torch."""
        inner = "".join(f"\n  ({i}): {module!r}" for i, module in enumerate(self.modules))
        return f"Sequential({inner}\n)"


class Residual(BatchModule):
    """A skip connection (ResNet): y = x + module(x), element by element.

    The module's output must have the shape of its input; otherwise a
    ValueError names both shapes.  With the module's weights near 0 the block
    starts as the identity, so a deep stack of them still passes gradients back.
    """

    def __init__(self, module: Module) -> None:
        """Wrap `module` (a batch layer, a Sequential, or a per-sample Layer/MLP)."""
        if not isinstance(module, Module):
            raise TypeError(f"Residual: module must be a micrograd_ko.nn Module, got {type(module).__name__}")
        self.module = module

    def forward(self, batch: Batch) -> Batch:
        """x + module(x) for every sample."""
        out = _run_on_batch(self.module, batch)
        if len(out) != len(batch):
            raise ValueError(f"Residual: the module returned {len(out)} samples for a batch of {len(batch)}")
        added = []
        for x, fx in zip(batch, out):
            if shape_of(x) != shape_of(fx):
                raise ValueError(
                    f"Residual: {type(self.module).__name__} maps a sample of shape {shape_of(x)} to shape "
                    f"{shape_of(fx)}; x + f(x) needs the same shape"
                )
            added.append(_add_trees(x, fx))
        return added

    def children(self) -> list[Module]:
        """The wrapped module."""
        return [self.module]

    def arguments(self) -> dict[str, Any]:
        """{'module': the wrapped module}."""
        return {"module": self.module}


def _add_trees(a: Any, b: Any) -> Any:
    if isinstance(a, Value):
        return a + b
    return [_add_trees(x, y) for x, y in zip(a, b)]
