"""Module forward hooks, torch's ``register_forward_pre_hook`` and ``register_forward_hook``:
reading a layer's inputs or outputs (feature extraction, activation statistics) or replacing
them, without editing its forward. A module without hooks pays one attribute read per call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Iterator

from ..autograd.hooks import RemovableHandle
from ..autograd.grad_mode import _Mode
from ..errors import ChainruleError, GraphError
from . import module_backward_hooks


class HookTable(Mapping):
    """One kind of a module's hooks read as torch's ``module._forward_hooks`` OrderedDict
    (position -> hook), for code that counts, lists or clears them (fastai, torch's prune)."""

    __slots__ = ("_table",)

    def __init__(self, table: list) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self._table)))

    def __getitem__(self, key: int) -> Callable:
        if not (isinstance(key, int) and 0 <= key < len(self._table)):
            raise KeyError(key)
        entry = self._table[key]
        return entry[0] if isinstance(entry, tuple) else entry

    def __delitem__(self, key: int) -> None:
        self[key]  # a KeyError for a key that is not there, as a dict's
        del self._table[key]

    def clear(self) -> None:
        self._table.clear()


class ForwardHooks(HookTable):
    """A module's hooks, each forward entry (hook, with_kwargs, always_call), in calling order;
    the backward ones (module_backward_hooks.py) are the hooks themselves. Read as a mapping it
    is torch's ``_forward_hooks``; ``tables`` gives the other three kinds."""

    __slots__ = ("pre", "post", "backward_pre", "backward")

    def __init__(self) -> None:
        self.pre: list[tuple[Callable, bool, bool]] = []
        self.post: list[tuple[Callable, bool, bool]] = []
        self.backward_pre: list[Callable] = []
        self.backward: list[Callable] = []
        super().__init__(self.post)


NO_HOOKS = ForwardHooks()  # every module's until it registers one; never written to


def table(module: Any, kind: str) -> HookTable:
    """torch's ``_forward_pre_hooks``, ``_backward_hooks`` or ``_backward_pre_hooks``."""
    return HookTable(getattr(module._forward_hooks, kind))


def register(
    module: Any, kind: str, hook: Any, prepend: bool, with_kwargs: bool, always_call: bool
) -> RemovableHandle:
    if not callable(hook):
        raise TypeError(
            f"{type(module).__name__}.register_{kind}: expected a callable, got "
            f"{type(hook).__name__}."
        )
    hooks = module.__dict__.get("_forward_hooks")
    if hooks is None or hooks is NO_HOOKS:
        hooks = ForwardHooks()
        object.__setattr__(module, "_forward_hooks", hooks)
    if kind.startswith("full_backward"):
        table = hooks.backward_pre if kind == "full_backward_pre_hook" else hooks.backward
        table.insert(0 if prepend else len(table), hook)
        return RemovableHandle(table, hook)
    table = hooks.pre if kind == "forward_pre_hook" else hooks.post
    entry = (hook, bool(with_kwargs), bool(always_call))
    table.insert(0 if prepend else len(table), entry)
    return RemovableHandle(table, entry)


def call(module: Any, args: tuple, kwargs: dict) -> Any:
    """forward with the pre-hooks before it and the hooks after it, as torch runs them."""
    hooks = module._forward_hooks
    count = len(hooks.pre) + len(hooks.post) + len(hooks.backward_pre) + len(hooks.backward)
    if count and _Mode.capture is not None:
        kind = "module" if hooks.backward_pre or hooks.backward else "forward"
        raise GraphError(
            f"{type(module).__name__}: expected no {kind} hook inside a CPUGraph capture, got "
            f"{count}.\nHint: a hook runs once at capture and never on replay; remove it "
            f"(handle.remove()) while capturing."
        )
    for hook, with_kwargs, _ in list(hooks.pre):
        result = hook(module, args, kwargs) if with_kwargs else hook(module, args)
        if result is None:
            continue
        if with_kwargs:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise ChainruleError(
                    f"{type(module).__name__} forward pre-hook: expected None or a tuple "
                    f"(args, kwargs) from a hook registered with_kwargs=True, got "
                    f"{type(result).__name__}."
                )
            args, kwargs = result
        else:
            args = result if isinstance(result, tuple) else (result,)
    backward_state = None
    if hooks.backward_pre or hooks.backward:
        args, backward_state = module_backward_hooks.setup_inputs(module, hooks, args)
    try:
        output = module.forward(*args, **kwargs)
    except Exception:
        for hook, with_kwargs, always_call in list(hooks.post):
            if always_call:
                hook(module, args, kwargs, None) if with_kwargs else hook(module, args, None)
        raise
    for hook, with_kwargs, _ in list(hooks.post):
        result = hook(module, args, kwargs, output) if with_kwargs else hook(module, args, output)
        if result is not None:
            output = result
    if backward_state is not None:
        output = module_backward_hooks.setup_outputs(backward_state, output)
    return output
