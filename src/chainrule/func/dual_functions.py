"""Forward rules for NumPy's array functions (np.reshape, np.where, np.einsum, ...): most are
linear in their array argument, so the tangent is the same call on the tangent."""

from __future__ import annotations

from typing import Any

import numpy as np

from .dual import Dual, has_tangent, plain, tangent_of, unsupported, wrap


def _plain_args(args: tuple) -> tuple:
    return tuple([plain(a) for a in x] if type(x) in (list, tuple) else plain(x) for x in args)


def flat(func: Any, args: tuple, kwargs: dict) -> Any:
    """Integer, boolean or shape results: no tangent."""
    return func(*_plain_args(args), **{k: plain(v) for k, v in kwargs.items()})


def linear(func: Any, args: tuple, kwargs: dict) -> Any:
    """Linear in the first argument (an array or a sequence of arrays), the rest config."""
    first, rest = args[0], _plain_args(args[1:])
    kwargs = {k: plain(v) for k, v in kwargs.items()}
    if type(first) in (list, tuple):
        result = func([plain(a) for a in first], *rest, **kwargs)
        if not any(has_tangent(a) for a in first):
            return result
        tangent = func([tangent_of(a) for a in first], *rest, **kwargs)
    else:
        result = func(plain(first), *rest, **kwargs)
        if not has_tangent(first):
            return result
        tangent = func(tangent_of(first), *rest, **kwargs)
    if type(result) in (list, tuple):  # split and friends
        return type(result)(wrap(r, t) for r, t in zip(result, tangent))
    return wrap(result, tangent)


def multilinear(func: Any, args: tuple, kwargs: dict) -> Any:
    """Linear in each array argument (einsum, dot, tensordot, outer): the product rule."""
    start = 1 if isinstance(args[0], str) else 0
    operands = list(args[start:])
    if func is np.tensordot or func is np.kron:
        operands, extra = operands[:2], operands[2:]
    else:
        extra = []
    head = list(args[:start])
    plains = [plain(o) for o in operands]
    result = func(*head, *plains, *extra, **kwargs)
    terms = []
    for i, o in enumerate(operands):
        if has_tangent(o):
            swapped = plains[:i] + [tangent_of(o)] + plains[i + 1 :]
            terms.append(func(*head, *swapped, *extra, **kwargs))
    return wrap(result, sum(terms[1:], terms[0]) if terms else None)


def like(func: Any, args: tuple, kwargs: dict) -> Any:
    """zeros_like and friends: a Dual with a zero tangent, so writes into it keep theirs."""
    result = func(plain(args[0]), *_plain_args(args[1:]), **kwargs)
    if result.dtype.kind not in "fc":
        return result
    return Dual(result, np.zeros(result.shape, result.dtype))


def where(func: Any, args: tuple, kwargs: dict) -> Any:
    if len(args) != 3:
        return flat(func, args, kwargs)
    cond, x, y = plain(args[0]), args[1], args[2]
    result = np.where(cond, plain(x), plain(y))
    if not (has_tangent(x) or has_tangent(y)):
        return result
    return wrap(result, np.where(cond, tangent_of(x), tangent_of(y)))


def clip(func: Any, args: tuple, kwargs: dict) -> Any:
    names = ("a", "a_min", "a_max")
    values = dict(zip(names, args)) | kwargs
    values.setdefault("a_min", values.pop("min", None))
    values.setdefault("a_max", values.pop("max", None))
    a, low, high = values["a"], values["a_min"], values["a_max"]
    if has_tangent(low) or has_tangent(high):
        raise unsupported("np.clip with bounds that carry a tangent")
    result = np.clip(plain(a), plain(low), plain(high))
    if not has_tangent(a):
        return result
    inside = np.ones(result.shape, bool)
    if low is not None:
        inside &= plain(a) >= plain(low)
    if high is not None:
        inside &= plain(a) <= plain(high)
    return wrap(result, np.where(inside, tangent_of(a), 0))


def _reduction(ufunc: Any) -> Any:
    def rule(func: Any, args: tuple, kwargs: dict) -> Any:
        names = ("a", "axis", "dtype", "out", "keepdims")
        if func in (np.max, np.min, np.amax, np.amin):
            names = ("a", "axis", "out", "keepdims")
        values = dict(zip(names, args)) | kwargs
        a = values.pop("a")
        if values.pop("out", None) is not None:
            raise unsupported(f"np.{func.__name__}(..., out=)")
        values = {k: v for k, v in values.items() if v is not np._NoValue}
        return ufunc.reduce(a if isinstance(a, Dual) else np.asarray(a), **values)

    return rule


