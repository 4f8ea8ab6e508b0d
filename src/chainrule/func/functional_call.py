"""torch.func.functional_call and stack_module_state: a module run with other tensors in the
places of its parameters and buffers, and several same-shaped modules' state stacked so that
vmap can run them as an ensemble."""

from __future__ import annotations

from typing import Any

from ..autograd.tensor import Tensor
from ..errors import ArgumentError, StateDictError
from ..functional.shape import stack


def _slots(module: Any) -> dict[str, tuple[Any, str, str]]:
    """Every parameter and buffer by its full name, tied ones under each of their names:
    name -> (owning module, table, attribute)."""
    slots = {}
    for prefix, owner in module.named_modules():
        for table in ("_parameters", "_buffers"):
            for name, value in getattr(owner, table).items():
                if value is not None:
                    slots[f"{prefix}.{name}" if prefix else name] = (owner, table, name)
    return slots


def functional_call(
    module: Any,
    parameter_and_buffer_dicts: Any,
    args: Any = None,
    kwargs: dict | None = None,
    *,
    tie_weights: bool = True,
    strict: bool = False,
) -> Any:
    """torch.func.functional_call: ``module(*args, **kwargs)`` with the given tensors standing
    in for its parameters and buffers by name; the module is put back as it was afterwards.

    >>> import chainrule as cr
    >>> lin = cr.nn.Linear(2, 1)
    >>> new = {"weight": cr.ones(1, 2), "bias": cr.zeros(1)}
    >>> cr.func.functional_call(lin, new, (cr.tensor([[1.0, 2.0]]),)).tolist()
    [[3.0]]
    """
    dicts = parameter_and_buffer_dicts
    dicts = tuple(dicts) if isinstance(dicts, (tuple, list)) else (dicts,)
    values: dict[str, Any] = {}
    for d in dicts:
        if not isinstance(d, dict):
            raise ArgumentError(
                f"functional_call: expected a dict (or a tuple of dicts) of tensors by name, "
                f"got {type(d).__name__}."
            )
        repeated = sorted(set(values) & set(d))
        if repeated:
            raise ArgumentError(
                f"functional_call: expected each name in one dict only, got {repeated} in several."
            )
        values.update(d)
    slots = _slots(module)
    unexpected = sorted(set(values) - set(slots))
    missing = sorted(set(slots) - set(values))
    if strict and (unexpected or missing):
        raise StateDictError(
            f"functional_call: expected exactly the module's parameter and buffer names with "
            f"strict=True, got unexpected keys {unexpected} and missing keys {missing}."
        )
    if tie_weights:
        values = _tied(module, slots, values)
    swaps = []
    for name, value in values.items():
        if name in slots:
            swaps.append((*slots[name], value))
        else:
            swaps.append(_new_attribute(module, name, value))
    args = () if args is None else args if isinstance(args, tuple) else (args,)
    saved = [(owner, table, attr, _current(owner, table, attr)) for owner, table, attr, _ in swaps]
    try:
        for owner, table, attr, value in swaps:
            _put(owner, table, attr, value)
        return module(*args, **(kwargs or {}))
    finally:
        for owner, table, attr, value in reversed(saved):
            _put(owner, table, attr, value)


_MISSING = object()


def _current(owner: Any, table: str | None, attr: str) -> Any:
    if table is None:
        return owner.__dict__.get(attr, _MISSING)
    return getattr(owner, table).get(attr)


def _put(owner: Any, table: str | None, attr: str, value: Any) -> None:
    if table is None:  # a name the module did not have: torch sets it as a plain attribute
        if value is _MISSING:
            object.__delattr__(owner, attr)
        else:
            object.__setattr__(owner, attr, value)
        return
    getattr(owner, table)[attr] = value
    object.__setattr__(owner, attr, value)  # Module reads parameters from its instance dict


def _new_attribute(module: Any, name: str, value: Any) -> tuple:
    *path, attr = name.split(".")
    owner = module
    for part in path:
        owner = getattr(owner, part)
    return (owner, None, attr, value)


def _tied(module: Any, slots: dict, values: dict) -> dict:
    """Each tensor given for one name of a tied parameter stands for all its names (torch's
    tie_weights=True); two different tensors for one tied parameter are refused."""
    by_tensor: dict[int, list[str]] = {}
    for name, (owner, table, attr) in slots.items():
        by_tensor.setdefault(id(getattr(owner, table)[attr]), []).append(name)
    values = dict(values)
    for names in by_tensor.values():
        given = [n for n in names if n in values]
        if len(names) < 2 or not given:
            continue
        if len({id(values[n]) for n in given}) > 1:
            raise ArgumentError(
                f"functional_call: expected one tensor for the tied names {names}, got "
                "different ones.\nHint: pass tie_weights=False to set them separately."
            )
        for n in names:
            values.setdefault(n, values[given[0]])
    return values


def stack_module_state(models: Any) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """torch.func.stack_module_state: each parameter and buffer of ``models`` stacked along a
    new first dimension, as (params, buffers); stacked parameters are new leaves.

    >>> import chainrule as cr
    >>> params, buffers = cr.func.stack_module_state([cr.nn.Linear(2, 3) for _ in range(4)])
    >>> tuple(params["weight"].shape), params["weight"].requires_grad
    ((4, 3, 2), True)
    """
    models = list(models)
    if not models:
        raise ArgumentError("stack_module_state: expected at least one model, got 0.")
    if len({m.training for m in models}) > 1:
        raise ArgumentError(
            "stack_module_state: expected all models in the same training/eval mode, got both."
        )
    params, buffers = {}, {}
    for name, first in models[0].named_parameters():
        group = [dict(m.named_parameters())[name] for m in models]
        if len({p.requires_grad for p in group}) > 1:
            raise ArgumentError(
                f"stack_module_state: expected {name!r} to require grad in every model or in "
                "none, got both."
            )
        params[name] = stack([p.detach() for p in group]).requires_grad_(first.requires_grad)
    for name, _ in models[0].named_buffers():
        buffers[name] = stack([dict(m.named_buffers())[name].detach() for m in models])
    return params, buffers
