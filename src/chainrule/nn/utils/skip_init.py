"""skip_init: build a module without drawing the initial weights that a load would overwrite."""

from __future__ import annotations

import inspect
from typing import Any

from ...device import check_device
from ...errors import ArgumentError
from .. import init
from ..module import Module


def skip_init(module_cls: type, *args: Any, **kwargs: Any) -> Module:
    """``module_cls(*args, **kwargs)`` with its parameters left as allocated (torch builds on
    the meta device then ``to_empty``): no random draws, no time spent on them, and the global
    generator does not move. Load or fill the weights before use."""
    if not (isinstance(module_cls, type) and issubclass(module_cls, Module)):
        raise ArgumentError(f"skip_init: expected a Module class, got {module_cls!r}.")
    name = module_cls.__name__
    if "device" not in inspect.signature(module_cls).parameters:
        raise ArgumentError(
            f"skip_init({name}): expected a module class that takes a 'device' argument (torch's "
            f"rule for skipping initialization), got one without it."
        )
    check_device(kwargs.pop("device", None), f"skip_init({name})")
    with init.skipped():
        return module_cls(*args, **kwargs)
