"""Linear systems: solve(A, B) and inv(A), for square A, and pinv(A) for any A (torch.linalg's).
Their gradients come from d(A^-1) = -A^-1 dA A^-1, so both backward passes solve with A^T once
more; pinv's adds the terms for the spaces A does not reach (Golub and Pereyra, 1973)."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .._checks import shape_str
from ..autograd.function import Function
from ..cpugraph.capture import record_call
from ..errors import ArgumentError, DTypeError, LinAlgError, GraphError, ShapeError


def _square(who: str, a: np.ndarray) -> None:
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ShapeError(f"{who}: expected square matrices (..., n, n), got {shape_str(a.shape)}.")


def _solve(who: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        raise LinAlgError(
            f"{who}: expected an invertible matrix, got a singular one{_zero_pivot(a)}.\n"
            f"Hint: linalg.lstsq gives a least-squares answer for singular systems."
        ) from None


def _zero_pivot(a: np.ndarray) -> str:
    """Where the matrix is singular, as torch's message says it: the batch element and the
    1-based diagonal element of U (LAPACK's getrf info) that is zero."""
    from .lu import lu_factor_array

    info = np.asarray(lu_factor_array(a)[2])
    flat = info.reshape(-1)
    if not flat.any():
        return ""
    first = int(np.flatnonzero(flat)[0])
    where = f"batch element {first}: " if info.ndim else ""
    return f" ({where}the diagonal element {int(flat[first])} of its LU factor U is zero)"


def _mT(x: np.ndarray) -> np.ndarray:  # noqa: N802
    return np.swapaxes(x, -1, -2)


class Solve(Function):
    """X = A^-1 B; dL/dB = A^-T G, dL/dA = -(dL/dB) X^T (a vector B is a one-column matrix)."""

    @staticmethod
    def forward(ctx, a, b):
        _square("linalg.solve", a)
        if b.ndim == 1 and a.ndim != 2 or b.shape[: -1 if b.ndim > 1 else None] != a.shape[:-1]:
            raise ShapeError(
                f"linalg.solve: expected B of shape (..., n) or (..., n, k) matching A's "
                f"{shape_str(a.shape)}, got {shape_str(b.shape)}."
            )
        x = _solve("linalg.solve", a, b)
        ctx.save(a=a, x=x)
        return x

    @staticmethod
    def backward(ctx, grad_y):
        vector = ctx.x.ndim == 1
        grad_y2 = grad_y[:, None] if vector else grad_y
        x2 = ctx.x[:, None] if vector else ctx.x
        grad_b = _solve("linalg.solve", _mT(ctx.a), grad_y2)
        grad_a = -grad_b @ _mT(x2)
        return grad_a, (grad_b[:, 0] if vector else grad_b)


class Inv(Function):
    """Y = A^-1; dL/dA = -Y^T G Y^T."""

    @staticmethod
    def forward(ctx, a):
        _square("linalg.inv", a)
        y = _solve("linalg.inv", a, np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape))
        ctx.save(y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        return -_mT(ctx.y) @ grad_y @ _mT(ctx.y)


def solve(A: Any, B: Any, *, left: bool = True):  # noqa: N803
    """X with A X = B (X A = B if left=False), as torch.linalg.solve. B is a vector, or a batch
    of vectors, when it is 1-D or has A's shape without its last dim (torch's rule); otherwise
    a batch of (n, k) matrices. The batch dims of A and B broadcast."""
    from .sorting import _tensor

    a, b = _tensor(A), _tensor(B)
    _floating("linalg.solve", a)
    _square("linalg.solve", a._data)
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and tuple(b.shape) == tuple(a.shape[:-1]))
    b2 = b.unsqueeze(-1) if vector else b
    n = a.shape[-1]
    if b2.ndim < 2 or b2.shape[-2 if left else -1] != n:
        rows, cols = (b2.shape[-2], b2.shape[-1]) if b2.ndim >= 2 else (b2.shape[-1], 1)
        raise ShapeError(
            f"linalg.solve: expected B of shape (..., {n}) or (..., {n}, k) (for {'AX' if left else 'XA'} "
            f"= B with A {n}x{n}), got {shape_str(tuple(b.shape))} (a {rows}x{cols} B)."
        )
    a2, b2 = _broadcast_batches("linalg.solve", a, b2)
    x = Solve.apply(a2, b2) if left else Solve.apply(a2.mT, b2.mT).mT
    return x.squeeze(-1) if vector else x


