"""Dual: an ndarray carrying a tangent, for forward-mode differentiation at the NumPy level.

chainrule's Functions compute on ndarrays with NumPy, forward and backward alike. A Dual is an
ndarray subclass whose ``tangent`` rides along: NumPy hands every ufunc and array function that
meets one to ``__array_ufunc__`` / ``__array_function__`` below, which computes the values on
the plain arrays and the tangent by that NumPy call's derivative (its JVP rule). So one set of
rules, written per NumPy primitive rather than per op, gives every Function a forward mode, and
running a backward on Duals differentiates the backward itself: forward-over-reverse, which is
how jacfwd(jacrev(f)), hessian and hvp get exact second derivatives without double backward.

A NumPy call with no rule here raises UnsupportedError naming it rather than dropping the
tangent; a C-level method that makes a new array of another layout marks the tangent LOST, and
reading a LOST tangent raises too. Only one level: a Dual of Duals (jacfwd of jacfwd) is refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import GraphError, UnsupportedError

LOST = "lost"  # the tangent of an array a NumPy method made without going through a rule


def unsupported(what: str) -> GraphError:
    # a RuntimeError, as torch's for an op without forward AD; not a ValueError, which an op's
    # own ``except ValueError`` would turn into a misleading shape message
    return GraphError(
        f"forward-mode AD: expected NumPy calls with a forward rule, got {what}.\n"
        "Hint: this op cannot carry a tangent yet (jvp, jacfwd, hessian, hvp, forward_ad); use "
        "reverse mode (vjp, jacrev) for it."
    )


class Dual(np.ndarray):
    """Values (the array itself) and a tangent of the same shape and dtype."""

    tangent: Any

    def __new__(cls, primal: np.ndarray, tangent: np.ndarray) -> Dual:
        if isinstance(primal, Dual) or isinstance(tangent, Dual):
            raise UnsupportedError(
                "forward-mode AD: expected one level of tangents, got a tangent on a tangent.\n"
                "Hint: nest forward over reverse, as jacfwd(jacrev(f)), not jacfwd(jacfwd(f))."
            )
        obj = np.asarray(primal).view(cls)
        obj.tangent = np.asarray(tangent, dtype=obj.dtype)
        return obj

    def __array_finalize__(self, obj: Any) -> None:
        # Reached only by C-level methods (copies, views we do not override): every method that
        # reorders elements without changing the shape (transpose, indexing) is overridden
        # below, so a result of the same shape holds the same elements in the same places.
        tangent = getattr(obj, "tangent", None)
        if tangent is None or isinstance(tangent, str):
            self.tangent = LOST if tangent is not None else None
        elif self.shape == obj.shape:
            self.tangent = tangent.astype(self.dtype)
        else:
            self.tangent = LOST

    @property
    def primal(self) -> np.ndarray:
        return self.view(np.ndarray)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        from .dual_rules import ufunc_jvp

        return ufunc_jvp(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        from .dual_rules import function_jvp

        return function_jvp(func, args, kwargs)

    # ndarray's methods run in C without dispatching: send each to the NumPy function that does.
    def reshape(self, *shape: Any, **kw: Any) -> Any:
        return np.reshape(self, shape[0] if len(shape) == 1 else shape, **kw)

    def transpose(self, *axes: Any) -> Any:
        return np.transpose(self, axes[0] if len(axes) == 1 else (axes or None))

    @property
    def T(self) -> Any:  # noqa: N802  (ndarray's name)
        return np.transpose(self)

    @property
    def mT(self) -> Any:  # noqa: N802
        return np.swapaxes(self, -1, -2)

    def swapaxes(self, a: int, b: int) -> Any:
        return np.swapaxes(self, a, b)

    def squeeze(self, axis: Any = None) -> Any:
        return np.squeeze(self, axis)

    def ravel(self, order: str = "C") -> Any:
        return np.ravel(self, order)

    def flatten(self, order: str = "C") -> Any:
        return np.ravel(self, order).copy()

    def sum(self, *a: Any, **kw: Any) -> Any:
        return np.sum(self, *a, **kw)

    def mean(self, *a: Any, **kw: Any) -> Any:
        return np.mean(self, *a, **kw)

    def max(self, *a: Any, **kw: Any) -> Any:
        return np.max(self, *a, **kw)

    def min(self, *a: Any, **kw: Any) -> Any:
        return np.min(self, *a, **kw)

    def var(self, *a: Any, **kw: Any) -> Any:
        return np.var(self, *a, **kw)

    def std(self, *a: Any, **kw: Any) -> Any:
        return np.std(self, *a, **kw)

    def cumsum(self, *a: Any, **kw: Any) -> Any:
        return np.cumsum(self, *a, **kw)

    def clip(self, *a: Any, **kw: Any) -> Any:
        return np.clip(self, *a, **kw)

    def dot(self, other: Any) -> Any:
        return np.dot(self, other)

    def take(self, *a: Any, **kw: Any) -> Any:
        return np.take(self, *a, **kw)

    def repeat(self, *a: Any, **kw: Any) -> Any:
        return np.repeat(self, *a, **kw)

    def prod(self, *a: Any, **kw: Any) -> Any:
        return np.prod(self, *a, **kw)

    def copy(self, order: str = "C") -> Any:
        return Dual(self.primal.copy(order), tangent_of(self).copy(order))

    def astype(self, dtype: Any, *a: Any, **kw: Any) -> Any:
        primal = self.primal.astype(dtype, *a, **kw)
        if primal.dtype.kind not in "fc":
            return primal
        return Dual(primal, tangent_of(self).astype(dtype, *a, **kw))

    def __getitem__(self, index: Any) -> Any:
        index = plain(index)
        return wrap(self.primal[index], tangent_of(self)[index])

    def __setitem__(self, index: Any, value: Any) -> None:
        index = plain(index)
        self.primal[index] = plain(value)
        tangent = tangent_of(self)
        if self.tangent is None:
            self.tangent = tangent
        value_tangent = tangent_of(value) if isinstance(value, Dual) else 0
        tangent[index] = value_tangent

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    def __float__(self) -> float:
        # float() makes a constant of a value: with a tangent that would drop it silently
        if self.tangent is not None and np.any(tangent_of(self)):
            raise unsupported("float() of a value that carries a tangent")
        return float(self.primal)

    def fill(self, value: Any) -> None:
        self.primal.fill(plain(value))
        self.tangent = np.zeros(self.shape, self.dtype)

    def __reduce__(self) -> Any:
        raise TypeError("Dual: expected no pickling (chainrule never pickles), got a request.")

    def __repr__(self) -> str:
        return f"Dual({self.primal!r}, tangent={self.tangent!r})"


def plain(x: Any) -> Any:
    """The values behind x (a Dual's primal; tuples of them too, for indices)."""
    if isinstance(x, Dual):
        return x.view(np.ndarray)
    if type(x) is tuple:
        return tuple(plain(v) for v in x)
    return x


def tangent_of(x: Any) -> np.ndarray:
    """x's tangent, zeros for a plain array or a Dual without one; a LOST tangent raises."""
    tangent = getattr(x, "tangent", None) if isinstance(x, Dual) else None
    if isinstance(tangent, str):
        raise unsupported("an ndarray method that makes an array of another layout")
    if tangent is None:
        x = np.asarray(x)
        return np.zeros(x.shape, x.dtype if x.dtype.kind in "fc" else np.float64)
    return tangent


def has_tangent(x: Any) -> bool:
    return isinstance(x, Dual) and x.tangent is not None


def wrap(primal: Any, tangent: Any) -> Any:
    """A Dual where there is a tangent and the values are floating point, else plain values."""
    if tangent is None:
        return primal
    primal = np.asarray(primal)
    if primal.dtype.kind not in "fc":
        return primal
    return Dual(primal, np.broadcast_to(np.asarray(tangent, primal.dtype), primal.shape).copy())
