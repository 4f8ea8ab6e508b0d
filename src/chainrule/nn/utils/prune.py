"""torch.nn.utils.prune: zero out a parameter's entries through a mask that the forward sees.

Pruning ``weight`` keeps the trained values as the Parameter ``weight_orig``, the mask as the
buffer ``weight_mask``, and recomputes ``weight = weight_orig * weight_mask`` in a forward
pre-hook (the pruning method itself), so gradients reach only the entries that survive. Pruning
the same tensor again prunes only among the survivors (a PruningContainer holds the history);
``remove`` makes the pruning permanent. Masks are computed on NumPy arrays: they are not
differentiated. Ties between equal magnitudes may pick different entries than torch's topk.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from ...autograd.tensor import Tensor
from ...errors import ArgumentError
from ...random import default_generator


def _pruned_count(who: str, amount: Any, size: int) -> int:
    """How many of ``size`` entries ``amount`` (a count, or a fraction in [0, 1]) prunes."""
    if isinstance(amount, numbers.Integral) and not isinstance(amount, bool):
        if amount < 0:
            raise ValueError(f"{who}: expected amount >= 0, got {amount}.")
        if amount > size:
            raise ValueError(
                f"{who}: expected amount <= the number of units ({size}), got {amount}."
            )
        return int(amount)
    if isinstance(amount, numbers.Real) and 0.0 <= amount <= 1.0:
        return round(amount * size)
    raise ValueError(f"{who}: expected amount as an int >= 0 or a float in [0, 1], got {amount!r}.")


def _keep_dims_slice(ndim: int, dim: int, index: Any) -> tuple:
    where: list = [slice(None)] * ndim
    where[dim] = index
    return tuple(where)


class BasePruningMethod:
    """A pruning method: ``compute_mask(t, default_mask)`` says which entries to keep; the
    instance is also the forward pre-hook that applies the mask."""

    PRUNING_TYPE: str = "unstructured"
    _tensor_name: str

    def __call__(self, module: Any, inputs: Any) -> None:
        setattr(module, self._tensor_name, self.apply_mask(module))

    def compute_mask(self, t: Any, default_mask: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__}.compute_mask is not implemented")

    def apply_mask(self, module: Any) -> Any:
        orig = getattr(module, self._tensor_name + "_orig")
        mask = getattr(module, self._tensor_name + "_mask")
        return mask.to(dtype=orig.dtype) * orig

    @classmethod
    def apply(cls, module: Any, name: str, *args: Any, importance_scores: Any = None, **kw: Any):
        method = _composite(cls, module, name, *args, **kw)
        orig = getattr(module, name)
        if importance_scores is not None and tuple(importance_scores.shape) != tuple(orig.shape):
            raise ArgumentError(
                f"prune: expected importance_scores of shape {tuple(orig.shape)} for {name}, "
                f"got {tuple(importance_scores.shape)}."
            )
        scores = orig if importance_scores is None else importance_scores
        first = not isinstance(method, PruningContainer)
        if first:
            delattr(module, name)
            module.register_parameter(name + "_orig", orig)
            default_mask = Tensor._wrap(np.ones(orig.shape, orig._data.dtype))
        else:
            default_mask = getattr(module, name + "_mask").detach().clone()
        try:
            mask = method.compute_mask(scores.detach(), default_mask=default_mask)
            module.register_buffer(name + "_mask", mask)
            setattr(module, name, method.apply_mask(module))
            module.register_forward_pre_hook(method)
        except Exception:
            if first:  # leave the module as it was
                delattr(module, name + "_orig")
                module.register_parameter(name, orig)
            raise
        return method

    def prune(self, t: Any, default_mask: Any = None, importance_scores: Any = None) -> Any:
        """``t`` with this method's mask applied (nothing is registered anywhere)."""
        scores = t if importance_scores is None else importance_scores
        ones = Tensor._wrap(np.ones(t.shape, t._data.dtype))
        return t * self.compute_mask(scores, default_mask if default_mask is not None else ones)

    def remove(self, module: Any) -> None:
        """Make the pruning permanent: ``name`` becomes a Parameter again, holding the zeros."""
        name = self._tensor_name
        weight = self.apply_mask(module)
        if name in module.__dict__:
            delattr(module, name)
        orig = module._parameters[name + "_orig"]
        orig.data = weight.data
        delattr(module, name + "_orig")
        delattr(module, name + "_mask")
        setattr(module, name, orig)


