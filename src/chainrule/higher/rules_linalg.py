"""create_graph rules for inv, solve, det, slogdet and cholesky (see rules.py): each ndarray
backward again with matrix products and the ops themselves, so they differentiate again."""

from __future__ import annotations

import numpy as np

from ..errors import UnsupportedError
from ..functional.decompositions import Cholesky, Det, LogAbsDet
from ..functional.indexing import Triangle
from ..functional.linear_solve import Inv, Solve
from .rules import rule


def _t(m):
    return m.transpose(-1, -2)


def _scalar_times(grad, matrix):
    """grad (...) times a batch of matrices (..., n, n)."""
    return grad.unsqueeze(-1).unsqueeze(-1) * matrix


@rule(Inv)
def _inv(ctx, out, grad):
    return -(_t(out) @ grad @ _t(out))


@rule(Solve)
def _solve(ctx, out, grad):
    a, b = ctx.inputs
    vector = out.ndim == 1
    grad2 = grad.unsqueeze(-1) if vector else grad
    x2 = out.unsqueeze(-1) if vector else out
    grad_b = Solve.apply(_t(a), grad2)
    need_a, need_b = ctx.needs_input_grad
    return (
        -(grad_b @ _t(x2)) if need_a else None,
        (grad_b.squeeze(-1) if vector else grad_b) if need_b else None,
    )


def _invertible(ctx) -> None:
    if not np.all(np.isfinite(np.linalg.cond(ctx.a))) or np.any(np.linalg.det(ctx.a) == 0):
        raise UnsupportedError(
            f"backward(create_graph=True): expected an invertible matrix for "
            f"{type(ctx).op_name()}'s second derivative, got a singular one.\nHint: torch "
            f"differentiates det there through an SVD; chainrule has that in first order only."
        )


@rule(Det)
def _det(ctx, out, grad):  # d det / dA = det A^-T
    _invertible(ctx)
    return _scalar_times(grad * out, _t(Inv.apply(ctx.inputs[0])))


@rule(LogAbsDet)
def _logabsdet(ctx, out, grad):  # d log|det| / dA = A^-T
    _invertible(ctx)
    return _scalar_times(grad, _t(Inv.apply(ctx.inputs[0])))


@rule(Cholesky)
def _cholesky(ctx, out, grad):
    # Murray's dL/dA = sym(L^-T Phi(L^T G) L^-1), Phi the lower triangle with half its diagonal
    low = out
    inner = _t(low) @ grad
    phi = (
        Triangle.apply(inner, upper=False, diagonal=0)
        - Triangle.apply(Triangle.apply(inner, upper=True, diagonal=0), upper=False, diagonal=0)
        * 0.5
    )
    inv_low = Inv.apply(low)
    middle = _t(inv_low) @ _t(phi) @ inv_low
    return (middle + _t(middle)) * 0.5
