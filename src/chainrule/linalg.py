"""chainrule.linalg, where torch keeps its linear algebra: solve, inv, pinv, lstsq and norms;
the decompositions (cholesky, qr, svd), determinants and solve_triangular in torch.linalg's
spellings over the same Functions torch.det, torch.svd and friends use."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .functional import matrix_functions as _top
from .functional.linear_solve import inv, lstsq, pinv, solve
from .functional.matrix_functions import matrix_exp, matrix_power, slogdet
from .errors import LinAlgError
from .functional.sorting import _tensor
from .functional.eigen import eig, eigh, eigvals, eigvalsh
from .functional.lu import lu, lu_factor, lu_factor_ex, lu_solve
from .functional.matrix_norms import cholesky_ex, cond, inv_ex, matrix_norm, matrix_rank, solve_ex

SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])
QRResult = namedtuple("QRResult", ["Q", "R"])


def det(A: Any):  # noqa: N803
    return _top.det(A)


def cholesky(A: Any, *, upper: bool = False):  # noqa: N803
    """L with A = L L^H (or U with A = U^H U when upper=True); upper is keyword-only as in torch."""
    return _top.cholesky(A, upper=upper)


def svd(A: Any, full_matrices: bool = True) -> SVDResult:  # noqa: N803
    """A = U diag(S) Vh: torch.linalg's convention gives Vh (torch.svd gives V); full_matrices
    defaults to True as torch's, and, as there, only full_matrices=False has U and Vh gradients."""
    u, s, v = _top.svd(A, some=not full_matrices)
    return SVDResult(u, s, v.transpose(-2, -1))


def svdvals(A: Any):  # noqa: N803
    """The singular values, descending; their gradient U diag(G) V^T needs no gap division."""
    a = _tensor(A)
    if a.ndim < 2:
        from .errors import ShapeError

        raise ShapeError(f"linalg.svdvals: expected matrices (..., m, n), got {tuple(a.shape)}.")
    return _top.svd(a).S


def qr(A: Any, mode: str = "reduced") -> QRResult:  # noqa: N803
    """Q R = A; mode 'reduced' (the default), 'complete' (square Q) or 'r' (an empty Q)."""
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"linalg.qr: expected mode 'reduced', 'complete' or 'r', got {mode!r}.")
    q, r = _top.qr(A, some=mode != "complete")
    return QRResult(_tensor(np.empty((0,), q.dtype)) if mode == "r" else q, r)


def solve_triangular(
    A: Any,  # noqa: N803
    B: Any,  # noqa: N803
    *,
    upper: bool,
    left: bool = True,
    unitriangular: bool = False,
):
    """X with A X = B (XA = B when left=False) for triangular A. Only A's triangle is read, as
    torch reads it, so the other entries get no gradient and may hold anything."""
    a = _tensor(A)
    side = a.triu(1) if upper else a.tril(-1)
    if unitriangular:
        a = side + _tensor(np.eye(a.shape[-1], dtype=a.dtype))
    else:
        a = a.triu() if upper else a.tril()
    if left:
        return solve(a, B)
    return solve(a.transpose(-2, -1), _tensor(B).transpose(-2, -1)).transpose(-2, -1)


def multi_dot(tensors: Any):
    """The product of the matrices left to right (1-D first and last act as row and column)."""
    return _top.chain_matmul(list(tensors)) if len(tensors) > 1 else _tensor(tensors[0])


def vecdot(x: Any, y: Any, *, dim: int = -1):
    return (_tensor(x) * y).sum(dim)


def matmul(input: Any, other: Any):  # noqa: A002
    return _tensor(input) @ other


def cross(input: Any, other: Any, *, dim: int = -1):  # noqa: A002
    """The cross product along ``dim``, -1 by default (torch.cross's default differs)."""
    return _tensor(input).cross(other, dim=dim)


def diagonal(A: Any, *, offset: int = 0, dim1: int = -2, dim2: int = -1):  # noqa: N803
    return _tensor(A).diagonal(offset, dim1, dim2)


def vector_norm(x: Any, ord: Any = 2, dim: Any = None, keepdim: bool = False):  # noqa: A002
    """The p-norm of x's elements (over ``dim`` if given), as torch.linalg.vector_norm."""
    return x.norm(ord, dim, keepdim)


def norm(A: Any, ord: Any = None, dim: Any = None, keepdim: bool = False):  # noqa: A002,N803
    """torch.linalg.norm: a vector norm over one dim (or all of a 1-D A), a matrix norm over two
    (all of a 2-D A); ord None is the 2-norm of vectors, the Frobenius norm of matrices."""
    a = _tensor(A)
    pair = isinstance(dim, (tuple, list)) and len(dim) == 2
    if pair or (dim is None and ord is not None and a.ndim == 2):
        return matrix_norm(a, "fro" if ord is None else ord, tuple(dim or (-2, -1)), keepdim)
    if ord in (None, "fro"):
        return a.norm(2, dim, keepdim)
    return a.norm(ord, dim, keepdim)


__all__ = [
    "LinAlgError",
    "cond",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "lu",
    "lu_factor",
    "lu_factor_ex",
    "lu_solve",
    "matrix_norm",
    "matrix_rank",
    "cholesky",
    "cholesky_ex",
    "cross",
    "diagonal",
    "inv_ex",
    "matmul",
    "multi_dot",
    "solve_ex",
    "vecdot",
    "det",
    "inv",
    "lstsq",
    "matrix_exp",
    "matrix_power",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_triangular",
    "svd",
    "svdvals",
    "vector_norm",
]
