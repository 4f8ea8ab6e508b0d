"""torch's shape functions beyond the core: take, take_along_dim, tensordot, kron, cross, rot90,
atleast_Nd, column_stack, row_stack, dstack, the tensor_split family, diag_embed, diagflat,
block_diag, cartesian_prod, combinations, vander and logspace.

Only diag_embed writes a derivative (DiagEmbed); the rest are indexing, reshape, permute, cat
and products underneath, so their gradients are those ops'.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any, Sequence

import numpy as np

from .._checks import check_allocation, check_dim, fail_index, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from ..dtypes import get_default_dtype, resolve_dtype
from ..type_promotion import promote_types
from .indexing import diag, flip
from ..view_positions import mark_pieces
from .rearrange import broadcast_to, hstack, meshgrid, narrow, vstack
from .shape import cat, getitem, stack
from .sorting import _take, _tensor


def _axis(who: str, x: Any, dim: int) -> int:
    return check_dim(who, dim, max(x.ndim, 1), tuple(x.shape))


def take(input: Any, index: Any):  # noqa: A002
    """input.flatten()[index], the result in index's shape (negative indices count back)."""
    x = _tensor(input).reshape(-1)
    where = np.asarray(getattr(index, "_data", index))
    if where.dtype.kind not in "iu":
        fail_value("take", "an integer index", f"dtype {where.dtype}")
    n = x.shape[0]
    if where.size and (where.min() < -n or where.max() >= n):
        fail_index("take", f"indices in [{-n}, {n - 1}]", f"{where.min()}..{where.max()}")
    return getitem(x, where.astype(np.int64))


def take_along_dim(input: Any, indices: Any, dim: int | None = None):  # noqa: A002
    """input's values at ``indices`` along ``dim`` (the other dims broadcast); flat if no dim."""
    x = _tensor(input)
    where = np.asarray(getattr(indices, "_data", indices)).astype(np.int64)
    if dim is None:
        return take(x, where.reshape(-1))
    axis = _axis("take_along_dim", x, dim)
    if where.ndim != x.ndim:
        fail_shape(
            "take_along_dim", f"indices with {x.ndim} dims, as input", shape_str(where.shape)
        )
    try:
        rest = np.broadcast_shapes(
            x.shape[:axis] + (1,) + x.shape[axis + 1 :],
            where.shape[:axis] + (1,) + where.shape[axis + 1 :],
        )
    except ValueError:
        fail_shape(
            "take_along_dim",
            "input and indices that broadcast outside dim",
            f"{shape_str(tuple(x.shape))} and {shape_str(where.shape)}",
        )
    x = broadcast_to(x, rest[:axis] + (x.shape[axis],) + rest[axis + 1 :])
    where = np.broadcast_to(where, rest[:axis] + (where.shape[axis],) + rest[axis + 1 :])
    return _take(x, where % max(x.shape[axis], 1), axis)


def tensordot(a: Any, b: Any, dims: Any = 2, out: Any = None):
    """Sum over ``dims`` pairs of axes (an int n: a's last n with b's first n), as a matmul."""
    a, b = _tensor(a), _tensor(b)
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            fail_value("tensordot", "a non-negative dims", str(dims))
        left, right = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        dims = [getattr(d, "tolist", lambda d=d: d)() for d in dims]
        left = [dims[0]] if isinstance(dims[0], int) else list(dims[0])
        right = [dims[1]] if isinstance(dims[1], int) else list(dims[1])
    left = [_axis("tensordot", a, d) for d in left]
    right = [_axis("tensordot", b, d) for d in right]
    for i, j in zip(left, right):
        if a.shape[i] != b.shape[j]:
            fail_shape(
                "tensordot",
                "contracted dims of one size",
                f"{a.shape[i]} (dim {i} of a) and {b.shape[j]} (dim {j} of b)",
            )
    free_a = [d for d in range(a.ndim) if d not in left]
    free_b = [d for d in range(b.ndim) if d not in right]
    size = int(np.prod([a.shape[d] for d in left], dtype=np.int64))
    rows = a.permute(*(free_a + left)).reshape(-1, size)
    cols = b.permute(*(right + free_b)).reshape(size, -1)
    shape = tuple(a.shape[d] for d in free_a) + tuple(b.shape[d] for d in free_b)
    from .comparison import into

    return into(out, (rows @ cols).reshape(shape))


