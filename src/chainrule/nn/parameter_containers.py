"""ParameterList and ParameterDict: parameters held in a list or dict, registered on the module
so that parameters(), state_dict() and optimizers see them, with torch's keys ("0", "1", ...)."""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from ..autograd.tensor import Tensor
from .module import Module
from .parameter import Parameter


def _parameter(who: str, where: str, value: Any) -> Parameter:
    """torch wraps a plain tensor into a Parameter here; anything else is refused by name."""
    if isinstance(value, Parameter):
        return value
    if isinstance(value, Tensor):
        return Parameter(value.detach())
    raise TypeError(
        f"{who}: expected a Parameter or a Tensor {where}, got {type(value).__name__}.\n"
        f"Hint: wrap the values: nn.Parameter(torch.tensor(...))."
    )


class ParameterList(Module):
    """A list of parameters: ``nn.ParameterList([nn.Parameter(torch.ones(3)) for _ in range(2)])``."""

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        for value in values or ():
            self.append(value)

    def append(self, value: Any) -> ParameterList:
        position = len(self)
        param = _parameter("ParameterList", f"at position {position}", value)
        self.register_parameter(str(position), param)
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        for value in values:
            self.append(value)
        return self

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._parameters.values())
        return type(self)(items[index]) if isinstance(index, slice) else items[index]

    def __setitem__(self, index: int, value: Any) -> None:
        key = str(range(len(self))[index])
        self.register_parameter(key, _parameter("ParameterList", f"at position {key}", value))

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[Parameter]:
        return iter(self._parameters.values())

    def extra_repr(self) -> str:
        return "\n".join(
            f"({i}): Parameter containing: [{p.dtype} of size {tuple(p.shape)}]"
            for i, p in enumerate(self)
        )


class ParameterDict(Module):
    """A dict of parameters by name, in insertion order, as torch.nn.ParameterDict."""

    def __init__(self, parameters: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        if parameters is not None:
            self.update(parameters)

    def __setitem__(self, key: str, value: Any) -> None:
        self.register_parameter(key, _parameter("ParameterDict", f"for key {key!r}", value))

    def __getitem__(self, key: str) -> Parameter:
        return self._parameters[key]

    def __delitem__(self, key: str) -> None:
        delattr(self, key)

    def __contains__(self, key: object) -> bool:
        return key in self._parameters

    def __len__(self) -> int:
        return len(self._parameters)

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def keys(self) -> Iterable[str]:
        return self._parameters.keys()

    def values(self) -> Iterable[Parameter]:
        return self._parameters.values()

    def items(self) -> Iterable[tuple[str, Parameter]]:
        return self._parameters.items()

    def update(self, parameters: Mapping[str, Any]) -> None:
        for key, value in parameters.items():
            self[key] = value
