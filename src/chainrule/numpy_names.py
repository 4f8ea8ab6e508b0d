"""torch's NumPy-style keyword names: ``axis=`` for ``dim=`` and ``keepdims=`` for ``keepdim=``.

torch's argument parser takes both spellings on every Tensor method and ``torch.*`` function
that has a ``dim`` or ``keepdim`` (makemore writes ``counts.sum(1, keepdims=True)``; NumPy
habits give ``x.max(axis=1)``). ``torch.nn.functional`` is plain Python there and takes only
torch's names, so it is left alone here too. The common reductions take both spellings in their
own signatures (tensor_reductions.py), so ``x.sum(1)`` pays nothing for them; at import, the
other callables whose signature names ``dim`` or ``keepdim`` but not the alias are wrapped by one
renaming step, which costs each call a Python frame (bench/RESULTS.md).
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable

from ._checks import message
from .errors import ArgumentTypeError

_ALIASES = (("axis", "dim"), ("keepdims", "keepdim"))


def _both(who: str, name: str, alias: str) -> None:
    # a TypeError, as Python's "multiple values" and torch's
    raise ArgumentTypeError(message(who, f"{name}= or its NumPy name {alias}=", "both"))


def from_numpy_names(who: str, dim: Any, axis: Any, keepdim: Any, keepdims: Any) -> tuple:
    """(dim, keepdim) from a signature that takes both spellings itself (tensor_reductions.py):
    the one branch its methods take when ``axis`` or ``keepdims`` was given."""
    if axis is not None:
        if dim is not None:
            _both(who, "dim", "axis")
        dim = axis
    if keepdims is not None:
        if keepdim:
            _both(who, "keepdim", "keepdims")
        keepdim = keepdims
    return dim, keepdim


def accept_numpy_names(fn: Callable) -> Callable:
    """``fn`` taking axis= / keepdims= too, where it names dim / keepdim and not the alias."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):  # builtins without a signature
        return fn
    renames = tuple((a, n) for a, n in _ALIASES if n in params and a not in params)
    if not renames or getattr(fn, "_numpy_names", False):
        return fn

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            for alias, name in renames:
                if alias in kwargs:
                    if name in kwargs:
                        _both(fn.__name__, name, alias)
                    kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    call._numpy_names = True  # type: ignore[attr-defined]
    return call


def install_on_class(cls: type) -> None:
    """Wrap the public methods ``cls`` finds along its MRO (the nearest definition wins)."""
    seen: set[str] = set()
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if name in seen or name.startswith("_"):
                continue
            seen.add(name)
            if inspect.isfunction(value):
                wrapped = accept_numpy_names(value)
                if wrapped is not value:
                    setattr(cls, name, wrapped)


def install_in_namespace(namespace: dict, names: list[str]) -> None:
    """Wrap the module-level functions ``names`` of ``namespace`` (chainrule's torch.* level)."""
    for name in names:
        value = namespace.get(name)
        if inspect.isfunction(value):
            namespace[name] = accept_numpy_names(value)
