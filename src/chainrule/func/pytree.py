"""Nested tuples, lists and dicts of tensors, flattened to a list and rebuilt: torch.func's
transforms take and return such trees (a model's parameters as a dict, several outputs as a
tuple), and work on the flat list of leaves."""

from __future__ import annotations

from typing import Any

from ..autograd.tensor import Tensor
from ..errors import ArgumentError

LEAF = None  # the spec of a leaf; a container's spec is (type, keys, child specs)


def flatten(tree: Any) -> tuple[list, Any]:
    """The leaves of ``tree`` in order, and the spec ``unflatten`` rebuilds it from."""
    leaves: list = []
    return leaves, _flatten(tree, leaves)


def _flatten(tree: Any, leaves: list) -> Any:
    if isinstance(tree, dict):
        keys = list(tree)
        return (dict, keys, [_flatten(tree[k], leaves) for k in keys])
    if type(tree) in (tuple, list):
        return (type(tree), None, [_flatten(v, leaves) for v in tree])
    leaves.append(tree)
    return LEAF


def unflatten(leaves: list, spec: Any) -> Any:
    """The tree ``spec`` describes, with ``leaves`` in its leaves' places."""
    it = iter(leaves)
    return _unflatten(it, spec)


def _unflatten(it: Any, spec: Any) -> Any:
    if spec is LEAF:
        return next(it)
    kind, keys, children = spec
    values = [_unflatten(it, child) for child in children]
    return dict(zip(keys, values)) if kind is dict else kind(values)


def broadcast_prefix(prefix: Any, tree: Any, who: str, what: str) -> list:
    """One entry of ``prefix`` per leaf of ``tree``: torch's in_dims/out_dims rule, where an
    int (or None) stands for every leaf below it and a container must match the tree's."""
    if isinstance(tree, dict) and isinstance(prefix, dict):
        if set(prefix) != set(tree):
            raise ArgumentError(
                f"{who}: expected {what} with the keys {sorted(tree)}, got {sorted(prefix)}."
            )
        return [x for k in tree for x in broadcast_prefix(prefix[k], tree[k], who, what)]
    if type(prefix) in (tuple, list):
        if type(tree) not in (tuple, list) or len(prefix) != len(tree):
            size = len(tree) if type(tree) in (tuple, list) else "a single value"
            raise ArgumentError(
                f"{who}: expected {what} to match the structure of its inputs ({size}), "
                f"got {prefix!r}."
            )
        return [x for p, t in zip(prefix, tree) for x in broadcast_prefix(p, t, who, what)]
    if prefix is not None and not isinstance(prefix, int):
        raise ArgumentError(f"{who}: expected {what} of ints or None, got {prefix!r}.")
    return [prefix] * len(flatten(tree)[0])


def tensors_only(leaves: list, who: str, what: str) -> None:
    """torch.func's transforms take tensors (and trees of them) only, and say so."""
    for leaf in leaves:
        if not isinstance(leaf, Tensor):
            raise ArgumentError(
                f"{who}: expected {what} to be Tensors (or tuples, lists, dicts of them), got "
                f"{type(leaf).__name__}."
            )
