"""Ops that move elements around: reshape, transpose/permute, indexing, concatenate, stack."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._checks import check_dim, check_tensor, shape_str
from ..autograd.function import Function
from ..autograd.grad_mode import _Mode
from ..errors import ArgumentError, DimError, GraphError, ShapeError


class Reshape(Function):
    """y = x with a new shape; the gradient takes the old shape back."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, shape):
        try:
            y = x.reshape(shape)
        except ValueError:
            raise ShapeError(
                f"reshape: expected a shape with {x.size} elements to fit {shape_str(x.shape)}, "
                f"got {shape}."
            ) from None
        ctx.save(shape=x.shape)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y.reshape(ctx.shape)


class Permute(Function):
    """y = x with its axes reordered; the gradient applies the inverse order."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.save(inverse=tuple(np.argsort(dims)))
        return x.transpose(dims)

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y.transpose(ctx.inverse)


class GetItem(Function):
    """y = x[index]; the gradient is scattered back, adding where an index repeats."""

    op = "getitem"

    integer_ok = True

    @staticmethod
    def forward(ctx, x, index):
        try:
            y = x[index]
        except IndexError as error:
            raise IndexError(
                f"getitem: index out of range for shape {shape_str(x.shape)}: {error}."
            ) from None
        ctx.save(shape=x.shape, dtype=x.dtype, index=index)
        if isinstance(y, np.ndarray):
            return y
        # NumPy gives one element as a copied scalar; torch's x[0] is a view: x[0].fill_(1)
        # writes into x. Ending the index with ... keeps the 0-d result a view.
        return x[(*index, ...) if isinstance(index, tuple) else (index, ...)]

    @staticmethod
    def backward(ctx, grad_y):
        if type(grad_y) is np.ndarray:
            grad_x = np.zeros(ctx.shape, dtype=ctx.dtype)
        else:  # a Dual (chainrule.func's forward mode): zeros_like keeps its tangent
            grad_x = np.zeros_like(grad_y, shape=ctx.shape, dtype=ctx.dtype)
        if _is_basic(ctx.index):
            grad_x[ctx.index] = grad_y
        else:
            np.add.at(grad_x, ctx.index, grad_y)
        return grad_x


def _is_basic(index: Any) -> bool:
    """Basic indexing never repeats an element, so plain assignment is enough."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice)) or p is None or p is Ellipsis for p in parts)


class Concatenate(Function):
    """y = the inputs joined along an axis; the gradient is split at the same places."""

    op = "cat"

    integer_ok = True

    @staticmethod
    def forward(ctx, *arrays, axis):
        try:
            y = np.concatenate(arrays, axis=axis)
        except ValueError:
            shapes = ", ".join(shape_str(a.shape) for a in arrays)
            raise ShapeError(
                f"concatenate(dim={axis}): expected shapes equal except along dim {axis}, got {shapes}."
            ) from None
        ctx.save(cuts=np.cumsum([a.shape[axis] for a in arrays])[:-1], axis=axis)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        parts = np.split(grad_y, ctx.cuts, axis=ctx.axis)
        return tuple(part if need else None for part, need in zip(parts, ctx.needs_input_grad))


class Stack(Function):
    """y = the inputs stacked along a new axis; the gradient is unstacked."""

    integer_ok = True

    @staticmethod
    def forward(ctx, *arrays, axis):
        try:
            y = np.stack(arrays, axis=axis)
        except ValueError:
            shapes = ", ".join(shape_str(a.shape) for a in arrays)
            raise ShapeError(f"stack: expected inputs of one shape, got {shapes}.") from None
        ctx.save(axis=axis)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        parts = np.moveaxis(grad_y, ctx.axis, 0)
        return tuple(part if need else None for part, need in zip(parts, ctx.needs_input_grad))


def _shape_arg(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def reshape(x: Any, *shape: Any):
    shape = _shape_arg(shape)
    # NumPy reads any negative size as -1 (and int() would truncate 2.5): torch refuses both
    odd = [n for n in shape if isinstance(n, bool) or not isinstance(n, (int, np.integer))]
    if odd or any(n < -1 for n in shape):
        got = f"{type(odd[0]).__name__} {odd[0]!r}" if odd else str(shape)
        kind = TypeError if odd else ShapeError
        raise kind(f"reshape: expected sizes that are ints >= -1, got {got}.")
    return Reshape.apply(x, shape=shape)


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1):
    check_tensor("flatten", x)
    shape = tuple(x.shape)
    start = check_dim("flatten", start_dim, len(shape), shape, "start_dim")
    end = check_dim("flatten", end_dim, len(shape), shape, "end_dim")
    if len(shape) == 0:
        return reshape(x, 1)
    if start > end:
        raise DimError(
            f"flatten: expected start_dim <= end_dim, got start_dim={start_dim} and "
            f"end_dim={end_dim} for a tensor of shape {shape_str(shape)}."
        )
    new = shape[:start] + (int(np.prod(shape[start : end + 1])),) + shape[end + 1 :]
    return Reshape.apply(x, shape=new)


