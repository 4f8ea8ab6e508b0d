"""Eigendecompositions: eigh (symmetric A, read from one triangle) and eig, restricted to
matrices with a real spectrum because chainrule has no complex dtype.

Both return eigenvalues and eigenvectors packed side by side on one last axis, as the other
decompositions do (decompositions.py); both gradients follow torch's linalg_eig_backward, whose
divisions by eigenvalue gaps make them infinite or NaN where two eigenvalues coincide: torch
documents that caveat for eigenvectors (eigenvalues alone have a finite gradient there)."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .._checks import shape_str
from ..autograd.function import Function
from ..errors import ArgumentError, LinAlgError, ShapeError, UnsupportedError
from .decompositions import _pack, unpacked
from .linear_solve import _mT, _solve
from .sorting import _tensor

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])
EigResult = namedtuple("EigResult", ["eigenvalues", "eigenvectors"])


def _square(who: str, a: np.ndarray) -> None:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"{who}: expected square matrices (..., n, n), got {shape_str(a.shape)}.")


def _finite(who: str, a: np.ndarray) -> None:
    if not np.isfinite(a).all():  # LAPACK would loop or answer garbage; torch raises
        raise LinAlgError(f"{who}: expected a matrix of finite values, got NaN or inf.")


def _gaps(w: np.ndarray) -> np.ndarray:
    """E_ij = w_j - w_i off the diagonal, 1 on it (torch's Econj for real spectra)."""
    gaps = w[..., None, :] - w[..., :, None]
    eye = np.eye(w.shape[-1], dtype=bool)
    return np.where(eye, 1.0, gaps).astype(w.dtype, copy=False)


class Eigh(Function):
    """A = V diag(w) V^T for symmetric A; packed [V, w]. With the skew part
    S = (V^T G_V - G_V^T V) / 2, dL/dA = V (S / E + diag(G_w)) V^T, E_ij = w_j - w_i."""

    @staticmethod
    def forward(ctx, a, upper=False):
        _square("linalg.eigh", a)
        _finite("linalg.eigh", a)
        w, v = np.linalg.eigh(a, UPLO="U" if upper else "L")
        ctx.w, ctx.v, ctx.shapes = w, v, [v.shape[-2:], w.shape[-1:]]
        return _pack(v, w)  # V first: _pack reads the batch shape from the first

    @staticmethod
    def backward(ctx, grad_y):
        w, v = ctx.w, ctx.v
        grad_v, grad_w = unpacked(grad_y, ctx.shapes)
        inner = np.zeros_like(v)
        if np.any(grad_v):  # eigenvalues alone: no gap division, finite at repeated ones
            vt_gv = _mT(v) @ grad_v
            with np.errstate(divide="ignore", invalid="ignore"):
                inner = 0.5 * (vt_gv - _mT(vt_gv)) / _gaps(w)
        inner = inner + np.eye(w.shape[-1], dtype=w.dtype) * grad_w[..., None, :]
        return (v @ inner @ _mT(v)).astype(v.dtype, copy=False)


class Eig(Function):
    """A = V diag(w) V^-1 for a real spectrum; packed [V, w] (unit columns, as LAPACK's). With
    M = V^T G_V - V^T V diag(diag(V^T G_V)), dL/dA = V^-T (M / E + diag(G_w)) V^T."""

    @staticmethod
    def forward(ctx, a):
        _square("linalg.eig", a)
        _finite("linalg.eig", a)
        w, v = np.linalg.eig(a)
        if np.iscomplexobj(w):
            if np.any(w.imag != 0):
                raise UnsupportedError(
                    "linalg.eig: expected a matrix with real eigenvalues, got one with complex "
                    "eigenvalues.\nHint: chainrule has no complex dtype; for a symmetric matrix "
                    "use linalg.eigh, or use torch for complex spectra."
                )
            w, v = w.real, v.real
        w, v = w.astype(a.dtype, copy=False), v.astype(a.dtype, copy=False)
        ctx.w, ctx.v, ctx.shapes = w, v, [v.shape[-2:], w.shape[-1:]]
        return _pack(v, w)  # V first: _pack reads the batch shape from the first

    @staticmethod
    def backward(ctx, grad_y):
        w, v = ctx.w, ctx.v
        grad_v, grad_w = unpacked(grad_y, ctx.shapes)
        inner = np.zeros_like(v)
        if np.any(grad_v):
            vt_gv = _mT(v) @ grad_v
            diag = np.diagonal(vt_gv, axis1=-2, axis2=-1)
            # the columns' unit norm is a constraint: remove the part of G_V along it
            vt_gv = vt_gv - _mT(v) @ (v * diag[..., None, :])
            with np.errstate(divide="ignore", invalid="ignore"):
                inner = vt_gv / _gaps(w)
        inner = inner + np.eye(w.shape[-1], dtype=w.dtype) * grad_w[..., None, :]
        return _solve("linalg.eig", _mT(v), inner @ _mT(v)).astype(v.dtype, copy=False)


def _matrices(who: str, A: Any):  # noqa: N803
    a = _tensor(A)
    if a.ndim < 2:
        raise ShapeError(f"{who}: expected matrices (..., n, n), got {shape_str(tuple(a.shape))}.")
    if a.dtype.kind != "f":
        from ..errors import DTypeError

        raise DTypeError(f"{who}: expected a floating-point matrix, got dtype {a.dtype}.")
    return a


def eigh(A: Any, UPLO: str = "L") -> EighResult:  # noqa: N803
    """Eigenvalues (ascending) and orthonormal eigenvectors of symmetric matrices, read from the
    lower triangle (UPLO='L') or the upper one ('U'), as torch.linalg.eigh. Each eigenvector's
    sign is LAPACK's choice: a loss should not depend on it.

    >>> import chainrule as cr
    >>> cr.linalg.eigh(cr.tensor([[2.0, 1.0], [1.0, 2.0]])).eigenvalues
    tensor([1., 3.])
    """
    if UPLO not in ("L", "U"):
        raise ArgumentError(f"linalg.eigh: expected UPLO 'L' or 'U', got {UPLO!r}.")
    a = _matrices("linalg.eigh", A)
    n = a.shape[-1]
    v, w = unpacked(Eigh.apply(a, upper=UPLO == "U"), [(n, n), (n,)])
    return EighResult(w, v)


def eigvalsh(A: Any, UPLO: str = "L"):  # noqa: N803
    """The eigenvalues of eigh alone; their gradient V diag(G) V^T stays finite when some
    eigenvalues coincide."""
    return eigh(A, UPLO).eigenvalues


def eig(A: Any) -> EigResult:  # noqa: N803
    """torch.linalg.eig for matrices whose eigenvalues are all real, as real tensors (torch's are
    complex): chainrule has no complex dtype, so a complex spectrum raises UnsupportedError.
    The order of the eigenvalues is LAPACK's, unsorted, as torch's."""
    a = _matrices("linalg.eig", A)
    n = a.shape[-1]
    v, w = unpacked(Eig.apply(a), [(n, n), (n,)])
    return EigResult(w, v)


def eigvals(A: Any):  # noqa: N803
    """The eigenvalues of eig alone (real spectra only, as eig)."""
    return eig(A).eigenvalues
