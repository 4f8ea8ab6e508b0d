"""The forward rules (JVPs) of the NumPy calls chainrule's ops are written with: each takes
the plain inputs, their tangents (None for a constant) and the result, and gives the result's
tangent. See func/dual.py for how they are reached."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import contextlib

from .dual import Dual, has_tangent, plain, tangent_of, unsupported, wrap


_NO_STATE = contextlib.nullcontext()


def _sum(*terms: Any) -> Any:
    terms = [t for t in terms if t is not None]
    if not terms:
        return None
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def _mul(t: Any, factor: Any) -> Any:
    return None if t is None else t * factor


def _max_rule(x, y, tx, ty, r):  # torch's: ties share the derivative evenly
    tx = np.zeros_like(r) if tx is None else tx
    ty = np.zeros_like(r) if ty is None else ty
    return np.where(x > y, tx, np.where(x < y, ty, (tx + ty) / 2))


# ufunc -> rule(x, y, tx, ty, r) for two inputs, rule(x, tx, r) for one
BINARY = {
    np.add: lambda x, y, tx, ty, r: _sum(tx, ty),
    np.subtract: lambda x, y, tx, ty, r: _sum(tx, _mul(ty, -1)),
    np.multiply: lambda x, y, tx, ty, r: _sum(_mul(tx, y), _mul(ty, x)),
    np.true_divide: lambda x, y, tx, ty, r: _sum(_mul(tx, 1 / y), _mul(ty, -r / y)),
    np.matmul: lambda x, y, tx, ty, r: _sum(
        None if tx is None else np.matmul(tx, y), None if ty is None else np.matmul(x, ty)
    ),
    np.power: lambda x, y, tx, ty, r: _sum(
        _mul(tx, y * np.power(x, y - 1)),
        None if ty is None else ty * r * np.log(np.where(x > 0, x, 1)),
    ),
    np.maximum: _max_rule,
    np.fmax: _max_rule,
    np.minimum: lambda x, y, tx, ty, r: _max_rule(-x, -y, tx, ty, r),
    np.fmin: lambda x, y, tx, ty, r: _max_rule(-x, -y, tx, ty, r),
    np.logaddexp: lambda x, y, tx, ty, r: _sum(_mul(tx, np.exp(x - r)), _mul(ty, np.exp(y - r))),
    np.arctan2: lambda x, y, tx, ty, r: _sum(
        _mul(tx, y / (x * x + y * y)), _mul(ty, -x / (x * x + y * y))
    ),
    np.hypot: lambda x, y, tx, ty, r: _sum(_mul(tx, x / r), _mul(ty, y / r)),
    np.copysign: lambda x, y, tx, ty, r: _mul(tx, np.where(np.signbit(x) == np.signbit(y), 1, -1)),
    np.remainder: lambda x, y, tx, ty, r: _sum(tx, _mul(ty, -np.floor_divide(x, y))),
    np.fmod: lambda x, y, tx, ty, r: _sum(tx, _mul(ty, -np.trunc(x / y))),
}
UNARY = {
    np.negative: lambda x, tx, r: -tx,
    np.positive: lambda x, tx, r: tx,
    np.conjugate: lambda x, tx, r: tx,
    np.exp: lambda x, tx, r: tx * r,
    np.exp2: lambda x, tx, r: tx * r * math.log(2),
    np.expm1: lambda x, tx, r: tx * (r + 1),
    np.log: lambda x, tx, r: tx / x,
    np.log2: lambda x, tx, r: tx / (x * math.log(2)),
    np.log10: lambda x, tx, r: tx / (x * math.log(10)),
    np.log1p: lambda x, tx, r: tx / (1 + x),
    np.sqrt: lambda x, tx, r: tx / (2 * r),
    np.cbrt: lambda x, tx, r: tx / (3 * r * r),
    np.square: lambda x, tx, r: tx * 2 * x,
    np.reciprocal: lambda x, tx, r: -tx * r * r,
    np.absolute: lambda x, tx, r: tx * np.sign(x),
    np.sin: lambda x, tx, r: tx * np.cos(x),
    np.cos: lambda x, tx, r: -tx * np.sin(x),
    np.tan: lambda x, tx, r: tx * (1 + r * r),
    np.sinh: lambda x, tx, r: tx * np.cosh(x),
    np.cosh: lambda x, tx, r: tx * np.sinh(x),
    np.tanh: lambda x, tx, r: tx * (1 - r * r),
    np.arcsin: lambda x, tx, r: tx / np.sqrt(1 - x * x),
    np.arccos: lambda x, tx, r: -tx / np.sqrt(1 - x * x),
    np.arctan: lambda x, tx, r: tx / (1 + x * x),
    np.arcsinh: lambda x, tx, r: tx / np.sqrt(x * x + 1),
    np.arccosh: lambda x, tx, r: tx / np.sqrt(x * x - 1),
    np.arctanh: lambda x, tx, r: tx / (1 - x * x),
    np.deg2rad: lambda x, tx, r: tx * (math.pi / 180),
    np.rad2deg: lambda x, tx, r: tx * (180 / math.pi),
}
# Piecewise constant (or not real-valued): the tangent is zero, so the result is plain.
FLAT = {
    np.sign, np.floor, np.ceil, np.trunc, np.rint, np.floor_divide, np.heaviside, np.signbit,
    np.spacing, np.nextafter,
}  # fmt: skip


def ufunc_jvp(ufunc: Any, method: str, inputs: tuple, kwargs: dict) -> Any:
    # An ``out=`` that is also an input (``np.exp(y, out=y)``) would overwrite the values the
    # rule reads: compute into a new array, then copy into out.
    out = kwargs.pop("out", None)
    primals = [plain(x) for x in inputs]
    tangents = [tangent_of(x) if has_tangent(x) else None for x in inputs]
    if method == "at":
        getattr(ufunc, method)(*primals, **kwargs)
        if all(t is None for t in tangents):
            return None
        return _at(ufunc, inputs, primals, tangents)
    mask = kwargs.pop("where", True) if out is not None and method == "__call__" else True
    with np.errstate(all="ignore") if mask is not True else _NO_STATE:
        result = getattr(ufunc, method)(*primals, **kwargs)
    floating = not isinstance(result, tuple) and np.asarray(result).dtype.kind in "fc"
    if all(t is None for t in tangents) or ufunc in FLAT or not floating:
        tangent = None
    elif method == "__call__":
        tangent = _call(ufunc, primals, tangents, np.asarray(result), kwargs)
    elif method == "reduce":
        tangent = _reduce(ufunc, primals[0], tangents[0], kwargs)
    elif method == "accumulate" and ufunc is np.add:
        tangent = np.add.accumulate(tangents[0], **kwargs)
    else:
        raise unsupported(f"np.{ufunc.__name__}.{method}")
    if out is None:
        return result if isinstance(result, tuple) else wrap(result, tangent)
    if len(out) != 1:
        raise unsupported(f"np.{ufunc.__name__} with several out= arrays")
    target = out[0]
    if isinstance(target, Dual):
        tangent = np.zeros(target.shape, target.dtype) if tangent is None else tangent
        if mask is not True:  # where= keeps out's values, and tangent, where it is False
            tangent = np.where(mask, tangent, tangent_of(target))
    plain(target)[...] = result if mask is True else np.where(mask, result, plain(target))
    if isinstance(target, Dual):
        target.tangent = np.broadcast_to(tangent, target.shape).astype(target.dtype)
    elif tangent is not None:
        raise unsupported(f"np.{ufunc.__name__} writing a tangent into a plain array")
    return target


def _call(ufunc, primals, tangents, r, kwargs):
    if r.dtype.kind not in "fc":
        return None
    if "where" in kwargs:
        raise unsupported(f"np.{ufunc.__name__}(..., where=)")
    if ufunc in UNARY and len(primals) == 1:
        return UNARY[ufunc](primals[0], tangents[0], r)
    if ufunc in BINARY and len(primals) == 2:
        x, y = (np.asarray(p) for p in primals)
        return BINARY[ufunc](x, y, tangents[0], tangents[1], r)
    raise unsupported(f"np.{ufunc.__name__}")


def _reduce(ufunc, x, tx, kwargs):
    axis = kwargs.get("axis", 0)
    keepdims = kwargs.get("keepdims", False)
    if ufunc is np.add:
        return np.add.reduce(tx, **{k: v for k, v in kwargs.items() if k != "initial"})
    if ufunc in (np.maximum, np.minimum, np.fmax, np.fmin) and "where" not in kwargs:
        kept = ufunc.reduce(x, axis=axis, keepdims=True)
        hit = x == kept
        count = np.sum(hit, axis=axis, keepdims=keepdims)
        return np.sum(np.where(hit, tx, 0), axis=axis, keepdims=keepdims) / count
    raise unsupported(f"np.{ufunc.__name__}.reduce")


def _at(ufunc, inputs, primals, tangents):
    target = inputs[0]
    if ufunc not in (np.add, np.subtract) or not isinstance(target, Dual):
        raise unsupported(f"np.{ufunc.__name__}.at")
    tangent = tangent_of(target)
    target.tangent = tangent
    value = tangents[2] if len(inputs) > 2 and tangents[2] is not None else 0
    ufunc.at(tangent, primals[1], value)


def function_jvp(func: Any, args: tuple, kwargs: dict) -> Any:
    from .dual_functions import RULES

    rule = RULES.get(func)
    if rule is None:
        raise unsupported(f"np.{func.__name__}")
    return rule(func, args, kwargs)
