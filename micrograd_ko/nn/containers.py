"""Containers: Sequential, modules one after another, and Residual, a skip connection x + module(x)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, overload

from micrograd_ko.autograd import Value
from micrograd_ko.nn._shapes import Batch, shape_of
from micrograd_ko.nn.module import BatchModule, Module


def _run_on_batch(module: Module, batch: Batch) -> Batch:
    """Run one module on a checked batch: a batch module on the whole batch, a per-sample one on each sample.

    A per-sample module with one output (`Neuron`, an MLP ending in one neuron) returns a bare Value; in a
    batch each sample stays a list, so its outputs become one-item lists, as torch's (N, 1).
    """
    if isinstance(module, BatchModule):
        return module.forward(batch)  # the batch was checked and converted once, on the way in
    outputs = [module(sample) for sample in batch]  # type: ignore[operator]
    if isinstance(outputs[0], Value):  # one module gives one kind of output: look at the first only
        return [[y] for y in outputs]
    return outputs


class Sequential(BatchModule):
    """Modules applied one after another to a batch, like `torch.nn.Sequential`.

    `parameters()` lists each module's parameters in module order; `train()` and
    `eval()` reach every module.  Batch layers receive the whole batch;
    per-sample modules (`Neuron`, `Layer`, `MLP`) are applied to each sample, and
    one with a single output gives each sample a one-item list.
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

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        """The module at `index`; a slice gives a Sequential of those modules (the same objects), as in torch."""
        if not isinstance(index, slice):
            return self.modules[index]
        modules = self.modules[index]
        if not modules:
            raise ValueError(f"Sequential: index must select at least one module of {len(self)}, got {index!r}")
        return Sequential(*modules)

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
            raise ValueError(
                f"Residual: module must return one sample per sample of the batch, got {len(out)} for {len(batch)}"
            )
        added = []
        for x, fx in zip(batch, out):
            if shape_of(x) != shape_of(fx):
                raise ValueError(
                    f"Residual: module must keep a sample's shape (x + module(x) adds them), got "
                    f"{type(self.module).__name__} mapping shape {shape_of(x)} to shape {shape_of(fx)}"
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