def kron(input: Any, other: Any):  # noqa: A002
    """The Kronecker product: every element of input times all of other, in blocks."""
    a, b = _tensor(input), _tensor(other)
    ndim = max(a.ndim, b.ndim)
    a = a.reshape((1,) * (ndim - a.ndim) + tuple(a.shape))
    b = b.reshape((1,) * (ndim - b.ndim) + tuple(b.shape))
    spread_a = a.reshape(tuple(itertools.chain(*((n, 1) for n in a.shape))))
    spread_b = b.reshape(tuple(itertools.chain(*((1, n) for n in b.shape))))
    return (spread_a * spread_b).reshape(tuple(m * n for m, n in zip(a.shape, b.shape)))


def cross(input: Any, other: Any, dim: int | None = None):  # noqa: A002
    """The cross product of 3-vectors along ``dim`` (default: the first dim of size 3)."""
    a, b = _tensor(input), _tensor(other)
    if a.ndim != b.ndim:  # torch broadcasts sizes, not a missing dim
        fail_shape("cross", "input and other with one number of dims", f"{a.ndim} and {b.ndim}")
    try:
        shape = np.broadcast_shapes(tuple(a.shape), tuple(b.shape))
    except ValueError:
        fail_shape("cross", "input and other that broadcast", f"{a.shape} and {b.shape}")
    a, b = broadcast_to(a, shape), broadcast_to(b, shape)
    if dim is None:
        dim = next((d for d, n in enumerate(shape) if n == 3), None)
        if dim is None:
            fail_shape("cross", "a dim of size 3", shape_str(shape))
    axis = _axis("cross", a, dim)
    if shape[axis] != 3:
        fail_shape("cross", f"dim {dim} of size 3", f"size {shape[axis]}")
    x = [narrow(a, axis, i, 1) for i in range(3)]
    y = [narrow(b, axis, i, 1) for i in range(3)]
    parts = [x[(i + 1) % 3] * y[(i + 2) % 3] - x[(i + 2) % 3] * y[(i + 1) % 3] for i in range(3)]
    return cat(parts, axis)


def rot90(input: Any, k: int = 1, dims: Sequence[int] = (0, 1)):  # noqa: A002
    """Rotate by 90 degrees k times from the first of ``dims`` toward the second, as torch."""
    x = _tensor(input)
    if len(dims) != 2 or x.ndim < 2:
        fail_shape(
            "rot90",
            "two dims of a tensor with at least 2 dims",
            f"dims {list(dims)} of a {x.ndim}-d tensor",
        )
    d0, d1 = (_axis("rot90", x, d) for d in dims)
    if d0 == d1:
        fail_value("rot90", "two different dims", f"{list(dims)}")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"rot90: expected an integer k, got {type(k).__name__} {k!r}.")
    turns = k % 4
    if turns == 1:
        return flip(x, [d1]).transpose(d0, d1)
    if turns == 2:
        return flip(x, [d0, d1])
    if turns == 3:
        return flip(x, [d0]).transpose(d0, d1)
    return x.clone()


def _at_least(shape_for: Any, tensors: tuple) -> Any:
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(_at_least(shape_for, (t,)) for t in tensors[0])
    out = tuple(_tensor(t).reshape(shape_for(_tensor(t))) for t in tensors)
    return out[0] if len(out) == 1 else out


def atleast_1d(*tensors: Any) -> Any:
    return _at_least(lambda t: tuple(t.shape) or (1,), tensors)


def atleast_2d(*tensors: Any) -> Any:
    return _at_least(
        lambda t: ((1,) * (2 - t.ndim) + tuple(t.shape)) if t.ndim < 2 else tuple(t.shape), tensors
    )


def _three(t: Any) -> tuple:
    shape = tuple(t.shape)
    return {0: (1, 1, 1), 1: (1,) + shape + (1,), 2: shape + (1,)}.get(t.ndim, shape)


def atleast_3d(*tensors: Any) -> Any:
    return _at_least(_three, tensors)


def column_stack(tensors: Sequence[Any]):
    """1-D and 0-d tensors as columns, side by side with the 2-D ones."""
    columns = [_tensor(t) for t in tensors]
    return hstack([t.reshape(-1, 1) if t.ndim <= 1 else t for t in columns])


def row_stack(tensors: Sequence[Any]):
    return vstack(tensors)


def dstack(tensors: Sequence[Any]):
    return cat([atleast_3d(t) for t in tensors], 2)


