"""torch's top-level linear algebra (torch.det, torch.svd, torch.cov, ...): thin forms over the
Functions in decompositions.py and linear_solve.py, or compositions of matmul, sum and friends
(whose gradients those ops already have)."""

from __future__ import annotations

from collections import namedtuple
from functools import reduce
from typing import Any

import numpy as np

from .._checks import check_dim, fail_dtype, fail_shape, fail_value, shape_str
from ..autograd.grad_mode import is_grad_enabled
from .decompositions import QR, SVD, Cholesky, Det, LogAbsDet, MatrixExp, unpacked
from .indexing import outer
from .linear_solve import inv, pinv, solve
from .sorting import _tensor
from .shape_extras import tensordot

SlogDet = namedtuple("SlogDet", ["sign", "logabsdet"])
QRResult = namedtuple("QRResult", ["Q", "R"])
SVDResult = namedtuple("SVDResult", ["U", "S", "V"])


def _matrices(who: str, a: Any):
    a = _tensor(a)
    if a.ndim < 2:
        fail_shape(who, "matrices (..., m, n)", shape_str(tuple(a.shape)))
    return a


def det(input: Any):  # noqa: A002
    return Det.apply(_matrices("det", input))


def slogdet(input: Any) -> SlogDet:  # noqa: A002
    """(sign, log|det|) of square matrices; the sign has no gradient."""
    a = _matrices("slogdet", input)
    sign = np.linalg.slogdet(a._data)[0].astype(a.dtype) if a._data.size or a.ndim else None
    return SlogDet(_tensor(np.asarray(sign)), LogAbsDet.apply(a))


def logdet(input: Any):  # noqa: A002
    """log det A: NaN for a negative determinant, -inf for a singular matrix, as torch."""
    sign, logabsdet = slogdet(input)
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = np.log(sign._data).astype(logabsdet.dtype)
    return logabsdet + _tensor(np.where(sign._data == 0, 0, shift).astype(logabsdet.dtype))


def inverse(input: Any):  # noqa: A002
    return inv(_matrices("inverse", input))


def pinverse(input: Any, rcond: float = 1e-15):  # noqa: A002
    return pinv(_matrices("pinverse", input), rtol=rcond)


def matrix_power(input: Any, n: int):  # noqa: A002
    """A^n by repeated squaring; n = 0 gives the identity, n < 0 powers of A^-1."""
    a = _matrices("matrix_power", input)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):  # int(1.5) would be 1
        raise TypeError(f"matrix_power: expected an integer n, got {type(n).__name__} {n!r}.")
    if a.shape[-1] != a.shape[-2]:
        fail_shape("matrix_power", "square matrices", shape_str(tuple(a.shape)))
    if n == 0:
        eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), tuple(a.shape))
        return a * 0 + _tensor(eye.copy())  # the zero gradient torch gives
    base, result, k = (inv(a) if n < 0 else a), None, abs(int(n))
    while k:
        if k & 1:
            result = base if result is None else result @ base
        k >>= 1
        if k:
            base = base @ base
    return result


def matrix_exp(input: Any):  # noqa: A002
    return MatrixExp.apply(_matrices("matrix_exp", input))


def cholesky(input: Any, upper: bool = False):  # noqa: A002
    low = Cholesky.apply(_matrices("cholesky", input))
    return low.transpose(-2, -1) if upper else low


def cholesky_solve(B: Any, L: Any, upper: bool = False):  # noqa: N803
    """X with (L L^T) X = B (or U^T U X = B with upper=True), as two solves."""
    factor = _matrices("cholesky_solve", L)
    low = factor.transpose(-2, -1) if upper else factor
    return solve(low.transpose(-2, -1), solve(low, _tensor(B)))


def cholesky_inverse(L: Any, upper: bool = False):  # noqa: N803
    factor = _matrices("cholesky_inverse", L)
    low = factor.transpose(-2, -1) if upper else factor
    eye = _tensor(np.eye(low.shape[-1], dtype=low.dtype))
    return cholesky_solve(eye, low)


def qr(input: Any, some: bool = True) -> QRResult:  # noqa: A002
    """Q R = A, Q with orthonormal columns (some=False: square Q, R as tall as A)."""
    a = _matrices("qr", input)
    m, n = a.shape[-2:]
    k = min(m, n) if some else m
    packed = QR.apply(a, complete=not some)
    return QRResult(*unpacked(packed, [(m, k), (k, n)]))


