"""torch.nn.utils.parametrize: a tensor of a module computed from other tensors at each access.

``register_parametrization(m, "weight", P())`` keeps the original as
``m.parametrizations.weight.original`` (or ``original0, original1, ...`` when P's
right_inverse splits it, as weight norm's does) and turns ``m.weight`` into a property that
returns ``P(original)``; the module's class becomes ``Parametrized<Class>``, as in torch, so
the state_dict keys are torch's.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from ..._checks import fail_value
from ...errors import ArgumentError
from ...autograd.grad_mode import no_grad
from ..container import ModuleDict, ModuleList
from ..module import Module
from ..parameter import Parameter


class ParametrizationList(ModuleList):
    """The chain of parametrizations of one tensor, holding its original(s)."""

    def __init__(self, modules: list[Module], original: Any, unsafe: bool = False) -> None:
        super().__init__(modules)
        self.unsafe = unsafe
        first = modules[0]
        inverse = getattr(first, "right_inverse", None)
        with no_grad():
            try:
                split = original if inverse is None else inverse(original)
            except NotImplementedError:  # torch's rule: an inverse that cannot is the identity
                split = original
        self.is_tensor = not isinstance(split, (tuple, list))
        self.ntensors = 1 if self.is_tensor else len(split)
        grad = original.requires_grad
        if self.is_tensor:
            self.original = _as_parameter(split, original, grad)
        else:
            for i, part in enumerate(split):
                setattr(self, f"original{i}", _as_parameter(part, None, grad))

    def originals(self) -> list[Any]:
        if self.is_tensor:
            return [self.original]
        return [getattr(self, f"original{i}") for i in range(self.ntensors)]

    def right_inverse(self, value: Any) -> None:
        """``module.<name> = value``: the originals take what the chain's inverses give."""
        with no_grad():
            for module in reversed(list(self)):
                if hasattr(module, "right_inverse"):
                    value = module.right_inverse(value)
            parts = [value] if self.is_tensor else list(value)
            for original, part in zip(self.originals(), parts):
                original.copy_(part)

    def forward(self) -> Any:
        modules = list(self)
        x = modules[0](*self.originals())
        for module in modules[1:]:
            x = module(x)
        return x


def _as_parameter(value: Any, original: Any, requires_grad: bool) -> Parameter:
    if value is original and isinstance(original, Parameter):
        return original  # the same object: an optimizer that holds it keeps training it
    return Parameter(value.detach().clone()._data, requires_grad=requires_grad)


def is_parametrized(module: Module, tensor_name: str | None = None) -> bool:
    plists = module.__dict__.get("_modules", {}).get("parametrizations")
    if plists is None:
        return False
    return tensor_name is None or tensor_name in plists


def register_parametrization(
    module: Module, tensor_name: str, parametrization: Module, *, unsafe: bool = False
) -> Module:
    """Make ``module.<tensor_name>`` be ``parametrization(original)``; a second call on the
    same name chains the new one after the first."""
    if is_parametrized(module, tensor_name):
        plist = module.parametrizations[tensor_name]
        plist.append(parametrization)
        if not unsafe:
            try:
                _check_keeps(plist, plist.originals()[0] if plist.is_tensor else None)
            except ArgumentError:
                plist._modules.popitem()  # the module is left as it was
                raise
        return module
    original = module._parameters.get(tensor_name, module._buffers.get(tensor_name))
    if original is None:
        fail_value(
            "register_parametrization",
            f"a parameter or buffer named {tensor_name!r}",
            f"none in {type(module).__name__}",
        )
    plist = ParametrizationList([parametrization], original, unsafe)
    if not unsafe:
        _check_keeps(plist, original)
    delattr(module, tensor_name)
    if not is_parametrized(module):
        module.parametrizations = ModuleDict()
        base = type(module)
        module.__class__ = type(f"Parametrized{base.__name__}", (base,), {"_unparametrized": base})
    module.parametrizations[tensor_name] = plist
    setattr(type(module), tensor_name, _property(tensor_name))
    return module


def _check_keeps(plist: ParametrizationList, original: Any) -> None:
    """torch's rule without ``unsafe=True``: the parametrized tensor keeps the original's shape
    and dtype, so the layer's forward still fits it."""
    with no_grad():
        value = plist()
    if original is None:
        return
    if tuple(value.shape) != tuple(original.shape) or value.dtype != original.dtype:
        fail_value(
            "register_parametrization",
            f"a parametrization that keeps shape {tuple(original.shape)} and dtype "
            f"{original.dtype}",
            f"shape {tuple(value.shape)} and dtype {value.dtype}",
            "pass unsafe=True if the change is meant.",
        )


class _Cache:
    """What parametrize.cached() holds: each (module, name)'s value, computed once."""

    depth = 0
    values: dict = {}


@contextmanager
def cached() -> Iterator[None]:
    """Inside the block each parametrized tensor is computed once and reused (torch's
    parametrize.cached): a weight read at every step of an RNN costs one parametrization."""
    _Cache.depth += 1
    try:
        yield
    finally:
        _Cache.depth -= 1
        if not _Cache.depth:
            _Cache.values = {}


def _property(name: str) -> property:
    def get(self: Module) -> Any:
        if not _Cache.depth:
            return self.parametrizations[name]()
        key = (id(self), name)
        if key not in _Cache.values:
            _Cache.values[key] = self.parametrizations[name]()
        return _Cache.values[key]

    def set_(self: Module, value: Any) -> None:
        self.parametrizations[name].right_inverse(value)

    return property(get, set_)


def remove_parametrizations(
    module: Module, tensor_name: str, leave_parametrized: bool = True
) -> Module:
    """Undo register_parametrization: the tensor becomes a plain parameter again, holding the
    parametrized value (or the original, with leave_parametrized=False)."""
    if not is_parametrized(module, tensor_name):
        fail_value("remove_parametrizations", f"a parametrization of {tensor_name!r}", "none")
    plist = module.parametrizations[tensor_name]
    with no_grad():
        value = plist() if leave_parametrized else plist.originals()[0]
    delattr(type(module), tensor_name)
    del module.parametrizations[tensor_name]
    if not len(module.parametrizations):
        delattr(module, "parametrizations")
        module.__class__ = type(module)._unparametrized
    module.register_parameter(tensor_name, Parameter(value.detach().clone()._data))
    return module
