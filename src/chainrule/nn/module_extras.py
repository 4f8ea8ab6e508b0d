"""Module methods real training scripts call beyond the core (module.py): freezing, lookups by
dotted name, registration by name, and the precision and memory calls torch offers."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.tensor import Tensor
from ..device import check_device
from ..dtypes import resolve_dtype


class ModuleExtras:
    """Mixed into Module; every method here is torch's, with its signature."""

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        """Freeze (False) or unfreeze every parameter, as torch's; returns the module."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def add_module(self, name: str, module: Any) -> None:
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {type(name).__name__}")
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if module is not None and not isinstance(module, ModuleExtras):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        if hasattr(self, name) and name not in self._modules:  # a parameter would be lost
            raise KeyError(f"attribute '{name}' already exists")
        self._modules[name] = module
        object.__setattr__(self, name, module)

    register_module = add_module

    def get_submodule(self, target: str) -> Any:
        """The module at a dotted path ('encoder.layers.0'); '' is this module."""
        module = self
        if target == "":
            return module
        for item in target.split("."):
            if not hasattr(module, item):
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, ModuleExtras):
                raise AttributeError("`" + item + "` is not an nn.Module")
        return module

    def get_parameter(self, target: str) -> Any:
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        if name not in module._parameters:
            raise AttributeError("`" + name + "` is not an nn.Parameter")
        return module._parameters[name]

    def get_buffer(self, target: str) -> Any:
        module_path, _, name = target.rpartition(".")
        module = self.get_submodule(module_path)
        if not hasattr(module, name):
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        if name not in module._buffers:
            raise AttributeError("`" + name + "` is not a buffer")
        return module._buffers[name]

    def to_empty(self, *, device: Any, recurse: bool = True) -> Any:
        """Fresh storage for every parameter and buffer on ``device`` (the CPU); torch leaves it
        uninitialised, chainrule fills it with zeros so no run depends on stale memory."""
        check_device(device, f"{type(self).__name__}.to_empty")
        modules = self.modules() if recurse else [self]
        for module in modules:
            for param in module._parameters.values():
                if param is not None:
                    param._data = np.zeros_like(param._data)
                    param._grad = None
            for name, buffer in module._buffers.items():
                if buffer is not None:
                    module._buffers[name] = Tensor._wrap(np.zeros_like(buffer._data))
                    object.__setattr__(module, name, module._buffers[name])
        return self

    def half(self) -> Any:
        resolve_dtype(np.float16, f"{type(self).__name__}.half")  # raises with the reason and a fix
        return self

    def bfloat16(self) -> Any:
        from ..amp import bfloat16

        resolve_dtype(bfloat16, f"{type(self).__name__}.bfloat16")  # raises: NumPy has no bfloat16
        return self

    def share_memory(self) -> Any:
        """This module: batches are made in this process, so there is no other to share with."""
        return self