def _broadcast_batches(who: str, a: Any, b: Any):
    """a and b expanded to one batch shape (expand sums the gradient back, as torch's does)."""
    if tuple(a.shape[:-2]) == tuple(b.shape[:-2]):
        return a, b
    try:
        batch = np.broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    except ValueError:
        raise ShapeError(
            f"{who}: expected batch dims that broadcast together, got A {shape_str(tuple(a.shape))} "
            f"and B {shape_str(tuple(b.shape))}."
        ) from None
    return a.expand(*batch, *a.shape[-2:]), b.expand(*batch, *b.shape[-2:])


def _floating(who: str, a: Any) -> None:
    if a.dtype.kind != "f":  # NumPy would solve integers in float64, quietly
        raise DTypeError(
            f"{who}: expected a floating-point tensor, got dtype {a.dtype}.\nHint: A.float()."
        )


def inv(A: Any):  # noqa: N803
    """A^-1, as torch.linalg.inv."""
    _floating("linalg.inv", A)
    return Inv.apply(A)


class Pinv(Function):
    """X = A^+ (Moore-Penrose), by SVD; for a constant rank,
    dL/dA = -X^T G X^T + (I - A X) G^T X X^T + X^T X G^T (I - X A)."""

    @staticmethod
    def forward(ctx, a, rtol, hermitian):
        x = np.linalg.pinv(a, rcond=rtol, hermitian=hermitian).astype(a.dtype, copy=False)
        ctx.save(a=a, x=x)
        return x

    @staticmethod
    def backward(ctx, grad_y):
        a, x = ctx.a, ctx.x
        xt, gt = _mT(x), _mT(grad_y)
        left = np.eye(a.shape[-2], dtype=a.dtype) - a @ x  # projects onto what A cannot reach
        right = np.eye(a.shape[-1], dtype=a.dtype) - x @ a
        return -xt @ grad_y @ xt + left @ gt @ x @ xt + xt @ x @ gt @ right


def pinv(A: Any, *, atol: Any = None, rtol: Any = None, hermitian: bool = False):  # noqa: N803
    """The pseudo-inverse A^+ of (..., m, n) matrices, as torch.linalg.pinv: singular values
    below rtol * the largest are treated as zero (default: eps * max(m, n), as torch)."""
    if A.ndim < 2:
        raise ShapeError(f"linalg.pinv: expected matrices (..., m, n), got {shape_str(A.shape)}.")
    if atol is not None:
        raise ArgumentError(
            "linalg.pinv: expected atol=None, got a value.\nHint: pass rtol, relative to the "
            "largest singular value."
        )
    if rtol is None:
        rtol = np.finfo(A.dtype).eps * max(A.shape[-2:])
    return Pinv.apply(A, rtol=float(rtol), hermitian=bool(hermitian))


LstsqResult = namedtuple("LstsqResult", ["solution", "residuals", "rank", "singular_values"])


def lstsq(A: Any, B: Any, rcond: Any = None, *, driver: Any = None):  # noqa: N803
    """The least-squares X minimising ||A X - B|| for a 2-D A, without gradients (torch's
    default CPU driver, gelsy, leaves residuals and singular values empty: so does this)."""
    from ..autograd.grad_mode import is_grad_enabled
    from ..autograd.tensor import Tensor

    a, b = (t if isinstance(t, Tensor) else Tensor._of(t) for t in (A, B))
    if is_grad_enabled() and (a.requires_grad or b.requires_grad):
        raise GraphError(
            "linalg.lstsq: expected inputs without requires_grad, got one that requires it.\n"
            "Hint: chainrule's lstsq has no gradient; use linalg.solve on the normal equations."
        )
    if a.ndim != 2:
        raise ShapeError(f"linalg.lstsq: expected a 2-D A, got {shape_str(a.shape)}.")
    rank = np.zeros((), dtype=np.int64)
    # recorded: a CPUGraph replay solves each batch's system (and rewrites rank)
    solution = record_call(_solved, a._data, b._data, rcond, rank)
    empty = np.zeros(0, dtype=a.dtype)
    return LstsqResult(
        Tensor._wrap(solution), Tensor._wrap(empty), Tensor._wrap(rank), Tensor._wrap(empty.copy())
    )


def _solved(a: np.ndarray, b: np.ndarray, rcond: Any, rank: np.ndarray) -> np.ndarray:
    solution, _, rank[...], _ = np.linalg.lstsq(a, b, rcond=rcond)
    return solution.astype(a.dtype, copy=False)
