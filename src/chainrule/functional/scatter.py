"""scatter, scatter_add, index_add, index_fill, index_put and their in-place forms, as torch.

scatter writes src[i][j] into out[index[i][j]][j] (for dim=0); scatter_add adds instead;
index_add adds whole slices of ``source`` at the positions ``index`` along ``dim``. Their
gradients are torch's: the gradient of src is the upstream gradient gathered back through the
same index (for scatter, where indices repeat, every writer gets it, as torch), and ``self``
gets the upstream gradient except where scatter overwrote it. The in-place forms record the
out-of-place op through autograd/inplace.py's ``modify``, so no new rules live in autograd/.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import (
    check_dim,
    check_fits,
    fail_dtype,
    fail_index,
    fail_shape,
    fail_value,
    shape_str,
)
from ..autograd import inplace
from ..autograd.function import Function, unbroadcast
from ..autograd.tensor import Tensor
from ..cpugraph.capture import record_call
from .selection import where
from .sorting import _tensor


def _grid(index: np.ndarray, axis: int) -> tuple:
    grid = list(np.indices(index.shape, sparse=True))
    grid[axis] = index
    return tuple(grid)


def _used(index: np.ndarray) -> tuple:
    """torch reads only the leading index.shape block of src."""
    return tuple(slice(0, n) for n in index.shape)


class Scatter(Function):
    """out = x with out[grid] = src[grid-shaped block]; dL/dx is g with the written places
    zeroed, dL/dsrc is g gathered at the written places."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, src, axis, index, add):
        grid, block = _grid(index, axis), _used(index)
        out = x.copy()
        if add:
            np.add.at(out, grid, src[block])
        else:
            out[grid] = src[block]
        ctx.save(grid=grid, block=block, src_shape=src.shape, add=add)
        return out

    @staticmethod
    def backward(ctx, grad_y):
        grad_x = _past_writes(grad_y, ctx.grid, ctx.add)
        grad_src = np.zeros(ctx.src_shape, dtype=grad_y.dtype)
        grad_src[ctx.block] = grad_y[ctx.grid]
        return grad_x, grad_src


class IndexAdd(Function):
    """out = x; out[..., index[k], ...] += alpha source[..., k, ...] along an axis."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, source, axis, index, alpha):
        where_ = (slice(None),) * axis + (index,)
        out = x.copy()
        np.add.at(out, where_, source * alpha if alpha != 1 else source)
        ctx.save(where=where_, alpha=alpha)
        return out

    @staticmethod
    def backward(ctx, grad_y):
        grad_source = grad_y[ctx.where]
        return grad_y, grad_source * ctx.alpha if ctx.alpha != 1 else grad_source


class IndexPut(Function):
    """out = x with out[indices] = values (or += with accumulate, repeats adding up); values
    broadcast to the indexed block, so their gradient is summed back down to their shape."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, values, index, add):
        out = x.copy()
        block = np.broadcast_to(values, out[index].shape)
        if add:
            np.add.at(out, index, block)
        else:
            out[index] = block
        ctx.save(index=index, add=add, values_shape=values.shape)
        return out

    @staticmethod
    def backward(ctx, grad_y):
        grad_x = _past_writes(grad_y, ctx.index, ctx.add)
        return grad_x, unbroadcast(grad_y[ctx.index], ctx.values_shape)


def _past_writes(grad_y: np.ndarray, where: Any, add: bool) -> np.ndarray:
    """The input's gradient through a scatter or index_put: all of it where the op added, none
    where it wrote over the input's values."""
    if add:
        return grad_y
    grad_x = grad_y.copy()
    grad_x[where] = 0
    return grad_x


def _index(who: str, index: Any, ndim: int | None) -> np.ndarray:
    array = np.asarray(getattr(index, "_data", index))
    wrong_rank = ndim is not None and array.ndim != ndim
    if array.dtype.kind not in "iu" or wrong_rank or (ndim is None and array.ndim > 1):
        rank = f"{ndim} dims (as input)" if ndim is not None else "at most 1 dim"
        fail_shape(who, f"an integer index with {rank}", f"dtype {array.dtype}, {array.ndim} dims")
    # an index of another dtype is converted here: recorded, so a CPUGraph replay converts anew
    return array if array.dtype == np.int64 else record_call(np.ndarray.astype, array, np.int64)