def _composite(cls: type, module: Any, name: str, *args: Any, **kw: Any) -> BasePruningMethod:
    """The new method, joined into a PruningContainer with the one already on ``name``."""
    hooks = module._forward_pre_hooks
    found = [k for k, h in hooks.items() if _prunes(h, name)]
    old = hooks[found[0]] if found else None
    if found:
        del hooks[found[0]]
    method = cls(*args, **kw)
    method._tensor_name = name
    if old is None:
        return method
    container = old if isinstance(old, PruningContainer) else PruningContainer(old)
    container.add_pruning_method(method)
    return container


def _prunes(hook: Any, name: str) -> bool:
    return isinstance(hook, BasePruningMethod) and hook._tensor_name == name


class PruningContainer(BasePruningMethod):
    """The pruning history of one tensor: each new method prunes among the entries (or, for a
    structured one, the channels) that the earlier ones kept."""

    def __init__(self, *methods: Any) -> None:
        self._pruning_methods: tuple = ()
        if len(methods) == 1 and not isinstance(methods[0], BasePruningMethod):
            methods = tuple(methods[0])
        if methods:
            self._tensor_name = methods[0]._tensor_name
        for method in methods:
            self.add_pruning_method(method)

    def add_pruning_method(self, method: Any) -> None:
        if not isinstance(method, BasePruningMethod) and method is not None:
            raise TypeError(
                f"PruningContainer: expected a BasePruningMethod, got {type(method).__name__}."
            )
        if method is not None and method._tensor_name != self._tensor_name:
            raise ValueError(
                f"PruningContainer: expected a method on {self._tensor_name!r}, got one on "
                f"{method._tensor_name!r}."
            )
        self._pruning_methods += (method,)

    def __len__(self) -> int:
        return len(self._pruning_methods)

    def __iter__(self) -> Any:
        return iter(self._pruning_methods)

    def __getitem__(self, index: int) -> Any:
        return self._pruning_methods[index]

    def compute_mask(self, t: Any, default_mask: Any) -> Any:
        method = self._pruning_methods[-1]
        mask = default_mask._data.astype(t._data.dtype)
        if method.PRUNING_TYPE == "unstructured":
            where: Any = mask == 1
        elif method.PRUNING_TYPE == "structured":
            dim = method.dim + t.ndim if method.dim < 0 else method.dim
            others = tuple(d for d in range(t.ndim) if d != dim)
            where = _keep_dims_slice(t.ndim, dim, mask.sum(axis=others) != 0)
        elif method.PRUNING_TYPE == "global":
            where = (slice(None),) * t.ndim
        else:
            raise ValueError(
                f"PruningContainer: expected PRUNING_TYPE 'unstructured', 'structured' or "
                f"'global', got {method.PRUNING_TYPE!r}."
            )
        part = method.compute_mask(Tensor._wrap(t._data[where]), Tensor._wrap(mask[where]))
        mask[where] = part._data if isinstance(part, Tensor) else part
        return Tensor._wrap(mask)


class Identity(BasePruningMethod):
    """Prunes nothing: the mask is all ones (to see a model's parameters as pruned ones)."""

    def compute_mask(self, t: Any, default_mask: Any) -> Any:
        return default_mask

    @classmethod
    def apply(cls, module: Any, name: str) -> Any:  # type: ignore[override]
        return super().apply(module, name)


def _unstructured_mask(who: str, amount: Any, scores: np.ndarray, default_mask: Any) -> Any:
    """Zero the ``amount`` entries with the smallest scores."""
    count = _pruned_count(who, amount, scores.size)
    mask = default_mask._data.copy()
    if count:
        order = np.argsort(scores.reshape(-1), kind="stable")
        mask.reshape(-1)[order[:count]] = 0
    return Tensor._wrap(mask)


class RandomUnstructured(BasePruningMethod):
    """Prunes ``amount`` entries drawn at random (from chainrule's default generator)."""

    def __init__(self, amount: Any) -> None:
        _pruned_count("RandomUnstructured", amount, 2**62)
        self.amount = amount

    def compute_mask(self, t: Any, default_mask: Any) -> Any:
        scores = default_generator().random(t.shape)
        return _unstructured_mask("RandomUnstructured", self.amount, scores, default_mask)

    @classmethod
    def apply(cls, module: Any, name: str, amount: Any) -> Any:  # type: ignore[override]
        return super().apply(module, name, amount=amount)


class L1Unstructured(BasePruningMethod):
    """Prunes the ``amount`` entries of smallest magnitude."""

    def __init__(self, amount: Any) -> None:
        _pruned_count("L1Unstructured", amount, 2**62)
        self.amount = amount

    def compute_mask(self, t: Any, default_mask: Any) -> Any:
        return _unstructured_mask("L1Unstructured", self.amount, np.abs(t._data), default_mask)

    @classmethod
    def apply(  # type: ignore[override]
        cls, module: Any, name: str, amount: Any, importance_scores: Any = None
    ) -> Any:
        return super().apply(module, name, amount=amount, importance_scores=importance_scores)