def permute(x: Any, *dims: Any):
    if not dims:  # torch: "permute() missing 1 required positional arguments", a 0-d one too
        raise TypeError("permute: expected dims, got none.\nHint: x.permute(()) for a 0-d x.")
    dims = _shape_arg(dims)
    shape = tuple(x.shape)
    axes = tuple(check_dim("permute", d, len(shape), shape) for d in dims)
    if sorted(axes) != list(range(len(shape))):
        raise ShapeError(
            f"permute: expected a permutation of {len(shape)} axes, got {dims} for shape {shape_str(shape)}."
        )
    return Permute.apply(x, dims=axes)


def transpose(x: Any, dim0: int = -2, dim1: int = -1):
    """Swap two axes; ``x.T`` on a 2-D tensor is transpose(x)."""
    shape = tuple(x.shape)
    ndim = len(shape)
    if ndim < 2 and (dim0, dim1) == (-2, -1):  # x.T of a vector or scalar is itself, as in torch
        return Permute.apply(x, dims=tuple(range(ndim)))
    dim0 = check_dim("transpose", dim0, ndim, shape, "dim0")
    dim1 = check_dim("transpose", dim1, ndim, shape, "dim1")
    dims = list(range(ndim))
    if ndim:
        dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return Permute.apply(x, dims=tuple(dims))


def unsqueeze(x: Any, dim: int):
    """Insert an axis of length 1 at ``dim``, which may be one past the last axis (as in torch)."""
    shape = tuple(x.shape)
    axis = check_dim("unsqueeze", dim, len(shape) + 1, shape)
    return Reshape.apply(x, shape=shape[:axis] + (1,) + shape[axis:])


def squeeze(x: Any, dim: Any = None):
    """Drop axes of length 1 (all of them, or those in ``dim``; a longer axis is kept, as in torch)."""
    shape = tuple(x.shape)
    if dim is None:
        axes = {i for i, n in enumerate(shape) if n == 1}
    else:
        dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
        named = [check_dim("squeeze", d, len(shape), shape) for d in dims]
        if len(set(named)) < len(named):  # torch: "dim 0 appears multiple times"
            raise ArgumentError(f"squeeze: expected distinct dims, got {dims}.")
        axes = {a for a in named if len(shape) and shape[a] == 1}
    return Reshape.apply(x, shape=tuple(n for i, n in enumerate(shape) if i not in axes))


def getitem(x: Any, index: Any):
    index = _plain_index(index)
    if _Mode.capture is not None:
        _refuse_mask(index)
    return GetItem.apply(x, index=index)


def _refuse_mask(index: Any) -> None:
    """x[mask] has as many rows as the mask has True values: a replay could not follow them."""
    for part in index if isinstance(index, tuple) else (index,):
        if isinstance(part, np.ndarray) and part.dtype == np.bool_:
            raise GraphError(
                f"getitem: expected an index whose result's shape is fixed inside a CPUGraph "
                f"capture, got a bool mask of shape {shape_str(part.shape)} (the result has one "
                f"entry per True value).\nHint: keep the shape with x * mask or "
                f"torch.where(mask, x, 0), or run this step eagerly."
            )


def _plain_index(index: Any) -> Any:
    from ..autograd.tensor import Tensor

    if isinstance(index, Tensor):
        return index.numpy()
    if isinstance(index, tuple):
        return tuple(_plain_index(i) if isinstance(i, (Tensor, list)) else i for i in index)
    if isinstance(index, list):
        # an empty list selects nothing, as in torch; NumPy would read it as a float array
        return np.asarray(index) if index else np.zeros(0, dtype=np.intp)
    return index


def _tensor_list(who: str, tensors: Any) -> list:
    from ..autograd.tensor import Tensor

    if isinstance(tensors, (Tensor, np.ndarray)) or not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{who}: expected a list or tuple of tensors, got {type(tensors).__name__}.\n"
            f"Hint: wrap them in a list: {who}([a, b])."
        )
    if len(tensors) == 0:
        raise ArgumentError(f"{who}: expected a non-empty sequence of tensors, got an empty one.")
    return list(tensors)


def cat(tensors: Sequence[Any], dim: int = 0):
    tensors = _tensor_list("cat", tensors)
    shapes = [tuple(np.shape(t)) for t in tensors]
    for position, shape in enumerate(shapes):
        if len(shape) == 0:
            raise ShapeError(
                f"cat: expected tensors with at least one dimension, got a 0-d tensor at "
                f"position {position}.\nHint: use stack to join scalars."
            )
    first = shapes[0]
    axis = check_dim("cat", dim, len(first), first)
    for position, shape in enumerate(shapes):
        if (
            len(shape) != len(first)
            or shape[:axis] + shape[axis + 1 :] != first[:axis] + first[axis + 1 :]
        ):
            raise ShapeError(
                f"concatenate(dim={dim}): expected shapes equal except along dim {dim}, got "
                f"{', '.join(shape_str(s) for s in shapes)} (position {position} differs)."
            )
    return Concatenate.apply(*tensors, axis=axis)


concatenate = cat


def stack(tensors: Sequence[Any], dim: int = 0):
    tensors = _tensor_list("stack", tensors)
    shapes = [tuple(np.shape(t)) for t in tensors]
    first = shapes[0]
    axis = check_dim("stack", dim, len(first) + 1, first)
    for position, shape in enumerate(shapes):
        if shape != first:
            raise ShapeError(
                f"stack: expected inputs of one shape, got "
                f"{', '.join(shape_str(s) for s in shapes)} (position {position} differs)."
            )
    return Stack.apply(*tensors, axis=axis)
