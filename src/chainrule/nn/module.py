"""Module: the base of every layer, with torch's registration, traversal and state-dict rules."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable, Iterator

import numpy as np

from ..device import Device, check_device
from ..autograd.grad_mode import _Mode
from ..autograd.tensor import Tensor
from ..dtypes import resolve_float
from ..errors import ArgumentError
from . import module_hooks
from .module_hooks import NO_HOOKS as _NO_HOOKS
from ..autograd.hooks import RemovableHandle
from .load_state import IncompatibleKeys, load_state_dict
from .module_extras import ModuleExtras
from .parameter import Parameter
from .buffer import Buffer, assign as assign_buffer


class Module(ModuleExtras):
    """Base class: assign Parameters and sub-Modules as attributes and they are tracked.

    >>> from chainrule import nn
    >>> class Line(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.fc = nn.Linear(1, 1)
    ...     def forward(self, x):
    ...         return self.fc(x)
    >>> [name for name, _ in Line().named_parameters()]
    ['fc.weight', 'fc.bias']
    """

    training: bool

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)

    # --- registration --------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        """Parameters, sub-modules and buffers go into their tables (for traversal) and into the
        instance dict too, so reading ``self.weight`` is a plain attribute lookup."""
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}: expected super().__init__() before assigning {name!r}, got none."
            )
        params, modules, buffers = self._parameters, self._modules, self._buffers
        if isinstance(value, Parameter):
            modules.pop(name, None)
            buffers.pop(name, None)
            params[name] = value
        elif name in params:
            # torch's rule: a plain tensor over a Parameter would silently stop it being trained and saved
            if value is not None:
                self._refuse(
                    name,
                    value,
                    "parameter",
                    "a Parameter or None",
                    "wrap it: nn.Parameter(tensor), so that it is trained and saved.",
                )
            params[name] = None
        elif isinstance(value, Module):
            params.pop(name, None)
            buffers.pop(name, None)
            modules[name] = value
        elif name in modules:
            if value is not None:
                self._refuse(name, value, "child module", "a Module or None", None)
            modules[name] = None
        elif isinstance(value, Buffer):  # nn.Buffer(t): torch >= 2.5's register_buffer
            return assign_buffer(self, name, value)
        elif name in buffers:
            value = None if value is None else self._buffer(name, value)
            buffers[name] = value
        object.__setattr__(self, name, value)

    def _refuse(self, name: str, value: Any, kind: str, expected: str, hint: str | None) -> None:
        text = (
            f"{type(self).__name__}: expected {expected} for {kind} {name!r}, got "
            f"{type(value).__name__}."
        )
        raise TypeError(text + (f"\nHint: {hint}" if hint else ""))

    def __getattr__(self, name: str) -> Any:
        for table in ("_parameters", "_buffers", "_modules"):
            values = self.__dict__.get(table)
            if values is not None and name in values:
                return values[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __delattr__(self, name: str) -> None:
        for table in (self._parameters, self._buffers, self._modules):
            table.pop(name, None)
        object.__delattr__(self, name)

    def register_buffer(self, name: str, tensor: Any, persistent: bool = True) -> None:
        """State that is saved with the model but not trained (BatchNorm's running statistics).

        A Tensor is kept as it is and an ndarray is wrapped without a copy, so the buffer reads
        as a Tensor, as in torch; ``persistent=False`` leaves it out of ``state_dict()``.
        """
        self._check_name("buffer", name, self._buffers)
        buffer = None if tensor is None else self._buffer(name, tensor)
        self._buffers[name] = buffer
        if not persistent:
            self.__dict__.setdefault("_non_persistent_buffers", set()).add(name)
        object.__setattr__(self, name, buffer)

    def _check_name(self, kind: str, name: Any, own: dict) -> None:
        """torch's KeyErrors: a dotted name could never be reached by state_dict's keys, and
        taking the name of a parameter or submodule would hide it."""
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string. Got {type(name).__name__}")
        if "." in name or name == "":
            raise KeyError(
                f'{kind} name can\'t contain "."'
                if name
                else f'{kind} name can\'t be empty string ""'
            )
        if hasattr(self, name) and name not in own:
            raise KeyError(f"attribute '{name}' already exists")

    def _buffer(self, name: str, value: Any) -> Tensor:
        if isinstance(value, Tensor):
            return value
        if isinstance(value, np.ndarray):
            return Tensor._wrap(value)
        self._refuse(name, value, "buffer", "a Tensor, a NumPy array or None", None)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        if param is not None and not isinstance(param, Parameter):
            self._refuse(
                name, param, "parameter", "a Parameter or None", "wrap it: nn.Parameter(...)."
            )
        self._check_name("parameter", name, self._parameters)
        self._modules.pop(name, None)
        self._buffers.pop(name, None)
        self._parameters[name] = param
        object.__setattr__(self, name, param)

    # --- calling ---------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.forward is not implemented")

    _forward_hooks = _NO_HOOKS  # its own ForwardHooks once one is registered

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._forward_hooks is _NO_HOOKS:
            return self.forward(*args, **kwargs)
        return module_hooks.call(self, args, kwargs)

    # torch's other hook tables, read (and cleared) as its OrderedDicts are
    _forward_pre_hooks = property(lambda self: module_hooks.table(self, "pre"))
    _backward_hooks = property(lambda self: module_hooks.table(self, "backward"))
    _backward_pre_hooks = property(lambda self: module_hooks.table(self, "backward_pre"))

    def register_forward_pre_hook(
        self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """``hook(module, args)`` before forward; a value it returns replaces the arguments."""
        return module_hooks.register(self, "forward_pre_hook", hook, prepend, with_kwargs, False)

    def register_forward_hook(
        self,
        hook: Callable,
        *,
        prepend: bool = False,
        with_kwargs: bool = False,
        always_call: bool = False,
    ) -> RemovableHandle:
        """``hook(module, args, output)`` after forward; a value it returns replaces the output."""
        return module_hooks.register(self, "forward_hook", hook, prepend, with_kwargs, always_call)

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """``hook(module, grad_input, grad_output)`` once the gradients of the module's inputs
        are computed; a tuple it returns replaces grad_input (module_backward_hooks.py)."""
        return module_hooks.register(self, "full_backward_hook", hook, prepend, False, False)

    def register_full_backward_pre_hook(
        self, hook: Callable, prepend: bool = False
    ) -> RemovableHandle:
        """``hook(module, grad_output)`` before the input gradients; a tuple it returns replaces
        grad_output."""
        return module_hooks.register(self, "full_backward_pre_hook", hook, prepend, False, False)

    def register_backward_hook(self, hook: Callable) -> None:
        raise NotImplementedError(
            f"{type(self).__name__}.register_backward_hook: expected register_full_backward_hook, "
            f"got the legacy module backward hook, which torch deprecates and chainrule does not "
            f"have.\nHint: register_full_backward_hook takes the same hook(module, grad_input, "
            f"grad_output)."
        )

    # --- traversal ------------------------------------------------------------------
    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(f"{prefix}.{name}" if prefix else name)

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        for name, child in self._modules.items():
            if child is not None:
                yield name, child

    def apply(self, fn: Any) -> Module:
        """Call ``fn`` on every submodule, children first, then on this one (weight-init idiom)."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_parameters(
        self, prefix: str = "", recurse: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        seen: set[int] = set()
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, param in module._parameters.items():
                if param is None or id(param) in seen:
                    continue
                seen.add(id(param))
                yield (f"{module_prefix}.{name}" if module_prefix else name), param

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        modules = self.named_modules(prefix) if recurse else [(prefix, self)]
        for module_prefix, module in modules:
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    yield (f"{module_prefix}.{name}" if module_prefix else name), buffer

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # --- modes and gradients --------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        if not isinstance(mode, bool):  # torch's check: train("eval") would mean training
            raise ArgumentError(
                f"{type(self).__name__}.train: expected mode True or False, got {mode!r}."
            )
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        return self.train(False)

    def zero_grad(self, set_to_none: bool = True) -> None:
        if _Mode.capture is not None:
            _Mode.capture.zero_grad(list(self.parameters()), set_to_none)
        for param in self.parameters():
            if set_to_none:
                param._grad = None
            elif param._grad is not None:
                param._grad[...] = 0

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """torch's forms: to(dtype), to(device), to("cpu"), to(device, dtype); in place.

        Floating parameters and buffers are converted to float32 or float64; any device other
        than the CPU is refused with a clear error.
        """
        dtype, device = kwargs.pop("dtype", None), kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        for arg in args:
            if isinstance(arg, (str, Device)):
                device = arg
            else:
                dtype = arg
        check_device(device, f"{type(self).__name__}.to")
        if dtype is None:
            return self
        wanted = resolve_float(dtype, f"{type(self).__name__}.to")
        for param in self.parameters():
            param._data = param._data.astype(wanted)
            param._grad = None
        for module in self.modules():
            for name, buffer in module._buffers.items():
                if buffer is not None and buffer.dtype.kind == "f":
                    setattr(module, name, Tensor._wrap(buffer._data.astype(wanted)))
        return self

    def cpu(self) -> Module:
        return self

    def cuda(self, device: Any = None) -> Module:
        return self.to("cuda")

    def float(self) -> Module:
        return self.to(np.float32)

    def double(self) -> Module:
        return self.to(np.float64)

    # --- state dicts -------------------------------------------------------------------
    def state_dict(
        self, *args: Any, destination: Any = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Any]:
        """Every parameter and buffer by dotted name, as Tensors holding copies (torch's share
        memory with the model; a copy is what a saved "best" state needs anyway).
        ``keep_vars=True`` gives the Parameters and buffers themselves, as torch's does;
        ``prefix`` starts every key; ``destination`` is the mapping filled and returned.
        torch's deprecated positional form, state_dict(destination, prefix, keep_vars), works."""
        if args:
            destination = args[0]
            prefix = args[1] if len(args) > 1 else prefix
            keep_vars = args[2] if len(args) > 2 else keep_vars
        # torch's order: each module's parameters, then its buffers, then its children's
        state: OrderedDict[str, Tensor] = OrderedDict() if destination is None else destination
        for key, (_, table, name) in self._state_slots().items():
            value = table[name]
            state[prefix + key] = value if keep_vars else Tensor._wrap(value._data.copy())
        return state

    def load_state_dict(
        self, state_dict: dict[str, Any], strict: bool = True, assign: bool = False
    ) -> IncompatibleKeys:
        """Copy values in place (cast to each parameter's dtype, as torch's copy_); with strict=True
        any missing or unexpected key is an error. assign=True makes each parameter and buffer the
        given tensor itself, as in torch: build the optimizer after such a load. Every entry is
        checked before any is written (see load_state.py)."""
        return load_state_dict(self, state_dict, strict, assign)

    def _state_slots(self) -> OrderedDict[str, tuple]:
        slots: OrderedDict[str, tuple] = OrderedDict()
        for prefix, module in self.named_modules():
            skip = module.__dict__.get("_non_persistent_buffers", ())
            for table in (module._parameters, module._buffers):
                for name, value in table.items():
                    if value is not None and not (table is module._buffers and name in skip):
                        slots[f"{prefix}.{name}" if prefix else name] = (module, table, name)
        return slots

    # --- printing ----------------------------------------------------------------------
    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        """torch's layout: a one-line extra_repr stays beside the name only without children."""
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        children = [
            f"({name}): " + repr(child).replace("\n", "\n  ")
            for name, child in self._modules.items()
        ]
        if not children and len(lines) <= 1:
            return f"{type(self).__name__}({extra})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(lines + children) + "\n)"