def svd(input: Any, some: bool = True, compute_uv: bool = True) -> SVDResult:  # noqa: A002
    """torch.svd's convention: A = U diag(S) V^T with V itself (linalg.svd gives V^T);
    some=False pads U and V to square (without a gradient, as torch asks of some=True)."""
    a = _matrices("svd", input)
    m, n = a.shape[-2:]
    k = min(m, n)
    u, s, v = unpacked(SVD.apply(a), [(m, k), (k,), (n, k)])
    if not compute_uv:  # torch's zero-filled square U and V (``some`` has no effect then)
        batch = tuple(a.shape[:-2])
        u_zero, v_zero = np.zeros(batch + (m, m), a.dtype), np.zeros(batch + (n, n), a.dtype)
        return SVDResult(_tensor(u_zero), s, _tensor(v_zero))
    if not some:
        full_u, _, full_vt = np.linalg.svd(a._data, full_matrices=True)
        return SVDResult(_tensor(full_u), s, _tensor(np.swapaxes(full_vt, -1, -2).copy()))
    return SVDResult(u, s, v)


def cov(input: Any, *, correction: int = 1, fweights: Any = None, aweights: Any = None):  # noqa: A002
    """The covariance of the rows of ``input`` (variables) over its columns (observations),
    weighted by fweights and aweights as torch.cov (and numpy.cov)."""
    x = _tensor(input)
    if x.ndim > 2:
        fail_shape("cov", "a 1-D or 2-D input", f"{x.ndim}-d")
    x = x.reshape(1, -1) if x.ndim < 2 else x
    if x.dtype.kind != "f":
        from ..dtypes import get_default_dtype

        x = x.to(get_default_dtype())
    weights = None
    for name, given in (("fweights", fweights), ("aweights", aweights)):
        if given is not None:
            _check_weights(name, np.asarray(getattr(given, "_data", given)), x.shape[1])
            w = _tensor(given).to(x.dtype)
            weights = w if weights is None else weights * w
    if weights is not None and not weights._data.sum() > 0:
        fail_value("cov", "weights with a positive sum", "a sum of 0")
    if weights is None:
        total = float(x.shape[1])
        mean = x.mean(1, keepdim=True)
        norm = total - correction
        centred = x - mean
        product = centred @ centred.t()
    else:
        total = weights.sum()
        mean = (x * weights).sum(1, keepdim=True) / total
        if aweights is None:
            norm = total - correction
        else:
            norm = total - correction * (weights * _tensor(aweights).to(x.dtype)).sum() / total
        centred = x - mean
        product = (centred * weights) @ centred.t()
    result = product / norm
    return result.reshape(()) if tuple(result.shape) == (1, 1) else result  # torch squeezes


def _check_weights(name: str, w: np.ndarray, observations: int) -> None:
    """torch's checks: NumPy's formula would take any of these and answer inf or a negative."""
    kind = "i" if name == "fweights" else "f"
    if w.ndim > 1 or w.size != observations:
        fail_shape(
            "cov", f"{name} of {observations} values, one per observation", shape_str(w.shape)
        )
    if w.dtype.kind not in (kind + "u" if kind == "i" else kind):
        wanted = "an integer" if kind == "i" else "a floating-point"
        fail_dtype("cov", f"{name} of {wanted} dtype", f"dtype {w.dtype}")
    if not np.all(w >= 0):
        fail_value("cov", f"{name} >= 0", f"{w[~(w >= 0)][0]}")


def corrcoef(input: Any):  # noqa: A002
    """Pearson's correlation of the rows, clamped to [-1, 1] as torch."""
    c = cov(input)
    if c.ndim == 0:
        return c / c
    d = c.diagonal().sqrt()
    return (c / d.reshape(-1, 1) / d.reshape(1, -1)).clip(-1, 1)


def dist(input: Any, other: Any, p: float = 2):  # noqa: A002
    """The p-norm of input - other (broadcast), as torch.dist."""
    return (_tensor(input) - other).norm(p)


def renorm(input: Any, p: float, dim: int, maxnorm: float):  # noqa: A002
    """Each slice along ``dim`` whose p-norm exceeds maxnorm scaled down to norm maxnorm."""
    x = _tensor(input)
    if x.ndim <= 1:
        fail_shape("renorm", "a tensor with at least 2 dims", f"{x.ndim}-d")
    if maxnorm < 0:
        fail_value("renorm", "maxnorm >= 0", str(maxnorm))
    if not p > 0:  # 1 / p below
        fail_value("renorm", "a norm p > 0", str(p))
    axis = check_dim("renorm", dim, x.ndim, tuple(x.shape))
    others = tuple(d for d in range(x.ndim) if d != axis)
    norms = x.abs().pow(p).sum(others, keepdim=True).pow(1.0 / p)
    over = (norms > maxnorm).detach()
    factor = (maxnorm / (norms + 1e-7)).masked_fill(~over, 1.0)
    return x * factor


