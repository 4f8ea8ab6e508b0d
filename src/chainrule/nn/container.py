"""Containers: Sequential (a pipeline), ModuleList and ModuleDict (collections that register
their modules so the parent sees their parameters)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterable, Iterator, Mapping

import numpy as np

from .._checks import message
from .module import Module


def _module(who: str, where: str, value: Any) -> Module:
    """Refuse what is not a Module instance: a class, a function or a lambda would otherwise be
    skipped by parameters() and state_dict() without a word (torch raises TypeError too)."""
    if isinstance(value, Module):
        return value
    if isinstance(value, type) and issubclass(value, Module):
        got, hint = f"the class {value.__name__}", f"instantiate it: {value.__name__}()."
    elif callable(value):
        name = getattr(value, "__qualname__", type(value).__name__)
        got, hint = f"the function {name}", "wrap a function in a Module whose forward calls it."
    else:
        got, hint = f"{type(value).__name__} {value!r}", None
    text = f"{who}: expected a Module instance {where}, got {got}."
    raise TypeError(text + (f"\nHint: {hint}" if hint else ""))


class Sequential(Module):
    """Apply modules in order: Sequential(Linear(2, 8), ReLU(), Linear(8, 1))."""

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                setattr(self, name, _module("Sequential", f"for key {name!r}", module))
        else:
            for index, module in enumerate(modules):
                setattr(self, str(index), _module("Sequential", f"at position {index}", module))

    def forward(self, x: Any) -> Any:
        for module in self._modules.values():
            x = module(x)
        return x

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):  # torch keeps the names: model[:5] has model.conv_1 still
            return type(self)(OrderedDict(list(self._modules.items())[index]))
        items = list(self._modules.values())
        return items[_in_range(self, index, len(items))]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> Sequential:
        position = len(self)
        setattr(
            self, str(position), _module("Sequential.append", f"at position {position}", module)
        )
        return self


class ModuleList(Module):
    """A list of modules whose parameters the parent Module can see."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        for module in modules or ():
            self.append(module)

    def append(self, module: Module) -> ModuleList:
        position = len(self)
        setattr(self, str(position), _module("ModuleList", f"at position {position}", module))
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        for module in modules:
            self.append(module)
        return self

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.values())
        if isinstance(index, slice):  # renumbered from 0, as torch; a subclass stays itself
            return type(self)(items[index])
        return items[_in_range(self, index, len(items))]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __repr__(self) -> str:
        """torch's print: a run of children that print alike shows once, as (0-3): 4 x Block(...)."""
        runs: list[list] = []  # [first index, last index, the child's text]
        for i, child in enumerate(self):
            text = repr(child)
            if runs and runs[-1][2] == text:
                runs[-1][1] = i
            else:
                runs.append([i, i, text])
        if not runs:
            return f"{type(self).__name__}()"
        lines = []
        for first, last, text in runs:
            label = f"({first})" if first == last else f"({first}-{last}): {last - first + 1} x"
            lines.append(f"  {label}{':' if first == last else ''} " + text.replace("\n", "\n  "))
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


class ModuleDict(Module):
    """A dict of modules by name, registered in insertion order, as torch.nn.ModuleDict."""

    def __init__(self, modules: Mapping[str, Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __setitem__(self, key: str, module: Module) -> None:
        # add_module, as torch's: a key with a dot or an empty key is refused (KeyError)
        self.add_module(key, _module("ModuleDict", f"for key {key!r}", module))

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __delitem__(self, key: str) -> None:
        delattr(self, key)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def keys(self) -> Iterable[str]:
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        return self._modules.items()

    def update(self, modules: Mapping[str, Module]) -> None:
        for key, module in modules.items():
            self[key] = module


def _in_range(container: Module, index: Any, n: int) -> int:
    """Python's "list index out of range" names neither the container nor its size."""
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError(
            message(type(container).__name__, "an integer index or a slice", type(index).__name__)
        )
    if not -n <= index < n:
        raise IndexError(
            message(
                type(container).__name__,
                f"an index in [{-n}, {n - 1}]" if n else "no index (it is empty)",
                str(int(index)),
            )
            + f"\nHint: index {int(index)} is out of range for its {n} modules."
        )
    return int(index)
