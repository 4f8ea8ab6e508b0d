"""Ops that move elements around: reshape, transpose/permute, indexing, concatenate, stack."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._checks import shape_str
from ..autograd.function import Function
from ..errors import ShapeError


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

    integer_ok = True

    @staticmethod
    def forward(ctx, x, index):
        try:
            y = x[index]
        except IndexError as error:
            raise IndexError(f"getitem: index out of range for shape {shape_str(x.shape)}: {error}.") from None
        ctx.save(shape=x.shape, dtype=x.dtype, index=index)
        return np.asarray(y)

    @staticmethod
    def backward(ctx, grad_y):
        grad_x = np.zeros(ctx.shape, dtype=ctx.dtype)
        if _is_basic(ctx.index):
            grad_x[ctx.index] = grad_y
        else:
            np.add.at(grad_x, ctx.index, grad_y)
        return grad_x


def _is_basic(index: Any) -> bool:
    """Basic indexing never repeats an element, so plain assignment is enough."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(
        isinstance(p, (int, np.integer, slice)) or p is None or p is Ellipsis for p in parts
    )


class Concatenate(Function):
    """y = the inputs joined along an axis; the gradient is split at the same places."""

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
        return tuple(np.split(grad_y, ctx.cuts, axis=ctx.axis))


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
        ctx.save(axis=axis, count=len(arrays))
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return tuple(np.moveaxis(grad_y, ctx.axis, 0))


def _shape_arg(shape: tuple) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        return tuple(shape[0])
    return tuple(shape)


def reshape(x: Any, *shape: Any):
    return Reshape.apply(x, shape=_shape_arg(shape))


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1):
    shape = x.shape
    if len(shape) == 0:
        return reshape(x, 1)
    start = start_dim % len(shape)
    end = end_dim % len(shape)
    new = shape[:start] + (int(np.prod(shape[start : end + 1])),) + shape[end + 1 :]
    return Reshape.apply(x, shape=new)


def permute(x: Any, *dims: Any):
    dims = _shape_arg(dims)
    if sorted(d % max(x.ndim, 1) for d in dims) != list(range(x.ndim)):
        raise ShapeError(
            f"permute: expected a permutation of {x.ndim} axes, got {dims} for shape {shape_str(x.shape)}."
        )
    return Permute.apply(x, dims=tuple(d % x.ndim for d in dims))


def transpose(x: Any, dim0: int = -2, dim1: int = -1):
    """Swap two axes; ``x.T`` on a 2-D tensor is transpose(x)."""
    ndim = x.ndim
    if ndim < 2:
        return Permute.apply(x, dims=tuple(range(ndim)))
    dims = list(range(ndim))
    dims[dim0], dims[dim1] = dims[dim1], dims[dim0]
    return Permute.apply(x, dims=tuple(dims))


def getitem(x: Any, index: Any):
    index = _plain_index(index)
    return GetItem.apply(x, index=index)


def _plain_index(index: Any) -> Any:
    from ..autograd.tensor import Tensor

    if isinstance(index, Tensor):
        return index._data
    if isinstance(index, tuple):
        return tuple(i._data if isinstance(i, Tensor) else i for i in index)
    if isinstance(index, list):
        return np.asarray(index)
    return index


def cat(tensors: Sequence[Any], dim: int = 0):
    if len(tensors) == 0:
        raise ValueError("cat: expected a non-empty sequence of tensors, got an empty one.")
    return Concatenate.apply(*tensors, axis=dim)


concatenate = cat


def stack(tensors: Sequence[Any], dim: int = 0):
    if len(tensors) == 0:
        raise ValueError("stack: expected a non-empty sequence of tensors, got an empty one.")
    return Stack.apply(*tensors, axis=dim)