def lifts_0d(x: Any, index: Any, src: Any = None) -> bool:
    """torch's gather and scatter read a 0-d input, index or src as 1-d of size 1, so the
    tutorials' one-hot label ``zeros(10).scatter_(0, tensor(y), value=1)`` works."""
    ranks = (x.ndim, np.ndim(getattr(index, "_data", index)), getattr(src, "ndim", 1))
    return x.ndim < 2 and 0 in ranks


def vector(value: Any) -> Any:
    """A 0-d tensor or array as 1-d of size 1; anything else (a number to scatter) as it is."""
    return value.reshape(1) if isinstance(value, np.ndarray | Tensor) and not value.ndim else value


def _check_bounds(who: str, index: np.ndarray, size: int, low: int = 0) -> None:
    """torch wraps negative indices in index_fill and index_put (low=-size); NumPy would wrap them all."""
    if index.size and (index.min() < low or index.max() >= size):
        fail_index(who, f"index values in [{low}, {size})", f"[{index.min()}, {index.max()}]")


def scatter(
    input: Any, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: Any = None
):  # noqa: A002, E501
    """torch.scatter: out[index[i][j]][j] = src[i][j] for dim=0; ``value`` scatters a number.

    >>> import chainrule as cr
    >>> cr.zeros(2, 3).scatter(1, cr.tensor([[2], [0]]), 1.0).tolist()
    [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """
    x = _tensor(input)
    if lifts_0d(x, index, src):
        lifted = scatter(vector(x), dim, vector(index), vector(src), value=value, reduce=reduce)
        return lifted.reshape(x.shape)
    if reduce not in (None, "add"):
        fail_value("scatter", "reduce None or 'add'", repr(reduce), "use scatter_reduce's "
                   "equivalent by hand; chainrule has only reduce='add'.")  # fmt: skip
    if src is None:
        src = value
    axis = check_dim("scatter", dim, max(x.ndim, 1))
    indices = _index("scatter", index, x.ndim)
    record_call(_check_bounds, "scatter", indices, x.shape[axis] if x.ndim else 1)
    if not hasattr(src, "_data"):  # a number: every indexed place takes it
        src = x._wrap(np.full(indices.shape, src, dtype=x.dtype))
    bad = [d for d in range(x.ndim) if indices.shape[d] > src.shape[d]]
    bad += [d for d in range(x.ndim) if d != axis and indices.shape[d] > x.shape[d]]
    if src.ndim != x.ndim or bad:
        fail_shape(
            "scatter",
            f"index no larger than src in any dim, nor than input except in dim {dim}",
            f"index {shape_str(indices.shape)}, src {shape_str(tuple(src.shape))}, "
            f"input {shape_str(tuple(x.shape))}",
        )
    return Scatter.apply(x, src, axis=axis, index=indices, add=reduce == "add")


def scatter_add(input: Any, dim: int, index: Any, src: Any):  # noqa: A002
    """torch.scatter_add: out[index[i][j]][j] += src[i][j] for dim=0; repeats accumulate."""
    return scatter(input, dim, index, src, reduce="add")


def index_add(input: Any, dim: int, index: Any, source: Any, *, alpha: Any = 1):  # noqa: A002
    """torch.index_add: out[..., index[k], ...] += alpha * source[..., k, ...] along ``dim``."""
    x, source = _tensor(input), _tensor(source)
    axis = check_dim("index_add", dim, max(x.ndim, 1))
    indices = _index("index_add", index, None).reshape(-1)
    record_call(_check_bounds, "index_add", indices, x.shape[axis] if x.ndim else 1)
    want = tuple(x.shape[:axis]) + (indices.size,) + tuple(x.shape[axis + 1 :])
    if tuple(source.shape) != want:
        fail_shape("index_add", f"source of shape {shape_str(want)}", shape_str(source.shape))
    return IndexAdd.apply(x, source, axis=axis, index=indices, alpha=alpha)


