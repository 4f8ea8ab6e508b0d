"""LU with partial pivoting, A = P L U, for (..., m, n) matrices: NumPy has no getrf, so the
factorisation is written here column by column (LAPACK's pivot rule: the first entry of largest
magnitude), then lu_factor, lu, lu_unpack and lu_solve in torch.linalg's spellings.

Pivots follow LAPACK: int32, 1-based, row i swapped with row pivots[i] - 1 in turn. The factor
and its pivots leave the Function packed on one last axis (as decompositions.py's do), the
pivots as exact small floats, and the caller turns them back into int32."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .._checks import shape_str
from ..autograd.function import Function
from ..errors import ArgumentError, ShapeError
from .decompositions import _pack, unpacked
from .linear_solve import _broadcast_batches, _mT, _solve


def lu_factor_array(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(LU, pivots, info) of a stack of matrices; info is 1 + the first zero pivot's index, as
    getrf's (0 where U is invertible)."""
    m, n = a.shape[-2:]
    batch, k = a.shape[:-2], min(m, n)
    lu = np.array(a, copy=True).reshape((-1, m, n))
    pivots = np.zeros((lu.shape[0], k), np.int32)
    info = np.zeros(lu.shape[0], np.int32)
    rows = np.arange(lu.shape[0])
    for j in range(k):
        p = j + np.argmax(np.abs(lu[:, j:, j]), axis=-1)
        pivots[:, j] = p + 1
        top = lu[rows, j].copy()
        lu[rows, j] = lu[rows, p]
        lu[rows, p] = top
        pivot = lu[:, j, j]
        zero = pivot == 0
        info[(info == 0) & zero] = j + 1
        # a zero pivot leaves its column unscaled, as getrf does (the factor is then singular)
        lu[:, j + 1 :, j] /= np.where(zero, 1, pivot)[:, None]
        lu[:, j + 1 :, j + 1 :] -= lu[:, j + 1 :, j : j + 1] * lu[:, j : j + 1, j + 1 :]
    return lu.reshape(a.shape), pivots.reshape(batch + (k,)), info.reshape(batch)


def permutation(pivots: np.ndarray, m: int) -> np.ndarray:
    """perm with (P^T A)[i] = A[perm[i]]: the row swaps of the pivots applied in order."""
    pivots = np.asarray(pivots).astype(np.int64) - 1
    perm = np.broadcast_to(np.arange(m), pivots.shape[:-1] + (m,)).copy()
    rows = np.indices(pivots.shape[:-1]) if pivots.ndim > 1 else ()
    for i in range(pivots.shape[-1]):
        index = tuple(rows) + (i,)
        target = tuple(rows) + (pivots[..., i],)
        perm[index], perm[target] = perm[target], perm[index].copy()
    return perm


def unpack_array(lu: np.ndarray, pivots: np.ndarray):
    """(P, L, U) as arrays: L unit lower (m, k), U upper (k, n), P the (m, m) permutation."""
    m, n = lu.shape[-2:]
    k = min(m, n)
    low = np.tril(lu[..., :, :k], -1) + np.eye(m, k, dtype=lu.dtype)
    up = np.triu(lu[..., :k, :])
    perm = permutation(pivots, m)
    p = np.swapaxes(np.eye(m, dtype=lu.dtype)[perm], -1, -2)
    return p, low, up


