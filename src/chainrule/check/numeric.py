"""Central differences in float64: the slow, obviously right derivative a student's backward is held to."""

from __future__ import annotations

from typing import Callable

import numpy as np

STEP = 1e-6
# a student's float32 forward rounds away a 1e-6 step: a wider one, and a looser comparison
STEP_FLOAT32, TOL_FLOAT32 = 1e-3, 1e3


def jacobian(
    f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, step: float = STEP
) -> np.ndarray:
    """d f(x) / d x by central differences, shaped x.shape + f(x).shape.

    The whole Jacobian (not one vector-Jacobian product) is kept so that the expected
    gradient for any upstream gradient, random or all ones, costs one contraction.
    """
    x = np.array(x, dtype=np.float64)
    columns = []
    for index in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[index] += step
        minus[index] -= step
        columns.append((_float(f(plus)) - _float(f(minus))) / (2 * step))
    out_shape = columns[0].shape if columns else ()
    return np.array(columns, dtype=np.float64).reshape(x.shape + out_shape)


def contract(jac: np.ndarray, upstream: np.ndarray, in_shape: tuple) -> np.ndarray:
    """sum over the output of jac * upstream: dL/dx for L = sum(upstream * f(x))."""
    axes = tuple(range(len(in_shape), jac.ndim))
    return np.sum(jac * upstream, axis=axes) if axes else jac * upstream


def _float(value) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)
