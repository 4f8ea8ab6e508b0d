"""torch's remaining indexed reads and writes: scatter_reduce (a Function), index_reduce,
index_copy, masked_scatter, put, fill_diagonal_, unique_consecutive (searchsorted and bucketize are in bucketing.py).

The writes other than scatter_reduce are index_fill, index_add and index_put underneath, so
their gradients are those ops'; the searches and unique_consecutive have none, as in torch."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_tensor, check_dim, fail_index, fail_shape, fail_value, shape_str
from ..autograd import inplace
from ..autograd.function import Function
from .comparison import into
from .scatter import _check_bounds, _grid, _index, _used, index_add, index_fill, index_put
from .scatter import lifts_0d, vector
from .sorting import _tensor

_REDUCES = ("sum", "prod", "mean", "amax", "amin")
_AT = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum, "amin": np.minimum}


class ScatterReduce(Function):
    """out[grid] = reduce(x[grid] if include_self, src's values sent there), x elsewhere.

    Gradients, per reduce: sum, all of g to each contributor; mean, g / count; amax and amin,
    g shared evenly among the contributors equal to the result; prod, g times the product of
    the other contributors (counted with zeros apart, so a zero contributor is exact)."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, src, axis, index, reduce, include_self):
        grid, block = _grid(index, axis), _used(index)
        values = src[block]
        hit = np.zeros(x.shape, dtype=bool)
        hit[grid] = True
        out = x.copy()
        if not include_self:  # start from the identity, or for amax/amin from a value sent
            if reduce in ("amax", "amin"):
                out[grid] = values
            else:
                out[hit] = 1 if reduce == "prod" else 0
        _AT[reduce].at(out, grid, values)
        count = np.zeros(x.shape, dtype=np.int64)
        np.add.at(count, grid, 1)
        count += include_self | ~hit
        if reduce == "mean":
            out = out // count if out.dtype.kind in "iu" else (out / count).astype(out.dtype)
        ctx.save(
            x=x,
            values=values,
            grid=grid,
            block=block,
            src_shape=src.shape,
            hit=hit,
            count=count,
            out=out,
            reduce=reduce,
            include_self=include_self,
        )
        return out

    @staticmethod
    def backward(ctx, grad_y):
        grid, reduce, keep = ctx.grid, ctx.reduce, ctx.include_self | ~ctx.hit
        if reduce == "sum":
            share_x, share_src = grad_y, grad_y[grid]
        elif reduce == "mean":
            scaled = grad_y / ctx.count
            share_x, share_src = scaled, scaled[grid]
        elif reduce in ("amax", "amin"):
            ties = np.zeros(ctx.x.shape, dtype=np.int64)
            src_ties = ctx.values == ctx.out[grid]
            np.add.at(ties, grid, src_ties)
            ties += ctx.x == ctx.out  # torch counts an excluded self's tie too
            scaled = grad_y / np.maximum(ties, 1)
            share_x = scaled * (ctx.x == ctx.out)
            share_src = scaled[grid] * src_ties
        else:
            share_x, share_src = _product_shares(ctx, grad_y, keep)
        grad_x = np.where(keep, share_x, 0).astype(grad_y.dtype, copy=False)
        grad_src = np.zeros(ctx.src_shape, dtype=grad_y.dtype)
        grad_src[ctx.block] = share_src
        return grad_x, grad_src


def _product_shares(ctx: Function, grad_y: np.ndarray, keep: np.ndarray) -> tuple:
    """g times the product of every other contributor to the same place, without dividing by 0."""
    grid, x, values = ctx.grid, ctx.x, ctx.values
    zeros = (keep & (x == 0)).astype(np.int64)
    np.add.at(zeros, grid, values == 0)
    nonzero = np.where(keep & (x != 0), x, 1).astype(grad_y.dtype)
    np.multiply.at(nonzero, grid, np.where(values == 0, 1, values))

    def others(own: np.ndarray, place_zeros: np.ndarray, place_product: np.ndarray):
        with np.errstate(divide="ignore", invalid="ignore"):
            alone = np.where(place_zeros == 1, place_product, 0)
            rest = np.where(place_zeros == 0, place_product / np.where(own == 0, 1, own), 0)
        return np.where(own == 0, alone, rest)

    share_x = grad_y * others(x, zeros, nonzero)
    share_src = grad_y[grid] * others(values, zeros[grid], nonzero[grid])
    return share_x, share_src


def scatter_reduce(
    input: Any,  # noqa: A002
    dim: int,
    index: Any,
    src: Any,
    reduce: str,
    *,
    include_self: bool = True,
    out: Any = None,
):
    """out[index[i][j]][j] = reduce(...) for dim=0, reduce one of sum, prod, mean, amax, amin."""
    x, src = _tensor(input), _tensor(src)
    if lifts_0d(x, index, src):
        lifted = scatter_reduce(
            vector(x), dim, vector(index), vector(src), reduce, include_self=include_self
        )
        return into(out, lifted.reshape(x.shape))
    if reduce not in _REDUCES:
        fail_value("scatter_reduce", f"reduce one of {_REDUCES}", repr(reduce))
    axis = check_dim("scatter_reduce", dim, max(x.ndim, 1))
    indices = _index("scatter_reduce", index, x.ndim)
    _check_bounds("scatter_reduce", indices, x.shape[axis] if x.ndim else 1)
    bad = [d for d in range(x.ndim) if indices.shape[d] > src.shape[d]]
    bad += [d for d in range(x.ndim) if d != axis and indices.shape[d] > x.shape[d]]
    if src.ndim != x.ndim or bad:
        fail_shape(
            "scatter_reduce",
            f"index no larger than src, nor than input except in dim {dim}",
            f"index {shape_str(indices.shape)}, src {shape_str(tuple(src.shape))}",
        )
    result = ScatterReduce.apply(
        x, src, axis=axis, index=indices, reduce=reduce, include_self=bool(include_self)
    )
    return into(out, result)


def index_reduce(
    input: Any,
    dim: int,
    index: Any,
    source: Any,
    reduce: str,
    *,  # noqa: A002
    include_self: bool = True,
):
    """scatter_reduce with one index per slice of ``source`` along ``dim`` (prod, mean, amax,
    amin, as torch.index_reduce)."""
    x, source = _tensor(input), _tensor(source)
    if reduce not in _REDUCES[1:]:
        fail_value("index_reduce", f"reduce one of {_REDUCES[1:]}", repr(reduce))
    axis = check_dim("index_reduce", dim, max(x.ndim, 1))
    indices = _index("index_reduce", index, None).reshape(-1)
    want = tuple(x.shape[:axis]) + (indices.size,) + tuple(x.shape[axis + 1 :])
    if tuple(source.shape) != want:
        fail_shape("index_reduce", f"source of shape {shape_str(want)}", shape_str(source.shape))
    spread = indices.reshape((-1,) + (1,) * (x.ndim - axis - 1))
    full = np.broadcast_to(spread, want).copy()
    return scatter_reduce(x, axis, full, source, reduce, include_self=include_self)


def index_copy(input: Any, dim: int, index: Any, source: Any):  # noqa: A002
    """The slices at ``index`` along ``dim`` replaced by source's: index_fill with 0, then
    index_add (the gradients of both are torch's)."""
    x, source = _tensor(input), _tensor(source)
    axis = check_dim("index_copy", dim, max(x.ndim, 1))
    indices = _index("index_copy", index, None).reshape(-1)
    _check_bounds("index_copy", indices, x.shape[axis] if x.ndim else 1)
    want = tuple(x.shape[:axis]) + (indices.size,) + tuple(x.shape[axis + 1 :])
    if tuple(source.shape) != want:
        fail_index("index_copy", f"source of shape {shape_str(want)}", shape_str(source.shape))
    # torch copies in order, so a repeated index keeps its last slice; index_add would sum them
    last = np.unique(indices[::-1], return_index=True)[1]
    if last.size != indices.size:
        keep = np.sort(indices.size - 1 - last)
        indices, source = indices[keep], source[(slice(None),) * axis + (keep,)]
    return index_add(index_fill(x, axis, indices, 0), axis, indices, source)


def masked_scatter(input: Any, mask: Any, source: Any):  # noqa: A002
    """Where mask is True (broadcast to input), source's elements in order, input elsewhere."""
    x, source = _tensor(input), _tensor(source)
    chosen = np.asarray(getattr(mask, "_data", mask))
    if chosen.dtype != np.bool_:
        fail_value("masked_scatter", "a bool mask", f"dtype {chosen.dtype}")
    try:
        chosen = np.broadcast_to(chosen, tuple(x.shape))
    except ValueError:
        fail_shape(
            "masked_scatter",
            f"a mask that broadcasts to {shape_str(tuple(x.shape))}",
            shape_str(chosen.shape),
        )
    k = int(chosen.sum())
    if k > source.numel():
        fail_shape(
            "masked_scatter",
            f"a source with at least {k} elements (the mask's Trues)",
            f"{source.numel()}",
        )
    return index_put(x, tuple(np.nonzero(chosen)), source.reshape(-1)[:k])


def put(input: Any, index: Any, source: Any, accumulate: bool = False):  # noqa: A002
    """input.flatten()[index] = source.flatten() (added with accumulate), input's shape kept."""
    x = _tensor(input)
    where = np.asarray(getattr(index, "_data", index)).reshape(-1).astype(np.int64)
    n = x.numel()
    if where.size and (where.min() < -n or where.max() >= n):
        fail_index("put", f"indices in [{-n}, {n - 1}]", f"{where.min()}..{where.max()}")
    values = _tensor(source).reshape(-1)
    if values.numel() != where.size:  # index_put would broadcast one value over them all
        fail_index("put", f"a source of {where.size} elements, one per index", f"{values.numel()}")
    return index_put(x.reshape(-1), (where,), values, accumulate).reshape(tuple(x.shape))


def _diagonal_mask(shape: tuple, wrap: bool) -> np.ndarray:
    if len(shape) > 2 and len(set(shape)) != 1:
        fail_shape("fill_diagonal_", "all dims of one length (or 2 dims)", shape_str(shape))
    mask = np.zeros(int(np.prod(shape)), dtype=bool)
    if len(shape) == 2:
        rows, cols = shape
        end = mask.size if wrap else min(rows, cols) * cols
        mask[0 : end : cols + 1] = True
    else:
        step = sum(shape[0] ** k for k in range(len(shape)))
        mask[::step] = True
    return mask.reshape(shape)


def fill_diagonal_(self: Any, fill_value: Any, wrap: bool = False):
    """In place: the main diagonal set to ``fill_value`` (tall matrices restart it every
    cols + 1 rows with wrap=True), as torch."""
    if self.ndim < 2:
        fail_shape("fill_diagonal_", "a tensor with at least 2 dims", f"{self.ndim}-d")
    mask = _tensor(_diagonal_mask(tuple(self.shape), wrap))
    return inplace.modify(self, "fill_diagonal_", lambda t: t.masked_fill(mask, fill_value))


def unique_consecutive(
    input: Any,  # noqa: A002
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Any:
    """Each run of equal consecutive elements (or slices along ``dim``) kept once."""
    check_tensor("unique_consecutive", input)
    data = np.asarray(getattr(input, "_data", input))
    if dim is None:
        flat = data.reshape(-1)
        starts = np.ones(flat.shape[0], dtype=bool)
        starts[1:] = flat[1:] != flat[:-1]
        values = flat[starts]
        shape = data.shape
    else:
        axis = check_dim("unique_consecutive", dim, max(data.ndim, 1))
        rows = np.moveaxis(data, axis, 0).reshape(data.shape[axis], -1)
        starts = np.ones(rows.shape[0], dtype=bool)
        starts[1:] = (rows[1:] != rows[:-1]).any(axis=1)
        values = np.compress(starts, data, axis=axis)
        shape = (data.shape[axis],)
    results = [_tensor(np.ascontiguousarray(values))]
    if return_inverse:
        results.append(_tensor((np.cumsum(starts) - 1).astype(np.int64).reshape(shape)))
    if return_counts:
        positions = np.append(np.flatnonzero(starts), starts.shape[0])
        results.append(_tensor(np.diff(positions).astype(np.int64)))
    return results[0] if len(results) == 1 else tuple(results)
