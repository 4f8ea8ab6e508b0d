"""Matrix norms, condition numbers and ranks (torch.linalg.matrix_norm, cond, matrix_rank), and
the *_ex forms of inv, solve and cholesky that report a singular or indefinite matrix through an
info code instead of raising. The norms compose ops that have gradients (abs, sum, amax, and
the singular values of decompositions.SVD), so they add no derivative of their own."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .._checks import shape_str
from ..errors import ArgumentError, LinAlgError, ShapeError
from .linear_solve import inv, solve
from .lu import lu_factor_array
from .sorting import _tensor
from ..cpugraph.capture import record_call

InvExResult = namedtuple("InvExResult", ["inverse", "info"])
SolveExResult = namedtuple("SolveExResult", ["result", "info"])
CholeskyExResult = namedtuple("CholeskyExResult", ["L", "info"])
_INF = float("inf")


def _two_dims(who: str, a: Any, dim: Any) -> tuple[int, int]:
    if a.ndim < 2:
        raise ShapeError(f"{who}: expected matrices (..., m, n), got {shape_str(tuple(a.shape))}.")
    if not isinstance(dim, (tuple, list)) or len(dim) != 2:
        raise ArgumentError(f"{who}: expected dim to be a pair of dimensions, got {dim!r}.")
    d0, d1 = (int(d) % a.ndim if -a.ndim <= int(d) < a.ndim else None for d in dim)
    if d0 is None or d1 is None or d0 == d1:
        raise ArgumentError(
            f"{who}: expected two distinct dimensions of a {a.ndim}-d tensor, got {tuple(dim)}."
        )
    return d0, d1


def _singular_values(a: Any, d0: int, d1: int):
    from .matrix_functions import svd

    moved = a.movedim((d0, d1), (-2, -1))
    return svd(moved).S


def matrix_norm(A: Any, ord: Any = "fro", dim: Any = (-2, -1), keepdim: bool = False):  # noqa: A002,N803
    """torch.linalg.matrix_norm: 'fro', 'nuc', inf, -inf, 1, -1, 2 or -2 over the two ``dim``.
    1 and inf are the largest column and row sums of |A|; 2 and 'nuc' the largest singular
    value and their sum; the negative orders take the smallest instead."""
    a = _tensor(A)
    who = "linalg.matrix_norm"
    d0, d1 = _two_dims(who, a, dim)
    if a.dtype.kind != "f":
        from ..errors import DTypeError

        raise DTypeError(f"{who}: expected a floating-point input, got dtype {a.dtype}.")
    if ord == "fro":
        out = a.square().sum((d0, d1)).sqrt()
    elif ord in ("nuc", 2, -2):
        s = _singular_values(a, d0, d1)
        out = s.sum(-1) if ord == "nuc" else (s.amax(-1) if ord == 2 else s.amin(-1))
    elif ord in (1, -1, _INF, -_INF):
        summed, across = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = a.abs().sum(summed, keepdim=True)
        out = sums.amax(across, keepdim=True) if ord > 0 else sums.amin(across, keepdim=True)
        out = out.squeeze((d0, d1)) if not keepdim else out
        return out
    else:
        raise ArgumentError(
            f"{who}: expected ord one of 'fro', 'nuc', inf, -inf, 1, -1, 2, -2, got {ord!r}."
        )
    if keepdim:
        for d in sorted((d0, d1)):
            out = out.unsqueeze(d)
    return out


def cond(A: Any, p: Any = None):  # noqa: N803
    """The condition number ||A|| ||A^-1|| in the norm p (None and 2 by singular values,
    s_max / s_min, so inf for a singular matrix; -2 gives s_min / s_max)."""
    a = _tensor(A)
    if a.ndim < 2:
        raise ShapeError(
            f"linalg.cond: expected matrices (..., m, n), got {shape_str(tuple(a.shape))}."
        )
    if p in (None, 2, -2):
        s = _singular_values(a, a.ndim - 2, a.ndim - 1)
        top, bottom = s[..., :1], s[..., -1:]  # svd sorts them descending
        with np.errstate(divide="ignore"):
            return (top / bottom if p != -2 else bottom / top).squeeze(-1)
    if a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"linalg.cond: expected square matrices for p={p!r}, got {shape_str(tuple(a.shape))}."
        )
    info = lu_factor_array(a._data)[2] if a._data.size else np.zeros(tuple(a.shape[:-2]), int)
    if info.any():  # torch gives inf for a singular matrix in these norms
        safe = np.where(info[..., None, None] > 0, np.eye(a.shape[-1], dtype=a.dtype), a._data)
        value = matrix_norm(a, p) * matrix_norm(inv(_tensor(safe)), p)
        return value.masked_fill(_tensor(info > 0), _INF)
    return matrix_norm(a, p) * matrix_norm(inv(a), p)


def matrix_rank(
    A: Any,  # noqa: N803
    *,
    atol: Any = None,
    rtol: Any = None,
    hermitian: bool = False,
):
    """The number of singular values above max(atol, rtol * s_max), as torch.linalg.matrix_rank:
    rtol defaults to eps * max(m, n) when atol is not given (or is 0), and to 0 otherwise."""
    a = _tensor(A)
    if a.ndim < 2:
        raise ShapeError(
            f"linalg.matrix_rank: expected matrices (..., m, n), got {shape_str(tuple(a.shape))}."
        )
    m, n = a.shape[-2:]
    given_atol = atol is not None and np.any(np.asarray(getattr(atol, "_data", atol)) > 0)
    float_dtype = a.dtype if a.dtype.kind == "f" else np.dtype(np.float64)
    if rtol is None:
        rtol = 0.0 if given_atol else np.finfo(float_dtype).eps * max(m, n)
    atol_v = np.asarray(getattr(atol, "_data", 0.0 if atol is None else atol), np.float64)
    rtol_v = np.asarray(getattr(rtol, "_data", rtol), np.float64)
    # recorded: a CPUGraph replay counts the new matrix's singular values
    return _tensor(record_call(_rank, a._data, atol_v, rtol_v, bool(hermitian)))


def _rank(data: np.ndarray, atol: np.ndarray, rtol: np.ndarray, hermitian: bool) -> np.ndarray:
    data = data if data.dtype.kind == "f" else data.astype(np.float64)
    if not data.size:
        s = np.zeros(data.shape[:-2] + (0,), data.dtype)
    elif hermitian:
        s = np.abs(np.linalg.eigvalsh(data))
    else:
        s = np.linalg.svd(data, compute_uv=False)
    tol = np.maximum(atol, rtol * s.max(-1, initial=0.0))
    return (s > tol[..., None]).sum(-1).astype(np.int64)


def _factor_info(a: Any) -> np.ndarray:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"linalg.inv_ex: expected square matrices (..., n, n), got {shape_str(tuple(a.shape))}."
        )
    return lu_factor_array(a._data)[2]


def _guarded(who: str, a: Any, info: np.ndarray, check_errors: bool, compute: Any):
    """compute(A) where each matrix is fine; NaN where info flags it (torch leaves garbage),
    or LinAlgError when check_errors asks for it."""
    bad = info > 0
    if not bad.any():
        return compute(a)
    if check_errors:
        first = int(np.flatnonzero(info.reshape(-1))[0])
        where = f" (batch element {first})" if info.ndim else ""
        raise LinAlgError(f"{who}: expected an invertible matrix, got a singular one{where}.")
    eye = np.eye(a.shape[-1], dtype=a.dtype)
    safe = a.masked_fill(_tensor(bad[..., None, None]), 0) + _tensor(bad[..., None, None] * eye)
    result = compute(safe)
    mask = bad.reshape(bad.shape + (1,) * (result.ndim - bad.ndim))
    return result.masked_fill(_tensor(mask), float("nan"))


def inv_ex(A: Any, *, check_errors: bool = False) -> InvExResult:  # noqa: N803
    """(A^-1, info) as torch.linalg.inv_ex: info > 0 marks a singular matrix (whose inverse is
    then NaN here), and only check_errors=True raises."""
    a = _tensor(A)
    info = _factor_info(a)
    return InvExResult(_guarded("linalg.inv_ex", a, info, check_errors, inv), _tensor(info))


def solve_ex(A: Any, B: Any, *, left: bool = True, check_errors: bool = False) -> SolveExResult:  # noqa: N803
    """(X, info) as torch.linalg.solve_ex (X NaN where A is singular, info > 0 there)."""
    a, b = _tensor(A), _tensor(B)
    info = _factor_info(a)
    if not left:
        x = _guarded("linalg.solve_ex", a.mT, info, check_errors, lambda m: solve(m, b.mT)).mT
    else:
        x = _guarded("linalg.solve_ex", a, info, check_errors, lambda m: solve(m, b))
    return SolveExResult(x, _tensor(info))


def _cholesky_info(a: np.ndarray) -> np.ndarray:
    """potrf's info: the order of the first leading minor that is not positive-definite."""
    n = a.shape[-1]
    work = np.array(a, dtype=np.float64).reshape((-1, n, n))
    info = np.zeros(work.shape[0], np.int32)
    low = np.zeros_like(work)
    for j in range(n):
        d = work[:, j, j] - np.sum(low[:, j, :j] ** 2, axis=-1)
        fails = (info == 0) & ~(d > 0)  # NaN fails too
        info[fails] = j + 1
        root = np.sqrt(np.where(d > 0, d, 1.0))
        low[:, j, j] = root
        below = work[:, j + 1 :, j] - np.einsum("bik,bk->bi", low[:, j + 1 :, :j], low[:, j, :j])
        low[:, j + 1 :, j] = below / root[:, None]
    return info.reshape(a.shape[:-2])


def cholesky_ex(A: Any, *, upper: bool = False, check_errors: bool = False) -> CholeskyExResult:  # noqa: N803
    """(L, info) as torch.linalg.cholesky_ex: info = k > 0 when the leading k x k minor is not
    positive-definite (L is NaN for that matrix here), 0 where the factor exists."""
    from .matrix_functions import cholesky

    a = _tensor(A)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(
            f"linalg.cholesky_ex: expected square matrices (..., n, n), got "
            f"{shape_str(tuple(a.shape))}."
        )
    info = _cholesky_info(a._data)
    if check_errors and info.any():
        raise LinAlgError(
            f"linalg.cholesky_ex: expected a symmetric positive-definite matrix, "
            f"got one whose leading minor of order {int(info.max())} is not."
        )
    factor = _guarded("linalg.cholesky_ex", a, info, False, lambda m: cholesky(m, upper=upper))
    return CholeskyExResult(factor, _tensor(info))
