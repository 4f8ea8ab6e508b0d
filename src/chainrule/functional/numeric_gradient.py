"""torch.gradient: derivatives estimated from samples by central differences (one-sided at the
edges, of first or second order), on a uniform grid or at given coordinates. Composed of
slices and arithmetic, so it is differentiable as torch's is; the formulas and their order of
operations are torch's (which are NumPy's numpy.gradient)."""

from __future__ import annotations

from typing import Any

from .._checks import check_dim
from ..errors import ArgumentError, ShapeError
from .sorting import _tensor


def _slice(x: Any, dim: int, start: int, stop: Any = None):
    index = [slice(None)] * x.ndim
    index[dim] = slice(start, stop)
    return x[tuple(index)]


def _uniform(x: Any, dim: int, h: float, edge_order: int):
    center = (_slice(x, dim, 2) - _slice(x, dim, 0, -2)) / h
    if edge_order == 1:
        first = (_slice(x, dim, 1, 2) - _slice(x, dim, 0, 1)) / h
        last = (_slice(x, dim, -1) - _slice(x, dim, -2, -1)) / h
    else:
        first = (
            -1.5 * _slice(x, dim, 0, 1) + 2 * _slice(x, dim, 1, 2) - 0.5 * _slice(x, dim, 2, 3)
        ) / h
        last = (
            0.5 * _slice(x, dim, -3, -2) - 2 * _slice(x, dim, -2, -1) + 1.5 * _slice(x, dim, -1)
        ) / h
    from .shape import cat

    return cat([first, center / 2, last], dim)


def _coordinates(x: Any, dim: int, coords: Any, edge_order: int):
    from .shape import cat

    dx = coords[1:] - coords[:-1]
    shape = [1] * x.ndim
    shape[dim] = -1
    dx1, dx2 = dx[:-1], dx[1:]
    a = (-dx2 / (dx1 * (dx1 + dx2))).reshape(shape)
    b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
    c = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
    center = a * _slice(x, dim, 0, -2) + b * _slice(x, dim, 1, -1) + c * _slice(x, dim, 2)
    d0, d1 = dx[0], dx[1 if dx.shape[0] > 1 else 0]
    dn, dm = dx[-1], dx[-2 if dx.shape[0] > 1 else -1]
    if edge_order == 1:
        first = (_slice(x, dim, 1, 2) - _slice(x, dim, 0, 1)) / d0
        last = (_slice(x, dim, -1) - _slice(x, dim, -2, -1)) / dn
    else:
        fa = -(2.0 * d0 + d1) / (d0 * (d0 + d1))
        fb = (d0 + d1) / (d0 * d1)
        fc = (-d0) / (d1 * (d0 + d1))
        first = fa * _slice(x, dim, 0, 1) + fb * _slice(x, dim, 1, 2) + fc * _slice(x, dim, 2, 3)
        la = dn / (dm * (dn + dm))
        lb = -(dn + dm) / (dn * dm)
        lc = (2 * dn + dm) / (dn * (dn + dm))
        last = la * _slice(x, dim, -3, -2) + lb * _slice(x, dim, -2, -1) + lc * _slice(x, dim, -1)
    return cat([first, center, last], dim)


def gradient(input: Any, *, spacing: Any = 1, dim: Any = None, edge_order: int = 1) -> tuple:  # noqa: A002
    """One tensor per dim in ``dim`` (all dims by default): the derivative along it. spacing is a
    number (the same step everywhere), a list of numbers (one step per dim) or a list of 1-D
    coordinate tensors (one per dim); edge_order 1 or 2 sets the one-sided differences' order.

    >>> import chainrule as cr
    >>> cr.gradient(cr.tensor([1.0, 4.0, 9.0, 16.0]))
    (tensor([3., 4., 6., 7.]),)
    """
    x = _tensor(input)
    if edge_order not in (1, 2):
        raise ArgumentError(f"gradient: expected edge_order 1 or 2, got {edge_order!r}.")
    if dim is None:
        dims = list(range(x.ndim))
    elif isinstance(dim, (list, tuple)):
        dims = [check_dim("gradient", d, x.ndim, tuple(x.shape)) for d in dim]
    else:
        dims = [check_dim("gradient", dim, x.ndim, tuple(x.shape))]
    if isinstance(spacing, (list, tuple)):
        steps = list(spacing)
        if len(steps) != len(dims):
            raise ArgumentError(
                f"gradient: expected one spacing per dimension ({len(dims)}), got {len(steps)}."
            )
    else:
        steps = [spacing] * len(dims)
    if any(x.shape[d] < edge_order + 1 for d in dims):
        raise ShapeError(
            f"gradient: expected each dimension size to be at least edge_order + 1 "
            f"= {edge_order + 1}, got shape {tuple(x.shape)}."
        )
    if x.dtype.kind != "f":
        from ..dtypes import get_default_dtype

        x = x.to(get_default_dtype())
    out = []
    for d, step in zip(dims, steps):
        if hasattr(step, "shape") and len(step.shape) == 1:
            coords = _tensor(step)
            if coords.shape[0] != x.shape[d]:
                raise ShapeError(
                    f"gradient: expected coordinates of length {x.shape[d]} along dim "
                    f"{d}, got {coords.shape[0]}."
                )
            out.append(_coordinates(x, d, coords.to(x.dtype), edge_order))
        else:
            h = float(step.item() if hasattr(step, "item") else step)
            out.append(_uniform(x, d, h, edge_order))
    return tuple(out)
