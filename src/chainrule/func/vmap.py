"""torch.func.vmap by running the function once per batch element and stacking the results.

torch falls back to this same loop for ops without a batching rule; chainrule has no batching
rules, so every call loops. That makes vmap correct for any function (one that closes over
tensors requiring grad, calls grad inside, or draws random numbers), and its cost that of a
Python loop: B calls of ``func`` on single examples plus one stack per output, where a batched
op would be one call. Slicing and stacking are ordinary differentiable ops, so gradients flow
through a vmap'ed function to its inputs and to what it closes over."""

from __future__ import annotations

import functools
from typing import Any, Callable

from ..autograd.tensor import Tensor
from ..errors import ArgumentError, DimError, GraphError, ShapeError
from ..functional.shape import stack
from ..random import get_rng_state, set_rng_state
from .pytree import broadcast_prefix, flatten, unflatten

_RANDOMNESS = ("error", "different", "same")


def vmap(
    func: Callable,
    in_dims: Any = 0,
    out_dims: Any = 0,
    randomness: str = "error",
    *,
    chunk_size: int | None = None,
) -> Callable:
    """torch.func.vmap: ``func`` mapped over a dimension of its inputs.

    >>> import chainrule as cr
    >>> dot = cr.func.vmap(lambda a, b: (a * b).sum())
    >>> dot(cr.ones(3, 2), cr.ones(3, 2)).tolist()
    [2.0, 2.0, 2.0]
    """
    if randomness not in _RANDOMNESS:
        raise ArgumentError(
            f"vmap: expected randomness to be one of {_RANDOMNESS}, got {randomness!r}."
        )
    if chunk_size is not None and (not isinstance(chunk_size, int) or chunk_size < 1):
        raise ArgumentError(
            f"vmap: expected chunk_size None or a positive int, got {chunk_size!r}."
        )

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        dims = in_dims if isinstance(in_dims, tuple) else (in_dims,) * len(args)
        if len(dims) != len(args):
            raise ArgumentError(
                f"vmap: expected in_dims to have one entry per positional input "
                f"({len(args)}), got {len(dims)}: in_dims={in_dims!r}."
            )
        leaves, spec = flatten(list(args))
        leaf_dims = broadcast_prefix(list(dims), list(args), "vmap", "in_dims")
        size = _batch_size(leaves, leaf_dims, in_dims)
        state = get_rng_state() if randomness != "different" else None
        results = []
        for i in range(size):
            if randomness == "same":
                set_rng_state(state)
            sliced = [_select(t, d, i) for t, d in zip(leaves, leaf_dims)]
            results.append(func(*unflatten(sliced, spec), **kwargs))
            if randomness == "error" and not _same_state(state, get_rng_state()):
                raise GraphError(
                    "vmap: expected no random operation in randomness='error' mode, got one.\n"
                    "Hint: pass randomness='different' (or 'same') to vmap, or draw the random "
                    "numbers outside it."
                )
        return _stack(results, out_dims)

    return wrapper


def _batch_size(leaves: list, dims: list, in_dims: Any) -> int:
    sizes = set()
    for t, d in zip(leaves, dims):
        if d is None:
            continue
        if not isinstance(t, Tensor):
            raise ArgumentError(
                f"vmap: expected a Tensor wherever in_dims maps a dimension, got "
                f"{type(t).__name__} (in_dims={in_dims!r}).\nHint: give it in_dim None."
            )
        if not -t.dim() <= d < t.dim():
            raise ShapeError(
                f"vmap: expected in_dim within the {t.dim()} dimensions of a tensor of shape "
                f"{tuple(t.shape)}, got {d}."
            )
        sizes.add(t.shape[d])
    if not sizes:
        raise ArgumentError(
            f"vmap: expected at least one Tensor input to be mapped, got in_dims={in_dims!r}.\n"
            "Hint: give a Tensor input an in_dim that is not None."
        )
    if len(sizes) > 1:
        raise ShapeError(
            f"vmap: expected all mapped tensors to have the same size in the mapped dimension, "
            f"got sizes {sorted(sizes)} (in_dims={in_dims!r})."
        )
    size = sizes.pop()
    if size == 0:
        raise ShapeError("vmap: expected a mapped dimension of size 1 or more, got 0.")
    return size


def _select(t: Any, dim: int | None, i: int) -> Any:
    if dim is None:
        return t
    return t[(slice(None),) * (dim % t.dim()) + (i,)]


def _same_state(before: Tensor, after: Tensor) -> bool:
    return before.shape == after.shape and bool((before._data == after._data).all())


def _stack(results: list, out_dims: Any) -> Any:
    first, spec = flatten(results[0])
    per_call = [flatten(r)[0] for r in results]
    if any(len(leaves) != len(first) for leaves in per_call):
        raise ArgumentError(
            "vmap: expected the function to return the same structure for every element, got different ones."
        )
    dims = broadcast_prefix(out_dims, results[0], "vmap", "out_dims")
    stacked = []
    for k, d in enumerate(dims):
        column = [leaves[k] for leaves in per_call]
        if not isinstance(column[0], Tensor):
            raise ArgumentError(
                f"vmap: expected the function to return Tensors, got "
                f"{type(column[0]).__name__}.\nHint: wrap it with chainrule.tensor()."
            )
        if d is None:
            stacked.append(column[0])
            continue
        if not -column[0].dim() - 1 <= d <= column[0].dim():
            raise DimError(
                f"vmap: expected out_dim within {column[0].dim() + 1} dimensions, got {d}."
            )
        stacked.append(stack(column, dim=d))
    return unflatten(stacked, spec)
