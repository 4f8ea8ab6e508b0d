"""Selecting by index and by position: gather, index_select, masked_select, flip, diag, tril,
triu, plus outer, bmm and logsumexp, which people reach for beside them (torch's names).

Selections go through GetItem, so their gradient is GetItem's scatter-add; diag and tril/triu
are linear maps that are their own adjoint, written once below.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..cpugraph.capture import record_call, refuse

from ..dtypes import get_default_dtype
from .._checks import check_dim
from ..autograd.function import Function
from ..errors import ShapeError
from .linalg import matmul
from .scatter import _check_bounds, lifts_0d, vector
from .shape import getitem
from .sorting import _take, _tensor


def _array(x: Any) -> np.ndarray:
    return np.asarray(getattr(x, "_data", x))


def gather(input: Any, dim: int, index: Any):  # noqa: A002
    """out[i][j] = input[index[i][j]][j] for dim=0 (and likewise for any dim), as torch.gather."""
    x, indices = _tensor(input), _array(index)
    if lifts_0d(x, indices):  # the result takes the index's shape, as torch's
        return gather(vector(x), dim, vector(indices)).reshape(indices.shape)
    if indices.dtype.kind not in "iu" or indices.ndim != x.ndim:
        raise ShapeError(
            f"gather: expected an integer index with {x.ndim} dims (as input), got "
            f"dtype {indices.dtype} with {indices.ndim} dims."
        )
    axis = check_dim("gather", dim, max(x.ndim, 1))
    record_call(_check_bounds, "gather", indices, x.shape[axis] if x.ndim else 1)
    return _take(x, indices, axis)


def index_select(input: Any, dim: int, index: Any):  # noqa: A002
    """The entries of ``input`` at the 1-D ``index`` along ``dim``, as torch.index_select."""
    x, indices = _tensor(input), _array(index)
    if indices.dtype.kind not in "iu" or indices.ndim > 1:
        raise ShapeError(
            f"index_select: expected a 1-D integer index, got dtype {indices.dtype} with "
            f"{indices.ndim} dims."
        )
    axis = check_dim("index_select", dim, max(x.ndim, 1))
    record_call(_check_bounds, "index_select", indices, x.shape[axis] if x.ndim else 1)
    if x.ndim == 0:  # torch: a 0-d input gives a 0-d result (its index holds one 0 or -1)
        return x.clone()
    return getitem(x, (slice(None),) * axis + (indices.reshape(-1),))


def masked_select(input: Any, mask: Any):  # noqa: A002
    """The 1-D tensor of the elements where the (broadcast) bool ``mask`` is True."""
    refuse("masked_select")  # its length depends on the mask's values
    x, chosen = _tensor(input), _array(mask)
    if chosen.dtype != np.bool_:
        raise ShapeError(f"masked_select: expected a bool mask, got dtype {chosen.dtype}.")
    shape = np.broadcast_shapes(x.shape, chosen.shape)
    return getitem(x.expand(*shape), np.broadcast_to(chosen, shape))


def flip(input: Any, dims: Any):  # noqa: A002
    """``input`` reversed along each of ``dims``, as torch.flip."""
    x = _tensor(input)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    index = [slice(None)] * x.ndim
    for dim in dims:  # a 0-d tensor's dim 0 (or -1) is the tensor itself, as in torch
        axis = check_dim("flip", dim, max(x.ndim, 1))
        if x.ndim:
            index[axis] = slice(None, None, -1)
    return getitem(x, tuple(index)).clone()


class Diag(Function):
    """A vector onto a diagonal of a matrix, or a matrix's diagonal as a vector (np.diag); each
    direction's gradient is the other direction applied to grad_y."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, diagonal):
        ctx.save(shape=x.shape, diagonal=diagonal)
        return np.diag(x, diagonal).copy()

    @staticmethod
    def backward(ctx, grad_y):
        if len(ctx.shape) == 1:
            return np.diag(grad_y, ctx.diagonal).copy()
        grad_x = np.zeros(ctx.shape, dtype=grad_y.dtype)
        rows, cols = np.diag_indices(min(ctx.shape))
        k = ctx.diagonal
        keep = (rows - min(k, 0) < ctx.shape[0]) & (cols + max(k, 0) < ctx.shape[1])
        grad_x[rows[keep] - min(k, 0), cols[keep] + max(k, 0)] = grad_y[: keep.sum()]
        return grad_x