def vdot(input: Any, other: Any):  # noqa: A002
    a, b = _tensor(input), _tensor(other)
    if a.ndim != 1 or b.ndim != 1:
        fail_shape("vdot", "two 1-D tensors", f"{a.ndim}-d and {b.ndim}-d")
    return a.dot(b)


def inner(input: Any, other: Any):  # noqa: A002
    """The sum over the last dims of input and other (a product if either is 0-d)."""
    a, b = _tensor(input), _tensor(other)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return tensordot(a, b, ([-1], [-1]))


def ger(input: Any, vec2: Any):  # noqa: A002
    return outer(input, vec2)


def _scaled(beta: Any, input: Any, alpha: Any, product: Any):  # noqa: A002
    """beta * input + alpha * product; beta = 0 ignores input entirely (NaN included), as torch."""
    scaled = product if alpha == 1 else product * alpha
    if beta == 0:
        x = _tensor(input)
        if x.requires_grad and is_grad_enabled():  # torch's input.grad is zeros, not None
            return scaled + x.masked_fill(np.ones(x.shape, dtype=bool), 0)
        return scaled.expand(*np.broadcast_shapes(tuple(x.shape), scaled.shape))
    return scaled + (_tensor(input) if beta == 1 else _tensor(input) * beta)


def addr(input: Any, vec1: Any, vec2: Any, *, beta: Any = 1, alpha: Any = 1):  # noqa: A002
    return _scaled(beta, input, alpha, outer(vec1, vec2))


def addmv(input: Any, mat: Any, vec: Any, *, beta: Any = 1, alpha: Any = 1):  # noqa: A002
    m, v = _tensor(mat), _tensor(vec)
    if m.ndim != 2 or v.ndim != 1:
        fail_shape("addmv", "a matrix and a vector", f"{m.ndim}-d and {v.ndim}-d")
    return _scaled(beta, input, alpha, m @ v)


def addmm(input: Any, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1):  # noqa: A002
    a, b = _tensor(mat1), _tensor(mat2)
    if a.ndim != 2 or b.ndim != 2:
        fail_shape("addmm", "two matrices", f"{a.ndim}-d and {b.ndim}-d")
    return _scaled(beta, input, alpha, a @ b)


def baddbmm(input: Any, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1):  # noqa: A002
    a, b = _tensor(batch1), _tensor(batch2)
    if a.ndim != 3 or b.ndim != 3:
        fail_shape("baddbmm", "two batches of matrices (b, n, m)", f"{a.ndim}-d and {b.ndim}-d")
    return _scaled(beta, input, alpha, a @ b)


def addbmm(input: Any, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1):  # noqa: A002
    """beta * input + alpha * the sum over the batch of batch1[i] @ batch2[i]."""
    a, b = _tensor(batch1), _tensor(batch2)
    if a.ndim != 3 or b.ndim != 3:
        fail_shape("addbmm", "two batches of matrices (b, n, m)", f"{a.ndim}-d and {b.ndim}-d")
    return _scaled(beta, input, alpha, (a @ b).sum(0))


def addcmul(input: Any, tensor1: Any, tensor2: Any, *, value: Any = 1):  # noqa: A002
    """input + value * tensor1 * tensor2: the second-moment update of hand-written Adams."""
    product = _tensor(tensor1) * tensor2
    return _tensor(input) + (product if value == 1 else product * value)


def addcdiv(input: Any, tensor1: Any, tensor2: Any, *, value: Any = 1):  # noqa: A002
    """input + value * tensor1 / tensor2: the parameter update of hand-written Adams."""
    t1, t2 = _tensor(tensor1), _tensor(tensor2)
    if t1.dtype.kind in "biu" and _tensor(t2).dtype.kind in "biu":
        fail_value(
            "addcdiv",
            "floating-point tensor1 or tensor2",
            "two integer tensors",
            "torch refuses integer division here; use (tensor1 / tensor2) and add.",
        )
    quotient = t1 / t2
    return _tensor(input) + (quotient if value == 1 else quotient * value)


def chain_matmul(*matrices: Any):
    """The product of the matrices, left to right (torch's older form of linalg.multi_dot)."""
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    tensors = [_tensor(m) for m in matrices]
    if not tensors or any(t.ndim != 2 for t in tensors):  # @ would take a vector, silently
        got = ", ".join(shape_str(tuple(t.shape)) for t in tensors) or "none"
        fail_shape("chain_matmul", "one or more 2-D matrices", got)
    return reduce(lambda a, b: a @ b, tensors)