def index_fill(input: Any, dim: int, index: Any, value: Any):  # noqa: A002
    """torch.index_fill: the slices at ``index`` along ``dim`` set to ``value``."""
    x = _tensor(input)
    axis = check_dim("index_fill", dim, max(x.ndim, 1))
    indices = _index("index_fill", index, None).reshape(-1)
    size = x.shape[axis] if x.ndim else 1
    record_call(_check_bounds, "index_fill", indices, size, -size)
    shape = (-1,) + (1,) * (x.ndim - axis - 1) if x.ndim else ()
    mask = record_call(_chosen, indices, size, shape)  # a CPUGraph replay marks each batch's
    fill = getattr(value, "_data", value)
    fill = check_fits("index_fill", fill, x.dtype)  # NumPy's OverflowError: no RuntimeError
    return where(mask, x._wrap(np.asarray(fill, dtype=x.dtype)), x)


def index_put(input: Any, indices: Any, values: Any, accumulate: bool = False):  # noqa: A002
    """torch.index_put: out[indices] = values, or out[indices] += values with accumulate=True,
    where a repeated index adds every time (a confusion matrix in one call).

    >>> import chainrule as cr
    >>> t, p = cr.tensor([0, 1, 1]), cr.tensor([0, 1, 1])
    >>> cr.zeros(2, 2, dtype=cr.long).index_put_((t, p), cr.tensor(1), accumulate=True).tolist()
    [[1, 0], [0, 2]]
    """
    x = _tensor(input)
    if not isinstance(indices, (tuple, list)) or not 0 < len(indices) <= max(x.ndim, 1):
        fail_shape("index_put", f"a tuple of 1 to {max(x.ndim, 1)} index tensors", repr(indices))
    index = tuple(_index("index_put", i, None) for i in indices)
    for i, size in zip(index, x.shape or (1,)):
        record_call(_check_bounds, "index_put", i, size, -size)
    if not hasattr(values, "_data"):
        values = x._wrap(np.asarray(values, dtype=x.dtype))
    if values.dtype != x.dtype:
        fail_dtype("index_put", f"values of dtype {x.dtype} (as input)", str(values.dtype))
    try:
        np.broadcast_shapes(tuple(values.shape), np.empty(x.shape, bool)[index].shape)
    except ValueError:
        fail_shape(
            "index_put", "values that broadcast to the indexed block", shape_str(values.shape)
        )
    return IndexPut.apply(x, values, index=index, add=bool(accumulate))


def index_put_(self: Any, indices: Any, values: Any, accumulate: bool = False):
    if hasattr(values, "_data"):  # a tensor goes to modify as an argument: its grad is recorded
        return inplace.modify(
            self, "index_put_", lambda t, v: index_put(t, indices, v, accumulate), values
        )
    return inplace.modify(self, "index_put_", lambda t: index_put(t, indices, values, accumulate))


def _chosen(indices: np.ndarray, size: int, shape: tuple) -> np.ndarray:
    mask = np.zeros(size, dtype=bool)
    mask[indices] = True
    return mask.reshape(shape)


def scatter_(
    self: Any, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: Any = None
):  # noqa: E501
    """In place: see scatter."""
    if hasattr(src, "_data"):
        step = lambda t, s: scatter(t, dim, index, s, reduce=reduce)  # noqa: E731
        return inplace.modify(self, "scatter_", step, src)
    number = value if src is None else src
    return inplace.modify(self, "scatter_", lambda t: scatter(t, dim, index, number, reduce=reduce))


def scatter_add_(self: Any, dim: int, index: Any, src: Any):
    return inplace.modify(self, "scatter_add_", lambda t, s: scatter_add(t, dim, index, s), src)


def index_add_(self: Any, dim: int, index: Any, source: Any, *, alpha: Any = 1):
    step = lambda t, s: index_add(t, dim, index, s, alpha=alpha)  # noqa: E731
    return inplace.modify(self, "index_add_", step, source)


def index_fill_(self: Any, dim: int, index: Any, value: Any):
    return inplace.modify(self, "index_fill_", lambda t: index_fill(t, dim, index, value))


_check_bounds.sees_grads = True  # type: ignore[attr-defined]  # it may end a CPUGraph replay
