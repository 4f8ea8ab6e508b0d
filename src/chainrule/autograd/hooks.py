"""Tensor hooks: torch's ``register_hook`` and ``retain_grad``, run by the engine when a
tensor's gradient is complete. A tensor's ``_hooks`` is None (the common case, one check
per node) or a list of callables, where ``RETAIN`` stands for retain_grad. After them, the
engine's last step: ``store_all`` writes each finished gradient into ``.grad``."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._checks import shape_str
from ..errors import GraphError
from .grad_mode import _Mode

RETAIN = object()  # retain_grad's place in a hook list: keep the final gradient as .grad


class RemovableHandle:
    """What register_hook returns; ``handle.remove()`` takes the hook out again."""

    def __init__(self, hooks: list, hook: Any) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        for position, hook in enumerate(self._hooks):
            if hook is self._hook:  # by identity: the same function may be registered twice
                del self._hooks[position]
                return

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()


def register_hook(tensor: Any, hook: Callable[[Any], Any]) -> RemovableHandle:
    """Call ``hook(grad)`` when this tensor's gradient is computed; a Tensor it returns
    replaces the gradient (for the rest of backward, and in .grad of a leaf)."""
    if not tensor.requires_grad:
        raise GraphError(
            "Tensor.register_hook: expected a tensor that requires grad, got one that does not."
        )
    if not callable(hook):
        raise TypeError(f"Tensor.register_hook: expected a callable, got {type(hook).__name__}.")
    hooks = _hooks(tensor)
    hooks.insert(len(hooks) - (RETAIN in hooks), hook)  # retain_grad sees every hook's result
    return RemovableHandle(hooks, hook)


def retain_grad(tensor: Any) -> None:
    """Keep .grad on this computed tensor after backward, as torch does (a no-op on a leaf)."""
    if not tensor.requires_grad:
        raise GraphError(
            "Tensor.retain_grad: expected a tensor that requires grad, got one that does not."
        )
    if tensor._ctx is not None and RETAIN not in _hooks(tensor):
        tensor._hooks.append(RETAIN)


def retains_grad(tensor: Any) -> bool:
    return tensor._hooks is not None and RETAIN in tensor._hooks


def _hooks(tensor: Any) -> list:
    if tensor._hooks is None:
        tensor._hooks = []
    return tensor._hooks


def run_hooks(tensor: Any, grad: np.ndarray, finished: list | None) -> np.ndarray:
    """The gradient after this tensor's hooks, in registration order; a retained one is added
    to ``finished`` (the engine's list of .grad writes) when ``finished`` is given."""
    if tensor._hooks is None:
        return grad
    for hook in list(tensor._hooks):
        if hook is RETAIN:
            continue
        if _Mode.capture is not None:
            raise GraphError(
                "Tensor.register_hook: expected no Python hook inside a CPUGraph capture, got one."
                "\nHint: a hook runs once at capture and never on replay; remove it while capturing."
            )
        result = hook(tensor._wrap(grad))
        if result is not None:
            grad = _replacement(result, grad)
    if finished is not None and RETAIN in tensor._hooks:
        finished.append((tensor, grad))
    return grad


def _replacement(result: Any, grad: np.ndarray) -> np.ndarray:
    array = getattr(result, "_data", None)
    if isinstance(array, np.ndarray) and (array.shape, array.dtype) == (grad.shape, grad.dtype):
        return array if array.flags.writeable else array.copy()  # (see store_all)
    got = type(result).__name__
    if isinstance(array, np.ndarray):
        got = f"shape {shape_str(array.shape)} and dtype {array.dtype}"
    raise GraphError(
        f"Tensor.register_hook: expected the hook to return None or a Tensor of shape "
        f"{shape_str(grad.shape)} and dtype {grad.dtype}, got {got}."
    )


def store_all(finished: list[tuple[Any, np.ndarray]]) -> None:
    """Add each finished gradient into its tensor's ``.grad``, in place when one is there.

    A new .grad owns its memory: an array another .grad of this pass holds (Add hands one
    array to both inputs) or a view is copied, so a later in-place accumulation into one .grad
    never shows up in another. A read-only array can only come from a user's code (a hook, a
    Function's backward, backward's gradient), and is copied where it comes in: testing every
    .grad here for it was 0.6% of the callgrind chain (``.flags`` builds an object per read)."""
    owned: set[int] = set()
    for tensor, grad in finished:
        if tensor._grad is not None:
            tensor._grad += grad
            continue
        if type(grad) is not np.ndarray:  # a NumPy scalar from a 0-d product
            grad = np.array(grad, subok=True)
        elif grad.base is not None or id(grad) in owned:
            grad = grad.copy()  # (base, not flags.owndata: .flags builds an object per read)
        owned.add(id(grad))
        tensor._grad = grad
