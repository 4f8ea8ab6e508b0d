"""Determinants and matrix decompositions with their gradients: det, slogdet's log|det|,
cholesky, qr, svd and matrix_exp (torch's top-level forms are in matrix_functions.py).

A Function returns one array, so the decompositions return their factors packed side by side
along one last axis (``_pack``); the caller slices them apart (``unpacked``), and the slices'
gradients arrive packed the same way in backward."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..autograd.function import Function
from ..errors import ArgumentError, LinAlgError
from .linear_solve import _mT, _solve, _square


def _pack(*arrays: np.ndarray) -> np.ndarray:
    batch = arrays[0].shape[: arrays[0].ndim - 2] if arrays[0].ndim >= 2 else ()
    # each factor's own size, not -1: with an empty batch, -1 cannot be inferred
    sizes = [int(np.prod(a.shape[len(batch) :], dtype=np.int64)) for a in arrays]
    return np.concatenate([a.reshape(batch + (n,)) for a, n in zip(arrays, sizes)], axis=-1)


def unpacked(packed: Any, shapes: list) -> list:
    """The factors of a packed result (an array in backward, a Tensor for the caller, whose
    slices are differentiable)."""
    pieces, start = [], 0
    batch = tuple(packed.shape[:-1])
    for shape in shapes:
        size = int(np.prod(shape, dtype=np.int64))
        pieces.append(packed[..., start : start + size].reshape(batch + tuple(shape)))
        start += size
    return pieces


def _adjugate_t(a: np.ndarray) -> np.ndarray:
    """adj(A)^T = det(A) A^-T, by SVD so that singular matrices have it too:
    A = U S V^T gives adj(A) = det(U) det(V) V adj(S) U^T, adj(S)_i = prod of the other s."""
    u, s, vt = np.linalg.svd(a)
    others = np.stack([np.prod(np.delete(s, i, axis=-1), axis=-1) for i in range(s.shape[-1])], -1)
    sign = np.linalg.det(u) * np.linalg.det(vt)
    adjugate = (_mT(vt) * others[..., None, :]) @ _mT(u) * sign[..., None, None]
    return _mT(adjugate)


class Det(Function):
    """y = det A; dy/dA = adj(A)^T (det(A) A^-T where A is invertible)."""

    @staticmethod
    def forward(ctx, a):
        _square("det", a)
        ctx.a = a
        return np.linalg.det(a)

    @staticmethod
    def backward(ctx, grad_y):
        if ctx.a.shape[-1] == 0:
            return np.zeros_like(ctx.a)
        return (np.asarray(grad_y)[..., None, None] * _adjugate_t(ctx.a)).astype(ctx.a.dtype)


class LogAbsDet(Function):
    """y = log |det A|; dy/dA = A^-T."""

    @staticmethod
    def forward(ctx, a):
        _square("slogdet", a)
        ctx.a = a
        with np.errstate(divide="ignore"):
            return np.linalg.slogdet(a)[1].astype(a.dtype)

    @staticmethod
    def backward(ctx, grad_y):
        eye = np.broadcast_to(np.eye(ctx.a.shape[-1], dtype=ctx.a.dtype), ctx.a.shape)
        return np.asarray(grad_y)[..., None, None] * _mT(_solve("slogdet", ctx.a, eye))


def _tril_half(m: np.ndarray) -> np.ndarray:
    """The lower triangle with the diagonal halved (the Phi of Murray's Cholesky derivative)."""
    lower = np.tril(m)
    return lower - 0.5 * np.tril(np.triu(m))


class Cholesky(Function):
    """L with A = L L^T; dL/dA = sym(L^-T Phi(L^T G) L^-1), Phi the lower triangle with half
    its diagonal (I. Murray, "Differentiation of the Cholesky decomposition", 2016)."""

    @staticmethod
    def forward(ctx, a):
        _square("cholesky", a)
        try:
            if not np.isfinite(
                a
            ).all():  # LAPACK passes NaN through: no factor exists, as torch says
                raise np.linalg.LinAlgError
            ctx.low = np.linalg.cholesky(a)
        except np.linalg.LinAlgError:
            raise LinAlgError(
                "cholesky: expected a symmetric positive-definite matrix, got one that is not."
            ) from None
        return ctx.low

    @staticmethod
    def backward(ctx, grad_y):
        low = ctx.low
        phi = _tril_half(_mT(low) @ grad_y)
        # L^-T Phi^T L^-1 by two solves (its transpose, L^-T Phi L^-1, symmetrises the same)
        inner = _solve("cholesky", _mT(low), _mT(_solve("cholesky", _mT(low), _mT(phi))))
        return 0.5 * (inner + _mT(inner))


class QR(Function):
    """A = Q R (reduced for m >= n); packed [Q, R]. With M = R G_R^T - G_Q^T Q,
    dL/dA = (G_Q + Q copyltu(M)) R^-T, copyltu(M) = tril(M) + tril(M, -1)^T (Walter and
    Lehmann, "Algorithmic differentiation of linear algebra functions", 2018)."""

    @staticmethod
    def forward(ctx, a, complete=False):
        q, r = np.linalg.qr(a, mode="complete" if complete else "reduced")
        ctx.q, ctx.r, ctx.shapes = q, r, [q.shape[-2:], r.shape[-2:]]
        return _pack(q, r)

    @staticmethod
    def backward(ctx, grad_y):
        q, r = ctx.q, ctx.r
        if q.shape[-1] != r.shape[-1] and r.shape[-2] < r.shape[-1]:
            raise ArgumentError(
                "qr: expected m >= n (or mode 'reduced' with m >= n) for a "
                "gradient, got a wide matrix."
            )
        if q.shape[-1] != r.shape[-1]:  # a square Q's extra columns are not unique: torch refuses
            raise ArgumentError(
                "qr: expected mode 'reduced' for the gradient of a tall matrix, got mode "
                "'complete'.\nHint: torch.linalg.qr(A) (reduced) has a gradient."
            )
        grad_q, grad_r = unpacked(grad_y, ctx.shapes)
        m = r @ _mT(grad_r) - _mT(grad_q) @ q
        copied = np.tril(m) + _mT(np.tril(m, -1))
        b = grad_q + q @ copied
        return _mT(_solve("qr", r, _mT(b)))


class SVD(Function):
    """A = U diag(S) V^T (reduced), packed [U, S, V]. For distinct singular values, with
    F_ij = 1 / (s_j^2 - s_i^2) (0 on the diagonal), dL/dA =
    U [(F o (U^T G_U - G_U^T U)) S + diag(G_S) + S (F o (V^T G_V - G_V^T V))] V^T
    + (I - U U^T) G_U S^-1 V^T + U S^-1 G_V^T (I - V V^T) (J. Townsend, 2016)."""

    @staticmethod
    def forward(ctx, a):
        if not np.isfinite(a).all():  # NumPy's LinAlgError is a ValueError; torch's a RuntimeError
            raise ArgumentError(
                f"svd: expected a matrix of finite values, got {np.isnan(a).sum()} NaN and "
                f"{np.isinf(a).sum()} infinite values."
            )
        u, s, vt = np.linalg.svd(a, full_matrices=False)
        v = _mT(vt)
        ctx.u, ctx.s, ctx.v = u, s, v
        ctx.shapes = [u.shape[-2:], s.shape[-1:], v.shape[-2:]]
        return _pack(u, s, v)

    @staticmethod
    def backward(ctx, grad_y):
        u, s, v = ctx.u, ctx.s, ctx.v
        grad_u, grad_s, grad_v = unpacked(grad_y, ctx.shapes)
        square = s * s
        with np.errstate(divide="ignore"):
            gaps = square[..., None, :] - square[..., :, None]
            f = np.where(gaps == 0, 0, 1 / np.where(gaps == 0, 1, gaps))
            inverse = np.where(s == 0, 0, 1 / np.where(s == 0, 1, s))
        ut_gu, vt_gv = _mT(u) @ grad_u, _mT(v) @ grad_v
        j = f * (ut_gu - _mT(ut_gu))
        k = f * (vt_gv - _mT(vt_gv))
        core = j * s[..., None, :] + k * s[..., :, None]
        core = core + np.eye(s.shape[-1], dtype=s.dtype) * grad_s[..., None, :]
        grad_a = u @ core @ _mT(v)
        grad_a = grad_a + (grad_u - u @ ut_gu) * inverse[..., None, :] @ _mT(v)
        grad_a = grad_a + u @ (_mT(grad_v - v @ vt_gv) * inverse[..., :, None])
        return grad_a.astype(u.dtype, copy=False)


def expm_array(a: np.ndarray) -> np.ndarray:
    """exp(A) by scaling and squaring: a Taylor series of A / 2^k, with ||A / 2^k|| <= 1/2,
    to 20 terms (below float64's rounding there), squared k times."""
    norm = np.max(np.abs(a).sum(axis=-2), axis=-1, initial=0.0) if a.size else np.zeros(0)
    k = int(max(0, np.ceil(np.log2(max(float(np.max(norm, initial=0.0)), 1e-300) / 0.5))))
    scaled = a / (2.0**k)
    term = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape).copy()
    total = term.copy()
    for n in range(1, 21):
        term = term @ scaled / n
        total = total + term
    for _ in range(k):
        total = total @ total
    return total


class MatrixExp(Function):
    """Y = exp(A); dL/dA is the top-right block of exp([[A^T, G], [0, A^T]]) (the Fréchet
    derivative of exp in the direction G, transposed: Najfeld and Havel, 1995)."""

    @staticmethod
    def forward(ctx, a):
        _square("matrix_exp", a)
        ctx.a = a
        return expm_array(a)

    @staticmethod
    def backward(ctx, grad_y):
        n = ctx.a.shape[-1]
        at = _mT(ctx.a)
        block = np.zeros(ctx.a.shape[:-2] + (2 * n, 2 * n), dtype=ctx.a.dtype)
        block[..., :n, :n] = at
        block[..., n:, n:] = at
        block[..., :n, n:] = grad_y
        return expm_array(block)[..., :n, n:]