def tensor_split(input: Any, indices_or_sections: Any, dim: int = 0) -> tuple:  # noqa: A002
    """Views along ``dim``: n near-equal sections (the first size % n one longer), or the
    pieces between the given indices."""
    x = _tensor(input)
    axis = _axis("tensor_split", x, dim)
    size = x.shape[axis]
    split = getattr(indices_or_sections, "_data", indices_or_sections)
    if np.ndim(split) == 0:
        sections = int(split)
        if sections <= 0:
            fail_value("tensor_split", "a number of sections > 0", str(sections))
        lengths = [size // sections + (1 if i < size % sections else 0) for i in range(sections)]
        bounds = [0] + list(itertools.accumulate(lengths))
    else:
        bounds = [0] + [int(i) for i in np.asarray(split).reshape(-1)] + [size]
    pieces = []
    for start, end in zip(bounds[:-1], bounds[1:]):
        start = min(max(start + size if start < 0 else start, 0), size)
        end = min(max(end + size if end < 0 else end, start), size)
        pieces.append(getitem(x, (slice(None),) * axis + (slice(start, end),)))
    return tuple(pieces)


def _split_along(who: str, x: Any, sections: Any, dim: int, least: int) -> tuple:
    x = _tensor(x)
    if x.ndim < least:
        fail_shape(who, f"a tensor with at least {least} dims", f"{x.ndim}-d")
    if np.ndim(sections) == 0 and int(sections) <= 0:  # NumPy's % would divide by zero
        fail_value(who, "a number of sections > 0", str(sections))
    if np.ndim(sections) == 0 and x.shape[dim] % int(sections):
        fail_shape(
            who,
            f"dim {dim} (size {x.shape[dim]}) divisible by {sections}",
            f"{x.shape[dim]} % {sections} = {x.shape[dim] % int(sections)}",
        )
    return tensor_split(x, sections, dim)


def hsplit(input: Any, indices_or_sections: Any) -> tuple:  # noqa: A002
    x = _tensor(input)
    return _split_along("hsplit", x, indices_or_sections, 0 if x.ndim == 1 else 1, 1)


def vsplit(input: Any, indices_or_sections: Any) -> tuple:  # noqa: A002
    return _split_along("vsplit", input, indices_or_sections, 0, 2)


def dsplit(input: Any, indices_or_sections: Any) -> tuple:  # noqa: A002
    return _split_along("dsplit", input, indices_or_sections, 2, 3)


def split_with_sizes(input: Any, split_sizes: Sequence[int], dim: int = 0) -> tuple:  # noqa: A002
    x = _tensor(input)
    axis = _axis("split_with_sizes", x, dim)
    sizes = [int(s) for s in split_sizes]
    if sum(sizes) != x.shape[axis] or min(sizes, default=0) < 0:
        fail_shape(
            "split_with_sizes",
            f"non-negative sizes that sum to {x.shape[axis]} (dim {dim})",
            f"{sizes}",
        )
    bounds = list(itertools.accumulate(sizes))[:-1]
    return mark_pieces("split_with_sizes", tensor_split(x, bounds, axis))


class DiagEmbed(Function):
    """Each last-dim vector of x on a diagonal of a new (dim1, dim2) plane, zeros elsewhere;
    the gradient is that diagonal of grad_y, read back."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, offset=0, dim1=-2, dim2=-1):
        ctx.offset, ctx.dims = offset, (dim1, dim2)
        n = x.shape[-1] + abs(offset)
        out = np.zeros(x.shape[:-1] + (n, n), dtype=x.dtype)
        rows = np.arange(x.shape[-1]) + max(-offset, 0)
        out[..., rows, rows + offset] = x
        return np.moveaxis(out, (-2, -1), (dim1, dim2))

    @staticmethod
    def backward(ctx, grad_y):
        plane = np.moveaxis(grad_y, ctx.dims, (-2, -1))
        return np.diagonal(plane, ctx.offset, -2, -1).copy()


def diag_embed(input: Any, offset: int = 0, dim1: int = -2, dim2: int = -1):  # noqa: A002
    x = _tensor(input)
    d1, d2 = (check_dim("diag_embed", d, x.ndim + 1) for d in (dim1, dim2))
    if d1 == d2:
        fail_value("diag_embed", "two different dims", f"dim1={dim1}, dim2={dim2}")
    if x.ndim == 0:
        fail_shape("diag_embed", "a tensor with at least 1 dim", "a 0-d tensor")
    return DiagEmbed.apply(x, offset=offset, dim1=d1, dim2=d2)


def diagflat(input: Any, offset: int = 0):  # noqa: A002
    return diag(_tensor(input).reshape(-1), offset)


def block_diag(*tensors: Any):
    """The tensors (0-d, 1-d as a row, or 2-d) on the diagonal of one matrix, zeros elsewhere."""
    blocks = [_tensor(t) for t in tensors]
    blocks = [t.reshape(1, -1) if t.ndim < 2 else t for t in blocks]
    for t in blocks:
        if t.ndim != 2:
            fail_shape("block_diag", "tensors with at most 2 dims", f"{t.ndim}-d")
    if not blocks:
        return _tensor(np.zeros((1, 0), get_default_dtype()))
    dtype = functools.reduce(promote_types, (t.dtype for t in blocks))  # int64 + float32: float32
    width = sum(t.shape[1] for t in blocks)
    rows, left = [], 0
    for t in blocks:
        t = t.to(dtype)
        before = _tensor(np.zeros((t.shape[0], left), dtype))
        after = _tensor(np.zeros((t.shape[0], width - left - t.shape[1]), dtype))
        rows.append(cat([before, t, after], 1))
        left += t.shape[1]
    return cat(rows, 0)


def cartesian_prod(*tensors: Any):
    """Every combination of one element from each 1-D tensor, one per row."""
    for t in tensors:
        if _tensor(t).ndim != 1:  # meshgrid would take any shape, and flatten it silently
            fail_shape("cartesian_prod", "1-D tensors", shape_str(tuple(_tensor(t).shape)))
    if len(tensors) == 1:
        return _tensor(tensors[0])
    grids = meshgrid(*tensors, indexing="ij")
    return stack([g.reshape(-1) for g in grids], 1)


def combinations(input: Any, r: int = 2, with_replacement: bool = False):  # noqa: A002
    """The length-r combinations of a 1-D tensor's elements, one per row, as torch."""
    x = _tensor(input)
    if x.ndim != 1:
        fail_shape("combinations", "a 1-D tensor", f"{x.ndim}-d")
    if isinstance(r, bool) or not isinstance(r, (int, np.integer)) or r < 0:
        fail_value("combinations", "an integer r >= 0", repr(r))
    n = x.shape[0]
    rows = math.comb(n + r - 1, r) if with_replacement else math.comb(n, r)
    check_allocation("combinations", rows * r, 8, f"C({n}, {r}) = {rows} rows of {r} indices")
    choose = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    flat = itertools.chain.from_iterable(choose(range(n), r))  # no list of tuples on the way
    if r == 0:
        return _tensor(np.zeros((0,), x.dtype))
    picks = np.fromiter(flat, dtype=np.int64, count=rows * r).reshape(rows, r)
    return getitem(x, picks)


def vander(x: Any, N: int | None = None, increasing: bool = False):  # noqa: N803
    """Columns x^(N-1), ..., x, 1 (reversed if ``increasing``): running products, as torch."""
    x = _tensor(x)
    if x.ndim != 1:
        fail_shape("vander", "a 1-D tensor", f"{x.ndim}-d")
    n = x.shape[0] if N is None else int(N)
    if n < 0:
        fail_value("vander", "N >= 0", str(n))
    if x.dtype.kind == "b":
        x = x.to(np.int64)
    ones = _tensor(np.ones((x.shape[0], min(n, 1)), x.dtype))
    if n <= 1:
        return ones
    powers = x.reshape(-1, 1).expand(x.shape[0], n - 1).cumprod(1)
    result = cat([ones, powers], 1)
    return result if increasing else flip(result, [1])


def logspace(
    start: float,
    end: float,
    steps: int,
    base: float = 10.0,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    **_: Any,
):
    """base ** linspace(start, end, steps), computed in float64 and then cast."""
    wanted = get_default_dtype() if dtype is None else resolve_dtype(dtype, "logspace")
    if int(steps) < 0:
        fail_value("logspace", "steps >= 0", str(steps))
    check_allocation("logspace", int(steps), 8, f"steps={steps}")
    exponents = np.linspace(float(start), float(end), int(steps))
    values = np.power(float(base), exponents).astype(wanted)
    out = _tensor(values)
    return out.requires_grad_() if requires_grad else out
