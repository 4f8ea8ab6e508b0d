"""create_graph rules for lu_factor and lu_solve (see rules.py): their ndarray backwards again
on Tensors, L and U read out of the packed factor with a graph, P a constant (the pivots are
locally constant), so lu-based solves and log-determinants differentiate twice."""

from __future__ import annotations

import numpy as np

from ..functional.decompositions import unpacked
from ..functional.indexing import Triangle
from ..functional.linear_solve import Solve
from ..functional.lu import LUFactor, LUSolve, unpack_array
from ..functional.shape import cat
from .rules import const, rule


def _t(m):
    return m.transpose(-1, -2)


def _tril(m, diagonal: int):
    return Triangle.apply(m, upper=False, diagonal=diagonal)


def _triu(m):
    return Triangle.apply(m, upper=True, diagonal=0)


def _factors(lu, pivots: np.ndarray) -> tuple:
    """(P, L, U) of an LU Tensor: L unit lower (m, k), U upper (k, n), P a constant."""
    m, n = lu.shape[-2:]
    k = min(m, n)
    p = unpack_array(lu._data, pivots)[0]
    low = _tril(lu[..., :, :k], -1) + const(np.eye(m, k), lu)
    return const(p, lu), low, _triu(lu[..., :k, :])


@rule(LUFactor)
def _lu_factor(ctx, out, grad):  # LUFactor's docstring, block by block
    m, n = ctx.shape
    k = min(m, n)
    p, low, up = _factors(unpacked(out, [(m, n)])[0], ctx.pivots)
    grad_lu = unpacked(grad, [(m, n)])[0]
    grad_low, grad_up = _tril(grad_lu, -1)[..., :, :k], _triu(grad_lu)[..., :k, :]
    l1, u1 = low[..., :k, :], up[..., :, :k]
    lower, upper = _t(l1) @ grad_low[..., :k, :], grad_up[..., :, :k] @ _t(u1)
    if n > k:
        lower = lower - grad_up[..., :, k:] @ _t(up[..., :, k:])
    if m > k:
        upper = upper - _t(low[..., k:, :]) @ grad_low[..., k:, :]
    left = Solve.apply(_t(l1), _tril(lower, -1) + _triu(upper))  # L1^-T Phi
    grad_a = _t(Solve.apply(u1, _t(left)))
    if n > k:
        grad_a = cat([grad_a, Solve.apply(_t(l1), grad_up[..., :, k:])], -1)
    if m > k:
        grad_a = cat([grad_a, _t(Solve.apply(u1, _t(grad_low[..., k:, :])))], -2)
    return p @ grad_a


@rule(LUSolve)
def _lu_solve(ctx, out, grad):
    lu, x = ctx.inputs[0], out
    n = lu.shape[-1]
    p = const(ctx.p, grad)
    low, up = _tril(lu, -1) + const(np.eye(n), grad), _triu(lu)
    if ctx.adjoint:  # dL/dB = A^-1 G
        grad_b = Solve.apply(up, Solve.apply(low, _t(p) @ grad))
        h = -(x @ _t(grad_b))
    else:
        grad_b = p @ Solve.apply(_t(low), Solve.apply(_t(up), grad))
        h = -(grad_b @ _t(x))
    grad_lu = None
    if ctx.needs_input_grad[0]:
        ph = _t(p) @ h
        grad_lu = _tril(ph @ _t(up), -1) + _triu(_t(low) @ ph)
    return grad_lu, None, grad_b