def mean(func: Any, args: tuple, kwargs: dict) -> Any:
    values = dict(zip(("a", "axis", "dtype", "out", "keepdims"), args)) | kwargs
    a, axis = values["a"], values.get("axis")
    total = np.sum(a, axis=axis, dtype=values.get("dtype"), keepdims=values.get("keepdims", False))
    count = plain(a).size // max(np.asarray(plain(total)).size, 1) if a.size else 0
    return total / np.asarray(count, total.dtype) if count else total / 0


def var(func: Any, args: tuple, kwargs: dict) -> Any:
    values = dict(zip(("a", "axis", "dtype", "out", "ddof", "keepdims"), args)) | kwargs
    a, axis, ddof = values["a"], values.get("axis"), values.get("ddof", 0)
    keepdims = values.get("keepdims", False)
    centred = a - np.mean(a, axis=axis, keepdims=True)
    total = np.sum(centred * centred, axis=axis, keepdims=keepdims)
    count = plain(a).size // max(np.asarray(plain(np.sum(a, axis=axis))).size, 1)
    v = total / np.asarray(count - ddof, total.dtype)
    return np.sqrt(v) if func is np.std else v


def sort(func: Any, args: tuple, kwargs: dict) -> Any:
    values = dict(zip(("a", "axis", "kind", "order"), args)) | kwargs
    a, axis = values["a"], values.get("axis", -1)
    order = np.argsort(plain(a), axis=axis, kind="stable")
    return np.take_along_axis(a, order, axis=axis)


def take_along_axis(func: Any, args: tuple, kwargs: dict) -> Any:
    return linear(func, args, kwargs)


def broadcast_arrays(func: Any, args: tuple, kwargs: dict) -> Any:
    shape = np.broadcast_shapes(*(np.shape(plain(a)) for a in args))
    return [np.broadcast_to(a, shape) for a in args]


def copyto(func: Any, args: tuple, kwargs: dict) -> Any:
    dst, src = args[0], args[1]
    if not isinstance(dst, Dual):
        if has_tangent(src):
            raise unsupported("np.copyto of a tangent into a plain array")
        return np.copyto(dst, plain(src), *args[2:], **kwargs)
    dst[...] = (
        src if not args[2:] and not kwargs else np.where(plain(kwargs.get("where", True)), src, dst)
    )
    return None


_FLAT = [
    np.argmax, np.argmin, np.argsort, np.argwhere, np.nonzero, np.flatnonzero, np.shape, np.ndim,
    np.size, np.result_type, np.can_cast, np.isclose, np.allclose, np.array_equal, np.any, np.all,
    np.count_nonzero, np.searchsorted, np.may_share_memory, np.shares_memory, np.isfinite,
    np.isnan, np.isinf, np.sign, np.digitize, np.bincount, np.iscomplexobj, np.isrealobj,
    np.unravel_index, np.ravel_multi_index, np.array_equiv, np.isneginf, np.isposinf,
    np.min_scalar_type, np.floor, np.ceil, np.round, np.around, np.argpartition, np.lexsort,
    np.nanargmax, np.nanargmin, np.logical_not,
]  # fmt: skip
_LINEAR = [
    np.reshape, np.ravel, np.transpose, np.swapaxes, np.moveaxis, np.rollaxis, np.expand_dims,
    np.squeeze, np.broadcast_to, np.concatenate, np.stack, np.hstack, np.vstack, np.dstack,
    np.column_stack, np.atleast_1d, np.atleast_2d, np.atleast_3d, np.flip, np.fliplr, np.flipud,
    np.roll, np.rot90, np.tile, np.repeat, np.take, np.diagonal, np.diag, np.trace, np.triu,
    np.tril, np.cumsum, np.split, np.array_split, np.real, np.copy, np.append, np.diff,
    np.compress, np.extract, np.block, np.trapezoid, np.diagflat, np.pad, np.delete, np.insert,
    np.imag, np.take_along_axis,
]  # fmt: skip
_MULTILINEAR = [np.einsum, np.dot, np.vdot, np.inner, np.outer, np.tensordot, np.kron, np.cross]
_LIKE = [np.zeros_like, np.ones_like, np.empty_like, np.full_like]

RULES: dict = {f: flat for f in _FLAT}
RULES |= {f: linear for f in _LINEAR}
RULES |= {f: multilinear for f in _MULTILINEAR}
RULES |= {f: like for f in _LIKE}
RULES |= {np.where: where, np.clip: clip, np.mean: mean, np.var: var, np.std: var, np.sort: sort}
RULES |= {np.sum: _reduction(np.add), np.max: _reduction(np.maximum)}
RULES |= {np.amax: _reduction(np.maximum), np.min: _reduction(np.minimum)}
RULES |= {np.amin: _reduction(np.minimum), np.broadcast_arrays: broadcast_arrays}
RULES |= {np.copyto: copyto}