def diag(input: Any, diagonal: int = 0):  # noqa: A002
    """A 1-D input becomes a square matrix with it on ``diagonal``; a 2-D input gives that diagonal."""
    x = _tensor(input)
    if x.ndim not in (1, 2):
        raise ShapeError(f"diag: expected a 1-D or 2-D tensor, got {x.ndim} dims.")
    return Diag.apply(x, diagonal=int(diagonal))


class Triangle(Function):
    """The lower (tril) or upper (triu) triangle of the last two dims, zeros elsewhere; a mask,
    so the gradient is grad_y under the same mask."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, upper, diagonal):
        ctx.save(upper=upper, diagonal=diagonal)
        return (np.triu if upper else np.tril)(x, diagonal)

    @staticmethod
    def backward(ctx, grad_y):
        return (np.triu if ctx.upper else np.tril)(grad_y, ctx.diagonal)


def _triangle(who: str, input: Any, upper: bool, diagonal: int):  # noqa: A002
    x = _tensor(input)
    if x.ndim < 2:
        raise ShapeError(f"{who}: expected a tensor with at least 2 dims, got {x.ndim}.")
    return Triangle.apply(x, upper=upper, diagonal=int(diagonal))


def tril(input: Any, diagonal: int = 0):  # noqa: A002
    """Zeros above the ``diagonal``-th diagonal of the last two dims, as torch.tril."""
    return _triangle("tril", input, False, diagonal)


def triu(input: Any, diagonal: int = 0):  # noqa: A002
    """Zeros below the ``diagonal``-th diagonal of the last two dims, as torch.triu."""
    return _triangle("triu", input, True, diagonal)


def outer(input: Any, vec2: Any):  # noqa: A002
    """The outer product of two 1-D tensors, out[i, j] = input[i] * vec2[j]."""
    a, b = _tensor(input), _tensor(vec2)
    if a.ndim != 1 or b.ndim != 1:
        raise ShapeError(f"outer: expected two 1-D tensors, got {a.ndim} and {b.ndim} dims.")
    return a.reshape(-1, 1) * b.reshape(1, -1)


def bmm(input: Any, mat2: Any):  # noqa: A002
    """Batched matrix product of (B, n, m) and (B, m, p), as torch.bmm (no broadcasting)."""
    a, b = _tensor(input), _tensor(mat2)
    if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0]:
        raise ShapeError(
            f"bmm: expected (B, n, m) and (B, m, p) with the same B, got "
            f"{tuple(a.shape)} and {tuple(b.shape)}.\nHint: torch.matmul broadcasts; bmm does not."
        )
    return matmul(a, b)


def logsumexp(input: Any, dim: Any, keepdim: bool = False):  # noqa: A002
    """log(sum(exp(x))) along ``dim`` without overflow: the maximum is taken out first. Integers
    and bools give the default float dtype, and an empty dim -inf (the log of 0), as torch."""
    x = _tensor(input)
    if x.dtype.kind != "f":
        x = x.to(get_default_dtype())
    if isinstance(dim, (tuple, list)) and len(dim) == 0:  # every dim, as sum(dim=())
        dim = tuple(range(x.ndim))
    if x.numel() == 0:  # no maximum to take out: sum(exp(nothing)) is 0
        return x.exp().sum(dim, keepdim=keepdim).log()
    peak = x.detach().amax(dim, keepdim=True)
    peak = peak.masked_fill(~np.isfinite(peak._data), 0.0)  # all -inf rows stay -inf, not NaN
    out = (x - peak).exp().sum(dim, keepdim=True).log() + peak
    return out if keepdim else out.squeeze(dim)