class LUFactor(Function):
    """LU = L + U - I, P^T A = L U; packed [LU, pivots, info]. With k = min(m, n), L1, U1 the
    k x k blocks and L2, U2 the rest, Phi = tril_-1(L1^T G_L1 - G_U2 U2^T) + triu(G_U1 U1^T -
    L2^T G_L2) gives P^T dL/dA = [[L1^-T Phi U1^-T, L1^-T G_U2], [G_L2 U1^-T, .]] (worked out
    the way torch's linalg_lu_backward is, for the square, wide and tall cases)."""

    @staticmethod
    def forward(ctx, a):
        if a.ndim < 2:
            raise ShapeError(
                f"linalg.lu_factor: expected matrices (..., m, n), got {shape_str(a.shape)}."
            )
        lu, pivots, info = lu_factor_array(a)
        ctx.lu, ctx.pivots, ctx.shape = lu, pivots, a.shape[-2:]
        return _pack(lu, pivots.astype(a.dtype), info[..., None].astype(a.dtype))

    @staticmethod
    def backward(ctx, grad_y):
        m, n = ctx.shape
        k = min(m, n)
        grad_lu = unpacked(grad_y, [(m, n)])[0]
        p, low, up = unpack_array(ctx.lu, ctx.pivots)
        grad_low, grad_up = np.tril(grad_lu, -1)[..., :, :k], np.triu(grad_lu)[..., :k, :]
        l1, l2, u1, u2 = low[..., :k, :], low[..., k:, :], up[..., :, :k], up[..., :, k:]
        g_l1, g_l2 = grad_low[..., :k, :], grad_low[..., k:, :]
        g_u1, g_u2 = grad_up[..., :, :k], grad_up[..., :, k:]
        phi = np.tril(_mT(l1) @ g_l1 - g_u2 @ _mT(u2), -1) + np.triu(
            g_u1 @ _mT(u1) - _mT(l2) @ g_l2
        )
        grad_a = np.zeros(grad_lu.shape, grad_lu.dtype)
        left = _solve("linalg.lu_factor", _mT(l1), phi)  # L1^-T Phi
        grad_a[..., :k, :k] = _mT(_solve("linalg.lu_factor", u1, _mT(left)))
        grad_a[..., :k, k:] = _solve("linalg.lu_factor", _mT(l1), g_u2)
        grad_a[..., k:, :k] = _mT(_solve("linalg.lu_factor", u1, _mT(g_l2)))
        return (p @ grad_a).astype(grad_lu.dtype, copy=False)


class LUSolve(Function):
    """X with A X = B (A^T X = B if adjoint) for A = P L U given as (LU, pivots). Then
    dL/dB = A^-T G (A^-1 G), and with H = -dL/dB X^T (-X dL/dB^T if adjoint) the factor's
    gradient is tril_-1(P^T H U^T) + triu(L^T P^T H)."""

    @staticmethod
    def forward(ctx, lu, pivots, b, adjoint=False):
        p, low, up = unpack_array(lu, np.rint(pivots))
        ctx.p, ctx.low, ctx.up, ctx.adjoint = p, low, up, adjoint
        if adjoint:  # A^T = U^T L^T P^T
            x = p @ _solve("linalg.lu_solve", _mT(low), _solve("linalg.lu_solve", _mT(up), b))
        else:
            x = _solve("linalg.lu_solve", up, _solve("linalg.lu_solve", low, _mT(p) @ b))
        ctx.x = x
        return x

    @staticmethod
    def backward(ctx, grad_y):
        p, low, up, x = ctx.p, ctx.low, ctx.up, ctx.x
        if ctx.adjoint:  # dL/dB = A^-1 G
            grad_b = _solve("linalg.lu_solve", up, _solve("linalg.lu_solve", low, _mT(p) @ grad_y))
            h = -x @ _mT(grad_b)
        else:
            inner = _solve("linalg.lu_solve", _mT(low), _solve("linalg.lu_solve", _mT(up), grad_y))
            grad_b = p @ inner
            h = -grad_b @ _mT(x)
        grad_lu = None
        if ctx.needs_input_grad[0]:
            ph = _mT(p) @ h
            grad_lu = np.tril(ph @ _mT(up), -1) + np.triu(_mT(low) @ ph)
        return grad_lu, None, grad_b


def check_lu_solve(lu: Any, pivots: Any, b: Any) -> None:
    if lu.ndim < 2 or lu.shape[-1] != lu.shape[-2]:
        raise ShapeError(
            f"linalg.lu_solve: expected square LU factors (..., n, n), got "
            f"{shape_str(tuple(lu.shape))}."
        )
    if tuple(pivots.shape) != tuple(lu.shape[:-1]) or pivots.dtype != np.int32:
        raise ArgumentError(
            f"linalg.lu_solve: expected int32 pivots of shape "
            f"{shape_str(tuple(lu.shape[:-1]))}, got {pivots.dtype} of shape "
            f"{shape_str(tuple(pivots.shape))}."
        )
    if b.ndim < 2 or b.shape[-2] != lu.shape[-1] or tuple(b.shape[:-2]) != tuple(lu.shape[:-2]):
        raise ShapeError(
            f"linalg.lu_solve: expected B of shape (..., {lu.shape[-1]}, k) with "
            f"LU's batch {shape_str(tuple(lu.shape[:-2]))}, got "
            f"{shape_str(tuple(b.shape))}."
        )


def _factored(A: Any):  # noqa: N803
    """(LU, pivots, info) as Tensors: LU differentiable, the other two int32."""
    from ..dtypes import int32
    from .eigen import _matrices

    a = _matrices("linalg.lu_factor", A)
    m, n = a.shape[-2:]
    lu, pivots, info = unpacked(LUFactor.apply(a), [(m, n), (min(m, n),), ()])
    return lu, pivots.detach().to(int32), info.detach().to(int32)