class CustomFromMask(BasePruningMethod):
    """Prunes where a given mask is 0."""

    PRUNING_TYPE = "global"

    def __init__(self, mask: Any) -> None:
        self.mask = mask

    def compute_mask(self, t: Any, default_mask: Any) -> Any:
        if tuple(default_mask.shape) != tuple(self.mask.shape):
            raise ArgumentError(
                f"custom_from_mask: expected a mask of shape {tuple(default_mask.shape)}, got "
                f"{tuple(self.mask.shape)}."
            )
        mask = np.asarray(self.mask._data if isinstance(self.mask, Tensor) else self.mask)
        return Tensor._wrap(default_mask._data * mask.astype(default_mask._data.dtype))

    @classmethod
    def apply(cls, module: Any, name: str, mask: Any) -> Any:  # type: ignore[override]
        return super().apply(module, name, mask=mask)


def identity(module: Any, name: str) -> Any:
    Identity.apply(module, name)
    return module


def random_unstructured(module: Any, name: str, amount: Any) -> Any:
    RandomUnstructured.apply(module, name, amount)
    return module


def l1_unstructured(module: Any, name: str, amount: Any, importance_scores: Any = None) -> Any:
    L1Unstructured.apply(module, name, amount=amount, importance_scores=importance_scores)
    return module


def random_structured(module: Any, name: str, amount: Any, dim: int) -> Any:
    RandomStructured.apply(module, name, amount, dim)
    return module


def ln_structured(
    module: Any, name: str, amount: Any, n: Any, dim: int, importance_scores: Any = None
) -> Any:
    LnStructured.apply(module, name, amount, n, dim, importance_scores=importance_scores)
    return module


def custom_from_mask(module: Any, name: str, mask: Any) -> Any:
    CustomFromMask.apply(module, name, mask)
    return module


def global_unstructured(
    parameters: Any, pruning_method: type, importance_scores: Any = None, **kwargs: Any
) -> None:
    """Prune across several tensors at once, ranking all their entries together."""
    parameters = list(parameters)
    scores = importance_scores or {}
    flat = np.concatenate(
        [scores.get((m, n), getattr(m, n))._data.reshape(-1) for m, n in parameters]
    )
    masks = []
    for m, n in parameters:
        existing = getattr(m, n + "_mask", None)
        size = getattr(m, n)._data.size
        masks.append(np.ones(size, flat.dtype) if existing is None else existing._data.reshape(-1))
    method = pruning_method(**kwargs)
    if method.PRUNING_TYPE != "unstructured":
        raise TypeError(
            f"global_unstructured: expected an unstructured pruning method, got "
            f"{pruning_method.__name__} ({method.PRUNING_TYPE})."
        )
    method._tensor_name = "temp"
    container = PruningContainer(method)
    final = container.compute_mask(Tensor._wrap(flat), Tensor._wrap(np.concatenate(masks)))
    start = 0
    for m, n in parameters:
        param = getattr(m, n)
        size = param._data.size
        custom_from_mask(m, n, mask=final[start : start + size].view_as(param))
        start += size


def remove(module: Any, name: str) -> Any:
    """Make ``name``'s pruning permanent and drop its hook, mask and ``_orig``."""
    hooks = module._forward_pre_hooks
    for key, hook in list(hooks.items()):
        if _prunes(hook, name):
            hook.remove(module)
            del hooks[key]
            return module
    raise ValueError(
        f"prune.remove: expected a parameter pruned before, got {name!r} of "
        f"{type(module).__name__}, which is not.\nHint: prune it first (prune.l1_unstructured(...))."
    )


def is_pruned(module: Any) -> bool:
    """Whether any pruning hook sits on ``module`` or a module inside it."""
    return any(
        isinstance(hook, BasePruningMethod)
        for sub in module.modules()
        for hook in sub._forward_pre_hooks.values()
    )


# the structured methods, in their own file, under this module's name as in torch
from .prune_structured import LnStructured, RandomStructured  # noqa: E402

__all__ = [
    "BasePruningMethod",
    "CustomFromMask",
    "Identity",
    "L1Unstructured",
    "LnStructured",
    "PruningContainer",
    "RandomStructured",
    "RandomUnstructured",
    "custom_from_mask",
    "global_unstructured",
    "identity",
    "is_pruned",
    "l1_unstructured",
    "ln_structured",
    "random_structured",
    "random_unstructured",
    "remove",
]