def lu_factor_ex(A: Any, *, pivot: bool = True, check_errors: bool = False, who: Any = None):  # noqa: N803
    """(LU, pivots, info) as torch.linalg.lu_factor_ex: info > 0 names the first zero pivot of
    U (1-based), and the factor is returned all the same; check_errors=True raises instead."""
    if not pivot:
        raise ArgumentError(
            "linalg.lu_factor: expected pivot=True, got False.\nHint: torch computes LU without "
            "pivoting on CUDA only; on the CPU it refuses as well."
        )
    lu, pivots, info = _factored(A)
    if check_errors and info._data.any():
        _raise_singular("linalg.lu_factor_ex" if who is None else who, info._data)
    return LUFactorExResult(lu, pivots, info)


def lu_factor(A: Any, *, pivot: bool = True):  # noqa: N803
    """(LU, pivots) with P^T A = L U, as torch.linalg.lu_factor; a zero pivot raises LinAlgError
    (lu_factor_ex and lu return such a factor)."""
    lu, pivots, _ = lu_factor_ex(A, pivot=pivot, check_errors=True, who="linalg.lu_factor")
    return LUFactorResult(lu, pivots)


def lu_unpack(LU_data: Any, LU_pivots: Any, unpack_data: bool = True, unpack_pivots: bool = True):  # noqa: N803
    """(P, L, U) from lu_factor's result, as torch.lu_unpack (L and U differentiable)."""
    from .sorting import _tensor

    lu = _tensor(LU_data)
    m, n = lu.shape[-2:]
    k = min(m, n)
    empty = _tensor(np.empty((0,), lu.dtype))
    p = empty
    if unpack_pivots:
        perm = permutation(_tensor(LU_pivots)._data, m)
        p = _tensor(np.swapaxes(np.eye(m, dtype=lu.dtype)[perm], -1, -2).copy())
    if not unpack_data:
        return LUResult(p, empty, empty)
    eye = _tensor(np.eye(m, k, dtype=lu.dtype))
    low = lu[..., :, :k].tril(-1) + eye
    return LUResult(p, low, lu[..., :k, :].triu())


def lu(A: Any, *, pivot: bool = True):  # noqa: N803
    """(P, L, U) with A = P L U, as torch.linalg.lu, for any (..., m, n)."""
    factor, pivots = lu_factor(A, pivot=pivot)
    return lu_unpack(factor, pivots)


def lu_solve(LU: Any, pivots: Any, B: Any, *, left: bool = True, adjoint: bool = False):  # noqa: N803
    """X with A X = B from A's LU factors (A^T X = B if adjoint; X A = B if left=False), as
    torch.linalg.lu_solve. B's batch must match LU's."""
    from .sorting import _tensor

    factor, piv, b = _tensor(LU), _tensor(pivots), _tensor(B)
    if b.ndim >= 2 and factor.ndim >= 2 and tuple(b.shape[:-2]) != tuple(factor.shape[:-2]):
        factor, b = _broadcast_batches("linalg.lu_solve", factor, b)  # torch broadcasts them
        piv = piv.expand(*factor.shape[:-1])
    check_lu_solve(factor, piv, b if left else b.transpose(-2, -1))
    if left:
        return LUSolve.apply(factor, piv, b, adjoint=bool(adjoint))
    # X A = B is A^T X^T = B^T: the adjoint solve of the transposed system
    return LUSolve.apply(factor, piv, b.transpose(-2, -1), adjoint=not adjoint).transpose(-2, -1)


LUFactorResult = namedtuple("LUFactorResult", ["LU", "pivots"])
LUFactorExResult = namedtuple("LUFactorExResult", ["LU", "pivots", "info"])
LUResult = namedtuple("LUResult", ["P", "L", "U"])


def _raise_singular(who: str, info: np.ndarray) -> None:
    from ..errors import LinAlgError

    flat = info.reshape(-1)
    first = int(np.flatnonzero(flat)[0])
    where = f" (batch element {first})" if info.ndim else ""
    j = int(flat[first])  # 1-based, as torch's message and info count
    raise LinAlgError(
        f"{who}: expected U with nonzero pivots, got U[{j},{j}] = 0{where}: the matrix is "
        f"singular and lu_solve would divide by zero.\nHint: linalg.lu_factor_ex or linalg.lu "
        f"factor it all the same."
    )
